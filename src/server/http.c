/*
 * http.c - vigild's HTTP core over libmicrohttpd.
 */
#define ZLIB_CONST
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/json.h"
#include "core/log.h"
#include "server/http.h"

/* Methods counted separately in the metrics; anything else is "OTHER". */
static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
#define NMETHODS (VG_ARRAY_LEN(methods) + 1)
#define NSTATUS  600

/* Histogram bucket bounds, in microseconds (Prometheus default buckets). */
static const uint64_t bucket_us[] = {5000,   10000,   25000,   50000,   100000,  250000,
				     500000, 1000000, 2500000, 5000000, 10000000};
#define NBUCKETS VG_ARRAY_LEN(bucket_us)

/* A chunked body this far past the cap is not worth reading to the end. */
#define DISCARD_FACTOR 4

#define LOG_PATH_MAX   200
#define TLS_FILE_MAX   (1024 * 1024)
#define LISTEN_BACKLOG 256

struct vg_http_server {
	struct MHD_Daemon *mhd;
	vg_http_handler_fn fn;
	void *ctx;
	struct vg_http_config cfg; /* strings not kept */
	uint16_t port;
	int listen_fd;
	char *tls_cert_pem;
	char *tls_key_pem;
	atomic_uint in_flight;
	atomic_uint_fast64_t requests[NMETHODS][NSTATUS];
	atomic_uint_fast64_t buckets[NBUCKETS]; /* non-cumulative counts */
	atomic_uint_fast64_t duration_count;
	atomic_uint_fast64_t duration_sum_us;
};

/* Per-request state, MHD's *con_cls. */
struct reqctx {
	struct vg_http_server *srv;
	struct timespec start;
	struct vg_buf body;
	uint64_t received;
	bool too_big;
	bool responded;
	int status;
	size_t bytes;
	unsigned method;
	char method_name[16];
	char path[LOG_PATH_MAX + 1];
};

/* ---- responses --------------------------------------------------------------- */

static void
resp_init(struct vg_http_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	vg_buf_init(&resp->body, VG_HTTP_MAX_RESPONSE);
}

static void
resp_release(struct vg_http_response *resp)
{
	vg_buf_release(&resp->body);
	for (size_t i = 0; i < resp->nheaders; i++) {
		free(resp->header_names[i]);
		free(resp->header_values[i]);
	}
	resp->nheaders = 0;
}

int
vg_http_resp_header(struct vg_http_response *resp, const char *name, const char *value)
{
	if (resp->nheaders >= VG_HTTP_MAX_HEADERS)
		return VG_ETOOBIG;
	resp->header_names[resp->nheaders] = vg_xstrdup(name);
	resp->header_values[resp->nheaders] = vg_xstrdup(value);
	resp->nheaders++;
	return VG_OK;
}

static void
reply_bytes(struct vg_http_response *resp, int status, const char *ctype, const char *p, size_t len)
{
	vg_buf_reset(&resp->body);
	resp->status = status;
	resp->content_type = ctype;
	if (vg_buf_add(&resp->body, p, len) != VG_OK)
		resp->status = 0; /* turned into a 500 when sent */
}

void
vg_http_reply_json(struct vg_http_response *resp, int status, const char *json, size_t len)
{
	reply_bytes(resp, status, "application/json; charset=utf-8", json, len);
}

void
vg_http_resp_json_status(struct vg_http_response *resp, int status)
{
	resp->status = status;
	resp->content_type = "application/json; charset=utf-8";
}

void
vg_http_reply_text(struct vg_http_response *resp, int status, const char *content_type,
		   const char *text, size_t len)
{
	reply_bytes(resp, status, content_type, text, len);
}

/* Write the error document into @b (which is reset first). */
static void
error_doc(struct vg_buf *b, const char *code, const char *msg)
{
	struct vg_json j;

	vg_buf_reset(b);
	vg_json_init(&j, b, 0);
	vg_json_begin_object(&j);
	vg_json_key(&j, "error");
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "code", code);
	vg_json_kv_str(&j, "message", msg);
	vg_json_end_object(&j);
	vg_json_end_object(&j);
	if (vg_json_finish(&j) != VG_OK) {
		/* Only a cap far above any message can fail; keep a valid document. */
		vg_buf_reset(b);
		if (vg_buf_addstr(b, "{\"error\":{\"code\":\"InternalServerError\"}}") != VG_OK)
			vg_buf_reset(b);
	}
}

void
vg_http_reply_error(struct vg_http_response *resp, int status, const char *code, const char *fmt,
		    ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	error_doc(&resp->body, code, msg);
	vg_http_resp_json_status(resp, status);
}

/* ---- request accessors --------------------------------------------------------- */

const char *
vg_http_query(const struct vg_http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct each_ctx {
	vg_http_kv_fn fn;
	void *ctx;
	size_t n;
};

static enum MHD_Result
each_trampoline(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct each_ctx *e = cls;

	(void)kind;
	e->n++;
	return e->fn(e->ctx, key, value) ? MHD_YES : MHD_NO;
}

size_t
vg_http_query_each(const struct vg_http_request *req, vg_http_kv_fn fn, void *ctx)
{
	struct each_ctx e = {fn, ctx, 0};

	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, each_trampoline, &e);
	return e.n;
}

const char *
vg_http_header(const struct vg_http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
vg_http_param(const struct vg_http_request *req, const char *name)
{
	for (size_t i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}

/* ---- gzip ---------------------------------------------------------------------- */

int
vg_http_gunzip(const void *in, size_t len, struct vg_buf *out, struct vg_err *err)
{
	unsigned char chunk[16384];
	z_stream zs;
	int zrc, rc = VG_OK;

	if (len > UINT32_MAX)
		return vg_error(err, VG_ETOOBIG, "gzip body too large");
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return vg_error(err, VG_ENOMEM, "cannot initialise zlib");
	zs.next_in = in;
	zs.avail_in = (uInt)len;
	for (;;) {
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zrc = inflate(&zs, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END) {
			rc = vg_error(err, VG_EINVAL, "malformed gzip body%s%s", zs.msg ? ": " : "",
				      zs.msg ? zs.msg : "");
			break;
		}
		if (vg_buf_add(out, chunk, sizeof(chunk) - zs.avail_out) != VG_OK) {
			rc = vg_error(err, VG_ETOOBIG, "gzip body inflates past %zu bytes",
				      out->max);
			break;
		}
		if (zrc == Z_STREAM_END) {
			if (zs.avail_in == 0)
				break;
			/* Concatenated members are one valid gzip stream. */
			if (inflateReset(&zs) != Z_OK) {
				rc = vg_error(err, VG_EINVAL, "malformed gzip body");
				break;
			}
		} else if (zs.avail_in == 0 && zs.avail_out != 0) {
			rc = vg_error(err, VG_EINVAL, "truncated gzip body");
			break;
		}
	}
	inflateEnd(&zs);
	return rc;
}

/* ---- metrics and access log ---------------------------------------------------- */

static unsigned
method_index(const char *m)
{
	for (unsigned i = 0; i < VG_ARRAY_LEN(methods); i++)
		if (strcmp(m, methods[i]) == 0)
			return i;
	return VG_ARRAY_LEN(methods);
}

static uint64_t
elapsed_us(const struct timespec *start)
{
	struct timespec now;
	int64_t us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (int64_t)(now.tv_sec - start->tv_sec) * 1000000 +
	     (now.tv_nsec - start->tv_nsec) / 1000;
	return us < 0 ? 0 : (uint64_t)us;
}

static void
record(struct vg_http_server *s, const struct reqctx *rc, uint64_t us)
{
	size_t b = 0;

	if (rc->status > 0 && rc->status < NSTATUS)
		atomic_fetch_add(&s->requests[rc->method][rc->status], 1);
	while (b < NBUCKETS && us > bucket_us[b])
		b++;
	if (b < NBUCKETS)
		atomic_fetch_add(&s->buckets[b], 1);
	atomic_fetch_add(&s->duration_count, 1);
	atomic_fetch_add(&s->duration_sum_us, us);
}

static int
metrics_requests(const struct vg_http_server *s, struct vg_buf *out)
{
	int rc = vg_buf_addstr(out, "# HELP vigild_http_requests_total HTTP requests completed.\n"
				    "# TYPE vigild_http_requests_total counter\n");

	for (size_t m = 0; m < NMETHODS && rc == VG_OK; m++) {
		for (int st = 100; st < NSTATUS && rc == VG_OK; st++) {
			uint64_t n = atomic_load(&s->requests[m][st]);

			if (n)
				rc = vg_buf_addf(out,
						 "vigild_http_requests_total{method=\"%s\","
						 "code=\"%d\"} %llu\n",
						 m < VG_ARRAY_LEN(methods) ? methods[m] : "OTHER",
						 st, (unsigned long long)n);
		}
	}
	return rc;
}

static int
metrics_histogram(const struct vg_http_server *s, struct vg_buf *out)
{
	uint64_t cum = 0;
	int rc = vg_buf_addstr(out, "# HELP vigild_http_request_duration_seconds Time from request "
				    "headers to response sent.\n"
				    "# TYPE vigild_http_request_duration_seconds histogram\n");

	for (size_t b = 0; b < NBUCKETS && rc == VG_OK; b++) {
		cum += atomic_load(&s->buckets[b]);
		rc = vg_buf_addf(out,
				 "vigild_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
				 (double)bucket_us[b] / 1e6, (unsigned long long)cum);
	}
	if (rc == VG_OK)
		rc = vg_buf_addf(out,
				 "vigild_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
				 "vigild_http_request_duration_seconds_sum %.6f\n"
				 "vigild_http_request_duration_seconds_count %llu\n",
				 (unsigned long long)atomic_load(&s->duration_count),
				 (double)atomic_load(&s->duration_sum_us) / 1e6,
				 (unsigned long long)atomic_load(&s->duration_count));
	return rc;
}

int
vg_http_metrics(const struct vg_http_server *s, struct vg_buf *out)
{
	int rc = metrics_requests(s, out);

	if (rc == VG_OK)
		rc = metrics_histogram(s, out);
	if (rc == VG_OK)
		rc = vg_buf_addf(out,
				 "# HELP vigild_http_requests_in_flight Requests being served.\n"
				 "# TYPE vigild_http_requests_in_flight gauge\n"
				 "vigild_http_requests_in_flight %u\n",
				 vg_http_in_flight(s));
	return rc;
}

unsigned
vg_http_in_flight(const struct vg_http_server *s)
{
	return atomic_load(&s->in_flight);
}

/* Copy @url for the log, bounded and with control characters replaced. */
static void
copy_for_log(char *dst, size_t size, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < size; i++)
		dst[i] = ((unsigned char)src[i] < 0x20 || src[i] == 0x7f) ? '?' : src[i];
	dst[i] = '\0';
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct vg_http_server *s = cls;
	struct reqctx *rc = *con_cls;
	uint64_t us;

	(void)conn;
	if (rc == NULL)
		return;
	us = elapsed_us(&rc->start);
	record(s, rc, us);
	vg_log(VG_LOG_INFO, "http method=%s path=\"%s\" status=%d bytes=%zu duration_ms=%.3f%s",
	       rc->method_name, rc->path, rc->status, rc->bytes, (double)us / 1000.0,
	       toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=true");
	vg_buf_release(&rc->body);
	free(rc);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

/* ---- request handling ---------------------------------------------------------- */

static enum MHD_Result
send_response(struct reqctx *rc, struct MHD_Connection *conn, struct vg_http_response *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len;
	char *body;

	if (resp->status < 100 || resp->status >= NSTATUS || resp->content_type == NULL) {
		error_doc(&resp->body, "InternalServerError", "the handler produced no response");
		vg_http_resp_json_status(resp, 500);
	}
	body = vg_buf_detach(&resp->body, &len);
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	for (size_t i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->header_names[i], resp->header_values[i]);
	rc->status = resp->status;
	rc->bytes = len;
	rc->responded = true;
	ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
send_error(struct reqctx *rc, struct MHD_Connection *conn, int status, const char *code,
	   const char *msg)
{
	struct vg_http_response resp;
	enum MHD_Result ret;

	resp_init(&resp);
	vg_http_reply_error(&resp, status, code, "%s", msg);
	ret = send_response(rc, conn, &resp);
	resp_release(&resp);
	return ret;
}

static struct reqctx *
reqctx_new(struct vg_http_server *s, const char *url, const char *method)
{
	struct reqctx *rc = vg_xcalloc(1, sizeof(*rc));

	rc->srv = s;
	clock_gettime(CLOCK_MONOTONIC, &rc->start);
	vg_buf_init(&rc->body, s->cfg.max_body);
	rc->method = method_index(method);
	copy_for_log(rc->method_name, sizeof(rc->method_name), method);
	copy_for_log(rc->path, sizeof(rc->path), url);
	return rc;
}

/* The declared Content-Length, or 0 when absent (chunked or no body). */
static uint64_t
declared_length(struct MHD_Connection *conn)
{
	const char *v =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long n;
	char *end;

	if (v == NULL)
		return 0;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v)
		return UINT64_MAX; /* MHD rejects these itself; be safe */
	return n;
}

static void
accumulate(struct reqctx *rc, const char *data, size_t len)
{
	rc->received += len;
	if (rc->too_big || rc->responded)
		return;
	if (vg_buf_add(&rc->body, data, len) != VG_OK) {
		rc->too_big = true;
		vg_buf_release(&rc->body);
		vg_buf_init(&rc->body, 0);
	}
}

/* Decode the body per Content-Encoding into @out; 0 or an HTTP status with @err set. */
static int
decode_body(struct vg_http_server *s, struct reqctx *rc, struct MHD_Connection *conn,
	    struct vg_buf *out, struct vg_err *err)
{
	const char *enc = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						      MHD_HTTP_HEADER_CONTENT_ENCODING);
	int vrc;

	if (enc == NULL || strcasecmp(enc, "identity") == 0 || rc->body.len == 0)
		return 0;
	if (strcasecmp(enc, "gzip") != 0 && strcasecmp(enc, "x-gzip") != 0) {
		vg_error(err, VG_EUNSUPPORTED, "unsupported content encoding '%.40s'", enc);
		return 415;
	}
	vg_buf_init(out, s->cfg.max_inflated);
	vrc = vg_http_gunzip(rc->body.p, rc->body.len, out, err);
	if (vrc == VG_ETOOBIG)
		return 413;
	return vrc == VG_OK ? 0 : 400;
}

static const char *
status_code_name(int status)
{
	switch (status) {
	case 413:
		return "PayloadTooLarge";
	case 415:
		return "UnsupportedMediaType";
	default:
		return "BadRequest";
	}
}

static enum MHD_Result
dispatch(struct vg_http_server *s, struct reqctx *rc, struct MHD_Connection *conn, const char *url,
	 const char *method)
{
	struct vg_http_request req = {0};
	struct vg_http_response resp;
	struct vg_buf inflated;
	struct vg_err err;
	enum MHD_Result ret;
	int status;

	vg_err_clear(&err);
	vg_buf_init(&inflated, 0);
	status = decode_body(s, rc, conn, &inflated, &err);
	if (status) {
		vg_buf_release(&inflated);
		return send_error(rc, conn, status, status_code_name(status), err.msg);
	}
	req.method = method;
	req.path = url;
	req.conn = conn;
	req.body = inflated.len ? inflated.p : rc->body.p;
	req.body_len = inflated.len ? inflated.len : rc->body.len;
	resp_init(&resp);
	s->fn(&req, &resp, s->ctx);
	ret = send_response(rc, conn, &resp);
	resp_release(&resp);
	vg_buf_release(&inflated);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct vg_http_server *s = cls;
	struct reqctx *rc = *con_cls;
	char msg[96];

	(void)version;
	if (rc == NULL) {
		/* Phase one: set up only; answering now is much slower (B.1). */
		rc = reqctx_new(s, url, method);
		*con_cls = rc;
		atomic_fetch_add(&s->in_flight, 1);
		if (declared_length(conn) <= s->cfg.max_body)
			return MHD_YES;
		/* Refuse before reading (and before "100 Continue"). */
		snprintf(msg, sizeof(msg), "request body larger than %zu bytes", s->cfg.max_body);
		return send_error(rc, conn, 413, "PayloadTooLarge", msg);
	}
	if (*upload_data_size) {
		accumulate(rc, upload_data, *upload_data_size);
		*upload_data_size = 0;
		/* Drop a chunked flood instead of reading it to the end. */
		if (rc->too_big && rc->received / DISCARD_FACTOR > s->cfg.max_body)
			return MHD_NO;
		return MHD_YES;
	}
	if (rc->responded)
		return MHD_YES;
	if (rc->too_big) {
		snprintf(msg, sizeof(msg), "request body larger than %zu bytes", s->cfg.max_body);
		return send_error(rc, conn, 413, "PayloadTooLarge", msg);
	}
	return dispatch(s, rc, conn, url, method);
}

/* ---- start and stop ------------------------------------------------------------ */

VG_PRINTF(2, 0) static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	/* Mostly client misbehaviour (bad requests, resets): not an operator's error. */
	vg_log(VG_LOG_DEBUG, "libmicrohttpd: %s", msg);
}

void
vg_http_config_init(struct vg_http_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = "127.0.0.1:8080";
	cfg->threads = 1;
	cfg->conn_memory_limit = 64 * 1024;
	cfg->conn_timeout_s = 30;
	cfg->max_connections = 1024;
	cfg->max_body = VG_HTTP_DEFAULT_MAX_BODY;
	cfg->max_inflated = VG_HTTP_DEFAULT_MAX_INFLATED;
}

/* Split "host:port", "[v6]:port" or ":port" into @host (may be "") and @port. */
static int
split_listen(const char *listen, char *host, size_t hsize, char *port, size_t psize,
	     struct vg_err *err)
{
	const char *colon, *h = listen, *hend;

	if (listen[0] == '[') {
		hend = strchr(listen, ']');
		if (hend == NULL || hend[1] != ':')
			return vg_error(err, VG_EINVAL, "invalid listen address '%s'", listen);
		h = listen + 1;
		colon = hend + 1;
	} else {
		colon = strrchr(listen, ':');
		if (colon == NULL || memchr(listen, ':', (size_t)(colon - listen)))
			return vg_error(err, VG_EINVAL,
					"invalid listen address '%s' (want ADDR:PORT or "
					"[ADDR]:PORT)",
					listen);
		hend = colon;
	}
	if ((size_t)(hend - h) >= hsize || strlen(colon + 1) >= psize || colon[1] == '\0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    strtoul(colon + 1, NULL, 10) > 65535)
		return vg_error(err, VG_EINVAL, "invalid listen address '%s'", listen);
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	memcpy(port, colon + 1, strlen(colon + 1) + 1);
	return VG_OK;
}

static int
bind_socket(const struct addrinfo *ai, int *fd_out)
{
	int one = 1, zero = 0;
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* "[::]" serves IPv4 too; a specific address serves only itself anyway. */
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	*fd_out = fd;
	return 0;
}

static uint16_t
bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int
open_listener(const char *listen, int *fd_out, struct vg_err *err)
{
	struct addrinfo hints = {0}, *res, *ai;
	char host[256], port[8];
	int rc, e = 0;

	rc = split_listen(listen, host, sizeof(host), port, sizeof(port), err);
	if (rc)
		return rc;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (rc != 0)
		return vg_error(err, VG_EINVAL, "cannot resolve listen address '%s': %s", listen,
				gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		if (bind_socket(ai, fd_out) == 0)
			break;
		e = errno;
	}
	freeaddrinfo(res);
	if (ai == NULL)
		return vg_error(err, VG_EIO, "cannot listen on '%s': %s", listen, strerror(e));
	return VG_OK;
}

static int
read_small_file(const char *path, char **out, struct vg_err *err)
{
	struct vg_buf b;
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return vg_error(err, VG_EIO, "cannot open '%s': %s", path, strerror(errno));
	vg_buf_init(&b, TLS_FILE_MAX);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (vg_buf_add(&b, chunk, (size_t)n) != VG_OK) {
			close(fd);
			vg_buf_release(&b);
			return vg_error(err, VG_ETOOBIG, "'%s' is larger than 1 MiB", path);
		}
	}
	close(fd);
	if (n < 0) {
		vg_buf_release(&b);
		return vg_error(err, VG_EIO, "cannot read '%s': %s", path, strerror(errno));
	}
	*out = vg_buf_detach(&b, NULL);
	vg_buf_release(&b);
	return VG_OK;
}

static int
load_tls(struct vg_http_server *s, const struct vg_http_config *cfg, struct vg_err *err)
{
	int rc;

	if (cfg->tls_cert == NULL && cfg->tls_key == NULL)
		return VG_OK;
	if (cfg->tls_cert == NULL || cfg->tls_key == NULL)
		return vg_error(err, VG_EINVAL, "TLS needs both a certificate and a key");
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		return vg_error(err, VG_EUNSUPPORTED, "libmicrohttpd was built without TLS");
	rc = read_small_file(cfg->tls_cert, &s->tls_cert_pem, err);
	if (rc == VG_OK)
		rc = read_small_file(cfg->tls_key, &s->tls_key_pem, err);
	return rc;
}

static void
server_free(struct vg_http_server *s)
{
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->tls_key_pem)
		explicit_bzero(s->tls_key_pem, strlen(s->tls_key_pem));
	free(s->tls_key_pem);
	free(s->tls_cert_pem);
	free(s);
}

static struct MHD_Daemon *
start_mhd(struct vg_http_server *s)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	struct MHD_OptionItem opts[16];
	size_t n = 0;

	if (s->tls_cert_pem)
		flags |= MHD_USE_TLS;
#define OPT(o, v, p) opts[n++] = (struct MHD_OptionItem){(o), (intptr_t)(v), (p)}
	OPT(MHD_OPTION_LISTEN_SOCKET, s->listen_fd, NULL);
	OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, s->cfg.conn_memory_limit, NULL);
	OPT(MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.conn_timeout_s, NULL);
	OPT(MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections, NULL);
	OPT(MHD_OPTION_NOTIFY_COMPLETED, on_completed, s);
	OPT(MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL);
	if (s->cfg.threads > 1)
		OPT(MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads, NULL);
	if (s->tls_cert_pem) {
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert_pem);
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key_pem);
	}
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, opts,
				MHD_OPTION_END);
}

int
vg_http_start(const struct vg_http_config *cfg, vg_http_handler_fn fn, void *ctx,
	      struct vg_http_server **out, struct vg_err *err)
{
	struct vg_http_server *s = vg_xcalloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	s->fn = fn;
	s->ctx = ctx;
	s->cfg = *cfg;
	s->cfg.listen = NULL;
	s->cfg.tls_cert = NULL;
	s->cfg.tls_key = NULL;
	s->listen_fd = -1;
	rc = load_tls(s, cfg, err);
	if (rc == VG_OK)
		rc = open_listener(cfg->listen, &s->listen_fd, err);
	if (rc != VG_OK) {
		server_free(s);
		return rc;
	}
	s->port = bound_port(s->listen_fd);
	s->mhd = start_mhd(s);
	if (s->mhd == NULL) {
		server_free(s);
		return vg_error(err, VG_EIO, "cannot start the HTTP daemon on '%s'%s", cfg->listen,
				cfg->tls_cert ? " (check the TLS certificate and key)" : "");
	}
	*out = s;
	return VG_OK;
}

uint16_t
vg_http_port(const struct vg_http_server *s)
{
	return s->port;
}

void
vg_http_stop(struct vg_http_server *s, unsigned drain_ms)
{
	struct timespec tick = {0, 10 * 1000 * 1000};
	MHD_socket fd;

	if (s == NULL)
		return;
	fd = MHD_quiesce_daemon(s->mhd);
	if (fd != MHD_INVALID_SOCKET && fd == s->listen_fd) {
		close(fd);
		s->listen_fd = -1;
	}
	for (unsigned waited = 0; vg_http_in_flight(s) > 0 && waited < drain_ms; waited += 10)
		nanosleep(&tick, NULL);
	MHD_stop_daemon(s->mhd);
	server_free(s);
}
