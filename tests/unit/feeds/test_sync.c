/*
 * test_sync.c - src/feeds/sync.c and fetch.c without a network: the source
 * table, mirror resolution (against ../shared/data and a tree built here),
 * directory listings, download metadata files, the import walk, and
 * importing one file (plain and zip) into an in-memory store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ftw.h>
#include <unistd.h>
#include <zip.h>

#include "core/alloc.h"
#include "feeds/fetch.h"
#include "feeds/record.h"
#include "feeds/sync.h"
#include "vgtest.h"

/* ---- helpers --------------------------------------------------------------------- */

static char *
tmpdir(void)
{
	char tmpl[] = "/tmp/vg-test-sync-XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return vg_xstrdup(d);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rmtree(const char *dir)
{
	assert_int_equal(nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* Create @root/@rel (and its directories) with @content. */
static void
put_file(const char *root, const char *rel, const char *content)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void
resolve(const char *mirror, const char *source, struct vg_strlist *out)
{
	const struct vg_sync_source *s = vg_sync_source_find(source);
	struct vg_mirror *m;
	struct vg_err err;

	assert_non_null(s);
	assert_int_equal(vg_mirror_open(mirror, &m, &err), VG_OK);
	memset(out, 0, sizeof(*out));
	assert_int_equal(vg_sync_resolve(s, m, out, &err), VG_OK);
	vg_mirror_free(m);
}

/* Resolve and compare with the expected list (NULL-terminated). */
static void
expect_resolved(const char *mirror, const char *source, const char *const *want)
{
	struct vg_strlist got;
	size_t n = 0;

	resolve(mirror, source, &got);
	while (want[n])
		n++;
	for (size_t i = 0; i < got.n; i++)
		if (i >= n || strcmp(got.v[i], want[i]) != 0)
			fail_msg("%s: file %zu is '%s', want '%s'", source, i, got.v[i],
				 i < n ? want[i] : "(none)");
	assert_int_equal(got.n, n);
	vg_strlist_release(&got);
}

/* ---- the source table ---------------------------------------------------------------- */

static void
table_official_urls(void **state)
{
	static const struct {
		const char *name, *url;
	} want[] = {
		{"kev",
		 "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"},
		{"epss", "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"},
		{"debian-dsa", "https://salsa.debian.org/security-tracker-team/security-tracker/-/"
			       "raw/main/data/DSA/list"},
		{"debian-dla", "https://salsa.debian.org/security-tracker-team/security-tracker/-/"
			       "raw/main/data/DLA/list"},
		{"debian-tracker", "https://security-tracker.debian.org/tracker/data/json"},
		{"alpine", "https://secdb.alpinelinux.org/"},
		{"wolfi", "https://packages.wolfi.dev/os/security.json"},
		{"osv", "https://osv-vulnerabilities.storage.googleapis.com/"},
		{"nvd", "https://services.nvd.nist.gov/rest/json/cves/2.0"},
	};
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(want); i++) {
		const struct vg_sync_source *s = vg_sync_source_find(want[i].name);

		assert_non_null(s);
		assert_string_equal(s->urls[0], want[i].url);
	}
	for (; vg_sync_sources[n]; n++) {
		const struct vg_sync_source *s = vg_sync_sources[n];

		assert_non_null(s->title);
		assert_non_null(s->mirror_dir);
		assert_true(s->max_bytes >= 1024 * 1024);
		for (size_t k = 0; s->urls[k]; k++)
			assert_true(strncmp(s->urls[k], "https://", 8) == 0);
		if (s->kind == VG_SYNC_FILES) {
			assert_non_null(s->files);
			for (size_t k = 0; s->urls[k]; k++)
				assert_non_null(s->files[k]);
		}
	}
	assert_int_equal(n, VG_ARRAY_LEN(want));
	assert_null(vg_sync_source_find("kevv"));
	assert_string_equal(vg_sync_osv_ecosystems[0], "PyPI");
}

/* The cache is laid out as a mirror: each official file is what the mirror rule finds. */
static void
table_cache_is_a_mirror(void **state)
{
	char *dir = tmpdir();

	(void)state;
	for (size_t i = 0; vg_sync_sources[i]; i++) {
		const struct vg_sync_source *s = vg_sync_sources[i];

		for (size_t k = 0; s->kind == VG_SYNC_FILES && s->files[k]; k++)
			put_file(dir, s->files[k], "x");
	}
	put_file(dir, "alpine-secdb/alpine-v3.20-main.json", "x"); /* as sync_alpine names it */
	put_file(dir, "osv/PyPI/all.zip", "x");
	put_file(dir, "osv/PyPI/.all.zip.meta", "x"); /* metadata: never data */
	put_file(dir, "nvd/.nvd-sync.meta", "x");
	for (size_t i = 0; vg_sync_sources[i]; i++) {
		const struct vg_sync_source *s = vg_sync_sources[i];
		const char *one[2] = {NULL, NULL};

		if (s->kind == VG_SYNC_FILES)
			one[0] = s->files[0];
		else if (s->kind == VG_SYNC_ALPINE)
			one[0] = "alpine-secdb/alpine-v3.20-main.json";
		else if (s->kind == VG_SYNC_OSV)
			one[0] = "osv/PyPI/all.zip";
		expect_resolved(dir, s->name, one); /* NVD pages are not kept */
	}
	rmtree(dir);
	free(dir);
}

/* ---- mirror resolution on the shared data ----------------------------------------------- */

static void
mirror_shared_data(void **state)
{
	static const char *const kev[] = {"kev/known_exploited_vulnerabilities.json", NULL};
	static const char *const epss[] = {"epss/epss_scores-2026-08-16.csv", NULL};
	static const char *const dsa[] = {
		"debian-security-tracker/salsa-format_2023-04/data/DSA/list", NULL};
	static const char *const dla[] = {
		"debian-security-tracker/salsa-format_2023-04/data/DLA/list", NULL};
	/* Both tracker-json directories are fixtures: the greater name wins. */
	static const char *const tracker[] = {
		"debian-security-tracker/tracker-json_fixture_vunnel/debian.json", NULL};
	static const char *const alpine[] = {"alpine-secdb/trivy-db_vuln-list_alpine_ansible.json",
					     "alpine-secdb/vunnel_alpine_v3.15_community.yaml",
					     "alpine-secdb/vunnel_alpine_v3.15_main.yaml", NULL};
	static const char *const wolfi[] = {"alpine-secdb/vunnel_wolfi_security.json", NULL};
	char *root = vgt_shared_path("");
	struct vg_strlist l;

	(void)state;
	expect_resolved(root, "kev", kev);
	expect_resolved(root, "epss", epss);
	expect_resolved(root, "debian-dsa", dsa);
	expect_resolved(root, "debian-dla", dla);
	expect_resolved(root, "debian-tracker", tracker);
	expect_resolved(root, "alpine", alpine);
	expect_resolved(root, "wolfi", wolfi);
	/* `find osv -type f ! -name 'LICENSE*'`: 479 records; first and last in byte order. */
	resolve(root, "osv", &l);
	assert_int_equal(l.n, 479);
	assert_string_equal(l.v[0],
			    "osv/ghsa-go_from-golang-vulndb-testdata/GHSA-28r2-q6m8-9hpx.json");
	assert_string_equal(l.v[l.n - 1], "osv/ubuntu-osv_from-vunnel-testdata/USN-5614-1.json");
	vg_strlist_release(&l);
	/* `find nvd -type f ! -name 'LICENSE*'`: 62 (the .meta file is data to the rules; the
	 * importers skip it as unrecognised). */
	resolve(root, "nvd", &l);
	assert_int_equal(l.n, 62);
	for (size_t i = 0; i < l.n; i++)
		assert_null(strstr(l.v[i], "LICENSE"));
	vg_strlist_release(&l);
	free(root);
}

/* ---- mirror rules on a tree built here ---------------------------------------------- */

static void
mirror_rules(void **state)
{
	static const char *const epss[] = {"epss/epss_scores-2025-03-04.csv.gz", NULL};
	static const char *const dsa[] = {"debian-security-tracker/snap-2024/data/DSA/list", NULL};
	static const char *const dla[] = {"debian-security-tracker/zz_fixture/data/DLA/list", NULL};
	static const char *const tracker[] = {
		"debian-security-tracker/tracker-json_fixture_b/a.json",
		"debian-security-tracker/tracker-json_fixture_b/x.json", NULL};
	static const char *const alpine[] = {"alpine-secdb/v3.19-main.json",
					     "alpine-secdb/v3.19-main.yaml", NULL};
	static const char *const wolfi[] = {"alpine-secdb/wolfi.json", NULL};
	static const char *const osv[] = {"osv/a/GO-1.json", "osv/b/c/d.json", NULL};
	static const char *const none[] = {NULL};
	char *dir = tmpdir(), *dir2 = tmpdir();
	static const char *const current[] = {"epss/epss_scores-current.csv.gz", NULL};

	(void)state;
	put_file(dir, "epss/epss_scores-2024-01-02.csv", "");
	put_file(dir, "epss/epss_scores-2025-03-04.csv.gz", "");
	put_file(dir, "epss/epss_scores-current.csv.gz", ""); /* a dated file is preferred */
	put_file(dir, "epss/epss_scores-2025-13-xx.csv", ""); /* not a date */
	put_file(dir, "epss/fixtures/epss_scores-2099-01-01.csv", "");
	put_file(dir, "debian-security-tracker/a_fixture/data/DSA/list", "");
	put_file(dir, "debian-security-tracker/snap-2023/data/DSA/list", "");
	put_file(dir, "debian-security-tracker/snap-2024/data/DSA/list", "");
	put_file(dir, "debian-security-tracker/zz_fixture/data/DSA/list", "");
	put_file(dir, "debian-security-tracker/zz_fixture/data/DLA/list", ""); /* only one */
	put_file(dir, "debian-security-tracker/.git/data/DLA/list", "");
	put_file(dir, "debian-security-tracker/tracker-json_fixture_a/y.json", "");
	put_file(dir, "debian-security-tracker/tracker-json_fixture_b/x.json", "");
	put_file(dir, "debian-security-tracker/tracker-json_fixture_b/a.json", "");
	put_file(dir, "debian-security-tracker/tracker-json_fixture_b/LICENSE", "");
	put_file(dir, "alpine-secdb/v3.19-main.json", "");
	put_file(dir, "alpine-secdb/v3.19-main.yaml", "");
	put_file(dir, "alpine-secdb/wolfi.json", "");
	put_file(dir, "alpine-secdb/README.md", "");
	put_file(dir, "alpine-secdb/.hidden.json", "");
	put_file(dir, "alpine-secdb/sub/v3.18-main.json", ""); /* GLOB is not recursive */
	put_file(dir, "osv/a/GO-1.json", "");
	put_file(dir, "osv/a/testdata/bad.json", "");
	put_file(dir, "osv/a/fixtures/bad.json", "");
	put_file(dir, "osv/.git/x.json", "");
	put_file(dir, "osv/b/c/d.json", "");
	put_file(dir, "osv/b/NOTICE", "");
	expect_resolved(dir, "epss", epss);
	expect_resolved(dir, "debian-dsa", dsa);
	expect_resolved(dir, "debian-dla", dla);
	expect_resolved(dir, "debian-tracker", tracker);
	expect_resolved(dir, "alpine", alpine);
	expect_resolved(dir, "wolfi", wolfi);
	expect_resolved(dir, "osv", osv);
	expect_resolved(dir, "kev", none); /* absent: an empty list, not an error */
	expect_resolved(dir, "nvd", none);
	put_file(dir2, "epss/epss_scores-current.csv.gz", "");
	expect_resolved(dir2, "epss", current);
	rmtree(dir);
	rmtree(dir2);
	free(dir);
	free(dir2);
}

static void
mirror_open_and_locate(void **state)
{
	struct vg_mirror *m;
	struct vg_err err;
	char *s;

	(void)state;
	assert_int_equal(vg_mirror_open("/nonexistent/mirror", &m, &err), VG_ENOTFOUND);
	assert_null(m);
	assert_int_equal(vg_mirror_open("http://127.0.0.1:1/base", &m, &err), VG_OK);
	assert_true(vg_mirror_is_url(m));
	s = vg_mirror_locate(m, "osv/Rocky Linux/all.zip");
	assert_string_equal(s, "http://127.0.0.1:1/base/osv/Rocky%20Linux/all.zip");
	free(s);
	vg_mirror_free(m);
	assert_int_equal(vg_mirror_open("/tmp/", &m, &err), VG_OK);
	assert_false(vg_mirror_is_url(m));
	s = vg_mirror_locate(m, "kev/x.json");
	assert_string_equal(s, "/tmp/kev/x.json");
	free(s);
	vg_mirror_free(m);
}

/* ---- directory listings -------------------------------------------------------------- */

static void
listing_formats(void **state)
{
	/* python3 -m http.server */
	static const char python[] =
		"<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<title>Directory listing for /osv/"
		"</title>\n</head>\n<body>\n<h1>Directory listing for /osv/</h1>\n<hr>\n<ul>\n"
		"<li><a href=\"Rocky%20Linux/\">Rocky Linux/</a></li>\n"
		"<li><a href=\"PyPI/\">PyPI/</a></li>\n"
		"<li><a href=\"a%26b.json\">a&amp;b.json</a></li>\n"
		"<li><a href=\".all.zip.meta\">.all.zip.meta</a></li>\n</ul>\n<hr>\n</body>\n</html>\n";
	/* nginx autoindex */
	static const char nginx[] =
		"<html>\r\n<head><title>Index of /</title></head>\r\n<body>\r\n<h1>Index of /</h1>"
		"<hr><pre><a href=\"../\">../</a>\r\n<a href=\"edge/\">edge/</a>                     "
		"01-Jan-2026 00:00    -\r\n<a href=\"v3.9/\">v3.9/</a>\r\n<a href=\"v3.22/\">v3.22/"
		"</a>\r\n<a href=\"v3.21/\">v3.21/</a>\r\n</pre><hr></body>\r\n</html>\r\n";
	/* Apache mod_autoindex: sort links, an absolute parent link, an icon */
	static const char apache[] =
		"<table><tr><th><a href=\"?C=N;O=D\">Name</a></th><th><a href=\"?C=M;O=A\">Last "
		"modified</a></th></tr><tr><td><a href=\"/feeds/\">Parent Directory</a></td></tr>"
		"<tr><td><img src=\"/icons/text.gif\"></td><td><a href='list'>list</a></td></tr>"
		"<tr><td><a href=\"https://example.org/x\">x</a><a href=./main.json>main.json</a>"
		"<a HREF = \"sub/dir/deep.json\">deep</a><a href=\"%00x\">nul</a></td></tr></table>";
	static const char *const want_python[] = {".all.zip.meta", "PyPI/", "Rocky Linux/",
						  "a&b.json"};
	static const char *const want_nginx[] = {"edge/", "v3.21/", "v3.22/", "v3.9/"};
	static const char *const want_apache[] = {"list", "main.json"};
	struct vg_strlist l = {0};

	(void)state;
	vg_mirror_parse_listing(python, strlen(python), &l);
	assert_int_equal(l.n, VG_ARRAY_LEN(want_python));
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i], want_python[i]);
	vg_strlist_release(&l);
	vg_mirror_parse_listing(nginx, strlen(nginx), &l);
	assert_int_equal(l.n, VG_ARRAY_LEN(want_nginx));
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i], want_nginx[i]);
	vg_strlist_release(&l);
	vg_mirror_parse_listing(apache, strlen(apache), &l);
	assert_int_equal(l.n, VG_ARRAY_LEN(want_apache));
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i], want_apache[i]);
	vg_strlist_release(&l);
	/* Truncated input ends cleanly. */
	vg_mirror_parse_listing("<a href=\"abc", 12, &l);
	vg_mirror_parse_listing("<a href=", 8, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "abc");
	vg_strlist_release(&l);
}

static void
skip_rules(void **state)
{
	static const char *const skipped[] = {".hidden",   "LICENSE", "LICENSE-anchore-vunnel",
					      "NOTICE.md", "README",  "readme.txt",
					      "notes.md"};
	static const char *const kept[] = {"known_exploited_vulnerabilities.json", "list",
					   "epss_scores-2026-08-16.csv", "all.zip", "DSA"};

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(skipped); i++)
		assert_true(vg_sync_skip_file(skipped[i]));
	for (size_t i = 0; i < VG_ARRAY_LEN(kept); i++)
		assert_false(vg_sync_skip_file(kept[i]));
	assert_true(vg_sync_skip_mirror_dir("fixtures"));
	assert_true(vg_sync_skip_mirror_dir("testdata"));
	assert_true(vg_sync_skip_mirror_dir("test-fixtures"));
	assert_true(vg_sync_skip_mirror_dir(".git"));
	assert_false(vg_sync_skip_mirror_dir("osv.dev-testdata"));
	assert_false(vg_sync_skip_mirror_dir("tracker-json_fixture_vunnel"));
}

/* ---- metadata files ------------------------------------------------------------------ */

static void
meta_round_trip(void **state)
{
	char *dir = tmpdir(), *path, *mp;
	struct vg_fetch_meta m = {0}, back;
	struct vg_err err;
	FILE *f;

	(void)state;
	mp = vg_fetch_meta_path("/a/b/c.json");
	assert_string_equal(mp, "/a/b/.c.json.meta");
	free(mp);
	mp = vg_fetch_meta_path("c.json");
	assert_string_equal(mp, ".c.json.meta");
	free(mp);
	path = vg_xmalloc(strlen(dir) + 32);
	snprintf(path, strlen(dir) + 32, "%s/kev.json", dir);
	mp = vg_fetch_meta_path(path);
	assert_int_equal(vg_fetch_meta_read(mp, &back, &err), VG_ENOTFOUND);
	vg_fetch_meta_release(&back);
	m.url = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
	m.etag = "W/\"6712ab-5f2: x\"";
	m.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
	m.size = 1268203;
	m.fetched_at = 1786000000;
	m.imported = true;
	assert_int_equal(vg_fetch_meta_write(mp, &m, &err), VG_OK);
	assert_int_equal(vg_fetch_meta_read(mp, &back, &err), VG_OK);
	assert_string_equal(back.url, m.url);
	assert_string_equal(back.etag, m.etag);
	assert_string_equal(back.last_modified, m.last_modified);
	assert_int_equal(back.size, 1268203);
	assert_int_equal(back.fetched_at, 1786000000);
	assert_true(back.imported);
	vg_fetch_meta_release(&back);
	/* Absent fields stay absent. */
	m.etag = NULL;
	m.imported = false;
	assert_int_equal(vg_fetch_meta_write(mp, &m, &err), VG_OK);
	assert_int_equal(vg_fetch_meta_read(mp, &back, &err), VG_OK);
	assert_null(back.etag);
	assert_string_equal(back.last_modified, m.last_modified);
	assert_false(back.imported);
	vg_fetch_meta_release(&back);
	/* A value with a newline would forge a field: refused, file unchanged. */
	m.etag = "\"a\"\nimported: 1";
	assert_int_equal(vg_fetch_meta_write(mp, &m, &err), VG_EINVAL);
	assert_int_equal(vg_fetch_meta_read(mp, &back, &err), VG_OK);
	assert_false(back.imported);
	vg_fetch_meta_release(&back);
	/* Not a metadata file; a malformed one. */
	f = fopen(mp, "w");
	assert_non_null(f);
	fputs("{\"etag\": 1}\n", f);
	fclose(f);
	assert_int_equal(vg_fetch_meta_read(mp, &back, &err), VG_EINVAL);
	vg_fetch_meta_release(&back);
	f = fopen(mp, "w");
	assert_non_null(f);
	fputs("vigil-fetch-meta 1\nsize: 12x\n", f);
	fclose(f);
	assert_int_equal(vg_fetch_meta_read(mp, &back, &err), VG_EINVAL);
	vg_fetch_meta_release(&back);
	free(mp);
	free(path);
	rmtree(dir);
	free(dir);
}

static void
cache_dir(void **state)
{
	char *s;

	(void)state;
	s = vg_sync_cache_dir("/var/lib/vigil/vigil.db");
	assert_string_equal(s, "/var/lib/vigil/feeds-cache");
	free(s);
	s = vg_sync_cache_dir("vigil.db");
	assert_string_equal(s, "feeds-cache");
	free(s);
}

/* Unsupported URLs are refused before any network use. */
static void
fetch_refuses(void **state)
{
	struct vg_fetch_opts o = {.flags = VG_FETCH_HTTPS_ONLY};
	enum vg_fetch_outcome out;
	struct vg_err err;

	(void)state;
	assert_int_equal(vg_fetch_init(&err), VG_OK);
	assert_int_equal(vg_fetch_file("http://example.org/x", "/tmp/x", &o, &out, &err),
			 VG_EINVAL);
	assert_non_null(strstr(err.msg, "only https://"));
	assert_int_equal(vg_fetch_file("file:///etc/passwd", "/tmp/x", NULL, &out, &err),
			 VG_EINVAL);
	assert_int_equal(vg_fetch_file("ftp://example.org/x", "/tmp/x", NULL, &out, &err),
			 VG_EINVAL);
	vg_fetch_cleanup();
}

/* ---- the import walk ----------------------------------------------------------------- */

static int
collect(const char *file, void *ctx)
{
	vg_strlist_add(ctx, file);
	return VG_OK;
}

static void
walk_order(void **state)
{
	char *dir = tmpdir();
	static const char *const want[] = {"A.json", "b/c/z.json", "b/y.json", "fixtures/keep.csv"};
	struct vg_strlist l = {0};
	struct vg_err err;

	(void)state;
	put_file(dir, "b/y.json", "");
	put_file(dir, "b/c/z.json", "");
	put_file(dir, "A.json", "");
	put_file(dir, "LICENSE", "");
	put_file(dir, "NOTICE.txt", "");
	put_file(dir, "README.md", "");
	put_file(dir, "doc.md", "");
	put_file(dir, ".hidden", "");
	put_file(dir, ".git/config", "");
	put_file(dir, "b/LICENSE-data.json", "");
	put_file(dir, "fixtures/keep.csv", ""); /* unlike a mirror walk, import enters fixtures */
	assert_int_equal(vg_sync_walk(dir, collect, &l, &err), VG_OK);
	assert_int_equal(l.n, VG_ARRAY_LEN(want));
	for (size_t i = 0; i < VG_ARRAY_LEN(want); i++) {
		char exp[512];

		snprintf(exp, sizeof(exp), "%s/%s", dir, want[i]);
		assert_string_equal(l.v[i], exp);
	}
	vg_strlist_release(&l);
	/* A file given directly is imported whatever its name. */
	put_file(dir, "README.md", "x");
	{
		char one[512];

		snprintf(one, sizeof(one), "%s/README.md", dir);
		assert_int_equal(vg_sync_walk(one, collect, &l, &err), VG_OK);
		assert_int_equal(l.n, 1);
		vg_strlist_release(&l);
	}
	assert_int_equal(vg_sync_walk("/nonexistent/x", collect, &l, &err), VG_ENOTFOUND);
	rmtree(dir);
	free(dir);
}

/* ---- importing into an in-memory store ---------------------------------------------- */

struct fake {
	int begins, commits, rollbacks, sink_begins, sink_ends;
	bool fail_commit;
	int64_t vulns, affected, kev, epss;
	uint64_t ended_records;
	char name[128], path[512], format[64];
};

static int
f_src_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct fake *f = ctx;

	(void)err;
	f->sink_begins++;
	snprintf(f->name, sizeof(f->name), "%s", src->name);
	snprintf(f->path, sizeof(f->path), "%s", src->path ? src->path : "");
	snprintf(f->format, sizeof(f->format), "%s", src->format);
	return VG_OK;
}

static int
f_src_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct fake *f = ctx;

	(void)src;
	(void)err;
	f->sink_ends++;
	f->ended_records += n;
	return VG_OK;
}

static int
f_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	(void)v;
	(void)err;
	((struct fake *)ctx)->vulns++;
	return VG_OK;
}

static int
f_aff(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	(void)a;
	(void)err;
	((struct fake *)ctx)->affected++;
	return VG_OK;
}

static int
f_kev(void *ctx, const struct vg_kev *k, struct vg_err *err)
{
	(void)k;
	(void)err;
	((struct fake *)ctx)->kev++;
	return VG_OK;
}

static int
f_epss(void *ctx, const struct vg_epss *e, struct vg_err *err)
{
	(void)e;
	(void)err;
	((struct fake *)ctx)->epss++;
	return VG_OK;
}

static int
f_txn_begin(void *ctx, struct vg_err *err)
{
	(void)err;
	((struct fake *)ctx)->begins++;
	return VG_OK;
}

static int
f_txn_commit(void *ctx, struct vg_err *err)
{
	struct fake *f = ctx;

	if (f->fail_commit)
		return vg_error(err, VG_EIO, "disk full");
	f->commits++;
	return VG_OK;
}

static void
f_txn_rollback(void *ctx)
{
	((struct fake *)ctx)->rollbacks++;
}

static void
f_sink(void *ctx, struct vg_feed_sink *sink, void (*warn)(void *wctx, const char *msg), void *wctx)
{
	(void)wctx;
	*sink = (struct vg_feed_sink){ctx,   f_src_begin, f_vuln,    f_aff,
				      f_kev, f_epss,      f_src_end, NULL};
	(void)warn;
}

static struct vg_sync_store
fake_store(struct fake *f)
{
	return (struct vg_sync_store){f,      f_txn_begin, f_txn_commit, f_txn_rollback,
				      f_sink, NULL,        NULL};
}

static void
import_kev(void **state)
{
	char *kev = vgt_shared_path("kev/known_exploited_vulnerabilities.json");
	struct fake f = {0};
	struct vg_sync_store st = fake_store(&f);
	struct vg_import_stats stats;
	struct vg_err err;
	json_error_t jerr;
	json_t *doc = json_load_file(kev, 0, &jerr);
	int64_t want;

	(void)state;
	assert_non_null(doc);
	/* The independent count: the catalog's array (its "count" says 1404 too). */
	want = (int64_t)json_array_size(json_object_get(doc, "vulnerabilities"));
	assert_int_equal(want, json_integer_value(json_object_get(doc, "count")));
	json_decref(doc);
	assert_int_equal(vg_sync_import_file(&st, kev, NULL, &stats, &err), VG_OK);
	assert_string_equal(stats.format, "kev-json");
	assert_int_equal(f.kev, want);
	assert_int_equal(stats.records, (uint64_t)want);
	assert_int_equal(f.begins, 1);
	assert_int_equal(f.commits, 1);
	assert_int_equal(f.rollbacks, 0);
	assert_string_equal(f.name, "kev");
	/* A failing commit is rolled back and reported. */
	memset(&f, 0, sizeof(f));
	f.fail_commit = true;
	assert_int_equal(vg_sync_import_file(&st, kev, NULL, &stats, &err), VG_EIO);
	assert_int_equal(f.rollbacks, 1);
	assert_string_equal(err.msg, "disk full");
	free(kev);
}

static void
import_unrecognised_and_broken(void **state)
{
	char *lic = vgt_shared_path("kev/LICENSE");
	char *dir = tmpdir(), path[512];
	struct fake f = {0};
	struct vg_sync_store st = fake_store(&f);
	struct vg_import_stats stats;
	struct vg_err err;

	(void)state;
	assert_int_equal(vg_sync_import_file(&st, lic, NULL, &stats, &err), VG_EUNSUPPORTED);
	assert_null(stats.format);
	assert_int_equal(f.begins, 0); /* detection happens before the transaction */
	/* A KEV catalog cut in the middle: recognised, fails, rolled back. */
	snprintf(path, sizeof(path), "%s/kev.json", dir);
	put_file(
		dir, "kev.json",
		"{\"title\": \"CISA Catalog of Known Exploited Vulnerabilities\", "
		"\"catalogVersion\": \"2025.08.25\", \"dateReleased\": \"2025-08-25\", \"count\": 2, "
		"\"vulnerabilities\": [{\"cveID\": \"CVE-2021-44228\", \"vendorProject\": ");
	assert_true(vg_sync_import_file(&st, path, NULL, &stats, &err) < 0);
	assert_string_equal(stats.format, "kev-json");
	assert_int_equal(f.begins, 1);
	assert_int_equal(f.commits, 0);
	assert_int_equal(f.rollbacks, 1);
	assert_non_null(strstr(err.msg, path));
	rmtree(dir);
	free(dir);
	free(lic);
}

/* An OSV ecosystem archive: every entry in one transaction, stored as "osv:ECO". */
static void
import_zip(void **state)
{
	static const char *const recs[] = {"GO-2020-0001.json", "GO-2021-0053.json",
					   "GO-2022-0191.json"};
	char *dir = tmpdir(), zpath[512];
	struct fake f = {0};
	struct vg_sync_store st = fake_store(&f);
	struct vg_import_stats stats;
	struct vg_err err;
	int zerr;
	zip_t *z;

	(void)state;
	snprintf(zpath, sizeof(zpath), "%s/Go", dir);
	assert_int_equal(mkdir(zpath, 0755), 0);
	snprintf(zpath, sizeof(zpath), "%s/Go/all.zip", dir);
	z = zip_open(zpath, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	for (size_t i = 0; i < VG_ARRAY_LEN(recs); i++) {
		char rel[128];
		char *src;
		zip_source_t *zs;

		snprintf(rel, sizeof(rel), "osv/go-vulndb/%s", recs[i]);
		src = vgt_shared_path(rel);
		zs = zip_source_file(z, src, 0, -1);
		assert_non_null(zs);
		assert_true(zip_file_add(z, recs[i], zs, ZIP_FL_ENC_UTF_8) >= 0);
		free(src);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(vg_sync_import_file(&st, zpath, NULL, &stats, &err), VG_OK);
	assert_string_equal(stats.format, "osv-json");
	assert_int_equal(f.begins, 1);
	assert_int_equal(f.commits, 1);
	assert_int_equal(f.sink_begins, 3);
	assert_int_equal(f.vulns, 3);
	assert_true(f.affected >= 3);
	assert_string_equal(f.name, "osv:Go");
	assert_string_equal(f.path, zpath);
	assert_int_equal(stats.records, f.ended_records);
	rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_official_urls),
		cmocka_unit_test(table_cache_is_a_mirror),
		cmocka_unit_test(mirror_shared_data),
		cmocka_unit_test(mirror_rules),
		cmocka_unit_test(mirror_open_and_locate),
		cmocka_unit_test(listing_formats),
		cmocka_unit_test(skip_rules),
		cmocka_unit_test(meta_round_trip),
		cmocka_unit_test(cache_dir),
		cmocka_unit_test(fetch_refuses),
		cmocka_unit_test(walk_order),
		cmocka_unit_test(import_kev),
		cmocka_unit_test(import_unrecognised_and_broken),
		cmocka_unit_test(import_zip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
