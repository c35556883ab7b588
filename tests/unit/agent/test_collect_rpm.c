/*
 * test_collect_rpm.c - the rpm collector (src/agent/collect_rpm.c).
 *
 * The import parsers run over every real listing in
 * ../shared/data/inventories/rpm (counts from the files themselves, known
 * entries, every version comparing equal to itself under vg_rpm_compare),
 * then over hand-written malformed inputs.  The librpm path runs over rpm
 * databases built at test time with Debian's rpm: a handful of tiny noarch
 * packages (rpmbuild) installed with --justdb into a fresh sqlite database,
 * a Berkeley DB copy of it when db_load is available, and corrupt
 * databases; each time the root must be left byte-for-byte as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/collect_rpm.h"
#include "agent/inventory.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/version/version.h"
#include "vgtest.h"

/*
 * librpm does not close its sqlite handle when a damaged database fails to
 * open (sqlite_init's error path); that leak is librpm's, not ours.
 */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libsqlite3.so\n";
}

/* ---- Helpers ---- */

static char *
slurp(const char *path, size_t *len)
{
	char *data = NULL;
	int rc = vg_inv_read_file(path, VG_RPM_MAX_INPUT, &data, len);

	if (rc != VG_OK)
		fail_msg("cannot read %s: %s", path, vg_strerror(rc));
	return data;
}

static char *
shared_rpm(const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "inventories/rpm/%s", name);
	return vgt_shared_path(rel);
}

static const struct vg_package *
find_pkg(const struct vg_inventory *inv, const char *name)
{
	for (size_t i = 0; i < inv->npackages; i++)
		if (strcmp(inv->packages[i].name, name) == 0)
			return &inv->packages[i];
	return NULL;
}

static int
streq_null(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Fail with both values shown unless @actual equals @expected (NULL allowed). */
#define CHECK_STR(actual, expected)                                                          \
	do {                                                                                 \
		const char *a_ = (actual), *e_ = (expected);                                 \
		if (!streq_null(a_, e_))                                                     \
			fail_msg("%s: got '%s', expected '%s'", #actual, a_ ? a_ : "(null)", \
				 e_ ? e_ : "(null)");                                        \
	} while (0)

static void
print_warnings(const struct vg_inventory *inv)
{
	for (size_t i = 0; i < inv->nwarnings; i++)
		print_message("  warning: %s:%d: %s\n",
			      inv->warnings[i].path ? inv->warnings[i].path : "-",
			      inv->warnings[i].line, inv->warnings[i].message);
}

/*
 * Invariants every parsed package must satisfy: type, version equal to
 * "[epoch:]version-release" built from the parts, a version that
 * vg_rpm_compare accepts and finds equal to itself, and a source.
 * Returns the number of failing packages (each printed).
 */
static int
check_invariants(const struct vg_inventory *inv, const char *what)
{
	int bad = 0;

	for (size_t i = 0; i < inv->npackages; i++) {
		const struct vg_package *p = &inv->packages[i];
		struct vg_err err = {0};
		char evr[4096];
		int cmp = 9, rc;

		if (p->epoch)
			snprintf(evr, sizeof(evr), "%s:%s-%s", p->epoch, p->rpm_version,
				 p->release);
		else
			snprintf(evr, sizeof(evr), "%s-%s", p->rpm_version, p->release);
		rc = vg_rpm_compare(vg_str_c(p->version), vg_str_c(p->version), &cmp, &err);
		if (p->type != VG_PKG_RPM || strcmp(evr, p->version) != 0 || rc != VG_OK ||
		    cmp != 0 || !p->source_name || !p->source_version ||
		    strcmp(p->name, "gpg-pubkey") == 0) {
			print_message(
				"%s: package %zu '%s' '%s': evr '%s', compare rc %d cmp %d %s\n",
				what, i, p->name, p->version, evr, rc, cmp, err.msg);
			bad++;
		}
	}
	return bad;
}

/* Lines of @text that are not blank, and those naming gpg-pubkey in field @name_field. */
static void
count_lines(const char *text, size_t len, int name_field, size_t *lines, size_t *keys)
{
	const char *p = text, *end = text + len;

	*lines = *keys = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *f = p;

		if (e > p) {
			(*lines)++;
			for (int i = 0; i < name_field && f; i++) {
				f = memchr(f, '\t', (size_t)(e - f));
				f = f ? f + 1 : NULL;
			}
			if (f && (size_t)(e - f) > 11 && memcmp(f, "gpg-pubkey\t", 11) == 0)
				(*keys)++;
		}
		p = e + 1;
	}
}

/* Occurrences of @needle in @hay. */
static size_t
count_substr(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- The shared listings ---- */

static int
has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Every *.rpmqa.txt: one package per non-blank line except gpg-pubkey, no warning. */
static void
test_qa_listings(void **state)
{
	char *dirpath = vgt_shared_path("inventories/rpm");
	DIR *dir = opendir(dirpath);
	struct dirent *de;
	int files = 0, bad = 0;

	(void)state;
	assert_non_null(dir);
	while ((de = readdir(dir)) != NULL) {
		struct vg_inventory inv, inv2;
		size_t len, lines, keys;
		char *path, *text;
		int rc, rc2;

		if (!has_suffix(de->d_name, ".rpmqa.txt"))
			continue;
		files++;
		path = shared_rpm(de->d_name);
		text = slurp(path, &len);
		/* modules.rpmqa.txt has the MODULARITYLABEL first. */
		count_lines(text, len, strcmp(de->d_name, "modules.rpmqa.txt") == 0 ? 1 : 0, &lines,
			    &keys);
		vg_inventory_init(&inv, "/");
		vg_inventory_init(&inv2, "/");
		rc = vg_rpm_parse_qa(&inv, vg_str_n(text, len), de->d_name);
		rc2 = vg_rpm_parse_import(&inv2, vg_str_n(text, len), de->d_name);
		if (rc != VG_OK || rc2 != VG_OK || inv.npackages != lines - keys ||
		    inv2.npackages != inv.npackages || inv.nwarnings != 0) {
			print_message(
				"%s: rc %d/%d, %zu packages (import %zu), expected %zu lines - %zu "
				"gpg-pubkey, %zu warnings\n",
				de->d_name, rc, rc2, inv.npackages, inv2.npackages, lines, keys,
				inv.nwarnings);
			print_warnings(&inv);
			bad++;
		}
		bad += check_invariants(&inv, de->d_name);
		for (size_t i = 0; i < inv.npackages; i++)
			if (inv.packages[i].architecture || inv.packages[i].source_rpm ||
			    strcmp(inv.packages[i].path, de->d_name) != 0 ||
			    strcmp(inv.packages[i].source_name, inv.packages[i].name) != 0 ||
			    strcmp(inv.packages[i].source_version, inv.packages[i].version) != 0)
				bad++;
		vg_inventory_release(&inv);
		vg_inventory_release(&inv2);
		free(text);
		free(path);
	}
	closedir(dir);
	free(dirpath);
	assert_int_equal(files, 13);
	assert_int_equal(bad, 0);
}

static void
parse_shared(struct vg_inventory *inv, const char *name,
	     int (*fn)(struct vg_inventory *, struct vg_str, const char *))
{
	char *path = shared_rpm(name);
	size_t len;
	char *text = slurp(path, &len);

	vg_inventory_init(inv, "/");
	assert_int_equal(fn(inv, vg_str_n(text, len), name), VG_OK);
	print_warnings(inv);
	assert_int_equal(inv->nwarnings, 0);
	assert_int_equal(check_invariants(inv, name), 0);
	free(text);
	free(path);
}

/* Known entries: epochs, releases with dots and pluses, no epoch. */
static void
test_qa_known_entries(void **state)
{
	struct vg_inventory inv;
	const struct vg_package *p;

	(void)state;
	parse_shared(&inv, "centos7_many.rpmqa.txt", vg_rpm_parse_qa);
	p = find_pkg(&inv, "bind-license");
	assert_non_null(p);
	CHECK_STR(p->version, "32:9.9.4-74.el7_6.2");
	CHECK_STR(p->epoch, "32");
	CHECK_STR(p->rpm_version, "9.9.4");
	CHECK_STR(p->release, "74.el7_6.2");
	CHECK_STR(p->modularity, NULL);
	p = find_pkg(&inv, "libglvnd");
	assert_non_null(p);
	CHECK_STR(p->version, "1:1.0.1-0.8.git5baa1e5.el7");
	CHECK_STR(p->epoch, "1");
	p = find_pkg(&inv, "tzdata");
	assert_non_null(p);
	CHECK_STR(p->version, "2019b-1.el7");
	CHECK_STR(p->epoch, NULL);
	CHECK_STR(p->rpm_version, "2019b");
	CHECK_STR(p->release, "1.el7");
	assert_null(find_pkg(&inv, "gpg-pubkey"));
	vg_inventory_release(&inv);
}

/* modules.rpmqa.txt: MODULARITYLABEL where the first column is not "(none)". */
static void
test_qa_modularity(void **state)
{
	char *path = shared_rpm("modules.rpmqa.txt");
	size_t len, modular = 0, labelled = 0;
	char *text = slurp(path, &len);
	struct vg_inventory inv;
	const struct vg_package *p;

	(void)state;
	parse_shared(&inv, "modules.rpmqa.txt", vg_rpm_parse_qa);
	/* Lines with a label: not starting with "(none)\t". */
	for (const char *l = text; l && l < text + len; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (*l && *l != '\n' && strncmp(l, "(none)\t", 7) != 0)
			modular++;
	for (size_t i = 0; i < inv.npackages; i++)
		if (inv.packages[i].modularity)
			labelled++;
	assert_int_equal(modular, 2);
	assert_int_equal(labelled, modular);
	p = find_pkg(&inv, "perl-Mozilla-CA");
	assert_non_null(p);
	CHECK_STR(p->modularity, "perl-libwww-perl:6.34:8030020200716155257:b967a9a2");
	CHECK_STR(p->version, "20160104-7.module_el8.3.0+416+dee7bcef");
	CHECK_STR(p->release, "7.module_el8.3.0+416+dee7bcef");
	p = find_pkg(&inv, "centos-gpg-keys");
	assert_non_null(p);
	CHECK_STR(p->version, "1:8-2.el8");
	CHECK_STR(p->modularity, NULL);
	vg_inventory_release(&inv);
	free(text);
	free(path);
}

/* Every rpm416_*.rpmqa.json: one package per object except gpg-pubkey. */
static void
test_json_listings(void **state)
{
	static const char *const files[] = {"rpm416_amznlinux2022.rpmqa.json",
					    "rpm416_fedora.rpmqa.json", "rpm416_ubi9.rpmqa.json"};
	int bad = 0;

	(void)state;
	for (size_t f = 0; f < VG_ARRAY_LEN(files); f++) {
		char *path = shared_rpm(files[f]);
		struct vg_inventory inv, inv2;
		size_t len, objects, keys, epochs = 0;
		char *text = slurp(path, &len);

		objects = count_substr(text, "\"name\":");
		keys = count_substr(text, "\"name\":\"gpg-pubkey\"");
		parse_shared(&inv, files[f], vg_rpm_parse_json);
		vg_inventory_init(&inv2, "/");
		assert_int_equal(vg_rpm_parse_import(&inv2, vg_str_n(text, len), files[f]), VG_OK);
		for (size_t i = 0; i < inv.npackages; i++)
			epochs += inv.packages[i].epoch != NULL;
		if (inv.npackages != objects - keys || inv2.npackages != inv.npackages ||
		    epochs != count_substr(text, "\"epoch\":")) {
			print_message(
				"%s: %zu packages (import %zu), expected %zu - %zu; %zu epochs\n",
				files[f], inv.npackages, inv2.npackages, objects, keys, epochs);
			bad++;
		}
		vg_inventory_release(&inv);
		vg_inventory_release(&inv2);
		free(text);
		free(path);
	}
	assert_int_equal(bad, 0);
}

static void
test_json_known_entries(void **state)
{
	struct vg_inventory inv;
	const struct vg_package *p;

	(void)state;
	parse_shared(&inv, "rpm416_fedora.rpmqa.json", vg_rpm_parse_json);
	p = find_pkg(&inv, "vim-data");
	assert_non_null(p);
	CHECK_STR(p->version, "2:8.2.4621-1.fc36");
	CHECK_STR(p->epoch, "2");
	CHECK_STR(p->architecture, "noarch");
	p = find_pkg(&inv, "libgcc");
	assert_non_null(p);
	CHECK_STR(p->version, "12.0.1-0.16.fc36");
	CHECK_STR(p->architecture, "aarch64");
	CHECK_STR(p->epoch, NULL);
	CHECK_STR(p->source_name, "libgcc");
	assert_null(find_pkg(&inv, "gpg-pubkey"));
	vg_inventory_release(&inv);

	parse_shared(&inv, "rpm416_ubi9.rpmqa.json", vg_rpm_parse_json);
	p = find_pkg(&inv, "shadow-utils");
	assert_non_null(p);
	CHECK_STR(p->version, "2:4.9-3.el9");
	vg_inventory_release(&inv);
}

static void
check_manifest_packages(const struct vg_inventory *inv, const char *path)
{
	const struct vg_package *p;

	assert_int_equal(inv->npackages, 5);
	p = find_pkg(inv, "mariner-release");
	assert_non_null(p);
	CHECK_STR(p->version, "2.0-12.cm2");
	CHECK_STR(p->epoch, NULL);
	CHECK_STR(p->architecture, "noarch");
	CHECK_STR(p->vendor, "Microsoft Corporation");
	CHECK_STR(p->source_rpm, "mariner-release-2.0-12.cm2.src.rpm");
	CHECK_STR(p->source_name, "mariner-release");
	CHECK_STR(p->source_version, "2.0-12.cm2");
	CHECK_STR(p->path, path);
	p = find_pkg(inv, "openssl-libs");
	assert_non_null(p);
	CHECK_STR(p->version, "1.1.1k-15.cm2");
	CHECK_STR(p->architecture, "x86_64");
	CHECK_STR(p->source_name, "openssl");
	CHECK_STR(p->source_version, "1.1.1k-15.cm2");
	p = find_pkg(inv, "vim");
	assert_non_null(p);
	CHECK_STR(p->version, "2:9.0-1.cm2");
	CHECK_STR(p->epoch, "2");
	CHECK_STR(p->rpm_version, "9.0");
	CHECK_STR(p->release, "1.cm2");
}

static void
test_manifest(void **state)
{
	char *path = shared_rpm("cbl-mariner2_container-manifest-2.txt");
	struct vg_inventory inv;
	size_t len;
	char *text = slurp(path, &len);

	(void)state;
	parse_shared(&inv, "cbl-mariner2_container-manifest-2.txt", vg_rpm_parse_manifest);
	check_manifest_packages(&inv, "cbl-mariner2_container-manifest-2.txt");
	vg_inventory_release(&inv);
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_rpm_parse_import(&inv, vg_str_n(text, len), "m"), VG_OK);
	assert_int_equal(inv.npackages, 5);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
	free(text);
	free(path);
}

/* ---- Hand-written inputs ---- */

struct text_case {
	int format; /* 'q' qa, 'j' json, 'm' manifest, 'i' import */
	const char *text;
	size_t len; /* 0: strlen(text) */
	int rc;
	size_t npackages;
	size_t nwarnings;
	int first_warning_line; /* -1: do not check */
	const char *version;    /* of the first package, NULL: do not check */
	const char *epoch;      /* of the first package when version is checked */
};

static const struct text_case text_cases[] = {
	/* Well-formed variants. */
	{'q', "a\t1.0-1\t5\n", 0, VG_OK, 1, 0, -1, "1.0-1", NULL},
	{'q', "a\t1.0-1\t5", 0, VG_OK, 1, 0, -1, "1.0-1", NULL},
	{'q', "a\t1.0-1\t5\r\nb\t2-2\t0\r\n", 0, VG_OK, 2, 0, -1, "1.0-1", NULL},
	{'q', "\n\n  \na\t1.0-1\t5\n\n", 0, VG_OK, 1, 0, -1, NULL, NULL},
	{'q', "a\t(none):1.0-1\t5\n", 0, VG_OK, 1, 0, -1, "1.0-1", NULL},
	{'q', "a\t0:1.0-1\t5\n", 0, VG_OK, 1, 0, -1, "0:1.0-1", "0"},
	{'q', "a\t4294967295:1.0-1\t5\n", 0, VG_OK, 1, 0, -1, "4294967295:1.0-1", "4294967295"},
	{'q', "a\t1.0~rc1^git2-1.el9_1+x\t(none)\n", 0, VG_OK, 1, 0, -1, "1.0~rc1^git2-1.el9_1+x",
	 NULL},
	{'q', "(none)\ta\t1-1\t5\nm:s:1:c\tb\t1-1\t5\n", 0, VG_OK, 2, 0, -1, NULL, NULL},
	{'q', "gpg-pubkey\tc87f5b1a-593863f8\t0\n", 0, VG_OK, 0, 0, -1, NULL, NULL},
	{'q', "", 0, VG_OK, 0, 0, -1, NULL, NULL},
	/* Malformed lines: skipped with a warning at their line. */
	{'q', "a\t1.0\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t1.0-1\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t1.0-1\t5\t6\t7\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\tx:1.0-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t4294967296:1.0-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t99999999999999999999999:1.0-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t:1.0-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "\t1.0-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a b\t1.0-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t1.0-\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t1:2:3-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t1.0-1\tabc\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t1.\xc3\xa9-1\t5\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\0b\t1-1\t5\n", 10, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "a\t1-1\0\t5\n", 9, VG_OK, 0, 1, 1, NULL, NULL},
	{'q', "ok\t1-1\t5\nbad\n\nok2\t2-2\t5\nbad2\t3\t5\n", 0, VG_OK, 2, 2, 2, "1-1", NULL},
	/* JSON. */
	{'j', "[]", 0, VG_OK, 0, 0, -1, NULL, NULL},
	{'j', "[{\"name\":\"a\",\"version\":\"1\",\"release\":\"2\",\"epoch\":0}]", 0, VG_OK, 1, 0,
	 -1, "0:1-2", "0"},
	{'j', "[{\"name\":\"a\",\"version\":\"1\",\"release\":\"2\",\"epoch\":\"7\"}]", 0, VG_OK, 1,
	 0, -1, "7:1-2", "7"},
	{'j', "[{\"name\":\"a\",\"version\":\"1\",\"release\":\"2\",\"epoch\":null,\"arch\":null}]",
	 0, VG_OK, 1, 0, -1, "1-2", NULL},
	{'j', "[{\"name\":\"a\",\"version\":\"1\",\"release\":\"2\",\"epoch\":-1}]", 0, VG_OK, 0, 1,
	 0, NULL, NULL},
	{'j', "[{\"name\":\"a\",\"version\":\"1\",\"release\":\"2\",\"epoch\":4294967296}]", 0,
	 VG_OK, 0, 1, 0, NULL, NULL},
	{'j', "[{\"name\":\"a\",\"version\":\"1\",\"release\":\"2\",\"epoch\":1.5}]", 0, VG_OK, 0,
	 1, 0, NULL, NULL},
	{'j', "[{\"name\":\"a\",\"version\":\"1-1\",\"release\":\"2\"}]", 0, VG_OK, 0, 1, 0, NULL,
	 NULL},
	{'j',
	 "[{\"name\":\"a\",\"version\":\"1\"}, 3, {\"name\":\"b\",\"version\":\"1\",\"release\":"
	 "\"1\"}]",
	 0, VG_OK, 1, 2, 0, "1-1", NULL},
	{'j', "[{\"name\":\"a\\u0000b\",\"version\":\"1\",\"release\":\"2\"}]", 0, VG_EINVAL, 0, 1,
	 -1, NULL, NULL},
	{'j', "{\"name\":\"a\"}", 0, VG_EINVAL, 0, 1, 0, NULL, NULL},
	{'j', "[", 0, VG_EINVAL, 0, 1, -1, NULL, NULL},
	{'j', "", 0, VG_EINVAL, 0, 1, -1, NULL, NULL},
	/* Manifest. */
	{'m', "a\t1-1\t0\t0\t(none)\t(none)\t0\tx86_64\t0\t(none)\n", 0, VG_OK, 1, 0, -1, "1-1",
	 NULL},
	{'m', "a\t1-1\t0\t0\tV\t3\t0\tx86_64\t0\ta-1-1.src.rpm\n", 0, VG_OK, 1, 0, -1, "3:1-1",
	 "3"},
	{'m', "a\t1-1\t0\t0\tV\t3\t0\tx86_64\t0\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'m', "a\t2:1-1\t0\t0\tV\t3\t0\tx86_64\t0\ta.src.rpm\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	{'m', "a\t1\t0\t0\tV\t3\t0\tx86_64\t0\ta.src.rpm\n", 0, VG_OK, 0, 1, 1, NULL, NULL},
	/* Import sniffing. */
	{'i', "  [{\"name\":\"a\",\"version\":\"1\",\"release\":\"2\"}]", 0, VG_OK, 1, 0, -1, "1-2",
	 NULL},
	{'i', "\na\t1-1\t0\t0\tV\t(none)\t0\tx86_64\t0\ta-1-1.src.rpm\n", 0, VG_OK, 1, 0, -1, "1-1",
	 NULL},
	{'i', "a\t1-1\t0\n", 0, VG_OK, 1, 0, -1, "1-1", NULL},
	{'i', "\n\n", 0, VG_OK, 0, 0, -1, NULL, NULL},
};

static int
run_parser(int format, struct vg_inventory *inv, struct vg_str s, const char *path)
{
	switch (format) {
	case 'q':
		return vg_rpm_parse_qa(inv, s, path);
	case 'j':
		return vg_rpm_parse_json(inv, s, path);
	case 'm':
		return vg_rpm_parse_manifest(inv, s, path);
	default:
		return vg_rpm_parse_import(inv, s, path);
	}
}

static void
test_text_cases(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(text_cases); i++) {
		const struct text_case *c = &text_cases[i];
		size_t len = c->len ? c->len : strlen(c->text);
		struct vg_inventory inv;
		const struct vg_package *p;
		int rc, ok;

		vg_inventory_init(&inv, "/");
		rc = run_parser(c->format, &inv, vg_str_n(c->text, len), "in");
		p = inv.npackages ? &inv.packages[0] : NULL;
		ok = rc == c->rc && inv.npackages == c->npackages && inv.nwarnings == c->nwarnings;
		if (ok && c->first_warning_line >= 0 && inv.nwarnings)
			ok = inv.warnings[0].line == c->first_warning_line &&
			     strcmp(inv.warnings[0].path, "in") == 0;
		if (ok && c->version)
			ok = p && streq_null(p->version, c->version) &&
			     streq_null(p->epoch, c->epoch);
		for (size_t w = 0; ok && w < inv.nwarnings; w++)
			ok = inv.warnings[w].message[0] != '\0' &&
			     strcmp(inv.warnings[w].collector, "rpm") == 0;
		if (ok)
			ok = check_invariants(&inv, "case") == 0;
		if (!ok) {
			print_message(
				"case %zu (%c) '%s': rc %d (want %d), %zu packages (want %zu), %zu "
				"warnings (want %zu), first version '%s' epoch '%s'\n",
				i, c->format, c->text, rc, c->rc, inv.npackages, c->npackages,
				inv.nwarnings, c->nwarnings, p ? p->version : "-",
				p && p->epoch ? p->epoch : "-");
			print_warnings(&inv);
			bad++;
		}
		vg_inventory_release(&inv);
	}
	assert_int_equal(bad, 0);
}

/* Warnings show the offending bytes printable and bounded. */
static void
test_warning_text(void **state)
{
	struct vg_inventory inv;
	char line[400];

	(void)state;
	memset(line, 'x', sizeof(line));
	memcpy(line, "a\t\x01\x02:", 5);
	memcpy(line + sizeof(line) - 7, "-1\t5\n\n", 6);
	line[sizeof(line) - 1] = '\n';
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_rpm_parse_qa(&inv, vg_str_n(line, sizeof(line)), NULL), VG_OK);
	assert_int_equal(inv.npackages, 0);
	assert_int_equal(inv.nwarnings, 1);
	assert_null(inv.warnings[0].path);
	for (const char *m = inv.warnings[0].message; *m; m++)
		assert_true(*m >= 0x20 && *m < 0x7f);
	assert_true(strlen(inv.warnings[0].message) < 120);
	assert_non_null(strstr(inv.warnings[0].message, "invalid epoch '?"
							"?'"));
	vg_inventory_release(&inv);
}

/* Field length bounds: VG_RPM_MAX_FIELD accepted, one more rejected. */
static void
test_field_bounds(void **state)
{
	struct vg_buf b;
	struct vg_inventory inv;

	(void)state;
	for (int extra = 0; extra <= 1; extra++) {
		vg_buf_init(&b, 1 << 16);
		for (size_t i = 0; i < VG_RPM_MAX_FIELD + (size_t)extra; i++)
			assert_int_equal(vg_buf_addch(&b, 'n'), 0);
		assert_int_equal(vg_buf_addstr(&b, "\t1-1\t5\n"), 0);
		vg_inventory_init(&inv, "/");
		assert_int_equal(vg_rpm_parse_qa(&inv, vg_buf_str(&b), "in"), VG_OK);
		assert_int_equal(inv.npackages, extra ? 0 : 1);
		assert_int_equal(inv.nwarnings, extra ? 1 : 0);
		vg_inventory_release(&inv);
		vg_buf_release(&b);
	}
}

/* Inputs over VG_RPM_MAX_INPUT are refused whole; VG_RPM_MAX_RECORDS packages at most. */
static void
test_limits(void **state)
{
	const size_t line = 8; /* "a\t1-1\t0\n" */
	size_t n = (size_t)VG_RPM_MAX_RECORDS + 5;
	struct vg_inventory inv;
	char *big;

	(void)state;
	big = vg_xcalloc(VG_RPM_MAX_INPUT + 1, 1);
	for (int f = 0; f < 4; f++) {
		vg_inventory_init(&inv, "/");
		assert_int_equal(
			run_parser("qjmi"[f], &inv, vg_str_n(big, VG_RPM_MAX_INPUT + 1), "b"),
			VG_ETOOBIG);
		assert_int_equal(inv.npackages, 0);
		assert_int_equal(inv.nwarnings, 1);
		vg_inventory_release(&inv);
	}
	for (size_t i = 0; i < n; i++)
		memcpy(big + i * line, "a\t1-1\t0\n", line);
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_rpm_parse_qa(&inv, vg_str_n(big, n * line), "b"), VG_ETOOBIG);
	assert_int_equal(inv.npackages, VG_RPM_MAX_RECORDS);
	assert_int_equal(inv.nwarnings, 1);
	assert_int_equal(inv.warnings[0].line, VG_RPM_MAX_RECORDS);
	vg_inventory_release(&inv);
	/* Exactly the limit is fine. */
	vg_inventory_init(&inv, "/");
	assert_int_equal(vg_rpm_parse_qa(&inv, vg_str_n(big, VG_RPM_MAX_RECORDS * line), "b"),
			 VG_OK);
	assert_int_equal(inv.npackages, VG_RPM_MAX_RECORDS);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
	free(big);
}

static void
test_split_srpm(void **state)
{
	static const struct {
		const char *srpm, *name, *evr;
	} cases[] = {
		{"openssl-1.1.1k-12.el8.src.rpm", "openssl", "1.1.1k-12.el8"},
		{"python-urllib3-1.26.5-3.el9.src.rpm", "python-urllib3", "1.26.5-3.el9"},
		{"kernel-5.14.0-70.13.1.el9_0.src.rpm", "kernel", "5.14.0-70.13.1.el9_0"},
		{"a-1-2.nosrc.rpm", "a", "1-2"},
		{"a-b-c-1-2.src.rpm", "a-b-c", "1-2"},
		{"a-1-2.rpm", NULL, NULL},
		{"a-1.src.rpm", NULL, NULL},
		{"-1-2.src.rpm", NULL, NULL},
		{"a--2.src.rpm", NULL, NULL},
		{"a-1-.src.rpm", NULL, NULL},
		{".src.rpm", NULL, NULL},
		{"(none)", NULL, NULL},
		{"", NULL, NULL},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(cases); i++) {
		struct vg_str name = VG_STR_LIT("untouched"), evr = VG_STR_LIT("untouched");
		bool ok = vg_rpm_split_srpm(vg_str_c(cases[i].srpm), &name, &evr);

		if (cases[i].name ? !ok || !vg_str_eqc(name, cases[i].name) ||
					    !vg_str_eqc(evr, cases[i].evr)
				  : ok || !vg_str_eqc(name, "untouched")) {
			print_message("split '%s': ok %d name '%.*s' evr '%.*s'\n", cases[i].srpm,
				      ok, (int)name.len, name.p, (int)evr.len, evr.p);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ---- rpm databases built at test time ---- */

struct fixture {
	char dir[256];     /* everything of the test lives here */
	char root[300];    /* sqlite root */
	char tmpdir[300];  /* TMPDIR while collecting: must be empty afterwards */
	bool have_bdb;     /* db_load made a Berkeley DB copy */
	char bdbroot[300]; /* Berkeley DB root */
};

static struct fixture fx;

static int sh(const char *fmt, ...) VG_PRINTF(1, 2);

/* Run a shell command, its output into the fixture's log; its exit status. */
static int
sh(const char *fmt, ...)
{
	char cmd[4096], full[4400];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "( %s ) >>'%s/log' 2>&1", cmd, fx.dir);
	rc = system(full);
	if (rc != 0)
		print_message("command failed (%d): %s\n", rc, cmd);
	return rc;
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/*
 * Packages of the fixture: an epoch and a vendor, a modularity label, an
 * explicit epoch 0, and a package named gpg-pubkey (to be skipped).
 */
static const char *const specs[] = {
	"Name: vgtest-alpha\nEpoch: 3\nVersion: 1.2.3\nRelease: 4.vg1\nVendor: Vigil Test\n"
	"License: MIT\n",
	"Name: vgtest-beta\nVersion: 2.0\nRelease: 1.module+el8.3.0+42+abcdef\nLicense: "
	"GPL-2.0-or-later\n%define modularitylabel perl:5.26:8030020200716155257:b967a9a2\n",
	"Name: vgtest-gamma\nEpoch: 0\nVersion: 0.9~rc1\nRelease: 7\nLicense: BSD\n",
	"Name: gpg-pubkey\nVersion: deadbeef\nRelease: 5f5e1a2b\nLicense: pubkey\n",
};

static int
build_fixture(void)
{
	char path[600];
	int rc = 0;

	for (size_t i = 0; i < VG_ARRAY_LEN(specs); i++) {
		char spec[1024];
		int n = snprintf(
			spec, sizeof(spec),
			"%sSummary: test\nBuildArch: noarch\n%%description\ntest\n%%files\n",
			specs[i]);

		snprintf(path, sizeof(path), "%s/spec%zu.spec", fx.dir, i);
		write_file(path, spec, (size_t)n);
	}
	/* One rpmbuild for all; rpm -i creates the database. */
	rc |= sh("cd '%s' && rpmbuild -bb --quiet --define '_topdir %s/top' --define '_tmppath %s' "
		 "spec0.spec spec1.spec spec2.spec spec3.spec",
		 fx.dir, fx.dir, fx.dir);
	rc |= sh("rpm --root '%s' --dbpath /var/lib/rpm -i --justdb --nodeps --noscripts "
		 "--notriggers '%s'/top/RPMS/noarch/*.rpm",
		 fx.root, fx.dir);
	/* rpm leaves its lock and WAL files; a database copied out of an image has none. */
	rc |= sh("rm -f '%s'/var/lib/rpm/.rpm.lock '%s'/var/lib/rpm/rpmdb.sqlite-*", fx.root,
		 fx.root);
	return rc;
}

/*
 * A Berkeley DB Packages with the same headers, through db_load's dump
 * format (keys are native-endian header numbers, as rpm wrote them).
 */
static void
build_bdb_fixture(void)
{
	char script[600];
	static const char py[] =
		"import sqlite3, struct, sys\n"
		"db = sqlite3.connect('file:' + sys.argv[1] + '?immutable=1', uri=True)\n"
		"print('VERSION=3\\nformat=bytevalue\\ntype=hash\\ndb_pagesize=4096\\nHEADER=END')\n"
		"for hnum, blob in db.execute('select hnum, blob from Packages'):\n"
		"    print(' ' + struct.pack('=I', hnum).hex())\n"
		"    print(' ' + blob.hex())\n"
		"print('DATA=END')\n";

	snprintf(script, sizeof(script), "%s/dump.py", fx.dir);
	write_file(script, py, sizeof(py) - 1);
	fx.have_bdb =
		system("command -v db5.3_load >/dev/null 2>&1") == 0 &&
		sh("mkdir -p '%s/var/lib/rpm' && python3 '%s' '%s/var/lib/rpm/rpmdb.sqlite' > "
		   "'%s/dump.txt' && db5.3_load -f '%s/dump.txt' '%s/var/lib/rpm/Packages'",
		   fx.bdbroot, script, fx.root, fx.dir, fx.dir, fx.bdbroot) == 0;
	if (!fx.have_bdb)
		print_message("db5.3_load (Debian package db5.3-util) not available: the Berkeley "
			      "DB test is skipped\n");
}

static int
setup_db(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct timespec t0, t1;

	(void)state;
	snprintf(fx.dir, sizeof(fx.dir), "%s/vg-test-rpm-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fx.dir))
		return -1;
	snprintf(fx.root, sizeof(fx.root), "%s/root", fx.dir);
	snprintf(fx.bdbroot, sizeof(fx.bdbroot), "%s/bdbroot", fx.dir);
	snprintf(fx.tmpdir, sizeof(fx.tmpdir), "%s/tmp", fx.dir);
	if (mkdir(fx.tmpdir, 0700) != 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (build_fixture() != 0) {
		sh("cat '%s/log' >&2", fx.dir);
		return -1;
	}
	build_bdb_fixture();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("rpm fixtures built in %.0f ms\n",
		      (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			      (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	/* librpm's copies go to TMPDIR: make it one we can check. */
	return setenv("TMPDIR", fx.tmpdir, 1);
}

static int
teardown_db(void **state)
{
	(void)state;
	if (fx.dir[0])
		sh("rm -rf '%s'", fx.dir);
	return 0;
}

/* ---- Snapshots: the collector must not change anything under the root ---- */

static struct vg_buf *snap_buf;
static size_t snap_skip; /* length of the root prefix */
static bool snap_relaxed_shm;

static int
snap_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	/*
	 * A WAL database read in place: sqlite's shared-memory index takes read
	 * marks by design, and sqlite running as root re-applies the database's
	 * owner to the -wal and -shm it opens (a no-op chown that touches their
	 * ctime), exactly as `rpm -qa` does.  Their contents, the -wal's mtime
	 * and everything else must stay as they were.
	 */
	if (snap_relaxed_shm && has_suffix(path, "-shm"))
		return vg_buf_addf(snap_buf, "%s %o %lld\n", path + snap_skip,
				   (unsigned)st->st_mode, (long long)st->st_size) != 0;
	if (snap_relaxed_shm && has_suffix(path, "-wal"))
		return vg_buf_addf(snap_buf, "%s %o %lld %lld.%09ld\n", path + snap_skip,
				   (unsigned)st->st_mode, (long long)st->st_size,
				   (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec) != 0;
	return vg_buf_addf(snap_buf, "%s %o %lld %lld.%09ld %lld.%09ld\n", path + snap_skip,
			   (unsigned)st->st_mode, (long long)st->st_size,
			   (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
			   (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec) != 0;
}

static char *
snapshot(const char *root, bool relaxed_shm)
{
	struct vg_buf b;
	char *s;

	vg_buf_init(&b, 1 << 20);
	snap_buf = &b;
	snap_skip = strlen(root);
	snap_relaxed_shm = relaxed_shm;
	assert_int_equal(nftw(root, snap_one, 16, FTW_PHYS), 0);
	s = vg_buf_detach(&b, NULL);
	vg_buf_release(&b);
	return s;
}

static bool
dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	bool empty = true;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = false;
	closedir(d);
	return empty;
}

/*
 * Collect @root with stderr captured: librpm must not print anything and
 * nothing under the root may change; the private copy must be gone.
 */
static void
collect_quietly(struct vg_inventory *inv, const char *root, bool relaxed_shm)
{
	char errpath[400], *before, *after;
	struct stat st;
	int saved, fd;

	snprintf(errpath, sizeof(errpath), "%s/stderr", fx.dir);
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	before = snapshot(root, relaxed_shm);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	vg_inventory_init(inv, root);
	assert_int_equal(vg_collect_rpm(inv), VG_OK);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	after = snapshot(root, relaxed_shm);
	if (strcmp(before, after) != 0)
		fail_msg("the root changed:\n--- before\n%s--- after\n%s", before, after);
	assert_int_equal(stat(errpath, &st), 0);
	if (st.st_size != 0) {
		sh("cat '%s' >&2", errpath);
		fail_msg("librpm wrote %lld bytes to stderr", (long long)st.st_size);
	}
	assert_true(dir_is_empty(fx.tmpdir));
	free(before);
	free(after);
}

static void
check_db_packages(const struct vg_inventory *inv, const char *path)
{
	const struct vg_package *p;

	print_warnings(inv);
	assert_int_equal(inv->nwarnings, 0);
	assert_int_equal(inv->npackages, 3); /* gpg-pubkey skipped */
	assert_null(find_pkg(inv, "gpg-pubkey"));
	assert_int_equal(check_invariants(inv, path), 0);

	p = find_pkg(inv, "vgtest-alpha");
	assert_non_null(p);
	CHECK_STR(p->version, "3:1.2.3-4.vg1");
	CHECK_STR(p->epoch, "3");
	CHECK_STR(p->rpm_version, "1.2.3");
	CHECK_STR(p->release, "4.vg1");
	CHECK_STR(p->architecture, "noarch");
	CHECK_STR(p->vendor, "Vigil Test");
	CHECK_STR(p->license, "MIT");
	CHECK_STR(p->modularity, NULL);
	CHECK_STR(p->source_rpm, "vgtest-alpha-1.2.3-4.vg1.src.rpm");
	CHECK_STR(p->source_name, "vgtest-alpha");
	CHECK_STR(p->source_version, "1.2.3-4.vg1");
	CHECK_STR(p->path, path);

	p = find_pkg(inv, "vgtest-beta");
	assert_non_null(p);
	CHECK_STR(p->version, "2.0-1.module+el8.3.0+42+abcdef");
	CHECK_STR(p->epoch, NULL);
	CHECK_STR(p->vendor, NULL);
	CHECK_STR(p->modularity, "perl:5.26:8030020200716155257:b967a9a2");
	CHECK_STR(p->source_name, "vgtest-beta");
	CHECK_STR(p->source_version, "2.0-1.module+el8.3.0+42+abcdef");

	/* An explicit epoch 0 is shown, as rpm's %{EVR} shows it. */
	p = find_pkg(inv, "vgtest-gamma");
	assert_non_null(p);
	CHECK_STR(p->version, "0:0.9~rc1-7");
	CHECK_STR(p->epoch, "0");
	CHECK_STR(p->rpm_version, "0.9~rc1");
}

/* sqlite database without -wal/-shm (as in images): read from a private copy. */
static void
test_db_sqlite(void **state)
{
	struct vg_inventory inv;

	(void)state;
	collect_quietly(&inv, fx.root, false);
	check_db_packages(&inv, "/var/lib/rpm/rpmdb.sqlite");
	vg_inventory_release(&inv);
}

/* With -wal and -shm present (a live host) the database is read in place, adding nothing. */
static void
test_db_sqlite_in_place(void **state)
{
	char root2[400];
	struct vg_inventory inv;

	(void)state;
	snprintf(root2, sizeof(root2), "%s/root-live", fx.dir);
	assert_int_equal(sh("cp -a '%s' '%s' && rpm --root '%s' --dbpath /var/lib/rpm -qa && ls -a "
			    "'%s/var/lib/rpm' | grep -q sqlite-shm",
			    fx.root, root2, root2, root2),
			 0);
	assert_int_equal(sh("rm -f '%s/var/lib/rpm/.rpm.lock'", root2), 0);
	collect_quietly(&inv, root2, true);
	check_db_packages(&inv, "/var/lib/rpm/rpmdb.sqlite");
	vg_inventory_release(&inv);
}

/* usr/lib/sysimage/rpm (Fedora 36+) and a relative root. */
static void
test_db_sysimage(void **state)
{
	char root2[400], cwd[4096];
	struct vg_inventory inv;

	(void)state;
	snprintf(root2, sizeof(root2), "%s/root-sysimage", fx.dir);
	assert_int_equal(sh("mkdir -p '%s/usr/lib/sysimage' && cp -a '%s/var/lib/rpm' "
			    "'%s/usr/lib/sysimage/rpm'",
			    root2, fx.root, root2),
			 0);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(fx.dir), 0);
	collect_quietly(&inv, "root-sysimage", false);
	assert_int_equal(chdir(cwd), 0);
	check_db_packages(&inv, "/usr/lib/sysimage/rpm/rpmdb.sqlite");
	vg_inventory_release(&inv);
}

static void
test_db_bdb(void **state)
{
	struct vg_inventory inv;

	(void)state;
	if (!fx.have_bdb)
		skip();
	/* Only Packages: librpm's warnings about the missing index files are not shown. */
	collect_quietly(&inv, fx.bdbroot, false);
	check_db_packages(&inv, "/var/lib/rpm/Packages");
	vg_inventory_release(&inv);
}

/* Make a root whose @rel holds @len bytes from @data (or a damaged copy of the fixture db). */
static void
make_root(const char *name, const char *rel, const char *data, size_t len, char *root)
{
	char path[600];

	snprintf(root, 400, "%s/%s", fx.dir, name);
	snprintf(path, sizeof(path), "%s%s", root, rel);
	assert_int_equal(sh("mkdir -p \"$(dirname '%s')\"", path), 0);
	write_file(path, data, len);
}

static void
expect_warning_only(struct vg_inventory *inv, const char *needle)
{
	bool found = false;

	print_warnings(inv);
	assert_int_equal(inv->npackages, 0);
	assert_true(inv->nwarnings >= 1);
	for (size_t i = 0; i < inv->nwarnings; i++) {
		assert_string_equal(inv->warnings[i].collector, "rpm");
		found |= strstr(inv->warnings[i].message, needle) != NULL;
	}
	if (!found)
		fail_msg("no warning contains '%s'", needle);
}

static void
test_db_corrupt(void **state)
{
	char junk[8192], root[400], *db;
	struct vg_inventory inv;
	size_t len;
	char dbpath[600];

	(void)state;
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 131 + 7);

	/* Not an sqlite file at all. */
	make_root("junk-sqlite", "/var/lib/rpm/rpmdb.sqlite", junk, sizeof(junk), root);
	collect_quietly(&inv, root, false);
	expect_warning_only(&inv, "not an sqlite database");
	vg_inventory_release(&inv);

	/* A real database cut in half: sqlite reports it malformed. */
	snprintf(dbpath, sizeof(dbpath), "%s/var/lib/rpm/rpmdb.sqlite", fx.root);
	db = slurp(dbpath, &len);
	make_root("half-sqlite", "/var/lib/rpm/rpmdb.sqlite", db, len / 2, root);
	collect_quietly(&inv, root, false);
	expect_warning_only(&inv, "cannot read the sqlite rpm database");
	vg_inventory_release(&inv);

	/* Its pages scrambled past the header. */
	for (size_t i = 100; i < len; i += 97)
		db[i] = (char)(db[i] ^ 0x5a);
	make_root("scrambled-sqlite", "/var/lib/rpm/rpmdb.sqlite", db, len, root);
	collect_quietly(&inv, root, false);
	print_warnings(&inv);
	assert_true(inv.nwarnings >= 1);
	vg_inventory_release(&inv);
	free(db);

	/* Berkeley DB: junk, then a real one damaged. */
	make_root("junk-bdb", "/var/lib/rpm/Packages", junk, sizeof(junk), root);
	collect_quietly(&inv, root, false);
	expect_warning_only(&inv, "not a berkeley db");
	vg_inventory_release(&inv);
	if (fx.have_bdb) {
		snprintf(dbpath, sizeof(dbpath), "%s/var/lib/rpm/Packages", fx.bdbroot);
		db = slurp(dbpath, &len);
		for (size_t i = 4096; i < len; i += 61)
			db[i] = (char)(db[i] ^ 0xa5);
		make_root("scrambled-bdb", "/var/lib/rpm/Packages", db, len, root);
		collect_quietly(&inv, root, false);
		print_warnings(&inv);
		assert_true(inv.nwarnings >= 1);
		vg_inventory_release(&inv);
		free(db);
	}

	/* ndb: Debian's librpm has no ndb backend. */
	make_root("junk-ndb", "/var/lib/rpm/Packages.db", junk, sizeof(junk), root);
	collect_quietly(&inv, root, false);
	expect_warning_only(&inv, "ndb");
	vg_inventory_release(&inv);
}

/* No database: nothing, no warning, not even for an empty var/lib/rpm (Debian with rpm). */
static void
test_no_db(void **state)
{
	char root[400];
	struct vg_inventory inv;
	struct timespec t0, t1;
	const int rounds = 2000;
	double us;

	(void)state;
	snprintf(root, sizeof(root), "%s/empty/var/lib/rpm", fx.dir);
	assert_int_equal(sh("mkdir -p '%s' '%s/empty/usr/lib/sysimage'", root, fx.dir), 0);
	snprintf(root, sizeof(root), "%s/empty", fx.dir);
	collect_quietly(&inv, root, false);
	assert_int_equal(inv.npackages, 0);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);

	vg_inventory_init(&inv, "/nonexistent/root");
	assert_int_equal(vg_collect_rpm(&inv), VG_OK);
	assert_int_equal(inv.npackages + inv.nwarnings, 0);
	vg_inventory_release(&inv);

	/* It runs on every Debian scan: a few stat() calls, librpm never touched. */
	vg_inventory_init(&inv, root);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < rounds; i++)
		assert_int_equal(vg_collect_rpm(&inv), VG_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	vg_inventory_release(&inv);
	us = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) /
	     rounds;
	print_message("vg_collect_rpm without a database: %.1f us per call\n", us);
	assert_true(us < 500);
}

/* The distroless manifest is read when there is no database. */
static void
test_manifest_root(void **state)
{
	char *src = shared_rpm("cbl-mariner2_container-manifest-2.txt"), root[400];
	struct vg_inventory inv;
	size_t len;
	char *text = slurp(src, &len);

	(void)state;
	make_root("mariner", "/var/lib/rpmmanifest/container-manifest-2", text, len, root);
	collect_quietly(&inv, root, false);
	print_warnings(&inv);
	assert_int_equal(inv.nwarnings, 0);
	check_manifest_packages(&inv, "/var/lib/rpmmanifest/container-manifest-2");
	vg_inventory_release(&inv);
	free(text);
	free(src);
}

/* Back to back collections reuse librpm's one-time configuration and leave its log mask. */
static void
test_db_repeat(void **state)
{
	struct vg_inventory inv;

	(void)state;
	for (int i = 0; i < 3; i++) {
		collect_quietly(&inv, fx.root, false);
		assert_int_equal(inv.npackages, 3);
		vg_inventory_release(&inv);
	}
}

int
main(void)
{
	const struct CMUnitTest parsers[] = {
		cmocka_unit_test(test_qa_listings),        cmocka_unit_test(test_qa_known_entries),
		cmocka_unit_test(test_qa_modularity),      cmocka_unit_test(test_json_listings),
		cmocka_unit_test(test_json_known_entries), cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_text_cases),         cmocka_unit_test(test_warning_text),
		cmocka_unit_test(test_field_bounds),       cmocka_unit_test(test_limits),
		cmocka_unit_test(test_split_srpm),
	};
	const struct CMUnitTest databases[] = {
		cmocka_unit_test(test_db_sqlite),     cmocka_unit_test(test_db_sqlite_in_place),
		cmocka_unit_test(test_db_sysimage),   cmocka_unit_test(test_db_bdb),
		cmocka_unit_test(test_db_corrupt),    cmocka_unit_test(test_no_db),
		cmocka_unit_test(test_manifest_root), cmocka_unit_test(test_db_repeat),
	};
	int failed = cmocka_run_group_tests_name("rpm listings", parsers, NULL, NULL);

	return failed +
	       cmocka_run_group_tests_name("rpm databases", databases, setup_db, teardown_db);
}
