/*
 * fuzz_python_metadata.c - libFuzzer target for Python core metadata
 * (vg_pymeta_parse() and vg_lang_add_python(), collect_lang.h).  Input:
 * the bytes of a METADATA or PKG-INFO file.  Besides no crash/leak/UB: the
 * slices lie inside the input, a successful parse has a bounded, non-empty
 * name and a version without blanks, a failure has a message, and adding
 * to an inventory gives one package or one warning.
 */
#include <string.h>

#include "agent/collect_lang.h"
#include "fuzz_common.h"

static void
check_slice(struct vg_str s, const uint8_t *data, size_t size)
{
	if (s.len)
		fuzz_require((const uint8_t *)s.p >= data &&
				     (const uint8_t *)s.p + s.len <= data + size,
			     "slice outside the input");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_str text = vg_str_n((const char *)data, size);
	struct vg_inventory inv;
	struct vg_pymeta m;
	struct vg_err err;
	int rc = vg_pymeta_parse(text, &m, &err);

	if (rc == VG_OK) {
		check_slice(m.name, data, size);
		check_slice(m.version, data, size);
		check_slice(m.license, data, size);
		fuzz_require(m.name.len > 0 && m.name.len <= VG_LANG_MAX_FIELD, "bad name");
		fuzz_require(m.version.len > 0 && !memchr(m.version.p, ' ', m.version.len),
			     "bad version");
		fuzz_require(m.license.len <= VG_LANG_MAX_FIELD, "license too long");
	} else {
		fuzz_require(rc == VG_EINVAL && err.msg[0] != '\0', "failure without a message");
	}
	vg_inventory_init(&inv, "/nonexistent");
	fuzz_require((vg_lang_add_python(&inv, text, "/d", "d/METADATA") == VG_OK) == (rc == VG_OK),
		     "add and parse disagree");
	fuzz_require(inv.npackages + inv.nwarnings == 1, "neither one package nor one warning");
	vg_inventory_release(&inv);
	return 0;
}
