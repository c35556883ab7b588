/*
 * kb.c - the knowledge base: opening, migrating, transactions, status.
 *
 * The import sink is in kb_import.c, the matcher's queries in kb_query.c;
 * docs/internals/store.md describes the schema and the import semantics.
 */
#include "store/kb.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "store/kb_int.h"
#include "store/migrations.h"
#include "store/sqlite_util.h"

/* PRAGMA application_id of a Vigil knowledge base: "VGKB". */
#define KB_APPLICATION_ID 0x56474b42

/* Milliseconds a writer waits for another one (a second `vigil feeds sync`). */
#define KB_BUSY_TIMEOUT_MS 10000

/* Page cache per connection: big enough for the indexes an import touches. */
#define KB_CACHE_PRAGMA "PRAGMA cache_size = -32768" /* KiB */

static const char *const stmt_sql[VG_KB_ST_N] = {
	[VG_KB_ST_BEGIN] = "BEGIN IMMEDIATE",
	[VG_KB_ST_COMMIT] = "COMMIT",
	[VG_KB_ST_ROLLBACK] = "ROLLBACK",
	[VG_KB_ST_SRC_ENSURE] =
		"INSERT INTO source (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
	[VG_KB_ST_SRC_NEXTGEN] =
		"UPDATE source SET gen = gen + 1 WHERE name = ?1 RETURNING id, gen",
	[VG_KB_ST_SRC_END] =
		"UPDATE source SET format = ?2, mode = ?3, version = ?4, snapshot = ?5,"
		" path = ?6, imported_at = ?8, last_error = NULL, failed_at = NULL,"
		/* A MERGE source holds every record imported so far, not only the
		 * last file's: count its vulnerability rows (by the (source, vid)
		 * index), falling back to the importer's count for sources made of
		 * statements only. */
		" records = CASE WHEN ?3 = 'merge' THEN coalesce(nullif("
		"   (SELECT count(*) FROM vuln WHERE source = ?1), 0), ?7) ELSE ?7 END"
		" WHERE id = ?1",
	[VG_KB_ST_SRC_FAILED] =
		"INSERT INTO source (name, last_error, failed_at) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (name) DO UPDATE SET last_error = excluded.last_error,"
		" failed_at = excluded.failed_at",
	[VG_KB_ST_SRC_LIST] = "SELECT name, format, version, snapshot, path, records, imported_at,"
			      " last_error, failed_at FROM source ORDER BY name",
	[VG_KB_ST_SRC_HAS_ROWS] = "SELECT EXISTS (SELECT 1 FROM vuln WHERE source = ?1)"
				  " OR EXISTS (SELECT 1 FROM affected WHERE source = ?1)",
	[VG_KB_ST_DROP_VULN] = "DELETE FROM vuln WHERE source = ?1",
	[VG_KB_ST_DROP_AFF] = "DELETE FROM affected WHERE source = ?1",
	[VG_KB_ST_DROP_KEV] = "DELETE FROM kev WHERE source = ?1",
	[VG_KB_ST_DROP_EPSS] = "DELETE FROM epss WHERE source = ?1",
	[VG_KB_ST_EPSS_OTHERS] = "SELECT EXISTS (SELECT 1 FROM epss WHERE source <> ?1)",
	[VG_KB_ST_TRUNCATE_EPSS] = "DELETE FROM epss",
	[VG_KB_ST_COUNTS] = "SELECT (SELECT count(*) FROM vuln), (SELECT count(*) FROM affected),"
			    " (SELECT count(*) FROM kev), (SELECT count(*) FROM epss),"
			    " (SELECT count(*) FROM cpe_config), (SELECT count(*) FROM source)",
	[VG_KB_ST_DEL_VULN] = "DELETE FROM vuln WHERE source = ?1 AND vid = ?2",
	[VG_KB_ST_VULN_MODIFIED] = "SELECT modified FROM vuln WHERE source = ?1 AND vid = ?2",
	[VG_KB_ST_DEL_REC_AFF] = "DELETE FROM affected WHERE source = ?1 AND rec = ?2 AND gen < ?3",
	[VG_KB_ST_INS_VULN] = "INSERT INTO vuln (source, vid, summary, description, published,"
			      " modified, withdrawn, cvss_v2, cvss_v2_score, cvss_v2_src, cvss_v3,"
			      " cvss_v3_score, cvss_v3_src, cvss_v4, cvss_v4_score, cvss_v4_src,"
			      " severity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
			      " ?12, ?13, ?14, ?15, ?16, ?17)",
	[VG_KB_ST_INS_ALIAS] = "INSERT INTO alias (vuln, seq, alias) VALUES (?1, ?2, ?3)",
	[VG_KB_ST_INS_CWE] = "INSERT INTO cwe (vuln, seq, cwe) VALUES (?1, ?2, ?3)",
	[VG_KB_ST_INS_REF] = "INSERT INTO ref (vuln, seq, url, tags, exploit)"
			     " VALUES (?1, ?2, ?3, ?4, ?5)",
	[VG_KB_ST_INS_CONFIG] = "INSERT INTO cpe_config (vuln, seq, and_op) VALUES (?1, ?2, ?3)",
	[VG_KB_ST_INS_NODE] = "INSERT INTO cpe_node (config, seq, and_op, negate)"
			      " VALUES (?1, ?2, ?3, ?4)",
	[VG_KB_ST_INS_MATCH] = "INSERT INTO cpe_match (node, seq, criteria, vulnerable, start_incl,"
			       " start_excl, end_incl, end_excl, product)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[VG_KB_ST_INS_AFF] = "INSERT INTO affected (source, gen, rec, ns, pkey, package, vuln_id,"
			     " advisory, scheme, status, introduced, fixed, last_affected, exact,"
			     " urgency, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			     " ?11, ?12, ?13, ?14, ?15, ?16)",
	[VG_KB_ST_INS_KEV] = "INSERT OR REPLACE INTO kev (cve, source, vendor, product, name,"
			     " date_added, due_date, ransomware, required_action, description,"
			     " cwes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[VG_KB_ST_INS_EPSS] = "INSERT INTO epss (cve, source, probability, percentile)"
			      " VALUES (?1, ?2, ?3, ?4)",
	[VG_KB_ST_UPSERT_EPSS] = "INSERT OR REPLACE INTO epss (cve, source, probability,"
				 " percentile) VALUES (?1, ?2, ?3, ?4)",
	[VG_KB_ST_AFF_EACH] = "SELECT a.vuln_id, a.advisory, a.ns, a.package, a.scheme, a.status,"
			      " a.introduced, a.fixed, a.last_affected, a.exact, a.urgency, a.note,"
			      " s.name FROM affected a JOIN source s ON s.id = a.source"
			      " WHERE a.ns = ?1 AND a.pkey = ?2 ORDER BY a.id",
	[VG_KB_ST_NS_COVERED] = "SELECT EXISTS (SELECT 1 FROM affected WHERE ns = ?1)",
	[VG_KB_ST_CPE_CONFIGS] = "SELECT DISTINCT c.id, c.and_op, v.vid FROM cpe_match m"
				 " JOIN cpe_node n ON n.id = m.node"
				 " JOIN cpe_config c ON c.id = n.config"
				 " JOIN vuln v ON v.id = c.vuln"
				 " WHERE m.product = ?1 AND m.vulnerable ORDER BY v.vid, c.id",
	[VG_KB_ST_CPE_NODES] = "SELECT n.id, n.and_op, n.negate, m.criteria, m.vulnerable,"
			       " m.start_incl, m.start_excl, m.end_incl, m.end_excl"
			       " FROM cpe_node n LEFT JOIN cpe_match m ON m.node = n.id"
			       " WHERE n.config = ?1 ORDER BY n.seq, n.id, m.seq",
	[VG_KB_ST_VULN_ROWS] =
		"SELECT v.id, v.vid, s.name, v.summary, v.description, v.published,"
		" v.withdrawn, v.cvss_v2, v.cvss_v2_score, v.cvss_v3, v.cvss_v3_score,"
		" v.cvss_v4, v.cvss_v4_score, v.severity"
		" FROM vuln v JOIN source s ON s.id = v.source WHERE v.vid = ?1"
		" ORDER BY s.name",
	[VG_KB_ST_ALIASES_OF] = "SELECT a.alias, s.name FROM vuln v JOIN alias a ON a.vuln = v.id"
				" JOIN source s ON s.id = v.source WHERE v.vid = ?1"
				" ORDER BY s.name, a.seq",
	[VG_KB_ST_ALIASED_BY] = "SELECT v.vid, s.name FROM alias a JOIN vuln v ON v.id = a.vuln"
				" JOIN source s ON s.id = v.source WHERE a.alias = ?1"
				" ORDER BY s.name, v.vid",
	[VG_KB_ST_CWES] = "SELECT cwe FROM cwe WHERE vuln = ?1 ORDER BY seq",
	[VG_KB_ST_EXPLOIT] = "SELECT EXISTS (SELECT 1 FROM ref WHERE vuln = ?1 AND exploit)",
	[VG_KB_ST_KEV_GET] = "SELECT date_added, due_date, ransomware FROM kev WHERE cve = ?1",
	[VG_KB_ST_EPSS_GET] = "SELECT e.probability, e.percentile, s.snapshot FROM epss e"
			      " JOIN source s ON s.id = e.source WHERE e.cve = ?1",
	[VG_KB_ST_AFF_KNOWN] = "SELECT EXISTS (SELECT 1 FROM affected WHERE vuln_id = ?1)",
};

/* ---- shared helpers --------------------------------------------------------- */

sqlite3_stmt *
vg_kb_stmt(struct vg_kb *kb, enum vg_kb_stmt id, struct vg_err *err)
{
	int rc;

	if (kb->st[id])
		return kb->st[id];
	rc = sqlite3_prepare_v3(kb->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &kb->st[id],
				NULL);
	if (rc != SQLITE_OK) {
		vg_sql_error(err, kb->db, rc, "preparing a statement");
		kb->st[id] = NULL;
	}
	return kb->st[id];
}

sqlite3_stmt *
vg_kb_cached(struct vg_kb *kb, const char *sql, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc;

	for (size_t i = 0; i < kb->ncached; i++) {
		if (kb->cached[i].sql != sql)
			continue;
		sqlite3_reset(kb->cached[i].st);
		sqlite3_clear_bindings(kb->cached[i].st);
		return kb->cached[i].st;
	}
	rc = sqlite3_prepare_v3(kb->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		vg_sql_error(err, kb->db, rc, "preparing a statement");
		return NULL;
	}
	/* Past the cap (a programming error: the modules have a fixed set), leak nothing:
	 * the statement is kept in the last slot after finalizing its previous owner. */
	if (kb->ncached == VG_KB_MAX_CACHED)
		sqlite3_finalize(kb->cached[--kb->ncached].st);
	kb->cached[kb->ncached].sql = sql;
	kb->cached[kb->ncached++].st = st;
	return st;
}

int
vg_kb_step_done(struct vg_kb *kb, sqlite3_stmt *st, const char *what, struct vg_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, what);
	return VG_OK;
}

void
vg_kb_warn(struct vg_kb *kb, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!kb->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kb->warn(kb->wctx, msg);
}

void
vg_kb_import_reset(struct vg_kb *kb)
{
	free(kb->imp.name);
	free(kb->imp.last_rec);
	free(kb->imp.skip_rec);
	kb->imp = (struct vg_kb_import){0};
}

static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
pep503_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

int
vg_kb_package_key(const char *ns, const char *pkg, struct vg_buf *out)
{
	bool pypi = strcmp(ns, "PyPI") == 0;
	bool lower = pypi || strcmp(ns, "NuGet") == 0 || strcmp(ns, "Packagist") == 0;
	int rc = VG_OK;

	vg_buf_reset(out);
	if (!lower)
		return vg_buf_addstr(out, pkg);
	for (const char *p = pkg; *p && rc == VG_OK; p++) {
		if (pypi && pep503_sep(*p)) {
			while (pep503_sep(p[1]))
				p++;
			rc = vg_buf_addch(out, '-');
		} else {
			rc = vg_buf_addch(out, ascii_lower(*p));
		}
	}
	return rc;
}

int
vg_kb_product_key(const char *product, struct vg_buf *out)
{
	int rc = VG_OK;

	vg_buf_reset(out);
	for (const char *p = product; *p && rc == VG_OK; p++) {
		char c = *p;

		if (c == '\\') { /* WFN quoting: keep the quoted character */
			if (!p[1])
				break;
			c = *++p;
		}
		rc = vg_buf_addch(out, c == '-' ? '_' : ascii_lower(c));
	}
	return rc;
}

static bool
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool
vg_kb_cve_key(const char *cve, int64_t *key)
{
	size_t n;
	int64_t year = 0, num = 0;

	if (strncmp(cve, "CVE-", 4) != 0 || !digits(cve + 4, 4) || cve[8] != '-')
		return false;
	n = strlen(cve + 9);
	/* CVE numbers have 4 digits or more, and no leading zero beyond four. */
	if (n < 4 || n > 10 || !digits(cve + 9, n) || (n > 4 && cve[9] == '0'))
		return false;
	for (size_t i = 4; i < 8; i++)
		year = year * 10 + (cve[i] - '0');
	for (size_t i = 9; i < 9 + n; i++)
		num = num * 10 + (cve[i] - '0');
	*key = year * INT64_C(10000000000) + num;
	return true;
}

int
vg_kb_source_rank(const char *name)
{
	if (strncmp(name, "nvd", 3) == 0)
		return 0;
	if (strncmp(name, "cve5", 4) == 0)
		return 1;
	return 2;
}

/* ---- default path ----------------------------------------------------------- */

static const char *
home_dir(char *buf, size_t cap)
{
	const char *home = getenv("HOME");
	struct passwd pw, *res = NULL;

	if (home && home[0])
		return home;
	if (getpwuid_r(geteuid(), &pw, buf, cap, &res) != 0 || !res || !pw.pw_dir || !pw.pw_dir[0])
		return NULL;
	return pw.pw_dir;
}

const char *
vg_kb_default_path(void)
{
	static char path[PATH_MAX];
	char pwbuf[4096];
	const char *env = getenv("VIGIL_DB"), *base;
	int n;

	if (env && env[0])
		return env;
	if (geteuid() == 0)
		return "/var/lib/vigil/vigil.db";
	env = getenv("XDG_DATA_HOME");
	if (env && env[0] == '/') { /* the XDG spec ignores a relative value */
		n = snprintf(path, sizeof(path), "%s/vigil/vigil.db", env);
	} else {
		base = home_dir(pwbuf, sizeof(pwbuf));
		if (!base)
			return "vigil.db";
		n = snprintf(path, sizeof(path), "%s/.local/share/vigil/vigil.db", base);
	}
	if (n < 0 || (size_t)n >= sizeof(path))
		return "vigil.db";
	return path;
}

/* ---- opening ---------------------------------------------------------------- */

/* mkdir -p of the directory part of @path; new directories get @mode. */
static int
make_parent(const char *path, mode_t mode, struct vg_err *err)
{
	char *dir = vg_xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = VG_OK;

	if (!slash || slash == dir) {
		free(dir);
		return VG_OK;
	}
	*slash = '\0';
	for (char *p = dir + 1; rc == VG_OK; p++) {
		bool last = *p == '\0';

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(dir, mode) != 0 && errno != EEXIST)
			rc = vg_error(err, errno == EACCES ? VG_EPERM : VG_EIO,
				      "cannot create directory '%s': %s", dir, strerror(errno));
		if (last)
			break;
		*p = '/';
	}
	free(dir);
	return rc;
}

/*
 * Refuse an existing file that is not a SQLite database before SQLite sees
 * it: SQLite would only fail on first read, and a file we do not know must
 * never be written to.  An empty file is an empty database to SQLite too.
 */
/*
 * Refuse a file that is not a SQLite database before anything writes to it.
 * The header is read through SQLite's own file handle, never through an
 * open()/close() of our own: closing any descriptor of a file drops every
 * POSIX lock this process holds on it, including the shared locks of the
 * other connections vigild keeps open (one per worker thread) — after which
 * another process could checkpoint and delete the WAL under them.
 */
static int
check_header(struct vg_kb *kb, off_t size, struct vg_err *err)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	sqlite3_file *f = NULL;

	if (size == 0)
		return VG_OK;
	if (sqlite3_file_control(kb->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK ||
	    f == NULL || f->pMethods == NULL)
		return vg_error(err, VG_EIO, "cannot read '%s'", kb->path);
	if (size < 100 || f->pMethods->xRead(f, head, sizeof(head), 0) != SQLITE_OK ||
	    memcmp(head, magic, sizeof(magic)) != 0)
		return vg_error(err, VG_EINVAL, "'%s' is not a SQLite database", kb->path);
	return VG_OK;
}

static int
check_file(const char *path, unsigned flags, off_t *size, struct vg_err *err)
{
	struct stat st;

	*size = 0;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return vg_error(err, VG_EIO, "cannot access '%s': %s", path,
					strerror(errno));
		if (!(flags & VG_KB_CREATE) || (flags & VG_KB_READONLY))
			return vg_error(err, VG_ENOTFOUND, "knowledge base '%s' does not exist",
					path);
		return make_parent(path, geteuid() == 0 ? 0755 : 0700, err);
	}
	if (!S_ISREG(st.st_mode))
		return vg_error(err, VG_EINVAL, "'%s' is not a regular file", path);
	*size = st.st_size;
	return VG_OK;
}

static int
configure(struct vg_kb *kb, struct vg_err *err)
{
	int rc;

	sqlite3_busy_timeout(kb->db, KB_BUSY_TIMEOUT_MS);
	rc = vg_sql_exec(kb->db, "PRAGMA foreign_keys = ON; " KB_CACHE_PRAGMA, "configuring", err);
	if (rc == VG_OK && !(kb->flags & VG_KB_READONLY))
		rc = vg_sql_exec(kb->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
				 "configuring", err);
	return rc;
}

/* Apply migration @m in its own transaction, unless another process just did. */
static int
migrate_one(struct vg_kb *kb, const struct vg_kb_migration *m, struct vg_err *err)
{
	char pragma[96];
	int64_t version = 0;
	int rc;

	rc = vg_sql_exec(kb->db, "BEGIN IMMEDIATE", m->name, err);
	if (rc != VG_OK)
		return rc;
	rc = vg_sql_pragma_int(kb->db, "user_version", &version, err);
	if (rc == VG_OK && version < m->version) {
		rc = vg_sql_exec(kb->db, m->sql, m->name, err);
		/* Integers of our own: the one place SQL is formatted, as PRAGMA takes no
		 * parameter. */
		snprintf(pragma, sizeof(pragma),
			 "PRAGMA user_version = %d; PRAGMA application_id = %d", m->version,
			 KB_APPLICATION_ID);
		if (rc == VG_OK)
			rc = vg_sql_exec(kb->db, pragma, m->name, err);
	}
	if (rc == VG_OK)
		rc = vg_sql_exec(kb->db, "COMMIT", m->name, err);
	if (rc != VG_OK)
		sqlite3_exec(kb->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Prefix the message already in @err (which may be NULL) with "'@path': ". */
static int
rewrap(struct vg_err *err, int code, const char *path)
{
	char msg[VG_ERR_MSG_MAX];

	if (!err)
		return code;
	memcpy(msg, err->msg, sizeof(msg));
	msg[sizeof(msg) - 1] = '\0';
	return vg_error(err, code, "'%s': %s", path, msg);
}

/* Is the database a Vigil knowledge base of a version we can use?  Migrate it if needed. */
static int
check_schema(struct vg_kb *kb, struct vg_err *err)
{
	int64_t app = 0, version = 0, tables = 0;
	int rc;

	rc = vg_sql_pragma_int(kb->db, "application_id", &app, err);
	if (rc == VG_OK)
		rc = vg_sql_pragma_int(kb->db, "user_version", &version, err);
	if (rc != VG_OK)
		return rewrap(err, rc, kb->path);
	if (app != 0 && app != KB_APPLICATION_ID)
		return vg_error(err, VG_EINVAL, "'%s' is a SQLite database of another application",
				kb->path);
	if (version > vg_kb_nmigrations)
		return vg_error(
			err, VG_EUNSUPPORTED,
			"knowledge base '%s' has schema version %lld, newer than this vigil "
			"knows (%d)",
			kb->path, (long long)version, vg_kb_nmigrations);
	if (version == 0) {
		rc = vg_sql_pragma_int(kb->db, "schema_version", &tables, err);
		if (rc != VG_OK)
			return rc;
		if (tables != 0) /* a database with a schema that is not ours */
			return vg_error(err, VG_EINVAL,
					"'%s' is a SQLite database but not a vigil knowledge base",
					kb->path);
	}
	if (version < vg_kb_nmigrations && (kb->flags & VG_KB_READONLY))
		return vg_error(
			err, VG_EUNSUPPORTED,
			"knowledge base '%s' has schema version %lld and needs upgrading to "
			"%d: 'vigil feeds sync' or 'vigil feeds import' upgrades it (as a user "
			"allowed to write it)",
			kb->path, (long long)version, vg_kb_nmigrations);
	for (int i = (int)version; i < vg_kb_nmigrations && rc == VG_OK; i++)
		rc = migrate_one(kb, &vg_kb_migrations[i], err);
	if (rc != VG_OK)
		return rewrap(err, rc, kb->path);
	kb->schema = vg_kb_nmigrations;
	return VG_OK;
}

static int
open_once(const char *path, unsigned flags, struct vg_kb **out, struct vg_err *err)
{
	struct vg_kb *kb;
	off_t size;
	int oflags, rc;

	*out = NULL;
	if (!path)
		path = vg_kb_default_path();
	if (!path[0])
		return vg_error(err, VG_EINVAL, "empty knowledge base path");
	rc = check_file(path, flags, &size, err);
	if (rc != VG_OK)
		return rc;
	kb = vg_xcalloc(1, sizeof(*kb));
	kb->path = vg_xstrdup(path);
	kb->flags = flags;
	vg_buf_init(&kb->scratch, VG_BUF_NOLIMIT);
	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (flags & VG_KB_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & VG_KB_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(path, &kb->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		char what[PATH_MAX + 32];

		snprintf(what, sizeof(what), "cannot open '%s'", path);
		rc = vg_sql_error(err, kb->db, rc, what);
	}
	if (rc == VG_OK)
		rc = check_header(kb, size, err);
	if (rc == VG_OK)
		rc = configure(kb, err);
	if (rc == VG_OK)
		rc = check_schema(kb, err);
	if (rc != VG_OK) {
		vg_kb_close(kb);
		return rc;
	}
	*out = kb;
	return VG_OK;
}

/*
 * A read-only open of a store an older vigil wrote (vigil scan after an
 * upgrade) upgrades it first when this user may write it, rather than
 * failing until someone runs a command that opens it read-write.
 */
int
vg_kb_open(const char *path, unsigned flags, struct vg_kb **out, struct vg_err *err)
{
	struct vg_kb *rw = NULL;
	int rc;

	if (!path)
		path = vg_kb_default_path();
	rc = open_once(path, flags, out, err);
	if (rc != VG_EUNSUPPORTED || !(flags & VG_KB_READONLY) || access(path, R_OK | W_OK) != 0)
		return rc;
	if (open_once(path, flags & ~(unsigned)(VG_KB_READONLY | VG_KB_CREATE), &rw, NULL) != VG_OK)
		return rc; /* newer than we know, or not writable after all: the first error */
	vg_kb_close(rw);
	return open_once(path, flags, out, err);
}

void
vg_kb_close(struct vg_kb *kb)
{
	if (!kb)
		return;
	if (kb->in_txn)
		vg_kb_txn_rollback(kb);
	for (int i = 0; i < VG_KB_ST_N; i++)
		sqlite3_finalize(kb->st[i]);
	for (size_t i = 0; i < kb->ncached; i++)
		sqlite3_finalize(kb->cached[i].st);
	sqlite3_close(kb->db);
	vg_kb_import_reset(kb);
	vg_buf_release(&kb->scratch);
	free(kb->path);
	free(kb);
}

int
vg_kb_schema_version(struct vg_kb *kb)
{
	return kb->schema;
}

/* ---- transactions ----------------------------------------------------------- */

static int
run(struct vg_kb *kb, enum vg_kb_stmt id, const char *what, struct vg_err *err)
{
	sqlite3_stmt *st = vg_kb_stmt(kb, id, err);

	if (!st)
		return err ? err->code : VG_EIO;
	return vg_kb_step_done(kb, st, what, err);
}

int
vg_kb_txn_begin(struct vg_kb *kb, struct vg_err *err)
{
	int rc;

	if (kb->flags & VG_KB_READONLY)
		return vg_error(err, VG_EPERM, "knowledge base '%s' is open read-only", kb->path);
	if (kb->in_txn)
		return vg_error(err, VG_EINVAL, "a transaction is already open on '%s'", kb->path);
	rc = run(kb, VG_KB_ST_BEGIN, "beginning a transaction", err);
	if (rc != VG_OK)
		return rc;
	kb->in_txn = true;
	vg_kb_import_reset(kb);
	return VG_OK;
}

int
vg_kb_txn_commit(struct vg_kb *kb, struct vg_err *err)
{
	int rc;

	if (!kb->in_txn)
		return vg_error(err, VG_EINVAL, "no transaction open on '%s'", kb->path);
	/* On failure (SQLITE_BUSY, disk full) the transaction stays open for rollback. */
	rc = run(kb, VG_KB_ST_COMMIT, "committing", err);
	if (rc != VG_OK)
		return rc;
	kb->in_txn = false;
	vg_kb_import_reset(kb);
	return VG_OK;
}

void
vg_kb_txn_rollback(struct vg_kb *kb)
{
	if (!sqlite3_get_autocommit(kb->db))
		(void)sqlite3_exec(kb->db, "ROLLBACK", NULL, NULL, NULL);
	kb->in_txn = false;
	vg_kb_import_reset(kb);
}

/* ---- sources ---------------------------------------------------------------- */

void
vg_kb_utc_now(char out[32])
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

int
vg_kb_source_failed(struct vg_kb *kb, const char *name, const char *message, struct vg_err *err)
{
	sqlite3_stmt *st;
	char now[32];
	int rc = SQLITE_OK;

	if (kb->flags & VG_KB_READONLY)
		return vg_error(err, VG_EPERM, "knowledge base '%s' is open read-only", kb->path);
	if (!name || !name[0])
		return vg_error(err, VG_EINVAL, "source without a name");
	st = vg_kb_stmt(kb, VG_KB_ST_SRC_FAILED, err);
	if (!st)
		return err ? err->code : VG_EIO;
	vg_kb_utc_now(now);
	vg_sql_bind_text(st, 1, name, &rc);
	vg_sql_bind_text(st, 2, message ? message : "failed", &rc);
	vg_sql_bind_text(st, 3, now, &rc);
	if (rc != SQLITE_OK) {
		sqlite3_reset(st);
		return vg_sql_error(err, kb->db, rc, "recording a failure");
	}
	return vg_kb_step_done(kb, st, "recording a failure", err);
}

struct src_row {
	struct vg_kb_source_status s;
	struct src_row *next;
};

int
vg_kb_sources_each(struct vg_kb *kb, int (*cb)(const struct vg_kb_source_status *s, void *ctx),
		   void *ctx, struct vg_err *err)
{
	struct src_row *head = NULL, **tail = &head;
	struct vg_arena a;
	sqlite3_stmt *st = vg_kb_stmt(kb, VG_KB_ST_SRC_LIST, err);
	int rc;

	if (!st)
		return err ? err->code : VG_EIO;
	/* Read everything first, so that @cb may use @kb. */
	vg_arena_init(&a);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct src_row *r = vg_arena_alloc(&a, sizeof(*r));

		r->s.name = vg_sql_col_dup(st, 0, &a);
		r->s.format = vg_sql_col_dup(st, 1, &a);
		r->s.version = vg_sql_col_dup(st, 2, &a);
		r->s.snapshot = vg_sql_col_dup(st, 3, &a);
		r->s.path = vg_sql_col_dup(st, 4, &a);
		r->s.records = sqlite3_column_int64(st, 5);
		r->s.imported_at = vg_sql_col_dup(st, 6, &a);
		r->s.last_error = vg_sql_col_dup(st, 7, &a);
		r->s.failed_at = vg_sql_col_dup(st, 8, &a);
		*tail = r;
		tail = &r->next;
	}
	sqlite3_reset(st);
	rc = rc == SQLITE_DONE ? VG_OK : vg_sql_error(err, kb->db, rc, "listing sources");
	for (struct src_row *r = head; r && rc == VG_OK; r = r->next)
		rc = cb(&r->s, ctx);
	vg_arena_release(&a);
	return rc;
}

int
vg_kb_counts(struct vg_kb *kb, struct vg_kb_counts *out, struct vg_err *err)
{
	sqlite3_stmt *st = vg_kb_stmt(kb, VG_KB_ST_COUNTS, err);
	int rc;

	*out = (struct vg_kb_counts){0};
	if (!st)
		return err ? err->code : VG_EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->vulns = sqlite3_column_int64(st, 0);
		out->affected = sqlite3_column_int64(st, 1);
		out->kev = sqlite3_column_int64(st, 2);
		out->epss = sqlite3_column_int64(st, 3);
		out->cpe_configs = sqlite3_column_int64(st, 4);
		out->sources = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return vg_sql_error(err, kb->db, rc, "counting");
	return VG_OK;
}
