/*
 * eval_rules.c - the rule kinds of Vigil's policy format (policy.h,
 * /docs/policy-format.md) evaluated on the probes (probe.h) and the
 * device's inventory.  Each returns what it found, what it wanted and
 * where (eval_int.h); eval.c applies `not` and the check's condition.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/eval_int.h"

/* ---- value tests ---- */

/* The value's leading integer (after blanks, optional sign); false when none. */
static bool
leading_int(const char *s, long long *out)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return end != s && errno == 0;
}

static bool
str_eq(const char *a, const char *b, bool nocase)
{
	return nocase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* "'no'", "one of 'a', 'b'", "a match of 'RE'", "<= 365", "it set". */
static const char *
want_text(struct vg_evaluator *ev, const struct vg_value_test *t)
{
	switch (t->op) {
	case VG_VAL_EQ:
		return vg_eval_fmt(ev, "'%s'", t->values[0]);
	case VG_VAL_IN: {
		const char *s = vg_eval_fmt(ev, "one of '%s'", t->values[0]);
		for (size_t i = 1; i < t->nvalues; i++)
			s = vg_eval_fmt(ev, "%s, '%s'", s, t->values[i]);
		return s;
	}
	case VG_VAL_REGEX:
		return vg_eval_fmt(ev, "a value matching '%s'", t->regex);
	case VG_VAL_CMP:
		return vg_eval_fmt(ev, "%s %lld", vg_sca_op_name(t->cmp), t->number);
	default:
		return "it set";
	}
}

/*
 * Judge @value (NULL: unset) by @t.  TRUE/FALSE, or ERROR for a regex that
 * hit its limits.  *@judged is the value actually judged (the default when
 * unset), NULL when none.
 */
static enum vg_tri
judge(struct vg_evaluator *ev, const struct vg_value_test *t, const char *value,
      const char **judged)
{
	long long n;

	if (!value && t->op != VG_VAL_SET)
		value = t->default_value;
	*judged = value;
	if (!value)
		return VG_TRI_FALSE;
	switch (t->op) {
	case VG_VAL_SET:
		return VG_TRI_TRUE;
	case VG_VAL_EQ:
		return str_eq(value, t->values[0], t->nocase) ? VG_TRI_TRUE : VG_TRI_FALSE;
	case VG_VAL_IN:
		for (size_t i = 0; i < t->nvalues; i++)
			if (str_eq(value, t->values[i], t->nocase))
				return VG_TRI_TRUE;
		return VG_TRI_FALSE;
	case VG_VAL_REGEX: {
		int rc = vg_eval_regex(ev, t->regex, t->nocase ? VG_RE_CASELESS : 0, value,
				       strlen(value), NULL, NULL);
		if (rc < 0)
			return VG_TRI_ERROR;
		return rc ? VG_TRI_TRUE : VG_TRI_FALSE;
	}
	case VG_VAL_CMP:
		if (!leading_int(value, &n))
			return VG_TRI_FALSE;
		return vg_sca_op_holds(n, t->cmp, t->number) ? VG_TRI_TRUE : VG_TRI_FALSE;
	}
	return VG_TRI_FALSE;
}

/*
 * The outcome of a value test on a named value: @name is what is judged
 * ("PermitRootLogin"), @v its value and location (value NULL: unset).
 */
static struct vg_outcome
value_outcome(struct vg_evaluator *ev, const struct vg_rule *r, const char *name,
	      const struct vg_probe_value *v)
{
	struct vg_outcome o = {.want = want_text(ev, &r->test)};
	const char *judged;

	if (r->test.op == VG_VAL_SET)
		o.want_not = "it not set";

	o.v = judge(ev, &r->test, v->value, &judged);
	if (o.v == VG_TRI_ERROR)
		return vg_eval_err(ev, "regex '%s' could not be matched against %s", r->test.regex,
				   name);
	if (v->value && v->file) {
		o.found = vg_eval_fmt(ev, "%s is '%s' (%s:%d)", name, v->value, v->file, v->line);
		o.evidence = vg_eval_line_evidence(ev, v->file, v->line);
	} else if (v->value) {
		o.found = vg_eval_fmt(ev, "%s is '%s'", name, v->value);
	} else if (judged) {
		o.found = vg_eval_fmt(ev, "%s is not set (default '%s')", name, judged);
	} else {
		o.found = vg_eval_fmt(ev, "%s is not set", name);
	}
	if (o.v == VG_TRI_FALSE && judged && r->test.op == VG_VAL_CMP) {
		long long n;
		if (!leading_int(judged, &n))
			o.found = vg_eval_fmt(ev, "%s, not a number", o.found);
	}
	return o;
}

/* ---- file ---- */

static bool
name_in(const char *name, const char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (name && strcmp(name, v[i]) == 0)
			return true;
	return false;
}

static const char *
type_name(enum vg_probe_ftype t)
{
	switch (t) {
	case VG_PROBE_FILE:
		return "file";
	case VG_PROBE_DIR:
		return "directory";
	case VG_PROBE_LINK:
		return "symlink";
	default:
		return "special file";
	}
}

static const char *
file_want(struct vg_evaluator *ev, const struct vg_rule_file *f)
{
	const char *s = f->type == VG_FTYPE_DIR ? "a directory" : "it to exist";

	if (!f->exists)
		return "it absent";
	if (f->type == VG_FTYPE_FILE)
		s = "a regular file";
	if (f->has_mode_max)
		s = vg_eval_fmt(ev, "%s, mode at most %04o", s, f->mode_max);
	if (f->nowners)
		s = vg_eval_fmt(ev, "%s, owner %s", s, f->owners[0]);
	if (f->ngroups)
		s = vg_eval_fmt(ev, "%s, group %s", s, f->groups[0]);
	for (size_t i = 1; i < f->ngroups; i++)
		s = vg_eval_fmt(ev, "%s or %s", s, f->groups[i]);
	return s;
}

static struct vg_outcome
eval_file(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_file *f = &r->u.file;
	struct vg_outcome o = {.v = VG_TRI_TRUE, .want = file_want(ev, f)};
	struct vg_probe_stat st;
	const char *owner, *group;
	int rc = vg_probe_stat(&ev->probe, f->path, 0, &st);

	if (rc == VG_ENOTFOUND) {
		o.v = f->exists ? VG_TRI_FALSE : VG_TRI_TRUE;
		o.found = vg_eval_fmt(ev, "%s does not exist", f->path);
		return o;
	}
	if (rc)
		return vg_eval_io(ev, rc, f->path);
	owner = st.owner ? st.owner : vg_eval_fmt(ev, "%u", st.uid);
	group = st.group ? st.group : vg_eval_fmt(ev, "%u", st.gid);
	o.found = vg_eval_fmt(ev, "%s is a %s, mode %04o, owner %s, group %s", f->path,
			      type_name(st.type), st.mode, owner, group);
	o.evidence = vg_eval_fmt(ev, "%s: %s %04o %s:%s", f->path, type_name(st.type), st.mode,
				 owner, group);
	if (!f->exists)
		o.v = VG_TRI_FALSE;
	else if ((f->type == VG_FTYPE_FILE && st.type != VG_PROBE_FILE) ||
		 (f->type == VG_FTYPE_DIR && st.type != VG_PROBE_DIR))
		o.v = VG_TRI_FALSE;
	else if (f->has_mode_max && (st.mode & ~f->mode_max & 07777) != 0)
		o.v = VG_TRI_FALSE;
	else if (f->nowners && !name_in(owner, f->owners, f->nowners))
		o.v = VG_TRI_FALSE;
	else if (f->ngroups && !name_in(group, f->groups, f->ngroups))
		o.v = VG_TRI_FALSE;
	return o;
}

/* ---- content ---- */

struct scan {
	const struct vg_rule_content *c;
	bool decided;            /* a line decided the rule */
	bool any_file;           /* at least one file was read */
	const char *evidence;    /* the deciding line */
	const char *file;        /* the file it is in */
	const char *nonmatching; /* ALL: the first line that does not match */
	size_t lines;            /* lines judged */
	struct vg_outcome fail;  /* an I/O or regex error */
};

static bool
is_comment(struct vg_str l)
{
	l = vg_str_trim(l);
	return l.len > 0 && l.p[0] == '#';
}

/* Judge every line of @file; false when an error stops the scan. */
static bool
scan_file(struct vg_evaluator *ev, struct scan *s, const char *file, int *missing)
{
	char *data = NULL;
	size_t len = 0, pos = 0;
	struct vg_str l;
	int rc = vg_probe_read(&ev->probe, file, &data, &len);

	if (rc == VG_ENOTFOUND) {
		(*missing)++;
		return true;
	}
	if (rc) {
		s->fail = vg_eval_io(ev, rc, file);
		return false;
	}
	s->any_file = true;
	for (int n = 1; vg_str_next_line(vg_str_n(data, len), &pos, &l) && !s->decided; n++) {
		int m;
		if ((s->c->skip_comments && is_comment(l)) ||
		    (s->c->match == VG_LINES_ALL && vg_str_trim(l).len == 0))
			continue;
		s->lines++;
		m = vg_eval_regex(ev, s->c->regex, 0, l.p, l.len, NULL, NULL);
		if (m < 0) {
			s->fail = vg_eval_err(ev, "regex '%s' could not be matched in %s",
					      s->c->regex, file);
			free(data);
			return false;
		}
		if ((m == 1) != (s->c->match == VG_LINES_ALL)) {
			s->decided = true;
			s->file = file;
			s->evidence = vg_eval_evidence(ev, file, n, l);
		}
	}
	free(data);
	return true;
}

/* The regular files directly in the directory @dir whose names match. */
static int
dir_files(struct vg_evaluator *ev, const struct vg_rule_content *c, const char ***files, size_t *n)
{
	const char **names;
	size_t nn, k = 0;
	int rc = vg_eval_list_dir(ev, c->path, &names, &nn);

	*files = names;
	*n = 0;
	if (rc)
		return rc;
	for (size_t i = 0; i < nn; i++) {
		const char *p = vg_eval_fmt(ev, "%s/%s", c->path, names[i]);
		struct vg_probe_stat st;
		if (vg_probe_stat(&ev->probe, p, 0, &st) != VG_OK || st.type != VG_PROBE_FILE)
			continue;
		if (c->name_regex && vg_eval_regex(ev, c->name_regex, 0, names[i], strlen(names[i]),
						   NULL, NULL) != 1)
			continue;
		names[k++] = p;
	}
	*n = k;
	return VG_OK;
}

static const char *
content_want(struct vg_evaluator *ev, const struct vg_rule_content *c)
{
	const char *what = c->match == VG_LINES_ALL    ? "every line"
			   : c->match == VG_LINES_NONE ? "no line"
						       : "a line";
	return vg_eval_fmt(ev, "%s matching '%s'", what, c->regex);
}

static struct vg_outcome
eval_content(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_content *c = &r->u.content;
	struct vg_outcome o = {.want = content_want(ev, c)};
	struct scan s = {.c = c};
	const char *one[1] = {c->path};
	const char **files = one;
	size_t nfiles = 1;
	int missing = 0;

	if (c->dir) {
		int rc = dir_files(ev, c, &files, &nfiles);
		if (rc == VG_ENOTFOUND)
			missing = 1, nfiles = 0;
		else if (rc)
			return vg_eval_io(ev, rc, c->path);
	}
	for (size_t i = 0; i < nfiles && !s.decided; i++)
		if (!scan_file(ev, &s, files[i], &missing))
			return s.fail;
	if (!s.any_file && (missing || nfiles == 0)) {
		o.v = (c->missing_ok || c->match == VG_LINES_NONE) ? VG_TRI_TRUE : VG_TRI_FALSE;
		o.found = c->dir && !missing ? vg_eval_fmt(ev, "no file in %s", c->path)
					     : vg_eval_fmt(ev, "%s does not exist", c->path);
		return o;
	}
	o.evidence = s.evidence;
	const char *where = s.file ? s.file : c->path;
	switch (c->match) {
	case VG_LINES_ANY:
		o.v = s.decided ? VG_TRI_TRUE : VG_TRI_FALSE;
		o.found = s.decided ? vg_eval_fmt(ev, "a line of %s matches", where)
				    : vg_eval_fmt(ev, "no line of %s matches", where);
		break;
	case VG_LINES_NONE:
		o.v = s.decided ? VG_TRI_FALSE : VG_TRI_TRUE;
		o.found = s.decided ? vg_eval_fmt(ev, "a line of %s matches", where)
				    : vg_eval_fmt(ev, "no line of %s matches", where);
		break;
	default:
		o.v = s.decided ? VG_TRI_FALSE : VG_TRI_TRUE;
		o.found = s.decided
				  ? vg_eval_fmt(ev, "a line of %s does not match", where)
				  : vg_eval_fmt(ev, "all %zu lines of %s match", s.lines, c->path);
		break;
	}
	return o;
}

/* ---- key-value probes ---- */

static struct vg_outcome
eval_sshd(struct vg_evaluator *ev, const struct vg_rule *r)
{
	struct vg_probe_value v;
	int rc = vg_probe_sshd(&ev->probe, r->key, &v);

	if (rc == VG_ENOTFOUND)
		return vg_eval_na(ev, "/etc/ssh/sshd_config does not exist");
	if (rc)
		return vg_eval_io(ev, rc, "/etc/ssh/sshd_config");
	return value_outcome(ev, r, r->key, &v);
}

static struct vg_outcome
eval_login_defs(struct vg_evaluator *ev, const struct vg_rule *r)
{
	struct vg_probe_value v = {0};
	int rc = vg_probe_login_defs(&ev->probe, r->key, &v);

	if (rc && rc != VG_ENOTFOUND)
		return vg_eval_io(ev, rc, "/etc/login.defs");
	return value_outcome(ev, r, r->key, &v);
}

static struct vg_outcome
eval_sysctl(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_sysctl *s = &r->u.sysctl;
	struct vg_outcome o = {.v = VG_TRI_NA};
	struct vg_probe_value v = {0};
	int rc;

	if (s->runtime && vg_eval_has_proc_sys(ev)) {
		rc = vg_probe_sysctl_run(&ev->probe, s->key, &v);
		if (rc && rc != VG_ENOTFOUND)
			return vg_eval_io(ev, rc, s->key);
		o = value_outcome(ev, r, s->key, &v);
		if (o.v != VG_TRI_TRUE || !s->config)
			return o;
	}
	if (s->config) {
		memset(&v, 0, sizeof(v));
		rc = vg_probe_sysctl_conf(&ev->probe, s->key, &v);
		if (rc)
			return vg_eval_io(ev, rc, "sysctl.d");
		if (!v.value && !r->test.default_value && o.v == VG_TRI_TRUE) {
			/* Right at run time but lost at the next boot. */
			o.v = VG_TRI_FALSE;
			o.found = vg_eval_fmt(ev,
					      "%s at run time, but no sysctl file sets it (lost at "
					      "the next boot)",
					      o.found);
			return o;
		}
		o = value_outcome(ev, r, s->key, &v);
		if (!v.value && !r->test.default_value)
			o.found = vg_eval_fmt(ev, "%s in any sysctl file", o.found);
	}
	if (o.v == VG_TRI_NA)
		return vg_eval_na(ev, "no source for sysctl %s (no proc/sys, config not checked)",
				  s->key);
	return o;
}

static struct vg_outcome
eval_limits(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_limits *l = &r->u.limits;
	struct vg_probe_value v = {0};
	int rc = vg_probe_limits(&ev->probe, l->domain, l->type, l->item, &v);

	if (rc && rc != VG_ENOTFOUND)
		return vg_eval_io(ev, rc, "/etc/security/limits.conf");
	return value_outcome(ev, r, vg_eval_fmt(ev, "%s %s %s", l->domain, l->type, l->item), &v);
}

/* The value of @arg in the PAM arguments @args: "arg=value" -> "value", "arg" -> "". */
static const char *
pam_arg(struct vg_evaluator *ev, const char *args, const char *arg)
{
	size_t an = strlen(arg);

	for (const char *s = args; *s;) {
		size_t len = strcspn(s, " \t");
		if (len >= an && strncmp(s, arg, an) == 0 && (len == an || s[an] == '='))
			return len == an ? ""
					 : vg_arena_strndup(&ev->arena,
							    vg_str_n(s + an + 1, len - an - 1));
		s += len;
		s += strspn(s, " \t");
	}
	return NULL;
}

static struct vg_outcome
eval_pam(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_pam *p = &r->u.pam;
	struct vg_outcome o = {.v = VG_TRI_FALSE};
	const struct vg_probe_pam_entry *e;
	struct vg_probe_pam stack;
	const char *where = vg_eval_fmt(ev, "/etc/pam.d/%s", p->service);
	int rc = vg_probe_pam(&ev->probe, p->service, &stack);

	if (rc == VG_ENOTFOUND)
		return vg_eval_na(ev, "PAM service %s does not exist (%s)", p->service, where);
	if (rc)
		return vg_eval_io(ev, rc, where);
	e = vg_probe_pam_find(&stack, p->type, p->module);
	if (!e) {
		o.v = p->present ? VG_TRI_FALSE : VG_TRI_TRUE;
		o.found = vg_eval_fmt(ev, "%s is not in the %s stack of %s", p->module, p->type,
				      p->service);
		o.want = p->present ? "it present" : "it absent";
		return o;
	}
	o.evidence = vg_eval_line_evidence(ev, e->file, e->line);
	if (!p->present) {
		o.found = vg_eval_fmt(ev, "%s is in the %s stack of %s (%s:%d)", p->module, p->type,
				      p->service, e->file, e->line);
		o.want = "it absent";
		return o;
	}
	if (!p->arg) {
		o.v = VG_TRI_TRUE;
		o.found = vg_eval_fmt(ev, "%s is in the %s stack of %s (%s:%d)", p->module, p->type,
				      p->service, e->file, e->line);
		o.want = "it present";
		return o;
	}
	struct vg_probe_value v = {pam_arg(ev, e->args, p->arg), e->file, e->line};
	struct vg_outcome vo =
		value_outcome(ev, r, vg_eval_fmt(ev, "%s %s", p->module, p->arg), &v);
	if (!v.value)
		vo.evidence = o.evidence;
	return vo;
}

/* ---- inventory ---- */

static const char *
join_names(struct vg_evaluator *ev, const char **v, size_t n)
{
	const char *s = v[0];
	for (size_t i = 1; i < n; i++)
		s = vg_eval_fmt(ev, "%s, %s", s, v[i]);
	return s;
}

static struct vg_outcome
eval_package(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_package *p = &r->u.package;
	struct vg_outcome o = {.v = VG_TRI_FALSE};
	const char *ver = NULL;

	if (!ev->inv)
		return vg_eval_na(ev, "package rules need the device inventory");
	o.want = p->installed ? "it installed" : "it absent";
	for (size_t i = 0; i < p->nnames; i++) {
		if (vg_eval_pkg_installed(ev->inv, p->names[i], &ver)) {
			o.v = p->installed ? VG_TRI_TRUE : VG_TRI_FALSE;
			o.found = vg_eval_fmt(ev, "package %s %s is installed", p->names[i],
					      ver ? ver : "");
			o.evidence = vg_eval_fmt(ev, "package %s %s", p->names[i], ver ? ver : "");
			return o;
		}
	}
	o.v = p->installed ? VG_TRI_FALSE : VG_TRI_TRUE;
	o.found = p->nnames == 1 ? vg_eval_fmt(ev, "package %s is not installed", p->names[0])
				 : vg_eval_fmt(ev, "none of the packages %s is installed",
					       join_names(ev, p->names, p->nnames));
	return o;
}

/* 1 active, 0 not, -1 unknown (no cgroup fs and no process list). */
static int
unit_active(struct vg_evaluator *ev, const char *unit, const char **evidence)
{
	struct vg_probe_stat st;
	const char *procs = vg_eval_fmt(ev, "/sys/fs/cgroup/system.slice/%s/cgroup.procs", unit);
	char *data = NULL;
	size_t len = 0, dot;
	const char *base;

	if (vg_probe_stat(&ev->probe, "/sys/fs/cgroup", 0, &st) == VG_OK &&
	    st.type == VG_PROBE_DIR) {
		int rc = vg_probe_read(&ev->probe, procs, &data, &len);
		bool active = rc == VG_OK && vg_str_trim(vg_str_n(data, len)).len > 0;
		free(data);
		*evidence = active ? vg_eval_fmt(ev, "%s is not empty", procs) : NULL;
		return active;
	}
	if (!ev->inv || ev->inv->nprocesses == 0)
		return -1;
	dot = strcspn(unit, ".");
	base = vg_arena_strndup(&ev->arena, vg_str_n(unit, dot));
	for (size_t i = 0; i < ev->inv->nprocesses; i++) {
		const struct vg_process *p = &ev->inv->processes[i];
		const char *b = vg_eval_basename(ev, p->exe);
		if (b && strcmp(b, base) == 0) {
			*evidence = vg_eval_fmt(ev, "process %d %s", p->pid, p->exe);
			return 1;
		}
	}
	return 0;
}

static bool
unit_field(struct vg_outcome *o, int want, bool have)
{
	if (want < 0 || (want == 1) == have)
		return true;
	o->v = VG_TRI_FALSE;
	return false;
}

static struct vg_outcome
eval_unit(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_unit *u = &r->u.unit;
	struct vg_outcome o = {.v = VG_TRI_TRUE};
	struct vg_probe_unit pu = {0};
	const char *act_ev = NULL;
	int active = -1;
	int rc = vg_probe_unit(&ev->probe, u->name, &pu);

	if (rc && rc != VG_ENOTFOUND)
		return vg_eval_io(ev, rc, u->name);
	if (u->active >= 0) {
		active = unit_active(ev, u->name, &act_ev);
		if (active < 0)
			return vg_eval_na(ev,
					  "whether %s is active is unknown here (no cgroups, no "
					  "process list)",
					  u->name);
	}
	o.want = NULL;
	if (u->enabled >= 0)
		o.want = u->enabled ? "enabled" : "not enabled";
	if (u->masked >= 0)
		o.want = vg_eval_fmt(ev, "%s%s%s", o.want ? o.want : "", o.want ? ", " : "",
				     u->masked ? "masked" : "not masked");
	if (u->active >= 0)
		o.want = vg_eval_fmt(ev, "%s%s%s", o.want ? o.want : "", o.want ? ", " : "",
				     u->active ? "active" : "inactive");
	o.found = vg_eval_fmt(ev, "%s is %s%s, %s%s", u->name, rc == VG_ENOTFOUND ? "absent, " : "",
			      pu.enabled ? "enabled" : "not enabled",
			      pu.masked ? "masked" : "not masked",
			      active < 0 ? ""
			      : active   ? ", active"
					 : ", inactive");
	if (unit_field(&o, u->masked, pu.masked) && unit_field(&o, u->enabled, pu.enabled))
		unit_field(&o, u->active, active == 1);
	if (u->active >= 0 && act_ev)
		o.evidence = act_ev;
	else if (pu.masked)
		o.evidence = vg_eval_fmt(ev, "%s -> /dev/null", pu.mask);
	else if (pu.enabled)
		o.evidence = vg_eval_fmt(ev, "%s", pu.enabled_by);
	else if (pu.path)
		o.evidence = pu.path;
	return o;
}

static bool
proto_is(const char *have, const char *want)
{
	size_t n = strlen(want);
	return have && strncmp(have, want, n) == 0 &&
	       (have[n] == '\0' || strcmp(have + n, "6") == 0);
}

static struct vg_outcome
eval_port(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_port *p = &r->u.port;
	struct vg_outcome o = {0};

	if (!ev->inv)
		return vg_eval_na(ev, "port rules need the device inventory");
	o.want = p->listening ? "it listening" : "it not listening";
	for (size_t i = 0; i < ev->inv->nlisteners; i++) {
		const struct vg_listener *l = &ev->inv->listeners[i];
		if (l->port != p->port || !proto_is(l->proto, p->proto) ||
		    (p->external_only && l->loopback))
			continue;
		o.v = p->listening ? VG_TRI_TRUE : VG_TRI_FALSE;
		o.found = vg_eval_fmt(ev, "%s port %d listens on %s%s%s", p->proto, p->port,
				      l->address ? l->address : "?", l->process ? " by " : "",
				      l->process ? l->process : "");
		o.evidence =
			vg_eval_fmt(ev, "%s %s:%d%s%s", l->proto, l->address ? l->address : "?",
				    l->port, l->process ? " " : "", l->process ? l->process : "");
		return o;
	}
	o.v = p->listening ? VG_TRI_FALSE : VG_TRI_TRUE;
	o.found = vg_eval_fmt(ev, "%s port %d is not listening%s", p->proto, p->port,
			      p->external_only ? " on a non-loopback address" : "");
	o.evidence = NULL;
	return o;
}

static struct vg_outcome
eval_mount(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_mount *m = &r->u.mount;
	struct vg_outcome o = {.v = VG_TRI_TRUE};
	struct vg_probe_mount pm;
	int rc = vg_probe_mount(&ev->probe, m->path, &pm);

	o.want = m->must_exist ? "a separate mount" : "no mount or the options";
	if (rc == VG_ENOTFOUND) {
		o.v = m->must_exist ? VG_TRI_FALSE : VG_TRI_TRUE;
		o.found = vg_eval_fmt(ev, "%s is not a mount point", m->path);
		return o;
	}
	if (rc)
		return vg_eval_io(ev, rc, "/proc/mounts");
	o.evidence = vg_eval_fmt(ev, "%s:%d: %s %s %s %s", pm.file, pm.line, pm.device, m->path,
				 pm.fstype, pm.options);
	o.found = vg_eval_fmt(ev, "%s is mounted with %s", m->path, pm.options);
	for (size_t i = 0; i < m->noptions; i++) {
		if (!vg_probe_has_option(pm.options, m->options[i])) {
			o.v = VG_TRI_FALSE;
			o.found =
				vg_eval_fmt(ev, "%s is mounted without %s", m->path, m->options[i]);
			o.want = vg_eval_fmt(ev, "option %s", m->options[i]);
			return o;
		}
	}
	for (size_t i = 0; i < m->nabsent; i++) {
		if (vg_probe_has_option(pm.options, m->absent_options[i])) {
			o.v = VG_TRI_FALSE;
			o.found = vg_eval_fmt(ev, "%s is mounted with %s", m->path,
					      m->absent_options[i]);
			o.want = vg_eval_fmt(ev, "no option %s", m->absent_options[i]);
			return o;
		}
	}
	o.want = "those options";
	return o;
}

static struct vg_outcome
eval_module(struct vg_evaluator *ev, const struct vg_rule *r)
{
	const struct vg_rule_module *m = &r->u.module;
	struct vg_outcome o = {.v = VG_TRI_TRUE};
	struct vg_probe_module pm;
	bool disabled;
	int rc = vg_probe_module(&ev->probe, m->name, &pm);

	if (rc)
		return vg_eval_io(ev, rc, "modprobe.d");
	disabled = pm.blacklisted || pm.install_disabled;
	o.found =
		vg_eval_fmt(ev, "module %s is %s, %s", m->name, pm.loaded ? "loaded" : "not loaded",
			    pm.install_disabled ? "install disabled"
			    : pm.blacklisted    ? "blacklisted"
						: "not disabled");
	o.want = vg_eval_fmt(ev, "%s%s%s",
			     m->loaded < 0 ? ""
			     : m->loaded   ? "loaded"
					   : "not loaded",
			     m->loaded >= 0 && m->disabled >= 0 ? ", " : "",
			     m->disabled < 0 ? ""
			     : m->disabled   ? "disabled"
					     : "not disabled");
	if ((m->loaded >= 0 && (m->loaded == 1) != pm.loaded) ||
	    (m->disabled >= 0 && (m->disabled == 1) != disabled))
		o.v = VG_TRI_FALSE;
	if (pm.install_disabled || (pm.install.file && !pm.blacklisted))
		o.evidence = vg_eval_line_evidence(ev, pm.install.file, pm.install.line);
	else if (pm.blacklisted)
		o.evidence = vg_eval_line_evidence(ev, pm.blacklist.file, pm.blacklist.line);
	else if (pm.loaded)
		o.evidence = vg_eval_fmt(ev, "/proc/modules: %s", m->name);
	return o;
}

/* ---- accounts ---- */

static long
acc_days(const struct vg_account *a, enum vg_accounts_prop p)
{
	switch (p) {
	case VG_ACC_MAX_DAYS:
		return a->max_days;
	case VG_ACC_MIN_DAYS:
		return a->min_days;
	case VG_ACC_WARN_DAYS:
		return a->warn_days;
	default:
		return a->inactive_days;
	}
}

static const char *
days_name(enum vg_accounts_prop p)
{
	switch (p) {
	case VG_ACC_MAX_DAYS:
		return "max_days";
	case VG_ACC_MIN_DAYS:
		return "min_days";
	case VG_ACC_WARN_DAYS:
		return "warn_days";
	default:
		return "inactive_days";
	}
}

/* CIS 5.4.2.x exempts these from the nologin rule. */
static bool
nologin_exempt(const char *name)
{
	static const char *const ex[] = {"root", "sync", "shutdown", "halt"};
	for (size_t i = 0; i < 4; i++)
		if (strcmp(name, ex[i]) == 0)
			return true;
	return false;
}

static struct vg_outcome
eval_days(struct vg_evaluator *ev, const struct vg_rule *r)
{
	enum vg_accounts_prop prop = r->u.accounts.prop;
	struct vg_outcome o = {.v = VG_TRI_TRUE, .want = want_text(ev, &r->test)};
	size_t judged = 0;

	for (size_t i = 0; i < ev->inv->naccounts; i++) {
		const struct vg_account *a = &ev->inv->accounts[i];
		long d = acc_days(a, prop);
		const char *val = d < 0 ? NULL : vg_eval_fmt(ev, "%ld", d), *used;
		if (a->password != VG_PW_SET)
			continue;
		judged++;
		enum vg_tri t = judge(ev, &r->test, val, &used);
		if (t != VG_TRI_TRUE) {
			o.v = t == VG_TRI_ERROR ? VG_TRI_ERROR : VG_TRI_FALSE;
			o.found = val ? vg_eval_fmt(ev, "account %s has %s %s", a->name,
						    days_name(prop), val)
				      : vg_eval_fmt(ev, "account %s has no %s", a->name,
						    days_name(prop));
			o.evidence = vg_eval_fmt(ev, "/etc/shadow: %s %s=%s", a->name,
						 days_name(prop), val ? val : "unset");
			return o;
		}
	}
	o.found = vg_eval_fmt(ev, "accounts with a password: %zu, each with %s", judged,
			      days_name(prop));
	return o;
}

static struct vg_outcome
eval_accounts(struct vg_evaluator *ev, const struct vg_rule *r)
{
	enum vg_accounts_prop prop = r->u.accounts.prop;
	struct vg_outcome o = {.v = VG_TRI_TRUE};

	if (!ev->inv || ev->inv->naccounts == 0)
		return vg_eval_na(ev, "no local accounts in the inventory");
	if (prop != VG_ACC_NO_EMPTY_PASSWORD && prop != VG_ACC_UID0_ONLY_ROOT &&
	    prop != VG_ACC_SYSTEM_NOLOGIN)
		return eval_days(ev, r);
	o.want = prop == VG_ACC_NO_EMPTY_PASSWORD ? "no empty password"
		 : prop == VG_ACC_UID0_ONLY_ROOT  ? "uid 0 for root only"
						  : "no login shell for system accounts";
	for (size_t i = 0; i < ev->inv->naccounts; i++) {
		const struct vg_account *a = &ev->inv->accounts[i];
		if (prop == VG_ACC_NO_EMPTY_PASSWORD && a->password == VG_PW_EMPTY) {
			o.v = VG_TRI_FALSE;
			o.found = vg_eval_fmt(ev, "account %s has an empty password", a->name);
			o.evidence = vg_eval_fmt(ev, "/etc/shadow: %s::", a->name);
			return o;
		}
		if (prop == VG_ACC_UID0_ONLY_ROOT && a->uid == 0 && strcmp(a->name, "root") != 0) {
			o.v = VG_TRI_FALSE;
			o.found = vg_eval_fmt(ev, "account %s has uid 0", a->name);
			o.evidence = vg_eval_fmt(ev, "/etc/passwd: %s:x:0", a->name);
			return o;
		}
		if (prop == VG_ACC_SYSTEM_NOLOGIN && a->uid < 1000 && a->login_shell &&
		    !nologin_exempt(a->name)) {
			o.v = VG_TRI_FALSE;
			o.found = vg_eval_fmt(ev, "system account %s (uid %d) has the shell %s",
					      a->name, a->uid, a->shell ? a->shell : "?");
			o.evidence = vg_eval_fmt(ev, "/etc/passwd: %s:%d:%s", a->name, a->uid,
						 a->shell ? a->shell : "");
			return o;
		}
	}
	o.found = vg_eval_fmt(ev, "all %zu accounts comply", ev->inv->naccounts);
	return o;
}

struct vg_outcome
vg_eval_vigil_rule(struct vg_evaluator *ev, const struct vg_rule *r)
{
	switch (r->kind) {
	case VG_RULE_FILE:
		return eval_file(ev, r);
	case VG_RULE_CONTENT:
		return eval_content(ev, r);
	case VG_RULE_SSHD:
		return eval_sshd(ev, r);
	case VG_RULE_LOGIN_DEFS:
		return eval_login_defs(ev, r);
	case VG_RULE_SYSCTL:
		return eval_sysctl(ev, r);
	case VG_RULE_LIMITS:
		return eval_limits(ev, r);
	case VG_RULE_PAM:
		return eval_pam(ev, r);
	case VG_RULE_PACKAGE:
		return eval_package(ev, r);
	case VG_RULE_UNIT:
		return eval_unit(ev, r);
	case VG_RULE_PORT:
		return eval_port(ev, r);
	case VG_RULE_MOUNT:
		return eval_mount(ev, r);
	case VG_RULE_MODULE:
		return eval_module(ev, r);
	case VG_RULE_ACCOUNTS:
		return eval_accounts(ev, r);
	default:
		return vg_eval_na(ev, "unknown rule kind %d", (int)r->kind);
	}
}
