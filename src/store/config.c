/*
 * config.c - the configuration check catalog, each device's results and
 * the counts of the organization's Secure Score (config.h,
 * docs/internals/config.md).
 *
 * The ingest statements are the connection's cached ones (vg_kb_cached());
 * the catalog (synced once at start) and the score's reads are prepared per
 * call, so that they do not take slots of the connection's fixed cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/config.h"
#include "store/kb_int.h"
#include "store/sqlite_util.h"

#define APPLICABLE_SQL(col) "CASE WHEN " col " IN ('passed', 'failed', 'error') THEN 1 ELSE 0 END"
#define COMPLIANT_SQL(col)  "CASE WHEN " col " = 'passed' THEN 1 ELSE 0 END"

static const char *const result_names[] = {"passed", "failed", "notApplicable", "error"};
static const char *const category_names[] = {"",        "Application", "OS",
					     "Network", "Accounts",    "Security controls"};

/* A result item of a report, or a stored result (strings borrowed). */
struct item {
	const char *policy, *id, *result, *reason, *evidence;
	size_t index; /* in the section */
	int impact;   /* stored rows: the catalog's, 0 when unknown */
};

/* ---- small helpers ---------------------------------------------------------------- */

/* Step @st once, expecting no row, and reset it. */
static int
exec_done(struct vg_kb *kb, sqlite3_stmt *st, int brc, const char *what, struct vg_err *err)
{
	int rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;

	rc = rc == SQLITE_DONE ? VG_OK : vg_sql_error(err, kb->db, rc, what);
	sqlite3_reset(st);
	return rc;
}

static int
cached(struct vg_kb *kb, const char *sql, sqlite3_stmt **st, struct vg_err *err)
{
	*st = vg_kb_cached(kb, sql, err);
	return *st ? VG_OK : VG_EIO;
}

/* A statement of its own (finalize it): for what runs once, not per report. */
static int
prepare_once(struct vg_kb *kb, const char *sql, sqlite3_stmt **st, struct vg_err *err)
{
	int rc = sqlite3_prepare_v2(kb->db, sql, -1, st, NULL);

	return rc == SQLITE_OK ? VG_OK : vg_sql_error(err, kb->db, rc, "preparing a statement");
}

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int
cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->policy, y->policy);

	return c ? c : strcmp(x->id, y->id);
}

bool
vg_config_result_valid(const char *s)
{
	for (size_t i = 0; s && i < VG_ARRAY_LEN(result_names); i++)
		if (strcmp(s, result_names[i]) == 0)
			return true;
	return false;
}

/* ---- validation ------------------------------------------------------------------- */

/* The string @v, when it is one of 1 (0 when !@required) to @max bytes without NUL. */
static bool
text_ok(const json_t *v, size_t max, bool required, const char **out)
{
	size_t n;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return !required;
	if (!json_is_string(v))
		return false;
	n = json_string_length(v);
	if (n > max || (required && n == 0) || strlen(json_string_value(v)) != n)
		return false;
	*out = json_string_value(v);
	return true;
}

static int
item_of(const json_t *o, size_t i, struct item *it, struct vg_err *err)
{
	static const char *const idkeys[] = {"policy", "id"};
	static const char *const textkeys[] = {"reason", "evidence"};
	const char **ids[] = {&it->policy, &it->id}, **texts[] = {&it->reason, &it->evidence};
	const json_t *r;

	*it = (struct item){.index = i};
	if (!json_is_object(o))
		return vg_error(err, VG_EINVAL, "'configuration[%zu]' is not an object", i);
	for (size_t k = 0; k < 2; k++)
		if (!text_ok(json_object_get(o, idkeys[k]), VG_CONFIG_ID_MAX, true, ids[k]))
			return vg_error(err, VG_EINVAL,
					"'configuration[%zu].%s' must be a string of 1 to %d bytes",
					i, idkeys[k], VG_CONFIG_ID_MAX);
	r = json_object_get(o, "result");
	if (!json_is_string(r))
		return vg_error(err, VG_EINVAL,
				"'configuration[%zu].result' is missing or not a string", i);
	it->result = json_string_value(r);
	if (!vg_config_result_valid(it->result))
		return vg_error(err, VG_EINVAL,
				"'configuration[%zu].result' is '%.64s', not passed, failed, "
				"notApplicable or error",
				i, it->result);
	for (size_t k = 0; k < 2; k++)
		if (!text_ok(json_object_get(o, textkeys[k]), VG_CONFIG_TEXT_MAX, false, texts[k]))
			return vg_error(err, VG_EINVAL,
					"'configuration[%zu].%s' must be a string of at most %d "
					"bytes",
					i, textkeys[k], VG_CONFIG_TEXT_MAX);
	return VG_OK;
}

/*
 * The items of the valid-or-not section @items, sorted by (policy, id), in
 * *@out (malloc'd; free it).  VG_EINVAL naming the field for an invalid one
 * or a repeated (policy, id).
 */
static int
items_of(const json_t *items, struct item **out, size_t *n, struct vg_err *err)
{
	size_t len = json_array_size(items), i;
	struct item *v;
	const json_t *o;
	int rc = VG_OK;

	*out = NULL;
	*n = 0;
	if (!json_is_array(items))
		return vg_error(err, VG_EINVAL, "'configuration' must be an array");
	v = vg_xcalloc(len ? len : 1, sizeof(*v));
	json_array_foreach(items, i, o)
	{
		rc = item_of(o, i, &v[i], err);
		if (rc != VG_OK)
			break;
	}
	if (rc == VG_OK && len > 1)
		qsort(v, len, sizeof(*v), cmp_item);
	for (i = 1; rc == VG_OK && i < len; i++)
		if (cmp_item(&v[i - 1], &v[i]) == 0)
			rc = vg_error(err, VG_EINVAL,
				      "'configuration[%zu]' repeats policy '%.64s' check '%.64s' "
				      "of 'configuration[%zu]'",
				      v[i].index > v[i - 1].index ? v[i].index : v[i - 1].index,
				      v[i].policy, v[i].id,
				      v[i].index > v[i - 1].index ? v[i - 1].index : v[i].index);
	if (rc != VG_OK) {
		free(v);
		return rc;
	}
	*out = v;
	*n = len;
	return VG_OK;
}

int
vg_config_section_validate(const json_t *items, struct vg_err *err)
{
	struct item *v;
	size_t n;
	int rc = items_of(items, &v, &n, err);

	free(v);
	return rc;
}

/* ---- applying a section ----------------------------------------------------------- */

/* The stored results of @device_id, sorted as items_of() sorts, into @arena. */
static int
stored_results(struct vg_kb *kb, const char *device_id, struct vg_arena *arena, struct item **out,
	       size_t *n, struct vg_err *err)
{
	static const char sql[] =
		"SELECT dc.policy, dc.check_id, dc.result, dc.reason, dc.evidence,"
		" coalesce(cc.impact, 0) FROM device_config dc LEFT JOIN config_check cc"
		" ON cc.policy = dc.policy AND cc.check_id = dc.check_id"
		" WHERE dc.device_id = ?1 ORDER BY dc.policy, dc.check_id";
	struct item *v = NULL;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc = cached(kb, sql, &st, err), brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	while ((rc = brc == SQLITE_OK ? sqlite3_step(st) : brc) == SQLITE_ROW) {
		v = vg_arena_grow(arena, v, len, &cap, sizeof(*v), 64);
		v[len++] = (struct item){
			.policy = vg_sql_col_dup(st, 0, arena),
			.id = vg_sql_col_dup(st, 1, arena),
			.result = vg_sql_col_dup(st, 2, arena),
			.reason = vg_sql_col_dup(st, 3, arena),
			.evidence = vg_sql_col_dup(st, 4, arena),
			.impact = sqlite3_column_int(st, 5),
		};
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading the device's configuration");
	*out = v;
	*n = len;
	return VG_OK;
}

/* Bind (device, policy, check) as ?1, ?2, ?3. */
static void
bind_key(sqlite3_stmt *st, const char *device_id, const struct item *it, int *brc)
{
	vg_sql_bind_text(st, 1, device_id, brc);
	vg_sql_bind_text(st, 2, it->policy, brc);
	vg_sql_bind_text(st, 3, it->id, brc);
}

static int
add_history(struct vg_kb *kb, const char *device_id, const struct item *it, const char *previous,
	    int64_t now, struct vg_err *err)
{
	static const char sql[] = "INSERT INTO device_config_history"
				  " (device_id, policy, check_id, result, previous, time)"
				  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st;
	int rc = cached(kb, sql, &st, err), brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	bind_key(st, device_id, it, &brc);
	vg_sql_bind_text(st, 4, it->result, &brc);
	vg_sql_bind_text(st, 5, previous, &brc);
	vg_sql_bind_int(st, 6, now, &brc);
	return exec_done(kb, st, brc, "recording a configuration change", err);
}

static int
add_event(struct vg_kb *kb, const char *device_id, const struct item *it, int64_t now,
	  struct vg_err *err)
{
	static const char sql[] = "INSERT INTO event (time, kind, device_id, detail)"
				  " VALUES (?1, ?2, ?3, ?4)";
	bool failed = strcmp(it->result, "failed") == 0;
	size_t len = strlen(it->policy) + strlen(it->id) + 2;
	char *detail = vg_xmalloc(len);
	sqlite3_stmt *st;
	int rc = cached(kb, sql, &st, err), brc = SQLITE_OK;

	snprintf(detail, len, "%s:%s", it->policy, it->id);
	if (rc == VG_OK) {
		vg_sql_bind_int(st, 1, now, &brc);
		vg_sql_bind_text(st, 2, failed ? VG_EVENT_CONFIG_FAILED : VG_EVENT_CONFIG_PASSED,
				 &brc);
		vg_sql_bind_text(st, 3, device_id, &brc);
		vg_sql_bind_text(st, 4, detail, &brc);
		rc = exec_done(kb, st, brc, "recording an event", err);
	}
	free(detail);
	return rc;
}

static int
insert_result(struct vg_kb *kb, const char *device_id, const struct item *it, int64_t now,
	      struct vg_err *err)
{
	static const char sql[] =
		"INSERT INTO device_config (device_id, policy, check_id, result, reason, evidence,"
		" first_seen, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
	sqlite3_stmt *st;
	int rc = cached(kb, sql, &st, err), brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	bind_key(st, device_id, it, &brc);
	vg_sql_bind_text(st, 4, it->result, &brc);
	vg_sql_bind_text(st, 5, it->reason, &brc);
	vg_sql_bind_text(st, 6, it->evidence, &brc);
	vg_sql_bind_int(st, 7, now, &brc);
	rc = exec_done(kb, st, brc, "storing a configuration result", err);
	return rc == VG_OK ? add_history(kb, device_id, it, NULL, now, err) : rc;
}

static int
delete_result(struct vg_kb *kb, const char *device_id, const struct item *old, struct vg_err *err)
{
	static const char sql[] =
		"DELETE FROM device_config WHERE device_id = ?1 AND policy = ?2 AND check_id = ?3";
	sqlite3_stmt *st;
	int rc = cached(kb, sql, &st, err), brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	bind_key(st, device_id, old, &brc);
	return exec_done(kb, st, brc, "dropping a configuration result", err);
}

/* Whether going from @old to @now is passed <-> failed. */
static bool
flips(const char *old, const char *now)
{
	return (strcmp(old, "passed") == 0 && strcmp(now, "failed") == 0) ||
	       (strcmp(old, "failed") == 0 && strcmp(now, "passed") == 0);
}

/* @it replaces the stored @old of the same check. */
static int
update_result(struct vg_kb *kb, const char *device_id, const struct item *old,
	      const struct item *it, int64_t now, struct vg_config_change *ch, struct vg_err *err)
{
	static const char set_result[] =
		"UPDATE device_config SET result = ?4, reason = ?5, evidence = ?6, changed_at = ?7"
		" WHERE device_id = ?1 AND policy = ?2 AND check_id = ?3";
	static const char set_text[] = "UPDATE device_config SET reason = ?4, evidence = ?5"
				       " WHERE device_id = ?1 AND policy = ?2 AND check_id = ?3";
	bool changed = strcmp(old->result, it->result) != 0;
	sqlite3_stmt *st;
	int rc, brc = SQLITE_OK;

	if (!changed && same_text(old->reason, it->reason) &&
	    same_text(old->evidence, it->evidence))
		return VG_OK;
	rc = cached(kb, changed ? set_result : set_text, &st, err);
	if (rc != VG_OK)
		return rc;
	bind_key(st, device_id, it, &brc);
	if (changed)
		vg_sql_bind_text(st, 4, it->result, &brc);
	vg_sql_bind_text(st, changed ? 5 : 4, it->reason, &brc);
	vg_sql_bind_text(st, changed ? 6 : 5, it->evidence, &brc);
	if (changed)
		vg_sql_bind_int(st, 7, now, &brc);
	rc = exec_done(kb, st, brc, "updating a configuration result", err);
	if (rc != VG_OK || !changed)
		return rc;
	ch->changed++;
	rc = add_history(kb, device_id, it, old->result, now, err);
	if (rc == VG_OK && old->impact > 0 && flips(old->result, it->result)) {
		rc = add_event(kb, device_id, it, now, err);
		ch->events++;
	}
	return rc;
}

/* The device's own score from its stored results and the catalog (NULL without a section). */
static int
device_points(struct vg_kb *kb, const char *device_id, bool has_section, struct vg_err *err)
{
	static const char set[] =
		"UPDATE device SET"
		" config_points = coalesce((SELECT sum(" COMPLIANT_SQL(
			"dc.result") " * cc.impact)"
				     " FROM device_config dc JOIN config_check cc"
				     " ON cc.policy = dc.policy AND cc.check_id = dc.check_id"
				     " WHERE dc.device_id = ?1 AND cc.impact > 0), 0),"
				     " config_max = coalesce((SELECT sum(" APPLICABLE_SQL(
					     "dc.result") " * cc.impact)"
							  " FROM device_config dc JOIN config_check cc"
							  " ON cc.policy = dc.policy AND cc.check_id = dc.check_id"
							  " WHERE dc.device_id = ?1 AND cc.impact > 0), 0)"
							  " WHERE id = ?1";
	static const char clear[] =
		"UPDATE device SET config_points = NULL, config_max = NULL WHERE id = ?1";
	sqlite3_stmt *st;
	int rc = cached(kb, has_section ? set : clear, &st, err), brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	return exec_done(kb, st, brc, "scoring the device's configuration", err);
}

static int
clear_results(struct vg_kb *kb, const char *device_id, struct vg_config_change *ch,
	      struct vg_err *err)
{
	static const char sql[] = "DELETE FROM device_config WHERE device_id = ?1";
	sqlite3_stmt *st;
	int rc = cached(kb, sql, &st, err), brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	vg_sql_bind_text(st, 1, device_id, &brc);
	rc = exec_done(kb, st, brc, "dropping the device's configuration", err);
	if (rc == VG_OK)
		ch->removed = (size_t)sqlite3_changes(kb->db);
	return rc == VG_OK ? device_points(kb, device_id, false, err) : rc;
}

/* Merge the sorted @items into the sorted stored @old. */
static int
merge(struct vg_kb *kb, const char *device_id, const struct item *old, size_t nold,
      const struct item *items, size_t n, int64_t now, struct vg_config_change *ch,
      struct vg_err *err)
{
	size_t i = 0, j = 0;
	int rc = VG_OK;

	while (rc == VG_OK && (i < nold || j < n)) {
		int c = i == nold ? 1 : j == n ? -1 : cmp_item(&old[i], &items[j]);

		if (c < 0) {
			rc = delete_result(kb, device_id, &old[i++], err);
			ch->removed++;
		} else if (c > 0) {
			rc = insert_result(kb, device_id, &items[j++], now, err);
			ch->added++;
		} else
			rc = update_result(kb, device_id, &old[i++], &items[j++], now, ch, err);
	}
	return rc;
}

int
vg_config_apply(struct vg_kb *kb, const char *device_id, const json_t *items, int64_t now,
		struct vg_config_change *ch, struct vg_err *err)
{
	struct vg_config_change local = {0};
	struct item *v = NULL, *old = NULL;
	size_t n = 0, nold = 0;
	struct vg_arena arena;
	int rc;

	if (ch == NULL)
		ch = &local;
	*ch = (struct vg_config_change){0};
	if (kb->flags & VG_KB_READONLY)
		return vg_error(err, VG_EPERM, "knowledge base '%s' is open read-only", kb->path);
	if (items == NULL)
		return clear_results(kb, device_id, ch, err);
	rc = items_of(items, &v, &n, err);
	if (rc != VG_OK)
		return rc;
	vg_arena_init(&arena);
	rc = stored_results(kb, device_id, &arena, &old, &nold, err);
	if (rc == VG_OK)
		rc = merge(kb, device_id, old, nold, v, n, now, ch, err);
	if (rc == VG_OK)
		rc = device_points(kb, device_id, true, err);
	vg_arena_release(&arena);
	free(v);
	return rc;
}

/* ---- the catalog ------------------------------------------------------------------ */

/* A catalog row: its key and impact. */
struct check_key {
	const char *policy, *id;
	int impact;
	const struct vg_config_entry *entry; /* the entry, in the sorted view of the input */
};

static int
cmp_key(const void *a, const void *b)
{
	const struct check_key *x = a, *y = b;
	int c = strcmp(x->policy, y->policy);

	return c ? c : strcmp(x->id, y->id);
}

static bool
category_ok(const char *s)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(category_names); i++)
		if (strcmp(s ? s : "", category_names[i]) == 0)
			return true;
	return false;
}

static int
entry_ok(const struct vg_config_entry *e, struct vg_err *err)
{
	if (e->policy == NULL || e->policy[0] == '\0' || e->check_id == NULL ||
	    e->check_id[0] == '\0')
		return vg_error(err, VG_EINVAL, "a catalog check has an empty policy or check id");
	if (e->title == NULL)
		return vg_error(err, VG_EINVAL, "check '%s' of policy '%s' has no title",
				e->check_id, e->policy);
	if (!category_ok(e->category))
		return vg_error(err, VG_EINVAL,
				"check '%s' of policy '%s' has the unknown category '%s'",
				e->check_id, e->policy, e->category);
	if (e->impact < 0 || e->impact > 10)
		return vg_error(err, VG_EINVAL,
				"check '%s' of policy '%s' has the impact %d, not 0 to 10",
				e->check_id, e->policy, e->impact);
	return VG_OK;
}

/* The entries as sorted keys (malloc'd), each checked; VG_EINVAL for a bad or repeated one. */
static int
entry_keys(const struct vg_config_entry *entries, size_t n, struct check_key **out,
	   struct vg_err *err)
{
	struct check_key *k = vg_xcalloc(n ? n : 1, sizeof(*k));
	int rc = VG_OK;

	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		rc = entry_ok(&entries[i], err);
		k[i] = (struct check_key){entries[i].policy, entries[i].check_id, entries[i].impact,
					  &entries[i]};
	}
	if (rc == VG_OK && n > 1)
		qsort(k, n, sizeof(*k), cmp_key);
	for (size_t i = 1; rc == VG_OK && i < n; i++)
		if (cmp_key(&k[i - 1], &k[i]) == 0)
			rc = vg_error(err, VG_EINVAL, "check '%s' of policy '%s' is loaded twice",
				      k[i].id, k[i].policy);
	if (rc != VG_OK) {
		free(k);
		return rc;
	}
	*out = k;
	return VG_OK;
}

/* The stored catalog's keys, sorted, into @arena. */
static int
catalog_keys(struct vg_kb *kb, struct vg_arena *arena, struct check_key **out, size_t *n,
	     struct vg_err *err)
{
	struct check_key *v = NULL;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc = prepare_once(
		kb, "SELECT policy, check_id, impact FROM config_check ORDER BY policy, check_id",
		&st, err);

	if (rc != VG_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = vg_arena_grow(arena, v, len, &cap, sizeof(*v), 256);
		v[len++] = (struct check_key){vg_sql_col_dup(st, 0, arena),
					      vg_sql_col_dup(st, 1, arena),
					      sqlite3_column_int(st, 2), NULL};
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading the check catalog");
	*out = v;
	*n = len;
	return VG_OK;
}

/* The references of @e as a JSON array text (malloc'd). */
static char *
refs_json(const struct vg_config_entry *e)
{
	json_t *a = json_array();
	char *text;

	for (size_t i = 0; i < e->nrefs; i++) {
		json_t *s = e->refs[i] ? json_string(e->refs[i]) : NULL;

		if (s) /* not UTF-8: left out rather than refusing the policy */
			json_array_append_new(a, s);
	}
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text ? text : vg_xstrdup("[]");
}

static int
upsert_check(struct vg_kb *kb, sqlite3_stmt *st, const struct vg_config_entry *e, int64_t now,
	     struct vg_err *err)
{
	char *refs = refs_json(e);
	int rc, brc = SQLITE_OK;

	vg_sql_bind_text(st, 1, e->policy, &brc);
	vg_sql_bind_text(st, 2, e->check_id, &brc);
	vg_sql_bind_text(st, 3, e->title, &brc);
	vg_sql_bind_text(st, 4, e->category ? e->category : "", &brc);
	vg_sql_bind_text(st, 5, e->subcategory, &brc);
	vg_sql_bind_int(st, 6, e->impact, &brc);
	vg_sql_bind_text(st, 7, e->description, &brc);
	vg_sql_bind_text(st, 8, e->rationale, &brc);
	vg_sql_bind_text(st, 9, e->remediation, &brc);
	vg_sql_bind_text(st, 10, refs, &brc);
	vg_sql_bind_int(st, 11, now, &brc);
	rc = exec_done(kb, st, brc, "storing a catalog check", err);
	sqlite3_clear_bindings(st);
	free(refs);
	return rc;
}

static int
delete_check(struct vg_kb *kb, sqlite3_stmt *st, const struct check_key *k, struct vg_err *err)
{
	int rc, brc = SQLITE_OK;

	vg_sql_bind_text(st, 1, k->policy, &brc);
	vg_sql_bind_text(st, 2, k->id, &brc);
	rc = exec_done(kb, st, brc, "dropping a catalog check", err);
	sqlite3_clear_bindings(st);
	return rc;
}

/*
 * Upsert every entry of @want and delete every stored key not in it (both
 * sorted); *@rescore is set when the scored set or an impact changed.
 */
static int
sync_rows(struct vg_kb *kb, const struct check_key *want, size_t n, const struct check_key *have,
	  size_t nhave, int64_t now, bool *rescore, struct vg_err *err)
{
	static const char upsert[] =
		"INSERT INTO config_check (policy, check_id, title, category, subcategory, impact,"
		" description, rationale, remediation, refs, loaded_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
		" ON CONFLICT (policy, check_id) DO UPDATE SET title = excluded.title,"
		" category = excluded.category, subcategory = excluded.subcategory,"
		" impact = excluded.impact, description = excluded.description,"
		" rationale = excluded.rationale, remediation = excluded.remediation,"
		" refs = excluded.refs, loaded_at = excluded.loaded_at";
	sqlite3_stmt *up = NULL, *del = NULL;
	size_t i = 0, j = 0;
	int rc = prepare_once(kb, upsert, &up, err);

	if (rc == VG_OK)
		rc = prepare_once(kb,
				  "DELETE FROM config_check WHERE policy = ?1 AND check_id = ?2",
				  &del, err);
	while (rc == VG_OK && (i < n || j < nhave)) {
		int c = i == n ? 1 : j == nhave ? -1 : cmp_key(&want[i], &have[j]);

		if (c > 0) { /* stored, no longer loaded */
			*rescore |= have[j].impact > 0;
			rc = delete_check(kb, del, &have[j++], err);
			continue;
		}
		if (c < 0)
			*rescore |= want[i].impact > 0;
		else
			*rescore |= want[i].impact != have[j++].impact;
		rc = upsert_check(kb, up, want[i++].entry, now, err);
	}
	sqlite3_finalize(up);
	sqlite3_finalize(del);
	return rc;
}

/* Every device with a configuration section gets its config_points / config_max again. */
static int
rescore_devices(struct vg_kb *kb, struct vg_err *err)
{
	static const char sql[] =
		"UPDATE device SET config_points = 0, config_max = 0 WHERE config_max IS NOT NULL;"
		"UPDATE device SET config_points = t.points, config_max = t.max FROM"
		" (SELECT dc.device_id AS id, sum(" COMPLIANT_SQL(
			"dc.result") " * cc.impact) AS points,"
				     " sum(" APPLICABLE_SQL(
					     "dc.result") " * cc.impact) AS max"
							  " FROM device_config dc JOIN config_check cc"
							  " ON cc.policy = dc.policy AND cc.check_id = dc.check_id"
							  " WHERE cc.impact > 0 GROUP BY dc.device_id) AS t"
							  " WHERE device.id = t.id AND device.config_max IS NOT NULL";

	return vg_sql_exec(kb->db, sql, "scoring the devices' configuration", err);
}

static int
sync_in_txn(struct vg_kb *kb, const struct check_key *want, size_t n, int64_t now,
	    struct vg_err *err)
{
	struct vg_arena arena;
	struct check_key *have = NULL;
	size_t nhave = 0;
	bool rescore = false;
	int rc;

	vg_arena_init(&arena);
	rc = catalog_keys(kb, &arena, &have, &nhave, err);
	if (rc == VG_OK)
		rc = sync_rows(kb, want, n, have, nhave, now, &rescore, err);
	if (rc == VG_OK && rescore)
		rc = rescore_devices(kb, err);
	vg_arena_release(&arena);
	return rc;
}

int
vg_config_catalog_sync(struct vg_kb *kb, const struct vg_config_entry *entries, size_t n,
		       int64_t now, struct vg_err *err)
{
	struct check_key *want = NULL;
	bool own = !kb->in_txn;
	int rc = entry_keys(entries, n, &want, err);

	if (rc == VG_OK && own)
		rc = vg_kb_txn_begin(kb, err);
	if (rc != VG_OK) {
		free(want);
		return rc;
	}
	rc = sync_in_txn(kb, want, n, now, err);
	if (rc == VG_OK && own)
		rc = vg_kb_txn_commit(kb, err);
	if (rc != VG_OK && own)
		vg_kb_txn_rollback(kb);
	free(want);
	return rc;
}

/* ---- the organization's counts ---------------------------------------------------- */

/*
 * The per-check counts (docs/internals/config.md "Speed") start from the
 * scored checks of the catalog, either with the tally's counts over every
 * device (migration 0008) from which the results of the devices outside the
 * window are taken out, or at zero with the results of the devices in the
 * window (of the group, when one is asked for: the tally is not kept per
 * group) added.  Whichever walks fewer devices' results; the walk is in C
 * (a binary search per result), which costs half of a GROUP BY's sort.
 */
static const char counts_tally_sql[] =
	"SELECT cc.policy, cc.check_id, cc.title, cc.category, cc.subcategory, cc.impact,"
	" coalesce(t.applicable, 0), coalesce(t.compliant, 0) FROM config_check cc"
	" LEFT JOIN config_tally t ON t.policy = cc.policy AND t.check_id = cc.check_id"
	" WHERE cc.impact > 0 ORDER BY cc.policy, cc.check_id";
static const char counts_zero_sql[] =
	"SELECT policy, check_id, title, category, subcategory, impact, 0, 0 FROM config_check"
	" WHERE impact > 0 ORDER BY policy, check_id";

/* CROSS JOIN: SQLite then walks the devices first (by device_by_last_seen), not every result. */
#define ROWS_SQL(cond)                                                                       \
	"SELECT dc.policy, dc.check_id, dc.result FROM device d CROSS JOIN device_config dc" \
	" WHERE " cond " AND dc.device_id = d.id"
static const char stale_rows_sql[] = ROWS_SQL("d.last_seen < ?1");
static const char active_rows_sql[] = ROWS_SQL("d.last_seen >= ?1");
static const char group_rows_sql[] = ROWS_SQL("d.last_seen >= ?1 AND d.group_name = ?2");

/* The scored checks with the counts of @sql, into @arena (sorted by policy, check id). */
static int
read_checks(struct vg_kb *kb, const char *sql, struct vg_arena *arena,
	    struct vg_config_check_count **out, size_t *n, struct vg_err *err)
{
	struct vg_config_check_count *v = NULL;
	size_t len = 0, cap = 0;
	sqlite3_stmt *st;
	int rc = prepare_once(kb, sql, &st, err);

	if (rc != VG_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = vg_arena_grow(arena, v, len, &cap, sizeof(*v), 256);
		v[len++] = (struct vg_config_check_count){
			.policy = vg_sql_col_dup(st, 0, arena),
			.check_id = vg_sql_col_dup(st, 1, arena),
			.title = vg_sql_col_dup(st, 2, arena),
			.category = vg_sql_col_dup(st, 3, arena),
			.subcategory = vg_sql_col_dup(st, 4, arena),
			.impact = sqlite3_column_int(st, 5),
			.applicable = (long)sqlite3_column_int64(st, 6),
			.compliant = (long)sqlite3_column_int64(st, 7),
		};
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return vg_sql_error(err, kb->db, rc, "reading the check catalog");
	*out = v;
	*n = len;
	return VG_OK;
}

/* Devices seen before @since, and at or after it. */
static int
window_sizes(struct vg_kb *kb, int64_t since, int64_t *stale, int64_t *active, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = prepare_once(kb,
			      "SELECT (SELECT count(*) FROM device WHERE last_seen < ?1),"
			      " (SELECT count(*) FROM device WHERE last_seen >= ?1)",
			      &st, err),
	    brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	vg_sql_bind_int(st, 1, since, &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	*stale = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	*active = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? VG_OK : vg_sql_error(err, kb->db, rc, "counting devices");
}

static int
cmp_count_key(const void *key, const void *elem)
{
	const struct item *k = key;
	const struct vg_config_check_count *c = elem;
	int r = strcmp(k->policy, c->policy);

	return r ? r : strcmp(k->id, c->check_id);
}

/*
 * Add (@sign 1) or take out (-1) the results @sql selects (bound to @since
 * and @group_name) to the counts @v[0..@n); results of checks not in @v
 * (unknown, not scored) and notApplicable ones count nowhere.
 */
static int
walk_results(struct vg_kb *kb, const char *sql, int64_t since, const char *group_name, int sign,
	     struct vg_config_check_count *v, size_t n, struct vg_err *err)
{
	sqlite3_stmt *st;
	int rc = prepare_once(kb, sql, &st, err), brc = SQLITE_OK;

	if (rc != VG_OK)
		return rc;
	vg_sql_bind_int(st, 1, since, &brc);
	if (group_name)
		vg_sql_bind_text(st, 2, group_name, &brc);
	while ((rc = brc == SQLITE_OK ? sqlite3_step(st) : brc) == SQLITE_ROW) {
		struct item key = {.policy = (const char *)sqlite3_column_text(st, 0),
				   .id = (const char *)sqlite3_column_text(st, 1)};
		const char *result = (const char *)sqlite3_column_text(st, 2);
		struct vg_config_check_count *c =
			n ? bsearch(&key, v, n, sizeof(*v), cmp_count_key) : NULL;

		if (c == NULL || result == NULL || strcmp(result, "notApplicable") == 0)
			continue;
		c->applicable += sign;
		c->compliant += strcmp(result, "passed") == 0 ? sign : 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? VG_OK
				 : vg_sql_error(err, kb->db, rc, "counting configuration results");
}

int
vg_config_check_counts(struct vg_kb *kb, int64_t since, const char *group_name,
		       struct vg_arena *arena, struct vg_config_check_count **out, size_t *n,
		       struct vg_err *err)
{
	int64_t stale = 0, active = 0;
	bool from_tally = false;
	size_t k = 0;
	int rc = VG_OK;

	*out = NULL;
	*n = 0;
	if (group_name == NULL)
		rc = window_sizes(kb, since, &stale, &active, err);
	from_tally = group_name == NULL && stale <= active;
	if (rc == VG_OK)
		rc = read_checks(kb, from_tally ? counts_tally_sql : counts_zero_sql, arena, out, n,
				 err);
	if (rc == VG_OK && from_tally && stale > 0)
		rc = walk_results(kb, stale_rows_sql, since, NULL, -1, *out, *n, err);
	else if (rc == VG_OK && !from_tally)
		rc = walk_results(kb, group_name ? group_rows_sql : active_rows_sql, since,
				  group_name, 1, *out, *n, err);
	if (rc != VG_OK) {
		*n = 0;
		return rc;
	}
	for (size_t i = 0; i < *n; i++) /* the checks no device in the window is judged on */
		if ((*out)[i].applicable > 0)
			(*out)[k++] = (*out)[i];
	*n = k;
	return VG_OK;
}

int
vg_config_scored_devices(struct vg_kb *kb, int64_t since, const char *group_name, long *n,
			 struct vg_err *err)
{
	static const char all[] =
		"SELECT count(*) FROM device WHERE last_seen >= ?1 AND config_max > 0";
	static const char group[] = "SELECT count(*) FROM device WHERE last_seen >= ?1"
				    " AND config_max > 0 AND group_name = ?2";
	sqlite3_stmt *st;
	int rc = prepare_once(kb, group_name ? group : all, &st, err), brc = SQLITE_OK;

	*n = 0;
	if (rc != VG_OK)
		return rc;
	vg_sql_bind_int(st, 1, since, &brc);
	if (group_name)
		vg_sql_bind_text(st, 2, group_name, &brc);
	rc = brc == SQLITE_OK ? sqlite3_step(st) : brc;
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? VG_OK : vg_sql_error(err, kb->db, rc, "counting devices");
}
