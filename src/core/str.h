/*
 * str.h - string slices for parsing.
 *
 * A struct vg_str is a borrowed view of bytes: it owns nothing, is never
 * assumed to be NUL-terminated and may contain NUL bytes (fuzzers send
 * them).  Parsers take slices so that a field can be handed on without
 * copying it out of the input buffer.
 */
#ifndef VG_CORE_STR_H
#define VG_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct vg_str {
	const char *p;
	size_t len;
};

/* A slice over a string literal, e.g. VG_STR_LIT("dpkg"). */
#define VG_STR_LIT(s) ((struct vg_str){(s), sizeof(s) - 1})

/** Slice over a NUL-terminated string (borrowed). */
static inline struct vg_str
vg_str_c(const char *s)
{
	return (struct vg_str){s, s ? strlen(s) : 0};
}

/** Slice over @len bytes at @p (borrowed). */
static inline struct vg_str
vg_str_n(const char *p, size_t len)
{
	return (struct vg_str){p, len};
}

/** Byte-wise equality of two slices. */
static inline bool
vg_str_eq(struct vg_str a, struct vg_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/** Equality of a slice and a NUL-terminated string. */
static inline bool
vg_str_eqc(struct vg_str a, const char *b)
{
	return vg_str_eq(a, vg_str_c(b));
}

/** Sub-slice [from, from + len), clamped to @s. */
static inline struct vg_str
vg_str_sub(struct vg_str s, size_t from, size_t len)
{
	if (from > s.len)
		from = s.len;
	if (len > s.len - from)
		len = s.len - from;
	return (struct vg_str){s.p + from, len};
}

/** @s without leading and trailing ASCII white space (space, tab, CR, LF, VT, FF). */
struct vg_str vg_str_trim(struct vg_str s);

/** Index of the first byte @c in @s, or -1 (as ptrdiff_t) when absent. */
ptrdiff_t vg_str_chr(struct vg_str s, char c);

/** Index of the last byte @c in @s, or -1 when absent. */
ptrdiff_t vg_str_rchr(struct vg_str s, char c);

/**
 * Next line of @data starting at *@pos, without its "\n" (or "\r\n"); the
 * last line may lack a newline.  Advances *@pos; false when no line is left.
 */
bool vg_str_next_line(struct vg_str data, size_t *pos, struct vg_str *line /* OUT */);

/**
 * The first word of *@rest, words being separated by spaces and tabs (the
 * configuration-file convention); *@rest becomes what follows it, trimmed as
 * vg_str_trim() does.  An empty slice when *@rest holds no word.
 */
struct vg_str vg_str_next_word(struct vg_str *rest);

/** ASCII-case-insensitive equality. */
bool vg_str_eq_nocase(struct vg_str a, struct vg_str b);

#endif /* VG_CORE_STR_H */
