/*
 * probe.c - root, paths, file reading and file metadata for the probes
 * (probe.h); the format-aware probes are in probe_conf.c and probe_sys.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/collect_accounts.h"
#include "core/alloc.h"
#include "core/err.h"
#include "policy/probe.h"
#include "policy/probe_int.h"

struct vg_probe_group {
	unsigned gid;
	const char *name;
};

void
vg_probe_init(struct vg_probe *p, const char *root)
{
	memset(p, 0, sizeof(*p));
	vg_inventory_init(&p->inv, root ? root : "/");
	p->max_file = VG_PROBE_MAX_FILE;
}

void
vg_probe_release(struct vg_probe *p)
{
	free(p->groups);
	vg_inventory_release(&p->inv);
	memset(p, 0, sizeof(*p));
}

/* Drop the last component of @done (length *@dlen); ".." at the root stays at the root. */
static void
pop_component(char *done, size_t *dlen)
{
	while (*dlen > 0 && done[*dlen - 1] != '/')
		(*dlen)--;
	if (*dlen > 0)
		(*dlen)--;
	done[*dlen] = '\0';
}

static int
errno_code(int e)
{
	if (e == ENOENT || e == ENOTDIR)
		return VG_ENOTFOUND;
	return e == EACCES ? VG_EPERM : VG_EIO;
}

/* Replace the pending path @todo by the link text @lnk followed by the unresolved @rest. */
static int
splice_link(char *todo, const char *lnk, const char *rest)
{
	char tmp[VG_PROBE_PATH_MAX];
	int n = snprintf(tmp, sizeof(tmp), "%s/%s", lnk, rest);

	if (n < 0 || (size_t)n >= sizeof(tmp))
		return VG_ETOOBIG;
	memcpy(todo, tmp, (size_t)n + 1);
	return VG_OK;
}

/* Follow the symlink at host path @host, already appended to @done. */
static int
follow(const char *host, char *done, size_t *dlen, char *todo, const char **t, int *links)
{
	char lnk[VG_PROBE_PATH_MAX];
	ssize_t n;

	if (++*links > VG_PROBE_MAX_SYMLINKS)
		return VG_EIO;
	n = readlink(host, lnk, sizeof(lnk) - 1);
	if (n < 0)
		return errno_code(errno);
	lnk[n] = '\0';
	/* The root is "/" for the link: absolute targets restart there. */
	if (lnk[0] == '/') {
		*dlen = 0;
		done[0] = '\0';
	} else {
		pop_component(done, dlen);
	}
	if (splice_link(todo, lnk, *t) != VG_OK)
		return VG_ETOOBIG;
	*t = todo;
	return VG_OK;
}

int
vg_probe_resolve(const struct vg_probe *p, const char *rel, int flags, char *out, size_t cap)
{
	char done[VG_PROBE_PATH_MAX] = "", todo[VG_PROBE_PATH_MAX];
	size_t dlen = 0;
	const char *t = todo;
	int links = 0, n;

	n = snprintf(todo, sizeof(todo), "%s", rel);
	if (n < 0 || (size_t)n >= sizeof(todo))
		return VG_ETOOBIG;
	for (;;) {
		size_t clen;
		struct stat st;
		char host[VG_PROBE_PATH_MAX];
		const char *comp;
		bool last;
		int rc;

		while (*t == '/')
			t++;
		if (!*t)
			break;
		comp = t;
		clen = strcspn(t, "/");
		t += clen;
		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			pop_component(done, &dlen);
			continue;
		}
		if (dlen + 1 + clen >= sizeof(done))
			return VG_ETOOBIG;
		done[dlen++] = '/';
		memcpy(done + dlen, comp, clen);
		dlen += clen;
		done[dlen] = '\0';
		if (!vg_inv_path(&p->inv, done, host, sizeof(host)))
			return VG_ETOOBIG;
		last = t[strspn(t, "/")] == '\0';
		if (lstat(host, &st) < 0) {
			if (errno == ENOENT && last)
				break;
			return errno_code(errno);
		}
		if (!S_ISLNK(st.st_mode) || (last && (flags & VG_PROBE_NOFOLLOW)))
			continue;
		rc = follow(host, done, &dlen, todo, &t, &links);
		if (rc != VG_OK)
			return rc;
	}
	return vg_inv_path(&p->inv, done, out, cap) ? VG_OK : VG_ETOOBIG;
}

int
vg_probe_read(const struct vg_probe *p, const char *rel, char **data, size_t *len)
{
	char host[VG_PROBE_PATH_MAX];
	int rc = vg_probe_resolve(p, rel, 0, host, sizeof(host));

	if (rc != VG_OK)
		return rc;
	return vg_inv_read_file(host, p->max_file, data, len);
}

/* ---- helpers shared with probe_conf.c and probe_sys.c ---- */

const char *
vg_probe_strs(struct vg_probe *p, struct vg_str s)
{
	return vg_arena_strndup(&p->inv.arena, s);
}

void
vg_probe_set(struct vg_probe *p, struct vg_probe_value *v, struct vg_str value, const char *file,
	     int line)
{
	v->value = vg_probe_strs(p, value);
	v->file = vg_arena_strdup(&p->inv.arena, file);
	v->line = line;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* A growing array of borrowed strings on the heap, copied into the arena when complete. */
struct names {
	const char **v;
	size_t n, cap;
};

static void
names_add(struct names *ns, const char *s)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		ns->v = vg_xreallocarray(ns->v, ns->cap, sizeof(*ns->v));
	}
	ns->v[ns->n++] = s;
}

/* Sort @ns with @cmp, move it into the arena as *@out and return the count. */
static size_t
names_finish(struct vg_probe *p, struct names *ns, int (*cmp)(const void *, const void *),
	     const char ***out)
{
	const char **v = NULL;

	if (ns->n) {
		qsort(ns->v, ns->n, sizeof(*ns->v), cmp);
		v = vg_arena_alloc(&p->inv.arena, ns->n * sizeof(*v));
		memcpy(v, ns->v, ns->n * sizeof(*v));
	}
	free(ns->v);
	*out = v;
	return ns->n;
}

int
vg_probe_list(struct vg_probe *p, const char *dir, const char *suffix, const char ***names,
	      size_t *n)
{
	char host[VG_PROBE_PATH_MAX];
	struct names ns = {NULL, 0, 0};
	struct dirent *de;
	DIR *d;
	int rc;

	*names = NULL;
	*n = 0;
	rc = vg_probe_resolve(p, dir, 0, host, sizeof(host));
	if (rc != VG_OK)
		return rc;
	d = opendir(host);
	if (!d)
		return errno_code(errno);
	while (ns.n < VG_PROBE_MAX_DIRENTS && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffix))
			continue;
		names_add(&ns, vg_arena_strdup(&p->inv.arena, de->d_name));
	}
	closedir(d);
	*n = names_finish(p, &ns, name_cmp, names);
	return VG_OK;
}

/* Is @name already in the first @n entries of @files (compared by base name)? */
static bool
seen_name(const char *const *files, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *b = strrchr(files[i], '/');

		if (strcmp(b ? b + 1 : files[i], name) == 0)
			return true;
	}
	return false;
}

static int
path_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	const char *bx = strrchr(x, '/'), *by = strrchr(y, '/');

	return strcmp(bx ? bx + 1 : x, by ? by + 1 : y);
}

size_t
vg_probe_conf_files(struct vg_probe *p, const char *const *dirs, const char ***files)
{
	struct names ns = {NULL, 0, 0};

	for (size_t d = 0; dirs[d]; d++) {
		const char **names;
		size_t nn;

		if (vg_probe_list(p, dirs[d], ".conf", &names, &nn) != VG_OK)
			continue;
		/* The same name in a directory of higher priority masks this one. */
		for (size_t i = 0; i < nn && ns.n < VG_PROBE_MAX_DIRENTS; i++)
			if (!seen_name(ns.v, ns.n, names[i]))
				names_add(&ns, vg_arena_printf(&p->inv.arena, "%s/%s", dirs[d],
							       names[i]));
	}
	return names_finish(p, &ns, path_cmp, files);
}

/* ---- 1. file metadata ---- */

static void
load_passwd(struct vg_probe *p)
{
	char *data;
	size_t len;

	p->passwd_loaded = true;
	if (vg_probe_read(p, "/etc/passwd", &data, &len) != VG_OK)
		return;
	(void)vg_passwd_parse(&p->inv, vg_str_n(data, len), "/etc/passwd");
	free(data);
}

/* One etc/group line "name:password:gid:members" into @g; false when malformed. */
static bool
group_line(struct vg_probe *p, struct vg_str line, struct vg_probe_group *g)
{
	ptrdiff_t c1 = vg_str_chr(line, ':'), c2, c3;
	struct vg_str rest, gid;
	unsigned long v = 0;

	if (c1 <= 0 || line.p[0] == '#')
		return false;
	rest = vg_str_sub(line, (size_t)c1 + 1, line.len);
	c2 = vg_str_chr(rest, ':');
	if (c2 < 0)
		return false;
	rest = vg_str_sub(rest, (size_t)c2 + 1, rest.len);
	c3 = vg_str_chr(rest, ':');
	gid = vg_str_sub(rest, 0, c3 < 0 ? rest.len : (size_t)c3);
	if (gid.len == 0 || gid.len > 10)
		return false;
	for (size_t i = 0; i < gid.len; i++) {
		if (gid.p[i] < '0' || gid.p[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(gid.p[i] - '0');
	}
	if (v > 0xffffffffUL)
		return false;
	g->gid = (unsigned)v;
	g->name = vg_probe_strs(p, vg_str_sub(line, 0, (size_t)c1));
	return true;
}

static void
load_groups(struct vg_probe *p)
{
	struct vg_str text, line;
	size_t pos = 0, cap = 0;
	char *data;
	size_t len;

	p->groups_loaded = true;
	if (vg_probe_read(p, "/etc/group", &data, &len) != VG_OK)
		return;
	text = vg_str_n(data, len);
	while (vg_str_next_line(text, &pos, &line)) {
		struct vg_probe_group g;

		if (!group_line(p, vg_str_trim(line), &g))
			continue;
		if (p->ngroups == cap) {
			cap = cap ? cap * 2 : 32;
			p->groups = vg_xreallocarray(p->groups, cap, sizeof(*p->groups));
		}
		p->groups[p->ngroups++] = g;
	}
	free(data);
}

static const char *
user_name(struct vg_probe *p, unsigned uid)
{
	if (!p->passwd_loaded)
		load_passwd(p);
	/* First entry wins, as getpwuid(3) with the files backend. */
	for (size_t i = 0; i < p->inv.naccounts; i++)
		if (p->inv.accounts[i].uid >= 0 && (unsigned)p->inv.accounts[i].uid == uid)
			return p->inv.accounts[i].name;
	return NULL;
}

static const char *
group_name(struct vg_probe *p, unsigned gid)
{
	if (!p->groups_loaded)
		load_groups(p);
	for (size_t i = 0; i < p->ngroups; i++)
		if (p->groups[i].gid == gid)
			return p->groups[i].name;
	return NULL;
}

static enum vg_probe_ftype
ftype(mode_t m)
{
	if (S_ISREG(m))
		return VG_PROBE_FILE;
	if (S_ISDIR(m))
		return VG_PROBE_DIR;
	return S_ISLNK(m) ? VG_PROBE_LINK : VG_PROBE_OTHER;
}

int
vg_probe_stat(struct vg_probe *p, const char *rel, int flags, struct vg_probe_stat *out)
{
	char host[VG_PROBE_PATH_MAX], lnk[VG_PROBE_PATH_MAX];
	struct stat st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = vg_probe_resolve(p, rel, flags, host, sizeof(host));
	if (rc != VG_OK)
		return rc;
	if (lstat(host, &st) < 0)
		return errno_code(errno);
	out->type = ftype(st.st_mode);
	out->mode = (unsigned)(st.st_mode & 07777);
	out->uid = (unsigned)st.st_uid;
	out->gid = (unsigned)st.st_gid;
	out->size = (long long)st.st_size;
	out->owner = user_name(p, out->uid);
	out->group = group_name(p, out->gid);
	if (out->type == VG_PROBE_LINK) {
		ssize_t n = readlink(host, lnk, sizeof(lnk) - 1);

		if (n < 0)
			return errno_code(errno);
		lnk[n] = '\0';
		out->target = vg_arena_strdup(&p->inv.arena, lnk);
	}
	return VG_OK;
}
