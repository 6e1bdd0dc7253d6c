/*
 * kinds/sock.c: its spec parser as check_parse() reaches it: tcp:, udp:
 * (PORT, ADDR:PORT, [ADDR6]:PORT, localhost:PORT) and unix: (PATH, @NAME),
 * and the exact usage line of every error; and sock_accepts(), which socket
 * takes a connection to ADDR, fed the sockets of real sock_diag answers
 * (tests/fixtures/diag-*.bin, test_sockdiag.c says how they were recorded)
 * and entries as /proc/net and bound devices give them.
 */
#include "fixture.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "opts.h"
#include "kind.h"
#include "kinds/sock.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* sun_path is 108 bytes: a path needs its NUL, an abstract name its leading one. */
#define NAME_MAX_LEN 107

struct good_row {
	const char *spec;
	const struct kind *kind;
	int family;             /* 0: any address */
	const char *addr;       /* as inet_pton(family) reads it; NULL: all zero */
	unsigned port;
	bool localhost;
	bool abstract;
};

static void good_rows(const struct good_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct good_row *r = &rows[i];
		const char *body = strchr(r->spec, ':') + 1;
		unsigned char want[16] = { 0 };
		struct check c;
		struct line err;

		line_reset(&err);
		ROW_INT(r->spec, check_parse(r->spec, &c, &err), 0);
		if (err.len)
			fail_msg("%s: err is \"%.*s\", want none", r->spec, (int)err.len, err.buf);
		ROW_INT(r->spec, c.kind == r->kind, 1);
		ROW_MEM(r->spec, c.arg, c.arg_len, body, strlen(body));
		if (r->kind == &kind_unix) {
			ROW_INT(r->spec, STATE(sock, &c)->abstract, r->abstract);
			continue;
		}
		ROW_INT(r->spec, STATE(sock, &c)->family, r->family);
		ROW_INT(r->spec, STATE(sock, &c)->port, r->port);
		ROW_INT(r->spec, STATE(sock, &c)->localhost, r->localhost);
		if (r->addr && inet_pton(r->family, r->addr, want) != 1)
			fail_msg("%s: bad address %s in the row", r->spec, r->addr);
		/* An IPv4 address is in the first 4 bytes. */
		ROW_MEM(r->spec, STATE(sock, &c)->addr, r->family == AF_INET6 ? 16u : 4u, want, r->family == AF_INET6 ? 16u : 4u);
	}
}

static void sock_parse_tcp_and_udp_port_address_localhost(void **state)
{
	static const struct good_row rows[] = {
		{ "tcp:80", &kind_tcp, 0, NULL, 80, false, false },
		{ "tcp:1", &kind_tcp, 0, NULL, 1, false, false },
		{ "tcp:65535", &kind_tcp, 0, NULL, 65535, false, false },
		{ "tcp:0080", &kind_tcp, 0, NULL, 80, false, false },
		{ "tcp:127.0.0.1:80", &kind_tcp, AF_INET, "127.0.0.1", 80, false, false },
		{ "tcp:0.0.0.0:8080", &kind_tcp, AF_INET, "0.0.0.0", 8080, false, false },
		{ "tcp:[::1]:80", &kind_tcp, AF_INET6, "::1", 80, false, false },
		{ "tcp:[::]:443", &kind_tcp, AF_INET6, "::", 443, false, false },
		{ "tcp:[2001:db8::1]:8443", &kind_tcp, AF_INET6, "2001:db8::1", 8443, false, false },
		/* Either loopback: /etc/hosts differs between images. */
		{ "tcp:localhost:80", &kind_tcp, AF_INET, NULL, 80, true, false },
		/* An IPv4-mapped address is the IPv4 one. */
		{ "tcp:[::ffff:10.0.0.1]:80", &kind_tcp, AF_INET, "10.0.0.1", 80, false, false },
		{ "udp:53", &kind_udp, 0, NULL, 53, false, false },
		{ "udp:127.0.0.53:53", &kind_udp, AF_INET, "127.0.0.53", 53, false, false },
		{ "udp:[::]:5353", &kind_udp, AF_INET6, "::", 5353, false, false },
		{ "udp:[::1]:65535", &kind_udp, AF_INET6, "::1", 65535, false, false },
		{ "udp:localhost:53", &kind_udp, AF_INET, NULL, 53, true, false },
		{ "udp:[::ffff:127.0.0.1]:53", &kind_udp, AF_INET, "127.0.0.1", 53, false, false },
	};

	(void)state;
	good_rows(rows, ROWS(rows));
}

static void sock_parse_unix_path_and_abstract_name(void **state)
{
	static const struct good_row rows[] = {
		{ "unix:/run/app.sock", &kind_unix, 0, NULL, 0, false, false },
		{ "unix:/run/my app/ctl sock", &kind_unix, 0, NULL, 0, false, false },
		{ "unix:relative.sock", &kind_unix, 0, NULL, 0, false, false },
		{ "unix:@name", &kind_unix, 0, NULL, 0, false, true },
		{ "unix:@/looks/like/a/path", &kind_unix, 0, NULL, 0, false, true },
	};

	(void)state;
	good_rows(rows, ROWS(rows));
}

/* "unix:" and a path (or '@' and a name) of n bytes of 'a' after the first. */
static void long_unix_spec(char *buf, size_t size, bool abstract, size_t n)
{
	size_t i;

	assert_true(5 + 1 + n + 1 <= size);
	memcpy(buf, "unix:", 5);
	buf[5] = abstract ? '@' : '/';
	for (i = 0; i < n - (abstract ? 0 : 1); i++)
		buf[6 + i] = 'a';
	buf[6 + i] = '\0';
}

static void sock_parse_unix_107_bytes_fit_108_do_not(void **state)
{
	static const char why[] = ": longer than an abstract socket name can be (107 bytes)";
	static char spec[256];
	char want[LINE_SIZE];
	struct check c;
	struct line err;

	(void)state;
	/* A path of 107 bytes, and its NUL: the whole of sun_path. */
	long_unix_spec(spec, sizeof(spec), false, NAME_MAX_LEN);
	assert_int_equal(strlen(spec + 5), NAME_MAX_LEN);
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_int_equal(c.arg_len, NAME_MAX_LEN);
	/* The leading NUL, and a name of 107 bytes. */
	long_unix_spec(spec, sizeof(spec), true, NAME_MAX_LEN);
	assert_int_equal(strlen(spec + 6), NAME_MAX_LEN);
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_true(STATE(sock, &c)->abstract);

	/* A longer path is fine: its server bound a relative one. */
	long_unix_spec(spec, sizeof(spec), false, NAME_MAX_LEN + 1);
	assert_int_equal(check_parse(spec, &c, &err), 0);

	long_unix_spec(spec, sizeof(spec), true, NAME_MAX_LEN + 1);
	assert_int_equal(check_parse(spec, &c, &err), -1);
	snprintf(want, sizeof(want), "healthy: %s%s", spec, why);
	assert_int_equal(err.len, strlen(want));
	assert_memory_equal(err.buf, want, err.len);

	long_unix_spec(spec, sizeof(spec), false, 200);
	assert_int_equal(check_parse(spec, &c, &err), 0);
}

static void sock_parse_errors_give_exact_usage_line(void **state)
{
	static const struct {
		const char *spec;
		const char *err;
	} rows[] = {
		{ "tcp:0", "healthy: tcp:0: port out of range" },
		{ "tcp:65536", "healthy: tcp:65536: port out of range" },
		{ "tcp:99999999999999999999", "healthy: tcp:99999999999999999999: port out of range" },
		{ "tcp:", "healthy: tcp:: not a port (1-65535)" },
		{ "tcp:http", "healthy: tcp:http: not a port (1-65535)" },
		{ "tcp:80a", "healthy: tcp:80a: not a port (1-65535)" },
		{ "tcp:-1", "healthy: tcp:-1: not a port (1-65535)" },
		{ "tcp:+80", "healthy: tcp:+80: not a port (1-65535)" },
		{ "tcp: 80", "healthy: tcp: 80: not a port (1-65535)" },
		{ "tcp:127.0.0.1", "healthy: tcp:127.0.0.1: not a port (1-65535)" },
		{ "tcp:127.0.0.1:http", "healthy: tcp:127.0.0.1:http: not a port (1-65535)" },
		{ "tcp:127.0.0.1:", "healthy: tcp:127.0.0.1:: not a port (1-65535)" },
		{ "tcp:127.0.0.1:0", "healthy: tcp:127.0.0.1:0: port out of range" },
		{ "tcp:127.0.0.1:65536", "healthy: tcp:127.0.0.1:65536: port out of range" },
		{ "tcp:localhost:0", "healthy: tcp:localhost:0: port out of range" },
		{ "tcp:::1:80", "healthy: tcp:::1:80: write an IPv6 address in brackets: [::1]:PORT" },
		{ "tcp:fe80::1:80", "healthy: tcp:fe80::1:80: write an IPv6 address in brackets: [::1]:PORT" },
		{ "tcp:[::1:80", "healthy: tcp:[::1:80: write an IPv6 address as [ADDR]:PORT" },
		{ "tcp:[::1]80", "healthy: tcp:[::1]80: write an IPv6 address as [ADDR]:PORT" },
		{ "tcp:[::1]", "healthy: tcp:[::1]: write an IPv6 address as [ADDR]:PORT" },
		{ "tcp:[::1]:", "healthy: tcp:[::1]:: not a port (1-65535)" },
		{ "tcp:[::1]:0", "healthy: tcp:[::1]:0: port out of range" },
		{ "tcp:[::1]:65536", "healthy: tcp:[::1]:65536: port out of range" },
		{ "tcp:1.2.3:80", "healthy: tcp:1.2.3:80: not an IPv4 address (tcp: and udp: look at this machine's sockets)" },
		{ "tcp:256.0.0.1:80", "healthy: tcp:256.0.0.1:80: not an IPv4 address (tcp: and udp: look at this machine's sockets)" },
		{ "tcp:example.com:80", "healthy: tcp:example.com:80: not an IPv4 address (tcp: and udp: look at this machine's sockets)" },
		{ "tcp:LOCALHOST:80", "healthy: tcp:LOCALHOST:80: not an IPv4 address (tcp: and udp: look at this machine's sockets)" },
		{ "tcp::80", "healthy: tcp::80: not an IPv4 address" },
		{ "tcp:[::g]:80", "healthy: tcp:[::g]:80: not an IPv6 address" },
		{ "tcp:[]:80", "healthy: tcp:[]:80: not an IPv6 address" },
		{ "tcp:[127.0.0.1]:80", "healthy: tcp:[127.0.0.1]:80: not an IPv6 address" },
		{ "tcp:[localhost]:80", "healthy: tcp:[localhost]:80: not an IPv6 address" },
		{ "tcp:[1:2:3:4:5:6:7:8:9]:80", "healthy: tcp:[1:2:3:4:5:6:7:8:9]:80: not an IPv6 address" },
		{ "tcp:[0000:0000:0000:0000:0000:0000:0000:0000:0000:0000]:80",
		  "healthy: tcp:[0000:0000:0000:0000:0000:0000:0000:0000:0000:0000]:80: not an IPv6 address" },
		{ "udp:0", "healthy: udp:0: port out of range" },
		{ "udp:65536", "healthy: udp:65536: port out of range" },
		{ "udp:", "healthy: udp:: not a port (1-65535)" },
		{ "udp:dns", "healthy: udp:dns: not a port (1-65535)" },
		{ "udp:::53", "healthy: udp:::53: write an IPv6 address in brackets: [::1]:PORT" },
		{ "udp:[::53", "healthy: udp:[::53: write an IPv6 address as [ADDR]:PORT" },
		{ "udp:[::]53", "healthy: udp:[::]53: write an IPv6 address as [ADDR]:PORT" },
		{ "udp:1.2.3.4.5:53", "healthy: udp:1.2.3.4.5:53: not an IPv4 address (tcp: and udp: look at this machine's sockets)" },
		{ "udp:[::x]:53", "healthy: udp:[::x]:53: not an IPv6 address" },
		{ "unix:", "healthy: unix:: empty path" },
		{ "unix:@", "healthy: unix:@: empty name" },
		/* The spec is escaped: the line stays one line. */
		{ "tcp:\n80", "healthy: tcp:\\n80: not a port (1-65535)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct check c;
		struct line err;

		line_reset(&err);
		ROW_INT(rows[i].err, check_parse(rows[i].spec, &c, &err), -1);
		ROW_MEM(rows[i].err, err.buf, err.len, rows[i].err, strlen(rows[i].err));
	}
}

/* ---- sock_accepts ---- */

/* test_sockdiag.c's recording: the dump's sequence number and the port id it was sent to. */
#define REC_SEQ 1u
#define REC_PORTID 4242u

struct entries {
	struct sock_entry e[8];
	size_t n;
};

static int keep(const struct sock_entry *e, void *ctx)
{
	struct entries *s = ctx;

	if (e && s->n < ROWS(s->e))
		s->e[s->n++] = *e;
	return 0;
}

/* The sockets of one recorded dump, in table order. */
static void entries_load(const char *name, int family, struct entries *s)
{
	static unsigned char buf[16384];
	size_t len = fixture_load(name, (char *)buf, sizeof(buf));
	bool intr = false;
	int err = 0;

	s->n = 0;
	assert_int_equal(nl_batch_parse(buf, len, REC_SEQ, REC_PORTID, family, keep, s, &err, &intr), NL_MORE);
}

static const struct sock_check *parsed(const char *spec, struct check *c)
{
	struct line err;

	if (check_parse(spec, c, &err))
		fail_msg("%s: %.*s", spec, (int)err.len, err.buf);
	return c->state;
}

/*
 * diag-tcp4-1.bin: 127.0.0.1:5432. diag-tcp6-1.bin: [::]:8443 IPV6_V6ONLY,
 * [::1]:9000, [::]:8080 dual-stack. Each check asks on the socket's port.
 */
static void sock_accepts_recorded_listeners(void **state)
{
	static const struct {
		const char *fixture;
		int family;
		size_t nth;
		const char *spec;
		enum accept want;
	} rows[] = {
		{ "diag-tcp4-1.bin", AF_INET, 0, "tcp:5432", ACCEPT_YES },
		{ "diag-tcp4-1.bin", AF_INET, 0, "tcp:127.0.0.1:5432", ACCEPT_YES },
		{ "diag-tcp4-1.bin", AF_INET, 0, "tcp:127.0.0.2:5432", ACCEPT_NO },
		{ "diag-tcp4-1.bin", AF_INET, 0, "tcp:10.0.0.1:5432", ACCEPT_NO },
		{ "diag-tcp4-1.bin", AF_INET, 0, "tcp:[::1]:5432", ACCEPT_NO },
		{ "diag-tcp4-1.bin", AF_INET, 0, "tcp:localhost:5432", ACCEPT_YES },
		{ "diag-tcp6-1.bin", AF_INET6, 0, "tcp:[::1]:8443", ACCEPT_YES },
		{ "diag-tcp6-1.bin", AF_INET6, 0, "tcp:127.0.0.1:8443", ACCEPT_V6ONLY },
		{ "diag-tcp6-1.bin", AF_INET6, 0, "tcp:localhost:8443", ACCEPT_YES },
		{ "diag-tcp6-1.bin", AF_INET6, 1, "tcp:[::1]:9000", ACCEPT_YES },
		{ "diag-tcp6-1.bin", AF_INET6, 1, "tcp:[::2]:9000", ACCEPT_NO },
		{ "diag-tcp6-1.bin", AF_INET6, 1, "tcp:127.0.0.1:9000", ACCEPT_NO },
		{ "diag-tcp6-1.bin", AF_INET6, 2, "tcp:127.0.0.1:8080", ACCEPT_YES },
		{ "diag-tcp6-1.bin", AF_INET6, 2, "tcp:[::ffff:127.0.0.1]:8080", ACCEPT_YES },
		{ "diag-tcp6-1.bin", AF_INET6, 2, "tcp:[fe80::1]:8080", ACCEPT_YES },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct entries s;
		struct check c;

		entries_load(rows[i].fixture, rows[i].family, &s);
		assert_true(rows[i].nth < s.n);
		ROW_INT(rows[i].spec, sock_accepts(parsed(rows[i].spec, &c), &s.e[rows[i].nth]), rows[i].want);
	}
}

/*
 * What sock_diag shows beyond the recordings: a bound device (lo is 1), and
 * what /proc/net cannot show (-1: no device field, no IPV6_V6ONLY).
 */
static void sock_accepts_bound_devices_and_what_procnet_hides(void **state)
{
	static const struct {
		const char *addr;       /* the socket's, AF_INET6 if it holds ':' */
		int bound_if, v6only;
		const char *spec;
		enum accept want;
	} rows[] = {
		{ "0.0.0.0", 2, 0, "tcp:127.0.0.1:80", ACCEPT_DEVICE },
		{ "0.0.0.0", 1, 0, "tcp:127.0.0.1:80", ACCEPT_YES },
		{ "0.0.0.0", 2, 0, "tcp:10.1.2.3:80", ACCEPT_DEVICE_UNSURE },
		{ "0.0.0.0", 2, 0, "tcp:80", ACCEPT_YES },
		{ "0.0.0.0", -1, 0, "tcp:127.0.0.1:80", ACCEPT_DEVICE_UNKNOWN },
		{ "127.0.0.1", -1, 0, "tcp:127.0.0.1:80", ACCEPT_YES },
		{ "::", 0, -1, "tcp:127.0.0.1:80", ACCEPT_UNKNOWN },
		{ "::", 0, 1, "tcp:[::1]:80", ACCEPT_YES },
		{ "::", 3, 0, "tcp:[::1]:80", ACCEPT_DEVICE },
		{ "::", 3, 0, "tcp:localhost:80", ACCEPT_DEVICE },
		{ "::", 1, 0, "tcp:localhost:80", ACCEPT_YES },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct sock_entry e = { .state = TCP_LISTEN, .port = 80 };
		struct check c;

		e.family = strchr(rows[i].addr, ':') ? AF_INET6 : AF_INET;
		assert_int_equal(inet_pton(e.family, rows[i].addr, e.addr), 1);
		e.bound_if = rows[i].bound_if;
		e.v6only = rows[i].v6only;
		ROW_INT(rows[i].spec, sock_accepts(parsed(rows[i].spec, &c), &e), rows[i].want);
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(sock_parse_tcp_and_udp_port_address_localhost),
		cmocka_unit_test(sock_parse_unix_path_and_abstract_name),
		cmocka_unit_test(sock_parse_unix_107_bytes_fit_108_do_not),
		cmocka_unit_test(sock_parse_errors_give_exact_usage_line),
		cmocka_unit_test(sock_accepts_recorded_listeners),
		cmocka_unit_test(sock_accepts_bound_devices_and_what_procnet_hides),
	};

	return cmocka_run_group_tests_name("sock", tests, NULL, NULL);
}
