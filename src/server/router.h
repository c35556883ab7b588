/*
 * router.h - (method, path pattern) -> handler table for vigild.
 *
 * Patterns are absolute paths whose segments are literals or {name}
 * parameters ("/api/machines/{id}/software").  Literal segments match
 * case-insensitively, because the Defender API paths are; empty segments
 * and a trailing slash are ignored.  GET routes also answer HEAD.  A path
 * that matches no route gets 404 and a path that matches only with other
 * methods 405 with an Allow header, both as JSON errors.
 *
 * Routes are added before serving; vg_router_handle() is then thread-safe.
 */
#ifndef VG_SERVER_ROUTER_H
#define VG_SERVER_ROUTER_H

#include "core/compiler.h"
#include "core/err.h"
#include "server/http.h"

#define VG_ROUTER_MAX_SEGMENTS 32

struct vg_router; /* opaque */

/** A new, empty table; caller frees with vg_router_free(). */
struct vg_router *vg_router_new(void);

/** Free @r and its routes.  NULL is a no-op. */
void vg_router_free(struct vg_router *r);

/**
 * Route @method (upper case, e.g. "GET") on @pattern to @fn(@ctx).  Both
 * strings are copied.  VG_EINVAL for a pattern that does not start with
 * '/', has an empty or unterminated {param}, more than VG_HTTP_MAX_PARAMS
 * parameters or more than VG_ROUTER_MAX_SEGMENTS segments.
 */
int vg_router_add(struct vg_router *r, const char *method, const char *pattern,
		  vg_http_handler_fn fn, void *ctx, struct vg_err *err) VG_MUST_CHECK;

/**
 * Route paths starting with the segments of @from (case-insensitive) as if
 * they started with those of @to, which must be no longer: the reference's
 * versioned "/api/v1.0/machines" is "/api/machines".  Both are copied.
 * VG_EINVAL for a path that is not absolute or an alias that lengthens.
 */
int vg_router_alias(struct vg_router *r, const char *from, const char *to,
		    struct vg_err *err) VG_MUST_CHECK;

/**
 * Dispatch @req to the matching route, filling req->params; the
 * vg_http_handler_fn to give vg_http_start() with the router as @router.
 */
void vg_router_handle(struct vg_http_request *req, struct vg_http_response *resp, void *router);

#endif /* VG_SERVER_ROUTER_H */
