/*
 * api_agent.h - the agent protocol's endpoints (docs/agent-protocol.md):
 * POST /agent/v1/enroll and POST /agent/v1/report.
 *
 * The handlers run on libmicrohttpd's pool threads; SQLite connections are
 * not shared between them: each thread opens its own struct vg_kb on the
 * daemon's database the first time it serves an agent request, and
 * vg_agent_api_free() closes them all (after the server stopped).
 */
#ifndef VG_SERVER_API_AGENT_H
#define VG_SERVER_API_AGENT_H

#include "core/compiler.h"
#include "core/err.h"
#include "server/router.h"

struct vg_agent_api; /* opaque */

/**
 * The agent API over the knowledge base at @db_path (copied; NULL: the
 * default path), which must already exist and be migrated (vigild opens it
 * at start-up).  Never fails (allocation failure aborts).
 */
struct vg_agent_api *vg_agent_api_new(const char *db_path);

/**
 * Route POST /agent/v1/enroll and POST /agent/v1/report of @r to @api
 * (which must outlive the router).  Errors as vg_router_add().
 */
int vg_agent_api_add_routes(struct vg_agent_api *api, struct vg_router *r,
			    struct vg_err *err) VG_MUST_CHECK;

/**
 * Close every per-thread connection and free @api.  Call it only when no
 * handler can run any more (after vg_http_stop()) and after closing the
 * process's other connections to the database (api_agent.c, relock(), says
 * why).  NULL is a no-op.
 */
void vg_agent_api_free(struct vg_agent_api *api);

#endif /* VG_SERVER_API_AGENT_H */
