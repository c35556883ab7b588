/*
 * jstream.h - streaming JSON: pick records out of a large document.
 *
 * Bulk feeds are one big JSON document holding many small records (NVD's
 * "vulnerabilities" array, the tracker's package -> CVE map, the KEV
 * catalog).  vg_jstream_read() tokenizes the input with yajl in 64 KiB
 * chunks and, for every value the caller's select() callback marks
 * VG_JS_CAPTURE, builds a jansson tree of that value alone and hands it to
 * record().  Memory is bounded by the largest captured record
 * (max_record bytes of input), not by the file.
 *
 * select() is asked about every value at a depth the walk has descended to,
 * with the path of keys / array indexes that leads to it:
 *   VG_JS_DESCEND - walk into it (objects and arrays; a scalar is skipped),
 *   VG_JS_CAPTURE - build it and call record(),
 *   VG_JS_SKIP    - ignore it (cheaply; nothing is built).
 * The top-level value has depth 0; a member of the top-level object has
 * depth 1 and path->key[0] set; an element of a top-level array has
 * path->index[0] set.
 *
 * Top-level scalars captured this way (e.g. "catalogVersion") arrive as
 * jansson scalars, so headers can be read in the same pass.
 *
 * Ownership: `value` passed to record() is owned by the reader and freed
 * when record() returns (json_incref() it to keep it).  Path strings are
 * valid during the callback only.
 */
#ifndef VG_FEEDS_JSTREAM_H
#define VG_FEEDS_JSTREAM_H

#include <jansson.h>
#include <stddef.h>

#include "core/compiler.h"
#include "core/err.h"
#include "feeds/feed.h"

#define VG_JS_MAX_DEPTH 64

enum vg_js_action { VG_JS_DESCEND, VG_JS_CAPTURE, VG_JS_SKIP };

struct vg_js_path {
	int depth;                        /* depth of the value being asked about */
	const char *key[VG_JS_MAX_DEPTH]; /* key[i]: member name at depth i+1, or NULL in arrays */
	long index[VG_JS_MAX_DEPTH];      /* index[i]: array index at depth i+1, or -1 */
};

struct vg_jstream_ops {
	enum vg_js_action (*select)(const struct vg_js_path *path, void *ctx);
	/* Return VG_OK to go on, anything else stops the read and is returned. */
	int (*record)(const struct vg_js_path *path, json_t *value, void *ctx, struct vg_err *err);
	void *ctx;
	size_t max_record; /* cap on one captured record's size in bytes; 0: VG_FEED_MAX_RECORD */
};

/**
 * Stream the JSON document of @in through @ops.  Returns VG_OK, the first
 * non-OK value of record(), VG_EINVAL for a syntax error (with line and
 * column in @err), VG_ETOOBIG when a captured record or the nesting depth
 * exceeds the limits, or VG_EIO.
 */
int vg_jstream_read(struct vg_feed_in *in, const struct vg_jstream_ops *ops,
		    struct vg_err *err) VG_MUST_CHECK;

/** Same over a buffer in memory (fuzz targets, tests). */
int vg_jstream_read_mem(const char *data, size_t len, const struct vg_jstream_ops *ops,
			struct vg_err *err) VG_MUST_CHECK;

/* ---- typed getters over jansson, naming the field on error ----------------
 * Each returns the value, or NULL/default when the member is absent or null.
 * When the member is present with the wrong type, it returns NULL/default and
 * sets *bad (if bad != NULL) to the member name, so that callers can report
 * "field 'x': expected a string". */

const char *vg_js_str(const json_t *obj, const char *key, const char **bad);
double vg_js_num(const json_t *obj, const char *key, double dflt, const char **bad);
int vg_js_bool(const json_t *obj, const char *key, int dflt, const char **bad);
/** Object member that is an object / array, or NULL. */
json_t *vg_js_obj(const json_t *obj, const char *key, const char **bad);
json_t *vg_js_arr(const json_t *obj, const char *key, const char **bad);
/** Follow a dotted path of object members ("cve.metrics.cvssMetricV31"); NULL if absent. */
json_t *vg_js_path(const json_t *obj, const char *dotted);

#endif /* VG_FEEDS_JSTREAM_H */
