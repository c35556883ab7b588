/*
 * fuzz_apk_installed.c - libFuzzer target for the apk installed-database
 * parser, vg_apk_parse() (src/agent/collect_apk.c).
 *
 * Besides "no crash, no leak, no UB", it checks what the inventory promises:
 * every package has a non-empty name and version without a newline, its
 * source name is set and its source version is its version; every warning
 * has a message.
 */
#include <string.h>

#include "agent/collect_apk.h"
#include "fuzz_common.h"

static void
check_string(const char *s, const char *what)
{
	fuzz_require(s == NULL || strchr(s, '\n') == NULL, what);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_inventory inv;

	vg_inventory_init(&inv, "/");
	fuzz_require(vg_apk_parse(&inv, vg_str_n((const char *)data, size), "/fuzz/installed") ==
			     VG_OK,
		     "parse failed");
	for (size_t i = 0; i < inv.npackages; i++) {
		const struct vg_package *p = &inv.packages[i];

		fuzz_require(p->type == VG_PKG_APK, "package type is not apk");
		fuzz_require(p->name && p->name[0], "package without a name");
		fuzz_require(p->version && p->version[0], "package without a version");
		fuzz_require(p->source_name && p->source_name[0], "package without a source name");
		fuzz_require(p->source_version == p->version, "source version is not the version");
		fuzz_require(p->architecture == NULL || p->architecture[0], "empty architecture");
		fuzz_require(p->license == NULL || p->license[0], "empty licence");
		check_string(p->name, "newline in the name");
		check_string(p->version, "newline in the version");
		check_string(p->architecture, "newline in the architecture");
		check_string(p->source_name, "newline in the origin");
		check_string(p->license, "newline in the licence");
		fuzz_require(p->path && strcmp(p->path, "/fuzz/installed") == 0, "wrong path");
	}
	for (size_t i = 0; i < inv.nwarnings; i++)
		fuzz_require(inv.warnings[i].message && inv.warnings[i].message[0],
			     "warning without a message");
	vg_inventory_release(&inv);
	return 0;
}
