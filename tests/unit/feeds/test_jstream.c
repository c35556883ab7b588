/*
 * test_jstream.c - the streaming JSON record reader and the feed input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "feeds/feed.h"
#include "feeds/jstream.h"
#include "vgtest.h"

/* Captures the members of one top-level array, and every top-level scalar. */
struct collect {
	const char *array_key;
	int nrecords;
	int nscalars;
	char last_id[64];
	char scalar_keys[256];
	int stop_after; /* record() fails after this many records (0: never) */
};

static enum vg_js_action
select_array(const struct vg_js_path *p, void *ctx)
{
	struct collect *c = ctx;
	if (p->depth == 0)
		return VG_JS_DESCEND;
	if (p->depth == 1 && strcmp(p->key[0], c->array_key) == 0)
		return VG_JS_DESCEND;
	if (p->depth == 1)
		return strcmp(p->key[0], "skipme") == 0 ? VG_JS_SKIP : VG_JS_CAPTURE;
	return p->depth == 2 ? VG_JS_CAPTURE : VG_JS_SKIP;
}

static int
record(const struct vg_js_path *p, json_t *v, void *ctx, struct vg_err *err)
{
	struct collect *c = ctx;
	if (p->depth == 1) {
		assert_false(json_is_object(v) || json_is_array(v));
		c->nscalars++;
		size_t used = strlen(c->scalar_keys);
		snprintf(c->scalar_keys + used, sizeof(c->scalar_keys) - used, "%s,", p->key[0]);
		return VG_OK;
	}
	assert_int_equal(p->depth, 2);
	assert_string_equal(p->key[0], c->array_key);
	assert_null(p->key[1]);
	assert_int_equal(p->index[1], c->nrecords);
	c->nrecords++;
	const char *id = vg_js_str(v, "id", NULL);
	if (id == NULL)
		id = vg_js_str(vg_js_obj(v, "cve", NULL), "id", NULL);
	if (id == NULL)
		id = vg_js_str(v, "cveID", NULL);
	if (id != NULL)
		snprintf(c->last_id, sizeof(c->last_id), "%s", id);
	if (c->stop_after && c->nrecords == c->stop_after)
		return vg_error(err, VG_EEXIST, "stop requested");
	return VG_OK;
}

static int
run_mem(const char *json, struct collect *c, struct vg_err *err)
{
	struct vg_jstream_ops ops = {.select = select_array, .record = record, .ctx = c};
	return vg_jstream_read_mem(json, strlen(json), &ops, err);
}

static void
captures_array_elements_and_scalars(void **state)
{
	(void)state;
	struct collect c = {.array_key = "items"};
	struct vg_err err;
	const char *doc = "{\"format\":\"X\",\"items\":[{\"id\":\"a\",\"n\":[1,2,{\"x\":null}]},"
			  "{\"id\":\"b\",\"big\":12345678901234567890,\"f\":1.5e3}],"
			  "\"skipme\":{\"deep\":[1,2,3]},\"count\":2,\"ok\":true}";
	assert_int_equal(run_mem(doc, &c, &err), VG_OK);
	assert_int_equal(c.nrecords, 2);
	assert_string_equal(c.last_id, "b");
	/* "skipme" was skipped without being built; the scalars arrive in order. */
	assert_string_equal(c.scalar_keys, "format,count,ok,");
}

static enum vg_js_action
select_elements(const struct vg_js_path *p, void *ctx)
{
	(void)ctx;
	return p->depth == 0 ? VG_JS_DESCEND : VG_JS_CAPTURE;
}

static int
keep_first(const struct vg_js_path *p, json_t *v, void *ctx, struct vg_err *err)
{
	(void)err;
	json_t **out = ctx;
	assert_int_equal(p->depth, 1);
	assert_null(p->key[0]);
	if (*out == NULL)
		*out = json_incref(v);
	return VG_OK;
}

static void
captured_tree_equals_jansson_parse(void **state)
{
	(void)state;
	const char *doc = "[{\"s\":\"\\u00e9\\n\",\"i\":-42,\"r\":0.25,\"b\":false,\"n\":null,"
			  "\"a\":[1,[2]],\"o\":{\"k\":\"v\"}}, 7]";
	json_t *got = NULL;
	struct vg_jstream_ops ops = {.select = select_elements, .record = keep_first, .ctx = &got};
	struct vg_err err;
	assert_int_equal(vg_jstream_read_mem(doc, strlen(doc), &ops, &err), VG_OK);
	json_error_t jerr;
	json_t *all = json_loads(doc, 0, &jerr);
	assert_non_null(all);
	assert_non_null(got);
	assert_true(json_equal(got, json_array_get(all, 0)));
	json_decref(got);
	json_decref(all);
}

static void
syntax_errors_have_a_position(void **state)
{
	(void)state;
	struct collect c = {.array_key = "items"};
	struct vg_err err;
	assert_int_equal(run_mem("{\"items\":[\n{\"id\":\"a\"},\n{\"id\" \"b\"}]}", &c, &err),
			 VG_EINVAL);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "line 3"));
	assert_int_equal(c.nrecords, 1);

	/* Truncated documents and trailing garbage are errors too. */
	c = (struct collect){.array_key = "items"};
	assert_int_equal(run_mem("{\"items\":[{\"id\":\"a\"}", &c, &err), VG_EINVAL);
	c = (struct collect){.array_key = "items"};
	assert_int_equal(run_mem("{\"items\":[]} x", &c, &err), VG_EINVAL);
	c = (struct collect){.array_key = "items"};
	assert_int_equal(run_mem("", &c, &err), VG_EINVAL);

	/* Valid to yajl, refused by jansson: input errors, not out-of-memory. */
	c = (struct collect){.array_key = "items"};
	assert_int_equal(run_mem("{\"items\":[{\"n\":1e999}]}", &c, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "number out of range"));
	c = (struct collect){.array_key = "items"};
	assert_int_equal(run_mem("{\"items\":[{\"s\":\"\xC1\xA9\"}]}", &c, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "invalid UTF-8"));
}

static void
record_callback_can_stop_the_read(void **state)
{
	(void)state;
	struct collect c = {.array_key = "items", .stop_after = 2};
	struct vg_err err;
	assert_int_equal(
		run_mem("{\"items\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]}", &c, &err),
		VG_EEXIST);
	assert_int_equal(c.nrecords, 2);
	assert_string_equal(err.msg, "stop requested");
}

static void
limits_bound_memory(void **state)
{
	(void)state;
	/* A record larger than max_record. */
	struct vg_buf b;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_buf_addstr(&b, "{\"items\":[{\"id\":\""), VG_OK);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(vg_buf_addstr(&b, "xxxxxxxxxx"), VG_OK);
	assert_int_equal(vg_buf_addstr(&b, "\"}]}"), VG_OK);
	struct collect c = {.array_key = "items"};
	struct vg_jstream_ops ops = {
		.select = select_array, .record = record, .ctx = &c, .max_record = 10000};
	struct vg_err err;
	assert_int_equal(vg_jstream_read_mem(b.p, b.len, &ops, &err), VG_ETOOBIG);
	ops.max_record = 0; /* default limit: fine */
	c = (struct collect){.array_key = "items"};
	assert_int_equal(vg_jstream_read_mem(b.p, b.len, &ops, &err), VG_OK);
	assert_int_equal(c.nrecords, 1);

	/* Nesting deeper than VG_JS_MAX_DEPTH, inside a capture and while descending. */
	vg_buf_reset(&b);
	assert_int_equal(vg_buf_addstr(&b, "{\"items\":[["), VG_OK);
	for (int i = 0; i < 100; i++)
		assert_int_equal(vg_buf_addch(&b, '['), VG_OK);
	for (int i = 0; i < 102; i++)
		assert_int_equal(vg_buf_addch(&b, ']'), VG_OK);
	assert_int_equal(vg_buf_addstr(&b, "]}"), VG_OK);
	c = (struct collect){.array_key = "items"};
	assert_int_equal(vg_jstream_read_mem(b.p, b.len, &ops, &err), VG_ETOOBIG);
	vg_buf_release(&b);
}

static enum vg_js_action
descend_all(const struct vg_js_path *p, void *ctx)
{
	(void)p;
	(void)ctx;
	return VG_JS_DESCEND;
}

static int
count_scalars(const struct vg_js_path *p, json_t *v, void *ctx, struct vg_err *err)
{
	(void)p;
	(void)v;
	(void)err;
	(*(int *)ctx)++;
	return VG_OK;
}

static void
descending_everything_is_bounded_too(void **state)
{
	(void)state;
	struct vg_buf b;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	for (int i = 0; i < 70; i++)
		assert_int_equal(vg_buf_addch(&b, '['), VG_OK);
	for (int i = 0; i < 70; i++)
		assert_int_equal(vg_buf_addch(&b, ']'), VG_OK);
	int n = 0;
	struct vg_jstream_ops ops = {.select = descend_all, .record = count_scalars, .ctx = &n};
	struct vg_err err;
	assert_int_equal(vg_jstream_read_mem(b.p, b.len, &ops, &err), VG_ETOOBIG);
	vg_buf_release(&b);
}

/* ---- real feeds ---- */

static void
streams_the_real_nvd_sample_and_kev(void **state)
{
	(void)state;
	struct vg_err err;
	char *path = vgt_shared_path("nvd/nvd-api-2.0_merged-sample.json");
	struct vg_feed_in in;
	assert_int_equal(vg_feed_in_open(&in, path, &err), VG_OK);
	struct collect c = {.array_key = "vulnerabilities"};
	struct vg_jstream_ops ops = {.select = select_array, .record = record, .ctx = &c};
	assert_int_equal(vg_jstream_read(&in, &ops, &err), VG_OK);
	vg_feed_in_close(&in);
	/* SOURCES.md: 86 distinct real CVE records merged into one response. */
	assert_int_equal(c.nrecords, 86);
	free(path);

	path = vgt_shared_path("kev/known_exploited_vulnerabilities.json");
	assert_int_equal(vg_feed_in_open(&in, path, &err), VG_OK);
	c = (struct collect){.array_key = "vulnerabilities"};
	assert_int_equal(vg_jstream_read(&in, &ops, &err), VG_OK);
	vg_feed_in_close(&in);
	/* The catalog's own "count" member agrees with the elements streamed. */
	json_error_t jerr;
	json_t *whole = json_load_file(path, 0, &jerr);
	assert_non_null(whole);
	assert_int_equal(c.nrecords, json_integer_value(json_object_get(whole, "count")));
	assert_int_equal(c.nrecords, json_array_size(json_object_get(whole, "vulnerabilities")));
	json_decref(whole);
	assert_non_null(strstr(c.scalar_keys, "catalogVersion,"));
	free(path);
}

/* ---- feed input: lines, gzip ---- */

static char *
write_temp(const char *data, size_t len, bool gzip)
{
	char *path = vg_xstrdup("/tmp/vg-jstream-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	if (gzip) {
		gzFile gz = gzdopen(fd, "wb");
		assert_non_null(gz);
		assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
		assert_int_equal(gzclose(gz), Z_OK);
	} else {
		assert_int_equal(write(fd, data, len), (ssize_t)len);
		close(fd);
	}
	return path;
}

static void
lines_plain_and_gzip(void **state)
{
	(void)state;
	const char *text = "first\r\nsecond\n\nlast without newline";
	for (int gz = 0; gz < 2; gz++) {
		char *path = write_temp(text, strlen(text), gz);
		struct vg_feed_in in;
		struct vg_err err;
		assert_int_equal(vg_feed_in_open(&in, path, &err), VG_OK);
		struct vg_str line;
		assert_int_equal(vg_feed_in_line(&in, &line, &err), 1);
		assert_true(vg_str_eqc(line, "first"));
		assert_int_equal(vg_feed_in_line(&in, &line, &err), 1);
		assert_true(vg_str_eqc(line, "second"));
		assert_int_equal(vg_feed_in_line(&in, &line, &err), 1);
		assert_int_equal(line.len, 0);
		assert_int_equal(vg_feed_in_line(&in, &line, &err), 1);
		assert_true(vg_str_eqc(line, "last without newline"));
		assert_int_equal(vg_feed_in_line(&in, &line, &err), 0);
		assert_int_equal(in.lineno, 4);
		vg_feed_in_close(&in);
		unlink(path);
		free(path);
	}
}

static void
overlong_line_is_refused(void **state)
{
	(void)state;
	size_t n = VG_FEED_MAX_LINE + 10;
	char *big = vg_xmalloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\n';
	char *path = write_temp(big, n + 1, true);
	struct vg_feed_in in;
	struct vg_err err;
	assert_int_equal(vg_feed_in_open(&in, path, &err), VG_OK);
	struct vg_str line;
	assert_int_equal(vg_feed_in_line(&in, &line, &err), VG_ETOOBIG);
	assert_non_null(strstr(err.msg, "line 1"));
	vg_feed_in_close(&in);
	unlink(path);
	free(path);
	free(big);
}

static void
open_errors_name_the_path(void **state)
{
	(void)state;
	struct vg_feed_in in;
	struct vg_err err;
	assert_int_equal(vg_feed_in_open(&in, "/nonexistent/feed.json", &err), VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/feed.json"));
	vg_feed_in_close(&in);
	assert_int_equal(vg_feed_in_open(&in, "/tmp", &err), VG_EINVAL);
	vg_feed_in_close(&in);
}

static void
sniff_reads_top_level_and_child_keys(void **state)
{
	(void)state;
	const char *doc =
		"{\"title\":\"T\",\"catalogVersion\":\"2025.01.01\",\"count\":3,"
		"\"vulnerabilities\":[{\"cveID\":\"CVE-1\"}],\"pkg\":{\"CVE-2020-1\":{}}}";
	struct vg_feed_in in;
	vg_feed_in_open_mem(&in, "mem", doc, strlen(doc));
	struct vg_sniff s;
	struct vg_buf scratch;
	vg_buf_init(&scratch, VG_SNIFF_MAX);
	struct vg_err err;
	assert_int_equal(vg_feed_sniff(&in, &s, &scratch, &err), VG_OK);
	assert_int_equal(s.kind, VG_SNIFF_JSON_OBJECT);
	assert_int_equal(s.nkeys, 5);
	assert_string_equal(vg_sniff_value(&s, "catalogVersion"), "2025.01.01");
	assert_null(vg_sniff_value(&s, "count"));
	assert_int_equal(vg_sniff_key(&s, "vulnerabilities"), 3);
	/* The first object-valued member is "pkg" (arrays do not count). */
	assert_true(vg_sniff_child_key(&s, "CVE-2020-1"));
	vg_feed_in_close(&in);

	const char *arr = "  [{\"id\":\"GHSA-1\",\"affected\":[]}]";
	vg_feed_in_open_mem(&in, "mem", arr, strlen(arr));
	assert_int_equal(vg_feed_sniff(&in, &s, &scratch, &err), VG_OK);
	assert_int_equal(s.kind, VG_SNIFF_JSON_ARRAY);
	assert_int_equal(s.nkeys, 0);
	assert_true(vg_sniff_child_key(&s, "affected"));
	vg_feed_in_close(&in);

	/* Text that merely starts with a bracket is not JSON. */
	const char *dsa = "[29 Mar 2023] DSA-5380-1 xorg-server - security update\n";
	vg_feed_in_open_mem(&in, "mem", dsa, strlen(dsa));
	assert_int_equal(vg_feed_sniff(&in, &s, &scratch, &err), VG_OK);
	assert_int_equal(s.kind, VG_SNIFF_TEXT);
	vg_feed_in_close(&in);

	vg_feed_in_open_mem(&in, "mem", "cve,epss,percentile\n", 20);
	assert_int_equal(vg_feed_sniff(&in, &s, &scratch, &err), VG_OK);
	assert_int_equal(s.kind, VG_SNIFF_TEXT);
	vg_feed_in_close(&in);
	vg_buf_release(&scratch);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(captures_array_elements_and_scalars),
		cmocka_unit_test(captured_tree_equals_jansson_parse),
		cmocka_unit_test(syntax_errors_have_a_position),
		cmocka_unit_test(record_callback_can_stop_the_read),
		cmocka_unit_test(limits_bound_memory),
		cmocka_unit_test(descending_everything_is_bounded_too),
		cmocka_unit_test(streams_the_real_nvd_sample_and_kev),
		cmocka_unit_test(lines_plain_and_gzip),
		cmocka_unit_test(overlong_line_is_refused),
		cmocka_unit_test(open_errors_name_the_path),
		cmocka_unit_test(sniff_reads_top_level_and_child_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
