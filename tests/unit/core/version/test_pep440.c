/*
 * test_pep440.c - tests for src/core/version/pep440.c (PEP 440 versions).
 *
 * There is no shared vector table for PEP 440, so these tables are written
 * by hand: the ordering example of PEP 440's "Summary of permitted suffixes
 * and relative ordering", further orderings, the normalisations the PEP
 * allows, and strings the PEP 440 regex rejects.  Every expectation below
 * was checked against python3-packaging 23.0 (packaging.version.Version).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/version/version.h"

static int
compare_ok(const char *a, const char *b)
{
	struct vg_err err;
	int cmp = 9;
	int rc;

	vg_err_clear(&err);
	rc = vg_pep440_compare(vg_str_c(a), vg_str_c(b), &cmp, &err);
	if (rc != VG_OK)
		print_message("'%s' vs '%s': %s\n", a, b, err.msg);
	assert_int_equal(rc, VG_OK);
	return cmp;
}

/* Every pair of a strictly ascending list compares by position. */
static void
check_ascending(const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int want = (i > j) - (i < j);
			int got = compare_ok(v[i], v[j]);

			if (got != want)
				print_message("'%s' vs '%s': got %d, want %d\n", v[i], v[j], got,
					      want);
			assert_int_equal(got, want);
		}
	}
}

/* PEP 440, "Summary of permitted suffixes and relative ordering", in its order. */
static const char *const pep_summary[] = {
	"1.dev0",
	"1.0.dev456",
	"1.0a1",
	"1.0a2.dev456",
	"1.0a12.dev456",
	"1.0a12",
	"1.0b1.dev456",
	"1.0b2",
	"1.0b2.post345.dev456",
	"1.0b2.post345",
	"1.0rc1.dev456",
	"1.0rc1",
	"1.0",
	"1.0+abc.5",
	"1.0+abc.7",
	"1.0+5",
	"1.0.post456.dev34",
	"1.0.post456",
	"1.0.15",
	"1.1.dev1",
};

static void
pep_summary_order(void **state)
{
	(void)state;
	check_ascending(pep_summary, VG_ARRAY_LEN(pep_summary));
}

/* More orderings: release length, epochs, every suffix combination, local labels, big numbers. */
static const char *const ascending[] = {
	"0",
	"0.0.1",
	"0.1",
	"0.9.9",
	"0.10",
	"1.0.dev0",
	"1.0.dev1",
	"1.0a0.dev0",
	"1.0a0",
	"1.0a0.post0.dev0",
	"1.0a0.post0",
	"1.0a1",
	"1.0a1+local",
	"1.0a1.post1",
	"1.0b0",
	"1.0rc0.dev9",
	"1.0rc0",
	"1.0rc1",
	"1.0",
	"1.0+a",
	"1.0+a.b",
	"1.0+a.0",
	"1.0+a.1",
	"1.0+b",
	"1.0+z9",
	"1.0+0",
	"1.0+0.a",
	"1.0+1",
	"1.0+1.a",
	"1.0+1.0",
	"1.0+2",
	"1.0+10",
	"1.0+99999999999999999999999",
	"1.0.post0.dev0",
	"1.0.post0",
	"1.0.post0+local",
	"1.0.post1.dev0",
	"1.0.post1",
	"1.0.post2",
	"1.0.post10",
	"1.0.0.1.dev0",
	"1.0.0.1",
	"1.0.1",
	"1.0.10",
	"1.1",
	"1.2",
	"1.10",
	"1.99999999999999999999999",
	"1.100000000000000000000000",
	"2",
	"18446744073709551616",
	"99999999999999999999999999999999",
	"1!0",
	"1!1.0",
	"2!0.dev0",
	"18446744073709551616!0",
};

static void
more_order(void **state)
{
	(void)state;
	check_ascending(ascending, VG_ARRAY_LEN(ascending));
}

/* Different spellings of the same version, by the normalisation rules of PEP 440. */
static const char *const equal_pairs[][2] = {
	{"1.0-1", "1.0.post1"},
	{"1.0RC1", "1.0rc1"},
	{"v1.0", "1.0"},
	{"V1.0", "1.0"},
	{"1.0", "1.0.0"},
	{"1", "1.0.0.0.0"},
	{"1.0.0a1", "1.0a1"},
	{"01.02", "1.2"},
	{"1.00000000000000000000001", "1.1"},
	{"0!1.0", "1.0"},
	{"000!1.0", "1.0"},
	{"1.0alpha1", "1.0a1"},
	{"1.0ALPHA1", "1.0a1"},
	{"1.0beta2", "1.0b2"},
	{"1.0c1", "1.0rc1"},
	{"1.0pre1", "1.0rc1"},
	{"1.0preview1", "1.0rc1"},
	{"1.0-preview-1", "1.0rc1"},
	{"1.0.beta.2", "1.0b2"},
	{"1.0_a_1", "1.0a1"},
	{"1.0a", "1.0a0"},
	{"1.0a-", "1.0a0"},
	{"1.0a--1", "1.0a0.post1"},
	{"1.0a-1", "1.0a1"},
	{"1.0a01", "1.0a1"},
	{"1.0rev1", "1.0.post1"},
	{"1.0.rev1", "1.0.post1"},
	{"1.0r1", "1.0.post1"},
	{"1.0-r1", "1.0.post1"},
	{"1.0-post-1", "1.0.post1"},
	{"1.0_post_1", "1.0.post1"},
	{"1.0POST1", "1.0.post1"},
	{"1.0.post", "1.0.post0"},
	{"1.0.post.", "1.0.post0"},
	{"1.0r", "1.0.post0"},
	{"1.0.dev", "1.0.dev0"},
	{"1.0-dev-1", "1.0.dev1"},
	{"1.0DEV1", "1.0.dev1"},
	{"1.0a1-1", "1.0a1.post1"},
	{"1.0a1.post1.dev1", "1.0a1-1.dev1"},
	{"1.0apost1", "1.0a0.post1"},
	{"1.0adev", "1.0a0.dev0"},
	{"1.0+ubuntu-1", "1.0+ubuntu.1"},
	{"1.0+ubuntu_1", "1.0+ubuntu.1"},
	{"1.0+UBUNTU.1", "1.0+ubuntu.1"},
	{"1.0+01", "1.0+1"},
	{"1.0+abc.0", "1.0+abc.00"},
	{"1.0a.+local", "1.0a0+local"},
	{" 1.0", "1.0"},
	{"1.0 ", "1.0"},
	{"\t1.0\r\n", "1.0"},
	{"\v\f 1.0", "1.0"},
	{"\0341.0\x1f", "1.0"}, /* U+001C and U+001F are white space to Python */
	{"  v1!2.0rc3.post4.dev5+AbC.6  ", "1!2.0rc3.post4.dev5+abc.6"},
};

static void
normalisation(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(equal_pairs); i++) {
		int ab = compare_ok(equal_pairs[i][0], equal_pairs[i][1]);
		int ba = compare_ok(equal_pairs[i][1], equal_pairs[i][0]);

		if (ab != 0 || ba != 0)
			print_message("'%s' vs '%s': got %d/%d, want equal\n", equal_pairs[i][0],
				      equal_pairs[i][1], ab, ba);
		assert_int_equal(ab, 0);
		assert_int_equal(ba, 0);
	}
}

struct cmp_case {
	const char *a;
	const char *b;
	int cmp;
};

/* Single comparisons that the lists above do not show directly. */
static const struct cmp_case cmp_cases[] = {
	{"1.0+ubuntu.1", "1.0", 1},
	{"1.0+ubuntu.1", "1.0.post1", -1},
	{"1.0+ubuntu.1", "1.0+ubuntu.2", -1},
	{"1.0+ubuntu.10", "1.0+ubuntu.9", 1},
	{"1.0+ubuntu", "1.0+ubuntu.1", -1},
	{"1.0+abc", "1.0+1", -1},
	{"1.0+1a", "1.0+1", -1},
	{"1.0+B", "1.0+a", 1},
	{"1.0.dev1", "1.0a1", -1},
	{"1.0.dev1", "1.0a1.dev1", -1},
	{"1.0.dev1", "0.9", 1},
	{"1.0a1.dev1", "1.0a1", -1},
	{"1.0.post1.dev1", "1.0", 1},
	{"1.0.post1.dev1", "1.0.post1", -1},
	{"1.0.post1.dev1", "1.0+local", 1},
	{"1.0rc1", "1.0c2", -1},
	{"1.0rc2", "1.0pre1", 1},
	{"1!0.1", "2.0", 1},
	{"1!0", "0!99999999999999999999999999", 1},
	{"2.0", "10.0", -1},
	{"1.0.0.0.1", "1.0", 1},
	{"1.0-1", "1.0", 1},
	{"1.0-1", "1.0.post2", -1},
	{"1.0.dev18446744073709551616", "1.0.dev18446744073709551615", 1},
};

static void
compare_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cmp_cases); i++) {
		const struct cmp_case *c = &cmp_cases[i];
		int ab = compare_ok(c->a, c->b);
		int ba = compare_ok(c->b, c->a);

		if (ab != c->cmp || ba != -c->cmp)
			print_message("'%s' vs '%s': got %d/%d, want %d\n", c->a, c->b, ab, ba,
				      c->cmp);
		assert_int_equal(ab, c->cmp);
		assert_int_equal(ba, -c->cmp);
	}
}

struct invalid_case {
	const char *v;
	size_t len; /* 0: strlen(v) */
};

/* Strings packaging.version.Version rejects (InvalidVersion). */
static const struct invalid_case invalid_versions[] = {
	{"", 0},
	{" ", 0},
	{"\n", 0},
	{"v", 0},
	{"vv1.0", 0},
	{"latest", 0},
	{"==1.0", 0},
	{"1.0.*", 0},
	{".1", 0},
	{"1.", 0},
	{"1..0", 0},
	{"1.0.", 0},
	{"1.0-", 0},
	{"1.0_", 0},
	{"1.0_1", 0},
	{"1.0.x", 0},
	{"1.0-foo", 0},
	{"1.0~1", 0},
	{"1.0^1", 0},
	{"1,0", 0},
	{"1 .0", 0},
	{"1.0 1", 0},
	{"1.0 +abc", 0},
	{"1.0\t+abc", 0},
	{"!1.0", 0},
	{"1!", 0},
	{"1!v2", 0},
	{"1!2!3", 0},
	{"1.2!3", 0},
	{"-1!2", 0},
	{"1.0a1b1", 0},
	{"1.0a1a1", 0},
	{"1.0a1.post1.post2", 0},
	{"1.0.dev1.dev2", 0},
	{"1.0.dev1a1", 0},
	{"1.0.dev1.post1", 0},
	{"1.0.post1a1", 0},
	{"1.0post1post", 0},
	{"1.0p1", 0},
	{"1.0pr1", 0},
	{"1.0alph1", 0},
	{"1.0--1", 0},
	{"1.0-1-1", 0},
	{"1.0.1-", 0},
	{"1.0+", 0},
	{"1.0+abc.", 0},
	{"1.0+abc..1", 0},
	{"1.0+.abc", 0},
	{"1.0+-abc", 0},
	{"1.0+abc_", 0},
	{"1.0+abc+def", 0},
	{"1.0+a b", 0},
	{"1.0+a~b", 0},
	{"1.0\0", 4},
	{"\0001.0", 4},
	{"1\0.0", 4},
	{"1.0\xc3\xa9", 0},
	{"\357\273\2771.0", 0}, /* UTF-8 BOM */
	{"1.0\x7f", 0},
	{"1.0\x1b", 0},
};

static void
rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(invalid_versions); i++) {
		const struct invalid_case *c = &invalid_versions[i];
		struct vg_str v = vg_str_n(c->v, c->len ? c->len : strlen(c->v));
		struct vg_str good = VG_STR_LIT("1.0");
		struct vg_err err;
		int cmp = 42;
		int rc;

		vg_err_clear(&err);
		rc = vg_pep440_validate(v, &err);
		if (rc != VG_EINVAL)
			print_message("case %zu '%.*s' accepted\n", i, (int)v.len, c->v);
		assert_int_equal(rc, VG_EINVAL);
		assert_int_equal(err.code, VG_EINVAL);
		assert_true(err.msg[0] != '\0');
		assert_true(err.column >= 1 && (size_t)err.column <= v.len + 1);
		assert_int_equal(vg_pep440_validate(v, NULL), VG_EINVAL);

		vg_err_clear(&err);
		assert_int_equal(vg_pep440_compare(v, good, &cmp, &err), VG_EINVAL);
		assert_non_null(strstr(err.msg, "first"));
		vg_err_clear(&err);
		assert_int_equal(vg_pep440_compare(good, v, &cmp, &err), VG_EINVAL);
		assert_non_null(strstr(err.msg, "second"));
		assert_int_equal(vg_pep440_compare(v, v, &cmp, NULL), VG_EINVAL);
		assert_int_equal(cmp, 42);
	}
}

/*
 * Deliberate difference: packaging works on Unicode text, so its regex (with
 * re.IGNORECASE and \s) also accepts a few non-ASCII spellings: U+0085 or
 * U+00A0 as surrounding white space, U+017F for 's' ("1.0.po\u017ft1"),
 * U+0131 for 'i' ("1.0prev\u0131ew"), U+212A for 'k' in a local label.
 * Vigil reads bytes and accepts ASCII only, as PEP 440 specifies.
 */
static void
non_ascii(void **state)
{
	static const char *const cases[] = {
		"1.0\xc2\x85",       "\302\2401.0",      "1.0.po\305\277t1",
		"1.0prev\304\261ew", "1.0+\xe2\x84\xaa",
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++)
		assert_int_equal(vg_pep440_validate(vg_str_c(cases[i]), NULL), VG_EINVAL);
}

/* Messages name the problem and the 1-based column where it was found. */
static void
error_details(void **state)
{
	static const struct {
		const char *v;
		int column;
		const char *words;
	} cases[] = {
		{"", 1, "empty"},
		{"latest", 1, "release number"},
		{"1!", 3, "epoch"},
		{"1.2!3", 4, "epoch"},
		{"1.0+abc.", 8, "local"},
		{"1.0-foo", 4, "unexpected"},
		{"  1.0 x", 6, "unexpected"},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_err err;

		vg_err_clear(&err);
		assert_int_equal(vg_pep440_validate(vg_str_c(cases[i].v), &err), VG_EINVAL);
		if (err.column != cases[i].column || !strstr(err.msg, cases[i].words))
			print_message("'%s': column %d, '%s'\n", cases[i].v, err.column, err.msg);
		assert_int_equal(err.column, cases[i].column);
		assert_non_null(strstr(err.msg, cases[i].words));
	}
}

static int
cmp_for_qsort(const void *x, const void *y)
{
	return compare_ok(*(const char *const *)x, *(const char *const *)y);
}

/*
 * Antisymmetry and transitivity over every valid version in this file:
 * sort them, then every pair must agree with the sorted positions.
 */
static void
total_order(void **state)
{
	const char *v[VG_ARRAY_LEN(pep_summary) + VG_ARRAY_LEN(ascending) +
		      2 * VG_ARRAY_LEN(equal_pairs) + 2 * VG_ARRAY_LEN(cmp_cases)];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(pep_summary); i++)
		v[n++] = pep_summary[i];
	for (size_t i = 0; i < VG_ARRAY_LEN(ascending); i++)
		v[n++] = ascending[i];
	for (size_t i = 0; i < VG_ARRAY_LEN(equal_pairs); i++) {
		v[n++] = equal_pairs[i][0];
		v[n++] = equal_pairs[i][1];
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(cmp_cases); i++) {
		v[n++] = cmp_cases[i].a;
		v[n++] = cmp_cases[i].b;
	}
	qsort(v, n, sizeof(v[0]), cmp_for_qsort);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i; j < n; j++) {
			int ij = compare_ok(v[i], v[j]), ji = compare_ok(v[j], v[i]);

			if (ij > 0 || ij != -ji)
				print_message("'%s' vs '%s': %d / %d\n", v[i], v[j], ij, ji);
			assert_true(ij <= 0);
			assert_int_equal(ij, -ji);
			if (i == j)
				assert_int_equal(ij, 0);
		}
	}
}

/* Versions are slices: bytes past len are never read or considered. */
static void
slices(void **state)
{
	static const char buf[] = "1.0rc1.post2+abc.x!";
	char *heap;
	int cmp = 9;

	(void)state;
	assert_int_equal(vg_pep440_validate(vg_str_n(buf, 6), NULL), VG_OK);
	assert_int_equal(vg_pep440_validate(vg_str_n(buf, 16), NULL), VG_OK);
	assert_int_equal(vg_pep440_validate(vg_str_n(buf, 17), NULL), VG_EINVAL);
	assert_int_equal(vg_pep440_validate(vg_str_n(buf, sizeof(buf) - 1), NULL), VG_EINVAL);
	assert_int_equal(vg_pep440_compare(vg_str_n(buf, 6), VG_STR_LIT("1.0rc1"), &cmp, NULL),
			 VG_OK);
	assert_int_equal(cmp, 0);
	assert_int_equal(vg_pep440_validate(vg_str_n(NULL, 0), NULL), VG_EINVAL);
	/* Heap copies without a terminator, so ASan catches any over-read. */
	static const char *const tails[] = {"1.0a", "1.0-", "1.0+", "1.0.", "1.0r", "1!", "1.0 "};
	for (size_t i = 0; i < VG_ARRAY_LEN(tails); i++) {
		size_t len = strlen(tails[i]);

		heap = vg_xmalloc(len);
		memcpy(heap, tails[i], len);
		int rc = vg_pep440_validate(vg_str_n(heap, len), NULL);

		assert_int_equal(
			vg_pep440_compare(vg_str_n(heap, len), vg_str_n(heap, len), &cmp, NULL),
			rc);
		free(heap);
	}
}

static void
length_limit(void **state)
{
	char *v = vg_xmalloc(VG_VER_MAX_LEN + 1);
	struct vg_err err;
	int cmp = 9;

	(void)state;
	/* "1.1.1...1": a valid version exactly at the limit (odd length ends in a digit). */
	for (size_t i = 0; i < VG_VER_MAX_LEN + 1; i++)
		v[i] = (i % 2) ? '.' : '1';
	assert_int_equal(vg_pep440_validate(vg_str_n(v, VG_VER_MAX_LEN - 1), NULL), VG_OK);
	v[VG_VER_MAX_LEN - 1] = '0';
	assert_int_equal(vg_pep440_validate(vg_str_n(v, VG_VER_MAX_LEN), NULL), VG_OK);
	assert_int_equal(vg_pep440_compare(vg_str_n(v, VG_VER_MAX_LEN),
					   vg_str_n(v, VG_VER_MAX_LEN - 1), &cmp, NULL),
			 VG_OK);
	assert_int_equal(cmp, 1); /* "...1.10" > "...1.1" */
	vg_err_clear(&err);
	assert_int_equal(vg_pep440_validate(vg_str_n(v, VG_VER_MAX_LEN + 1), &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "longer"));
	/* One number as long as the limit allows. */
	memset(v, '9', VG_VER_MAX_LEN);
	assert_int_equal(
		vg_pep440_compare(vg_str_n(v, VG_VER_MAX_LEN), VG_STR_LIT("1"), &cmp, NULL), VG_OK);
	assert_int_equal(cmp, 1);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pep_summary_order),
		cmocka_unit_test(more_order),
		cmocka_unit_test(normalisation),
		cmocka_unit_test(compare_cases),
		cmocka_unit_test(rejects),
		cmocka_unit_test(non_ascii),
		cmocka_unit_test(error_details),
		cmocka_unit_test(total_order),
		cmocka_unit_test(slices),
		cmocka_unit_test(length_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
