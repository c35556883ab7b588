/*
 * test_match.c - unit tests of src/engine/match.c.
 *
 * One statement against a version (every status and bound), then a real
 * knowledge base (a temporary SQLite file filled through vg_kb_sink() with
 * hand-made statements) matched through the cached matcher: Debian
 * statements from several sources that agree and disagree, the backport
 * rule, OSV intervals with fixed / last_affected / exact versions grouped
 * by CVE alias, NVD CPE configurations only for uncovered namespaces (AND
 * configurations with platform criteria), the cache, and the tuples of an
 * inventory (source packages, binNMUs, OS-managed Python packages,
 * processes and listeners).
 *
 * Every dpkg comparison an expectation depends on was checked with
 * `dpkg --compare-versions` (dpkg 1.21.22), e.g.
 *   1.1.1n-0+deb11u3 lt 1.1.1n-0+deb11u4, ge ...u3, gt ...u2, lt ...u5;
 *   1.0-1 ge 1.0-1~deb11u1;  1:1.0-1 gt 1.2-3;  1.2-3+b1 gt 1.2-3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/inventory.h"
#include "engine/match.h"
#include "kbtest.h"
#include "vgtest.h"

/* ---- one statement ---- */

static enum vg_verdict
verdict(struct vg_affected a, const char *version)
{
	return vg_match_statement(&a, version, NULL);
}

static void
test_statement_fixed(void **state)
{
	struct vg_affected a = {
		.scheme = VG_VER_DPKG, .status = VG_AFF_FIXED, .fixed = "1.1.1n-0+deb11u3"};

	(void)state;
	assert_int_equal(verdict(a, "1.1.1n-0+deb11u2"), VG_VERDICT_AFFECTED);
	assert_int_equal(verdict(a, "1.1.1n-0+deb11u3"), VG_VERDICT_FIXED); /* at */
	assert_int_equal(verdict(a, "1.1.1n-0+deb11u4"), VG_VERDICT_FIXED); /* above */
	assert_int_equal(verdict(a, "1:1.0-1"), VG_VERDICT_FIXED);          /* the epoch wins */
	a.fixed = "1.0-1~deb11u1";
	assert_int_equal(verdict(a, "1.0-1"), VG_VERDICT_FIXED); /* ~ sorts before */
	assert_int_equal(verdict(a, "1.0-0"), VG_VERDICT_AFFECTED);
	/* Below the first affected version. */
	a = (struct vg_affected){.scheme = VG_VER_PEP440,
				 .status = VG_AFF_FIXED,
				 .introduced = "2015.4.28",
				 .fixed = "2023.7.22"};
	assert_int_equal(verdict(a, "2014.1"), VG_VERDICT_OUT_OF_RANGE);
	assert_int_equal(verdict(a, "2015.04.28"), VG_VERDICT_AFFECTED); /* PEP 440 equality */
	assert_int_equal(verdict(a, "2022.12.7"), VG_VERDICT_AFFECTED);
	assert_int_equal(verdict(a, "2023.7.22"), VG_VERDICT_FIXED);
	/* A fixed status without a fixed version cannot be resolved by it. */
	a = (struct vg_affected){.scheme = VG_VER_DPKG, .status = VG_AFF_FIXED};
	assert_int_equal(verdict(a, "1.0-1"), VG_VERDICT_AFFECTED);
}

static void
test_statement_open_bounds(void **state)
{
	struct vg_affected a = {.scheme = VG_VER_PEP440,
				.status = VG_AFF_AFFECTED,
				.introduced = "1.0",
				.last_affected = "1.4"};

	(void)state;
	assert_int_equal(verdict(a, "0.9"), VG_VERDICT_OUT_OF_RANGE);
	assert_int_equal(verdict(a, "1.0"), VG_VERDICT_AFFECTED);
	assert_int_equal(verdict(a, "1.4"), VG_VERDICT_AFFECTED); /* inclusive */
	assert_int_equal(verdict(a, "1.4.1"), VG_VERDICT_OUT_OF_RANGE);
	a = (struct vg_affected){
		.scheme = VG_VER_SEMVER, .status = VG_AFF_AFFECTED, .exact = "1.0.0"};
	assert_int_equal(verdict(a, "1.0.0"), VG_VERDICT_AFFECTED);
	assert_int_equal(verdict(a, "1.0.1"), VG_VERDICT_OUT_OF_RANGE);
	/* Every distro decision without bounds covers every version. */
	for (int s = VG_AFF_AFFECTED; s <= VG_AFF_END_OF_LIFE; s++) {
		a = (struct vg_affected){.scheme = VG_VER_DPKG, .status = (enum vg_aff_status)s};
		assert_int_equal(verdict(a, "1.0-1"), VG_VERDICT_AFFECTED);
	}
	a.status = VG_AFF_UNDETERMINED;
	assert_int_equal(verdict(a, "1.0-1"), VG_VERDICT_AFFECTED);
	a.status = VG_AFF_NOT_AFFECTED;
	assert_int_equal(verdict(a, "1.0-1"), VG_VERDICT_NOT_AFFECTED);
}

static void
test_statement_errors(void **state)
{
	struct vg_affected a = {.scheme = VG_VER_DPKG, .status = VG_AFF_FIXED, .fixed = "1.0-1"};
	struct vg_err err;

	(void)state;
	vg_err_clear(&err);
	assert_int_equal(vg_match_statement(&a, "1.0 1", &err), VG_VERDICT_ERROR);
	assert_true(err.msg[0] != '\0');
	a.fixed = "1:"; /* a broken feed version is an error, never a guess */
	assert_int_equal(verdict(a, "1.0-1"), VG_VERDICT_ERROR);
}

/* ---- the knowledge base ---- */

static const struct vg_vuln_match *
find_vuln(const struct vg_tuple_result *r, const char *id)
{
	for (size_t i = 0; i < r->nvulns; i++)
		if (strcmp(r->vulns[i].id, id) == 0)
			return &r->vulns[i];
	return NULL;
}

static const struct vg_tuple_result *
match(struct vg_matcher *m, const char *ns, const char *pkg, const char *ver,
      enum vg_ver_scheme scheme, const char *platform)
{
	struct vg_tuple t = {ns, pkg, ver, scheme};
	const struct vg_tuple_result *r = NULL;
	struct vg_err err;

	vg_err_clear(&err);
	if (vg_matcher_match(m, &t, platform, &r, &err) != VG_OK)
		fail_msg("match %s %s %s: %s", ns, pkg, ver, err.msg);
	return r;
}

/* A Debian statement in namespace @ns (source package names, dpkg versions). */
static struct vg_affected
deb(const char *ns, const char *cve, const char *adv, const char *pkg, enum vg_aff_status st,
    const char *fixed)
{
	return (struct vg_affected){.vuln_id = cve,
				    .advisory = adv,
				    .ns = ns,
				    .package = pkg,
				    .scheme = VG_VER_DPKG,
				    .status = st,
				    .fixed = fixed};
}

/*
 * openssl in debian:11 as three sources describe it.  Installed 1.1.1n-0+deb11u3.
 *   CVE-2023-0001  DSA fixed u4 (above)                         -> fixAvailable u4
 *   CVE-2023-0002  DSA fixed u3 (at)                            -> resolved
 *   CVE-2023-0003  DSA fixed u2 (below)                         -> resolved
 *   CVE-2023-0004  DSA fixed u5 (above), tracker not-affected   -> resolved
 *   CVE-2023-0005  DLA fixed u2 (below), tracker fixed u5       -> resolved (backport rule)
 *   CVE-2023-0006  tracker open, urgency unimportant             -> noFix
 *   CVE-2023-0007  tracker no-dsa                               -> noDsa
 *   CVE-2023-0008  tracker will-not-fix, OSV affected           -> willNotFix
 *   CVE-2023-0009  tracker end-of-life                          -> endOfLife
 *   CVE-2023-0010  DSA fixed u7, tracker fixed u6 (both above)  -> fixAvailable u6
 *   CVE-2023-0011  tracker undetermined                         -> noFix, confidence medium
 *   CVE-2023-0012  only in debian:10 (fixed far above)          -> nothing
 *   CVE-2023-0013  DSA fixed u4 for openssl1.0 (other package)  -> nothing
 */
static void
fill_debian(struct kbt *t)
{
	const char *d11 = "debian:11";

	kbt_begin(t, "debian-dsa");
	kbt_aff(t,
		deb(d11, "CVE-2023-0001", "DSA-1-1", "openssl", VG_AFF_FIXED, "1.1.1n-0+deb11u4"));
	kbt_aff(t,
		deb(d11, "CVE-2023-0002", "DSA-2-1", "openssl", VG_AFF_FIXED, "1.1.1n-0+deb11u3"));
	kbt_aff(t,
		deb(d11, "CVE-2023-0003", "DSA-3-1", "openssl", VG_AFF_FIXED, "1.1.1n-0+deb11u2"));
	kbt_aff(t,
		deb(d11, "CVE-2023-0004", "DSA-4-1", "openssl", VG_AFF_FIXED, "1.1.1n-0+deb11u5"));
	kbt_aff(t,
		deb(d11, "CVE-2023-0010", "DSA-10-1", "openssl", VG_AFF_FIXED, "1.1.1n-0+deb11u7"));
	kbt_aff(t, deb(d11, "CVE-2023-0013", "DSA-13-1", "openssl1.0", VG_AFF_FIXED,
		       "1.1.1n-0+deb11u4"));
	kbt_aff(t,
		deb("debian:10", "CVE-2023-0012", "DLA-12-1", "openssl", VG_AFF_FIXED, "9.9.9-1"));
	kbt_end(t);
	kbt_begin(t, "debian-dla");
	kbt_aff(t,
		deb(d11, "CVE-2023-0005", "DLA-5-1", "openssl", VG_AFF_FIXED, "1.1.1n-0+deb11u2"));
	kbt_end(t);
	kbt_begin(t, "debian-tracker");
	kbt_aff(t, deb(d11, "CVE-2023-0004", NULL, "openssl", VG_AFF_NOT_AFFECTED, NULL));
	kbt_aff(t, deb(d11, "CVE-2023-0005", NULL, "openssl", VG_AFF_FIXED, "1.1.1n-0+deb11u5"));
	{
		struct vg_affected a =
			deb(d11, "CVE-2023-0006", NULL, "openssl", VG_AFF_AFFECTED, NULL);

		a.urgency = "unimportant";
		kbt_aff(t, a);
	}
	kbt_aff(t, deb(d11, "CVE-2023-0007", NULL, "openssl", VG_AFF_NO_DSA, NULL));
	kbt_aff(t, deb(d11, "CVE-2023-0008", NULL, "openssl", VG_AFF_WONT_FIX, NULL));
	kbt_aff(t, deb(d11, "CVE-2023-0009", NULL, "openssl", VG_AFF_END_OF_LIFE, NULL));
	kbt_aff(t, deb(d11, "CVE-2023-0010", NULL, "openssl", VG_AFF_FIXED, "1.1.1n-0+deb11u6"));
	kbt_aff(t, deb(d11, "CVE-2023-0011", NULL, "openssl", VG_AFF_UNDETERMINED, NULL));
	kbt_end(t);
	kbt_begin(t, "osv");
	kbt_aff(t, deb(d11, "CVE-2023-0008", "DSA-8-1", "openssl", VG_AFF_AFFECTED, NULL));
	kbt_end(t);
}

static void
test_debian_rules(void **state)
{
	const struct vg_vuln_match *v;
	const struct vg_tuple_result *r;
	struct vg_matcher *m;
	struct kbt t;

	(void)state;
	kbt_open(&t);
	fill_debian(&t);
	m = vg_matcher_new(t.kb);
	r = match(m, "debian:11", "openssl", "1.1.1n-0+deb11u3", VG_VER_DPKG, "debian:11");
	assert_int_equal(r->kind, VG_MATCH_DISTRO);
	assert_int_equal(r->nwarnings, 0);
	assert_int_equal(r->nvulns, 7);
	assert_int_equal(r->nresolved, 4);     /* 0002, 0003, 0004, 0005 */
	for (size_t i = 1; i < r->nvulns; i++) /* sorted by id */
		assert_true(strcmp(r->vulns[i - 1].id, r->vulns[i].id) < 0);

	v = find_vuln(r, "CVE-2023-0001");
	assert_non_null(v);
	assert_int_equal(v->status, VG_FS_FIX_AVAILABLE);
	assert_string_equal(v->fixed_version, "1.1.1n-0+deb11u4");
	assert_string_equal(v->source, "debian-dsa");
	assert_int_equal(v->confidence, VG_CONF_HIGH);
	assert_int_equal(v->nevidence, 1);
	assert_string_equal(v->evidence[0].record, "DSA-1-1");
	assert_string_equal(v->evidence[0].scheme, "dpkg");
	assert_string_equal(v->evidence[0].status, "fixed");
	assert_string_equal(v->evidence[0].fixed, "1.1.1n-0+deb11u4");
	assert_int_equal(v->evidence[0].verdict, VG_VERDICT_AFFECTED);

	assert_null(find_vuln(r, "CVE-2023-0002"));
	assert_null(find_vuln(r, "CVE-2023-0003"));
	assert_null(find_vuln(r, "CVE-2023-0004")); /* not-affected overrides the DSA */
	assert_null(find_vuln(r, "CVE-2023-0005")); /* fixed at or below wins over "above" */

	v = find_vuln(r, "CVE-2023-0006");
	assert_non_null(v);
	assert_int_equal(v->status, VG_FS_NO_FIX);
	assert_null(v->fixed_version);
	assert_string_equal(v->urgency, "unimportant");

	v = find_vuln(r, "CVE-2023-0007");
	assert_non_null(v);
	assert_int_equal(v->status, VG_FS_NO_DSA);

	v = find_vuln(r, "CVE-2023-0008");
	assert_non_null(v);
	assert_int_equal(v->status, VG_FS_WILL_NOT_FIX); /* the distro's decision wins */
	assert_int_equal(v->nevidence, 2);               /* both statements are evidence */

	v = find_vuln(r, "CVE-2023-0009");
	assert_non_null(v);
	assert_int_equal(v->status, VG_FS_END_OF_LIFE);

	v = find_vuln(r, "CVE-2023-0010");
	assert_non_null(v);
	assert_int_equal(v->status, VG_FS_FIX_AVAILABLE);
	assert_string_equal(v->fixed_version, "1.1.1n-0+deb11u6"); /* the lowest fix above */
	assert_string_equal(v->source, "debian-tracker");
	assert_int_equal(v->nevidence, 2);

	v = find_vuln(r, "CVE-2023-0011");
	assert_non_null(v);
	assert_int_equal(v->status, VG_FS_NO_FIX);
	assert_int_equal(v->confidence, VG_CONF_MEDIUM);

	assert_null(find_vuln(r, "CVE-2023-0012")); /* debian:10 only */
	assert_null(find_vuln(r, "CVE-2023-0013")); /* another source package */

	/* Up to date: only the distro's open decisions remain. */
	r = match(m, "debian:11", "openssl", "1.1.1n-0+deb11u7", VG_VER_DPKG, "debian:11");
	assert_int_equal(r->nvulns, 5);
	assert_null(find_vuln(r, "CVE-2023-0001"));
	assert_null(find_vuln(r, "CVE-2023-0010"));
	assert_int_equal(r->nresolved, 6);

	/* A version dpkg rejects is a warning and no guess. */
	r = match(m, "debian:11", "openssl", "1.1.1n 0", VG_VER_DPKG, "debian:11");
	assert_int_equal(r->nvulns, 0);
	assert_int_equal(r->nwarnings, 1);
	assert_non_null(strstr(r->warnings[0], "not a valid dpkg version"));
	vg_matcher_free(m);
	kbt_close(&t);
}

/*
 * PyPI: PYSEC-2023-135 and GHSA-xqr8-7jwr-rhp7 are the same flaw (CVE-2023-37920, the real
 * certifi records' interval [2015.4.28, 2023.7.22)); "django" has two intervals of one
 * record; "foo" a last_affected bound; "bar" an explicit version list.
 */
static void
fill_pypi(struct kbt *t)
{
	struct vg_affected a = {.ns = "PyPI", .scheme = VG_VER_PEP440, .status = VG_AFF_FIXED};

	kbt_begin(t, "osv");
	kbt_vuln_simple(t, "PYSEC-2023-135", "CVE-2023-37920", NULL);
	kbt_vuln_simple(t, "PYSEC-2099-1", NULL, NULL);
	kbt_vuln_simple(t, "PYSEC-2099-2", "CVE-2099-0002", NULL);
	kbt_vuln_simple(t, "PYSEC-2099-3", "CVE-2099-0003", NULL);
	a.vuln_id = a.advisory = "PYSEC-2023-135";
	a.package = "certifi";
	a.introduced = "2015.4.28";
	a.fixed = "2023.7.22";
	kbt_aff(t, a);
	a = (struct vg_affected){.ns = "PyPI", .scheme = VG_VER_PEP440, .status = VG_AFF_FIXED};
	a.vuln_id = a.advisory = "PYSEC-2099-1";
	a.package = "django";
	a.introduced = "1.0";
	a.fixed = "1.5";
	kbt_aff(t, a);
	a.introduced = "2.0";
	a.fixed = "2.3";
	kbt_aff(t, a);
	a = (struct vg_affected){.ns = "PyPI", .scheme = VG_VER_PEP440, .status = VG_AFF_AFFECTED};
	a.vuln_id = a.advisory = "PYSEC-2099-2";
	a.package = "foo";
	a.introduced = "1.0";
	a.last_affected = "1.4";
	kbt_aff(t, a);
	a = (struct vg_affected){.ns = "PyPI", .scheme = VG_VER_PEP440, .status = VG_AFF_AFFECTED};
	a.vuln_id = a.advisory = "PYSEC-2099-3";
	a.package = "bar";
	a.exact = "0.9";
	kbt_aff(t, a);
	a.exact = "0.9.2";
	kbt_aff(t, a);
	kbt_end(t);
	kbt_begin(t, "ghsa");
	kbt_vuln_simple(t, "GHSA-xqr8-7jwr-rhp7", "CVE-2023-37920", NULL);
	a = (struct vg_affected){.ns = "PyPI", .scheme = VG_VER_PEP440, .status = VG_AFF_FIXED};
	a.vuln_id = a.advisory = "GHSA-xqr8-7jwr-rhp7";
	a.package = "certifi";
	a.introduced = "2015.4.28";
	a.fixed = "2023.7.22";
	kbt_aff(t, a);
	kbt_end(t);
}

static void
test_osv_intervals(void **state)
{
	const struct vg_vuln_match *v;
	const struct vg_tuple_result *r;
	struct vg_matcher *m;
	struct kbt t;

	(void)state;
	kbt_open(&t);
	fill_pypi(&t);
	m = vg_matcher_new(t.kb);

	r = match(m, "PyPI", "certifi", "2022.12.7", VG_VER_PEP440, "debian:12");
	assert_int_equal(r->kind, VG_MATCH_ECOSYSTEM);
	assert_int_equal(r->nvulns, 1); /* two records, one CVE */
	v = &r->vulns[0];
	assert_string_equal(v->id, "CVE-2023-37920");
	assert_string_equal(v->cve_id, "CVE-2023-37920");
	assert_int_equal(v->status, VG_FS_FIX_AVAILABLE);
	assert_string_equal(v->fixed_version, "2023.7.22");
	assert_int_equal(v->nevidence, 2);
	r = match(m, "PyPI", "certifi", "2023.7.22", VG_VER_PEP440, "debian:12");
	assert_int_equal(r->nvulns, 0);
	assert_int_equal(r->nresolved, 1);

	/* Two intervals of one record: only the one holding the version counts. */
	r = match(m, "PyPI", "django", "2.1", VG_VER_PEP440, NULL);
	assert_int_equal(r->nvulns, 1);
	assert_string_equal(r->vulns[0].id, "PYSEC-2099-1"); /* no CVE alias: the record id */
	assert_null(r->vulns[0].cve_id);
	assert_string_equal(r->vulns[0].fixed_version, "2.3");
	assert_int_equal(r->vulns[0].nevidence, 2);
	r = match(m, "PyPI", "django", "1.2", VG_VER_PEP440, NULL);
	assert_int_equal(r->nvulns, 1);
	assert_string_equal(r->vulns[0].fixed_version, "1.5");
	r = match(m, "PyPI", "django", "1.7", VG_VER_PEP440, NULL); /* between the intervals */
	assert_int_equal(r->nvulns, 0);
	r = match(m, "PyPI", "django", "2.3", VG_VER_PEP440, NULL);
	assert_int_equal(r->nvulns, 0);

	r = match(m, "PyPI", "foo", "1.4", VG_VER_PEP440, NULL);
	assert_int_equal(r->nvulns, 1);
	assert_string_equal(r->vulns[0].id, "CVE-2099-0002");
	assert_int_equal(r->vulns[0].status, VG_FS_NO_FIX);
	assert_string_equal(r->vulns[0].evidence[0].last_affected, "1.4");
	r = match(m, "PyPI", "foo", "1.4.1", VG_VER_PEP440, NULL);
	assert_int_equal(r->nvulns, 0);

	r = match(m, "PyPI", "bar", "0.9", VG_VER_PEP440, NULL);
	assert_int_equal(r->nvulns, 1);
	assert_int_equal(r->vulns[0].nevidence, 2);
	v = &r->vulns[0];
	assert_true(v->evidence[0].verdict == VG_VERDICT_AFFECTED ||
		    v->evidence[1].verdict == VG_VERDICT_AFFECTED);
	r = match(m, "PyPI", "bar", "0.9.1", VG_VER_PEP440, NULL);
	assert_int_equal(r->nvulns, 0);
	vg_matcher_free(m);
	kbt_close(&t);
}

/* ---- NVD CPE configurations ---- */

static const struct vg_cpe_match log4j_match = {
	.criteria = "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*",
	.vulnerable = true,
	.start_incl = "2.0.1",
	.end_excl = "2.15.0",
};

static void
add_nvd(struct kbt *t, const char *id, const struct vg_cpe_config *cfgs, size_t n)
{
	struct vg_vuln v = {.id = id,
			    .cvss_v2_score = NAN,
			    .cvss_v3_score = NAN,
			    .cvss_v4_score = NAN,
			    .configs = cfgs,
			    .nconfigs = n};

	kbt_vuln(t, &v);
}

static void
test_cpe_config(void **state)
{
	struct vg_cpe_node node = {.matches = &log4j_match, .nmatches = 1};
	struct vg_cpe_config cfg = {.nodes = &node, .nnodes = 1};
	struct vg_cpe_match m2[2];
	struct vg_cpe_node nodes[2];
	const struct vg_cpe_match *hit = NULL;

	(void)state;
	assert_true(vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, NULL, &hit));
	assert_ptr_equal(hit, &log4j_match);
	/* The upstream part of a Debian version: epoch and revision dropped. */
	assert_true(
		vg_match_cpe_config(&cfg, "log4j", "1:2.14.1-1+deb11u1", VG_VER_DPKG, NULL, NULL));
	assert_false(vg_match_cpe_config(&cfg, "log4j", "2.15.0-1", VG_VER_DPKG, NULL, NULL));
	assert_false(vg_match_cpe_config(&cfg, "log4j", "2.0", VG_VER_GENERIC, NULL, NULL));
	assert_false(vg_match_cpe_config(&cfg, "log4j2", "2.14.1", VG_VER_GENERIC, NULL, NULL));
	assert_true(vg_match_cpe_config(&cfg, "LOG4J", "2.14.1", VG_VER_GENERIC, NULL, NULL));

	/* A criterion naming one version (WFN-quoted dots), "_" and "-" alike. */
	m2[0] = (struct vg_cpe_match){.criteria = "cpe:2.3:a:vendor:my_tool:1.2.3:*:*:*:*:*:*:*",
				      .vulnerable = true};
	node = (struct vg_cpe_node){.matches = m2, .nmatches = 1};
	assert_true(vg_match_cpe_config(&cfg, "my-tool", "1.2.3", VG_VER_GENERIC, NULL, NULL));
	assert_false(vg_match_cpe_config(&cfg, "my-tool", "1.2.4", VG_VER_GENERIC, NULL, NULL));
	/* An update we cannot relate, a version wildcard and NA never match. */
	m2[0].criteria = "cpe:2.3:a:vendor:my_tool:1.2.3:rc1:*:*:*:*:*:*";
	assert_false(vg_match_cpe_config(&cfg, "my_tool", "1.2.3", VG_VER_GENERIC, NULL, NULL));
	m2[0].criteria = "cpe:2.3:a:vendor:my_tool:1.2.*:*:*:*:*:*:*:*";
	assert_false(vg_match_cpe_config(&cfg, "my_tool", "1.2.3", VG_VER_GENERIC, NULL, NULL));
	m2[0].criteria = "cpe:2.3:a:vendor:my_tool:-:*:*:*:*:*:*:*";
	assert_false(vg_match_cpe_config(&cfg, "my_tool", "1.2.3", VG_VER_GENERIC, NULL, NULL));
	/* ANY version without bounds: every version (NVD's meaning). */
	m2[0].criteria = "cpe:2.3:a:vendor:my_tool:*:*:*:*:*:*:*:*";
	assert_true(vg_match_cpe_config(&cfg, "my_tool", "0.1", VG_VER_GENERIC, NULL, NULL));

	/* AND of the application and a platform. */
	m2[0] = log4j_match;
	m2[1] = (struct vg_cpe_match){.criteria =
					      "cpe:2.3:o:debian:debian_linux:11.0:*:*:*:*:*:*:*"};
	nodes[0] = (struct vg_cpe_node){.matches = &m2[0], .nmatches = 1};
	nodes[1] = (struct vg_cpe_node){.matches = &m2[1], .nmatches = 1};
	cfg = (struct vg_cpe_config){.and_op = true, .nodes = nodes, .nnodes = 2};
	assert_true(
		vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, "debian:11", NULL));
	assert_false(
		vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, "debian:10", NULL));
	assert_false(
		vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, "ubuntu:22.04", NULL));
	assert_false(vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, NULL, NULL));
	m2[1].criteria = "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*";
	assert_true(vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, NULL, NULL));
	m2[1].criteria = "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*";
	assert_false(
		vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, "debian:11", NULL));
	m2[1].criteria = "cpe:2.3:a:oracle:java:*:*:*:*:*:*:*:*"; /* cannot tell: no */
	assert_false(
		vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, "debian:11", NULL));
	/* A negated platform node: "not on Windows" holds on Linux. */
	m2[1].criteria = "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*";
	nodes[1].negate = true;
	assert_true(
		vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, "debian:11", NULL));
	/* OR of the two nodes: the application alone suffices, the platform alone never. */
	nodes[1].negate = false;
	cfg.and_op = false;
	assert_true(
		vg_match_cpe_config(&cfg, "log4j", "2.14.1", VG_VER_GENERIC, "debian:10", NULL));
	assert_false(
		vg_match_cpe_config(&cfg, "log4j", "2.16.0", VG_VER_GENERIC, "debian:11", NULL));
}

static void
test_cpe_only_uncovered(void **state)
{
	struct vg_cpe_node node = {.matches = &log4j_match, .nmatches = 1};
	struct vg_cpe_config cfg = {.nodes = &node, .nnodes = 1};
	struct vg_cpe_match and_m[2] = {
		{.criteria = "cpe:2.3:a:example:widget:*:*:*:*:*:*:*:*",
		 .vulnerable = true,
		 .end_incl = "3.0"},
		{.criteria = "cpe:2.3:o:debian:debian_linux:10.0:*:*:*:*:*:*:*"},
	};
	struct vg_cpe_node and_n[2] = {{.matches = &and_m[0], .nmatches = 1},
				       {.matches = &and_m[1], .nmatches = 1}};
	struct vg_cpe_config and_cfg = {.and_op = true, .nodes = and_n, .nnodes = 2};
	const struct vg_tuple_result *r;
	struct vg_matcher *m;
	struct kbt t;

	(void)state;
	kbt_open(&t);
	fill_debian(&t);
	kbt_begin(&t, "nvd");
	add_nvd(&t, "CVE-2021-44228", &cfg, 1);
	add_nvd(&t, "CVE-2099-1000", &and_cfg, 1);
	kbt_end(&t);
	m = vg_matcher_new(t.kb);

	/* debian:11 is covered: its packages never go to NVD, whatever the name. */
	r = match(m, "debian:11", "log4j", "2.14.1-1", VG_VER_DPKG, "debian:11");
	assert_int_equal(r->kind, VG_MATCH_DISTRO);
	assert_int_equal(r->nvulns, 0);

	/* kali is not: NVD, confidence low, the upstream fix as the fixed version. */
	r = match(m, "kali:2023", "log4j", "2.14.1-1", VG_VER_DPKG, "kali:2023");
	assert_int_equal(r->kind, VG_MATCH_CPE);
	assert_int_equal(r->nvulns, 1);
	assert_string_equal(r->vulns[0].id, "CVE-2021-44228");
	assert_int_equal(r->vulns[0].confidence, VG_CONF_LOW);
	assert_int_equal(r->vulns[0].status, VG_FS_FIX_AVAILABLE);
	assert_string_equal(r->vulns[0].fixed_version, "2.15.0");
	assert_string_equal(r->vulns[0].source, "nvd");
	assert_string_equal(r->vulns[0].evidence[0].criteria, log4j_match.criteria);
	assert_string_equal(r->vulns[0].evidence[0].range, "[2.0.1, 2.15.0)");

	/* AND with debian_linux 10: not on a kali device, yes on a debian:10 platform. */
	r = match(m, "kali:2023", "widget", "2.0", VG_VER_DPKG, "kali:2023");
	assert_int_equal(r->nvulns, 0);
	r = match(m, "npmx", "widget", "2.0", VG_VER_GENERIC, "debian:10");
	assert_int_equal(r->kind, VG_MATCH_CPE);
	assert_int_equal(r->nvulns, 1);
	assert_int_equal(r->vulns[0].status, VG_FS_NO_FIX); /* end including: no fixed version */
	vg_matcher_free(m);
	kbt_close(&t);
}

/* ---- the cache ---- */

static void
test_cache(void **state)
{
	const struct vg_tuple_result *a, *b;
	struct vg_matcher_stats st;
	struct vg_matcher *m;
	struct kbt t;

	(void)state;
	kbt_open(&t);
	fill_debian(&t);
	m = vg_matcher_new(t.kb);
	a = match(m, "debian:11", "openssl", "1.1.1n-0+deb11u3", VG_VER_DPKG, "debian:11");
	b = match(m, "debian:11", "openssl", "1.1.1n-0+deb11u3", VG_VER_DPKG, "debian:12");
	assert_ptr_equal(a, b); /* a covered namespace ignores the platform */
	for (int i = 0; i < 1000; i++)
		b = match(m, "debian:11", "openssl", "1.1.1n-0+deb11u3", VG_VER_DPKG, "debian:11");
	assert_ptr_equal(a, b);
	match(m, "debian:11", "openssl", "1.1.1n-0+deb11u4", VG_VER_DPKG, "debian:11");
	/* Uncovered: the platform is part of the key. */
	a = match(m, "kali:2023", "curl", "7.0-1", VG_VER_DPKG, "kali:2023");
	b = match(m, "kali:2023", "curl", "7.0-1", VG_VER_DPKG, "debian:11");
	assert_ptr_not_equal(a, b);
	vg_matcher_stats(m, &st);
	assert_int_equal(st.lookups, 1005);
	assert_int_equal(st.matches, 4);
	assert_int_equal(st.cached_tuples, 4);
	assert_int_equal(st.ns_queries, 2); /* debian:11 and kali:2023, each asked once */
	vg_matcher_free(m);
	kbt_close(&t);
}

/* ---- tuples of an inventory ---- */

static struct vg_package *
add_pkg(struct vg_inventory *inv, enum vg_pkg_type type, const char *name, const char *version,
	const char *src, const char *src_version, const char *path)
{
	struct vg_package *p = vg_inv_add_package(inv, type);

	p->name = vg_inv_strc(inv, name);
	p->version = vg_inv_strc(inv, version);
	p->source_name = vg_inv_strc(inv, src ? src : name);
	p->source_version = vg_inv_strc(inv, src_version ? src_version : version);
	p->path = vg_inv_strc(inv, path);
	return p;
}

static void
test_device_tuples(void **state)
{
	struct vg_device_tuple *dt;
	struct vg_tuple_skips skips;
	struct vg_inventory inv;
	struct vg_listener *l;
	struct vg_process *pr;
	struct vg_package *p;
	struct vg_arena arena;
	size_t n;

	(void)state;
	vg_inventory_init(&inv, "/");
	vg_arena_init(&arena);
	inv.os.id = "debian";
	inv.os.namespace_ = "debian:11";
	add_pkg(&inv, VG_PKG_DEB, "libssl1.1", "1.1.1n-0+deb11u3", "openssl", NULL,
		"/var/lib/dpkg/status");
	add_pkg(&inv, VG_PKG_DEB, "openssl", "1.1.1n-0+deb11u3", NULL, NULL,
		"/var/lib/dpkg/status");
	/* binNMU: binary 1.2-3+b1, source version 1.2-3 from "Source: foo (1.2-3)". */
	add_pkg(&inv, VG_PKG_DEB, "libfoo1", "1.2-3+b1", "foo", "1.2-3", "/var/lib/dpkg/status");
	add_pkg(&inv, VG_PKG_PYTHON, "certifi", "2022.12.7", NULL, NULL,
		"/usr/local/lib/python3.9/dist-packages/certifi-2022.12.7.dist-info");
	add_pkg(&inv, VG_PKG_PYTHON, "requests", "2.25.1", NULL, NULL,
		"/usr/lib/python3/dist-packages/requests-2.25.1.egg-info");
	add_pkg(&inv, VG_PKG_NPM, "lodash", "4.17.20", NULL, NULL, "/srv/app/node_modules/lodash");
	p = add_pkg(&inv, VG_PKG_RPM, "bash", "4.4.20-4.el8", "bash", "4.4.20-4.el8", "rpmdb");
	p->epoch = "1";
	pr = vg_inv_add_process(&inv);
	pr->package = "openssl";
	pr->package_type = VG_PKG_DEB;
	l = vg_inv_add_listener(&inv);
	l->package = "libfoo1";
	l->loopback = true;
	l = vg_inv_add_listener(&inv);
	l->package = "libssl1.1";
	l->loopback = false;

	vg_device_tuples(&inv, 0, &arena, &dt, &n, &skips);
	assert_int_equal(n, 5);
	assert_int_equal(skips.os_managed_lang, 1); /* requests in Debian's dist-packages */
	assert_string_equal(dt[0].tuple.ns, "debian:11");
	assert_string_equal(dt[0].tuple.package, "openssl");
	assert_string_equal(dt[0].tuple.version, "1.1.1n-0+deb11u3");
	assert_int_equal(dt[0].tuple.scheme, VG_VER_DPKG);
	assert_int_equal(dt[0].npkgs, 2);
	assert_string_equal(dt[0].pkgs[0]->name, "libssl1.1");
	assert_string_equal(dt[0].pkgs[1]->name, "openssl");
	assert_true(dt[0].running);
	assert_true(dt[0].listening);
	assert_string_equal(dt[1].tuple.package, "foo");
	assert_string_equal(dt[1].tuple.version, "1.2-3");
	assert_true(dt[1].loopback);
	assert_false(dt[1].listening);
	assert_string_equal(dt[2].tuple.ns, "PyPI");
	assert_string_equal(dt[2].tuple.package, "certifi");
	assert_int_equal(dt[2].tuple.scheme, VG_VER_PEP440);
	assert_string_equal(dt[3].tuple.ns, "npm");
	assert_int_equal(dt[3].tuple.scheme, VG_VER_SEMVER);
	/* rpm: the source rpm's version-release with the binary's epoch. */
	assert_string_equal(dt[4].tuple.version, "1:4.4.20-4.el8");
	assert_int_equal(dt[4].tuple.scheme, VG_VER_RPM);

	/* Asked for, the OS-managed Python package is matched too. */
	vg_device_tuples(&inv, VG_TUPLES_OS_MANAGED_LANG, &arena, &dt, &n, &skips);
	assert_int_equal(n, 6);
	assert_int_equal(skips.os_managed_lang, 0);

	vg_arena_release(&arena);
	inv.os = (struct vg_os){0};
	vg_inventory_release(&inv);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(vg_finding_status_name(VG_FS_FIX_AVAILABLE), "fixAvailable");
	assert_string_equal(vg_finding_status_name(VG_FS_NO_FIX), "noFix");
	assert_string_equal(vg_finding_status_name(VG_FS_NO_DSA), "noDsa");
	assert_string_equal(vg_finding_status_name(VG_FS_WILL_NOT_FIX), "willNotFix");
	assert_string_equal(vg_finding_status_name(VG_FS_END_OF_LIFE), "endOfLife");
	assert_string_equal(vg_confidence_name(VG_CONF_LOW), "low");
	assert_string_equal(vg_verdict_name(VG_VERDICT_OUT_OF_RANGE), "out-of-range");
	assert_string_equal(vg_match_kind_name(VG_MATCH_CPE), "cpe");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statement_fixed),
		cmocka_unit_test(test_statement_open_bounds),
		cmocka_unit_test(test_statement_errors),
		cmocka_unit_test(test_debian_rules),
		cmocka_unit_test(test_osv_intervals),
		cmocka_unit_test(test_cpe_config),
		cmocka_unit_test(test_cpe_only_uncovered),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_device_tuples),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
