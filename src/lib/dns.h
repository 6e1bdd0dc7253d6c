/*
 * dns: the pure half of healthy's stub resolver -- a line of /etc/hosts, a
 * line of /etc/resolv.conf, a query, an answer. Bytes in, struct out; the
 * sockets and the files are resolve.c's.
 */
#ifndef HEALTHY_DNS_H
#define HEALTHY_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A name as written, without the trailing dot: 253 bytes at most in the wire's 255. */
#define DNS_NAME_SIZE 256
/* An answer over UDP, without EDNS (RFC 1035 4.2.1); a longer one comes truncated, and then over TCP. */
#define DNS_UDP_MAX 512
/* A query: header, the name's 255 bytes at most, type and class. */
#define DNS_QUERY_MAX (12 + 255 + 4)
/* As musl and glibc: at most three name servers, six search domains. */
#define DNS_MAX_SERVERS 3
#define DNS_MAX_SEARCH 6
/* The addresses an answer gives that are kept: a probe tries no more. */
#define DNS_MAX_ADDRS 8
/* A CNAME chain longer than this is a loop, or a lie. */
#define DNS_MAX_CNAMES 8

#define DNS_TYPE_A 1
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_AAAA 28

/* RFC 1035 4.1.1 RCODE */
#define DNS_NOERROR 0
#define DNS_SERVFAIL 2
#define DNS_NXDOMAIN 3
#define DNS_REFUSED 5

struct dns_addr {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char a[16];
};

/* What /etc/resolv.conf says, as musl reads it. */
struct dns_conf {
	struct dns_addr servers[DNS_MAX_SERVERS];
	unsigned nservers;
	char search[DNS_MAX_SEARCH][DNS_NAME_SIZE];
	unsigned nsearch;
	unsigned ndots;         /* 1; at most 15 */
	unsigned timeout_s;     /* 5, for all attempts together; at most 60 */
	unsigned attempts;      /* 2; at most 10 */
};

/* The defaults: no server yet, ndots:1 timeout:5 attempts:2. */
void dns_conf_start(struct dns_conf *c);
/* One line of resolv.conf: nameserver, search, domain (the last of the two wins), options; the rest is ignored. */
void dns_conf_line(struct dns_conf *c, const char *line, size_t len);
/* No nameserver line: 127.0.0.1, as musl and glibc. */
void dns_conf_end(struct dns_conf *c);

/*
 * One line of /etc/hosts: when it names name (n bytes, case aside) with an
 * address, that address in *out and 1; else 0. A '#' starts a comment; a
 * line is an address, then names, separated by blanks.
 */
int dns_hosts_line(const char *line, size_t len, const char *name, size_t n, struct dns_addr *out);

/*
 * The names to ask, in order, for a name of n bytes: as it is first when it
 * has ndots dots or more (or ends in one), then with each search domain,
 * then as it is if not asked yet. Returns how many (at most max).
 */
size_t dns_candidates(const struct dns_conf *c, const char *name, size_t n, char (*out)[DNS_NAME_SIZE], size_t max);

/* A query for name (n bytes; no trailing dot) of qtype, with id and recursion desired. Returns its length, or 0 when name is no DNS name. */
size_t dns_query(unsigned char *buf, uint16_t id, const char *name, size_t n, uint16_t qtype);

struct dns_answer {
	int rcode;
	bool truncated;         /* TC: ask again over TCP */
	unsigned count;
	struct dns_addr addrs[DNS_MAX_ADDRS];
};

enum dns_parse {
	DNS_PARSE_OK,
	DNS_PARSE_NOT_OURS,     /* another ID, not an answer, or to another question: not the answer waited for */
	DNS_PARSE_BAD,          /* the answer to our question, malformed: a compression loop, a pointer or a
				   length out of bounds, a CNAME chain too long */
};

/*
 * The answer in buf to the query in q (both as on the wire). Takes only
 * addresses of the type asked, of the name asked or of the CNAME chain
 * from it. Pure.
 */
enum dns_parse dns_answer_parse(const unsigned char *buf, size_t len, const unsigned char *q, size_t qlen,
				struct dns_answer *a);

#endif
