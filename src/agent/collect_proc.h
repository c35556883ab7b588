/*
 * collect_proc.h - the parsers behind the process collector (collect_proc.c).
 *
 * vg_collect_processes() (inventory.h) walks <root>/proc; the pieces that
 * read untrusted bytes are exposed here so that unit tests and the fuzz
 * target can call them on memory buffers.  None of them allocates, none
 * reads past the slice it is given, and all are thread-safe.
 */
#ifndef VG_AGENT_COLLECT_PROC_H
#define VG_AGENT_COLLECT_PROC_H

#include <stddef.h>

#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"

/* Longest command line kept, in bytes; longer ones are cut (ps does the same). */
#define VG_PROC_CMDLINE_MAX 4096
/* Largest /proc/PID/status accepted; the real file is about 1.5 KiB. */
#define VG_PROC_STATUS_MAX  16384
/* Largest etc/passwd accepted. */
#define VG_PROC_PASSWD_MAX  (8u << 20)

/**
 * Real uid of a process from the text of its /proc/PID/status: the first
 * number of the "Uid:" line ("Uid:\t1000\t1000\t1000\t1000").
 *
 * @status: borrowed; may contain any byte.
 * @uid:    OUT, set on VG_OK only.
 * Returns VG_OK, VG_ENOTFOUND when there is no "Uid:" line, or VG_EINVAL
 * (with @err filled) when the line does not start with a uid in 0..INT_MAX.
 */
int vg_proc_parse_status_uid(struct vg_str status, int *uid /* OUT */,
			     struct vg_err *err) VG_MUST_CHECK;

/**
 * Printable form of a raw /proc/PID/cmdline: NUL separators become spaces,
 * trailing NULs and spaces are dropped, other control bytes become spaces
 * and bytes that are not valid UTF-8 become '?', so the result can go into
 * a JSON document and a terminal as is.  At most @cap - 1 bytes are written
 * and @out is always NUL-terminated (@cap must be > 0).
 *
 * Returns the length written.
 */
size_t vg_proc_format_cmdline(struct vg_str raw, char *out, size_t cap);

/**
 * One line of etc/passwd ("name:x:uid:gid:gecos:home:shell", no newline).
 *
 * @name: OUT, borrowed from @line; @uid: OUT.
 * Returns VG_OK, or VG_EINVAL for a comment, a line with fewer than three
 * fields, an empty name or a uid that is not a number in 0..INT_MAX.
 */
int vg_proc_parse_passwd_line(struct vg_str line, struct vg_str *name /* OUT */,
			      int *uid /* OUT */) VG_MUST_CHECK;

/**
 * The usr-merge form of an absolute path: "/usr/bin/x" → "/bin/x" for the
 * directories that merged systems link from / to /usr (bin, sbin, lib,
 * lib32, lib64, libx32); any other path is returned unchanged.  The result
 * is a suffix of @path (borrowed).
 */
struct vg_str vg_proc_usrmerge(struct vg_str path);

#endif /* VG_AGENT_COLLECT_PROC_H */
