/*
 * lib/glob.c: glob_match and glob_open against fnmatch(3), and args_match,
 * the same patterns fed a command line a chunk at a time.
 */
#include "fixture.h"

#include <fnmatch.h>

#include "lib/glob.h"
#include "lib/procpid.h"  /* CMDLINE_SIZE: the chunks the matcher is fed */

#define LEN(s) (sizeof(s) - 1)
/* A literal and its length, NULs inside included. */
#define BYTES(s) s, LEN(s)

/* ---- glob_match ---- */

static void glob_match_agrees_with_fnmatch_flags_0(void **state)
{
	static const struct {
		const char *pat, *s;
		bool match;
	} rows[] = {
		{ "", "", true },
		{ "", "a", false },
		{ "a", "", false },
		{ "*", "", true },
		{ "?", "", false },
		{ "sleep", "sleep", true },
		{ "sleep", "sleeper", false },
		{ "sleep", "slee", false },
		{ "ngin*", "nginx", true },
		{ "ngin*", "ngin", true },
		{ "*x", "nginx", true },
		{ "*x", "nginy", false },
		{ "*a*b*c", "xaxbxc", true },
		{ "*a*b*c", "xaxbxcx", false },
		{ "a*b", "acbd", false },
		{ "a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
		{ "**", "x", true },
		{ "?", "x", true },
		{ "??", "x", false },
		{ "n?inx", "nginx", true },
		/* '*' and '?' match '/': kernel workers are named "kworker/0:1". */
		{ "kworker/*", "kworker/1:2-cgroup_pidlist_destroy", true },
		{ "*", "a/b", true },
		{ "a?b", "a/b", true },
		{ "x[a-z]", "xm", true },
		{ "x[a-z]", "xM", false },
		{ "x[a-z]", "x-", false },
		{ "[abc]", "b", true },
		{ "[abc]", "d", false },
		{ "[a-]", "-", true },
		{ "[!x]", "y", true },
		{ "[!x]", "x", false },
		{ "[^x]", "y", true },
		{ "[^x]", "x", false },
		{ "[]x]", "]", true },
		{ "[]x]", "x", true },
		{ "[]x]", "y", false },
		{ "[!]x]", "]", false },
		{ "[!]x]", "y", true },
		{ "[\x80-\xff]", "\xe9", true },
		{ "[\x80-\xff]", "e", false },
		/* An unterminated '[' is an ordinary byte. */
		{ "[", "[", true },
		{ "a[b", "a[b", true },
		{ "a[b", "ab", false },
		{ "[!", "[!", true },
		{ "*[", "x[", true },
		/* A backslash makes the next byte ordinary. */
		{ "a\\*b", "a*b", true },
		{ "a\\*b", "axb", false },
		{ "\\[a]", "[a]", true },
		{ "\\[a]", "a", false },
		{ "\\?", "?", true },
		{ "\\?", "x", false },
		{ "\\a", "a", true },
		{ "a\\\\b", "a\\b", true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char name[64];
		bool got = glob_match(rows[i].pat, strlen(rows[i].pat), rows[i].s, strlen(rows[i].s));

		snprintf(name, sizeof(name), "pattern \"%s\" on \"%s\"", rows[i].pat, rows[i].s);
		ROW_INT(name, got, rows[i].match);
		/* The table itself is fnmatch(3)'s answer, in the C locale this test never leaves. */
		ROW_INT(name, fnmatch(rows[i].pat, rows[i].s, 0) == 0, rows[i].match);
	}
}

static void glob_match_reads_no_byte_past_the_lengths(void **state)
{
	(void)state;
	/* Lengths, not NULs, end pattern and string. */
	assert_true(glob_match("ab*", 2, "abc", 2));
	assert_false(glob_match("ab*", 2, "abc", 3));
	assert_true(glob_match("x[ab]", 2, "x[", 2));   /* "x[" alone: unterminated */
	/* The backslash ends the pattern: it cannot escape the '*' beyond len. */
	assert_false(glob_match("a\\*", 2, "a*", 2));
	assert_true(glob_match("a\0b", 3, "a\0b", 3));
	assert_false(glob_match("a\0b", 3, "a\0c", 3));
}

static void glob_open_is_true_when_the_last_element_is_a_star(void **state)
{
	static const struct {
		const char *pat;
		bool open;
	} rows[] = {
		{ "", false },
		{ "*", true },
		{ "**", true },
		{ "a*", true },
		{ "*a", false },
		{ "a*b", false },
		{ "a?", false },
		{ "a\\*", false },     /* an escaped star */
		{ "a\\\\*", true },    /* an escaped backslash, then a star */
		{ "[*]", false },       /* a class holding a star */
		{ "[!*]", false },
		{ "[*", true },         /* an unterminated '[' is a byte; the star is one */
		{ "x[a-]*", true },
		{ "\\", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ROW_INT(rows[i].pat, glob_open(rows[i].pat, strlen(rows[i].pat)), rows[i].open);
}

/* ---- args_match ---- */

/* What args_match stands for: argv[1..] of cmdline joined by spaces, trailing NULs dropped. Returns its length. */
static size_t args_join(const char *cmd, size_t len, char *out)
{
	const char *nul = memchr(cmd, '\0', len);
	size_t n, i;

	if (!nul)
		return 0;
	n = len - (size_t)(nul + 1 - cmd);
	while (n && nul[n] == '\0')
		n--;
	for (i = 0; i < n; i++)
		out[i] = nul[1 + i] ? nul[1 + i] : ' ';
	return n;
}

/* Feeds cmdline in chunks of step, stopping once the answer is known, as the walk's reader does. */
static bool args_run(const char *pat, size_t pat_len, const char *cmd, size_t len, size_t step)
{
	static struct args_match m;
	size_t off;

	args_match_start(&m, pat, pat_len);
	for (off = 0; off < len; off += step)
		if (args_match_feed(&m, cmd + off, len - off < step ? len - off : step))
			break;
	return args_match_end(&m);
}

static void args_match_joins_arguments_after_argv0_by_spaces(void **state)
{
	static const struct {
		const char *what;
		const char *cmd;
		size_t len;
		const char *pat;
		bool match;
	} rows[] = {
		{ "a script", BYTES("python3\0/srv/app.py\0--port\08080\0"), "*app.py*", true },
		{ "joined by one space", BYTES("python3\0/srv/app.py\0--port\08080\0"), "/srv/app.py --port 8080", true },
		{ "argv[0] is not an argument", BYTES("python3\0/srv/app.py\0"), "python3*", false },
		{ "java -jar", BYTES("java\0-Xmx1g\0-jar\0svc.jar\0"), "*-jar svc.jar", true },
		{ "another jar", BYTES("java\0-jar\0other.jar\0"), "*-jar svc.jar*", false },
		{ "no arguments", BYTES("sleep\0"), "*", true },
		{ "no arguments, a pattern that wants some", BYTES("sleep\0"), "?*", false },
		{ "an empty argument inside is an empty word", BYTES("x\0a\0\0b\0"), "a  b", true },
		{ "trailing empty arguments are dropped", BYTES("x\0a\0\0\0"), "a", true },
		{ "... not turned into spaces", BYTES("x\0a\0\0\0"), "a *", false },
		{ "an empty argv[0]", BYTES("\0--flag\0/usr/bin/x\0"), "--flag /usr/bin/x", true },
		{ "no NUL: all argv[0]", BYTES("/usr/bin/no-nul-at-all"), "*", true },
		{ "no NUL: no arguments", BYTES("nginx: worker process"), "*worker*", false },
		/* A command line rewritten as one string, padded with NULs: no arguments. */
		{ "setproctitle", BYTES("nginx: master process /usr/sbin/nginx\0\0\0\0"), "*", true },
		{ "setproctitle: nothing to match", BYTES("nginx: master process /usr/sbin/nginx\0\0\0\0"), "*master*", false },
		{ "a kernel thread or zombie: empty", BYTES(""), "*", true },
		{ "spaces inside an argument are bytes", BYTES("sh\0-c\0sleep 1\0"), "-c sleep 1", true },
		{ "a newline in an argument", BYTES("sh\0a\nb\0"), "a?b", true },
		{ "'*' and '?' match '/'", BYTES("x\0/a/b\0"), "?a*b", true },
		{ "a class", BYTES("x\0--port=8080\0"), "--port=[0-9]*", true },
		{ "a byte that is not UTF-8", BYTES("x\0\xff\0"), "[\x80-\xff]", true },
		{ "the glob must match to the end", BYTES("python3\0app.py\0--debug\0"), "app.py", false },
		{ "the '*' must give bytes back", BYTES("x\0aab\0"), "*ab", true },
		{ "... and again", BYTES("x\0abababc\0"), "*ababc", true },
		{ "... across an argument", BYTES("x\0ab\0abc\0"), "*b a*c", true },
	};
	static const size_t steps[] = { 1, 2, 3, 7, CMDLINE_SIZE };
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char joined[128];
		size_t jn = args_join(rows[i].cmd, rows[i].len, joined);

		/* The table is glob_match's answer on the joined arguments ... */
		ROW_INT(rows[i].what, glob_match(rows[i].pat, strlen(rows[i].pat), joined, jn), rows[i].match);
		/* ... and the stream's, in any chunks. */
		for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
			ROW_INT(rows[i].what, args_run(rows[i].pat, strlen(rows[i].pat), rows[i].cmd, rows[i].len, steps[k]),
				rows[i].match);
	}
}

static void args_match_agrees_with_glob_match_on_random_inputs(void **state)
{
	static const char *const elems[] = { "a", "b", " ", "*", "*", "?", "[ab]", "[!a]", "\\*", "\\a", "[" };
	static const char bytes[] = { 'a', 'b', ' ', '\0', '*', '[' };
	unsigned long long x = 88172645463325252ULL;
	int round;

	(void)state;
	for (round = 0; round < 200000; round++) {
		char pat[64], cmd[64], joined[64], what[200];
		size_t pn = 0, cn, jn, k, step;
		int e;

		/* xorshift64: the same inputs on every run. */
		for (e = (int)(x % 7); e >= 0; e--) {
			const char *el;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			el = elems[x % (sizeof(elems) / sizeof(elems[0]))];
			memcpy(pat + pn, el, strlen(el));
			pn += strlen(el);
		}
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		cn = x % 14;
		for (k = 0; k < cn; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			cmd[k] = bytes[x % sizeof(bytes)];
		}
		step = 1 + x % 4;
		jn = args_join(cmd, cn, joined);
		snprintf(what, sizeof(what), "round %d: pattern \"%.*s\", %zu bytes of cmdline", round, (int)pn, pat, cn);
		ROW_INT(what, args_run(pat, pn, cmd, cn, step), glob_match(pat, pn, joined, jn));
	}
}

static void args_match_streams_megabytes_and_stops_once_known(void **state)
{
	static char big[1 << 20], pat[ARGS_GLOB_SIZE];
	static struct args_match m;
	size_t n = sizeof(big);

	(void)state;
	/* python3 then one argument of a mebibyte, "app.py" at its very end. */
	memset(big, 'x', n);
	memcpy(big, "python3", 8);
	memcpy(big + n - 7, "app.py", 7);
	assert_true(args_run(BYTES("*app.py"), big, n, CMDLINE_SIZE));
	assert_true(args_run(BYTES("*app.py*"), big, n, CMDLINE_SIZE));
	assert_false(args_run(BYTES("*app.py?"), big, n, CMDLINE_SIZE));
	/* Cut before its end, the same command line does not match: no pass on a part. */
	assert_false(args_run(BYTES("*app.py*"), big, n - 8, CMDLINE_SIZE));
	/* Known early: a match with a '*' left to take the rest, and a first argument that cannot start a match. */
	args_match_start(&m, BYTES("*x*"));
	assert_true(args_match_feed(&m, big, 10));
	assert_true(args_match_end(&m));
	args_match_start(&m, BYTES("-jar *"));
	assert_true(args_match_feed(&m, big, 10));
	assert_false(args_match_end(&m));
	args_match_start(&m, BYTES("*z*"));
	assert_false(args_match_feed(&m, big, n));
	assert_false(args_match_end(&m));
	args_match_start(&m, BYTES("*"));
	assert_true(args_match_feed(&m, "", 0));
	/* The longest pattern, '?'s then a '*', on the longest argument: the buffer holds. */
	memset(pat, '?', sizeof(pat) - 1);
	pat[sizeof(pat) - 1] = '*';
	assert_true(args_run(pat, sizeof(pat), big, n, CMDLINE_SIZE));
	/*
	 * A '*' then ARGS_GLOB_SIZE - 1 elements: every byte that fails the last
	 * one gives all the others back to replay, the worst case, on 64 KiB.
	 */
	pat[0] = '*';
	pat[sizeof(pat) - 1] = 'q';
	assert_false(args_run(pat, sizeof(pat), big, 1 << 16, 1000));
	pat[sizeof(pat) - 1] = '?';
	assert_true(args_run(pat, sizeof(pat), big, 1 << 16, 1000));
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(glob_match_agrees_with_fnmatch_flags_0),
		cmocka_unit_test(glob_match_reads_no_byte_past_the_lengths),
		cmocka_unit_test(glob_open_is_true_when_the_last_element_is_a_star),
		cmocka_unit_test(args_match_joins_arguments_after_argv0_by_spaces),
		cmocka_unit_test(args_match_agrees_with_glob_match_on_random_inputs),
		cmocka_unit_test(args_match_streams_megabytes_and_stops_once_known),
	};

	return cmocka_run_group_tests_name("glob", tests, NULL, NULL);
}
