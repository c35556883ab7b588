/*
 * cmd_vercmp.c - `vigil vercmp`: compare versions, or test npm ranges.
 *
 *   vigil vercmp SCHEME V1 V2          prints <, = or >
 *   vigil vercmp SCHEME -              batch: "V1<TAB>V2" lines on stdin
 *   vigil vercmp --range npm RANGE V   prints true or false
 *   vigil vercmp --range npm -         batch: "RANGE<TAB>V" lines on stdin
 *
 * This is how a user checks why Vigil thinks an installed version is older
 * than a fixed one, with exactly the comparator the matcher uses.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/version/version.h"

static const char usage_text[] =
	"usage: vigil vercmp SCHEME V1 V2\n"
	"       vigil vercmp SCHEME -\n"
	"       vigil vercmp --range npm RANGE VERSION\n"
	"       vigil vercmp --range npm -\n"
	"\n"
	"Compare two versions under SCHEME and print '<', '=' or '>'; with --range,\n"
	"print 'true' or 'false' for whether VERSION satisfies the npm RANGE.\n"
	"SCHEME is one of: dpkg, rpm, apk, semver, pep440, generic.\n"
	"With '-' in place of the operands, read TAB-separated operand lines from\n"
	"stdin and print one answer per line ('error' for a line that does not parse).\n"
	"\n"
	"Exit status: 0 on success, 2 for an invalid version or bad usage.\n"
	"Examples:\n"
	"  vigil vercmp dpkg 1:2.0~rc1-1 1:2.0-1      # <\n"
	"  vigil vercmp rpm 1.0^git1-1 1.0-1          # >\n"
	"  vigil vercmp --range npm '^1.2.3 || 2.x' 2.4.0   # true\n";

static const char cmp_sign[] = {'<', '=', '>'};

static int
compare_line(void *ctx, char **f, int n, struct vg_buf *answer, struct vg_buf *why)
{
	enum vg_ver_scheme scheme = *(enum vg_ver_scheme *)ctx;
	struct vg_err err;
	int cmp = 0;
	int rc;

	(void)n;
	vg_err_clear(&err);
	rc = vg_ver_compare(scheme, vg_str_c(f[0]), vg_str_c(f[1]), &cmp, &err);
	if (rc < 0)
		return vg_batch_reason(why, rc, err.msg);
	return vg_buf_addch(answer, cmp_sign[cmp + 1]);
}

static int
range_line(void *ctx, char **f, int n, struct vg_buf *answer, struct vg_buf *why)
{
	struct vg_err err;
	bool ok = false;
	int rc;

	(void)ctx;
	(void)n;
	vg_err_clear(&err);
	rc = vg_npm_range_satisfies(vg_str_c(f[0]), vg_str_c(f[1]), &ok, &err);
	if (rc < 0)
		return vg_batch_reason(why, rc, err.msg);
	return vg_buf_addstr(answer, ok ? "true" : "false");
}

/* Run one comparison from the command line, printing the answer or the error. */
static int
single(vg_batch_fn fn, void *ctx, char *a, char *b)
{
	char *fields[] = {a, b};
	struct vg_buf answer, why;
	int rc;

	vg_buf_init(&answer, 64);
	vg_buf_init(&why, 1024);
	rc = fn(ctx, fields, 2, &answer, &why);
	if (rc < 0)
		vg_cli_usage_error("vercmp", "%s", why.len ? why.p : "invalid input");
	else
		printf("%s\n", answer.p);
	vg_buf_release(&answer);
	vg_buf_release(&why);
	return rc < 0 ? VG_EXIT_USAGE : VG_EXIT_OK;
}

int
vg_cmd_vercmp(int argc, char **argv)
{
	static const struct option opts[] = {
		{"range", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum vg_ver_scheme scheme;
	const char *range = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+hr:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			return VG_EXIT_OK;
		case 'r':
			range = optarg;
			break;
		default:
			fputs(usage_text, stderr);
			return VG_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (range) {
		if (strcmp(range, "npm") != 0)
			return vg_cli_usage_error(
				"vercmp",
				"range expressions are supported for 'npm' only, not '%s'", range);
		if (argc == 1 && strcmp(argv[0], "-") == 0)
			return vg_batch_run("vercmp", stdin, stdout, 2, range_line, NULL);
		if (argc != 2)
			return vg_cli_usage_error("vercmp",
						  "--range npm needs RANGE and VERSION (or '-')");
		return single(range_line, NULL, argv[0], argv[1]);
	}

	if (argc < 1)
		return vg_cli_usage_error("vercmp", "missing SCHEME (see 'vigil vercmp --help')");
	if (vg_ver_scheme_parse(vg_str_c(argv[0]), &scheme) < 0)
		return vg_cli_usage_error(
			"vercmp", "unknown scheme '%s' (dpkg, rpm, apk, semver, pep440, generic)",
			argv[0]);
	if (argc == 2 && strcmp(argv[1], "-") == 0)
		return vg_batch_run("vercmp", stdin, stdout, 2, compare_line, &scheme);
	if (argc != 3)
		return vg_cli_usage_error("vercmp", "expected SCHEME V1 V2 (or SCHEME -)");
	return single(compare_line, &scheme, argv[1], argv[2]);
}
