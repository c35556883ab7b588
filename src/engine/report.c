/*
 * report.c - one device's vulnerability report: building it, and the
 * table, JSON, CSV and SARIF writers.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/json.h"
#include "engine/report.h"
#include "engine/strmap.h"

/* ---- building ---------------------------------------------------------------- */

struct findvec {
	struct vg_finding *v;
	size_t n, cap;
};

static struct vg_finding *
findvec_add(struct findvec *f)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->v = vg_xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	memset(&f->v[f->n], 0, sizeof(f->v[f->n]));
	return &f->v[f->n++];
}

/* The binary shown first: the one named like the source package, else the first. */
static const struct vg_package *
main_package(const struct vg_device_tuple *dt)
{
	for (size_t i = 0; i < dt->npkgs; i++)
		if (dt->pkgs[i]->name && strcmp(dt->pkgs[i]->name, dt->tuple.package) == 0)
			return dt->pkgs[i];
	return dt->npkgs ? dt->pkgs[0] : NULL;
}

static void
score_input(const struct vg_finding *f, bool device_exposed, struct vg_score_in *in)
{
	vg_score_input(f->info, f->vm, f->dt->running, f->dt->listening, device_exposed, in);
}

static double
finding_epss(const struct vg_finding *f)
{
	return f->info->has_epss ? f->info->epss : -1.0;
}

/* Priority: risk, then KEV, EPSS, CVSS, id, package. */
static int
finding_cmp(const void *pa, const void *pb)
{
	const struct vg_finding *a = pa, *b = pb;
	double ab = isnan(a->score.base) ? -1 : a->score.base;
	double bb = isnan(b->score.base) ? -1 : b->score.base;
	int c;

	if (a->score.risk != b->score.risk)
		return a->score.risk > b->score.risk ? -1 : 1;
	if (a->info->kev != b->info->kev)
		return a->info->kev ? -1 : 1;
	if (finding_epss(a) != finding_epss(b))
		return finding_epss(a) > finding_epss(b) ? -1 : 1;
	if (ab != bb)
		return ab > bb ? -1 : 1;
	c = strcmp(a->vm->id, b->vm->id);
	if (c)
		return c;
	return strcmp(a->dt->tuple.package, b->dt->tuple.package);
}

static void
add_uncovered(struct vg_scan_report *r, const char *ns, size_t *cap)
{
	const char *name = ns ? ns : "(unknown)";

	for (size_t i = 0; i < r->nuncovered; i++)
		if (strcmp(r->uncovered[i], name) == 0)
			return;
	if (r->nuncovered == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		r->uncovered = vg_xreallocarray(r->uncovered, *cap, sizeof(*r->uncovered));
	}
	r->uncovered[r->nuncovered++] = vg_arena_strdup(&r->arena, name);
}

static void
add_warnings(struct vg_scan_report *r, const struct vg_tuple_result *res, size_t *cap)
{
	for (size_t i = 0; i < res->nwarnings; i++) {
		if (r->nwarnings == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			r->warnings = vg_xreallocarray(r->warnings, *cap, sizeof(*r->warnings));
		}
		r->warnings[r->nwarnings].package =
			vg_arena_printf(&r->arena, "%s %s %s", res->tuple.ns ? res->tuple.ns : "-",
					res->tuple.package, res->tuple.version);
		r->warnings[r->nwarnings++].message = res->warnings[i];
	}
}

static int
source_cb(const struct vg_kb_source_status *s, void *ctx)
{
	struct vg_scan_report *r = ctx;
	struct vg_report_source *d;

	r->sources = vg_xreallocarray(r->sources, r->nsources + 1, sizeof(*r->sources));
	d = &r->sources[r->nsources++];
	d->name = vg_arena_strdup(&r->arena, s->name);
	d->format = vg_arena_strdup(&r->arena, s->format);
	d->version = vg_arena_strdup(&r->arena, s->version);
	d->snapshot = vg_arena_strdup(&r->arena, s->snapshot);
	d->imported_at = vg_arena_strdup(&r->arena, s->imported_at);
	d->last_error = vg_arena_strdup(&r->arena, s->last_error);
	d->failed_at = vg_arena_strdup(&r->arena, s->failed_at);
	d->records = s->records;
	return VG_OK;
}

static const char *
now_iso(struct vg_arena *a)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return vg_arena_strdup(a, buf);
}

/* The findings of one tuple. */
static int
add_tuple(struct vg_scan_report *r, struct vg_matcher *m, const struct vg_device_tuple *dt,
	  const struct vg_tuple_result *res, struct findvec *fv, struct vg_err *err)
{
	for (size_t k = 0; k < res->nvulns; k++) {
		const struct vg_vuln_match *vm = &res->vulns[k];
		struct vg_finding *f = findvec_add(fv);
		struct vg_score_in in;
		int rc;

		f->dt = dt;
		f->vm = vm;
		f->pkg = main_package(dt);
		rc = vg_matcher_vuln_info(m, vm->cve_id ? vm->cve_id : vm->id, &f->info, err);
		if (rc < 0)
			return rc;
		score_input(f, r->inv->network_exposed, &in);
		vg_score_finding(&in, &f->score);
	}
	return VG_OK;
}

static void
summarise(struct vg_scan_report *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		struct vg_finding *f = &r->findings[i];

		f->rank = i + 1;
		r->by_sev[f->score.severity]++;
		r->by_status[f->vm->status]++;
		r->nkev += f->info->kev;
		r->risk_sum += f->score.risk;
		if (f->vm->status == VG_FS_FIX_AVAILABLE || f->vm->status == VG_FS_END_OF_LIFE)
			r->risk_fixable += f->score.risk;
	}
	r->exposure = vg_exposure_score(r->risk_sum);
	r->band = vg_exposure_band(r->exposure);
}

int
vg_report_build(struct vg_scan_report *r, const struct vg_inventory *inv, struct vg_matcher *m,
		unsigned flags, const char *db_path, struct vg_err *err)
{
	const char *platform = vg_device_namespace(inv);
	size_t ucap = 0, wcap = 0;
	struct findvec fv = {0};
	int rc = VG_OK;

	memset(r, 0, sizeof(*r));
	vg_arena_init(&r->arena);
	r->inv = inv;
	r->db_path = vg_arena_strdup(&r->arena, db_path);
	r->scanned_at = now_iso(&r->arena);
	vg_device_tuples(inv, flags, &r->arena, &r->tuples, &r->ntuples, &r->skips);
	for (size_t i = 0; i < r->ntuples && rc == VG_OK; i++) {
		const struct vg_tuple_result *res;

		rc = vg_matcher_match(m, &r->tuples[i].tuple, platform, &res, err);
		if (rc < 0)
			break;
		r->by_kind[res->kind]++;
		r->nresolved += res->nresolved;
		if (res->kind == VG_MATCH_CPE)
			add_uncovered(r, res->tuple.ns, &ucap);
		add_warnings(r, res, &wcap);
		rc = add_tuple(r, m, &r->tuples[i], res, &fv, err);
	}
	if (rc == VG_OK)
		rc = vg_kb_sources_each(vg_matcher_kb(m), source_cb, r, err);
	if (rc < 0) {
		free(fv.v);
		vg_report_release(r);
		return rc;
	}
	r->kb_schema = vg_kb_schema_version(vg_matcher_kb(m));
	if (fv.n > 1)
		qsort(fv.v, fv.n, sizeof(*fv.v), finding_cmp);
	r->findings = vg_arena_alloc(&r->arena, (fv.n ? fv.n : 1) * sizeof(*r->findings));
	if (fv.n)
		memcpy(r->findings, fv.v, fv.n * sizeof(*fv.v));
	r->nfindings = fv.n;
	free(fv.v);
	summarise(r);
	vg_matcher_stats(m, &r->stats);
	return VG_OK;
}

void
vg_report_release(struct vg_scan_report *r)
{
	free(r->uncovered);
	free(r->warnings);
	free(r->sources);
	vg_arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}

size_t
vg_report_count_at_least(const struct vg_scan_report *r, enum vg_fsev sev)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nfindings; i++) {
		enum vg_fsev s = r->findings[i].score.severity;

		n += sev == VG_FSEV_UNKNOWN || (s != VG_FSEV_UNKNOWN && s >= sev);
	}
	return n;
}

/* ---- shared helpers for the writers ---------------------------------------------- */

static const char *
pkg_type_of(const struct vg_finding *f)
{
	return f->pkg ? vg_pkg_type_name(f->pkg->type) : "";
}

/* "name version" list of the binaries behind a finding's tuple, into @b (reset first). */
static void
binaries_text(struct vg_buf *b, const struct vg_device_tuple *dt, size_t max)
{
	vg_buf_reset(b);
	for (size_t i = 0; i < dt->npkgs && i < max; i++)
		if (vg_buf_addf(b, "%s%s", i ? ", " : "", dt->pkgs[i]->name) < 0)
			return;
	if (dt->npkgs > max && vg_buf_addf(b, ", +%zu", dt->npkgs - max) < 0)
		return;
}

/* A vulnerability's page for people. */
static const char *
vuln_url(struct vg_arena *a, const char *id)
{
	if (strncmp(id, "CVE-", 4) == 0)
		return vg_arena_printf(a, "https://nvd.nist.gov/vuln/detail/%s", id);
	if (strncmp(id, "GHSA-", 5) == 0)
		return vg_arena_printf(a, "https://github.com/advisories/%s", id);
	if (strncmp(id, "DSA-", 4) == 0 || strncmp(id, "DLA-", 4) == 0 ||
	    strncmp(id, "TEMP-", 5) == 0)
		return vg_arena_printf(a, "https://security-tracker.debian.org/tracker/%s", id);
	return vg_arena_printf(a, "https://osv.dev/vulnerability/%s", id);
}

/* ---- JSON -------------------------------------------------------------------------- */

static void
json_kv_double(struct vg_json *j, const char *key, double v, int decimals)
{
	vg_json_key(j, key);
	vg_json_double(j, v, decimals);
}

static void
json_cvss(struct vg_json *j, const char *key, double score, const char *vector)
{
	vg_json_key(j, key);
	if (isnan(score) && !vector) {
		vg_json_null(j);
		return;
	}
	vg_json_begin_object(j);
	json_kv_double(j, "score", score, 1);
	vg_json_kv_str(j, "vector", vector);
	vg_json_end_object(j);
}

static void
json_device(struct vg_json *j, const struct vg_scan_report *r)
{
	const struct vg_inventory *inv = r->inv;
	const struct vg_os *os = &inv->os;

	vg_json_key(j, "device");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "hostname", os->hostname);
	vg_json_kv_str(j, "machineId", os->machine_id);
	vg_json_kv_str(j, "root", inv->root);
	vg_json_key(j, "os");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "id", os->id);
	vg_json_kv_str(j, "versionId", os->version_id);
	vg_json_kv_str(j, "codename", os->codename);
	vg_json_kv_str(j, "prettyName", os->pretty_name);
	vg_json_kv_str(j, "architecture", os->architecture);
	vg_json_end_object(j);
	vg_json_kv_str(j, "namespace", vg_device_namespace(inv));
	vg_json_key(j, "kernel");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "running", inv->kernel.running);
	vg_json_kv_str(j, "newestInstalled", inv->kernel.newest);
	vg_json_kv_bool(j, "rebootRequired", inv->kernel.reboot_required);
	vg_json_end_object(j);
	vg_json_kv_bool(j, "networkExposed", inv->network_exposed);
	vg_json_kv_int(j, "packages", (int64_t)inv->npackages);
	vg_json_kv_int(j, "distinctSoftware", (int64_t)r->ntuples);
	vg_json_end_object(j);
}

static void
json_evidence(struct vg_json *j, const struct vg_evidence *e)
{
	vg_json_begin_object(j);
	vg_json_kv_str(j, "source", e->source);
	vg_json_kv_str(j, "record", e->record);
	vg_json_kv_str(j, "vulnerabilityId", e->vuln_id);
	vg_json_kv_str(j, "namespace", e->ns);
	vg_json_kv_str(j, "package", e->package);
	vg_json_kv_str(j, "comparator", e->scheme);
	vg_json_kv_str(j, "status", e->status);
	vg_json_kv_str_opt(j, "introduced", e->introduced);
	vg_json_kv_str(j, "fixed", e->fixed);
	vg_json_kv_str_opt(j, "lastAffected", e->last_affected);
	vg_json_kv_str_opt(j, "exactVersion", e->exact);
	vg_json_kv_str_opt(j, "urgency", e->urgency);
	vg_json_kv_str_opt(j, "note", e->note);
	vg_json_kv_str_opt(j, "cpe", e->criteria);
	vg_json_kv_str_opt(j, "range", e->range);
	vg_json_kv_str(j, "verdict", vg_verdict_name(e->verdict));
	vg_json_end_object(j);
}

static void
json_cwes(struct vg_json *j, const char *cwes)
{
	vg_json_key(j, "cwes");
	vg_json_begin_array(j);
	while (cwes && *cwes) {
		size_t n = strcspn(cwes, ",");

		while (*cwes == ' ' && n > 0) {
			cwes++;
			n--;
		}
		if (n)
			vg_json_string_n(j, cwes, n);
		cwes += n;
		if (*cwes == ',')
			cwes++;
	}
	vg_json_end_array(j);
}

static void
json_threat(struct vg_json *j, const struct vg_kb_vuln_info *info)
{
	vg_json_key(j, "epss");
	if (info->has_epss) {
		vg_json_begin_object(j);
		json_kv_double(j, "probability", info->epss, 5);
		json_kv_double(j, "percentile", info->epss_percentile, 5);
		vg_json_kv_str(j, "date", info->epss_date);
		vg_json_end_object(j);
	} else {
		vg_json_null(j);
	}
	vg_json_kv_bool(j, "kev", info->kev);
	if (info->kev) {
		vg_json_kv_str(j, "kevDateAdded", info->kev_date_added);
		vg_json_kv_str(j, "kevDueDate", info->kev_due_date);
		vg_json_kv_bool(j, "kevRansomware", info->kev_ransomware);
	}
	vg_json_kv_bool(j, "publicExploit", info->exploit_ref || info->kev);
}

static void
json_packages(struct vg_json *j, const struct vg_device_tuple *dt)
{
	vg_json_key(j, "packages");
	vg_json_begin_array(j);
	for (size_t i = 0; i < dt->npkgs; i++) {
		const struct vg_package *p = dt->pkgs[i];

		vg_json_begin_object(j);
		vg_json_kv_str(j, "name", p->name);
		vg_json_kv_str(j, "version", p->version);
		vg_json_kv_str_opt(j, "architecture", p->architecture);
		vg_json_kv_str_opt(j, "purl", p->purl);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
}

static void
json_score(struct vg_json *j, const struct vg_score_out *s)
{
	vg_json_key(j, "score");
	vg_json_begin_object(j);
	json_kv_double(j, "base", s->base, 1);
	vg_json_kv_str(j, "baseSource", s->base_source);
	json_kv_double(j, "s", s->s, 3);
	json_kv_double(j, "l", s->l, 4);
	vg_json_kv_str(j, "likelihoodSource", s->l_source);
	json_kv_double(j, "c", s->c, 3);
	json_kv_double(j, "w", s->w, 3);
	vg_json_end_object(j);
}

static void
json_finding(struct vg_json *j, struct vg_arena *a, const struct vg_scan_report *r,
	     const struct vg_finding *f)
{
	const struct vg_kb_vuln_info *info = f->info;
	const struct vg_device_tuple *dt = f->dt;

	vg_json_begin_object(j);
	vg_json_kv_str(j, "id", f->vm->id);
	vg_json_kv_str(j, "cveId", f->vm->cve_id);
	vg_json_kv_int(j, "priority", (int64_t)f->rank);
	json_kv_double(j, "risk", f->score.risk, 4);
	vg_json_kv_str(j, "severity", vg_fsev_name(f->score.severity));
	vg_json_kv_str(j, "package", f->pkg ? f->pkg->name : dt->tuple.package);
	vg_json_kv_str(j, "packageVersion", f->pkg ? f->pkg->version : dt->tuple.version);
	vg_json_kv_str(j, "packageType", pkg_type_of(f));
	vg_json_kv_str(j, "sourcePackage", dt->tuple.package);
	vg_json_kv_str(j, "sourceVersion", dt->tuple.version);
	vg_json_kv_str(j, "namespace", dt->tuple.ns);
	json_packages(j, dt);
	vg_json_kv_str(j, "fixedVersion", f->vm->fixed_version);
	vg_json_kv_str(j, "status", vg_finding_status_name(f->vm->status));
	vg_json_kv_str(j, "confidence", vg_confidence_name(f->vm->confidence));
	vg_json_kv_str(j, "source", f->vm->source);
	vg_json_kv_str(j, "urgency", f->vm->urgency);
	json_cvss(j, "cvssV3", info->cvss_v3, info->cvss_v3_vector);
	json_cvss(j, "cvssV4", info->cvss_v4, info->cvss_v4_vector);
	json_cvss(j, "cvssV2", info->cvss_v2, info->cvss_v2_vector);
	vg_json_kv_str(j, "cvssSource", info->cvss_source);
	vg_json_kv_str(j, "vendorSeverity", info->severity);
	json_threat(j, info);
	vg_json_kv_str(j, "publishedOn", info->published);
	vg_json_kv_str(j, "summary", info->summary);
	json_cwes(j, info->cwes);
	vg_json_kv_str(j, "url", vuln_url(a, f->vm->id));
	vg_json_key(j, "context");
	vg_json_begin_object(j);
	vg_json_kv_bool(j, "running", dt->running);
	vg_json_kv_bool(j, "listening", dt->listening);
	vg_json_kv_bool(j, "networkExposed", r->inv->network_exposed);
	vg_json_end_object(j);
	json_score(j, &f->score);
	vg_json_key(j, "evidence");
	vg_json_begin_array(j);
	for (size_t i = 0; i < f->vm->nevidence; i++)
		json_evidence(j, &f->vm->evidence[i]);
	vg_json_end_array(j);
	vg_json_end_object(j);
}

static void
json_counts(struct vg_json *j, const struct vg_scan_report *r)
{
	static const char *const sev_keys[] = {"unknown", "low", "medium", "high", "critical"};

	vg_json_key(j, "bySeverity");
	vg_json_begin_object(j);
	for (int s = VG_FSEV_CRITICAL; s >= VG_FSEV_UNKNOWN; s--)
		vg_json_kv_int(j, sev_keys[s], (int64_t)r->by_sev[s]);
	vg_json_end_object(j);
	vg_json_key(j, "byStatus");
	vg_json_begin_object(j);
	for (int s = 0; s < VG_FS_NSTATUS; s++)
		vg_json_kv_int(j, vg_finding_status_name((enum vg_finding_status)s),
			       (int64_t)r->by_status[s]);
	vg_json_end_object(j);
	vg_json_key(j, "matchedBy");
	vg_json_begin_object(j);
	for (int k = VG_MATCH_DISTRO; k <= VG_MATCH_NONE; k++)
		vg_json_kv_int(j, vg_match_kind_name((enum vg_match_kind)k),
			       (int64_t)r->by_kind[k]);
	vg_json_end_object(j);
}

static void
json_kb(struct vg_json *j, const struct vg_scan_report *r)
{
	vg_json_key(j, "knowledgeBase");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "path", r->db_path);
	vg_json_kv_int(j, "schemaVersion", r->kb_schema);
	vg_json_key(j, "sources");
	vg_json_begin_array(j);
	for (size_t i = 0; i < r->nsources; i++) {
		const struct vg_report_source *s = &r->sources[i];

		vg_json_begin_object(j);
		vg_json_kv_str(j, "name", s->name);
		vg_json_kv_str(j, "format", s->format);
		vg_json_kv_str(j, "version", s->version);
		vg_json_kv_str(j, "snapshot", s->snapshot);
		vg_json_kv_int(j, "records", s->records);
		vg_json_kv_str(j, "importedAt", s->imported_at);
		vg_json_kv_str(j, "lastError", s->last_error);
		vg_json_kv_str(j, "failedAt", s->failed_at);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
	vg_json_end_object(j);
}

static void
json_summary(struct vg_json *j, const struct vg_scan_report *r)
{
	vg_json_key(j, "summary");
	vg_json_begin_object(j);
	vg_json_kv_int(j, "findings", (int64_t)r->nfindings);
	json_counts(j, r);
	vg_json_kv_int(j, "kev", (int64_t)r->nkev);
	json_kv_double(j, "exposureScore", r->exposure, 1);
	vg_json_kv_str(j, "band", vg_band_name(r->band));
	json_kv_double(j, "riskSum", r->risk_sum, 4);
	json_kv_double(j, "riskFixable", r->risk_fixable, 4);
	json_kv_double(j, "exposureK", VG_EXPOSURE_K, 2);
	vg_json_kv_int(j, "resolved", (int64_t)r->nresolved);
	vg_json_key(j, "skipped");
	vg_json_begin_object(j);
	vg_json_kv_int(j, "osManagedLanguagePackages", (int64_t)r->skips.os_managed_lang);
	vg_json_kv_int(j, "noVersion", (int64_t)r->skips.no_version);
	vg_json_end_object(j);
	vg_json_key(j, "uncoveredNamespaces");
	vg_json_begin_array(j);
	for (size_t i = 0; i < r->nuncovered; i++)
		vg_json_string(j, r->uncovered[i]);
	vg_json_end_array(j);
	vg_json_key(j, "warnings");
	vg_json_begin_array(j);
	for (size_t i = 0; i < r->nwarnings; i++) {
		vg_json_begin_object(j);
		vg_json_kv_str(j, "software", r->warnings[i].package);
		vg_json_kv_str(j, "message", r->warnings[i].message);
		vg_json_end_object(j);
	}
	vg_json_end_array(j);
	json_kb(j, r);
	vg_json_end_object(j);
}

int
vg_report_write_json(const struct vg_scan_report *r, struct vg_buf *out, unsigned flags)
{
	struct vg_arena a;
	struct vg_json j;
	int rc;

	vg_arena_init(&a);
	vg_json_init(&j, out, (flags & VG_REPORT_PRETTY) ? VG_JSON_PRETTY : 0);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "schemaVersion", VG_REPORT_SCHEMA);
	vg_json_key(&j, "tool");
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "name", "vigil");
	vg_json_kv_str(&j, "version", VG_VERSION);
	vg_json_end_object(&j);
	vg_json_kv_str(&j, "scannedAt", r->scanned_at);
	json_device(&j, r);
	vg_json_key(&j, "findings");
	vg_json_begin_array(&j);
	for (size_t i = 0; i < r->nfindings; i++)
		json_finding(&j, &a, r, &r->findings[i]);
	vg_json_end_array(&j);
	json_summary(&j, r);
	vg_json_end_object(&j);
	vg_arena_release(&a);
	rc = vg_json_finish(&j);
	return rc < 0 ? rc : vg_buf_addch(out, '\n');
}

/* ---- CSV ----------------------------------------------------------------------------- */

/* One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF. */
static int
csv_field(struct vg_buf *out, const char *s, bool last)
{
	int rc = VG_OK;

	if (s && strpbrk(s, ",\"\r\n")) {
		rc = vg_buf_addch(out, '"');
		for (; *s && rc == VG_OK; s++)
			rc = *s == '"' ? vg_buf_addstr(out, "\"\"") : vg_buf_addch(out, *s);
		if (rc == VG_OK)
			rc = vg_buf_addch(out, '"');
	} else if (s) {
		rc = vg_buf_addstr(out, s);
	}
	if (rc == VG_OK)
		rc = vg_buf_addstr(out, last ? "\r\n" : ",");
	return rc;
}

static int
csv_row(struct vg_buf *out, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int rc = csv_field(out, cells[i], i + 1 == n);

		if (rc < 0)
			return rc;
	}
	return VG_OK;
}

static const char *
fmt_double(char *buf, size_t cap, double v, int decimals)
{
	if (isnan(v))
		return "";
	snprintf(buf, cap, "%.*f", decimals, v);
	return buf;
}

int
vg_report_write_csv(const struct vg_scan_report *r, struct vg_buf *out)
{
	static const char *const head[] = {"priority",
					   "risk",
					   "severity",
					   "cve_id",
					   "id",
					   "package",
					   "installed_version",
					   "source_package",
					   "source_version",
					   "fixed_version",
					   "status",
					   "confidence",
					   "cvss_v3",
					   "epss",
					   "epss_percentile",
					   "kev",
					   "public_exploit",
					   "source",
					   "namespace",
					   "binaries"};
	struct vg_buf bins;
	int rc = csv_row(out, head, VG_ARRAY_LEN(head));

	vg_buf_init(&bins, VG_BUF_NOLIMIT);
	for (size_t i = 0; i < r->nfindings && rc == VG_OK; i++) {
		const struct vg_finding *f = &r->findings[i];
		char rank[24], risk[32], cvss[16], epss[32], pct[32];
		const char *row[VG_ARRAY_LEN(head)];

		snprintf(rank, sizeof(rank), "%zu", f->rank);
		binaries_text(&bins, f->dt, f->dt->npkgs);
		row[0] = rank;
		row[1] = fmt_double(risk, sizeof(risk), f->score.risk, 4);
		row[2] = vg_fsev_name(f->score.severity);
		row[3] = f->vm->cve_id;
		row[4] = f->vm->id;
		row[5] = f->pkg ? f->pkg->name : f->dt->tuple.package;
		row[6] = f->pkg ? f->pkg->version : f->dt->tuple.version;
		row[7] = f->dt->tuple.package;
		row[8] = f->dt->tuple.version;
		row[9] = f->vm->fixed_version;
		row[10] = vg_finding_status_name(f->vm->status);
		row[11] = vg_confidence_name(f->vm->confidence);
		row[12] = fmt_double(cvss, sizeof(cvss), f->info->cvss_v3, 1);
		row[13] = f->info->has_epss ? fmt_double(epss, sizeof(epss), f->info->epss, 5) : "";
		row[14] = f->info->has_epss
				  ? fmt_double(pct, sizeof(pct), f->info->epss_percentile, 5)
				  : "";
		row[15] = f->info->kev ? "true" : "false";
		row[16] = f->info->kev || f->info->exploit_ref ? "true" : "false";
		row[17] = f->vm->source;
		row[18] = f->dt->tuple.ns;
		row[19] = bins.p;
		rc = csv_row(out, row, VG_ARRAY_LEN(row));
	}
	vg_buf_release(&bins);
	return rc;
}

/* ---- SARIF 2.1.0 ---------------------------------------------------------------------- */

static const char *
sarif_level(enum vg_fsev sev)
{
	return sev >= VG_FSEV_HIGH ? "error" : sev == VG_FSEV_MEDIUM ? "warning" : "note";
}

static void
sarif_rule(struct vg_json *j, struct vg_arena *a, const struct vg_finding *f)
{
	const struct vg_kb_vuln_info *info = f->info;
	const char *id = f->vm->id;
	const char *summary = info->summary ? info->summary : id;
	char sev[16];

	vg_json_begin_object(j);
	vg_json_kv_str(j, "id", id);
	vg_json_kv_str(j, "name", f->vm->cve_id ? f->vm->cve_id : id);
	vg_json_key(j, "shortDescription");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "text", summary);
	vg_json_end_object(j);
	vg_json_key(j, "fullDescription");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "text", info->description ? info->description : summary);
	vg_json_end_object(j);
	vg_json_kv_str(j, "helpUri", vuln_url(a, id));
	vg_json_key(j, "help");
	vg_json_begin_object(j);
	vg_json_kv_str(
		j, "text",
		vg_arena_printf(a,
				"%s (%s%s). Update the affected package to a version that fixes it "
				"(see each result's fixedVersion); `vigil scan --format json` "
				"lists the evidence. %s",
				id, vg_fsev_name(f->score.severity),
				info->kev ? ", in CISA KEV" : "", vuln_url(a, id)));
	vg_json_end_object(j);
	vg_json_key(j, "defaultConfiguration");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "level", sarif_level(f->score.severity));
	vg_json_end_object(j);
	vg_json_key(j, "properties");
	vg_json_begin_object(j);
	if (!isnan(f->score.base)) {
		snprintf(sev, sizeof(sev), "%.1f", f->score.base);
		vg_json_kv_str(j, "security-severity", sev);
	}
	vg_json_key(j, "tags");
	vg_json_begin_array(j);
	vg_json_string(j, "security");
	vg_json_string(j, "vulnerability");
	if (info->kev)
		vg_json_string(j, "kev");
	vg_json_end_array(j);
	vg_json_end_object(j);
	vg_json_end_object(j);
}

/* Percent-encode a path for a URI, keeping "/" and unreserved characters. */
static const char *
uri_path(struct vg_arena *a, const char *path)
{
	struct vg_buf b;
	const char *out;

	vg_buf_init(&b, VG_BUF_NOLIMIT);
	while (*path == '/')
		path++;
	for (const char *s = path; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int rc = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					 (c >= '0' && c <= '9') || strchr("-._~/", c)
				 ? vg_buf_addch(&b, (char)c)
				 : vg_buf_addf(&b, "%%%02X", c);

		if (rc < 0)
			break;
	}
	out = vg_arena_strdup(a, b.p);
	vg_buf_release(&b);
	return out;
}

static void
sarif_result(struct vg_json *j, struct vg_arena *a, const struct vg_finding *f, long index)
{
	const struct vg_device_tuple *dt = f->dt;
	const char *name = f->pkg ? f->pkg->name : dt->tuple.package;
	const char *version = f->pkg ? f->pkg->version : dt->tuple.version;
	bool same_source =
		strcmp(name, dt->tuple.package) == 0 && strcmp(version, dt->tuple.version) == 0;

	vg_json_begin_object(j);
	vg_json_kv_str(j, "ruleId", f->vm->id);
	vg_json_kv_int(j, "ruleIndex", index);
	vg_json_kv_str(j, "level", sarif_level(f->score.severity));
	vg_json_key(j, "message");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "text",
		       vg_arena_printf(a, "%s %s%s%s%s%s%s is affected by %s (%s, %s)%s%s.", name,
				       version, same_source ? "" : " (source ",
				       same_source ? "" : dt->tuple.package, same_source ? "" : " ",
				       same_source ? "" : dt->tuple.version, same_source ? "" : ")",
				       f->vm->id, vg_fsev_name(f->score.severity),
				       vg_finding_status_name(f->vm->status),
				       f->vm->fixed_version ? "; fixed in " : "",
				       f->vm->fixed_version ? f->vm->fixed_version : ""));
	vg_json_end_object(j);
	vg_json_key(j, "locations");
	vg_json_begin_array(j);
	vg_json_begin_object(j);
	if (f->pkg && f->pkg->path && *f->pkg->path) {
		vg_json_key(j, "physicalLocation");
		vg_json_begin_object(j);
		vg_json_key(j, "artifactLocation");
		vg_json_begin_object(j);
		vg_json_kv_str(j, "uri", uri_path(a, f->pkg->path));
		vg_json_kv_str(j, "uriBaseId", "SCANROOT");
		vg_json_end_object(j);
		vg_json_end_object(j);
	}
	vg_json_key(j, "logicalLocations");
	vg_json_begin_array(j);
	vg_json_begin_object(j);
	vg_json_kv_str(j, "name", name);
	vg_json_kv_str(j, "fullyQualifiedName",
		       vg_arena_printf(a, "%s:%s@%s", pkg_type_of(f), name, version));
	vg_json_kv_str(j, "kind", "module");
	vg_json_end_object(j);
	vg_json_end_array(j);
	vg_json_end_object(j);
	vg_json_end_array(j);
	vg_json_key(j, "partialFingerprints");
	vg_json_begin_object(j);
	vg_json_kv_str(j, "vigilFinding/v1",
		       vg_arena_printf(a, "%s/%s/%s", dt->tuple.ns ? dt->tuple.ns : "-",
				       dt->tuple.package, f->vm->id));
	vg_json_end_object(j);
	vg_json_key(j, "properties");
	vg_json_begin_object(j);
	vg_json_kv_int(j, "priority", (int64_t)f->rank);
	json_kv_double(j, "risk", f->score.risk, 4);
	vg_json_kv_str(j, "severity", vg_fsev_name(f->score.severity));
	vg_json_kv_str(j, "status", vg_finding_status_name(f->vm->status));
	vg_json_kv_str(j, "fixedVersion", f->vm->fixed_version);
	vg_json_kv_str(j, "confidence", vg_confidence_name(f->vm->confidence));
	vg_json_kv_bool(j, "kev", f->info->kev);
	if (f->info->has_epss)
		json_kv_double(j, "epss", f->info->epss, 5);
	vg_json_kv_str_opt(j, "purl", f->pkg ? f->pkg->purl : NULL);
	vg_json_end_object(j);
	vg_json_end_object(j);
}

static const char *
root_uri(struct vg_arena *a, const char *root)
{
	char *abs = realpath(root, NULL);
	const char *out;

	out = vg_arena_printf(a, "file:///%s%s", uri_path(a, abs ? abs : root),
			      abs && strcmp(abs, "/") == 0 ? "" : "/");
	free(abs);
	return out;
}

int
vg_report_write_sarif(const struct vg_scan_report *r, struct vg_buf *out, unsigned flags)
{
	struct vg_strmap rules; /* id -> 1 + index of its rule */
	struct vg_arena a;
	struct vg_json j;
	int rc;

	vg_arena_init(&a);
	vg_strmap_init(&rules);
	vg_json_init(&j, out, (flags & VG_REPORT_PRETTY) ? VG_JSON_PRETTY : 0);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	vg_json_kv_str(&j, "version", "2.1.0");
	vg_json_key(&j, "runs");
	vg_json_begin_array(&j);
	vg_json_begin_object(&j);
	vg_json_key(&j, "tool");
	vg_json_begin_object(&j);
	vg_json_key(&j, "driver");
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "name", "vigil");
	vg_json_kv_str(&j, "version", VG_VERSION);
	vg_json_key(&j, "rules");
	vg_json_begin_array(&j);
	for (size_t i = 0; i < r->nfindings; i++) {
		struct vg_str id = vg_str_c(r->findings[i].vm->id);

		if (vg_strmap_get(&rules, id))
			continue;
		vg_strmap_put(&rules, id, (void *)(uintptr_t)(rules.n + 1));
		sarif_rule(&j, &a, &r->findings[i]);
	}
	vg_json_end_array(&j);
	vg_json_end_object(&j);
	vg_json_end_object(&j);
	vg_json_key(&j, "originalUriBaseIds");
	vg_json_begin_object(&j);
	vg_json_key(&j, "SCANROOT");
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "uri", root_uri(&a, r->inv->root ? r->inv->root : "/"));
	vg_json_end_object(&j);
	vg_json_end_object(&j);
	vg_json_key(&j, "results");
	vg_json_begin_array(&j);
	for (size_t i = 0; i < r->nfindings; i++)
		sarif_result(
			&j, &a, &r->findings[i],
			(long)(uintptr_t)vg_strmap_get(&rules, vg_str_c(r->findings[i].vm->id)) -
				1);
	vg_json_end_array(&j);
	vg_json_key(&j, "properties");
	vg_json_begin_object(&j);
	json_kv_double(&j, "exposureScore", r->exposure, 1);
	vg_json_kv_str(&j, "band", vg_band_name(r->band));
	vg_json_kv_str(&j, "namespace", vg_device_namespace(r->inv));
	vg_json_kv_str(&j, "hostname", r->inv->os.hostname);
	vg_json_end_object(&j);
	vg_json_end_object(&j);
	vg_json_end_array(&j);
	vg_json_end_object(&j);
	rc = vg_json_finish(&j);
	if (rc == VG_OK)
		rc = vg_buf_addch(out, '\n');
	vg_strmap_release(&rules);
	vg_arena_release(&a);
	return rc;
}

/* ---- table -------------------------------------------------------------------------- */

#define NCOLS 10

enum col { C_RANK, C_RISK, C_SEV, C_ID, C_PKG, C_INST, C_FIXED, C_STATUS, C_EPSS, C_KEV };

static const char *const col_head[NCOLS] = {"#",       "RISK",      "SEVERITY", "VULNERABILITY",
					    "PACKAGE", "INSTALLED", "FIXED",    "STATUS",
					    "EPSS",    "KEV"};

/* Characters of a UTF-8 string (continuation bytes do not count). */
static size_t
text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* @s with control characters replaced by '?': names and versions come from files of the
 * scanned tree, and an image must not be able to drive the terminal.  @s itself when clean. */
static const char *
printable(struct vg_arena *a, const char *s)
{
	char *copy;

	if (!s)
		return NULL;
	for (const char *c = s; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			goto dirty;
	}
	return s;
dirty:
	copy = vg_arena_strdup(a, s);
	for (char *c = copy; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return copy;
}

struct cells {
	const char *c[NCOLS];
	const char *color; /* severity colour of the row */
};

static const char *
sev_color(enum vg_fsev sev)
{
	switch (sev) {
	case VG_FSEV_CRITICAL:
		return "\033[1;31m";
	case VG_FSEV_HIGH:
		return "\033[31m";
	case VG_FSEV_MEDIUM:
		return "\033[33m";
	case VG_FSEV_UNKNOWN:
		return "\033[2m";
	default:
		return NULL;
	}
}

static char *
package_cell(struct vg_arena *a, const struct vg_device_tuple *dt)
{
	struct vg_buf b;
	char *out;

	if (dt->npkgs == 1 && strcmp(dt->pkgs[0]->name, dt->tuple.package) == 0)
		return vg_arena_strdup(a, dt->tuple.package);
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	binaries_text(&b, dt, 3);
	out = vg_arena_printf(a, "%s (%s)", dt->tuple.package, b.p);
	vg_buf_release(&b);
	return out;
}

static void
fill_cells(struct vg_arena *a, const struct vg_finding *f, struct cells *row)
{
	const struct vg_kb_vuln_info *info = f->info;

	row->c[C_RANK] = vg_arena_printf(a, "%zu", f->rank);
	row->c[C_RISK] = vg_arena_printf(a, "%.3f", f->score.risk);
	row->c[C_SEV] = vg_arena_strdup(a, vg_fsev_name(f->score.severity));
	row->c[C_ID] = printable(a, f->vm->id);
	row->c[C_PKG] = printable(a, package_cell(a, f->dt));
	row->c[C_INST] = printable(a, f->pkg ? f->pkg->version : f->dt->tuple.version);
	row->c[C_FIXED] = printable(a, f->vm->fixed_version ? f->vm->fixed_version : "-");
	row->c[C_STATUS] = vg_arena_printf(a, "%s%s", vg_finding_status_name(f->vm->status),
					   f->vm->confidence == VG_CONF_LOW      ? "*"
					   : f->vm->confidence == VG_CONF_MEDIUM ? "?"
										 : "");
	row->c[C_EPSS] = !info->has_epss      ? vg_arena_strdup(a, "-")
			 : info->epss < 0.001 ? vg_arena_strdup(a, "<0.001")
					      : vg_arena_printf(a, "%.3f", info->epss);
	row->c[C_KEV] = vg_arena_strdup(a, info->kev ? "KEV" : "");
	row->color = sev_color(f->score.severity);
}

/* How a too-wide table gives way, step by step, until it fits: the package cell first,
 * then what the JSON repeats anyway (rank, EPSS, risk, the installed version); the severity,
 * the id, the fixed version, the status and the KEV flag stay. */
static const struct {
	enum col col;
	size_t width; /* shrink to this width; 0: drop the column */
} fit_steps[] = {
	{C_PKG, 20}, {C_RANK, 0}, {C_INST, 16},  {C_FIXED, 16}, {C_EPSS, 0}, {C_PKG, 14},
	{C_RISK, 0}, {C_INST, 0}, {C_FIXED, 12}, {C_PKG, 10},   {C_ID, 14},
};

/* Line width of the visible columns (each followed by two blanks but the last). */
static size_t
table_width(const size_t w[NCOLS], const bool show[NCOLS], int indent)
{
	size_t total = (size_t)indent;

	for (int i = 0; i < NCOLS; i++)
		total += show[i] ? w[i] + 2 : 0;
	return total - 2;
}

/* Shrink or drop columns until the table fits @width (0: no limit). */
static void
fit_columns(size_t w[NCOLS], bool show[NCOLS], int width, int indent)
{
	for (size_t k = 0; k < VG_ARRAY_LEN(fit_steps); k++) {
		enum col c = fit_steps[k].col;
		size_t cur = table_width(w, show, indent);

		if (width <= 0 || cur <= (size_t)width)
			return;
		if (!show[c])
			continue;
		if (fit_steps[k].width == 0) {
			show[c] = false;
		} else if (w[c] > fit_steps[k].width) {
			size_t over = cur - (size_t)width, room = w[c] - fit_steps[k].width;

			w[c] -= over < room ? over : room;
		}
	}
}

/* Append @s padded (or cut with an ellipsis) to @w characters. */
static int
put_cell(struct vg_buf *out, const char *s, size_t w, bool last, const char *color)
{
	size_t tw = text_width(s);
	int rc = VG_OK;

	if (color)
		rc = vg_buf_addstr(out, color);
	if (tw <= w) {
		if (rc == VG_OK)
			rc = vg_buf_addstr(out, s);
	} else {
		size_t chars = 0, bytes = 0;

		/* Copy w - 1 characters, then the ellipsis. */
		while (s[bytes] && chars < w - 1) {
			bytes++;
			while (((unsigned char)s[bytes] & 0xC0) == 0x80)
				bytes++;
			chars++;
		}
		if (rc == VG_OK)
			rc = vg_buf_add(out, s, bytes);
		if (rc == VG_OK)
			rc = vg_buf_addstr(out, "\xe2\x80\xa6");
		tw = w;
	}
	if (color && rc == VG_OK)
		rc = vg_buf_addstr(out, "\033[0m");
	for (size_t i = tw; !last && i < w + 2 && rc == VG_OK; i++)
		rc = vg_buf_addch(out, ' ');
	return rc;
}

static int
put_row(struct vg_buf *out, const char *const *c, const size_t w[NCOLS], const bool show[NCOLS],
	const char *color, bool color_on)
{
	int last = NCOLS - 1, rc = vg_buf_addstr(out, "  ");

	while (last > 0 && !show[last])
		last--;
	for (int i = 0; i < NCOLS && rc == VG_OK; i++) {
		const char *cc = NULL;

		if (!show[i])
			continue;
		if (color_on && (i == C_SEV || i == C_ID))
			cc = color;
		if (color_on && i == C_KEV && c[i][0])
			cc = "\033[1;31m";
		rc = put_cell(out, c[i], w[i], i == last, cc);
	}
	/* An empty last cell (no KEV flag) must not leave the line padded. */
	while (rc == VG_OK && out->len && out->p[out->len - 1] == ' ')
		out->p[--out->len] = '\0';
	if (rc == VG_OK)
		rc = vg_buf_addch(out, '\n');
	return rc;
}

static int
write_rows(const struct vg_scan_report *r, struct vg_buf *out, int width, bool color)
{
	struct vg_arena a;
	struct cells *rows = vg_xcalloc(r->nfindings ? r->nfindings : 1, sizeof(*rows));
	size_t w[NCOLS];
	bool show[NCOLS];
	int rc = VG_OK;

	vg_arena_init(&a);
	for (int i = 0; i < NCOLS; i++) {
		w[i] = text_width(col_head[i]);
		show[i] = true;
	}
	for (size_t k = 0; k < r->nfindings; k++) {
		fill_cells(&a, &r->findings[k], &rows[k]);
		for (int i = 0; i < NCOLS; i++) {
			size_t tw = text_width(rows[k].c[i]);

			if (tw > w[i])
				w[i] = tw;
		}
	}
	fit_columns(w, show, width, 2);
	rc = put_row(out, col_head, w, show, NULL, false);
	for (size_t k = 0; k < r->nfindings && rc == VG_OK; k++)
		rc = put_row(out, rows[k].c, w, show, rows[k].color, color);
	free(rows);
	vg_arena_release(&a);
	return rc;
}

static int
header_sources(const struct vg_scan_report *r, struct vg_buf *out)
{
	struct vg_arena a;
	int rc;

	vg_arena_init(&a);
	rc = vg_buf_addf(out,
			 "Knowledge  %s:", r->db_path ? printable(&a, r->db_path) : "(in memory)");

	for (size_t i = 0; i < r->nsources && rc == VG_OK; i++) {
		const struct vg_report_source *s = &r->sources[i];
		const char *date = s->snapshot ? s->snapshot : s->imported_at;
		/* The day of a timestamp is enough to judge freshness (the JSON has it all). */
		int len = date && strlen(date) > 10 && date[4] == '-' && date[10] == 'T' ? 10 : 64;

		rc = vg_buf_addf(out, "%s %s%s%.*s%s", i ? "," : "", printable(&a, s->name),
				 date ? " (" : "", len, date ? printable(&a, date) : "",
				 date ? ")" : "");
		if (rc == VG_OK && s->last_error)
			rc = vg_buf_addstr(out, " [last sync failed]");
	}
	if (rc == VG_OK && r->nsources == 0)
		rc = vg_buf_addstr(out, " no sources");
	vg_arena_release(&a);
	return rc == VG_OK ? vg_buf_addch(out, '\n') : rc;
}

static const char *
band_color(enum vg_band b)
{
	return b == VG_BAND_HIGH ? "\033[1;31m" : b == VG_BAND_MEDIUM ? "\033[33m" : "\033[32m";
}

static int
header_findings(const struct vg_scan_report *r, struct vg_buf *out, bool color)
{
	static const char *const status_words[VG_FS_NSTATUS] = {
		"fix available", "no fix yet", "no DSA (minor)", "will not fix", "end of life"};
	int rc;

	rc = vg_buf_addf(out,
			 "Exposure   %s%.1f / 100 %s%s  (sum of risk %.3f, of which %.3f fixable "
			 "now)\n",
			 color ? band_color(r->band) : "", r->exposure,
			 r->band == VG_BAND_HIGH     ? "HIGH"
			 : r->band == VG_BAND_MEDIUM ? "MEDIUM"
						     : "LOW",
			 color ? "\033[0m" : "", r->risk_sum, r->risk_fixable);
	if (rc == VG_OK)
		rc = vg_buf_addf(out,
				 "Findings   %zu: %zu critical, %zu high, %zu medium, %zu low, %zu "
				 "unknown severity; %zu in CISA KEV\n",
				 r->nfindings, r->by_sev[VG_FSEV_CRITICAL], r->by_sev[VG_FSEV_HIGH],
				 r->by_sev[VG_FSEV_MEDIUM], r->by_sev[VG_FSEV_LOW],
				 r->by_sev[VG_FSEV_UNKNOWN], r->nkev);
	if (rc == VG_OK && r->nfindings)
		rc = vg_buf_addstr(out, "           ");
	for (int s = 0, first = 1; s < VG_FS_NSTATUS && rc == VG_OK && r->nfindings; s++) {
		if (!r->by_status[s])
			continue;
		rc = vg_buf_addf(out, "%s%zu %s", first ? "" : ", ", r->by_status[s],
				 status_words[s]);
		first = 0;
	}
	if (rc == VG_OK && r->nfindings)
		rc = vg_buf_addch(out, '\n');
	if (rc == VG_OK)
		rc = vg_buf_addf(
			out,
			"Resolved   %zu known vulnerabilities of this software are fixed at "
			"or below the installed versions, or do not affect them\n",
			r->nresolved);
	return rc;
}

static int
header(const struct vg_scan_report *r, struct vg_buf *out, bool color)
{
	const struct vg_inventory *inv = r->inv;
	const struct vg_os *os = &inv->os;
	const char *ns = vg_device_namespace(inv);
	struct vg_arena a;
	int rc;

	vg_arena_init(&a);
	rc = vg_buf_addf(out, "Vigil scan of %s\n\n", printable(&a, inv->root ? inv->root : "/"));
	if (rc == VG_OK)
		rc = vg_buf_addf(out, "Device     %s%s%.12s\n",
				 os->hostname ? printable(&a, os->hostname) : "(unknown host)",
				 os->machine_id ? "  machine-id " : "",
				 os->machine_id ? printable(&a, os->machine_id) : "");
	if (rc == VG_OK)
		rc = vg_buf_addf(out, "OS         %s  [%s]%s%s\n",
				 printable(&a, os->pretty_name ? os->pretty_name
					       : os->id        ? os->id
							       : "unknown"),
				 ns ? printable(&a, ns) : "no namespace",
				 inv->network_exposed ? "  network exposed" : "",
				 inv->kernel.reboot_required ? "  reboot required" : "");
	if (rc == VG_OK)
		rc = vg_buf_addf(
			out,
			"Software   %zu packages, %zu distinct (distro data %zu, ecosystem "
			"data %zu, NVD CPE %zu)\n",
			inv->npackages, r->ntuples, r->by_kind[VG_MATCH_DISTRO],
			r->by_kind[VG_MATCH_ECOSYSTEM], r->by_kind[VG_MATCH_CPE]);
	vg_arena_release(&a);
	if (rc == VG_OK)
		rc = header_sources(r, out);
	if (rc == VG_OK)
		rc = header_findings(r, out, color);
	return rc;
}

static int
notes(const struct vg_scan_report *r, struct vg_buf *out)
{
	struct vg_arena a;
	int rc = VG_OK;
	bool low = false, medium = false;

	vg_arena_init(&a);
	for (size_t i = 0; i < r->nfindings; i++) {
		low = low || r->findings[i].vm->confidence == VG_CONF_LOW;
		medium = medium || r->findings[i].vm->confidence == VG_CONF_MEDIUM;
	}
	if (r->nfindings)
		rc = vg_buf_addstr(out,
				   "\nRISK = severity x likelihood x context x status weight "
				   "(docs/scoring.md); --format json shows the evidence of each "
				   "finding.\n");
	if (rc == VG_OK && low)
		rc = vg_buf_addstr(out, "* low confidence: matched by NVD CPE product name and "
					"upstream version only\n");
	if (rc == VG_OK && medium)
		rc = vg_buf_addstr(out, "? the distro has not decided yet (undetermined)\n");
	if (rc == VG_OK && r->by_sev[VG_FSEV_UNKNOWN])
		rc = vg_buf_addf(
			out,
			"Note: %zu findings have no severity: the knowledge base has no CVSS "
			"score or vendor severity for them (import NVD or CVE JSON 5 "
			"records: vigil feeds sync)\n",
			r->by_sev[VG_FSEV_UNKNOWN]);
	for (size_t i = 0; i < r->nuncovered && rc == VG_OK; i++)
		rc = vg_buf_addf(out,
				 "Note: no source in the knowledge base covers '%s'; its packages "
				 "were matched against NVD CPE data only (low confidence)\n",
				 printable(&a, r->uncovered[i]));
	if (rc == VG_OK && r->skips.os_managed_lang)
		rc = vg_buf_addf(
			out,
			"Note: %zu Python/npm packages installed by the OS package manager "
			"are matched through their OS package\n",
			r->skips.os_managed_lang);
	for (size_t i = 0; i < r->nwarnings && rc == VG_OK; i++)
		rc = vg_buf_addf(out, "Warning: %s: %s\n", printable(&a, r->warnings[i].package),
				 printable(&a, r->warnings[i].message));
	vg_arena_release(&a);
	return rc;
}

/* Visible characters of bytes [from, to) of @s: ANSI colour sequences and UTF-8
 * continuation bytes do not count. */
static size_t
visible_width(const char *s, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t i = from; i < to; i++) {
		if (s[i] == '\033') {
			while (i < to && s[i] != 'm')
				i++;
			continue;
		}
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	}
	return n;
}

/* End (exclusive) of the longest prefix of s[from, len) that shows at most @avail characters
 * and ends before a space; a word longer than @avail is cut. */
static size_t
break_at(const char *s, size_t from, size_t len, size_t avail)
{
	size_t i = from, vis = 0, brk = 0;

	while (i < len) {
		if (s[i] == '\033') {
			while (i < len && s[i] != 'm')
				i++;
			i++;
			continue;
		}
		if (s[i] == ' ' && i > from)
			brk = i;
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++vis > avail)
			break;
		i++;
	}
	if (i >= len)
		return len;
	return brk > from ? brk : i;
}

/* Copy the lines of @text to @out, wrapping those wider than @width (0: none) with a hanging
 * indent: under the value of "Key        value" lines, else two spaces. */
static int
append_wrapped(struct vg_buf *out, const struct vg_buf *text, int width)
{
	const char *s = text->p;
	size_t pos = 0;
	int rc = VG_OK;

	while (pos < text->len && rc == VG_OK) {
		const char *nl = memchr(s + pos, '\n', text->len - pos);
		size_t end = nl ? (size_t)(nl - s) : text->len, start = pos, indent;
		bool first = true;

		indent = end - pos > 11 && s[pos] != ' ' && memcmp(s + pos + 9, "  ", 2) == 0 ? 11
											      : 2;
		while (rc == VG_OK) {
			size_t avail = (size_t)width - (first ? 0 : indent), brk;

			if (width <= 0 || (int)indent + 8 > width ||
			    visible_width(s, start, end) <= avail)
				brk = end;
			else
				brk = break_at(s, start, end, avail);
			if (!first)
				rc = vg_buf_addf(out, "%*s", (int)indent, "");
			if (rc == VG_OK)
				rc = vg_buf_add(out, s + start, brk - start);
			if (rc == VG_OK)
				rc = vg_buf_addch(out, '\n');
			start = brk;
			while (start < end && s[start] == ' ')
				start++;
			first = false;
			if (start >= end)
				break;
		}
		pos = end + 1;
	}
	return rc;
}

int
vg_report_write_table(const struct vg_scan_report *r, struct vg_buf *out, int width, unsigned flags)
{
	bool color = flags & VG_REPORT_COLOR;
	struct vg_buf text;
	int rc;

	vg_buf_init(&text, VG_BUF_NOLIMIT);
	rc = header(r, &text, color);
	if (rc == VG_OK)
		rc = append_wrapped(out, &text, width);
	if (rc == VG_OK && r->nfindings) {
		rc = vg_buf_addch(out, '\n');
		if (rc == VG_OK)
			rc = write_rows(r, out, width, color);
	} else if (rc == VG_OK) {
		rc = vg_buf_addstr(out,
				   "\nNo known vulnerabilities affect the installed software.\n");
	}
	vg_buf_reset(&text);
	if (rc == VG_OK)
		rc = notes(r, &text);
	if (rc == VG_OK)
		rc = append_wrapped(out, &text, width);
	vg_buf_release(&text);
	return rc;
}
