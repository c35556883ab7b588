/*
 * fuzz_feed_cve5.c - the CVE JSON 5 importer (src/feeds/cve5.c) on
 * arbitrary bytes, with a sink that checks every record and the
 * begin()/end() protocol (fuzz_vuln_sink.h); the probes score the head.
 *
 * Seeds: the CVE JSON 5 records of ../shared/data/nvd/cve-json-5, whole
 * and as a two-record array (see docs/feeds/nvd.md).
 */
#include "feeds/importers.h"
#include "fuzz_common.h"
#include "fuzz_vuln_sink.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vg_importer *const probes[] = {&vg_imp_cve5, &vg_imp_nvd_api2,
							   &vg_imp_nvd_feed11};

	fuzz_vsink_run(&vg_imp_cve5, "cve5", data, size);
	fuzz_vsink_probe(probes, 3, data, size);
	return 0;
}
