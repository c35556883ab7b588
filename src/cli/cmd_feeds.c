/*
 * cmd_feeds.c - `vigil feeds`: fill the knowledge base and show its state.
 *
 *   vigil feeds import [--db FILE] [--verbose] PATH...
 *   vigil feeds status [--db FILE] [--format table|json]
 *   vigil feeds sync   [--db FILE] [--mirror URL|DIR] [--source NAME]... [--dry-run] [--force]
 *
 * The work is in src/feeds/sync.c (file walking, one transaction per file,
 * downloads, mirrors); this file is the terminal side: options, the
 * progress bar, per-file lines and summaries, and the store adapter.
 * docs/feeds.md is the user documentation.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/table.h"
#include "core/alloc.h"
#include "core/json.h"
#include "feeds/sync.h"
#include "store/kb.h"

/* Warnings printed per file unless --verbose. */
#define WARNINGS_SHOWN 3

static const char usage_text[] =
	"usage: vigil feeds import [--db FILE] [--verbose] PATH...\n"
	"       vigil feeds status [--db FILE] [--format table|json]\n"
	"       vigil feeds sync [--db FILE] [--mirror URL|DIR] [--source NAME]... [--dry-run]\n"
	"\n"
	"Fill the vulnerability knowledge base from the public feeds and show what it\n"
	"holds (docs/feeds.md).\n"
	"\n"
	"  import   import feed files or directories of them (format detected from content)\n"
	"  status   per source: format, version, snapshot date, records, age, last error\n"
	"  sync     download the official feeds (or read a mirror) and import what changed\n"
	"\n"
	"Run 'vigil feeds COMMAND --help' for a command's options.\n";

static const char import_usage[] =
	"usage: vigil feeds import [--db FILE] [--verbose] PATH...\n"
	"\n"
	"Import feed files into the knowledge base.  A directory is walked recursively\n"
	"in name order, skipping hidden files, LICENSE*, NOTICE*, README* and *.md.\n"
	"Each file is one transaction: a file that fails to import leaves the previous\n"
	"data of its source untouched.  Files no importer recognises are skipped.\n"
	"\n"
	"  --db FILE    the knowledge base (created when missing; default: see\n"
	"               docs/internals/store.md, $VIGIL_DB)\n"
	"  --verbose    print every warning (default: the first few per file)\n"
	"\n"
	"Exit status: 0 when every recognised file was imported, 1 when some failed.\n";

static const char status_usage[] =
	"usage: vigil feeds status [--db FILE] [--format table|json]\n"
	"\n"
	"Show each source of the knowledge base (format, version, snapshot date, record\n"
	"count, import time, age, last failed sync) and the totals.\n"
	"\n"
	"  --db FILE       the knowledge base (default: $VIGIL_DB, see docs/internals/store.md)\n"
	"  --format FMT    table (default) or json\n";

static const char sync_usage[] =
	"usage: vigil feeds sync [--db FILE] [--mirror URL|DIR] [--source NAME]... [--dry-run]\n"
	"                        [--force]\n"
	"\n"
	"Download the official feeds over HTTPS (resumable, conditional: unchanged files\n"
	"are not imported again) into <db dir>/feeds-cache/ and import them; or take\n"
	"them from a mirror directory or web server laid out as docs/feeds.md says.\n"
	"A source that fails keeps its previous data and is marked failed in status.\n"
	"\n"
	"  --db FILE        the knowledge base (created when missing)\n"
	"  --mirror URL|DIR read the feeds from a mirror instead of the official sites\n"
	"  --source NAME    only this source (repeatable): kev, epss, debian-dsa,\n"
	"                   debian-dla, debian-tracker, alpine, wolfi, osv, nvd\n"
	"  --dry-run        print what would be downloaded and imported; change nothing\n"
	"  --force          import again even what has not changed\n"
	"\n"
	"NVD: set NVD_API_KEY to use an API key (shorter pauses between pages).\n"
	"Exit status: 0 when every source is current, 1 when some failed.\n";

/* ---- the store, as the feeds library sees it --------------------------------------- */

static int
kb_begin(void *ctx, struct vg_err *err)
{
	return vg_kb_txn_begin(ctx, err);
}

static int
kb_commit(void *ctx, struct vg_err *err)
{
	return vg_kb_txn_commit(ctx, err);
}

static void
kb_rollback(void *ctx)
{
	vg_kb_txn_rollback(ctx);
}

static void
kb_sink(void *ctx, struct vg_feed_sink *sink, void (*warn)(void *wctx, const char *msg), void *wctx)
{
	vg_kb_sink(ctx, sink, warn, wctx);
}

static int
kb_failed(void *ctx, const char *name, const char *msg, struct vg_err *err)
{
	return vg_kb_source_failed(ctx, name, msg, err);
}

static int
kb_nsources(void *ctx, int64_t *n, struct vg_err *err)
{
	struct vg_kb_counts c;
	int rc = vg_kb_counts(ctx, &c, err);

	*n = rc == VG_OK ? c.sources : 0;
	return rc;
}

static struct vg_sync_store
kb_store(struct vg_kb *kb)
{
	return (struct vg_sync_store){kb,      kb_begin,  kb_commit,  kb_rollback,
				      kb_sink, kb_failed, kb_nsources};
}

/* Open (creating it) the knowledge base for writing, or print why not. */
static int
open_kb_rw(const char *cmd, const char *path, struct vg_kb **kb)
{
	struct vg_err err;

	if (vg_kb_open(path, VG_KB_CREATE, kb, &err) < 0) {
		fprintf(stderr, "vigil feeds %s: error: %s\n", cmd, err.msg);
		return VG_EXIT_FAIL;
	}
	return VG_EXIT_OK;
}

/* ---- the terminal side of an import or sync --------------------------------------- */

struct ui {
	const char *cmd;
	bool tty; /* stderr is a terminal: progress bar */
	bool verbose;
	bool sync; /* failures are printed by the failed() callback, once per source */
	bool bar;  /* a progress line is on the screen */
	int last_pct;
	uint64_t last_done;
	char label[96];
	uint64_t shown; /* warnings printed for the current file */
	/* totals */
	uint64_t ok, skipped, failed, records, warnings;
};

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

static void
set_label(struct ui *u, const char *text)
{
	snprintf(u->label, sizeof(u->label), "%s", text);
	u->last_pct = -1;
	u->last_done = 0;
}

static void
clear_bar(struct ui *u)
{
	if (u->bar) {
		fputs("\r\033[K", stderr);
		u->bar = false;
	}
}

static void
ui_file_begin(void *ctx, const char *path, const char *format)
{
	struct ui *u = ctx;

	(void)format;
	set_label(u, base_name(path));
	u->shown = 0;
}

static void
ui_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct ui *u = ctx;

	if (!u->tty)
		return;
	if (total > 0) {
		int pct = (int)(done >= total ? 100 : done * 100 / total);

		if (pct == u->last_pct)
			return;
		u->last_pct = pct;
		fprintf(stderr, "\r\033[K%3d%% %s", pct, u->label);
	} else {
		/* Unknown size (a download without Content-Length): show MiB as they come. */
		if (done - u->last_done < (1 << 20) && u->bar)
			return;
		u->last_done = done;
		fprintf(stderr, "\r\033[K%6.1f MiB %s", (double)done / (1 << 20), u->label);
	}
	u->bar = true;
	fflush(stderr);
}

static void
ui_warn(void *ctx, const char *msg)
{
	struct ui *u = ctx;

	u->warnings++;
	if (!u->verbose && u->shown >= WARNINGS_SHOWN) {
		u->shown++;
		return;
	}
	u->shown++;
	clear_bar(u);
	fprintf(stderr, "vigil: warning: %s\n", msg);
}

/* "vigil: PATH: message", without repeating the path when the message starts with it. */
static void
print_failure(const char *path, const char *msg)
{
	size_t n = strlen(path);

	if (strncmp(msg, path, n) == 0 && msg[n] == ':')
		fprintf(stderr, "vigil: %s\n", msg);
	else if (strncmp(msg, "'", 1) == 0 && strncmp(msg + 1, path, n) == 0 && msg[n + 1] == '\'')
		fprintf(stderr, "vigil: %s%s\n", path, msg + n + 2);
	else
		fprintf(stderr, "vigil: %s: %s\n", path, msg);
}

static void
ui_file_end(void *ctx, const struct vg_import_stats *st, int rc, const struct vg_err *err)
{
	struct ui *u = ctx;

	clear_bar(u);
	if (rc == VG_OK) {
		u->ok++;
		u->records += st->records;
		printf("%s: %s, %" PRIu64 " records, %.2f s", st->path, st->format, st->records,
		       st->seconds);
		if (st->warnings)
			printf(", %" PRIu64 " warning%s", st->warnings,
			       st->warnings == 1 ? "" : "s");
		putchar('\n');
	} else if (rc == VG_EUNSUPPORTED && !st->format) {
		u->skipped++;
		printf("%s: skipped (unrecognised format)\n", st->path);
	} else {
		u->failed++;
		if (!u->sync)
			print_failure(st->path, err && err->msg[0] ? err->msg : vg_strerror(rc));
	}
	if (!u->verbose && u->shown > WARNINGS_SHOWN)
		fprintf(stderr, "vigil: %s: %" PRIu64 " more warnings not shown (--verbose)\n",
			st->path, u->shown - WARNINGS_SHOWN);
	fflush(stdout);
}

static void
ui_note(void *ctx, const char *source, const char *msg)
{
	struct ui *u = ctx;

	clear_bar(u);
	printf("%s: %s\n", source, msg);
	fflush(stdout);
	set_label(u, source);
}

static void
ui_failed(void *ctx, const char *source, const char *msg)
{
	struct ui *u = ctx;

	clear_bar(u);
	fprintf(stderr, "vigil: %s: %s (its previous data is kept)\n", source, msg);
}

static struct vg_sync_ui
make_ui(struct ui *u)
{
	return (struct vg_sync_ui){u,           ui_file_begin, ui_progress, ui_warn,
				   ui_file_end, ui_note,       ui_failed};
}

/* ---- import ---------------------------------------------------------------------- */

/* A REPLACE source imported by this run, and from which file. */
struct replaced {
	char source[96];
	char *path;
};

struct import_ctx {
	const struct vg_sync_store *store;
	const struct vg_sync_ui *ui;
	struct ui *u;
	struct replaced *done;
	size_t ndone;
};

/*
 * A REPLACE source is the whole of one file (the DSA list, the KEV catalog):
 * when a later file of the same run is the same source, it replaces the
 * earlier one's data.  That is right for a newer snapshot and surprising
 * for a directory tree holding an excerpt too, so say it.
 */
static void
note_replaced(struct import_ctx *ic, const char *file, const struct vg_import_stats *st)
{
	if (!st->replaced[0])
		return;
	for (size_t i = 0; i < ic->ndone; i++) {
		if (strcmp(ic->done[i].source, st->replaced) != 0)
			continue;
		clear_bar(ic->u);
		fprintf(stderr, "vigil: warning: %s replaced source '%s' imported from %s\n", file,
			st->replaced, ic->done[i].path);
		ic->u->warnings++;
		free(ic->done[i].path);
		ic->done[i].path = vg_xstrdup(file);
		return;
	}
	ic->done = vg_xreallocarray(ic->done, ic->ndone + 1, sizeof(*ic->done));
	memcpy(ic->done[ic->ndone].source, st->replaced, sizeof(st->replaced));
	ic->done[ic->ndone].path = vg_xstrdup(file);
	ic->ndone++;
}

static int
import_one(const char *file, void *ctx)
{
	struct import_ctx *ic = ctx;
	struct vg_import_stats st;
	struct vg_err err;

	/* Failures are counted and printed by the ui; the walk goes on. */
	if (vg_sync_import_file(ic->store, file, ic->ui, &st, &err) == VG_OK)
		note_replaced(ic, file, &st);
	return VG_OK;
}

static int
run_import(const char *db, char **paths, int npaths, bool verbose)
{
	struct ui u = {.cmd = "import", .tty = isatty(STDERR_FILENO), .verbose = verbose};
	struct vg_sync_ui ui = make_ui(&u);
	struct vg_sync_store store;
	struct import_ctx ic = {&store, &ui, &u, NULL, 0};
	struct timespec t0, t1;
	struct vg_kb *kb;
	int rc = open_kb_rw("import", db, &kb);

	if (rc != VG_EXIT_OK)
		return rc;
	store = kb_store(kb);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < npaths; i++) {
		struct vg_err err;

		if (vg_sync_walk(paths[i], import_one, &ic, &err) < 0) {
			clear_bar(&u);
			fprintf(stderr, "vigil: %s\n", err.msg);
			u.failed++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	vg_kb_close(kb);
	for (size_t i = 0; i < ic.ndone; i++)
		free(ic.done[i].path);
	free(ic.done);
	printf("imported %" PRIu64 " file%s (%" PRIu64 " records, %" PRIu64 " warnings) in %.1f s",
	       u.ok, u.ok == 1 ? "" : "s", u.records, u.warnings,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("; %" PRIu64 " skipped, %" PRIu64 " failed\n", u.skipped, u.failed);
	return u.failed ? VG_EXIT_FAIL : VG_EXIT_OK;
}

/* ---- status ------------------------------------------------------------------------ */

struct row {
	char *cells[8];
	int64_t records;
	int64_t age; /* seconds, -1 unknown */
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static char *
dup_or_null(const char *s)
{
	return s ? vg_xstrdup(s) : NULL;
}

/* Seconds since an ISO 8601 UTC time ("2026-08-16T10:00:00Z"), or -1. */
static int64_t
age_of(const char *iso)
{
	struct tm tm = {0};
	time_t t;

	if (!iso || sscanf(iso, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
			   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	return t == (time_t)-1 ? -1 : (int64_t)(time(NULL) - t);
}

static void
format_age(int64_t s, char *out, size_t cap)
{
	if (s < 0)
		snprintf(out, cap, "-");
	else if (s < 60)
		snprintf(out, cap, "<1m");
	else if (s < 3600)
		snprintf(out, cap, "%" PRId64 "m", s / 60);
	else if (s < 2 * 86400)
		snprintf(out, cap, "%" PRId64 "h", s / 3600);
	else
		snprintf(out, cap, "%" PRId64 "d", s / 86400);
}

static int
collect_source(const struct vg_kb_source_status *s, void *ctx)
{
	struct rows *rows = ctx;
	struct row *r;
	char buf[32];

	if (rows->n == rows->cap) {
		rows->cap = rows->cap ? 2 * rows->cap : 16;
		rows->v = vg_xreallocarray(rows->v, rows->cap, sizeof(*rows->v));
	}
	r = &rows->v[rows->n++];
	memset(r, 0, sizeof(*r));
	r->records = s->records;
	r->age = age_of(s->imported_at);
	r->cells[0] = dup_or_null(s->name);
	r->cells[1] = dup_or_null(s->format);
	r->cells[2] = dup_or_null(s->version);
	r->cells[3] = dup_or_null(s->snapshot);
	snprintf(buf, sizeof(buf), "%" PRId64, s->records);
	r->cells[4] = vg_xstrdup(buf);
	r->cells[5] = dup_or_null(s->imported_at);
	format_age(r->age, buf, sizeof(buf));
	r->cells[6] = vg_xstrdup(buf);
	r->cells[7] = dup_or_null(s->last_error);
	return VG_OK;
}

static void
rows_release(struct rows *rows)
{
	for (size_t i = 0; i < rows->n; i++)
		for (size_t k = 0; k < VG_ARRAY_LEN(rows->v[i].cells); k++)
			free(rows->v[i].cells[k]);
	free(rows->v);
}

static void
status_table(const char *db, int schema, const struct rows *rows, const struct vg_kb_counts *c)
{
	static const char *const head[] = {"SOURCE",  "FORMAT",   "VERSION", "SNAPSHOT",
					   "RECORDS", "IMPORTED", "AGE",     "LAST ERROR"};
	struct vg_table t;

	printf("Knowledge base %s (schema %d)\n\n", db, schema);
	vg_table_init(&t, 8, head);
	vg_table_set_max(&t, 0, 40);
	vg_table_set_max(&t, 2, 24);
	for (size_t i = 0; i < rows->n; i++)
		vg_table_add(&t, (const char *const *)rows->v[i].cells);
	if (rows->n)
		vg_table_print(&t, stdout, 0);
	else
		printf("No source imported yet: run 'vigil feeds sync' or 'vigil feeds import'.\n");
	vg_table_release(&t);
	printf("\nTotals: %" PRId64 " vulnerabilities, %" PRId64 " affected-package statements, "
	       "%" PRId64 " KEV entries, %" PRId64 " EPSS scores, %" PRId64
	       " CPE configurations, %" PRId64 " sources\n",
	       c->vulns, c->affected, c->kev, c->epss, c->cpe_configs, c->sources);
}

static int
status_json(const char *db, int schema, const struct rows *rows, const struct vg_kb_counts *c)
{
	static const char *const keys[] = {"name",    "format",      "version", "snapshot",
					   "records", "imported_at", "age",     "last_error"};
	struct vg_buf out;
	struct vg_json j;
	int rc;

	vg_buf_init(&out, VG_BUF_NOLIMIT);
	vg_json_init(&j, &out, VG_JSON_PRETTY);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "db", db);
	vg_json_kv_int(&j, "schema_version", schema);
	vg_json_key(&j, "sources");
	vg_json_begin_array(&j);
	for (size_t i = 0; i < rows->n; i++) {
		const struct row *r = &rows->v[i];

		vg_json_begin_object(&j);
		for (size_t k = 0; k < 4; k++)
			vg_json_kv_str(&j, keys[k], r->cells[k]);
		vg_json_kv_int(&j, "records", r->records);
		vg_json_kv_str(&j, keys[5], r->cells[5]);
		vg_json_key(&j, "age_seconds");
		if (r->age >= 0)
			vg_json_int(&j, r->age);
		else
			vg_json_null(&j);
		vg_json_kv_str(&j, keys[7], r->cells[7]);
		vg_json_end_object(&j);
	}
	vg_json_end_array(&j);
	vg_json_key(&j, "totals");
	vg_json_begin_object(&j);
	vg_json_kv_int(&j, "vulns", c->vulns);
	vg_json_kv_int(&j, "affected", c->affected);
	vg_json_kv_int(&j, "kev", c->kev);
	vg_json_kv_int(&j, "epss", c->epss);
	vg_json_kv_int(&j, "cpe_configs", c->cpe_configs);
	vg_json_kv_int(&j, "sources", c->sources);
	vg_json_end_object(&j);
	vg_json_end_object(&j);
	rc = vg_json_finish(&j);
	if (rc == VG_OK && (vg_buf_addch(&out, '\n') < 0 ||
			    fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0))
		rc = VG_EIO;
	vg_buf_release(&out);
	return rc;
}

static int
run_status(const char *db, bool json)
{
	struct rows rows = {0};
	struct vg_kb_counts counts;
	struct vg_err err;
	struct vg_kb *kb;
	int rc, schema;

	rc = vg_kb_open(db, VG_KB_READONLY, &kb, &err);
	if (rc == VG_ENOTFOUND)
		return vg_cli_usage_error("feeds status",
					  "no knowledge base at '%s' (create it with 'vigil feeds "
					  "sync' or 'vigil feeds import', or give --db)",
					  db);
	if (rc < 0) {
		fprintf(stderr, "vigil feeds status: error: %s\n", err.msg);
		return VG_EXIT_FAIL;
	}
	schema = vg_kb_schema_version(kb);
	rc = vg_kb_sources_each(kb, collect_source, &rows, &err);
	if (rc == VG_OK)
		rc = vg_kb_counts(kb, &counts, &err);
	vg_kb_close(kb);
	if (rc < 0) {
		rows_release(&rows);
		fprintf(stderr, "vigil feeds status: error: %s\n", err.msg);
		return VG_EXIT_FAIL;
	}
	if (json)
		rc = status_json(db, schema, &rows, &counts);
	else
		status_table(db, schema, &rows, &counts);
	rows_release(&rows);
	if (rc < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "vigil feeds status: error: cannot write the output\n");
		return VG_EXIT_FAIL;
	}
	return VG_EXIT_OK;
}

/* ---- sync -------------------------------------------------------------------------- */

static int
unknown_source(const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t i = 0; vg_sync_sources[i]; i++) {
		size_t d = vg_cli_edit_distance(name, vg_sync_sources[i]->name);

		if (d < best_d) {
			best_d = d;
			best = vg_sync_sources[i]->name;
		}
	}
	if (best)
		return vg_cli_usage_error("feeds sync", "unknown source '%s'; did you mean '%s'?",
					  name, best);
	return vg_cli_usage_error("feeds sync",
				  "unknown source '%s' (kev, epss, debian-dsa, debian-dla, "
				  "debian-tracker, alpine, wolfi, osv, nvd)",
				  name);
}

static int
run_sync(const char *db, struct vg_sync_opts *o)
{
	struct ui u = {.cmd = "sync", .tty = isatty(STDERR_FILENO), .sync = true};
	struct vg_sync_ui ui = make_ui(&u);
	struct vg_sync_result res;
	struct vg_sync_store store;
	struct vg_kb *kb = NULL;
	struct vg_err err;
	int rc;

	o->db_path = db;
	if (!o->dry_run) {
		rc = open_kb_rw("sync", db, &kb);
		if (rc != VG_EXIT_OK)
			return rc;
		store = kb_store(kb);
	}
	rc = vg_sync_run(kb ? &store : NULL, o, &ui, &res, &err);
	if (kb)
		vg_kb_close(kb);
	clear_bar(&u);
	if (rc == VG_ENOTFOUND)
		return vg_cli_usage_error("feeds sync", "%s", err.msg);
	if (rc < 0) {
		fprintf(stderr, "vigil feeds sync: error: %s\n", err.msg);
		return VG_EXIT_FAIL;
	}
	if (o->dry_run) {
		printf("dry run: nothing downloaded or imported\n");
		return VG_EXIT_OK;
	}
	printf("sync: %d source%s current (%d unchanged), %d failed; %" PRIu64
	       " files imported (%" PRIu64 " records, %" PRIu64 " warnings)\n",
	       res.ok, res.ok == 1 ? "" : "s", res.up_to_date, res.failed, u.ok, u.records,
	       u.warnings);
	return res.failed ? VG_EXIT_FAIL : VG_EXIT_OK;
}

/* ---- options ------------------------------------------------------------------------ */

enum { MAX_SOURCES = 32 };

struct opts {
	const char *db;
	bool verbose, json;
	struct vg_sync_opts sync;
	const char *only[MAX_SOURCES + 1];
	size_t nonly;
};

/* Parse the options of subcommand @sub; returns -1 to go on, else the exit status. */
static int
parse_opts(const char *sub, const char *help, int argc, char **argv, struct opts *op)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"verbose", no_argument, NULL, 'v'},
		{"format", required_argument, NULL, 'f'},
		{"mirror", required_argument, NULL, 'm'},
		{"source", required_argument, NULL, 's'},
		{"dry-run", no_argument, NULL, 'n'},
		{"force", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool is_import = strcmp(sub, "import") == 0, is_status = strcmp(sub, "status") == 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hd:vf:m:s:nF", longopts, NULL)) != -1) {
		bool ok = c == 'h' || c == 'd' || (c == 'v' && is_import) ||
			  (c == 'f' && is_status) ||
			  ((c == 'm' || c == 's' || c == 'n' || c == 'F') && !is_import &&
			   !is_status);

		if (!ok) {
			if (c != '?')
				fprintf(stderr,
					"vigil feeds %s: error: option '%s' does not apply\n", sub,
					argv[optind - 1]);
			fputs(help, stderr);
			return VG_EXIT_USAGE;
		}
		switch (c) {
		case 'h':
			fputs(help, stdout);
			return VG_EXIT_OK;
		case 'd':
			op->db = optarg;
			break;
		case 'v':
			op->verbose = true;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0)
				return vg_cli_usage_error("feeds status",
							  "unknown format '%s' (table, json)",
							  optarg);
			op->json = strcmp(optarg, "json") == 0;
			break;
		case 'm':
			op->sync.mirror = optarg;
			break;
		case 's':
			if (!vg_sync_source_find(optarg))
				return unknown_source(optarg);
			if (op->nonly == MAX_SOURCES)
				return vg_cli_usage_error("feeds sync",
							  "too many --source options");
			op->only[op->nonly++] = optarg;
			op->sync.only = op->only;
			break;
		case 'n':
			op->sync.dry_run = true;
			break;
		case 'F':
			op->sync.force = true;
			break;
		default:
			break;
		}
	}
	return -1;
}

int
vg_cmd_feeds(int argc, char **argv)
{
	static const char *const subs[] = {"import", "status", "sync"};
	static const char *const helps[] = {import_usage, status_usage, sync_usage};
	struct opts op = {0};
	const char *sub;
	size_t which;
	int rc;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return VG_EXIT_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		fputs(usage_text, stdout);
		return VG_EXIT_OK;
	}
	for (which = 0; which < VG_ARRAY_LEN(subs); which++)
		if (strcmp(sub, subs[which]) == 0)
			break;
	if (which == VG_ARRAY_LEN(subs)) {
		size_t best = 0;

		for (size_t i = 1; i < VG_ARRAY_LEN(subs); i++)
			if (vg_cli_edit_distance(sub, subs[i]) <
			    vg_cli_edit_distance(sub, subs[best]))
				best = i;
		if (vg_cli_edit_distance(sub, subs[best]) < 3)
			return vg_cli_usage_error("feeds",
						  "unknown command '%s'; did you mean '%s'?", sub,
						  subs[best]);
		return vg_cli_usage_error("feeds", "unknown command '%s' (import, status, sync)",
					  sub);
	}
	rc = parse_opts(sub, helps[which], argc - 1, argv + 1, &op);
	if (rc >= 0)
		return rc;
	if (!op.db)
		op.db = vg_kb_default_path();
	argc -= 1 + optind;
	argv += 1 + optind;
	if (which == 0) {
		if (argc == 0)
			return vg_cli_usage_error("feeds import", "no file or directory to import");
		return run_import(op.db, argv, argc, op.verbose);
	}
	if (argc != 0)
		return vg_cli_usage_error(sub[1] == 't' ? "feeds status" : "feeds sync",
					  "unexpected argument '%s'", argv[0]);
	if (which == 1)
		return run_status(op.db, op.json);
	return run_sync(op.db, &op.sync);
}
