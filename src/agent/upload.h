/*
 * upload.h - vigil-agent's HTTP client and gzip helpers (private to the executable).
 *
 * One POST to vigild with libcurl (docs/agent-protocol.md): bearer token,
 * optional report headers, optional gzip body encoding, bounded response.
 * The caller decides what a status means; this file only moves bytes.
 */
#ifndef VG_AGENT_UPLOAD_H
#define VG_AGENT_UPLOAD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"

/* Largest response body kept; the protocol's answers are small JSON objects. */
#define VG_AGENT_MAX_RESPONSE (1024 * 1024)

/* One request.  Every pointer is borrowed. */
struct vg_agent_req {
	const char *url;       /* full URL, e.g. "https://vigil.example/agent/v1/report" */
	const char *token;     /* bearer token (no CR/LF) */
	const char *report_id; /* X-Vigil-Report-Id, or NULL */
	const char *kind;      /* X-Vigil-Report-Kind ("full" / "delta"), or NULL */
	bool gzip;             /* the body is gzip: send Content-Encoding: gzip */
	const void *body;
	size_t len;
	long timeout_s; /* whole-request limit in seconds (at least 1) */
	/* When not NULL, the transfer is aborted (VG_EIO) once *cancel is non-zero. */
	const volatile sig_atomic_t *cancel;
};

/* The answer.  status is 0 when no HTTP response was received. */
struct vg_agent_resp {
	long status;
	long retry_after;   /* Retry-After in seconds, -1 when absent or not a number */
	struct vg_buf body; /* owned; release with vg_agent_resp_release() */
};

/**
 * POST @req and fill *@resp (initialised here; the caller releases it with
 * vg_agent_resp_release() whatever the result).  Returns VG_OK when an HTTP
 * response was received (any status), VG_EIO for a network failure
 * (connection refused or closed, timeout, TLS), with the reason in @err.
 */
int vg_agent_post(const struct vg_agent_req *req, struct vg_agent_resp *resp,
		  struct vg_err *err) VG_MUST_CHECK;

/** Free what vg_agent_post() put in @resp. */
void vg_agent_resp_release(struct vg_agent_resp *resp);

/** Append the gzip (RFC 1952) compression of @len bytes at @in to @out.  VG_EIO on a zlib error. */
int vg_agent_gzip(const void *in, size_t len, struct vg_buf *out, struct vg_err *err) VG_MUST_CHECK;

/**
 * Append the decompression of the gzip stream @in to @out (whose cap bounds
 * the output: VG_ETOOBIG past it).  VG_EINVAL for a corrupt or truncated stream.
 */
int vg_agent_gunzip(const void *in, size_t len, struct vg_buf *out,
		    struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_AGENT_UPLOAD_H */
