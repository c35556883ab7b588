/*
 * upload.c - vigil-agent's HTTP POST (libcurl) and gzip (zlib).
 */
#include "agent/upload.h"

#include <ctype.h>
#include <curl/curl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct vg_agent_resp *resp = arg;

	/* A body past the cap is cut, not an error: the status is what matters. */
	if (vg_buf_add(&resp->body, data, size * n) != VG_OK)
		return size * n;
	return size * n;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	static const char name[] = "retry-after:";
	struct vg_agent_resp *resp = arg;
	size_t len = size * n;
	char num[24];
	size_t i = sizeof(name) - 1, j = 0;

	if (len <= i || strncasecmp(data, name, i) != 0)
		return len;
	while (i < len && (data[i] == ' ' || data[i] == '\t'))
		i++;
	while (i < len && j + 1 < sizeof(num) && isdigit((unsigned char)data[i]))
		num[j++] = data[i++];
	num[j] = '\0';
	/* Only delta-seconds; an HTTP-date falls back to our own backoff. */
	if (j > 0 && j < 10)
		resp->retry_after = strtol(num, NULL, 10);
	return len;
}

static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const volatile sig_atomic_t *cancel = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return *cancel != 0;
}

static int
add_header(struct curl_slist **list, const char *name, const char *value)
{
	char line[1024];
	struct curl_slist *l;
	int n = snprintf(line, sizeof(line), "%s: %s", name, value);

	if (n < 0 || (size_t)n >= sizeof(line) || strpbrk(value, "\r\n"))
		return VG_EINVAL;
	l = curl_slist_append(*list, line);
	if (!l)
		return VG_ENOMEM;
	*list = l;
	return VG_OK;
}

static int
build_headers(const struct vg_agent_req *req, struct curl_slist **list)
{
	char auth[1024];
	int rc;
	int n = snprintf(auth, sizeof(auth), "Bearer %s", req->token);

	if (n < 0 || (size_t)n >= sizeof(auth))
		return VG_EINVAL;
	rc = add_header(list, "Authorization", auth);
	if (rc == VG_OK)
		rc = add_header(list, "Content-Type", "application/json");
	/* curl would otherwise send "Expect: 100-continue" and wait for large bodies. */
	if (rc == VG_OK)
		rc = add_header(list, "Expect", "");
	if (rc == VG_OK && req->report_id)
		rc = add_header(list, "X-Vigil-Report-Id", req->report_id);
	if (rc == VG_OK && req->kind)
		rc = add_header(list, "X-Vigil-Report-Kind", req->kind);
	if (rc == VG_OK && req->gzip)
		rc = add_header(list, "Content-Encoding", "gzip");
	return rc;
}

static void
set_options(CURL *h, const struct vg_agent_req *req, struct curl_slist *hdrs,
	    struct vg_agent_resp *resp, char *errbuf)
{
	long timeout = req->timeout_s < 1 ? 1 : req->timeout_s;

	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < 30 ? timeout : 30L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "vigil-agent/" VG_VERSION);
	if (req->cancel) {
		/* curl's API takes a non-const pointer it only passes back to us. */
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)(uintptr_t)req->cancel);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	}
}

int
vg_agent_post(const struct vg_agent_req *req, struct vg_agent_resp *resp, struct vg_err *err)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL;
	CURLcode cc;
	CURL *h;
	int rc;

	resp->status = 0;
	resp->retry_after = -1;
	vg_buf_init(&resp->body, VG_AGENT_MAX_RESPONSE);
	rc = build_headers(req, &hdrs);
	if (rc != VG_OK) {
		curl_slist_free_all(hdrs);
		return vg_error(err, rc, "cannot build the request headers");
	}
	h = curl_easy_init();
	if (!h) {
		curl_slist_free_all(hdrs);
		return vg_error(err, VG_EIO, "cannot initialise libcurl");
	}
	set_options(h, req, hdrs, resp, errbuf);
	cc = curl_easy_perform(h);
	if (cc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	else
		rc = vg_error(err, VG_EIO, "'%s': %s", req->url,
			      errbuf[0] ? errbuf : curl_easy_strerror(cc));
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	return rc;
}

void
vg_agent_resp_release(struct vg_agent_resp *resp)
{
	vg_buf_release(&resp->body);
}

int
vg_agent_gzip(const void *in, size_t len, struct vg_buf *out, struct vg_err *err)
{
	z_stream z;
	unsigned char chunk[64 * 1024];
	int zrc, rc = VG_OK;

	memset(&z, 0, sizeof(z));
	/* 16 + MAX_WBITS: a gzip wrapper rather than zlib's. */
	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return vg_error(err, VG_EIO, "cannot initialise zlib");
	z.next_in = (Bytef *)(uintptr_t)in; /* zlib's API is not const */
	do {
		size_t step = len > UINT_MAX ? UINT_MAX : len;

		z.avail_in = (uInt)step;
		len -= step;
		do {
			z.next_out = chunk;
			z.avail_out = sizeof(chunk);
			zrc = deflate(&z, len ? Z_NO_FLUSH : Z_FINISH);
			if (zrc == Z_STREAM_ERROR)
				rc = vg_error(err, VG_EIO, "zlib deflate failed");
			else if (vg_buf_add(out, chunk, sizeof(chunk) - z.avail_out) != VG_OK)
				rc = vg_error(err, VG_ETOOBIG, "compressed report too large");
		} while (rc == VG_OK && z.avail_out == 0);
	} while (rc == VG_OK && len);
	deflateEnd(&z);
	return rc;
}

int
vg_agent_gunzip(const void *in, size_t len, struct vg_buf *out, struct vg_err *err)
{
	z_stream z;
	unsigned char chunk[64 * 1024];
	int zrc = Z_OK, rc = VG_OK;

	if (len > UINT_MAX)
		return vg_error(err, VG_ETOOBIG, "compressed report too large");
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return vg_error(err, VG_EIO, "cannot initialise zlib");
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	while (rc == VG_OK && zrc != Z_STREAM_END) {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zrc = inflate(&z, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END)
			rc = vg_error(err, VG_EINVAL, "corrupt gzip stream");
		else if (vg_buf_add(out, chunk, sizeof(chunk) - z.avail_out) != VG_OK)
			rc = vg_error(err, VG_ETOOBIG, "decompressed report too large");
		else if (zrc == Z_OK && z.avail_in == 0 && z.avail_out != 0)
			rc = vg_error(err, VG_EINVAL, "truncated gzip stream");
	}
	inflateEnd(&z);
	return rc;
}
