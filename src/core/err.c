/*
 * err.c - error codes and parse-error details.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

void
vg_err_clear(struct vg_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

VG_PRINTF(4, 0)
static int
verror(struct vg_err *err, int code, int column, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	err->column = column;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int
vg_error(struct vg_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(err, code, 0, fmt, ap);
	va_end(ap);
	return code;
}

int
vg_error_at(struct vg_err *err, int code, int column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(err, code, column, fmt, ap);
	va_end(ap);
	return code;
}

const char *
vg_strerror(int code)
{
	switch (code) {
	case VG_OK:
		return "success";
	case VG_EINVAL:
		return "invalid input";
	case VG_ENOMEM:
		return "out of memory";
	case VG_ETOOBIG:
		return "input too large";
	case VG_EIO:
		return "input/output error";
	case VG_ENOTFOUND:
		return "not found";
	case VG_EUNSUPPORTED:
		return "not supported";
	case VG_EEXIST:
		return "already exists";
	case VG_EPERM:
		return "permission denied";
	}
	return "unknown error";
}
