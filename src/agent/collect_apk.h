/*
 * collect_apk.h - the apk installed-database parser behind vg_collect_apk().
 *
 * Alpine's lib/apk/db/installed (usr/lib/apk/db/installed on usrmerged
 * systems such as Wolfi, read when the first is absent) holds one record
 * per installed package, records separated by blank lines, each line
 * "K:value" with a one-letter key (apk-tools' apk_db_index_read();
 * apk-spec(5) "installed database").
 * Vigil keeps, per record (struct vg_package, type VG_PKG_APK):
 *   name            P:
 *   version         V:
 *   architecture    A:, NULL when absent or empty;
 *   source_name     o: (origin, the source package), else the name;
 *   source_version  the version (apk records no separate source version);
 *   license         L:, NULL when absent or empty;
 *   path            the @path given to the parser.
 * Values are taken literally (only a CR before the LF is dropped), and the
 * first occurrence of a key counts.  A record lacking P: or V: (or with an
 * empty one), or with a kept value longer than VG_APK_MAX_VALUE or holding
 * a NUL byte, is skipped with a warning; lines that are not "K:value" are
 * ignored, with one warning per record that has them.
 */
#ifndef VG_AGENT_COLLECT_APK_H
#define VG_AGENT_COLLECT_APK_H

#include "agent/inventory.h"
#include "core/compiler.h"
#include "core/str.h"

/* Largest installed database read (a big Alpine host has a few MB). */
#define VG_APK_MAX_FILE    ((size_t)64 << 20)
/* Longest P, V, A, o or L value accepted; a longer one skips its record. */
#define VG_APK_MAX_VALUE   4096
/* Most records read (a big Alpine host has a few thousand packages). */
#define VG_APK_MAX_RECORDS 200000

/**
 * Parse the installed-database bytes @data and append its packages to @inv.
 * @path names the source in the packages and warnings
 * ("/lib/apk/db/installed"); it is borrowed and copied into @inv.
 *
 * Records beyond VG_APK_MAX_RECORDS are not read (one warning).  Returns
 * VG_OK, or VG_ETOOBIG (with a warning and nothing added) when @data is
 * longer than VG_APK_MAX_FILE.  Thread-safety: as @inv.
 */
int vg_apk_parse(struct vg_inventory *inv, struct vg_str data, const char *path) VG_MUST_CHECK;

#endif /* VG_AGENT_COLLECT_APK_H */
