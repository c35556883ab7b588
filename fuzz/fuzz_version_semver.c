/*
 * fuzz_version_semver.c - libFuzzer target for the semver version comparator.
 * Input: two versions separated by a newline.
 */
#include "core/version/version.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_compare_properties(vg_semver_compare, data, size);
	return 0;
}
