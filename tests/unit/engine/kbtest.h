/*
 * kbtest.h - a temporary knowledge base filled with hand-made records, for
 * the engine's tests (header-only, static helpers).
 *
 *   struct kbt t;
 *   kbt_open(&t);
 *   kbt_begin(&t, "debian-dsa");           one source = one import transaction
 *   kbt_aff(&t, (struct vg_affected){...});
 *   kbt_end(&t);
 *   ... vg_matcher_new(t.kb) ...
 *   kbt_close(&t);                        closes and deletes the files
 *
 * Records go through vg_kb_sink(), exactly as the importers' do.
 */
#ifndef VG_TESTS_ENGINE_KBTEST_H
#define VG_TESTS_ENGINE_KBTEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/compiler.h"
#include "feeds/record.h"
#include "store/kb.h"

struct kbt {
	char dir[64];
	char path[128];
	struct vg_kb *kb;
	struct vg_feed_sink sink;
	struct vg_feed_source src;
	unsigned long nrecords;
};

VG_UNUSED static void
kbt_fail(const char *what, const struct vg_err *err)
{
	fail_msg("%s: %s", what, err->msg);
}

VG_UNUSED static void
kbt_open(struct kbt *t)
{
	struct vg_err err;

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/vigil-enginetest.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/kb.db", t->dir);
	vg_err_clear(&err);
	if (vg_kb_open(t->path, VG_KB_CREATE, &t->kb, &err) != VG_OK)
		kbt_fail("vg_kb_open", &err);
}

/* Start importing source @name (MERGE: several kbt_begin() of one name add up). */
VG_UNUSED static void
kbt_begin_mode(struct kbt *t, const char *name, enum vg_feed_mode mode, const char *snapshot)
{
	struct vg_err err;

	vg_err_clear(&err);
	if (vg_kb_txn_begin(t->kb, &err) != VG_OK)
		kbt_fail("txn begin", &err);
	vg_kb_sink(t->kb, &t->sink, NULL, NULL);
	t->src = (struct vg_feed_source){.name = name,
					 .format = "test",
					 .mode = mode,
					 .snapshot = snapshot,
					 .path = "(test)"};
	t->nrecords = 0;
	if (t->sink.begin(t->sink.ctx, &t->src, &err) != VG_OK)
		kbt_fail("sink begin", &err);
}

VG_UNUSED static void
kbt_begin(struct kbt *t, const char *name)
{
	kbt_begin_mode(t, name, VG_FEED_MERGE, NULL);
}

VG_UNUSED static void
kbt_aff(struct kbt *t, struct vg_affected a)
{
	struct vg_err err;

	vg_err_clear(&err);
	if (t->sink.affected(t->sink.ctx, &a, &err) != VG_OK)
		kbt_fail("sink affected", &err);
	t->nrecords++;
}

VG_UNUSED static void
kbt_vuln(struct kbt *t, const struct vg_vuln *v)
{
	struct vg_err err;

	vg_err_clear(&err);
	if (t->sink.vuln(t->sink.ctx, v, &err) != VG_OK)
		kbt_fail("sink vuln", &err);
	t->nrecords++;
}

/* A vulnerability with aliases and an optional CVSS v3 vector. */
VG_UNUSED static void
kbt_vuln_simple(struct kbt *t, const char *id, const char *alias, const char *cvss_v3)
{
	const char *aliases[1] = {alias};
	struct vg_vuln v = {
		.id = id,
		.aliases = aliases,
		.naliases = alias ? 1 : 0,
		.cvss_v3 = cvss_v3,
		.cvss_v2_score = NAN,
		.cvss_v3_score = NAN,
		.cvss_v4_score = NAN,
	};

	kbt_vuln(t, &v);
}

VG_UNUSED static void
kbt_kev(struct kbt *t, const char *cve, const char *added, const char *due, bool ransomware)
{
	struct vg_kev k = {.cve_id = cve,
			   .vendor = "test",
			   .product = "test",
			   .name = "test",
			   .date_added = added,
			   .due_date = due,
			   .ransomware = ransomware};
	struct vg_err err;

	vg_err_clear(&err);
	if (t->sink.kev(t->sink.ctx, &k, &err) != VG_OK)
		kbt_fail("sink kev", &err);
	t->nrecords++;
}

VG_UNUSED static void
kbt_epss(struct kbt *t, const char *cve, double p, double pct)
{
	struct vg_epss e = {.cve_id = cve, .probability = p, .percentile = pct};
	struct vg_err err;

	vg_err_clear(&err);
	if (t->sink.epss(t->sink.ctx, &e, &err) != VG_OK)
		kbt_fail("sink epss", &err);
	t->nrecords++;
}

VG_UNUSED static void
kbt_end(struct kbt *t)
{
	struct vg_err err;

	vg_err_clear(&err);
	if (t->sink.end(t->sink.ctx, &t->src, t->nrecords, &err) != VG_OK)
		kbt_fail("sink end", &err);
	if (vg_kb_txn_commit(t->kb, &err) != VG_OK)
		kbt_fail("txn commit", &err);
}

VG_UNUSED static void
kbt_close(struct kbt *t)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char p[160];

	vg_kb_close(t->kb);
	t->kb = NULL;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, suffixes[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

#endif /* VG_TESTS_ENGINE_KBTEST_H */
