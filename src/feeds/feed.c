/*
 * feed.c - feed input (plain or gzip), format detection, and the one-file
 * import entry point.
 */
#include "feeds/feed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>
#include <zlib.h>

#include "core/alloc.h"

#define READ_CHUNK    (64 * 1024)
#define PROGRESS_STEP (1024 * 1024)
#define SNIFF_STR_MAX 128

/* ---- input ---------------------------------------------------------------- */

int
vg_feed_in_open(struct vg_feed_in *in, const char *path, struct vg_err *err)
{
	memset(in, 0, sizeof(*in));
	in->path = path;
	vg_buf_init(&in->line, VG_FEED_MAX_LINE);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vg_error(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO,
				"cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vg_error(err, VG_EINVAL, "'%s' is not a regular file", path);
	}
	in->size = (uint64_t)st.st_size;
	gzFile gz = gzdopen(fd, "rb");
	if (gz == NULL) {
		close(fd);
		return vg_error(err, VG_ENOMEM, "cannot read '%s'", path);
	}
	gzbuffer(gz, 128 * 1024);
	in->gz = gz;
	return VG_OK;
}

void
vg_feed_in_open_mem(struct vg_feed_in *in, const char *name, const char *data, size_t len)
{
	memset(in, 0, sizeof(*in));
	in->path = name;
	in->mem = data;
	in->memlen = len;
	in->size = len;
	vg_buf_init(&in->line, VG_FEED_MAX_LINE);
}

uint64_t
vg_feed_in_offset(const struct vg_feed_in *in)
{
	if (in->gz == NULL)
		return in->mempos;
	z_off_t off = gzoffset((gzFile)in->gz);
	return off < 0 ? 0 : (uint64_t)off;
}

static void
report_progress(struct vg_feed_in *in, bool force)
{
	if (in->progress == NULL)
		return;
	uint64_t done = vg_feed_in_offset(in);
	if (!force && done - in->last_progress < PROGRESS_STEP)
		return;
	in->last_progress = done;
	in->progress(in->pctx, done, in->size);
}

int
vg_feed_in_read(struct vg_feed_in *in, void *buf, size_t cap, size_t *got, struct vg_err *err)
{
	*got = 0;
	if (in->gz == NULL) {
		size_t n = in->memlen - in->mempos;
		if (n > cap)
			n = cap;
		if (n > 0)
			memcpy(buf, in->mem + in->mempos, n);
		in->mempos += n;
		*got = n;
		return VG_OK;
	}
	if (cap > INT32_MAX)
		cap = INT32_MAX;
	int n = gzread((gzFile)in->gz, buf, (unsigned)cap);
	if (n < 0) {
		int zerr = 0;
		const char *msg = gzerror((gzFile)in->gz, &zerr);
		return vg_error(err, VG_EIO, "read error: %s",
				zerr == Z_ERRNO ? strerror(errno) : msg);
	}
	*got = (size_t)n;
	report_progress(in, n == 0);
	return VG_OK;
}

static int
fill(struct vg_feed_in *in, struct vg_err *err)
{
	if (in->rbuf == NULL)
		in->rbuf = vg_xmalloc(READ_CHUNK);
	size_t got;
	int rc = vg_feed_in_read(in, in->rbuf, READ_CHUNK, &got, err);
	if (rc != VG_OK)
		return rc;
	in->rpos = 0;
	in->rlen = got;
	if (got == 0)
		in->eof = true;
	return VG_OK;
}

int
vg_feed_in_line(struct vg_feed_in *in, struct vg_str *line, struct vg_err *err)
{
	vg_buf_reset(&in->line);
	bool any = false;
	for (;;) {
		if (in->rpos == in->rlen) {
			if (in->eof)
				break;
			int rc = fill(in, err);
			if (rc != VG_OK)
				return rc;
			if (in->eof)
				break;
		}
		const char *start = in->rbuf + in->rpos;
		size_t avail = in->rlen - in->rpos;
		const char *nl = memchr(start, '\n', avail);
		size_t take = nl ? (size_t)(nl - start) : avail;
		any = true;
		if (vg_buf_add(&in->line, start, take) != VG_OK)
			return vg_error_at(err, VG_ETOOBIG, 0, "line %ld is longer than %d bytes",
					   in->lineno + 1, VG_FEED_MAX_LINE);
		in->rpos += take + (nl ? 1 : 0);
		if (nl)
			break;
	}
	if (!any)
		return 0;
	in->lineno++;
	size_t len = in->line.len;
	if (len > 0 && in->line.p[len - 1] == '\r')
		len--;
	*line = vg_str_n(in->line.p, len);
	return 1;
}

int
vg_feed_in_slurp(struct vg_feed_in *in, struct vg_buf *out, size_t cap, struct vg_err *err)
{
	char *chunk = vg_xmalloc(READ_CHUNK);
	int rc = VG_OK;
	for (;;) {
		size_t got;
		rc = vg_feed_in_read(in, chunk, READ_CHUNK, &got, err);
		if (rc != VG_OK || got == 0)
			break;
		if (out->len + got > cap || vg_buf_add(out, chunk, got) != VG_OK) {
			rc = vg_error(err, VG_ETOOBIG, "file is larger than %zu bytes", cap);
			break;
		}
	}
	free(chunk);
	return rc;
}

void
vg_feed_in_close(struct vg_feed_in *in)
{
	if (in->gz != NULL)
		gzclose((gzFile)in->gz);
	in->gz = NULL;
	free(in->rbuf);
	in->rbuf = NULL;
	vg_buf_release(&in->line);
}

/* ---- detection ------------------------------------------------------------ */

int
vg_sniff_key(const struct vg_sniff *s, const char *key)
{
	for (size_t i = 0; i < s->nkeys; i++)
		if (strcmp(s->keys[i], key) == 0)
			return (int)i;
	return -1;
}

const char *
vg_sniff_value(const struct vg_sniff *s, const char *key)
{
	int i = vg_sniff_key(s, key);
	return i < 0 ? NULL : s->values[i];
}

bool
vg_sniff_child_key(const struct vg_sniff *s, const char *key)
{
	for (size_t i = 0; i < s->nchild_keys; i++)
		if (strcmp(s->child_keys[i], key) == 0)
			return true;
	return false;
}

/* State of the shallow JSON walk over the head of a file. */
struct sniff_walk {
	struct vg_sniff *s;
	int depth;
	bool in_child;   /* inside the first object at depth 2 (or array element) */
	bool child_done; /* that object has been seen */
};

static const char *
pool_copy(struct vg_sniff *s, const unsigned char *p, size_t len)
{
	if (len > SNIFF_STR_MAX)
		len = SNIFF_STR_MAX;
	if (s->pool_used + len + 1 > sizeof(s->pool))
		return NULL;
	char *dst = s->pool + s->pool_used;
	memcpy(dst, p, len);
	dst[len] = '\0';
	s->pool_used += len + 1;
	return dst;
}

static int
sniff_start_map(void *ctx)
{
	struct sniff_walk *w = ctx;
	w->depth++;
	if (w->depth == 2 && !w->child_done)
		w->in_child = true;
	return 1;
}

static int
sniff_end_map(void *ctx)
{
	struct sniff_walk *w = ctx;
	if (w->depth == 2 && w->in_child) {
		w->in_child = false;
		w->child_done = true;
	}
	w->depth--;
	return 1;
}

static int
sniff_start_array(void *ctx)
{
	struct sniff_walk *w = ctx;
	w->depth++;
	return 1;
}

static int
sniff_end_array(void *ctx)
{
	struct sniff_walk *w = ctx;
	w->depth--;
	return 1;
}

static int
sniff_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct sniff_walk *w = ctx;
	struct vg_sniff *s = w->s;
	if (w->depth == 1 && s->kind == VG_SNIFF_JSON_OBJECT && s->nkeys < VG_SNIFF_KEYS) {
		const char *k = pool_copy(s, key, len);
		if (k != NULL) {
			s->values[s->nkeys] = NULL;
			s->keys[s->nkeys++] = k;
		}
	} else if (w->depth == 2 && w->in_child && s->nchild_keys < VG_SNIFF_KEYS) {
		const char *k = pool_copy(s, key, len);
		if (k != NULL)
			s->child_keys[s->nchild_keys++] = k;
	}
	return 1;
}

static int
sniff_string(void *ctx, const unsigned char *v, size_t len)
{
	struct sniff_walk *w = ctx;
	struct vg_sniff *s = w->s;
	if (w->depth == 1 && s->kind == VG_SNIFF_JSON_OBJECT && s->nkeys > 0 &&
	    s->values[s->nkeys - 1] == NULL)
		s->values[s->nkeys - 1] = pool_copy(s, v, len);
	return 1;
}

static const yajl_callbacks sniff_callbacks = {
	.yajl_string = sniff_string,
	.yajl_start_map = sniff_start_map,
	.yajl_map_key = sniff_map_key,
	.yajl_end_map = sniff_end_map,
	.yajl_start_array = sniff_start_array,
	.yajl_end_array = sniff_end_array,
};

/*
 * Walk the head as JSON.  A head cut mid-document is fine (yajl waits for
 * more input); a syntax error means the file is not JSON at all, e.g. a
 * text list whose first line starts with "[29 Mar 2023]".
 */
static bool
sniff_json(struct vg_sniff *s, const char *p, size_t len)
{
	struct sniff_walk w = {.s = s};
	yajl_handle h = yajl_alloc(&sniff_callbacks, NULL, &w);
	if (h == NULL)
		return false;
	yajl_status st = yajl_parse(h, (const unsigned char *)p, len);
	yajl_free(h);
	return st == yajl_status_ok;
}

int
vg_feed_sniff(struct vg_feed_in *in, struct vg_sniff *s, struct vg_buf *scratch, struct vg_err *err)
{
	memset(s, 0, sizeof(*s));
	s->path = in->path;
	vg_buf_reset(scratch);
	char *chunk = vg_xmalloc(READ_CHUNK);
	int rc = VG_OK;
	while (scratch->len < VG_SNIFF_MAX) {
		size_t got;
		size_t want = VG_SNIFF_MAX - scratch->len;
		rc = vg_feed_in_read(in, chunk, want < READ_CHUNK ? want : READ_CHUNK, &got, err);
		if (rc != VG_OK || got == 0)
			break;
		if (vg_buf_add(scratch, chunk, got) != VG_OK) {
			rc = vg_error(err, VG_ENOMEM, "sniff buffer full");
			break;
		}
	}
	free(chunk);
	if (rc != VG_OK)
		return rc;
	s->head = scratch->p;
	s->len = scratch->len;
	size_t i = 0;
	if (s->len >= 3 && memcmp(s->head, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* UTF-8 byte order mark */
	while (i < s->len && strchr(" \t\r\n", s->head[i]) != NULL)
		i++;
	if (i < s->len && (s->head[i] == '{' || s->head[i] == '[')) {
		s->kind = s->head[i] == '{' ? VG_SNIFF_JSON_OBJECT : VG_SNIFF_JSON_ARRAY;
		if (!sniff_json(s, s->head + i, s->len - i)) {
			s->kind = VG_SNIFF_TEXT;
			s->nkeys = s->nchild_keys = 0;
			s->pool_used = 0;
		}
	}
	return VG_OK;
}

int
vg_feed_detect(const char *path, const struct vg_importer **imp, struct vg_err *err)
{
	struct vg_feed_in in;
	int rc = vg_feed_in_open(&in, path, err);
	if (rc != VG_OK)
		return rc;
	struct vg_buf scratch;
	vg_buf_init(&scratch, VG_SNIFF_MAX);
	struct vg_sniff *s = vg_xmalloc(sizeof(*s));
	rc = vg_feed_sniff(&in, s, &scratch, err);
	vg_feed_in_close(&in);
	const struct vg_importer *best = NULL;
	int best_score = 0;
	if (rc == VG_OK) {
		for (size_t i = 0; vg_importers[i] != NULL; i++) {
			int score = vg_importers[i]->probe(s);
			if (score > best_score) {
				best = vg_importers[i];
				best_score = score;
			}
		}
		if (best == NULL)
			rc = vg_error(err, VG_EUNSUPPORTED, "'%s': unrecognised feed format", path);
	}
	free(s);
	vg_buf_release(&scratch);
	*imp = best;
	return rc;
}

int
vg_feed_import_file(const char *path, const struct vg_feed_sink *sink,
		    void (*progress)(void *pctx, uint64_t done, uint64_t total), void *pctx,
		    struct vg_err *err)
{
	const struct vg_importer *imp;
	int rc = vg_feed_detect(path, &imp, err);
	if (rc != VG_OK)
		return rc;
	struct vg_feed_in in;
	rc = vg_feed_in_open(&in, path, err);
	if (rc != VG_OK)
		return rc;
	in.progress = progress;
	in.pctx = pctx;
	struct vg_err inner;
	vg_err_clear(&inner);
	rc = imp->import(&in, sink, &inner);
	vg_feed_in_close(&in);
	if (rc != VG_OK) {
		if (inner.line > 0)
			return vg_error(err, rc, "%s:%d: %s", path, inner.line, inner.msg);
		return vg_error(err, rc, "%s: %s", path,
				inner.msg[0] ? inner.msg : vg_strerror(rc));
	}
	return VG_OK;
}
