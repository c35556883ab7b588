/*
 * command.h - running the commands of Wazuh c: rules without a shell
 * (private to the evaluator; see eval.h and docs/internals/sca-eval.md).
 */
#ifndef VG_POLICY_COMMAND_H
#define VG_POLICY_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"

/* Most arguments in one command. */
#define VG_CMD_MAX_ARGS 64
/* The whole environment of a command. */
#define VG_CMD_PATH     "/usr/sbin:/usr/bin:/sbin:/bin"

/**
 * Split @cmd into words as a POSIX shell would for plain words: blanks
 * separate, '...' keeps everything, "..." keeps everything but \" \\ \$ \`
 * escapes, a backslash outside quotes escapes the next byte.  The words and
 * the NULL-terminated array live in @arena.  Errors: VG_EINVAL for an
 * unterminated quote or an empty command; VG_EUNSUPPORTED when the command
 * needs a shell (an unquoted | ; & < > or newline, a ` or $( anywhere, or a first
 * word naming a shell: sh, bash, dash, zsh, ksh, ash, csh, tcsh, fish,
 * busybox); @err says which.  @err may be NULL.
 */
int vg_cmd_split(struct vg_arena *arena, const char *cmd, char ***argv /* OUT */,
		 size_t *argc /* OUT */, struct vg_err *err) VG_MUST_CHECK;

struct vg_cmd_result {
	int exit_status; /* from waitpid(): exit code, or 128 + signal */
	bool timed_out;  /* killed after the timeout */
	bool truncated;  /* output beyond the cap was discarded */
};

/**
 * Run @argv (borrowed, NULL-terminated) with posix_spawn(): argv[0] without
 * a '/' is looked up in VG_CMD_PATH; environment PATH=VG_CMD_PATH and
 * LC_ALL=C only; stdin /dev/null; stdout and stderr both appended to @out
 * (at most @max_output bytes kept, the rest read and discarded); the child
 * is in its own process group, killed with SIGKILL after @timeout_ms.
 * Errors: VG_ENOTFOUND (no such program), VG_EPERM (not executable), VG_EIO
 * (spawn or pipe failure).  A timeout is VG_OK with res->timed_out.
 */
int vg_cmd_run(char *const argv[], int timeout_ms, size_t max_output, struct vg_buf *out,
	       struct vg_cmd_result *res /* OUT */, struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_POLICY_COMMAND_H */
