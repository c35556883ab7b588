/*
 * cpe.h - CPE 2.3 names: parsing, binding and matching (NISTIR 7695/7696).
 *
 * A name is parsed from either binding into a well-formed name (WFN, NISTIR
 * 7695 §5): the formatted string "cpe:2.3:part:vendor:...:other" (§6.2) or
 * the CPE 2.2 URI "cpe:/part:vendor:product:..." (§6.1, including the packed
 * edition "~ed~sw_edition~target_sw~target_hw~other~").  Attribute values
 * are kept in WFN form: the logical values ANY and NA, or a string in which
 * every non-alphanumeric character other than '_' is quoted with a
 * backslash, and '*' / '?' not so quoted are the special characters of
 * NISTIR 7695 §5.3.2.
 *
 * Matching follows NISTIR 7696 §6: compare() gives, per attribute, one of
 * DISJOINT, SUBSET, SUPERSET, EQUAL or UNDEFINED (Table 6-2, including
 * wildcard values in the source), and the name relation is derived from
 * the eleven attribute relations (§6.2).
 *
 * Ownership: struct vg_cpe owns its strings; release with vg_cpe_release().
 * Thread-safety: reentrant.
 */
#ifndef VG_CORE_CPE_H
#define VG_CORE_CPE_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

/* Longest accepted CPE name, in bytes. */
#define VG_CPE_MAX_LEN 1024

enum vg_cpe_attr {
	VG_CPE_PART,
	VG_CPE_VENDOR,
	VG_CPE_PRODUCT,
	VG_CPE_VERSION,
	VG_CPE_UPDATE,
	VG_CPE_EDITION,
	VG_CPE_LANGUAGE,
	VG_CPE_SW_EDITION,
	VG_CPE_TARGET_SW,
	VG_CPE_TARGET_HW,
	VG_CPE_OTHER,
};
#define VG_CPE_NATTRS 11

enum vg_cpe_value_kind {
	VG_CPE_ANY,   /* logical ANY ("*" in a formatted string, empty in a URI) */
	VG_CPE_NA,    /* logical NA ("-") */
	VG_CPE_VALUE, /* a string value, possibly holding unquoted '*' / '?' */
};

struct vg_cpe_value {
	enum vg_cpe_value_kind kind;
	char *str; /* WFN-quoted value, owned; NULL unless kind == VG_CPE_VALUE */
};

struct vg_cpe {
	struct vg_cpe_value attr[VG_CPE_NATTRS];
};

/* Per-attribute relations (NISTIR 7696 Table 6-1). */
enum vg_cpe_rel {
	VG_CPE_REL_DISJOINT,
	VG_CPE_REL_SUBSET,
	VG_CPE_REL_SUPERSET,
	VG_CPE_REL_EQUAL,
	VG_CPE_REL_UNDEFINED,
};

/* Name relations (NISTIR 7696 §6.2), plus INVALID for names that do not parse. */
enum vg_cpe_name_rel {
	VG_CPE_NAME_EQUAL,
	VG_CPE_NAME_SUPERSET,
	VG_CPE_NAME_SUBSET,
	VG_CPE_NAME_DISJOINT,
	VG_CPE_NAME_NONE,
	VG_CPE_NAME_INVALID,
};

/** Initialise @cpe to all-ANY (does not allocate). */
void vg_cpe_init(struct vg_cpe *cpe);

/** Free the strings of @cpe and leave it all-ANY. */
void vg_cpe_release(struct vg_cpe *cpe);

/**
 * Parse a formatted string ("cpe:2.3:...") or a URI ("cpe:/...") into @out,
 * which must be initialised; on failure @out is left all-ANY and @err says
 * which component is wrong.
 */
int vg_cpe_parse(struct vg_str name, struct vg_cpe *out /* OUT */,
		 struct vg_err *err) VG_MUST_CHECK;

/** Append the formatted-string binding of @cpe to @out (NISTIR 7695 §6.2.2). */
int vg_cpe_bind_fs(const struct vg_cpe *cpe, struct vg_buf *out) VG_MUST_CHECK;

/** Append the URI binding of @cpe to @out (NISTIR 7695 §6.1.2, with packed edition). */
int vg_cpe_bind_uri(const struct vg_cpe *cpe, struct vg_buf *out) VG_MUST_CHECK;

/** Relation of attribute @attr of @source to that of @target (NISTIR 7696 Table 6-2). */
enum vg_cpe_rel vg_cpe_attr_compare(const struct vg_cpe_value *source,
				    const struct vg_cpe_value *target);

/**
 * Name relation of @source to @target; if @rels is not NULL it receives the
 * eleven attribute relations.  SUPERSET means @source covers @target (the
 * way an NVD cpeMatch criteria string covers an installed product).
 */
enum vg_cpe_name_rel vg_cpe_compare(const struct vg_cpe *source, const struct vg_cpe *target,
				    enum vg_cpe_rel rels[VG_CPE_NATTRS] /* OUT, may be NULL */);

/** true when @source matches @target, i.e. the name relation is SUPERSET or EQUAL. */
bool vg_cpe_matches(const struct vg_cpe *source, const struct vg_cpe *target);

/** Upper-case names as used in NISTIR 7696 ("EQUAL", "SUPERSET", ...) (static). */
const char *vg_cpe_rel_name(enum vg_cpe_rel rel);
const char *vg_cpe_name_rel_name(enum vg_cpe_name_rel rel);

/** WFN attribute names ("part", "vendor", ..., "sw_edition", "target_sw", ...) (static). */
const char *vg_cpe_attr_name(enum vg_cpe_attr attr);

#endif /* VG_CORE_CPE_H */
