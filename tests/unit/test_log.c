/*
 * log.c and notify.c: --log's RFC 3339 time, its file, and its failures;
 * --notify's address from $NOTIFY_SOCKET, and what reaches a real socket.
 */
#include "fixture.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "lib/line.h"
#include "lib/log.h"
#include "lib/notify.h"

/* The date counted out from 1970: leap years, century rules, month ends. */
static void log_stamp_is_rfc3339_utc(void **state)
{
	static const struct {
		unsigned long long s;
		unsigned ms;
		const char *want;
	} rows[] = {
		{ 0, 0, "1970-01-01T00:00:00.000Z" },
		{ 86399, 999, "1970-01-01T23:59:59.999Z" },
		{ 951782400, 5, "2000-02-29T00:00:00.005Z" },     /* 2000 is a leap year: divisible by 400 */
		{ 951868800, 0, "2000-03-01T00:00:00.000Z" },
		{ 1709164800, 0, "2024-02-29T00:00:00.000Z" },
		{ 1735689599, 123, "2024-12-31T23:59:59.123Z" },  /* day 366 of a leap year */
		{ 1735689600, 0, "2025-01-01T00:00:00.000Z" },
		{ 1796532012, 345, "2026-12-06T04:40:12.345Z" },
		{ 4107542400ULL, 0, "2100-03-01T00:00:00.000Z" }, /* 2100 is not: 28 days in February */
		{ 4107456000ULL, 0, "2100-02-28T00:00:00.000Z" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char b[LOG_STAMP_LEN + 1];

		memset(b, 'x', sizeof(b));
		log_stamp(b, rows[i].s, rows[i].ms);
		ROW_MEM(rows[i].want, b, strlen(b), rows[i].want, strlen(rows[i].want));
	}
}


static size_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

/* In a child: log.c's descriptor is the process's, one log a process. */
static int child_logs(const char *path, const char *text)
{
	struct line l, err;
	pid_t p = fork();
	int st;

	if (p == 0) {
		if (log_open(path, &err))
			_exit(1);
		line_reset(&l);
		line_str(&l, text);
		log_line(&l);
		_exit(line_bytes_written() == 0 ? 0 : 2);
	}
	return p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* Created when missing, appended to, one line a write, and none of it counted as stdout's or stderr's. */
static void log_appends_stamped_lines(void **state)
{
	char dir[] = "/tmp/healthy-test-log.XXXXXX", path[64], buf[512];
	struct stat st;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	assert_int_equal(child_logs(path, "healthy: tcp:1: not listening on port 1"), 0);
	assert_int_equal(child_logs(path, "healthy: file:/x: no file at /x"), 0);
	n = slurp(path, buf, sizeof(buf));
	assert_int_equal(n, 2 * (LOG_STAMP_LEN + 1) + strlen("healthy: tcp:1: not listening on port 1\n") +
				    strlen("healthy: file:/x: no file at /x\n"));
	assert_true(buf[4] == '-' && buf[10] == 'T' && buf[LOG_STAMP_LEN - 1] == 'Z' && buf[LOG_STAMP_LEN] == ' ');
	assert_memory_equal(buf + LOG_STAMP_LEN + 1, "healthy: tcp:1: not listening on port 1\n", 40);
	assert_string_equal(buf + 2 * (LOG_STAMP_LEN + 1) + 40, "healthy: file:/x: no file at /x\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644 & ~(mode_t)022);
	unlink(path);
	rmdir(dir);
}

/* A line as long as stderr takes is logged whole after its stamp, not cut. */
static void log_keeps_a_full_line_whole(void **state)
{
	char dir[] = "/tmp/healthy-test-log.XXXXXX", path[64], buf[2048], text[LINE_SIZE];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	memset(text, 'x', sizeof(text));
	memcpy(text, "healthy: ", 9);
	text[LINE_SIZE - 2] = '\0';    /* the longest a line holds: LINE_SIZE less the newline's byte */
	assert_int_equal(child_logs(path, text), 0);
	assert_int_equal(slurp(path, buf, sizeof(buf)), LOG_STAMP_LEN + 1 + strlen(text) + 1);
	assert_memory_equal(buf + LOG_STAMP_LEN + 1, text, strlen(text));
	unlink(path);
	rmdir(dir);
}

/* Under /proc a path names a descriptor or nothing: never made there. Elsewhere a missing directory says so. */
static void log_open_failures_say_why(void **state)
{
	struct line err;

	(void)state;
	assert_int_equal(log_open("/proc/self/fd/987654", &err), -1);
	err.buf[err.len] = '\0';
	assert_string_equal(err.buf, "healthy: --log /proc/self/fd/987654: open: no such file or directory");
	assert_int_equal(log_open("/nonexistent-hly/x", &err), -1);
	err.buf[err.len] = '\0';
	assert_string_equal(err.buf, "healthy: --log /nonexistent-hly/x: open: no such file or directory");
	assert_int_equal(log_fd(), -1);
}

/* $NOTIFY_SOCKET as sd_notify(3) reads it: a path, @ for the abstract namespace; nothing else. */
static void notify_aim_takes_paths_and_abstract_names(void **state)
{
	static char longer[200];
	struct notify n;

	(void)state;
	assert_null(notify_aim(&n, "/run/systemd/notify", -1));
	assert_int_equal(n.len, offsetof(struct sockaddr_un, sun_path) + strlen("/run/systemd/notify") + 1);
	assert_string_equal(n.addr.sun_path, "/run/systemd/notify");
	assert_null(notify_aim(&n, "@hly-notify", -1));
	assert_int_equal(n.len, offsetof(struct sockaddr_un, sun_path) + strlen("@hly-notify"));
	assert_int_equal(n.addr.sun_path[0], '\0');
	assert_memory_equal(n.addr.sun_path + 1, "hly-notify", 10);
	assert_string_equal(notify_aim(&n, NULL, -1),
			    "NOTIFY_SOCKET is not set (systemd sets it for Type=notify; s6 and runit: --notify=fd:N)");
	assert_string_equal(notify_aim(&n, "", -1),
			    "NOTIFY_SOCKET is not set (systemd sets it for Type=notify; s6 and runit: --notify=fd:N)");
	assert_string_equal(notify_aim(&n, "vsock:2:1234", -1), "NOTIFY_SOCKET is not a unix socket's path or @name");
	assert_string_equal(notify_aim(&n, "run/notify", -1), "NOTIFY_SOCKET is not a unix socket's path or @name");
	memset(longer, 'a', sizeof(longer) - 1);
	longer[0] = '/';
	assert_string_equal(notify_aim(&n, longer, -1), "NOTIFY_SOCKET is too long for a unix socket's address");
	/* sun_path's 108 bytes: a path of 107 and its NUL; '@' and 107, as systemd takes them. */
	longer[107] = '\0';
	assert_null(notify_aim(&n, longer, -1));
	longer[108] = '\0';
	longer[107] = 'a';
	assert_string_equal(notify_aim(&n, longer, -1), "NOTIFY_SOCKET is too long for a unix socket's address");
	longer[0] = '@';
	assert_null(notify_aim(&n, longer, -1));
	assert_int_equal(n.len, sizeof(struct sockaddr_un));
	longer[108] = 'a';
	longer[109] = '\0';
	assert_string_equal(notify_aim(&n, longer, -1), "NOTIFY_SOCKET is too long for a unix socket's address");
	assert_string_equal(notify_aim(&n, NULL, 987654), "that descriptor is not open");
	assert_null(notify_aim(&n, NULL, STDERR_FILENO));
}

/* READY=1 and STOPPING=1 reach a bound datagram socket, a datagram each; s6's descriptor gets one newline, then EOF. */
static void notify_send_reaches_a_socket_and_a_descriptor(void **state)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct notify n;
	char buf[32];
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), p[2];

	(void)state;
	snprintf(a.sun_path, sizeof(a.sun_path), "@hly-unit-notify-%d", (int)getpid());
	assert_null(notify_aim(&n, a.sun_path, -1));
	a.sun_path[0] = '\0';
	assert_int_equal(bind(s, (struct sockaddr *)&a, n.len), 0);
	assert_int_equal(notify_send(&n, "READY=1", 100), 0);
	assert_int_equal(notify_send(&n, "STOPPING=1", 100), 0);
	assert_int_equal(recv(s, buf, sizeof(buf), MSG_DONTWAIT), 7);
	assert_memory_equal(buf, "READY=1", 7);
	assert_int_equal(recv(s, buf, sizeof(buf), MSG_DONTWAIT), 10);
	assert_memory_equal(buf, "STOPPING=1", 10);
	close(s);
	/* Nobody there now: refused, with errno, and no wait. */
	assert_int_equal(notify_send(&n, "READY=1", 100), -1);
	assert_int_equal(errno, ECONNREFUSED);

	assert_int_equal(pipe(p), 0);
	assert_null(notify_aim(&n, NULL, p[1]));
	assert_int_equal(notify_send(&n, "READY=1", 100), 0);
	assert_int_equal(notify_send(&n, "STOPPING=1", 100), 0);     /* s6 has no word for it: nothing */
	assert_int_equal(read(p[0], buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], '\n');
	assert_int_equal(read(p[0], buf, sizeof(buf)), 0);      /* closed: EOF */
	close(p[0]);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(log_stamp_is_rfc3339_utc),
		cmocka_unit_test(log_appends_stamped_lines),
		cmocka_unit_test(log_keeps_a_full_line_whole),
		cmocka_unit_test(log_open_failures_say_why),
		cmocka_unit_test(notify_aim_takes_paths_and_abstract_names),
		cmocka_unit_test(notify_send_reaches_a_socket_and_a_descriptor),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
