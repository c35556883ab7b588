/*
 * cve5.c - CVE JSON 5 records (CVE Services, cvelistV5): one record per
 * file, or a JSON array of records.
 *
 * A record becomes one struct vg_vuln of source "cve5" (mode MERGE): text,
 * dates, REJECTED state, CVSS vectors, CWE ids and references from the CNA
 * container and then the ADP containers (CISA's vulnrichment adds CVSS and
 * CWE there), and CPE configurations from "cpeApplicability".  The
 * affected[] vendor/product/version list is not turned into affected-package
 * statements: it names no distro or ecosystem namespace and its version
 * strings follow no declared scheme.  Only where an entry lists CPE names
 * and its versions are plain affected versions or ranges is it turned into a
 * CPE configuration (docs/feeds/nvd.md says exactly when).
 *
 * The document is walked with vg_jstream_read(): a top-level object's
 * members are gathered into one record, a top-level array's elements are
 * records of their own, so an array file is streamed element by element.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/cpe.h"
#include "feeds/importers.h"
#include "feeds/jstream.h"
#include "feeds/nvd_int.h"

/* Most matches one affected[] entry may expand to (CPE names x versions). */
#define MAX_DERIVED_MATCHES 4096
/* Longest version string taken from affected[] versions. */
#define MAX_VERSION_LEN     128

struct cve5_import {
	struct vg_nvd_ctx c;
	json_t *doc; /* members of a top-level record object */
	bool any;    /* a record was seen */
};

/* A container of the record (the CNA's, or one ADP's) and its name in messages. */
struct container {
	const json_t *obj;
	char where[40];
};

/* ---- containers --------------------------------------------------------------- */

static int
get_containers(struct vg_nvd_ctx *c, const json_t *rec, struct container **out, size_t *n)
{
	const json_t *containers, *cna, *adp;
	struct container *list;
	int rc;

	*n = 0;
	if ((rc = vg_nvd_obj(c, rec, "containers", "", &containers)) != VG_OK)
		return rc;
	if (containers == NULL)
		return vg_nvd_fail(c, "field 'containers': missing");
	if ((rc = vg_nvd_obj(c, containers, "cna", "containers", &cna)) != VG_OK ||
	    (rc = vg_nvd_arr(c, containers, "adp", "containers", &adp)) != VG_OK)
		return rc;
	if (cna == NULL)
		return vg_nvd_fail(c, "field 'containers.cna': missing");
	list = vg_arena_alloc(&c->arena, (1 + json_array_size(adp)) * sizeof(*list));
	list[0].obj = cna;
	vg_nvd_where(list[0].where, sizeof(list[0].where), "containers.cna");
	for (size_t i = 0; i < json_array_size(adp); i++) {
		if ((rc = vg_nvd_elem_obj(c, adp, i, "containers.adp", &list[i + 1].obj)) != VG_OK)
			return rc;
		vg_nvd_where(list[i + 1].where, sizeof(list[i + 1].where), "containers.adp[%zu]",
			     i);
	}
	*out = list;
	*n = 1 + json_array_size(adp);
	return VG_OK;
}

/* ---- CVSS --------------------------------------------------------------------- */

static const struct {
	const char *key;
	enum vg_nvd_cvss_slot slot;
	int pref; /* lower is preferred within one container */
} metric_kinds[] = {
	{"cvssV4_0", VG_NVD_CVSS4, 0},
	{"cvssV3_1", VG_NVD_CVSS3, 0},
	{"cvssV3_0", VG_NVD_CVSS3, 1},
	{"cvssV2_0", VG_NVD_CVSS2, 0},
};

struct cvss_pick {
	int rank[3]; /* best rank so far per slot */
};

static void
store_vector(struct vg_nvd_rec *r, enum vg_nvd_cvss_slot slot, const char *vec, double score)
{
	switch (slot) {
	case VG_NVD_CVSS2:
		r->v.cvss_v2 = vec;
		r->v.cvss_v2_score = score;
		break;
	case VG_NVD_CVSS3:
		r->v.cvss_v3 = vec;
		r->v.cvss_v3_score = score;
		break;
	default:
		r->v.cvss_v4 = vec;
		r->v.cvss_v4_score = score;
		break;
	}
}

/* One metrics[] entry of container number @ci (0 = CNA). */
static int
metric_entry(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *m, const char *where,
	     size_t ci, struct cvss_pick *pick)
{
	for (size_t k = 0; k < sizeof(metric_kinds) / sizeof(metric_kinds[0]); k++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *data;
		const char *vector;
		double score;
		int rank, rc;

		if ((rc = vg_nvd_obj(c, m, metric_kinds[k].key, where, &data)) != VG_OK)
			return rc;
		if (data == NULL)
			continue;
		vg_nvd_where(w, sizeof(w), "%s.%s", where, metric_kinds[k].key);
		if ((rc = vg_nvd_str(c, data, "vectorString", w, &vector)) != VG_OK ||
		    (rc = vg_nvd_num(c, data, "baseScore", w, &score)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s.%s.vectorString", where, metric_kinds[k].key);
		if (vector == NULL) {
			vg_nvd_warn(c, "field '%s': missing", w);
			continue;
		}
		if (!vg_nvd_cvss_ok(c, metric_kinds[k].slot, vector, w))
			continue;
		/* The CNA before the ADPs, then 3.1 before 3.0, then the first seen. */
		rank = (int)(ci < 1000 ? ci : 1000) * 2 + metric_kinds[k].pref;
		if (rank < pick->rank[metric_kinds[k].slot]) {
			pick->rank[metric_kinds[k].slot] = rank;
			store_vector(r, metric_kinds[k].slot, vector, score);
		}
	}
	return VG_OK;
}

static int
metrics(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const struct container *cs, size_t n)
{
	struct cvss_pick pick = {{1 << 30, 1 << 30, 1 << 30}};

	for (size_t ci = 0; ci < n; ci++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *arr, *m;
		int rc;

		if ((rc = vg_nvd_arr(c, cs[ci].obj, "metrics", cs[ci].where, &arr)) != VG_OK)
			return rc;
		for (size_t i = 0; i < json_array_size(arr); i++) {
			vg_nvd_where(w, sizeof(w), "%s.metrics", cs[ci].where);
			if ((rc = vg_nvd_elem_obj(c, arr, i, w, &m)) != VG_OK)
				return rc;
			vg_nvd_where(w, sizeof(w), "%s.metrics[%zu]", cs[ci].where, i);
			if ((rc = metric_entry(c, r, m, w, ci, &pick)) != VG_OK)
				return rc;
		}
	}
	return VG_OK;
}

/* ---- CWE, references ------------------------------------------------------------ */

static int
problem_type(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *pt, const char *where)
{
	const json_t *descs, *d;
	char w[VG_NVD_WHERE_MAX];
	const char *cwe;
	int rc;

	if ((rc = vg_nvd_arr(c, pt, "descriptions", where, &descs)) != VG_OK)
		return rc;
	for (size_t j = 0; j < json_array_size(descs); j++) {
		vg_nvd_where(w, sizeof(w), "%s.descriptions", where);
		if ((rc = vg_nvd_elem_obj(c, descs, j, w, &d)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s.descriptions[%zu]", where, j);
		if ((rc = vg_nvd_str(c, d, "cweId", w, &cwe)) != VG_OK)
			return rc;
		/* Free-text problem types (no cweId) name no weakness we can record. */
		if (cwe != NULL) {
			vg_nvd_where(w, sizeof(w), "%s.descriptions[%zu].cweId", where, j);
			vg_nvd_add_cwe(c, r, cwe, w);
		}
	}
	return VG_OK;
}

static int
cwes_and_refs(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const struct container *cs, size_t n)
{
	for (size_t ci = 0; ci < n; ci++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *pts, *pt, *refs;
		int rc;

		if ((rc = vg_nvd_arr(c, cs[ci].obj, "problemTypes", cs[ci].where, &pts)) != VG_OK)
			return rc;
		for (size_t i = 0; i < json_array_size(pts); i++) {
			vg_nvd_where(w, sizeof(w), "%s.problemTypes", cs[ci].where);
			if ((rc = vg_nvd_elem_obj(c, pts, i, w, &pt)) != VG_OK)
				return rc;
			vg_nvd_where(w, sizeof(w), "%s.problemTypes[%zu]", cs[ci].where, i);
			if ((rc = problem_type(c, r, pt, w)) != VG_OK)
				return rc;
		}
		vg_nvd_where(w, sizeof(w), "%s.references", cs[ci].where);
		if ((rc = vg_nvd_arr(c, cs[ci].obj, "references", cs[ci].where, &refs)) != VG_OK ||
		    (rc = vg_nvd_add_refs(c, r, refs, w)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* ---- CPE configurations ----------------------------------------------------------- */

/* A version string that names one version (not "n/a", "< 1.2", "5.15.*", "1.0 and 2.0"). */
static bool
plain_version(const char *s)
{
	static const char *const vague[] = {"n/a", "na", "unspecified", "unknown", "all", "-"};

	if (s == NULL || strlen(s) > MAX_VERSION_LEN)
		return false;
	for (size_t i = 0; i < sizeof(vague) / sizeof(vague[0]); i++)
		if (strcasecmp(s, vague[i]) == 0)
			return false;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("<>=*?,;|&()[]{}\"'", *p) != NULL)
			return false;
	return true;
}

/*
 * The CPE names of an affected[] entry as formatted strings, or *n == 0
 * when one of them pins a version (then versions[] cannot refine it) or
 * does not parse.
 */
static int
entry_cpes(struct vg_nvd_ctx *c, const json_t *cpes, const char *where, const char ***out,
	   size_t *n)
{
	size_t count = json_array_size(cpes);
	const char **names = vg_arena_alloc(&c->arena, (count ? count : 1) * sizeof(*names));
	struct vg_buf b;
	int rc = VG_OK;

	*n = 0;
	vg_buf_init(&b, 4 * VG_CPE_MAX_LEN);
	for (size_t i = 0; i < count && rc == VG_OK; i++) {
		const json_t *js = json_array_get(cpes, i);
		struct vg_cpe cpe;
		struct vg_err e;
		bool ok;

		if (!json_is_string(js)) {
			rc = vg_nvd_fail(c, "field '%s.cpes[%zu]': expected a string", where, i);
			break;
		}
		vg_cpe_init(&cpe);
		vg_err_clear(&e);
		vg_buf_reset(&b);
		ok = vg_cpe_parse(vg_str_n(json_string_value(js), json_string_length(js)), &cpe,
				  &e) == VG_OK;
		if (!ok)
			vg_nvd_warn(c, "field '%s.cpes[%zu]': %s; entry not used", where, i, e.msg);
		ok = ok && cpe.attr[VG_CPE_VERSION].kind == VG_CPE_ANY &&
		     vg_cpe_bind_fs(&cpe, &b) == VG_OK;
		vg_cpe_release(&cpe);
		if (!ok) {
			count = 0;
			break;
		}
		names[i] = vg_arena_strdup(&c->arena, b.p);
	}
	vg_buf_release(&b);
	*out = names;
	*n = count;
	return rc;
}

/* One versions[] element as a match range; *exact false when it is not one. */
static int
version_range(struct vg_nvd_ctx *c, const json_t *ver, const char *where, struct vg_cpe_match *m,
	      bool *exact)
{
	const char *status, *version, *lt, *le, *vtype;
	int rc;

	*exact = false;
	if ((rc = vg_nvd_str(c, ver, "status", where, &status)) != VG_OK ||
	    (rc = vg_nvd_str(c, ver, "version", where, &version)) != VG_OK ||
	    (rc = vg_nvd_str(c, ver, "lessThan", where, &lt)) != VG_OK ||
	    (rc = vg_nvd_str(c, ver, "lessThanOrEqual", where, &le)) != VG_OK ||
	    (rc = vg_nvd_str(c, ver, "versionType", where, &vtype)) != VG_OK)
		return rc;
	if (status == NULL || strcmp(status, "affected") != 0 || json_object_get(ver, "changes"))
		return VG_OK; /* exceptions inside a range: not expressible as one match */
	if (vtype != NULL && (strcmp(vtype, "git") == 0 || strstr(vtype, "commit") != NULL))
		return VG_OK; /* commit ids do not order */
	if (!plain_version(version) || (lt && le) || (lt && !plain_version(lt)) ||
	    (le && !plain_version(le)))
		return VG_OK;
	if (lt == NULL && le == NULL) {
		m->start_incl = m->end_incl = version; /* one version */
	} else {
		/* "0" is CVE 5's way to say "from the first version". */
		m->start_incl = strcmp(version, "0") == 0 ? NULL : version;
		m->end_excl = lt;
		m->end_incl = le;
	}
	*exact = true;
	return VG_OK;
}

/* affected[] entry @a with cpes[]: one configuration if its data is exact. */
static int
derived_config(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *a, const char *where)
{
	const json_t *cpes, *versions, *ver;
	const char *dflt, **names;
	size_t ncpes, nver, k = 0;
	struct vg_cpe_match *matches;
	struct vg_cpe_node *node;
	char w[VG_NVD_WHERE_MAX];
	int rc;

	if ((rc = vg_nvd_arr(c, a, "cpes", where, &cpes)) != VG_OK ||
	    (rc = vg_nvd_arr(c, a, "versions", where, &versions)) != VG_OK ||
	    (rc = vg_nvd_str(c, a, "defaultStatus", where, &dflt)) != VG_OK)
		return rc;
	nver = json_array_size(versions);
	if (json_array_size(cpes) == 0 || nver == 0 || (dflt && strcmp(dflt, "unaffected") != 0))
		return VG_OK;
	if ((rc = entry_cpes(c, cpes, where, &names, &ncpes)) != VG_OK || ncpes == 0)
		return rc;
	if (ncpes > MAX_DERIVED_MATCHES / nver)
		return VG_OK;
	matches = vg_arena_alloc(&c->arena, ncpes * nver * sizeof(*matches));
	for (size_t i = 0; i < nver; i++) {
		struct vg_cpe_match m = {.vulnerable = true};
		bool exact;

		vg_nvd_where(w, sizeof(w), "%s.versions", where);
		if ((rc = vg_nvd_elem_obj(c, versions, i, w, &ver)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s.versions[%zu]", where, i);
		if ((rc = version_range(c, ver, w, &m, &exact)) != VG_OK || !exact)
			return rc;
		for (size_t j = 0; j < ncpes; j++) {
			matches[k] = m;
			matches[k++].criteria = names[j];
		}
	}
	node = vg_arena_alloc(&c->arena, sizeof(*node));
	*node = (struct vg_cpe_node){.matches = matches, .nmatches = k};
	vg_nvd_push_config(c, r, &(struct vg_cpe_config){.nodes = node, .nnodes = 1});
	return VG_OK;
}

static int
configurations(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const struct container *cs, size_t n)
{
	char w[VG_NVD_WHERE_MAX];
	const json_t *arr, *a;
	int rc;

	for (size_t ci = 0; ci < n; ci++) {
		vg_nvd_where(w, sizeof(w), "%s.cpeApplicability", cs[ci].where);
		if ((rc = vg_nvd_arr(c, cs[ci].obj, "cpeApplicability", cs[ci].where, &arr)) !=
			    VG_OK ||
		    (rc = vg_nvd_add_configs(c, r, arr, w)) != VG_OK)
			return rc;
	}
	if (r->nconfigs > 0)
		return VG_OK; /* the record states its applicability: do not guess more */
	for (size_t ci = 0; ci < n; ci++) {
		if ((rc = vg_nvd_arr(c, cs[ci].obj, "affected", cs[ci].where, &arr)) != VG_OK)
			return rc;
		for (size_t i = 0; i < json_array_size(arr); i++) {
			vg_nvd_where(w, sizeof(w), "%s.affected", cs[ci].where);
			if ((rc = vg_nvd_elem_obj(c, arr, i, w, &a)) != VG_OK)
				return rc;
			vg_nvd_where(w, sizeof(w), "%s.affected[%zu]", cs[ci].where, i);
			if ((rc = derived_config(c, r, a, w)) != VG_OK)
				return rc;
		}
	}
	return VG_OK;
}

/* ---- one record ------------------------------------------------------------------- */

static int
metadata(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *rec)
{
	const json_t *meta;
	const char *type, *state, *rejected;
	int rc;

	if ((rc = vg_nvd_str(c, rec, "dataType", "", &type)) != VG_OK)
		return rc;
	if (type != NULL && strcmp(type, "CVE_RECORD") != 0)
		return vg_nvd_fail(c, "field 'dataType': expected 'CVE_RECORD', not '%.40s'", type);
	if ((rc = vg_nvd_obj(c, rec, "cveMetadata", "", &meta)) != VG_OK)
		return rc;
	if (meta == NULL)
		return vg_nvd_fail(c, "field 'cveMetadata': missing");
	if ((rc = vg_nvd_str(c, meta, "cveId", "cveMetadata", &r->v.id)) != VG_OK)
		return rc;
	if (r->v.id == NULL)
		return vg_nvd_fail(c, "field 'cveMetadata.cveId': missing");
	vg_nvd_set_rec(c, "%s", r->v.id);
	if ((rc = vg_nvd_str(c, meta, "state", "cveMetadata", &state)) != VG_OK ||
	    (rc = vg_nvd_str(c, meta, "datePublished", "cveMetadata", &r->v.published)) != VG_OK ||
	    (rc = vg_nvd_str(c, meta, "dateUpdated", "cveMetadata", &r->v.modified)) != VG_OK ||
	    (rc = vg_nvd_str(c, meta, "dateRejected", "cveMetadata", &rejected)) != VG_OK)
		return rc;
	r->v.withdrawn = state != NULL && strcmp(state, "REJECTED") == 0;
	if (r->v.modified == NULL)
		r->v.modified = rejected;
	return VG_OK;
}

static int
texts(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *cna)
{
	const json_t *arr;
	int rc;

	if ((rc = vg_nvd_str(c, cna, "title", "containers.cna", &r->v.summary)) != VG_OK ||
	    (rc = vg_nvd_arr(c, cna, "descriptions", "containers.cna", &arr)) != VG_OK ||
	    (rc = vg_nvd_text(c, arr, "containers.cna.descriptions", &r->v.description)) != VG_OK)
		return rc;
	if (r->v.description != NULL)
		return VG_OK;
	/* A rejected record explains itself in rejectedReasons instead. */
	if ((rc = vg_nvd_arr(c, cna, "rejectedReasons", "containers.cna", &arr)) != VG_OK)
		return rc;
	return vg_nvd_text(c, arr, "containers.cna.rejectedReasons", &r->v.description);
}

static int
fill(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *rec)
{
	struct container *cs = NULL;
	size_t n;
	int rc;

	if (!json_is_object(rec))
		return vg_nvd_fail(c, "expected an object");
	if ((rc = metadata(c, r, rec)) != VG_OK || (rc = get_containers(c, rec, &cs, &n)) != VG_OK)
		return rc;
	if (cs == NULL)
		return vg_nvd_fail(c, "field 'containers.cna': missing"); /* not reached */
	if ((rc = texts(c, r, cs[0].obj)) != VG_OK || (rc = metrics(c, r, cs, n)) != VG_OK ||
	    (rc = cwes_and_refs(c, r, cs, n)) != VG_OK)
		return rc;
	return configurations(c, r, cs, n);
}

static int
one_record(struct cve5_import *imp, const json_t *rec)
{
	struct vg_nvd_rec r;
	int rc;

	imp->any = true;
	vg_nvd_rec_init(&r);
	rc = fill(&imp->c, &r, rec);
	if (rc != VG_OK) {
		vg_nvd_rec_drop(&imp->c, &r);
		return rc;
	}
	return vg_nvd_emit(&imp->c, &r);
}

/* ---- the walk ----------------------------------------------------------------------- */

static bool
wanted_member(const char *key)
{
	return strcmp(key, "dataType") == 0 || strcmp(key, "dataVersion") == 0 ||
	       strcmp(key, "cveMetadata") == 0 || strcmp(key, "containers") == 0;
}

static enum vg_js_action
cve5_select(const struct vg_js_path *p, void *ctx)
{
	(void)ctx;
	if (p->depth == 0)
		return VG_JS_DESCEND;
	if (p->depth == 1)
		return p->key[0] == NULL || wanted_member(p->key[0]) ? VG_JS_CAPTURE : VG_JS_SKIP;
	return VG_JS_SKIP;
}

static int
cve5_record(const struct vg_js_path *p, json_t *value, void *ctx, struct vg_err *err)
{
	struct cve5_import *imp = ctx;

	(void)err; /* the same as imp->c.err */
	if (p->key[0] == NULL) {
		vg_nvd_set_rec(&imp->c, "[%ld]", p->index[0]);
		return one_record(imp, value);
	}
	if (imp->doc == NULL)
		imp->doc = json_object();
	json_object_set(imp->doc, p->key[0], value);
	return VG_OK;
}

static int
cve5_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct cve5_import *imp = vg_xcalloc(1, sizeof(*imp));
	struct vg_jstream_ops ops = {.select = cve5_select, .record = cve5_record, .ctx = imp};
	int rc;

	vg_nvd_ctx_init(&imp->c, in, sink, err, "cve5", vg_imp_cve5.format);
	rc = vg_jstream_read(in, &ops, err);
	if (rc == VG_OK && imp->doc != NULL) {
		vg_nvd_header(&imp->c, false, json_object_get(imp->doc, "dataVersion"));
		vg_nvd_set_rec(&imp->c, "(document)");
		rc = one_record(imp, imp->doc);
	}
	if (rc == VG_OK && !imp->any)
		rc = vg_error(err, VG_EINVAL,
			      "no CVE record: expected a record object or an array of records");
	if (rc == VG_OK)
		rc = vg_nvd_finish(&imp->c);
	json_decref(imp->doc);
	vg_nvd_ctx_release(&imp->c);
	free(imp);
	return rc;
}

/* ---- detection ---------------------------------------------------------------------- */

static int
cve5_probe(const struct vg_sniff *s)
{
	const char *type;

	if (s->kind == VG_SNIFF_JSON_ARRAY)
		return vg_sniff_child_key(s, "cveMetadata") ||
				       (vg_sniff_child_key(s, "containers") &&
					vg_sniff_child_key(s, "dataType"))
			       ? 100
			       : 0;
	if (s->kind != VG_SNIFF_JSON_OBJECT)
		return 0;
	type = vg_sniff_value(s, "dataType");
	if (type != NULL && strcmp(type, "CVE_RECORD") == 0)
		return 100;
	if (vg_sniff_key(s, "cveMetadata") >= 0 &&
	    (vg_sniff_key(s, "containers") >= 0 || vg_sniff_child_key(s, "cveId")))
		return 100;
	/* containers came first and was too big for the head */
	if (vg_sniff_key(s, "containers") >= 0 && vg_sniff_child_key(s, "cna"))
		return 100;
	return 0;
}

const struct vg_importer vg_imp_cve5 = {
	"cve-json-5",
	"CVE JSON 5 record (CVE Services, cvelistV5), or an array of them",
	cve5_probe,
	cve5_import,
};
