/*
 * fuzz_version_dpkg.c - libFuzzer target for the dpkg version comparator.
 * Input: two versions separated by a newline.
 */
#include "core/version/version.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_compare_properties(vg_dpkg_compare, data, size);
	return 0;
}
