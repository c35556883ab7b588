/*
 * log.h - the one logging interface.
 *
 * Messages are lower case, without a trailing period, with the subject in
 * 'quotes' (git's rules).  The CLI prints "vigil: error: ..." lines on
 * stderr; the daemon switches to JSON lines with vg_log_set_json().
 * Thread-safe: each message is written with a single write to stderr.
 */
#ifndef VG_CORE_LOG_H
#define VG_CORE_LOG_H

#include <stdbool.h>

#include "core/compiler.h"

enum vg_log_level {
	VG_LOG_ERROR = 0,
	VG_LOG_WARN = 1,
	VG_LOG_INFO = 2,
	VG_LOG_DEBUG = 3,
};

/** Program name used as the prefix of text log lines (borrowed; must outlive logging). */
void vg_log_set_progname(const char *name);

/** Messages above @level are dropped.  The default is VG_LOG_WARN. */
void vg_log_set_level(enum vg_log_level level);

/** Parse "error", "warn", "info" or "debug".  Returns 0, or VG_EINVAL. */
int vg_log_level_parse(const char *name, enum vg_log_level *level /* OUT */);

/** Write JSON lines ({"ts":…,"level":…,"msg":…}) instead of text. */
void vg_log_set_json(bool json);

/** Log one message at @level. */
void vg_log(enum vg_log_level level, const char *fmt, ...) VG_PRINTF(2, 3);

/** Log at VG_LOG_ERROR and exit(1). */
VG_NORETURN void vg_fatal(const char *fmt, ...) VG_PRINTF(1, 2);

#endif /* VG_CORE_LOG_H */
