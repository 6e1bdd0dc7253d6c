/*
 * kinds/probe.c's parser: probe_parse as check_parse() reaches it for
 * connect:, http:// and https://.
 */
#include "fixture.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "opts.h"
#include "kind.h"
#include "check.h"
#include "kinds/probe.h"
#include "lib/line.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* url.h's URL_HOST_SIZE keeps a NUL: 255 bytes of host fit, 256 do not. */
#define HOST_MAX_LEN (URL_HOST_SIZE - 1)
/* url.h's URL_PATH_MAX: the longest path (and query) sent. */
#define HTTP_PATH_MAX_LEN 2048

struct probe_row {
	const char *spec;
	const struct kind *kind;
	const char *host;
	unsigned port;
	const char *host_header;        /* http: the Host header it sends */
	const char *path;       /* http: */
};

static void probe_good_rows(const struct probe_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct probe_row *r = &rows[i];
		struct check c;
		struct line err;

		line_reset(&err);
		ROW_INT(r->spec, check_parse(r->spec, &c, &err), 0);
		if (err.len)
			fail_msg("%s: err is \"%.*s\", want none", r->spec, (int)err.len, err.buf);
		ROW_INT(r->spec, c.kind == r->kind, 1);
		ROW_MEM(r->spec, STATE(probe, &c)->url.host, strlen(STATE(probe, &c)->url.host), r->host, strlen(r->host));
		ROW_INT(r->spec, STATE(probe, &c)->url.port, r->port);
		if (r->kind != &kind_http)
			continue;
		{
			struct line h;

			line_reset(&h);
			url_authority(&STATE(probe, &c)->url, &h);
			ROW_MEM(r->spec, h.buf, h.len, r->host_header, strlen(r->host_header));
		}
		ROW_MEM(r->spec, STATE(probe, &c)->url.path, STATE(probe, &c)->url.path_len, r->path, strlen(r->path));
		/* The path points into the spec as typed: nothing is copied. */
		if (STATE(probe, &c)->url.path < r->spec || STATE(probe, &c)->url.path + STATE(probe, &c)->url.path_len > r->spec + strlen(r->spec))
			fail_msg("%s: path outside the spec", r->spec);
	}
}

static void probe_bad_rows(const char *const (*rows)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *spec = rows[i][0], *want = rows[i][1];
		struct check c;
		struct line err;

		line_reset(&err);
		ROW_INT(want, check_parse(spec, &c, &err), -1);
		ROW_MEM(want, err.buf, err.len, want, strlen(want));
		ROW_INT(want, err.truncated, 0);
	}
}

static void probe_parse_connect_host_port(void **state)
{
	static const struct probe_row rows[] = {
		{ "connect:127.0.0.1:5432", &kind_connect, "127.0.0.1", 5432, NULL, NULL },
		{ "connect:0.0.0.0:1", &kind_connect, "0.0.0.0", 1, NULL, NULL },
		{ "connect:10.0.0.1:65535", &kind_connect, "10.0.0.1", 65535, NULL, NULL },
		{ "connect:10.0.0.1:0080", &kind_connect, "10.0.0.1", 80, NULL, NULL },
		{ "connect:[::1]:80", &kind_connect, "::1", 80, NULL, NULL },
		{ "connect:[::]:443", &kind_connect, "::", 443, NULL, NULL },
		{ "connect:[2001:DB8::1]:8443", &kind_connect, "2001:DB8::1", 8443, NULL, NULL },
		{ "connect:[::ffff:1.2.3.4]:80", &kind_connect, "::ffff:1.2.3.4", 80, NULL, NULL },
		{ "connect:localhost:6379", &kind_connect, "localhost", 6379, NULL, NULL },
		{ "connect:db.internal:5432", &kind_connect, "db.internal", 5432, NULL, NULL },
		{ "connect:redis-master.default.svc.cluster.local.:6379", &kind_connect,
		  "redis-master.default.svc.cluster.local.", 6379, NULL, NULL },
		{ "connect:a:1", &kind_connect, "a", 1, NULL, NULL },
		/* Not an IPv4 address, so a name: the resolver has the last word. */
		{ "connect:256.1.1.1:80", &kind_connect, "256.1.1.1", 80, NULL, NULL },
	};

	(void)state;
	probe_good_rows(rows, ROWS(rows));
}

static void probe_parse_connect_errors_give_exact_usage_line(void **state)
{
	static const char *const rows[][2] = {
		{ "connect:db", "healthy: connect:db: needs HOST:PORT" },
		{ "connect:127.0.0.1", "healthy: connect:127.0.0.1: needs HOST:PORT" },
		{ "connect:[::1]", "healthy: connect:[::1]: needs HOST:PORT" },
		{ "connect:db:", "healthy: connect:db:: not a port (1-65535)" },
		{ "connect:db:0", "healthy: connect:db:0: port out of range" },
		{ "connect:db:65536", "healthy: connect:db:65536: port out of range" },
		{ "connect:db:99999999999999999999", "healthy: connect:db:99999999999999999999: port out of range" },
		{ "connect:db:http", "healthy: connect:db:http: not a port (1-65535)" },
		{ "connect:db:80a", "healthy: connect:db:80a: not a port (1-65535)" },
		{ "connect:db:-1", "healthy: connect:db:-1: not a port (1-65535)" },
		{ "connect:db: 80", "healthy: connect:db: 80: not a port (1-65535)" },
		{ "connect:[::1]:", "healthy: connect:[::1]:: not a port (1-65535)" },
		{ "connect:[::1]:0", "healthy: connect:[::1]:0: port out of range" },
		{ "connect:::1:80", "healthy: connect:::1:80: write an IPv6 address in brackets: [::1]:PORT" },
		{ "connect:2001:db8::1:443", "healthy: connect:2001:db8::1:443: write an IPv6 address in brackets: [::1]:PORT" },
		{ "connect:[::1]80", "healthy: connect:[::1]80: write an IPv6 address as [ADDR]:PORT" },
		{ "connect:[::1:80", "healthy: connect:[::1:80: write an IPv6 address as [ADDR]:PORT" },
		{ "connect:[zz]:80", "healthy: connect:[zz]:80: not an IPv6 address" },
		{ "connect:[127.0.0.1]:80", "healthy: connect:[127.0.0.1]:80: not an IPv6 address" },
		{ "connect:[localhost]:80", "healthy: connect:[localhost]:80: not an IPv6 address" },
		{ "connect:[fe80::1%eth0]:80", "healthy: connect:[fe80::1%eth0]:80: not an IPv6 address" },
		{ "connect::80", "healthy: connect::80: empty host" },
		{ "connect:[]:80", "healthy: connect:[]:80: empty host" },
		{ "connect:", "healthy: connect:: empty host" },
		/* The spec is escaped: the line stays one line. */
		{ "connect:db:\n80", "healthy: connect:db:\\n80: not a port (1-65535)" },
	};

	(void)state;
	probe_bad_rows(rows, ROWS(rows));
}

static void probe_parse_connect_host_255_bytes_fit_256_do_not(void **state)
{
	static char spec[URL_HOST_SIZE + 64], want[LINE_SIZE];
	struct check c;
	struct line err;

	(void)state;
	memcpy(spec, "connect:", 8);
	memset(spec + 8, 'a', HOST_MAX_LEN);
	memcpy(spec + 8 + HOST_MAX_LEN, ":80", 4);
	line_reset(&err);
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_int_equal(strlen(STATE(probe, &c)->url.host), HOST_MAX_LEN);
	assert_int_equal(STATE(probe, &c)->url.port, 80);

	memset(spec + 8, 'a', HOST_MAX_LEN + 1);
	memcpy(spec + 8 + HOST_MAX_LEN + 1, ":80", 4);
	assert_int_equal(check_parse(spec, &c, &err), -1);
	/* The check is named by its first 200 bytes: the reason fits after them. */
	snprintf(want, sizeof(want), "healthy: %.200s...: host name too long", spec);
	assert_int_equal(err.len, strlen(want));
	assert_memory_equal(err.buf, want, err.len);

	/* In brackets the same bound holds, before the address is looked at. */
	memcpy(spec, "connect:[", 9);
	memset(spec + 9, '1', HOST_MAX_LEN + 1);
	memcpy(spec + 9 + HOST_MAX_LEN + 1, "]:80", 5);
	assert_int_equal(check_parse(spec, &c, &err), -1);
	/* The check is named by its first 200 bytes: the reason fits after them. */
	snprintf(want, sizeof(want), "healthy: %.200s...: host name too long", spec);
	assert_int_equal(err.len, strlen(want));
	assert_memory_equal(err.buf, want, err.len);
}

static void probe_parse_http_url(void **state)
{
	static const struct probe_row rows[] = {
		{ "http://example.com", &kind_http, "example.com", 80, "example.com", "" },
		{ "http://example.com/", &kind_http, "example.com", 80, "example.com", "/" },
		{ "http://127.0.0.1:8080/healthz", &kind_http, "127.0.0.1", 8080, "127.0.0.1:8080", "/healthz" },
		{ "http://127.0.0.1:80/", &kind_http, "127.0.0.1", 80, "127.0.0.1", "/" },
		{ "http://[::1]:8080", &kind_http, "::1", 8080, "[::1]:8080", "" },
		{ "http://[::1]:8080/x", &kind_http, "::1", 8080, "[::1]:8080", "/x" },
		{ "http://[::1]/", &kind_http, "::1", 80, "[::1]", "/" },
		{ "http://localhost/a/b/c.json", &kind_http, "localhost", 80, "localhost", "/a/b/c.json" },
		/* The Host header is built from the parsed host and port: the default port is left out. */
		{ "http://LocalHost:0080/", &kind_http, "LocalHost", 80, "LocalHost", "/" },
		{ "http://h:/", &kind_http, "h", 80, "h", "/" },
		/* A query with or without a path; send_request() puts the "/" before a bare "?". */
		{ "http://h/p?x=1", &kind_http, "h", 80, "h", "/p?x=1" },
		{ "http://h?x=1", &kind_http, "h", 80, "h", "?x=1" },
		{ "http://h:81?x=1&y=/z", &kind_http, "h", 81, "h:81", "?x=1&y=/z" },
		/* The fragment is the client's: never sent. */
		{ "http://h/p#frag", &kind_http, "h", 80, "h", "/p" },
		{ "http://h/p?x=1#f", &kind_http, "h", 80, "h", "/p?x=1" },
		{ "http://h#frag", &kind_http, "h", 80, "h", "" },
		{ "http://h/a#b#c", &kind_http, "h", 80, "h", "/a" },
		/* Nor looked at: what follows '#' may hold what a path may not. */
		{ "http://h/p#a b", &kind_http, "h", 80, "h", "/p" },
		/* An '@' after the authority is no user:password@. */
		{ "http://h/a@b", &kind_http, "h", 80, "h", "/a@b" },
		{ "http://h/%20%0d%0a", &kind_http, "h", 80, "h", "/%20%0d%0a" },
	};

	(void)state;
	probe_good_rows(rows, ROWS(rows));
}

/* The options as parsed: off the right end, a piece that is no option joining what is on its left. */
static void probe_parse_http_options(void **state)
{
	static const struct {
		const char *spec, *path, *hdrs, *body, *unix_path, *authority;
		bool head;
		unsigned lo, hi;
	} rows[] = {
		{ "http://h/x,status=2xx", "/x", "", NULL, NULL, NULL, false, 200, 299 },
		{ "http://h/x,header=A: 1,header=B: 2", "/x", "A: 1|B: 2|", NULL, NULL, NULL, false, 0, 0 },
		{ "http://h/x,header=Accept: a/b,c/d,method=HEAD", "/x", "Accept: a/b,c/d|", NULL, NULL, NULL, true, 0, 0 },
		{ "http://h/a,b,body=x,y", "/a,b", "", "x,y", NULL, NULL, false, 0, 0 },
		{ "http://h/a,body=k=v", "/a", "", "k=v", NULL, NULL, false, 0, 0 },
		{ "http://h,unix=@docker,host=api", "", "", NULL, "@docker", "api", false, 0, 0 },
		{ "http://h/p?q=1#f,status=200-204", "/p?q=1", "", NULL, NULL, NULL, false, 200, 204 },
		{ "http://h/x,", "/x,", "", NULL, NULL, NULL, false, 0, 0 },
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct check c;
		struct line err, hdrs;
		const struct url *pc;

		line_reset(&err);
		ROW_INT(rows[i].spec, check_parse(rows[i].spec, &c, &err), 0);
		pc = &STATE(probe, &c)->url;
		ROW_MEM(rows[i].spec, pc->path, pc->path_len, rows[i].path, strlen(rows[i].path));
		line_reset(&hdrs);
		for (k = 0; k < pc->nhdr; k++) {
			line_mem(&hdrs, pc->hdr[k], pc->hdr_len[k]);
			line_str(&hdrs, "|");
		}
		ROW_MEM(rows[i].spec, hdrs.buf, hdrs.len, rows[i].hdrs, strlen(rows[i].hdrs));
		ROW_INT(rows[i].spec, pc->body != NULL, rows[i].body != NULL);
		if (rows[i].body)
			ROW_MEM(rows[i].spec, pc->body, pc->body_len, rows[i].body, strlen(rows[i].body));
		ROW_INT(rows[i].spec, pc->unix_path != NULL, rows[i].unix_path != NULL);
		if (rows[i].unix_path)
			ROW_MEM(rows[i].spec, pc->unix_path, pc->unix_len, rows[i].unix_path, strlen(rows[i].unix_path));
		ROW_INT(rows[i].spec, pc->authority != NULL, rows[i].authority != NULL);
		if (rows[i].authority)
			ROW_MEM(rows[i].spec, pc->authority, pc->authority_len, rows[i].authority, strlen(rows[i].authority));
		ROW_INT(rows[i].spec, pc->head, rows[i].head);
		ROW_INT(rows[i].spec, pc->status ? pc->status_lo : 0, rows[i].lo);
		ROW_INT(rows[i].spec, pc->status ? pc->status_hi : 0, rows[i].hi);
	}
}

static void probe_parse_http_errors_give_exact_usage_line(void **state)
{
	static const char *const rows[][2] = {
		{ "http:", "healthy: http:: write http://HOST[:PORT][/PATH]" },
		{ "http:example.com", "healthy: http:example.com: write http://HOST[:PORT][/PATH]" },
		{ "http:/example.com/", "healthy: http:/example.com/: write http://HOST[:PORT][/PATH]" },
		{ "http:\\\\h/", "healthy: http:\\\\\\\\h/: write http://HOST[:PORT][/PATH]" },
		{ "http://", "healthy: http://: empty host" },
		{ "http:///health", "healthy: http:///health: empty host" },
		{ "http://?x=1", "healthy: http://?x=1: empty host" },
		{ "http://:8080/", "healthy: http://:8080/: empty host" },
		{ "http://user:pass@h/", "healthy: http://user:pass@h/: user:password@ in a URL is not supported" },
		{ "http://@h/", "healthy: http://@h/: user:password@ in a URL is not supported" },
		{ "http://h:0/", "healthy: http://h:0/: port out of range" },
		{ "http://h:65536/", "healthy: http://h:65536/: port out of range" },
		{ "http://h:http/", "healthy: http://h:http/: not a port (1-65535)" },
		{ "http://::1/", "healthy: http://::1/: write an IPv6 address in brackets: [::1]:PORT" },
		{ "http://[zz]/", "healthy: http://[zz]/: not an IPv6 address" },
		{ "http://[::1]x/", "healthy: http://[::1]x/: write an IPv6 address as [ADDR]:PORT" },
		{ "http://[::1/", "healthy: http://[::1/: write an IPv6 address as [ADDR]:PORT" },
		{ "http://h/a b", "healthy: http://h/a b: the path holds a space or a control character (write it %-encoded)" },
		{ "http://h?a b", "healthy: http://h?a b: the path holds a space or a control character (write it %-encoded)" },
		{ "http://h/a\tb", "healthy: http://h/a\\tb: the path holds a space or a control character (write it %-encoded)" },
		{ "http://h/\x01", "healthy: http://h/\\x01: the path holds a space or a control character (write it %-encoded)" },
		{ "http://h/\x7f", "healthy: http://h/\\x7f: the path holds a space or a control character (write it %-encoded)" },
		{ "http://h/a\r\nX-Injected: 1", "healthy: http://h/a\\x0d\\nX-Injected: 1: the path holds a space or a control "
						  "character (write it %-encoded)" },
		{ "https:example.com", "healthy: https:example.com: write https://HOST[:PORT][/PATH]" },
		{ "https://[::1]:8443/health,ca=/ca.pem", "healthy: https://[::1]:8443/health,ca=/ca.pem: ca= verifies a name, and "
							  "an address is none: give it with servername=NAME" },
		{ "https://h/,service=x", "healthy: https://h/,service=x: unknown option 'service' (https:// takes header=, method=, "
					  "host=, status=, body=, unix=, ca=, servername=, cert=, key=)" },
		{ "http://h/,ca=/ca.pem", "healthy: http://h/,ca=/ca.pem: unknown option 'ca' (http:// takes header=, method=, host=, "
					  "status=, body=, unix=)" },
	};

	(void)state;
	probe_bad_rows(rows, ROWS(rows));
}

/* "http://h" and a path of n bytes: '/' and n - 1 of 'a'. */
static char *long_path_spec(size_t n)
{
	static char spec[HTTP_PATH_MAX_LEN + 64];

	assert_true(8 + n + 1 <= sizeof(spec));
	memcpy(spec, "http://h/", 9);
	memset(spec + 9, 'a', n - 1);
	spec[8 + n] = '\0';
	return spec;
}

static void probe_parse_http_path_2048_bytes_fit_2049_do_not(void **state)
{
	static const char prefix[] = "healthy: http://h/aaaa";
	char *spec;
	struct check c;
	struct line err;

	(void)state;
	spec = long_path_spec(HTTP_PATH_MAX_LEN);
	line_reset(&err);
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_int_equal(STATE(probe, &c)->url.path_len, HTTP_PATH_MAX_LEN);
	assert_ptr_equal(STATE(probe, &c)->url.path, spec + 8);

	/* The fragment does not count. */
	spec = long_path_spec(HTTP_PATH_MAX_LEN + 1);
	spec[8 + HTTP_PATH_MAX_LEN] = '#';
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_int_equal(STATE(probe, &c)->url.path_len, HTTP_PATH_MAX_LEN);

	spec = long_path_spec(HTTP_PATH_MAX_LEN + 1);
	line_reset(&err);
	assert_int_equal(check_parse(spec, &c, &err), -1);
	/* The spec is cut short, so the reason fits. */
	assert_memory_equal(err.buf, prefix, strlen(prefix));
	assert_int_equal(err.truncated, 0);
}

/*
 * Was a bug (opts.c/check.c, check_usage): a usage error names the spec first and
 * the reason last, in one LINE_SIZE (512) buffer, so a spec longer than
 * about 480 bytes pushes the reason out: "http://h/" and a 2049-byte path
 * prints "healthy: http://h/aaaa...aaa..." and never "path too long"; so does
 * file: with a PATH_MAX path ("path too long"). Expected: the line ends in
 * ": path too long" (the spec cut short instead); actual: the reason is lost.
 */
static void probe_parse_http_path_too_long_says_why(void **state)
{
	static const char why[] = ": path too long";
	const char *spec = long_path_spec(HTTP_PATH_MAX_LEN + 1);
	struct check c;
	struct line err;

	(void)state;
	line_reset(&err);
	assert_int_equal(check_parse(spec, &c, &err), -1);
	assert_true(err.len >= strlen(why));
	assert_memory_equal(err.buf + err.len - strlen(why), why, strlen(why));
}

/*
 * Was a bug (probe.c, probe_parse): the path is refused when it holds a
 * space or a control byte (they "would end the request line, or start
 * another"), but the host is not, and the authority goes into the Host
 * header as typed. A name under .localhost needs no resolver (is_localhost),
 * so "http://x\r\ny.localhost:8080/" is accepted and, run against a
 * listener on 127.0.0.1:8080, sends "Host: x\r\ny.localhost:8080\r\n": the
 * request is split into a Host line and a line that is no header. (A whole
 * "Name: value" header cannot get in: its ':' trips the IPv6-in-brackets
 * rule.) A space ("http://a b.localhost/") sends a Host header RFC 9112 3.2
 * says to answer with 400. Expected: -1 with a usage error; actual: 0.
 */
static void probe_parse_http_host_with_space_or_control_byte_is_refused(void **state)
{
	static const char *const rows[] = {
		"http://x\r\ny.localhost:8080/",
		"http://a b.localhost/",
		"http://a\tb.localhost/",
		"http://a\x7f.localhost/",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct check c;
		struct line err;

		line_reset(&err);
		ROW_INT(rows[i], check_parse(rows[i], &c, &err), -1);
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_parse_http_path_too_long_says_why),
		cmocka_unit_test(probe_parse_http_host_with_space_or_control_byte_is_refused),
		cmocka_unit_test(probe_parse_connect_host_port),
		cmocka_unit_test(probe_parse_connect_errors_give_exact_usage_line),
		cmocka_unit_test(probe_parse_connect_host_255_bytes_fit_256_do_not),
		cmocka_unit_test(probe_parse_http_url),
		cmocka_unit_test(probe_parse_http_options),
		cmocka_unit_test(probe_parse_http_errors_give_exact_usage_line),
		cmocka_unit_test(probe_parse_http_path_2048_bytes_fit_2049_do_not),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
