/*
 * fuzz_feed_secdb.c - libFuzzer target for the Alpine/Wolfi secdb
 * importers, vg_imp_secdb_json and vg_imp_secdb_yaml (src/feeds/secdb.c):
 * every input goes through both, in memory.
 *
 * The sink checks the call protocol (begin() once before any statement,
 * end() once with the count) and each statement: namespace "alpine:X.Y",
 * "alpine:edge" or "wolfi:rolling", scheme apk, a package name, an id
 * without blanks, and either FIXED with a valid apk version or
 * NOT_AFFECTED without one; the source is alpine-secdb:... or wolfi-secdb.
 */
#include <string.h>

#include "core/version/version.h"
#include "feeds/importers.h"
#include "fuzz_common.h"

struct state {
	int begins, ends;
	uint64_t n;
};

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int
on_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct state *st = ctx;

	(void)err;
	fuzz_require(st->begins++ == 0 && st->ends == 0, "begin() twice or after end()");
	fuzz_require(starts(src->name, "alpine-secdb:") || starts(src->name, "wolfi-secdb"),
		     "wrong source name");
	fuzz_require(src->mode == VG_FEED_REPLACE, "secdb is not REPLACE");
	return VG_OK;
}

static int
on_affected(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	struct state *st = ctx;
	struct vg_err verr;

	(void)err;
	fuzz_require(st->begins == 1 && st->ends == 0, "statement outside begin()/end()");
	fuzz_require(strcmp(a->ns, "wolfi:rolling") == 0 || starts(a->ns, "alpine:"),
		     "wrong namespace");
	fuzz_require(a->scheme == VG_VER_APK, "scheme is not apk");
	fuzz_require(a->package && a->package[0], "no package");
	fuzz_require(a->vuln_id && a->vuln_id[0] && !strpbrk(a->vuln_id, " \t\r\n"),
		     "bad vulnerability id");
	fuzz_require(!a->introduced && !a->last_affected && !a->exact, "unexpected interval");
	if (a->status == VG_AFF_FIXED)
		fuzz_require(a->fixed && vg_ver_validate(VG_VER_APK, vg_str_c(a->fixed), &verr) ==
						 VG_OK,
			     "fixed version is not a valid apk version");
	else
		fuzz_require(a->status == VG_AFF_NOT_AFFECTED && !a->fixed,
			     "status other than fixed / not-affected");
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
	fuzz_require(n == st->n, "end() count differs from the statements");
	return VG_OK;
}

static void
on_warn(void *ctx, const char *msg)
{
	(void)ctx;
	fuzz_require(msg && msg[0], "warning without a message");
}

static void
run(const struct vg_importer *imp, const uint8_t *data, size_t size)
{
	struct state st = {0};
	struct vg_feed_sink sink = {
		.ctx = &st,
		.begin = on_begin,
		.affected = on_affected,
		.end = on_end,
		.warn = on_warn,
	};
	struct vg_feed_in in;
	struct vg_err err;
	int rc;

	vg_feed_in_open_mem(&in, "fuzz", (const char *)data, size);
	vg_err_clear(&err);
	rc = imp->import(&in, &sink, &err);
	vg_feed_in_close(&in);
	if (rc == VG_OK) {
		fuzz_require(st.begins == 1 && st.ends == 1, "success without begin()/end()");
	} else {
		fuzz_require(rc < 0 && err.msg[0] != '\0', "error without a message");
		fuzz_require(st.ends == 0, "end() on a failed import");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(&vg_imp_secdb_json, data, size);
	run(&vg_imp_secdb_yaml, data, size);
	return 0;
}
