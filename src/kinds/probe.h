/*
 * probe: the active checks, connect:HOST:PORT and http://HOST[:PORT][/PATH].
 * Every probe of a run goes at once, non-blocking, in one poll loop bounded
 * by the run's deadline; names resolve in the same loop (lib/resolve.c), so
 * a slow DNS server is cut off by the same deadline.
 */
#ifndef HEALTHY_PROBE_H
#define HEALTHY_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "lib/http.h"

/* connect:HOST:PORT and http://HOST[:PORT][/PATH]; https://, which only says it is not there */
extern const struct kind kind_connect, kind_http, kind_https;

/* A name resolves to at most this many addresses that a probe tries. */
#define PROBE_MAX_ADDRS 8
/* A host name, as DNS bounds it. */
#define HOST_SIZE 256

/* A connect: or http:// check's own state, pointed to by its struct check. */
struct probe_check {
	char host[HOST_SIZE];   /* without brackets */
	uint16_t port;
	const char *path;       /* http: from the first '/', without a fragment; "" for "/" */
	size_t path_len;
};

/* The Host header's value for an http:// check: the host (in brackets if IPv6), and ":PORT" unless it is 80. */
void http_host_header(const struct check *c, struct line *l);

#endif
