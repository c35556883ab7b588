/*
 * test_kb.c - unit tests of the knowledge base (src/store/kb*.c).
 *
 * Every test works on its own database in a fresh temporary directory and
 * imports hand-built records through the sink, in transactions, the way
 * the importers do.  The CVSS vectors, scores, descriptions, KEV and EPSS
 * values are copied from the real feeds in ../shared/data (NVD API 2.0
 * merged sample, CVE JSON 5, the KEV catalog, the EPSS scores of
 * 2026-08-16, the Debian DSA list); scores are compared as integer tenths.
 * The full EPSS file (360,142 rows) is imported once and timed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "store/kb.h"
#include "vgtest.h"

/* ---- fixture ---------------------------------------------------------------- */

struct fx {
	char dir[64];
	char path[128];
	struct vg_kb *kb;
	int nwarn;
	char warn[2048]; /* every warning, one per line */
};

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* rm -r of the test's mkdtemp() directory. */
static void
rm_tree(const char *dir)
{
	if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		print_message("could not remove %s: %s\n", dir, strerror(errno));
}

static int
setup(void **state)
{
	struct fx *fx = vg_xcalloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	snprintf(fx->dir, sizeof(fx->dir), "%s/vgkb-XXXXXX",
		 tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/vigil.db", fx->dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	vg_kb_close(fx->kb);
	rm_tree(fx->dir);
	free(fx);
	return 0;
}

static void
on_warn(void *ctx, const char *msg)
{
	struct fx *fx = ctx;

	size_t len = strlen(fx->warn);

	/* Keep them all, one per line, as far as the buffer goes. */
	fx->nwarn++;
	snprintf(fx->warn + len, sizeof(fx->warn) - len, "%s\n", msg);
}

static struct vg_kb *
open_kb(struct fx *fx)
{
	struct vg_err err = {0};
	int rc = vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &err);

	if (rc != VG_OK)
		fail_msg("open: %s", err.msg);
	return fx->kb;
}

static void
reopen(struct fx *fx, unsigned flags)
{
	struct vg_err err = {0};

	vg_kb_close(fx->kb);
	fx->kb = NULL;
	if (vg_kb_open(fx->path, flags, &fx->kb, &err) != VG_OK)
		fail_msg("reopen: %s", err.msg);
}

static int
tenths(double score)
{
	return (int)lround(score * 10.0);
}

/* ---- importing -------------------------------------------------------------- */

struct imp {
	struct vg_feed_sink sink;
	struct vg_feed_source src;
	uint64_t n;
};

#define OK(call)                                                                  \
	do {                                                                      \
		struct vg_err e_ = {0};                                           \
		int rc_ = (call);                                                 \
		if (rc_ != VG_OK)                                                 \
			fail_msg("%s: %s (%s)", #call, vg_strerror(rc_), e_.msg); \
	} while (0)

/* Start importing source @name in a new transaction. */
static void
imp_begin(struct fx *fx, struct imp *im, const char *name, enum vg_feed_mode mode)
{
	struct vg_err err = {0};

	vg_kb_sink(fx->kb, &im->sink, on_warn, fx);
	im->src = (struct vg_feed_source){
		.name = name,
		.format = mode == VG_FEED_REPLACE ? "test-list" : "test-json",
		.mode = mode,
		.version = "1.0",
		.snapshot = "2026-08-16",
		.path = "/srv/feeds/test",
	};
	im->n = 0;
	if (vg_kb_txn_begin(fx->kb, &err) != VG_OK)
		fail_msg("txn_begin: %s", err.msg);
	if (im->sink.begin(im->sink.ctx, &im->src, &err) != VG_OK)
		fail_msg("begin: %s", err.msg);
}

static void
imp_vuln(struct imp *im, const struct vg_vuln *v)
{
	struct vg_err err = {0};

	if (im->sink.vuln(im->sink.ctx, v, &err) != VG_OK)
		fail_msg("vuln %s: %s", v->id, err.msg);
	im->n++;
}

static void
imp_aff(struct imp *im, const struct vg_affected *a)
{
	struct vg_err err = {0};

	if (im->sink.affected(im->sink.ctx, a, &err) != VG_OK)
		fail_msg("affected %s: %s", a->vuln_id, err.msg);
}

static void
imp_commit(struct fx *fx, struct imp *im)
{
	struct vg_err err = {0};

	if (im->sink.end(im->sink.ctx, &im->src, im->n, &err) != VG_OK)
		fail_msg("end: %s", err.msg);
	if (vg_kb_txn_commit(fx->kb, &err) != VG_OK)
		fail_msg("commit: %s", err.msg);
}

/* A vuln with only an id, a summary and aliases. */
static struct vg_vuln
vuln(const char *id, const char *summary, const char *const *aliases, size_t naliases)
{
	return (struct vg_vuln){
		.id = id,
		.aliases = aliases,
		.naliases = naliases,
		.summary = summary,
		.cvss_v2_score = NAN,
		.cvss_v3_score = NAN,
		.cvss_v4_score = NAN,
	};
}

static struct vg_affected
aff(const char *vuln_id, const char *advisory, const char *ns, const char *pkg,
    enum vg_ver_scheme scheme, const char *introduced, const char *fixed)
{
	return (struct vg_affected){
		.vuln_id = vuln_id,
		.advisory = advisory,
		.ns = ns,
		.package = pkg,
		.scheme = scheme,
		.status = fixed ? VG_AFF_FIXED : VG_AFF_AFFECTED,
		.introduced = introduced,
		.fixed = fixed,
	};
}

/* ---- reading back ----------------------------------------------------------- */

/* Affected rows of one lookup, each as "vuln_id|advisory|introduced|fixed|source". */
struct rows {
	int n;
	char line[32][160];
	struct vg_kb_affected last;
	char last_pkg[64], last_note[64], last_urgency[64], last_exact[64], last_lastaff[64];
};

static const char *
nn(const char *s)
{
	return s ? s : "-";
}

static int
collect_aff(const struct vg_kb_affected *r, void *ctx)
{
	struct rows *rows = ctx;

	if (rows->n < 32)
		snprintf(rows->line[rows->n], sizeof(rows->line[0]), "%s|%s|%s|%s|%s", r->a.vuln_id,
			 nn(r->a.advisory), nn(r->a.introduced), nn(r->a.fixed), r->source);
	rows->n++;
	rows->last = *r;
	snprintf(rows->last_pkg, sizeof(rows->last_pkg), "%s", r->a.package);
	snprintf(rows->last_note, sizeof(rows->last_note), "%s", nn(r->a.note));
	snprintf(rows->last_urgency, sizeof(rows->last_urgency), "%s", nn(r->a.urgency));
	snprintf(rows->last_exact, sizeof(rows->last_exact), "%s", nn(r->a.exact));
	snprintf(rows->last_lastaff, sizeof(rows->last_lastaff), "%s", nn(r->a.last_affected));
	/* The borrowed strings die after the callback: keep none of them. */
	rows->last.a = (struct vg_affected){.scheme = r->a.scheme, .status = r->a.status};
	rows->last.source = NULL;
	return VG_OK;
}

static struct rows
lookup(struct fx *fx, const char *ns, const char *pkg)
{
	struct rows rows = {0};
	struct vg_err err = {0};

	if (vg_kb_affected_each(fx->kb, ns, pkg, collect_aff, &rows, &err) != VG_OK)
		fail_msg("affected_each: %s", err.msg);
	return rows;
}

static bool
has_line(const struct rows *rows, const char *line)
{
	for (int i = 0; i < rows->n && i < 32; i++)
		if (strcmp(rows->line[i], line) == 0)
			return true;
	return false;
}

static struct vg_kb_vuln_info
info(struct fx *fx, struct vg_arena *a, const char *id)
{
	struct vg_kb_vuln_info vi;
	struct vg_err err = {0};

	if (vg_kb_vuln_info(fx->kb, id, a, &vi, &err) != VG_OK)
		fail_msg("vuln_info %s: %s", id, err.msg);
	return vi;
}

static struct vg_kb_counts
counts(struct fx *fx)
{
	struct vg_kb_counts c;
	struct vg_err err = {0};

	if (vg_kb_counts(fx->kb, &c, &err) != VG_OK)
		fail_msg("counts: %s", err.msg);
	return c;
}

/* Aliases lookup through vuln_info: is @alias in the group of @id? (via cve_id) */
static const char *
cve_of(struct fx *fx, struct vg_arena *a, const char *id)
{
	return info(fx, a, id).cve_id;
}

/* ---- real data used by several tests ---------------------------------------- */

/* NVD API 2.0 merged sample, CVE-2018-14618 (curl NTLM). */
static const char *const cwes_14618[] = {"CWE-122", "CWE-190"};
static const struct vg_vuln nvd_14618 = {
	.id = "CVE-2018-14618",
	.description = "curl before version 7.61.1 is vulnerable to a buffer overrun in the NTLM "
		       "authentication code. The internal function Curl_ntlm_core_mk_nt_hash "
		       "multiplies the length of the password by two (SUM) to figure out how "
		       "large temporary storage area to allocate from the heap.",
	.published = "2018-09-05T19:29:00.420",
	.cvss_v2 = "AV:N/AC:L/Au:N/C:C/I:C/A:C",
	.cvss_v2_score = 10.0,
	.cvss_v3 = "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
	.cvss_v3_score = 9.8,
	.cvss_v4_score = NAN,
	.cwes = cwes_14618,
	.ncwes = 2,
};

/* CVE-2025-4565 (protobuf-python): NVD's v3.1 and the CNA's (Google) v4.0. */
static const char *const cwes_4565[] = {"CWE-674"};
static const struct vg_vuln nvd_4565 = {
	.id = "CVE-2025-4565",
	.description = "Any project that uses Protobuf Pure-Python backend to parse untrusted "
		       "Protocol Buffers data containing an arbitrary number of recursive groups, "
		       "recursive messages or a series of SGROUP tags can be corrupted by "
		       "exceeding the Python recursion limit. This can result in a Denial of "
		       "service by crashing the application with a RecursionError.",
	.published = "2025-06-16T15:15:24.990",
	.cvss_v2_score = NAN,
	.cvss_v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L",
	.cvss_v3_score = 5.3,
	.cvss_v4 = "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/"
		   "AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/"
		   "AU:X/R:X/V:X/RE:X/U:X",
	.cvss_v4_score = 8.2,
	.cwes = cwes_4565,
	.ncwes = 1,
};

/* The same CVE in CVE JSON 5 (nvd/cve-json-5/CVE-2025-4565.json): the CNA's v4.0 only. */
static const struct vg_vuln cve5_4565 = {
	.id = "CVE-2025-4565",
	.summary = "Unbounded recursion in Python Protobuf",
	.cvss_v2_score = NAN,
	.cvss_v3_score = NAN,
	.cvss_v4 = "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N",
	.cvss_v4_score = 8.2,
};

/* ---- tests: opening and migrations ------------------------------------------ */

static void
test_default_path(void **state)
{
	char *saved_home = getenv("HOME") ? vg_xstrdup(getenv("HOME")) : NULL;

	(void)state;
	setenv("VIGIL_DB", "/srv/vigil/kb.db", 1);
	assert_string_equal(vg_kb_default_path(), "/srv/vigil/kb.db");
	setenv("VIGIL_DB", "", 1); /* empty counts as unset */
	assert_string_not_equal(vg_kb_default_path(), "");
	unsetenv("VIGIL_DB");
	if (geteuid() == 0) {
		assert_string_equal(vg_kb_default_path(), "/var/lib/vigil/vigil.db");
		/* The user branch, as an unprivileged user for a moment. */
		if (seteuid(65534) != 0) {
			print_message("seteuid failed: user paths not tested\n");
			free(saved_home);
			return;
		}
	}
	setenv("XDG_DATA_HOME", "/home/u/xdg", 1);
	assert_string_equal(vg_kb_default_path(), "/home/u/xdg/vigil/vigil.db");
	setenv("XDG_DATA_HOME", "relative/xdg", 1); /* ignored, as the XDG spec says */
	setenv("HOME", "/home/u", 1);
	assert_string_equal(vg_kb_default_path(), "/home/u/.local/share/vigil/vigil.db");
	unsetenv("XDG_DATA_HOME");
	assert_string_equal(vg_kb_default_path(), "/home/u/.local/share/vigil/vigil.db");
	if (getuid() == 0)
		assert_int_equal(seteuid(0), 0);
	if (saved_home)
		setenv("HOME", saved_home, 1);
	free(saved_home);
}

static void
test_create_directory(void **state)
{
	struct fx *fx = *state;
	struct vg_err err = {0};
	char path[192], sub[160];
	struct stat st;

	snprintf(sub, sizeof(sub), "%s/a/b", fx->dir);
	snprintf(path, sizeof(path), "%s/vigil.db", sub);
	/* Without VG_KB_CREATE, or read-only, a missing database is not created. */
	assert_int_equal(vg_kb_open(path, 0, &fx->kb, &err), VG_ENOTFOUND);
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_int_equal(vg_kb_open(path, VG_KB_READONLY | VG_KB_CREATE, &fx->kb, &err),
			 VG_ENOTFOUND);
	assert_int_not_equal(stat(sub, &st), 0);

	OK(vg_kb_open(path, VG_KB_CREATE, &fx->kb, &e_));
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, geteuid() == 0 ? 0755 : 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_true(vg_kb_schema_version(fx->kb) >= 1);

	/* WAL mode, foreign keys, and the schema version in user_version. */
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), vg_kb_schema_version(fx->kb));
	sqlite3_finalize(s);
	/* Every table is STRICT. */
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*), sum(strict) FROM pragma_table_list"
					    " WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(sqlite3_column_int(s, 0) >= 11);
	assert_int_equal(sqlite3_column_int(s, 0), sqlite3_column_int(s, 1));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* Write @len bytes of @data to @path. */
static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
assert_file_is(const char *path, const char *data, size_t len)
{
	char buf[512];
	FILE *f = fopen(path, "rb");
	size_t got;

	assert_non_null(f);
	got = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(got, len);
	assert_memory_equal(buf, data, len);
}

static void
test_not_sqlite_refused(void **state)
{
	struct fx *fx = *state;
	static const char text[] = "# not a database\nkey = value\n";
	char big[300], wal[160];
	struct vg_err err = {0};

	write_file(fx->path, text, sizeof(text) - 1);
	assert_int_equal(vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &err), VG_EINVAL);
	assert_null(fx->kb);
	assert_non_null(strstr(err.msg, "is not a SQLite database"));
	assert_int_equal(vg_kb_open(fx->path, VG_KB_READONLY, &fx->kb, &err), VG_EINVAL);
	assert_file_is(fx->path, text, sizeof(text) - 1);
	snprintf(wal, sizeof(wal), "%s-wal", fx->path);
	assert_int_not_equal(access(wal, F_OK), 0);

	/* Longer than a SQLite header, with a look-alike prefix. */
	memset(big, 'x', sizeof(big));
	memcpy(big, "SQLite format 2", 15);
	write_file(fx->path, big, sizeof(big));
	assert_int_equal(vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &err), VG_EINVAL);
	assert_file_is(fx->path, big, sizeof(big));
}

static void
test_foreign_sqlite_refused(void **state)
{
	struct fx *fx = *state;
	struct vg_err err = {0};
	sqlite3 *db;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('x')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "not a vigil knowledge base"));

	/* Another application's id is refused too. */
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 1234", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "another application"));
}

static void
set_user_version(const char *path, int v)
{
	char sql[64];
	sqlite3 *db;

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_newer_schema_refused(void **state)
{
	struct fx *fx = *state;
	struct vg_err err = {0};
	int version;

	open_kb(fx);
	version = vg_kb_schema_version(fx->kb);
	vg_kb_close(fx->kb);
	fx->kb = NULL;
	set_user_version(fx->path, version + 1);
	assert_int_equal(vg_kb_open(fx->path, 0, &fx->kb, &err), VG_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "newer than this vigil knows"));
	assert_int_equal(vg_kb_open(fx->path, VG_KB_READONLY, &fx->kb, &err), VG_EUNSUPPORTED);
	assert_null(fx->kb);

	/* Back to the known version: usable again, nothing was touched. */
	set_user_version(fx->path, version);
	OK(vg_kb_open(fx->path, VG_KB_READONLY, &fx->kb, &e_));
	assert_int_equal(vg_kb_schema_version(fx->kb), version);
}

static void
import_kev_44228(struct fx *fx, const char *catalog_version)
{
	static const char *const kev_cwes[] = {"CWE-20", "CWE-400", "CWE-502"};
	/* known_exploited_vulnerabilities.json, catalogVersion 2025.08.25. */
	static const struct vg_kev k = {
		.cve_id = "CVE-2021-44228",
		.vendor = "Apache",
		.product = "Log4j2",
		.name = "Apache Log4j2 Remote Code Execution Vulnerability",
		.date_added = "2021-12-10",
		.due_date = "2021-12-24",
		.ransomware = true,
		.cwes = kev_cwes,
		.ncwes = 3,
	};
	struct vg_err err = {0};
	struct imp im;

	imp_begin(fx, &im, "kev", VG_FEED_REPLACE);
	im.src.version = catalog_version;
	im.src.snapshot = "2025-08-25";
	assert_int_equal(im.sink.kev(im.sink.ctx, &k, &err), VG_OK);
	im.n = 1;
	imp_commit(fx, &im);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fx *fx = *state;
	struct vg_arena a;
	struct vg_err err = {0};
	struct imp im;

	open_kb(fx);
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	imp_vuln(&im, &nvd_14618);
	imp_commit(fx, &im);
	import_kev_44228(fx, "2025.08.25");

	reopen(fx, 0);
	vg_arena_init(&a);
	assert_int_equal(tenths(info(fx, &a, "CVE-2018-14618").cvss_v3), 98);
	assert_true(info(fx, &a, "CVE-2021-44228").kev);
	assert_int_equal(counts(fx).vulns, 1);
	assert_int_equal(counts(fx).kev, 1);

	reopen(fx, VG_KB_READONLY);
	assert_int_equal(tenths(info(fx, &a, "CVE-2018-14618").cvss_v2), 100);
	assert_int_equal(counts(fx).sources, 2);
	assert_int_equal(vg_kb_txn_begin(fx->kb, &err), VG_EPERM);
	assert_int_equal(vg_kb_source_failed(fx->kb, "nvd", "x", &err), VG_EPERM);
	vg_arena_release(&a);
}

/* ---- tests: REPLACE, MERGE, rollback ---------------------------------------- */

static const char *const dsa_4286_aliases[] = {"CVE-2018-14618"};

/* Set A of a REPLACE source: DSA-4286-1 (curl, stretch) from the 2023-04 DSA list. */
static void
import_dsa_set_a(struct fx *fx)
{
	struct vg_vuln v = vuln("DSA-4286-1", "curl - security update", dsa_4286_aliases, 1);
	struct vg_affected a = aff("CVE-2018-14618", "DSA-4286-1", "debian:9", "curl", VG_VER_DPKG,
				   NULL, "7.52.1-5+deb9u7");
	struct imp im;

	imp_begin(fx, &im, "debian-dsa", VG_FEED_REPLACE);
	imp_vuln(&im, &v);
	imp_aff(&im, &a);
	imp_commit(fx, &im);
}

static void
test_replace(void **state)
{
	struct fx *fx = *state;
	struct vg_vuln v;
	struct vg_affected a;
	struct vg_arena ar;
	struct rows rows;
	struct imp im;

	open_kb(fx);
	vg_arena_init(&ar);
	import_dsa_set_a(fx);
	/* Another source's rows about the same package must survive. */
	imp_begin(fx, &im, "debian-dla", VG_FEED_REPLACE);
	a = aff("CVE-2018-14618", "DLA-1494-1", "debian:9", "curl", VG_VER_DPKG, NULL,
		"7.52.1-5+deb9u8");
	imp_aff(&im, &a);
	imp_commit(fx, &im);
	rows = lookup(fx, "debian:9", "curl");
	assert_int_equal(rows.n, 2);

	/* Set B replaces all of set A. */
	imp_begin(fx, &im, "debian-dsa", VG_FEED_REPLACE);
	v = vuln("DSA-4285-1", "sympa - security update", NULL, 0);
	imp_vuln(&im, &v);
	a = aff("CVE-2018-1000550", "DSA-4285-1", "debian:9", "sympa", VG_VER_DPKG, NULL,
		"6.2.16~dfsg-3+deb9u2");
	imp_aff(&im, &a);
	/* The same record twice in one file: the later copy wins, no error. */
	v = vuln("DSA-4285-1", "sympa - security update (again)", NULL, 0);
	imp_vuln(&im, &v);
	imp_commit(fx, &im);

	rows = lookup(fx, "debian:9", "curl");
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.line[0], "CVE-2018-14618|DLA-1494-1|-|7.52.1-5+deb9u8|debian-dla");
	assert_int_equal(lookup(fx, "debian:9", "sympa").n, 1);
	assert_false(info(fx, &ar, "DSA-4286-1").known);
	assert_string_equal(info(fx, &ar, "DSA-4285-1").summary, "sympa - security update (again)");
	assert_int_equal(counts(fx).vulns, 1);
	assert_int_equal(counts(fx).affected, 2);
	vg_arena_release(&ar);
}

static void
test_merge(void **state)
{
	static const char *const al1[] = {"CVE-2099-1001", "PYSEC-2099-1"};
	static const char *const al2[] = {"CVE-2099-1001"};
	struct fx *fx = *state;
	struct vg_vuln v;
	struct vg_affected a;
	struct vg_arena ar;
	struct rows rows;
	struct imp im;

	open_kb(fx);
	vg_arena_init(&ar);
	/* Import 1: two GHSA records and one record named by its CVE id. */
	imp_begin(fx, &im, "osv", VG_FEED_MERGE);
	v = vuln("GHSA-aaaa-bbbb-cccc", "first version", al1, 2);
	imp_vuln(&im, &v);
	a = aff("GHSA-aaaa-bbbb-cccc", "GHSA-aaaa-bbbb-cccc", "PyPI", "foo", VG_VER_PEP440, NULL,
		"1.0");
	imp_aff(&im, &a);
	a = aff("GHSA-aaaa-bbbb-cccc", "GHSA-aaaa-bbbb-cccc", "PyPI", "foo", VG_VER_PEP440, "2.0",
		"2.1");
	imp_aff(&im, &a);
	v = vuln("GHSA-dddd-eeee-ffff", "other record", NULL, 0);
	imp_vuln(&im, &v);
	/* This statement names a CVE but belongs to GHSA-dddd-eeee-ffff (its advisory). */
	a = aff("CVE-2099-2002", "GHSA-dddd-eeee-ffff", "npm", "left-pad", VG_VER_SEMVER, NULL,
		"1.3.0");
	imp_aff(&im, &a);
	imp_commit(fx, &im);
	assert_int_equal(lookup(fx, "PyPI", "foo").n, 2);
	assert_string_equal(cve_of(fx, &ar, "PYSEC-2099-1"), "CVE-2099-1001");

	/* Import 2: GHSA-aaaa again (its statements before its record this time) and a
	 * record whose id is the CVE the other statement names. */
	imp_begin(fx, &im, "osv", VG_FEED_MERGE);
	a = aff("GHSA-aaaa-bbbb-cccc", "GHSA-aaaa-bbbb-cccc", "PyPI", "foo", VG_VER_PEP440, NULL,
		"1.1");
	imp_aff(&im, &a);
	v = vuln("GHSA-aaaa-bbbb-cccc", "second version", al2, 1);
	imp_vuln(&im, &v);
	v = vuln("CVE-2099-2002", "osv record named by its cve", NULL, 0);
	imp_vuln(&im, &v);
	a = aff("CVE-2099-2002", NULL, "npm", "left-pad", VG_VER_SEMVER, "2.0.0", "2.0.1");
	imp_aff(&im, &a);
	imp_commit(fx, &im);

	rows = lookup(fx, "PyPI", "foo");
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.line[0], "GHSA-aaaa-bbbb-cccc|GHSA-aaaa-bbbb-cccc|-|1.1|osv");
	assert_string_equal(info(fx, &ar, "GHSA-aaaa-bbbb-cccc").summary, "second version");
	/* The dropped alias no longer leads anywhere; the kept one does. */
	assert_null(cve_of(fx, &ar, "PYSEC-2099-1"));
	assert_false(info(fx, &ar, "PYSEC-2099-1").known);
	assert_string_equal(cve_of(fx, &ar, "GHSA-aaaa-bbbb-cccc"), "CVE-2099-1001");
	rows = lookup(fx, "npm", "left-pad");
	assert_int_equal(rows.n, 2);
	assert_true(has_line(&rows, "CVE-2099-2002|GHSA-dddd-eeee-ffff|-|1.3.0|osv"));
	assert_true(has_line(&rows, "CVE-2099-2002|-|2.0.0|2.0.1|osv"));

	/* Import 3: the CVE-named record again replaces only its own statement. */
	imp_begin(fx, &im, "osv", VG_FEED_MERGE);
	v = vuln("CVE-2099-2002", "osv record, updated", NULL, 0);
	imp_vuln(&im, &v);
	a = aff("CVE-2099-2002", NULL, "npm", "left-pad", VG_VER_SEMVER, "2.0.0", "2.0.2");
	imp_aff(&im, &a);
	imp_commit(fx, &im);
	rows = lookup(fx, "npm", "left-pad");
	assert_int_equal(rows.n, 2);
	assert_true(has_line(&rows, "CVE-2099-2002|GHSA-dddd-eeee-ffff|-|1.3.0|osv"));
	assert_true(has_line(&rows, "CVE-2099-2002|-|2.0.0|2.0.2|osv"));
	assert_int_equal(counts(fx).vulns, 3);
	assert_int_equal(counts(fx).affected, 3);
	vg_arena_release(&ar);
}

/* A tiny EPSS day (epss_scores-2026-08-16.csv) and KEV, for set A of the rollback test. */
static void
import_epss(struct fx *fx, const struct vg_epss *rows, size_t n, const char *date)
{
	struct vg_err err = {0};
	struct imp im;

	imp_begin(fx, &im, "epss", VG_FEED_REPLACE);
	im.src.snapshot = date;
	for (size_t i = 0; i < n; i++)
		if (im.sink.epss(im.sink.ctx, &rows[i], &err) != VG_OK)
			fail_msg("epss: %s", err.msg);
	im.n = n;
	imp_commit(fx, &im);
}

static const struct vg_epss epss_real[] = {
	{"CVE-2018-14618", 0.11115, 0.95555},
	{"CVE-2021-22903", 0.01224, 0.66223},
	{"CVE-2021-44228", 0.99999, 1.00000},
};

struct src_seen {
	int n;
	char line[8][256];
};

static int
collect_src(const struct vg_kb_source_status *s, void *ctx)
{
	struct src_seen *seen = ctx;

	if (seen->n < 8)
		snprintf(seen->line[seen->n], sizeof(seen->line[0]), "%s|%s|%s|%s|%s|%lld|%s|%s|%s",
			 s->name, nn(s->format), nn(s->version), nn(s->snapshot), nn(s->path),
			 (long long)s->records, s->imported_at ? "at" : "-", nn(s->last_error),
			 s->failed_at ? "failed" : "-");
	seen->n++;
	return VG_OK;
}

static struct src_seen
sources(struct fx *fx)
{
	struct src_seen seen = {0};
	struct vg_err err = {0};

	if (vg_kb_sources_each(fx->kb, collect_src, &seen, &err) != VG_OK)
		fail_msg("sources_each: %s", err.msg);
	return seen;
}

/* MERGE keeps the newest copy of a record whatever the import order, and the
 * source's record count is what it holds, not the last file's. */
static void
test_merge_keeps_newest_copy(void **state)
{
	struct fx *fx = *state;
	struct vg_arena ar;
	struct imp im;
	struct vg_vuln newer = vuln("CVE-2024-0001", "the 2024 revision", NULL, 0);
	struct vg_vuln older = vuln("CVE-2024-0001", "the 2023 revision", NULL, 0);
	struct vg_vuln other = vuln("CVE-2024-0002", "another", NULL, 0);
	struct vg_affected a_new =
		aff("CVE-2024-0001", NULL, "PyPI", "demo", VG_VER_PEP440, NULL, "2.0");
	struct vg_affected a_old =
		aff("CVE-2024-0001", NULL, "PyPI", "demo", VG_VER_PEP440, NULL, "1.0");
	struct src_seen src;

	newer.modified = "2024-04-10T18:15:07.640";
	older.modified = "2023-01-02T00:00:00.000";
	open_kb(fx);
	vg_arena_init(&ar);
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	imp_vuln(&im, &newer);
	imp_aff(&im, &a_new);
	imp_vuln(&im, &other);
	imp_commit(fx, &im);
	/* An older file arrives later: its copy and statements are ignored. */
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	imp_vuln(&im, &older);
	imp_aff(&im, &a_old);
	imp_commit(fx, &im);
	assert_string_equal(info(fx, &ar, "CVE-2024-0001").summary, "the 2024 revision");
	struct rows r = lookup(fx, "PyPI", "demo");
	assert_int_equal(r.n, 1);
	assert_non_null(strstr(r.line[0], "|2.0|"));
	src = sources(fx);
	assert_int_equal(src.n, 1);
	assert_non_null(strstr(src.line[0], "|2|at|")); /* two records held, not 1 */
	/* A newer copy still replaces. */
	older.modified = "2025-01-01T00:00:00.000";
	older.summary = "the 2025 revision";
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	imp_vuln(&im, &older);
	imp_commit(fx, &im);
	assert_string_equal(info(fx, &ar, "CVE-2024-0001").summary, "the 2025 revision");
	vg_arena_release(&ar);
}

static void
test_rollback_keeps_previous(void **state)
{
	struct fx *fx = *state;
	struct vg_kb_counts before, after;
	struct src_seen src_before, src_after;
	struct vg_err err = {0};
	struct vg_affected a;
	struct vg_vuln v;
	struct vg_arena ar;
	struct imp im;

	open_kb(fx);
	vg_arena_init(&ar);
	import_dsa_set_a(fx);
	import_epss(fx, epss_real, VG_ARRAY_LEN(epss_real), "2026-08-16");
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	imp_vuln(&im, &nvd_14618);
	imp_commit(fx, &im);
	before = counts(fx);
	src_before = sources(fx);

	/* Set B of the REPLACE source fails half-way: the importer stops, the caller rolls back. */
	imp_begin(fx, &im, "debian-dsa", VG_FEED_REPLACE);
	v = vuln("DSA-9999-1", "never committed", NULL, 0);
	imp_vuln(&im, &v);
	a = aff("CVE-2099-9999", "DSA-9999-1", "debian:9", "curl", VG_VER_DPKG, NULL, "9.9");
	imp_aff(&im, &a);
	a = aff("CVE-2099-9998", "DSA-9999-1", "debian:9", NULL, VG_VER_DPKG, NULL, "9.9");
	assert_int_equal(im.sink.affected(im.sink.ctx, &a, &err), VG_EINVAL); /* no package */
	vg_kb_txn_rollback(fx->kb);
	/* And a MERGE import of an existing record, rolled back as well. */
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	v = vuln("CVE-2018-14618", "replaced?", NULL, 0);
	imp_vuln(&im, &v);
	vg_kb_txn_rollback(fx->kb);
	/* And an EPSS day rolled back. */
	imp_begin(fx, &im, "epss", VG_FEED_REPLACE);
	vg_kb_txn_rollback(fx->kb);

	after = counts(fx);
	assert_memory_equal(&before, &after, sizeof(before));
	src_after = sources(fx);
	assert_memory_equal(&src_before, &src_after, sizeof(src_before));
	struct rows rows = lookup(fx, "debian:9", "curl");
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.line[0], "CVE-2018-14618|DSA-4286-1|-|7.52.1-5+deb9u7|debian-dsa");
	struct vg_kb_vuln_info vi = info(fx, &ar, "DSA-4286-1");
	assert_true(vi.known);
	assert_string_equal(vi.cve_id, "CVE-2018-14618");
	assert_string_equal(vi.cvss_source, "nvd");
	assert_int_equal(tenths(vi.cvss_v3), 98);
	assert_true(vi.has_epss);
	assert_int_equal(lround(vi.epss * 100000), 11115);
	assert_false(info(fx, &ar, "DSA-9999-1").known);

	/* A transaction works again after the rollbacks. */
	import_dsa_set_a(fx);
	assert_int_equal(counts(fx).affected, before.affected);
	vg_arena_release(&ar);
}

/* WAL: a reader sees the last committed data while an import is open, without waiting. */
static void
test_reader_during_import(void **state)
{
	struct fx *fx = *state;
	struct vg_kb *reader = NULL;
	struct vg_affected a;
	struct rows rows;
	struct imp im;

	open_kb(fx);
	import_dsa_set_a(fx);
	imp_begin(fx, &im, "debian-dsa", VG_FEED_REPLACE);
	a = aff("CVE-2099-0001", "DSA-9999-1", "debian:9", "curl", VG_VER_DPKG, NULL, "9.9");
	imp_aff(&im, &a);

	OK(vg_kb_open(fx->path, VG_KB_READONLY, &reader, &e_));
	rows = (struct rows){0};
	OK(vg_kb_affected_each(reader, "debian:9", "curl", collect_aff, &rows, &e_));
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.line[0], "CVE-2018-14618|DSA-4286-1|-|7.52.1-5+deb9u7|debian-dsa");

	imp_commit(fx, &im);
	rows = (struct rows){0};
	OK(vg_kb_affected_each(reader, "debian:9", "curl", collect_aff, &rows, &e_));
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.line[0], "CVE-2099-0001|DSA-9999-1|-|9.9|debian-dsa");
	vg_kb_close(reader);
}

/* ---- tests: vuln_info ------------------------------------------------------- */

static void
test_vuln_info_aliases_and_cvss(void **state)
{
	static const char *const ghsa_aliases[] = {"CVE-2025-4565"};
	static const char *const ghsa_cwes[] = {"CWE-674", "CWE-400"};
	static const struct vg_vuln_ref ghsa_refs[] = {
		{"https://github.com/protocolbuffers/protobuf/commit/17838beda2943d08b8a9d4df5b68f5f04f26d901",
		 NULL, false},
	};
	struct fx *fx = *state;
	struct vg_kb_vuln_info vi;
	struct vg_arena ar;
	struct vg_vuln v;
	struct imp im;

	open_kb(fx);
	vg_arena_init(&ar);
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	imp_vuln(&im, &nvd_4565);
	imp_commit(fx, &im);
	/* NVD alone: the summary is the description's first sentence, bounded. */
	vi = info(fx, &ar, "CVE-2025-4565");
	assert_string_equal(vi.cve_id, "CVE-2025-4565");
	assert_string_equal(vi.summary,
			    "Any project that uses Protobuf Pure-Python backend to parse untrusted "
			    "Protocol Buffers data containing an arbitrary number of recursive "
			    "groups, recursive messages or a series of SGROUP tags can be...");
	assert_string_equal(vi.description, nvd_4565.description);
	imp_begin(fx, &im, "cve5", VG_FEED_MERGE);
	imp_vuln(&im, &cve5_4565);
	imp_commit(fx, &im);
	imp_begin(fx, &im, "osv", VG_FEED_MERGE);
	v = vuln("GHSA-8qvm-5x2c-j2w7", "protobuf-python has a potential Denial of Service issue",
		 ghsa_aliases, 1);
	v.description = "### Summary\nAny project that uses Protobuf pure-Python backend ...";
	v.published = "2025-06-16T18:15:56Z";
	/* The record's own vector differs from NVD's: NVD must win. */
	v.cvss_v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";
	v.cwes = ghsa_cwes;
	v.ncwes = 2;
	v.refs = ghsa_refs;
	v.nrefs = 1;
	imp_vuln(&im, &v);
	imp_commit(fx, &im);

	vi = info(fx, &ar, "GHSA-8qvm-5x2c-j2w7");
	assert_true(vi.known);
	assert_string_equal(vi.id, "GHSA-8qvm-5x2c-j2w7");
	assert_string_equal(vi.cve_id, "CVE-2025-4565");
	assert_string_equal(vi.cvss_source, "nvd");
	assert_string_equal(vi.cvss_v3_vector, nvd_4565.cvss_v3);
	assert_int_equal(tenths(vi.cvss_v3), 53); /* NVD's baseScore */
	assert_string_equal(vi.cvss_v4_vector, nvd_4565.cvss_v4);
	assert_int_equal(tenths(vi.cvss_v4), 82); /* the CNA's baseScore */
	assert_null(vi.cvss_v2_vector);
	assert_true(isnan(vi.cvss_v2));
	assert_null(vi.severity);
	assert_string_equal(vi.summary, "protobuf-python has a potential Denial of Service issue");
	assert_string_equal(vi.published, "2025-06-16T18:15:56Z");
	assert_string_equal(vi.cwes, "CWE-674,CWE-400");
	assert_false(vi.exploit_ref);
	assert_false(vi.kev);
	assert_false(vi.has_epss);

	/* Asked by CVE: NVD's vectors; the CVE 5 title is a summary of the CVE itself. */
	vi = info(fx, &ar, "CVE-2025-4565");
	assert_string_equal(vi.cve_id, "CVE-2025-4565");
	assert_string_equal(vi.cvss_source, "nvd");
	assert_int_equal(tenths(vi.cvss_v3), 53);
	assert_string_equal(vi.summary, "Unbounded recursion in Python Protobuf");
	assert_string_equal(vi.description, nvd_4565.description);
	assert_string_equal(vi.published, "2025-06-16T15:15:24.990");

	/* Without NVD, CVE 5 comes before OSV, even for the GHSA id. */
	imp_begin(fx, &im, "nvd", VG_FEED_REPLACE); /* an empty REPLACE drops the source */
	imp_commit(fx, &im);
	vi = info(fx, &ar, "GHSA-8qvm-5x2c-j2w7");
	assert_string_equal(vi.cvss_source, "cve5");
	assert_null(vi.cvss_v3_vector);
	assert_true(isnan(vi.cvss_v3));
	assert_string_equal(vi.cvss_v4_vector, cve5_4565.cvss_v4);
	assert_int_equal(tenths(vi.cvss_v4), 82);
	/* Without either, the record's own vector. */
	imp_begin(fx, &im, "cve5", VG_FEED_REPLACE);
	imp_commit(fx, &im);
	vi = info(fx, &ar, "GHSA-8qvm-5x2c-j2w7");
	assert_string_equal(vi.cvss_source, "osv");
	assert_int_equal(tenths(vi.cvss_v3), 75);
	assert_string_equal(vi.cve_id, "CVE-2025-4565");
	vi = info(fx, &ar, "CVE-2025-4565"); /* known through the alias alone */
	assert_true(vi.known);
	assert_string_equal(vi.cvss_source, "osv");
	assert_string_equal(vi.summary, "protobuf-python has a potential Denial of Service issue");
	vg_arena_release(&ar);
}

static void
test_vuln_info_real_vectors(void **state)
{
	static const struct vg_vuln_ref refs_5732[] = {
		{"https://vuldb.com/?id.267406", "Third Party Advisory,VDB Entry", false},
		{"https://github.com/GTA12138/vul/blob/main/clash%20for%20windows.md",
		 "Exploit,Third Party Advisory", true},
	};
	static const char *const cwes_5732[] = {"CWE-287"};
	/* (id, v2, v3, v4, NVD's scores as tenths) from nvd-api-2.0_merged-sample.json */
	static const struct {
		const char *id, *v2, *v3, *v4;
		int s2, s3, s4;
	} real[] = {
		{"CVE-2022-0004", "AV:L/AC:L/Au:N/C:C/I:C/A:C",
		 "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		 "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 72, 68, 70},
		{"CVE-2021-22903", "AV:N/AC:M/Au:N/C:P/I:P/A:N",
		 "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", NULL, 58, 61, -1},
		{"CVE-2016-1897", "AV:N/AC:M/Au:N/C:P/I:N/A:N",
		 "CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N", NULL, 43, 55, -1},
		{"CVE-2024-5732", NULL, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		 "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/"
		 "AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/"
		 "R:X/V:X/RE:X/U:X",
		 -1, 98, 69},
	};
	struct fx *fx = *state;
	struct vg_arena ar;
	struct imp im;

	open_kb(fx);
	vg_arena_init(&ar);
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	for (size_t i = 0; i < VG_ARRAY_LEN(real); i++) {
		struct vg_vuln v = vuln(real[i].id, NULL, NULL, 0);

		v.cvss_v2 = real[i].v2;
		v.cvss_v3 = real[i].v3;
		v.cvss_v4 = real[i].v4;
		if (strcmp(real[i].id, "CVE-2024-5732") == 0) {
			v.description =
				"A vulnerability was found in Clash up to 0.20.1 on Windows. "
				"It has been declared as critical.";
			v.refs = refs_5732;
			v.nrefs = 2;
			v.cwes = cwes_5732;
			v.ncwes = 1;
		}
		imp_vuln(&im, &v);
	}
	imp_commit(fx, &im);
	assert_int_equal(fx->nwarn, 0);

	for (size_t i = 0; i < VG_ARRAY_LEN(real); i++) {
		struct vg_kb_vuln_info vi = info(fx, &ar, real[i].id);

		assert_string_equal(vi.cvss_source, "nvd");
		assert_int_equal(real[i].s2 < 0 ? -1 : tenths(vi.cvss_v2), real[i].s2);
		assert_int_equal(tenths(vi.cvss_v3), real[i].s3);
		assert_int_equal(real[i].s4 < 0 ? -1 : tenths(vi.cvss_v4), real[i].s4);
		assert_int_equal(!isnan(vi.cvss_v4), real[i].v4 != NULL);
	}
	struct vg_kb_vuln_info vi = info(fx, &ar, "CVE-2024-5732");
	assert_true(vi.exploit_ref);
	assert_string_equal(vi.summary,
			    "A vulnerability was found in Clash up to 0.20.1 on Windows.");
	assert_string_equal(vi.cwes, "CWE-287");
	assert_false(info(fx, &ar, "CVE-2022-0004").exploit_ref);
	vg_arena_release(&ar);
}

static void
test_vuln_info_invalid_vector_and_severity(void **state)
{
	struct fx *fx = *state;
	struct vg_kb_vuln_info vi;
	struct vg_arena ar;
	struct vg_vuln v;
	struct imp im;
	sqlite3 *db;
	sqlite3_stmt *s;

	open_kb(fx);
	vg_arena_init(&ar);
	imp_begin(fx, &im, "osv", VG_FEED_MERGE);
	v = vuln("GHSA-xxxx-yyyy-zzzz", "bad vectors", NULL, 0);
	v.cvss_v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X"; /* A:X is not a base value */
	v.cvss_v3_score = 9.8;
	v.cvss_v2 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"; /* a v3 vector as v2 */
	v.severity = "HIGH";
	imp_vuln(&im, &v);
	imp_commit(fx, &im);
	assert_int_equal(fx->nwarn, 2);
	assert_non_null(strstr(fx->warn, "GHSA-xxxx-yyyy-zzzz"));
	assert_non_null(strstr(fx->warn, "cvss_v2 vector 'CVSS:3.1/"));
	assert_non_null(
		strstr(fx->warn, "cvss_v3 vector 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X'"));
	print_message("%s", fx->warn);

	vi = info(fx, &ar, "GHSA-xxxx-yyyy-zzzz");
	assert_true(vi.known);
	assert_null(vi.cve_id);
	assert_null(vi.cvss_v3_vector);
	assert_null(vi.cvss_v2_vector);
	assert_null(vi.cvss_source);
	assert_true(isnan(vi.cvss_v3));
	assert_string_equal(vi.severity, "HIGH");

	/* Stored NULL, the source's own score kept. */
	assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT cvss_v3, cvss_v3_score, cvss_v3_src FROM vuln"
					    " WHERE vid = 'GHSA-xxxx-yyyy-zzzz'",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(s, 0), SQLITE_NULL);
	assert_int_equal(sqlite3_column_type(s, 1), SQLITE_NULL);
	assert_int_equal(tenths(sqlite3_column_double(s, 2)), 98);
	sqlite3_finalize(s);
	sqlite3_close(db);

	/* An id nobody knows. */
	vi = info(fx, &ar, "CVE-2099-0001");
	assert_false(vi.known);
	assert_string_equal(vi.cve_id, "CVE-2099-0001");
	assert_null(vi.summary);
	assert_true(isnan(vi.cvss_v3));
	vg_arena_release(&ar);
}

/* ---- tests: KEV and EPSS ---------------------------------------------------- */

static void
test_kev_epss(void **state)
{
	static const char *const ghsa_aliases[] = {"CVE-2021-44228"};
	static const struct vg_epss bad[] = {
		{"GHSA-jfh8-c2jp-5v3q", 0.5, 0.5},
		{"CVE-2021-044228", 0.5, 0.5}, /* not canonical: would collide */
		{"CVE-2021-44229", 1.5, 0.5},
	};
	struct fx *fx = *state;
	struct vg_kb_vuln_info vi;
	struct vg_err err = {0};
	struct vg_arena ar;
	struct vg_vuln v;
	struct imp im;

	open_kb(fx);
	vg_arena_init(&ar);
	import_kev_44228(fx, "2025.08.25");
	import_epss(fx, epss_real, VG_ARRAY_LEN(epss_real), "2026-08-16");
	imp_begin(fx, &im, "osv", VG_FEED_MERGE);
	v = vuln("GHSA-jfh8-c2jp-5v3q", "Remote code injection in Log4j", ghsa_aliases, 1);
	imp_vuln(&im, &v);
	imp_commit(fx, &im);

	/* Asked by the GHSA id: KEV and EPSS by its CVE alias. */
	vi = info(fx, &ar, "GHSA-jfh8-c2jp-5v3q");
	assert_string_equal(vi.cve_id, "CVE-2021-44228");
	assert_true(vi.kev);
	assert_string_equal(vi.kev_date_added, "2021-12-10");
	assert_string_equal(vi.kev_due_date, "2021-12-24");
	assert_true(vi.kev_ransomware);
	assert_true(vi.has_epss);
	assert_int_equal(lround(vi.epss * 100000), 99999);
	assert_int_equal(lround(vi.epss_percentile * 100000), 100000);
	assert_string_equal(vi.epss_date, "2026-08-16");

	vi = info(fx, &ar, "CVE-2021-22903");
	assert_true(vi.known); /* through EPSS alone */
	assert_false(vi.kev);
	assert_int_equal(lround(vi.epss_percentile * 100000), 66223);

	/* A new EPSS day replaces the previous one entirely; bad rows are skipped with a warning.
	 */
	imp_begin(fx, &im, "epss", VG_FEED_REPLACE);
	im.src.snapshot = "2026-08-17";
	assert_int_equal(im.sink.epss(im.sink.ctx, &epss_real[0], &err), VG_OK);
	for (size_t i = 0; i < VG_ARRAY_LEN(bad); i++)
		assert_int_equal(im.sink.epss(im.sink.ctx, &bad[i], &err), VG_OK);
	im.n = 4;
	imp_commit(fx, &im);
	assert_int_equal(fx->nwarn, 3);
	assert_int_equal(counts(fx).epss, 1);

	/* A second EPSS source: its rows survive a REPLACE of the first, and the
	 * later import wins for a CVE both give. */
	static const struct vg_epss mirror[] = {
		{"CVE-2021-22903", 0.5, 0.5},
		{"CVE-2018-14618", 0.25, 0.25},
	};
	imp_begin(fx, &im, "epss-mirror", VG_FEED_REPLACE);
	im.src.snapshot = "2026-08-18";
	for (size_t i = 0; i < VG_ARRAY_LEN(mirror); i++)
		assert_int_equal(im.sink.epss(im.sink.ctx, &mirror[i], &err), VG_OK);
	imp_commit(fx, &im);
	assert_int_equal(counts(fx).epss, 2);
	assert_string_equal(info(fx, &ar, "CVE-2018-14618").epss_date, "2026-08-18");
	imp_begin(fx, &im, "epss", VG_FEED_REPLACE);
	im.src.snapshot = "2026-08-17";
	assert_int_equal(im.sink.epss(im.sink.ctx, &epss_real[0], &err), VG_OK);
	imp_commit(fx, &im);
	assert_int_equal(counts(fx).epss, 2);
	assert_int_equal(lround(info(fx, &ar, "CVE-2021-22903").epss * 10), 5);
	vi = info(fx, &ar, "CVE-2018-14618");
	assert_string_equal(vi.epss_date, "2026-08-17");
	assert_false(info(fx, &ar, "CVE-2021-44228").has_epss);
	assert_true(info(fx, &ar, "CVE-2021-44228").kev);

	/* A new KEV catalog without the entry drops it. */
	imp_begin(fx, &im, "kev", VG_FEED_REPLACE);
	imp_commit(fx, &im);
	assert_false(info(fx, &ar, "CVE-2021-44228").kev);
	assert_int_equal(counts(fx).kev, 0);
	vg_arena_release(&ar);
}

/* Parse the real EPSS file with a minimal CSV reader (not the product's importer). */
static struct vg_epss *
read_epss_csv(const char *path, size_t *n, char **text)
{
	FILE *f = fopen(path, "rb");
	struct vg_epss *rows = NULL;
	size_t cap = 0, len;
	char *p, *line;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	*text = vg_xmalloc(len + 1);
	assert_int_equal(fread(*text, 1, len, f), len);
	(*text)[len] = '\0';
	fclose(f);
	*n = 0;
	for (p = *text; *p; p = line) {
		char *nl = strchr(p, '\n'), *c1, *c2;

		line = nl ? nl + 1 : p + strlen(p);
		if (nl)
			*nl = '\0';
		if (strncmp(p, "CVE-", 4) != 0)
			continue;
		c1 = strchr(p, ',');
		c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		assert_non_null(c2);
		*c1 = '\0';
		if (*n == cap) {
			cap = cap ? 2 * cap : 65536;
			rows = vg_xreallocarray(rows, cap, sizeof(*rows));
		}
		rows[(*n)++] = (struct vg_epss){p, strtod(c1 + 1, NULL), strtod(c2 + 1, NULL)};
	}
	return rows;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* CPU time of the process (user + system), which a loaded machine does not inflate. */
static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void
test_epss_real_file(void **state)
{
	struct fx *fx = *state;
	char *path = vgt_shared_path("epss/epss_scores-2026-08-16.csv");
	struct vg_kb_vuln_info vi;
	struct vg_err err = {0};
	struct timespec t0;
	struct vg_arena ar;
	struct imp im;
	double cpu0;
	size_t n;
	char *text;
	/* A second import (REPLACE over a full table) when benchmarking: VG_KB_BENCH=1. */
	int rounds = getenv("VG_KB_BENCH") ? 2 : 1;
	struct vg_epss *rows = read_epss_csv(path, &n, &text);

	assert_int_equal(n, 360142);
	open_kb(fx);
	vg_arena_init(&ar);
	for (int round = 0; round < rounds; round++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		cpu0 = cpu_seconds();
		imp_begin(fx, &im, "epss", VG_FEED_REPLACE);
		for (size_t i = 0; i < n; i++)
			if (im.sink.epss(im.sink.ctx, &rows[i], &err) != VG_OK)
				fail_msg("epss %s: %s", rows[i].cve_id, err.msg);
		im.n = n;
		imp_commit(fx, &im);
		print_message("epss: %zu rows through the sink, begin to commit: %.3f s wall, "
			      "%.3f s cpu (import %d)\n",
			      n, seconds_since(&t0), cpu_seconds() - cpu0, round + 1);
	}
	assert_int_equal(fx->nwarn, 0);
	assert_int_equal(counts(fx).epss, 360142);
	vi = info(fx, &ar, "CVE-1999-0001");
	assert_int_equal(lround(vi.epss * 100000), 3351);
	assert_int_equal(lround(vi.epss_percentile * 100000), 87650);
	vi = info(fx, &ar, "CVE-2015-1000000"); /* the longest number in the file */
	assert_true(vi.has_epss);
	vi = info(fx, &ar, "CVE-2021-44228");
	assert_int_equal(lround(vi.epss * 100000), 99999);
	vg_arena_release(&ar);
	free(rows);
	free(text);
	free(path);
}

/*
 * Many synthetic OSV-like records (two aliases, a CWE, two references, three
 * affected ranges each), imported twice with MERGE: the second import
 * replaces every record.  2,000 records by default; VG_KB_BENCH=1 makes it
 * 100,000 and prints the time of each import.
 */
static void
bulk_round(struct fx *fx, size_t nrec, int round)
{
	static const char *const cwes[] = {"CWE-79"};
	struct vg_err err = {0};
	struct timespec t0;
	double cpu0 = cpu_seconds();
	struct imp im;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	imp_begin(fx, &im, "osv", VG_FEED_MERGE);
	for (size_t i = 0; i < nrec; i++) {
		char id[32], cve[32], pysec[32], pkg[32], url[64], fixed[16];
		const char *aliases[] = {cve, pysec};
		struct vg_vuln_ref refs[] = {{url, "WEB", false}, {url, "ADVISORY", false}};
		struct vg_vuln v = vuln(id, "Cross-site scripting in a package", aliases, 2);
		struct vg_affected a;

		snprintf(id, sizeof(id), "GHSA-%04zx-%04zx-test", i / 65536, i % 65536);
		snprintf(cve, sizeof(cve), "CVE-2099-%zu", 10000 + i);
		snprintf(pysec, sizeof(pysec), "PYSEC-2099-%zu", i);
		snprintf(pkg, sizeof(pkg), "Package_%zu", i % 5000);
		snprintf(url, sizeof(url), "https://example.org/advisories/%zu", i);
		v.cvss_v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N";
		v.cwes = cwes;
		v.ncwes = 1;
		v.refs = refs;
		v.nrefs = 2;
		imp_vuln(&im, &v);
		for (int r = 0; r < 3; r++) {
			snprintf(fixed, sizeof(fixed), "%d.%d.%d", r + 1, round, (int)(i % 10));
			a = aff(id, id, "PyPI", pkg, VG_VER_PEP440, r ? "0.5" : NULL, fixed);
			imp_aff(&im, &a);
		}
	}
	if (im.sink.end(im.sink.ctx, &im.src, im.n, &err) != VG_OK ||
	    vg_kb_txn_commit(fx->kb, &err) != VG_OK)
		fail_msg("bulk: %s", err.msg);
	if (getenv("VG_KB_BENCH"))
		print_message("bulk: %zu records, %zu affected statements, import %d: %.3f s wall, "
			      "%.3f s cpu\n",
			      nrec, 3 * nrec, round, seconds_since(&t0), cpu_seconds() - cpu0);
}

static void
test_bulk_merge(void **state)
{
	struct fx *fx = *state;
	size_t nrec = getenv("VG_KB_BENCH") ? 100000 : 2000;
	struct vg_arena ar;
	struct rows rows;

	open_kb(fx);
	vg_arena_init(&ar);
	bulk_round(fx, nrec, 1);
	bulk_round(fx, nrec, 2);
	assert_int_equal(counts(fx).vulns, (int64_t)nrec);
	assert_int_equal(counts(fx).affected, (int64_t)(3 * nrec));
	rows = lookup(fx, "PyPI", "package-7");
	assert_int_equal(rows.n, (int)(3 * (nrec / 5000 > 0 ? nrec / 5000 : 1)));
	assert_string_equal(rows.line[0], "GHSA-0000-0007-test|GHSA-0000-0007-test|-|1.2.7|osv");
	assert_string_equal(cve_of(fx, &ar, "PYSEC-2099-7"), "CVE-2099-10007");
	assert_int_equal(tenths(info(fx, &ar, "CVE-2099-10007").cvss_v3), 61);
	vg_arena_release(&ar);
}

/* ---- tests: affected lookups, namespaces, CPE -------------------------------- */

static void
test_package_names(void **state)
{
	struct fx *fx = *state;
	struct vg_affected a;
	struct rows rows;
	struct imp im;
	bool covered;

	open_kb(fx);
	OK(vg_kb_ns_covered(fx->kb, "PyPI", &covered, &e_));
	assert_false(covered);
	imp_begin(fx, &im, "osv", VG_FEED_MERGE);
	a = aff("PYSEC-2021-1", "PYSEC-2021-1", "PyPI", "Foo.Bar_baz", VG_VER_PEP440, "1.0", "1.2");
	imp_aff(&im, &a);
	a = aff("GHSA-1111-2222-3333", "GHSA-1111-2222-3333", "npm", "Left-Pad", VG_VER_SEMVER,
		NULL, "1.0.1");
	imp_aff(&im, &a);
	a = aff("GO-2022-0001", "GO-2022-0001", "Go", "github.com/Foo/bar", VG_VER_SEMVER, NULL,
		"1.0.0");
	imp_aff(&im, &a);
	a = aff("GHSA-4444-5555-6666", "GHSA-4444-5555-6666", "NuGet", "Newtonsoft.Json",
		VG_VER_SEMVER, NULL, "13.0.1");
	imp_aff(&im, &a);
	imp_commit(fx, &im);
	imp_begin(fx, &im, "debian-tracker", VG_FEED_REPLACE);
	a = (struct vg_affected){
		.vuln_id = "CVE-2023-0286",
		.ns = "debian:12",
		.package = "openssl",
		.scheme = VG_VER_DPKG,
		.status = VG_AFF_NO_DSA,
		.last_affected = "3.0.8-1",
		.exact = "3.0.7-1",
		.urgency = "low",
		.note = "postponed",
	};
	imp_aff(&im, &a);
	imp_commit(fx, &im);

	/* PyPI: PEP 503 (case and runs of -_. do not matter); the stored name is returned. */
	static const char *const pypi[] = {"Foo.Bar_baz", "foo-bar-baz", "FOO__BAR.-Baz",
					   "foo.bar.baz"};
	for (size_t i = 0; i < VG_ARRAY_LEN(pypi); i++) {
		rows = lookup(fx, "PyPI", pypi[i]);
		assert_int_equal(rows.n, 1);
		assert_string_equal(rows.line[0], "PYSEC-2021-1|PYSEC-2021-1|1.0|1.2|osv");
		assert_string_equal(rows.last_pkg, "Foo.Bar_baz");
		assert_int_equal(rows.last.a.scheme, VG_VER_PEP440);
		assert_int_equal(rows.last.a.status, VG_AFF_FIXED);
	}
	assert_int_equal(lookup(fx, "PyPI", "foobarbaz").n, 0);
	assert_int_equal(lookup(fx, "pypi", "foo-bar-baz").n, 0); /* namespaces are exact */
	/* npm and Go: exact. */
	assert_int_equal(lookup(fx, "npm", "Left-Pad").n, 1);
	assert_int_equal(lookup(fx, "npm", "left-pad").n, 0);
	assert_int_equal(lookup(fx, "Go", "github.com/Foo/bar").n, 1);
	assert_int_equal(lookup(fx, "Go", "github.com/foo/bar").n, 0);
	/* NuGet ids are case-insensitive. */
	assert_int_equal(lookup(fx, "NuGet", "newtonsoft.json").n, 1);
	/* Every field of a distro statement comes back. */
	rows = lookup(fx, "debian:12", "openssl");
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.line[0], "CVE-2023-0286|-|-|-|debian-tracker");
	assert_int_equal(rows.last.a.status, VG_AFF_NO_DSA);
	assert_int_equal(rows.last.a.scheme, VG_VER_DPKG);
	assert_string_equal(rows.last_lastaff, "3.0.8-1");
	assert_string_equal(rows.last_exact, "3.0.7-1");
	assert_string_equal(rows.last_urgency, "low");
	assert_string_equal(rows.last_note, "postponed");

	OK(vg_kb_ns_covered(fx->kb, "PyPI", &covered, &e_));
	assert_true(covered);
	OK(vg_kb_ns_covered(fx->kb, "debian:12", &covered, &e_));
	assert_true(covered);
	OK(vg_kb_ns_covered(fx->kb, "debian:11", &covered, &e_));
	assert_false(covered);
	/* A known id only through an affected statement. */
	struct vg_arena ar;
	vg_arena_init(&ar);
	assert_true(info(fx, &ar, "CVE-2023-0286").known);
	vg_arena_release(&ar);
}

struct cfg_seen {
	int n;
	char vid[8][32];
	char dump[8][1024];
};

/* "AND[OR(+criteria>=start<=end)(-criteria)]" */
static int
collect_cfg(const char *vuln_id, const struct vg_cpe_config *cfg, void *ctx)
{
	struct cfg_seen *seen = ctx;
	char *d;
	size_t cap, len = 0;

	if (seen->n >= 8)
		return VG_OK;
	snprintf(seen->vid[seen->n], sizeof(seen->vid[0]), "%s", vuln_id);
	d = seen->dump[seen->n++];
	cap = sizeof(seen->dump[0]);
	len += (size_t)snprintf(d + len, cap - len, "%s[", cfg->and_op ? "AND" : "OR");
	for (size_t i = 0; i < cfg->nnodes && len < cap; i++) {
		const struct vg_cpe_node *n = &cfg->nodes[i];

		len += (size_t)snprintf(d + len, cap - len, "%s%s(", n->negate ? "!" : "",
					n->and_op ? "AND" : "OR");
		for (size_t j = 0; j < n->nmatches && len < cap; j++) {
			const struct vg_cpe_match *m = &n->matches[j];

			len += (size_t)snprintf(
				d + len, cap - len, "%s%s%s%s%s%s%s%s%s%s", j ? " " : "",
				m->vulnerable ? "+" : "-", m->criteria, m->start_incl ? ">=" : "",
				nn(m->start_incl) + (m->start_incl ? 0 : 1),
				m->start_excl ? ">" : "", m->start_excl ? m->start_excl : "",
				m->end_incl ? "<=" : "", m->end_incl ? m->end_incl : "",
				m->end_excl ? "<" : "");
			if (m->end_excl && len < cap)
				len += (size_t)snprintf(d + len, cap - len, "%s", m->end_excl);
		}
		if (len < cap)
			len += (size_t)snprintf(d + len, cap - len, ")");
	}
	if (len < cap)
		snprintf(d + len, cap - len, "]");
	return VG_OK;
}

static struct cfg_seen
configs(struct fx *fx, const char *product)
{
	struct cfg_seen seen = {0};
	struct vg_err err = {0};

	if (vg_kb_cpe_configs_each(fx->kb, product, collect_cfg, &seen, &err) != VG_OK)
		fail_msg("cpe_configs_each: %s", err.msg);
	return seen;
}

static void
test_cpe_configs(void **state)
{
	/* CVE-2020-13595: AND of [esp-idf 4.0.0..4.2 vulnerable] and [esp32 hardware]. */
	static const struct vg_cpe_match m_idf[] = {
		{"cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*", true, "4.0.0", NULL, "4.2", NULL},
	};
	static const struct vg_cpe_match m_esp32[] = {
		{"cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*", false, NULL, NULL, NULL, NULL},
	};
	static const struct vg_cpe_node n_13595[] = {
		{false, false, m_idf, 1},
		{false, false, m_esp32, 1},
	};
	static const struct vg_cpe_config c_13595[] = {{true, n_13595, 2}};
	/* CVE-2018-14618: two of its four OR configurations (libcurl; Debian 9.0). */
	static const struct vg_cpe_match m_curl[] = {
		{"cpe:2.3:a:haxx:libcurl:*:*:*:*:*:*:*:*", true, NULL, NULL, NULL, "7.61.1"},
	};
	static const struct vg_cpe_match m_deb[] = {
		{"cpe:2.3:o:debian:debian_linux:9.0:*:*:*:*:*:*:*", true, NULL, NULL, NULL, NULL},
	};
	static const struct vg_cpe_node n_curl[] = {{false, false, m_curl, 1}};
	static const struct vg_cpe_node n_deb[] = {{false, false, m_deb, 1}};
	static const struct vg_cpe_config c_14618[] = {{false, n_curl, 1}, {false, n_deb, 1}};
	/* A made-up negated AND node with WFN-quoted product and a bad CPE. */
	static const struct vg_cpe_match m_neg[] = {
		{"cpe:2.3:a:example:on\\-premises_tool:1.0:*:*:*:*:*:*:*", true, NULL, "0.9", NULL,
		 NULL},
		{"cpe:2.3:a:example:*:*:*:*:*:*:*:*:*", true, NULL, NULL, NULL, NULL},
		{"not a cpe", true, NULL, NULL, NULL, NULL},
	};
	static const struct vg_cpe_node n_neg[] = {{true, true, m_neg, 3}};
	static const struct vg_cpe_config c_neg[] = {{false, n_neg, 1}};
	struct fx *fx = *state;
	struct cfg_seen seen;
	struct vg_vuln v;
	struct imp im;

	open_kb(fx);
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	v = vuln("CVE-2020-13595", NULL, NULL, 0);
	v.configs = c_13595;
	v.nconfigs = 1;
	imp_vuln(&im, &v);
	v = nvd_14618;
	v.configs = c_14618;
	v.nconfigs = 2;
	imp_vuln(&im, &v);
	v = vuln("CVE-2099-3003", NULL, NULL, 0);
	v.configs = c_neg;
	v.nconfigs = 1;
	imp_vuln(&im, &v);
	imp_commit(fx, &im);
	assert_int_equal(fx->nwarn, 1); /* "not a cpe" is kept but not indexed */
	assert_non_null(strstr(fx->warn, "not a cpe"));
	assert_int_equal(counts(fx).cpe_configs, 4);

	seen = configs(fx, "esp-idf");
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.vid[0], "CVE-2020-13595");
	assert_string_equal(seen.dump[0],
			    "AND[OR(+cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*>=4.0.0<=4.2)"
			    "OR(-cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*)]");
	/* "_" and "-" and case compare equal. */
	assert_int_equal(configs(fx, "ESP_IDF").n, 1);
	/* Only vulnerable criteria are indexed. */
	assert_int_equal(configs(fx, "esp32").n, 0);

	seen = configs(fx, "libcurl");
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.dump[0], "OR[OR(+cpe:2.3:a:haxx:libcurl:*:*:*:*:*:*:*:*<7.61.1)]");
	seen = configs(fx, "debian_linux");
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.vid[0], "CVE-2018-14618");

	seen = configs(fx, "on-premises_tool");
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.dump[0],
			    "OR[!AND(+cpe:2.3:a:example:on\\-premises_tool:1.0:*:*:*:*:*:*:*>0.9 "
			    "+cpe:2.3:a:example:*:*:*:*:*:*:*:*:* +not a cpe)]");
	assert_int_equal(configs(fx, "nothing").n, 0);

	/* MERGE: the record again without configurations drops them. */
	imp_begin(fx, &im, "nvd", VG_FEED_MERGE);
	v = vuln("CVE-2020-13595", NULL, NULL, 0);
	imp_vuln(&im, &v);
	imp_commit(fx, &im);
	assert_int_equal(configs(fx, "esp-idf").n, 0);
	assert_int_equal(counts(fx).cpe_configs, 3);
}

/* ---- tests: sources --------------------------------------------------------- */

static void
test_sources_status(void **state)
{
	struct fx *fx = *state;
	struct src_seen seen;
	struct vg_arena ar;
	const char *at;
	sqlite3 *db;
	sqlite3_stmt *s;

	open_kb(fx);
	vg_arena_init(&ar);
	import_kev_44228(fx, "2025.08.25");
	seen = sources(fx);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.line[0],
			    "kev|test-list|2025.08.25|2025-08-25|/srv/feeds/test|1|at|-|-");

	/* A failed sync keeps the data and says so. */
	OK(vg_kb_source_failed(fx->kb, "kev", "download failed: HTTP 503", &e_));
	OK(vg_kb_source_failed(fx->kb, "nvd", "no network", &e_)); /* never imported */
	seen = sources(fx);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.line[0],
			    "kev|test-list|2025.08.25|2025-08-25|/srv/feeds/test|1|at|"
			    "download failed: HTTP 503|failed");
	assert_string_equal(seen.line[1], "nvd|-|-|-|-|0|-|no network|failed");
	assert_true(info(fx, &ar, "CVE-2021-44228").kev);

	/* The next successful import clears the error. */
	import_kev_44228(fx, "2025.08.26");
	seen = sources(fx);
	assert_string_equal(seen.line[0],
			    "kev|test-list|2025.08.26|2025-08-25|/srv/feeds/test|1|at|-|-");
	assert_int_equal(counts(fx).sources, 2);

	/* imported_at is ISO 8601 UTC. */
	assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(db, "SELECT imported_at, mode FROM source WHERE name = 'kev'",
				   -1, &s, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	at = (const char *)sqlite3_column_text(s, 0);
	assert_int_equal(strlen(at), 20);
	assert_true(at[4] == '-' && at[7] == '-' && at[10] == 'T' && at[13] == ':' &&
		    at[16] == ':' && at[19] == 'Z');
	assert_string_equal((const char *)sqlite3_column_text(s, 1), "replace");
	sqlite3_finalize(s);
	sqlite3_close(db);
	vg_arena_release(&ar);
}

static void
test_sink_misuse(void **state)
{
	struct fx *fx = *state;
	struct vg_feed_sink sink;
	struct vg_feed_source src = {.name = "osv", .mode = VG_FEED_MERGE};
	struct vg_vuln v = vuln("GHSA-x", NULL, NULL, 0);
	struct vg_err err = {0};

	open_kb(fx);
	vg_kb_sink(fx->kb, &sink, NULL, NULL);
	/* Outside a transaction, or before begin(). */
	assert_int_equal(sink.begin(sink.ctx, &src, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "outside a transaction"));
	OK(vg_kb_txn_begin(fx->kb, &e_));
	assert_int_equal(vg_kb_txn_begin(fx->kb, &err), VG_EINVAL);
	assert_int_equal(sink.vuln(sink.ctx, &v, &err), VG_EINVAL);
	assert_int_equal(sink.begin(sink.ctx, &src, &err), VG_OK);
	v.id = NULL;
	assert_int_equal(sink.vuln(sink.ctx, &v, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "without an id"));
	vg_kb_txn_rollback(fx->kb);
	assert_int_equal(vg_kb_txn_commit(fx->kb, &err), VG_EINVAL);
	assert_int_equal(counts(fx).sources, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_path),
		cmocka_unit_test_setup_teardown(test_create_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_sqlite_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_sqlite_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_keeps_newest_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_keeps_previous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_during_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vuln_info_aliases_and_cvss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vuln_info_real_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vuln_info_invalid_vector_and_severity, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kev_epss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epss_real_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_package_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpe_configs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sources_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sink_misuse, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
