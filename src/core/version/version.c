/*
 * version.c - scheme-independent entry points of the version module.
 *
 * Maps scheme names to enum vg_ver_scheme and dispatches comparison and
 * validation to the per-scheme implementations (dpkg.c, rpm.c, apk.c,
 * semver.c, pep440.c, generic.c).  The one thing added here is the error
 * message: a caller of vg_ver_compare() learns which operand was invalid.
 */
#include <stdio.h>
#include <string.h>

#include "core/version/version.h"

/* Indexed by enum vg_ver_scheme. */
static const char *const scheme_names[VG_VER_NSCHEMES] = {
	[VG_VER_DPKG] = "dpkg",     [VG_VER_RPM] = "rpm",       [VG_VER_APK] = "apk",
	[VG_VER_SEMVER] = "semver", [VG_VER_PEP440] = "pep440", [VG_VER_GENERIC] = "generic",
};

static bool
scheme_ok(enum vg_ver_scheme scheme)
{
	return (unsigned)scheme < VG_VER_NSCHEMES;
}

int
vg_ver_scheme_parse(struct vg_str name, enum vg_ver_scheme *scheme)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(scheme_names); i++) {
		if (vg_str_eq_nocase(name, vg_str_c(scheme_names[i]))) {
			*scheme = (enum vg_ver_scheme)i;
			return VG_OK;
		}
	}
	return VG_EINVAL;
}

const char *
vg_ver_scheme_name(enum vg_ver_scheme scheme)
{
	return scheme_ok(scheme) ? scheme_names[scheme] : "unknown";
}

/* SemVer has no validate function of its own: a version is valid when it parses. */
static int
semver_validate(struct vg_str v, struct vg_err *err)
{
	struct vg_semver parsed;

	return vg_semver_parse(v, &parsed, err);
}

static int
validate(enum vg_ver_scheme scheme, struct vg_str v, struct vg_err *err)
{
	switch (scheme) {
	case VG_VER_DPKG:
		return vg_dpkg_validate(v, err);
	case VG_VER_RPM:
		return vg_rpm_validate(v, err);
	case VG_VER_APK:
		return vg_apk_validate(v, err);
	case VG_VER_SEMVER:
		return semver_validate(v, err);
	case VG_VER_PEP440:
		return vg_pep440_validate(v, err);
	case VG_VER_GENERIC:
		return vg_generic_validate(v, err);
	}
	return vg_error(err, VG_EINVAL, "unknown version scheme %d", (int)scheme);
}

static int
compare(enum vg_ver_scheme scheme, struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err)
{
	switch (scheme) {
	case VG_VER_DPKG:
		return vg_dpkg_compare(a, b, cmp, err);
	case VG_VER_RPM:
		return vg_rpm_compare(a, b, cmp, err);
	case VG_VER_APK:
		return vg_apk_compare(a, b, cmp, err);
	case VG_VER_SEMVER:
		return vg_semver_compare(a, b, cmp, err);
	case VG_VER_PEP440:
		return vg_pep440_compare(a, b, cmp, err);
	case VG_VER_GENERIC:
		return vg_generic_compare(a, b, cmp, err);
	}
	return vg_error(err, VG_EINVAL, "unknown version scheme %d", (int)scheme);
}

/* Printable prefix of @v to quote in a message (at most 64 bytes, no control bytes). */
static int
quoted_len(struct vg_str v)
{
	size_t n = 0;

	while (n < v.len && n < 64 && v.p[n] >= 0x20 && v.p[n] < 0x7f)
		n++;
	return (int)n;
}

/*
 * Report error @code, described by @why (the scheme's own error for @v), in
 * @err as "invalid SCHEME version 'V': reason".  Scheme modules that already
 * phrase their errors that way are passed through unchanged, so the operand
 * is not named twice.
 */
static int
report(struct vg_err *err, int code, enum vg_ver_scheme scheme, struct vg_str v,
       const struct vg_err *why)
{
	char prefix[64];
	int n = quoted_len(v);

	if (!err)
		return code;
	snprintf(prefix, sizeof(prefix), "invalid %s version '", vg_ver_scheme_name(scheme));
	if (strncmp(why->msg, prefix, strlen(prefix)) == 0) {
		*err = *why;
		err->code = code;
	} else {
		vg_error_at(err, code, why->column, "invalid %s version '%.*s%s': %s",
			    vg_ver_scheme_name(scheme), n, n ? v.p : "",
			    (size_t)n < v.len ? "..." : "", why->msg[0] ? why->msg : "rejected");
	}
	/* A scheme may quote raw input; keep control bytes out of line-oriented output. */
	for (char *p = err->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return code;
}

int
vg_ver_validate(enum vg_ver_scheme scheme, struct vg_str v, struct vg_err *err)
{
	struct vg_err why;
	int rc;

	if (!scheme_ok(scheme))
		return vg_error(err, VG_EINVAL, "unknown version scheme %d", (int)scheme);
	vg_err_clear(&why);
	rc = validate(scheme, v, &why);
	if (rc < 0)
		return report(err, rc, scheme, v, &why);
	return VG_OK;
}

/* If @v is invalid under @scheme, report it in @err, set *@rc and return true. */
static bool
operand_error(enum vg_ver_scheme scheme, struct vg_str v, struct vg_err *err, int *rc)
{
	struct vg_err why;
	int code;

	vg_err_clear(&why);
	code = validate(scheme, v, &why);
	if (code >= 0)
		return false;
	*rc = report(err, code, scheme, v, &why);
	return true;
}

int
vg_ver_compare(enum vg_ver_scheme scheme, struct vg_str a, struct vg_str b, int *cmp,
	       struct vg_err *err)
{
	struct vg_err why;
	int result = 0;
	int rc;

	if (!scheme_ok(scheme))
		return vg_error(err, VG_EINVAL, "unknown version scheme %d", (int)scheme);
	vg_err_clear(&why);
	rc = compare(scheme, a, b, &result, &why);
	if (rc == VG_OK) {
		*cmp = result < 0 ? -1 : result > 0;
		return VG_OK;
	}
	/*
	 * Failure is the rare path, so finding out which operand is at fault
	 * by validating them one at a time costs nothing on the hot path.
	 */
	if (operand_error(scheme, a, err, &rc) || operand_error(scheme, b, err, &rc))
		return rc;
	/* Both operands are valid on their own: pass on what the comparison said. */
	if (err) {
		*err = why;
		err->code = rc;
	}
	return rc;
}
