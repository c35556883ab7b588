/*
 * match.c - the matching engine: tuples, the cached matcher, the rules that
 * combine statements, and NVD CPE configurations as the fallback.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/cpe.h"
#include "engine/match.h"
#include "engine/strmap.h"

/* Separator of the fields of a cache key (never part of a name or version). */
#define KEY_SEP '\x1f'

/* ---- names ------------------------------------------------------------------- */

const char *
vg_finding_status_name(enum vg_finding_status status)
{
	static const char *const names[VG_FS_NSTATUS] = {
		[VG_FS_FIX_AVAILABLE] = "fixAvailable",
		[VG_FS_NO_FIX] = "noFix",
		[VG_FS_NO_DSA] = "noDsa",
		[VG_FS_WILL_NOT_FIX] = "willNotFix",
		[VG_FS_END_OF_LIFE] = "endOfLife",
	};

	return (unsigned)status < VG_FS_NSTATUS ? names[status] : "unknown";
}

const char *
vg_confidence_name(enum vg_confidence c)
{
	return c == VG_CONF_HIGH ? "high" : c == VG_CONF_MEDIUM ? "medium" : "low";
}

const char *
vg_verdict_name(enum vg_verdict v)
{
	static const char *const names[] = {"affected", "fixed", "not-affected", "out-of-range",
					    "error"};

	return (unsigned)v < VG_ARRAY_LEN(names) ? names[v] : "unknown";
}

const char *
vg_match_kind_name(enum vg_match_kind k)
{
	static const char *const names[] = {"distro", "ecosystem", "cpe", "none"};

	return (unsigned)k < VG_ARRAY_LEN(names) ? names[k] : "unknown";
}

/* ---- growable arrays of pointers (scratch) ------------------------------------ */

struct ptrvec {
	void **v;
	size_t n, cap;
};

static void
ptrvec_push(struct ptrvec *p, void *x)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = vg_xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n++] = x;
}

/* ---- tuples ------------------------------------------------------------------ */

const char *
vg_device_namespace(const struct vg_inventory *inv)
{
	/* The collector names it as the feeds do (collect_os.c: "wolfi:rolling" for Wolfi). */
	return inv->os.namespace_;
}

/* Cache / dedup key of a tuple: ns, package, version, scheme and an optional platform. */
static struct vg_str
tuple_key(struct vg_buf *b, const struct vg_tuple *t, const char *platform)
{
	vg_buf_reset(b);
	if (vg_buf_addf(b, "%s%c%s%c%s%c%d", t->ns ? t->ns : "", KEY_SEP, t->package, KEY_SEP,
			t->version, KEY_SEP, (int)t->scheme) < 0 ||
	    (platform && vg_buf_addf(b, "%c%s", KEY_SEP, platform) < 0))
		vg_buf_reset(b); /* cannot happen: the buffer is unbounded */
	return vg_buf_str(b);
}

static struct vg_str
binary_key(struct vg_buf *b, enum vg_pkg_type type, const char *name)
{
	vg_buf_reset(b);
	if (vg_buf_addf(b, "%d%c%s", (int)type, KEY_SEP, name) < 0)
		vg_buf_reset(b);
	return vg_buf_str(b);
}

/* Map processes and listeners to tuples through the binary package owning them. */
static void
mark_context(const struct vg_inventory *inv, struct vg_strmap *bins, struct vg_buf *kb,
	     struct vg_device_tuple *tuples)
{
	for (size_t i = 0; i < inv->nprocesses; i++) {
		const struct vg_process *p = &inv->processes[i];
		uintptr_t idx;

		if (!p->package)
			continue;
		idx = (uintptr_t)vg_strmap_get(bins, binary_key(kb, p->package_type, p->package));
		if (idx)
			tuples[idx - 1].running = true;
	}
	for (size_t i = 0; i < inv->nlisteners; i++) {
		const struct vg_listener *l = &inv->listeners[i];
		uintptr_t idx = 0;

		/* A listener names its package without a type: try the OS types. */
		for (int t = VG_PKG_DEB; l->package && t <= VG_PKG_APK && !idx; t++)
			idx = (uintptr_t)vg_strmap_get(
				bins, binary_key(kb, (enum vg_pkg_type)t, l->package));
		if (!idx)
			continue;
		tuples[idx - 1].running = true;
		if (l->loopback)
			tuples[idx - 1].loopback = true;
		else
			tuples[idx - 1].listening = true;
	}
}

static bool
has_os_packages(const struct vg_inventory *inv)
{
	for (size_t i = 0; i < inv->npackages; i++)
		if (vg_pkg_type_is_os(inv->packages[i].type))
			return true;
	return false;
}

void
vg_device_tuples(const struct vg_inventory *inv, unsigned flags, struct vg_arena *arena,
		 struct vg_device_tuple **out, size_t *n, struct vg_tuple_skips *skips)
{
	struct vg_strmap seen, bins;
	struct vg_buf key;
	size_t *of = vg_xcalloc(inv->npackages ? inv->npackages : 1, sizeof(*of));
	size_t ntuples = 0, cap = 16;
	struct vg_device_tuple *tuples = vg_xcalloc(cap, sizeof(*tuples));
	bool skip_os_managed = !(flags & VG_TUPLES_OS_MANAGED_LANG) && has_os_packages(inv);
	const char *os_ns = vg_device_namespace(inv);
	struct vg_tuple_skips sk = {0};

	vg_strmap_init(&seen);
	vg_strmap_init(&bins);
	vg_buf_init(&key, VG_BUF_NOLIMIT);
	for (size_t i = 0; i < inv->npackages; i++) {
		const struct vg_package *p = &inv->packages[i];
		struct vg_tuple t;
		uintptr_t idx;

		of[i] = 0;
		switch (vg_package_tuple(p, os_ns, skip_os_managed, arena, &t)) {
		case VG_TUPLE_OS_MANAGED:
			sk.os_managed_lang++;
			continue;
		case VG_TUPLE_NO_VERSION:
			sk.no_version++;
			continue;
		case VG_TUPLE_OK:
			break;
		}
		idx = (uintptr_t)vg_strmap_get(&seen, tuple_key(&key, &t, NULL));
		if (!idx) {
			if (ntuples == cap) {
				cap *= 2;
				tuples = vg_xreallocarray(tuples, cap, sizeof(*tuples));
			}
			memset(&tuples[ntuples], 0, sizeof(tuples[ntuples]));
			tuples[ntuples].tuple = t;
			idx = ++ntuples;
			vg_strmap_put(&seen, vg_buf_str(&key), (void *)idx);
		}
		of[i] = idx;
		tuples[idx - 1].npkgs++;
		if (p->name && !vg_strmap_get(&bins, binary_key(&key, p->type, p->name)))
			vg_strmap_put(&bins, vg_buf_str(&key), (void *)idx);
	}
	for (size_t i = 0; i < ntuples; i++) {
		tuples[i].pkgs = vg_arena_alloc(arena, tuples[i].npkgs * sizeof(*tuples[i].pkgs));
		tuples[i].npkgs = 0;
	}
	for (size_t i = 0; i < inv->npackages; i++)
		if (of[i])
			tuples[of[i] - 1].pkgs[tuples[of[i] - 1].npkgs++] = &inv->packages[i];
	mark_context(inv, &bins, &key, tuples);
	*out = vg_arena_alloc(arena, (ntuples ? ntuples : 1) * sizeof(**out));
	memcpy(*out, tuples, ntuples * sizeof(*tuples));
	*n = ntuples;
	if (skips)
		*skips = sk;
	free(tuples);
	free(of);
	vg_buf_release(&key);
	vg_strmap_release(&bins);
	vg_strmap_release(&seen);
}

/* ---- one statement -------------------------------------------------------------- */

static int
cmp_versions(enum vg_ver_scheme scheme, const char *a, const char *b, int *c, struct vg_err *err)
{
	return vg_ver_compare(scheme, vg_str_c(a), vg_str_c(b), c, err);
}

enum vg_verdict
vg_match_statement(const struct vg_affected *a, const char *version, struct vg_err *err)
{
	int c;

	if (a->status == VG_AFF_NOT_AFFECTED)
		return VG_VERDICT_NOT_AFFECTED;
	if (a->exact) {
		if (cmp_versions(a->scheme, version, a->exact, &c, err) < 0)
			return VG_VERDICT_ERROR;
		return c == 0 ? VG_VERDICT_AFFECTED : VG_VERDICT_OUT_OF_RANGE;
	}
	if (a->introduced) {
		if (cmp_versions(a->scheme, version, a->introduced, &c, err) < 0)
			return VG_VERDICT_ERROR;
		if (c < 0)
			return VG_VERDICT_OUT_OF_RANGE;
	}
	if (a->last_affected) {
		if (cmp_versions(a->scheme, version, a->last_affected, &c, err) < 0)
			return VG_VERDICT_ERROR;
		if (c > 0)
			return VG_VERDICT_OUT_OF_RANGE;
	}
	if (a->status == VG_AFF_FIXED && a->fixed) {
		if (cmp_versions(a->scheme, version, a->fixed, &c, err) < 0)
			return VG_VERDICT_ERROR;
		return c >= 0 ? VG_VERDICT_FIXED : VG_VERDICT_AFFECTED;
	}
	return VG_VERDICT_AFFECTED;
}

/* ---- CPE configurations --------------------------------------------------------- */

/* WFN value without its quoting backslashes, lower-cased, "_" as "-"; false on wildcards. */
static bool
wfn_plain(const struct vg_cpe_value *v, char *out, size_t cap, bool fold)
{
	size_t n = 0;

	if (v->kind != VG_CPE_VALUE || !v->str)
		return false;
	for (const char *s = v->str; *s; s++) {
		char c = *s;

		if (c == '*' || c == '?')
			return false; /* an unquoted wildcard: cannot be told */
		if (c == '\\' && s[1])
			c = *++s;
		if (fold) {
			c = (char)tolower((unsigned char)c);
			if (c == '_')
				c = '-';
		}
		if (n + 1 >= cap)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

static bool
same_product(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = (char)tolower((unsigned char)*a), y = (char)tolower((unsigned char)*b);

		if (x == '_')
			x = '-';
		if (y == '_')
			y = '-';
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* The upstream part of an installed version: what NVD's version ranges speak of. */
static void
upstream_version(const char *v, enum vg_ver_scheme scheme, char *out, size_t cap)
{
	const char *colon = strchr(v, ':'), *end;
	size_t len;

	if ((scheme == VG_VER_DPKG || scheme == VG_VER_RPM) && colon)
		v = colon + 1;
	len = strlen(v);
	if (scheme == VG_VER_DPKG || scheme == VG_VER_RPM || scheme == VG_VER_APK) {
		end = strrchr(v, '-');
		if (end && end != v)
			len = (size_t)(end - v);
	}
	if (len >= cap)
		len = cap - 1;
	memcpy(out, v, len);
	out[len] = '\0';
}

/* Compare an upstream version with an NVD bound: the scheme's comparator when both are
 * valid under it, else the generic one.  false when neither can compare them. */
static bool
cpe_compare(enum vg_ver_scheme scheme, const char *v, const char *bound, int *c)
{
	if (vg_ver_compare(scheme, vg_str_c(v), vg_str_c(bound), c, NULL) == VG_OK)
		return true;
	return vg_ver_compare(VG_VER_GENERIC, vg_str_c(v), vg_str_c(bound), c, NULL) == VG_OK;
}

/* Does an upstream version satisfy a criterion's version value and bounds? */
static bool
cpe_version_applies(const struct vg_cpe_match *m, const struct vg_cpe *cpe, const char *v,
		    enum vg_ver_scheme scheme)
{
	const struct vg_cpe_value *ver = &cpe->attr[VG_CPE_VERSION];
	const struct vg_cpe_value *upd = &cpe->attr[VG_CPE_UPDATE];
	char plain[256];
	int c;

	if (upd->kind == VG_CPE_VALUE)
		return false; /* "2.0:rc1": an update we cannot relate to a package version */
	if (ver->kind == VG_CPE_NA)
		return false;
	if (ver->kind == VG_CPE_VALUE) {
		if (!wfn_plain(ver, plain, sizeof(plain), false))
			return false;
		if (!cpe_compare(scheme, v, plain, &c) || c != 0)
			return false;
	}
	if (m->start_incl && (!cpe_compare(scheme, v, m->start_incl, &c) || c < 0))
		return false;
	if (m->start_excl && (!cpe_compare(scheme, v, m->start_excl, &c) || c <= 0))
		return false;
	if (m->end_incl && (!cpe_compare(scheme, v, m->end_incl, &c) || c > 0))
		return false;
	if (m->end_excl && (!cpe_compare(scheme, v, m->end_excl, &c) || c >= 0))
		return false;
	return true;
}

/* The CPE vendor and product of each OS whose platform criteria we can evaluate. */
static const struct {
	const char *os_id, *vendor, *product;
} os_cpes[] = {
	{"debian", "debian", "debian-linux"},        {"ubuntu", "canonical", "ubuntu-linux"},
	{"rhel", "redhat", "enterprise-linux"},      {"centos", "centos", "centos"},
	{"fedora", "fedoraproject", "fedora"},       {"rocky", "rocky", "rocky-linux"},
	{"almalinux", "almalinux", "almalinux"},     {"alpine", "alpinelinux", "alpine-linux"},
	{"sles", "suse", "linux-enterprise-server"}, {"amzn", "amazon", "linux"},
};

/* Do the leading components of the OS version in @platform ("debian:11") equal those of the
 * criterion's version ("11.0")? */
static bool
os_version_matches(const char *platform, const char *crit)
{
	const char *pv = strchr(platform, ':');
	size_t n;

	if (!pv)
		return false;
	pv++;
	n = strlen(pv);
	return strncmp(pv, crit, n) == 0 && (crit[n] == '\0' || crit[n] == '.');
}

static bool
platform_applies(const struct vg_cpe_match *m, const struct vg_cpe *cpe, const char *platform)
{
	char part[8], vendor[128], product[128], ver[64];
	const struct vg_cpe_value *v = &cpe->attr[VG_CPE_VERSION];
	bool unbounded = !m->start_incl && !m->start_excl && !m->end_incl && !m->end_excl;
	size_t idlen;

	if (!wfn_plain(&cpe->attr[VG_CPE_PART], part, sizeof(part), true) || strcmp(part, "o") != 0)
		return false; /* applications and hardware: we cannot tell */
	if (!wfn_plain(&cpe->attr[VG_CPE_VENDOR], vendor, sizeof(vendor), true) ||
	    !wfn_plain(&cpe->attr[VG_CPE_PRODUCT], product, sizeof(product), true))
		return false;
	if (strcmp(vendor, "linux") == 0 && strcmp(product, "linux-kernel") == 0)
		return v->kind == VG_CPE_ANY && unbounded; /* every device runs one */
	if (!platform || !unbounded)
		return false;
	idlen = strcspn(platform, ":");
	for (size_t i = 0; i < VG_ARRAY_LEN(os_cpes); i++) {
		if (strlen(os_cpes[i].os_id) != idlen ||
		    strncmp(platform, os_cpes[i].os_id, idlen) != 0 ||
		    strcmp(vendor, os_cpes[i].vendor) != 0 ||
		    strcmp(product, os_cpes[i].product) != 0)
			continue;
		if (v->kind == VG_CPE_ANY)
			return true;
		return wfn_plain(v, ver, sizeof(ver), false) && os_version_matches(platform, ver);
	}
	return false;
}

/* One criterion: true when it applies; *@vuln_hit is set for an applying vulnerable one. */
static bool
criterion_applies(const struct vg_cpe_match *m, const char *product, const char *upstream,
		  enum vg_ver_scheme scheme, const char *platform,
		  const struct vg_cpe_match **vuln_hit)
{
	struct vg_cpe cpe;
	char prod[256];
	bool ok = false;

	vg_cpe_init(&cpe);
	if (!m->criteria || vg_cpe_parse(vg_str_c(m->criteria), &cpe, NULL) != VG_OK)
		return false;
	if (!m->vulnerable) {
		ok = platform_applies(m, &cpe, platform);
	} else if (wfn_plain(&cpe.attr[VG_CPE_PRODUCT], prod, sizeof(prod), false) &&
		   same_product(prod, product)) {
		ok = cpe_version_applies(m, &cpe, upstream, scheme);
		if (ok && !*vuln_hit)
			*vuln_hit = m;
	}
	vg_cpe_release(&cpe);
	return ok;
}

static bool
node_applies(const struct vg_cpe_node *node, const char *product, const char *upstream,
	     enum vg_ver_scheme scheme, const char *platform, const struct vg_cpe_match **hit)
{
	bool all = true, any = false;

	for (size_t i = 0; i < node->nmatches; i++) {
		bool ok = criterion_applies(&node->matches[i], product, upstream, scheme, platform,
					    hit);

		all = all && ok;
		any = any || ok;
	}
	if (node->nmatches == 0)
		all = any = false;
	return (node->and_op ? all : any) != node->negate;
}

bool
vg_match_cpe_config(const struct vg_cpe_config *cfg, const char *product, const char *version,
		    enum vg_ver_scheme scheme, const char *platform,
		    const struct vg_cpe_match **matched)
{
	const struct vg_cpe_match *hit = NULL;
	char upstream[VG_VER_MAX_LEN + 1];
	bool all = true, any = false;

	upstream_version(version, scheme, upstream, sizeof(upstream));
	for (size_t i = 0; i < cfg->nnodes; i++) {
		bool ok = node_applies(&cfg->nodes[i], product, upstream, scheme, platform, &hit);

		all = all && ok;
		any = any || ok;
	}
	if (cfg->nnodes == 0 || !hit || !(cfg->and_op ? all : any))
		return false;
	if (matched)
		*matched = hit;
	return true;
}

/* ---- the matcher -------------------------------------------------------------- */

struct vg_matcher {
	struct vg_kb *kb;
	struct vg_arena arena;    /* results and vulnerability details */
	struct vg_strmap cache;   /* tuple key -> struct vg_tuple_result */
	struct vg_strmap vulns;   /* id -> struct vg_kb_vuln_info */
	struct vg_strmap covered; /* namespace -> &covered_yes / &covered_no */
	struct vg_buf key;
	struct vg_matcher_stats st;
};

static char covered_yes = 1, covered_no = 0;

struct vg_matcher *
vg_matcher_new(struct vg_kb *kb)
{
	struct vg_matcher *m = vg_xcalloc(1, sizeof(*m));

	m->kb = kb;
	vg_arena_init(&m->arena);
	vg_strmap_init(&m->cache);
	vg_strmap_init(&m->vulns);
	vg_strmap_init(&m->covered);
	vg_buf_init(&m->key, VG_BUF_NOLIMIT);
	return m;
}

void
vg_matcher_free(struct vg_matcher *m)
{
	if (!m)
		return;
	vg_buf_release(&m->key);
	vg_strmap_release(&m->covered);
	vg_strmap_release(&m->vulns);
	vg_strmap_release(&m->cache);
	vg_arena_release(&m->arena);
	free(m);
}

struct vg_kb *
vg_matcher_kb(struct vg_matcher *m)
{
	return m->kb;
}

void
vg_matcher_stats(const struct vg_matcher *m, struct vg_matcher_stats *out)
{
	*out = m->st;
	out->cached_tuples = m->cache.n;
}

int
vg_matcher_vuln_info(struct vg_matcher *m, const char *id, const struct vg_kb_vuln_info **out,
		     struct vg_err *err)
{
	struct vg_kb_vuln_info *info;
	int rc;

	m->st.vuln_lookups++;
	info = vg_strmap_get(&m->vulns, vg_str_c(id));
	if (!info) {
		info = vg_arena_alloc(&m->arena, sizeof(*info));
		rc = vg_kb_vuln_info(m->kb, id, &m->arena, info, err);
		if (rc < 0)
			return rc;
		m->st.vuln_queries++;
		if (!info->id)
			info->id = vg_arena_strdup(&m->arena, id);
		vg_strmap_put(&m->vulns, vg_str_c(id), info);
	}
	*out = info;
	return VG_OK;
}

static int
ns_covered(struct vg_matcher *m, const char *ns, bool *covered, struct vg_err *err)
{
	const char *v;
	int rc;

	if (!ns) {
		*covered = false;
		return VG_OK;
	}
	v = vg_strmap_get(&m->covered, vg_str_c(ns));
	if (!v) {
		rc = vg_kb_ns_covered(m->kb, ns, covered, err);
		if (rc < 0)
			return rc;
		m->st.ns_queries++;
		vg_strmap_put(&m->covered, vg_str_c(ns), *covered ? &covered_yes : &covered_no);
		return VG_OK;
	}
	*covered = v == &covered_yes;
	return VG_OK;
}

/* ---- matching one tuple ---------------------------------------------------------- */

/* A statement or matched CPE configuration while a tuple is being matched (scratch). */
struct stmt {
	struct vg_affected a; /* strings in the scratch arena */
	const char *source;
	const char *key;              /* the vulnerability it is about: CVE, else record id */
	const char *cve;              /* CVE id or NULL */
	const char *criteria, *range; /* CPE */
	enum vg_verdict verdict;
};

struct job {
	struct vg_matcher *m;
	const struct vg_tuple *t;
	const char *platform;
	struct vg_arena scratch;
	struct ptrvec stmts;    /* struct stmt * */
	struct ptrvec warnings; /* char * in the matcher's arena */
	struct ptrvec vulns;    /* struct vg_vuln_match * in the matcher's arena */
	size_t nresolved;
	int rc;
	struct vg_err *err;
};

static void warn(struct job *j, const char *fmt, ...) VG_PRINTF(2, 3);

static void
warn(struct job *j, const char *fmt, ...)
{
	char msg[VG_ERR_MSG_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Statements repeat the same problem: keep each message once, and a few at most. */
	for (size_t i = 0; i < j->warnings.n; i++)
		if (strcmp(j->warnings.v[i], msg) == 0)
			return;
	if (j->warnings.n < 32)
		ptrvec_push(&j->warnings, vg_arena_strdup(&j->m->arena, msg));
}

static const char *
sdup(struct job *j, const char *s)
{
	return vg_arena_strdup(&j->scratch, s);
}

static int
collect_cb(const struct vg_kb_affected *row, void *ctx)
{
	struct job *j = ctx;
	struct stmt *s = vg_arena_alloc(&j->scratch, sizeof(*s));
	const struct vg_affected *a = &row->a;

	s->a = *a;
	s->a.vuln_id = sdup(j, a->vuln_id);
	s->a.advisory = sdup(j, a->advisory);
	s->a.ns = sdup(j, a->ns);
	s->a.package = sdup(j, a->package);
	s->a.introduced = sdup(j, a->introduced);
	s->a.fixed = sdup(j, a->fixed);
	s->a.last_affected = sdup(j, a->last_affected);
	s->a.exact = sdup(j, a->exact);
	s->a.urgency = sdup(j, a->urgency);
	s->a.note = sdup(j, a->note);
	s->source = sdup(j, row->source);
	ptrvec_push(&j->stmts, s);
	j->m->st.statements++;
	return VG_OK;
}

static bool
is_cve(const char *id)
{
	return id && strncmp(id, "CVE-", 4) == 0;
}

/* Group key of a statement: its CVE, through the record's aliases when it is no CVE. */
static int
stmt_key(struct job *j, struct stmt *s)
{
	const struct vg_kb_vuln_info *info;
	int rc;

	if (!s->a.vuln_id) {
		s->key = "(unnamed)";
		return VG_OK;
	}
	if (is_cve(s->a.vuln_id)) {
		s->key = s->cve = s->a.vuln_id;
		return VG_OK;
	}
	rc = vg_matcher_vuln_info(j->m, s->a.vuln_id, &info, j->err);
	if (rc < 0)
		return rc;
	s->cve = is_cve(info->cve_id) ? info->cve_id : NULL;
	s->key = s->cve ? s->cve : s->a.vuln_id;
	return VG_OK;
}

static int
stmt_cmp(const void *pa, const void *pb)
{
	const struct stmt *a = *(const struct stmt *const *)pa;
	const struct stmt *b = *(const struct stmt *const *)pb;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	c = strcmp(a->source ? a->source : "", b->source ? b->source : "");
	if (c)
		return c;
	return strcmp(a->a.advisory ? a->a.advisory : "", b->a.advisory ? b->a.advisory : "");
}

/* The distro decision that wins when no fix is available (higher is more specific). */
static int
status_rank(enum vg_aff_status s)
{
	switch (s) {
	case VG_AFF_END_OF_LIFE:
		return 5;
	case VG_AFF_WONT_FIX:
		return 4;
	case VG_AFF_NO_DSA:
		return 3;
	case VG_AFF_UNDETERMINED:
		return 1;
	default:
		return 2;
	}
}

static enum vg_finding_status
finding_status(enum vg_aff_status s)
{
	switch (s) {
	case VG_AFF_END_OF_LIFE:
		return VG_FS_END_OF_LIFE;
	case VG_AFF_WONT_FIX:
		return VG_FS_WILL_NOT_FIX;
	case VG_AFF_NO_DSA:
		return VG_FS_NO_DSA;
	default:
		return VG_FS_NO_FIX;
	}
}

static const char *
pdup(struct job *j, const char *s)
{
	return vg_arena_strdup(&j->m->arena, s);
}

static void
fill_evidence(struct job *j, struct vg_evidence *e, const struct stmt *s)
{
	const struct vg_affected *a = &s->a;

	*e = (struct vg_evidence){
		.source = pdup(j, s->source),
		.record = pdup(j, a->advisory ? a->advisory : a->vuln_id),
		.vuln_id = pdup(j, a->vuln_id),
		.ns = pdup(j, a->ns),
		.package = pdup(j, a->package),
		.scheme = vg_ver_scheme_name(a->scheme),
		.status = s->criteria ? "cpe" : vg_aff_status_name(a->status),
		.introduced = pdup(j, a->introduced),
		.fixed = pdup(j, a->fixed),
		.last_affected = pdup(j, a->last_affected),
		.exact = pdup(j, a->exact),
		.urgency = pdup(j, a->urgency),
		.note = pdup(j, a->note),
		.criteria = pdup(j, s->criteria),
		.range = pdup(j, s->range),
		.verdict = s->verdict,
	};
}

/* Is fixed version @a lower than @b (under @scheme; an incomparable pair keeps @b)? */
static bool
lower_fix(enum vg_ver_scheme scheme, const char *a, const char *b)
{
	int c;

	return vg_ver_compare(scheme, vg_str_c(a), vg_str_c(b), &c, NULL) == VG_OK && c < 0;
}

/* Decide one group of statements about the same vulnerability: [g, g + n). */
static void
decide(struct job *j, struct stmt **g, size_t n, enum vg_match_kind kind)
{
	const struct stmt *fix = NULL, *pick = NULL;
	bool resolved = false, any_fixed = false, all_undetermined = true;
	struct vg_vuln_match *vm;
	struct vg_evidence *ev;
	size_t naff = 0;

	for (size_t i = 0; i < n; i++) {
		const struct stmt *s = g[i];

		any_fixed = any_fixed || s->verdict == VG_VERDICT_FIXED;
		/* Distro data: fixed at or below the installed version, or not affected,
		 * settles it (the backport rule); OSV ecosystems: explicit "not affected". */
		if (s->verdict == VG_VERDICT_NOT_AFFECTED ||
		    (kind == VG_MATCH_DISTRO && s->verdict == VG_VERDICT_FIXED))
			resolved = true;
		if (s->verdict != VG_VERDICT_AFFECTED)
			continue;
		naff++;
		if (s->a.status != VG_AFF_UNDETERMINED)
			all_undetermined = false;
		if (s->a.status == VG_AFF_FIXED && s->a.fixed) {
			if (!fix || lower_fix(s->a.scheme, s->a.fixed, fix->a.fixed))
				fix = s;
		} else if (!pick || status_rank(s->a.status) > status_rank(pick->a.status)) {
			pick = s;
		}
	}
	if (resolved || naff == 0) {
		if (resolved || any_fixed)
			j->nresolved++;
		return;
	}
	vm = vg_arena_alloc(&j->m->arena, sizeof(*vm));
	vm->id = pdup(j, g[0]->key);
	vm->cve_id = pdup(j, g[0]->cve);
	vm->status = fix ? VG_FS_FIX_AVAILABLE : finding_status(pick->a.status);
	vm->fixed_version = fix ? pdup(j, fix->a.fixed) : NULL;
	vm->confidence = kind == VG_MATCH_CPE ? VG_CONF_LOW
			 : all_undetermined   ? VG_CONF_MEDIUM
					      : VG_CONF_HIGH;
	if (!fix)
		fix = pick;
	vm->source = pdup(j, fix->source);
	for (size_t i = 0; i < n && !vm->urgency; i++)
		if (g[i]->verdict == VG_VERDICT_AFFECTED && g[i]->a.urgency)
			vm->urgency = pdup(j, g[i]->a.urgency);
	ev = vg_arena_alloc(&j->m->arena, n * sizeof(*ev));
	for (size_t i = 0; i < n; i++)
		fill_evidence(j, &ev[i], g[i]);
	vm->evidence = ev;
	vm->nevidence = n;
	ptrvec_push(&j->vulns, vm);
}

/* Sort the collected statements by vulnerability and decide each group. */
static int
decide_all(struct job *j, enum vg_match_kind kind)
{
	struct stmt **s = (struct stmt **)j->stmts.v;
	size_t n = j->stmts.n;

	for (size_t i = 0; i < n; i++) {
		int rc = stmt_key(j, s[i]);

		if (rc < 0)
			return rc;
	}
	if (n > 1)
		qsort(s, n, sizeof(*s), stmt_cmp);
	for (size_t i = 0; i < n;) {
		size_t k = i + 1;

		while (k < n && strcmp(s[k]->key, s[i]->key) == 0)
			k++;
		decide(j, s + i, k - i, kind);
		i = k;
	}
	return VG_OK;
}

static int
match_statements(struct job *j)
{
	const struct vg_tuple *t = j->t;
	struct vg_err verr;
	int rc;

	rc = vg_kb_affected_each(j->m->kb, t->ns, t->package, collect_cb, j, j->err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < j->stmts.n; i++) {
		struct stmt *s = j->stmts.v[i];

		vg_err_clear(&verr);
		s->verdict = vg_match_statement(&s->a, t->version, &verr);
		if (s->verdict == VG_VERDICT_ERROR)
			warn(j, "statement %s of %s: %s", s->a.advisory ? s->a.advisory : "",
			     s->a.vuln_id ? s->a.vuln_id : "", verr.msg);
	}
	return VG_OK;
}

static char *
range_text(struct vg_arena *a, const struct vg_cpe_match *m)
{
	if (!m->start_incl && !m->start_excl && !m->end_incl && !m->end_excl)
		return NULL;
	return vg_arena_printf(a, "%s%s, %s%s", m->start_excl ? "(" : "[",
			       m->start_incl   ? m->start_incl
			       : m->start_excl ? m->start_excl
					       : "",
			       m->end_incl   ? m->end_incl
			       : m->end_excl ? m->end_excl
					     : "",
			       m->end_incl ? "]" : ")");
}

static int
cpe_cb(const char *vuln_id, const struct vg_cpe_config *cfg, void *ctx)
{
	struct job *j = ctx;
	const struct vg_cpe_match *hit = NULL;
	struct stmt *s;

	j->m->st.cpe_configs++;
	if (!vg_match_cpe_config(cfg, j->t->package, j->t->version, j->t->scheme, j->platform,
				 &hit))
		return VG_OK;
	s = vg_arena_alloc(&j->scratch, sizeof(*s));
	s->a.vuln_id = sdup(j, vuln_id);
	s->a.ns = "cpe";
	s->a.package = sdup(j, j->t->package);
	s->a.scheme = j->t->scheme;
	s->a.status = hit->end_excl ? VG_AFF_FIXED : VG_AFF_AFFECTED;
	s->a.fixed = sdup(j, hit->end_excl);
	s->source = "nvd";
	s->criteria = sdup(j, hit->criteria);
	s->range = range_text(&j->scratch, hit);
	s->verdict = VG_VERDICT_AFFECTED;
	ptrvec_push(&j->stmts, s);
	return VG_OK;
}

static int
match_cpe(struct job *j)
{
	char product[512];
	size_t i;

	for (i = 0; j->t->package[i] && i + 1 < sizeof(product); i++)
		product[i] = (char)tolower((unsigned char)j->t->package[i]);
	product[i] = '\0';
	return vg_kb_cpe_configs_each(j->m->kb, product, cpe_cb, j, j->err);
}

static bool
is_ecosystem(const char *ns)
{
	return ns && !strchr(ns, ':');
}

/* Copy a scratch vector of pointers into the matcher's arena. */
static const void *
keep_vec(struct vg_matcher *m, struct ptrvec *p, size_t elem, bool deref)
{
	char *out = vg_arena_alloc(&m->arena, (p->n ? p->n : 1) * elem);

	for (size_t i = 0; i < p->n; i++) {
		if (deref)
			memcpy(out + i * elem, p->v[i], elem);
		else
			memcpy(out + i * elem, &p->v[i], elem);
	}
	return out;
}

static int
run_match(struct job *j, struct vg_tuple_result *r)
{
	struct vg_err verr;
	bool covered;
	int rc;

	r->kind = VG_MATCH_NONE;
	if (!j->t->package || !j->t->version)
		return VG_OK;
	vg_err_clear(&verr);
	if (vg_ver_validate(j->t->scheme, vg_str_c(j->t->version), &verr) < 0) {
		warn(j, "installed version '%s' is not a valid %s version: %s", j->t->version,
		     vg_ver_scheme_name(j->t->scheme), verr.msg);
		return VG_OK;
	}
	rc = ns_covered(j->m, j->t->ns, &covered, j->err);
	if (rc < 0)
		return rc;
	if (covered) {
		r->kind = is_ecosystem(j->t->ns) ? VG_MATCH_ECOSYSTEM : VG_MATCH_DISTRO;
		rc = match_statements(j);
	} else {
		r->kind = VG_MATCH_CPE;
		rc = match_cpe(j);
	}
	if (rc < 0)
		return rc;
	r->nstatements = j->stmts.n;
	return decide_all(j, r->kind);
}

int
vg_matcher_match(struct vg_matcher *m, const struct vg_tuple *t, const char *platform,
		 const struct vg_tuple_result **out, struct vg_err *err)
{
	struct vg_tuple_result *r;
	struct job j = {.m = m, .t = t, .err = err};
	bool covered;
	struct vg_str key;
	int rc;

	m->st.lookups++;
	/* The platform matters only to CPE configurations, so it is part of the key only for
	 * tuples of namespaces no source covers (and of tuples without a namespace). */
	rc = ns_covered(m, t->ns, &covered, err);
	if (rc < 0)
		return rc;
	j.platform = covered ? NULL : platform;
	key = tuple_key(&m->key, t, j.platform);
	r = vg_strmap_get(&m->cache, key);
	if (r) {
		*out = r;
		return VG_OK;
	}
	m->st.matches++;
	r = vg_arena_alloc(&m->arena, sizeof(*r));
	r->tuple = (struct vg_tuple){pdup(&j, t->ns), pdup(&j, t->package), pdup(&j, t->version),
				     t->scheme};
	vg_arena_init(&j.scratch);
	rc = run_match(&j, r);
	if (rc == VG_OK) {
		r->vulns = keep_vec(m, &j.vulns, sizeof(*r->vulns), true);
		r->nvulns = j.vulns.n;
		r->warnings = keep_vec(m, &j.warnings, sizeof(*r->warnings), false);
		r->nwarnings = j.warnings.n;
		r->nresolved = j.nresolved;
		/* @key is a view of m->key: build it again rather than rely on nothing
		 * having touched the buffer while matching. */
		vg_strmap_put(&m->cache, tuple_key(&m->key, t, j.platform), r);
		*out = r;
	}
	free(j.stmts.v);
	free(j.warnings.v);
	free(j.vulns.v);
	vg_arena_release(&j.scratch);
	return rc;
}
