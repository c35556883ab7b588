/*
 * config_catalog.h - vigild's configuration check catalog: the policies of
 * --policies loaded and stored in config_check at start (issue 6,
 * docs/internals/config.md "Catalog").
 *
 * Errors: the loader's (policy.h: VG_EINVAL "FILE:LINE:COL: message",
 * VG_ENOTFOUND, VG_EIO, ...) or the store's (config.h).
 * Threading: call it before the server starts, on the main connection.
 */
#ifndef VG_SERVER_CONFIG_CATALOG_H
#define VG_SERVER_CONFIG_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"
#include "store/config.h"
#include "store/kb.h"

/* policy/policy.h; not included, its enumerators clash with router.h's. */
struct vg_policy_set;

/* What vg_config_catalog_load() loaded. */
struct vg_config_catalog_stats {
	size_t policies;
	size_t checks;
	size_t scored; /* checks with impact > 0 */
};

/**
 * The checks of every policy of @set as catalog entries in *@out (malloc'd
 * array; its strings are borrowed from @set, which must outlive it; free the
 * array alone), *@n of them, in the set's order.
 */
void vg_config_catalog_entries(const struct vg_policy_set *set,
			       struct vg_config_entry **out /* OUT */, size_t *n /* OUT */);

/**
 * Load the policy files or directories @paths[0..@npaths) (vg_policy_set_add()
 * each, in order) and make their checks the catalog of @kb at time @now
 * (vg_config_catalog_sync(): checks no longer loaded are deleted, device
 * scores recomputed).  With @npaths 0, the build's VG_CONTENT_DIR is loaded;
 * when that directory does not exist a warning is logged and the catalog
 * becomes empty.  A policy that does not load leaves the catalog unchanged
 * and returns the loader's error.  @stats may be NULL.
 */
int vg_config_catalog_load(struct vg_kb *kb, const char *const *paths, size_t npaths, int64_t now,
			   struct vg_config_catalog_stats *stats /* OUT */,
			   struct vg_err *err) VG_MUST_CHECK;

#endif /* VG_SERVER_CONFIG_CATALOG_H */
