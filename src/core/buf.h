/*
 * buf.h - a growable, always NUL-terminated byte buffer with a hard cap.
 *
 * Modelled on git's strbuf and curl's dynbuf: `p` is never NULL after
 * vg_buf_init(), `p[len]` is always '\0', and every append fails with
 * VG_ETOOBIG instead of growing past `max`.  That cap is what makes a
 * buffer safe to fill from untrusted input (a request body, a feed record).
 * On VG_ETOOBIG the buffer keeps its previous contents.
 */
#ifndef VG_CORE_BUF_H
#define VG_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/compiler.h"
#include "core/str.h"

struct vg_buf {
	char *p;    /* owned; never NULL after init; NUL-terminated */
	size_t len; /* bytes used, excluding the terminating NUL */
	size_t cap; /* bytes allocated for content, excluding the NUL */
	size_t max; /* hard limit on len */
};

/* Use for buffers whose size is bounded by the program, not by input. */
#define VG_BUF_NOLIMIT ((size_t)-1 / 2)

/** Initialise an empty buffer that refuses to grow beyond @max bytes.  Does not allocate. */
void vg_buf_init(struct vg_buf *b, size_t max);

/** Free the contents; the buffer must be initialised again before reuse. */
void vg_buf_release(struct vg_buf *b);

/** Empty the buffer but keep its memory. */
void vg_buf_reset(struct vg_buf *b);

/**
 * Take ownership of the contents as a NUL-terminated string (caller frees)
 * and leave @b empty and initialised with the same cap.  Optionally
 * returns the length in @len.
 */
char *vg_buf_detach(struct vg_buf *b, size_t *len /* OUT, may be NULL */);

/** Append @len bytes.  Returns VG_OK or VG_ETOOBIG. */
int vg_buf_add(struct vg_buf *b, const void *data, size_t len) VG_MUST_CHECK;

/** Append a NUL-terminated string. */
int vg_buf_addstr(struct vg_buf *b, const char *s) VG_MUST_CHECK;

/** Append a slice. */
int vg_buf_addslice(struct vg_buf *b, struct vg_str s) VG_MUST_CHECK;

/** Append one byte. */
int vg_buf_addch(struct vg_buf *b, char c) VG_MUST_CHECK;

/** Append printf-formatted text. */
int vg_buf_addf(struct vg_buf *b, const char *fmt, ...) VG_PRINTF(2, 3) VG_MUST_CHECK;

/** va_list form of vg_buf_addf(). */
int vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap) VG_PRINTF(2, 0) VG_MUST_CHECK;

/** The contents as a slice (borrowed; invalidated by the next append). */
static inline struct vg_str
vg_buf_str(const struct vg_buf *b)
{
	return (struct vg_str){b->p, b->len};
}

#endif /* VG_CORE_BUF_H */
