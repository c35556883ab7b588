/*
 * test_apk.c - tests for src/core/version/apk.c (apk-tools version rules).
 *
 * The shared vector table apk_version.tsv (restated from apk-tools'
 * test/unit/version.data) runs in full, then hand-written tables cover the
 * grammar, the token order, long numbers, the fuzzy "~" comparison and the
 * error contract.
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

/* Result masks of an apk operator string, as apk_version_result_mask_blob(). */
#define OP_LESS    1
#define OP_EQUAL   2
#define OP_GREATER 4
#define OP_FUZZY   8

static int
op_mask(const char *op)
{
	int mask = 0;

	for (const char *c = op; *c; c++) {
		switch (*c) {
		case '<':
			mask |= OP_LESS;
			break;
		case '>':
			mask |= OP_GREATER;
			break;
		case '=':
			mask |= OP_EQUAL;
			break;
		case '~':
			mask |= OP_FUZZY | OP_EQUAL;
			break;
		default:
			return 0;
		}
	}
	return mask;
}

static int
result_bit(int cmp)
{
	return cmp < 0 ? OP_LESS : cmp > 0 ? OP_GREATER : OP_EQUAL;
}

/* Check one kind=validate row; true if it agrees. */
static bool
validate_row(const char *v1, bool expected, char *got, size_t size)
{
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	rc = vg_apk_validate(vg_str_c(v1), &err);
	snprintf(got, size, "%s%s%s", rc == VG_OK ? "true" : "false", rc ? ": " : "", err.msg);
	if (rc != VG_OK && (rc != VG_EINVAL || err.msg[0] == '\0'))
		return false;
	return (rc == VG_OK) == expected;
}

/*
 * Check one kind=compare row.  apk answers as long as the comparison is
 * decided before a malformed token (the table has "1.0 < 1.0bc", where the
 * bad "c" is never reached), and so must we (version.h).  *@invalid counts
 * the rows with an operand that is not valid as a whole.
 */
static bool
compare_row(const char *v1, const char *op, const char *v2, bool expected, char *got, size_t size,
	    int *invalid)
{
	struct vg_str a = vg_str_c(v1), b = vg_str_c(v2);
	int mask = op_mask(op);
	struct vg_err err;
	int cmp = 0, rc;

	if (mask == 0) {
		snprintf(got, size, "unknown operator");
		return false;
	}
	vg_err_clear(&err);
	rc = (mask & OP_FUZZY) ? vg_apk_compare_fuzzy(a, b, &cmp, &err)
			       : vg_apk_compare(a, b, &cmp, &err);
	if (vg_apk_validate(a, NULL) != VG_OK || vg_apk_validate(b, NULL) != VG_OK)
		(*invalid)++;
	if (rc != VG_OK) {
		snprintf(got, size, "error %d: %s", rc, err.msg);
		return false;
	}
	snprintf(got, size, "%s (cmp %d)", (result_bit(cmp) & mask) ? "true" : "false", cmp);
	return ((result_bit(cmp) & mask) != 0) == expected;
}

static void
vector_table(void **state)
{
	char *path = vgt_shared_path("vectors/apk_version.tsv");
	int announced = vgt_tsv_announced_rows(path);
	int rows = 0, failed = 0, invalid = 0;
	struct vgt_tsv t;
	char got[VG_ERR_MSG_MAX + 64];

	(void)state;
	vgt_tsv_open(&t, path);
	while (vgt_tsv_next(&t)) {
		const char *kind = vgt_tsv_get(&t, "kind");
		const char *v1 = vgt_tsv_get(&t, "v1");
		const char *op = vgt_tsv_get(&t, "op");
		const char *v2 = vgt_tsv_get(&t, "v2");
		const char *exp = vgt_tsv_get(&t, "expected");
		bool expected = strcmp(exp, "true") == 0;
		bool ok;

		rows++;
		if (strcmp(exp, "true") != 0 && strcmp(exp, "false") != 0) {
			ok = false;
			snprintf(got, sizeof(got), "bad expected column");
		} else if (strcmp(kind, "validate") == 0) {
			ok = validate_row(v1, expected, got, sizeof(got));
		} else if (strcmp(kind, "compare") == 0) {
			ok = compare_row(v1, op, v2, expected, got, sizeof(got), &invalid);
		} else {
			ok = false;
			snprintf(got, sizeof(got), "unknown kind");
		}
		if (!ok) {
			failed++;
			print_message("apk_version.tsv:%d: %s '%s' %s '%s': expected %s, got %s\n",
				      t.lineno, kind, v1, op, v2, exp, got);
		}
	}
	vgt_tsv_close(&t);
	free(path);
	print_message("apk_version.tsv: %d rows, %d failed (%d compare rows with an operand "
		      "that is not valid as a whole, answered as apk does)\n",
		      rows, failed, invalid);
	assert_int_equal(failed, 0);
	vgt_assert_rows(rows, announced);
}

/* ---- Validity ---- */

static const char *const valid_versions[] = {
	"0",
	"1",
	"00",
	"007",
	"1.2.3.4.5.6.7.8.9",
	"1.0a",
	"1.0z",
	"1a",
	"1.0_alpha",
	"1.0_alpha_beta2_pre3_rc4_cvs_svn_git_hg_p5",
	"1.0_p",
	"1.0_p1",
	"1.0a_p1",
	"1_git20240101",
	"1.0-r0",
	"1.0-r123",
	"1.0~abc123",
	"1.0~0",
	"1.0_p1~deadbeef-r3",
	"1.0a~f-r0",
	"1~0-r0",
	"1.0_pre20191002222144-r0",
	"18446744073709551616.99999999999999999999999999",
	/* apk's class scan counts bytes >= 0x80 as hash characters. */
	"1.0~ab\xc3\xa9",
};

static void
validate_accepts(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(valid_versions); i++) {
		struct vg_err err;
		int rc;

		vg_err_clear(&err);
		rc = vg_apk_validate(vg_str_c(valid_versions[i]), &err);
		if (rc != VG_OK)
			print_message("'%s': %s\n", valid_versions[i], err.msg);
		assert_int_equal(rc, VG_OK);
		assert_int_equal(vg_apk_validate(vg_str_c(valid_versions[i]), NULL), VG_OK);
	}
}

struct invalid_case {
	const char *v;
	size_t len; /* 0: strlen(v) */
	int column; /* expected 1-based error column */
};

static const struct invalid_case invalid_versions[] = {
	{"", 0, 1},
	{"a", 0, 1},
	{"v1.0", 0, 1},
	{".1", 0, 1},
	{"_p1", 0, 1},
	{"-r1", 0, 1},
	{"~abc", 0, 1},
	{" 1.0", 0, 1},
	{"1.0 ", 0, 4},
	{"1.", 0, 2},
	{"1..2", 0, 2},
	{"1.a", 0, 2},
	{"1,0", 0, 2},
	{"1.0A", 0, 4},
	{"1.0ab", 0, 5},
	{"1.0a1", 0, 5},
	{"1.0a.1", 0, 5},
	{"1.0_", 0, 4},
	{"1.0_foo", 0, 4},
	{"1.0_Alpha", 0, 4},
	{"1.0_alpha.1", 0, 10},
	{"1.0_alphax", 0, 4},
	{"1.0_pr", 0, 4},
	{"1.0_p_", 0, 6},
	{"1.0_1", 0, 4},
	{"1.0_alpha1a", 0, 11},
	{"1.0-", 0, 4},
	{"1.0-r", 0, 4},
	{"1.0-1", 0, 4},
	{"1.0-R1", 0, 4},
	{"1.0-r1-r2", 0, 7},
	{"1.0-r1_p1", 0, 7},
	{"1.0-r1~abc", 0, 7},
	{"1.0-r1a", 0, 7},
	{"1.0-r1.1", 0, 7},
	{"1.0~", 0, 4},
	{"1.0~ABC", 0, 4},
	{"1.0~abg", 0, 7},
	{"1.0~abc~def", 0, 8},
	{"1.0~abc_p1", 0, 8},
	{"1.0~abc.1", 0, 8},
	{"1.0\n", 0, 4},
	{"1\0", 2, 2},
	{"1.0\0"
	 "1",
	 4, 4},
	{"1.0\xff", 0, 4},
};

static void
validate_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(invalid_versions); i++) {
		const struct invalid_case *c = &invalid_versions[i];
		struct vg_str v = vg_str_n(c->v, c->len ? c->len : strlen(c->v));
		struct vg_err err;
		int rc;

		vg_err_clear(&err);
		rc = vg_apk_validate(v, &err);
		if (rc != VG_EINVAL || err.column != c->column)
			print_message("case %zu '%.*s': rc %d column %d msg '%s'\n", i, (int)v.len,
				      c->v, rc, err.column, err.msg);
		assert_int_equal(rc, VG_EINVAL);
		assert_int_equal(err.code, VG_EINVAL);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(err.column, c->column);
		assert_int_equal(vg_apk_validate(v, NULL), VG_EINVAL);
	}
}

/*
 * A comparison that reaches a malformed token is refused by both
 * comparators, in either position, and *cmp is untouched.  Comparing an
 * invalid version with itself always reaches its malformed token.
 */
static void
compare_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(invalid_versions); i++) {
		const struct invalid_case *c = &invalid_versions[i];
		struct vg_str v = vg_str_n(c->v, c->len ? c->len : strlen(c->v));
		struct vg_err err;
		int cmp = 42;

		vg_err_clear(&err);
		assert_int_equal(vg_apk_compare(v, v, &cmp, &err), VG_EINVAL);
		assert_non_null(strstr(err.msg, "first"));
		vg_err_clear(&err);
		assert_int_equal(vg_apk_compare_fuzzy(v, v, &cmp, &err), VG_EINVAL);
		assert_true(err.msg[0] != '\0');
		assert_int_equal(cmp, 42);
	}
}

/*
 * apk decides at the first differing token, so an operand that is invalid
 * as a whole still compares when the malformed part is never reached, and
 * is refused when it is (the refusal names the operand).
 */
static void
compare_stops_before_malformed_tail(void **state)
{
	static const struct {
		const char *a, *b;
		bool fuzzy;
		int rc, cmp;
		const char *names;
	} cases[] = {
		{"1.0", "1.0bc", false, VG_OK, -1, NULL},
		{"23_foo", "4_beta", false, VG_OK, 1, NULL},
		{"3.6.9_post1", "3.6", true, VG_OK, 0, NULL},
		{"3.6.9_post1", "3.8", true, VG_OK, -1, NULL},
		{"2.0", "1.9_xyz", false, VG_OK, 1, NULL},
		{"1.0_foo", "1.0", false, VG_EINVAL, 0, "first"},
		{"1.0", "1.0_foo", false, VG_EINVAL, 0, "second"},
		{"1.0", "1.0-r", false, VG_EINVAL, 0, "second"},
		{"", "1.0", false, VG_EINVAL, 0, "first"},
		{"1.0", "x1", false, VG_EINVAL, 0, "second"},
		{"1.0bc", "1.0bc", false, VG_EINVAL, 0, "first"},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_err err;
		int cmp = 42, rc;

		vg_err_clear(&err);
		rc = cases[i].fuzzy ? vg_apk_compare_fuzzy(vg_str_c(cases[i].a),
							   vg_str_c(cases[i].b), &cmp, &err)
				    : vg_apk_compare(vg_str_c(cases[i].a), vg_str_c(cases[i].b),
						     &cmp, &err);
		if (rc != cases[i].rc)
			fail_msg("'%s' vs '%s': rc %d, want %d (%s)", cases[i].a, cases[i].b, rc,
				 cases[i].rc, err.msg);
		if (rc == VG_OK)
			assert_int_equal(cmp, cases[i].cmp);
		else
			assert_non_null(strstr(err.msg, cases[i].names));
	}
}

/* ---- Ordering ---- */

/*
 * Strictly increasing under apk's rules (checked against apk-tools'
 * algorithm pair by pair): leading-zero components after a '.' sort as
 * strings, pre-release suffixes before the bare version, then revision,
 * commit hash, post-release suffixes, letters and further components.
 */
static const char *const ascending[] = {
	"0",
	"0.0",
	"0.0.1",
	"0.01",
	"0.010",
	"0.02",
	"0.1_alpha",
	"0.1_alpha1",
	"0.1_alpha2_p1",
	"0.1_alpha10",
	"0.1_beta",
	"0.1_pre",
	"0.1_pre1",
	"0.1_pre1~abc",
	"0.1_rc9",
	"0.1",
	"0.1-r1",
	"0.1-r2",
	"0.1-r10",
	"0.1~0",
	"0.1~1",
	"0.1~10",
	"0.1~a",
	"0.1~a-r1",
	"0.1_cvs",
	"0.1_svn",
	"0.1_git",
	"0.1_hg",
	"0.1_p",
	"0.1_p1",
	"0.1_p2",
	"0.1a_alpha",
	"0.1a",
	"0.1b",
	"0.1z",
	"0.1.0",
	"0.1.1",
	"0.10",
	"0.99999999999999999999999",
	"0.100000000000000000000000",
	"1",
	"1.0",
	"1.00",
	"1.01",
	"1.1",
	"2",
	"10",
	"00011",
	"18446744073709551615",
	"18446744073709551616",
	"99999999999999999999999999999999",
};

static void
ascending_order(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(ascending); i++) {
		for (size_t j = 0; j < VG_ARRAY_LEN(ascending); j++) {
			int want = (i > j) - (i < j);
			int cmp = 9;

			assert_int_equal(vg_apk_compare(vg_str_c(ascending[i]),
							vg_str_c(ascending[j]), &cmp, NULL),
					 VG_OK);
			if (cmp != want)
				print_message("'%s' vs '%s': got %d, want %d\n", ascending[i],
					      ascending[j], cmp, want);
			assert_int_equal(cmp, want);
		}
	}
}

struct cmp_case {
	const char *a;
	const char *b;
	int cmp;
};

/* Equalities and numeric corner cases. */
static const struct cmp_case cmp_cases[] = {
	{"1", "01", 0},
	{"1", "0001", 0},
	{"1.0-r1", "1.0-r01", 0},
	{"1.0_p1", "1.0_p001", 0},
	{"1.0_alpha", "1.0_alpha0", -1},
	{"1.0_p", "1.0_p0", -1},
	{"1.0", "1.0-r0", -1},
	{"1.0~abc", "1.0~abc", 0},
	{"1.0~abc", "1.0~abd", -1},
	{"1.0~abc", "1.0~ab", 1},
	{"1.0~abc-r1", "1.0~abc-r2", -1},
	{"1.2", "1.10", -1},
	{"1.02", "1.1", -1},
	{"1.010", "1.02", -1},
	{"1.0", "1.0.0", -1},
	{"1.0a", "1.0.1", -1},
	{"1.9", "1.10", -1},
	{"1.09", "1.9", -1},
	{"1.2.99999999999999999999999", "1.2.100000000000000000000000", -1},
	{"1-r18446744073709551616", "1-r18446744073709551615", 1},
	{"1_p18446744073709551616", "1_p1", 1},
	{"20050718-r1", "20050718-r2", -1},
	{"0.1.0_alpha_pre2", "0.1.0_alpha", -1},
	{"1.0_rc1", "1.0_pre2", 1},
	{"1.0_cvs1", "1.0-r5", 1},
};

static void
compare_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cmp_cases); i++) {
		const struct cmp_case *c = &cmp_cases[i];
		int ab = 9, ba = 9;

		assert_int_equal(vg_apk_compare(vg_str_c(c->a), vg_str_c(c->b), &ab, NULL), VG_OK);
		assert_int_equal(vg_apk_compare(vg_str_c(c->b), vg_str_c(c->a), &ba, NULL), VG_OK);
		if (ab != c->cmp || ba != -c->cmp)
			print_message("'%s' vs '%s': got %d/%d, want %d\n", c->a, c->b, ab, ba,
				      c->cmp);
		assert_int_equal(ab, c->cmp);
		assert_int_equal(ba, -c->cmp);
	}
}

/* ---- Fuzzy comparison ---- */

static const struct cmp_case fuzzy_cases[] = {
	{"1.2.3", "1.2", 0},      {"1.2", "1.2", 0},         {"1.2_rc1", "1.2", 0},
	{"1.2_p1", "1.2", 0},     {"1.2a", "1.2", 0},        {"1.2-r3", "1.2", 0},
	{"1.2~abc", "1.2", 0},    {"1.2.3", "1", 0},         {"1.2", "1.2.3", -1},
	{"1.20", "1.2", 1},       {"1.3", "1.2", 1},         {"1.1.9", "1.2", -1},
	{"1.2_rc1", "1.2_rc", 0}, {"1.2_rc1", "1.2_rc1", 0}, {"1.2_rc", "1.2_rc1", -1},
	{"1.2", "1.2_rc1", 1},    {"1.2", "1.2-r1", -1},     {"1.2-r10", "1.2-r1", 1},
};

static void
fuzzy(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(fuzzy_cases); i++) {
		const struct cmp_case *c = &fuzzy_cases[i];
		int cmp = 9;

		assert_int_equal(vg_apk_compare_fuzzy(vg_str_c(c->a), vg_str_c(c->b), &cmp, NULL),
				 VG_OK);
		if (cmp != c->cmp)
			print_message("'%s' ~ '%s': got %d, want %d\n", c->a, c->b, cmp, c->cmp);
		assert_int_equal(cmp, c->cmp);
	}
}

/* Fuzzy and exact comparison agree except where b is a token prefix of a. */
static void
fuzzy_agrees_with_exact(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(ascending); i++) {
		for (size_t j = 0; j < VG_ARRAY_LEN(ascending); j++) {
			struct vg_str a = vg_str_c(ascending[i]), b = vg_str_c(ascending[j]);
			int exact = 9, fz = 9;

			assert_int_equal(vg_apk_compare(a, b, &exact, NULL), VG_OK);
			assert_int_equal(vg_apk_compare_fuzzy(a, b, &fz, NULL), VG_OK);
			/* Only "b ran out first" differs, and then fuzzy says equal. */
			assert_true(fz == exact || fz == 0);
			if (exact == 0)
				assert_int_equal(fz, 0);
		}
	}
}

/* ---- Properties over every version of the vector table ---- */

static int
cmp_for_qsort(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;
	int cmp = 0;

	assert_int_equal(vg_apk_compare(vg_str_c(*a), vg_str_c(*b), &cmp, NULL), VG_OK);
	return cmp;
}

/*
 * Reflexive, antisymmetric and transitive: sort every valid version of the
 * table, then check that every pair agrees with its sorted position.
 */
static void
total_order(void **state)
{
	char *path = vgt_shared_path("vectors/apk_version.tsv");
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct vgt_tsv t;

	(void)state;
	vgt_tsv_open(&t, path);
	while (vgt_tsv_next(&t)) {
		const char *ops[2] = {vgt_tsv_get(&t, "v1"), vgt_tsv_get(&t, "v2")};

		for (int k = 0; k < 2; k++) {
			if (vg_apk_validate(vg_str_c(ops[k]), NULL) != VG_OK)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 256;
				v = vg_xreallocarray(v, cap, sizeof(*v));
			}
			v[n++] = vg_xstrdup(ops[k]);
		}
	}
	vgt_tsv_close(&t);
	free(path);
	assert_true(n > 100);
	qsort(v, n, sizeof(*v), cmp_for_qsort);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i; j < n; j++) {
			int ij = 9, ji = 9;

			assert_int_equal(vg_apk_compare(vg_str_c(v[i]), vg_str_c(v[j]), &ij, NULL),
					 VG_OK);
			assert_int_equal(vg_apk_compare(vg_str_c(v[j]), vg_str_c(v[i]), &ji, NULL),
					 VG_OK);
			if (ij > 0 || ij != -ji)
				print_message("'%s' vs '%s': %d / %d\n", v[i], v[j], ij, ji);
			assert_true(ij <= 0);
			assert_int_equal(ij, -ji);
			if (i == j)
				assert_int_equal(ij, 0);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- Slices, limits, arguments ---- */

/* Versions are slices: bytes past len are never read or considered. */
static void
slices(void **state)
{
	static const char buf[] = "1.2.3garbage";
	int cmp = 9;

	(void)state;
	assert_int_equal(vg_apk_validate(vg_str_n(buf, 5), NULL), VG_OK);
	assert_int_equal(vg_apk_validate(vg_str_n(buf, 6), NULL), VG_OK); /* "1.2.3g" */
	assert_int_equal(vg_apk_validate(vg_str_n(buf, 7), NULL), VG_EINVAL);
	assert_int_equal(vg_apk_compare(vg_str_n(buf, 5), VG_STR_LIT("1.2.3"), &cmp, NULL), VG_OK);
	assert_int_equal(cmp, 0);
	assert_int_equal(vg_apk_compare(vg_str_n(buf, 3), VG_STR_LIT("1.2.3"), &cmp, NULL), VG_OK);
	assert_int_equal(cmp, -1);
	/* A heap copy without a terminator, so ASan catches any over-read. */
	char *heap = vg_xmalloc(5);
	memcpy(heap, "1.0-r", 5);
	assert_int_equal(vg_apk_validate(vg_str_n(heap, 5), NULL), VG_EINVAL);
	assert_int_equal(vg_apk_validate(vg_str_n(heap, 3), NULL), VG_OK);
	memcpy(heap, "1.0~a", 5);
	assert_int_equal(vg_apk_validate(vg_str_n(heap, 5), NULL), VG_OK);
	memcpy(heap, "1.0_p", 5);
	assert_int_equal(vg_apk_validate(vg_str_n(heap, 5), NULL), VG_OK);
	free(heap);
	assert_int_equal(vg_apk_validate(vg_str_n(NULL, 0), NULL), VG_EINVAL);
}

static void
length_limit(void **state)
{
	char *v = vg_xmalloc(VG_VER_MAX_LEN + 2);
	struct vg_err err;
	int cmp = 9;

	(void)state;
	/* "1.1.1...": a long but valid version, exactly at the limit. */
	for (size_t i = 0; i < VG_VER_MAX_LEN + 1; i++)
		v[i] = (i % 2) ? '.' : '1';
	assert_int_equal(vg_apk_validate(vg_str_n(v, VG_VER_MAX_LEN - 1), NULL), VG_OK);
	v[VG_VER_MAX_LEN - 1] = '1';
	assert_int_equal(vg_apk_validate(vg_str_n(v, VG_VER_MAX_LEN), NULL), VG_OK);
	assert_int_equal(vg_apk_compare(vg_str_n(v, VG_VER_MAX_LEN), vg_str_n(v, VG_VER_MAX_LEN),
					&cmp, NULL),
			 VG_OK);
	assert_int_equal(cmp, 0);
	v[VG_VER_MAX_LEN] = '1';
	vg_err_clear(&err);
	assert_int_equal(vg_apk_validate(vg_str_n(v, VG_VER_MAX_LEN + 1), &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "longer"));
	/* One digit run as long as the limit allows. */
	memset(v, '9', VG_VER_MAX_LEN);
	assert_int_equal(vg_apk_compare(vg_str_n(v, VG_VER_MAX_LEN), VG_STR_LIT("1"), &cmp, NULL),
			 VG_OK);
	assert_int_equal(cmp, 1);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vector_table),
		cmocka_unit_test(validate_accepts),
		cmocka_unit_test(validate_rejects),
		cmocka_unit_test(compare_rejects),
		cmocka_unit_test(compare_stops_before_malformed_tail),
		cmocka_unit_test(ascending_order),
		cmocka_unit_test(compare_cases),
		cmocka_unit_test(fuzzy),
		cmocka_unit_test(fuzzy_agrees_with_exact),
		cmocka_unit_test(total_order),
		cmocka_unit_test(slices),
		cmocka_unit_test(length_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
