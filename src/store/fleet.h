/*
 * fleet.h - enrolled devices and the inventory reports of their agents
 * (docs/agent-protocol.md, docs/inventory.md), kept in the store.
 *
 * A device is found by its machine id; its current inventory is the
 * latest copy of each section (device, packages, processes, listeners,
 * accounts, and the optional configuration) with the agent's hash and
 * count.  A report is validated, then
 * applied in one transaction: all of it or nothing.  Replacing the
 * packages section recomputes the device's distinct software tuples
 * (namespace, package, version, scheme), derived as vg_device_tuples()
 * does in src/engine/match.c (the store cannot depend on the engine).
 * docs/internals/fleet.md is the description.  Threading: as kb.h, one
 * struct vg_kb per thread.
 */
#ifndef VG_STORE_FLEET_H
#define VG_STORE_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/compiler.h"
#include "core/err.h"
#include "store/kb.h"

/* "dev_" + 32 hex digits. */
#define VG_FLEET_DEVICE_ID_LEN     36
/* Longest machine id, hostname and namespace accepted, in bytes. */
#define VG_FLEET_FIELD_MAX         128
/* Longest report id ([A-Za-z0-9._-]). */
#define VG_FLEET_REPORT_ID_MAX     64
/* Most items in one section of a report. */
#define VG_FLEET_MAX_ITEMS         1000000
/* Largest stored section read back (bytes of JSON): a whole report is capped below it. */
#define VG_FLEET_MAX_SECTION_BYTES (256u * 1024 * 1024)

/* The sections of an inventory document, in document order. */
enum vg_fleet_section {
	VG_FLEET_SEC_DEVICE,
	VG_FLEET_SEC_PACKAGES,
	VG_FLEET_SEC_PROCESSES,
	VG_FLEET_SEC_LISTENERS,
	VG_FLEET_SEC_ACCOUNTS,
	VG_FLEET_SEC_CONFIGURATION, /* optional (issue 6): older agents and agents without
				       policies send neither it nor its `sections` entry */
	VG_FLEET_SEC_N
};

enum vg_fleet_kind {
	VG_FLEET_FULL,  /* "full": every section */
	VG_FLEET_DELTA, /* "delta": the changed sections plus the whole sections map */
};

/* What vg_fleet_ingest() did. */
struct vg_fleet_result {
	bool duplicate;   /* the report id was known: nothing was applied this time */
	unsigned applied; /* bit (1u << section) for each section stored (changed hash);
			     for a duplicate, those of the first delivery */
	size_t ntuples;   /* distinct tuples of the device after the report (0 when the
			     packages section was not applied) */
};

/*
 * Called by vg_fleet_ingest() inside the report's transaction, after the
 * sections are stored and before the commit, when @applied (bits as in
 * struct vg_fleet_result) is not 0: the server assesses the device there,
 * so a report and its findings are committed together.  An error rolls the
 * whole report back.
 */
struct vg_fleet_hook {
	int (*fn)(void *ctx, struct vg_kb *kb, const char *device_id, unsigned applied,
		  struct vg_err *err);
	void *ctx;
};

/**
 * "device", "packages", "processes", "listeners", "accounts", "configuration"
 * (static; "?" out of range).
 */
const char *vg_fleet_section_name(enum vg_fleet_section s);

/** "full" or "delta" to *@out; VG_EINVAL for anything else (NULL included). */
int vg_fleet_kind_parse(const char *s, enum vg_fleet_kind *out /* OUT */) VG_MUST_CHECK;

/** Whether @id is a valid report id: 1 to VG_FLEET_REPORT_ID_MAX of [A-Za-z0-9._-]. */
bool vg_fleet_report_id_valid(const char *id);

/**
 * Enroll the machine @machine_id (1 to VG_FLEET_FIELD_MAX printable ASCII
 * bytes) with @hostname and OS namespace @ns (each NULL or at most
 * VG_FLEET_FIELD_MAX bytes).  A known machine id keeps its device id (its
 * hostname, namespace and last_seen are updated); a new one gets a random
 * "dev_…" id.  One statement, so it is atomic with or without an open
 * transaction.  @device_id receives the id.  VG_EINVAL for a bad argument,
 * VG_EPERM on a read-only kb, VG_EIO for store errors.
 */
int vg_fleet_enroll(struct vg_kb *kb, const char *machine_id, const char *hostname, const char *ns,
		    char device_id[VG_FLEET_DEVICE_ID_LEN + 1] /* OUT */,
		    struct vg_err *err) VG_MUST_CHECK;

/**
 * Revoke every active agent token bound to @device_id (re-enrollment of a
 * re-imaged machine); *@n (may be NULL) is how many.  Call it in the
 * enrollment's transaction, before creating the new token.  VG_EIO for
 * store errors.
 */
int vg_fleet_revoke_device_tokens(struct vg_kb *kb, const char *device_id, size_t *n /* OUT */,
				  struct vg_err *err) VG_MUST_CHECK;

/**
 * Validate and apply report @report_id of kind @kind for @device_id; @doc
 * (borrowed) is the inventory document.  Opens and commits its own
 * transaction (BEGIN IMMEDIATE), so none may be open.  *@res is filled on
 * VG_OK.  Errors (nothing is then stored): VG_EINVAL for an invalid
 * document or argument, the message naming the field ("'sections.packages.
 * count' is 3, the section has 2 items"); VG_EEXIST for a delta whose
 * unsent sections' hashes differ from the stored ones, or any section
 * never stored (a full report is required); VG_ENOTFOUND for an unknown
 * device; VG_EPERM on a read-only kb; VG_EIO for store errors (a busy
 * database included); or @hook's error.  @hook may be NULL.
 *
 * The configuration section is optional: a report without it and without
 * its `sections` entry is valid.  A full report without it deletes the
 * device's results (vg_config_apply() with NULL; `applied` then has the
 * configuration bit when there was a stored section); a delta whose
 * `sections` map lacks it while the device has one is VG_EEXIST.
 */
int vg_fleet_ingest(struct vg_kb *kb, const char *device_id, const char *report_id,
		    enum vg_fleet_kind kind, const json_t *doc, const struct vg_fleet_hook *hook,
		    struct vg_fleet_result *res /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/**
 * vg_fleet_ingest() of the JSON text @text (@len bytes, not necessarily
 * NUL-terminated); VG_EINVAL when it is not JSON (the message gives the
 * line and column).
 */
int vg_fleet_ingest_text(struct vg_kb *kb, const char *device_id, const char *report_id,
			 enum vg_fleet_kind kind, const char *text, size_t len,
			 const struct vg_fleet_hook *hook, struct vg_fleet_result *res /* OUT */,
			 struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_STORE_FLEET_H */
