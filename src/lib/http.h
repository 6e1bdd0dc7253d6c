/*
 * http: what healthy reads of an HTTP response -- its status line, and for
 * a check that looks into the body its headers and body, chunked or not --
 * and what a line shows of a reply that is none. Bytes in, facts out.
 */
#ifndef HEALTHY_HTTP_H
#define HEALTHY_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "line.h"
#include "url.h"

/* The longest request http_request() writes: the path, host=, every header= and healthy's own lines. */
#define HTTP_REQUEST_MAX (URL_PATH_MAX + URL_HOST_SIZE + 6 + URL_MAX_HEADERS * (URL_HEADER_MAX + 2) + 128)

/*
 * An HTTP/1.1 GET (or HEAD) of u's path, built whole into out: Host,
 * User-Agent and Connection: close, but where a header= of that name stands
 * in, then the header= lines. Returns its length.
 */
size_t http_request(char *out, const struct url *u);

/* Only the status line is read; a longer one is not HTTP. */
#define STATUS_LINE_MAX 512

/*
 * Parses the start of an HTTP response. Returns 1 with the status code and
 * reason phrase (inside buf) when the status line is complete, 0 when more
 * bytes are needed, -1 when these bytes are no HTTP status line.
 */
int http_status_parse(const char *buf, size_t len, int *code, const char **reason, size_t *reason_len);

/* At most this much of a reply that is no HTTP status line is shown. */
#define HTTP_EXCERPT_MAX 40

/*
 * Appends, escaped, the start of a reply that is no status line: its first
 * line with the empty lines before it (alone, an empty one says nothing), at
 * most HTTP_EXCERPT_MAX of buf's len bytes.
 */
void http_excerpt(struct line *l, const char *buf, size_t len);

/* The status codes a check takes, lo to hi: "200", "2xx", "200-204". Returns 0, or -1 when s is none of those. */
int http_status_range_parse(const char *s, size_t n, uint16_t *lo, uint16_t *hi);

/* The header section (after the status line) is read up to this; a longer one is refused. */
#define HTTP_HEADERS_MAX 65536
/* A header line is kept up to this to be read; the rest of a longer one is only counted. */
#define HTTP_LINE_MAX 128

enum http_msg_result {
	HTTP_MSG_MORE,          /* the message goes on */
	HTTP_MSG_END,           /* the message is whole */
	HTTP_MSG_HEADERS_LONG,  /* more than HTTP_HEADERS_MAX of headers (or trailers) */
	HTTP_MSG_BAD_LENGTH,    /* a Content-Length that is no number, or two that differ */
	HTTP_MSG_BAD_CODING,    /* a Transfer-Encoding other than chunked, or a Content-Encoding: not decoded */
	HTTP_MSG_BAD_CHUNK,     /* a chunk size line or a chunk's end that is malformed */
	HTTP_MSG_CUT,           /* the connection closed before the message's end */
};

/* The headers and body of a response after its status line, as they come. */
struct http_msg {
	/* private */
	unsigned char state;
	bool no_body, chunked, have_length, line_cut;
	uint64_t left;          /* Content-Length's bytes, or the chunk's, still to come */
	size_t header_bytes;
	size_t line_len;
	char line[HTTP_LINE_MAX];
};

/* Starts reading a message: no_body for the answer to HEAD, and for 204 and 304, whose headers end it. */
void http_msg_start(struct http_msg *m, bool no_body);

/*
 * Takes n bytes of the message; the body's bytes, decoded from chunks, go to
 * body(ctx, ...). Returns MORE, END (bytes after the end are ignored), or
 * why the message is malformed.
 */
enum http_msg_result http_msg_feed(struct http_msg *m, const char *p, size_t n,
				   void (*body)(void *ctx, const char *p, size_t n), void *ctx);

/* The connection closed: END for a body that runs to the close, else CUT. */
enum http_msg_result http_msg_close(const struct http_msg *m);

/* The longest TEXT a body is searched for. */
#define HTTP_FIND_MAX 256

/* A search for text in bytes that come in pieces: found across a piece's end too. */
struct http_find {
	const char *text;
	size_t len;             /* 1 to HTTP_FIND_MAX */
	bool found;
	/* private: the last len - 1 bytes seen */
	size_t kept;
	char tail[HTTP_FIND_MAX];
};

void http_find_start(struct http_find *f, const char *text, size_t len);
void http_find_feed(struct http_find *f, const char *p, size_t n);

#endif
