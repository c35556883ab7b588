/*
 * sbom.h - software bills of materials from an inventory.
 *
 *   CycloneDX 1.5 JSON: one component (type "library") per package, with
 *   purl and bom-ref, the operating system as an "operating-system"
 *   component, and Vigil's extra facts (package type, source package and
 *   version, path) as "vigil:*" properties.
 *   SPDX 2.3 JSON: one package per inventory package with its purl as a
 *   PACKAGE-MANAGER external reference, the operating system as a package,
 *   and DESCRIBES / CONTAINS relationships.
 *
 * Both documents get a random serial number / namespace (libsodium), so two
 * exports of the same inventory differ only there and in the timestamp.
 */
#ifndef VG_AGENT_SBOM_H
#define VG_AGENT_SBOM_H

#include "agent/inventory.h"
#include "core/buf.h"
#include "core/compiler.h"

/** Append a CycloneDX 1.5 JSON document to @out (VG_DOC_PRETTY from document.h allowed). */
int vg_sbom_write_cyclonedx(const struct vg_inventory *inv, struct vg_buf *out,
			    unsigned flags) VG_MUST_CHECK;

/** Append an SPDX 2.3 JSON document to @out. */
int vg_sbom_write_spdx(const struct vg_inventory *inv, struct vg_buf *out,
		       unsigned flags) VG_MUST_CHECK;

#endif /* VG_AGENT_SBOM_H */
