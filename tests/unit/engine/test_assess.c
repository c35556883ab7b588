/*
 * test_assess.c - server-side assessment (src/engine/assess.c) against the
 * real feeds and fixture roots.
 *
 * The reference is `vigil scan`'s engine (vg_report_build()) on the same
 * knowledge base and inventory: the findings the server stores for a
 * device after ingesting its report must be the same (tuple, vulnerability)
 * pairs with the same risk, and the same exposure score.  Then: a second
 * device with the same software matches nothing new; a delta re-matches
 * only its new tuples and records what disappeared; a feed import makes
 * every tuple stale.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "agent/document.h"
#include "agent/inventory.h"
#include "core/buf.h"
#include "engine/assess.h"
#include "engine/report.h"
#include "feeds/feed.h"
#include "store/auth.h"
#include "store/fleet.h"
#include "store/kb.h"
#include "vgtest.h"

#define T0 INT64_C(1749988800)

struct fx {
	struct vgt_store s; /* temporary directory and store */
	struct vg_assessor *a;
	struct vg_assess_stats last;
};

static const char *const feeds[] = {
	"debian-security-tracker/salsa-format_2023-04/data/DSA/list",
	"debian-security-tracker/salsa-format_2023-04/data/DLA/list",
	"alpine-secdb/vunnel_alpine_v3.15_main.yaml",
	"nvd/nvd-api-2.0_merged-sample.json",
	"kev/known_exploited_vulnerabilities.json",
	"epss/epss_scores-2026-08-16.csv",
};

static void
import(struct fx *fx, const char *rel)
{
	char *path = vgt_shared_path(rel);
	struct vg_feed_sink sink;
	struct vg_err err;

	vg_kb_sink(fx->s.kb, &sink, NULL, NULL);
	assert_int_equal(vg_kb_txn_begin(fx->s.kb, &err), VG_OK);
	if (vg_feed_import_file(path, &sink, NULL, NULL, &err) != VG_OK)
		fail_msg("import %s: %s", rel, err.msg);
	assert_int_equal(vg_kb_txn_commit(fx->s.kb, &err), VG_OK);
	free(path);
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	vgt_store_open(&fx->s, "assess");
	for (size_t i = 0; i < sizeof(feeds) / sizeof(feeds[0]); i++)
		import(fx, feeds[i]);
	vg_auth_set_now_for_tests(T0);
	fx->a = vg_assessor_new(fx->s.kb);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	vg_assessor_free(fx->a);
	vgt_store_close(&fx->s);
	free(fx);
	return 0;
}

static int
hook(void *ctx, struct vg_kb *kb, const char *device_id, unsigned applied, struct vg_err *err)
{
	struct fx *fx = ctx;

	(void)kb;
	(void)applied;
	return vg_assess_device(fx->a, device_id, vg_auth_now(), &fx->last, err);
}

/* The inventory of tests/data/@rel. */
static void
collect(struct vg_inventory *inv, const char *rel)
{
	char *root = vgt_test_data_path(rel);

	vgt_collect(inv, root);
	free(root);
}

/* Enroll machine @mid and ingest @doc as report @rid of @kind; returns the device id. */
static void
ingest(struct fx *fx, const char *mid, char dev[VG_FLEET_DEVICE_ID_LEN + 1], const char *rid,
       enum vg_fleet_kind kind, const json_t *doc)
{
	struct vg_fleet_hook h = {hook, fx};
	struct vg_fleet_result res;
	struct vg_err err;

	if (mid)
		assert_int_equal(vg_fleet_enroll(fx->s.kb, mid, mid, NULL, dev, &err), VG_OK);
	memset(&fx->last, 0, sizeof(fx->last));
	if (vg_fleet_ingest(fx->s.kb, dev, rid, kind, doc, &h, &res, &err) != VG_OK)
		fail_msg("ingest: %s", err.msg);
}

static int64_t
count(struct fx *fx, const char *sql, const char *arg)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_open_v2(fx->s.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* The risk stored for (device, source package, vulnerability); NaN when absent. */
static double
stored_risk(struct fx *fx, const char *dev, const char *package, const char *vuln)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	double r = NAN;

	assert_int_equal(sqlite3_open_v2(fx->s.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT dv.risk FROM device_vuln dv JOIN tuple t"
					    " ON t.id = dv.tuple_id WHERE dv.device_id = ?1"
					    " AND t.package = ?2 AND dv.vuln_id = ?3",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, dev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, package, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, vuln, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		r = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

/* The exposed-device counts kept at ingest equal a recount over the findings. */
static void
assert_exposure_counts(struct fx *fx)
{
	assert_int_equal(count(fx,
			       "SELECT count(*) FROM vuln_exposure x WHERE x.exposed <>"
			       " (SELECT count(DISTINCT device_id) FROM device_vuln dv"
			       " WHERE dv.vuln_id = x.vuln_id)",
			       NULL),
			 0);
	assert_int_equal(
		count(fx,
		      "SELECT count(DISTINCT vuln_id) FROM device_vuln WHERE vuln_id NOT IN"
		      " (SELECT vuln_id FROM vuln_exposure)",
		      NULL),
		0);
}

/* The device's stored findings equal vigil scan's for @inv, risk and exposure included. */
static void
assert_same_as_scan(struct fx *fx, const char *dev, const struct vg_inventory *inv)
{
	struct vg_matcher *m = vg_matcher_new(fx->s.kb);
	struct vg_scan_report r;
	struct vg_err err;
	double exposure;

	if (vg_report_build(&r, inv, m, 0, NULL, &err) != VG_OK)
		fail_msg("scan: %s", err.msg);
	assert_true(r.nfindings > 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM device_vuln WHERE device_id = ?1", dev),
			 r.nfindings);
	for (size_t i = 0; i < r.nfindings; i++) {
		const struct vg_finding *f = &r.findings[i];
		double got = stored_risk(fx, dev, f->dt->tuple.package, f->vm->id);

		if (!(fabs(got - f->score.risk) < 1e-9))
			fail_msg("%s %s: stored risk %g, scan %g", f->dt->tuple.package, f->vm->id,
				 got, f->score.risk);
	}
	exposure = (double)count(fx, "SELECT round(exposure_score * 10) FROM device WHERE id = ?1",
				 dev) /
		   10.0;
	assert_true(fabs(exposure - r.exposure) < 0.051);
	assert_true(fabs(fx->last.exposure - r.exposure) < 1e-9);
	vg_report_release(&r);
	vg_matcher_free(m);
}

static void
test_same_as_scan(void **state)
{
	static const char *const roots[] = {"roots/scan-debian11", "roots/scan-debian10",
					    "roots/scan-alpine315"};
	struct fx *fx = *state;

	for (size_t i = 0; i < 3; i++) {
		char dev[VG_FLEET_DEVICE_ID_LEN + 1], mid[16];
		struct vg_inventory inv;
		json_t *doc;

		collect(&inv, roots[i]);
		doc = vgt_document(&inv);
		snprintf(mid, sizeof(mid), "m-%zu", i);
		ingest(fx, mid, dev, "r1", VG_FLEET_FULL, doc);
		assert_int_equal(fx->last.matched, fx->last.tuples);
		assert_same_as_scan(fx, dev, &inv);
		/* Every vulnerability appeared once on the timeline. */
		assert_int_equal(count(fx,
				       "SELECT count(*) FROM event WHERE device_id = ?1"
				       " AND kind = 'vulnerabilityAppeared'",
				       dev),
				 count(fx,
				       "SELECT count(DISTINCT vuln_id) FROM device_vuln"
				       " WHERE device_id = ?1",
				       dev));
		json_decref(doc);
		vg_inventory_release(&inv);
	}
	/* Each summary names a vulnerability found; the Debian 11 fixture's log4j is in KEV. */
	assert_int_equal(count(fx,
			       "SELECT count(*) FROM vuln_summary WHERE id NOT IN"
			       " (SELECT vuln_id FROM tuple_vuln)",
			       NULL),
			 0);
	assert_int_equal(count(fx,
			       "SELECT kev + public_exploit FROM vuln_summary"
			       " WHERE id = 'CVE-2021-44228'",
			       NULL),
			 2);
	assert_int_equal(count(fx,
			       "SELECT count(*) FROM tuple WHERE software_id = 'debian-_-apache2'",
			       NULL),
			 1);
	assert_exposure_counts(fx);
}

static void
test_shared_and_delta(void **state)
{
	struct fx *fx = *state;
	char d1[VG_FLEET_DEVICE_ID_LEN + 1], d2[VG_FLEET_DEVICE_ID_LEN + 1];
	struct vg_inventory inv;
	json_t *doc, *delta;
	size_t tuples;
	int64_t before;

	collect(&inv, "roots/scan-debian11");
	doc = vgt_document(&inv);
	ingest(fx, "m-a", d1, "r1", VG_FLEET_FULL, doc);
	tuples = fx->last.tuples;
	assert_true(tuples > 5);
	/* The same software on a second device: nothing is matched again. */
	ingest(fx, "m-b", d2, "r1", VG_FLEET_FULL, doc);
	assert_int_equal(fx->last.tuples, tuples);
	assert_int_equal(fx->last.matched, 0);
	assert_same_as_scan(fx, d2, &inv);
	json_decref(doc);

	/* apache2 upgraded to the version fixing all its findings (the tracker's 2.4.57-2). */
	before = count(fx, "SELECT count(DISTINCT vuln_id) FROM device_vuln WHERE device_id = ?1",
		       d2);
	for (size_t i = 0; i < inv.npackages; i++)
		if (inv.packages[i].source_name &&
		    strcmp(inv.packages[i].source_name, "apache2") == 0)
			inv.packages[i].source_version = inv.packages[i].version =
				"2.4.99-1~deb11u1";
	doc = vgt_document(&inv);
	delta = json_deep_copy(doc);
	json_object_del(delta, "device");
	json_object_del(delta, "processes");
	json_object_del(delta, "listeners");
	json_object_del(delta, "accounts");
	ingest(fx, NULL, d2, "r2", VG_FLEET_DELTA, delta);
	assert_int_equal(fx->last.matched, 1);
	assert_true(fx->last.disappeared > 0);
	assert_int_equal(fx->last.appeared, 0);
	assert_int_equal(
		count(fx, "SELECT count(DISTINCT vuln_id) FROM device_vuln WHERE device_id = ?1",
		      d2),
		before - (int64_t)fx->last.disappeared);
	assert_int_equal(count(fx,
			       "SELECT count(*) FROM event WHERE device_id = ?1"
			       " AND kind = 'vulnerabilityDisappeared'",
			       d2),
			 fx->last.disappeared);
	assert_int_equal(
		count(fx,
		      "SELECT count(*) FROM device_vuln dv JOIN tuple t ON t.id = dv.tuple_id"
		      " WHERE dv.device_id = ?1 AND t.package = 'apache2'",
		      d2),
		0);
	assert_same_as_scan(fx, d2, &inv);
	assert_exposure_counts(fx);
	/* The first device is untouched. */
	assert_true(count(fx,
			  "SELECT count(*) FROM device_vuln dv JOIN tuple t ON t.id = dv.tuple_id"
			  " WHERE dv.device_id = ?1 AND t.package = 'apache2'",
			  d1) > 0);
	json_decref(delta);
	json_decref(doc);

	/* A feed import makes every match stale: the next report re-matches all tuples. */
	import(fx, "kev/known_exploited_vulnerabilities.json");
	inv.os.hostname = "renamed"; /* a changed section, so that the report is assessed */
	doc = vgt_document(&inv);
	ingest(fx, NULL, d2, "r3", VG_FLEET_FULL, doc);
	assert_int_equal(fx->last.tuples, tuples);
	assert_int_equal(fx->last.matched, tuples);
	assert_int_equal(fx->last.appeared + fx->last.disappeared, 0);
	json_decref(doc);
	/* The device that sent nothing since is re-assessed by the background pass, once. */
	{
		struct vg_err err;
		size_t done;

		assert_int_equal(vg_assess_stale(fx->a, 100, T0, &done, &err), VG_OK);
		assert_int_equal(done, 1);
		assert_int_equal(vg_assess_stale(fx->a, 100, T0, &done, &err), VG_OK);
		assert_int_equal(done, 0);
		assert_exposure_counts(fx);
		assert_int_equal(count(fx,
				       "SELECT count(*) FROM tuple WHERE matched_gen <>"
				       " (SELECT max(matched_gen) FROM tuple)",
				       NULL),
				 0);
	}
	vg_inventory_release(&inv);
}

static void
test_software_id(void **state)
{
	struct vg_arena a;
	const char *vendor, *id;
	struct vg_tuple t = {.ns = "debian:12", .package = "OpenSSL"};

	(void)state;
	vg_arena_init(&a);
	vg_assess_software_id(&t, &a, &vendor, &id);
	assert_string_equal(vendor, "debian");
	assert_string_equal(id, "debian-_-openssl");
	t.ns = "PyPI";
	t.package = "Django";
	vg_assess_software_id(&t, &a, &vendor, &id);
	assert_string_equal(id, "pypi-_-django");
	t.ns = NULL;
	vg_assess_software_id(&t, &a, &vendor, &id);
	assert_string_equal(id, "unknown-_-django");
	vg_arena_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_as_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_and_delta, setup, teardown),
		cmocka_unit_test(test_software_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
