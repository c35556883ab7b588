/*
 * fuzz_feed_osv.c - libFuzzer target for the OSV importers: vg_imp_osv_json,
 * vg_imp_osv_yaml (src/feeds/osv.c, osv_yaml.c) and vg_imp_ghsa_graphql
 * (src/feeds/ghsa.c).  Every input goes through all three, in memory, and
 * through their probes.
 *
 * The sink checks the call protocol (begin() once before any record, end()
 * once after the last with the vuln count, nothing after a failure) and
 * every record against record.h and docs/feeds/osv.md: source "osv" in
 * MERGE mode; a vuln has an id, no empty strings, aliases that are neither
 * empty nor the id, CWE ids of the form CWE-N, vectors that parse as the
 * CVSS version of their slot; a statement belongs to the vuln just handed
 * over, names a namespace and a package, carries only versions valid under
 * its scheme, has fixed only when FIXED, exact only without an interval,
 * never introduced "0", and a non-empty interval.  Warnings and errors name
 * the input.
 */
#include <string.h>

#include "core/cvss.h"
#include "core/version/version.h"
#include "feeds/importers.h"
#include "fuzz_common.h"

#define INPUT_NAME "fuzz.osv"

struct state {
	int begins, ends;
	uint64_t nvulns;
	char last_id[256]; /* id of the last vuln (cut short: compared as a prefix) */
};

static bool
nonempty_or_null(const char *s)
{
	return s == NULL || s[0] != '\0';
}

static void
check_vector(const char *v, enum vg_cvss_version a, enum vg_cvss_version b)
{
	struct vg_cvss cvss;
	struct vg_err err;

	if (!v)
		return;
	fuzz_require(vg_cvss_parse(vg_str_c(v), &cvss, &err) == VG_OK, "vector does not parse");
	fuzz_require(cvss.version == a || cvss.version == b, "vector in the wrong slot");
}

static int
on_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct state *st = ctx;

	(void)err;
	fuzz_require(st->begins++ == 0 && st->ends == 0, "begin() twice or after end()");
	fuzz_require(strcmp(src->name, "osv") == 0, "source is not osv");
	fuzz_require(src->mode == VG_FEED_MERGE, "osv is not MERGE");
	return VG_OK;
}

static int
on_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	struct state *st = ctx;

	(void)err;
	fuzz_require(st->begins == 1 && st->ends == 0, "vuln outside begin()/end()");
	fuzz_require(v->id && v->id[0], "vuln without id");
	fuzz_require(nonempty_or_null(v->summary) && nonempty_or_null(v->description) &&
			     nonempty_or_null(v->published) && nonempty_or_null(v->modified) &&
			     nonempty_or_null(v->severity),
		     "empty string instead of NULL");
	for (size_t i = 0; i < v->naliases; i++)
		fuzz_require(v->aliases[i] && v->aliases[i][0] && strcmp(v->aliases[i], v->id) != 0,
			     "bad alias");
	for (size_t i = 0; i < v->ncwes; i++)
		fuzz_require(strncmp(v->cwes[i], "CWE-", 4) == 0 && v->cwes[i][4] >= '0' &&
				     v->cwes[i][4] <= '9',
			     "bad CWE id");
	for (size_t i = 0; i < v->nrefs; i++)
		fuzz_require(v->refs[i].url && v->refs[i].url[0], "reference without url");
	check_vector(v->cvss_v2, VG_CVSS_V2, VG_CVSS_V2);
	check_vector(v->cvss_v3, VG_CVSS_V30, VG_CVSS_V31);
	check_vector(v->cvss_v4, VG_CVSS_V40, VG_CVSS_V40);
	(void)snprintf(st->last_id, sizeof(st->last_id), "%s", v->id);
	st->nvulns++;
	return VG_OK;
}

static bool
valid(enum vg_ver_scheme scheme, const char *v)
{
	struct vg_err err;

	return v == NULL || vg_ver_validate(scheme, vg_str_c(v), &err) == VG_OK;
}

static int
cmp(enum vg_ver_scheme scheme, const char *a, const char *b)
{
	int c = 0;
	struct vg_err err;

	fuzz_require(vg_ver_compare(scheme, vg_str_c(a), vg_str_c(b), &c, &err) == VG_OK,
		     "valid versions do not compare");
	return c;
}

static int
on_affected(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	struct state *st = ctx;

	(void)err;
	fuzz_require(st->begins == 1 && st->ends == 0 && st->nvulns > 0,
		     "statement outside begin()/end() or before its vuln");
	fuzz_require(a->vuln_id && strncmp(a->vuln_id, st->last_id, strlen(st->last_id)) == 0,
		     "statement of another vuln");
	fuzz_require(a->advisory && strcmp(a->advisory, a->vuln_id) == 0, "advisory is not the id");
	fuzz_require(a->ns && a->ns[0] && a->package && a->package[0], "no namespace or package");
	fuzz_require((unsigned)a->scheme < VG_VER_NSCHEMES, "bad scheme");
	fuzz_require(valid(a->scheme, a->introduced) && valid(a->scheme, a->fixed) &&
			     valid(a->scheme, a->last_affected) && valid(a->scheme, a->exact),
		     "version invalid under the statement's scheme");
	fuzz_require(a->status == VG_AFF_FIXED || a->status == VG_AFF_AFFECTED, "bad status");
	fuzz_require((a->fixed != NULL) == (a->status == VG_AFF_FIXED), "fixed without FIXED");
	fuzz_require(!a->exact || (!a->introduced && !a->fixed && !a->last_affected),
		     "exact version with an interval");
	fuzz_require(!a->introduced || strcmp(a->introduced, "0") != 0, "introduced \"0\" kept");
	fuzz_require(!a->note || strcmp(a->note, "limit") == 0, "unexpected note");
	if (a->introduced && a->fixed)
		fuzz_require(cmp(a->scheme, a->introduced, a->fixed) < 0, "empty interval");
	if (a->introduced && a->last_affected)
		fuzz_require(cmp(a->scheme, a->introduced, a->last_affected) <= 0,
			     "empty closed interval");
	return VG_OK;
}

static int
on_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct state *st = ctx;

	(void)src;
	(void)err;
	fuzz_require(st->begins == 1 && st->ends++ == 0, "end() without begin() or twice");
	fuzz_require(n == st->nvulns, "end() count differs from the vulns");
	return VG_OK;
}

static void
on_warn(void *ctx, const char *msg)
{
	(void)ctx;
	fuzz_require(strncmp(msg, INPUT_NAME ": ", strlen(INPUT_NAME) + 2) == 0,
		     "warning does not name the input");
}

static void
run(const struct vg_importer *imp, const uint8_t *data, size_t size)
{
	struct state st = {0};
	struct vg_feed_sink sink = {
		.ctx = &st,
		.begin = on_begin,
		.vuln = on_vuln,
		.affected = on_affected,
		.end = on_end,
		.warn = on_warn,
	};
	struct vg_feed_in in;
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	vg_feed_in_open_mem(&in, INPUT_NAME, (const char *)data, size);
	rc = imp->import(&in, &sink, &err);
	vg_feed_in_close(&in);
	if (rc == VG_OK)
		fuzz_require(st.ends == 1, "success without end()");
	else
		fuzz_require(st.ends == 0 && err.msg[0] != '\0',
			     "failure after end() or unexplained");
}

static void
probe(const uint8_t *data, size_t size)
{
	struct vg_feed_in in;
	struct vg_sniff s;
	struct vg_buf scratch;
	struct vg_err err;

	vg_buf_init(&scratch, VG_SNIFF_MAX + 1);
	vg_feed_in_open_mem(&in, INPUT_NAME, (const char *)data, size);
	if (vg_feed_sniff(&in, &s, &scratch, &err) == VG_OK) {
		int a = vg_imp_osv_json.probe(&s), b = vg_imp_osv_yaml.probe(&s),
		    c = vg_imp_ghsa_graphql.probe(&s);

		fuzz_require(a >= 0 && a <= 100 && b >= 0 && b <= 100 && c >= 0 && c <= 100,
			     "probe score outside 0..100");
		fuzz_require(!(a && b), "JSON and YAML probes both claim the input");
	}
	vg_feed_in_close(&in);
	vg_buf_release(&scratch);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(&vg_imp_osv_json, data, size);
	run(&vg_imp_osv_yaml, data, size);
	run(&vg_imp_ghsa_graphql, data, size);
	probe(data, size);
	return 0;
}
