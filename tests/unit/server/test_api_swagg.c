/*
 * test_api_swagg.c - the per-software aggregates behind /api/Software and
 * /api/recommendations (src/server/api_swagg.c): counts, recommended
 * version, and the impacts against vg_org_exposure() itself, on a small
 * fleet whose findings interleave software and devices, with the planner
 * statistics that make SQLite prefer the by-tuple indexes (as a large store
 * does), and the cache's invalidation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "engine/org_score.h"
#include "server/api_int.h"
#include "store/kb.h"
#include "store/sql.h"

struct fx {
	char dir[64];
	char path[96];
	struct vg_kb *kb;
	struct vg_err err;
};

/*
 * d1 Normal, d2 High, d3 Low seen now; d4 seen 40 days ago (does not count).
 * openssl: t1 1.0 (CVE-A fixAvailable 1.2, CVE-B noFix), t2 1.1 (CVE-A fixAvailable 1.3),
 * both on d1; t1 on d2.  zlib: t3 (CVE-C fixAvailable 2.0) on d1, d3, d4.  bash: t4, no
 * vulnerability, on d3.
 */
static const char fleet_sql[] =
	"INSERT INTO device (id, machine_id, hostname, first_seen, last_seen, value, exposed,"
	" risk_sum) VALUES"
	" ('d1', 'm1', 'h1', 0, strftime('%s','now'), 'Normal', 1, 2.2),"
	" ('d2', 'm2', 'h2', 0, strftime('%s','now'), 'High', 0, 0.9),"
	" ('d3', 'm3', 'h3', 0, strftime('%s','now'), 'Low', 0, 0.4),"
	" ('d4', 'm4', 'h4', 0, strftime('%s','now') - 3456000, 'Normal', 0, 0.4);"
	"INSERT INTO tuple (id, ns, package, version, scheme, vendor, software_id) VALUES"
	" (1, 'debian:11', 'openssl', '1.0', 'dpkg', 'debian', 'debian-_-openssl'),"
	" (2, 'debian:11', 'openssl', '1.1', 'dpkg', 'debian', 'debian-_-openssl'),"
	" (3, 'debian:11', 'zlib', '1:1.0', 'dpkg', 'debian', 'debian-_-zlib'),"
	" (4, 'debian:11', 'bash', '5.1', 'dpkg', 'debian', 'debian-_-bash');"
	"INSERT INTO device_tuple (device_id, tuple_id, binaries) VALUES"
	" ('d1', 1, '[]'), ('d1', 3, '[]'), ('d1', 2, '[]'), ('d2', 1, '[]'), ('d3', 3, '[]'),"
	" ('d3', 4, '[]'), ('d4', 3, '[]');"
	"INSERT INTO tuple_vuln (tuple_id, vuln_id, status, fixed_version, confidence, severity,"
	" s, l, w) VALUES"
	" (1, 'CVE-A', 'fixAvailable', '1.2', 'high', 'High', 1, 1, 1),"
	" (1, 'CVE-B', 'noFix', NULL, 'high', 'High', 1, 1, 1),"
	" (2, 'CVE-A', 'fixAvailable', '1.3', 'high', 'High', 1, 1, 1),"
	" (3, 'CVE-C', 'fixAvailable', '1:2.0', 'high', 'High', 1, 1, 1);"
	"INSERT INTO device_vuln (device_id, tuple_id, vuln_id, risk, first_seen) VALUES"
	" ('d1', 1, 'CVE-A', 0.5, 0), ('d1', 1, 'CVE-B', 0.3, 0), ('d1', 2, 'CVE-A', 0.6, 0),"
	" ('d1', 3, 'CVE-C', 0.8, 0), ('d2', 1, 'CVE-A', 0.5, 0), ('d2', 1, 'CVE-B', 0.4, 0),"
	" ('d3', 3, 'CVE-C', 0.4, 0), ('d4', 3, 'CVE-C', 0.4, 0);"
	"INSERT INTO vuln_summary (id, severity, public_exploit, kev, exploit_uris, gen) VALUES"
	" ('CVE-A', 'High', 0, 0, '[]', 0), ('CVE-B', 'High', 1, 0, '[]', 0),"
	" ('CVE-C', 'High', 0, 0, '[]', 0);"
	"ANALYZE;";

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char *msg = NULL;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/vg-swagg-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/v.db", fx->dir);
	assert_int_equal(vg_kb_open(fx->path, VG_KB_CREATE, &fx->kb, &fx->err), VG_OK);
	if (sqlite3_exec(vg_kb_db(fx->kb), fleet_sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("fleet: %s", msg);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char wal[128];

	vg_kb_close(fx->kb);
	unlink(fx->path);
	snprintf(wal, sizeof(wal), "%s-wal", fx->path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", fx->path);
	unlink(wal);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* One row of temp.vg_sw. */
struct row {
	int64_t installed, versions, weaknesses, pe, exposed, fweak, fpe, fexposed, fcrit, finet;
	double impact, rec_impact;
	char rec_version[64];
	bool found;
};

static struct row
row_of(struct fx *fx, const char *id)
{
	sqlite3_stmt *st = NULL;
	struct row r = {0};

	assert_int_equal(
		sqlite3_prepare_v2(vg_kb_db(fx->kb),
				   "SELECT installed, versions, weaknesses, public_exploit,"
				   " exposed, fweak, fpe, fexposed, fcrit, finet, impact,"
				   " rec_impact, rec_version FROM temp.vg_sw WHERE id = ?1",
				   -1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t *v[] = {&r.installed, &r.versions, &r.weaknesses, &r.pe,    &r.exposed,
				&r.fweak,     &r.fpe,      &r.fexposed,   &r.fcrit, &r.finet};

		for (int i = 0; i < 10; i++)
			*v[i] = sqlite3_column_int64(st, i);
		r.impact = sqlite3_column_double(st, 10);
		r.rec_impact = sqlite3_column_double(st, 11);
		snprintf(r.rec_version, sizeof(r.rec_version), "%s",
			 (const char *)sqlite3_column_text(st, 12));
		r.found = true;
	}
	sqlite3_finalize(st);
	return r;
}

/* org - org' by vg_org_exposure() over d1, d2, d3 with @removed. */
static double
impact(const enum vg_device_value v[3], const double removed[3])
{
	const double risk[3] = {2.2, 0.9, 0.4};
	struct vg_org_device d[3];

	for (int i = 0; i < 3; i++)
		d[i] = (struct vg_org_device){risk[i], v[i]};
	return vg_org_exposure(d, 3, NULL) - vg_org_exposure(d, 3, removed);
}

static void
test_counts(void **state)
{
	struct fx *fx = *state;
	struct row o, z, b;

	assert_int_equal(vg_api_sw_refresh(fx->kb, &fx->err), VG_OK);
	o = row_of(fx, "debian-_-openssl");
	z = row_of(fx, "debian-_-zlib");
	b = row_of(fx, "debian-_-bash");
	assert_true(o.found && z.found && b.found);
	/* openssl: d1 (two versions) and d2; CVE-A and CVE-B; CVE-A fixable on both. */
	assert_int_equal(o.installed, 2);
	assert_int_equal(o.versions, 2);
	assert_int_equal(o.weaknesses, 2);
	assert_int_equal(o.pe, 1);
	assert_int_equal(o.exposed, 2);
	assert_int_equal(o.fweak, 1);
	assert_int_equal(o.fpe, 0);
	assert_int_equal(o.fexposed, 2);
	assert_int_equal(o.fcrit, 1);
	assert_int_equal(o.finet, 1);
	assert_string_equal(o.rec_version, "1.3");
	/* zlib: d4 does not count. */
	assert_int_equal(z.installed, 2);
	assert_int_equal(z.fexposed, 2);
	assert_int_equal(z.fcrit, 0);
	assert_string_equal(z.rec_version, "1:2.0");
	/* bash: listed, nothing to fix. */
	assert_int_equal(b.installed, 1);
	assert_int_equal(b.weaknesses, 0);
	assert_int_equal(b.fweak, 0);
	assert_true(b.impact == 0);
}

static void
test_impacts(void **state)
{
	struct fx *fx = *state;
	const enum vg_device_value v[3] = {VG_VALUE_NORMAL, VG_VALUE_HIGH, VG_VALUE_LOW};
	const double o_fix[3] = {1.1, 0.5, 0}, o_tot[3] = {1.4, 0.9, 0};
	const double z_all[3] = {0.8, 0, 0.4};
	struct row o, z;

	assert_int_equal(vg_api_sw_refresh(fx->kb, &fx->err), VG_OK);
	o = row_of(fx, "debian-_-openssl");
	z = row_of(fx, "debian-_-zlib");
	assert_true(fabs(o.rec_impact - impact(v, o_fix)) < 1e-12);
	assert_true(fabs(o.impact - impact(v, o_tot)) < 1e-12);
	assert_true(fabs(z.rec_impact - impact(v, z_all)) < 1e-12);
	assert_true(fabs(z.impact - impact(v, z_all)) < 1e-12);
	assert_true(o.rec_impact > 0 && o.impact > o.rec_impact);
}

static void
test_cache(void **state)
{
	struct fx *fx = *state;
	const enum vg_device_value v[3] = {VG_VALUE_LOW, VG_VALUE_HIGH, VG_VALUE_LOW};
	const double o_fix[3] = {1.1, 0.5, 0};
	sqlite3 *db = vg_kb_db(fx->kb);

	assert_int_equal(vg_api_sw_refresh(fx->kb, &fx->err), VG_OK);
	/* A stale row stays while the fleet is unchanged: the cache answers. */
	assert_int_equal(sqlite3_exec(db, "UPDATE temp.vg_sw SET fweak = 99", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(vg_api_sw_refresh(fx->kb, &fx->err), VG_OK);
	assert_int_equal(row_of(fx, "debian-_-openssl").fweak, 99);
	/* A device value change rebuilds. */
	assert_int_equal(sqlite3_exec(db, "UPDATE device SET value = 'Low' WHERE id = 'd1'", NULL,
				      NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(vg_api_sw_refresh(fx->kb, &fx->err), VG_OK);
	assert_int_equal(row_of(fx, "debian-_-openssl").fweak, 1);
	assert_true(fabs(row_of(fx, "debian-_-openssl").rec_impact - impact(v, o_fix)) < 1e-12);
	/* So does the exposure flag. */
	assert_int_equal(sqlite3_exec(db, "UPDATE device SET exposed = 0", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(vg_api_sw_refresh(fx->kb, &fx->err), VG_OK);
	assert_int_equal(row_of(fx, "debian-_-openssl").finet, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_impacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
