/*
 * fuzz_mirror_listing.c - libFuzzer target for vg_mirror_parse_listing()
 * (src/feeds/sync.c): the HTML directory listings of a web mirror, which
 * come from the network.
 *
 * Besides "no crash, no leak, no UB", every name returned must be what
 * the mirror walk may safely append to a path: not empty, no NUL or
 * control byte, no "/" except one at the end, not "." or "..", and the
 * list sorted without duplicates.
 */
#include <string.h>

#include "feeds/sync.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_strlist names = {0};

	vg_mirror_parse_listing((const char *)data, size, &names);
	for (size_t i = 0; i < names.n; i++) {
		const char *n = names.v[i];
		size_t len = strlen(n);
		const char *slash = strchr(n, '/');

		fuzz_require(len > 0, "empty name");
		fuzz_require(!slash || slash == n + len - 1, "a '/' inside a name");
		fuzz_require(strcmp(n, ".") != 0 && strcmp(n, "..") != 0 && strcmp(n, "./") != 0 &&
				     strcmp(n, "../") != 0,
			     "a dot entry");
		for (size_t k = 0; k < len; k++)
			fuzz_require((unsigned char)n[k] >= 0x20, "a control byte");
		fuzz_require(i == 0 || strcmp(names.v[i - 1], n) < 0, "not sorted or duplicated");
	}
	vg_strlist_release(&names);
	return 0;
}
