/*
 * probe: the active checks, connect:HOST:PORT, http://HOST[:PORT][/PATH] and
 * grpc://HOST:PORT (the health service's Check, over HTTP/2 without TLS).
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

union probe_buffers;

/* connect:HOST:PORT, http://HOST[:PORT][/PATH], grpc://HOST:PORT; https://, which only says it is not there */
extern const struct kind kind_connect, kind_http, kind_grpc, kind_https;

/* A name resolves to at most this many addresses that a probe tries. */
#define PROBE_MAX_ADDRS 8
/* A host name, as DNS bounds it. */
#define HOST_SIZE 256

/* At most this many header= options a check, each at most HEADER_MAX bytes. */
#define PROBE_MAX_HEADERS 8
#define HEADER_MAX 1024
/* body=TEXT is looked for in this much of the body, decoded. */
#define BODY_MAX 65536

/* A connect:, http:// or grpc:// check's own state, pointed to by its struct check. */
struct probe_check {
	char host[HOST_SIZE];   /* without brackets */
	uint16_t port;
	const char *path;       /* http: from the first '/', without a fragment; "" for "/" */
	size_t path_len;
	/* http:// and grpc:// options; the strings lie in the check as typed */
	unsigned given;         /* a bit for each option key seen: none twice */
	bool head;              /* method=HEAD */
	uint16_t status_lo, status_hi; /* status=; 0: 2xx or 3xx */
	const char *status;     /* status= as typed, for the line */
	size_t status_len;
	const char *hdr[PROBE_MAX_HEADERS]; /* header=, in the order given; Host: among them replaces the URL's */
	size_t hdr_len[PROBE_MAX_HEADERS];
	unsigned nhdr;
	const char *authority;  /* host=NAME: the Host header's value, or gRPC's :authority */
	size_t authority_len;
	const char *body;       /* body=TEXT */
	size_t body_len;
	const char *unix_path;  /* unix=PATH or @NAME: the socket to ask, instead of HOST:PORT */
	size_t unix_len;
	const char *service;    /* grpc:// service=NAME */
	size_t service_len;
	union probe_buffers *b; /* body= and grpc://: what reading the answer takes, mapped by prepare */
};

/* The Host header's value for an http:// check: the host (in brackets if IPv6), and ":PORT" unless it is 80. */
void http_host_header(const struct check *c, struct line *l);

#endif
