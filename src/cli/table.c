/*
 * table.c - aligned text tables for terminal output.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/table.h"
#include "core/alloc.h"

void
vg_table_init(struct vg_table *t, int ncols, const char *const *header)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols > VG_TABLE_MAX_COLS ? VG_TABLE_MAX_COLS : ncols;
	for (int i = 0; i < t->ncols; i++)
		t->header[i] = header[i];
}

void
vg_table_set_max(struct vg_table *t, int col, size_t width)
{
	if (col >= 0 && col < t->ncols)
		t->max_width[col] = width;
}

void
vg_table_add(struct vg_table *t, const char *const *cells)
{
	if (t->nrows == t->cap_rows) {
		t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 32;
		t->cells =
			vg_xreallocarray(t->cells, t->cap_rows * (size_t)t->ncols, sizeof(char *));
	}
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
			vg_xstrdup(cells[i] && *cells[i] ? cells[i] : "-");
	t->nrows++;
}

/* Characters (UTF-8 lead bytes) in @s. */
static size_t
width_of(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Print @s in a field of @width characters, truncating with an ellipsis. */
static void
print_cell(FILE *out, const char *s, size_t width, int last)
{
	size_t w = width_of(s);

	if (w > width) {
		size_t chars = 0;
		const char *p = s;

		while (*p && chars < width - 1) {
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			chars++;
		}
		fwrite(s, 1, (size_t)(p - s), out);
		fputs("…", out);
		w = width;
	} else {
		fputs(s, out);
	}
	if (!last)
		for (size_t i = w; i < width + 2; i++)
			fputc(' ', out);
}

void
vg_table_print(const struct vg_table *t, FILE *out, int indent)
{
	size_t width[VG_TABLE_MAX_COLS];

	for (int c = 0; c < t->ncols; c++) {
		width[c] = width_of(t->header[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = width_of(t->cells[r * (size_t)t->ncols + (size_t)c]);

			if (w > width[c])
				width[c] = w;
		}
		if (t->max_width[c] && width[c] > t->max_width[c])
			width[c] = t->max_width[c];
	}
	fprintf(out, "%*s", indent, "");
	for (int c = 0; c < t->ncols; c++)
		print_cell(out, t->header[c], width[c], c == t->ncols - 1);
	fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		fprintf(out, "%*s", indent, "");
		for (int c = 0; c < t->ncols; c++)
			print_cell(out, t->cells[r * (size_t)t->ncols + (size_t)c], width[c],
				   c == t->ncols - 1);
		fputc('\n', out);
	}
}

void
vg_table_release(struct vg_table *t)
{
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
