/*
 * api_exports.c - the export assessments by machine (defender-tvm-spec.md
 * §3.3 #31, #33, §3.4 "Export assessment entities"; docs/api.md):
 * GET /api/machines/SoftwareInventoryByMachine (one row per device x
 * software version) and GET /api/machines/SoftwareVulnerabilitiesByMachine
 * (one row per device x software version x vulnerability) and
 * GET /api/machines/SecureConfigurationsAssessmentByMachine (#29: one row
 * per device x configuration check with a result), all paged with
 * pageSize / $skiptoken / @odata.nextLink by the collection engine.
 */
#include "server/api_int.h"

#define PAGE_DEFAULT 50000
#define PAGE_MAX     200000

/* Rows: device_tuple dt (primary key order: device, tuple) with its device d and tuple t. */
static const struct vg_api_field inventory_fields[] = {
	{"deviceId", "dt.device_id", VG_API_STRING, 0, NULL},
	{"deviceName", "d.hostname", VG_API_STRING, 0, NULL},
	{"osPlatform", "d.os_platform", VG_API_STRING, 0, NULL},
	{"rbacGroupName", "d.group_name", VG_API_STRING, 0, NULL},
	{"rbacGroupId", VG_API_SQL_GROUP_ID, VG_API_STRING, 0, NULL},
	{"softwareVendor", "t.vendor", VG_API_STRING, 0, NULL},
	{"softwareName", "t.package", VG_API_STRING, 0, NULL},
	{"softwareVersion", "t.version", VG_API_STRING, 0, NULL},
	/* Both subqueries are a prefix range of device_vuln's primary key. */
	{"numberOfWeaknesses",
	 "(SELECT count(*) FROM device_vuln dv WHERE dv.device_id = dt.device_id AND "
	 "dv.tuple_id = dt.tuple_id)",
	 VG_API_INT, 0, NULL},
	{"diskPaths", "'[]'", VG_API_ARRAY, VG_API_NOFILTER | VG_API_NOSORT, NULL},
	{"registryPaths", "'[]'", VG_API_ARRAY, VG_API_NOFILTER | VG_API_NOSORT, NULL},
	{"softwareFirstSeenTimestamp", "dt.first_seen", VG_API_DATETIME, 0, NULL},
	{"endOfSupportStatus",
	 "(CASE WHEN EXISTS (SELECT 1 FROM device_vuln dv JOIN tuple_vuln tv ON tv.tuple_id = "
	 "dv.tuple_id AND tv.vuln_id = dv.vuln_id WHERE dv.device_id = dt.device_id AND "
	 "dv.tuple_id = dt.tuple_id AND tv.status = 'endOfLife') THEN 'EOS Version' ELSE 'None' "
	 "END)",
	 VG_API_STRING, 0, NULL},
	{"endOfSupportDate", "NULL", VG_API_DATETIME, 0, NULL},
};

static const struct vg_api_resource inventory = {
	.context = "AssetSoftware",
	.fields = inventory_fields,
	.nfields = sizeof(inventory_fields) / sizeof(inventory_fields[0]),
	.from = "device_tuple dt JOIN device d ON d.id = dt.device_id JOIN tuple t ON t.id = "
		"dt.tuple_id",
	.order = "dt.device_id, dt.tuple_id",
	.top_max = PAGE_MAX,
	.page_default = PAGE_DEFAULT,
	.page_max = PAGE_MAX,
};

/* Rows: the findings device_vuln dv (primary key order) with d, t, their tuple_vuln tv and
 * the vulnerability's summary v. */
static const struct vg_api_field vuln_fields[] = {
	{"id", "dv.device_id || '_' || t.package || '_' || t.version || '_' || dv.vuln_id || '_'",
	 VG_API_STRING, 0, NULL},
	{"deviceId", "dv.device_id", VG_API_STRING, 0, NULL},
	{"deviceName", "d.hostname", VG_API_STRING, 0, NULL},
	{"rbacGroupName", "d.group_name", VG_API_STRING, 0, NULL},
	{"rbacGroupId", VG_API_SQL_GROUP_ID, VG_API_STRING, 0, NULL},
	{"osPlatform", "d.os_platform", VG_API_STRING, 0, NULL},
	{"osVersion", "d.os_version", VG_API_STRING, 0, NULL},
	{"osArchitecture", VG_API_SQL_OS_ARCH, VG_API_STRING, 0, NULL},
	{"softwareVendor", "t.vendor", VG_API_STRING, 0, NULL},
	{"softwareName", "t.package", VG_API_STRING, 0, NULL},
	{"softwareVersion", "t.version", VG_API_STRING, 0, NULL},
	{"cveId", "dv.vuln_id", VG_API_STRING, 0, NULL},
	{"cvssScore", "v.cvss_v3", VG_API_NUMBER, 0, NULL},
	{"vulnerabilitySeverityLevel", "tv.severity", VG_API_STRING, 0, NULL},
	/* Vigil knows no exploit kits: ExploitIsInKit never. */
	{"exploitabilityLevel",
	 "(CASE WHEN v.kev <> 0 THEN 'ExploitIsVerified' WHEN v.public_exploit <> 0 THEN "
	 "'ExploitIsPublic' ELSE 'NoExploit' END)",
	 VG_API_STRING, 0, NULL},
	{"recommendedSecurityUpdate",
	 "(CASE WHEN tv.fixed_version <> '' THEN 'Update ' || t.package || ' to ' || "
	 "tv.fixed_version END)",
	 VG_API_STRING, 0, NULL},
	{"recommendedSecurityUpdateId", "nullif(tv.fixed_version, '')", VG_API_STRING, 0, NULL},
	{"recommendedSecurityUpdateUrl", "NULL", VG_API_STRING, 0, NULL},
	{"securityUpdateAvailable", "(coalesce(tv.fixed_version, '') <> '')", VG_API_BOOL, 0, NULL},
	{"diskPaths", "'[]'", VG_API_ARRAY, VG_API_NOFILTER | VG_API_NOSORT, NULL},
	{"registryPaths", "'[]'", VG_API_ARRAY, VG_API_NOFILTER | VG_API_NOSORT, NULL},
	{"firstSeenTimestamp", "dv.first_seen", VG_API_DATETIME, 0, NULL},
	{"lastSeenTimestamp", "d.last_seen", VG_API_DATETIME, 0, NULL},
	{"recommendationReference", "'va-_-' || t.software_id", VG_API_STRING, 0, NULL},
};

static const struct vg_api_resource vulnerabilities = {
	.context = "AssetVulnerability",
	.fields = vuln_fields,
	.nfields = sizeof(vuln_fields) / sizeof(vuln_fields[0]),
	.from = "device_vuln dv JOIN device d ON d.id = dv.device_id JOIN tuple t ON t.id = "
		"dv.tuple_id LEFT JOIN tuple_vuln tv ON tv.tuple_id = dv.tuple_id AND tv.vuln_id = "
		"dv.vuln_id LEFT JOIN vuln_summary v ON v.id = dv.vuln_id",
	.order = "dv.device_id, dv.tuple_id, dv.vuln_id",
	.top_max = PAGE_MAX,
	.page_default = PAGE_DEFAULT,
	.page_max = PAGE_MAX,
};

/* Rows: each device's result per check, device_config dc (primary key order) with its device d
 * and the catalog's check c (absent for a check the catalog does not know). */
static const struct vg_api_field config_fields[] = {
	{"deviceId", "dc.device_id", VG_API_STRING, 0, NULL},
	{"deviceName", "d.hostname", VG_API_STRING, 0, NULL},
	{"osPlatform", "d.os_platform", VG_API_STRING, 0, NULL},
	{"osVersion", "d.os_version", VG_API_STRING, 0, NULL},
	{"rbacGroupName", "d.group_name", VG_API_STRING, 0, NULL},
	{"rbacGroupId", VG_API_SQL_GROUP_ID, VG_API_STRING, 0, NULL},
	{"timestamp", "d.last_seen", VG_API_DATETIME, 0, NULL},
	{"configurationId", "dc.check_id", VG_API_STRING, 0, NULL},
	{"configurationCategory", "nullif(c.category, '')", VG_API_STRING, 0, NULL},
	{"configurationSubcategory", "c.subcategory", VG_API_STRING, 0, NULL},
	{"configurationImpact", "c.impact", VG_API_NUMBER, 0, NULL},
	{"configurationName", "c.title", VG_API_STRING, 0, NULL},
	{"isCompliant", "(dc.result = 'passed')", VG_API_BOOL, 0, NULL},
	{"isApplicable", "(dc.result IN ('passed', 'failed', 'error'))", VG_API_BOOL, 0, NULL},
	{"isExpectedUserImpact", "0", VG_API_BOOL, 0, NULL},
	{"recommendationReference",
	 "(CASE WHEN c.impact > 0 THEN " VG_API_SQL_CONFIG_REC_ID("dc.policy",
								  "dc.check_id") " END)",
	 VG_API_STRING, 0, NULL},
	/* Vigil's: a Wazuh check's id is unique only within its policy. */
	{"policy", "dc.policy", VG_API_STRING, 0, NULL},
};

static const struct vg_api_resource configurations = {
	.context = "AssetConfiguration",
	.fields = config_fields,
	.nfields = sizeof(config_fields) / sizeof(config_fields[0]),
	.from = "device_config dc JOIN device d ON d.id = dc.device_id LEFT JOIN config_check c ON "
		"c.policy = dc.policy AND c.check_id = dc.check_id",
	.order = "dc.device_id, dc.policy, dc.check_id",
	.top_max = PAGE_MAX,
	.page_default = PAGE_DEFAULT,
	.page_max = PAGE_MAX,
};

static void
reply(const struct vg_api_resource *res, struct vg_http_request *req, struct vg_http_response *resp,
      void *ctx)
{
	struct vg_worker *w = vg_api_begin(ctx, req, resp, VG_AUTH_READ, VG_RATE_EXPORT, NULL);
	struct vg_api_select sel = {.res = res};

	if (w != NULL)
		vg_api_reply_collection(w->kb, &sel, req, resp);
}

static void
h_inventory(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	reply(&inventory, req, resp, ctx);
}

static void
h_vulnerabilities(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	reply(&vulnerabilities, req, resp, ctx);
}

static void
h_configurations(struct vg_http_request *req, struct vg_http_response *resp, void *ctx)
{
	reply(&configurations, req, resp, ctx);
}

int
vg_api_exports_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	int rc = vg_router_add(r, "GET", "/api/machines/SoftwareInventoryByMachine", h_inventory,
			       api, err);

	if (rc == VG_OK)
		rc = vg_router_add(r, "GET", "/api/machines/SoftwareVulnerabilitiesByMachine",
				   h_vulnerabilities, api, err);
	if (rc == VG_OK)
		rc = vg_router_add(r, "GET",
				   "/api/machines/SecureConfigurationsAssessmentByMachine",
				   h_configurations, api, err);
	return rc;
}
