/* api.c - the /api routes (api.h): authentication and the resource table. */
#include <stdlib.h>

#include "core/alloc.h"
#include "server/api.h"
#include "server/api_int.h"

/*
 * Every resource file's route registration; a new resource adds one line.
 * The router takes the first route that matches, so resources with literal
 * paths under /api/machines/ (the exports' /api/machines/SoftwareInventoryByMachine)
 * come before machines, whose /api/machines/{id} would match them.
 */
static int (*const resources[])(struct vg_api *, struct vg_router *, struct vg_err *) = {
	vg_api_exports_add_routes,  vg_api_vulns_add_routes,  vg_api_software_add_routes,
	vg_api_recs_add_routes,     vg_api_scores_add_routes, vg_api_config_add_routes,
	vg_api_machines_add_routes, /* keep last */
};

struct vg_api *
vg_api_new(struct vg_workers *workers, const struct vg_api_auth_config *cfg)
{
	struct vg_api *api = vg_xcalloc(1, sizeof(*api));

	api->workers = workers;
	api->auth = vg_api_auth_new(cfg);
	return api;
}

struct vg_worker *
vg_api_begin(struct vg_api *api, struct vg_http_request *req, struct vg_http_response *resp,
	     enum vg_auth_action action, enum vg_rate_class rc, struct vg_auth_principal *p)
{
	struct vg_worker *w = vg_workers_get(api->workers);
	struct vg_auth_principal tmp;

	if (w == NULL) {
		vg_http_reply_error(resp, 500, "InternalServerError", "the store is unavailable");
		return NULL;
	}
	if (!vg_api_authenticate(api->auth, w->kb, req, resp, action, rc, p ? p : &tmp))
		return NULL;
	return w;
}

int
vg_api_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	/* The reference's versioned paths: "/api/{Version}/..." with v1.0 the current one. */
	int rc = vg_router_alias(r, "/api/v1.0", "/api", err);

	for (size_t i = 0; i < sizeof(resources) / sizeof(resources[0]) && rc == VG_OK; i++)
		rc = resources[i](api, r, err);
	return rc;
}

void
vg_api_free(struct vg_api *api)
{
	if (api == NULL)
		return;
	vg_api_auth_free(api->auth);
	free(api);
}

void
vg_api_reply_device_collection(struct vg_kb *kb, const struct vg_api_select *sel,
			       const struct vg_http_request *req, struct vg_http_response *resp)
{
	bool found = false;

	if (vg_api_sql_exists(kb, VG_API_SQL_DEVICE_EXISTS, sel->params[0].s, &found) != VG_OK)
		vg_http_reply_error(resp, 500, "InternalServerError", "cannot read the machine");
	else if (!found)
		vg_http_reply_error(resp, 404, "NotFound", "machine not found");
	else
		vg_api_reply_collection(kb, sel, req, resp);
}

int
vg_api_add_gets(struct vg_api *api, struct vg_router *r, const struct vg_api_route *routes,
		size_t n, struct vg_err *err)
{
	int rc = VG_OK;

	for (size_t i = 0; i < n && rc == VG_OK; i++)
		rc = vg_router_add(r, "GET", routes[i].path, routes[i].fn, api, err);
	return rc;
}
