/*
 * assess.c - a device's findings from its stored inventory (assess.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/alloc.h"
#include "core/time.h"
#include "engine/assess.h"
#include "engine/score.h"
#include "store/findings.h"

struct vg_assessor {
	struct vg_kb *kb;
	struct vg_matcher *m;
	int64_t gen; /* knowledge-base generation the matcher's cache belongs to */
};

struct vg_assessor *
vg_assessor_new(struct vg_kb *kb)
{
	struct vg_assessor *a = vg_xcalloc(1, sizeof(*a));

	a->kb = kb;
	a->gen = -1;
	return a;
}

void
vg_assessor_free(struct vg_assessor *a)
{
	if (a == NULL)
		return;
	vg_matcher_free(a->m);
	free(a);
}

void
vg_assess_software_id(const struct vg_tuple *t, struct vg_arena *arena, const char **vendor,
		      const char **software_id)
{
	const char *ns = t->ns && t->ns[0] ? t->ns : "unknown";
	size_t vlen = strcspn(ns, ":");
	char *v = vg_arena_printf(arena, "%.*s", (int)vlen, ns);
	char *id = vg_arena_printf(arena, "%s-_-%s", v, t->package);

	for (char *p = v; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (char *p = id; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*vendor = v;
	*software_id = id;
}

/* ---- the device's context -------------------------------------------------------- */

/* Package names behind running processes and non-loopback listeners (sorted). */
struct context {
	const char *ns;
	bool exposed;
	const char **running, **listening;
	size_t nrunning, nlistening;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The "package" of each item of the JSON array @text (listeners: non-loopback only). */
static const char **
package_names(const char *text, bool listeners, struct vg_arena *arena, size_t *n)
{
	json_t *arr = text ? json_loads(text, 0, NULL) : NULL;
	const char **v;
	const json_t *it;
	size_t i;

	*n = 0;
	if (!json_is_array(arr)) {
		json_decref(arr);
		return NULL;
	}
	v = vg_arena_alloc(arena, (json_array_size(arr) + 1) * sizeof(*v));
	json_array_foreach(arr, i, it)
	{
		const json_t *pkg = json_object_get(it, "package");

		if (!json_is_string(pkg) ||
		    (listeners && json_is_true(json_object_get(it, "loopback"))))
			continue;
		v[(*n)++] = vg_arena_strdup(arena, json_string_value(pkg));
	}
	json_decref(arr);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static int
load_context(struct vg_kb *kb, const char *device_id, struct vg_arena *arena, struct context *c,
	     struct vg_err *err)
{
	const char *dev, *procs, *lis;
	json_t *d;
	int rc = vg_findings_section(kb, device_id, "device", arena, &dev, err);

	if (rc == VG_OK)
		rc = vg_findings_section(kb, device_id, "processes", arena, &procs, err);
	if (rc == VG_OK)
		rc = vg_findings_section(kb, device_id, "listeners", arena, &lis, err);
	if (rc != VG_OK)
		return rc;
	*c = (struct context){0};
	d = dev ? json_loads(dev, 0, NULL) : NULL;
	if (json_is_object(d)) {
		const json_t *ns = json_object_get(json_object_get(d, "os"), "namespace");

		c->exposed = json_is_true(json_object_get(d, "networkExposed"));
		if (json_is_string(ns))
			c->ns = vg_arena_strdup(arena, json_string_value(ns));
	}
	json_decref(d);
	c->running = package_names(procs, false, arena, &c->nrunning);
	c->listening = package_names(lis, true, arena, &c->nlistening);
	return VG_OK;
}

static bool
has(const char *const *set, size_t n, const char *name)
{
	return n && bsearch(&name, set, n, sizeof(*set), cmp_str) != NULL;
}

/* Do the binaries (JSON array text) of a tuple run / listen? */
static void
tuple_context(const struct context *c, const char *binaries, bool *running, bool *listening)
{
	json_t *arr;
	const json_t *b;
	size_t i;

	*running = *listening = false;
	/* Most tuples of most reports: nothing runs with a package name, no parse needed. */
	if (c->nrunning == 0 && c->nlistening == 0)
		return;
	arr = binaries ? json_loads(binaries, 0, NULL) : NULL;
	json_array_foreach(arr, i, b)
	{
		const char *name = json_string_value(b);

		if (name == NULL)
			continue;
		*running = *running || has(c->running, c->nrunning, name);
		*listening = *listening || has(c->listening, c->nlistening, name);
	}
	json_decref(arr);
	*running = *running || *listening;
}

/* ---- matching a tuple -------------------------------------------------------------- */

static const char *
severity_name(const struct vg_kb_vuln_info *info, const struct vg_vuln_match *vm)
{
	struct vg_score_in in;
	struct vg_score_out out;

	vg_score_input(info, vm, false, false, false, &in);
	vg_score_finding(&in, &out);
	return vg_fsev_name(out.severity);
}

/* Write vulnerability @vm's summary unless it is current. */
static int
ensure_summary(struct vg_assessor *a, const struct vg_vuln_match *vm,
	       const struct vg_kb_vuln_info *info, struct vg_arena *arena, struct vg_err *err)
{
	struct vg_findings_summary s = {0};
	const char *updated = NULL;
	int64_t gen;
	int rc = vg_findings_summary_gen(a->kb, vm->id, &gen, err);

	if (rc != VG_OK || gen == a->gen)
		return rc;
	s.id = vm->id;
	s.cve_id = vm->cve_id;
	s.description = info->description ? info->description : info->summary;
	s.severity = severity_name(info, NULL);
	s.cvss_v3 = info->known ? info->cvss_v3 : NAN;
	s.cvss_vector = info->cvss_v3_vector;
	if (vg_time_parse_iso(info->published, &s.published) != VG_OK)
		s.published = 0;
	s.public_exploit = info->exploit_ref || info->kev;
	s.kev = info->kev;
	s.epss = info->has_epss ? info->epss : NAN;
	rc = vg_findings_vuln_extras(a->kb, vm->id, vm->cve_id, arena, &s.exploit_uris, &updated,
				     err);
	if (vg_time_parse_iso(updated, &s.updated) != VG_OK)
		s.updated = s.published;
	return rc == VG_OK ? vg_findings_set_summary(a->kb, &s, a->gen, err) : rc;
}

static int
match_tuple(struct vg_assessor *a, const struct vg_findings_tuple *t, const char *platform,
	    struct vg_arena *arena, struct vg_err *err)
{
	const struct vg_tuple_result *res;
	struct vg_findings_match *m;
	const char *vendor, *software_id;
	int rc = vg_matcher_match(a->m, &t->tuple, platform, &res, err);

	if (rc != VG_OK)
		return rc;
	m = vg_arena_alloc(arena, (res->nvulns + 1) * sizeof(*m));
	for (size_t i = 0; rc == VG_OK && i < res->nvulns; i++) {
		const struct vg_vuln_match *vm = &res->vulns[i];
		const struct vg_kb_vuln_info *info;
		struct vg_score_in in;
		struct vg_score_out out;

		rc = vg_matcher_vuln_info(a->m, vm->cve_id ? vm->cve_id : vm->id, &info, err);
		if (rc != VG_OK)
			break;
		vg_score_input(info, vm, false, false, false, &in);
		vg_score_finding(&in, &out);
		m[i] = (struct vg_findings_match){
			.vuln_id = vm->id,
			.status = vg_finding_status_name(vm->status),
			.fixed_version = vm->fixed_version,
			.confidence = vg_confidence_name(vm->confidence),
			.source = vm->source,
			.severity = vg_fsev_name(out.severity),
			.s = out.s,
			.l = out.l,
			.w = out.w,
		};
		rc = ensure_summary(a, vm, info, arena, err);
	}
	if (rc != VG_OK)
		return rc;
	vg_assess_software_id(&t->tuple, arena, &vendor, &software_id);
	return vg_findings_set_tuple(a->kb, t->id, vendor, software_id, a->gen, m, res->nvulns,
				     err);
}

/* ---- the device ---------------------------------------------------------------------- */

/* Start a new matcher when the knowledge base changed since the last one. */
static int
refresh_matcher(struct vg_assessor *a, struct vg_err *err)
{
	int64_t gen;
	int rc = vg_findings_kb_gen(a->kb, &gen, err);

	if (rc != VG_OK)
		return rc;
	if (a->m == NULL || gen != a->gen) {
		vg_matcher_free(a->m);
		a->m = vg_matcher_new(a->kb);
		a->gen = gen;
	}
	return VG_OK;
}

/* Match stale tuples and store each tuple's context; fills the tuples' flags. */
static int
prepare_tuples(struct vg_assessor *a, const char *device_id, struct vg_findings_tuple *ts, size_t n,
	       const struct context *c, struct vg_arena *arena, struct vg_assess_stats *st,
	       struct vg_err *err)
{
	int rc = VG_OK;

	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		bool running, listening;

		if (ts[i].matched_gen != a->gen) {
			rc = match_tuple(a, &ts[i], c->ns, arena, err);
			st->matched++;
		}
		tuple_context(c, ts[i].binaries, &running, &listening);
		if (rc == VG_OK && (running != ts[i].running || listening != ts[i].listening))
			rc = vg_findings_set_flags(a->kb, device_id, ts[i].id, running, listening,
						   err);
		ts[i].running = running;
		ts[i].listening = listening;
	}
	return rc;
}

static int
cmp_tuple_id(const void *key, const void *elem)
{
	int64_t k = *(const int64_t *)key, id = ((const struct vg_findings_tuple *)elem)->id;

	return k < id ? -1 : k > id;
}

int
vg_assess_device(struct vg_assessor *a, const char *device_id, int64_t now,
		 struct vg_assess_stats *out, struct vg_err *err)
{
	struct vg_assess_stats st = {0};
	struct vg_findings_change ch;
	struct vg_findings_tuple *ts = NULL;
	struct vg_findings_row *rows = NULL;
	struct vg_arena arena;
	struct context c;
	size_t nrows = 0;
	int rc;

	vg_arena_init(&arena);
	rc = refresh_matcher(a, err);
	if (rc == VG_OK)
		rc = load_context(a->kb, device_id, &arena, &c, err);
	if (rc == VG_OK)
		rc = vg_findings_device_tuples(a->kb, device_id, &arena, &ts, &st.tuples, err);
	if (rc == VG_OK)
		rc = prepare_tuples(a, device_id, ts, st.tuples, &c, &arena, &st, err);
	if (rc == VG_OK)
		rc = vg_findings_device_matches(a->kb, device_id, &arena, &rows, &nrows, err);
	for (size_t i = 0; rc == VG_OK && i < nrows; i++) {
		const struct vg_findings_tuple *t =
			bsearch(&rows[i].tuple_id, ts, st.tuples, sizeof(*ts), cmp_tuple_id);

		rows[i].risk *= vg_score_context(t && t->running, t && t->listening, c.exposed);
		st.risk_sum += rows[i].risk;
	}
	st.exposure = vg_exposure_score(st.risk_sum);
	if (rc == VG_OK)
		rc = vg_findings_replace_device(a->kb, device_id, rows, nrows, st.risk_sum,
						st.exposure, now, &ch, err);
	if (rc == VG_OK) {
		st.findings = ch.findings;
		st.appeared = ch.appeared;
		st.disappeared = ch.disappeared;
	}
	vg_arena_release(&arena);
	if (out)
		*out = st;
	return rc;
}

int
vg_assess_stale(struct vg_assessor *a, size_t max, int64_t now, size_t *done, struct vg_err *err)
{
	const char **ids = NULL;
	struct vg_arena arena;
	size_t n = 0, ok = 0;
	int rc;

	vg_arena_init(&arena);
	rc = refresh_matcher(a, err);
	if (rc == VG_OK)
		rc = vg_findings_stale_devices(a->kb, a->gen, max, &arena, &ids, &n, err);
	for (size_t i = 0; rc == VG_OK && i < n; i++) {
		rc = vg_kb_txn_begin(a->kb, err);
		if (rc == VG_OK)
			rc = vg_assess_device(a, ids[i], now, NULL, err);
		if (rc == VG_OK)
			rc = vg_kb_txn_commit(a->kb, err);
		if (rc != VG_OK)
			vg_kb_txn_rollback(a->kb);
		else
			ok++;
	}
	vg_arena_release(&arena);
	if (done)
		*done = ok;
	return rc;
}
