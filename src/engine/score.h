/*
 * score.h - finding risk, severity and the device exposure score.
 *
 * Transparent formulas (docs/scoring.md gives the reasoning, the
 * calibration and worked examples; ARCHITECTURE.md "Scores"):
 *
 *   finding risk   r = s x l x c x w
 *     s  severity: CVSS base score / 10, v3.x, else v4.0, else v2, else the
 *        vendor's severity word or the distro urgency, else VG_S_UNKNOWN;
 *        the severity label follows the CVSS v3 bands of that score, and is
 *        Low whatever the score when the distro's urgency is "unimportant"
 *     l  likelihood: 1 when the CVE is in CISA KEV; else
 *        max(VG_L_FLOOR, sqrt(EPSS probability)), raised to VG_L_EXPLOIT
 *        when a public exploit is referenced; VG_L_UNKNOWN without EPSS
 *     c  context: VG_C_RUNNING when the vulnerable package runs,
 *        VG_C_LISTENING when it serves on a non-loopback address, times
 *        VG_C_EXPOSED when the device has any such listener
 *     w  status weight: what the owner can act on counts fully; unfixed
 *        and distro-minor findings count less (VG_W_*)
 *
 *   device exposure  E = 100 x (1 - exp(-sum(r) / VG_EXPOSURE_K)),
 *   bands low < 30 <= medium < 70 <= high.
 *
 * Everything here is pure computation: no knowledge-base queries, no allocation,
 * reentrant.
 */
#ifndef VG_ENGINE_SCORE_H
#define VG_ENGINE_SCORE_H

#include <stdbool.h>

#include "core/compiler.h"
#include "engine/match.h"

/* ---- constants (docs/scoring.md explains each) ---- */

#define VG_S_UNKNOWN 0.5 /* no CVSS and no vendor severity: the middle of the scale */

#define VG_L_FLOOR   0.05 /* least likelihood of a scored CVE (EPSS below 0.0025) */
#define VG_L_UNKNOWN 0.10 /* no EPSS score: about the median scored CVE (sqrt(0.007)) */
#define VG_L_EXPLOIT 0.50 /* a public exploit is referenced, not (yet) in KEV */
#define VG_L_KEV     1.00 /* exploited in the wild */

#define VG_C_RUNNING   1.20 /* a process of the vulnerable package runs */
#define VG_C_LISTENING 1.50 /* the vulnerable package listens on a non-loopback address */
#define VG_C_EXPOSED   1.10 /* the device has a non-loopback listener (any package) */

#define VG_W_FIX_AVAILABLE 1.00 /* remediable now: update */
#define VG_W_END_OF_LIFE   1.00 /* remediable: replace or upgrade the release; never fixed */
#define VG_W_NO_FIX        0.20 /* affected, no fix published yet */
#define VG_W_NO_DSA        0.05 /* the distro judged it minor and postponed it */
#define VG_W_WILL_NOT_FIX  0.03 /* the distro will not fix it (often: not exploitable here) */
#define VG_W_UNIMPORTANT   0.20 /* multiplier for distro urgency "unimportant" */

#define VG_EXPOSURE_K 2.4 /* sum(r) of 0.86 gives 30, 2.89 gives 70 */

/* ---- severity ---- */

enum vg_fsev {
	VG_FSEV_UNKNOWN = 0, /* no score, no vendor word */
	VG_FSEV_LOW,
	VG_FSEV_MEDIUM,
	VG_FSEV_HIGH,
	VG_FSEV_CRITICAL,
};

/** "Unknown", "Low", "Medium", "High", "Critical" (static). */
const char *vg_fsev_name(enum vg_fsev sev);

/** Parse "critical", "high", "medium", "low" (any case); VG_EINVAL otherwise. */
int vg_fsev_parse(const char *s, enum vg_fsev *sev /* OUT */) VG_MUST_CHECK;

/** Severity of a 0-10 score under the CVSS v3 bands (0.0-3.9 Low, 4.0-6.9 Medium, ...). */
enum vg_fsev vg_fsev_of_score(double score);

/**
 * A vendor severity word or distro urgency as a 0-10 score: "critical" 9.0,
 * "high"/"important" 7.5, "medium"/"moderate" 5.5, "low" 3.0,
 * "negligible"/"unimportant" 1.0 (case-insensitive; a trailing "*" or
 * "**" of Debian urgencies is ignored).  NaN for anything else ("not yet
 * assigned", "end-of-life", NULL).
 */
double vg_severity_word_score(const char *word);

/* ---- finding risk ---- */

struct vg_score_in {
	double cvss_v3, cvss_v4, cvss_v2; /* base scores, NaN when absent */
	const char *vendor_severity;      /* NULL when absent */
	const char *urgency;              /* distro urgency of the statement, NULL when absent */
	bool kev;
	bool has_epss;
	double epss; /* probability 0..1 */
	bool exploit_ref;
	enum vg_finding_status status;
	bool running;        /* the vulnerable package runs */
	bool listening;      /* ... and listens on a non-loopback address */
	bool device_exposed; /* the device has a non-loopback listener */
};

struct vg_score_out {
	enum vg_fsev severity;
	double base;             /* the 0-10 score s came from */
	const char *base_source; /* "cvssV3", "cvssV4", "cvssV2", "vendor", "urgency", "unknown" */
	double s, l, c, w;
	const char *l_source; /* "kev", "exploit", "epss", "epss-floor", "unknown" */
	double risk;          /* s x l x c x w */
};

/**
 * The inputs of a finding of @vm (NULL: a vulnerability on its own, no
 * distro urgency, status fixAvailable) described by @info, in the given
 * context.  Scores of an unknown vulnerability are NaN.
 */
void vg_score_input(const struct vg_kb_vuln_info *info, const struct vg_vuln_match *vm,
		    bool running, bool listening, bool device_exposed,
		    struct vg_score_in *in /* OUT */);

/** The context factor c of a finding (see above). */
double vg_score_context(bool running, bool listening, bool device_exposed);

/** Compute every factor of a finding's risk (see above). */
void vg_score_finding(const struct vg_score_in *in, struct vg_score_out *out /* OUT */);

/* ---- exposure ---- */

enum vg_band { VG_BAND_LOW, VG_BAND_MEDIUM, VG_BAND_HIGH };

/** "low", "medium", "high" (static). */
const char *vg_band_name(enum vg_band band);

/** 100 x (1 - exp(-@risk_sum / VG_EXPOSURE_K)), rounded to one decimal. */
double vg_exposure_score(double risk_sum);

/** Band of an exposure score: < 30 low, < 70 medium, else high. */
enum vg_band vg_exposure_band(double score);

#endif /* VG_ENGINE_SCORE_H */
