/*
 * alloc.h - allocation helpers that never return NULL.
 *
 * Small allocations abort the process on exhaustion (git's xmalloc, Redis's
 * zmalloc): checking every 40-byte malloc buys nothing on Linux with
 * overcommit, and makes every call site noisier.  Anything whose size is
 * controlled by untrusted input must instead be bounded before it is
 * allocated (see struct vg_buf in buf.h).
 */
#ifndef VG_CORE_ALLOC_H
#define VG_CORE_ALLOC_H

#include <stddef.h>

#include "core/compiler.h"

/** malloc() that aborts with a message on failure.  vg_xmalloc(0) returns a unique pointer. */
void *vg_xmalloc(size_t size);

/** calloc() that aborts on failure or on nmemb * size overflow. */
void *vg_xcalloc(size_t nmemb, size_t size);

/** realloc() that aborts on failure.  The old pointer is invalid afterwards. */
void *vg_xrealloc(void *ptr, size_t size);

/** reallocarray(): realloc with an overflow check on nmemb * size. */
void *vg_xreallocarray(void *ptr, size_t nmemb, size_t size);

/** strdup() that aborts on failure.  Caller frees. */
char *vg_xstrdup(const char *s);

/** Copy @len bytes of @s (which need not be NUL-terminated) into a new NUL-terminated string. */
char *vg_xmemdupz(const void *s, size_t len);

#endif /* VG_CORE_ALLOC_H */
