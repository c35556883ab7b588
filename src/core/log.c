/*
 * log.c - the one logging interface.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

static const char *progname = "vigil";
static enum vg_log_level max_level = VG_LOG_WARN;
static bool as_json;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void
vg_log_set_progname(const char *name)
{
	progname = name;
}

void
vg_log_set_level(enum vg_log_level level)
{
	max_level = level;
}

int
vg_log_level_parse(const char *name, enum vg_log_level *level)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(level_names); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*level = (enum vg_log_level)i;
			return VG_OK;
		}
	}
	return VG_EINVAL;
}

void
vg_log_set_json(bool json)
{
	as_json = json;
}

/* Append @s as the body of a JSON string (without quotes). */
static void
add_json_escaped(struct vg_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int rc;

		if (c == '"' || c == '\\')
			rc = vg_buf_addf(b, "\\%c", c);
		else if (c < 0x20)
			rc = vg_buf_addf(b, "\\u%04x", c);
		else
			rc = vg_buf_addch(b, (char)c);
		if (rc)
			return;
	}
}

VG_PRINTF(2, 0) static void vlog(enum vg_log_level level, const char *fmt, va_list ap)
{
	struct vg_buf line;
	char msg[2048];
	char ts[32];
	struct tm tm;
	time_t now;
	int rc = 0;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	vg_buf_init(&line, sizeof(msg) * 2);
	if (as_json) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
		rc = vg_buf_addf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts,
				 level_names[level]);
		add_json_escaped(&line, msg);
		rc |= vg_buf_addstr(&line, "\"}\n");
	} else {
		rc = vg_buf_addf(&line, "%s: %s%s\n", progname,
				 level == VG_LOG_ERROR  ? "error: "
				 : level == VG_LOG_WARN ? "warning: "
							: "",
				 msg);
	}
	if (rc == 0 && write(STDERR_FILENO, line.p, line.len) < 0) {
		/* Nowhere left to report a failed write to stderr. */
	}
	vg_buf_release(&line);
}

void
vg_log(enum vg_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void
vg_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(VG_LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
