/*
 * fuzz_feed_debian.h - the checking sink shared by the Debian importer
 * fuzz targets (fuzz_feed_debian_list.c, fuzz_feed_debian_json.c).
 */
#ifndef VG_FUZZ_FEED_DEBIAN_H
#define VG_FUZZ_FEED_DEBIAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/version/version.h"
#include "feeds/feed.h"
#include "fuzz_common.h"

struct fuzz_debian_sink {
	int begins, ends;
	uint64_t records;
};

static inline void
fuzz_debian_nonempty(const char *s, const char *what)
{
	fuzz_require(s != NULL && s[0] != '\0', what);
}

static inline int
fuzz_debian_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct fuzz_debian_sink *f = ctx;

	(void)err;
	fuzz_require(f->begins == 0 && f->ends == 0 && f->records == 0, "begin() not first");
	fuzz_debian_nonempty(src->name, "source without a name");
	fuzz_debian_nonempty(src->format, "source without a format");
	f->begins++;
	return VG_OK;
}

static inline int
fuzz_debian_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	struct fuzz_debian_sink *f = ctx;

	(void)err;
	fuzz_require(f->begins == 1 && f->ends == 0, "vuln() outside begin()/end()");
	fuzz_debian_nonempty(v->id, "vulnerability without an id");
	fuzz_require(v->naliases == 0 || v->aliases != NULL, "aliases missing");
	for (size_t i = 0; i < v->naliases; i++)
		fuzz_debian_nonempty(v->aliases[i], "empty alias");
	fuzz_require(v->summary == NULL || v->summary[0] != '\0', "empty summary instead of NULL");
	fuzz_require(v->published == NULL || strlen(v->published) == 10, "published not a date");
	f->records++;
	return VG_OK;
}

static inline int
fuzz_debian_affected(void *ctx, const struct vg_affected *a, struct vg_err *err)
{
	struct fuzz_debian_sink *f = ctx;

	(void)err;
	fuzz_require(f->begins == 1 && f->ends == 0, "affected() outside begin()/end()");
	fuzz_debian_nonempty(a->vuln_id, "statement without a vulnerability id");
	fuzz_require(a->ns != NULL && strncmp(a->ns, "debian:", 7) == 0 && a->ns[7] != '\0',
		     "statement without a debian namespace");
	fuzz_debian_nonempty(a->package, "statement without a package");
	fuzz_require(a->scheme == VG_VER_DPKG, "statement not in the dpkg scheme");
	fuzz_require((unsigned)a->status < VG_AFF_NSTATUS, "status out of range");
	fuzz_require((a->fixed != NULL) == (a->status == VG_AFF_FIXED),
		     "fixed version present iff status is FIXED violated");
	fuzz_require(a->fixed == NULL || vg_dpkg_validate(vg_str_c(a->fixed), NULL) == VG_OK,
		     "fixed version the dpkg comparator rejects");
	fuzz_require(a->introduced == NULL && a->last_affected == NULL && a->exact == NULL,
		     "interval bounds a Debian statement never has");
	fuzz_require(a->note == NULL || a->note[0] != '\0', "empty note instead of NULL");
	f->records++;
	return VG_OK;
}

static inline int
fuzz_debian_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct fuzz_debian_sink *f = ctx;

	(void)src;
	(void)err;
	fuzz_require(f->begins == 1 && f->ends == 0, "end() without begin() or twice");
	fuzz_require(n == f->records, "end() count differs from the records handed over");
	f->ends++;
	return VG_OK;
}

static inline void
fuzz_debian_warn(void *ctx, const char *msg)
{
	(void)ctx;
	fuzz_debian_nonempty(msg, "empty warning");
}

static inline void
fuzz_debian_import(const struct vg_importer *imp, const uint8_t *data, size_t size)
{
	struct fuzz_debian_sink f = {0};
	struct vg_feed_sink sink = {
		.ctx = &f,
		.begin = fuzz_debian_begin,
		.vuln = fuzz_debian_vuln,
		.affected = fuzz_debian_affected,
		.end = fuzz_debian_end,
		.warn = fuzz_debian_warn,
	};
	struct vg_feed_in in;
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	vg_feed_in_open_mem(&in, "fuzz", (const char *)data, size);
	rc = imp->import(&in, &sink, &err);
	vg_feed_in_close(&in);
	if (rc == VG_OK)
		fuzz_require(f.begins == 1 && f.ends == 1, "success without begin() and end()");
	else
		fuzz_require(err.msg[0] != '\0' && f.ends == 0, "failure without a message");
}

static inline void
fuzz_debian_probe(const struct vg_importer *imp, const uint8_t *data, size_t size)
{
	static struct vg_sniff s; /* large; one input at a time */
	struct vg_feed_in in;
	struct vg_buf scratch;
	struct vg_err err;
	int score;

	vg_buf_init(&scratch, VG_SNIFF_MAX);
	vg_feed_in_open_mem(&in, "fuzz", (const char *)data, size);
	if (vg_feed_sniff(&in, &s, &scratch, &err) == VG_OK) {
		score = imp->probe(&s);
		fuzz_require(score == 0 || score == 100, "probe score neither 0 nor 100");
	}
	vg_feed_in_close(&in);
	vg_buf_release(&scratch);
}

#endif /* VG_FUZZ_FEED_DEBIAN_H */
