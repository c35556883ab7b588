/*
 * fuzz_odata_filter.c - libFuzzer target for the OData $filter parser.
 * Input: a $filter expression.  Properties: an error has a message and a
 * column inside the input (or just past it); a filter that parses dumps to
 * text that parses again to the same dump; it evaluates on a fixed row; and
 * its SQL has one `?` per bound parameter and no literal text (the only
 * quotes in it are those of ESCAPE '\').
 */
#include <string.h>

#include "core/buf.h"
#include "server/odata.h"
#include "fuzz_common.h"

static const struct vg_odata_field fields[] = {
	{"name", VG_ODATA_STRING, "t.name"},   {"id", VG_ODATA_STRING, NULL},
	{"score", VG_ODATA_NUMBER, "t.score"}, {"count", VG_ODATA_NUMBER, NULL},
	{"seen", VG_ODATA_DATETIME, "t.seen"}, {"active", VG_ODATA_BOOL, "t.active"},
	{"tags", VG_ODATA_STRING, "t.tags"},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static int
get(void *ctx, size_t field, struct vg_odata_value *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	switch (fields[field].type) {
	case VG_ODATA_STRING:
		if (field == 6)
			return VG_OK; /* tags: null */
		out->type = VG_ODATA_STRING;
		out->s = field == 0 ? VG_STR_LIT("Host-01.Contoso.com") : VG_STR_LIT("a1'b%_");
		return VG_OK;
	case VG_ODATA_NUMBER:
		out->type = VG_ODATA_NUMBER;
		out->num = field == 2 ? 7.5 : 3;
		return VG_OK;
	case VG_ODATA_DATETIME:
		out->type = VG_ODATA_DATETIME;
		return vg_odata_parse_datetime(VG_STR_LIT("2021-06-01T12:00:00.5Z"), &out->dt);
	case VG_ODATA_BOOL:
		out->type = VG_ODATA_BOOL;
		out->b = true;
		return VG_OK;
	default:
		return VG_EINVAL;
	}
}

static int
bind(void *ctx, int index, const struct vg_odata_value *v)
{
	int *n = ctx;

	fuzz_require(index == *n + 1, "parameters not numbered in order");
	fuzz_require(v->type != VG_ODATA_NULL, "null bound as a parameter");
	*n = index;
	return VG_OK;
}

static void
check_sql(const struct vg_odata_filter *f)
{
	struct vg_buf sql;
	int nbound = 0, nmarks = 0;
	const char *p;
	char *q;

	vg_buf_init(&sql, VG_BUF_NOLIMIT);
	fuzz_require(vg_odata_to_sql(f, &sql, bind, &nbound) == VG_OK, "sql rendering failed");
	/* Cut out every ESCAPE '\' and then no quote may remain. */
	while ((q = strstr(sql.p, "ESCAPE '\\'")) != NULL)
		memset(q, ' ', 10);
	fuzz_require(strchr(sql.p, '\'') == NULL, "literal text in sql");
	for (p = sql.p; *p; p++)
		nmarks += *p == '?';
	fuzz_require(nmarks == nbound, "placeholders and parameters differ");
	vg_buf_release(&sql);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_odata_filter *f = NULL, *g = NULL;
	struct vg_err err;
	struct vg_buf d1, d2;

	if (vg_odata_filter_parse(vg_str_n((const char *)data, size), fields, NFIELDS, &f, &err) !=
	    VG_OK) {
		fuzz_require(err.msg[0] != '\0', "error without a message");
		fuzz_require(err.column >= 1 && (size_t)err.column <= size + 1,
			     "column out of range");
		fuzz_require(f == NULL, "filter returned on error");
		return 0;
	}
	(void)vg_odata_eval(f, get, NULL);
	check_sql(f);
	vg_buf_init(&d1, VG_BUF_NOLIMIT);
	vg_buf_init(&d2, VG_BUF_NOLIMIT);
	fuzz_require(vg_odata_dump(f, &d1) == VG_OK, "dump failed");
	/* Canonical text may outgrow the length limit (added parentheses, expanded dates). */
	if (d1.len <= VG_ODATA_MAX_LEN) {
		if (vg_odata_filter_parse(vg_buf_str(&d1), fields, NFIELDS, &g, &err) != VG_OK) {
			fprintf(stderr, "dump '%s' does not parse: %s\n", d1.p, err.msg);
			fuzz_require(0, "dump does not parse");
		}
		fuzz_require(vg_odata_dump(g, &d2) == VG_OK, "second dump failed");
		fuzz_require(vg_str_eq(vg_buf_str(&d1), vg_buf_str(&d2)), "dump not stable");
		fuzz_require(vg_odata_eval(f, get, NULL) == vg_odata_eval(g, get, NULL),
			     "re-parsed filter evaluates differently");
		vg_odata_filter_free(g);
	}
	vg_buf_release(&d1);
	vg_buf_release(&d2);
	vg_odata_filter_free(f);
	return 0;
}
