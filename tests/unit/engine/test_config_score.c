/*
 * test_config_score.c - unit tests of the organization's Secure Score for
 * devices (src/engine/config_score.c over src/store/config.c).
 *
 * A small fleet with hand-computed sums.  The catalog (policy "p"):
 *
 *   a  impact 8  Accounts           b  impact 5  OS
 *   c  impact 3  Network            d  impact 0  OS (not scored)
 *   e  impact 10 Security controls  (nobody applicable)
 *
 * and "q/x", a check no policy knows.  Results (now = T):
 *
 *   d1  seen T,        group g1: a passed  b failed  c passed  d failed  e NA  q/x failed
 *   d2  seen T,        group g1: a failed  b passed  c error   e NA
 *   d3  seen T,        group g2: a passed  b passed  e NA
 *   d4  seen T - 31 d, group g1: a failed  b failed  c failed      (outside the window)
 *   d5  seen T,        no group: d passed  q/x passed              (nothing scored)
 *   d6  seen T - 30 d, no group: c passed                          (on the window's edge)
 *
 * Organization: a 2 of 3 compliant, b 2 of 3, c 2 of 3 (d1, d6 passed; d2 error counts
 * as applicable, not compliant); e has no applicable device and is left out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/compiler.h"
#include "engine/config_score.h"
#include "store/auth.h"
#include "store/config.h"
#include "store/fleet.h"
#include "store/kb.h"
#include "vgtest.h"

#define T   INT64_C(1760000000)
#define DAY INT64_C(86400)

struct fx {
	struct vgt_store s; /* temporary directory and store */
	char dev[7][VG_FLEET_DEVICE_ID_LEN + 1];
};

static const struct vg_config_entry catalog[] = {
	{"p", "a", "Check a", "Accounts", "SSH", NULL, NULL, NULL, 8, NULL, 0},
	{"p", "b", "Check b", "OS", NULL, NULL, NULL, NULL, 5, NULL, 0},
	{"p", "c", "Check c", "Network", NULL, NULL, NULL, NULL, 3, NULL, 0},
	{"p", "d", "Check d", "OS", NULL, NULL, NULL, NULL, 0, NULL, 0},
	{"p", "e", "Check e", "Security controls", NULL, NULL, NULL, NULL, 10, NULL, 0},
};

/* Each device: when it was last seen (days before T), its group, its results. */
static const struct {
	int64_t days_ago;
	const char *group;
	const char *results; /* JSON array text */
} fleet[] = {
	{0, "g1",
	 "[{\"policy\":\"p\",\"id\":\"a\",\"result\":\"passed\"},"
	 "{\"policy\":\"p\",\"id\":\"b\",\"result\":\"failed\"},"
	 "{\"policy\":\"p\",\"id\":\"c\",\"result\":\"passed\"},"
	 "{\"policy\":\"p\",\"id\":\"d\",\"result\":\"failed\"},"
	 "{\"policy\":\"p\",\"id\":\"e\",\"result\":\"notApplicable\"},"
	 "{\"policy\":\"q\",\"id\":\"x\",\"result\":\"failed\"}]"},
	{0, "g1",
	 "[{\"policy\":\"p\",\"id\":\"a\",\"result\":\"failed\"},"
	 "{\"policy\":\"p\",\"id\":\"b\",\"result\":\"passed\"},"
	 "{\"policy\":\"p\",\"id\":\"c\",\"result\":\"error\",\"reason\":\"cannot read\"},"
	 "{\"policy\":\"p\",\"id\":\"e\",\"result\":\"notApplicable\"}]"},
	{0, "g2",
	 "[{\"policy\":\"p\",\"id\":\"a\",\"result\":\"passed\"},"
	 "{\"policy\":\"p\",\"id\":\"b\",\"result\":\"passed\"},"
	 "{\"policy\":\"p\",\"id\":\"e\",\"result\":\"notApplicable\"}]"},
	{31, "g1",
	 "[{\"policy\":\"p\",\"id\":\"a\",\"result\":\"failed\"},"
	 "{\"policy\":\"p\",\"id\":\"b\",\"result\":\"failed\"},"
	 "{\"policy\":\"p\",\"id\":\"c\",\"result\":\"failed\"}]"},
	{0, NULL,
	 "[{\"policy\":\"p\",\"id\":\"d\",\"result\":\"passed\"},"
	 "{\"policy\":\"q\",\"id\":\"x\",\"result\":\"passed\"}]"},
	{30, NULL, "[{\"policy\":\"p\",\"id\":\"c\",\"result\":\"passed\"}]"},
};

static void
exec_sql(struct fx *fx, const char *sql, const char *a, int64_t b, const char *c)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(fx->s.path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, b);
	if (c)
		sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
set_seen(struct fx *fx, size_t i, int64_t days_ago, const char *group)
{
	exec_sql(fx, "UPDATE device SET last_seen = ?2, group_name = ?3 WHERE id = ?1", fx->dev[i],
		 T - days_ago * DAY, group);
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct vg_err err;

	assert_non_null(fx);
	vgt_store_open(&fx->s, "cscore");
	vg_auth_set_now_for_tests(T);
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, catalog, VG_ARRAY_LEN(catalog), T, &err),
			 VG_OK);
	for (size_t i = 0; i < VG_ARRAY_LEN(fleet); i++) {
		char machine[16];
		json_t *items = json_loads(fleet[i].results, 0, NULL);

		assert_non_null(items);
		snprintf(machine, sizeof(machine), "m-%zu", i + 1);
		assert_int_equal(vg_fleet_enroll(fx->s.kb, machine, NULL, NULL, fx->dev[i], &err),
				 VG_OK);
		assert_int_equal(vg_kb_txn_begin(fx->s.kb, &err), VG_OK);
		assert_int_equal(vg_config_apply(fx->s.kb, fx->dev[i], items, T, NULL, &err),
				 VG_OK);
		assert_int_equal(vg_kb_txn_commit(fx->s.kb, &err), VG_OK);
		json_decref(items);
		set_seen(fx, i, fleet[i].days_ago, fleet[i].group);
	}
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

/* Exact equality: the sums are made in the checks' order, as below. */
#define assert_double_exact(got, want)                                     \
	do {                                                               \
		double g_ = (got), w_ = (want);                            \
		if (g_ != w_)                                              \
			fail_msg("%s is %.17g, want %.17g", #got, g_, w_); \
	} while (0)

static void
assert_check(const struct vg_config_check_score *c, const char *id, int impact, long applicable,
	     long compliant)
{
	assert_string_equal(c->policy, "p");
	assert_string_equal(c->check_id, id);
	assert_int_equal(c->impact, impact);
	assert_int_equal(c->applicable, applicable);
	assert_int_equal(c->compliant, compliant);
	assert_double_exact(c->points, (double)impact * (double)compliant / (double)applicable);
	assert_double_exact(c->score_impact,
			    (double)impact * (double)(applicable - compliant) / (double)applicable);
}

static void
organization(void **state)
{
	struct fx *fx = *state;
	struct vg_config_score s;
	struct vg_err err;
	double want = 0.0;

	assert_int_equal(vg_config_score_org(fx->s.kb, T, NULL, &s, &err), VG_OK);
	assert_int_equal(s.nchecks, 3);
	assert_check(&s.checks[0], "a", 8, 3, 2);
	assert_check(&s.checks[1], "b", 5, 3, 2);
	assert_check(&s.checks[2], "c", 3, 3, 2);
	assert_string_equal(s.checks[0].title, "Check a");
	assert_string_equal(s.checks[0].category, "Accounts");
	assert_string_equal(s.checks[0].subcategory, "SSH");
	assert_null(s.checks[1].subcategory);
	/* The numbers: 8 x 2/3 + 5 x 2/3 + 3 x 2/3 = 32/3 of 16, 66.67 %. */
	assert_double_exact(s.checks[0].points, 16.0 / 3.0);
	assert_double_exact(s.checks[0].score_impact, 8.0 / 3.0);
	assert_double_exact(s.checks[2].points, 2.0);
	assert_double_exact(s.checks[2].score_impact, 1.0);
	want += 8.0 * 2.0 / 3.0;
	want += 5.0 * 2.0 / 3.0;
	want += 3.0 * 2.0 / 3.0;
	assert_double_exact(s.points, want);
	assert_double_exact(s.max, 16.0);
	assert_double_exact(vg_config_score_percent(s.points, s.max), 100.0 * want / 16.0);
	assert_true(vg_config_score_percent(s.points, s.max) > 66.666 &&
		    vg_config_score_percent(s.points, s.max) < 66.667);
	/* d1, d2, d3 and d6: d4 is outside the window, d5 has nothing scored. */
	assert_int_equal(s.devices, 4);
	/* Categories in the API's order; d is not scored, e has no applicable device. */
	assert_string_equal(s.categories[0].category, "Application");
	assert_double_exact(s.categories[0].max, 0.0);
	assert_int_equal(s.categories[0].checks, 0);
	assert_string_equal(s.categories[1].category, "OS");
	assert_double_exact(s.categories[1].points, 5.0 * 2.0 / 3.0);
	assert_double_exact(s.categories[1].max, 5.0);
	assert_int_equal(s.categories[1].checks, 1);
	assert_string_equal(s.categories[2].category, "Network");
	assert_double_exact(s.categories[2].points, 2.0);
	assert_double_exact(s.categories[2].max, 3.0);
	assert_string_equal(s.categories[3].category, "Accounts");
	assert_double_exact(s.categories[3].points, 16.0 / 3.0);
	assert_double_exact(s.categories[3].max, 8.0);
	assert_string_equal(s.categories[4].category, "Security controls");
	assert_double_exact(s.categories[4].max, 0.0);
	assert_int_equal(s.categories[4].checks, 0);
	vg_config_score_free(&s);
	assert_null(s.checks);
	assert_double_exact(vg_config_score_percent(0.0, 0.0), 0.0);
}

static void
groups(void **state)
{
	struct fx *fx = *state;
	struct vg_config_score s;
	struct vg_err err;

	/* g1: d1 and d2 (d4 is outside the window). */
	assert_int_equal(vg_config_score_org(fx->s.kb, T, "g1", &s, &err), VG_OK);
	assert_int_equal(s.nchecks, 3);
	assert_check(&s.checks[0], "a", 8, 2, 1);
	assert_check(&s.checks[1], "b", 5, 2, 1);
	assert_check(&s.checks[2], "c", 3, 2, 1);
	assert_double_exact(s.points, 4.0 + 2.5 + 1.5);
	assert_double_exact(s.max, 16.0);
	assert_int_equal(s.devices, 2);
	vg_config_score_free(&s);

	/* g2: d3 alone, c not applicable there. */
	assert_int_equal(vg_config_score_org(fx->s.kb, T, "g2", &s, &err), VG_OK);
	assert_int_equal(s.nchecks, 2);
	assert_check(&s.checks[0], "a", 8, 1, 1);
	assert_check(&s.checks[1], "b", 5, 1, 1);
	assert_double_exact(s.points, 13.0);
	assert_double_exact(s.max, 13.0);
	assert_double_exact(s.checks[0].score_impact, 0.0);
	assert_int_equal(s.devices, 1);
	vg_config_score_free(&s);

	/* No such group: nothing. */
	assert_int_equal(vg_config_score_org(fx->s.kb, T, "none", &s, &err), VG_OK);
	assert_int_equal(s.nchecks, 0);
	assert_double_exact(s.max, 0.0);
	assert_int_equal(s.devices, 0);
	vg_config_score_free(&s);
}

/* The window: one day later d6 drops out; d4 back in the window counts again. */
static void
window(void **state)
{
	struct fx *fx = *state;
	struct vg_config_score s;
	struct vg_err err;

	assert_int_equal(vg_config_score_org(fx->s.kb, T + DAY, NULL, &s, &err), VG_OK);
	assert_check(&s.checks[2], "c", 3, 2, 1);
	assert_int_equal(s.devices, 3);
	vg_config_score_free(&s);
	assert_int_equal(vg_config_score_org(fx->s.kb, T + 1, NULL, &s, &err), VG_OK);
	assert_check(&s.checks[2], "c", 3, 2, 1);
	vg_config_score_free(&s);

	set_seen(fx, 3, 0, "g1");
	assert_int_equal(vg_config_score_org(fx->s.kb, T, NULL, &s, &err), VG_OK);
	assert_check(&s.checks[0], "a", 8, 4, 2);
	assert_check(&s.checks[1], "b", 5, 4, 2);
	assert_check(&s.checks[2], "c", 3, 4, 2);
	assert_double_exact(s.points, 4.0 + 2.5 + 1.5);
	assert_int_equal(s.devices, 5);
	vg_config_score_free(&s);
}

/*
 * Most devices outside the window: the counts come from grouping the active
 * devices' results instead of the tally minus the others (same numbers).
 */
static void
mostly_stale(void **state)
{
	struct fx *fx = *state;
	struct vg_config_score s;
	struct vg_err err;

	set_seen(fx, 1, 31, "g1");
	set_seen(fx, 2, 31, "g2");
	set_seen(fx, 4, 31, NULL);
	/* d1 and d6 remain. */
	assert_int_equal(vg_config_score_org(fx->s.kb, T, NULL, &s, &err), VG_OK);
	assert_int_equal(s.nchecks, 3);
	assert_check(&s.checks[0], "a", 8, 1, 1);
	assert_check(&s.checks[1], "b", 5, 1, 0);
	assert_check(&s.checks[2], "c", 3, 2, 2);
	assert_double_exact(s.points, 8.0 + 0.0 + 3.0);
	assert_double_exact(s.max, 16.0);
	assert_int_equal(s.devices, 2);
	vg_config_score_free(&s);
	/* Everyone outside the window: nothing. */
	assert_int_equal(vg_config_score_org(fx->s.kb, T + 31 * DAY, NULL, &s, &err), VG_OK);
	assert_int_equal(s.nchecks, 0);
	assert_int_equal(s.devices, 0);
	vg_config_score_free(&s);
}

/* The tally path (no group) and the grouping path (a group) agree on the same devices. */
static void
paths_agree(void **state)
{
	struct fx *fx = *state;
	struct vg_config_score all, grp;
	struct vg_err err;

	for (size_t i = 0; i < VG_ARRAY_LEN(fleet); i++)
		set_seen(fx, i, fleet[i].days_ago, "everyone");
	assert_int_equal(vg_config_score_org(fx->s.kb, T, NULL, &all, &err), VG_OK);
	assert_int_equal(vg_config_score_org(fx->s.kb, T, "everyone", &grp, &err), VG_OK);
	assert_int_equal(all.nchecks, grp.nchecks);
	for (size_t i = 0; i < all.nchecks; i++) {
		assert_string_equal(all.checks[i].check_id, grp.checks[i].check_id);
		assert_int_equal(all.checks[i].applicable, grp.checks[i].applicable);
		assert_int_equal(all.checks[i].compliant, grp.checks[i].compliant);
	}
	assert_double_exact(all.points, grp.points);
	assert_int_equal(all.devices, grp.devices);
	vg_config_score_free(&all);
	vg_config_score_free(&grp);
}

/* A catalog change moves the score: d becomes scored, a leaves the catalog. */
static void
catalog_change(void **state)
{
	struct fx *fx = *state;
	struct vg_config_entry cat[VG_ARRAY_LEN(catalog)];
	struct vg_config_score s;
	struct vg_err err;

	memcpy(cat, catalog, sizeof(cat));
	cat[3].impact = 2;
	assert_int_equal(vg_config_catalog_sync(fx->s.kb, cat + 1, VG_ARRAY_LEN(cat) - 1, T, &err),
			 VG_OK);
	assert_int_equal(vg_config_score_org(fx->s.kb, T, NULL, &s, &err), VG_OK);
	assert_int_equal(s.nchecks, 3);
	assert_check(&s.checks[0], "b", 5, 3, 2);
	assert_check(&s.checks[1], "c", 3, 3, 2);
	/* d: d1 failed, d5 passed. */
	assert_check(&s.checks[2], "d", 2, 2, 1);
	assert_double_exact(s.categories[1].max, 7.0);
	assert_int_equal(s.categories[1].checks, 2);
	/* d5 now has a scored check. */
	assert_int_equal(s.devices, 5);
	vg_config_score_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(organization, setup, teardown),
		cmocka_unit_test_setup_teardown(groups, setup, teardown),
		cmocka_unit_test_setup_teardown(window, setup, teardown),
		cmocka_unit_test_setup_teardown(mostly_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(paths_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(catalog_change, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
