#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "io.h"

static int fd = -1;
static const char *path;
static atomic_int busy;         /* a line is being written */
static bool may_block;

/* "healthy: --log PATH: open: permission denied" */
static void failed(struct line *l, const char *what, int err)
{
	struct stat st;

	line_reset(l);
	size_t n = strlen(path);

	line_str(l, "healthy: --log ");
	line_escaped(l, path, n < WHAT_SHOWN ? n : WHAT_SHOWN);
	line_str(l, ": ");
	line_str(l, what);
	line_str(l, ": ");
	/* ENXIO: a socket (journald's stream) cannot be opened; a pipe or FIFO opened without blocking has no reader. */
	if (err == ENXIO)
		line_str(l, io_stat(AT_FDCWD, path, &st, 0) == 0 && S_ISSOCK(st.st_mode) ? "a socket cannot be opened"
											 : "nobody reads it");
	else if (err == EAGAIN)
		line_str(l, "full, and nobody reads it");
	else
		line_reason(l, err);
}

int log_open(const char *p, struct line *err)
{
	/*
	 * O_NONBLOCK: a pipe's reader that went away would hold open() for
	 * ever, and a pipe nobody empties each write: a log never holds the run
	 * up, a line it has no room for is lost (and said once).
	 */
	int flags = O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC | O_NONBLOCK;
	struct stat st, err_st;

	path = p;
	/* /proc/1/fd/2 names a descriptor that exists or not: made there, a file would be nobody's log. */
	if (strncmp(p, "/proc/", 6))
		flags |= O_CREAT;
	fd = open(p, flags, 0644);
	if (fd < 0) {
		failed(err, "open", errno);
		return -1;
	}
	/* healthy as PID 1 (a --watch entrypoint) with --log=/proc/1/fd/2: its stderr is the log; once is enough. */
	if (!fstat(fd, &st) && !fstat(STDERR_FILENO, &err_st) && st.st_dev == err_st.st_dev && st.st_ino == err_st.st_ino) {
		close(fd);
		fd = -1;
	}
	/* O_NONBLOCK holds for pipes, sockets and ttys; a file on a network file system can still hold a write. */
	may_block = fd >= 0 && !S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode);
	return 0;
}

bool log_may_block(void)
{
	return may_block;
}

int log_fd(void)
{
	return fd;
}

/* n into the width digits that end at end, zero-padded. */
static void put(char *end, unsigned n, int width)
{
	while (width--) {
		*--end = (char)('0' + n % 10);
		n /= 10;
	}
}

void log_stamp(char *b, unsigned long long s, unsigned ms)
{
	static const unsigned char month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned days = (unsigned)(s / 86400), y = 1970, m = 0, n;

	/* The civil date counted out from 1970: a loop, smaller than the closed form. */
	for (;; y++) {
		bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;

		if (days < 365u + leap)
			break;
		days -= 365u + leap;
	}
	for (;; m++) {
		n = month_days[m] + (m == 1 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
		if (days < n)
			break;
		days -= n;
	}
	s %= 86400;
	memcpy(b, "YYYY-MM-DDThh:mm:ss.mmmZ", LOG_STAMP_LEN + 1);
	put(b + 4, y, 4);
	put(b + 7, m + 1, 2);
	put(b + 10, days + 1, 2);
	put(b + 13, (unsigned)s / 3600, 2);
	put(b + 16, (unsigned)s % 3600 / 60, 2);
	put(b + 19, (unsigned)s % 60, 2);
	put(b + 23, ms, 3);
}

void log_line(const struct line *l)
{
	static bool said;
	char b[LOG_STAMP_LEN + 1];
	struct timespec ts;
	struct line t;
	int saved = errno, r;

	/*
	 * The watchdog's line comes from its thread. Should the main thread be
	 * in a write of the log that the kernel holds (a dead NFS server), the
	 * watchdog must not wait on the same file: it skips the log, and ends
	 * the run.
	 */
	if (fd < 0 || atomic_exchange(&busy, 1))
		return;
	clock_now(CLOCK_REALTIME, &ts);
	log_stamp(b, ts.tv_sec > 0 ? (unsigned long long)ts.tv_sec : 0, (unsigned)ts.tv_nsec / 1000000);
	b[LOG_STAMP_LEN] = ' ';
	r = line_write_once(fd, b, LOG_STAMP_LEN + 1, l);
	if (r && !said) {
		/* Once: a log that fails every run would say so every run, on a stderr that may be just as full. */
		said = true;
		failed(&t, "write", errno);
		line_write(STDERR_FILENO, &t);
	}
	atomic_store(&busy, 0);
	errno = saved;
}
