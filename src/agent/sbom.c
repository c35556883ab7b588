/*
 * sbom.c - CycloneDX 1.5 and SPDX 2.3 JSON from an inventory.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "agent/document.h"
#include "agent/sbom.h"
#include "core/err.h"
#include "core/json.h"

/* A random (version 4) UUID. */
static void
uuid4(char out[37])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

static unsigned
json_flags(unsigned flags)
{
	return (flags & VG_DOC_PRETTY) ? VG_JSON_PRETTY : 0;
}

static int
finish(struct vg_json *j, struct vg_buf *out, unsigned flags)
{
	int rc = vg_json_finish(j);

	if (rc == 0 && (flags & VG_DOC_PRETTY))
		rc = vg_buf_addch(out, '\n');
	return rc;
}

/* ---- CycloneDX 1.5 ---- */

static void
cdx_property(struct vg_json *j, const char *name, const char *value)
{
	if (!value)
		return;
	vg_json_begin_object(j);
	vg_json_kv_str(j, "name", name);
	vg_json_kv_str(j, "value", value);
	vg_json_end_object(j);
}

static void
cdx_component(struct vg_json *j, const struct vg_package *p, size_t index)
{
	char ref[32];

	snprintf(ref, sizeof(ref), "pkg-%zu", index);
	vg_json_begin_object(j);
	vg_json_kv_str(j, "type", "library");
	vg_json_kv_str(j, "bom-ref", p->purl ? p->purl : ref);
	vg_json_kv_str(j, "name", p->name);
	vg_json_kv_str(j, "version", p->version);
	vg_json_kv_str_opt(j, "purl", p->purl);
	if (p->license) {
		vg_json_key(j, "licenses");
		vg_json_begin_array(j);
		vg_json_begin_object(j);
		vg_json_key(j, "license");
		vg_json_begin_object(j);
		vg_json_kv_str(j, "name", p->license);
		vg_json_end_object(j);
		vg_json_end_object(j);
		vg_json_end_array(j);
	}
	vg_json_key(j, "properties");
	vg_json_begin_array(j);
	cdx_property(j, "vigil:package:type", vg_pkg_type_name(p->type));
	cdx_property(j, "vigil:package:architecture", p->architecture);
	cdx_property(j, "vigil:package:sourceName", p->source_name);
	cdx_property(j, "vigil:package:sourceVersion", p->source_version);
	cdx_property(j, "vigil:package:path", p->path);
	vg_json_end_array(j);
	vg_json_end_object(j);
}

int
vg_sbom_write_cyclonedx(const struct vg_inventory *inv, struct vg_buf *out, unsigned flags)
{
	const struct vg_os *os = &inv->os;
	char uuid[37], now[32];
	struct vg_json j;

	uuid4(uuid);
	vg_rfc3339_now(now, sizeof(now));
	vg_json_init(&j, out, json_flags(flags));
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json");
	vg_json_kv_str(&j, "bomFormat", "CycloneDX");
	vg_json_kv_str(&j, "specVersion", "1.5");
	vg_json_key(&j, "serialNumber");
	{
		char urn[64];

		snprintf(urn, sizeof(urn), "urn:uuid:%s", uuid);
		vg_json_string(&j, urn);
	}
	vg_json_kv_int(&j, "version", 1);
	vg_json_key(&j, "metadata");
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "timestamp", now);
	vg_json_key(&j, "tools");
	vg_json_begin_object(&j);
	vg_json_key(&j, "components");
	vg_json_begin_array(&j);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "type", "application");
	vg_json_kv_str(&j, "name", "vigil");
	vg_json_kv_str(&j, "version", VG_VERSION);
	vg_json_end_object(&j);
	vg_json_end_array(&j);
	vg_json_end_object(&j);
	vg_json_key(&j, "component");
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "type", "device");
	vg_json_kv_str(&j, "bom-ref", "device");
	vg_json_kv_str(&j, "name", os->hostname ? os->hostname : inv->root);
	vg_json_end_object(&j);
	vg_json_end_object(&j);

	vg_json_key(&j, "components");
	vg_json_begin_array(&j);
	if (os->id) {
		vg_json_begin_object(&j);
		vg_json_kv_str(&j, "type", "operating-system");
		vg_json_kv_str(&j, "bom-ref", "os");
		vg_json_kv_str(&j, "name", os->id);
		vg_json_kv_str_opt(&j, "version", os->version_id);
		vg_json_kv_str_opt(&j, "description", os->pretty_name);
		vg_json_end_object(&j);
	}
	for (size_t i = 0; i < inv->npackages; i++)
		cdx_component(&j, &inv->packages[i], i);
	vg_json_end_array(&j);
	vg_json_end_object(&j);
	return finish(&j, out, flags);
}

/* ---- SPDX 2.3 ---- */

static void
spdx_package(struct vg_json *j, const struct vg_package *p, size_t index)
{
	char id[48];

	snprintf(id, sizeof(id), "SPDXRef-Package-%s-%zu", vg_pkg_type_name(p->type), index);
	vg_json_begin_object(j);
	vg_json_kv_str(j, "SPDXID", id);
	vg_json_kv_str(j, "name", p->name);
	vg_json_kv_str(j, "versionInfo", p->version);
	vg_json_kv_str(j, "downloadLocation", "NOASSERTION");
	vg_json_kv_bool(j, "filesAnalyzed", false);
	vg_json_kv_str(j, "licenseConcluded", "NOASSERTION");
	vg_json_kv_str(j, "licenseDeclared", "NOASSERTION");
	vg_json_kv_str(j, "copyrightText", "NOASSERTION");
	if (p->license)
		vg_json_kv_str(j, "licenseComments", p->license);
	if (p->source_name || p->source_version) {
		char src[512];

		snprintf(src, sizeof(src), "built from source package %s %s",
			 p->source_name ? p->source_name : p->name,
			 p->source_version ? p->source_version : p->version);
		vg_json_kv_str(j, "sourceInfo", src);
	}
	if (p->purl) {
		vg_json_key(j, "externalRefs");
		vg_json_begin_array(j);
		vg_json_begin_object(j);
		vg_json_kv_str(j, "referenceCategory", "PACKAGE-MANAGER");
		vg_json_kv_str(j, "referenceType", "purl");
		vg_json_kv_str(j, "referenceLocator", p->purl);
		vg_json_end_object(j);
		vg_json_end_array(j);
	}
	vg_json_end_object(j);
}

static void
spdx_relationship(struct vg_json *j, const char *from, const char *type, const char *to)
{
	vg_json_begin_object(j);
	vg_json_kv_str(j, "spdxElementId", from);
	vg_json_kv_str(j, "relationshipType", type);
	vg_json_kv_str(j, "relatedSpdxElement", to);
	vg_json_end_object(j);
}

int
vg_sbom_write_spdx(const struct vg_inventory *inv, struct vg_buf *out, unsigned flags)
{
	const struct vg_os *os = &inv->os;
	const char *host = os->hostname ? os->hostname : "device";
	char uuid[37], now[32], name[300], ns[400], creator[64];
	struct vg_json j;

	uuid4(uuid);
	vg_rfc3339_now(now, sizeof(now));
	snprintf(name, sizeof(name), "vigil-inventory-%s", host);
	snprintf(ns, sizeof(ns), "https://vigil.invalid/spdx/%s-%s", host, uuid);
	snprintf(creator, sizeof(creator), "Tool: vigil-%s", VG_VERSION);
	vg_json_init(&j, out, json_flags(flags));
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "spdxVersion", "SPDX-2.3");
	vg_json_kv_str(&j, "dataLicense", "CC0-1.0");
	vg_json_kv_str(&j, "SPDXID", "SPDXRef-DOCUMENT");
	vg_json_kv_str(&j, "name", name);
	vg_json_kv_str(&j, "documentNamespace", ns);
	vg_json_key(&j, "creationInfo");
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "created", now);
	vg_json_key(&j, "creators");
	vg_json_begin_array(&j);
	vg_json_string(&j, creator);
	vg_json_end_array(&j);
	vg_json_end_object(&j);

	vg_json_key(&j, "packages");
	vg_json_begin_array(&j);
	vg_json_begin_object(&j);
	vg_json_kv_str(&j, "SPDXID", "SPDXRef-OperatingSystem");
	vg_json_kv_str(&j, "name", os->id ? os->id : "unknown");
	vg_json_kv_str_opt(&j, "versionInfo", os->version_id);
	vg_json_kv_str(&j, "primaryPackagePurpose", "OPERATING-SYSTEM");
	vg_json_kv_str(&j, "downloadLocation", "NOASSERTION");
	vg_json_kv_bool(&j, "filesAnalyzed", false);
	vg_json_kv_str(&j, "licenseConcluded", "NOASSERTION");
	vg_json_kv_str(&j, "licenseDeclared", "NOASSERTION");
	vg_json_kv_str(&j, "copyrightText", "NOASSERTION");
	vg_json_end_object(&j);
	for (size_t i = 0; i < inv->npackages; i++)
		spdx_package(&j, &inv->packages[i], i);
	vg_json_end_array(&j);

	vg_json_key(&j, "relationships");
	vg_json_begin_array(&j);
	spdx_relationship(&j, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-OperatingSystem");
	for (size_t i = 0; i < inv->npackages; i++) {
		char id[48];

		snprintf(id, sizeof(id), "SPDXRef-Package-%s-%zu",
			 vg_pkg_type_name(inv->packages[i].type), i);
		spdx_relationship(&j, "SPDXRef-OperatingSystem", "CONTAINS", id);
	}
	vg_json_end_array(&j);
	vg_json_end_object(&j);
	return finish(&j, out, flags);
}
