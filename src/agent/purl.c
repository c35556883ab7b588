/*
 * purl.c - package URLs for inventory entries.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "agent/purl.h"
#include "core/buf.h"

static bool
unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static void
add_encoded(struct vg_buf *b, const char *s, bool lower)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		int rc;

		if (unreserved(c))
			rc = vg_buf_addch(b, (char)(lower ? tolower(c) : c));
		else
			rc = vg_buf_addf(b, "%%%02X", c);
		if (rc)
			return; /* purls are bounded by the inventory's field limits */
	}
}

/* The purl namespace of an rpm distribution (purl-spec's rpm type uses the vendor). */
static const char *
rpm_namespace(const struct vg_os *os)
{
	static const char *const map[][2] = {
		{"rhel", "redhat"},       {"centos", "centos"},     {"fedora", "fedora"},
		{"amzn", "amazon"},       {"rocky", "rocky-linux"}, {"almalinux", "almalinux"},
		{"ol", "oracle"},         {"mariner", "mariner"},   {"azurelinux", "azurelinux"},
		{"opensuse", "opensuse"}, {"sles", "suse"},
	};

	for (size_t i = 0; os->id && i < VG_ARRAY_LEN(map); i++)
		if (strcmp(os->id, map[i][0]) == 0)
			return map[i][1];
	return os->id ? os->id : "rpm";
}

/* "debian-12", "rhel-8.9": the distro qualifier. */
static void
add_distro(struct vg_buf *b, const struct vg_os *os, char sep)
{
	if (!os->id)
		return;
	if (vg_buf_addf(b, "%cdistro=", sep))
		return;
	add_encoded(b, os->id, true);
	if (os->version_id && vg_buf_addch(b, '-') == 0)
		add_encoded(b, os->version_id, false);
}

static void
add_name_version(struct vg_buf *b, const char *name, const char *version, bool lower)
{
	add_encoded(b, name, lower);
	if (version && vg_buf_addch(b, '@') == 0)
		add_encoded(b, version, false);
}

/* PyPI names are normalised: lower case, runs of "-", "_", "." become "-" (PEP 503). */
static void
add_pypi_name(struct vg_buf *b, const char *name)
{
	bool sep = false;

	for (; name && *name; name++) {
		if (*name == '-' || *name == '_' || *name == '.') {
			sep = true;
			continue;
		}
		if (sep && vg_buf_addch(b, '-'))
			return;
		sep = false;
		add_encoded(b, (char[]){*name, '\0'}, true);
	}
}

const char *
vg_purl_for(struct vg_inventory *inv, const struct vg_package *p)
{
	const struct vg_os *os = &inv->os;
	struct vg_buf b;
	const char *purl;
	char sep = '?';
	int rc = 0;

	vg_buf_init(&b, 4096);
	switch (p->type) {
	case VG_PKG_DEB:
		rc = vg_buf_addstr(&b, "pkg:deb/");
		add_encoded(&b, os->id ? os->id : "debian", true);
		rc |= vg_buf_addch(&b, '/');
		add_name_version(&b, p->name, p->version, false);
		break;
	case VG_PKG_RPM:
		rc = vg_buf_addstr(&b, "pkg:rpm/");
		add_encoded(&b, rpm_namespace(os), true);
		rc |= vg_buf_addch(&b, '/');
		add_encoded(&b, p->name, false);
		if (p->rpm_version && vg_buf_addch(&b, '@') == 0) {
			add_encoded(&b, p->rpm_version, false);
			if (p->release && vg_buf_addch(&b, '-') == 0)
				add_encoded(&b, p->release, false);
		}
		break;
	case VG_PKG_APK:
		rc = vg_buf_addstr(&b, "pkg:apk/");
		add_encoded(&b, os->id ? os->id : "alpine", true);
		rc |= vg_buf_addch(&b, '/');
		add_name_version(&b, p->name, p->version, true);
		break;
	case VG_PKG_PYTHON:
		rc = vg_buf_addstr(&b, "pkg:pypi/");
		add_pypi_name(&b, p->name);
		if (p->version && vg_buf_addch(&b, '@') == 0)
			add_encoded(&b, p->version, false);
		break;
	case VG_PKG_NPM: {
		const char *slash = p->name ? strchr(p->name, '/') : NULL;

		rc = vg_buf_addstr(&b, "pkg:npm/");
		if (slash && p->name[0] == '@') {
			/* "@scope/name": the scope is the namespace, its "@" encoded. */
			char scope[256];

			snprintf(scope, sizeof(scope), "%.*s", (int)(slash - p->name), p->name);
			add_encoded(&b, scope, true);
			rc |= vg_buf_addch(&b, '/');
			add_name_version(&b, slash + 1, p->version, true);
		} else {
			add_name_version(&b, p->name, p->version, true);
		}
		break;
	}
	}
	if (p->architecture &&
	    (p->type == VG_PKG_DEB || p->type == VG_PKG_RPM || p->type == VG_PKG_APK)) {
		rc |= vg_buf_addf(&b, "%carch=", sep);
		add_encoded(&b, p->architecture, false);
		sep = '&';
	}
	if (p->type == VG_PKG_RPM && p->epoch && strcmp(p->epoch, "0") != 0) {
		rc |= vg_buf_addf(&b, "%cepoch=", sep);
		add_encoded(&b, p->epoch, false);
		sep = '&';
	}
	if (p->type == VG_PKG_DEB || p->type == VG_PKG_RPM || p->type == VG_PKG_APK)
		add_distro(&b, os, sep);
	purl = rc ? NULL : vg_inv_str(inv, vg_buf_str(&b));
	vg_buf_release(&b);
	return purl;
}
