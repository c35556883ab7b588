/*
 * strmap.h - a string-keyed hash map for the engine's caches.
 *
 * Open addressing with linear probing over a power-of-two table, FNV-1a
 * hashes, grown at 70 % load.  Keys are byte strings of any content
 * (tuples are joined with a 0x1f separator); the map copies each key into
 * its own arena, so callers may pass stack buffers.  Values are borrowed
 * pointers.  Nothing is ever removed: the engine's caches only grow for the
 * lifetime of a matcher or a report.  Not thread-safe.
 */
#ifndef VG_ENGINE_STRMAP_H
#define VG_ENGINE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

struct vg_strmap_slot {
	const char *key; /* in the map's arena, NULL for an empty slot */
	size_t len;
	uint64_t hash;
	void *value;
};

struct vg_strmap {
	struct vg_arena arena; /* the keys */
	struct vg_strmap_slot *slots;
	size_t cap; /* power of two, 0 before the first insertion */
	size_t n;
};

/** Initialise an empty map (does not allocate). */
void vg_strmap_init(struct vg_strmap *m);

/** Free the table and the keys; the values are the caller's. */
void vg_strmap_release(struct vg_strmap *m);

/** The value stored under @key, or NULL. */
void *vg_strmap_get(const struct vg_strmap *m, struct vg_str key);

/**
 * Store @value under @key, replacing any previous value.  Returns the
 * map's own NUL-terminated copy of the key (valid until release).
 */
const char *vg_strmap_put(struct vg_strmap *m, struct vg_str key, void *value);

#endif /* VG_ENGINE_STRMAP_H */
