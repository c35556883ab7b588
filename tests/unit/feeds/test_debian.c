/*
 * test_debian.c - the Debian security tracker importers (src/feeds/debian_list.c,
 * src/feeds/debian_json.c) against the real lists and fixtures in ../shared/data.
 *
 * Expected counts of the real DSA/DLA lists were computed independently of
 * Vigil, with a short Python script over the files (one record per
 * non-indented line; "{...}" lines give the CVEs; each "[release] - pkg
 * word" line counts max(1, #CVEs) statements; a word "<x>" is that status,
 * "0" not-affected, anything else fixed; a vulnerability per header that
 * has CVEs or package lines), cross-checked with grep:
 *     grep -c '^\[' DSA/list        -> 5406 headers
 *     grep -c '^\[' DLA/list        -> 3534 headers
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "feeds/debian.h"
#include "feeds/feed.h"
#include "feeds/importers.h"
#include "vgtest.h"

/* ---- a sink that keeps everything ----------------------------------------- */

struct stmt {
	char *vuln_id, *advisory, *ns, *package, *fixed, *urgency, *note;
	enum vg_aff_status status;
	enum vg_ver_scheme scheme;
	bool introduced, last_affected, exact;
};

struct vrec {
	char *id, *summary, *description, *published;
	char **aliases;
	size_t naliases;
	bool withdrawn;
	bool scores_nan;
	char *severity;
};

struct coll {
	int begins, ends;
	char *name, *format, *snapshot;
	enum vg_feed_mode mode;
	uint64_t end_nrecords;
	struct stmt *stmts;
	size_t nstmts, cap_stmts;
	struct vrec *vulns;
	size_t nvulns, cap_vulns;
	char **warns;
	size_t nwarns, cap_warns;
};

static char *
dup_or_null(const char *s)
{
	return s ? vg_xstrdup(s) : NULL;
}

static int
c_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct coll *c = ctx;

	(void)err;
	c->begins++;
	free(c->name);
	free(c->format);
	c->name = dup_or_null(src->name);
	c->format = dup_or_null(src->format);
	c->mode = src->mode;
	return VG_OK;
}

static int
c_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	struct coll *c = ctx;
	struct vrec *r;

	(void)err;
	if (c->nvulns == c->cap_vulns) {
		c->cap_vulns = c->cap_vulns ? 2 * c->cap_vulns : 64;
		c->vulns = vg_xreallocarray(c->vulns, c->cap_vulns, sizeof(*c->vulns));
	}
	r = &c->vulns[c->nvulns++];
	memset(r, 0, sizeof(*r));
	r->id = dup_or_null(v->id);
	r->summary = dup_or_null(v->summary);
	r->description = dup_or_null(v->description);
	r->published = dup_or_null(v->published);
	r->severity = dup_or_null(v->severity);
	r->withdrawn = v->withdrawn;
	r->scores_nan =
		isnan(v->cvss_v2_score) && isnan(v->cvss_v3_score) && isnan(v->cvss_v4_score);
	r->naliases = v->naliases;
	r->aliases = vg_xcalloc(v->naliases + 1, sizeof(char *));
	for (size_t i = 0; i < v->naliases; i++)
		r->aliases[i] = vg_xstrdup(v->aliases[i]);
	return VG_OK;
}

static int
c_affected(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	struct coll *c = ctx;
	struct stmt *s;

	(void)err;
	if (c->nstmts == c->cap_stmts) {
		c->cap_stmts = c->cap_stmts ? 2 * c->cap_stmts : 256;
		c->stmts = vg_xreallocarray(c->stmts, c->cap_stmts, sizeof(*c->stmts));
	}
	s = &c->stmts[c->nstmts++];
	s->vuln_id = dup_or_null(a->vuln_id);
	s->advisory = dup_or_null(a->advisory);
	s->ns = dup_or_null(a->ns);
	s->package = dup_or_null(a->package);
	s->fixed = dup_or_null(a->fixed);
	s->urgency = dup_or_null(a->urgency);
	s->note = dup_or_null(a->note);
	s->status = a->status;
	s->scheme = a->scheme;
	s->introduced = a->introduced != NULL;
	s->last_affected = a->last_affected != NULL;
	s->exact = a->exact != NULL;
	return VG_OK;
}

static int
c_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct coll *c = ctx;

	(void)err;
	c->ends++;
	c->end_nrecords = n;
	free(c->snapshot);
	c->snapshot = dup_or_null(src->snapshot);
	return VG_OK;
}

static void
c_warn(void *ctx, const char *msg)
{
	struct coll *c = ctx;

	if (c->nwarns == c->cap_warns) {
		c->cap_warns = c->cap_warns ? 2 * c->cap_warns : 16;
		c->warns = vg_xreallocarray(c->warns, c->cap_warns, sizeof(*c->warns));
	}
	c->warns[c->nwarns++] = vg_xstrdup(msg);
}

static void
coll_free(struct coll *c)
{
	for (size_t i = 0; i < c->nstmts; i++) {
		struct stmt *s = &c->stmts[i];
		free(s->vuln_id);
		free(s->advisory);
		free(s->ns);
		free(s->package);
		free(s->fixed);
		free(s->urgency);
		free(s->note);
	}
	for (size_t i = 0; i < c->nvulns; i++) {
		struct vrec *v = &c->vulns[i];
		for (size_t j = 0; j < v->naliases; j++)
			free(v->aliases[j]);
		free(v->aliases);
		free(v->id);
		free(v->summary);
		free(v->description);
		free(v->published);
		free(v->severity);
	}
	for (size_t i = 0; i < c->nwarns; i++)
		free(c->warns[i]);
	free(c->stmts);
	free(c->vulns);
	free(c->warns);
	free(c->name);
	free(c->format);
	free(c->snapshot);
	memset(c, 0, sizeof(*c));
}

static struct vg_feed_sink
sink_of(struct coll *c)
{
	return (struct vg_feed_sink){
		.ctx = c,
		.begin = c_begin,
		.vuln = c_vuln,
		.affected = c_affected,
		.end = c_end,
		.warn = c_warn,
	};
}

/* Import the shared-data file @rel with @imp; returns the importer's code. */
static int
import_shared(const struct vg_importer *imp, const char *rel, struct coll *c, struct vg_err *err)
{
	char *path = vgt_shared_path(rel);
	struct vg_feed_in in;
	struct vg_feed_sink sink = sink_of(c);
	int rc;

	vg_err_clear(err);
	rc = vg_feed_in_open(&in, path, err);
	assert_int_equal(rc, VG_OK);
	rc = imp->import(&in, &sink, err);
	vg_feed_in_close(&in);
	free(path);
	return rc;
}

static int
import_text(const struct vg_importer *imp, const char *text, struct coll *c, struct vg_err *err)
{
	struct vg_feed_in in;
	struct vg_feed_sink sink = sink_of(c);
	int rc;

	vg_err_clear(err);
	vg_feed_in_open_mem(&in, "mem", text, strlen(text));
	rc = imp->import(&in, &sink, err);
	vg_feed_in_close(&in);
	return rc;
}

static const struct stmt *
find(const struct coll *c, const char *vuln, const char *ns, const char *pkg)
{
	for (size_t i = 0; i < c->nstmts; i++) {
		const struct stmt *s = &c->stmts[i];
		if (strcmp(s->vuln_id, vuln) == 0 && strcmp(s->ns, ns) == 0 &&
		    strcmp(s->package, pkg) == 0)
			return s;
	}
	return NULL;
}

static size_t
count_matching(const struct coll *c, const char *vuln, const char *ns, const char *pkg)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nstmts; i++) {
		const struct stmt *s = &c->stmts[i];
		if ((vuln == NULL || strcmp(s->vuln_id, vuln) == 0) &&
		    (ns == NULL || strcmp(s->ns, ns) == 0) &&
		    (pkg == NULL || strcmp(s->package, pkg) == 0))
			n++;
	}
	return n;
}

static size_t
count_advisory(const struct coll *c, const char *advisory)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nstmts; i++)
		n += c->stmts[i].advisory != NULL && strcmp(c->stmts[i].advisory, advisory) == 0;
	return n;
}

static size_t
count_status(const struct coll *c, enum vg_aff_status st)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nstmts; i++)
		n += c->stmts[i].status == st;
	return n;
}

static const struct vrec *
find_vuln(const struct coll *c, const char *id)
{
	for (size_t i = 0; i < c->nvulns; i++)
		if (strcmp(c->vulns[i].id, id) == 0)
			return &c->vulns[i];
	return NULL;
}

static bool
some_warning(const struct coll *c, const char *needle)
{
	for (size_t i = 0; i < c->nwarns; i++)
		if (strstr(c->warns[i], needle) != NULL)
			return true;
	return false;
}

static void
print_warnings(const struct coll *c)
{
	for (size_t i = 0; i < c->nwarns; i++)
		print_message("warning: %s\n", c->warns[i]);
}

/* Check one statement completely. */
static void
expect_stmt(const struct coll *c, const char *vuln, const char *ns, const char *pkg,
	    enum vg_aff_status status, const char *fixed, const char *advisory, const char *urgency,
	    const char *note)
{
	const struct stmt *s = find(c, vuln, ns, pkg);

	if (s == NULL)
		fail_msg("no statement %s %s %s", vuln, ns, pkg);
	assert_int_equal(s->status, status);
	assert_int_equal(s->scheme, VG_VER_DPKG);
	assert_false(s->introduced || s->last_affected || s->exact);
	if (fixed)
		assert_string_equal(s->fixed, fixed);
	else
		assert_null(s->fixed);
	if (advisory)
		assert_string_equal(s->advisory, advisory);
	else
		assert_null(s->advisory);
	if (urgency)
		assert_string_equal(s->urgency, urgency);
	else
		assert_null(s->urgency);
	if (note)
		assert_string_equal(s->note, note);
	else
		assert_null(s->note);
}

/* Invariants every import must keep. */
static void
check_invariants(const struct coll *c)
{
	assert_int_equal(c->begins, 1);
	assert_int_equal(c->ends, 1);
	assert_int_equal(c->end_nrecords, c->nstmts + c->nvulns);
	for (size_t i = 0; i < c->nstmts; i++) {
		const struct stmt *s = &c->stmts[i];
		assert_non_null(s->vuln_id);
		assert_true(strncmp(s->ns, "debian:", 7) == 0);
		assert_true(s->package[0] != '\0');
		assert_true((s->fixed != NULL) == (s->status == VG_AFF_FIXED));
	}
	for (size_t i = 0; i < c->nvulns; i++) {
		assert_true(c->vulns[i].scores_nan);
		assert_null(c->vulns[i].severity);
	}
}

/* ---- helpers -------------------------------------------------------------- */

static void
test_releases(void **state)
{
	static const char *const table[][2] = {
		{"buzz", "debian:1.1"},    {"rex", "debian:1.2"},      {"bo", "debian:1.3"},
		{"hamm", "debian:2.0"},    {"slink", "debian:2.1"},    {"potato", "debian:2.2"},
		{"woody", "debian:3.0"},   {"sarge", "debian:3.1"},    {"etch", "debian:4"},
		{"lenny", "debian:5"},     {"squeeze", "debian:6"},    {"wheezy", "debian:7"},
		{"jessie", "debian:8"},    {"stretch", "debian:9"},    {"buster", "debian:10"},
		{"bullseye", "debian:11"}, {"bookworm", "debian:12"},  {"trixie", "debian:13"},
		{"forky", "debian:14"},    {"sid", "debian:unstable"},
	};
	const char *ns;

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		assert_int_equal(vg_debian_release_ns(table[i][0], &ns), VG_OK);
		assert_string_equal(ns, table[i][1]);
	}
	assert_int_equal(vg_debian_release_ns("experimental", &ns), VG_EUNSUPPORTED);
	assert_int_equal(vg_debian_release_ns("bullseyee", &ns), VG_ENOTFOUND);
	assert_int_equal(vg_debian_release_ns("unstable", &ns), VG_ENOTFOUND);
	assert_string_equal(vg_debian_release_version("bookworm"), "12");
	assert_string_equal(vg_debian_release_version("sid"), "");
	assert_null(vg_debian_release_version("hurd"));
}

static void
test_words(void **state)
{
	bool known;
	enum vg_debian_kind k;
	char iso[11];

	(void)state;
	assert_string_equal(vg_debian_urgency(vg_str_c("high**"), &known), "high");
	assert_true(known);
	assert_string_equal(vg_debian_urgency(vg_str_c("unimportant"), &known), "unimportant");
	assert_null(vg_debian_urgency(vg_str_c("not yet assigned"), &known));
	assert_true(known);
	assert_null(vg_debian_urgency(vg_str_c("end-of-life"), &known));
	assert_true(known);
	assert_null(vg_debian_urgency(vg_str_c("severe"), &known));
	assert_false(known);
	assert_int_equal(vg_debian_kind_parse(vg_str_c("no-dsa"), &k), VG_OK);
	assert_int_equal(k, VG_DEBIAN_NO_DSA);
	assert_int_equal(vg_debian_kind_parse(vg_str_c("fixed"), &k), VG_EINVAL);
	assert_int_equal(vg_debian_date_iso(vg_str_c("29 Mar 2023"), iso), VG_OK);
	assert_string_equal(iso, "2023-03-29");
	assert_int_equal(vg_debian_date_iso(vg_str_c("32 Mar 2023"), iso), VG_EINVAL);
	assert_int_equal(vg_debian_date_iso(vg_str_c("29 Mrz 2023"), iso), VG_EINVAL);
	assert_true(vg_debian_is_cve(vg_str_c("CVE-2023-1393")));
	assert_true(vg_debian_is_cve(vg_str_c("CVE-2019-1010238")));
	assert_false(vg_debian_is_cve(vg_str_c("CVE-2023-XXXX")));
	assert_true(vg_debian_is_cve_placeholder(vg_str_c("CVE-2023-XXXX")));
	assert_true(vg_debian_is_temp(vg_str_c("TEMP-0000000-3D4A46")));
	assert_false(vg_debian_is_temp(vg_str_c("TEMP-abc-3D4A46")));
}

/* RFC 1321 appendix A.5, and the TEMP- ids vuln-list-update's tests expect for its CVE/list. */
static void
test_md5_and_temp_ids(void **state)
{
	static const char *const vec[][2] = {
		{"", "d41d8cd98f00b204e9800998ecf8427e"},
		{"a", "0cc175b9c0f1b6a831c399e269772661"},
		{"abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		{"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		 "d174ab98d277d9f5a5611c2c9f419d9f"},
		{"1234567890123456789012345678901234567890123456789012345678901234567890123456789"
		 "0",
		 "57edf4a22be3c955ac49da2e2107b67a"},
	};
	char temp[VG_DEBIAN_TEMP_ID_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		unsigned char d[16];
		char hex[33];
		vg_debian_md5(vec[i][0], strlen(vec[i][0]), d);
		for (int j = 0; j < 16; j++)
			snprintf(hex + 2 * j, 3, "%02x", d[j]);
		assert_string_equal(hex, vec[i][1]);
	}
	vg_debian_temp_id(1053115, vg_str_c("code execution via malformed XTGETTCAP"), temp);
	assert_string_equal(temp, "TEMP-1053115-9454E3");
	vg_debian_temp_id(0, vg_str_c("Other security issues from wordpress 6.3.2"), temp);
	assert_string_equal(temp, "TEMP-0000000-556898");
}

/* ---- DSA/DLA lists -------------------------------------------------------- */

static void
test_dsa_list_real(void **state)
{
	struct coll c = {0};
	struct vg_err err;
	const struct vrec *v;

	(void)state;
	assert_int_equal(import_shared(&vg_imp_debian_list,
				       "debian-security-tracker/salsa-format_2023-04/data/DSA/list",
				       &c, &err),
			 VG_OK);
	print_warnings(&c);
	check_invariants(&c);
	assert_string_equal(c.name, "debian-dsa");
	assert_string_equal(c.format, "debian-dsa-list");
	assert_int_equal(c.mode, VG_FEED_REPLACE);
	assert_string_equal(c.snapshot, "2023-03-29");
	assert_int_equal(c.nwarns, 0);
	/* 5406 headers, of which 15 name neither CVEs nor packages (announcements). */
	assert_int_equal(c.nvulns, 5391);
	assert_int_equal(c.nstmts, 23482);
	assert_int_equal(c.end_nrecords, 28873);
	assert_int_equal(count_status(&c, VG_AFF_FIXED), 23380);
	assert_int_equal(count_status(&c, VG_AFF_NOT_AFFECTED), 85);
	assert_int_equal(count_status(&c, VG_AFF_END_OF_LIFE), 4);
	assert_int_equal(count_status(&c, VG_AFF_AFFECTED), 13);
	assert_int_equal(count_matching(&c, NULL, "debian:3.0", NULL), 1615);
	assert_int_equal(count_matching(&c, NULL, "debian:3.1", NULL), 2582);
	assert_int_equal(count_matching(&c, NULL, "debian:4", NULL), 1961);
	assert_int_equal(count_matching(&c, NULL, "debian:5", NULL), 1628);
	assert_int_equal(count_matching(&c, NULL, "debian:6", NULL), 1883);
	assert_int_equal(count_matching(&c, NULL, "debian:7", NULL), 2690);
	assert_int_equal(count_matching(&c, NULL, "debian:8", NULL), 3549);
	assert_int_equal(count_matching(&c, NULL, "debian:9", NULL), 2871);
	assert_int_equal(count_matching(&c, NULL, "debian:10", NULL), 2700);
	assert_int_equal(count_matching(&c, NULL, "debian:11", NULL), 2003);

	/* [29 Mar 2023] DSA-5380-1 xorg-server / {CVE-2023-1393} / [bullseye] ... */
	expect_stmt(&c, "CVE-2023-1393", "debian:11", "xorg-server", VG_AFF_FIXED,
		    "2:1.20.11-1+deb11u6", "DSA-5380-1", NULL, NULL);
	v = find_vuln(&c, "DSA-5380-1");
	assert_non_null(v);
	assert_string_equal(v->published, "2023-03-29");
	assert_string_equal(v->summary, "xorg-server - security update");
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "CVE-2023-1393");
	/* DSA-5378-1: five CVEs, one release line -> five statements. */
	assert_int_equal(count_advisory(&c, "DSA-5378-1"), 5);
	expect_stmt(&c, "CVE-2022-42334", "debian:11", "xen", VG_AFF_FIXED,
		    "4.14.5+94-ge49571868d-1", "DSA-5378-1", NULL, NULL);
	/* A regression update without CVEs speaks about itself. */
	expect_stmt(&c, "DSA-5356-2", "debian:11", "sox", VG_AFF_FIXED,
		    "14.4.2+git20190427-2+deb11u2", "DSA-5356-2", NULL, NULL);
	assert_int_equal(find_vuln(&c, "DSA-5356-2")->naliases, 0);
	/* [lenny] - openoffice.org <not-affected> (Vulnerable code not present) */
	expect_stmt(&c, "CVE-2011-2685", "debian:5", "openoffice.org", VG_AFF_NOT_AFFECTED, NULL,
		    "DSA-2275-1", NULL, "Vulnerable code not present");
	expect_stmt(&c, "CVE-2011-2685", "debian:6", "openoffice.org", VG_AFF_FIXED,
		    "1:3.2.1-11+squeeze3", "DSA-2275-1", NULL, NULL);
	/* [jessie] - virtualbox <end-of-life> in DSA-3699-1 (no CVEs). */
	expect_stmt(&c, "DSA-3699-1", "debian:8", "virtualbox", VG_AFF_END_OF_LIFE, NULL,
		    "DSA-3699-1", NULL, NULL);
	/* [woody] - phpgroupware <unfixed> (high) */
	expect_stmt(&c, "CVE-2005-1921", "debian:3.0", "phpgroupware", VG_AFF_AFFECTED, NULL,
		    "DSA-746-1", "high", NULL);
	/* [woody] - xloadimage 4.1-10woody2 (bug #332524; medium) */
	expect_stmt(&c, "CVE-2005-3178", "debian:3.0", "xloadimage", VG_AFF_FIXED, "4.1-10woody2",
		    "DSA-858-1", "medium", NULL);
	/* [sarge] - util-linux 2.12p-4sarge1 (high) */
	expect_stmt(&c, "CVE-2005-2876", "debian:3.1", "util-linux", VG_AFF_FIXED, "2.12p-4sarge1",
		    "DSA-823-1", "high", NULL);
	/* The oldest advisories have no revision: "DSA-141 mpack". */
	expect_stmt(&c, "CVE-2002-1425", "debian:3.0", "mpack", VG_AFF_FIXED, "1.5-7woody2",
		    "DSA-141", NULL, NULL);
	assert_string_equal(find_vuln(&c, "DSA-141")->published, "2002-08-01");
	/* Announcements carry nothing: "[18 Apr 2018] DSA-4205-1 jessie end-of-life". */
	assert_null(find_vuln(&c, "DSA-4205-1"));
	/* NOTE: lines are not statements: DSA-1605-1 glibc has a CVE and only NOTEs. */
	assert_int_equal(find_vuln(&c, "DSA-1605-1")->naliases, 1);
	assert_int_equal(count_advisory(&c, "DSA-1605-1"), 0);
	assert_int_equal(count_advisory(&c, "DSA-5371-1"), 24); /* 24 CVEs x 1 line */
	coll_free(&c);
}

static void
test_dla_list_real(void **state)
{
	struct coll c = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_shared(&vg_imp_debian_list,
				       "debian-security-tracker/salsa-format_2023-04/data/DLA/list",
				       &c, &err),
			 VG_OK);
	print_warnings(&c);
	check_invariants(&c);
	assert_string_equal(c.name, "debian-dla");
	assert_string_equal(c.snapshot, "2023-04-01");
	assert_int_equal(c.nwarns, 0);
	assert_int_equal(c.nvulns, 3530);
	assert_int_equal(c.nstmts, 11311);
	assert_int_equal(c.end_nrecords, 14841);
	assert_int_equal(count_status(&c, VG_AFF_FIXED), 11310);
	assert_int_equal(count_status(&c, VG_AFF_END_OF_LIFE), 1);
	/* The LTS releases of the DLA list. */
	assert_int_equal(count_matching(&c, NULL, "debian:6", NULL), 1129);
	assert_int_equal(count_matching(&c, NULL, "debian:7", NULL), 3139);
	assert_int_equal(count_matching(&c, NULL, "debian:8", NULL), 2978);
	assert_int_equal(count_matching(&c, NULL, "debian:9", NULL), 2802);
	assert_int_equal(count_matching(&c, NULL, "debian:10", NULL), 1263);
	expect_stmt(&c, "CVE-2023-1393", "debian:10", "xorg-server", VG_AFF_FIXED,
		    "2:1.20.4-1+deb10u9", "DLA-3372-1", NULL, NULL);
	expect_stmt(&c, "CVE-2021-3657", "debian:9", "isync", VG_AFF_FIXED, "1.2.1-2+deb9u1",
		    "DLA-3066-1", NULL, NULL);
	expect_stmt(&c, "DLA-372-1", "debian:6", "virtualbox-ose", VG_AFF_END_OF_LIFE, NULL,
		    "DLA-372-1", NULL, NULL);
	/* DLA-3065-1 linux: 39 CVEs on one stretch line. */
	assert_int_equal(count_matching(&c, NULL, "debian:9", "linux") >= 39, 1);
	expect_stmt(&c, "CVE-2022-33981", "debian:9", "linux", VG_AFF_FIXED, "4.9.320-2",
		    "DLA-3065-1", NULL, NULL);
	coll_free(&c);
}

static void
test_list_fixtures(void **state)
{
	struct coll c = {0};
	struct vg_err err;

	(void)state;
	/* vuln-list-update's excerpt indents with spaces. */
	assert_int_equal(
		import_shared(
			&vg_imp_debian_list,
			"debian-security-tracker/salsa-format_fixture_vuln-list-update/data/DSA/list",
			&c, &err),
		VG_OK);
	check_invariants(&c);
	assert_int_equal(c.nvulns, 1);
	assert_int_equal(c.nstmts, 4);
	expect_stmt(&c, "CVE-2019-10193", "debian:10", "redis", VG_AFF_FIXED, "5:5.0.3-4+deb10u1",
		    "DSA-4480-1", NULL, NULL);
	expect_stmt(&c, "CVE-2019-10192", "debian:9", "redis", VG_AFF_FIXED, "3:3.2.6-3+deb9u3",
		    "DSA-4480-1", NULL, NULL);
	coll_free(&c);

	/* Its DLA excerpt ends with "[19 Jul 2021] MALFORMED HEADER" on line 4. */
	assert_int_equal(
		import_shared(
			&vg_imp_debian_list,
			"debian-security-tracker/salsa-format_fixture_vuln-list-update/data/DLA/list",
			&c, &err),
		VG_EINVAL);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "MALFORMED HEADER"));
	coll_free(&c);

	/* vunnel's excerpt: two packages in DSA-140, a regression update, announcements. */
	assert_int_equal(import_shared(&vg_imp_debian_list,
				       "debian-security-tracker/tracker-json_fixture_vunnel/DSA",
				       &c, &err),
			 VG_OK);
	check_invariants(&c);
	assert_int_equal(c.nwarns, 0);
	assert_int_equal(c.nvulns, 7);
	assert_int_equal(c.nstmts, 11);
	expect_stmt(&c, "CVE-2002-0728", "debian:3.0", "libpng3", VG_AFF_FIXED, "1.2.1-1.1.woody.2",
		    "DSA-140", NULL, NULL);
	expect_stmt(&c, "DSA-2808-2", "debian:7", "openjpeg", VG_AFF_FIXED, "1.3+dfsg-4.8",
		    "DSA-2808-2", NULL, NULL);
	expect_stmt(&c, "CVE-2025-53603", "debian:12", "sope", VG_AFF_FIXED, "5.8.0-1+deb12u1",
		    "DSA-5970-1", NULL, NULL);
	assert_null(find_vuln(&c, "DSA-2819-1")); /* "iceape - several", nothing under it */
	assert_string_equal(c.snapshot, "2025-07-31");
	coll_free(&c);
}

static void
test_list_malformed(void **state)
{
	static const char head[] = "[29 Mar 2023] DSA-5380-1 xorg-server - security update\n";
	struct coll c = {0};
	struct vg_err err;
	char buf[1024];

	(void)state;
	/* A truncated file: the CVE list is cut before its '}'. */
	snprintf(buf, sizeof(buf), "%s\t{CVE-2023-1393", head);
	assert_int_equal(import_text(&vg_imp_debian_list, buf, &c, &err), VG_EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "record DSA-5380-1"));
	assert_non_null(strstr(err.msg, "unterminated '{'"));
	coll_free(&c);
	/* ... or cut after the package name. */
	snprintf(buf, sizeof(buf), "%s\t{CVE-2023-1393}\n\t[bullseye] - xorg-server\n", head);
	assert_int_equal(import_text(&vg_imp_debian_list, buf, &c, &err), VG_EINVAL);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "expected a version"));
	coll_free(&c);
	/* ... or in the middle of the release. */
	snprintf(buf, sizeof(buf), "%s\t{CVE-2023-1393}\n\t[bullse", head);
	assert_int_equal(import_text(&vg_imp_debian_list, buf, &c, &err), VG_EINVAL);
	assert_int_equal(err.line, 3);
	coll_free(&c);
	/* A bad version, an unknown release and an unknown annotation are skipped with a
	 * warning each; the good line stays. */
	snprintf(buf, sizeof(buf),
		 "%s\t{CVE-2023-1393}\n"
		 "\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6\n"
		 "\t[buster] - xorg-server a:1.0-1\n"
		 "\t[bullseyee] - xorg-server 1.0-1\n"
		 "\t[stretch] - xorg-server <wontfix>\n"
		 "\t[bookworm] - xorg-server 2:21.1.7-1 (bug #1; urgent)\n",
		 head);
	assert_int_equal(import_text(&vg_imp_debian_list, buf, &c, &err), VG_OK);
	check_invariants(&c);
	assert_int_equal(c.nstmts, 2);
	expect_stmt(&c, "CVE-2023-1393", "debian:11", "xorg-server", VG_AFF_FIXED,
		    "2:1.20.11-1+deb11u6", "DSA-5380-1", NULL, NULL);
	expect_stmt(&c, "CVE-2023-1393", "debian:12", "xorg-server", VG_AFF_FIXED, "2:21.1.7-1",
		    "DSA-5380-1", NULL, NULL);
	print_warnings(&c);
	assert_int_equal(c.nwarns, 5); /* four lines and the summary */
	assert_true(some_warning(&c, "mem:4: record DSA-5380-1: invalid version 'a:1.0-1'"));
	assert_true(some_warning(&c, "mem:5: record DSA-5380-1: unknown release 'bullseyee'"));
	assert_true(some_warning(&c, "mem:6: record DSA-5380-1: unknown annotation <wontfix>"));
	assert_true(some_warning(&c, "mem:7: record DSA-5380-1: unknown flag 'urgent'"));
	assert_true(some_warning(&c, "skipped 3 annotation(s): 1 unknown release, 1 invalid "
				     "version, 1 unknown status"));
	coll_free(&c);
	/* Structure errors. */
	assert_int_equal(import_text(&vg_imp_debian_list, "\t{CVE-2023-1393}\n", &c, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "before the first header"));
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_list, "", &c, &err), VG_EINVAL);
	coll_free(&c);
	snprintf(buf, sizeof(buf), "%s[28 Mar 2023] DLA-3372-1 xorg-server - security update\n",
		 head);
	assert_int_equal(import_text(&vg_imp_debian_list, buf, &c, &err), VG_EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "DLA advisory in a DSA list"));
	coll_free(&c);
	assert_int_equal(
		import_text(&vg_imp_debian_list, "[32 Mar 2023] DSA-1-1 x - y\n", &c, &err),
		VG_EINVAL);
	assert_non_null(strstr(err.msg, "invalid date"));
	coll_free(&c);
	snprintf(buf, sizeof(buf), "%s\t- xorg-server 1.0\n", head);
	assert_int_equal(import_text(&vg_imp_debian_list, buf, &c, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "without [release]"));
	coll_free(&c);
	snprintf(buf, sizeof(buf), "%s\t[bullseye] - xorg-server 1.0 extra\n", head);
	assert_int_equal(import_text(&vg_imp_debian_list, buf, &c, &err), VG_EINVAL);
	coll_free(&c);
	snprintf(buf, sizeof(buf), "%s\tsomething else\n", head);
	assert_int_equal(import_text(&vg_imp_debian_list, buf, &c, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "unexpected annotation"));
	coll_free(&c);
}

/* ---- data/CVE/list -------------------------------------------------------- */

static void
test_cve_list_excerpt(void **state)
{
	struct coll c = {0};
	struct vg_err err;
	const struct vrec *v;

	(void)state;
	assert_int_equal(
		import_shared(
			&vg_imp_debian_cve_list,
			"debian-security-tracker/salsa-format_fixture_vuln-list-update/data/CVE/list",
			&c, &err),
		VG_OK);
	print_warnings(&c);
	check_invariants(&c);
	assert_string_equal(c.name, "debian-cve");
	assert_string_equal(c.format, "debian-cve-list");
	assert_int_equal(c.mode, VG_FEED_REPLACE);
	assert_null(c.snapshot);
	assert_int_equal(c.nwarns, 0);
	/* Entries with statements: two CVE-2023-XXXX (TEMP- ids), ant, putty; the TODO-only
	 * and NOT-FOR-US entries give nothing. */
	assert_int_equal(c.nvulns, 4);
	assert_int_equal(c.nstmts, 8);
	v = find_vuln(&c, "TEMP-1053115-9454E3");
	assert_non_null(v);
	assert_string_equal(v->summary, "code execution via malformed XTGETTCAP");
	expect_stmt(&c, "TEMP-1053115-9454E3", "debian:unstable", "foot", VG_AFF_FIXED, "1.15.3-2",
		    NULL, NULL, NULL);
	expect_stmt(&c, "TEMP-1053115-9454E3", "debian:12", "foot", VG_AFF_FIXED,
		    "1.13.1-2+deb12u1", NULL, NULL, NULL);
	expect_stmt(&c, "TEMP-1053115-9454E3", "debian:11", "foot", VG_AFF_NO_DSA, NULL, NULL, NULL,
		    "Minor issue");
	expect_stmt(&c, "TEMP-0000000-556898", "debian:unstable", "wordpress", VG_AFF_AFFECTED,
		    NULL, NULL, NULL, NULL);
	expect_stmt(&c, "CVE-2021-36373", "debian:unstable", "ant", VG_AFF_AFFECTED, NULL, NULL,
		    "unimportant", NULL);
	/* The release lines take the urgency of the unstable line. */
	expect_stmt(&c, "CVE-2021-36367", "debian:unstable", "putty", VG_AFF_FIXED, "0.75-3", NULL,
		    "low", NULL);
	expect_stmt(&c, "CVE-2021-36367", "debian:11", "putty", VG_AFF_NO_DSA, NULL, NULL, "low",
		    "Minor issue");
	expect_stmt(&c, "CVE-2021-36367", "debian:10", "putty", VG_AFF_NO_DSA, NULL, NULL, "low",
		    "Minor issue");
	v = find_vuln(&c, "CVE-2021-36367");
	assert_string_equal(v->summary, "PuTTY through 0.75 proceeds with establishing an SSH "
					"session even if i ...");
	assert_null(find_vuln(&c, "CVE-2021-36383")); /* NOT-FOR-US: Xen Orchestra */
	assert_null(find_vuln(&c, "CVE-2021-36980")); /* TODO: check */
	coll_free(&c);
}

static void
test_cve_list_forms(void **state)
{
	static const char text[] =
		"CVE-2024-0001 (Something in foo ...)\n"
		"\t{DSA-5999-1 DLA-3999-1}\n"
		"\t[experimental] - foo 2.0-1\n"
		"\t- foo 1.2-3 (bug #1000001; medium)\n"
		"\t[trixie] - foo 1.2-2+deb13u1\n"
		"\t[bookworm] - foo <postponed> (Minor issue, revisit when fixed upstream)\n"
		"\t[bullseye] - foo <ignored> (Minor issue)\n"
		"\t[buster] - foo <end-of-life> (Not supported in buster LTS)\n"
		"\t[stretch] - foo <undetermined>\n"
		"\t- bar <removed>\n"
		"\t- baz <itp> (bug #1000002)\n"
		"\t- qux <not-affected> (Vulnerable code not present)\n"
		"\t- quux 0\n"
		"\t- corge\n"
		"\tNOTE: https://example.org/\n"
		"CVE-2024-0002\n"
		"\tRESERVED\n"
		"CVE-2024-0003 (Withdrawn ...)\n"
		"\tREJECTED\n"
		"CVE-2024-0004 (Not ours ...)\n"
		"\tNOT-FOR-US: Foo for Windows\n"
		"\t- foo 1.0-1\n"
		"--\n"
		"begin claimed by someone\n"
		"end claimed by someone\n"
		"TEMP-0000000-ABCDEF [from an extend file]\n"
		"\t- grault <unfixed>\n";
	struct coll c = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_text(&vg_imp_debian_cve_list, text, &c, &err), VG_OK);
	print_warnings(&c);
	check_invariants(&c);
	expect_stmt(&c, "CVE-2024-0001", "debian:unstable", "foo", VG_AFF_FIXED, "1.2-3", NULL,
		    "medium", NULL);
	expect_stmt(&c, "CVE-2024-0001", "debian:13", "foo", VG_AFF_FIXED, "1.2-2+deb13u1", NULL,
		    "medium", NULL);
	expect_stmt(&c, "CVE-2024-0001", "debian:12", "foo", VG_AFF_NO_DSA, NULL, NULL, "medium",
		    "postponed: Minor issue, revisit when fixed upstream");
	expect_stmt(&c, "CVE-2024-0001", "debian:11", "foo", VG_AFF_WONT_FIX, NULL, NULL, "medium",
		    "Minor issue");
	expect_stmt(&c, "CVE-2024-0001", "debian:10", "foo", VG_AFF_END_OF_LIFE, NULL, NULL,
		    "medium", "Not supported in buster LTS");
	expect_stmt(&c, "CVE-2024-0001", "debian:9", "foo", VG_AFF_UNDETERMINED, NULL, NULL,
		    "medium", NULL);
	expect_stmt(&c, "CVE-2024-0001", "debian:unstable", "bar", VG_AFF_END_OF_LIFE, NULL, NULL,
		    NULL, "removed");
	expect_stmt(&c, "CVE-2024-0001", "debian:unstable", "qux", VG_AFF_NOT_AFFECTED, NULL, NULL,
		    NULL, "Vulnerable code not present");
	expect_stmt(&c, "CVE-2024-0001", "debian:unstable", "quux", VG_AFF_NOT_AFFECTED, NULL, NULL,
		    NULL, NULL);
	/* A bare "- pkg" is <unfixed>, as the tracker reads it. */
	expect_stmt(&c, "CVE-2024-0001", "debian:unstable", "corge", VG_AFF_AFFECTED, NULL, NULL,
		    NULL, NULL);
	assert_int_equal(count_matching(&c, NULL, NULL, "baz"), 0);            /* <itp> */
	assert_int_equal(count_matching(&c, "CVE-2024-0001", NULL, "foo"), 6); /* no experimental */
	assert_null(find_vuln(&c, "CVE-2024-0002"));
	assert_true(find_vuln(&c, "CVE-2024-0003")->withdrawn);
	assert_false(find_vuln(&c, "CVE-2024-0001")->withdrawn);
	/* NOT-FOR-US with package lines: warned, the lines are kept. */
	expect_stmt(&c, "CVE-2024-0004", "debian:unstable", "foo", VG_AFF_FIXED, "1.0-1", NULL,
		    NULL, NULL);
	assert_true(some_warning(&c, "record CVE-2024-0004: NOT-FOR-US entry has package lines"));
	expect_stmt(&c, "TEMP-0000000-ABCDEF", "debian:unstable", "grault", VG_AFF_AFFECTED, NULL,
		    NULL, NULL, NULL);
	assert_true(some_warning(&c, "skipped 2 annotation(s): 1 experimental, 1 itp"));
	assert_int_equal(c.nwarns, 2);
	coll_free(&c);

	assert_int_equal(
		import_text(&vg_imp_debian_cve_list, "CVE-2024-1 (x)\n\t- a 1\n", &c, &err),
		VG_EINVAL);
	assert_int_equal(err.line, 1);
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_cve_list,
				     "CVE-2024-0001 (x)\n\t[bookworm] foo 1.0\n", &c, &err),
			 VG_EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "record CVE-2024-0001"));
	coll_free(&c);
}

/* ---- tracker JSON --------------------------------------------------------- */

static void
test_tracker_vunnel(void **state)
{
	struct coll c = {0};
	struct vg_err err;
	const struct vrec *v;

	(void)state;
	assert_int_equal(
		import_shared(&vg_imp_debian_tracker_json,
			      "debian-security-tracker/tracker-json_fixture_vunnel/debian.json", &c,
			      &err),
		VG_OK);
	print_warnings(&c);
	check_invariants(&c);
	assert_string_equal(c.name, "debian-tracker");
	assert_string_equal(c.format, "debian-tracker-json");
	assert_int_equal(c.mode, VG_FEED_REPLACE);
	assert_int_equal(c.nwarns, 0);
	/* 7 CVE entries: 6 with a description, chromium-browser's with "releases": []. */
	assert_int_equal(c.nvulns, 5);
	assert_int_equal(c.nstmts, 25);
	v = find_vuln(&c, "CVE-2008-7220");
	assert_non_null(v);
	assert_non_null(strstr(v->description, "Prototype JavaScript framework"));
	assert_null(v->summary);
	/* "high**": an NVD-derived urgency keeps its word. */
	expect_stmt(&c, "CVE-2008-7220", "debian:9", "prototypejs", VG_AFF_FIXED, "1.6.0.2-1", NULL,
		    "high", NULL);
	expect_stmt(&c, "CVE-2008-7220", "debian:unstable", "prototypejs", VG_AFF_FIXED,
		    "1.6.0.2-1", NULL, "high", NULL);
	/* fixed_version "0": never affected. */
	expect_stmt(&c, "CVE-2007-2383", "debian:8", "prototypejs", VG_AFF_NOT_AFFECTED, NULL, NULL,
		    "unimportant", NULL);
	expect_stmt(&c, "CVE-2013-1444", "debian:10", "txt2man", VG_AFF_FIXED, "1.5.5-4.1", NULL,
		    "low", NULL);
	expect_stmt(&c, "CVE-2005-3111", "debian:8", "backupninja", VG_AFF_FIXED, "0.8-2", NULL,
		    "medium", NULL);
	/* chromium: "open" with urgency "end-of-life" in buster and stretch. */
	expect_stmt(&c, "CVE-2022-0456", "debian:11", "chromium", VG_AFF_FIXED,
		    "98.0.4758.80-1~deb11u1", NULL, NULL, NULL);
	expect_stmt(&c, "CVE-2022-0456", "debian:10", "chromium", VG_AFF_END_OF_LIFE, NULL, NULL,
		    NULL, NULL);
	expect_stmt(&c, "CVE-2022-0456", "debian:9", "chromium", VG_AFF_END_OF_LIFE, NULL, NULL,
		    NULL, NULL);
	expect_stmt(&c, "CVE-2022-0456", "debian:12", "chromium", VG_AFF_FIXED, "98.0.4758.80-1",
		    NULL, NULL, NULL);
	assert_null(find_vuln(&c, "CVE-2022-0456")); /* no description */
	expect_stmt(&c, "CVE-2025-53603", "debian:13", "sope", VG_AFF_FIXED, "5.12.1-2", NULL, NULL,
		    NULL);
	assert_int_equal(count_matching(&c, NULL, NULL, "chromium-browser"), 0);
	coll_free(&c);
}

static void
test_tracker_osv_mock(void **state)
{
	struct coll c = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_shared(&vg_imp_debian_tracker_json,
				       "debian-security-tracker/tracker-json_fixture_osv.dev/"
				       "debian_security_tracker_mock.json",
				       &c, &err),
			 VG_OK);
	check_invariants(&c);
	assert_int_equal(c.nwarns, 0);
	assert_int_equal(c.nvulns, 3);
	assert_int_equal(c.nstmts, 15);
	expect_stmt(&c, "CVE-2014-1424", "debian:13", "apparmor", VG_AFF_NOT_AFFECTED, NULL, NULL,
		    "unimportant", NULL);
	expect_stmt(&c, "CVE-2016-1585", "debian:12", "apparmor", VG_AFF_AFFECTED, NULL, NULL,
		    "unimportant", NULL);
	expect_stmt(&c, "CVE-2016-1585", "debian:10", "apparmor", VG_AFF_AFFECTED, NULL, NULL,
		    "unimportant", NULL);
	expect_stmt(&c, "CVE-2016-1585", "debian:unstable", "apparmor", VG_AFF_FIXED, "3.0.12-1",
		    NULL, "unimportant", NULL);
	/* "not yet assigned" is no urgency. */
	expect_stmt(&c, "CVE-2017-6507", "debian:11", "apparmor", VG_AFF_FIXED, "2.11.0-3", NULL,
		    NULL, NULL);
	coll_free(&c);
}

static void
test_tracker_statuses(void **state)
{
	static const char text[] =
		"{\"zlib\": {\n"
		"  \"CVE-2023-45853\": {\"description\": \"MiniZip ...\", \"scope\": \"local\",\n"
		"    \"releases\": {\n"
		"      \"bookworm\": {\"status\": \"open\", \"repositories\": {\"bookworm\": "
		"\"1:1.2.13.dfsg-1\"}, \"urgency\": \"low\", \"nodsa\": \"contrib/minizip not "
		"built\", \"nodsa_reason\": \"ignored\"},\n"
		"      \"bullseye\": {\"status\": \"open\", \"urgency\": \"low\", \"nodsa\": \"Minor "
		"issue\", \"nodsa_reason\": \"postponed\"},\n"
		"      \"buster\": {\"status\": \"open\", \"urgency\": \"low\", \"nodsa\": \"Minor "
		"issue\", \"nodsa_reason\": \"\"},\n"
		"      \"trixie\": {\"status\": \"undetermined\", \"urgency\": \"not yet assigned\"},\n"
		"      \"sid\": {\"status\": \"open\", \"urgency\": \"low\", \"next_point_update\": "
		"true},\n"
		"      \"hurd\": {\"status\": \"resolved\", \"fixed_version\": \"1.0-1\"},\n"
		"      \"experimental\": {\"status\": \"resolved\", \"fixed_version\": \"1.0-1\"},\n"
		"      \"stretch\": {\"status\": \"resolved\", \"fixed_version\": \"1:1.2.8.dfsg-5 "
		"bad\"},\n"
		"      \"jessie\": {\"status\": \"resolved\"},\n"
		"      \"wheezy\": {\"status\": \"gone\"}\n"
		"    }},\n"
		"  \"TEMP-0000000-3D4A46\": {\"description\": \"MiniZip ...\", \"releases\": {\n"
		"      \"bookworm\": {\"status\": \"resolved\", \"fixed_version\": \"0\", "
		"\"urgency\": \"severe\"}}}\n"
		"}, \"minizip\": {\"CVE-2023-45853\": {\"description\": \"MiniZip ...\", "
		"\"releases\": {}}}}\n";
	struct coll c = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_text(&vg_imp_debian_tracker_json, text, &c, &err), VG_OK);
	print_warnings(&c);
	check_invariants(&c);
	expect_stmt(&c, "CVE-2023-45853", "debian:12", "zlib", VG_AFF_WONT_FIX, NULL, NULL, "low",
		    "contrib/minizip not built");
	expect_stmt(&c, "CVE-2023-45853", "debian:11", "zlib", VG_AFF_NO_DSA, NULL, NULL, "low",
		    "postponed: Minor issue");
	expect_stmt(&c, "CVE-2023-45853", "debian:10", "zlib", VG_AFF_NO_DSA, NULL, NULL, "low",
		    "Minor issue");
	expect_stmt(&c, "CVE-2023-45853", "debian:13", "zlib", VG_AFF_UNDETERMINED, NULL, NULL,
		    NULL, NULL);
	expect_stmt(&c, "CVE-2023-45853", "debian:unstable", "zlib", VG_AFF_AFFECTED, NULL, NULL,
		    "low", NULL);
	expect_stmt(&c, "TEMP-0000000-3D4A46", "debian:12", "zlib", VG_AFF_NOT_AFFECTED, NULL, NULL,
		    NULL, NULL);
	assert_int_equal(c.nstmts, 6);
	/* One description per id, whatever the number of packages naming it. */
	assert_int_equal(c.nvulns, 2);
	assert_true(some_warning(&c, "mem: record CVE-2023-45853 (package zlib): unknown release "
				     "'hurd'"));
	assert_true(some_warning(&c, "invalid version '1:1.2.8.dfsg-5 bad'"));
	assert_true(some_warning(&c, "field 'releases.jessie': resolved without fixed_version"));
	assert_true(some_warning(&c, "field 'releases.wheezy.status': unknown status 'gone'"));
	assert_true(some_warning(&c, "unknown urgency 'severe'"));
	assert_true(some_warning(&c, "skipped 5 annotation(s): 1 unknown release, 1 experimental, "
				     "1 invalid version, 1 unknown status, 1 other"));
	coll_free(&c);
}

static void
test_tracker_malformed(void **state)
{
	struct coll c = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(
		import_text(&vg_imp_debian_tracker_json, "[{\"CVE-2023-1\": {}}]", &c, &err),
		VG_EINVAL);
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_tracker_json, "{}", &c, &err), VG_EINVAL);
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_tracker_json,
				     "{\"zlib\": {\"CVE-2023-45853\": \"open\"}}", &c, &err),
			 VG_EINVAL);
	assert_non_null(
		strstr(err.msg, "record CVE-2023-45853 (package zlib): expected an object"));
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_tracker_json,
				     "{\"zlib\": {\"CVE-2023-45853\": {\"releases\": \"x\"}}}", &c,
				     &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "field 'releases'"));
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_tracker_json,
				     "{\"zlib\": {\"CVE-2023-45853\": {\"releases\": {\"sid\": "
				     "{\"status\": 1}}}}}",
				     &c, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "field 'releases.sid'"));
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_tracker_json,
				     "{\"zlib\": {\"CVE-2023-45853\": {\"description\": 5}}}", &c,
				     &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "field 'description'"));
	coll_free(&c);
	assert_int_equal(
		import_text(&vg_imp_debian_tracker_json,
			    "{\"zlib\": {\"CVE-2023-45853\": {\"releases\": {\"sid\": ", &c, &err),
		VG_EINVAL);
	coll_free(&c);
}

/* ---- vuln-list-debian ----------------------------------------------------- */

#define VLD "debian-security-tracker/vuln-list-debian-format_fixture_trivy-db/tracker/"

static void
test_vulnlist_files(void **state)
{
	static const char *const empty_files[] = {
		VLD "distributions.json",
		VLD "source/bullseye/main/c/cloud-init.json",
		VLD "source/bullseye/main/c/curl.json",
		VLD "source/bullseye/main/d/dummy.json",
		VLD "source/bullseye/main/g/gnutls28.json",
		VLD "source/bullseye/main/l/libgcrypt20.json",
		VLD "source/bullseye/main/o/openssl.json",
		VLD "source/stretch/main/d/dacs.json",
		VLD "updates-source/bullseye/main/d/dummy.json",
		VLD "updates-source/bullseye/main/l/libgcrypt20.json",
		VLD "updates-source/bullseye/main/o/openssl.json",
		VLD "updates-source/stretch/main/d/dacs.json",
	};
	struct coll c = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_shared(&vg_imp_debian_vulnlist_json, VLD "CVE/CVE-2021-33560.json",
				       &c, &err),
			 VG_OK);
	check_invariants(&c);
	assert_string_equal(c.name, "debian-vulnlist");
	assert_string_equal(c.format, "debian-vulnlist");
	assert_int_equal(c.mode, VG_FEED_MERGE);
	assert_int_equal(c.nwarns, 0);
	assert_int_equal(c.nstmts, 3);
	expect_stmt(&c, "CVE-2021-33560", "debian:unstable", "libgcrypt20", VG_AFF_FIXED, "1.8.7-6",
		    NULL, NULL, NULL);
	expect_stmt(&c, "CVE-2021-33560", "debian:10", "libgcrypt20", VG_AFF_FIXED,
		    "1.8.4-5+deb10u1", NULL, NULL, NULL);
	expect_stmt(&c, "CVE-2021-33560", "debian:9", "libgcrypt20", VG_AFF_NO_DSA, NULL, NULL,
		    NULL, "Minor issue");
	assert_string_equal(find_vuln(&c, "CVE-2021-33560")->summary,
			    "Libgcrypt before 1.8.8 and 1.9.x before 1.9.3 mishandles ElGamal "
			    "encry ...");
	coll_free(&c);

	assert_int_equal(import_shared(&vg_imp_debian_vulnlist_json, VLD "CVE/CVE-2021-29629.json",
				       &c, &err),
			 VG_OK);
	check_invariants(&c);
	expect_stmt(&c, "CVE-2021-29629", "debian:unstable", "dacs", VG_AFF_AFFECTED, NULL, NULL,
		    "unimportant", NULL);
	expect_stmt(&c, "CVE-2021-29629", "debian:9", "dacs", VG_AFF_NOT_AFFECTED, NULL, NULL,
		    "unimportant", "Vulnerable module first bundled in 1.4.40");
	expect_stmt(&c, "CVE-2021-29629", "debian:10", "dacs", VG_AFF_WONT_FIX, NULL, NULL,
		    "unimportant", "Minor issue");
	coll_free(&c);

	assert_int_equal(
		import_shared(&vg_imp_debian_vulnlist_json, VLD "CVE/CVE-2021-3450.json", &c, &err),
		VG_OK);
	assert_int_equal(c.nstmts, 4);
	expect_stmt(&c, "CVE-2021-3450", "debian:unstable", "openssl1.0", VG_AFF_NOT_AFFECTED, NULL,
		    NULL, NULL, "Vulnerable code introduced in 1.1.1h");
	coll_free(&c);

	assert_int_equal(
		import_shared(&vg_imp_debian_vulnlist_json, VLD "CVE/CVE-2023-5981.json", &c, &err),
		VG_OK);
	expect_stmt(&c, "CVE-2023-5981", "debian:12", "gnutls28", VG_AFF_FIXED, "3.7.9-2+deb12u1",
		    NULL, NULL, NULL);
	coll_free(&c);

	assert_int_equal(
		import_shared(&vg_imp_debian_vulnlist_json, VLD "DLA/DLA-2691-1.json", &c, &err),
		VG_OK);
	check_invariants(&c);
	assert_int_equal(c.nstmts, 1);
	expect_stmt(&c, "CVE-2021-33560", "debian:9", "libgcrypt20", VG_AFF_FIXED, "1.7.6-2+deb9u4",
		    "DLA-2691-1", NULL, NULL);
	assert_string_equal(find_vuln(&c, "DLA-2691-1")->published, "2021-06-25");
	assert_string_equal(find_vuln(&c, "DLA-2691-1")->aliases[0], "CVE-2021-33560");
	coll_free(&c);

	assert_int_equal(
		import_shared(&vg_imp_debian_vulnlist_json, VLD "DSA/DSA-3714-1.json", &c, &err),
		VG_OK);
	expect_stmt(&c, "DSA-3714-1", "debian:8", "akonadi", VG_AFF_FIXED, "1.13.0-2+deb8u2",
		    "DSA-3714-1", NULL, NULL);
	coll_free(&c);

	/* The other files carry no statement: imported empty, without a warning. */
	for (size_t i = 0; i < sizeof(empty_files) / sizeof(empty_files[0]); i++) {
		assert_int_equal(
			import_shared(&vg_imp_debian_vulnlist_json, empty_files[i], &c, &err),
			VG_OK);
		check_invariants(&c);
		assert_int_equal(c.end_nrecords, 0);
		assert_int_equal(c.nwarns, 0);
		coll_free(&c);
	}
}

static void
test_vulnlist_synthetic(void **state)
{
	struct coll c = {0};
	struct vg_err err;

	(void)state;
	/* A placeholder id is turned into the tracker's TEMP- id. */
	assert_int_equal(
		import_text(&vg_imp_debian_vulnlist_json,
			    "{\"Header\": {\"ID\": \"CVE-2023-XXXX\", \"Description\": "
			    "\"[code execution via malformed XTGETTCAP]\"}, \"Annotations\": "
			    "[{\"Type\": \"package\", \"Package\": \"foot\", \"Kind\": "
			    "\"fixed\", \"Version\": \"1.15.3-2\", \"BugNo\": 1053115}, "
			    "{\"Type\": \"package\", \"Release\": \"bookworm\", \"Package\": "
			    "\"foot\", \"Kind\": \"postponed\", \"Description\": \"x\"}, "
			    "{\"Type\": \"REJECTED\"}, {\"Type\": \"weird\"}]}",
			    &c, &err),
		VG_OK);
	check_invariants(&c);
	expect_stmt(&c, "TEMP-1053115-9454E3", "debian:unstable", "foot", VG_AFF_FIXED, "1.15.3-2",
		    NULL, NULL, NULL);
	expect_stmt(&c, "TEMP-1053115-9454E3", "debian:12", "foot", VG_AFF_NO_DSA, NULL, NULL, NULL,
		    "postponed: x");
	assert_true(find_vuln(&c, "TEMP-1053115-9454E3")->withdrawn);
	assert_true(some_warning(&c, "unknown type 'weird'"));
	coll_free(&c);
	/* distributions.json that knows a release Vigil does not. */
	assert_int_equal(
		import_text(&vg_imp_debian_vulnlist_json,
			    "{\"bookworm\": {\"major-version\": \"12\", \"support\": "
			    "\"security\"}, \"bullseye\": {\"major-version\": \"12\"}, "
			    "\"zeta\": {\"major-version\": \"99\", \"support\": \"none\"}}",
			    &c, &err),
		VG_OK);
	assert_int_equal(c.nwarns, 2);
	assert_true(some_warning(&c, "release 'zeta' (version '99') is unknown"));
	assert_true(some_warning(&c, "release 'bullseye' is version '12' here, '11' in Vigil"));
	coll_free(&c);
	/* Structure errors name the record and the field. */
	assert_int_equal(
		import_text(&vg_imp_debian_vulnlist_json,
			    "{\"Header\": {\"ID\": \"DSA-1-1\"}, \"Annotations\": [{\"Type\": "
			    "\"package\", \"Release\": \"sid\", \"Kind\": \"fixed\"}]}",
			    &c, &err),
		VG_EINVAL);
	assert_non_null(strstr(err.msg, "record DSA-1-1: field 'Annotations[0].Package'"));
	coll_free(&c);
	assert_int_equal(
		import_text(&vg_imp_debian_vulnlist_json, "{\"Header\": {\"ID\": 5}}", &c, &err),
		VG_EINVAL);
	assert_non_null(strstr(err.msg, "'Header.ID'"));
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_vulnlist_json, "{\"foo\": 1}", &c, &err),
			 VG_EINVAL);
	coll_free(&c);
	assert_int_equal(import_text(&vg_imp_debian_vulnlist_json,
				     "{\"Header\": {\"ID\": \"GHSA-1\"}}", &c, &err),
			 VG_EINVAL);
	coll_free(&c);
}

/* ---- detection ------------------------------------------------------------ */

static int
probe_file(const struct vg_importer *imp, const char *rel)
{
	char *path = vgt_shared_path(rel);
	struct vg_feed_in in;
	struct vg_err err;
	struct vg_sniff *s = vg_xmalloc(sizeof(*s));
	struct vg_buf scratch;
	int score;

	vg_buf_init(&scratch, VG_SNIFF_MAX);
	assert_int_equal(vg_feed_in_open(&in, path, &err), VG_OK);
	assert_int_equal(vg_feed_sniff(&in, s, &scratch, &err), VG_OK);
	score = imp->probe(s);
	vg_feed_in_close(&in);
	vg_buf_release(&scratch);
	free(s);
	free(path);
	return score;
}

static void
test_probes(void **state)
{
	static const struct {
		const char *rel;
		const struct vg_importer *imp;
	} files[] = {
		{"debian-security-tracker/salsa-format_2023-04/data/DSA/list", &vg_imp_debian_list},
		{"debian-security-tracker/salsa-format_2023-04/data/DLA/list", &vg_imp_debian_list},
		{"debian-security-tracker/salsa-format_fixture_vuln-list-update/data/DSA/list",
		 &vg_imp_debian_list},
		{"debian-security-tracker/salsa-format_fixture_vuln-list-update/data/DLA/list",
		 &vg_imp_debian_list},
		{"debian-security-tracker/tracker-json_fixture_vunnel/DSA", &vg_imp_debian_list},
		{"debian-security-tracker/salsa-format_fixture_vuln-list-update/data/CVE/list",
		 &vg_imp_debian_cve_list},
		{"debian-security-tracker/tracker-json_fixture_vunnel/debian.json",
		 &vg_imp_debian_tracker_json},
		{"debian-security-tracker/tracker-json_fixture_osv.dev/"
		 "debian_security_tracker_mock.json",
		 &vg_imp_debian_tracker_json},
		{VLD "CVE/CVE-2016-4606.json", &vg_imp_debian_vulnlist_json},
		{VLD "CVE/CVE-2023-5981.json", &vg_imp_debian_vulnlist_json},
		{VLD "DLA/DLA-2691-1.json", &vg_imp_debian_vulnlist_json},
		{VLD "DSA/DSA-3714-1.json", &vg_imp_debian_vulnlist_json},
		{VLD "distributions.json", &vg_imp_debian_vulnlist_json},
		{VLD "source/bullseye/main/c/curl.json", &vg_imp_debian_vulnlist_json},
		{VLD "source/bullseye/main/d/dummy.json", &vg_imp_debian_vulnlist_json},
		{VLD "updates-source/bullseye/main/l/libgcrypt20.json",
		 &vg_imp_debian_vulnlist_json},
	};
	static const struct vg_importer *const mine[] = {
		&vg_imp_debian_list,
		&vg_imp_debian_cve_list,
		&vg_imp_debian_tracker_json,
		&vg_imp_debian_vulnlist_json,
	};
	/* Files of other formats none of the four may claim (OSV records of DSAs/DLAs are
	 * the OSV importer's). */
	static const char *const others[] = {
		"osv/osv.dev-testdata/DSA-3029-1.json",
		"osv/osv.dev-testdata/DLA-3623-1.json",
		"osv/osv.dev-testdata/USN-6332-1.json",
		"kev/known_exploited_vulnerabilities.json",
		"nvd/nvd-api-2.0_pages/vunnel_single-entry.json",
		"alpine-secdb/vunnel_wolfi_security.json",
		"alpine-secdb/vunnel_alpine_v3.15_main.yaml",
		"epss/fixtures/vunnel_example-1.csv",
		"vectors/dpkg_version_compare.tsv",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		for (size_t j = 0; j < sizeof(mine) / sizeof(mine[0]); j++) {
			int score = probe_file(mine[j], files[i].rel);
			if (score != (mine[j] == files[i].imp ? 100 : 0))
				fail_msg("%s: probe of %s gave %d", files[i].rel, mine[j]->format,
					 score);
		}
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		for (size_t j = 0; j < sizeof(mine) / sizeof(mine[0]); j++)
			if (probe_file(mine[j], others[i]) != 0)
				fail_msg("%s claimed by %s", others[i], mine[j]->format);
}

/* The dispatcher picks the right importer and prefixes the path to errors. */
static void
test_import_file(void **state)
{
	struct coll c = {0};
	struct vg_feed_sink sink = sink_of(&c);
	struct vg_err err;
	const struct vg_importer *imp;
	char *path;

	(void)state;
	path = vgt_shared_path("debian-security-tracker/salsa-format_2023-04/data/DLA/list");
	assert_int_equal(vg_feed_detect(path, &imp, &err), VG_OK);
	assert_ptr_equal(imp, &vg_imp_debian_list);
	assert_int_equal(vg_feed_import_file(path, &sink, NULL, NULL, &err), VG_OK);
	assert_int_equal(c.end_nrecords, 14841);
	free(path);
	coll_free(&c);
	path = vgt_shared_path(
		"debian-security-tracker/salsa-format_fixture_vuln-list-update/data/DLA/list");
	assert_int_equal(vg_feed_import_file(path, &sink, NULL, NULL, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "/DLA/list:4: "));
	free(path);
	coll_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_releases),           cmocka_unit_test(test_words),
		cmocka_unit_test(test_md5_and_temp_ids),   cmocka_unit_test(test_dsa_list_real),
		cmocka_unit_test(test_dla_list_real),      cmocka_unit_test(test_list_fixtures),
		cmocka_unit_test(test_list_malformed),     cmocka_unit_test(test_cve_list_excerpt),
		cmocka_unit_test(test_cve_list_forms),     cmocka_unit_test(test_tracker_vunnel),
		cmocka_unit_test(test_tracker_osv_mock),   cmocka_unit_test(test_tracker_statuses),
		cmocka_unit_test(test_tracker_malformed),  cmocka_unit_test(test_vulnlist_files),
		cmocka_unit_test(test_vulnlist_synthetic), cmocka_unit_test(test_probes),
		cmocka_unit_test(test_import_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
