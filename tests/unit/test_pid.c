/*
 * kinds/pid.c: pidfile_parse, pid_parse as check_parse() reaches it,
 * pid_decide() fed recorded stat lines, and pid: and pidfile: checks run on
 * this process, its zombie child, its thread and the pidfile-* fixtures.
 */
#include "fixture.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "opts.h"
#include "kind.h"
#include "run.h"
#include "kinds/pid.h"

#define LEN(s) (sizeof(s) - 1)
#define BYTES(s) s, LEN(s)

/* ---- pidfile_parse ---- */

static void pidfile_parse_first_line_blanks_and_ranges(void **state)
{
	static const struct {
		const char *name;
		const char *buf;
		size_t len;
		enum pidfile_error ret;
		long long pid;          /* checked when OK, and for RANGE when it fits */
	} rows[] = {
		{ "\"1234\\n\"", BYTES("1234\n"), PIDFILE_OK, 1234 },
		{ "\"1234\" without newline", BYTES("1234"), PIDFILE_OK, 1234 },
		{ "\"  1234  \\r\\n\"", BYTES("  1234  \r\n"), PIDFILE_OK, 1234 },
		{ "\"\\t1234\\t\\n\"", BYTES("\t1234\t\n"), PIDFILE_OK, 1234 },
		{ "\"1234\\nsecond line\"", BYTES("1234\nsecond line"), PIDFILE_OK, 1234 },
		{ "\"1234\\n5678\\n\"", BYTES("1234\n5678\n"), PIDFILE_OK, 1234 },
		{ "\"1\"", BYTES("1"), PIDFILE_OK, 1 },
		{ "\"4194304\"", BYTES("4194304"), PIDFILE_OK, 4194304 },
		{ "\"+7\"", BYTES("+7"), PIDFILE_OK, 7 },
		{ "\"0007\"", BYTES("0007"), PIDFILE_OK, 7 },
		{ "\"\"", BYTES(""), PIDFILE_EMPTY, 0 },
		{ "\"\\n\"", BYTES("\n"), PIDFILE_EMPTY, 0 },
		{ "\"  \\r\\n\"", BYTES("  \r\n"), PIDFILE_EMPTY, 0 },
		{ "\"\\n1234\\n\"", BYTES("\n1234\n"), PIDFILE_EMPTY, 0 },
		{ "\"abc\"", BYTES("abc"), PIDFILE_GARBAGE, 0 },
		{ "\"12ab\"", BYTES("12ab"), PIDFILE_GARBAGE, 0 },
		{ "\"12 34\"", BYTES("12 34"), PIDFILE_GARBAGE, 0 },
		{ "\"-\"", BYTES("-"), PIDFILE_GARBAGE, 0 },
		{ "\"+\"", BYTES("+"), PIDFILE_GARBAGE, 0 },
		{ "\"--5\"", BYTES("--5"), PIDFILE_GARBAGE, 0 },
		{ "\"0x10\"", BYTES("0x10"), PIDFILE_GARBAGE, 0 },
		{ "\"12\\0\"", BYTES("12\0"), PIDFILE_GARBAGE, 0 },
		{ "\"0\"", BYTES("0"), PIDFILE_RANGE, 0 },
		{ "\"-0\"", BYTES("-0"), PIDFILE_RANGE, 0 },
		{ "\"-5\"", BYTES("-5"), PIDFILE_RANGE, -5 },
		{ "\"4194305\"", BYTES("4194305"), PIDFILE_RANGE, 4194305 },
		{ "\"9223372036854775807\"", BYTES("9223372036854775807"), PIDFILE_RANGE, 9223372036854775807LL },
		{ "\"99999999999999999999999\"", BYTES("99999999999999999999999"), PIDFILE_RANGE, 0 },
		{ "\"-9223372036854775808\"", BYTES("-9223372036854775808"), PIDFILE_RANGE, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		long long pid = 31337;
		enum pidfile_error e = pidfile_parse(rows[i].buf, rows[i].len, &pid);

		ROW_INT(rows[i].name, e, rows[i].ret);
		if (rows[i].ret == PIDFILE_OK || (rows[i].ret == PIDFILE_RANGE && rows[i].pid))
			ROW_INT(rows[i].name, pid, rows[i].pid);
	}
}

static void pidfile_parse_fixtures(void **state)
{
	static const struct {
		const char *fixture;
		enum pidfile_error ret;
	} rows[] = {
		{ "pidfile-valid", PIDFILE_OK },
		{ "pidfile-crlf-blanks", PIDFILE_OK },
		{ "pidfile-empty", PIDFILE_EMPTY },
		{ "pidfile-blank-first-line", PIDFILE_EMPTY },
		{ "pidfile-garbage", PIDFILE_GARBAGE },
		{ "pidfile-long-garbage", PIDFILE_GARBAGE },
		{ "pidfile-zero", PIDFILE_RANGE },
		{ "pidfile-huge", PIDFILE_RANGE },
	};
	char buf[PIDFILE_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t len = fixture_load(rows[i].fixture, buf, sizeof(buf));
		long long pid = 0;

		ROW_INT(rows[i].fixture, pidfile_parse(buf, len, &pid), rows[i].ret);
		if (rows[i].ret == PIDFILE_OK)
			ROW_INT(rows[i].fixture, pid, 4242);
	}
}

/* ---- pid_run ---- */

/* ---- pid_parse, as check_parse() reaches it ---- */

static void check_parse_pid_and_pidfile(void **state)
{
	struct check c;
	struct line err;

	(void)state;
	assert_int_equal(check_parse("pid:1", &c, &err), 0);
	assert_ptr_equal(c.kind, &kind_pid);
	assert_int_equal(STATE(pid, &c)->pid, 1);
	assert_int_equal(check_parse("pid:4194304", &c, &err), 0);
	assert_int_equal(STATE(pid, &c)->pid, PID_MAX_LIMIT);
	assert_int_equal(check_parse("pid:00042", &c, &err), 0);
	assert_int_equal(STATE(pid, &c)->pid, 42);
	assert_int_equal(check_parse("pidfile:/run/nginx.pid", &c, &err), 0);
	assert_ptr_equal(c.kind, &kind_pidfile);
	assert_int_equal(c.arg_len, strlen("/run/nginx.pid"));
	assert_memory_equal(c.arg, "/run/nginx.pid", c.arg_len);
	/* The path is the rest of the argument, colons, commas and spaces included. */
	assert_int_equal(check_parse("pidfile:run/a b:c,min=1", &c, &err), 0);
	assert_int_equal(c.arg_len, strlen("run/a b:c,min=1"));
}

static struct check *run(const char *spec)
{
	static struct check c;
	struct line err;

	if (check_parse(spec, &c, &err))
		fail_msg("check_parse(\"%s\"): %.*s", spec, (int)err.len, err.buf);
	checks_run(&c, 1, false, 800);
	return &c;
}

static void assert_why(const struct check *c, enum verdict v, const char *why)
{
	if (c->verdict != v || c->why.len != strlen(why) || memcmp(c->why.buf, why, c->why.len))
		fail_msg("%s: verdict %d \"%.*s\", want %d \"%s\"", c->spec, c->verdict, (int)c->why.len, c->why.buf,
			 v, why);
}

/* A child that sleeps until killed: a process that runs, and is not healthy (this test) itself. */
static pid_t sleeper(void)
{
	pid_t child = fork();
	char path[64], buf[512], *p;
	int i;

	assert_true(child >= 0);
	if (child == 0) {
		for (;;)
			pause();
	}
	/* Until it sleeps: "R" right after fork would make the expected line a race. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
	for (i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p && p[2] == 'S')
			break;
		usleep(1000);
	}
	return child;
}

static void reap(pid_t child)
{
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

static void pid_run_a_sleeping_child_passes_with_its_name(void **state)
{
	char spec[64], why[96];
	pid_t child = sleeper();

	(void)state;
	snprintf(spec, sizeof(spec), "pid:%d", (int)child);
	snprintf(why, sizeof(why), "ok: running (pid %d S, test_pid)", (int)child);
	assert_why(run(spec), VERDICT_PASS, why);
	snprintf(spec, sizeof(spec), "pid:%d,name=test_pid", (int)child);
	assert_why(run(spec), VERDICT_PASS, why);
	snprintf(spec, sizeof(spec), "pid:%d,name=test_*", (int)child);
	assert_why(run(spec), VERDICT_PASS, why);
	snprintf(spec, sizeof(spec), "pid:%d,name=nginx", (int)child);
	assert_why(run(spec), VERDICT_FAIL, "is test_pid, not nginx");
	reap(child);
}

/* healthy's own PID passes nothing: a pid file's writer is gone, whoever holds its PID now. */
static void pid_run_self_fails_is_healthy_itself(void **state)
{
	char spec[32];

	(void)state;
	snprintf(spec, sizeof(spec), "pid:%d", (int)getpid());
	assert_why(run(spec), VERDICT_FAIL, "is healthy itself (test_pid), not the service");
}

static void pid_run_zombie_child_fails_not_running_zombie(void **state)
{
	char spec[32];
	siginfo_t info;
	pid_t child;
	int status;

	(void)state;
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	/* Wait until it has exited, without reaping it. */
	assert_int_equal(waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT), 0);
	snprintf(spec, sizeof(spec), "pid:%d", (int)child);
	assert_why(run(spec), VERDICT_FAIL, "not running (zombie, test_pid)");
	assert_int_equal(waitpid(child, &status, 0), child);
	/* Reaped, the PID is free: not running (no PID reuse this soon). */
	assert_why(run(spec), VERDICT_FAIL, "not running");
}

static void *park(void *arg)
{
	pid_t *tid = arg;

	*tid = (pid_t)syscall(SYS_gettid);
	pause();
	return NULL;
}

static void pid_run_thread_id_fails_is_a_thread(void **state)
{
	static volatile pid_t tid;
	char spec[32], why[96];
	pthread_t t;

	(void)state;
	tid = 0;
	assert_int_equal(pthread_create(&t, NULL, park, (void *)&tid), 0);
	while (!tid)
		usleep(1000);
	snprintf(spec, sizeof(spec), "pid:%d", (int)tid);
	snprintf(why, sizeof(why), "is a thread of process %d, not a process", (int)getpid());
	assert_why(run(spec), VERDICT_FAIL, why);
	pthread_cancel(t);
	pthread_join(t, NULL);
}

static void pid_run_pidfile_of_a_child_passes_of_itself_fails(void **state)
{
	char path[] = "/tmp/healthy-test-pid-XXXXXX", spec[64], why[96];
	pid_t child = sleeper();
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	dprintf(fd, "%d\n", (int)child);
	snprintf(spec, sizeof(spec), "pidfile:%s", path);
	snprintf(why, sizeof(why), "ok: running (pid %d S, test_pid)", (int)child);
	assert_why(run(spec), VERDICT_PASS, why);
	snprintf(spec, sizeof(spec), "pidfile:%s,name=nginx", path);
	snprintf(why, sizeof(why), "pid %d is test_pid, not nginx", (int)child);
	assert_why(run(spec), VERDICT_FAIL, why);
	reap(child);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(pwrite(fd, spec, (size_t)snprintf(spec, sizeof(spec), "%d\n", (int)getpid()), 0) > 0, 1);
	close(fd);
	snprintf(spec, sizeof(spec), "pidfile:%s", path);
	snprintf(why, sizeof(why), "pid %d is healthy itself (test_pid), not the service", (int)getpid());
	assert_why(run(spec), VERDICT_FAIL, why);
	unlink(path);
}

static void pid_run_pidfile_beyond_pid_max_says_so(void **state)
{
	char path[] = "/tmp/healthy-test-pid-XXXXXX", spec[64], why[96];
	long pid_max = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	int fd;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld", &pid_max), 1);
	fclose(f);
	if (pid_max >= PID_MAX_LIMIT)
		skip();
	fd = mkstemp(path);
	assert_true(fd >= 0);
	dprintf(fd, "%ld\n", pid_max + 1);
	close(fd);
	snprintf(spec, sizeof(spec), "pidfile:%s", path);
	snprintf(why, sizeof(why), "pid %ld not running (beyond pid_max %ld)", pid_max + 1, pid_max);
	assert_why(run(spec), VERDICT_FAIL, why);
	unlink(path);
}

static void pid_run_bad_pidfiles_fail_with_reason(void **state)
{
	static const struct {
		const char *path;       /* under FIXTURES */
		const char *why;
	} rows[] = {
		{ "/pidfile-empty", "empty file" },
		{ "/pidfile-blank-first-line", "no pid on the first line" },
		{ "/pidfile-garbage", "not a pid: \"abc\"" },
		{ "/pidfile-long-garbage", "not a pid: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"" },
		{ "/pidfile-zero", "pid out of range (1-4194304): \"0\"" },
		{ "/pidfile-huge", "pid out of range (1-4194304): \"99999999999999999999999\"" },
		{ "/no-such-pidfile", "no pid file at " FIXTURES "/no-such-pidfile" },
		{ "/pidfile-empty/x", "no pid file at " FIXTURES "/pidfile-empty/x" },
		{ "", "not a regular file" },   /* the fixtures directory itself */
	};
	static char spec[PATH_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(spec, sizeof(spec), "pidfile:%s%s", FIXTURES, rows[i].path);
		assert_why(run(spec), VERDICT_FAIL, rows[i].why);
	}
}

/* ---- pid_outcome ---- */

/* The state and start time of a process as its recorded stat line gives them (tests/fixtures/stat-real-*). */
static struct pid_facts recorded(const char *fixture)
{
	static char buf[STAT_SIZE];
	struct proc_stat st;
	size_t len = fixture_load(fixture, buf, sizeof(buf));

	assert_int_equal(stat_parse(buf, len, &st), 0);
	return (struct pid_facts){ .tgid = -1, .state = st.state, .start = st.starttime };
}

static void pid_outcome_from_recorded_processes(void **state)
{
	static const struct {
		const char *fixture;
		pid_t tgid;
		enum lineage_kind lineage;
		bool other_name;
		enum pid_outcome want;
	} rows[] = {
		{ "stat-real-sleep", -1, LINEAGE_NONE, false, PID_RUNNING },
		{ "stat-real-sleep", 42, LINEAGE_NONE, false, PID_RUNNING },
		{ "stat-real-kworker-long", -1, LINEAGE_NONE, false, PID_RUNNING },
		{ "stat-real-zombie", -1, LINEAGE_NONE, false, PID_NOT_RUNNING },
		{ "stat-real-zombie-leader", -1, LINEAGE_NONE, false, PID_NOT_RUNNING },
		/* In this order: a thread, healthy's own, another name, then the state. */
		{ "stat-real-sleep", 7, LINEAGE_SELF, true, PID_THREAD },
		{ "stat-real-sleep", 0, LINEAGE_NONE, false, PID_THREAD },
		{ "stat-real-zombie", -1, LINEAGE_SELF, true, PID_SELF },
		{ "stat-real-sleep", 42, LINEAGE_ANCESTOR, false, PID_ANCESTOR },
		{ "stat-real-zombie", -1, LINEAGE_NONE, true, PID_OTHER_NAME },
		{ "stat-real-sleep", -1, LINEAGE_NONE, true, PID_OTHER_NAME },
	};
	struct pid_check p;
	size_t i;

	(void)state;
	memset(&p, 0, sizeof(p));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct pid_facts f = recorded(rows[i].fixture);

		f.tgid = rows[i].tgid;
		f.lineage = rows[i].lineage;
		f.other_name = rows[i].other_name;
		ROW_INT(rows[i].fixture, pid_decide(&p, false, 42, &f), rows[i].want);
		ROW_INT(rows[i].fixture, pid_decide(&p, true, 42, &f), rows[i].want);
	}
}

/* --watch: once seen, the process is (pid, start time); without --watch a pass is a pass. */
static void pid_outcome_watch_holds_to_the_process_seen(void **state)
{
	struct pid_facts f = recorded("stat-real-sleep");
	struct pid_check p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(pid_decide(&p, true, 42, &f), PID_RUNNING);
	p.seen_pid = 42;
	p.seen_start = f.start;
	assert_int_equal(pid_decide(&p, true, 42, &f), PID_RUNNING);
	/* A pid file that names another process now. */
	assert_int_equal(pid_decide(&p, true, 43, &f), PID_NOT_WATCHED);
	assert_int_equal(pid_decide(&p, false, 43, &f), PID_RUNNING);
	/* The same PID, another process: another start time. */
	p.seen_start = f.start + 1;
	assert_int_equal(pid_decide(&p, true, 42, &f), PID_REUSED);
	assert_int_equal(pid_decide(&p, false, 42, &f), PID_RUNNING);
	/* Dead is dead, whoever it was. */
	f = recorded("stat-real-zombie");
	assert_int_equal(pid_decide(&p, true, 42, &f), PID_NOT_RUNNING);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(pid_outcome_from_recorded_processes),
		cmocka_unit_test(pid_outcome_watch_holds_to_the_process_seen),
		cmocka_unit_test(check_parse_pid_and_pidfile),
		cmocka_unit_test(pidfile_parse_first_line_blanks_and_ranges),
		cmocka_unit_test(pidfile_parse_fixtures),
		cmocka_unit_test(pid_run_a_sleeping_child_passes_with_its_name),
		cmocka_unit_test(pid_run_self_fails_is_healthy_itself),
		cmocka_unit_test(pid_run_zombie_child_fails_not_running_zombie),
		cmocka_unit_test(pid_run_thread_id_fails_is_a_thread),
		cmocka_unit_test(pid_run_pidfile_of_a_child_passes_of_itself_fails),
		cmocka_unit_test(pid_run_pidfile_beyond_pid_max_says_so),
		cmocka_unit_test(pid_run_bad_pidfiles_fail_with_reason),
	};

	return cmocka_run_group_tests_name("pid", tests, NULL, NULL);
}
