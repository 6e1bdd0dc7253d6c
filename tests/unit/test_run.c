/*
 * run.c: checks_report's exit code, streams and output budget. stdout and
 * stderr are pipes while checks_report() runs.
 */
#include "fixture.h"

#include <signal.h>
#include <stdbool.h>

#include "opts.h"
#include "kind.h"
#include "run.h"
#include "exitcode.h"

#define LEN(s) (sizeof(s) - 1)

struct captured {
	char out[8192], err[8192];
	size_t out_len, err_len;
};

static size_t drain(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t r;

	while (got < size - 1 && (r = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)r;
	buf[got] = '\0';
	return got;
}

/* Runs checks_report() with stdout and stderr on pipes; close_stdout makes writes to stdout fail. */
static int report(const struct check *checks, size_t n, bool verbose, bool quiet, bool close_stdout,
		  struct captured *cap)
{
	int out[2], err[2], saved_out, saved_err, r;
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	fflush(stdout);
	fflush(stderr);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	dup2(out[1], STDOUT_FILENO);
	dup2(err[1], STDERR_FILENO);
	close(out[1]);
	close(err[1]);
	if (close_stdout)
		close(out[0]);
	r = checks_report(checks, n, verbose, quiet);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	signal(SIGPIPE, old);
	cap->out_len = close_stdout ? 0 : drain(out[0], cap->out, sizeof(cap->out));
	cap->err_len = drain(err[0], cap->err, sizeof(cap->err));
	if (!close_stdout)
		close(out[0]);
	close(err[0]);
	return r;
}

static void set(struct check *c, const char *spec, enum verdict v, const char *why)
{
	struct line err;

	if (check_parse(spec, c, &err))
		fail_msg("check_parse(\"%s\"): %.*s", spec, (int)err.len, err.buf);
	c->verdict = v;
	line_reset(&c->why);
	line_str(&c->why, why);
}

static void checks_report_exit_code_fail_1_error_or_unknown_3_else_0(void **state)
{
	static const struct {
		const char *name;
		enum verdict v[3];
		size_t n;
		int exit;
	} rows[] = {
		{ "one pass", { VERDICT_PASS }, 1, EXIT_HEALTHY },
		{ "three passes", { VERDICT_PASS, VERDICT_PASS, VERDICT_PASS }, 3, EXIT_HEALTHY },
		{ "one fail", { VERDICT_FAIL }, 1, EXIT_UNHEALTHY },
		{ "pass, fail", { VERDICT_PASS, VERDICT_FAIL }, 2, EXIT_UNHEALTHY },
		{ "one error", { VERDICT_ERROR }, 1, EXIT_CANNOT_CHECK },
		{ "pass, error", { VERDICT_PASS, VERDICT_ERROR }, 2, EXIT_CANNOT_CHECK },
		/* The service is down whatever else could not be checked. */
		{ "error, fail", { VERDICT_ERROR, VERDICT_FAIL }, 2, EXIT_UNHEALTHY },
		/* A check nobody ran never passes. */
		{ "unknown", { VERDICT_UNKNOWN }, 1, EXIT_CANNOT_CHECK },
		{ "pass, unknown", { VERDICT_PASS, VERDICT_UNKNOWN }, 2, EXIT_CANNOT_CHECK },
	};
	static struct check checks[3];
	struct captured cap;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (j = 0; j < rows[i].n; j++)
			set(&checks[j], "pid:1", rows[i].v[j], "why");
		ROW_INT(rows[i].name, report(checks, rows[i].n, false, true, false, &cap), rows[i].exit);
		/* -q prints nothing. */
		ROW_INT(rows[i].name, cap.out_len + cap.err_len, 0);
	}
}

static void checks_report_failures_on_stderr_passes_on_stdout_only_verbose(void **state)
{
	static struct check checks[3];
	struct captured cap;

	(void)state;
	set(&checks[0], "proc:nginx", VERDICT_PASS, "ok: 2 running (pids 41 S, 97 S)");
	set(&checks[1], "pid:42", VERDICT_FAIL, "not running");
	set(&checks[2], "pidfile:/run/x.pid", VERDICT_ERROR, "open /run/x.pid: permission denied");

	assert_int_equal(report(checks, 3, false, false, false, &cap), EXIT_UNHEALTHY);
	assert_string_equal(cap.out, "");
	assert_string_equal(cap.err, "healthy: pid:42: not running\nhealthy: pidfile:/run/x.pid: open /run/x.pid: permission denied\n");

	assert_int_equal(report(checks, 3, true, false, false, &cap), EXIT_UNHEALTHY);
	assert_string_equal(cap.out, "healthy: proc:nginx: ok: 2 running (pids 41 S, 97 S)\n");
	assert_string_equal(cap.err, "healthy: pid:42: not running\nhealthy: pidfile:/run/x.pid: open /run/x.pid: permission denied\n");
}

static void checks_report_failed_stdout_write_is_exit_3(void **state)
{
	static struct check checks[1];
	struct captured cap;

	(void)state;
	set(&checks[0], "pid:1", VERDICT_PASS, "ok: running (pid 1 S)");
	assert_int_equal(report(checks, 1, false, false, true, &cap), EXIT_HEALTHY);
	/* With -v the pass line must reach stdout: when it cannot, healthy could not report. */
	assert_int_equal(report(checks, 1, true, false, true, &cap), EXIT_CANNOT_CHECK);
}

/* Runs last: line_bytes_written() only grows, and later output would fall under the budget. */
static void checks_report_stops_short_of_4_kib_and_counts_the_rest(void **state)
{
	static struct check checks[MAX_CHECKS];
	static char why[200];
	struct captured cap;
	size_t i, line_len = LEN("healthy: pid:1: ") + sizeof(why) - 1 + 1, before = line_bytes_written();
	size_t shown = 0, told;
	char tail[64];

	(void)state;
	memset(why, 'w', sizeof(why) - 1);
	for (i = 0; i < MAX_CHECKS; i++)
		set(&checks[i], "pid:1", VERDICT_FAIL, why);
	while (before + (shown + 1) * line_len <= 3900)
		shown++;
	assert_int_equal(report(checks, MAX_CHECKS, false, false, false, &cap), EXIT_UNHEALTHY);
	snprintf(tail, sizeof(tail), "healthy: and %zu more lines not shown\n", MAX_CHECKS - shown);
	told = strlen(tail);
	assert_int_equal(cap.err_len, shown * line_len + told);
	assert_memory_equal(cap.err + shown * line_len, tail, told);
	assert_true(cap.err_len < 4096);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(checks_report_exit_code_fail_1_error_or_unknown_3_else_0),
		cmocka_unit_test(checks_report_failures_on_stderr_passes_on_stdout_only_verbose),
		cmocka_unit_test(checks_report_failed_stdout_write_is_exit_3),
		cmocka_unit_test(checks_report_stops_short_of_4_kib_and_counts_the_rest),
	};

	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
