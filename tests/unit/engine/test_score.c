/*
 * test_score.c - unit tests of src/engine/score.c and src/engine/report.c.
 *
 * The formulas of docs/scoring.md with hand-computed values (each factor
 * and the product, the status weights, the severity order and bands, the
 * exposure curve and its calibration points), then a report built from a
 * temporary knowledge base holding Debian statements, NVD CVSS vectors,
 * CISA KEV and FIRST EPSS entries: priority order, counts, exposure, and
 * the JSON, CSV, SARIF and table writers (JSON parsed back with jansson).
 *
 * Expected risks, by hand:
 *   CVE-2021-44228 (KEV, CVSS 10.0, fix available, device exposed):
 *       1.0 x 1.0 x 1.1 x 1.0 = 1.1
 *   CVE-2023-0001 (CVSS 7.5, EPSS 0.0004 -> floor 0.05, package listening on
 *       0.0.0.0 on an exposed device): 0.75 x 0.05 x 1.65 x 1.0 = 0.061875
 *   CVE-2023-0006 (no CVSS, no EPSS, no fix): 0.5 x 0.1 x 1.65 x 0.2 = 0.0165
 *   sum 1.178375 -> exposure 100 x (1 - e^(-1.178375 / 2.4)) = 38.8, medium.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/inventory.h"
#include "engine/org_score.h"
#include "engine/report.h"
#include "engine/score.h"
#include "kbtest.h"
#include "vgtest.h"

#define assert_near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static struct vg_score_in
base_in(void)
{
	return (struct vg_score_in){
		.cvss_v3 = NAN, .cvss_v4 = NAN, .cvss_v2 = NAN, .status = VG_FS_FIX_AVAILABLE};
}

static void
test_severity(void **state)
{
	enum vg_fsev s;

	(void)state;
	assert_int_equal(vg_fsev_of_score(10.0), VG_FSEV_CRITICAL);
	assert_int_equal(vg_fsev_of_score(9.0), VG_FSEV_CRITICAL);
	assert_int_equal(vg_fsev_of_score(8.9), VG_FSEV_HIGH);
	assert_int_equal(vg_fsev_of_score(7.0), VG_FSEV_HIGH);
	assert_int_equal(vg_fsev_of_score(6.9), VG_FSEV_MEDIUM);
	assert_int_equal(vg_fsev_of_score(4.0), VG_FSEV_MEDIUM);
	assert_int_equal(vg_fsev_of_score(3.9), VG_FSEV_LOW);
	assert_int_equal(vg_fsev_of_score(0.0), VG_FSEV_LOW);
	assert_int_equal(vg_fsev_of_score(NAN), VG_FSEV_UNKNOWN);
	assert_near(vg_severity_word_score("HIGH"), 7.5);
	assert_near(vg_severity_word_score("Moderate"), 5.5);
	assert_near(vg_severity_word_score("important"), 7.5);
	assert_near(vg_severity_word_score("low**"), 3.0);
	assert_near(vg_severity_word_score("unimportant"), 1.0);
	assert_true(isnan(vg_severity_word_score("not yet assigned")));
	assert_true(isnan(vg_severity_word_score(NULL)));
	assert_int_equal(vg_fsev_parse("critical", &s), VG_OK);
	assert_int_equal(s, VG_FSEV_CRITICAL);
	assert_int_equal(vg_fsev_parse("HIGH", &s), VG_OK);
	assert_int_equal(s, VG_FSEV_HIGH);
	assert_int_equal(vg_fsev_parse("Low", &s), VG_OK);
	assert_int_equal(s, VG_FSEV_LOW);
	assert_int_equal(vg_fsev_parse("urgent", &s), VG_EINVAL);
	assert_int_equal(vg_fsev_parse("unknown", &s), VG_EINVAL);
	assert_string_equal(vg_fsev_name(VG_FSEV_UNKNOWN), "Unknown");
	assert_string_equal(vg_fsev_name(VG_FSEV_CRITICAL), "Critical");
}

static void
test_base_order(void **state)
{
	struct vg_score_in in = base_in();
	struct vg_score_out out;

	(void)state;
	in.cvss_v3 = 7.5;
	in.cvss_v4 = 9.3;
	in.cvss_v2 = 5.0;
	in.vendor_severity = "low";
	vg_score_finding(&in, &out);
	assert_near(out.s, 0.75);
	assert_string_equal(out.base_source, "cvssV3");
	assert_int_equal(out.severity, VG_FSEV_HIGH);
	in.cvss_v3 = NAN;
	vg_score_finding(&in, &out);
	assert_string_equal(out.base_source, "cvssV4");
	assert_int_equal(out.severity, VG_FSEV_CRITICAL);
	in.cvss_v4 = NAN;
	in.cvss_v2 = 10.0; /* v2 scores take the v3 bands too */
	vg_score_finding(&in, &out);
	assert_string_equal(out.base_source, "cvssV2");
	assert_int_equal(out.severity, VG_FSEV_CRITICAL);
	in.cvss_v2 = NAN;
	vg_score_finding(&in, &out);
	assert_string_equal(out.base_source, "vendor");
	assert_near(out.s, 0.3);
	assert_int_equal(out.severity, VG_FSEV_LOW);
	in.vendor_severity = NULL;
	in.urgency = "medium*";
	vg_score_finding(&in, &out);
	assert_string_equal(out.base_source, "urgency");
	assert_int_equal(out.severity, VG_FSEV_MEDIUM);
	in.urgency = NULL;
	vg_score_finding(&in, &out);
	assert_string_equal(out.base_source, "unknown");
	assert_near(out.s, VG_S_UNKNOWN);
	assert_int_equal(out.severity, VG_FSEV_UNKNOWN);
	assert_true(isnan(out.base));
}

static void
test_likelihood(void **state)
{
	struct vg_score_in in = base_in();
	struct vg_score_out out;

	(void)state;
	in.cvss_v3 = 9.8;
	in.kev = true;
	in.has_epss = true;
	in.epss = 0.0001;
	vg_score_finding(&in, &out);
	assert_near(out.l, 1.0);
	assert_string_equal(out.l_source, "kev");
	assert_near(out.risk, 0.98);
	in.kev = false;
	in.epss = 0.04; /* sqrt = 0.2 */
	vg_score_finding(&in, &out);
	assert_near(out.l, 0.2);
	assert_string_equal(out.l_source, "epss");
	in.epss = 0.0004; /* sqrt = 0.02, below the floor */
	vg_score_finding(&in, &out);
	assert_near(out.l, VG_L_FLOOR);
	assert_string_equal(out.l_source, "epss-floor");
	in.exploit_ref = true;
	vg_score_finding(&in, &out);
	assert_near(out.l, VG_L_EXPLOIT);
	assert_string_equal(out.l_source, "exploit");
	in.epss = 0.81; /* sqrt = 0.9: the exploit reference does not lower it */
	vg_score_finding(&in, &out);
	assert_near(out.l, 0.9);
	in.exploit_ref = false;
	in.has_epss = false;
	vg_score_finding(&in, &out);
	assert_near(out.l, VG_L_UNKNOWN);
	assert_string_equal(out.l_source, "unknown");
}

static void
test_context_and_weights(void **state)
{
	static const struct {
		enum vg_finding_status status;
		double w;
	} weights[] = {
		{VG_FS_FIX_AVAILABLE, 1.0}, {VG_FS_END_OF_LIFE, 1.0},   {VG_FS_NO_FIX, 0.2},
		{VG_FS_NO_DSA, 0.05},       {VG_FS_WILL_NOT_FIX, 0.03},
	};
	struct vg_score_in in = base_in();
	struct vg_score_out out;

	(void)state;
	in.cvss_v3 = 7.5;
	in.has_epss = true;
	in.epss = 0.04;
	vg_score_finding(&in, &out);
	assert_near(out.c, 1.0);
	assert_near(out.risk, 0.75 * 0.2);
	in.running = true;
	vg_score_finding(&in, &out);
	assert_near(out.c, 1.2);
	in.device_exposed = true;
	vg_score_finding(&in, &out);
	assert_near(out.c, 1.2 * 1.1);
	assert_near(out.risk, 0.75 * 0.2 * 1.32);
	in.listening = true;
	vg_score_finding(&in, &out);
	assert_near(out.c, 1.65);
	in.running = in.listening = in.device_exposed = false;
	for (size_t i = 0; i < sizeof(weights) / sizeof(weights[0]); i++) {
		in.status = weights[i].status;
		vg_score_finding(&in, &out);
		assert_near(out.w, weights[i].w);
		assert_near(out.risk, 0.75 * 0.2 * weights[i].w);
	}
	/* No fix is weighted below a fix available; distro-minor lower still. */
	assert_true(VG_W_NO_FIX < VG_W_FIX_AVAILABLE);
	assert_true(VG_W_NO_DSA < VG_W_NO_FIX && VG_W_WILL_NOT_FIX < VG_W_NO_FIX);
	/* "unimportant": Low whatever the CVSS, and a fifth of the weight. */
	in.cvss_v3 = 9.8;
	in.status = VG_FS_NO_FIX;
	in.urgency = "unimportant";
	vg_score_finding(&in, &out);
	assert_int_equal(out.severity, VG_FSEV_LOW);
	assert_near(out.base, 9.8);
	assert_near(out.w, 0.2 * 0.2);
}

static void
test_exposure(void **state)
{
	double prev = -1;

	(void)state;
	assert_near(vg_exposure_score(0), 0.0);
	assert_near(vg_exposure_score(-1), 0.0);
	/* Calibration: sum(r) = K ln(1/0.7) = 0.856 gives 30, K ln(1/0.3) = 2.890 gives 70. */
	assert_near(vg_exposure_score(0.856), 30.0);
	assert_near(vg_exposure_score(2.890), 70.0);
	assert_near(vg_exposure_score(0.98), 33.5); /* one KEV critical: medium */
	assert_near(vg_exposure_score(3 * 0.98), 70.6);
	assert_near(vg_exposure_score(1.178375), 38.8);
	/* Every remediation lowers it: strictly increasing in sum(r) below saturation. */
	for (double s = 0.01; s < 20; s += 0.05) {
		double e = vg_exposure_score(s);

		assert_true(e >= prev && e <= 100.0);
		prev = e;
	}
	assert_int_equal(vg_exposure_band(0), VG_BAND_LOW);
	assert_int_equal(vg_exposure_band(29.9), VG_BAND_LOW);
	assert_int_equal(vg_exposure_band(30.0), VG_BAND_MEDIUM);
	assert_int_equal(vg_exposure_band(69.9), VG_BAND_MEDIUM);
	assert_int_equal(vg_exposure_band(70.0), VG_BAND_HIGH);
	assert_int_equal(vg_exposure_band(100.0), VG_BAND_HIGH);
	assert_string_equal(vg_band_name(VG_BAND_MEDIUM), "medium");
}

/* ---- a report ---- */

static void
fill_kb(struct kbt *t)
{
	struct vg_affected a = {.ns = "debian:11", .scheme = VG_VER_DPKG, .status = VG_AFF_FIXED};

	kbt_begin_mode(t, "debian-dsa", VG_FEED_REPLACE, "2023-04-01");
	/* DSA-5020-1 apache-log4j2 2.15.0-1~deb11u1; bullseye shipped 2.13.3-1. */
	a.vuln_id = "CVE-2021-44228";
	a.advisory = "DSA-5020-1";
	a.package = "apache-log4j2";
	a.fixed = "2.15.0-1~deb11u1";
	kbt_aff(t, a);
	a.vuln_id = "CVE-2023-0001";
	a.advisory = "DSA-9001-1";
	a.package = "openssl";
	a.fixed = "1.1.1n-0+deb11u4";
	kbt_aff(t, a);
	kbt_end(t);
	kbt_begin_mode(t, "debian-tracker", VG_FEED_REPLACE, NULL);
	a = (struct vg_affected){.vuln_id = "CVE-2023-0006",
				 .ns = "debian:11",
				 .package = "openssl",
				 .scheme = VG_VER_DPKG,
				 .status = VG_AFF_AFFECTED,
				 .note = "a \"quoted\", note"};
	kbt_aff(t, a);
	kbt_end(t);
	kbt_begin(t, "nvd");
	kbt_vuln_simple(t, "CVE-2021-44228", NULL, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
	kbt_vuln_simple(t, "CVE-2023-0001", NULL, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
	kbt_end(t);
	kbt_begin_mode(t, "kev", VG_FEED_REPLACE, "2025-08-25");
	kbt_kev(t, "CVE-2021-44228", "2021-12-10", "2021-12-24", true);
	kbt_end(t);
	kbt_begin_mode(t, "epss", VG_FEED_REPLACE, "2026-08-16");
	kbt_epss(t, "CVE-2021-44228", 0.99999, 1.0);
	kbt_epss(t, "CVE-2023-0001", 0.0004, 0.1);
	kbt_end(t);
}

static struct vg_package *
add_deb(struct vg_inventory *inv, const char *name, const char *version, const char *src)
{
	struct vg_package *p = vg_inv_add_package(inv, VG_PKG_DEB);

	p->name = name;
	p->version = version;
	p->source_name = src;
	p->source_version = version;
	p->path = "/var/lib/dpkg/status";
	return p;
}

static void
make_inventory(struct vg_inventory *inv)
{
	struct vg_listener *l;

	vg_inventory_init(inv, "/");
	inv->os.id = "debian";
	inv->os.version_id = "11";
	inv->os.pretty_name = "Debian GNU/Linux 11 (bullseye)";
	inv->os.namespace_ = "debian:11";
	inv->os.hostname = "web1";
	add_deb(inv, "liblog4j2-java", "2.13.3-1", "apache-log4j2");
	add_deb(inv, "libssl1.1", "1.1.1n-0+deb11u3", "openssl");
	add_deb(inv, "openssl", "1.1.1n-0+deb11u3", "openssl");
	add_deb(inv, "zlib1g", "1:1.2.11.dfsg-2+deb11u2", "zlib");
	l = vg_inv_add_listener(inv);
	l->package = "openssl";
	l->address = "0.0.0.0";
	l->port = 4433;
	inv->network_exposed = true;
}

struct report_fixture {
	struct kbt t;
	struct vg_inventory inv;
	struct vg_matcher *m;
	struct vg_scan_report r;
};

static int
report_setup(void **state)
{
	struct report_fixture *f = calloc(1, sizeof(*f));
	struct vg_err err;

	kbt_open(&f->t);
	fill_kb(&f->t);
	make_inventory(&f->inv);
	f->m = vg_matcher_new(f->t.kb);
	vg_err_clear(&err);
	if (vg_report_build(&f->r, &f->inv, f->m, 0, "test.db", &err) != VG_OK)
		fail_msg("report: %s", err.msg);
	*state = f;
	return 0;
}

static int
report_teardown(void **state)
{
	struct report_fixture *f = *state;

	vg_report_release(&f->r);
	vg_matcher_free(f->m);
	f->inv.os = (struct vg_os){0};
	vg_inventory_release(&f->inv);
	kbt_close(&f->t);
	free(f);
	return 0;
}

static void
test_report_build(void **state)
{
	struct report_fixture *f = *state;
	const struct vg_scan_report *r = &f->r;

	assert_int_equal(r->ntuples, 3);
	assert_int_equal(r->nfindings, 3);
	assert_int_equal(r->by_kind[VG_MATCH_DISTRO], 3);
	/* Priority: KEV log4j, then the listening openssl CVE with CVSS, then the unknown one. */
	assert_string_equal(r->findings[0].vm->id, "CVE-2021-44228");
	assert_int_equal(r->findings[0].rank, 1);
	assert_near(r->findings[0].score.risk, 1.1);
	assert_int_equal(r->findings[0].score.severity, VG_FSEV_CRITICAL);
	assert_true(r->findings[0].info->kev);
	assert_string_equal(r->findings[0].pkg->name, "liblog4j2-java");
	assert_string_equal(r->findings[1].vm->id, "CVE-2023-0001");
	assert_near(r->findings[1].score.risk, 0.75 * 0.05 * 1.65);
	assert_string_equal(r->findings[1].pkg->name, "openssl"); /* named like the source */
	assert_string_equal(r->findings[2].vm->id, "CVE-2023-0006");
	assert_near(r->findings[2].score.risk, 0.5 * 0.1 * 1.65 * 0.2);
	assert_int_equal(r->findings[2].score.severity, VG_FSEV_UNKNOWN);
	assert_int_equal(r->by_sev[VG_FSEV_CRITICAL], 1);
	assert_int_equal(r->by_sev[VG_FSEV_HIGH], 1);
	assert_int_equal(r->by_sev[VG_FSEV_UNKNOWN], 1);
	assert_int_equal(r->by_status[VG_FS_FIX_AVAILABLE], 2);
	assert_int_equal(r->by_status[VG_FS_NO_FIX], 1);
	assert_int_equal(r->nkev, 1);
	assert_near(r->risk_sum, 1.178375);
	assert_near(r->risk_fixable, 1.161875);
	assert_near(r->exposure, 38.8);
	assert_int_equal(r->band, VG_BAND_MEDIUM);
	assert_int_equal(r->nsources, 5);
	/* --fail-on thresholds. */
	assert_int_equal(vg_report_count_at_least(r, VG_FSEV_CRITICAL), 1);
	assert_int_equal(vg_report_count_at_least(r, VG_FSEV_HIGH), 2);
	assert_int_equal(vg_report_count_at_least(r, VG_FSEV_LOW), 2);
	assert_int_equal(vg_report_count_at_least(r, VG_FSEV_UNKNOWN), 3);
}

static json_t *
parse(const struct vg_buf *b)
{
	json_error_t jerr;
	json_t *doc = json_loadb(b->p, b->len, 0, &jerr);

	if (!doc)
		fail_msg("not JSON: %s (line %d): %.200s", jerr.text, jerr.line, b->p);
	return doc;
}

static const char *
jstr(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void
test_report_json(void **state)
{
	struct report_fixture *f = *state;
	json_t *doc, *fs, *first, *sum, *ev;
	struct vg_buf out;

	vg_buf_init(&out, VG_BUF_NOLIMIT);
	assert_int_equal(vg_report_write_json(&f->r, &out, VG_REPORT_PRETTY), VG_OK);
	doc = parse(&out);
	assert_string_equal(jstr(json_object_get(doc, "device"), "hostname"), "web1");
	assert_string_equal(jstr(json_object_get(doc, "device"), "namespace"), "debian:11");
	fs = json_object_get(doc, "findings");
	assert_int_equal(json_array_size(fs), 3);
	first = json_array_get(fs, 0);
	assert_string_equal(jstr(first, "cveId"), "CVE-2021-44228");
	assert_string_equal(jstr(first, "package"), "liblog4j2-java");
	assert_string_equal(jstr(first, "packageVersion"), "2.13.3-1");
	assert_string_equal(jstr(first, "sourcePackage"), "apache-log4j2");
	assert_string_equal(jstr(first, "fixedVersion"), "2.15.0-1~deb11u1");
	assert_string_equal(jstr(first, "status"), "fixAvailable");
	assert_string_equal(jstr(first, "severity"), "Critical");
	assert_string_equal(jstr(first, "confidence"), "high");
	assert_string_equal(jstr(first, "source"), "debian-dsa");
	assert_true(json_is_true(json_object_get(first, "kev")));
	assert_string_equal(jstr(first, "kevDueDate"), "2021-12-24");
	assert_true(json_is_true(json_object_get(first, "kevRansomware")));
	assert_near(json_real_value(json_object_get(json_object_get(first, "cvssV3"), "score")),
		    10.0);
	assert_string_equal(jstr(json_object_get(first, "cvssV3"), "vector"),
			    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
	assert_near(json_real_value(json_object_get(json_object_get(first, "epss"), "probability")),
		    0.99999);
	assert_near(json_real_value(json_object_get(first, "risk")), 1.1);
	ev = json_array_get(json_object_get(first, "evidence"), 0);
	assert_string_equal(jstr(ev, "record"), "DSA-5020-1");
	assert_string_equal(jstr(ev, "comparator"), "dpkg");
	assert_string_equal(jstr(ev, "verdict"), "affected");
	/* No fix: fixedVersion is null, not absent. */
	assert_true(json_is_null(json_object_get(json_array_get(fs, 2), "fixedVersion")));
	assert_true(json_is_null(json_object_get(json_array_get(fs, 2), "epss")));
	sum = json_object_get(doc, "summary");
	assert_int_equal(json_integer_value(json_object_get(sum, "findings")), 3);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(sum, "bySeverity"), "critical")),
		1);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(sum, "byStatus"), "noFix")), 1);
	assert_near(json_real_value(json_object_get(sum, "exposureScore")), 38.8);
	assert_string_equal(jstr(sum, "band"), "medium");
	assert_int_equal(
		json_array_size(json_object_get(json_object_get(sum, "knowledgeBase"), "sources")),
		5);
	json_decref(doc);
	vg_buf_release(&out);
}

static void
test_report_csv(void **state)
{
	struct report_fixture *f = *state;
	struct vg_buf out;
	size_t lines = 0;

	vg_buf_init(&out, VG_BUF_NOLIMIT);
	assert_int_equal(vg_report_write_csv(&f->r, &out), VG_OK);
	assert_true(strncmp(out.p, "priority,risk,severity,cve_id,id,package,", 41) == 0);
	for (const char *p = out.p; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, 4);
	assert_non_null(strstr(out.p, "\r\n1,1.1000,Critical,CVE-2021-44228,CVE-2021-44228,"
				      "liblog4j2-java,2.13.3-1,apache-log4j2,2.13.3-1,"
				      "2.15.0-1~deb11u1,fixAvailable,high,10.0,0.99999,1.00000,"
				      "true,true,debian-dsa,debian:11,liblog4j2-java\r\n"));
	/* Two binaries of one source: quoted because of the comma. */
	assert_non_null(strstr(out.p, ",\"libssl1.1, openssl\"\r\n"));
	vg_buf_release(&out);
}

static void
test_report_sarif(void **state)
{
	struct report_fixture *f = *state;
	json_t *doc, *run, *rules, *results, *res, *loc;
	struct vg_buf out;

	vg_buf_init(&out, VG_BUF_NOLIMIT);
	assert_int_equal(vg_report_write_sarif(&f->r, &out, 0), VG_OK);
	doc = parse(&out);
	assert_string_equal(jstr(doc, "version"), "2.1.0");
	run = json_array_get(json_object_get(doc, "runs"), 0);
	assert_string_equal(jstr(json_object_get(json_object_get(run, "tool"), "driver"), "name"),
			    "vigil");
	rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	results = json_object_get(run, "results");
	assert_int_equal(json_array_size(rules), 3);
	assert_int_equal(json_array_size(results), 3);
	res = json_array_get(results, 0);
	assert_string_equal(jstr(res, "ruleId"), "CVE-2021-44228");
	assert_int_equal(json_integer_value(json_object_get(res, "ruleIndex")), 0);
	assert_string_equal(jstr(res, "level"), "error");
	assert_string_equal(jstr(json_array_get(results, 2), "level"), "note");
	assert_string_equal(
		jstr(json_object_get(json_array_get(rules, 0), "properties"), "security-severity"),
		"10.0");
	loc = json_array_get(json_object_get(res, "locations"), 0);
	loc = json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation");
	assert_string_equal(jstr(loc, "uri"), "var/lib/dpkg/status");
	assert_string_equal(jstr(loc, "uriBaseId"), "SCANROOT");
	json_decref(doc);
	vg_buf_release(&out);
}

static void
test_report_table(void **state)
{
	struct report_fixture *f = *state;
	struct vg_buf out;
	const char *line;

	vg_buf_init(&out, VG_BUF_NOLIMIT);
	assert_int_equal(vg_report_write_table(&f->r, &out, 0, 0), VG_OK);
	assert_null(strchr(out.p, '\033')); /* no colours unless asked */
	assert_non_null(strstr(out.p, "Exposure   38.8 / 100 MEDIUM"));
	assert_non_null(strstr(out.p, "Findings   3: 1 critical, 1 high, 0 medium, 0 low, 1 "
				      "unknown severity; 1 in CISA KEV"));
	line = strstr(out.p, "  1  ");
	assert_non_null(line);
	assert_non_null(strstr(line, "CVE-2021-44228"));
	assert_non_null(strstr(line, "apache-log4j2 (liblog4j2-java)"));
	assert_non_null(strstr(line, "KEV"));
	vg_buf_reset(&out);
	/* A narrow terminal: every line fits. */
	assert_int_equal(vg_report_write_table(&f->r, &out, 80, VG_REPORT_COLOR), VG_OK);
	assert_non_null(strchr(out.p, '\033'));
	for (line = out.p; *line;) {
		const char *nl = strchr(line, '\n');
		size_t width = 0;

		assert_non_null(nl);
		for (const char *c = line; c < nl; c++) {
			if (*c == '\033') { /* skip the colour sequence */
				while (c < nl && *c != 'm')
					c++;
				continue;
			}
			width += ((unsigned char)*c & 0xC0) != 0x80;
		}
		if (width > 80)
			fail_msg("line wider than 80: %.*s", (int)(nl - line), line);
		line = nl + 1;
	}
	vg_buf_release(&out);
}

/* |a - b| <= eps (cmocka 1.1.5 has no assert_double_equal). */
#define assert_close(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

/* The organization score: weighted average of device scores, and exact impacts. */
static void
test_org_exposure(void **state)
{
	struct vg_org_device d[20];
	double removed[20] = {0};
	enum vg_device_value v;

	(void)state;
	assert_true(vg_device_value_parse("High", &v) && v == VG_VALUE_HIGH);
	assert_false(vg_device_value_parse("high", &v));
	assert_false(vg_device_value_parse(NULL, &v));
	assert_true(vg_org_exposure(d, 0, NULL) == 0.0);
	/* Weights: Low 0.75, Normal 1, High N/10 but never below Normal. */
	assert_true(vg_org_weight(VG_VALUE_LOW, 100) == 0.75);
	assert_true(vg_org_weight(VG_VALUE_NORMAL, 100) == 1.0);
	assert_true(vg_org_weight(VG_VALUE_HIGH, 100) == 10.0);
	assert_true(vg_org_weight(VG_VALUE_HIGH, 3) == 1.0);
	/* Two devices: E(2.4) = 100(1 - 1/e) = 63.21..., E(0) = 0. */
	d[0] = (struct vg_org_device){2.4, VG_VALUE_NORMAL};
	d[1] = (struct vg_org_device){0.0, VG_VALUE_NORMAL};
	assert_close(vg_org_exposure(d, 2, NULL), 50.0 * (1.0 - exp(-1.0)), 1e-12);
	/* A Low device weighs 0.75: (0.75 x 63.21 + 0) / 1.75. */
	d[0].value = VG_VALUE_LOW;
	assert_close(vg_org_exposure(d, 2, NULL), 0.75 * 100.0 * (1.0 - exp(-1.0)) / 1.75, 1e-12);
	/* Removing the risk a recommendation fixes; over-removal clamps at 0. */
	removed[0] = 1.2;
	assert_close(vg_org_exposure(d, 2, removed), 0.75 * 100.0 * (1.0 - exp(-0.5)) / 1.75,
		     1e-12);
	removed[0] = 5.0;
	assert_close(vg_org_exposure(d, 2, removed), 0.0, 1e-12);
	/* Twenty devices, one High (weight 2): it counts twice. */
	for (int i = 0; i < 20; i++)
		d[i] = (struct vg_org_device){i == 0 ? 2.4 : 0.0,
					      i == 0 ? VG_VALUE_HIGH : VG_VALUE_NORMAL};
	assert_close(vg_org_exposure(d, 20, NULL), 2.0 * 100.0 * (1.0 - exp(-1.0)) / 21.0, 1e-12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_base_order),
		cmocka_unit_test(test_likelihood),
		cmocka_unit_test(test_context_and_weights),
		cmocka_unit_test(test_exposure),
		cmocka_unit_test_setup_teardown(test_report_build, report_setup, report_teardown),
		cmocka_unit_test_setup_teardown(test_report_json, report_setup, report_teardown),
		cmocka_unit_test_setup_teardown(test_report_csv, report_setup, report_teardown),
		cmocka_unit_test_setup_teardown(test_report_sarif, report_setup, report_teardown),
		cmocka_unit_test_setup_teardown(test_report_table, report_setup, report_teardown),
		cmocka_unit_test(test_org_exposure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
