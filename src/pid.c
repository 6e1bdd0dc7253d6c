#include "pid.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "io.h"
#include "proc.h"
#include "procfs.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

enum pidfile_error pidfile_parse(const char *buf, size_t len, long long *pid)
{
	const char *nl = memchr(buf, '\n', len);
	const char *p = buf, *end = nl ? nl : buf + len;
	unsigned long long v;
	int neg = 0, r;

	while (p < end && blank(*p))
		p++;
	while (end > p && blank(end[-1]))
		end--;
	if (p == end)
		return PIDFILE_EMPTY;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	r = uint_parse(p, (size_t)(end - p), LLONG_MAX, &v);
	if (r == -1)
		return PIDFILE_GARBAGE;
	if (r == -2)
		return PIDFILE_RANGE;
	*pid = neg ? -(long long)v : (long long)v;
	return *pid < 1 || *pid > PID_MAX_LIMIT ? PIDFILE_RANGE : PIDFILE_OK;
}

int pid_spec_parse(struct check *c, struct line *err)
{
	unsigned long long v;
	int r;

	if (c->kind == CHECK_PIDFILE) {
		if (c->arg_len == 0) {
			check_usage(err, c, "empty path");
			return -1;
		}
		if (c->arg_len >= PATH_MAX) {
			check_usage(err, c, "path too long");
			return -1;
		}
		return 0;
	}
	r = uint_parse(c->arg, c->arg_len, PID_MAX_LIMIT, &v);
	if (r == -1) {
		check_usage(err, c, "not a pid (a whole number)");
		return -1;
	}
	if (r == -2 || v == 0) {
		check_usage(err, c, "pid out of range (1-4194304)");
		return -1;
	}
	c->u.pid = (pid_t)v;
	return 0;
}

/* "pid N " before a reason, for pidfile:, where the PID is not in the check as typed. */
static void pid_prefix(struct check *c, long long pid)
{
	if (c->kind == CHECK_PIDFILE) {
		line_str(&c->why, "pid ");
		line_int(&c->why, pid);
		line_str(&c->why, " ");
	}
}

/* Reads /proc/sys/kernel/pid_max; 0 if it cannot. */
static long long pid_max(void)
{
	char buf[32];
	unsigned long long v;
	ssize_t n = io_read_at(AT_FDCWD, "/proc/sys/kernel/pid_max", buf, sizeof(buf));

	if (n <= 0 || uint_parse(buf, comm_parse(buf, (size_t)n), PID_MAX_LIMIT, &v))
		return 0;
	return (long long)v;
}

static void process_check(struct check *c, pid_t pid)
{
	static char buf[STATUS_SIZE];
	char path[16];
	struct proc_status st;
	struct line err;
	ssize_t n = -1;
	long long max;
	char state;
	int procfd, dfd;

	line_reset(&err);
	procfd = procfs_open(&err);
	if (procfd < 0) {
		/* Without a /proc, kill(pid, 0) still tells "no such process". */
		if (kill(pid, 0) && errno == ESRCH)
			goto not_running;
		c->verdict = VERDICT_ERROR;
		c->why = err;
		return;
	}
	proc_path(path, pid, "");
	dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		n = io_read_at(dfd, "status", buf, sizeof(buf));
		if (n < 0)
			close(dfd);
	}
	if (n < 0 && (proc_gone(errno) || errno == EACCES || errno == EPERM)) {
		int saved = errno;

		/* kill(pid, 0) knows whether the PID exists, even where /proc hides it. */
		if (kill(pid, 0) && errno == ESRCH)
			goto not_running;
		c->verdict = VERDICT_ERROR;
		line_str(&c->why, "cannot tell: pid ");
		line_uint(&c->why, (unsigned long long)pid);
		line_str(&c->why, " exists, but ");
		if (!procfs_sees_all(procfd))
			procfs_hidden_reason(&c->why);
		else
			line_errno(&c->why, "/proc does not show it", saved);
		return;
	}
	if (n < 0) {
		c->verdict = VERDICT_ERROR;
		line_str(&c->why, "read /proc/");
		proc_path(path, pid, "/status");
		line_errno(&c->why, path, errno);
		return;
	}
	if (status_parse(buf, (size_t)n, &st)) {
		close(dfd);
		c->verdict = VERDICT_ERROR;
		line_str(&c->why, "read /proc/");
		proc_path(path, pid, "/status");
		line_str(&c->why, path);
		line_str(&c->why, ": no State line");
		return;
	}
	state = proc_group_state(dfd, pid, st.state, st.threads);
	if (c->track && proc_state_live(state, st.threads)) {
		/* --watch: the process is (pid, start time); a PID reused by another process is not it. */
		static char stat_buf[STAT_SIZE];
		struct proc_stat ps;
		ssize_t sn = io_read_at(dfd, "stat", stat_buf, sizeof(stat_buf));

		if (sn <= 0 || stat_parse(stat_buf, (size_t)sn, &ps)) {
			/* Without its start time, it cannot be told from a process that took its PID. */
			int e = sn < 0 ? errno : 0;

			close(dfd);
			c->verdict = sn < 0 && proc_gone(e) ? VERDICT_FAIL : VERDICT_ERROR;
			pid_prefix(c, pid);
			if (c->verdict == VERDICT_FAIL)
				line_str(&c->why, "not running");
			else
				line_str(&c->why, "cannot tell: no start time in /proc/PID/stat");
			return;
		}
		if (c->seen_pid && (c->seen_pid != pid || c->seen_start != ps.starttime)) {
			close(dfd);
			c->verdict = VERDICT_FAIL;
			pid_prefix(c, pid);
			line_str(&c->why, c->seen_pid != pid ? "is not the one watched (pid " : "is another process now (pid ");
			line_uint(&c->why, (unsigned long long)c->seen_pid);
			line_str(&c->why, c->seen_pid != pid ? " was)" : " had another start time)");
			return;
		}
		c->seen_pid = pid;
		c->seen_start = ps.starttime;
	}
	close(dfd);
	if (st.have_tgid && st.tgid != pid) {
		c->verdict = VERDICT_FAIL;
		pid_prefix(c, pid);
		line_str(&c->why, "is a thread of process ");
		line_uint(&c->why, (unsigned long long)st.tgid);
		line_str(&c->why, ", not a process");
		return;
	}
	if (!proc_state_live(state, st.threads)) {
		c->verdict = VERDICT_FAIL;
		pid_prefix(c, pid);
		line_str(&c->why, "not running (");
		line_str(&c->why, proc_state_word(state));
		line_str(&c->why, ")");
		return;
	}
	c->verdict = VERDICT_PASS;
	line_str(&c->why, "ok: running (pid ");
	line_uint(&c->why, (unsigned long long)pid);
	line_str(&c->why, " ");
	line_mem(&c->why, &state, 1);
	line_str(&c->why, ")");
	return;

not_running:
	c->verdict = VERDICT_FAIL;
	pid_prefix(c, pid);
	line_str(&c->why, "not running");
	max = c->kind == CHECK_PIDFILE ? pid_max() : 0;
	/* PIDs run from 1 to pid_max - 1. */
	if (max && pid >= max) {
		line_str(&c->why, " (beyond pid_max ");
		line_int(&c->why, max);
		line_str(&c->why, ")");
	}
}

static void pidfile_check(struct check *c)
{
	static char path[PATH_MAX];
	char buf[PIDFILE_SIZE];
	struct stat sb;
	long long pid = 0;
	enum pidfile_error e;
	ssize_t n;
	int fd, err;

	memcpy(path, c->arg, c->arg_len);
	path[c->arg_len] = '\0';
	/* O_NONBLOCK: a FIFO put where the pidfile should be must not hang the probe. */
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		err = errno;
		/* No file is a service that is not running (or never wrote it); anything else is ours to report. */
		c->verdict = err == ENOENT || err == ENOTDIR ? VERDICT_FAIL : VERDICT_ERROR;
		line_str(&c->why, strerror(err));
		return;
	}
	if (fstat(fd, &sb)) {
		err = errno;
		close(fd);
		c->verdict = VERDICT_ERROR;
		line_errno(&c->why, "stat", err);
		return;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		c->verdict = VERDICT_FAIL;
		line_str(&c->why, "not a regular file");
		return;
	}
	n = io_read_fd(fd, buf, sizeof(buf));
	err = errno;
	close(fd);
	if (n < 0) {
		c->verdict = VERDICT_ERROR;
		line_errno(&c->why, "read", err);
		return;
	}
	/* A first line that fills the buffer was cut: parsing its start would read another number. */
	if ((size_t)n == sizeof(buf) - 1 && !memchr(buf, '\n', (size_t)n)) {
		c->verdict = VERDICT_FAIL;
		line_str(&c->why, "first line too long for a pid");
		return;
	}
	e = pidfile_parse(buf, (size_t)n, &pid);
	switch (e) {
	case PIDFILE_OK:
		process_check(c, (pid_t)pid);
		return;
	case PIDFILE_EMPTY:
		line_str(&c->why, n ? "no pid on the first line" : "empty file");
		break;
	case PIDFILE_GARBAGE:
	case PIDFILE_RANGE: {
		const char *nl = memchr(buf, '\n', (size_t)n);
		size_t first = nl ? (size_t)(nl - buf) : (size_t)n;

		line_str(&c->why, e == PIDFILE_RANGE ? "pid out of range (1-4194304): \"" : "not a pid: \"");
		line_escaped(&c->why, buf, first > 32 ? 32 : first);
		line_str(&c->why, first > 32 ? "...\"" : "\"");
		break;
	}
	}
	c->verdict = VERDICT_FAIL;
}

void pid_run(struct check *c)
{
	if (c->kind != CHECK_PID && c->kind != CHECK_PIDFILE)
		return;
	line_reset(&c->why);
	if (c->kind == CHECK_PID)
		process_check(c, c->u.pid);
	else
		pidfile_check(c);
}
