/*
 * test_config.c - unit tests of the configuration results in the store
 * (src/store/config.c, its part of src/store/fleet.c) and of vigild's
 * catalog loading (src/server/config_catalog.c).
 *
 * The reports are real inventory documents: the agent's collectors run on
 * tests/data/roots/scan-debian11, result items are added to the inventory
 * and vg_inventory_write_json() writes them as vigil-agent does.  The
 * catalog is hand-made (impacts chosen for the sums below) except in
 * catalog_from_policy_files, which loads the real Wazuh CIS Debian 12
 * policy (its 207 checks counted independently with grep), and
 * real_evaluation, which ingests what the evaluator concludes with the
 * shipped policies (content/) on tests/data/roots/config-noncompliant and
 * checks the stored device score against vg_secure_score_device().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "agent/document.h"
#include "agent/inventory.h"
#include "core/compiler.h"
#include "policy/eval.h"
#include "policy/policy.h"
#include "server/config_catalog.h"
#include "store/auth.h"
#include "store/config.h"
#include "store/fleet.h"
#include "store/kb.h"
#include "vgtest.h"

#define T0  INT64_C(1749988800)
#define BIT (1u << VG_FLEET_SEC_CONFIGURATION)

struct fx {
	struct vgt_store s; /* temporary directory and store */
	char dev[VG_FLEET_DEVICE_ID_LEN + 1];
};

/* One result item to put in a report. */
struct res {
	const char *policy, *id, *result, *reason, *evidence;
};

static const char *const refs_2001[] = {"CIS Debian Linux 12 Benchmark v1.1.0 5.1.20",
					"DISA STIG Ubuntu 22.04 V-260530"};

/*
 * The hand-made catalog: two scored checks of impact 8 and 5 and two of 3
 * and 2, one not scored (impact 0).  cis_debian12 checks are not in it.
 */
static const struct vg_config_entry catalog[] = {
	{"vigil-linux", "scid-2001", "Disable SSH root login", "Accounts", "SSH", "d", "r", "m", 8,
	 refs_2001, 2},
	{"vigil-linux", "scid-2002", "Restrict core dumps", "OS", NULL, NULL, "r", "m", 5, NULL, 0},
	{"vigil-linux", "scid-2003", "Informational", "", NULL, NULL, NULL, NULL, 0, NULL, 0},
	{"vigil-linux", "scid-2004", "Disable IP forwarding", "Network", NULL, NULL, "r", "m", 3,
	 NULL, 0},
	{"vigil-linux", "scid-2005", "Audit daemon", "Security controls", NULL, NULL, "r", "m", 2,
	 NULL, 0},
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct vg_err err;

	assert_non_null(fx);
	vgt_store_open(&fx->s, "config");
	vg_auth_set_now_for_tests(T0);
	assert_int_equal(vg_fleet_enroll(fx->s.kb, "m-1", "host1", "debian:11", fx->dev, &err),
			 VG_OK);
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, catalog, VG_ARRAY_LEN(catalog), T0, &err),
			 VG_OK);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	vgt_store_close(&fx->s);
	free(fx);
	return 0;
}

/*
 * The document of scan-debian11 with the result items @r[0..@n) (@with_config
 * false: no configuration section at all, as an older agent writes).
 */
static json_t *
document(const struct res *r, size_t n, bool with_config)
{
	char *root = vgt_test_data_path("roots/scan-debian11");
	struct vg_inventory inv;
	json_t *doc;

	vgt_collect(&inv, root);
	free(root);
	for (size_t i = 0; i < n; i++) {
		struct vg_config_item *c = vg_inv_add_config_item(&inv);

		c->policy = r[i].policy;
		c->id = r[i].id;
		c->result = r[i].result;
		c->reason = r[i].reason;
		c->evidence = r[i].evidence;
	}
	inv.has_config = with_config;
	vg_inventory_sort(&inv);
	doc = vgt_document(&inv);
	vg_inventory_release(&inv);
	return doc;
}

/* @doc without every section but those in @keep (bits of enum vg_fleet_section). */
static json_t *
delta_of(const json_t *doc, unsigned keep)
{
	json_t *d = json_deep_copy(doc);

	for (int s = 0; s < VG_FLEET_SEC_N; s++)
		if (!(keep & (1u << s)))
			json_object_del(d, vg_fleet_section_name((enum vg_fleet_section)s));
	return d;
}

static int
ingest(struct fx *fx, const char *id, enum vg_fleet_kind kind, const json_t *doc,
       struct vg_fleet_result *res, struct vg_err *err)
{
	return vg_fleet_ingest(fx->s.kb, fx->dev, id, kind, doc, NULL, res, err);
}

/* The first column of the first row of @sql (on a connection of its own) as text ("" for NULL). */
static char *
text(struct fx *fx, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *s;

	assert_int_equal(sqlite3_open_v2(fx->s.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	s = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return s;
}

static void
assert_text(struct fx *fx, const char *sql, const char *want)
{
	char *got = text(fx, sql);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", sql, got, want);
	free(got);
}

static int64_t
count(struct fx *fx, const char *sql)
{
	char *s = text(fx, sql);
	int64_t n = strtoll(s, NULL, 10);

	free(s);
	return n;
}

static void
exec_sql(struct fx *fx, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(fx->s.path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* config_tally holds exactly the counts of device_config (migration 0008's triggers). */
static void
assert_tally_consistent(struct fx *fx)
{
	assert_int_equal(
		count(fx,
		      "SELECT count(*) FROM (SELECT policy, check_id,"
		      " sum(CASE WHEN result IN ('passed', 'failed', 'error') THEN 1 ELSE 0 END)"
		      " AS a, sum(CASE WHEN result = 'passed' THEN 1 ELSE 0 END) AS c"
		      " FROM device_config GROUP BY policy, check_id"
		      " EXCEPT SELECT policy, check_id, applicable, compliant FROM config_tally)"),
		0);
	assert_int_equal(count(fx,
			       "SELECT count(*) FROM config_tally t WHERE applicable <>"
			       " (SELECT count(*) FROM device_config d WHERE d.policy = t.policy"
			       " AND d.check_id = t.check_id AND result IN ('passed', 'failed',"
			       " 'error'))"),
			 0);
}

#define DC(col, check) \
	"SELECT " col " FROM device_config WHERE policy = 'vigil-linux' AND check_id = '" check "'"

static const struct res first[] = {
	{"vigil-linux", "scid-2001", "failed", "PermitRootLogin is 'yes', want 'no'",
	 "/etc/ssh/sshd_config:32: PermitRootLogin yes"},
	{"vigil-linux", "scid-2002", "passed", NULL, NULL},
	{"vigil-linux", "scid-2003", "passed", NULL, NULL},
	{"cis_debian12", "33010", "failed", "not found", NULL},
	{"vigil-linux", "scid-2004", "notApplicable", "does not apply: distro alpine", NULL},
};

static const struct res second[] = {
	{"vigil-linux", "scid-2001", "passed", NULL, "/etc/ssh/sshd_config:32: PermitRootLogin no"},
	{"vigil-linux", "scid-2002", "failed", "core is 'unlimited', want '0'", NULL},
	{"vigil-linux", "scid-2003", "failed", NULL, NULL},
	{"cis_debian12", "33010", "passed", NULL, NULL},
	{"vigil-linux", "scid-2005", "error", "cannot read '/etc/audit'", NULL},
};

static void
new_changed_vanished(void **state)
{
	struct fx *fx = *state;
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *d1 = document(first, VG_ARRAY_LEN(first), true), *d2, *d3;
	struct res third[VG_ARRAY_LEN(second)];
	json_t *doc3;

	assert_int_equal(ingest(fx, "r1", VG_FLEET_FULL, d1, &res, &err), VG_OK);
	assert_true(res.applied & BIT);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config"), 5);
	assert_int_equal(count(fx,
			       "SELECT count(*) FROM device_config WHERE first_seen = 1749988800"
			       " AND changed_at = 1749988800"),
			 5);
	assert_text(fx, DC("reason", "scid-2001"), "PermitRootLogin is 'yes', want 'no'");
	assert_text(fx, DC("evidence", "scid-2001"),
		    "/etc/ssh/sshd_config:32: PermitRootLogin yes");
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config WHERE reason IS NULL"), 2);
	/* Every check is new: one history row each, without a previous result; no event. */
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config_history"
				   " WHERE previous IS NULL AND time = 1749988800"),
			 5);
	assert_int_equal(count(fx, "SELECT count(*) FROM event"), 0);
	/* Scored and applicable: 2001 (8, failed) and 2002 (5, passed); 2004 is NA, 2003 has
	 * impact 0, 33010 is not in the catalog. */
	assert_text(fx, "SELECT config_points || '/' || config_max FROM device", "5.0/13.0");
	assert_int_equal(count(fx, "SELECT count(*) FROM device_section WHERE name ="
				   " 'configuration' AND count = 5"),
			 1);
	assert_tally_consistent(fx);

	/* 100 s later: two scored flips, an unscored and an unknown change, one check gone,
	 * one new. */
	vg_auth_set_now_for_tests(T0 + 100);
	d2 = document(second, VG_ARRAY_LEN(second), true);
	assert_int_equal(ingest(fx, "r2", VG_FLEET_FULL, d2, &res, &err), VG_OK);
	assert_int_equal(res.applied, BIT);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config"), 5);
	assert_int_equal(
		count(fx, "SELECT count(*) FROM device_config WHERE check_id = 'scid-2004'"), 0);
	assert_text(fx, DC("first_seen || ' ' || changed_at || ' ' || result", "scid-2001"),
		    "1749988800 1749988900 passed");
	assert_text(fx, DC("coalesce(reason, 'NULL') || ' ' || evidence", "scid-2001"),
		    "NULL /etc/ssh/sshd_config:32: PermitRootLogin no");
	assert_text(fx, DC("first_seen || ' ' || changed_at", "scid-2005"),
		    "1749988900 1749988900");
	assert_text(
		fx,
		"SELECT group_concat(check_id || ':' || coalesce(previous, '-') || '>' || result,"
		" ' ') FROM (SELECT * FROM device_config_history WHERE time = 1749988900"
		" ORDER BY policy, check_id)",
		"33010:failed>passed scid-2001:failed>passed scid-2002:passed>failed "
		"scid-2003:passed>failed scid-2005:->error");
	/* Events only for the scored checks going between passed and failed. */
	assert_text(fx,
		    "SELECT group_concat(kind || ' ' || detail || ' ' || time || ' ' ||"
		    " (device_id = (SELECT id FROM device)), ', ') FROM (SELECT * FROM event"
		    " ORDER BY detail)",
		    "configurationPassed vigil-linux:scid-2001 1749988900 1, "
		    "configurationFailed vigil-linux:scid-2002 1749988900 1");
	/* 2001 passed (8), 2002 failed (5), 2005 error (2). */
	assert_text(fx, "SELECT config_points || '/' || config_max FROM device", "8.0/15.0");
	assert_tally_consistent(fx);

	/* Only a reason changes: stored silently (no history, changed_at kept). */
	memcpy(third, second, sizeof(third));
	third[1].reason = "core is '1', want '0'";
	vg_auth_set_now_for_tests(T0 + 200);
	doc3 = document(third, VG_ARRAY_LEN(third), true);
	d3 = delta_of(doc3, BIT);
	assert_int_equal(ingest(fx, "r3", VG_FLEET_DELTA, d3, &res, &err), VG_OK);
	assert_int_equal(res.applied, BIT);
	assert_text(fx, DC("reason || ' ' || changed_at", "scid-2002"),
		    "core is '1', want '0' 1749988900");
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config_history"), 10);
	assert_int_equal(count(fx, "SELECT count(*) FROM event"), 2);

	/* The same section again: not applied at all. */
	assert_int_equal(ingest(fx, "r4", VG_FLEET_DELTA, d3, &res, &err), VG_OK);
	assert_int_equal(res.applied, 0);
	json_decref(doc3);
	json_decref(d1);
	json_decref(d2);
	json_decref(d3);
}

static void
delta_and_full_without_section(void **state)
{
	struct fx *fx = *state;
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *d1 = document(first, VG_ARRAY_LEN(first), true);
	json_t *bare = document(NULL, 0, false), *delta;

	assert_null(json_object_get(bare, "configuration"));
	assert_null(json_object_get(json_object_get(bare, "sections"), "configuration"));
	assert_int_equal(ingest(fx, "r1", VG_FLEET_FULL, d1, &res, &err), VG_OK);

	/* A delta of the packages alone, its sections map listing the stored configuration. */
	delta = delta_of(d1, 1u << VG_FLEET_SEC_PACKAGES);
	assert_int_equal(ingest(fx, "r2", VG_FLEET_DELTA, delta, &res, &err), VG_OK);
	assert_int_equal(res.applied, 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config"), 5);
	json_decref(delta);

	/* A delta whose map has no configuration while the device has one: a full report is
	 * required (the agent lost its policies). */
	delta = delta_of(bare, 1u << VG_FLEET_SEC_PACKAGES);
	assert_int_equal(ingest(fx, "r3", VG_FLEET_DELTA, delta, &res, &err), VG_EEXIST);
	assert_string_equal(err.msg, "the stored 'configuration' section differs from the "
				     "report's: a full report is required");
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config"), 5);

	/* The full report without the section: the results go, their history stays. */
	vg_auth_set_now_for_tests(T0 + 50);
	assert_int_equal(ingest(fx, "r4", VG_FLEET_FULL, bare, &res, &err), VG_OK);
	assert_int_equal(res.applied, BIT);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config"), 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_section WHERE name ="
				   " 'configuration'"),
			 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config_history"), 5);
	assert_int_equal(count(fx, "SELECT count(*) FROM device WHERE config_points IS NULL"
				   " AND config_max IS NULL"),
			 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM event"), 0);
	assert_tally_consistent(fx);
	/* Now the same delta is consistent. */
	assert_int_equal(ingest(fx, "r3", VG_FLEET_DELTA, delta, &res, &err), VG_OK);
	/* And a device that never had the section takes older agents' reports as before. */
	assert_int_equal(ingest(fx, "r5", VG_FLEET_FULL, bare, &res, &err), VG_OK);
	assert_int_equal(res.applied, 0);
	json_decref(delta);
	json_decref(bare);
	json_decref(d1);
}

/* One invalid variation of a good report and the message it must give. */
struct bad {
	const char *path; /* "N.key" of configuration[N], "count", "array", "nosections" */
	const char *json; /* the new value (JSON), NULL: delete the key */
	const char *msg;
};

static const struct bad bads[] = {
	{"1.result", "\"maybe\"",
	 "'configuration[1].result' is 'maybe', not passed, failed, notApplicable or error"},
	{"1.result", NULL, "'configuration[1].result' is missing or not a string"},
	{"0.result", "3", "'configuration[0].result' is missing or not a string"},
	{"2.policy", "\"\"", "'configuration[2].policy' must be a string of 1 to 128 bytes"},
	{"2.policy", NULL, "'configuration[2].policy' must be a string of 1 to 128 bytes"},
	{"4.id",
	 "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
	 "'configuration[4].id' must be a string of 1 to 128 bytes"},
	{"4.id", "7", "'configuration[4].id' must be a string of 1 to 128 bytes"},
	{"3.reason", "[]", "'configuration[3].reason' must be a string of at most 512 bytes"},
	{"3.evidence", "\"a\\u0000b\"",
	 "'configuration[3].evidence' must be a string of at most 512 bytes"},
	{"3", "\"x\"", "'configuration[3]' is not an object"},
	{"4.id", "\"scid-2001\"",
	 "'configuration[4]' repeats policy 'vigil-linux' check 'scid-2001' of "
	 "'configuration[1]'"},
	{"count", "4", "'sections.configuration.count' is 4, the section has 5 items"},
	{"array", "{}", "'configuration' must be an array"},
	{"nosections", NULL, "'sections.configuration' is missing or not an object"},
};

/* @doc with the variation @b applied. */
static json_t *
spoil(const json_t *doc, const struct bad *b)
{
	json_t *d = json_deep_copy(doc), *items = json_object_get(d, "configuration");
	json_t *v = b->json ? json_loads(b->json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL) : NULL;
	json_t *sections = json_object_get(d, "sections");
	char *end;
	size_t i = strtoul(b->path, &end, 10);

	if (b->json)
		assert_non_null(v);
	if (strcmp(b->path, "count") == 0)
		json_object_set_new(json_object_get(sections, "configuration"), "count", v);
	else if (strcmp(b->path, "array") == 0)
		json_object_set_new(d, "configuration", v);
	else if (strcmp(b->path, "nosections") == 0)
		json_object_del(sections, "configuration");
	else if (*end == '\0')
		json_array_set_new(items, i, v);
	else if (v)
		json_object_set_new(json_array_get(items, i), end + 1, v);
	else
		json_object_del(json_array_get(items, i), end + 1);
	return d;
}

static void
invalid_sections(void **state)
{
	struct fx *fx = *state;
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *d1 = document(first, VG_ARRAY_LEN(first), true);
	json_t *d2 = document(second, VG_ARRAY_LEN(second), true);

	/* The item order in the document (sorted by the writer): index 1 is scid-2001. */
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(d2, "configuration"), 1), "id")),
			    "scid-2001");
	assert_int_equal(ingest(fx, "r1", VG_FLEET_FULL, d1, &res, &err), VG_OK);
	for (size_t i = 0; i < VG_ARRAY_LEN(bads); i++) {
		json_t *d = spoil(d2, &bads[i]);

		/* Also drop a package: the refused report must not store that either. */
		json_array_remove(json_object_get(d, "packages"), 0);
		json_integer_set(
			json_object_get(json_object_get(json_object_get(d, "sections"), "packages"),
					"count"),
			16);
		vg_err_clear(&err);
		assert_int_equal(ingest(fx, "bad", VG_FLEET_FULL, d, &res, &err), VG_EINVAL);
		if (strcmp(err.msg, bads[i].msg) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err.msg, bads[i].msg);
		json_decref(d);
	}
	/* Nothing of them was stored. */
	assert_int_equal(count(fx, "SELECT count FROM device_section WHERE name = 'packages'"), 17);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_report"), 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config_history"), 5);
	assert_text(fx, DC("result", "scid-2001"), "failed");
	/* A long reason at the cap is accepted; the server does not need the items sorted. */
	{
		char reason[VG_CONFIG_TEXT_MAX + 1];
		json_t *d = json_deep_copy(d2), *items = json_object_get(d, "configuration");

		memset(reason, 'r', VG_CONFIG_TEXT_MAX);
		reason[VG_CONFIG_TEXT_MAX] = '\0';
		json_object_set_new(json_array_get(items, 0), "reason", json_string(reason));
		json_array_append(items, json_array_get(items, 0));
		json_array_remove(items, 0);
		assert_int_equal(ingest(fx, "r2", VG_FLEET_FULL, d, &res, &err), VG_OK);
		assert_int_equal(count(fx, "SELECT length(reason) FROM device_config"
					   " WHERE check_id = '33010'"),
				 VG_CONFIG_TEXT_MAX);
		json_decref(d);
	}
	json_decref(d1);
	json_decref(d2);
}

static int
failing_hook(void *ctx, struct vg_kb *kb, const char *device_id, unsigned applied,
	     struct vg_err *err)
{
	(void)ctx;
	(void)kb;
	(void)device_id;
	assert_true(applied & BIT);
	return vg_error(err, VG_EIO, "assessment failed");
}

/* An error after the results are written (the assessment hook) leaves the previous state. */
static void
rollback_after_apply(void **state)
{
	struct fx *fx = *state;
	struct vg_fleet_hook hook = {failing_hook, NULL};
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *d1 = document(first, VG_ARRAY_LEN(first), true);
	json_t *d2 = document(second, VG_ARRAY_LEN(second), true);

	assert_int_equal(ingest(fx, "r1", VG_FLEET_FULL, d1, &res, &err), VG_OK);
	assert_int_equal(
		vg_fleet_ingest(fx->s.kb, fx->dev, "r2", VG_FLEET_FULL, d2, &hook, &res, &err),
		VG_EIO);
	assert_text(fx,
		    "SELECT group_concat(check_id || '=' || result, ' ') FROM (SELECT * FROM"
		    " device_config ORDER BY policy, check_id)",
		    "33010=failed scid-2001=failed scid-2002=passed scid-2003=passed "
		    "scid-2004=notApplicable");
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config_history"), 5);
	assert_int_equal(count(fx, "SELECT count(*) FROM event"), 0);
	assert_text(fx, "SELECT config_points || '/' || config_max FROM device", "5.0/13.0");
	assert_int_equal(count(fx, "SELECT count(*) FROM device_section WHERE name ="
				   " 'configuration' AND count = 5"),
			 1);
	assert_tally_consistent(fx);
	json_decref(d1);
	json_decref(d2);
}

static void
catalog_sync(void **state)
{
	struct fx *fx = *state;
	struct vg_fleet_result res;
	struct vg_err err;
	struct vg_config_entry cat[VG_ARRAY_LEN(catalog) + 1];
	json_t *d1 = document(first, VG_ARRAY_LEN(first), true);

	assert_int_equal(count(fx, "SELECT count(*) FROM config_check"), 5);
	assert_text(fx,
		    "SELECT title || '|' || category || '|' || subcategory || '|' || impact || '|'"
		    " || refs || '|' || loaded_at FROM config_check WHERE check_id = 'scid-2001'",
		    "Disable SSH root login|Accounts|SSH|8|[\"CIS Debian Linux 12 Benchmark v1.1.0 "
		    "5.1.20\",\"DISA STIG Ubuntu 22.04 V-260530\"]|1749988800");
	assert_int_equal(ingest(fx, "r1", VG_FLEET_FULL, d1, &res, &err), VG_OK);
	assert_text(fx, "SELECT config_points || '/' || config_max FROM device", "5.0/13.0");

	/* 2001's impact drops to 4, 2002 leaves the catalog, 33010 enters it with 6. */
	memcpy(cat, catalog, sizeof(catalog));
	cat[0].impact = 4;
	cat[1] = (struct vg_config_entry){"cis_debian12", "33010", "Ensure cramfs is disabled",
					  "OS",           NULL,    NULL,
					  NULL,           NULL,    6,
					  NULL,           0};
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, cat, VG_ARRAY_LEN(catalog), T0 + 9, &err),
			 VG_OK);
	assert_int_equal(count(fx, "SELECT count(*) FROM config_check"), 5);
	assert_int_equal(
		count(fx, "SELECT count(*) FROM config_check WHERE check_id = 'scid-2002'"), 0);
	assert_int_equal(
		count(fx, "SELECT count(*) FROM config_check WHERE loaded_at = 1749988809"), 5);
	/* 2001 failed (4), 33010 failed (6): 0 of 10.  The results themselves stay. */
	assert_text(fx, "SELECT config_points || '/' || config_max FROM device", "0.0/10.0");
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config"), 5);

	/* A refused catalog changes nothing. */
	cat[5] = cat[0];
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, cat, 6, T0 + 10, &err), VG_EINVAL);
	assert_string_equal(err.msg, "check 'scid-2001' of policy 'vigil-linux' is loaded twice");
	cat[5].check_id = "scid-9";
	cat[5].category = "Physical";
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, cat, 6, T0 + 10, &err), VG_EINVAL);
	assert_string_equal(err.msg,
			    "check 'scid-9' of policy 'vigil-linux' has the unknown category "
			    "'Physical'");
	cat[5].category = "OS";
	cat[5].impact = 11;
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, cat, 6, T0 + 10, &err), VG_EINVAL);
	assert_int_equal(
		count(fx, "SELECT count(*) FROM config_check WHERE loaded_at = 1749988809"), 5);
	assert_text(fx, "SELECT config_points || '/' || config_max FROM device", "0.0/10.0");

	/* Inside the caller's transaction, rolled back with it. */
	assert_int_equal(vg_kb_txn_begin(fx->s.kb, &err), VG_OK);
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, catalog, 0, T0 + 11, &err), VG_OK);
	vg_kb_txn_rollback(fx->s.kb);
	assert_int_equal(count(fx, "SELECT count(*) FROM config_check"), 5);

	/* An empty catalog: nothing is scored, the device keeps a 0/0 score. */
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, NULL, 0, T0 + 12, &err), VG_OK);
	assert_int_equal(count(fx, "SELECT count(*) FROM config_check"), 0);
	assert_text(fx, "SELECT config_points || '/' || config_max FROM device", "0.0/0.0");
	json_decref(d1);
}

static void
device_deletion_keeps_tally(void **state)
{
	struct fx *fx = *state;
	struct vg_fleet_result res;
	struct vg_err err;
	char other[VG_FLEET_DEVICE_ID_LEN + 1];
	json_t *d1 = document(first, VG_ARRAY_LEN(first), true);
	json_t *d2 = document(second, VG_ARRAY_LEN(second), true);

	assert_int_equal(ingest(fx, "r1", VG_FLEET_FULL, d1, &res, &err), VG_OK);
	assert_int_equal(vg_fleet_enroll(fx->s.kb, "m-2", NULL, NULL, other, &err), VG_OK);
	assert_int_equal(
		vg_fleet_ingest(fx->s.kb, other, "r1", VG_FLEET_FULL, d2, NULL, &res, &err), VG_OK);
	assert_text(fx,
		    "SELECT applicable || '/' || compliant FROM config_tally"
		    " WHERE check_id = 'scid-2001'",
		    "2/1");
	assert_tally_consistent(fx);
	exec_sql(fx, "PRAGMA foreign_keys = ON; DELETE FROM device WHERE machine_id = 'm-1'");
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config"), 5);
	assert_text(fx,
		    "SELECT applicable || '/' || compliant FROM config_tally"
		    " WHERE check_id = 'scid-2001'",
		    "1/1");
	assert_tally_consistent(fx);
	json_decref(d1);
	json_decref(d2);
}

/* Write @text to @name in the fixture's directory; the path is returned (caller frees). */
static char *
write_file(struct fx *fx, const char *name, const char *body)
{
	char *path = malloc(256);
	FILE *f;

	assert_non_null(path);
	snprintf(path, 256, "%s/%s", fx->s.dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
	return path;
}

static void
catalog_from_policy_files(void **state)
{
	struct fx *fx = *state;
	char *cis = vgt_shared_path("sca/wazuh/cis_debian12.yml");
	char *bad = write_file(fx, "bad.yml",
			       "policy:\n  format: vigil\n  id: broken\n  name: x\nchecks:\n"
			       "  - id: scid-1\n    title: t\n    impact: 99\n");
	struct vg_config_catalog_stats st;
	struct vg_err err;
	const char *paths[2] = {cis, bad};

	assert_int_equal(vg_config_catalog_load(fx->s.kb, paths, 1, T0, &st, &err), VG_OK);
	/* grep -c '^  - id: ' cis_debian12.yml */
	assert_int_equal(st.policies, 1);
	assert_int_equal(st.checks, 207);
	assert_int_equal(st.scored, 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM config_check"), 207);
	assert_int_equal(count(fx, "SELECT count(*) FROM config_check WHERE policy = 'cis_debian12'"
				   " AND impact = 0 AND category = ''"),
			 207);
	/* The first check of the file, as written there: its name and three references. */
	assert_text(
		fx,
		"SELECT title || ' ' || json_array_length(refs) || ' ' || json_extract(refs,"
		" '$[2]') FROM config_check WHERE policy = 'cis_debian12' AND check_id = '33010'",
		"Ensure /tmp is a separate partition. 3 "
		"https://www.kernel.org/doc/Documentation/filesystems/tmpfs.txt");

	/* A policy that does not load: the loader's message, the catalog unchanged. */
	vg_err_clear(&err);
	assert_int_not_equal(vg_config_catalog_load(fx->s.kb, paths, 2, T0 + 1, &st, &err), VG_OK);
	assert_non_null(strstr(err.msg, "bad.yml:"));
	assert_int_equal(count(fx, "SELECT count(*) FROM config_check"), 207);
	free(cis);
	free(bad);
}

/*
 * The shipped policies evaluated on the weakened fixture root, as the agent
 * does, then ingested: every result is stored as evaluated, and the device's
 * stored score is vg_secure_score_device() of the same results.
 */
static void
real_evaluation(void **state)
{
	struct fx *fx = *state;
	char *root = vgt_test_data_path("roots/config-noncompliant");
	struct vg_policy_set set = {0};
	struct vg_secure_score score;
	struct vg_check_result *all = NULL;
	struct vg_fleet_result res;
	struct vg_evaluator ev;
	struct vg_inventory inv;
	struct vg_err err;
	size_t n = 0, failed = 0;
	char sql[160];
	json_t *doc;

	assert_int_equal(vg_config_catalog_load(fx->s.kb, NULL, 0, T0, NULL, &err), VG_OK);
	assert_int_equal(vg_policy_set_add(&set, VG_CONTENT_DIR, &err), VG_OK);
	vgt_collect(&inv, root);
	vg_eval_init(&ev, root, &inv, NULL);
	for (size_t p = 0; p < set.n; p++) {
		struct vg_check_result *r;
		size_t nr;

		assert_int_equal(vg_eval_policy(&ev, &set.policies[p], &r, &nr), VG_OK);
		all = realloc(all, (n + nr) * sizeof(*all));
		assert_non_null(all);
		memcpy(all + n, r, nr * sizeof(*r));
		n += nr;
	}
	for (size_t i = 0; i < n; i++) {
		struct vg_config_item *c = vg_inv_add_config_item(&inv);

		c->policy = all[i].policy->id;
		c->id = all[i].check->id;
		c->result = vg_result_name(all[i].result);
		c->reason = all[i].reason;
		c->evidence = all[i].evidence;
		failed += all[i].result == VG_RESULT_FAILED;
	}
	vg_inventory_sort(&inv);
	doc = vgt_document(&inv);
	assert_int_equal(ingest(fx, "r1", VG_FLEET_FULL, doc, &res, &err), VG_OK);
	assert_true(n > 100 && failed > 10);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config"), (int64_t)n);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config WHERE result = 'failed'"),
			 (int64_t)failed);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_config dc LEFT JOIN config_check cc"
				   " USING (policy, check_id) WHERE cc.title IS NULL"),
			 0);
	vg_secure_score_device(all, n, &score);
	assert_true(score.max > 0);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM device WHERE config_points = %.17g"
		 " AND config_max = %.17g",
		 score.points, score.max);
	assert_int_equal(count(fx, sql), 1);
	for (size_t i = 0; i < n; i += 37) { /* a sample of results, stored as evaluated */
		struct vg_arena a;

		vg_arena_init(&a);
		assert_text(
			fx,
			vg_arena_printf(&a,
					"SELECT result || '|' || coalesce(reason, '-') FROM"
					" device_config WHERE policy = '%s' AND check_id = '%s'",
					all[i].policy->id, all[i].check->id),
			vg_arena_printf(&a, "%s|%s", vg_result_name(all[i].result),
					all[i].reason ? all[i].reason : "-"));
		vg_arena_release(&a);
	}
	json_decref(doc);
	free(all);
	vg_eval_release(&ev);
	vg_inventory_release(&inv);
	vg_policy_set_release(&set);
	free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(new_changed_vanished, setup, teardown),
		cmocka_unit_test_setup_teardown(delta_and_full_without_section, setup, teardown),
		cmocka_unit_test_setup_teardown(invalid_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(rollback_after_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(catalog_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(device_deletion_keeps_tally, setup, teardown),
		cmocka_unit_test_setup_teardown(catalog_from_policy_files, setup, teardown),
		cmocka_unit_test_setup_teardown(real_evaluation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
