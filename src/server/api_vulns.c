/*
 * api_vulns.c - the Vulnerability resource (defender-tvm-spec.md §3.3 #5,
 * #8-11, §3.4 "Vulnerability", "PublicAssetVulnerabilityDto"; docs/api.md):
 * GET /api/vulnerabilities, /api/vulnerabilities/{id},
 * /api/vulnerabilities/{id}/machineReferences,
 * /api/vulnerabilities/machinesVulnerabilities and
 * /api/machines/{id}/vulnerabilities.
 *
 * A vulnerability "affects the organization" while some device has a
 * current finding of it (device_vuln); its details come from vuln_summary,
 * which assessment writes for every vulnerability it finds.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "core/arena.h"
#include "core/time.h"
#include "engine/score.h"
#include "server/api_int.h"
#include "store/findings.h"
#include "store/sql.h"

/*
 * Every Vulnerability row is vuln_summary `v` joined with `x`, the
 * vulnerability's exposed-device count and first detection, which ingest
 * keeps up to date (vuln_exposure, migration 0006): a listing costs one
 * indexed join, whatever the number of findings.  COND restricts the rows
 * (" AND v.id IN (...)").
 */
#define VULN_FROM(cond) \
	"vuln_summary v JOIN vuln_exposure x ON x.vuln_id = v.id AND x.exposed > 0" cond

/* The findings of the vulnerability ?1 names (its id, or the CVE id of an alias record). */
#define VULN_IDS "SELECT id FROM vuln_summary WHERE id = ?1 OR cve_id = ?1"

static const struct vg_api_field vuln_fields[] = {
	{"id", "v.id", VG_API_STRING, 0, NULL},
	{"name", "v.id", VG_API_STRING, 0, NULL},
	{"description", "v.description", VG_API_STRING, 0, NULL},
	{"severity", "v.severity", VG_API_STRING, 0, NULL},
	{"cvssV3", "v.cvss_v3", VG_API_NUMBER, 0, NULL},
	{"cvssVector", "v.cvss_vector", VG_API_STRING, 0, NULL},
	{"exposedMachines", "x.exposed", VG_API_INT, 0, NULL},
	{"publishedOn", "v.published", VG_API_DATETIME, 0, NULL},
	{"updatedOn", "v.updated", VG_API_DATETIME, 0, NULL},
	{"publicExploit", "v.public_exploit", VG_API_BOOL, 0, NULL},
	{"exploitVerified", "v.kev", VG_API_BOOL, 0, NULL},
	{"exploitInKit", "0", VG_API_BOOL, 0, NULL},
	{"exploitTypes", "'[]'", VG_API_ARRAY, VG_API_NOFILTER | VG_API_NOSORT, NULL},
	{"exploitUris", "v.exploit_uris", VG_API_ARRAY, VG_API_NOSORT, NULL},
	{"cveSupportability", "'Supported'", VG_API_STRING, 0, NULL},
	{"epss", "v.epss", VG_API_NUMBER, 0, NULL},
	{"firstDetected", "x.first_detected", VG_API_DATETIME, 0, NULL},
	{"kev", "v.kev", VG_API_BOOL, 0, NULL},
	{"cveId", "v.cve_id", VG_API_STRING, 0, NULL},
};

#define VULN_RESOURCE(from_sql)                                                              \
	{                                                                                    \
		.context = "Vulnerabilities", .fields = vuln_fields,                         \
		.nfields = sizeof(vuln_fields) / sizeof(vuln_fields[0]), .from = (from_sql), \
		.order = "x.exposed DESC, v.id", .top_max = 8000,                            \
	}

/* The organization's vulnerabilities. */
static const struct vg_api_resource vulns = VULN_RESOURCE(VULN_FROM(""));
/* The one ?1 names. */
static const struct vg_api_resource vuln_one =
	VULN_RESOURCE(VULN_FROM(" AND v.id IN (" VULN_IDS ")"));
/* Those of device ?1 (exposedMachines and firstDetected still count the fleet). */
static const struct vg_api_resource device_vulns =
	VULN_RESOURCE(VULN_FROM(" AND v.id IN (SELECT vuln_id FROM device_vuln "
				"WHERE device_id = ?1)"));
/* A vulnerability the knowledge base knows and no device has: one row of parameters. */
static const struct vg_api_resource vuln_kb_only = VULN_RESOURCE(
	"(SELECT ?1 AS id, ?2 AS cve_id, ?3 AS description, ?4 AS severity, ?5 AS cvss_v3, "
	"?6 AS cvss_vector, ?7 AS published, ?8 AS updated, ?9 AS public_exploit, ?10 AS kev, "
	"?11 AS epss, ?12 AS exploit_uris) v, (SELECT 0 AS exposed, NULL AS first_detected) x");

void
vg_api_reply_vuln_list(struct vg_kb *kb, const char *ids_sql, const struct vg_api_param *params,
		       size_t nparams, const struct vg_http_request *req,
		       struct vg_http_response *resp)
{
	char from[4096];
	const struct vg_api_resource res = VULN_RESOURCE(from);
	struct vg_api_select sel = {&res, NULL, NULL, params, nparams};
	int n = snprintf(from, sizeof(from), VULN_FROM(" AND v.id IN (%s)"), ids_sql);

	if (n < 0 || (size_t)n >= sizeof(from)) {
		vg_http_reply_error(resp, 500, "InternalServerError", "query too long");
		return;
	}
	vg_api_reply_collection(kb, &sel, req, resp);
}

/* PublicAssetVulnerabilityDto: one row per finding (device x tuple x vulnerability). */
static const struct vg_api_field mv_fields[] = {
	{"id",
	 "dv.device_id || '-_-' || dv.vuln_id || '-_-' || coalesce(t.vendor, '') || '-_-' || "
	 "t.package || '-_-' || t.version || '-_-'",
	 VG_API_STRING, 0, NULL},
	{"cveId", "dv.vuln_id", VG_API_STRING, 0, NULL},
	{"machineId", "dv.device_id", VG_API_STRING, 0, NULL},
	{"fixingKbId", "NULL", VG_API_STRING, 0, NULL},
	{"productName", "t.package", VG_API_STRING, 0, NULL},
	{"productVendor", "t.vendor", VG_API_STRING, 0, NULL},
	{"productVersion", "t.version", VG_API_STRING, 0, NULL},
	{"severity", "tv.severity", VG_API_STRING, 0, NULL},
	{"fixedVersion", "tv.fixed_version", VG_API_STRING, 0, NULL},
	{"status", "tv.status", VG_API_STRING, 0, NULL},
};

static const struct vg_api_resource machine_vulns = {
	.context = "PublicAssetVulnerabilityDto",
	.fields = mv_fields,
	.nfields = sizeof(mv_fields) / sizeof(mv_fields[0]),
	.from = "device_vuln dv JOIN tuple t ON t.id = dv.tuple_id LEFT JOIN tuple_vuln tv "
		"ON tv.tuple_id = dv.tuple_id AND tv.vuln_id = dv.vuln_id",
	/* device_vuln's primary key order: no sort. */
	.order = "dv.device_id, dv.tuple_id, dv.vuln_id",
	.top_max = 10000,
};

/* What is known of a vulnerability id. */
enum known { UNKNOWN, KB_ONLY, FOUND };

/* Run @sql with the text @arg as ?1; *@row true when it returns a row.  VG_EIO on errors. */
static int
has_row(struct vg_kb *kb, const char *sql, const char *arg, bool *row, char *first, size_t cap)
{
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v2(vg_kb_db(kb), sql, -1, &st, NULL);

	if (src == SQLITE_OK)
		src = sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	*row = src == SQLITE_ROW;
	if (*row && first != NULL) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		snprintf(first, cap, "%s", s ? s : "");
	}
	sqlite3_finalize(st);
	return src == SQLITE_ROW || src == SQLITE_DONE ? VG_OK : VG_EIO;
}

/* Whether vulnerability @id has findings, is only in the knowledge base, or is unknown. */
static int
vuln_known(struct vg_kb *kb, const char *id, struct vg_arena *arena, struct vg_kb_vuln_info *info,
	   enum known *out)
{
	static const char sql[] =
		"SELECT 1 FROM device_vuln WHERE vuln_id IN (" VULN_IDS ") LIMIT 1";
	struct vg_err err;
	bool row;
	int rc = has_row(kb, sql, id, &row, NULL, 0);

	*out = FOUND;
	if (rc != VG_OK || row)
		return rc;
	rc = vg_kb_vuln_info(kb, id, arena, info, &err);
	*out = rc == VG_OK && info->known ? KB_ONLY : UNKNOWN;
	return rc;
}

static void
reply_store_error(struct vg_http_response *resp)
{
	vg_http_reply_error(resp, 500, "InternalServerError", "cannot read the store");
}

static struct vg_api_param
real_or_null(double d)
{
	if (isnan(d))
		return VG_API_TEXT(NULL);
	return (struct vg_api_param){.type = VG_API_P_REAL, .d = d};
}

static struct vg_api_param
time_or_null(const char *iso)
{
	int64_t t;

	if (vg_time_parse_iso(iso, &t) != VG_OK)
		return VG_API_TEXT(NULL);
	return VG_API_INTP(t);
}

/* The Vulnerability of @info, which no device has (exposedMachines 0), as assessment would write
 * it. */
static void
reply_kb_only(struct vg_kb *kb, const struct vg_kb_vuln_info *info, struct vg_arena *arena,
	      const struct vg_http_request *req, struct vg_http_response *resp)
{
	struct vg_score_in in;
	struct vg_score_out out;
	const char *uris = "[]", *updated = NULL;
	struct vg_err err;

	vg_score_input(info, NULL, false, false, false, &in);
	vg_score_finding(&in, &out);
	if (vg_findings_vuln_extras(kb, info->id, info->cve_id, arena, &uris, &updated, &err) !=
	    VG_OK) {
		reply_store_error(resp);
		return;
	}
	struct vg_api_param p[] = {
		VG_API_TEXT(info->id),
		VG_API_TEXT(info->cve_id),
		VG_API_TEXT(info->description ? info->description : info->summary),
		VG_API_TEXT(vg_fsev_name(out.severity)),
		real_or_null(info->cvss_v3),
		VG_API_TEXT(info->cvss_v3_vector),
		time_or_null(info->published),
		time_or_null(updated != NULL ? updated : info->published),
		VG_API_INTP(info->exploit_ref || info->kev),
		VG_API_INTP(info->kev),
		real_or_null(info->has_epss ? info->epss : NAN),
		VG_API_TEXT(uris),
	};
	struct vg_api_select sel = {&vuln_kb_only, NULL, NULL, p, sizeof(p) / sizeof(p[0])};

	vg_api_reply_entity(kb, &sel, "vulnerability", req, resp);
}

static void
h_list(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	struct vg_api_select sel = {.res = &vulns};

	if (w != NULL)
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

static void
h_get(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	const char *id = vg_http_param(req, "id");
	struct vg_kb_vuln_info info;
	struct vg_arena arena;
	enum known k;

	if (w == NULL)
		return;
	vg_arena_init(&arena);
	if (vuln_known(w->kb, id, &arena, &info, &k) != VG_OK) {
		reply_store_error(resp);
	} else if (k == FOUND) {
		struct vg_api_param p = VG_API_TEXT(id);
		struct vg_api_select sel = {&vuln_one, NULL,
					    "(v.id = ?1) DESC, x.exposed DESC, v.id", &p, 1};

		vg_api_reply_entity(w->kb, &sel, "vulnerability", req, resp);
	} else if (k == KB_ONLY) {
		reply_kb_only(w->kb, &info, &arena, req, resp);
	} else {
		vg_http_reply_error(resp, 404, "NotFound", "vulnerability not found");
	}
	vg_arena_release(&arena);
}

static void
h_machine_refs(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	struct vg_kb_vuln_info info;
	struct vg_arena arena;
	enum known k;

	if (w == NULL)
		return;
	vg_arena_init(&arena);
	if (vuln_known(w->kb, p.s, &arena, &info, &k) != VG_OK)
		reply_store_error(resp);
	else if (k == UNKNOWN)
		vg_http_reply_error(resp, 404, "NotFound", "vulnerability not found");
	else
		vg_api_reply_machine_refs(
			w->kb, "SELECT device_id FROM device_vuln WHERE vuln_id IN (" VULN_IDS ")",
			&p, 1, req, resp);
	vg_arena_release(&arena);
}

static void
h_machines_vulns(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	struct vg_api_select sel = {.res = &machine_vulns};

	if (w != NULL)
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

/* GET /api/machines/{id}/vulnerabilities: {id} is a device id or computer name, as for the machine.
 */
static void
h_device_vulns(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	static const char sql[] = "SELECT d.id FROM device d WHERE d.id = ?1 OR "
				  "lower(d.hostname) = lower(?1) ORDER BY (d.id = ?1) DESC, "
				  "d.last_seen DESC, d.id LIMIT 1";
	struct vg_worker *w =
		vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_MACHINE_VULNS, NULL);
	char id[256];
	bool row;

	if (w == NULL)
		return;
	if (has_row(w->kb, sql, vg_http_param(req, "id"), &row, id, sizeof(id)) != VG_OK) {
		reply_store_error(resp);
	} else if (!row) {
		vg_http_reply_error(resp, 404, "NotFound", "machine not found");
	} else {
		struct vg_api_param p = VG_API_TEXT(id);
		struct vg_api_select sel = {&device_vulns, NULL, NULL, &p, 1};

		vg_api_reply_collection(w->kb, &sel, req, resp);
	}
}

int
vg_api_vulns_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	/* The literal path first: {id} would match it. */
	int rc = vg_router_add(r, "GET", "/api/vulnerabilities/machinesVulnerabilities",
			       h_machines_vulns, api, err);

	if (rc == VG_OK)
		rc = vg_router_add(r, "GET", "/api/vulnerabilities", h_list, api, err);
	if (rc == VG_OK)
		rc = vg_router_add(r, "GET", "/api/vulnerabilities/{id}", h_get, api, err);
	if (rc == VG_OK)
		rc = vg_router_add(r, "GET", "/api/vulnerabilities/{id}/machineReferences",
				   h_machine_refs, api, err);
	if (rc == VG_OK)
		rc = vg_router_add(r, "GET", "/api/machines/{id}/vulnerabilities", h_device_vulns,
				   api, err);
	return rc;
}
