/*
 * buf.c - a growable, always NUL-terminated byte buffer with a hard cap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"

/* Shared empty string so that an initialised buffer never has p == NULL. */
static char empty[1];

void
vg_buf_init(struct vg_buf *b, size_t max)
{
	b->p = empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
vg_buf_release(struct vg_buf *b)
{
	if (b->cap)
		free(b->p);
	vg_buf_init(b, b->max);
}

void
vg_buf_reset(struct vg_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->p[0] = '\0';
}

char *
vg_buf_detach(struct vg_buf *b, size_t *len)
{
	char *s = b->cap ? b->p : vg_xstrdup("");

	if (len)
		*len = b->len;
	vg_buf_init(b, b->max);
	return s;
}

/* Make room for @extra more bytes (plus the NUL), doubling to amortise. */
static int
grow(struct vg_buf *b, size_t extra)
{
	size_t want, cap;

	if (extra > b->max - b->len)
		return VG_ETOOBIG;
	want = b->len + extra;
	if (want <= b->cap)
		return VG_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > VG_BUF_NOLIMIT / 2 ? want : cap * 2;
	if (cap > b->max)
		cap = b->max;
	b->p = vg_xrealloc(b->cap ? b->p : NULL, cap + 1);
	if (!b->cap)
		b->p[0] = '\0';
	b->cap = cap;
	return VG_OK;
}

int
vg_buf_add(struct vg_buf *b, const void *data, size_t len)
{
	int rc;

	if (len == 0)
		return VG_OK;
	rc = grow(b, len);
	if (rc)
		return rc;
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = '\0';
	return VG_OK;
}

int
vg_buf_addstr(struct vg_buf *b, const char *s)
{
	return vg_buf_add(b, s, strlen(s));
}

int
vg_buf_addslice(struct vg_buf *b, struct vg_str s)
{
	return vg_buf_add(b, s.p, s.len);
}

int
vg_buf_addch(struct vg_buf *b, char c)
{
	return vg_buf_add(b, &c, 1);
}

int
vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	int rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return VG_EINVAL;
	if (n == 0)
		return VG_OK;
	rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return VG_OK;
}

int
vg_buf_addf(struct vg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vg_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}
