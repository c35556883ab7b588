/*
 * tuple.h - the name under which the knowledge base knows a package.
 *
 * Matching is done per distinct (namespace, package, version, scheme), not
 * per device (ARCHITECTURE.md §Matching): a Debian binary is known by its
 * source package and source version, an rpm by its source name and
 * [epoch:]version-release, a language package by its ecosystem.  This rule
 * is shared by the matcher (src/engine/match.c, from an inventory) and the
 * fleet store (src/store/fleet.c, from a report) so that both always agree.
 *
 * Ownership: strings in a tuple are borrowed from the package, except an
 * rpm version with an epoch, which is allocated in the caller's arena.
 */
#ifndef VG_AGENT_TUPLE_H
#define VG_AGENT_TUPLE_H

#include <stdbool.h>

#include "agent/inventory.h"
#include "core/arena.h"
#include "core/version/version.h"

/* A piece of software as the knowledge base names it. */
struct vg_tuple {
	const char *ns;      /* "debian:11", "alpine:3.15", "rhel:9", "PyPI", "npm"; NULL unknown */
	const char *package; /* Debian source, Alpine origin, rpm source name, ecosystem name */
	const char *version; /* source version (deb), [epoch:]version-release (rpm), as written */
	enum vg_ver_scheme scheme;
};

enum vg_tuple_outcome {
	VG_TUPLE_OK,
	VG_TUPLE_OS_MANAGED, /* a language package the OS package manager installed: its OS
				package carries the distro's (backported) fixes */
	VG_TUPLE_NO_VERSION, /* nothing to compare */
};

/** Is @type a package of the operating system (deb, rpm, apk)? */
bool vg_pkg_type_is_os(enum vg_pkg_type type);

/** Parse a name of vg_pkg_type_name() back; VG_EINVAL when unknown. */
int vg_pkg_type_parse(const char *name, enum vg_pkg_type *type /* OUT */) VG_MUST_CHECK;

/**
 * The tuple of @p on a device whose OS namespace is @os_ns.  When
 * @skip_os_managed (the device has OS packages), a Python or npm package
 * under /usr/lib*, /usr/share is left to its OS package
 * (VG_TUPLE_OS_MANAGED).  @t is filled only for VG_TUPLE_OK.
 */
enum vg_tuple_outcome vg_package_tuple(const struct vg_package *p, const char *os_ns,
				       bool skip_os_managed, struct vg_arena *arena,
				       struct vg_tuple *t /* OUT */);

#endif /* VG_AGENT_TUPLE_H */
