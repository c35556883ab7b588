/*
 * auth.h - API tokens: bearer tokens with a role, kept in the store.
 *
 * A token is "vgt_" followed by 32 random bytes in unpadded base64url (47
 * characters).  It is returned once, at creation; the store keeps only its
 * BLAKE2b-256 digest (found through a unique index, then compared with
 * sodium_memcmp()), and in clear only the public id "vgt_" + the first 8
 * characters of the random part (48 of its 256 bits), which `vigil token
 * list` shows so that a person can tell which token is which.
 *
 * Roles and what they may do are fixed (ARCHITECTURE.md §API): see
 * vg_auth_role_allows().  Times are Unix seconds (UTC); 0 means "none".
 * docs/internals/auth.md is the description.  Threading: as kb.h, one
 * struct vg_kb per thread.
 */
#ifndef VG_STORE_AUTH_H
#define VG_STORE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"
#include "store/kb.h"

/* "vgt_" + 43 base64url characters. */
#define VG_AUTH_TOKEN_LEN        47
/* The public id: "vgt_" + the first 8 characters of the random part. */
#define VG_AUTH_PREFIX_LEN       12
/* Longest token name and device id, in bytes (names are printable UTF-8). */
#define VG_AUTH_NAME_MAX         128
#define VG_AUTH_DEVICE_MAX       128
/* Longest expiry accepted by vg_auth_token_create(), in days (10 years). */
#define VG_AUTH_EXPIRES_MAX_DAYS 3650

enum vg_auth_role {
	VG_AUTH_ROLE_ADMIN,          /* "admin": everything */
	VG_AUTH_ROLE_SECURITY_ADMIN, /* "securityAdmin" */
	VG_AUTH_ROLE_ANALYST,        /* "analyst": read only */
	VG_AUTH_ROLE_IT_ADMIN,       /* "itAdmin": remediation */
	VG_AUTH_ROLE_AGENT,          /* "agent": reports of its own device */
	VG_AUTH_ROLE_ENROLL,         /* "enroll": agent enrolment only */
	VG_AUTH_ROLE_N
};

/* Classes of API operation; each endpoint names the one it needs. */
enum vg_auth_action {
	VG_AUTH_READ,              /* GET anything under /api */
	VG_AUTH_WRITE_REMEDIATION, /* create and update remediation tasks */
	VG_AUTH_WRITE_CONFIG,      /* security settings, exceptions, device groups */
	VG_AUTH_ADMIN,             /* tokens, users, server settings */
	VG_AUTH_AGENT_INGEST,      /* /agent/v1 reports (an agent: its own device only) */
	VG_AUTH_ENROLL,            /* /agent/v1 enrolment */
	VG_AUTH_ACTION_N
};

/* Who a verified token speaks for. */
struct vg_auth_principal {
	int64_t id; /* api_token.id */
	enum vg_auth_role role;
	char prefix[VG_AUTH_PREFIX_LEN + 1];
	char name[VG_AUTH_NAME_MAX + 1];        /* "" when the token has none */
	char device_id[VG_AUTH_DEVICE_MAX + 1]; /* "" when the token has none */
};

/* A token as listed (never the token itself nor its digest). */
struct vg_auth_token_info {
	int64_t id;
	enum vg_auth_role role;
	char prefix[VG_AUTH_PREFIX_LEN + 1];
	char name[VG_AUTH_NAME_MAX + 1];
	char device_id[VG_AUTH_DEVICE_MAX + 1];
	int64_t created_at;
	int64_t expires_at; /* 0: never */
	int64_t revoked_at; /* 0: not revoked */
	int64_t last_used_at;
};

/**
 * The role named @s ("admin", "securityAdmin", "analyst", "itAdmin",
 * "agent", "enroll"; ASCII case does not matter) in *@out.  VG_EINVAL for
 * anything else (NULL included).
 */
int vg_auth_role_parse(const char *s, enum vg_auth_role *out /* OUT */) VG_MUST_CHECK;

/** The canonical name of @role (a static string; "?" when out of range). */
const char *vg_auth_role_name(enum vg_auth_role role);

/**
 * Whether @role may perform @action: admin everything; securityAdmin read,
 * remediation and configuration (settings, exceptions); itAdmin read and
 * remediation; analyst read; agent only ingest (the caller also checks the
 * device with vg_auth_principal_allows()); enroll only enrolment.  false
 * for out-of-range values.
 */
bool vg_auth_role_allows(enum vg_auth_role role, enum vg_auth_action action);

/**
 * vg_auth_role_allows() for @p, plus the device rule: an agent token may
 * ingest only for its own device, so for VG_AUTH_AGENT_INGEST @device_id
 * must equal @p->device_id (an agent token without a device may not
 * ingest).  @device_id is ignored for other roles and actions.
 */
bool vg_auth_principal_allows(const struct vg_auth_principal *p, enum vg_auth_action action,
			      const char *device_id);

/**
 * Create a token with @role, @name (NULL or "": none; else 1 to
 * VG_AUTH_NAME_MAX bytes without control characters), expiring after
 * @expires_days days (0: never; at most VG_AUTH_EXPIRES_MAX_DAYS) and, for
 * an agent token only, bound to @device_id (NULL: not bound yet).  On
 * success *@token_out is the token (NUL-terminated, the caller's, to
 * vg_auth_token_free(); it cannot be recovered later) and @info (may be
 * NULL) describes the new row.  VG_EINVAL for a bad argument (a device id
 * on a role other than agent), VG_EPERM on a read-only kb, VG_EIO for
 * store errors; *@token_out is then NULL.
 */
int vg_auth_token_create(struct vg_kb *kb, enum vg_auth_role role, const char *name,
			 int expires_days, const char *device_id, char **token_out /* OUT */,
			 struct vg_auth_token_info *info /* OUT, optional */,
			 struct vg_err *err) VG_MUST_CHECK;

/** Wipe and free a token from vg_auth_token_create().  NULL is a no-op. */
void vg_auth_token_free(char *token);

/**
 * Check bearer token @token (NUL-terminated, untrusted).  VG_OK with *@out
 * filled when it is known, not revoked and not expired (its last_used_at
 * is then updated, at most once a minute, unless @kb is read-only);
 * VG_EPERM for anything else, malformed included (an HTTP server answers
 * 401), with a reason in @err that is safe to log but not meant for the
 * client; VG_EIO for store errors.  The lookup is by digest, so its timing
 * says nothing about the token.
 */
int vg_auth_token_verify(struct vg_kb *kb, const char *token,
			 struct vg_auth_principal *out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/**
 * Call @cb for every token, newest first (revoked and expired ones
 * included; @t is valid during the call).  @cb returns VG_OK to go on,
 * anything else stops the walk and is returned.
 */
int vg_auth_token_list(struct vg_kb *kb, int (*cb)(void *ctx, const struct vg_auth_token_info *t),
		       void *ctx, struct vg_err *err) VG_MUST_CHECK;

/**
 * Revoke the token named by @id_or_prefix: its number ("17"), its public
 * id ("vgt_AbCdEfGh") or the whole token.  Revoking a revoked token is
 * VG_OK and keeps the first revocation time.  VG_ENOTFOUND when no token
 * matches, VG_EINVAL when @id_or_prefix is none of the three forms,
 * VG_EPERM on a read-only kb, VG_EIO for store errors.  @info (may be NULL)
 * receives the token's row after the revocation.
 */
int vg_auth_token_revoke(struct vg_kb *kb, const char *id_or_prefix,
			 struct vg_auth_token_info *info /* OUT, optional */,
			 struct vg_err *err) VG_MUST_CHECK;

/** Whether @t is usable at time @now (not revoked, not expired). */
bool vg_auth_token_active(const struct vg_auth_token_info *t, int64_t now);

/** The current time in Unix seconds, or the time set by vg_auth_set_now_for_tests(). */
int64_t vg_auth_now(void);

/**
 * Tests only: make vg_auth_now() return @now (0: the real clock again).
 * Not thread-safe.
 */
void vg_auth_set_now_for_tests(int64_t now);

#endif /* VG_STORE_AUTH_H */
