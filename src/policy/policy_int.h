/*
 * policy_int.h - private to the policy loader (policy.c, policy_yaml.c).
 *
 * policy_yaml.c turns the YAML text into a small tree of nodes with their
 * positions (libyaml's event API: no aliases, bounded depth and size) and
 * offers typed accessors that fail with "FILE:LINE:COL: message"; policy.c
 * builds Vigil-format checks from that tree, policy_yaml.c the Wazuh ones.
 */
#ifndef VG_POLICY_POLICY_INT_H
#define VG_POLICY_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"
#include "policy/policy.h"

enum vg_pl_type {
	PL_SCALAR,
	PL_SEQ,
	PL_MAP,
};

/*
 * One YAML node.  A mapping's children are its keys (scalars), each with
 * its value in `value`; a sequence's children are its items.
 */
struct vg_pl_node {
	enum vg_pl_type type;
	int line, col; /* 1-based */
	const char *s; /* scalar text, NUL-terminated (no NUL inside) */
	size_t len;    /* scalar length */
	bool plain;    /* scalar written without quotes (so "~" / "" may be null) */
	struct vg_pl_node *first, *last, *next;
	size_t n;                 /* children */
	struct vg_pl_node *value; /* when this node is a mapping key */
};

/* Loader state: the file's name for messages, the output, the error. */
struct vg_pl_ctx {
	const char *name;
	struct vg_policy *p; /* the arena allocates the model */
	struct vg_err *err;
};

/** Fail with "NAME:LINE:COL: message" at @n (NULL: no position), setting err->line/column. */
int vg_pl_fail(struct vg_pl_ctx *c, const struct vg_pl_node *n, int code, const char *fmt, ...)
	VG_PRINTF(4, 5);

/** The value of key @key in the mapping @map, or NULL. */
const struct vg_pl_node *vg_pl_get(const struct vg_pl_node *map, const char *key);

/** Whether @n is a plain null scalar ("", "~", "null"). */
bool vg_pl_is_null(const struct vg_pl_node *n);

/**
 * Check every key of @map against the NULL-terminated @allowed; VG_EINVAL
 * "unknown key 'K' in WHAT" at the first other key.
 */
int vg_pl_known_keys(struct vg_pl_ctx *c, const struct vg_pl_node *map, const char *const *allowed,
		     const char *what);

/** @n must be a mapping ("WHAT must be a mapping"). */
int vg_pl_want_map(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *what);

/** A non-empty string scalar copied into the policy arena. */
int vg_pl_str(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, const char **out);

/** Like vg_pl_str() but a missing (NULL @n) or null value leaves *@out NULL. */
int vg_pl_opt_str(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key,
		  const char **out);

/** true/false (also True, TRUE, False, FALSE). */
int vg_pl_bool(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, bool *out);

/** A plain decimal integer in [@min, @max]. */
int vg_pl_int(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, long long min,
	      long long max, long long *out);

/**
 * A list of non-empty strings (or one scalar when @scalar_ok) of at most
 * VG_POLICY_MAX_LIST items, at least @min, copied into the arena.
 */
int vg_pl_str_list(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *key, bool scalar_ok,
		   size_t min, const char ***out, size_t *nout);

/** "all" / "any" / "none". */
int vg_pl_condition(struct vg_pl_ctx *c, const struct vg_pl_node *n, enum vg_condition *out);

/** Compile @pattern with PCRE2 to validate it; the error names the offset. */
int vg_pl_regex(struct vg_pl_ctx *c, const struct vg_pl_node *n, const char *pattern);

/** Build a Vigil-format policy from the root mapping @root and its `policy` @pol (policy.c). */
int vg_pl_build_vigil(struct vg_pl_ctx *c, const struct vg_pl_node *root,
		      const struct vg_pl_node *pol);

/**
 * Fail when two checks of @p share an id, at the later one's id node
 * (@ids[i] is check i's id node).
 */
int vg_pl_unique_ids(struct vg_pl_ctx *c, const struct vg_policy *p,
		     const struct vg_pl_node *const *ids);

#endif /* VG_POLICY_POLICY_INT_H */
