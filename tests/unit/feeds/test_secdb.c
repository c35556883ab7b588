/*
 * test_secdb.c - unit tests of src/feeds/secdb.c (Alpine and Wolfi secdb,
 * JSON and YAML, and vuln-list's one-package-per-file layout).
 *
 * The counts of statements were computed independently with python3
 * (yaml.safe_load / json.load, one statement per id of each secfixes entry
 * after dropping "(...)" remarks); each constant says so.  Small inline
 * documents cover what the real files do not: packages before the header,
 * edge, bad values, aliases, several documents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "feeds/feed.h"
#include "feeds/importers.h"
#include "vgtest.h"

#define DIR "alpine-secdb/"

/* ---- an in-memory sink --------------------------------------------------------- */

struct tsink {
	int begins, ends;
	char *name, *format;
	enum vg_feed_mode mode;
	bool snapshot_null, version_null;
	uint64_t end_n;
	char **stmts; /* "ns|package|vuln|status|fixed" */
	size_t n;
	size_t nfixed, nnot;
	int nwarn;
	char warn[512];
};

static int
t_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct tsink *t = ctx;

	(void)err;
	assert_int_equal(t->begins++, 0);
	t->name = vg_xstrdup(src->name);
	t->format = vg_xstrdup(src->format);
	t->mode = src->mode;
	t->snapshot_null = src->snapshot == NULL;
	t->version_null = src->version == NULL;
	return VG_OK;
}

static int
t_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct tsink *t = ctx;

	(void)err;
	assert_int_equal(t->begins, 1);
	assert_int_equal(t->ends++, 0);
	assert_string_equal(src->name, t->name);
	t->end_n = n;
	return VG_OK;
}

static int
t_affected(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	struct tsink *t = ctx;
	struct vg_buf b;

	(void)err;
	assert_int_equal(t->begins, 1);
	assert_int_equal(a->scheme, VG_VER_APK);
	assert_null(a->introduced);
	assert_null(a->last_affected);
	assert_null(a->exact);
	assert_null(a->advisory);
	if (a->status == VG_AFF_FIXED) {
		assert_non_null(a->fixed);
		t->nfixed++;
	} else {
		assert_int_equal(a->status, VG_AFF_NOT_AFFECTED);
		assert_null(a->fixed);
		t->nnot++;
	}
	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_buf_addf(&b, "%s|%s|%s|%s|%s", a->ns, a->package, a->vuln_id,
				     vg_aff_status_name(a->status), a->fixed ? a->fixed : "-"),
			 VG_OK);
	t->stmts = vg_xreallocarray(t->stmts, t->n + 1, sizeof(*t->stmts));
	t->stmts[t->n++] = vg_buf_detach(&b, NULL);
	vg_buf_release(&b);
	return VG_OK;
}

static void
t_warn(void *ctx, const char *msg)
{
	struct tsink *t = ctx;

	if (t->nwarn++ == 0)
		snprintf(t->warn, sizeof(t->warn), "%s", msg);
}

static struct vg_feed_sink
sink_of(struct tsink *t)
{
	return (struct vg_feed_sink){
		.ctx = t,
		.begin = t_begin,
		.affected = t_affected,
		.end = t_end,
		.warn = t_warn,
	};
}

static void
tsink_release(struct tsink *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->stmts[i]);
	free(t->stmts);
	free(t->name);
	free(t->format);
	memset(t, 0, sizeof(*t));
}

static bool
has(const struct tsink *t, const char *stmt)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->stmts[i], stmt) == 0)
			return true;
	return false;
}

static void
assert_has(const struct tsink *t, const char *stmt)
{
	if (!has(t, stmt)) {
		for (size_t i = 0; i < t->n; i++)
			print_message("  %s\n", t->stmts[i]);
		fail_msg("missing statement %s", stmt);
	}
}

/* Import a real file through detection, as `vigil feeds import` does. */
static const struct vg_importer *
import_shared(const char *rel, struct tsink *t, struct vg_err *err, int *rc)
{
	char *path = vgt_shared_path(rel);
	struct vg_feed_sink sink = sink_of(t);
	const struct vg_importer *imp = NULL;

	assert_int_equal(vg_feed_detect(path, &imp, err), VG_OK);
	vg_err_clear(err);
	*rc = vg_feed_import_file(path, &sink, NULL, NULL, err);
	free(path);
	return imp;
}

static int
import_mem(const struct vg_importer *imp, const char *text, struct tsink *t, struct vg_err *err)
{
	struct vg_feed_sink sink = sink_of(t);
	struct vg_feed_in in;
	int rc;

	vg_feed_in_open_mem(&in, "mem", text, strlen(text));
	vg_err_clear(err);
	rc = imp->import(&in, &sink, err);
	vg_feed_in_close(&in);
	return rc;
}

/* ---- the real files --------------------------------------------------------------- */

static void
alpine_main_yaml(void **state)
{
	struct tsink t = {0};
	struct vg_err err;
	int rc;

	(void)state;
	assert_ptr_equal(import_shared(DIR "vunnel_alpine_v3.15_main.yaml", &t, &err, &rc),
			 &vg_imp_secdb_yaml);
	assert_int_equal(rc, VG_OK);
	assert_string_equal(t.name, "alpine-secdb:v3.15/main");
	assert_string_equal(t.format, "secdb-yaml");
	assert_int_equal(t.mode, VG_FEED_REPLACE);
	assert_true(t.snapshot_null && t.version_null);
	/* python3: 5 packages, 13 ids, no "0" entry */
	assert_int_equal(t.n, 13);
	assert_int_equal(t.end_n, 13);
	assert_int_equal(t.nfixed, 13);
	assert_int_equal(t.nwarn, 0);
	assert_string_equal(t.stmts[0], "alpine:3.15|xz|CVE-2022-1271|fixed|5.2.5-r1");
	/* 5.4.2-r1 lists two CVEs. */
	assert_has(&t, "alpine:3.15|zsh|CVE-2018-1083|fixed|5.4.2-r1");
	assert_has(&t, "alpine:3.15|zsh|CVE-2018-1071|fixed|5.4.2-r1");
	assert_has(&t, "alpine:3.15|zsh|CVE-2021-45444|fixed|5.8.1-r0");
	assert_has(&t, "alpine:3.15|zlib|CVE-2022-37434|fixed|1.2.12-r2");
	assert_string_equal(t.stmts[12], "alpine:3.15|zstd|CVE-2021-24032|fixed|1.4.9-r0");
	tsink_release(&t);
}

static void
alpine_community_yaml(void **state)
{
	struct tsink t = {0};
	struct vg_err err;
	int rc;

	(void)state;
	assert_ptr_equal(import_shared(DIR "vunnel_alpine_v3.15_community.yaml", &t, &err, &rc),
			 &vg_imp_secdb_yaml);
	assert_int_equal(rc, VG_OK);
	assert_string_equal(t.name, "alpine-secdb:v3.15/community");
	/* python3: 2 packages, 3 ids */
	assert_int_equal(t.n, 3);
	assert_has(&t, "alpine:3.15|advancecomp|CVE-2019-9210|fixed|2.1-r2");
	assert_has(&t, "alpine:3.15|alpine|CVE-2020-14929|fixed|2.23-r0");
	assert_has(&t, "alpine:3.15|alpine|CVE-2021-38370|fixed|2.25-r0");
	tsink_release(&t);
}

static void
wolfi_json(void **state)
{
	struct tsink t = {0};
	struct vg_err err;
	int rc;

	(void)state;
	assert_ptr_equal(import_shared(DIR "vunnel_wolfi_security.json", &t, &err, &rc),
			 &vg_imp_secdb_json);
	assert_int_equal(rc, VG_OK);
	assert_string_equal(t.name, "wolfi-secdb");
	assert_string_equal(t.format, "secdb-json");
	/* python3: 27 packages, 59 ids: 53 fixed, 6 under version "0" */
	assert_int_equal(t.n, 59);
	assert_int_equal(t.end_n, 59);
	assert_int_equal(t.nfixed, 53);
	assert_int_equal(t.nnot, 6);
	assert_int_equal(t.nwarn, 0);
	assert_string_equal(t.stmts[0], "wolfi:rolling|binutils|CVE-2022-38126|fixed|2.39-r1");
	assert_has(&t, "wolfi:rolling|coreutils|CVE-2016-2781|not-affected|-");
	assert_has(&t, "wolfi:rolling|flex|CVE-2019-6293|not-affected|-");
	assert_has(&t, "wolfi:rolling|postgresql-15|CVE-2017-8806|not-affected|-");
	/* A non-CVE id is kept as its own vulnerability id. */
	assert_has(&t, "wolfi:rolling|apko|GHSA-jq35-85cj-fj4p|not-affected|-");
	assert_has(&t, "wolfi:rolling|apko|CVE-2023-45283|not-affected|-");
	assert_has(&t, "wolfi:rolling|dbus|CVE-2022-42012|fixed|1.14.4-r0");
	assert_has(&t, "wolfi:rolling|curl|CVE-2022-32221|fixed|7.86.0-r0");
	tsink_release(&t);
}

static void
vulnlist_package_json(void **state)
{
	struct tsink t = {0};
	struct vg_err err;
	int rc;

	(void)state;
	assert_ptr_equal(import_shared(DIR "trivy-db_vuln-list_alpine_ansible.json", &t, &err, &rc),
			 &vg_imp_secdb_json);
	assert_int_equal(rc, VG_OK);
	/* One package per file: the source is that package, so REPLACE touches only it. */
	assert_string_equal(t.name, "alpine-secdb:v3.12/main/ansible");
	/* python3: 8 ids (two in "CVE-2024-22195 GHSA-h5c8-rqwp-cp95", remarks dropped) */
	assert_int_equal(t.n, 8);
	assert_int_equal(t.nwarn, 0);
	assert_has(&t, "alpine:3.12|ansible|CVE-2019-14904|fixed|2.9.3-r0");
	assert_has(&t, "alpine:3.12|ansible|CVE-2024-22195|fixed|2.9.3-r0");
	assert_has(&t, "alpine:3.12|ansible|GHSA-h5c8-rqwp-cp95|fixed|2.9.3-r0");
	assert_has(&t, "alpine:3.12|ansible|CVE-2017-2616|fixed|2.9.3-r0");
	assert_has(&t, "alpine:3.12|ansible|GHSA-h6cc-rc6q-23j4|fixed|2.9.3-r0");
	assert_has(&t, "alpine:3.12|ansible|CVE-2020-1737|fixed|2.9.6-r0");
	tsink_release(&t);
}

/* ---- shapes and errors -------------------------------------------------------------- */

static void
json_variants(void **state)
{
	/* Packages before the header are held back; entries with text around the ids. */
	static const char late[] =
		"{\"packages\": [{\"pkg\": {\"name\": \"xen\", \"secfixes\": {"
		"\"4.16.1-r0\": [\"CVE-2022-23033 CVE-2022-23034, XSA-393\", \"XSA-394 "
		"(regression (fix)) cve-2022-26356\"], \"0\": \"CVE-2020-11740\", "
		"\"4.17.0-r1\": null, \"1.x\": [\"CVE-2022-1\"], \"4.18.0-r0\": [\"CVE-2023-1234 bug\", 7]"
		"}}}], \"reponame\": \"main\", \"distroversion\": \"edge\", \"archs\": [\"x86_64\"]}";
	static const char nover[] = "{\"urlprefix\": \"https://dl-cdn.alpinelinux.org/alpine\", "
				    "\"packages\": []}";
	static const char badver[] = "{\"distroversion\": \"3\", \"packages\": []}";
	static const char pkgobj[] = "{\"distroversion\": \"v3.18\", \"reponame\": \"main\", "
				     "\"packages\": {\"pkg\": {}}}";
	static const char noname[] = "{\"distroversion\": \"v3.18\", \"reponame\": \"main\", "
				     "\"packages\": [{\"pkg\": {\"name\": \"a\"}}, {\"pkg\": {}}]}";
	static const char badfixes[] = "{\"distroversion\": \"v3.18\", \"reponame\": \"main\", "
				       "\"packages\": [{\"pkg\": {\"name\": \"a\", \"secfixes\": "
				       "[1]}}]}";
	static const char mixed[] = "{\"distroversion\": \"v3.18\", \"name\": \"a\", \"secfixes\": "
				    "{}, \"packages\": [{\"pkg\": {\"name\": \"b\"}}]}";
	struct tsink t = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_mem(&vg_imp_secdb_json, late, &t, &err), VG_OK);
	assert_string_equal(t.name, "alpine-secdb:edge/main");
	assert_int_equal(t.n, 7);
	assert_has(&t, "alpine:edge|xen|CVE-2022-23033|fixed|4.16.1-r0");
	assert_has(&t, "alpine:edge|xen|CVE-2022-23034|fixed|4.16.1-r0");
	assert_has(&t, "alpine:edge|xen|XSA-393|fixed|4.16.1-r0");
	assert_has(&t, "alpine:edge|xen|XSA-394|fixed|4.16.1-r0");
	assert_has(&t, "alpine:edge|xen|CVE-2022-26356|fixed|4.16.1-r0");
	assert_has(&t, "alpine:edge|xen|CVE-2020-11740|not-affected|-");
	assert_has(&t, "alpine:edge|xen|CVE-2023-1234|fixed|4.18.0-r0");
	/* "1.x" is no apk version, "bug" no id, 7 no string: three warnings. */
	assert_int_equal(t.nwarn, 3);
	assert_non_null(strstr(t.warn, "packages[0] 'xen': secfixes version '1.x' skipped"));
	tsink_release(&t);

	assert_int_equal(import_mem(&vg_imp_secdb_json, nover, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "no 'distroversion'"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_json, badver, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "invalid 'distroversion' '3'"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_json, pkgobj, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "field 'packages': expected an array"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_json, noname, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "packages[1]: field 'pkg.name': missing"));
	assert_int_equal(t.ends, 0);
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_json, badfixes, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "packages[0] 'a': field 'secfixes': expected a mapping"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_json, mixed, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "both 'packages' and a top-level 'secfixes'"));
	tsink_release(&t);
}

static void
yaml_variants(void **state)
{
	static const char perpkg[] = "name: busybox\n"
				     "secfixes:\n"
				     "  1.35.0-r17:\n"
				     "    - CVE-2022-30065\n"
				     "  '0':\n"
				     "    - CVE-2021-42373 (not in Alpine)\n"
				     "  1.36.1-r1: ~\n"
				     "distroversion: v3.17\n"
				     "reponame: main\n";
	static const char alias[] = "distroversion: v3.18\nreponame: main\npackages:\n"
				    "- pkg: &p\n    name: a\n- pkg: *p\n";
	static const char syntax[] = "distroversion: v3.18\npackages:\n- pkg: [\n";
	static const char twodocs[] = "distroversion: v3.18\nreponame: main\npackages: []\n"
				      "---\nx: 1\n";
	static const char notmap[] = "- a\n- b\n";
	static const char nopkgs[] = "distroversion: v3.18\nreponame: main\npackages:\n";
	static const char badkey[] =
		"distroversion: v3.18\nreponame: main\npackages:\n"
		"- pkg:\n    name: a\n    secfixes:\n      [x]: [CVE-2020-1]\n";
	struct tsink t = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_mem(&vg_imp_secdb_yaml, perpkg, &t, &err), VG_OK);
	assert_string_equal(t.name, "alpine-secdb:v3.17/main/busybox");
	assert_int_equal(t.n, 2);
	assert_has(&t, "alpine:3.17|busybox|CVE-2022-30065|fixed|1.35.0-r17");
	assert_has(&t, "alpine:3.17|busybox|CVE-2021-42373|not-affected|-");
	assert_int_equal(t.nwarn, 0);
	tsink_release(&t);

	assert_int_equal(import_mem(&vg_imp_secdb_yaml, alias, &t, &err), VG_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "line 6: aliases are not supported"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_yaml, syntax, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "yaml: "));
	assert_non_null(strstr(err.msg, "line 4"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_yaml, twodocs, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "expected a single document"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_yaml, notmap, &t, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "line 1: expected a mapping at the top"));
	tsink_release(&t);
	/* An empty branch is valid: it empties the source. */
	assert_int_equal(import_mem(&vg_imp_secdb_yaml, nopkgs, &t, &err), VG_OK);
	assert_int_equal(t.ends, 1);
	assert_int_equal(t.end_n, 0);
	assert_int_equal(t.nwarn, 1);
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_yaml, badkey, &t, &err), VG_EUNSUPPORTED);
	assert_non_null(strstr(err.msg, "a key that is not a string"));
	tsink_release(&t);
	assert_int_equal(import_mem(&vg_imp_secdb_yaml, "", &t, &err), VG_EINVAL);
	tsink_release(&t);
}

/* The YAML and JSON readers give the same statements for the same document. */
static void
yaml_json_agree(void **state)
{
	static const char yaml[] = "apkurl: '{{urlprefix}}/{{distroversion}}/{{reponame}}'\n"
				   "archs: [x86_64]\n"
				   "reponame: main\n"
				   "urlprefix: https://dl-cdn.alpinelinux.org/alpine\n"
				   "distroversion: v3.15\n"
				   "packages:\n"
				   "- pkg:\n"
				   "    name: zsh\n"
				   "    secfixes:\n"
				   "      5.4.2-r1:\n"
				   "      - CVE-2018-1083\n"
				   "      - CVE-2018-1071\n"
				   "      0:\n"
				   "      - CVE-2019-1234 XSA-7\n";
	static const char json[] = "{\"apkurl\": \"{{urlprefix}}/{{distroversion}}/{{reponame}}\","
				   "\"archs\": [\"x86_64\"], \"reponame\": \"main\", "
				   "\"urlprefix\": \"https://dl-cdn.alpinelinux.org/alpine\", "
				   "\"distroversion\": \"v3.15\", \"packages\": [{\"pkg\": {"
				   "\"name\": \"zsh\", \"secfixes\": {\"5.4.2-r1\": "
				   "[\"CVE-2018-1083\", \"CVE-2018-1071\"], \"0\": "
				   "[\"CVE-2019-1234 XSA-7\"]}}}]}";
	struct tsink y = {0}, j = {0};
	struct vg_err err;

	(void)state;
	assert_int_equal(import_mem(&vg_imp_secdb_yaml, yaml, &y, &err), VG_OK);
	assert_int_equal(import_mem(&vg_imp_secdb_json, json, &j, &err), VG_OK);
	assert_string_equal(y.name, j.name);
	assert_int_equal(y.n, 4);
	assert_int_equal(j.n, 4);
	for (size_t i = 0; i < y.n; i++)
		assert_string_equal(y.stmts[i], j.stmts[i]);
	assert_has(&y, "alpine:3.15|zsh|XSA-7|not-affected|-");
	tsink_release(&y);
	tsink_release(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alpine_main_yaml), cmocka_unit_test(alpine_community_yaml),
		cmocka_unit_test(wolfi_json),       cmocka_unit_test(vulnlist_package_json),
		cmocka_unit_test(json_variants),    cmocka_unit_test(yaml_variants),
		cmocka_unit_test(yaml_json_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
