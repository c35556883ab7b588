/*
 * test_generic.c - the generic fallback ordering (src/core/version/generic.c)
 * and the scheme dispatchers (src/core/version/version.c).
 *
 * The generic rule has no reference tool, so its table is hand-written
 * from the contract in version.h.  The dispatcher tests check that every
 * scheme is reachable by name and that errors say which operand is bad.
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

struct cmp_case {
	const char *a;
	const char *b;
	int expected;
};

static const struct cmp_case generic_cases[] = {
	/* Equal runs, whatever separates them. */
	{"1.0", "1.0", 0},
	{"1.0", "1-0", 0},
	{"1.0", "1_0", 0},
	{"1.0", "1..0", 0},
	{"1.0", "1.0.", 0},
	{"1.0a", "1.0.a", 0},
	{".", "-", 0},
	/* Digit runs compare numerically. */
	{"1.00", "1.0", 0},
	{"1.01", "1.1", 0},
	{"1.9", "1.10", -1},
	{"2", "10", -1},
	{"1.2.3", "1.2.4", -1},
	{"2.0", "1.99.99", 1},
	/* A version that is a prefix of the other sorts first. */
	{"1.0", "1.0.1", -1},
	{"1.0", "1.0.0", -1},
	{"1.0", "1.0a", -1},
	{"1.0", "1.0-rc1", -1},
	{".", "0", -1},
	/* Letter runs compare case-insensitively; a digit run sorts after a letter run. */
	{"1.0A", "1.0a", 0},
	{"1.0-RC1", "1.0-rc1", 0},
	{"alpha", "beta", -1},
	{"1.0alpha", "1.0beta", -1},
	{"1.0alpha", "1.0alphabet", -1},
	{"1.0a", "1.0.1", -1},
	{"v1.2", "1.2", -1},
	{"1.0.z", "1.0.0", -1},
	/* Bytes outside ASCII are letters compared by value (UTF-8 stays distinct). */
	{"1.0\xc3\xa9", "1.0e", 1},
	{"1.0\xc3\xa9", "1.0\xc3\xa8", 1},
	{"1.0\xc3\xa9", "1.0.1", -1},
};

static int
generic(const char *a, const char *b)
{
	struct vg_err err;
	int cmp = 42;
	int rc;

	vg_err_clear(&err);
	rc = vg_generic_compare(vg_str_c(a), vg_str_c(b), &cmp, &err);
	if (rc != VG_OK)
		fail_msg("'%s' vs '%s': unexpected error %d: %s", a, b, rc, err.msg);
	return cmp;
}

static void
generic_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(generic_cases); i++) {
		const struct cmp_case *c = &generic_cases[i];

		if (generic(c->a, c->b) != c->expected || generic(c->b, c->a) != -c->expected)
			fail_msg("'%s' vs '%s': expected %d", c->a, c->b, c->expected);
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
generic_huge_digit_runs(void **state)
{
	char *nines = repeat("1.", '9', 400, "");
	char *ten = repeat("1.1", '0', 400, "");
	char *zeros = repeat("1.", '0', 600, "5");

	(void)state;
	assert_int_equal(generic(nines, ten), -1);
	assert_int_equal(generic(ten, nines), 1);
	assert_int_equal(generic(zeros, "1.5"), 0);
	assert_int_equal(generic(zeros, "1.6"), -1);
	free(nines);
	free(ten);
	free(zeros);
}

/* A list in strictly ascending generic order: every pair must agree with the positions. */
static const char *const ascending[] = {
	"alpha", "beta", "1", "1.0",    "1.0a", "1.0b", "1.0rc", "1.0.0", "1.0.1", "1.1",   "1.1.a",
	"1.1.1", "1.10", "2", "2alpha", "2.0",  "10",   "10.0",  "100",   "100a",  "100.0",
};

static void
generic_antisymmetry_and_order(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(ascending); i++) {
		for (size_t j = 0; j < VG_ARRAY_LEN(ascending); j++) {
			int want = (i > j) - (i < j);
			int got = generic(ascending[i], ascending[j]);

			if (got != want)
				fail_msg("'%s' vs '%s': expected %d, got %d", ascending[i],
					 ascending[j], want, got);
		}
	}
}

static void
generic_invalid(void **state)
{
	static const char *const invalid[] = {
		"", " ", " 1.0", "1.0 ", "1 0", "1.0\t", "1.0\n", "\r1", "1.0\x7f", "\x1b[0m",
	};
	static const char nul[] = {'1', '\0', '0'};
	char *too_long = repeat("", '1', VG_VER_MAX_LEN + 1, "");
	char *longest = repeat("", '1', VG_VER_MAX_LEN, "");
	struct vg_err err;
	int cmp = 42;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(invalid); i++) {
		struct vg_str v = vg_str_c(invalid[i]);

		vg_err_clear(&err);
		if (vg_generic_validate(v, &err) != VG_EINVAL)
			fail_msg("'%s' accepted", invalid[i]);
		assert_int_equal(err.code, VG_EINVAL);
		assert_true(strncmp(err.msg, "invalid generic version '", 25) == 0);
		/* Messages never carry control bytes. */
		for (const char *p = err.msg; *p; p++)
			assert_true((unsigned char)*p >= 0x20);
		assert_int_equal(vg_generic_compare(v, VG_STR_LIT("1"), &cmp, NULL), VG_EINVAL);
		assert_int_equal(vg_generic_compare(VG_STR_LIT("1"), v, &cmp, &err), VG_EINVAL);
		assert_int_equal(cmp, 42);
	}
	assert_int_equal(vg_generic_validate(vg_str_n(nul, sizeof(nul)), &err), VG_EINVAL);
	assert_int_equal(vg_generic_validate(vg_str_n(NULL, 0), &err), VG_EINVAL);
	assert_int_equal(vg_generic_validate(vg_str_c(too_long), &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "too long"));
	assert_int_equal(vg_generic_validate(vg_str_c(longest), &err), VG_OK);

	vg_err_clear(&err);
	assert_int_equal(vg_generic_validate(VG_STR_LIT("1.0 beta"), &err), VG_EINVAL);
	assert_string_equal(err.msg,
			    "invalid generic version '1.0 beta': white space in version string");
	assert_int_equal(err.column, 4);
	free(too_long);
	free(longest);
}

/* ---- Dispatchers ---- */

static void
scheme_names(void **state)
{
	static const struct {
		const char *name;
		enum vg_ver_scheme scheme;
	} names[] = {
		{"dpkg", VG_VER_DPKG},     {"rpm", VG_VER_RPM},       {"apk", VG_VER_APK},
		{"semver", VG_VER_SEMVER}, {"pep440", VG_VER_PEP440}, {"generic", VG_VER_GENERIC},
	};
	static const char *const unknown[] = {"", "deb", "dpkg ", " rpm", "semver2", "pep", "npm"};
	enum vg_ver_scheme scheme;

	(void)state;
	assert_int_equal(VG_ARRAY_LEN(names), VG_VER_NSCHEMES);
	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
		scheme = VG_VER_GENERIC;
		assert_int_equal(vg_ver_scheme_parse(vg_str_c(names[i].name), &scheme), VG_OK);
		assert_int_equal(scheme, names[i].scheme);
		assert_string_equal(vg_ver_scheme_name(names[i].scheme), names[i].name);
	}
	/* Every enumerator round-trips through its name. */
	for (int s = 0; s < VG_VER_NSCHEMES; s++) {
		const char *name = vg_ver_scheme_name((enum vg_ver_scheme)s);

		assert_int_equal(vg_ver_scheme_parse(vg_str_c(name), &scheme), VG_OK);
		assert_int_equal(scheme, s);
	}
	assert_int_equal(vg_ver_scheme_parse(VG_STR_LIT("DPKG"), &scheme), VG_OK);
	assert_int_equal(scheme, VG_VER_DPKG);
	for (size_t i = 0; i < VG_ARRAY_LEN(unknown); i++) {
		scheme = VG_VER_APK;
		assert_int_equal(vg_ver_scheme_parse(vg_str_c(unknown[i]), &scheme), VG_EINVAL);
		assert_int_equal(scheme, VG_VER_APK);
	}
	assert_int_equal(vg_ver_scheme_parse(vg_str_n("rpmx", 3), &scheme), VG_OK);
	assert_int_equal(scheme, VG_VER_RPM);
	assert_string_equal(vg_ver_scheme_name((enum vg_ver_scheme)VG_VER_NSCHEMES), "unknown");
}

/* One valid pair with its order and one invalid version, for every scheme. */
static const struct {
	enum vg_ver_scheme scheme;
	const char *lo;
	const char *hi;
	const char *bad;
} per_scheme[] = {
	{VG_VER_DPKG, "1:2.0~rc1-1", "1:2.0-1", "1:"},
	{VG_VER_RPM, "1.0-1", "1.0^git1-1", "x:1.0"},
	{VG_VER_APK, "1.0-r1", "1.0-r2", "foo"},
	{VG_VER_SEMVER, "1.2.3-alpha", "1.2.3", "1.2"},
	{VG_VER_PEP440, "1.0rc1", "1.0", "bogus"},
	{VG_VER_GENERIC, "1.0", "1.0.1", "1 0"},
};

/* @msg must name the @scheme and quote @bad right after the prefix. */
static void
assert_names_operand(const char *msg, enum vg_ver_scheme scheme, const char *bad)
{
	char want[128];

	snprintf(want, sizeof(want), "invalid %s version '%s'", vg_ver_scheme_name(scheme), bad);
	if (strncmp(msg, want, strlen(want)) != 0)
		fail_msg("message '%s' does not start with \"%s\"", msg, want);
	assert_true(strlen(msg) > strlen(want) + 2);
}

static void
dispatch_compare(void **state)
{
	(void)state;
	assert_int_equal(VG_ARRAY_LEN(per_scheme), VG_VER_NSCHEMES);
	for (size_t i = 0; i < VG_ARRAY_LEN(per_scheme); i++) {
		enum vg_ver_scheme s = per_scheme[i].scheme;
		struct vg_str lo = vg_str_c(per_scheme[i].lo);
		struct vg_str hi = vg_str_c(per_scheme[i].hi);
		struct vg_str bad = vg_str_c(per_scheme[i].bad);
		struct vg_err err;
		int cmp = 42;

		vg_err_clear(&err);
		assert_int_equal(vg_ver_compare(s, lo, hi, &cmp, &err), VG_OK);
		assert_int_equal(cmp, -1);
		assert_int_equal(vg_ver_compare(s, hi, lo, &cmp, &err), VG_OK);
		assert_int_equal(cmp, 1);
		assert_int_equal(vg_ver_compare(s, hi, hi, &cmp, NULL), VG_OK);
		assert_int_equal(cmp, 0);
		assert_int_equal(vg_ver_validate(s, lo, &err), VG_OK);
		assert_int_equal(vg_ver_validate(s, hi, NULL), VG_OK);

		/* The invalid operand is named whichever side it is on; *cmp is untouched. */
		cmp = 42;
		vg_err_clear(&err);
		assert_int_equal(vg_ver_compare(s, bad, hi, &cmp, &err), VG_EINVAL);
		assert_int_equal(cmp, 42);
		assert_int_equal(err.code, VG_EINVAL);
		assert_names_operand(err.msg, s, per_scheme[i].bad);
		vg_err_clear(&err);
		assert_int_equal(vg_ver_compare(s, lo, bad, &cmp, &err), VG_EINVAL);
		assert_int_equal(cmp, 42);
		assert_names_operand(err.msg, s, per_scheme[i].bad);
		assert_int_equal(vg_ver_compare(s, bad, bad, &cmp, NULL), VG_EINVAL);
		assert_int_equal(cmp, 42);

		vg_err_clear(&err);
		assert_int_equal(vg_ver_validate(s, bad, &err), VG_EINVAL);
		assert_names_operand(err.msg, s, per_scheme[i].bad);
		assert_int_equal(vg_ver_validate(s, bad, NULL), VG_EINVAL);
	}
}

static void
dispatch_empty_and_long(void **state)
{
	char *too_long = repeat("1.", '1', VG_VER_MAX_LEN, "");
	struct vg_err err;

	(void)state;
	for (int s = 0; s < VG_VER_NSCHEMES; s++) {
		int cmp = 42;

		vg_err_clear(&err);
		assert_int_equal(vg_ver_compare((enum vg_ver_scheme)s, VG_STR_LIT(""),
						VG_STR_LIT("1.0.0"), &cmp, &err),
				 VG_EINVAL);
		assert_int_equal(cmp, 42);
		assert_true(err.msg[0] != '\0');
		vg_err_clear(&err);
		assert_true(vg_ver_validate((enum vg_ver_scheme)s, vg_str_c(too_long), &err) < 0);
		assert_true(err.msg[0] != '\0');
	}
	free(too_long);
}

static void
dispatch_bad_scheme(void **state)
{
	enum vg_ver_scheme bogus = (enum vg_ver_scheme)VG_VER_NSCHEMES;
	struct vg_err err;
	int cmp = 42;

	(void)state;
	vg_err_clear(&err);
	assert_int_equal(vg_ver_compare(bogus, VG_STR_LIT("1"), VG_STR_LIT("2"), &cmp, &err),
			 VG_EINVAL);
	assert_int_equal(cmp, 42);
	assert_non_null(strstr(err.msg, "unknown version scheme"));
	assert_int_equal(vg_ver_validate(bogus, VG_STR_LIT("1"), NULL), VG_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generic_table),
		cmocka_unit_test(generic_huge_digit_runs),
		cmocka_unit_test(generic_antisymmetry_and_order),
		cmocka_unit_test(generic_invalid),
		cmocka_unit_test(scheme_names),
		cmocka_unit_test(dispatch_compare),
		cmocka_unit_test(dispatch_empty_and_long),
		cmocka_unit_test(dispatch_bad_scheme),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
