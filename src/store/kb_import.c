/*
 * kb_import.c - the sink importers write through (vg_kb_sink).
 *
 * Every callback runs prepared statements inside the caller's transaction
 * and looks nothing up per row except what MERGE needs: the rows a record
 * left in a previous import are deleted by index when it arrives again,
 * and not at all when the source held nothing before (a first import).
 * See docs/internals/store.md for REPLACE/MERGE and record ownership.
 */
#include "store/kb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "core/cpe.h"
#include "core/cvss.h"
#include "store/kb_int.h"
#include "store/sqlite_util.h"

static int
bind_failed(struct vg_kb *kb, sqlite3_stmt *st, int rc, const char *what, struct vg_err *err)
{
	sqlite3_reset(st);
	return vg_sql_error(err, kb->db, rc, what);
}

static int
check_active(struct vg_kb *kb, const char *what, struct vg_err *err)
{
	if (!kb->imp.active)
		return vg_error(err, VG_EINVAL, "%s outside an import (no begin)", what);
	return VG_OK;
}

/* ---- begin / end ------------------------------------------------------------ */

/* Run "... WHERE source = ?1" statement @id for the current source. */
static int
run_for_source(struct vg_kb *kb, enum vg_kb_stmt id, const char *what, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	VG_KB_STMT_OR_FAIL(st, kb, id, err);
	vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, what, err);
	return vg_kb_step_done(kb, st, what, err);
}

/*
 * The EPSS table normally holds one source's rows only: then an unqualified
 * DELETE, which SQLite turns into dropping the table's pages (the truncate
 * optimization), instead of deleting 300,000 rows one by one.
 */
static int
drop_epss(struct vg_kb *kb, struct vg_err *err)
{
	sqlite3_stmt *st;
	bool others;
	int rc = SQLITE_OK;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_EPSS_OTHERS, err);
	vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return bind_failed(kb, st, rc, "dropping a source", err);
	others = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (others)
		return run_for_source(kb, VG_KB_ST_DROP_EPSS, "dropping a source", err);
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_TRUNCATE_EPSS, err);
	return vg_kb_step_done(kb, st, "dropping a source", err);
}

/* REPLACE: everything the source imported before goes (children by cascade). */
static int
drop_source(struct vg_kb *kb, struct vg_err *err)
{
	static const enum vg_kb_stmt drops[] = {VG_KB_ST_DROP_VULN, VG_KB_ST_DROP_AFF,
						VG_KB_ST_DROP_KEV};

	for (size_t i = 0; i < VG_ARRAY_LEN(drops); i++) {
		int rc = run_for_source(kb, drops[i], "dropping a source", err);

		if (rc != VG_OK)
			return rc;
	}
	return drop_epss(kb, err);
}

static int
source_has_rows(struct vg_kb *kb, bool *out, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_SRC_HAS_ROWS, err);
	vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return bind_failed(kb, st, rc, "reading a source", err);
	*out = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	return VG_OK;
}

/* Create the source row if needed and start a new generation of it. */
static int
open_source(struct vg_kb *kb, const char *name, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK, code;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_SRC_ENSURE, err);
	vg_sql_bind_text(st, 1, name, &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, "creating a source", err);
	code = vg_kb_step_done(kb, st, "creating a source", err);
	if (code != VG_OK)
		return code;
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_SRC_NEXTGEN, err);
	vg_sql_bind_text(st, 1, name, &rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return bind_failed(kb, st, rc, "reading a source", err);
	kb->imp.sid = sqlite3_column_int64(st, 0);
	kb->imp.gen = sqlite3_column_int64(st, 1);
	/* Step to the end so that the UPDATE ... RETURNING completes before the reset. */
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading a source");
	return VG_OK;
}

static int
sink_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct vg_kb *kb = ctx;
	int rc;

	if (!src || !src->name || !src->name[0])
		return vg_error(err, VG_EINVAL, "import of a source without a name");
	if (!kb->in_txn)
		return vg_error(err, VG_EINVAL, "import of '%s' outside a transaction", src->name);
	if (kb->imp.active)
		return vg_error(err, VG_EINVAL, "import of '%s' begun while that of '%s' is open",
				src->name, kb->imp.name);
	rc = open_source(kb, src->name, err);
	if (rc != VG_OK)
		return rc;
	kb->imp.active = true;
	kb->imp.mode = src->mode;
	kb->imp.name = vg_xstrdup(src->name);
	if (src->mode == VG_FEED_REPLACE)
		return drop_source(kb, err);
	return source_has_rows(kb, &kb->imp.had_rows, err);
}

static int
sink_end(void *ctx, const struct vg_feed_source *src, uint64_t nrecords, struct vg_err *err)
{
	struct vg_kb *kb = ctx;
	sqlite3_stmt *st;
	char now[32];
	int rc = check_active(kb, "end", err);

	if (rc != VG_OK)
		return rc;
	if (!src || !src->name || strcmp(src->name, kb->imp.name) != 0)
		return vg_error(err, VG_EINVAL, "import of '%s' ended under another name",
				kb->imp.name);
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_SRC_END, err);
	vg_kb_utc_now(now);
	vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
	vg_sql_bind_text(st, 2, src->format, &rc);
	vg_sql_bind_text(st, 3, src->mode == VG_FEED_REPLACE ? "replace" : "merge", &rc);
	vg_sql_bind_text(st, 4, src->version, &rc);
	vg_sql_bind_text(st, 5, src->snapshot, &rc);
	vg_sql_bind_text(st, 6, src->path, &rc);
	vg_sql_bind_int(st, 7, nrecords > INT64_MAX ? INT64_MAX : (int64_t)nrecords, &rc);
	vg_sql_bind_text(st, 8, now, &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, "recording a source", err);
	rc = vg_kb_step_done(kb, st, "recording a source", err);
	vg_kb_import_reset(kb);
	return rc;
}

/*
 * MERGE: record @rec arrives again, so the rows it left in earlier imports
 * of this source go: its vuln row (with children) when @vuln, and the
 * affected statements it owns that an earlier generation wrote.  Affected
 * statements of one record come in a run, hence the last_rec shortcut.
 */
static int
claim_record(struct vg_kb *kb, const char *rec, bool vuln, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK, code;

	if (vuln) {
		VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_DEL_VULN, err);
		vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
		vg_sql_bind_text(st, 2, rec, &rc);
		if (rc != SQLITE_OK)
			return bind_failed(kb, st, rc, "replacing a record", err);
		code = vg_kb_step_done(kb, st, "replacing a record", err);
		if (code != VG_OK)
			return code;
	}
	if (kb->imp.last_rec && strcmp(kb->imp.last_rec, rec) == 0)
		return VG_OK;
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_DEL_REC_AFF, err);
	vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
	vg_sql_bind_text(st, 2, rec, &rc);
	vg_sql_bind_int(st, 3, kb->imp.gen, &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, "replacing a record", err);
	code = vg_kb_step_done(kb, st, "replacing a record", err);
	if (code != VG_OK)
		return code;
	free(kb->imp.last_rec);
	kb->imp.last_rec = vg_xstrdup(rec);
	return VG_OK;
}

/* ---- vulnerabilities -------------------------------------------------------- */

/*
 * MERGE: does the source already hold a copy of @v modified later than @v?
 * Then @v is stale (an older file of the same feed imported after a newer
 * one, e.g. a single-CVE API response after a merged page) and is skipped
 * with its statements.  Timestamps of one source share one ISO 8601 form,
 * so they compare as strings; a record without one always replaces.
 */
static int
stored_is_newer(struct vg_kb *kb, const struct vg_vuln *v, bool *newer, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	*newer = false;
	if (!v->modified || !v->modified[0])
		return VG_OK;
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_VULN_MODIFIED, err);
	vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
	vg_sql_bind_text(st, 2, v->id, &rc);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *stored = (const char *)sqlite3_column_text(st, 0);

		*newer = stored && strcmp(stored, v->modified) > 0;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading a record");
	return VG_OK;
}

struct scored {
	const char *vector; /* NULL when absent or invalid */
	double score;       /* recomputed base score, NaN when absent */
};

/* Recompute the base score of @vector, which must be CVSS version @major. */
static struct scored
score(struct vg_kb *kb, const char *vid, const char *field, const char *vector, int major)
{
	struct scored out = {NULL, NAN};
	struct vg_cvss cvss;
	struct vg_err e;

	if (!vector)
		return out;
	if (vg_cvss_parse(vg_str_c(vector), &cvss, &e) != VG_OK) {
		vg_kb_warn(kb, "source '%s': record '%s': %s vector '%.100s' dropped: %s",
			   kb->imp.name, vid, field, vector, e.msg);
		return out;
	}
	if ((int)cvss.version / 10 != major) {
		vg_kb_warn(kb,
			   "source '%s': record '%s': %s vector '%.100s' dropped: CVSS %s, not v%d",
			   kb->imp.name, vid, field, vector, vg_cvss_version_name(cvss.version),
			   major);
		return out;
	}
	out.vector = vector;
	out.score = cvss.base;
	return out;
}

static int
insert_vuln(struct vg_kb *kb, const struct vg_vuln *v, int64_t *row, struct vg_err *err)
{
	struct scored v2 = score(kb, v->id, "cvss_v2", v->cvss_v2, 2);
	struct scored v3 = score(kb, v->id, "cvss_v3", v->cvss_v3, 3);
	struct scored v4 = score(kb, v->id, "cvss_v4", v->cvss_v4, 4);
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_INS_VULN, err);
	vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
	vg_sql_bind_text(st, 2, v->id, &rc);
	vg_sql_bind_text(st, 3, v->summary, &rc);
	vg_sql_bind_text(st, 4, v->description, &rc);
	vg_sql_bind_text(st, 5, v->published, &rc);
	vg_sql_bind_text(st, 6, v->modified, &rc);
	vg_sql_bind_int(st, 7, v->withdrawn, &rc);
	vg_sql_bind_text(st, 8, v2.vector, &rc);
	vg_sql_bind_real(st, 9, v2.score, &rc);
	vg_sql_bind_real(st, 10, v->cvss_v2_score, &rc);
	vg_sql_bind_text(st, 11, v3.vector, &rc);
	vg_sql_bind_real(st, 12, v3.score, &rc);
	vg_sql_bind_real(st, 13, v->cvss_v3_score, &rc);
	vg_sql_bind_text(st, 14, v4.vector, &rc);
	vg_sql_bind_real(st, 15, v4.score, &rc);
	vg_sql_bind_real(st, 16, v->cvss_v4_score, &rc);
	vg_sql_bind_text(st, 17, v->severity, &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, "storing a record", err);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		/* The same id twice in one import: the later copy wins, as in MERGE. */
		int code = claim_record(kb, v->id, true, err);

		if (code != VG_OK)
			return code;
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "storing a record");
	*row = sqlite3_last_insert_rowid(kb->db);
	return VG_OK;
}

/* Does @s occur in @list[0 .. @n)? */
static bool
seen(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] && strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* Insert @list (aliases or CWEs) under vuln @row, without empties, duplicates or @self. */
static int
insert_names(struct vg_kb *kb, enum vg_kb_stmt id, int64_t row, const char *const *list, size_t n,
	     const char *self, struct vg_err *err)
{
	sqlite3_stmt *st;
	int64_t seq = 0;

	if (n == 0)
		return VG_OK;
	VG_KB_STMT_OR_FAIL(st, kb, id, err);
	for (size_t i = 0; i < n; i++) {
		int rc = SQLITE_OK, code;

		if (!list[i] || !list[i][0] || (self && strcmp(list[i], self) == 0) ||
		    seen(list, i, list[i]))
			continue;
		vg_sql_bind_int(st, 1, row, &rc);
		vg_sql_bind_int(st, 2, seq++, &rc);
		vg_sql_bind_text(st, 3, list[i], &rc);
		if (rc != SQLITE_OK)
			return bind_failed(kb, st, rc, "storing a record", err);
		code = vg_kb_step_done(kb, st, "storing a record", err);
		if (code != VG_OK)
			return code;
	}
	return VG_OK;
}

static int
insert_refs(struct vg_kb *kb, int64_t row, const struct vg_vuln *v, struct vg_err *err)
{
	sqlite3_stmt *st;

	if (v->nrefs == 0)
		return VG_OK;
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_INS_REF, err);
	for (size_t i = 0; i < v->nrefs; i++) {
		const struct vg_vuln_ref *r = &v->refs[i];
		int rc = SQLITE_OK, code;

		if (!r->url || !r->url[0])
			continue;
		vg_sql_bind_int(st, 1, row, &rc);
		vg_sql_bind_int(st, 2, (int64_t)i, &rc);
		vg_sql_bind_text(st, 3, r->url, &rc);
		vg_sql_bind_text(st, 4, r->tags, &rc);
		vg_sql_bind_int(st, 5, r->exploit, &rc);
		if (rc != SQLITE_OK)
			return bind_failed(kb, st, rc, "storing a reference", err);
		code = vg_kb_step_done(kb, st, "storing a reference", err);
		if (code != VG_OK)
			return code;
	}
	return VG_OK;
}

/* The product key of @criteria in kb->scratch, or NULL for ANY/NA or a bad name. */
static const char *
product_of(struct vg_kb *kb, const char *vid, const char *criteria)
{
	const char *key = NULL;
	struct vg_cpe cpe;
	struct vg_err e;

	vg_cpe_init(&cpe);
	if (vg_cpe_parse(vg_str_c(criteria), &cpe, &e) != VG_OK) {
		vg_kb_warn(kb, "source '%s': record '%s': cpe '%.200s' not indexed: %s",
			   kb->imp.name, vid, criteria, e.msg);
		return NULL;
	}
	if (cpe.attr[VG_CPE_PRODUCT].kind == VG_CPE_VALUE &&
	    vg_kb_product_key(cpe.attr[VG_CPE_PRODUCT].str, &kb->scratch) == VG_OK)
		key = kb->scratch.p;
	vg_cpe_release(&cpe);
	return key;
}

static int
insert_match(struct vg_kb *kb, const char *vid, int64_t node, size_t seq,
	     const struct vg_cpe_match *m, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	if (!m->criteria || !m->criteria[0]) {
		vg_kb_warn(kb, "source '%s': record '%s': cpe match without criteria dropped",
			   kb->imp.name, vid);
		return VG_OK;
	}
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_INS_MATCH, err);
	vg_sql_bind_int(st, 1, node, &rc);
	vg_sql_bind_int(st, 2, (int64_t)seq, &rc);
	vg_sql_bind_text(st, 3, m->criteria, &rc);
	vg_sql_bind_int(st, 4, m->vulnerable, &rc);
	vg_sql_bind_text(st, 5, m->start_incl, &rc);
	vg_sql_bind_text(st, 6, m->start_excl, &rc);
	vg_sql_bind_text(st, 7, m->end_incl, &rc);
	vg_sql_bind_text(st, 8, m->end_excl, &rc);
	vg_sql_bind_text(st, 9, product_of(kb, vid, m->criteria), &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, "storing a cpe match", err);
	return vg_kb_step_done(kb, st, "storing a cpe match", err);
}

static int
insert_node(struct vg_kb *kb, const char *vid, int64_t config, size_t seq,
	    const struct vg_cpe_node *n, struct vg_err *err)
{
	sqlite3_stmt *st;
	int64_t node;
	int rc = SQLITE_OK, code;

	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_INS_NODE, err);
	vg_sql_bind_int(st, 1, config, &rc);
	vg_sql_bind_int(st, 2, (int64_t)seq, &rc);
	vg_sql_bind_int(st, 3, n->and_op, &rc);
	vg_sql_bind_int(st, 4, n->negate, &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, "storing a cpe node", err);
	code = vg_kb_step_done(kb, st, "storing a cpe node", err);
	node = sqlite3_last_insert_rowid(kb->db);
	for (size_t i = 0; i < n->nmatches && code == VG_OK; i++)
		code = insert_match(kb, vid, node, i, &n->matches[i], err);
	return code;
}

static int
insert_configs(struct vg_kb *kb, int64_t row, const struct vg_vuln *v, struct vg_err *err)
{
	for (size_t i = 0; i < v->nconfigs; i++) {
		const struct vg_cpe_config *c = &v->configs[i];
		sqlite3_stmt *st;
		int64_t config;
		int rc = SQLITE_OK, code;

		VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_INS_CONFIG, err);
		vg_sql_bind_int(st, 1, row, &rc);
		vg_sql_bind_int(st, 2, (int64_t)i, &rc);
		vg_sql_bind_int(st, 3, c->and_op, &rc);
		if (rc != SQLITE_OK)
			return bind_failed(kb, st, rc, "storing a cpe configuration", err);
		code = vg_kb_step_done(kb, st, "storing a cpe configuration", err);
		config = sqlite3_last_insert_rowid(kb->db);
		for (size_t j = 0; j < c->nnodes && code == VG_OK; j++)
			code = insert_node(kb, v->id, config, j, &c->nodes[j], err);
		if (code != VG_OK)
			return code;
	}
	return VG_OK;
}

static int
sink_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	struct vg_kb *kb = ctx;
	int64_t row = 0;
	int rc = check_active(kb, "vulnerability record", err);

	if (rc != VG_OK)
		return rc;
	if (!v->id || !v->id[0])
		return vg_error(err, VG_EINVAL, "source '%s': vulnerability record without an id",
				kb->imp.name);
	if (kb->imp.mode == VG_FEED_MERGE && kb->imp.had_rows) {
		bool newer;

		rc = stored_is_newer(kb, v, &newer, err);
		if (rc != VG_OK)
			return rc;
		free(kb->imp.skip_rec);
		kb->imp.skip_rec = newer ? vg_xstrdup(v->id) : NULL;
		if (newer)
			return VG_OK;
	}
	if (kb->imp.mode == VG_FEED_MERGE && kb->imp.had_rows)
		rc = claim_record(kb, v->id, true, err);
	if (rc == VG_OK)
		rc = insert_vuln(kb, v, &row, err);
	if (rc == VG_OK)
		rc = insert_names(kb, VG_KB_ST_INS_ALIAS, row, v->aliases, v->naliases, v->id, err);
	if (rc == VG_OK)
		rc = insert_names(kb, VG_KB_ST_INS_CWE, row, v->cwes, v->ncwes, NULL, err);
	if (rc == VG_OK)
		rc = insert_refs(kb, row, v, err);
	if (rc == VG_OK)
		rc = insert_configs(kb, row, v, err);
	return rc;
}

/* ---- affected statements ---------------------------------------------------- */

static int
sink_affected(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	struct vg_kb *kb = ctx;
	const char *scheme = vg_ver_scheme_name(a->scheme);
	const char *status = vg_aff_status_name(a->status);
	const char *rec;
	sqlite3_stmt *st;
	int rc = check_active(kb, "affected statement", err);

	if (rc != VG_OK)
		return rc;
	if (!a->vuln_id || !a->vuln_id[0] || !a->ns || !a->ns[0] || !a->package || !a->package[0])
		return vg_error(err, VG_EINVAL,
				"source '%s': affected statement without vulnerability, "
				"namespace or package",
				kb->imp.name);
	if (strcmp(scheme, "unknown") == 0 || strcmp(status, "unknown") == 0)
		return vg_error(
			err, VG_EINVAL,
			"source '%s': affected statement '%s' has an unknown scheme or status",
			kb->imp.name, a->vuln_id);
	rec = a->advisory && a->advisory[0] ? a->advisory : a->vuln_id;
	if (kb->imp.skip_rec && strcmp(kb->imp.skip_rec, rec) == 0)
		return VG_OK; /* its record was stale (stored_is_newer) */
	if (kb->imp.mode == VG_FEED_MERGE && kb->imp.had_rows)
		rc = claim_record(kb, rec, false, err);
	if (rc == VG_OK)
		rc = vg_kb_package_key(a->ns, a->package, &kb->scratch);
	if (rc != VG_OK)
		return rc;
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_INS_AFF, err);
	rc = SQLITE_OK;
	vg_sql_bind_int(st, 1, kb->imp.sid, &rc);
	vg_sql_bind_int(st, 2, kb->imp.gen, &rc);
	vg_sql_bind_text(st, 3, rec, &rc);
	vg_sql_bind_text(st, 4, a->ns, &rc);
	vg_sql_bind_text(st, 5, kb->scratch.p, &rc);
	vg_sql_bind_text(st, 6, a->package, &rc);
	vg_sql_bind_text(st, 7, a->vuln_id, &rc);
	vg_sql_bind_text(st, 8, a->advisory, &rc);
	vg_sql_bind_text(st, 9, scheme, &rc);
	vg_sql_bind_text(st, 10, status, &rc);
	vg_sql_bind_text(st, 11, a->introduced, &rc);
	vg_sql_bind_text(st, 12, a->fixed, &rc);
	vg_sql_bind_text(st, 13, a->last_affected, &rc);
	vg_sql_bind_text(st, 14, a->exact, &rc);
	vg_sql_bind_text(st, 15, a->urgency, &rc);
	vg_sql_bind_text(st, 16, a->note, &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, "storing an affected statement", err);
	return vg_kb_step_done(kb, st, "storing an affected statement", err);
}

/* ---- KEV and EPSS ----------------------------------------------------------- */

static int
sink_kev(void *ctx, const struct vg_kev *k, struct vg_err *err)
{
	struct vg_kb *kb = ctx;
	sqlite3_stmt *st;
	int rc = check_active(kb, "kev entry", err);

	if (rc != VG_OK)
		return rc;
	if (!k->cve_id || !k->cve_id[0])
		return vg_error(err, VG_EINVAL, "source '%s': kev entry without a cve id",
				kb->imp.name);
	vg_buf_reset(&kb->scratch);
	for (size_t i = 0; i < k->ncwes && rc == VG_OK; i++) {
		if (!k->cwes[i] || !k->cwes[i][0])
			continue;
		if (kb->scratch.len)
			rc = vg_buf_addch(&kb->scratch, ',');
		if (rc == VG_OK)
			rc = vg_buf_addstr(&kb->scratch, k->cwes[i]);
	}
	if (rc != VG_OK)
		return vg_error(err, rc, "source '%s': kev entry '%s': cwes too long", kb->imp.name,
				k->cve_id);
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_INS_KEV, err);
	rc = SQLITE_OK;
	vg_sql_bind_text(st, 1, k->cve_id, &rc);
	vg_sql_bind_int(st, 2, kb->imp.sid, &rc);
	vg_sql_bind_text(st, 3, k->vendor, &rc);
	vg_sql_bind_text(st, 4, k->product, &rc);
	vg_sql_bind_text(st, 5, k->name, &rc);
	vg_sql_bind_text(st, 6, k->date_added, &rc);
	vg_sql_bind_text(st, 7, k->due_date, &rc);
	vg_sql_bind_int(st, 8, k->ransomware, &rc);
	vg_sql_bind_text(st, 9, k->required_action, &rc);
	vg_sql_bind_text(st, 10, k->description, &rc);
	vg_sql_bind_text(st, 11, kb->scratch.len ? kb->scratch.p : NULL, &rc);
	if (rc != SQLITE_OK)
		return bind_failed(kb, st, rc, "storing a kev entry", err);
	return vg_kb_step_done(kb, st, "storing a kev entry", err);
}

static int
sink_epss(void *ctx, const struct vg_epss *e, struct vg_err *err)
{
	struct vg_kb *kb = ctx;
	sqlite3_stmt *st;
	int64_t key;
	int rc = check_active(kb, "epss score", err);

	if (rc != VG_OK)
		return rc;
	if (!e->cve_id || !vg_kb_cve_key(e->cve_id, &key)) {
		vg_kb_warn(kb, "source '%s': epss score for '%.40s' skipped: not a cve id",
			   kb->imp.name, e->cve_id ? e->cve_id : "");
		return VG_OK;
	}
	if (!(e->probability >= 0 && e->probability <= 1 && e->percentile >= 0 &&
	      e->percentile <= 1)) {
		vg_kb_warn(kb, "source '%s': epss score for '%s' skipped: out of range",
			   kb->imp.name, e->cve_id);
		return VG_OK;
	}
	VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_INS_EPSS, err);
	for (int attempt = 0; attempt < 2; attempt++) {
		rc = SQLITE_OK;
		vg_sql_bind_int(st, 1, key, &rc);
		vg_sql_bind_int(st, 2, kb->imp.sid, &rc);
		vg_sql_bind_real(st, 3, e->probability, &rc);
		vg_sql_bind_real(st, 4, e->percentile, &rc);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_CONSTRAINT_PRIMARYKEY || attempt == 1)
			break;
		/* The CVE is there already (twice in the file, or from another EPSS
		 * source): the later score wins.  Rare, so the plain INSERT stays the
		 * fast path. */
		VG_KB_STMT_OR_FAIL(st, kb, VG_KB_ST_UPSERT_EPSS, err);
	}
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "storing an epss score");
	return VG_OK;
}

static void
sink_warn(void *ctx, const char *msg)
{
	struct vg_kb *kb = ctx;

	if (kb->warn)
		kb->warn(kb->wctx, msg);
}

void
vg_kb_sink(struct vg_kb *kb, struct vg_feed_sink *sink, void (*warn)(void *wctx, const char *msg),
	   void *wctx)
{
	kb->warn = warn;
	kb->wctx = wctx;
	*sink = (struct vg_feed_sink){
		.ctx = kb,
		.begin = sink_begin,
		.vuln = sink_vuln,
		.affected = sink_affected,
		.kev = sink_kev,
		.epss = sink_epss,
		.end = sink_end,
		.warn = sink_warn,
	};
}
