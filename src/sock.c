#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "args.h"
#include "sockdiag.h"

/* sun_path's size: a longer path cannot be bound. */
#define UNIX_PATH_SIZE 108

static const unsigned char v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
static const unsigned char loopback6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const unsigned char loopback4[4] = { 127, 0, 0, 1 };

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
		return check_port_parse(c, body, n, &c->u.sock.port, err);
	if (check_hostport_split(c, body, n, &hp, err))
		return -1;
	if (!hp.port) {
		check_usage(err, c, hp.bracketed ? "write an IPv6 address as [ADDR]:PORT" : "not a port (1-65535)");
		return -1;
	}
	addr = hp.host;
	addr_len = hp.host_len;
	c->u.sock.family = hp.bracketed ? AF_INET6 : AF_INET;
	if (check_port_parse(c, hp.port, hp.port_len, &c->u.sock.port, err))
		return -1;
	if (c->u.sock.family == AF_INET && addr_len == 9 && !memcmp(addr, "localhost", 9)) {
		/* Whichever of the two a client picks: /etc/hosts differs between images. */
		c->u.sock.localhost = true;
		return 0;
	}
	if (addr_len == 0 || addr_len >= sizeof(buf)) {
		check_usage(err, c, c->u.sock.family == AF_INET6 ? "not an IPv6 address" : "not an IPv4 address");
		return -1;
	}
	memcpy(buf, addr, addr_len);
	buf[addr_len] = '\0';
	if (inet_pton(c->u.sock.family, buf, c->u.sock.addr) != 1) {
		check_usage(err, c, c->u.sock.family == AF_INET6 ? "not an IPv6 address"
				  : "not an IPv4 address (tcp: and udp: look at this machine's sockets)");
		return -1;
	}
	/* [::ffff:1.2.3.4] is 1.2.3.4 to every socket that could take it. */
	if (c->u.sock.family == AF_INET6 && !memcmp(c->u.sock.addr, v4_mapped_prefix, 12)) {
		memmove(c->u.sock.addr, c->u.sock.addr + 12, 4);
		c->u.sock.family = AF_INET;
	}
	return 0;
}

int sock_spec_parse(struct check *c, const char *body, struct line *err)
{
	if (c->kind != CHECK_UNIX)
		return inet_spec_parse(c, body, err);
	c->u.sock.abstract = body[0] == '@';
	if (c->arg_len <= (size_t)c->u.sock.abstract) {
		check_usage(err, c, c->u.sock.abstract ? "empty name" : "empty path");
		return -1;
	}
	/* A path may be longer than sun_path: its server bound a relative one. A name cannot. */
	if (c->u.sock.abstract && c->arg_len - 1 >= UNIX_PATH_SIZE) {
		check_usage(err, c, "longer than an abstract socket name can be (107 bytes)");
		return -1;
	}
	if (c->arg_len >= PATH_MAX) {
		check_usage(err, c, "path too long");
		return -1;
	}
	/* unix: takes no option: "unix:/run/a.sock,timeout=1s" is one, unless a socket has that name. */
	if (!c->u.sock.abstract) {
		const char *comma = memrchr(c->arg, ',', c->arg_len);
		size_t key = comma ? check_option_key(comma + 1, c->arg_len - (size_t)(comma + 1 - c->arg)) : 0;

		if (key)
			return check_option_unknown(c, comma + 1, key, "no option", err);
	}
	return 0;
}

enum accept {
	ACCEPT_NO,
	ACCEPT_YES,
	ACCEPT_V6ONLY,          /* a [::] socket that refuses IPv4 */
	ACCEPT_UNKNOWN,         /* a [::] socket whose IPV6_V6ONLY the source does not show */
};

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

static void inet_visit(struct check *c, const struct sock_entry *e)
{
	struct sock_tally *t = &c->u.sock.tally;
	enum accept a;

	if (e->port != c->u.sock.port)
		return;
	if (c->u.sock.localhost) {
		a = accepts(e, AF_INET, loopback4);
		if (a != ACCEPT_YES && accepts(e, AF_INET6, loopback6) == ACCEPT_YES)
			a = ACCEPT_YES;
	} else {
		a = c->u.sock.family ? accepts(e, c->u.sock.family, c->u.sock.addr) : ACCEPT_YES;
	}
	if (a == ACCEPT_YES) {
		if (!t->found++)
			seen(&t->found_at, e);
	} else if (a == ACCEPT_V6ONLY) {
		t->v6only = true;
	} else if (a == ACCEPT_UNKNOWN) {
		t->v6only_unknown = true;
	} else if (!t->elsewhere++) {
		seen(&t->elsewhere_at, e);
	}
}

/* The base name of a path: what follows its last '/'. */
static const char *base_name(const char *s, size_t n, size_t *base_len)
{
	const char *slash = memrchr(s, '/', n);
	const char *b = slash ? slash + 1 : s;

	*base_len = n - (size_t)(b - s);
	return b;
}

/* The device as the kernel's MKDEV() encodes it, which UNIX_DIAG_VFS uses (not stat()'s new_encode_dev()). */
static unsigned long long dev_kernel(dev_t d)
{
	return (unsigned long long)major(d) << 20 | (minor(d) & 0xfffff);
}

/* stat() of a NUL-terminated path: returns -1 with errno set, 0 with *st filled, 1 if it is no socket. */
static int socket_stat(const char *path, struct stat *st)
{
	if (stat(path, st))
		return -1;
	return !S_ISSOCK(st->st_mode);
}

static bool same_file(const char *name, size_t n, const struct check *c)
{
	char path[UNIX_PATH_SIZE + 1];
	struct stat st;

	if (n >= sizeof(path))
		return false;
	memcpy(path, name, n);
	path[n] = '\0';
	return socket_stat(path, &st) == 0 && dev_kernel(st.st_dev) == c->u.sock.dev && st.st_ino == c->u.sock.ino;
}

static void unix_visit(struct check *c, const struct sock_entry *e)
{
	struct sock_tally *t = &c->u.sock.tally;
	const char *want = c->arg + c->u.sock.abstract;
	size_t want_len = c->arg_len - c->u.sock.abstract;
	bool match;

	if (c->u.sock.stat_errno || c->u.sock.not_socket || e->abstract != c->u.sock.abstract)
		return;
	if (e->abstract) {
		match = e->name_len == want_len && !memcmp(e->name, want, want_len);
	} else if (e->has_vfs) {
		size_t b1, b2;
		const char *nb = base_name(e->name, e->name_len, &b1), *wb = base_name(want, want_len, &b2);

		/*
		 * The socket file, whatever path bound it (relative, through a
		 * symlink). UNIX_DIAG_VFS keeps 32 bits of the inode, and the
		 * superblock's device, which stat() does not show on btrfs
		 * subvolumes and on overlayfs over several filesystems: there the
		 * name it was bound by must end as PATH does.
		 */
		match = e->vfs_ino == (uint32_t)c->u.sock.ino &&
			(e->vfs_dev == c->u.sock.dev || (b1 == b2 && !memcmp(nb, wb, b1)));
	} else {
		size_t b1, b2;
		const char *nb = base_name(e->name, e->name_len, &b1), *wb = base_name(want, want_len, &b2);

		/*
		 * /proc/net/unix shows only the path as bound. The same string, or
		 * an absolute one that names the same file (a symlink, /var/run for
		 * /run); a relative one cannot be told apart.
		 */
		match = (e->name_len == want_len && !memcmp(e->name, want, want_len)) ||
			(e->name_len && e->name[0] == '/' && same_file(e->name, e->name_len, c));
		if (!match && e->name_len && e->name[0] != '/' && b1 == b2 && !memcmp(nb, wb, b1))
			t->maybe_relative = true;
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

struct visit_ctx {
	struct check *checks;
	size_t n;
	enum check_kind kind;
	struct sock_tally before[MAX_CHECKS];   /* the tallies as the table's read began */
};

static int visit(const struct sock_entry *e, void *arg)
{
	struct visit_ctx *v = arg;
	size_t i;

	if (!e) {
		for (i = 0; i < v->n; i++) {
			if (v->checks[i].kind == v->kind)
				v->checks[i].u.sock.tally = v->before[i];
		}
		return 0;
	}
	for (i = 0; i < v->n; i++) {
		struct check *c = &v->checks[i];

		if (c->kind != v->kind)
			continue;
		if (c->kind == CHECK_UNIX)
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
		c->u.sock.stat_errno = r < 0 ? errno : 0;
		c->u.sock.not_socket = r > 0;
		return;
	}
	/* net/unix/diag.c sk_diag_dump_vfs() copies the superblock's s_dev as the kernel keeps it. */
	c->u.sock.dev = dev_kernel(st.st_dev);
	c->u.sock.ino = st.st_ino;
}

/* The tables a check needs: an IPv4 address may be taken by a dual-stack [::] socket too. */
static unsigned tables_for(const struct check *c)
{
	unsigned v4 = c->kind == CHECK_TCP ? 1u << TABLE_TCP4 : 1u << TABLE_UDP4;
	unsigned v6 = c->kind == CHECK_TCP ? 1u << TABLE_TCP6 : 1u << TABLE_UDP6;

	/* A path that is missing or no socket is answered without the table. */
	if (c->kind == CHECK_UNIX)
		return c->u.sock.stat_errno || c->u.sock.not_socket ? 0 : 1u << TABLE_UNIX;
	/* Both, even for an IPv6 address: an IPv4 listener on the port is worth naming when it fails. */
	return v4 | v6;
}

/* What the check asked for, in the words of a message: "port 80", "127.0.0.1:80", "localhost:80". */
static void append_wanted(struct line *l, const struct check *c)
{
	struct sock_seen want;

	if (c->u.sock.localhost) {
		line_str(l, "localhost:");
		line_uint(l, c->u.sock.port);
	} else if (!c->u.sock.family) {
		line_str(l, "port ");
		line_uint(l, c->u.sock.port);
	} else {
		want.family = c->u.sock.family;
		memcpy(want.addr, c->u.sock.addr, 16);
		line_addr(l, want.family, want.addr, c->u.sock.port);
	}
}

static void inet_verdict(struct check *c)
{
	const struct sock_tally *t = &c->u.sock.tally;
	struct line *l = &c->why;
	const char *verb = c->kind == CHECK_TCP ? "listening on " : "bound on ";
	static const unsigned char any6[16];

	if (t->found) {
		c->verdict = VERDICT_PASS;
		line_str(l, "ok: ");
		line_str(l, verb);
		line_addr(l, t->found_at.family, t->found_at.addr, c->u.sock.port);
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
		line_uint(l, c->u.sock.port);
		line_str(l, " may take IPv4, but /proc/net does not show IPV6_V6ONLY");
		return;
	}
	c->verdict = VERDICT_FAIL;
	line_str(l, c->kind == CHECK_TCP ? "not listening on " : "nothing bound on ");
	append_wanted(l, c);
	if (t->v6only) {
		struct sock_seen s = { AF_INET6, { 0 } };

		memcpy(s.addr, any6, 16);
		line_str(l, " (");
		line_addr(l, s.family, s.addr, c->u.sock.port);
		line_str(l, " is IPv6-only)");
	} else if (t->elsewhere) {
		line_str(l, " (");
		line_str(l, verb);
		line_addr(l, t->elsewhere_at.family, t->elsewhere_at.addr, c->u.sock.port);
		line_str(l, t->elsewhere > 1 ? " and others)" : " only)");
	}
}

static void unix_verdict(struct check *c)
{
	const struct sock_tally *t = &c->u.sock.tally;
	struct line *l = &c->why;

	if (c->u.sock.stat_errno) {
		int e = c->u.sock.stat_errno;

		c->verdict = e == ENOENT || e == ENOTDIR ? VERDICT_FAIL : VERDICT_ERROR;
		line_str(l, strerror(e));
		return;
	}
	if (c->u.sock.not_socket) {
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
	if (t->maybe_relative) {
		c->verdict = VERDICT_ERROR;
		line_str(l, "cannot tell: a socket bound by a relative path of that name may be it, and /proc/net/unix shows no inode");
		return;
	}
	c->verdict = VERDICT_FAIL;
	/* sock_diag shows this network namespace only: a server in another one is not seen. */
	line_str(l, c->u.sock.abstract ? "not listening" : "stale socket file: no server bound to it in this network namespace");
}

/*
 * Every check that table t could answer has found its socket already: the
 * table cannot change an answer. /proc/net/tcp6 walks the whole TCP hash,
 * IPv4 sockets too, so at 100,000 connections skipping it is most of the run.
 */
static bool all_found(const struct check *checks, size_t n, int t)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct check *c = &checks[i];

		if ((c->kind == CHECK_TCP || c->kind == CHECK_UDP || c->kind == CHECK_UNIX) &&
		    (tables_for(c) & 1u << t) && !c->u.sock.tally.found)
			return false;
	}
	return true;
}

void sock_run(struct check *checks, size_t n, uint64_t wait_ms)
{
	const char *env = getenv(SOCK_PROCNET_ENV);
	bool use_procnet = env && *env && strcmp(env, "0");
	unsigned need = 0;
	struct line table_err[TABLE_COUNT];
	bool failed[TABLE_COUNT] = { false };
	size_t i;
	int t;

	for (i = 0; i < n; i++) {
		struct check *c = &checks[i];

		if (c->kind != CHECK_TCP && c->kind != CHECK_UDP && c->kind != CHECK_UNIX)
			continue;
		line_reset(&c->why);
		if (c->kind == CHECK_UNIX && !c->u.sock.abstract)
			unix_stat(c);
		need |= tables_for(c);
	}
	for (t = 0; t < TABLE_COUNT; t++) {
		static struct visit_ctx v;

		if (!(need & 1u << t) || all_found(checks, n, t))
			continue;
		v.checks = checks;
		v.n = n;
		v.kind = t <= TABLE_TCP6 ? CHECK_TCP : t <= TABLE_UDP6 ? CHECK_UDP : CHECK_UNIX;
		for (i = 0; i < n; i++)
			v.before[i] = checks[i].u.sock.tally;
		failed[t] = sock_table_read((enum sock_table)t, use_procnet, wait_ms, visit, &v, &table_err[t]) != 0;
	}
	for (i = 0; i < n; i++) {
		struct check *c = &checks[i];
		unsigned tables;

		if (c->kind != CHECK_TCP && c->kind != CHECK_UDP && c->kind != CHECK_UNIX)
			continue;
		tables = tables_for(c);
		if (!c->u.sock.tally.found) {
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
		if (c->kind == CHECK_UNIX)
			unix_verdict(c);
		else
			inet_verdict(c);
	}
}
