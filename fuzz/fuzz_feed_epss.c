/*
 * fuzz_feed_epss.c - libFuzzer target for the FIRST EPSS importer,
 * vg_imp_epss (src/feeds/epss.c), and the CSV reader under it, on
 * in-memory input.
 *
 * The sink checks the call protocol (begin() once before any row, end()
 * once with the row count) and every row: a well-formed CVE id and two
 * numbers in [0, 1].  When the input has no quote (so no CSV unescaping),
 * an accepted file is also re-read here the simple way - comment and blank
 * lines skipped, the header skipped, each row split on commas - and every
 * field must equal what the importer produced, the numbers as strtod()
 * reads them: the hand-written decimal parser must round exactly like the
 * C library.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "feeds/ids.h"
#include "feeds/importers.h"
#include "fuzz_common.h"

struct row {
	char cve[VG_CVE_ID_MAX + 1];
	double p, pct;
};

struct state {
	int begins, ends;
	struct row *rows;
	size_t n, cap;
};

static int
on_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct state *st = ctx;

	(void)err;
	fuzz_require(st->begins++ == 0 && st->ends == 0, "begin() twice or after end()");
	fuzz_require(strcmp(src->name, "epss") == 0 && src->mode == VG_FEED_REPLACE,
		     "wrong source");
	fuzz_require(src->version == NULL || src->version[0], "empty version");
	fuzz_require(src->snapshot == NULL || vg_id_is_date(vg_str_c(src->snapshot)),
		     "snapshot is not a date");
	return VG_OK;
}

static int
on_epss(void *ctx, const struct vg_epss *e, struct vg_err *err)
{
	struct state *st = ctx;

	(void)err;
	fuzz_require(st->begins == 1 && st->ends == 0, "row outside begin()/end()");
	fuzz_require(vg_id_is_cve(vg_str_c(e->cve_id)), "bad CVE id");
	fuzz_require(e->probability >= 0.0 && e->probability <= 1.0, "probability out of range");
	fuzz_require(e->percentile >= 0.0 && e->percentile <= 1.0, "percentile out of range");
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 64;
		st->rows = vg_xreallocarray(st->rows, st->cap, sizeof(*st->rows));
	}
	memcpy(st->rows[st->n].cve, e->cve_id, strlen(e->cve_id) + 1);
	st->rows[st->n].p = e->probability;
	st->rows[st->n].pct = e->percentile;
	st->n++;
	return VG_OK;
}

static int
on_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct state *st = ctx;

	(void)src;
	(void)err;
	fuzz_require(st->begins == 1 && st->ends++ == 0, "end() without begin() or twice");
	fuzz_require(n == st->n, "end() count differs from the rows");
	return VG_OK;
}

static void
on_warn(void *ctx, const char *msg)
{
	(void)ctx;
	fuzz_require(msg && msg[0], "warning without a message");
}

static double
ref_number(struct vg_str s)
{
	char buf[256];

	fuzz_require(s.len < sizeof(buf), "accepted an overlong number");
	memcpy(buf, s.p, s.len);
	buf[s.len] = '\0';
	return strtod(buf, NULL);
}

/* Re-read an accepted, quote-free input line by line and compare with the rows. */
static void
reference_check(const struct state *st, struct vg_str data)
{
	size_t pos = 0, row = 0;
	bool header = false;
	long lineno = 0;

	for (;;) {
		struct vg_str line, f[3];
		ptrdiff_t nl;
		size_t start = 0, nf = 0;

		if (pos >= data.len)
			break;
		line = vg_str_sub(data, pos, data.len - pos);
		nl = vg_str_chr(line, '\n');
		if (nl >= 0)
			line.len = (size_t)nl;
		pos += line.len + 1;
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		if (++lineno == 1 && line.len >= 3 && memcmp(line.p, "\xEF\xBB\xBF", 3) == 0)
			line = vg_str_sub(line, 3, line.len);
		if (!header && line.len && line.p[0] == '#')
			continue;
		if (vg_str_trim(line).len == 0)
			continue;
		if (!header) {
			header = true;
			continue;
		}
		for (size_t i = 0; i <= line.len; i++) {
			if (i < line.len && line.p[i] != ',')
				continue;
			fuzz_require(nf < 3, "accepted a row with more than 3 fields");
			f[nf++] = vg_str_trim(vg_str_sub(line, start, i - start));
			start = i + 1;
		}
		fuzz_require(nf == 3, "accepted a row with fewer than 3 fields");
		fuzz_require(row < st->n, "fewer rows than lines");
		fuzz_require(vg_str_eqc(f[0], st->rows[row].cve), "CVE id differs from the line");
		fuzz_require(ref_number(f[1]) == st->rows[row].p, "epss differs from strtod");
		fuzz_require(ref_number(f[2]) == st->rows[row].pct,
			     "percentile differs from strtod");
		row++;
	}
	fuzz_require(header, "accepted a file without a header");
	fuzz_require(row == st->n, "more rows than lines");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = {0};
	struct vg_feed_sink sink = {
		.ctx = &st,
		.begin = on_begin,
		.epss = on_epss,
		.end = on_end,
		.warn = on_warn,
	};
	struct vg_str text = vg_str_n((const char *)data, size);
	struct vg_feed_in in;
	struct vg_err err;
	int rc;

	vg_feed_in_open_mem(&in, "epss_scores-2025-01-31.csv", text.p, text.len);
	vg_err_clear(&err);
	rc = vg_imp_epss.import(&in, &sink, &err);
	vg_feed_in_close(&in);
	if (rc == VG_OK) {
		fuzz_require(st.begins == 1 && st.ends == 1, "success without begin()/end()");
		if (size == 0 || !memchr(data, '"', size))
			reference_check(&st, text);
	} else {
		fuzz_require(rc < 0 && err.msg[0] != '\0', "error without a message");
		fuzz_require(st.ends == 0, "end() on a failed import");
	}
	free(st.rows);
	return 0;
}
