/*
 * nvd.c - NVD CVE API 2.0 responses / 2.0 yearly feeds, and the legacy NVD
 * 1.1 JSON feed; also the record-building helpers shared with cve5.c
 * (nvd_int.h).
 *
 * Both documents are one object holding a big array of records
 * ("vulnerabilities", "CVE_Items") next to a few header scalars.  The array
 * is streamed with vg_jstream_read(): each element is built alone, turned
 * into one struct vg_vuln and handed to the sink, so memory is bounded by
 * one record however big the yearly file is.  The header scalars are read
 * in the same pass; begin() is called at the first record with whatever
 * header was seen before it (the NVD writes its header first), and end()
 * gets the complete header.  See docs/feeds/nvd.md.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/cvss.h"
#include "feeds/importers.h"
#include "feeds/jstream.h"
#include "feeds/nvd_int.h"

const struct vg_nvd_node_keys vg_nvd_keys_v2 = {"cpeMatch", "criteria"};
static const struct vg_nvd_node_keys keys_v11 = {"cpe_match", "cpe23Uri"};

/* ---- context, messages ----------------------------------------------------- */

void
vg_nvd_ctx_init(struct vg_nvd_ctx *c, const struct vg_feed_in *in, const struct vg_feed_sink *sink,
		struct vg_err *err, const char *name, const char *format)
{
	memset(c, 0, sizeof(*c));
	c->path = in->path ? in->path : "<input>";
	c->sink = sink;
	c->err = err;
	c->src.name = name;
	c->src.format = format;
	c->src.mode = VG_FEED_MERGE;
	c->src.path = in->path;
	vg_arena_init(&c->arena);
	snprintf(c->rec, sizeof(c->rec), "-");
}

void
vg_nvd_ctx_release(struct vg_nvd_ctx *c)
{
	free(c->version);
	free(c->snapshot);
	c->version = c->snapshot = NULL;
	vg_arena_release(&c->arena);
}

void
vg_nvd_header(struct vg_nvd_ctx *c, bool snapshot, const json_t *value)
{
	char **slot = snapshot ? &c->snapshot : &c->version;
	const char *s = json_string_value(value);

	if (s == NULL || s[0] == '\0' || strlen(s) > VG_NVD_HEADER_MAX)
		return;
	free(*slot);
	*slot = vg_xstrdup(s);
	/* begin() has seen the previous value; end() sees this one. */
	if (snapshot)
		c->src.snapshot = *slot;
	else
		c->src.version = *slot;
}

void
vg_nvd_set_rec(struct vg_nvd_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->rec, sizeof(c->rec), fmt, ap);
	va_end(ap);
}

void
vg_nvd_where(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

int
vg_nvd_fail(struct vg_nvd_ctx *c, const char *fmt, ...)
{
	char msg[VG_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vg_error(c->err, VG_EINVAL, "record %s: %s", c->rec, msg);
}

void
vg_nvd_warn(struct vg_nvd_ctx *c, const char *fmt, ...)
{
	char msg[512], line[768];
	va_list ap;

	if (c->sink->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vg_nvd_where(line, sizeof(line), "%s: record %s: %s", c->path, c->rec, msg);
	c->sink->warn(c->sink->ctx, line);
}

/* "<where>.<key>", or "<key>" at the record's top. */
static void
field_name(char *buf, size_t n, const char *where, const char *key)
{
	if (where[0] != '\0')
		vg_nvd_where(buf, n, "%s.%s", where, key);
	else
		vg_nvd_where(buf, n, "%s", key);
}

static int
wrong_type(struct vg_nvd_ctx *c, const char *where, const char *key, const char *what)
{
	char f[VG_NVD_WHERE_MAX];

	field_name(f, sizeof(f), where, key);
	return vg_nvd_fail(c, "field '%s': expected %s", f, what);
}

bool
vg_nvd_contains_nocase(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s != '\0'; s++) {
		size_t i = 0;

		while (i < n && s[i] != '\0' &&
		       (s[i] | 0x20) == (needle[i] | 0x20) /* ASCII letters only in needles */)
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* ---- typed members ---------------------------------------------------------- */

/* Member @key of @obj, NULL when absent or null. */
static const json_t *
member(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

int
vg_nvd_str(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where,
	   const char **out)
{
	const json_t *v = member(obj, key);

	*out = NULL;
	if (v == NULL)
		return VG_OK;
	if (!json_is_string(v))
		return wrong_type(c, where, key, "a string");
	if (json_string_length(v) > 0)
		*out = json_string_value(v);
	return VG_OK;
}

int
vg_nvd_arr(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where,
	   const json_t **out)
{
	const json_t *v = member(obj, key);

	*out = NULL;
	if (v != NULL && !json_is_array(v))
		return wrong_type(c, where, key, "an array");
	*out = v;
	return VG_OK;
}

int
vg_nvd_obj(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where,
	   const json_t **out)
{
	const json_t *v = member(obj, key);

	*out = NULL;
	if (v != NULL && !json_is_object(v))
		return wrong_type(c, where, key, "an object");
	*out = v;
	return VG_OK;
}

int
vg_nvd_bool(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where, bool dflt,
	    bool *out)
{
	const json_t *v = member(obj, key);

	*out = dflt;
	if (v == NULL)
		return VG_OK;
	if (!json_is_boolean(v))
		return wrong_type(c, where, key, "a boolean");
	*out = json_is_true(v);
	return VG_OK;
}

int
vg_nvd_num(struct vg_nvd_ctx *c, const json_t *obj, const char *key, const char *where, double *out)
{
	const json_t *v = member(obj, key);

	*out = NAN;
	if (v == NULL)
		return VG_OK;
	if (!json_is_number(v))
		return wrong_type(c, where, key, "a number");
	*out = json_number_value(v);
	return VG_OK;
}

int
vg_nvd_elem_obj(struct vg_nvd_ctx *c, const json_t *arr, size_t i, const char *where,
		const json_t **out)
{
	const json_t *v = json_array_get(arr, i);

	*out = NULL;
	if (!json_is_object(v))
		return vg_nvd_fail(c, "field '%s[%zu]': expected an object", where, i);
	*out = v;
	return VG_OK;
}

static bool
is_english(const char *lang)
{
	return lang != NULL && (lang[0] | 0x20) == 'e' && (lang[1] | 0x20) == 'n' &&
	       (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_' || (lang[2] | 0x20) == 'g');
}

int
vg_nvd_text(struct vg_nvd_ctx *c, const json_t *arr, const char *where, const char **out)
{
	const char *first = NULL;
	char w[VG_NVD_WHERE_MAX];

	*out = NULL;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *d;
		const char *lang, *value;
		int rc;

		if ((rc = vg_nvd_elem_obj(c, arr, i, where, &d)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s[%zu]", where, i);
		if ((rc = vg_nvd_str(c, d, "lang", w, &lang)) != VG_OK ||
		    (rc = vg_nvd_str(c, d, "value", w, &value)) != VG_OK)
			return rc;
		if (value == NULL)
			continue;
		if (is_english(lang)) {
			*out = value;
			return VG_OK;
		}
		if (first == NULL)
			first = value;
	}
	*out = first;
	return VG_OK;
}

/* ---- record assembly -------------------------------------------------------- */

void
vg_nvd_rec_init(struct vg_nvd_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->v.cvss_v2_score = NAN;
	r->v.cvss_v3_score = NAN;
	r->v.cvss_v4_score = NAN;
}

void
vg_nvd_rec_release(struct vg_nvd_rec *r)
{
	json_decref(r->seen_cwes);
	json_decref(r->seen_urls);
	r->seen_cwes = r->seen_urls = NULL;
}

void *
vg_nvd_grow(struct vg_nvd_ctx *c, void *items, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return items;
	ncap = *cap ? *cap * 2 : 4;
	if (ncap > ((size_t)-1 / 2) / size)
		abort(); /* unreachable: records are capped far below this */
	p = vg_arena_alloc(&c->arena, ncap * size);
	if (n > 0)
		memcpy(p, items, n * size);
	*cap = ncap;
	return p;
}

bool
vg_nvd_cvss_ok(struct vg_nvd_ctx *c, enum vg_nvd_cvss_slot slot, const char *vector,
	       const char *field)
{
	static const char *const want[] = {"2.0", "3.x", "4.0"};
	struct vg_cvss cv;
	struct vg_err e;
	bool fits;

	vg_err_clear(&e);
	if (vg_cvss_parse(vg_str_c(vector), &cv, &e) != VG_OK) {
		vg_nvd_warn(c, "field '%s': invalid CVSS vector '%.100s': %s", field, vector,
			    e.msg);
		return false;
	}
	switch (slot) {
	case VG_NVD_CVSS2:
		fits = cv.version == VG_CVSS_V2;
		break;
	case VG_NVD_CVSS3:
		fits = cv.version == VG_CVSS_V30 || cv.version == VG_CVSS_V31;
		break;
	default:
		fits = cv.version == VG_CVSS_V40;
		break;
	}
	if (!fits)
		vg_nvd_warn(c, "field '%s': CVSS %s vector where CVSS %s was expected", field,
			    vg_cvss_version_name(cv.version), want[slot]);
	return fits;
}

static bool
cwe_form_ok(const char *s)
{
	size_t n = 0;

	if (strncmp(s, "CWE-", 4) != 0)
		return false;
	for (s += 4; *s >= '0' && *s <= '9'; s++)
		n++;
	return *s == '\0' && n > 0 && n <= 9;
}

void
vg_nvd_add_cwe(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const char *cwe, const char *field)
{
	if (strcmp(cwe, "NVD-CWE-Other") == 0 || strcmp(cwe, "NVD-CWE-noinfo") == 0)
		return; /* NVD's "no specific CWE": nothing to record */
	if (!cwe_form_ok(cwe)) {
		vg_nvd_warn(c, "field '%s': unknown CWE form '%.60s'", field, cwe);
		return;
	}
	if (r->seen_cwes == NULL)
		r->seen_cwes = json_object();
	if (json_object_get(r->seen_cwes, cwe) != NULL)
		return;
	json_object_set_new(r->seen_cwes, cwe, json_true());
	r->cwes = vg_nvd_grow(c, r->cwes, r->ncwes, &r->cwecap, sizeof(*r->cwes));
	r->cwes[r->ncwes++] = cwe;
}

/* Join the tags into one arena string; *exploit when one says so.  NULL for none. */
static int
join_tags(struct vg_nvd_ctx *c, const json_t *tags, const char *where, const char **out,
	  bool *exploit)
{
	size_t len = 0, n = json_array_size(tags);
	char *s, *p;

	*out = NULL;
	*exploit = false;
	for (size_t i = 0; i < n; i++) {
		const json_t *t = json_array_get(tags, i);

		if (!json_is_string(t))
			return vg_nvd_fail(c, "field '%s.tags[%zu]': expected a string", where, i);
		len += json_string_length(t) + 1;
	}
	if (len == 0)
		return VG_OK;
	p = s = vg_arena_alloc(&c->arena, len);
	for (size_t i = 0; i < n; i++) {
		const char *t = json_string_value(json_array_get(tags, i));
		size_t tl = strlen(t); /* a tag with NUL bytes is cut there */

		if (tl == 0)
			continue;
		if (p != s)
			*p++ = ',';
		memcpy(p, t, tl);
		p += tl;
		if (vg_nvd_contains_nocase(t, "exploit"))
			*exploit = true;
	}
	*p = '\0';
	*out = p != s ? s : NULL;
	return VG_OK;
}

int
vg_nvd_add_ref(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const char *url, const json_t *tags,
	       const char *where)
{
	const char *joined;
	bool exploit;
	const json_t *seen;
	int rc;

	if ((rc = join_tags(c, tags, where, &joined, &exploit)) != VG_OK)
		return rc;
	if (r->seen_urls == NULL)
		r->seen_urls = json_object();
	seen = json_object_get(r->seen_urls, url);
	if (seen != NULL) {
		struct vg_vuln_ref *ref = &r->refs[json_integer_value(seen)];

		ref->exploit = ref->exploit || exploit;
		if (ref->tags == NULL)
			ref->tags = joined;
		return VG_OK;
	}
	json_object_set_new(r->seen_urls, url, json_integer((json_int_t)r->nrefs));
	r->refs = vg_nvd_grow(c, r->refs, r->nrefs, &r->refcap, sizeof(*r->refs));
	r->refs[r->nrefs++] = (struct vg_vuln_ref){.url = url, .tags = joined, .exploit = exploit};
	return VG_OK;
}

/* ---- CPE configurations ----------------------------------------------------- */

/* "AND" / "OR" / absent (OR); *known false for anything else. */
static bool
parse_operator(const char *op, bool *and_op)
{
	*and_op = false;
	if (op == NULL || strcmp(op, "OR") == 0)
		return true;
	if (strcmp(op, "AND") == 0) {
		*and_op = true;
		return true;
	}
	return false;
}

static int
parse_match(struct vg_nvd_ctx *c, const json_t *m, const char *where,
	    const struct vg_nvd_node_keys *keys, struct vg_cpe_match *out)
{
	const json_t *vuln = member(m, "vulnerable");
	int rc;

	if ((rc = vg_nvd_str(c, m, keys->criteria, where, &out->criteria)) != VG_OK)
		return rc;
	if (out->criteria == NULL)
		return vg_nvd_fail(c, "field '%s.%s': missing", where, keys->criteria);
	if (vuln == NULL)
		return vg_nvd_fail(c, "field '%s.vulnerable': missing", where);
	if ((rc = vg_nvd_bool(c, m, "vulnerable", where, false, &out->vulnerable)) != VG_OK)
		return rc;
	if ((rc = vg_nvd_str(c, m, "versionStartIncluding", where, &out->start_incl)) != VG_OK ||
	    (rc = vg_nvd_str(c, m, "versionStartExcluding", where, &out->start_excl)) != VG_OK ||
	    (rc = vg_nvd_str(c, m, "versionEndIncluding", where, &out->end_incl)) != VG_OK ||
	    (rc = vg_nvd_str(c, m, "versionEndExcluding", where, &out->end_excl)) != VG_OK)
		return rc;
	return VG_OK;
}

int
vg_nvd_node(struct vg_nvd_ctx *c, const json_t *node, const char *where,
	    const struct vg_nvd_node_keys *keys, struct vg_cpe_node *out, bool *usable)
{
	const char *op;
	const json_t *arr;
	struct vg_cpe_match *matches;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	*usable = true;
	if ((rc = vg_nvd_str(c, node, "operator", where, &op)) != VG_OK ||
	    (rc = vg_nvd_bool(c, node, "negate", where, false, &out->negate)) != VG_OK ||
	    (rc = vg_nvd_arr(c, node, keys->matches, where, &arr)) != VG_OK)
		return rc;
	if (!parse_operator(op, &out->and_op)) {
		vg_nvd_warn(c,
			    "field '%s.operator': unknown operator '%.20s'; configuration dropped",
			    where, op);
		*usable = false;
		return VG_OK;
	}
	n = json_array_size(arr);
	if (n == 0)
		return VG_OK;
	matches = vg_arena_alloc(&c->arena, n * sizeof(*matches));
	for (size_t i = 0; i < n; i++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *m;

		vg_nvd_where(w, sizeof(w), "%s.%s", where, keys->matches);
		if ((rc = vg_nvd_elem_obj(c, arr, i, w, &m)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s.%s[%zu]", where, keys->matches, i);
		if ((rc = parse_match(c, m, w, keys, &matches[i])) != VG_OK)
			return rc;
	}
	out->matches = matches;
	out->nmatches = n;
	return VG_OK;
}

void
vg_nvd_push_config(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const struct vg_cpe_config *cfg)
{
	r->configs = vg_nvd_grow(c, r->configs, r->nconfigs, &r->cfgcap, sizeof(*r->configs));
	r->configs[r->nconfigs++] = *cfg;
}

/* Parse the array @nodes of one configuration into @cfg; *keep false when it must be dropped. */
static int
config_nodes(struct vg_nvd_ctx *c, const json_t *nodes, const char *where, bool and_op,
	     struct vg_cpe_config *cfg, bool *keep)
{
	size_t n = json_array_size(nodes);
	struct vg_cpe_node *out = vg_arena_alloc(&c->arena, (n ? n : 1) * sizeof(*out));
	char w[VG_NVD_WHERE_MAX];

	*keep = false;
	cfg->nnodes = 0;
	for (size_t j = 0; j < n; j++) {
		const json_t *node;
		bool usable;
		int rc;

		vg_nvd_where(w, sizeof(w), "%s.nodes", where);
		if ((rc = vg_nvd_elem_obj(c, nodes, j, w, &node)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s.nodes[%zu]", where, j);
		if ((rc = vg_nvd_node(c, node, w, &vg_nvd_keys_v2, &out[cfg->nnodes], &usable)) !=
		    VG_OK)
			return rc;
		if (!usable)
			return VG_OK;
		if (out[cfg->nnodes].nmatches == 0) {
			if (and_op)
				return VG_OK; /* AND with an empty node never matches */
			continue;
		}
		cfg->nnodes++;
	}
	cfg->nodes = out;
	cfg->and_op = and_op;
	*keep = cfg->nnodes > 0;
	return VG_OK;
}

int
vg_nvd_add_configs(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *arr, const char *where)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *cfg_json, *nodes;
		const char *op;
		bool negate, and_op, keep;
		struct vg_cpe_config cfg;
		int rc;

		if ((rc = vg_nvd_elem_obj(c, arr, i, where, &cfg_json)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s[%zu]", where, i);
		if ((rc = vg_nvd_str(c, cfg_json, "operator", w, &op)) != VG_OK ||
		    (rc = vg_nvd_bool(c, cfg_json, "negate", w, false, &negate)) != VG_OK ||
		    (rc = vg_nvd_arr(c, cfg_json, "nodes", w, &nodes)) != VG_OK)
			return rc;
		if (negate) {
			vg_nvd_warn(c,
				    "field '%s.negate': a negated configuration is not supported; "
				    "configuration dropped",
				    w);
			continue;
		}
		if (!parse_operator(op, &and_op)) {
			vg_nvd_warn(c,
				    "field '%s.operator': unknown operator '%.20s'; configuration "
				    "dropped",
				    w, op);
			continue;
		}
		if ((rc = config_nodes(c, nodes, w, and_op, &cfg, &keep)) != VG_OK)
			return rc;
		if (keep)
			vg_nvd_push_config(c, r, &cfg);
	}
	return VG_OK;
}

/* ---- handing records over ----------------------------------------------------- */

int
vg_nvd_begin(struct vg_nvd_ctx *c)
{
	if (c->begun)
		return VG_OK;
	c->begun = true;
	if (c->sink->begin == NULL)
		return VG_OK;
	return c->sink->begin(c->sink->ctx, &c->src, c->err);
}

void
vg_nvd_rec_drop(struct vg_nvd_ctx *c, struct vg_nvd_rec *r)
{
	vg_nvd_rec_release(r);
	vg_arena_release(&c->arena);
}

int
vg_nvd_emit(struct vg_nvd_ctx *c, struct vg_nvd_rec *r)
{
	int rc = vg_nvd_begin(c);

	r->v.cwes = r->cwes;
	r->v.ncwes = r->ncwes;
	r->v.refs = r->refs;
	r->v.nrefs = r->nrefs;
	r->v.configs = r->configs;
	r->v.nconfigs = r->nconfigs;
	if (rc == VG_OK && c->sink->vuln != NULL)
		rc = c->sink->vuln(c->sink->ctx, &r->v, c->err);
	if (rc == VG_OK)
		c->nrecords++;
	vg_nvd_rec_drop(c, r);
	return rc;
}

int
vg_nvd_finish(struct vg_nvd_ctx *c)
{
	int rc = vg_nvd_begin(c);

	if (rc == VG_OK && c->sink->end != NULL)
		rc = c->sink->end(c->sink->ctx, &c->src, c->nrecords, c->err);
	return rc;
}

/* ==== the NVD documents ======================================================= */

enum nvd_kind { NVD_API2, NVD_FEED11 };

struct nvd_import {
	struct vg_nvd_ctx c;
	enum nvd_kind kind;
	const char *array_key; /* "vulnerabilities" / "CVE_Items" */
	bool saw_array;        /* the array key was met at the top level */
	bool saw_element;      /* ... and held at least one element */
	bool not_array;        /* ... but it held an object */
	json_int_t per_page;   /* "resultsPerPage" / "CVE_data_numberOfCVEs", or -1 */
	json_int_t start;      /* "startIndex", or -1 */
	json_int_t total;      /* "totalResults", or -1 */
};

/* ---- NVD API 2.0 record --------------------------------------------------------- */

/* Best vector among the metric arrays @keys: NVD's own ("Primary", nvd@nist.gov) first. */
static int
pick_cvss(struct vg_nvd_ctx *c, const json_t *metrics, const char *const *keys, size_t nkeys,
	  enum vg_nvd_cvss_slot slot, const char **vec, double *score)
{
	int best = 99;

	for (size_t k = 0; k < nkeys; k++) {
		char w[VG_NVD_WHERE_MAX], f[VG_NVD_WHERE_MAX];
		const json_t *arr;
		int rc;

		if ((rc = vg_nvd_arr(c, metrics, keys[k], "cve.metrics", &arr)) != VG_OK)
			return rc;
		for (size_t i = 0; i < json_array_size(arr); i++) {
			const json_t *m, *data;
			const char *vector, *type, *source;
			double s;
			int rank;

			vg_nvd_where(w, sizeof(w), "cve.metrics.%s", keys[k]);
			if ((rc = vg_nvd_elem_obj(c, arr, i, w, &m)) != VG_OK)
				return rc;
			vg_nvd_where(w, sizeof(w), "cve.metrics.%s[%zu]", keys[k], i);
			if ((rc = vg_nvd_obj(c, m, "cvssData", w, &data)) != VG_OK ||
			    (rc = vg_nvd_str(c, m, "type", w, &type)) != VG_OK ||
			    (rc = vg_nvd_str(c, m, "source", w, &source)) != VG_OK)
				return rc;
			vg_nvd_where(f, sizeof(f), "%s.cvssData", w);
			if (data == NULL) {
				vg_nvd_warn(c, "field '%s': missing", f);
				continue;
			}
			if ((rc = vg_nvd_str(c, data, "vectorString", f, &vector)) != VG_OK ||
			    (rc = vg_nvd_num(c, data, "baseScore", f, &s)) != VG_OK)
				return rc;
			vg_nvd_where(f, sizeof(f), "%s.cvssData.vectorString", w);
			if (vector == NULL) {
				vg_nvd_warn(c, "field '%s': missing", f);
				continue;
			}
			if (!vg_nvd_cvss_ok(c, slot, vector, f))
				continue;
			rank = (type != NULL && strcmp(type, "Primary") == 0 ? 0 : 2) +
			       (source != NULL && strcmp(source, "nvd@nist.gov") == 0 ? 0 : 1);
			if (rank < best) {
				best = rank;
				*vec = vector;
				*score = s;
			}
		}
	}
	return VG_OK;
}

static int
api2_metrics(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *cve)
{
	static const char *const v4[] = {"cvssMetricV40"};
	static const char *const v3[] = {"cvssMetricV31", "cvssMetricV30"};
	static const char *const v2[] = {"cvssMetricV2"};
	const json_t *m;
	int rc;

	if ((rc = vg_nvd_obj(c, cve, "metrics", "cve", &m)) != VG_OK || m == NULL)
		return rc;
	if ((rc = pick_cvss(c, m, v4, 1, VG_NVD_CVSS4, &r->v.cvss_v4, &r->v.cvss_v4_score)) !=
		    VG_OK ||
	    (rc = pick_cvss(c, m, v3, 2, VG_NVD_CVSS3, &r->v.cvss_v3, &r->v.cvss_v3_score)) !=
		    VG_OK)
		return rc;
	return pick_cvss(c, m, v2, 1, VG_NVD_CVSS2, &r->v.cvss_v2, &r->v.cvss_v2_score);
}

/* The "value" strings of a [{"lang", "value"}] array as CWE ids. */
static int
cwe_values(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *arr, const char *where)
{
	for (size_t j = 0; j < json_array_size(arr); j++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *d;
		const char *value;
		int rc;

		if ((rc = vg_nvd_elem_obj(c, arr, j, where, &d)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s[%zu]", where, j);
		if ((rc = vg_nvd_str(c, d, "value", w, &value)) != VG_OK)
			return rc;
		if (value != NULL) {
			vg_nvd_where(w, sizeof(w), "%s[%zu].value", where, j);
			vg_nvd_add_cwe(c, r, value, w);
		}
	}
	return VG_OK;
}

static int
api2_weaknesses(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *cve)
{
	const json_t *arr;
	int rc;

	if ((rc = vg_nvd_arr(c, cve, "weaknesses", "cve", &arr)) != VG_OK)
		return rc;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *weak, *desc;

		if ((rc = vg_nvd_elem_obj(c, arr, i, "cve.weaknesses", &weak)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "cve.weaknesses[%zu]", i);
		if ((rc = vg_nvd_arr(c, weak, "description", w, &desc)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "cve.weaknesses[%zu].description", i);
		if ((rc = cwe_values(c, r, desc, w)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

int
vg_nvd_add_refs(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *arr, const char *where)
{
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *ref, *tags;
		const char *url;
		int rc;

		if ((rc = vg_nvd_elem_obj(c, arr, i, where, &ref)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s[%zu]", where, i);
		if ((rc = vg_nvd_str(c, ref, "url", w, &url)) != VG_OK ||
		    (rc = vg_nvd_arr(c, ref, "tags", w, &tags)) != VG_OK)
			return rc;
		if (url == NULL) {
			vg_nvd_warn(c, "field '%s.url': missing; reference dropped", w);
			continue;
		}
		if ((rc = vg_nvd_add_ref(c, r, url, tags, w)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
api2_fill(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *elem)
{
	const json_t *cve, *arr;
	const char *status;
	int rc;

	if (!json_is_object(elem))
		return vg_nvd_fail(c, "expected an object");
	if ((rc = vg_nvd_obj(c, elem, "cve", "", &cve)) != VG_OK)
		return rc;
	if (cve == NULL)
		return vg_nvd_fail(c, "field 'cve': missing");
	if ((rc = vg_nvd_str(c, cve, "id", "cve", &r->v.id)) != VG_OK)
		return rc;
	if (r->v.id == NULL)
		return vg_nvd_fail(c, "field 'cve.id': missing");
	vg_nvd_set_rec(c, "%s", r->v.id);
	if ((rc = vg_nvd_arr(c, cve, "descriptions", "cve", &arr)) != VG_OK ||
	    (rc = vg_nvd_text(c, arr, "cve.descriptions", &r->v.description)) != VG_OK ||
	    (rc = vg_nvd_str(c, cve, "published", "cve", &r->v.published)) != VG_OK ||
	    (rc = vg_nvd_str(c, cve, "lastModified", "cve", &r->v.modified)) != VG_OK ||
	    (rc = vg_nvd_str(c, cve, "vulnStatus", "cve", &status)) != VG_OK)
		return rc;
	r->v.withdrawn = status != NULL && strcmp(status, "Rejected") == 0;
	if ((rc = api2_metrics(c, r, cve)) != VG_OK || (rc = api2_weaknesses(c, r, cve)) != VG_OK ||
	    (rc = vg_nvd_arr(c, cve, "references", "cve", &arr)) != VG_OK ||
	    (rc = vg_nvd_add_refs(c, r, arr, "cve.references")) != VG_OK ||
	    (rc = vg_nvd_arr(c, cve, "configurations", "cve", &arr)) != VG_OK)
		return rc;
	return vg_nvd_add_configs(c, r, arr, "cve.configurations");
}

/* ---- NVD 1.1 record ------------------------------------------------------------- */

static int
v11_cvss(struct vg_nvd_ctx *c, const json_t *impact, const char *metric, const char *inner,
	 enum vg_nvd_cvss_slot slot, const char **vec, double *score)
{
	char w[VG_NVD_WHERE_MAX];
	const json_t *bm, *data;
	const char *vector;
	double s;
	int rc;

	vg_nvd_where(w, sizeof(w), "impact.%s", metric);
	if ((rc = vg_nvd_obj(c, impact, metric, "impact", &bm)) != VG_OK || bm == NULL ||
	    (rc = vg_nvd_obj(c, bm, inner, w, &data)) != VG_OK || data == NULL)
		return rc;
	vg_nvd_where(w, sizeof(w), "impact.%s.%s", metric, inner);
	if ((rc = vg_nvd_str(c, data, "vectorString", w, &vector)) != VG_OK ||
	    (rc = vg_nvd_num(c, data, "baseScore", w, &s)) != VG_OK)
		return rc;
	vg_nvd_where(w, sizeof(w), "impact.%s.%s.vectorString", metric, inner);
	if (vector == NULL)
		vg_nvd_warn(c, "field '%s': missing", w);
	else if (vg_nvd_cvss_ok(c, slot, vector, w)) {
		*vec = vector;
		*score = s;
	}
	return VG_OK;
}

static int
v11_impact(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *item)
{
	const json_t *impact;
	int rc;

	if ((rc = vg_nvd_obj(c, item, "impact", "", &impact)) != VG_OK || impact == NULL)
		return rc;
	if ((rc = v11_cvss(c, impact, "baseMetricV3", "cvssV3", VG_NVD_CVSS3, &r->v.cvss_v3,
			   &r->v.cvss_v3_score)) != VG_OK)
		return rc;
	return v11_cvss(c, impact, "baseMetricV2", "cvssV2", VG_NVD_CVSS2, &r->v.cvss_v2,
			&r->v.cvss_v2_score);
}

static int
v11_problemtypes(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *cve)
{
	const json_t *pt, *arr;
	int rc;

	if ((rc = vg_nvd_obj(c, cve, "problemtype", "cve", &pt)) != VG_OK || pt == NULL ||
	    (rc = vg_nvd_arr(c, pt, "problemtype_data", "cve.problemtype", &arr)) != VG_OK)
		return rc;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *d, *desc;

		if ((rc = vg_nvd_elem_obj(c, arr, i, "cve.problemtype.problemtype_data", &d)) !=
		    VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "cve.problemtype.problemtype_data[%zu]", i);
		if ((rc = vg_nvd_arr(c, d, "description", w, &desc)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "cve.problemtype.problemtype_data[%zu].description", i);
		if ((rc = cwe_values(c, r, desc, w)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

/*
 * The children of an NVD 1.1 node with children become the nodes of one
 * configuration combined with the parent's operator (record.h); matches the
 * parent holds itself form one more node with that operator.  A negated
 * parent, or grandchildren, cannot be expressed and drop the configuration.
 */
static int
v11_children(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *children,
	     const struct vg_cpe_node *parent, const char *where)
{
	size_t n = json_array_size(children);
	struct vg_cpe_node *nodes = vg_arena_alloc(&c->arena, (n + 1) * sizeof(*nodes));
	struct vg_cpe_config cfg = {.and_op = parent->and_op, .nodes = nodes};
	char w[VG_NVD_WHERE_MAX];
	int rc;

	if (parent->negate) {
		vg_nvd_warn(c,
			    "field '%s.negate': a negated node with children is not supported; "
			    "configuration dropped",
			    where);
		return VG_OK;
	}
	for (size_t j = 0; j < n; j++) {
		const json_t *child, *grand;
		bool usable;

		vg_nvd_where(w, sizeof(w), "%s.children", where);
		if ((rc = vg_nvd_elem_obj(c, children, j, w, &child)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "%s.children[%zu]", where, j);
		if ((rc = vg_nvd_arr(c, child, "children", w, &grand)) != VG_OK)
			return rc;
		if (json_array_size(grand) > 0) {
			vg_nvd_warn(c,
				    "field '%s.children': more than one level of children is not "
				    "supported; configuration dropped",
				    w);
			return VG_OK;
		}
		if ((rc = vg_nvd_node(c, child, w, &keys_v11, &nodes[cfg.nnodes], &usable)) !=
		    VG_OK)
			return rc;
		if (!usable || (nodes[cfg.nnodes].nmatches == 0 && parent->and_op))
			return VG_OK;
		if (nodes[cfg.nnodes].nmatches > 0)
			cfg.nnodes++;
	}
	if (parent->nmatches > 0)
		nodes[cfg.nnodes++] = (struct vg_cpe_node){.and_op = parent->and_op,
							   .matches = parent->matches,
							   .nmatches = parent->nmatches};
	if (cfg.nnodes > 0)
		vg_nvd_push_config(c, r, &cfg);
	return VG_OK;
}

static int
v11_config(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *node, const char *where)
{
	const json_t *children;
	struct vg_cpe_node parsed, *one;
	bool usable;
	int rc;

	if ((rc = vg_nvd_arr(c, node, "children", where, &children)) != VG_OK ||
	    (rc = vg_nvd_node(c, node, where, &keys_v11, &parsed, &usable)) != VG_OK)
		return rc;
	if (!usable)
		return VG_OK;
	if (json_array_size(children) > 0)
		return v11_children(c, r, children, &parsed, where);
	if (parsed.nmatches == 0)
		return VG_OK; /* an empty node matches nothing */
	one = vg_arena_alloc(&c->arena, sizeof(*one));
	*one = parsed;
	vg_nvd_push_config(c, r,
			   &(struct vg_cpe_config){.and_op = false, .nodes = one, .nnodes = 1});
	return VG_OK;
}

static int
v11_configurations(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *item)
{
	const json_t *conf, *nodes;
	int rc;

	if ((rc = vg_nvd_obj(c, item, "configurations", "", &conf)) != VG_OK || conf == NULL ||
	    (rc = vg_nvd_arr(c, conf, "nodes", "configurations", &nodes)) != VG_OK)
		return rc;
	for (size_t i = 0; i < json_array_size(nodes); i++) {
		char w[VG_NVD_WHERE_MAX];
		const json_t *node;

		if ((rc = vg_nvd_elem_obj(c, nodes, i, "configurations.nodes", &node)) != VG_OK)
			return rc;
		vg_nvd_where(w, sizeof(w), "configurations.nodes[%zu]", i);
		if ((rc = v11_config(c, r, node, w)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
v11_text(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *cve)
{
	const json_t *desc, *arr;
	const char *d;
	int rc;

	if ((rc = vg_nvd_obj(c, cve, "description", "cve", &desc)) != VG_OK || desc == NULL ||
	    (rc = vg_nvd_arr(c, desc, "description_data", "cve.description", &arr)) != VG_OK ||
	    (rc = vg_nvd_text(c, arr, "cve.description.description_data", &d)) != VG_OK)
		return rc;
	r->v.description = d;
	/* 1.1 has no status field: the NVD marked rejected ids in the text. */
	r->v.withdrawn = d != NULL && strncmp(d, "** REJECT **", 12) == 0;
	return VG_OK;
}

static int
v11_fill(struct vg_nvd_ctx *c, struct vg_nvd_rec *r, const json_t *item)
{
	const json_t *cve, *meta, *refs, *arr;
	int rc;

	if (!json_is_object(item))
		return vg_nvd_fail(c, "expected an object");
	if ((rc = vg_nvd_obj(c, item, "cve", "", &cve)) != VG_OK)
		return rc;
	if (cve == NULL)
		return vg_nvd_fail(c, "field 'cve': missing");
	if ((rc = vg_nvd_obj(c, cve, "CVE_data_meta", "cve", &meta)) != VG_OK)
		return rc;
	if (meta == NULL)
		return vg_nvd_fail(c, "field 'cve.CVE_data_meta': missing");
	if ((rc = vg_nvd_str(c, meta, "ID", "cve.CVE_data_meta", &r->v.id)) != VG_OK)
		return rc;
	if (r->v.id == NULL)
		return vg_nvd_fail(c, "field 'cve.CVE_data_meta.ID': missing");
	vg_nvd_set_rec(c, "%s", r->v.id);
	if ((rc = v11_text(c, r, cve)) != VG_OK ||
	    (rc = vg_nvd_str(c, item, "publishedDate", "", &r->v.published)) != VG_OK ||
	    (rc = vg_nvd_str(c, item, "lastModifiedDate", "", &r->v.modified)) != VG_OK ||
	    (rc = v11_problemtypes(c, r, cve)) != VG_OK || (rc = v11_impact(c, r, item)) != VG_OK ||
	    (rc = vg_nvd_obj(c, cve, "references", "cve", &refs)) != VG_OK)
		return rc;
	if (refs != NULL &&
	    ((rc = vg_nvd_arr(c, refs, "reference_data", "cve.references", &arr)) != VG_OK ||
	     (rc = vg_nvd_add_refs(c, r, arr, "cve.references.reference_data")) != VG_OK))
		return rc;
	return v11_configurations(c, r, item);
}

/* ---- the walk --------------------------------------------------------------------- */

static int
one_record(struct nvd_import *imp, const json_t *elem, long index)
{
	struct vg_nvd_ctx *c = &imp->c;
	struct vg_nvd_rec r;
	int rc;

	vg_nvd_rec_init(&r);
	vg_nvd_set_rec(c, "%s[%ld]", imp->array_key, index);
	rc = imp->kind == NVD_API2 ? api2_fill(c, &r, elem) : v11_fill(c, &r, elem);
	if (rc != VG_OK) {
		vg_nvd_rec_drop(c, &r);
		return rc;
	}
	return vg_nvd_emit(c, &r);
}

static bool
is_header_key(enum nvd_kind kind, const char *key)
{
	if (kind == NVD_API2)
		return strcmp(key, "version") == 0 || strcmp(key, "timestamp") == 0 ||
		       strcmp(key, "resultsPerPage") == 0 || strcmp(key, "startIndex") == 0 ||
		       strcmp(key, "totalResults") == 0;
	return strcmp(key, "CVE_data_version") == 0 || strcmp(key, "CVE_data_timestamp") == 0 ||
	       strcmp(key, "CVE_data_numberOfCVEs") == 0;
}

static enum vg_js_action
nvd_select(const struct vg_js_path *p, void *ctx)
{
	struct nvd_import *imp = ctx;

	if (p->depth == 0)
		return VG_JS_DESCEND;
	if (p->key[0] == NULL)
		return VG_JS_SKIP; /* the document is an array: nothing of ours */
	if (strcmp(p->key[0], imp->array_key) != 0)
		return p->depth == 1 && is_header_key(imp->kind, p->key[0]) ? VG_JS_CAPTURE
									    : VG_JS_SKIP;
	if (p->depth == 1) {
		imp->saw_array = true;
		return VG_JS_DESCEND;
	}
	if (p->depth == 2 && p->key[1] != NULL) {
		imp->not_array = true; /* reported when the walk is over */
		return VG_JS_SKIP;
	}
	imp->saw_element = true;
	return p->depth == 2 ? VG_JS_CAPTURE : VG_JS_SKIP;
}

/* A record count as the header writes it (2.0: a number; 1.1: a string), or -1. */
static json_int_t
record_count(const json_t *v)
{
	const char *s = json_string_value(v);
	char *end;
	long long n;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	n = strtoll(s, &end, 10);
	return *end == '\0' ? (json_int_t)n : -1;
}

static int
nvd_record(const struct vg_js_path *p, json_t *value, void *ctx, struct vg_err *err)
{
	struct nvd_import *imp = ctx;
	const char *key = p->key[0];

	(void)err; /* the same as imp->c.err */
	if (p->depth == 2)
		return one_record(imp, value, p->index[1]);
	if (strcmp(key, "resultsPerPage") == 0 || strcmp(key, "CVE_data_numberOfCVEs") == 0)
		imp->per_page = record_count(value);
	else if (strcmp(key, "startIndex") == 0)
		imp->start = record_count(value);
	else if (strcmp(key, "totalResults") == 0)
		imp->total = record_count(value);
	else if (strcmp(key, "version") == 0 || strcmp(key, "CVE_data_version") == 0)
		vg_nvd_header(&imp->c, false, value);
	else
		vg_nvd_header(&imp->c, true, value);
	return VG_OK;
}

/* Problems of the document's shape, known once the walk is over. */
static int
check_shape(struct nvd_import *imp)
{
	if (imp->not_array)
		return vg_error(imp->c.err, VG_EINVAL, "field '%s': expected an array",
				imp->array_key);
	if (!imp->saw_array)
		return vg_error(imp->c.err, VG_EINVAL, "field '%s': missing", imp->array_key);
	/* jstream cannot tell a scalar from an empty array; the header can (a page past
	 * the last result is legitimately empty). */
	if (!imp->saw_element && imp->per_page > 0 &&
	    !(imp->start >= 0 && imp->total >= 0 && imp->start >= imp->total))
		return vg_error(imp->c.err, VG_EINVAL,
				"field '%s': expected an array of %lld records", imp->array_key,
				(long long)imp->per_page);
	return VG_OK;
}

static int
nvd_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err,
	   enum nvd_kind kind)
{
	struct nvd_import *imp = vg_xcalloc(1, sizeof(*imp));
	struct vg_jstream_ops ops = {.select = nvd_select, .record = nvd_record, .ctx = imp};
	int rc;

	vg_nvd_ctx_init(&imp->c, in, sink, err, "nvd",
			kind == NVD_API2 ? vg_imp_nvd_api2.format : vg_imp_nvd_feed11.format);
	imp->kind = kind;
	imp->array_key = kind == NVD_API2 ? "vulnerabilities" : "CVE_Items";
	imp->per_page = imp->start = imp->total = -1;
	rc = vg_jstream_read(in, &ops, err);
	if (rc == VG_OK)
		rc = check_shape(imp);
	if (rc == VG_OK)
		rc = vg_nvd_finish(&imp->c);
	vg_nvd_ctx_release(&imp->c);
	free(imp);
	return rc;
}

static int
api2_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	return nvd_import(in, sink, err, NVD_API2);
}

static int
v11_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	return nvd_import(in, sink, err, NVD_FEED11);
}

/* ---- detection ---------------------------------------------------------------------- */

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* Does @p (up to @end) read `: [ { "cve" :` (spaces allowed)? */
static bool
starts_cve_array(const char *p, const char *end)
{
	static const char *const steps[] = {":", "[", "{", "\"cve\"", ":"};

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		size_t n = strlen(steps[i]);

		p = skip_ws(p, end);
		if ((size_t)(end - p) < n || memcmp(p, steps[i], n) != 0)
			return false;
		p += n;
	}
	return true;
}

/*
 * The raw text has "vulnerabilities": [{"cve": ...: an NVD 2.0 document
 * whose header is not in the sniffed head (it may come after the array).
 */
static bool
head_has_cve_array(const struct vg_sniff *s)
{
	static const char key[] = "\"vulnerabilities\"";
	const char *p = s->head, *end = s->head + s->len;

	while (p != NULL && p < end) {
		p = memmem(p, (size_t)(end - p), key, sizeof(key) - 1);
		if (p == NULL)
			return false;
		p += sizeof(key) - 1;
		if (starts_cve_array(p, end))
			return true;
	}
	return false;
}

static int
api2_probe(const struct vg_sniff *s)
{
	const char *format;

	if (s->kind != VG_SNIFF_JSON_OBJECT || vg_sniff_key(s, "catalogVersion") >= 0)
		return 0; /* the KEV catalog has "vulnerabilities" too */
	format = vg_sniff_value(s, "format");
	if (format != NULL && strcmp(format, "NVD_CVE") == 0)
		return 100;
	if (vg_sniff_key(s, "vulnerabilities") >= 0 &&
	    (vg_sniff_key(s, "resultsPerPage") >= 0 || vg_sniff_key(s, "totalResults") >= 0))
		return 100;
	return head_has_cve_array(s) ? 100 : 0;
}

static int
v11_probe(const struct vg_sniff *s)
{
	if (s->kind != VG_SNIFF_JSON_OBJECT)
		return 0;
	if (vg_sniff_key(s, "CVE_Items") >= 0)
		return 100;
	if (vg_sniff_key(s, "CVE_data_type") >= 0 &&
	    (vg_sniff_key(s, "CVE_data_numberOfCVEs") >= 0 ||
	     vg_sniff_key(s, "CVE_data_timestamp") >= 0))
		return 100;
	return 0;
}

const struct vg_importer vg_imp_nvd_api2 = {
	"nvd-api-2.0",
	"NVD CVE API 2.0 response or NVD 2.0 JSON feed",
	api2_probe,
	api2_import,
};

const struct vg_importer vg_imp_nvd_feed11 = {
	"nvd-json-1.1",
	"NVD 1.1 JSON feed (legacy)",
	v11_probe,
	v11_import,
};
