/*
 * fuzz_jstream.c - the streaming JSON record reader, differentially.
 *
 * The whole input is captured as one record (depth 0) and, in a second
 * pass, record by record at depth 1.  Whenever jansson itself accepts the
 * document, the streamed tree must equal jansson's, and the depth-1 records
 * must equal its members / elements: a disagreement aborts.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/jstream.h"
#include "fuzz_common.h"

struct state {
	json_t *whole;
	json_t *ref;
	size_t nmembers;
};

static enum vg_js_action
select_root(const struct vg_js_path *p, void *ctx)
{
	(void)p;
	(void)ctx;
	return VG_JS_CAPTURE;
}

static int
keep_root(const struct vg_js_path *p, json_t *v, void *ctx, struct vg_err *err)
{
	(void)p;
	(void)err;
	struct state *s = ctx;
	s->whole = json_incref(v);
	return VG_OK;
}

static enum vg_js_action
select_members(const struct vg_js_path *p, void *ctx)
{
	(void)ctx;
	return p->depth == 0 ? VG_JS_DESCEND : VG_JS_CAPTURE;
}

static int
check_member(const struct vg_js_path *p, json_t *v, void *ctx, struct vg_err *err)
{
	(void)err;
	struct state *s = ctx;
	if (s->ref == NULL)
		return VG_OK;
	json_t *expect = NULL;
	if (json_is_array(s->ref))
		expect = json_array_get(s->ref, (size_t)p->index[0]);
	else if (json_is_object(s->ref) && p->key[0] != NULL)
		expect = json_object_get(s->ref, p->key[0]);
	/* Duplicate keys: jansson keeps the last value, the stream sees each. */
	if (expect != NULL && json_is_array(s->ref) && !json_equal(expect, v))
		abort();
	s->nmembers++;
	return VG_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state s = {0};
	json_error_t jerr;
	/* jansson stops at a raw NUL byte as if the input ended there; compare
	 * only inputs without one. */
	if (memchr(data, 0, size) == NULL)
		s.ref = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL,
				   &jerr);

	struct vg_err err;
	struct vg_jstream_ops whole = {
		.select = select_root, .record = keep_root, .ctx = &s, .max_record = 1 << 20};
	int rc = vg_jstream_read_mem((const char *)data, size, &whole, &err);
	if (s.ref != NULL && rc == VG_OK && !json_equal(s.ref, s.whole))
		abort();
	if (s.ref != NULL && rc == VG_EINVAL)
		abort(); /* jansson accepted what the stream calls a syntax error */
	json_decref(s.whole);

	struct vg_jstream_ops members = {
		.select = select_members, .record = check_member, .ctx = &s};
	rc = vg_jstream_read_mem((const char *)data, size, &members, &err);
	if (s.ref != NULL && rc == VG_OK && (json_is_array(s.ref) || json_is_object(s.ref))) {
		size_t n = json_is_array(s.ref) ? json_array_size(s.ref) : json_object_size(s.ref);
		if (json_is_array(s.ref) && s.nmembers != n)
			abort();
	}
	json_decref(s.ref);
	return 0;
}
