/*
 * collect_lang.c - Python distributions and npm packages installed under
 * the root.  Python: the core metadata of each distribution (Core metadata
 * specifications, packaging.python.org; the header is read as Python's
 * email.feedparser does).  npm: each package.json in node_modules
 * (package.json documentation, docs.npmjs.com), parsed with jansson.
 * Where it looks and how deep: collect_lang.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/collect_lang.h"
#include "core/alloc.h"

#define PY  "python"
#define NPM "npm"

/* First read of a file; most METADATA headers and package.json files fit. */
#define FIRST_READ 8192
/* Site directories remembered to avoid scanning one twice through a symlink. */
#define MAX_SITES  64

/* ---- Python core metadata ---- */

static bool
has_control(struct vg_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return true;
	return false;
}

static bool
has_blank(struct vg_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] == ' ' || s.p[i] == '\t')
			return true;
	return false;
}

/* Length of the header name of @line (feedparser's [\041-\071\073-\176]*:), or -1. */
static ptrdiff_t
header_name_len(struct vg_str line)
{
	for (size_t i = 0; i < line.len; i++) {
		unsigned char c = (unsigned char)line.p[i];

		if (c == ':')
			return (ptrdiff_t)i;
		if (c < 0x21 || c > 0x7e)
			return -1;
	}
	return -1;
}

static void
pymeta_field(struct vg_pymeta *m, struct vg_str name, struct vg_str value, bool *have_expr)
{
	if (vg_str_eq_nocase(name, VG_STR_LIT("Name"))) {
		if (!m->name.p)
			m->name = value;
	} else if (vg_str_eq_nocase(name, VG_STR_LIT("Version"))) {
		if (!m->version.p)
			m->version = value;
	} else if (vg_str_eq_nocase(name, VG_STR_LIT("License-Expression"))) {
		/* PEP 639: the SPDX expression supersedes the free-text License. */
		if (!*have_expr)
			m->license = value;
		*have_expr = true;
	} else if (vg_str_eq_nocase(name, VG_STR_LIT("License"))) {
		if (!*have_expr && !m->license.p)
			m->license = value;
	}
}

static int
pymeta_check(struct vg_str v, const char *what, bool blanks_ok, struct vg_err *err)
{
	if (!v.p || v.len == 0)
		return vg_error(err, VG_EINVAL, "no '%s'", what);
	if (v.len > VG_LANG_MAX_FIELD)
		return vg_error(err, VG_EINVAL, "'%s' longer than %d bytes", what,
				VG_LANG_MAX_FIELD);
	if (has_control(v) || (!blanks_ok && has_blank(v)))
		return vg_error(err, VG_EINVAL, "invalid '%s'", what);
	return VG_OK;
}

int
vg_pymeta_parse(struct vg_str text, struct vg_pymeta *out, struct vg_err *err)
{
	struct vg_pymeta m = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
	bool have_expr = false;
	int rc;

	while (text.len) {
		ptrdiff_t nl = vg_str_chr(text, '\n');
		size_t n = nl < 0 ? text.len : (size_t)nl;
		struct vg_str line = vg_str_n(text.p, n);
		ptrdiff_t colon;

		text = vg_str_sub(text, n + 1, SIZE_MAX);
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		if (line.len == 0)
			break; /* the blank line ending the header */
		if (line.p[0] == ' ' || line.p[0] == '\t')
			continue; /* continuation: only first lines are kept */
		colon = header_name_len(line);
		if (colon < 0)
			break; /* not a header: the body starts here, as in feedparser */
		pymeta_field(&m, vg_str_n(line.p, (size_t)colon),
			     vg_str_trim(vg_str_sub(line, (size_t)colon + 1, SIZE_MAX)),
			     &have_expr);
	}
	if ((rc = pymeta_check(m.name, "Name", true, err)) != VG_OK ||
	    (rc = pymeta_check(m.version, "Version", false, err)) != VG_OK)
		return rc;
	if (m.license.len > VG_LANG_MAX_FIELD || has_control(m.license) ||
	    vg_str_eqc(m.license, "UNKNOWN"))
		m.license = vg_str_n(NULL, 0);
	if (!m.license.p)
		m.license = vg_str_n(NULL, 0);
	*out = m;
	return VG_OK;
}

int
vg_lang_add_python(struct vg_inventory *inv, struct vg_str text, const char *dir, const char *file)
{
	struct vg_pymeta m;
	struct vg_err err;
	struct vg_package *p;

	if (vg_pymeta_parse(text, &m, &err) != VG_OK) {
		vg_inv_warn(inv, PY, file, 0, "%s", err.msg);
		return VG_EINVAL;
	}
	p = vg_inv_add_package(inv, VG_PKG_PYTHON);
	p->name = vg_inv_str(inv, m.name);
	p->version = vg_inv_str(inv, m.version);
	p->source_name = p->name;
	p->source_version = p->version;
	p->license = m.license.len ? vg_inv_str(inv, m.license) : NULL;
	p->path = vg_inv_strc(inv, dir);
	return VG_OK;
}

/* ---- package.json ---- */

/* A usable string member: non-empty, bounded, no control characters. */
static const char *
json_field(json_t *obj, const char *key, size_t *len)
{
	json_t *v = json_object_get(obj, key);
	const char *s = json_string_value(v);

	if (!s)
		return NULL;
	*len = json_string_length(v);
	if (*len == 0 || *len > VG_LANG_MAX_FIELD || has_control(vg_str_n(s, *len)))
		return NULL;
	return s;
}

static void
license_add(char *buf, size_t cap, size_t *len, json_t *v)
{
	const char *s = json_is_object(v) ? json_string_value(json_object_get(v, "type"))
					  : json_string_value(v);
	int n;

	if (!s || !*s || has_control(vg_str_c(s)))
		return;
	n = snprintf(buf + *len, cap - *len, "%s%s", *len ? " OR " : "", s);
	if (n < 0 || (size_t)n >= cap - *len)
		buf[*len] = '\0'; /* too long: keep what fitted before */
	else
		*len += (size_t)n;
}

/* "license": "MIT" | {"type": "MIT"}; legacy "licenses": ["MIT", {"type": "X"}]. */
static const char *
npm_license(struct vg_inventory *inv, json_t *root)
{
	char buf[VG_LANG_MAX_FIELD + 1];
	json_t *lic = json_object_get(root, "license"), *v;
	size_t len = 0, i;

	buf[0] = '\0';
	if (lic) {
		license_add(buf, sizeof(buf), &len, lic);
	} else {
		json_array_foreach(json_object_get(root, "licenses"), i, v)
		{
			if (i >= 16)
				break;
			license_add(buf, sizeof(buf), &len, v);
		}
	}
	return len ? vg_inv_strc(inv, buf) : NULL;
}

int
vg_lang_add_npm(struct vg_inventory *inv, struct vg_str text, const char *dir, const char *file)
{
	const char *name, *version;
	size_t nlen = 0, vlen = 0;
	struct vg_package *p;
	json_error_t jerr;
	json_t *root;

	if (text.len > VG_LANG_MAX_PACKAGE_JSON) {
		vg_inv_warn(inv, NPM, file, 0, "larger than %d bytes", VG_LANG_MAX_PACKAGE_JSON);
		return VG_ETOOBIG;
	}
	root = json_loadb(text.p, text.len, 0, &jerr);
	if (!root) {
		vg_inv_warn(inv, NPM, file, jerr.line > 0 ? jerr.line : 0, "invalid JSON: %s",
			    jerr.text);
		return VG_EINVAL;
	}
	name = json_field(root, "name", &nlen);
	version = json_field(root, "version", &vlen);
	if (!json_is_object(root) || !name || !version || has_blank(vg_str_n(version, vlen))) {
		vg_inv_warn(inv, NPM, file, 0, "no usable 'name' and 'version'");
		json_decref(root);
		return VG_EINVAL;
	}
	p = vg_inv_add_package(inv, VG_PKG_NPM);
	p->name = vg_inv_str(inv, vg_str_n(name, nlen));
	p->version = vg_inv_str(inv, vg_str_n(version, vlen));
	p->source_name = p->name;
	p->source_version = p->version;
	p->license = npm_license(inv, root);
	p->path = vg_inv_strc(inv, dir);
	json_decref(root);
	return VG_OK;
}

/* ---- file system walk ---- */

static bool fmt(char *out, size_t cap, const char *format, ...) VG_PRINTF(3, 4);

/* snprintf() into @out that says whether everything fitted. */
static bool
fmt(char *out, size_t cap, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vsnprintf(out, cap, format, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < cap;
}

struct ctx {
	struct vg_inventory *inv;
	char *buf; /* reused for every file read */
	size_t cap;
	char rel[PATH_MAX]; /* directory being scanned, relative to the root */
	size_t rlen;
	struct {
		dev_t dev;
		ino_t ino;
	} sites[MAX_SITES];
	size_t nsites;
};

/* Append "/@name" to ctx->rel; false (and rel unchanged) when it does not fit. */
static bool
rel_push(struct ctx *c, const char *name, size_t *saved)
{
	int n = snprintf(c->rel + c->rlen, sizeof(c->rel) - c->rlen, "%s%s", c->rlen ? "/" : "",
			 name);

	*saved = c->rlen;
	if (n < 0 || (size_t)n >= sizeof(c->rel) - c->rlen) {
		c->rel[c->rlen] = '\0';
		return false;
	}
	c->rlen += (size_t)n;
	return true;
}

static void
rel_pop(struct ctx *c, size_t saved)
{
	c->rlen = saved;
	c->rel[saved] = '\0';
}

static bool
header_ended(const char *buf, size_t from, size_t len)
{
	from = from > 2 ? from - 2 : 0;
	return memmem(buf + from, len - from, "\n\n", 2) ||
	       memmem(buf + from, len - from, "\n\r\n", 3);
}

/*
 * Read @name (relative to @dfd) into c->buf: all of it up to @max bytes
 * (VG_ETOOBIG beyond), or with @header_only until the blank line ending a
 * core-metadata header (then reaching @max is not an error).
 */
static int
read_at(struct ctx *c, int dfd, const char *name, size_t max, bool header_only, size_t *len)
{
	size_t n = 0;
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno == ENOENT    ? VG_ENOTFOUND
		       : errno == ENOTDIR ? VG_EUNSUPPORTED
		       : errno == EACCES  ? VG_EPERM
					  : VG_EIO;
	/* One byte more than @max tells a file of exactly @max bytes from a bigger one. */
	for (size_t limit = max + 1; n < limit;) {
		ssize_t r;

		if (n == c->cap) {
			c->cap = c->cap * 2 > limit ? limit : c->cap * 2;
			c->buf = vg_xrealloc(c->buf, c->cap);
		}
		r = read(fd, c->buf + n, (c->cap < limit ? c->cap : limit) - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return errno == EISDIR ? VG_EUNSUPPORTED : VG_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (header_only && header_ended(c->buf, n - (size_t)r, n))
			break;
	}
	close(fd);
	if (n > max) {
		if (!header_only)
			return VG_ETOOBIG;
		n = max;
	}
	*len = n;
	return VG_OK;
}

struct names {
	char *buf; /* entries: one d_type byte, the name, a NUL */
	size_t len, cap;
	char **v; /* sorted pointers to the names */
	size_t n;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry of @d but "." and "..", sorted; @keep filters by name. */
static void
list_dir(DIR *d, struct names *ns, bool (*keep)(const char *))
{
	struct dirent *de;
	size_t i = 0;

	memset(ns, 0, sizeof(*ns));
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || (keep && !keep(de->d_name)))
			continue;
		if (ns->len + l + 2 > ns->cap) {
			ns->cap = ns->cap ? ns->cap * 2 + l + 2 : 4096;
			ns->buf = vg_xrealloc(ns->buf, ns->cap);
		}
		ns->buf[ns->len] = (char)de->d_type;
		memcpy(ns->buf + ns->len + 1, de->d_name, l + 1);
		ns->len += l + 2;
		ns->n++;
	}
	ns->v = vg_xreallocarray(NULL, ns->n + 1, sizeof(*ns->v));
	for (size_t off = 0; off < ns->len; off += strlen(ns->buf + off + 1) + 2)
		ns->v[i++] = ns->buf + off + 1;
	qsort(ns->v, ns->n, sizeof(*ns->v), name_cmp);
}

static void
names_release(struct names *ns)
{
	free(ns->buf);
	free(ns->v);
}

/* Open the directory ctx->rel; NULL (with a warning unless it is absent) on failure. */
static DIR *
open_rel_dir(struct ctx *c, const char *collector, struct stat *st)
{
	char path[PATH_MAX];
	int fd;
	DIR *d;

	if (!vg_inv_path(c->inv, c->rel, path, sizeof(path)))
		return NULL;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			vg_inv_warn(c->inv, collector, c->rel, 0, "cannot read: %s",
				    strerror(errno));
		return NULL;
	}
	if ((st && fstat(fd, st) < 0) || !(d = fdopendir(fd))) {
		close(fd);
		return NULL;
	}
	return d;
}

static void
warn_read(struct ctx *c, const char *collector, const char *file, int rc)
{
	vg_inv_warn(c->inv, collector, file, 0, "cannot read: %s", vg_strerror(rc));
}

/* ---- Python site directories ---- */

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool
is_dist(const char *name)
{
	return ends_with(name, ".dist-info") || ends_with(name, ".egg-info") ||
	       ends_with(name, ".egg");
}

/* PEP 503 name equality: case-insensitive, runs of '-', '_', '.' equal. */
static bool
pyname_eq(const char *a, const char *b)
{
	for (;;) {
		bool sa = *a == '-' || *a == '_' || *a == '.',
		     sb = *b == '-' || *b == '_' || *b == '.';

		if (sa && sb) {
			a += strspn(a, "-_.");
			b += strspn(b, "-_.");
			continue;
		}
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

/* Drop the package just added when packages[from..] already hold the same distribution. */
static void
dedupe_python(struct vg_inventory *inv, size_t from)
{
	const struct vg_package *last = &inv->packages[inv->npackages - 1];

	for (size_t i = from; i + 1 < inv->npackages; i++) {
		const struct vg_package *p = &inv->packages[i];

		if (strcmp(p->version, last->version) == 0 && pyname_eq(p->name, last->name)) {
			vg_inv_drop_last_package(inv);
			return;
		}
	}
}

/* One distribution: @entry is a .dist-info, .egg-info or .egg name in the open site dir. */
static void
python_dist(struct ctx *c, int dfd, const char *entry, size_t from)
{
	const char *meta = ends_with(entry, ".dist-info") ? "METADATA"
			   : ends_with(entry, ".egg")     ? "EGG-INFO/PKG-INFO"
							  : "PKG-INFO";
	char file[NAME_MAX + 32], dir[PATH_MAX + 2], warn[PATH_MAX + 32];
	size_t len = 0;
	int rc;

	if (!fmt(file, sizeof(file), "%s/%s", entry, meta))
		return;
	rc = read_at(c, dfd, file, VG_LANG_MAX_METADATA_HEADER, true, &len);
	if (rc == VG_EUNSUPPORTED && ends_with(entry, ".egg-info")) {
		/* A flat .egg-info file (distutils) holds PKG-INFO itself. */
		if (!fmt(file, sizeof(file), "%s", entry))
			return;
		rc = read_at(c, dfd, file, VG_LANG_MAX_METADATA_HEADER, true, &len);
	}
	if (!fmt(warn, sizeof(warn), "%s/%s", c->rel, file) ||
	    !fmt(dir, sizeof(dir), "/%s/%s", c->rel, entry))
		return;
	if (rc != VG_OK) {
		/* A zipped .egg (a file) has no EGG-INFO directory to read cheaply. */
		if (!ends_with(entry, ".egg"))
			warn_read(c, PY, warn, rc == VG_EUNSUPPORTED ? VG_EIO : rc);
		return;
	}
	if (vg_lang_add_python(c->inv, vg_str_n(c->buf, len), dir, warn) == VG_OK)
		dedupe_python(c->inv, from);
}

/* Scan the site directory ctx->rel once (by device and inode). */
static void
scan_site(struct ctx *c)
{
	size_t from = c->inv->npackages;
	struct names ns;
	struct stat st;
	DIR *d = open_rel_dir(c, PY, &st);

	if (!d)
		return;
	for (size_t i = 0; i < c->nsites; i++) {
		if (c->sites[i].dev == st.st_dev && c->sites[i].ino == st.st_ino) {
			closedir(d);
			return;
		}
	}
	if (c->nsites < MAX_SITES) {
		c->sites[c->nsites].dev = st.st_dev;
		c->sites[c->nsites++].ino = st.st_ino;
	}
	list_dir(d, &ns, is_dist);
	/* .dist-info first, so that it wins over an .egg-info of the same distribution. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < ns.n; i++)
			if (ends_with(ns.v[i], ".dist-info") == (pass == 0))
				python_dist(c, dirfd(d), ns.v[i], from);
	names_release(&ns);
	closedir(d);
}

static bool
is_python_dir(const char *name)
{
	return strncmp(name, "python", 6) == 0 && isdigit((unsigned char)name[6]);
}

/* The site-packages and dist-packages of every python<digit>* directory of ctx->rel. */
static void
scan_python_lib(struct ctx *c)
{
	static const char *const sites[] = {"site-packages", "dist-packages"};
	struct names ns;
	DIR *d = open_rel_dir(c, PY, NULL);

	if (!d)
		return;
	list_dir(d, &ns, is_python_dir);
	closedir(d);
	for (size_t i = 0; i < ns.n; i++) {
		for (size_t j = 0; j < VG_ARRAY_LEN(sites); j++) {
			size_t s1, s2;

			if (rel_push(c, ns.v[i], &s1)) {
				if (rel_push(c, sites[j], &s2)) {
					scan_site(c);
					rel_pop(c, s2);
				}
				rel_pop(c, s1);
			}
		}
	}
	names_release(&ns);
}

/* ---- node_modules ---- */

static void scan_node_modules(struct ctx *c, int dfd, int depth);

/* One package directory @entry (maybe "@scope/name") of the node_modules open at @dfd. */
static void
npm_package(struct ctx *c, int dfd, const char *entry, bool symlink, int depth)
{
	char file[NAME_MAX * 2 + 32], dir[PATH_MAX + 2], warn[PATH_MAX + NAME_MAX * 2 + 32];
	size_t len = 0, saved;
	int rc, nfd;

	if (!fmt(file, sizeof(file), "%s/package.json", entry) ||
	    !fmt(warn, sizeof(warn), "%s/%s", c->rel, file) ||
	    !fmt(dir, sizeof(dir), "/%s/%s", c->rel, entry))
		return;
	rc = read_at(c, dfd, file, VG_LANG_MAX_PACKAGE_JSON, false, &len);
	if (rc == VG_OK) {
		(void)vg_lang_add_npm(c->inv, vg_str_n(c->buf, len), dir, warn);
	} else if (rc == VG_ETOOBIG) {
		vg_inv_warn(c->inv, NPM, warn, 0, "larger than %d bytes", VG_LANG_MAX_PACKAGE_JSON);
	} else if (rc != VG_ENOTFOUND && rc != VG_EUNSUPPORTED) {
		warn_read(c, NPM, warn, rc);
	}
	/* A symlinked package is a development checkout: its node_modules is not installed code. */
	if (symlink || depth >= VG_LANG_NPM_MAX_DEPTH)
		return;
	if (!fmt(file, sizeof(file), "%s/node_modules", entry))
		return;
	nfd = openat(dfd, file, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (nfd < 0)
		return;
	if (rel_push(c, file, &saved)) {
		scan_node_modules(c, nfd, depth + 1);
		rel_pop(c, saved);
	} else {
		close(nfd);
	}
}

static void
npm_scope(struct ctx *c, int dfd, const char *scope, int depth)
{
	char entry[NAME_MAX * 2 + 2];
	struct names ns;
	int sfd = openat(dfd, scope, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (sfd < 0)
		return;
	if (!(d = fdopendir(sfd))) {
		close(sfd);
		return;
	}
	list_dir(d, &ns, NULL);
	closedir(d);
	for (size_t i = 0; i < ns.n; i++) {
		if (fmt(entry, sizeof(entry), "%s/%s", scope, ns.v[i]))
			npm_package(c, dfd, entry, ns.v[i][-1] == DT_LNK, depth);
	}
	names_release(&ns);
}

/* The node_modules directory open at @dfd (taken over), whose path is ctx->rel. */
static void
scan_node_modules(struct ctx *c, int dfd, int depth)
{
	struct names ns;
	DIR *d = fdopendir(dfd);

	if (!d) {
		close(dfd);
		return;
	}
	/* Entries starting with '.' (.bin, .package-lock.json, .pnpm) are skipped by list_dir. */
	list_dir(d, &ns, NULL);
	for (size_t i = 0; i < ns.n; i++) {
		if (ns.v[i][0] == '@')
			npm_scope(c, dirfd(d), ns.v[i], depth);
		else
			npm_package(c, dirfd(d), ns.v[i], ns.v[i][-1] == DT_LNK, depth);
	}
	names_release(&ns);
	closedir(d);
}

static void
scan_node_modules_rel(struct ctx *c)
{
	DIR *d = open_rel_dir(c, NPM, NULL);
	int fd;

	if (!d)
		return;
	fd = dup(dirfd(d));
	closedir(d);
	if (fd >= 0)
		scan_node_modules(c, fd, 1);
}

/* ---- the collector ---- */

static void
scan_at(struct ctx *c, const char *rel, void (*scan)(struct ctx *))
{
	size_t saved;

	if (rel_push(c, rel, &saved)) {
		scan(c);
		rel_pop(c, saved);
	}
}

/* Is the last component of @path (no trailing '/') @name? */
static bool
base_is(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');

	return strcmp(slash ? slash + 1 : path, name) == 0;
}

static void
scan_app_dir(struct ctx *c, const char *dir)
{
	static const char *const venvs[] = {"lib", ".venv/lib", "venv/lib"};
	char trimmed[PATH_MAX];
	size_t saved, n;

	while (*dir == '/')
		dir++;
	n = strlen(dir);
	while (n && dir[n - 1] == '/')
		n--;
	if (n == 0 || n >= sizeof(trimmed))
		return;
	memcpy(trimmed, dir, n);
	trimmed[n] = '\0';
	if (!rel_push(c, trimmed, &saved))
		return;
	if (base_is(trimmed, "node_modules"))
		scan_node_modules_rel(c);
	else if (base_is(trimmed, "site-packages") || base_is(trimmed, "dist-packages"))
		scan_site(c);
	else {
		scan_at(c, "node_modules", scan_node_modules_rel);
		for (size_t i = 0; i < VG_ARRAY_LEN(venvs); i++)
			scan_at(c, venvs[i], scan_python_lib);
	}
	rel_pop(c, saved);
}

int
vg_collect_lang(struct vg_inventory *inv)
{
	static const char *const python_libs[] = {"usr/lib", "usr/lib64", "usr/local/lib",
						  "usr/local/lib64"};
	static const char *const npm_dirs[] = {"usr/lib/node_modules",
					       "usr/local/lib/node_modules"};
	struct ctx *c = vg_xcalloc(1, sizeof(*c));

	c->inv = inv;
	c->cap = FIRST_READ;
	c->buf = vg_xmalloc(c->cap);
	for (size_t i = 0; i < VG_ARRAY_LEN(python_libs); i++)
		scan_at(c, python_libs[i], scan_python_lib);
	for (size_t i = 0; i < VG_ARRAY_LEN(npm_dirs); i++)
		scan_at(c, npm_dirs[i], scan_node_modules_rel);
	for (size_t i = 0; inv->app_dirs && inv->app_dirs[i]; i++)
		scan_app_dir(c, inv->app_dirs[i]);
	free(c->buf);
	free(c);
	return VG_OK;
}
