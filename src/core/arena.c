/*
 * arena.c - a bump allocator for objects that live and die together.
 */
#include <stdarg.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"

/* Chunks are this big unless one allocation needs more. */
#define CHUNK_SIZE (64 * 1024)

struct vg_arena_chunk {
	struct vg_arena_chunk *next;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

void
vg_arena_init(struct vg_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void
vg_arena_release(struct vg_arena *a)
{
	struct vg_arena_chunk *c = a->head;

	while (c) {
		struct vg_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	vg_arena_init(a);
}

void *
vg_arena_alloc(struct vg_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size_t need = (size + align - 1) & ~(align - 1);
	void *p;

	if (need < size)
		need = size; /* overflow: let vg_xmalloc fail loudly below */
	if (!a->head || a->head->size - a->used < need) {
		size_t chunk = need > CHUNK_SIZE ? need : CHUNK_SIZE;
		struct vg_arena_chunk *c = vg_xmalloc(sizeof(*c) + chunk);

		c->next = a->head;
		c->size = chunk;
		a->head = c;
		a->used = 0;
	}
	p = a->head->data + a->used;
	a->used += need;
	a->total += need;
	memset(p, 0, size);
	return p;
}

char *
vg_arena_strndup(struct vg_arena *a, struct vg_str s)
{
	char *p = vg_arena_alloc(a, s.len + 1);

	if (s.len)
		memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	return p;
}

char *
vg_arena_strdup(struct vg_arena *a, const char *s)
{
	return s ? vg_arena_strndup(a, vg_str_c(s)) : NULL;
}

char *
vg_arena_printf(struct vg_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return vg_arena_strdup(a, "");
	p = vg_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *
vg_arena_grow(struct vg_arena *a, void *old, size_t len, size_t *cap, size_t elem, size_t first)
{
	size_t n;
	void *p;

	if (len < *cap)
		return old;
	n = *cap ? *cap * 2 : first;
	if (n < len + 1 || (elem && n > SIZE_MAX / elem)) {
		fprintf(stderr,
			"vigil: fatal: arena array of %zu elements of %zu bytes overflows\n", n,
			elem);
		abort();
	}
	p = vg_arena_alloc(a, n * elem);
	if (len)
		memcpy(p, old, len * elem);
	*cap = n;
	return p;
}
