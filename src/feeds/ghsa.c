/*
 * ghsa.c - GitHub Security Advisories as the GraphQL API returns them
 * (query securityAdvisories { nodes { ghsaId ... vulnerabilities { ... } } }).
 *
 * Accepted envelopes: the API response {"data": {"securityAdvisories":
 * {"nodes" | "edges": [...]}}}, the same without "data", and a bare array
 * of advisory nodes.  Each advisory becomes one vuln (source "osv", like
 * the OSV export of the same advisories, so either form updates the other)
 * and each vulnerability node one statement: vulnerableVersionRange is
 * GitHub's authoritative statement of the affected versions, and
 * firstPatchedVersion only adds the fix to a "<= X" range.
 * docs/feeds/osv.md has the details.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "feeds/importers.h"
#include "feeds/jstream.h"
#include "feeds/osv_int.h"

#define FIELD_MAX 160

/* GitHub's ecosystem enum -> OSV ecosystem names. */
static const struct {
	const char *github, *osv;
} gh_ecosystems[] = {
	{"PIP", "PyPI"},           {"NPM", "npm"},           {"GO", "Go"},
	{"MAVEN", "Maven"},        {"RUBYGEMS", "RubyGems"}, {"NUGET", "NuGet"},
	{"COMPOSER", "Packagist"}, {"RUST", "crates.io"},    {"PUB", "Pub"},
	{"SWIFT", "SwiftURL"},     {"ERLANG", "Hex"},        {"ACTIONS", "GitHub Actions"},
};

/* The nodes of a connection: "nodes": [...] or "edges": [{"node": ...}]; NULL if neither. */
static const json_t *
connection_nodes(const json_t *conn, bool *edges)
{
	const json_t *a = json_object_get(conn, "nodes");

	*edges = false;
	if (json_is_array(a))
		return a;
	a = json_object_get(conn, "edges");
	*edges = json_is_array(a);
	return *edges ? a : NULL;
}

static const json_t *
connection_node(const json_t *arr, size_t i, bool edges)
{
	const json_t *n = json_array_get(arr, i);

	return edges ? json_object_get(n, "node") : n;
}

/* A connection that says it has more pages than the export holds is incomplete. */
static void
check_paging(struct vg_osv_imp *imp, const json_t *conn, const char *field)
{
	const json_t *more = json_object_get(json_object_get(conn, "pageInfo"), "hasNextPage");

	if (json_is_true(more))
		vg_osv_warn(imp, field, "more entries than the export holds: the rest is missing");
}

/* ---- advisory fields ------------------------------------------------------ */

static int
map_identifiers(struct vg_osv_imp *imp, const json_t *adv, struct vg_vuln *v, struct vg_err *err)
{
	const char **list;
	json_t *ids;
	size_t n = 0;
	int rc;

	if ((rc = vg_osv_get_arr(imp, adv, "identifiers", NULL, &ids, err)) != VG_OK || !ids)
		return rc;
	list = vg_arena_alloc(&imp->arena, sizeof(*list) * (json_array_size(ids) + 1));
	for (int cve = 1; cve >= 0; cve--) {
		for (size_t i = 0; i < json_array_size(ids); i++) {
			const json_t *o = json_array_get(ids, i);
			char f[FIELD_MAX];
			const char *value;
			bool dup = false;

			vg_osv_fieldf(f, sizeof(f), "identifiers[%zu]", i);
			if (!json_is_object(o))
				return vg_osv_bad_type(imp, err, f, NULL, "an object");
			if ((rc = vg_osv_get_str(imp, o, "value", f, &value, err)) != VG_OK)
				return rc;
			if (!value || strcmp(value, v->id) == 0 ||
			    (strncmp(value, "CVE-", 4) == 0) != cve)
				continue;
			for (size_t j = 0; j < n && !dup; j++)
				dup = strcmp(list[j], value) == 0;
			if (!dup)
				list[n++] = value;
		}
	}
	v->aliases = list;
	v->naliases = n;
	return VG_OK;
}

/* One {score, vectorString} object; the score goes with the vector it belongs to. */
static int
map_cvss(struct vg_osv_imp *imp, const json_t *adv, const char *at, const char *key,
	 struct vg_vuln *v, struct vg_err *err)
{
	const char *before[3] = {v->cvss_v2, v->cvss_v3, v->cvss_v4};
	double *scores[3] = {&v->cvss_v2_score, &v->cvss_v3_score, &v->cvss_v4_score};
	const char *after[3];
	const char *vector;
	const json_t *score;
	char f[FIELD_MAX];
	json_t *o;
	int rc;

	if ((rc = vg_osv_get_obj(imp, adv, key, at, &o, err)) != VG_OK || !o)
		return rc;
	vg_osv_fieldf(f, sizeof(f), "%s%s%s", at ? at : "", at ? "." : "", key);
	if ((rc = vg_osv_get_str(imp, o, "vectorString", f, &vector, err)) != VG_OK || !vector)
		return rc;
	score = json_object_get(o, "score");
	vg_osv_fieldf(f, sizeof(f), "%s%s%s.vectorString", at ? at : "", at ? "." : "", key);
	vg_osv_take_vector(imp, v, 0, vector, f);
	after[0] = v->cvss_v2;
	after[1] = v->cvss_v3;
	after[2] = v->cvss_v4;
	for (int i = 0; i < 3; i++)
		if (after[i] != before[i] && json_is_number(score) && json_number_value(score) > 0)
			*scores[i] = json_number_value(score);
	return VG_OK;
}

static int
map_cwes(struct vg_osv_imp *imp, const json_t *adv, struct vg_vuln *v, struct vg_err *err)
{
	const json_t *arr;
	const char **list;
	size_t n = 0;
	json_t *conn;
	bool edges;
	int rc;

	if ((rc = vg_osv_get_obj(imp, adv, "cwes", NULL, &conn, err)) != VG_OK || !conn)
		return rc;
	if (!(arr = connection_nodes(conn, &edges)))
		return VG_OK;
	check_paging(imp, conn, "cwes");
	list = vg_arena_alloc(&imp->arena, sizeof(*list) * (json_array_size(arr) + 1));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *node = connection_node(arr, i, edges);
		char f[FIELD_MAX];
		const char *cwe;

		vg_osv_fieldf(f, sizeof(f), "cwes.%s[%zu]", edges ? "edges" : "nodes", i);
		if (!json_is_object(node))
			return vg_osv_bad_type(imp, err, f, edges ? "node" : NULL, "an object");
		if ((rc = vg_osv_get_str(imp, node, "cweId", f, &cwe, err)) != VG_OK)
			return rc;
		if (cwe && strncmp(cwe, "CWE-", 4) == 0 && cwe[4] >= '0' && cwe[4] <= '9' &&
		    strspn(cwe + 4, "0123456789") == strlen(cwe + 4))
			list[n++] = cwe;
		else
			vg_osv_warn(imp, f, "'%s' is not a CWE id: dropped", cwe ? cwe : "");
	}
	v->cwes = list;
	v->ncwes = n;
	return VG_OK;
}

static int
map_refs(struct vg_osv_imp *imp, const json_t *adv, struct vg_vuln *v, struct vg_err *err)
{
	struct vg_vuln_ref *refs;
	json_t *arr;
	size_t n = 0;
	int rc;

	if ((rc = vg_osv_get_arr(imp, adv, "references", NULL, &arr, err)) != VG_OK || !arr)
		return rc;
	refs = vg_arena_alloc(&imp->arena, sizeof(*refs) * (json_array_size(arr) + 1));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *r = json_array_get(arr, i);
		char f[FIELD_MAX];
		const char *url;

		vg_osv_fieldf(f, sizeof(f), "references[%zu]", i);
		if (!json_is_object(r))
			return vg_osv_bad_type(imp, err, f, NULL, "an object");
		if ((rc = vg_osv_get_str(imp, r, "url", f, &url, err)) != VG_OK)
			return rc;
		if (url)
			refs[n++].url = url;
	}
	v->refs = refs;
	v->nrefs = n;
	return VG_OK;
}

static int
map_advisory(struct vg_osv_imp *imp, const json_t *adv, struct vg_vuln *v, struct vg_err *err)
{
	const char *withdrawn;
	json_t *sev;
	int rc;

	v->cvss_v2_score = v->cvss_v3_score = v->cvss_v4_score = NAN;
	if ((rc = vg_osv_get_str(imp, adv, "summary", NULL, &v->summary, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, adv, "description", NULL, &v->description, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, adv, "publishedAt", NULL, &v->published, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, adv, "updatedAt", NULL, &v->modified, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, adv, "withdrawnAt", NULL, &withdrawn, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, adv, "severity", NULL, &v->severity, err)) != VG_OK)
		return rc;
	v->withdrawn = withdrawn != NULL;
	/* "cvss" (v3, older API) and "cvssSeverities" {cvssV3, cvssV4} (newer). */
	if ((rc = map_identifiers(imp, adv, v, err)) != VG_OK ||
	    (rc = map_cvss(imp, adv, NULL, "cvss", v, err)) != VG_OK ||
	    (rc = vg_osv_get_obj(imp, adv, "cvssSeverities", NULL, &sev, err)) != VG_OK ||
	    (sev && (rc = map_cvss(imp, sev, "cvssSeverities", "cvssV3", v, err)) != VG_OK) ||
	    (sev && (rc = map_cvss(imp, sev, "cvssSeverities", "cvssV4", v, err)) != VG_OK) ||
	    (rc = map_cwes(imp, adv, v, err)) != VG_OK)
		return rc;
	return map_refs(imp, adv, v, err);
}

/* ---- vulnerableVersionRange ------------------------------------------------ */

/* ">= 1.0, < 1.2" read into bounds; at most one of each, "=" alone. */
struct gh_range {
	bool lower; /* ">=" seen (lo NULL: from the first version) */
	const char *lo, *lt, *le, *eq;
};

static const char *const gh_ops[] = {">=", "<=", ">", "<", "="};

/* One "OP VERSION" term into @r; false after a warning. */
static bool
range_term(struct vg_osv_imp *imp, struct vg_str t, enum vg_ver_scheme scheme, struct gh_range *r,
	   const char *field)
{
	const char **slot = NULL;
	struct vg_str ver;
	const char *v;
	size_t op;

	for (op = 0; op < VG_ARRAY_LEN(gh_ops); op++)
		if (t.len >= strlen(gh_ops[op]) && memcmp(t.p, gh_ops[op], strlen(gh_ops[op])) == 0)
			break;
	if (op == VG_ARRAY_LEN(gh_ops) || op == 2) {
		vg_osv_warn(imp, field, "term '%.*s' cannot be expressed: statement skipped",
			    (int)t.len, t.p);
		return false;
	}
	ver = vg_str_trim(vg_str_sub(t, strlen(gh_ops[op]), t.len));
	slot = op == 0 ? &r->lo : op == 1 ? &r->le : op == 3 ? &r->lt : &r->eq;
	if (*slot || (op == 0 && r->lower) || ver.len == 0) {
		vg_osv_warn(imp, field,
			    "term '%.*s' repeats a bound or has no version: statement skipped",
			    (int)t.len, t.p);
		return false;
	}
	if (op == 0) {
		r->lower = true;
		if (vg_str_eqc(ver, "0"))
			return true; /* ">= 0": from the first version */
	}
	v = vg_osv_version(imp, scheme, vg_arena_strndup(&imp->arena, ver), field);
	if (!v)
		return false;
	*slot = v;
	return true;
}

static bool
parse_range(struct vg_osv_imp *imp, const char *range, enum vg_ver_scheme scheme,
	    struct gh_range *r, const char *field)
{
	struct vg_str s = vg_str_c(range);
	size_t pos = 0;

	memset(r, 0, sizeof(*r));
	while (pos <= s.len) {
		struct vg_str rest = vg_str_sub(s, pos, s.len);
		ptrdiff_t comma = vg_str_chr(rest, ',');
		size_t len = comma < 0 ? rest.len : (size_t)comma;

		if (!range_term(imp, vg_str_trim(vg_str_sub(rest, 0, len)), scheme, r, field))
			return false;
		pos += len + 1;
	}
	if (r->eq && (r->lower || r->lt || r->le)) {
		vg_osv_warn(imp, field, "'=' combined with other bounds: statement skipped");
		return false;
	}
	return true;
}

static int
ver_cmp(enum vg_ver_scheme scheme, const char *a, const char *b)
{
	int c = 0;

	if (vg_ver_compare(scheme, vg_str_c(a), vg_str_c(b), &c, NULL) != VG_OK)
		return 0;
	return c;
}

static int
map_vulnerability(struct vg_osv_imp *imp, const json_t *node, const char *at, struct vg_err *err)
{
	const char *eco = NULL, *osv_eco = NULL, *range, *patched = NULL;
	struct vg_affected a = {0};
	struct gh_range r;
	char f[FIELD_MAX], pf[FIELD_MAX], ff[FIELD_MAX];
	json_t *pkg, *fp;
	int rc;

	if (!json_is_object(node))
		return vg_osv_bad_type(imp, err, at, NULL, "an object");
	vg_osv_fieldf(pf, sizeof(pf), "%s.package", at);
	vg_osv_fieldf(ff, sizeof(ff), "%s.firstPatchedVersion", at);
	if ((rc = vg_osv_get_obj(imp, node, "package", at, &pkg, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, node, "vulnerableVersionRange", at, &range, err)) != VG_OK ||
	    (rc = vg_osv_get_obj(imp, node, "firstPatchedVersion", at, &fp, err)) != VG_OK ||
	    (fp && (rc = vg_osv_get_str(imp, fp, "identifier", ff, &patched, err)) != VG_OK))
		return rc;
	if (pkg && ((rc = vg_osv_get_str(imp, pkg, "ecosystem", pf, &eco, err)) != VG_OK ||
		    (rc = vg_osv_get_str(imp, pkg, "name", pf, &a.package, err)) != VG_OK))
		return rc;
	if (!eco || !a.package || !range) {
		vg_osv_warn(imp, at, "no %s: skipped",
			    !eco         ? "package.ecosystem"
			    : !a.package ? "package.name"
					 : "vulnerableVersionRange");
		return VG_OK;
	}
	for (size_t i = 0; i < VG_ARRAY_LEN(gh_ecosystems) && !osv_eco; i++)
		if (strcmp(eco, gh_ecosystems[i].github) == 0)
			osv_eco = gh_ecosystems[i].osv;
	if (!osv_eco || vg_osv_ecosystem(imp, osv_eco, &a.ns, &a.scheme) != VG_OK) {
		vg_osv_warn(imp, pf, "unknown ecosystem '%s': skipped", eco);
		return VG_OK;
	}
	vg_osv_fieldf(f, sizeof(f), "%s.vulnerableVersionRange", at);
	if (!parse_range(imp, range, a.scheme, &r, f))
		return VG_OK;
	if (r.eq) {
		a.status = VG_AFF_AFFECTED;
		a.exact = r.eq;
		return vg_osv_emit_affected(imp, &a, err);
	}
	a.introduced = r.lo;
	a.fixed = r.lt;
	a.last_affected = r.le;
	if (!a.fixed && a.last_affected && patched) {
		/* "<= X" and a first patched version past X: both bounds, so X stays the limit. */
		vg_osv_fieldf(f, sizeof(f), "%s.firstPatchedVersion.identifier", at);
		patched = vg_osv_version(imp, a.scheme, patched, f);
		if (patched && ver_cmp(a.scheme, patched, a.last_affected) > 0)
			a.fixed = patched;
	}
	if (a.introduced &&
	    ((a.fixed && ver_cmp(a.scheme, a.introduced, a.fixed) >= 0) ||
	     (a.last_affected && ver_cmp(a.scheme, a.introduced, a.last_affected) > 0))) {
		vg_osv_fieldf(f, sizeof(f), "%s.vulnerableVersionRange", at);
		vg_osv_warn(imp, f, "empty range '%s': skipped", range);
		return VG_OK;
	}
	a.status = a.fixed ? VG_AFF_FIXED : VG_AFF_AFFECTED;
	return vg_osv_emit_affected(imp, &a, err);
}

static int
map_node(struct vg_osv_imp *imp, const json_t *adv, struct vg_err *err)
{
	struct vg_vuln v = {0};
	const json_t *arr;
	json_t *conn;
	const char *id;
	bool edges;
	int rc;

	if (!json_is_object(adv))
		return vg_osv_fail(imp, err, VG_EINVAL, NULL, "expected an advisory object");
	if ((rc = vg_osv_get_str(imp, adv, "ghsaId", NULL, &id, err)) != VG_OK)
		return rc;
	if (!id)
		return vg_osv_fail(imp, err, VG_EINVAL, "ghsaId", "missing");
	imp->id = v.id = id;
	if ((rc = map_advisory(imp, adv, &v, err)) != VG_OK ||
	    (rc = vg_osv_emit_vuln(imp, &v, err)) != VG_OK)
		return rc;
	if (v.withdrawn)
		return VG_OK;
	if ((rc = vg_osv_get_obj(imp, adv, "vulnerabilities", NULL, &conn, err)) != VG_OK || !conn)
		return rc;
	if (!(arr = connection_nodes(conn, &edges)))
		return vg_osv_bad_type(imp, err, "vulnerabilities", "nodes", "an array");
	check_paging(imp, conn, "vulnerabilities");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		char at[FIELD_MAX];

		vg_osv_fieldf(at, sizeof(at), "vulnerabilities.%s[%zu]%s",
			      edges ? "edges" : "nodes", i, edges ? ".node" : "");
		rc = map_vulnerability(imp, connection_node(arr, i, edges), at, err);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* ---- the importer ------------------------------------------------------------ */

struct gh_import {
	struct vg_osv_imp imp;
	bool seen; /* an advisory list was found */
};

static bool
key_is(const struct vg_js_path *p, int i, const char *key)
{
	return p->key[i] && strcmp(p->key[i], key) == 0;
}

/* Levels of envelope above "securityAdvisories": 1 under "data", else 0. */
static int
envelope_base(const struct vg_js_path *p)
{
	return key_is(p, 0, "data") ? 1 : 0;
}

static enum vg_js_action
gh_select(const struct vg_js_path *p, void *ctx)
{
	struct gh_import *c = ctx;
	int d = p->depth, base;

	if (d == 0)
		return VG_JS_DESCEND;
	if (d == 1 && p->index[0] >= 0) {
		c->seen = true;
		return VG_JS_CAPTURE; /* a bare array of advisories */
	}
	if (d == 1 && key_is(p, 0, "errors"))
		return VG_JS_CAPTURE;
	base = envelope_base(p);
	if (d == base)
		return VG_JS_DESCEND;
	if (d == base + 1)
		return key_is(p, base, "securityAdvisories") ? VG_JS_DESCEND : VG_JS_SKIP;
	if (d == base + 2)
		return key_is(p, base + 1, "nodes") || key_is(p, base + 1, "edges") ? VG_JS_DESCEND
										    : VG_JS_SKIP;
	if (d == base + 3 && p->index[base + 2] >= 0) {
		c->seen = true;
		return VG_JS_CAPTURE;
	}
	return VG_JS_SKIP;
}

static int
gh_record(const struct vg_js_path *p, json_t *value, void *ctx, struct vg_err *err)
{
	struct gh_import *c = ctx;
	const json_t *adv = value;
	int rc;

	if (p->depth == 1 && key_is(p, 0, "errors")) {
		const char *msg =
			json_string_value(json_object_get(json_array_get(value, 0), "message"));

		if (json_array_size(value) == 0)
			return VG_OK;
		return vg_osv_fail(&c->imp, err, VG_EINVAL, "errors", "the query failed: %s",
				   msg ? msg : "(no message)");
	}
	if (p->depth > 1 && key_is(p, p->depth - 2, "edges"))
		adv = json_object_get(value, "node");
	vg_osv_record_start(&c->imp);
	rc = map_node(&c->imp, adv, err);
	vg_osv_record_done(&c->imp);
	return rc;
}

static int
gh_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct gh_import c = {.seen = false};
	struct vg_jstream_ops ops = {.select = gh_select, .record = gh_record, .ctx = &c};
	int rc;

	vg_osv_imp_init(&c.imp, in, sink, vg_imp_ghsa_graphql.format);
	rc = vg_osv_begin(&c.imp, err);
	if (rc == VG_OK) {
		rc = vg_jstream_read(in, &ops, err);
	}
	if (rc == VG_OK && !c.seen)
		rc = vg_osv_fail(&c.imp, err, VG_EINVAL, NULL,
				 "no securityAdvisories nodes or edges found");
	if (rc == VG_OK)
		rc = vg_osv_end(&c.imp, err);
	vg_osv_imp_release(&c.imp);
	return rc;
}

static int
gh_probe(const struct vg_sniff *s)
{
	if (s->kind == VG_SNIFF_JSON_OBJECT) {
		if (vg_sniff_key(s, "securityAdvisories") >= 0)
			return 100;
		if (vg_sniff_key(s, "data") >= 0 && vg_sniff_child_key(s, "securityAdvisories"))
			return 100;
		return 0;
	}
	if (s->kind == VG_SNIFF_JSON_ARRAY && vg_sniff_child_key(s, "ghsaId"))
		return vg_sniff_child_key(s, "vulnerabilities") ? 100 : 80;
	return 0;
}

const struct vg_importer vg_imp_ghsa_graphql = {
	"ghsa-graphql",
	"GitHub Security Advisories, GraphQL securityAdvisories response",
	gh_probe,
	gh_import,
};
