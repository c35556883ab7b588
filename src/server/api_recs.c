/*
 * api_recs.c - the software-update security recommendations
 * (defender-tvm-spec.md §1.2, §3.3 #6, #18-22, §3.4 "Recommendation";
 * docs/api.md "Recommendations"): one recommendation "va-_-<software id>"
 * per software with a fixAvailable finding on a device seen in the last 30
 * days, over temp.vg_sw (api_swagg.c).
 */
#include <stdio.h>
#include <string.h>

#include "server/api_int.h"

#define REC_PREFIX "va-_-"

static const struct vg_api_field rec_fields[] = {
	{"id", "('" REC_PREFIX "' || s.id)", VG_API_STRING, 0, NULL},
	{"productName", "s.name", VG_API_STRING, 0, NULL},
	{"recommendationName",
	 "(CASE WHEN s.rec_version <> '' THEN 'Update ' || s.name || ' to version ' || "
	 "s.rec_version ELSE 'Update ' || s.name END)",
	 VG_API_STRING, 0, NULL},
	{"weaknesses", "s.fweak", VG_API_INT, 0, NULL},
	{"vendor", "s.vendor", VG_API_STRING, 0, NULL},
	{"recommendedVersion", "s.rec_version", VG_API_STRING, 0, NULL},
	{"recommendedProgram", "''", VG_API_STRING, 0, NULL},
	{"recommendedVendor", "''", VG_API_STRING, 0, NULL},
	{"recommendationCategory", "'Application'", VG_API_STRING, 0, NULL},
	{"subCategory", "''", VG_API_STRING, 0, NULL},
	{"severityScore", "0", VG_API_NUMBER, 0, NULL},
	{"publicExploit", "s.fpe", VG_API_BOOL, 0, NULL},
	{"activeAlert", "0", VG_API_BOOL, 0, NULL},
	{"associatedThreats", "'[]'", VG_API_ARRAY, VG_API_NOSORT, NULL},
	{"remediationType", "'Update'", VG_API_STRING, 0, NULL},
	{"status", "'Active'", VG_API_STRING, 0, NULL},
	{"configScoreImpact", "0", VG_API_NUMBER, 0, NULL},
	{"exposureImpact", "s.rec_impact", VG_API_NUMBER, 0, NULL},
	{"totalMachineCount", "s.installed", VG_API_INT, 0, NULL},
	{"exposedMachinesCount", "s.fexposed", VG_API_INT, 0, NULL},
	{"nonProductivityImpactedAssets", "0", VG_API_INT, 0, NULL},
	{"relatedComponent", "s.name", VG_API_STRING, 0, NULL},
	{"tags", "(CASE WHEN s.finet THEN '[\"internetFacing\"]' ELSE '[]' END)", VG_API_ARRAY,
	 VG_API_NOSORT, NULL},
	{"exposedCriticalDevices", "s.fcrit", VG_API_INT, 0, NULL},
};

static const struct vg_api_resource recs = {
	.context = "Recommendations",
	.fields = rec_fields,
	.nfields = sizeof(rec_fields) / sizeof(rec_fields[0]),
	.from = "temp.vg_sw s",
	.where = "s.fweak > 0",
	.order = "s.rec_impact DESC, s.id",
	.top_max = 10000,
};

/* The fixable findings of software ?1 on the devices that count. */
#define FIXABLE                                                                          \
	" FROM device_vuln dv JOIN tuple t ON t.id = dv.tuple_id JOIN tuple_vuln tv ON " \
	"tv.tuple_id = dv.tuple_id AND tv.vuln_id = dv.vuln_id JOIN device d ON d.id = " \
	"dv.device_id WHERE t.software_id = ?1 AND tv.status = 'fixAvailable' AND d.last_seen >= " VG_API_SQL_ACTIVE_SINCE

/* The software id of recommendation {id}, or NULL after answering 404 (or 500). */
static const char *
rec_software(struct vg_kb *kb, const struct vg_http_request *req, struct vg_http_response *resp)
{
	const char *id = vg_http_param(req, "id");
	bool found = false;

	if (strncmp(id, REC_PREFIX, strlen(REC_PREFIX)) == 0 &&
	    vg_api_sql_exists(kb, "SELECT 1 FROM temp.vg_sw WHERE id = ?1 AND fweak > 0",
			      id + strlen(REC_PREFIX), &found) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError",
				    "cannot read the recommendations");
		return NULL;
	}
	if (!found) {
		vg_http_reply_error(resp, 404, "NotFound", "recommendation not found");
		return NULL;
	}
	return id + strlen(REC_PREFIX);
}

static void
h_list(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_select sel = {.res = &recs};

	if (w != NULL)
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

static void
h_get(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	struct vg_api_select sel = {&recs, "('" REC_PREFIX "' || s.id) = ?1", NULL, &p, 1};

	if (w != NULL)
		vg_api_reply_entity(w->kb, &sel, "recommendation", req, resp);
}

static void
h_software(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(NULL);
	struct vg_api_select sel = {&vg_api_software_res, "s.id = ?1", NULL, &p, 1};

	if (w == NULL || (p.s = rec_software(w->kb, req, resp)) == NULL)
		return;
	vg_api_reply_entity(w->kb, &sel, "software", req, resp);
}

static void
h_machine_refs(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(NULL);

	if (w == NULL || (p.s = rec_software(w->kb, req, resp)) == NULL)
		return;
	vg_api_reply_machine_refs(w->kb, "SELECT dv.device_id" FIXABLE, &p, 1, req, resp);
}

static void
h_vulns(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(NULL);

	if (w == NULL || (p.s = rec_software(w->kb, req, resp)) == NULL)
		return;
	vg_api_reply_vuln_list(w->kb, "SELECT dv.vuln_id" FIXABLE, &p, 1, req, resp);
}

/* The recommendations whose fixable findings are on device {id} (?1). */
#define DEVICE_RECS                                                                             \
	"s.id IN (SELECT t.software_id FROM device_vuln dv JOIN tuple t ON t.id = dv.tuple_id " \
	"JOIN tuple_vuln tv ON tv.tuple_id = dv.tuple_id AND tv.vuln_id = dv.vuln_id WHERE "    \
	"tv.status = 'fixAvailable' AND dv.device_id = " VG_API_SQL_DEVICE_BY_ID ")"

static void
h_machine_recs(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = vg_api_sw_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	struct vg_api_select sel = {&recs, DEVICE_RECS, NULL, &p, 1};

	if (w != NULL)
		vg_api_reply_device_collection(w->kb, &sel, req, resp);
}

int
vg_api_recs_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	static const struct vg_api_route routes[] = {
		{"/api/recommendations", h_list},
		{"/api/recommendations/{id}", h_get},
		{"/api/recommendations/{id}/software", h_software},
		{"/api/recommendations/{id}/machineReferences", h_machine_refs},
		{"/api/recommendations/{id}/vulnerabilities", h_vulns},
		{"/api/machines/{id}/recommendations", h_machine_recs},
	};
	return vg_api_add_gets(api, r, routes, sizeof(routes) / sizeof(routes[0]), err);
}
