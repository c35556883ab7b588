/* Tests for src/server/odata.c: $filter parsing, evaluation, SQL, limits and the other options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "server/odata.h"

/* A Defender-like machine resource (field names from defender-tvm-spec.md §3.3, row 1). */
static const struct vg_odata_field fields[] = {
	{"computerDnsName", VG_ODATA_STRING, "m.dns_name"},
	{"id", VG_ODATA_STRING, "m.id"},
	{"osPlatform", VG_ODATA_STRING, NULL},
	{"riskScore", VG_ODATA_STRING, "m.risk"},
	{"exposureScore", VG_ODATA_NUMBER, "m.exposure"},
	{"rbacGroupId", VG_ODATA_NUMBER, "m.group_id"},
	{"lastSeen", VG_ODATA_DATETIME, "m.last_seen"},
	{"isAadJoined", VG_ODATA_BOOL, "m.aad"},
	{"machineTags", VG_ODATA_STRING, "m.tags"},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static struct vg_odata_filter *
parse_ok(const char *text)
{
	struct vg_odata_filter *f = NULL;
	struct vg_err err;
	int rc = vg_odata_filter_parse(vg_str_c(text), fields, NFIELDS, &f, &err);

	if (rc != VG_OK)
		fail_msg("'%s': %s", text, err.msg);
	return f;
}

static char *
dump(const struct vg_odata_filter *f)
{
	struct vg_buf b;

	vg_buf_init(&b, 1 << 16);
	assert_int_equal(vg_odata_dump(f, &b), VG_OK);
	return vg_buf_detach(&b, NULL);
}

/* ---- canonical AST printout ---------------------------------------------------------- */

static const struct {
	const char *in, *dump;
} valid[] = {
	/* The reference's own example (defender-tvm-spec.md §3.1). */
	{"startswith(computerDnsName,'x')", "startswith(computerDnsName,'x')"},
	{"computerDnsName eq 'host1'", "computerDnsName eq 'host1'"},
	{"  computerdnsname   EQ 'host1'  ", "computerDnsName eq 'host1'"},
	{"riskScore ne 'High'", "riskScore ne 'High'"},
	{"exposureScore gt 5", "exposureScore gt 5"},
	{"exposureScore ge 5.5", "exposureScore ge 5.5"},
	{"exposureScore lt -1.25e2", "exposureScore lt -125"},
	{"exposureScore le 0.1", "exposureScore le 0.1"},
	{"exposureScore eq 1E+3", "exposureScore eq 1000"},
	{"exposureScore eq 100000000000000000000", "exposureScore eq 1e+20"},
	{"isAadJoined eq true", "isAadJoined eq true"},
	{"isAadJoined ne FALSE", "isAadJoined ne false"},
	{"machineTags eq null", "machineTags eq null"},
	{"lastSeen gt 2021-01-01T00:00:00Z", "lastSeen gt 2021-01-01T00:00:00Z"},
	{"lastSeen gt 2021-01-01", "lastSeen gt 2021-01-01T00:00:00Z"},
	{"lastSeen gt 2021-01-01T10:30Z", "lastSeen gt 2021-01-01T10:30:00Z"},
	{"lastSeen lt 2019-12-03T07:23:53.280499Z", "lastSeen lt 2019-12-03T07:23:53.280499Z"},
	{"lastSeen lt 2019-12-03T09:15:58.1665846Z", "lastSeen lt 2019-12-03T09:15:58.166584Z"},
	{"lastSeen ge 2021-01-01T02:00:00+02:00", "lastSeen ge 2021-01-01T00:00:00Z"},
	{"lastSeen ge 2021-01-01T00:00:00-00:30", "lastSeen ge 2021-01-01T00:30:00Z"},
	{"lastSeen le 2020-02-29T23:59:59.5z", "lastSeen le 2020-02-29T23:59:59.5Z"},
	{"id eq 'it''s'", "id eq 'it''s'"},
	{"id eq ''", "id eq ''"},
	{"id eq ''''", "id eq ''''"},
	{"id eq 'a' and id eq 'b' and id eq 'c'", "((id eq 'a' and id eq 'b') and id eq 'c')"},
	{"id eq 'a' or id eq 'b' and id eq 'c'", "(id eq 'a' or (id eq 'b' and id eq 'c'))"},
	{"(id eq 'a' or id eq 'b') and id eq 'c'", "((id eq 'a' or id eq 'b') and id eq 'c')"},
	{"not id eq 'a' and id eq 'b'", "(not id eq 'a' and id eq 'b')"},
	{"not (id eq 'a' and id eq 'b')", "not (id eq 'a' and id eq 'b')"},
	{"not not id eq 'a'", "not not id eq 'a'"},
	{"((((id eq 'a'))))", "id eq 'a'"},
	{"osPlatform in ('Windows10','Windows11')", "osPlatform in ('Windows10','Windows11')"},
	{"rbacGroupId in ( 1 , 2,3 )", "rbacGroupId in (1,2,3)"},
	{"contains(machineTags,'prod')", "contains(machineTags,'prod')"},
	{"endswith(computerDnsName, '.contoso.com')", "endswith(computerDnsName,'.contoso.com')"},
	{"startswith (computerDnsName,'x')", "startswith(computerDnsName,'x')"},
	{"STARTSWITH(computerDnsName,'x') eq true", "startswith(computerDnsName,'x')"},
	{"startswith(computerDnsName,'x') eq false", "not startswith(computerDnsName,'x')"},
	{"startswith(computerDnsName,'x') ne false", "startswith(computerDnsName,'x')"},
	{"not contains(machineTags,'50%_off')", "not contains(machineTags,'50%_off')"},
	{"exposureScore gt 5 and (riskScore eq 'High' or riskScore eq 'Medium') and "
	 "lastSeen ge 2021-06-01T00:00:00Z",
	 "((exposureScore gt 5 and (riskScore eq 'High' or riskScore eq 'Medium')) and "
	 "lastSeen ge 2021-06-01T00:00:00Z)"},
	{"id\teq\t'tab'", "id eq 'tab'"},
};

static void
test_valid_dump(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		struct vg_odata_filter *f = parse_ok(valid[i].in);
		char *d = dump(f);
		if (strcmp(d, valid[i].dump) != 0)
			fail_msg("'%s' dumped as '%s', want '%s'", valid[i].in, d, valid[i].dump);
		/* Round trip: the dump parses to the same dump. */
		struct vg_odata_filter *g = parse_ok(d);
		char *d2 = dump(g);
		assert_string_equal(d, d2);
		free(d2);
		vg_odata_filter_free(g);
		free(d);
		vg_odata_filter_free(f);
	}
}

/* Every documented $filter field of GET /api/machines and GET /api/vulnerabilities parses. */
static void
test_reference_fields(void **state)
{
	static const struct vg_odata_field machine[] = {
		{"computerDnsName", VG_ODATA_STRING, NULL},
		{"id", VG_ODATA_STRING, NULL},
		{"version", VG_ODATA_STRING, NULL},
		{"deviceValue", VG_ODATA_STRING, NULL},
		{"aadDeviceId", VG_ODATA_STRING, NULL},
		{"machineTags", VG_ODATA_STRING, NULL},
		{"lastSeen", VG_ODATA_DATETIME, NULL},
		{"exposureLevel", VG_ODATA_STRING, NULL},
		{"onboardingStatus", VG_ODATA_STRING, NULL},
		{"lastIpAddress", VG_ODATA_STRING, NULL},
		{"healthStatus", VG_ODATA_STRING, NULL},
		{"osPlatform", VG_ODATA_STRING, NULL},
		{"riskScore", VG_ODATA_STRING, NULL},
		{"rbacGroupId", VG_ODATA_NUMBER, NULL},
	};
	static const char *const queries[] = {
		"startswith(computerDnsName,'x')",
		"id eq '1e4d8ee5a4b0c5c1f1e2d3c4b5a69788f7e6d5c4'",
		"version eq '1809'",
		"deviceValue eq 'High'",
		"aadDeviceId eq '80fe8ff8-2624-418e-9591-41f0491218f9'",
		"machineTags eq 'test tag'",
		"lastSeen gt 2018-08-01T00:00:00Z",
		"exposureLevel eq 'Medium'",
		"onboardingStatus eq 'Onboarded'",
		"lastIpAddress eq '10.0.0.1'",
		"healthStatus eq 'Active'",
		"osPlatform eq 'Windows10' or osPlatform eq 'Windows11'",
		"riskScore eq 'High'",
		"rbacGroupId eq 140",
		"healthStatus ne 'Inactive' and lastSeen gt 2018-08-01T00:00:00Z",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		struct vg_odata_filter *f = NULL;
		struct vg_err err;
		int rc = vg_odata_filter_parse(vg_str_c(queries[i]), machine,
					       sizeof(machine) / sizeof(machine[0]), &f, &err);
		if (rc != VG_OK)
			fail_msg("'%s': %s", queries[i], err.msg);
		vg_odata_filter_free(f);
	}
}

/* ---- evaluation ----------------------------------------------------------------------- */

struct row {
	const char *dns, *id, *os, *risk, *tags; /* NULL: null */
	double exposure, group;
	bool has_exposure;
	const char *seen; /* datetime text, NULL: null */
	int aad;          /* -1: null */
};

static int
get(void *ctx, size_t field, struct vg_odata_value *out)
{
	const struct row *r = ctx;
	const char *s = NULL;

	memset(out, 0, sizeof(*out));
	switch (field) {
	case 0:
		s = r->dns;
		break;
	case 1:
		s = r->id;
		break;
	case 2:
		s = r->os;
		break;
	case 3:
		s = r->risk;
		break;
	case 4:
		out->type = r->has_exposure ? VG_ODATA_NUMBER : VG_ODATA_NULL;
		out->num = r->exposure;
		return VG_OK;
	case 5:
		out->type = VG_ODATA_NUMBER;
		out->num = r->group;
		return VG_OK;
	case 6:
		if (!r->seen)
			return VG_OK;
		out->type = VG_ODATA_DATETIME;
		return vg_odata_parse_datetime(vg_str_c(r->seen), &out->dt);
	case 7:
		if (r->aad < 0)
			return VG_OK;
		out->type = VG_ODATA_BOOL;
		out->b = r->aad;
		return VG_OK;
	case 8:
		s = r->tags;
		break;
	default:
		return VG_EINVAL;
	}
	if (s) {
		out->type = VG_ODATA_STRING;
		out->s = vg_str_c(s);
	}
	return VG_OK;
}

static struct row rows[] = {
	{"ws1.contoso.com", "a1", "Windows10", "High", "prod,finance", 7.5, 140, true,
	 "2021-06-02T10:00:00Z", 1},
	{"SRV-DB.contoso.com", "b2", "WindowsServer2019", "Low", NULL, 2, 141, true,
	 "2021-05-31T23:59:59.999Z", 0},
	{"linux01", "c3", "Linux", NULL, "50%_off", 0, 0, false, NULL, -1},
};

/* Expected result on rows[0], rows[1], rows[2] as "TFT". */
static const struct {
	const char *filter, *want;
} evals[] = {
	{"startswith(computerDnsName,'WS')", "TFF"},
	{"startswith(computerDnsName,'srv-')", "FTF"},
	{"endswith(computerDnsName,'.CONTOSO.com')", "TTF"},
	{"contains(computerDnsName,'DB')", "FTF"},
	{"contains(computerDnsName,'')", "TTT"},
	{"contains(machineTags,'finance')", "TFF"},
	{"contains(machineTags,'%_')", "FFT"},
	{"not contains(machineTags,'finance')", "FTT"},
	{"computerDnsName eq 'ws1.contoso.com'", "TFF"},
	{"computerDnsName eq 'WS1.contoso.com'", "FFF"}, /* eq is exact */
	{"riskScore ne 'High'", "FTT"},                  /* null ne 'High' is true */
	{"riskScore eq null", "FFT"},
	{"riskScore ne null", "TTF"},
	{"not riskScore eq 'High'", "FTT"},
	{"riskScore gt 'Aaa'", "TTF"}, /* byte order; null compares false */
	{"not riskScore gt 'Aaa'", "FFT"},
	{"exposureScore gt 2", "TFF"},
	{"exposureScore ge 2", "TTF"},
	{"exposureScore lt 7.5", "FTF"},
	{"exposureScore le 7.5", "TTF"},
	{"exposureScore eq 2", "FTF"},
	{"exposureScore ne 2", "TFT"},
	{"rbacGroupId in (140, 0)", "TFT"},
	{"osPlatform in ('Linux','Windows10')", "TFT"},
	{"riskScore in ('High','Low')", "TTF"},
	{"isAadJoined eq true", "TFF"},
	{"isAadJoined eq false", "FTF"},
	{"isAadJoined ne true", "FTT"},
	{"lastSeen gt 2021-06-01T00:00:00Z", "TFF"},
	{"lastSeen lt 2021-06-01", "FTF"},
	{"lastSeen ge 2021-05-31T23:59:59.999Z", "TTF"},
	{"lastSeen eq 2021-06-02T12:00:00+02:00", "TFF"},
	{"lastSeen eq null", "FFT"},
	{"id eq 'a1' or id eq 'c3'", "TFT"},
	{"id eq 'a1' and riskScore eq 'High'", "TFF"},
	{"not (id eq 'a1' or id eq 'c3')", "FTF"},
	{"(id eq 'a1' or id eq 'b2') and not startswith(osPlatform,'windowsserver')", "TFF"},
	{"startswith(computerDnsName,'ws') eq false", "FTT"},
};

static void
test_eval(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(evals) / sizeof(evals[0]); i++) {
		struct vg_odata_filter *f = parse_ok(evals[i].filter);
		char got[4] = {0};
		for (size_t r = 0; r < 3; r++)
			got[r] = vg_odata_eval(f, get, &rows[r]) ? 'T' : 'F';
		if (strcmp(got, evals[i].want) != 0)
			fail_msg("'%s': got %s, want %s", evals[i].filter, got, evals[i].want);
		vg_odata_filter_free(f);
	}
}

/* ---- SQL ------------------------------------------------------------------------------ */

/* Collects parameters as text: s:'..', n:.., b:.., d:<micros>. */
static int
bind(void *ctx, int index, const struct vg_odata_value *v)
{
	struct vg_buf *b = ctx;
	int rc = VG_OK;

	if (b->len && (rc = vg_buf_addch(b, ' ')) != VG_OK)
		return rc;
	switch (v->type) {
	case VG_ODATA_STRING:
		return vg_buf_addf(b, "%d=s:%.*s", index, (int)v->s.len, v->s.p);
	case VG_ODATA_NUMBER:
		return vg_buf_addf(b, "%d=n:%g", index, v->num);
	case VG_ODATA_BOOL:
		return vg_buf_addf(b, "%d=b:%d", index, v->b);
	case VG_ODATA_DATETIME:
		return vg_buf_addf(b, "%d=d:%lld:%.*s", index, (long long)v->dt, (int)v->s.len,
				   v->s.p);
	default:
		return VG_EINVAL;
	}
}

static const struct {
	const char *filter, *sql, *params;
} sqls[] = {
	{"computerDnsName eq 'x'", "(m.dns_name IS ?)", "1=s:x"},
	{"computerDnsName ne 'x'", "(m.dns_name IS NOT ?)", "1=s:x"},
	{"osPlatform eq null", "(osPlatform IS NULL)", ""},
	{"osPlatform ne null", "(osPlatform IS NOT NULL)", ""},
	{"exposureScore gt 5", "(m.exposure IS NOT NULL AND m.exposure > ?)", "1=n:5"},
	{"exposureScore le 5", "(m.exposure IS NOT NULL AND m.exposure <= ?)", "1=n:5"},
	{"isAadJoined eq true", "(m.aad IS ?)", "1=b:1"},
	{"lastSeen ge 2021-01-01T01:00:00+01:00", "(m.last_seen IS NOT NULL AND m.last_seen >= ?)",
	 "1=d:1609459200000000:2021-01-01T00:00:00Z"},
	{"startswith(computerDnsName,'x')",
	 "(m.dns_name IS NOT NULL AND m.dns_name LIKE ? ESCAPE '\\')", "1=s:x%"},
	{"endswith(computerDnsName,'a_b')",
	 "(m.dns_name IS NOT NULL AND m.dns_name LIKE ? ESCAPE '\\')", "1=s:%a\\_b"},
	{"contains(machineTags,'50%\\')", "(m.tags IS NOT NULL AND m.tags LIKE ? ESCAPE '\\')",
	 "1=s:%50\\%\\\\%"},
	{"rbacGroupId in (1,2,3)", "(m.group_id IS NOT NULL AND m.group_id IN (?,?,?))",
	 "1=n:1 2=n:2 3=n:3"},
	/* The injection attempt stays a parameter. */
	{"id eq 'x'') OR 1=1 --'", "(m.id IS ?)", "1=s:x') OR 1=1 --"},
	{"not (id eq 'a' or id eq 'b') and riskScore eq 'High'",
	 "((NOT ((m.id IS ?) OR (m.id IS ?))) AND (m.risk IS ?))", "1=s:a 2=s:b 3=s:High"},
};

static void
test_sql(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
		struct vg_odata_filter *f = parse_ok(sqls[i].filter);
		struct vg_buf sql, params;
		vg_buf_init(&sql, 4096);
		vg_buf_init(&params, 4096);
		assert_int_equal(vg_odata_to_sql(f, &sql, bind, &params), VG_OK);
		if (strcmp(sql.p, sqls[i].sql) != 0 || strcmp(params.p, sqls[i].params) != 0)
			fail_msg("'%s': got [%s] [%s]", sqls[i].filter, sql.p, params.p);
		vg_buf_release(&sql);
		vg_buf_release(&params);
		vg_odata_filter_free(f);
	}
}

static int
bind_fail(void *ctx, int index, const struct vg_odata_value *v)
{
	(void)ctx;
	(void)v;
	return index == 2 ? VG_EIO : VG_OK;
}

static void
test_sql_errors(void **state)
{
	struct vg_odata_filter *f = parse_ok("id eq 'a' or id eq 'b'");
	struct vg_buf sql;

	(void)state;
	vg_buf_init(&sql, 4096);
	assert_int_equal(vg_odata_to_sql(f, &sql, bind_fail, NULL), VG_EIO);
	vg_buf_release(&sql);
	vg_buf_init(&sql, 10);
	assert_int_equal(vg_odata_to_sql(f, &sql, bind_fail, NULL), VG_ETOOBIG);
	vg_buf_release(&sql);
	vg_odata_filter_free(f);
}

/* Binds each parameter to a prepared statement: datetimes as integer microseconds. */
static int
bind_stmt(void *ctx, int index, const struct vg_odata_value *v)
{
	sqlite3_stmt *st = ctx;

	switch (v->type) {
	case VG_ODATA_STRING:
		return sqlite3_bind_text(st, index, v->s.p, (int)v->s.len, SQLITE_STATIC) ==
				       SQLITE_OK
			       ? VG_OK
			       : VG_EIO;
	case VG_ODATA_NUMBER:
		return sqlite3_bind_double(st, index, v->num) == SQLITE_OK ? VG_OK : VG_EIO;
	case VG_ODATA_BOOL:
		return sqlite3_bind_int(st, index, v->b) == SQLITE_OK ? VG_OK : VG_EIO;
	case VG_ODATA_DATETIME:
		return sqlite3_bind_int64(st, index, v->dt) == SQLITE_OK ? VG_OK : VG_EIO;
	default:
		return VG_EINVAL;
	}
}

/* Collect parameters first (the statement needs the SQL), then bind them. */
struct params {
	struct vg_odata_value v[128];
	int n;
};

static int
collect(void *ctx, int index, const struct vg_odata_value *v)
{
	struct params *ps = ctx;

	assert_int_equal(index, ps->n + 1);
	assert_true(ps->n < 128);
	ps->v[ps->n++] = *v;
	return VG_OK;
}

static sqlite3 *
sample_db(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "CREATE TABLE machines (dns_name TEXT, id TEXT, osPlatform TEXT, "
			     "risk TEXT, exposure REAL, group_id INTEGER, last_seen INTEGER, "
			     "aad INTEGER, tags TEXT)",
			     NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO machines VALUES (?,?,?,?,?,?,?,?,?)",
					    -1, &st, NULL),
			 SQLITE_OK);
	for (size_t r = 0; r < 3; r++) {
		for (size_t fi = 0; fi < NFIELDS; fi++) {
			struct vg_odata_value v;
			get(&rows[r], fi, &v);
			if (v.type == VG_ODATA_NULL)
				sqlite3_bind_null(st, (int)fi + 1);
			else
				assert_int_equal(bind_stmt(st, (int)fi + 1, &v), VG_OK);
		}
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return db;
}

/* The SQL selects exactly the rows vg_odata_eval() accepts, for every evaluation case. */
static void
test_sql_agrees_with_eval(void **state)
{
	sqlite3 *db = sample_db();

	(void)state;
	for (size_t i = 0; i < sizeof(evals) / sizeof(evals[0]); i++) {
		struct vg_odata_filter *f = parse_ok(evals[i].filter);
		struct params ps = {.n = 0};
		struct vg_buf sql;
		sqlite3_stmt *st;
		char got[4] = "FFF";

		vg_buf_init(&sql, 4096);
		assert_int_equal(vg_buf_addstr(&sql, "SELECT rowid FROM machines AS m WHERE "),
				 VG_OK);
		assert_int_equal(vg_odata_to_sql(f, &sql, collect, &ps), VG_OK);
		if (sqlite3_prepare_v2(db, sql.p, -1, &st, NULL) != SQLITE_OK)
			fail_msg("'%s': %s", sql.p, sqlite3_errmsg(db));
		for (int k = 0; k < ps.n; k++)
			assert_int_equal(bind_stmt(st, k + 1, &ps.v[k]), VG_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			got[sqlite3_column_int(st, 0) - 1] = 'T';
		if (strcmp(got, evals[i].want) != 0)
			fail_msg("'%s' as [%s]: got %s, want %s", evals[i].filter, sql.p, got,
				 evals[i].want);
		sqlite3_finalize(st);
		vg_buf_release(&sql);
		vg_odata_filter_free(f);
	}
	sqlite3_close(db);
}

/* ---- errors --------------------------------------------------------------------------- */

static const struct {
	const char *in;
	int code, column;
	const char *msg;
} errors[] = {
	{"", VG_EINVAL, 1, "$filter: column 1: empty filter"},
	{"   ", VG_EINVAL, 4, "$filter: column 4: empty filter"},
	{"(id eq 'a' or id eq 'b'", VG_EINVAL, 24,
	 "$filter: column 24: expected ')', found end of input"},
	{"startswith(computerDnsName 'x')", VG_EINVAL, 28,
	 "$filter: column 28: expected ',', found ''x''"},
	{"nosuch eq 1", VG_EINVAL, 1, "$filter: column 1: unknown field 'nosuch'"},
	{"id eq 'a' and Nosuch eq 1", VG_EINVAL, 15, "$filter: column 15: unknown field 'Nosuch'"},
	{"exposureScore eq 'abc'", VG_EINVAL, 18,
	 "$filter: column 18: type mismatch: 'exposureScore' is a number, the literal is a string"},
	{"id eq 5", VG_EINVAL, 7,
	 "$filter: column 7: type mismatch: 'id' is a string, the literal is a number"},
	{"lastSeen gt '2021-01-01'", VG_EINVAL, 13,
	 "$filter: column 13: type mismatch: 'lastSeen' is a datetime, the literal is a string"},
	{"isAadJoined eq 1", VG_EINVAL, 16,
	 "$filter: column 16: type mismatch: 'isAadJoined' is a bool, the literal is a number"},
	{"isAadJoined gt false", VG_EINVAL, 16,
	 "$filter: column 16: operator 'gt' does not apply to bool field 'isAadJoined'"},
	{"rbacGroupId in (1,'2')", VG_EINVAL, 19,
	 "$filter: column 19: type mismatch: 'rbacGroupId' is a number, the literal is a string"},
	{"rbacGroupId in (1,null)", VG_EINVAL, 19, "$filter: column 19: null in an in-list"},
	{"rbacGroupId in ()", VG_EINVAL, 17, "$filter: column 17: expected a literal, found ')'"},
	{"rbacGroupId in (1,2", VG_EINVAL, 20,
	 "$filter: column 20: expected ',' or ')', found end of input"},
	{"osPlatform in ('a'&)", VG_EINVAL, 19, "$filter: column 19: unexpected character '&'"},
	{"id eq 'a'&", VG_EINVAL, 10, "$filter: column 10: unexpected character '&'"},
	{"rbacGroupId in 1", VG_EINVAL, 16, "$filter: column 16: expected '(', found '1'"},
	{"rbacGroupId gt null", VG_EINVAL, 16,
	 "$filter: column 16: null can only be compared with eq or ne"},
	{"startswith(exposureScore,'1')", VG_EINVAL, 1,
	 "$filter: column 1: startswith() needs a string field, 'exposureScore' is a number"},
	{"contains(id,5)", VG_EINVAL, 13, "$filter: column 13: expected a string literal"},
	{"startswith(id,'a') eq 'b'", VG_EINVAL, 23,
	 "$filter: column 23: expected true or false, found ''b''"},
	{"id 'a'", VG_EINVAL, 4, "$filter: column 4: expected a comparison operator, found ''a''"},
	{"id eq", VG_EINVAL, 6, "$filter: column 6: expected a literal, found end of input"},
	{"id eq 'a' id eq 'b'", VG_EINVAL, 11,
	 "$filter: column 11: expected 'and', 'or' or end of filter, found 'id'"},
	{"id eq 'a' and", VG_EINVAL, 14,
	 "$filter: column 14: expected a field name, found end of input"},
	{"id eq 'a')", VG_EINVAL, 10,
	 "$filter: column 10: expected 'and', 'or' or end of filter, found ')'"},
	{"id eq 'abc", VG_EINVAL, 7, "$filter: column 7: unterminated string"},
	{"id eq 'it''", VG_EINVAL, 7, "$filter: column 7: unterminated string"},
	{"id eq \"a\"", VG_EINVAL, 7, "$filter: column 7: unexpected character '\"'"},
	{"id eq 'a' && id eq 'b'", VG_EINVAL, 11, "$filter: column 11: unexpected character '&'"},
	{"id eq 'a'\x01", VG_EINVAL, 10, "$filter: column 10: unexpected character '?'"},
	{"exposureScore eq 1.", VG_EINVAL, 18, "$filter: column 18: invalid number '1.'"},
	{"exposureScore eq 12abc", VG_EINVAL, 18, "$filter: column 18: invalid number '12abc'"},
	{"exposureScore eq -", VG_EINVAL, 18, "$filter: column 18: invalid number '-'"},
	{"exposureScore eq 1e999", VG_EINVAL, 18,
	 "$filter: column 18: number out of range '1e999'"},
	{"lastSeen gt 2021-02-29T00:00:00Z", VG_EINVAL, 13,
	 "$filter: column 13: invalid datetime '2021-02-29T00:00:00Z'"},
	{"lastSeen gt 2021-01-01T24:00:00Z", VG_EINVAL, 13,
	 "$filter: column 13: invalid datetime '2021-01-01T24:00:00Z'"},
	{"lastSeen gt 2021-01-01T00:00:00X", VG_EINVAL, 13,
	 "$filter: column 13: invalid datetime '2021-01-01T00:00:00X'"},
	{"lastSeen gt 0000-01-01T00:00:00+00:01", VG_EINVAL, 13,
	 "$filter: column 13: invalid datetime '0000-01-01T00:00:00+00:01'"},
	{"lastSeen gt 9999-12-31T23:59:59-00:01", VG_EINVAL, 13,
	 "$filter: column 13: invalid datetime '9999-12-31T23:59:59-00:01'"},
	{"not", VG_EINVAL, 4, "$filter: column 4: expected a field name, found end of input"},
	{"()", VG_EINVAL, 2, "$filter: column 2: expected a field name, found ')'"},
	{"id eq 'a' or ", VG_EINVAL, 14,
	 "$filter: column 14: expected a field name, found end of input"},
	{"id eq 'a'\n", VG_EINVAL, 10, "$filter: column 10: unexpected character '?'"},
	{"id eq 'x\xc3\xa9y' and 1", VG_EINVAL, 18,
	 "$filter: column 18: expected a field name, found '1'"},
	{"contains(nosuch\xff,'a')", VG_EINVAL, 10, "$filter: column 10: unknown field 'nosuch'"},
};

static void
test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct vg_odata_filter *f = (void *)1;
		struct vg_err err;
		int rc = vg_odata_filter_parse(vg_str_c(errors[i].in), fields, NFIELDS, &f, &err);
		if (rc != errors[i].code || err.column != errors[i].column ||
		    strcmp(err.msg, errors[i].msg) != 0)
			fail_msg("'%s': got %d col %d '%s'", errors[i].in, rc, err.column, err.msg);
		assert_null(f);
		assert_int_equal(err.code, errors[i].code);
	}
}

/* ---- limits --------------------------------------------------------------------------- */

static int
parse_buf(const struct vg_buf *b, struct vg_err *err)
{
	struct vg_odata_filter *f = NULL;
	int rc = vg_odata_filter_parse(vg_buf_str(b), fields, NFIELDS, &f, err);

	vg_odata_filter_free(f);
	return rc;
}

static void
test_limit_length(void **state)
{
	struct vg_buf b;
	struct vg_err err;

	(void)state;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_buf_addstr(&b, "id eq '"), VG_OK);
	while (b.len < VG_ODATA_MAX_LEN - 1)
		assert_int_equal(vg_buf_addch(&b, 'x'), VG_OK);
	assert_int_equal(vg_buf_addch(&b, '\''), VG_OK);
	assert_int_equal(b.len, 4096);
	assert_int_equal(parse_buf(&b, &err), VG_OK);
	assert_int_equal(vg_buf_addch(&b, ' '), VG_OK);
	assert_int_equal(parse_buf(&b, &err), VG_ETOOBIG);
	assert_int_equal(err.column, 4097);
	assert_string_equal(err.msg, "$filter: column 4097: filter longer than 4096 bytes");
	vg_buf_release(&b);
}

/* @n nested parentheses around one comparison. */
static void
nested(struct vg_buf *b, int n, const char *open, const char *close)
{
	vg_buf_reset(b);
	for (int i = 0; i < n; i++)
		assert_int_equal(vg_buf_addstr(b, open), VG_OK);
	assert_int_equal(vg_buf_addstr(b, "id eq 'a'"), VG_OK);
	for (int i = 0; i < n; i++)
		assert_int_equal(vg_buf_addstr(b, close), VG_OK);
}

static void
test_limit_depth(void **state)
{
	struct vg_buf b;
	struct vg_err err;

	(void)state;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	nested(&b, 32, "(", ")");
	assert_int_equal(parse_buf(&b, &err), VG_OK);
	nested(&b, 33, "(", ")");
	assert_int_equal(parse_buf(&b, &err), VG_ETOOBIG);
	assert_int_equal(err.column, 33);
	assert_string_equal(err.msg, "$filter: column 33: nested too deeply (limit 32)");
	nested(&b, 32, "not ", "");
	assert_int_equal(parse_buf(&b, &err), VG_OK);
	nested(&b, 33, "not ", "");
	assert_int_equal(parse_buf(&b, &err), VG_ETOOBIG);
	assert_int_equal(err.column, 129);
	/* Parentheses and nots add up. */
	nested(&b, 16, "not (", ")");
	assert_int_equal(parse_buf(&b, &err), VG_OK);
	nested(&b, 17, "not (", ")");
	assert_int_equal(parse_buf(&b, &err), VG_ETOOBIG);
	/* A chain of 32 ands is 32 deep (left-associative), 33 is too deep. */
	vg_buf_reset(&b);
	assert_int_equal(vg_buf_addstr(&b, "id eq 'a'"), VG_OK);
	for (int i = 0; i < 32; i++)
		assert_int_equal(vg_buf_addstr(&b, " and id eq 'a'"), VG_OK);
	assert_int_equal(parse_buf(&b, &err), VG_OK);
	assert_int_equal(vg_buf_addstr(&b, " or id eq 'a'"), VG_OK);
	assert_int_equal(parse_buf(&b, &err), VG_ETOOBIG);
	/* The outermost operator too deep is the 'or' at column 9 + 32 * 14 + 2. */
	assert_int_equal(err.column, 9 + 32 * 14 + 2);
	vg_buf_release(&b);
}

static void
test_limit_nodes(void **state)
{
	struct vg_buf b;
	struct vg_err err;

	(void)state;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	/* 128 comparisons joined by 127 ors, in groups of 8 to stay shallow: 255 nodes. */
	for (int g = 0; g < 16; g++) {
		assert_int_equal(vg_buf_addstr(&b, g ? " or (" : "("), VG_OK);
		for (int i = 0; i < 8; i++)
			assert_int_equal(vg_buf_addstr(&b, i ? " or id eq 'a'" : "id eq 'a'"),
					 VG_OK);
		assert_int_equal(vg_buf_addch(&b, ')'), VG_OK);
	}
	assert_int_equal(parse_buf(&b, &err), VG_OK);
	/* One more or is node 256, its not node 257: the error points at the 'not'. */
	size_t before = b.len;
	assert_int_equal(vg_buf_addstr(&b, " or not id eq 'b'"), VG_OK);
	assert_int_equal(parse_buf(&b, &err), VG_ETOOBIG);
	assert_string_equal(strstr(err.msg, "too many"), "too many terms (limit 256)");
	assert_int_equal(err.column, (int)before + 5);
	/* A not around the 255 nodes makes exactly 256, which fits. */
	struct vg_buf c;
	vg_buf_init(&c, VG_BUF_NOLIMIT);
	assert_int_equal(vg_buf_addstr(&c, "not ("), VG_OK);
	assert_int_equal(vg_buf_add(&c, b.p, before), VG_OK);
	assert_int_equal(vg_buf_addch(&c, ')'), VG_OK);
	assert_int_equal(parse_buf(&c, &err), VG_OK);
	vg_buf_release(&c);
	vg_buf_release(&b);
}

static void
test_limit_in(void **state)
{
	struct vg_buf b;
	struct vg_err err;

	(void)state;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_buf_addstr(&b, "rbacGroupId in (0"), VG_OK);
	for (int i = 1; i < 100; i++)
		assert_int_equal(vg_buf_addf(&b, ",%d", i), VG_OK);
	assert_int_equal(vg_buf_addch(&b, ')'), VG_OK);
	assert_int_equal(parse_buf(&b, &err), VG_OK);
	b.len--;
	size_t col = b.len + 2;
	assert_int_equal(vg_buf_addstr(&b, ",100)"), VG_OK);
	assert_int_equal(parse_buf(&b, &err), VG_ETOOBIG);
	assert_int_equal(err.column, (int)col);
	assert_string_equal(strstr(err.msg, "in-list"), "in-list too long (limit 100)");
	vg_buf_release(&b);
}

/* ---- datetimes ------------------------------------------------------------------------ */

static void
test_datetime(void **state)
{
	static const struct {
		const char *in;
		int rc;
		long long want;
	} t[] = {
		{"1970-01-01T00:00:00Z", VG_OK, 0},
		{"1970-01-01", VG_OK, 0},
		{"1969-12-31T23:59:59.999999Z", VG_OK, -1},
		{"2021-01-01T00:00:00Z", VG_OK, 1609459200000000LL},
		{"2021-01-01T00:00:00", VG_OK, 1609459200000000LL},
		{"2000-02-29T12:00:00+12:00", VG_OK, 951782400000000LL},
		{"2019-12-03T07:23:53.280499Z", VG_OK, 1575357833280499LL},
		{"0000-01-01T00:00:00Z", VG_OK, -62167219200000000LL},
		{"9999-12-31T23:59:59.999999Z", VG_OK, 253402300799999999LL},
		{"1900-02-29", VG_EINVAL, 0},
		{"2021-13-01", VG_EINVAL, 0},
		{"2021-00-01", VG_EINVAL, 0},
		{"2021-01-32", VG_EINVAL, 0},
		{"2021-01-01T00:60:00Z", VG_EINVAL, 0},
		{"2021-01-01T00:00:60Z", VG_EINVAL, 0},
		{"2021-01-01T00:00:00.Z", VG_EINVAL, 0},
		{"2021-01-01T00:00:00+1:00", VG_EINVAL, 0},
		{"2021-01-01T00:00:00ZZ", VG_EINVAL, 0},
		{"2021-1-01", VG_EINVAL, 0},
		{"", VG_EINVAL, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t v = 42;
		int rc = vg_odata_parse_datetime(vg_str_c(t[i].in), &v);
		if (rc != t[i].rc || (rc == VG_OK && v != t[i].want))
			fail_msg("'%s': rc %d value %lld", t[i].in, rc, (long long)v);
	}
}

/* ---- $top, $skip, $select, $orderby --------------------------------------------------- */

static struct vg_str
s(const char *c)
{
	return vg_str_c(c);
}

static void
test_query_ok(void **state)
{
	struct vg_odata_query q;
	struct vg_odata_options o = {.top_max = 10000};
	struct vg_err err;

	(void)state;
	assert_int_equal(vg_odata_query_parse(&q, &o, fields, NFIELDS, &err), VG_OK);
	assert_int_equal(q.top, 10000);
	assert_int_equal(q.skip, 0);
	assert_int_equal(q.nselect, 0);
	assert_int_equal(q.norderby, 0);
	assert_null(q.filter);

	o = (struct vg_odata_options){
		.top = s("25"),
		.skip = s("50"),
		.top_max = 8000,
		.select = s("id, computerDnsName,ID,riskScore"),
		.orderby = s("lastSeen desc, id,riskScore  ASC ,rbacGroupId DESC"),
		.filter = s("startswith(computerDnsName,'x')")};
	assert_int_equal(vg_odata_query_parse(&q, &o, fields, NFIELDS, &err), VG_OK);
	assert_int_equal(q.top, 25);
	assert_int_equal(q.skip, 50);
	assert_int_equal(q.nselect, 3);
	assert_int_equal(q.select[0], 1);
	assert_int_equal(q.select[1], 0);
	assert_int_equal(q.select[2], 3);
	assert_int_equal(q.norderby, 4);
	assert_int_equal(q.orderby[0].field, 6);
	assert_true(q.orderby[0].desc);
	assert_int_equal(q.orderby[1].field, 1);
	assert_false(q.orderby[1].desc);
	assert_int_equal(q.orderby[2].field, 3);
	assert_false(q.orderby[2].desc);
	assert_int_equal(q.orderby[3].field, 5);
	assert_true(q.orderby[3].desc);
	assert_non_null(q.filter);
	vg_odata_query_release(&q);
	vg_odata_query_release(&q);

	/* $top above the resource's maximum is lowered to it; 0 and "*" are fine. */
	o = (struct vg_odata_options){
		.top = s("20000"), .skip = s("0"), .select = s(" * "), .top_max = 8000};
	assert_int_equal(vg_odata_query_parse(&q, &o, fields, NFIELDS, &err), VG_OK);
	assert_int_equal(q.top, 8000);
	assert_int_equal(q.nselect, 0);
	vg_odata_query_release(&q);
	o.top = s("0");
	assert_int_equal(vg_odata_query_parse(&q, &o, fields, NFIELDS, &err), VG_OK);
	assert_int_equal(q.top, 0);
	o.skip = s("9223372036854775807");
	assert_int_equal(vg_odata_query_parse(&q, &o, fields, NFIELDS, &err), VG_OK);
	assert_int_equal(q.skip, 9223372036854775807ULL);
	vg_odata_query_release(&q);
}

static void
test_query_errors(void **state)
{
	static const struct {
		struct vg_odata_options o;
		int column;
		const char *msg;
	} t[] = {
		{{.top = {"-1", 2}}, 1, "$top: column 1: expected a non-negative integer"},
		{{.top = {"", 0}}, 1, "$top: column 1: expected a non-negative integer"},
		{{.top = {"10x", 3}}, 3, "$top: column 3: expected a non-negative integer"},
		{{.top = {" 1", 2}}, 1, "$top: column 1: expected a non-negative integer"},
		{{.skip = {"1.5", 3}}, 2, "$skip: column 2: expected a non-negative integer"},
		{{.skip = {"9223372036854775808", 19}}, 19, "$skip: column 19: number too large"},
		{{.select = {"id,nosuch", 9}}, 4, "$select: column 4: unknown field 'nosuch'"},
		{{.select = {"id,", 3}}, 4, "$select: column 4: expected a field name"},
		{{.select = {"", 0}}, 1, "$select: column 1: expected a field name"},
		{{.orderby = {"id up", 5}}, 4, "$orderby: column 4: expected 'asc' or 'desc'"},
		{{.orderby = {"id asc desc", 11}},
		 4,
		 "$orderby: column 4: expected 'asc' or 'desc'"},
		{{.orderby = {"nosuch", 6}}, 1, "$orderby: column 1: unknown field 'nosuch'"},
		{{.orderby = {"id, id desc", 11}}, 5, "$orderby: column 5: field ordered twice"},
		{{.orderby = {"id,riskScore,lastSeen,osPlatform,machineTags", 44}},
		 34,
		 "$orderby: column 34: too many keys (limit 4)"},
		{{.filter = {"id eq", 5}},
		 6,
		 "$filter: column 6: expected a literal, found end of input"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vg_odata_query q;
		struct vg_err err;
		struct vg_odata_options o = t[i].o;
		o.top_max = 100;
		int rc = vg_odata_query_parse(&q, &o, fields, NFIELDS, &err);
		if (rc != VG_EINVAL || err.column != t[i].column || strcmp(err.msg, t[i].msg) != 0)
			fail_msg("case %zu: got %d col %d '%s'", i, rc, err.column, err.msg);
		assert_null(q.filter);
		vg_odata_query_release(&q);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_dump),  cmocka_unit_test(test_reference_fields),
		cmocka_unit_test(test_eval),        cmocka_unit_test(test_sql),
		cmocka_unit_test(test_sql_errors),  cmocka_unit_test(test_sql_agrees_with_eval),
		cmocka_unit_test(test_errors),      cmocka_unit_test(test_limit_length),
		cmocka_unit_test(test_limit_depth), cmocka_unit_test(test_limit_nodes),
		cmocka_unit_test(test_limit_in),    cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_query_ok),    cmocka_unit_test(test_query_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
