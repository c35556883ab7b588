/*
 * registry.c - the list of importers vg_feed_detect() chooses from.
 * Order matters only between equal probe scores (the first wins).
 */
#include "feeds/importers.h"

const struct vg_importer *const vg_importers[] = {
	&vg_imp_kev,
	&vg_imp_epss,
	&vg_imp_nvd_api2,
	&vg_imp_nvd_feed11,
	&vg_imp_cve5,
	&vg_imp_osv_json,
	&vg_imp_osv_yaml,
	&vg_imp_ghsa_graphql,
	&vg_imp_debian_list,
	&vg_imp_debian_cve_list,
	&vg_imp_debian_tracker_json,
	&vg_imp_debian_vulnlist_json,
	&vg_imp_secdb_json,
	&vg_imp_secdb_yaml,
	NULL,
};
