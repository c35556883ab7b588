/*
 * debian.h - helpers shared by the Debian security tracker importers
 * (debian_list.c: DSA/DLA lists and data/CVE/list; debian_json.c: the
 * tracker JSON and the vuln-list-debian files).  Private to src/feeds.
 *
 * The tracker's text lists and vuln-list-debian's JSON copies of them say
 * the same things with the same words: a *package annotation* names a
 * release (or none: unstable), a source package and either a fixed version
 * or a pseudo-version in angle brackets (<unfixed>, <not-affected>,
 * <no-dsa>, ...).  struct vg_debian_ann holds one, and vg_debian_emit()
 * turns it into a struct vg_affected, so that every format maps the words
 * to statuses in exactly one place.
 *
 * Ownership: every string in these structs is borrowed; the implementation
 * keeps nothing after a call returns.  Not thread-safe per import context.
 */
#ifndef VG_FEEDS_DEBIAN_H
#define VG_FEEDS_DEBIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"
#include "feeds/record.h"

/* The tracker's pseudo-versions, plus a real version (FIXED). */
enum vg_debian_kind {
	VG_DEBIAN_FIXED,        /* "pkg 1.2-3": fixed in that version ("0": never affected) */
	VG_DEBIAN_UNFIXED,      /* <unfixed> (or no version at all in data/CVE/list) */
	VG_DEBIAN_NOT_AFFECTED, /* <not-affected> (reason) */
	VG_DEBIAN_NO_DSA,       /* <no-dsa> (reason) */
	VG_DEBIAN_POSTPONED,    /* <postponed> (reason): a no-dsa fix waiting for a point release */
	VG_DEBIAN_IGNORED,      /* <ignored> (reason): will not be fixed */
	VG_DEBIAN_END_OF_LIFE,  /* <end-of-life> */
	VG_DEBIAN_REMOVED,      /* <removed>: the package left the archive */
	VG_DEBIAN_ITP,          /* <itp> (bug #N): not in Debian yet */
	VG_DEBIAN_UNDETERMINED, /* <undetermined> */
};

/* One package annotation, as the text lists and vuln-list-debian carry it. */
struct vg_debian_ann {
	const char *release; /* codename ("bullseye"), or NULL for a bare "- pkg" line (unstable) */
	const char *package; /* source package */
	enum vg_debian_kind kind;
	const char *version; /* VG_DEBIAN_FIXED only */
	const char *reason;  /* free text in parentheses after a pseudo-version, or NULL */
	const char *urgency; /* normalized urgency word (vg_debian_urgency()), or NULL */
	long bug;            /* first "bug #N" of the annotation, 0 when none */
	long line;           /* line of the annotation in the input, 0 when unknown */
};

/* Why a statement was left out (counted, and summarized at the end). */
enum vg_debian_skip {
	VG_DEBIAN_SKIP_RELEASE,      /* unknown release codename */
	VG_DEBIAN_SKIP_EXPERIMENTAL, /* [experimental]: not a release with a namespace */
	VG_DEBIAN_SKIP_VERSION,      /* version rejected by the dpkg comparator */
	VG_DEBIAN_SKIP_KIND,         /* unknown <pseudo-version> or status */
	VG_DEBIAN_SKIP_ITP,          /* <itp>: the package is not in Debian */
	VG_DEBIAN_SKIP_OTHER,        /* anything else (see the warning) */
};
#define VG_DEBIAN_NSKIP 6

/* Warnings shown per import before they are only counted. */
#define VG_DEBIAN_MAX_WARN 100

/* State of one import shared by the helpers below. */
struct vg_debian_imp {
	const struct vg_feed_sink *sink; /* borrowed */
	const char *path;                /* file name for messages (borrowed) */
	const char *record;              /* id of the record being read, for messages, or NULL */
	long line;                       /* line being read (text formats), or 0 */
	uint64_t nrecords;               /* vulns + statements handed to the sink */
	unsigned long skipped[VG_DEBIAN_NSKIP];
	unsigned long warnings; /* warnings raised, shown or not */
};

/** Start an import context for @sink reading @path (both borrowed). */
void vg_debian_imp_init(struct vg_debian_imp *imp, const struct vg_feed_sink *sink,
			const char *path);

/**
 * The namespace of release @codename: "debian:12" for bookworm,
 * "debian:3.0" for woody, "debian:unstable" for sid (static strings).
 * VG_ENOTFOUND for an unknown codename, VG_EUNSUPPORTED for "experimental"
 * (a suite, not a release with installations to match).
 */
int vg_debian_release_ns(const char *codename, const char **ns /* OUT */) VG_MUST_CHECK;

/** The release number of @codename ("12", "3.0"; "" for sid), or NULL when unknown. Static. */
const char *vg_debian_release_version(const char *codename);

/** Parse a pseudo-version word without its angle brackets ("no-dsa"); VG_EINVAL when unknown. */
int vg_debian_kind_parse(struct vg_str word, enum vg_debian_kind *kind /* OUT */) VG_MUST_CHECK;

/** Does @kind carry free text in its parentheses (a reason) rather than flags? */
bool vg_debian_kind_has_reason(enum vg_debian_kind kind);

/**
 * Normalize a tracker urgency: "low", "medium", "high", "unimportant" (an
 * NVD-derived "high**" loses its stars) as static strings; NULL for "not
 * yet assigned", "end-of-life" (a status, not an urgency) and the empty
 * string.  *@known is false for any other word (the caller warns).
 */
const char *vg_debian_urgency(struct vg_str word, bool *known /* OUT */);

/**
 * Parse the flags in the parentheses after a version or <unfixed>-like
 * pseudo-version: "bug #123; low".  Sets *@urgency and *@bug (first bug);
 * items that are neither (nor "bug filed") are warned about through @imp.
 */
void vg_debian_parse_flags(struct vg_debian_imp *imp, struct vg_str inner,
			   const char **urgency /* OUT */, long *bug /* OUT */);

/**
 * Report a recoverable problem through the sink's warn(): the message is
 * prefixed with the file, the line (when known) and the record.  Past
 * VG_DEBIAN_MAX_WARN warnings they are only counted.
 */
void vg_debian_warn(struct vg_debian_imp *imp, const char *fmt, ...) VG_PRINTF(2, 3);

/** Count a statement left out for @why (the warning, if any, is the caller's). */
void vg_debian_skip(struct vg_debian_imp *imp, enum vg_debian_skip why);

/**
 * Hand one package annotation to the sink: one struct vg_affected for each
 * of the @nvulns ids in @vulns (CVEs or TEMP- ids; for an advisory without
 * CVEs, the advisory itself), said by @advisory (or NULL).  The annotation
 * is checked once: an unknown release, a version the dpkg comparator
 * rejects or a malformed package name is warned about and the annotation
 * skipped (counted, not an error); <itp> and [experimental] are skipped
 * and counted silently.  Returns VG_OK or the sink's error.
 */
int vg_debian_emit(struct vg_debian_imp *imp, const struct vg_debian_ann *ann,
		   const char *const *vulns, size_t nvulns, const char *advisory,
		   struct vg_err *err) VG_MUST_CHECK;

/** A vulnerability with every field absent (scores NaN), for the importers to fill. */
void vg_debian_vuln_init(struct vg_vuln *v);

/** Hand @v to the sink and count it.  Returns VG_OK or the sink's error. */
int vg_debian_vuln(struct vg_debian_imp *imp, const struct vg_vuln *v,
		   struct vg_err *err) VG_MUST_CHECK;

/**
 * In data/CVE/list a release line without its own urgency has the urgency
 * of the package's unstable line ("- pkg ... (low)"), as on the tracker's
 * pages; fill those in over @n annotations of one entry.
 */
void vg_debian_inherit_urgency(struct vg_debian_ann *anns, size_t n);

/** @s without the "(...)" or "[...]" the CVE list puts around a description. */
struct vg_str vg_debian_strip_desc(struct vg_str s);

/** Warn once with the totals of what was skipped and of warnings not shown, if any. */
void vg_debian_summary(struct vg_debian_imp *imp);

/* "TEMP-" + 7 digits at least + "-" + 6 hex digits + NUL; bug numbers fit in 10 digits. */
#define VG_DEBIAN_TEMP_ID_MAX 32

/**
 * The tracker's name for a "CVE-YYYY-XXXX" entry that has no CVE yet:
 * "TEMP-%07ld-%.6X" of @bug (the first bug number of its package
 * annotations, 0 when none) and the first six hex digits, upper case, of
 * the MD5 of @desc (its description without the enclosing brackets).  This
 * is the id the tracker's JSON uses for the same entry.
 */
void vg_debian_temp_id(long bug, struct vg_str desc, char out[VG_DEBIAN_TEMP_ID_MAX]);

/** MD5 (RFC 1321) of @len bytes at @data into @digest (for TEMP- ids). */
void vg_debian_md5(const void *data, size_t len, unsigned char digest[16]);

/**
 * "29 Mar 2023" -> "2023-03-29" in @out.  VG_EINVAL unless @s is exactly
 * a two-digit day (01-31), an English month abbreviation and four digits.
 */
int vg_debian_date_iso(struct vg_str s, char out[11]) VG_MUST_CHECK;

/** Is @s a CVE id "CVE-YYYY-NNNN..." (four or more digits)? */
bool vg_debian_is_cve(struct vg_str s);

/** Is @s "CVE-YYYY-XXXX", the list's placeholder for an entry without a CVE yet? */
bool vg_debian_is_cve_placeholder(struct vg_str s);

/** Is @s a tracker TEMP id "TEMP-<digits>-<non-space>"? */
bool vg_debian_is_temp(struct vg_str s);

#endif /* VG_FEEDS_DEBIAN_H */
