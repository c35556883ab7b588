/*
 * fuzz_feed_debian_list.c - libFuzzer target for the Debian security
 * tracker's text lists (src/feeds/debian_list.c): the DSA/DLA list
 * importer and the data/CVE/list importer both read every input, and both
 * probes look at it.
 *
 * Besides "no crash, no leak, no UB", the sink checks what the importers
 * promise the store: begin() once before any record and end() once after
 * the last, with the number of records handed over; every record has an
 * id; every statement names its vulnerability, a "debian:" namespace and a
 * source package, uses the dpkg scheme, and carries a fixed version (one
 * the dpkg comparator accepts) exactly when its status is FIXED; a failed
 * import says why.
 */
#include <string.h>

#include "feeds/feed.h"
#include "feeds/importers.h"
#include "fuzz_common.h"
#include "fuzz_feed_debian.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_debian_probe(&vg_imp_debian_list, data, size);
	fuzz_debian_probe(&vg_imp_debian_cve_list, data, size);
	fuzz_debian_import(&vg_imp_debian_list, data, size);
	fuzz_debian_import(&vg_imp_debian_cve_list, data, size);
	return 0;
}
