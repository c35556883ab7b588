/*
 * findings.h - what the engine concluded about the fleet, kept in the store
 * (migration 0004, docs/internals/assess.md).
 *
 * The engine (src/engine/assess.c) matches a device's tuples and scores its
 * findings; this module holds the rows: the match result of each distinct
 * tuple (the fleet-wide cache, valid for one knowledge-base generation),
 * the vulnerability summaries the API lists, each device's current
 * findings, and the event timeline.  Every function runs inside the
 * caller's transaction when one is open (ingest applies a report and its
 * findings atomically).
 *
 * Errors: VG_EIO (or VG_EPERM on a read-only kb) from the store, with @err
 * naming the step.  Strings returned live in the caller's arena.
 * Threading: as kb.h, one struct vg_kb per thread.
 */
#ifndef VG_STORE_FINDINGS_H
#define VG_STORE_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/tuple.h"
#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"
#include "store/kb.h"

/* Event kinds of the timeline written here. */
#define VG_EVENT_VULN_APPEARED    "vulnerabilityAppeared"
#define VG_EVENT_VULN_DISAPPEARED "vulnerabilityDisappeared"

/**
 * The knowledge base's generation in *@gen: it changes with every import of
 * any source, so a match made at another generation is stale.
 */
int vg_findings_kb_gen(struct vg_kb *kb, int64_t *gen /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/* One tuple of a device. */
struct vg_findings_tuple {
	int64_t id;
	struct vg_tuple tuple;
	int64_t matched_gen;  /* -1: never matched */
	const char *binaries; /* JSON array text of the package names behind it */
	bool running, listening;
};

/** The tuples of @device_id, by tuple id, into @arena. */
int vg_findings_device_tuples(struct vg_kb *kb, const char *device_id, struct vg_arena *arena,
			      struct vg_findings_tuple **out /* OUT */, size_t *n /* OUT */,
			      struct vg_err *err) VG_MUST_CHECK;

/**
 * The stored body (JSON text) of section @name of @device_id in *@body,
 * copied into @arena; NULL when the device has no such section.
 */
int vg_findings_section(struct vg_kb *kb, const char *device_id, const char *name,
			struct vg_arena *arena, const char **body /* OUT */,
			struct vg_err *err) VG_MUST_CHECK;

/* One vulnerability of a tuple, with the device-independent risk factors. */
struct vg_findings_match {
	const char *vuln_id;
	const char *status;        /* vg_finding_status_name() */
	const char *fixed_version; /* or NULL */
	const char *confidence;    /* "high", "medium", "low" */
	const char *source;        /* or NULL */
	const char *severity;      /* "Unknown", "Low", ... "Critical" */
	double s, l, w;
};

/**
 * Replace the match result of tuple @tuple_id by @m[0..@n), made at
 * knowledge-base generation @gen, and set its software identity (@vendor,
 * @software_id).
 */
int vg_findings_set_tuple(struct vg_kb *kb, int64_t tuple_id, const char *vendor,
			  const char *software_id, int64_t gen, const struct vg_findings_match *m,
			  size_t n, struct vg_err *err) VG_MUST_CHECK;

/** The generation vulnerability @id's summary was written at in *@gen; -1 when none. */
int vg_findings_summary_gen(struct vg_kb *kb, const char *id, int64_t *gen /* OUT */,
			    struct vg_err *err) VG_MUST_CHECK;

/* A vulnerability as the API shows it (Defender's Vulnerability entity). */
struct vg_findings_summary {
	const char *id;
	const char *cve_id;
	const char *description;
	const char *severity; /* "Unknown", "Low", ... */
	double cvss_v3;       /* NaN when none */
	const char *cvss_vector;
	int64_t published, updated; /* Unix seconds; 0 when unknown */
	bool public_exploit, kev;
	double epss;              /* NaN when none */
	const char *exploit_uris; /* JSON array text */
};

/**
 * Exploit references of @id (and of its CVE @cve_id, may be NULL) as a
 * JSON array text, and the latest modification time any source gives, into
 * @arena (*@updated NULL when none).
 */
int vg_findings_vuln_extras(struct vg_kb *kb, const char *id, const char *cve_id,
			    struct vg_arena *arena, const char **exploit_uris /* OUT */,
			    const char **updated /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Insert or replace the summary @s, written at generation @gen. */
int vg_findings_set_summary(struct vg_kb *kb, const struct vg_findings_summary *s, int64_t gen,
			    struct vg_err *err) VG_MUST_CHECK;

/** Store what runs and listens of tuple @tuple_id on @device_id. */
int vg_findings_set_flags(struct vg_kb *kb, const char *device_id, int64_t tuple_id, bool running,
			  bool listening, struct vg_err *err) VG_MUST_CHECK;

/* One finding of a device. */
struct vg_findings_row {
	int64_t tuple_id;
	const char *vuln_id;
	double risk;
};

/**
 * Every (tuple, vulnerability) of @device_id's tuples, into @arena, with
 * `risk` the device-independent part s x l x w (the caller applies the
 * device's context factor).  Ordered by tuple id.
 */
int vg_findings_device_matches(struct vg_kb *kb, const char *device_id, struct vg_arena *arena,
			       struct vg_findings_row **rows /* OUT */, size_t *n /* OUT */,
			       struct vg_err *err) VG_MUST_CHECK;

/* What vg_findings_replace_device() changed. */
struct vg_findings_change {
	size_t findings;    /* rows now */
	size_t appeared;    /* vulnerabilities new on the device */
	size_t disappeared; /* vulnerabilities gone from the device */
};

/**
 * Make @rows[0..@n) (reordered) the current findings of @device_id, with its
 * @risk_sum and @exposure score, at time @now.  A vulnerability already on
 * the device (on any of its tuples) keeps its first_seen; a vulnerability
 * that appears or disappears is written to the timeline.
 */
int vg_findings_replace_device(struct vg_kb *kb, const char *device_id,
			       struct vg_findings_row *rows, size_t n, double risk_sum,
			       double exposure, int64_t now,
			       struct vg_findings_change *ch /* OUT */,
			       struct vg_err *err) VG_MUST_CHECK;

/**
 * The ids of the devices (by id, at most @max) running a tuple not matched
 * at generation @gen, into @arena: those a knowledge-base update left stale.
 */
int vg_findings_stale_devices(struct vg_kb *kb, int64_t gen, size_t max, struct vg_arena *arena,
			      const char ***ids /* OUT */, size_t *n /* OUT */,
			      struct vg_err *err) VG_MUST_CHECK;

/* ---- what the organization scores need -------------------------------------------- */

/* A device counted in the organization's scores. */
struct vg_findings_scored {
	const char *device_id;
	const char *group; /* NULL: no group */
	const char *value; /* "Low", "Normal", "High" */
	double risk_sum;
};

/**
 * The devices seen at or after @since (Unix seconds), by id, into @arena.
 */
int vg_findings_active_devices(struct vg_kb *kb, int64_t since, struct vg_arena *arena,
			       struct vg_findings_scored **out /* OUT */, size_t *n /* OUT */,
			       struct vg_err *err) VG_MUST_CHECK;

/* The risk one software product carries on one device. */
struct vg_findings_software_risk {
	const char *software_id;
	const char *device_id;
	double fixable; /* risk of its findings with a fix available (what an update removes) */
	double total;   /* risk of all its findings (what removing the software removes) */
};

/**
 * Call @cb for each (software, device) with findings among the devices
 * seen at or after @since, ordered by software id then device id; the
 * strings are valid during the call.  A non-zero return of @cb stops the
 * walk and is returned.
 */
int vg_findings_software_risk_each(struct vg_kb *kb, int64_t since,
				   int (*cb)(void *ctx, const struct vg_findings_software_risk *r),
				   void *ctx, struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_STORE_FINDINGS_H */
