/*
 * conn: connections to hosts, many at once, in one poll loop under one
 * deadline. A host name resolves in the loop (resolve.c); a non-blocking
 * connect goes to every address it has, and the first to answer wins; then
 * the caller's protocol runs, told through conn_ops when the connection is
 * up and when it is readable. It knows nothing of checks: a connection ends
 * with a result and a line saying why.
 */
#ifndef HEALTHY_CONN_H
#define HEALTHY_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/line.h"
#include "lib/url.h"

/* At most this many connections in one conn_run(). */
#define CONN_MAX 64
/* A name resolves to at most this many addresses that a connection tries. */
#define CONN_MAX_ADDRS 8

/* How a connection ended; the values are check.h's verdicts. */
enum conn_result {
	CONN_PENDING = 0,
	CONN_PASS,
	CONN_FAIL,      /* evidence the service is down: refused, reset, a wrong answer, the deadline */
	CONN_ERROR,     /* healthy could not tell: no name server, no socket, a path it may not use */
};

enum conn_phase {
	CONN_RESOLVING,
	CONN_CONNECTING,
	CONN_HANDSHAKE, /* connected, and TLS's handshake under way */
	CONN_OPEN,      /* connected (and TLS's handshake done): the protocol's, readable events go to ops->readable */
	CONN_DONE,
};

struct conn;
struct tls;
struct tls_anchors;
struct tls_client;
struct resolve;

struct conn_ops {
	/* Connected (k->phase is CONN_OPEN): send the request with conn_send(), or conn_end(). */
	void (*up)(struct conn *k);
	/* Bytes, or the end, to take with conn_read(); conn_end() once the answer is known, the words in *k->why. */
	void (*readable)(struct conn *k);
	/* The deadline came while CONN_OPEN: what was awaited, into *k->why (never empty); it then ends CONN_FAIL. */
	void (*late)(struct conn *k, uint64_t timeout_ms);
};

struct conn_target {
	int family;             /* AF_INET, AF_INET6, or AF_UNIX */
	unsigned char a[16];
	int fd;                 /* -1 once closed */
	int err;                /* 0: pending or connected; -1: beaten by another; else why it failed */
};

struct conn {
	/* The caller's, before conn_run(). */
	const char *host;       /* a name or an address; NUL-terminated */
	uint16_t port;
	const char *unix_path;  /* or this unix socket ("@NAME": abstract), unix_len bytes; host is then unused */
	size_t unix_len;
	const struct conn_ops *ops; /* NULL: a connection is all that is asked ("ok: connected to ADDR") */
	struct line *why;
	/* TLS over the connection: its engine (NULL: none), SNI and the name verified, ALPN, the anchors (NULL: none verified) */
	struct tls *tls;
	const char *servername, *alpn;
	const struct tls_anchors *ca;
	const struct tls_client *client; /* the certificate the server may ask for (NULL: none) */
	/* A host name's lookup (5 KiB): mapped by the caller before the run, for a connection that needs one (conn_needs_lookup) */
	struct resolve *lookup_store;       /* the evidence or the reason, as the run finds it */
	/* A run's. */
	enum conn_result result;
	enum conn_phase phase;
	struct resolve *lookup; /* while CONN_RESOLVING */
	int ntargets, winner;
	short want;             /* with TLS: what the engine waits for on the socket */
	struct conn_target t[CONN_MAX_ADDRS];
};

/*
 * What one read takes (a body's piece, gRPC's frames, a drain), and where a
 * request is built before it is sent: each use is over before the next.
 */
#define CONN_BUF_SIZE 16384
extern char conn_buf[CONN_BUF_SIZE];

/* k goes where u says: HOST:PORT, or its unix= socket. */
void conn_to(struct conn *k, const struct url *u);

/* Whether k's host is a name to look up: not an address, not localhost, not unix=. */
bool conn_needs_lookup(const struct conn *k);

/* Runs the n (at most CONN_MAX) connections to their ends or to the deadline; timeout_ms, for the words, is how long it was. */
void conn_run(struct conn **ks, size_t n, uint64_t deadline_ms, uint64_t timeout_ms);

/* Ends k with r, closing its sockets. */
void conn_end(struct conn *k, enum conn_result r);

/* The request, whole, to the connection that won; a send that does not take it all ends k (CONN_FAIL). */
void conn_send(struct conn *k, const void *p, size_t n);

/* Bytes owed to the server (an ACK), sent if the socket takes them now: the answer decides, not they. */
void conn_reply(struct conn *k, const void *p, size_t n);

/*
 * Reads what came, at most n bytes. Returns their count, 0 at the end, or -1
 * when there is nothing to take: nothing yet, or an error, which ended k.
 */
ssize_t conn_read(struct conn *k, void *p, size_t n);

/* Reads, without waiting, what the server already sent (up to max), so that closing sends a FIN, not a reset. */
void conn_drain(struct conn *k, size_t max);

/* Where the winner is: "127.0.0.1:80", "[::1]:80", or the unix= path as written. */
void conn_addr(struct line *l, const struct conn *k);

/* "timed out after 2s" and doing. */
void conn_timed_out(struct line *l, uint64_t timeout_ms, const char *doing);

#endif
