/*
 * fuzz_dpkg_status.c - libFuzzer target for the dpkg status parser,
 * vg_dpkg_parse() (src/agent/collect_dpkg.c).
 *
 * The input is parsed twice into fresh inventories, listing every stanza
 * (VG_DPKG_LISTED) and only installed packages.  Besides "no crash, no
 * leak, no UB", it checks what the inventory promises its readers: every
 * package has a name, a source name, a status of two or three letters and
 * the matching status text; no kept string holds a newline; only a
 * half-installed package lacks a version; the installed packages are a
 * subset of the listed ones; every warning has a message.
 */
#include <string.h>

#include "agent/collect_dpkg.h"
#include "fuzz_common.h"

static void
check_string(const char *s, int may_be_null, const char *what)
{
	fuzz_require(s != NULL || may_be_null, what);
	fuzz_require(s == NULL || strchr(s, '\n') == NULL, "newline in a kept string");
}

static void
check_package(const struct vg_package *p)
{
	size_t n;

	fuzz_require(p->type == VG_PKG_DEB, "package type is not deb");
	check_string(p->name, 0, "package without a name");
	fuzz_require(p->name[0] != '\0', "empty package name");
	check_string(p->version, 1, "");
	check_string(p->architecture, 1, "");
	check_string(p->source_name, 0, "package without a source name");
	check_string(p->source_version, 1, "");
	check_string(p->status, 0, "package without a status");
	check_string(p->status_text, 0, "package without a status text");
	n = strlen(p->status);
	fuzz_require(n == 2 || n == 3, "status abbreviation is not 2 or 3 letters");
	fuzz_require(p->version != NULL || p->status[1] == 'H',
		     "version missing but not half-installed");
	fuzz_require(strchr("ncHUFWti", p->status[1]) != NULL && p->status[1] != 'n',
		     "not-installed package listed");
	fuzz_require(p->path != NULL && strcmp(p->path, "/fuzz/status") == 0, "wrong path");
}

static int
same_package(const struct vg_package *a, const struct vg_package *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->status_text, b->status_text) == 0 &&
	       (a->version == b->version ||
		(a->version && b->version && strcmp(a->version, b->version) == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_str in = vg_str_n((const char *)data, size);
	struct vg_inventory listed, installed;

	vg_inventory_init(&listed, "/");
	vg_inventory_init(&installed, "/");
	fuzz_require(vg_dpkg_parse(&listed, in, "/fuzz/status", VG_DPKG_LISTED) == VG_OK,
		     "listing parse failed");
	fuzz_require(vg_dpkg_parse(&installed, in, "/fuzz/status", 0) == VG_OK,
		     "installed parse failed");
	fuzz_require(installed.npackages <= listed.npackages, "more installed than listed");
	for (size_t i = 0; i < listed.npackages; i++)
		check_package(&listed.packages[i]);
	for (size_t i = 0; i < installed.npackages; i++) {
		const struct vg_package *p = &installed.packages[i];
		int found = 0;

		check_package(p);
		fuzz_require(strchr("UFWti", p->status[1]) != NULL,
			     "package kept but not installed");
		/* Quadratic, so only on small outputs. */
		for (size_t j = 0; j < listed.npackages && listed.npackages <= 256 && !found; j++)
			found = same_package(p, &listed.packages[j]);
		fuzz_require(found || listed.npackages > 256, "installed package not listed");
	}
	for (size_t i = 0; i < listed.nwarnings; i++)
		fuzz_require(listed.warnings[i].message && listed.warnings[i].message[0],
			     "warning without a message");
	vg_inventory_release(&listed);
	vg_inventory_release(&installed);
	return 0;
}
