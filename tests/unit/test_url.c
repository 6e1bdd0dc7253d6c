/*
 * lib/url.c: a probe's URL and options as written, bytes in, a struct url
 * or the exact usage line out; and the Host header (or :authority) built
 * from what was parsed. test_probe.c drives the same code through
 * check_parse() for connect: and http://.
 */
#include "fixture.h"

#include "lib/line.h"
#include "lib/url.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

#define HTTP_TAKES (URL_HEADER | URL_METHOD | URL_HOST | URL_STATUS | URL_BODY | URL_UNIX)
#define GRPC_TAKES (URL_HEADER | URL_HOST | URL_UNIX | URL_SERVICE | URL_NEEDS_PORT)

/* spec is "KIND:" then the body url_parse reads, as check_parse() hands it over. */
static int parse(struct url *u, const char *spec, unsigned takes, struct line *err)
{
	memset(u, 0, sizeof(*u));
	line_reset(err);
	return url_parse(u, spec, strchr(spec, ':') + 1, takes, takes & URL_SERVICE ? "header=, host=, service=, unix="
										   : "header=, method=, host=, status=, body=, unix=",
			 err);
}

static void url_parse_takes_only_the_kinds_options(void **state)
{
	static const struct {
		const char *spec;
		unsigned takes;
		const char *err;        /* NULL: parses */
	} rows[] = {
		{ "http://h/,service=a", HTTP_TAKES,
		  "healthy: http://h/,service=a: unknown option 'service' (http:// takes header=, method=, host=, status=, body=, unix=)" },
		{ "grpc://h:1,service=a", GRPC_TAKES, NULL },
		{ "grpc://h:1,status=200", GRPC_TAKES,
		  "healthy: grpc://h:1,status=200: unknown option 'status' (grpc:// takes header=, host=, service=, unix=)" },
		{ "grpc://h:1,method=GET", GRPC_TAKES,
		  "healthy: grpc://h:1,method=GET: unknown option 'method' (grpc:// takes header=, host=, service=, unix=)" },
		{ "grpc://h:1,body=x", GRPC_TAKES,
		  "healthy: grpc://h:1,body=x: unknown option 'body' (grpc:// takes header=, host=, service=, unix=)" },
		/* A prefix or an extension of a key is no key. */
		{ "http://h/,hos=a", HTTP_TAKES,
		  "healthy: http://h/,hos=a: unknown option 'hos' (http:// takes header=, method=, host=, status=, body=, unix=)" },
		{ "http://h/,hosts=a", HTTP_TAKES,
		  "healthy: http://h/,hosts=a: unknown option 'hosts' (http:// takes header=, method=, host=, status=, body=, unix=)" },
		{ "http://h/,servicex=a", HTTP_TAKES,
		  "healthy: http://h/,servicex=a: unknown option 'servicex' (http:// takes header=, method=, host=, status=, body=, unix=)" },
		{ "http://h/,unix=/a,unix=/b", HTTP_TAKES, "healthy: http://h/,unix=/a,unix=/b: unix= given twice" },
		{ "http://h/,unix=", HTTP_TAKES, "healthy: http://h/,unix=: empty unix=" },
		{ "http://h/,header=A: 1,header=B: 2", HTTP_TAKES, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct url u;
		struct line err;
		int r = parse(&u, rows[i].spec, rows[i].takes, &err);

		ROW_INT(rows[i].spec, r, rows[i].err ? -1 : 0);
		if (rows[i].err)
			ROW_MEM(rows[i].spec, err.buf, err.len, rows[i].err, strlen(rows[i].err));
	}
}

/* gRPC has no default port, but over unix=, where the port is only :authority's. */
static void url_parse_needs_port_unless_unix(void **state)
{
	struct url u;
	struct line err;

	(void)state;
	assert_int_equal(parse(&u, "grpc://h", GRPC_TAKES, &err), -1);
	ROW_MEM("grpc://h", err.buf, err.len, "healthy: grpc://h: needs HOST:PORT", strlen("healthy: grpc://h: needs HOST:PORT"));
	assert_int_equal(parse(&u, "grpc://h:50051", GRPC_TAKES, &err), 0);
	assert_int_equal(u.port, 50051);
	assert_int_equal(parse(&u, "grpc://h,unix=/run/g.sock", GRPC_TAKES, &err), 0);
	assert_int_equal(u.port, 80);
	assert_int_equal(u.unix_len, strlen("/run/g.sock"));
	assert_int_equal(parse(&u, "http://h", HTTP_TAKES, &err), 0);
	assert_int_equal(u.port, 80);
}

/* What follows the host and port, fragment and all (grpc:// takes none), and the path sent. */
static void url_parse_path_and_rest(void **state)
{
	static const struct {
		const char *spec, *path;
		size_t rest_len;
	} rows[] = {
		{ "http://h", "", 0 },
		{ "http://h/", "/", 1 },
		{ "http://h:1/a?b#c", "/a?b", 6 },
		{ "http://h#c", "", 2 },
		{ "http://h/a,body=x", "/a", 2 },
		{ "http://h/a,b,body=x", "/a,b", 4 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct url u;
		struct line err;

		ROW_INT(rows[i].spec, parse(&u, rows[i].spec, HTTP_TAKES, &err), 0);
		ROW_MEM(rows[i].spec, u.path, u.path_len, rows[i].path, strlen(rows[i].path));
		ROW_INT(rows[i].spec, u.rest_len, rows[i].rest_len);
	}
}

static void url_authority_from_host_or_the_url(void **state)
{
	static const struct {
		const char *spec, *want;
	} rows[] = {
		{ "http://h", "h" },
		{ "http://h:80", "h" },
		{ "http://h:0080/", "h" },
		{ "http://h:8080", "h:8080" },
		{ "http://[::1]", "[::1]" },
		{ "http://[::1]:81", "[::1]:81" },
		{ "http://h:8080,host=api.internal", "api.internal" },
		{ "http://h,host=api:9000", "api:9000" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct url u;
		struct line err, l;

		ROW_INT(rows[i].spec, parse(&u, rows[i].spec, HTTP_TAKES, &err), 0);
		url_authority(&u, &l);
		ROW_MEM(rows[i].spec, l.buf, l.len, rows[i].want, strlen(rows[i].want));
	}
}

static void url_header_given_any_case_whole_name(void **state)
{
	struct url u;
	struct line err;

	(void)state;
	assert_int_equal(parse(&u, "http://h/,header=user-AGENT: x,header=X-Host-Name: y", HTTP_TAKES, &err), 0);
	assert_true(url_header_given(&u, "user-agent"));
	assert_false(url_header_given(&u, "host"));
	assert_false(url_header_given(&u, "user"));
	assert_false(url_header_given(&u, "connection"));
}

static void url_split_and_port_in_words(void **state)
{
	struct hostport hp;
	uint16_t port;

	(void)state;
	assert_null(url_split("h:80", 4, &hp));
	assert_string_equal(url_split("[::1", 4, &hp), "write an IPv6 address as [ADDR]:PORT");
	assert_string_equal(url_split("::1:80", 6, &hp), "write an IPv6 address in brackets: [::1]:PORT");
	assert_null(url_port("65535", 5, &port));
	assert_int_equal(port, 65535);
	assert_string_equal(url_port("65536", 5, &port), "port out of range");
	assert_string_equal(url_port("0", 1, &port), "port out of range");
	assert_string_equal(url_port("8o", 2, &port), "not a port (1-65535)");
	assert_string_equal(url_port("", 0, &port), "not a port (1-65535)");
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(url_parse_takes_only_the_kinds_options),
		cmocka_unit_test(url_parse_needs_port_unless_unix),
		cmocka_unit_test(url_parse_path_and_rest),
		cmocka_unit_test(url_authority_from_host_or_the_url),
		cmocka_unit_test(url_header_given_any_case_whole_name),
		cmocka_unit_test(url_split_and_port_in_words),
	};

	return cmocka_run_group_tests_name("url", tests, NULL, NULL);
}
