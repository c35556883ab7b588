/*
 * fuzz_feed_detect.c - format detection on hostile bytes: the sniffer's
 * shallow JSON walk and every importer's probe() run on each input.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "feeds/feed.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_feed_in in;
	vg_feed_in_open_mem(&in, "fuzz", (const char *)data, size);
	struct vg_buf scratch;
	vg_buf_init(&scratch, VG_SNIFF_MAX);
	struct vg_sniff *s = vg_xmalloc(sizeof(*s));
	struct vg_err err;
	if (vg_feed_sniff(&in, s, &scratch, &err) == VG_OK) {
		if (s->nkeys > VG_SNIFF_KEYS || s->nchild_keys > VG_SNIFF_KEYS)
			abort();
		for (size_t i = 0; vg_importers[i] != NULL; i++) {
			int score = vg_importers[i]->probe(s);
			if (score < 0 || score > 100)
				abort();
		}
	}
	free(s);
	vg_buf_release(&scratch);
	vg_feed_in_close(&in);
	return 0;
}
