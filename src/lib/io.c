#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

/* mountinfo lines are ~100 bytes, passwd lines fewer: 4 KiB holds many at once. */
#define LINES_BUF_SIZE 4096

ssize_t io_read_fd(int fd, char *buf, size_t size)
{
	size_t got = 0;

	while (got < size - 1) {
		ssize_t r = read(fd, buf + got, size - 1 - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

static uint64_t write_timeout_ms;

void io_write_timeout(uint64_t ms)
{
	write_timeout_ms = ms;
}

int io_write_all(int fd, const char *s, size_t n)
{
	uint64_t end = write_timeout_ms ? clock_ms() + write_timeout_ms : 0;

	while (n) {
		ssize_t w;

		/*
		 * A pipe nobody reads (a full docker logs buffer, a stopped reader)
		 * would hold write(2), and healthy, for ever: wait for room only so
		 * long. A pipe with room for a page takes a line whole.
		 */
		if (end) {
			struct pollfd p = { fd, POLLOUT, 0 };
			uint64_t now = clock_ms();
			int r = poll(&p, 1, now >= end ? 0 : (int)(end - now));

			if (r < 0 && errno == EINTR)
				continue;
			if (r == 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			/*
			 * poll() itself refused (a seccomp filter, no memory): the line is
			 * written unbounded rather than lost; in check mode the watchdog
			 * bounds the run all the same.
			 */
		}
		w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t io_read_at(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;
	int saved;

	if (fd < 0)
		return -1;
	n = io_read_fd(fd, buf, size);
	saved = errno;
	close(fd);
	errno = saved;
	return n;
}

int io_lines(const char *path, int (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	static char buf[LINES_BUF_SIZE];
	size_t have = 0;
	int skipping = 0, saved;
	/* openat, not open: musl's open() adds an fcntl(F_SETFD) for kernels before 2.6.23. */
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - have);
		size_t start = 0, i;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0) {
			if (have && !skipping)
				fn(buf, have, ctx);
			break;
		}
		have += (size_t)r;
		for (i = 0; i < have; i++) {
			if (buf[i] != '\n')
				continue;
			if (!skipping && fn(buf + start, i - start, ctx)) {
				close(fd);
				return 0;
			}
			skipping = 0;
			start = i + 1;
		}
		if (start == 0 && have == sizeof(buf)) {
			/* No newline in a full buffer: drop this line up to its end. */
			skipping = 1;
			have = 0;
			continue;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	close(fd);
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int io_reserve_stdio(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		/* The system call: musl's fcntl (423 bytes) is for the commands that take a struct or need a fallback. */
		if (syscall(SYS_fcntl, fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* The lowest free number: this one, as the lower ones are open. */
		if (openat(AT_FDCWD, "/dev/null", O_RDWR | O_NOCTTY) != fd)
			return -1;
	}
	return 0;
}

int io_copy_atomic(const char *src, const char *dir, const char *name, unsigned mode, const char **what)
{
	static char buf[65536], tmp[4096], dst[4096];
	int in, out = -1, saved;
	ssize_t n = 0;

	size_t d = strlen(dir), m = strlen(name);

	/* DIR/NAME, and DIR/.NAME.tmp beside it: rename() needs both on one file system. */
	if (d + m + 8 > sizeof(dst)) {
		*what = "the path";
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dst, dir, d);
	dst[d] = '/';
	memcpy(dst + d + 1, name, m + 1);
	memcpy(tmp, dir, d);
	memcpy(tmp + d, "/.", 2);
	memcpy(tmp + d + 2, name, m);
	memcpy(tmp + d + 2 + m, ".tmp", 5);
	*what = "open the binary to copy";
	in = openat(AT_FDCWD, src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	/* A .tmp an install killed half-way left behind is ours to replace. */
	unlink(tmp);
	*what = "create a file in it";
	out = openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0)
		goto fail;
	for (;;) {
		*what = "read the binary";
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		*what = "write";
		if (n <= 0 || io_write_all(out, buf, (size_t)n))
			break;
	}
	if (n != 0)
		goto fail;
	/* The mode whatever the umask, and on disk before the name points at it. */
	if (fchmod(out, (mode_t)mode) || fsync(out))
		goto fail;
	n = close(out);
	out = -1;
	if (n)
		goto fail;
	*what = "rename";
	if (rename(tmp, dst))
		goto fail;
	close(in);
	return 0;
fail:
	saved = errno;
	if (out >= 0)
		close(out);
	close(in);
	unlink(tmp);
	errno = saved;
	return -1;
}

int io_stat(int fd, const char *path, struct stat *st, int flags)
{
#if defined(__x86_64__) || defined(__aarch64__)
	return path ? (int)syscall(SYS_newfstatat, fd, path, st, flags) : (int)syscall(SYS_fstat, fd, st);
#else
	return path ? fstatat(fd, path, st, flags) : fstat(fd, st);
#endif
}
