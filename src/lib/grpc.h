/*
 * grpc: one call of grpc.health.v1.Health/Check over HTTP/2 without TLS
 * (RFC 9113, prior knowledge), as a client that asks one thing: the request
 * built whole, and the server's bytes read frame by frame into what the
 * answer says. Bytes in, a result out; the I/O is the caller's.
 *
 * Every bound is fixed: a frame larger than the 16 KiB SETTINGS_MAX_FRAME_SIZE
 * every client starts with, a header block or an answer message past its
 * bound, is a broken answer, never a longer read.
 */
#ifndef HEALTHY_GRPC_H
#define HEALTHY_GRPC_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/hpack.h"

#define GRPC_FRAME_MAX 16384    /* RFC 9113 4.2: the default SETTINGS_MAX_FRAME_SIZE */
#define GRPC_BLOCK_MAX 8192     /* one header block, HEADERS and CONTINUATIONs together */
#define GRPC_MSG_MAX 1024       /* the answer message (a HealthCheckResponse is 2 bytes) */
#define GRPC_TEXT_MAX 128       /* grpc-message, or GOAWAY's debug data: kept this much */
#define GRPC_SERVICE_MAX 255    /* service=NAME */
#define GRPC_REPLY_MAX 128      /* SETTINGS and PING ACKs owed: more in one read are dropped */

/* The request: the preface, SETTINGS, one HEADERS, one DATA (the names in it bounded by the caller). */
struct grpc_call {
	const char *authority;  /* :authority, "HOST:PORT" */
	size_t authority_len;
	const char *service;
	size_t service_len;
	const char *const *hdr; /* "Name: value" each, as header= gives them */
	const size_t *hdr_len;
	unsigned nhdr;
	const char *user_agent; /* NULL: one of hdr is User-Agent */
};

/* Bytes grpc_request() writes at most, for nhdr header= of hdr_max bytes (the authority <= 512 bytes). */
#define GRPC_REQUEST_MAX(nhdr, hdr_max) (1024 + (nhdr) * ((hdr_max) + 8) + GRPC_SERVICE_MAX)

size_t grpc_request(unsigned char *out, const struct grpc_call *call);

enum grpc_result {
	GRPC_MORE,              /* more bytes wanted */
	GRPC_END,               /* the stream ended: http_status, grpc_status, serving */
	GRPC_NOT_H2,            /* the first frame is no SETTINGS: in[0..in_len) holds what came */
	GRPC_RESET,             /* RST_STREAM on the call: code */
	GRPC_GOAWAY,            /* code, and text the debug data */
	GRPC_BROKEN,            /* a frame, block or message against the protocol or past a bound: what */
};

struct grpc {
	/* What the answer said; -1: not sent. */
	int http_status, grpc_status, serving;
	unsigned code;          /* RST_STREAM's or GOAWAY's error code */
	const char *what;       /* GRPC_BROKEN: why, in words */
	char text[GRPC_TEXT_MAX];
	size_t text_len;
	/* Owed to the server (ACKs): the caller sends reply[0..reply_len) and zeroes reply_len. */
	unsigned char reply[GRPC_REPLY_MAX];
	size_t reply_len;
	/* Reading */
	bool started, in_block, block_ends;
	size_t in_len, block_len, msg_len;
	struct hpack hpack;
	unsigned char in[9 + GRPC_FRAME_MAX];
	unsigned char block[GRPC_BLOCK_MAX];
	unsigned char msg[GRPC_MSG_MAX];
};

/* Ready for a new answer; touches only the small fields, not the buffers. */
void grpc_start(struct grpc *g);

/* n more bytes from the server. */
enum grpc_result grpc_feed(struct grpc *g, const unsigned char *p, size_t n);

/* The HealthCheckResponse's status from a protobuf message: 0 (UNKNOWN) when absent; -1 when malformed. */
int grpc_serving_parse(const unsigned char *p, size_t n);

/* RFC 9113 7's name of an error code, or NULL; grpc's name of a status code, or NULL. */
const char *grpc_h2_error(unsigned code);
const char *grpc_status_name(unsigned code);

#endif
