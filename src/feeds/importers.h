/*
 * importers.h - every importer, one per source format (see feed.h for the
 * interface and registry.c for the detection order).
 */
#ifndef VG_FEEDS_IMPORTERS_H
#define VG_FEEDS_IMPORTERS_H

#include "feeds/feed.h"

extern const struct vg_importer vg_imp_debian_list;         /* DSA/DLA list text (debian_list.c) */
extern const struct vg_importer vg_imp_debian_cve_list;     /* data/CVE/list text (debian_list.c) */
extern const struct vg_importer vg_imp_debian_tracker_json; /* /tracker/data/json (debian_json.c) */
extern const struct vg_importer
	vg_imp_debian_vulnlist_json;                 /* vuln-list-debian files (debian_json.c) */
extern const struct vg_importer vg_imp_secdb_json;   /* Alpine/Wolfi secdb JSON (secdb.c) */
extern const struct vg_importer vg_imp_secdb_yaml;   /* Alpine secdb YAML (secdb.c) */
extern const struct vg_importer vg_imp_osv_json;     /* OSV JSON record or array (osv.c) */
extern const struct vg_importer vg_imp_osv_yaml;     /* OSV in YAML, as PYSEC stores it (osv.c) */
extern const struct vg_importer vg_imp_ghsa_graphql; /* GitHub advisories GraphQL (osv.c) */
extern const struct vg_importer vg_imp_nvd_api2;     /* NVD CVE API 2.0 / 2.0 feeds (nvd.c) */
extern const struct vg_importer vg_imp_nvd_feed11;   /* NVD 1.1 legacy JSON feed (nvd.c) */
extern const struct vg_importer vg_imp_cve5;         /* CVE JSON 5 record (cve5.c) */
extern const struct vg_importer vg_imp_kev;          /* CISA KEV catalog (kev.c) */
extern const struct vg_importer vg_imp_epss;         /* FIRST EPSS CSV, plain or gzip (epss.c) */

#endif /* VG_FEEDS_IMPORTERS_H */
