/*
 * router.c - (method, path pattern) -> handler table for vigild.
 *
 * A linear scan: the API has a few dozen routes, and matching one costs a
 * handful of case-insensitive compares, far below a SQLite query.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "server/router.h"

struct route {
	char *method;
	char *pattern; /* owned; segments point into it */
	char *segs[VG_ROUTER_MAX_SEGMENTS];
	bool is_param[VG_ROUTER_MAX_SEGMENTS];
	size_t nsegs;
	vg_http_handler_fn fn;
	void *ctx;
};

struct vg_router {
	struct route *routes;
	size_t n;
	/* vg_router_alias(): a path starting with from[] is routed as if it started with to[]. */
	struct alias {
		char *from_copy, *to_copy;
		char *from[VG_ROUTER_MAX_SEGMENTS], *to[VG_ROUTER_MAX_SEGMENTS];
		size_t nfrom, nto;
	} * aliases;
	size_t naliases;
};

struct vg_router *
vg_router_new(void)
{
	return vg_xcalloc(1, sizeof(struct vg_router));
}

void
vg_router_free(struct vg_router *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->routes[i].method);
		free(r->routes[i].pattern);
	}
	for (size_t i = 0; i < r->naliases; i++) {
		free(r->aliases[i].from_copy);
		free(r->aliases[i].to_copy);
	}
	free(r->aliases);
	free(r->routes);
	free(r);
}

/*
 * Split @s in place at '/' into @segs, skipping empty segments.  Returns the
 * count, or -1 past @max.
 */
static int
split(char *s, char **segs, size_t max)
{
	size_t n = 0;
	char *p = s;

	while (*p) {
		char *end;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		if (n == max)
			return -1;
		end = strchr(p, '/');
		segs[n++] = p;
		if (end == NULL)
			break;
		*end = '\0';
		p = end + 1;
	}
	return (int)n;
}

static int
parse_pattern(struct route *rt, const char *pattern, struct vg_err *err)
{
	size_t nparams = 0;
	int n;

	if (pattern[0] != '/')
		return vg_error(err, VG_EINVAL, "route '%s' does not start with '/'", pattern);
	rt->pattern = vg_xstrdup(pattern);
	n = split(rt->pattern, rt->segs, VG_ROUTER_MAX_SEGMENTS);
	if (n < 0)
		return vg_error(err, VG_EINVAL, "route '%s' has too many segments", pattern);
	rt->nsegs = (size_t)n;
	for (size_t i = 0; i < rt->nsegs; i++) {
		char *s = rt->segs[i];
		size_t len = strlen(s);

		if (s[0] != '{')
			continue;
		if (len < 3 || s[len - 1] != '}' || memchr(s + 1, '{', len - 1))
			return vg_error(err, VG_EINVAL, "route '%s' has a bad parameter '%s'",
					pattern, s);
		if (++nparams > VG_HTTP_MAX_PARAMS)
			return vg_error(err, VG_EINVAL, "route '%s' has too many parameters",
					pattern);
		s[len - 1] = '\0';
		rt->segs[i] = s + 1;
		rt->is_param[i] = true;
	}
	return VG_OK;
}

int
vg_router_add(struct vg_router *r, const char *method, const char *pattern, vg_http_handler_fn fn,
	      void *ctx, struct vg_err *err)
{
	struct route rt = {0};
	int rc = parse_pattern(&rt, pattern, err);

	if (rc != VG_OK) {
		free(rt.pattern);
		return rc;
	}
	rt.method = vg_xstrdup(method);
	rt.fn = fn;
	rt.ctx = ctx;
	r->routes = vg_xreallocarray(r->routes, r->n + 1, sizeof(*r->routes));
	r->routes[r->n++] = rt;
	return VG_OK;
}

int
vg_router_alias(struct vg_router *r, const char *from, const char *to, struct vg_err *err)
{
	struct alias a = {0};
	int nf, nt;

	if (from[0] != '/' || to[0] != '/')
		return vg_error(err, VG_EINVAL, "alias '%s' -> '%s' is not absolute", from, to);
	a.from_copy = vg_xstrdup(from);
	a.to_copy = vg_xstrdup(to);
	nf = split(a.from_copy, a.from, VG_ROUTER_MAX_SEGMENTS);
	nt = split(a.to_copy, a.to, VG_ROUTER_MAX_SEGMENTS);
	if (nf <= 0 || nt < 0 || nt > nf) {
		free(a.from_copy);
		free(a.to_copy);
		return vg_error(err, VG_EINVAL, "alias '%s' -> '%s' must shorten the path", from,
				to);
	}
	a.nfrom = (size_t)nf;
	a.nto = (size_t)nt;
	r->aliases = vg_xreallocarray(r->aliases, r->naliases + 1, sizeof(*r->aliases));
	r->aliases[r->naliases++] = a;
	return VG_OK;
}

/* Rewrite the leading segments of @segs by the first alias that matches; returns the new count. */
static size_t
apply_alias(const struct vg_router *r, char **segs, size_t n)
{
	for (size_t i = 0; i < r->naliases; i++) {
		const struct alias *a = &r->aliases[i];
		size_t k = 0;

		while (k < a->nfrom && k < n && strcasecmp(a->from[k], segs[k]) == 0)
			k++;
		if (k < a->nfrom)
			continue;
		/* to[] is no longer than from[]: drop the difference, then write to[]. */
		memmove(segs + a->nto, segs + a->nfrom, (n - a->nfrom) * sizeof(*segs));
		for (size_t j = 0; j < a->nto; j++)
			segs[j] = a->to[j];
		return n - (a->nfrom - a->nto);
	}
	return n;
}

/* Does @rt match the path segments?  Fills @req's params when it does. */
static bool
match(const struct route *rt, char **segs, size_t nsegs, struct vg_http_request *req)
{
	size_t np = 0;

	if (rt->nsegs != nsegs)
		return false;
	for (size_t i = 0; i < nsegs; i++)
		if (!rt->is_param[i] && strcasecmp(rt->segs[i], segs[i]) != 0)
			return false;
	for (size_t i = 0; i < nsegs; i++) {
		if (!rt->is_param[i])
			continue;
		req->params[np].name = rt->segs[i];
		req->params[np].value = segs[i];
		np++;
	}
	req->nparams = np;
	return true;
}

static bool
method_matches(const struct route *rt, const char *method)
{
	return strcmp(rt->method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0);
}

/* Append @m to the comma-separated @allow unless it is there. */
static void
allow_add(char *allow, size_t size, const char *m)
{
	size_t len = strlen(allow), mlen = strlen(m);
	const char *p = allow;

	while ((p = strstr(p, m)) != NULL) {
		if ((p == allow || p[-1] == ' ') && (p[mlen] == ',' || p[mlen] == '\0'))
			return;
		p += mlen;
	}
	if (len + mlen + 3 > size)
		return;
	if (len) {
		memcpy(allow + len, ", ", 2);
		len += 2;
	}
	memcpy(allow + len, m, mlen + 1);
}

static void
not_allowed(const struct vg_router *r, char **segs, size_t nsegs, struct vg_http_request *req,
	    struct vg_http_response *resp)
{
	char allow[256] = "";

	for (size_t i = 0; i < r->n; i++) {
		if (!match(&r->routes[i], segs, nsegs, req))
			continue;
		allow_add(allow, sizeof(allow), r->routes[i].method);
		if (strcmp(r->routes[i].method, "GET") == 0)
			allow_add(allow, sizeof(allow), "HEAD");
	}
	req->nparams = 0;
	if (allow[0] == '\0') {
		vg_http_reply_error(resp, 404, "NotFound", "no resource at '%.200s'", req->path);
		return;
	}
	vg_http_reply_error(resp, 405, "MethodNotAllowed",
			    "method '%.20s' is not allowed on '%.200s'", req->method, req->path);
	if (vg_http_resp_header(resp, "Allow", allow) != VG_OK)
		resp->status = 0;
}

void
vg_router_handle(struct vg_http_request *req, struct vg_http_response *resp, void *router)
{
	const struct vg_router *r = router;
	char *segs[VG_ROUTER_MAX_SEGMENTS];
	char *copy = vg_xstrdup(req->path);
	int n = split(copy, segs, VG_ROUTER_MAX_SEGMENTS);

	if (req->path[0] != '/' || n < 0) {
		vg_http_reply_error(resp, 404, "NotFound", "no resource at '%.200s'", req->path);
		free(copy);
		return;
	}
	n = (int)apply_alias(r, segs, (size_t)n);
	for (size_t i = 0; i < r->n; i++) {
		if (method_matches(&r->routes[i], req->method) &&
		    match(&r->routes[i], segs, (size_t)n, req)) {
			r->routes[i].fn(req, resp, r->routes[i].ctx);
			req->nparams = 0;
			free(copy);
			return;
		}
	}
	not_allowed(r, segs, (size_t)n, req, resp);
	free(copy);
}
