/*
 * fuzz_os_release.c - libFuzzer target for the os-release parser
 * (vg_os_release_parse(), collect_os.h).  Input: the bytes of an
 * os-release file.  Besides no crash/leak/UB: a parse that succeeds has an
 * ID, a namespace, when there is one, starts with that ID, and every field
 * is free of control characters other than tab.
 */
#include <string.h>

#include "agent/collect_os.h"
#include "fuzz_common.h"

static void
check_field(const char *s)
{
	for (; s && *s; s++)
		fuzz_require((unsigned char)*s >= 0x20 || *s == '\t', "control character kept");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_inventory inv;
	int rc;

	vg_inventory_init(&inv, "/nonexistent");
	rc = vg_os_release_parse(&inv, vg_str_n((const char *)data, size), "etc/os-release");
	if (rc == VG_OK) {
		fuzz_require(inv.os.id != NULL, "success without an ID");
		if (inv.os.namespace_)
			fuzz_require(strncmp(inv.os.namespace_, inv.os.id, strlen(inv.os.id)) == 0,
				     "namespace does not start with the ID");
	} else {
		fuzz_require(inv.os.id == NULL && inv.nwarnings > 0, "failure without a warning");
	}
	check_field(inv.os.id);
	check_field(inv.os.version_id);
	check_field(inv.os.codename);
	check_field(inv.os.id_like);
	check_field(inv.os.name);
	check_field(inv.os.pretty_name);
	for (size_t i = 0; i < inv.nwarnings; i++)
		fuzz_require(inv.warnings[i].message[0] != '\0', "empty warning");
	vg_inventory_release(&inv);
	return 0;
}
