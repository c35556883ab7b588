/*
 * assess.h - a device's findings from its stored inventory: the server
 * side of matching (docs/internals/assess.md).
 *
 * vg_assess_device() reads the device's tuples and sections from the
 * store, matches the tuples that were never matched at the current
 * knowledge-base generation (so a delta re-matches only new software, and
 * a tuple shared by ten thousand devices is matched once for all of them),
 * keeps the result per tuple (store/findings.h), scores each finding with
 * the device's context (what runs and listens, network exposure; score.h)
 * and replaces the device's findings, recording on the timeline the
 * vulnerabilities that appeared or disappeared.
 *
 * It runs inside the caller's transaction (ingest applies a report and its
 * findings atomically).  Threading: one assessor per thread, over that
 * thread's connection.
 */
#ifndef VG_ENGINE_ASSESS_H
#define VG_ENGINE_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"
#include "engine/match.h"
#include "store/kb.h"

struct vg_assessor; /* opaque */

/** An assessor over @kb (borrowed; must outlive it).  Never fails. */
struct vg_assessor *vg_assessor_new(struct vg_kb *kb);

/** Free @a and its matcher.  NULL is a no-op. */
void vg_assessor_free(struct vg_assessor *a);

/* What one assessment did. */
struct vg_assess_stats {
	size_t tuples;      /* the device's distinct tuples */
	size_t matched;     /* of which matched now (new, or stale after a feed update) */
	size_t findings;    /* (tuple, vulnerability) rows of the device now */
	size_t appeared;    /* vulnerabilities new on the device */
	size_t disappeared; /* vulnerabilities gone from the device */
	double risk_sum;
	double exposure; /* the device exposure score, 0-100 */
};

/**
 * Assess @device_id at time @now (Unix seconds); *@st (may be NULL) says
 * what was done.  Errors are the store's (VG_EIO, VG_EPERM) with @err
 * filled; the caller then rolls its transaction back.
 */
int vg_assess_device(struct vg_assessor *a, const char *device_id, int64_t now,
		     struct vg_assess_stats *st /* OUT, may be NULL */,
		     struct vg_err *err) VG_MUST_CHECK;

/**
 * Re-assess, each in its own transaction, up to @max devices whose tuples
 * were matched at another knowledge-base generation (a feed was imported
 * since); *@done (may be NULL) is how many.  Vulnerabilities that appear or
 * disappear with the new data go to the timeline as with a report.  No
 * transaction may be open.  Errors as vg_assess_device().
 */
int vg_assess_stale(struct vg_assessor *a, size_t max, int64_t now, size_t *done /* OUT */,
		    struct vg_err *err) VG_MUST_CHECK;

/**
 * The software identity of @t: vendor (the namespace's distribution or
 * ecosystem, lower case: "debian", "alpine", "pypi", "npm"; "unknown" when
 * the namespace is) and "vendor-_-product" (the package in lower case), as
 * the reference's Software ids.  Strings in @arena.
 */
void vg_assess_software_id(const struct vg_tuple *t, struct vg_arena *arena,
			   const char **vendor /* OUT */, const char **software_id /* OUT */);

#endif /* VG_ENGINE_ASSESS_H */
