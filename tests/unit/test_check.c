/*
 * check.c: the lines that name a check, and the usage words made from the
 * scanners' reasons.
 */
#include "fixture.h"

#include "opts.h"
#include "kind.h"
#include "check.h"

#define LEN(s) (sizeof(s) - 1)

static void parsed(struct check *c, const char *spec)
{
	struct line err;

	if (check_parse(spec, c, &err))
		fail_msg("check_parse(\"%s\"): %.*s", spec, (int)err.len, err.buf);
}

static void check_line_start_names_the_spec_escaped(void **state)
{
	struct check c;
	struct line l;

	(void)state;
	parsed(&c, "proc:a\nb");
	check_line_start(&c, &l);
	assert_int_equal(l.len, LEN("healthy: proc:a\\nb: "));
	assert_memory_equal(l.buf, "healthy: proc:a\\nb: ", l.len);
}

static void check_line_start_cuts_a_long_spec_at_200_bytes(void **state)
{
	static char spec[300];
	struct check c;
	struct line l;

	(void)state;
	memcpy(spec, "file:/", 6);
	memset(spec + 6, 'a', sizeof(spec) - 7);
	parsed(&c, spec);
	check_line_start(&c, &l);
	assert_int_equal(l.len, LEN("healthy: ") + 200 + LEN("...: "));
	assert_memory_equal(l.buf + l.len - 5, "...: ", 5);
}

/* The scanner says what is wrong (lib/scan.c); check.c says it in the check's words. */
static void port_and_hostport_reasons_become_usage_words(void **state)
{
	static const struct {
		const char *s, *line;
	} rows[] = {
		{ "80x", "healthy: tcp:x: not a port (1-65535)" },
		{ "0", "healthy: tcp:x: port out of range" },
		{ "65536", "healthy: tcp:x: port out of range" },
		{ "[::1", "healthy: tcp:x: write an IPv6 address as [ADDR]:PORT" },
		{ "[::1]80", "healthy: tcp:x: write an IPv6 address as [ADDR]:PORT" },
		{ "::1:80", "healthy: tcp:x: write an IPv6 address in brackets: [::1]:PORT" },
	};
	struct check c = { .spec = "tcp:x" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hostport hp;
		struct line err;
		uint16_t port;
		int r = rows[i].s[0] == '[' || strchr(rows[i].s, ':')
				? check_hostport_split(&c, rows[i].s, strlen(rows[i].s), &hp, &err)
				: check_port_parse(&c, rows[i].s, strlen(rows[i].s), &port, &err);

		assert_int_equal(r, -1);
		assert_int_equal(err.len, strlen(rows[i].line));
		assert_memory_equal(err.buf, rows[i].line, err.len);
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_line_start_names_the_spec_escaped),
		cmocka_unit_test(check_line_start_cuts_a_long_spec_at_200_bytes),
		cmocka_unit_test(port_and_hostport_reasons_become_usage_words),
	};

	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
