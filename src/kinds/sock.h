/*
 * sock: the tcp:, udp: and unix: checks, answered from the kernel's socket
 * tables (lib/sockdiag.c) without touching the service: no connect, no packet.
 */
#ifndef HEALTHY_SOCK_H
#define HEALTHY_SOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "lib/sockdiag.h"

/* The environment variable that makes healthy read /proc/net instead of asking sock_diag. */
#define SOCK_PROCNET_ENV "HEALTHY_PROCNET"

/* tcp:[ADDR:]PORT, udp:[ADDR:]PORT, unix:PATH and unix:@NAME */
extern const struct kind kind_tcp, kind_udp, kind_unix;

/* A socket address as seen in the kernel's tables, for evidence. */
struct sock_seen {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char addr[16];
};

/* What the socket tables showed for one tcp:, udp: or unix: check. */
struct sock_tally {
	unsigned found;         /* sockets that pass */
	bool found_dgram;       /* unix: the first of them is a datagram socket */
	struct sock_seen found_at;
	unsigned elsewhere;     /* inet: on the port, bound to another address */
	struct sock_seen elsewhere_at;
	bool v6only;            /* inet: a [::] socket that would do, but is IPv6-only */
	bool v6only_unknown;    /* inet: ... whose IPV6_V6ONLY the source does not show */
	bool device;            /* inet: a socket that would do, but bound to a device (or VRF) that ADDR does not reach */
	struct sock_seen device_at;
	int device_if;
	bool device_unsure;     /* inet: ... to a device that may or may not hold ADDR */
	bool device_unknown;    /* inet: ... whose bound device the source does not show */
	struct sock_seen device_unknown_at;
	int found_if;           /* inet: the device the first found socket is bound to; 0 for none */
	bool not_listening;     /* unix: a stream socket bound at the path, not listening */
	size_t padded;          /* unix:@NAME: a socket bound to NAME and this many NULs, which a client of NAME misses */
	bool reached;           /* unix: not in the table, but a connect() was taken */
	bool reached_dgram;
	bool reached_via_proc;  /* unix: a path longer than sun_path, connected to through /proc/self/fd */
	int reach_errno;        /* unix: why a connect() was not taken; 0 if none was tried or it was */
};

/* A tcp:, udp: or unix: check's own state, pointed to by its struct check. */
struct sock_check {
	int family;             /* of ADDR; 0: any address */
	bool localhost;         /* ADDR was "localhost": 127.0.0.1 or ::1 */
	unsigned char addr[16];
	uint16_t port;
	bool abstract;          /* unix:@NAME */
	int stat_errno;         /* unix: stat(PATH) failed with this */
	bool not_socket;        /* unix: PATH is no socket */
	unsigned long long dev; /* unix: the socket file's device and inode */
	unsigned long long ino;
	struct sock_tally tally;
};

enum accept {
	ACCEPT_NO,
	ACCEPT_YES,
	ACCEPT_V6ONLY,          /* a [::] socket that refuses IPv4 */
	ACCEPT_UNKNOWN,         /* a [::] socket whose IPV6_V6ONLY the source does not show */
	ACCEPT_DEVICE,          /* bound to a device that a connection to ADDR from this host does not come in on */
	ACCEPT_DEVICE_UNSURE,   /* ... or maybe: healthy does not know which device holds ADDR */
	ACCEPT_DEVICE_UNKNOWN,  /* ... or maybe: the source does not show the bound device */
};

/*
 * Whether socket e, on the check's port, takes a connection to what the
 * check asks for: ADDR, either of localhost's, or any address. The kernel's
 * rules for bound addresses, IPV6_V6ONLY and bound devices. Pure.
 */
enum accept sock_accepts(const struct sock_check *s, const struct sock_entry *e);

#endif
