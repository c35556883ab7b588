/*
 * debian_json.c - the Debian security tracker in JSON: the tracker's own
 * export (https://security-tracker.debian.org/tracker/data/json, source
 * "debian-tracker") and the per-record files of aquasecurity's
 * vuln-list-debian mirror (source "debian-vulnlist").
 *
 * The export is one object: source package -> CVE (or TEMP-) id -> {
 * description, scope, debianbug, releases: codename -> { status,
 * repositories, fixed_version, urgency, nodsa, nodsa_reason } }.  It is
 * streamed with vg_jstream_read(), capturing one package/CVE pair at a
 * time, so memory stays at one record (plus the set of CVE ids already
 * described, so that each vulnerability is handed over once).
 *
 * vuln-list-debian stores data/CVE/list, data/DSA/list and data/DLA/list
 * one record per file ({"Header": ..., "Annotations": [...]}) in the
 * words of the text lists, so those go through the same annotation
 * mapping as debian_list.c (debian.h).  Its other files carry no
 * statements: distributions.json (codename -> major version, checked
 * against Vigil's table) and source/, updates-source/ (the Sources
 * stanza of one package in one release).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "feeds/debian.h"
#include "feeds/importers.h"
#include "feeds/jstream.h"

/* ---- a set of ids --------------------------------------------------------- */

/* Open addressing over owned strings; grows at half load. */
struct idset {
	char **slot;
	size_t cap, n;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
idset_grow(struct idset *set)
{
	size_t cap = set->cap ? 2 * set->cap : 1024;
	char **slot = vg_xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < set->cap; i++) {
		if (set->slot[i] == NULL)
			continue;
		size_t j = hash_str(set->slot[i]) & (cap - 1);
		while (slot[j] != NULL)
			j = (j + 1) & (cap - 1);
		slot[j] = set->slot[i];
	}
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
}

/* Add @s; false when it was already there. */
static bool
idset_add(struct idset *set, const char *s)
{
	if (2 * (set->n + 1) > set->cap)
		idset_grow(set);
	size_t j = hash_str(s) & (set->cap - 1);
	while (set->slot[j] != NULL) {
		if (strcmp(set->slot[j], s) == 0)
			return false;
		j = (j + 1) & (set->cap - 1);
	}
	set->slot[j] = vg_xstrdup(s);
	set->n++;
	return true;
}

static void
idset_release(struct idset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

/* ---- shared ---------------------------------------------------------------- */

static int
begin_source(struct vg_debian_imp *imp, struct vg_feed_source *src, const char *name,
	     const struct vg_importer *imp_def, enum vg_feed_mode mode, const char *path,
	     struct vg_err *err)
{
	memset(src, 0, sizeof(*src));
	src->name = name;
	src->format = imp_def->format;
	src->mode = mode;
	src->path = path;
	if (imp->sink->begin == NULL)
		return VG_OK;
	return imp->sink->begin(imp->sink->ctx, src, err);
}

static int
end_source(struct vg_debian_imp *imp, struct vg_feed_source *src, struct vg_err *err)
{
	imp->record = NULL;
	imp->line = 0;
	vg_debian_summary(imp);
	if (imp->sink->end == NULL)
		return VG_OK;
	return imp->sink->end(imp->sink->ctx, src, imp->nrecords, err);
}

/* A string member, NULL when absent or null; *@bad set when it has another type. */
static const char *
opt_str(const json_t *obj, const char *key, bool *bad)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = true;
		return NULL;
	}
	return json_string_value(v);
}

/* ---- the tracker export ----------------------------------------------------- */

struct tctx {
	struct vg_debian_imp imp;
	struct vg_err *err;
	struct idset described; /* ids whose vg_vuln was handed over */
	bool bad_shape;         /* an array where the export has objects */
	long packages;          /* package members seen */
	long entries;           /* package/CVE entries read */
	char label[320];        /* "CVE-... (package ...)" for messages */
};

static enum vg_js_action
tracker_select(const struct vg_js_path *path, void *ctx)
{
	struct tctx *t = ctx;

	if (path->depth == 0)
		return VG_JS_DESCEND;
	if (path->key[path->depth - 1] == NULL) {
		t->bad_shape = true;
		return VG_JS_SKIP;
	}
	if (path->depth == 1) {
		t->packages++;
		return VG_JS_DESCEND;
	}
	return path->depth == 2 ? VG_JS_CAPTURE : VG_JS_SKIP;
}

static int
tracker_field_error(struct tctx *t, const char *field, const char *what)
{
	return vg_error(t->err, VG_EINVAL, "record %s: field '%s': %s", t->label, field, what);
}

/*
 * What an "open" release is: the tracker marks a release out of support with
 * the urgency "end-of-life", and the no-dsa decisions with nodsa (the reason
 * text) and nodsa_reason ("", "postponed" or "ignored").
 */
static enum vg_debian_kind
open_kind(const char *urgency, const char *nodsa, const char *reason)
{
	if (urgency != NULL && strcmp(urgency, "end-of-life") == 0)
		return VG_DEBIAN_END_OF_LIFE;
	if (reason != NULL && strcmp(reason, "ignored") == 0)
		return VG_DEBIAN_IGNORED;
	if (reason != NULL && strcmp(reason, "postponed") == 0)
		return VG_DEBIAN_POSTPONED;
	if (nodsa != NULL || (reason != NULL && reason[0] != '\0'))
		return VG_DEBIAN_NO_DSA;
	return VG_DEBIAN_UNFIXED;
}

/* Turn one release's status into an annotation; 1: skipped (warned). */
static int
tracker_release_ann(struct tctx *t, const char *codename, const json_t *rel,
		    struct vg_debian_ann *ann)
{
	bool bad = false, known;
	const char *status = opt_str(rel, "status", &bad);
	const char *fixed = opt_str(rel, "fixed_version", &bad);
	const char *urgency = opt_str(rel, "urgency", &bad);
	const char *nodsa = opt_str(rel, "nodsa", &bad);
	const char *reason = opt_str(rel, "nodsa_reason", &bad);
	char field[128];

	snprintf(field, sizeof(field), "releases.%s", codename);
	if (bad)
		return tracker_field_error(t, field, "expected string members");
	memset(ann, 0, sizeof(*ann));
	ann->release = codename;
	ann->urgency = urgency ? vg_debian_urgency(vg_str_c(urgency), &known) : NULL;
	if (urgency && !known)
		vg_debian_warn(&t->imp, "field '%s.urgency': unknown urgency '%s' ignored", field,
			       urgency);
	if (nodsa != NULL && nodsa[0] == '\0')
		nodsa = NULL;
	ann->reason = nodsa;
	if (status == NULL) {
		vg_debian_warn(&t->imp, "field '%s.status' missing; release skipped", field);
		vg_debian_skip(&t->imp, VG_DEBIAN_SKIP_KIND);
		return 1;
	}
	if (strcmp(status, "resolved") == 0) {
		if (fixed == NULL || fixed[0] == '\0') {
			/* Resolved with no version says nothing a matcher can use. */
			vg_debian_warn(&t->imp,
				       "field '%s': resolved without fixed_version; skipped",
				       field);
			vg_debian_skip(&t->imp, VG_DEBIAN_SKIP_OTHER);
			return 1;
		}
		ann->kind = VG_DEBIAN_FIXED;
		ann->version = fixed;
		ann->reason = NULL;
	} else if (strcmp(status, "open") == 0) {
		ann->kind = open_kind(urgency, nodsa, reason);
		if (reason != NULL && reason[0] != '\0' && strcmp(reason, "ignored") != 0 &&
		    strcmp(reason, "postponed") != 0)
			vg_debian_warn(&t->imp, "field '%s.nodsa_reason': unknown reason '%s'",
				       field, reason);
		if (ann->kind == VG_DEBIAN_UNFIXED)
			ann->reason = NULL;
	} else if (strcmp(status, "undetermined") == 0) {
		ann->kind = VG_DEBIAN_UNDETERMINED;
		ann->reason = NULL;
	} else {
		vg_debian_warn(&t->imp, "field '%s.status': unknown status '%s'; skipped", field,
			       status);
		vg_debian_skip(&t->imp, VG_DEBIAN_SKIP_KIND);
		return 1;
	}
	return VG_OK;
}

static int
tracker_describe(struct tctx *t, const char *id, const char *desc)
{
	struct vg_vuln v;

	if (desc == NULL || desc[0] == '\0' || !idset_add(&t->described, id))
		return VG_OK;
	vg_debian_vuln_init(&v);
	v.id = id;
	v.description = desc;
	return vg_debian_vuln(&t->imp, &v, t->err);
}

static int
tracker_record(const struct vg_js_path *path, json_t *value, void *ctx, struct vg_err *err)
{
	struct tctx *t = ctx;
	const char *pkg = path->key[0], *id = path->key[1];
	bool bad = false;
	const char *desc;
	json_t *rels, *rel;
	const char *codename;
	int rc = VG_OK;

	(void)err; /* t->err is the same */
	t->entries++;
	snprintf(t->label, sizeof(t->label), "%.100s (package %.100s)", id, pkg);
	t->imp.record = t->label;
	if (!vg_debian_is_cve(vg_str_c(id)) && !vg_debian_is_temp(vg_str_c(id))) {
		vg_debian_warn(&t->imp, "not a CVE or TEMP- id; skipped");
		vg_debian_skip(&t->imp, VG_DEBIAN_SKIP_OTHER);
		return VG_OK;
	}
	if (!json_is_object(value))
		return vg_error(t->err, VG_EINVAL, "record %s: expected an object", t->label);
	desc = opt_str(value, "description", &bad);
	if (bad)
		return tracker_field_error(t, "description", "expected a string");
	rels = json_object_get(value, "releases");
	/* An entry without releases is written as [] by some producers. */
	if (rels == NULL || json_is_null(rels) ||
	    (json_is_array(rels) && json_array_size(rels) == 0))
		return tracker_describe(t, id, desc);
	if (!json_is_object(rels))
		return tracker_field_error(t, "releases", "expected an object");
	rc = tracker_describe(t, id, desc);
	json_object_foreach(rels, codename, rel)
	{
		struct vg_debian_ann ann;
		if (rc != VG_OK)
			break;
		if (!json_is_object(rel)) {
			char field[128];
			snprintf(field, sizeof(field), "releases.%s", codename);
			return tracker_field_error(t, field, "expected an object");
		}
		rc = tracker_release_ann(t, codename, rel, &ann);
		if (rc == 1) {
			rc = VG_OK;
			continue;
		}
		ann.package = pkg;
		if (rc == VG_OK)
			rc = vg_debian_emit(&t->imp, &ann, &id, 1, NULL, t->err);
	}
	return rc;
}

static int
import_tracker(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct tctx t;
	struct vg_feed_source src;
	struct vg_jstream_ops ops = {
		.select = tracker_select,
		.record = tracker_record,
		.ctx = &t,
		.max_record = VG_FEED_MAX_RECORD,
	};
	int rc;

	memset(&t, 0, sizeof(t));
	t.err = err;
	vg_debian_imp_init(&t.imp, sink, in->path);
	rc = begin_source(&t.imp, &src, "debian-tracker", &vg_imp_debian_tracker_json,
			  VG_FEED_REPLACE, in->path, err);
	if (rc == VG_OK)
		rc = vg_jstream_read(in, &ops, err);
	if (rc == VG_OK && t.bad_shape)
		rc = vg_error(err, VG_EINVAL,
			      "expected an object of source packages, each an object of CVE ids");
	/* An empty export would wipe the source: refuse it like a truncated one. */
	if (rc == VG_OK && (t.packages == 0 || t.entries == 0))
		rc = vg_error(err, VG_EINVAL, "no CVE entry under any source package in the file");
	if (rc == VG_OK)
		rc = end_source(&t.imp, &src, err);
	idset_release(&t.described);
	return rc;
}

/* ---- vuln-list-debian ------------------------------------------------------ */

#define MAX_ANNS 65536

struct vctx {
	struct vg_debian_imp imp;
	struct vg_err *err;
	struct vg_feed_source src;
	bool begun;
	/* the record being read */
	struct vg_debian_ann *anns;
	size_t nanns, cap_anns;
	const char **cves;
	size_t ncves, cap_cves;
	bool advisory, rejected, had_pkg;
};

static int
vfield_error(struct vctx *v, const char *field, long index, const char *what)
{
	if (index >= 0)
		return vg_error(v->err, VG_EINVAL, "record %s: field 'Annotations[%ld].%s': %s",
				v->imp.record ? v->imp.record : "?", index, field, what);
	return vg_error(v->err, VG_EINVAL, "record %s: field '%s': %s",
			v->imp.record ? v->imp.record : "?", field, what);
}

static int
vadd_ann(struct vctx *v, const struct vg_debian_ann *ann)
{
	if (v->nanns == MAX_ANNS)
		return vg_error(v->err, VG_ETOOBIG, "record %s: more than %d annotations",
				v->imp.record, MAX_ANNS);
	if (v->nanns == v->cap_anns) {
		v->cap_anns = v->cap_anns ? 2 * v->cap_anns : 16;
		v->anns = vg_xreallocarray(v->anns, v->cap_anns, sizeof(*v->anns));
	}
	v->anns[v->nanns++] = *ann;
	return VG_OK;
}

static int
vadd_cve(struct vctx *v, const char *id)
{
	if (v->ncves == MAX_ANNS)
		return vg_error(v->err, VG_ETOOBIG, "record %s: more than %d CVE ids",
				v->imp.record, MAX_ANNS);
	if (v->ncves == v->cap_cves) {
		v->cap_cves = v->cap_cves ? 2 * v->cap_cves : 16;
		v->cves = vg_xreallocarray(v->cves, v->cap_cves, sizeof(*v->cves));
	}
	v->cves[v->ncves++] = id;
	return VG_OK;
}

/* An annotation of Type "package"; 1 when it is skipped (warned). */
static int
vpackage(struct vctx *v, const json_t *a, long i, struct vg_debian_ann *ann)
{
	bool bad = false, known;
	const char *release = opt_str(a, "Release", &bad);
	const char *pkg = opt_str(a, "Package", &bad);
	const char *kind = opt_str(a, "Kind", &bad);
	const char *version = opt_str(a, "Version", &bad);
	const char *desc = opt_str(a, "Description", &bad);
	const char *sev = opt_str(a, "Severity", &bad);
	const json_t *bug = json_object_get(a, "BugNo");

	if (bad)
		return vfield_error(v, "Package", i, "expected string members");
	if (bug != NULL && !json_is_null(bug) && !json_is_integer(bug))
		return vfield_error(v, "BugNo", i, "expected an integer");
	if (pkg == NULL)
		return vfield_error(v, "Package", i, "missing");
	if (kind == NULL)
		return vfield_error(v, "Kind", i, "missing");
	memset(ann, 0, sizeof(*ann));
	ann->release = release && release[0] ? release : NULL;
	ann->package = pkg;
	if (bug != NULL && json_is_integer(bug) && json_integer_value(bug) > 0 &&
	    json_integer_value(bug) < 1000000000000LL)
		ann->bug = (long)json_integer_value(bug);
	if (strcmp(kind, "fixed") == 0) {
		ann->kind = VG_DEBIAN_FIXED;
		ann->version = version;
	} else if (vg_debian_kind_parse(vg_str_c(kind), &ann->kind) != VG_OK) {
		vg_debian_warn(&v->imp, "field 'Annotations[%ld].Kind': unknown kind '%s'; skipped",
			       i, kind);
		vg_debian_skip(&v->imp, VG_DEBIAN_SKIP_KIND);
		return 1;
	}
	if (vg_debian_kind_has_reason(ann->kind))
		ann->reason = desc && desc[0] ? desc : NULL;
	ann->urgency = sev ? vg_debian_urgency(vg_str_c(sev), &known) : NULL;
	if (sev && !known)
		vg_debian_warn(&v->imp, "field 'Annotations[%ld].Severity': unknown urgency '%s'",
			       i, sev);
	if (v->advisory && ann->release == NULL) {
		vg_debian_warn(&v->imp,
			       "field 'Annotations[%ld]': package %s without Release in an "
			       "advisory; skipped",
			       i, pkg);
		vg_debian_skip(&v->imp, VG_DEBIAN_SKIP_OTHER);
		return 1;
	}
	return VG_OK;
}

static int
vxref(struct vctx *v, const json_t *a, long i)
{
	json_t *bugs = json_object_get(a, "Bugs"), *b;
	size_t k;

	if (bugs == NULL || json_is_null(bugs))
		return VG_OK;
	if (!json_is_array(bugs))
		return vfield_error(v, "Bugs", i, "expected an array");
	json_array_foreach(bugs, k, b)
	{
		if (!json_is_string(b))
			return vfield_error(v, "Bugs", i, "expected strings");
		if (!v->advisory)
			continue; /* a CVE's cross-references name the advisories that fixed it */
		if (vg_debian_is_cve(vg_str_c(json_string_value(b)))) {
			int rc = vadd_cve(v, json_string_value(b));
			if (rc != VG_OK)
				return rc;
		} else {
			vg_debian_warn(&v->imp, "cross-reference '%s' ignored (not a CVE id)",
				       json_string_value(b));
		}
	}
	return VG_OK;
}

static int
vannotation(struct vctx *v, const json_t *a, long i)
{
	bool bad = false;
	const char *type;
	struct vg_debian_ann ann;
	int rc;

	if (!json_is_object(a))
		return vg_error(v->err, VG_EINVAL,
				"record %s: field 'Annotations[%ld]': expected an "
				"object",
				v->imp.record, i);
	type = opt_str(a, "Type", &bad);
	if (bad || type == NULL)
		return vfield_error(v, "Type", i, "expected a string");
	if (strcmp(type, "package") == 0) {
		v->had_pkg = true;
		rc = vpackage(v, a, i, &ann);
		if (rc == VG_OK)
			rc = vadd_ann(v, &ann);
		return rc == 1 ? VG_OK : rc;
	}
	if (strcmp(type, "xref") == 0)
		return vxref(v, a, i);
	if (strcmp(type, "REJECTED") == 0)
		v->rejected = true;
	else if (strcmp(type, "RESERVED") != 0 && strcmp(type, "NOT-FOR-US") != 0 &&
		 strcmp(type, "NOTE") != 0 && strcmp(type, "TODO") != 0)
		vg_debian_warn(&v->imp, "field 'Annotations[%ld].Type': unknown type '%s' ignored",
			       i, type);
	return VG_OK;
}

/* "[29 Mar 2023] DSA-..." of Header.Original: the ISO date, or "" when absent. */
static void
header_date(const char *original, char out[11])
{
	out[0] = '\0';
	if (original != NULL && original[0] == '[' && strlen(original) >= 13 &&
	    original[12] == ']' && vg_debian_date_iso(vg_str_n(original + 1, 11), out) != VG_OK)
		out[0] = '\0';
}

static int
vbug_emit(struct vctx *v, const char *id, const char *desc, const char *original)
{
	struct vg_vuln vuln;
	struct vg_str d = vg_str_c(desc);
	char date[11];
	char *summary = NULL;
	int rc;

	if (v->advisory && v->ncves == 0 && !v->had_pkg)
		return VG_OK;
	if (!v->advisory && v->nanns == 0 && !v->rejected)
		return VG_OK;
	vg_debian_vuln_init(&vuln);
	vuln.id = id;
	if (v->advisory) {
		header_date(original, date);
		vuln.published = date[0] ? date : NULL;
		vuln.summary = desc && desc[0] ? desc : NULL;
		vuln.aliases = v->cves;
		vuln.naliases = v->ncves;
	} else {
		d = vg_debian_strip_desc(d);
		summary = d.len > 0 ? vg_xmemdupz(d.p, d.len) : NULL;
		vuln.summary = summary;
		vuln.withdrawn = v->rejected;
		vg_debian_inherit_urgency(v->anns, v->nanns);
	}
	rc = vg_debian_vuln(&v->imp, &vuln, v->err);
	free(summary);
	for (size_t i = 0; i < v->nanns && rc == VG_OK; i++) {
		if (!v->advisory)
			rc = vg_debian_emit(&v->imp, &v->anns[i], &id, 1, NULL, v->err);
		else if (v->ncves == 0)
			rc = vg_debian_emit(&v->imp, &v->anns[i], &id, 1, id, v->err);
		else
			rc = vg_debian_emit(&v->imp, &v->anns[i], v->cves, v->ncves, id, v->err);
	}
	return rc;
}

/* A per-record file: {"Header": {"ID", "Description", "Original"}, "Annotations": [...]}. */
static int
vbug(struct vctx *v, const json_t *doc)
{
	const json_t *hdr = json_object_get(doc, "Header");
	json_t *anns, *a;
	bool bad = false;
	const char *id, *desc, *original;
	char temp[VG_DEBIAN_TEMP_ID_MAX];
	size_t i;
	int rc = VG_OK;

	if (!json_is_object(hdr))
		return vg_error(v->err, VG_EINVAL, "field 'Header': expected an object");
	id = opt_str(hdr, "ID", &bad);
	desc = opt_str(hdr, "Description", &bad);
	original = opt_str(hdr, "Original", &bad);
	if (bad || id == NULL)
		return vg_error(v->err, VG_EINVAL, "field 'Header.ID': expected a string");
	v->imp.record = id;
	struct vg_str sid = vg_str_c(id);
	if (strncmp(id, "DSA-", 4) == 0 || strncmp(id, "DLA-", 4) == 0)
		v->advisory = true;
	else if (!vg_debian_is_cve(sid) && !vg_debian_is_temp(sid) &&
		 !vg_debian_is_cve_placeholder(sid))
		return vg_error(v->err, VG_EINVAL,
				"record %s: field 'Header.ID': not a CVE, TEMP-, "
				"DSA or DLA id",
				id);
	anns = json_object_get(doc, "Annotations");
	if (anns != NULL && !json_is_null(anns) && !json_is_array(anns))
		return vfield_error(v, "Annotations", -1, "expected an array");
	json_array_foreach(anns, i, a)
	{
		rc = vannotation(v, a, (long)i);
		if (rc != VG_OK)
			return rc;
	}
	if (vg_debian_is_cve_placeholder(sid)) {
		long bug = 0;
		for (size_t k = 0; k < v->nanns && bug == 0; k++)
			bug = v->anns[k].bug;
		vg_debian_temp_id(bug, vg_debian_strip_desc(vg_str_c(desc)), temp);
		id = temp;
		v->imp.record = id;
	}
	return vbug_emit(v, id, desc, original);
}

/* distributions.json: codename -> {"major-version", "support", "contact"}. */
static int
vdistributions(struct vctx *v, json_t *doc)
{
	const char *codename;
	json_t *d;

	json_object_foreach(doc, codename, d)
	{
		bool bad = false;
		const char *major = json_is_object(d) ? opt_str(d, "major-version", &bad) : NULL;
		const char *ours = vg_debian_release_version(codename);
		if (!json_is_object(d) || bad)
			return vg_error(v->err, VG_EINVAL,
					"field '%s': expected an object of strings", codename);
		if (ours == NULL)
			vg_debian_warn(&v->imp,
				       "release '%s' (version '%s') is unknown to Vigil: its "
				       "statements are skipped",
				       codename, major ? major : "");
		else if (major != NULL && strcmp(major, ours) != 0)
			vg_debian_warn(&v->imp, "release '%s' is version '%s' here, '%s' in Vigil",
				       codename, major, ours);
	}
	return VG_OK;
}

/* Which vuln-list-debian file this is, by its members. */
enum vkind { VK_NONE, VK_BUG, VK_SOURCE, VK_DISTRIBUTIONS };

static enum vkind
vkind_of(json_t *doc)
{
	const char *key;
	json_t *val;
	size_t n = 0;

	if (!json_is_object(doc))
		return VK_NONE;
	if (json_object_get(doc, "Header") != NULL)
		return VK_BUG;
	if (json_is_array(json_object_get(doc, "Package")) &&
	    json_is_array(json_object_get(doc, "Version")))
		return VK_SOURCE;
	json_object_foreach(doc, key, val)
	{
		if (!json_is_object(val) || json_object_get(val, "major-version") == NULL)
			return VK_NONE;
		n++;
	}
	return n > 0 ? VK_DISTRIBUTIONS : VK_NONE;
}

static enum vg_js_action
vulnlist_select(const struct vg_js_path *path, void *ctx)
{
	(void)ctx;
	return path->depth == 0 ? VG_JS_CAPTURE : VG_JS_SKIP;
}

static int
vulnlist_record(const struct vg_js_path *path, json_t *doc, void *ctx, struct vg_err *err)
{
	struct vctx *v = ctx;
	enum vkind kind = vkind_of(doc);
	int rc;

	(void)path;
	(void)err;
	if (kind == VK_NONE)
		return vg_error(v->err, VG_EINVAL,
				"not a vuln-list-debian file (no 'Header', 'Package' or "
				"'major-version' members)");
	rc = begin_source(&v->imp, &v->src, "debian-vulnlist", &vg_imp_debian_vulnlist_json,
			  VG_FEED_MERGE, v->imp.path, v->err);
	v->begun = rc == VG_OK;
	if (rc != VG_OK)
		return rc;
	if (kind == VK_BUG)
		rc = vbug(v, doc);
	else if (kind == VK_DISTRIBUTIONS)
		rc = vdistributions(v, doc);
	/* else source/, updates-source/: a Sources stanza, no statement */
	v->imp.record = NULL; /* it pointed into @doc */
	return rc;
}

static int
import_vulnlist(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err)
{
	struct vctx v;
	struct vg_jstream_ops ops = {
		.select = vulnlist_select,
		.record = vulnlist_record,
		.ctx = &v,
		.max_record = VG_FEED_MAX_RECORD,
	};
	int rc;

	memset(&v, 0, sizeof(v));
	v.err = err;
	vg_debian_imp_init(&v.imp, sink, in->path);
	rc = vg_jstream_read(in, &ops, err);
	if (rc == VG_OK && !v.begun)
		rc = vg_error(err, VG_EINVAL, "expected a JSON object");
	if (rc == VG_OK)
		rc = end_source(&v.imp, &v.src, err);
	free(v.anns);
	free(v.cves);
	return rc;
}

/* ---- detection ------------------------------------------------------------ */

/* A Debian source package name as the tracker's export keys them. */
static bool
looks_like_package(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '+' || c == '-' || c == ':'))
			return false;
	}
	return true;
}

static int
probe_tracker(const struct vg_sniff *s)
{
	if (s->kind != VG_SNIFF_JSON_OBJECT || s->nkeys == 0 || s->nchild_keys == 0)
		return 0;
	for (size_t i = 0; i < s->nkeys; i++)
		if (!looks_like_package(s->keys[i]))
			return 0;
	/* The first package's members are CVE / TEMP- ids (sniffed keys are cut at 128 bytes). */
	for (size_t i = 0; i < s->nchild_keys; i++) {
		struct vg_str k = vg_str_c(s->child_keys[i]);
		if (!vg_debian_is_cve(k) && !vg_debian_is_temp(k))
			return 0;
	}
	return 100;
}

/* deb822 field names as vuln-list-debian keeps them: "Package", "Build-Depends", ... */
static bool
looks_like_field(const char *s)
{
	if (s[0] < 'A' || s[0] > 'Z')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static int
probe_vulnlist(const struct vg_sniff *s)
{
	if (s->kind != VG_SNIFF_JSON_OBJECT || s->nkeys == 0)
		return 0;
	/* CVE/, DSA/, DLA/: {"Header": {"Original", "Line", "ID", ...}, "Annotations": [...]} */
	if (vg_sniff_key(s, "Header") == 0 && vg_sniff_child_key(s, "ID") &&
	    (vg_sniff_child_key(s, "Original") || vg_sniff_key(s, "Annotations") > 0))
		return 100;
	/* distributions.json */
	if (vg_sniff_child_key(s, "major-version") && vg_sniff_child_key(s, "support"))
		return 100;
	/* source/ and updates-source/: a Sources stanza, every field an array */
	if (vg_sniff_key(s, "Package") >= 0 && vg_sniff_key(s, "Version") >= 0 &&
	    vg_sniff_value(s, "Package") == NULL && vg_sniff_value(s, "Version") == NULL) {
		for (size_t i = 0; i < s->nkeys; i++)
			if (!looks_like_field(s->keys[i]))
				return 0;
		return 100;
	}
	return 0;
}

const struct vg_importer vg_imp_debian_tracker_json = {
	.format = "debian-tracker-json",
	.description = "Debian security tracker JSON export (/tracker/data/json)",
	.probe = probe_tracker,
	.import = import_tracker,
};

const struct vg_importer vg_imp_debian_vulnlist_json = {
	.format = "debian-vulnlist",
	.description = "vuln-list-debian file (tracker/CVE, DSA, DLA, source, distributions.json)",
	.probe = probe_vulnlist,
	.import = import_vulnlist,
};
