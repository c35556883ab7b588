/*
 * http.h - vigild's HTTP core over libmicrohttpd.
 *
 * One daemon serves every request through a single handler callback (the
 * router).  libmicrohttpd runs an epoll thread pool; each request is handled
 * with the two-phase idiom (the first callback only sets up state), and the
 * body is accumulated in our own capped buffer, never MHD_PostProcessor.
 * Request bodies with Content-Encoding: gzip are inflated with a cap on the
 * decompressed size.  Oversized bodies get 413, malformed gzip 400 and other
 * encodings 415, all as JSON errors, before the handler runs.
 *
 * Every request is counted for /metrics and written to the access log
 * (vg_log at VG_LOG_INFO) when it completes.
 *
 * Threads: the handler runs concurrently on the pool threads and must be
 * thread-safe; a request and its response belong to one thread.
 */
#ifndef VG_SERVER_HTTP_H
#define VG_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"

struct MHD_Connection;
struct vg_http_server; /* opaque */

#define VG_HTTP_DEFAULT_MAX_BODY     (16u * 1024 * 1024)
#define VG_HTTP_DEFAULT_MAX_INFLATED (64u * 1024 * 1024)
#define VG_HTTP_MAX_RESPONSE         (512u * 1024 * 1024)
#define VG_HTTP_MAX_PARAMS           8
#define VG_HTTP_MAX_HEADERS          8

/* What vg_http_config_init() fills in; every field may be changed before vg_http_start(). */
struct vg_http_config {
	const char *listen;       /* "ADDR:PORT", "[V6ADDR]:PORT" or ":PORT"; port 0 picks one */
	unsigned threads;         /* epoll pool threads; 1 = one internal epoll thread */
	size_t conn_memory_limit; /* MHD per-connection pool (headers, read buffer), bytes */
	unsigned conn_timeout_s;  /* idle/slow connection timeout, seconds */
	unsigned max_connections; /* concurrent connections before refusing */
	size_t max_body;          /* request body cap as received, bytes */
	size_t max_inflated;      /* request body cap after gzip decoding, bytes */
	const char *tls_cert;     /* PEM certificate file; NULL = plain HTTP */
	const char *tls_key;      /* PEM private key file; required with tls_cert */
};

/* A path parameter captured by the router ({id} in "/api/machines/{id}"). */
struct vg_http_param {
	const char *name;  /* borrowed from the route */
	const char *value; /* borrowed from the router's copy of the path */
};

/*
 * One request, valid for the duration of the handler call.  Every pointer
 * is borrowed from the server; copy what must outlive the call.
 */
struct vg_http_request {
	const char *method; /* "GET", "POST", ... as sent (MHD checks the syntax) */
	const char *path;   /* percent-decoded path, without the query string */
	const char *body;   /* decoded body, NUL-terminated (may hold NULs); "" when none */
	size_t body_len;
	struct vg_http_param params[VG_HTTP_MAX_PARAMS];
	size_t nparams;
	struct MHD_Connection *conn; /* internal */
};

/*
 * The handler's answer.  The server initialises it (status 0, empty body
 * capped at VG_HTTP_MAX_RESPONSE) and sends it after the handler returns;
 * a handler that leaves status 0, or whose body hit the cap, yields a 500.
 */
struct vg_http_response {
	int status;
	const char *content_type; /* static string */
	struct vg_buf body;       /* owned by the server */
	size_t nheaders;
	char *header_names[VG_HTTP_MAX_HEADERS];  /* owned */
	char *header_values[VG_HTTP_MAX_HEADERS]; /* owned */
};

/** The request handler: fill @resp from @req.  @ctx is the pointer given to vg_http_start(). */
typedef void (*vg_http_handler_fn)(struct vg_http_request *req, struct vg_http_response *resp,
				   void *ctx);

/** Callback of vg_http_query_each(): return false to stop the iteration. */
typedef bool (*vg_http_kv_fn)(void *ctx, const char *key, const char *value);

/** Fill @cfg with the defaults (127.0.0.1:8080, 1 thread, 16 MiB body, 30 s timeout). */
void vg_http_config_init(struct vg_http_config *cfg);

/**
 * Bind @cfg->listen and start serving with @fn(@ctx).  @cfg's strings are
 * borrowed only during the call.  VG_EINVAL for a malformed listen address
 * or missing TLS key, VG_EIO when the socket cannot be bound or a TLS file
 * cannot be read, VG_EUNSUPPORTED when libmicrohttpd lacks TLS.  On success
 * *@out is the caller's, to vg_http_stop().
 */
int vg_http_start(const struct vg_http_config *cfg, vg_http_handler_fn fn, void *ctx,
		  struct vg_http_server **out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** The TCP port the server listens on (the chosen one when the config said 0). */
uint16_t vg_http_port(const struct vg_http_server *s);

/**
 * Graceful stop: stop accepting connections, wait up to @drain_ms for
 * requests in flight to complete, then shut the daemon down and free @s.
 * NULL is a no-op.
 */
void vg_http_stop(struct vg_http_server *s, unsigned drain_ms);

/** Number of requests received and not yet completed. */
unsigned vg_http_in_flight(const struct vg_http_server *s);

/**
 * Append the server's metrics to @out in the Prometheus text format
 * (requests by method and status, a duration histogram, requests in
 * flight).  Returns VG_OK or VG_ETOOBIG.  Thread-safe.
 */
int vg_http_metrics(const struct vg_http_server *s, struct vg_buf *out) VG_MUST_CHECK;

/** Query argument @name (case-insensitive, percent-decoded), or NULL.  Borrowed. */
const char *vg_http_query(const struct vg_http_request *req, const char *name);

/** Call @fn for each query argument in order (value NULL for "?flag").  Returns the count. */
size_t vg_http_query_each(const struct vg_http_request *req, vg_http_kv_fn fn, void *ctx);

/** Request header @name (case-insensitive), or NULL.  Borrowed. */
const char *vg_http_header(const struct vg_http_request *req, const char *name);

/** Path parameter @name captured by the router (case-sensitive name), or NULL.  Borrowed. */
const char *vg_http_param(const struct vg_http_request *req, const char *name);

/**
 * Add a response header (both strings are copied).  Returns VG_OK, or
 * VG_ETOOBIG past VG_HTTP_MAX_HEADERS headers.
 */
int vg_http_resp_header(struct vg_http_response *resp, const char *name, const char *value);

/**
 * Reply @status with the JSON text @json (copied; @len bytes).  For
 * documents written with vg_json into resp->body, call
 * vg_http_resp_json_status() instead.
 */
void vg_http_reply_json(struct vg_http_response *resp, int status, const char *json, size_t len);

/** Mark resp->body (already written by the caller) as JSON with @status. */
void vg_http_resp_json_status(struct vg_http_response *resp, int status);

/** Reply @status with @text (copied) of type @content_type (static string). */
void vg_http_reply_text(struct vg_http_response *resp, int status, const char *content_type,
			const char *text, size_t len);

/**
 * Replace the response with {"error":{"code":@code,"message":...}} and
 * @status.  @code is a Defender-style code ("BadRequest", "NotFound").
 */
void vg_http_reply_error(struct vg_http_response *resp, int status, const char *code,
			 const char *fmt, ...) VG_PRINTF(4, 5);

/**
 * Inflate the gzip data @in (@len bytes; several members allowed) into
 * @out, whose cap bounds the decompressed size.  VG_EINVAL for malformed
 * or truncated data, VG_ETOOBIG past the cap (so a zip bomb stops early).
 * Exposed for the fuzz target and tests.
 */
int vg_http_gunzip(const void *in, size_t len, struct vg_buf *out,
		   struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_SERVER_HTTP_H */
