/*
 * fuzz_version_apk.c - libFuzzer target for the apk comparator.
 * Input: two versions separated by a newline.  Also exercises validation
 * and the fuzzy ("~") comparison: two valid versions always compare.
 */
#include "core/version/version.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_str a, b;
	struct vg_err err;
	int cmp;
	int valid;

	fuzz_compare_properties(vg_apk_compare, data, size);
	fuzz_split(data, size, &a, &b);
	valid = vg_apk_validate(a, &err) == 0 && vg_apk_validate(b, &err) == 0;
	if (valid) {
		fuzz_require(vg_apk_compare(a, b, &cmp, &err) == 0, "valid versions refused");
		fuzz_require(vg_apk_compare_fuzzy(a, b, &cmp, &err) == 0,
			     "valid versions refused by the fuzzy compare");
	}
	return 0;
}
