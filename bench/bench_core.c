/*
 * bench_core.c - throughput of the core library over the vector tables.
 *
 * For each comparator (comparisons per second), the CVSS calculator (scores
 * per second) and CPE matching (name comparisons per second), the operands
 * of the matching table in ../shared/data/vectors are loaded into memory
 * once and then run in a loop for a fixed time slice; each figure is the
 * median of RUNS slices.  Only valid rows are timed, so error paths do not
 * flatter the numbers.
 *
 * Usage: bench_core [SHARED_DATA_DIR]   (default $VG_SHARED_DATA or ../shared/data)
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/cpe.h"
#include "core/cvss.h"
#include "core/version/version.h"

#define RUNS      5
#define SLICE_SEC 0.4
#define MAX_ROWS  8192

struct table {
	int n;
	char *a[MAX_ROWS];
	char *b[MAX_ROWS];
};

/* What one iteration over the table does; returns a value so the work cannot be optimised away. */
typedef long (*bench_fn)(const struct table *t, void *ctx);

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Load columns @ca and @cb (cb may be NULL) of a vector table. */
static void
load(struct table *t, const char *dir, const char *file, const char *ca, const char *cb)
{
	char path[4096], *line = NULL, *cols[32];
	int ia = -1, ib = -1, ncols = 0;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vectors/%s", dir, file);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_core: cannot open '%s'\n", path);
		exit(1);
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		char *p = line;
		int n = 0;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#')
			continue;
		cols[n++] = p;
		for (; *p && n < 32; p++)
			if (*p == '\t') {
				*p = '\0';
				cols[n++] = p + 1;
			}
		if (ncols == 0) {
			ncols = n;
			for (int i = 0; i < n; i++) {
				if (strcmp(cols[i], ca) == 0)
					ia = i;
				if (cb && strcmp(cols[i], cb) == 0)
					ib = i;
			}
			continue;
		}
		if (ia < 0 || ia >= n || (cb && (ib < 0 || ib >= n)) || t->n == MAX_ROWS)
			continue;
		t->a[t->n] = vg_xstrdup(cols[ia]);
		t->b[t->n] = vg_xstrdup(cb ? cols[ib] : "");
		t->n++;
	}
	free(line);
	fclose(f);
}

/*
 * Load real PyPI versions from the "versions:" lists of the PYSEC advisories
 * (the .yaml files of osv/pypa-pysec) as consecutive pairs: PEP 440 has no vector table,
 * and neighbouring releases are the comparisons a matcher actually makes.
 */
static void
load_pysec_versions(struct table *t, const char *dir)
{
	char path[4096], line[1024], prev[1024] = "";
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/osv/pypa-pysec", dir);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && t->n < MAX_ROWS) {
		bool in_versions = false;
		FILE *f;

		if (!strstr(de->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/osv/pypa-pysec/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		prev[0] = '\0';
		while (fgets(line, sizeof(line), f) && t->n < MAX_ROWS) {
			line[strcspn(line, "\r\n")] = '\0';
			if (strstr(line, "versions:")) {
				in_versions = true;
				continue;
			}
			if (!in_versions || strncmp(line, "  - ", 4) != 0) {
				in_versions = in_versions && strncmp(line, "  - ", 4) == 0;
				continue;
			}
			if (prev[0]) {
				t->a[t->n] = vg_xstrdup(prev);
				t->b[t->n++] = vg_xstrdup(line + 4);
			}
			snprintf(prev, sizeof(prev), "%s", line + 4);
		}
		fclose(f);
	}
	closedir(d);
}

/* Keep only the rows both of whose operands the scheme accepts. */
static void
keep_valid(struct table *t, enum vg_ver_scheme scheme)
{
	int w = 0;

	for (int i = 0; i < t->n; i++) {
		if (vg_ver_validate(scheme, vg_str_c(t->a[i]), NULL) == 0 &&
		    vg_ver_validate(scheme, vg_str_c(t->b[i]), NULL) == 0) {
			t->a[w] = t->a[i];
			t->b[w++] = t->b[i];
		}
	}
	t->n = w;
}

static long
run_compare(const struct table *t, void *ctx)
{
	enum vg_ver_scheme scheme = *(enum vg_ver_scheme *)ctx;
	long sum = 0;

	for (int i = 0; i < t->n; i++) {
		int cmp = 0;

		if (vg_ver_compare(scheme, vg_str_c(t->a[i]), vg_str_c(t->b[i]), &cmp, NULL) == 0)
			sum += cmp;
	}
	return sum;
}

static long
run_npm(const struct table *t, void *ctx)
{
	long sum = 0;

	(void)ctx;
	for (int i = 0; i < t->n; i++) {
		bool ok = false;

		if (vg_npm_range_satisfies(vg_str_c(t->a[i]), vg_str_c(t->b[i]), &ok, NULL) == 0)
			sum += ok;
	}
	return sum;
}

static long
run_cvss(const struct table *t, void *ctx)
{
	struct vg_cvss c;
	long sum = 0;

	(void)ctx;
	for (int i = 0; i < t->n; i++)
		if (vg_cvss_parse(vg_str_c(t->a[i]), &c, NULL) == 0)
			sum += (long)(c.base * 10);
	return sum;
}

static long
run_cpe(const struct table *t, void *ctx)
{
	long sum = 0;

	(void)ctx;
	for (int i = 0; i < t->n; i++) {
		struct vg_cpe a, b;

		vg_cpe_init(&a);
		vg_cpe_init(&b);
		if (vg_cpe_parse(vg_str_c(t->a[i]), &a, NULL) == 0 &&
		    vg_cpe_parse(vg_str_c(t->b[i]), &b, NULL) == 0)
			sum += vg_cpe_compare(&a, &b, NULL);
		vg_cpe_release(&a);
		vg_cpe_release(&b);
	}
	return sum;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
report(const char *name, const char *unit, const struct table *t, bench_fn fn, void *ctx)
{
	double rates[RUNS];
	volatile long sink = 0;

	if (t->n == 0) {
		printf("%-24s no valid rows\n", name);
		return;
	}
	for (int r = 0; r < RUNS; r++) {
		double start = now(), elapsed;
		long ops = 0;

		do {
			sink += fn(t, ctx);
			ops += t->n;
			elapsed = now() - start;
		} while (elapsed < SLICE_SEC);
		rates[r] = (double)ops / elapsed;
	}
	qsort(rates, RUNS, sizeof(rates[0]), cmp_double);
	printf("%-24s %12.0f %-14s (median of %d; min %.0f, max %.0f; %d rows)\n", name,
	       rates[RUNS / 2], unit, RUNS, rates[0], rates[RUNS - 1], t->n);
	(void)sink;
}

static void
bench_scheme(const char *dir, const char *name, enum vg_ver_scheme scheme, const char *file,
	     const char *ca, const char *cb)
{
	struct table *t = vg_xcalloc(1, sizeof(*t));

	load(t, dir, file, ca, cb);
	keep_valid(t, scheme);
	report(name, "compares/s", t, run_compare, &scheme);
	free(t);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("VG_SHARED_DATA");
	struct table *t;

	if (!dir)
		dir = "../shared/data";
	printf("vigil core benchmarks (%s, %d runs x %.1f s each)\n", dir, RUNS, SLICE_SEC);
	bench_scheme(dir, "dpkg compare", VG_VER_DPKG, "dpkg_version_compare.tsv", "v1", "v2");
	bench_scheme(dir, "rpm EVR compare", VG_VER_RPM, "rpm_evr_compare.tsv", "evr1", "evr2");
	bench_scheme(dir, "apk compare", VG_VER_APK, "apk_version.tsv", "v1", "v2");
	bench_scheme(dir, "semver compare", VG_VER_SEMVER, "semver_precedence.tsv", "v1", "v2");
	t = vg_xcalloc(1, sizeof(*t));
	load_pysec_versions(t, dir);
	keep_valid(t, VG_VER_PEP440);
	report("pep440 compare (PyPI)", "compares/s", t, run_compare,
	       &(enum vg_ver_scheme){VG_VER_PEP440});
	free(t);
	bench_scheme(dir, "generic compare", VG_VER_GENERIC, "dpkg_version_compare.tsv", "v1",
		     "v2");

	t = vg_xcalloc(1, sizeof(*t));
	load(t, dir, "semver_npm_range.tsv", "range", "version");
	report("npm range satisfies", "checks/s", t, run_npm, NULL);
	free(t);

	static const char *const cvss_tables[][2] = {
		{"cvss_v2_scores.tsv", "CVSS v2 score"},
		{"cvss_v3_scores.tsv", "CVSS v3.x score"},
		{"cvss_v4_scores.tsv", "CVSS v4.0 score"},
	};
	for (size_t i = 0; i < 3; i++) {
		t = vg_xcalloc(1, sizeof(*t));
		load(t, dir, cvss_tables[i][0], "vector", NULL);
		report(cvss_tables[i][1], "scores/s", t, run_cvss, NULL);
		free(t);
	}

	t = vg_xcalloc(1, sizeof(*t));
	load(t, dir, "cpe23_matching.tsv", "source", "target");
	report("CPE parse+compare", "pairs/s", t, run_cpe, NULL);
	free(t);
	return 0;
}
