/*
 * tuple.c - a package's matching tuple (see tuple.h).
 */
#include "agent/tuple.h"

#include <string.h>

bool
vg_pkg_type_is_os(enum vg_pkg_type type)
{
	return type == VG_PKG_DEB || type == VG_PKG_RPM || type == VG_PKG_APK;
}

int
vg_pkg_type_parse(const char *name, enum vg_pkg_type *type)
{
	static const enum vg_pkg_type all[] = {VG_PKG_DEB, VG_PKG_RPM, VG_PKG_APK, VG_PKG_PYTHON,
					       VG_PKG_NPM};

	for (size_t i = 0; name && i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(name, vg_pkg_type_name(all[i])) == 0) {
			*type = all[i];
			return VG_OK;
		}
	}
	return VG_EINVAL;
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A language package installed by the OS package manager, by where it lives. */
static bool
os_managed(const struct vg_package *p)
{
	return has_prefix(p->path, "/usr/lib/") || has_prefix(p->path, "/usr/lib64/") ||
	       has_prefix(p->path, "/usr/lib32/") || has_prefix(p->path, "/usr/share/");
}

/* rpm: the source rpm's version-release carries no epoch; the binary's applies. */
static const char *
rpm_version(const struct vg_package *p, struct vg_arena *arena)
{
	const char *v = p->source_version ? p->source_version : p->version;

	if (p->epoch && p->epoch[0] && strcmp(p->epoch, "0") != 0 && v && !strchr(v, ':'))
		return vg_arena_printf(arena, "%s:%s", p->epoch, v);
	return v;
}

enum vg_tuple_outcome
vg_package_tuple(const struct vg_package *p, const char *os_ns, bool skip_os_managed,
		 struct vg_arena *arena, struct vg_tuple *t)
{
	const char *source = p->source_name ? p->source_name : p->name;
	struct vg_tuple out;

	switch (p->type) {
	case VG_PKG_DEB:
		out = (struct vg_tuple){os_ns, source,
					p->source_version ? p->source_version : p->version,
					VG_VER_DPKG};
		break;
	case VG_PKG_APK:
		out = (struct vg_tuple){os_ns, source, p->version, VG_VER_APK};
		break;
	case VG_PKG_RPM:
		out = (struct vg_tuple){os_ns, source, rpm_version(p, arena), VG_VER_RPM};
		break;
	case VG_PKG_PYTHON:
	case VG_PKG_NPM:
	default:
		if (skip_os_managed && os_managed(p))
			return VG_TUPLE_OS_MANAGED;
		out = p->type == VG_PKG_PYTHON
			      ? (struct vg_tuple){"PyPI", p->name, p->version, VG_VER_PEP440}
			      : (struct vg_tuple){"npm", p->name, p->version, VG_VER_SEMVER};
		break;
	}
	if (!out.package || !out.version || !out.version[0])
		return VG_TUPLE_NO_VERSION;
	*t = out;
	return VG_TUPLE_OK;
}
