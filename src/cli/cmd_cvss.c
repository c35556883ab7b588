/*
 * cmd_cvss.c - `vigil cvss`: score a CVSS vector.
 *
 *   vigil cvss VECTOR          prints "SCORE SEVERITY", e.g. "9.8 CRITICAL"
 *   vigil cvss --all VECTOR    also the temporal and environmental scores
 *   vigil cvss -               batch: one vector per stdin line
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/cvss.h"

static const char usage_text[] =
	"usage: vigil cvss [--all] VECTOR\n"
	"       vigil cvss [--all] -\n"
	"\n"
	"Parse a CVSS v2.0, v3.0, v3.1 or v4.0 vector and print its score with one\n"
	"decimal and its severity in upper case ('9.8 CRITICAL').  v3.x and v4.0\n"
	"vectors start with 'CVSS:3.1/' (or 3.0, 4.0); v2 vectors have no prefix.\n"
	"The v4.0 score accounts for the threat and environmental metrics present.\n"
	"\n"
	"  --all   print 'BASE SEVERITY TEMPORAL ENVIRONMENTAL' (v2 and v3.x)\n"
	"\n"
	"With '-', read one vector per line from stdin and print one answer per\n"
	"line ('error' for a vector that does not parse).\n"
	"Exit status: 0 on success, 2 for a malformed vector or bad usage.\n";

static int
score_line(void *ctx, char **f, int n, struct vg_buf *answer, struct vg_buf *why)
{
	bool all = *(bool *)ctx;
	struct vg_cvss cvss;
	struct vg_err err;
	int rc;

	(void)n;
	vg_err_clear(&err);
	rc = vg_cvss_parse(vg_str_c(f[0]), &cvss, &err);
	if (rc < 0)
		return vg_batch_reason(why, rc, err.msg);
	rc = vg_buf_addf(answer, "%.1f %s", cvss.base,
			 vg_severity_name(vg_cvss_severity(cvss.version, cvss.base)));
	if (rc == 0 && all)
		rc = vg_buf_addf(answer, " %.1f %.1f", cvss.temporal, cvss.environmental);
	return rc;
}

int
vg_cmd_cvss(int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct vg_buf answer, why;
	bool all = false;
	char *fields[1];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+ah", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = true;
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
	if (argc != 1)
		return vg_cli_usage_error("cvss",
					  "expected one VECTOR (or '-'); see 'vigil cvss --help'");
	if (strcmp(argv[0], "-") == 0)
		return vg_batch_run("cvss", stdin, stdout, 1, score_line, &all);

	fields[0] = argv[0];
	vg_buf_init(&answer, 256);
	vg_buf_init(&why, 1024);
	rc = score_line(&all, fields, 1, &answer, &why);
	if (rc < 0)
		vg_cli_usage_error("cvss", "%s", why.len ? why.p : "invalid vector");
	else
		printf("%s\n", answer.p);
	vg_buf_release(&answer);
	vg_buf_release(&why);
	return rc < 0 ? VG_EXIT_USAGE : VG_EXIT_OK;
}
