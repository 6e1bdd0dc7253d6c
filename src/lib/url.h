/*
 * url: where a probe goes and what it asks, as connect:, http:// and grpc://
 * write it: HOST:PORT, or //HOST[:PORT][/PATH] and ",key=value" options read
 * off the right end, as proc: reads them. Pure: the spec in, a struct url or
 * the usage line ("healthy: SPEC: why") out; the strings stay in the spec.
 */
#ifndef HEALTHY_URL_H
#define HEALTHY_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/line.h"
#include "lib/scan.h"

/* A host name, as DNS bounds it, with its NUL. */
#define URL_HOST_SIZE 256
/* The request line holds the path: bound it well below what servers take (8 KiB). */
#define URL_PATH_MAX 2048
/* At most this many header= options, each at most URL_HEADER_MAX bytes. */
#define URL_MAX_HEADERS 8
#define URL_HEADER_MAX 1024
/* body=TEXT and service=NAME, at most. */
#define URL_BODY_MAX 256
#define URL_SERVICE_MAX 255

/* The options a kind takes (url_parse's takes); URL_NEEDS_PORT: no default port, but over unix=. */
enum {
	URL_HEADER = 1u << 0,
	URL_METHOD = 1u << 1,
	URL_HOST = 1u << 2,
	URL_STATUS = 1u << 3,
	URL_BODY = 1u << 4,
	URL_UNIX = 1u << 5,
	URL_SERVICE = 1u << 6,
	URL_CA = 1u << 7,
	URL_SERVERNAME = 1u << 8,
	URL_CERT = 1u << 9,
	URL_KEY = 1u << 10,
	URL_NEEDS_PORT = 1u << 16,
	URL_TLS = 1u << 17,     /* https://, grpcs://: the default port is 443 */
};

struct url {
	char host[URL_HOST_SIZE]; /* without brackets */
	uint16_t port;
	const char *path;       /* from the first '/' or '?', without a fragment; "" for none */
	size_t path_len;
	size_t rest_len;        /* the path with its fragment: what follows the host and port */
	unsigned given;         /* a bit for each option seen: none twice */
	bool head;              /* method=HEAD */
	uint16_t status_lo, status_hi; /* status= */
	const char *status;     /* status= as typed, for the line; NULL: 2xx or 3xx */
	size_t status_len;
	const char *hdr[URL_MAX_HEADERS]; /* header=, in the order given */
	size_t hdr_len[URL_MAX_HEADERS];
	unsigned nhdr;
	const char *authority;  /* host=NAME: the Host header's value, or gRPC's :authority */
	size_t authority_len;
	const char *body;       /* body=TEXT */
	size_t body_len;
	const char *unix_path;  /* unix=PATH or @NAME: the socket to ask, instead of HOST:PORT */
	size_t unix_len;
	const char *service;    /* service=NAME */
	size_t service_len;
	const char *ca;         /* ca=FILE: the server's certificate is verified against its certificates */
	size_t ca_len;
	const char *servername; /* servername=NAME: SNI and the name verified, instead of HOST */
	size_t servername_len;
	const char *cert, *key; /* cert=FILE, key=FILE: the client's certificate chain and key (mTLS) */
	size_t cert_len, key_len;
	uint16_t default_port;  /* 80, or 443 over TLS: the Host header leaves it out */
	bool host_is_addr;      /* HOST is an address, which TLS never sends as SNI nor verifies */
};

/* scan_hostport() and scan_port() with the reason in words: NULL, or why s is not HOST:PORT, or no port. */
const char *url_split(const char *s, size_t n, struct hostport *hp);
const char *url_port(const char *s, size_t n, uint16_t *port);

/*
 * HOST:PORT or [ADDR6]:PORT, in s[0..n), into u; without ":PORT" the port is
 * default_port, or an error when it is 0. spec names the check in err's
 * line. Returns 0, or -1 with the usage line in err.
 */
int url_hostport(struct url *u, const char *spec, const char *s, size_t n, uint16_t default_port, struct line *err);

/*
 * "//HOST[:PORT][/PATH][,key=value]..." at body (after the kind's ':', inside
 * spec), with the options takes says (known: their names, for the error);
 * the default port is 80 (443 with URL_TLS). Returns 0, or -1 with the usage line in err.
 */
int url_parse(struct url *u, const char *spec, const char *body, unsigned takes, const char *known, struct line *err);

/* Whether a header= of this name (any case) stands in for healthy's own. */
bool url_header_given(const struct url *u, const char *name);

/* The Host header's value, or gRPC's :authority, into l (reset): host=, or the host (in brackets if IPv6) and ":PORT" unless 80. */
void url_authority(const struct url *u, struct line *l);

#endif
