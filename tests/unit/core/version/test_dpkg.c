/*
 * test_dpkg.c - Debian version ordering and syntax (src/core/version/dpkg.c).
 *
 * The vector table holds cases from dpkg's own tests and pairs checked
 * with `dpkg --compare-versions` (dpkg 1.21.22); the hand-written tables
 * below were checked the same way.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/version/version.h"
#include "vgtest.h"

static int
compare(const char *a, const char *b)
{
	struct vg_err err;
	int cmp = 42;
	int rc;

	vg_err_clear(&err);
	rc = vg_dpkg_compare(vg_str_c(a), vg_str_c(b), &cmp, &err);
	if (rc != VG_OK)
		fail_msg("'%s' vs '%s': unexpected error %d: %s", a, b, rc, err.msg);
	return cmp;
}

/* Every row of the shared table, in both directions. */
static void
vectors(void **state)
{
	(void)state;
	vgt_run_compare_table("dpkg_version_compare.tsv", "v1", "v2", vg_dpkg_compare);
}

struct cmp_case {
	const char *a;
	const char *b;
	int expected;
};

/* Hand-picked edge cases, each checked with dpkg --compare-versions 1.21.22. */
static const struct cmp_case cmp_cases[] = {
	/* Epochs dominate, default to 0 and may carry leading zeros. */
	{"1:1.0", "0:9.9", 1},
	{"1:0", "99999", 1},
	{"0:1.0", "1.0", 0},
	{"2147483647:1", "2147483646:9", 1},
	{"0000000000000000000002147483647:1", "2147483647:1", 0},
	{"1:2:3", "1:2:3-0", 0},
	/* '~' sorts before everything, even the end of the string. */
	{"1.0~", "1.0", -1},
	{"1.0~~", "1.0~", -1},
	{"1.0~~a", "1.0~~", 1},
	{"1.0~a", "1.0~", 1},
	{"1.0-1~", "1.0-1", -1},
	{"~1", "1", -1},
	/* The end sorts before letters, letters before other characters. */
	{"1.0", "1.0a", -1},
	{"1.0a", "1.0+", -1},
	{"1.0+", "1.0.", -1},
	{"1z", "1+", -1},
	{"1A", "1a", -1},
	{"1Z", "1a", -1},
	{"1ab", "1a", 1},
	/* Digit runs compare numerically. */
	{"10", "9", 1},
	{"1.9", "1.10", -1},
	{"1.0005", "1.5", 0},
	/* The revision starts after the last hyphen; absent equals "0". */
	{"1-1-1", "1-1", 1},
	{"1-1-1", "1-1-2", -1},
	{"1.2.3", "1.2.3-0", 0},
	{"1.2.3", "1.2.3-0.0", -1},
	/* Non-digit upstream versions draw only a warning from dpkg. */
	{"a", "b", -1},
	{"a-0", "0", 1},
	{"0:a", "a", 0},
	/* Surrounding blanks are trimmed. */
	{" 1.0\t", "1.0", 0},
	{"\t 1:1.0-1  ", "1:1.0-1", 0},
};

static void
hand_written(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cmp_cases); i++) {
		const struct cmp_case *c = &cmp_cases[i];

		if (compare(c->a, c->b) != c->expected || compare(c->b, c->a) != -c->expected)
			fail_msg("'%s' vs '%s': expected %d", c->a, c->b, c->expected);
	}
}

/* Build "1.<n nines>" / "1.1<n zeros>" style versions far beyond any integer type. */
static char *
repeat(const char *head, char digit, size_t n, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = vg_xmalloc(hl + n + tl + 1);

	memcpy(s, head, hl);
	memset(s + hl, digit, n);
	memcpy(s + hl + n, tail, tl + 1);
	return s;
}

static void
huge_digit_runs(void **state)
{
	char *nines = repeat("1.", '9', 400, "");
	char *ten = repeat("1.1", '0', 400, "");
	char *zeros = repeat("1.", '0', 600, "5");
	char *rev_a = repeat("1.0-", '9', 300, "");
	char *rev_b = repeat("1.0-", '9', 300, "1");

	(void)state;
	assert_int_equal(compare(nines, ten), -1);
	assert_int_equal(compare(ten, nines), 1);
	assert_int_equal(compare(zeros, "1.5"), 0);
	assert_int_equal(compare(zeros, "1.05"), 0);
	assert_int_equal(compare(zeros, "1.6"), -1);
	assert_int_equal(compare(rev_a, rev_b), -1);
	assert_int_equal(compare(nines, nines), 0);
	free(nines);
	free(ten);
	free(zeros);
	free(rev_a);
	free(rev_b);
}

/* A list in strictly ascending dpkg order: every pair must agree with the positions. */
static const char *const ascending[] = {
	"~~",     "~",     "~1",     "0~",       "0",       "0.0.1", "0.1~rc1", "0.1",
	"0.1-1~", "0.1-1", "0.1-1a", "0.1-1+b1", "0.1-1.1", "0.1+",  "0.1.0",   "0.9",
	"0.10",   "1a",    "1.0",    "1:0~",     "1:0",     "1:a",   "2:1.0",   "2147483647:0",
};

static void
antisymmetry_and_order(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(ascending); i++) {
		for (size_t j = 0; j < VG_ARRAY_LEN(ascending); j++) {
			int want = (i > j) - (i < j);
			int got = compare(ascending[i], ascending[j]);

			if (got != want)
				fail_msg("'%s' vs '%s': expected %d, got %d", ascending[i],
					 ascending[j], want, got);
		}
	}
}

/* Inputs dpkg rejects (or only warns about for an invalid character, which we reject). */
static const char *const invalid[] = {
	"",
	" ",
	"\t\t",
	"1 .0",
	"1.0 -1",
	":1",
	"a:1",
	"1a:1",
	"+1:1",
	"-1:1",
	" 1 :1",
	"2147483648:1",
	"99999999999999999999:1",
	"1:",
	"1-",
	"1.0-1-",
	"-1",
	"1:-1",
	"1-a:b",
	"1_0",
	"1.0!",
	"1.0-1:2",
	"1.0-1-a_b",
	"1.0\n",
	"\n1:2",
	"1.0\xc3\xa9",
	"1.0\x7f",
	"a!b",
};

static void
invalid_versions(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(invalid); i++) {
		struct vg_str v = vg_str_c(invalid[i]);
		struct vg_err err;
		int cmp = 42;

		vg_err_clear(&err);
		if (vg_dpkg_validate(v, &err) != VG_EINVAL)
			fail_msg("'%s' accepted", invalid[i]);
		assert_int_equal(err.code, VG_EINVAL);
		assert_true(strncmp(err.msg, "invalid dpkg version '", 22) == 0);
		assert_true(strlen(err.msg) > 24);
		assert_int_equal(vg_dpkg_validate(v, NULL), VG_EINVAL);

		/* Either operand may be the bad one; *cmp stays untouched. */
		assert_int_equal(vg_dpkg_compare(v, VG_STR_LIT("1.0"), &cmp, &err), VG_EINVAL);
		assert_int_equal(vg_dpkg_compare(VG_STR_LIT("1.0"), v, &cmp, NULL), VG_EINVAL);
		assert_int_equal(cmp, 42);
	}
}

struct msg_case {
	const char *v;
	const char *msg;
	int column;
};

static const struct msg_case messages[] = {
	{"1:", "invalid dpkg version '1:': nothing after colon in version number", 3},
	{"", "invalid dpkg version '': version string is empty", 0},
	{"x1:2", "invalid dpkg version 'x1:2': epoch in version is not number", 1},
	{"4294967296:1", "invalid dpkg version '4294967296:1': epoch in version is too big", 1},
	{"1.0-", "invalid dpkg version '1.0-': revision number is empty", 4},
	{"1:-3", "invalid dpkg version '1:-3': version number is empty", 3},
	{" 1 2", "invalid dpkg version ' 1 2': version string has embedded spaces", 3},
	{"1.0_1", "invalid dpkg version '1.0_1': invalid character in version number", 4},
	{"1:2-3_4", "invalid dpkg version '1:2-3_4': invalid character in revision number", 6},
	{"1.0\n", "invalid dpkg version '1.0...': invalid character in version number", 4},
};

static void
error_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(messages); i++) {
		struct vg_err err;

		vg_err_clear(&err);
		assert_int_equal(vg_dpkg_validate(vg_str_c(messages[i].v), &err), VG_EINVAL);
		assert_string_equal(err.msg, messages[i].msg);
		assert_int_equal(err.column, messages[i].column);
	}
}

static void
valid_versions(void **state)
{
	static const char *const valid[] = {
		"0",     "a-0",   "~1",     ".1",     "+1",   "1:2:3-4", "1-2-3", "0:0-0",
		"1.0~a", "1.0-a", "1.0-~1", "1-1+b1", "1:1:", "A~B+C.D", " 1",    "1\t",
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(valid); i++) {
		struct vg_err err;

		vg_err_clear(&err);
		if (vg_dpkg_validate(vg_str_c(valid[i]), &err) != VG_OK)
			fail_msg("'%s' rejected: %s", valid[i], err.msg);
	}
}

/* Slices are not NUL-terminated and may contain NUL bytes. */
static void
slices(void **state)
{
	static const char buf[] = "1.0-1X";
	static const char nul[] = {'1', '.', '\0', '1'};
	struct vg_err err;
	int cmp = 42;

	(void)state;
	assert_int_equal(vg_dpkg_compare(vg_str_n(buf, 5), VG_STR_LIT("1.0-1"), &cmp, &err), VG_OK);
	assert_int_equal(cmp, 0);
	assert_int_equal(vg_dpkg_validate(vg_str_n(nul, sizeof(nul)), &err), VG_EINVAL);
	assert_int_equal(vg_dpkg_validate(vg_str_n(NULL, 0), &err), VG_EINVAL);
}

static void
length_limit(void **state)
{
	char *longest = repeat("", '1', VG_VER_MAX_LEN, "");
	char *too_long = repeat("", '1', VG_VER_MAX_LEN + 1, "");
	struct vg_err err;
	int cmp = 42;

	(void)state;
	vg_err_clear(&err);
	assert_int_equal(vg_dpkg_compare(vg_str_c(longest), vg_str_c(longest), &cmp, &err), VG_OK);
	assert_int_equal(cmp, 0);
	assert_int_equal(vg_dpkg_validate(vg_str_c(too_long), &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "too long"));
	assert_true(strlen(err.msg) < 200);
	free(longest);
	free(too_long);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors),          cmocka_unit_test(hand_written),
		cmocka_unit_test(huge_digit_runs),  cmocka_unit_test(antisymmetry_and_order),
		cmocka_unit_test(invalid_versions), cmocka_unit_test(error_messages),
		cmocka_unit_test(valid_versions),   cmocka_unit_test(slices),
		cmocka_unit_test(length_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
