/*
 * semver_int.h - node-semver's lexical rules, shared by semver.c and
 * npm_range.c (internal to src/core/version; not part of version.h).
 *
 * Both files must classify characters, white space and prerelease
 * identifiers exactly as node-semver's regexes do, so there is one copy.
 */
#ifndef VG_CORE_VERSION_SEMVER_INT_H
#define VG_CORE_VERSION_SEMVER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

/* Number.MAX_SAFE_INTEGER: the largest accepted major, minor or patch. */
#define VG__SEMVER_MAX_SAFE         9007199254740991ULL
/* node-semver's safe regexes bound digit runs to 1 + 256 and identifier tails to 250. */
#define VG__SEMVER_MAX_DIGITS       257
#define VG__SEMVER_MAX_DIGIT_PREFIX 256
#define VG__SEMVER_MAX_IDENT_TAIL   250

static inline bool
vg__is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
vg__is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
vg__is_ident(char c)
{
	return vg__is_digit(c) || vg__is_alpha(c) || c == '-';
}

/** Byte length of the ECMAScript white space character (UTF-8) at @p (n bytes left), or 0. */
size_t vg__js_space_len(const char *p, size_t n);

/** Does @tok match node-semver's (safe) PRERELEASEIDENTIFIER exactly? */
bool vg__semver_prerelease_ident_ok(struct vg_str tok);

/** Is @s a non-empty '.'-separated list of such identifiers? */
bool vg__semver_prerelease_ok(struct vg_str s);

#endif /* VG_CORE_VERSION_SEMVER_INT_H */
