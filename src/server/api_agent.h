/*
 * api_agent.h - the agent protocol's endpoints (docs/agent-protocol.md):
 * POST /agent/v1/enroll and POST /agent/v1/report.
 *
 * The handlers run on libmicrohttpd's pool threads, each with its own
 * connection to the store (worker.h).
 */
#ifndef VG_SERVER_API_AGENT_H
#define VG_SERVER_API_AGENT_H

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "server/api_auth.h"
#include "server/router.h"
#include "server/worker.h"

struct vg_agent_api; /* opaque */

/**
 * The agent API over the per-thread store connections @workers (borrowed;
 * must outlive the API), limiting each agent token's reports to the
 * VG_RATE_AGENT_REPORT budget of @limits (copied; 429 with Retry-After
 * beyond it).  Never fails (allocation failure aborts).
 */
struct vg_agent_api *vg_agent_api_new(struct vg_workers *workers,
				      const struct vg_api_auth_config *limits);

/**
 * Route POST /agent/v1/enroll and POST /agent/v1/report of @r to @api
 * (which must outlive the router).  Errors as vg_router_add().
 */
int vg_agent_api_add_routes(struct vg_agent_api *api, struct vg_router *r,
			    struct vg_err *err) VG_MUST_CHECK;

/**
 * Append the ingest metrics to @out in the Prometheus text format: reports
 * by kind and outcome, time spent applying them, reports in progress (the
 * ingest queue), tuples matched, vulnerabilities appeared and disappeared,
 * enrollments.  VG_OK or VG_ETOOBIG.  Thread-safe.
 */
int vg_agent_api_metrics(struct vg_agent_api *api, struct vg_buf *out) VG_MUST_CHECK;

/** Free @api (after vg_http_stop()).  NULL is a no-op. */
void vg_agent_api_free(struct vg_agent_api *api);

#endif /* VG_SERVER_API_AGENT_H */
