/*
 * cmd_scan.c - `vigil scan`: the known vulnerabilities of this host (or of
 * a root directory), prioritised by risk.
 *
 *   vigil scan [--root DIR] [--db FILE] [--format table|json|csv|sarif]
 *              [--fail-on SEVERITY] [--app-dir DIR]... [--compact] [--color WHEN]
 *
 * Collects the inventory (src/agent), matches it against the knowledge base
 * (src/engine/match.h), scores it (score.h) and prints the report
 * (report.h).  docs/scan.md is the user's documentation.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/inventory.h"
#include "cli/cli.h"
#include "core/err.h"
#include "engine/match.h"
#include "engine/report.h"
#include "engine/score.h"
#include "store/kb.h"

static const char usage_text[] =
	"usage: vigil scan [--root DIR] [--db FILE] [--format FMT] [--fail-on SEVERITY]\n"
	"                  [--app-dir DIR]... [--compact] [--color WHEN]\n"
	"\n"
	"Find the known vulnerabilities of this host (or of the file system under DIR:\n"
	"a mounted image, a chroot), prioritised by risk.  OS packages are matched\n"
	"against their own distribution's data by source package and release (so\n"
	"backported fixes are never reported), Python and npm packages against their\n"
	"ecosystem's advisories; NVD CPE data only for software no source covers.\n"
	"\n"
	"  --root DIR       scan the tree under DIR instead of /\n"
	"  --db FILE        the knowledge base, filled by 'vigil feeds sync' or 'vigil feeds\n"
	"                   import' (default: $VIGIL_DB, else /var/lib/vigil/vigil.db for\n"
	"                   root and ~/.local/share/vigil/vigil.db for others)\n"
	"  --format FMT     table (default): summary and findings by priority\n"
	"                   json: every finding with its evidence (docs/scan.md)\n"
	"                   csv: one row per finding;  sarif: SARIF 2.1.0\n"
	"  --fail-on SEV    exit 3 when a finding of severity SEV or above exists:\n"
	"                   critical, high, medium, low, or any (any finding at all)\n"
	"  --app-dir DIR    also scan the npm and Python packages of the application\n"
	"                   directory DIR (under the root; repeatable)\n"
	"  --compact        JSON and SARIF on one line\n"
	"  --color WHEN     table colours: auto (default: a terminal, and NO_COLOR\n"
	"                   unset), always, never\n"
	"\n"
	"Exit status: 0 scanned (with or without findings), 3 the --fail-on threshold\n"
	"was reached, 1 the scan failed, 2 bad usage or no knowledge base.\n";

enum format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_SARIF };

struct options {
	const char *root;
	const char *db;
	enum format fmt;
	bool fail_on_set;
	bool fail_any;
	enum vg_fsev fail_on;
	bool compact;
	int color; /* -1 auto, 0 never, 1 always */
	const char *app_dirs[65];
	size_t napp;
};

static int
parse_format(const char *s, enum format *f)
{
	static const char *const names[] = {"table", "json", "csv", "sarif"};

	for (size_t i = 0; i < VG_ARRAY_LEN(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*f = (enum format)i;
			return 0;
		}
	}
	return -1;
}

static int
parse_color(const char *s, int *color)
{
	if (strcmp(s, "auto") == 0)
		*color = -1;
	else if (strcmp(s, "always") == 0)
		*color = 1;
	else if (strcmp(s, "never") == 0)
		*color = 0;
	else
		return -1;
	return 0;
}

/* Returns -1 to go on, else the exit status. */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'r'},
		{"db", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'},
		{"fail-on", required_argument, NULL, 'F'},
		{"app-dir", required_argument, NULL, 'a'},
		{"compact", no_argument, NULL, 'c'},
		{"color", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hr:d:f:F:a:cC:", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->root = optarg;
			break;
		case 'd':
			o->db = optarg;
			break;
		case 'f':
			if (parse_format(optarg, &o->fmt) < 0)
				return vg_cli_usage_error(
					"scan", "unknown format '%s' (table, json, csv, sarif)",
					optarg);
			break;
		case 'F':
			o->fail_on_set = true;
			o->fail_any = strcmp(optarg, "any") == 0;
			if (!o->fail_any && vg_fsev_parse(optarg, &o->fail_on) < 0)
				return vg_cli_usage_error(
					"scan",
					"unknown severity '%s' (critical, high, medium, low, any)",
					optarg);
			break;
		case 'a':
			if (o->napp + 1 >= VG_ARRAY_LEN(o->app_dirs))
				return vg_cli_usage_error("scan", "at most %zu --app-dir options",
							  VG_ARRAY_LEN(o->app_dirs) - 1);
			o->app_dirs[o->napp++] = optarg;
			break;
		case 'c':
			o->compact = true;
			break;
		case 'C':
			if (parse_color(optarg, &o->color) < 0)
				return vg_cli_usage_error(
					"scan", "unknown --color '%s' (auto, always, never)",
					optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return VG_EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return VG_EXIT_USAGE;
		}
	}
	if (optind != argc)
		return vg_cli_usage_error("scan", "unexpected argument '%s'", argv[optind]);
	return -1;
}

static int
no_kb(const char *db, const char *why)
{
	fprintf(stderr,
		"vigil scan: error: %s '%s'\n"
		"hint: fill it with 'vigil feeds sync' (downloads the vulnerability data) or\n"
		"hint: 'vigil feeds import FILE...' (files you have: Debian DSA/DLA lists or\n"
		"hint: tracker JSON, OSV, Alpine secdb, NVD, KEV, EPSS); --db FILE or $VIGIL_DB\n"
		"hint: chooses another database\n",
		why, db);
	return VG_EXIT_USAGE;
}

static int
count_source(const struct vg_kb_source_status *s, void *ctx)
{
	(void)s;
	++*(size_t *)ctx;
	return VG_OK;
}

/* Open the knowledge base read-only; a missing or empty one is a usage error with a hint. */
static int
open_kb(const char *db, struct vg_kb **kb)
{
	size_t nsources = 0;
	struct vg_err err;
	struct stat st;
	int rc;

	vg_err_clear(&err);
	if (stat(db, &st) != 0)
		return no_kb(db, "no knowledge base at");
	rc = vg_kb_open(db, VG_KB_READONLY, kb, &err);
	if (rc == VG_ENOTFOUND)
		return no_kb(db, "no knowledge base at");
	if (rc < 0) {
		fprintf(stderr, "vigil scan: error: cannot open the knowledge base '%s': %s\n", db,
			err.msg[0] ? err.msg : vg_strerror(rc));
		return rc == VG_EUNSUPPORTED ? VG_EXIT_USAGE : VG_EXIT_FAIL;
	}
	/* Sources, not row counts: counting rows would read the whole EPSS table. */
	rc = vg_kb_sources_each(*kb, count_source, &nsources, &err);
	if (rc < 0) {
		fprintf(stderr, "vigil scan: error: cannot read the knowledge base '%s': %s\n", db,
			err.msg[0] ? err.msg : vg_strerror(rc));
		vg_kb_close(*kb);
		return VG_EXIT_FAIL;
	}
	if (nsources == 0) {
		vg_kb_close(*kb);
		return no_kb(db, "nothing imported yet in the knowledge base");
	}
	return VG_EXIT_OK;
}

static int
terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (isatty(STDOUT_FILENO) && cols && *cols)
		return (int)strtol(cols, NULL, 10);
	return 0; /* piped: never truncate */
}

static bool
use_color(int color)
{
	const char *no = getenv("NO_COLOR");

	if (color >= 0)
		return color == 1;
	return isatty(STDOUT_FILENO) && !(no && *no);
}

static int
write_report(const struct vg_scan_report *r, const struct options *o)
{
	unsigned flags = o->compact ? 0 : VG_REPORT_PRETTY;
	struct vg_buf out;
	int rc;

	vg_buf_init(&out, VG_BUF_NOLIMIT);
	switch (o->fmt) {
	case FMT_JSON:
		rc = vg_report_write_json(r, &out, flags);
		break;
	case FMT_CSV:
		rc = vg_report_write_csv(r, &out);
		break;
	case FMT_SARIF:
		rc = vg_report_write_sarif(r, &out, flags);
		break;
	case FMT_TABLE:
	default:
		rc = vg_report_write_table(r, &out, terminal_width(),
					   use_color(o->color) ? VG_REPORT_COLOR : 0);
		break;
	}
	if (rc == VG_OK && (fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0))
		rc = VG_EIO;
	vg_buf_release(&out);
	if (rc < 0) {
		fprintf(stderr, "vigil scan: error: cannot write the report: %s\n",
			vg_strerror(rc));
		return VG_EXIT_FAIL;
	}
	return VG_EXIT_OK;
}

static int
scan(const struct options *o, struct vg_kb *kb)
{
	struct vg_inventory inv;
	struct vg_scan_report report;
	struct vg_matcher *m;
	struct vg_err err;
	int rc;

	rc = vg_cli_collect("scan", o->root, o->napp ? o->app_dirs : NULL, &inv);
	if (rc != VG_EXIT_OK)
		return rc;
	m = vg_matcher_new(kb);
	vg_err_clear(&err);
	if (vg_report_build(&report, &inv, m, 0, o->db, &err) < 0) {
		fprintf(stderr, "vigil scan: error: matching failed: %s\n", err.msg);
		rc = VG_EXIT_FAIL;
	} else {
		rc = write_report(&report, o);
		if (rc == VG_EXIT_OK && o->fail_on_set &&
		    vg_report_count_at_least(&report, o->fail_any ? VG_FSEV_UNKNOWN : o->fail_on) >
			    0)
			rc = VG_EXIT_FINDINGS;
		vg_report_release(&report);
	}
	vg_matcher_free(m);
	vg_inventory_release(&inv);
	return rc;
}

int
vg_cmd_scan(int argc, char **argv)
{
	struct options o = {.root = "/", .fmt = FMT_TABLE, .color = -1};
	struct vg_kb *kb = NULL;
	int rc;

	rc = parse_options(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (!o.db)
		o.db = vg_kb_default_path();
	/* A wrong root is the first thing to say, before any knowledge-base hint. */
	if (access(o.root, R_OK | X_OK) != 0)
		return vg_cli_usage_error("scan", "cannot read root directory '%s'", o.root);
	rc = open_kb(o.db, &kb);
	if (rc != VG_EXIT_OK)
		return rc;
	rc = scan(&o, kb);
	vg_kb_close(kb);
	return rc;
}
