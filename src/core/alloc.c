/*
 * alloc.c - allocation helpers that never return NULL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

VG_NORETURN static void
oom(size_t size)
{
	fprintf(stderr, "vigil: fatal: out of memory allocating %zu bytes\n", size);
	abort();
}

void *
vg_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *
vg_xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *
vg_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		oom(size);
	return p;
}

void *
vg_xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	return vg_xrealloc(ptr, nmemb * size);
}

char *
vg_xstrdup(const char *s)
{
	return vg_xmemdupz(s, strlen(s));
}

char *
vg_xmemdupz(const void *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		oom(len);
	p = vg_xmalloc(len + 1);
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
