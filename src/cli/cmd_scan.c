/*
 * cmd_scan.c - `vigil scan`: the known vulnerabilities of this host (or of
 * a root directory), prioritised by risk, and the assessment of its
 * configuration against the configuration policies.
 *
 *   vigil scan [--root DIR] [--db FILE] [--format table|json|csv|sarif]
 *              [--fail-on SEVERITY] [--app-dir DIR]... [--compact] [--color WHEN]
 *              [--config-only | --no-config] [--policy PATH]... [--commands]
 *              [--command-timeout MS]
 *
 * Collects the inventory (src/agent), matches it against the knowledge base
 * (src/engine/match.h), scores it (score.h) and prints the report
 * (report.h); then evaluates the policies (src/policy/eval.h) and prints
 * their results and the device's Secure Score after it (table and JSON).
 * docs/scan.md is the user's documentation.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/document.h"
#include "agent/inventory.h"
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/json.h"
#include "engine/match.h"
#include "engine/report.h"
#include "engine/score.h"
#include "store/kb.h"

#include "policy/eval.h"
#include "policy/policy.h"

static const char usage_text[] =
	"usage: vigil scan [--root DIR] [--db FILE] [--format FMT] [--fail-on SEVERITY]\n"
	"                  [--app-dir DIR]... [--compact] [--color WHEN]\n"
	"                  [--config-only | --no-config] [--policy PATH]... [--commands]\n"
	"                  [--command-timeout MS]\n"
	"\n"
	"Find the known vulnerabilities of this host (or of the file system under DIR:\n"
	"a mounted image, a chroot), prioritised by risk.  OS packages are matched\n"
	"against their own distribution's data by source package and release (so\n"
	"backported fixes are never reported), Python and npm packages against their\n"
	"ecosystem's advisories; NVD CPE data only for software no source covers.\n"
	"Then the configuration is assessed against the configuration policies\n"
	"(read-only) and the device's Secure Score printed.\n"
	"\n"
	"  --root DIR       scan the tree under DIR instead of /\n"
	"  --db FILE        the knowledge base, filled by 'vigil feeds sync' or 'vigil feeds\n"
	"                   import' (default: $VIGIL_DB, else /var/lib/vigil/vigil.db for\n"
	"                   root and ~/.local/share/vigil/vigil.db for others)\n"
	"  --format FMT     table (default): summary and findings by priority\n"
	"                   json: every finding with its evidence (docs/scan.md)\n"
	"                   csv: one row per finding;  sarif: SARIF 2.1.0\n"
	"                   (csv and sarif: vulnerabilities only)\n"
	"  --json           --format json\n"
	"  --fail-on SEV    exit 3 when a finding of severity SEV or above exists:\n"
	"                   critical, high, medium, low, or any (any finding at all)\n"
	"  --app-dir DIR    also scan the npm and Python packages of the application\n"
	"                   directory DIR (under the root; repeatable)\n"
	"  --compact        JSON and SARIF on one line\n"
	"  --color WHEN     table colours: auto (default: a terminal, and NO_COLOR\n"
	"                   unset), always, never\n"
	"  --config-only    only the configuration assessment (no knowledge base needed)\n"
	"  --no-config      only the vulnerabilities\n"
	"  --policy PATH    configuration policy file, or directory of *.yml (repeatable;\n"
	"                   default " VG_CONTENT_DIR ")\n"
	"  --commands       let policies run their command (c:) rules; off by default:\n"
	"                   those rules are then notApplicable\n"
	"  --command-timeout MS  time limit of one policy command (default 5000)\n"
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
	bool config_only, no_config;
	const char *policies[64];
	size_t npolicies;
	struct vg_eval_opts eval;
};

/* Longest --command-timeout, in milliseconds. */
#define MAX_CMD_TIMEOUT_MS (10 * 60 * 1000)

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

static int
parse_ms(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > MAX_CMD_TIMEOUT_MS)
		return -1;
	*out = (int)v;
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
		{"json", no_argument, NULL, 'j'},
		{"config-only", no_argument, NULL, 'O'},
		{"no-config", no_argument, NULL, 'N'},
		{"policy", required_argument, NULL, 'p'},
		{"commands", no_argument, NULL, 'x'},
		{"command-timeout", required_argument, NULL, 'T'},
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
		case 'j':
			o->fmt = FMT_JSON;
			break;
		case 'O':
			o->config_only = true;
			break;
		case 'N':
			o->no_config = true;
			break;
		case 'p':
			if (o->npolicies == VG_ARRAY_LEN(o->policies))
				return vg_cli_usage_error("scan", "at most %zu --policy options",
							  VG_ARRAY_LEN(o->policies));
			o->policies[o->npolicies++] = optarg;
			break;
		case 'x':
			o->eval.commands = true;
			break;
		case 'T':
			if (parse_ms(optarg, &o->eval.command_timeout_ms) < 0)
				return vg_cli_usage_error(
					"scan",
					"bad --command-timeout '%s' (milliseconds, 1 to %d)",
					optarg, MAX_CMD_TIMEOUT_MS);
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
	if (o->config_only && o->no_config)
		return vg_cli_usage_error("scan",
					  "--config-only and --no-config exclude each other");
	if (o->config_only && (o->fmt == FMT_CSV || o->fmt == FMT_SARIF || o->fail_on_set))
		return vg_cli_usage_error("scan", "--config-only prints a table or JSON only (no "
						  "--format csv or sarif, no --fail-on)");
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

/* ---- Configuration assessment ---- */

/* The policies' results on this device. */
struct config_run {
	struct vg_policy_set set;
	struct vg_evaluator ev;
	bool ev_ready;
	struct vg_check_result **res; /* per policy, in the evaluator's arena */
	size_t *nres;
	struct vg_secure_score *score; /* per policy */
	struct vg_secure_score total;  /* over every policy */
};

/* Load the --policy paths, else the shipped baseline.  An exit status on error (said). */
static int
config_load(const struct options *o, struct config_run *c)
{
	const char *def[] = {VG_CONTENT_DIR};
	const char *const *paths = o->npolicies ? o->policies : def;
	size_t n = o->npolicies ? o->npolicies : 1;
	struct vg_err err;

	for (size_t i = 0; i < n; i++) {
		vg_err_clear(&err);
		if (vg_policy_set_add(&c->set, paths[i], &err) != VG_OK) {
			fprintf(stderr, "vigil scan: error: %s\n",
				err.msg[0] ? err.msg : vg_strerror(VG_EINVAL));
			return VG_EXIT_USAGE;
		}
	}
	return VG_EXIT_OK;
}

/* Evaluate every policy on @inv (borrowed until config_release). */
static int
config_eval(const struct options *o, const struct vg_inventory *inv, struct config_run *c)
{
	struct vg_check_result *all;
	size_t nall = 0, k = 0;

	vg_eval_init(&c->ev, o->root, inv, &o->eval);
	c->ev_ready = true;
	c->res = vg_xcalloc(c->set.n ? c->set.n : 1, sizeof(*c->res));
	c->nres = vg_xcalloc(c->set.n ? c->set.n : 1, sizeof(*c->nres));
	c->score = vg_xcalloc(c->set.n ? c->set.n : 1, sizeof(*c->score));
	for (size_t p = 0; p < c->set.n; p++) {
		if (vg_eval_policy(&c->ev, &c->set.policies[p], &c->res[p], &c->nres[p]) != VG_OK) {
			fprintf(stderr, "vigil scan: error: evaluating policy '%s': %s\n",
				c->set.policies[p].id, vg_strerror(VG_ENOMEM));
			return VG_EXIT_FAIL;
		}
		vg_secure_score_device(c->res[p], c->nres[p], &c->score[p]);
		nall += c->nres[p];
	}
	all = vg_xcalloc(nall ? nall : 1, sizeof(*all));
	for (size_t p = 0; p < c->set.n; p++)
		for (size_t i = 0; i < c->nres[p]; i++)
			all[k++] = c->res[p][i];
	vg_secure_score_device(all, nall, &c->total);
	free(all);
	return VG_EXIT_OK;
}

static void
config_release(struct config_run *c)
{
	if (c->ev_ready)
		vg_eval_release(&c->ev);
	free(c->res);
	free(c->nres);
	free(c->score);
	vg_policy_set_release(&c->set);
	memset(c, 0, sizeof(*c));
}

/* Print @s on one line: control bytes (from policy files and the device) become '?'. */
static void
put_text(FILE *out, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

/* The same for a line's last column: without trailing blanks. */
static void
put_last(FILE *out, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n; i++)
		fputc((unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i], out);
}

/* Display width of @s: UTF-8 characters, not bytes, so columns line up. */
static size_t
text_width(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void
pad(FILE *out, const char *s, size_t width)
{
	put_text(out, s);
	for (size_t w = text_width(s); w < width; w++)
		fputc(' ', out);
}

static const char *
category_text(const struct vg_check *ck)
{
	return ck->category == VG_CAT_NONE ? "-" : vg_category_name(ck->category);
}

/* Failed checks by impact (highest first), the policy's order among equals. */
static int
cmp_failed(const void *pa, const void *pb)
{
	const struct vg_check_result *a = *(const struct vg_check_result *const *)pa;
	const struct vg_check_result *b = *(const struct vg_check_result *const *)pb;

	if (a->check->impact != b->check->impact)
		return a->check->impact > b->check->impact ? -1 : 1;
	return (a->check > b->check) - (a->check < b->check);
}

static void
print_score(FILE *out, const char *label, double points, double max)
{
	fprintf(out, "%-15s%.0f / %.0f points (%.1f%%)\n", label, points, max,
		vg_secure_score_percent(points, max));
}

/* The failed checks of one policy as columns: ID IMPACT CATEGORY TITLE REASON. */
static void
print_failed(FILE *out, const struct vg_check_result *res, size_t n, size_t nfailed)
{
	const struct vg_check_result **f = vg_xcalloc(nfailed ? nfailed : 1, sizeof(*f));
	size_t k = 0, wid = 2, wcat = 8, wtitle = 5;

	for (size_t i = 0; i < n; i++)
		if (res[i].result == VG_RESULT_FAILED && k < nfailed)
			f[k++] = &res[i];
	qsort(f, k, sizeof(*f), cmp_failed);
	for (size_t i = 0; i < k; i++) {
		size_t w;

		if ((w = text_width(f[i]->check->id)) > wid)
			wid = w;
		if ((w = text_width(category_text(f[i]->check))) > wcat)
			wcat = w;
		if ((w = text_width(f[i]->check->title)) > wtitle)
			wtitle = w;
	}
	fprintf(out, "\n  %-*s  IMPACT  %-*s  %-*s  REASON\n", (int)wid, "ID", (int)wcat,
		"CATEGORY", (int)wtitle, "TITLE");
	for (size_t i = 0; i < k; i++) {
		const struct vg_check *ck = f[i]->check;

		fputs("  ", out);
		pad(out, ck->id, wid);
		fprintf(out, "  %6d  ", ck->impact);
		pad(out, category_text(ck), wcat);
		fputs("  ", out);
		if (f[i]->reason && f[i]->reason[strspn(f[i]->reason, " \t")]) {
			pad(out, ck->title, wtitle);
			fputs("  ", out);
			put_last(out, f[i]->reason);
		} else {
			put_last(out, ck->title);
		}
		fputc('\n', out);
	}
	free(f);
}

/* Whether a check of @p counts in the Secure Score (Wazuh policies usually have none). */
static bool
policy_scored(const struct vg_policy *p)
{
	for (size_t i = 0; i < p->nchecks; i++)
		if (p->checks[i].impact > 0)
			return true;
	return false;
}

/* One policy's block: identity, counts, score overall and per category, failed checks. */
static void
print_policy(FILE *out, const struct vg_policy *p, const struct vg_check_result *res, size_t n,
	     const struct vg_secure_score *sc)
{
	fputs("\nConfiguration  ", out);
	put_text(out, p->id);
	if (p->version) {
		fputc(' ', out);
		put_text(out, p->version);
	}
	if (p->name) {
		fputs(": ", out);
		put_last(out, p->name);
	}
	fputs("\nPolicy file    ", out);
	put_last(out, p->path);
	if (n > 0 && sc->na == n) {
		/* A policy for another distribution: one line, not an empty score block. */
		fprintf(out, "\nChecks         %zu, none applicable", n);
		if (res[0].reason) {
			fputs(" (", out);
			put_text(out, res[0].reason);
			fputc(')', out);
		}
		fputc('\n', out);
		return;
	}
	fprintf(out,
		"\nChecks         %zu: %zu passed, %zu failed, %zu not applicable, %zu error%s\n",
		n, sc->passed, sc->failed, sc->na, sc->error, sc->error == 1 ? "" : "s");
	if (!policy_scored(p)) {
		fputs("Secure Score   not scored (its checks have no impact: docs/policy-format.md)\n",
		      out);
	} else {
		print_score(out, "Secure Score", sc->points, sc->max);
	}
	for (int cat = VG_CAT_NONE + 1; cat < VG_NCATEGORIES; cat++) {
		if (sc->cat_max[cat] <= 0)
			continue;
		fprintf(out, "  %-17s  %.0f / %.0f points (%.1f%%)\n",
			vg_category_name((enum vg_check_category)cat), sc->cat_points[cat],
			sc->cat_max[cat],
			vg_secure_score_percent(sc->cat_points[cat], sc->cat_max[cat]));
	}
	if (sc->failed)
		print_failed(out, res, n, sc->failed);
}

static int
config_write_table(const struct options *o, const struct config_run *c)
{
	if (o->config_only) {
		fputs("Vigil configuration assessment of ", stdout);
		put_last(stdout, o->root);
		fputc('\n', stdout);
	}
	if (c->set.n == 0)
		fputs("\nConfiguration  no policies\n", stdout);
	for (size_t p = 0; p < c->set.n; p++)
		print_policy(stdout, &c->set.policies[p], c->res[p], c->nres[p], &c->score[p]);
	if (c->set.n > 1) {
		fputc('\n', stdout);
		print_score(stdout, "Overall", c->total.points, c->total.max);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "vigil scan: error: cannot write the report: %s\n",
			vg_strerror(VG_EIO));
		return VG_EXIT_FAIL;
	}
	return VG_EXIT_OK;
}

/* Points and maximum are sums of integer impacts on one device; the percentage has 2 decimals. */
static void
json_score(struct vg_json *j, const struct vg_secure_score *sc)
{
	vg_json_begin_object(j);
	vg_json_kv_int(j, "points", (int64_t)llround(sc->points));
	vg_json_kv_int(j, "max", (int64_t)llround(sc->max));
	vg_json_key(j, "percent");
	vg_json_double(j, vg_secure_score_percent(sc->points, sc->max), 2);
	vg_json_key(j, "categories");
	vg_json_begin_array(j);
	for (int cat = VG_CAT_NONE + 1; cat < VG_NCATEGORIES; cat++) {
		if (sc->cat_max[cat] <= 0)
			continue;
		vg_json_begin_object(j);
		vg_json_kv_str(j, "category", vg_category_name((enum vg_check_category)cat));
		vg_json_kv_int(j, "points", (int64_t)llround(sc->cat_points[cat]));
		vg_json_kv_int(j, "max", (int64_t)llround(sc->cat_max[cat]));
		vg_json_key(j, "percent");
		vg_json_double(j, vg_secure_score_percent(sc->cat_points[cat], sc->cat_max[cat]),
			       2);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
	vg_json_end_object(j);
}

static void
json_counts(struct vg_json *j, size_t n, const struct vg_secure_score *sc)
{
	vg_json_kv_int(j, "checks", (int64_t)n);
	vg_json_kv_int(j, "passed", (int64_t)sc->passed);
	vg_json_kv_int(j, "failed", (int64_t)sc->failed);
	vg_json_kv_int(j, "notApplicable", (int64_t)sc->na);
	vg_json_kv_int(j, "error", (int64_t)sc->error);
}

static void
json_result(struct vg_json *j, const struct vg_check_result *r)
{
	const struct vg_check *ck = r->check;

	vg_json_begin_object(j);
	vg_json_kv_str(j, "policy", r->policy->id);
	vg_json_kv_str(j, "id", ck->id);
	vg_json_kv_str(j, "title", ck->title);
	vg_json_kv_str(j, "category",
		       ck->category == VG_CAT_NONE ? NULL : vg_category_name(ck->category));
	vg_json_kv_str_opt(j, "subcategory", ck->subcategory);
	vg_json_kv_int(j, "impact", ck->impact);
	vg_json_kv_str(j, "result", vg_result_name(r->result));
	vg_json_kv_str(j, "reason", r->reason);
	vg_json_kv_str(j, "evidence", r->evidence);
	vg_json_end_object(j);
}

/* The "configuration" object of the JSON report (docs/scan.md). */
static void
json_configuration(struct vg_json *j, const struct config_run *c)
{
	size_t total = 0;

	vg_json_begin_object(j);
	vg_json_key(j, "policies");
	vg_json_begin_array(j);
	for (size_t p = 0; p < c->set.n; p++) {
		const struct vg_policy *pol = &c->set.policies[p];

		vg_json_begin_object(j);
		vg_json_kv_str(j, "id", pol->id);
		vg_json_kv_str(j, "name", pol->name);
		vg_json_kv_str(j, "version", pol->version);
		vg_json_kv_str(j, "path", pol->path);
		vg_json_kv_str(j, "format", pol->format == VG_POLICY_VIGIL ? "vigil" : "wazuh");
		json_counts(j, c->nres[p], &c->score[p]);
		vg_json_key(j, "score");
		json_score(j, &c->score[p]);
		vg_json_end_object(j);
		total += c->nres[p];
	}
	vg_json_end_array(j);
	json_counts(j, total, &c->total);
	vg_json_key(j, "score");
	json_score(j, &c->total);
	vg_json_key(j, "results");
	vg_json_begin_array(j);
	for (size_t p = 0; p < c->set.n; p++)
		for (size_t i = 0; i < c->nres[p]; i++)
			json_result(j, &c->res[p][i]);
	vg_json_end_array(j);
	vg_json_end_object(j);
}

/* The configuration object alone (for --config-only, or to splice into the report). */
static int
config_json(const struct config_run *c, struct vg_buf *out, bool pretty)
{
	struct vg_json j;

	vg_json_init(&j, out, pretty ? VG_JSON_PRETTY : 0);
	json_configuration(&j, c);
	return vg_json_finish(&j);
}

/* The --config-only JSON document: the envelope and the configuration object. */
static int
config_only_json(const struct options *o, const struct config_run *c, struct vg_buf *out)
{
	struct vg_json j;
	char now[32];
	int rc;

	vg_rfc3339_now(now, sizeof(now));
	vg_json_init(&j, out, o->compact ? 0 : VG_JSON_PRETTY);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "schemaVersion", VG_REPORT_SCHEMA);
	vg_json_key(&j, "tool");
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "name", "vigil");
	vg_json_kv_str(&j, "version", VG_VERSION);
	vg_json_end_object(&j);
	vg_json_kv_str(&j, "scannedAt", now);
	vg_json_kv_str(&j, "root", o->root);
	vg_json_key(&j, "configuration");
	json_configuration(&j, c);
	vg_json_end_object(&j);
	rc = vg_json_finish(&j);
	return rc < 0 ? rc : vg_buf_addch(out, '\n');
}

/*
 * Add the member "configuration" to the JSON report in @out (one object,
 * written by vg_report_write_json): drop its closing brace, append the
 * member (indented one level deeper when pretty: every newline of the
 * object's own pretty form gets two more spaces) and close it again.
 */
static int
splice_configuration(struct vg_buf *out, const struct config_run *c, bool pretty)
{
	struct vg_buf obj;
	size_t end = out->len;
	int rc;

	while (end > 0 && out->p[end - 1] != '}')
		end--;
	if (end == 0)
		return VG_EINVAL;
	end--;
	while (end > 0 && (out->p[end - 1] == '\n' || out->p[end - 1] == ' '))
		end--;
	out->len = end;
	vg_buf_init(&obj, VG_BUF_NOLIMIT);
	rc = config_json(c, &obj, pretty);
	if (rc == VG_OK)
		rc = vg_buf_addstr(out,
				   pretty ? ",\n  \"configuration\": " : ",\"configuration\":");
	for (size_t i = 0; rc == VG_OK && i < obj.len; i++)
		rc = obj.p[i] == '\n' ? vg_buf_addstr(out, "\n  ") : vg_buf_addch(out, obj.p[i]);
	if (rc == VG_OK)
		rc = vg_buf_addstr(out, pretty ? "\n}\n" : "}\n");
	vg_buf_release(&obj);
	return rc;
}

static int
write_report(const struct vg_scan_report *r, const struct options *o, const struct config_run *c)
{
	unsigned flags = o->compact ? 0 : VG_REPORT_PRETTY;
	struct vg_buf out;
	int rc;

	vg_buf_init(&out, VG_BUF_NOLIMIT);
	switch (o->fmt) {
	case FMT_JSON:
		rc = vg_report_write_json(r, &out, flags);
		if (rc == VG_OK && c)
			rc = splice_configuration(&out, c, flags & VG_REPORT_PRETTY);
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

/* Print the configuration assessment alone (--config-only). */
static int
write_config_only(const struct options *o, const struct config_run *c)
{
	struct vg_buf out;
	int rc;

	if (o->fmt != FMT_JSON)
		return config_write_table(o, c);
	vg_buf_init(&out, VG_BUF_NOLIMIT);
	rc = config_only_json(o, c, &out);
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

/* @kb is NULL for --config-only; @c NULL for --no-config. */
static int
scan(const struct options *o, struct vg_kb *kb, struct config_run *c)
{
	struct vg_inventory inv;
	struct vg_scan_report report;
	struct vg_matcher *m;
	struct vg_err err;
	bool table = o->fmt == FMT_TABLE;
	int rc;

	rc = vg_cli_collect("scan", o->root, o->napp ? o->app_dirs : NULL, &inv);
	if (rc != VG_EXIT_OK)
		return rc;
	if (c)
		rc = config_eval(o, &inv, c);
	if (rc == VG_EXIT_OK && !kb) {
		rc = write_config_only(o, c);
		vg_inventory_release(&inv);
		return rc;
	}
	/* csv and sarif are about vulnerabilities only. */
	if (c && o->fmt != FMT_JSON && !table)
		c = NULL;
	m = rc == VG_EXIT_OK ? vg_matcher_new(kb) : NULL;
	vg_err_clear(&err);
	if (!m) {
		/* rc says what failed */
	} else if (vg_report_build(&report, &inv, m, 0, o->db, &err) < 0) {
		fprintf(stderr, "vigil scan: error: matching failed: %s\n", err.msg);
		rc = VG_EXIT_FAIL;
	} else {
		rc = write_report(&report, o, o->fmt == FMT_JSON ? c : NULL);
		if (rc == VG_EXIT_OK && c && table)
			rc = config_write_table(o, c);
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
	struct config_run cfg;
	bool with_config;
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
	if (!o.config_only) {
		rc = open_kb(o.db, &kb);
		if (rc != VG_EXIT_OK)
			return rc;
	}
	memset(&cfg, 0, sizeof(cfg));
	/* The shipped baseline may be absent (an install without it): then only a
	 * --config-only scan, which has nothing else to do, says so. */
	with_config = !o.no_config &&
		      (o.config_only || o.npolicies || access(VG_CONTENT_DIR, R_OK | X_OK) == 0);
	rc = with_config ? config_load(&o, &cfg) : VG_EXIT_OK;
	if (rc == VG_EXIT_OK)
		rc = scan(&o, kb, with_config ? &cfg : NULL);
	config_release(&cfg);
	if (kb)
		vg_kb_close(kb);
	return rc;
}
