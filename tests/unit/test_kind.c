/*
 * kind.c: the table of kinds. A CHECK finds its kind by the word before its
 * ':'; --help's lines and the "known:" list come from the table; every kind
 * in it can parse, and every kind that runs says what it does for the
 * watchdog's line.
 */
#include "fixture.h"

#include "kind.h"

#define LEN(s) (sizeof(s) - 1)

static void check_parse_finds_each_kind_by_its_word(void **state)
{
	static const struct {
		const char *spec, *kind;
	} rows[] = {
		{ "proc:nginx", "proc:" }, { "pid:1", "pid:" }, { "pidfile:/run/x.pid", "pidfile:" },
		{ "tcp:80", "tcp:" }, { "udp:53", "udp:" }, { "unix:/run/x.sock", "unix:" },
		{ "connect:localhost:80", "connect:" }, { "http://localhost/", "http://" }, { "grpc://localhost:50051", "grpc://" },
		{ "file:/tmp/beat", "file:" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check c;
		struct line err;

		ROW_INT(rows[i].spec, check_parse(rows[i].spec, &c, &err), 0);
		ROW_MEM(rows[i].spec, c.kind->name, strlen(c.kind->name), rows[i].kind, strlen(rows[i].kind));
		/* The argument is what follows the kind's name ("http://"), and the state the kind's own. */
		ROW_INT(rows[i].spec, c.arg == rows[i].spec + strlen(rows[i].kind), 1);
		ROW_INT(rows[i].spec, c.state != NULL, 1);
		ROW_INT(rows[i].spec, c.outer == NULL, 1);
	}
}

/* not:CHECK is CHECK of CHECK's kind, with not: around it, and the whole argument as its spec. */
static void check_parse_not_wraps_the_check_inside(void **state)
{
	static const char *const specs[] = { "not:tcp:8080", "not:proc:legacy-agent,max=0", "not:http://127.0.0.1:8080/ready",
					     "not:file:/etc/maintenance" };
	static const char *const kinds_of[] = { "tcp:", "proc:", "http://", "file:" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct check c;
		struct line err;

		ROW_INT(specs[i], check_parse(specs[i], &c, &err), 0);
		ROW_MEM(specs[i], c.kind->name, strlen(c.kind->name), kinds_of[i], strlen(kinds_of[i]));
		ROW_INT(specs[i], c.outer != NULL && c.outer->judge != NULL, 1);
		ROW_INT(specs[i], c.spec == specs[i], 1);
		ROW_INT(specs[i], c.arg == specs[i] + 4 + strlen(kinds_of[i]), 1);
	}
}

/* The judge turns a pass into a failure that says what was found, a failure into a pass; 3 stays 3. */
static void not_turns_the_verdict_and_keeps_cannot_check(void **state)
{
	static const struct {
		enum verdict in;
		const char *why;
		enum verdict out;
		const char *line;
	} rows[] = {
		{ VERDICT_PASS, "ok: listening on 0.0.0.0:8080", VERDICT_FAIL, "listening on 0.0.0.0:8080" },
		{ VERDICT_FAIL, "not listening on port 8080", VERDICT_PASS, "ok: not listening on port 8080" },
		{ VERDICT_FAIL, "timed out after 800ms connecting to 10.0.0.1:80", VERDICT_PASS,
		  "ok: timed out after 800ms connecting to 10.0.0.1:80" },
		{ VERDICT_ERROR, "cannot read /proc/net/tcp: permission denied", VERDICT_ERROR,
		  "cannot read /proc/net/tcp: permission denied" },
		{ VERDICT_UNKNOWN, "", VERDICT_UNKNOWN, "" },
		/* A failure healthy could not see through (weak): cannot tell, never a pass. */
		{ VERDICT_FAIL, "not running (this PID namespace shows 2 processes: is it shared?)", VERDICT_ERROR,
		  "cannot tell: not running (this PID namespace shows 2 processes: is it shared?)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check c;
		struct line err;

		ROW_INT(rows[i].why, check_parse("not:tcp:8080", &c, &err), 0);
		c.verdict = rows[i].in;
		c.weak = !strncmp(rows[i].why, "not running (this", 17);
		line_reset(&c.why);
		line_str(&c.why, rows[i].why);
		c.outer->judge(&c);
		ROW_INT(rows[i].why, c.verdict, rows[i].out);
		ROW_MEM(rows[i].why, c.why.buf, c.why.len, rows[i].line, strlen(rows[i].line));
	}
}

/* A failure's line as long as a line gets stays cut, and says so, once "ok: " is before it. */
static void not_keeps_a_full_line_cut(void **state)
{
	struct check c;
	struct line err;
	char big[LINE_SIZE];

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_int_equal(check_parse("not:file:/x", &c, &err), 0);
	c.verdict = VERDICT_FAIL;
	line_reset(&c.why);
	line_mem(&c.why, big, sizeof(big));
	assert_true(c.why.truncated);
	c.outer->judge(&c);
	assert_int_equal(c.verdict, VERDICT_PASS);
	assert_true(c.why.truncated);
	assert_int_equal(c.why.len, LINE_SIZE - 1);
	assert_memory_equal(c.why.buf, "ok: xxx", 7);
}

static void check_parse_words_for_what_is_no_kind(void **state)
{
	static const struct {
		const char *spec, *line;
	} rows[] = {
		{ "", "healthy: an empty argument is not a CHECK" },
		{ "nginx", "healthy: nginx: not a check (did you mean proc:nginx?)" },
		{ "foo:x", "healthy: foo:x: unknown check kind 'foo' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, "
			   "connect:, http://, https://, grpc://, grpcs://, file:, not:)" },
		/* The word must be a whole name: "pro" is not "proc", nor "procs". */
		{ "pro:x", "healthy: pro:x: unknown check kind 'pro' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, "
			   "connect:, http://, https://, grpc://, grpcs://, file:, not:)" },
		{ ":x", "healthy: :x: unknown check kind '' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, "
			"connect:, http://, https://, grpc://, grpcs://, file:, not:)" },
		{ "https:x", "healthy: https:x: write https://HOST[:PORT][/PATH]" },
		{ "grpcs:x", "healthy: grpcs:x: write grpcs://HOST:PORT" },
		/* not:CHECK: the messages name the whole argument, the suggestion keeps the not:. */
		{ "not:", "healthy: not:: needs a CHECK after it (not:tcp:8080)" },
		{ "not:nginx", "healthy: not:nginx: not a check (did you mean not:proc:nginx?)" },
		{ "not:not:tcp:1", "healthy: not:not:tcp:1: not: of not: is the check itself (drop both)" },
		{ "not:foo:x", "healthy: not:foo:x: unknown check kind 'foo' (known: proc:, pid:, pidfile:, tcp:, udp:, "
			       "unix:, connect:, http://, https://, grpc://, grpcs://, file:, not:)" },
		{ "not:tcp:99999", "healthy: not:tcp:99999: port out of range" },
		{ "not:proc:x,foo=1", "healthy: not:proc:x,foo=1: unknown option 'foo' (proc: takes min=, max=, user=, args=)" },
		{ "not:grpc://h:1,x=1", "healthy: not:grpc://h:1,x=1: unknown option 'x' (grpc:// takes header=, host=, "
				       "service=, unix=)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check c;
		struct line err;

		line_reset(&err);
		ROW_INT(rows[i].spec, check_parse(rows[i].spec, &c, &err), -1);
		ROW_MEM(rows[i].spec, err.buf, err.len, rows[i].line, strlen(rows[i].line));
	}
}

/* --help's checks are each listed kind's usage, in the table's order; the unlisted have none. */
static void kind_usage_is_the_table_s_usages_in_order(void **state)
{
	static char buf[4096], want[4096];
	size_t i, n = 0, got;

	(void)state;
	for (i = 0; i < nkinds; i++) {
		const struct kind *k = kinds[i];

		assert_non_null(k->name);
		/* A kind parses and runs its checks, or wraps another's (not:), which does. */
		assert_true(!k->parse == !!k->judge);
		if (!k->usage)
			continue;
		/* Each usage starts with two spaces and the kind's word, and ends its last line. */
		assert_memory_equal(k->usage, "  ", 2);
		assert_memory_equal(k->usage + 2, k->name, strcspn(k->name, ":"));
		assert_int_equal(k->usage[strlen(k->usage) - 1], '\n');
		/* A kind that runs says what it is doing, for the watchdog's line. */
		assert_true(k->judge || (k->run && k->doing));
		memcpy(want + n, k->usage, strlen(k->usage));
		n += strlen(k->usage);
	}
	got = kind_usage(buf, sizeof(buf));
	assert_int_equal(got, n);
	assert_memory_equal(buf, want, n);
	/* Cut where the buffer ends, never past it. */
	assert_int_equal(kind_usage(buf, 10), 10);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_parse_finds_each_kind_by_its_word),
		cmocka_unit_test(check_parse_words_for_what_is_no_kind),
		cmocka_unit_test(check_parse_not_wraps_the_check_inside),
		cmocka_unit_test(not_turns_the_verdict_and_keeps_cannot_check),
		cmocka_unit_test(not_keeps_a_full_line_cut),
		cmocka_unit_test(kind_usage_is_the_table_s_usages_in_order),
	};

	return cmocka_run_group_tests_name("kind", tests, NULL, NULL);
}
