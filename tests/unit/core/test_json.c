/*
 * test_json.c - the streaming JSON writer (src/core/json.c), checked by
 * parsing its output back with jansson.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <jansson.h>

#include "core/err.h"
#include "core/json.h"

static json_t *
parse(const struct vg_buf *b)
{
	json_error_t e;
	json_t *v = json_loadb(b->p, b->len, JSON_ALLOW_NUL, &e);

	if (!v)
		fail_msg("writer produced invalid JSON (%s at %d): %s", e.text, e.position, b->p);
	return v;
}

static void
nested_document_round_trips(void **state)
{
	struct vg_json j;
	struct vg_buf b;
	json_t *v;

	(void)state;
	for (unsigned flags = 0; flags <= VG_JSON_PRETTY; flags += VG_JSON_PRETTY) {
		vg_buf_init(&b, VG_BUF_NOLIMIT);
		vg_json_init(&j, &b, flags);
		vg_json_begin_object(&j);
		vg_json_kv_str(&j, "name", "openssl");
		vg_json_kv_int(&j, "count", -42);
		vg_json_kv_bool(&j, "ok", true);
		vg_json_kv_str(&j, "none", NULL);
		vg_json_kv_str_opt(&j, "omitted", NULL);
		vg_json_key(&j, "list");
		vg_json_begin_array(&j);
		vg_json_int(&j, 1);
		vg_json_double(&j, 9.85, 1);
		vg_json_begin_object(&j);
		vg_json_end_object(&j);
		vg_json_begin_array(&j);
		vg_json_end_array(&j);
		vg_json_end_array(&j);
		vg_json_end_object(&j);
		assert_int_equal(vg_json_finish(&j), VG_OK);
		v = parse(&b);
		assert_string_equal(json_string_value(json_object_get(v, "name")), "openssl");
		assert_int_equal(json_integer_value(json_object_get(v, "count")), -42);
		assert_true(json_is_true(json_object_get(v, "ok")));
		assert_true(json_is_null(json_object_get(v, "none")));
		assert_null(json_object_get(v, "omitted"));
		assert_int_equal(json_array_size(json_object_get(v, "list")), 4);
		json_decref(v);
		vg_buf_release(&b);
	}
}

static void
strings_are_escaped_and_valid_utf8(void **state)
{
	static const char hostile[] =
		"q\"b\\s\n\t\x01 caf\xc3\xa9 bad\xff\xfe over\xc0\xaf sur\xed\xa0\x80 "
		"\xf0\x9f\x94\x92";
	struct vg_json j;
	struct vg_buf b;
	json_t *v;
	const char *s;

	(void)state;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	vg_json_init(&j, &b, 0);
	vg_json_begin_array(&j);
	vg_json_string_n(&j, hostile, sizeof(hostile) - 1);
	vg_json_string_n(&j, "nul\0inside", 10);
	vg_json_end_array(&j);
	assert_int_equal(vg_json_finish(&j), VG_OK);
	v = parse(&b); /* jansson rejects invalid UTF-8, so parsing proves validity */
	s = json_string_value(json_array_get(v, 0));
	assert_non_null(strstr(s, "q\"b\\s\n\t\x01 caf\xc3\xa9 "));
	assert_non_null(strstr(s, "bad\xef\xbf\xbd\xef\xbf\xbd"));
	assert_non_null(strstr(s, "\xf0\x9f\x94\x92"));
	assert_int_equal(json_string_length(json_array_get(v, 1)), 10);
	json_decref(v);
	vg_buf_release(&b);
}

static void
errors_are_sticky(void **state)
{
	struct vg_json j;
	struct vg_buf b;

	(void)state;
	vg_buf_init(&b, 16);
	vg_json_init(&j, &b, 0);
	vg_json_begin_array(&j);
	vg_json_string(&j, "this does not fit in sixteen bytes");
	vg_json_end_array(&j);
	assert_int_equal(vg_json_finish(&j), VG_ETOOBIG);
	vg_buf_release(&b);

	vg_buf_init(&b, VG_BUF_NOLIMIT);
	vg_json_init(&j, &b, 0);
	vg_json_begin_object(&j);
	assert_int_equal(vg_json_finish(&j), VG_EINVAL); /* unclosed */
	vg_buf_reset(&b);
	vg_json_init(&j, &b, 0);
	vg_json_end_array(&j);
	assert_int_equal(vg_json_finish(&j), VG_EINVAL); /* unbalanced */
	vg_buf_reset(&b);
	vg_json_init(&j, &b, 0);
	for (int i = 0; i < VG_JSON_MAX_DEPTH + 1; i++)
		vg_json_begin_array(&j);
	assert_int_equal(vg_json_finish(&j), VG_EINVAL); /* too deep */
	vg_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_document_round_trips),
		cmocka_unit_test(strings_are_escaped_and_valid_utf8),
		cmocka_unit_test(errors_are_sticky),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
