/*
 * fuzz_rpm_text.c - libFuzzer target for the rpm listing parsers
 * (src/agent/collect_rpm.h): `rpm -qa` text, the rpm JSON listing, the
 * CBL-Mariner container manifest and the format-sniffing import.
 *
 * Every input goes through each parser into a fresh inventory.  Besides
 * "no crash, no leak, no UB", every package kept must be well formed: a
 * name, a version that vg_rpm_compare() accepts and finds equal to itself,
 * "[epoch:]version-release" built from its parts, and a source; every
 * warning must carry the collector name and a message.
 */
#include <string.h>

#include "agent/collect_rpm.h"
#include "agent/inventory.h"
#include "core/version/version.h"
#include "fuzz_common.h"

static void
check_inventory(const struct vg_inventory *inv)
{
	for (size_t i = 0; i < inv->npackages; i++) {
		const struct vg_package *p = &inv->packages[i];
		struct vg_str v = vg_str_c(p->version);
		size_t elen = p->epoch ? strlen(p->epoch) + 1 : 0;
		size_t vlen = strlen(p->rpm_version), rlen = strlen(p->release);
		struct vg_err err;
		int cmp = 9;

		fuzz_require(p->type == VG_PKG_RPM && p->name[0] != '\0', "package without a name");
		fuzz_require(strcmp(p->name, "gpg-pubkey") != 0, "gpg-pubkey kept");
		fuzz_require(vg_rpm_compare(v, v, &cmp, &err) == VG_OK && cmp == 0,
			     "version does not compare equal to itself");
		fuzz_require(v.len == elen + vlen + 1 + rlen &&
				     (!p->epoch || memcmp(v.p, p->epoch, elen - 1) == 0) &&
				     memcmp(v.p + elen, p->rpm_version, vlen) == 0 &&
				     v.p[elen + vlen] == '-' &&
				     memcmp(v.p + elen + vlen + 1, p->release, rlen) == 0,
			     "version is not [epoch:]version-release");
		fuzz_require(p->source_name && p->source_version, "package without a source");
	}
	for (size_t i = 0; i < inv->nwarnings; i++)
		fuzz_require(strcmp(inv->warnings[i].collector, "rpm") == 0 &&
				     inv->warnings[i].message[0] != '\0',
			     "warning without a message");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int (*const parsers[])(struct vg_inventory *, struct vg_str, const char *) = {
		vg_rpm_parse_qa,
		vg_rpm_parse_manifest,
		vg_rpm_parse_json,
		vg_rpm_parse_import,
	};
	struct vg_str text = vg_str_n((const char *)data, size);

	for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		struct vg_inventory inv;
		int rc;

		vg_inventory_init(&inv, "/");
		rc = parsers[i](&inv, text, "fuzz");
		fuzz_require(rc == VG_OK || inv.nwarnings > 0, "failure without a warning");
		check_inventory(&inv);
		vg_inventory_release(&inv);
	}
	return 0;
}
