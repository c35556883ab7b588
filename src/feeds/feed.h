/*
 * feed.h - reading feed files and dispatching them to the right importer.
 *
 * A feed file is opened through struct vg_feed_in, which reads plain and
 * gzip-compressed files alike (zlib's transparent mode), reports progress in
 * bytes of the file on disk, and hands out lines with a length cap.
 *
 * The format is detected from content, never from the file name: the first
 * VG_SNIFF_MAX bytes (decompressed) are examined, for JSON also the first
 * keys of the top-level object, and each importer's probe() scores them.
 * The importer with the highest non-zero score imports the file.
 *
 * Importers stream: memory is bounded by one record (VG_FEED_MAX_RECORD),
 * never by the file.  Errors name the file, the record and the field:
 *     "nvd.json: record CVE-2021-44228: field 'metrics.cvssMetricV31[0]...': ..."
 * An importer reports a problem with one optional field (an invalid CVSS
 * vector, an unknown CWE form) through sink->warn and goes on; a structural
 * problem (bad syntax, a record without its id, a wrong type) stops it with
 * VG_EINVAL, and the store then rolls the whole file back.
 */
#ifndef VG_FEEDS_FEED_H
#define VG_FEEDS_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/str.h"
#include "feeds/record.h"

#define VG_SNIFF_MAX       (64 * 1024)         /* bytes examined for detection */
#define VG_FEED_MAX_LINE   (1024 * 1024)       /* longest accepted text line */
#define VG_FEED_MAX_RECORD (64 * 1024 * 1024)  /* largest single JSON/YAML record */
#define VG_FEED_MAX_DOC    (256 * 1024 * 1024) /* largest whole-document read (YAML) */

/* ---- input ---------------------------------------------------------------- */

struct vg_feed_in {
	const char *path; /* borrowed */
	void *gz;         /* gzFile, or NULL for an in-memory input */
	const char *mem;  /* in-memory input (vg_feed_in_open_mem), borrowed */
	size_t memlen, mempos;
	uint64_t size;      /* bytes of the file on disk (compressed size for .gz) */
	struct vg_buf line; /* line buffer of vg_feed_in_line() */
	char *rbuf;         /* read-ahead buffer of vg_feed_in_line() */
	size_t rpos, rlen;
	bool eof;
	long lineno; /* lines returned so far */
	/* Optional progress callback, called at most every 1 MiB read. */
	void (*progress)(void *pctx, uint64_t done, uint64_t total);
	void *pctx;
	uint64_t last_progress;
};

/** Open @path for reading (gzip or plain).  On error fills @err with the path. */
int vg_feed_in_open(struct vg_feed_in *in, const char *path, struct vg_err *err) VG_MUST_CHECK;

/**
 * Read from memory instead (fuzz targets, tests, sniffing).  @name is used
 * in messages; @data is borrowed and is not decompressed.
 */
void vg_feed_in_open_mem(struct vg_feed_in *in, const char *name, const char *data, size_t len);

/** Read up to @cap bytes into @buf; *@got is 0 at end of file.  VG_EIO on error. */
int vg_feed_in_read(struct vg_feed_in *in, void *buf, size_t cap, size_t *got /* OUT */,
		    struct vg_err *err) VG_MUST_CHECK;

/**
 * Next line without its "\n" (and without a trailing "\r").  Returns 1 and
 * sets @line (valid until the next call), 0 at end of file, or VG_ETOOBIG /
 * VG_EIO (with @err naming the line number).  Do not mix with
 * vg_feed_in_read() on the same input.
 */
int vg_feed_in_line(struct vg_feed_in *in, struct vg_str *line /* OUT */,
		    struct vg_err *err) VG_MUST_CHECK;

/** Read the whole (decompressed) file into @out, failing with VG_ETOOBIG past @cap bytes. */
int vg_feed_in_slurp(struct vg_feed_in *in, struct vg_buf *out, size_t cap,
		     struct vg_err *err) VG_MUST_CHECK;

/** Bytes of the on-disk file consumed so far (for progress). */
uint64_t vg_feed_in_offset(const struct vg_feed_in *in);

void vg_feed_in_close(struct vg_feed_in *in);

/* ---- detection ------------------------------------------------------------ */

enum vg_sniff_kind { VG_SNIFF_TEXT, VG_SNIFF_JSON_OBJECT, VG_SNIFF_JSON_ARRAY };

#define VG_SNIFF_KEYS 32

/* What detection sees of a file. */
struct vg_sniff {
	const char *path;
	const char *head; /* first bytes, decompressed, NUL-terminated */
	size_t len;
	enum vg_sniff_kind kind;
	/* JSON only: top-level keys in document order with their value when it
	 * is a string (else NULL), and the keys of the first top-level value
	 * that is an object (for arrays: of the first element). */
	const char *keys[VG_SNIFF_KEYS];
	const char *values[VG_SNIFF_KEYS];
	size_t nkeys;
	const char *child_keys[VG_SNIFF_KEYS];
	size_t nchild_keys;
	char pool[8192]; /* storage of the key and value strings (truncated to 128 bytes) */
	size_t pool_used;
};

/** Does the sniffed JSON object have top-level key @key?  Returns its index or -1. */
int vg_sniff_key(const struct vg_sniff *s, const char *key);
/** The string value of top-level key @key, or NULL. */
const char *vg_sniff_value(const struct vg_sniff *s, const char *key);
/** Does the first child object have key @key? */
bool vg_sniff_child_key(const struct vg_sniff *s, const char *key);

/* ---- importers ------------------------------------------------------------ */

struct vg_importer {
	const char *format;      /* stable id: "kev-json", "epss-csv", "nvd-api-2.0", ... */
	const char *description; /* for `vigil feeds formats` and messages */
	/* 0: not this format; higher: more certain (100 = signature seen). */
	int (*probe)(const struct vg_sniff *s);
	/* Import the whole file (already opened, positioned at the start). */
	int (*import)(struct vg_feed_in *in, const struct vg_feed_sink *sink, struct vg_err *err);
};

/* The registry: every importer, NULL-terminated (src/feeds/registry.c). */
extern const struct vg_importer *const vg_importers[];

/**
 * Detect the format of @path.  Returns VG_OK and sets *@imp, or
 * VG_EUNSUPPORTED when no importer recognises it (with @err saying so).
 */
int vg_feed_detect(const char *path, const struct vg_importer **imp /* OUT */,
		   struct vg_err *err) VG_MUST_CHECK;

/** Fill @s from @in's first bytes (the input is reopened by the caller). */
int vg_feed_sniff(struct vg_feed_in *in, struct vg_sniff *s, struct vg_buf *scratch,
		  struct vg_err *err) VG_MUST_CHECK;

/**
 * Detect and import one file into @sink.  @err's message starts with the
 * file's path.  @progress may be NULL.
 */
int vg_feed_import_file(const char *path, const struct vg_feed_sink *sink,
			void (*progress)(void *pctx, uint64_t done, uint64_t total), void *pctx,
			struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_FEEDS_FEED_H */
