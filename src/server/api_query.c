/* api_query.c - the generic collection engine of /api (api_query.h). */
#include "server/api_query.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sqlite3.h>

#include "core/alloc.h"
#include "core/json.h"
#include "store/sql.h"

#define CT_JSON "application/json; odata.metadata=minimal; charset=utf-8"
#define CT_CSV  "text/csv; charset=utf-8"

/* ---- parsing ------------------------------------------------------------------ */

static enum vg_odata_type
odata_type(enum vg_api_kind k)
{
	switch (k) {
	case VG_API_INT:
	case VG_API_NUMBER:
		return VG_ODATA_NUMBER;
	case VG_API_BOOL:
		return VG_ODATA_BOOL;
	case VG_API_DATETIME:
		return VG_ODATA_DATETIME;
	default:
		return VG_ODATA_STRING;
	}
}

static const char *
filter_sql(const struct vg_api_field *f)
{
	return f->filter ? f->filter : f->sql;
}

static void
fill_fields(const struct vg_api_resource *res, struct vg_api_parsed *p)
{
	p->nall = p->nfilt = 0;
	for (size_t i = 0; i < res->nfields && i < VG_API_MAX_FIELDS; i++) {
		const struct vg_api_field *f = &res->fields[i];
		struct vg_odata_field of = {f->name, odata_type(f->kind), filter_sql(f)};

		p->all[p->nall++] = of;
		if (!(f->flags & VG_API_NOFILTER))
			p->filt[p->nfilt++] = of;
	}
}

static uint64_t
top_max(const struct vg_api_resource *res)
{
	return res->top_max ? res->top_max : VG_API_TOP_MAX;
}

int
vg_api_parse_query(const struct vg_api_resource *res, const struct vg_api_request *rq,
		   struct vg_api_parsed *p, struct vg_err *err)
{
	struct vg_odata_options opt = {.top = rq->top,
				       .skip = rq->skip,
				       .select = rq->select,
				       .orderby = rq->orderby,
				       .top_max = top_max(res)};
	int rc;

	memset(p, 0, sizeof(*p));
	fill_fields(res, p);
	rc = vg_odata_query_parse(&p->q, &opt, p->all, p->nall, err);
	if (rc != VG_OK)
		return rc;
	for (size_t i = 0; i < p->q.norderby; i++)
		if (res->fields[p->q.orderby[i].field].flags & VG_API_NOSORT)
			return vg_error(err, VG_EINVAL, "$orderby: '%s' cannot be sorted on",
					res->fields[p->q.orderby[i].field].name);
	if (rq->filter.p != NULL)
		rc = vg_odata_filter_parse(rq->filter, p->filt, p->nfilt, &p->q.filter, err);
	return rc;
}

void
vg_api_parsed_release(struct vg_api_parsed *p)
{
	vg_odata_query_release(&p->q);
}

/* ---- SQL ---------------------------------------------------------------------- */

/* What the $filter's bind callback collects: the literals, in parameter order. */
struct binds {
	const struct vg_odata_value **v;
	size_t n, cap;
};

static int
collect_bind(void *ctx, int index, const struct vg_odata_value *v)
{
	struct binds *b = ctx;

	(void)index;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->v = vg_xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	b->v[b->n++] = v;
	return VG_OK;
}

static int
add_where(struct vg_buf *sql, const char *cond, bool *first)
{
	int rc;

	if (cond == NULL)
		return VG_OK;
	rc = vg_buf_addf(sql, "%s(%s)", *first ? " WHERE " : " AND ", cond);
	*first = false;
	return rc;
}

/*
 * Append the $filter with its parameters numbered after the program's
 * (?N+1, ...): a bare `?` takes the largest number seen so far plus one, so
 * it would collide with a ?1 written later in the ORDER BY.  The filter's
 * SQL holds no other '?' (literals are parameters; columns are ours).
 */
static int
add_filter(struct vg_buf *sql, const struct vg_odata_filter *f, size_t nparams, struct binds *b)
{
	struct vg_buf tmp;
	size_t k = nparams + b->n;
	int rc;

	vg_buf_init(&tmp, sql->max);
	rc = vg_odata_to_sql(f, &tmp, collect_bind, b);
	for (size_t i = 0; i < tmp.len && rc == VG_OK; i++)
		rc = tmp.p[i] == '?' ? vg_buf_addf(sql, "?%zu", ++k) : vg_buf_addch(sql, tmp.p[i]);
	vg_buf_release(&tmp);
	return rc;
}

static int
build(const struct vg_api_select *sel, const struct vg_api_parsed *p, struct vg_buf *sql,
      struct binds *b)
{
	const struct vg_api_resource *res = sel->res;
	bool first = true;
	int rc = vg_buf_addstr(sql, "SELECT ");

	for (size_t i = 0; i < res->nfields && rc == VG_OK; i++)
		rc = vg_buf_addf(sql, "%s%s", i ? ", " : "", res->fields[i].sql);
	if (rc == VG_OK)
		rc = vg_buf_addf(sql, " FROM %s", res->from);
	if (rc == VG_OK)
		rc = add_where(sql, res->where, &first);
	if (rc == VG_OK)
		rc = add_where(sql, sel->where, &first);
	if (rc == VG_OK && p->q.filter != NULL) {
		rc = vg_buf_addstr(sql, first ? " WHERE " : " AND ");
		if (rc == VG_OK)
			rc = add_filter(sql, p->q.filter, sel->nparams, b);
	}
	if (rc == VG_OK)
		rc = vg_buf_addstr(sql, " ORDER BY ");
	for (size_t i = 0; i < p->q.norderby && rc == VG_OK; i++)
		rc = vg_buf_addf(sql, "%s %s, ", filter_sql(&res->fields[p->q.orderby[i].field]),
				 p->q.orderby[i].desc ? "DESC" : "ASC");
	if (rc == VG_OK)
		rc = vg_buf_addf(sql, "%s LIMIT ?%zu OFFSET ?%zu",
				 sel->order ? sel->order : res->order, sel->nparams + b->n + 1,
				 sel->nparams + b->n + 2);
	return rc;
}

int
vg_api_build_sql(const struct vg_api_select *sel, const struct vg_api_parsed *p, struct vg_buf *sql,
		 size_t *nfilter)
{
	struct binds b = {0};
	int rc = build(sel, p, sql, &b);

	*nfilter = b.n;
	free(b.v);
	return rc;
}

/* Bind a $filter literal; datetimes as Unix seconds, the unit of VG_API_DATETIME columns. */
static int
bind_value(sqlite3_stmt *st, int idx, const struct vg_odata_value *v)
{
	switch (v->type) {
	case VG_ODATA_STRING:
		return sqlite3_bind_text(st, idx, v->s.p ? v->s.p : "", (int)v->s.len,
					 SQLITE_STATIC);
	case VG_ODATA_NUMBER:
		if (v->num == floor(v->num) && fabs(v->num) < 9.0e15)
			return sqlite3_bind_int64(st, idx, (int64_t)v->num);
		return sqlite3_bind_double(st, idx, v->num);
	case VG_ODATA_BOOL:
		return sqlite3_bind_int(st, idx, v->b);
	case VG_ODATA_DATETIME:
		if (v->dt % 1000000 == 0)
			return sqlite3_bind_int64(st, idx, v->dt / 1000000);
		return sqlite3_bind_double(st, idx, (double)v->dt / 1e6);
	default:
		return sqlite3_bind_null(st, idx);
	}
}

static int
bind_param(sqlite3_stmt *st, int idx, const struct vg_api_param *p)
{
	switch (p->type) {
	case VG_API_P_TEXT:
		return p->s ? sqlite3_bind_text(st, idx, p->s, -1, SQLITE_STATIC)
			    : sqlite3_bind_null(st, idx);
	case VG_API_P_INT:
		return sqlite3_bind_int64(st, idx, p->i);
	default:
		return sqlite3_bind_double(st, idx, p->d);
	}
}

static int
bind_all(sqlite3_stmt *st, const struct vg_api_select *sel, const struct binds *b, int64_t limit,
	 int64_t offset)
{
	int idx = 1, rc = SQLITE_OK;

	for (size_t i = 0; i < sel->nparams && rc == SQLITE_OK; i++)
		rc = bind_param(st, idx++, &sel->params[i]);
	for (size_t i = 0; i < b->n && rc == SQLITE_OK; i++)
		rc = bind_value(st, idx++, b->v[i]);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, idx++, limit);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, idx, offset);
	return rc;
}

/* ---- values ------------------------------------------------------------------- */

char *
vg_api_datetime(int64_t t, char *out)
{
	struct tm tm;
	time_t tt = (time_t)t;

	/* Out of the four-digit years: the epoch, rather than text no client parses. */
	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = 70;
		tm.tm_mday = 1;
	}
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
		 (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
		 (unsigned)tm.tm_sec % 100u);
	return out;
}

/* The shortest text that reads back as @v. */
static int
format_number(double v, char out[32])
{
	int n = snprintf(out, 32, "%.15g", v);

	if (strtod(out, NULL) != v)
		n = snprintf(out, 32, "%.17g", v);
	return n;
}

static struct vg_str
col_text(sqlite3_stmt *st, int col)
{
	const char *p = (const char *)sqlite3_column_text(st, col);

	return vg_str_n(p ? p : "", (size_t)sqlite3_column_bytes(st, col));
}

/* The JSON array in column @col, or NULL when it is not one. */
static json_t *
col_array(sqlite3_stmt *st, int col)
{
	struct vg_str s = col_text(st, col);
	json_t *a = s.len ? json_loadb(s.p, s.len, JSON_DECODE_ANY, NULL) : NULL;

	if (a != NULL && !json_is_array(a)) {
		json_decref(a);
		a = NULL;
	}
	return a;
}

static void
json_any(struct vg_json *j, const json_t *v)
{
	char *text;

	if (json_is_string(v)) {
		vg_json_string_n(j, json_string_value(v), json_string_length(v));
		return;
	}
	text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (text != NULL)
		vg_json_raw(j, text, strlen(text));
	else
		vg_json_null(j);
	free(text);
}

static void
json_value(struct vg_json *j, sqlite3_stmt *st, int col, enum vg_api_kind kind)
{
	char tmp[32];

	if (kind == VG_API_ARRAY) {
		json_t *a = col_array(st, col);
		size_t i;
		json_t *v;

		vg_json_begin_array(j);
		json_array_foreach(a, i, v) json_any(j, v);
		vg_json_end_array(j);
		json_decref(a);
		return;
	}
	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		vg_json_null(j);
		return;
	}
	switch (kind) {
	case VG_API_INT:
		vg_json_int(j, sqlite3_column_int64(st, col));
		break;
	case VG_API_NUMBER:
		vg_json_raw(j, tmp, (size_t)format_number(sqlite3_column_double(st, col), tmp));
		break;
	case VG_API_BOOL:
		vg_json_bool(j, sqlite3_column_int64(st, col) != 0);
		break;
	case VG_API_DATETIME:
		vg_json_string(j, vg_api_datetime(sqlite3_column_int64(st, col), tmp));
		break;
	default: {
		struct vg_str s = col_text(st, col);

		vg_json_string_n(j, s.p, s.len);
	}
	}
}

/* ---- CSV ---------------------------------------------------------------------- */

static int
csv_cell(struct vg_buf *b, struct vg_str s)
{
	bool quote = false;
	int rc = VG_OK;

	for (size_t i = 0; i < s.len && !quote; i++)
		quote = s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\r' || s.p[i] == '\n';
	if (!quote)
		return vg_buf_addslice(b, s);
	rc = vg_buf_addch(b, '"');
	for (size_t i = 0; i < s.len && rc == VG_OK; i++)
		rc = s.p[i] == '"' ? vg_buf_addstr(b, "\"\"") : vg_buf_addch(b, s.p[i]);
	return rc == VG_OK ? vg_buf_addch(b, '"') : rc;
}

static int
csv_array(struct vg_buf *b, sqlite3_stmt *st, int col)
{
	json_t *a = col_array(st, col), *v;
	struct vg_buf cell;
	size_t i;
	int rc = VG_OK;

	vg_buf_init(&cell, b->max);
	json_array_foreach(a, i, v)
	{
		char *text =
			json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		if (rc == VG_OK && i > 0)
			rc = vg_buf_addch(&cell, ';');
		if (rc == VG_OK)
			rc = json_is_string(v) ? vg_buf_add(&cell, json_string_value(v),
							    json_string_length(v))
					       : vg_buf_addstr(&cell, text ? text : "");
		free(text);
	}
	json_decref(a);
	if (rc == VG_OK)
		rc = csv_cell(b, vg_str_n(cell.p, cell.len));
	vg_buf_release(&cell);
	return rc;
}

static int
csv_value(struct vg_buf *b, sqlite3_stmt *st, int col, enum vg_api_kind kind)
{
	char tmp[32];

	if (kind == VG_API_ARRAY)
		return csv_array(b, st, col);
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return VG_OK;
	switch (kind) {
	case VG_API_INT:
		return vg_buf_addf(b, "%" PRId64, (int64_t)sqlite3_column_int64(st, col));
	case VG_API_NUMBER:
		format_number(sqlite3_column_double(st, col), tmp);
		return vg_buf_addstr(b, tmp);
	case VG_API_BOOL:
		return vg_buf_addstr(b, sqlite3_column_int64(st, col) ? "true" : "false");
	case VG_API_DATETIME:
		return vg_buf_addstr(b, vg_api_datetime(sqlite3_column_int64(st, col), tmp));
	default:
		return csv_cell(b, col_text(st, col));
	}
}

/* ---- running ------------------------------------------------------------------ */

/* The fields written, in order: $select's, or every field not hidden. */
struct outcols {
	size_t idx[VG_API_MAX_FIELDS];
	size_t n;
};

static void
out_columns(const struct vg_api_resource *res, const struct vg_api_parsed *p, struct outcols *oc)
{
	oc->n = 0;
	if (p->q.nselect > 0) {
		for (size_t i = 0; i < p->q.nselect && oc->n < VG_API_MAX_FIELDS; i++)
			oc->idx[oc->n++] = p->q.select[i];
		return;
	}
	for (size_t i = 0; i < res->nfields && oc->n < VG_API_MAX_FIELDS; i++)
		if (!(res->fields[i].flags & VG_API_HIDDEN))
			oc->idx[oc->n++] = i;
}

/* The state of one run. */
struct run {
	const struct vg_api_select *sel;
	const struct vg_api_request *rq;
	struct outcols oc;
	struct vg_buf *out;
	struct vg_json j;
	bool entity;
};

static void
json_props(struct run *r, sqlite3_stmt *st)
{
	for (size_t i = 0; i < r->oc.n; i++) {
		const struct vg_api_field *f = &r->sel->res->fields[r->oc.idx[i]];

		vg_json_key(&r->j, f->name);
		json_value(&r->j, st, (int)r->oc.idx[i], f->kind);
	}
}

static int
csv_row(struct run *r, sqlite3_stmt *st)
{
	int rc = VG_OK;

	for (size_t i = 0; i < r->oc.n && rc == VG_OK; i++) {
		const struct vg_api_field *f = &r->sel->res->fields[r->oc.idx[i]];

		if (i > 0)
			rc = vg_buf_addch(r->out, ',');
		if (rc == VG_OK)
			rc = csv_value(r->out, st, (int)r->oc.idx[i], f->kind);
	}
	return rc == VG_OK ? vg_buf_addstr(r->out, "\r\n") : rc;
}

static int
csv_header(struct run *r)
{
	int rc = VG_OK;

	for (size_t i = 0; i < r->oc.n && rc == VG_OK; i++)
		rc = vg_buf_addf(r->out, "%s%s", i ? "," : "",
				 r->sel->res->fields[r->oc.idx[i]].name);
	return rc == VG_OK ? vg_buf_addstr(r->out, "\r\n") : rc;
}

static void
json_context(struct run *r)
{
	struct vg_buf ctx;

	vg_buf_init(&ctx, 4096);
	if (vg_buf_addf(&ctx, "%s/api/$metadata#%s%s", r->rq->base ? r->rq->base : "",
			r->sel->res->context, r->entity ? "/$entity" : "") != VG_OK)
		vg_buf_reset(&ctx);
	vg_json_begin_object(&r->j);
	vg_json_kv_str(&r->j, "@odata.context", ctx.p);
	vg_buf_release(&ctx);
}

/* Step @st, writing at most @limit rows; *@more says whether a further row exists. */
static int
write_rows(struct run *r, sqlite3_stmt *st, uint64_t limit, size_t *rows, bool *more)
{
	int src, rc = VG_OK;

	*rows = 0;
	*more = false;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		if (*rows == limit) {
			*more = true;
			break;
		}
		if (r->rq->csv) {
			rc = csv_row(r, st);
		} else if (r->entity) {
			json_props(r, st);
		} else {
			vg_json_begin_object(&r->j);
			json_props(r, st);
			vg_json_end_object(&r->j);
			rc = r->j.rc;
		}
		if (rc != VG_OK)
			return rc;
		++*rows;
	}
	return src == SQLITE_ROW || src == SQLITE_DONE ? VG_OK : VG_EIO;
}

static int
parse_u64(struct vg_str s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v = 0;

	if (s.len == 0 || s.len > 19)
		return VG_EINVAL;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return VG_EINVAL;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (v < lo || v > hi)
		return VG_EINVAL;
	*out = v;
	return VG_OK;
}

/* Paging window: LIMIT and OFFSET, and whether a nextLink may follow. */
struct window {
	uint64_t limit, offset, skiptoken;
	bool paged;
};

static int
window(const struct vg_api_resource *res, const struct vg_api_request *rq,
       const struct vg_api_parsed *p, bool entity, struct window *w, struct vg_err *err)
{
	uint64_t size = res->page_default;

	w->limit = entity ? 1 : p->q.top;
	w->offset = p->q.skip;
	w->skiptoken = 0;
	w->paged = false;
	if (entity || res->page_default == 0 || rq->top.p != NULL)
		return VG_OK;
	if (rq->page_size.p != NULL &&
	    parse_u64(rq->page_size, 1, res->page_max ? res->page_max : res->page_default, &size) !=
		    VG_OK)
		return vg_error(err, VG_EINVAL, "pageSize: expected an integer from 1 to %" PRIu64,
				res->page_max ? res->page_max : res->page_default);
	if (rq->skiptoken.p != NULL &&
	    parse_u64(rq->skiptoken, 0, INT64_MAX / 2, &w->skiptoken) != VG_OK)
		return vg_error(err, VG_EINVAL, "$skiptoken: invalid token");
	w->limit = size;
	w->offset += w->skiptoken;
	w->paged = true;
	return VG_OK;
}

static int
fail(struct vg_api_result *res, int status, const char *code, int rc)
{
	res->status = status;
	res->code = code;
	return rc;
}

static int
prepare(sqlite3 *db, const struct vg_buf *sql, sqlite3_stmt **st, struct vg_err *err)
{
	int src = sqlite3_prepare_v2(db, sql->p, (int)sql->len, st, NULL);

	if (src != SQLITE_OK)
		return vg_error(err, VG_EIO, "query: %s", sqlite3_errmsg(db));
	return VG_OK;
}

static void
json_tail(struct run *r, const struct window *w, size_t rows, bool more)
{
	if (!r->entity)
		vg_json_end_array(&r->j);
	if (more && w->paged && r->rq->self != NULL) {
		struct vg_buf link;

		vg_buf_init(&link, 16384);
		if (vg_buf_addf(&link, "%s%s$skiptoken=%" PRIu64, r->rq->self,
				strchr(r->rq->self, '?') ? "&" : "?", w->skiptoken + rows) == VG_OK)
			vg_json_kv_str(&r->j, "@odata.nextLink", link.p);
		vg_buf_release(&link);
	}
	vg_json_end_object(&r->j);
}

static int
execute(struct run *r, sqlite3_stmt *st, const struct window *w, struct vg_api_result *res,
	struct vg_err *err)
{
	int rc;

	if (r->rq->csv) {
		rc = csv_header(r);
	} else {
		json_context(r);
		if (!r->entity)
			vg_json_key(&r->j, "value"), vg_json_begin_array(&r->j);
		rc = r->j.rc;
	}
	if (rc == VG_OK)
		rc = write_rows(r, st, w->limit, &res->rows, &res->more);
	if (rc == VG_EIO)
		return fail(res, 500, "InternalServerError",
			    vg_error(err, rc, "query: %s", sqlite3_errmsg(sqlite3_db_handle(st))));
	if (rc == VG_OK && r->entity && res->rows == 0)
		return fail(res, 404, "NotFound", vg_error(err, VG_ENOTFOUND, "not found"));
	if (rc == VG_OK && !r->rq->csv) {
		json_tail(r, w, res->rows, res->more);
		rc = vg_json_finish(&r->j);
	}
	if (rc != VG_OK)
		return fail(res, 500, "InternalServerError",
			    vg_error(err, rc, "the response exceeds %zu bytes; narrow it with $top",
				     r->out->max));
	res->more = res->more && w->paged;
	return VG_OK;
}

int
vg_api_run(struct vg_kb *kb, const struct vg_api_select *sel, const struct vg_api_request *rq,
	   bool entity, struct vg_buf *out, struct vg_api_result *res, struct vg_err *err)
{
	struct run r = {.sel = sel, .rq = rq, .out = out, .entity = entity};
	struct vg_api_parsed p;
	struct binds b = {0};
	struct window w;
	struct vg_buf sql;
	sqlite3_stmt *st = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	vg_buf_init(&sql, VG_API_SQL_MAX);
	rc = vg_api_parse_query(sel->res, rq, &p, err);
	if (rc != VG_OK) {
		fail(res, 400, "ODataError", rc);
		goto out;
	}
	rc = window(sel->res, rq, &p, entity, &w, err);
	if (rc != VG_OK) {
		fail(res, 400, "BadRequest", rc);
		goto out;
	}
	rc = build(sel, &p, &sql, &b);
	if (rc == VG_OK)
		rc = prepare(vg_kb_db(kb), &sql, &st, err);
	else
		vg_error(err, rc, "query too long");
	if (rc == VG_OK && bind_all(st, sel, &b, (int64_t)w.limit + (w.paged ? 1 : 0),
				    (int64_t)w.offset) != SQLITE_OK)
		rc = vg_error(err, VG_EIO, "query: %s", sqlite3_errmsg(vg_kb_db(kb)));
	if (rc != VG_OK) {
		fail(res, 500, "InternalServerError", rc);
		goto out;
	}
	out_columns(sel->res, &p, &r.oc);
	vg_json_init(&r.j, out, 0);
	rc = execute(&r, st, &w, res, err);
out:
	sqlite3_finalize(st);
	free(b.v);
	vg_buf_release(&sql);
	vg_api_parsed_release(&p);
	return rc;
}

/* ---- HTTP --------------------------------------------------------------------- */

static bool
is_tls(const struct vg_http_request *req)
{
	const union MHD_ConnectionInfo *ci;

	if (req->conn == NULL)
		return false;
	ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_PROTOCOL);
	return ci != NULL && ci->protocol != 0;
}

/* The Host header if it looks like one (it is echoed into links), else "localhost". */
static const char *
host_of(const struct vg_http_request *req)
{
	const char *h = vg_http_header(req, "Host");

	if (h == NULL || *h == '\0' || strlen(h) > 255)
		return "localhost";
	for (const char *c = h; *c; c++)
		if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
		    !(*c >= '0' && *c <= '9') && !strchr(".-:[]_", *c))
			return "localhost";
	return h;
}

static int
url_encode(struct vg_buf *b, const char *s, const char *keep)
{
	int rc = VG_OK;

	for (; *s && rc == VG_OK; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(keep, c))
			rc = vg_buf_addch(b, (char)c);
		else
			rc = vg_buf_addf(b, "%%%02X", c);
	}
	return rc;
}

struct self_ctx {
	struct vg_buf *b;
	bool first;
	int rc;
};

static bool
add_arg(void *ctx, const char *key, const char *value)
{
	struct self_ctx *s = ctx;

	if (strcasecmp(key, "$skiptoken") == 0)
		return true;
	s->rc = vg_buf_addch(s->b, s->first ? '?' : '&');
	s->first = false;
	if (s->rc == VG_OK)
		s->rc = url_encode(s->b, key, "-._~$");
	if (s->rc == VG_OK && value != NULL)
		s->rc = vg_buf_addch(s->b, '=');
	if (s->rc == VG_OK && value != NULL)
		s->rc = url_encode(s->b, value, "-._~$");
	return s->rc == VG_OK;
}

static char *
make_self(const struct vg_http_request *req, const char *base)
{
	struct vg_buf b;
	struct self_ctx s = {&b, true, VG_OK};

	vg_buf_init(&b, 16384);
	s.rc = vg_buf_addstr(&b, base);
	if (s.rc == VG_OK)
		s.rc = url_encode(&b, req->path, "-._~$/");
	if (s.rc == VG_OK)
		vg_http_query_each(req, add_arg, &s);
	if (s.rc != VG_OK) {
		vg_buf_release(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

/* Whether the Accept header lists text/csv before any JSON type. */
static bool
accept_csv(const char *accept)
{
	const char *csv = accept ? strstr(accept, "text/csv") : NULL;
	const char *json = accept ? strstr(accept, "json") : NULL;

	return csv != NULL && (json == NULL || csv < json);
}

int
vg_api_request_from_http(struct vg_api_request *rq, const struct vg_http_request *req,
			 struct vg_err *err)
{
	const char *fmt = vg_http_query(req, "$format");
	struct vg_buf b;

	memset(rq, 0, sizeof(*rq));
	rq->filter = vg_str_c(vg_http_query(req, "$filter"));
	rq->top = vg_str_c(vg_http_query(req, "$top"));
	rq->skip = vg_str_c(vg_http_query(req, "$skip"));
	rq->select = vg_str_c(vg_http_query(req, "$select"));
	rq->orderby = vg_str_c(vg_http_query(req, "$orderby"));
	rq->page_size = vg_str_c(vg_http_query(req, "pageSize"));
	rq->skiptoken = vg_str_c(vg_http_query(req, "$skiptoken"));
	rq->csv = accept_csv(vg_http_header(req, "Accept"));
	vg_buf_init(&b, 512);
	if (vg_buf_addf(&b, "%s://%s", is_tls(req) ? "https" : "http", host_of(req)) != VG_OK)
		vg_buf_reset(&b);
	rq->owned[0] = vg_buf_detach(&b, NULL);
	rq->base = rq->owned[0];
	rq->owned[1] = make_self(req, rq->base);
	rq->self = rq->owned[1];
	if (fmt == NULL)
		return VG_OK;
	if (strcasecmp(fmt, "csv") == 0 || strcasecmp(fmt, "text/csv") == 0)
		rq->csv = true;
	else if (strcasecmp(fmt, "json") == 0 || strcasecmp(fmt, "application/json") == 0)
		rq->csv = false;
	else
		return vg_error(err, VG_EINVAL, "$format: expected 'json' or 'csv'");
	return VG_OK;
}

void
vg_api_request_release(struct vg_api_request *rq)
{
	free(rq->owned[0]);
	free(rq->owned[1]);
	rq->owned[0] = rq->owned[1] = NULL;
}

static void
reply(struct vg_kb *kb, const struct vg_api_select *sel, const char *what, bool entity,
      const struct vg_http_request *req, struct vg_http_response *resp)
{
	struct vg_api_request rq;
	struct vg_api_result res;
	struct vg_err err;
	char disp[160];
	int rc;

	vg_err_clear(&err);
	rc = vg_api_request_from_http(&rq, req, &err);
	if (rc != VG_OK) {
		vg_api_request_release(&rq);
		vg_http_reply_error(resp, 400, "BadRequest", "%s", err.msg);
		return;
	}
	rc = vg_api_run(kb, sel, &rq, entity, &resp->body, &res, &err);
	if (rc != VG_OK) {
		if (res.status == 404)
			vg_http_reply_error(resp, 404, "NotFound", "%s not found", what);
		else
			vg_http_reply_error(resp, res.status ? res.status : 500,
					    res.code ? res.code : "InternalServerError", "%s",
					    err.msg);
	} else if (rq.csv) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s.csv\"", sel->res->context);
		resp->status = 200;
		resp->content_type = CT_CSV;
		(void)vg_http_resp_header(resp, "Content-Disposition", disp);
	} else {
		vg_http_resp_json_status(resp, 200);
		resp->content_type = CT_JSON;
	}
	(void)vg_http_resp_header(resp, "OData-Version", "4.0");
	vg_api_request_release(&rq);
}

void
vg_api_reply_collection(struct vg_kb *kb, const struct vg_api_select *sel,
			const struct vg_http_request *req, struct vg_http_response *resp)
{
	reply(kb, sel, sel->res->context, false, req, resp);
}

void
vg_api_reply_entity(struct vg_kb *kb, const struct vg_api_select *sel, const char *what,
		    const struct vg_http_request *req, struct vg_http_response *resp)
{
	reply(kb, sel, what, true, req, resp);
}
