/*
 * probe: the active checks, connect:HOST:PORT and http://HOST[:PORT][/PATH].
 * Every probe of a run goes at once, non-blocking, in one poll loop bounded
 * by the run's deadline; names resolve with the libc resolver in a child, so
 * a slow DNS server is cut off by the same deadline.
 */
#ifndef HEALTHY_PROBE_H
#define HEALTHY_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "report.h"

/* Only the status line is read; a longer one is not HTTP. */
#define STATUS_LINE_MAX 512

/* Parses what follows "connect:" (HOST:PORT, [ADDR6]:PORT) or "http:" (//HOST[:PORT][/PATH]). Returns 0, or -1 with the usage error in err. */
int probe_spec_parse(struct check *c, const char *body, struct line *err);

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

/* The Host header's value for an http:// check: the host (in brackets if IPv6), and ":PORT" unless it is 80. */
void http_host_header(const struct check *c, struct line *l);

/* Runs every connect: and http:// check until each has an answer or the monotonic clock passes deadline_ms. */
void probe_run(struct check *checks, size_t n, uint64_t deadline_ms, uint64_t timeout_ms);

/* The monotonic clock in milliseconds. */
uint64_t probe_now_ms(void);

#endif
