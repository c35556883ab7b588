/*
 * findings.c - the engine's conclusions about the fleet, in the store
 * (findings.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "core/alloc.h"
#include "store/findings.h"
#include "store/fleet.h"
#include "store/kb_int.h"
#include "store/sqlite_util.h"

#define CACHED_OR_FAIL(st, kb, sql, err)                 \
	do {                                             \
		(st) = vg_kb_cached((kb), (sql), (err)); \
		if ((st) == NULL)                        \
			return VG_EIO;                   \
	} while (0)

/*
 * Room for one more element of @size bytes in the arena-backed vector *@v of
 * *@len elements and *@cap capacity (doubling; the old copy stays in the
 * arena, which the caller releases as a whole).
 */
static void *
arena_push(struct vg_arena *a, void *v, size_t len, size_t *cap, size_t size)
{
	void *nv;

	if (len < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	nv = vg_arena_alloc(a, *cap * size);
	if (len)
		memcpy(nv, v, len * size);
	return nv;
}

/* Step @st expecting no row; leaves it reset. */
static int
done(struct vg_kb *kb, sqlite3_stmt *st, int brc, const char *what, struct vg_err *err)
{
	int rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? VG_OK : vg_sql_error(err, kb->db, rc, what);
}

int
vg_findings_kb_gen(struct vg_kb *kb, int64_t *gen, struct vg_err *err)
{
	/* Every import of a source bumps its gen; adding the count covers a new source
	 * whose first generation equals a dropped one's. */
	static const char sql[] = "SELECT coalesce(sum(gen), 0) + count(*) FROM source";
	sqlite3_stmt *st;
	int rc;

	CACHED_OR_FAIL(st, kb, sql, err);
	rc = sqlite3_step(st);
	*gen = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? VG_OK
				: vg_sql_error(err, kb->db, rc, "reading the kb generation");
}

static void
tuple_row(sqlite3_stmt *st, struct vg_arena *a, struct vg_findings_tuple *t)
{
	const char *scheme = (const char *)sqlite3_column_text(st, 4);
	const char *ns = vg_sql_col_dup(st, 1, a);

	t->id = sqlite3_column_int64(st, 0);
	t->tuple.ns = ns && ns[0] ? ns : NULL;
	t->tuple.package = vg_sql_col_dup(st, 2, a);
	t->tuple.version = vg_sql_col_dup(st, 3, a);
	if (scheme == NULL || vg_ver_scheme_parse(vg_str_c(scheme), &t->tuple.scheme) != VG_OK)
		t->tuple.scheme = VG_VER_GENERIC;
	t->matched_gen =
		sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 5);
	t->binaries = vg_sql_col_dup(st, 6, a);
	t->running = sqlite3_column_int(st, 7) != 0;
	t->listening = sqlite3_column_int(st, 8) != 0;
}

int
vg_findings_device_tuples(struct vg_kb *kb, const char *device_id, struct vg_arena *arena,
			  struct vg_findings_tuple **out, size_t *n, struct vg_err *err)
{
	static const char sql[] =
		"SELECT t.id, t.ns, t.package, t.version, t.scheme, t.matched_gen, dt.binaries,"
		" dt.running, dt.listening FROM device_tuple dt JOIN tuple t ON t.id = dt.tuple_id"
		" WHERE dt.device_id = ?1 ORDER BY t.id";
	struct vg_findings_tuple *v = NULL;
	size_t cap = 0, len = 0;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, device_id, &brc);
	while (brc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_push(arena, v, len, &cap, sizeof(*v));
		tuple_row(st, arena, &v[len++]);
	}
	if (brc != SQLITE_OK)
		rc = brc;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading device tuples");
	*out = v;
	*n = len;
	return VG_OK;
}

/* The JSON of a stored section body (@enc 'json' or 'zlib', @size bytes of JSON) in @arena. */
static const char *
section_json(sqlite3_stmt *st, struct vg_arena *arena)
{
	const char *enc = (const char *)sqlite3_column_text(st, 0);
	int64_t size = sqlite3_column_int64(st, 1);
	const void *blob = sqlite3_column_blob(st, 2);
	int n = sqlite3_column_bytes(st, 2);
	uLongf out_len = (uLongf)size;
	char *out;

	/* The size bounds what is allocated; a report body is capped far below this. */
	if (size < 0 || size > (int64_t)VG_FLEET_MAX_SECTION_BYTES || n < 0)
		return NULL;
	out = vg_arena_alloc(arena, (size_t)size + 1);
	if (enc && strcmp(enc, "zlib") == 0) {
		if (uncompress((Bytef *)out, &out_len, blob, (uLong)n) != Z_OK ||
		    out_len != (uLongf)size)
			return NULL;
	} else {
		if (n != size)
			return NULL;
		if (n)
			memcpy(out, blob, (size_t)n);
	}
	out[size] = '\0';
	return out;
}

int
vg_findings_section(struct vg_kb *kb, const char *device_id, const char *name,
		    struct vg_arena *arena, const char **body, struct vg_err *err)
{
	static const char sql[] = "SELECT enc, size, body FROM device_section"
				  " WHERE device_id = ?1 AND name = ?2";
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	*body = NULL;
	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, device_id, &brc);
	vg_sql_bind_text(st, 2, name, &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	if (rc == SQLITE_ROW && (*body = section_json(st, arena)) == NULL) {
		sqlite3_reset(st);
		return vg_error(err, VG_EIO, "device '%s': stored section '%s' is corrupt",
				device_id, name);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vg_error(err, vg_sql_code(rc), "reading a device section: %s",
				sqlite3_errmsg(kb->db));
	return VG_OK;
}

static int
insert_match(struct vg_kb *kb, int64_t tuple_id, const struct vg_findings_match *m,
	     struct vg_err *err)
{
	static const char sql[] =
		"INSERT INTO tuple_vuln (tuple_id, vuln_id, status, fixed_version, confidence,"
		" source, severity, s, l, w) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT (tuple_id, vuln_id) DO NOTHING";
	sqlite3_stmt *st;
	int brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_int(st, 1, tuple_id, &brc);
	vg_sql_bind_text(st, 2, m->vuln_id, &brc);
	vg_sql_bind_text(st, 3, m->status, &brc);
	vg_sql_bind_text(st, 4, m->fixed_version, &brc);
	vg_sql_bind_text(st, 5, m->confidence, &brc);
	vg_sql_bind_text(st, 6, m->source, &brc);
	vg_sql_bind_text(st, 7, m->severity, &brc);
	vg_sql_bind_real(st, 8, m->s, &brc);
	vg_sql_bind_real(st, 9, m->l, &brc);
	vg_sql_bind_real(st, 10, m->w, &brc);
	return done(kb, st, brc, "storing a tuple's vulnerability", err);
}

int
vg_findings_set_tuple(struct vg_kb *kb, int64_t tuple_id, const char *vendor,
		      const char *software_id, int64_t gen, const struct vg_findings_match *m,
		      size_t n, struct vg_err *err)
{
	static const char del[] = "DELETE FROM tuple_vuln WHERE tuple_id = ?1";
	static const char upd[] =
		"UPDATE tuple SET vendor = ?2, software_id = ?3, matched_gen = ?4 WHERE id = ?1";
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, del, err);
	vg_sql_bind_int(st, 1, tuple_id, &brc);
	rc = done(kb, st, brc, "dropping a tuple's vulnerabilities", err);
	for (size_t i = 0; rc == VG_OK && i < n; i++)
		rc = insert_match(kb, tuple_id, &m[i], err);
	if (rc != VG_OK)
		return rc;
	CACHED_OR_FAIL(st, kb, upd, err);
	vg_sql_bind_int(st, 1, tuple_id, &brc);
	vg_sql_bind_text(st, 2, vendor, &brc);
	vg_sql_bind_text(st, 3, software_id, &brc);
	vg_sql_bind_int(st, 4, gen, &brc);
	return done(kb, st, brc, "marking a tuple matched", err);
}

int
vg_findings_summary_gen(struct vg_kb *kb, const char *id, int64_t *gen, struct vg_err *err)
{
	static const char sql[] = "SELECT gen FROM vuln_summary WHERE id = ?1";
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, id, &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	*gen = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading a vulnerability summary");
	return VG_OK;
}

int
vg_findings_vuln_extras(struct vg_kb *kb, const char *id, const char *cve_id,
			struct vg_arena *arena, const char **exploit_uris, const char **updated,
			struct vg_err *err)
{
	static const char refs[] =
		"SELECT DISTINCT r.url FROM vuln v JOIN ref r ON r.vuln = v.id"
		" WHERE v.vid IN (?1, ?2) AND r.exploit <> 0 ORDER BY r.url LIMIT 50";
	static const char mod[] = "SELECT max(modified) FROM vuln WHERE vid IN (?1, ?2)";
	json_t *uris;
	char *text;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, refs, err);
	uris = json_array();
	vg_sql_bind_text(st, 1, id, &brc);
	vg_sql_bind_text(st, 2, cve_id ? cve_id : id, &brc);
	while (brc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(uris, json_string((const char *)sqlite3_column_text(st, 0)));
	sqlite3_reset(st);
	text = json_dumps(uris, JSON_COMPACT);
	json_decref(uris);
	*exploit_uris = text ? vg_arena_strdup(arena, text) : "[]";
	free(text);
	if (brc != SQLITE_OK || rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, brc != SQLITE_OK ? brc : rc, "reading exploits");
	CACHED_OR_FAIL(st, kb, mod, err);
	vg_sql_bind_text(st, 1, id, &brc);
	vg_sql_bind_text(st, 2, cve_id ? cve_id : id, &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	*updated = rc == SQLITE_ROW ? vg_sql_col_dup(st, 0, arena) : NULL;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? VG_OK
				: vg_sql_error(err, kb->db, rc, "reading modification times");
}

int
vg_findings_set_summary(struct vg_kb *kb, const struct vg_findings_summary *s, int64_t gen,
			struct vg_err *err)
{
	static const char sql[] =
		"INSERT INTO vuln_summary (id, cve_id, description, severity, cvss_v3, cvss_vector,"
		" published, updated, public_exploit, kev, epss, exploit_uris, gen)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
		" ON CONFLICT (id) DO UPDATE SET cve_id = excluded.cve_id,"
		" description = excluded.description, severity = excluded.severity,"
		" cvss_v3 = excluded.cvss_v3, cvss_vector = excluded.cvss_vector,"
		" published = excluded.published, updated = excluded.updated,"
		" public_exploit = excluded.public_exploit, kev = excluded.kev, epss = excluded.epss,"
		" exploit_uris = excluded.exploit_uris, gen = excluded.gen";
	sqlite3_stmt *st;
	int brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, s->id, &brc);
	vg_sql_bind_text(st, 2, s->cve_id, &brc);
	vg_sql_bind_text(st, 3, s->description, &brc);
	vg_sql_bind_text(st, 4, s->severity, &brc);
	vg_sql_bind_real(st, 5, s->cvss_v3, &brc);
	vg_sql_bind_text(st, 6, s->cvss_vector, &brc);
	if (s->published)
		vg_sql_bind_int(st, 7, s->published, &brc);
	if (s->updated)
		vg_sql_bind_int(st, 8, s->updated, &brc);
	vg_sql_bind_int(st, 9, s->public_exploit, &brc);
	vg_sql_bind_int(st, 10, s->kev, &brc);
	vg_sql_bind_real(st, 11, s->epss, &brc);
	vg_sql_bind_text(st, 12, s->exploit_uris ? s->exploit_uris : "[]", &brc);
	vg_sql_bind_int(st, 13, gen, &brc);
	return done(kb, st, brc, "storing a vulnerability summary", err);
}

int
vg_findings_set_flags(struct vg_kb *kb, const char *device_id, int64_t tuple_id, bool running,
		      bool listening, struct vg_err *err)
{
	static const char sql[] = "UPDATE device_tuple SET running = ?3, listening = ?4"
				  " WHERE device_id = ?1 AND tuple_id = ?2";
	sqlite3_stmt *st;
	int brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, device_id, &brc);
	vg_sql_bind_int(st, 2, tuple_id, &brc);
	vg_sql_bind_int(st, 3, running, &brc);
	vg_sql_bind_int(st, 4, listening, &brc);
	return done(kb, st, brc, "storing a tuple's context", err);
}

int
vg_findings_device_matches(struct vg_kb *kb, const char *device_id, struct vg_arena *arena,
			   struct vg_findings_row **rows, size_t *n, struct vg_err *err)
{
	static const char sql[] =
		"SELECT tv.tuple_id, tv.vuln_id, tv.s * tv.l * tv.w FROM device_tuple dt"
		" JOIN tuple_vuln tv ON tv.tuple_id = dt.tuple_id WHERE dt.device_id = ?1"
		" ORDER BY tv.tuple_id";
	struct vg_findings_row *v = NULL;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, device_id, &brc);
	while (brc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_push(arena, v, len, &cap, sizeof(*v));
		v[len].tuple_id = sqlite3_column_int64(st, 0);
		v[len].vuln_id = vg_sql_col_dup(st, 1, arena);
		v[len++].risk = sqlite3_column_double(st, 2);
	}
	if (brc != SQLITE_OK)
		rc = brc;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading the device's matches");
	*rows = v;
	*n = len;
	return VG_OK;
}

/* ---- a device's findings ---------------------------------------------------------- */

/* A vulnerability the device had, with the earliest first_seen of its rows. */
struct old_vuln {
	char *id;
	int64_t first_seen;
};

static int
cmp_row(const void *a, const void *b)
{
	const struct vg_findings_row *x = a, *y = b;
	int c = strcmp(x->vuln_id, y->vuln_id);

	return c ? c : x->tuple_id < y->tuple_id ? -1 : x->tuple_id > y->tuple_id;
}

/* The device's vulnerabilities now, by id (sorted as the rows are: byte order). */
static int
load_old(struct vg_kb *kb, const char *device_id, struct old_vuln **out, size_t *n,
	 struct vg_err *err)
{
	static const char sql[] = "SELECT vuln_id, min(first_seen) FROM device_vuln"
				  " WHERE device_id = ?1 GROUP BY vuln_id";
	struct old_vuln *v = NULL;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, device_id, &brc);
	while (brc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			v = vg_xreallocarray(v, cap, sizeof(*v));
		}
		v[len].id = vg_xstrdup((const char *)sqlite3_column_text(st, 0));
		v[len++].first_seen = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	if (brc != SQLITE_OK || rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, brc != SQLITE_OK ? brc : rc,
				    "reading the device's findings");
	return VG_OK;
}

static int
cmp_old(const void *a, const void *b)
{
	return strcmp(((const struct old_vuln *)a)->id, ((const struct old_vuln *)b)->id);
}

static int
add_event(struct vg_kb *kb, int64_t now, const char *kind, const char *device_id,
	  const char *vuln_id, int64_t tuple_id, struct vg_err *err)
{
	static const char sql[] = "INSERT INTO event (time, kind, device_id, vuln_id, tuple_id)"
				  " VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st;
	int brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_int(st, 1, now, &brc);
	vg_sql_bind_text(st, 2, kind, &brc);
	vg_sql_bind_text(st, 3, device_id, &brc);
	vg_sql_bind_text(st, 4, vuln_id, &brc);
	if (tuple_id > 0)
		vg_sql_bind_int(st, 5, tuple_id, &brc);
	return done(kb, st, brc, "recording an event", err);
}

/* One device more (@delta 1, first seen @now) or less (-1) with vulnerability @vuln_id. */
static int
count_exposure(struct vg_kb *kb, const char *vuln_id, int delta, int64_t now, struct vg_err *err)
{
	static const char sql[] =
		"INSERT INTO vuln_exposure (vuln_id, exposed, first_detected) VALUES (?1, max(?2, 0), ?3)"
		" ON CONFLICT (vuln_id) DO UPDATE SET exposed = max(exposed + ?2, 0),"
		" first_detected = min(first_detected, ?3)";
	sqlite3_stmt *st;
	int brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, vuln_id, &brc);
	vg_sql_bind_int(st, 2, delta, &brc);
	vg_sql_bind_int(st, 3, now, &brc);
	return done(kb, st, brc, "counting exposed devices", err);
}

static int
insert_row(struct vg_kb *kb, const char *device_id, const struct vg_findings_row *r,
	   int64_t first_seen, struct vg_err *err)
{
	static const char sql[] =
		"INSERT INTO device_vuln (device_id, tuple_id, vuln_id, risk, first_seen)"
		" VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st;
	int brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, device_id, &brc);
	vg_sql_bind_int(st, 2, r->tuple_id, &brc);
	vg_sql_bind_text(st, 3, r->vuln_id, &brc);
	vg_sql_bind_real(st, 4, r->risk, &brc);
	vg_sql_bind_int(st, 5, first_seen, &brc);
	return done(kb, st, brc, "storing a finding", err);
}

/*
 * Walk the sorted new rows and old vulnerabilities together: insert each
 * row (with the old first_seen when the vulnerability was there) and
 * record what appeared and disappeared.
 */
static int
merge(struct vg_kb *kb, const char *device_id, const struct vg_findings_row *rows, size_t n,
      const struct old_vuln *old, size_t nold, int64_t now, struct vg_findings_change *ch,
      struct vg_err *err)
{
	size_t i = 0, j = 0;
	int rc = VG_OK;

	while (rc == VG_OK && (i < n || j < nold)) {
		int c = i == n ? 1 : j == nold ? -1 : strcmp(rows[i].vuln_id, old[j].id);

		if (c > 0) {
			ch->disappeared++;
			rc = add_event(kb, now, VG_EVENT_VULN_DISAPPEARED, device_id, old[j].id, 0,
				       err);
			if (rc == VG_OK)
				rc = count_exposure(kb, old[j].id, -1, now, err);
			j++;
			continue;
		}
		if (c < 0) {
			ch->appeared++;
			rc = add_event(kb, now, VG_EVENT_VULN_APPEARED, device_id, rows[i].vuln_id,
				       rows[i].tuple_id, err);
			if (rc == VG_OK)
				rc = count_exposure(kb, rows[i].vuln_id, 1, now, err);
		}
		/* Every row of this vulnerability (one per tuple carrying it). */
		for (size_t k = i;
		     rc == VG_OK && k < n && strcmp(rows[k].vuln_id, rows[i].vuln_id) == 0; k++)
			rc = insert_row(kb, device_id, &rows[k], c == 0 ? old[j].first_seen : now,
					err);
		while (i + 1 < n && strcmp(rows[i + 1].vuln_id, rows[i].vuln_id) == 0)
			i++;
		i++;
		if (c == 0)
			j++;
	}
	return rc;
}

static int
update_device(struct vg_kb *kb, const char *device_id, double risk_sum, double exposure,
	      struct vg_err *err)
{
	static const char sql[] =
		"UPDATE device SET risk_sum = ?2, exposure_score = ?3 WHERE id = ?1";
	sqlite3_stmt *st;
	int brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_text(st, 1, device_id, &brc);
	vg_sql_bind_real(st, 2, risk_sum, &brc);
	vg_sql_bind_real(st, 3, exposure, &brc);
	return done(kb, st, brc, "storing the device's score", err);
}

int
vg_findings_replace_device(struct vg_kb *kb, const char *device_id, struct vg_findings_row *rows,
			   size_t n, double risk_sum, double exposure, int64_t now,
			   struct vg_findings_change *ch, struct vg_err *err)
{
	static const char del[] = "DELETE FROM device_vuln WHERE device_id = ?1";
	struct old_vuln *old = NULL;
	size_t nold = 0;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	*ch = (struct vg_findings_change){.findings = n};
	rc = load_old(kb, device_id, &old, &nold, err);
	if (rc == VG_OK) {
		st = vg_kb_cached(kb, del, err);
		rc = st ? VG_OK : VG_EIO;
	}
	if (rc == VG_OK) {
		vg_sql_bind_text(st, 1, device_id, &brc);
		rc = done(kb, st, brc, "dropping the device's findings", err);
	}
	if (rc == VG_OK) {
		if (n)
			qsort(rows, n, sizeof(*rows), cmp_row);
		if (nold)
			qsort(old, nold, sizeof(*old), cmp_old);
		rc = merge(kb, device_id, rows, n, old, nold, now, ch, err);
	}
	if (rc == VG_OK)
		rc = update_device(kb, device_id, risk_sum, exposure, err);
	for (size_t i = 0; i < nold; i++)
		free(old[i].id);
	free(old);
	return rc;
}

int
vg_findings_stale_devices(struct vg_kb *kb, int64_t gen, size_t max, struct vg_arena *arena,
			  const char ***ids, size_t *n, struct vg_err *err)
{
	static const char sql[] =
		"SELECT DISTINCT dt.device_id FROM device_tuple dt JOIN tuple t ON t.id = dt.tuple_id"
		" WHERE t.matched_gen IS NULL OR t.matched_gen <> ?1 ORDER BY dt.device_id LIMIT ?2";
	const char **v = vg_arena_alloc(arena, (max ? max : 1) * sizeof(*v));
	size_t len = 0;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_int(st, 1, gen, &brc);
	vg_sql_bind_int(st, 2, (int64_t)max, &brc);
	while (brc == SQLITE_OK && len < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		v[len++] = vg_sql_col_dup(st, 0, arena);
	if (brc != SQLITE_OK)
		rc = brc;
	else if (len == max)
		rc = SQLITE_DONE;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "listing stale devices");
	*ids = v;
	*n = len;
	return VG_OK;
}

/* ---- what the organization scores need -------------------------------------------- */

int
vg_findings_active_devices(struct vg_kb *kb, int64_t since, struct vg_arena *arena,
			   struct vg_findings_scored **out, size_t *n, struct vg_err *err)
{
	static const char sql[] = "SELECT id, group_name, value, risk_sum FROM device"
				  " WHERE last_seen >= ?1 ORDER BY id";
	struct vg_findings_scored *v = NULL;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_int(st, 1, since, &brc);
	while (brc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = arena_push(arena, v, len, &cap, sizeof(*v));
		v[len].device_id = vg_sql_col_dup(st, 0, arena);
		v[len].group = vg_sql_col_dup(st, 1, arena);
		v[len].value = vg_sql_col_dup(st, 2, arena);
		v[len++].risk_sum = sqlite3_column_double(st, 3);
	}
	if (brc != SQLITE_OK)
		rc = brc;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading active devices");
	*out = v;
	*n = len;
	return VG_OK;
}

int
vg_findings_software_risk_each(struct vg_kb *kb, int64_t since,
			       int (*cb)(void *ctx, const struct vg_findings_software_risk *r),
			       void *ctx, struct vg_err *err)
{
	static const char sql[] =
		"SELECT t.software_id, dv.device_id,"
		" sum(CASE WHEN tv.status = 'fixAvailable' THEN dv.risk ELSE 0 END), sum(dv.risk)"
		" FROM device_vuln dv JOIN device d ON d.id = dv.device_id"
		" JOIN tuple t ON t.id = dv.tuple_id"
		" JOIN tuple_vuln tv ON tv.tuple_id = dv.tuple_id AND tv.vuln_id = dv.vuln_id"
		" WHERE d.last_seen >= ?1 GROUP BY t.software_id, dv.device_id"
		" ORDER BY t.software_id, dv.device_id";
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK, stop = 0;

	CACHED_OR_FAIL(st, kb, sql, err);
	vg_sql_bind_int(st, 1, since, &brc);
	while (brc == SQLITE_OK && !stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vg_findings_software_risk r = {
			.software_id = (const char *)sqlite3_column_text(st, 0),
			.device_id = (const char *)sqlite3_column_text(st, 1),
			.fixable = sqlite3_column_double(st, 2),
			.total = sqlite3_column_double(st, 3),
		};

		if (r.software_id == NULL)
			continue; /* a tuple assessed before its identity was set: none in practice
				   */
		stop = cb(ctx, &r);
	}
	if (brc != SQLITE_OK)
		rc = brc;
	sqlite3_reset(st);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading software risk");
	return VG_OK;
}
