#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <net/if.h>
#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/scan.h"
#include "lib/confine.h"
#include "lib/io.h"
#include "lib/sockdiag.h"

/* sun_path's size: a longer path cannot be bound. */
#define UNIX_PATH_SIZE 108

static const unsigned char v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
static const unsigned char loopback6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const unsigned char loopback4[4] = { 127, 0, 0, 1 };

static struct sock_check pool[MAX_CHECKS];
static unsigned pool_next;

static struct sock_check *sock_of(const struct check *c)
{
	return c->state;
}

static bool all_zero(const unsigned char *a, size_t n)
{
	while (n--) {
		if (*a++)
			return false;
	}
	return true;
}

static int inet_spec_parse(struct check *c, const char *body, struct line *err)
{
	size_t n = strlen(body), addr_len;
	char buf[INET6_ADDRSTRLEN + 1];
	struct hostport hp;
	const char *addr;

	if (strspn(body, "0123456789") == n)
		return check_port_parse(c, body, n, &sock_of(c)->port, err);
	if (check_hostport_split(c, body, n, &hp, err))
		return -1;
	if (!hp.port) {
		check_usage(err, c, hp.bracketed ? "write an IPv6 address as [ADDR]:PORT" : "not a port (1-65535)");
		return -1;
	}
	addr = hp.host;
	addr_len = hp.host_len;
	sock_of(c)->family = hp.bracketed ? AF_INET6 : AF_INET;
	if (check_port_parse(c, hp.port, hp.port_len, &sock_of(c)->port, err))
		return -1;
	if (sock_of(c)->family == AF_INET && addr_len == 9 && !memcmp(addr, "localhost", 9)) {
		/* Whichever of the two a client picks: /etc/hosts differs between images. */
		sock_of(c)->localhost = true;
		return 0;
	}
	if (addr_len == 0 || addr_len >= sizeof(buf)) {
		check_usage(err, c, sock_of(c)->family == AF_INET6 ? "not an IPv6 address" : "not an IPv4 address");
		return -1;
	}
	memcpy(buf, addr, addr_len);
	buf[addr_len] = '\0';
	if (scan_ip(sock_of(c)->family, buf, sock_of(c)->addr) != 1) {
		check_usage(err, c, sock_of(c)->family == AF_INET6 ? "not an IPv6 address"
				  : "not an IPv4 address (tcp: and udp: look at this machine's sockets)");
		return -1;
	}
	/* [::ffff:1.2.3.4] is 1.2.3.4 to every socket that could take it. */
	if (sock_of(c)->family == AF_INET6 && !memcmp(sock_of(c)->addr, v4_mapped_prefix, 12)) {
		memmove(sock_of(c)->addr, sock_of(c)->addr + 12, 4);
		sock_of(c)->family = AF_INET;
	}
	return 0;
}

static int sock_parse(struct check *c, const char *body, struct line *err)
{
	check_state(c, pool, sizeof(pool[0]), &pool_next);
	if (c->kind != &kind_unix)
		return inet_spec_parse(c, body, err);
	sock_of(c)->abstract = body[0] == '@';
	if (c->arg_len <= (size_t)sock_of(c)->abstract) {
		check_usage(err, c, sock_of(c)->abstract ? "empty name" : "empty path");
		return -1;
	}
	/* A path may be longer than sun_path: its server bound a relative one. A name cannot. */
	if (sock_of(c)->abstract && c->arg_len - 1 >= UNIX_PATH_SIZE) {
		check_usage(err, c, "longer than an abstract socket name can be (107 bytes)");
		return -1;
	}
	if (c->arg_len >= PATH_MAX) {
		check_usage(err, c, "path too long");
		return -1;
	}
	/* unix: takes no option: "unix:/run/a.sock,timeout=1s" is one, unless a socket has that name. */
	if (!sock_of(c)->abstract) {
		struct scan_opt o;

		if (scan_option_last(c->arg, c->arg_len, &o))
			return check_option_unknown(c, o.key, o.key_len, "no option", true, err);
	}
	return 0;
}

/* include/net/flow.h LOOPBACK_IFINDEX: lo is 1 in every network namespace. */
#define LOOPBACK_IFINDEX 1

/*
 * A socket bound to a device (SO_BINDTODEVICE, or its VRF) takes only what
 * comes in on it, and a connection from this host to one of its addresses
 * comes in, for that lookup, on the device that holds the address
 * (net/ipv4/route.c keeps it as rt_iif; inet_hashtables.c compute_score()
 * compares it). lo holds 127.0.0.0/8 and ::1: "0.0.0.0:80 bound to eth0"
 * refuses 127.0.0.1. Which device holds another address, healthy does not
 * look up: it cannot tell.
 */
static enum accept device_rule(const struct sock_entry *e, enum accept a, bool loopback)
{
	if (a != ACCEPT_YES || e->bound_if == 0)
		return a;
	/*
	 * /proc/net does not show it. A socket bound to ADDR itself is taken
	 * at its word (bound to ADDR and to a device that does not hold ADDR, it
	 * could take nothing at all); a wildcard one may be bound to any device.
	 */
	if (e->bound_if < 0)
		return all_zero(e->addr, 16) ? ACCEPT_DEVICE_UNKNOWN : ACCEPT_YES;
	if (loopback)
		return e->bound_if == LOOPBACK_IFINDEX ? ACCEPT_YES : ACCEPT_DEVICE;
	return ACCEPT_DEVICE_UNSURE;
}

static bool is_loopback(int family, const unsigned char *a)
{
	return family == AF_INET ? a[0] == 127 : !memcmp(a, loopback6, 16);
}

/* Would socket e take a connection to addr of family? The kernel's rules for bound addresses. */
static enum accept accepts(const struct sock_entry *e, int family, const unsigned char *addr)
{
	int efamily = e->family;
	const unsigned char *ea = e->addr;

	if (efamily == AF_INET6 && !memcmp(ea, v4_mapped_prefix, 12)) {
		efamily = AF_INET;
		ea += 12;
	}
	if (family == AF_INET6)
		return efamily == AF_INET6 && (all_zero(ea, 16) || !memcmp(ea, addr, 16)) ? ACCEPT_YES : ACCEPT_NO;
	if (efamily == AF_INET)
		return all_zero(ea, 4) || !memcmp(ea, addr, 4) ? ACCEPT_YES : ACCEPT_NO;
	/* An IPv4 connection to an IPv6 socket: only [::] without IPV6_V6ONLY takes it, IPv4-mapped. */
	if (!all_zero(ea, 16))
		return ACCEPT_NO;
	return e->v6only == 0 ? ACCEPT_YES : e->v6only == 1 ? ACCEPT_V6ONLY : ACCEPT_UNKNOWN;
}

static void seen(struct sock_seen *s, const struct sock_entry *e)
{
	s->family = e->family;
	memcpy(s->addr, e->addr, 16);
}

enum accept sock_accepts(const struct sock_check *s, const struct sock_entry *e)
{
	enum accept a;

	if (s->localhost) {
		enum accept a6 = device_rule(e, accepts(e, AF_INET6, loopback6), true);

		/* Whichever of the two a client picks: the better answer of the two. */
		a = device_rule(e, accepts(e, AF_INET, loopback4), true);
		return a6 == ACCEPT_YES || a == ACCEPT_NO ? a6 : a;
	}
	if (s->family)
		return device_rule(e, accepts(e, s->family, s->addr), is_loopback(s->family, s->addr));
	/* tcp:PORT asks whether something listens on the port, on whatever device. */
	return ACCEPT_YES;
}

static void inet_visit(struct check *c, const struct sock_entry *e)
{
	struct sock_tally *t = &sock_of(c)->tally;
	enum accept a;

	if (e->port != sock_of(c)->port)
		return;
	a = sock_accepts(sock_of(c), e);
	if (a == ACCEPT_YES) {
		if (!t->found++) {
			seen(&t->found_at, e);
			t->found_if = e->bound_if > 0 ? e->bound_if : 0;
		}
	} else if (a == ACCEPT_V6ONLY) {
		t->v6only = true;
	} else if (a == ACCEPT_UNKNOWN) {
		t->v6only_unknown = true;
	} else if (a == ACCEPT_DEVICE || a == ACCEPT_DEVICE_UNSURE) {
		if (!t->device || (a == ACCEPT_DEVICE_UNSURE && !t->device_unsure)) {
			seen(&t->device_at, e);
			t->device_if = e->bound_if;
		}
		t->device = true;
		t->device_unsure |= a == ACCEPT_DEVICE_UNSURE;
	} else if (a == ACCEPT_DEVICE_UNKNOWN) {
		if (!t->device_unknown)
			seen(&t->device_unknown_at, e);
		t->device_unknown = true;
	} else if (!t->elsewhere++) {
		seen(&t->elsewhere_at, e);
	}
}

/*
 * The name of interface index, as this network namespace has it; "#N" if
 * gone. SIOCGIFNAME on a unix datagram socket, as musl's if_indextoname()
 * asks, without the strncpy (and stpncpy) it links for the copy.
 */
static void append_ifname(struct line *l, int index)
{
	struct ifreq ifr;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;

	ifr.ifr_ifindex = index;
	if (fd >= 0) {
		r = ioctl(fd, SIOCGIFNAME, &ifr);
		close(fd);
	}
	if (!r) {
		line_escaped(l, ifr.ifr_name, strnlen(ifr.ifr_name, sizeof(ifr.ifr_name)));
		return;
	}
	line_str(l, "#");
	line_uint(l, (unsigned long long)index);
}

/* The device as the kernel's MKDEV() encodes it, which UNIX_DIAG_VFS uses (not stat()'s new_encode_dev()). */
static unsigned long long dev_kernel(dev_t d)
{
	return (unsigned long long)major(d) << 20 | (minor(d) & 0xfffff);
}

/* stat() of a NUL-terminated path: returns -1 with errno set, 0 with *st filled, 1 if it is no socket. */
static int socket_stat(const char *path, struct stat *st)
{
	if (io_stat(AT_FDCWD, path, st, 0))
		return -1;
	return !S_ISSOCK(st->st_mode);
}

static bool all_nul(const char *s, size_t n)
{
	while (n--) {
		if (*s++)
			return false;
	}
	return true;
}

static void unix_visit(struct check *c, const struct sock_entry *e)
{
	struct sock_tally *t = &sock_of(c)->tally;
	const char *want = c->arg + sock_of(c)->abstract;
	size_t want_len = c->arg_len - sock_of(c)->abstract;
	bool match;

	if (sock_of(c)->stat_errno || sock_of(c)->not_socket || e->abstract != sock_of(c)->abstract)
		return;
	if (e->abstract) {
		/* What a client's connect() to @NAME reaches: that name, no byte more. */
		match = e->name_len == want_len && !memcmp(e->name, want, want_len);
		if (!match && e->name_len > want_len && !memcmp(e->name, want, want_len) &&
		    all_nul(e->name + want_len, e->name_len - want_len))
			t->padded = e->name_len - want_len;
	} else {
		/*
		 * The socket file itself, whatever path bound it (relative, through
		 * a symlink): its device and inode. UNIX_DIAG_VFS keeps 32 bits of
		 * the inode and the superblock's device; each tmpfs numbers its
		 * inodes from 2, so the device tells a stale file on one from a live
		 * one on another. Where stat() shows another device than the
		 * superblock's (btrfs subvolumes, overlayfs over several
		 * filesystems) nothing matches here, and a connect() decides.
		 */
		match = e->has_vfs && e->vfs_ino == (uint32_t)sock_of(c)->ino && e->vfs_dev == sock_of(c)->dev;
	}
	if (!match)
		return;
	/* SOCK_STREAM 1, SOCK_SEQPACKET 5 must listen; a SOCK_DGRAM 2 server is bound. */
	if (e->type == SOCK_DGRAM || e->state == TCP_LISTEN) {
		if (!t->found++)
			t->found_dgram = e->type == SOCK_DGRAM;
	} else
		t->not_listening = true;
}

/*
 * sun_path for c: the path, or "/proc/self/fd/N/BASE" for one longer than
 * sun_path (its server bound a relative one), N the directory's fd, which the
 * caller closes. Returns the address length, or 0 with errno set.
 */
static socklen_t unix_addr(const struct check *c, struct sockaddr_un *sun, int *dirfd)
{
	const char *base;
	size_t n = c->arg_len, off = offsetof(struct sockaddr_un, sun_path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	*dirfd = -1;
	if (sock_of(c)->abstract) {
		/* "\0NAME", no trailing NUL: the address length says where the name ends. */
		memcpy(sun->sun_path + 1, c->arg + 1, n - 1);
		return (socklen_t)(off + n);
	}
	if (n < sizeof(sun->sun_path)) {
		memcpy(sun->sun_path, c->arg, n);
		return (socklen_t)(off + n + 1);
	}
	base = memrchr(c->arg, '/', n);
	if (base && (size_t)(c->arg + n - base) < sizeof(sun->sun_path) - 32) {
		char dir[PATH_MAX];
		struct line l;

		memcpy(dir, c->arg, (size_t)(base - c->arg));
		dir[base - c->arg] = '\0';
		*dirfd = openat(AT_FDCWD, dir[0] ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (*dirfd < 0)
			return 0;
		line_reset(&l);
		line_str(&l, "/proc/self/fd/");
		line_uint(&l, (unsigned long long)*dirfd);
		line_mem(&l, base, (size_t)(c->arg + n - base));
		memcpy(sun->sun_path, l.buf, l.len);
		return (socklen_t)(off + l.len + 1);
	}
	errno = ENAMETOOLONG;
	return 0;
}

/*
 * What a client finds at the socket: a connect(), closed at once, as
 * "nc -zU" does. A listening server takes it into its backlog (the server
 * then reads an end of file); a stale socket file refuses it. Stream first,
 * then seqpacket and datagram, whichever type the socket is (EPROTOTYPE).
 * Non-blocking: a full backlog is EAGAIN, a server there but busy.
 */
static void unix_reach(struct check *c)
{
	static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
	struct sock_tally *t = &sock_of(c)->tally;
	struct sockaddr_un sun;
	int dirfd, fd, e = EPROTOTYPE;
	socklen_t len = unix_addr(c, &sun, &dirfd);
	size_t k;

	if (!len) {
		t->reach_errno = errno;
		return;
	}
	for (k = 0; k < sizeof(types) / sizeof(types[0]) && e == EPROTOTYPE; k++) {
		fd = socket(AF_UNIX, types[k] | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			e = errno;
			break;
		}
		e = connect(fd, (struct sockaddr *)&sun, len) ? errno : 0;
		close(fd);
		if (e == 0 || e == EAGAIN) {
			t->reached = true;
			t->reached_dgram = types[k] == SOCK_DGRAM;
		}
	}
	if (dirfd >= 0)
		close(dirfd);
	t->reached_via_proc = dirfd >= 0;
	t->reach_errno = t->reached ? 0 : e;
}

struct table_ctx {
	struct check **checks;
	size_t n;
	const struct kind *kind;
	struct sock_tally before[MAX_CHECKS];   /* the tallies as the table's read began */
};

static int table_visit(const struct sock_entry *e, void *arg)
{
	struct table_ctx *v = arg;
	size_t i;

	if (!e) {
		for (i = 0; i < v->n; i++) {
			if (v->checks[i]->kind == v->kind)
				sock_of(v->checks[i])->tally = v->before[i];
		}
		return 0;
	}
	for (i = 0; i < v->n; i++) {
		struct check *c = v->checks[i];

		if (c->kind != v->kind)
			continue;
		if (c->kind == &kind_unix)
			unix_visit(c, e);
		else
			inet_visit(c, e);
	}
	return 0;
}

static void unix_stat(struct check *c)
{
	struct stat st;
	/* c->arg runs to the end of the argument: it is NUL-terminated. */
	int r = socket_stat(c->arg, &st);

	if (r) {
		sock_of(c)->stat_errno = r < 0 ? errno : 0;
		sock_of(c)->not_socket = r > 0;
		return;
	}
	/* net/unix/diag.c sk_diag_dump_vfs() copies the superblock's s_dev as the kernel keeps it. */
	sock_of(c)->dev = dev_kernel(st.st_dev);
	sock_of(c)->ino = st.st_ino;
}

/* The tables a check needs: an IPv4 address may be taken by a dual-stack [::] socket too. */
static unsigned tables_for(const struct check *c)
{
	unsigned v4 = c->kind == &kind_tcp ? 1u << TABLE_TCP4 : 1u << TABLE_UDP4;
	unsigned v6 = c->kind == &kind_tcp ? 1u << TABLE_TCP6 : 1u << TABLE_UDP6;

	/* A path that is missing or no socket is answered without the table. */
	if (c->kind == &kind_unix)
		return sock_of(c)->stat_errno || sock_of(c)->not_socket ? 0 : 1u << TABLE_UNIX;
	/* Both, even for an IPv6 address: an IPv4 listener on the port is worth naming when it fails. */
	return v4 | v6;
}

/* What the check asked for, in the words of a message: "port 80", "127.0.0.1:80", "localhost:80". */
static void append_wanted(struct line *l, const struct check *c)
{
	struct sock_seen want;

	if (sock_of(c)->localhost) {
		line_str(l, "localhost:");
		line_uint(l, sock_of(c)->port);
	} else if (!sock_of(c)->family) {
		line_str(l, "port ");
		line_uint(l, sock_of(c)->port);
	} else {
		want.family = sock_of(c)->family;
		memcpy(want.addr, sock_of(c)->addr, 16);
		line_addr(l, want.family, want.addr, sock_of(c)->port);
	}
}

static void inet_verdict(struct check *c)
{
	const struct sock_tally *t = &sock_of(c)->tally;
	struct line *l = &c->why;
	const char *verb = c->kind == &kind_tcp ? "listening on " : "bound on ";
	static const unsigned char any6[16];

	if (t->found) {
		c->verdict = VERDICT_PASS;
		line_str(l, "ok: ");
		line_str(l, verb);
		line_addr(l, t->found_at.family, t->found_at.addr, sock_of(c)->port);
		if (t->found_if) {
			line_str(l, " (bound to device ");
			append_ifname(l, t->found_if);
			line_str(l, ")");
		}
		if (t->found > 1) {
			line_str(l, " and ");
			line_uint(l, t->found - 1);
			line_str(l, " more");
		}
		return;
	}
	if (t->v6only_unknown) {
		c->verdict = VERDICT_ERROR;
		line_str(l, "cannot tell: a socket on [::]:");
		line_uint(l, sock_of(c)->port);
		line_str(l, " may take IPv4, but /proc/net does not show IPV6_V6ONLY");
		return;
	}
	if (t->device_unsure) {
		c->verdict = VERDICT_ERROR;
		line_str(l, "cannot tell: ");
		line_addr(l, t->device_at.family, t->device_at.addr, sock_of(c)->port);
		line_str(l, " is bound to device ");
		append_ifname(l, t->device_if);
		line_str(l, ", and healthy does not look up whether ");
		line_ip(l, sock_of(c)->family, sock_of(c)->addr);
		line_str(l, " is on it");
		return;
	}
	if (t->device_unknown) {
		c->verdict = VERDICT_ERROR;
		line_str(l, "cannot tell: ");
		line_addr(l, t->device_unknown_at.family, t->device_unknown_at.addr, sock_of(c)->port);
		line_str(l, c->kind == &kind_tcp ? " listens" : " is bound");
		line_str(l, ", but /proc/net does not show whether it is bound to a device that refuses ");
		if (sock_of(c)->localhost)
			line_str(l, "localhost");
		else
			line_ip(l, sock_of(c)->family, sock_of(c)->addr);
		return;
	}
	c->verdict = VERDICT_FAIL;
	line_str(l, c->kind == &kind_tcp ? "not listening on " : "nothing bound on ");
	append_wanted(l, c);
	if (t->v6only) {
		struct sock_seen s = { AF_INET6, { 0 } };

		memcpy(s.addr, any6, 16);
		line_str(l, " (");
		line_addr(l, s.family, s.addr, sock_of(c)->port);
		line_str(l, " is IPv6-only)");
	} else if (t->device) {
		line_str(l, " (");
		line_addr(l, t->device_at.family, t->device_at.addr, sock_of(c)->port);
		line_str(l, " is bound to device ");
		append_ifname(l, t->device_if);
		line_str(l, " only)");
	} else if (t->elsewhere) {
		line_str(l, " (");
		line_str(l, verb);
		line_addr(l, t->elsewhere_at.family, t->elsewhere_at.addr, sock_of(c)->port);
		line_str(l, t->elsewhere > 1 ? " and others)" : " only)");
	}
}

static void unix_verdict(struct check *c, bool by_table)
{
	const struct sock_tally *t = &sock_of(c)->tally;
	struct line *l = &c->why;
	int e = sock_of(c)->stat_errno ? sock_of(c)->stat_errno : t->reach_errno;

	if (sock_of(c)->not_socket) {
		c->verdict = VERDICT_FAIL;
		line_str(l, "not a socket");
		return;
	}
	if (t->found) {
		c->verdict = VERDICT_PASS;
		line_str(l, t->found_dgram ? "ok: bound (datagram)" : "ok: listening");
		return;
	}
	if (t->not_listening) {
		c->verdict = VERDICT_FAIL;
		line_str(l, "bound, but not listening");
		return;
	}
	if (t->reached) {
		c->verdict = VERDICT_PASS;
		line_str(l, t->reached_dgram ? "ok: bound (datagram; " : "ok: listening (");
		/* Say how it was seen: the server may be in another network namespace, sharing the file through a volume. */
		line_str(l, by_table ? "a connect() was taken: its server is not in this network namespace)"
				     : "a connect() was taken)");
		return;
	}
	/* Without /proc, /proc/self/fd/N is no path: the socket file stat() saw is not gone for that. */
	if (e == ENOENT && t->reached_via_proc) {
		c->verdict = VERDICT_ERROR;
		line_errno(l, "cannot tell: a path longer than sun_path is reached through /proc/self/fd", e);
		return;
	}
	if (e == ENOENT || e == ENOTDIR) {
		c->verdict = VERDICT_FAIL;
		line_str(l, "no socket file at ");
		line_escaped(l, c->arg, c->arg_len);
		return;
	}
	if (sock_of(c)->abstract && (by_table || e == ECONNREFUSED)) {
		c->verdict = VERDICT_FAIL;
		line_str(l, "not listening");
		if (t->padded) {
			/* ss shows it "@NAME@@@": bound with sizeof(sun_path), its clients must pad their names too. */
			line_str(l, " (a socket is bound to this name and ");
			line_uint(l, t->padded);
			line_str(l, t->padded == 1 ? " NUL after it" : " NULs after it");
			line_str(l, ", which a client of the name alone does not reach)");
		}
		return;
	}
	if (e == ECONNREFUSED) {
		c->verdict = VERDICT_FAIL;
		/* Not in this network namespace's table either: the file outlived its server. */
		line_str(l, by_table ? "stale socket file: no server bound to it (connection refused)"
				     : "connection refused: no server listens on it");
		return;
	}
	/* EACCES (no write permission on the file), a filter, no descriptor left: healthy's trouble. */
	c->verdict = VERDICT_ERROR;
	if (sock_of(c)->stat_errno) {
		line_str(l, "stat ");
		line_escaped(l, c->arg, c->arg_len);
		line_errno(l, "", e);
	} else {
		line_errno(l, "cannot tell: connect", e);
	}
}

/*
 * Every check that table t could answer has found its socket already: the
 * table cannot change an answer. /proc/net/tcp6 walks the whole TCP hash,
 * IPv4 sockets too, so at 100,000 connections skipping it is most of the run.
 */
static bool all_found(struct check *const *cs, size_t n, int t)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct check *c = cs[i];

		if ((tables_for(c) & 1u << t) && !sock_of(c)->tally.found)
			return false;
	}
	return true;
}

static void sock_run(struct check **cs, size_t n, const struct run_opts *ro)
{
	uint64_t now = clock_ms(), wait_ms = ro->deadline_ms > now ? ro->deadline_ms - now : 1;
	const char *env = getenv(SOCK_PROCNET_ENV);
	bool use_procnet = env && *env && strcmp(env, "0");
	unsigned need = 0;
	struct line table_err[TABLE_COUNT];
	bool failed[TABLE_COUNT] = { false };
	const struct check *first = NULL;
	size_t i;
	int t;

	for (i = 0; i < n; i++) {
		struct check *c = cs[i];
		struct sock_check *s = sock_of(c);

		/* What the last run found goes; what was parsed stays (a watch runs them again and again). */
		memset(&s->tally, 0, sizeof(s->tally));
		s->stat_errno = 0;
		s->not_socket = false;
		if (!first)
			first = c;
		if (c->kind == &kind_unix && !sock_of(c)->abstract) {
			/* A socket file on a FUSE or NFS mount whose server hangs holds stat() up: say so if it does. */
			confine_doing(c->spec, " looking at the socket file");
			unix_stat(c);
		}
		need |= tables_for(c);
	}
	confine_doing(first ? first->spec : NULL, " reading the socket tables");
	/* /proc/net/unix cannot identify a socket file: there, a connect() answers unix: instead. */
	if (use_procnet)
		need &= ~(1u << TABLE_UNIX);
	for (t = 0; t < TABLE_COUNT; t++) {
		static struct table_ctx v;

		if (!(need & 1u << t) || all_found(cs, n, t))
			continue;
		v.checks = cs;
		v.n = n;
		v.kind = t <= TABLE_TCP6 ? &kind_tcp : t <= TABLE_UDP6 ? &kind_udp : &kind_unix;
		for (i = 0; i < n; i++)
			v.before[i] = sock_of(cs[i])->tally;
		failed[t] = sock_table_read((enum sock_table)t, use_procnet, wait_ms, table_visit, &v, &table_err[t]) != 0;
	}
	for (i = 0; i < n; i++) {
		struct check *c = cs[i];
		struct sock_tally *tl = &sock_of(c)->tally;
		bool by_table;

		if (c->kind == &kind_unix) {
			by_table = (need & 1u << TABLE_UNIX) && !failed[TABLE_UNIX];
			/*
			 * Not in this network namespace's table: the server may be in
			 * another one, sharing the file through a volume, or gone. An
			 * abstract name lives in the network namespace: the table is the
			 * whole answer there.
			 */
			if (!sock_of(c)->stat_errno && !sock_of(c)->not_socket && !tl->found && !tl->not_listening &&
			    !(by_table && sock_of(c)->abstract)) {
				confine_doing(c->spec, " connecting to the socket");
				unix_reach(c);
			}
			unix_verdict(c, by_table);
			continue;
		}
		if (!tl->found) {
			unsigned tables = tables_for(c);

			for (t = 0; t < TABLE_COUNT; t++) {
				if ((tables & 1u << t) && failed[t]) {
					c->verdict = VERDICT_ERROR;
					line_mem(&c->why, table_err[t].buf, table_err[t].len);
					break;
				}
			}
			if (c->verdict == VERDICT_ERROR)
				continue;
		}
		inet_verdict(c);
	}
}

const struct kind kind_tcp = {
	.name = "tcp:",
	.usage = "  tcp:[ADDR:]PORT  a TCP socket listens on PORT (ADDR: 127.0.0.1, [::1], localhost)\n",
	.doing = " reading the socket tables",
	.parse = sock_parse,
	.run = sock_run,
	.bounded = true,
};

const struct kind kind_udp = {
	.name = "udp:",
	.usage = "  udp:[ADDR:]PORT  a UDP socket is bound to PORT\n",
	.doing = " reading the socket tables",
	.parse = sock_parse,
	.run = sock_run,
	.bounded = true,
};

const struct kind kind_unix = {
	.name = "unix:",
	.usage = "  unix:PATH        a unix socket listens at PATH (@NAME: abstract)\n",
	.doing = " reading the socket tables",
	.parse = sock_parse,
	.run = sock_run,
};
