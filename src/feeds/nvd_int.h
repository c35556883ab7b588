/*
 * nvd_int.h - helpers shared by the NVD importers (nvd.c) and the CVE JSON 5
 * importer (cve5.c); private to src/feeds, defined in nvd.c.
 *
 * Both formats hand over each record as a jansson tree (vg_jstream_read()),
 * from which a struct vg_vuln is assembled: its strings point into that tree
 * (which lives for the record callback), its arrays are allocated in a
 * per-record arena that is released once the sink has had the record.
 *
 * Error policy (feed.h): a wrong JSON type, a record without its id or a
 * CPE match without its criteria stops the import with VG_EINVAL and a
 * message "record <id>: field '<path>': ..." (vg_feed_import_file() puts the
 * file name in front); a bad optional value (CVSS vector, CWE form, an
 * unusable configuration) is reported through sink->warn with the file name,
 * record and field, and dropped.
 *
 * Not thread-safe: one struct vg_nvd_ctx per import.
 */
#ifndef VG_FEEDS_NVD_INT_H
#define VG_FEEDS_NVD_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"
#include "feeds/feed.h"
#include "feeds/record.h"

/* Longest header value (version, timestamp) kept for vg_feed_source. */
#define VG_NVD_HEADER_MAX 128
/* Longest field path in messages. */
#define VG_NVD_WHERE_MAX  160

/* One import in progress. */
struct vg_nvd_ctx {
	const char *path;                /* file name for warnings (borrowed) */
	const struct vg_feed_sink *sink; /* borrowed */
	struct vg_err *err;              /* may be NULL */
	struct vg_feed_source src;       /* given to begin() and end() */
	char *version;                   /* owned copy behind src.version, or NULL */
	char *snapshot;                  /* owned copy behind src.snapshot, or NULL */
	bool begun;                      /* begin() has been called */
	uint64_t nrecords;               /* records handed to sink->vuln */
	struct vg_arena arena;           /* the current record's arrays */
	char rec[96];                    /* the current record, for messages */
};

/* A vulnerability being assembled (arrays in the context's arena). */
struct vg_nvd_rec {
	struct vg_vuln v;
	const char **cwes;
	size_t ncwes, cwecap;
	struct vg_vuln_ref *refs;
	size_t nrefs, refcap;
	struct vg_cpe_config *configs;
	size_t nconfigs, cfgcap;
	json_t *seen_cwes; /* set of CWE ids already added (owned) */
	json_t *seen_urls; /* URL -> index in refs (owned) */
};

/* CVSS generations, each with one vector slot in struct vg_vuln. */
enum vg_nvd_cvss_slot { VG_NVD_CVSS2, VG_NVD_CVSS3, VG_NVD_CVSS4 };

/* Member names of a CPE node, which differ between NVD 2.0 and 1.1. */
struct vg_nvd_node_keys {
	const char *matches;  /* "cpeMatch" / "cpe_match" */
	const char *criteria; /* "criteria" / "cpe23Uri" */
};

extern const struct vg_nvd_node_keys vg_nvd_keys_v2;

/**
 * Start an import of @in into @sink as source @name with format id @format
 * (both static strings), mode MERGE.  Borrows everything; @err may be NULL.
 */
void vg_nvd_ctx_init(struct vg_nvd_ctx *c, const struct vg_feed_in *in,
		     const struct vg_feed_sink *sink, struct vg_err *err, const char *name,
		     const char *format);

/** Free what @c owns (the header copies and the record arena). */
void vg_nvd_ctx_release(struct vg_nvd_ctx *c);

/**
 * Keep a copy of header value @value (a JSON string of at most
 * VG_NVD_HEADER_MAX bytes; anything else is ignored) as the source version
 * (@snapshot false) or snapshot (@snapshot true).  A header read after
 * begin() reaches end() only.
 */
void vg_nvd_header(struct vg_nvd_ctx *c, bool snapshot, const json_t *value);

/** Name the current record in messages (printf format, truncated). */
void vg_nvd_set_rec(struct vg_nvd_ctx *c, const char *fmt, ...) VG_PRINTF(2, 3);

/** snprintf() of a field path for messages (a path too long is cut). */
void vg_nvd_where(char *buf, size_t n, const char *fmt, ...) VG_PRINTF(3, 4);

/** Fill @c->err with "record <rec>: <message>" and return VG_EINVAL. */
int vg_nvd_fail(struct vg_nvd_ctx *c, const char *fmt, ...) VG_PRINTF(2, 3);

/** Send "<file>: record <rec>: <message>" to sink->warn (if any). */
void vg_nvd_warn(struct vg_nvd_ctx *c, const char *fmt, ...) VG_PRINTF(2, 3);

/*
 * Typed members of @obj, named "<where>.<key>" in messages (@where may be
 * ""): absent or null gives NULL / the default and VG_OK; a wrong type
 * gives VG_EINVAL through vg_nvd_fail().  Strings: "" counts as absent.
 * Returned values are borrowed from @obj.
 */

/** Optional string member. */
int vg_nvd_str(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where,
	       const char **out /* OUT */) VG_MUST_CHECK;
/** Optional array member. */
int vg_nvd_arr(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where,
	       const json_t **out /* OUT */) VG_MUST_CHECK;
/** Optional object member. */
int vg_nvd_obj(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where,
	       const json_t **out /* OUT */) VG_MUST_CHECK;
/** Optional boolean member, @dflt when absent. */
int vg_nvd_bool(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where,
		bool dflt, bool *out /* OUT */) VG_MUST_CHECK;
/** Optional number member, NaN when absent. */
int vg_nvd_num(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where,
	       double *out /* OUT */) VG_MUST_CHECK;

/**
 * Element @i of array @arr, which must be an object (else VG_EINVAL naming
 * "<where>[i]").
 */
int vg_nvd_elem_obj(struct vg_nvd_ctx *c, const json_t *arr, size_t i, const char *where,
		    const json_t **out /* OUT */) VG_MUST_CHECK;

/**
 * The text to use from an array of {"lang", "value"} objects: the first
 * English one ("en", "en-US", "eng"...), else the first one.  NULL when none.
 */
int vg_nvd_text(struct vg_nvd_ctx *c, const json_t *arr, const char *where,
		const char **out /* OUT */) VG_MUST_CHECK;

/** Start a record (zeroes @r, scores NaN). */
void vg_nvd_rec_init(struct vg_nvd_rec *r);

/** Free what @r owns (not the arena, which vg_nvd_emit() or vg_nvd_rec_drop() frees). */
void vg_nvd_rec_release(struct vg_nvd_rec *r);

/**
 * Is @vector a valid vector of @slot's CVSS generation?  If not, warns
 * naming @field ("<where>") and returns false.
 */
bool vg_nvd_cvss_ok(struct vg_nvd_ctx *c, enum vg_nvd_cvss_slot slot, const char *vector,
		    const char *field);

/**
 * Add CWE id @cwe (from field @field) once.  "NVD-CWE-Other" and
 * "NVD-CWE-noinfo" are ignored; anything not "CWE-<digits>" is warned about
 * and dropped.
 */
void vg_nvd_add_cwe(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const char *cwe, const char *field);

/**
 * Add a reference to @url with the tag array @tags (strings, or NULL).
 * A URL already added keeps its first tags (or takes these if it had none)
 * and becomes an exploit if either copy is.  Tags are joined with ","; a tag
 * containing "exploit" (any case) marks the reference as an exploit.
 */
int vg_nvd_add_ref(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const char *url, const json_t *tags,
		   const char *where) VG_MUST_CHECK;

/**
 * Add the references of @arr (at @where), an array of {"url", "tags": [...]}
 * objects as NVD 2.0, NVD 1.1 and CVE JSON 5 all write them; one without a
 * URL is warned about and dropped.
 */
int vg_nvd_add_refs(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *arr,
		    const char *where) VG_MUST_CHECK;

/**
 * Parse CPE node @node (at @where) with member names @keys into @out.
 * *@usable is false (after a warning) when the node cannot be represented
 * and its configuration must be dropped; a node without matches is usable
 * with nmatches 0 (callers decide).  VG_EINVAL on a wrong type or a match
 * without criteria.
 */
int vg_nvd_node(struct vg_nvd_ctx *c, const json_t *node, const char *where,
		const struct vg_nvd_node_keys *keys, struct vg_cpe_node *out /* OUT */,
		bool *usable /* OUT */) VG_MUST_CHECK;

/**
 * Add the configurations of an NVD 2.0 "configurations" array (the shape
 * CVE JSON 5 "cpeApplicability" shares) at @where.  A configuration that
 * is negated, has an unknown operator or an unusable node is warned about
 * and dropped; empty nodes are dropped from OR configurations, and an AND
 * configuration with an empty node (which could never match) is dropped.
 */
int vg_nvd_add_configs(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *arr,
		       const char *where) VG_MUST_CHECK;

/** Append configuration @cfg (its arrays already in the arena) to @r. */
void vg_nvd_push_config(struct vg_nvd_ctx *c, struct vg_nvd_rec *r,
			const struct vg_cpe_config *cfg);

/**
 * Room for one more element in arena array @items of @n elements of @size
 * bytes and capacity *@cap; returns @items or a larger copy.
 */
void *vg_nvd_grow(struct vg_nvd_ctx *c, void *items, size_t n, size_t *cap, size_t size);

/** Call sink->begin() once, if not done yet. */
int vg_nvd_begin(struct vg_nvd_ctx *c) VG_MUST_CHECK;

/**
 * Hand the finished record to sink->vuln() (calling begin() first if
 * needed), release @r and the record arena.
 */
int vg_nvd_emit(struct vg_nvd_ctx *c, struct vg_nvd_rec *r) VG_MUST_CHECK;

/** Abandon the current record after an error: release @r and the arena. */
void vg_nvd_rec_drop(struct vg_nvd_ctx *c, struct vg_nvd_rec *r);

/** begin() if no record came, then end() with the record count. */
int vg_nvd_finish(struct vg_nvd_ctx *c) VG_MUST_CHECK;

/** ASCII-case-insensitive "does @s contain @needle" (@needle: ASCII letters only). */
bool vg_nvd_contains_nocase(const char *s, const char *needle);

#endif /* VG_FEEDS_NVD_INT_H */
