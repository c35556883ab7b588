/*
 * arena.h - a bump allocator for objects that live and die together.
 *
 * An inventory, a feed record or a request allocates many small strings
 * that are all released at once; an arena makes that one free() per chunk
 * instead of one per string (h2o's mem pool, in spirit).  Allocation aborts
 * on exhaustion like vg_xmalloc(); bound input sizes before copying them in.
 * Not thread-safe: one arena per owner.
 */
#ifndef VG_CORE_ARENA_H
#define VG_CORE_ARENA_H

#include <stddef.h>

#include "core/compiler.h"
#include "core/str.h"

struct vg_arena_chunk;

struct vg_arena {
	struct vg_arena_chunk *head; /* owned; newest chunk first */
	size_t used;                 /* bytes used in head */
	size_t total;                /* bytes handed out, for statistics */
};

/** Initialise an empty arena (does not allocate). */
void vg_arena_init(struct vg_arena *a);

/** Free every chunk; everything allocated from @a becomes invalid. */
void vg_arena_release(struct vg_arena *a);

/** @size bytes aligned for any object, zeroed.  Valid until vg_arena_release(). */
void *vg_arena_alloc(struct vg_arena *a, size_t size);

/**
 * Room for one more element in the arena array @old of @len elements of
 * @elem bytes whose capacity is *@cap: @old itself while len < *cap, else a
 * copy in a new array of twice the capacity (@first for an empty one), with
 * *@cap updated.  The old array stays allocated until the arena is released
 * (arrays built this way cost at most twice their final size).  Aborts on
 * overflow like vg_xmalloc().
 */
void *vg_arena_grow(struct vg_arena *a, void *old, size_t len, size_t *cap, size_t elem,
		    size_t first);

/** Copy of @s (NUL-terminated) in the arena; NULL for a NULL @s. */
char *vg_arena_strdup(struct vg_arena *a, const char *s);

/** NUL-terminated copy of the slice @s in the arena. */
char *vg_arena_strndup(struct vg_arena *a, struct vg_str s);

/** printf into the arena. */
char *vg_arena_printf(struct vg_arena *a, const char *fmt, ...) VG_PRINTF(2, 3);

#endif /* VG_CORE_ARENA_H */
