/*
 * match.h - the matching engine: which vulnerabilities affect a piece of
 * software, and why.
 *
 * The unit of matching is a tuple (namespace, package, version, scheme):
 * distinct software, not a device.  vg_device_tuples() turns an inventory
 * into its distinct tuples (a Debian source package with its binaries, an
 * Alpine origin, an rpm source package, a PyPI or npm package);
 * vg_matcher_match() matches one tuple against the knowledge base once and
 * caches the answer, so a fleet costs one match per distinct tuple whatever
 * the number of devices (ARCHITECTURE.md "Matching").
 *
 * The rules (docs/internals/engine.md has the reasoning and examples):
 *   - a distro tuple ("debian:11", "alpine:3.18", ...) is matched only
 *     against statements of its own namespace, an ecosystem tuple ("PyPI",
 *     "npm", ...) only against statements of its ecosystem;
 *   - NVD CPE configurations are used only when no source covers the
 *     tuple's namespace (vg_kb_ns_covered() false); such findings have
 *     confidence "low";
 *   - statements are grouped by vulnerability (the CVE, or the record id
 *     when no CVE alias is known); in a distro namespace a statement that
 *     says "fixed at a version <= installed" or "not affected" settles the
 *     group as not vulnerable whatever the other statements say (a backport
 *     is never reported); in an ecosystem the version must lie in one of the
 *     statements' intervals (or equal a listed version);
 *   - a vulnerable group's status is fixAvailable when a fix above the
 *     installed version exists (the lowest such fix is reported), else the
 *     distro's decision (end of life, will not fix, no DSA, no fix yet);
 *   - every statement of a reported group is kept as evidence.
 *
 * Ownership: results live in the matcher's arena and stay valid until
 * vg_matcher_free(); device tuples live in the arena the caller gives.
 * Thread-safety: one matcher per thread (it owns one struct vg_kb's
 * queries).
 */
#ifndef VG_ENGINE_MATCH_H
#define VG_ENGINE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/inventory.h"
#include "agent/tuple.h"
#include "core/arena.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/version/version.h"
#include "store/kb.h"

/* ---- tuples ---------------------------------------------------------------- */

/* struct vg_tuple and the rule that names a package's tuple: agent/tuple.h. */

/* One distinct tuple of a device, with the inventory packages behind it. */
struct vg_device_tuple {
	struct vg_tuple tuple;
	const struct vg_package **pkgs; /* binaries mapping to the tuple (inventory order) */
	size_t npkgs;
	bool running;   /* a process's executable belongs to one of pkgs */
	bool listening; /* one of pkgs owns a socket on a non-loopback address */
	bool loopback;  /* one of pkgs owns a socket on loopback only */
};

enum vg_tuple_flags {
	/* Also match Python/npm packages installed by the OS package manager (by
	 * default they are left to their OS package: see vg_device_tuples()). */
	VG_TUPLES_OS_MANAGED_LANG = 1 << 0,
};

/* What vg_device_tuples() skipped and why. */
struct vg_tuple_skips {
	size_t os_managed_lang; /* Python/npm packages under the OS package manager's prefixes */
	size_t no_version;      /* packages without a version */
};

/**
 * The distinct tuples of @inv, in first-seen order, allocated in @arena
 * (which must outlive them; @inv must too, as pkgs point into it).
 *
 *   deb     (os namespace, Source name, Source version, dpkg): binNMU
 *           binaries ("1.2-3+b1") carry their source version in Source:
 *   apk     (os namespace, origin, version, apk); Wolfi is "wolfi:rolling"
 *   rpm     (os namespace, source rpm name, [epoch:]version-release of the
 *           source rpm with the binary's epoch, rpm)
 *   python  ("PyPI", name, version, pep440)
 *   npm     ("npm", name, version, semver)
 *
 * Language packages under /usr/lib* when the device has OS packages were
 * installed by the OS package manager (Debian's dist-packages, Fedora's and
 * Alpine's site-packages, /usr/lib/node_modules): their OS package is the
 * one matched (its distro data knows the backports), so they are skipped
 * and counted in @skips unless @flags has VG_TUPLES_OS_MANAGED_LANG.
 * Processes and listeners are mapped to tuples through their package name.
 * @skips may be NULL.
 */
void vg_device_tuples(const struct vg_inventory *inv, unsigned flags, struct vg_arena *arena,
		      struct vg_device_tuple **out /* OUT */, size_t *n /* OUT */,
		      struct vg_tuple_skips *skips /* OUT, may be NULL */);

/** The matching namespace of @inv's OS packages ("debian:11", "wolfi:rolling"), or NULL. */
const char *vg_device_namespace(const struct vg_inventory *inv);

/* ---- findings of one tuple -------------------------------------------------- */

enum vg_finding_status {
	VG_FS_FIX_AVAILABLE, /* "fixAvailable": a fixed version above the installed one exists */
	VG_FS_NO_FIX,        /* "noFix": affected, no fix published yet */
	VG_FS_NO_DSA,        /* "noDsa": affected, the distro postponed it as minor */
	VG_FS_WILL_NOT_FIX,  /* "willNotFix": affected, the distro will not fix it */
	VG_FS_END_OF_LIFE,   /* "endOfLife": the package or release is out of support */
};
#define VG_FS_NSTATUS 5

/** "fixAvailable", "noFix", "noDsa", "willNotFix", "endOfLife" (static). */
const char *vg_finding_status_name(enum vg_finding_status status);

enum vg_confidence {
	VG_CONF_HIGH,   /* the distro's or ecosystem's own data, a version comparison */
	VG_CONF_MEDIUM, /* the distro has not decided yet (undetermined) */
	VG_CONF_LOW,    /* NVD CPE configuration: product name and upstream version only */
};

/** "high", "medium", "low" (static). */
const char *vg_confidence_name(enum vg_confidence c);

/* What one statement says about the installed version. */
enum vg_verdict {
	VG_VERDICT_AFFECTED,     /* inside its interval, equal to its version, or no bound */
	VG_VERDICT_FIXED,        /* fixed at or below the installed version */
	VG_VERDICT_NOT_AFFECTED, /* the source says the package is not affected */
	VG_VERDICT_OUT_OF_RANGE, /* below introduced, above last_affected, not the exact version */
	VG_VERDICT_ERROR,        /* a version could not be compared (see the tuple's warnings) */
};

/** "affected", "fixed", "not-affected", "out-of-range", "error" (static). */
const char *vg_verdict_name(enum vg_verdict v);

/* One statement used for a finding: the answer to "why is this flagged?". */
struct vg_evidence {
	const char *source;  /* knowledge-base source: "debian-dsa", "osv", "nvd", ... */
	const char *record;  /* advisory or record: DSA-5380-1, PYSEC-2023-135, CVE-... */
	const char *vuln_id; /* the statement's vulnerability id */
	const char *ns;      /* namespace of the statement; "cpe" for NVD configurations */
	const char *package; /* package (or CPE product) the statement names */
	const char *scheme;  /* comparator used: "dpkg", "pep440", ... */
	const char *status;  /* statement status (vg_aff_status_name()), "cpe" for NVD */
	const char *introduced, *fixed, *last_affected, *exact; /* NULL when absent */
	const char *urgency;                                    /* distro urgency, or NULL */
	const char *note;                                       /* distro note, or NULL */
	const char *criteria; /* NVD: the CPE criteria that matched, with its range in range */
	const char *range;    /* NVD: "[2.0.0, 2.15.0)" style, or NULL */
	enum vg_verdict verdict;
};

/* A vulnerability affecting a tuple. */
struct vg_vuln_match {
	const char *id;     /* the CVE when known, else the record id */
	const char *cve_id; /* or NULL */
	enum vg_finding_status status;
	const char *fixed_version; /* lowest fix above the installed version, or NULL */
	const char *urgency;       /* distro urgency of an affecting statement, or NULL */
	enum vg_confidence confidence;
	const char *source; /* the source of the deciding statement */
	const struct vg_evidence *evidence;
	size_t nevidence;
};

enum vg_match_kind {
	VG_MATCH_DISTRO,    /* the namespace's own distro data */
	VG_MATCH_ECOSYSTEM, /* OSV data of a language ecosystem */
	VG_MATCH_CPE,       /* no source covers the namespace: NVD CPE configurations */
	VG_MATCH_NONE,      /* nothing to match against (unknown namespace, no CPE data) */
};

/** "distro", "ecosystem", "cpe", "none" (static). */
const char *vg_match_kind_name(enum vg_match_kind k);

struct vg_tuple_result {
	struct vg_tuple tuple; /* the matcher's copy */
	enum vg_match_kind kind;
	const struct vg_vuln_match *vulns; /* sorted by id */
	size_t nvulns;
	size_t nresolved;            /* vulnerabilities whose statements settle "not vulnerable" */
	size_t nstatements;          /* statements or CPE configurations examined */
	const char *const *warnings; /* versions that could not be compared, ... */
	size_t nwarnings;
};

/* ---- the matcher ------------------------------------------------------------- */

struct vg_matcher; /* opaque */

/** A matcher over @kb (borrowed; must outlive the matcher).  Never fails. */
struct vg_matcher *vg_matcher_new(struct vg_kb *kb);

/** Free the matcher and every result it returned.  NULL is a no-op. */
void vg_matcher_free(struct vg_matcher *m);

/** The knowledge base the matcher reads (borrowed). */
struct vg_kb *vg_matcher_kb(struct vg_matcher *m);

/**
 * Match @t (borrowed) and set *@out to the result, computed on the first
 * call for this tuple and served from the cache afterwards.  @platform is
 * the device's OS namespace ("debian:11"), used only when NVD CPE
 * configurations must be evaluated (their "running on" operating-system
 * criteria); it is part of the cache key only then.  Returns VG_OK or the
 * knowledge base's error (the tuple is then not cached).
 */
int vg_matcher_match(struct vg_matcher *m, const struct vg_tuple *t, const char *platform,
		     const struct vg_tuple_result **out /* OUT */,
		     struct vg_err *err) VG_MUST_CHECK;

/**
 * Everything the knowledge base knows about vulnerability @id (cached):
 * *@out is never NULL on VG_OK (info->known is false for an unknown id).
 */
int vg_matcher_vuln_info(struct vg_matcher *m, const char *id,
			 const struct vg_kb_vuln_info **out /* OUT */,
			 struct vg_err *err) VG_MUST_CHECK;

struct vg_matcher_stats {
	uint64_t lookups;      /* vg_matcher_match() calls */
	uint64_t matches;      /* tuples actually matched (cache misses) */
	uint64_t statements;   /* affected statements examined */
	uint64_t cpe_configs;  /* NVD configurations evaluated */
	uint64_t vuln_lookups; /* vg_matcher_vuln_info() calls, including internal ones */
	uint64_t vuln_queries; /* of which went to the knowledge base */
	uint64_t ns_queries;   /* vg_kb_ns_covered() queries */
	size_t cached_tuples;  /* distinct tuples in the cache */
};

/** Counters since vg_matcher_new(). */
void vg_matcher_stats(const struct vg_matcher *m, struct vg_matcher_stats *out /* OUT */);

/* ---- pieces exposed for tests -------------------------------------------------- */

/**
 * Evaluate one statement against @version: the verdict of the rules above.
 * VG_VERDICT_ERROR when a comparison fails (@err says which version).
 */
enum vg_verdict vg_match_statement(const struct vg_affected *a, const char *version,
				   struct vg_err *err);

/**
 * Does the NVD configuration @cfg apply to (@product, @version) compared
 * with @scheme on a device whose OS namespace is @platform (may be NULL)?
 * A vulnerable criterion applies when its product equals @product ("_" and
 * "-" equal, case-insensitive) and the version lies within its bounds (the
 * upstream part of @version: epoch and distro revision removed); any vendor
 * is accepted.  A non-vulnerable (platform) criterion is satisfied only when
 * it can be told: the Linux kernel without a version constraint, or the
 * device's own OS (debian_linux, ubuntu_linux, enterprise_linux, ...) with
 * its major version; applications and hardware never are.  On true,
 * *@matched (may be NULL) is the first vulnerable criterion that applied.
 */
bool vg_match_cpe_config(const struct vg_cpe_config *cfg, const char *product, const char *version,
			 enum vg_ver_scheme scheme, const char *platform,
			 const struct vg_cpe_match **matched /* OUT, may be NULL */);

#endif /* VG_ENGINE_MATCH_H */
