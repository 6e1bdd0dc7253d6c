/*
 * lib/clock.c: clock_ms, the monotonic milliseconds every deadline is
 * measured on: it never goes back, and it moves with time slept.
 */
#include "fixture.h"

#include <time.h>

#include "lib/clock.h"

static void clock_ms_never_goes_back_and_counts_a_sleep(void **state)
{
	struct timespec ts = { 0, 20 * 1000000 };
	uint64_t a, b, c;
	int i;

	(void)state;
	a = clock_ms();
	for (i = 0; i < 100000; i++) {
		b = clock_ms();
		assert_true(b >= a);
		a = b;
	}
	while (nanosleep(&ts, &ts))
		;
	c = clock_ms();
	/* At least the 20ms slept; no upper bound: a loaded machine may sleep longer. */
	assert_true(c - b >= 20);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(clock_ms_never_goes_back_and_counts_a_sleep),
	};

	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
