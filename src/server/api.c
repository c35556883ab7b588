/* api.c - placeholder: the /api routes are being written (api.h). */
#include <stdlib.h>

#include "core/alloc.h"
#include "server/api.h"

struct vg_api {
	struct vg_workers *workers;
};

struct vg_api *
vg_api_new(struct vg_workers *workers, const struct vg_api_auth_config *cfg)
{
	struct vg_api *api = vg_xcalloc(1, sizeof(*api));

	(void)cfg;
	api->workers = workers;
	return api;
}

int
vg_api_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err)
{
	(void)api;
	(void)r;
	(void)err;
	return VG_OK;
}

void
vg_api_free(struct vg_api *api)
{
	free(api);
}
