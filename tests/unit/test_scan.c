/*
 * lib/scan.c: the scanners of the command line's words, each with what it
 * says is wrong; the words for a usage error are check.c's and opts.c's.
 */
#include "fixture.h"

#include <arpa/inet.h>

#include <limits.h>
#include <stdbool.h>

#include "lib/scan.h"

/* ---- scan_uint ---- */

static void scan_uint_whole_string_within_max(void **state)
{
	static const struct {
		const char *s;
		unsigned long long max;
		int ret;
		unsigned long long v;
	} rows[] = {
		{ "0", 10, 0, 0 },
		{ "10", 10, 0, 10 },
		{ "11", 10, -2, 0 },
		{ "4194304", 4194304, 0, 4194304 },
		{ "4194305", 4194304, -2, 0 },
		{ "000000000000000000000000000007", 10, 0, 7 },
		{ "18446744073709551615", ULLONG_MAX, 0, ULLONG_MAX },
		{ "18446744073709551616", ULLONG_MAX, -2, 0 },
		{ "99999999999999999999999999", ULLONG_MAX, -2, 0 },
		{ "", 10, -1, 0 },
		{ "+1", 10, -1, 0 },
		{ "-1", 10, -1, 0 },
		{ " 1", 10, -1, 0 },
		{ "1 ", 10, -1, 0 },
		{ "1a", 10, -1, 0 },
		/* A non-digit anywhere is "not a number", even after digits that overflow. */
		{ "99999999999999999999999x", 10, -1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned long long v = 12345;

		ROW_INT(rows[i].s, scan_uint(rows[i].s, strlen(rows[i].s), rows[i].max, &v), rows[i].ret);
		if (rows[i].ret == 0 && v != rows[i].v)
			fail_msg("%s: value %llu, want %llu", rows[i].s, v, rows[i].v);
	}
}

/* ---- scan_duration ---- */

static void scan_duration_units_fractions_and_bare_seconds(void **state)
{
	static const struct {
		const char *s;
		enum scan_error ret;
		uint64_t ms;
	} rows[] = {
		{ "500ms", SCAN_OK, 500 },
		{ "5s", SCAN_OK, 5000 },
		{ "2m", SCAN_OK, 120000 },
		{ "1h", SCAN_OK, 3600000 },
		{ "1m30s", SCAN_OK, 90000 },
		{ "1h1m1s1ms", SCAN_OK, 3661001 },
		{ "1.5s", SCAN_OK, 1500 },
		{ ".5s", SCAN_OK, 500 },
		{ "0.25m", SCAN_OK, 15000 },
		{ "1.0001s", SCAN_OK, 1000 },       /* below a millisecond nothing counts */
		{ "10", SCAN_OK, 10000 },           /* a bare number is seconds */
		{ "0", SCAN_OK, 0 },
		{ "0s", SCAN_OK, 0 },
		{ "0.000ms", SCAN_OK, 0 },
		/* Not zero as written, zero once rounded: out of range, never --wait's "for ever". */
		{ "0.4ms", SCAN_RANGE, 0 },
		{ "0.0001s", SCAN_RANGE, 0 },
		{ "0.5ms0s", SCAN_RANGE, 0 },
		{ "2147483ms", SCAN_OK, 2147483 },
		{ "2147483647ms", SCAN_OK, 2147483647 },
		{ "2147483", SCAN_OK, 2147483000 },
		{ "596h", SCAN_OK, 2145600000 },
		{ "", SCAN_BAD, 0 },
		{ "5x", SCAN_BAD, 0 },
		{ "ms", SCAN_BAD, 0 },
		{ "s", SCAN_BAD, 0 },
		{ "-1", SCAN_BAD, 0 },
		{ "-1s", SCAN_BAD, 0 },
		{ "1.5", SCAN_BAD, 0 },
		{ "5 s", SCAN_BAD, 0 },
		{ " 5s", SCAN_BAD, 0 },
		{ "5s ", SCAN_BAD, 0 },
		{ "1m5", SCAN_BAD, 0 },
		{ "5S", SCAN_BAD, 0 },
		{ "5d", SCAN_BAD, 0 },
		{ ".s", SCAN_BAD, 0 },
		{ "1..5s", SCAN_BAD, 0 },
		{ "2147483648ms", SCAN_RANGE, 0 },
		{ "2147484", SCAN_RANGE, 0 },       /* 2147484000 ms */
		{ "597h", SCAN_RANGE, 0 },
		{ "596h1h", SCAN_RANGE, 0 },
		{ "99999999999999999999999", SCAN_RANGE, 0 },
		{ "99999999999999999999999s", SCAN_RANGE, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t ms = 777;

		ROW_INT(rows[i].s, scan_duration(rows[i].s, &ms), rows[i].ret);
		if (rows[i].ret == SCAN_OK)
			ROW_INT(rows[i].s, ms, rows[i].ms);
	}
}

/*
 * Was a bug: scan_duration() keeps three fraction digits whatever the
 * unit, which is right for seconds only. Input "0.0005h" (1.8 s) and
 * "1.0001h". Expected: 1800 ms and 3600360 ms. Actual: 0 ms and 3600000 ms,
 * so "-t 0.0005h" is refused as "duration out of range (1ms to 24 days)".
 */
static void scan_duration_fraction_of_an_hour_keeps_its_milliseconds(void **state)
{
	uint64_t ms = 0;

	(void)state;
	assert_int_equal(scan_duration("0.0005h", &ms), SCAN_OK);
	assert_int_equal(ms, 1800);
	assert_int_equal(scan_duration("1.0001h", &ms), SCAN_OK);
	assert_int_equal(ms, 3600360);
}

/*
 * Was a bug: scan_uint() computes (max - d) / 10 in unsigned
 * arithmetic, which wraps when a digit d exceeds max. Input: "7" with max 5
 * (or "9" with max 0). Expected: -2. Actual: 0 with the value 7 (9). No
 * caller passes a max below 9 today.
 */
static void scan_uint_digit_above_a_small_max_is_out_of_range(void **state)
{
	unsigned long long v = 0;

	(void)state;
	assert_int_equal(scan_uint("7", 1, 5, &v), -2);
	assert_int_equal(scan_uint("9", 1, 0, &v), -2);
}

/* ---- scan_port, scan_hostport, scan_option_last ---- */

static void scan_port_1_to_65535(void **state)
{
	static const struct {
		const char *s;
		enum scan_error ret;
		unsigned port;
	} rows[] = {
		{ "1", SCAN_OK, 1 }, { "80", SCAN_OK, 80 }, { "65535", SCAN_OK, 65535 }, { "080", SCAN_OK, 80 },
		{ "0", SCAN_RANGE, 0 }, { "65536", SCAN_RANGE, 0 }, { "99999999999999999999", SCAN_RANGE, 0 },
		{ "", SCAN_BAD, 0 }, { "8o", SCAN_BAD, 0 }, { "-1", SCAN_BAD, 0 }, { " 80", SCAN_BAD, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint16_t port = 7;

		ROW_INT(rows[i].s, scan_port(rows[i].s, strlen(rows[i].s), &port), rows[i].ret);
		ROW_INT(rows[i].s, port, rows[i].ret == SCAN_OK ? rows[i].port : 7);
	}
}

static void scan_hostport_splits_at_the_last_colon_or_the_bracket(void **state)
{
	static const struct {
		const char *s;
		enum hostport_error ret;
		const char *host, *port;        /* port NULL: none */
		bool bracketed;
	} rows[] = {
		{ "localhost:80", HOSTPORT_OK, "localhost", "80", false },
		{ "10.0.0.1:8080", HOSTPORT_OK, "10.0.0.1", "8080", false },
		{ "[::1]:80", HOSTPORT_OK, "::1", "80", true },
		{ "[::1]", HOSTPORT_OK, "::1", NULL, true },
		{ "[::1]:", HOSTPORT_OK, "::1", "", true },
		{ "example.com", HOSTPORT_OK, "example.com", NULL, false },
		{ ":80", HOSTPORT_OK, "", "80", false },
		{ "[::1", HOSTPORT_BRACKET, NULL, NULL, false },
		{ "[::1]80", HOSTPORT_BRACKET, NULL, NULL, false },
		{ "::1:80", HOSTPORT_BARE_V6, NULL, NULL, false },
		{ "fe80::1", HOSTPORT_BARE_V6, NULL, NULL, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hostport hp;

		ROW_INT(rows[i].s, scan_hostport(rows[i].s, strlen(rows[i].s), &hp), rows[i].ret);
		if (rows[i].ret != HOSTPORT_OK)
			continue;
		ROW_MEM(rows[i].s, hp.host, hp.host_len, rows[i].host, strlen(rows[i].host));
		ROW_INT(rows[i].s, hp.bracketed, rows[i].bracketed);
		ROW_INT(rows[i].s, hp.port != NULL, rows[i].port != NULL);
		if (rows[i].port)
			ROW_MEM(rows[i].s, hp.port, hp.port_len, rows[i].port, strlen(rows[i].port));
	}
}

/* Options come off the right end: what follows the last ',' is one, or the whole is a name or a path. */
static void scan_option_last_takes_the_rightmost_key_value(void **state)
{
	static const struct {
		const char *s;
		bool found;
		const char *key, *val;
		size_t rest;            /* bytes before the option's ',' */
	} rows[] = {
		{ "nginx,min=2", true, "min", "2", 5 },
		{ "nginx,min=2,max=3", true, "max", "3", 11 },
		{ "/run/a,b.pid,name=x", true, "name", "x", 12 },
		{ "a,b", false, NULL, NULL, 0 },
		{ "a,", false, NULL, NULL, 0 },
		{ "a,=1", false, NULL, NULL, 0 },
		{ "a,1x=1", false, NULL, NULL, 0 },
		{ "a,max-age=5m", true, "max-age", "5m", 1 },
		{ "a,x_y=", true, "x_y", "", 1 },
		{ "plain", false, NULL, NULL, 0 },
		{ "k=v", false, NULL, NULL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct scan_opt o;
		size_t n = strlen(rows[i].s);

		ROW_INT(rows[i].s, scan_option_last(rows[i].s, n, &o), rows[i].found);
		if (!rows[i].found)
			continue;
		ROW_MEM(rows[i].s, o.key, o.key_len, rows[i].key, strlen(rows[i].key));
		ROW_MEM(rows[i].s, o.val, o.val_len, rows[i].val, strlen(rows[i].val));
		ROW_INT(rows[i].s, (long long)(o.comma - rows[i].s), (long long)rows[i].rest);
	}
}

static void scan_ip_as_inet_pton(void **state)
{
	static const struct {
		int family;
		const char *s;
		int want;
		const char *bytes;      /* the address, when want is 1 */
	} rows[] = {
		{ AF_INET, "127.0.0.1", 1, "\x7f\0\0\1" },
		{ AF_INET, "255.255.255.255", 1, "\xff\xff\xff\xff" },
		{ AF_INET, "0.0.0.0", 1, "\0\0\0\0" },
		{ AF_INET, "256.0.0.1", 0, NULL },
		{ AF_INET, "01.2.3.4", 0, NULL },
		{ AF_INET, "1.2.3", 0, NULL },
		{ AF_INET, "1.2.3.4.", 0, NULL },
		{ AF_INET, "1.2.3.4 ", 0, NULL },
		{ AF_INET, "1..3.4", 0, NULL },
		{ AF_INET, "", 0, NULL },
		{ AF_INET6, "::", 1, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0" },
		{ AF_INET6, "::1", 1, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1" },
		{ AF_INET6, "1::", 1, "\0\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0" },
		{ AF_INET6, "fe80::1:2", 1, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\1\0\2" },
		{ AF_INET6, "1:2:3:4:5:6:7:8", 1, "\0\1\0\2\0\3\0\4\0\5\0\6\0\7\0\x08" },
		{ AF_INET6, "1:2:3:4:5:6:7::", 1, "\0\1\0\2\0\3\0\4\0\5\0\6\0\7\0\0" },
		{ AF_INET6, "::ffff:10.0.0.1", 1, "\0\0\0\0\0\0\0\0\0\0\xff\xff\x0a\0\0\1" },
		{ AF_INET6, "1:2:3:4:5:6:1.2.3.4", 1, "\0\1\0\2\0\3\0\4\0\5\0\6\1\2\3\4" },
		{ AF_INET6, "ABCD::eF", 1, "\xab\xcd\0\0\0\0\0\0\0\0\0\0\0\0\0\xef" },
		{ AF_INET6, "1:2:3:4:5:6:7:8::", 0, NULL },
		{ AF_INET6, "1:2:3:4:5:6:7:8:9", 0, NULL },
		{ AF_INET6, "1:2:3:4:5:6:7", 0, NULL },
		{ AF_INET6, "1::2::3", 0, NULL },
		{ AF_INET6, ":::", 0, NULL },
		{ AF_INET6, ":1::", 0, NULL },
		{ AF_INET6, "1:", 0, NULL },
		{ AF_INET6, "12345::", 0, NULL },
		{ AF_INET6, "::1.2.3.4:5", 0, NULL },
		{ AF_INET6, "1.2.3.4", 0, NULL },
		{ AF_INET6, "1:2:3:4:5:6:7:1.2.3.4", 0, NULL },
		{ AF_INET6, "::1%lo", 0, NULL },
		/* A control character is no hex digit, whatever its bits (0x11 | 0x20 is '1'). */
		{ AF_INET6, "::\x11", 0, NULL },
		{ AF_INET6, "::\x31", 1, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1" },
		{ AF_INET6, "", 0, NULL },
	};
	static const char *const pieces[] = { "0", "1", "9", "a", "F", "g", ":", "::", ".", "00", "255", "256", "ffff",
					      "12345", "1.2.3.4", "01" };
	unsigned char a[16], b[16];
	unsigned long long x = 1;
	char s[64];
	size_t i;
	int k, f;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ROW_INT(rows[i].s, scan_ip(rows[i].family, rows[i].s, a), rows[i].want);
		if (rows[i].want)
			ROW_MEM(rows[i].s, a, rows[i].family == AF_INET ? 4 : 16, rows[i].bytes, rows[i].family == AF_INET ? 4u : 16u);
	}
	/* Against the C library's inet_pton, on 200,000 strings made of the pieces that matter. */
	for (i = 0; i < 200000; i++) {
		s[0] = '\0';
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		for (k = (int)(x >> 60) % 12; k > 0; k--) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			if (strlen(s) + 8 < sizeof(s))
				strcat(s, pieces[(x >> 59) % 16]);
		}
		for (f = 0; f < 2; f++) {
			int fam = f ? AF_INET6 : AF_INET, want;

			memset(a, 0, sizeof(a));
			memset(b, 0, sizeof(b));
			want = inet_pton(fam, s, b);
			ROW_INT(s, scan_ip(fam, s, a), want);
			if (want)
				ROW_MEM(s, a, sizeof(a), b, sizeof(b));
		}
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_uint_whole_string_within_max),
		cmocka_unit_test(scan_duration_units_fractions_and_bare_seconds),
		cmocka_unit_test(scan_duration_fraction_of_an_hour_keeps_its_milliseconds),
		cmocka_unit_test(scan_uint_digit_above_a_small_max_is_out_of_range),
		cmocka_unit_test(scan_port_1_to_65535),
		cmocka_unit_test(scan_hostport_splits_at_the_last_colon_or_the_bracket),
		cmocka_unit_test(scan_option_last_takes_the_rightmost_key_value),
		cmocka_unit_test(scan_ip_as_inet_pton),
	};

	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
