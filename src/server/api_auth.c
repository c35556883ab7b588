/* api_auth.c - placeholder: being written (api_auth.h). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "server/api_auth.h"

struct vg_api_auth {
	struct vg_api_auth_config cfg;
};

void
vg_api_auth_config_init(struct vg_api_auth_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
}

struct vg_api_auth *
vg_api_auth_new(const struct vg_api_auth_config *cfg)
{
	struct vg_api_auth *a = vg_xcalloc(1, sizeof(*a));

	a->cfg = *cfg;
	return a;
}

void
vg_api_auth_free(struct vg_api_auth *a)
{
	free(a);
}

bool
vg_api_authenticate(struct vg_api_auth *a, struct vg_kb *kb, struct vg_http_request *req,
		    struct vg_http_response *resp, enum vg_auth_action action,
		    enum vg_rate_class rc, struct vg_auth_principal *p)
{
	(void)a;
	(void)kb;
	(void)req;
	(void)action;
	(void)rc;
	(void)p;
	vg_http_reply_error(resp, 401, "Unauthorized", "not implemented yet");
	return false;
}
