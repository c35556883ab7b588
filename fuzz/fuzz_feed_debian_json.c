/*
 * fuzz_feed_debian_json.c - libFuzzer target for the Debian security
 * tracker in JSON (src/feeds/debian_json.c): the tracker export importer
 * and the vuln-list-debian importer both read every input, and both probes
 * look at it.  The sink checks the same promises as the list target's
 * (fuzz_feed_debian.h).
 */
#include "feeds/feed.h"
#include "feeds/importers.h"
#include "fuzz_common.h"
#include "fuzz_feed_debian.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_debian_probe(&vg_imp_debian_tracker_json, data, size);
	fuzz_debian_probe(&vg_imp_debian_vulnlist_json, data, size);
	fuzz_debian_import(&vg_imp_debian_tracker_json, data, size);
	fuzz_debian_import(&vg_imp_debian_vulnlist_json, data, size);
	return 0;
}
