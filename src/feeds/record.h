/*
 * record.h - the normalized knowledge-base records that importers produce,
 * and the sink they hand them to.
 *
 * Every feed format (Debian tracker JSON and DSA/DLA lists, OSV, Alpine and
 * Wolfi secdb, NVD 2.0 / 1.1, CVE JSON 5, CISA KEV, FIRST EPSS) is turned
 * into these few structs.  Importers know nothing about storage: they call
 * the callbacks of a struct vg_feed_sink, which the store implements
 * (src/store/kb.h) and tests implement in memory.
 *
 * Ownership: every pointer in a record is borrowed for the duration of the
 * callback only; a sink that keeps anything copies it.  Strings are
 * NUL-terminated UTF-8; an absent optional field is NULL (never "").
 */
#ifndef VG_FEEDS_RECORD_H
#define VG_FEEDS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"
#include "core/version/version.h"

/* ---- vulnerabilities ---------------------------------------------------- */

struct vg_vuln_ref {
	const char *url;
	const char
		*tags; /* comma-separated source tags ("Exploit,Third Party Advisory"), or NULL */
	bool exploit;  /* the source tags it as an exploit / PoC */
};

/* One NVD CPE match criterion (cpeMatch / cpe_match entry). */
struct vg_cpe_match {
	const char *criteria; /* CPE 2.3 formatted string */
	bool vulnerable;
	const char *start_incl; /* versionStartIncluding, or NULL */
	const char *start_excl; /* versionStartExcluding */
	const char *end_incl;   /* versionEndIncluding */
	const char *end_excl;   /* versionEndExcluding */
};

/* A node: its matches combined with OR or AND, optionally negated.
 * NVD 1.1 nests children; importers flatten one level of children into
 * sibling nodes of the same configuration (their parent's operator then
 * becomes the configuration's operator), which is all NVD 1.1 uses. */
struct vg_cpe_node {
	bool and_op; /* false: OR */
	bool negate;
	const struct vg_cpe_match *matches;
	size_t nmatches;
};

/* A configuration: its nodes combined with AND or OR (NVD 2.0 "operator";
 * absent means OR, which is what a single-node configuration needs). */
struct vg_cpe_config {
	bool and_op;
	const struct vg_cpe_node *nodes;
	size_t nnodes;
};

/*
 * A vulnerability as one source describes it.  `id` is the source's record
 * id (CVE-2023-1234, GHSA-xxxx-xxxx-xxxx, PYSEC-2021-1, GO-2022-0001,
 * DSA-5380-1, ALPINE-CVE-..., UBUNTU-CVE-...).  The store computes the
 * CVSS base scores from the vectors with src/core/cvss; `*_score` are the
 * source's own numbers, kept for comparison (NaN when absent).
 */
struct vg_vuln {
	const char *id;
	const char *const *aliases; /* other ids of the same flaw (CVE ids first when known) */
	size_t naliases;
	const char *summary;     /* one line, or NULL */
	const char *description; /* long text, or NULL */
	const char *published;   /* ISO 8601 as the source writes it, or NULL */
	const char *modified;
	bool withdrawn;      /* OSV "withdrawn" / NVD "Rejected" */
	const char *cvss_v2; /* vectors, or NULL */
	const char *cvss_v3; /* CVSS:3.0/... or CVSS:3.1/... */
	const char *cvss_v4;
	double cvss_v2_score; /* as published by the source, NaN when absent */
	double cvss_v3_score;
	double cvss_v4_score;
	const char *severity;    /* vendor severity word when no vector ("HIGH", "moderate",
				    Debian urgency...), or NULL */
	const char *const *cwes; /* "CWE-79", ... */
	size_t ncwes;
	const struct vg_vuln_ref *refs;
	size_t nrefs;
	const struct vg_cpe_config *configs; /* NVD CPE applicability */
	size_t nconfigs;
};

/* ---- affected packages -------------------------------------------------- */

enum vg_aff_status {
	VG_AFF_FIXED,        /* affected from `introduced` up to (excluding) `fixed` */
	VG_AFF_AFFECTED,     /* affected, no fixed version published (open / unfixed) */
	VG_AFF_NO_DSA,       /* affected, the distro judged it minor: fix postponed (no-dsa) */
	VG_AFF_WONT_FIX,     /* affected, the distro will not fix it (ignored, will-not-fix) */
	VG_AFF_END_OF_LIFE,  /* the package or release is out of security support */
	VG_AFF_NOT_AFFECTED, /* the distro says this release is not affected */
	VG_AFF_UNDETERMINED, /* the distro has not decided yet */
};
#define VG_AFF_NSTATUS 7

/** Lower-case name of a status ("fixed", "affected", "no-dsa", ...); static. */
const char *vg_aff_status_name(enum vg_aff_status status);
/** Parse such a name back; VG_EINVAL when unknown. */
int vg_aff_status_parse(const char *name, enum vg_aff_status *status /* OUT */) VG_MUST_CHECK;

/*
 * One affected-package statement: "package P in namespace N is affected
 * by vulnerability V" over one version interval (or one exact version).
 *
 * Namespaces are those of the inventory (vg_os.namespace_) for distro data:
 * "debian:12", "ubuntu:22.04", "alpine:3.18", "wolfi:rolling"; and the OSV
 * ecosystem name for language packages: "PyPI", "npm", "Go", "Maven",
 * "crates.io", "NuGet", "Packagist", "RubyGems", "SwiftURL", ...
 * Distro statements name the *source* package (Debian source, Alpine origin).
 *
 * An OSV range with several introduced/fixed events is split by the importer
 * into one statement per interval, so the matcher tests
 *     (introduced == NULL || introduced <= v)
 *  && (fixed == NULL || v < fixed) && (last_affected == NULL || v <= last_affected)
 * with the comparator of `scheme`; an exact-version statement (OSV
 * "versions" list entry) has `exact` set and no interval.
 */
struct vg_affected {
	const char *vuln_id;  /* the CVE when the source names one flaw per statement (Debian,
				 secdb), else the record id (GHSA-..., GO-...) */
	const char *advisory; /* the record that says it: DSA-5380-1, GHSA-..., or NULL */
	const char *ns;
	const char *package;
	enum vg_ver_scheme scheme;
	enum vg_aff_status status;
	const char *introduced;    /* NULL: from the first version ("0" is normalized to NULL) */
	const char *fixed;         /* NULL unless status is VG_AFF_FIXED */
	const char *last_affected; /* NULL or the last affected version (inclusive) */
	const char *exact;         /* an explicitly listed affected version, else NULL */
	const char *urgency;       /* distro urgency/priority ("unimportant", "low", ...) or NULL */
	const char *note;          /* short reason ("postponed", "not built", ...) or NULL */
};

/* ---- threat intelligence ------------------------------------------------ */

struct vg_kev {
	const char *cve_id;
	const char *vendor;
	const char *product;
	const char *name;       /* vulnerabilityName */
	const char *date_added; /* YYYY-MM-DD */
	const char *due_date;   /* YYYY-MM-DD */
	bool ransomware;        /* knownRansomwareCampaignUse == "Known" */
	const char *required_action;
	const char *description;
	const char *const *cwes;
	size_t ncwes;
};

struct vg_epss {
	const char *cve_id;
	double probability; /* 0..1 */
	double percentile;  /* 0..1 */
};

/* ---- the sink ----------------------------------------------------------- */

/*
 * How a source's new data relates to what the store already holds:
 * REPLACE - the import is the whole source (KEV catalog, EPSS day, DSA list,
 *           tracker JSON, one secdb branch file): everything previously
 *           imported under the same source name is dropped at commit.
 * MERGE   - the import adds or updates records (OSV files, NVD records,
 *           CVE JSON 5): a record imported again replaces its previous
 *           version from the same source, other records stay.
 */
enum vg_feed_mode { VG_FEED_REPLACE, VG_FEED_MERGE };

struct vg_feed_source {
	const char *name;   /* stable source key: "kev", "epss", "debian-dsa", "debian-dla",
			       "debian-tracker", "osv", "nvd", "cve5", "alpine-secdb:v3.15/main" */
	const char *format; /* format id of the importer ("kev-json", ...) */
	enum vg_feed_mode mode;
	const char *version;  /* catalogVersion, EPSS model version, ... or NULL */
	const char *snapshot; /* date the data describes (EPSS score_date, KEV dateReleased, ...) */
	const char *path;     /* file being imported */
};

/*
 * Callbacks.  Each returns VG_OK or a VG_E* code, which stops the import and
 * is returned by the importer; `err` (may be NULL) gets the message.
 * begin() is called once before any record, end() once after the last
 * one with the number of records the importer produced.
 */
struct vg_feed_sink {
	void *ctx;
	int (*begin)(void *ctx, const struct vg_feed_source *src, struct vg_err *err);
	int (*vuln)(void *ctx, const struct vg_vuln *v, struct vg_err *err);
	int (*affected)(void *ctx, const struct vg_affected *a, struct vg_err *err);
	int (*kev)(void *ctx, const struct vg_kev *k, struct vg_err *err);
	int (*epss)(void *ctx, const struct vg_epss *e, struct vg_err *err);
	int (*end)(void *ctx, const struct vg_feed_source *src, uint64_t nrecords,
		   struct vg_err *err);
	/* A recoverable problem (a field dropped, a record skipped), with file,
	 * record and field named; may be NULL. */
	void (*warn)(void *ctx, const char *msg);
};

#endif /* VG_FEEDS_RECORD_H */
