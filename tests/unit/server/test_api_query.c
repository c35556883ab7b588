/*
 * test_api_query.c - the /api collection engine (src/server/api_query.h):
 * the SQL it builds, $filter on every type through SQLite, $select,
 * $orderby, export paging with nextLink, CSV, datetime binding, extra
 * parameters, the response cap and the errors.  Runs on a temporary store
 * with a small table of its own, so each expected document is exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "server/api_query.h"
#include "store/kb.h"
#include "store/sql.h"

static const struct vg_api_field fields[] = {
	{"id", "t.id", VG_API_STRING, 0, NULL},
	{"name", "t.name", VG_API_STRING, 0, NULL},
	{"count", "t.n", VG_API_INT, 0, NULL},
	{"score", "t.x", VG_API_NUMBER, 0, NULL},
	{"flag", "t.flag", VG_API_BOOL, 0, NULL},
	{"seen", "t.ts", VG_API_DATETIME, 0, NULL},
	{"tags", "t.tags", VG_API_ARRAY, VG_API_NOSORT, NULL},
	{"level", "(CASE WHEN t.x >= 5 THEN 'High' ELSE 'Low' END)", VG_API_STRING, 0, NULL},
	{"secret", "t.grp", VG_API_STRING, VG_API_NOFILTER | VG_API_HIDDEN, NULL},
};

static const struct vg_api_resource things = {
	.context = "Things",
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.from = "thing t",
	.order = "t.id",
	.top_max = 3,
};

static const struct vg_api_resource paged = {
	.context = "Paged",
	.fields = fields,
	.nfields = 2,
	.from = "thing t",
	.order = "t.id",
	.top_max = 1000,
	.page_default = 2,
	.page_max = 3,
};

struct fx {
	char dir[64];
	char path[96];
	struct vg_kb *kb;
	struct vg_buf out;
	struct vg_api_result res;
	struct vg_err err;
};

/* seen: 2021-01-25T07:27:36Z = 1611559656. */
static const char rows_sql[] =
	"CREATE TABLE thing (id TEXT PRIMARY KEY, name TEXT, n INTEGER, x REAL, flag INTEGER,"
	" ts INTEGER, tags TEXT, grp TEXT);"
	"INSERT INTO thing VALUES ('a', 'alpha', 1, 2.5, 1, 1611559656, '[\"x\",\"y\"]', 'g1');"
	"INSERT INTO thing VALUES ('b', 'Beta, \"the\" second', 20, 7.25, 0, 1611559657, '[]', 'g2');"
	"INSERT INTO thing VALUES ('c', NULL, NULL, NULL, NULL, NULL, NULL, 'g1');"
	"INSERT INTO thing VALUES ('d', 'line\nbreak', 3, 0.1, 1, 0, 'not json', 'g2');";

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char *msg = NULL;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vg-apiq-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/v.db", fx->dir);
	assert_int_equal(vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &fx->err), VG_OK);
	assert_int_equal(sqlite3_exec(vg_kb_db(fx->kb), rows_sql, NULL, NULL, &msg), SQLITE_OK);
	vg_buf_init(&fx->out, 1u << 20);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	vg_buf_release(&fx->out);
	vg_kb_close(fx->kb);
	unlink(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* Run a query on @res with the options given as "name=value" pairs (NULL-terminated). */
static int
run_sel(struct fx *fx, const struct vg_api_select *sel, int entity, ...)
{
	struct vg_api_request rq = {.base = "http://h:1",
				    .self = "http://h:1/api/paged?pageSize=2"};
	va_list ap;
	const char *kv;

	va_start(ap, entity);
	while ((kv = va_arg(ap, const char *)) != NULL) {
		const char *v = strchr(kv, '=') + 1;
		size_t n = (size_t)(v - kv - 1);
		struct vg_str s = vg_str_c(v);

		if (strncmp(kv, "$filter", n) == 0)
			rq.filter = s;
		else if (strncmp(kv, "$top", n) == 0)
			rq.top = s;
		else if (strncmp(kv, "$skip", n) == 0)
			rq.skip = s;
		else if (strncmp(kv, "$select", n) == 0)
			rq.select = s;
		else if (strncmp(kv, "$orderby", n) == 0)
			rq.orderby = s;
		else if (strncmp(kv, "pageSize", n) == 0)
			rq.page_size = s;
		else if (strncmp(kv, "$skiptoken", n) == 0)
			rq.skiptoken = s;
		else if (strncmp(kv, "csv", n) == 0)
			rq.csv = true;
	}
	va_end(ap);
	vg_buf_reset(&fx->out);
	vg_err_clear(&fx->err);
	return vg_api_run(fx->kb, sel, &rq, entity != 0, &fx->out, &fx->res, &fx->err);
}

#define RUN(fx, resource, ...) \
	run_sel((fx), &(struct vg_api_select){.res = (resource)}, 0, __VA_ARGS__)

/* The ids of a JSON result, in order ("a,b"), from the "id" members. */
static const char *
ids(struct fx *fx)
{
	static char buf[256];
	const char *p = fx->out.p;
	size_t n = 0;

	buf[0] = '\0';
	while ((p = strstr(p, "\"id\":\"")) != NULL && n + 4 < sizeof(buf)) {
		p += 6;
		if (n > 0)
			buf[n++] = ',';
		while (*p != '"' && n + 2 < sizeof(buf))
			buf[n++] = *p++;
		buf[n] = '\0';
	}
	return buf;
}

static void
t_sql(void **state)
{
	struct fx *fx = *state;
	struct vg_api_request rq = {
		.filter = vg_str_c("name eq 'x' and seen gt 2021-01-01T00:00:00Z"),
		.orderby = vg_str_c("score desc")};
	struct vg_api_param p = VG_API_TEXT("g1");
	struct vg_api_select sel = {&things, "t.grp = ?1", NULL, &p, 1};
	struct vg_api_parsed parsed;
	struct vg_buf sql;
	size_t nf = 0;

	vg_buf_init(&sql, 4096);
	assert_int_equal(vg_api_parse_query(&things, &rq, &parsed, &fx->err), VG_OK);
	assert_int_equal(vg_api_build_sql(&sel, &parsed, &sql, &nf), VG_OK);
	assert_string_equal(
		sql.p,
		"SELECT t.id, t.name, t.n, t.x, t.flag, t.ts, t.tags, (CASE WHEN t.x >= 5 THEN "
		"'High' ELSE 'Low' END), t.grp FROM thing t WHERE (t.grp = ?1) AND ((t.name IS ?2) "
		"AND (t.ts IS NOT NULL AND t.ts > ?3)) ORDER BY t.x DESC, t.id LIMIT ?4 OFFSET ?5");
	assert_int_equal(nf, 2);
	/* No literal ever reaches the SQL text. */
	assert_null(strstr(sql.p, "'x'"));
	assert_null(strstr(sql.p, "2021"));
	vg_api_parsed_release(&parsed);
	vg_buf_release(&sql);
}

static void
t_envelope(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(RUN(fx, &things, "$filter=id eq 'a'", NULL), VG_OK);
	assert_string_equal(
		fx->out.p,
		"{\"@odata.context\":\"http://h:1/api/$metadata#Things\",\"value\":[{"
		"\"id\":\"a\",\"name\":\"alpha\",\"count\":1,\"score\":2.5,\"flag\":true,"
		"\"seen\":\"2021-01-25T07:27:36Z\",\"tags\":[\"x\",\"y\"],"
		"\"level\":\"Low\"}]}");
	assert_int_equal(fx->res.rows, 1);
	/* Nulls, an empty and a malformed array (written as []). */
	assert_int_equal(RUN(fx, &things, "$filter=id eq 'c' or id eq 'd'", NULL), VG_OK);
	assert_string_equal(
		fx->out.p, "{\"@odata.context\":\"http://h:1/api/$metadata#Things\",\"value\":[{"
			   "\"id\":\"c\",\"name\":null,\"count\":null,\"score\":null,\"flag\":null,"
			   "\"seen\":null,\"tags\":[],\"level\":\"Low\"},{\"id\":\"d\",\"name\":"
			   "\"line\\nbreak\",\"count\":3,\"score\":0.1,\"flag\":true,\"seen\":"
			   "\"1970-01-01T00:00:00Z\",\"tags\":[],\"level\":\"Low\"}]}");
	/* An empty result is still an envelope. */
	assert_int_equal(RUN(fx, &things, "$filter=id eq 'zz'", NULL), VG_OK);
	assert_string_equal(
		fx->out.p, "{\"@odata.context\":\"http://h:1/api/$metadata#Things\",\"value\":[]}");
}

static void
t_entity(void **state)
{
	struct fx *fx = *state;
	struct vg_api_param p = VG_API_TEXT("b");
	struct vg_api_select sel = {&things, "t.id = ?1", NULL, &p, 1};

	assert_int_equal(run_sel(fx, &sel, 1, "$select=id,count", NULL), VG_OK);
	assert_string_equal(fx->out.p, "{\"@odata.context\":\"http://h:1/api/$metadata#Things/"
				       "$entity\",\"id\":\"b\",\"count\":20}");
	p = VG_API_TEXT("nosuch");
	assert_int_equal(run_sel(fx, &sel, 1, NULL), VG_ENOTFOUND);
	assert_int_equal(fx->res.status, 404);
	assert_string_equal(fx->res.code, "NotFound");
}

static void
t_filter_types(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(RUN(fx, &things, "$filter=startswith(name,'BET')", NULL), VG_OK);
	assert_string_equal(ids(fx), "b");
	assert_int_equal(RUN(fx, &things, "$filter=count gt 2", NULL), VG_OK);
	assert_string_equal(ids(fx), "b,d");
	assert_int_equal(RUN(fx, &things, "$filter=score le 2.5", NULL), VG_OK);
	assert_string_equal(ids(fx), "a,d");
	assert_int_equal(RUN(fx, &things, "$filter=flag eq false", NULL), VG_OK);
	assert_string_equal(ids(fx), "b");
	assert_int_equal(RUN(fx, &things, "$filter=flag ne true", NULL), VG_OK);
	assert_string_equal(ids(fx), "b,c");
	assert_int_equal(RUN(fx, &things, "$filter=name eq null", NULL), VG_OK);
	assert_string_equal(ids(fx), "c");
	assert_int_equal(RUN(fx, &things, "$filter=count in (1, 3)", NULL), VG_OK);
	assert_string_equal(ids(fx), "a,d");
	/* A computed column filters like a stored one. */
	assert_int_equal(RUN(fx, &things, "$filter=level eq 'High'", NULL), VG_OK);
	assert_string_equal(ids(fx), "b");
	/* An array filters as its JSON text. */
	assert_int_equal(RUN(fx, &things, "$filter=contains(tags,'\"y\"')", NULL), VG_OK);
	assert_string_equal(ids(fx), "a");
	assert_int_equal(
		RUN(fx, &things, "$filter=not (id eq 'a' or (count ge 3 and flag eq true))", NULL),
		VG_OK);
	assert_string_equal(ids(fx), "b,c");
	/* A quote in a literal is data, never SQL. */
	assert_int_equal(RUN(fx, &things, "$filter=name eq 'x'' OR 1=1 --'", NULL), VG_OK);
	assert_string_equal(ids(fx), "");
}

/* Datetime literals against Unix seconds: whole seconds bind as integers, fractions as reals. */
static void
t_datetime(void **state)
{
	struct fx *fx = *state;
	char buf[32];

	assert_int_equal(RUN(fx, &things, "$filter=seen eq 2021-01-25T07:27:36Z", NULL), VG_OK);
	assert_string_equal(ids(fx), "a");
	assert_int_equal(RUN(fx, &things, "$filter=seen gt 2021-01-25T07:27:36.5Z", NULL), VG_OK);
	assert_string_equal(ids(fx), "b");
	assert_int_equal(RUN(fx, &things, "$filter=seen ge 2021-01-25T08:27:36+01:00", NULL),
			 VG_OK);
	assert_string_equal(ids(fx), "a,b");
	assert_int_equal(RUN(fx, &things, "$filter=seen lt 2021-01-25", NULL), VG_OK);
	assert_string_equal(ids(fx), "d");
	assert_string_equal(vg_api_datetime(1611559656, buf), "2021-01-25T07:27:36Z");
	assert_string_equal(vg_api_datetime(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(vg_api_datetime(INT64_MAX, buf), "1970-01-01T00:00:00Z");
}

static void
t_select_order_top(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(RUN(fx, &things, "$select=score,id", "$orderby=score desc", NULL), VG_OK);
	assert_string_equal(fx->out.p,
			    "{\"@odata.context\":\"http://h:1/api/$metadata#Things\",\"value\":["
			    "{\"score\":7.25,\"id\":\"b\"},{\"score\":2.5,\"id\":\"a\"},"
			    "{\"score\":0.1,\"id\":\"d\"}]}");
	/* top_max 3 is also the default; $skip moves the window. */
	assert_int_equal(RUN(fx, &things, "$orderby=level,count desc", "$skip=1", NULL), VG_OK);
	assert_string_equal(ids(fx), "d,a,c");
	assert_int_equal(RUN(fx, &things, "$top=99", NULL), VG_OK);
	assert_int_equal(fx->res.rows, 3);
	/* A hidden field is written only when selected. */
	assert_int_equal(RUN(fx, &things, "$select=secret", "$top=1", NULL), VG_OK);
	assert_string_equal(fx->out.p, "{\"@odata.context\":\"http://h:1/api/$metadata#Things\","
				       "\"value\":[{\"secret\":\"g1\"}]}");
	assert_int_equal(RUN(fx, &things, "$top=1", NULL), VG_OK);
	assert_null(strstr(fx->out.p, "secret"));
}

static void
t_params(void **state)
{
	struct fx *fx = *state;
	struct vg_api_param p[2] = {VG_API_TEXT("g2"), VG_API_INTP(10)};
	struct vg_api_select sel = {&things, "t.grp = ?1 AND coalesce(t.n, 0) < ?2", NULL, p, 2};

	assert_int_equal(run_sel(fx, &sel, 0, "$filter=flag eq true", NULL), VG_OK);
	assert_string_equal(ids(fx), "d");
	sel.order = "(t.id = ?1) DESC, t.id";
	sel.where = NULL;
	sel.nparams = 1;
	p[0] = VG_API_TEXT("c");
	assert_int_equal(run_sel(fx, &sel, 0, "$filter=id ne 'a'", NULL), VG_OK);
	assert_string_equal(ids(fx), "c,b,d");
}

static void
t_paging(void **state)
{
	struct fx *fx = *state;
	struct vg_api_select sel = {.res = &paged};

	assert_int_equal(run_sel(fx, &sel, 0, NULL), VG_OK);
	assert_string_equal(
		fx->out.p,
		"{\"@odata.context\":\"http://h:1/api/$metadata#Paged\",\"value\":[{\"id\""
		":\"a\",\"name\":\"alpha\"},{\"id\":\"b\",\"name\":\"Beta, \\\"the\\\" "
		"second\"}],\"@odata.nextLink\":\"http://h:1/api/paged?pageSize=2&"
		"$skiptoken=2\"}");
	assert_true(fx->res.more);
	assert_int_equal(run_sel(fx, &sel, 0, "$skiptoken=2", NULL), VG_OK);
	assert_string_equal(ids(fx), "c,d");
	assert_false(fx->res.more);
	assert_null(strstr(fx->out.p, "nextLink"));
	assert_int_equal(run_sel(fx, &sel, 0, "pageSize=3", "$skiptoken=1", NULL), VG_OK);
	assert_string_equal(ids(fx), "b,c,d");
	assert_null(strstr(fx->out.p, "nextLink"));
	/* $top: one answer, no paging. */
	assert_int_equal(run_sel(fx, &sel, 0, "$top=4", NULL), VG_OK);
	assert_string_equal(ids(fx), "a,b,c,d");
	assert_null(strstr(fx->out.p, "nextLink"));
	assert_int_equal(run_sel(fx, &sel, 0, "pageSize=4", NULL), VG_EINVAL);
	assert_int_equal(fx->res.status, 400);
	assert_string_equal(fx->res.code, "BadRequest");
	assert_int_equal(run_sel(fx, &sel, 0, "pageSize=0", NULL), VG_EINVAL);
	assert_int_equal(run_sel(fx, &sel, 0, "$skiptoken=x1", NULL), VG_EINVAL);
	assert_string_equal(fx->err.msg, "$skiptoken: invalid token");
}

static void
t_csv(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(RUN(fx, &things, "csv=1", "$select=id,name,count,score,flag,seen,tags",
			     "$top=3", NULL),
			 VG_OK);
	assert_string_equal(fx->out.p,
			    "id,name,count,score,flag,seen,tags\r\n"
			    "a,alpha,1,2.5,true,2021-01-25T07:27:36Z,x;y\r\n"
			    "b,\"Beta, \"\"the\"\" second\",20,7.25,false,2021-01-25T07:27:37Z,\r\n"
			    "c,,,,,,\r\n");
	assert_int_equal(RUN(fx, &things, "csv=1", "$select=name", "$filter=id eq 'd'", NULL),
			 VG_OK);
	assert_string_equal(fx->out.p, "name\r\n\"line\nbreak\"\r\n");
	/* Header only for an empty result. */
	assert_int_equal(RUN(fx, &things, "csv=1", "$select=id", "$filter=id eq 'q'", NULL), VG_OK);
	assert_string_equal(fx->out.p, "id\r\n");
}

static void
t_errors(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(RUN(fx, &things, "$filter=name eq", NULL), VG_EINVAL);
	assert_int_equal(fx->res.status, 400);
	assert_string_equal(fx->res.code, "ODataError");
	assert_int_equal(strncmp(fx->err.msg, "$filter: column ", 16), 0);
	assert_int_equal(RUN(fx, &things, "$filter=secret eq 'g1'", NULL), VG_EINVAL);
	assert_string_equal(fx->err.msg, "$filter: column 1: unknown field 'secret'");
	assert_int_equal(RUN(fx, &things, "$filter=seen eq 'x'", NULL), VG_EINVAL);
	assert_string_equal(fx->res.code, "ODataError");
	assert_int_equal(RUN(fx, &things, "$orderby=tags", NULL), VG_EINVAL);
	assert_string_equal(fx->err.msg, "$orderby: 'tags' cannot be sorted on");
	assert_int_equal(RUN(fx, &things, "$select=nosuch", NULL), VG_EINVAL);
	assert_int_equal(fx->res.status, 400);
	assert_int_equal(RUN(fx, &things, "$top=x", NULL), VG_EINVAL);
	assert_int_equal(fx->res.status, 400);
}

/* A response past the buffer's cap is an error, never a truncated document. */
static void
t_cap(void **state)
{
	struct fx *fx = *state;
	struct vg_api_request rq = {.base = "http://h"};
	struct vg_buf small;

	vg_buf_init(&small, 100);
	assert_int_equal(vg_api_run(fx->kb, &(struct vg_api_select){.res = &things}, &rq, false,
				    &small, &fx->res, &fx->err),
			 VG_ETOOBIG);
	assert_int_equal(fx->res.status, 500);
	vg_buf_reset(&small);
	rq.csv = true;
	assert_int_equal(vg_api_run(fx->kb, &(struct vg_api_select){.res = &things}, &rq, false,
				    &small, &fx->res, &fx->err),
			 VG_ETOOBIG);
	vg_buf_release(&small);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_sql, setup, teardown),
		cmocka_unit_test_setup_teardown(t_envelope, setup, teardown),
		cmocka_unit_test_setup_teardown(t_entity, setup, teardown),
		cmocka_unit_test_setup_teardown(t_filter_types, setup, teardown),
		cmocka_unit_test_setup_teardown(t_datetime, setup, teardown),
		cmocka_unit_test_setup_teardown(t_select_order_top, setup, teardown),
		cmocka_unit_test_setup_teardown(t_params, setup, teardown),
		cmocka_unit_test_setup_teardown(t_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(t_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(t_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(t_cap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
