/*
 * test_buf.c - struct vg_buf, struct vg_str and struct vg_err (src/core/buf.c, str.c, err.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

static void
init_is_empty_and_terminated(void **state)
{
	struct vg_buf b;

	(void)state;
	vg_buf_init(&b, 16);
	assert_non_null(b.p);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	vg_buf_reset(&b);
	assert_string_equal(b.p, "");
	vg_buf_release(&b);
	assert_string_equal(b.p, "");
}

static void
appends_grow_and_stay_terminated(void **state)
{
	struct vg_buf b;

	(void)state;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(vg_buf_addch(&b, (char)('a' + i % 26)), VG_OK);
	assert_int_equal(b.len, 1000);
	assert_int_equal(b.p[1000], '\0');
	assert_int_equal(b.p[27], 'b');
	assert_int_equal(vg_buf_addf(&b, "-%d-%s", 42, "x"), VG_OK);
	assert_string_equal(b.p + 1000, "-42-x");
	assert_int_equal(vg_buf_addf(&b, "%s", ""), VG_OK);
	assert_int_equal(vg_buf_add(&b, "ignored", 0), VG_OK);
	assert_int_equal(b.len, 1005);
	vg_buf_release(&b);
}

static void
cap_is_enforced_and_contents_kept(void **state)
{
	struct vg_buf b;

	(void)state;
	vg_buf_init(&b, 8);
	assert_int_equal(vg_buf_addstr(&b, "12345"), VG_OK);
	assert_int_equal(vg_buf_addstr(&b, "6789"), VG_ETOOBIG);
	assert_string_equal(b.p, "12345");
	assert_int_equal(vg_buf_addf(&b, "%s", "abcd"), VG_ETOOBIG);
	assert_string_equal(b.p, "12345");
	assert_int_equal(vg_buf_addstr(&b, "678"), VG_OK);
	assert_string_equal(b.p, "12345678");
	assert_int_equal(vg_buf_addch(&b, 'x'), VG_ETOOBIG);
	vg_buf_release(&b);
}

static void
detach_transfers_ownership(void **state)
{
	struct vg_buf b;
	size_t len = 0;
	char *s;

	(void)state;
	vg_buf_init(&b, 64);
	s = vg_buf_detach(&b, &len);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(vg_buf_addstr(&b, "hello"), VG_OK);
	s = vg_buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 64);
	free(s);
	vg_buf_release(&b);
}

static void
slices(void **state)
{
	struct vg_str s = vg_str_c("  \tdpkg 1.0\r\n");
	struct vg_str t = vg_str_trim(s);
	const char with_nul[] = {'a', '\0', 'b'};

	(void)state;
	assert_true(vg_str_eqc(t, "dpkg 1.0"));
	assert_int_equal(vg_str_chr(t, ' '), 4);
	assert_int_equal(vg_str_chr(t, 'z'), -1);
	assert_int_equal(vg_str_rchr(vg_str_c("a.b.c"), '.'), 3);
	assert_true(vg_str_eq_nocase(vg_str_c("DpKg"), vg_str_c("dpkg")));
	assert_false(vg_str_eq_nocase(vg_str_c("dpkg"), vg_str_c("dpkg2")));
	assert_true(vg_str_eqc(vg_str_sub(t, 5, 100), "1.0"));
	assert_int_equal(vg_str_sub(t, 100, 1).len, 0);
	assert_int_equal(vg_str_trim(vg_str_c(" \t ")).len, 0);
	assert_false(vg_str_eq(vg_str_n(with_nul, 3), vg_str_c("a")));
	assert_int_equal(vg_str_chr(vg_str_n(with_nul, 3), 'b'), 2);
}

static void
lines_split_on_lf_and_crlf(void **state)
{
	static const char text[] = "one\r\ntwo\n\nlast";
	const char *want[] = {"one", "two", "", "last"};
	struct vg_str line;
	size_t pos = 0, n = 0;

	(void)state;
	while (vg_str_next_line(vg_str_c(text), &pos, &line)) {
		assert_true(n < VG_ARRAY_LEN(want));
		assert_true(vg_str_eqc(line, want[n++]));
	}
	assert_int_equal(n, 4);
	pos = 0;
	assert_false(vg_str_next_line(vg_str_n("", 0), &pos, &line));
	pos = 0;
	assert_true(vg_str_next_line(vg_str_c("\n"), &pos, &line));
	assert_int_equal(line.len, 0);
	assert_false(vg_str_next_line(vg_str_c("\n"), &pos, &line));
}

static void
errors_carry_code_and_message(void **state)
{
	struct vg_err err;
	char big[600];

	(void)state;
	vg_err_clear(&err);
	assert_int_equal(vg_error(&err, VG_EINVAL, "bad '%s'", "x"), VG_EINVAL);
	assert_int_equal(err.code, VG_EINVAL);
	assert_string_equal(err.msg, "bad 'x'");
	assert_int_equal(vg_error_at(&err, VG_ETOOBIG, 7, "long"), VG_ETOOBIG);
	assert_int_equal(err.column, 7);
	assert_int_equal(vg_error(NULL, VG_EIO, "nowhere"), VG_EIO);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	vg_error(&err, VG_EINVAL, "%s", big);
	assert_int_equal(strlen(err.msg), VG_ERR_MSG_MAX - 1);
	assert_string_equal(vg_strerror(VG_OK), "success");
	assert_string_equal(vg_strerror(VG_ETOOBIG), "input too large");
	assert_string_equal(vg_strerror(-999), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_is_empty_and_terminated),
		cmocka_unit_test(appends_grow_and_stay_terminated),
		cmocka_unit_test(cap_is_enforced_and_contents_kept),
		cmocka_unit_test(detach_transfers_ownership),
		cmocka_unit_test(slices),
		cmocka_unit_test(lines_split_on_lf_and_crlf),
		cmocka_unit_test(errors_carry_code_and_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
