/*
 * report.h - one device's vulnerability report: findings with their
 * threat context and scores, and the four ways of printing it.
 *
 * vg_report_build() turns an inventory into distinct tuples
 * (vg_device_tuples()), matches each through a matcher (whose cache may be
 * shared with other devices), looks every vulnerability up for CVSS, EPSS,
 * KEV and exploit references, scores each finding (score.h), sorts them by
 * priority and sums the device's exposure.  The writers print it as a
 * table for people, JSON (docs/scan.md documents every field), CSV
 * (RFC 4180) or SARIF 2.1.0.
 *
 * Ownership: the report owns its arena; it borrows the inventory and the
 * matcher's results, which must outlive it.  Not thread-safe.
 */
#ifndef VG_ENGINE_REPORT_H
#define VG_ENGINE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/inventory.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "engine/match.h"
#include "engine/score.h"

/* Schema version of the JSON report (docs/scan.md). */
#define VG_REPORT_SCHEMA "1.0"

/* One vulnerability of one piece of software on the device. */
struct vg_finding {
	const struct vg_device_tuple *dt;   /* the software (borrowed from the report) */
	const struct vg_vuln_match *vm;     /* the match (borrowed from the matcher) */
	const struct vg_kb_vuln_info *info; /* details, never NULL (info->known may be false) */
	const struct vg_package *pkg;       /* the binary shown first */
	struct vg_score_out score;
	size_t rank; /* 1-based position by priority */
};

/* A knowledge-base source and its freshness (strings in the report's arena). */
struct vg_report_source {
	const char *name, *format, *version, *snapshot, *imported_at, *last_error, *failed_at;
	int64_t records;
};

struct vg_report_warning {
	const char *package; /* "ns package version" of the tuple */
	const char *message;
};

struct vg_scan_report {
	struct vg_arena arena;
	const struct vg_inventory *inv;
	const char *db_path; /* as given to vg_report_build(), may be NULL */
	int kb_schema;

	struct vg_device_tuple *tuples;
	size_t ntuples;
	struct vg_tuple_skips skips;
	size_t by_kind[4]; /* tuples by enum vg_match_kind */

	struct vg_finding *findings; /* sorted by priority */
	size_t nfindings;
	size_t by_sev[VG_FSEV_CRITICAL + 1];
	size_t by_status[VG_FS_NSTATUS];
	size_t nkev;
	size_t nresolved; /* known vulnerabilities settled as fixed / not affected */

	double risk_sum;     /* sum of r over the findings */
	double risk_fixable; /* ... of the fixAvailable and endOfLife findings */
	double exposure;     /* 0-100 */
	enum vg_band band;

	const char **uncovered; /* namespaces matched through NVD CPE only */
	size_t nuncovered;
	struct vg_report_warning *warnings;
	size_t nwarnings;
	struct vg_report_source *sources;
	size_t nsources;
	struct vg_matcher_stats stats; /* of the matcher after this report */
	const char *scanned_at;        /* ISO 8601 UTC */
};

/**
 * Build the report of @inv (borrowed, must outlive the report) with @m.
 * @flags are vg_device_tuples() flags; @db_path is only printed.  On error
 * (a knowledge-base query failed) the report is released and the error
 * returned with @err filled.
 */
int vg_report_build(struct vg_scan_report *r, const struct vg_inventory *inv, struct vg_matcher *m,
		    unsigned flags, const char *db_path, struct vg_err *err) VG_MUST_CHECK;

/** Free what the report owns. */
void vg_report_release(struct vg_scan_report *r);

/** Findings whose severity is @sev or above (Unknown counts only for VG_FSEV_UNKNOWN). */
size_t vg_report_count_at_least(const struct vg_scan_report *r, enum vg_fsev sev);

/* ---- writers (append to @out; VG_ETOOBIG when its cap is reached) ---- */

enum vg_report_flags {
	VG_REPORT_PRETTY = 1 << 0, /* JSON and SARIF: indented */
	VG_REPORT_COLOR = 1 << 1,  /* table: ANSI colours */
};

/** The JSON report (docs/scan.md). */
int vg_report_write_json(const struct vg_scan_report *r, struct vg_buf *out,
			 unsigned flags) VG_MUST_CHECK;

/** One CSV row per finding after a header row; RFC 4180 quoting and CRLF line ends. */
int vg_report_write_csv(const struct vg_scan_report *r, struct vg_buf *out) VG_MUST_CHECK;

/** SARIF 2.1.0: one rule per vulnerability, one result per finding. */
int vg_report_write_sarif(const struct vg_scan_report *r, struct vg_buf *out,
			  unsigned flags) VG_MUST_CHECK;

/**
 * The table for people: a summary header, then the findings by priority
 * in columns that fit @width characters (0: no limit, nothing truncated).
 */
int vg_report_write_table(const struct vg_scan_report *r, struct vg_buf *out, int width,
			  unsigned flags) VG_MUST_CHECK;

#endif /* VG_ENGINE_REPORT_H */
