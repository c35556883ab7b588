/* Placeholder: the tests of this module are being written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

static void
not_written_yet(void **state)
{
	(void)state;
	skip();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(not_written_yet)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
