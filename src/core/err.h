/*
 * err.h - error codes and parse-error details.
 *
 * Every fallible Vigil function returns an int: VG_OK (0) on success or a
 * negative VG_E* code (libuv style).  Parsers of untrusted input also take
 * an optional struct vg_err * that receives the code, a position and a
 * human-readable message (jansson's json_error_t, in spirit).  Passing NULL
 * for the struct vg_err is always allowed.
 */
#ifndef VG_CORE_ERR_H
#define VG_CORE_ERR_H

#include <stddef.h>

#include "core/compiler.h"

enum vg_errcode {
	VG_OK = 0,
	VG_EINVAL = -1,       /* malformed input or bad argument */
	VG_ENOMEM = -2,       /* allocation failed (only where recoverable) */
	VG_ETOOBIG = -3,      /* input exceeds a configured size limit */
	VG_EIO = -4,          /* read/write failure; errno-derived text in the message */
	VG_ENOTFOUND = -5,    /* a named thing does not exist */
	VG_EUNSUPPORTED = -6, /* valid input we do not handle (yet) */
	VG_EEXIST = -7,       /* a thing that must be unique already exists */
	VG_EPERM = -8,        /* permission denied */
};

/* Longest message kept in a struct vg_err, including the terminating NUL. */
#define VG_ERR_MSG_MAX 256

/*
 * Details of a failure.  `line` and `column` are 1-based positions in the
 * input when the caller knows them and 0 otherwise; `column` is a byte
 * offset for one-line inputs such as version strings or CVSS vectors.
 */
struct vg_err {
	int code;
	int line;
	int column;
	char msg[VG_ERR_MSG_MAX];
};

/** Reset @err to "no error".  NULL is accepted. */
void vg_err_clear(struct vg_err *err);

/**
 * Record an error in @err (which may be NULL) and return @code, so that
 * callers can write `return vg_error(err, VG_EINVAL, "bad epoch '%s'", s);`.
 * The message is truncated to VG_ERR_MSG_MAX - 1 bytes.
 */
int vg_error(struct vg_err *err, int code, const char *fmt, ...) VG_PRINTF(3, 4);

/** Like vg_error() and also records a 1-based column. */
int vg_error_at(struct vg_err *err, int code, int column, const char *fmt, ...) VG_PRINTF(4, 5);

/** Static, lower-case description of a VG_E* code ("invalid input", ...). */
const char *vg_strerror(int code);

#endif /* VG_CORE_ERR_H */
