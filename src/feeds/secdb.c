/*
 * secdb.c - Alpine and Wolfi security databases ("secdb"), JSON and YAML.
 *
 * One file is one branch of one repository:
 *
 *     distroversion: v3.15        (absent in Wolfi's security.json)
 *     reponame: main
 *     urlprefix: https://dl-cdn.alpinelinux.org/alpine
 *     apkurl: ..., archs: [...]   (ignored)
 *     packages:
 *     - pkg:
 *         name: zsh               (the origin, i.e. source, package)
 *         secfixes:
 *           5.8-r0: [CVE-2019-20044]
 *           "0": [CVE-2016-2781]
 *
 * "V: [C]" says C is fixed in V: an affected statement with status FIXED
 * and fixed = V; the version "0" says the package never was affected
 * (NOT_AFFECTED).  An entry may hold several ids separated by blanks and
 * remarks in parentheses ("CVE-2017-2616 (+ regression fix)"); every id is
 * kept, CVE or not (XSA-123, GHSA-...), and other words are warnings.
 *
 * The namespace is "alpine:3.15" from distroversion "v3.15" ("edge" gives
 * "alpine:edge"), or "wolfi:rolling" when urlprefix is packages.wolfi.dev.
 * The source is "alpine-secdb:v3.15/main" or "wolfi-secdb", REPLACE.
 *
 * vuln-list (aquasecurity) stores one package per file, the same members
 * without "packages": {"name": ..., "secfixes": {...}, "distroversion": ...}.
 * That layout is read too; its source is "alpine-secdb:v3.12/main/<name>",
 * so that importing one package replaces only that package.
 *
 * Both syntaxes stream: JSON through vg_jstream_read(), YAML through
 * libyaml's event parser, which builds one jansson tree per element of
 * "packages" (capped like a JSON record; aliases are refused), so memory
 * is one package.  Packages that come before the members naming the
 * release are held back until those arrive (at most MAX_PENDING).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/alloc.h"
#include "core/version/version.h"
#include "feeds/ids.h"
#include "feeds/importers.h"
#include "feeds/jstream.h"

#define MAX_PENDING 100000 /* packages held back before the release is known */
#define ID_MAX      128    /* longest vulnerability id kept */
#define NAME_MAX_   128    /* longest distroversion / reponame / package in a source name */
#define NODE_COST   64     /* bytes charged per YAML node against the record cap */
#define LOC_MAX     128    /* "packages[N] 'name'" in messages */

struct secdb {
	struct vg_feed_in *in;
	const struct vg_feed_sink *sink;
	const char *format;
	char *distroversion, *reponame, *urlprefix, *name; /* owned header copies */
	json_t *secfixes;  /* top-level "secfixes" of the per-package layout (owned ref) */
	json_t *pending;   /* packages held until the release is known (owned array) */
	long pending_base; /* index in "packages" of pending[0] */
	bool saw_packages;
	bool begun;
	char ns[NAME_MAX_ + 16];
	char source[3 * NAME_MAX_ + 32];
	struct vg_feed_source src;
	uint64_t n;
};

static void warn(const struct secdb *sd, const char *fmt, ...) VG_PRINTF(2, 3);

static void
warn(const struct secdb *sd, const char *fmt, ...)
{
	char msg[512];
	int off;
	va_list ap;

	if (!sd->sink->warn)
		return;
	off = snprintf(msg, sizeof(msg), "%s: ", sd->in->path ? sd->in->path : "secdb");
	if (off < 0 || (size_t)off >= sizeof(msg))
		off = 0;
	va_start(ap, fmt);
	vsnprintf(msg + off, sizeof(msg) - (size_t)off, fmt, ap);
	va_end(ap);
	sd->sink->warn(sd->sink->ctx, msg);
}

/* "packages[3] 'zsh'" or "'ansible'" (per-package layout), for messages. */
static const char *
where(char *buf, size_t cap, long index, const char *name)
{
	if (index >= 0)
		snprintf(buf, cap, "packages[%ld] '%.64s'", index, name ? name : "?");
	else
		snprintf(buf, cap, "'%.64s'", name ? name : "?");
	return buf;
}

/* ---- the release: namespace and source name ---------------------------------- */

/* Letters, digits and ._+- only: the name goes into a source key. */
static bool
safe_name(const char *s)
{
	if (!*s || strlen(s) > NAME_MAX_)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._+-", *s)))
			return false;
	return true;
}

static bool
is_wolfi(const struct secdb *sd)
{
	return sd->urlprefix && strstr(sd->urlprefix, "://packages.wolfi.dev") != NULL;
}

/* "v3.15" -> "alpine:3.15", "edge" -> "alpine:edge". */
static int
alpine_ns(struct secdb *sd, struct vg_err *err)
{
	const char *v = sd->distroversion;
	const char *dot;

	if (strcmp(v, "edge") == 0) {
		snprintf(sd->ns, sizeof(sd->ns), "alpine:edge");
		return VG_OK;
	}
	if (*v == 'v')
		v++;
	dot = strchr(v, '.');
	if (!dot || !vg_id_digits(vg_str_n(v, (size_t)(dot - v))) ||
	    !vg_id_digits(vg_str_c(dot + 1)) || strlen(v) > 16)
		return vg_error(err, VG_EINVAL,
				"invalid 'distroversion' '%.40s' (expected vX.Y or edge)",
				sd->distroversion);
	snprintf(sd->ns, sizeof(sd->ns), "alpine:%s", v);
	return VG_OK;
}

static int
name_source(struct secdb *sd, struct vg_err *err)
{
	struct vg_buf b;
	int rc = VG_OK;

	if (sd->reponame && !safe_name(sd->reponame))
		return vg_error(err, VG_EINVAL, "invalid 'reponame' '%.40s'", sd->reponame);
	if (sd->secfixes && (!sd->name || !safe_name(sd->name)))
		return vg_error(err, VG_EINVAL, "field 'name': %s",
				sd->name ? "not a package name" : "missing beside 'secfixes'");
	vg_buf_init(&b, sizeof(sd->source) - 1);
	if (is_wolfi(sd))
		rc = vg_buf_addstr(&b, "wolfi-secdb");
	else
		rc = vg_buf_addf(&b, "alpine-secdb:%s", sd->distroversion);
	if (rc == VG_OK && !is_wolfi(sd) && sd->reponame)
		rc = vg_buf_addf(&b, "/%s", sd->reponame);
	if (rc == VG_OK && sd->secfixes)
		rc = vg_buf_addf(&b, "/%s", sd->name);
	if (rc == VG_OK)
		snprintf(sd->source, sizeof(sd->source), "%s", b.p);
	vg_buf_release(&b);
	return rc == VG_OK ? VG_OK : vg_error(err, rc, "source name too long");
}

/*
 * begin() once the release is known: early when distroversion and reponame
 * (or Wolfi's urlprefix) have been read, else at the end (@final) with
 * whatever the file held.  Returns 1 when begun, 0 when not yet, or an error.
 */
static int
try_begin(struct secdb *sd, bool final, struct vg_err *err)
{
	int rc;

	if (sd->begun)
		return 1;
	if (!final && !is_wolfi(sd) && !(sd->distroversion && sd->reponame))
		return 0;
	if (is_wolfi(sd)) {
		snprintf(sd->ns, sizeof(sd->ns), "wolfi:rolling");
	} else if (!sd->distroversion) {
		return vg_error(
			err, VG_EINVAL,
			"no 'distroversion', and 'urlprefix' is not Wolfi's: unknown release");
	} else if ((rc = alpine_ns(sd, err)) != VG_OK) {
		return rc;
	}
	if ((rc = name_source(sd, err)) != VG_OK)
		return rc;
	sd->begun = true;
	sd->src = (struct vg_feed_source){
		.name = sd->source,
		.format = sd->format,
		.mode = VG_FEED_REPLACE,
		.path = sd->in->path,
	};
	if (sd->sink->begin && (rc = sd->sink->begin(sd->sink->ctx, &sd->src, err)) != VG_OK)
		return rc;
	return 1;
}

/* ---- statements ---------------------------------------------------------------- */

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * An advisory id "PREFIX-rest": a letter, letters/digits, '-', then
 * letters, digits and ._:- ending in a letter or digit.  "cve-" is written
 * "CVE-" and must then be a well-formed CVE id.  Copies it into @out.
 */
static bool
id_token(struct vg_str t, char *out)
{
	size_t i = 0;

	if (t.len == 0 || t.len >= ID_MAX || !((t.p[0] | 0x20) >= 'a' && (t.p[0] | 0x20) <= 'z'))
		return false;
	while (i < t.len && is_alnum(t.p[i]))
		i++;
	if (i == t.len || t.p[i] != '-' || !is_alnum(t.p[t.len - 1]))
		return false;
	for (; i < t.len; i++)
		if (!is_alnum(t.p[i]) && !strchr("._:-", t.p[i]))
			return false;
	memcpy(out, t.p, t.len);
	out[t.len] = '\0';
	if (t.len > 4 && (out[0] | 0x20) == 'c' && (out[1] | 0x20) == 'v' &&
	    (out[2] | 0x20) == 'e' && out[3] == '-') {
		memcpy(out, "CVE", 3);
		return vg_id_is_cve(vg_str_n(out, t.len));
	}
	return true;
}

struct entry {
	long index;
	const char *name;    /* package */
	const char *version; /* fixed version, or NULL for "0" */
};

static int
statement(struct secdb *sd, const struct entry *e, const char *id, struct vg_err *err)
{
	struct vg_affected a = {
		.vuln_id = id,
		.ns = sd->ns,
		.package = e->name,
		.scheme = VG_VER_APK,
		.status = e->version ? VG_AFF_FIXED : VG_AFF_NOT_AFFECTED,
		.fixed = e->version,
	};

	sd->n++;
	return sd->sink->affected ? sd->sink->affected(sd->sink->ctx, &a, err) : VG_OK;
}

/* One text of a secfixes list: ids separated by blanks, remarks in parentheses. */
static int
entry_text(struct secdb *sd, const struct entry *e, const char *text, struct vg_err *err)
{
	char id[ID_MAX], loc[LOC_MAX];
	const char *p = text;
	int paren = 0, rc;

	for (;;) {
		struct vg_str t;

		while (*p && is_blank(*p))
			p++;
		if (!*p)
			return VG_OK;
		t.p = p;
		while (*p && !is_blank(*p))
			p++;
		t.len = (size_t)(p - t.p);
		if (paren > 0 || t.p[0] == '(') {
			for (size_t i = 0; i < t.len; i++)
				paren += t.p[i] == '(' ? 1 : t.p[i] == ')' ? -1 : 0;
			paren = paren < 0 ? 0 : paren;
			continue;
		}
		while (t.len && strchr(",;.", t.p[t.len - 1]))
			t.len--;
		if (!id_token(t, id)) {
			warn(sd, "%s: secfixes '%s': ignored '%.*s' (not an advisory id)",
			     where(loc, sizeof(loc), e->index, e->name),
			     e->version ? e->version : "0", (int)(t.len > 60 ? 60 : t.len), t.p);
			continue;
		}
		if ((rc = statement(sd, e, id, err)) != VG_OK)
			return rc;
	}
}

static int
secfix(struct secdb *sd, struct entry *e, const char *version, const json_t *list,
       struct vg_err *err)
{
	struct vg_err verr;
	char loc[LOC_MAX];
	const json_t *item;
	size_t i;
	int rc;

	where(loc, sizeof(loc), e->index, e->name);
	e->version = strcmp(version, "0") == 0 ? NULL : version;
	if (e->version && vg_ver_validate(VG_VER_APK, vg_str_c(version), &verr) != VG_OK) {
		warn(sd, "%s: secfixes version '%.60s' skipped: %s", loc, version, verr.msg);
		return VG_OK;
	}
	if (json_is_string(list))
		return entry_text(sd, e, json_string_value(list), err);
	if (!json_is_array(list)) {
		if (!json_is_null(list))
			warn(sd, "%s: secfixes '%.60s': not a list, skipped", loc, version);
		return VG_OK;
	}
	json_array_foreach(list, i, item)
	{
		if (!json_is_string(item)) {
			if (!json_is_null(item))
				warn(sd, "%s: secfixes '%.60s'[%zu]: not a string, skipped", loc,
				     version, i);
			continue;
		}
		if ((rc = entry_text(sd, e, json_string_value(item), err)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
secfixes(struct secdb *sd, long index, const char *name, json_t *fixes, struct vg_err *err)
{
	struct entry e = {.index = index, .name = name};
	const char *version;
	json_t *list;
	char loc[LOC_MAX];
	int rc;

	if (json_is_null(fixes) || !fixes)
		return VG_OK;
	if (!json_is_object(fixes))
		return vg_error(err, VG_EINVAL, "%s: field 'secfixes': expected a mapping",
				where(loc, sizeof(loc), index, name));
	json_object_foreach(fixes, version, list)
	{
		if ((rc = secfix(sd, &e, version, list, err)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

/* One element of "packages": {"pkg": {"name": ..., "secfixes": {...}}}. */
static int
emit_package(struct secdb *sd, long index, const json_t *item, struct vg_err *err)
{
	const char *bad = NULL, *name;
	json_t *pkg;

	if (!json_is_object(item) || !(pkg = vg_js_obj(item, "pkg", &bad)))
		return vg_error(err, VG_EINVAL, "packages[%ld]: field 'pkg': expected a mapping",
				index);
	name = vg_js_str(pkg, "name", &bad);
	if (!name || !*name)
		return vg_error(err, VG_EINVAL, "packages[%ld]: field 'pkg.name': %s", index,
				bad ? "expected a string" : "missing");
	return secfixes(sd, index, name, json_object_get(pkg, "secfixes"), err);
}

static int
flush_pending(struct secdb *sd, struct vg_err *err)
{
	json_t *item;
	size_t i;
	int rc = VG_OK;

	if (!sd->pending)
		return VG_OK;
	json_array_foreach(sd->pending, i, item)
	{
		if ((rc = emit_package(sd, sd->pending_base + (long)i, item, err)) != VG_OK)
			break;
	}
	json_decref(sd->pending);
	sd->pending = NULL;
	return rc;
}

/* An element of "packages" (borrowed). */
static int
package(struct secdb *sd, long index, json_t *item, struct vg_err *err)
{
	int rc;

	if (sd->secfixes)
		return vg_error(err, VG_EINVAL, "both 'packages' and a top-level 'secfixes'");
	sd->saw_packages = true;
	rc = try_begin(sd, false, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		if (!sd->pending) {
			sd->pending = json_array();
			sd->pending_base = index;
		}
		if (json_array_size(sd->pending) >= MAX_PENDING)
			return vg_error(
				err, VG_ETOOBIG,
				"more than %d packages before 'distroversion' and 'reponame'",
				MAX_PENDING);
		json_array_append(sd->pending, item);
		return VG_OK;
	}
	if ((rc = flush_pending(sd, err)) != VG_OK)
		return rc;
	return emit_package(sd, index, item, err);
}

/* ---- header members --------------------------------------------------------------- */

static int
header_string(struct secdb *sd, const char *key, const json_t *v, char **out, struct vg_err *err)
{
	if (json_is_null(v))
		return VG_OK;
	if (!json_is_string(v))
		return vg_error(err, VG_EINVAL, "field '%s': expected a string", key);
	if (sd->begun) {
		warn(sd, "field '%s' after the packages is ignored", key);
		return VG_OK;
	}
	free(*out);
	*out = vg_xstrdup(json_string_value(v));
	return VG_OK;
}

static bool
is_header_key(const char *key)
{
	return strcmp(key, "distroversion") == 0 || strcmp(key, "reponame") == 0 ||
	       strcmp(key, "urlprefix") == 0 || strcmp(key, "name") == 0 ||
	       strcmp(key, "secfixes") == 0;
}

/* A top-level member named by is_header_key() (borrowed value). */
static int
header(struct secdb *sd, const char *key, json_t *v, struct vg_err *err)
{
	if (strcmp(key, "distroversion") == 0)
		return header_string(sd, key, v, &sd->distroversion, err);
	if (strcmp(key, "reponame") == 0)
		return header_string(sd, key, v, &sd->reponame, err);
	if (strcmp(key, "urlprefix") == 0)
		return header_string(sd, key, v, &sd->urlprefix, err);
	if (strcmp(key, "name") == 0)
		return header_string(sd, key, v, &sd->name, err);
	/* "secfixes": the per-package layout, emitted at the end. */
	if (json_is_null(v))
		return VG_OK;
	if (!json_is_object(v))
		return vg_error(err, VG_EINVAL, "field 'secfixes': expected a mapping");
	if (sd->saw_packages || sd->secfixes)
		return vg_error(err, VG_EINVAL, "both 'packages' and a top-level 'secfixes'");
	sd->secfixes = json_incref(v);
	return VG_OK;
}

static int
finish(struct secdb *sd, struct vg_err *err)
{
	int rc = try_begin(sd, true, err);

	if (rc < 0)
		return rc;
	if ((rc = flush_pending(sd, err)) != VG_OK)
		return rc;
	if (sd->secfixes && (rc = secfixes(sd, -1, sd->name, sd->secfixes, err)) != VG_OK)
		return rc;
	if (!sd->saw_packages && !sd->secfixes)
		warn(sd, "no package in the file");
	return sd->sink->end ? sd->sink->end(sd->sink->ctx, &sd->src, sd->n, err) : VG_OK;
}

static void
secdb_release(struct secdb *sd)
{
	free(sd->distroversion);
	free(sd->reponame);
	free(sd->urlprefix);
	free(sd->name);
	json_decref(sd->secfixes);
	json_decref(sd->pending);
}

/* ---- JSON ---------------------------------------------------------------------------- */

static enum vg_js_action
json_select(const struct vg_js_path *path, void *ctx)
{
	(void)ctx;
	if (path->depth == 0)
		return VG_JS_DESCEND;
	if (!path->key[0])
		return VG_JS_SKIP;
	if (path->depth == 1) {
		if (strcmp(path->key[0], "packages") == 0)
			return VG_JS_DESCEND;
		return is_header_key(path->key[0]) ? VG_JS_CAPTURE : VG_JS_SKIP;
	}
	if (path->depth == 2 && strcmp(path->key[0], "packages") == 0)
		return VG_JS_CAPTURE;
	return VG_JS_SKIP;
}

static int
json_record(const struct vg_js_path *path, json_t *value, void *ctx, struct vg_err *err)
{
	struct secdb *sd = ctx;

	if (path->depth == 1)
		return header(sd, path->key[0], value, err);
	if (path->key[1] || path->index[1] < 0)
		return vg_error(err, VG_EINVAL, "field 'packages': expected an array");
	return package(sd, path->index[1], value, err);
}

static int
secdb_json_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct secdb sd = {.in = in, .sink = sink, .format = "secdb-json"};
	struct vg_jstream_ops ops = {.select = json_select, .record = json_record, .ctx = &sd};
	int rc = vg_jstream_read(in, &ops, err);

	if (rc == VG_OK)
		rc = finish(&sd, err);
	secdb_release(&sd);
	return rc;
}

static int
secdb_json_probe(const struct vg_sniff *s)
{
	bool meta;

	if (s->kind != VG_SNIFF_JSON_OBJECT)
		return 0;
	meta = vg_sniff_key(s, "distroversion") >= 0 || vg_sniff_key(s, "apkurl") >= 0 ||
	       vg_sniff_key(s, "urlprefix") >= 0;
	if (!meta)
		return 0;
	if (vg_sniff_key(s, "packages") >= 0)
		return 100;
	if (vg_sniff_key(s, "secfixes") >= 0 && vg_sniff_key(s, "name") >= 0)
		return 100;
	return 0;
}

/* ---- YAML ----------------------------------------------------------------------------- */

struct yreader {
	yaml_parser_t parser;
	struct vg_feed_in *in;
	int iorc;            /* error of the read callback, VG_OK otherwise */
	struct vg_err ioerr; /* its message */
	size_t budget;       /* bytes left for the tree being built */
};

static int
yread(void *data, unsigned char *buf, size_t size, size_t *got)
{
	struct yreader *y = data;
	int rc = vg_feed_in_read(y->in, buf, size, got, &y->ioerr);

	if (rc != VG_OK) {
		y->iorc = rc;
		return 0;
	}
	return 1;
}

/* Next event into @ev (which the caller deletes), or an error naming the position. */
static int
ynext(struct yreader *y, yaml_event_t *ev, struct vg_err *err)
{
	if (yaml_parser_parse(&y->parser, ev))
		return VG_OK;
	if (y->iorc != VG_OK) {
		if (err)
			*err = y->ioerr;
		return y->iorc;
	}
	return vg_error(err, VG_EINVAL, "yaml: %s at line %lu, column %lu",
			y->parser.problem ? y->parser.problem : "syntax error",
			(unsigned long)y->parser.problem_mark.line + 1,
			(unsigned long)y->parser.problem_mark.column + 1);
}

static unsigned long
yline(const yaml_event_t *ev)
{
	return (unsigned long)ev->start_mark.line + 1;
}

static bool
plain_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return n == 0 || (n == 1 && v[0] == '~') ||
	       (n == 4 && (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 ||
			   memcmp(v, "NULL", 4) == 0));
}

static int
charge(struct yreader *y, size_t bytes, const yaml_event_t *ev, struct vg_err *err)
{
	if (bytes > y->budget)
		return vg_error(err, VG_ETOOBIG, "yaml: line %lu: record larger than %d bytes",
				yline(ev), VG_FEED_MAX_RECORD);
	y->budget -= bytes;
	return VG_OK;
}

static int build(struct yreader *y, yaml_event_t *ev, int depth, json_t **out, struct vg_err *err);

static int
build_scalar(struct yreader *y, const yaml_event_t *ev, json_t **out, struct vg_err *err)
{
	int rc = charge(y, ev->data.scalar.length + NODE_COST, ev, err);

	if (rc != VG_OK)
		return rc;
	if (plain_null(ev)) {
		*out = json_null();
		return VG_OK;
	}
	*out = json_stringn((const char *)ev->data.scalar.value, ev->data.scalar.length);
	if (!*out)
		return vg_error(err, VG_EINVAL, "yaml: line %lu: string is not valid UTF-8",
				yline(ev));
	return VG_OK;
}

static int
build_sequence(struct yreader *y, int depth, json_t *arr, struct vg_err *err)
{
	for (;;) {
		yaml_event_t ev;
		json_t *item;
		int rc = ynext(y, &ev, err);

		if (rc != VG_OK)
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return VG_OK;
		}
		if ((rc = build(y, &ev, depth + 1, &item, err)) != VG_OK)
			return rc;
		json_array_append_new(arr, item);
	}
}

static int
build_mapping(struct yreader *y, int depth, json_t *obj, struct vg_err *err)
{
	for (;;) {
		yaml_event_t ev;
		json_t *val;
		char *key;
		int rc = ynext(y, &ev, err);

		if (rc != VG_OK)
			return rc;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return VG_OK;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			rc = vg_error(err, VG_EUNSUPPORTED,
				      "yaml: line %lu: a key that is not a string", yline(&ev));
			yaml_event_delete(&ev);
			return rc;
		}
		key = vg_xmemdupz(ev.data.scalar.value, ev.data.scalar.length);
		rc = charge(y, ev.data.scalar.length + NODE_COST, &ev, err);
		yaml_event_delete(&ev);
		if (rc == VG_OK && (rc = ynext(y, &ev, err)) == VG_OK &&
		    (rc = build(y, &ev, depth + 1, &val, err)) == VG_OK)
			json_object_set_new(obj, key, val);
		free(key);
		if (rc != VG_OK)
			return rc;
	}
}

/* Turn the node that starts with @ev (consumed) into a jansson tree (caller decrefs). */
static int
build(struct yreader *y, yaml_event_t *ev, int depth, json_t **out, struct vg_err *err)
{
	yaml_event_type_t type = ev->type;
	unsigned long line = yline(ev);
	int rc;

	*out = NULL;
	if (depth >= VG_JS_MAX_DEPTH) {
		yaml_event_delete(ev);
		return vg_error(err, VG_ETOOBIG, "yaml: line %lu: nesting deeper than %d", line,
				VG_JS_MAX_DEPTH);
	}
	if (type == YAML_SCALAR_EVENT) {
		rc = build_scalar(y, ev, out, err);
		yaml_event_delete(ev);
		return rc;
	}
	yaml_event_delete(ev);
	if (type == YAML_ALIAS_EVENT)
		return vg_error(err, VG_EUNSUPPORTED, "yaml: line %lu: aliases are not supported",
				line);
	if (type != YAML_SEQUENCE_START_EVENT && type != YAML_MAPPING_START_EVENT)
		return vg_error(err, VG_EINVAL, "yaml: line %lu: expected a value", line);
	if (y->budget < NODE_COST)
		return vg_error(err, VG_ETOOBIG, "yaml: line %lu: record larger than %d bytes",
				line, VG_FEED_MAX_RECORD);
	y->budget -= NODE_COST;
	*out = type == YAML_SEQUENCE_START_EVENT ? json_array() : json_object();
	rc = type == YAML_SEQUENCE_START_EVENT ? build_sequence(y, depth, *out, err)
					       : build_mapping(y, depth, *out, err);
	if (rc != VG_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* Build the next value as one record (its own size budget). */
static int
build_record(struct yreader *y, yaml_event_t *ev, json_t **out, struct vg_err *err)
{
	y->budget = VG_FEED_MAX_RECORD;
	return build(y, ev, 1, out, err);
}

/* Skip the node that starts with @ev (consumed), without building it. */
static int
skip(struct yreader *y, yaml_event_t *ev, struct vg_err *err)
{
	int depth = 0, rc = VG_OK;

	for (;;) {
		if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev->type == YAML_SEQUENCE_END_EVENT || ev->type == YAML_MAPPING_END_EVENT)
			depth--;
		yaml_event_delete(ev);
		if (depth <= 0 || (rc = ynext(y, ev, err)) != VG_OK)
			return rc;
	}
}

static int
yaml_packages(struct secdb *sd, struct yreader *y, struct vg_err *err)
{
	yaml_event_t ev;
	long index = 0;
	int rc = ynext(y, &ev, err);

	if (rc != VG_OK)
		return rc;
	if (ev.type == YAML_SCALAR_EVENT && plain_null(&ev)) {
		yaml_event_delete(&ev);
		return VG_OK;
	}
	if (ev.type != YAML_SEQUENCE_START_EVENT) {
		rc = vg_error(err, VG_EINVAL, "yaml: line %lu: field 'packages': expected a list",
			      yline(&ev));
		yaml_event_delete(&ev);
		return rc;
	}
	yaml_event_delete(&ev);
	for (;;) {
		json_t *item;

		if ((rc = ynext(y, &ev, err)) != VG_OK)
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return VG_OK;
		}
		if ((rc = build_record(y, &ev, &item, err)) != VG_OK)
			return rc;
		rc = package(sd, index++, item, err);
		json_decref(item);
		if (rc != VG_OK)
			return rc;
	}
}

/* One top-level member, its key already read. */
static int
yaml_member(struct secdb *sd, struct yreader *y, const char *key, struct vg_err *err)
{
	yaml_event_t ev;
	json_t *v;
	int rc;

	if (strcmp(key, "packages") == 0)
		return yaml_packages(sd, y, err);
	if ((rc = ynext(y, &ev, err)) != VG_OK)
		return rc;
	if (!is_header_key(key))
		return skip(y, &ev, err);
	if ((rc = build_record(y, &ev, &v, err)) != VG_OK)
		return rc;
	rc = header(sd, key, v, err);
	json_decref(v);
	return rc;
}

/* Next event, which must be of @type. */
static int
yexpect(struct yreader *y, yaml_event_type_t type, const char *what, struct vg_err *err)
{
	yaml_event_t ev;
	int rc = ynext(y, &ev, err);

	if (rc != VG_OK)
		return rc;
	if (ev.type != type)
		rc = vg_error(err, VG_EINVAL, "yaml: line %lu: expected %s", yline(&ev), what);
	yaml_event_delete(&ev);
	return rc;
}

static int
yaml_document(struct secdb *sd, struct yreader *y, struct vg_err *err)
{
	int rc;

	if ((rc = yexpect(y, YAML_STREAM_START_EVENT, "a document", err)) != VG_OK ||
	    (rc = yexpect(y, YAML_DOCUMENT_START_EVENT, "a document", err)) != VG_OK ||
	    (rc = yexpect(y, YAML_MAPPING_START_EVENT, "a mapping at the top", err)) != VG_OK)
		return rc;
	for (;;) {
		yaml_event_t ev;
		char *key;

		if ((rc = ynext(y, &ev, err)) != VG_OK)
			return rc;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			rc = vg_error(err, VG_EINVAL, "yaml: line %lu: a key that is not a string",
				      yline(&ev));
			yaml_event_delete(&ev);
			return rc;
		}
		key = vg_xmemdupz(ev.data.scalar.value, ev.data.scalar.length);
		yaml_event_delete(&ev);
		rc = yaml_member(sd, y, key, err);
		free(key);
		if (rc != VG_OK)
			return rc;
	}
	if ((rc = yexpect(y, YAML_DOCUMENT_END_EVENT, "the end of the document", err)) != VG_OK)
		return rc;
	return yexpect(y, YAML_STREAM_END_EVENT, "a single document", err);
}

static int
secdb_yaml_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct secdb sd = {.in = in, .sink = sink, .format = "secdb-yaml"};
	struct yreader y = {.in = in};
	int rc;

	if (!yaml_parser_initialize(&y.parser))
		return vg_error(err, VG_ENOMEM, "yaml: cannot initialise the parser");
	yaml_parser_set_input(&y.parser, yread, &y);
	rc = yaml_document(&sd, &y, err);
	if (rc == VG_OK)
		rc = finish(&sd, err);
	yaml_parser_delete(&y.parser);
	secdb_release(&sd);
	return rc;
}

/* Does some line of the head start with "@key:" at column 0? */
static bool
head_key(const struct vg_sniff *s, const char *key)
{
	struct vg_str head = vg_str_n(s->head, s->len), line;
	size_t pos = 0, n = strlen(key);

	while (vg_str_next_line(head, &pos, &line))
		if (line.len > n && memcmp(line.p, key, n) == 0 && line.p[n] == ':' &&
		    (line.len == n + 1 || is_blank(line.p[n + 1])))
			return true;
	return false;
}

static int
secdb_yaml_probe(const struct vg_sniff *s)
{
	bool meta;

	if (s->kind != VG_SNIFF_TEXT || !s->head)
		return 0;
	meta = head_key(s, "distroversion") || head_key(s, "apkurl") || head_key(s, "urlprefix");
	if (!meta)
		return 0;
	if (head_key(s, "packages") || (head_key(s, "secfixes") && head_key(s, "name")))
		return 100;
	return 0;
}

const struct vg_importer vg_imp_secdb_json = {
	.format = "secdb-json",
	.description = "Alpine / Wolfi security database (secdb JSON)",
	.probe = secdb_json_probe,
	.import = secdb_json_import,
};

const struct vg_importer vg_imp_secdb_yaml = {
	.format = "secdb-yaml",
	.description = "Alpine security database (secdb YAML)",
	.probe = secdb_yaml_probe,
	.import = secdb_yaml_import,
};
