/*
 * sync.c - the official sources, mirror resolution, importing files one
 * transaction each, and `vigil feeds sync` (see sync.h and docs/feeds.md).
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/time.h"
#include "feeds/feed.h"
#include "feeds/fetch.h"
#include "feeds/jstream.h"
#include "feeds/sync.h"

#define MIB                 (1024ULL * 1024)
#define LISTING_MAX         (16 * MIB) /* one directory listing page */
#define WALK_MAX_DEPTH      32
#define ALPINE_BRANCHES     4    /* newest v3.N branches synced: about two years of support */
#define NVD_PAGE            2000 /* the API's largest resultsPerPage */
#define NVD_MAX_WINDOW_DAYS 120  /* the API's longest lastMod range */

/* ---- the source table ------------------------------------------------------ */

static const char *const kev_urls[] = {
	"https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
	NULL};
static const char *const kev_files[] = {"kev/known_exploited_vulnerabilities.json", NULL};

static const char *const epss_urls[] = {
	"https://epss.empiricalsecurity.com/epss_scores-current.csv.gz", NULL};
static const char *const epss_files[] = {"epss/epss_scores-current.csv.gz", NULL};

static const char *const dsa_urls[] = {"https://salsa.debian.org/security-tracker-team/"
				       "security-tracker/-/raw/main/data/DSA/list",
				       NULL};
static const char *const dsa_files[] = {"debian-security-tracker/salsa/data/DSA/list", NULL};

static const char *const dla_urls[] = {"https://salsa.debian.org/security-tracker-team/"
				       "security-tracker/-/raw/main/data/DLA/list",
				       NULL};
static const char *const dla_files[] = {"debian-security-tracker/salsa/data/DLA/list", NULL};

static const char *const tracker_urls[] = {"https://security-tracker.debian.org/tracker/data/json",
					   NULL};
static const char *const tracker_files[] = {
	"debian-security-tracker/tracker-json/debian-tracker.json", NULL};

/* The index listing the branches, then the file of one branch and repository. */
/* The index listing the branches; a branch's files are <index>v3.N/{main,community}.json. */
static const char *const alpine_urls[] = {"https://secdb.alpinelinux.org/", NULL};

static const char *const wolfi_urls[] = {"https://packages.wolfi.dev/os/security.json", NULL};
static const char *const wolfi_files[] = {"alpine-secdb/wolfi-security.json", NULL};

static const char *const osv_urls[] = {"https://osv-vulnerabilities.storage.googleapis.com/", NULL};

static const char *const nvd_urls[] = {"https://services.nvd.nist.gov/rest/json/cves/2.0", NULL};

static const struct vg_sync_source src_kev = {"kev",      "CISA Known Exploited Vulnerabilities",
					      "kev-json", VG_SYNC_FILES,
					      kev_urls,   kev_files,
					      64 * MIB,   VG_MIRROR_FILE,
					      "kev",      "known_exploited_vulnerabilities.json",
					      NULL};
static const struct vg_sync_source src_epss = {
	"epss",    "FIRST EPSS scores", "epss-csv", VG_SYNC_FILES,  epss_urls, epss_files,
	256 * MIB, VG_MIRROR_DATED,     "epss",     "epss_scores-", NULL};
static const struct vg_sync_source src_dsa = {"debian-dsa",
					      "Debian security advisories (DSA list)",
					      "debian-dsa-list",
					      VG_SYNC_FILES,
					      dsa_urls,
					      dsa_files,
					      64 * MIB,
					      VG_MIRROR_SNAPSHOT,
					      "debian-security-tracker",
					      "|data/DSA/list",
					      NULL};
static const struct vg_sync_source src_dla = {"debian-dla",
					      "Debian LTS advisories (DLA list)",
					      "debian-dsa-list",
					      VG_SYNC_FILES,
					      dla_urls,
					      dla_files,
					      64 * MIB,
					      VG_MIRROR_SNAPSHOT,
					      "debian-security-tracker",
					      "|data/DLA/list",
					      NULL};
static const struct vg_sync_source src_tracker = {"debian-tracker",
						  "Debian security tracker (JSON)",
						  "debian-tracker-json",
						  VG_SYNC_FILES,
						  tracker_urls,
						  tracker_files,
						  1024 * MIB,
						  VG_MIRROR_SNAPSHOT,
						  "debian-security-tracker",
						  "tracker-json|*.json",
						  NULL};
static const struct vg_sync_source src_alpine = {
	"alpine",
	"Alpine secdb (main and community, newest branches)",
	"secdb-json",
	VG_SYNC_ALPINE,
	alpine_urls,
	NULL,
	64 * MIB,
	VG_MIRROR_GLOB,
	"alpine-secdb",
	"*.json *.yaml *.yml !*wolfi*",
	NULL};
static const struct vg_sync_source src_wolfi = {
	"wolfi",      "Wolfi secdb", "secdb-json",   VG_SYNC_FILES,  wolfi_urls,
	wolfi_files,  256 * MIB,     VG_MIRROR_GLOB, "alpine-secdb", "*wolfi*.json *wolfi*.yaml",
	"wolfi-secdb"};
static const struct vg_sync_source src_osv = {"osv",      "OSV (one all.zip per ecosystem)",
					      "osv-json", VG_SYNC_OSV,
					      osv_urls,   NULL,
					      4096 * MIB, VG_MIRROR_TREE,
					      "osv",      NULL,
					      NULL};
static const struct vg_sync_source src_nvd = {
	"nvd",     "NVD CVE API 2.0", "nvd-api-2.0", VG_SYNC_NVD, nvd_urls, NULL,
	512 * MIB, VG_MIRROR_TREE,    "nvd",         NULL,        NULL};

const struct vg_sync_source *const vg_sync_sources[] = {
	&src_kev,    &src_epss,  &src_dsa, &src_dla, &src_tracker,
	&src_alpine, &src_wolfi, &src_osv, &src_nvd, NULL,
};

/* Language ecosystems the inventory reports, plus Ubuntu (no other feed of ours has it).
 * Debian and Alpine come from their own trackers above. */
const char *const vg_sync_osv_ecosystems[] = {
	"PyPI", "npm", "Go", "Maven", "crates.io", "NuGet", "Packagist", "RubyGems", "Ubuntu", NULL,
};

const struct vg_sync_source *
vg_sync_source_find(const char *name)
{
	for (size_t i = 0; vg_sync_sources[i]; i++)
		if (strcmp(vg_sync_sources[i]->name, name) == 0)
			return vg_sync_sources[i];
	return NULL;
}

/* ---- small helpers ------------------------------------------------------------- */

void
vg_strlist_add(struct vg_strlist *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = vg_xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = vg_xstrdup(s);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
vg_strlist_sort(struct vg_strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

void
vg_strlist_release(struct vg_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* printf into a new string (caller frees). */
static char *VG_PRINTF(1, 2) xasprintf(const char *fmt, ...)
{
	struct vg_buf b;
	va_list ap;
	int rc;

	vg_buf_init(&b, VG_BUF_NOLIMIT);
	va_start(ap, fmt);
	rc = vg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0)
		abort(); /* unbounded buffer */
	return vg_buf_detach(&b, NULL);
}

static bool
has_prefix_nocase(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool
vg_sync_skip_file(const char *name)
{
	return name[0] == '.' || has_prefix_nocase(name, "LICENSE") ||
	       has_prefix_nocase(name, "NOTICE") || has_prefix_nocase(name, "README") ||
	       has_suffix(name, ".md");
}

bool
vg_sync_skip_mirror_dir(const char *name)
{
	return name[0] == '.' || strcasecmp(name, "fixtures") == 0 ||
	       strcasecmp(name, "testdata") == 0 || strcasecmp(name, "test-fixtures") == 0;
}

/* mkdir -p of the directory part of @path. */
static int
make_parent_dirs(const char *path, struct vg_err *err)
{
	char *dir = vg_xstrdup(path);
	int rc = VG_OK;

	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			rc = vg_error(err, VG_EIO, "cannot create directory '%s': %s", dir,
				      strerror(errno));
			break;
		}
		*p = '/';
	}
	free(dir);
	return rc;
}

/* ---- mirrors: listings ------------------------------------------------------------ */

struct vg_mirror {
	char *root; /* directory without trailing "/", or URL with one */
	bool url;
};

static bool
is_http_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

int
vg_mirror_open(const char *spec, struct vg_mirror **out, struct vg_err *err)
{
	struct vg_mirror *m;
	struct stat st;

	*out = NULL;
	if (!is_http_url(spec) && (stat(spec, &st) != 0 || !S_ISDIR(st.st_mode)))
		return vg_error(err, VG_ENOTFOUND, "mirror '%s' is not a directory or http(s) URL",
				spec);
	m = vg_xcalloc(1, sizeof(*m));
	m->url = is_http_url(spec);
	if (m->url) {
		m->root = xasprintf("%s%s", spec, has_suffix(spec, "/") ? "" : "/");
	} else {
		m->root = vg_xstrdup(spec);
		for (size_t n = strlen(m->root); n > 1 && m->root[n - 1] == '/'; n--)
			m->root[n - 1] = '\0';
	}
	*out = m;
	return VG_OK;
}

void
vg_mirror_free(struct vg_mirror *m)
{
	if (!m)
		return;
	free(m->root);
	free(m);
}

bool
vg_mirror_is_url(const struct vg_mirror *m)
{
	return m->url;
}

/* Percent-encode what may not stand in a URL path ("Rocky Linux" -> "Rocky%20Linux"). */
static void
add_url_path(struct vg_buf *b, const char *rel)
{
	static const char keep[] = "-._~/!$&'()*+,;=:@";

	for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
		int rc = (*p < 0x80 && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
					(*p >= '0' && *p <= '9') || strchr(keep, *p)))
				 ? vg_buf_addch(b, (char)*p)
				 : vg_buf_addf(b, "%%%02X", *p);

		if (rc < 0)
			abort(); /* unbounded buffer */
	}
}

char *
vg_mirror_locate(const struct vg_mirror *m, const char *rel)
{
	struct vg_buf b;

	if (!m->url)
		return xasprintf("%s/%s", m->root, rel);
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	if (vg_buf_addstr(&b, m->root) < 0)
		abort();
	add_url_path(&b, rel);
	return vg_buf_detach(&b, NULL);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the HTML entities and then the percent escapes of one href value. */
static char *
decode_href(struct vg_str v)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
	char *tmp = vg_xmalloc(v.len + 1), *out = vg_xmalloc(v.len + 1);
	size_t n = 0, m = 0;

	for (size_t i = 0; i < v.len;) {
		size_t k;

		for (k = 0; k < VG_ARRAY_LEN(ents); k++) {
			size_t el = strlen(ents[k].ent);

			if (v.len - i >= el && memcmp(v.p + i, ents[k].ent, el) == 0) {
				tmp[n++] = ents[k].c;
				i += el;
				break;
			}
		}
		if (k == VG_ARRAY_LEN(ents))
			tmp[n++] = v.p[i++];
	}
	for (size_t i = 0; i < n; i++) {
		if (tmp[i] == '%' && i + 2 < n && hexval(tmp[i + 1]) >= 0 &&
		    hexval(tmp[i + 2]) >= 0) {
			out[m++] = (char)(hexval(tmp[i + 1]) * 16 + hexval(tmp[i + 2]));
			i += 2;
		} else {
			out[m++] = tmp[i];
		}
	}
	out[m] = '\0';
	free(tmp);
	return out;
}

/* Keep @name when it is a plain entry of this directory ("x", "x/"). */
static bool
listing_entry_ok(const char *name, size_t len)
{
	const char *slash = memchr(name, '/', len);

	if (len == 0 || strlen(name) != len) /* empty, or an embedded NUL from %00 */
		return false;
	if (slash && slash != name + len - 1)
		return false; /* a deeper path or an absolute one */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20)
			return false;
	return strcmp(name, "./") != 0 && strcmp(name, "../") != 0 && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

/* The href value starting at @p (quoted or bare); @end is set past it. */
static struct vg_str
href_value(const char *p, const char *limit, const char **end)
{
	const char *q;

	if (p < limit && (*p == '"' || *p == '\'')) {
		char quote = *p++;

		for (q = p; q < limit && *q != quote; q++)
			;
	} else {
		for (q = p; q < limit && *q != ' ' && *q != '>' && *q != '\t' && *q != '\n'; q++)
			;
	}
	*end = q;
	return vg_str_n(p, (size_t)(q - p));
}

void
vg_mirror_parse_listing(const char *html, size_t len, struct vg_strlist *names)
{
	const char *p = html, *limit = html + len;
	struct vg_strlist found = {0};

	while (p + 5 < limit) {
		const char *end;
		struct vg_str v;
		char *name;

		if (strncasecmp(p, "href", 4) != 0) {
			p++;
			continue;
		}
		p += 4;
		while (p < limit && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= limit || *p != '=')
			continue;
		for (p++; p < limit && (*p == ' ' || *p == '\t'); p++)
			;
		v = href_value(p, limit, &end);
		p = end;
		/* Only relative links to this directory's entries: no queries (sort links),
		 * fragments, schemes or absolute paths. */
		if (v.len == 0 || vg_str_chr(v, '?') >= 0 || vg_str_chr(v, '#') >= 0 ||
		    vg_str_chr(v, ':') >= 0 || v.p[0] == '/')
			continue;
		if (v.len > 2 && v.p[0] == '.' && v.p[1] == '/')
			v = vg_str_sub(v, 2, v.len);
		name = decode_href(v);
		if (listing_entry_ok(name, strlen(name)))
			vg_strlist_add(&found, name);
		free(name);
	}
	vg_strlist_sort(&found);
	for (size_t i = 0; i < found.n; i++)
		if (i == 0 || strcmp(found.v[i], found.v[i - 1]) != 0)
			vg_strlist_add(names, found.v[i]);
	vg_strlist_release(&found);
	vg_strlist_sort(names);
}

static int
list_local(const char *dir, struct vg_strlist *names, struct vg_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR)
			return VG_ENOTFOUND;
		return vg_error(err, VG_EIO, "cannot read directory '%s': %s", dir,
				strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
			char *name = xasprintf("%s%s", e->d_name, S_ISDIR(st.st_mode) ? "/" : "");

			vg_strlist_add(names, name);
			free(name);
		}
		free(path);
	}
	closedir(d);
	vg_strlist_sort(names);
	return VG_OK;
}

static int
list_url(const char *url, struct vg_strlist *names, struct vg_err *err)
{
	struct vg_buf page;
	int rc;

	vg_buf_init(&page, LISTING_MAX);
	rc = vg_fetch_mem(url, &page, NULL, err);
	if (rc == VG_OK)
		vg_mirror_parse_listing(page.p, page.len, names);
	vg_buf_release(&page);
	return rc;
}

/* Entries of directory @rel ("" for the root) of the mirror; VG_ENOTFOUND when absent. */
static int
mirror_list(const struct vg_mirror *m, const char *rel, struct vg_strlist *names,
	    struct vg_err *err)
{
	char *where;
	int rc;

	if (m->url) {
		char *dir = xasprintf("%s%s", rel, rel[0] && !has_suffix(rel, "/") ? "/" : "");

		where = vg_mirror_locate(m, dir);
		free(dir);
		rc = list_url(where, names, err);
	} else {
		where = rel[0] ? vg_mirror_locate(m, rel) : vg_xstrdup(m->root);
		rc = list_local(where, names, err);
	}
	free(where);
	return rc;
}

/* ---- mirrors: the rules ------------------------------------------------------------ */

static bool
is_dir_entry(const char *name)
{
	return has_suffix(name, "/");
}

/* "YYYY-MM-DD" at @p? */
static bool
is_date(const char *p)
{
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;

		if (dash ? p[i] != '-' : (p[i] < '0' || p[i] > '9'))
			return false;
	}
	return true;
}

/* Newest <prefix>YYYY-MM-DD.csv[.gz]; <prefix>current.csv[.gz] when there is none. */
static void
rule_dated(const struct vg_sync_source *s, const struct vg_strlist *names, struct vg_strlist *files)
{
	const char *best = NULL, *current = NULL;
	size_t pl = strlen(s->mirror_arg);

	for (size_t i = 0; i < names->n; i++) {
		const char *n = names->v[i], *rest = n + pl;

		if (strncmp(n, s->mirror_arg, pl) != 0 || is_dir_entry(n))
			continue;
		if (strlen(rest) >= 10 && is_date(rest) &&
		    (strcmp(rest + 10, ".csv") == 0 || strcmp(rest + 10, ".csv.gz") == 0)) {
			/* Names sort by date; for one date ".csv" comes before ".csv.gz". */
			if (!best || strncmp(rest, best + pl, 10) > 0)
				best = n;
		} else if (!current && (strcmp(rest, "current.csv") == 0 ||
					strcmp(rest, "current.csv.gz") == 0)) {
			current = n;
		}
	}
	if (best || current) {
		char *rel = xasprintf("%s/%s", s->mirror_dir, best ? best : current);

		vg_strlist_add(files, rel);
		free(rel);
	}
}

/* Does @name match the space-separated patterns of @spec ("!p" excludes)? */
static bool
glob_match(const char *spec, const char *name)
{
	bool yes = false;
	char *copy = vg_xstrdup(spec), *save = NULL;

	for (char *pat = strtok_r(copy, " ", &save); pat; pat = strtok_r(NULL, " ", &save)) {
		if (pat[0] == '!') {
			if (fnmatch(pat + 1, name, 0) == 0) {
				yes = false;
				break;
			}
		} else if (fnmatch(pat, name, 0) == 0) {
			yes = true;
		}
	}
	free(copy);
	return yes;
}

static void
rule_glob(const char *dir, const char *spec, const struct vg_strlist *names,
	  struct vg_strlist *files)
{
	for (size_t i = 0; i < names->n; i++) {
		const char *n = names->v[i];

		if (!is_dir_entry(n) && !vg_sync_skip_file(n) && glob_match(spec, n)) {
			char *rel = xasprintf("%s/%s", dir, n);

			vg_strlist_add(files, rel);
			free(rel);
		}
	}
}

/* Files of snapshot directory @snap matching @what ("data/DSA/list" or "*.json"). */
static int
snapshot_files(const struct vg_mirror *m, const char *snap, const char *what,
	       struct vg_strlist *files, struct vg_err *err)
{
	const char *slash = strrchr(what, '/');
	char *dir =
		slash ? xasprintf("%s/%.*s", snap, (int)(slash - what), what) : vg_xstrdup(snap);
	const char *base = slash ? slash + 1 : what;
	struct vg_strlist names = {0};
	int rc = mirror_list(m, dir, &names, err);

	if (rc == VG_ENOTFOUND)
		rc = VG_OK; /* this snapshot does not have it */
	if (rc == VG_OK)
		rule_glob(dir, base, &names, files);
	vg_strlist_release(&names);
	free(dir);
	return rc;
}

static bool
is_fixture_name(const char *name)
{
	return strcasestr(name, "fixture") != NULL;
}

static int
rule_snapshot(const struct vg_sync_source *s, const struct vg_mirror *m,
	      const struct vg_strlist *names, struct vg_strlist *files, struct vg_err *err)
{
	const char *bar = strchr(s->mirror_arg, '|');
	size_t pl = bar ? (size_t)(bar - s->mirror_arg) : 0;
	const char *what = bar ? bar + 1 : s->mirror_arg;
	struct vg_strlist best = {0};
	bool best_fixture = true;
	int rc = VG_OK;

	/* names are sorted, so a later equal-rank snapshot has the greater name. */
	for (size_t i = 0; rc == VG_OK && i < names->n; i++) {
		const char *n = names->v[i];
		struct vg_strlist found = {0};
		char *snap;

		if (!is_dir_entry(n) || strncmp(n, s->mirror_arg, pl) != 0)
			continue;
		snap = xasprintf("%s/%.*s", s->mirror_dir, (int)strlen(n) - 1, n);
		if (vg_sync_skip_mirror_dir(snap + strlen(s->mirror_dir) + 1)) {
			free(snap);
			continue;
		}
		rc = snapshot_files(m, snap, what, &found, err);
		if (rc == VG_OK && found.n > 0 && (!is_fixture_name(n) || best_fixture)) {
			vg_strlist_release(&best);
			best = found;
			memset(&found, 0, sizeof(found));
			best_fixture = is_fixture_name(n);
		}
		vg_strlist_release(&found);
		free(snap);
	}
	for (size_t i = 0; rc == VG_OK && i < best.n; i++)
		vg_strlist_add(files, best.v[i]);
	vg_strlist_release(&best);
	return rc;
}

static int
rule_tree(const struct vg_mirror *m, const char *dir, int depth, struct vg_strlist *files,
	  struct vg_err *err)
{
	struct vg_strlist names = {0};
	int rc;

	if (depth > WALK_MAX_DEPTH)
		return vg_error(err, VG_ETOOBIG, "'%s' is nested too deeply", dir);
	rc = mirror_list(m, dir, &names, err);
	for (size_t i = 0; rc == VG_OK && i < names.n; i++) {
		const char *n = names.v[i];
		size_t len = strlen(n);
		char *rel;

		if (is_dir_entry(n)) {
			char *sub = vg_xmemdupz(n, len - 1);

			if (!vg_sync_skip_mirror_dir(sub)) {
				rel = xasprintf("%s/%s", dir, sub);
				rc = rule_tree(m, rel, depth + 1, files, err);
				free(rel);
			}
			free(sub);
		} else if (!vg_sync_skip_file(n)) {
			rel = xasprintf("%s/%s", dir, n);
			vg_strlist_add(files, rel);
			free(rel);
		}
	}
	vg_strlist_release(&names);
	return rc;
}

int
vg_sync_resolve(const struct vg_sync_source *s, struct vg_mirror *m, struct vg_strlist *files,
		struct vg_err *err)
{
	struct vg_strlist names = {0};
	int rc;

	if (s->rule == VG_MIRROR_TREE) {
		rc = rule_tree(m, s->mirror_dir, 0, files, err);
		return rc == VG_ENOTFOUND ? VG_OK : rc;
	}
	rc = mirror_list(m, s->mirror_dir, &names, err);
	if (rc == VG_OK) {
		switch (s->rule) {
		case VG_MIRROR_FILE:
			rule_glob(s->mirror_dir, s->mirror_arg, &names, files);
			break;
		case VG_MIRROR_DATED:
			rule_dated(s, &names, files);
			break;
		case VG_MIRROR_SNAPSHOT:
			rc = rule_snapshot(s, m, &names, files, err);
			break;
		case VG_MIRROR_GLOB:
			rule_glob(s->mirror_dir, s->mirror_arg, &names, files);
			break;
		case VG_MIRROR_TREE:
			break;
		}
	}
	vg_strlist_release(&names);
	return rc == VG_ENOTFOUND ? VG_OK : rc;
}

/* ---- walking what `feeds import` is given --------------------------------------- */

static int
walk(const char *path, int depth, int (*cb)(const char *file, void *ctx), void *ctx,
     struct vg_err *err)
{
	struct vg_strlist names = {0};
	struct stat st;
	int rc;

	if (stat(path, &st) != 0)
		return vg_error(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO, "%s: %s", path,
				strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cb(path, ctx);
	if (depth > WALK_MAX_DEPTH)
		return vg_error(err, VG_ETOOBIG, "%s: nested too deeply", path);
	rc = list_local(path, &names, err);
	if (rc == VG_ENOTFOUND)
		rc = vg_error(err, VG_EIO, "%s: cannot read the directory", path);
	for (size_t i = 0; rc == VG_OK && i < names.n; i++) {
		const char *n = names.v[i];
		char *sub;

		if (n[0] == '.' || (!is_dir_entry(n) && vg_sync_skip_file(n)))
			continue;
		sub = xasprintf("%s%s%.*s", path, has_suffix(path, "/") ? "" : "/",
				(int)strlen(n) - (is_dir_entry(n) ? 1 : 0), n);
		rc = walk(sub, depth + 1, cb, ctx, err);
		free(sub);
	}
	vg_strlist_release(&names);
	return rc;
}

int
vg_sync_walk(const char *path, int (*cb)(const char *file, void *ctx), void *ctx,
	     struct vg_err *err)
{
	return walk(path, 0, cb, ctx, err);
}

/* ---- importing one file ------------------------------------------------------------ */

/* The sink handed to importers: counts, renames, and forwards to the store's sink. */
struct wrap {
	struct vg_feed_sink inner;
	const char *rename; /* source name for "osv" records of an ECO/all.zip, or NULL */
	const char *path;   /* path recorded with the source (the archive), or NULL */
	const struct vg_sync_ui *ui;
	uint64_t records;
	uint64_t warnings;
	char replaced[96]; /* name of the REPLACE source begun, or "" */
};

static void
adjust_source(const struct wrap *w, const struct vg_feed_source *src, struct vg_feed_source *out)
{
	*out = *src;
	if (w->rename && src->name && strcmp(src->name, "osv") == 0)
		out->name = w->rename;
	if (w->path)
		out->path = w->path;
}

static int
w_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct wrap *w = ctx;
	struct vg_feed_source s;

	adjust_source(w, src, &s);
	if (s.mode == VG_FEED_REPLACE && s.name)
		snprintf(w->replaced, sizeof(w->replaced), "%s", s.name);
	return w->inner.begin ? w->inner.begin(w->inner.ctx, &s, err) : VG_OK;
}

static int
w_end(void *ctx, const struct vg_feed_source *src, uint64_t nrecords, struct vg_err *err)
{
	struct wrap *w = ctx;
	struct vg_feed_source s;

	adjust_source(w, src, &s);
	w->records += nrecords;
	return w->inner.end ? w->inner.end(w->inner.ctx, &s, nrecords, err) : VG_OK;
}

static int
w_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	struct wrap *w = ctx;

	return w->inner.vuln ? w->inner.vuln(w->inner.ctx, v, err) : VG_OK;
}

static int
w_affected(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	struct wrap *w = ctx;

	return w->inner.affected ? w->inner.affected(w->inner.ctx, a, err) : VG_OK;
}

static int
w_kev(void *ctx, const struct vg_kev *k, struct vg_err *err)
{
	struct wrap *w = ctx;

	return w->inner.kev ? w->inner.kev(w->inner.ctx, k, err) : VG_OK;
}

static int
w_epss(void *ctx, const struct vg_epss *e, struct vg_err *err)
{
	struct wrap *w = ctx;

	return w->inner.epss ? w->inner.epss(w->inner.ctx, e, err) : VG_OK;
}

/* Warnings of the importers and of the store alike. */
static void
w_warn(void *ctx, const char *msg)
{
	struct wrap *w = ctx;

	w->warnings++;
	if (w->ui && w->ui->warn)
		w->ui->warn(w->ui->ctx, msg);
}

static void
wrap_init(struct wrap *w, const struct vg_sync_store *store, const struct vg_sync_ui *ui,
	  struct vg_feed_sink *outer)
{
	memset(w, 0, sizeof(*w));
	w->ui = ui;
	store->sink(store->ctx, &w->inner, w_warn, w);
	*outer =
		(struct vg_feed_sink){w, w_begin, w_vuln, w_affected, w_kev, w_epss, w_end, w_warn};
}

static void
ui_progress(void *ctx, uint64_t done, uint64_t total)
{
	const struct vg_sync_ui *ui = ctx;

	if (ui && ui->progress)
		ui->progress(ui->ctx, done, total);
}

static bool
is_zip(const char *path)
{
	unsigned char magic[4] = {0};
	FILE *f = fopen(path, "rb");
	bool zip;

	if (!f)
		return false;
	/* A local file header, or the end record alone of an empty archive. */
	zip = fread(magic, 1, 4, f) == 4 &&
	      (memcmp(magic, "PK\3\4", 4) == 0 || memcmp(magic, "PK\5\6", 4) == 0);
	fclose(f);
	return zip;
}

/*
 * libzip is loaded when the first archive is imported, not linked: it pulls
 * in libcrypto, whose loading cost every `vigil` command about 4 ms, for
 * OSV's all.zip archives only.  The headers are libzip-dev's; the soname is
 * the one it links.
 */
static struct {
	void *handle;
	zip_t *(*open)(const char *path, int flags, int *errorp);
	void (*error_init_with_code)(zip_error_t *e, int code);
	const char *(*error_strerror)(zip_error_t *e);
	void (*error_fini)(zip_error_t *e);
	zip_int64_t (*get_num_entries)(zip_t *z, zip_flags_t flags);
	void (*discard)(zip_t *z);
	int (*stat_index)(zip_t *z, zip_uint64_t i, zip_flags_t flags, zip_stat_t *st);
	zip_file_t *(*fopen_index)(zip_t *z, zip_uint64_t i, zip_flags_t flags);
	zip_int64_t (*fread)(zip_file_t *f, void *buf, zip_uint64_t n);
	int (*fclose)(zip_file_t *f);
	const char *(*strerror)(zip_t *z);
} lz;

static int
load_libzip(struct vg_err *err)
{
	static const struct {
		size_t offset;
		const char *name;
	} syms[] = {
#define SYM(field) {offsetof(__typeof__(lz), field), "zip_" #field}
		SYM(open),
		SYM(error_init_with_code),
		SYM(error_strerror),
		SYM(error_fini),
		SYM(get_num_entries),
		SYM(discard),
		SYM(stat_index),
		SYM(fopen_index),
		SYM(fread),
		SYM(fclose),
		SYM(strerror),
#undef SYM
	};

	if (lz.handle)
		return VG_OK;
	lz.handle = dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lz.handle)
		return vg_error(err, VG_EUNSUPPORTED, "cannot load libzip (libzip4): %s",
				dlerror());
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void **slot = (void **)((char *)&lz + syms[i].offset);

		*slot = dlsym(lz.handle, syms[i].name);
		if (!*slot) {
			dlclose(lz.handle);
			lz.handle = NULL;
			return vg_error(err, VG_EUNSUPPORTED, "libzip has no '%s'", syms[i].name);
		}
	}
	return VG_OK;
}

/* The importer with the highest probe score for an in-memory record, or NULL. */
static const struct vg_importer *
detect_mem(const char *name, const char *data, size_t len, struct vg_err *err)
{
	const struct vg_importer *best = NULL;
	struct vg_feed_in in;
	struct vg_sniff sniff;
	struct vg_buf scratch;
	int best_score = 0;

	vg_buf_init(&scratch, VG_SNIFF_MAX + 1);
	vg_feed_in_open_mem(&in, name, data, len);
	if (vg_feed_sniff(&in, &sniff, &scratch, err) == VG_OK) {
		for (size_t i = 0; vg_importers[i]; i++) {
			int score = vg_importers[i]->probe(&sniff);

			if (score > best_score) {
				best_score = score;
				best = vg_importers[i];
			}
		}
	}
	vg_feed_in_close(&in);
	vg_buf_release(&scratch);
	return best;
}

static int
zip_entry(zip_t *z, zip_uint64_t i, const char *zpath, struct vg_feed_sink *sink, struct wrap *w,
	  const char **format, struct vg_err *err)
{
	const struct vg_importer *imp;
	struct vg_feed_in in;
	zip_stat_t st;
	zip_file_t *zf;
	char *data, *name;
	zip_int64_t got;
	int rc = VG_OK;

	if (lz.stat_index(z, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
	    !(st.valid & ZIP_STAT_SIZE))
		return vg_error(err, VG_EINVAL, "%s: entry %" PRIu64 ": unreadable", zpath,
				(uint64_t)i);
	if (has_suffix(st.name, "/"))
		return VG_OK; /* a directory */
	name = xasprintf("%s/%s", zpath, st.name);
	if (st.size > VG_FEED_MAX_RECORD) {
		rc = vg_error(err, VG_ETOOBIG, "%s: larger than %d MiB", name,
			      VG_FEED_MAX_RECORD >> 20);
		free(name);
		return rc;
	}
	data = vg_xmalloc((size_t)st.size + 1);
	zf = lz.fopen_index(z, i, 0);
	got = zf ? lz.fread(zf, data, st.size) : -1;
	if (zf)
		lz.fclose(zf);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		rc = vg_error(err, VG_EIO, "%s: cannot extract: %s", name, lz.strerror(z));
	} else if ((imp = detect_mem(name, data, (size_t)st.size, NULL)) == NULL) {
		char *msg = xasprintf("%s: skipped (unrecognised format)", name);

		w_warn(w, msg);
		free(msg);
	} else {
		if (!*format)
			*format = imp->format;
		vg_feed_in_open_mem(&in, name, data, (size_t)st.size);
		rc = imp->import(&in, sink, err);
		vg_feed_in_close(&in);
	}
	free(data);
	free(name);
	return rc;
}

/* Every entry of the archive, in the archive's order, through @sink. */
static int
import_zip(const char *path, struct vg_feed_sink *sink, struct wrap *w, const struct vg_sync_ui *ui,
	   const char **format, struct vg_err *err)
{
	zip_t *z;
	zip_int64_t n;
	int zerr = 0, rc = VG_OK;

	if ((rc = load_libzip(err)) != VG_OK)
		return rc;
	z = lz.open(path, ZIP_RDONLY, &zerr);
	if (!z) {
		zip_error_t ze;

		lz.error_init_with_code(&ze, zerr);
		rc = vg_error(err, VG_EINVAL, "%s: not a readable zip archive: %s", path,
			      lz.error_strerror(&ze));
		lz.error_fini(&ze);
		return rc;
	}
	n = lz.get_num_entries(z, 0);
	for (zip_int64_t i = 0; rc == VG_OK && i < n; i++) {
		rc = zip_entry(z, (zip_uint64_t)i, path, sink, w, format, err);
		ui_progress((void *)(uintptr_t)ui, (uint64_t)i + 1, (uint64_t)n);
	}
	lz.discard(z);
	return rc;
}

/* "osv:ECO" for ".../ECO/all.zip", else NULL (caller frees). */
static char *
zip_source_name(const char *path)
{
	const char *end = strrchr(path, '/'), *start;

	if (!end || strcmp(end, "/all.zip") != 0)
		return NULL;
	for (start = end; start > path && start[-1] != '/'; start--)
		;
	return start < end ? xasprintf("osv:%.*s", (int)(end - start), start) : NULL;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
import_in_txn(const struct vg_sync_store *store, const char *path, bool zip,
	      const struct vg_sync_ui *ui, struct vg_import_stats *st, struct vg_err *err)
{
	struct vg_feed_sink sink;
	struct wrap w;
	char *rename = zip ? zip_source_name(path) : NULL;
	int rc;

	rc = store->txn_begin(store->ctx, err);
	if (rc < 0) {
		free(rename);
		return rc;
	}
	wrap_init(&w, store, ui, &sink);
	w.rename = rename;
	w.path = zip ? path : NULL;
	if (zip)
		rc = import_zip(path, &sink, &w, ui, &st->format, err);
	else
		rc = vg_feed_import_file(path, &sink, ui_progress, (void *)(uintptr_t)ui, err);
	if (rc == VG_OK)
		rc = store->txn_commit(store->ctx, err);
	if (rc != VG_OK)
		store->txn_rollback(store->ctx);
	st->records = w.records;
	st->warnings = w.warnings;
	if (rc == VG_OK)
		memcpy(st->replaced, w.replaced, sizeof(st->replaced));
	free(rename);
	return rc;
}

int
vg_sync_import_file(const struct vg_sync_store *store, const char *path,
		    const struct vg_sync_ui *ui, struct vg_import_stats *st, struct vg_err *err)
{
	const struct vg_importer *imp = NULL;
	bool zip = is_zip(path);
	double t0 = now_seconds();
	int rc = VG_OK;

	memset(st, 0, sizeof(*st));
	st->path = path;
	vg_err_clear(err);
	if (zip)
		st->format = NULL; /* known after the first entry */
	else if ((rc = vg_feed_detect(path, &imp, err)) == VG_OK)
		st->format = imp->format;
	if (rc == VG_OK) {
		if (ui && ui->file_begin)
			ui->file_begin(ui->ctx, path, zip ? "zip" : st->format);
		rc = import_in_txn(store, path, zip, ui, st, err);
		if (zip && !st->format)
			st->format = "zip";
	}
	st->seconds = now_seconds() - t0;
	if (ui && ui->file_end)
		ui->file_end(ui->ctx, st, rc, err);
	return rc;
}

/* ---- syncing ----------------------------------------------------------------------- */

char *
vg_sync_cache_dir(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');

	if (!slash)
		return vg_xstrdup("feeds-cache");
	return xasprintf("%.*s/feeds-cache", (int)(slash - db_path), db_path);
}

struct run {
	const struct vg_sync_store *store;
	const struct vg_sync_opts *o;
	const struct vg_sync_ui *ui;
	char *cache;
	struct vg_mirror *mirror;
	const char *base; /* test override of the official hosts (VIGIL_FEEDS_BASE_URL) */
	bool fresh;       /* the store held no source when the run began */
	long nvd_delay_ms;
	struct vg_sync_result *res;
};

/* How the items of one source went. */
struct tally {
	int items, up_to_date, failed;
};

/* One file to bring in: downloaded (url set) or read in place. */
struct item {
	const char *name; /* failures are recorded under it */
	char *url;
	char *path;
	uint64_t cap;
	unsigned fetch_flags;
	bool must_import; /* an unrecognised file is a failure (official data), not a skip */
};

static void VG_PRINTF(3, 4) note(const struct run *r, const char *source, const char *fmt, ...)
{
	struct vg_buf b;
	va_list ap;

	if (!r->ui || !r->ui->note)
		return;
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	va_start(ap, fmt);
	if (vg_buf_vaddf(&b, fmt, ap) < 0)
		abort();
	va_end(ap);
	r->ui->note(r->ui->ctx, source, b.p);
	vg_buf_release(&b);
}

static void
fail(const struct run *r, struct tally *t, const char *name, const char *msg)
{
	struct vg_err err;

	t->failed++;
	if (r->ui && r->ui->failed)
		r->ui->failed(r->ui->ctx, name, msg);
	if (r->store && !r->o->dry_run &&
	    r->store->source_failed(r->store->ctx, name, msg, &err) < 0)
		note(r, name, "cannot record the failure: %s", err.msg);
}

/* The official URL, or where the test override serves it: BASE/<host>/<path>. */
static char *
official_url(const struct run *r, const char *url)
{
	if (!r->base || strncmp(url, "https://", 8) != 0)
		return vg_xstrdup(url);
	return xasprintf("%s%s%s", r->base, has_suffix(r->base, "/") ? "" : "/", url + 8);
}

static unsigned
official_flags(const struct run *r)
{
	return r->base ? 0 : VG_FETCH_HTTPS_ONLY;
}

static void
fetch_progress(void *pctx, uint64_t done, uint64_t total)
{
	const struct run *r = pctx;

	ui_progress((void *)(uintptr_t)r->ui, done, total);
}

static void
item_release(struct item *it)
{
	free(it->url);
	free(it->path);
}

/* Import @it's local file; VG_OK also for an unrecognised file that may be skipped. */
static int
import_item(const struct run *r, struct tally *t, const struct item *it, bool *imported)
{
	struct vg_import_stats st;
	struct vg_err err;
	int rc;

	*imported = false;
	rc = vg_sync_import_file(r->store, it->path, r->ui, &st, &err);
	if (rc == VG_OK) {
		*imported = true;
		return VG_OK;
	}
	if (!st.format && rc == VG_EUNSUPPORTED) {
		if (!it->must_import) {
			t->items--; /* not data: reported as skipped by the ui, not counted */
			return VG_OK;
		}
		vg_error(&err, rc, "%s: not in a format Vigil recognises", it->path);
	}
	fail(r, t, it->name, err.msg);
	return rc;
}

static void
mark_imported(const char *meta_path)
{
	struct vg_fetch_meta m;

	if (vg_fetch_meta_read(meta_path, &m, NULL) == VG_OK) {
		m.imported = true;
		(void)!vg_fetch_meta_write(meta_path, &m, NULL);
	}
	vg_fetch_meta_release(&m);
}

static void
process_download(const struct run *r, struct tally *t, const struct item *it)
{
	struct vg_fetch_opts fo = {0};
	enum vg_fetch_outcome outcome;
	struct vg_fetch_meta m = {0};
	struct vg_err err;
	char *meta_path;
	bool imported;

	t->items++;
	if (r->o->dry_run) {
		note(r, it->name, "would download %s to %s", it->url, it->path);
		return;
	}
	fo.max_bytes = it->cap;
	fo.flags = it->fetch_flags;
	fo.progress = fetch_progress;
	fo.pctx = (void *)(uintptr_t)r;
	note(r, it->name, "downloading %s", it->url);
	if (make_parent_dirs(it->path, &err) < 0 ||
	    vg_fetch_file(it->url, it->path, &fo, &outcome, &err) < 0) {
		fail(r, t, it->name, err.msg);
		return;
	}
	meta_path = vg_fetch_meta_path(it->path);
	if (outcome == VG_FETCH_NOT_MODIFIED) {
		bool done = vg_fetch_meta_read(meta_path, &m, NULL) == VG_OK && m.imported &&
			    !r->fresh && !r->o->force;

		vg_fetch_meta_release(&m);
		if (done) {
			note(r, it->name, "up to date (not modified since the last sync)");
			t->up_to_date++;
			free(meta_path);
			return;
		}
		note(r, it->name, "not modified; importing the copy in the cache");
	} else if (outcome == VG_FETCH_RESUMED) {
		note(r, it->name, "resumed the interrupted download");
	}
	if (import_item(r, t, it, &imported) == VG_OK && imported)
		mark_imported(meta_path);
	free(meta_path);
}

/* Directory mirror: the file is imported where it is, unless unchanged since its import. */
static void
process_local(const struct run *r, struct tally *t, const struct item *it, const char *rel)
{
	struct vg_fetch_meta m = {0};
	struct stat st;
	char *state, *flat, *stamp;
	bool current, imported;
	struct vg_err err;

	t->items++;
	if (r->o->dry_run) {
		note(r, it->name, "would import %s", it->path);
		return;
	}
	if (stat(it->path, &st) != 0) {
		vg_error(&err, VG_EIO, "%s: %s", it->path, strerror(errno));
		fail(r, t, it->name, err.msg);
		return;
	}
	flat = vg_xstrdup(rel);
	for (char *p = flat; *p; p++)
		*p = *p == '/' ? '!' : *p;
	state = xasprintf("%s/.mirror-state/%s.meta", r->cache, flat);
	stamp = xasprintf("%lld:%lld.%09ld", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			  st.st_mtim.tv_nsec);
	current = vg_fetch_meta_read(state, &m, NULL) == VG_OK && m.imported && m.url &&
		  strcmp(m.url, it->path) == 0 && m.etag && strcmp(m.etag, stamp) == 0;
	vg_fetch_meta_release(&m);
	if (current && !r->fresh && !r->o->force) {
		t->up_to_date++; /* summed up by sync_mirror() */
	} else if (import_item(r, t, it, &imported) == VG_OK && imported) {
		m.url = it->path;
		m.etag = stamp;
		m.size = (uint64_t)st.st_size;
		m.fetched_at = (int64_t)time(NULL);
		m.imported = true;
		if (make_parent_dirs(state, &err) < 0 || vg_fetch_meta_write(state, &m, &err) < 0)
			note(r, it->name, "cannot remember the import: %s", err.msg);
	}
	free(stamp);
	free(state);
	free(flat);
}

static void
sync_mirror(const struct run *r, const struct vg_sync_source *s, bool explicit, struct tally *t)
{
	struct vg_strlist files = {0};
	struct vg_err err;

	if (vg_sync_resolve(s, r->mirror, &files, &err) < 0) {
		fail(r, t, s->name, err.msg);
		return;
	}
	if (files.n == 0) {
		if (explicit)
			fail(r, t, s->name, "no files of this source in the mirror");
		else
			note(r, s->name, "not in the mirror; skipped");
	}
	for (size_t i = 0; i < files.n; i++) {
		struct item it = {s->name, NULL, NULL, s->max_bytes, 0, false};

		if (vg_mirror_is_url(r->mirror)) {
			it.url = vg_mirror_locate(r->mirror, files.v[i]);
			it.path = xasprintf("%s/%s", r->cache, files.v[i]);
			process_download(r, t, &it);
		} else {
			it.path = vg_mirror_locate(r->mirror, files.v[i]);
			process_local(r, t, &it, files.v[i]);
		}
		item_release(&it);
	}
	if (!vg_mirror_is_url(r->mirror) && t->up_to_date > 0)
		note(r, s->name, "%d file%s unchanged since %s import", t->up_to_date,
		     t->up_to_date == 1 ? "" : "s", t->up_to_date == 1 ? "its" : "their");
	vg_strlist_release(&files);
}

static void
sync_files(const struct run *r, const struct vg_sync_source *s, struct tally *t)
{
	for (size_t i = 0; s->urls[i] && s->files[i]; i++) {
		struct item it = {s->store_name ? s->store_name : s->name,
				  official_url(r, s->urls[i]),
				  xasprintf("%s/%s", r->cache, s->files[i]),
				  s->max_bytes,
				  official_flags(r),
				  true};

		process_download(r, t, &it);
		item_release(&it);
	}
}

static int
cmp_int_desc(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x < y) - (x > y);
}

/* The minor numbers of the "v3.N/" entries of the secdb index, newest first. */
static size_t
alpine_branches(const struct vg_strlist *names, int *minors, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < names->n && n < cap; i++) {
		const char *e = names->v[i];
		char *end;
		long minor;

		if (strncmp(e, "v3.", 3) != 0 || e[3] < '0' || e[3] > '9')
			continue;
		minor = strtol(e + 3, &end, 10);
		if (strcmp(end, "/") == 0 && minor >= 0 && minor < 1000)
			minors[n++] = (int)minor;
	}
	qsort(minors, n, sizeof(*minors), cmp_int_desc);
	return n;
}

static void
sync_alpine(const struct run *r, const struct vg_sync_source *s, struct tally *t)
{
	static const char *const repos[] = {"main", "community"};
	struct vg_fetch_opts fo = {.max_bytes = LISTING_MAX, .flags = official_flags(r)};
	struct vg_strlist names = {0};
	struct vg_buf page;
	char *index = official_url(r, s->urls[0]);
	int minors[256];
	size_t n;
	struct vg_err err;

	if (r->o->dry_run) {
		note(r, s->name,
		     "would list the branches at %s and download main and community of "
		     "the %d newest",
		     index, ALPINE_BRANCHES);
		free(index);
		return;
	}
	vg_buf_init(&page, LISTING_MAX);
	if (vg_fetch_mem(index, &page, &fo, &err) < 0) {
		fail(r, t, s->name, err.msg);
	} else {
		vg_mirror_parse_listing(page.p, page.len, &names);
		n = alpine_branches(&names, minors, VG_ARRAY_LEN(minors));
		if (n == 0)
			fail(r, t, s->name, "the secdb index lists no v3.N branch");
		for (size_t i = 0; i < n && i < ALPINE_BRANCHES; i++) {
			for (size_t k = 0; k < VG_ARRAY_LEN(repos); k++) {
				char *name =
					xasprintf("alpine-secdb:v3.%d/%s", minors[i], repos[k]);
				struct item it = {
					name,
					xasprintf("%sv3.%d/%s.json", index, minors[i], repos[k]),
					xasprintf("%s/alpine-secdb/alpine-v3.%d-%s.json", r->cache,
						  minors[i], repos[k]),
					s->max_bytes,
					official_flags(r),
					true};

				process_download(r, t, &it);
				item_release(&it);
				free(name);
			}
		}
	}
	vg_strlist_release(&names);
	vg_buf_release(&page);
	free(index);
}

static void
sync_osv(const struct run *r, const struct vg_sync_source *s, struct tally *t)
{
	for (size_t i = 0; vg_sync_osv_ecosystems[i]; i++) {
		const char *eco = vg_sync_osv_ecosystems[i];
		char *name = xasprintf("osv:%s", eco);
		struct vg_mirror bucket = {(char *)(uintptr_t)s->urls[0], true};
		char *rel = xasprintf("%s/all.zip", eco);
		char *url = vg_mirror_locate(&bucket, rel);
		struct item it = {
			name,         official_url(r, url), xasprintf("%s/osv/%s", r->cache, rel),
			s->max_bytes, official_flags(r),    true};

		process_download(r, t, &it);
		item_release(&it);
		free(url);
		free(rel);
		free(name);
	}
}

/* ---- NVD ---------------------------------------------------------------------------- */

struct nvd_header {
	long total, per_page;
};

static enum vg_js_action
nvd_select(const struct vg_js_path *path, void *ctx)
{
	(void)ctx;
	if (path->depth == 0)
		return VG_JS_DESCEND;
	if (path->depth == 1 && path->key[0] &&
	    (strcmp(path->key[0], "totalResults") == 0 ||
	     strcmp(path->key[0], "resultsPerPage") == 0))
		return VG_JS_CAPTURE;
	return VG_JS_SKIP;
}

static int
nvd_record(const struct vg_js_path *path, json_t *value, void *ctx, struct vg_err *err)
{
	struct nvd_header *h = ctx;
	long v;

	if (!json_is_integer(value) || json_integer_value(value) < 0)
		return vg_error(err, VG_EINVAL, "field '%s': expected a count", path->key[0]);
	v = (long)json_integer_value(value);
	if (strcmp(path->key[0], "totalResults") == 0)
		h->total = v;
	else
		h->per_page = v;
	return VG_OK;
}

/* totalResults and resultsPerPage of an API response page. */
static int
nvd_page_header(const char *path, struct nvd_header *h, struct vg_err *err)
{
	struct vg_jstream_ops ops = {nvd_select, nvd_record, h, 0};
	struct vg_feed_in in;
	int rc;

	h->total = h->per_page = -1;
	rc = vg_feed_in_open(&in, path, err);
	if (rc < 0)
		return rc;
	rc = vg_jstream_read(&in, &ops, err);
	vg_feed_in_close(&in);
	if (rc == VG_OK && (h->total < 0 || h->per_page < 0))
		rc = vg_error(err, VG_EINVAL, "%s: not an NVD API page (no totalResults)", path);
	return rc;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* "YYYY-MM-DDTHH:MM:SS" (UTC) of @t. */
static void
iso_utc(time_t t, char *out, size_t cap)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
}

static time_t
parse_iso_utc(const char *s)
{
	int64_t t;

	return vg_time_parse_iso(s, &t) == VG_OK ? (time_t)t : 0;
}

/* Download one page (retrying what NVD's rate limiting and outages cause) and import it. */
static int
nvd_page(const struct run *r, struct tally *t, struct item *it, struct nvd_header *h)
{
	const char *key = getenv("NVD_API_KEY");
	char *auth = key && *key ? xasprintf("apiKey: %s", key) : NULL;
	const char *headers[] = {auth, NULL};
	struct vg_fetch_opts fo = {.max_bytes = it->cap,
				   .flags = it->fetch_flags | VG_FETCH_UNCONDITIONAL |
					    VG_FETCH_NO_RESUME,
				   .headers = headers,
				   .progress = fetch_progress,
				   .pctx = (void *)(uintptr_t)r};
	enum vg_fetch_outcome outcome;
	struct vg_err err;
	bool imported;
	int rc = VG_EIO;

	note(r, it->name, "downloading %s", it->url);
	for (int attempt = 0; attempt < 3 && rc != VG_OK; attempt++) {
		if (attempt > 0)
			sleep_ms(5 * r->nvd_delay_ms);
		rc = vg_fetch_file(it->url, it->path, &fo, &outcome, &err);
	}
	free(auth);
	if (rc < 0) {
		fail(r, t, it->name, err.msg);
		return rc;
	}
	rc = import_item(r, t, it, &imported);
	if (rc == VG_OK && (rc = nvd_page_header(it->path, h, &err)) < 0)
		fail(r, t, it->name, err.msg);
	return rc;
}

static void
sync_nvd(const struct run *r, const struct vg_sync_source *s, struct tally *t)
{
	char *api = official_url(r, s->urls[0]);
	char *state = xasprintf("%s/nvd/.nvd-sync.meta", r->cache);
	struct vg_fetch_meta m = {0};
	time_t now = time(NULL), since = 0;
	char from[32], to[32];
	char *window = vg_xstrdup("");
	struct item it = {
		s->name,           NULL, xasprintf("%s/nvd/.nvd-page.json", r->cache), s->max_bytes,
		official_flags(r), true};
	struct vg_err err;
	long index = 0;
	int rc = VG_OK;

	if (vg_fetch_meta_read(state, &m, NULL) == VG_OK && m.url && strcmp(m.url, api) == 0)
		since = parse_iso_utc(m.last_modified);
	vg_fetch_meta_release(&m);
	if (since > 0 && now - since < (NVD_MAX_WINDOW_DAYS - 1) * 86400L && !r->fresh &&
	    !r->o->force) {
		iso_utc(since, from, sizeof(from));
		iso_utc(now, to, sizeof(to));
		free(window);
		window = xasprintf(
			"&lastModStartDate=%s.000%%2B00:00&lastModEndDate=%s.000%%2B00:00", from,
			to);
	}
	t->items++;
	if (r->o->dry_run) {
		note(r, s->name, "would query %s?resultsPerPage=%d%s (%s)", api, NVD_PAGE, window,
		     window[0] ? "changes since the last sync" : "everything");
		goto out;
	}
	if (make_parent_dirs(it.path, &err) < 0) {
		fail(r, t, s->name, err.msg);
		goto out;
	}
	for (;;) {
		struct nvd_header h;

		it.url = xasprintf("%s?resultsPerPage=%d&startIndex=%ld%s", api, NVD_PAGE, index,
				   window);
		rc = nvd_page(r, t, &it, &h);
		free(it.url);
		it.url = NULL;
		if (rc < 0)
			break;
		index += h.per_page;
		if (h.per_page <= 0 || index >= h.total)
			break;
		sleep_ms(r->nvd_delay_ms);
	}
	unlink(it.path);
	if (rc == VG_OK) {
		iso_utc(now, to, sizeof(to));
		m.url = api;
		m.last_modified = to;
		m.fetched_at = (int64_t)now;
		m.imported = true;
		if (vg_fetch_meta_write(state, &m, &err) < 0)
			note(r, s->name, "cannot remember the sync time: %s", err.msg);
	}
out:
	item_release(&it);
	free(window);
	free(state);
	free(api);
}

/* ---- the run ---------------------------------------------------------------------- */

static bool
selected(const struct vg_sync_opts *o, const char *name)
{
	if (!o->only)
		return true;
	for (size_t i = 0; o->only[i]; i++)
		if (strcmp(o->only[i], name) == 0)
			return true;
	return false;
}

static void
sync_source(struct run *r, const struct vg_sync_source *s)
{
	struct tally t = {0};

	if (r->mirror) {
		sync_mirror(r, s, r->o->only != NULL, &t);
	} else {
		switch (s->kind) {
		case VG_SYNC_FILES:
			sync_files(r, s, &t);
			break;
		case VG_SYNC_ALPINE:
			sync_alpine(r, s, &t);
			break;
		case VG_SYNC_OSV:
			sync_osv(r, s, &t);
			break;
		case VG_SYNC_NVD:
			sync_nvd(r, s, &t);
			break;
		}
	}
	if (t.failed)
		r->res->failed++;
	else if (t.items)
		r->res->ok++;
	if (!t.failed && t.items && t.up_to_date == t.items)
		r->res->up_to_date++;
}

/* Hold <cache>/.lock for the run: two syncs would share .part files. */
static int
lock_cache(const char *cache, int *fd, struct vg_err *err)
{
	char *path = xasprintf("%s/.lock", cache);
	int rc = VG_OK;

	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0)
		rc = vg_error(err, VG_EIO, "cannot create '%s': %s", path, strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB) != 0)
		rc = vg_error(err, VG_EEXIST, "another 'vigil feeds sync' is using '%s'", cache);
	if (rc < 0 && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	free(path);
	return rc;
}

static int
run_init(struct run *r, struct vg_err *err)
{
	const char *delay = getenv("VIGIL_FEEDS_NVD_DELAY_MS");
	const char *key = getenv("NVD_API_KEY");
	int64_t n = 0;
	int rc;

	r->cache = r->o->cache_dir ? vg_xstrdup(r->o->cache_dir) : vg_sync_cache_dir(r->o->db_path);
	/* Undocumented, for the tests: serve the official URLs from a local web server. */
	r->base = getenv("VIGIL_FEEDS_BASE_URL");
	if (r->base && !is_http_url(r->base))
		r->base = NULL;
	/* NVD asks for about 6 s between requests without a key (5 per 30 s), less with one. */
	r->nvd_delay_ms = key && *key ? 1000 : 6000;
	if (delay && *delay)
		r->nvd_delay_ms = strtol(delay, NULL, 10);
	if (r->o->mirror) {
		rc = vg_mirror_open(r->o->mirror, &r->mirror, err);
		if (rc < 0)
			return rc;
	}
	if (r->store && !r->o->dry_run) {
		rc = r->store->nsources(r->store->ctx, &n, err);
		if (rc < 0)
			return rc;
		r->fresh = n == 0;
	}
	return VG_OK;
}

int
vg_sync_run(const struct vg_sync_store *store, const struct vg_sync_opts *o,
	    const struct vg_sync_ui *ui, struct vg_sync_result *res, struct vg_err *err)
{
	struct run r = {store, o, ui, NULL, NULL, NULL, false, 0, res};
	int lock = -1, rc;

	memset(res, 0, sizeof(*res));
	if (!store && !o->dry_run)
		return vg_error(err, VG_EINVAL, "no store to sync into");
	rc = run_init(&r, err);
	if (rc == VG_OK && !o->dry_run) {
		char *probe = xasprintf("%s/.lock", r.cache);

		rc = make_parent_dirs(probe, err);
		free(probe);
		if (rc == VG_OK)
			rc = lock_cache(r.cache, &lock, err);
	}
	/* Also for a dry run: a web mirror's listings are read to make the plan. */
	if (rc == VG_OK && (rc = vg_fetch_init(err)) == VG_OK) {
		for (size_t i = 0; vg_sync_sources[i]; i++)
			if (selected(o, vg_sync_sources[i]->name))
				sync_source(&r, vg_sync_sources[i]);
		vg_fetch_cleanup();
	}
	if (lock >= 0)
		close(lock);
	vg_mirror_free(r.mirror);
	free(r.cache);
	return rc;
}
