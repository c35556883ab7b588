/*
 * collect_os.h - OS identity (os-release, hostname, machine-id, architecture)
 * and kernels (running versus installed), the buffer-level parsers behind
 * vg_collect_os() and vg_collect_kernel() (inventory.h).
 *
 * Namespaces (struct vg_os.namespace_) name the advisory stream a device is
 * matched against, "ID:VERSION" with a per-distribution version rule:
 *
 *   debian        major of VERSION_ID ("12"); no VERSION_ID (testing and sid,
 *                 which os-release cannot tell apart) gives "debian:unstable"
 *   ubuntu        VERSION_ID as is ("22.04")
 *   alpine        MAJOR.MINOR ("3.18" from "3.18.4"); a VERSION_ID with a
 *                 suffix ("3.19_alpha20230901") or a PRETTY_NAME ending in
 *                 "edge" gives "alpine:edge"
 *   rhel centos rocky almalinux ol fedora
 *                 major of VERSION_ID ("rhel:9", "centos:7", "rocky:9",
 *                 "ol:8", "fedora:38").  Rebuilds keep their own ID (they
 *                 publish their own advisories); a matcher that wants RHEL
 *                 data for them can follow ID_LIKE.
 *   amzn          VERSION_ID as is ("amzn:2", "amzn:2023", "amzn:2018.03")
 *   anything else ID:VERSION_ID as is ("sles:15.5", "linuxmint:21.2"), or
 *                 the bare ID when there is no VERSION_ID ("arch")
 *
 * Kernel release strings are what `uname -r` prints for each package:
 *   deb  linux-image-<release> (and linux-image-unsigned-<release>), the
 *        release starting with a digit, so meta packages (linux-image-amd64,
 *        linux-image-generic) and -dbg/-dbgsym packages are not kernels
 *   rpm  kernel, kernel-core, kernel-uek(-core), kernel-rt(-core), kernel-lt,
 *        kernel-ml, kernelX.Y (Amazon Linux): VERSION-RELEASE.ARCH
 *   apk  linux-<flavor> for the kernel flavors (lts, virt, edge, rpi, ...):
 *        pkgver-rN gives "pkgver-N-flavor", as Alpine's APKBUILD sets it
 * ordered by the package manager's version order (dpkg, rpm EVR, apk);
 * without any kernel package the directories of lib/modules are used.
 *
 * Ownership: every string lands in the inventory's arena.  Thread-safety:
 * one inventory per thread.
 */
#ifndef VG_AGENT_COLLECT_OS_H
#define VG_AGENT_COLLECT_OS_H

#include <stddef.h>

#include "agent/inventory.h"
#include "core/compiler.h"
#include "core/str.h"

/* Largest os-release file read, in bytes (real ones are under 1 KiB). */
#define VG_OS_RELEASE_MAX_SIZE  (64 * 1024)
/* Longest accepted os-release key and (unescaped) value, in bytes. */
#define VG_OS_RELEASE_MAX_KEY   64
#define VG_OS_RELEASE_MAX_VALUE 1024
/* Longest namespace string, including the NUL. */
#define VG_OS_NAMESPACE_MAX     160

/**
 * Parse the os-release text @text (os-release(5); the shell-like syntax of
 * systemd's env-file reader: '#' comments, single quotes without escapes,
 * double quotes with \" \\ \` \$ escapes and backslash-newline
 * continuations, unquoted values with backslash escapes and trailing blanks
 * stripped, adjacent quoted parts concatenated) into inv->os: ID,
 * VERSION_ID, VERSION_CODENAME, ID_LIKE, NAME, PRETTY_NAME, then the
 * namespace.  Unknown keys are ignored; an empty value is NULL.  A line
 * without '=', an invalid key, a value longer than VG_OS_RELEASE_MAX_VALUE,
 * not UTF-8 (systemd ignores those too) or with control characters other
 * than tab, an unterminated quote or a NUL byte (which ends the text) is a warning
 * (collector "os", @path borrowed).  Returns VG_OK, or VG_EINVAL when no ID
 * was found (also a warning).
 */
int vg_os_release_parse(struct vg_inventory *inv, struct vg_str text, const char *path);

/**
 * Write the matching namespace of @os (id, version_id, pretty_name are
 * read; see the table above) into @out of @cap bytes.  Returns VG_OK,
 * VG_ENOTFOUND without an ID, VG_EINVAL when the ID or VERSION_ID has
 * characters outside os-release's [a-z0-9._-] (VERSION_ID also allows
 * upper case, '~' and '+'), VG_ETOOBIG when it does not fit.
 */
int vg_os_namespace(const struct vg_os *os, char *out, size_t cap) VG_MUST_CHECK;

/**
 * The architecture name of the distribution family of @os for the kernel
 * machine name @machine (uname -m): dpkg names for Debian and derivatives
 * ("x86_64" -> "amd64", "aarch64" -> "arm64"), apk names for Alpine
 * ("i686" -> "x86", "armv7l" -> "armv7"), @machine itself otherwise.
 * Returns a static string or @machine (borrowed).
 */
const char *vg_os_arch_name(const struct vg_os *os, const char *machine);

/**
 * The kernel release string (as uname -r prints it) that package @p
 * installs, or NULL when @p is not a kernel package.  Written into @out of
 * @cap bytes; returns @out or NULL (also when it does not fit).
 */
const char *vg_kernel_release_of(const struct vg_package *p, char *out, size_t cap);

#endif /* VG_AGENT_COLLECT_OS_H */
