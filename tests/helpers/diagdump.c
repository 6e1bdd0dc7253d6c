/*
 * diagdump: records a NETLINK_SOCK_DIAG dump as healthy asks for it, one raw
 * file per received datagram, for tests/unit/test_sockdiag.c to replay.
 *
 *   diagdump [-s SEQ] [-p PORTID] TABLE PREFIX
 *
 *   TABLE   tcp4, tcp6    TCP listeners (states 1 << TCP_LISTEN)
 *           udp4, udp6    unconnected UDP sockets (1 << TCP_CLOSE)
 *           unix          listening and unconnected unix sockets, with
 *                         UDIAG_SHOW_NAME | UDIAG_SHOW_VFS
 *           enoent        a request for a family no sock_diag handler serves
 *                         (AF_APPLETALK): the kernel answers NLMSG_ERROR
 *                         -ENOENT before any dump starts
 *           noproto       an AF_INET request for a protocol no inet_diag
 *                         handler serves: the dump starts, fails, and ends
 *                         with an NLMSG_DONE that carries -ENOENT (what a
 *                         kernel without udp_diag answers for UDP)
 *   -s SEQ     the request's nlmsg_seq (default 1; healthy's first dump)
 *   -p PORTID  bind the netlink socket to this port id first, so that a
 *              re-recording gives the same headers; without it the kernel
 *              picks one at the first send, as it does for healthy
 *
 * Writes PREFIX-1.bin, PREFIX-2.bin, ... until a datagram that holds
 * NLMSG_DONE or NLMSG_ERROR, then prints "seq SEQ portid PORTID" and one
 * line per file. The requests are those of diag_read() in src/lib/sockdiag.c;
 * keep the two in step.
 *
 * Record in a network namespace of its own (unshare -n) so that only the
 * sockets a test set up are in the tables: unix sockets are per namespace too.
 * The fixtures of tests/unit/test_sockdiag.c were made so, as root, from the
 * top directory, in `unshare -n bash` (wait for each READYFILE in turn):
 *
 *   ip link set lo up; mkdir /tmp/healthy-diag; S=build/helpers/sockets
 *   $S tcp-listen :: 8080 0 R1 &  $S tcp-listen :: 8443 1 R2 &
 *   $S tcp-listen 127.0.0.1 5432 - R3 &  $S tcp-listen ::1 9000 1 R4 &
 *   $S udp-bind 127.0.0.1 5353 - R5 &  $S udp-bind :: 5354 0 R6 &
 *   $S unix-listen /tmp/healthy-diag/srv.sock R7 &
 *   $S unix-listen "/tmp/healthy-diag/with space.sock" R8 &
 *   $S unix-dgram /tmp/healthy-diag/dgram.sock R9 &
 *   $S unix-bound /tmp/healthy-diag/bound.sock R10 &
 *   $S unix-seqpacket /tmp/healthy-diag/seq.sock R11 &
 *   $S unix-listen @healthy-abs R12 &
 *   python3 -c 'import socket as s, time
 *   p = s.socket(s.AF_UNIX); p.bind(b"\0healthy-pad" + bytes(96)); p.listen()
 *   a = s.socketpair(); c = s.socket(s.AF_UNIX); c.connect("/tmp/healthy-diag/srv.sock")
 *   t = s.create_connection(("127.0.0.1", 5432)); time.sleep(3600)' &
 *   for t in tcp4 tcp6 udp4 udp6 unix; do
 *           build/helpers/diagdump -p 4242 $t tests/fixtures/diag-$t; done
 *   for t in tcp tcp6 udp udp6 unix; do
 *           cat /proc/net/$t > tests/fixtures/procnet-$t; done
 *   stat -c '%n %i' /tmp/healthy-diag/srv.sock ...  # inodes for the test
 *
 * and, each alone: diag-done.bin from `unshare -n diagdump -p 4242 tcp4 P`
 * (an empty table: NLMSG_DONE only), diag-enoent.bin and diag-noproto.bin
 * from `diagdump -p 4242 enoent P` and `noproto P`, renamed from P-1.bin.
 */
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* include/net/tcp_states.h */
#define STATE_LISTEN 10
#define STATE_CLOSE 7
/* No kernel registers an inet_diag handler for this protocol number. */
#define PROTO_NONE 253
/* linux/socket.h: a family with no sock_diag handler (no appletalk_diag). */
#define FAMILY_NONE 5

static unsigned char buf[32768];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: diagdump [-s SEQ] [-p PORTID] tcp4|tcp6|udp4|udp6|unix|enoent|noproto PREFIX\n");
	exit(2);
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v > 0xffffffffUL)
		usage();
	return v;
}

/* Does this datagram end the dump: NLMSG_DONE or NLMSG_ERROR in it? */
static int ends_dump(const unsigned char *p, size_t n, unsigned *count)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)p;
	int len = (int)n, end = 0;

	*count = 0;
	for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		++*count;
		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
			end = 1;
	}
	return end;
}

int main(int argc, char **argv)
{
	struct {
		struct nlmsghdr h;
		union {
			struct inet_diag_req_v2 inet;
			struct unix_diag_req unx;
		} r;
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK }, self = { .nl_family = AF_NETLINK };
	socklen_t self_len = sizeof(self);
	struct timeval tv = { 5, 0 };
	unsigned long seq = 1, portid = 0;
	const char *table, *prefix;
	int fd, opt, done = 0, k;

	while ((opt = getopt(argc, argv, "s:p:")) != -1) {
		if (opt == 's')
			seq = number(optarg);
		else if (opt == 'p')
			portid = number(optarg);
		else
			usage();
	}
	if (argc - optind != 2)
		usage();
	table = argv[optind];
	prefix = argv[optind + 1];

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = (unsigned)seq;
	if (!strcmp(table, "enoent")) {
		req.h.nlmsg_len = sizeof(req.h) + sizeof(req.r.unx);
		req.r.unx.sdiag_family = FAMILY_NONE;
	} else if (!strcmp(table, "unix")) {
		req.h.nlmsg_len = sizeof(req.h) + sizeof(req.r.unx);
		req.r.unx.sdiag_family = AF_UNIX;
		req.r.unx.udiag_states = 1u << STATE_LISTEN | 1u << STATE_CLOSE;
		req.r.unx.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS;
	} else {
		req.h.nlmsg_len = sizeof(req.h) + sizeof(req.r.inet);
		if (!strcmp(table, "tcp4") || !strcmp(table, "udp4") || !strcmp(table, "noproto"))
			req.r.inet.sdiag_family = AF_INET;
		else if (!strcmp(table, "tcp6") || !strcmp(table, "udp6"))
			req.r.inet.sdiag_family = AF_INET6;
		else
			usage();
		if (table[0] == 't') {
			req.r.inet.sdiag_protocol = IPPROTO_TCP;
			req.r.inet.idiag_states = 1u << STATE_LISTEN;
		} else if (table[0] == 'u') {
			req.r.inet.sdiag_protocol = IPPROTO_UDP;
			req.r.inet.idiag_states = 1u << STATE_CLOSE;
		} else {
			req.r.inet.sdiag_protocol = PROTO_NONE;
			req.r.inet.idiag_states = 1u << STATE_LISTEN;
		}
	}

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		die("socket");
	/* A dump that never ends would hang the recording. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("SO_RCVTIMEO");
	if (portid) {
		self.nl_pid = (unsigned)portid;
		if (bind(fd, (struct sockaddr *)&self, sizeof(self)))
			die("bind");
	}
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		die("sendto");
	if (getsockname(fd, (struct sockaddr *)&self, &self_len))
		die("getsockname");
	printf("seq %lu portid %u\n", seq, self.nl_pid);

	for (k = 1; !done; k++) {
		struct sockaddr_nl from;
		socklen_t from_len = sizeof(from);
		char path[4096];
		unsigned count;
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &from_len);
		FILE *f;

		if (n < 0 && errno == EINTR) {
			k--;
			continue;
		}
		if (n < 0)
			die("recvfrom");
		if ((size_t)n > sizeof(buf)) {
			fprintf(stderr, "diagdump: datagram of %zd bytes truncated\n", n);
			return 1;
		}
		done = ends_dump(buf, (size_t)n, &count);
		if ((size_t)snprintf(path, sizeof(path), "%s-%d.bin", prefix, k) >= sizeof(path)) {
			fprintf(stderr, "diagdump: prefix too long\n");
			return 2;
		}
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, (size_t)n, f) != (size_t)n || fclose(f))
			die(path);
		printf("%s: %zd bytes, %u messages%s\n", path, n, count, done ? ", end of dump" : "");
	}
	close(fd);
	return 0;
}
