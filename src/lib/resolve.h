/*
 * resolve: a host name to addresses without blocking and without a child:
 * /etc/hosts first, then DNS, A and AAAA at once, over UDP to each of
 * resolv.conf's name servers (TCP for an answer that comes truncated),
 * driven by the caller's poll loop under the caller's deadline. The bytes
 * are dns.c's; this is the files, the sockets and the clock.
 */
#ifndef HEALTHY_RESOLVE_H
#define HEALTHY_RESOLVE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"

/* The most descriptors one lookup polls: a UDP socket per server, and one TCP connection. */
#define RESOLVE_MAX_FDS (DNS_MAX_SERVERS + 1)
/* A DNS answer over TCP longer than this is not read (a hundred addresses fit). */
#define RESOLVE_TCP_MAX 2048
/* rcode: an answer that was garbage (or truncated over TCP); a TCP connection closed before it answered. */
#define RESOLVE_MALFORMED (-2)
#define RESOLVE_CLOSED (-3)

enum resolve_state {
	RESOLVE_MORE,           /* waiting for an answer */
	RESOLVE_DONE,           /* addrs holds the addresses */
	RESOLVE_NONAME,         /* no such name, nor any address for it, in any search domain */
	RESOLVE_FAILED,         /* the servers did not answer, or answered SERVFAIL, REFUSED, garbage */
};

struct resolve {
	enum resolve_state state;
	int rcode;              /* FAILED: the last error a server answered; -1 none answered;
				   RESOLVE_MALFORMED, RESOLVE_CLOSED */
	int err;                /* FAILED: why the sockets failed (errno), or 0 */
	struct dns_addr addrs[DNS_MAX_ADDRS];
	unsigned naddrs;
	/* private */
	const struct dns_conf *conf;
	char names[DNS_MAX_SEARCH + 2][DNS_NAME_SIZE];
	unsigned nnames, name;
	unsigned char q[2][DNS_QUERY_MAX];
	size_t qlen[2];
	bool done[2];
	unsigned failed[2];     /* the servers that failed this name's type: a bit each */
	int fd[DNS_MAX_SERVERS];
	uint64_t next_send, name_deadline;
	int tcp;
	unsigned tcp_server;
	bool tcp_want[2], tcp_sent[2];
	bool tcp_answered;      /* this connection brought an answer */
	bool tcp_again;         /* this name's questions went on a second connection */
	bool name_failed;       /* the servers failed a name of the search: not finding the others proves nothing */
	size_t tcp_got;
	unsigned char tcp_buf[RESOLVE_TCP_MAX];
};

/* Reads /etc/resolv.conf into c (its defaults, and 127.0.0.1, without one). */
void resolve_conf_read(struct dns_conf *c);

/*
 * Starts looking host up at now (ms): /etc/hosts, and if it is not there,
 * the first queries. r->state says whether the answer is known already.
 */
void resolve_start(struct resolve *r, const struct dns_conf *conf, const char *host, uint64_t now);

/* The descriptors to poll, at most RESOLVE_MAX_FDS, and by when to come back without one ready. */
size_t resolve_fds(const struct resolve *r, struct pollfd *fds, uint64_t *due);

/* Reads what came, resends what is due; r->state moves on. Call after a poll, ready or not. */
void resolve_step(struct resolve *r, uint64_t now);

/* Closes what is open (a lookup cut off by the deadline). */
void resolve_end(struct resolve *r);

#endif
