/*
 * config.h - secure configuration assessment in the store (issue 6,
 * migrations 0007 and 0008, docs/internals/config.md).
 *
 * Three things live here:
 *
 *  - the catalog of checks vigild loads from its policies (config_check),
 *    synced from plain structs so that the store does not depend on the
 *    policy library (src/server/config_catalog.c converts);
 *  - each device's latest result per check (device_config), its history
 *    (device_config_history), the timeline events of scored checks and the
 *    device's own Secure Score (device.config_points / config_max), written
 *    from the "configuration" section of a report inside the report's
 *    transaction (fleet.c calls vg_config_apply());
 *  - the per-check counts the organization's Secure Score is computed from
 *    (engine/config_score.h).
 *
 * A check is scored when the catalog knows it with impact > 0; a result is
 * applicable when it is passed, failed or error, compliant when passed.
 *
 * Errors: VG_EINVAL (message naming the field) for invalid input; VG_EIO
 * (VG_EPERM on a read-only kb) from the store, with @err naming the step.
 * Threading: as kb.h, one struct vg_kb per thread.
 */
#ifndef VG_STORE_CONFIG_H
#define VG_STORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "agent/inventory.h"
#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"
#include "store/kb.h"

/* Timeline events of a scored check whose result changes between passed and failed. */
#define VG_EVENT_CONFIG_FAILED "configurationFailed"
#define VG_EVENT_CONFIG_PASSED "configurationPassed"

/*
 * The item limits of the section (VG_CONFIG_ID_MAX for policy and check ids,
 * VG_CONFIG_TEXT_MAX for reason and evidence) are the agent's, from
 * agent/inventory.h: one definition for both sides of the protocol.
 */

/* ---- the catalog ------------------------------------------------------------------ */

/* One check of a loaded policy (all strings borrowed). */
struct vg_config_entry {
	const char *policy;   /* policy id, non-empty */
	const char *check_id; /* non-empty */
	const char *title;    /* non-NULL */
	const char *category; /* "", "Application", "OS", "Network", "Accounts",
				 "Security controls" (NULL: "") */
	const char *subcategory, *description, *rationale, *remediation; /* may be NULL */
	int impact;                                                      /* 0..10; 0: not scored */
	const char *const *refs; /* stored as a JSON array */
	size_t nrefs;
};

/**
 * Make @entries[0..@n) the catalog: each is inserted or updated (loaded_at
 * = @now), every stored check not among them is deleted, and when a scored
 * check appeared, went or changed its impact, every device's config_points
 * and config_max are recomputed.  Runs in the caller's transaction when one
 * is open, else in its own.  VG_EINVAL (nothing changed) for an empty
 * policy or check id, a NULL title, an unknown category, an impact outside
 * 0..10 or the same (policy, check id) twice; VG_EIO, VG_EPERM otherwise.
 */
int vg_config_catalog_sync(struct vg_kb *kb, const struct vg_config_entry *entries, size_t n,
			   int64_t now, struct vg_err *err) VG_MUST_CHECK;

/* ---- device results --------------------------------------------------------------- */

/** Whether @s is "passed", "failed", "notApplicable" or "error". */
bool vg_config_result_valid(const char *s);

/**
 * Check the "configuration" section @items (borrowed) of a report: an array
 * of objects with "policy" and "id" (strings of 1 to VG_CONFIG_ID_MAX bytes),
 * "result" (vg_config_result_valid()), "reason" and "evidence" (absent,
 * null or strings of at most VG_CONFIG_TEXT_MAX bytes), no (policy, id)
 * twice; any order.  VG_EINVAL with the field named
 * ("'configuration[3].result' is 'maybe', ...").
 */
int vg_config_section_validate(const json_t *items, struct vg_err *err) VG_MUST_CHECK;

/* What vg_config_apply() changed. */
struct vg_config_change {
	size_t added;   /* checks new on the device */
	size_t changed; /* results changed */
	size_t removed; /* checks no longer reported */
	size_t events;  /* configurationFailed / configurationPassed written */
};

/**
 * Make the valid section @items (borrowed; vg_config_section_validate()
 * first) the results of @device_id at time @now: new checks are inserted
 * (first_seen = changed_at = @now, a history row without previous result),
 * a changed result is updated (changed_at, a history row with the previous
 * one, an event when a scored check goes between passed and failed), a
 * changed reason or evidence alone is updated silently, checks not in
 * @items are deleted; then the device's config_points / config_max.
 * @items NULL: the device has no configuration section any more: its
 * results are deleted and its points set to NULL.  Call it inside the
 * report's transaction.  @ch may be NULL.
 */
int vg_config_apply(struct vg_kb *kb, const char *device_id, const json_t *items, int64_t now,
		    struct vg_config_change *ch /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/* ---- what the organization's score needs ------------------------------------------ */

/* One scored check and its devices (strings in the caller's arena). */
struct vg_config_check_count {
	const char *policy, *check_id, *title, *category;
	const char *subcategory; /* NULL when none */
	int impact;              /* > 0 */
	long applicable;         /* devices with passed, failed or error */
	long compliant;          /* devices with passed */
};

/**
 * The scored checks with at least one applicable device among the devices
 * seen at or after @since (and of group @group_name unless NULL), ordered by
 * policy then check id, into @arena.
 */
int vg_config_check_counts(struct vg_kb *kb, int64_t since, const char *group_name,
			   struct vg_arena *arena, struct vg_config_check_count **out /* OUT */,
			   size_t *n /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/**
 * How many devices seen at or after @since (of group @group_name unless
 * NULL) have at least one applicable scored check (config_max > 0).
 */
int vg_config_scored_devices(struct vg_kb *kb, int64_t since, const char *group_name,
			     long *n /* OUT */, struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_STORE_CONFIG_H */
