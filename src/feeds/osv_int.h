/*
 * osv_int.h - private interface of the OSV importers (not part of libvigilfeeds' API).
 *
 * Three importers share the mapping from an OSV record to Vigil's records:
 * OSV JSON (osv.c), OSV in YAML (osv_yaml.c, the form pypa/advisory-database
 * keeps) and GitHub's GraphQL securityAdvisories export (ghsa.c).  Each turns
 * its input into jansson trees, one per record, and hands them to the code
 * here, which knows the ecosystems, the version schemes and the message
 * format "PATH: record ID: field 'F': problem" that feed.h prescribes
 * (vg_feed_import_file() adds the "PATH: " of errors, the importers that
 * of warnings).
 * docs/feeds/osv.md states the mapping rules.
 *
 * Ownership: struct vg_osv_imp borrows the sink and the input's path; the
 * strings it builds for one record live in its arena until
 * vg_osv_record_done().  Not thread-safe: one importer state per import.
 */
#ifndef VG_FEEDS_OSV_INT_H
#define VG_FEEDS_OSV_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/version/version.h"
#include "feeds/feed.h"
#include "feeds/record.h"

/* Most ids kept in one vuln's alias list (further ones are dropped with a warning). */
#define VG_OSV_MAX_ALIASES 1024

/* State of one import: the sink, the source announced to it, and the record being mapped. */
struct vg_osv_imp {
	const struct vg_feed_sink *sink; /* borrowed */
	const char *path;                /* borrowed: the input's name, first in every message */
	struct vg_feed_source src;
	uint64_t nrecords;     /* vulns handed to the sink */
	uint64_t nwarnings;    /* warnings handed to the sink */
	long index;            /* 1-based ordinal of the record being mapped (0: none yet) */
	const char *id;        /* id of the record being mapped once known, else NULL */
	struct vg_arena arena; /* strings built for the record being mapped */
};

/**
 * Initialise @imp for importing @in into @sink under the source name "osv"
 * (mode MERGE) and the importer's @format id (static string).  Does not
 * call the sink.
 */
void vg_osv_imp_init(struct vg_osv_imp *imp, const struct vg_feed_in *in,
		     const struct vg_feed_sink *sink, const char *format);

/** Free what @imp holds (its arena). */
void vg_osv_imp_release(struct vg_osv_imp *imp);

/** Call sink->begin(); returns its result. */
int vg_osv_begin(struct vg_osv_imp *imp, struct vg_err *err) VG_MUST_CHECK;

/** Call sink->end() with the number of vulns produced; returns its result. */
int vg_osv_end(struct vg_osv_imp *imp, struct vg_err *err) VG_MUST_CHECK;

/** Start mapping the next record: bumps the ordinal, forgets the previous id. */
void vg_osv_record_start(struct vg_osv_imp *imp);

/** Done with the current record: frees the strings built for it. */
void vg_osv_record_done(struct vg_osv_imp *imp);

/**
 * Hand a warning "PATH: record ID: field '@field': MESSAGE" to sink->warn
 * (if any).  @field may be NULL (the message is then about the record, or
 * about the file when no record is being mapped).  "record #N" stands for
 * the id until it is known.
 */
void vg_osv_warn(struct vg_osv_imp *imp, const char *field, const char *fmt, ...) VG_PRINTF(3, 4);

/** snprintf() for field names, which may be cut short (messages only). */
void vg_osv_fieldf(char *buf, size_t cap, const char *fmt, ...) VG_PRINTF(3, 4);

/**
 * Fill @err with "record ID: field '@field': MESSAGE" and return @code.
 * The path is left out: vg_feed_import_file() puts it in front.
 */
int vg_osv_fail(struct vg_osv_imp *imp, struct vg_err *err, int code, const char *field,
		const char *fmt, ...) VG_PRINTF(5, 6);

/* ---- typed access to a record: a member of the wrong type is a structural error ----
 * Field names in messages are "@at.@key" (or "@key" when @at is NULL).
 * Strings are borrowed from the tree; "" reads as NULL (record.h: an absent
 * field is NULL); a string holding a NUL byte is an error. */

/** Fill @err with "field '@at.@key': expected @what" and return VG_EINVAL. */
int vg_osv_bad_type(struct vg_osv_imp *imp, struct vg_err *err, const char *at, const char *key,
		    const char *what) VG_MUST_CHECK;

/** The JSON value @m (NULL or null: *@out = NULL) as a string named @at.@key. */
int vg_osv_str_value(struct vg_osv_imp *imp, const json_t *m, const char *at, const char *key,
		     const char **out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Member @key of object @obj as a string. */
int vg_osv_get_str(struct vg_osv_imp *imp, const json_t *obj, const char *key, const char *at,
		   const char **out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Member @key of @obj that must be an array; absent or null gives *@out = NULL. */
int vg_osv_get_arr(struct vg_osv_imp *imp, const json_t *obj, const char *key, const char *at,
		   json_t **out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Member @key of @obj that must be an object; absent or null gives *@out = NULL. */
int vg_osv_get_obj(struct vg_osv_imp *imp, const json_t *obj, const char *key, const char *at,
		   json_t **out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Element @i of array @arr (field "@at[@i]") as a string. */
int vg_osv_elem_str(struct vg_osv_imp *imp, const json_t *arr, size_t i, const char *at,
		    const char **out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/**
 * Map an OSV ecosystem string ("PyPI", "Debian:12", "Ubuntu:Pro:18.04:LTS",
 * "Alpine:v3.18", ...) to the namespace statements carry and the version
 * scheme that orders its versions.  *@ns is static or in @imp's arena.
 * VG_ENOTFOUND for an ecosystem Vigil does not match against.
 */
int vg_osv_ecosystem(struct vg_osv_imp *imp, const char *ecosystem, const char **ns /* OUT */,
		     enum vg_ver_scheme *scheme /* OUT */) VG_MUST_CHECK;

/**
 * The version @v as statements carry it under @scheme, or NULL after a
 * warning naming @field when the scheme rejects it.  White space around it
 * is dropped; for SemVer one leading "v" is dropped and a "MAJOR" or
 * "MAJOR.MINOR" release is completed with ".0" (Go's shorthand, and what
 * GitHub ranges write).  The result is @v itself or a copy in the arena.
 */
const char *vg_osv_version(struct vg_osv_imp *imp, enum vg_ver_scheme scheme, const char *v,
			   const char *field);

/**
 * Hand one statement to sink->affected() after filling in the record's id
 * as vuln_id and advisory.  Returns the sink's result.
 */
int vg_osv_emit_affected(struct vg_osv_imp *imp, struct vg_affected *a,
			 struct vg_err *err) VG_MUST_CHECK;

/** Hand @v to sink->vuln() and count it.  Returns the sink's result. */
int vg_osv_emit_vuln(struct vg_osv_imp *imp, const struct vg_vuln *v,
		     struct vg_err *err) VG_MUST_CHECK;

/**
 * Check a CVSS vector from the feed: on success store it (one trailing "/"
 * dropped) in *@slot unless the slot is already set; on failure warn,
 * naming @field.  @want is the CVSS major version the field promises (2, 3
 * or 4), or 0 to accept any and choose the slot by the vector's version
 * (then @slot is ignored and @v's matching member is used).
 */
void vg_osv_take_vector(struct vg_osv_imp *imp, struct vg_vuln *v, int want, const char *vector,
			const char *field);

/**
 * Map one OSV record (a jansson object) to a vuln and its affected
 * statements and hand them to the sink.  VG_EINVAL with @err naming the
 * record and field for a structural problem (no id, a member of the wrong
 * type); problems with single values are warnings.  Does not take
 * ownership of @rec.
 */
int vg_osv_map_record(struct vg_osv_imp *imp, const json_t *rec, struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_FEEDS_OSV_INT_H */
