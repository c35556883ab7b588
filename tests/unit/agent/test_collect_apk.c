/*
 * test_collect_apk.c - tests of src/agent/collect_apk.c: the apk installed
 * database parser and vg_collect_apk().
 *
 * - Every ../shared/data/inventories/apk/ NAME.expected.tsv: its records
 *   with a name and a version are the packages, in file order, with the
 *   literal P, V, A, o and L values; the records lacking P or V are skipped
 *   with a warning each (plus, for the corrupt files, the records that
 *   have neither, which the expected files do not list).
 * - Hand-written cases: CRLF, repeated keys, empty values, malformed lines,
 *   record separators, limits.
 * - The fixture roots end to end through vg_collect_apk(), and an
 *   unreadable database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/collect_apk.h"
#include "agent/inventory.h"
#include "core/alloc.h"
#include "core/err.h"
#include "vgtest.h"

#define SHARED_DIR "inventories/apk"

static const char *
opt(const char *s)
{
	return s ? s : "";
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void
parse_buffer(struct vg_inventory *inv, const char *data, size_t len)
{
	vg_inventory_init(inv, "/");
	assert_int_equal(vg_apk_parse(inv, vg_str_n(data, len), "/test/installed"), VG_OK);
}

static void
print_warnings(const char *what, const struct vg_inventory *inv)
{
	for (size_t i = 0; i < inv->nwarnings; i++)
		print_message("%s: warning line %d: %s\n", what, inv->warnings[i].line,
			      inv->warnings[i].message);
}

/* Compare one package with the literal fields of an expected row; returns 0 or 1. */
static int
check_package(const char *what, int lineno, const struct vg_package *p, const char *name,
	      const char *version, const char *arch, const char *origin, const char *license)
{
	const char *source = *origin ? origin : name;

	if (p->type == VG_PKG_APK && strcmp(opt(p->name), name) == 0 &&
	    strcmp(opt(p->version), version) == 0 && strcmp(opt(p->architecture), arch) == 0 &&
	    strcmp(opt(p->source_name), source) == 0 &&
	    strcmp(opt(p->source_version), version) == 0 && strcmp(opt(p->license), license) == 0 &&
	    !p->status && !p->status_text && (*arch || !p->architecture) &&
	    (*license || !p->license))
		return 0;
	print_message("%s line %d: want %s %s %s %s '%s', got %s %s %s %s/%s '%s'\n", what, lineno,
		      name, version, arch, source, license, opt(p->name), opt(p->version),
		      opt(p->architecture), opt(p->source_name), opt(p->source_version),
		      opt(p->license));
	return 1;
}

/*
 * Warnings of the shared files: one per record without P or V.  The corrupt
 * files also have records with neither key, which the expected files do not
 * list; for a file not named here, at least the rows lacking P or V warn.
 */
static const struct {
	const char *file;
	size_t warnings;
} shared_warnings[] = {
	{"osv-scalibr_invalid.installed", 2}, /* "asdf" and "yolo" records */
	{"syft_corrupt.installed", 1},        /* "this is a corrupt db" */
	{"trivy_alpine.installed", 1},        /* invalidPackageWithoutAVersion */
	{"osv-scalibr_no-origin.installed", 0},
	{"osv-scalibr_installed.installed", 0},
	{"osv-scalibr_different-arch.installed", 0},
	{"osv-scalibr_single.installed", 0},
	{"syft_multiple-1.installed", 0},
	{"syft_multiple-2.installed", 0},
};

static long
known_warnings(const char *file)
{
	for (size_t i = 0; i < VG_ARRAY_LEN(shared_warnings); i++)
		if (strcmp(shared_warnings[i].file, file) == 0)
			return (long)shared_warnings[i].warnings;
	return -1;
}

/* Check one shared file; returns the number of failures and counts its rows. */
static int
check_shared_file(const char *dir, const char *expected_name, size_t *nrows)
{
	char db_path[4096], expected_path[4096], db_name[1024];
	size_t skipped = 0, k = 0, len = 0;
	struct vg_inventory inv;
	struct vgt_tsv t;
	char *data = NULL;
	long known;
	int bad = 0;

	snprintf(db_name, sizeof(db_name), "%.*s",
		 (int)(strlen(expected_name) - strlen(".expected.tsv")), expected_name);
	snprintf(db_path, sizeof(db_path), "%s/%s", dir, db_name);
	snprintf(expected_path, sizeof(expected_path), "%s/%s", dir, expected_name);
	assert_int_equal(vg_inv_read_file(db_path, VG_APK_MAX_FILE, &data, &len), VG_OK);
	parse_buffer(&inv, data, len);

	vgt_tsv_open(&t, expected_path);
	while (vgt_tsv_next(&t)) {
		const char *name = vgt_tsv_get(&t, "package"),
			   *version = vgt_tsv_get(&t, "version");

		(*nrows)++;
		if (!*name || !*version) {
			skipped++;
			continue;
		}
		if (k == inv.npackages) {
			print_message("%s line %d: '%s' missing\n", db_name, t.lineno, name);
			bad++;
			continue;
		}
		bad += check_package(db_name, t.lineno, &inv.packages[k++], name, version,
				     vgt_tsv_get(&t, "arch"), vgt_tsv_get(&t, "origin"),
				     vgt_tsv_get(&t, "license"));
	}
	vgt_tsv_close(&t);
	if (k != inv.npackages) {
		print_message("%s: %zu packages, want %zu\n", db_name, inv.npackages, k);
		bad++;
	}
	known = known_warnings(db_name);
	if ((known >= 0 && inv.nwarnings != (size_t)known) || inv.nwarnings < skipped) {
		print_message("%s: %zu warnings, want %ld (%zu records lacking P or V)\n", db_name,
			      inv.nwarnings, known, skipped);
		print_warnings(db_name, &inv);
		bad++;
	}
	for (size_t i = 0; i < inv.npackages; i++)
		assert_string_equal(inv.packages[i].path, "/test/installed");
	vg_inventory_release(&inv);
	free(data);
	return bad;
}

static void
test_shared_expected(void **state)
{
	char *dir = vgt_shared_path(SHARED_DIR);
	size_t files = 0, rows = 0;
	struct dirent *de;
	DIR *d;
	int bad = 0;

	(void)state;
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".expected.tsv"))
			continue;
		files++;
		bad += check_shared_file(dir, de->d_name, &rows);
	}
	closedir(d);
	print_message("%zu expected files, %zu rows checked, %d failures\n", files, rows, bad);
	assert_true(files > 0);
	assert_true(rows > 0);
	assert_int_equal(bad, 0);
	free(dir);
}

/* ---- hand-written cases ---- */

struct parse_case {
	const char *what;
	const char *input;
	size_t len;         /* 0: strlen(input) */
	const char *rows;   /* "name|version|arch|source|license\n" per package, in order */
	size_t warnings;    /* how many warnings */
	const char *needle; /* a word the first warning must contain, or NULL */
};

#define WITH_LEN(s) s, sizeof(s) - 1

static const struct parse_case parse_cases[] = {
	{"empty", "", 0, "", 0, NULL},
	{"blank lines only", "\n\n\r\n\n", 0, "", 0, NULL},
	{"one record, no final newline", "P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nL:MIT", 0,
	 "musl|1.2.4-r2|x86_64|musl|MIT\n", 0, NULL},
	{"CRLF line ends", "P:a\r\nV:1-r0\r\nA:aarch64\r\n\r\nP:b\r\nV:2-r0\r\no:bb\r\n", 0,
	 "a|1-r0|aarch64|a|\nb|2-r0||bb|\n", 0, NULL},
	{"first occurrence wins", "P:a\nV:1-r0\nP:b\nV:2-r0\nL:GPL\nL:MIT\n", 0, "a|1-r0||a|GPL\n",
	 0, NULL},
	{"empty origin, arch and licence are absent", "P:a\nV:1-r0\no:\nA:\nL:\n", 0,
	 "a|1-r0||a|\n", 0, NULL},
	{"values are literal", "P: a b\nV:1.0 \nL:( Apache-2.0 OR MIT ) AND MPL-2.0\n", 0,
	 " a b|1.0 || a b|( Apache-2.0 OR MIT ) AND MPL-2.0\n", 0, NULL},
	{"a one-byte line ends the record", "P:a\nV:1\nx\nP:b\nV:2\n", 0, "a|1||a|\nb|2||b|\n", 0,
	 NULL},
	{"many blank lines between records", "\n\nP:a\nV:1\n\n\n\n\nP:b\nV:2\n\n\n", 0,
	 "a|1||a|\nb|2||b|\n", 0, NULL},
	{"other keys are ignored",
	 "C:Q1abc=\nP:a\nV:1\nS:1234\nI:5678\nT:desc: with colon\n"
	 "F:etc\nR:passwd\nZ:Q1xyz=\na:0:0:755\n",
	 0, "a|1||a|\n", 0, NULL},
	{"record without P", "V:1\nA:x86_64\n\nP:b\nV:2\n", 0, "b|2||b|\n", 1, "name"},
	{"record without V", "P:a\n\nP:b\nV:2\n", 0, "b|2||b|\n", 1, "version"},
	{"empty P", "P:\nV:1\n", 0, "", 1, "name"},
	{"empty V", "P:a\nV:\n", 0, "", 1, "version"},
	{"record of malformed lines", "this is a corrupt db\n\nP:a\nV:1\n", 0, "a|1||a|\n", 1,
	 "name"},
	{"malformed lines in a good record", "P:a\nnot a field\nV:1\nalso bad\n", 0, "a|1||a|\n", 1,
	 "malformed"},
	{"NUL byte in a value", WITH_LEN("P:a\nV:1\0002\n\nP:b\nV:2\n"), "b|2||b|\n", 1, "NUL"},
	{"NUL byte in an ignored value", WITH_LEN("P:a\nV:1\nT:\0\n"), "a|1||a|\n", 0, NULL},
};

#undef WITH_LEN

static int
check_case(const struct parse_case *c)
{
	size_t len = c->len ? c->len : strlen(c->input), k = 0;
	const char *spec = c->rows;
	struct vg_inventory inv;
	int bad = 0;

	parse_buffer(&inv, c->input, len);
	while (*spec) {
		char line[512], *f[5];
		const char *nl = strchr(spec, '\n');
		size_t n = (size_t)(nl - spec);

		assert_non_null(nl);
		assert_true(n < sizeof(line));
		memcpy(line, spec, n);
		line[n] = '\0';
		f[0] = line;
		for (int i = 1; i < 5; i++) {
			f[i] = strchr(f[i - 1], '|');
			assert_non_null(f[i]);
			*f[i]++ = '\0';
		}
		if (k < inv.npackages)
			bad += check_package(c->what, 0, &inv.packages[k], f[0], f[1], f[2],
					     strcmp(f[3], f[0]) == 0 ? "" : f[3], f[4]);
		k++;
		spec = nl + 1;
	}
	if (k != inv.npackages) {
		print_message("%s: %zu packages, want %zu\n", c->what, inv.npackages, k);
		bad++;
	}
	if (inv.nwarnings != c->warnings ||
	    (c->needle && !strstr(inv.warnings[0].message, c->needle))) {
		print_message("%s: %zu warnings, want %zu mentioning '%s'\n", c->what,
			      inv.nwarnings, c->warnings, c->needle ? c->needle : "");
		print_warnings(c->what, &inv);
		bad++;
	}
	for (size_t w = 0; w < inv.nwarnings; w++) {
		assert_string_equal(inv.warnings[w].collector, "apk");
		assert_string_equal(inv.warnings[w].path, "/test/installed");
		assert_true(inv.warnings[w].line > 0);
	}
	vg_inventory_release(&inv);
	return bad != 0;
}

static void
test_parse_table(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < VG_ARRAY_LEN(parse_cases); i++)
		bad += check_case(&parse_cases[i]);
	print_message("%zu parse cases, %d failed\n", VG_ARRAY_LEN(parse_cases), bad);
	assert_int_equal(bad, 0);
}

/* Warnings point at the line the bad record starts on. */
static void
test_warning_lines(void **state)
{
	static const char input[] = "P:a\nV:1\n\nP:b\n\n\nP:c\nV:3\nbad line\n";
	struct vg_inventory inv;

	(void)state;
	parse_buffer(&inv, input, strlen(input));
	assert_int_equal(inv.npackages, 2);
	assert_int_equal(inv.nwarnings, 2);
	assert_int_equal(inv.warnings[0].line, 4);
	assert_non_null(strstr(inv.warnings[0].message, "'b'"));
	assert_int_equal(inv.warnings[1].line, 9);
	vg_inventory_release(&inv);
}

/* Repeated architectures are shared; origin equal to the name is the name. */
static void
test_sharing(void **state)
{
	static const char input[] = "P:a\nV:1\nA:x86_64\no:a\n\nP:b\nV:2\nA:x86_64\no:a\n";
	struct vg_inventory inv;

	(void)state;
	parse_buffer(&inv, input, strlen(input));
	assert_int_equal(inv.npackages, 2);
	assert_ptr_equal(inv.packages[0].architecture, inv.packages[1].architecture);
	assert_ptr_equal(inv.packages[0].source_name, inv.packages[0].name);
	assert_ptr_equal(inv.packages[0].source_version, inv.packages[0].version);
	assert_string_equal(inv.packages[1].source_name, "a");
	vg_inventory_release(&inv);
}

static void
test_limits(void **state)
{
	size_t n = VG_APK_MAX_VALUE + 1, len;
	char *buf = vg_xmalloc(n + 64), byte = 'P';
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, "/");
	/* The size is checked before any byte is read. */
	assert_int_equal(vg_apk_parse(&inv, vg_str_n(&byte, VG_APK_MAX_FILE + 1), "/big"),
			 VG_ETOOBIG);
	assert_int_equal(inv.npackages, 0);
	assert_int_equal(inv.nwarnings, 1);
	vg_inventory_release(&inv);

	len = (size_t)snprintf(buf, 64, "P:a\nV:");
	memset(buf + len, '1', n);
	len += n;
	parse_buffer(&inv, buf, len);
	assert_int_equal(inv.npackages, 0);
	assert_int_equal(inv.nwarnings, 1);
	assert_non_null(strstr(inv.warnings[0].message, "too long"));
	vg_inventory_release(&inv);
	free(buf);
}

/* Records beyond VG_APK_MAX_RECORDS are not read. */
static void
test_record_limit(void **state)
{
	static const char record[] = "P:a\nV:1\n\n";
	size_t n = (size_t)VG_APK_MAX_RECORDS + 1, len = 0;
	char *buf = vg_xmalloc(n * (sizeof(record) - 1));
	struct vg_inventory inv;

	(void)state;
	for (size_t i = 0; i < n; i++, len += sizeof(record) - 1)
		memcpy(buf + len, record, sizeof(record) - 1);
	parse_buffer(&inv, buf, len);
	assert_int_equal(inv.npackages, VG_APK_MAX_RECORDS);
	assert_int_equal(inv.nwarnings, 1);
	assert_non_null(strstr(inv.warnings[0].message, "more than"));
	vg_inventory_release(&inv);
	free(buf);
}

/* ---- the collector ---- */

static void
test_collect_alpine_root(void **state)
{
	char *root = vgt_test_data_path("roots/alpine318-min");
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_apk(&inv), VG_OK);
	assert_int_equal(inv.nwarnings, 0);
	assert_int_equal(inv.npackages, 2);
	assert_int_equal(check_package("alpine318-min", 1, &inv.packages[0], "musl", "1.2.4-r2",
				       "x86_64", "musl", ""),
			 0);
	assert_int_equal(check_package("alpine318-min", 2, &inv.packages[1], "busybox", "1.36.1-r2",
				       "x86_64", "busybox", ""),
			 0);
	assert_string_equal(inv.packages[0].path, "/lib/apk/db/installed");
	vg_inventory_release(&inv);
	free(root);
}

static void
test_collect_no_apk(void **state)
{
	char *root = vgt_test_data_path("roots/debian12-min");
	struct vg_inventory inv;

	(void)state;
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_apk(&inv), VG_OK);
	assert_int_equal(inv.npackages, 0);
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
	free(root);
}

/* usrmerged systems keep the database in usr/lib; with both, lib is read once. */
static void
test_collect_usrmerge(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char root[4096], path[4200], cmd[4300];
	struct vg_inventory inv;
	FILE *f;

	(void)state;
	snprintf(root, sizeof(root), "%s/vg-apk-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/usr/lib/apk/db'", root);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/usr/lib/apk/db/installed", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("P:wolfi-baselayout\nV:20230201-r21\nA:x86_64\n", f);
	fclose(f);
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_apk(&inv), VG_OK);
	assert_int_equal(inv.npackages, 1);
	assert_string_equal(inv.packages[0].path, "/usr/lib/apk/db/installed");
	vg_inventory_release(&inv);

	snprintf(cmd, sizeof(cmd), "ln -s usr/lib '%s/lib'", root);
	assert_int_equal(system(cmd), 0);
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_apk(&inv), VG_OK);
	assert_int_equal(inv.npackages, 1);
	assert_string_equal(inv.packages[0].path, "/lib/apk/db/installed");
	assert_int_equal(inv.nwarnings, 0);
	vg_inventory_release(&inv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* An unreadable database (a directory, or no permission) is a warning, not a failure. */
static void
test_collect_unreadable(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char root[4096], path[4200], cmd[4300];
	struct vg_inventory inv;
	FILE *f;

	(void)state;
	snprintf(root, sizeof(root), "%s/vg-apk-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/lib/apk/db/installed'", root);
	assert_int_equal(system(cmd), 0);
	vg_inventory_init(&inv, root);
	assert_int_equal(vg_collect_apk(&inv), VG_OK);
	assert_int_equal(inv.npackages, 0);
	assert_int_equal(inv.nwarnings, 1);
	assert_string_equal(inv.warnings[0].path, "/lib/apk/db/installed");
	vg_inventory_release(&inv);

	/* Permissions do not bind root. */
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "%s/lib/apk/db/installed", root);
		assert_int_equal(rmdir(path), 0);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("P:a\nV:1\n", f);
		fclose(f);
		assert_int_equal(chmod(path, 0), 0);
		vg_inventory_init(&inv, root);
		assert_int_equal(vg_collect_apk(&inv), VG_OK);
		assert_int_equal(inv.npackages, 0);
		assert_int_equal(inv.nwarnings, 1);
		assert_non_null(strstr(inv.warnings[0].message, "permission"));
		vg_inventory_release(&inv);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_expected),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_warning_lines),
		cmocka_unit_test(test_sharing),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_record_limit),
		cmocka_unit_test(test_collect_alpine_root),
		cmocka_unit_test(test_collect_no_apk),
		cmocka_unit_test(test_collect_usrmerge),
		cmocka_unit_test(test_collect_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
