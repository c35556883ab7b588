/*
 * test_collect_lang.c - Python core metadata and package.json parsing, and
 * the walk of site-packages / node_modules under a root: where it looks,
 * how deep, duplicates, warnings.  Fixture: tests/data/roots/lang-mixed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_lang.h"
#include "agent/inventory.h"
#include "core/err.h"
#include "vgtest.h"

#define NS(s) ((s) ? (s) : "(null)")

static bool
streq_null(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool
slice_is(struct vg_str s, const char *c)
{
	return c ? vg_str_eqc(s, c) : s.len == 0;
}

/* ---- core metadata ---- */

struct pymeta_case {
	const char *text;
	size_t len; /* 0: strlen(text) */
	int rc;
	const char *name, *version, *license;
};

static const struct pymeta_case pymeta_cases[] = {
	{"Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nLicense: MIT\n", 0, VG_OK, "foo", "1.0",
	 "MIT"},
	/* Field names are case-insensitive; the first occurrence wins. */
	{"name: a\nVERSION: 2\nName: b\nVersion: 3\n", 0, VG_OK, "a", "2", NULL},
	/* The header ends at the first blank line: the body is never read as fields. */
	{"Name: a\n\nVersion: 1\n", 0, VG_EINVAL, NULL, NULL, NULL},
	/* ... or at the first line that is not a header (feedparser). */
	{"Name: a\nnot a header line\nVersion: 1\n", 0, VG_EINVAL, NULL, NULL, NULL},
	{"Name : a\nVersion: 1\n", 0, VG_EINVAL, NULL, NULL, NULL},
	/* Continuation lines belong to the field before; only the first line is kept. */
	{"Name: a\nLicense: line one\n        line two\nVersion: 1\n", 0, VG_OK, "a", "1",
	 "line one"},
	{"Name: a\nDescription: x\n\ty\nVersion: 1\n", 0, VG_OK, "a", "1", NULL},
	/* License-Expression (PEP 639) wins over License in either order. */
	{"License: MIT License\nName: a\nVersion: 1\nLicense-Expression: MIT\n", 0, VG_OK, "a", "1",
	 "MIT"},
	{"License-Expression: Apache-2.0\nName: a\nVersion: 1\nLicense: Apache\n", 0, VG_OK, "a",
	 "1", "Apache-2.0"},
	{"Name: a\nVersion: 1\nLicense: UNKNOWN\n", 0, VG_OK, "a", "1", NULL},
	/* CRLF line ends. */
	{"Name: a\r\nVersion: 1.0\r\n\r\nName: body\r\n", 0, VG_OK, "a", "1.0", NULL},
	/* Blanks around values are trimmed; none after the colon is fine. */
	{"Name:   spaced  \nVersion:1.0\t\n", 0, VG_OK, "spaced", "1.0", NULL},
	{"Name: a b c\nVersion: 1\n", 0, VG_OK, "a b c", "1", NULL},
	/* No final newline. */
	{"Name: a\nVersion: 1", 0, VG_OK, "a", "1", NULL},
	/* Missing, empty or unusable Name / Version. */
	{"", 0, VG_EINVAL, NULL, NULL, NULL},
	{"Version: 1\n", 0, VG_EINVAL, NULL, NULL, NULL},
	{"Name: a\n", 0, VG_EINVAL, NULL, NULL, NULL},
	{"Name: \nVersion: 1\n", 0, VG_EINVAL, NULL, NULL, NULL},
	{"Name: a\nVersion:\n", 0, VG_EINVAL, NULL, NULL, NULL},
	{"Name: a\nVersion: 1 0\n", 0, VG_EINVAL, NULL, NULL, NULL},
	{"Name: a\x01"
	 "b\nVersion: 1\n",
	 0, VG_EINVAL, NULL, NULL, NULL},
	{"Name: a\0b\nVersion: 1\n", sizeof("Name: a\0b\nVersion: 1\n") - 1, VG_EINVAL, NULL, NULL,
	 NULL},
	/* A license with a control character is dropped, the package kept. */
	{"Name: a\nVersion: 1\nLicense: x\x7fy\n", 0, VG_OK, "a", "1", NULL},
};

static void
test_pymeta_parse(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(pymeta_cases); i++) {
		const struct pymeta_case *c = &pymeta_cases[i];
		size_t len = c->len ? c->len : strlen(c->text);
		struct vg_pymeta m = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
		struct vg_err err;
		int rc = vg_pymeta_parse(vg_str_n(c->text, len), &m, &err);

		if (rc != c->rc ||
		    (rc == VG_OK &&
		     (!slice_is(m.name, c->name) || !slice_is(m.version, c->version) ||
		      !slice_is(m.license, c->license))) ||
		    (rc != VG_OK && err.msg[0] == '\0')) {
			print_message("case %zu: rc %d/%d name '%.*s'/'%s' version '%.*s'/'%s' "
				      "license '%.*s'/'%s'\n",
				      i, rc, c->rc, (int)m.name.len, m.name.p, NS(c->name),
				      (int)m.version.len, m.version.p, NS(c->version),
				      (int)m.license.len, m.license.p, NS(c->license));
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
test_pymeta_limits(void **state)
{
	char *text = malloc(4 * VG_LANG_MAX_FIELD);
	struct vg_pymeta m;
	struct vg_err err;
	int n;

	(void)state;
	n = snprintf(text, 4 * VG_LANG_MAX_FIELD, "Name: a\nVersion: %0*d\n", VG_LANG_MAX_FIELD, 0);
	assert_int_equal(vg_pymeta_parse(vg_str_n(text, (size_t)n), &m, &err), VG_OK);
	assert_int_equal(m.version.len, VG_LANG_MAX_FIELD);
	n = snprintf(text, 4 * VG_LANG_MAX_FIELD, "Name: a\nVersion: %0*d\n", VG_LANG_MAX_FIELD + 1,
		     0);
	assert_int_equal(vg_pymeta_parse(vg_str_n(text, (size_t)n), &m, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "longer"));
	/* An over-long license is dropped, not an error. */
	n = snprintf(text, 4 * VG_LANG_MAX_FIELD, "Name: a\nVersion: 1\nLicense: %0*d\n",
		     VG_LANG_MAX_FIELD + 1, 0);
	assert_int_equal(vg_pymeta_parse(vg_str_n(text, (size_t)n), &m, &err), VG_OK);
	assert_int_equal(m.license.len, 0);
	free(text);
}

/* ---- package.json ---- */

struct npm_case {
	const char *json;
	int rc;
	const char *name, *version, *license;
};

static const struct npm_case npm_cases[] = {
	{"{\"name\":\"a\",\"version\":\"1.0.0\"}", VG_OK, "a", "1.0.0", NULL},
	{"{\"version\":\"1.0.0\",\"license\":\"MIT\",\"name\":\"@s/a\"}", VG_OK, "@s/a", "1.0.0",
	 "MIT"},
	{"{\"name\":\"a\",\"version\":\"1\",\"license\":{\"type\":\"BSD\",\"url\":\"u\"}}", VG_OK,
	 "a", "1", "BSD"},
	{"{\"name\":\"a\",\"version\":\"1\",\"licenses\":[{\"type\":\"MIT\"},\"ISC\",3,{}]}", VG_OK,
	 "a", "1", "MIT OR ISC"},
	/* "license" wins over "licenses"; a license of the wrong type is no license. */
	{"{\"name\":\"a\",\"version\":\"1\",\"license\":\"X\",\"licenses\":[\"Y\"]}", VG_OK, "a",
	 "1", "X"},
	{"{\"name\":\"a\",\"version\":\"1\",\"license\":42}", VG_OK, "a", "1", NULL},
	/* jansson keeps the last of duplicate members. */
	{"{\"name\":\"a\",\"name\":\"b\",\"version\":\"1\"}", VG_OK, "b", "1", NULL},
	{"{\"name\":\"caf\\u00e9\",\"version\":\"1\"}", VG_OK, "caf\xc3\xa9", "1", NULL},
	{"[]", VG_EINVAL, NULL, NULL, NULL},
	{"\"a\"", VG_EINVAL, NULL, NULL, NULL},
	{"", VG_EINVAL, NULL, NULL, NULL},
	{"{\"name\":\"a\",\"version\":\"1\"", VG_EINVAL, NULL, NULL, NULL},
	{"{\"name\":\"a\"}", VG_EINVAL, NULL, NULL, NULL},
	{"{\"version\":\"1\"}", VG_EINVAL, NULL, NULL, NULL},
	{"{\"name\":1,\"version\":\"1\"}", VG_EINVAL, NULL, NULL, NULL},
	{"{\"name\":\"\",\"version\":\"1\"}", VG_EINVAL, NULL, NULL, NULL},
	{"{\"name\":\"a\",\"version\":\"1 2\"}", VG_EINVAL, NULL, NULL, NULL},
	{"{\"name\":\"a\\nb\",\"version\":\"1\"}", VG_EINVAL, NULL, NULL, NULL},
	{"{\"name\":\"a\\u0000b\",\"version\":\"1\"}", VG_EINVAL, NULL, NULL, NULL},
};

static void
test_npm_parse(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(npm_cases); i++) {
		const struct npm_case *c = &npm_cases[i];
		struct vg_inventory inv;
		const struct vg_package *p;
		int rc;

		vg_inventory_init(&inv, "/nonexistent");
		rc = vg_lang_add_npm(&inv, vg_str_c(c->json), "/x/node_modules/a",
				     "x/node_modules/a/package.json");
		p = inv.npackages ? &inv.packages[0] : NULL;
		if (rc != c->rc || (rc == VG_OK) != (inv.npackages == 1) ||
		    (rc != VG_OK) != (inv.nwarnings == 1) ||
		    (p && (!streq_null(p->name, c->name) || !streq_null(p->version, c->version) ||
			   !streq_null(p->license, c->license) || p->type != VG_PKG_NPM ||
			   !streq_null(p->path, "/x/node_modules/a") || p->architecture))) {
			print_message(
				"case %zu '%s': rc %d/%d name '%s' version '%s' license '%s'\n", i,
				c->json, rc, c->rc, p ? NS(p->name) : "-", p ? NS(p->version) : "-",
				p ? NS(p->license) : "-");
			failed++;
		}
		if (inv.nwarnings)
			assert_string_equal(inv.warnings[0].collector, "npm");
		vg_inventory_release(&inv);
	}
	assert_int_equal(failed, 0);
}

static void
test_npm_limits(void **state)
{
	size_t big = VG_LANG_MAX_PACKAGE_JSON + 1, deep = 100000;
	char *text = malloc(big > 2 * deep ? big : 2 * deep);
	struct vg_inventory inv;

	(void)state;
	/* Too big: refused before parsing. */
	memset(text, ' ', big);
	vg_inventory_init(&inv, "/nonexistent");
	assert_int_equal(vg_lang_add_npm(&inv, vg_str_n(text, big), "/d", "d/package.json"),
			 VG_ETOOBIG);
	assert_int_equal(inv.nwarnings, 1);
	vg_inventory_release(&inv);

	/* Deep nesting is jansson's depth limit, not a stack overflow. */
	memset(text, '[', deep);
	memset(text + deep, ']', deep);
	vg_inventory_init(&inv, "/nonexistent");
	assert_int_equal(vg_lang_add_npm(&inv, vg_str_n(text, 2 * deep), "/d", "d/package.json"),
			 VG_EINVAL);
	assert_int_equal(inv.nwarnings, 1);
	vg_inventory_release(&inv);
	free(text);
}

/* ---- the fixture root ---- */

struct pkg_expect {
	enum vg_pkg_type type;
	const char *name, *version, *license, *path;
};

static const struct pkg_expect fixture_packages[] = {
	/* usr/lib/python3/dist-packages: .dist-info first, then .egg-info. */
	{VG_PKG_PYTHON, "CRLF_Pkg", "1.0", NULL,
	 "/usr/lib/python3/dist-packages/crlf_pkg-1.0.dist-info"},
	{VG_PKG_PYTHON, "cryptography", "38.0.4", "BSD-3-Clause OR Apache-2.0",
	 "/usr/lib/python3/dist-packages/cryptography-38.0.4.dist-info"},
	{VG_PKG_PYTHON, "multiline", "3.0", "Copyright (c) the authors",
	 "/usr/lib/python3/dist-packages/multiline-3.0.dist-info"},
	{VG_PKG_PYTHON, "requests", "2.28.1", "Apache 2.0",
	 "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info"},
	{VG_PKG_PYTHON, "python-apt", "2.6.0", "GNU GPL",
	 "/usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info"},
	{VG_PKG_PYTHON, "six", "1.16.0", "MIT",
	 "/usr/lib/python3/dist-packages/six-1.16.0.egg-info"},
	{VG_PKG_PYTHON, "attrs", "23.1.0", "MIT",
	 "/usr/lib/python3.11/site-packages/attrs-23.1.0.dist-info"},
	{VG_PKG_PYTHON, "rpm", "4.16.1.3", "GNU General Public License v2",
	 "/usr/lib64/python3.9/site-packages/rpm-4.16.1.3-py3.9.egg-info"},
	{VG_PKG_PYTHON, "local_pkg", "0.1", NULL,
	 "/usr/local/lib/python3.11/dist-packages/local_pkg-0.1.dist-info"},
	/* Global node_modules: scopes, a symlinked package (read, not descended), levels 2-3. */
	{VG_PKG_NPM, "@scope/tool", "1.0.0-beta.1", NULL, "/usr/lib/node_modules/@scope/tool"},
	{VG_PKG_NPM, "express", "4.18.2", "MIT", "/usr/lib/node_modules/linked"},
	{VG_PKG_NPM, "npm", "9.8.1", "Artistic-2.0", "/usr/lib/node_modules/npm"},
	{VG_PKG_NPM, "@npmcli/arborist", "6.3.0", "ISC",
	 "/usr/lib/node_modules/npm/node_modules/@npmcli/arborist"},
	{VG_PKG_NPM, "legacy-licenses", "0.1.0", "MIT OR Apache-2.0",
	 "/usr/lib/node_modules/npm/node_modules/legacy-licenses"},
	{VG_PKG_NPM, "license-object", "2.0.0", "BSD-3-Clause",
	 "/usr/lib/node_modules/npm/node_modules/license-object"},
	{VG_PKG_NPM, "minipass-pipeline", "1.2.4", "ISC",
	 "/usr/lib/node_modules/npm/node_modules/minipass-pipeline"},
	{VG_PKG_NPM, "minipass", "3.3.6", "ISC",
	 "/usr/lib/node_modules/npm/node_modules/minipass-pipeline/node_modules/minipass"},
	{VG_PKG_NPM, "semver", "7.5.4", "ISC", "/usr/lib/node_modules/npm/node_modules/semver"},
	{VG_PKG_NPM, "yarn", "1.22.19", "BSD-2-Clause", "/usr/local/lib/node_modules/yarn"},
	/* Application directories. */
	{VG_PKG_NPM, "express", "4.18.2", "MIT", "/srv/app/node_modules/express"},
	{VG_PKG_NPM, "debug", "2.6.9", "MIT", "/srv/app/node_modules/express/node_modules/debug"},
	{VG_PKG_PYTHON, "Flask", "2.3.2", "BSD-3-Clause",
	 "/srv/app/.venv/lib/python3.11/site-packages/flask-2.3.2.dist-info"},
	{VG_PKG_NPM, "lodash", "4.17.21", "MIT", "/srv/app2/node_modules/lodash"},
};

static const struct {
	const char *collector, *path;
	int line;
	const char *message;
} fixture_warnings[] = {
	{"python", "usr/lib/python3/dist-packages/Broken-0.1.dist-info/METADATA", 0,
	 "no 'Version'"},
	{"python", "usr/lib/python3/dist-packages/empty-1.0.dist-info/METADATA", 0,
	 "cannot read: not found"},
	{"npm", "usr/lib/node_modules/npm/node_modules/broken/package.json", 3,
	 "invalid JSON: unexpected token near end of file"},
	{"npm", "usr/lib/node_modules/npm/node_modules/noversion/package.json", 0,
	 "no usable 'name' and 'version'"},
};

static void
collect(struct vg_inventory *inv, const char *const *app_dirs)
{
	char *root = vgt_test_data_path("roots/lang-mixed");

	vg_inventory_init(inv, root);
	free(root);
	inv->app_dirs = app_dirs;
	assert_int_equal(vg_collect_lang(inv), VG_OK);
}

static void
test_fixture_root(void **state)
{
	static const char *const apps[] = {"srv/app", "/srv/app2/node_modules/", "srv/missing",
					   NULL};
	struct vg_inventory inv;
	int failed = 0;

	(void)state;
	collect(&inv, apps);
	for (size_t i = 0; i < inv.npackages; i++) {
		const struct vg_package *p = &inv.packages[i];
		const struct pkg_expect *e =
			i < VG_ARRAY_LEN(fixture_packages) ? &fixture_packages[i] : NULL;

		if (!e || p->type != e->type || strcmp(p->name, e->name) != 0 ||
		    strcmp(p->version, e->version) != 0 || !streq_null(p->license, e->license) ||
		    strcmp(p->path, e->path) != 0 || p->architecture ||
		    !streq_null(p->source_name, p->name)) {
			print_message("package %zu: %s %s %s license %s path %s; expected %s\n", i,
				      vg_pkg_type_name(p->type), p->name, p->version,
				      NS(p->license), p->path, e ? e->path : "nothing");
			failed++;
		}
	}
	for (size_t i = 0; i < inv.nwarnings; i++) {
		const struct vg_inv_warning *w = &inv.warnings[i];

		if (i >= VG_ARRAY_LEN(fixture_warnings) ||
		    strcmp(w->collector, fixture_warnings[i].collector) != 0 ||
		    strcmp(w->path, fixture_warnings[i].path) != 0 ||
		    w->line != fixture_warnings[i].line ||
		    strcmp(w->message, fixture_warnings[i].message) != 0) {
			print_message("warning %zu: %s %s:%d %s\n", i, w->collector, w->path,
				      w->line, w->message);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
	assert_int_equal(inv.npackages, VG_ARRAY_LEN(fixture_packages));
	assert_int_equal(inv.nwarnings, VG_ARRAY_LEN(fixture_warnings));
	vg_inventory_release(&inv);
}

static bool
has_package(const struct vg_inventory *inv, const char *name, const char *path)
{
	for (size_t i = 0; i < inv->npackages; i++)
		if (strcmp(inv->packages[i].name, name) == 0 &&
		    strcmp(inv->packages[i].path, path) == 0)
			return true;
	return false;
}

/* An application directory that is itself a site-packages or a node_modules. */
static void
test_app_dir_forms(void **state)
{
	static const char *const apps[] = {"srv/app/.venv/lib/python3.11/site-packages",
					   "srv/app2/node_modules", "srv/app/node_modules//", NULL};
	struct vg_inventory inv;

	(void)state;
	collect(&inv, apps);
	assert_true(
		has_package(&inv, "Flask",
			    "/srv/app/.venv/lib/python3.11/site-packages/flask-2.3.2.dist-info"));
	assert_true(has_package(&inv, "lodash", "/srv/app2/node_modules/lodash"));
	assert_true(has_package(&inv, "debug", "/srv/app/node_modules/express/node_modules/debug"));
	vg_inventory_release(&inv);
}

/* Level 4 (node_modules/a/node_modules/b/node_modules/c/node_modules/d) is never read. */
static void
test_depth_bound(void **state)
{
	struct vg_inventory inv;

	(void)state;
	collect(&inv, NULL);
	for (size_t i = 0; i < inv.npackages; i++)
		assert_string_not_equal(inv.packages[i].name, "too-deep");
	assert_true(has_package(
		&inv, "minipass",
		"/usr/lib/node_modules/npm/node_modules/minipass-pipeline/node_modules/minipass"));
	/* Without application directories nothing under srv/ is read. */
	assert_false(has_package(&inv, "lodash", "/srv/app2/node_modules/lodash"));
	vg_inventory_release(&inv);
}

static void
test_missing_root(void **state)
{
	static const char *const apps[] = {"srv/app", NULL};
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/nonexistent/vigil-root");
	inv.app_dirs = apps;
	assert_int_equal(vg_collect_lang(&inv), VG_OK);
	assert_int_equal(inv.npackages, 0);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
}

/* The live host: every entry is complete and points where it was read. */
static void
test_host_root(void **state)
{
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_collect_lang(&inv), VG_OK);
	for (size_t i = 0; i < inv.npackages; i++) {
		const struct vg_package *p = &inv.packages[i];

		assert_true(p->type == VG_PKG_PYTHON || p->type == VG_PKG_NPM);
		assert_non_null(p->name);
		assert_non_null(p->version);
		assert_non_null(p->path);
		assert_int_equal(p->path[0], '/');
	}
	vg_inventory_release(&inv);
}

/* Arbitrary bytes never crash the metadata parser. */
static void
test_garbage(void **state)
{
	static const char alphabet[] = "NameVrsiol:- \t\r\n\0\x01\xff";
	uint32_t seed = 777;
	char buf[300];

	(void)state;
	for (int round = 0; round < 3000; round++) {
		struct vg_inventory inv;
		size_t len = (size_t)(round % (int)sizeof(buf));

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		vg_inventory_init(&inv, "/nonexistent");
		(void)vg_lang_add_python(&inv, vg_str_n(buf, len), "/d", "d/METADATA");
		(void)vg_lang_add_npm(&inv, vg_str_n(buf, len), "/d", "d/package.json");
		assert_int_equal(inv.npackages + inv.nwarnings, 2);
		vg_inventory_release(&inv);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pymeta_parse), cmocka_unit_test(test_pymeta_limits),
		cmocka_unit_test(test_npm_parse),    cmocka_unit_test(test_npm_limits),
		cmocka_unit_test(test_fixture_root), cmocka_unit_test(test_app_dir_forms),
		cmocka_unit_test(test_depth_bound),  cmocka_unit_test(test_missing_root),
		cmocka_unit_test(test_host_root),    cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
