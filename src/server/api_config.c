/*
 * api_config.c - the secure configuration assessment of /api (issue 6;
 * defender-tvm-spec.md §1.2, §2.2, §3.3 #25, §3.4 "Score"; docs/api.md
 * "Secure configuration"):
 *
 *   GET /api/configurationScore                  the org's Secure Score for devices
 *   GET /api/configurations                      the check catalog with the org's counts
 *   GET /api/machines/{id}/configurations        a device's result per check
 *   GET /api/machines/{id}/configurations/history  its changes, newest first
 *   GET /api/machines/{id}/configurationScore    a device's own score
 *
 * and temp.vg_cfgrec, the configuration recommendations api_recs.c serves
 * with the software ones (vg_api_config_refresh()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/alloc.h"
#include "engine/config_score.h"
#include "server/api_int.h"
#include "store/sql.h"

#define CT_JSON "application/json; odata.metadata=minimal; charset=utf-8"

/* The catalog's categories in the order the scores list them, with the API spelling. */
static const struct {
	const char *name, *api;
} categories[VG_CONFIG_NCATEGORIES] = {
	{"Application", "Application"},
	{"OS", "OS"},
	{"Network", "Network"},
	{"Accounts", "Accounts"},
	{"Security controls", "SecurityControls"},
};

/* Applicable and compliant results (docs/scoring.md "Secure Score for devices"). */
#define APPLICABLE "('passed', 'failed', 'error')"

/* ---- the catalog ------------------------------------------------------------------ */

/*
 * Each check's counts over the devices that count (as the score's), joined
 * as `a`: config_tally's counts over every device (kept by triggers,
 * migration 0008) less those of the devices outside the 30-day window, found
 * through device_by_last_seen, so a call reads one row per check and not
 * every result.
 */
#define CATALOG_FROM                                                                               \
	"config_check c LEFT JOIN (SELECT t.policy, t.check_id, t.applicable - coalesce(o.app, "   \
	"0) AS applicable, t.compliant - coalesce(o.comp, 0) AS compliant FROM config_tally t "    \
	"LEFT JOIN (SELECT dc.policy, dc.check_id, sum(dc.result IN " APPLICABLE ") AS app, "      \
	"sum(dc.result = 'passed') AS comp FROM device d JOIN device_config dc ON dc.device_id = " \
	"d.id WHERE d.last_seen < " VG_API_SQL_ACTIVE_SINCE " GROUP BY dc.policy, dc.check_id) "   \
	"o ON o.policy = t.policy AND o.check_id = t.check_id) a ON a.policy = c.policy AND "      \
	"a.check_id = c.check_id"

static const struct vg_api_field catalog_fields[] = {
	{"policy", "c.policy", VG_API_STRING, 0, NULL},
	{"configurationId", "c.check_id", VG_API_STRING, 0, NULL},
	{"configurationName", "c.title", VG_API_STRING, 0, NULL},
	{"category", "nullif(c.category, '')", VG_API_STRING, 0, NULL},
	{"subcategory", "c.subcategory", VG_API_STRING, 0, NULL},
	{"impact", "c.impact", VG_API_INT, 0, NULL},
	{"description", "c.description", VG_API_STRING, 0, NULL},
	{"rationale", "c.rationale", VG_API_STRING, 0, NULL},
	{"remediation", "c.remediation", VG_API_STRING, 0, NULL},
	{"references", "c.refs", VG_API_ARRAY, VG_API_NOSORT, NULL},
	{"applicableMachines", "coalesce(a.applicable, 0)", VG_API_INT, 0, NULL},
	{"compliantMachines", "coalesce(a.compliant, 0)", VG_API_INT, 0, NULL},
	{"nonCompliantMachines", "(coalesce(a.applicable, 0) - coalesce(a.compliant, 0))",
	 VG_API_INT, 0, NULL},
	{"recommendationReference",
	 "(CASE WHEN c.impact > 0 THEN " VG_API_SQL_CONFIG_REC_ID("c.policy", "c.check_id") " END)",
	 VG_API_STRING, 0, NULL},
};

static const struct vg_api_resource catalog = {
	.context = "Configurations",
	.fields = catalog_fields,
	.nfields = sizeof(catalog_fields) / sizeof(catalog_fields[0]),
	.from = CATALOG_FROM,
	.order = "c.policy, c.check_id",
	.top_max = 10000,
};

/* ---- a device's results and history ----------------------------------------------- */

static const struct vg_api_field device_fields[] = {
	{"policy", "dc.policy", VG_API_STRING, 0, NULL},
	{"configurationId", "dc.check_id", VG_API_STRING, 0, NULL},
	{"configurationName", "c.title", VG_API_STRING, 0, NULL},
	{"category", "nullif(c.category, '')", VG_API_STRING, 0, NULL},
	{"subcategory", "c.subcategory", VG_API_STRING, 0, NULL},
	{"impact", "c.impact", VG_API_INT, 0, NULL},
	{"result", "dc.result", VG_API_STRING, 0, NULL},
	{"reason", "dc.reason", VG_API_STRING, 0, NULL},
	{"evidence", "dc.evidence", VG_API_STRING, 0, NULL},
	{"firstSeen", "dc.first_seen", VG_API_DATETIME, 0, NULL},
	{"changedAt", "dc.changed_at", VG_API_DATETIME, 0, NULL},
};

static const struct vg_api_resource device_configs = {
	.context = "MachineConfigurations",
	.fields = device_fields,
	.nfields = sizeof(device_fields) / sizeof(device_fields[0]),
	.from = "device_config dc LEFT JOIN config_check c ON c.policy = dc.policy AND "
		"c.check_id = dc.check_id",
	.where = "dc.device_id = " VG_API_SQL_DEVICE_BY_ID,
	.order = "dc.policy, dc.check_id",
	.top_max = 10000,
};

static const struct vg_api_field history_fields[] = {
	{"id", "h.id", VG_API_INT, 0, NULL},
	{"policy", "h.policy", VG_API_STRING, 0, NULL},
	{"configurationId", "h.check_id", VG_API_STRING, 0, NULL},
	{"configurationName", "c.title", VG_API_STRING, 0, NULL},
	{"result", "h.result", VG_API_STRING, 0, NULL},
	{"previous", "h.previous", VG_API_STRING, 0, NULL},
	{"time", "h.time", VG_API_DATETIME, 0, NULL},
};

/* Newest first; paged like the exports, since a device's history only grows. */
static const struct vg_api_resource history = {
	.context = "MachineConfigurationHistory",
	.fields = history_fields,
	.nfields = sizeof(history_fields) / sizeof(history_fields[0]),
	.from = "device_config_history h LEFT JOIN config_check c ON c.policy = h.policy AND "
		"c.check_id = h.check_id",
	.where = "h.device_id = " VG_API_SQL_DEVICE_BY_ID,
	.order = "h.time DESC, h.id DESC",
	.top_max = 10000,
	.page_default = 1000,
	.page_max = 10000,
};

/* ---- score documents -------------------------------------------------------------- */

/* The current time as "2019-12-03T07:23:53.280499Z" (the reference's, with a fraction). */
static void
now_iso(char out[48])
{
	struct timespec ts;
	char sec[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	vg_api_datetime((int64_t)ts.tv_sec, sec);
	sec[strlen(sec) - 1] = '\0'; /* drop the 'Z' */
	snprintf(out, 48, "%s.%06dZ", sec, (int)(ts.tv_nsec / 1000 % 1000000));
}

/* {"score","maxScore","scorePercentage"} members of @o. */
static void
set_score(json_t *o, double points, double max)
{
	json_object_set_new(o, "score", json_real(points));
	json_object_set_new(o, "maxScore", json_real(max));
	json_object_set_new(o, "scorePercentage", json_real(vg_config_score_percent(points, max)));
}

/* The categories array of per-category @points / @max (indexed as categories[]). */
static json_t *
category_array(const double *points, const double *max)
{
	json_t *a = json_array();

	for (size_t i = 0; i < VG_CONFIG_NCATEGORIES; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "category", json_string(categories[i].api));
		set_score(c, points[i], max[i]);
		json_array_append_new(a, c);
	}
	return a;
}

/* Index of catalog category @name in categories[], or -1. */
static int
category_index(const char *name)
{
	for (int i = 0; name != NULL && i < VG_CONFIG_NCATEGORIES; i++)
		if (strcmp(name, categories[i].name) == 0 || strcmp(name, categories[i].api) == 0)
			return i;
	return -1;
}

/* Answer 200 with @doc (consumed) as an OData entity. */
static void
reply_doc(struct vg_http_response *resp, json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));

	json_decref(doc);
	if (text == NULL) {
		vg_http_reply_error(resp, 500, "InternalServerError", "out of memory");
		return;
	}
	vg_http_reply_json(resp, 200, text, strlen(text));
	resp->content_type = CT_JSON;
	(void)vg_http_resp_header(resp, "OData-Version", "4.0");
	free(text);
}

/*
 * A new entity document with "@odata.context" <base>/api/$metadata#<@ctx>/$entity, or NULL
 * after answering 400 for a bad $format.
 */
static json_t *
entity_doc(const struct vg_http_request *req, struct vg_http_response *resp, const char *ctx)
{
	struct vg_api_request rq;
	struct vg_err err;
	char url[640];
	json_t *doc = NULL;

	vg_err_clear(&err);
	if (vg_api_request_from_http(&rq, req, &err) != VG_OK) {
		vg_http_reply_error(resp, 400, "BadRequest", "%s", err.msg);
	} else {
		snprintf(url, sizeof(url), "%s/api/$metadata#%s/$entity", rq.base, ctx);
		doc = json_object();
		json_object_set_new(doc, "@odata.context", json_string(url));
	}
	vg_api_request_release(&rq);
	return doc;
}

static void
h_org_score(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	struct vg_config_score s;
	double points[VG_CONFIG_NCATEGORIES] = {0}, max[VG_CONFIG_NCATEGORIES] = {0};
	struct vg_err err;
	char now[48];
	json_t *doc;

	if (w == NULL)
		return;
	vg_err_clear(&err);
	memset(&s, 0, sizeof(s));
	if (vg_config_score_org(w->kb, (int64_t)time(NULL), NULL, &s, &err) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "%s", err.msg);
		vg_config_score_free(&s);
		return;
	}
	for (size_t i = 0; i < VG_CONFIG_NCATEGORIES; i++) {
		int k = category_index(s.categories[i].category);

		if (k >= 0)
			points[k] = s.categories[i].points, max[k] = s.categories[i].max;
	}
	now_iso(now);
	doc = entity_doc(req, resp, "ConfigurationScore");
	if (doc == NULL) {
		vg_config_score_free(&s);
		return;
	}
	json_object_set_new(doc, "time", json_string(now));
	set_score(doc, s.points, s.max);
	json_object_set_new(doc, "categories", category_array(points, max));
	vg_config_score_free(&s);
	reply_doc(resp, doc);
}

/* The device {id} names, its computer name, and its score per category from its results. */
struct device_score {
	char *id, *name;
	double points[VG_CONFIG_NCATEGORIES], max[VG_CONFIG_NCATEGORIES];
};

static const char device_sql[] =
	"SELECT d.id, d.hostname FROM device d WHERE d.id = " VG_API_SQL_DEVICE_BY_ID;

/* A device's score (eval.h vg_secure_score_device) with the catalog's current impacts. */
static const char device_score_sql[] =
	"SELECT c.category, total(CASE WHEN dc.result = 'passed' THEN c.impact END),"
	" total(c.impact) FROM device_config dc JOIN config_check c ON c.policy = dc.policy AND"
	" c.check_id = dc.check_id WHERE dc.device_id = ?1 AND c.impact > 0 AND dc.result IN " APPLICABLE
	" GROUP BY c.category";

static char *
col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? vg_xstrdup((const char *)t) : NULL;
}

/* Fill @ds for {id} @id; VG_ENOTFOUND when no such device, VG_EIO on store errors. */
static int
device_score(struct vg_kb *kb, const char *id, struct device_score *ds)
{
	sqlite3 *db = vg_kb_db(kb);
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v2(db, device_sql, -1, &st, NULL);

	if (src == SQLITE_OK)
		src = sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		ds->id = col_dup(st, 0);
		ds->name = col_dup(st, 1);
	}
	sqlite3_finalize(st);
	if (src != SQLITE_ROW)
		return src == SQLITE_DONE ? VG_ENOTFOUND : VG_EIO;
	src = sqlite3_prepare_v2(db, device_score_sql, -1, &st, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_bind_text(st, 1, ds->id, -1, SQLITE_STATIC);
	while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		int k = category_index((const char *)sqlite3_column_text(st, 0));

		if (k >= 0) {
			ds->points[k] += sqlite3_column_double(st, 1);
			ds->max[k] += sqlite3_column_double(st, 2);
		}
		src = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return src == SQLITE_DONE ? VG_OK : VG_EIO;
}

static void
h_device_score(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	struct device_score ds;
	double points = 0, max = 0;
	char now[48];
	json_t *doc;
	int rc;

	if (w == NULL)
		return;
	memset(&ds, 0, sizeof(ds));
	rc = device_score(w->kb, vg_http_param(req, "id"), &ds);
	if (rc == VG_ENOTFOUND) {
		vg_http_reply_error(resp, 404, "NotFound", "machine not found");
	} else if (rc != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "cannot read the score: %s",
				    sqlite3_errmsg(vg_kb_db(w->kb)));
	} else if ((doc = entity_doc(req, resp, "MachineConfigurationScore")) != NULL) {
		for (size_t i = 0; i < VG_CONFIG_NCATEGORIES; i++)
			points += ds.points[i], max += ds.max[i];
		now_iso(now);
		json_object_set_new(doc, "id", json_string(ds.id));
		json_object_set_new(doc, "computerDnsName",
				    ds.name ? json_string(ds.name) : json_null());
		json_object_set_new(doc, "time", json_string(now));
		set_score(doc, points, max);
		json_object_set_new(doc, "categories", category_array(ds.points, ds.max));
		reply_doc(resp, doc);
	}
	free(ds.id);
	free(ds.name);
}

/* ---- collections ------------------------------------------------------------------ */

static void
h_catalog(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	struct vg_api_select sel = {.res = &catalog};

	if (w != NULL)
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

static void
device_collection(const struct vg_api_resource *res, struct vg_http_request *req,
		  struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	struct vg_api_select sel = {res, NULL, NULL, &p, 1};

	if (w != NULL)
		vg_api_reply_device_collection(w->kb, &sel, req, resp);
}

static void
h_device_configs(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	device_collection(&device_configs, req, resp, ctx);
}

static void
h_history(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	device_collection(&history, req, resp, ctx);
}

/* ---- the configuration recommendations (temp.vg_cfgrec) ----------------------------- */

static const char rec_create_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS vg_cfgrec ("
	" id TEXT PRIMARY KEY, policy TEXT NOT NULL, check_id TEXT NOT NULL, title TEXT NOT NULL,"
	" category TEXT NOT NULL, subcategory TEXT NOT NULL, component TEXT NOT NULL,"
	" impact INTEGER NOT NULL,"
	" applicable INTEGER NOT NULL, exposed INTEGER NOT NULL, score_impact REAL NOT NULL,"
	" crit INTEGER NOT NULL DEFAULT 0, UNIQUE (policy, check_id));"
	"CREATE TEMP TABLE IF NOT EXISTS vg_cfgrec_meta (fp TEXT NOT NULL);";

/* ?4 is the catalog's category: the API spells "Security controls" SecurityControls; the
 * related component is the subcategory, or the category as the portal shows it. */
#define REC_ID_SQL VG_API_SQL_CONFIG_REC_ID("?1", "?2")
static const char rec_insert_sql[] =
	"INSERT OR IGNORE INTO temp.vg_cfgrec (id, policy, check_id, title, category, subcategory,"
	" component, impact, applicable, exposed, score_impact) VALUES (" REC_ID_SQL ", ?1, ?2,"
	" ?3, (CASE ?4 WHEN 'Security controls' THEN 'SecurityControls' ELSE ?4 END),"
	" coalesce(?5, ''), coalesce(nullif(?5, ''), ?4), ?6, ?7, ?8, ?9)";

/* Exposed devices of value High (the Recommendation's exposedCriticalDevices). */
static const char rec_crit_sql[] =
	"UPDATE temp.vg_cfgrec SET crit = (SELECT count(*) FROM device_config dc JOIN device d ON"
	" d.id = dc.device_id WHERE dc.policy = vg_cfgrec.policy AND dc.check_id ="
	" vg_cfgrec.check_id AND dc.result IN ('failed', 'error') AND d.value = 'High' AND"
	" d.last_seen >= ?1)";

/*
 * What the recommendations depend on: the catalog, the devices' count,
 * values, activity at the cut-off and last reports, their stored scores,
 * and the results' history (each change of a result adds a row).  The
 * rebuild is cheap (vg_config_score_org() reads config_tally, one row per
 * check), so any change rebuilds: unlike temp.vg_sw, the numbers never lag.
 */
static const char rec_fp_sql[] =
	"SELECT (SELECT count(*) || '/' || total(impact) || '/' || total(length(policy) * impact)"
	" || '/' || coalesce(max(loaded_at), 0) FROM config_check), count(*),"
	" total(rowid * (CASE value WHEN 'Low' THEN 1 WHEN 'High' THEN 3 ELSE 2 END)),"
	" total(last_seen >= ?1), total(last_seen), total(rowid * coalesce(config_points, 0)),"
	" total(rowid * coalesce(config_max, 0)),"
	" (SELECT coalesce(max(id), 0) FROM device_config_history) FROM device";

#define FP_COLUMNS 8

static int
db_fail(sqlite3 *db, struct vg_err *err)
{
	return vg_error(err, VG_EIO, "configuration recommendations: %s", sqlite3_errmsg(db));
}

static int
fingerprint(sqlite3 *db, int64_t since, char *fp, size_t size, struct vg_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t len = 0;

	if (sqlite3_prepare_v2(db, rec_fp_sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 1, since) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_fail(db, err);
	}
	fp[0] = '\0';
	for (int i = 0; i < FP_COLUMNS && len < size; i++) {
		const unsigned char *t = sqlite3_column_text(st, i);

		len += (size_t)snprintf(fp + len, size - len, "/%s", t ? (const char *)t : "");
	}
	sqlite3_finalize(st);
	return VG_OK;
}

/* Whether temp.vg_cfgrec was built at fingerprint @fp. */
static bool
is_current(sqlite3 *db, const char *fp)
{
	sqlite3_stmt *st = NULL;
	bool ok = false;

	if (sqlite3_prepare_v2(db, "SELECT fp FROM temp.vg_cfgrec_meta", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *old = (const char *)sqlite3_column_text(st, 0);

		ok = old && strcmp(old, fp) == 0;
	}
	sqlite3_finalize(st);
	return ok;
}

/* Insert the checks of @s with a non-compliant applicable device. */
static int
insert_recs(sqlite3 *db, const struct vg_config_score *s, struct vg_err *err)
{
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v2(db, rec_insert_sql, -1, &st, NULL);

	for (size_t i = 0; i < s->nchecks && src == SQLITE_OK; i++) {
		const struct vg_config_check_score *c = &s->checks[i];

		if (c->applicable <= c->compliant)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, c->policy, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->check_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, c->title ? c->title : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->category ? c->category : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, c->subcategory, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 6, c->impact);
		sqlite3_bind_int64(st, 7, c->applicable);
		sqlite3_bind_int64(st, 8, c->applicable - c->compliant);
		sqlite3_bind_double(st, 9, c->score_impact);
		src = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	return src == SQLITE_OK ? VG_OK : db_fail(db, err);
}

/* Run @sql, binding ?1 (when it has one) to @text, or to @a when @text is NULL. */
static int
run(sqlite3 *db, const char *sql, int64_t a, const char *text, struct vg_err *err)
{
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (src == SQLITE_OK && sqlite3_bind_parameter_count(st) >= 1)
		src = text ? sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC)
			   : sqlite3_bind_int64(st, 1, a);
	if (src == SQLITE_OK)
		src = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	return src == SQLITE_OK ? VG_OK : db_fail(db, err);
}

static int
rebuild(struct vg_kb *kb, int64_t now, const char *fp, struct vg_err *err)
{
	sqlite3 *db = vg_kb_db(kb);
	struct vg_config_score s;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = run(db, "DELETE FROM temp.vg_cfgrec", 0, NULL, err);
	if (rc == VG_OK)
		rc = run(db, "DELETE FROM temp.vg_cfgrec_meta", 0, NULL, err);
	if (rc == VG_OK)
		rc = vg_config_score_org(kb, now, NULL, &s, err);
	if (rc == VG_OK)
		rc = insert_recs(db, &s, err);
	vg_config_score_free(&s);
	if (rc == VG_OK)
		rc = run(db, rec_crit_sql, now - (int64_t)VG_CONFIG_ACTIVE_DAYS * 86400, NULL, err);
	if (rc == VG_OK)
		rc = run(db, "INSERT INTO temp.vg_cfgrec_meta (fp) VALUES (?1)", 0, fp, err);
	return rc;
}

int
vg_api_config_refresh(struct vg_kb *kb, struct vg_err *err)
{
	sqlite3 *db = vg_kb_db(kb);
	int64_t now = (int64_t)time(NULL);
	char fp[512];
	char *msg = NULL;
	int rc = VG_OK;

	if (sqlite3_exec(db, rec_create_sql, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(db, "SAVEPOINT vg_cfgrec", NULL, NULL, &msg) != SQLITE_OK) {
		rc = vg_error(err, VG_EIO, "configuration recommendations: %s",
			      msg ? msg : "cannot begin");
		sqlite3_free(msg);
		return rc;
	}
	/* One read snapshot for the fingerprint and the rebuild, so they agree. */
	rc = fingerprint(db, now - (int64_t)VG_CONFIG_ACTIVE_DAYS * 86400, fp, sizeof(fp), err);
	if (rc == VG_OK && !is_current(db, fp))
		rc = rebuild(kb, now, fp, err);
	if (rc != VG_OK)
		(void)sqlite3_exec(db, "ROLLBACK TO vg_cfgrec", NULL, NULL, NULL);
	(void)sqlite3_exec(db, "RELEASE vg_cfgrec", NULL, NULL, NULL);
	return rc;
}

int
vg_api_config_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	static const struct vg_api_route routes[] = {
		{"/api/configurationScore", h_org_score},
		{"/api/configurations", h_catalog},
		{"/api/machines/{id}/configurations", h_device_configs},
		{"/api/machines/{id}/configurations/history", h_history},
		{"/api/machines/{id}/configurationScore", h_device_score},
	};
	return vg_api_add_gets(api, r, routes, sizeof(routes) / sizeof(routes[0]), err);
}
