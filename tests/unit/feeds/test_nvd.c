/*
 * test_nvd.c - unit tests of src/feeds/nvd.c (NVD API 2.0 / 2.0 feeds, NVD
 * 1.1 legacy feed) and src/feeds/cve5.c (CVE JSON 5).
 *
 * Every file of ../shared/data/nvd is imported through an in-memory sink
 * that keeps each record as JSON; per-file aggregates (records,
 * configurations, nodes, matches, CWEs, references, exploit references,
 * records with a v2/v3/v4 vector, withdrawn records) are compared with
 * numbers computed independently in Python from the same files under the
 * rules of docs/feeds/nvd.md.  Then single records are compared field by
 * field with values read from the files, malformed documents must fail with
 * VG_EINVAL naming file, record and field, bad optional values must warn,
 * and the probes must claim exactly their formats (not the KEV catalog).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "feeds/feed.h"
#include "feeds/importers.h"
#include "vgtest.h"

/* ---- a sink keeping everything as JSON ------------------------------------- */

struct collect {
	json_t *vulns;    /* array of record objects */
	json_t *warnings; /* array of strings */
	json_t *src_begin, *src_end;
	int begins, ends;
	uint64_t end_count;
	int fail_at; /* > 0: vuln() fails with VG_EIO on this record (1-based) */
};

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
jnum(double d)
{
	return isnan(d) ? json_null() : json_real(d);
}

static json_t *
match_json(const struct vg_cpe_match *m)
{
	json_t *o = json_pack("{s:s, s:b}", "cpe", m->criteria, "vuln", m->vulnerable);

	if (m->start_incl)
		json_object_set_new(o, "si", json_string(m->start_incl));
	if (m->start_excl)
		json_object_set_new(o, "se", json_string(m->start_excl));
	if (m->end_incl)
		json_object_set_new(o, "ei", json_string(m->end_incl));
	if (m->end_excl)
		json_object_set_new(o, "ee", json_string(m->end_excl));
	return o;
}

static json_t *
config_json(const struct vg_cpe_config *c)
{
	json_t *nodes = json_array();

	assert_true(c->nnodes > 0);
	for (size_t i = 0; i < c->nnodes; i++) {
		const struct vg_cpe_node *n = &c->nodes[i];
		json_t *ms = json_array();

		assert_true(n->nmatches > 0);
		for (size_t j = 0; j < n->nmatches; j++)
			json_array_append_new(ms, match_json(&n->matches[j]));
		json_array_append_new(nodes, json_pack("{s:b, s:b, s:o}", "and", n->and_op,
						       "negate", n->negate, "matches", ms));
	}
	return json_pack("{s:b, s:o}", "and", c->and_op, "nodes", nodes);
}

static json_t *
vuln_json(const struct vg_vuln *v)
{
	json_t *cwes = json_array(), *refs = json_array(), *cfgs = json_array();
	json_t *o;

	for (size_t i = 0; i < v->ncwes; i++)
		json_array_append_new(cwes, json_string(v->cwes[i]));
	for (size_t i = 0; i < v->nrefs; i++)
		json_array_append_new(refs, json_pack("{s:s, s:o, s:b}", "url", v->refs[i].url,
						      "tags", jstr(v->refs[i].tags), "exploit",
						      v->refs[i].exploit));
	for (size_t i = 0; i < v->nconfigs; i++)
		json_array_append_new(cfgs, config_json(&v->configs[i]));
	o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "id", v->id, "summary", jstr(v->summary),
		      "description", jstr(v->description), "published", jstr(v->published),
		      "modified", jstr(v->modified), "withdrawn", v->withdrawn);
	json_object_set_new(o, "v2", jstr(v->cvss_v2));
	json_object_set_new(o, "v3", jstr(v->cvss_v3));
	json_object_set_new(o, "v4", jstr(v->cvss_v4));
	json_object_set_new(o, "v2_score", jnum(v->cvss_v2_score));
	json_object_set_new(o, "v3_score", jnum(v->cvss_v3_score));
	json_object_set_new(o, "v4_score", jnum(v->cvss_v4_score));
	json_object_set_new(o, "cwes", cwes);
	json_object_set_new(o, "refs", refs);
	json_object_set_new(o, "configs", cfgs);
	assert_null(v->severity);
	assert_int_equal(v->naliases, 0);
	return o;
}

static json_t *
source_json(const struct vg_feed_source *s)
{
	return json_pack("{s:s, s:s, s:i, s:o, s:o}", "name", s->name, "format", s->format, "mode",
			 (int)s->mode, "version", jstr(s->version), "snapshot", jstr(s->snapshot));
}

static int
col_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct collect *c = ctx;

	(void)err;
	assert_int_equal(c->begins, 0);
	assert_int_equal(json_array_size(c->vulns), 0);
	c->begins++;
	c->src_begin = source_json(src);
	return VG_OK;
}

static int
col_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	struct collect *c = ctx;

	assert_int_equal(c->begins, 1);
	assert_int_equal(c->ends, 0);
	if (c->fail_at > 0 && json_array_size(c->vulns) + 1 == (size_t)c->fail_at)
		return vg_error(err, VG_EIO, "disk full");
	json_array_append_new(c->vulns, vuln_json(v));
	return VG_OK;
}

static int
col_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct collect *c = ctx;

	(void)err;
	assert_int_equal(c->begins, 1);
	c->ends++;
	c->end_count = n;
	c->src_end = source_json(src);
	return VG_OK;
}

static void
col_warn(void *ctx, const char *msg)
{
	struct collect *c = ctx;

	json_array_append_new(c->warnings, json_string(msg));
}

static struct vg_feed_sink
col_sink(struct collect *c)
{
	memset(c, 0, sizeof(*c));
	c->vulns = json_array();
	c->warnings = json_array();
	return (struct vg_feed_sink){
		.ctx = c, .begin = col_begin, .vuln = col_vuln, .end = col_end, .warn = col_warn};
}

static void
col_release(struct collect *c)
{
	json_decref(c->vulns);
	json_decref(c->warnings);
	json_decref(c->src_begin);
	json_decref(c->src_end);
}

/* ---- helpers ---------------------------------------------------------------- */

/* Import file @path with @imp directly (no detection). */
static int
import_path(const struct vg_importer *imp, const char *path, struct collect *c, struct vg_err *err)
{
	struct vg_feed_sink sink = col_sink(c);
	struct vg_feed_in in;
	int rc;

	vg_err_clear(err);
	assert_int_equal(vg_feed_in_open(&in, path, err), VG_OK);
	rc = imp->import(&in, &sink, err);
	vg_feed_in_close(&in);
	return rc;
}

/* JSON written with ' for " (test literals stay readable). */
static char *
dq(const char *s)
{
	char *p = vg_xstrdup(s);

	for (char *q = p; *q; q++)
		if (*q == '\'')
			*q = '"';
	return p;
}

/* Import the in-memory document @text (with ' for ") with @imp. */
static int
import_text(const struct vg_importer *imp, const char *text, struct collect *c, struct vg_err *err)
{
	struct vg_feed_sink sink = col_sink(c);
	struct vg_feed_in in;
	char *doc = dq(text);
	int rc;

	vg_err_clear(err);
	vg_feed_in_open_mem(&in, "mem.json", doc, strlen(doc));
	rc = imp->import(&in, &sink, err);
	vg_feed_in_close(&in);
	free(doc);
	return rc;
}

/* The @nth (0-based) record with id @id. */
static json_t *
find(const struct collect *c, const char *id, int nth)
{
	size_t i;
	json_t *v;

	json_array_foreach(c->vulns, i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "id")), id) == 0 && nth-- == 0)
			return v;
	}
	fail_msg("record %s not imported", id);
	return NULL;
}

static const char *
sget(const json_t *v, const char *key)
{
	return json_string_value(json_object_get(v, key));
}

static int
tenths(const json_t *v, const char *key)
{
	const json_t *n = json_object_get(v, key);

	assert_true(json_is_number(n));
	return (int)lround(json_number_value(n) * 10.0);
}

/* @got must equal the JSON @expected (written with ' for "). */
static void
expect_jvalue(const json_t *got, const char *what, const char *expected)
{
	char *text = dq(expected);
	json_error_t jerr;
	json_t *want = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (want == NULL)
		fail_msg("bad expected JSON for %s: %s", what, jerr.text);
	if (!json_equal(want, got)) {
		char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		char *w = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

		print_message("%s:\n got  %s\n want %s\n", what, g, w);
		free(g);
		free(w);
		fail();
	}
	json_decref(want);
	free(text);
}

/* Member @key of @v must equal the JSON @expected. */
static void
expect_json(const json_t *v, const char *key, const char *expected)
{
	expect_jvalue(json_object_get(v, key), key, expected);
}

/* Match @m of node @n of configuration @cfg of record @v. */
static json_t *
match_at(const json_t *v, size_t cfg, size_t n, size_t m)
{
	json_t *c = json_array_get(json_object_get(v, "configs"), cfg);
	json_t *node = json_array_get(json_object_get(c, "nodes"), n);
	json_t *match = json_array_get(json_object_get(node, "matches"), m);

	assert_non_null(match);
	return match;
}

static void
assert_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		fail_msg("'%s' does not contain '%s'", haystack, needle);
}

/* ---- every real file: per-file aggregates ----------------------------------- */

struct file_stats {
	const char *file; /* relative to ../shared/data/nvd */
	const struct vg_importer *imp;
	int n, cfg, nodes, matches, cwes, refs, exploit, v2, v3, v4, withdrawn;
};

#define API2 &vg_imp_nvd_api2
#define F11  &vg_imp_nvd_feed11
#define CVE5 &vg_imp_cve5

/*
 * Computed with python3 from the JSON files (json.load), independently of
 * this code, applying docs/feeds/nvd.md: n = elements of "vulnerabilities" /
 * "CVE_Items" (1 per CVE 5 file); CWEs "CWE-<digits>" deduplicated per
 * record, NVD-CWE-Other/noinfo ignored; references deduplicated by URL, an
 * exploit when a tag of any copy contains "exploit"; configurations minus
 * empty nodes (an AND configuration with one dropped), 1.1 children
 * flattened; CVE 5 configurations from cpeApplicability, else from
 * affected[] entries with cpes whose versions are all exact.
 */
static const struct file_stats expected_stats[] = {
	/* file                                                 imp   n  cfg nodes matches cwes refs
	   expl v2 v3 v4 wd */
	{"nvd-api-2.0_pages/osv.dev_conversion-nvd-test.json", API2, 13, 27, 27, 129, 20, 98, 4, 4,
	 13, 1, 0},
	{"nvd-api-2.0_pages/vuln-list-update_respPage1.json", API2, 2, 3, 3, 5, 2, 5, 1, 2, 2, 0,
	 0},
	{"nvd-api-2.0_pages/vuln-list-update_respPage2.json", API2, 1, 1, 1, 1, 1, 4, 1, 1, 1, 1,
	 0},
	{"nvd-api-2.0_pages/vuln-list-update_respPageFull.json", API2, 3, 4, 4, 6, 3, 7, 2, 3, 3, 0,
	 0},
	{"nvd-api-2.0_pages/vunnel_full-page.json", API2, 38, 25, 36, 56, 33, 56, 11, 0, 35, 0, 0},
	{"nvd-api-2.0_pages/vunnel_single-entry.json", API2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2014-1424.json", API2, 1, 1, 1, 2, 1, 1, 0, 1, 0, 0, 0},
	{"nvd-api-2.0_single/CVE-2016-1585.json", API2, 1, 1, 1, 3, 0, 2, 0, 1, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2017-6507.json", API2, 1, 2, 2, 3, 1, 5, 0, 1, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2018-1000500.json", API2, 1, 1, 1, 1, 1, 3, 0, 1, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2020-13595.json", API2, 1, 1, 2, 2, 1, 3, 0, 1, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2021-28429.json", API2, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-0090.json", API2, 1, 1, 1, 6, 1, 3, 0, 1, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-1122.json", API2, 1, 3, 3, 5, 2, 6, 0, 1, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-25761.json", API2, 1, 2, 2, 6, 1, 6, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-25929.json", API2, 1, 1, 1, 1, 1, 5, 3, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-29194.json", API2, 1, 1, 1, 6, 1, 7, 2, 1, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-2956.json", API2, 1, 1, 1, 1, 1, 2, 1, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-32746.json", API2, 1, 1, 1, 3, 1, 2, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-33745.json", API2, 1, 2, 2, 4, 0, 7, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-34668.json", API2, 1, 1, 1, 1, 1, 2, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-36037.json", API2, 1, 1, 1, 1, 1, 3, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-36749.json", API2, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2022-46285.json", API2, 1, 1, 1, 1, 1, 7, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2023-24256.json", API2, 1, 1, 2, 2, 1, 1, 1, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2023-4863.json", API2, 1, 6, 6, 14, 1, 44, 2, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2023-5341.json", API2, 1, 0, 0, 0, 1, 3, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2024-3094.json", API2, 1, 1, 1, 2, 1, 55, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/CVE-2024-47177.json", API2, 1, 0, 0, 0, 1, 6, 0, 0, 1, 0, 0},
	{"nvd-api-2.0_single/dependency-track_cve-2015-0312.json", API2, 1, 5, 10, 17, 1, 8, 0, 1,
	 0, 0, 0},
	{"nvd-api-2.0_single/dependency-track_cve-2022-1954.json", API2, 1, 1, 1, 6, 1, 3, 0, 1, 1,
	 0, 0},
	{"nvd-api-2.0_single/dependency-track_cve-2024-23113.json", API2, 1, 1, 1, 11, 1, 1, 0, 0,
	 1, 0, 0},
	{"nvd-api-2.0_single/dependency-track_cve-2025-9377.json", API2, 1, 0, 0, 0, 1, 1, 0, 0, 1,
	 1, 0},
	{"nvd-feed-2.0/dependency-track_nvdcve-2.0-2021_duplicate-cpes.json", API2, 1, 3, 4, 6, 1,
	 5, 0, 1, 1, 0, 0},
	{"nvd-feed-2.0/dependency-track_nvdcve-2.0-2022.json", API2, 3, 402, 800, 1758, 0, 12, 0, 3,
	 3, 1, 0},
	{"nvd-api-2.0_merged-sample.json", API2, 86, 501, 918, 2057, 84, 370, 29, 23, 81, 3, 0},
	{"nvd-feed-1.1_legacy/osv.dev_nvdcve-1.1-test-data.json", F11, 669, 415, 563, 890, 361,
	 1308, 222, 4, 356, 0, 29},
	{"cve-json-5/CVE-2016-15012.json", CVE5, 1, 0, 0, 0, 1, 4, 0, 1, 1, 0, 0},
	{"cve-json-5/CVE-2016-1897.json", CVE5, 1, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0},
	{"cve-json-5/CVE-2018-14618.json", CVE5, 1, 0, 0, 0, 2, 11, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2021-26917.json", CVE5, 1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0},
	{"cve-json-5/CVE-2021-44228.json", CVE5, 1, 0, 0, 0, 3, 51, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2022-25929.json", CVE5, 1, 0, 0, 0, 1, 5, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2022-33068.json", CVE5, 1, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0},
	{"cve-json-5/CVE-2023-1055.json", CVE5, 1, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0},
	{"cve-json-5/CVE-2023-22466.json", CVE5, 1, 0, 0, 0, 1, 4, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2023-23127.json", CVE5, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0},
	{"cve-json-5/CVE-2023-38408.json", CVE5, 1, 0, 0, 0, 0, 15, 0, 0, 0, 0, 0},
	{"cve-json-5/CVE-2023-45803.cvelistV5.json", CVE5, 1, 0, 0, 0, 1, 6, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2023-45803.json", CVE5, 1, 0, 0, 0, 1, 6, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2024-2002.json", CVE5, 1, 0, 0, 0, 1, 4, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2024-21634.json", CVE5, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2024-3094.cvelistV5.json", CVE5, 1, 0, 0, 0, 1, 55, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2024-3094.json", CVE5, 1, 0, 0, 0, 1, 55, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2024-7264.json", CVE5, 1, 0, 0, 0, 0, 8, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2025-1110.json", CVE5, 1, 1, 1, 1, 1, 2, 1, 0, 1, 0, 0},
	{"cve-json-5/CVE-2025-21631.json", CVE5, 1, 1, 1, 7, 1, 5, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2025-21772.json", CVE5, 1, 1, 1, 8, 0, 8, 0, 0, 0, 0, 0},
	{"cve-json-5/CVE-2025-4565.json", CVE5, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0},
	{"cve-json-5/CVE-2026-20912.json", CVE5, 1, 0, 0, 0, 2, 5, 0, 0, 1, 0, 0},
	{"cve-json-5/CVE-2026-23522.json", CVE5, 1, 0, 0, 0, 4, 2, 0, 0, 1, 0, 0},
};
#define NSTATS (sizeof(expected_stats) / sizeof(expected_stats[0]))

static void
compute_stats(const struct collect *c, struct file_stats *s)
{
	size_t i, j, k;
	json_t *v, *cfg, *ref;

	s->n = (int)json_array_size(c->vulns);
	json_array_foreach(c->vulns, i, v)
	{
		json_array_foreach(json_object_get(v, "configs"), j, cfg)
		{
			json_t *node;

			s->cfg++;
			json_array_foreach(json_object_get(cfg, "nodes"), k, node)
			{
				s->nodes++;
				s->matches +=
					(int)json_array_size(json_object_get(node, "matches"));
			}
		}
		json_array_foreach(json_object_get(v, "refs"), j, ref) s->exploit +=
			json_is_true(json_object_get(ref, "exploit"));
		s->cwes += (int)json_array_size(json_object_get(v, "cwes"));
		s->refs += (int)json_array_size(json_object_get(v, "refs"));
		s->v2 += json_is_string(json_object_get(v, "v2"));
		s->v3 += json_is_string(json_object_get(v, "v3"));
		s->v4 += json_is_string(json_object_get(v, "v4"));
		s->withdrawn += json_is_true(json_object_get(v, "withdrawn"));
	}
}

static const char *
expected_source(const struct vg_importer *imp)
{
	return imp == &vg_imp_cve5 ? "cve5" : "nvd";
}

/* Import one real file and compare its aggregates; false (with a message) on a difference. */
static bool
check_file(const struct file_stats *want)
{
	char rel[256];
	char *path;
	struct collect c;
	struct vg_err err;
	struct file_stats got = {0};
	const struct vg_importer *detected = NULL;
	int rc;

	snprintf(rel, sizeof(rel), "nvd/%s", want->file);
	path = vgt_shared_path(rel);
	rc = import_path(want->imp, path, &c, &err);
	if (rc != VG_OK)
		fail_msg("%s: %s", want->file, err.msg);
	assert_int_equal(c.begins, 1);
	assert_int_equal(c.ends, 1);
	assert_int_equal(c.end_count, json_array_size(c.vulns));
	assert_string_equal(sget(c.src_end, "name"), expected_source(want->imp));
	assert_string_equal(sget(c.src_end, "format"), want->imp->format);
	assert_int_equal(json_integer_value(json_object_get(c.src_end, "mode")), VG_FEED_MERGE);
	if (json_array_size(c.warnings) > 0)
		fail_msg("%s: unexpected warning %s", want->file,
			 json_string_value(json_array_get(c.warnings, 0)));
	compute_stats(&c, &got);
	col_release(&c);
	/* Detection from content must choose the same importer. */
	assert_int_equal(vg_feed_detect(path, &detected, &err), VG_OK);
	free(path);
	if (detected != want->imp) {
		print_message("%s: detected as %s\n", want->file, detected->format);
		return false;
	}
	got.file = want->file;
	got.imp = want->imp;
	if (memcmp(&got.n, &want->n, sizeof(int) * 11) != 0) {
		print_message("%s: got n=%d cfg=%d nodes=%d matches=%d cwes=%d refs=%d exploit=%d "
			      "v2=%d v3=%d v4=%d withdrawn=%d\n",
			      want->file, got.n, got.cfg, got.nodes, got.matches, got.cwes,
			      got.refs, got.exploit, got.v2, got.v3, got.v4, got.withdrawn);
		return false;
	}
	return true;
}

static const struct file_stats *
stats_for(const char *rel)
{
	for (size_t i = 0; i < NSTATS; i++)
		if (strcmp(expected_stats[i].file, rel) == 0)
			return &expected_stats[i];
	return NULL;
}

/* Every .json file of every directory must have a row, and every row must match. */
static void
test_every_file(void **state)
{
	static const char *const dirs[] = {"nvd-api-2.0_single", "nvd-api-2.0_pages",
					   "nvd-feed-2.0", "nvd-feed-1.1_legacy", "cve-json-5"};
	size_t seen = 1, bad = 0; /* the merged sample is not in a directory */

	(void)state;
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		char rel[128];
		char *dir;
		DIR *dh;
		struct dirent *e;

		snprintf(rel, sizeof(rel), "nvd/%s", dirs[d]);
		dir = vgt_shared_path(rel);
		dh = opendir(dir);
		assert_non_null(dh);
		while ((e = readdir(dh)) != NULL) {
			size_t len = strlen(e->d_name);

			if (len < 5 || strcmp(e->d_name + len - 5, ".json") != 0)
				continue; /* the .meta file next to the 2.0 feed */
			char *file = vg_xmalloc(strlen(dirs[d]) + len + 2);

			memcpy(file, dirs[d], strlen(dirs[d]));
			file[strlen(dirs[d])] = '/';
			memcpy(file + strlen(dirs[d]) + 1, e->d_name, len + 1);
			if (stats_for(file) == NULL)
				fail_msg("no expected numbers for %s", file);
			free(file);
			seen++;
		}
		closedir(dh);
		free(dir);
	}
	assert_int_equal(seen, NSTATS);
	for (size_t i = 0; i < NSTATS; i++)
		bad += !check_file(&expected_stats[i]);
	assert_int_equal(bad, 0);
}

/* ---- NVD API 2.0: single records field by field ------------------------------ */

static void
test_api2_xz(void **state)
{
	char *path = vgt_shared_path("nvd/nvd-api-2.0_single/CVE-2024-3094.json");
	struct collect c;
	struct vg_err err;
	json_t *v;

	(void)state;
	assert_int_equal(import_path(&vg_imp_nvd_api2, path, &c, &err), VG_OK);
	expect_json(c.src_begin, "version", "'2.0'");
	expect_json(c.src_begin, "snapshot", "'2026-07-07T03:28:20.959'");
	v = find(&c, "CVE-2024-3094", 0);
	assert_string_equal(sget(v, "published"), "2024-03-29T17:15:21.150");
	assert_string_equal(sget(v, "modified"), "2026-06-17T07:43:17.830");
	assert_false(json_is_true(json_object_get(v, "withdrawn")));
	assert_true(json_is_null(json_object_get(v, "summary")));
	/* the English text, not the Spanish one */
	assert_true(strncmp(sget(v, "description"),
			    "Malicious code was discovered in the upstream tarballs of xz",
			    60) == 0);
	assert_string_equal(sget(v, "v3"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
	assert_int_equal(tenths(v, "v3_score"), 100);
	assert_true(json_is_null(json_object_get(v, "v2")));
	assert_true(json_is_null(json_object_get(v, "v4")));
	expect_json(v, "cwes", "['CWE-506']");
	assert_int_equal(json_array_size(json_object_get(v, "refs")), 55);
	expect_json(json_array_get(json_object_get(v, "refs"), 1), "tags",
		    "'Issue Tracking,Vendor Advisory'");
	/* a reference without tags */
	expect_json(json_array_get(json_object_get(v, "refs"), 4), "tags", "null");
	expect_json(v, "configs",
		    "[{'and':false,'nodes':[{'and':false,'negate':false,'matches':["
		    "{'cpe':'cpe:2.3:a:tukaani:xz:5.6.0:*:*:*:*:*:*:*','vuln':true},"
		    "{'cpe':'cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*','vuln':true}]}]}]");
	col_release(&c);
	free(path);
}

/* An AND configuration: a vulnerable range on a non-vulnerable platform. */
static void
test_api2_and_config(void **state)
{
	char *path = vgt_shared_path("nvd/nvd-api-2.0_single/CVE-2020-13595.json");
	struct collect c;
	struct vg_err err;
	json_t *v;

	(void)state;
	assert_int_equal(import_path(&vg_imp_nvd_api2, path, &c, &err), VG_OK);
	v = find(&c, "CVE-2020-13595", 0);
	assert_string_equal(sget(v, "published"), "2020-08-31T15:15:10.680");
	assert_string_equal(sget(v, "v3"), "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
	assert_int_equal(tenths(v, "v3_score"), 65);
	assert_string_equal(sget(v, "v2"), "AV:A/AC:L/Au:N/C:N/I:N/A:P");
	assert_int_equal(tenths(v, "v2_score"), 33);
	expect_json(v, "cwes", "['CWE-617']");
	expect_json(
		v, "configs",
		"[{'and':true,'nodes':["
		"{'and':false,'negate':false,'matches':[{'cpe':'cpe:2.3:a:espressif:esp-idf:*:*:"
		"*:*:*:*:*:*','vuln':true,'si':'4.0.0','ei':'4.2'}]},"
		"{'and':false,'negate':false,'matches':[{'cpe':'cpe:2.3:h:espressif:esp32:-:*:*:"
		"*:*:*:*:*','vuln':false}]}]}]");
	col_release(&c);
	free(path);
}

/* NVD's own vector wins over a CNA's listed before it; references are deduplicated. */
static void
test_api2_preference(void **state)
{
	char *path = vgt_shared_path("nvd/nvd-api-2.0_pages/osv.dev_conversion-nvd-test.json");
	struct collect c;
	struct vg_err err;
	json_t *v;

	(void)state;
	assert_int_equal(import_path(&vg_imp_nvd_api2, path, &c, &err), VG_OK);
	assert_int_equal(json_array_size(c.vulns), 13);
	v = find(&c, "CVE-2016-15012", 0);
	assert_string_equal(sget(v, "v3"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_int_equal(tenths(v, "v3_score"), 98);
	/* the only v2 vector is the CNA's (Secondary) */
	assert_string_equal(sget(v, "v2"), "AV:A/AC:L/Au:S/C:P/I:P/A:P");
	assert_int_equal(tenths(v, "v2_score"), 52);
	expect_json(v, "cwes", "['CWE-89']");
	/* 8 references in the file, 4 distinct URLs */
	assert_int_equal(json_array_size(json_object_get(v, "refs")), 4);
	expect_json(json_array_get(json_object_get(v, "refs"), 0), "tags",
		    "'Patch,Third Party Advisory'");
	col_release(&c);
	free(path);

	/* A v3.1 Primary vector wins over a v3.0 Secondary one */
	path = vgt_shared_path("nvd/nvd-api-2.0_single/CVE-2016-1585.json");
	assert_int_equal(import_path(&vg_imp_nvd_api2, path, &c, &err), VG_OK);
	v = find(&c, "CVE-2016-1585", 0);
	assert_true(strncmp(sget(v, "v3"), "CVSS:3.1/", 9) == 0);
	/* NVD-CWE-Other only: no CWE */
	expect_json(v, "cwes", "[]");
	col_release(&c);
	free(path);
}

static void
test_api2_exploit_and_v4(void **state)
{
	char *path = vgt_shared_path("nvd/nvd-api-2.0_single/CVE-2022-25929.json");
	struct collect c;
	struct vg_err err;
	json_t *v, *ref;
	size_t i;
	int exploits = 0;

	(void)state;
	assert_int_equal(import_path(&vg_imp_nvd_api2, path, &c, &err), VG_OK);
	v = find(&c, "CVE-2022-25929", 0);
	json_array_foreach(json_object_get(v, "refs"), i, ref)
	{
		if (json_is_true(json_object_get(ref, "exploit"))) {
			exploits++;
			assert_non_null(strstr(sget(ref, "tags"), "Exploit"));
		} else if (sget(ref, "tags") != NULL) {
			assert_null(strstr(sget(ref, "tags"), "Exploit"));
		}
	}
	assert_int_equal(exploits, 3);
	col_release(&c);
	free(path);

	path = vgt_shared_path("nvd/nvd-api-2.0_pages/vuln-list-update_respPage2.json");
	assert_int_equal(import_path(&vg_imp_nvd_api2, path, &c, &err), VG_OK);
	assert_int_equal(json_array_size(c.vulns), 1);
	v = json_array_get(c.vulns, 0);
	assert_true(strncmp(sget(v, "v4"), "CVSS:4.0/", 9) == 0);
	assert_true(json_is_number(json_object_get(v, "v4_score")));
	col_release(&c);
	free(path);
}

static void
test_merged_sample(void **state)
{
	char *path = vgt_shared_path("nvd/nvd-api-2.0_merged-sample.json");
	struct collect c;
	struct vg_err err;
	json_t *ids = json_object(), *v;
	size_t i;

	(void)state;
	assert_int_equal(import_path(&vg_imp_nvd_api2, path, &c, &err), VG_OK);
	assert_int_equal(json_array_size(c.vulns), 86);
	assert_int_equal(c.end_count, 86);
	json_array_foreach(c.vulns, i, v) json_object_set_new(ids, sget(v, "id"), json_true());
	assert_int_equal(json_object_size(ids), 86); /* 86 distinct CVEs */
	expect_json(c.src_end, "snapshot", "'merged-sample'");
	json_decref(ids);
	col_release(&c);
	free(path);
}

/* ---- NVD 1.1 ----------------------------------------------------------------- */

static void
test_feed11_children(void **state)
{
	char *path = vgt_shared_path("nvd/nvd-feed-1.1_legacy/osv.dev_nvdcve-1.1-test-data.json");
	struct collect c;
	struct vg_err err;
	json_t *v, *cfgs;

	(void)state;
	assert_int_equal(import_path(&vg_imp_nvd_feed11, path, &c, &err), VG_OK);
	assert_int_equal(json_array_size(c.vulns), 669);
	expect_json(c.src_begin, "version", "'4.0'");
	expect_json(c.src_begin, "snapshot", "'2022-08-31T05:00Z'");
	v = find(&c, "CVE-2021-3669", 0);
	assert_string_equal(sget(v, "published"), "2022-08-26T16:15Z");
	assert_string_equal(sget(v, "modified"), "2022-08-29T17:38Z");
	assert_string_equal(sget(v, "v3"), "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H");
	assert_int_equal(tenths(v, "v3_score"), 55);
	assert_true(json_is_null(json_object_get(v, "v2")));
	expect_json(v, "cwes", "['CWE-400']");
	assert_int_equal(json_array_size(json_object_get(v, "refs")), 4);
	expect_json(json_array_get(json_object_get(v, "refs"), 0), "tags",
		    "'Issue Tracking,Third Party Advisory'");
	/* 7 top nodes: 4 without children (one configuration each), 3 AND nodes with two
	 * children each (one AND configuration of two nodes each) */
	cfgs = json_object_get(v, "configs");
	assert_int_equal(json_array_size(cfgs), 7);
	expect_jvalue(json_array_get(cfgs, 0), "configs[0]",
		      "{'and':false,'nodes':[{'and':false,'negate':false,'matches':["
		      "{'cpe':'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*','vuln':true}]}]}");
	expect_jvalue(
		json_array_get(cfgs, 1), "configs[1]",
		"{'and':true,'nodes':["
		"{'and':false,'negate':false,'matches':["
		"{'cpe':'cpe:2.3:a:ibm:spectrum_copy_data_management:*:*:*:*:*:*:*:*','vuln':true,"
		"'si':'2.2.0.0','ei':'2.2.15.0'},"
		"{'cpe':'cpe:2.3:a:ibm:spectrum_protect_plus:*:*:*:*:*:*:*:*','vuln':true,"
		"'si':'10.1.0','ei':'10.1.10.2'}]},"
		"{'and':false,'negate':false,'matches':["
		"{'cpe':'cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*','vuln':false}]}]}");
	for (size_t i = 0; i < 7; i++) {
		json_t *cfg = json_array_get(cfgs, i);
		bool and_node = i == 1 || i == 5 || i == 6;

		assert_int_equal(json_is_true(json_object_get(cfg, "and")), and_node);
		assert_int_equal(json_array_size(json_object_get(cfg, "nodes")), and_node ? 2 : 1);
	}
	/* configs[4]: one OR node with 17 matches */
	assert_int_equal(
		json_array_size(json_object_get(
			json_array_get(json_object_get(json_array_get(cfgs, 4), "nodes"), 0),
			"matches")),
		17);
	col_release(&c);
	free(path);
}

static void
test_feed11_rejected(void **state)
{
	char *path = vgt_shared_path("nvd/nvd-feed-1.1_legacy/osv.dev_nvdcve-1.1-test-data.json");
	struct collect c;
	struct vg_err err;
	json_t *v;

	(void)state;
	assert_int_equal(import_path(&vg_imp_nvd_feed11, path, &c, &err), VG_OK);
	v = find(&c, "CVE-2022-3063", 0);
	assert_true(json_is_true(json_object_get(v, "withdrawn")));
	expect_json(v, "configs", "[]");
	assert_true(json_is_null(json_object_get(v, "v3")));
	v = find(&c, "CVE-2022-0090", 0);
	assert_false(json_is_true(json_object_get(v, "withdrawn")));
	expect_json(v, "cwes", "['CWE-269']");
	assert_int_equal(json_array_size(json_object_get(v, "configs")), 1);
	expect_jvalue(match_at(v, 0, 0, 4), "match",
		      "{'cpe':'cpe:2.3:a:gitlab:gitlab:*:*:*:*:community:*:*:*','vuln':true,"
		      "'ee':'14.4.5'}");
	expect_jvalue(match_at(v, 0, 0, 0), "match",
		      "{'cpe':'cpe:2.3:a:gitlab:gitlab:*:*:*:*:community:*:*:*','vuln':true,"
		      "'si':'14.6.0','ee':'14.6.1'}");
	/* CVE-2022-1513: three empty nodes (dropped) and one with a match */
	v = find(&c, "CVE-2022-1513", 0);
	expect_json(v, "configs",
		    "[{'and':false,'nodes':[{'and':false,'negate':false,'matches':["
		    "{'cpe':'cpe:2.3:a:lenovo:pcmanager:*:*:*:*:*:*:*:*','vuln':true,"
		    "'ee':'5.0.10.4191'}]}]}]");
	col_release(&c);
	free(path);
}

/* ---- CVE JSON 5 -------------------------------------------------------------- */

static void
test_cve5_log4shell(void **state)
{
	char *path = vgt_shared_path("nvd/cve-json-5/CVE-2021-44228.json");
	struct collect c;
	struct vg_err err;
	json_t *v, *refs;

	(void)state;
	assert_int_equal(import_path(&vg_imp_cve5, path, &c, &err), VG_OK);
	assert_int_equal(json_array_size(c.vulns), 1);
	expect_json(c.src_begin, "name", "'cve5'");
	expect_json(c.src_begin, "format", "'cve-json-5'");
	expect_json(c.src_begin, "version", "'5.1'");
	v = find(&c, "CVE-2021-44228", 0);
	assert_string_equal(sget(v, "summary"), "Apache Log4j2 JNDI features do not protect "
						"against attacker controlled LDAP and other JNDI "
						"related endpoints");
	assert_true(strncmp(sget(v, "description"), "Apache Log4j2 2.0-beta9 through 2.15.0", 38) ==
		    0);
	assert_string_equal(sget(v, "published"), "2021-12-10T00:00:00.000Z");
	assert_string_equal(sget(v, "modified"), "2025-02-04T14:25:37.215Z");
	assert_false(json_is_true(json_object_get(v, "withdrawn")));
	/* the CNA gives no vector; CISA's ADP container does */
	assert_string_equal(sget(v, "v3"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
	assert_int_equal(tenths(v, "v3_score"), 100);
	assert_true(json_is_null(json_object_get(v, "v2")));
	expect_json(v, "cwes", "['CWE-502','CWE-400','CWE-20']");
	/* 53 CNA references with 51 distinct URLs; the ADP's copies add none */
	refs = json_object_get(v, "refs");
	assert_int_equal(json_array_size(refs), 51);
	/* affected[] names no CPE: no configuration, and no affected statement */
	expect_json(v, "configs", "[]");
	col_release(&c);
	free(path);
}

static void
test_cve5_configs(void **state)
{
	char *path = vgt_shared_path("nvd/cve-json-5/CVE-2025-1110.json");
	struct collect c;
	struct vg_err err;
	json_t *v, *ref;

	(void)state;
	/* cpes[] with a plain semver range: one configuration */
	assert_int_equal(import_path(&vg_imp_cve5, path, &c, &err), VG_OK);
	v = find(&c, "CVE-2025-1110", 0);
	assert_string_equal(sget(v, "summary"),
			    "Insufficient Granularity of Access Control in GitLab");
	assert_string_equal(sget(v, "v3"), "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:N/A:N");
	assert_int_equal(tenths(v, "v3_score"), 27);
	expect_json(v, "cwes", "['CWE-1220']");
	expect_json(v, "configs",
		    "[{'and':false,'nodes':[{'and':false,'negate':false,'matches':["
		    "{'cpe':'cpe:2.3:a:gitlab:gitlab:*:*:*:*:*:*:*:*','vuln':true,'si':'18.0',"
		    "'ee':'18.0.1'}]}]}]");
	ref = json_array_get(json_object_get(v, "refs"), 1);
	assert_string_equal(sget(ref, "url"), "https://hackerone.com/reports/2972576");
	assert_string_equal(sget(ref, "tags"),
			    "technical-description,exploit,permissions-required");
	assert_true(json_is_true(json_object_get(ref, "exploit")));
	col_release(&c);
	free(path);

	/* cpeApplicability is used as it is (and affected[] then not consulted) */
	path = vgt_shared_path("nvd/cve-json-5/CVE-2025-21631.json");
	assert_int_equal(import_path(&vg_imp_cve5, path, &c, &err), VG_OK);
	v = find(&c, "CVE-2025-21631", 0);
	assert_string_equal(sget(v, "summary"),
			    "block, bfq: fix waker_bfqq UAF after bfq_split_bfqq()");
	assert_string_equal(sget(v, "v3"), "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
	expect_json(v, "cwes", "['CWE-416']");
	expect_json(
		v, "configs",
		"[{'and':false,'nodes':[{'and':false,'negate':false,'matches':["
		"{'cpe':'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*','vuln':true,'si':'5.15.168','ee':'5.15.177'},"
		"{'cpe':'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*','vuln':true,'si':'6.1.113','ee':'6.1.125'},"
		"{'cpe':'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*','vuln':true,'si':'6.6.54','ee':'6.6.72'},"
		"{'cpe':'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*','vuln':true,'si':'6.12','ee':'6.12.10'},"
		"{'cpe':'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*','vuln':true,'si':'6.12','ee':'6.13'},"
		"{'cpe':'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*','vuln':true,'si':'6.10.13'},"
		"{'cpe':'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*','vuln':true,'si':'6.11.2'}]}]}]");
	col_release(&c);
	free(path);

	/* Red Hat's per-product CPEs pin a version (cpe:/o:redhat:enterprise_linux:9): unused */
	path = vgt_shared_path("nvd/cve-json-5/CVE-2024-3094.json");
	assert_int_equal(import_path(&vg_imp_cve5, path, &c, &err), VG_OK);
	v = find(&c, "CVE-2024-3094", 0);
	expect_json(v, "configs", "[]");
	expect_json(v, "cwes", "['CWE-506']");
	assert_string_equal(sget(v, "v3"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
	col_release(&c);
	free(path);

	path = vgt_shared_path("nvd/cve-json-5/CVE-2025-4565.json");
	assert_int_equal(import_path(&vg_imp_cve5, path, &c, &err), VG_OK);
	v = find(&c, "CVE-2025-4565", 0);
	assert_string_equal(sget(v, "v4"),
			    "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N");
	assert_int_equal(tenths(v, "v4_score"), 82);
	assert_true(json_is_null(json_object_get(v, "v3")));
	col_release(&c);
	free(path);
}

/* ---- malformed documents ------------------------------------------------------- */

/* Read a whole shared-data file (caller frees). */
static char *
slurp(const char *rel, size_t *len)
{
	char *path = vgt_shared_path(rel);
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = vg_xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	free(path);
	*len = (size_t)n;
	return buf;
}

/* Write @len bytes to a new temporary file; returns its path (caller unlinks and frees). */
static char *
temp_file(const char *data, size_t len)
{
	char *path = vg_xstrdup("/tmp/vg-test-nvd-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Import @text (' for ") from a file through detection; returns the code, fills @err. */
static int
import_detected(const char *text, struct collect *c, struct vg_err *err, char **path)
{
	struct vg_feed_sink sink = col_sink(c);
	char *doc = dq(text);
	int rc;

	*path = temp_file(doc, strlen(doc));
	vg_err_clear(err);
	rc = vg_feed_import_file(*path, &sink, NULL, NULL, err);
	free(doc);
	return rc;
}

static void
test_truncated(void **state)
{
	size_t len;
	char *doc = slurp("nvd/nvd-api-2.0_single/CVE-2024-3094.json", &len);
	struct vg_feed_sink sink;
	struct vg_feed_in in;
	struct collect c;
	struct vg_err err;
	char *path;

	(void)state;
	sink = col_sink(&c);
	vg_err_clear(&err);
	vg_feed_in_open_mem(&in, "mem.json", doc, len / 2);
	assert_int_equal(vg_imp_nvd_api2.import(&in, &sink, &err), VG_EINVAL);
	vg_feed_in_close(&in);
	assert_contains(err.msg, "invalid JSON");
	assert_true(err.line > 1);
	assert_int_equal(json_array_size(c.vulns), 0);
	col_release(&c);

	/* through a file: the message starts with the file name */
	path = temp_file(doc, len / 2);
	sink = col_sink(&c);
	vg_err_clear(&err);
	assert_int_equal(vg_feed_import_file(path, &sink, NULL, NULL, &err), VG_EINVAL);
	assert_true(strncmp(err.msg, path, strlen(path)) == 0);
	assert_contains(err.msg, "invalid JSON");
	col_release(&c);
	unlink(path);
	free(path);

	/* the 1.1 feed and a CVE 5 record cut short */
	free(doc);
	doc = slurp("nvd/nvd-feed-1.1_legacy/osv.dev_nvdcve-1.1-test-data.json", &len);
	sink = col_sink(&c);
	vg_feed_in_open_mem(&in, "mem.json", doc, len - 10);
	assert_int_equal(vg_imp_nvd_feed11.import(&in, &sink, &err), VG_EINVAL);
	vg_feed_in_close(&in);
	assert_int_equal(c.ends, 0);
	col_release(&c);
	free(doc);
	doc = slurp("nvd/cve-json-5/CVE-2021-44228.json", &len);
	sink = col_sink(&c);
	vg_feed_in_open_mem(&in, "mem.json", doc, len - 3);
	assert_int_equal(vg_imp_cve5.import(&in, &sink, &err), VG_EINVAL);
	vg_feed_in_close(&in);
	assert_int_equal(json_array_size(c.vulns), 0);
	col_release(&c);
	free(doc);
}

struct bad_case {
	const struct vg_importer *imp;
	const char *doc;     /* ' for " */
	const char *message; /* the exact error message */
};

static const struct bad_case bad_cases[] = {
	{API2, "{'format':'NVD_CVE','vulnerabilities':{'x':{'cve':{'id':'CVE-1'}}}}",
	 "field 'vulnerabilities': expected an array"},
	{API2, "{'resultsPerPage':1,'vulnerabilities':'CVE-1'}",
	 "field 'vulnerabilities': expected an array of 1 records"},
	{API2, "{'resultsPerPage':1}", "field 'vulnerabilities': missing"},
	{API2, "[{'cve':{'id':'CVE-1'}}]", "field 'vulnerabilities': missing"},
	{API2, "{'vulnerabilities':[{'cve':{'descriptions':[]}}]}",
	 "record vulnerabilities[0]: field 'cve.id': missing"},
	{API2, "{'vulnerabilities':[{'cve':{'id':''}}]}",
	 "record vulnerabilities[0]: field 'cve.id': missing"},
	{API2, "{'vulnerabilities':[{'cve':{'id':'CVE-1'}},{'cve':{'id':7}}]}",
	 "record vulnerabilities[1]: field 'cve.id': expected a string"},
	{API2, "{'vulnerabilities':[5]}", "record vulnerabilities[0]: expected an object"},
	{API2, "{'vulnerabilities':[{'id':'CVE-1'}]}",
	 "record vulnerabilities[0]: field 'cve': missing"},
	{API2, "{'vulnerabilities':[{'cve':{'id':'CVE-1','metrics':[]}}]}",
	 "record CVE-1: field 'cve.metrics': expected an object"},
	{API2,
	 "{'vulnerabilities':[{'cve':{'id':'CVE-1','metrics':{'cvssMetricV31':[{'cvssData':{"
	 "'vectorString':'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H','baseScore':'9.8'}}]}}}]}",
	 "record CVE-1: field 'cve.metrics.cvssMetricV31[0].cvssData.baseScore': expected a number"},
	{API2,
	 "{'vulnerabilities':[{'cve':{'id':'CVE-1','references':[{'url':'http://a','tags':[1]}]}}]}",
	 "record CVE-1: field 'cve.references[0].tags[0]': expected a string"},
	{API2,
	 "{'vulnerabilities':[{'cve':{'id':'CVE-1','configurations':[{'nodes':[{'operator':'OR',"
	 "'cpeMatch':[{'criteria':'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*','vulnerable':'yes'}]}]}]}}]}",
	 "record CVE-1: field 'cve.configurations[0].nodes[0].cpeMatch[0].vulnerable': expected a "
	 "boolean"},
	{API2,
	 "{'vulnerabilities':[{'cve':{'id':'CVE-1','configurations':[{'nodes':[{'operator':'OR',"
	 "'cpeMatch':[{'vulnerable':true,'versionEndExcluding':'2'}]}]}]}}]}",
	 "record CVE-1: field 'cve.configurations[0].nodes[0].cpeMatch[0].criteria': missing"},
	{API2,
	 "{'vulnerabilities':[{'cve':{'id':'CVE-1','configurations':[{'nodes':[{'operator':'OR',"
	 "'cpeMatch':[{'criteria':'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*'}]}]}]}}]}",
	 "record CVE-1: field 'cve.configurations[0].nodes[0].cpeMatch[0].vulnerable': missing"},
	{API2, "{'vulnerabilities':[{'cve':{'id':'CVE-1','configurations':[{'nodes':{}}]}}]}",
	 "record CVE-1: field 'cve.configurations[0].nodes': expected an array"},
	{F11, "{'CVE_Items':[{'cve':{'CVE_data_meta':{'ASSIGNER':'x'}}}]}",
	 "record CVE_Items[0]: field 'cve.CVE_data_meta.ID': missing"},
	{F11, "{'CVE_Items':[{'cve':{}}]}",
	 "record CVE_Items[0]: field 'cve.CVE_data_meta': missing"},
	{F11, "{'CVE_data_type':'CVE','CVE_Items':{'CVE-1':{}}}",
	 "field 'CVE_Items': expected an array"},
	{F11, "{'CVE_data_numberOfCVEs':'2','CVE_Items':null}",
	 "field 'CVE_Items': expected an array of 2 records"},
	{F11,
	 "{'CVE_Items':[{'cve':{'CVE_data_meta':{'ID':'CVE-1'}},'configurations':{'nodes':[{"
	 "'operator':'AND','children':[{'operator':'OR','cpe_match':[{'vulnerable':true}]}]}]}}]}",
	 "record CVE-1: field 'configurations.nodes[0].children[0].cpe_match[0].cpe23Uri': missing"},
	{CVE5,
	 "{'dataType':'CVE_RECORD','cveMetadata':{'state':'PUBLISHED'},'containers':{'cna':{}}}",
	 "record (document): field 'cveMetadata.cveId': missing"},
	{CVE5, "{'dataType':'CVE_RECORD','containers':{'cna':{}}}",
	 "record (document): field 'cveMetadata': missing"},
	{CVE5, "{'dataType':'OSV','cveMetadata':{'cveId':'CVE-1'},'containers':{'cna':{}}}",
	 "record (document): field 'dataType': expected 'CVE_RECORD', not 'OSV'"},
	{CVE5, "{'cveMetadata':{'cveId':'CVE-1'}}", "record CVE-1: field 'containers': missing"},
	{CVE5, "{'cveMetadata':{'cveId':'CVE-1'},'containers':{'adp':[]}}",
	 "record CVE-1: field 'containers.cna': missing"},
	{CVE5,
	 "{'cveMetadata':{'cveId':'CVE-1'},'containers':{'cna':{'metrics':[{'cvssV3_1':[]}]}}}",
	 "record CVE-1: field 'containers.cna.metrics[0].cvssV3_1': expected an object"},
	{CVE5,
	 "{'cveMetadata':{'cveId':'CVE-1'},'containers':{'cna':{},'adp':[{'problemTypes':[{"
	 "'descriptions':[{'cweId':79}]}]}]}}",
	 "record CVE-1: field 'containers.adp[0].problemTypes[0].descriptions[0].cweId': expected a "
	 "string"},
	{CVE5, "[{'cveMetadata':{'cveId':'CVE-1'},'containers':{'cna':{}}},7]",
	 "record [1]: expected an object"},
	{CVE5, "5", "no CVE record: expected a record object or an array of records"},
	{CVE5, "[]", "no CVE record: expected a record object or an array of records"},
	{CVE5, "{'title':'x'}", "no CVE record: expected a record object or an array of records"},
};

static void
test_bad_documents(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *b = &bad_cases[i];
		struct collect c;
		struct vg_err err;
		int rc = import_text(b->imp, b->doc, &c, &err);

		if (rc != VG_EINVAL || strcmp(err.msg, b->message) != 0) {
			print_message("case %zu (%s): rc %d, message '%s', expected '%s'\n", i,
				      b->doc, rc, err.msg, b->message);
			bad++;
		}
		assert_int_equal(c.ends, 0); /* never a completed import */
		col_release(&c);
	}
	assert_int_equal(bad, 0);
}

/* Through detection and a file, the message names file, record and field. */
static void
test_error_names_file(void **state)
{
	struct collect c;
	struct vg_err err;
	char *path, *want;
	size_t n;

	(void)state;
	assert_int_equal(import_detected("{'format':'NVD_CVE','version':'2.0','vulnerabilities':[{"
					 "'cve':{'id':'CVE-2024-0001'}},{'cve':{'sourceIdentifier':"
					 "'x'}}]}",
					 &c, &err, &path),
			 VG_EINVAL);
	n = strlen(path) + 128;
	want = vg_xmalloc(n);
	snprintf(want, n, "%s: record vulnerabilities[1]: field 'cve.id': missing", path);
	assert_string_equal(err.msg, want);
	/* the first record reached the sink; the store rolls the file back */
	assert_int_equal(json_array_size(c.vulns), 1);
	assert_int_equal(c.ends, 0);
	col_release(&c);
	unlink(path);
	free(path);

	assert_int_equal(
		import_detected("{'dataType':'CVE_RECORD','cveMetadata':{'cveId':'CVE-2024-"
				"0002'},'containers':{'cna':{'references':{}}}}",
				&c, &err, &path),
		VG_EINVAL);
	snprintf(want, n,
		 "%s: record CVE-2024-0002: field 'containers.cna.references': expected an "
		 "array",
		 path);
	assert_string_equal(err.msg, want);
	col_release(&c);
	unlink(path);
	free(path);
	free(want);
}

/* ---- recoverable problems: warnings -------------------------------------------- */

static const char *
warning(const struct collect *c, size_t i)
{
	assert_true(i < json_array_size(c->warnings));
	return json_string_value(json_array_get(c->warnings, i));
}

static void
test_warnings(void **state)
{
	struct collect c;
	struct vg_err err;
	json_t *v;

	(void)state;
	assert_int_equal(
		import_text(
			&vg_imp_nvd_api2,
			"{'vulnerabilities':[{'cve':{'id':'CVE-2024-0001','metrics':{"
			"'cvssMetricV31':[{'source':'nvd@nist.gov','type':'Primary','cvssData':{"
			"'vectorString':'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H','baseScore':"
			"9.8}}],"
			"'cvssMetricV30':[{'source':'cna@example.com','type':'Secondary','cvssData':{"
			"'vectorString':'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N','baseScore':"
			"9.1}}],"
			"'cvssMetricV2':[{'type':'Primary','cvssData':{'vectorString':"
			"'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'}}]},"
			"'weaknesses':[{'description':[{'lang':'en','value':'NVD-CWE-noinfo'},"
			"{'lang':'en','value':'CWE-79'},{'lang':'en','value':'XSS'},"
			"{'lang':'en','value':'CWE-79'}]}],"
			"'references':[{'tags':['Exploit']},{'url':'https://x/1','tags':[]}],"
			"'configurations':[{'negate':true,'nodes':[{'cpeMatch':[{'criteria':"
			"'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*','vulnerable':true}]}]},"
			"{'operator':'XOR','nodes':[{'cpeMatch':[{'criteria':"
			"'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*','vulnerable':true}]}]},"
			"{'operator':'AND','nodes':[{'cpeMatch':[{'criteria':"
			"'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*','vulnerable':true}]},{'cpeMatch':[]}]},"
			"{'nodes':[{'cpeMatch':[]},{'negate':true,'cpeMatch':[{'criteria':"
			"'cpe:2.3:a:x:z:1:*:*:*:*:*:*:*','vulnerable':false}]}]}]}}]}",
			&c, &err),
		VG_OK);
	assert_int_equal(json_array_size(c.vulns), 1);
	v = find(&c, "CVE-2024-0001", 0);
	/* the invalid preferred v3.1 vector is dropped; the v3.0 one is used */
	assert_string_equal(sget(v, "v3"), "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N");
	assert_int_equal(tenths(v, "v3_score"), 91);
	/* a v3 vector where v2 belongs is dropped */
	assert_true(json_is_null(json_object_get(v, "v2")));
	expect_json(v, "cwes", "['CWE-79']");
	expect_json(v, "refs", "[{'url':'https://x/1','tags':null,'exploit':false}]");
	/* negated and XOR configurations dropped; AND with an empty node dropped; OR keeps
	 * its non-empty (negated) node */
	expect_json(v, "configs",
		    "[{'and':false,'nodes':[{'and':false,'negate':true,'matches':[{'cpe':"
		    "'cpe:2.3:a:x:z:1:*:*:*:*:*:*:*','vuln':false}]}]}]");
	assert_int_equal(json_array_size(c.warnings), 6);
	assert_contains(warning(&c, 0), "mem.json: record CVE-2024-0001: field "
					"'cve.metrics.cvssMetricV31[0].cvssData.vectorString': "
					"invalid CVSS vector 'CVSS:3.1/AV:X/");
	assert_string_equal(warning(&c, 1),
			    "mem.json: record CVE-2024-0001: field "
			    "'cve.metrics.cvssMetricV2[0].cvssData.vectorString': CVSS 3.1 vector "
			    "where CVSS 2.0 was expected");
	assert_string_equal(warning(&c, 2), "mem.json: record CVE-2024-0001: field "
					    "'cve.weaknesses[0].description[2].value': unknown CWE "
					    "form 'XSS'");
	assert_string_equal(warning(&c, 3), "mem.json: record CVE-2024-0001: field "
					    "'cve.references[0].url': missing; reference dropped");
	assert_string_equal(warning(&c, 4),
			    "mem.json: record CVE-2024-0001: field 'cve.configurations[0].negate': "
			    "a negated configuration is not supported; configuration dropped");
	assert_string_equal(
		warning(&c, 5),
		"mem.json: record CVE-2024-0001: field 'cve.configurations[1].operator': "
		"unknown operator 'XOR'; configuration dropped");
	col_release(&c);

	/* NVD 1.1: grandchildren and a negated parent cannot be flattened */
	assert_int_equal(
		import_text(
			&vg_imp_nvd_feed11,
			"{'CVE_Items':[{'cve':{'CVE_data_meta':{'ID':'CVE-1'}},'configurations':{"
			"'nodes':[{'operator':'AND','children':[{'operator':'OR','children':[{"
			"'cpe_match':[{'cpe23Uri':'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*','vulnerable':true}]"
			"}]}]},{'operator':'AND','negate':true,'children':[{'cpe_match':[{'cpe23Uri':"
			"'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*','vulnerable':true}]}]},"
			"{'operator':'OR','children':[{'cpe_match':[{'cpe23Uri':"
			"'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*','vulnerable':true}]}],'cpe_match':[{"
			"'cpe23Uri':'cpe:2.3:a:x:z:*:*:*:*:*:*:*:*','vulnerable':true}]}]},"
			"'impact':{'baseMetricV3':{'cvssV3':{'vectorString':'AV:N/AC:L/Au:N/C:P/I:P/"
			"A:P','baseScore':7.5}}}}]}",
			&c, &err),
		VG_OK);
	v = find(&c, "CVE-1", 0);
	/* the parent's own matches become one more node with the parent's operator */
	expect_json(v, "configs",
		    "[{'and':false,'nodes':["
		    "{'and':false,'negate':false,'matches':[{'cpe':'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*',"
		    "'vuln':true}]},"
		    "{'and':false,'negate':false,'matches':[{'cpe':'cpe:2.3:a:x:z:*:*:*:*:*:*:*:*',"
		    "'vuln':true}]}]}]");
	assert_true(json_is_null(json_object_get(v, "v3")));
	assert_int_equal(json_array_size(c.warnings), 3);
	assert_string_equal(warning(&c, 0), "mem.json: record CVE-1: field "
					    "'impact.baseMetricV3.cvssV3.vectorString': CVSS 2.0 "
					    "vector where CVSS 3.x was expected");
	assert_string_equal(warning(&c, 1),
			    "mem.json: record CVE-1: field 'configurations.nodes[0].children[0]."
			    "children': more than one level of children is not supported; "
			    "configuration dropped");
	assert_string_equal(
		warning(&c, 2),
		"mem.json: record CVE-1: field 'configurations.nodes[1].negate': a negated "
		"node with children is not supported; configuration dropped");
	col_release(&c);
}

/* ---- documented behaviours ----------------------------------------------------- */

/* A CVE twice in one file is handed over twice, in file order (MERGE: the later wins). */
static void
test_duplicates_and_late_header(void **state)
{
	struct collect c;
	struct vg_err err;

	(void)state;
	assert_int_equal(
		import_text(&vg_imp_nvd_api2,
			    "{'vulnerabilities':[{'cve':{'id':'CVE-1','lastModified':'a'}},"
			    "{'cve':{'id':'CVE-2'}},{'cve':{'id':'CVE-1','lastModified':'b'}}],"
			    "'format':'NVD_CVE','version':'2.0','timestamp':'2025-01-01T00:00:"
			    "00.000'}",
			    &c, &err),
		VG_OK);
	assert_int_equal(json_array_size(c.vulns), 3);
	assert_string_equal(sget(find(&c, "CVE-1", 0), "modified"), "a");
	assert_string_equal(sget(find(&c, "CVE-1", 1), "modified"), "b");
	assert_ptr_equal(find(&c, "CVE-1", 1), json_array_get(c.vulns, 2));
	/* the header came after the array: begin() could not know it, end() does */
	expect_json(c.src_begin, "version", "null");
	expect_json(c.src_begin, "snapshot", "null");
	expect_json(c.src_end, "version", "'2.0'");
	expect_json(c.src_end, "snapshot", "'2025-01-01T00:00:00.000'");
	assert_int_equal(c.end_count, 3);
	col_release(&c);

	/* an empty page is a valid import of nothing; so is a page past the end */
	assert_int_equal(import_text(&vg_imp_nvd_api2,
				     "{'resultsPerPage':2000,'startIndex':4000,'totalResults':3000,"
				     "'vulnerabilities':[]}",
				     &c, &err),
			 VG_OK);
	assert_int_equal(c.end_count, 0);
	col_release(&c);
	assert_int_equal(import_text(&vg_imp_nvd_api2,
				     "{'resultsPerPage':0,'startIndex':0,'totalResults':0,'format':"
				     "'NVD_CVE','version':'2.0','vulnerabilities':[]}",
				     &c, &err),
			 VG_OK);
	assert_int_equal(c.begins, 1);
	assert_int_equal(c.ends, 1);
	assert_int_equal(c.end_count, 0);
	col_release(&c);
}

static void
test_sink_error(void **state)
{
	char *path = vgt_shared_path("nvd/nvd-api-2.0_merged-sample.json");
	struct vg_feed_sink sink;
	struct vg_feed_in in;
	struct collect c;
	struct vg_err err;

	(void)state;
	sink = col_sink(&c);
	c.fail_at = 2;
	vg_err_clear(&err);
	assert_int_equal(vg_feed_in_open(&in, path, &err), VG_OK);
	assert_int_equal(vg_imp_nvd_api2.import(&in, &sink, &err), VG_EIO);
	vg_feed_in_close(&in);
	assert_string_equal(err.msg, "disk full");
	assert_int_equal(json_array_size(c.vulns), 1);
	assert_int_equal(c.ends, 0);
	col_release(&c);
	free(path);
}

static void
test_cve5_shapes(void **state)
{
	struct collect c;
	struct vg_err err;
	json_t *v;

	(void)state;
	/* an array of records; a rejected one explains itself in rejectedReasons */
	assert_int_equal(
		import_text(&vg_imp_cve5,
			    "[{'dataType':'CVE_RECORD','cveMetadata':{'cveId':'CVE-2024-1','state':"
			    "'PUBLISHED','datePublished':'2024-01-01'},'containers':{'cna':{"
			    "'descriptions':[{'lang':'es','value':'hola'},{'lang':'en-US','value':"
			    "'hello'}]}}},"
			    "{'dataType':'CVE_RECORD','cveMetadata':{'cveId':'CVE-2024-2','state':"
			    "'REJECTED','dateRejected':'2024-02-02'},'containers':{'cna':{"
			    "'rejectedReasons':[{'lang':'en','value':'duplicate'}]}}}]",
			    &c, &err),
		VG_OK);
	assert_int_equal(json_array_size(c.vulns), 2);
	expect_json(c.src_begin, "version", "null");
	v = find(&c, "CVE-2024-1", 0);
	assert_string_equal(sget(v, "description"), "hello");
	assert_false(json_is_true(json_object_get(v, "withdrawn")));
	v = find(&c, "CVE-2024-2", 0);
	assert_true(json_is_true(json_object_get(v, "withdrawn")));
	assert_string_equal(sget(v, "description"), "duplicate");
	assert_string_equal(sget(v, "modified"), "2024-02-02");
	assert_true(json_is_null(json_object_get(v, "published")));
	col_release(&c);
}

/* affected[] with cpes[]: which entries make a configuration (docs/feeds/nvd.md). */
static void
test_cve5_derived(void **state)
{
	static const struct {
		const char *entry; /* an affected[] element, ' for " */
		const char *configs;
	} cases[] = {
		/* exact versions, a <= range from "0", a 2.2 URI with ANY version */
		{"{'cpes':['cpe:/a:acme:widget'],'defaultStatus':'unaffected','versions':["
		 "{'version':'1.0','status':'affected'},{'version':'0','lessThanOrEqual':'2.3',"
		 "'status':'affected','versionType':'semver'}]}",
		 "[{'and':false,'nodes':[{'and':false,'negate':false,'matches':["
		 "{'cpe':'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*','vuln':true,'si':'1.0','ei':'1.0'},"
		 "{'cpe':'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*','vuln':true,'ei':'2.3'}]}]}]"},
		/* two CPE names x one range */
		{"{'cpes':['cpe:2.3:a:acme:a:*:*:*:*:*:*:*:*','cpe:2.3:a:acme:b:*:*:*:*:*:*:*:*'],"
		 "'versions':[{'version':'2.0','lessThan':'2.5','status':'affected'}]}",
		 "[{'and':false,'nodes':[{'and':false,'negate':false,'matches':["
		 "{'cpe':'cpe:2.3:a:acme:a:*:*:*:*:*:*:*:*','vuln':true,'si':'2.0','ee':'2.5'},"
		 "{'cpe':'cpe:2.3:a:acme:b:*:*:*:*:*:*:*:*','vuln':true,'si':'2.0','ee':'2.5'}]}]}]"},
		/* not exact: default affected, unaffected entries, changes, git, vague text,
		 * wildcards, a CPE with a version, no versions, no cpes */
		{"{'cpes':['cpe:/a:acme:widget'],'defaultStatus':'affected','versions':[{'version':"
		 "'1.0','status':'affected'}]}",
		 "[]"},
		{"{'cpes':['cpe:/a:acme:widget'],'versions':[{'version':'1.0','status':'affected'},"
		 "{'version':'1.1','status':'unaffected'}]}",
		 "[]"},
		{"{'cpes':['cpe:/a:acme:widget'],'versions':[{'version':'1.0','lessThan':'2.0',"
		 "'status':'affected','changes':[{'at':'1.5','status':'unaffected'}]}]}",
		 "[]"},
		{"{'cpes':['cpe:/a:acme:widget'],'versions':[{'version':'abc','lessThan':'def',"
		 "'status':'affected','versionType':'git'}]}",
		 "[]"},
		{"{'cpes':['cpe:/a:acme:widget'],'versions':[{'version':'n/a','status':'affected'}]}",
		 "[]"},
		{"{'cpes':['cpe:/a:acme:widget'],'versions':[{'version':'< 1.2','status':"
		 "'affected'}]}",
		 "[]"},
		{"{'cpes':['cpe:/a:acme:widget'],'versions':[{'version':'5.15','lessThanOrEqual':"
		 "'5.15.*','status':'affected'}]}",
		 "[]"},
		{"{'cpes':['cpe:/o:redhat:enterprise_linux:9'],'versions':[{'version':'1.0',"
		 "'status':'affected'}]}",
		 "[]"},
		{"{'cpes':['cpe:/o:redhat:enterprise_linux'],'defaultStatus':'unaffected'}", "[]"},
		{"{'vendor':'acme','product':'widget','versions':[{'version':'1.0','status':"
		 "'affected'}]}",
		 "[]"},
	};
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char doc[2048];
		struct collect c;
		struct vg_err err;
		char *want = dq(cases[i].configs);
		json_t *w = json_loads(want, 0, NULL);

		snprintf(doc, sizeof(doc),
			 "{'cveMetadata':{'cveId':'CVE-1'},'containers':{'cna':{'affected':[%s]}}}",
			 cases[i].entry);
		assert_int_equal(import_text(&vg_imp_cve5, doc, &c, &err), VG_OK);
		assert_non_null(w);
		if (!json_equal(w, json_object_get(find(&c, "CVE-1", 0), "configs"))) {
			char *g = json_dumps(json_object_get(find(&c, "CVE-1", 0), "configs"),
					     JSON_COMPACT);

			print_message("case %zu: got %s\n", i, g);
			free(g);
			bad++;
		}
		assert_int_equal(json_array_size(c.warnings), 0);
		json_decref(w);
		free(want);
		col_release(&c);
	}
	assert_int_equal(bad, 0);
}

/* ---- detection ------------------------------------------------------------------ */

static int
probe_text(const struct vg_importer *imp, const char *data, size_t len)
{
	struct vg_feed_in in;
	struct vg_sniff *s = vg_xmalloc(sizeof(*s));
	struct vg_buf scratch;
	struct vg_err err;
	int score;

	vg_buf_init(&scratch, VG_SNIFF_MAX);
	vg_feed_in_open_mem(&in, "mem.json", data, len);
	assert_int_equal(vg_feed_sniff(&in, s, &scratch, &err), VG_OK);
	score = imp->probe(s);
	vg_feed_in_close(&in);
	vg_buf_release(&scratch);
	free(s);
	return score;
}

static int
probe_doc(const struct vg_importer *imp, const char *text)
{
	char *doc = dq(text);
	int score = probe_text(imp, doc, strlen(doc));

	free(doc);
	return score;
}

static void
test_probes(void **state)
{
	static const char *const others[] = {
		"kev/known_exploited_vulnerabilities.json",
		"kev/known_exploited_vulnerabilities_schema.json",
	};
	char *filler = vg_xmalloc(VG_SNIFF_MAX + 200);
	char *doc;

	(void)state;
	/* the KEV catalog (a "vulnerabilities" array too) and its schema are not ours */
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		size_t len;
		char *data = slurp(others[i], &len);

		assert_int_equal(probe_text(&vg_imp_nvd_api2, data, len), 0);
		assert_int_equal(probe_text(&vg_imp_nvd_feed11, data, len), 0);
		assert_int_equal(probe_text(&vg_imp_cve5, data, len), 0);
		free(data);
	}
	assert_int_equal(probe_doc(&vg_imp_nvd_api2, "{'vulnerabilities':[{'cveID':'CVE-1'}]}"), 0);
	assert_int_equal(probe_doc(&vg_imp_nvd_api2, "{'id':'GHSA-1','modified':'x'}"), 0);
	assert_int_equal(probe_doc(&vg_imp_nvd_api2, "[{'cve':{}}]"), 0);
	assert_int_equal(probe_doc(&vg_imp_nvd_api2, "{'format':'NVD_CVE'}"), 100);
	assert_int_equal(probe_doc(&vg_imp_nvd_api2, "{'resultsPerPage':1,'vulnerabilities':[]}"),
			 100);
	assert_int_equal(probe_doc(&vg_imp_nvd_api2, "{'vulnerabilities' : [ {\n 'cve' : {"), 100);
	assert_int_equal(probe_doc(&vg_imp_nvd_feed11, "{'CVE_data_type':'CVE','CVE_Items':[]}"),
			 100);
	assert_int_equal(probe_doc(&vg_imp_nvd_feed11, "{'data_type':'CVE','CVE_data_meta':{}}"),
			 0);
	assert_int_equal(probe_doc(&vg_imp_cve5, "{'dataType':'CVE_RECORD'}"), 100);
	assert_int_equal(probe_doc(&vg_imp_cve5, "{'containers':{'cna':{}}"), 100);
	assert_int_equal(probe_doc(&vg_imp_cve5, "{'cveMetadata':{'cveId':'CVE-1'}"), 100);
	assert_int_equal(probe_doc(&vg_imp_cve5, "[{'dataType':'CVE_RECORD','cveMetadata':{}}]"),
			 100);
	assert_int_equal(probe_doc(&vg_imp_cve5, "{'id':'CVE-1','containers':[]}"), 0);
	assert_int_equal(probe_doc(&vg_imp_cve5, "{'format':'NVD_CVE'}"), 0);
	assert_int_equal(probe_doc(&vg_imp_nvd_feed11, "{'format':'NVD_CVE'}"), 0);

	/* the header after an array too long for the sniffed head */
	memset(filler, ' ', VG_SNIFF_MAX + 100);
	filler[VG_SNIFF_MAX + 100] = '\0';
	doc = vg_xmalloc(VG_SNIFF_MAX + 400);
	snprintf(
		doc, VG_SNIFF_MAX + 400,
		"{\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-1\"%s}}], \"format\": \"NVD_CVE\"}",
		filler);
	assert_int_equal(probe_text(&vg_imp_nvd_api2, doc, strlen(doc)), 100);
	assert_int_equal(probe_text(&vg_imp_cve5, doc, strlen(doc)), 0);
	free(doc);
	free(filler);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_file),
		cmocka_unit_test(test_api2_xz),
		cmocka_unit_test(test_api2_and_config),
		cmocka_unit_test(test_api2_preference),
		cmocka_unit_test(test_api2_exploit_and_v4),
		cmocka_unit_test(test_merged_sample),
		cmocka_unit_test(test_feed11_children),
		cmocka_unit_test(test_feed11_rejected),
		cmocka_unit_test(test_cve5_log4shell),
		cmocka_unit_test(test_cve5_configs),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_error_names_file),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_duplicates_and_late_header),
		cmocka_unit_test(test_sink_error),
		cmocka_unit_test(test_cve5_shapes),
		cmocka_unit_test(test_cve5_derived),
		cmocka_unit_test(test_probes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
