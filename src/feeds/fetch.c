/*
 * fetch.c - resumable, conditional downloads with libcurl (see fetch.h).
 *
 * One transfer is one curl easy handle.  The header callback keeps the
 * status line and the few headers that matter of the *last* response (a
 * redirect starts a new one); the write callback opens the .part file on
 * the first body byte of a 200 or 206 answer, so that the body of an error
 * page never lands in it.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "feeds/fetch.h"

#define META_MAGIC    "vigil-fetch-meta 1"
#define META_MAX      (64 * 1024)
#define VALIDATOR_MAX 512

/*
 * libcurl is loaded when a download is first needed, not linked: with its
 * thirty dependencies (TLS, HTTP/2, IDN, LDAP, SSH...) it added 20-35 ms of
 * dynamic loading to every `vigil` command, scans and `vercmp` included, for
 * the one command that talks to the network.  The headers (and so the ABI)
 * are those of libcurl4-openssl-dev; the soname is the one it links.
 */
static struct {
	void *handle;
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
} lc;

static int
load_symbol(void **slot, const char *name, struct vg_err *err)
{
	*slot = dlsym(lc.handle, name);
	if (*slot == NULL)
		return vg_error(err, VG_EUNSUPPORTED, "libcurl has no '%s'", name);
	return VG_OK;
}

static int
load_libcurl(struct vg_err *err)
{
	static const struct {
		size_t offset;
		const char *name;
	} syms[] = {
#define SYM(field, name) {offsetof(__typeof__(lc), field), name}
		SYM(global_init, "curl_global_init"),
		SYM(global_cleanup, "curl_global_cleanup"),
		SYM(easy_init, "curl_easy_init"),
		SYM(easy_setopt, "curl_easy_setopt"),
		SYM(easy_perform, "curl_easy_perform"),
		SYM(easy_cleanup, "curl_easy_cleanup"),
		SYM(easy_strerror, "curl_easy_strerror"),
		SYM(slist_append, "curl_slist_append"),
		SYM(slist_free_all, "curl_slist_free_all"),
#undef SYM
	};

	if (lc.handle != NULL)
		return VG_OK;
	lc.handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (lc.handle == NULL)
		return vg_error(err, VG_EUNSUPPORTED, "cannot load libcurl (libcurl4): %s",
				dlerror());
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		int rc = load_symbol((void **)((char *)&lc + syms[i].offset), syms[i].name, err);

		if (rc != VG_OK) {
			dlclose(lc.handle);
			lc.handle = NULL;
			return rc;
		}
	}
	return VG_OK;
}

int
vg_fetch_init(struct vg_err *err)
{
	int rc = load_libcurl(err);

	if (rc != VG_OK)
		return rc;
	if (lc.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return vg_error(err, VG_EIO, "cannot initialise libcurl");
	return VG_OK;
}

void
vg_fetch_cleanup(void)
{
	if (lc.handle != NULL)
		lc.global_cleanup();
}

/* "<dir>/.<base><suffix>" for @path = "<dir>/<base>". */
static char *
sibling(const char *path, const char *suffix)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	struct vg_buf b;

	vg_buf_init(&b, VG_BUF_NOLIMIT);
	if (vg_buf_add(&b, path, dirlen) < 0 || vg_buf_addf(&b, ".%s%s", path + dirlen, suffix) < 0)
		abort(); /* unbounded buffer: cannot fail */
	return vg_buf_detach(&b, NULL);
}

char *
vg_fetch_meta_path(const char *path)
{
	return sibling(path, ".meta");
}

/* ---- metadata files ------------------------------------------------------ */

void
vg_fetch_meta_release(struct vg_fetch_meta *m)
{
	if (!m)
		return;
	free(m->url);
	free(m->etag);
	free(m->last_modified);
	memset(m, 0, sizeof(*m));
}

static int
read_small_file(const char *path, struct vg_buf *out, size_t cap, struct vg_err *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[4096];
	size_t n;
	int rc = VG_OK;

	if (!f) {
		if (errno == ENOENT)
			return vg_error(err, VG_ENOTFOUND, "'%s' does not exist", path);
		return vg_error(err, VG_EIO, "cannot open '%s': %s", path, strerror(errno));
	}
	vg_buf_init(out, cap);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (vg_buf_add(out, chunk, n) < 0) {
			rc = vg_error(err, VG_ETOOBIG, "'%s' is larger than %zu bytes", path, cap);
			break;
		}
	}
	if (rc == VG_OK && ferror(f))
		rc = vg_error(err, VG_EIO, "cannot read '%s'", path);
	fclose(f);
	return rc;
}

static char *
dup_value(struct vg_str v)
{
	return v.len ? vg_xmemdupz(v.p, v.len) : NULL;
}

/* Unsigned decimal of a whole slice; false when it is not one. */
static bool
parse_u64(struct vg_str v, uint64_t *out)
{
	uint64_t x = 0;

	if (v.len == 0 || v.len > 19)
		return false;
	for (size_t i = 0; i < v.len; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(v.p[i] - '0');
	}
	*out = x;
	return true;
}

static int
meta_field(struct vg_fetch_meta *m, struct vg_str key, struct vg_str val)
{
	uint64_t n;

	if (vg_str_eqc(key, "url")) {
		free(m->url);
		m->url = dup_value(val);
	} else if (vg_str_eqc(key, "etag")) {
		free(m->etag);
		m->etag = dup_value(val);
	} else if (vg_str_eqc(key, "last-modified")) {
		free(m->last_modified);
		m->last_modified = dup_value(val);
	} else if (vg_str_eqc(key, "size")) {
		if (!parse_u64(val, &m->size))
			return VG_EINVAL;
	} else if (vg_str_eqc(key, "fetched-at")) {
		if (!parse_u64(val, &n) || n > INT64_MAX)
			return VG_EINVAL;
		m->fetched_at = (int64_t)n;
	} else if (vg_str_eqc(key, "imported")) {
		m->imported = vg_str_eqc(val, "1");
	}
	/* Unknown keys are ignored: a newer Vigil may add some. */
	return VG_OK;
}

int
vg_fetch_meta_read(const char *meta_path, struct vg_fetch_meta *m, struct vg_err *err)
{
	struct vg_buf b;
	struct vg_str data, line;
	size_t pos = 0;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = read_small_file(meta_path, &b, META_MAX, err);
	if (rc < 0) {
		if (rc != VG_ENOTFOUND)
			vg_buf_release(&b);
		return rc;
	}
	data = vg_buf_str(&b);
	if (!vg_str_next_line(data, &pos, &line) || !vg_str_eqc(line, META_MAGIC)) {
		vg_buf_release(&b);
		return vg_error(err, VG_EINVAL, "'%s' is not a download metadata file", meta_path);
	}
	while (rc == VG_OK && vg_str_next_line(data, &pos, &line)) {
		ptrdiff_t colon = vg_str_chr(line, ':');

		if (line.len == 0)
			continue;
		if (colon < 0) {
			rc = VG_EINVAL;
			break;
		}
		rc = meta_field(m, vg_str_trim(vg_str_sub(line, 0, (size_t)colon)),
				vg_str_trim(vg_str_sub(line, (size_t)colon + 1, line.len)));
	}
	vg_buf_release(&b);
	if (rc < 0)
		return vg_error(err, rc, "'%s': malformed download metadata", meta_path);
	return VG_OK;
}

static bool
has_newline(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

/* Write @data to @path through a temporary file and rename(), so a crash leaves old or new. */
static int
write_atomic(const char *path, const char *data, size_t len, struct vg_err *err)
{
	struct vg_buf tmp;
	FILE *f;
	int rc = VG_OK;

	vg_buf_init(&tmp, VG_BUF_NOLIMIT);
	if (vg_buf_addf(&tmp, "%s.tmp%ld", path, (long)getpid()) < 0)
		abort();
	f = fopen(tmp.p, "wb");
	if (!f) {
		rc = vg_error(err, VG_EIO, "cannot create '%s': %s", tmp.p, strerror(errno));
		vg_buf_release(&tmp);
		return rc;
	}
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = vg_error(err, VG_EIO, "cannot write '%s': %s", tmp.p, strerror(errno));
	if (fclose(f) != 0 && rc == VG_OK)
		rc = vg_error(err, VG_EIO, "cannot write '%s': %s", tmp.p, strerror(errno));
	if (rc == VG_OK && rename(tmp.p, path) != 0)
		rc = vg_error(err, VG_EIO, "cannot rename '%s': %s", tmp.p, strerror(errno));
	if (rc != VG_OK)
		unlink(tmp.p);
	vg_buf_release(&tmp);
	return rc;
}

int
vg_fetch_meta_write(const char *meta_path, const struct vg_fetch_meta *m, struct vg_err *err)
{
	struct vg_buf b;
	int rc = VG_OK;

	if (has_newline(m->url) || has_newline(m->etag) || has_newline(m->last_modified))
		return vg_error(err, VG_EINVAL, "'%s': metadata value holds a newline", meta_path);
	vg_buf_init(&b, META_MAX);
	if (vg_buf_addf(&b, "%s\n", META_MAGIC) < 0 ||
	    (m->url && vg_buf_addf(&b, "url: %s\n", m->url) < 0) ||
	    (m->etag && vg_buf_addf(&b, "etag: %s\n", m->etag) < 0) ||
	    (m->last_modified && vg_buf_addf(&b, "last-modified: %s\n", m->last_modified) < 0) ||
	    vg_buf_addf(&b, "size: %" PRIu64 "\nfetched-at: %" PRId64 "\nimported: %d\n", m->size,
			m->fetched_at < 0 ? 0 : m->fetched_at, m->imported ? 1 : 0) < 0)
		rc = vg_error(err, VG_ETOOBIG, "'%s': metadata too long", meta_path);
	if (rc == VG_OK)
		rc = write_atomic(meta_path, b.p, b.len, err);
	vg_buf_release(&b);
	return rc;
}

/* ---- one transfer ---------------------------------------------------------- */

struct xfer {
	const char *url;
	uint64_t cap;
	/* the response being received (reset by each status line) */
	long status;
	char etag[VALIDATOR_MAX];
	char last_modified[VALIDATOR_MAX];
	bool have_range;
	uint64_t range_start;
	uint64_t content_length; /* 0: not announced */
	/* destination: a file (part != NULL) or a buffer */
	const char *part;
	const char *part_meta;
	FILE *fp;
	uint64_t offset; /* bytes already in the .part file when resuming */
	struct vg_buf *mem;
	uint64_t got; /* body bytes stored by this transfer */
	/* why the write callback stopped the transfer */
	bool too_big, bad_range, io_error;
	int saved_errno;
	const struct vg_fetch_opts *o;
};

/* Copy a header value, trimmed, into @dst (dropped when it does not fit). */
static void
header_value(char *dst, size_t cap, struct vg_str v)
{
	v = vg_str_trim(v);
	if (v.len >= cap) {
		dst[0] = '\0';
		return;
	}
	memcpy(dst, v.p, v.len);
	dst[v.len] = '\0';
}

static bool
header_is(struct vg_str line, const char *name, struct vg_str *value)
{
	size_t n = strlen(name);

	if (line.len <= n || line.p[n] != ':' || strncasecmp(line.p, name, n) != 0)
		return false;
	*value = vg_str_sub(line, n + 1, line.len);
	return true;
}

/* "bytes 100-199/200" -> start 100. */
static bool
parse_content_range(struct vg_str v, uint64_t *start)
{
	size_t i = 0, j;

	v = vg_str_trim(v);
	if (v.len < 6 || strncasecmp(v.p, "bytes ", 6) != 0)
		return false;
	i = 6;
	for (j = i; j < v.len && v.p[j] >= '0' && v.p[j] <= '9'; j++)
		;
	return j < v.len && v.p[j] == '-' && parse_u64(vg_str_sub(v, i, j - i), start);
}

static size_t
on_header(char *data, size_t size, size_t n, void *userdata)
{
	struct xfer *x = userdata;
	struct vg_str line = vg_str_trim(vg_str_n(data, size * n));
	struct vg_str v;

	if (line.len > 5 && memcmp(line.p, "HTTP/", 5) == 0) {
		ptrdiff_t sp = vg_str_chr(line, ' ');
		uint64_t code = 0;

		x->status = 0;
		if (sp > 0 && parse_u64(vg_str_sub(line, (size_t)sp + 1, 3), &code))
			x->status = (long)code;
		x->etag[0] = x->last_modified[0] = '\0';
		x->have_range = false;
		x->content_length = 0;
	} else if (header_is(line, "etag", &v)) {
		header_value(x->etag, sizeof(x->etag), v);
	} else if (header_is(line, "last-modified", &v)) {
		header_value(x->last_modified, sizeof(x->last_modified), v);
	} else if (header_is(line, "content-range", &v)) {
		x->have_range = parse_content_range(v, &x->range_start);
	} else if (header_is(line, "content-length", &v)) {
		if (!parse_u64(vg_str_trim(v), &x->content_length))
			x->content_length = 0;
	}
	return size * n;
}

/* Record the validators of the download now starting, so that it can be resumed. */
static void
write_part_meta(struct xfer *x)
{
	struct vg_fetch_meta m = {0};

	if (!x->part_meta)
		return;
	m.url = (char *)(uintptr_t)x->url; /* borrowed for the write only */
	m.etag = x->etag[0] ? x->etag : NULL;
	m.last_modified = x->last_modified[0] ? x->last_modified : NULL;
	m.fetched_at = (int64_t)time(NULL);
	if (!m.etag && !m.last_modified) {
		unlink(x->part_meta); /* nothing to resume against */
		return;
	}
	if (vg_fetch_meta_write(x->part_meta, &m, NULL) < 0)
		unlink(x->part_meta);
}

/* First body byte of a 200/206 answer: open the .part file. */
static bool
open_part(struct xfer *x)
{
	if (x->status == 206) {
		if (!x->have_range || x->range_start != x->offset) {
			x->bad_range = true;
			return false;
		}
		x->fp = fopen(x->part, "ab");
	} else {
		x->offset = 0;
		x->fp = fopen(x->part, "wb");
		write_part_meta(x);
	}
	if (!x->fp) {
		x->io_error = true;
		x->saved_errno = errno;
		return false;
	}
	return true;
}

static size_t
on_body(char *data, size_t size, size_t n, void *userdata)
{
	struct xfer *x = userdata;
	size_t len = size * n;

	if (x->status != 200 && x->status != 206)
		return len; /* an error page or a redirect body: not kept */
	if (!x->mem && !x->fp && !open_part(x))
		return 0;
	if (x->offset + x->got + len > x->cap ||
	    (x->content_length && x->offset + x->content_length > x->cap)) {
		x->too_big = true;
		return 0;
	}
	if (x->mem) {
		if (vg_buf_add(x->mem, data, len) < 0) {
			x->too_big = true;
			return 0;
		}
	} else {
		if (fwrite(data, 1, len, x->fp) != len) {
			x->io_error = true;
			x->saved_errno = errno;
			return 0;
		}
	}
	x->got += len;
	return len;
}

static int
on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
	    curl_off_t ulnow)
{
	struct xfer *x = userdata;

	(void)ultotal;
	(void)ulnow;
	if (x->o && x->o->progress && (x->status == 200 || x->status == 206))
		x->o->progress(x->o->pctx, x->offset + (uint64_t)dlnow,
			       dltotal > 0 ? x->offset + (uint64_t)dltotal : 0);
	return 0;
}

/* Append the header "@name@value" ("If-Range: " "\"etag\""). */
static struct curl_slist *
add_header(struct curl_slist *list, const char *name, const char *value)
{
	struct vg_buf b;
	struct curl_slist *next;

	vg_buf_init(&b, VG_BUF_NOLIMIT);
	if (vg_buf_addf(&b, "%s%s", name, value) < 0)
		abort();
	next = lc.slist_append(list, b.p);
	vg_buf_release(&b);
	if (!next)
		abort(); /* out of memory, as vg_xmalloc would */
	return next;
}

static void
set_options(CURL *h, struct xfer *x, const struct vg_fetch_opts *o, char *errbuf)
{
	const char *protocols = (o->flags & VG_FETCH_HTTPS_ONLY) ? "https" : "http,https";

	lc.easy_setopt(h, CURLOPT_URL, x->url);
	lc.easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
	lc.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
	lc.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	lc.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	lc.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	lc.easy_setopt(h, CURLOPT_USERAGENT, "vigil/" VG_VERSION " (feeds sync)");
	lc.easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
		       o->connect_timeout > 0 ? o->connect_timeout : 30L);
	lc.easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 100L);
	lc.easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o->stall_timeout > 0 ? o->stall_timeout : 120L);
	lc.easy_setopt(h, CURLOPT_TIMEOUT, o->total_timeout > 0 ? o->total_timeout : 6 * 3600L);
	lc.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	lc.easy_setopt(h, CURLOPT_HEADERDATA, x);
	lc.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	lc.easy_setopt(h, CURLOPT_WRITEDATA, x);
	lc.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	lc.easy_setopt(h, CURLOPT_XFERINFODATA, x);
	lc.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	lc.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	/* Ask for the bytes as stored: a Range over a compressed encoding would not resume. */
	lc.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, NULL);
}

static int
check_url(const char *url, const struct vg_fetch_opts *o, struct vg_err *err)
{
	if (strncmp(url, "https://", 8) == 0)
		return VG_OK;
	if (strncmp(url, "http://", 7) == 0 && !(o->flags & VG_FETCH_HTTPS_ONLY))
		return VG_OK;
	return vg_error(err, VG_EINVAL, "refusing to download '%s': %s", url,
			(o->flags & VG_FETCH_HTTPS_ONLY) ? "only https:// is allowed"
							 : "only http:// and https:// are allowed");
}

/* Run the transfer; returns VG_OK when it completed with any HTTP status. */
static int
perform(struct xfer *x, struct curl_slist *headers, struct vg_err *err)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *h = lc.easy_init();
	CURLcode cc;

	if (!h)
		return vg_error(err, VG_EIO, "cannot download '%s': libcurl failed", x->url);
	set_options(h, x, x->o, errbuf);
	if (headers)
		lc.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	cc = lc.easy_perform(h);
	lc.easy_cleanup(h);
	if (x->fp && fclose(x->fp) != 0 && !x->io_error) {
		x->io_error = true;
		x->saved_errno = errno;
	}
	x->fp = NULL;
	if (x->too_big)
		return vg_error(err, VG_ETOOBIG,
				"cannot download '%s': larger than the %" PRIu64 " MiB limit",
				x->url, x->cap >> 20);
	if (x->io_error)
		return vg_error(err, VG_EIO, "cannot write '%s': %s", x->part ? x->part : "buffer",
				strerror(x->saved_errno));
	if (x->bad_range)
		return VG_EINVAL; /* the caller starts over */
	if (cc != CURLE_OK)
		return vg_error(err, VG_EIO, "cannot download '%s': %s", x->url,
				errbuf[0] ? errbuf : lc.easy_strerror(cc));
	return VG_OK;
}

/* A completed transfer with an unwanted status: VG_ENOTFOUND for "not there", else VG_EIO. */
static int
http_error(const char *url, long status, struct vg_err *err)
{
	int code = status == 404 || status == 410 ? VG_ENOTFOUND : VG_EIO;

	return vg_error(err, code, "cannot download '%s': HTTP %ld", url, status);
}

static struct curl_slist *
extra_headers(const struct vg_fetch_opts *o)
{
	struct curl_slist *list = NULL;

	for (size_t i = 0; o->headers && o->headers[i]; i++)
		list = add_header(list, "", o->headers[i]);
	return list;
}

int
vg_fetch_mem(const char *url, struct vg_buf *out, const struct vg_fetch_opts *o, struct vg_err *err)
{
	static const struct vg_fetch_opts defaults = {0};
	struct xfer x = {0};
	struct curl_slist *headers;
	int rc;

	o = o ? o : &defaults;
	if ((rc = load_libcurl(err)) != VG_OK)
		return rc;
	rc = check_url(url, o, err);
	if (rc < 0)
		return rc;
	x.url = url;
	x.o = o;
	x.cap = o->max_bytes ? o->max_bytes : VG_FETCH_DEFAULT_MAX;
	x.mem = out;
	headers = extra_headers(o);
	rc = perform(&x, headers, err);
	lc.slist_free_all(headers);
	if (rc == VG_OK && x.status != 200)
		rc = http_error(url, x.status, err);
	return rc;
}

/* ---- files ----------------------------------------------------------------- */

struct paths {
	const char *dest;
	char *part, *part_meta, *meta;
};

static bool
file_size(const char *path, uint64_t *size)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	*size = (uint64_t)st.st_size;
	return true;
}

/* Headers for resuming the .part file, when it can be: Range plus If-Range. */
static struct curl_slist *
resume_headers(struct curl_slist *list, const char *url, const struct paths *p, uint64_t *offset)
{
	struct vg_fetch_meta pm;
	uint64_t size;
	char range[64];

	*offset = 0;
	if (!file_size(p->part, &size) || size == 0)
		return list;
	if (vg_fetch_meta_read(p->part_meta, &pm, NULL) < 0 || !pm.url ||
	    strcmp(pm.url, url) != 0 || (!pm.etag && !pm.last_modified)) {
		vg_fetch_meta_release(&pm);
		return list; /* no validator: the .part may be of another version; start over */
	}
	snprintf(range, sizeof(range), "Range: bytes=%" PRIu64 "-", size);
	list = add_header(list, "", range);
	/* If-Range takes one validator; a strong ETag is the better one. */
	if (pm.etag && strncmp(pm.etag, "W/", 2) != 0)
		list = add_header(list, "If-Range: ", pm.etag);
	else if (pm.last_modified)
		list = add_header(list, "If-Range: ", pm.last_modified);
	else
		list = add_header(list, "If-Range: ", pm.etag);
	vg_fetch_meta_release(&pm);
	*offset = size;
	return list;
}

/* If-None-Match / If-Modified-Since from the metadata of the complete copy. */
static struct curl_slist *
conditional_headers(struct curl_slist *list, const char *url, const struct paths *p, bool *sent)
{
	struct vg_fetch_meta m = {0};
	uint64_t size;

	*sent = false;
	if (!file_size(p->dest, &size) || vg_fetch_meta_read(p->meta, &m, NULL) < 0) {
		vg_fetch_meta_release(&m);
		return list;
	}
	/* A copy of another URL, or one changed behind our back, is not current. */
	if (m.url && strcmp(m.url, url) == 0 && m.size == size) {
		if (m.etag)
			list = add_header(list, "If-None-Match: ", m.etag);
		if (m.last_modified)
			list = add_header(list, "If-Modified-Since: ", m.last_modified);
		*sent = m.etag || m.last_modified;
	}
	vg_fetch_meta_release(&m);
	return list;
}

/* Mark the copy at the path as just confirmed current (304). */
static void
touch_meta(const struct paths *p)
{
	struct vg_fetch_meta m;

	if (vg_fetch_meta_read(p->meta, &m, NULL) == VG_OK) {
		m.fetched_at = (int64_t)time(NULL);
		(void)!vg_fetch_meta_write(p->meta, &m, NULL);
	}
	vg_fetch_meta_release(&m);
}

static void
discard_part(const struct paths *p)
{
	unlink(p->part);
	unlink(p->part_meta);
}

/* The .part file is complete: make it the copy at the path and describe it. */
static int
install(const char *url, const struct paths *p, const struct xfer *x, struct vg_err *err)
{
	struct vg_fetch_meta m = {0};

	m.url = (char *)(uintptr_t)url;
	m.etag = x->etag[0] ? (char *)(uintptr_t)x->etag : NULL;
	m.last_modified = x->last_modified[0] ? (char *)(uintptr_t)x->last_modified : NULL;
	m.size = x->offset + x->got;
	m.fetched_at = (int64_t)time(NULL);
	if (x->status == 200 && x->got == 0) {
		/* An empty body never opened the .part file. */
		FILE *f = fopen(p->part, "wb");

		if (!f || fclose(f) != 0)
			return vg_error(err, VG_EIO, "cannot write '%s': %s", p->part,
					strerror(errno));
	}
	/* The old metadata goes first: a crash in between leaves a file without
	 * validators (downloaded again), never validators describing the wrong file. */
	unlink(p->meta);
	if (rename(p->part, p->dest) != 0)
		return vg_error(err, VG_EIO, "cannot rename '%s' to '%s': %s", p->part, p->dest,
				strerror(errno));
	unlink(p->part_meta);
	/* Header values cannot hold a newline (libcurl splits lines), so this cannot refuse. */
	return vg_fetch_meta_write(p->meta, &m, err);
}

static int
fetch_once(const char *url, const struct paths *p, const struct vg_fetch_opts *o,
	   enum vg_fetch_outcome *outcome, bool *retry, struct vg_err *err)
{
	struct xfer x = {0};
	struct curl_slist *headers = extra_headers(o);
	bool conditional = false;
	int rc;

	*retry = false;
	x.url = url;
	x.o = o;
	x.cap = o->max_bytes ? o->max_bytes : VG_FETCH_DEFAULT_MAX;
	x.part = p->part;
	x.part_meta = p->part_meta;
	if (!(o->flags & VG_FETCH_NO_RESUME))
		headers = resume_headers(headers, url, p, &x.offset);
	if (x.offset == 0 && !(o->flags & VG_FETCH_UNCONDITIONAL))
		headers = conditional_headers(headers, url, p, &conditional);
	rc = perform(&x, headers, err);
	lc.slist_free_all(headers);
	if (rc == VG_EINVAL || (rc == VG_OK && x.status == 416 && x.offset > 0)) {
		/* The server's idea of the partial file differs from ours: start over. */
		discard_part(p);
		*retry = true;
		return VG_EINVAL;
	}
	if (rc == VG_ETOOBIG)
		discard_part(p);
	if (rc < 0)
		return rc;
	if (x.status == 304 && conditional) {
		touch_meta(p);
		*outcome = VG_FETCH_NOT_MODIFIED;
		return VG_OK;
	}
	if (x.status != 200 && x.status != 206)
		return http_error(url, x.status, err);
	rc = install(url, p, &x, err);
	if (rc == VG_OK)
		*outcome = x.status == 206 ? VG_FETCH_RESUMED : VG_FETCH_DOWNLOADED;
	return rc;
}

int
vg_fetch_file(const char *url, const char *path, const struct vg_fetch_opts *o,
	      enum vg_fetch_outcome *outcome, struct vg_err *err)
{
	static const struct vg_fetch_opts defaults = {0};
	struct paths p = {path, NULL, NULL, NULL};
	bool retry = false;
	int rc;

	o = o ? o : &defaults;
	if ((rc = load_libcurl(err)) != VG_OK)
		return rc;
	rc = check_url(url, o, err);
	if (rc < 0)
		return rc;
	p.part = sibling(path, ".part");
	p.part_meta = sibling(path, ".part.meta");
	p.meta = vg_fetch_meta_path(path);
	rc = fetch_once(url, &p, o, outcome, &retry, err);
	if (retry)
		rc = fetch_once(url, &p, o, outcome, &retry, err);
	if (retry)
		rc = vg_error(err, VG_EIO,
			      "cannot download '%s': the server's byte ranges do not "
			      "match the partial download",
			      url);
	free(p.part);
	free(p.part_meta);
	free(p.meta);
	return rc;
}
