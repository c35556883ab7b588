/*
 * auth.c - API tokens in the store (auth.h, docs/internals/auth.md).
 *
 * Token operations are rare next to the knowledge-base queries (one
 * verification per HTTP request at most), so statements are prepared per
 * call rather than added to the kb's statement cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "core/alloc.h"
#include "store/auth.h"
#include "store/kb_int.h"
#include "store/sqlite_util.h"

#define TOKEN_TAG             "vgt_"
#define TOKEN_TAG_LEN         4
#define TOKEN_RANDOM_BYTES    32
#define DIGEST_LEN            crypto_generichash_BYTES /* 32: BLAKE2b-256 */
/* Write last_used_at at most this often, so that verification rarely writes. */
#define LAST_USED_GRANULARITY 60
/* A fresh token whose public id is already taken is drawn again this many times. */
#define CREATE_ATTEMPTS       4

#define INFO_COLS                                                                 \
	"id, prefix, name, role, device_id, created_at, expires_at, revoked_at, " \
	"last_used_at"

static const char *const role_names[VG_AUTH_ROLE_N] = {
	[VG_AUTH_ROLE_ADMIN] = "admin",     [VG_AUTH_ROLE_SECURITY_ADMIN] = "securityAdmin",
	[VG_AUTH_ROLE_ANALYST] = "analyst", [VG_AUTH_ROLE_IT_ADMIN] = "itAdmin",
	[VG_AUTH_ROLE_AGENT] = "agent",     [VG_AUTH_ROLE_ENROLL] = "enroll",
};

#define BIT(a) (1u << (a))

/* The permission matrix: one bit per enum vg_auth_action. */
static const unsigned role_actions[VG_AUTH_ROLE_N] = {
	[VG_AUTH_ROLE_ADMIN] = BIT(VG_AUTH_ACTION_N) - 1,
	[VG_AUTH_ROLE_SECURITY_ADMIN] =
		BIT(VG_AUTH_READ) | BIT(VG_AUTH_WRITE_REMEDIATION) | BIT(VG_AUTH_WRITE_CONFIG),
	[VG_AUTH_ROLE_ANALYST] = BIT(VG_AUTH_READ),
	[VG_AUTH_ROLE_IT_ADMIN] = BIT(VG_AUTH_READ) | BIT(VG_AUTH_WRITE_REMEDIATION),
	[VG_AUTH_ROLE_AGENT] = BIT(VG_AUTH_AGENT_INGEST),
	[VG_AUTH_ROLE_ENROLL] = BIT(VG_AUTH_ENROLL),
};

static int64_t now_for_tests;

int64_t
vg_auth_now(void)
{
	return now_for_tests ? now_for_tests : (int64_t)time(NULL);
}

void
vg_auth_set_now_for_tests(int64_t now)
{
	now_for_tests = now;
}

/* ---- roles --------------------------------------------------------------------------- */

int
vg_auth_role_parse(const char *s, enum vg_auth_role *out)
{
	if (!s)
		return VG_EINVAL;
	for (int r = 0; r < VG_AUTH_ROLE_N; r++) {
		if (strcasecmp(s, role_names[r]) == 0) {
			*out = (enum vg_auth_role)r;
			return VG_OK;
		}
	}
	return VG_EINVAL;
}

const char *
vg_auth_role_name(enum vg_auth_role role)
{
	if ((unsigned)role >= VG_AUTH_ROLE_N)
		return "?";
	return role_names[role];
}

bool
vg_auth_role_allows(enum vg_auth_role role, enum vg_auth_action action)
{
	if ((unsigned)role >= VG_AUTH_ROLE_N || (unsigned)action >= VG_AUTH_ACTION_N)
		return false;
	return (role_actions[role] & BIT(action)) != 0;
}

bool
vg_auth_principal_allows(const struct vg_auth_principal *p, enum vg_auth_action action,
			 const char *device_id)
{
	if (!vg_auth_role_allows(p->role, action))
		return false;
	if (p->role != VG_AUTH_ROLE_AGENT || action != VG_AUTH_AGENT_INGEST)
		return true;
	return p->device_id[0] && device_id && strcmp(p->device_id, device_id) == 0;
}

bool
vg_auth_token_active(const struct vg_auth_token_info *t, int64_t now)
{
	return t->revoked_at == 0 && (t->expires_at == 0 || now < t->expires_at);
}

/* ---- helpers ------------------------------------------------------------------------- */

static int
prepare(struct vg_kb *kb, const char *sql, sqlite3_stmt **st, struct vg_err *err)
{
	int rc = sqlite3_prepare_v2(kb->db, sql, -1, st, NULL);

	if (rc != SQLITE_OK) {
		*st = NULL;
		return vg_sql_error(err, kb->db, rc, "api tokens");
	}
	return VG_OK;
}

/* Column @col as text into @out (size @n, truncated), "" for NULL. */
static void
col_copy(sqlite3_stmt *st, int col, char *out, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(out, n, "%s", s ? (const char *)s : "");
}

/* Fill @t from a row of INFO_COLS. */
static void
read_info(sqlite3_stmt *st, struct vg_auth_token_info *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, t->prefix, sizeof(t->prefix));
	col_copy(st, 2, t->name, sizeof(t->name));
	/* The CHECK constraint keeps role one of the names. */
	if (vg_auth_role_parse((const char *)sqlite3_column_text(st, 3), &t->role) != VG_OK)
		t->role = VG_AUTH_ROLE_N;
	col_copy(st, 4, t->device_id, sizeof(t->device_id));
	t->created_at = sqlite3_column_int64(st, 5);
	t->expires_at = sqlite3_column_int64(st, 6);
	t->revoked_at = sqlite3_column_int64(st, 7);
	t->last_used_at = sqlite3_column_int64(st, 8);
}

static void
bind_opt_int(sqlite3_stmt *st, int idx, int64_t v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = v ? sqlite3_bind_int64(st, idx, v) : sqlite3_bind_null(st, idx);
}

static void
bind_digest(sqlite3_stmt *st, int idx, const unsigned char *d, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_blob(st, idx, d, DIGEST_LEN, SQLITE_STATIC);
}

static int
digest_of(const char *token, unsigned char out[DIGEST_LEN])
{
	return crypto_generichash(out, DIGEST_LEN, (const unsigned char *)token, strlen(token),
				  NULL, 0) == 0
		       ? VG_OK
		       : VG_EIO;
}

/* Whether @s has the shape of a token: the tag and 43 base64url characters. */
static bool
token_shaped(const char *s)
{
	size_t n = strnlen(s, VG_AUTH_TOKEN_LEN + 1);

	if (n != VG_AUTH_TOKEN_LEN || memcmp(s, TOKEN_TAG, TOKEN_TAG_LEN) != 0)
		return false;
	return strspn(s + TOKEN_TAG_LEN, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789-_") == VG_AUTH_TOKEN_LEN - TOKEN_TAG_LEN;
}

/* Names and device ids: printable, no control characters (they end up in tables and logs). */
static bool
text_ok(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int
writable(struct vg_kb *kb, const char *what, struct vg_err *err)
{
	if (kb->flags & VG_KB_READONLY)
		return vg_error(err, VG_EPERM, "%s: the knowledge base is open read-only", what);
	return VG_OK;
}

/* ---- create -------------------------------------------------------------------------- */

static int
check_create_args(enum vg_auth_role role, const char *name, int expires_days, const char *device_id,
		  struct vg_err *err)
{
	if ((unsigned)role >= VG_AUTH_ROLE_N)
		return vg_error(err, VG_EINVAL, "unknown role %d", (int)role);
	if (name && name[0] && !text_ok(name, VG_AUTH_NAME_MAX))
		return vg_error(err, VG_EINVAL,
				"token name: at most %d bytes, no control characters",
				VG_AUTH_NAME_MAX);
	if (expires_days < 0 || expires_days > VG_AUTH_EXPIRES_MAX_DAYS)
		return vg_error(err, VG_EINVAL, "expiry of %d days: want 0 (never) to %d",
				expires_days, VG_AUTH_EXPIRES_MAX_DAYS);
	if (device_id && role != VG_AUTH_ROLE_AGENT)
		return vg_error(err, VG_EINVAL, "only an agent token belongs to a device, not '%s'",
				role_names[role]);
	if (device_id && !text_ok(device_id, VG_AUTH_DEVICE_MAX))
		return vg_error(err, VG_EINVAL, "device id: 1 to %d bytes, no control characters",
				VG_AUTH_DEVICE_MAX);
	return VG_OK;
}

/* A fresh random token in @tok (VG_AUTH_TOKEN_LEN + 1 bytes). */
static void
new_token(char *tok)
{
	unsigned char raw[TOKEN_RANDOM_BYTES];

	randombytes_buf(raw, sizeof(raw));
	memcpy(tok, TOKEN_TAG, TOKEN_TAG_LEN);
	sodium_bin2base64(tok + TOKEN_TAG_LEN, VG_AUTH_TOKEN_LEN - TOKEN_TAG_LEN + 1, raw,
			  sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

/*
 * Insert @tok; VG_EEXIST when its public id is taken (a 2^-48 event per
 * existing token, but the UNIQUE constraint says so rather than us hoping).
 */
static int
insert_token(struct vg_kb *kb, const char *tok, const struct vg_auth_token_info *t,
	     struct vg_err *err)
{
	static const char sql[] = "INSERT INTO api_token (prefix, digest, name, role, device_id, "
				  "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	unsigned char d[DIGEST_LEN];
	sqlite3_stmt *st;
	int rc = prepare(kb, sql, &st, err), src = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	if (digest_of(tok, d) != VG_OK) {
		sqlite3_finalize(st);
		return vg_error(err, VG_EIO, "cannot hash the token");
	}
	vg_sql_bind_text(st, 1, t->prefix, &src);
	bind_digest(st, 2, d, &src);
	vg_sql_bind_text(st, 3, t->name[0] ? t->name : NULL, &src);
	vg_sql_bind_text(st, 4, role_names[t->role], &src);
	vg_sql_bind_text(st, 5, t->device_id[0] ? t->device_id : NULL, &src);
	vg_sql_bind_int(st, 6, t->created_at, &src);
	bind_opt_int(st, 7, t->expires_at, &src);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	if (src == SQLITE_DONE)
		rc = VG_OK;
	else if (src == SQLITE_CONSTRAINT_UNIQUE)
		rc = VG_EEXIST;
	else
		rc = vg_sql_error(err, kb->db, src, "creating a token");
	sqlite3_finalize(st);
	return rc;
}

int
vg_auth_token_create(struct vg_kb *kb, enum vg_auth_role role, const char *name, int expires_days,
		     const char *device_id, char **token_out, struct vg_auth_token_info *info,
		     struct vg_err *err)
{
	struct vg_auth_token_info t = {.role = role};
	char *tok;
	int rc;

	*token_out = NULL;
	rc = check_create_args(role, name, expires_days, device_id, err);
	if (rc == VG_OK)
		rc = writable(kb, "creating a token", err);
	if (rc != VG_OK)
		return rc;
	if (sodium_init() < 0)
		return vg_error(err, VG_EIO, "libsodium cannot be initialised");
	snprintf(t.name, sizeof(t.name), "%s", name ? name : "");
	snprintf(t.device_id, sizeof(t.device_id), "%s", device_id ? device_id : "");
	t.created_at = vg_auth_now();
	t.expires_at = expires_days ? t.created_at + (int64_t)expires_days * 86400 : 0;
	tok = vg_xmalloc(VG_AUTH_TOKEN_LEN + 1);
	rc = VG_EEXIST;
	for (int i = 0; i < CREATE_ATTEMPTS && rc == VG_EEXIST; i++) {
		new_token(tok);
		snprintf(t.prefix, sizeof(t.prefix), "%.*s", VG_AUTH_PREFIX_LEN, tok);
		rc = insert_token(kb, tok, &t, err);
	}
	if (rc != VG_OK) {
		vg_auth_token_free(tok);
		if (rc == VG_EEXIST)
			return vg_error(err, VG_EIO, "cannot draw an unused token id");
		return rc;
	}
	t.id = sqlite3_last_insert_rowid(kb->db);
	if (info)
		*info = t;
	*token_out = tok;
	return VG_OK;
}

void
vg_auth_token_free(char *token)
{
	if (!token)
		return;
	sodium_memzero(token, strlen(token));
	free(token);
}

/* ---- verify -------------------------------------------------------------------------- */

/* Record the use of token @id at @now, unless recorded less than a minute ago. */
static int
touch(struct vg_kb *kb, int64_t id, int64_t now, struct vg_err *err)
{
	static const char sql[] = "UPDATE api_token SET last_used_at = ?1 WHERE id = ?2 AND "
				  "(last_used_at IS NULL OR last_used_at <= ?1 - ?3)";
	sqlite3_stmt *st;
	int rc = prepare(kb, sql, &st, err), src = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	vg_sql_bind_int(st, 1, now, &src);
	vg_sql_bind_int(st, 2, id, &src);
	vg_sql_bind_int(st, 3, LAST_USED_GRANULARITY, &src);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	rc = src == SQLITE_DONE ? VG_OK : vg_sql_error(err, kb->db, src, "recording a token use");
	sqlite3_finalize(st);
	return rc;
}

/*
 * The row whose digest is @d into @t.  VG_ENOTFOUND when none; the stored
 * digest is compared again in constant time, so that the answer does not
 * hang on how SQLite compares blobs.
 */
static int
find_by_digest(struct vg_kb *kb, const unsigned char *d, struct vg_auth_token_info *t,
	       struct vg_err *err)
{
	static const char sql[] = "SELECT " INFO_COLS ", digest FROM api_token WHERE digest = ?";
	sqlite3_stmt *st;
	int rc = prepare(kb, sql, &st, err), src = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	bind_digest(st, 1, d, &src);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		const void *stored = sqlite3_column_blob(st, 9);

		rc = VG_ENOTFOUND;
		if (stored && sqlite3_column_bytes(st, 9) == DIGEST_LEN &&
		    sodium_memcmp(stored, d, DIGEST_LEN) == 0) {
			read_info(st, t);
			rc = VG_OK;
		}
	} else if (src == SQLITE_DONE) {
		rc = VG_ENOTFOUND;
	} else {
		rc = vg_sql_error(err, kb->db, src, "looking up a token");
	}
	sqlite3_finalize(st);
	return rc;
}

int
vg_auth_token_verify(struct vg_kb *kb, const char *token, struct vg_auth_principal *out,
		     struct vg_err *err)
{
	unsigned char d[DIGEST_LEN];
	struct vg_auth_token_info t;
	int64_t now = vg_auth_now();
	int rc;

	memset(out, 0, sizeof(*out));
	if (!token || !token_shaped(token))
		return vg_error(err, VG_EPERM, "not a vigil token");
	if (digest_of(token, d) != VG_OK)
		return vg_error(err, VG_EIO, "cannot hash the token");
	rc = find_by_digest(kb, d, &t, err);
	if (rc == VG_ENOTFOUND)
		return vg_error(err, VG_EPERM, "unknown token");
	if (rc != VG_OK)
		return rc;
	if (t.revoked_at)
		return vg_error(err, VG_EPERM, "token '%s' is revoked", t.prefix);
	if (t.expires_at && now >= t.expires_at)
		return vg_error(err, VG_EPERM, "token '%s' has expired", t.prefix);
	if (t.role >= VG_AUTH_ROLE_N)
		return vg_error(err, VG_EPERM, "token '%s' has an unknown role", t.prefix);
	if (!(kb->flags & VG_KB_READONLY)) {
		rc = touch(kb, t.id, now, err);
		if (rc != VG_OK)
			return rc;
	}
	out->id = t.id;
	out->role = t.role;
	memcpy(out->prefix, t.prefix, sizeof(out->prefix));
	memcpy(out->name, t.name, sizeof(out->name));
	memcpy(out->device_id, t.device_id, sizeof(out->device_id));
	return VG_OK;
}

/* ---- list ---------------------------------------------------------------------------- */

int
vg_auth_token_list(struct vg_kb *kb, int (*cb)(void *ctx, const struct vg_auth_token_info *t),
		   void *ctx, struct vg_err *err)
{
	static const char sql[] = "SELECT " INFO_COLS " FROM api_token ORDER BY id DESC";
	struct vg_auth_token_info t;
	sqlite3_stmt *st;
	int rc = prepare(kb, sql, &st, err), src;

	if (rc != VG_OK)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		read_info(st, &t);
		rc = cb(ctx, &t);
		if (rc != VG_OK)
			break;
	}
	if (rc == VG_OK && src != SQLITE_DONE)
		rc = vg_sql_error(err, kb->db, src, "listing tokens");
	sqlite3_finalize(st);
	return rc;
}

/* ---- revoke -------------------------------------------------------------------------- */

/* The WHERE clause for @key and what to bind to it as ?1 (a number, a text or a digest). */
struct selector {
	const char *where;
	enum { SEL_ID, SEL_PREFIX, SEL_DIGEST } kind;
	int64_t id;
	const char *prefix;
	unsigned char digest[DIGEST_LEN];
};

static int
parse_selector(const char *key, struct selector *sel, struct vg_err *err)
{
	size_t n = key ? strlen(key) : 0;

	memset(sel, 0, sizeof(*sel));
	if (n > 0 && n <= 18 && strspn(key, "0123456789") == n) {
		sel->where = "id = ?1";
		sel->kind = SEL_ID;
		sel->id = strtoll(key, NULL, 10);
		return VG_OK;
	}
	if (n == VG_AUTH_PREFIX_LEN && memcmp(key, TOKEN_TAG, TOKEN_TAG_LEN) == 0) {
		sel->where = "prefix = ?1";
		sel->kind = SEL_PREFIX;
		sel->prefix = key;
		return VG_OK;
	}
	if (token_shaped(key) && digest_of(key, sel->digest) == VG_OK) {
		sel->where = "digest = ?1";
		sel->kind = SEL_DIGEST;
		return VG_OK;
	}
	return vg_error(err, VG_EINVAL,
			"'%.40s' is not a token number, public id (vgt_XXXXXXXX) or token",
			key ? key : "");
}

/*
 * Run "@verb <sel>" with the key as ?1 and @now as ?2 when @verb uses it.
 * With @t, the statement is a SELECT: its row goes to @t, VG_ENOTFOUND
 * without one.
 */
static int
run_selected(struct vg_kb *kb, const char *verb, const struct selector *sel, int64_t now,
	     struct vg_auth_token_info *t, struct vg_err *err)
{
	char sql[256];
	sqlite3_stmt *st;
	int rc, src = SQLITE_OK;

	/* Constant SQL fragments of this file only: the key itself is bound. */
	snprintf(sql, sizeof(sql), "%s %s", verb, sel->where);
	rc = prepare(kb, sql, &st, err);
	if (rc != VG_OK)
		return rc;
	if (sel->kind == SEL_PREFIX)
		vg_sql_bind_text(st, 1, sel->prefix, &src);
	else if (sel->kind == SEL_DIGEST)
		bind_digest(st, 1, sel->digest, &src);
	else
		vg_sql_bind_int(st, 1, sel->id, &src);
	if (src == SQLITE_OK && sqlite3_bind_parameter_count(st) == 2)
		src = sqlite3_bind_int64(st, 2, now);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	if (src == SQLITE_ROW && t) {
		read_info(st, t);
		rc = VG_OK;
	} else if (src == SQLITE_DONE) {
		rc = t ? VG_ENOTFOUND : VG_OK;
	} else {
		rc = vg_sql_error(err, kb->db, src, "revoking a token");
	}
	sqlite3_finalize(st);
	return rc;
}

int
vg_auth_token_revoke(struct vg_kb *kb, const char *id_or_prefix, struct vg_auth_token_info *info,
		     struct vg_err *err)
{
	struct vg_auth_token_info t;
	struct selector sel;
	int rc;

	rc = parse_selector(id_or_prefix, &sel, err);
	if (rc == VG_OK)
		rc = writable(kb, "revoking a token", err);
	if (rc != VG_OK)
		return rc;
	/* ?1 is the key, ?2 the time: COALESCE keeps the first revocation. */
	rc = run_selected(kb, "UPDATE api_token SET revoked_at = COALESCE(revoked_at, ?2) WHERE",
			  &sel, vg_auth_now(), NULL, err);
	if (rc == VG_OK)
		rc = run_selected(kb, "SELECT " INFO_COLS " FROM api_token WHERE", &sel, 0, &t,
				  err);
	if (rc == VG_ENOTFOUND)
		return vg_error(err, VG_ENOTFOUND, "no token '%.40s'", id_or_prefix);
	if (rc == VG_OK && info)
		*info = t;
	return rc;
}
