/*
 * kb_int.h - what kb.c, kb_import.c and kb_query.c share: the connection
 * struct, its cache of prepared statements and the key normalizations.
 * Internal to src/store; the interface is kb.h.
 */
#ifndef VG_STORE_KB_INT_H
#define VG_STORE_KB_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "core/err.h"
#include "feeds/record.h"
#include "store/kb.h"

/* The statements a connection prepares (once, on first use, persistent). */
enum vg_kb_stmt {
	VG_KB_ST_BEGIN,
	VG_KB_ST_COMMIT,
	VG_KB_ST_ROLLBACK,
	VG_KB_ST_SRC_ENSURE,
	VG_KB_ST_SRC_NEXTGEN,
	VG_KB_ST_SRC_END,
	VG_KB_ST_SRC_FAILED,
	VG_KB_ST_SRC_LIST,
	VG_KB_ST_SRC_HAS_ROWS,
	VG_KB_ST_DROP_VULN,
	VG_KB_ST_DROP_AFF,
	VG_KB_ST_DROP_KEV,
	VG_KB_ST_DROP_EPSS,
	VG_KB_ST_EPSS_OTHERS,
	VG_KB_ST_TRUNCATE_EPSS,
	VG_KB_ST_COUNTS,
	VG_KB_ST_DEL_VULN,
	VG_KB_ST_DEL_REC_AFF,
	VG_KB_ST_INS_VULN,
	VG_KB_ST_INS_ALIAS,
	VG_KB_ST_INS_CWE,
	VG_KB_ST_INS_REF,
	VG_KB_ST_INS_CONFIG,
	VG_KB_ST_INS_NODE,
	VG_KB_ST_INS_MATCH,
	VG_KB_ST_INS_AFF,
	VG_KB_ST_INS_KEV,
	VG_KB_ST_INS_EPSS,
	VG_KB_ST_UPSERT_EPSS,
	VG_KB_ST_AFF_EACH,
	VG_KB_ST_NS_COVERED,
	VG_KB_ST_CPE_CONFIGS,
	VG_KB_ST_CPE_NODES,
	VG_KB_ST_VULN_ROWS,
	VG_KB_ST_ALIASES_OF,
	VG_KB_ST_ALIASED_BY,
	VG_KB_ST_CWES,
	VG_KB_ST_EXPLOIT,
	VG_KB_ST_KEV_GET,
	VG_KB_ST_EPSS_GET,
	VG_KB_ST_AFF_KNOWN,
	VG_KB_ST_VULN_MODIFIED,
	VG_KB_ST_N
};

/* State of the import between the sink's begin() and end(). */
struct vg_kb_import {
	bool active;
	enum vg_feed_mode mode;
	bool had_rows;  /* MERGE: the source held rows before this import */
	int64_t sid;    /* source.id */
	int64_t gen;    /* source.gen of this import */
	char *name;     /* source name (owned) */
	char *last_rec; /* last record whose older rows were dropped (owned) */
	char *skip_rec; /* MERGE: record skipped because the store holds a newer copy (owned) */
};

/* Most statements vg_kb_cached() keeps per connection (an ingest alone prepares about 55). */
#define VG_KB_MAX_CACHED 128

struct vg_kb {
	sqlite3 *db;
	char *path; /* owned */
	unsigned flags;
	int schema;
	bool in_txn;
	sqlite3_stmt *st[VG_KB_ST_N];
	struct vg_kb_import imp;
	void (*warn)(void *wctx, const char *msg);
	void *wctx;
	struct vg_buf scratch; /* key normalization of the sink */
	/* Statements of the fleet and findings modules, by the address of their static SQL. */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cached[VG_KB_MAX_CACHED];
	size_t ncached;
};

/**
 * The prepared statement @id of @kb, prepared on first use.  NULL with
 * @err filled when it cannot be prepared.  Reset it after use.
 */
sqlite3_stmt *vg_kb_stmt(struct vg_kb *kb, enum vg_kb_stmt id, struct vg_err *err);

/**
 * The statement of @sql, a string with static storage: prepared on first
 * use and kept by the connection (keyed by the string's address), reset and
 * with its bindings cleared on every call.  Modules other than the
 * knowledge base's own use it, so that their statements are not prepared
 * per call.  NULL with @err filled when it cannot be prepared.
 */
sqlite3_stmt *vg_kb_cached(struct vg_kb *kb, const char *sql, struct vg_err *err);

/* Set @st to statement @id of @kb, or return the error from the enclosing function. */
#define VG_KB_STMT_OR_FAIL(st, kb, id, err)                  \
	do {                                                 \
		(st) = vg_kb_stmt((kb), (id), (err));        \
		if (!(st))                                   \
			return (err) ? (err)->code : VG_EIO; \
	} while (0)

/**
 * Step @st, which must not return rows, and reset it.  VG_OK, or the
 * error with "@what: message" in @err.
 */
int vg_kb_step_done(struct vg_kb *kb, sqlite3_stmt *st, const char *what,
		    struct vg_err *err) VG_MUST_CHECK;

/** Report a problem found in the data through the sink's warn callback (if any). */
void vg_kb_warn(struct vg_kb *kb, const char *fmt, ...) VG_PRINTF(2, 3);

/** Forget the import state (after end(), commit or rollback). */
void vg_kb_import_reset(struct vg_kb *kb);

/**
 * The package name as stored in affected.pkey for namespace @ns, appended
 * to @out (reset first): PEP 503 for "PyPI" (lower case, runs of "-_."
 * become "-"), lower case for "NuGet" and "Packagist", else @pkg as is.
 */
int vg_kb_package_key(const char *ns, const char *pkg, struct vg_buf *out) VG_MUST_CHECK;

/**
 * A CPE product as stored in cpe_match.product, appended to @out (reset
 * first): WFN quoting removed, ASCII lower case, '-' written '_'.
 */
int vg_kb_product_key(const char *product, struct vg_buf *out) VG_MUST_CHECK;

/**
 * The EPSS key of @cve: "CVE-YYYY-N" as YYYY * 10^10 + N.  false for
 * anything else (including a number with a superfluous leading zero, so
 * that the key stays one-to-one).
 */
bool vg_kb_cve_key(const char *cve, int64_t *key /* OUT */);

/** The current time as ISO 8601 UTC ("2025-08-25T17:04:19Z"). */
void vg_kb_utc_now(char out[32]);

/** "nvd" sources rank 0, "cve5" 1, every other source 2 (vuln_info's CVSS preference). */
int vg_kb_source_rank(const char *name);

#endif /* VG_STORE_KB_INT_H */
