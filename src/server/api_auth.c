/*
 * api_auth.c - authentication, authorisation and rate limits of /api (api_auth.h).
 *
 * The rate limiter is a sliding-window counter: per (token, class) key and
 * per window length (a minute, an hour) it keeps the count of the current
 * fixed window and of the previous one, and estimates the requests of the
 * last window length as
 *
 *	prev * (len - elapsed) / len + cur
 *
 * (the previous window's requests assumed evenly spread).  That is O(1)
 * memory per key, never lets a burst at a window boundary double the
 * budget as fixed windows do, and is exact for the first window of a key.
 * docs/internals/api-auth.md explains the choice and the Retry-After
 * computation.  Keys live in a chained hash table under one mutex, with a
 * least-recently-charged list so that idle keys are dropped from its tail
 * in O(1) and the table stays bounded.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/log.h"
#include "server/api_auth.h"

#define NWINDOWS      2
#define FIRST_BUCKETS 64
/* After two hours without a charge both windows of a key have decayed to 0. */
#define IDLE_AFTER    (2 * 3600)

static const int64_t window_len[NWINDOWS] = {60, 3600};
static const char *const window_name[NWINDOWS] = {"minute", "hour"};
static const char *const class_name[VG_RATE_NCLASSES] = {
	[VG_RATE_DEFAULT] = "other endpoints",
	[VG_RATE_MACHINES] = "machines",
	[VG_RATE_MACHINE_VULNS] = "machine vulnerabilities",
	[VG_RATE_EXPORT] = "export assessments",
	[VG_RATE_AGENT_REPORT] = "agent reports",
};
static const char *const action_text[VG_AUTH_ACTION_N] = {
	[VG_AUTH_READ] = "read",
	[VG_AUTH_WRITE_REMEDIATION] = "write remediation tasks",
	[VG_AUTH_WRITE_CONFIG] = "change the configuration",
	[VG_AUTH_ADMIN] = "administer the server",
	[VG_AUTH_AGENT_INGEST] = "ingest agent reports",
	[VG_AUTH_ENROLL] = "enrol agents",
};

/* One fixed window of a sliding-window counter. */
struct window {
	int64_t start; /* Unix seconds, a multiple of the window length */
	uint32_t prev; /* requests charged in [start - len, start) */
	uint32_t cur;  /* requests charged in [start, start + len) */
};

struct key {
	struct key *next;          /* hash chain */
	struct key *newer, *older; /* the list by last charge */
	int64_t token;             /* api_token.id */
	enum vg_rate_class rc;
	int64_t last;                /* time of the last charge */
	struct window win[NWINDOWS]; /* per minute, per hour */
};

struct vg_api_auth {
	struct vg_api_auth_config cfg;
	pthread_mutex_t mu;
	struct key **buckets;
	size_t nbuckets; /* a power of two */
	size_t nkeys;
	size_t max_keys;
	bool warned; /* about a full table */
	struct key *newest, *oldest;
};

void
vg_api_auth_config_init(struct vg_api_auth_config *cfg)
{
	/* Agent reports: an agent sends a delta per change (debounced) and a periodic full
	 * report; 60 a minute is far above that and stops a looping agent. */
	static const unsigned minute[VG_RATE_NCLASSES] = {600, 100, 50, 30, 60};
	static const unsigned hour[VG_RATE_NCLASSES] = {20000, 1500, 1500, 1000, 1000};

	memcpy(cfg->per_minute, minute, sizeof(minute));
	memcpy(cfg->per_hour, hour, sizeof(hour));
}

struct vg_api_auth *
vg_api_auth_new(const struct vg_api_auth_config *cfg)
{
	struct vg_api_auth *a = vg_xcalloc(1, sizeof(*a));

	a->cfg = *cfg;
	pthread_mutex_init(&a->mu, NULL);
	a->nbuckets = FIRST_BUCKETS;
	a->buckets = vg_xcalloc(a->nbuckets, sizeof(*a->buckets));
	a->max_keys = VG_API_AUTH_MAX_KEYS;
	return a;
}

void
vg_api_auth_free(struct vg_api_auth *a)
{
	struct key *k, *older;

	if (a == NULL)
		return;
	for (k = a->newest; k; k = older) {
		older = k->older;
		free(k);
	}
	free(a->buckets);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

size_t
vg_api_auth_nkeys(struct vg_api_auth *a)
{
	size_t n;

	pthread_mutex_lock(&a->mu);
	n = a->nkeys;
	pthread_mutex_unlock(&a->mu);
	return n;
}

void
vg_api_auth_set_max_keys_for_tests(struct vg_api_auth *a, size_t max)
{
	pthread_mutex_lock(&a->mu);
	a->max_keys = max ? max : 1;
	pthread_mutex_unlock(&a->mu);
}

/* ---- the key table ----------------------------------------------------------------- */

static size_t
slot_of(int64_t token, enum vg_rate_class rc, size_t nbuckets)
{
	/* Token ids are small consecutive integers: mix them (splitmix64 finaliser). */
	uint64_t h = (uint64_t)token * 4 + (uint64_t)rc;

	h = (h ^ (h >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	h = (h ^ (h >> 27)) * UINT64_C(0x94d049bb133111eb);
	h ^= h >> 31;
	return (size_t)(h & (nbuckets - 1));
}

static struct key *
lookup(const struct vg_api_auth *a, int64_t token, enum vg_rate_class rc)
{
	struct key *k = a->buckets[slot_of(token, rc, a->nbuckets)];

	while (k && (k->token != token || k->rc != rc))
		k = k->next;
	return k;
}

static void
list_unlink(struct vg_api_auth *a, struct key *k)
{
	if (k->newer)
		k->newer->older = k->older;
	else
		a->newest = k->older;
	if (k->older)
		k->older->newer = k->newer;
	else
		a->oldest = k->newer;
	k->newer = k->older = NULL;
}

static void
list_push_newest(struct vg_api_auth *a, struct key *k)
{
	k->older = a->newest;
	k->newer = NULL;
	if (a->newest)
		a->newest->newer = k;
	else
		a->oldest = k;
	a->newest = k;
}

static void
drop(struct vg_api_auth *a, struct key *k)
{
	struct key **pp = &a->buckets[slot_of(k->token, k->rc, a->nbuckets)];

	while (*pp != k)
		pp = &(*pp)->next;
	*pp = k->next;
	list_unlink(a, k);
	a->nkeys--;
	free(k);
}

/* Forget the keys whose windows are all empty by now; they are the oldest. */
static void
drop_idle(struct vg_api_auth *a, int64_t now)
{
	while (a->oldest && now - a->oldest->last >= IDLE_AFTER)
		drop(a, a->oldest);
}

static void
grow(struct vg_api_auth *a)
{
	size_t n = a->nbuckets * 2;
	struct key **b = vg_xcalloc(n, sizeof(*b));

	for (size_t i = 0; i < a->nbuckets; i++) {
		struct key *k = a->buckets[i], *next;

		for (; k; k = next) {
			size_t s = slot_of(k->token, k->rc, n);

			next = k->next;
			k->next = b[s];
			b[s] = k;
		}
	}
	free(a->buckets);
	a->buckets = b;
	a->nbuckets = n;
}

static struct key *
insert(struct vg_api_auth *a, int64_t token, enum vg_rate_class rc, int64_t now)
{
	struct key *k;
	size_t s;

	if (a->nkeys >= a->max_keys) {
		/* Only verified tokens get here, so this takes many tokens: say it once. */
		vg_log(a->warned ? VG_LOG_DEBUG : VG_LOG_WARN,
		       "rate limiter full (%zu keys): forgetting token %" PRId64, a->nkeys,
		       a->oldest->token);
		a->warned = true;
		drop(a, a->oldest);
	}
	if (a->nkeys >= a->nbuckets && a->nbuckets < SIZE_MAX / 2)
		grow(a);
	k = vg_xcalloc(1, sizeof(*k));
	k->token = token;
	k->rc = rc;
	k->last = now;
	for (int i = 0; i < NWINDOWS; i++)
		k->win[i].start = now - now % window_len[i];
	s = slot_of(token, rc, a->nbuckets);
	k->next = a->buckets[s];
	a->buckets[s] = k;
	list_push_newest(a, k);
	a->nkeys++;
	return k;
}

/* ---- sliding-window counters ------------------------------------------------------- */

/* Move @w to the fixed window holding @now.  A clock that went back keeps the window. */
static void
roll(struct window *w, int64_t now, int64_t len)
{
	int64_t start = now - now % len;

	if (start <= w->start)
		return;
	w->prev = start - w->start == len ? w->cur : 0;
	w->cur = 0;
	w->start = start;
}

/* Seconds elapsed in @w's current window (0 when the clock went back). */
static int64_t
elapsed(const struct window *w, int64_t now)
{
	return now > w->start ? now - w->start : 0;
}

/* Whether one more request keeps the estimate within @limit (all scaled by @len). */
static bool
fits(const struct window *w, int64_t now, int64_t len, uint64_t limit)
{
	uint64_t e = (uint64_t)elapsed(w, now), l = (uint64_t)len;

	return (uint64_t)w->prev * (l - e) + (uint64_t)w->cur * l + l <= limit * l;
}

/*
 * Whole seconds from @now until fits() holds, with no other charge in
 * between (the estimate only decreases meanwhile).  In this window that is
 * the first t with prev * (len - e - t) <= (limit - cur - 1) * len; in the
 * next one, where cur has become prev, the first t' with
 * cur * (len - t') <= (limit - 1) * len; the one after is empty.
 */
static int64_t
wait_time(const struct window *w, int64_t now, int64_t len, uint64_t limit)
{
	int64_t e = elapsed(w, now);
	uint64_t q;

	if (w->cur < limit) {
		if (w->prev == 0)
			return 0;
		q = (limit - w->cur - 1) * (uint64_t)len / w->prev;
		if (q >= (uint64_t)(len - e))
			return 0;
		if (q >= 1)
			return len - e - (int64_t)q;
	}
	if (w->cur == 0)
		return len - e;
	q = (limit - 1) * (uint64_t)len / w->cur;
	if (q >= 1)
		return len - e + (q >= (uint64_t)len ? 0 : len - (int64_t)q);
	return 2 * len - e;
}

/*
 * Charge one request of @token in class @rc at @now.  0 when accepted;
 * otherwise the seconds to wait, with *@which the window that decides it.
 */
static int64_t
charge(struct vg_api_auth *a, int64_t token, enum vg_rate_class rc, int64_t now, int *which)
{
	const unsigned *limits[NWINDOWS] = {a->cfg.per_minute, a->cfg.per_hour};
	struct key *k;
	int64_t wait = 0;
	bool ok = true;

	pthread_mutex_lock(&a->mu);
	drop_idle(a, now);
	k = lookup(a, token, rc);
	if (k == NULL)
		k = insert(a, token, rc, now);
	for (int i = 0; i < NWINDOWS; i++) {
		uint64_t limit = limits[i][rc];

		if (limit == 0)
			continue;
		roll(&k->win[i], now, window_len[i]);
		if (!fits(&k->win[i], now, window_len[i], limit)) {
			int64_t t = wait_time(&k->win[i], now, window_len[i], limit);

			ok = false;
			if (t > wait) {
				wait = t;
				*which = i;
			}
		}
	}
	if (ok) {
		for (int i = 0; i < NWINDOWS; i++)
			if (limits[i][rc])
				k->win[i].cur++;
		k->last = now;
		list_unlink(a, k);
		list_push_newest(a, k);
	} else if (wait < 1) {
		wait = 1; /* cannot happen: wait_time() is 0 only when fits() holds */
	}
	pthread_mutex_unlock(&a->mu);
	return ok ? 0 : wait;
}

bool
vg_api_rate_limit(struct vg_api_auth *a, const struct vg_auth_principal *p, enum vg_rate_class rc,
		  struct vg_http_response *resp)
{
	char retry[24];
	int64_t wait;
	int which = 0;

	if ((int)rc < 0 || rc >= VG_RATE_NCLASSES)
		rc = VG_RATE_DEFAULT;
	if (a->cfg.per_minute[rc] == 0 && a->cfg.per_hour[rc] == 0)
		return true;
	wait = charge(a, p->id, rc, vg_auth_now(), &which);
	if (wait == 0)
		return true;
	snprintf(retry, sizeof(retry), "%" PRId64, wait);
	if (vg_http_resp_header(resp, "Retry-After", retry) != VG_OK)
		vg_log(VG_LOG_WARN, "too many response headers");
	vg_http_reply_error(resp, 429, "TooManyRequests",
			    "rate limit exceeded: %u requests per %s for %s; retry after %s s",
			    which ? a->cfg.per_hour[rc] : a->cfg.per_minute[rc], window_name[which],
			    class_name[rc], retry);
	return false;
}

/* ---- authentication ---------------------------------------------------------------- */

static void
challenge(struct vg_http_response *resp, const char *value)
{
	if (vg_http_resp_header(resp, "WWW-Authenticate", value) != VG_OK)
		vg_log(VG_LOG_WARN, "too many response headers");
}

bool
vg_api_bearer_value(struct vg_kb *kb, const char *authorization, struct vg_http_response *resp,
		    struct vg_auth_principal *p)
{
	const char *h = authorization;
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
		challenge(resp, "Bearer");
		vg_http_reply_error(resp, 401, "Unauthorized", "a bearer token is required");
		return false;
	}
	for (h += 7; *h == ' '; h++)
		continue;
	rc = vg_auth_token_verify(kb, h, p, &err);
	if (rc == VG_EPERM) {
		vg_log(VG_LOG_INFO, "token refused: %s", err.msg);
		challenge(resp, "Bearer error=\"invalid_token\"");
		vg_http_reply_error(resp, 401, "Unauthorized", "invalid, revoked or expired token");
		return false;
	}
	if (rc != VG_OK) {
		vg_log(VG_LOG_ERROR, "token verification: %s", err.msg);
		vg_http_reply_error(resp, 500, "InternalServerError", "token verification failed");
		return false;
	}
	return true;
}

bool
vg_api_bearer(struct vg_kb *kb, struct vg_http_request *req, struct vg_http_response *resp,
	      struct vg_auth_principal *p)
{
	return vg_api_bearer_value(kb, vg_http_header(req, "Authorization"), resp, p);
}

/* Whether @p may do @action under /api, where agent and enroll tokens may do nothing. */
static bool
authorize(const struct vg_auth_principal *p, enum vg_auth_action action,
	  struct vg_http_response *resp)
{
	if (p->role != VG_AUTH_ROLE_AGENT && p->role != VG_AUTH_ROLE_ENROLL &&
	    vg_auth_role_allows(p->role, action))
		return true;
	vg_http_reply_error(resp, 403, "Forbidden", "a token with role '%s' may not %s",
			    vg_auth_role_name(p->role),
			    (int)action >= 0 && action < VG_AUTH_ACTION_N ? action_text[action]
									  : "do this");
	return false;
}

bool
vg_api_authenticate_value(struct vg_api_auth *a, struct vg_kb *kb, const char *authorization,
			  struct vg_http_response *resp, enum vg_auth_action action,
			  enum vg_rate_class rc, struct vg_auth_principal *p)
{
	return vg_api_bearer_value(kb, authorization, resp, p) && authorize(p, action, resp) &&
	       vg_api_rate_limit(a, p, rc, resp);
}

bool
vg_api_authenticate(struct vg_api_auth *a, struct vg_kb *kb, struct vg_http_request *req,
		    struct vg_http_response *resp, enum vg_auth_action action,
		    enum vg_rate_class rc, struct vg_auth_principal *p)
{
	return vg_api_authenticate_value(a, kb, vg_http_header(req, "Authorization"), resp, action,
					 rc, p);
}
