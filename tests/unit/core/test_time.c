/*
 * test_time.c - ISO 8601 date-times as the feeds write them (core/time.h).
 * Expected values computed with `date -u -d ... +%s`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/time.h"

static int64_t
parse(const char *s)
{
	int64_t t = -1;

	assert_int_equal(vg_time_parse_iso(s, &t), VG_OK);
	return t;
}

static void
test_formats(void **state)
{
	(void)state;
	/* NVD API 2.0 ("2014-11-24T15:59:00.090", no zone), OSV ("...Z"), KEV (date only). */
	assert_int_equal(parse("2014-11-24T15:59:00.090"), 1416844740);
	assert_int_equal(parse("2021-07-02T02:41:33.423322Z"), 1625193693);
	assert_int_equal(parse("2021-12-10"), 1639094400);
	assert_int_equal(parse("2021-12-10T00:00Z"), 1639094400);
	assert_int_equal(parse("2021-12-10 01:02:03"), 1639098123);
	assert_int_equal(parse("1970-01-01T00:00:00Z"), 0);
	/* Offsets east of UTC are subtracted. */
	assert_int_equal(parse("2021-12-10T02:00:00+02:00"), 1639094400);
	assert_int_equal(parse("2021-12-09T19:00:00-05:00"), 1639094400);
	/* Leap day. */
	assert_int_equal(parse("2024-02-29T12:00:00Z"), 1709208000);
}

static void
test_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"2021",
		"2021-13-01",
		"2021-00-10",
		"2021-12-32",
		"21-12-10",
		"2021-12-10T",
		"2021-12-10T25:00",
		"2021-12-10T10:61",
		"2021-12-10T10:00:00.",
		"2021-12-10T10:00:00X",
		"2021-12-10T10:00+2",
		"2021/12/10",
		"2021-12-10T10:00:00+02:00 ",
	};
	int64_t t;

	(void)state;
	assert_int_equal(vg_time_parse_iso(NULL, &t), VG_EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vg_time_parse_iso(bad[i], &t) != VG_EINVAL)
			fail_msg("'%s' accepted", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
