/*
 * fuzz_cvss.c - libFuzzer target for CVSS vector parsing and scoring.
 * Input: a vector string.  A vector that parses must have scores in
 * [0, 10] on the one-decimal grid.
 */
#include <math.h>

#include "core/cvss.h"
#include "fuzz_common.h"

static void
check_score(double s)
{
	fuzz_require(s >= 0.0 && s <= 10.0, "score outside [0, 10]");
	fuzz_require(fabs(s * 10.0 - round(s * 10.0)) < 1e-6, "score not rounded to one decimal");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_cvss cvss;
	struct vg_err err;

	if (vg_cvss_parse(vg_str_n((const char *)data, size), &cvss, &err) < 0) {
		fuzz_require(err.msg[0] != '\0', "error without a message");
		return 0;
	}
	check_score(cvss.base);
	check_score(cvss.temporal);
	check_score(cvss.environmental);
	fuzz_require(vg_severity_name(vg_cvss_severity(cvss.version, cvss.base)) != NULL,
		     "no severity name");
	return 0;
}
