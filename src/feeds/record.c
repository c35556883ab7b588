/*
 * record.c - names of the affected-statement states.
 */
#include "feeds/record.h"

#include <string.h>

static const char *const status_names[VG_AFF_NSTATUS] = {
	[VG_AFF_FIXED] = "fixed",
	[VG_AFF_AFFECTED] = "affected",
	[VG_AFF_NO_DSA] = "no-dsa",
	[VG_AFF_WONT_FIX] = "wont-fix",
	[VG_AFF_END_OF_LIFE] = "end-of-life",
	[VG_AFF_NOT_AFFECTED] = "not-affected",
	[VG_AFF_UNDETERMINED] = "undetermined",
};

const char *
vg_aff_status_name(enum vg_aff_status status)
{
	if ((unsigned)status >= VG_AFF_NSTATUS)
		return "unknown";
	return status_names[status];
}

int
vg_aff_status_parse(const char *name, enum vg_aff_status *status)
{
	for (unsigned i = 0; i < VG_AFF_NSTATUS; i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*status = (enum vg_aff_status)i;
			return VG_OK;
		}
	}
	return VG_EINVAL;
}
