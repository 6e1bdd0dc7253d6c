/*
 * lib/confine.c: the seccomp filter and the watchdog, each in a forked child
 * (a filter cannot be taken off, and the watchdog ends its process). The
 * child reports what it saw as a byte per finding over its exit status;
 * the parent asserts.
 */
#include "fixture.h"

#include <netinet/in.h>
#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "opts.h"
#include "check.h"
#include "lib/confine.h"
#include "exitcode.h"
#include "lib/line.h"

#ifndef NETLINK_SOCK_DIAG
#define NETLINK_SOCK_DIAG 4
#endif

/* Runs fn in a child; its exit status, or 128 + signal. An alarm stops a child that hangs. */
static int in_child(int (*fn)(void), int err_fd)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(10);
		if (err_fd >= 0)
			dup2(err_fd, STDERR_FILENO);
		_exit(fn());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* 0 when the call failed with ENOSYS, the filter's answer; else a code that says which did not. */
static int denied(long r, int code)
{
	return r == -1 && errno == ENOSYS ? 0 : code;
}

static int status_has(const char *want)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	close(fd);
	return strstr(buf, want) != NULL;
}

static int confined_denies(void)
{
	char *argv[] = { "/bin/true", NULL };
	int r;

	if (confine_syscalls(-1))
		return 90;
	if (!status_has("\nSeccomp:\t2\n") || !status_has("\nNoNewPrivs:\t1\n"))
		return 91;
	if ((r = denied(open("/tmp/healthy-confine-test", O_WRONLY | O_CREAT | O_CLOEXEC, 0600), 1)) ||
	    (r = denied(open("/proc/self/status", O_RDWR | O_CLOEXEC), 2)) ||
	    (r = denied(open("/proc/self/status", O_RDONLY | O_APPEND | O_CLOEXEC), 3)) ||
	    (r = denied(execve(argv[0], argv, argv + 1), 4)) ||
	    (r = denied(ioctl(0, TIOCSTI, "x"), 5)) ||
	    (r = denied(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0 /* NETLINK_ROUTE */), 6)) ||
	    (r = denied(socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), 7)) ||
	    (r = denied(kill(getppid(), SIGTERM), 8)) ||
	    (r = denied(kill(getppid(), 0), 12)) ||
	    (r = denied(syscall(SYS_unlinkat, AT_FDCWD, "/tmp/healthy-confine-test", 0), 9)) ||
	    (r = denied(syscall(SYS_mkdirat, AT_FDCWD, "/tmp/healthy-confine-test", 0700), 10)) ||
	    (r = denied(syscall(SYS_setuid, 0), 11)))
		return r;
	return 0;
}

static int confined_allows(void)
{
	char buf[64];
	int fd, s;

	if (confine_syscalls(-1))
		return 90;
	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0 || close(fd))
		return 1;
	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (s < 0 || close(s))
		return 2;
	s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0 || close(s))
		return 3;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || close(s))
		return 4;
	/* Does a PID exist? pidfd_open(), not kill(): no signal is allowed at all. */
	s = (int)syscall(SYS_pidfd_open, getppid(), 0);
	if (s < 0 || close(s))
		return 5;
	/* unix:'s connect() and if_indextoname()'s SIOCGIFNAME, which names a bound device. */
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0 || close(s))
		return 6;
	if (!if_indextoname(1, buf))
		return 7;
	return 0;
}

static void filter_denies_writes_execs_and_other_sockets(void **state)
{
	(void)state;
	assert_int_equal(in_child(confined_denies, -1), 0);
}

static void filter_allows_what_checks_need(void **state)
{
	(void)state;
	assert_int_equal(in_child(confined_allows, -1), 0);
}

static struct options opts;

/* A check stuck where no deadline reaches: the watchdog's line, then exit 3. */
static int stuck(void)
{
	struct line err;

	if (opts_parse(2, (char *[]){ "healthy", "proc:hly-stuck", NULL }, &opts, &err) != OPTS_OK)
		return 90;
	if (confine_time(50) || confine_arm())
		return 91;
	confine_doing(opts.checks[0].spec, " reading /proc");
	for (;;)
		pause();
}

/* Runs fn in a child whose stderr is a pipe: asserts exit 3 and that the pipe holds exactly line. */
static void ends_with_exit_3_and(int (*fn)(void), const char *line)
{
	int p[2];
	char buf[256];
	ssize_t n;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(in_child(fn, p[1]), EXIT_CANNOT_CHECK);
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, line);
}

static void watchdog_ends_a_stuck_run_with_exit_3_and_one_line(void **state)
{
	(void)state;
	ends_with_exit_3_and(stuck, "healthy: proc:hly-stuck: timed out after 50ms reading /proc\n");
}

/* A run that ends in time is not cut short by the watchdog. */
static int prompt(void)
{
	if (confine_time(60000) || confine_arm())
		return 91;
	return 7;
}

static void watchdog_lets_a_run_end_in_time(void **state)
{
	(void)state;
	assert_int_equal(in_child(prompt, -1), 7);
}

/* An answer that came first stands, however late the process then exits (a sanitizer's leak check). */
static int answered_then_slow(void)
{
	struct timespec late = { 0, 200 * 1000 * 1000 };

	if (confine_time(20) || confine_arm())
		return 91;
	confine_answered();
	nanosleep(&late, NULL);
	return 7;
}

static void watchdog_stands_down_once_the_run_has_its_answer(void **state)
{
	(void)state;
	assert_int_equal(in_child(answered_then_slow, -1), 7);
}

/* A run slower than its deadline that still moves (a walk of 30,000 processes) is not cut short. */
static int slow_but_moving(void)
{
	struct timespec step = { 0, 5 * 1000 * 1000 };
	int i;

	if (confine_time(200) || confine_arm())
		return 91;
	for (i = 0; i < 100; i++) {
		confine_progress++;
		nanosleep(&step, NULL);
	}
	return 7;
}

static void watchdog_spares_a_run_that_moves(void **state)
{
	(void)state;
	assert_int_equal(in_child(slow_but_moving, -1), 7);
}

/* The process's thread count, from /proc/self/status; -1 if it cannot tell. */
static int threads(void)
{
	char buf[2048], *p;
	FILE *f = fopen("/proc/self/status", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, "\nThreads:\t");
	return p ? atoi(p + 10) : -1;
}

/* A run that never makes a call the kernel can hold (a proc: walk) never starts the thread, nor ends early. */
static int never_armed(void)
{
	struct timespec past = { 0, 100 * 1000 * 1000 };

	if (confine_time(20))
		return 91;
	nanosleep(&past, NULL);
	return threads() == 1 ? 7 : 92;
}

static void watchdog_starts_only_when_a_call_needs_it(void **state)
{
	(void)state;
	assert_int_equal(in_child(never_armed, -1), 7);
}

/* Armed past the deadline (a long walk that moved), the call gets an interval of its own, then the line. */
static int armed_late(void)
{
	struct timespec past = { 0, 60 * 1000 * 1000 }, some = { 0, 10 * 1000 * 1000 };

	if (confine_time(30))
		return 91;
	nanosleep(&past, NULL);
	if (confine_arm() || threads() != 2)
		return 92;
	nanosleep(&some, NULL);
	confine_doing("proc:hly-late", " reading /proc");
	for (;;)
		pause();
}

static void watchdog_armed_late_gives_the_call_its_interval(void **state)
{
	(void)state;
	/* Had it fired on arming, the line would say nothing of what was stuck. */
	ends_with_exit_3_and(armed_late, "healthy: proc:hly-late: timed out after 30ms reading /proc\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(filter_denies_writes_execs_and_other_sockets),
		cmocka_unit_test(filter_allows_what_checks_need),
		cmocka_unit_test(watchdog_ends_a_stuck_run_with_exit_3_and_one_line),
		cmocka_unit_test(watchdog_lets_a_run_end_in_time),
		cmocka_unit_test(watchdog_stands_down_once_the_run_has_its_answer),
		cmocka_unit_test(watchdog_spares_a_run_that_moves),
		cmocka_unit_test(watchdog_starts_only_when_a_call_needs_it),
		cmocka_unit_test(watchdog_armed_late_gives_the_call_its_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
