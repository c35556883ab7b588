/*
 * api_query.h - the generic collection engine of /api (docs/api.md).
 *
 * A resource is a table of fields (OData name, SQL expression, output
 * kind) plus a FROM clause, a fixed WHERE and a default ORDER BY.  From
 * that and a request's OData options the engine builds
 *
 *   SELECT <fields> FROM <from> WHERE (<where>) AND (<sel where>) AND (<$filter>)
 *   ORDER BY <$orderby>, <order> LIMIT ? OFFSET ?
 *
 * binds every literal, steps the rows and writes the reference's envelope
 * ({"@odata.context":".../api/$metadata#<Context>","value":[...]}, or one
 * entity with "#<Context>/$entity") or RFC 4180 CSV.  All SQL text comes
 * from the program (field tables, clauses); request text only ever reaches
 * SQLite as bound parameters.
 *
 * Parameters of the program's clauses: write them numbered, ?1 .. ?N, in
 * `from`, `where`, struct vg_api_select's `where` and `order`, and pass N
 * values in struct vg_api_select's `params`; the engine numbers the
 * $filter's literals ?N+1 ... and LIMIT/OFFSET after them.  A field's SQL
 * holds no '?' at all.
 *
 * Date-times: a VG_API_DATETIME field's SQL yields Unix seconds (INTEGER);
 * the output is "2021-01-25T07:27:36Z" and $filter datetime literals are
 * bound as seconds (a fraction as a REAL), so they compare correctly.
 *
 * Threads: the functions only touch their arguments; the kb is the calling
 * thread's connection.
 */
#ifndef VG_SERVER_API_QUERY_H
#define VG_SERVER_API_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"
#include "server/http.h"
#include "server/odata.h"
#include "store/kb.h"

#define VG_API_MAX_FIELDS 64 /* fields of one resource */
#define VG_API_TOP_MAX    10000
#define VG_API_SQL_MAX    (64u * 1024) /* bytes of generated SQL */

/* How a field's SQL value is written (and which $filter type it has). */
enum vg_api_kind {
	VG_API_STRING,   /* TEXT or NULL -> string / null; $filter: string */
	VG_API_INT,      /* INTEGER -> number; $filter: number */
	VG_API_NUMBER,   /* REAL -> number (shortest round-trip form); $filter: number */
	VG_API_BOOL,     /* INTEGER 0/1 -> false/true; $filter: bool */
	VG_API_DATETIME, /* Unix seconds -> "YYYY-MM-DDTHH:MM:SSZ"; $filter: datetime */
	VG_API_ARRAY,    /* JSON array text -> the array (CSV: items joined with ';');
			    $filter: string over the JSON text (contains(machineTags,'x')) */
};

/* Field flags. */
enum vg_api_field_flags {
	VG_API_NOFILTER = 1 << 0, /* not usable in $filter */
	VG_API_NOSORT = 1 << 1,   /* not usable in $orderby (still in $select) */
	VG_API_HIDDEN = 1 << 2,   /* only written when $select names it */
};

/* One property of a resource.  All strings are trusted program text. */
struct vg_api_field {
	const char *name; /* OData property name, as printed */
	const char *sql;  /* SQL expression of the value (no parameters) */
	enum vg_api_kind kind;
	unsigned flags;     /* enum vg_api_field_flags */
	const char *filter; /* SQL used in $filter/$orderby instead of `sql`; NULL: `sql` */
};

/* A resource: what one route serves.  Usually a static const. */
struct vg_api_resource {
	const char *context;               /* "Machines": @odata.context suffix and CSV file name */
	const struct vg_api_field *fields; /* at most VG_API_MAX_FIELDS */
	size_t nfields;
	const char *from;  /* "device d LEFT JOIN ..." (may hold ?N) */
	const char *where; /* fixed condition, or NULL (may hold ?N) */
	/* Default ORDER BY, ending with a unique key so that ties never reorder pages. */
	const char *order;
	uint64_t top_max; /* $top maximum and default; 0: VG_API_TOP_MAX */
	/* Export paging (spec §3.4 "Export assessment entities"): when page_default > 0,
	 * `pageSize` (1..page_max, 0: page_default) sets the page, `$skiptoken` continues,
	 * and a page with more rows after it ends with "@odata.nextLink"; a request with
	 * $top instead gets one unpaged document of at most $top rows. */
	uint64_t page_default;
	uint64_t page_max;
};

/* A parameter value of the program's clauses (?1 .. ?N). */
enum vg_api_param_type { VG_API_P_TEXT, VG_API_P_INT, VG_API_P_REAL };

struct vg_api_param {
	enum vg_api_param_type type;
	const char *s; /* TEXT (borrowed; NULL binds SQL NULL) */
	int64_t i;     /* INT */
	double d;      /* REAL */
};

/* Shorthands for struct vg_api_param initialisers. */
#define VG_API_TEXT(str) ((struct vg_api_param){.type = VG_API_P_TEXT, .s = (str)})
#define VG_API_INTP(v)   ((struct vg_api_param){.type = VG_API_P_INT, .i = (v)})

/* One query over a resource: the resource plus this route's restriction. */
struct vg_api_select {
	const struct vg_api_resource *res;
	const char *where; /* extra condition ANDed in (e.g. "d.id = ?1"), or NULL */
	const char *order; /* replaces res->order (e.g. for an entity lookup), or NULL */
	const struct vg_api_param *params; /* values of ?1 .. ?nparams (borrowed) */
	size_t nparams;
};

/* The request-side inputs of a query, independent of HTTP (tests fill them directly). */
struct vg_api_request {
	struct vg_str filter, top, skip, select, orderby; /* raw option values; p NULL: absent */
	struct vg_str page_size, skiptoken;               /* export paging options */
	bool csv;                                         /* write CSV instead of JSON */
	const char *base; /* "<scheme>://<host>" for @odata.context */
	const char *self; /* the request URL without $skiptoken, for nextLink (NULL: none) */
	char *owned[2];   /* what vg_api_request_from_http() allocated (base, self) */
};

/* What vg_api_run() decided besides the body. */
struct vg_api_result {
	size_t rows;      /* rows written */
	bool more;        /* export paging: a further page exists (nextLink written) */
	const char *code; /* on error: the Defender error code ("ODataError", "NotFound") */
	int status;       /* on error: the HTTP status (400, 404, 500) */
};

/* Parsed query options and the field lists they point into. */
struct vg_api_parsed {
	struct vg_odata_query q; /* $select/$orderby index res->fields; filter knows filt */
	struct vg_odata_field all[VG_API_MAX_FIELDS];  /* every field, as res->fields */
	struct vg_odata_field filt[VG_API_MAX_FIELDS]; /* the filterable ones */
	size_t nall, nfilt;
};

/**
 * Parse @rq's OData options against @res into @p (release with
 * vg_api_parsed_release(), also after an error).  VG_EINVAL/VG_ETOOBIG with
 * the parser's message ("$filter: column 3: ...") in @err; VG_EINVAL for a
 * $orderby on a VG_API_NOSORT field.
 */
int vg_api_parse_query(const struct vg_api_resource *res, const struct vg_api_request *rq,
		       struct vg_api_parsed *p /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Free what @p owns.  May be called twice. */
void vg_api_parsed_release(struct vg_api_parsed *p);

/**
 * Append the SELECT of @sel for the options @p to @sql, binding nothing;
 * *@nfilter receives the number of $filter parameters (numbered after
 * sel->nparams; LIMIT and OFFSET follow).  VG_ETOOBIG when @sql is full.
 */
int vg_api_build_sql(const struct vg_api_select *sel, const struct vg_api_parsed *p,
		     struct vg_buf *sql, size_t *nfilter /* OUT */) VG_MUST_CHECK;

/**
 * Run @sel with @rq on @kb and append the collection document (JSON
 * envelope or CSV) to @out; with @entity, the first row alone as an entity
 * (no row: VG_ENOTFOUND, NotFound/404).  Errors: VG_EINVAL for bad query
 * options (@res->code "ODataError" or "BadRequest", status 400, message in
 * @err), VG_ETOOBIG when @out's cap is reached (status 500), VG_EIO etc.
 * for store errors (500).  On error @out may hold a partial document.
 */
int vg_api_run(struct vg_kb *kb, const struct vg_api_select *sel, const struct vg_api_request *rq,
	       bool entity, struct vg_buf *out, struct vg_api_result *res /* OUT */,
	       struct vg_err *err) VG_MUST_CHECK;

/**
 * Fill @rq from the HTTP request: the OData options, pageSize/$skiptoken,
 * CSV when `$format=csv` or the Accept header lists text/csv before any
 * JSON type, base from the scheme and Host header, self from the path and
 * query (re-encoded, without $skiptoken).  Option values are borrowed from
 * @req; base and self are allocated: release @rq with
 * vg_api_request_release() (also after an error).  VG_EINVAL for an
 * unknown $format (message in @err).
 */
int vg_api_request_from_http(struct vg_api_request *rq /* OUT */, const struct vg_http_request *req,
			     struct vg_err *err) VG_MUST_CHECK;

/** Free what vg_api_request_from_http() allocated.  May be called twice. */
void vg_api_request_release(struct vg_api_request *rq);

/**
 * Serve a collection: vg_api_request_from_http() + vg_api_run() into
 * resp->body with the headers (OData-Version, content type, CSV
 * Content-Disposition "<context>.csv"), or the JSON error.
 */
void vg_api_reply_collection(struct vg_kb *kb, const struct vg_api_select *sel,
			     const struct vg_http_request *req, struct vg_http_response *resp);

/** Serve one entity (the first row of @sel; 404 NotFound "@what not found" without one). */
void vg_api_reply_entity(struct vg_kb *kb, const struct vg_api_select *sel, const char *what,
			 const struct vg_http_request *req, struct vg_http_response *resp);

/**
 * Format Unix seconds @t as "YYYY-MM-DDTHH:MM:SSZ" into @out (at least 32
 * bytes).  Returns @out.
 */
char *vg_api_datetime(int64_t t, char *out);

#endif /* VG_SERVER_API_QUERY_H */
