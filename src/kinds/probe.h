/*
 * probe: connect:HOST:PORT, http://HOST[:PORT][/PATH] and https://: a
 * connection accepted, or an HTTP/1.1 answer (over TLS for https://) with
 * the status (and the body's TEXT) wanted. They run in lib/conn.c's one poll loop with every other probe of
 * the run, under its deadline.
 */
#ifndef HEALTHY_PROBE_H
#define HEALTHY_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "lib/conn.h"
#include "lib/http.h"
#include "lib/tls.h"
#include "lib/url.h"

struct probe_body;

/* connect:HOST:PORT, http://HOST[:PORT][/PATH], https://HOST[:PORT][/PATH] */
extern const struct kind kind_connect, kind_http, kind_https;

/* body=TEXT is looked for in this much of the body, decoded. */
#define BODY_MAX 65536

/* A connect: or http:// check's own state, pointed to by its struct check. */
struct probe_check {
	struct conn conn;       /* first: check_conns_run() finds it there */
	struct url url;
	struct probe_body *b;   /* body='s buffers, mapped by prepare */
	struct tls_anchors ca;  /* https://'s ca=, read by prepare */
	/* An http:// answer, as it is read: in_body to last1xx zeroed for each (http_up) */
	bool in_body;           /* past the status line, reading the body for body= */
	bool interim;           /* skipping a 1xx answer's headers */
	unsigned ninterim;      /* 1xx answers begun */
	size_t skipped;         /* their bytes, up to INTERIM_MAX */
	size_t got;
	size_t last1xx_len;
	char last1xx[32];       /* the last one's code and reason, "100 Continue", cut */
	char buf[STATUS_LINE_MAX + 1];  /* NUL-terminated */
};

#endif
