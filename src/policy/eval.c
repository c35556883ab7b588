/*
 * eval.c - the evaluator's core: results, combining rules, applicability,
 * policy requirements, the regex cache, the per-device Secure Score and the
 * watch paths (eval.h).  The rule kinds live in eval_rules.c (Vigil format)
 * and eval_sca.c (Wazuh SCA); docs/internals/sca-eval.md explains them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pcre2.h>

#include "core/alloc.h"
#include "agent/document.h"
#include "policy/eval_int.h"

/* Limits that keep a hostile pattern from running for long (pcre2_set_*_limit). */
#define RE_MATCH_LIMIT 1000000
#define RE_DEPTH_LIMIT 10000
#define RE_HEAP_LIMIT  (16 * 1024) /* KiB */
#define RE_BUCKETS     1024
#define RE_OVECTOR     32

struct re_entry {
	struct re_entry *next;
	unsigned flags;
	char *pattern;
	pcre2_code *code; /* NULL: did not compile, see error */
	char *error;
};

/* Everything private behind ev->regex_cache. */
struct eval_priv {
	struct re_entry *buckets[RE_BUCKETS];
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char errbuf[256];
	bool os_loaded;
	int proc_sys; /* -1 unknown, 0, 1 */
};

static const char *const result_names[] = {"passed", "failed", "notApplicable", "error"};

const char *
vg_result_name(enum vg_result r)
{
	if ((unsigned)r > VG_RESULT_ERROR)
		return "error";
	return result_names[r];
}

bool
vg_result_parse(const char *s, enum vg_result *out)
{
	for (unsigned i = 0; i <= VG_RESULT_ERROR; i++) {
		if (s && strcmp(s, result_names[i]) == 0) {
			*out = (enum vg_result)i;
			return true;
		}
	}
	return false;
}

static struct eval_priv *
priv(struct vg_evaluator *ev)
{
	if (!ev->regex_cache) {
		struct eval_priv *p = vg_xcalloc(1, sizeof(*p));
		p->md = pcre2_match_data_create(RE_OVECTOR, NULL);
		p->mctx = pcre2_match_context_create(NULL);
		if (!p->md || !p->mctx)
			abort();
		pcre2_set_match_limit(p->mctx, RE_MATCH_LIMIT);
		pcre2_set_depth_limit(p->mctx, RE_DEPTH_LIMIT);
		pcre2_set_heap_limit(p->mctx, RE_HEAP_LIMIT);
		p->proc_sys = -1;
		ev->regex_cache = p;
	}
	return ev->regex_cache;
}

void
vg_eval_init(struct vg_evaluator *ev, const char *root, const struct vg_inventory *inv,
	     const struct vg_eval_opts *opts)
{
	memset(ev, 0, sizeof(*ev));
	vg_probe_init(&ev->probe, root);
	ev->inv = inv;
	if (opts)
		ev->opts = *opts;
	if (ev->opts.command_timeout_ms <= 0)
		ev->opts.command_timeout_ms = VG_EVAL_CMD_TIMEOUT_MS;
	if (ev->opts.command_max_output == 0)
		ev->opts.command_max_output = VG_EVAL_CMD_MAX_OUTPUT;
	vg_arena_init(&ev->arena);
}

void
vg_eval_release(struct vg_evaluator *ev)
{
	struct eval_priv *p = ev->regex_cache;

	if (p) {
		for (size_t i = 0; i < RE_BUCKETS; i++) {
			struct re_entry *e = p->buckets[i], *next;
			for (; e; e = next) {
				next = e->next;
				pcre2_code_free(e->code);
				free(e->pattern);
				free(e->error);
				free(e);
			}
		}
		pcre2_match_data_free(p->md);
		pcre2_match_context_free(p->mctx);
		free(p);
	}
	vg_probe_release(&ev->probe);
	vg_arena_release(&ev->arena);
	memset(ev, 0, sizeof(*ev));
}

/* ---- text helpers ---- */

static const char *vfmt(struct vg_evaluator *ev, const char *fmt, va_list ap) VG_PRINTF(2, 0);

static const char *
vfmt(struct vg_evaluator *ev, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return "";
	if ((size_t)n < sizeof(small))
		return vg_arena_strdup(&ev->arena, small);
	char *big = vg_arena_alloc(&ev->arena, (size_t)n + 1);
	(void)vsnprintf(big, (size_t)n + 1, fmt, ap);
	return big;
}

const char *
vg_eval_fmt(struct vg_evaluator *ev, const char *fmt, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	s = vfmt(ev, fmt, ap);
	va_end(ap);
	return s;
}

struct vg_outcome
vg_eval_na(struct vg_evaluator *ev, const char *fmt, ...)
{
	struct vg_outcome o = {.v = VG_TRI_NA};
	va_list ap;

	va_start(ap, fmt);
	o.found = vfmt(ev, fmt, ap);
	va_end(ap);
	return o;
}

struct vg_outcome
vg_eval_err(struct vg_evaluator *ev, const char *fmt, ...)
{
	struct vg_outcome o = {.v = VG_TRI_ERROR};
	va_list ap;

	va_start(ap, fmt);
	o.found = vfmt(ev, fmt, ap);
	va_end(ap);
	return o;
}

struct vg_outcome
vg_eval_io(struct vg_evaluator *ev, int code, const char *what)
{
	if (code == VG_EPERM)
		return vg_eval_err(ev, "cannot read '%s': permission denied", what);
	if (code == VG_ETOOBIG)
		return vg_eval_err(ev, "cannot read '%s': file too big", what);
	if (code == VG_EINVAL)
		return vg_eval_err(ev, "cannot read '%s': invalid path", what);
	return vg_eval_err(ev, "cannot read '%s': %s", what, vg_strerror(code));
}

/* A copy of @s of at most VG_EVAL_MAX_TEXT bytes, cut at a UTF-8 character boundary. */
static const char *
cap_text(struct vg_evaluator *ev, const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n <= VG_EVAL_MAX_TEXT)
		return s;
	n = VG_EVAL_MAX_TEXT;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return vg_arena_strndup(&ev->arena, vg_str_n(s, n));
}

const char *
vg_eval_evidence(struct vg_evaluator *ev, const char *file, int line, struct vg_str text)
{
	text = vg_str_trim(text);
	if (text.len > 2 * VG_EVAL_MAX_TEXT)
		text.len = 2 * VG_EVAL_MAX_TEXT;
	return vg_eval_fmt(ev, "%s:%d: %.*s", file, line, (int)text.len, text.p);
}

const char *
vg_eval_line_evidence(struct vg_evaluator *ev, const char *file, int line)
{
	char *data = NULL;
	size_t len = 0, pos = 0;
	struct vg_str l;
	const char *out = NULL;

	if (!file)
		return NULL;
	if (vg_probe_read(&ev->probe, file, &data, &len) == VG_OK) {
		for (int i = 1; vg_str_next_line(vg_str_n(data, len), &pos, &l); i++) {
			if (i == line) {
				out = vg_eval_evidence(ev, file, line, l);
				break;
			}
		}
	}
	free(data);
	return out ? out : vg_eval_fmt(ev, "%s:%d", file, line);
}

const char *
vg_eval_basename(struct vg_evaluator *ev, const char *path)
{
	const char *b, *del;

	if (!path)
		return NULL;
	b = strrchr(path, '/');
	b = b ? b + 1 : path;
	del = strstr(b, " (deleted)");
	return vg_arena_strndup(&ev->arena, vg_str_n(b, del ? (size_t)(del - b) : strlen(b)));
}

bool
vg_eval_pkg_installed(const struct vg_inventory *inv, const char *name, const char **version)
{
	for (size_t i = 0; inv && i < inv->npackages; i++) {
		const struct vg_package *p = &inv->packages[i];
		if (p->type != VG_PKG_DEB && p->type != VG_PKG_RPM && p->type != VG_PKG_APK)
			continue;
		if (p->name && strcmp(p->name, name) == 0) {
			if (version)
				*version = p->version;
			return true;
		}
	}
	return false;
}

bool
vg_eval_has_proc_sys(struct vg_evaluator *ev)
{
	struct eval_priv *p = priv(ev);

	if (p->proc_sys < 0) {
		struct vg_probe_stat st;
		p->proc_sys = vg_probe_stat(&ev->probe, "/proc/sys", 0, &st) == VG_OK &&
			      st.type == VG_PROBE_DIR;
	}
	return p->proc_sys == 1;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
vg_eval_list_dir(struct vg_evaluator *ev, const char *rel, const char ***names, size_t *n)
{
	char host[VG_PROBE_PATH_MAX];
	char **tmp = NULL;
	const char **v;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = vg_probe_resolve(&ev->probe, rel, 0, host, sizeof(host));

	*names = NULL;
	*n = 0;
	if (rc)
		return rc;
	d = opendir(host);
	if (!d) {
		if (errno == ENOENT)
			return VG_ENOTFOUND;
		if (errno == ENOTDIR)
			return VG_EINVAL;
		return errno == EACCES ? VG_EPERM : VG_EIO;
	}
	while ((de = readdir(d)) && cnt < VG_PROBE_MAX_DIRENTS) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (cnt == cap) {
			cap = cap ? 2 * cap : 32;
			tmp = vg_xreallocarray(tmp, cap, sizeof(*tmp));
		}
		tmp[cnt++] = vg_arena_strdup(&ev->arena, de->d_name);
	}
	closedir(d);
	if (cnt)
		qsort(tmp, cnt, sizeof(*tmp), cmp_names);
	/* Exactly sized in the arena: a d: rule may walk a whole tree. */
	v = vg_arena_alloc(&ev->arena, (cnt ? cnt : 1) * sizeof(*v));
	for (size_t i = 0; i < cnt; i++)
		v[i] = tmp[i];
	free(tmp);
	*names = v;
	*n = cnt;
	return VG_OK;
}

/* ---- regexes ---- */

static uint32_t
hash_key(const char *s, unsigned flags)
{
	uint32_t h = 2166136261u ^ flags;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct re_entry *
compile(struct eval_priv *p, const char *pattern, unsigned flags)
{
	uint32_t slot = hash_key(pattern, flags) % RE_BUCKETS;
	struct re_entry *e;
	const char *src = pattern;
	struct vg_buf tr;
	struct vg_err err;
	int ecode;
	PCRE2_SIZE eoff;

	for (e = p->buckets[slot]; e; e = e->next)
		if (e->flags == flags && strcmp(e->pattern, pattern) == 0)
			return e;
	e = vg_xcalloc(1, sizeof(*e));
	e->flags = flags;
	e->pattern = vg_xstrdup(pattern);
	vg_buf_init(&tr, 64 * 1024);
	vg_err_clear(&err);
	if ((flags & VG_RE_OSREGEX) && vg_osregex_to_pcre2(pattern, &tr, &err) != VG_OK) {
		e->error = vg_xstrdup(err.msg);
	} else {
		if (flags & VG_RE_OSREGEX)
			src = tr.p;
		e->code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
					(flags & VG_RE_CASELESS) ? PCRE2_CASELESS : 0, &ecode,
					&eoff, NULL);
		if (!e->code) {
			PCRE2_UCHAR msg[160];
			pcre2_get_error_message(ecode, msg, sizeof(msg));
			e->error = vg_xstrdup((const char *)msg);
		}
	}
	vg_buf_release(&tr);
	e->next = p->buckets[slot];
	p->buckets[slot] = e;
	return e;
}

int
vg_eval_regex(struct vg_evaluator *ev, const char *pattern, unsigned flags, const char *s,
	      size_t len, struct vg_str *cap, const char **errmsg)
{
	struct eval_priv *p = priv(ev);
	struct re_entry *e = compile(p, pattern, flags);
	int rc;

	if (cap)
		*cap = (struct vg_str){NULL, 0};
	if (!e->code) {
		if (errmsg)
			*errmsg = e->error;
		return VG_EINVAL;
	}
	rc = pcre2_match(e->code, (PCRE2_SPTR)s, len, 0, 0, p->md, p->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		pcre2_get_error_message(rc, (PCRE2_UCHAR *)p->errbuf, sizeof(p->errbuf));
		if (errmsg)
			*errmsg = p->errbuf;
		return VG_EIO;
	}
	if (cap) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
		for (int i = 1; i < rc; i++) {
			if (ov[2 * i] != PCRE2_UNSET) {
				*cap = vg_str_n(s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
				break;
			}
		}
	}
	return 1;
}

/* ---- applicability ---- */

static const struct vg_os *
device_os(struct vg_evaluator *ev)
{
	struct eval_priv *p = priv(ev);

	if (ev->inv && ev->inv->os.id)
		return &ev->inv->os;
	if (!p->os_loaded) {
		p->os_loaded = true;
		(void)vg_collect_os(&ev->probe.inv);
	}
	return &ev->probe.inv.os;
}

static bool
word_in(const char *words, const char *w)
{
	size_t n = strlen(w);

	for (const char *s = words; s && *s;) {
		size_t len = strcspn(s, " \t");
		if (len == n && strncasecmp(s, w, n) == 0)
			return true;
		s += len;
		s += strspn(s, " \t");
	}
	return false;
}

static const char *
join(struct vg_evaluator *ev, const char **v, size_t n)
{
	struct vg_buf b;
	const char *out;

	vg_buf_init(&b, 4 * VG_EVAL_MAX_TEXT);
	for (size_t i = 0; i < n; i++)
		if (vg_buf_addstr(&b, i ? ", " : "") || vg_buf_addstr(&b, v[i]))
			break;
	out = vg_arena_strdup(&ev->arena, b.p);
	vg_buf_release(&b);
	return out;
}

/* NULL when @check applies, else the reason. */
static const char *
not_applicable(struct vg_evaluator *ev, const struct vg_check *check)
{
	const struct vg_applies *a = &check->applies;

	if (a->ndistros) {
		const struct vg_os *os = device_os(ev);
		bool ok = false;
		for (size_t i = 0; i < a->ndistros && !ok; i++)
			ok = (os->id && strcasecmp(os->id, a->distros[i]) == 0) ||
			     word_in(os->id_like, a->distros[i]);
		if (!ok)
			return vg_eval_fmt(ev, "does not apply: distro '%s' is not %s",
					   os->id ? os->id : "unknown",
					   join(ev, a->distros, a->ndistros));
	}
	if (a->npackages) {
		if (!ev->inv)
			return vg_eval_fmt(ev, "does not apply: no package inventory to find %s",
					   join(ev, a->packages, a->npackages));
		for (size_t i = 0; i < a->npackages; i++)
			if (vg_eval_pkg_installed(ev->inv, a->packages[i], NULL))
				return NULL;
		return vg_eval_fmt(ev, "does not apply: package %s not installed",
				   join(ev, a->packages, a->npackages));
	}
	return NULL;
}

/* ---- combining ---- */

/* The loader may record Wazuh's "not " in either place. */
static bool
negated(const struct vg_rule *r)
{
	return r->negated || (r->kind == VG_RULE_SCA && r->u.sca.negated);
}

static struct vg_outcome
eval_rule(struct vg_evaluator *ev, const struct vg_rule *r)
{
	struct vg_outcome o =
		r->kind == VG_RULE_SCA ? vg_eval_sca_rule(ev, r) : vg_eval_vigil_rule(ev, r);
	if (negated(r) && o.v == VG_TRI_TRUE)
		o.v = VG_TRI_FALSE;
	else if (negated(r) && o.v == VG_TRI_FALSE)
		o.v = VG_TRI_TRUE;
	return o;
}

/* "found, want X"; @invert: the rule is negated or its check's condition is NONE. */
static const char *
rule_reason(struct vg_evaluator *ev, const struct vg_outcome *o, bool invert)
{
	if (o->v == VG_TRI_NA || o->v == VG_TRI_ERROR || !o->want)
		return o->found;
	if (invert && o->want_not)
		return vg_eval_fmt(ev, "%s, want %s", o->found ? o->found : "", o->want_not);
	return vg_eval_fmt(ev, "%s, want %s%s", o->found ? o->found : "", invert ? "not " : "",
			   o->want);
}

struct combined {
	enum vg_result result;
	const char *reason, *evidence;
};

/* Wazuh SCA's aggregation (wm_sca_do_scan), with error kept apart from NA. */
static struct combined
combine(struct vg_evaluator *ev, enum vg_condition cond, const struct vg_rule *rules, size_t n)
{
	struct vg_outcome first = {0}, unknown = {0};
	const struct vg_rule *first_r = NULL;
	bool have_error = false, have_unknown = false;
	enum vg_tri stop = cond == VG_COND_ALL ? VG_TRI_FALSE : VG_TRI_TRUE;
	bool none = cond == VG_COND_NONE;

	for (size_t i = 0; i < n; i++) {
		struct vg_outcome o = eval_rule(ev, &rules[i]);
		if (o.v == stop) {
			enum vg_result res =
				cond == VG_COND_ANY ? VG_RESULT_PASSED : VG_RESULT_FAILED;
			return (struct combined){
				res, rule_reason(ev, &o, negated(&rules[i]) != none), o.evidence};
		}
		if (o.v == VG_TRI_NA || o.v == VG_TRI_ERROR) {
			if (!have_unknown || (o.v == VG_TRI_ERROR && !have_error)) {
				unknown = o;
			}
			have_unknown = true;
			have_error |= o.v == VG_TRI_ERROR;
		} else if (!first_r) {
			first = o;
			first_r = &rules[i];
		}
	}
	if (have_unknown)
		return (struct combined){have_error ? VG_RESULT_ERROR : VG_RESULT_NA,
					 rule_reason(ev, &unknown, false), unknown.evidence};
	if (!first_r)
		return (struct combined){VG_RESULT_NA, "no rules", NULL};
	return (struct combined){cond == VG_COND_ANY ? VG_RESULT_FAILED : VG_RESULT_PASSED,
				 rule_reason(ev, &first, negated(first_r) != none), first.evidence};
}

struct vg_check_result
vg_eval_check(struct vg_evaluator *ev, const struct vg_policy *policy, const struct vg_check *check)
{
	struct vg_check_result res = {.policy = policy, .check = check};
	const char *why = not_applicable(ev, check);
	struct combined c;

	if (why) {
		res.result = VG_RESULT_NA;
		res.reason = cap_text(ev, why);
		return res;
	}
	c = combine(ev, check->condition, check->rules, check->nrules);
	res.result = c.result;
	res.reason = cap_text(ev, c.reason);
	res.evidence = cap_text(ev, c.evidence);
	return res;
}

int
vg_eval_policy(struct vg_evaluator *ev, const struct vg_policy *policy,
	       struct vg_check_result **out, size_t *n)
{
	struct vg_check_result *v;
	const char *unmet = NULL;

	*out = NULL;
	*n = 0;
	if (policy->has_requirements) {
		struct combined c =
			combine(ev, policy->req_condition, policy->req_rules, policy->nreq_rules);
		if (c.result != VG_RESULT_PASSED)
			unmet = cap_text(ev, vg_eval_fmt(ev, "policy requirements not met: %s",
							 c.reason ? c.reason : "unknown"));
	}
	v = vg_arena_alloc(&ev->arena, (policy->nchecks ? policy->nchecks : 1) * sizeof(*v));
	for (size_t i = 0; i < policy->nchecks; i++) {
		if (unmet)
			v[i] = (struct vg_check_result){policy, &policy->checks[i], VG_RESULT_NA,
							unmet, NULL};
		else
			v[i] = vg_eval_check(ev, policy, &policy->checks[i]);
	}
	*out = v;
	*n = policy->nchecks;
	return VG_OK;
}

/* ---- score ---- */

void
vg_secure_score_device(const struct vg_check_result *results, size_t n, struct vg_secure_score *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const struct vg_check_result *r = &results[i];
		int impact = r->check ? r->check->impact : 0;
		unsigned cat = r->check ? (unsigned)r->check->category : 0;
		switch (r->result) {
		case VG_RESULT_PASSED:
			out->passed++;
			break;
		case VG_RESULT_FAILED:
			out->failed++;
			break;
		case VG_RESULT_NA:
			out->na++;
			break;
		default:
			out->error++;
			break;
		}
		if (impact <= 0 || r->result == VG_RESULT_NA)
			continue;
		out->max += impact;
		if (cat > 0 && cat < VG_NCATEGORIES)
			out->cat_max[cat] += impact;
		if (r->result == VG_RESULT_PASSED) {
			out->points += impact;
			if (cat > 0 && cat < VG_NCATEGORIES)
				out->cat_points[cat] += impact;
		}
	}
}

double
vg_secure_score_percent(double points, double max)
{
	return max > 0 ? 100.0 * points / max : 0.0;
}

/* ---- watch paths ---- */

static const char *const sysctl_dirs[] = {"/etc/sysctl.conf",  "/etc/sysctl.d",
					  "/run/sysctl.d",     "/usr/local/lib/sysctl.d",
					  "/usr/lib/sysctl.d", "/lib/sysctl.d"};
static const char *const modprobe_dirs[] = {"/etc/modprobe.d", "/run/modprobe.d",
					    "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d",
					    "/lib/modprobe.d"};
static const char *const unit_dirs[] = {"/etc/systemd/system", "/run/systemd/system",
					"/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
					"/lib/systemd/system"};

static bool
has_path(const struct vg_buf *out, const char *p)
{
	for (size_t i = 0; i < out->len; i += strlen(out->p + i) + 1)
		if (strcmp(out->p + i, p) == 0)
			return true;
	return false;
}

static int
add_one(struct vg_buf *out, const char *p, size_t len)
{
	char tmp[VG_PROBE_PATH_MAX];
	int rc;

	if (len == 0 || len >= sizeof(tmp) || p[0] != '/')
		return VG_OK;
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	/* proc and sys files cannot be watched with inotify. */
	if (strncmp(tmp, "/proc/", 6) == 0 || strncmp(tmp, "/sys/", 5) == 0)
		return VG_OK;
	if (has_path(out, tmp))
		return VG_OK;
	rc = vg_buf_add(out, tmp, len + 1);
	return rc;
}

/* A path and its parent directory. */
static int
add_path(struct vg_buf *out, const char *p)
{
	size_t len = strlen(p);
	const char *slash;
	int rc;

	while (len > 1 && p[len - 1] == '/')
		len--;
	rc = add_one(out, p, len);
	slash = NULL;
	for (size_t i = len; i > 1 && !slash; i--)
		if (p[i - 1] == '/')
			slash = p + i - 1;
	if (!slash && len > 1 && p[0] == '/')
		slash = p;
	if (!rc && slash)
		rc = add_one(out, p, slash == p ? 1 : (size_t)(slash - p));
	return rc;
}

static int
add_list(struct vg_buf *out, const char *const *v, size_t n)
{
	int rc = VG_OK;
	for (size_t i = 0; i < n && !rc; i++)
		rc = add_path(out, v[i]);
	return rc;
}

#define ADD_LIST(out, v) add_list(out, v, sizeof(v) / sizeof(v[0]))

static int
rule_paths(const struct vg_rule *r, struct vg_buf *out)
{
	static const char *const sshd[] = {"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d"};
	static const char *const limits[] = {"/etc/security/limits.conf", "/etc/security/limits.d"};
	static const char *const accounts[] = {"/etc/passwd", "/etc/shadow", "/etc/group"};
	int rc = VG_OK;

	switch (r->kind) {
	case VG_RULE_FILE:
		return add_path(out, r->u.file.path);
	case VG_RULE_CONTENT:
		return add_path(out, r->u.content.path);
	case VG_RULE_SSHD:
		return ADD_LIST(out, sshd);
	case VG_RULE_LOGIN_DEFS:
		return add_path(out, "/etc/login.defs");
	case VG_RULE_SYSCTL:
		return ADD_LIST(out, sysctl_dirs);
	case VG_RULE_LIMITS:
		return ADD_LIST(out, limits);
	case VG_RULE_PAM:
		return add_path(out, "/etc/pam.d/");
	case VG_RULE_MODULE:
		return ADD_LIST(out, modprobe_dirs);
	case VG_RULE_UNIT:
		return ADD_LIST(out, unit_dirs);
	case VG_RULE_ACCOUNTS:
		return ADD_LIST(out, accounts);
	case VG_RULE_SCA:
		if (r->u.sca.type == VG_SCA_FILE || r->u.sca.type == VG_SCA_DIR)
			rc = add_list(out, r->u.sca.targets, r->u.sca.ntargets);
		return rc;
	default:
		return VG_OK;
	}
}

int
vg_policy_watch_paths(const struct vg_policy *policy, struct vg_buf *out)
{
	int rc = VG_OK;

	for (size_t i = 0; i < policy->nreq_rules && !rc; i++)
		rc = rule_paths(&policy->req_rules[i], out);
	for (size_t c = 0; c < policy->nchecks && !rc; c++)
		for (size_t i = 0; i < policy->checks[c].nrules && !rc; i++)
			rc = rule_paths(&policy->checks[c].rules[i], out);
	return rc;
}

/* One check result as a configuration item; ids outside the document's limits are dropped. */
static void
add_item(struct vg_inventory *inv, const struct vg_check_result *r)
{
	const char *pid = r->policy->id, *cid = r->check->id;
	struct vg_config_item *c;

	if (!pid || !cid || !*pid || !*cid || strlen(pid) > VG_CONFIG_ID_MAX ||
	    strlen(cid) > VG_CONFIG_ID_MAX) {
		vg_inv_warn(inv, "policy", r->policy->path, r->check->line,
			    "check '%.64s' of policy '%.64s' skipped: id empty or longer than %d "
			    "bytes",
			    cid ? cid : "", pid ? pid : "", VG_CONFIG_ID_MAX);
		return;
	}
	c = vg_inv_add_config_item(inv);
	c->policy = vg_inv_strc(inv, pid);
	c->id = vg_inv_strc(inv, cid);
	c->result = vg_result_name(r->result);
	c->reason = vg_inv_strc(inv, r->reason);
	c->evidence = vg_inv_strc(inv, r->evidence);
}

int
vg_eval_into_inventory(const struct vg_policy_set *set, const char *root, struct vg_inventory *inv,
		       const struct vg_eval_opts *opts)
{
	struct vg_evaluator ev;
	int rc = VG_OK;

	inv->has_config = true;
	vg_eval_init(&ev, root, inv, opts);
	for (size_t p = 0; p < set->n && rc == VG_OK; p++) {
		struct vg_check_result *res;
		size_t n;

		rc = vg_eval_policy(&ev, &set->policies[p], &res, &n);
		for (size_t i = 0; rc == VG_OK && i < n; i++)
			add_item(inv, &res[i]);
	}
	vg_eval_release(&ev);
	vg_inventory_sort(inv);
	return rc;
}
