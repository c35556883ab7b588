/*
 * jstream.c - yajl events -> selected jansson records.
 *
 * The walk keeps one frame per container it has descended into (its key or
 * index, for the path given to select()).  Inside a captured value it builds
 * jansson nodes on a second stack instead; inside a skipped value it only
 * counts nesting.  The cost of a capture is estimated as it is built (16
 * bytes per node plus string lengths) and capped, so one hostile record
 * cannot grow memory without bound.
 */
#include "feeds/jstream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "core/alloc.h"

#define CHUNK     (64 * 1024)
#define MAX_KEY   4096
#define NODE_COST 16

struct frame {
	bool is_map;
	long index; /* arrays: index of the current element */
	char *key;  /* maps: the current member's name (owned) */
};

struct walk {
	const struct vg_jstream_ops *ops;
	struct vg_err *err;
	int rc; /* first failure; non-OK stops the parse */
	size_t max_record;

	struct frame frames[VG_JS_MAX_DEPTH];
	int nframes;
	struct vg_js_path path;

	long skip; /* > 0: inside a skipped container, its nesting depth */

	json_t *cap[VG_JS_MAX_DEPTH]; /* containers being built */
	char *cap_key[VG_JS_MAX_DEPTH];
	int ncap;
	size_t cost;
};

static int
fail(struct walk *w, int rc, const char *what)
{
	if (w->rc == VG_OK)
		w->rc = vg_error(w->err, rc, "%s", what);
	return 0;
}

static const struct vg_js_path *
build_path(struct walk *w)
{
	w->path.depth = w->nframes;
	for (int i = 0; i < w->nframes; i++) {
		w->path.key[i] = w->frames[i].is_map ? w->frames[i].key : NULL;
		w->path.index[i] = w->frames[i].is_map ? -1 : w->frames[i].index;
	}
	return &w->path;
}

/* A value is starting at the walk's level: advance the array index. */
static void
next_element(struct walk *w)
{
	if (w->nframes > 0 && !w->frames[w->nframes - 1].is_map)
		w->frames[w->nframes - 1].index++;
}

static int
deliver(struct walk *w, json_t *value)
{
	int rc = w->ops->record(build_path(w), value, w->ops->ctx, w->err);
	json_decref(value);
	w->cost = 0;
	if (rc != VG_OK) {
		if (w->rc == VG_OK)
			w->rc = rc;
		return 0;
	}
	return 1;
}

/* Add a built node to the capture in progress. */
static int
cap_add(struct walk *w, json_t *v, size_t extra)
{
	if (v == NULL)
		return fail(w, VG_ENOMEM, "out of memory building a record");
	w->cost += NODE_COST + extra;
	if (w->cost > w->max_record) {
		json_decref(v);
		return fail(w, VG_ETOOBIG, "a record is larger than the limit");
	}
	json_t *top = w->cap[w->ncap - 1];
	if (json_is_object(top)) {
		const char *k = w->cap_key[w->ncap - 1] ? w->cap_key[w->ncap - 1] : "";
		json_object_set_new(top, k, v);
	} else {
		json_array_append_new(top, v);
	}
	return 1;
}

/* A scalar value arrives (v is a new reference). */
static int
on_scalar(struct walk *w, json_t *v, size_t extra)
{
	if (w->rc != VG_OK) {
		json_decref(v);
		return 0;
	}
	if (w->skip > 0) {
		json_decref(v);
		return 1;
	}
	if (w->ncap > 0)
		return cap_add(w, v, extra);
	next_element(w);
	if (w->ops->select(build_path(w), w->ops->ctx) == VG_JS_CAPTURE) {
		if (v == NULL)
			return fail(w, VG_ENOMEM, "out of memory building a record");
		return deliver(w, v);
	}
	json_decref(v);
	return 1;
}

static int
on_start(struct walk *w, bool is_map)
{
	if (w->rc != VG_OK)
		return 0;
	if (w->skip > 0) {
		w->skip++;
		return 1;
	}
	json_t *node = NULL;
	if (w->ncap > 0) {
		if (w->ncap >= VG_JS_MAX_DEPTH)
			return fail(w, VG_ETOOBIG, "nesting deeper than the limit");
		node = is_map ? json_object() : json_array();
		if (!cap_add(w, json_incref(node), 0)) {
			json_decref(node);
			return 0;
		}
	} else {
		next_element(w);
		enum vg_js_action act = w->ops->select(build_path(w), w->ops->ctx);
		if (act == VG_JS_SKIP) {
			w->skip = 1;
			return 1;
		}
		if (act == VG_JS_DESCEND) {
			if (w->nframes >= VG_JS_MAX_DEPTH)
				return fail(w, VG_ETOOBIG, "nesting deeper than the limit");
			w->frames[w->nframes++] = (struct frame){.is_map = is_map, .index = -1};
			return 1;
		}
		node = is_map ? json_object() : json_array();
		w->cost = NODE_COST;
	}
	if (node == NULL)
		return fail(w, VG_ENOMEM, "out of memory building a record");
	w->cap[w->ncap] = node;
	w->cap_key[w->ncap] = NULL;
	w->ncap++;
	return 1;
}

static int
on_end(struct walk *w)
{
	if (w->rc != VG_OK)
		return 0;
	if (w->skip > 0) {
		w->skip--;
		return 1;
	}
	if (w->ncap > 0) {
		w->ncap--;
		free(w->cap_key[w->ncap]);
		w->cap_key[w->ncap] = NULL;
		json_t *node = w->cap[w->ncap];
		if (w->ncap > 0) {
			json_decref(node); /* the parent holds its own reference */
			return 1;
		}
		return deliver(w, node);
	}
	if (w->nframes > 0) {
		w->nframes--;
		free(w->frames[w->nframes].key);
		w->frames[w->nframes].key = NULL;
	}
	return 1;
}

/* ---- yajl callbacks ---- */

static int
cb_null(void *ctx)
{
	return on_scalar(ctx, json_null(), 0);
}

static int
cb_boolean(void *ctx, int b)
{
	return on_scalar(ctx, json_boolean(b), 0);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	struct walk *w = ctx;
	if (w->skip > 0 || w->rc != VG_OK)
		return w->rc == VG_OK;
	if (len > MAX_KEY)
		return fail(w, VG_ETOOBIG, "number longer than the limit");
	char *tmp = vg_xmemdupz(s, len);
	json_t *v;
	if (strpbrk(tmp, ".eE") == NULL) {
		errno = 0;
		long long n = strtoll(tmp, NULL, 10);
		v = errno == ERANGE ? json_real(strtod(tmp, NULL)) : json_integer(n);
	} else {
		v = json_real(strtod(tmp, NULL));
	}
	free(tmp);
	if (v == NULL) /* jansson refuses non-finite reals: 1e999 */
		return fail(w, VG_EINVAL, "number out of range");
	return on_scalar(w, v, len);
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct walk *w = ctx;
	if (w->skip > 0 || w->rc != VG_OK)
		return w->rc == VG_OK;
	json_t *v = json_stringn((const char *)s, len);
	if (v == NULL) /* yajl passes overlong UTF-8 forms that jansson refuses */
		return fail(w, VG_EINVAL, "invalid UTF-8 in a string");
	return on_scalar(w, v, len);
}

static int
cb_start_map(void *ctx)
{
	return on_start(ctx, true);
}

static int
cb_start_array(void *ctx)
{
	return on_start(ctx, false);
}

static int
cb_end(void *ctx)
{
	return on_end(ctx);
}

static int
cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct walk *w = ctx;
	if (w->rc != VG_OK)
		return 0;
	if (w->skip > 0)
		return 1;
	if (len > MAX_KEY)
		return fail(w, VG_ETOOBIG, "object key longer than the limit");
	char **slot = w->ncap > 0 ? &w->cap_key[w->ncap - 1] : &w->frames[w->nframes - 1].key;
	free(*slot);
	*slot = vg_xmemdupz(key, len);
	if (w->ncap > 0)
		w->cost += len;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end,
};

static void
walk_release(struct walk *w)
{
	for (int i = 0; i < w->nframes; i++)
		free(w->frames[i].key);
	for (int i = 0; i < w->ncap; i++) {
		free(w->cap_key[i]);
		json_decref(w->cap[i]);
	}
	w->nframes = 0;
	w->ncap = 0;
}

/* Line and column of byte @consumed of @chunk, given the lines before it. */
static void
locate(const unsigned char *chunk, size_t consumed, long lines_before, long col_before, int *line,
       int *col)
{
	long l = lines_before, c = col_before;
	for (size_t i = 0; i < consumed; i++) {
		if (chunk[i] == '\n') {
			l++;
			c = 0;
		} else {
			c++;
		}
	}
	*line = (int)(l + 1);
	*col = (int)(c + 1);
}

static void
advance(const unsigned char *chunk, size_t n, long *lines, long *col)
{
	for (size_t i = 0; i < n; i++) {
		if (chunk[i] == '\n') {
			(*lines)++;
			*col = 0;
		} else {
			(*col)++;
		}
	}
}

static int
syntax_error(struct walk *w, yajl_handle h, const unsigned char *chunk, size_t len, long lines,
	     long col)
{
	if (w->rc != VG_OK)
		return w->rc; /* a callback stopped the parse */
	size_t consumed = yajl_get_bytes_consumed(h);
	if (consumed > len)
		consumed = len;
	int line, column;
	locate(chunk, consumed, lines, col, &line, &column);
	unsigned char *msg = yajl_get_error(h, 0, chunk, len);
	char text[160];
	size_t n = strcspn((const char *)msg, "\n");
	if (n >= sizeof(text))
		n = sizeof(text) - 1;
	memcpy(text, msg, n);
	text[n] = '\0';
	yajl_free_error(h, msg);
	vg_error(w->err, VG_EINVAL, "invalid JSON at line %d column %d: %s", line, column, text);
	if (w->err != NULL) {
		w->err->line = line;
		w->err->column = column;
	}
	return VG_EINVAL;
}

int
vg_jstream_read(struct vg_feed_in *in, const struct vg_jstream_ops *ops, struct vg_err *err)
{
	struct walk *w = vg_xcalloc(1, sizeof(*w));
	w->ops = ops;
	w->err = err;
	w->max_record = ops->max_record ? ops->max_record : VG_FEED_MAX_RECORD;
	yajl_handle h = yajl_alloc(&callbacks, NULL, w);
	unsigned char *chunk = vg_xmalloc(CHUNK);
	long lines = 0, col = 0;
	int rc = VG_OK;
	bool any = false;
	for (;;) {
		size_t got;
		rc = vg_feed_in_read(in, chunk, CHUNK, &got, err);
		if (rc != VG_OK)
			break;
		if (got == 0) {
			if (!any) {
				rc = vg_error(err, VG_EINVAL, "empty document");
				break;
			}
			if (yajl_complete_parse(h) != yajl_status_ok)
				rc = syntax_error(w, h, chunk, 0, lines, col);
			break;
		}
		any = true;
		if (yajl_parse(h, chunk, got) != yajl_status_ok) {
			rc = syntax_error(w, h, chunk, got, lines, col);
			break;
		}
		advance(chunk, got, &lines, &col);
	}
	if (rc == VG_OK)
		rc = w->rc;
	walk_release(w);
	yajl_free(h);
	free(chunk);
	free(w);
	return rc;
}

int
vg_jstream_read_mem(const char *data, size_t len, const struct vg_jstream_ops *ops,
		    struct vg_err *err)
{
	struct vg_feed_in in;
	vg_feed_in_open_mem(&in, "<memory>", data, len);
	int rc = vg_jstream_read(&in, ops, err);
	vg_feed_in_close(&in);
	return rc;
}

/* ---- typed getters ---- */

static json_t *
member(const json_t *obj, const char *key)
{
	if (!json_is_object(obj))
		return NULL;
	json_t *v = json_object_get(obj, key);
	return json_is_null(v) ? NULL : v;
}

static void
mark(const char **bad, const char *key)
{
	if (bad != NULL && *bad == NULL)
		*bad = key;
}

const char *
vg_js_str(const json_t *obj, const char *key, const char **bad)
{
	json_t *v = member(obj, key);
	if (v == NULL)
		return NULL;
	if (!json_is_string(v)) {
		mark(bad, key);
		return NULL;
	}
	return json_string_value(v);
}

double
vg_js_num(const json_t *obj, const char *key, double dflt, const char **bad)
{
	json_t *v = member(obj, key);
	if (v == NULL)
		return dflt;
	if (!json_is_number(v)) {
		mark(bad, key);
		return dflt;
	}
	return json_number_value(v);
}

int
vg_js_bool(const json_t *obj, const char *key, int dflt, const char **bad)
{
	json_t *v = member(obj, key);
	if (v == NULL)
		return dflt;
	if (!json_is_boolean(v)) {
		mark(bad, key);
		return dflt;
	}
	return json_is_true(v);
}

json_t *
vg_js_obj(const json_t *obj, const char *key, const char **bad)
{
	json_t *v = member(obj, key);
	if (v != NULL && !json_is_object(v)) {
		mark(bad, key);
		return NULL;
	}
	return v;
}

json_t *
vg_js_arr(const json_t *obj, const char *key, const char **bad)
{
	json_t *v = member(obj, key);
	if (v != NULL && !json_is_array(v)) {
		mark(bad, key);
		return NULL;
	}
	return v;
}

json_t *
vg_js_path(const json_t *obj, const char *dotted)
{
	const json_t *cur = obj;
	const char *p = dotted;
	while (cur != NULL && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		cur = member(cur, key);
		p += n + (dot ? 1 : 0);
	}
	return (json_t *)(uintptr_t)cur;
}
