/*
 * lib/io.c: io_read_fd, io_read_at and io_lines on pipes and fixtures. The
 * lines-* fixtures are written by hand around io_lines' 4 KiB buffer.
 */
#include "fixture.h"

#include "lib/io.h"

#define LEN(s) (sizeof(s) - 1)

/* ---- io_read_fd, io_read_at ---- */

static void io_read_fd_reads_to_eof_and_nul_terminates(void **state)
{
	char buf[16];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "hello", 5), 5);
	close(fds[1]);
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(io_read_fd(fds[0], buf, sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	close(fds[0]);
}

static void io_read_fd_stops_at_size_minus_one(void **state)
{
	char buf[4];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "hello", 5), 5);
	close(fds[1]);
	/* A full buffer: the caller sees size - 1 bytes and knows the file may go on. */
	assert_int_equal(io_read_fd(fds[0], buf, sizeof(buf)), 3);
	assert_string_equal(buf, "hel");
	close(fds[0]);
}

static void io_read_at_reads_a_fixture_whole(void **state)
{
	static char want[4096], got[4096];
	size_t len = fixture_load("stat-real-sleep", want, sizeof(want));
	int dfd = open(FIXTURES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	(void)state;
	assert_true(dfd >= 0);
	assert_int_equal(io_read_at(dfd, "stat-real-sleep", got, sizeof(got)), len);
	assert_memory_equal(got, want, len + 1);
	/* 2047 bytes of the 2047-byte line fit a STAT_SIZE buffer; 99 of them a 100-byte one. */
	assert_int_equal(io_read_at(dfd, "stat-2047-bytes", got, 2048), 2047);
	assert_int_equal(io_read_at(dfd, "stat-2047-bytes", got, 100), 99);
	assert_int_equal(got[99], '\0');
	assert_int_equal(io_read_at(dfd, "stat-empty", got, sizeof(got)), 0);
	assert_int_equal(got[0], '\0');
	close(dfd);
}

static void io_read_at_missing_or_directory_fails_with_errno(void **state)
{
	char buf[64];

	(void)state;
	errno = 0;
	assert_int_equal(io_read_at(AT_FDCWD, FIXTURES "/no-such-fixture", buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(io_read_at(AT_FDCWD, FIXTURES, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EISDIR);
}

/* ---- io_lines ---- */

#define MAX_LINES 16

struct seen {
	size_t n;
	size_t len[MAX_LINES];
	char first[MAX_LINES][32];
	size_t stop_after;      /* 0: never stop */
};

static int collect(const char *line, size_t len, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < MAX_LINES) {
		s->len[s->n] = len;
		memcpy(s->first[s->n], line, len < 31 ? len : 31);
		s->first[s->n][len < 31 ? len : 31] = '\0';
	}
	s->n++;
	return s->stop_after && s->n >= s->stop_after;
}

static void io_lines_skips_a_line_longer_than_the_buffer(void **state)
{
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(io_lines(FIXTURES "/lines-long-line", collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.first[0], "first");
	assert_string_equal(s.first[1], "after the long line");
	/* The last line may lack its newline. */
	assert_string_equal(s.first[2], "last without newline");
}

static void io_lines_4095_byte_line_kept_4096_byte_line_skipped(void **state)
{
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(io_lines(FIXTURES "/lines-4095-byte-line", collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.len[1], 4095);
	assert_string_equal(s.first[2], "b");

	memset(&s, 0, sizeof(s));
	assert_int_equal(io_lines(FIXTURES "/lines-4096-byte-line", collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.first[0], "a");
	assert_string_equal(s.first[1], "b");
}

static void io_lines_empty_lines_are_lines(void **state)
{
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(io_lines(FIXTURES "/lines-empty-lines", collect, &s), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.len[0], 0);
	assert_int_equal(s.len[1], 0);
	assert_string_equal(s.first[2], "a");
	assert_int_equal(s.len[3], 0);

	memset(&s, 0, sizeof(s));
	assert_int_equal(io_lines(FIXTURES "/stat-empty", collect, &s), 0);
	assert_int_equal(s.n, 0);
}

static void io_lines_stops_when_fn_says_so(void **state)
{
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	assert_int_equal(io_lines(FIXTURES "/passwd-real-debian", collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_memory_equal(s.first[0], "root:x:0:0:", 11);
}

static void io_lines_every_line_of_a_real_file(void **state)
{
	static char buf[16384];
	size_t len = fixture_load("mountinfo-real-self", buf, sizeof(buf)), i, newlines = 0;
	struct seen s;

	(void)state;
	for (i = 0; i < len; i++)
		newlines += buf[i] == '\n';
	memset(&s, 0, sizeof(s));
	assert_int_equal(io_lines(FIXTURES "/mountinfo-real-self", collect, &s), 0);
	assert_int_equal(s.n, newlines);
	assert_memory_equal(s.first[0], buf, s.len[0] < 31 ? s.len[0] : 31);
}

static void io_lines_missing_file_fails_with_errno(void **state)
{
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	errno = 0;
	assert_int_equal(io_lines(FIXTURES "/no-such-fixture", collect, &s), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(io_lines(FIXTURES, collect, &s), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(io_read_fd_reads_to_eof_and_nul_terminates),
		cmocka_unit_test(io_read_fd_stops_at_size_minus_one),
		cmocka_unit_test(io_read_at_reads_a_fixture_whole),
		cmocka_unit_test(io_read_at_missing_or_directory_fails_with_errno),
		cmocka_unit_test(io_lines_skips_a_line_longer_than_the_buffer),
		cmocka_unit_test(io_lines_4095_byte_line_kept_4096_byte_line_skipped),
		cmocka_unit_test(io_lines_empty_lines_are_lines),
		cmocka_unit_test(io_lines_stops_when_fn_says_so),
		cmocka_unit_test(io_lines_every_line_of_a_real_file),
		cmocka_unit_test(io_lines_missing_file_fails_with_errno),
	};

	return cmocka_run_group_tests_name("io", tests, NULL, NULL);
}
