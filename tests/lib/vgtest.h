/*
 * vgtest.h - helpers shared by Vigil's C tests (not part of the product).
 *
 * Reading the shared vector tables: every file in ../shared/data/vectors is
 * a TAB-separated table whose leading "# " lines are notes and whose first
 * other line is the column header.  struct vgt_tsv walks the rows and looks
 * fields up by column name, so a test reads like the table it checks.
 *
 * Paths: vgt_shared_path("vectors/dpkg_version_compare.tsv") resolves
 * against $VG_SHARED_DATA (set by ctest to the configured VG_SHARED_DATA),
 * vgt_test_data_path() against $VG_TEST_DATA (tests/data).  A missing
 * table fails the test: the tables are part of the contract, not optional.
 */
#ifndef VG_TESTS_VGTEST_H
#define VG_TESTS_VGTEST_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "agent/inventory.h"
#include "core/err.h"
#include "core/str.h"
#include "store/kb.h"

#define VGT_MAX_FIELDS 32

struct vgt_tsv {
	FILE *f;
	char *path;
	char *line; /* current row, fields split in place */
	size_t line_cap;
	int lineno; /* 1-based line number of the current row in the file */
	int ncols;
	char *header[VGT_MAX_FIELDS]; /* owned copies of the column names */
	int nfields;
	char *field[VGT_MAX_FIELDS]; /* borrowed from `line` */
};

/** Open @path and read its header.  Fails the running cmocka test if it cannot. */
void vgt_tsv_open(struct vgt_tsv *t, const char *path);

/** Advance to the next data row; false at end of file. */
bool vgt_tsv_next(struct vgt_tsv *t);

/** Field of the current row in column @name; fails the test if the column does not exist. */
const char *vgt_tsv_get(const struct vgt_tsv *t, const char *name);

/**
 * The row count a table announces in its notes ("# part: shared ...; 219
 * rows; ..."), or -1 when it announces none (a complete table may not).
 */
int vgt_tsv_announced_rows(const char *path);

/**
 * Assert that a table test saw rows, and exactly @announced of them when the
 * table announced a count (@announced >= 0).
 */
void vgt_assert_rows(int rows, int announced);

/* A comparator under test: the signature of vg_dpkg_compare() and its siblings. */
typedef int (*vgt_compare_fn)(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err);

/**
 * Run every row of the vector table vectors/@table through @fn in both
 * directions: compare(col1, col2) must equal the "expected" column (-1, 0,
 * 1) and compare(col2, col1) its negation.  Every failing row is printed
 * with its line number; the test fails if any row fails, if there are no
 * rows, or if the count differs from the one the table announces.
 */
void vgt_run_compare_table(const char *table, const char *col1, const char *col2,
			   vgt_compare_fn fn);

/** Close and free. */
void vgt_tsv_close(struct vgt_tsv *t);

/** $VG_SHARED_DATA/@rel (caller frees). */
char *vgt_shared_path(const char *rel);

/** $VG_TEST_DATA/@rel (caller frees). */
char *vgt_test_data_path(const char *rel);

/**
 * Replace the two-character escape "\t" with a real TAB in place (the npm
 * range table writes a literal TAB that way) and return @s.
 */
char *vgt_unescape_tab(char *s);

/** Collect the inventory of the root @root into @inv (caller releases); fails the test on error. */
void vgt_collect(struct vg_inventory *inv, const char *root);

/** The inventory document of @inv, as vigil-agent writes it, parsed (caller decrefs). */
json_t *vgt_document(const struct vg_inventory *inv);

/* A new store in a temporary directory, for the store and engine tests. */
struct vgt_store {
	char dir[64];   /* /tmp/vg-TAG-XXXXXX */
	char path[128]; /* DIR/vigil.db */
	struct vg_kb *kb;
};

/** Create the directory and the store (VG_KB_CREATE) for @s; fails the test on error. */
void vgt_store_open(struct vgt_store *s, const char *tag);

/** Close the store, put the auth clock back (vg_auth_set_now_for_tests(0)), remove the directory.
 */
void vgt_store_close(struct vgt_store *s);

#endif /* VG_TESTS_VGTEST_H */
