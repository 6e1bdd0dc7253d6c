/*
 * sockdiag: the kernel's socket tables, read with NETLINK_SOCK_DIAG, or from
 * /proc/net when sock_diag is refused. Pure parsers for both sit beside the
 * readers. The kernel's UAPI structs are spelled out here: musl-gcc does not
 * see the linux/ headers, and their layout is ABI.
 */
#ifndef HEALTHY_SOCKDIAG_H
#define HEALTHY_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "line.h"

/* include/net/tcp_states.h */
#define TCP_ESTABLISHED 1
#define TCP_SYN_RECV 3
#define TCP_CLOSE 7
#define TCP_LISTEN 10

/* One socket, as either source describes it. */
struct sock_entry {
	int family;             /* AF_INET, AF_INET6, AF_UNIX */
	int type;               /* unix: SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	int state;              /* TCP_LISTEN, TCP_CLOSE, ... */
	unsigned char addr[16]; /* bound address, network order; IPv4 in the first 4 bytes */
	uint16_t port;          /* bound port, host order */
	int v6only;             /* IPV6_V6ONLY: 1, 0, or -1 when the source does not say */
	int bound_if;           /* SO_BINDTODEVICE (or a VRF): the interface index, 0 for none, -1 when the source does not say */
	bool has_vfs;           /* unix: the socket file's device and inode are known */
	uint32_t vfs_dev;       /* the file's device, as the kernel's MKDEV(): major << 20 | minor */
	uint32_t vfs_ino;
	bool abstract;          /* unix: the name is in the abstract namespace */
	const char *name;       /* unix: the name as bound: a path without its trailing NULs, an abstract name without
				   its leading NUL but whole (trailing NULs are part of it); inside the parsed buffer */
	size_t name_len;
};

enum sock_table {
	TABLE_TCP4,
	TABLE_TCP6,
	TABLE_UDP4,
	TABLE_UDP6,
	TABLE_UNIX,
	TABLE_COUNT,
};

/*
 * Called for each socket of a table; returns non-zero to stop reading it.
 * Called with NULL when the table is read again from its start (a dump the
 * kernel marked inconsistent, or the fallback after a failed dump): forget
 * what this table gave so far.
 */
typedef int (*sock_visit)(const struct sock_entry *e, void *ctx);

/*
 * Reads one table: TCP listeners, unconnected UDP sockets, or listening and
 * unconnected unix sockets. sock_diag first, waiting at most wait_ms for it;
 * for TCP and UDP, /proc/net when sock_diag is refused or fails, or always
 * when use_procnet. /proc/net/unix is never read: it shows neither a socket
 * file's inode nor an abstract name's NULs (the unix: kind connects instead).
 * Returns 0, or -1 with why in err.
 */
int sock_table_read(enum sock_table t, bool use_procnet, uint64_t wait_ms, sock_visit fn, void *ctx, struct line *err);

/* Pure parsers, for tests and fuzzers. Each returns 0, or -1 for bytes that are not one socket. */

/* The payload of one SOCK_DIAG_BY_FAMILY answer for AF_INET or AF_INET6 (struct inet_diag_msg and attributes). */
int diag_inet_parse(const unsigned char *msg, size_t len, struct sock_entry *e);
/* The payload of one answer for AF_UNIX (struct unix_diag_msg and attributes). */
int diag_unix_parse(const unsigned char *msg, size_t len, struct sock_entry *e);
/* One line of /proc/net/tcp, tcp6, udp or udp6 (family AF_INET or AF_INET6); the header line is -1. */
int procnet_inet_parse(const char *line, size_t len, int family, struct sock_entry *e);

enum nl_batch {
	NL_MORE,        /* every message was handled: read the next datagram */
	NL_DONE,        /* NLMSG_DONE: the dump is complete */
	NL_ERROR,       /* NLMSG_ERROR: *err holds the errno */
	NL_BAD,         /* a malformed message, or one of another sequence or sender */
	NL_STOP,        /* the visitor asked to stop */
};

/*
 * Walks the netlink messages of one received datagram of the dump seq, sent
 * to port id portid. Sets *intr when the kernel marked a message
 * NLM_F_DUMP_INTR (the table changed during the dump: dump again once done).
 */
enum nl_batch nl_batch_parse(const unsigned char *buf, size_t len, uint32_t seq, uint32_t portid, int family,
			     sock_visit fn, void *ctx, int *err, bool *intr);

#endif
