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
	}
}

static void check_parse_words_for_what_is_no_kind(void **state)
{
	static const struct {
		const char *spec, *line;
	} rows[] = {
		{ "", "healthy: an empty argument is not a CHECK" },
		{ "nginx", "healthy: nginx: not a check (did you mean proc:nginx?)" },
		{ "foo:x", "healthy: foo:x: unknown check kind 'foo' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, "
			   "connect:, http://, https://, grpc://, grpcs://, file:)" },
		/* The word must be a whole name: "pro" is not "proc", nor "procs". */
		{ "pro:x", "healthy: pro:x: unknown check kind 'pro' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, "
			   "connect:, http://, https://, grpc://, grpcs://, file:)" },
		{ ":x", "healthy: :x: unknown check kind '' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, "
			"connect:, http://, https://, grpc://, grpcs://, file:)" },
		{ "https:x", "healthy: https:x: write https://HOST[:PORT][/PATH]" },
		{ "grpcs:x", "healthy: grpcs:x: write grpcs://HOST:PORT" },
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
		assert_non_null(k->parse);
		if (!k->usage)
			continue;
		/* Each usage starts with two spaces and the kind's word, and ends its last line. */
		assert_memory_equal(k->usage, "  ", 2);
		assert_memory_equal(k->usage + 2, k->name, strcspn(k->name, ":"));
		assert_int_equal(k->usage[strlen(k->usage) - 1], '\n');
		/* A kind that runs says what it is doing, for the watchdog's line. */
		assert_non_null(k->run);
		assert_non_null(k->doing);
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
		cmocka_unit_test(kind_usage_is_the_table_s_usages_in_order),
	};

	return cmocka_run_group_tests_name("kind", tests, NULL, NULL);
}
