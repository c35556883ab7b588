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
 * the default class.  Agent reports have their own class (60/min, 1,000/h
 * per agent token).  The state is in memory (a restart forgets it) and
 * thread-safe.
 */
#ifndef VG_SERVER_API_AUTH_H
#define VG_SERVER_API_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "server/http.h"
#include "store/auth.h"
#include "store/kb.h"

enum vg_rate_class {
	VG_RATE_DEFAULT,       /* every other /api endpoint */
	VG_RATE_MACHINES,      /* GET /api/machines, /api/machines/{id}, setDeviceValue */
	VG_RATE_MACHINE_VULNS, /* GET /api/machines/{id}/vulnerabilities */
	VG_RATE_EXPORT,        /* the ...ByMachine export assessments */
	VG_RATE_AGENT_REPORT,  /* POST /agent/v1/report, per agent token */
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

/** Free @a.  NULL is a no-op. */
void vg_api_auth_free(struct vg_api_auth *a);

/* Most (token, class) keys a limiter tracks; see vg_api_auth_new(). */
#define VG_API_AUTH_MAX_KEYS 65536

/**
 * The bearer-token half of authentication, shared with /agent/v1: take the
 * token of @req's "Authorization: Bearer <token>" header (the scheme in any
 * ASCII case) and verify it with @kb (this thread's connection) into *@p.
 * true when the token is valid; false when @resp holds the answer: 401 with
 * "WWW-Authenticate: Bearer" when there is no bearer token, 401 with
 * "WWW-Authenticate: Bearer error="invalid_token"" when the token is
 * malformed, unknown, revoked or expired (the reason is logged, not sent),
 * 500 for a store error.  No role check.
 */
bool vg_api_bearer(struct vg_kb *kb, struct vg_http_request *req, struct vg_http_response *resp,
		   struct vg_auth_principal *p /* OUT */);

/**
 * vg_api_bearer() on the value @authorization of the Authorization header
 * (NULL when absent; borrowed), for callers and tests without a connection.
 */
bool vg_api_bearer_value(struct vg_kb *kb, const char *authorization, struct vg_http_response *resp,
			 struct vg_auth_principal *p /* OUT */);

/**
 * A limiter with @cfg (copied).  Never fails (allocation failure aborts).
 * It tracks at most VG_API_AUTH_MAX_KEYS (token, class) keys, a few dozen
 * bytes each: keys idle for two hours are dropped (they hold no budget any
 * more), and when the table is full of active keys the least recently used
 * one is forgotten (logged).
 */
struct vg_api_auth *vg_api_auth_new(const struct vg_api_auth_config *cfg);

/**
 * Authenticate @req with @kb (this thread's connection), check that the
 * token's role allows @action, and charge one request to the token's
 * budget of class @rc.  true with *@p filled when the request may proceed;
 * false when @resp holds the 401, 403, 429 or 500 answer.
 */
bool vg_api_authenticate(struct vg_api_auth *a, struct vg_kb *kb, struct vg_http_request *req,
			 struct vg_http_response *resp, enum vg_auth_action action,
			 enum vg_rate_class rc, struct vg_auth_principal *p /* OUT */);

/**
 * vg_api_authenticate() on the value @authorization of the Authorization
 * header (NULL when absent; borrowed), for tests without a connection.
 * The order of the checks is 401, 403, then 429: only a request that may
 * proceed is charged.  A 429 carries "Retry-After: N", N >= 1 the whole
 * seconds after which the same request would be accepted.  The clock is
 * vg_auth_now().
 */
bool vg_api_authenticate_value(struct vg_api_auth *a, struct vg_kb *kb, const char *authorization,
			       struct vg_http_response *resp, enum vg_auth_action action,
			       enum vg_rate_class rc, struct vg_auth_principal *p /* OUT */);

/**
 * Charge one request of class @rc to @p's budget (the rate-limit step of
 * vg_api_authenticate() alone, for callers that authenticate otherwise:
 * the agent protocol).  false when @resp holds the 429 answer.
 */
bool vg_api_rate_limit(struct vg_api_auth *a, const struct vg_auth_principal *p,
		       enum vg_rate_class rc, struct vg_http_response *resp);

/** The number of (token, class) keys @a tracks now.  Thread-safe. */
size_t vg_api_auth_nkeys(struct vg_api_auth *a);

/** Tests only: track at most @max (>= 1) keys instead of VG_API_AUTH_MAX_KEYS. */
void vg_api_auth_set_max_keys_for_tests(struct vg_api_auth *a, size_t max);

#endif /* VG_SERVER_API_AUTH_H */
