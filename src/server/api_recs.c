/*
 * api_recs.c - the security recommendations (defender-tvm-spec.md §1.2,
 * §3.3 #6, #18-22, §3.4 "Recommendation"; docs/api.md "Recommendations"):
 * one software update "va-_-<software id>" per software with a fixAvailable
 * finding on a device seen in the last 30 days, over temp.vg_sw
 * (api_swagg.c), and one configuration change "sca-_-..." per scored check
 * such a device does not comply with, over temp.vg_cfgrec (api_config.c).
 */
#include <stdio.h>
#include <string.h>

#include "server/api_int.h"

#define REC_PREFIX "va-_-"
#define CFG_PREFIX "sca-_-"

/*
 * The union of both kinds as `r`, one column per property: the software
 * updates of temp.vg_sw (api_swagg.c) and the configuration changes of
 * temp.vg_cfgrec (api_config.c), so $filter, $orderby and $top see one
 * collection.  sw_id is the software id of a software recommendation, NULL
 * for a configuration one.
 */
#define RECS_FROM                                                                                 \
	"(SELECT '" REC_PREFIX "' || s.id AS id, s.id AS sw_id, s.name AS product,"               \
	" (CASE WHEN s.rec_version <> '' THEN 'Update ' || s.name || ' to version ' ||"           \
	" s.rec_version ELSE 'Update ' || s.name END) AS name, s.fweak AS weaknesses,"            \
	" s.vendor AS vendor, s.rec_version AS rec_version, 'Application' AS category,"           \
	" '' AS subcategory, 0 AS severity, s.fpe AS public_exploit, 'Update' AS remediation,"    \
	" 0 AS config_impact, s.rec_impact AS exposure_impact, s.installed AS total,"             \
	" s.fexposed AS exposed, s.name AS component,"                                            \
	" (CASE WHEN s.finet THEN '[\"internetFacing\"]' ELSE '[]' END) AS tags, s.fcrit AS crit" \
	" FROM temp.vg_sw s WHERE s.fweak > 0 UNION ALL"                                          \
	" SELECT c.id, NULL, '', c.title, c.exposed, '', '', c.category, c.subcategory,"          \
	" c.impact, 0, 'ConfigurationChange', c.score_impact, 0, c.applicable, c.exposed,"        \
	" c.component, '[]', c.crit"                                                              \
	" FROM temp.vg_cfgrec c) r"

static const struct vg_api_field rec_fields[] = {
	{"id", "r.id", VG_API_STRING, 0, NULL},
	{"productName", "r.product", VG_API_STRING, 0, NULL},
	{"recommendationName", "r.name", VG_API_STRING, 0, NULL},
	{"weaknesses", "r.weaknesses", VG_API_INT, 0, NULL},
	{"vendor", "r.vendor", VG_API_STRING, 0, NULL},
	{"recommendedVersion", "r.rec_version", VG_API_STRING, 0, NULL},
	{"recommendedProgram", "''", VG_API_STRING, 0, NULL},
	{"recommendedVendor", "''", VG_API_STRING, 0, NULL},
	{"recommendationCategory", "r.category", VG_API_STRING, 0, NULL},
	{"subCategory", "r.subcategory", VG_API_STRING, 0, NULL},
	{"severityScore", "r.severity", VG_API_NUMBER, 0, NULL},
	{"publicExploit", "r.public_exploit", VG_API_BOOL, 0, NULL},
	{"activeAlert", "0", VG_API_BOOL, 0, NULL},
	{"associatedThreats", "'[]'", VG_API_ARRAY, VG_API_NOSORT, NULL},
	{"remediationType", "r.remediation", VG_API_STRING, 0, NULL},
	{"status", "'Active'", VG_API_STRING, 0, NULL},
	{"configScoreImpact", "r.config_impact", VG_API_NUMBER, 0, NULL},
	{"exposureImpact", "r.exposure_impact", VG_API_NUMBER, 0, NULL},
	{"totalMachineCount", "r.total", VG_API_INT, 0, NULL},
	{"exposedMachinesCount", "r.exposed", VG_API_INT, 0, NULL},
	{"nonProductivityImpactedAssets", "0", VG_API_INT, 0, NULL},
	{"relatedComponent", "r.component", VG_API_STRING, 0, NULL},
	{"tags", "r.tags", VG_API_ARRAY, VG_API_NOSORT, NULL},
	{"exposedCriticalDevices", "r.crit", VG_API_INT, 0, NULL},
};

static const struct vg_api_resource recs = {
	.context = "Recommendations",
	.fields = rec_fields,
	.nfields = sizeof(rec_fields) / sizeof(rec_fields[0]),
	.from = RECS_FROM,
	.order = "r.exposure_impact DESC, r.config_impact DESC, r.id",
	.top_max = 10000,
};

/*
 * vg_api_sw_begin() and the configuration recommendations' refresh: the
 * worker, or NULL when @resp holds the answer.
 */
static struct vg_worker *
recs_begin(void *api, struct vg_http_request *req, struct vg_http_response *resp)
{
	struct vg_worker *w = vg_api_sw_begin(api, req, resp);
	struct vg_err err;

	vg_err_clear(&err);
	if (w != NULL && vg_api_config_refresh(w->kb, &err) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "%s", err.msg);
		return NULL;
	}
	return w;
}

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
	struct vg_worker *w = recs_begin(ctx, req, resp);
	struct vg_api_select sel = {.res = &recs};

	if (w != NULL)
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

static void
h_get(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = recs_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	struct vg_api_select sel = {&recs, "r.id = ?1", NULL, &p, 1};

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

/* The non-compliant applicable devices that count of configuration recommendation ?1. */
#define CFG_EXPOSED                                                                              \
	"SELECT dc.device_id FROM temp.vg_cfgrec c JOIN device_config dc ON dc.policy = "        \
	"c.policy AND dc.check_id = c.check_id JOIN device d ON d.id = dc.device_id WHERE c.id " \
	"= ?1 AND dc.result IN ('failed', 'error') AND d.last_seen >= " VG_API_SQL_ACTIVE_SINCE

static void
h_machine_refs(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = recs_begin(ctx, req, resp);
	struct vg_api_param p = VG_API_TEXT(vg_http_param(req, "id"));
	bool found = false;

	if (w == NULL)
		return;
	if (strncmp(p.s, CFG_PREFIX, strlen(CFG_PREFIX)) != 0) {
		if ((p.s = rec_software(w->kb, req, resp)) != NULL)
			vg_api_reply_machine_refs(w->kb, "SELECT dv.device_id" FIXABLE, &p, 1, req,
						  resp);
		return;
	}
	if (vg_api_sql_exists(w->kb, "SELECT 1 FROM temp.vg_cfgrec WHERE id = ?1", p.s, &found) !=
	    VG_OK)
		vg_http_reply_error(resp, 500, "InternalServerError",
				    "cannot read the recommendations");
	else if (!found)
		vg_http_reply_error(resp, 404, "NotFound", "recommendation not found");
	else
		vg_api_reply_machine_refs(w->kb, CFG_EXPOSED, &p, 1, req, resp);
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

/*
 * The recommendations of device {id} (?1): the software with a fixable
 * finding on it, and the scored checks it does not comply with (failed or
 * error, as exposedMachinesCount counts).
 */
#define DEVICE_RECS                                                                               \
	"(r.sw_id IN (SELECT t.software_id FROM device_vuln dv JOIN tuple t ON t.id = "           \
	"dv.tuple_id JOIN tuple_vuln tv ON tv.tuple_id = dv.tuple_id AND tv.vuln_id = "           \
	"dv.vuln_id WHERE tv.status = 'fixAvailable' AND dv.device_id = " VG_API_SQL_DEVICE_BY_ID \
	") OR r.id IN (SELECT c.id FROM temp.vg_cfgrec c JOIN device_config dc ON dc.policy = "   \
	"c.policy AND dc.check_id = c.check_id WHERE dc.result IN ('failed', 'error') AND "       \
	"dc.device_id = " VG_API_SQL_DEVICE_BY_ID "))"

static void
h_machine_recs(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	struct vg_worker *w = recs_begin(ctx, req, resp);
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
