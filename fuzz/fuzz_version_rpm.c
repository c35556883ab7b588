/*
 * fuzz_version_rpm.c - libFuzzer target for the rpm comparators.
 * Input: two EVRs separated by a newline.  Checks the full EVR comparison
 * and the raw rpmvercmp(), which is total and must be antisymmetric.
 */
#include "core/version/version.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_str a, b;

	fuzz_compare_properties(vg_rpm_compare, data, size);
	fuzz_split(data, size, &a, &b);
	fuzz_require(vg_rpmvercmp(a, b) == -vg_rpmvercmp(b, a), "rpmvercmp not antisymmetric");
	fuzz_require(vg_rpmvercmp(a, a) == 0, "rpmvercmp(a, a) != 0");
	return 0;
}
