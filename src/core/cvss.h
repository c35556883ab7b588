/*
 * cvss.h - CVSS v2.0, v3.0, v3.1 and v4.0 vectors and scores.
 *
 * vg_cvss_parse() validates a vector string and computes every score the
 * vector determines, following each specification's own formulas:
 *   - v2.0: base, temporal and environmental equations (CVSS v2 guide §3.2);
 *   - v3.0 / v3.1: base, temporal and environmental equations, with each
 *     version's Roundup (v3.1 uses the integer-based Roundup of its
 *     Appendix A; v3.0 the plain ceiling to one decimal);
 *   - v4.0: the macro-vector scoring of the v4.0 specification (§8: EQ1-EQ6
 *     lookup table and the severity-distance interpolation), which yields one
 *     score whose nomenclature is CVSS-B, -BT, -BE or -BTE according to the
 *     metric groups present.
 *
 * Vector syntax is strict: v3.x and v4.0 vectors start with their
 * "CVSS:3.0/", "CVSS:3.1/" or "CVSS:4.0/" prefix; v2 vectors have none
 * (an enclosing "(...)", as some NVD feeds write, is accepted).  Every
 * mandatory base metric must be present exactly once, no metric may be
 * repeated, and unknown metrics or values are errors.  Metric order is not
 * enforced beyond the prefix (NVD data is not always in spec order).
 *
 * Ownership: the vector is borrowed for the call; struct vg_cvss holds no
 * pointers into it.  Thread-safety: reentrant.
 */
#ifndef VG_CORE_CVSS_H
#define VG_CORE_CVSS_H

#include <stdbool.h>

#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

/* Longest accepted vector string, in bytes. */
#define VG_CVSS_MAX_LEN 512

enum vg_cvss_version {
	VG_CVSS_V2 = 20,
	VG_CVSS_V30 = 30,
	VG_CVSS_V31 = 31,
	VG_CVSS_V40 = 40,
};

/* Qualitative severity.  v2 has no NONE/CRITICAL bands (0-3.9 LOW, 4-6.9 MEDIUM, 7-10 HIGH). */
enum vg_severity {
	VG_SEV_NONE = 0,
	VG_SEV_LOW = 1,
	VG_SEV_MEDIUM = 2,
	VG_SEV_HIGH = 3,
	VG_SEV_CRITICAL = 4,
};

enum vg_cvss_flags {
	VG_CVSS_HAS_TEMPORAL = 1 << 0,      /* v2/v3: temporal metrics given; v4: threat (E) */
	VG_CVSS_HAS_ENVIRONMENTAL = 1 << 1, /* environmental metrics given */
};

/*
 * Scores, each rounded to one decimal as the specification prescribes.
 * For v2 and v3.x, `temporal` and `environmental` are always computed
 * (metrics absent from the vector take their "Not Defined" value, so they
 * then equal the base score); `flags` says which groups were present.
 * For v4.0 there is a single score, in `base`, which already accounts for
 * the threat and environmental metrics present (its nomenclature is given
 * by vg_cvss_nomenclature()); `temporal` and `environmental` equal it.
 */
struct vg_cvss {
	enum vg_cvss_version version;
	unsigned flags; /* enum vg_cvss_flags */
	double base;
	double temporal;
	double environmental;
};

/**
 * Parse @vector and compute its scores into @out.  Returns VG_OK, or
 * VG_EINVAL with @err naming the offending metric (e.g. "unknown value 'X'
 * for metric 'AV'", "missing base metric 'PR'", "duplicate metric 'AC'")
 * and its column.
 */
int vg_cvss_parse(struct vg_str vector, struct vg_cvss *out /* OUT */,
		  struct vg_err *err) VG_MUST_CHECK;

/** Severity band of @score under @version (v2 uses its three bands). */
enum vg_severity vg_cvss_severity(enum vg_cvss_version version, double score);

/** Upper-case severity name: "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL" (static). */
const char *vg_severity_name(enum vg_severity sev);

/** "2.0", "3.0", "3.1" or "4.0" (static). */
const char *vg_cvss_version_name(enum vg_cvss_version version);

/** For v4.0: "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE"; for others "CVSS" (static). */
const char *vg_cvss_nomenclature(const struct vg_cvss *cvss);

#endif /* VG_CORE_CVSS_H */
