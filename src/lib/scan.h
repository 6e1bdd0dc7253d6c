/*
 * scan: the scanners of the command line's words -- numbers, durations,
 * ports, HOST:PORT and ",key=value" options. Bytes in, value out; each
 * says what is wrong, and its caller puts that into words.
 */
#ifndef HEALTHY_SCAN_H
#define HEALTHY_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* poll(2) takes an int of milliseconds: the longest DURATION. */
#define DURATION_MAX_MS 2147483647ULL

enum scan_error {
	SCAN_OK = 0,
	SCAN_BAD = -1,          /* not what was asked for */
	SCAN_RANGE = -2,        /* the right shape, out of range */
};

/* n bytes of decimal digits, at most max. */
enum scan_error scan_uint(const char *s, size_t n, unsigned long long max, unsigned long long *out);

/* "500ms", "5s", "2m", "1h", "1m30s", "1.5s", or a bare number of seconds; NUL-terminated. */
enum scan_error scan_duration(const char *s, uint64_t *ms);

/* A port, 1 to 65535. */
enum scan_error scan_port(const char *s, size_t n, uint16_t *port);

/* A hex digit's value, or -1. */
int scan_hex(char c);

/*
 * A numeric address, as inet_pton(family, s, out) reads it (musl's
 * inet_pton pulls in more than this): IPv4 as four decimal numbers 0-255
 * without leading zeros; IPv6 as up to eight groups of 1-4 hex digits,
 * one "::" for a run of zero groups, the last 32 bits as IPv4 if wanted.
 * NUL-terminated; returns 1, or 0 with out unspecified.
 */
int scan_ip(int family, const char *s, unsigned char *out);

/* "HOST:PORT" or "[ADDR6]:PORT" split apart; port is NULL when there is no ":PORT". */
struct hostport {
	const char *host;
	size_t host_len;
	bool bracketed;
	const char *port;
	size_t port_len;
};

enum hostport_error {
	HOSTPORT_OK = 0,
	HOSTPORT_BRACKET,       /* a '[' not closed, or its ']' not followed by ':' */
	HOSTPORT_BARE_V6,       /* "::1:80": which colon ends the address? */
};

enum hostport_error scan_hostport(const char *s, size_t n, struct hostport *hp);

/*
 * The length of a ",key=" option's key at s, or 0 if s is no option: a
 * letter, then letters, digits, '-' or '_', then '=' ("max-age=" is a
 * misspelt option, not part of a path).
 */
size_t scan_option_key(const char *s, size_t n);

/* One ",key=value" option. */
struct scan_opt {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
	const char *comma;      /* the ',' before it */
};

/*
 * The option at the right end of s[0..n), after its last ','. Options come
 * off the right end: a name or a path may itself hold commas ("a,b" is a
 * name; "a,b=1" is a name and an option). Returns true with it in *o; false
 * when s has no ',' or what follows the last one is no option (o->comma is
 * then that ',' or NULL, o->key what follows it).
 */
bool scan_option_last(const char *s, size_t n, struct scan_opt *o);

#endif
