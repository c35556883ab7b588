/*
 * batch.c - batch mode shared by vercmp, cvss and cpe.
 *
 * With "-" in place of the operands, a command reads TAB-separated operand
 * lines from stdin and answers each on its own stdout line, so a table of
 * thousands of rows is checked in one process instead of thousands.
 * Input lines are bounded (VG_BATCH_MAX_LINE): a longer line is consumed
 * and answered "error", never buffered whole.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/err.h"

/*
 * Read one line into @line (without its newline).  Returns 1 for a line,
 * 0 at EOF, -1 for a line that was too long (it is consumed whole).
 */
static int
read_line(FILE *in, char *line, size_t cap, size_t *len)
{
	bool too_long = false;
	size_t n = 0;
	int c;

	while ((c = getc(in)) != EOF && c != '\n') {
		if (n + 1 < cap)
			line[n++] = (char)c;
		else
			too_long = true;
	}
	if (c == EOF && n == 0 && !too_long)
		return 0;
	if (n && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	*len = n;
	return too_long ? -1 : 1;
}

static int
split_fields(char *line, size_t len, char **fields)
{
	int n = 0;

	fields[n++] = line;
	for (size_t i = 0; i < len; i++) {
		if (line[i] != '\t')
			continue;
		if (n == VG_BATCH_MAX_FIELDS)
			return VG_BATCH_MAX_FIELDS + 1;
		line[i] = '\0';
		fields[n++] = line + i + 1;
	}
	return n;
}

/* Answer one line into @answer; returns true when it is a real answer, false for "error". */
static bool
answer_line(const char *cmd, unsigned long lineno, int rc_read, char *line, size_t len, int nfields,
	    vg_batch_fn fn, void *ctx, struct vg_buf *answer)
{
	char *fields[VG_BATCH_MAX_FIELDS];
	struct vg_buf why;
	int n;
	int rc;

	vg_buf_reset(answer);
	if (rc_read < 0) {
		fprintf(stderr, "vigil %s: line %lu: longer than %d bytes\n", cmd, lineno,
			VG_BATCH_MAX_LINE);
		return false;
	}
	n = split_fields(line, len, fields);
	if (n != nfields) {
		fprintf(stderr, "vigil %s: line %lu: expected %d TAB-separated operands, got %d\n",
			cmd, lineno, nfields, n);
		return false;
	}
	vg_buf_init(&why, 1024);
	rc = fn(ctx, fields, n, answer, &why);
	if (rc < 0)
		fprintf(stderr, "vigil %s: line %lu: %s\n", cmd, lineno,
			why.len ? why.p : vg_strerror(rc));
	vg_buf_release(&why);
	return rc >= 0;
}

int
vg_batch_reason(struct vg_buf *why, int rc, const char *msg)
{
	if (vg_buf_addstr(why, msg) < 0) {
		/* The reason did not fit; the line is still answered "error". */
	}
	return rc;
}

int
vg_batch_run(const char *cmd, FILE *in, FILE *out, int nfields, vg_batch_fn fn, void *ctx)
{
	char *line = vg_xmalloc(VG_BATCH_MAX_LINE + 1);
	struct vg_buf answer;
	unsigned long lineno = 0;
	bool any_error = false;
	size_t len = 0;
	int rc;

	vg_buf_init(&answer, VG_BATCH_MAX_LINE);
	while ((rc = read_line(in, line, VG_BATCH_MAX_LINE + 1, &len)) != 0) {
		bool ok = answer_line(cmd, ++lineno, rc, line, len, nfields, fn, ctx, &answer);

		if (!ok)
			any_error = true;
		fprintf(out, "%s\n", ok ? answer.p : "error");
	}
	vg_buf_release(&answer);
	free(line);
	if (ferror(in) || fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "vigil %s: i/o error in batch mode\n", cmd);
		return VG_EXIT_FAIL;
	}
	return any_error ? VG_EXIT_USAGE : VG_EXIT_OK;
}
