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
#include "lib/line.h"
#include "lib/http.h"

/* Parses what follows "connect:" (HOST:PORT, [ADDR6]:PORT) or "http:" (//HOST[:PORT][/PATH]). Returns 0, or -1 with the usage error in err. */
int probe_spec_parse(struct check *c, const char *body, struct line *err);

/* The Host header's value for an http:// check: the host (in brackets if IPv6), and ":PORT" unless it is 80. */
void http_host_header(const struct check *c, struct line *l);

/* Runs every connect: and http:// check until each has an answer or the monotonic clock passes deadline_ms. */
void probe_run(struct check *checks, size_t n, uint64_t deadline_ms, uint64_t timeout_ms);

#endif
