/*
 * cmd_cpe.c - `vigil cpe`: match and convert CPE 2.3 names.
 *
 *   vigil cpe match [--attrs] SOURCE TARGET   prints the NISTIR 7696 name relation
 *   vigil cpe match [--attrs] -               batch: "SOURCE<TAB>TARGET" lines
 *   vigil cpe bind NAME                       prints the formatted-string and URI bindings
 *   vigil cpe bind -                          batch: one name per line
 *
 * "match" answers the question an NVD finding raises: does this criteria
 * string (SOURCE) cover that installed product (TARGET)?  SUPERSET or EQUAL
 * means it does.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/cpe.h"

static const char usage_text[] =
	"usage: vigil cpe match [--attrs] SOURCE TARGET\n"
	"       vigil cpe match [--attrs] -\n"
	"       vigil cpe bind NAME\n"
	"       vigil cpe bind -\n"
	"\n"
	"match: print the NISTIR 7696 relation of SOURCE to TARGET: EQUAL, SUPERSET\n"
	"  (SOURCE covers TARGET, i.e. it matches), SUBSET, DISJOINT, NONE, or INVALID\n"
	"  when a name does not parse.  --attrs appends the eleven attribute relations.\n"
	"bind: print a name's CPE 2.3 formatted string and its CPE 2.2 URI binding.\n"
	"Names are formatted strings (cpe:2.3:a:vendor:product:...) or URIs (cpe:/a:...).\n"
	"\n"
	"With '-', read TAB-separated operand lines from stdin and print one answer\n"
	"per line.  Exit status: 0 on success, 2 for an unparsable name or bad usage.\n"
	"Example:\n"
	"  vigil cpe match 'cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*' \\\n"
	"                  'cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*'   # SUPERSET\n";

static int
append_attrs(struct vg_buf *out, const enum vg_cpe_rel *rels)
{
	int rc = 0;

	for (int i = 0; i < VG_CPE_NATTRS && rc == 0; i++)
		rc = vg_buf_addf(out, "%s%s=%s", i ? "," : " ",
				 vg_cpe_attr_name((enum vg_cpe_attr)i), vg_cpe_rel_name(rels[i]));
	return rc;
}

/* Parse @s into @cpe; on failure put the reason (prefixed by @which) into @why. */
static int
parse_name(const char *which, const char *s, struct vg_cpe *cpe, struct vg_buf *why)
{
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	rc = vg_cpe_parse(vg_str_c(s), cpe, &err);
	if (rc < 0 && why->len == 0 && vg_buf_addf(why, "%s: %s", which, err.msg) < 0) {
		/* The reason did not fit; INVALID still says what happened. */
	}
	return rc;
}

static int
match_line(void *ctx, char **f, int n, struct vg_buf *answer, struct vg_buf *why)
{
	bool attrs = *(bool *)ctx;
	enum vg_cpe_rel rels[VG_CPE_NATTRS];
	struct vg_cpe src, tgt;
	int rc;

	(void)n;
	vg_cpe_init(&src);
	vg_cpe_init(&tgt);
	if (parse_name("source", f[0], &src, why) < 0 ||
	    parse_name("target", f[1], &tgt, why) < 0) {
		rc = vg_buf_addstr(answer, vg_cpe_name_rel_name(VG_CPE_NAME_INVALID));
	} else {
		rc = vg_buf_addstr(answer, vg_cpe_name_rel_name(vg_cpe_compare(&src, &tgt, rels)));
		if (rc == 0 && attrs)
			rc = append_attrs(answer, rels);
	}
	vg_cpe_release(&src);
	vg_cpe_release(&tgt);
	return rc;
}

static int
bind_line(void *ctx, char **f, int n, struct vg_buf *answer, struct vg_buf *why)
{
	const char *sep = ctx;
	struct vg_cpe cpe;
	int rc;

	(void)n;
	vg_cpe_init(&cpe);
	rc = parse_name("name", f[0], &cpe, why);
	if (rc == 0)
		rc = vg_cpe_bind_fs(&cpe, answer);
	if (rc == 0)
		rc = vg_buf_addstr(answer, sep);
	if (rc == 0)
		rc = vg_cpe_bind_uri(&cpe, answer);
	vg_cpe_release(&cpe);
	return rc;
}

static int
run_single(vg_batch_fn fn, void *ctx, char **fields, int n)
{
	struct vg_buf answer, why;
	int status = VG_EXIT_OK;
	int rc;

	vg_buf_init(&answer, 8192);
	vg_buf_init(&why, 1024);
	rc = fn(ctx, fields, n, &answer, &why);
	if (rc == 0 && answer.len)
		printf("%s\n", answer.p);
	/* An unparsable name is answered INVALID and is still an input error. */
	if (rc < 0 || why.len)
		status = vg_cli_usage_error("cpe", "%s", why.len ? why.p : "invalid name");
	vg_buf_release(&answer);
	vg_buf_release(&why);
	return status;
}

int
vg_cmd_cpe(int argc, char **argv)
{
	static const struct option opts[] = {
		{"attrs", no_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool attrs = false;
	const char *verb;
	int c;

	optind = 1;
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
			fputs(usage_text, stdout);
			return VG_EXIT_OK;
		}
		fputs(usage_text, stderr);
		return VG_EXIT_USAGE;
	}
	verb = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "+ah", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			attrs = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return VG_EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return VG_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (strcmp(verb, "match") == 0) {
		if (argc == 1 && strcmp(argv[0], "-") == 0)
			return vg_batch_run("cpe", stdin, stdout, 2, match_line, &attrs);
		if (argc != 2)
			return vg_cli_usage_error("cpe", "match needs SOURCE and TARGET (or '-')");
		return run_single(match_line, &attrs, argv, 2);
	}
	if (strcmp(verb, "bind") == 0) {
		if (argc == 1 && strcmp(argv[0], "-") == 0)
			return vg_batch_run("cpe", stdin, stdout, 1, bind_line, "\t");
		if (argc != 1)
			return vg_cli_usage_error("cpe", "bind needs one NAME (or '-')");
		return run_single(bind_line, "\n", argv, 1);
	}
	return vg_cli_usage_error("cpe", "unknown subcommand '%s' (match, bind)", verb);
}
