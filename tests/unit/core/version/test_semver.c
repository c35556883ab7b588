/*
 * test_semver.c - SemVer 2.0.0 parsing and precedence (src/core/version/semver.c).
 *
 * The vector table holds the SemVer 2.0.0 precedence examples and node-semver's
 * comparison fixtures; every hand-written expectation below was computed with
 * the npm semver 7.8.6 package (semver.compare / semver.parse, strict mode).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/version/version.h"
#include "vgtest.h"

/* A slice over a literal that may contain NUL bytes. */
#define S(lit)                         \
	{                              \
		(lit), sizeof(lit) - 1 \
	}

/* Every row of the shared table, in both directions. */
static void
vectors(void **state)
{
	(void)state;
	vgt_run_compare_table("semver_precedence.tsv", "v1", "v2", vg_semver_compare);
}

struct cmp_case {
	struct vg_str a;
	struct vg_str b;
	int expected;
};

/* Hand-picked precedence cases, each checked with semver.compare() of npm semver 7.8.6. */
static const struct cmp_case cmp_cases[] = {
	/* Numeric identifiers compare numerically and sort before alphanumeric ones. */
	{S("1.0.0-2"), S("1.0.0-10"), -1},
	{S("1.0.0-10"), S("1.0.0-a"), -1},
	{S("1.0.0-0"), S("1.0.0--"), -1},
	{S("1.0.0-999"), S("1.0.0-0a"), -1},
	{S("1.0.0-1.2"), S("1.0.0-1.10"), -1},
	/* Alphanumeric identifiers compare in ASCII order ("-" < digits < upper < lower). */
	{S("1.0.0-B"), S("1.0.0-a"), -1},
	{S("1.0.0-a-b"), S("1.0.0-a0"), -1},
	{S("1.0.0-alpha"), S("1.0.0-alpha0"), -1},
	{S("1.0.0-Z"), S("1.0.0-z"), -1},
	{S("1.0.0-a"), S("1.0.0-aa"), -1},
	/* A longer identifier list wins when the shared identifiers are equal. */
	{S("1.0.0-a.b"), S("1.0.0-a"), 1},
	{S("1.0.0-a.0"), S("1.0.0-a"), 1},
	{S("1.0.0-a.b.c"), S("1.0.0-a.b.d"), -1},
	/* No prerelease sorts after any prerelease; major, minor, patch come first. */
	{S("1.0.0"), S("1.0.0-zzz"), 1},
	{S("1.0.1-a"), S("1.0.0"), 1},
	{S("2.0.0-a"), S("1.99.99"), 1},
	{S("0.0.0-0"), S("0.0.0"), -1},
	{S("10.0.0"), S("9.0.0"), 1},
	{S("1.10.0"), S("1.9.0"), 1},
	/* Build metadata, a "v" prefix and surrounding white space do not matter. */
	{S("1.0.0+b"), S("1.0.0+a"), 0},
	{S("1.0.0-rc.1+b.2"), S("1.0.0-rc.1"), 0},
	{S("v1.0.0"), S("1.0.0"), 0},
	{S(" \t1.0.0\n"), S("v1.0.0"), 0},
	/* U+00A0 and U+FEFF, U+3000 and U+2028 are ECMAScript white space too. */
	{S("\302\2401.0.0\357\273\277"), S("1.0.0"), 0},
	{S("\343\200\2001.0.0\342\200\250"), S("1.0.0"), 0},
	/* Limits: components up to 2^53 - 1. */
	{S("9007199254740991.9007199254740991.9007199254740991"),
	 S("9007199254740991.9007199254740991.9007199254740990"), 1},
	{S("1.0.0-9007199254740991"), S("1.0.0-9007199254740990"), 1},
	{S("1.0.0-99999999999999999999"), S("1.0.0-a"), -1},
	/*
	 * node compares numeric identifiers as doubles: above 2^53 distinct ones
	 * can round to the same value, and node then calls the versions equal
	 * without looking at the identifiers that follow.
	 */
	{S("1.0.0-99999999999999999999"), S("1.0.0-100000000000000000000"), 0},
	{S("1.0.0-9007199254740993.a"), S("1.0.0-9007199254740992.b"), 0},
	{S("1.0.0-9007199254740993"), S("1.0.0-9007199254740992.b"), 0},
	{S("1.0.0-18014398509481985"), S("1.0.0-18014398509481984"), 0},
};

/* Each hand-picked case in both directions: compare(a, b) == -compare(b, a). */
static void
hand_cases(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cmp_cases); i++) {
		const struct cmp_case *c = &cmp_cases[i];
		struct vg_err err;
		int fwd = 42, back = 42;
		int rc1, rc2;

		vg_err_clear(&err);
		rc1 = vg_semver_compare(c->a, c->b, &fwd, &err);
		rc2 = vg_semver_compare(c->b, c->a, &back, &err);
		if (rc1 != VG_OK || rc2 != VG_OK || fwd != c->expected || back != -c->expected) {
			failed++;
			print_message("case %zu: '%.*s' vs '%.*s': expected %d, got %d/%d rc %d/%d "
				      "%s\n",
				      i, (int)c->a.len, c->a.p, (int)c->b.len, c->b.p, c->expected,
				      fwd, back, rc1, rc2, err.msg);
		}
	}
	assert_int_equal(failed, 0);
}

struct good_case {
	struct vg_str in;
	uint64_t major, minor, patch;
	const char *pre;
	const char *build;
};

/* Valid versions and the fields vg_semver_parse() must extract (semver.parse() agrees). */
static const struct good_case good_cases[] = {
	{S("0.0.0"), 0, 0, 0, "", ""},
	{S("1.2.3"), 1, 2, 3, "", ""},
	{S("v1.2.3"), 1, 2, 3, "", ""},
	{S(" 1.2.3 "), 1, 2, 3, "", ""},
	{S("1.2.3-rc.1+b.2"), 1, 2, 3, "rc.1", "b.2"},
	{S("1.2.3+b"), 1, 2, 3, "", "b"},
	{S("1.2.3-0"), 1, 2, 3, "0", ""},
	{S("1.2.3--"), 1, 2, 3, "-", ""},
	/* Leading zeros are fine in alphanumeric prerelease and in build identifiers. */
	{S("1.2.3-0a.00a"), 1, 2, 3, "0a.00a", ""},
	{S("1.2.3+001.-"), 1, 2, 3, "", "001.-"},
	{S("9007199254740991.0.0"), 9007199254740991ULL, 0, 0, "", ""},
};

static void
valid_versions(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(good_cases); i++) {
		const struct good_case *c = &good_cases[i];
		struct vg_semver v;
		struct vg_err err;
		int rc;

		vg_err_clear(&err);
		rc = vg_semver_parse(c->in, &v, &err);
		if (rc != VG_OK)
			fail_msg("'%.*s': unexpected error: %s", (int)c->in.len, c->in.p, err.msg);
		assert_true(v.major == c->major);
		assert_true(v.minor == c->minor);
		assert_true(v.patch == c->patch);
		assert_true(vg_str_eqc(v.pre, c->pre));
		assert_true(vg_str_eqc(v.build, c->build));
	}
}

/* Strings that semver.valid() of npm semver 7.8.6 rejects in strict mode. */
static const struct vg_str bad_versions[] = {
	S(""),
	S(" "),
	S("v"),
	S("1"),
	S("1.2"),
	S("1.2.3.4"),
	S("01.2.3"),
	S("1.02.3"),
	S("1.2.03"),
	/* "=" is a range operator; node's strict FULL pattern allows only "v". */
	S("=1.2.3"),
	S("V1.2.3"),
	S("vv1.2.3"),
	S("v 1.2.3"),
	S("1.2.3-"),
	S("1.2.3-01"),
	S("1.2.3-a..b"),
	S("1.2.3-a."),
	S("1.2.3+"),
	S("1.2.3+a..b"),
	S("1.2.3-a+"),
	S("1.2.3-a_b"),
	S("1.2.3beta"),
	S("-1.2.3"),
	S("1.2.3 4"),
	S("1.2.3\000"),
	S("\0001.2.3"),
	/* U+200B (zero width space) is not ECMAScript white space. */
	S("1.2.3\342\200\213"),
	S("1.2.3-\303\251"),
	S("9007199254740992.0.0"),
	S("0.9007199254740992.0"),
	S("0.0.99999999999999999999"),
	S("1.-2.3"),
	S("+1.2.3"),
	S("x.2.3"),
	S("1.2.x"),
	S("*"),
};

static void
invalid_versions(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(bad_versions); i++) {
		struct vg_str s = bad_versions[i];
		struct vg_semver v;
		struct vg_err err;
		int cmp = 42;

		vg_err_clear(&err);
		if (vg_semver_parse(s, &v, &err) != VG_EINVAL)
			fail_msg("'%.*s' was accepted", (int)s.len, s.p);
		assert_int_equal(err.code, VG_EINVAL);
		assert_true(err.msg[0] != '\0');
		/* Either operand invalid: VG_EINVAL and *cmp untouched. */
		assert_int_equal(vg_semver_compare(s, VG_STR_LIT("1.0.0"), &cmp, &err), VG_EINVAL);
		assert_int_equal(vg_semver_compare(VG_STR_LIT("1.0.0"), s, &cmp, &err), VG_EINVAL);
		assert_int_equal(cmp, 42);
		/* The error report is optional. */
		assert_int_equal(vg_semver_parse(s, &v, NULL), VG_EINVAL);
	}
}

/* Write @n copies of @unit followed by @tail into @buf; returns the length. */
static size_t
build(char *buf, size_t cap, const char *unit, size_t n, const char *tail)
{
	size_t len = 0;
	size_t ul = strlen(unit);
	size_t tl = strlen(tail);

	assert_true(n * ul + tl <= cap);
	for (size_t i = 0; i < n; i++, len += ul)
		memcpy(buf + len, unit, ul);
	memcpy(buf + len, tail, tl);
	return len + tl;
}

static int
parse_len(const char *buf, size_t len)
{
	struct vg_semver v;

	return vg_semver_parse(vg_str_n(buf, len), &v, NULL);
}

/*
 * node rejects versions longer than 256 UTF-16 code units before trimming;
 * a three-byte white space character counts as one unit.
 */
static void
length_limits(void **state)
{
	char buf[2048];
	char pre[300];
	size_t n;

	(void)state;
	memset(pre, 'a', sizeof(pre));
	/* "1.2.3-" + 250 letters is 256 characters: accepted; 251 letters: rejected. */
	n = build(buf, sizeof(buf), "", 0, "1.2.3-");
	memcpy(buf + n, pre, 250);
	assert_int_equal(parse_len(buf, n + 250), VG_OK);
	memcpy(buf + n, pre, 251);
	assert_int_equal(parse_len(buf, n + 251), VG_EINVAL);
	/* 256 characters plus one space of padding: rejected although the trimmed text fits. */
	n = build(buf, sizeof(buf), "", 0, " 1.2.3-");
	memcpy(buf + n, pre, 250);
	assert_int_equal(parse_len(buf, n + 250), VG_EINVAL);
	/* Six U+3000 (18 bytes, 6 units) + 250 characters: 256 units, accepted. */
	n = build(buf, sizeof(buf), "\343\200\200", 6, "1.2.3-");
	memcpy(buf + n, pre, 244);
	assert_int_equal(parse_len(buf, n + 244), VG_OK);
	n = build(buf, sizeof(buf), "\343\200\200", 7, "1.2.3-");
	memcpy(buf + n, pre, 244);
	assert_int_equal(parse_len(buf, n + 244), VG_EINVAL);
	/* Long digit strings never overflow: rejected as larger than 2^53 - 1. */
	n = build(buf, sizeof(buf), "9", 200, ".0.0");
	assert_int_equal(parse_len(buf, n), VG_EINVAL);
	/* More than VG_VER_MAX_LEN bytes of white space padding. */
	n = build(buf, sizeof(buf), " ", 1100, "1.2.3");
	assert_int_equal(parse_len(buf, n), VG_EINVAL);
}

/* A chain in strictly increasing precedence (SemVer 2.0.0 section 11 and more). */
static const char *const ascending[] = {
	"0.0.0-0",        "0.0.0-1",        "0.0.0--",       "0.0.0-A",
	"0.0.0-a",        "0.0.0",          "0.0.1",         "0.1.0",
	"1.0.0-0.3.7",    "1.0.0-alpha",    "1.0.0-alpha.1", "1.0.0-alpha.beta",
	"1.0.0-beta",     "1.0.0-beta.2",   "1.0.0-beta.11", "1.0.0-rc.1",
	"1.0.0-x.7.z.92", "1.0.0-x-y-z.--", "1.0.0",         "1.0.1",
	"1.1.0",          "1.10.0",         "2.0.0",         "9007199254740991.0.0",
};

/* Every pair of the chain: order, antisymmetry, and vg_semver_cmp() agreeing with compare. */
static void
total_order(void **state)
{
	struct vg_semver v[VG_ARRAY_LEN(ascending)];

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(ascending); i++)
		assert_int_equal(vg_semver_parse(vg_str_c(ascending[i]), &v[i], NULL), VG_OK);
	for (size_t i = 0; i < VG_ARRAY_LEN(ascending); i++) {
		for (size_t j = 0; j < VG_ARRAY_LEN(ascending); j++) {
			int want = (i > j) - (i < j);
			int got = 42;

			assert_int_equal(vg_semver_compare(vg_str_c(ascending[i]),
							   vg_str_c(ascending[j]), &got, NULL),
					 VG_OK);
			if (got != want || vg_semver_cmp(&v[i], &v[j]) != want)
				fail_msg("'%s' vs '%s': expected %d, got %d", ascending[i],
					 ascending[j], want, got);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors),        cmocka_unit_test(hand_cases),
		cmocka_unit_test(valid_versions), cmocka_unit_test(invalid_versions),
		cmocka_unit_test(length_limits),  cmocka_unit_test(total_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
