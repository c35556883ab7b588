/*
 * fetch.h - downloading feed files over HTTP(S) (libcurl).
 *
 * vg_fetch_file() downloads one URL to a local path the way `vigil feeds
 * sync` needs it:
 *   - into "<dir>/.<name>.part", renamed over <path> only once complete, so a
 *     reader never sees half a file and the previous copy stays until then;
 *   - resumable: an interrupted download leaves the .part file and a
 *     ".<name>.part.meta" with the server's validator (ETag or
 *     Last-Modified); the next call asks for the rest with "Range" and
 *     "If-Range", and starts over when the server answers 200 instead of 206;
 *   - conditional: the validators of the complete copy are kept in
 *     ".<name>.meta" (struct vg_fetch_meta) and sent back as If-None-Match /
 *     If-Modified-Since; a 304 answer leaves the file alone;
 *   - bounded: a size cap per call, a connect timeout, a stall timeout and
 *     an overall timeout; optionally HTTPS only, redirects included.
 * The metadata and partial files start with a dot so that directory walks
 * (feeds import, mirror resolution) skip them.
 *
 * Errors name the URL: "cannot download 'https://...': HTTP 500", with
 * VG_ENOTFOUND for HTTP 404 and 410, VG_EIO for other network and server
 * failures, VG_ETOOBIG past the size cap, VG_EINVAL for a URL the options
 * refuse.
 *
 * Threading: vg_fetch_init() must run once before the first download and
 * vg_fetch_cleanup() once after the last (libcurl's global state); between
 * them, calls from one thread at a time.  Proxies come from the usual
 * environment variables (https_proxy, no_proxy), as libcurl reads them.
 */
#ifndef VG_FEEDS_FETCH_H
#define VG_FEEDS_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"

#define VG_FETCH_DEFAULT_MAX (1024ULL * 1024 * 1024) /* size cap when none is given */

enum vg_fetch_flags {
	VG_FETCH_HTTPS_ONLY = 1 << 0,    /* refuse anything but https://, redirects included */
	VG_FETCH_UNCONDITIONAL = 1 << 1, /* do not send the saved validators (always download) */
	VG_FETCH_NO_RESUME = 1 << 2,     /* never continue a .part file */
};

struct vg_fetch_opts {
	uint64_t max_bytes;   /* size cap of the file; 0: VG_FETCH_DEFAULT_MAX */
	long connect_timeout; /* seconds to establish the connection; 0: 30 */
	long stall_timeout;   /* abort after this many seconds below 100 bytes/s; 0: 120 */
	long total_timeout;   /* seconds for the whole transfer; 0: 6 hours */
	unsigned flags;       /* enum vg_fetch_flags */
	/* Extra request headers ("apiKey: ..."), NULL-terminated, borrowed; may be NULL. */
	const char *const *headers;
	/* Called while bytes arrive: bytes of the file so far and its size (0 when unknown). */
	void (*progress)(void *pctx, uint64_t done, uint64_t total);
	void *pctx;
};

enum vg_fetch_outcome {
	VG_FETCH_DOWNLOADED,   /* a new copy is at the path (HTTP 200) */
	VG_FETCH_RESUMED,      /* a new copy, completed from a partial download (HTTP 206) */
	VG_FETCH_NOT_MODIFIED, /* HTTP 304: the copy at the path is current */
};

/* What is remembered about a downloaded file (".<name>.meta"). */
struct vg_fetch_meta {
	char *url;           /* where it came from (owned), or NULL */
	char *etag;          /* ETag header as received, or NULL */
	char *last_modified; /* Last-Modified header as received, or NULL */
	uint64_t size;       /* bytes */
	int64_t fetched_at;  /* Unix time of the download (or of the last 304) */
	bool imported;       /* this copy was imported successfully (set by the caller) */
};

/** libcurl's global initialisation; VG_EIO when it fails. */
int vg_fetch_init(struct vg_err *err) VG_MUST_CHECK;
/** Release libcurl's global state. */
void vg_fetch_cleanup(void);

/**
 * Download @url to @path as described at the top of this file and set
 * *@outcome.  The directory of @path must exist.  On success the metadata
 * file is rewritten (imported = false for a new copy; kept on a 304).  On
 * failure @path and its metadata are unchanged; a partial download that can
 * be resumed is kept.  @o may be NULL for the defaults.
 */
int vg_fetch_file(const char *url, const char *path, const struct vg_fetch_opts *o,
		  enum vg_fetch_outcome *outcome /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/**
 * Download @url into @out (appended; the buffer's own cap applies as well as
 * o->max_bytes).  No validators, no resuming.  For directory listings and
 * other small documents.
 */
int vg_fetch_mem(const char *url, struct vg_buf *out, const struct vg_fetch_opts *o,
		 struct vg_err *err) VG_MUST_CHECK;

/** The metadata file of @path: "<dir>/.<name>.meta" (caller frees). */
char *vg_fetch_meta_path(const char *path);

/**
 * Read the metadata file @meta_path into @m (initialised here; release it
 * with vg_fetch_meta_release() whatever the result).  VG_ENOTFOUND when
 * the file does not exist, VG_EINVAL when it is not a metadata file,
 * VG_EIO on a read error.
 */
int vg_fetch_meta_read(const char *meta_path, struct vg_fetch_meta *m /* OUT */,
		       struct vg_err *err) VG_MUST_CHECK;

/**
 * Write @m to @meta_path atomically (temporary file, then rename).  Values
 * holding a newline are refused with VG_EINVAL; VG_EIO on write errors.
 */
int vg_fetch_meta_write(const char *meta_path, const struct vg_fetch_meta *m,
			struct vg_err *err) VG_MUST_CHECK;

/** Free the strings of @m and zero it.  NULL is accepted. */
void vg_fetch_meta_release(struct vg_fetch_meta *m);

#endif /* VG_FEEDS_FETCH_H */
