/*
 * vgtest.c - helpers shared by Vigil's C tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/document.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "store/auth.h"
#include "vgtest.h"

static char *
join_env(const char *var, const char *rel)
{
	const char *dir = getenv(var);
	size_t n;
	char *p;

	if (!dir || !*dir)
		fail_msg("environment variable %s is not set (run the tests through ctest)", var);
	n = strlen(dir) + strlen(rel) + 2;
	p = vg_xmalloc(n);
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

char *
vgt_shared_path(const char *rel)
{
	return join_env("VG_SHARED_DATA", rel);
}

char *
vgt_test_data_path(const char *rel)
{
	return join_env("VG_TEST_DATA", rel);
}

/* Read one line without its newline; false at EOF. */
static bool
read_line(struct vgt_tsv *t)
{
	ssize_t n = getline(&t->line, &t->line_cap, t->f);

	if (n < 0)
		return false;
	t->lineno++;
	while (n > 0 && (t->line[n - 1] == '\n' || t->line[n - 1] == '\r'))
		t->line[--n] = '\0';
	return true;
}

static int
split(char *line, char **out)
{
	int n = 0;

	out[n++] = line;
	for (char *p = line; *p; p++) {
		if (*p == '\t') {
			*p = '\0';
			if (n == VGT_MAX_FIELDS)
				fail_msg("too many fields");
			out[n++] = p + 1;
		}
	}
	return n;
}

void
vgt_tsv_open(struct vgt_tsv *t, const char *path)
{
	char *cols[VGT_MAX_FIELDS];

	memset(t, 0, sizeof(*t));
	t->path = vg_xstrdup(path);
	t->f = fopen(path, "r");
	if (!t->f)
		fail_msg("cannot open vector table '%s'", path);
	do {
		if (!read_line(t))
			fail_msg("'%s' has no header line", path);
	} while (t->line[0] == '#');
	t->ncols = split(t->line, cols);
	for (int i = 0; i < t->ncols; i++)
		t->header[i] = vg_xstrdup(cols[i]);
}

bool
vgt_tsv_next(struct vgt_tsv *t)
{
	do {
		if (!read_line(t))
			return false;
	} while (t->line[0] == '#' && strncmp(t->line, "# ", 2) == 0);
	t->nfields = split(t->line, t->field);
	return true;
}

const char *
vgt_tsv_get(const struct vgt_tsv *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++) {
		if (strcmp(t->header[i], name) == 0)
			return i < t->nfields ? t->field[i] : "";
	}
	fail_msg("'%s' has no column '%s'", t->path, name);
	return "";
}

void
vgt_tsv_close(struct vgt_tsv *t)
{
	if (t->f)
		fclose(t->f);
	for (int i = 0; i < t->ncols; i++)
		free(t->header[i]);
	free(t->line);
	free(t->path);
	memset(t, 0, sizeof(*t));
}

char *
vgt_unescape_tab(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] == 't') {
			*w++ = '\t';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

int
vgt_tsv_announced_rows(const char *path)
{
	char line[1024];
	int rows = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("cannot open vector table '%s'", path);
	while (fgets(line, sizeof(line), f) && line[0] == '#') {
		char *p = strstr(line, " rows");

		if (!p || p == line || p[-1] < '0' || p[-1] > '9')
			continue;
		while (p > line && p[-1] >= '0' && p[-1] <= '9')
			p--;
		rows = (int)strtol(p, NULL, 10);
	}
	fclose(f);
	return rows;
}

void
vgt_assert_rows(int rows, int announced)
{
	assert_true(rows > 0);
	if (announced >= 0)
		assert_int_equal(rows, announced);
}

void
vgt_run_compare_table(const char *table, const char *col1, const char *col2, vgt_compare_fn fn)
{
	char rel[256], *path;
	int rows = 0, failed = 0, announced;
	struct vgt_tsv t;

	snprintf(rel, sizeof(rel), "vectors/%s", table);
	path = vgt_shared_path(rel);
	announced = vgt_tsv_announced_rows(path);
	vgt_tsv_open(&t, path);
	while (vgt_tsv_next(&t)) {
		const char *v1 = vgt_tsv_get(&t, col1);
		const char *v2 = vgt_tsv_get(&t, col2);
		int expected = (int)strtol(vgt_tsv_get(&t, "expected"), NULL, 10);
		int fwd = 42, back = 42, rc1, rc2;
		struct vg_err err;

		rows++;
		vg_err_clear(&err);
		rc1 = fn(vg_str_c(v1), vg_str_c(v2), &fwd, &err);
		rc2 = fn(vg_str_c(v2), vg_str_c(v1), &back, &err);
		if (rc1 != VG_OK || rc2 != VG_OK || fwd != expected || back != -expected) {
			failed++;
			print_message("%s:%d: '%s' vs '%s': expected %d, got %d (reverse %d), "
				      "rc %d/%d %s\n",
				      table, t.lineno, v1, v2, expected, fwd, back, rc1, rc2,
				      err.msg);
		}
	}
	vgt_tsv_close(&t);
	free(path);
	print_message("%s: %d rows, %d failed\n", table, rows, failed);
	assert_int_equal(failed, 0);
	vgt_assert_rows(rows, announced);
}

void
vgt_collect(struct vg_inventory *inv, const char *root)
{
	vg_inventory_init(inv, root);
	assert_int_equal(vg_inventory_collect(inv), VG_OK);
}

json_t *
vgt_document(const struct vg_inventory *inv)
{
	struct vg_buf b;
	json_t *doc;

	vg_buf_init(&b, VG_BUF_NOLIMIT);
	assert_int_equal(vg_inventory_write_json(inv, &b, 0, "2026-01-01T00:00:00Z"), VG_OK);
	doc = json_loadb(b.p, b.len, 0, NULL);
	assert_non_null(doc);
	vg_buf_release(&b);
	return doc;
}

void
vgt_store_open(struct vgt_store *s, const char *tag)
{
	struct vg_err err;

	snprintf(s->dir, sizeof(s->dir), "/tmp/vg-%s-XXXXXX", tag);
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->path, sizeof(s->path), "%s/vigil.db", s->dir);
	if (vg_kb_open(s->path, VG_KB_CREATE, &s->kb, &err) != VG_OK)
		fail_msg("cannot create the store '%s': %s", s->path, err.msg);
}

void
vgt_store_close(struct vgt_store *s)
{
	char cmd[200];

	vg_kb_close(s->kb);
	s->kb = NULL;
	vg_auth_set_now_for_tests(0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	assert_int_equal(system(cmd), 0);
}
