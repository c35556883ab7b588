/*
 * fuzz_feed_kev.c - libFuzzer target for the CISA KEV importer, vg_imp_kev
 * (src/feeds/kev.c), on in-memory input.
 *
 * Besides "no crash, no leak, no UB", the sink checks what the importer
 * promises: begin() once before any record and end() once after the last,
 * with the number of records; every record has a well-formed CVE id, two
 * YYYY-MM-DD dates, no empty string (absent is NULL) and only CWE-N ids;
 * a failure has a message and never reaches end().
 */
#include <string.h>

#include "feeds/ids.h"
#include "feeds/importers.h"
#include "fuzz_common.h"

struct state {
	int begins, ends;
	uint64_t n;
};

static void
check_text(const char *s, const char *what)
{
	fuzz_require(s == NULL || s[0] != '\0', what);
}

static int
on_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct state *st = ctx;

	(void)err;
	fuzz_require(st->begins++ == 0 && st->ends == 0, "begin() twice or after end()");
	fuzz_require(strcmp(src->name, "kev") == 0 && strcmp(src->format, "kev-json") == 0,
		     "wrong source");
	fuzz_require(src->mode == VG_FEED_REPLACE, "KEV is not REPLACE");
	check_text(src->version, "empty version");
	check_text(src->snapshot, "empty snapshot");
	return VG_OK;
}

static int
on_kev(void *ctx, const struct vg_kev *k, struct vg_err *err)
{
	struct state *st = ctx;

	(void)err;
	fuzz_require(st->begins == 1 && st->ends == 0, "record outside begin()/end()");
	fuzz_require(k->cve_id && vg_id_is_cve(vg_str_c(k->cve_id)), "bad CVE id");
	fuzz_require(k->date_added && vg_id_is_date(vg_str_c(k->date_added)), "bad dateAdded");
	fuzz_require(k->due_date && vg_id_is_date(vg_str_c(k->due_date)), "bad dueDate");
	check_text(k->vendor, "empty vendor");
	check_text(k->product, "empty product");
	check_text(k->name, "empty name");
	check_text(k->required_action, "empty action");
	check_text(k->description, "empty description");
	fuzz_require((k->ncwes == 0) == (k->cwes == NULL), "cwes and ncwes disagree");
	for (size_t i = 0; i < k->ncwes; i++)
		fuzz_require(strncmp(k->cwes[i], "CWE-", 4) == 0 &&
				     vg_id_digits(vg_str_c(k->cwes[i] + 4)),
			     "bad CWE id");
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
	fuzz_require(n == st->n, "end() count differs from the records");
	return VG_OK;
}

static void
on_warn(void *ctx, const char *msg)
{
	(void)ctx;
	fuzz_require(msg && msg[0], "warning without a message");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state st = {0};
	struct vg_feed_sink sink = {
		.ctx = &st,
		.begin = on_begin,
		.kev = on_kev,
		.end = on_end,
		.warn = on_warn,
	};
	struct vg_feed_in in;
	struct vg_err err;
	int rc;

	vg_feed_in_open_mem(&in, "fuzz.json", (const char *)data, size);
	vg_err_clear(&err);
	rc = vg_imp_kev.import(&in, &sink, &err);
	vg_feed_in_close(&in);
	if (rc == VG_OK) {
		fuzz_require(st.begins == 1 && st.ends == 1, "success without begin()/end()");
	} else {
		fuzz_require(rc < 0, "positive error code");
		fuzz_require(err.msg[0] != '\0', "error without a message");
		fuzz_require(st.ends == 0, "end() on a failed import");
	}
	return 0;
}
