/*
 * watch.c: watch_count, what --watch makes of each run -- failing runs in a
 * row per check, when the watch ends, when a retry comes sooner. The rest of
 * watch.c (pidfds, signals, COMMAND) is driven with real processes by
 * tests/integration/t_watch.sh.
 */
#include "fixture.h"

#include <stdbool.h>

#include "watch.h"

/* P pass, F fail, E cannot check, '.' did not run: one letter per run. */
static enum verdict verdict_of(char v)
{
	return v == 'P' ? VERDICT_PASS : v == 'F' ? VERDICT_FAIL : VERDICT_ERROR;
}

/*
 * Runs one check through the letters of runs with --retries retries; returns
 * at which run (1-based) the watch ends, 0 if it does not, and the runs at
 * which a retry came sooner, as a string of '1' and '0'.
 */
static size_t ends_at(const char *runs, unsigned retries, char *soon_at)
{
	struct check c;
	unsigned fails = 0;
	size_t i;

	memset(&c, 0, sizeof(c));
	for (i = 0; runs[i]; i++) {
		bool ran = runs[i] != '.', soon, stop;

		c.verdict = verdict_of(runs[i]);
		stop = watch_count(&c, 1, &ran, retries, &fails, &soon);
		soon_at[i] = soon ? '1' : '0';
		soon_at[i + 1] = '\0';
		if (stop)
			return i + 1;
	}
	return 0;
}

static void watch_count_ends_after_retries_failures_in_a_row(void **state)
{
	static const struct {
		const char *runs;
		unsigned retries;
		size_t ends;
		const char *soon;
	} rows[] = {
		{ "PPPF", 1, 4, "0001" },
		{ "PPPP", 1, 0, "0000" },
		{ "FFF", 3, 3, "100" },
		/* A pass starts the count again. */
		{ "FFPFFPFFF", 3, 9, "100100100" },
		/* A run that could not check (exit 3) is no evidence: the count stands. */
		{ "FEFEF", 3, 5, "11000" },
		{ "EEEEEE", 1, 0, "000000" },
		/* A run the check was not part of (another check's pid died) leaves its count. */
		{ "F.F.F", 3, 5, "10000" },
		{ "FFFFFFFFF", 1000, 0, "100000000" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char soon[32];

		ROW_INT(rows[i].runs, ends_at(rows[i].runs, rows[i].retries, soon), rows[i].ends);
		ROW_MEM(rows[i].runs, soon, strlen(soon), rows[i].soon, strlen(rows[i].soon));
	}
}

/* Each check counts on its own: one check's failure is not another's. */
static void watch_count_keeps_a_count_per_check(void **state)
{
	struct check c[3];
	unsigned fails[3] = { 0, 0, 0 };
	bool ran[3] = { true, true, true }, soon;
	int run;

	(void)state;
	memset(c, 0, sizeof(c));
	/* Check 0 and 1 fail in turns, check 2 passes: with --retries 2 none has two in a row. */
	for (run = 0; run < 6; run++) {
		c[0].verdict = run % 2 ? VERDICT_FAIL : VERDICT_PASS;
		c[1].verdict = run % 2 ? VERDICT_PASS : VERDICT_FAIL;
		c[2].verdict = VERDICT_PASS;
		assert_false(watch_count(c, 3, ran, 2, fails, &soon));
		assert_true(soon);
	}
	c[0].verdict = VERDICT_FAIL;
	c[1].verdict = VERDICT_PASS;
	assert_true(watch_count(c, 3, ran, 2, fails, &soon));
	assert_int_equal(fails[0], 2);
	assert_int_equal(fails[1], 0);
	assert_int_equal(fails[2], 0);
	assert_false(soon);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(watch_count_ends_after_retries_failures_in_a_row),
		cmocka_unit_test(watch_count_keeps_a_count_per_check),
	};

	return cmocka_run_group_tests_name("watch", tests, NULL, NULL);
}
