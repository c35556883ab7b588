/*
 * strmap.c - a string-keyed hash map for the engine's caches.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "engine/strmap.h"

static uint64_t
fnv1a(struct vg_str s)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < s.len; i++) {
		h ^= (unsigned char)s.p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void
vg_strmap_init(struct vg_strmap *m)
{
	vg_arena_init(&m->arena);
	m->slots = NULL;
	m->cap = 0;
	m->n = 0;
}

void
vg_strmap_release(struct vg_strmap *m)
{
	free(m->slots);
	vg_arena_release(&m->arena);
	vg_strmap_init(m);
}

/* Slot holding @key, or the empty slot where it would go. */
static struct vg_strmap_slot *
find(const struct vg_strmap *m, struct vg_str key, uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;

	for (;;) {
		struct vg_strmap_slot *s = &m->slots[i];

		if (!s->key || (s->hash == h && s->len == key.len &&
				(key.len == 0 || memcmp(s->key, key.p, key.len) == 0)))
			return s;
		i = (i + 1) & mask;
	}
}

static void
grow(struct vg_strmap *m)
{
	struct vg_strmap_slot *old = m->slots;
	size_t oldcap = m->cap;

	m->cap = oldcap ? oldcap * 2 : 64;
	m->slots = vg_xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].key)
			*find(m, vg_str_n(old[i].key, old[i].len), old[i].hash) = old[i];
	}
	free(old);
}

void *
vg_strmap_get(const struct vg_strmap *m, struct vg_str key)
{
	if (!m->cap)
		return NULL;
	return find(m, key, fnv1a(key))->value;
}

const char *
vg_strmap_put(struct vg_strmap *m, struct vg_str key, void *value)
{
	uint64_t h = fnv1a(key);
	struct vg_strmap_slot *s;

	if ((m->n + 1) * 10 > m->cap * 7)
		grow(m);
	s = find(m, key, h);
	if (!s->key) {
		s->key = vg_arena_strndup(&m->arena, key);
		s->len = key.len;
		s->hash = h;
		m->n++;
	}
	s->value = value;
	return s->key;
}
