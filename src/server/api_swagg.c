/*
 * api_swagg.c - the per-software aggregates the Software and Recommendation
 * resources serve (api_int.h vg_api_sw_refresh(), docs/api.md "Software").
 *
 * exposureImpact and impactScore are differences of the organization score
 * (docs/scoring.md "Recommendation impact"), which SQL cannot compute; the
 * rest are plain aggregates.  Everything lands in this connection's TEMP
 * table temp.vg_sw, so the generic collection engine filters, sorts, pages
 * and writes CSV over it like over any table.  The table is rebuilt only
 * when a fingerprint of the fleet state changes: a burst of API calls costs
 * one computation per worker connection.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/version/version.h"
#include "engine/org_score.h"
#include "engine/score.h"
#include "server/api_int.h"
#include "store/findings.h"
#include "store/sql.h"

static const char create_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS vg_sw ("
	" id TEXT PRIMARY KEY, name TEXT, vendor TEXT, installed INTEGER NOT NULL,"
	" versions INTEGER NOT NULL, weaknesses INTEGER NOT NULL DEFAULT 0,"
	" public_exploit INTEGER NOT NULL DEFAULT 0, exposed INTEGER NOT NULL DEFAULT 0,"
	" impact REAL NOT NULL DEFAULT 0, fweak INTEGER NOT NULL DEFAULT 0,"
	" fpe INTEGER NOT NULL DEFAULT 0, fexposed INTEGER NOT NULL DEFAULT 0,"
	" fcrit INTEGER NOT NULL DEFAULT 0, finet INTEGER NOT NULL DEFAULT 0,"
	" rec_version TEXT NOT NULL DEFAULT '', rec_impact REAL NOT NULL DEFAULT 0);"
	"CREATE TEMP TABLE IF NOT EXISTS vg_sw_meta (fp TEXT NOT NULL, built_at INTEGER NOT NULL);"
	"CREATE TEMP TABLE IF NOT EXISTS vg_sw_hit (tuple_id INTEGER PRIMARY KEY);";

/* The software identity of every tuple, grouped by software then version. */
static const char tuples_sql[] =
	"SELECT t.id, t.software_id, t.package, t.vendor, t.version,"
	" (SELECT count(*) FROM tuple_vuln tv WHERE tv.tuple_id = t.id),"
	" (SELECT count(*) FROM tuple_vuln tv WHERE tv.tuple_id = t.id AND"
	" tv.status = 'fixAvailable')"
	" FROM tuple t WHERE t.software_id IS NOT NULL ORDER BY t.software_id, t.version, t.id";

/* The devices that count (?1: the cut-off), by id. */
static const char devices_sql[] = "SELECT id, value, risk_sum, exposed FROM device"
				  " WHERE last_seen >= ?1 ORDER BY id";

/* Every finding, by device (the primary key's order: no sort; the scan needs it). */
static const char findings_scan_sql[] =
	"SELECT dv.device_id, dv.tuple_id, dv.risk, tv.status = 'fixAvailable'"
	" FROM device_vuln dv JOIN tuple_vuln tv ON tv.tuple_id = dv.tuple_id AND"
	" tv.vuln_id = dv.vuln_id ORDER BY dv.device_id";

/*
 * The vulnerability counts, from the tuples installed on a device that
 * counts (temp.vg_sw_hit): a device has every match of each of its tuples
 * as a finding, so these equal the counts over the findings.
 */
static const char weak_sql[] =
	"UPDATE temp.vg_sw SET (weaknesses, public_exploit, fweak, fpe) = (SELECT"
	" count(DISTINCT tv.vuln_id), coalesce(max(vs.public_exploit), 0),"
	" count(DISTINCT CASE WHEN tv.status = 'fixAvailable' THEN tv.vuln_id END),"
	" coalesce(max(CASE WHEN tv.status = 'fixAvailable' THEN vs.public_exploit ELSE 0 END), 0)"
	" FROM tuple t JOIN temp.vg_sw_hit h ON h.tuple_id = t.id"
	" JOIN tuple_vuln tv ON tv.tuple_id = t.id LEFT JOIN vuln_summary vs ON vs.id = tv.vuln_id"
	" WHERE t.software_id = vg_sw.id) WHERE exposed > 0";

/* The fixed versions the fixable findings on the devices that count need. */
static const char fixed_sql[] = "SELECT DISTINCT t.software_id, t.ns, t.scheme, tv.fixed_version"
				" FROM temp.vg_sw_hit h JOIN tuple t ON t.id = h.tuple_id"
				" JOIN tuple_vuln tv ON tv.tuple_id = t.id"
				" WHERE tv.status = 'fixAvailable' ORDER BY t.software_id";

/*
 * A cheap fingerprint of everything the aggregates depend on, in two parts.
 * The first (the knowledge base's generation, then the devices' count,
 * values, exposure and activity at the cut-off) changes when someone acts:
 * a feed update, setDeviceValue, a device enrolled or gone quiet; the table
 * is rebuilt at once.  The second (risk sums, last_seen, the timeline)
 * changes with every agent report (each moves its device's last_seen, so
 * the reports table need not be scanned): with agents reporting all the time,
 * rebuilding on each change would make every call pay for a rebuild (about
 * a second at 10,000 devices), so a table at most SOFT_MAX_AGE seconds old
 * is served while only that part differs.
 */
static const char fp_sql[] =
	"SELECT count(*), total(rowid * (CASE value WHEN 'Low' THEN 1 WHEN 'High' THEN 3"
	" ELSE 2 END)), total(rowid * exposed), total(last_seen >= ?1),"
	" total(risk_sum), total(last_seen), (SELECT coalesce(max(id), 0) FROM event)"
	" FROM device";

/* Columns of fp_sql in the first part of the fingerprint. */
#define FP_HARD_COLUMNS 4

/* Seconds a table may lag agent reports (docs/api.md "Software"). */
#define SOFT_MAX_AGE 5

static int
exec(sqlite3 *db, const char *sql, struct vg_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		vg_error(err, VG_EIO, "software aggregates: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return VG_EIO;
	}
	return VG_OK;
}

/* Prepare @sql with ?1 = @since; NULL (and @err) on failure. */
static sqlite3_stmt *
prep(sqlite3 *db, const char *sql, int64_t since, struct vg_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK ||
	    (sqlite3_bind_parameter_count(st) >= 1 &&
	     sqlite3_bind_int64(st, 1, since) != SQLITE_OK)) {
		vg_error(err, VG_EIO, "software aggregates: %s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* Run a statement without rows. */
static int
run(sqlite3 *db, const char *sql, int64_t since, struct vg_err *err)
{
	sqlite3_stmt *st = prep(db, sql, since, err);
	int rc;

	if (st == NULL)
		return VG_EIO;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vg_error(err, VG_EIO, "software aggregates: %s", sqlite3_errmsg(db));
	return VG_OK;
}

/* The fingerprint of the fleet state into @fp; VG_EIO on store errors. */
static int
fingerprint(struct vg_kb *kb, int64_t since, char *fp, size_t size, struct vg_err *err)
{
	sqlite3_stmt *st;
	int64_t gen;
	int rc = vg_findings_kb_gen(kb, &gen, err);
	size_t len;

	if (rc != VG_OK)
		return rc;
	st = prep(vg_kb_db(kb), fp_sql, since, err);
	if (st == NULL)
		return VG_EIO;
	len = (size_t)snprintf(fp, size, "%lld", (long long)gen);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return vg_error(err, VG_EIO, "software aggregates: fingerprint");
	}
	/* "hard|soft": is_current() compares the parts apart. */
	for (int i = 0; i < 7 && len < size; i++)
		len += (size_t)snprintf(fp + len, size - len, "%s%.17g",
					i == FP_HARD_COLUMNS ? "|" : "/",
					sqlite3_column_double(st, i));
	sqlite3_finalize(st);
	return VG_OK;
}

/*
 * Whether temp.vg_sw may be served at fingerprint @fp: built at @fp, or at
 * the same first part less than SOFT_MAX_AGE seconds before @now.
 */
static bool
is_current(sqlite3 *db, const char *fp, int64_t now)
{
	sqlite3_stmt *st = NULL;
	bool ok = false;

	if (sqlite3_prepare_v2(db, "SELECT fp, built_at FROM temp.vg_sw_meta", -1, &st, NULL) ==
		    SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const char *old = (const char *)sqlite3_column_text(st, 0);
		size_t hard = strcspn(fp, "|");

		ok = old &&
		     (strcmp(old, fp) == 0 || (strncmp(old, fp, hard + 1) == 0 &&
					       now - sqlite3_column_int64(st, 1) < SOFT_MAX_AGE));
	}
	sqlite3_finalize(st);
	return ok;
}

/* ---- the scans ------------------------------------------------------------------- */

/* One software product. */
struct sw {
	const char *id, *name, *vendor; /* in the arena */
	int64_t installed, versions, exposed, fexposed, fcrit;
	bool finet, touched;
	size_t last_inst, last_exp, last_fexp; /* device index + 1 last counted (dedupe) */
	double fix, tot;                       /* the current device's risk of it */
	double dfix, dtot;                     /* sum of w x (E - E') over its devices */
};

/* One tuple: its software and what it matches. */
struct tup {
	size_t sw;           /* index in sws */
	const char *version; /* in the arena */
	int64_t nvuln, nfix;
	bool hit; /* installed on a device that counts */
};

struct agg {
	struct vg_arena arena;
	const char **dev_id; /* the devices that count, by id */
	double *w, *e, *risk;
	enum vg_device_value *value;
	bool *exposed;
	size_t ndev;
	double den;
	struct sw *sws;
	size_t nsw;
	struct tup *tups; /* by software, version */
	size_t ntup;
	size_t *by_id; /* tuple id -> index in tups + 1 (0: none) */
	int64_t max_id;
	size_t *touched; /* software touched by the current device */
	size_t ntouched;
};

static double
exposure(double risk)
{
	return 100.0 * (1.0 - exp(-(risk > 0 ? risk : 0) / VG_EXPOSURE_K));
}

static const char *
col_dup(struct vg_arena *a, sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return vg_arena_strdup(a, s ? s : "");
}

/* Finalize @st after its last step @rc. */
static int
done(sqlite3 *db, sqlite3_stmt *st, int rc, const char *what, struct vg_err *err)
{
	if (rc != SQLITE_DONE)
		vg_error(err, VG_EIO, "software aggregates: %s: %s", what, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? VG_OK : VG_EIO;
}

static void
grow(void **p, size_t n, size_t size)
{
	*p = vg_xrealloc(*p, n * size);
}

static int
load_devices(sqlite3 *db, int64_t since, struct agg *g, struct vg_err *err)
{
	sqlite3_stmt *st = prep(db, devices_sql, since, err);
	size_t cap = 0;
	int rc;

	if (st == NULL)
		return VG_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (g->ndev == cap) {
			cap = cap ? cap * 2 : 1024;
			grow((void **)&g->dev_id, cap, sizeof(*g->dev_id));
			grow((void **)&g->risk, cap, sizeof(double));
			grow((void **)&g->value, cap, sizeof(*g->value));
			grow((void **)&g->exposed, cap, sizeof(bool));
		}
		g->dev_id[g->ndev] = col_dup(&g->arena, st, 0);
		g->value[g->ndev] = VG_VALUE_NORMAL;
		(void)vg_device_value_parse((const char *)sqlite3_column_text(st, 1),
					    &g->value[g->ndev]);
		g->risk[g->ndev] = sqlite3_column_double(st, 2);
		g->exposed[g->ndev] = sqlite3_column_int(st, 3) != 0;
		g->ndev++;
	}
	rc = done(db, st, rc, "devices", err);
	g->w = vg_xmalloc((g->ndev + 1) * sizeof(double));
	g->e = vg_xmalloc((g->ndev + 1) * sizeof(double));
	for (size_t i = 0; i < g->ndev; i++) { /* the weights need N, known only now */
		g->w[i] = vg_org_weight(g->value[i], g->ndev);
		g->e[i] = exposure(g->risk[i]);
		g->den += g->w[i];
	}
	return rc;
}

static int
load_tuples(sqlite3 *db, struct agg *g, struct vg_err *err)
{
	sqlite3_stmt *st = prep(db, tuples_sql, 0, err);
	size_t cap = 0, swcap = 0;
	int rc;

	if (st == NULL)
		return VG_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sw = (const char *)sqlite3_column_text(st, 1);
		int64_t id = sqlite3_column_int64(st, 0);

		if (g->nsw == 0 || strcmp(g->sws[g->nsw - 1].id, sw) != 0) {
			if (g->nsw == swcap) {
				swcap = swcap ? swcap * 2 : 256;
				grow((void **)&g->sws, swcap, sizeof(*g->sws));
			}
			g->sws[g->nsw] = (struct sw){.id = col_dup(&g->arena, st, 1),
						     .name = col_dup(&g->arena, st, 2),
						     .vendor = col_dup(&g->arena, st, 3)};
			g->nsw++;
		}
		if (g->ntup == cap) {
			cap = cap ? cap * 2 : 1024;
			grow((void **)&g->tups, cap, sizeof(*g->tups));
		}
		g->tups[g->ntup++] = (struct tup){
			.sw = g->nsw - 1,
			.version = col_dup(&g->arena, st, 4),
			.nvuln = sqlite3_column_int64(st, 5),
			.nfix = sqlite3_column_int64(st, 6),
		};
		if (id > g->max_id)
			g->max_id = id;
	}
	rc = done(db, st, rc, "tuples", err);
	return rc;
}

/* Index the tuples by id (a second pass: the max id is known only after the first). */
static int
index_tuples(sqlite3 *db, struct agg *g, struct vg_err *err)
{
	sqlite3_stmt *st = prep(db,
				"SELECT id FROM tuple WHERE software_id IS NOT NULL"
				" ORDER BY software_id, version, id",
				0, err);
	size_t i = 0;
	int rc;

	if (st == NULL)
		return VG_EIO;
	g->by_id = vg_xcalloc((size_t)g->max_id + 2, sizeof(size_t));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < g->ntup) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (id >= 0 && id <= g->max_id)
			g->by_id[id] = ++i;
	}
	return done(db, st, rc == SQLITE_ROW ? SQLITE_DONE : rc, "tuple index", err);
}

static struct tup *
tuple_of(const struct agg *g, int64_t id)
{
	return id >= 0 && id <= g->max_id && g->by_id[id] ? &g->tups[g->by_id[id] - 1] : NULL;
}

static int
cmp_id(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* The index + 1 of device @id among those that count, 0 when it does not count. */
static size_t
device_index(const struct agg *g, const char *id)
{
	const char **p = bsearch(id, g->dev_id, g->ndev, sizeof(*g->dev_id), cmp_id);

	return p ? (size_t)(p - g->dev_id) + 1 : 0;
}

/* Installations, exposed devices and the tuples that matter, from device_tuple. */
static int
scan_installed(sqlite3 *db, struct agg *g, struct vg_err *err)
{
	sqlite3_stmt *st =
		prep(db, "SELECT device_id, tuple_id FROM device_tuple ORDER BY device_id", 0, err);
	char cur[256] = "";
	size_t dev = 0;
	int rc;

	if (st == NULL)
		return VG_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		struct tup *t = tuple_of(g, sqlite3_column_int64(st, 1));
		struct sw *s;

		if (strcmp(id, cur) != 0) {
			snprintf(cur, sizeof(cur), "%s", id);
			dev = device_index(g, id);
		}
		if (dev == 0 || t == NULL)
			continue;
		t->hit = true;
		s = &g->sws[t->sw];
		if (s->last_inst != dev)
			s->installed++, s->last_inst = dev;
		if (t->nvuln > 0 && s->last_exp != dev)
			s->exposed++, s->last_exp = dev;
		if (t->nfix > 0 && s->last_fexp != dev) {
			s->fexposed++, s->last_fexp = dev;
			s->fcrit += g->value[dev - 1] == VG_VALUE_HIGH;
			s->finet |= g->exposed[dev - 1];
		}
	}
	return done(db, st, rc, "installations", err);
}

/* Close the current device: its share of each touched software's impact. */
static void
flush_device(struct agg *g, size_t dev)
{
	for (size_t k = 0; k < g->ntouched; k++) {
		struct sw *s = &g->sws[g->touched[k]];
		size_t i = dev - 1;

		/* org - org' = sum(w (E - E')) / sum(w): other devices contribute 0. */
		s->dfix += g->w[i] * (g->e[i] - exposure(g->risk[i] - s->fix));
		s->dtot += g->w[i] * (g->e[i] - exposure(g->risk[i] - s->tot));
		s->fix = s->tot = 0;
		s->touched = false;
	}
	g->ntouched = 0;
}

/* The risk of each software on each device, from device_vuln in key order. */
static int
scan_findings(sqlite3 *db, struct agg *g, struct vg_err *err)
{
	sqlite3_stmt *st = prep(db, findings_scan_sql, 0, err);
	char cur[256] = "";
	size_t dev = 0;
	int rc;

	if (st == NULL)
		return VG_EIO;
	g->touched = vg_xmalloc((g->nsw + 1) * sizeof(size_t));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const struct tup *t = tuple_of(g, sqlite3_column_int64(st, 1));
		double risk = sqlite3_column_double(st, 2);
		struct sw *s;

		if (strcmp(id, cur) != 0) {
			if (dev)
				flush_device(g, dev);
			snprintf(cur, sizeof(cur), "%s", id);
			dev = device_index(g, id);
		}
		if (dev == 0 || t == NULL)
			continue;
		s = &g->sws[t->sw];
		if (!s->touched)
			s->touched = true, g->touched[g->ntouched++] = t->sw;
		s->tot += risk;
		if (sqlite3_column_int(st, 3))
			s->fix += risk;
	}
	if (dev)
		flush_device(g, dev);
	return done(db, st, rc, "findings", err);
}

/* Write temp.vg_sw and temp.vg_sw_hit from the scans. */
static int
store(sqlite3 *db, struct agg *g, struct vg_err *err)
{
	sqlite3_stmt *ins = prep(db,
				 "INSERT INTO temp.vg_sw (id, name, vendor, installed, versions,"
				 " exposed, impact, fexposed, fcrit, finet, rec_impact)"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
				 0, err);
	sqlite3_stmt *hit = prep(db, "INSERT INTO temp.vg_sw_hit (tuple_id) VALUES (?1)", 0, err);
	int rc = ins && hit ? SQLITE_DONE : SQLITE_ERROR;

	for (size_t i = 0; i < g->ntup && rc == SQLITE_DONE; i++) { /* distinct versions */
		const struct tup *t = &g->tups[i];

		if (t->hit && !(i > 0 && g->tups[i - 1].sw == t->sw && g->tups[i - 1].hit &&
				strcmp(g->tups[i - 1].version, t->version) == 0))
			g->sws[t->sw].versions++;
	}
	for (int64_t id = 0; id <= g->max_id && rc == SQLITE_DONE; id++) {
		const struct tup *t = tuple_of(g, id);

		if (t == NULL || !t->hit)
			continue;
		sqlite3_bind_int64(hit, 1, id);
		rc = sqlite3_step(hit);
		sqlite3_reset(hit);
	}
	for (size_t i = 0; i < g->nsw && rc == SQLITE_DONE; i++) {
		const struct sw *s = &g->sws[i];

		if (s->installed == 0)
			continue;
		sqlite3_bind_text(ins, 1, s->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, s->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, s->vendor, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 4, s->installed);
		sqlite3_bind_int64(ins, 5, s->versions);
		sqlite3_bind_int64(ins, 6, s->exposed);
		sqlite3_bind_double(ins, 7, g->den > 0 ? s->dtot / g->den : 0);
		sqlite3_bind_int64(ins, 8, s->fexposed);
		sqlite3_bind_int64(ins, 9, s->fcrit);
		sqlite3_bind_int(ins, 10, s->finet);
		sqlite3_bind_double(ins, 11, g->den > 0 ? s->dfix / g->den : 0);
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(hit);
	return done(db, ins, rc, "writing", err);
}

static void
agg_release(struct agg *g)
{
	free(g->dev_id);
	free(g->w);
	free(g->e);
	free(g->risk);
	free(g->value);
	free(g->exposed);
	free(g->sws);
	free(g->tups);
	free(g->by_id);
	free(g->touched);
	vg_arena_release(&g->arena);
}

static int
scan(sqlite3 *db, int64_t since, struct vg_err *err)
{
	struct agg g = {0};
	int rc;

	vg_arena_init(&g.arena);
	rc = load_devices(db, since, &g, err);
	if (rc == VG_OK)
		rc = load_tuples(db, &g, err);
	if (rc == VG_OK)
		rc = index_tuples(db, &g, err);
	if (rc == VG_OK)
		rc = scan_installed(db, &g, err);
	if (rc == VG_OK)
		rc = scan_findings(db, &g, err);
	if (rc == VG_OK)
		rc = store(db, &g, err);
	agg_release(&g);
	return rc;
}

/* ---- recommended versions ----------------------------------------------------------- */

/* One software's walk over the fixed versions its fixable findings need. */
struct fixed_walk {
	char id[512], ns[256], best[VG_VER_MAX_LEN + 1];
	bool mixed; /* several namespaces, or versions that do not compare */
	enum vg_ver_scheme scheme;
};

static void
fixed_add(struct fixed_walk *fw, const char *ns, const char *scheme, const char *v)
{
	struct vg_err e;
	int cmp = 0;

	if (fw->mixed)
		return;
	if (fw->ns[0] == '\0') {
		snprintf(fw->ns, sizeof(fw->ns), "%s", ns);
		if (vg_ver_scheme_parse(vg_str_c(scheme), &fw->scheme) != VG_OK)
			fw->mixed = true;
	} else if (strcmp(fw->ns, ns) != 0) {
		fw->mixed = true;
	}
	if (fw->mixed || v == NULL || v[0] == '\0')
		return;
	if (fw->best[0] != '\0' &&
	    vg_ver_compare(fw->scheme, vg_str_c(v), vg_str_c(fw->best), &cmp, &e) != VG_OK) {
		fw->mixed = true;
		return;
	}
	if (fw->best[0] == '\0' || cmp > 0)
		snprintf(fw->best, sizeof(fw->best), "%s", v);
}

static int
fixed_flush(sqlite3_stmt *upd, const struct fixed_walk *fw)
{
	int rc;

	if (fw->id[0] == '\0' || fw->mixed || fw->best[0] == '\0')
		return VG_OK;
	sqlite3_bind_text(upd, 1, fw->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(upd, 2, fw->best, -1, SQLITE_STATIC);
	rc = sqlite3_step(upd);
	sqlite3_reset(upd);
	return rc == SQLITE_DONE ? VG_OK : VG_EIO;
}

static int
recommended_versions(sqlite3 *db, int64_t since, struct vg_err *err)
{
	sqlite3_stmt *st = prep(db, fixed_sql, since, err);
	sqlite3_stmt *upd =
		prep(db, "UPDATE temp.vg_sw SET rec_version = ?2 WHERE id = ?1", 0, err);
	struct fixed_walk *fw = vg_xcalloc(1, sizeof(*fw));
	int rc = st && upd ? VG_OK : VG_EIO, src = SQLITE_DONE;

	while (rc == VG_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);

		if (strcmp(id, fw->id) != 0) {
			rc = fixed_flush(upd, fw);
			memset(fw, 0, sizeof(*fw));
			snprintf(fw->id, sizeof(fw->id), "%s", id);
		}
		fixed_add(fw, (const char *)sqlite3_column_text(st, 1),
			  (const char *)sqlite3_column_text(st, 2),
			  (const char *)sqlite3_column_text(st, 3));
	}
	if (rc == VG_OK && src != SQLITE_DONE)
		rc = VG_EIO;
	if (rc == VG_OK)
		rc = fixed_flush(upd, fw);
	if (rc != VG_OK && err->code == VG_OK)
		vg_error(err, rc, "software aggregates: recommended versions: %s",
			 sqlite3_errmsg(db));
	free(fw);
	sqlite3_finalize(st);
	sqlite3_finalize(upd);
	return rc;
}

/* ---- the rebuild ------------------------------------------------------------------ */

static int
rebuild(struct vg_kb *kb, int64_t since, const char *fp, struct vg_err *err)
{
	sqlite3 *db = vg_kb_db(kb);
	sqlite3_stmt *st;
	int rc = exec(db,
		      "DELETE FROM temp.vg_sw; DELETE FROM temp.vg_sw_meta;"
		      " DELETE FROM temp.vg_sw_hit",
		      err);

	if (rc == VG_OK)
		rc = scan(db, since, err);
	if (rc == VG_OK)
		rc = run(db, weak_sql, since, err);
	if (rc == VG_OK)
		rc = recommended_versions(db, since, err);
	if (rc != VG_OK)
		return rc;
	st = prep(db, "INSERT INTO temp.vg_sw_meta (fp, built_at) VALUES (?1, ?2)", 0, err);
	if (st == NULL)
		return VG_EIO;
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	rc = sqlite3_step(st) == SQLITE_DONE ? VG_OK : VG_EIO;
	sqlite3_finalize(st);
	if (rc != VG_OK)
		vg_error(err, rc, "software aggregates: %s", sqlite3_errmsg(db));
	return rc;
}

int
vg_api_sw_refresh(struct vg_kb *kb, struct vg_err *err)
{
	sqlite3 *db = vg_kb_db(kb);
	int64_t since = (int64_t)time(NULL) - (int64_t)VG_ORG_ACTIVE_DAYS * 86400;
	char fp[512];
	int rc;

	/* One read snapshot for the fingerprint and the rebuild, so they agree. */
	rc = exec(db, create_sql, err);
	if (rc == VG_OK)
		rc = exec(db, "SAVEPOINT vg_sw", err);
	if (rc != VG_OK)
		return rc;
	rc = fingerprint(kb, since, fp, sizeof(fp), err);
	if (rc == VG_OK && !is_current(db, fp, (int64_t)time(NULL)))
		rc = rebuild(kb, since, fp, err);
	if (rc != VG_OK)
		(void)sqlite3_exec(db, "ROLLBACK TO vg_sw", NULL, NULL, NULL);
	(void)sqlite3_exec(db, "RELEASE vg_sw", NULL, NULL, NULL);
	return rc;
}

struct vg_worker *
vg_api_sw_begin(void *api, struct vg_http_request *req, struct vg_http_response *resp)
{
	struct vg_worker *w = vg_api_begin(api, req, resp, VG_AUTH_READ, VG_RATE_DEFAULT, NULL);
	struct vg_err err;

	vg_err_clear(&err);
	if (w != NULL && vg_api_sw_refresh(w->kb, &err) != VG_OK) {
		vg_http_reply_error(resp, 500, "InternalServerError", "%s", err.msg);
		return NULL;
	}
	return w;
}
