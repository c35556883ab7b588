/*
 * cvss.c - CVSS v2.0, v3.0, v3.1 and v4.0 vector parsing and scoring.
 *
 * Parsing is shared by every version: a vector is a '/'-separated list of
 * NAME:VALUE fields checked against a per-version metric table (exact,
 * case-sensitive names and values, no duplicates, every base metric
 * present).  Scoring follows each specification:
 *
 *   - v2.0: the base, temporal and environmental equations of "A Complete
 *     Guide to the Common Vulnerability Scoring System Version 2.0" §3.2,
 *     with round_to_1_decimal (half up) after each equation;
 *   - v3.0 / v3.1: the equations of the v3.0 specification §8 and the v3.1
 *     specification §7, including v3.1's changed modified-impact formula
 *     for a changed modified scope and its integer-based Roundup
 *     (Appendix A);
 *   - v4.0: the macro-vector scoring of the v4.0 specification §8 (EQ1-EQ6
 *     equivalence classes, the macro-vector lookup table, the highest
 *     severity vectors of each class and the mean proportional severity
 *     distance), as published with FIRST's reference calculator.
 *
 * Floating point: the v2/v3 equations are exact decimal computations in
 * the specifications; doubles carry a relative error near 1e-16, so the
 * rounding helpers absorb errors far smaller than the distance of any
 * reachable exact value from a rounding boundary, which keeps x.x5 ties and
 * exact tenths on the side the specification puts them.  The v4.0
 * interpolation is instead
 * defined by the reference calculator's own double arithmetic, which is
 * reproduced operation by operation, and its final "round half up after
 * adding 1e-6" is evaluated exactly on the resulting double.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "core/cvss.h"

/*
 * The v4.0 arithmetic must not be fused into FMAs behind our back (gcc
 * does not contract in ISO C mode; clang needs to be told).
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* Longest slice of user input quoted in an error message. */
#define QUOTE_MAX 40

/* Largest number of metrics of any version (v4.0 has 32). */
#define MAX_METRICS 32

enum group {
	G_BASE,     /* mandatory */
	G_TEMPORAL, /* v2/v3 temporal, v4.0 threat */
	G_ENV,      /* environmental (requirements and modified base metrics) */
	G_SUPPL,    /* v4.0 supplemental: validated, never scored */
};

/*
 * One metric of a version.  `values` is NULL-terminated; `weights` (v2/v3
 * only) is parallel to it.  `nd` is the index of the "not defined" value
 * that an absent optional metric takes, or -1 for a mandatory metric.
 */
struct metric {
	const char *name;
	const char *const *values;
	const double *weights;
	signed char nd;
	unsigned char group;
};

struct version_def {
	const struct metric *metrics;
	size_t count;
};

/* Parsed vector: the value index of every metric of the version. */
struct parsed {
	signed char v[MAX_METRICS];
};

static int
quote_len(struct vg_str s)
{
	return (int)(s.len < QUOTE_MAX ? s.len : QUOTE_MAX);
}

/* ------------------------------------------------------------------------ */
/* CVSS v2.0 metric table (guide §2 and §3.2.1-3.2.3 weights). */

enum {
	V2_AV,
	V2_AC,
	V2_AU,
	V2_C,
	V2_I,
	V2_A,
	V2_E,
	V2_RL,
	V2_RC,
	V2_CDP,
	V2_TD,
	V2_CR,
	V2_IR,
	V2_AR,
	V2_COUNT
};

static const char *const v2_av[] = {"L", "A", "N", NULL};
static const double v2_av_w[] = {0.395, 0.646, 1.0};
static const char *const v2_ac[] = {"H", "M", "L", NULL};
static const double v2_ac_w[] = {0.35, 0.61, 0.71};
static const char *const v2_au[] = {"M", "S", "N", NULL};
static const double v2_au_w[] = {0.45, 0.56, 0.704};
static const char *const v2_cia[] = {"N", "P", "C", NULL};
static const double v2_cia_w[] = {0.0, 0.275, 0.660};
static const char *const v2_e[] = {"U", "POC", "F", "H", "ND", NULL};
static const double v2_e_w[] = {0.85, 0.9, 0.95, 1.0, 1.0};
static const char *const v2_rl[] = {"OF", "TF", "W", "U", "ND", NULL};
static const double v2_rl_w[] = {0.87, 0.90, 0.95, 1.0, 1.0};
static const char *const v2_rc[] = {"UC", "UR", "C", "ND", NULL};
static const double v2_rc_w[] = {0.90, 0.95, 1.0, 1.0};
static const char *const v2_cdp[] = {"N", "L", "LM", "MH", "H", "ND", NULL};
static const double v2_cdp_w[] = {0.0, 0.1, 0.3, 0.4, 0.5, 0.0};
static const char *const v2_td[] = {"N", "L", "M", "H", "ND", NULL};
static const double v2_td_w[] = {0.0, 0.25, 0.75, 1.0, 1.0};
static const char *const v2_req[] = {"L", "M", "H", "ND", NULL};
static const double v2_req_w[] = {0.5, 1.0, 1.51, 1.0};

static const struct metric v2_metrics[V2_COUNT] = {
	[V2_AV] = {"AV", v2_av, v2_av_w, -1, G_BASE},
	[V2_AC] = {"AC", v2_ac, v2_ac_w, -1, G_BASE},
	[V2_AU] = {"Au", v2_au, v2_au_w, -1, G_BASE},
	[V2_C] = {"C", v2_cia, v2_cia_w, -1, G_BASE},
	[V2_I] = {"I", v2_cia, v2_cia_w, -1, G_BASE},
	[V2_A] = {"A", v2_cia, v2_cia_w, -1, G_BASE},
	[V2_E] = {"E", v2_e, v2_e_w, 4, G_TEMPORAL},
	[V2_RL] = {"RL", v2_rl, v2_rl_w, 4, G_TEMPORAL},
	[V2_RC] = {"RC", v2_rc, v2_rc_w, 3, G_TEMPORAL},
	[V2_CDP] = {"CDP", v2_cdp, v2_cdp_w, 5, G_ENV},
	[V2_TD] = {"TD", v2_td, v2_td_w, 4, G_ENV},
	[V2_CR] = {"CR", v2_req, v2_req_w, 3, G_ENV},
	[V2_IR] = {"IR", v2_req, v2_req_w, 3, G_ENV},
	[V2_AR] = {"AR", v2_req, v2_req_w, 3, G_ENV},
};

/* ------------------------------------------------------------------------ */
/* CVSS v3.0 / v3.1 metric table (v3.1 specification §7.4 weights). */

enum {
	V3_AV,
	V3_AC,
	V3_PR,
	V3_UI,
	V3_S,
	V3_C,
	V3_I,
	V3_A,
	V3_E,
	V3_RL,
	V3_RC,
	V3_CR,
	V3_IR,
	V3_AR,
	V3_MAV,
	V3_MAC,
	V3_MPR,
	V3_MUI,
	V3_MS,
	V3_MC,
	V3_MI,
	V3_MA,
	V3_COUNT
};

/*
 * Each modified metric lists "X" followed by the values of its base metric
 * in the same order, so value i of MXX is value i - 1 of XX.
 */
static const char *const v3_av[] = {"N", "A", "L", "P", NULL};
static const char *const v3_mav[] = {"X", "N", "A", "L", "P", NULL};
static const double v3_av_w[] = {0.85, 0.62, 0.55, 0.2};
static const char *const v3_ac[] = {"L", "H", NULL};
static const char *const v3_mac[] = {"X", "L", "H", NULL};
static const double v3_ac_w[] = {0.77, 0.44};
static const char *const v3_pr[] = {"N", "L", "H", NULL};
static const char *const v3_mpr[] = {"X", "N", "L", "H", NULL};
static const double v3_pr_w[] = {0.85, 0.62, 0.27};
static const double v3_pr_changed_w[] = {0.85, 0.68, 0.5};
static const char *const v3_ui[] = {"N", "R", NULL};
static const char *const v3_mui[] = {"X", "N", "R", NULL};
static const double v3_ui_w[] = {0.85, 0.62};
static const char *const v3_s[] = {"U", "C", NULL};
static const char *const v3_ms[] = {"X", "U", "C", NULL};
static const char *const v3_cia[] = {"H", "L", "N", NULL};
static const char *const v3_mcia[] = {"X", "H", "L", "N", NULL};
static const double v3_cia_w[] = {0.56, 0.22, 0.0};
static const char *const v3_e[] = {"X", "H", "F", "P", "U", NULL};
static const double v3_e_w[] = {1.0, 1.0, 0.97, 0.94, 0.91};
static const char *const v3_rl[] = {"X", "U", "W", "T", "O", NULL};
static const double v3_rl_w[] = {1.0, 1.0, 0.97, 0.96, 0.95};
static const char *const v3_rc[] = {"X", "C", "R", "U", NULL};
static const double v3_rc_w[] = {1.0, 1.0, 0.96, 0.92};
static const char *const v3_req[] = {"X", "H", "M", "L", NULL};
static const double v3_req_w[] = {1.0, 1.5, 1.0, 0.5};

static const struct metric v3_metrics[V3_COUNT] = {
	[V3_AV] = {"AV", v3_av, v3_av_w, -1, G_BASE},
	[V3_AC] = {"AC", v3_ac, v3_ac_w, -1, G_BASE},
	[V3_PR] = {"PR", v3_pr, v3_pr_w, -1, G_BASE},
	[V3_UI] = {"UI", v3_ui, v3_ui_w, -1, G_BASE},
	[V3_S] = {"S", v3_s, NULL, -1, G_BASE},
	[V3_C] = {"C", v3_cia, v3_cia_w, -1, G_BASE},
	[V3_I] = {"I", v3_cia, v3_cia_w, -1, G_BASE},
	[V3_A] = {"A", v3_cia, v3_cia_w, -1, G_BASE},
	[V3_E] = {"E", v3_e, v3_e_w, 0, G_TEMPORAL},
	[V3_RL] = {"RL", v3_rl, v3_rl_w, 0, G_TEMPORAL},
	[V3_RC] = {"RC", v3_rc, v3_rc_w, 0, G_TEMPORAL},
	[V3_CR] = {"CR", v3_req, v3_req_w, 0, G_ENV},
	[V3_IR] = {"IR", v3_req, v3_req_w, 0, G_ENV},
	[V3_AR] = {"AR", v3_req, v3_req_w, 0, G_ENV},
	[V3_MAV] = {"MAV", v3_mav, NULL, 0, G_ENV},
	[V3_MAC] = {"MAC", v3_mac, NULL, 0, G_ENV},
	[V3_MPR] = {"MPR", v3_mpr, NULL, 0, G_ENV},
	[V3_MUI] = {"MUI", v3_mui, NULL, 0, G_ENV},
	[V3_MS] = {"MS", v3_ms, NULL, 0, G_ENV},
	[V3_MC] = {"MC", v3_mcia, NULL, 0, G_ENV},
	[V3_MI] = {"MI", v3_mcia, NULL, 0, G_ENV},
	[V3_MA] = {"MA", v3_mcia, NULL, 0, G_ENV},
};

/* ------------------------------------------------------------------------ */
/* CVSS v4.0 metric table (v4.0 specification §2-§4 and §7). */

enum {
	V4_AV,
	V4_AC,
	V4_AT,
	V4_PR,
	V4_UI,
	V4_VC,
	V4_VI,
	V4_VA,
	V4_SC,
	V4_SI,
	V4_SA,
	V4_E,
	V4_CR,
	V4_IR,
	V4_AR,
	V4_MAV,
	V4_MAC,
	V4_MAT,
	V4_MPR,
	V4_MUI,
	V4_MVC,
	V4_MVI,
	V4_MVA,
	V4_MSC,
	V4_MSI,
	V4_MSA,
	V4_S,
	V4_AU,
	V4_R,
	V4_V,
	V4_RE,
	V4_U,
	V4_COUNT
};

/* Offset from a base metric to its modified counterpart. */
#define V4_MOD(m) ((m) + (V4_MAV - V4_AV))

static const char *const v4_av[] = {"N", "A", "L", "P", NULL};
static const char *const v4_mav[] = {"X", "N", "A", "L", "P", NULL};
static const char *const v4_ac[] = {"L", "H", NULL};
static const char *const v4_mac[] = {"X", "L", "H", NULL};
static const char *const v4_at[] = {"N", "P", NULL};
static const char *const v4_mat[] = {"X", "N", "P", NULL};
static const char *const v4_pr[] = {"N", "L", "H", NULL};
static const char *const v4_mpr[] = {"X", "N", "L", "H", NULL};
static const char *const v4_ui[] = {"N", "P", "A", NULL};
static const char *const v4_mui[] = {"X", "N", "P", "A", NULL};
static const char *const v4_imp[] = {"H", "L", "N", NULL};
static const char *const v4_mimp[] = {"X", "H", "L", "N", NULL};
static const char *const v4_msafety[] = {"X", "S", "H", "L", "N", NULL};
static const char *const v4_e[] = {"X", "A", "P", "U", NULL};
static const char *const v4_req[] = {"X", "H", "M", "L", NULL};
static const char *const v4_s[] = {"X", "N", "P", NULL};
static const char *const v4_au[] = {"X", "N", "Y", NULL};
static const char *const v4_r[] = {"X", "A", "U", "I", NULL};
static const char *const v4_v[] = {"X", "D", "C", NULL};
static const char *const v4_re[] = {"X", "L", "M", "H", NULL};
static const char *const v4_u[] = {"X", "Clear", "Green", "Amber", "Red", NULL};

static const struct metric v4_metrics[V4_COUNT] = {
	[V4_AV] = {"AV", v4_av, NULL, -1, G_BASE},
	[V4_AC] = {"AC", v4_ac, NULL, -1, G_BASE},
	[V4_AT] = {"AT", v4_at, NULL, -1, G_BASE},
	[V4_PR] = {"PR", v4_pr, NULL, -1, G_BASE},
	[V4_UI] = {"UI", v4_ui, NULL, -1, G_BASE},
	[V4_VC] = {"VC", v4_imp, NULL, -1, G_BASE},
	[V4_VI] = {"VI", v4_imp, NULL, -1, G_BASE},
	[V4_VA] = {"VA", v4_imp, NULL, -1, G_BASE},
	[V4_SC] = {"SC", v4_imp, NULL, -1, G_BASE},
	[V4_SI] = {"SI", v4_imp, NULL, -1, G_BASE},
	[V4_SA] = {"SA", v4_imp, NULL, -1, G_BASE},
	[V4_E] = {"E", v4_e, NULL, 0, G_TEMPORAL},
	[V4_CR] = {"CR", v4_req, NULL, 0, G_ENV},
	[V4_IR] = {"IR", v4_req, NULL, 0, G_ENV},
	[V4_AR] = {"AR", v4_req, NULL, 0, G_ENV},
	[V4_MAV] = {"MAV", v4_mav, NULL, 0, G_ENV},
	[V4_MAC] = {"MAC", v4_mac, NULL, 0, G_ENV},
	[V4_MAT] = {"MAT", v4_mat, NULL, 0, G_ENV},
	[V4_MPR] = {"MPR", v4_mpr, NULL, 0, G_ENV},
	[V4_MUI] = {"MUI", v4_mui, NULL, 0, G_ENV},
	[V4_MVC] = {"MVC", v4_mimp, NULL, 0, G_ENV},
	[V4_MVI] = {"MVI", v4_mimp, NULL, 0, G_ENV},
	[V4_MVA] = {"MVA", v4_mimp, NULL, 0, G_ENV},
	[V4_MSC] = {"MSC", v4_mimp, NULL, 0, G_ENV},
	[V4_MSI] = {"MSI", v4_msafety, NULL, 0, G_ENV},
	[V4_MSA] = {"MSA", v4_msafety, NULL, 0, G_ENV},
	[V4_S] = {"S", v4_s, NULL, 0, G_SUPPL},
	[V4_AU] = {"AU", v4_au, NULL, 0, G_SUPPL},
	[V4_R] = {"R", v4_r, NULL, 0, G_SUPPL},
	[V4_V] = {"V", v4_v, NULL, 0, G_SUPPL},
	[V4_RE] = {"RE", v4_re, NULL, 0, G_SUPPL},
	[V4_U] = {"U", v4_u, NULL, 0, G_SUPPL},
};

static const struct version_def v2_def = {v2_metrics, V2_COUNT};
static const struct version_def v3_def = {v3_metrics, V3_COUNT};
static const struct version_def v4_def = {v4_metrics, V4_COUNT};

/* ------------------------------------------------------------------------ */
/* Parsing. */

static int
find_metric(const struct version_def *def, struct vg_str name)
{
	for (size_t i = 0; i < def->count; i++) {
		if (vg_str_eqc(name, def->metrics[i].name))
			return (int)i;
	}
	return -1;
}

static int
find_value(const struct metric *m, struct vg_str value)
{
	for (int i = 0; m->values[i]; i++) {
		if (vg_str_eqc(value, m->values[i]))
			return i;
	}
	return -1;
}

/* Parse one NAME:VALUE field starting at 1-based column @col. */
static int
parse_field(const struct version_def *def, struct vg_str field, int col, struct parsed *pv,
	    struct vg_err *err)
{
	ptrdiff_t colon = vg_str_chr(field, ':');
	struct vg_str name, value;
	int mi, vi;

	if (colon < 0)
		return vg_error_at(err, VG_EINVAL, col,
				   "malformed metric '%.*s' (expected NAME:VALUE)",
				   quote_len(field), field.p);
	name = vg_str_sub(field, 0, (size_t)colon);
	value = vg_str_sub(field, (size_t)colon + 1, field.len);
	mi = find_metric(def, name);
	if (mi < 0)
		return vg_error_at(err, VG_EINVAL, col, "unknown metric '%.*s'", quote_len(name),
				   name.p);
	if (pv->v[mi] >= 0)
		return vg_error_at(err, VG_EINVAL, col, "duplicate metric '%s'",
				   def->metrics[mi].name);
	vi = find_value(&def->metrics[mi], value);
	if (vi < 0)
		return vg_error_at(err, VG_EINVAL, col, "unknown value '%.*s' for metric '%s'",
				   quote_len(value), value.p, def->metrics[mi].name);
	pv->v[mi] = (signed char)vi;
	return VG_OK;
}

/*
 * Parse the '/'-separated fields of @body, which starts at byte offset @off
 * of the whole vector (for error columns), then check that every base metric
 * is present and give absent optional metrics their "not defined" value.
 */
static int
parse_fields(const struct version_def *def, struct vg_str body, size_t off, struct parsed *pv,
	     struct vg_err *err)
{
	size_t i = 0;
	int rc;

	memset(pv->v, -1, sizeof(pv->v));
	for (;;) {
		size_t start = i;
		int col = (int)(off + start + 1);

		while (i < body.len && body.p[i] != '/')
			i++;
		if (i == start) {
			if (start == body.len && start > 0)
				return vg_error_at(err, VG_EINVAL, col, "trailing '/' in vector");
			return vg_error_at(err, VG_EINVAL, col, "empty metric in vector");
		}
		rc = parse_field(def, vg_str_sub(body, start, i - start), col, pv, err);
		if (rc < 0)
			return rc;
		if (i == body.len)
			break;
		i++;
	}
	for (size_t m = 0; m < def->count; m++) {
		if (pv->v[m] >= 0)
			continue;
		if (def->metrics[m].nd < 0)
			return vg_error(err, VG_EINVAL, "missing base metric '%s'",
					def->metrics[m].name);
		pv->v[m] = def->metrics[m].nd;
	}
	return VG_OK;
}

/* VG_CVSS_HAS_* flags for the groups in which some metric has a defined value. */
static unsigned
group_flags(const struct version_def *def, const struct parsed *pv)
{
	unsigned flags = 0;

	for (size_t m = 0; m < def->count; m++) {
		if (pv->v[m] == def->metrics[m].nd)
			continue;
		if (def->metrics[m].group == G_TEMPORAL)
			flags |= VG_CVSS_HAS_TEMPORAL;
		else if (def->metrics[m].group == G_ENV)
			flags |= VG_CVSS_HAS_ENVIRONMENTAL;
	}
	return flags;
}

/* ------------------------------------------------------------------------ */
/* Rounding.  The helpers return tenths; scores are clamped to [0, 100]. */

/*
 * The v2/v3 equations are exact decimal arithmetic in the specifications;
 * computed in doubles they are off by less than 1e-13.  A value that is
 * exactly on a tenth (or, for v2, exactly on a x.x5 tie) must round as the
 * exact value does, so the helpers shift by EXACT_TOL, in units of one
 * tenth.  This is safe because no reachable exact value lies within
 * EXACT_TOL of a boundary without being on it: an exhaustive comparison of
 * every v2 and v3.x metric combination against rational arithmetic showed
 * no such value (and the same scores as this code for all of them).
 */
#define EXACT_TOL 1e-9

static int
clamp_tenths(double t)
{
	if (!(t > 0.0))
		return 0;
	if (t > 100.0)
		return 100;
	return (int)t;
}

/*
 * v2 round_to_1_decimal: half up, ties away from zero.  Not clamped: the
 * v2 environmental equation carries a negative adjusted base score (a low
 * AdjustedImpact with low exploitability) into the adjusted temporal score
 * and the CDP term before the final score is clamped at 0.
 */
static int
round_half_up_tenths(double x)
{
	double t = floor(fabs(x) * 10.0 + 0.5 + EXACT_TOL);

	if (!(t < 1000.0))
		t = 1000.0;
	return x < 0.0 ? -(int)t : (int)t;
}

/* v3.0 Roundup: the smallest tenth equal to or higher than @x. */
static int
roundup30_tenths(double x)
{
	return clamp_tenths(ceil(x * 10.0 - EXACT_TOL));
}

/*
 * v3.1 Roundup (specification Appendix A): work on the value rounded to
 * five decimals as an integer, so that floating-point noise below 1e-5 can
 * never push a result up to the next tenth.
 */
static int
roundup31_tenths(double x)
{
	long long n;

	if (!(x > 0.0))
		return 0;
	if (x > 10.0)
		return 100;
	n = llround(x * 100000.0);
	return clamp_tenths((double)(n / 10000 + (n % 10000 != 0)));
}

/*
 * Round half up of the double @y to one decimal, exactly as a decimal
 * quantize of its binary value would: the candidate from floor() is checked
 * against the exact ties (k +/- 0.5) / 10 with fma(), whose single rounding
 * preserves the sign of y * 10 - tie.
 */
static int
round_half_up_exact_tenths(double y)
{
	double k = floor(y * 10.0 + 0.5);

	if (fma(y, 10.0, -(k + 0.5)) >= 0.0)
		k += 1.0;
	else if (fma(y, 10.0, -(k - 0.5)) < 0.0)
		k -= 1.0;
	return clamp_tenths(k);
}

static double
tenths_to_score(int t)
{
	return (double)t / 10.0;
}

/* ------------------------------------------------------------------------ */
/* CVSS v2.0 scoring (guide §3.2). */

static double
v2w(const struct parsed *pv, int m)
{
	return v2_metrics[m].weights[pv->v[m]];
}

/* BaseScore = round_to_1_decimal(((0.6*Impact)+(0.4*Exploitability)-1.5)*f(Impact)) */
static int
v2_base_equation(double impact, double exploitability)
{
	double f = impact == 0.0 ? 0.0 : 1.176;

	return round_half_up_tenths(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f);
}

static int
v2_temporal_equation(int base, const struct parsed *pv)
{
	return round_half_up_tenths(tenths_to_score(base) * v2w(pv, V2_E) * v2w(pv, V2_RL) *
				    v2w(pv, V2_RC));
}

static void
score_v2(const struct parsed *pv, bool has_env, struct vg_cvss *out)
{
	double c = v2w(pv, V2_C), i = v2w(pv, V2_I), a = v2w(pv, V2_A);
	double exploitability = 20.0 * v2w(pv, V2_AV) * v2w(pv, V2_AC) * v2w(pv, V2_AU);
	double impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
	double adj_impact;
	int base, temporal, adj_temporal, env;

	base = v2_base_equation(impact, exploitability);
	temporal = v2_temporal_equation(base, pv);

	/*
	 * §3.2.3: the temporal equation redone with the adjusted impact; the
	 * adjusted base and temporal scores are not clamped at 0 (see
	 * round_half_up_tenths()).
	 */
	adj_impact =
		fmin(10.0, 10.41 * (1.0 - (1.0 - c * v2w(pv, V2_CR)) * (1.0 - i * v2w(pv, V2_IR)) *
						  (1.0 - a * v2w(pv, V2_AR))));
	adj_temporal = v2_temporal_equation(v2_base_equation(adj_impact, exploitability), pv);
	env = round_half_up_tenths((tenths_to_score(adj_temporal) +
				    (10.0 - tenths_to_score(adj_temporal)) * v2w(pv, V2_CDP)) *
				   v2w(pv, V2_TD));

	out->base = tenths_to_score(clamp_tenths(base));
	out->temporal = tenths_to_score(clamp_tenths(temporal));
	/*
	 * Without environmental metrics the score is the temporal one.  The
	 * equations would not quite agree: AdjustedImpact is capped at 10 where
	 * Impact is not (C:C/I:C/A:C gives 10.0008), which can move the score by
	 * a tenth for a group the vector does not even have.
	 */
	out->environmental = tenths_to_score(clamp_tenths(has_env ? env : temporal));
}

/* ------------------------------------------------------------------------ */
/* CVSS v3.0 / v3.1 scoring (v3.0 specification §8, v3.1 specification §7). */

/* Index into the base metric's value list of the effective (modified) value. */
static int
v3_effective(const struct parsed *pv, int base_metric, int modified_metric)
{
	int mv = pv->v[modified_metric];

	return mv > 0 ? mv - 1 : pv->v[base_metric];
}

struct v3_inputs {
	int av, ac, pr, ui, c, i, a; /* value indexes into the base lists */
	bool changed;
};

static double
v3_exploitability(const struct v3_inputs *in)
{
	const double *pr_w = in->changed ? v3_pr_changed_w : v3_pr_w;

	return 8.22 * v3_av_w[in->av] * v3_ac_w[in->ac] * pr_w[in->pr] * v3_ui_w[in->ui];
}

static int
v3_roundup(enum vg_cvss_version version, double x)
{
	return version == VG_CVSS_V31 ? roundup31_tenths(x) : roundup30_tenths(x);
}

/* Base-like score (tenths) from an impact and exploitability sub score. */
static int
v3_combine(enum vg_cvss_version version, double impact, double exploitability, bool changed)
{
	if (impact <= 0.0)
		return 0;
	if (changed)
		return v3_roundup(version, fmin(1.08 * (impact + exploitability), 10.0));
	return v3_roundup(version, fmin(impact + exploitability, 10.0));
}

static int
v3_base(enum vg_cvss_version version, const struct v3_inputs *in)
{
	double iss =
		1.0 - ((1.0 - v3_cia_w[in->c]) * (1.0 - v3_cia_w[in->i]) * (1.0 - v3_cia_w[in->a]));
	double impact;

	if (in->changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15.0);
	else
		impact = 6.42 * iss;
	return v3_combine(version, impact, v3_exploitability(in), in->changed);
}

/*
 * Environmental score before the temporal multipliers.  v3.1 changed the
 * modified impact for a changed modified scope to
 * 7.52 x (MISS - 0.029) - 3.25 x (MISS x 0.9731 - 0.02)^13
 * (v3.0: 7.52 x (MISS - 0.029) - 3.25 x (MISS - 0.02)^15).
 */
static int
v3_modified(enum vg_cvss_version version, const struct v3_inputs *in, const struct parsed *pv)
{
	double miss = 1.0 - ((1.0 - v3_cia_w[in->c] * v3_req_w[pv->v[V3_CR]]) *
			     (1.0 - v3_cia_w[in->i] * v3_req_w[pv->v[V3_IR]]) *
			     (1.0 - v3_cia_w[in->a] * v3_req_w[pv->v[V3_AR]]));
	double impact;

	miss = fmin(miss, 0.915);
	if (!in->changed)
		impact = 6.42 * miss;
	else if (version == VG_CVSS_V31)
		impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13.0);
	else
		impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15.0);
	return v3_combine(version, impact, v3_exploitability(in), in->changed);
}

static double
v3_temporal_factor(const struct parsed *pv)
{
	return v3_e_w[pv->v[V3_E]] * v3_rl_w[pv->v[V3_RL]] * v3_rc_w[pv->v[V3_RC]];
}

static void
score_v3(enum vg_cvss_version version, const struct parsed *pv, struct vg_cvss *out)
{
	struct v3_inputs in = {
		.av = pv->v[V3_AV],
		.ac = pv->v[V3_AC],
		.pr = pv->v[V3_PR],
		.ui = pv->v[V3_UI],
		.c = pv->v[V3_C],
		.i = pv->v[V3_I],
		.a = pv->v[V3_A],
		.changed = pv->v[V3_S] == 1,
	};
	struct v3_inputs mod = {
		.av = v3_effective(pv, V3_AV, V3_MAV),
		.ac = v3_effective(pv, V3_AC, V3_MAC),
		.pr = v3_effective(pv, V3_PR, V3_MPR),
		.ui = v3_effective(pv, V3_UI, V3_MUI),
		.c = v3_effective(pv, V3_C, V3_MC),
		.i = v3_effective(pv, V3_I, V3_MI),
		.a = v3_effective(pv, V3_A, V3_MA),
		.changed = v3_effective(pv, V3_S, V3_MS) == 1,
	};
	double factor = v3_temporal_factor(pv);
	int base = v3_base(version, &in);
	int modified = v3_modified(version, &mod, pv);

	out->base = tenths_to_score(base);
	out->temporal = tenths_to_score(v3_roundup(version, tenths_to_score(base) * factor));
	out->environmental =
		tenths_to_score(v3_roundup(version, tenths_to_score(modified) * factor));
}

/* ------------------------------------------------------------------------ */
/* CVSS v4.0 scoring (v4.0 specification §8). */

/*
 * Score of each macro vector EQ1..EQ6, in tenths, from the lookup table
 * published with the v4.0 specification's reference calculator (FIRST
 * cvss-v4-calculator, cvss_lookup.js).  Rows are (EQ1, EQ2, EQ3); within a
 * row EQ4, EQ5, EQ6 count up, EQ6 fastest.  EQ3 = 2 with EQ6 = 0 cannot
 * occur (EQ6 = 0 needs a High vulnerable-system impact), so EQ3 = 2 rows only
 * hold EQ6 = 1 and have 9 entries instead of 18.
 */
static const unsigned char v4_macro_scores[270] = {
	/* 000xxx */ 100,
	99,
	98,
	95,
	95,
	92,
	100,
	96,
	93,
	87,
	91,
	81,
	93,
	90,
	89,
	80,
	81,
	68,
	/* 001xxx */ 98,
	95,
	95,
	92,
	90,
	84,
	93,
	92,
	89,
	81,
	81,
	65,
	88,
	80,
	78,
	70,
	69,
	48,
	/* 002xxx */ 92,
	82,
	72,
	79,
	69,
	50,
	69,
	55,
	27,
	/* 010xxx */ 99,
	97,
	95,
	92,
	92,
	85,
	95,
	91,
	90,
	83,
	84,
	71,
	92,
	81,
	82,
	71,
	72,
	53,
	/* 011xxx */ 95,
	93,
	92,
	85,
	85,
	73,
	92,
	82,
	80,
	72,
	70,
	59,
	84,
	70,
	71,
	52,
	50,
	30,
	/* 012xxx */ 86,
	75,
	52,
	71,
	52,
	29,
	63,
	29,
	17,
	/* 100xxx */ 98,
	95,
	94,
	87,
	91,
	81,
	94,
	89,
	86,
	74,
	77,
	64,
	87,
	75,
	74,
	63,
	63,
	49,
	/* 101xxx */ 94,
	89,
	88,
	77,
	76,
	67,
	86,
	76,
	74,
	58,
	59,
	50,
	72,
	57,
	57,
	52,
	52,
	25,
	/* 102xxx */ 83,
	70,
	54,
	65,
	58,
	26,
	53,
	21,
	13,
	/* 110xxx */ 95,
	90,
	88,
	76,
	76,
	70,
	90,
	77,
	75,
	62,
	61,
	53,
	77,
	66,
	68,
	59,
	52,
	30,
	/* 111xxx */ 89,
	78,
	76,
	67,
	62,
	58,
	74,
	59,
	57,
	57,
	47,
	23,
	61,
	52,
	57,
	29,
	24,
	16,
	/* 112xxx */ 71,
	59,
	30,
	58,
	26,
	15,
	23,
	13,
	6,
	/* 200xxx */ 93,
	87,
	86,
	72,
	75,
	58,
	86,
	74,
	74,
	61,
	56,
	34,
	70,
	54,
	52,
	40,
	40,
	22,
	/* 201xxx */ 85,
	75,
	74,
	55,
	62,
	51,
	72,
	57,
	55,
	41,
	46,
	19,
	53,
	36,
	34,
	19,
	19,
	8,
	/* 202xxx */ 64,
	51,
	20,
	47,
	21,
	11,
	24,
	9,
	4,
	/* 210xxx */ 88,
	75,
	73,
	53,
	60,
	50,
	73,
	55,
	59,
	40,
	41,
	20,
	54,
	43,
	45,
	22,
	20,
	11,
	/* 211xxx */ 75,
	55,
	58,
	45,
	40,
	21,
	61,
	51,
	48,
	18,
	20,
	9,
	46,
	18,
	17,
	7,
	8,
	2,
	/* 212xxx */ 53,
	24,
	14,
	24,
	12,
	5,
	10,
	3,
	1,
};

/* A macro vector: the levels of EQ1..EQ6 (index 0..5). */
struct macro {
	int eq[6];
};

/* Score of @mv as a double, or NAN when no such macro vector exists. */
static double
v4_macro_score(const struct macro *mv)
{
	static const int lim[6] = {3, 2, 3, 3, 3, 2};
	int pos, e3 = mv->eq[2], e6 = mv->eq[5];

	for (int k = 0; k < 6; k++) {
		if (mv->eq[k] < 0 || mv->eq[k] >= lim[k])
			return NAN;
	}
	if (e3 == 2 && e6 == 0)
		return NAN;
	pos = (mv->eq[0] * 2 + mv->eq[1]) * 45;
	if (e3 < 2)
		pos += e3 * 18 + mv->eq[3] * 6 + mv->eq[4] * 2 + e6;
	else
		pos += 36 + mv->eq[3] * 3 + mv->eq[4];
	return (double)v4_macro_scores[pos] / 10.0;
}

/*
 * The highest-severity vectors of each equivalence class (reference
 * calculator max_composed.js), as metric value letters.  Several vectors
 * can share the top of a class; the scorer takes the first one from which
 * the scored vector is reachable (no negative distance).
 */
struct eq1_max {
	char av, pr, ui;
};
struct eq2_max {
	char ac, at;
};
struct eq36_max {
	char vc, vi, va, cr, ir, ar;
};
struct eq4_max {
	char sc, si, sa;
};

static const struct eq1_max eq1_max0[] = {{'N', 'N', 'N'}};
static const struct eq1_max eq1_max1[] = {{'A', 'N', 'N'}, {'N', 'L', 'N'}, {'N', 'N', 'P'}};
static const struct eq1_max eq1_max2[] = {{'P', 'N', 'N'}, {'A', 'L', 'P'}};
static const struct eq2_max eq2_max0[] = {{'L', 'N'}};
static const struct eq2_max eq2_max1[] = {{'H', 'N'}, {'L', 'P'}};
static const struct eq36_max eq36_max00[] = {{'H', 'H', 'H', 'H', 'H', 'H'}};
static const struct eq36_max eq36_max01[] = {{'H', 'H', 'L', 'M', 'M', 'H'},
					     {'H', 'H', 'H', 'M', 'M', 'M'}};
static const struct eq36_max eq36_max10[] = {{'L', 'H', 'H', 'H', 'H', 'H'},
					     {'H', 'L', 'H', 'H', 'H', 'H'}};
static const struct eq36_max eq36_max11[] = {
	{'L', 'H', 'L', 'H', 'M', 'H'}, {'L', 'H', 'H', 'H', 'M', 'M'},
	{'H', 'L', 'H', 'M', 'H', 'M'}, {'H', 'L', 'L', 'M', 'H', 'H'},
	{'L', 'L', 'H', 'H', 'H', 'M'},
};
static const struct eq36_max eq36_max21[] = {{'L', 'L', 'L', 'H', 'H', 'H'}};
static const struct eq4_max eq4_max[3] = {{'H', 'S', 'S'}, {'H', 'H', 'H'}, {'L', 'L', 'L'}};

struct span {
	const void *p;
	size_t n;
};
#define SPAN(a)                      \
	{                            \
		(a), VG_ARRAY_LEN(a) \
	}

static const struct span eq1_maxes[3] = {SPAN(eq1_max0), SPAN(eq1_max1), SPAN(eq1_max2)};
static const struct span eq2_maxes[2] = {SPAN(eq2_max0), SPAN(eq2_max1)};
static const struct span eq36_maxes[3][2] = {
	{SPAN(eq36_max00), SPAN(eq36_max01)},
	{SPAN(eq36_max10), SPAN(eq36_max11)},
	{{NULL, 0}, SPAN(eq36_max21)},
};

/*
 * Depth of each class, in severity steps (reference calculator
 * max_severity.js): the distance from its highest to its lowest vector.
 */
static const int eq1_depth[3] = {1, 4, 5};
static const int eq2_depth[2] = {1, 2};
static const int eq36_depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int eq4_depth[3] = {6, 5, 4};

/* Effective v4.0 metric values, as letters ('S' allowed for SI/SA). */
struct v4_values {
	char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
};

static char
v4_letter(const struct parsed *pv, int m)
{
	return v4_metrics[m].values[pv->v[m]][0];
}

/* The modified metric when defined, else the base metric (specification §4.2). */
static char
v4_eff(const struct parsed *pv, int base_metric)
{
	int mod = V4_MOD(base_metric);

	return pv->v[mod] > 0 ? v4_letter(pv, mod) : v4_letter(pv, base_metric);
}

/* "X" threat/requirement values score as the worst case: E:A, CR/IR/AR:H. */
static char
v4_worst_if_x(const struct parsed *pv, int m, char worst)
{
	return pv->v[m] > 0 ? v4_letter(pv, m) : worst;
}

static void
v4_resolve(const struct parsed *pv, struct v4_values *v)
{
	v->av = v4_eff(pv, V4_AV);
	v->ac = v4_eff(pv, V4_AC);
	v->at = v4_eff(pv, V4_AT);
	v->pr = v4_eff(pv, V4_PR);
	v->ui = v4_eff(pv, V4_UI);
	v->vc = v4_eff(pv, V4_VC);
	v->vi = v4_eff(pv, V4_VI);
	v->va = v4_eff(pv, V4_VA);
	v->sc = v4_eff(pv, V4_SC);
	v->si = v4_eff(pv, V4_SI);
	v->sa = v4_eff(pv, V4_SA);
	v->e = v4_worst_if_x(pv, V4_E, 'A');
	v->cr = v4_worst_if_x(pv, V4_CR, 'H');
	v->ir = v4_worst_if_x(pv, V4_IR, 'H');
	v->ar = v4_worst_if_x(pv, V4_AR, 'H');
}

/* The equivalence classes EQ1..EQ6 of the v4.0 specification §8. */
static void
v4_macro_vector(const struct v4_values *v, struct macro *mv)
{
	bool av_n = v->av == 'N', pr_n = v->pr == 'N', ui_n = v->ui == 'N';
	bool vc_h = v->vc == 'H', vi_h = v->vi == 'H', va_h = v->va == 'H';

	if (av_n && pr_n && ui_n)
		mv->eq[0] = 0;
	else if ((av_n || pr_n || ui_n) && v->av != 'P')
		mv->eq[0] = 1;
	else
		mv->eq[0] = 2;
	mv->eq[1] = v->ac == 'L' && v->at == 'N' ? 0 : 1;
	if (vc_h && vi_h)
		mv->eq[2] = 0;
	else if (vc_h || vi_h || va_h)
		mv->eq[2] = 1;
	else
		mv->eq[2] = 2;
	if (v->si == 'S' || v->sa == 'S')
		mv->eq[3] = 0;
	else if (v->sc == 'H' || v->si == 'H' || v->sa == 'H')
		mv->eq[3] = 1;
	else
		mv->eq[3] = 2;
	mv->eq[4] = v->e == 'A' ? 0 : v->e == 'P' ? 1 : 2;
	mv->eq[5] =
		(v->cr == 'H' && vc_h) || (v->ir == 'H' && vi_h) || (v->ar == 'H' && va_h) ? 0 : 1;
}

/*
 * Severity level of a metric value: its position in @order times 0.1, with
 * the reference calculator's literal constants so that the distances are
 * the same doubles.
 */
static double
v4_level(const char *order, char c)
{
	static const double levels[] = {0.0, 0.1, 0.2, 0.3};
	const char *p = strchr(order, c);

	return p && c ? levels[p - order] : 0.0;
}

/* Severity distances of the scored vector from one highest-severity vector. */
struct v4_dist {
	double av, pr, ui, ac, at, vc, vi, va, sc, si, sa, cr, ir, ar;
};

static void
v4_distances(const struct v4_values *v, const struct eq1_max *m1, const struct eq2_max *m2,
	     const struct eq36_max *m36, const struct eq4_max *m4, struct v4_dist *d)
{
	d->av = v4_level("NALP", v->av) - v4_level("NALP", m1->av);
	d->pr = v4_level("NLH", v->pr) - v4_level("NLH", m1->pr);
	d->ui = v4_level("NPA", v->ui) - v4_level("NPA", m1->ui);
	d->ac = v4_level("LH", v->ac) - v4_level("LH", m2->ac);
	d->at = v4_level("NP", v->at) - v4_level("NP", m2->at);
	d->vc = v4_level("HLN", v->vc) - v4_level("HLN", m36->vc);
	d->vi = v4_level("HLN", v->vi) - v4_level("HLN", m36->vi);
	d->va = v4_level("HLN", v->va) - v4_level("HLN", m36->va);
	/* SC has no Safety value: its levels start at 0.1 like SI/SA's High. */
	d->sc = v4_level("SHLN", v->sc) - v4_level("SHLN", m4->sc);
	d->si = v4_level("SHLN", v->si) - v4_level("SHLN", m4->si);
	d->sa = v4_level("SHLN", v->sa) - v4_level("SHLN", m4->sa);
	d->cr = v4_level("HML", v->cr) - v4_level("HML", m36->cr);
	d->ir = v4_level("HML", v->ir) - v4_level("HML", m36->ir);
	d->ar = v4_level("HML", v->ar) - v4_level("HML", m36->ar);
}

static bool
v4_dist_ok(const struct v4_dist *d)
{
	return d->av >= 0 && d->pr >= 0 && d->ui >= 0 && d->ac >= 0 && d->at >= 0 && d->vc >= 0 &&
	       d->vi >= 0 && d->va >= 0 && d->sc >= 0 && d->si >= 0 && d->sa >= 0 && d->cr >= 0 &&
	       d->ir >= 0 && d->ar >= 0;
}

/*
 * Distances from the first highest-severity vector (in the calculator's
 * composition order) that the scored vector does not exceed in any metric;
 * like the reference, the last candidate's distances when none qualifies.
 */
static void
v4_find_distances(const struct v4_values *v, const struct macro *mv, struct v4_dist *d)
{
	const struct span *s1 = &eq1_maxes[mv->eq[0]], *s2 = &eq2_maxes[mv->eq[1]];
	const struct span *s36 = &eq36_maxes[mv->eq[2]][mv->eq[5]];
	const struct eq1_max *m1 = s1->p;
	const struct eq2_max *m2 = s2->p;
	const struct eq36_max *m36 = s36->p;

	memset(d, 0, sizeof(*d));
	for (size_t a = 0; a < s1->n; a++) {
		for (size_t b = 0; b < s2->n; b++) {
			for (size_t c = 0; c < s36->n; c++) {
				v4_distances(v, &m1[a], &m2[b], &m36[c], &eq4_max[mv->eq[3]], d);
				if (v4_dist_ok(d))
					return;
			}
		}
	}
}

/*
 * One class's share of the interpolation: the score gap to the next lower
 * macro vector times the proportion of the class depth that the vector's
 * severity distance covers.  Adds to *n when the lower macro vector exists.
 */
static double
v4_normalized(double value, double lower, double distance, int depth, int *n)
{
	double available = value - lower;

	if (!(available >= 0))
		return 0;
	(*n)++;
	return available * (distance / (depth * 0.1));
}

static double
v4_lower_score(const struct macro *mv, int eq)
{
	struct macro lower = *mv;

	lower.eq[eq]++;
	return v4_macro_score(&lower);
}

/*
 * Next lower macro vector for the joint EQ3/EQ6 class: 00 has two (01 and
 * 10, the higher-scoring one is taken), 01 and 11 go to EQ3 + 1, 10 to
 * EQ6 + 1, and 21 has none.
 */
static double
v4_lower_score_eq36(const struct macro *mv)
{
	int e3 = mv->eq[2], e6 = mv->eq[5];

	if (e3 == 0 && e6 == 0) {
		double left = v4_lower_score(mv, 5), right = v4_lower_score(mv, 2);

		return left > right ? left : right;
	}
	if (e3 == 1 && e6 == 0)
		return v4_lower_score(mv, 5);
	if (e6 == 1 && e3 < 2)
		return v4_lower_score(mv, 2);
	return NAN;
}

static double
v4_interpolate(const struct v4_values *v, const struct macro *mv)
{
	double value = v4_macro_score(mv);
	double n1, n2, n36, n4, n5, mean;
	struct v4_dist d;
	int n = 0;

	v4_find_distances(v, mv, &d);
	n1 = v4_normalized(value, v4_lower_score(mv, 0), d.av + d.pr + d.ui, eq1_depth[mv->eq[0]],
			   &n);
	n2 = v4_normalized(value, v4_lower_score(mv, 1), d.ac + d.at, eq2_depth[mv->eq[1]], &n);
	n36 = v4_normalized(value, v4_lower_score_eq36(mv), d.vc + d.vi + d.va + d.cr + d.ir + d.ar,
			    eq36_depth[mv->eq[2]][mv->eq[5]], &n);
	n4 = v4_normalized(value, v4_lower_score(mv, 3), d.sc + d.si + d.sa, eq4_depth[mv->eq[3]],
			   &n);
	/* EQ5 (exploit maturity) has no depth: it counts but never moves the score. */
	n5 = v4_normalized(value, v4_lower_score(mv, 4), 0.0, 1, &n);
	mean = n == 0 ? 0.0 : (n1 + n2 + n36 + n4 + n5) / n;
	value -= mean;
	if (value < 0.0)
		value = 0.0;
	if (value > 10.0)
		value = 10.0;
	return value;
}

static void
score_v4(const struct parsed *pv, struct vg_cvss *out)
{
	struct v4_values v;
	struct macro mv;
	int tenths = 0;

	v4_resolve(pv, &v);
	/* No impact on either system scores 0 whatever the exploitability. */
	if (!(v.vc == 'N' && v.vi == 'N' && v.va == 'N' && v.sc == 'N' && v.si == 'N' &&
	      v.sa == 'N')) {
		v4_macro_vector(&v, &mv);
		/* The reference adds 1e-6 before rounding half up. */
		tenths = round_half_up_exact_tenths(v4_interpolate(&v, &mv) + 1e-6);
	}
	out->base = out->temporal = out->environmental = tenths_to_score(tenths);
}

/* ------------------------------------------------------------------------ */
/* Public API. */

static bool
has_prefix(struct vg_str s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

/* Version and metric list of a v3.x/v4.0 vector from its "CVSS:x.y/" prefix. */
static int
split_prefix(struct vg_str vector, enum vg_cvss_version *version, struct vg_str *body,
	     struct vg_err *err)
{
	static const struct {
		const char *prefix;
		enum vg_cvss_version version;
	} prefixes[] = {
		{"CVSS:3.0/", VG_CVSS_V30},
		{"CVSS:3.1/", VG_CVSS_V31},
		{"CVSS:4.0/", VG_CVSS_V40},
	};

	for (size_t i = 0; i < VG_ARRAY_LEN(prefixes); i++) {
		size_t n = strlen(prefixes[i].prefix);

		if (!has_prefix(vector, prefixes[i].prefix))
			continue;
		*version = prefixes[i].version;
		*body = vg_str_sub(vector, n, vector.len - n);
		if (body->len == 0)
			return vg_error_at(err, VG_EINVAL, (int)n, "no metrics after '%s'",
					   prefixes[i].prefix);
		return VG_OK;
	}
	{
		ptrdiff_t slash = vg_str_chr(vector, '/');
		struct vg_str head = slash < 0 ? vector : vg_str_sub(vector, 0, (size_t)slash);

		return vg_error_at(err, VG_EINVAL, 1, "unsupported cvss version prefix '%.*s'",
				   quote_len(head), head.p);
	}
}

int
vg_cvss_parse(struct vg_str vector, struct vg_cvss *out, struct vg_err *err)
{
	struct vg_cvss scratch;
	struct vg_str body = vector;
	enum vg_cvss_version version = VG_CVSS_V2;
	const struct version_def *def;
	struct parsed pv;
	size_t off = 0;
	int rc;

	if (!out)
		out = &scratch;
	memset(out, 0, sizeof(*out));
	vg_err_clear(err);
	if (vector.len == 0 || !vector.p)
		return vg_error(err, VG_EINVAL, "empty cvss vector");
	if (vector.len > VG_CVSS_MAX_LEN)
		return vg_error(err, VG_EINVAL, "cvss vector longer than %d bytes",
				VG_CVSS_MAX_LEN);
	if (has_prefix(vector, "CVSS:")) {
		rc = split_prefix(vector, &version, &body, err);
		if (rc < 0)
			return rc;
		off = vector.len - body.len;
	} else if (vector.p[0] == '(') {
		/* Some NVD feeds write v2 vectors as "(AV:N/AC:L/...)". */
		if (vector.len < 3 || vector.p[vector.len - 1] != ')')
			return vg_error_at(err, VG_EINVAL, 1, "unbalanced '(' in cvss vector");
		body = vg_str_sub(vector, 1, vector.len - 2);
		off = 1;
	}
	def = version == VG_CVSS_V2 ? &v2_def : version == VG_CVSS_V40 ? &v4_def : &v3_def;
	rc = parse_fields(def, body, off, &pv, err);
	if (rc < 0)
		return rc;
	out->version = version;
	out->flags = group_flags(def, &pv);
	if (version == VG_CVSS_V2)
		score_v2(&pv, (out->flags & VG_CVSS_HAS_ENVIRONMENTAL) != 0, out);
	else if (version == VG_CVSS_V40)
		score_v4(&pv, out);
	else
		score_v3(version, &pv, out);
	return VG_OK;
}

enum vg_severity
vg_cvss_severity(enum vg_cvss_version version, double score)
{
	long tenths;

	if (!(score >= 0.0))
		return version == VG_CVSS_V2 ? VG_SEV_LOW : VG_SEV_NONE;
	tenths = score > 100.0 ? 1000 : lround(score * 10.0);
	if (version == VG_CVSS_V2)
		return tenths < 40 ? VG_SEV_LOW : tenths < 70 ? VG_SEV_MEDIUM : VG_SEV_HIGH;
	if (tenths == 0)
		return VG_SEV_NONE;
	if (tenths < 40)
		return VG_SEV_LOW;
	if (tenths < 70)
		return VG_SEV_MEDIUM;
	return tenths < 90 ? VG_SEV_HIGH : VG_SEV_CRITICAL;
}

const char *
vg_severity_name(enum vg_severity sev)
{
	switch (sev) {
	case VG_SEV_NONE:
		return "NONE";
	case VG_SEV_LOW:
		return "LOW";
	case VG_SEV_MEDIUM:
		return "MEDIUM";
	case VG_SEV_HIGH:
		return "HIGH";
	case VG_SEV_CRITICAL:
		return "CRITICAL";
	}
	return "UNKNOWN";
}

const char *
vg_cvss_version_name(enum vg_cvss_version version)
{
	switch (version) {
	case VG_CVSS_V2:
		return "2.0";
	case VG_CVSS_V30:
		return "3.0";
	case VG_CVSS_V31:
		return "3.1";
	case VG_CVSS_V40:
		return "4.0";
	}
	return "unknown";
}

const char *
vg_cvss_nomenclature(const struct vg_cvss *cvss)
{
	bool t, e;

	if (!cvss || cvss->version != VG_CVSS_V40)
		return "CVSS";
	t = (cvss->flags & VG_CVSS_HAS_TEMPORAL) != 0;
	e = (cvss->flags & VG_CVSS_HAS_ENVIRONMENTAL) != 0;
	return t ? (e ? "CVSS-BTE" : "CVSS-BT") : (e ? "CVSS-BE" : "CVSS-B");
}
