/*
 * kev.c - the CISA Known Exploited Vulnerabilities catalog
 * (known_exploited_vulnerabilities.json, cisagov/kev-data).
 *
 *     {"title": ..., "catalogVersion": "2025.08.25",
 *      "dateReleased": "2025-08-25T17:04:19.9796Z", "count": 1404,
 *      "vulnerabilities": [{"cveID": "CVE-2025-48384", ...}, ...]}
 *
 * The catalog is streamed: the header members arrive first (CISA writes
 * them first) and become the source's version and snapshot; each element
 * of "vulnerabilities" is one struct vg_kev.  A header that comes after the
 * records is too late for begin(), which then gets NULLs.
 *
 * Checks (the catalog's JSON schema): cveID is CVE-YYYY-NNNN+, dateAdded
 * and dueDate are YYYY-MM-DD dates, the text members are strings; a record
 * that breaks one stops the import naming its index, its id and the
 * member.  A missing text member and a CWE entry that is not CWE-N are
 * warnings.  "count" must equal the records read (a warning otherwise),
 * and a catalog without any record is refused unless it says count 0, so
 * that a damaged file cannot empty the store's KEV data.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "feeds/ids.h"
#include "feeds/importers.h"
#include "feeds/jstream.h"

#define FORMAT "kev-json"

struct kev {
	struct vg_feed_in *in;
	const struct vg_feed_sink *sink;
	struct vg_feed_source src;
	char *version;  /* catalogVersion (owned) */
	char *released; /* dateReleased (owned) */
	json_int_t count;
	bool have_count;
	bool begun;
	uint64_t n;
	const char **cwes; /* per-record scratch, grown as needed (owned array) */
	size_t cwes_cap;
};

static void warn(const struct kev *k, const char *fmt, ...) VG_PRINTF(2, 3);

static void
warn(const struct kev *k, const char *fmt, ...)
{
	char msg[512];
	int off;
	va_list ap;

	if (!k->sink->warn)
		return;
	off = snprintf(msg, sizeof(msg), "%s: ", k->in->path ? k->in->path : "kev");
	if (off < 0 || (size_t)off >= sizeof(msg))
		off = 0;
	va_start(ap, fmt);
	vsnprintf(msg + off, sizeof(msg) - (size_t)off, fmt, ap);
	va_end(ap);
	k->sink->warn(k->sink->ctx, msg);
}

static int
begin(struct kev *k, struct vg_err *err)
{
	k->begun = true;
	k->src = (struct vg_feed_source){
		.name = "kev",
		.format = FORMAT,
		.mode = VG_FEED_REPLACE,
		.version = k->version,
		.snapshot = k->released,
		.path = k->in->path,
	};
	return k->sink->begin ? k->sink->begin(k->sink->ctx, &k->src, err) : VG_OK;
}

/* ---- header ------------------------------------------------------------------ */

static int
header_string(struct kev *k, const char *key, json_t *v, char **out, struct vg_err *err)
{
	if (json_is_null(v))
		return VG_OK;
	if (!json_is_string(v))
		return vg_error(err, VG_EINVAL, "field '%s': expected a string", key);
	if (k->begun) {
		warn(k, "field '%s' after the records is ignored", key);
		return VG_OK;
	}
	if (!*out && json_string_length(v) > 0)
		*out = vg_xstrdup(json_string_value(v));
	return VG_OK;
}

static int
header(struct kev *k, const char *key, json_t *v, struct vg_err *err)
{
	if (strcmp(key, "catalogVersion") == 0)
		return header_string(k, key, v, &k->version, err);
	if (strcmp(key, "dateReleased") == 0)
		return header_string(k, key, v, &k->released, err);
	if (strcmp(key, "count") == 0) {
		if (json_is_integer(v) && json_integer_value(v) >= 0) {
			k->count = json_integer_value(v);
			k->have_count = true;
		} else if (!json_is_null(v)) {
			warn(k, "field 'count' is not a non-negative integer: not checked");
		}
	}
	return VG_OK;
}

/* ---- records ----------------------------------------------------------------- */

/* Optional text member: NULL when absent or empty; VG_EINVAL when not a string. */
static int
text(const json_t *obj, const char *key, const char **out)
{
	const char *bad = NULL;

	*out = vg_js_str(obj, key, &bad);
	if (bad)
		return VG_EINVAL;
	if (*out && !**out)
		*out = NULL;
	return VG_OK;
}

static int
record_error(long index, const char *id, const char *key, const char *what, struct vg_err *err)
{
	if (id)
		return vg_error(err, VG_EINVAL, "vulnerabilities[%ld] (%s): field '%s': %s", index,
				id, key, what);
	return vg_error(err, VG_EINVAL, "vulnerabilities[%ld]: field '%s': %s", index, key, what);
}

/* A required YYYY-MM-DD member. */
static int
date(const json_t *obj, long index, const char *id, const char *key, const char **out,
     struct vg_err *err)
{
	char what[96];

	if (text(obj, key, out) != VG_OK)
		return record_error(index, id, key, "expected a string", err);
	if (!*out)
		return record_error(index, id, key, "missing", err);
	if (!vg_id_is_date(vg_str_c(*out))) {
		snprintf(what, sizeof(what), "invalid date '%.40s' (expected YYYY-MM-DD)", *out);
		return record_error(index, id, key, what, err);
	}
	return VG_OK;
}

static int
cwes(struct kev *k, const json_t *obj, long index, struct vg_kev *rec, struct vg_err *err)
{
	const char *bad = NULL;
	json_t *arr = vg_js_arr(obj, "cwes", &bad), *item;
	size_t i;

	rec->cwes = NULL;
	rec->ncwes = 0;
	if (bad)
		return record_error(index, rec->cve_id, "cwes", "expected an array", err);
	if (!arr)
		return VG_OK;
	if (json_array_size(arr) > k->cwes_cap) {
		k->cwes_cap = json_array_size(arr);
		k->cwes = vg_xreallocarray(k->cwes, k->cwes_cap, sizeof(*k->cwes));
	}
	json_array_foreach(arr, i, item)
	{
		const char *s = json_string_value(item);

		if (!s || strncmp(s, "CWE-", 4) != 0 || !vg_id_digits(vg_str_c(s + 4))) {
			warn(k,
			     "vulnerabilities[%ld] (%s): field 'cwes[%zu]': not a CWE id, dropped",
			     index, rec->cve_id, i);
			continue;
		}
		k->cwes[rec->ncwes++] = s;
	}
	rec->cwes = rec->ncwes ? k->cwes : NULL;
	return VG_OK;
}

/* The descriptive members: wrong types are errors, absent ones warnings (schema: required). */
static int
texts(struct kev *k, const json_t *obj, long index, struct vg_kev *rec, struct vg_err *err)
{
	static const char *const keys[] = {"vendorProject", "product", "vulnerabilityName",
					   "requiredAction", "shortDescription"};
	const char **out[] = {&rec->vendor, &rec->product, &rec->name, &rec->required_action,
			      &rec->description};

	for (size_t i = 0; i < VG_ARRAY_LEN(keys); i++) {
		if (text(obj, keys[i], out[i]) != VG_OK)
			return record_error(index, rec->cve_id, keys[i], "expected a string", err);
		if (!*out[i])
			warn(k, "vulnerabilities[%ld] (%s): field '%s' missing", index, rec->cve_id,
			     keys[i]);
	}
	return VG_OK;
}

static int
ransomware(struct kev *k, const json_t *obj, long index, struct vg_kev *rec, struct vg_err *err)
{
	const char *use;

	if (text(obj, "knownRansomwareCampaignUse", &use) != VG_OK)
		return record_error(index, rec->cve_id, "knownRansomwareCampaignUse",
				    "expected a string", err);
	rec->ransomware = use && strcmp(use, "Known") == 0;
	if (use && !rec->ransomware && strcmp(use, "Unknown") != 0)
		warn(k,
		     "vulnerabilities[%ld] (%s): field 'knownRansomwareCampaignUse': "
		     "'%.40s' is neither 'Known' nor 'Unknown', taken as 'Unknown'",
		     index, rec->cve_id, use);
	return VG_OK;
}

static int
vulnerability(struct kev *k, long index, const json_t *obj, struct vg_err *err)
{
	struct vg_kev rec = {0};
	char what[96];
	int rc;

	if (!json_is_object(obj))
		return vg_error(err, VG_EINVAL, "vulnerabilities[%ld]: expected an object", index);
	if (text(obj, "cveID", &rec.cve_id) != VG_OK)
		return record_error(index, NULL, "cveID", "expected a string", err);
	if (!rec.cve_id)
		return record_error(index, NULL, "cveID", "missing", err);
	if (!vg_id_is_cve(vg_str_c(rec.cve_id))) {
		snprintf(what, sizeof(what), "invalid CVE id '%.40s'", rec.cve_id);
		return record_error(index, NULL, "cveID", what, err);
	}
	if ((rc = date(obj, index, rec.cve_id, "dateAdded", &rec.date_added, err)) != VG_OK ||
	    (rc = date(obj, index, rec.cve_id, "dueDate", &rec.due_date, err)) != VG_OK ||
	    (rc = texts(k, obj, index, &rec, err)) != VG_OK ||
	    (rc = ransomware(k, obj, index, &rec, err)) != VG_OK ||
	    (rc = cwes(k, obj, index, &rec, err)) != VG_OK)
		return rc;
	k->n++;
	return k->sink->kev ? k->sink->kev(k->sink->ctx, &rec, err) : VG_OK;
}

/* ---- streaming ----------------------------------------------------------------- */

static bool
is_header_key(const char *key)
{
	return strcmp(key, "catalogVersion") == 0 || strcmp(key, "dateReleased") == 0 ||
	       strcmp(key, "count") == 0;
}

static enum vg_js_action
kev_select(const struct vg_js_path *path, void *ctx)
{
	(void)ctx;
	if (path->depth == 0)
		return VG_JS_DESCEND;
	if (!path->key[0])
		return VG_JS_SKIP; /* a top-level array is not a catalog */
	if (path->depth == 1) {
		if (strcmp(path->key[0], "vulnerabilities") == 0)
			return VG_JS_DESCEND;
		return is_header_key(path->key[0]) ? VG_JS_CAPTURE : VG_JS_SKIP;
	}
	/* Members of a "vulnerabilities" object are captured to be refused. */
	if (path->depth == 2 && strcmp(path->key[0], "vulnerabilities") == 0)
		return VG_JS_CAPTURE;
	return VG_JS_SKIP;
}

static int
kev_record(const struct vg_js_path *path, json_t *value, void *ctx, struct vg_err *err)
{
	struct kev *k = ctx;
	int rc;

	if (path->depth == 1)
		return header(k, path->key[0], value, err);
	if (path->key[1] || path->index[1] < 0)
		return vg_error(err, VG_EINVAL, "field 'vulnerabilities': expected an array");
	if (!k->begun && (rc = begin(k, err)) != VG_OK)
		return rc;
	return vulnerability(k, path->index[1], value, err);
}

static int
finish(struct kev *k, struct vg_err *err)
{
	int rc;

	if (k->n == 0 && !(k->have_count && k->count == 0))
		return vg_error(err, VG_EINVAL,
				"no record in 'vulnerabilities' (a catalog without records must "
				"say \"count\": 0)");
	if (!k->begun && (rc = begin(k, err)) != VG_OK)
		return rc;
	if (!k->have_count)
		warn(k, "no 'count' in the catalog: the number of records was not checked");
	else if ((uint64_t)k->count != k->n)
		warn(k, "'count' is %lld but the catalog holds %llu records", (long long)k->count,
		     (unsigned long long)k->n);
	return k->sink->end ? k->sink->end(k->sink->ctx, &k->src, k->n, err) : VG_OK;
}

static int
kev_probe(const struct vg_sniff *s)
{
	if (s->kind != VG_SNIFF_JSON_OBJECT)
		return 0;
	if (vg_sniff_key(s, "catalogVersion") >= 0 && vg_sniff_key(s, "vulnerabilities") >= 0)
		return 100;
	/* The header alone (the array past the sniffed bytes): still the catalog. */
	if (vg_sniff_key(s, "catalogVersion") >= 0 && vg_sniff_key(s, "dateReleased") >= 0)
		return 80;
	return 0;
}

static int
kev_import(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct kev k = {.in = in, .sink = sink};
	struct vg_jstream_ops ops = {
		.select = kev_select,
		.record = kev_record,
		.ctx = &k,
	};
	int rc = vg_jstream_read(in, &ops, err);

	if (rc == VG_OK)
		rc = finish(&k, err);
	free(k.cwes);
	free(k.version);
	free(k.released);
	return rc;
}

const struct vg_importer vg_imp_kev = {
	.format = FORMAT,
	.description = "CISA Known Exploited Vulnerabilities catalog (JSON)",
	.probe = kev_probe,
	.import = kev_import,
};
