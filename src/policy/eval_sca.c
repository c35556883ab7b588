/*
 * eval_sca.c - Wazuh SCA rules (f: d: p: c: r:) evaluated as Wazuh's
 * wm_sca.c does, on the probes' root and the device's inventory.  The
 * mapping of Wazuh's RETURN_FOUND / RETURN_NOT_FOUND / RETURN_INVALID to
 * true / false / notApplicable (error for I/O failures and timeouts) and
 * every deliberate difference are in docs/internals/sca-eval.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "policy/command.h"
#include "policy/eval_int.h"

/* Deepest directory recursion of a d: rule (Wazuh recurses without a limit). */
#define SCA_MAX_DIR_DEPTH 16

/* A line, a file or a directory: FOUND / NOT_FOUND / INVALID / ERROR. */
enum sca_res {
	SCA_NOT_FOUND,
	SCA_FOUND,
	SCA_INVALID,
	SCA_ERROR,
};

struct sca_ctx {
	struct vg_evaluator *ev;
	const struct vg_sca_rule *rule;
	unsigned reflags;
	const char *reason;   /* first INVALID / ERROR reason */
	const char *evidence; /* the deciding line */
	const char *where;    /* the file / process / command that decided */
};

static enum sca_res
note(struct sca_ctx *x, enum sca_res r, const char *reason)
{
	if (!x->reason)
		x->reason = reason;
	return r;
}

/* Accumulate as wm_sca_check_file_list_* do: FOUND wins, then ERROR, then INVALID. */
static enum sca_res
acc(enum sca_res a, enum sca_res b)
{
	if (a == SCA_FOUND || b == SCA_FOUND)
		return SCA_FOUND;
	if (a == SCA_ERROR || b == SCA_ERROR)
		return SCA_ERROR;
	if (a == SCA_INVALID || b == SCA_INVALID)
		return SCA_INVALID;
	return SCA_NOT_FOUND;
}

static const char *
cond_text(struct vg_evaluator *ev, const struct vg_sca_cond *c)
{
	const char *neg = c->negated ? "!" : "";

	if (c->kind == VG_SCA_COND_REGEX)
		return vg_eval_fmt(ev, "%sr:%s", neg, c->pattern);
	if (c->kind == VG_SCA_COND_NUMERIC)
		return vg_eval_fmt(ev, "%sn:%s compare %s %lld", neg, c->pattern,
				   vg_sca_op_name(c->op), c->value);
	return vg_eval_fmt(ev, "%s%s", neg, c->pattern);
}

static const char *
chain_text(struct vg_evaluator *ev, const struct vg_sca_chain *ch)
{
	const char *s = ch->n ? cond_text(ev, &ch->conds[0]) : "";
	for (size_t i = 1; i < ch->n; i++)
		s = vg_eval_fmt(ev, "%s && %s", s, cond_text(ev, &ch->conds[i]));
	return s;
}

/* n: the first capture as an integer compared (wm_sca_regex_numeric_comparison). */
static enum sca_res
numeric(struct sca_ctx *x, const struct vg_sca_cond *c, struct vg_str line)
{
	struct vg_str cap;
	const char *msg = NULL;
	char num[32], *end;
	long long v;
	int m = vg_eval_regex(x->ev, c->pattern, x->reflags, line.p, line.len, &cap, &msg);

	if (m < 0)
		return note(x, m == VG_EINVAL ? SCA_INVALID : SCA_ERROR,
			    vg_eval_fmt(x->ev, "regex '%s': %s", c->pattern, msg ? msg : "error"));
	if (m == 0)
		return SCA_NOT_FOUND;
	if (!cap.p || cap.len == 0 || cap.len >= sizeof(num))
		return note(x, SCA_INVALID,
			    vg_eval_fmt(x->ev, "regex '%s' matched, but captured no number",
					c->pattern));
	memcpy(num, cap.p, cap.len);
	num[cap.len] = '\0';
	errno = 0;
	v = strtoll(num, &end, 10);
	if (errno || end == num)
		return note(x, SCA_INVALID,
			    vg_eval_fmt(x->ev, "cannot convert '%s' to an integer", num));
	return vg_sca_op_holds(v, c->op, c->value) ? SCA_FOUND : SCA_NOT_FOUND;
}

static enum sca_res
cond_holds(struct sca_ctx *x, const struct vg_sca_cond *c, struct vg_str line)
{
	enum sca_res r;

	if (c->kind == VG_SCA_COND_LITERAL) {
		r = strlen(c->pattern) == line.len && strncasecmp(c->pattern, line.p, line.len) == 0
			    ? SCA_FOUND
			    : SCA_NOT_FOUND;
	} else if (c->kind == VG_SCA_COND_REGEX) {
		const char *msg = NULL;
		int m = vg_eval_regex(x->ev, c->pattern, x->reflags, line.p, line.len, NULL, &msg);
		/* A pattern that does not compile never matches (wm_sca_test_positive_minterm). */
		if (m == VG_EINVAL)
			m = 0;
		if (m < 0)
			return note(x, SCA_ERROR,
				    vg_eval_fmt(x->ev, "regex '%s': %s", c->pattern,
						msg ? msg : "error"));
		r = m ? SCA_FOUND : SCA_NOT_FOUND;
	} else {
		r = numeric(x, c, line);
		if (r >= SCA_INVALID)
			return r;
	}
	if (c->negated)
		r = r == SCA_FOUND ? SCA_NOT_FOUND : SCA_FOUND;
	return r;
}

/* Every condition of @ch on one line (wm_sca_pattern_matches). */
static enum sca_res
chain_holds(struct sca_ctx *x, const struct vg_sca_chain *ch, struct vg_str line)
{
	for (size_t i = 0; i < ch->n; i++) {
		enum sca_res r = cond_holds(x, &ch->conds[i], line);
		if (r != SCA_FOUND)
			return r;
	}
	return SCA_FOUND;
}

/* Lines of @text until one satisfies the content chain. */
static enum sca_res
scan_lines(struct sca_ctx *x, const char *where, struct vg_str text)
{
	size_t pos = 0;
	struct vg_str l;

	for (int n = 1; vg_str_next_line(text, &pos, &l); n++) {
		enum sca_res r = chain_holds(x, &x->rule->content, l);
		if (r == SCA_FOUND) {
			x->evidence = vg_eval_evidence(x->ev, where, n, l);
			x->where = where;
			return SCA_FOUND;
		}
		if (r >= SCA_INVALID)
			return r;
	}
	return SCA_NOT_FOUND;
}

/* One file of an f: list or of a d: walk: existence, or its content. */
static enum sca_res
check_file(struct sca_ctx *x, const char *path, bool content)
{
	struct vg_evaluator *ev = x->ev;
	struct vg_probe_stat st;
	char *data = NULL;
	size_t len = 0;
	enum sca_res r;
	int rc = vg_probe_stat(&ev->probe, path, 0, &st);

	if (rc == VG_ENOTFOUND) {
		if (!content)
			return SCA_NOT_FOUND;
		return note(x, SCA_INVALID, vg_eval_fmt(ev, "could not open file '%s'", path));
	}
	if (rc)
		return note(x, SCA_ERROR, vg_eval_io(ev, rc, path).found);
	if (st.type != VG_PROBE_FILE)
		return note(x, SCA_INVALID, vg_eval_fmt(ev, "'%s' is not a regular file", path));
	if (!content) {
		x->where = path;
		x->evidence = vg_eval_fmt(ev, "%s: exists", path);
		return SCA_FOUND;
	}
	rc = vg_probe_read(&ev->probe, path, &data, &len);
	if (rc) {
		free(data);
		return note(x, SCA_ERROR, vg_eval_io(ev, rc, path).found);
	}
	r = scan_lines(x, path, vg_str_n(data, len));
	free(data);
	return r;
}

static struct vg_outcome
finish(struct sca_ctx *x, enum sca_res r, const char *found, const char *want)
{
	struct vg_outcome o = {.found = found, .want = want, .evidence = x->evidence};

	/* "a line matching X" -> "no line matching X", "it to exist" -> "it absent". */
	if (strncmp(want, "a ", 2) == 0)
		o.want_not = vg_eval_fmt(x->ev, "no %s", want + 2);
	else if (strcmp(want, "it to exist") == 0)
		o.want_not = "it absent";
	else if (strcmp(want, "it running") == 0)
		o.want_not = "it not running";

	if (r == SCA_FOUND)
		o.v = VG_TRI_TRUE;
	else if (r == SCA_NOT_FOUND)
		o.v = VG_TRI_FALSE;
	else
		return (struct vg_outcome){.v = r == SCA_ERROR ? VG_TRI_ERROR : VG_TRI_NA,
					   .found = x->reason ? x->reason
							      : "rule could not be evaluated"};
	return o;
}

static const char *
targets_text(struct vg_evaluator *ev, const struct vg_sca_rule *s)
{
	const char *t = s->targets[0];
	for (size_t i = 1; i < s->ntargets; i++)
		t = vg_eval_fmt(ev, "%s, %s", t, s->targets[i]);
	return t;
}

static struct vg_outcome
sca_file(struct sca_ctx *x)
{
	const struct vg_sca_rule *s = x->rule;
	struct vg_evaluator *ev = x->ev;
	enum sca_res r = SCA_NOT_FOUND;

	for (size_t i = 0; i < s->ntargets && r != SCA_FOUND; i++)
		r = acc(r, check_file(x, s->targets[i], s->has_content));
	if (!s->has_content)
		return finish(x, r,
			      r == SCA_FOUND
				      ? vg_eval_fmt(ev, "%s exists", x->where)
				      : vg_eval_fmt(ev, "%s does not exist", targets_text(ev, s)),
			      "it to exist");
	return finish(x, r,
		      r == SCA_FOUND
			      ? vg_eval_fmt(ev, "a line of %s matches", x->where)
			      : vg_eval_fmt(ev, "no line of %s matches", targets_text(ev, s)),
		      vg_eval_fmt(ev, "a line matching '%s'", chain_text(ev, &s->content)));
}

/* OS_Match (sregex) on a file name: case-insensitive, ^ $ anchors, | alternatives. */
static bool
os_match(const char *pattern, const char *name)
{
	size_t nlen = strlen(name);

	for (const char *p = pattern; *p;) {
		size_t len = strcspn(p, "|");
		bool begin = len && p[0] == '^', end = len && p[len - 1] == '$';
		const char *q = p + begin;
		size_t qlen = len - begin - (end && len > (size_t)begin);
		for (size_t off = 0; qlen <= nlen && off + qlen <= nlen; off++) {
			if (begin && off > 0)
				break;
			if (end && off + qlen != nlen)
				continue;
			if (strncasecmp(name + off, q, qlen) == 0)
				return true;
		}
		p += len;
		if (*p == '|')
			p++;
	}
	return false;
}

/* The d: file-name chain: r: is always OS_Regex there (wm_sca_check_dir). */
static enum sca_res
name_matches(struct sca_ctx *x, const char *name)
{
	const struct vg_sca_chain *ch = &x->rule->name;

	for (size_t i = 0; i < ch->n; i++) {
		const struct vg_sca_cond *c = &ch->conds[i];
		bool m;
		if (c->kind == VG_SCA_COND_REGEX) {
			const char *msg = NULL;
			int rc = vg_eval_regex(x->ev, c->pattern, VG_RE_OSREGEX, name, strlen(name),
					       NULL, &msg);
			/* OS_Regex() answers "no match" for a pattern it refuses. */
			if (rc < 0 && rc != VG_EINVAL)
				return note(x, SCA_ERROR,
					    vg_eval_fmt(x->ev, "regex '%s': %s", c->pattern,
							msg ? msg : "error"));
			m = rc == 1;
		} else {
			m = c->kind == VG_SCA_COND_LITERAL && os_match(c->pattern, name);
		}
		if (m == c->negated)
			return SCA_NOT_FOUND;
	}
	return SCA_FOUND;
}

/* wm_sca_check_dir: every entry, recursing into directories. */
static enum sca_res
walk_dir(struct sca_ctx *x, const char *dir, int depth)
{
	struct vg_evaluator *ev = x->ev;
	const char **names;
	size_t n;
	enum sca_res res = SCA_NOT_FOUND;
	int rc = vg_eval_list_dir(ev, dir, &names, &n);

	if (rc == VG_ENOTFOUND || rc == VG_EINVAL)
		return note(x, SCA_INVALID, vg_eval_fmt(ev, "could not open dir '%s'", dir));
	if (rc)
		return note(x, SCA_ERROR, vg_eval_io(ev, rc, dir).found);
	for (size_t i = 0; i < n && res != SCA_FOUND; i++) {
		const char *path = vg_eval_fmt(ev, "%s%s%s", dir,
					       dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		struct vg_probe_stat st;
		enum sca_res r;
		if (vg_probe_stat(&ev->probe, path, VG_PROBE_NOFOLLOW, &st) != VG_OK) {
			res = acc(res,
				  note(x, SCA_INVALID,
				       vg_eval_fmt(ev, "cannot check directory entry '%s'", path)));
			continue;
		}
		if (st.type == VG_PROBE_DIR) {
			if (depth >= SCA_MAX_DIR_DEPTH)
				continue;
			r = walk_dir(x, path, depth + 1);
		} else {
			r = name_matches(x, names[i]);
			if (r == SCA_FOUND)
				r = check_file(x, path, x->rule->has_content);
		}
		res = acc(res, r);
	}
	return res;
}

static enum sca_res
dir_exists(struct sca_ctx *x, const char *dir)
{
	struct vg_probe_stat st;
	int rc = vg_probe_stat(&x->ev->probe, dir, 0, &st);

	if (rc == VG_ENOTFOUND)
		return SCA_NOT_FOUND;
	if (rc)
		return note(x, SCA_ERROR, vg_eval_io(x->ev, rc, dir).found);
	if (st.type != VG_PROBE_DIR)
		return note(
			x, SCA_INVALID,
			vg_eval_fmt(x->ev, "could not check directory existence for '%s'", dir));
	x->where = dir;
	x->evidence = vg_eval_fmt(x->ev, "%s: directory", dir);
	return SCA_FOUND;
}

static struct vg_outcome
sca_dir(struct sca_ctx *x)
{
	const struct vg_sca_rule *s = x->rule;
	struct vg_evaluator *ev = x->ev;
	enum sca_res r = SCA_NOT_FOUND;
	const char *want;

	for (size_t i = 0; i < s->ntargets && r != SCA_FOUND; i++)
		r = acc(r,
			s->has_name ? walk_dir(x, s->targets[i], 0) : dir_exists(x, s->targets[i]));
	if (!s->has_name)
		return finish(x, r,
			      r == SCA_FOUND
				      ? vg_eval_fmt(ev, "%s exists", x->where)
				      : vg_eval_fmt(ev, "%s does not exist", targets_text(ev, s)),
			      "it to exist");
	want = s->has_content ? vg_eval_fmt(ev, "a file named '%s' with a line matching '%s'",
					    chain_text(ev, &s->name), chain_text(ev, &s->content))
			      : vg_eval_fmt(ev, "a file named '%s'", chain_text(ev, &s->name));
	if (r == SCA_FOUND)
		return finish(x, r,
			      s->has_content ? vg_eval_fmt(ev, "a line of %s matches", x->where)
					     : vg_eval_fmt(ev, "%s exists", x->where),
			      want);
	return finish(x, r, vg_eval_fmt(ev, "no file in %s matches", targets_text(ev, s)), want);
}

/* Processes: Wazuh matches `ps -p PID`'s command name; the inventory has exe and argv. */
static struct vg_outcome
sca_process(struct sca_ctx *x)
{
	struct vg_evaluator *ev = x->ev;
	const struct vg_inventory *inv = ev->inv;
	struct vg_sca_chain ch = {0};
	struct vg_sca_cond c = {VG_SCA_COND_LITERAL, false, x->rule->targets[0], 0, 0};

	if (!inv || inv->nprocesses == 0)
		return vg_eval_na(ev, "process list is empty");
	ch.conds = &c;
	ch.n = 1;
	for (size_t i = 0; i < inv->nprocesses; i++) {
		const struct vg_process *p = &inv->processes[i];
		const char *names[2] = {vg_eval_basename(ev, p->exe), NULL};
		if (p->cmdline) {
			size_t w = strcspn(p->cmdline, " ");
			names[1] = vg_eval_basename(
				ev, vg_arena_strndup(&ev->arena, vg_str_n(p->cmdline, w)));
		}
		for (int k = 0; k < 2; k++) {
			if (names[k] && chain_holds(x, &ch, vg_str_c(names[k])) == SCA_FOUND) {
				x->evidence = vg_eval_fmt(ev, "process %d %s", p->pid,
							  p->exe ? p->exe : names[k]);
				return finish(x, SCA_FOUND,
					      vg_eval_fmt(ev, "process %s is running", names[k]),
					      "it running");
			}
		}
	}
	return finish(x, SCA_NOT_FOUND,
		      vg_eval_fmt(ev, "no process %s is running", x->rule->targets[0]),
		      "it running");
}

static bool
root_is_host(const struct vg_evaluator *ev)
{
	const char *r = ev->probe.inv.root;
	if (!r || !*r)
		return true;
	for (; *r; r++)
		if (*r != '/')
			return false;
	return true;
}

static struct vg_outcome
sca_command(struct sca_ctx *x)
{
	struct vg_evaluator *ev = x->ev;
	const char *cmd = x->rule->targets[0];
	struct vg_cmd_result res;
	struct vg_err err;
	struct vg_buf out;
	char **argv;
	size_t argc;
	enum sca_res r;
	int rc;

	if (!ev->opts.commands)
		return vg_eval_na(ev, "command rules are disabled");
	if (!root_is_host(ev))
		return vg_eval_na(ev, "command rules run only when the root is /");
	vg_err_clear(&err);
	rc = vg_cmd_split(&ev->arena, cmd, &argv, &argc, &err);
	if (rc)
		return vg_eval_na(ev, "command '%s' not run: %s", cmd, err.msg);
	vg_buf_init(&out, ev->opts.command_max_output + 1);
	rc = vg_cmd_run(argv, ev->opts.command_timeout_ms, ev->opts.command_max_output, &out, &res,
			&err);
	if (rc != VG_ENOTFOUND && rc != VG_EPERM)
		ev->commands_run++;
	if (rc) {
		vg_buf_release(&out);
		return rc == VG_ENOTFOUND || rc == VG_EPERM
			       ? vg_eval_na(ev, "command '%s': %s", cmd, err.msg)
			       : vg_eval_err(ev, "command '%s': %s", cmd, err.msg);
	}
	if (res.timed_out) {
		vg_buf_release(&out);
		return vg_eval_err(ev, "command '%s' timed out after %d ms", cmd,
				   ev->opts.command_timeout_ms);
	}
	r = scan_lines(x, vg_eval_fmt(ev, "command '%s'", cmd), vg_buf_str(&out));
	vg_buf_release(&out);
	return finish(x, r,
		      r == SCA_FOUND
			      ? vg_eval_fmt(ev, "a line of the output of '%s' matches", cmd)
			      : vg_eval_fmt(ev, "no line of the output of '%s' matches", cmd),
		      vg_eval_fmt(ev, "a line matching '%s'", chain_text(ev, &x->rule->content)));
}

struct vg_outcome
vg_eval_sca_rule(struct vg_evaluator *ev, const struct vg_rule *r)
{
	struct sca_ctx x = {.ev = ev, .rule = &r->u.sca};

	x.reflags = r->u.sca.dialect == VG_SCA_PCRE2 ? 0 : VG_RE_OSREGEX;
	switch (r->u.sca.type) {
	case VG_SCA_FILE:
		return sca_file(&x);
	case VG_SCA_DIR:
		return sca_dir(&x);
	case VG_SCA_PROCESS:
		return sca_process(&x);
	case VG_SCA_COMMAND:
		return sca_command(&x);
	default:
		return vg_eval_na(ev, "registry rules apply only to Windows");
	}
}
