/*
 * test_auth.c - unit tests of the API tokens (src/store/auth.c).
 *
 * Each test works on its own store in a fresh temporary directory, with the
 * clock set through vg_auth_set_now_for_tests() so that creation, use and
 * expiry times are exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "store/auth.h"
#include "store/kb.h"

/* 2025-06-15T12:00:00Z */
#define T0  INT64_C(1749988800)
#define DAY 86400

struct fx {
	char dir[64];
	char path[128];
	struct vg_kb *kb;
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct vg_err err;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vg-auth-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/vigil.db", fx->dir);
	assert_int_equal(vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &err), VG_OK);
	vg_auth_set_now_for_tests(T0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[160];

	vg_kb_close(fx->kb);
	vg_auth_set_now_for_tests(0);
	remove(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	remove(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	remove(p);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static char *
create(struct fx *fx, enum vg_auth_role role, const char *name, int days, const char *device,
       struct vg_auth_token_info *info)
{
	struct vg_err err;
	char *tok = NULL;

	assert_int_equal(vg_auth_token_create(fx->kb, role, name, days, device, &tok, info, &err),
			 VG_OK);
	assert_non_null(tok);
	return tok;
}

/* ---- roles ----------------------------------------------------------------------------- */

static void
role_names(void **state)
{
	static const char *const names[] = {"admin",   "securityAdmin", "analyst",
					    "itAdmin", "agent",         "enroll"};
	enum vg_auth_role r;

	(void)state;
	for (int i = 0; i < VG_AUTH_ROLE_N; i++) {
		assert_int_equal(vg_auth_role_parse(names[i], &r), VG_OK);
		assert_int_equal(r, i);
		assert_string_equal(vg_auth_role_name(r), names[i]);
	}
	assert_int_equal(vg_auth_role_parse("SecurityAdmin", &r), VG_OK);
	assert_int_equal(r, VG_AUTH_ROLE_SECURITY_ADMIN);
	assert_int_equal(vg_auth_role_parse("ITADMIN", &r), VG_OK);
	assert_int_equal(r, VG_AUTH_ROLE_IT_ADMIN);
	assert_int_equal(vg_auth_role_parse("root", &r), VG_EINVAL);
	assert_int_equal(vg_auth_role_parse("", &r), VG_EINVAL);
	assert_int_equal(vg_auth_role_parse("admin ", &r), VG_EINVAL);
	assert_int_equal(vg_auth_role_parse(NULL, &r), VG_EINVAL);
	assert_string_equal(vg_auth_role_name(VG_AUTH_ROLE_N), "?");
}

static void
role_matrix(void **state)
{
	/* columns: read, remediation, config, admin, agent-ingest, enroll */
	static const bool want[VG_AUTH_ROLE_N][VG_AUTH_ACTION_N] = {
		[VG_AUTH_ROLE_ADMIN] = {1, 1, 1, 1, 1, 1},
		[VG_AUTH_ROLE_SECURITY_ADMIN] = {1, 1, 1, 0, 0, 0},
		[VG_AUTH_ROLE_ANALYST] = {1, 0, 0, 0, 0, 0},
		[VG_AUTH_ROLE_IT_ADMIN] = {1, 1, 0, 0, 0, 0},
		[VG_AUTH_ROLE_AGENT] = {0, 0, 0, 0, 1, 0},
		[VG_AUTH_ROLE_ENROLL] = {0, 0, 0, 0, 0, 1},
	};

	(void)state;
	for (int r = 0; r < VG_AUTH_ROLE_N; r++)
		for (int a = 0; a < VG_AUTH_ACTION_N; a++) {
			if (vg_auth_role_allows((enum vg_auth_role)r, (enum vg_auth_action)a) !=
			    want[r][a])
				fail_msg("role %s action %d: want %d", vg_auth_role_name(r), a,
					 want[r][a]);
		}
	assert_false(vg_auth_role_allows(VG_AUTH_ROLE_N, VG_AUTH_READ));
	assert_false(vg_auth_role_allows(VG_AUTH_ROLE_ADMIN, VG_AUTH_ACTION_N));
}

static void
principal_device_rule(void **state)
{
	struct vg_auth_principal p = {.role = VG_AUTH_ROLE_AGENT};

	(void)state;
	/* An agent without a device may not ingest at all. */
	assert_false(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, "dev-1"));
	snprintf(p.device_id, sizeof(p.device_id), "dev-1");
	assert_true(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, "dev-1"));
	assert_false(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, "dev-2"));
	assert_false(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, "dev-10"));
	assert_false(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, NULL));
	assert_false(vg_auth_principal_allows(&p, VG_AUTH_READ, "dev-1"));
	p.role = VG_AUTH_ROLE_ADMIN;
	p.device_id[0] = '\0';
	assert_true(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, "dev-2"));
	p.role = VG_AUTH_ROLE_ANALYST;
	assert_false(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, "dev-2"));
	assert_true(vg_auth_principal_allows(&p, VG_AUTH_READ, NULL));
}

/* ---- create and verify ------------------------------------------------------------------ */

static void
create_verify(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_token_info info;
	struct vg_auth_principal p;
	struct vg_err err;
	char *tok = create(fx, VG_AUTH_ROLE_IT_ADMIN, "patch bot", 0, NULL, &info);

	assert_int_equal(strlen(tok), VG_AUTH_TOKEN_LEN);
	assert_memory_equal(tok, "vgt_", 4);
	assert_int_equal(strspn(tok + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789-_"),
			 43);
	assert_int_equal(info.id, 1);
	assert_int_equal(info.role, VG_AUTH_ROLE_IT_ADMIN);
	assert_int_equal(info.created_at, T0);
	assert_int_equal(info.expires_at, 0);
	assert_int_equal(strlen(info.prefix), VG_AUTH_PREFIX_LEN);
	assert_memory_equal(info.prefix, tok, VG_AUTH_PREFIX_LEN);
	assert_string_equal(info.name, "patch bot");

	vg_auth_set_now_for_tests(T0 + 100);
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_OK);
	assert_int_equal(p.id, 1);
	assert_int_equal(p.role, VG_AUTH_ROLE_IT_ADMIN);
	assert_string_equal(p.name, "patch bot");
	assert_string_equal(p.prefix, info.prefix);
	assert_string_equal(p.device_id, "");
	vg_auth_token_free(tok);

	/* Two tokens are never the same. */
	{
		char *a = create(fx, VG_AUTH_ROLE_ADMIN, NULL, 0, NULL, NULL);
		char *b = create(fx, VG_AUTH_ROLE_ADMIN, NULL, 0, NULL, NULL);

		assert_string_not_equal(a, b);
		vg_auth_token_free(a);
		vg_auth_token_free(b);
	}
}

static int
collect(void *ctx, const struct vg_auth_token_info *t)
{
	struct vg_auth_token_info *v = ctx;

	for (int i = 0; i < 8; i++)
		if (v[i].id == 0) {
			v[i] = *t;
			return VG_OK;
		}
	return VG_ETOOBIG;
}

static void
last_used(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_token_info v[8];
	struct vg_auth_principal p;
	struct vg_err err;
	char *tok = create(fx, VG_AUTH_ROLE_ANALYST, NULL, 0, NULL, NULL);

	memset(v, 0, sizeof(v));
	assert_int_equal(vg_auth_token_list(fx->kb, collect, v, &err), VG_OK);
	assert_int_equal(v[0].last_used_at, 0);

	vg_auth_set_now_for_tests(T0 + 10);
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_OK);
	/* Within the minute: not written again. */
	vg_auth_set_now_for_tests(T0 + 69);
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_OK);
	memset(v, 0, sizeof(v));
	assert_int_equal(vg_auth_token_list(fx->kb, collect, v, &err), VG_OK);
	assert_int_equal(v[0].last_used_at, T0 + 10);
	vg_auth_set_now_for_tests(T0 + 70);
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_OK);
	memset(v, 0, sizeof(v));
	assert_int_equal(vg_auth_token_list(fx->kb, collect, v, &err), VG_OK);
	assert_int_equal(v[0].last_used_at, T0 + 70);
	vg_auth_token_free(tok);
}

static void
wrong_tokens(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_principal p;
	struct vg_err err;
	char *tok = create(fx, VG_AUTH_ROLE_ADMIN, NULL, 0, NULL, NULL);
	char bad[VG_AUTH_TOKEN_LEN + 2];

	/* Same public id, one character of the secret changed. */
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[30] = bad[30] == 'A' ? 'B' : 'A';
	assert_int_equal(vg_auth_token_verify(fx->kb, bad, &p, &err), VG_EPERM);
	assert_string_equal(err.msg, "unknown token");
	assert_int_equal(p.id, 0);
	/* Truncated, extended, wrong tag, bad alphabet, empty, NULL. */
	snprintf(bad, sizeof(bad), "%.46s", tok);
	assert_int_equal(vg_auth_token_verify(fx->kb, bad, &p, &err), VG_EPERM);
	snprintf(bad, sizeof(bad), "%sA", tok);
	assert_int_equal(vg_auth_token_verify(fx->kb, bad, &p, &err), VG_EPERM);
	snprintf(bad, sizeof(bad), "vgx_%s", tok + 4);
	assert_int_equal(vg_auth_token_verify(fx->kb, bad, &p, &err), VG_EPERM);
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[20] = '+';
	assert_int_equal(vg_auth_token_verify(fx->kb, bad, &p, &err), VG_EPERM);
	assert_string_equal(err.msg, "not a vigil token");
	assert_int_equal(vg_auth_token_verify(fx->kb, "", &p, &err), VG_EPERM);
	assert_int_equal(vg_auth_token_verify(fx->kb, NULL, &p, &err), VG_EPERM);
	/* The public id alone is not a token; the real token still is. */
	snprintf(bad, sizeof(bad), "%.12s", tok);
	assert_int_equal(vg_auth_token_verify(fx->kb, bad, &p, &err), VG_EPERM);
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_OK);
	vg_auth_token_free(tok);
}

static void
expiry(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_token_info info, v[8];
	struct vg_auth_principal p;
	struct vg_err err;
	char *tok = create(fx, VG_AUTH_ROLE_ANALYST, "week", 7, NULL, &info);

	assert_int_equal(info.expires_at, T0 + 7 * DAY);
	vg_auth_set_now_for_tests(T0 + 7 * DAY - 1);
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_OK);
	assert_true(vg_auth_token_active(&info, T0 + 7 * DAY - 1));
	vg_auth_set_now_for_tests(T0 + 7 * DAY);
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_EPERM);
	assert_non_null(strstr(err.msg, "expired"));
	assert_false(vg_auth_token_active(&info, T0 + 7 * DAY));
	memset(v, 0, sizeof(v));
	assert_int_equal(vg_auth_token_list(fx->kb, collect, v, &err), VG_OK);
	assert_int_equal(v[0].expires_at, T0 + 7 * DAY);
	assert_int_equal(v[0].last_used_at, T0 + 7 * DAY - 1);
	vg_auth_token_free(tok);
}

static void
revoke_forms(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_token_info a, b, c, r;
	struct vg_auth_principal p;
	struct vg_err err;
	char *ta = create(fx, VG_AUTH_ROLE_ANALYST, "a", 0, NULL, &a);
	char *tb = create(fx, VG_AUTH_ROLE_ANALYST, "b", 0, NULL, &b);
	char *tc = create(fx, VG_AUTH_ROLE_ANALYST, "c", 0, NULL, &c);
	char num[24];

	/* By number. */
	vg_auth_set_now_for_tests(T0 + 5);
	snprintf(num, sizeof(num), "%lld", (long long)a.id);
	assert_int_equal(vg_auth_token_revoke(fx->kb, num, &r, &err), VG_OK);
	assert_int_equal(r.id, a.id);
	assert_int_equal(r.revoked_at, T0 + 5);
	assert_int_equal(vg_auth_token_verify(fx->kb, ta, &p, &err), VG_EPERM);
	assert_non_null(strstr(err.msg, "revoked"));
	assert_int_equal(vg_auth_token_verify(fx->kb, tb, &p, &err), VG_OK);
	/* Again: still revoked, at the first time. */
	vg_auth_set_now_for_tests(T0 + 50);
	assert_int_equal(vg_auth_token_revoke(fx->kb, num, &r, &err), VG_OK);
	assert_int_equal(r.revoked_at, T0 + 5);
	/* By public id and by the token itself. */
	assert_int_equal(vg_auth_token_revoke(fx->kb, b.prefix, &r, &err), VG_OK);
	assert_int_equal(r.id, b.id);
	assert_int_equal(vg_auth_token_verify(fx->kb, tb, &p, &err), VG_EPERM);
	assert_int_equal(vg_auth_token_revoke(fx->kb, tc, &r, &err), VG_OK);
	assert_int_equal(r.id, c.id);
	assert_int_equal(r.revoked_at, T0 + 50);
	assert_int_equal(vg_auth_token_verify(fx->kb, tc, &p, &err), VG_EPERM);
	/* Unknown and malformed. */
	assert_int_equal(vg_auth_token_revoke(fx->kb, "99", NULL, &err), VG_ENOTFOUND);
	assert_int_equal(vg_auth_token_revoke(fx->kb, "vgt_00000000", NULL, &err), VG_ENOTFOUND);
	assert_int_equal(vg_auth_token_revoke(fx->kb, "", NULL, &err), VG_EINVAL);
	assert_int_equal(vg_auth_token_revoke(fx->kb, "1; DROP TABLE api_token", NULL, &err),
			 VG_EINVAL);
	assert_int_equal(vg_auth_token_revoke(fx->kb, "vgt_0000000", NULL, &err), VG_EINVAL);
	vg_auth_token_free(ta);
	vg_auth_token_free(tb);
	vg_auth_token_free(tc);
}

static void
bad_arguments(void **state)
{
	struct fx *fx = *state;
	struct vg_err err;
	char *tok = (char *)"x";
	char longname[VG_AUTH_NAME_MAX + 2];

	assert_int_equal(vg_auth_token_create(fx->kb, VG_AUTH_ROLE_ANALYST, NULL, 0, "dev-1", &tok,
					      NULL, &err),
			 VG_EINVAL);
	assert_null(tok);
	assert_int_equal(vg_auth_token_create(fx->kb, VG_AUTH_ROLE_ANALYST, NULL, -1, NULL, &tok,
					      NULL, &err),
			 VG_EINVAL);
	assert_int_equal(vg_auth_token_create(fx->kb, VG_AUTH_ROLE_ANALYST, NULL,
					      VG_AUTH_EXPIRES_MAX_DAYS + 1, NULL, &tok, NULL, &err),
			 VG_EINVAL);
	assert_int_equal(vg_auth_token_create(fx->kb, VG_AUTH_ROLE_ANALYST, "a\nb", 0, NULL, &tok,
					      NULL, &err),
			 VG_EINVAL);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(vg_auth_token_create(fx->kb, VG_AUTH_ROLE_ANALYST, longname, 0, NULL, &tok,
					      NULL, &err),
			 VG_EINVAL);
	assert_int_equal(
		vg_auth_token_create(fx->kb, VG_AUTH_ROLE_N, NULL, 0, NULL, &tok, NULL, &err),
		VG_EINVAL);
	assert_null(tok);
}

static void
agent_device(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_token_info info;
	struct vg_auth_principal p;
	struct vg_err err;
	char *tok = create(fx, VG_AUTH_ROLE_AGENT, "web-01", 0, "3f2a9c1e-dev", &info);

	assert_string_equal(info.device_id, "3f2a9c1e-dev");
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_OK);
	assert_int_equal(p.role, VG_AUTH_ROLE_AGENT);
	assert_string_equal(p.device_id, "3f2a9c1e-dev");
	assert_true(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, "3f2a9c1e-dev"));
	assert_false(vg_auth_principal_allows(&p, VG_AUTH_AGENT_INGEST, "other"));
	assert_false(vg_auth_principal_allows(&p, VG_AUTH_READ, NULL));
	vg_auth_token_free(tok);
}

/* ---- list -------------------------------------------------------------------------------- */

static void
list(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_token_info v[8];
	struct vg_err err;
	char *t1, *t2, *t3;

	memset(v, 0, sizeof(v));
	assert_int_equal(vg_auth_token_list(fx->kb, collect, v, &err), VG_OK);
	assert_int_equal(v[0].id, 0);
	t1 = create(fx, VG_AUTH_ROLE_ADMIN, "first admin", 0, NULL, NULL);
	vg_auth_set_now_for_tests(T0 + DAY);
	t2 = create(fx, VG_AUTH_ROLE_ENROLL, NULL, 30, NULL, NULL);
	vg_auth_set_now_for_tests(T0 + 2 * DAY);
	t3 = create(fx, VG_AUTH_ROLE_AGENT, "db-02", 0, "dev-db-02", NULL);
	assert_int_equal(vg_auth_token_revoke(fx->kb, "1", NULL, &err), VG_OK);

	assert_int_equal(vg_auth_token_list(fx->kb, collect, v, &err), VG_OK);
	/* Newest first. */
	assert_int_equal(v[0].id, 3);
	assert_int_equal(v[0].role, VG_AUTH_ROLE_AGENT);
	assert_string_equal(v[0].name, "db-02");
	assert_string_equal(v[0].device_id, "dev-db-02");
	assert_int_equal(v[0].created_at, T0 + 2 * DAY);
	assert_memory_equal(v[0].prefix, t3, VG_AUTH_PREFIX_LEN);
	assert_int_equal(v[1].id, 2);
	assert_int_equal(v[1].role, VG_AUTH_ROLE_ENROLL);
	assert_string_equal(v[1].name, "");
	assert_int_equal(v[1].expires_at, T0 + 31 * DAY);
	assert_memory_equal(v[1].prefix, t2, VG_AUTH_PREFIX_LEN);
	assert_int_equal(v[2].id, 1);
	assert_int_equal(v[2].revoked_at, T0 + 2 * DAY);
	assert_false(vg_auth_token_active(&v[2], T0 + 2 * DAY));
	assert_true(vg_auth_token_active(&v[1], T0 + 2 * DAY));
	assert_int_equal(v[3].id, 0);
	/* The callback stops the walk and its code is returned: one free slot, three rows. */
	memset(v, 0, sizeof(v));
	for (int i = 0; i < 7; i++)
		v[i].id = -1;
	assert_int_equal(vg_auth_token_list(fx->kb, collect, v, &err), VG_ETOOBIG);
	assert_int_equal(v[7].id, 3);
	vg_auth_token_free(t1);
	vg_auth_token_free(t2);
	vg_auth_token_free(t3);
}

/* ---- storage ----------------------------------------------------------------------------- */

/* The bytes of @path (and of its -wal file, if any) as one malloc'd buffer. */
static unsigned char *
slurp_db(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	char p[160];

	*len = 0;
	for (int k = 0; k < 2; k++) {
		FILE *f;
		long n;

		snprintf(p, sizeof(p), k ? "%s-wal" : "%s", path);
		f = fopen(p, "rb");
		if (!f)
			continue;
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		n = ftell(f);
		assert_true(n >= 0);
		rewind(f);
		buf = realloc(buf, *len + (size_t)n + 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf + *len, 1, (size_t)n, f), (size_t)n);
		*len += (size_t)n;
		fclose(f);
	}
	return buf;
}

static bool
contains(const unsigned char *hay, size_t n, const void *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

static void
never_in_clear(void **state)
{
	struct fx *fx = *state;
	unsigned char digest[32], *bytes;
	struct vg_auth_token_info info;
	struct vg_err err;
	size_t n;
	char *tok = create(fx, VG_AUTH_ROLE_ADMIN, "root token", 0, NULL, &info);

	assert_int_equal(crypto_generichash(digest, sizeof(digest), (const unsigned char *)tok,
					    strlen(tok), NULL, 0),
			 0);
	/* Look at the bytes both before and after the WAL is checkpointed (close). */
	for (int pass = 0; pass < 2; pass++) {
		bytes = slurp_db(fx->path, &n);
		assert_non_null(bytes);
		assert_false(contains(bytes, n, tok, strlen(tok)));
		/* Not even the secret part after the public id. */
		assert_false(contains(bytes, n, tok + VG_AUTH_PREFIX_LEN, 16));
		assert_true(contains(bytes, n, digest, sizeof(digest)));
		assert_true(contains(bytes, n, info.prefix, strlen(info.prefix)));
		free(bytes);
		vg_kb_close(fx->kb);
		assert_int_equal(vg_kb_open(fx->path, 0, &fx->kb, &err), VG_OK);
	}
	assert_true(vg_kb_schema_version(fx->kb) >= 2);
	vg_auth_token_free(tok);
}

static void
read_only(void **state)
{
	struct fx *fx = *state;
	struct vg_auth_token_info v[8];
	struct vg_auth_principal p;
	struct vg_err err;
	char *tok = create(fx, VG_AUTH_ROLE_ANALYST, NULL, 0, NULL, NULL), *t2 = NULL;

	vg_kb_close(fx->kb);
	assert_int_equal(vg_kb_open(fx->path, VG_KB_READONLY, &fx->kb, &err), VG_OK);
	vg_auth_set_now_for_tests(T0 + 1000);
	assert_int_equal(vg_auth_token_verify(fx->kb, tok, &p, &err), VG_OK);
	assert_int_equal(
		vg_auth_token_create(fx->kb, VG_AUTH_ROLE_ADMIN, NULL, 0, NULL, &t2, NULL, &err),
		VG_EPERM);
	assert_int_equal(vg_auth_token_revoke(fx->kb, "1", NULL, &err), VG_EPERM);
	memset(v, 0, sizeof(v));
	assert_int_equal(vg_auth_token_list(fx->kb, collect, v, &err), VG_OK);
	assert_int_equal(v[0].last_used_at, 0); /* not written on a read-only kb */
	assert_int_equal(v[0].revoked_at, 0);
	vg_auth_token_free(tok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(role_names),
		cmocka_unit_test(role_matrix),
		cmocka_unit_test(principal_device_rule),
		cmocka_unit_test_setup_teardown(create_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(last_used, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(revoke_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(agent_device, setup, teardown),
		cmocka_unit_test_setup_teardown(list, setup, teardown),
		cmocka_unit_test_setup_teardown(never_in_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
