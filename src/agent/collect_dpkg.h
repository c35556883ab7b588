/*
 * collect_dpkg.h - the dpkg status database parser behind vg_collect_dpkg().
 *
 * dpkg keeps one RFC 822-like stanza per package in var/lib/dpkg/status;
 * distroless images instead ship one small status-format file per package
 * in var/lib/dpkg/status.d/.  The parser reproduces what
 * `dpkg-query --admindir=DIR -W` (dpkg 1.21) shows for the fields Vigil
 * keeps, and is tolerant where dpkg is not: a stanza dpkg would reject
 * (rejecting the whole database with it) is skipped with a warning and the
 * others are kept.
 *
 * What is kept, per listed stanza (struct vg_package, type VG_PKG_DEB):
 *   name            Package, lower-cased as dpkg does;
 *   version         Version, re-printed as dpkg prints it (an epoch of 0 or
 *                   with leading zeros is normalised: "0:1.0" is "1.0");
 *                   NULL when absent (only possible for half-installed);
 *   architecture    Architecture as written, NULL when absent or empty;
 *   source_name     Source up to its first space, else the name;
 *   source_version  the "(version)" of Source, else the binary version
 *                   (dpkg's ${source:Version}: a binNMU "1.2-3+b1" keeps
 *                   its "+b1" unless Source names the version);
 *   status          ${db:Status-Abbrev} without its trailing blank: the
 *                   want, state and error-flag letters, "ii", "rc", "iU",
 *                   "riR", "iHR";
 *   status_text     the Status field as dpkg re-prints it, lower case and
 *                   single-spaced ("install ok installed");
 *   path            the @path given to the parser.
 *
 * Which stanzas are listed: with VG_DPKG_LISTED, every stanza whose state is
 * not "not-installed" (what `dpkg-query -W` lists; a stanza without Status
 * is not-installed).  Without it (what vg_collect_dpkg() keeps), only the
 * packages whose files are on disk: state unpacked, half-configured,
 * triggers-awaited, triggers-pending or installed, whatever the selection
 * (want) and error flag.  config-files (only conffiles left), half-installed
 * (an interrupted unpack) and not-installed are not installed.
 *
 * A stanza is skipped with a warning when dpkg would reject it on the lines
 * or fields Vigil reads: a line that is not "Name: value" or a continuation,
 * a missing or invalid Package, a Status that is not three valid words, a
 * missing Version (required unless not-installed or half-installed) or one
 * dpkg's parseversion() refuses, a bad "(version)" in Source, a repeated
 * Package/Version/Status/Source/Architecture field, a multi-line or NUL byte
 * in one of those, or a value longer than VG_DPKG_MAX_VALUE.  Fields Vigil
 * does not read (Depends syntax, Config-Version or Triggers-* bookkeeping)
 * are not checked.  Unlike dpkg, a missing final newline is accepted and
 * CRLF line ends are read as LF.
 *
 * As in dpkg's database, a stanza for a package and architecture already
 * seen replaces the earlier one, so a later not-installed stanza removes
 * the package; when both are listed (dpkg refuses such a database) a
 * warning says so.  vg_collect_dpkg() applies the same rule across files,
 * status.d/ (in name order, "*.md5sums" and hidden files skipped) after
 * status.
 */
#ifndef VG_AGENT_COLLECT_DPKG_H
#define VG_AGENT_COLLECT_DPKG_H

#include "agent/inventory.h"
#include "core/compiler.h"
#include "core/str.h"

/* Largest status file (or status.d file) read: big hosts have ~10 MB. */
#define VG_DPKG_MAX_FILE          ((size_t)64 << 20)
/* Longest Package, Version, Architecture or Source value accepted. */
#define VG_DPKG_MAX_VALUE         4096
/* Most stanzas read from one file (a big host has ~5000 packages). */
#define VG_DPKG_MAX_STANZAS       200000
/* Most files read from var/lib/dpkg/status.d/, and most bytes read in all. */
#define VG_DPKG_MAX_STATUSD_FILES 100000
#define VG_DPKG_MAX_TOTAL         ((size_t)128 << 20)

enum vg_dpkg_flags {
	/* List every stanza dpkg-query -W lists, not only installed packages. */
	VG_DPKG_LISTED = 1 << 0,
};

/**
 * Parse the status-format bytes @data and append the selected packages to
 * @inv (see the file comment for the rules and the fields).  @path names
 * the source in the packages and warnings ("/var/lib/dpkg/status"); it is
 * borrowed and copied into @inv.  @flags is a set of enum vg_dpkg_flags.
 *
 * Malformed stanzas are skipped with a warning (collector "dpkg", the line
 * the stanza starts on); stanzas beyond VG_DPKG_MAX_STANZAS are not read
 * (one warning).  Returns VG_OK, or VG_ETOOBIG (with a warning and nothing
 * added) when @data is longer than VG_DPKG_MAX_FILE.
 * Thread-safety: as @inv.
 */
int vg_dpkg_parse(struct vg_inventory *inv, struct vg_str data, const char *path,
		  unsigned flags) VG_MUST_CHECK;

#endif /* VG_AGENT_COLLECT_DPKG_H */
