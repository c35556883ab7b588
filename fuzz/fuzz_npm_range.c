/*
 * fuzz_npm_range.c - libFuzzer target for npm range satisfaction.
 * Input: a range and a version separated by a newline.
 */
#include <stdbool.h>

#include "core/version/version.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_str range, version;
	struct vg_err err;
	bool ok;

	fuzz_split(data, size, &range, &version);
	if (vg_npm_range_satisfies(range, version, &ok, &err) < 0)
		fuzz_require(err.msg[0] != '\0', "error without a message");
	return 0;
}
