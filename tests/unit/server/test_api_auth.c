/*
 * test_api_auth.c - unit tests of /api authentication, authorisation and
 * rate limits (src/server/api_auth.c).
 *
 * Each test has its own store in a fresh temporary directory with real
 * tokens, and the clock set through vg_auth_set_now_for_tests(), which the
 * limiter also reads, so that windows and Retry-After values are exact.
 * Requests go through vg_api_authenticate_value(), which is
 * vg_api_authenticate() minus the libmicrohttpd header lookup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "server/api_auth.h"
#include "store/auth.h"
#include "store/kb.h"

/* 2025-06-15T12:00:00Z, a whole hour (so also a whole minute). */
#define T0  INT64_C(1749988800)
#define DAY 86400

struct fx {
	char dir[64];
	char path[128];
	struct vg_kb *kb;
	struct vg_api_auth *a;
	int64_t now;
	char *analyst, *analyst2, *admin, *secadmin, *itadmin, *agent, *enroll;
};

static char *
create(struct fx *fx, enum vg_auth_role role, int days, const char *device)
{
	struct vg_err err;
	char *tok = NULL;

	assert_int_equal(vg_auth_token_create(fx->kb, role, NULL, days, device, &tok, NULL, &err),
			 VG_OK);
	assert_non_null(tok);
	return tok;
}

static void
set_now(struct fx *fx, int64_t now)
{
	fx->now = now;
	vg_auth_set_now_for_tests(now);
}

/* Replace the limiter by one with @cfg. */
static void
use_config(struct fx *fx, const struct vg_api_auth_config *cfg)
{
	vg_api_auth_free(fx->a);
	fx->a = vg_api_auth_new(cfg);
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct vg_api_auth_config cfg;
	struct vg_err err;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vg-apiauth-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/vigil.db", fx->dir);
	assert_int_equal(vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &err), VG_OK);
	set_now(fx, T0);
	fx->analyst = create(fx, VG_AUTH_ROLE_ANALYST, 0, NULL);
	fx->analyst2 = create(fx, VG_AUTH_ROLE_ANALYST, 0, NULL);
	fx->admin = create(fx, VG_AUTH_ROLE_ADMIN, 0, NULL);
	fx->secadmin = create(fx, VG_AUTH_ROLE_SECURITY_ADMIN, 0, NULL);
	fx->itadmin = create(fx, VG_AUTH_ROLE_IT_ADMIN, 0, NULL);
	fx->agent = create(fx, VG_AUTH_ROLE_AGENT, 0, "dev-1");
	fx->enroll = create(fx, VG_AUTH_ROLE_ENROLL, 0, NULL);
	vg_api_auth_config_init(&cfg);
	fx->a = vg_api_auth_new(&cfg);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[160];

	vg_api_auth_free(fx->a);
	vg_kb_close(fx->kb);
	vg_auth_set_now_for_tests(0);
	vg_auth_token_free(fx->analyst);
	vg_auth_token_free(fx->analyst2);
	vg_auth_token_free(fx->admin);
	vg_auth_token_free(fx->secadmin);
	vg_auth_token_free(fx->itadmin);
	vg_auth_token_free(fx->agent);
	vg_auth_token_free(fx->enroll);
	remove(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	remove(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	remove(p);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* ---- running a request ------------------------------------------------------------- */

struct answer {
	bool ok;
	int status;
	char code[64];
	char message[512];
	char www_auth[128];   /* "" when absent */
	char retry_after[32]; /* "" when absent */
	struct vg_auth_principal p;
};

static const char *
header(const struct vg_http_response *resp, const char *name)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->header_names[i], name) == 0)
			return resp->header_values[i];
	return NULL;
}

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Parse the JSON error of @resp into @ans. */
static void
read_error(const struct vg_http_response *resp, struct answer *ans)
{
	json_error_t jerr;
	json_t *doc = json_loadb(resp->body.p, resp->body.len, 0, &jerr);
	json_t *e;

	assert_non_null(doc);
	e = json_object_get(doc, "error");
	assert_true(json_is_object(e));
	copy(ans->code, sizeof(ans->code), json_string_value(json_object_get(e, "code")));
	copy(ans->message, sizeof(ans->message), json_string_value(json_object_get(e, "message")));
	json_decref(doc);
}

/* One request with Authorization value @authz (NULL: none). */
static struct answer
call(struct fx *fx, struct vg_kb *kb, const char *authz, enum vg_auth_action action,
     enum vg_rate_class rc)
{
	struct vg_http_response resp;
	struct answer ans;

	memset(&ans, 0, sizeof(ans));
	memset(&resp, 0, sizeof(resp));
	vg_buf_init(&resp.body, VG_HTTP_MAX_RESPONSE);
	ans.ok = vg_api_authenticate_value(fx->a, kb, authz, &resp, action, rc, &ans.p);
	ans.status = resp.status;
	copy(ans.www_auth, sizeof(ans.www_auth), header(&resp, "WWW-Authenticate"));
	copy(ans.retry_after, sizeof(ans.retry_after), header(&resp, "Retry-After"));
	if (ans.ok) {
		assert_int_equal(resp.status, 0); /* the handler's to fill */
		assert_int_equal(resp.nheaders, 0);
	} else {
		read_error(&resp, &ans);
	}
	vg_buf_release(&resp.body);
	for (size_t i = 0; i < resp.nheaders; i++) {
		free(resp.header_names[i]);
		free(resp.header_values[i]);
	}
	return ans;
}

static struct answer
req(struct fx *fx, const char *token, enum vg_auth_action action, enum vg_rate_class rc)
{
	char authz[128];

	snprintf(authz, sizeof(authz), "Bearer %s", token);
	return call(fx, fx->kb, authz, action, rc);
}

static void
expect_401(struct answer a, const char *challenge)
{
	assert_false(a.ok);
	assert_int_equal(a.status, 401);
	assert_string_equal(a.code, "Unauthorized");
	assert_string_equal(a.www_auth, challenge);
	assert_string_equal(a.retry_after, "");
}

static void
expect_403(struct answer a, const char *role, const char *action)
{
	char want[128];

	assert_false(a.ok);
	assert_int_equal(a.status, 403);
	assert_string_equal(a.code, "Forbidden");
	snprintf(want, sizeof(want), "a token with role '%s' may not %s", role, action);
	assert_string_equal(a.message, want);
	assert_string_equal(a.www_auth, "");
}

/* @n requests of @token in @rc at the current time, all accepted. */
static void
accept_n(struct fx *fx, const char *token, enum vg_rate_class rc, int n)
{
	for (int i = 0; i < n; i++) {
		struct answer a = req(fx, token, VG_AUTH_READ, rc);

		if (!a.ok)
			fail_msg("request %d of %d refused: %d %s", i + 1, n, a.status, a.message);
	}
}

/*
 * The next request of @token in @rc is refused with Retry-After @retry and
 * a message naming @budget; it is still refused (Retry-After 1) a second
 * before that, and accepted at that time exactly.
 */
static void
expect_429(struct fx *fx, const char *token, enum vg_rate_class rc, int64_t retry,
	   const char *budget)
{
	int64_t t = fx->now;
	struct answer a = req(fx, token, VG_AUTH_READ, rc);
	char want[32];

	assert_false(a.ok);
	assert_int_equal(a.status, 429);
	assert_string_equal(a.code, "TooManyRequests");
	snprintf(want, sizeof(want), "%lld", (long long)retry);
	assert_string_equal(a.retry_after, want);
	if (strstr(a.message, budget) == NULL)
		fail_msg("message '%s' does not name '%s'", a.message, budget);
	/* Refused requests are not charged: hammering does not move the time. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(req(fx, token, VG_AUTH_READ, rc).status, 429);
	if (retry > 1) {
		set_now(fx, t + retry - 1);
		a = req(fx, token, VG_AUTH_READ, rc);
		assert_int_equal(a.status, 429);
		assert_string_equal(a.retry_after, "1");
	}
	set_now(fx, t + retry);
	assert_true(req(fx, token, VG_AUTH_READ, rc).ok);
}

/* ---- authentication ---------------------------------------------------------------- */

static void
config_defaults(void **state)
{
	struct vg_api_auth_config c;

	(void)state;
	memset(&c, 0xff, sizeof(c));
	vg_api_auth_config_init(&c);
	assert_int_equal(c.per_minute[VG_RATE_MACHINES], 100);
	assert_int_equal(c.per_hour[VG_RATE_MACHINES], 1500);
	assert_int_equal(c.per_minute[VG_RATE_MACHINE_VULNS], 50);
	assert_int_equal(c.per_hour[VG_RATE_MACHINE_VULNS], 1500);
	assert_int_equal(c.per_minute[VG_RATE_EXPORT], 30);
	assert_int_equal(c.per_hour[VG_RATE_EXPORT], 1000);
	assert_int_equal(c.per_minute[VG_RATE_DEFAULT], 600);
	assert_int_equal(c.per_hour[VG_RATE_DEFAULT], 20000);
}

static void
missing_or_malformed(void **state)
{
	struct fx *fx = *state;
	char authz[128];
	/* No bearer token at all: the plain challenge. */
	static const char *const none[] = {NULL,     "",          "Basic dXNlcjpwYXNz",
					   "Bearer", "Token abc", "Bearervgt_x"};
	/* A bearer token that is not one: invalid_token. */
	static const char *const bad[] = {
		"Bearer ",
		"Bearer garbage",
		"Bearer vgt_",
		"Bearer vgt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* well-formed, unknown */
		"Bearer vgt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* one too long */
	};

	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		struct answer a = call(fx, fx->kb, none[i], VG_AUTH_READ, VG_RATE_DEFAULT);

		expect_401(a, "Bearer");
		assert_string_equal(a.message, "a bearer token is required");
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct answer a = call(fx, fx->kb, bad[i], VG_AUTH_READ, VG_RATE_DEFAULT);

		expect_401(a, "Bearer error=\"invalid_token\"");
		assert_string_equal(a.message, "invalid, revoked or expired token");
	}
	/* A valid token with one character changed, then with trailing garbage. */
	snprintf(authz, sizeof(authz), "Bearer %s", fx->analyst);
	authz[strlen(authz) - 1] = authz[strlen(authz) - 1] == 'A' ? 'B' : 'A';
	expect_401(call(fx, fx->kb, authz, VG_AUTH_READ, VG_RATE_DEFAULT),
		   "Bearer error=\"invalid_token\"");
	snprintf(authz, sizeof(authz), "Bearer %sx", fx->analyst);
	expect_401(call(fx, fx->kb, authz, VG_AUTH_READ, VG_RATE_DEFAULT),
		   "Bearer error=\"invalid_token\"");
	/* The scheme is case-insensitive and extra spaces before the token are allowed. */
	snprintf(authz, sizeof(authz), "bEARER   %s", fx->analyst);
	assert_true(call(fx, fx->kb, authz, VG_AUTH_READ, VG_RATE_DEFAULT).ok);
}

static void
revoked_and_expired(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_token_info info;
	struct vg_err err;
	char *shortlived = create(fx, VG_AUTH_ROLE_ADMIN, 1, NULL);
	char *revoked = create(fx, VG_AUTH_ROLE_ADMIN, 0, NULL);

	assert_true(req(fx, revoked, VG_AUTH_READ, VG_RATE_DEFAULT).ok);
	assert_int_equal(vg_auth_token_revoke(fx->kb, revoked, &info, &err), VG_OK);
	expect_401(req(fx, revoked, VG_AUTH_READ, VG_RATE_DEFAULT),
		   "Bearer error=\"invalid_token\"");
	assert_true(req(fx, shortlived, VG_AUTH_READ, VG_RATE_DEFAULT).ok);
	set_now(fx, T0 + DAY - 1);
	assert_true(req(fx, shortlived, VG_AUTH_READ, VG_RATE_DEFAULT).ok);
	set_now(fx, T0 + DAY + 1);
	expect_401(req(fx, shortlived, VG_AUTH_READ, VG_RATE_DEFAULT),
		   "Bearer error=\"invalid_token\"");
	/* Others still work. */
	assert_true(req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_DEFAULT).ok);
	vg_auth_token_free(shortlived);
	vg_auth_token_free(revoked);
}

static void
store_error_is_500(void **state)
{
	struct fx *fx = *state;
	sqlite3 *db;
	struct answer a;

	/* Another connection removes the token table under the kb. */
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE api_token", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	a = req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_DEFAULT);
	assert_false(a.ok);
	assert_int_equal(a.status, 500);
	assert_string_equal(a.code, "InternalServerError");
	assert_string_equal(a.www_auth, "");
}

static void
bearer_value_alone(void **state)
{
	struct fx *fx = *state;
	struct vg_http_response resp;
	struct vg_auth_principal p;
	char authz[128];

	/* No role check: an enroll token is a valid bearer token. */
	memset(&resp, 0, sizeof(resp));
	vg_buf_init(&resp.body, VG_HTTP_MAX_RESPONSE);
	snprintf(authz, sizeof(authz), "Bearer %s", fx->enroll);
	assert_true(vg_api_bearer_value(fx->kb, authz, &resp, &p));
	assert_int_equal(p.role, VG_AUTH_ROLE_ENROLL);
	assert_int_equal(resp.status, 0);
	assert_false(vg_api_bearer_value(fx->kb, NULL, &resp, &p));
	assert_int_equal(resp.status, 401);
	assert_int_equal(resp.nheaders, 1);
	assert_string_equal(resp.header_names[0], "WWW-Authenticate");
	assert_string_equal(resp.header_values[0], "Bearer");
	free(resp.header_names[0]);
	free(resp.header_values[0]);
	vg_buf_release(&resp.body);
}

/* ---- authorisation ----------------------------------------------------------------- */

static void
roles(void **state)
{
	struct fx *fx = *state;
	struct answer a;

	a = req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_MACHINES);
	assert_true(a.ok);
	assert_int_equal(a.p.role, VG_AUTH_ROLE_ANALYST);
	assert_true(a.p.id > 0);
	assert_int_equal(strncmp(a.p.prefix, fx->analyst, VG_AUTH_PREFIX_LEN), 0);
	expect_403(req(fx, fx->analyst, VG_AUTH_WRITE_CONFIG, VG_RATE_DEFAULT), "analyst",
		   "change the configuration");
	expect_403(req(fx, fx->analyst, VG_AUTH_WRITE_REMEDIATION, VG_RATE_DEFAULT), "analyst",
		   "write remediation tasks");
	expect_403(req(fx, fx->analyst, VG_AUTH_ADMIN, VG_RATE_DEFAULT), "analyst",
		   "administer the server");
	assert_true(req(fx, fx->itadmin, VG_AUTH_WRITE_REMEDIATION, VG_RATE_DEFAULT).ok);
	expect_403(req(fx, fx->itadmin, VG_AUTH_WRITE_CONFIG, VG_RATE_DEFAULT), "itAdmin",
		   "change the configuration");
	assert_true(req(fx, fx->secadmin, VG_AUTH_WRITE_CONFIG, VG_RATE_DEFAULT).ok);
	expect_403(req(fx, fx->secadmin, VG_AUTH_ADMIN, VG_RATE_DEFAULT), "securityAdmin",
		   "administer the server");
	for (int act = VG_AUTH_READ; act <= VG_AUTH_ADMIN; act++)
		assert_true(req(fx, fx->admin, (enum vg_auth_action)act, VG_RATE_DEFAULT).ok);
}

static void
agent_and_enroll_get_nothing(void **state)
{
	static const char *const text[] = {"read",
					   "write remediation tasks",
					   "change the configuration",
					   "administer the server",
					   "ingest agent reports",
					   "enrol agents"};
	struct fx *fx = *state;

	/* Not even what their role does under /agent/v1. */
	for (int act = 0; act < VG_AUTH_ACTION_N; act++) {
		expect_403(req(fx, fx->agent, (enum vg_auth_action)act, VG_RATE_DEFAULT), "agent",
			   text[act]);
		expect_403(req(fx, fx->enroll, (enum vg_auth_action)act, VG_RATE_MACHINES),
			   "enroll", text[act]);
	}
}

static void
refusals_are_not_charged(void **state)
{
	struct fx *fx = *state;
	struct vg_api_auth_config cfg = {0};

	cfg.per_minute[VG_RATE_DEFAULT] = 2;
	use_config(fx, &cfg);
	for (int i = 0; i < 5; i++)
		expect_403(req(fx, fx->analyst, VG_AUTH_ADMIN, VG_RATE_DEFAULT), "analyst",
			   "administer the server");
	for (int i = 0; i < 5; i++)
		expect_401(req(fx, "vgt_nope", VG_AUTH_READ, VG_RATE_DEFAULT),
			   "Bearer error=\"invalid_token\"");
	assert_int_equal(vg_api_auth_nkeys(fx->a), 0);
	accept_n(fx, fx->analyst, VG_RATE_DEFAULT, 2);
	assert_int_equal(vg_api_auth_nkeys(fx->a), 1);
	/* A 403 wins over a 429: authorisation comes first. */
	expect_403(req(fx, fx->analyst, VG_AUTH_ADMIN, VG_RATE_DEFAULT), "analyst",
		   "administer the server");
}

/* ---- rate limits ------------------------------------------------------------------- */

static void
minute_budget(void **state)
{
	struct fx *fx = *state;

	/* The reference's 100/min for machines: all at the start of a minute. */
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 100);
	/*
	 * The next minute counts the 100 as spread over the last one: one more
	 * fits when 100 * (60 - e) / 60 + 1 <= 100, e >= 1, so at 61 s.
	 */
	expect_429(fx, fx->analyst, VG_RATE_MACHINES, 61, "100 requests per minute for machines");
	/* At T0+61 one was charged in the new minute; the rest of it is still full. */
	assert_int_equal(req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_MACHINES).status, 429);
}

static void
window_slides(void **state)
{
	struct fx *fx = *state;
	struct vg_api_auth_config cfg = {0};

	cfg.per_minute[VG_RATE_MACHINES] = 100;
	use_config(fx, &cfg);
	set_now(fx, T0 + 10);
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 100);
	assert_int_equal(req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_MACHINES).status, 429);
	/* Half-way through the next minute, half of the previous one still counts. */
	set_now(fx, T0 + 90);
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 50);
	/* 100 * 29/60 + 50 + 1 <= 100 one second later. */
	expect_429(fx, fx->analyst, VG_RATE_MACHINES, 1, "100 requests per minute for machines");
	/* At the start of the next minute the 51 of the last one count in full. */
	set_now(fx, T0 + 120);
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 49);
	assert_int_equal(req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_MACHINES).status, 429);
	/* After a whole minute without requests, the whole budget is back. */
	set_now(fx, T0 + 240);
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 100);
	assert_int_equal(req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_MACHINES).status, 429);
}

static void
independent_keys(void **state)
{
	struct fx *fx = *state;
	struct vg_api_auth_config cfg = {0};

	cfg.per_minute[VG_RATE_EXPORT] = 3;
	cfg.per_minute[VG_RATE_MACHINE_VULNS] = 4;
	use_config(fx, &cfg);
	accept_n(fx, fx->analyst, VG_RATE_EXPORT, 3);
	assert_int_equal(req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_EXPORT).status, 429);
	/* Another token of the same role has its own budget... */
	accept_n(fx, fx->analyst2, VG_RATE_EXPORT, 3);
	assert_int_equal(req(fx, fx->analyst2, VG_AUTH_READ, VG_RATE_EXPORT).status, 429);
	/* ...and so has another class of the same token; the default is unlimited here. */
	accept_n(fx, fx->analyst, VG_RATE_MACHINE_VULNS, 4);
	assert_int_equal(req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_MACHINE_VULNS).status, 429);
	accept_n(fx, fx->analyst, VG_RATE_DEFAULT, 50);
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 50);
	assert_int_equal(vg_api_auth_nkeys(fx->a), 3); /* unlimited classes are not tracked */
	/* cur 3 of 3: 3 * (60 - t') <= 2 * 60 from t' = 20 of the next minute. */
	expect_429(fx, fx->analyst, VG_RATE_EXPORT, 80,
		   "3 requests per minute for export assessments");
}

static void
hour_budget(void **state)
{
	struct fx *fx = *state;
	struct vg_api_auth_config cfg = {0};

	cfg.per_hour[VG_RATE_DEFAULT] = 5;
	use_config(fx, &cfg);
	accept_n(fx, fx->analyst, VG_RATE_DEFAULT, 5);
	/* 5 * (3600 - t') <= 4 * 3600 from t' = 720 of the next hour. */
	expect_429(fx, fx->analyst, VG_RATE_DEFAULT, 3600 + 720,
		   "5 requests per hour for other endpoints");
}

static void
minute_and_hour(void **state)
{
	struct fx *fx = *state;
	struct vg_api_auth_config cfg = {0};

	cfg.per_minute[VG_RATE_MACHINES] = 4;
	cfg.per_hour[VG_RATE_MACHINES] = 6;
	use_config(fx, &cfg);
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 4);
	/* The minute decides first: 4 * (60 - t') <= 3 * 60 from t' = 15. */
	expect_429(fx, fx->analyst, VG_RATE_MACHINES, 75, "4 requests per minute for machines");
	/* Now 5 of 6 this hour; one more, then the hour decides. */
	set_now(fx, T0 + 180);
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 1);
	/* 6 * (3600 - t') <= 5 * 3600 from t' = 600 of the next hour. */
	expect_429(fx, fx->analyst, VG_RATE_MACHINES, 3600 - 180 + 600,
		   "6 requests per hour for machines");
}

static void
default_budget(void **state)
{
	struct fx *fx = *state;

	/* vg_api_auth_config_init()'s 600/min for the default class, from mid-minute. */
	set_now(fx, T0 + 30);
	accept_n(fx, fx->analyst, VG_RATE_DEFAULT, 600);
	/* 600 * (60 - t') <= 599 * 60 from t' = 1: 30 s to the next minute, plus one. */
	expect_429(fx, fx->analyst, VG_RATE_DEFAULT, 31,
		   "600 requests per minute for other endpoints");
}

static void
unlimited(void **state)
{
	struct fx *fx = *state;
	struct vg_api_auth_config cfg = {0};

	use_config(fx, &cfg);
	for (int c = 0; c < VG_RATE_NCLASSES; c++)
		accept_n(fx, fx->analyst, (enum vg_rate_class)c, 700);
	assert_int_equal(vg_api_auth_nkeys(fx->a), 0);
}

static void
idle_keys_dropped(void **state)
{
	struct fx *fx = *state;
	struct vg_api_auth_config cfg = {0};

	cfg.per_minute[VG_RATE_DEFAULT] = 2;
	cfg.per_minute[VG_RATE_MACHINES] = 2;
	use_config(fx, &cfg);
	accept_n(fx, fx->analyst, VG_RATE_DEFAULT, 2);
	accept_n(fx, fx->analyst, VG_RATE_MACHINES, 1);
	set_now(fx, T0 + 3600);
	accept_n(fx, fx->analyst2, VG_RATE_DEFAULT, 1);
	assert_int_equal(vg_api_auth_nkeys(fx->a), 3);
	/* Two hours after their last charge, the first two keys go. */
	set_now(fx, T0 + 7200);
	accept_n(fx, fx->admin, VG_RATE_DEFAULT, 1);
	assert_int_equal(vg_api_auth_nkeys(fx->a), 2);
	set_now(fx, T0 + 3600 + 7200);
	accept_n(fx, fx->admin, VG_RATE_DEFAULT, 1);
	assert_int_equal(vg_api_auth_nkeys(fx->a), 1);
}

static void
table_bounded(void **state)
{
	struct fx *fx = *state;
	struct vg_api_auth_config cfg = {0};

	cfg.per_minute[VG_RATE_DEFAULT] = 1;
	use_config(fx, &cfg);
	vg_api_auth_set_max_keys_for_tests(fx->a, 2);
	accept_n(fx, fx->analyst, VG_RATE_DEFAULT, 1);
	accept_n(fx, fx->analyst2, VG_RATE_DEFAULT, 1);
	assert_int_equal(req(fx, fx->analyst, VG_AUTH_READ, VG_RATE_DEFAULT).status, 429);
	/* A third key pushes out the least recently charged one, analyst's. */
	accept_n(fx, fx->admin, VG_RATE_DEFAULT, 1);
	assert_int_equal(vg_api_auth_nkeys(fx->a), 2);
	assert_int_equal(req(fx, fx->analyst2, VG_AUTH_READ, VG_RATE_DEFAULT).status, 429);
	assert_int_equal(req(fx, fx->admin, VG_AUTH_READ, VG_RATE_DEFAULT).status, 429);
	accept_n(fx, fx->analyst, VG_RATE_DEFAULT, 1); /* forgotten, so a fresh budget */
	assert_int_equal(vg_api_auth_nkeys(fx->a), 2);
	/* Many more keys, still bounded. */
	for (int i = 0; i < 40; i++) {
		char *t = create(fx, VG_AUTH_ROLE_ANALYST, 0, NULL);

		accept_n(fx, t, VG_RATE_DEFAULT, 1);
		vg_auth_token_free(t);
	}
	assert_int_equal(vg_api_auth_nkeys(fx->a), 2);
}

/* ---- threads ----------------------------------------------------------------------- */

#define NTHREADS   4
#define PER_THREAD 60

struct worker {
	struct fx *fx;
	int accepted, refused;
};

static void *
hammer(void *arg)
{
	struct worker *w = arg;
	struct vg_kb *kb = NULL;
	struct vg_err err;
	char authz[128];

	if (vg_kb_open(w->fx->path, 0, &kb, &err) != VG_OK)
		return NULL;
	snprintf(authz, sizeof(authz), "Bearer %s", w->fx->analyst);
	for (int i = 0; i < PER_THREAD; i++) {
		struct answer a = call(w->fx, kb, authz, VG_AUTH_READ, VG_RATE_MACHINE_VULNS);

		if (a.ok)
			w->accepted++;
		else if (a.status == 429)
			w->refused++;
	}
	vg_kb_close(kb);
	return NULL;
}

static void
concurrent(void **state)
{
	struct fx *fx = *state;
	struct worker w[NTHREADS];
	pthread_t th[NTHREADS];
	int accepted = 0, refused = 0;

	/* The reference's 50/min for a machine's vulnerabilities. */
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){.fx = fx};
		assert_int_equal(pthread_create(&th[i], NULL, hammer, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		accepted += w[i].accepted;
		refused += w[i].refused;
	}
	assert_int_equal(accepted, 50);
	assert_int_equal(refused, NTHREADS * PER_THREAD - 50);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(config_defaults),
		cmocka_unit_test_setup_teardown(missing_or_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(revoked_and_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(store_error_is_500, setup, teardown),
		cmocka_unit_test_setup_teardown(bearer_value_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(roles, setup, teardown),
		cmocka_unit_test_setup_teardown(agent_and_enroll_get_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals_are_not_charged, setup, teardown),
		cmocka_unit_test_setup_teardown(minute_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(window_slides, setup, teardown),
		cmocka_unit_test_setup_teardown(independent_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(hour_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(minute_and_hour, setup, teardown),
		cmocka_unit_test_setup_teardown(default_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(unlimited, setup, teardown),
		cmocka_unit_test_setup_teardown(idle_keys_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(table_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(concurrent, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
