/*
 * fuzz_feed_nvd.c - the NVD API 2.0 and NVD 1.1 importers (src/feeds/nvd.c)
 * on arbitrary bytes, with a sink that checks every record and the
 * begin()/end() protocol (fuzz_vuln_sink.h).  Both importers see every
 * input, and all three NVD/CVE probes score its head.
 *
 * Seeds: whole small files of ../shared/data/nvd and single records cut
 * out of the big ones (see the seed commands in docs/feeds/nvd.md).
 */
#include "feeds/importers.h"
#include "fuzz_common.h"
#include "fuzz_vuln_sink.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vg_importer *const probes[] = {&vg_imp_nvd_api2, &vg_imp_nvd_feed11,
							   &vg_imp_cve5};

	fuzz_vsink_run(&vg_imp_nvd_api2, "nvd", data, size);
	fuzz_vsink_run(&vg_imp_nvd_feed11, "nvd", data, size);
	fuzz_vsink_probe(probes, 3, data, size);
	return 0;
}
