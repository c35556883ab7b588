/*
 * api_software.c - the Software resource (defender-tvm-spec.md §1.5, §3.3
 * #4, #12-16, §3.4 "Software", "Distribution"; docs/api.md "Software"):
 * GET /api/Software, /api/Software/{id} and its distributions,
 * machineReferences and vulnerabilities, GET /api/machines/{id}/software;
 * and the Vulnerability collections of a software or recommendation.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "server/api_int.h"
#include "store/sql.h"

static const struct vg_api_field software_fields[] = {
	{"id", "s.id", VG_API_STRING, 0, NULL},
	{"name", "s.name", VG_API_STRING, 0, NULL},
	{"vendor", "s.vendor", VG_API_STRING, 0, NULL},
	{"weaknesses", "s.weaknesses", VG_API_INT, 0, NULL},
	{"publicExploit", "s.public_exploit", VG_API_BOOL, 0, NULL},
	{"activeAlert", "0", VG_API_BOOL, 0, NULL},
	{"exposedMachines", "s.exposed", VG_API_INT, 0, NULL},
	{"impactScore", "s.impact", VG_API_NUMBER, 0, NULL},
	{"installedMachines", "s.installed", VG_API_INT, 0, NULL},
	{"versions", "s.versions", VG_API_INT, 0, NULL},
};

const struct vg_api_resource vg_api_software_res = {
	.context = "Software",
	.fields = software_fields,
	.nfields = sizeof(software_fields) / sizeof(software_fields[0]),
	.from = "temp.vg_sw s",
	.order = "s.id",
	.top_max = 10000,
};

/* One row per installed version of software ?1 on the active devices. */
static const struct vg_api_field dist_fields[] = {
	{"version", "x.version", VG_API_STRING, 0, NULL},
	{"installations", "x.installations", VG_API_INT, 0, NULL},
	{"vulnerabilities", "x.vulnerabilities", VG_API_INT, 0, NULL},
};

static const struct vg_api_resource distributions = {
	.context = "Distributions",
	.fields = dist_fields,
	.nfields = sizeof(dist_fields) / sizeof(dist_fields[0]),
	.from = "(SELECT t.version AS version, count(DISTINCT dt.device_id) AS installations,"
		" (SELECT count(DISTINCT tv.vuln_id) FROM tuple t2 JOIN tuple_vuln tv ON"
		" tv.tuple_id = t2.id WHERE t2.software_id = ?1 AND t2.version = t.version)"
		" AS vulnerabilities FROM device_tuple dt JOIN device d ON d.id = dt.device_id"
		" JOIN tuple t ON t.id = dt.tuple_id WHERE t.software_id = ?1 AND d.last_seen >= " VG_API_SQL_ACTIVE_SINCE
		" GROUP BY t.version) x",
	.order = "x.version",
	.top_max = 10000,
};

/* The software of the devices that count, installed on ?1's device. */
#define DEVICE_SOFTWARE                                                       \
	"s.id IN (SELECT t.software_id FROM device_tuple dt JOIN tuple t ON " \
	"t.id = dt.tuple_id WHERE dt.device_id = " VG_API_SQL_DEVICE_BY_ID ")"

int
vg_api_sql_exists(struct vg_kb *kb, const char *sql, const char *param, bool *found)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(vg_kb_db(kb), sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	*found = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? VG_OK : VG_EIO;
}

/* Whether software {id} exists; false after answering 404 (or 500). */
static bool
software_found(struct vg_kb *kb, const char *id, struct vg_http_response *resp)
{
	bool found = false;

	if (vg_api_sql_exists(kb, "SELECT 1 FROM temp.vg_sw WHERE id = ?1", id, &found) != VG_OK)
		vg_http_reply_error(resp, 500, "InternalServerError", "cannot read the software");
	else if (!found)
		vg_http_reply_error(resp, 404, "NotFound", "software not found");
	return found;
}

static void
h_list(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_select sel = {.res = &vg_api_software_res};

	if (w != NULL)
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

static void
h_get(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	struct vg_api_select sel = {&vg_api_software_res, "s.id = ?1", NULL, &p, 1};

	if (w != NULL)
		vg_api_reply_entity(w->kb, &sel, "software", req, resp);
}

static void
h_distributions(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	struct vg_api_select sel = {&distributions, NULL, NULL, &p, 1};

	if (w != NULL && software_found(w->kb, p.s, resp))
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

static void
h_machine_refs(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));

	if (w != NULL && software_found(w->kb, p.s, resp))
		vg_api_reply_machine_refs(
			w->kb,
			"SELECT dt.device_id FROM device_tuple dt JOIN tuple t ON "
			"t.id = dt.tuple_id WHERE t.software_id = ?1",
			&p, 1, req, resp);
}

static void
h_vulns(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));

	if (w != NULL && software_found(w->kb, p.s, resp))
		vg_api_reply_vuln_list(w->kb,
				       "SELECT dv.vuln_id FROM device_vuln dv JOIN tuple t ON "
				       "t.id = dv.tuple_id WHERE t.software_id = ?1",
				       &p, 1, req, resp);
}

static void
h_machine_software(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	struct vg_api_select sel = {&vg_api_software_res, DEVICE_SOFTWARE, NULL, &p, 1};

	if (w != NULL)
		vg_api_reply_device_collection(w->kb, &sel, req, resp);
}

int
vg_api_software_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	static const struct vg_api_route routes[] = {
		{"/api/Software", h_list},
		{"/api/Software/{id}", h_get},
		{"/api/Software/{id}/distributions", h_distributions},
		{"/api/Software/{id}/machineReferences", h_machine_refs},
		{"/api/Software/{id}/vulnerabilities", h_vulns},
		{"/api/machines/{id}/software", h_machine_software},
	};
	return vg_api_add_gets(api, r, routes, sizeof(routes) / sizeof(routes[0]), err);
}
