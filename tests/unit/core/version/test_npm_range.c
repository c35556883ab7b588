/*
 * test_npm_range.c - npm range satisfaction (src/core/version/npm_range.c).
 *
 * The vector table holds node-semver's range-include and range-exclude
 * fixtures (strict mode, no includePrerelease); every hand-written
 * expectation below was computed with the npm semver 7.8.6 package:
 * semver.satisfies() for the include/exclude table, and `new Range()` /
 * `new SemVer()` throwing for the invalid ones.
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

/* Every row of the shared table; the range column writes a TAB as "\t". */
static void
vectors(void **state)
{
	char *path = vgt_shared_path("vectors/semver_npm_range.tsv");
	int want_rows = vgt_tsv_announced_rows(path);
	struct vgt_tsv t;
	int rows = 0, failed = 0;

	(void)state;
	vgt_tsv_open(&t, path);
	while (vgt_tsv_next(&t)) {
		const char *raw = vgt_tsv_get(&t, "range");
		char range[VG_VER_MAX_LEN + 1];
		const char *version = vgt_tsv_get(&t, "version");
		const char *want = vgt_tsv_get(&t, "expected");
		bool expected = strcmp(want, "true") == 0;
		bool got = !expected;
		struct vg_err err;
		int rc;

		rows++;
		if (strlen(raw) >= sizeof(range))
			fail_msg("line %d: range too long", t.lineno);
		memcpy(range, raw, strlen(raw) + 1);
		vgt_unescape_tab(range);
		vg_err_clear(&err);
		if (!expected && strcmp(want, "false") != 0)
			fail_msg("line %d: bad expected value '%s'", t.lineno, want);
		rc = vg_npm_range_satisfies(vg_str_c(range), vg_str_c(version), &got, &err);
		if (rc != VG_OK || got != expected) {
			failed++;
			print_message(
				"line %d: range '%s' version '%s': expected %s, got %s, rc %d "
				"%s\n",
				t.lineno, range, version, want, got ? "true" : "false", rc,
				err.msg);
		}
	}
	vgt_tsv_close(&t);
	free(path);
	print_message("semver_npm_range.tsv: %d rows, %d failed\n", rows, failed);
	assert_int_equal(failed, 0);
	vgt_assert_rows(rows, want_rows);
}

struct range_case {
	struct vg_str range;
	struct vg_str version;
	bool expected;
};

/* One group per range feature; expectations from semver.satisfies() of npm semver 7.8.6. */
static const struct range_case range_cases[] = {
	/* Primitive comparators, with and without white space after the operator. */
	{S(">1.2.3"), S("1.2.4"), true},
	{S(">1.2.3"), S("1.2.3"), false},
	{S(">=1.2.3"), S("1.2.3"), true},
	{S("<1.2.3"), S("1.2.2"), true},
	{S("<1.2.3"), S("1.2.3"), false},
	{S("<=1.2.3"), S("1.2.3"), true},
	{S("=1.2.3"), S("1.2.3"), true},
	{S("1.2.3"), S("1.2.4"), false},
	{S("> 1.2.3"), S("1.2.4"), true},
	{S(">=\t1.2.3"), S("1.2.3"), true},
	{S("<  1.2.3"), S("1.2.3"), false},
	{S("= 1.2.3"), S("1.2.3"), true},
	{S(">=v1.2.3"), S("1.2.3"), true},
	{S("v1.2.3"), S("1.2.3"), true},
	{S("=v1.2.3"), S("1.2.3"), true},
	{S("1.2.3"), S("v1.2.3"), true},
	{S("1.2.3"), S(" 1.2.3\n"), true},
	/* Sets: every comparator must hold; "||" alternatives, any may hold. */
	{S(">=1.2.3 <2.0.0"), S("1.9.9"), true},
	{S(">=1.2.3 <2.0.0"), S("2.0.0"), false},
	{S(">=1.2.3 <2.0.0"), S("1.2.2"), false},
	{S("1.2.3 || 2.3.4"), S("2.3.4"), true},
	{S("1.2.3 || 2.3.4"), S("1.2.4"), false},
	{S("<1 || >2"), S("1.5.0"), false},
	{S("<1 || >2"), S("2.0.1"), false},
	{S("||"), S("1.2.3"), true},
	{S("1.2.3 ||"), S("0.0.1"), true},
	{S("  "), S("1.2.3"), true},
	/* Hyphen ranges: inclusive, partial upper bounds round up, partial lower bounds fill zeros.
	 */
	{S("1.2.3 - 2.3.4"), S("2.3.4"), true},
	{S("1.2.3 - 2.3.4"), S("2.3.5"), false},
	{S("1.2 - 2.3.4"), S("1.2.0"), true},
	{S("1.2.3 - 2.3"), S("2.3.9"), true},
	{S("1.2.3 - 2.3"), S("2.4.0"), false},
	{S("1.2.3 - 2"), S("2.9.9"), true},
	{S("1.2.3 - 2"), S("3.0.0"), false},
	{S("x - 2"), S("0.0.0"), true},
	{S("1 - x"), S("9.9.9"), true},
	{S("1.2.3-beta - 2"), S("1.2.3-rc.1"), true},
	{S("1.2.3 - 2.0.0-rc.1"), S("2.0.0-beta"), true},
	{S("1.2.3 - 2.0.0-rc.1"), S("2.0.0-rc.2"), false},
	{S("v1.2.3 - v2"), S("1.5.0"), true},
	{S("1.2.3 -  2"), S("2.1.0"), true},
	{S("1.2.3+b1 - 2.0.0+b2"), S("2.0.0"), true},
	{S("1.2.3  - 2"), S("1.5.0"), true},
	{S("1.2.3 - 2.3.4 +meta"), S("2.3.4"), true},
	/* X-ranges: x, X, * and missing parts. */
	{S("*"), S("0.0.0"), true},
	{S("x"), S("9.9.9"), true},
	{S("X.X.X"), S("1.0.0"), true},
	{S("1.x"), S("1.99.0"), true},
	{S("1.x"), S("2.0.0"), false},
	{S("1.X.x"), S("1.0.0"), true},
	{S("1.2.*"), S("1.2.99"), true},
	{S("1.2.*"), S("1.3.0"), false},
	{S("1"), S("1.9.9"), true},
	{S("1"), S("2.0.0"), false},
	{S("1.2"), S("1.2.9"), true},
	{S("1.2"), S("1.3.0"), false},
	{S("1.*.x"), S("0.9.9"), false},
	{S("=1.x"), S("1.5.5"), true},
	{S(">1.x"), S("2.0.0"), true},
	{S(">1.x"), S("1.9.9"), false},
	{S(">1.2.x"), S("1.3.0"), true},
	{S(">=1.x"), S("1.0.0"), true},
	{S("<1.x"), S("1.0.0"), false},
	{S("<1.2.x"), S("1.1.9"), true},
	{S("<=1.x"), S("1.99.99"), true},
	{S("<=1.x"), S("2.0.0"), false},
	{S("<=1.2"), S("1.2.99"), true},
	{S(">*"), S("1.0.0"), false},
	{S("<*"), S("0.0.0"), false},
	{S(">=*"), S("1.0.0"), true},
	{S("<=*"), S("1.0.0"), true},
	{S("1.x.x-pre"), S("1.2.0"), true},
	{S("1.x"), S("1.0.0-pre"), false},
	{S("*"), S("1.0.0-pre"), false},
	{S(">=0.0.0"), S("0.0.0"), true},
	{S("*1.2.3"), S("1.2.3"), true},
	{S("<=*1.2.3"), S("1.2.3"), true},
	/* Tilde: patch-level changes, or minor-level when only a major is given. */
	{S("~1.2.3"), S("1.2.9"), true},
	{S("~1.2.3"), S("1.3.0"), false},
	{S("~1.2.3"), S("1.2.2"), false},
	{S("~1.2"), S("1.2.0"), true},
	{S("~1.2"), S("1.3.0"), false},
	{S("~1"), S("1.9.9"), true},
	{S("~1"), S("2.0.0"), false},
	{S("~0.2.3"), S("0.2.9"), true},
	{S("~0.2.3"), S("0.3.0"), false},
	{S("~>1.2.3"), S("1.2.9"), true},
	{S("~> 1.2.3"), S("1.2.9"), true},
	{S("~ 1.2.3"), S("1.3.0"), false},
	{S("~1.2.3-beta.2"), S("1.2.3-beta.4"), true},
	{S("~1.2.3-beta.2"), S("1.2.4-beta.2"), false},
	{S("~1.2.3-beta.2"), S("1.2.3-beta.1"), false},
	{S("~x"), S("1.2.3"), true},
	{S("~1.x"), S("1.5.0"), true},
	{S("~v1.2.3"), S("1.2.5"), true},
	{S("~9007199254740990"), S("9007199254740990.0.0"), true},
	/* Caret: changes that do not modify the left-most non-zero part; 0.x rules. */
	{S("^1.2.3"), S("1.9.9"), true},
	{S("^1.2.3"), S("2.0.0"), false},
	{S("^1.2.3"), S("1.2.2"), false},
	{S("^0.2.3"), S("0.2.9"), true},
	{S("^0.2.3"), S("0.3.0"), false},
	{S("^0.0.3"), S("0.0.3"), true},
	{S("^0.0.3"), S("0.0.4"), false},
	{S("^0.0"), S("0.0.9"), true},
	{S("^0.0"), S("0.1.0"), false},
	{S("^0.x"), S("0.9.9"), true},
	{S("^0"), S("0.9.9"), true},
	{S("^0"), S("1.0.0"), false},
	{S("^1.x"), S("1.9.0"), true},
	{S("^1.2"), S("1.9.0"), true},
	{S("^0.2"), S("0.2.9"), true},
	{S("^0.2"), S("0.3.0"), false},
	{S("^1.2.3-beta.2"), S("1.2.3-beta.4"), true},
	{S("^1.2.3-beta.2"), S("1.2.4-beta.2"), false},
	{S("^0.0.3-beta"), S("0.0.3-pr.2"), true},
	{S("^0.0.3-beta"), S("0.0.3"), true},
	{S("^ 1.2.3"), S("1.5.0"), true},
	{S("^x"), S("0.0.1"), true},
	{S("^*"), S("2.0.0"), true},
	{S("^v1.2.3"), S("1.5.0"), true},
	{S("^1.2.3+build"), S("1.2.3"), true},
	/* Prereleases match only sets naming a prerelease of the same major.minor.patch. */
	{S(">1.2.3-alpha.3"), S("1.2.3-alpha.7"), true},
	{S(">1.2.3-alpha.3"), S("3.4.5-alpha.9"), false},
	{S(">1.2.3-alpha.3"), S("3.4.5"), true},
	{S(">=1.2.3-alpha <1.2.4"), S("1.2.3"), true},
	{S(">=1.2.3 <1.2.4-rc.1"), S("1.2.4-beta"), true},
	{S(">=1.0.0 <2.0.0"), S("1.5.0-pre"), false},
	{S("1.2.3-pre"), S("1.2.3-pre"), true},
	{S("1.2.3-pre"), S("1.2.3"), false},
	{S("<1.2.3"), S("1.2.3-pre"), false},
	{S("<1.2.3-0"), S("1.2.3-0"), false},
	{S(">=0.0.0-0"), S("0.0.0-0"), true},
	{S("<0.0.0-0"), S("0.0.0-0"), false},
	{S("* || 1.0.0-pre"), S("1.0.0-pre"), false},
	{S("1.0.0-pre || *"), S("1.0.0-pre"), false},
	{S("<0.0.0-0 || 1.0.0-pre"), S("1.0.0-pre"), true},
	{S(">1.0.0-a <1.0.1 || >2.0.0-b"), S("1.0.0-b"), true},
	/* Build metadata is ignored in ranges and versions. */
	{S("1.2.3+a"), S("1.2.3+b"), true},
	{S(">1.2.3+a"), S("1.2.3"), false},
	{S("1.2.3"), S("1.2.3+build.1"), true},
	{S("<=1.2.3+zzz"), S("1.2.3-pre"), false},
	/* White space: ECMAScript white space is trimmed and collapsed like spaces. */
	{S("\302\240>=1.2.3\343\200\200<2\357\273\277"), S("1.5.0"), true},
	{S(">=1.2.3\n\n<2"), S("2.0.0"), false},
	{S(">=\342\200\2111.2.3"), S("1.2.3"), true},
	{S("1.2.3"), S("\302\2401.2.3\342\200\250"), true},
};

static void
hand_cases(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(range_cases); i++) {
		const struct range_case *c = &range_cases[i];
		struct vg_err err;
		bool got = !c->expected;
		int rc;

		vg_err_clear(&err);
		rc = vg_npm_range_satisfies(c->range, c->version, &got, &err);
		if (rc != VG_OK || got != c->expected) {
			failed++;
			print_message("case %zu: range '%.*s' version '%.*s': expected %d, got %d, "
				      "rc %d %s\n",
				      i, (int)c->range.len, c->range.p, (int)c->version.len,
				      c->version.p, c->expected, got, rc, err.msg);
		}
	}
	assert_int_equal(failed, 0);
}

/* Ranges that `new Range()` of npm semver 7.8.6 rejects (satisfies() is false for any version). */
static const struct vg_str bad_ranges[] = {
	S("blerg"),
	S(">"),
	S(">="),
	S("<"),
	S("="),
	S("~"),
	S("^"),
	S("-"),
	S("|"),
	S("1.2.3 | 2"),
	S("**"),
	S("=1.2.3 - 2"),
	S("1.2.3 -"),
	S("x.1"),
	S("1.x.3"),
	S(">=1.2.3 foo"),
	S("1.2.3.4"),
	S("01.2.3"),
	S("1.02"),
	S("1.2.3-01"),
	S("1.2.3-"),
	S("1.2-pre"),
	S(">==1.2.3"),
	S("v=1.2.3"),
	S("V1.2.3"),
	S(">1.2.3 +"),
	S("~9007199254740991"),
	S("^9007199254740991"),
	S(">9007199254740991"),
	S("<=1.9007199254740991"),
	S("9007199254740992"),
	S("~1.2.3.4"),
	S("1.2.3 || >"),
	S("1.2.3, 2.3.4"),
	S("!1.2.3"),
	S(">=1.2.3\000"),
	S(">=1.2.3 \342\200\213"),
	S("\303\2511.2.3"),
	S("(1.2.3)"),
	S("1.2.3 - 2.3.4 - 3"),
};

static void
invalid_ranges(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(bad_ranges); i++) {
		struct vg_str r = bad_ranges[i];
		struct vg_err err;
		bool got = true;

		vg_err_clear(&err);
		if (vg_npm_range_satisfies(r, VG_STR_LIT("1.2.3"), &got, &err) != VG_EINVAL)
			fail_msg("range '%.*s' was accepted", (int)r.len, r.p);
		assert_int_equal(err.code, VG_EINVAL);
		assert_true(err.msg[0] != '\0');
		assert_true(got); /* untouched */
		assert_int_equal(vg_npm_range_satisfies(r, VG_STR_LIT("1.2.3"), &got, NULL),
				 VG_EINVAL);
	}
}

/* Versions that `new SemVer()` rejects in strict mode. */
static const struct vg_str bad_versions[] = {
	S(""),
	S(" "),
	S("1"),
	S("1.2"),
	S("x"),
	S("1.2.x"),
	S("=1.2.3"),
	S("v 1.2.3"),
	S("1.2.3.4"),
	S("not a version"),
	S("1.2.3-01"),
	S("1.2.3\000"),
	S("9007199254740992.0.0"),
};

static void
invalid_versions(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(bad_versions); i++) {
		struct vg_str v = bad_versions[i];
		struct vg_err err;
		bool got = true;

		vg_err_clear(&err);
		if (vg_npm_range_satisfies(VG_STR_LIT("*"), v, &got, &err) != VG_EINVAL)
			fail_msg("version '%.*s' was accepted", (int)v.len, v.p);
		assert_true(err.msg[0] != '\0');
		assert_true(got);
	}
}

/* Fill @buf with copies of @unit up to @len bytes (the last copy may be cut). */
static struct vg_str
repeat(char *buf, size_t len, const char *unit)
{
	size_t ul = strlen(unit);

	for (size_t i = 0; i < len; i++)
		buf[i] = unit[i % ul];
	return vg_str_n(buf, len);
}

static int
satisfies(struct vg_str range, const char *version, bool *got)
{
	return vg_npm_range_satisfies(range, vg_str_c(version), got, NULL);
}

/*
 * Ranges up to VG_VER_MAX_LEN bytes work however much the rewrites expand
 * them ("1" becomes ">=1.0.0 <2.0.0-0"); longer ones are rejected by
 * contract (node has no limit).  Expectations checked with node.
 */
static void
length_limits(void **state)
{
	char buf[VG_VER_MAX_LEN + 1];
	bool got = false;

	(void)state;
	assert_int_equal(satisfies(repeat(buf, VG_VER_MAX_LEN, "1 "), "1.5.0", &got), VG_OK);
	assert_true(got);
	assert_int_equal(satisfies(repeat(buf, VG_VER_MAX_LEN, "1 "), "2.0.0", &got), VG_OK);
	assert_false(got);
	assert_int_equal(satisfies(repeat(buf, 1023, "~1 "), "1.0.0", &got), VG_OK);
	assert_true(got);
	assert_int_equal(satisfies(repeat(buf, 1020, "^0.0 "), "0.0.7", &got), VG_OK);
	assert_true(got);
	assert_int_equal(satisfies(repeat(buf, 1022, "1.x || "), "1.0.0", &got), VG_OK);
	assert_true(got);
	assert_int_equal(satisfies(repeat(buf, VG_VER_MAX_LEN + 1, "1 "), "1.5.0", &got),
			 VG_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors),        cmocka_unit_test(hand_cases),
		cmocka_unit_test(invalid_ranges), cmocka_unit_test(invalid_versions),
		cmocka_unit_test(length_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
