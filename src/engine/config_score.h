/*
 * config_score.h - the Secure Score for devices of the organization (issue 6).
 *
 * ARCHITECTURE.md §Scores, docs/scoring.md "Secure Score for devices": over
 * the devices seen in the last VG_CONFIG_ACTIVE_DAYS days, for each scored
 * check c (config_check.impact > 0) with at least one applicable device
 * (result passed, failed or error):
 *
 *   points_c = impact_c * compliant_c / applicable_c
 *   score    = sum of points_c            max = sum of impact_c
 *   percent  = 100 * score / max          (0 when max is 0)
 *   configScoreImpact_c = impact_c * (applicable_c - compliant_c) / applicable_c
 *
 * and the same sums per category.  Computed from the store (device_config,
 * config_check, device), read-only.
 *
 * Errors: VG_EIO (message from SQLite) on a store error; VG_ENOMEM.
 * Ownership: results are malloc'd and freed with vg_config_score_free().
 * Thread-safety: one struct vg_kb per thread, as everywhere.
 */
#ifndef VG_ENGINE_CONFIG_SCORE_H
#define VG_ENGINE_CONFIG_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"
#include "store/store.h"

#define VG_CONFIG_ACTIVE_DAYS 30
/* Categories, in the order the API lists them ("" = not scored is not listed). */
#define VG_CONFIG_NCATEGORIES 5

/* One scored check with at least one applicable device. */
struct vg_config_check_score {
	char *policy;
	char *check_id;
	char *title;
	char *category;    /* "Application", "OS", "Network", "Accounts", "Security controls" */
	char *subcategory; /* may be NULL */
	int impact;
	long applicable, compliant; /* devices */
	double points;              /* impact * compliant / applicable */
	double score_impact;        /* impact * (applicable - compliant) / applicable */
};

struct vg_config_category_score {
	const char *category; /* static string */
	double points, max;
	long checks; /* scored checks with an applicable device in this category */
};

struct vg_config_score {
	double points, max;
	long devices; /* active devices with at least one applicable scored check */
	struct vg_config_category_score categories[VG_CONFIG_NCATEGORIES];
	struct vg_config_check_score *checks; /* sorted by policy, check_id */
	size_t nchecks;
};

/**
 * Compute the organization's score at time @now (Unix seconds; devices with
 * last_seen >= now - 30 days count), optionally restricted to the devices of
 * group @group_name (NULL: all).  @out is filled; free with
 * vg_config_score_free().  @err may be NULL.
 */
int vg_config_score_org(struct vg_kb *kb, int64_t now, const char *group_name,
			struct vg_config_score *out /* OUT */, struct vg_err *err) VG_MUST_CHECK;

/** Free what vg_config_score_org() allocated; @s is zeroed. */
void vg_config_score_free(struct vg_config_score *s);

/** 100 * points / max, or 0 when max is 0. */
double vg_config_score_percent(double points, double max);

#endif /* VG_ENGINE_CONFIG_SCORE_H */
