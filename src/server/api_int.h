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

#endif /* VG_SERVER_API_INT_H */
