/*
 * collect_proc.c - running processes and the packages that own their
 * executables (issue 3, "processes").
 *
 * For every numeric directory of <root>/proc it reads what ps(1) shows:
 * the executable (readlink of exe, proc(5)), the command line (cmdline,
 * NUL-separated, cut at VG_PROC_CMDLINE_MAX), the real uid (the first field
 * of the "Uid:" line of status) and the user name of that uid from
 * <root>/etc/passwd.  Kernel threads (empty cmdline, no exe) are skipped.
 * Without privileges the exe links of other users' processes cannot be
 * read: those processes are kept without exe and counted in one warning.
 *
 * Owners are found the way `dpkg -S`, `rpm -qf` and `apk info --who-owns`
 * do, but in one pass for all processes: the distinct executable paths go
 * into a hash set, then the lines of the var/lib/dpkg/info/PACKAGE.list
 * files are checked against the set (a 64 Ki-bit fingerprint of length and
 * last bytes rejects almost every line before any hashing, so the ~8 MB of
 * lists of a desktop cost little more than reading them), in name order and
 * only until every path has an owner.  On a usr-merged root (/bin is a link
 * to usr/bin) the kernel reports /usr/bin/x while dpkg may list /bin/x, or
 * the reverse, so paths are compared in their usr-merge form there.
 * Executables still unowned are then looked up in the rpm database
 * (librpm's file index, only when a database exists under the root) and in
 * the apk database.  Not looked up at all: executables of processes in
 * another mount namespace (containers: another filesystem) and paths no
 * package installs to (packageable()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>

#include "agent/collect_proc.h"
#include "agent/inventory.h"
#include "core/alloc.h"

/* A process table larger than this is cut, with a warning. */
#define PROC_MAX     65536
/* Buffer for streaming package databases line by line (below malloc's mmap threshold). */
#define LINEBUF_SIZE (64 * 1024)
/* Bits of the fingerprint filter of the owner set (a power of two). */
#define FILTER_BITS  65536u

#define DELETED_SUFFIX " (deleted)"

/* ---- Buffer parsers (collect_proc.h) ---- */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse a decimal in 0..INT_MAX that fills @s exactly. */
static bool
parse_nonneg_int(struct vg_str s, int *out)
{
	long long v = 0;

	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (!is_digit(s.p[i]))
			return false;
		v = v * 10 + (s.p[i] - '0');
		if (v > INT_MAX)
			return false;
	}
	*out = (int)v;
	return true;
}

int
vg_proc_parse_status_uid(struct vg_str status, int *uid, struct vg_err *err)
{
	size_t i = 0;

	while (i < status.len) {
		const char *nl = memchr(status.p + i, '\n', status.len - i);
		size_t end = nl ? (size_t)(nl - status.p) : status.len;
		struct vg_str line = vg_str_n(status.p + i, end - i);

		i = end + 1;
		if (line.len < 4 || memcmp(line.p, "Uid:", 4) != 0)
			continue;
		size_t j = 4, k;

		while (j < line.len && (line.p[j] == ' ' || line.p[j] == '\t'))
			j++;
		for (k = j; k < line.len && is_digit(line.p[k]); k++)
			;
		if ((k < line.len && line.p[k] != ' ' && line.p[k] != '\t') ||
		    !parse_nonneg_int(vg_str_n(line.p + j, k - j), uid))
			return vg_error(err, VG_EINVAL, "invalid uid in '%.*s'",
					(int)(line.len > 64 ? 64 : line.len), line.p);
		return VG_OK;
	}
	return vg_error(err, VG_ENOTFOUND, "no 'Uid:' line");
}

/* Length of the valid UTF-8 sequence at @p (at most @n bytes), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len;

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4;
	else
		return 0;
	/* The second byte's range excludes overlong forms, surrogates and > U+10FFFF. */
	if (p[0] == 0xE0)
		lo = 0xA0;
	else if (p[0] == 0xED)
		hi = 0x9F;
	else if (p[0] == 0xF0)
		lo = 0x90;
	else if (p[0] == 0xF4)
		hi = 0x8F;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return len;
}

size_t
vg_proc_format_cmdline(struct vg_str raw, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)raw.p;
	size_t i = 0, n = 0;

	while (i < raw.len && n + 1 < cap) {
		size_t seq = p[i] < 0x80 ? 1 : utf8_seq(p + i, raw.len - i);

		if (seq > 1 && n + seq < cap) {
			memcpy(out + n, p + i, seq);
			n += seq;
			i += seq;
			continue;
		}
		if (seq > 1)
			break;
		if (seq == 0)
			out[n++] = '?';
		else
			out[n++] = p[i] < 0x20 || p[i] == 0x7F ? ' ' : (char)p[i];
		i++;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return n;
}

int
vg_proc_parse_passwd_line(struct vg_str line, struct vg_str *name, int *uid)
{
	const char *c1, *c2, *c3;

	if (line.len == 0 || line.p[0] == '#' || line.p[0] == '+' || line.p[0] == '-')
		return VG_EINVAL;
	c1 = memchr(line.p, ':', line.len);
	if (!c1 || c1 == line.p)
		return VG_EINVAL;
	c2 = memchr(c1 + 1, ':', (size_t)(line.p + line.len - (c1 + 1)));
	if (!c2)
		return VG_EINVAL;
	c3 = memchr(c2 + 1, ':', (size_t)(line.p + line.len - (c2 + 1)));
	if (!c3)
		c3 = line.p + line.len;
	if (!parse_nonneg_int(vg_str_n(c2 + 1, (size_t)(c3 - (c2 + 1))), uid))
		return VG_EINVAL;
	*name = vg_str_n(line.p, (size_t)(c1 - line.p));
	return VG_OK;
}

struct vg_str
vg_proc_usrmerge(struct vg_str path)
{
	static const struct {
		const char *dir;
		size_t len;
	} merged[] = {{"bin/", 4},   {"sbin/", 5},  {"lib/", 4},
		      {"lib32/", 6}, {"lib64/", 6}, {"libx32/", 7}};

	/* Called on every line of every file list: reject "/usr/share/..." and co. quickly. */
	if (path.len < 10 || memcmp(path.p, "/usr/", 5) != 0 ||
	    (path.p[5] != 'b' && path.p[5] != 's' && path.p[5] != 'l'))
		return path;
	for (size_t i = 0; i < VG_ARRAY_LEN(merged); i++)
		if (path.len > 5 + merged[i].len &&
		    memcmp(path.p + 5, merged[i].dir, merged[i].len) == 0)
			return vg_str_sub(path, 4, path.len - 4);
	return path;
}

/* ---- The owner set: distinct executable paths and the package found for each ---- */

struct owner_key {
	struct vg_str path; /* borrowed from the inventory arena; usr-merged form if merged */
	uint32_t hash;
	const char *owner; /* arena; NULL until found */
	enum vg_pkg_type type;
};

struct owner_set {
	struct owner_key *slots; /* open addressing; path.p == NULL when free */
	size_t mask;
	size_t n, unowned;
	bool merged; /* the root is usr-merged: compare paths in their usr-merge form */
	uint64_t filter[FILTER_BITS / 64];
};

static uint32_t
hash_path(struct vg_str s)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < s.len; i++)
		h = (h ^ (unsigned char)s.p[i]) * 16777619u;
	return h;
}

/* A cheap fingerprint of a non-empty path (length and last two bytes) for the pre-filter. */
static uint32_t
fingerprint(struct vg_str s)
{
	uint32_t h = (uint32_t)s.len * 2654435761u;

	h ^= (uint32_t)(unsigned char)s.p[s.len - 1] * 40503u;
	if (s.len > 1)
		h ^= (uint32_t)(unsigned char)s.p[s.len - 2] * 69069u;
	return (h ^ (h >> 16)) & (FILTER_BITS - 1);
}

static void
owner_set_init(struct owner_set *set, size_t nkeys, bool merged)
{
	size_t cap = 16;

	while (cap < nkeys * 2)
		cap *= 2;
	memset(set, 0, sizeof(*set));
	set->slots = vg_xcalloc(cap, sizeof(*set->slots));
	set->mask = cap - 1;
	set->merged = merged;
}

/* The form in which @path is compared: usr-merged on a merged root. */
static struct vg_str
set_form(const struct owner_set *set, struct vg_str path)
{
	return set->merged ? vg_proc_usrmerge(path) : path;
}

/* Find the key @s (already in set form); insert it when @insert. */
static struct owner_key *
owner_find(struct owner_set *set, struct vg_str s, bool insert)
{
	uint32_t h = hash_path(s);

	for (size_t i = h & set->mask;; i = (i + 1) & set->mask) {
		struct owner_key *k = &set->slots[i];

		if (!k->path.p) {
			if (!insert)
				return NULL;
			uint32_t f = fingerprint(s);

			k->path = s;
			k->hash = h;
			set->n++;
			set->unowned++;
			set->filter[f / 64] |= (uint64_t)1 << (f % 64);
			return k;
		}
		if (k->hash == h && vg_str_eq(k->path, s))
			return k;
	}
}

/*
 * Record @pkg as an owner of @k.  A path is owned by the first database
 * that lists it (dpkg, then rpm, then apk); when several packages of that
 * database list it (dpkg -S prints them all) the smallest name is kept, so
 * that the answer depends neither on directory order nor on when the scan
 * stopped.
 */
static void
owner_offer(struct vg_inventory *inv, struct owner_set *set, struct owner_key *k, struct vg_str pkg,
	    enum vg_pkg_type type)
{
	if (k->owner) {
		size_t olen = strlen(k->owner);
		int c = memcmp(pkg.p, k->owner, pkg.len < olen ? pkg.len : olen);

		if (k->type != type || c > 0 || (c == 0 && pkg.len >= olen))
			return;
	} else {
		set->unowned--;
	}
	k->owner = vg_inv_str(inv, pkg);
	k->type = type;
}

/* Offer @pkg as the owner of the file list entry @path. */
static void
owner_match(struct vg_inventory *inv, struct owner_set *set, struct vg_str path, struct vg_str pkg,
	    enum vg_pkg_type type)
{
	struct owner_key *k;
	uint32_t f;

	if (path.len == 0)
		return;
	path = set_form(set, path);
	f = fingerprint(path);
	if (set->filter[f / 64] >> (f % 64) & 1 && (k = owner_find(set, path, false)))
		owner_offer(inv, set, k, pkg, type);
}

/* The path to look up for an executable: " (deleted)" dropped (the file was replaced). */
static struct vg_str
exe_path(const char *exe)
{
	struct vg_str s = vg_str_c(exe);
	size_t n = sizeof(DELETED_SUFFIX) - 1;

	if (s.len > n && memcmp(s.p + s.len - n, DELETED_SUFFIX, n) == 0)
		s.len -= n;
	return s;
}

/*
 * Whether a package can own @path at all.  Package managers install only
 * into the FHS hierarchies below (FHS 3.0; Debian Policy 9.1): never into
 * /usr/local, /home, /srv, /tmp, a build tree or an anonymous executable
 * ("/memfd:...").  Only these paths are looked up, which lets the scan of
 * the file lists stop as soon as every packageable executable has an owner
 * instead of reading every list for a binary no package can own.
 */
static bool
packageable(struct vg_str path)
{
	static const char *const where[] = {"/usr/",   "/bin/",     "/sbin/",   "/lib/",
					    "/lib32/", "/lib64/",   "/libx32/", "/opt/",
					    "/etc/",   "/var/lib/", "/var/opt/"};

	if (path.len > 11 && memcmp(path.p, "/usr/local/", 11) == 0)
		return false;
	for (size_t i = 0; i < VG_ARRAY_LEN(where); i++) {
		size_t n = strlen(where[i]);

		if (path.len > n && memcmp(path.p, where[i], n) == 0)
			return true;
	}
	return false;
}

/* ---- Streaming lines from a file with one fixed buffer ---- */

typedef void (*line_fn)(void *ctx, struct vg_str line);

/* Call @fn on every line of @fd; lines longer than @cap are skipped. */
static int
read_lines(int fd, char *buf, size_t cap, line_fn fn, void *ctx)
{
	size_t have = 0;
	bool skipping = false;

	for (;;) {
		ssize_t r = read(fd, buf + have, cap - have);
		size_t start = 0;
		const char *nl;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return VG_EIO;
		if (r == 0)
			break;
		have += (size_t)r;
		while ((nl = memchr(buf + start, '\n', have - start))) {
			size_t end = (size_t)(nl - buf);

			if (!skipping)
				fn(ctx, vg_str_n(buf + start, end - start));
			skipping = false;
			start = end + 1;
		}
		if (start == 0 && have == cap) {
			skipping = true;
			have = 0;
			continue;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	if (have > 0 && !skipping)
		fn(ctx, vg_str_n(buf, have));
	return VG_OK;
}

/* ---- dpkg: var/lib/dpkg/info/PACKAGE[:ARCH].list ---- */

struct list_ctx {
	struct vg_inventory *inv;
	struct owner_set *set;
	struct vg_str pkg;
};

static void
list_line(void *ctx, struct vg_str line)
{
	struct list_ctx *c = ctx;

	owner_match(c->inv, c->set, line, c->pkg, VG_PKG_DEB);
}

/* Length of the package name in a .list file name (":arch" dropped), 0 if not a list. */
static size_t
list_package(const char *fname)
{
	size_t n = strlen(fname);
	const char *colon;

	if (n <= 5 || memcmp(fname + n - 5, ".list", 5) != 0)
		return 0;
	n -= 5;
	colon = memchr(fname, ':', n);
	return colon ? (size_t)(colon - fname) : n;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .list file names of @dir, sorted (caller frees the array and *@block). */
static char **
list_names(DIR *dir, size_t *n, char **block)
{
	size_t used = 0, bcap = 0, nnames = 0, k = 0;
	struct dirent *de;
	char **names;

	*block = NULL;
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name) + 1;

		if (list_package(de->d_name) == 0)
			continue;
		if (used + len > bcap) {
			bcap = bcap ? bcap * 2 + len : 64 * 1024;
			*block = vg_xrealloc(*block, bcap);
		}
		memcpy(*block + used, de->d_name, len);
		used += len;
		nnames++;
	}
	names = vg_xcalloc(nnames ? nnames : 1, sizeof(*names));
	for (size_t off = 0; off < used; off += strlen(*block + off) + 1)
		names[k++] = *block + off;
	qsort(names, nnames, sizeof(*names), cmp_names);
	*n = nnames;
	return names;
}

/*
 * Read the lists in name order and stop once every path has an owner: the
 * first package to list a path is then also the smallest, as owner_offer()
 * wants, so stopping early changes nothing but the time taken.
 */
static void
dpkg_owners(struct vg_inventory *inv, struct owner_set *set, char *buf)
{
	struct list_ctx ctx = {inv, set, {NULL, 0}};
	char path[PATH_MAX], *block, **names;
	size_t n = 0;
	DIR *dir;
	int dfd;

	if (!vg_inv_path(inv, "var/lib/dpkg/info", path, sizeof(path)))
		return;
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			vg_inv_warn(inv, "proc", "var/lib/dpkg/info", 0, "cannot open: %s",
				    strerror(errno));
		return;
	}
	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return;
	}
	names = list_names(dir, &n, &block);
	for (size_t i = 0; i < n && set->unowned > 0; i++) {
		int fd = openat(dfd, names[i], O_RDONLY | O_CLOEXEC | O_NOCTTY);

		ctx.pkg = vg_str_n(names[i], list_package(names[i]));
		if (fd < 0 || read_lines(fd, buf, LINEBUF_SIZE, list_line, &ctx) < 0)
			vg_inv_warn(inv, "proc", "var/lib/dpkg/info", 0, "cannot read '%s': %s",
				    names[i], strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	free(names);
	free(block);
	closedir(dir);
}

/* ---- apk: lib/apk/db/installed ("P:" package, "F:" directory, "R:" file) ---- */

struct apk_ctx {
	struct vg_inventory *inv;
	struct owner_set *set;
	char pkg[256];
	size_t pkglen;
	char path[PATH_MAX];
	size_t dirlen; /* "/dir/" prefix length in path */
};

static void
apk_line(void *ctx, struct vg_str line)
{
	struct apk_ctx *c = ctx;

	if (line.len < 2 || line.p[1] != ':') {
		if (line.len == 0)
			c->pkglen = c->dirlen = 0;
		return;
	}
	if (line.p[0] == 'P' && line.len - 2 < sizeof(c->pkg)) {
		c->pkglen = line.len - 2;
		memcpy(c->pkg, line.p + 2, c->pkglen);
		c->dirlen = 0;
	} else if (line.p[0] == 'F' && line.len + 1 < sizeof(c->path)) {
		c->path[0] = '/';
		memcpy(c->path + 1, line.p + 2, line.len - 2);
		c->path[line.len - 1] = '/';
		c->dirlen = line.len;
	} else if (line.p[0] == 'R' && c->pkglen > 0 && c->dirlen > 0 &&
		   c->dirlen + line.len - 2 <= sizeof(c->path)) {
		memcpy(c->path + c->dirlen, line.p + 2, line.len - 2);
		owner_match(c->inv, c->set, vg_str_n(c->path, c->dirlen + line.len - 2),
			    vg_str_n(c->pkg, c->pkglen), VG_PKG_APK);
	}
}

static void
apk_owners(struct vg_inventory *inv, struct owner_set *set, char *buf)
{
	struct apk_ctx *ctx;
	char path[PATH_MAX];
	int fd;

	if (set->unowned == 0 || !vg_inv_path(inv, "lib/apk/db/installed", path, sizeof(path)))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return;
	ctx = vg_xcalloc(1, sizeof(*ctx));
	ctx->inv = inv;
	ctx->set = set;
	if (read_lines(fd, buf, LINEBUF_SIZE, apk_line, ctx) < 0)
		vg_inv_warn(inv, "proc", "lib/apk/db/installed", 0, "cannot read: %s",
			    strerror(errno));
	free(ctx);
	close(fd);
}

/* ---- rpm: librpm's file index, only when a database exists under the root ---- */

/* The rpm database directory under the root ("/var/lib/rpm"), or NULL. */
static const char *
rpm_dbdir(const struct vg_inventory *inv)
{
	static const char *const dirs[] = {"/usr/lib/sysimage/rpm", "/var/lib/rpm"};
	static const char *const files[] = {"rpmdb.sqlite", "Packages.db", "Packages"};
	char path[PATH_MAX], rel[64];
	struct stat st;

	for (size_t i = 0; i < VG_ARRAY_LEN(dirs); i++)
		for (size_t j = 0; j < VG_ARRAY_LEN(files); j++) {
			snprintf(rel, sizeof(rel), "%s/%s", dirs[i], files[j]);
			if (vg_inv_path(inv, rel, path, sizeof(path)) && stat(path, &st) == 0 &&
			    S_ISREG(st.st_mode) && st.st_size > 0)
				return dirs[i];
		}
	return NULL;
}

/* Offer the rpm packages that own @path (NUL-terminated) to @k. */
static void
rpm_query(struct vg_inventory *inv, struct owner_set *set, rpmts ts, struct owner_key *k,
	  const char *path)
{
	rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_INSTFILENAMES, path, 0);
	Header h;

	while ((h = rpmdbNextIterator(mi))) {
		const char *name = headerGetString(h, RPMTAG_NAME);

		if (name)
			owner_offer(inv, set, k, vg_str_c(name), VG_PKG_RPM);
	}
	rpmdbFreeIterator(mi);
}

/* Query a key as is and, on a merged root, also in its /usr form ("/bin/x" as "/usr/bin/x"). */
static void
rpm_lookup(struct vg_inventory *inv, struct owner_set *set, rpmts ts, struct owner_key *k)
{
	char path[PATH_MAX];

	if (k->owner || k->path.len + 4 >= sizeof(path))
		return;
	memcpy(path, "/usr", 4);
	memcpy(path + 4, k->path.p, k->path.len);
	path[k->path.len + 4] = '\0';
	rpm_query(inv, set, ts, k, path + 4);
	if (set->merged && !k->owner &&
	    vg_proc_usrmerge(vg_str_n(path, k->path.len + 4)).len == k->path.len)
		rpm_query(inv, set, ts, k, path);
}

static void
rpm_owners(struct vg_inventory *inv, struct owner_set *set)
{
	const char *dbdir = set->unowned > 0 ? rpm_dbdir(inv) : NULL;
	char root[PATH_MAX];
	rpmts ts;

	if (!dbdir)
		return;
	if (!realpath(inv->root, root) || rpmReadConfigFiles(NULL, NULL) != 0) {
		vg_inv_warn(inv, "proc", dbdir + 1, 0, "cannot initialise librpm");
		return;
	}
	rpmPushMacro(NULL, "_dbpath", NULL, dbdir, RMIL_CMDLINE);
	ts = rpmtsCreate();
	rpmtsSetRootDir(ts, root);
	rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
	if (rpmtsOpenDB(ts, O_RDONLY) != 0) {
		vg_inv_warn(inv, "proc", dbdir + 1, 0, "cannot open the rpm database");
	} else {
		for (size_t i = 0; i <= set->mask; i++)
			if (set->slots[i].path.p)
				rpm_lookup(inv, set, ts, &set->slots[i]);
	}
	rpmtsFree(ts);
	rpmPopMacro(NULL, "_dbpath");
	rpmFreeMacros(NULL);
	rpmFreeRpmrc();
}

/* Whether the root is usr-merged: its /bin is a symbolic link (to usr/bin). */
static bool
usr_merged(const struct vg_inventory *inv)
{
	char path[PATH_MAX];
	struct stat st;

	return vg_inv_path(inv, "bin", path, sizeof(path)) && lstat(path, &st) == 0 &&
	       S_ISLNK(st.st_mode);
}

/* ---- The process walk ---- */

struct proc_entry {
	struct vg_process p;
	bool key; /* its exe is looked up in the package databases */
};

struct walk {
	struct vg_inventory *inv;
	int procfd;
	char self_mnt[64]; /* our mount namespace, "" when unknown */
	struct proc_entry *v;
	size_t n, cap;
	size_t unreadable_exe;
};

/* Read at most @cap bytes of <proc>/@rel; -1 with errno on failure. */
static ssize_t
read_proc_file(int procfd, const char *rel, char *buf, size_t cap)
{
	size_t n = 0;
	int fd = openat(procfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	while (n < cap) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

/* The process is gone (it exited while we walked): skip it silently. */
static bool
vanished(int e)
{
	return e == ENOENT || e == ESRCH;
}

static void
read_uid(struct walk *w, int pid, struct vg_process *p)
{
	char rel[32], buf[VG_PROC_STATUS_MAX];
	struct vg_err err;
	ssize_t n;

	p->uid = -1;
	snprintf(rel, sizeof(rel), "%d/status", pid);
	n = read_proc_file(w->procfd, rel, buf, sizeof(buf));
	if (n < 0) {
		if (!vanished(errno))
			vg_inv_warn(w->inv, "proc", "proc", 0, "cannot read '%d/status': %s", pid,
				    strerror(errno));
		return;
	}
	if (vg_proc_parse_status_uid(vg_str_n(buf, (size_t)n), &p->uid, &err) != VG_OK) {
		char where[48];

		p->uid = -1;
		snprintf(where, sizeof(where), "proc/%d/status", pid);
		vg_inv_warn(w->inv, "proc", where, 0, "%s", err.msg);
	}
}

/* Whether the process @pid lives in another mount namespace than ours. */
static bool
foreign_mnt(struct walk *w, int pid)
{
	char rel[32], ns[64];
	ssize_t n;

	if (!w->self_mnt[0])
		return false;
	snprintf(rel, sizeof(rel), "%d/ns/mnt", pid);
	n = readlinkat(w->procfd, rel, ns, sizeof(ns) - 1);
	if (n <= 0)
		return false;
	ns[n] = '\0';
	return strcmp(ns, w->self_mnt) != 0;
}

static void
read_process(struct walk *w, int pid)
{
	char rel[32], raw[VG_PROC_CMDLINE_MAX], text[VG_PROC_CMDLINE_MAX + 1];
	char exe[PATH_MAX + 1];
	struct proc_entry *e;
	ssize_t nexe, ncmd;
	int exe_errno = 0;

	snprintf(rel, sizeof(rel), "%d/cmdline", pid);
	ncmd = read_proc_file(w->procfd, rel, raw, sizeof(raw));
	if (ncmd < 0 && vanished(errno))
		return;
	snprintf(rel, sizeof(rel), "%d/exe", pid);
	nexe = readlinkat(w->procfd, rel, exe, sizeof(exe) - 1);
	if (nexe < 0)
		exe_errno = errno;
	if (ncmd <= 0 && nexe <= 0)
		return; /* a kernel thread or a zombie */
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 128;
		w->v = vg_xreallocarray(w->v, w->cap, sizeof(*w->v));
	}
	e = &w->v[w->n++];
	memset(e, 0, sizeof(*e));
	e->p.pid = pid;
	if (nexe > 0) {
		exe[nexe] = '\0';
		vg_proc_format_cmdline(vg_str_n(exe, (size_t)nexe), text, sizeof(text));
		e->p.exe = vg_inv_strc(w->inv, text);
	} else if (exe_errno == EACCES || exe_errno == EPERM) {
		w->unreadable_exe++;
	}
	if (ncmd > 0 && vg_proc_format_cmdline(vg_str_n(raw, (size_t)ncmd), text, sizeof(text)))
		e->p.cmdline = vg_inv_strc(w->inv, text);
	read_uid(w, pid, &e->p);
}

/* The pid named by a /proc entry, or -1 for other entries. */
static int
pid_of_name(const char *s)
{
	int pid = 0;
	size_t n = 0;

	for (; is_digit(s[n]) && n < 9; n++)
		pid = pid * 10 + (s[n] - '0');
	return n > 0 && s[n] == '\0' ? pid : -1;
}

/* Walk <root>/proc into w->v; false when there is no /proc to walk. */
static bool
walk_proc(struct walk *w)
{
	char path[PATH_MAX];
	struct dirent *de;
	ssize_t n;
	DIR *dir;
	int dfd;

	if (!vg_inv_path(w->inv, "proc", path, sizeof(path)))
		return false;
	w->procfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->procfd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			vg_inv_warn(w->inv, "proc", "proc", 0, "cannot open: %s", strerror(errno));
		return false;
	}
	n = readlinkat(w->procfd, "self/ns/mnt", w->self_mnt, sizeof(w->self_mnt) - 1);
	w->self_mnt[n > 0 ? n : 0] = '\0';
	dfd = dup(w->procfd);
	dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return true;
	}
	while ((de = readdir(dir))) {
		int pid = pid_of_name(de->d_name);

		if (pid < 0)
			continue;
		if (w->n == PROC_MAX) {
			vg_inv_warn(w->inv, "proc", "proc", 0,
				    "more than %d processes: the rest skipped", PROC_MAX);
			break;
		}
		read_process(w, pid);
	}
	closedir(dir);
	return true;
}

/* ---- User names from <root>/etc/passwd ---- */

struct uid_name {
	int uid;
	const char *name;
};

static int
cmp_uid(const void *a, const void *b)
{
	int x = ((const struct uid_name *)a)->uid, y = ((const struct uid_name *)b)->uid;

	return (x > y) - (x < y);
}

/* The distinct uids of the processes, sorted; *@n is set to their number. */
static struct uid_name *
distinct_uids(const struct proc_entry *v, size_t n, size_t *nu)
{
	struct uid_name *u = vg_xcalloc(n ? n : 1, sizeof(*u));
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].p.uid >= 0)
			u[k++].uid = v[i].p.uid;
	qsort(u, k, sizeof(*u), cmp_uid);
	*nu = 0;
	for (size_t i = 0; i < k; i++)
		if (*nu == 0 || u[*nu - 1].uid != u[i].uid)
			u[(*nu)++] = u[i];
	return u;
}

static void
name_users(struct vg_inventory *inv, struct proc_entry *v, size_t n)
{
	char path[PATH_MAX], *data = NULL;
	struct uid_name key, *hit, *u;
	size_t nu, len = 0;
	int rc;

	u = distinct_uids(v, n, &nu);
	if (nu == 0 || !vg_inv_path(inv, "etc/passwd", path, sizeof(path)))
		goto out;
	rc = vg_inv_read_file(path, VG_PROC_PASSWD_MAX, &data, &len);
	if (rc != VG_OK) {
		if (rc != VG_ENOTFOUND)
			vg_inv_warn(inv, "proc", "etc/passwd", 0, "cannot read: %s",
				    vg_strerror(rc));
		goto out;
	}
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) : len;
		struct vg_str name;
		char text[256];

		/* getpwuid() answers with the first entry of a uid; so do we. */
		if (vg_proc_parse_passwd_line(vg_str_n(data + i, end - i), &name, &key.uid) ==
			    VG_OK &&
		    (hit = bsearch(&key, u, nu, sizeof(*u), cmp_uid)) && !hit->name) {
			vg_proc_format_cmdline(name, text, sizeof(text));
			hit->name = vg_inv_strc(inv, text);
		}
		i = end + 1;
	}
	for (size_t i = 0; i < n; i++) {
		key.uid = v[i].p.uid;
		if (key.uid >= 0 && (hit = bsearch(&key, u, nu, sizeof(*u), cmp_uid)))
			v[i].p.user = hit->name;
	}
out:
	free(data);
	free(u);
}

/* ---- Owners of the executables ---- */

/*
 * A process in another mount namespace (a container) runs a file of another
 * filesystem: its path says nothing about our root's packages, so it is not
 * looked up.
 */
static void
find_owners(struct walk *w)
{
	struct owner_set *set = vg_xmalloc(sizeof(*set));
	struct vg_inventory *inv = w->inv;
	struct proc_entry *v = w->v;
	size_t n = w->n, nkeys = 0;
	char *buf;

	for (size_t i = 0; i < n; i++) {
		v[i].key = v[i].p.exe && packageable(exe_path(v[i].p.exe)) &&
			   !foreign_mnt(w, v[i].p.pid);
		nkeys += v[i].key;
	}
	if (nkeys == 0) {
		free(set);
		return;
	}
	owner_set_init(set, nkeys, usr_merged(inv));
	for (size_t i = 0; i < n; i++)
		if (v[i].key)
			owner_find(set, set_form(set, exe_path(v[i].p.exe)), true);
	buf = vg_xmalloc(LINEBUF_SIZE);
	dpkg_owners(inv, set, buf);
	rpm_owners(inv, set);
	apk_owners(inv, set, buf);
	free(buf);
	for (size_t i = 0; i < n; i++) {
		const struct owner_key *k;

		if (v[i].key && (k = owner_find(set, set_form(set, exe_path(v[i].p.exe)), false)) &&
		    k->owner) {
			v[i].p.package = k->owner;
			v[i].p.package_type = k->type;
		}
	}
	free(set->slots);
	free(set);
}

static int
cmp_pid(const void *a, const void *b)
{
	int x = ((const struct proc_entry *)a)->p.pid, y = ((const struct proc_entry *)b)->p.pid;

	return (x > y) - (x < y);
}

int
vg_collect_processes(struct vg_inventory *inv)
{
	struct walk w = {.inv = inv, .procfd = -1};

	if (walk_proc(&w)) {
		if (w.n > 1) /* w.v is NULL when the root's proc has no process */
			qsort(w.v, w.n, sizeof(*w.v), cmp_pid);
		name_users(inv, w.v, w.n);
		find_owners(&w);
		for (size_t i = 0; i < w.n; i++)
			*vg_inv_add_process(inv) = w.v[i].p;
		if (w.unreadable_exe > 0)
			vg_inv_warn(inv, "proc", "proc", 0,
				    "the executables of %zu processes are not readable (not "
				    "permitted): their paths and packages are unknown",
				    w.unreadable_exe);
	}
	if (w.procfd >= 0)
		close(w.procfd);
	free(w.v);
	return VG_OK;
}
