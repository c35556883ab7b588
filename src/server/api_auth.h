/*
 * api_auth.h - authentication, authorisation and rate limits of /api.
 *
 * Every /api request carries "Authorization: Bearer <token>" (auth.h).  The
 * answer follows HTTP: 401 Unauthorized with a WWW-Authenticate header when
 * the token is missing, malformed, unknown, revoked or expired; 403
 * Forbidden when the token is valid but its role may not perform the
 * endpoint's action (an agent or enroll token may read nothing under /api);
 * 429 TooManyRequests with Retry-After (whole seconds) when the token has
 * used up its budget for the endpoint's rate class.  All error bodies are
 * the JSON errors of http.h.
 *
 * Rate limits are per token and per class, over a sliding minute and a
 * sliding hour, as the reference documents them (defender-tvm-spec.md
 * §3.1): machines 100/min and 1,500/h, a machine's vulnerabilities 50/min
 * and 1,500/h, the export assessments 30/min and 1,000/h; other endpoints
 * the default class.  The state is in memory (a restart forgets it) and
 * thread-safe.
 */
#ifndef VG_SERVER_API_AUTH_H
#define VG_SERVER_API_AUTH_H

#include <stdbool.h>

#include "server/http.h"
#include "store/auth.h"
#include "store/kb.h"

enum vg_rate_class {
	VG_RATE_DEFAULT,       /* every other /api endpoint */
	VG_RATE_MACHINES,      /* GET /api/machines, /api/machines/{id}, setDeviceValue */
	VG_RATE_MACHINE_VULNS, /* GET /api/machines/{id}/vulnerabilities */
	VG_RATE_EXPORT,        /* the ...ByMachine export assessments */
	VG_RATE_NCLASSES
};

/* Budgets per class; 0 means unlimited. */
struct vg_api_auth_config {
	unsigned per_minute[VG_RATE_NCLASSES];
	unsigned per_hour[VG_RATE_NCLASSES];
};

struct vg_api_auth; /* opaque */

/** Fill @cfg with the reference's budgets (default class: 600/min, 20,000/h). */
void vg_api_auth_config_init(struct vg_api_auth_config *cfg);

/** A limiter with @cfg (copied).  Never fails (allocation failure aborts). */
struct vg_api_auth *vg_api_auth_new(const struct vg_api_auth_config *cfg);

/** Free @a.  NULL is a no-op. */
void vg_api_auth_free(struct vg_api_auth *a);

/**
 * Authenticate @req with @kb (this thread's connection), check that the
 * token's role allows @action, and charge one request to the token's
 * budget of class @rc.  true with *@p filled when the request may proceed;
 * false when @resp holds the 401, 403, 429 or 500 answer.
 */
bool vg_api_authenticate(struct vg_api_auth *a, struct vg_kb *kb, struct vg_http_request *req,
			 struct vg_http_response *resp, enum vg_auth_action action,
			 enum vg_rate_class rc, struct vg_auth_principal *p /* OUT */);

#endif /* VG_SERVER_API_AUTH_H */
