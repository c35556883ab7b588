/*
 * api_int.h - what the /api resource files (api_machines.c, api_vulns.c,
 * ...) share with api.c.  Internal to src/server; the public interface is
 * api.h.
 *
 * A resource file declares its fields and SQL (api_query.h), writes route
 * handlers that start with vg_api_begin() and end with
 * vg_api_reply_collection()/vg_api_reply_entity(), and exports one
 * vg_api_<name>_add_routes() that api.c's route table calls.
 */
#ifndef VG_SERVER_API_INT_H
#define VG_SERVER_API_INT_H

#include "core/compiler.h"
#include "core/err.h"
#include "server/api.h"
#include "server/api_auth.h"
#include "server/api_query.h"
#include "server/router.h"
#include "server/worker.h"

struct vg_api {
	struct vg_workers *workers; /* borrowed */
	struct vg_api_auth *auth;   /* owned */
};

/**
 * The first call of every /api handler: this thread's worker, after
 * authenticating @req for @action and charging rate class @rc.  NULL when
 * the request must stop; @resp then holds the 401/403/429 answer, or a 500
 * when the store cannot be opened.  @p (may be NULL) receives the caller.
 */
struct vg_worker *vg_api_begin(struct vg_api *api, struct vg_http_request *req,
			       struct vg_http_response *resp, enum vg_auth_action action,
			       enum vg_rate_class rc,
			       struct vg_auth_principal *p /* OUT, may be NULL */);

/** The machines resource (api_machines.c): /api/machines and its entity routes. */
int vg_api_machines_add_routes(struct vg_api *api, struct vg_router *r,
			       struct vg_err *err) VG_MUST_CHECK;

/**
 * The vulnerabilities resource (api_vulns.c): /api/vulnerabilities, its
 * entity, machineReferences and machinesVulnerabilities routes, and
 * /api/machines/{id}/vulnerabilities.
 */
int vg_api_vulns_add_routes(struct vg_api *api, struct vg_router *r,
			    struct vg_err *err) VG_MUST_CHECK;

/**
 * The export assessments (api_exports.c): /api/machines/SoftwareInventoryByMachine,
 * /api/machines/SoftwareVulnerabilitiesByMachine and
 * /api/machines/SecureConfigurationsAssessmentByMachine.  Literal paths under
 * /api/machines/: register before the machines resource.
 */
int vg_api_exports_add_routes(struct vg_api *api, struct vg_router *r,
			      struct vg_err *err) VG_MUST_CHECK;

/**
 * Serve a MachineReference collection (id, computerDnsName, osPlatform,
 * rbacGroupName; context "MachineReferences") of the devices whose id the
 * SQL subquery @ids_sql yields (trusted text; its parameters are ?1 ..
 * ?@nparams, given in @params), e.g.
 * "SELECT device_id FROM device_vuln WHERE vuln_id = ?1".  Takes the OData
 * options and the CSV variant like every collection.
 */
void vg_api_reply_machine_refs(struct vg_kb *kb, const char *ids_sql,
			       const struct vg_api_param *params, size_t nparams,
			       const struct vg_http_request *req, struct vg_http_response *resp);

/*
 * Fields other resources reuse for a device joined as `d` (device d):
 * the Machine resource's column expressions, so a filter or value means the
 * same everywhere (e.g. the exports' osPlatform, rbacGroupId).
 */
#define VG_API_SQL_OS_ARCH                                                                      \
	"(CASE WHEN lower(d.os_arch) IN ('amd64', 'x86_64', 'arm64', 'aarch64') THEN '64-bit' " \
	"WHEN lower(d.os_arch) IN ('i386', 'i686', 'armhf', 'armv7', 'armel') THEN '32-bit' "   \
	"ELSE d.os_arch END)"
#define VG_API_SQL_HEALTH                                                                 \
	"(CASE WHEN d.last_seen >= CAST(strftime('%s', 'now') AS INTEGER) - 604800 THEN " \
	"'Active' ELSE 'Inactive' END)"
#define VG_API_SQL_EXPOSURE_LEVEL                                                             \
	"(CASE WHEN d.exposure_score <= 0 THEN 'None' WHEN d.exposure_score < 30 THEN 'Low' " \
	"WHEN d.exposure_score < 70 THEN 'Medium' ELSE 'High' END)"
#define VG_API_SQL_GROUP_ID "d.group_name"

/* ---- software, recommendations, exposure scores (api_swagg.c, api_software.c, ...) ---- */

/* The Unix time before which a device no longer counts (docs/scoring.md: 30 days). */
#define VG_API_SQL_ACTIVE_SINCE "(CAST(strftime('%s', 'now') AS INTEGER) - 2592000)"

/* The id of the device {id} (?1) names, as GET /api/machines/{id} resolves it. */
#define VG_API_SQL_DEVICE_BY_ID                                                            \
	"(SELECT d0.id FROM device d0 WHERE d0.id = ?1 OR lower(d0.hostname) = lower(?1) " \
	"ORDER BY (d0.id = ?1) DESC, d0.last_seen DESC, d0.id LIMIT 1)"

/* A row when the device {id} (?1) names exists. */
#define VG_API_SQL_DEVICE_EXISTS \
	"SELECT 1 FROM device d0 WHERE d0.id = ?1 OR lower(d0.hostname) = lower(?1)"

/**
 * Bring this connection's TEMP table temp.vg_sw up to date: one row per
 * software (tuple.software_id) installed on a device seen in the last 30
 * days, with the Software and Recommendation aggregates (installed, versions,
 * weaknesses, public_exploit, exposed, impact; fweak, fpe, fexposed, fcrit,
 * finet, rec_version, rec_impact for the fixAvailable findings).  Rebuilt
 * only when a fingerprint of the fleet changed.  VG_EIO (message in @err)
 * on store errors.
 */
int vg_api_sw_refresh(struct vg_kb *kb, struct vg_err *err) VG_MUST_CHECK;

/**
 * The first call of a Software or Recommendation handler: vg_api_begin()
 * for a read, then vg_api_sw_refresh().  NULL when @resp holds the answer.
 */
struct vg_worker *vg_api_sw_begin(void *api, struct vg_http_request *req,
				  struct vg_http_response *resp);

/**
 * Whether the SQL query @sql (trusted text, parameter ?1 = @param) yields a
 * row, into *@found.  VG_EIO on store errors.
 */
int vg_api_sql_exists(struct vg_kb *kb, const char *sql, const char *param,
		      bool *found /* OUT */) VG_MUST_CHECK;

/**
 * Serve @sel, a collection of the device @sel's ?1 names (id or computer
 * name), after checking that the device exists: 404 NotFound "machine not
 * found" otherwise, 500 on store errors (api.c).
 */
void vg_api_reply_device_collection(struct vg_kb *kb, const struct vg_api_select *sel,
				    const struct vg_http_request *req,
				    struct vg_http_response *resp);

/* One GET route of a resource's table. */
struct vg_api_route {
	const char *path;
	vg_http_handler_fn fn;
};

/** Route GET @routes[0..@n) to their handlers with @api as context (api.c). */
int vg_api_add_gets(struct vg_api *api, struct vg_router *r, const struct vg_api_route *routes,
		    size_t n, struct vg_err *err) VG_MUST_CHECK;

/* The Software resource over temp.vg_sw as `s` (api_software.c). */
extern const struct vg_api_resource vg_api_software_res;

/**
 * Serve a Vulnerability collection (context "Vulnerabilities"; api_vulns.c) of the ids
 * the SQL subquery @ids_sql yields (trusted; parameters ?1 .. ?@nparams).
 */
void vg_api_reply_vuln_list(struct vg_kb *kb, const char *ids_sql,
			    const struct vg_api_param *params, size_t nparams,
			    const struct vg_http_request *req, struct vg_http_response *resp);

/** /api/Software and /api/machines/{id}/software (api_software.c). */
int vg_api_software_add_routes(struct vg_api *api, struct vg_router *r,
			       struct vg_err *err) VG_MUST_CHECK;

/** /api/recommendations and /api/machines/{id}/recommendations (api_recs.c). */
int vg_api_recs_add_routes(struct vg_api *api, struct vg_router *r,
			   struct vg_err *err) VG_MUST_CHECK;

/** /api/exposureScore and /api/exposureScore/ByMachineGroups (api_scores.c). */
int vg_api_scores_add_routes(struct vg_api *api, struct vg_router *r,
			     struct vg_err *err) VG_MUST_CHECK;

/* ---- secure configuration assessment (api_config.c) ---- */

/*
 * The recommendation id of configuration check @c of policy @p (SQL
 * expressions): "sca-_-<check id>" for a Vigil check ("scid-N", unique
 * across Vigil's policies), "sca-_-<policy>-<check id>" for a Wazuh one.
 */
#define VG_API_SQL_CONFIG_REC_ID(p, c)                                                        \
	"('sca-_-' || (CASE WHEN " c " GLOB 'scid-[0-9]*' THEN " c " ELSE " p " || '-' || " c \
	" END))"

/**
 * Bring this connection's TEMP table temp.vg_cfgrec up to date: one row per
 * scored check with a non-compliant applicable device seen in the last 30
 * days (id, policy, check_id, title, category in the API's spelling,
 * subcategory ('' when none), component (the subcategory, else the category
 * as the catalog spells it), impact, applicable, exposed, score_impact from
 * vg_config_score_org(), crit = exposed devices of value High).  Rebuilt
 * whenever a fingerprint of the catalog, the fleet and the results' history
 * changed.  VG_EIO (message in @err) on store errors.
 */
int vg_api_config_refresh(struct vg_kb *kb, struct vg_err *err) VG_MUST_CHECK;

/**
 * /api/configurationScore, /api/configurations and the device's
 * /api/machines/{id}/configurations[/history] and configurationScore.
 */
int vg_api_config_add_routes(struct vg_api *api, struct vg_router *r,
			     struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_SERVER_API_INT_H */
