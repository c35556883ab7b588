/*
 * purl.h - package URLs (github.com/package-url/purl-spec) for inventory entries.
 *
 *   deb     pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64&distro=debian-12
 *   rpm     pkg:rpm/redhat/openssl@1.1.1k-12.el8_9?arch=x86_64&epoch=1&distro=rhel-8
 *   apk     pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4
 *   python  pkg:pypi/django@4.2.1
 *   npm     pkg:npm/%40babel/core@7.22.5
 *
 * Components are percent-encoded except for unreserved characters
 * (A-Z a-z 0-9 - . _ ~), so "+" becomes "%2B" and a dpkg epoch's ":"
 * becomes "%3A".
 */
#ifndef VG_AGENT_PURL_H
#define VG_AGENT_PURL_H

#include "agent/inventory.h"

/** The purl of @p, allocated in @inv's arena. */
const char *vg_purl_for(struct vg_inventory *inv, const struct vg_package *p);

#endif /* VG_AGENT_PURL_H */
