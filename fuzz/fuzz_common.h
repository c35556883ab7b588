/*
 * fuzz_common.h - shared checks for the libFuzzer targets.
 *
 * Besides "no crash, no leak, no UB" (ASan+UBSan), the comparator targets
 * check properties every total order has, so the fuzzer also hunts for
 * logic bugs: comparing a valid version with itself gives 0, swapping the
 * operands negates the result, and a pair either parses on both orders or
 * on neither.  A violation aborts, which libFuzzer reports as a crash with
 * the offending input saved.
 */
#ifndef VG_FUZZ_COMMON_H
#define VG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/str.h"

typedef int (*fuzz_compare_fn)(struct vg_str a, struct vg_str b, int *cmp, struct vg_err *err);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Split the input at its first newline into two operands (the second may be empty). */
static inline void
fuzz_split(const uint8_t *data, size_t size, struct vg_str *a, struct vg_str *b)
{
	const char *p = (const char *)data;
	size_t i = 0;

	while (i < size && p[i] != '\n')
		i++;
	*a = vg_str_n(p, i);
	*b = i < size ? vg_str_n(p + i + 1, size - i - 1) : vg_str_n(p + size, 0);
}

static inline void
fuzz_require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz property violated: %s\n", what);
		abort();
	}
}

/* Run @fn on the two operands in both orders and on each with itself. */
static inline void
fuzz_compare_properties(fuzz_compare_fn fn, const uint8_t *data, size_t size)
{
	struct vg_str a, b;
	struct vg_err err;
	int ab = 9, ba = 9, aa = 9;
	int rc1, rc2, rc3;

	fuzz_split(data, size, &a, &b);
	rc1 = fn(a, b, &ab, &err);
	rc2 = fn(b, a, &ba, &err);
	fuzz_require((rc1 == 0) == (rc2 == 0), "validity depends on operand order");
	if (rc1 == 0) {
		fuzz_require(ab >= -1 && ab <= 1, "result outside -1..1");
		fuzz_require(ab == -ba, "compare(a, b) != -compare(b, a)");
	} else {
		fuzz_require(err.msg[0] != '\0', "error without a message");
	}
	rc3 = fn(a, a, &aa, &err);
	if (rc3 == 0)
		fuzz_require(aa == 0, "compare(a, a) != 0");
}

#endif /* VG_FUZZ_COMMON_H */
