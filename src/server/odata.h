/*
 * odata.h - OData v4 query options for vigild's Defender-compatible API.
 *
 * Parses the query options a Defender TVM client sends ($filter, $top,
 * $skip, $select, $orderby; see docs/internals/odata.md) against a
 * caller-supplied list of the resource's fields, and then either evaluates
 * a filter on one row at a time or renders it as a parameterised SQLite
 * WHERE clause.  Every input is untrusted: lengths, nesting depth, node
 * count and in-list sizes are bounded, and errors carry the 1-based column
 * and a message fit for a 400 error body ("$filter: column 17: expected ')'").
 *
 * All functions are thread-safe on distinct objects; a parsed filter is
 * immutable and may be shared between threads for evaluation.
 */
#ifndef VG_SERVER_ODATA_H
#define VG_SERVER_ODATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

/* Limits on a $filter (exceeding one is VG_ETOOBIG). */
#define VG_ODATA_MAX_LEN     4096 /* bytes of $filter text (also $select, $orderby) */
#define VG_ODATA_MAX_DEPTH   32   /* nesting: AST depth and parenthesis depth */
#define VG_ODATA_MAX_NODES   256  /* AST nodes (operators, comparisons, functions) */
#define VG_ODATA_MAX_IN      100  /* items in one `field in (...)` list */
#define VG_ODATA_MAX_ORDERBY 4    /* keys in $orderby */
#define VG_ODATA_MAX_SELECT  64   /* fields in $select */

/* The type of a field or a value. */
enum vg_odata_type {
	VG_ODATA_NULL = 0, /* only for values: the null literal or a missing row value */
	VG_ODATA_STRING,
	VG_ODATA_NUMBER,
	VG_ODATA_BOOL,
	VG_ODATA_DATETIME,
};

/*
 * One filterable field of a resource.  `name` is the OData property name
 * (matched ASCII-case-insensitively, printed as given here); `column` is the
 * SQL expression vg_odata_to_sql() writes for it (NULL: `name`).  `column`
 * is trusted program text, never derived from a request.
 */
struct vg_odata_field {
	const char *name;
	enum vg_odata_type type;
	const char *column;
};

/*
 * A typed value: a literal of a parsed filter, or a field of a row handed
 * to vg_odata_eval().  Only the member matching `type` is meaningful.
 */
struct vg_odata_value {
	enum vg_odata_type type;
	struct vg_str s; /* STRING: the text (unescaped); DATETIME literal: canonical text */
	double num;      /* NUMBER */
	bool b;          /* BOOL */
	int64_t dt;      /* DATETIME: microseconds since 1970-01-01T00:00:00Z */
};

/* A parsed $filter (opaque; owns its nodes and literal strings). */
struct vg_odata_filter;

/*
 * Row accessor for vg_odata_eval(): fill @out with the value of field
 * number @field (an index into the field list the filter was parsed with)
 * for the current row.  Strings are borrowed and need only live until
 * vg_odata_eval() returns.  Return VG_OK, or an error to make the value null.
 */
typedef int (*vg_odata_get_fn)(void *ctx, size_t field, struct vg_odata_value *out);

/*
 * Parameter sink for vg_odata_to_sql(): called once per `?` in the order
 * they appear in the SQL, @index 1-based (sqlite3_bind_* numbering).  The
 * value (and its strings) is borrowed from the filter and lives as long as
 * it does.  Return VG_OK or an error that aborts the rendering.
 */
typedef int (*vg_odata_bind_fn)(void *ctx, int index, const struct vg_odata_value *v);

/**
 * Parse the $filter expression @text against @fields (borrowed; must outlive
 * the result), @nfields of them.  On success *@out is a new filter the caller
 * frees with vg_odata_filter_free().  Errors: VG_EINVAL for syntax, unknown
 * fields and type mismatches, VG_ETOOBIG for the limits above; @err (may be
 * NULL) receives the 1-based byte column and "$filter: column N: ..." text.
 */
int vg_odata_filter_parse(struct vg_str text, const struct vg_odata_field *fields, size_t nfields,
			  struct vg_odata_filter **out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Free a filter from vg_odata_filter_parse().  NULL is a no-op. */
void vg_odata_filter_free(struct vg_odata_filter *f);

/**
 * Evaluate @f on one row whose fields @get returns.  OData's two-valued null
 * semantics: `x eq null` is true only for a null x, `x ne 'a'` is true for a
 * null x, and every other comparison or function of a null is false.  String
 * eq/ne/in and gt/ge/lt/le compare bytes exactly; startswith, endswith and
 * contains are ASCII-case-insensitive.  Returns whether the row matches.
 */
bool vg_odata_eval(const struct vg_odata_filter *f, vg_odata_get_fn get, void *ctx);

/**
 * Append to @sql a SQLite boolean expression equivalent to vg_odata_eval()
 * (same null and case rules), with every literal as a `?` parameter handed
 * to @bind in order; a literal's text is never written into @sql.  Column
 * names come from the field list.  Returns VG_OK, VG_ETOOBIG when @sql is
 * full, or @bind's error; on error @sql may hold a partial expression.
 */
int vg_odata_to_sql(const struct vg_odata_filter *f, struct vg_buf *sql, vg_odata_bind_fn bind,
		    void *ctx) VG_MUST_CHECK;

/**
 * Append @f to @out in canonical $filter syntax: and/or fully parenthesised,
 * `not (...)`, canonical field names, numbers and datetimes.  Parsing the
 * output gives a filter with the same dump.  Returns VG_OK or VG_ETOOBIG.
 */
int vg_odata_dump(const struct vg_odata_filter *f, struct vg_buf *out) VG_MUST_CHECK;

/**
 * Parse an OData datetime (`2021-01-01T00:00:00Z`, optional seconds and
 * fraction, `Z` or `+hh:mm`/`-hh:mm`; a bare date means midnight UTC) into
 * microseconds since the epoch.  For row accessors reading stored text.
 * Digits past the sixth of the fraction are truncated.  Returns VG_OK or VG_EINVAL.
 */
int vg_odata_parse_datetime(struct vg_str s, int64_t *out /* OUT */) VG_MUST_CHECK;

/* One $orderby key. */
struct vg_odata_order {
	size_t field; /* index into the field list */
	bool desc;
};

/* The query options of one request, all optional in the request. */
struct vg_odata_query {
	struct vg_odata_filter *filter; /* owned; NULL when there is no $filter */
	uint64_t top;  /* $top, capped at the caller's maximum; that maximum if absent */
	uint64_t skip; /* $skip; 0 if absent */
	size_t select[VG_ODATA_MAX_SELECT]; /* $select field indexes, in request order */
	size_t nselect;                     /* 0: all fields (absent or `*`) */
	struct vg_odata_order orderby[VG_ODATA_MAX_ORDERBY];
	size_t norderby;
};

/*
 * The raw (URL-decoded) option values of a request; a slice whose `p` is
 * NULL means the option was absent.  Slices are borrowed.
 */
struct vg_odata_options {
	struct vg_str filter, top, skip, select, orderby;
	uint64_t top_max; /* the resource's $top maximum (10000 for most Defender resources) */
};

/**
 * Parse all query options of @opt against @fields (borrowed; must outlive
 * @q) into @q, which the caller releases with vg_odata_query_release().
 * A $top above opt->top_max is lowered to it (not an error).  Errors as for
 * vg_odata_filter_parse(), with the option's name leading the message; on
 * error @q holds nothing to release.
 */
int vg_odata_query_parse(struct vg_odata_query *q, const struct vg_odata_options *opt,
			 const struct vg_odata_field *fields, size_t nfields,
			 struct vg_err *err) VG_MUST_CHECK;

/** Free what @q owns (its filter).  @q may be released twice. */
void vg_odata_query_release(struct vg_odata_query *q);

#endif /* VG_SERVER_ODATA_H */
