/*
 * test_fleet.c - unit tests of devices and reports (src/store/fleet.c).
 *
 * The reports are real inventory documents: the agent's collectors run on
 * tests/data/roots/scan-debian11 and on a temporary root whose dpkg status
 * is Trivy's Ubuntu 18.04 image (/work/shared/data/inventories/dpkg), and
 * vg_inventory_write_json() writes them as vigil-agent does.  The stored
 * tuples are checked against the engine's vg_device_tuples() and against
 * counts made independently (a Python reading of the status file: 90
 * installed packages, 61 distinct source/version pairs).
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
#include "core/arena.h"
#include "core/buf.h"
#include "engine/match.h"
#include "store/auth.h"
#include "store/findings.h"
#include "store/fleet.h"
#include "store/kb.h"
#include "vgtest.h"

#define T0 INT64_C(1749988800)

struct fx {
	struct vgt_store s; /* temporary directory and store */
	char dev[VG_FLEET_DEVICE_ID_LEN + 1];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct vg_err err;

	assert_non_null(fx);
	vgt_store_open(&fx->s, "fleet");
	vg_auth_set_now_for_tests(T0);
	assert_int_equal(vg_fleet_enroll(fx->s.kb, "m-1", "host1", "debian:11", fx->dev, &err),
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

static json_t *
scan_debian11(struct vg_inventory *inv)
{
	char *root = vgt_test_data_path("roots/scan-debian11");

	vgt_collect(inv, root);
	free(root);
	return vgt_document(inv);
}

/* A delta: @doc without the sections not in @keep (bits of enum vg_fleet_section). */
static json_t *
delta_of(const json_t *doc, unsigned keep)
{
	json_t *d = json_deep_copy(doc);

	for (int s = 0; s < VG_FLEET_SEC_N; s++)
		if (!(keep & (1u << s)))
			json_object_del(d, vg_fleet_section_name((enum vg_fleet_section)s));
	return d;
}

static int64_t
count(struct fx *fx, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_open_v2(fx->s.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static int
ingest(struct fx *fx, const char *id, enum vg_fleet_kind kind, const json_t *doc,
       struct vg_fleet_result *res, struct vg_err *err)
{
	return vg_fleet_ingest(fx->s.kb, fx->dev, id, kind, doc, NULL, res, err);
}

/* The five sections of a report without the optional configuration section. */
#define ALL_SECTIONS ((1u << VG_FLEET_SEC_CONFIGURATION) - 1)

/* The stored section @name of the fixture's device reads back as @want's compact JSON. */
static void
assert_section_is(struct fx *fx, const char *name, const json_t *want)
{
	char *text = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
	struct vg_arena a;
	const char *body;
	struct vg_err err;

	vg_arena_init(&a);
	assert_int_equal(vg_findings_section(fx->s.kb, fx->dev, name, &a, &body, &err), VG_OK);
	assert_non_null(body);
	assert_string_equal(body, text);
	vg_arena_release(&a);
	free(text);
}
#define BIT(s) (1u << VG_FLEET_SEC_##s)

static void
enroll_same_machine(void **state)
{
	struct fx *fx = *state;
	char again[VG_FLEET_DEVICE_ID_LEN + 1], other[VG_FLEET_DEVICE_ID_LEN + 1];
	struct vg_err err;
	char *tok = NULL;
	size_t n;

	assert_int_equal(strlen(fx->dev), VG_FLEET_DEVICE_ID_LEN);
	assert_memory_equal(fx->dev, "dev_", 4);
	assert_int_equal(vg_fleet_enroll(fx->s.kb, "m-1", "renamed", NULL, again, &err), VG_OK);
	assert_string_equal(again, fx->dev);
	assert_int_equal(vg_fleet_enroll(fx->s.kb, "m-2", NULL, NULL, other, &err), VG_OK);
	assert_string_not_equal(other, fx->dev);
	assert_int_equal(count(fx, "SELECT count(*) FROM device"), 2);
	/* The hostname follows, the namespace is kept when not given. */
	assert_int_equal(count(fx, "SELECT count(*) FROM device WHERE hostname = 'renamed'"
				   " AND os_ns = 'debian:11'"),
			 1);
	assert_int_equal(vg_fleet_enroll(fx->s.kb, "", NULL, NULL, again, &err), VG_EINVAL);
	assert_int_equal(vg_fleet_enroll(fx->s.kb, "a\nb", NULL, NULL, again, &err), VG_EINVAL);

	/* Re-enrolment revokes the device's agent tokens, and only those. */
	assert_int_equal(vg_auth_token_create(fx->s.kb, VG_AUTH_ROLE_AGENT, NULL, 0, fx->dev, &tok,
					      NULL, &err),
			 VG_OK);
	vg_auth_token_free(tok);
	assert_int_equal(vg_auth_token_create(fx->s.kb, VG_AUTH_ROLE_AGENT, NULL, 0, other, &tok,
					      NULL, &err),
			 VG_OK);
	vg_auth_token_free(tok);
	assert_int_equal(vg_fleet_revoke_device_tokens(fx->s.kb, fx->dev, &n, &err), VG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM api_token WHERE revoked_at IS NULL"), 1);
}

/* Every tuple of vg_device_tuples() is stored for the device, and nothing else. */
static void
assert_tuples_match_engine(struct fx *fx, const struct vg_inventory *inv, size_t want)
{
	struct vg_arena arena;
	struct vg_device_tuple *t;
	size_t n;
	sqlite3 *db;
	sqlite3_stmt *st;

	vg_arena_init(&arena);
	vg_device_tuples(inv, 0, &arena, &t, &n, NULL);
	assert_int_equal(n, want);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_tuple"), (int64_t)n);
	assert_int_equal(sqlite3_open_v2(fx->s.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT json_array_length(binaries) FROM device_tuple"
					    " JOIN tuple ON tuple.id = tuple_id WHERE ns = ?1 AND"
					    " package = ?2 AND version = ?3 AND scheme = ?4",
					    -1, &st, NULL),
			 SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(st, 1, t[i].tuple.ns, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, t[i].tuple.package, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, t[i].tuple.version, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, vg_ver_scheme_name(t[i].tuple.scheme), -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), (int)t[i].npkgs);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	vg_arena_release(&arena);
}

static void
full_then_delta(void **state)
{
	struct fx *fx = *state;
	struct vg_inventory inv;
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *full = scan_debian11(&inv), *full2, *delta;

	assert_int_equal(ingest(fx, "r1", VG_FLEET_FULL, full, &res, &err), VG_OK);
	assert_false(res.duplicate);
	assert_int_equal(res.applied, ALL_SECTIONS);
	/* 17 binaries, 14 distinct (source, version): checked with Python. */
	assert_int_equal(res.ntuples, 14);
	assert_tuples_match_engine(fx, &inv, 14);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_section"), 5);
	assert_int_equal(count(fx, "SELECT count FROM device_section WHERE name = 'packages'"), 17);
	/* The packages section is stored compressed, the small device section as JSON; both
	 * read back as the section's compact JSON. */
	assert_int_equal(count(fx, "SELECT count(*) FROM device_section WHERE name = 'packages'"
				   " AND enc = 'zlib' AND length(body) * 3 < size"),
			 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_section WHERE name = 'device'"
				   " AND enc = 'json' AND length(body) = size"),
			 1);
	assert_section_is(fx, "packages", json_object_get(full, "packages"));
	assert_section_is(fx, "device", json_object_get(full, "device"));
	assert_int_equal(count(fx, "SELECT count(*) FROM device WHERE hostname = 'scan-bullseye'"),
			 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM tuple WHERE ns = 'debian:11' AND"
				   " package = 'apache2' AND version = '2.4.54-1~deb11u1'"
				   " AND scheme = 'dpkg'"),
			 1);

	/* One package less: a delta of the packages section. */
	vg_inv_drop_last_package(&inv);
	full2 = vgt_document(&inv);
	delta = delta_of(full2, BIT(PACKAGES));
	assert_int_equal(ingest(fx, "r2", VG_FLEET_DELTA, delta, &res, &err), VG_OK);
	assert_false(res.duplicate);
	assert_int_equal(res.applied, BIT(PACKAGES));
	assert_int_equal(count(fx, "SELECT count FROM device_section WHERE name = 'packages'"), 16);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_report"), 2);
	assert_tuples_match_engine(fx, &inv, res.ntuples);

	/* The same content in a new full report: nothing changed, nothing applied. */
	assert_int_equal(ingest(fx, "r3", VG_FLEET_FULL, full2, &res, &err), VG_OK);
	assert_int_equal(res.applied, 0);
	json_decref(delta);
	json_decref(full2);
	json_decref(full);
	vg_inventory_release(&inv);
}

static void
duplicate_report(void **state)
{
	struct fx *fx = *state;
	struct vg_inventory inv;
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *full = scan_debian11(&inv);

	assert_int_equal(ingest(fx, "same-id", VG_FLEET_FULL, full, &res, &err), VG_OK);
	assert_int_equal(ingest(fx, "same-id", VG_FLEET_FULL, full, &res, &err), VG_OK);
	assert_true(res.duplicate);
	assert_int_equal(res.applied, ALL_SECTIONS);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_report"), 1);
	/* Another device may use the same report id. */
	assert_int_equal(vg_fleet_enroll(fx->s.kb, "m-2", NULL, NULL, fx->dev, &err), VG_OK);
	assert_int_equal(ingest(fx, "same-id", VG_FLEET_FULL, full, &res, &err), VG_OK);
	assert_false(res.duplicate);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_report"), 2);
	json_decref(full);
	vg_inventory_release(&inv);
}

static void
stale_delta(void **state)
{
	struct fx *fx = *state;
	struct vg_inventory inv;
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *full = scan_debian11(&inv), *delta = delta_of(full, BIT(PACKAGES));

	/* Nothing stored yet: every unsent section differs. */
	assert_int_equal(ingest(fx, "d1", VG_FLEET_DELTA, delta, &res, &err), VG_EEXIST);
	assert_non_null(strstr(err.msg, "full report"));
	assert_int_equal(count(fx, "SELECT count(*) FROM device_report"), 0);
	assert_int_equal(ingest(fx, "f1", VG_FLEET_FULL, full, &res, &err), VG_OK);
	/* The agent believes its accounts changed, but the server never got them. */
	json_object_set_new(
		json_object_get(json_object_get(delta, "sections"), "accounts"), "hash",
		json_string("sha256:0000000000000000000000000000000000000000000000000000"
			    "000000000000"));
	assert_int_equal(ingest(fx, "d2", VG_FLEET_DELTA, delta, &res, &err), VG_EEXIST);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_report"), 1);
	/* The report id is not burnt: the same id is accepted once consistent. */
	json_decref(delta);
	delta = delta_of(full, BIT(PACKAGES));
	assert_int_equal(ingest(fx, "d2", VG_FLEET_DELTA, delta, &res, &err), VG_OK);
	assert_false(res.duplicate);
	assert_int_equal(res.applied, 0);
	json_decref(delta);
	json_decref(full);
	vg_inventory_release(&inv);
}

static void
invalid_reports(void **state)
{
	struct fx *fx = *state;
	struct vg_inventory inv;
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *full = scan_debian11(&inv), *bad;

	assert_int_equal(ingest(fx, "ok", VG_FLEET_FULL, full, &res, &err), VG_OK);

	bad = json_deep_copy(full);
	json_object_set_new(bad, "schemaVersion", json_string("2.0"));
	assert_int_equal(ingest(fx, "b1", VG_FLEET_FULL, bad, &res, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "'schemaVersion'"));
	json_decref(bad);

	bad = json_deep_copy(full);
	json_array_remove(json_object_get(bad, "packages"), 0);
	assert_int_equal(ingest(fx, "b2", VG_FLEET_FULL, bad, &res, &err), VG_EINVAL);
	assert_string_equal(err.msg, "'sections.packages.count' is 17, the section has 16 items");
	json_decref(bad);

	bad = json_deep_copy(full);
	json_object_del(bad, "accounts");
	assert_int_equal(ingest(fx, "b3", VG_FLEET_FULL, bad, &res, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "'accounts'"));
	json_decref(bad);

	assert_int_equal(ingest(fx, "bad id!", VG_FLEET_FULL, full, &res, &err), VG_EINVAL);
	assert_int_equal(vg_fleet_ingest_text(fx->s.kb, fx->dev, "b4", VG_FLEET_FULL, "{\"a\":", 5,
					      NULL, &res, &err),
			 VG_EINVAL);
	assert_int_equal(vg_fleet_ingest(fx->s.kb, "dev_nobody", "b5", VG_FLEET_FULL, full, NULL,
					 &res, &err),
			 VG_ENOTFOUND);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_report"), 1);
	json_decref(full);
	vg_inventory_release(&inv);
}

/*
 * A package item that is not a package is found while the packages section
 * is being applied, after the device section was written: the rollback
 * must leave the previous state.
 */
static void
rollback_leaves_previous_state(void **state)
{
	struct fx *fx = *state;
	struct vg_inventory inv;
	struct vg_fleet_result res;
	struct vg_err err;
	json_t *full = scan_debian11(&inv), *bad;
	json_t *dev;

	assert_int_equal(ingest(fx, "ok", VG_FLEET_FULL, full, &res, &err), VG_OK);
	bad = json_deep_copy(full);
	dev = json_object_get(bad, "device");
	json_object_set_new(dev, "hostname", json_string("changed"));
	json_object_set_new(
		json_object_get(json_object_get(bad, "sections"), "device"), "hash",
		json_string("sha256:1111111111111111111111111111111111111111111111111111"
			    "111111111111"));
	json_object_set_new(
		json_object_get(json_object_get(bad, "sections"), "packages"), "hash",
		json_string("sha256:2222222222222222222222222222222222222222222222222222"
			    "222222222222"));
	json_object_set_new(json_array_get(json_object_get(bad, "packages"), 5), "type",
			    json_integer(3));
	assert_int_equal(ingest(fx, "bad", VG_FLEET_FULL, bad, &res, &err), VG_EINVAL);
	assert_string_equal(err.msg, "'packages[5].type' is missing");
	assert_int_equal(count(fx, "SELECT count(*) FROM device WHERE hostname = 'scan-bullseye'"),
			 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_section WHERE hash LIKE"
				   " 'sha256:1111%' OR hash LIKE 'sha256:2222%'"),
			 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_tuple"), 14);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_report"), 1);
	/* And the store is usable afterwards (no transaction left open). */
	assert_int_equal(ingest(fx, "ok2", VG_FLEET_FULL, full, &res, &err), VG_OK);
	json_decref(bad);
	json_decref(full);
	vg_inventory_release(&inv);
}

/* Trivy's Ubuntu 18.04 dpkg status in a temporary root. */
static void
real_status_file(void **state)
{
	struct fx *fx = *state;
	char root[128], p[256];
	char *status = vgt_shared_path("inventories/dpkg/trivy_ubuntu-18.04-image.status");
	struct vg_inventory inv;
	struct vg_fleet_result res;
	struct vg_err err;
	FILE *f;
	json_t *doc;

	snprintf(root, sizeof(root), "%s/root", fx->s.dir);
	snprintf(p, sizeof(p), "%s/var/lib/dpkg", root);
	assert_int_equal(mkdir(root, 0755), 0);
	snprintf(p, sizeof(p), "%s/var", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/var/lib", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/var/lib/dpkg", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/var/lib/dpkg/status", root);
	assert_int_equal(symlink(status, p), 0);
	snprintf(p, sizeof(p), "%s/etc", root);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/etc/os-release", root);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("ID=ubuntu\nVERSION_ID=\"18.04\"\nVERSION_CODENAME=bionic\n", f);
	fclose(f);

	vgt_collect(&inv, root);
	doc = vgt_document(&inv);
	assert_int_equal(inv.npackages, 90);
	assert_int_equal(ingest(fx, "u1", VG_FLEET_FULL, doc, &res, &err), VG_OK);
	assert_int_equal(res.ntuples, 61);
	assert_tuples_match_engine(fx, &inv, 61);
	assert_int_equal(count(fx, "SELECT count(DISTINCT ns) FROM tuple"), 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM tuple WHERE ns = 'ubuntu:18.04'"), 61);
	json_decref(doc);
	vg_inventory_release(&inv);
	free(status);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(enroll_same_machine, setup, teardown),
		cmocka_unit_test_setup_teardown(full_then_delta, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_report, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_delta, setup, teardown),
		cmocka_unit_test_setup_teardown(invalid_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(rollback_leaves_previous_state, setup, teardown),
		cmocka_unit_test_setup_teardown(real_status_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
