/*
 * test_cvss.c - unit tests of src/core/cvss.c.
 *
 * Runs every row of the shared CVSS vector tables (v2 base/temporal/
 * environmental, v3.0/v3.1 base/temporal/environmental, v4.0 score), then
 * hand-written cases: malformed vectors, severity bands, flags and
 * nomenclature, and a few well-known real vectors.  Scores are compared as
 * integer tenths, never as raw doubles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cvss.h"
#include "vgtest.h"

/* A score as integer tenths. */
static int
tenths(double score)
{
	return (int)lround(score * 10.0);
}

/* Parse a table score such as "9.8" or "10.0" into tenths; false if empty or malformed. */
static bool
parse_tenths(const char *s, int *out)
{
	int whole = 0, n = 0;

	if (!s[0])
		return false;
	while (s[n] >= '0' && s[n] <= '9' && n < 3)
		whole = whole * 10 + (s[n++] - '0');
	if (n == 0 || s[n] != '.' || s[n + 1] < '0' || s[n + 1] > '9' || s[n + 2] != '\0')
		return false;
	*out = whole * 10 + (s[n + 1] - '0');
	return true;
}

/* Check one score column; an empty expected field is skipped (group absent). */
static bool
check_column(const char *name, const char *expected, double actual, int lineno, const char *vector)
{
	int want;

	if (!expected[0])
		return true;
	if (!parse_tenths(expected, &want)) {
		print_message("line %d: %s: bad expected %s '%s'\n", lineno, vector, name,
			      expected);
		return false;
	}
	if (tenths(actual) == want)
		return true;
	print_message("line %d: %s: %s expected %s, got %.1f\n", lineno, vector, name, expected,
		      actual);
	return false;
}

/*
 * Run every row of @table: parse the vector, check the version and each
 * score column listed in @cols, and (for v2) that the presence flags match
 * the emptiness of the temporal/environmental columns.
 */
static void
run_table(const char *table, const char *const *cols, size_t ncols, bool check_flags)
{
	char *path = vgt_shared_path(table);
	int declared = vgt_tsv_announced_rows(path), rows = 0, failed = 0;
	struct vgt_tsv t;

	vgt_tsv_open(&t, path);
	while (vgt_tsv_next(&t)) {
		const char *vector = vgt_tsv_get(&t, "vector");
		const char *version = vgt_tsv_get(&t, "cvss_version");
		struct vg_cvss c;
		struct vg_err err;
		bool ok = true;
		int rc;

		rows++;
		rc = vg_cvss_parse(vg_str_c(vector), &c, &err);
		if (rc != VG_OK) {
			print_message("line %d: %s: rejected: %s\n", t.lineno, vector, err.msg);
			failed++;
			continue;
		}
		if (strcmp(version, vg_cvss_version_name(c.version)) != 0) {
			print_message("line %d: %s: version expected %s, got %s\n", t.lineno,
				      vector, version, vg_cvss_version_name(c.version));
			ok = false;
		}
		for (size_t i = 0; i < ncols; i++) {
			double actual = strcmp(cols[i], "temporal") == 0        ? c.temporal
					: strcmp(cols[i], "environmental") == 0 ? c.environmental
										: c.base;

			ok &= check_column(cols[i], vgt_tsv_get(&t, cols[i]), actual, t.lineno,
					   vector);
		}
		if (check_flags) {
			bool has_t = vgt_tsv_get(&t, "temporal")[0] != '\0';
			bool has_e = vgt_tsv_get(&t, "environmental")[0] != '\0';

			if (has_t != ((c.flags & VG_CVSS_HAS_TEMPORAL) != 0) ||
			    has_e != ((c.flags & VG_CVSS_HAS_ENVIRONMENTAL) != 0)) {
				print_message("line %d: %s: flags 0x%x disagree with the columns\n",
					      t.lineno, vector, c.flags);
				ok = false;
			}
		}
		failed += !ok;
	}
	vgt_tsv_close(&t);
	print_message("%s: %d rows, %d failed\n", table, rows, failed);
	free(path);
	assert_int_equal(failed, 0);
	vgt_assert_rows(rows, declared);
}

static void
test_v2_table(void **state)
{
	static const char *const cols[] = {"base", "temporal", "environmental"};

	(void)state;
	run_table("vectors/cvss_v2_scores.tsv", cols, VG_ARRAY_LEN(cols), true);
}

static void
test_v3_table(void **state)
{
	static const char *const cols[] = {"base", "temporal", "environmental"};

	(void)state;
	run_table("vectors/cvss_v3_scores.tsv", cols, VG_ARRAY_LEN(cols), false);
}

static void
test_v4_table(void **state)
{
	static const char *const cols[] = {"score"};

	(void)state;
	run_table("vectors/cvss_v4_scores.tsv", cols, VG_ARRAY_LEN(cols), false);
}

/* ------------------------------------------------------------------------ */

#define V31_BASE "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
#define V4_BASE  "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
#define V2_BASE  "AV:N/AC:L/Au:N/C:P/I:P/A:P"

struct bad_case {
	const char *vector;
	const char *msg_part; /* expected substring of the message, or NULL */
};

static void
expect_invalid(struct vg_str v, const char *msg_part, const char *label)
{
	struct vg_cvss c;
	struct vg_err err;
	int rc = vg_cvss_parse(v, &c, &err);

	if (rc != VG_EINVAL)
		fail_msg("'%s': expected VG_EINVAL, got %d", label, rc);
	assert_int_equal(err.code, VG_EINVAL);
	if (err.msg[0] == '\0')
		fail_msg("'%s': empty error message", label);
	if (msg_part && !strstr(err.msg, msg_part))
		fail_msg("'%s': message '%s' lacks '%s'", label, err.msg, msg_part);
	/* err may be NULL. */
	assert_int_equal(vg_cvss_parse(v, &c, NULL), VG_EINVAL);
}

static void
test_invalid_vectors(void **state)
{
	static const struct bad_case cases[] = {
		{"", "empty"},
		{"AV:N/AC:L/Au:N/C:P/I:P", "missing base metric 'A'"},
		{"CVSS:3.1/AV:N/AC:L/UI:N/S:U/C:H/I:H/A:H", "missing base metric 'PR'"},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", "missing base metric 'S'"},
		{V31_BASE "/AC:H", "duplicate metric 'AC'"},
		{V2_BASE "/AV:L", "duplicate metric 'AV'"},
		{V4_BASE "/E:A/E:A", "duplicate metric 'E'"},
		{V31_BASE "/XX:N", "unknown metric 'XX'"},
		{V2_BASE "/MAV:N", "unknown metric 'MAV'"},
		{V31_BASE "/Au:N", "unknown metric 'Au'"},
		{V4_BASE "/RL:O", "unknown metric 'RL'"},
		{"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		 "unknown value 'X' for metric 'AV'"},
		{"CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown value 'n'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:ND", "unknown value 'ND'"},
		{V2_BASE "/E:X", "unknown value 'X' for metric 'E'"},
		{V4_BASE "/U:clear", "unknown value 'clear' for metric 'U'"},
		{V4_BASE "/MSC:S", "unknown value 'S' for metric 'MSC'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
		 "unknown value"},
		{"CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown value 'N:L'"},
		{"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unsupported cvss version"},
		{"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "unsupported cvss version"},
		{"CVSS:3.1", "unsupported cvss version"},
		{"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'cvss'"},
		{"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'PR'"},
		{"CVSS:3.1/", "no metrics"},
		{V31_BASE "/", "trailing '/'"},
		{V2_BASE "/", "trailing '/'"},
		{"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "empty metric"},
		{"CVSS:3.1/AV/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "malformed metric 'AV'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
		 "missing base metric 'SA'"},
		{"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		 "missing base metric 'AT'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/E:A",
		 "missing base metric 'SC'"},
		{"(" V2_BASE, "unbalanced"},
		{"()", "unbalanced"},
		{V2_BASE ")", "unknown value 'P)'"},
		{" " V31_BASE, "unknown metric"},
		{V31_BASE " ", "unknown value 'H '"},
	};
	char big[VG_CVSS_MAX_LEN + 2];

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++)
		expect_invalid(vg_str_c(cases[i].vector), cases[i].msg_part, cases[i].vector);

	/* A NUL byte inside the slice is data, not a terminator. */
	expect_invalid(vg_str_n("AV:N\0/AC:L/Au:N/C:P/I:P/A:P", 27), "unknown value", "NUL");
	expect_invalid(vg_str_n(V2_BASE, 0), "empty", "zero-length slice");

	/* Overlong: a valid vector padded past the limit is still rejected. */
	memset(big, 'A', sizeof(big));
	memcpy(big, V31_BASE, strlen(V31_BASE));
	expect_invalid(vg_str_n(big, sizeof(big)), "longer than", "overlong");
	expect_invalid(vg_str_n(big, VG_CVSS_MAX_LEN + 1), "longer than", "overlong by one");
}

static void
test_error_column(void **state)
{
	struct vg_cvss c;
	struct vg_err err;

	(void)state;
	/* The duplicate "AC:H" starts at byte 45, column 46. */
	assert_int_equal(vg_cvss_parse(vg_str_c(V31_BASE "/AC:H"), &c, &err), VG_EINVAL);
	assert_int_equal(err.column, (int)strlen(V31_BASE) + 2);
	/* v2 inside parentheses: columns still count from the '('. */
	assert_int_equal(vg_cvss_parse(vg_str_c("(AV:Q/AC:L/Au:N/C:P/I:P/A:P)"), &c, &err),
			 VG_EINVAL);
	assert_int_equal(err.column, 2);
}

struct known_case {
	const char *vector;
	enum vg_cvss_version version;
	const char *base, *temporal, *environmental;
	enum vg_severity severity;
};

static void
test_known_vectors(void **state)
{
	static const struct known_case cases[] = {
		/* CVE-2021-44228 (Log4Shell). */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", VG_CVSS_V31, "10.0", "10.0",
		 "10.0", VG_SEV_CRITICAL},
		{V31_BASE, VG_CVSS_V31, "9.8", "9.8", "9.8", VG_SEV_CRITICAL},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", VG_CVSS_V30, "9.8", "9.8", "9.8",
		 VG_SEV_CRITICAL},
		/* CVE-2014-0160 (Heartbleed), NVD v3.1 and v2. */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", VG_CVSS_V31, "7.5", "7.5", "7.5",
		 VG_SEV_HIGH},
		{"AV:N/AC:L/Au:N/C:P/I:N/A:N", VG_CVSS_V2, "5.0", "5.0", "5.0", VG_SEV_MEDIUM},
		/* NVD feed style with parentheses. */
		{"(" V2_BASE ")", VG_CVSS_V2, "7.5", "7.5", "7.5", VG_SEV_HIGH},
		{"AV:N/AC:L/Au:N/C:C/I:C/A:C", VG_CVSS_V2, "10.0", "10.0", "10.0", VG_SEV_HIGH},
		/* The v2 guide's worked example (CVE-2002-0392). */
		{"AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C", VG_CVSS_V2, "7.8", "6.4", "6.4",
		 VG_SEV_HIGH},
		/* Metric order is not enforced. */
		{"CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N", VG_CVSS_V31, "9.8", "9.8", "9.8",
		 VG_SEV_CRITICAL},
		/* v3.1 sample from the specification's examples (CVE-2013-1937-like). */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", VG_CVSS_V31, "6.1", "6.1", "6.1",
		 VG_SEV_MEDIUM},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", VG_CVSS_V31, "0.0", "0.0", "0.0",
		 VG_SEV_NONE},
		/* v4.0: the specification's default high-impact network vector. */
		{V4_BASE, VG_CVSS_V40, "9.3", "9.3", "9.3", VG_SEV_CRITICAL},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", VG_CVSS_V40,
		 "0.0", "0.0", "0.0", VG_SEV_NONE},
		/* All-maximal v4.0 vector with Safety. */
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MSI:S/MSA:S",
		 VG_CVSS_V40, "10.0", "10.0", "10.0", VG_SEV_CRITICAL},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		const struct known_case *k = &cases[i];
		struct vg_cvss c;
		struct vg_err err;
		int want;

		if (vg_cvss_parse(vg_str_c(k->vector), &c, &err) != VG_OK)
			fail_msg("'%s' rejected: %s", k->vector, err.msg);
		assert_int_equal(c.version, k->version);
		assert_true(parse_tenths(k->base, &want));
		if (tenths(c.base) != want)
			fail_msg("'%s': base %.1f, expected %s", k->vector, c.base, k->base);
		assert_true(parse_tenths(k->temporal, &want));
		if (tenths(c.temporal) != want)
			fail_msg("'%s': temporal %.1f, expected %s", k->vector, c.temporal,
				 k->temporal);
		assert_true(parse_tenths(k->environmental, &want));
		if (tenths(c.environmental) != want)
			fail_msg("'%s': environmental %.1f, expected %s", k->vector,
				 c.environmental, k->environmental);
		assert_int_equal(vg_cvss_severity(c.version, c.base), k->severity);
	}
}

/*
 * v3.0 and v3.1 differ in the modified impact for a changed modified scope
 * (v3.1: 3.25 x (MISS x 0.9731 - 0.02)^13 instead of (MISS - 0.02)^15).
 */
static void
test_v30_v31_differences(void **state)
{
	static const struct {
		const char *metrics;
		int base, env30, env31;
	} cases[] = {
		{"AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H/MS:C", 88, 96, 97},
		{"AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C", 88, 99, 100},
		{"AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H/MS:C", 81, 90, 91},
		/* Same formula when the modified scope is unchanged. */
		{"AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H/MS:U", 96, 88, 88},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		char v30[128], v31[128];
		struct vg_cvss c30, c31;

		snprintf(v30, sizeof(v30), "CVSS:3.0/%s", cases[i].metrics);
		snprintf(v31, sizeof(v31), "CVSS:3.1/%s", cases[i].metrics);
		assert_int_equal(vg_cvss_parse(vg_str_c(v30), &c30, NULL), VG_OK);
		assert_int_equal(vg_cvss_parse(vg_str_c(v31), &c31, NULL), VG_OK);
		assert_int_equal(c30.version, VG_CVSS_V30);
		assert_int_equal(c31.version, VG_CVSS_V31);
		assert_int_equal(tenths(c30.base), cases[i].base);
		assert_int_equal(tenths(c31.base), cases[i].base);
		assert_int_equal(tenths(c30.environmental), cases[i].env30);
		assert_int_equal(tenths(c31.environmental), cases[i].env31);
	}
}

/*
 * v2 environmental equation: a low AdjustedImpact can make the adjusted base
 * score negative (-0.2 here), and that negative value is carried through
 * AdjustedTemporal into the CDP term before the final score is clamped.
 */
static void
test_v2_negative_adjusted_base(void **state)
{
	struct vg_cvss c;

	(void)state;
	assert_int_equal(
		vg_cvss_parse(vg_str_c("AV:L/AC:H/Au:M/C:P/I:N/A:N/CDP:H/TD:H/CR:L"), &c, NULL),
		VG_OK);
	assert_int_equal(tenths(c.base), 8);
	assert_int_equal(tenths(c.environmental), 49); /* (-0.2 + 10.2 x 0.5) x 1 */
	assert_int_equal(
		vg_cvss_parse(vg_str_c("AV:L/AC:H/Au:M/C:P/I:N/A:N/CDP:N/TD:H/CR:L"), &c, NULL),
		VG_OK);
	assert_int_equal(tenths(c.environmental), 0); /* -0.2 clamped */
	/* Without environmental metrics the environmental score is the temporal one. */
	assert_int_equal(
		vg_cvss_parse(vg_str_c("AV:L/AC:L/Au:N/C:C/I:C/A:C/E:U/RL:OF/RC:UC"), &c, NULL),
		VG_OK);
	assert_int_equal(tenths(c.base), 72);
	assert_int_equal(tenths(c.temporal), 48);
	assert_int_equal(tenths(c.environmental), 48);
	/* With them, AdjustedImpact is capped at 10 (Impact is 10.0008 here). */
	assert_int_equal(vg_cvss_parse(vg_str_c("AV:L/AC:L/Au:N/C:C/I:C/A:C/E:U/RL:OF/RC:UC/TD:H"),
				       &c, NULL),
			 VG_OK);
	assert_int_equal(tenths(c.environmental), 47);
}

static void
test_flags_and_nomenclature(void **state)
{
	static const struct {
		const char *vector;
		unsigned flags;
		const char *nomenclature;
	} cases[] = {
		{V4_BASE, 0, "CVSS-B"},
		{V4_BASE "/E:A", VG_CVSS_HAS_TEMPORAL, "CVSS-BT"},
		{V4_BASE "/E:X", 0, "CVSS-B"},
		{V4_BASE "/CR:H", VG_CVSS_HAS_ENVIRONMENTAL, "CVSS-BE"},
		{V4_BASE "/MAV:L", VG_CVSS_HAS_ENVIRONMENTAL, "CVSS-BE"},
		{V4_BASE "/E:P/MVC:L", VG_CVSS_HAS_TEMPORAL | VG_CVSS_HAS_ENVIRONMENTAL,
		 "CVSS-BTE"},
		{V4_BASE "/S:P/AU:Y/U:Red", 0, "CVSS-B"},
		{V31_BASE, 0, "CVSS"},
		{V31_BASE "/E:P", VG_CVSS_HAS_TEMPORAL, "CVSS"},
		{V31_BASE "/E:X/RL:X/RC:X/CR:X", 0, "CVSS"},
		{V31_BASE "/MAV:L", VG_CVSS_HAS_ENVIRONMENTAL, "CVSS"},
		{V2_BASE "/E:ND/CDP:ND", 0, "CVSS"},
		{V2_BASE "/RC:UC/TD:L", VG_CVSS_HAS_TEMPORAL | VG_CVSS_HAS_ENVIRONMENTAL, "CVSS"},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_cvss c;
		struct vg_err err;

		if (vg_cvss_parse(vg_str_c(cases[i].vector), &c, &err) != VG_OK)
			fail_msg("'%s' rejected: %s", cases[i].vector, err.msg);
		if (c.flags != cases[i].flags)
			fail_msg("'%s': flags 0x%x, expected 0x%x", cases[i].vector, c.flags,
				 cases[i].flags);
		assert_string_equal(vg_cvss_nomenclature(&c), cases[i].nomenclature);
	}
	assert_string_equal(vg_cvss_nomenclature(NULL), "CVSS");
}

/* v4.0: one score; threat lowers it, supplemental metrics never change it. */
static void
test_v4_groups(void **state)
{
	static const char *const same[] = {
		V4_BASE "/S:P/AU:Y/R:I/V:C/RE:H/U:Red",
		V4_BASE "/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/"
			"MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X",
		V4_BASE "/E:A/CR:H/IR:H/AR:H",
		V4_BASE "/MAV:N/MAC:L/MAT:N/MPR:N/MUI:N/MVC:H/MVI:H/MVA:H/MSC:N/MSI:N/MSA:N",
	};
	struct vg_cvss ref, c;
	struct vg_err err;

	(void)state;
	assert_int_equal(vg_cvss_parse(vg_str_c(V4_BASE), &ref, &err), VG_OK);
	for (size_t i = 0; i < VG_ARRAY_LEN(same); i++) {
		if (vg_cvss_parse(vg_str_c(same[i]), &c, &err) != VG_OK)
			fail_msg("'%s' rejected: %s", same[i], err.msg);
		if (tenths(c.base) != tenths(ref.base))
			fail_msg("'%s': %.1f, expected %.1f", same[i], c.base, ref.base);
		assert_int_equal(tenths(c.temporal), tenths(c.base));
		assert_int_equal(tenths(c.environmental), tenths(c.base));
	}
	assert_int_equal(vg_cvss_parse(vg_str_c(V4_BASE "/E:U"), &c, &err), VG_OK);
	assert_true(tenths(c.base) < tenths(ref.base));
}

struct sev_case {
	enum vg_cvss_version version;
	double score;
	enum vg_severity sev;
};

static void
test_severity_bands(void **state)
{
	static const struct sev_case cases[] = {
		{VG_CVSS_V31, 0.0, VG_SEV_NONE},      {VG_CVSS_V31, 0.1, VG_SEV_LOW},
		{VG_CVSS_V31, 3.9, VG_SEV_LOW},       {VG_CVSS_V31, 4.0, VG_SEV_MEDIUM},
		{VG_CVSS_V31, 6.9, VG_SEV_MEDIUM},    {VG_CVSS_V31, 7.0, VG_SEV_HIGH},
		{VG_CVSS_V31, 8.9, VG_SEV_HIGH},      {VG_CVSS_V31, 9.0, VG_SEV_CRITICAL},
		{VG_CVSS_V31, 10.0, VG_SEV_CRITICAL}, {VG_CVSS_V30, 0.0, VG_SEV_NONE},
		{VG_CVSS_V30, 9.0, VG_SEV_CRITICAL},  {VG_CVSS_V40, 0.0, VG_SEV_NONE},
		{VG_CVSS_V40, 0.1, VG_SEV_LOW},       {VG_CVSS_V40, 3.9, VG_SEV_LOW},
		{VG_CVSS_V40, 4.0, VG_SEV_MEDIUM},    {VG_CVSS_V40, 6.9, VG_SEV_MEDIUM},
		{VG_CVSS_V40, 7.0, VG_SEV_HIGH},      {VG_CVSS_V40, 8.9, VG_SEV_HIGH},
		{VG_CVSS_V40, 9.0, VG_SEV_CRITICAL},  {VG_CVSS_V40, 10.0, VG_SEV_CRITICAL},
		{VG_CVSS_V2, 0.0, VG_SEV_LOW},        {VG_CVSS_V2, 3.9, VG_SEV_LOW},
		{VG_CVSS_V2, 4.0, VG_SEV_MEDIUM},     {VG_CVSS_V2, 6.9, VG_SEV_MEDIUM},
		{VG_CVSS_V2, 7.0, VG_SEV_HIGH},       {VG_CVSS_V2, 10.0, VG_SEV_HIGH},
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		enum vg_severity s = vg_cvss_severity(cases[i].version, cases[i].score);

		if (s != cases[i].sev)
			fail_msg("v%s %.1f: %s, expected %s",
				 vg_cvss_version_name(cases[i].version), cases[i].score,
				 vg_severity_name(s), vg_severity_name(cases[i].sev));
	}
	/* Computed scores such as 3.9000000000000004 stay in their band. */
	assert_int_equal(vg_cvss_severity(VG_CVSS_V31, 0.1 * 39.0), VG_SEV_LOW);
	assert_int_equal(vg_cvss_severity(VG_CVSS_V31, 0.1 * 69.0), VG_SEV_MEDIUM);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(vg_severity_name(VG_SEV_NONE), "NONE");
	assert_string_equal(vg_severity_name(VG_SEV_LOW), "LOW");
	assert_string_equal(vg_severity_name(VG_SEV_MEDIUM), "MEDIUM");
	assert_string_equal(vg_severity_name(VG_SEV_HIGH), "HIGH");
	assert_string_equal(vg_severity_name(VG_SEV_CRITICAL), "CRITICAL");
	assert_string_equal(vg_cvss_version_name(VG_CVSS_V2), "2.0");
	assert_string_equal(vg_cvss_version_name(VG_CVSS_V30), "3.0");
	assert_string_equal(vg_cvss_version_name(VG_CVSS_V31), "3.1");
	assert_string_equal(vg_cvss_version_name(VG_CVSS_V40), "4.0");
}

/* Every accepted vector scores on the one-decimal grid within [0, 10]. */
static void
test_scores_on_grid(void **state)
{
	static const char *const vectors[] = {
		V2_BASE "/E:U/RL:OF/RC:UC/CDP:H/TD:H/CR:H/IR:H/AR:H",
		V2_BASE "/TD:N",
		"CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N/E:U/RL:O/RC:U/CR:L/MS:U",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H/MS:C",
		"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/E:U",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:S",
	};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(vectors); i++) {
		struct vg_cvss c;
		const double *s[] = {&c.base, &c.temporal, &c.environmental};

		assert_int_equal(vg_cvss_parse(vg_str_c(vectors[i]), &c, NULL), VG_OK);
		for (size_t k = 0; k < 3; k++) {
			assert_true(*s[k] >= 0.0 && *s[k] <= 10.0);
			assert_true(fabs(*s[k] * 10.0 - round(*s[k] * 10.0)) < 1e-9);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_table),
		cmocka_unit_test(test_v3_table),
		cmocka_unit_test(test_v4_table),
		cmocka_unit_test(test_invalid_vectors),
		cmocka_unit_test(test_error_column),
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_v30_v31_differences),
		cmocka_unit_test(test_v2_negative_adjusted_base),
		cmocka_unit_test(test_flags_and_nomenclature),
		cmocka_unit_test(test_v4_groups),
		cmocka_unit_test(test_severity_bands),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_scores_on_grid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
