/*
 * cli.h - the `vigil` command line: shared declarations of the subcommands.
 *
 * Each subcommand is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * subcommand's own name; it returns the process exit status:
 *   VG_EXIT_OK     success;
 *   VG_EXIT_FAIL   the command ran and found a problem (I/O error, a feed
 *                  that failed to import);
 *   VG_EXIT_USAGE  bad usage or invalid input (an unparsable version, vector
 *                  or name), with a message on stderr;
 *   VG_EXIT_FINDINGS  `vigil scan --fail-on`: a finding at or above the
 *                  threshold exists (distinct from failures, so a CI job can
 *                  tell "vulnerable" from "broken").
 */
#ifndef VG_CLI_CLI_H
#define VG_CLI_CLI_H

#include <stdio.h>

#include "core/buf.h"
#include "core/compiler.h"

enum vg_exit {
	VG_EXIT_OK = 0,
	VG_EXIT_FAIL = 1,
	VG_EXIT_USAGE = 2,
	VG_EXIT_FINDINGS = 3,
};

int vg_cmd_vercmp(int argc, char **argv);
int vg_cmd_cvss(int argc, char **argv);
int vg_cmd_cpe(int argc, char **argv);
int vg_cmd_scan(int argc, char **argv);
int vg_cmd_inventory(int argc, char **argv);
int vg_cmd_feeds(int argc, char **argv);
int vg_cmd_token(int argc, char **argv);
int vg_cmd_policy(int argc, char **argv);

struct vg_inventory;

/**
 * Collect the inventory of @root into @inv (initialised here; release it
 * on success) with the optional NULL-terminated @app_dirs.  Returns
 * VG_EXIT_OK, or the exit status after printing the error as "vigil CMD: ..."
 * (an unreadable root is a usage error; @inv is then not initialised).
 */
int vg_cli_collect(const char *cmd, const char *root, const char *const *app_dirs,
		   struct vg_inventory *inv);

/** The few-line summary of an inventory that `inventory --format table` and `scan` open with. */
void vg_cli_print_inventory_summary(const struct vg_inventory *inv, FILE *out);

/**
 * Print "vigil CMD: error: ..." on stderr and return VG_EXIT_USAGE, for
 * `return vg_cli_usage_error("vercmp", "unknown scheme '%s'", s);`.
 */
int vg_cli_usage_error(const char *cmd, const char *fmt, ...) VG_PRINTF(2, 3);

/**
 * Levenshtein distance of two short names, for "did you mean" suggestions;
 * (size_t)-1 when either is 64 bytes or longer.
 */
size_t vg_cli_edit_distance(const char *a, const char *b);

/* ---- batch mode (batch.c) ---- */

/* Longest input line accepted in batch mode; longer lines are answered "error". */
#define VG_BATCH_MAX_LINE 65536

/* Most TAB-separated operands a batch line may carry. */
#define VG_BATCH_MAX_FIELDS 4

/*
 * Answer one batch line: @fields are the line's TAB-separated operands
 * (NUL-terminated, borrowed for the call).  Append the answer, without a
 * newline, to @answer and return 0; or return a negative VG_E* code and put
 * the reason in @why, in which case the line is answered "error".
 */
typedef int (*vg_batch_fn)(void *ctx, char **fields, int nfields, struct vg_buf *answer,
			   struct vg_buf *why);

/** Put @msg in @why (as the reason a line failed) and return @rc. */
int vg_batch_reason(struct vg_buf *why, int rc, const char *msg);

/**
 * Read TAB-separated lines from @in until EOF and print one answer per line
 * to @out, in order.  A line with a number of operands other than
 * @nfields, or longer than VG_BATCH_MAX_LINE, is answered "error".  Reasons
 * for errors go to stderr as "vigil CMD: line N: ...".  Returns VG_EXIT_OK
 * when every line got an answer other than "error", VG_EXIT_USAGE when some
 * did, VG_EXIT_FAIL on a read or write error.
 */
int vg_batch_run(const char *cmd, FILE *in, FILE *out, int nfields, vg_batch_fn fn, void *ctx);

#endif /* VG_CLI_CLI_H */
