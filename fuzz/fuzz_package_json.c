/*
 * fuzz_package_json.c - libFuzzer target for package.json reading
 * (vg_lang_add_npm(), collect_lang.h; jansson underneath).  Input: the
 * bytes of a package.json.  Besides no crash/leak/UB: each input either
 * adds exactly one npm package with a non-empty name and version, or
 * records exactly one warning.
 */
#include <string.h>

#include "agent/collect_lang.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_inventory inv;
	int rc;

	vg_inventory_init(&inv, "/nonexistent");
	rc = vg_lang_add_npm(&inv, vg_str_n((const char *)data, size), "/node_modules/x",
			     "node_modules/x/package.json");
	if (rc == VG_OK) {
		const struct vg_package *p = &inv.packages[0];

		fuzz_require(inv.npackages == 1 && inv.nwarnings == 0, "success without a package");
		fuzz_require(p->type == VG_PKG_NPM, "wrong type");
		fuzz_require(p->name && *p->name && strlen(p->name) <= VG_LANG_MAX_FIELD,
			     "bad name");
		fuzz_require(p->version && *p->version && !strpbrk(p->version, " \t"),
			     "bad version");
		fuzz_require(!p->license || strlen(p->license) <= VG_LANG_MAX_FIELD,
			     "license too long");
	} else {
		fuzz_require(inv.npackages == 0 && inv.nwarnings == 1,
			     "failure without one warning");
	}
	vg_inventory_release(&inv);
	return 0;
}
