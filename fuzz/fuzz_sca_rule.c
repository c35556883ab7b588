/* fuzz_sca_rule.c - placeholder: the Wazuh SCA rule parser is being written (issue 6). */
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
