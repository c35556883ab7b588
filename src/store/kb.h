/*
 * kb.h - the vulnerability knowledge base: one SQLite file.
 *
 * Holds what the importers produce (src/feeds/record.h): vulnerabilities
 * with their aliases, CVSS (scores recomputed with src/core/cvss), CWEs and
 * references; affected-package statements per namespace; NVD CPE
 * configurations; CISA KEV; FIRST EPSS; and per-source metadata.  The
 * schema is created and upgraded by numbered migrations
 * (src/store/migrations/NNNN_*.sql, embedded at build time); the
 * database's `PRAGMA user_version` is the number of the last one applied.
 *
 * Transactions: an import of one file runs between vg_kb_txn_begin() and
 * vg_kb_txn_commit(); on any failure the caller calls
 * vg_kb_txn_rollback() and the previous data is untouched.  WAL mode, so
 * readers (vigil scan, vigild) are not blocked by an import.
 *
 * Threading: one struct vg_kb per thread.  Ownership: strings returned in
 * query results live in the caller's arena or are valid only during the
 * callback, as each function says.  All SQL is parameterized.
 */
#ifndef VG_STORE_KB_H
#define VG_STORE_KB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"
#include "feeds/record.h"

struct vg_kb; /* opaque */

enum vg_kb_flags {
	VG_KB_READONLY = 1 << 0, /* open existing, read only */
	VG_KB_CREATE = 1 << 1,   /* create the file (and its directory) when missing */
};

/**
 * The store path when none is given: $VIGIL_DB if set and not empty; else
 * /var/lib/vigil/vigil.db when running as root (effective uid 0); else
 * $XDG_DATA_HOME/vigil/vigil.db ($XDG_DATA_HOME absolute) or
 * ~/.local/share/vigil/vigil.db.  Returns the environment string or a
 * static buffer overwritten by the next call (not thread-safe).
 * docs/internals/store.md is the user-facing description.
 */
const char *vg_kb_default_path(void);

/**
 * Open (and, unless read-only, migrate) the database at @path (NULL: the
 * default path).  VG_ENOTFOUND when it does not exist and VG_KB_CREATE is
 * not given (VG_KB_CREATE also creates missing parent directories, 0700,
 * or 0755 for root); VG_EUNSUPPORTED when its schema is newer than this
 * program knows, or older and VG_KB_READONLY is given; VG_EINVAL when the
 * file is not a SQLite database or is another application's (the file is
 * then left untouched); VG_EIO/VG_EPERM for system errors.  On success
 * *@kb is the caller's, to vg_kb_close(); on failure it is NULL.
 */
int vg_kb_open(const char *path, unsigned flags, struct vg_kb **kb /* OUT */,
	       struct vg_err *err) VG_MUST_CHECK;

/** Close @kb, rolling back an open transaction.  NULL is a no-op. */
void vg_kb_close(struct vg_kb *kb);

/** Schema version of the open database (number of migrations applied). */
int vg_kb_schema_version(struct vg_kb *kb);

/* ---- importing ------------------------------------------------------------ */

/**
 * Start the write transaction of an import (BEGIN IMMEDIATE: waits up to
 * 10 s for another writer, then VG_EIO "database is locked").  VG_EPERM on
 * a read-only kb, VG_EINVAL when one is already open.
 */
int vg_kb_txn_begin(struct vg_kb *kb, struct vg_err *err) VG_MUST_CHECK;

/** Commit.  On failure the transaction stays open: call vg_kb_txn_rollback(). */
int vg_kb_txn_commit(struct vg_kb *kb, struct vg_err *err) VG_MUST_CHECK;

/** Roll back whatever the open transaction wrote (no-op without one). */
void vg_kb_txn_rollback(struct vg_kb *kb);

/**
 * A sink writing into @kb's open transaction.  begin() applies the source's
 * mode (REPLACE drops the source's previous rows; MERGE drops a record's
 * previous rows when it arrives again: its vuln row with aliases, CWEs,
 * references and CPE configurations, and the affected statements it owns,
 * i.e. whose `advisory` is the record, or whose `vuln_id` is and that have
 * no advisory); end() records the source metadata (format, version,
 * snapshot, record count, imported-at time) and clears a recorded failure.
 * CVSS base scores are recomputed from the vectors; an invalid vector is
 * warned about and stored as NULL.  Warnings (the importer's and the
 * store's) go to @warn (may be NULL).  The sink borrows @kb.
 */
void vg_kb_sink(struct vg_kb *kb, struct vg_feed_sink *sink /* OUT */,
		void (*warn)(void *wctx, const char *msg), void *wctx);

/**
 * Record that a sync of source @name failed (its data stays): sets its
 * last_error and failed_at, creating the source row if needed.  Call it
 * after vg_kb_txn_rollback() (inside a transaction it is rolled back too).
 */
int vg_kb_source_failed(struct vg_kb *kb, const char *name, const char *message,
			struct vg_err *err) VG_MUST_CHECK;

/* ---- queries for the matcher --------------------------------------------- */

/* An affected statement with where it came from (strings valid in the callback). */
struct vg_kb_affected {
	struct vg_affected a;
	const char *source; /* source name ("debian-dsa", "osv", ...) */
};

/**
 * Call @cb for every affected statement about (@ns, @package).  @cb returns
 * VG_OK to go on.  Package names compare exactly, except for PyPI (PEP 503
 * normalization: case-insensitive, runs of "-_." equal) and namespaces whose
 * names the ecosystem treats case-insensitively.
 */
int vg_kb_affected_each(struct vg_kb *kb, const char *ns, const char *package,
			int (*cb)(const struct vg_kb_affected *row, void *ctx), void *ctx,
			struct vg_err *err) VG_MUST_CHECK;

/**
 * Does any source hold statements for namespace @ns (e.g. "debian:12")?
 * A namespace with data is "covered": its packages are never matched by
 * CPE.  *@covered is set.
 */
int vg_kb_ns_covered(struct vg_kb *kb, const char *ns, bool *covered /* OUT */,
		     struct vg_err *err) VG_MUST_CHECK;

/**
 * Call @cb for each NVD configuration that has a vulnerable criterion whose
 * CPE product equals @product (lower-case; "_" and "-" compare equal).  The
 * configuration passed is complete (all nodes, all matches), valid during
 * the callback.
 */
int vg_kb_cpe_configs_each(struct vg_kb *kb, const char *product,
			   int (*cb)(const char *vuln_id, const struct vg_cpe_config *cfg,
				     void *ctx),
			   void *ctx, struct vg_err *err) VG_MUST_CHECK;

/* Everything scoring and reporting need about one vulnerability, merged
 * across sources (NVD first for CVSS, then CVE 5, then OSV/distro; the
 * source used is named).  Strings are allocated in the arena given to
 * vg_kb_vuln_info(). */
struct vg_kb_vuln_info {
	const char *id;      /* as asked */
	const char *cve_id;  /* the CVE id (itself, or a CVE alias), or NULL */
	const char *summary; /* short text, or the description's first sentence */
	const char *description;
	const char *published;
	const char *cvss_v3_vector; /* NULL when no source has one */
	double cvss_v3;             /* base score recomputed, NaN when absent */
	const char *cvss_v4_vector;
	double cvss_v4;
	const char *cvss_v2_vector;
	double cvss_v2;
	const char *cvss_source; /* source the vectors came from */
	const char *severity;    /* vendor word when no vector, or NULL */
	const char *cwes;        /* comma-separated, or NULL */
	bool exploit_ref;        /* a reference tagged as exploit */
	bool kev;
	const char *kev_date_added;
	const char *kev_due_date;
	bool kev_ransomware;
	bool has_epss;
	double epss;            /* probability 0..1 */
	double epss_percentile; /* 0..1 */
	const char *epss_date;
	bool known; /* false when no source knows the id at all */
};

/**
 * Look up @id (a CVE or any record id; aliases are followed one hop, and
 * through the CVE id).  An id nobody knows is not an error: VG_OK with
 * `known` false.  Scores are NaN when absent.  See docs/internals/store.md
 * for the merge rules.
 */
int vg_kb_vuln_info(struct vg_kb *kb, const char *id, struct vg_arena *arena,
		    struct vg_kb_vuln_info *out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/* ---- status ------------------------------------------------------------- */

struct vg_kb_source_status {
	const char *name;
	const char *format;
	const char *version;
	const char *snapshot;
	const char *path;
	int64_t records;
	const char *imported_at; /* ISO 8601 UTC */
	const char *last_error;  /* last failed sync, or NULL */
	const char *failed_at;
};

/** Call @cb for each source, by name; strings valid in the callback. */
int vg_kb_sources_each(struct vg_kb *kb, int (*cb)(const struct vg_kb_source_status *s, void *ctx),
		       void *ctx, struct vg_err *err) VG_MUST_CHECK;

/* Row counts: vulns counts records per source (a CVE in NVD and CVE 5 is two). */
struct vg_kb_counts {
	int64_t vulns, affected, kev, epss, cpe_configs, sources;
};

/** Fill @out with the row counts of the open database. */
int vg_kb_counts(struct vg_kb *kb, struct vg_kb_counts *out /* OUT */,
		 struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_STORE_KB_H */
