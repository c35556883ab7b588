/*
 * test_rpm.c - RPM version ordering (src/core/version/rpm.c).
 *
 * The vector tables hold rpm's own rpmvercmp test cases and real EVRs
 * compared with rpm 4.18's labelCompare; the hand-written cases below were
 * checked with rpm 4.18's python bindings, except the missing-release rule,
 * which follows version.h (rpm's dependency matching, rpmdsCompare).
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
vercmp(const char *a, const char *b)
{
	return vg_rpmvercmp(vg_str_c(a), vg_str_c(b));
}

static int
evr_compare(const char *a, const char *b)
{
	struct vg_err err;
	int cmp = 42;
	int rc;

	vg_err_clear(&err);
	rc = vg_rpm_compare(vg_str_c(a), vg_str_c(b), &cmp, &err);
	if (rc != VG_OK)
		fail_msg("'%s' vs '%s': unexpected error %d: %s", a, b, rc, err.msg);
	return cmp;
}

/* vg_rpmvercmp() is total; adapt it to the table runner's comparator type. */
static int
run_vercmp(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	(void)err;
	*cmp = vg_rpmvercmp(a, b);
	return VG_OK;
}

static void
vectors_rpmvercmp(void **state)
{
	(void)state;
	vgt_run_compare_table("rpm_rpmvercmp.tsv", "v1", "v2", run_vercmp);
}

static void
vectors_evr(void **state)
{
	(void)state;
	vgt_run_compare_table("rpm_evr_compare.tsv", "evr1", "evr2", vg_rpm_compare);
}

struct cmp_case {
	const char *a;
	const char *b;
	int expected;
};

/* rpmvercmp edge cases, checked with rpm 4.18 (python rpm.labelCompare). */
static const struct cmp_case vercmp_cases[] = {
	/* '^' sorts after the end of the string but before any other segment. */
	{"1.0^", "1.0", 1},
	{"1.0^git1", "1.0", 1},
	{"1.0^git1", "1.0.1", -1},
	{"1.0^git1", "1.0^git2", -1},
	{"1.0^^", "1.0^", 1},
	{"^", "", 1},
	/* '~' sorts before everything, the end of the string included. */
	{"1.0~rc1", "1.0", -1},
	{"1.0~rc1", "1.0~rc2", -1},
	{"1.0~~", "1.0~", -1},
	{"~", "", -1},
	{"~", "^", -1},
	{"1.0^git1~pre", "1.0^git1", -1},
	{"1.0~rc1^git1", "1.0~rc1", 1},
	{"1.0~rc1^git1", "1.0", -1},
	/* Separators only separate; which ones and how many does not matter. */
	{"1.0", "1.0.", 0},
	{"1.0", "1_0", 0},
	{"1..0", "1.0", 0},
	{"1+2", "1_2", 0},
	/* Numbers: leading zeros ignored, newer than letters. */
	{"001", "1", 0},
	{"1.01", "1.1", 0},
	{"1.002", "1.1", 1},
	{"10", "9", 1},
	{"a", "1", -1},
	{"2", "xyz", 1},
	{"1.0a", "1.0.1", -1},
	{"1.0", "1.0a", -1},
	/* Letters compare as ASCII, upper case first; a prefix sorts first. */
	{"1.a", "1.A", 1},
	{"abc", "abd", -1},
	{"ab", "abc", -1},
};

/* Full EVR edge cases; all but the missing-release rows checked with rpm 4.18 rpm.ver. */
static const struct cmp_case evr_cases[] = {
	{"1:1.0-1", "2.0-1", 1},
	{"0:1.0-1", "1.0-1", 0},
	{"00:1.0-1", "1.0-1", 0},
	{"10:1-1", "9:1-1", 1},
	{"123456789012345678901234567890:1-1", "9:1-1", 1},
	{"123456789012345678901234567890:1-1", "123456789012345678901234567891:1-1", -1},
	{"1.0-1.el7", "1.0-1.el7_9", -1},
	{"1.0-1-1", "1.0-2", 1},
	{"1:2:3-1", "1:2:3-1", 0},
	{"1.0^git1-1", "1.0-1", 1},
	{"1.0~rc1-1", "1.0-0.1", -1},
	{"1.0-1~", "1.0-1", -1},
	{"1.0-1^", "1.0-1", 1},
	/* A missing release sorts before any release (labelCompare; checked with rpm 4.18). */
	{"1.0", "1.0-5", -1},
	{"1.0-5", "1.0", 1},
	{"1.0", "1.0-~1", -1},
	{"1.0", "1.0", 0},
	{"1:1.0", "1:1.0-0.1.el9", -1},
	{"1.0", "1.1-1", -1},
	{"1.1", "1.0-99", 1},
	{"1:1.0", "1.0-1", 1},
	{"1.0", "1:1.0-1", -1},
};

static void
hand_written(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(vercmp_cases); i++) {
		const struct cmp_case *c = &vercmp_cases[i];

		if (vercmp(c->a, c->b) != c->expected || vercmp(c->b, c->a) != -c->expected)
			fail_msg("rpmvercmp '%s' vs '%s': expected %d", c->a, c->b, c->expected);
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(evr_cases); i++) {
		const struct cmp_case *c = &evr_cases[i];

		if (evr_compare(c->a, c->b) != c->expected ||
		    evr_compare(c->b, c->a) != -c->expected)
			fail_msg("EVR '%s' vs '%s': expected %d", c->a, c->b, c->expected);
	}
}

static char *
repeat(const char *head, char c, size_t n, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = vg_xmalloc(hl + n + tl + 1);

	memcpy(s, head, hl);
	memset(s + hl, c, n);
	memcpy(s + hl + n, tail, tl + 1);
	return s;
}

static void
huge_digit_runs(void **state)
{
	char *nines = repeat("1.", '9', 400, "");
	char *ten = repeat("1.1", '0', 400, "");
	char *zeros = repeat("1.", '0', 600, "5");
	char *epoch = repeat("", '9', 300, ":1.0-1");

	(void)state;
	assert_int_equal(vercmp(nines, ten), -1);
	assert_int_equal(vercmp(ten, nines), 1);
	assert_int_equal(vercmp(zeros, "1.5"), 0);
	assert_int_equal(vercmp(zeros, "1.6"), -1);
	assert_int_equal(evr_compare(epoch, "99:2.0-1"), 1);
	assert_int_equal(evr_compare(epoch, epoch), 0);
	free(nines);
	free(ten);
	free(zeros);
	free(epoch);
}

/* rpmvercmp is total: any bytes, NUL and high bytes included, are separators or segments. */
static void
vercmp_any_bytes(void **state)
{
	static const char with_nul[] = {'1', '\0', '2'};
	static const char high[] = {'1', '\xff', '2'};

	(void)state;
	assert_int_equal(vg_rpmvercmp(vg_str_n(with_nul, 3), VG_STR_LIT("1.2")), 0);
	assert_int_equal(vg_rpmvercmp(vg_str_n(high, 3), VG_STR_LIT("1.2")), 0);
	assert_int_equal(vg_rpmvercmp(vg_str_n(NULL, 0), VG_STR_LIT("")), 0);
	assert_int_equal(vg_rpmvercmp(vg_str_n(NULL, 0), VG_STR_LIT("0")), -1);
	assert_int_equal(vg_rpmvercmp(VG_STR_LIT("..."), VG_STR_LIT("")), 0);
	/* Slices are not NUL-terminated: only the first three bytes count. */
	assert_int_equal(vg_rpmvercmp(vg_str_n("1.0.1", 3), VG_STR_LIT("1.0")), 0);
}

/* A list in strictly ascending EVR order (all with releases, so the order is total). */
static const char *const ascending[] = {
	"0-1",    "1.0~~-1",   "1.0~rc1-1",   "1.0~rc1^git1-1", "1.0-0.1",    "1.0-1~", "1.0-1",
	"1.0-1^", "1.0-1.el7", "1.0-1.el7_9", "1.0-2",          "1.0^git1-1", "1.0a-1", "1.0.1-1",
	"1.1-1",  "1.10-1",    "1:0-1",       "2:0.1-1",        "10:0-1",
};

static void
antisymmetry_and_order(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(ascending); i++) {
		for (size_t j = 0; j < VG_ARRAY_LEN(ascending); j++) {
			int want = (i > j) - (i < j);
			int got = evr_compare(ascending[i], ascending[j]);

			if (got != want)
				fail_msg("'%s' vs '%s': expected %d, got %d", ascending[i],
					 ascending[j], want, got);
		}
	}
}

static const char *const invalid[] = {
	"",        ":1.0",   "a:1.0",  "1a:1.0", "-1",    "1:",     "1:-1",
	"1.0-",    "1:2-",   "1.0 -1", " 1.0",   "1.0\t", "1.0\n",  "1.0\xc3\xa9",
	"1.0\x7f", "+1:1.0", "1.0-1 ", "-",      ":",     "1.0-1-",
};

static void
invalid_evrs(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(invalid); i++) {
		struct vg_str v = vg_str_c(invalid[i]);
		struct vg_err err;
		int cmp = 42;

		vg_err_clear(&err);
		if (vg_rpm_validate(v, &err) != VG_EINVAL)
			fail_msg("'%s' accepted", invalid[i]);
		assert_int_equal(err.code, VG_EINVAL);
		assert_true(strncmp(err.msg, "invalid rpm version '", 21) == 0);
		assert_int_equal(vg_rpm_validate(v, NULL), VG_EINVAL);
		assert_int_equal(vg_rpm_compare(v, VG_STR_LIT("1.0-1"), &cmp, &err), VG_EINVAL);
		assert_int_equal(vg_rpm_compare(VG_STR_LIT("1.0-1"), v, &cmp, NULL), VG_EINVAL);
		assert_int_equal(cmp, 42);
	}
}

struct msg_case {
	const char *v;
	const char *msg;
	int column;
};

static const struct msg_case messages[] = {
	{"", "invalid rpm version '': version is empty", 0},
	{"x:1.0", "invalid rpm version 'x:1.0': epoch is not a number", 1},
	{":1.0", "invalid rpm version ':1.0': epoch is empty", 1},
	{"1:-2", "invalid rpm version '1:-2': version is empty", 3},
	{"1.0-", "invalid rpm version '1.0-': release is empty", 4},
	{"1.0 1", "invalid rpm version '1.0 1': invalid character", 4},
	{"1.0\n", "invalid rpm version '1.0...': invalid character", 4},
};

static void
error_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(messages); i++) {
		struct vg_err err;

		vg_err_clear(&err);
		assert_int_equal(vg_rpm_validate(vg_str_c(messages[i].v), &err), VG_EINVAL);
		assert_string_equal(err.msg, messages[i].msg);
		assert_int_equal(err.column, messages[i].column);
	}
}

static void
valid_evrs(void **state)
{
	static const char *const valid[] = {
		"0",        "1.0",         "1.0-1",       "0:1.0-1",  "1:2:3-4",   "1.0-1-1",
		"1.0^git1", "1.0~rc1-0.1", "1.0-1.el7_9", "A.b+c%{}", "00000:0-0",
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(valid); i++) {
		struct vg_err err;

		vg_err_clear(&err);
		if (vg_rpm_validate(vg_str_c(valid[i]), &err) != VG_OK)
			fail_msg("'%s' rejected: %s", valid[i], err.msg);
	}
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
	assert_int_equal(vg_rpm_compare(vg_str_c(longest), vg_str_c(longest), &cmp, &err), VG_OK);
	assert_int_equal(cmp, 0);
	assert_int_equal(vg_rpm_validate(vg_str_c(too_long), &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "too long"));
	free(longest);
	free(too_long);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors_rpmvercmp), cmocka_unit_test(vectors_evr),
		cmocka_unit_test(hand_written),      cmocka_unit_test(huge_digit_runs),
		cmocka_unit_test(vercmp_any_bytes),  cmocka_unit_test(antisymmetry_and_order),
		cmocka_unit_test(invalid_evrs),      cmocka_unit_test(error_messages),
		cmocka_unit_test(valid_evrs),        cmocka_unit_test(length_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
