/*
 * json.h - a streaming JSON writer into a struct vg_buf.
 *
 * Documents are written front to back without building a tree, so an
 * inventory of thousands of packages costs one buffer.  Errors are sticky:
 * calls after a failure do nothing, and vg_json_finish() reports the first
 * one (VG_ETOOBIG when the buffer's cap is reached, VG_EINVAL for unbalanced
 * nesting), so writing code does not check every call.
 *
 * Strings are emitted as valid UTF-8 whatever the input bytes: control
 * characters are escaped and invalid UTF-8 sequences become U+FFFD, because
 * inventory strings come from files an attacker may control.
 *
 * Ownership: the writer borrows @out for its lifetime.  Not thread-safe.
 */
#ifndef VG_CORE_JSON_H
#define VG_CORE_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/compiler.h"

#define VG_JSON_MAX_DEPTH 32

enum vg_json_flags {
	VG_JSON_PRETTY = 1 << 0, /* two-space indentation and newlines */
};

struct vg_json {
	struct vg_buf *out;
	unsigned flags;
	int depth;
	int rc;                           /* first error, sticky */
	bool after_key;                   /* a key was written; the value follows */
	bool nonempty[VG_JSON_MAX_DEPTH]; /* current container has a member */
};

/** Start writing into @out (appends to what is there). */
void vg_json_init(struct vg_json *j, struct vg_buf *out, unsigned flags);

void vg_json_begin_object(struct vg_json *j);
void vg_json_end_object(struct vg_json *j);
void vg_json_begin_array(struct vg_json *j);
void vg_json_end_array(struct vg_json *j);

/** Object member name; the next call writes its value. */
void vg_json_key(struct vg_json *j, const char *key);

/** A string value; NULL writes null. */
void vg_json_string(struct vg_json *j, const char *s);
/** A string value from a slice (may contain any bytes). */
void vg_json_string_n(struct vg_json *j, const char *s, size_t len);
void vg_json_int(struct vg_json *j, int64_t v);
void vg_json_double(struct vg_json *j, double v, int decimals);
void vg_json_bool(struct vg_json *j, bool v);
void vg_json_null(struct vg_json *j);
/** Insert already-serialised JSON (trusted: produced by this writer). */
void vg_json_raw(struct vg_json *j, const char *json, size_t len);

/* Key-value shorthands.  vg_json_kv_str_opt() omits the member when @v is NULL. */
void vg_json_kv_str(struct vg_json *j, const char *key, const char *v);
void vg_json_kv_str_opt(struct vg_json *j, const char *key, const char *v);
void vg_json_kv_int(struct vg_json *j, const char *key, int64_t v);
void vg_json_kv_bool(struct vg_json *j, const char *key, bool v);

/** VG_OK, or the first error; also VG_EINVAL if containers are still open. */
int vg_json_finish(struct vg_json *j) VG_MUST_CHECK;

#endif /* VG_CORE_JSON_H */
