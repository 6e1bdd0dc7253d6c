/*
 * fixture: loads a file of tests/fixtures into a caller's buffer, the way
 * the *_read functions hand bytes to the parsers. Header-only; include it
 * after the cmocka headers' prerequisites, or first: it pulls them in.
 */
#ifndef HEALTHY_TEST_FIXTURE_H
#define HEALTHY_TEST_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* A check's own state as its kind keeps it: STATE(proc, &c)->min. */
#define STATE(kind, c) ((struct kind##_check *)(c)->state)

#ifndef FIXTURES
#error "FIXTURES must name the fixtures directory (the Makefile passes -DFIXTURES)"
#endif

/*
 * Reads FIXTURES/name into buf and NUL-terminates it. Fails the test when
 * the file is missing, unreadable, or does not fit in size - 1 bytes: a
 * silently cut fixture would test something else than it says.
 * Returns the number of bytes read.
 */
static inline size_t fixture_load(const char *name, char *buf, size_t size)
{
	char path[1024];
	size_t got = 0;
	char extra;
	ssize_t r;
	int fd;

	if (size == 0 || (size_t)snprintf(path, sizeof(path), "%s/%s", FIXTURES, name) >= sizeof(path)) {
		fail_msg("fixture %s: bad name or buffer", name);
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail_msg("fixture %s: %s", path, strerror(errno));
		return 0;
	}
	while (got < size - 1) {
		r = read(fd, buf + got, size - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			fail_msg("fixture %s: %s", path, strerror(errno));
			return 0;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	r = got == size - 1 ? read(fd, &extra, 1) : 0;
	close(fd);
	buf[got] = '\0';
	if (r != 0)
		fail_msg("fixture %s: larger than the %zu-byte buffer", path, size - 1);
	return got;
}

/*
 * Table rows: one test function walks a table, and a failure names the row.
 */
#define ROW_INT(row, got, want) do { \
		long long got_ = (long long)(got), want_ = (long long)(want); \
		if (got_ != want_) \
			fail_msg("%s: %s is %lld, want %lld", (row), #got, got_, want_); \
	} while (0)

#define ROW_MEM(row, got, got_len, want, want_len) do { \
		size_t gl_ = (got_len), wl_ = (want_len); \
		if (gl_ != wl_ || (wl_ && memcmp((got), (want), wl_))) \
			fail_msg("%s: %s is \"%.*s\" (%zu bytes), want \"%.*s\" (%zu bytes)", (row), #got, \
				 (int)gl_, (const char *)(got), gl_, (int)wl_, (const char *)(want), wl_); \
	} while (0)

#endif
