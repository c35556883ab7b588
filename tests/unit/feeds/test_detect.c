/*
 * test_detect.c - format detection on every file of ../shared/data.
 *
 * tests/data/feeds/detect.tsv names the expected importer of each file
 * ("-" for none: inventories, test vectors, policies, schemas).  Detection
 * reads content only, so this also proves no two probes claim one file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/feed.h"
#include "vgtest.h"

static void
every_shared_file_gets_its_format(void **state)
{
	(void)state;
	char *table = vgt_test_data_path("feeds/detect.tsv");
	struct vgt_tsv t;
	vgt_tsv_open(&t, table);
	int rows = 0, bad = 0;
	while (vgt_tsv_next(&t)) {
		const char *rel = vgt_tsv_get(&t, "path");
		const char *want = vgt_tsv_get(&t, "format");
		char *path = vgt_shared_path(rel);
		const struct vg_importer *imp = NULL;
		struct vg_err err;
		int rc = vg_feed_detect(path, &imp, &err);
		const char *got = rc == VG_OK ? imp->format : "-";
		if (rc != VG_OK && rc != VG_EUNSUPPORTED)
			got = err.msg;
		if (strcmp(got, want) != 0) {
			fprintf(stderr, "%s: detected %s, expected %s\n", rel, got, want);
			bad++;
		}
		free(path);
		rows++;
	}
	vgt_tsv_close(&t);
	free(table);
	assert_int_equal(bad, 0);
	/* 699 files in ../shared/data, less its 30 LICENSE / NOTICE / Markdown files. */
	assert_int_equal(rows, 669);
}

static void
unrecognised_input_says_so(void **state)
{
	(void)state;
	const struct vg_importer *imp;
	struct vg_err err;
	char *path = vgt_test_data_path("README.md");
	assert_int_equal(vg_feed_detect(path, &imp, &err), VG_EUNSUPPORTED);
	assert_null(imp);
	assert_non_null(strstr(err.msg, "unrecognised feed format"));
	free(path);
	assert_int_equal(vg_feed_detect("/nonexistent/x.json", &imp, &err), VG_ENOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_shared_file_gets_its_format),
		cmocka_unit_test(unrecognised_input_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
