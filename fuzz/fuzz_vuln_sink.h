/*
 * fuzz_vuln_sink.h - a struct vg_feed_sink that checks what importers of
 * vulnerability records promise (record.h, feed.h), for the feed fuzz
 * targets (fuzz_feed_nvd.c, fuzz_feed_cve5.c).
 *
 * Checked: begin() once before any record and end() once after the last,
 * with the record count, only on success; source name, format and mode;
 * every string present is non-empty (absent is NULL, never ""); CWE ids are
 * "CWE-<digits>" without repeats; every CVSS vector parses and sits in its
 * own slot; references have URLs; configurations have nodes, nodes have
 * matches, matches have criteria; warnings name the input.  Every string is
 * read in full, so a dangling pointer shows up under ASan.  A violation
 * aborts through fuzz_require().
 */
#ifndef VG_FUZZ_VULN_SINK_H
#define VG_FUZZ_VULN_SINK_H

#include <jansson.h>
#include <string.h>

#include "core/cvss.h"
#include "feeds/feed.h"
#include "fuzz_common.h"

struct fuzz_vsink {
	const char *name;   /* expected source name */
	const char *format; /* expected format id */
	const char *input;  /* input name, which warnings start with */
	int begins, ends;
	uint64_t nvulns;
	uint64_t end_count;
};

static inline void
fuzz_check_str(const char *s, const char *what)
{
	if (s != NULL)
		fuzz_require(strlen(s) > 0, what);
}

static inline void
fuzz_check_vector(const char *vec, int slot)
{
	struct vg_cvss cv;
	struct vg_err err;

	if (vec == NULL)
		return;
	fuzz_require(vg_cvss_parse(vg_str_c(vec), &cv, &err) == VG_OK, "invalid vector passed on");
	if (slot == 2)
		fuzz_require(cv.version == VG_CVSS_V2, "non-v2 vector in the v2 slot");
	else if (slot == 3)
		fuzz_require(cv.version == VG_CVSS_V30 || cv.version == VG_CVSS_V31,
			     "non-v3 vector in the v3 slot");
	else
		fuzz_require(cv.version == VG_CVSS_V40, "non-v4 vector in the v4 slot");
}

static inline void
fuzz_check_cwes(const struct vg_vuln *v)
{
	json_t *seen = json_object();

	fuzz_require(v->ncwes == 0 || v->cwes != NULL, "cwes array missing");
	for (size_t i = 0; i < v->ncwes; i++) {
		const char *c = v->cwes[i];
		size_t n = strlen(c);

		fuzz_require(n > 4 && n <= 13 && strncmp(c, "CWE-", 4) == 0, "bad CWE form");
		for (size_t j = 4; j < n; j++)
			fuzz_require(c[j] >= '0' && c[j] <= '9', "bad CWE digits");
		fuzz_require(json_object_get(seen, c) == NULL, "CWE repeated");
		json_object_set_new(seen, c, json_true());
	}
	json_decref(seen);
}

static inline void
fuzz_check_configs(const struct vg_vuln *v)
{
	fuzz_require(v->nconfigs == 0 || v->configs != NULL, "configs array missing");
	for (size_t i = 0; i < v->nconfigs; i++) {
		const struct vg_cpe_config *c = &v->configs[i];

		fuzz_require(c->nnodes > 0 && c->nodes != NULL, "configuration without nodes");
		for (size_t j = 0; j < c->nnodes; j++) {
			const struct vg_cpe_node *n = &c->nodes[j];

			fuzz_require(n->nmatches > 0 && n->matches != NULL, "node without matches");
			for (size_t k = 0; k < n->nmatches; k++) {
				const struct vg_cpe_match *m = &n->matches[k];

				fuzz_require(m->criteria != NULL && m->criteria[0] != '\0',
					     "match without criteria");
				fuzz_check_str(m->start_incl, "empty bound");
				fuzz_check_str(m->start_excl, "empty bound");
				fuzz_check_str(m->end_incl, "empty bound");
				fuzz_check_str(m->end_excl, "empty bound");
			}
		}
	}
}

static inline int
fuzz_vsink_begin(void *ctx, const struct vg_feed_source *src, struct vg_err *err)
{
	struct fuzz_vsink *s = ctx;

	(void)err;
	fuzz_require(s->begins == 0 && s->nvulns == 0, "begin() not first or twice");
	fuzz_require(strcmp(src->name, s->name) == 0, "wrong source name");
	fuzz_require(strcmp(src->format, s->format) == 0, "wrong format id");
	fuzz_require(src->mode == VG_FEED_MERGE, "not MERGE");
	fuzz_check_str(src->version, "empty version");
	fuzz_check_str(src->snapshot, "empty snapshot");
	s->begins++;
	return VG_OK;
}

static inline int
fuzz_vsink_vuln(void *ctx, const struct vg_vuln *v, struct vg_err *err)
{
	struct fuzz_vsink *s = ctx;

	(void)err;
	fuzz_require(s->begins == 1 && s->ends == 0, "record outside begin()/end()");
	fuzz_require(v->id != NULL && v->id[0] != '\0', "record without id");
	fuzz_require(v->naliases == 0, "aliases from NVD/CVE 5");
	fuzz_check_str(v->summary, "empty summary");
	fuzz_check_str(v->description, "empty description");
	fuzz_check_str(v->published, "empty published");
	fuzz_check_str(v->modified, "empty modified");
	fuzz_check_str(v->severity, "empty severity");
	fuzz_check_vector(v->cvss_v2, 2);
	fuzz_check_vector(v->cvss_v3, 3);
	fuzz_check_vector(v->cvss_v4, 4);
	fuzz_check_cwes(v);
	fuzz_require(v->nrefs == 0 || v->refs != NULL, "refs array missing");
	for (size_t i = 0; i < v->nrefs; i++) {
		fuzz_require(v->refs[i].url != NULL && v->refs[i].url[0] != '\0',
			     "ref without url");
		fuzz_check_str(v->refs[i].tags, "empty tags");
	}
	fuzz_check_configs(v);
	s->nvulns++;
	return VG_OK;
}

static inline int
fuzz_vsink_end(void *ctx, const struct vg_feed_source *src, uint64_t n, struct vg_err *err)
{
	struct fuzz_vsink *s = ctx;

	(void)err;
	(void)src;
	fuzz_require(s->begins == 1 && s->ends == 0, "end() without begin() or twice");
	fuzz_require(n == s->nvulns, "end() count differs from the records");
	s->ends++;
	s->end_count = n;
	return VG_OK;
}

static inline void
fuzz_vsink_warn(void *ctx, const char *msg)
{
	struct fuzz_vsink *s = ctx;
	size_t n = strlen(s->input);

	fuzz_require(strncmp(msg, s->input, n) == 0 && strncmp(msg + n, ": record ", 9) == 0,
		     "warning does not name the input and record");
}

static inline struct vg_feed_sink
fuzz_vsink(struct fuzz_vsink *s, const char *name, const char *format, const char *input)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->format = format;
	s->input = input;
	return (struct vg_feed_sink){.ctx = s,
				     .begin = fuzz_vsink_begin,
				     .vuln = fuzz_vsink_vuln,
				     .end = fuzz_vsink_end,
				     .warn = fuzz_vsink_warn};
}

/* Run importer @imp over the input and check the outcome as a whole. */
static inline void
fuzz_vsink_run(const struct vg_importer *imp, const char *name, const uint8_t *data, size_t size)
{
	struct fuzz_vsink s;
	struct vg_feed_sink sink = fuzz_vsink(&s, name, imp->format, "fuzz.json");
	struct vg_feed_in in;
	struct vg_err err;
	int rc;

	vg_err_clear(&err);
	vg_feed_in_open_mem(&in, "fuzz.json", (const char *)data, size);
	rc = imp->import(&in, &sink, &err);
	vg_feed_in_close(&in);
	fuzz_require(rc == VG_OK || rc == VG_EINVAL || rc == VG_ETOOBIG, "unexpected error code");
	if (rc == VG_OK)
		fuzz_require(s.begins == 1 && s.ends == 1, "success without begin()/end()");
	else
		fuzz_require(s.ends == 0 && err.msg[0] != '\0', "failure after end() or silent");
}

/* Every probe scores 0 or 100 and does not crash on any head. */
static inline void
fuzz_vsink_probe(const struct vg_importer *const *imps, size_t n, const uint8_t *data, size_t size)
{
	struct vg_feed_in in;
	struct vg_sniff *s = malloc(sizeof(*s));
	struct vg_buf scratch;
	struct vg_err err;

	if (s == NULL)
		return;
	vg_buf_init(&scratch, VG_SNIFF_MAX);
	vg_feed_in_open_mem(&in, "fuzz.json", (const char *)data, size);
	if (vg_feed_sniff(&in, s, &scratch, &err) == VG_OK) {
		for (size_t i = 0; i < n; i++) {
			int score = imps[i]->probe(s);

			fuzz_require(score == 0 || score == 100, "probe score not 0 or 100");
		}
	}
	vg_feed_in_close(&in);
	vg_buf_release(&scratch);
	free(s);
}

#endif /* VG_FUZZ_VULN_SINK_H */
