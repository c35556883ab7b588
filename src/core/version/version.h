/*
 * version.h - version parsing and comparison for every scheme Vigil matches.
 *
 * Each scheme reproduces its reference tool exactly: dpkg (dpkg
 * --compare-versions), rpm (rpmvercmp / rpm.labelCompare), apk (apk-tools
 * apk_version_compare), SemVer 2.0.0 and npm ranges (node-semver, strict
 * parsing, no includePrerelease), PEP 440 (packaging.version), plus a
 * generic fallback for ecosystems without a scheme of their own.
 *
 * A version the scheme rejects is an error (VG_EINVAL with a message in the
 * optional struct vg_err), never a guess: matching on a misparsed version
 * is how scanners produce false negatives.
 *
 * Ownership: every function borrows its slices for the duration of the
 * call only; nothing is retained.  No allocation is visible to callers.
 * Thread-safety: all functions are reentrant (no global state).
 * Limits: versions longer than VG_VER_MAX_LEN bytes are rejected.
 */
#ifndef VG_CORE_VERSION_H
#define VG_CORE_VERSION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

/* Longest accepted version or range string, in bytes. */
#define VG_VER_MAX_LEN 1024

enum vg_ver_scheme {
	VG_VER_DPKG,
	VG_VER_RPM,
	VG_VER_APK,
	VG_VER_SEMVER,
	VG_VER_PEP440,
	VG_VER_GENERIC,
};
#define VG_VER_NSCHEMES 6

/* ---- Scheme-independent entry points (dispatch to the functions below) ---- */

/** Look up a scheme by its name ("dpkg", "rpm", "apk", "semver", "pep440", "generic"). */
int vg_ver_scheme_parse(struct vg_str name, enum vg_ver_scheme *scheme /* OUT */) VG_MUST_CHECK;

/** The scheme's name as accepted by vg_ver_scheme_parse() (static string). */
const char *vg_ver_scheme_name(enum vg_ver_scheme scheme);

/**
 * Compare @a with @b under @scheme.  On success *@cmp is -1, 0 or 1 (a < b,
 * a == b, a > b) and VG_OK is returned; if either version is invalid for
 * the scheme VG_EINVAL is returned, *@cmp is untouched and @err says which
 * operand and why.
 */
int vg_ver_compare(enum vg_ver_scheme scheme, struct vg_str a, struct vg_str b, int *cmp /* OUT */,
		   struct vg_err *err) VG_MUST_CHECK;

/** VG_OK if @v is a valid version under @scheme, else VG_EINVAL with the reason in @err. */
int vg_ver_validate(enum vg_ver_scheme scheme, struct vg_str v, struct vg_err *err) VG_MUST_CHECK;

/* ---- dpkg (dpkg.c): [epoch:]upstream_version[-debian_revision] ---- */

/**
 * Parse-and-compare two Debian versions exactly as `dpkg --compare-versions`.
 * Syntax follows dpkg's parseversion(): an epoch is a non-negative decimal
 * that fits an int; the upstream part must not be empty.  Inputs that dpkg
 * accepts only with a warning (an upstream version not starting with a
 * digit, e.g. "a-0") are accepted; hard errors (empty version, bad epoch,
 * empty upstream or revision, embedded spaces, invalid characters) are
 * VG_EINVAL.
 */
int vg_dpkg_compare(struct vg_str a, struct vg_str b, int *cmp /* OUT */,
		    struct vg_err *err) VG_MUST_CHECK;

/** VG_OK if dpkg would accept @v (see vg_dpkg_compare()). */
int vg_dpkg_validate(struct vg_str v, struct vg_err *err) VG_MUST_CHECK;

/* ---- rpm (rpm.c) ---- */

/**
 * rpmvercmp() on one version or release string: total (never fails),
 * returns -1, 0 or 1.  Handles '~' (sorts before anything, even the end)
 * and '^' (sorts after the end but before anything else).
 */
int vg_rpmvercmp(struct vg_str a, struct vg_str b);

/**
 * Compare two full EVRs "[epoch:]version[-release]" as rpm's labelCompare:
 * a missing epoch is 0, then version and release by rpmvercmp, and an EVR
 * without a release sorts before the same version with any release.
 * VG_EINVAL for an empty version, a non-numeric epoch, an empty release or
 * bytes outside printable ASCII.
 */
int vg_rpm_compare(struct vg_str a, struct vg_str b, int *cmp /* OUT */,
		   struct vg_err *err) VG_MUST_CHECK;

/** VG_OK if @v is a well-formed EVR (see vg_rpm_compare()). */
int vg_rpm_validate(struct vg_str v, struct vg_err *err) VG_MUST_CHECK;

/* ---- apk (apk.c) ---- */

/** VG_OK if @v is a valid apk-tools version (apk_version_validate()). */
int vg_apk_validate(struct vg_str v, struct vg_err *err) VG_MUST_CHECK;

/**
 * Compare two apk versions as apk_version_compare(): token by token, with
 * apk's answer whenever it is decided by well-formed tokens (apk orders
 * "1.0" < "1.0bc" although "1.0bc" is not valid as a whole, because the
 * comparison never reaches the malformed "c").  VG_EINVAL when the
 * comparison reaches a malformed token ("1.0_foo" against "1.0").  Use
 * vg_apk_validate() where whole-string validity is required.
 */
int vg_apk_compare(struct vg_str a, struct vg_str b, int *cmp /* OUT */,
		   struct vg_err *err) VG_MUST_CHECK;

/**
 * Fuzzy comparison used by apk's "~" operator: the comparison stops when
 * @b's components run out, so "1.2.3" ~ "1.2" holds (*cmp == 0).
 */
int vg_apk_compare_fuzzy(struct vg_str a, struct vg_str b, int *cmp /* OUT */,
			 struct vg_err *err) VG_MUST_CHECK;

/* ---- SemVer 2.0.0 and npm ranges (semver.c, npm_range.c) ---- */

/*
 * A parsed SemVer.  `pre` and `build` borrow from the parsed input (empty
 * slices when absent, without their leading '-' / '+').
 */
struct vg_semver {
	uint64_t major;
	uint64_t minor;
	uint64_t patch;
	struct vg_str pre;
	struct vg_str build;
};

/**
 * Parse a SemVer 2.0.0 version as node-semver does in strict (non-loose)
 * mode: surrounding white space is trimmed, one leading "v" is allowed
 * (not "=", which node-semver accepts only in ranges), numeric parts have no
 * leading zeros and fit in 2^53 - 1, and the whole is at most 256 bytes.
 */
int vg_semver_parse(struct vg_str s, struct vg_semver *out /* OUT */,
		    struct vg_err *err) VG_MUST_CHECK;

/** SemVer precedence of two parsed versions (build metadata ignored): -1, 0 or 1. */
int vg_semver_cmp(const struct vg_semver *a, const struct vg_semver *b);

/** Parse both and compare by precedence. */
int vg_semver_compare(struct vg_str a, struct vg_str b, int *cmp /* OUT */,
		      struct vg_err *err) VG_MUST_CHECK;

/**
 * Does @version satisfy the npm range @range?  Semantics of node-semver's
 * satisfies() with default options: "||" alternatives, space-separated
 * comparator sets, hyphen ranges, x-ranges ("1.x", "*", ""), tilde and
 * caret, and the prerelease rule (a prerelease version only matches a
 * comparator set that names a prerelease of the same [major, minor,
 * patch]).  VG_EINVAL if @range or @version does not parse.
 */
int vg_npm_range_satisfies(struct vg_str range, struct vg_str version, bool *satisfied /* OUT */,
			   struct vg_err *err) VG_MUST_CHECK;

/* ---- PEP 440 (pep440.c) ---- */

/**
 * Compare two Python versions under PEP 440 (epochs, release segments
 * compared with trailing zeros ignored, pre/post/dev releases, local
 * versions, and the normalisations PEP 440 allows: case, "-"/"_"/"."
 * separators, "alpha"/"a", "c"/"rc", implicit post "1.0-1", leading "v").
 * A string that is not a valid PEP 440 version is VG_EINVAL.
 */
int vg_pep440_compare(struct vg_str a, struct vg_str b, int *cmp /* OUT */,
		      struct vg_err *err) VG_MUST_CHECK;

/** VG_OK if @v is a valid PEP 440 version. */
int vg_pep440_validate(struct vg_str v, struct vg_err *err) VG_MUST_CHECK;

/* ---- Generic fallback (generic.c) ---- */

/**
 * Compare versions of an ecosystem without a scheme of its own: split into
 * runs of digits and of letters at any other character; digit runs compare
 * numerically, letter runs case-insensitively, a digit run sorts after a
 * letter run, and a version that is a prefix of the other sorts first
 * ("1.0" < "1.0.1").  VG_EINVAL for an empty string, control characters or
 * white space inside the version.
 */
int vg_generic_compare(struct vg_str a, struct vg_str b, int *cmp /* OUT */,
		       struct vg_err *err) VG_MUST_CHECK;

/** VG_OK if @v is acceptable to vg_generic_compare(). */
int vg_generic_validate(struct vg_str v, struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_CORE_VERSION_H */
