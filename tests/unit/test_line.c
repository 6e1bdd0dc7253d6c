/*
 * lib/line.c: line_escaped, line_uint, line_int, line_errno, line_duration,
 * line_ip, line_addr, truncation at LINE_SIZE, and line_write through a
 * pipe. Runs under ASan: an overflow of the fixed buffer is a crash, not a
 * silent pass.
 */
#include "fixture.h"

#include <arpa/inet.h>
#include <limits.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdbool.h>

#include "lib/line.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
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

static void line_errno_is_what_colon_reason(void **state)
{
	struct line l;

	(void)state;
	line_reset(&l);
	line_str(&l, "healthy: ");
	line_errno(&l, "open /proc/42/stat", EACCES);
	assert_int_equal(l.len, strlen("healthy: open /proc/42/stat: permission denied"));
	assert_memory_equal(l.buf, "healthy: open /proc/42/stat: permission denied", l.len);
}

/* line_reason: musl's words for the errnos healthy meets, whichever libc built it; "errno N" for the rest. */
static void line_reason_says_musls_words_or_the_number(void **state)
{
	static const struct { int err; const char *text; } rows[] = {
		{ EPERM, "operation not permitted" },           /* the table's first */
		{ ENOENT, "no such file or directory" },
		{ EIO, "I/O error" },                           /* not lower-cased: an acronym */
		{ EMFILE, "no file descriptors available" },
		{ ELOOP, "symbolic link loop" },
		{ ETIMEDOUT, "operation timed out" },           /* glibc says "connection timed out" */
		{ ECONNREFUSED, "connection refused" },
		{ EHOSTUNREACH, "host is unreachable" },
		{ ENOMEDIUM, "no medium found" },               /* the table's last: codes and texts in step */
		{ 0, "errno 0" },
		{ EUCLEAN, "errno 117" },
		{ 4095, "errno 4095" },
		{ -1, "errno -1" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line l;

		line_reset(&l);
		line_reason(&l, rows[i].err);
		ROW_MEM(rows[i].text, l.buf, l.len, rows[i].text, strlen(rows[i].text));
	}
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
	size_t before = line_bytes_written();

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(line_write(fds[1], l), 0);
	close(fds[1]);
	n = read(fds[0], out, size);
	close(fds[0]);
	assert_true(n > 0);
	assert_int_equal(line_bytes_written() - before, (size_t)n);
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

static void line_duration_as_people_write_it(void **state)
{
	static const struct {
		unsigned long long ms;
		const char *want;
	} rows[] = {
		{ 0, "0ms" },
		{ 1, "1ms" },
		{ 800, "800ms" },
		{ 999, "999ms" },
		/* From a second on, exact, as Go writes durations (with days): nothing is dropped. */
		{ 1000, "1s" },
		{ 1001, "1.001s" },
		{ 1500, "1.5s" },
		{ 5000, "5s" },
		{ 9999, "9.999s" },
		{ 10000, "10s" },
		{ 10500, "10.5s" },
		{ 10050, "10.05s" },
		{ 59000, "59s" },
		{ 60000, "1m" },
		{ 60500, "1m0.5s" },
		{ 61000, "1m1s" },
		{ 90000, "1m30s" },
		{ 3599999, "59m59.999s" },
		{ 3600000, "1h" },
		{ 3630000, "1h0m30s" },
		{ 3660000, "1h1m" },
		{ 86400000, "1d" },
		{ 90000000, "1d1h" },
		{ 90061000, "1d1h1m1s" },
		/* lib/scan.h's DURATION_MAX_MS: the longest -t and maxage=. */
		{ 2147483647ULL, "24d20h31m23.647s" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct line l;

		line_reset(&l);
		line_duration(&l, rows[i].ms);
		ROW_MEM(rows[i].want, l.buf, l.len, rows[i].want, strlen(rows[i].want));
	}
}

struct ip_row {
	int family;
	const char *in;         /* as inet_pton reads it */
	const char *want;
};

static void line_ip_rfc5952(void **state)
{
	static const struct ip_row rows[] = {
		{ AF_INET6, "::", "::" },
		{ AF_INET6, "::1", "::1" },
		{ AF_INET6, "1::", "1::" },
		{ AF_INET6, "2001:db8::1", "2001:db8::1" },
		{ AF_INET6, "2001:db8::", "2001:db8::" },
		{ AF_INET6, "fe80::1:2", "fe80::1:2" },
		/* 4.1: no leading zeros; 4.3: lower case. */
		{ AF_INET6, "2001:0DB8:00AB:000C:0000:FFFF:0001:ABCD", "2001:db8:ab:c:0:ffff:1:abcd" },
		/* 4.2.3: of equal runs the first; 4.2.3: the longest. */
		{ AF_INET6, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ AF_INET6, "2001:0:0:1:0:0:0:1", "2001:0:0:1::1" },
		{ AF_INET6, "0:0:1:0:0:0:1:0", "0:0:1::1:0" },
		/* 4.2.2: one zero group is no run. */
		{ AF_INET6, "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
		{ AF_INET6, "0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7" },
		{ AF_INET6, "1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0" },
		{ AF_INET6, "1:0:0:2:3:4:5:6", "1::2:3:4:5:6" },
		{ AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
		/* 5: IPv4-mapped addresses end dotted. */
		{ AF_INET6, "::ffff:1.2.3.4", "::ffff:1.2.3.4" },
		{ AF_INET6, "::ffff:0.0.0.0", "::ffff:0.0.0.0" },
		{ AF_INET6, "::ffff:255.255.255.255", "::ffff:255.255.255.255" },
		/* IPv4-compatible (deprecated) is no mapped address: hex. */
		{ AF_INET6, "::1.2.3.4", "::102:304" },
		{ AF_INET, "0.0.0.0", "0.0.0.0" },
		{ AF_INET, "127.0.0.1", "127.0.0.1" },
		{ AF_INET, "10.0.100.9", "10.0.100.9" },
		{ AF_INET, "255.255.255.255", "255.255.255.255" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		unsigned char a[16] = { 0 };
		struct line l;

		if (inet_pton(rows[i].family, rows[i].in, a) != 1) {
			fail_msg("%s: bad address in the row", rows[i].in);
			return;
		}
		line_reset(&l);
		line_ip(&l, rows[i].family, a);
		ROW_MEM(rows[i].in, l.buf, l.len, rows[i].want, strlen(rows[i].want));
	}
}

/* What glibc's inet_ntop writes is RFC 5952 too: every address a walk of runs and values reaches must agree. */
static void line_ip_agrees_with_inet_ntop(void **state)
{
	static const unsigned short values[] = { 0, 1, 0xabc, 0xffff };
	unsigned long mask;

	(void)state;
	/* Each of the 8 groups zero or not, the nonzero ones cycling through values. */
	for (mask = 0; mask < 256; mask++) {
		unsigned char a[16];
		char want[INET6_ADDRSTRLEN];
		struct line l;
		int g;

		for (g = 0; g < 8; g++) {
			unsigned v = (mask >> g) & 1 ? values[1 + (unsigned)(g + (int)mask) % 3] : 0;

			a[2 * g] = (unsigned char)(v >> 8);
			a[2 * g + 1] = (unsigned char)v;
		}
		if (!inet_ntop(AF_INET6, a, want, sizeof(want))) {
			fail_msg("inet_ntop: %s", strerror(errno));
			return;
		}
		/* glibc writes IPv4-compatible ::a.b.c.d too; RFC 5952 5 and line_ip keep those hex. */
		if (!memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0", 12) && strchr(want, '.'))
			continue;
		line_reset(&l);
		line_ip(&l, AF_INET6, a);
		ROW_MEM(want, l.buf, l.len, want, strlen(want));
	}
}

static void line_addr_brackets_ipv6_only(void **state)
{
	static const struct {
		int family;
		const char *in;
		unsigned port;
		const char *want;
	} rows[] = {
		{ AF_INET, "127.0.0.1", 80, "127.0.0.1:80" },
		{ AF_INET, "0.0.0.0", 65535, "0.0.0.0:65535" },
		{ AF_INET6, "::1", 80, "[::1]:80" },
		{ AF_INET6, "::", 1, "[::]:1" },
		{ AF_INET6, "2001:db8::1", 8443, "[2001:db8::1]:8443" },
		{ AF_INET6, "::ffff:10.0.0.1", 5432, "[::ffff:10.0.0.1]:5432" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		unsigned char a[16] = { 0 };
		struct line l;

		if (inet_pton(rows[i].family, rows[i].in, a) != 1) {
			fail_msg("%s: bad address in the row", rows[i].in);
			return;
		}
		line_reset(&l);
		line_addr(&l, rows[i].family, a, rows[i].port);
		ROW_MEM(rows[i].want, l.buf, l.len, rows[i].want, strlen(rows[i].want));
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_escaped_keeps_printable_escapes_the_rest),
		cmocka_unit_test(line_escaped_real_stat_comm_bytes),
		cmocka_unit_test(line_uint_and_line_int_edge_values),
		cmocka_unit_test(line_errno_is_what_colon_reason),
		cmocka_unit_test(line_reason_says_musls_words_or_the_number),
		cmocka_unit_test(line_reset_empties_and_clears_truncated),
		cmocka_unit_test(line_overflowing_line_size_is_cut_and_flagged),
		cmocka_unit_test(line_write_adds_newline_and_marks_a_cut_line),
		cmocka_unit_test(line_write_to_a_closed_pipe_fails_and_keeps_errno),
		cmocka_unit_test(line_duration_as_people_write_it),
		cmocka_unit_test(line_ip_rfc5952),
		cmocka_unit_test(line_ip_agrees_with_inet_ntop),
		cmocka_unit_test(line_addr_brackets_ipv6_only),
	};

	return cmocka_run_group_tests_name("line", tests, NULL, NULL);
}
