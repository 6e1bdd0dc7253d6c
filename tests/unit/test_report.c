/*
 * report.c: line_escaped, line_uint, line_int, line_errno, truncation at
 * LINE_SIZE, and line_write through a pipe. Runs under ASan: an overflow
 * of the fixed buffer is a crash, not a silent pass.
 */
#include "fixture.h"

#include <limits.h>
#include <signal.h>
#include <stdbool.h>

#include "report.h"

#define LEN(s) (sizeof(s) - 1)
#define BYTES(s) s, LEN(s)

static void line_escaped_keeps_printable_escapes_the_rest(void **state)
{
	static const struct {
		const char *name;
		const char *in;
		size_t in_len;
		const char *out;
	} rows[] = {
		{ "printable ASCII", BYTES("nginx: worker ~!@#$%^&*()_+{}|:\"<>?`-=[];',./"),
		  "nginx: worker ~!@#$%^&*()_+{}|:\"<>?`-=[];',./" },
		{ "empty", BYTES(""), "" },
		{ "newline", BYTES("a\nb"), "a\\nb" },
		{ "tab", BYTES("a\tb"), "a\\tb" },
		{ "backslash", BYTES("a\\b"), "a\\\\b" },
		{ "escape-looking text stays apart from real escapes", BYTES("\\n\n"), "\\\\n\\n" },
		{ "NUL", BYTES("a\0b"), "a\\x00b" },
		{ "control byte", BYTES("\x01"), "\\x01" },
		{ "carriage return", BYTES("\r"), "\\x0d" },
		{ "escape sequence", BYTES("\x1b[2J"), "\\x1b[2J" },
		{ "DEL", BYTES("\x7f"), "\\x7f" },
		{ "invalid UTF-8 byte", BYTES("\xff"), "\\xff" },
		{ "lone continuation byte", BYTES("\x80"), "\\x80" },
		{ "valid UTF-8 e-acute", BYTES("caf\xc3\xa9"), "caf\xc3\xa9" },
		{ "valid UTF-8 CJK", BYTES("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac" },
		{ "valid UTF-8 4 bytes", BYTES("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80" },
		{ "U+00A1, first printable after C1", BYTES("\xc2\xa1"), "\xc2\xa1" },
		{ "U+10FFFD, last printable", BYTES("\xf4\x8f\xbf\xbd"), "\xf4\x8f\xbf\xbd" },
		/* Invisible, format and separator code points: a name holding them passes for another. */
		{ "U+00A0 no-break space", BYTES("\xc2\xa0"), "\\xc2\\xa0" },
		{ "U+00AD soft hyphen", BYTES("a\xc2\xad" "b"), "a\\xc2\\xadb" },
		{ "U+200B zero-width space", BYTES("\xe2\x80\x8b"), "\\xe2\\x80\\x8b" },
		{ "U+200D zero-width joiner", BYTES("\xe2\x80\x8d"), "\\xe2\\x80\\x8d" },
		{ "U+2028 line separator", BYTES("\xe2\x80\xa8"), "\\xe2\\x80\\xa8" },
		{ "U+2029 paragraph separator", BYTES("\xe2\x80\xa9"), "\\xe2\\x80\\xa9" },
		{ "U+202E right-to-left override", BYTES("nginx\xe2\x80\xaexe"), "nginx\\xe2\\x80\\xaexe" },
		{ "U+2066 left-to-right isolate", BYTES("\xe2\x81\xa6"), "\\xe2\\x81\\xa6" },
		{ "U+3000 ideographic space", BYTES("\xe3\x80\x80"), "\\xe3\\x80\\x80" },
		{ "U+2800 Braille blank", BYTES("\xe2\xa0\x80"), "\\xe2\\xa0\\x80" },
		{ "U+0600 Arabic number sign", BYTES("\xd8\x80"), "\\xd8\\x80" },
		{ "U+FE0F variation selector", BYTES("\xef\xb8\x8f"), "\\xef\\xb8\\x8f" },
		{ "U+FEFF byte order mark", BYTES("\xef\xbb\xbfnginx"), "\\xef\\xbb\\xbfnginx" },
		{ "U+FFFF noncharacter", BYTES("\xef\xbf\xbf"), "\\xef\\xbf\\xbf" },
		{ "U+E0041 tag", BYTES("\xf3\xa0\x81\x81"), "\\xf3\\xa0\\x81\\x81" },
		{ "U+10FFFF noncharacter", BYTES("\xf4\x8f\xbf\xbf"), "\\xf4\\x8f\\xbf\\xbf" },
		/* Their neighbours print. */
		{ "U+2010 hyphen", BYTES("\xe2\x80\x90"), "\xe2\x80\x90" },
		{ "U+2027 hyphenation point", BYTES("\xe2\x80\xa7"), "\xe2\x80\xa7" },
		/* C1 controls: terminals act on them. */
		{ "C1 U+0085", BYTES("\xc2\x85"), "\\xc2\\x85" },
		{ "C1 U+009B (CSI)", BYTES("\xc2\x9b"), "\\xc2\\x9b" },
		{ "C1 U+0080", BYTES("\xc2\x80"), "\\xc2\\x80" },
		/* Overlong encodings of '/' and NUL. */
		{ "overlong 2-byte", BYTES("\xc0\xaf"), "\\xc0\\xaf" },
		{ "overlong 2-byte NUL", BYTES("\xc0\x80"), "\\xc0\\x80" },
		{ "overlong 3-byte", BYTES("\xe0\x80\xaf"), "\\xe0\\x80\\xaf" },
		{ "overlong 4-byte", BYTES("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf" },
		{ "surrogate U+D800", BYTES("\xed\xa0\x80"), "\\xed\\xa0\\x80" },
		{ "beyond U+10FFFF", BYTES("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80" },
		{ "F5 lead byte", BYTES("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80" },
		/* A sequence cut by the end of the bytes, or by a byte that is not a continuation. */
		{ "truncated 3-byte at end", BYTES("ab\xe6\x97"), "ab\\xe6\\x97" },
		{ "truncated 2-byte at end", BYTES("\xc3"), "\\xc3" },
		{ "truncated 4-byte at end", BYTES("\xf0\x9f\x98"), "\\xf0\\x9f\\x98" },
		{ "interrupted sequence", BYTES("\xe6" "a\xa5"), "\\xe6a\\xa5" },
		{ "valid after invalid", BYTES("\xff\xc3\xa9"), "\\xff\xc3\xa9" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line l;

		line_reset(&l);
		line_escaped(&l, rows[i].in, rows[i].in_len);
		ROW_MEM(rows[i].name, l.buf, l.len, rows[i].out, strlen(rows[i].out));
		ROW_INT(rows[i].name, l.truncated, 0);
	}
}

static void line_escaped_real_stat_comm_bytes(void **state)
{
	/* The name of a real process set with prctl: "\xff\xfe\x80bin". */
	static char buf[2048];
	size_t len = fixture_load("stat-comm-non-utf8", buf, sizeof(buf));
	const char *open = memchr(buf, '(', len), *close = strrchr(buf, ')');
	struct line l;

	(void)state;
	assert_non_null(open);
	assert_non_null(close);
	line_reset(&l);
	line_escaped(&l, open + 1, (size_t)(close - open - 1));
	assert_int_equal(l.len, LEN("\\xff\\xfe\\x80bin"));
	assert_memory_equal(l.buf, "\\xff\\xfe\\x80bin", l.len);
}

static void line_uint_and_line_int_edge_values(void **state)
{
	static const struct {
		bool is_signed;
		unsigned long long u;
		long long s;
		const char *out;
	} rows[] = {
		{ false, 0, 0, "0" },
		{ false, 9, 0, "9" },
		{ false, 10, 0, "10" },
		{ false, 4294967295ULL, 0, "4294967295" },
		{ false, ULLONG_MAX, 0, "18446744073709551615" },
		{ true, 0, 0, "0" },
		{ true, 0, -1, "-1" },
		{ true, 0, 42, "42" },
		{ true, 0, LLONG_MAX, "9223372036854775807" },
		{ true, 0, LLONG_MIN, "-9223372036854775808" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line l;

		line_reset(&l);
		line_str(&l, "<");
		if (rows[i].is_signed)
			line_int(&l, rows[i].s);
		else
			line_uint(&l, rows[i].u);
		line_str(&l, ">");
		assert_int_equal(l.len, strlen(rows[i].out) + 2);
		ROW_MEM(rows[i].out, l.buf + 1, l.len - 2, rows[i].out, strlen(rows[i].out));
	}
}

static void line_errno_is_what_colon_strerror(void **state)
{
	struct line l;

	(void)state;
	line_reset(&l);
	line_str(&l, "healthy: ");
	line_errno(&l, "open /proc/42/stat", EACCES);
	assert_int_equal(l.len, strlen("healthy: open /proc/42/stat: permission denied"));
	assert_memory_equal(l.buf, "healthy: open /proc/42/stat: permission denied", l.len);
}

static void line_reset_empties_and_clears_truncated(void **state)
{
	static char big[LINE_SIZE * 2];
	struct line l;

	(void)state;
	memset(big, 'a', sizeof(big));
	line_reset(&l);
	line_mem(&l, big, sizeof(big));
	assert_true(l.truncated);
	line_reset(&l);
	assert_int_equal(l.len, 0);
	assert_false(l.truncated);
}

static void line_overflowing_line_size_is_cut_and_flagged(void **state)
{
	static char big[LINE_SIZE * 4];
	struct line l;
	size_t n;

	(void)state;
	/* Exactly LINE_SIZE - 1 bytes fit: one byte stays free for the newline. */
	memset(big, 'a', sizeof(big));
	line_reset(&l);
	line_mem(&l, big, LINE_SIZE - 1);
	assert_int_equal(l.len, LINE_SIZE - 1);
	assert_false(l.truncated);
	line_mem(&l, "", 0);
	assert_false(l.truncated);
	line_mem(&l, "b", 1);
	assert_int_equal(l.len, LINE_SIZE - 1);
	assert_true(l.truncated);
	assert_int_equal(l.buf[LINE_SIZE - 2], 'a');

	/* Appending to a full line, piece after piece, stays inside the buffer. */
	line_reset(&l);
	for (n = 0; n < 3 * LINE_SIZE; n += 7)
		line_str(&l, "abcdefg");
	line_uint(&l, ULLONG_MAX);
	line_int(&l, LLONG_MIN);
	line_errno(&l, "x", ENOENT);
	assert_int_equal(l.len, LINE_SIZE - 1);
	assert_true(l.truncated);

	/* Escapes cut in the middle: "\x0" is all of "\x01" that fits. */
	line_reset(&l);
	line_mem(&l, big, LINE_SIZE - 4);
	line_escaped(&l, "\x01", 1);
	assert_int_equal(l.len, LINE_SIZE - 1);
	assert_true(l.truncated);
	assert_memory_equal(l.buf + LINE_SIZE - 4, "\\x0", 3);

	/* Every byte escaped to four: the line still ends at LINE_SIZE - 1. */
	memset(big, 0x01, sizeof(big));
	line_reset(&l);
	line_escaped(&l, big, sizeof(big));
	assert_int_equal(l.len, LINE_SIZE - 1);
	assert_true(l.truncated);
}

/* Reads what line_write() sent into a pipe. */
static size_t written(const struct line *l, char *out, size_t size)
{
	int fds[2];
	ssize_t n;
	size_t before = report_bytes();

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(line_write(fds[1], l), 0);
	close(fds[1]);
	n = read(fds[0], out, size);
	close(fds[0]);
	assert_true(n > 0);
	assert_int_equal(report_bytes() - before, (size_t)n);
	return (size_t)n;
}

static void line_write_adds_newline_and_marks_a_cut_line(void **state)
{
	static char big[LINE_SIZE * 2];
	static char out[LINE_SIZE * 2];
	struct line l;
	size_t n;

	(void)state;
	line_reset(&l);
	line_str(&l, "healthy: proc:x: not running");
	n = written(&l, out, sizeof(out));
	assert_int_equal(n, LEN("healthy: proc:x: not running\n"));
	assert_memory_equal(out, "healthy: proc:x: not running\n", n);

	memset(big, 'a', sizeof(big));
	line_reset(&l);
	line_mem(&l, big, sizeof(big));
	n = written(&l, out, sizeof(out));
	/* LINE_SIZE bytes in all, the last three before the newline say it was cut. */
	assert_int_equal(n, LINE_SIZE);
	assert_memory_equal(out + LINE_SIZE - 4, "...\n", 4);
	assert_int_equal(out[LINE_SIZE - 5], 'a');
}

static void line_write_to_a_closed_pipe_fails_and_keeps_errno(void **state)
{
	struct line l;
	int fds[2];
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	(void)state;
	line_reset(&l);
	line_str(&l, "x");
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	errno = 1234;
	assert_int_equal(line_write(fds[1], &l), -1);
	assert_int_equal(errno, 1234);
	close(fds[1]);
	signal(SIGPIPE, old);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_escaped_keeps_printable_escapes_the_rest),
		cmocka_unit_test(line_escaped_real_stat_comm_bytes),
		cmocka_unit_test(line_uint_and_line_int_edge_values),
		cmocka_unit_test(line_errno_is_what_colon_strerror),
		cmocka_unit_test(line_reset_empties_and_clears_truncated),
		cmocka_unit_test(line_overflowing_line_size_is_cut_and_flagged),
		cmocka_unit_test(line_write_adds_newline_and_marks_a_cut_line),
		cmocka_unit_test(line_write_to_a_closed_pipe_fails_and_keeps_errno),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
