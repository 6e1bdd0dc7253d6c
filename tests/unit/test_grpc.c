/*
 * lib/grpc.c: the request against the bytes a real grpcio server took
 * (tests/fixtures/grpc-request-healthy), the answers of real servers
 * captured to the byte (grpc-real-grpcio-*: Debian's python3-grpcio 1.51;
 * grpc-grpcd-*: tests/helpers/grpcd.py's hand-written HTTP/2), fed whole,
 * a byte at a time and in uneven pieces; then hostile frames.
 */
#include "fixture.h"

#include <stdbool.h>

#include "check.h"
#include "kind.h"
#include "kinds/grpc.h"
#include "lib/grpc.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

static struct grpc g;

/* Feeds n bytes in pieces of step bytes (0: whole); the first result that is not GRPC_MORE. */
static enum grpc_result feed(const unsigned char *p, size_t n, size_t step)
{
	size_t off = 0;

	grpc_start(&g);
	while (off < n) {
		size_t k = step && step < n - off ? step : n - off;
		enum grpc_result r = grpc_feed(&g, p + off, k);

		if (r != GRPC_MORE)
			return r;
		off += k;
	}
	return GRPC_MORE;
}

static void grpc_request_is_what_grpcio_took(void **state)
{
	static char want[512];
	static unsigned char out[GRPC_REQUEST_MAX(2, 64)];
	struct grpc_call call = { "127.0.0.1:42671", 15, NULL, 0, NULL, NULL, 0, "healthy/0.1.0" };
	size_t wn = fixture_load("grpc-request-healthy", want, sizeof(want));

	(void)state;
	ROW_MEM("request", out, grpc_request(out, &call), want, wn);
}

struct fields {
	char text[1024];
	size_t len;
};

/* "name=value;" each, a static name healthy does not keep as '*'s. */
static void field(void *ctx, const char *name, size_t nl, const char *value, size_t vl)
{
	struct fields *f = ctx;
	size_t i;

	for (i = 0; i < nl && f->len < sizeof(f->text) - 1; i++)
		f->text[f->len++] = name[i] ? name[i] : '*';
	f->len += (size_t)snprintf(f->text + f->len, sizeof(f->text) - f->len, "=%.*s;", (int)vl, value);
}

static void grpc_request_service_and_headers(void **state)
{
	static unsigned char out[GRPC_REQUEST_MAX(2, 300)];
	static const char *const hdr[] = { "Authorization: Bearer t0k", "X-Long:\t" };
	static const size_t hdr_len[] = { 25, 8 };
	static char service[200];
	struct grpc_call call = { "h", 1, service, sizeof(service), hdr, hdr_len, 2, NULL };
	struct fields f = { .len = 0 };
	struct hpack h;
	size_t n, hl, dl;
	unsigned char *p;

	(void)state;
	memset(service, 's', sizeof(service));
	n = grpc_request(out, &call);
	/* Preface, SETTINGS of one setting, then HEADERS on stream 1 with END_HEADERS. */
	p = out + 24 + 9 + 6;
	hl = (size_t)p[0] << 16 | p[1] << 8 | p[2];
	assert_int_equal(p[3], 1);
	assert_int_equal(p[4], 4);
	assert_int_equal(p[8], 1);
	hpack_start(&h, HPACK_TABLE_MAX);
	assert_int_equal(hpack_decode(&h, p + 9, hl, field, &f), HPACK_OK);
	/* Names in lower case, values without the blanks after ':'; no user-agent: no call.user_agent. */
	assert_string_equal(f.text, "*******=POST;*******=http;*****=/grpc.health.v1.Health/Check;**********=h;"
				    "content-type=application/grpc;te=trailers;authorization=Bearer t0k;x-long=;");
	/* DATA, END_STREAM: the 5-byte prefix, then field 1 with a two-byte varint length (200 = 0xc8 0x01). */
	p += 9 + hl;
	dl = (size_t)p[0] << 16 | p[1] << 8 | p[2];
	assert_int_equal(dl, 5 + 3 + 200);
	assert_int_equal(p[3], 0);
	assert_int_equal(p[4], 1);
	assert_memory_equal(p + 9, "\0\0\0\0\xcb\x0a\xc8\x01sss", 11);
	assert_int_equal(n, (size_t)(p + 9 + dl - out));
}

static void grpc_feed_real_answers(void **state)
{
	static const struct {
		const char *fixture;
		enum grpc_result want;
		int http_status, grpc_status, serving;
		unsigned code;
		const char *text;
	} rows[] = {
		{ "grpc-real-grpcio-serving", GRPC_END, 200, 0, 1, 0, "" },
		{ "grpc-real-grpcio-not-serving", GRPC_END, 200, 0, 2, 0, "" },
		{ "grpc-real-grpcio-not-found", GRPC_END, 200, 5, -1, 0, "unknown service" },
		{ "grpc-real-grpcio-unimplemented", GRPC_END, 200, 12, -1, 0, "Method not found!" },
		{ "grpc-grpcd-continuation", GRPC_END, 200, 0, 1, 0, "" },
		{ "grpc-grpcd-huffman-dyn", GRPC_END, 200, 0, 1, 0, "" },
		{ "grpc-grpcd-tinywindow", GRPC_END, 200, 0, 1, 0, "" },
		{ "grpc-grpcd-trailers-only", GRPC_END, 200, 0, -1, 0, "" },
		{ "grpc-grpcd-goaway", GRPC_GOAWAY, -1, -1, -1, 11, "too many pings" },
		{ "grpc-grpcd-rst", GRPC_RESET, -1, -1, -1, 7, "" },
		{ "grpc-grpcd-http1", GRPC_NOT_H2, -1, -1, -1, 0, "" },
	};
	static const size_t steps[] = { 0, 1, 7, 100 };
	static unsigned char buf[4096];
	size_t i, k;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		size_t n = fixture_load(rows[i].fixture, (char *)buf, sizeof(buf));

		for (k = 0; k < ROWS(steps); k++) {
			ROW_INT(rows[i].fixture, feed(buf, n, steps[k]), rows[i].want);
			ROW_INT(rows[i].fixture, g.http_status, rows[i].http_status);
			ROW_INT(rows[i].fixture, g.grpc_status, rows[i].grpc_status);
			ROW_INT(rows[i].fixture, g.serving, rows[i].serving);
			ROW_INT(rows[i].fixture, g.code, rows[i].code);
			ROW_MEM(rows[i].fixture, g.text, g.text_len, rows[i].text, strlen(rows[i].text));
		}
	}
	/* grpcio's SETTINGS and PING, each owed an ACK: the PING's with its 8 bytes. */
	fixture_load("grpc-real-grpcio-serving", (char *)buf, sizeof(buf));
	assert_int_equal(feed(buf, 100, 0), GRPC_MORE);
	assert_int_equal(g.reply_len, 9 + 17);
	assert_memory_equal(g.reply, "\0\0\0\4\1\0\0\0\0", 9);
	assert_memory_equal(g.reply + 9, "\0\0\x08\6\1\0\0\0\0", 9);
	/* What a server that is no HTTP/2 one sent is kept, for the line. */
	{
		size_t n = fixture_load("grpc-grpcd-http1", (char *)buf, sizeof(buf));

		assert_int_equal(feed(buf, n, 0), GRPC_NOT_H2);
		assert_true(g.in_len >= 24 && !memcmp(g.in, "HTTP/1.1 400 Bad Request", 24));
	}
}

/* A frame's head then its payload, into out; returns its length. */
static size_t fr(unsigned char *out, unsigned type, unsigned flags, unsigned stream, const char *payload, size_t n)
{
	out[0] = (unsigned char)(n >> 16);
	out[1] = (unsigned char)(n >> 8);
	out[2] = (unsigned char)n;
	out[3] = (unsigned char)type;
	out[4] = (unsigned char)flags;
	memset(out + 5, 0, 3);
	out[8] = (unsigned char)stream;
	memcpy(out + 9, payload, n);
	return 9 + n;
}

/* An empty SETTINGS, then the frame given: the result. */
static enum grpc_result after_settings(unsigned type, unsigned flags, unsigned stream, const char *payload, size_t n)
{
	static unsigned char buf[9 + 20000];
	size_t len = fr(buf, 4, 0, 0, "", 0);

	len += fr(buf + len, type, flags, stream, payload, n);
	return feed(buf, len, 0);
}

static void grpc_feed_hostile_frames(void **state)
{
	static const struct {
		const char *what;
		unsigned type, flags, stream;
		const char *payload;
		size_t n;
		enum grpc_result want;
	} rows[] = {
		{ "padding as long as the frame", 0, 8, 1, "\x03xy", 3, GRPC_BROKEN },
		{ "padding that leaves nothing", 0, 8, 1, "\x02xy", 3, GRPC_MORE },
		{ "a padded frame with no pad length", 0, 8, 1, "", 0, GRPC_BROKEN },
		{ "padding that leaves one byte", 0, 8, 1, "\x01xy", 3, GRPC_MORE },
		{ "a priority longer than HEADERS", 1, 0x24, 1, "\0\0\0", 3, GRPC_BROKEN },
		{ "a CONTINUATION without HEADERS", 9, 4, 1, "\x88", 1, GRPC_BROKEN },
		{ "DATA on stream 0", 0, 0, 0, "", 0, GRPC_BROKEN },
		{ "HEADERS on stream 0", 1, 4, 0, "\x88", 1, GRPC_BROKEN },
		{ "a PUSH_PROMISE", 5, 4, 1, "\0\0\0\2\x88", 5, GRPC_BROKEN },
		{ "a PING of 7 bytes", 6, 0, 0, "1234567", 7, GRPC_BROKEN },
		{ "a PING on stream 1", 6, 0, 1, "12345678", 8, GRPC_BROKEN },
		{ "SETTINGS of 5 bytes", 4, 0, 0, "12345", 5, GRPC_BROKEN },
		{ "an RST_STREAM of 3 bytes", 3, 0, 1, "\0\0\0", 3, GRPC_BROKEN },
		{ "an RST_STREAM of another stream", 3, 0, 3, "\0\0\0\7", 4, GRPC_MORE },
		{ "a GOAWAY of 7 bytes", 7, 0, 0, "\0\0\0\1\0\0\0", 7, GRPC_BROKEN },
		{ "a graceful GOAWAY that still answers stream 1", 7, 0, 0, "\0\0\0\1\0\0\0\0bye", 11, GRPC_MORE },
		{ "a graceful GOAWAY before stream 1", 7, 0, 0, "\0\0\0\0\0\0\0\0", 8, GRPC_GOAWAY },
		{ "a type this client does not know", 0x42, 0xff, 0, "x", 1, GRPC_MORE },
		{ "a WINDOW_UPDATE", 8, 0, 1, "\0\0\0\1", 4, GRPC_MORE },
		{ "HEADERS that are no HPACK", 1, 4, 1, "\x80", 1, GRPC_BROKEN },
		{ "HEADERS on a stream that is not the call's", 1, 4, 3, "\x88", 1, GRPC_MORE },
		{ "a message with a compressed flag", 0, 1, 1, "\1\0\0\0\2\x08\x01", 7, GRPC_BROKEN },
		{ "a message shorter than its length", 0, 1, 1, "\0\0\0\0\3\x08\x01", 7, GRPC_BROKEN },
		{ "a message cut inside its prefix", 0, 1, 1, "\0\0\0", 3, GRPC_BROKEN },
		{ "a message that is no protobuf", 0, 1, 1, "\0\0\0\0\1\x0f", 6, GRPC_BROKEN },
	};
	static unsigned char buf[3 * 9 + 20000];
	static char big[GRPC_BLOCK_MAX + 1];
	size_t i, n;

	(void)state;
	for (i = 0; i < ROWS(rows); i++)
		ROW_INT(rows[i].what, after_settings(rows[i].type, rows[i].flags, rows[i].stream, rows[i].payload, rows[i].n),
			rows[i].want);
	/* No SETTINGS first: no HTTP/2 server; a SETTINGS ACK first is none either. */
	n = fr(buf, 1, 4, 1, "\x88", 1);
	assert_int_equal(feed(buf, n, 0), GRPC_NOT_H2);
	n = fr(buf, 4, 1, 0, "", 0);
	assert_int_equal(feed(buf, n, 0), GRPC_NOT_H2);
	/* A frame longer than 16 KiB is refused from its head, before its payload came. */
	n = fr(buf, 4, 0, 0, "", 0);
	memcpy(buf + n, "\0\x40\x01\0\0\0\0\0\1", 9);
	assert_int_equal(feed(buf, n + 9, 0), GRPC_BROKEN);
	assert_string_equal(g.what, "a frame longer than 16 KiB");
	/* A frame of exactly 16 KiB is read whole, however it arrives. */
	memcpy(buf + n, "\0\x40\x00\x42\0\0\0\0\1", 9);
	memset(buf + n + 9, 'x', 16384);
	assert_int_equal(feed(buf, n + 9 + 16384, 0), GRPC_MORE);
	assert_int_equal(feed(buf, n + 9 + 16384, 4000), GRPC_MORE);
	assert_int_equal(g.in_len, 0);
	/* A header block past 8 KiB, over HEADERS and CONTINUATIONs. */
	memset(big, 0, sizeof(big));
	n = fr(buf, 4, 0, 0, "", 0);
	n += fr(buf + n, 1, 0, 1, big, 5000);
	n += fr(buf + n, 9, 0, 1, big, 3192);
	assert_int_equal(feed(buf, n, 0), GRPC_MORE);
	n += fr(buf + n, 9, 4, 1, big, 1);
	assert_int_equal(feed(buf, n, 0), GRPC_BROKEN);
	assert_string_equal(g.what, "a header block longer than 8 KiB");
	/* Another frame between HEADERS and its CONTINUATION. */
	n = fr(buf, 4, 0, 0, "", 0);
	n += fr(buf + n, 1, 0, 1, "\x88", 1);
	n += fr(buf + n, 6, 0, 0, "12345678", 8);
	assert_int_equal(feed(buf, n, 0), GRPC_BROKEN);
	/* A message longer than 1 KiB, over two DATA frames. */
	n = fr(buf, 4, 0, 0, "", 0);
	n += fr(buf + n, 0, 0, 1, big, 1000);
	n += fr(buf + n, 0, 0, 1, big, 25);
	assert_int_equal(feed(buf, n, 0), GRPC_BROKEN);
	assert_string_equal(g.what, "a message longer than 1 KiB");
}

static void grpc_feed_trailers_words(void **state)
{
	/* Trailers-only: grpc-status not a number, a percent-encoded grpc-message (one escape broken). */
	static const char block[] = "\x00\x0bgrpc-status\x02" "1x"
				    "\x00\x0cgrpc-message\x0f" "a%20b%C3%A9%2Gz";

	(void)state;
	assert_int_equal(after_settings(1, 5, 1, block, sizeof(block) - 1), GRPC_END);
	assert_int_equal(g.grpc_status, 999);
	ROW_MEM("grpc-message", g.text, g.text_len, "a b\xc3\xa9%2Gz", 9);
}

static void grpc_serving_parse_protobuf(void **state)
{
	static const struct {
		const char *what, *bytes;
		size_t n;
		int want;
	} rows[] = {
		{ "empty: proto3's default, UNKNOWN", "", 0, 0 },
		{ "SERVING", "\x08\x01", 2, 1 },
		{ "the last of two", "\x08\x01\x08\x02", 4, 2 },
		{ "unknown fields of every wire type around it", "\x10\x05\x19" "12345678\x22\x02xy\x2d" "1234\x08\x03", 22, 3 },
		{ "a large value", "\x08\xff\xff\x03", 4, 255 },
		{ "a varint cut short", "\x08\x81", 2, -1 },
		{ "a varint of 11 bytes", "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12, -1 },
		{ "a length past the end", "\x22\x05xy", 4, -1 },
		{ "a fixed64 cut short", "\x19" "123", 4, -1 },
		{ "wire type 3", "\x0b", 1, -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++)
		ROW_INT(rows[i].what, grpc_serving_parse((const unsigned char *)rows[i].bytes, rows[i].n), rows[i].want);
}

static void grpc_names(void **state)
{
	(void)state;
	assert_string_equal(grpc_h2_error(0), "NO_ERROR");
	assert_string_equal(grpc_h2_error(11), "ENHANCE_YOUR_CALM");
	assert_string_equal(grpc_h2_error(13), "HTTP_1_1_REQUIRED");
	assert_null(grpc_h2_error(14));
	assert_string_equal(grpc_status_name(0), "OK");
	assert_string_equal(grpc_status_name(12), "UNIMPLEMENTED");
	assert_string_equal(grpc_status_name(16), "UNAUTHENTICATED");
	assert_null(grpc_status_name(17));
}

/* kinds/grpc.c's parse, as check_parse() reaches it: the URL, the options, and the words of each usage error. */
static void grpc_kind_parse(void **state)
{
	static const struct {
		const char *spec;
		const char *host, *service, *unix_path, *err;
		unsigned port;
	} rows[] = {
		{ "grpc://127.0.0.1:50051", "127.0.0.1", NULL, NULL, NULL, 50051 },
		{ "grpc://[::1]:50051/", "::1", NULL, NULL, NULL, 50051 },
		{ "grpc://api:443,service=grpc.health.v1.Health", "api", "grpc.health.v1.Health", NULL, NULL, 443 },
		{ "grpc://localhost,unix=@app.grpc,service=a,b", "localhost", "a,b", "@app.grpc", NULL, 80 },
		{ "grpc:x", NULL, NULL, NULL, "healthy: grpc:x: write grpc://HOST:PORT", 0 },
		{ "grpc://h", NULL, NULL, NULL, "healthy: grpc://h: needs HOST:PORT", 0 },
		{ "grpc://h:1/x", NULL, NULL, NULL, "healthy: grpc://h:1/x: grpc:// takes no path: the service is service=NAME", 0 },
		{ "grpc://h:1#f", NULL, NULL, NULL, "healthy: grpc://h:1#f: grpc:// takes no path: the service is service=NAME", 0 },
		{ "grpc://h:1,header=host: a", NULL, NULL, NULL,
		  "healthy: grpc://h:1,header=host: a: gRPC has no Host header: its :authority is host=NAME", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check c;
		struct line err;
		const struct url *u;

		line_reset(&err);
		ROW_INT(rows[i].spec, check_parse(rows[i].spec, &c, &err), rows[i].err ? -1 : 0);
		if (rows[i].err) {
			ROW_MEM(rows[i].spec, err.buf, err.len, rows[i].err, strlen(rows[i].err));
			continue;
		}
		ROW_INT(rows[i].spec, c.kind == &kind_grpc, 1);
		u = &STATE(grpc, &c)->url;
		ROW_MEM(rows[i].spec, u->host, strlen(u->host), rows[i].host, strlen(rows[i].host));
		ROW_INT(rows[i].spec, u->port, rows[i].port);
		ROW_INT(rows[i].spec, u->service != NULL, rows[i].service != NULL);
		if (rows[i].service)
			ROW_MEM(rows[i].spec, u->service, u->service_len, rows[i].service, strlen(rows[i].service));
		ROW_INT(rows[i].spec, u->unix_path != NULL, rows[i].unix_path != NULL);
		/* The connection is aimed where the URL says, and speaks gRPC. */
		ROW_INT(rows[i].spec, STATE(grpc, &c)->conn.host == u->host, 1);
		ROW_INT(rows[i].spec, STATE(grpc, &c)->conn.port, rows[i].port);
		ROW_INT(rows[i].spec, STATE(grpc, &c)->conn.ops != NULL, 1);
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(grpc_request_is_what_grpcio_took),
		cmocka_unit_test(grpc_request_service_and_headers),
		cmocka_unit_test(grpc_feed_real_answers),
		cmocka_unit_test(grpc_feed_hostile_frames),
		cmocka_unit_test(grpc_feed_trailers_words),
		cmocka_unit_test(grpc_serving_parse_protobuf),
		cmocka_unit_test(grpc_names),
		cmocka_unit_test(grpc_kind_parse),
	};

	return cmocka_run_group_tests_name("grpc", tests, NULL, NULL);
}
