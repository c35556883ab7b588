/*
 * table.h - aligned text tables for terminal output.
 *
 * Collect rows of cells, then print them with each column as wide as its
 * widest cell (capped, with an ellipsis), so `vigil inventory --format
 * table` and later `vigil scan` read like `ps` rather than like a log.
 * Cells are copied; widths count UTF-8 characters, not bytes.
 */
#ifndef VG_CLI_TABLE_H
#define VG_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

#define VG_TABLE_MAX_COLS 8

struct vg_table {
	int ncols;
	const char *header[VG_TABLE_MAX_COLS];
	size_t max_width[VG_TABLE_MAX_COLS]; /* 0: no cap */
	char **cells;                        /* nrows * ncols, owned */
	size_t nrows, cap_rows;
};

/** Start a table with @ncols columns named by @header (borrowed static strings). */
void vg_table_init(struct vg_table *t, int ncols, const char *const *header);

/** Cap column @col at @width characters (longer cells end in "…"). */
void vg_table_set_max(struct vg_table *t, int col, size_t width);

/** Add a row of ncols cells; NULL cells print as "-". */
void vg_table_add(struct vg_table *t, const char *const *cells);

/** Print the header and rows to @out, each line indented by @indent spaces. */
void vg_table_print(const struct vg_table *t, FILE *out, int indent);

/** Free the cells. */
void vg_table_release(struct vg_table *t);

#endif /* VG_CLI_TABLE_H */
