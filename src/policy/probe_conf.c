/*
 * probe_conf.c - key-value configuration probes (probe.h): sshd_config,
 * login.defs, sysctl.d and proc/sys, limits.conf, PAM stacks.  The rules
 * of each format are in docs/internals/probes.md.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/err.h"
#include "core/str.h"
#include "policy/probe.h"
#include "policy/probe_int.h"

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
clear_value(struct vg_probe_value *out)
{
	memset(out, 0, sizeof(*out));
}

/* ---- sshd_config(5) ---- */

struct sshd_ctx {
	struct vg_probe *p;
	struct vg_str key;
	struct vg_probe_value *out;
};

static int sshd_file(struct sshd_ctx *c, const char *rel, int depth, bool global);

/* Keyword and arguments of a line: "Key value", "Key=value", "Key = value". */
static void
sshd_split(struct vg_str line, struct vg_str *kw, struct vg_str *args)
{
	size_t i = 0;

	while (i < line.len && !is_blank(line.p[i]) && line.p[i] != '=')
		i++;
	*kw = vg_str_sub(line, 0, i);
	*args = vg_str_trim(vg_str_sub(line, i, line.len));
	if (args->len && args->p[0] == '=')
		*args = vg_str_trim(vg_str_sub(*args, 1, args->len));
}

static bool
has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* One Include argument: relative to /etc/ssh, a glob in its last component. */
static int
sshd_include(struct sshd_ctx *c, struct vg_str arg, int depth, bool global)
{
	char path[VG_PROBE_PATH_MAX], dir[VG_PROBE_PATH_MAX];
	const char **names;
	const char *base;
	size_t n;
	int len;

	len = snprintf(path, sizeof(path), "%s%.*s", arg.len && arg.p[0] == '/' ? "" : "/etc/ssh/",
		       (int)arg.len, arg.p);
	if (len < 0 || (size_t)len >= sizeof(path))
		return VG_ETOOBIG;
	base = strrchr(path, '/') + 1;
	if (!has_glob(base))
		return sshd_file(c, path, depth + 1, global);
	(void)snprintf(dir, sizeof(dir), "%.*s", (int)(base - path), path);
	/* No match is not an error for sshd either. */
	if (vg_probe_list(c->p, dir, "", &names, &n) != VG_OK)
		return VG_OK;
	for (size_t i = 0; i < n; i++) {
		char file[VG_PROBE_PATH_MAX];
		int rc;

		if (fnmatch(base, names[i], FNM_PERIOD) != 0)
			continue;
		(void)snprintf(file, sizeof(file), "%s%s", dir, names[i]);
		rc = sshd_file(c, file, depth + 1, global);
		if (rc != VG_OK && rc != VG_ENOTFOUND)
			return rc;
	}
	return VG_OK;
}

static int
sshd_includes(struct sshd_ctx *c, struct vg_str args, int depth, bool global)
{
	while (args.len) {
		struct vg_str arg = vg_str_next_word(&args);
		int rc = sshd_include(c, arg, depth, global);

		if (rc != VG_OK && rc != VG_ENOTFOUND)
			return rc;
	}
	return VG_OK;
}

/* A Match block lasts to the next Match or the end of its file; "Match all" is global again. */
static bool
sshd_match_global(struct vg_str args)
{
	return vg_str_eq_nocase(vg_str_next_word(&args), vg_str_c("all"));
}

/* Arguments end at a '#' starting a word outside double quotes (OpenSSH's argv_split()). */
static struct vg_str
sshd_uncomment(struct vg_str args)
{
	bool quoted = false;

	for (size_t i = 0; i < args.len; i++) {
		if (args.p[i] == '"')
			quoted = !quoted;
		else if (args.p[i] == '#' && !quoted && (i == 0 || is_blank(args.p[i - 1])))
			return vg_str_trim(vg_str_sub(args, 0, i));
	}
	return args;
}

static int
sshd_lines(struct sshd_ctx *c, struct vg_str text, const char *rel, int depth, bool global)
{
	struct vg_str line, kw, args;
	bool in_match = false;
	size_t pos = 0;
	int lineno = 0, rc;

	while (vg_str_next_line(text, &pos, &line)) {
		lineno++;
		line = vg_str_trim(line);
		if (!line.len || line.p[0] == '#')
			continue;
		sshd_split(line, &kw, &args);
		args = sshd_uncomment(args);
		if (vg_str_eq_nocase(kw, vg_str_c("Match"))) {
			in_match = !sshd_match_global(args);
		} else if (vg_str_eq_nocase(kw, vg_str_c("Include"))) {
			rc = sshd_includes(c, args, depth, global && !in_match);
			if (rc != VG_OK)
				return rc;
		} else if (global && !in_match && !c->out->value && vg_str_eq_nocase(kw, c->key)) {
			vg_probe_set(c->p, c->out, args, rel, lineno);
		}
	}
	return VG_OK;
}

static int
sshd_file(struct sshd_ctx *c, const char *rel, int depth, bool global)
{
	char *data;
	size_t len;
	int rc;

	if (depth > VG_PROBE_MAX_DEPTH)
		return VG_EINVAL;
	rc = vg_probe_read(c->p, rel, &data, &len);
	if (rc != VG_OK)
		return rc;
	rc = sshd_lines(c, vg_str_n(data, len), rel, depth, global);
	free(data);
	return rc;
}

int
vg_probe_sshd(struct vg_probe *p, const char *key, struct vg_probe_value *out)
{
	struct sshd_ctx c = {p, vg_str_c(key), out};

	clear_value(out);
	return sshd_file(&c, "/etc/ssh/sshd_config", 0, true);
}

/* ---- login.defs(5) ---- */

/* shadow-utils getdef.c: the value starts after blanks and quotes and ends at a quote. */
static struct vg_str
defs_value(struct vg_str rest)
{
	size_t i = 0, j;

	while (i < rest.len && (is_blank(rest.p[i]) || rest.p[i] == '"'))
		i++;
	j = i;
	while (j < rest.len && rest.p[j] != '"')
		j++;
	return vg_str_trim(vg_str_sub(rest, i, j - i));
}

int
vg_probe_login_defs(struct vg_probe *p, const char *key, struct vg_probe_value *out)
{
	struct vg_str text, line;
	size_t pos = 0, len;
	int lineno = 0, rc;
	char *data;

	clear_value(out);
	rc = vg_probe_read(p, "/etc/login.defs", &data, &len);
	if (rc != VG_OK)
		return rc;
	text = vg_str_n(data, len);
	while (vg_str_next_line(text, &pos, &line)) {
		struct vg_str name;

		lineno++;
		line = vg_str_trim(line);
		if (!line.len || line.p[0] == '#')
			continue;
		name = vg_str_next_word(&line);
		/* A name alone is skipped; later definitions replace earlier ones (putdef_str). */
		if (line.len && vg_str_eqc(name, key))
			vg_probe_set(p, out, defs_value(line), "/etc/login.defs", lineno);
	}
	free(data);
	return VG_OK;
}

/* ---- sysctl.d(5) ---- */

/*
 * systemd's sysctl_normalize(): '.' and '/' both separate, and when the
 * first separator is '/', the two are swapped (so "net/ipv4/conf/eth0.1/x"
 * keeps the dot inside the interface name).  Result: '.'-separated.
 */
static bool
sysctl_normalize(struct vg_str key, char *out, size_t cap)
{
	size_t sep;

	if (key.len == 0 || key.len >= cap)
		return false;
	while (key.len && key.p[0] == '/')
		key = vg_str_sub(key, 1, key.len);
	memcpy(out, key.p, key.len);
	out[key.len] = '\0';
	sep = strcspn(out, "./");
	if (out[sep] != '/')
		return true;
	for (char *q = out; *q; q++)
		*q = *q == '/' ? '.' : *q == '.' ? '/' : *q;
	return true;
}

static void
sysctl_lines(struct vg_probe *p, struct vg_str text, const char *file, const char *want,
	     struct vg_probe_value *out)
{
	struct vg_str line;
	size_t pos = 0;
	int lineno = 0;

	while (vg_str_next_line(text, &pos, &line)) {
		char norm[512];
		ptrdiff_t eq;

		lineno++;
		line = vg_str_trim(line);
		if (!line.len || line.p[0] == '#' || line.p[0] == ';')
			continue;
		/* "-key = value": failures to set are ignored, the value counts. */
		if (line.p[0] == '-')
			line = vg_str_sub(line, 1, line.len);
		eq = vg_str_chr(line, '=');
		if (eq < 0)
			continue;
		if (!sysctl_normalize(vg_str_trim(vg_str_sub(line, 0, (size_t)eq)), norm,
				      sizeof(norm)))
			continue;
		if (strcmp(norm, want) == 0)
			vg_probe_set(p, out,
				     vg_str_trim(vg_str_sub(line, (size_t)eq + 1, line.len)), file,
				     lineno);
	}
}

static void
sysctl_file(struct vg_probe *p, const char *file, const char *want, struct vg_probe_value *out)
{
	char *data;
	size_t len;

	if (vg_probe_read(p, file, &data, &len) != VG_OK)
		return;
	sysctl_lines(p, vg_str_n(data, len), file, want, out);
	free(data);
}

/* Same host path?  Debian's etc/sysctl.d/99-sysctl.conf links to ../sysctl.conf. */
static bool
same_file(const struct vg_probe *p, const char *a, const char *b)
{
	char ha[VG_PROBE_PATH_MAX], hb[VG_PROBE_PATH_MAX];

	return vg_probe_resolve(p, a, 0, ha, sizeof(ha)) == VG_OK &&
	       vg_probe_resolve(p, b, 0, hb, sizeof(hb)) == VG_OK && strcmp(ha, hb) == 0;
}

int
vg_probe_sysctl_conf(struct vg_probe *p, const char *key, struct vg_probe_value *out)
{
	static const char *const dirs[] = {"/etc/sysctl.d",           "/run/sysctl.d",
					   "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
					   "/lib/sysctl.d",           NULL};
	const char **files;
	char want[512];
	size_t n;

	clear_value(out);
	if (!sysctl_normalize(vg_str_c(key), want, sizeof(want)))
		return VG_EINVAL;
	n = vg_probe_conf_files(p, dirs, &files);
	for (size_t i = 0; i < n; i++)
		if (!same_file(p, files[i], "/etc/sysctl.conf"))
			sysctl_file(p, files[i], want, out);
	/* procps `sysctl --system` reads etc/sysctl.conf last. */
	sysctl_file(p, "/etc/sysctl.conf", want, out);
	return VG_OK;
}

/* Is a component of the '/'-separated @path "." or ".." (or empty)? */
static bool
has_dot_component(const char *path)
{
	for (const char *c = path;;) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return true;
		if (!c[n])
			return false;
		c += n + 1;
	}
}

int
vg_probe_sysctl_run(struct vg_probe *p, const char *key, struct vg_probe_value *out)
{
	char norm[512], rel[600];
	struct vg_str v;
	char *data;
	size_t len;
	int rc;

	clear_value(out);
	if (!sysctl_normalize(vg_str_c(key), norm, sizeof(norm)))
		return VG_EINVAL;
	/* Back to a path: separators become '/', a literal '.' was kept as '/'. */
	for (char *q = norm; *q; q++)
		*q = *q == '.' ? '/' : *q == '/' ? '.' : *q;
	/* A key names a file below proc/sys, never "." or ".." on the way. */
	if (has_dot_component(norm))
		return VG_EINVAL;
	(void)snprintf(rel, sizeof(rel), "/proc/sys/%s", norm);
	rc = vg_probe_read(p, rel, &data, &len);
	if (rc != VG_OK)
		return rc;
	v = vg_str_n(data, len);
	while (v.len && (v.p[v.len - 1] == '\n' || v.p[v.len - 1] == '\r'))
		v.len--;
	vg_probe_set(p, out, v, rel, 1);
	free(data);
	return VG_OK;
}

/* ---- limits.conf(5) ---- */

struct limits_query {
	const char *domain, *type, *item;
};

static bool
limits_type_matches(struct vg_str t, const char *want)
{
	return vg_str_eqc(t, want) || vg_str_eqc(t, "-");
}

static void
limits_lines(struct vg_probe *p, struct vg_str text, const char *file, const struct limits_query *q,
	     struct vg_probe_value *out)
{
	struct vg_str line;
	size_t pos = 0;
	int lineno = 0;

	while (vg_str_next_line(text, &pos, &line)) {
		struct vg_str d, t, i, v;
		ptrdiff_t hash = vg_str_chr(line, '#');

		lineno++;
		/* pam_limits cuts every line at its first '#'. */
		if (hash >= 0)
			line.len = (size_t)hash;
		line = vg_str_trim(line);
		d = vg_str_next_word(&line);
		t = vg_str_next_word(&line);
		i = vg_str_next_word(&line);
		v = vg_str_next_word(&line);
		if (!v.len || !vg_str_eqc(d, q->domain) || !limits_type_matches(t, q->type) ||
		    !vg_str_eqc(i, q->item))
			continue;
		vg_probe_set(p, out, v, file, lineno);
	}
}

static int
limits_file(struct vg_probe *p, const char *file, const struct limits_query *q,
	    struct vg_probe_value *out)
{
	char *data;
	size_t len;
	int rc = vg_probe_read(p, file, &data, &len);

	if (rc != VG_OK)
		return rc;
	limits_lines(p, vg_str_n(data, len), file, q, out);
	free(data);
	return VG_OK;
}

int
vg_probe_limits(struct vg_probe *p, const char *domain, const char *type, const char *item,
		struct vg_probe_value *out)
{
	struct limits_query q = {domain, type, item};
	const char **names;
	size_t n = 0;
	int rc;

	clear_value(out);
	rc = limits_file(p, "/etc/security/limits.conf", &q, out);
	if (rc != VG_OK && rc != VG_ENOTFOUND)
		return rc;
	if (vg_probe_list(p, "/etc/security/limits.d", ".conf", &names, &n) != VG_OK)
		n = 0;
	if (rc == VG_ENOTFOUND && n == 0)
		return VG_ENOTFOUND;
	for (size_t i = 0; i < n; i++) {
		char file[VG_PROBE_PATH_MAX];
		int r;

		(void)snprintf(file, sizeof(file), "/etc/security/limits.d/%s", names[i]);
		r = limits_file(p, file, &q, out);
		if (r != VG_OK && r != VG_ENOTFOUND)
			return r;
	}
	return VG_OK;
}

/* ---- pam.conf(5) / pam.d ---- */

struct pam_ctx {
	struct vg_probe *p;
	struct vg_probe_pam_entry *v;
	size_t n, cap;
};

static int pam_file(struct pam_ctx *c, struct vg_str name, struct vg_str type, int depth);

/* The control field: a word, or a "[...]" group that may hold blanks. */
static struct vg_str
pam_control(struct vg_str *rest)
{
	ptrdiff_t close;
	struct vg_str w;

	if (!rest->len || rest->p[0] != '[')
		return vg_str_next_word(rest);
	close = vg_str_chr(*rest, ']');
	if (close < 0)
		return vg_str_next_word(rest);
	w = vg_str_sub(*rest, 0, (size_t)close + 1);
	*rest = vg_str_trim(vg_str_sub(*rest, (size_t)close + 1, rest->len));
	return w;
}

static void
pam_add(struct pam_ctx *c, struct vg_str type, bool opt, struct vg_str control,
	struct vg_str module, struct vg_str args, const char *file, int line)
{
	struct vg_probe_pam_entry *e;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = vg_xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	e = &c->v[c->n++];
	e->type = vg_probe_strs(c->p, type);
	e->optional_type = opt;
	e->control = vg_probe_strs(c->p, control);
	e->module = vg_probe_strs(c->p, module);
	e->args = vg_probe_strs(c->p, args);
	e->file = vg_arena_strdup(&c->p->inv.arena, file);
	e->line = line;
}

/* One non-comment line; @only limits the types kept (an "include" line's type). */
static int
pam_line(struct pam_ctx *c, struct vg_str line, struct vg_str only, const char *file, int lineno,
	 int depth)
{
	struct vg_str type, control, module;
	bool opt = false;

	type = vg_str_next_word(&line);
	if (vg_str_eqc(type, "@include"))
		return pam_file(c, vg_str_next_word(&line), only, depth + 1);
	if (type.len && type.p[0] == '-') {
		opt = true;
		type = vg_str_sub(type, 1, type.len);
	}
	control = pam_control(&line);
	module = vg_str_next_word(&line);
	if (!module.len || (only.len && !vg_str_eq_nocase(type, only)))
		return VG_OK;
	if (vg_str_eqc(control, "include") || vg_str_eqc(control, "substack"))
		return pam_file(c, module, type, depth + 1);
	pam_add(c, type, opt, control, module, line, file, lineno);
	return VG_OK;
}

static int
pam_lines(struct pam_ctx *c, struct vg_str text, struct vg_str only, const char *file, int depth)
{
	struct vg_str line;
	size_t pos = 0;
	int lineno = 0;

	while (vg_str_next_line(text, &pos, &line)) {
		ptrdiff_t hash = vg_str_chr(line, '#');
		int rc;

		lineno++;
		if (hash >= 0)
			line.len = (size_t)hash;
		line = vg_str_trim(line);
		if (!line.len)
			continue;
		rc = pam_line(c, line, only, file, lineno, depth);
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

static int
pam_file(struct pam_ctx *c, struct vg_str name, struct vg_str only, int depth)
{
	char file[VG_PROBE_PATH_MAX];
	char *data;
	size_t len;
	int rc;

	if (depth > VG_PROBE_MAX_DEPTH)
		return VG_EINVAL;
	if (!name.len || vg_str_chr(name, '\0') >= 0)
		return depth ? VG_OK : VG_EINVAL;
	(void)snprintf(file, sizeof(file), "%s%.*s", name.p[0] == '/' ? "" : "/etc/pam.d/",
		       (int)name.len, name.p);
	rc = vg_probe_read(c->p, file, &data, &len);
	/* An included file that is missing fails only at authentication time. */
	if (rc != VG_OK)
		return depth && rc == VG_ENOTFOUND ? VG_OK : rc;
	rc = pam_lines(c, vg_str_n(data, len), only, file, depth);
	free(data);
	return rc;
}

int
vg_probe_pam(struct vg_probe *p, const char *service, struct vg_probe_pam *out)
{
	struct pam_ctx c = {p, NULL, 0, 0};
	int rc;

	memset(out, 0, sizeof(*out));
	if (strchr(service, '/'))
		return VG_EINVAL;
	rc = pam_file(&c, vg_str_c(service), vg_str_n("", 0), 0);
	if (rc == VG_OK && c.n) {
		out->entries = vg_arena_alloc(&p->inv.arena, c.n * sizeof(*c.v));
		memcpy(out->entries, c.v, c.n * sizeof(*c.v));
		out->n = c.n;
	}
	free(c.v);
	return rc;
}

const struct vg_probe_pam_entry *
vg_probe_pam_find(const struct vg_probe_pam *stack, const char *type, const char *module)
{
	for (size_t i = 0; i < stack->n; i++) {
		const struct vg_probe_pam_entry *e = &stack->entries[i];
		const char *base = strrchr(e->module, '/');

		if (strcmp(e->type, type) == 0 && strcmp(base ? base + 1 : e->module, module) == 0)
			return e;
	}
	return NULL;
}
