/*
 * api.h - the Defender-compatible REST API under /api
 * (defender-tvm-spec.md §3, docs/api.md, docs/openapi.yaml).
 *
 * Every route authenticates with api_auth.h and reads the store through
 * this thread's connection (worker.h).  Paths are matched
 * case-insensitively (router.h); collections take the OData query options
 * of odata.h and answer with the reference's envelopes.
 */
#ifndef VG_SERVER_API_H
#define VG_SERVER_API_H

#include "core/compiler.h"
#include "core/err.h"
#include "server/api_auth.h"
#include "server/router.h"
#include "server/worker.h"

struct vg_api; /* opaque */

/**
 * The API over @workers (borrowed; must outlive the API) with the rate
 * limits @cfg (copied).  Never fails (allocation failure aborts).
 */
struct vg_api *vg_api_new(struct vg_workers *workers, const struct vg_api_auth_config *cfg);

/** Route every /api endpoint of @r to @api (which must outlive the router).  Errors as
 * vg_router_add(). */
int vg_api_add_routes(struct vg_api *api, struct vg_router *r, struct vg_err *err) VG_MUST_CHECK;

/** Free @api (after vg_http_stop()).  NULL is a no-op. */
void vg_api_free(struct vg_api *api);

#endif /* VG_SERVER_API_H */
