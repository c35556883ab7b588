/*
 * collect_rpm.h - rpm package listings as in-memory parsers.
 *
 * vg_collect_rpm() (inventory.h) reads the rpm database under the root
 * through librpm.  The formats below are the ones Vigil also accepts as
 * imports (and the CBL-Mariner / Azure Linux distroless manifest, which the
 * collector reads when a root has no rpm database):
 *
 *   qa        `rpm -qa --queryformat "%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\t%{SIZE}\n"`
 *             with "(none):" removed: NAME<TAB>[EPOCH:]VERSION-RELEASE<TAB>SIZE per line;
 *             a line of four fields starts with the MODULARITYLABEL ("(none)" if none).
 *   json      a JSON array of objects {name, version, release, epoch?, arch?, size?}.
 *   manifest  var/lib/rpmmanifest/container-manifest-2: ten TAB-separated fields per
 *             line: name, version-release, install time, build time, vendor, epoch,
 *             size, arch, an integer, source rpm ("(none)" for absent values).
 *
 * Each parser appends one VG_PKG_RPM package per valid record to @inv and
 * skips the gpg-pubkey pseudo-packages (imported signing keys, not
 * software).  A malformed record is skipped with a warning (collector
 * "rpm", @path, its 1-based line) and parsing goes on.  The version of a
 * package is "[epoch:]version-release"; source_name and source_version
 * come from the source rpm file name when known and are the package's own
 * name and version otherwise.
 *
 * Ownership: @text is borrowed for the call; everything kept is copied into
 * @inv's arena.  @path (may be NULL) names the input in warnings and in the
 * packages' path field.  Thread-safety: the parsers are reentrant (one
 * inventory per thread); vg_collect_rpm() is not, because librpm's macros
 * and log callback are process-global.
 */
#ifndef VG_AGENT_COLLECT_RPM_H
#define VG_AGENT_COLLECT_RPM_H

#include "agent/inventory.h"
#include "core/compiler.h"
#include "core/str.h"

/* Largest listing accepted, in bytes (an rpm -qa of 5,000 packages is ~300 KiB). */
#define VG_RPM_MAX_INPUT      (32u * 1024 * 1024)
/* Most packages taken from one listing or database. */
#define VG_RPM_MAX_RECORDS    200000
/* Longest name, version or release; longer records are malformed. */
#define VG_RPM_MAX_FIELD      1024
/* Longest optional value (vendor, licence, source rpm, label) kept; longer ones are dropped. */
#define VG_RPM_MAX_TEXT_FIELD 4096

/*
 * Each parser returns VG_OK when the input was read (even if some records
 * were skipped), VG_ETOOBIG when @text is longer than VG_RPM_MAX_INPUT or
 * holds more than VG_RPM_MAX_RECORDS packages (the packages before the
 * limit are kept), and VG_EINVAL when the input as a whole is not of the
 * format (JSON that does not parse or is not an array).  Every failure is
 * also recorded as a warning in @inv.
 */

/** Parse `rpm -qa` text (three or four TAB-separated fields per line). */
int vg_rpm_parse_qa(struct vg_inventory *inv, struct vg_str text, const char *path);

/** Parse an rpm JSON listing (an array of {name, version, release, epoch, arch}). */
int vg_rpm_parse_json(struct vg_inventory *inv, struct vg_str text, const char *path);

/** Parse a CBL-Mariner / Azure Linux container-manifest-2. */
int vg_rpm_parse_manifest(struct vg_inventory *inv, struct vg_str text, const char *path);

/**
 * Parse an import of unknown format: JSON when the first non-blank byte
 * is '[', the manifest when the first line has ten TAB-separated fields,
 * `rpm -qa` text otherwise.
 */
int vg_rpm_parse_import(struct vg_inventory *inv, struct vg_str text, const char *path);

/**
 * Split a source rpm file name "NAME-VERSION-RELEASE.src.rpm" (or
 * ".nosrc.rpm") into @name and "VERSION-RELEASE" @evr, both slices of
 * @srpm.  Returns false (outputs untouched) when @srpm is not of that form.
 */
bool vg_rpm_split_srpm(struct vg_str srpm, struct vg_str *name /* OUT */,
		       struct vg_str *evr /* OUT */);

#endif /* VG_AGENT_COLLECT_RPM_H */
