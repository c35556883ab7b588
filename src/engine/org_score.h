/*
 * org_score.h - the organization's exposure score and what a
 * recommendation would change in it (docs/scoring.md "Organization").
 *
 *   org = sum(w_d x E_d) / sum(w_d)  over the devices seen in the last
 *         VG_ORG_ACTIVE_DAYS days, E_d the device exposure score (score.h)
 *   w_d = 0.75 (device value Low), 1 (Normal), max(1, N / 10) (High), N
 *         being the number of those devices (the reference's weights).
 *
 * A recommendation's exposure impact is exact, not estimated: org minus
 * the org score recomputed with each device's risk sum lowered by the risk
 * the recommendation removes from it.  Pure computation.
 */
#ifndef VG_ENGINE_ORG_SCORE_H
#define VG_ENGINE_ORG_SCORE_H

#include <stdbool.h>
#include <stddef.h>

/* Devices not seen for longer do not count (the reference's 30 days). */
#define VG_ORG_ACTIVE_DAYS 30

enum vg_device_value { VG_VALUE_LOW, VG_VALUE_NORMAL, VG_VALUE_HIGH };

/** "Low", "Normal", "High" to *@out; false for anything else (NULL included). */
bool vg_device_value_parse(const char *s, enum vg_device_value *out /* OUT */);

/* One device as the organization score sees it. */
struct vg_org_device {
	double risk_sum; /* sum of its findings' risk */
	enum vg_device_value value;
};

/** The weight of a device of @value among @n devices. */
double vg_org_weight(enum vg_device_value value, size_t n);

/**
 * The organization exposure score of @d[0..@n) (0 when n is 0), each
 * device's risk sum lowered by @removed[i] when @removed is not NULL
 * (clamped at 0).  Not rounded.
 */
double vg_org_exposure(const struct vg_org_device *d, size_t n, const double *removed);

#endif /* VG_ENGINE_ORG_SCORE_H */
