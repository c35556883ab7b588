/*
 * osv.c - OSV records: the mapping to Vigil's records (shared with
 * osv_yaml.c and ghsa.c through osv_int.h) and the OSV JSON importer.
 *
 * One vg_vuln per record; one vg_affected per interval of each
 * ECOSYSTEM/SEMVER range (the events walked in version order as the OSV
 * evaluation algorithm does) and per listed version no interval covers.
 * docs/feeds/osv.md states every rule; the comments here say why.
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/cvss.h"
#include "core/str.h"
#include "feeds/importers.h"
#include "feeds/jstream.h"
#include "feeds/osv_int.h"

/* Longest field path named in a message ("affected[12].ranges[0].events[3].fixed"). */
#define FIELD_MAX 160

/* ---- importer state and messages ----------------------------------------- */

void
vg_osv_imp_init(struct vg_osv_imp *imp, const struct vg_feed_in *in,
		const struct vg_feed_sink *sink, const char *format)
{
	memset(imp, 0, sizeof(*imp));
	imp->sink = sink;
	imp->path = in->path ? in->path : "(input)";
	imp->src.name = "osv";
	imp->src.format = format;
	imp->src.mode = VG_FEED_MERGE;
	imp->src.path = in->path;
	vg_arena_init(&imp->arena);
}

void
vg_osv_imp_release(struct vg_osv_imp *imp)
{
	vg_arena_release(&imp->arena);
}

int
vg_osv_begin(struct vg_osv_imp *imp, struct vg_err *err)
{
	if (!imp->sink->begin)
		return VG_OK;
	return imp->sink->begin(imp->sink->ctx, &imp->src, err);
}

int
vg_osv_end(struct vg_osv_imp *imp, struct vg_err *err)
{
	if (!imp->sink->end)
		return VG_OK;
	return imp->sink->end(imp->sink->ctx, &imp->src, imp->nrecords, err);
}

void
vg_osv_record_start(struct vg_osv_imp *imp)
{
	imp->index++;
	imp->id = NULL;
}

void
vg_osv_record_done(struct vg_osv_imp *imp)
{
	imp->id = NULL;
	vg_arena_release(&imp->arena);
}

/*
 * "record ID" (or "record #N" before the id is known), after "PATH: " for
 * warnings.  Errors leave the path out: vg_feed_import_file() puts it first.
 */
static void
locate(const struct vg_osv_imp *imp, bool path, char *out, size_t cap)
{
	const char *p = path ? imp->path : "", *sep = path ? ": " : "";

	if (imp->id)
		(void)snprintf(out, cap, "%s%srecord %s", p, sep, imp->id);
	else if (imp->index > 0)
		(void)snprintf(out, cap, "%s%srecord #%ld", p, sep, imp->index);
	else
		(void)snprintf(out, cap, "%s", path ? imp->path : "input");
}

static void compose(const struct vg_osv_imp *imp, bool path, const char *field, char *out,
		    size_t cap, const char *fmt, va_list ap) VG_PRINTF(6, 0);

static void
compose(const struct vg_osv_imp *imp, bool path, const char *field, char *out, size_t cap,
	const char *fmt, va_list ap)
{
	char loc[256], msg[512];

	locate(imp, path, loc, sizeof(loc));
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	if (field)
		(void)snprintf(out, cap, "%s: field '%s': %s", loc, field, msg);
	else
		(void)snprintf(out, cap, "%s: %s", loc, msg);
}

void
vg_osv_warn(struct vg_osv_imp *imp, const char *field, const char *fmt, ...)
{
	char out[1024];
	va_list ap;

	imp->nwarnings++;
	if (!imp->sink->warn)
		return;
	va_start(ap, fmt);
	compose(imp, true, field, out, sizeof(out), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, out);
}

void
vg_osv_fieldf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

int
vg_osv_fail(struct vg_osv_imp *imp, struct vg_err *err, int code, const char *field,
	    const char *fmt, ...)
{
	char out[1024];
	va_list ap;

	va_start(ap, fmt);
	compose(imp, false, field, out, sizeof(out), fmt, ap);
	va_end(ap);
	return vg_error(err, code, "%s", out);
}

/* "@at.@key", "@key" or "@at" into @buf. */
static const char *
field_name(char *buf, size_t cap, const char *at, const char *key)
{
	if (at && key)
		vg_osv_fieldf(buf, cap, "%s.%s", at, key);
	else
		vg_osv_fieldf(buf, cap, "%s", at ? at : key ? key : "");
	return buf;
}

/* ---- typed access to the record (a wrong type is a structural error) ----- */

int
vg_osv_bad_type(struct vg_osv_imp *imp, struct vg_err *err, const char *at, const char *key,
		const char *what)
{
	char f[FIELD_MAX];

	return vg_osv_fail(imp, err, VG_EINVAL, field_name(f, sizeof(f), at, key), "expected %s",
			   what);
}

int
vg_osv_str_value(struct vg_osv_imp *imp, const json_t *m, const char *at, const char *key,
		 const char **out, struct vg_err *err)
{
	char f[FIELD_MAX];

	*out = NULL;
	if (!m || json_is_null(m))
		return VG_OK;
	if (!json_is_string(m))
		return vg_osv_bad_type(imp, err, at, key, "a string");
	if (strlen(json_string_value(m)) != json_string_length(m))
		return vg_osv_fail(imp, err, VG_EINVAL, field_name(f, sizeof(f), at, key),
				   "string holds a NUL byte");
	if (json_string_length(m) > 0)
		*out = json_string_value(m);
	return VG_OK;
}

int
vg_osv_get_str(struct vg_osv_imp *imp, const json_t *obj, const char *key, const char *at,
	       const char **out, struct vg_err *err)
{
	return vg_osv_str_value(imp, json_object_get(obj, key), at, key, out, err);
}

int
vg_osv_get_arr(struct vg_osv_imp *imp, const json_t *obj, const char *key, const char *at,
	       json_t **out, struct vg_err *err)
{
	json_t *m = json_object_get(obj, key);

	*out = NULL;
	if (!m || json_is_null(m))
		return VG_OK;
	if (!json_is_array(m))
		return vg_osv_bad_type(imp, err, at, key, "an array");
	*out = m;
	return VG_OK;
}

int
vg_osv_get_obj(struct vg_osv_imp *imp, const json_t *obj, const char *key, const char *at,
	       json_t **out, struct vg_err *err)
{
	json_t *m = json_object_get(obj, key);

	*out = NULL;
	if (!m || json_is_null(m))
		return VG_OK;
	if (!json_is_object(m))
		return vg_osv_bad_type(imp, err, at, key, "an object");
	*out = m;
	return VG_OK;
}

int
vg_osv_elem_str(struct vg_osv_imp *imp, const json_t *arr, size_t i, const char *at,
		const char **out, struct vg_err *err)
{
	char f[FIELD_MAX];

	vg_osv_fieldf(f, sizeof(f), "%s[%zu]", at, i);
	return vg_osv_str_value(imp, json_array_get(arr, i), f, NULL, out, err);
}

/* ---- ecosystems and versions ---------------------------------------------- */

/* Language ecosystems: the OSV name is the namespace. */
static const struct {
	const char *name;
	enum vg_ver_scheme scheme;
	bool repo_suffix; /* may carry ":<REMOTE-REPO-URL>" (same packages, another mirror) */
} lang_ecosystems[] = {
	{"PyPI", VG_VER_PEP440, false},
	{"npm", VG_VER_SEMVER, false},
	{"Go", VG_VER_SEMVER, false},
	{"crates.io", VG_VER_SEMVER, false},
	{"SwiftURL", VG_VER_SEMVER, false},
	{"Maven", VG_VER_GENERIC, true},
	{"NuGet", VG_VER_GENERIC, false},
	{"Packagist", VG_VER_GENERIC, true},
	{"RubyGems", VG_VER_GENERIC, false},
	{"Hex", VG_VER_GENERIC, false},
	{"Pub", VG_VER_GENERIC, false},
	{"GitHub Actions", VG_VER_GENERIC, false},
	{"Hackage", VG_VER_GENERIC, false},
	{"CRAN", VG_VER_GENERIC, false},
	{"Bioconductor", VG_VER_GENERIC, false},
	{"ConanCenter", VG_VER_GENERIC, false},
	{"opam", VG_VER_GENERIC, false},
	{"Julia", VG_VER_GENERIC, false},
	{"VSCode", VG_VER_GENERIC, true},
};

static bool
all_digits(struct vg_str s)
{
	if (s.len == 0 || s.len > 8)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return true;
}

/* "MAJOR.MINOR" with decimal parts, as Ubuntu and Alpine release numbers are written. */
static bool
major_minor(struct vg_str s)
{
	ptrdiff_t dot = vg_str_chr(s, '.');

	return dot > 0 && all_digits(vg_str_sub(s, 0, (size_t)dot)) &&
	       all_digits(vg_str_sub(s, (size_t)dot + 1, s.len));
}

/* Does @s start with @prefix?  Sets @rest to what follows. */
static bool
strip_prefix(struct vg_str s, const char *prefix, struct vg_str *rest)
{
	size_t n = strlen(prefix);

	if (s.len < n || memcmp(s.p, prefix, n) != 0)
		return false;
	*rest = vg_str_sub(s, n, s.len);
	return true;
}

/* "Ubuntu:[Pro:]YY.MM[:LTS]" -> the release; other qualifiers (FIPS streams...) are not matched. */
static bool
ubuntu_release(struct vg_str rest, struct vg_str *rel)
{
	struct vg_str tok[4];
	size_t n = 0, pos = 0, i = 0;

	while (n < 4) {
		ptrdiff_t c = vg_str_chr(vg_str_sub(rest, pos, rest.len), ':');
		size_t len = c < 0 ? rest.len - pos : (size_t)c;

		tok[n++] = vg_str_sub(rest, pos, len);
		if (c < 0)
			break;
		pos += len + 1;
		if (pos > rest.len)
			return false;
	}
	if (n == 4)
		return false;
	if (vg_str_eqc(tok[i], "Pro"))
		i++;
	if (i >= n || !major_minor(tok[i]))
		return false;
	*rel = tok[i++];
	if (i < n && vg_str_eqc(tok[i], "LTS"))
		i++;
	return i == n;
}

static int
distro_ecosystem(struct vg_osv_imp *imp, struct vg_str e, const char **ns,
		 enum vg_ver_scheme *scheme)
{
	struct vg_str rest, rel;

	if (strip_prefix(e, "Debian:", &rest)) {
		*scheme = VG_VER_DPKG;
		if (vg_str_eqc(rest, "sid") || vg_str_eqc(rest, "unstable"))
			*ns = "debian:unstable";
		else if (all_digits(rest))
			*ns = vg_arena_printf(&imp->arena, "debian:%.*s", (int)rest.len, rest.p);
		else
			return VG_ENOTFOUND;
		return VG_OK;
	}
	if (strip_prefix(e, "Ubuntu:", &rest)) {
		if (!ubuntu_release(rest, &rel))
			return VG_ENOTFOUND;
		*scheme = VG_VER_DPKG;
		*ns = vg_arena_printf(&imp->arena, "ubuntu:%.*s", (int)rel.len, rel.p);
		return VG_OK;
	}
	if (strip_prefix(e, "Alpine:", &rest)) {
		*scheme = VG_VER_APK;
		if (vg_str_eqc(rest, "edge") || vg_str_eqc(rest, "vedge")) {
			*ns = "alpine:edge";
			return VG_OK;
		}
		if (rest.len > 0 && rest.p[0] == 'v')
			rest = vg_str_sub(rest, 1, rest.len);
		if (!major_minor(rest))
			return VG_ENOTFOUND;
		*ns = vg_arena_printf(&imp->arena, "alpine:%.*s", (int)rest.len, rest.p);
		return VG_OK;
	}
	if (vg_str_eqc(e, "Wolfi")) {
		*scheme = VG_VER_APK;
		*ns = "wolfi:rolling";
		return VG_OK;
	}
	if (strip_prefix(e, "Rocky Linux:", &rest) || strip_prefix(e, "AlmaLinux:", &rest)) {
		ptrdiff_t dot = vg_str_chr(rest, '.');
		struct vg_str major = dot < 0 ? rest : vg_str_sub(rest, 0, (size_t)dot);

		if (!all_digits(major) || (dot >= 0 && !major_minor(rest)))
			return VG_ENOTFOUND;
		*scheme = VG_VER_RPM;
		*ns = vg_arena_printf(&imp->arena, "%s:%.*s", e.p[0] == 'R' ? "rocky" : "almalinux",
				      (int)major.len, major.p);
		return VG_OK;
	}
	return VG_ENOTFOUND;
}

int
vg_osv_ecosystem(struct vg_osv_imp *imp, const char *ecosystem, const char **ns,
		 enum vg_ver_scheme *scheme)
{
	struct vg_str e = vg_str_c(ecosystem);

	for (size_t i = 0; i < VG_ARRAY_LEN(lang_ecosystems); i++) {
		struct vg_str rest;

		if (!strip_prefix(e, lang_ecosystems[i].name, &rest))
			continue;
		if (rest.len == 0 || (lang_ecosystems[i].repo_suffix && rest.p[0] == ':')) {
			*ns = lang_ecosystems[i].name;
			*scheme = lang_ecosystems[i].scheme;
			return VG_OK;
		}
	}
	return distro_ecosystem(imp, e, ns, scheme);
}

/* SemVer spelling: no "v", and Go's "MAJOR" / "MAJOR.MINOR" shorthands completed. */
static struct vg_str
semver_spelling(struct vg_str s, int *missing /* OUT: ".0" parts to append */)
{
	*missing = 0;
	if (s.len > 1 && s.p[0] == 'v' && s.p[1] >= '0' && s.p[1] <= '9')
		s = vg_str_sub(s, 1, s.len);
	if (all_digits(s))
		*missing = 2;
	else if (major_minor(s))
		*missing = 1;
	return s;
}

const char *
vg_osv_version(struct vg_osv_imp *imp, enum vg_ver_scheme scheme, const char *v, const char *field)
{
	struct vg_str s = vg_str_trim(vg_str_c(v));
	struct vg_err e;
	int missing = 0;
	const char *out;

	if (scheme == VG_VER_SEMVER)
		s = semver_spelling(s, &missing);
	if (missing)
		out = vg_arena_printf(&imp->arena, "%.*s%s", (int)s.len, s.p,
				      missing == 2 ? ".0.0" : ".0");
	else if (s.p == v && s.len == strlen(v))
		out = v;
	else
		out = vg_arena_strndup(&imp->arena, s);
	vg_err_clear(&e);
	if (vg_ver_validate(scheme, vg_str_c(out), &e) != VG_OK) {
		if (e.msg[0])
			vg_osv_warn(imp, field, "%s: skipped", e.msg);
		else
			vg_osv_warn(imp, field, "invalid %s version '%s': skipped",
				    vg_ver_scheme_name(scheme), v);
		return NULL;
	}
	return out;
}

/* -1, 0, 1 under @scheme; versions were validated, so a failure (none expected) is "equal". */
static int
ver_cmp(enum vg_ver_scheme scheme, const char *a, const char *b)
{
	int c = 0;

	if (vg_ver_compare(scheme, vg_str_c(a), vg_str_c(b), &c, NULL) != VG_OK)
		return 0;
	return c;
}

/* ---- sink ------------------------------------------------------------------ */

int
vg_osv_emit_vuln(struct vg_osv_imp *imp, const struct vg_vuln *v, struct vg_err *err)
{
	int rc = VG_OK;

	if (imp->sink->vuln)
		rc = imp->sink->vuln(imp->sink->ctx, v, err);
	if (rc == VG_OK)
		imp->nrecords++;
	return rc;
}

int
vg_osv_emit_affected(struct vg_osv_imp *imp, struct vg_affected *a, struct vg_err *err)
{
	a->vuln_id = imp->id;
	a->advisory = imp->id;
	if (!imp->sink->affected)
		return VG_OK;
	return imp->sink->affected(imp->sink->ctx, a, err);
}

/* ---- vuln fields ------------------------------------------------------------ */

void
vg_osv_take_vector(struct vg_osv_imp *imp, struct vg_vuln *v, int want, const char *vector,
		   const char *field)
{
	struct vg_str s = vg_str_trim(vg_str_c(vector));
	struct vg_cvss cvss;
	struct vg_err e;
	const char **slot;
	int major;

	/* A trailing "/" (seen in GHSA data) adds no metric; everything else must parse. */
	if (s.len > 0 && s.p[s.len - 1] == '/')
		s.len--;
	vg_err_clear(&e);
	if (vg_cvss_parse(s, &cvss, &e) != VG_OK) {
		vg_osv_warn(imp, field, "invalid CVSS vector '%s' (%s): dropped", vector, e.msg);
		return;
	}
	major = cvss.version == VG_CVSS_V2 ? 2 : cvss.version == VG_CVSS_V40 ? 4 : 3;
	if (want && want != major) {
		vg_osv_warn(imp, field, "'%s' is not a CVSS v%d vector: dropped", vector, want);
		return;
	}
	slot = major == 2 ? &v->cvss_v2 : major == 4 ? &v->cvss_v4 : &v->cvss_v3;
	if (!*slot)
		*slot = vg_arena_strndup(&imp->arena, s);
}

/* Strings of array @arr ("@at[i]") appended to @list, skipping @self and duplicates. */
static int
add_ids(struct vg_osv_imp *imp, const json_t *arr, const char *at, const char *self, bool cve,
	const char **list, size_t *n, struct vg_err *err)
{
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		const char *s;
		bool dup = false;
		int rc = vg_osv_elem_str(imp, arr, i, at, &s, err);

		if (rc != VG_OK)
			return rc;
		if (!s || strcmp(s, self) == 0 || (strncmp(s, "CVE-", 4) == 0) != cve)
			continue;
		for (size_t j = 0; j < *n && !dup; j++)
			dup = strcmp(list[j], s) == 0;
		if (dup)
			continue;
		if (*n == VG_OSV_MAX_ALIASES) {
			vg_osv_warn(imp, at, "more than %d aliases: the rest dropped",
				    VG_OSV_MAX_ALIASES);
			return VG_OK;
		}
		list[(*n)++] = s;
	}
	return VG_OK;
}

/*
 * aliases, CVE ids first.  A single "upstream" id is the same flaw seen
 * upstream (UBUNTU-CVE-X -> CVE-X), so it is an alias too; several
 * upstream ids (a DLA or USN fixing many CVEs) are not.
 */
static int
map_aliases(struct vg_osv_imp *imp, const json_t *rec, struct vg_vuln *v, struct vg_err *err)
{
	json_t *aliases, *upstream;
	const char **list;
	size_t n = 0;
	int rc;

	if ((rc = vg_osv_get_arr(imp, rec, "aliases", NULL, &aliases, err)) != VG_OK ||
	    (rc = vg_osv_get_arr(imp, rec, "upstream", NULL, &upstream, err)) != VG_OK)
		return rc;
	if (upstream && json_array_size(upstream) != 1)
		upstream = NULL;
	list = vg_arena_alloc(&imp->arena, sizeof(*list) * (VG_OSV_MAX_ALIASES + 1));
	for (int cve = 1; cve >= 0; cve--) {
		if ((rc = add_ids(imp, aliases, "aliases", v->id, cve, list, &n, err)) != VG_OK ||
		    (rc = add_ids(imp, upstream, "upstream", v->id, cve, list, &n, err)) != VG_OK)
			return rc;
	}
	v->aliases = list;
	v->naliases = n;
	return VG_OK;
}

/* severity[] of the record or of one affected entry (@at names the array). */
static int
map_severity_list(struct vg_osv_imp *imp, const json_t *sev, const char *at, struct vg_vuln *v,
		  struct vg_err *err)
{
	for (size_t i = 0; sev && i < json_array_size(sev); i++) {
		const json_t *s = json_array_get(sev, i);
		const char *type, *score;
		char f[FIELD_MAX];
		int rc;

		vg_osv_fieldf(f, sizeof(f), "%s[%zu]", at, i);
		if (!json_is_object(s))
			return vg_osv_bad_type(imp, err, f, NULL, "an object");
		if ((rc = vg_osv_get_str(imp, s, "type", f, &type, err)) != VG_OK ||
		    (rc = vg_osv_get_str(imp, s, "score", f, &score, err)) != VG_OK)
			return rc;
		if (!type || !score)
			continue;
		if (strcmp(type, "CVSS_V2") == 0)
			vg_osv_take_vector(imp, v, 2, score, f);
		else if (strcmp(type, "CVSS_V3") == 0)
			vg_osv_take_vector(imp, v, 3, score, f);
		else if (strcmp(type, "CVSS_V4") == 0)
			vg_osv_take_vector(imp, v, 4, score, f);
		else if (strcmp(type, "Ubuntu") == 0 && !v->severity)
			v->severity = score; /* Ubuntu priority word: "medium", ... */
	}
	return VG_OK;
}

/*
 * database_specific is free-form (each database defines it), so a member
 * of an unexpected shape is a warning, not a structural error.  Used:
 * "severity" (GHSA's word) and "cwe_ids".
 */
static void
map_database_specific(struct vg_osv_imp *imp, const json_t *rec, struct vg_vuln *v)
{
	const json_t *db = json_object_get(rec, "database_specific");
	const json_t *sev, *cwes;
	const char **list;
	size_t n = 0;

	if (!json_is_object(db))
		return;
	sev = json_object_get(db, "severity");
	if (json_is_string(sev) && json_string_length(sev) > 0 &&
	    strlen(json_string_value(sev)) == json_string_length(sev))
		v->severity = json_string_value(sev);
	else if (sev && !json_is_null(sev))
		vg_osv_warn(imp, "database_specific.severity", "not a string: ignored");
	cwes = json_object_get(db, "cwe_ids");
	if (!cwes || json_is_null(cwes))
		return;
	if (!json_is_array(cwes)) {
		vg_osv_warn(imp, "database_specific.cwe_ids", "not an array: ignored");
		return;
	}
	list = vg_arena_alloc(&imp->arena, sizeof(*list) * (json_array_size(cwes) + 1));
	for (size_t i = 0; i < json_array_size(cwes); i++) {
		const json_t *c = json_array_get(cwes, i);
		const char *s = json_string_value(c);
		char f[FIELD_MAX];

		if (s && strncmp(s, "CWE-", 4) == 0 && all_digits(vg_str_c(s + 4))) {
			list[n++] = s;
			continue;
		}
		vg_osv_fieldf(f, sizeof(f), "database_specific.cwe_ids[%zu]", i);
		vg_osv_warn(imp, f, "'%s' is not a CWE id: dropped", s ? s : "(not a string)");
	}
	v->cwes = list;
	v->ncwes = n;
}

static int
map_references(struct vg_osv_imp *imp, const json_t *rec, struct vg_vuln *v, struct vg_err *err)
{
	struct vg_vuln_ref *refs;
	json_t *arr;
	size_t n = 0;
	int rc;

	if ((rc = vg_osv_get_arr(imp, rec, "references", NULL, &arr, err)) != VG_OK || !arr)
		return rc;
	refs = vg_arena_alloc(&imp->arena, sizeof(*refs) * (json_array_size(arr) + 1));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *r = json_array_get(arr, i);
		const char *type, *url;
		char f[FIELD_MAX];

		vg_osv_fieldf(f, sizeof(f), "references[%zu]", i);
		if (!json_is_object(r))
			return vg_osv_bad_type(imp, err, f, NULL, "an object");
		if ((rc = vg_osv_get_str(imp, r, "type", f, &type, err)) != VG_OK ||
		    (rc = vg_osv_get_str(imp, r, "url", f, &url, err)) != VG_OK)
			return rc;
		if (!url) {
			vg_osv_warn(imp, f, "no url: dropped");
			continue;
		}
		refs[n].url = url;
		refs[n].tags = type;
		refs[n].exploit = type && strcmp(type, "EXPLOIT") == 0;
		n++;
	}
	v->refs = refs;
	v->nrefs = n;
	return VG_OK;
}

/* Package-level severity vectors, for records that give them only per package. */
static int
map_package_severity(struct vg_osv_imp *imp, const json_t *affected, struct vg_vuln *v,
		     struct vg_err *err)
{
	for (size_t i = 0; affected && i < json_array_size(affected); i++) {
		const json_t *e = json_array_get(affected, i);
		char at[FIELD_MAX];
		json_t *sev;
		int rc;

		if (!json_is_object(e))
			continue; /* reported when the statements are mapped */
		vg_osv_fieldf(at, sizeof(at), "affected[%zu]", i);
		if ((rc = vg_osv_get_arr(imp, e, "severity", at, &sev, err)) != VG_OK)
			return rc;
		vg_osv_fieldf(at, sizeof(at), "affected[%zu].severity", i);
		if ((rc = map_severity_list(imp, sev, at, v, err)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
map_vuln(struct vg_osv_imp *imp, const json_t *rec, struct vg_vuln *v, struct vg_err *err)
{
	const char *withdrawn;
	json_t *sev, *affected;
	int rc;

	v->cvss_v2_score = v->cvss_v3_score = v->cvss_v4_score = NAN;
	if ((rc = vg_osv_get_str(imp, rec, "summary", NULL, &v->summary, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, rec, "details", NULL, &v->description, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, rec, "published", NULL, &v->published, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, rec, "modified", NULL, &v->modified, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, rec, "withdrawn", NULL, &withdrawn, err)) != VG_OK)
		return rc;
	v->withdrawn = withdrawn != NULL;
	if ((rc = map_aliases(imp, rec, v, err)) != VG_OK ||
	    (rc = vg_osv_get_arr(imp, rec, "severity", NULL, &sev, err)) != VG_OK ||
	    (rc = map_severity_list(imp, sev, "severity", v, err)) != VG_OK ||
	    (rc = vg_osv_get_arr(imp, rec, "affected", NULL, &affected, err)) != VG_OK ||
	    (rc = map_package_severity(imp, affected, v, err)) != VG_OK)
		return rc;
	map_database_specific(imp, rec, v);
	return map_references(imp, rec, v, err);
}

/* ---- affected statements ---------------------------------------------------- */

/* An interval already emitted for the current entry (for the versions-list rule). */
struct interval {
	enum vg_ver_scheme scheme;
	const char *introduced, *fixed, *last_affected; /* NULL: unbounded */
};

/* What one affected[] entry maps to. */
struct entry {
	const char *at; /* "affected[N]" */
	const char *ns, *package;
	enum vg_ver_scheme scheme; /* the ecosystem's */
	struct interval *iv;       /* owned */
	size_t niv, civ;
};

enum ev_kind { EV_INTRODUCED, EV_FIXED, EV_LAST_AFFECTED, EV_LIMIT };

static const char *const ev_names[] = {
	[EV_INTRODUCED] = "introduced",
	[EV_FIXED] = "fixed",
	[EV_LAST_AFFECTED] = "last_affected",
	[EV_LIMIT] = "limit",
};

struct event {
	enum ev_kind kind;
	const char *ver; /* normalized; NULL for introduced "0" */
};

/* Does @iv contain @v (valid under @scheme, the entry's)? */
static bool
covered(const struct interval *iv, enum vg_ver_scheme scheme, const char *v)
{
	struct vg_err e;

	if (iv->scheme != scheme && vg_ver_validate(iv->scheme, vg_str_c(v), &e) != VG_OK)
		return false;
	return (!iv->introduced || ver_cmp(iv->scheme, iv->introduced, v) <= 0) &&
	       (!iv->fixed || ver_cmp(iv->scheme, v, iv->fixed) < 0) &&
	       (!iv->last_affected || ver_cmp(iv->scheme, v, iv->last_affected) <= 0);
}

static int
emit_interval(struct vg_osv_imp *imp, struct entry *en, struct interval iv, const char *limit,
	      struct vg_err *err)
{
	struct vg_affected a;
	const char *note = NULL;

	if (iv.introduced &&
	    ((iv.fixed && ver_cmp(iv.scheme, iv.introduced, iv.fixed) >= 0) ||
	     (iv.last_affected && ver_cmp(iv.scheme, iv.introduced, iv.last_affected) > 0)))
		return VG_OK; /* empty: introduced at or past its end */
	if (limit) {
		/* Versions at or past the range's limit are not affected by it. */
		if (iv.introduced && ver_cmp(iv.scheme, iv.introduced, limit) >= 0)
			return VG_OK;
		if (!iv.fixed || ver_cmp(iv.scheme, iv.fixed, limit) > 0) {
			if (!iv.last_affected || ver_cmp(iv.scheme, iv.last_affected, limit) >= 0) {
				iv.fixed = limit;
				note = "limit";
			}
		}
	}
	if (en->niv == en->civ) {
		en->civ = en->civ ? 2 * en->civ : 4;
		en->iv = vg_xreallocarray(en->iv, en->civ, sizeof(*en->iv));
	}
	en->iv[en->niv++] = iv;
	memset(&a, 0, sizeof(a));
	a.ns = en->ns;
	a.package = en->package;
	a.scheme = iv.scheme;
	a.status = iv.fixed ? VG_AFF_FIXED : VG_AFF_AFFECTED;
	a.introduced = iv.introduced;
	a.fixed = iv.fixed;
	a.last_affected = iv.last_affected;
	a.note = note;
	return vg_osv_emit_affected(imp, &a, err);
}

/* Event order: introduced "0" first, then by version. */
static int
ev_cmp(enum vg_ver_scheme scheme, const struct event *a, const struct event *b)
{
	if (!a->ver || !b->ver)
		return (b->ver == NULL) - (a->ver == NULL);
	return ver_cmp(scheme, a->ver, b->ver);
}

/* Stable merge sort of @ev (@tmp has room for @n); events arrive sorted nearly always. */
static void
sort_events(enum vg_ver_scheme scheme, struct event *ev, struct event *tmp, size_t n)
{
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				tmp[k++] = ev_cmp(scheme, &ev[j], &ev[i]) < 0 ? ev[j++] : ev[i++];
			while (i < mid)
				tmp[k++] = ev[i++];
			while (j < hi)
				tmp[k++] = ev[j++];
		}
		memcpy(ev, tmp, n * sizeof(*ev));
	}
}

/* One event object: exactly one known key, a string value (normalized into *out). */
static int
read_event(struct vg_osv_imp *imp, json_t *o, const char *f, enum vg_ver_scheme scheme,
	   struct event *out, bool *ok, struct vg_err *err)
{
	const char *key, *val = NULL;
	char vf[FIELD_MAX];
	json_t *m;
	int nkeys = 0, rc;

	*ok = false;
	if (!json_is_object(o))
		return vg_osv_bad_type(imp, err, f, NULL, "an object");
	json_object_foreach(o, key, m)
	{
		for (int k = EV_INTRODUCED; k <= EV_LIMIT; k++) {
			if (strcmp(key, ev_names[k]) != 0)
				continue;
			if ((rc = vg_osv_str_value(imp, m, f, key, &val, err)) != VG_OK)
				return rc;
			out->kind = (enum ev_kind)k;
			nkeys++;
		}
	}
	if (nkeys != 1 || !val) {
		vg_osv_warn(imp, f, "%s: event skipped",
			    nkeys > 1 ? "more than one event type" : "no version");
		return VG_OK;
	}
	field_name(vf, sizeof(vf), f, ev_names[out->kind]);
	if (out->kind == EV_INTRODUCED && vg_str_eqc(vg_str_trim(vg_str_c(val)), "0")) {
		out->ver = NULL;
	} else if (out->kind == EV_LIMIT && strchr(val, '*')) {
		out->ver = NULL; /* "*": no limit */
	} else {
		out->ver = vg_osv_version(imp, scheme, val, vf);
		if (!out->ver)
			return VG_OK;
	}
	*ok = true;
	return VG_OK;
}

/* Walk an ECOSYSTEM or SEMVER range's events and emit one statement per interval. */
static int
map_range(struct vg_osv_imp *imp, struct entry *en, const json_t *range, const char *at,
	  enum vg_ver_scheme scheme, struct vg_err *err)
{
	const char *limit = NULL, *intro = NULL;
	struct event *ev, *tmp;
	bool unlimited = false, open = false, sorted = true;
	size_t n = 0;
	json_t *events;
	int rc;

	if ((rc = vg_osv_get_arr(imp, range, "events", at, &events, err)) != VG_OK)
		return rc;
	if (!events || json_array_size(events) == 0) {
		vg_osv_warn(imp, at, "range without events: skipped");
		return VG_OK;
	}
	ev = vg_arena_alloc(&imp->arena, 2 * json_array_size(events) * sizeof(*ev));
	tmp = ev + json_array_size(events);
	for (size_t i = 0; i < json_array_size(events); i++) {
		char f[FIELD_MAX];
		bool ok;

		vg_osv_fieldf(f, sizeof(f), "%s.events[%zu]", at, i);
		rc = read_event(imp, json_array_get(events, i), f, scheme, &ev[n], &ok, err);
		if (rc != VG_OK)
			return rc;
		if (!ok)
			continue;
		if (ev[n].kind == EV_LIMIT) {
			/* Limits are not part of the walk: a version must lie below one of them. */
			if (!ev[n].ver)
				unlimited = true;
			else if (!limit || ver_cmp(scheme, ev[n].ver, limit) > 0)
				limit = ev[n].ver;
			continue;
		}
		if (n > 0 && ev_cmp(scheme, &ev[n - 1], &ev[n]) > 0)
			sorted = false;
		n++;
	}
	if (unlimited)
		limit = NULL;
	if (!sorted)
		sort_events(scheme, ev, tmp, n);
	for (size_t i = 0; i < n; i++) {
		struct interval iv = {scheme, intro, NULL, NULL};

		if (ev[i].kind == EV_INTRODUCED) {
			if (!open)
				intro = ev[i].ver;
			open = true;
			continue;
		}
		if (!open)
			continue; /* a fix with nothing open before it changes nothing */
		if (ev[i].kind == EV_FIXED)
			iv.fixed = ev[i].ver;
		else
			iv.last_affected = ev[i].ver;
		open = false;
		if ((rc = emit_interval(imp, en, iv, limit, err)) != VG_OK)
			return rc;
	}
	if (open)
		return emit_interval(imp, en, (struct interval){scheme, intro, NULL, NULL}, limit,
				     err);
	return VG_OK;
}

static int
map_ranges(struct vg_osv_imp *imp, struct entry *en, const json_t *e, struct vg_err *err)
{
	json_t *ranges;
	int rc;

	if ((rc = vg_osv_get_arr(imp, e, "ranges", en->at, &ranges, err)) != VG_OK)
		return rc;
	for (size_t i = 0; ranges && i < json_array_size(ranges); i++) {
		const json_t *r = json_array_get(ranges, i);
		const char *type;
		char at[FIELD_MAX];

		vg_osv_fieldf(at, sizeof(at), "%s.ranges[%zu]", en->at, i);
		if (!json_is_object(r))
			return vg_osv_bad_type(imp, err, at, NULL, "an object");
		if ((rc = vg_osv_get_str(imp, r, "type", at, &type, err)) != VG_OK)
			return rc;
		if (type && strcmp(type, "GIT") == 0)
			continue; /* commits, not versions: the versions list stands in */
		if (type && strcmp(type, "SEMVER") == 0)
			rc = map_range(imp, en, r, at, VG_VER_SEMVER, err);
		else if (type && strcmp(type, "ECOSYSTEM") == 0)
			rc = map_range(imp, en, r, at, en->scheme, err);
		else
			vg_osv_warn(imp, at, "unknown range type '%s': skipped",
				    type ? type : "(none)");
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* versions[]: one exact statement per listed version no emitted interval covers. */
static int
map_versions(struct vg_osv_imp *imp, struct entry *en, const json_t *e, struct vg_err *err)
{
	char at[FIELD_MAX];
	json_t *versions;
	int rc;

	if ((rc = vg_osv_get_arr(imp, e, "versions", en->at, &versions, err)) != VG_OK)
		return rc;
	vg_osv_fieldf(at, sizeof(at), "%s.versions", en->at);
	for (size_t i = 0; versions && i < json_array_size(versions); i++) {
		const char *raw, *v;
		char f[FIELD_MAX];
		bool hit = false;
		struct vg_affected a;

		if ((rc = vg_osv_elem_str(imp, versions, i, at, &raw, err)) != VG_OK)
			return rc;
		if (!raw)
			continue;
		vg_osv_fieldf(f, sizeof(f), "%s[%zu]", at, i);
		if (!(v = vg_osv_version(imp, en->scheme, raw, f)))
			continue;
		for (size_t j = 0; j < en->niv && !hit; j++)
			hit = covered(&en->iv[j], en->scheme, v);
		if (hit)
			continue;
		memset(&a, 0, sizeof(a));
		a.ns = en->ns;
		a.package = en->package;
		a.scheme = en->scheme;
		a.status = VG_AFF_AFFECTED;
		a.exact = v;
		if ((rc = vg_osv_emit_affected(imp, &a, err)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
map_entry(struct vg_osv_imp *imp, const json_t *e, const char *at, struct vg_err *err)
{
	struct entry en = {.at = at};
	const char *eco;
	char pat[FIELD_MAX];
	json_t *pkg;
	int rc;

	if (!json_is_object(e))
		return vg_osv_bad_type(imp, err, at, NULL, "an object");
	if ((rc = vg_osv_get_obj(imp, e, "package", at, &pkg, err)) != VG_OK)
		return rc;
	if (!pkg) {
		vg_osv_warn(imp, at, "no package: entry skipped");
		return VG_OK;
	}
	field_name(pat, sizeof(pat), at, "package");
	if ((rc = vg_osv_get_str(imp, pkg, "ecosystem", pat, &eco, err)) != VG_OK ||
	    (rc = vg_osv_get_str(imp, pkg, "name", pat, &en.package, err)) != VG_OK)
		return rc;
	if (!eco || !en.package) {
		vg_osv_warn(imp, pat, "no %s: entry skipped", eco ? "name" : "ecosystem");
		return VG_OK;
	}
	if (vg_osv_ecosystem(imp, eco, &en.ns, &en.scheme) != VG_OK) {
		field_name(pat, sizeof(pat), at, "package.ecosystem");
		vg_osv_warn(imp, pat, "unknown ecosystem '%s': entry skipped", eco);
		return VG_OK;
	}
	rc = map_ranges(imp, &en, e, err);
	if (rc == VG_OK)
		rc = map_versions(imp, &en, e, err);
	free(en.iv);
	return rc;
}

int
vg_osv_map_record(struct vg_osv_imp *imp, const json_t *rec, struct vg_err *err)
{
	struct vg_vuln v;
	json_t *affected;
	const char *id;
	int rc;

	if (!json_is_object(rec))
		return vg_osv_fail(imp, err, VG_EINVAL, NULL, "expected an object");
	if ((rc = vg_osv_get_str(imp, rec, "id", NULL, &id, err)) != VG_OK)
		return rc;
	if (!id)
		return vg_osv_fail(imp, err, VG_EINVAL, "id", "missing");
	imp->id = id;
	memset(&v, 0, sizeof(v));
	v.id = id;
	if ((rc = map_vuln(imp, rec, &v, err)) != VG_OK ||
	    (rc = vg_osv_emit_vuln(imp, &v, err)) != VG_OK)
		return rc;
	if (v.withdrawn)
		return VG_OK; /* withdrawn: the vuln says so, and nothing is affected */
	affected = json_object_get(rec, "affected");
	for (size_t i = 0; i < json_array_size(affected); i++) {
		char at[FIELD_MAX];

		vg_osv_fieldf(at, sizeof(at), "affected[%zu]", i);
		if ((rc = map_entry(imp, json_array_get(affected, i), at, err)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* ---- the OSV JSON importer ---------------------------------------------------- */

/* Members of a record that the mapping reads; others are not even built. */
static const char *const record_keys[] = {
	"id",       "aliases",   "upstream", "summary",  "details",    "published",
	"modified", "withdrawn", "severity", "affected", "references", "database_specific",
};

struct json_import {
	struct vg_osv_imp imp;
	json_t *obj; /* members of a top-level record object, collected */
	bool array;  /* the document is an array of records */
	bool object; /* the document is one record */
};

static enum vg_js_action
json_select(const struct vg_js_path *path, void *ctx)
{
	struct json_import *c = ctx;

	if (path->depth == 0)
		return VG_JS_DESCEND;
	if (path->depth != 1)
		return VG_JS_SKIP;
	if (path->index[0] >= 0) {
		c->array = true;
		return VG_JS_CAPTURE;
	}
	c->object = true;
	for (size_t i = 0; path->key[0] && i < VG_ARRAY_LEN(record_keys); i++)
		if (strcmp(path->key[0], record_keys[i]) == 0)
			return VG_JS_CAPTURE;
	return VG_JS_SKIP;
}

static int
json_record(const struct vg_js_path *path, json_t *value, void *ctx, struct vg_err *err)
{
	struct json_import *c = ctx;
	int rc;

	if (path->index[0] < 0) {
		/* A member of the one top-level record: keep it until the document ends. */
		if (path->key[0] && json_object_set(c->obj, path->key[0], value) != 0)
			return vg_osv_fail(&c->imp, err, VG_EINVAL, path->key[0],
					   "cannot keep member");
		return VG_OK;
	}
	vg_osv_record_start(&c->imp);
	rc = vg_osv_map_record(&c->imp, value, err);
	vg_osv_record_done(&c->imp);
	return rc;
}

static int
osv_json_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct json_import c = {.obj = json_object()};
	struct vg_jstream_ops ops = {.select = json_select, .record = json_record, .ctx = &c};
	int rc;

	vg_osv_imp_init(&c.imp, in, sink, vg_imp_osv_json.format);
	rc = vg_osv_begin(&c.imp, err);
	if (rc == VG_OK) {
		rc = vg_jstream_read(in, &ops, err);
	}
	if (rc == VG_OK && c.object && !c.array) {
		vg_osv_record_start(&c.imp);
		rc = vg_osv_map_record(&c.imp, c.obj, err);
		vg_osv_record_done(&c.imp);
	} else if (rc == VG_OK && !c.array) {
		rc = vg_osv_fail(&c.imp, err, VG_EINVAL, NULL,
				 "expected an OSV record or an array of OSV records");
	}
	if (rc == VG_OK)
		rc = vg_osv_end(&c.imp, err);
	json_decref(c.obj);
	vg_osv_imp_release(&c.imp);
	return rc;
}

/* ---- detection ------------------------------------------------------------------ */

/*
 * Members that only an OSV record has next to "id" (certain), or that it
 * shares with other formats (likely).  NVD's bare "cve" objects also have
 * "id" and "published": their own members rule them out.
 */
static int
osv_keys_score(bool (*has)(const struct vg_sniff *, const char *), const struct vg_sniff *s)
{
	static const char *const sure[] = {"affected", "modified", "schema_version"};
	static const char *const likely[] = {"aliases", "published", "details", "summary",
					     "withdrawn"};
	static const char *const foreign[] = {"sourceIdentifier", "vulnStatus", "descriptions",
					      "cveMetadata", "lastModified"};

	if (!has(s, "id"))
		return 0;
	for (size_t i = 0; i < VG_ARRAY_LEN(foreign); i++)
		if (has(s, foreign[i]))
			return 0;
	for (size_t i = 0; i < VG_ARRAY_LEN(sure); i++)
		if (has(s, sure[i]))
			return 100;
	for (size_t i = 0; i < VG_ARRAY_LEN(likely); i++)
		if (has(s, likely[i]))
			return 60;
	return 0;
}

static bool
has_key(const struct vg_sniff *s, const char *key)
{
	return vg_sniff_key(s, key) >= 0;
}

static bool
has_child_key(const struct vg_sniff *s, const char *key)
{
	return vg_sniff_child_key(s, key);
}

static int
osv_json_probe(const struct vg_sniff *s)
{
	if (s->kind == VG_SNIFF_JSON_OBJECT)
		return osv_keys_score(has_key, s);
	if (s->kind == VG_SNIFF_JSON_ARRAY)
		return osv_keys_score(has_child_key, s);
	return 0;
}

const struct vg_importer vg_imp_osv_json = {
	"osv-json",
	"OSV vulnerability record (JSON), or a JSON array of them",
	osv_json_probe,
	osv_json_import,
};
