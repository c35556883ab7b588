/*
 * org_score.c - the organization's exposure score (org_score.h).
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "engine/org_score.h"
#include "engine/score.h"

bool
vg_device_value_parse(const char *s, enum vg_device_value *out)
{
	static const char *const names[] = {"Low", "Normal", "High"};

	for (int i = 0; s && i < 3; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum vg_device_value)i;
			return true;
		}
	}
	return false;
}

double
vg_org_weight(enum vg_device_value value, size_t n)
{
	double high = (double)n / 10.0;

	switch (value) {
	case VG_VALUE_LOW:
		return 0.75;
	case VG_VALUE_HIGH:
		return high > 1.0 ? high : 1.0;
	case VG_VALUE_NORMAL:
	default:
		return 1.0;
	}
}

double
vg_org_exposure(const struct vg_org_device *d, size_t n, const double *removed)
{
	double num = 0, den = 0;

	for (size_t i = 0; i < n; i++) {
		double r = d[i].risk_sum - (removed ? removed[i] : 0.0);
		double w = vg_org_weight(d[i].value, n);

		/* Unrounded, unlike vg_exposure_score(), so that small impacts are exact. */
		num += w * 100.0 * (1.0 - exp(-(r > 0 ? r : 0) / VG_EXPOSURE_K));
		den += w;
	}
	return den > 0 ? num / den : 0.0;
}
