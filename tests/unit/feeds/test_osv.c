/*
 * test_osv.c - unit tests of the OSV importers: src/feeds/osv.c (OSV JSON
 * and the record mapping), osv_yaml.c (OSV in YAML, PYSEC) and ghsa.c
 * (GitHub's GraphQL securityAdvisories export).
 *
 * Every file of each ../shared/data/osv directory is detected and imported
 * through vg_feed_import_file() into an in-memory sink; the numbers of
 * vulns, statements and warnings are compared with the output of
 * tests/data/osv/expected.py, an independent Python implementation of the
 * rules of docs/feeds/osv.md (python3-packaging for PEP 440, python3-apt
 * for Debian ordering), run as
 *     /usr/bin/python3 tests/data/osv/expected.py DIR/... | grep -c ^AFF
 * (its statement lines were also diffed against this importer's, line by
 * line, for every directory).  Then records of each ecosystem are checked
 * statement by statement against values read from the files, in-memory
 * documents exercise the rules the real data does not reach (unsorted
 * events, limit, "v" prefixes, exploit references), malformed input must
 * fail naming file, record and field, and the probes must claim their
 * formats and nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "feeds/feed.h"
#include "feeds/importers.h"
#include "vgtest.h"

/* ---- a sink keeping everything as strings ----------------------------------- */

struct tvuln {
	char *id, *summary, *description, *published, *modified, *severity;
	char *v2, *v3, *v4;
	double s2, s3, s4;
	bool withdrawn;
	char *aliases; /* joined with "," */
	char *cwes;    /* joined with "," */
	char *refs;    /* "tags|url|exploit" joined with " " */
	size_t nrefs;
};

struct collect {
	struct tvuln *v;
	size_t nv;
	char **aff; /* "VULN ADVISORY ns|package|scheme|status|introduced|fixed|last|exact|note" */
	size_t naff;
	char **warn;
	size_t nwarn;
	int begins, ends;
	uint64_t end_count;
	char *src; /* "name format mode" of begin() */
};

static char *fmt(const char *f, ...) VG_PRINTF(1, 2);

static char *
fmt(const char *f, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	s = vg_xmalloc((size_t)n + 1);
	va_start(ap, f);
	(void)vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

static char *
dup_or_null(const char *s)
{
	return s ? vg_xstrdup(s) : NULL;
}

static char *
join(const char *const *list, size_t n)
{
	size_t len = 1, pos = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(list[i]) + 1;
	s = vg_xcalloc(1, len);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(list[i]);

		if (i)
			s[pos++] = ',';
		memcpy(s + pos, list[i], l);
		pos += l;
	}
	return s;
}

#define D(s) ((s) ? (s) : "-")

static int
c_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct collect *c = ctx;

	(void)err;
	c->begins++;
	free(c->src);
	c->src = fmt("%s %s %s", src->name, src->format,
		     src->mode == VG_FEED_MERGE ? "merge" : "replace");
	return VG_OK;
}

static int
c_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	struct collect *c = ctx;
	struct tvuln *t;
	char *refs = vg_xstrdup("");

	(void)err;
	c->v = vg_xreallocarray(c->v, c->nv + 1, sizeof(*c->v));
	t = &c->v[c->nv++];
	memset(t, 0, sizeof(*t));
	t->id = vg_xstrdup(v->id);
	t->summary = dup_or_null(v->summary);
	t->description = dup_or_null(v->description);
	t->published = dup_or_null(v->published);
	t->modified = dup_or_null(v->modified);
	t->severity = dup_or_null(v->severity);
	t->v2 = dup_or_null(v->cvss_v2);
	t->v3 = dup_or_null(v->cvss_v3);
	t->v4 = dup_or_null(v->cvss_v4);
	t->s2 = v->cvss_v2_score;
	t->s3 = v->cvss_v3_score;
	t->s4 = v->cvss_v4_score;
	t->withdrawn = v->withdrawn;
	t->aliases = join(v->aliases, v->naliases);
	t->cwes = join(v->cwes, v->ncwes);
	for (size_t i = 0; i < v->nrefs; i++) {
		char *next = fmt("%s%s%s|%s|%d", refs, i ? " " : "", D(v->refs[i].tags),
				 v->refs[i].url, v->refs[i].exploit);

		free(refs);
		refs = next;
	}
	t->refs = refs;
	t->nrefs = v->nrefs;
	assert_non_null(v->id);
	return VG_OK;
}

static int
c_affected(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	struct collect *c = ctx;

	(void)err;
	c->aff = vg_xreallocarray(c->aff, c->naff + 1, sizeof(*c->aff));
	c->aff[c->naff++] =
		fmt("%s %s %s|%s|%s|%s|%s|%s|%s|%s|%s", a->vuln_id, D(a->advisory), a->ns,
		    a->package, vg_ver_scheme_name(a->scheme), vg_aff_status_name(a->status),
		    D(a->introduced), D(a->fixed), D(a->last_affected), D(a->exact), D(a->note));
	/* record.h's invariants. */
	assert_true(a->fixed == NULL || a->status == VG_AFF_FIXED);
	assert_true(a->exact == NULL || (!a->introduced && !a->fixed && !a->last_affected));
	assert_true(a->introduced == NULL || strcmp(a->introduced, "0") != 0);
	return VG_OK;
}

static int
c_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct collect *c = ctx;

	(void)src;
	(void)err;
	c->ends++;
	c->end_count += n;
	return VG_OK;
}

static void
c_warn(void *ctx, const char *msg)
{
	struct collect *c = ctx;

	c->warn = vg_xreallocarray(c->warn, c->nwarn + 1, sizeof(*c->warn));
	c->warn[c->nwarn++] = vg_xstrdup(msg);
}

static struct vg_feed_sink
sink_of(struct collect *c)
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

static void
collect_free(struct collect *c)
{
	for (size_t i = 0; i < c->nv; i++) {
		struct tvuln *t = &c->v[i];

		free(t->id);
		free(t->summary);
		free(t->description);
		free(t->published);
		free(t->modified);
		free(t->severity);
		free(t->v2);
		free(t->v3);
		free(t->v4);
		free(t->aliases);
		free(t->cwes);
		free(t->refs);
	}
	for (size_t i = 0; i < c->naff; i++)
		free(c->aff[i]);
	for (size_t i = 0; i < c->nwarn; i++)
		free(c->warn[i]);
	free(c->v);
	free(c->aff);
	free(c->warn);
	free(c->src);
	memset(c, 0, sizeof(*c));
}

static const struct tvuln *
find_vuln(const struct collect *c, const char *id)
{
	for (size_t i = 0; i < c->nv; i++)
		if (strcmp(c->v[i].id, id) == 0)
			return &c->v[i];
	fail_msg("no vuln %s", id);
	return NULL;
}

/*
 * The statements of @id, in the order emitted, must be exactly @want (each
 * "ns|package|scheme|status|introduced|fixed|last_affected|exact|note").
 */
static void
check_statements(const struct collect *c, const char *id, const char *const *want, size_t n)
{
	size_t got = 0, idlen = strlen(id);

	for (size_t i = 0; i < c->naff; i++) {
		const char *s = c->aff[i];

		if (strncmp(s, id, idlen) != 0 || s[idlen] != ' ')
			continue;
		/* vuln_id and advisory are the record id */
		assert_int_equal(strncmp(s + idlen + 1, id, idlen), 0);
		if (got >= n)
			fail_msg("%s: unexpected extra statement %s", id, s);
		if (strcmp(s + 2 * idlen + 2, want[got]) != 0)
			fail_msg("%s: statement %zu is\n  %s\nwant\n  %s", id, got,
				 s + 2 * idlen + 2, want[got]);
		got++;
	}
	if (got != n)
		fail_msg("%s: %zu statements, want %zu", id, got, n);
}

#define CHECK_STATEMENTS(c, id, ...)                                                  \
	do {                                                                          \
		static const char *const want_[] = {__VA_ARGS__};                     \
		check_statements((c), (id), want_, sizeof(want_) / sizeof(want_[0])); \
	} while (0)

static void
check_no_statements(const struct collect *c, const char *id)
{
	check_statements(c, id, NULL, 0);
}

/* Does some warning contain every one of the NULL-terminated needles? */
static bool
warned(const struct collect *c, ...)
{
	for (size_t i = 0; i < c->nwarn; i++) {
		va_list ap;
		const char *needle;
		bool all = true;

		va_start(ap, c);
		while ((needle = va_arg(ap, const char *)) != NULL)
			all = all && strstr(c->warn[i], needle) != NULL;
		va_end(ap);
		if (all)
			return true;
	}
	return false;
}

/* ---- importing -------------------------------------------------------------- */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Detect and import every file of shared/data/@dir except LICENSE*: each
 * must be recognised as @format and import cleanly.  Returns the file count.
 */
static size_t
import_dir(struct collect *c, const char *dir, const char *format)
{
	char *path = vgt_shared_path(dir);
	struct vg_feed_sink sink = sink_of(c);
	char **names = NULL;
	size_t n = 0;
	DIR *d = opendir(path);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, "LICENSE", 7) == 0)
			continue;
		names = vg_xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = fmt("%s/%s", path, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		const struct vg_importer *imp = NULL;
		struct vg_err err;

		vg_err_clear(&err);
		if (vg_feed_detect(names[i], &imp, &err) != VG_OK)
			fail_msg("%s: %s", names[i], err.msg);
		if (strcmp(imp->format, format) != 0)
			fail_msg("%s detected as %s, want %s", names[i], imp->format, format);
		if (vg_feed_import_file(names[i], &sink, NULL, NULL, &err) != VG_OK)
			fail_msg("%s: %s", names[i], err.msg);
		free(names[i]);
	}
	free(names);
	free(path);
	assert_int_equal(c->begins, (int)n);
	assert_int_equal(c->ends, (int)n);
	assert_int_equal(c->end_count, c->nv);
	return n;
}

/* Import the shared file @rel (detected), which must succeed. */
static void
import_shared(struct collect *c, const char *rel)
{
	char *path = vgt_shared_path(rel);
	struct vg_feed_sink sink = sink_of(c);
	struct vg_err err;

	vg_err_clear(&err);
	if (vg_feed_import_file(path, &sink, NULL, NULL, &err) != VG_OK)
		fail_msg("%s: %s", rel, err.msg);
	free(path);
}

/* Import @text from memory with @imp; returns the importer's result, @err its message. */
static int
import_mem(struct collect *c, const struct vg_importer *imp, const char *name, const char *text,
	   struct vg_err *err)
{
	struct vg_feed_sink sink = sink_of(c);
	struct vg_feed_in in;
	int rc;

	vg_err_clear(err);
	vg_feed_in_open_mem(&in, name, text, strlen(text));
	rc = imp->import(&in, &sink, err);
	vg_feed_in_close(&in);
	return rc;
}

/* Like import_mem() but the import must succeed. */
static void
import_ok(struct collect *c, const struct vg_importer *imp, const char *text)
{
	struct vg_err err;

	if (import_mem(c, imp, "mem.json", text, &err) != VG_OK)
		fail_msg("import failed: %s", err.msg);
}

/* ---- whole directories: counts from tests/data/osv/expected.py ----------------- */

static void
test_go_vulndb(void **state)
{
	struct collect c = {0};

	(void)state;
	assert_int_equal(import_dir(&c, "osv/go-vulndb", "osv-json"), 210);
	assert_int_equal(c.nv, 210);
	assert_int_equal(c.naff, 335);
	assert_int_equal(c.nwarn, 0);
	assert_string_equal(c.src, "osv osv-json merge");
	collect_free(&c);
}

static void
test_pypa_pysec(void **state)
{
	struct collect c = {0};

	(void)state;
	assert_int_equal(import_dir(&c, "osv/pypa-pysec", "osv-yaml"), 208);
	assert_int_equal(c.nv, 208);
	assert_int_equal(c.naff, 307);
	/* 14 listed versions PEP 440 rejects (legacy "0.9-doduo", "2.0.0-final", ...). */
	assert_int_equal(c.nwarn, 14);
	assert_true(warned(&c, "paramiko__PYSEC-2008-8.yaml: record PYSEC-2008-8: ",
			   "field 'affected[0].versions[2]': ", "'0.9-doduo'", NULL));
	assert_true(warned(&c, "record PYSEC-2006-1: field 'affected[0].versions[1]'",
			   "'2.0.0-final'", NULL));
	assert_string_equal(c.src, "osv osv-yaml merge");
	collect_free(&c);
}

static void
test_ghsa_dirs(void **state)
{
	struct collect c = {0};

	(void)state;
	assert_int_equal(import_dir(&c, "osv/ghsa-go_from-golang-vulndb-testdata", "osv-json"), 33);
	assert_int_equal(c.nv, 33);
	assert_int_equal(c.naff, 74);
	assert_int_equal(c.nwarn, 0);
	collect_free(&c);

	assert_int_equal(import_dir(&c, "osv/ghsa-multi_from-trivy-db-testdata", "osv-json"), 10);
	assert_int_equal(c.nv, 10);
	assert_int_equal(c.naff, 16);
	assert_int_equal(c.nwarn, 0);
	collect_free(&c);
}

static void
test_distro_dirs(void **state)
{
	struct collect c = {0};

	(void)state;
	assert_int_equal(import_dir(&c, "osv/osv.dev-testdata", "osv-json"), 8);
	assert_int_equal(c.nv, 8);
	assert_int_equal(c.naff, 10);
	assert_int_equal(c.nwarn, 0);
	collect_free(&c);

	assert_int_equal(import_dir(&c, "osv/ubuntu-osv_from-vunnel-testdata", "osv-json"), 9);
	assert_int_equal(c.nv, 9);
	assert_int_equal(c.naff, 48);
	assert_int_equal(c.nwarn, 0);
	collect_free(&c);
}

static void
test_graphql_file(void **state)
{
	struct collect c = {0};

	(void)state;
	assert_int_equal(import_dir(&c, "osv/ghsa-graphql-format_from-open-vulnerability-project",
				    "ghsa-graphql"),
			 1);
	assert_int_equal(c.nv, 10);
	assert_int_equal(c.naff, 18);
	/* The export is one page of many: securityAdvisories.pageInfo says so, but
	 * each advisory's own vulnerabilities are complete. */
	assert_int_equal(c.nwarn, 0);
	assert_string_equal(c.src, "osv ghsa-graphql merge");
	collect_free(&c);
}

/* ---- records, statement by statement ------------------------------------------ */

static void
test_go_records(void **state)
{
	struct collect c = {0};
	const struct tvuln *v;

	(void)state;
	/* Five introduced/fixed pairs: five intervals. */
	import_shared(&c, "osv/go-vulndb/GO-2022-0354.json");
	CHECK_STATEMENTS(&c, "GO-2022-0354",
			 "Go|github.com/cri-o/cri-o|semver|fixed|1.19.0|1.19.6|-|-|-",
			 "Go|github.com/cri-o/cri-o|semver|fixed|1.20.0|1.20.7|-|-|-",
			 "Go|github.com/cri-o/cri-o|semver|fixed|1.21.0|1.21.6|-|-|-",
			 "Go|github.com/cri-o/cri-o|semver|fixed|1.22.0|1.22.3|-|-|-",
			 "Go|github.com/cri-o/cri-o|semver|fixed|1.23.0|1.23.2|-|-|-");
	/* A fix that is a pseudo-version (a prerelease), then a reopening without a fix. */
	import_shared(&c, "osv/go-vulndb/GO-2025-4210.json");
	CHECK_STATEMENTS(
		&c, "GO-2025-4210",
		"Go|github.com/zitadel/zitadel|semver|fixed|-|1.80.0-v2.20.0.20251208091519-4c879b47334e|-|-|-",
		"Go|github.com/zitadel/zitadel|semver|affected|1.83.4|-|-|-|-");
	/* "+incompatible" build metadata is kept as written. */
	import_shared(&c, "osv/go-vulndb/GO-2024-2798.json");
	CHECK_STATEMENTS(
		&c, "GO-2024-2798",
		"Go|github.com/mattermost/mattermost-server|semver|fixed|8.1.0+incompatible|8.1.12+incompatible|-|-|-",
		"Go|github.com/mattermost/mattermost-server|semver|fixed|9.4.0+incompatible|9.4.5+incompatible|-|-|-",
		"Go|github.com/mattermost/mattermost-server|semver|fixed|9.5.0+incompatible|9.5.3+incompatible|-|-|-",
		"Go|github.com/mattermost/mattermost-server|semver|fixed|9.6.0-rc1+incompatible|9.6.1+incompatible|-|-|-");
	v = find_vuln(&c, "GO-2022-0354");
	assert_string_equal(v->aliases, "CVE-2022-0811,GHSA-6x2m-w449-qwx7");
	assert_false(v->withdrawn);
	/* A withdrawn record: the vuln, no statements. */
	import_shared(&c, "osv/go-vulndb/GO-2025-3543.json");
	v = find_vuln(&c, "GO-2025-3543");
	assert_true(v->withdrawn);
	check_no_statements(&c, "GO-2025-3543");
	collect_free(&c);
}

static void
test_pysec_records(void **state)
{
	struct collect c = {0};
	const struct tvuln *v;

	(void)state;
	/* Three intervals; the 71 listed versions all lie in them: no exact statement. */
	import_shared(&c, "osv/pypa-pysec/django__PYSEC-2015-5.yaml");
	CHECK_STATEMENTS(&c, "PYSEC-2015-5", "PyPI|django|pep440|fixed|-|1.4.18|-|-|-",
			 "PyPI|django|pep440|fixed|1.5|1.6.10|-|-|-",
			 "PyPI|django|pep440|fixed|1.7|1.7.3|-|-|-");
	v = find_vuln(&c, "PYSEC-2015-5");
	assert_string_equal(v->aliases, "CVE-2015-0220");
	assert_string_equal(v->published, "2015-01-16T16:59:00Z");
	assert_string_equal(v->modified, "2021-07-05T00:01:19.540383Z");
	assert_non_null(strstr(v->description, "is_safe_url function in Django before 1.4.18"));
	assert_null(v->summary);
	assert_int_equal(v->nrefs, 12);
	assert_non_null(strstr(v->refs, "ADVISORY|http://secunia.com/advisories/62285|0"));
	/* No range, only a versions list: one exact statement per version. */
	import_shared(&c, "osv/pypa-pysec/gratient__PYSEC-2024-1.yaml");
	CHECK_STATEMENTS(&c, "PYSEC-2024-1", "PyPI|gratient|pep440|affected|-|-|-|0.5|-");
	v = find_vuln(&c, "PYSEC-2024-1");
	assert_string_equal(v->summary, "gratient 0.5 contains credential harvesting code");
	/* An unquoted YAML timestamp stays the string it was. */
	assert_string_equal(v->modified, "2024-01-03T22:31:36Z");
	assert_string_equal(v->aliases, "");
	/* A versions list partly outside PEP 440: those entries warn, the range stands. */
	import_shared(&c, "osv/pypa-pysec/paramiko__PYSEC-2008-8.yaml");
	CHECK_STATEMENTS(&c, "PYSEC-2008-8", "PyPI|paramiko|pep440|fixed|-|1.7.2|-|-|-");
	/* The osv.dev copy of a PYSEC record, versions covered by the ranges. */
	import_shared(&c, "osv/osv.dev-testdata/test_vuln.json");
	CHECK_STATEMENTS(&c, "PYSEC-2021-63", "PyPI|cryptography|pep440|fixed|3.1|3.1.2|-|-|-",
			 "PyPI|cryptography|pep440|fixed|3.2|3.3.2|-|-|-");
	collect_free(&c);

	/* Its withdrawn twin: the vuln, withdrawn, and no statements. */
	import_shared(&c, "osv/osv.dev-testdata/test_vuln_withdrawn.json");
	assert_int_equal(c.nv, 1);
	assert_true(c.v[0].withdrawn);
	assert_string_equal(c.v[0].aliases, "CVE-2020-36242");
	assert_int_equal(c.naff, 0);
	collect_free(&c);
}

static void
test_pysec_severity(void **state)
{
	struct collect c = {0};
	size_t with_vector = 0;

	(void)state;
	import_dir(&c, "osv/pypa-pysec", "osv-yaml");
	/* 15 records carry a severity list (all CVSS_V3); every vector is valid. */
	for (size_t i = 0; i < c.nv; i++)
		with_vector += c.v[i].v3 != NULL;
	assert_int_equal(with_vector, 15);
	collect_free(&c);
}

static void
test_ghsa_records(void **state)
{
	struct collect c = {0};
	const struct tvuln *v;

	(void)state;
	import_shared(&c, "osv/ghsa-multi_from-trivy-db-testdata/GHSA-75v8-2h7p-7m2m.json");
	CHECK_STATEMENTS(&c, "GHSA-75v8-2h7p-7m2m",
			 "npm|formidable|semver|fixed|3.1.1-canary.20211030|3.5.3|-|-|-",
			 "npm|formidable|semver|affected|2.1.0|-|-|-|-");
	v = find_vuln(&c, "GHSA-75v8-2h7p-7m2m");
	assert_string_equal(v->severity, "LOW");
	assert_string_equal(v->v3, "CVSS:3.1/AV:N/AC:H/PR:L/UI:N/S:U/C:N/I:L/A:N");
	assert_string_equal(v->cwes, "CWE-338");
	assert_true(isnan(v->s3));

	import_shared(&c, "osv/ghsa-multi_from-trivy-db-testdata/GHSA-32qq-m9fh-f74w.json");
	CHECK_STATEMENTS(&c, "GHSA-32qq-m9fh-f74w",
			 "Maven|com.baomidou:mybatis-plus|generic|affected|-|-|-|-|-",
			 "Maven|com.baomidou:mybatis-plus-copy|generic|fixed|-|3.5.0|-|-|-");
	import_shared(&c, "osv/ghsa-multi_from-trivy-db-testdata/GHSA-mp6f-p9gp-vpj9.json");
	CHECK_STATEMENTS(&c, "GHSA-mp6f-p9gp-vpj9",
			 "crates.io|sized-chunks|semver|fixed|-|0.6.3|-|-|-");
	import_shared(&c, "osv/ghsa-multi_from-trivy-db-testdata/GHSA-7fj7-39wj-c64f.json");
	CHECK_STATEMENTS(&c, "GHSA-7fj7-39wj-c64f",
			 "SwiftURL|github.com/apple/swift-nio|semver|fixed|2.41.0|2.42.0|-|-|-",
			 "SwiftURL|github.com/apple/swift-nio|semver|fixed|2.39.0|2.39.1|-|-|-",
			 "SwiftURL|github.com/apple/swift-nio|semver|fixed|-|2.29.1|-|-|-");
	v = find_vuln(&c, "GHSA-7fj7-39wj-c64f");
	assert_string_equal(v->cwes, "CWE-113,CWE-74");
	import_shared(&c, "osv/ghsa-multi_from-trivy-db-testdata/GHSA-266m-wp2v-x7mq.json");
	CHECK_STATEMENTS(
		&c, "GHSA-266m-wp2v-x7mq",
		"NuGet|Microsoft.NetCore.App.Runtime.linux-arm|generic|fixed|9.0.0|9.0.6|-|-|-");
	import_shared(&c, "osv/ghsa-multi_from-trivy-db-testdata/GHSA-wjx8-cgrm-hh8p.json");
	CHECK_STATEMENTS(&c, "GHSA-wjx8-cgrm-hh8p",
			 "Packagist|contao/core-bundle|generic|fixed|4.0.0|4.4.46|-|-|-",
			 "Packagist|contao/core-bundle|generic|fixed|4.5.0|4.8.6|-|-|-");
	/* Go's "1.22.0-0" (the first 1.22 prerelease) is a SemVer prerelease. */
	import_shared(&c, "osv/ghsa-multi_from-trivy-db-testdata/GHSA-4v7x-pqxf-cx7m.json");
	CHECK_STATEMENTS(&c, "GHSA-4v7x-pqxf-cx7m", "Go|net/http|semver|fixed|-|1.21.9|-|-|-",
			 "Go|net/http|semver|fixed|1.22.0-0|1.22.2|-|-|-");
	/* A vector with a trailing "/" loses the slash, not the vector. */
	import_shared(&c, "osv/ghsa-multi_from-trivy-db-testdata/GHSA-f5pg-7wfw-84q9.json");
	v = find_vuln(&c, "GHSA-f5pg-7wfw-84q9");
	assert_string_equal(v->v3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C");
	assert_string_equal(v->severity, "MODERATE");
	/* last_affected: closed intervals, status affected. */
	import_shared(&c, "osv/ghsa-go_from-golang-vulndb-testdata/GHSA-7fxj-fr3v-r9gj.json");
	CHECK_STATEMENTS(&c, "GHSA-7fxj-fr3v-r9gj",
			 "Go|github.com/pingcap/tidb|semver|affected|-|-|6.1.2|-|-",
			 "Go|github.com/pingcap/tidb|semver|affected|6.2.0|-|6.4.0-alpha1|-|-");
	import_shared(&c, "osv/ghsa-go_from-golang-vulndb-testdata/GHSA-pg5p-wwp8-97g8.json");
	CHECK_STATEMENTS(&c, "GHSA-pg5p-wwp8-97g8",
			 "Go|github.com/cilium/cilium|semver|affected|1.7.0|-|1.10.0|-|-",
			 "Go|github.com/cilium/cilium|semver|fixed|1.11.0|1.11.16|-|-|-",
			 "Go|github.com/cilium/cilium|semver|fixed|1.12.0|1.12.9|-|-|-",
			 "Go|github.com/cilium/cilium|semver|fixed|1.13.0|1.13.2|-|-|-");
	/* osv.dev's GHSA copy: Maven, CVSS v3.1, severity and CWE from database_specific. */
	import_shared(&c, "osv/osv.dev-testdata/GHSA-838r-hvwh-24h8.json");
	CHECK_STATEMENTS(&c, "GHSA-838r-hvwh-24h8",
			 "Maven|org.apache.any23:apache-any23|generic|fixed|-|2.5|-|-|-");
	v = find_vuln(&c, "GHSA-838r-hvwh-24h8");
	assert_string_equal(v->severity, "CRITICAL");
	assert_string_equal(v->v3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N");
	assert_null(v->v2);
	assert_null(v->v4);
	assert_string_equal(v->cwes, "CWE-611");
	assert_string_equal(v->aliases, "CVE-2021-38555");
	assert_string_equal(v->summary, "XML Injection in Any23");
	assert_string_equal(
		v->refs,
		"ADVISORY|https://nvd.nist.gov/vuln/detail/CVE-2021-38555|0 "
		"PACKAGE|https://github.com/apache/any23|0 "
		"WEB|https://lists.apache.org/thread.html/r589d1a9f94dbeee7a0f5dbe8513a0e300dfe669bd964ba2fbfe28e07%40%3Cannounce.apache.org%3E|0");
	collect_free(&c);
}

static void
test_distro_records(void **state)
{
	struct collect c = {0};
	const struct tvuln *v;

	(void)state;
	/* dpkg --compare-versions accepts 1.2.1-2.2+wheezy3 (checked with dpkg 1.21). */
	import_shared(&c, "osv/osv.dev-testdata/DSA-3029-1.json");
	CHECK_STATEMENTS(&c, "DSA-3029-1", "debian:7|nginx|dpkg|fixed|-|1.2.1-2.2+wheezy3|-|-|-");
	v = find_vuln(&c, "DSA-3029-1");
	assert_string_equal(v->summary, "nginx - security update");
	assert_string_equal(v->aliases, "CVE-2014-3616");
	assert_string_equal(v->refs, "ADVISORY|https://www.debian.org/security/2014/dsa-3029|0");

	/* Alpine:vX.Y -> alpine:X.Y, apk. */
	import_shared(&c, "osv/osv.dev-testdata/CVE-2022-27449.json");
	CHECK_STATEMENTS(&c, "CVE-2022-27449", "alpine:3.12|mariadb|apk|fixed|-|10.4.25-r0|-|-|-",
			 "alpine:3.13|mariadb|apk|fixed|-|10.5.16-r0|-|-|-",
			 "alpine:3.14|mariadb|apk|fixed|-|10.5.16-r0|-|-|-",
			 "alpine:3.15|mariadb|apk|fixed|-|10.6.8-r0|-|-|-",
			 "alpine:3.16|mariadb|apk|fixed|-|10.6.8-r0|-|-|-");

	/* Ubuntu:Pro:14.04:LTS -> ubuntu:14.04; open range; its 180 versions all covered. */
	import_shared(&c, "osv/osv.dev-testdata/UBUNTU-CVE-2025-38094.json");
	CHECK_STATEMENTS(&c, "UBUNTU-CVE-2025-38094", "ubuntu:14.04|linux|dpkg|affected|-|-|-|-|-");
	v = find_vuln(&c, "UBUNTU-CVE-2025-38094");
	/* no aliases, one upstream id: the same flaw */
	assert_string_equal(v->aliases, "CVE-2025-38094");
	assert_string_equal(v->severity, "medium");

	/* A DLA with 44 upstream CVEs and no affected entries: no aliases, no statements. */
	import_shared(&c, "osv/osv.dev-testdata/DLA-3623-1.json");
	v = find_vuln(&c, "DLA-3623-1");
	assert_string_equal(v->aliases, "");
	check_no_statements(&c, "DLA-3623-1");

	import_shared(&c, "osv/ubuntu-osv_from-vunnel-testdata/USN-5614-1.json");
	CHECK_STATEMENTS(&c, "USN-5614-1",
			 "ubuntu:18.04|wayland|dpkg|fixed|-|1.16.0-1ubuntu1.1~18.04.4|-|-|-",
			 "ubuntu:20.04|wayland|dpkg|fixed|-|1.18.0-1ubuntu0.1|-|-|-",
			 "ubuntu:22.04|wayland|dpkg|fixed|-|1.20.0-1ubuntu0.1|-|-|-");
	v = find_vuln(&c, "USN-5614-1");
	assert_string_equal(v->aliases, "UBUNTU-CVE-2021-3782");
	assert_string_equal(v->summary, "wayland vulnerability");

	/* Pro, non-LTS and future releases, epochs in fixed versions. */
	import_shared(&c, "osv/ubuntu-osv_from-vunnel-testdata/UBUNTU-CVE-2022-24823.json");
	CHECK_STATEMENTS(&c, "UBUNTU-CVE-2022-24823", "ubuntu:14.04|netty|dpkg|affected|-|-|-|-|-",
			 "ubuntu:16.04|netty|dpkg|fixed|-|1:4.0.34-1ubuntu0.1~esm2|-|-|-",
			 "ubuntu:18.04|netty|dpkg|fixed|-|1:4.1.7-4ubuntu0.1+esm3|-|-|-",
			 "ubuntu:20.04|netty|dpkg|fixed|-|1:4.1.45-1ubuntu0.1~esm2|-|-|-",
			 "ubuntu:22.04|netty|dpkg|fixed|-|1:4.1.48-4+deb11u2ubuntu0.1~esm1|-|-|-",
			 "ubuntu:24.04|netty|dpkg|fixed|-|1:4.1.48-9ubuntu0.1~esm1|-|-|-",
			 "ubuntu:25.10|netty|dpkg|affected|-|-|-|-|-",
			 "ubuntu:26.04|netty|dpkg|affected|-|-|-|-|-");

	/* Withdrawn Ubuntu record. */
	import_shared(&c, "osv/ubuntu-osv_from-vunnel-testdata/UBUNTU-CVE-2013-2208.json");
	v = find_vuln(&c, "UBUNTU-CVE-2013-2208");
	assert_true(v->withdrawn);
	check_no_statements(&c, "UBUNTU-CVE-2013-2208");
	collect_free(&c);
}

static void
test_graphql_records(void **state)
{
	struct collect c = {0};
	const struct tvuln *v;

	(void)state;
	import_shared(&c,
		      "osv/ghsa-graphql-format_from-open-vulnerability-project/advisories.json");
	/* GitHub's NUGET -> NuGet; ">= a, < b" and "< b". */
	CHECK_STATEMENTS(&c, "GHSA-fxwm-579q-49qq",
			 "NuGet|bootstrap|generic|fixed|4.0.0|4.3.1|-|-|-",
			 "NuGet|bootstrap.sass|generic|fixed|-|4.3.1|-|-|-",
			 "NuGet|bootstrap|generic|fixed|3.0.0|3.4.1|-|-|-",
			 "NuGet|Bootstrap.Less|generic|fixed|3.0.0|3.4.1|-|-|-");
	v = find_vuln(&c, "GHSA-fxwm-579q-49qq");
	assert_string_equal(v->aliases, "CVE-2019-8331");
	assert_string_equal(v->severity, "MODERATE");
	assert_null(v->v3);
	assert_true(isnan(v->s3));
	assert_string_equal(v->published, "2019-02-22T20:54:40Z");
	assert_string_equal(v->modified, "2021-12-03T14:54:43Z");
	assert_string_equal(v->refs, "-|https://github.com/advisories/GHSA-fxwm-579q-49qq|0");
	/* "< 1.2.0" although firstPatchedVersion says 1.9.1: the range is GitHub's statement. */
	CHECK_STATEMENTS(&c, "GHSA-p82g-2xpp-m5r3", "npm|dojo|semver|fixed|-|1.2.0|-|-|-");
	v = find_vuln(&c, "GHSA-p82g-2xpp-m5r3");
	assert_string_equal(v->v3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N");
	assert_int_equal((int)lround(v->s3 * 10), 54);
	assert_string_equal(v->cwes, "CWE-79");
	assert_int_equal(v->nrefs, 10);
	/* "<= 19.0.2" with first patched 20.0.2: both bounds kept. */
	CHECK_STATEMENTS(&c, "GHSA-97g8-xfvw-q4hg",
			 "Maven|org.keycloak:keycloak-parent|generic|fixed|-|20.0.2|19.0.2|-|-");
	v = find_vuln(&c, "GHSA-97g8-xfvw-q4hg");
	assert_string_equal(v->cwes, "CWE-287,CWE-304,CWE-488");
	/* Go ranges written "1.0", "2.5": Go's shorthand for 1.0.0, 2.5.0. */
	CHECK_STATEMENTS(&c, "GHSA-q76q-q8hw-hmpw",
			 "Go|github.com/goharbor/harbor|semver|fixed|1.0.0|1.10.13|1.10.12|-|-",
			 "Go|github.com/goharbor/harbor|semver|fixed|2.0.0|2.4.3|2.4.2|-|-",
			 "Go|github.com/goharbor/harbor|semver|fixed|2.5.0|2.5.2|2.5.1|-|-");
	/* PIP -> PyPI, ">= 0" is from the first version; RUST -> crates.io. */
	CHECK_STATEMENTS(&c, "GHSA-hwqr-f3v9-hwxr",
			 "PyPI|distributed|pep440|fixed|-|2021.10.0|-|-|-");
	CHECK_STATEMENTS(&c, "GHSA-wwh2-r387-g5rm",
			 "crates.io|tower-http|semver|fixed|0.2.0|0.2.1|-|-|-",
			 "crates.io|tower-http|semver|fixed|-|0.1.3|-|-|-");
	v = find_vuln(&c, "GHSA-r587-7jh2-4qr3");
	assert_string_equal(v->aliases, "");
	assert_string_equal(v->severity, "CRITICAL");
	collect_free(&c);
}

/* ---- rules the real data does not reach ------------------------------------------ */

static void
test_event_order_and_limit(void **state)
{
	struct collect c = {0};

	(void)state;
	/* Unsorted events are walked in version order ("0" first). */
	import_ok(&c, &vg_imp_osv_json,
		  "{\"id\":\"T-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{"
		  "\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"x\"},\"ranges\":[{\"type\":"
		  "\"ECOSYSTEM\",\"events\":[{\"fixed\":\"2.0\"},{\"introduced\":\"1.5\"},"
		  "{\"fixed\":\"1.2\"},{\"introduced\":\"0\"}]}]}]}");
	CHECK_STATEMENTS(&c, "T-1", "PyPI|x|pep440|fixed|-|1.2|-|-|-",
			 "PyPI|x|pep440|fixed|1.5|2.0|-|-|-");
	/* A limit bounds what is open past it; a second limit raises the bound to the highest. */
	import_ok(
		&c, &vg_imp_osv_json,
		"{\"id\":\"T-2\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"y\"},"
		"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},"
		"{\"fixed\":\"1.4.0\"},{\"introduced\":\"2.0.0\"},{\"limit\":\"2.5.0\"},"
		"{\"limit\":\"2.3.0\"}]},{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"3.0.0\"},"
		"{\"limit\":\"*\"}]},{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"5.0.0\"},"
		"{\"limit\":\"4.0.0\"}]}]}]}");
	CHECK_STATEMENTS(&c, "T-2", "npm|y|semver|fixed|1.0.0|1.4.0|-|-|-",
			 "npm|y|semver|fixed|2.0.0|2.5.0|-|-|limit",
			 "npm|y|semver|affected|3.0.0|-|-|-|-");
	/* introduced == fixed is empty; a fix before anything is open changes nothing. */
	import_ok(
		&c, &vg_imp_osv_json,
		"{\"id\":\"T-3\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"z\"},"
		"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\"},"
		"{\"fixed\":\"1.0.0\"}]},{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"0.5.0\"},"
		"{\"introduced\":\"0.9.0\"},{\"last_affected\":\"0.9.3\"}]}]}]}");
	CHECK_STATEMENTS(&c, "T-3", "Go|z|semver|affected|0.9.0|-|0.9.3|-|-");
	assert_int_equal(c.nwarn, 0);
	collect_free(&c);
}

static void
test_versions_rule(void **state)
{
	struct collect c = {0};

	(void)state;
	/*
	 * Go: "v" prefixes dropped, "v1.2" completed; listed versions outside the
	 * intervals get exact statements, those inside do not; a GIT range is
	 * skipped and its entry falls back on its versions list.
	 */
	import_ok(
		&c, &vg_imp_osv_json,
		"[{\"id\":\"T-4\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"m\"},"
		"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"v1.2\"},"
		"{\"fixed\":\"v1.3.1\"}]}],\"versions\":[\"v1.2.0\",\"1.3.0\",\"v1.5.0\",\"0.9.0\"]},"
		"{\"package\":{\"ecosystem\":\"crates.io\",\"name\":\"n\"},\"ranges\":[{\"type\":"
		"\"GIT\",\"repo\":\"https://example.org/n\",\"events\":[{\"introduced\":\"0\"},"
		"{\"fixed\":\"0123456789abcdef0123456789abcdef01234567\"}]}],"
		"\"versions\":[\"0.1.0\",\"0.2.0\"]}]}]");
	CHECK_STATEMENTS(&c, "T-4", "Go|m|semver|fixed|1.2.0|1.3.1|-|-|-",
			 "Go|m|semver|affected|-|-|-|1.5.0|-", "Go|m|semver|affected|-|-|-|0.9.0|-",
			 "crates.io|n|semver|affected|-|-|-|0.1.0|-",
			 "crates.io|n|semver|affected|-|-|-|0.2.0|-");
	assert_int_equal(c.nwarn, 0);
	collect_free(&c);
}

static void
test_vuln_fields(void **state)
{
	struct collect c = {0};
	const struct tvuln *v;

	(void)state;
	import_ok(
		&c, &vg_imp_osv_json,
		"{\"id\":\"T-5\",\"aliases\":[\"GHSA-aaaa-bbbb-cccc\",\"CVE-2024-1\",\"T-5\","
		"\"CVE-2024-1\"],\"related\":[\"CVE-2024-9\"],\"upstream\":[\"CVE-2024-2\","
		"\"CVE-2024-3\"],\"severity\":[{\"type\":\"CVSS_V2\",\"score\":"
		"\"AV:N/AC:L/Au:N/C:P/I:P/A:P\"},{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N\"},"
		"{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/"
		"VA:H/SC:N/SI:N/SA:N\"},{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.0/AV:N/AC:L/PR:N/"
		"UI:N/S:U/C:H/I:H/A:H\"}],\"references\":[{\"type\":\"EXPLOIT\",\"url\":"
		"\"https://e.example/x\"},{\"type\":\"WEB\",\"url\":\"https://w.example/\"},"
		"{\"type\":\"FIX\"}],\"database_specific\":{\"cwe_ids\":[\"CWE-79\",\"NVD-CWE-noinfo\"],"
		"\"severity\":\"HIGH\"},\"summary\":\"\",\"details\":\"d\"}");
	v = find_vuln(&c, "T-5");
	/* CVE first, no duplicates, not itself; related and a multi-id upstream left out. */
	assert_string_equal(v->aliases, "CVE-2024-1,GHSA-aaaa-bbbb-cccc");
	assert_string_equal(v->v2, "AV:N/AC:L/Au:N/C:P/I:P/A:P");
	/* the invalid v3 vector warns; the next valid one is taken */
	assert_string_equal(v->v3, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_non_null(v->v4);
	assert_string_equal(v->severity, "HIGH");
	assert_string_equal(v->cwes, "CWE-79");
	assert_string_equal(v->refs, "EXPLOIT|https://e.example/x|1 WEB|https://w.example/|0");
	assert_null(v->summary); /* "" is absent */
	assert_string_equal(v->description, "d");
	assert_true(
		warned(&c, "mem.json: record T-5: field 'severity[1]': ", "CVSS:3.1/AV:N", NULL));
	assert_true(warned(&c, "record T-5: field 'database_specific.cwe_ids[1]'", "NVD-CWE-noinfo",
			   NULL));
	assert_true(warned(&c, "record T-5: field 'references[2]': no url", NULL));
	assert_int_equal(c.nwarn, 3);
	collect_free(&c);
}

static void
test_warnings(void **state)
{
	struct collect c = {0};

	(void)state;
	import_ok(
		&c, &vg_imp_osv_json,
		"{\"id\":\"T-6\",\"affected\":["
		"{\"package\":{\"ecosystem\":\"Bogus:1\",\"name\":\"a\"}},"
		"{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"b\"},\"ranges\":[{\"type\":"
		"\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0 bad\"},"
		"{\"introduced\":\"2.0-1\"},{\"fixed\":\"2.0-3\"}]}]},"
		"{\"ranges\":[]},"
		"{\"package\":{\"ecosystem\":\"npm\",\"name\":\"c\"},\"ranges\":[{\"type\":"
		"\"WEIRD\",\"events\":[]},{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0.0\","
		"\"fixed\":\"2.0.0\"}]}],\"versions\":[\"not.a.version\"]}]}");
	/* "1.0 bad" skipped: the first interval stays open up to the next fix */
	CHECK_STATEMENTS(&c, "T-6", "debian:12|b|dpkg|fixed|-|2.0-3|-|-|-");
	assert_true(warned(&c, "record T-6: field 'affected[0].package.ecosystem': ",
			   "unknown ecosystem 'Bogus:1'", NULL));
	assert_true(warned(&c, "field 'affected[1].ranges[0].events[1].fixed'", "1.0 bad", NULL));
	assert_true(warned(&c, "field 'affected[2]': no package", NULL));
	assert_true(warned(&c, "field 'affected[3].ranges[0]': unknown range type 'WEIRD'", NULL));
	assert_true(warned(&c, "field 'affected[3].ranges[1].events[0]': more than one", NULL));
	assert_true(warned(&c, "field 'affected[3].versions[0]'", "not.a.version", NULL));
	assert_int_equal(c.nwarn, 6);
	collect_free(&c);
}

static void
test_yaml_forms(void **state)
{
	struct collect c = {0};
	struct vg_err err;

	(void)state;
	/* Two documents, comments, quoted and plain scalars, a null summary. */
	import_ok(&c, &vg_imp_osv_yaml,
		  "# comment\n"
		  "id: PYSEC-T-1\n"
		  "summary: ~\n"
		  "affected:\n"
		  "- package: {name: pkg, ecosystem: PyPI}\n"
		  "  ranges:\n"
		  "  - type: ECOSYSTEM\n"
		  "    events:\n"
		  "    - introduced: 0\n"
		  "    - fixed: 1.10\n"
		  "---\n"
		  "id: 'PYSEC-T-2'\n"
		  "withdrawn: 2024-01-01T00:00:00Z\n"
		  "affected:\n"
		  "- package: {name: pkg, ecosystem: PyPI}\n"
		  "  versions: [\"1.0\"]\n");
	/* "1.10" stays "1.10" (not the number 1.1), "0" is from the start. */
	CHECK_STATEMENTS(&c, "PYSEC-T-1", "PyPI|pkg|pep440|fixed|-|1.10|-|-|-");
	assert_null(find_vuln(&c, "PYSEC-T-1")->summary);
	assert_true(find_vuln(&c, "PYSEC-T-2")->withdrawn);
	check_no_statements(&c, "PYSEC-T-2");
	assert_int_equal(c.ends, 1);
	assert_int_equal(c.end_count, 2);
	collect_free(&c);

	/* Aliases are refused (a tiny file could expand to a huge tree). */
	assert_int_equal(
		import_mem(&c, &vg_imp_osv_yaml, "a.yaml", "id: X\nx: &a [1, 2]\ny: *a\n", &err),
		VG_EINVAL);
	assert_non_null(strstr(err.msg, "record #1: line 3: yaml aliases are not supported"));
	collect_free(&c);
	/* Syntax errors name the line. */
	assert_int_equal(import_mem(&c, &vg_imp_osv_yaml, "b.yaml",
				    "id: X\naffected: [\n  - : ]: :\n", &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "record #1: line "));
	assert_non_null(strstr(err.msg, "yaml: "));
	collect_free(&c);
	/* Nesting is capped. */
	{
		char deep[400];
		size_t n = 0;

		n += (size_t)snprintf(deep, sizeof(deep), "id: X\nz: ");
		for (int i = 0; i < 80; i++)
			deep[n++] = '[';
		for (int i = 0; i < 80; i++)
			deep[n++] = ']';
		deep[n++] = '\n';
		deep[n] = '\0';
		assert_int_equal(import_mem(&c, &vg_imp_osv_yaml, "c.yaml", deep, &err),
				 VG_ETOOBIG);
		assert_non_null(strstr(err.msg, "nesting deeper than"));
	}
	collect_free(&c);
	/* Empty stream: no record. */
	assert_int_equal(import_mem(&c, &vg_imp_osv_yaml, "d.yaml", "# nothing\n", &err),
			 VG_EINVAL);
	collect_free(&c);
}

static void
test_graphql_forms(void **state)
{
	struct collect c = {0};
	struct vg_err err;

	(void)state;
	/* Without "data", vulnerabilities as nodes, "= v", ">= a" open, an unknown ecosystem. */
	import_ok(&c, &vg_imp_ghsa_graphql,
		  "{\"securityAdvisories\":{\"edges\":[{\"node\":{\"ghsaId\":\"GHSA-t1\","
		  "\"identifiers\":[{\"type\":\"GHSA\",\"value\":\"GHSA-t1\"},{\"type\":\"CVE\","
		  "\"value\":\"CVE-2020-1\"}],\"cvssSeverities\":{\"cvssV4\":{\"score\":8.7,"
		  "\"vectorString\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/"
		  "SA:N\"}},\"vulnerabilities\":{\"nodes\":["
		  "{\"package\":{\"ecosystem\":\"RUBYGEMS\",\"name\":\"r\"},"
		  "\"vulnerableVersionRange\":\"= 1.0.1\",\"firstPatchedVersion\":null},"
		  "{\"package\":{\"ecosystem\":\"COMPOSER\",\"name\":\"p/q\"},"
		  "\"vulnerableVersionRange\":\">= 2.0\",\"firstPatchedVersion\":null},"
		  "{\"package\":{\"ecosystem\":\"SWIFT\",\"name\":\"s\"},"
		  "\"vulnerableVersionRange\":\"> 1.0.0, < 2.0.0\"},"
		  "{\"package\":{\"ecosystem\":\"OTHER\",\"name\":\"o\"},"
		  "\"vulnerableVersionRange\":\"< 1\"}],"
		  "\"pageInfo\":{\"hasNextPage\":true}}}}]}}");
	CHECK_STATEMENTS(&c, "GHSA-t1", "RubyGems|r|generic|affected|-|-|-|1.0.1|-",
			 "Packagist|p/q|generic|affected|2.0|-|-|-|-");
	assert_int_equal((int)lround(find_vuln(&c, "GHSA-t1")->s4 * 10), 87);
	assert_true(warned(
		&c, "record GHSA-t1: field 'vulnerabilities.nodes[2].vulnerableVersionRange'",
		"'> 1.0.0'", NULL));
	assert_true(warned(&c, "field 'vulnerabilities.nodes[3].package'", "'OTHER'", NULL));
	assert_true(warned(&c, "field 'vulnerabilities'", "more entries", NULL));
	assert_int_equal(c.nwarn, 3);
	collect_free(&c);

	/* A failed query. */
	assert_int_equal(import_mem(&c, &vg_imp_ghsa_graphql, "e.json",
				    "{\"data\":null,\"errors\":[{\"message\":\"rate limited\"}]}",
				    &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "rate limited"));
	collect_free(&c);
	/* An advisory without its id. */
	assert_int_equal(
		import_mem(&c, &vg_imp_ghsa_graphql, "f.json",
			   "{\"data\":{\"securityAdvisories\":{\"nodes\":[{\"ghsaId\":\"GHSA-a\"},"
			   "{\"summary\":\"s\"}]}}}",
			   &err),
		VG_EINVAL);
	assert_string_equal(err.msg, "record #2: field 'ghsaId': missing");
	collect_free(&c);
}

/* ---- malformed input ------------------------------------------------------------- */

static void
test_malformed(void **state)
{
	struct collect c = {0};
	struct vg_err err;

	(void)state;
	/* The second record of an array has no id. */
	assert_int_equal(import_mem(&c, &vg_imp_osv_json, "m.json",
				    "[{\"id\":\"A-1\"},{\"summary\":\"x\"}]", &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "record #2: field 'id': missing");
	collect_free(&c);
	/* A wrong type deep in a record. */
	assert_int_equal(
		import_mem(&c, &vg_imp_osv_json, "m.json",
			   "{\"id\":\"A-2\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
			   "\"name\":\"x\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":["
			   "{\"introduced\":\"0\"},{\"fixed\":1}]}]}]}",
			   &err),
		VG_EINVAL);
	assert_string_equal(
		err.msg,
		"record A-2: field 'affected[0].ranges[0].events[1].fixed': expected a string");
	collect_free(&c);
	assert_int_equal(import_mem(&c, &vg_imp_osv_json, "m.json",
				    "{\"id\":\"A-3\",\"aliases\":\"CVE-1\"}", &err),
			 VG_EINVAL);
	assert_string_equal(err.msg, "record A-3: field 'aliases': expected an array");
	collect_free(&c);
	assert_int_equal(
		import_mem(&c, &vg_imp_osv_json, "m.json", "{\"id\":\"A-4\",\"summary\":", &err),
		VG_EINVAL);
	collect_free(&c);
	assert_int_equal(import_mem(&c, &vg_imp_osv_json, "m.json", "\"just a string\"", &err),
			 VG_EINVAL);
	collect_free(&c);
	assert_int_equal(import_mem(&c, &vg_imp_osv_yaml, "m.yaml", "- a\n- b\n", &err), VG_EINVAL);
	assert_string_equal(err.msg, "record #1: expected an object");
	collect_free(&c);
}

/* Through vg_feed_import_file(): the message starts with the file. */
static void
test_malformed_file(void **state)
{
	struct collect c = {0};
	struct vg_feed_sink sink = sink_of(&c);
	char *path = vgt_test_data_path("osv/bad-event-type.json");
	struct vg_err err;

	(void)state;
	vg_err_clear(&err);
	assert_int_equal(vg_feed_import_file(path, &sink, NULL, NULL, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg,
			       "bad-event-type.json: record OSV-T-7: field "
			       "'affected[0].ranges[0].events[1].fixed': expected a string"));
	assert_int_equal(c.ends, 0);
	free(path);
	collect_free(&c);
}

/* ---- detection -------------------------------------------------------------------- */

static int
probe_file(const struct vg_importer *imp, const char *rel)
{
	char *path = vgt_shared_path(rel);
	struct vg_feed_in in;
	struct vg_sniff s;
	struct vg_buf scratch;
	struct vg_err err;
	int score;

	vg_buf_init(&scratch, VG_SNIFF_MAX + 1);
	if (vg_feed_in_open(&in, path, &err) != VG_OK)
		fail_msg("%s: %s", rel, err.msg);
	if (vg_feed_sniff(&in, &s, &scratch, &err) != VG_OK)
		fail_msg("%s: %s", rel, err.msg);
	score = imp->probe(&s);
	vg_feed_in_close(&in);
	vg_buf_release(&scratch);
	free(path);
	return score;
}

static void
test_probes(void **state)
{
	static const char *const others[] = {
		"kev/known_exploited_vulnerabilities.json",
		"nvd/nvd-api-2.0_merged-sample.json",
		"nvd/nvd-feed-1.1_legacy/osv.dev_nvdcve-1.1-test-data.json",
		"nvd/cve-json-5/CVE-2024-7264.json",
		"alpine-secdb/vunnel_alpine_v3.15_main.yaml",
		"alpine-secdb/vunnel_wolfi_security.json",
		"alpine-secdb/trivy-db_vuln-list_alpine_ansible.json",
		"debian-security-tracker/salsa-format_2023-04/data/DSA/list",
		"sca/wazuh/cis_debian12.yml",
		"debian-security-tracker/vuln-list-debian-format_fixture_trivy-db/tracker/DLA/DLA-2691-1.json",
		"debian-security-tracker/tracker-json_fixture_vunnel/debian.json",
	};

	(void)state;
	assert_int_equal(probe_file(&vg_imp_osv_json, "osv/go-vulndb/GO-2022-0354.json"), 100);
	assert_int_equal(probe_file(&vg_imp_osv_json, "osv/osv.dev-testdata/DSA-3029-1.json"), 100);
	assert_int_equal(probe_file(&vg_imp_osv_yaml, "osv/pypa-pysec/django__PYSEC-2015-5.yaml"),
			 100);
	assert_int_equal(
		probe_file(
			&vg_imp_ghsa_graphql,
			"osv/ghsa-graphql-format_from-open-vulnerability-project/advisories.json"),
		100);
	assert_int_equal(probe_file(&vg_imp_osv_yaml, "osv/go-vulndb/GO-2022-0354.json"), 0);
	assert_int_equal(probe_file(&vg_imp_ghsa_graphql, "osv/go-vulndb/GO-2022-0354.json"), 0);
	assert_int_equal(
		probe_file(
			&vg_imp_osv_json,
			"osv/ghsa-graphql-format_from-open-vulnerability-project/advisories.json"),
		0);
	assert_int_equal(probe_file(&vg_imp_osv_json, "osv/pypa-pysec/django__PYSEC-2015-5.yaml"),
			 0);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		char *p = vgt_shared_path(others[i]);
		FILE *f = fopen(p, "r");

		free(p);
		if (!f)
			continue; /* not every layout has every sample */
		fclose(f);
		if (probe_file(&vg_imp_osv_json, others[i]) != 0 ||
		    probe_file(&vg_imp_osv_yaml, others[i]) != 0 ||
		    probe_file(&vg_imp_ghsa_graphql, others[i]) != 0)
			fail_msg("%s is claimed by an OSV importer", others[i]);
	}
}

static void
test_probe_array(void **state)
{
	struct collect c = {0};
	char *path = vgt_test_data_path("osv/two-records.json");
	const struct vg_importer *imp = NULL;
	struct vg_feed_sink sink = sink_of(&c);
	struct vg_err err;

	(void)state;
	/* An array of records is detected from its first element's keys. */
	assert_int_equal(vg_feed_detect(path, &imp, &err), VG_OK);
	assert_string_equal(imp->format, "osv-json");
	assert_int_equal(vg_feed_import_file(path, &sink, NULL, NULL, &err), VG_OK);
	assert_int_equal(c.nv, 2);
	CHECK_STATEMENTS(&c, "OSV-T-8", "Hex|plug|generic|fixed|-|1.3.5|-|-|-");
	CHECK_STATEMENTS(&c, "OSV-T-9", "RubyGems|rack|generic|fixed|2.0.0|2.2.3|-|-|-");
	free(path);
	collect_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_go_vulndb),
		cmocka_unit_test(test_pypa_pysec),
		cmocka_unit_test(test_ghsa_dirs),
		cmocka_unit_test(test_distro_dirs),
		cmocka_unit_test(test_graphql_file),
		cmocka_unit_test(test_go_records),
		cmocka_unit_test(test_pysec_records),
		cmocka_unit_test(test_pysec_severity),
		cmocka_unit_test(test_ghsa_records),
		cmocka_unit_test(test_distro_records),
		cmocka_unit_test(test_graphql_records),
		cmocka_unit_test(test_event_order_and_limit),
		cmocka_unit_test(test_versions_rule),
		cmocka_unit_test(test_vuln_fields),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_yaml_forms),
		cmocka_unit_test(test_graphql_forms),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_file),
		cmocka_unit_test(test_probes),
		cmocka_unit_test(test_probe_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
