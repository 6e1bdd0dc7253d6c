#include "sockdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "io.h"

/* linux/netlink.h */
#define NETLINK_SOCK_DIAG 4
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define NLM_F_REQUEST 0x1
#define NLM_F_DUMP 0x300
#define NLM_F_DUMP_INTR 0x10
#define NLMSG_ALIGN(n) (((n) + 3u) & ~3u)
#define NLA_TYPE_MASK 0x3fff
/* linux/sock_diag.h, linux/inet_diag.h, linux/unix_diag.h */
#define SOCK_DIAG_BY_FAMILY 20
#define INET_DIAG_SKV6ONLY 11
#define UNIX_DIAG_NAME 0
#define UNIX_DIAG_VFS 1
#define UDIAG_SHOW_NAME 0x1
#define UDIAG_SHOW_VFS 0x2

/* 32 KiB, libnetlink's floor: a smaller buffer truncates answers (MSG_TRUNC). */
#define NL_BUF_SIZE 32768
/* How often a dump the kernel marks inconsistent is taken again before falling back. */
#define NL_DUMP_TRIES 3

struct nlmsghdr {
	uint32_t nlmsg_len;
	uint16_t nlmsg_type;
	uint16_t nlmsg_flags;
	uint32_t nlmsg_seq;
	uint32_t nlmsg_pid;
};

struct sockaddr_nl {
	sa_family_t nl_family;
	unsigned short nl_pad;
	uint32_t nl_pid;
	uint32_t nl_groups;
};

struct inet_diag_sockid {
	uint16_t sport;         /* network order */
	uint16_t dport;
	uint32_t src[4];
	uint32_t dst[4];
	uint32_t ifindex;
	uint32_t cookie[2];
};

struct inet_diag_req_v2 {
	uint8_t family;
	uint8_t protocol;
	uint8_t ext;
	uint8_t pad;
	uint32_t states;
	struct inet_diag_sockid id;
};

struct inet_diag_msg {
	uint8_t family;
	uint8_t state;
	uint8_t timer;
	uint8_t retrans;
	struct inet_diag_sockid id;
	uint32_t expires;
	uint32_t rqueue;
	uint32_t wqueue;
	uint32_t uid;
	uint32_t inode;
};

struct unix_diag_req {
	uint8_t family;
	uint8_t protocol;
	uint16_t pad;
	uint32_t states;
	uint32_t ino;
	uint32_t show;
	uint32_t cookie[2];
};

struct unix_diag_msg {
	uint8_t family;
	uint8_t type;
	uint8_t state;
	uint8_t pad;
	uint32_t ino;
	uint32_t cookie[2];
};

struct nlattr {
	uint16_t nla_len;
	uint16_t nla_type;
};

/*
 * Calls fn for each attribute after a fixed header. Attributes the kernel adds
 * later are skipped; a length that runs past the message is malformed: -1.
 */
static int attrs_walk(const unsigned char *p, size_t len, int (*fn)(int type, const unsigned char *data, size_t n, struct sock_entry *e),
		      struct sock_entry *e)
{
	while (len >= sizeof(struct nlattr)) {
		struct nlattr a;
		size_t step;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > len)
			return -1;
		if (fn(a.nla_type & NLA_TYPE_MASK, p + sizeof(a), a.nla_len - sizeof(a), e))
			return -1;
		step = NLMSG_ALIGN(a.nla_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

static int inet_attr(int type, const unsigned char *data, size_t n, struct sock_entry *e)
{
	if (type == INET_DIAG_SKV6ONLY) {
		if (n < 1)
			return -1;
		e->v6only = data[0] != 0;
	}
	return 0;
}

int diag_inet_parse(const unsigned char *msg, size_t len, struct sock_entry *e)
{
	struct inet_diag_msg m;

	if (len < sizeof(m))
		return -1;
	memcpy(&m, msg, sizeof(m));
	if (m.family != AF_INET && m.family != AF_INET6)
		return -1;
	memset(e, 0, sizeof(*e));
	e->family = m.family;
	e->state = m.state;
	e->port = ntohs(m.id.sport);
	e->bound_if = (int)(m.id.ifindex & 0x7fffffff);
	memcpy(e->addr, m.id.src, m.family == AF_INET ? 4 : 16);
	/* inet_diag_msg_attrs_fill() sends SKV6ONLY for IPv6 LISTEN and CLOSE sockets: IPv4 ones have none. */
	e->v6only = m.family == AF_INET6 ? -1 : 0;
	return attrs_walk(msg + NLMSG_ALIGN(sizeof(m)) , len > NLMSG_ALIGN(sizeof(m)) ? len - NLMSG_ALIGN(sizeof(m)) : 0,
			  inet_attr, e);
}

static int unix_attr(int type, const unsigned char *data, size_t n, struct sock_entry *e)
{
	if (type == UNIX_DIAG_NAME) {
		e->name = (const char *)data;
		e->name_len = n;
	} else if (type == UNIX_DIAG_VFS) {
		uint32_t v[2];

		if (n < sizeof(v))
			return -1;
		memcpy(v, data, sizeof(v));
		e->vfs_ino = v[0];
		e->vfs_dev = v[1];
		e->has_vfs = true;
	}
	return 0;
}

int diag_unix_parse(const unsigned char *msg, size_t len, struct sock_entry *e)
{
	struct unix_diag_msg m;

	if (len < sizeof(m))
		return -1;
	memcpy(&m, msg, sizeof(m));
	if (m.family != AF_UNIX)
		return -1;
	memset(e, 0, sizeof(*e));
	e->family = AF_UNIX;
	e->type = m.type;
	e->state = m.state;
	e->v6only = 0;
	if (attrs_walk(msg + sizeof(m), len - sizeof(m), unix_attr, e))
		return -1;
	/*
	 * The name is what bind() was given: a path with its trailing NUL, or an
	 * abstract name after a NUL. An abstract name is all its bytes: one a
	 * server padded with NULs to the end of sun_path (ss shows "@name@@@@")
	 * is another name than "name", which a client connecting to @name does
	 * not reach.
	 */
	if (e->name_len && e->name[0] == '\0') {
		e->abstract = true;
		e->name++;
		e->name_len--;
		return 0;
	}
	while (e->name_len && e->name[e->name_len - 1] == '\0')
		e->name_len--;
	return 0;
}

enum nl_batch nl_batch_parse(const unsigned char *buf, size_t len, uint32_t seq, uint32_t portid, int family,
			     sock_visit fn, void *ctx, int *err, bool *intr)
{
	while (len >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		const unsigned char *payload = buf + sizeof(h);
		size_t plen, step;
		struct sock_entry e;

		memcpy(&h, buf, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			return NL_BAD;
		/* Only the answer to this dump, addressed to this socket, counts. */
		if (h.nlmsg_seq != seq || h.nlmsg_pid != portid)
			return NL_BAD;
		plen = h.nlmsg_len - sizeof(h);
		if (h.nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		if (h.nlmsg_type == NLMSG_DONE) {
			int32_t code = 0;

			/*
			 * A dump no handler serves (no udp_diag module) ends at once
			 * with NLMSG_DONE carrying -ENOENT: an error, not an empty table
			 * (libnetlink's rtnl_dump_done).
			 */
			if (plen >= sizeof(code))
				memcpy(&code, payload, sizeof(code));
			if (code < 0) {
				*err = code > -4096 ? -code : EPROTO;
				return NL_ERROR;
			}
			return NL_DONE;
		}
		if (h.nlmsg_type == NLMSG_ERROR) {
			int32_t code;

			if (plen < sizeof(code))
				return NL_BAD;
			memcpy(&code, payload, sizeof(code));
			*err = code < 0 && code > -4096 ? -code : EPROTO;
			return NL_ERROR;
		}
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			int r = family == AF_UNIX ? diag_unix_parse(payload, plen, &e) : diag_inet_parse(payload, plen, &e);

			if (r)
				return NL_BAD;
			if (fn(&e, ctx))
				return NL_STOP;
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len) {
			len = 0;
			break;
		}
		buf += step;
		len -= step;
	}
	/* Bytes after the last message that make no header: the datagram is not what it claims. */
	return len ? NL_BAD : NL_MORE;
}

static const struct table_info {
	int family;
	int protocol;           /* IPPROTO_TCP 6, IPPROTO_UDP 17; 0 for unix */
	uint32_t states;
	const char *procnet;
} tables[TABLE_COUNT] = {
	/* LISTEN alone: the kernel then never walks the established connections. */
	[TABLE_TCP4] = { AF_INET, 6, 1u << TCP_LISTEN, "/proc/net/tcp" },
	[TABLE_TCP6] = { AF_INET6, 6, 1u << TCP_LISTEN, "/proc/net/tcp6" },
	/* An unconnected UDP socket is in CLOSE; a connected one is a client's. */
	[TABLE_UDP4] = { AF_INET, 17, 1u << TCP_CLOSE, "/proc/net/udp" },
	[TABLE_UDP6] = { AF_INET6, 17, 1u << TCP_CLOSE, "/proc/net/udp6" },
	/* Listening stream sockets, and unconnected ones: datagram servers, and bound-but-not-listening. */
	[TABLE_UNIX] = { AF_UNIX, 0, 1u << TCP_LISTEN | 1u << TCP_CLOSE, NULL },
};

static int diag_fd = -1;
static uint32_t diag_portid;

/* After a failure the rest of a dump may still be queued: the next table gets a fresh socket. */
static int diag_reset(void)
{
	if (diag_fd >= 0)
		close(diag_fd);
	diag_fd = -1;
	diag_portid = 0;
	return -1;
}

/* Out of descriptors or memory: healthy's own trouble, which /proc/net, needing the same, would hide. */
static bool out_of(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM || err == ENOBUFS;
}

/*
 * One dump of one table, read until NLMSG_DONE or the deadline. Returns 0,
 * -1 when sock_diag cannot answer it (then /proc/net is read), or -2 with
 * errno when healthy is out of descriptors or memory.
 */
static int diag_read(enum sock_table t, sock_visit fn, void *ctx, uint64_t wait_ms)
{
	static unsigned char buf[NL_BUF_SIZE];
	static uint32_t seq;
	const struct table_info *ti = &tables[t];
	struct sockaddr_nl kernel = { AF_NETLINK, 0, 0, 0 };
	int tries;

	if (diag_fd < 0) {
		/* A kernel that never ends its dump must not hold the probe past its deadline. */
		struct timeval tv = { (time_t)(wait_ms / 1000), (suseconds_t)(wait_ms % 1000 * 1000 + 1) };

		diag_fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		if (diag_fd < 0)
			return out_of(errno) ? -2 : -1;
		setsockopt(diag_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	for (tries = 0; tries < NL_DUMP_TRIES; tries++) {
		struct {
			struct nlmsghdr h;
			union {
				struct inet_diag_req_v2 inet;
				struct unix_diag_req unx;
			} r;
		} req;
		enum nl_batch b = NL_MORE;
		bool intr = false;

		/* A dump taken again must not count the sockets of the last one twice. */
		if (tries)
			fn(NULL, ctx);
		memset(&req, 0, sizeof(req));
		req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		req.h.nlmsg_seq = ++seq;
		if (ti->family == AF_UNIX) {
			req.h.nlmsg_len = sizeof(req.h) + sizeof(req.r.unx);
			req.r.unx.family = AF_UNIX;
			req.r.unx.states = ti->states;
			req.r.unx.show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS;
		} else {
			req.h.nlmsg_len = sizeof(req.h) + sizeof(req.r.inet);
			req.r.inet.family = (uint8_t)ti->family;
			req.r.inet.protocol = (uint8_t)ti->protocol;
			req.r.inet.states = ti->states;
		}
		if (sendto(diag_fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
			return diag_reset();
		/* The first send bound the socket: the kernel addresses its answers to this port id. */
		if (!diag_portid) {
			struct sockaddr_nl self;
			socklen_t self_len = sizeof(self);

			if (getsockname(diag_fd, (struct sockaddr *)&self, &self_len) || !self.nl_pid)
				return diag_reset();
			diag_portid = self.nl_pid;
		}
		while (b == NL_MORE) {
			struct sockaddr_nl from;
			socklen_t from_len = sizeof(from);
			int err = 0;
			/* MSG_TRUNC: recvfrom returns the datagram's real length, so a cut one is seen. */
			ssize_t n = recvfrom(diag_fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &from_len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 || (size_t)n > sizeof(buf) || from.nl_pid != 0)
				return diag_reset();
			b = nl_batch_parse(buf, (size_t)n, seq, diag_portid, ti->family, fn, ctx, &err, &intr);
			if (b == NL_ERROR || b == NL_BAD)
				return diag_reset();
		}
		if (b == NL_STOP) {
			diag_reset();
			return 0;
		}
		if (!intr)
			return 0;
	}
	return diag_reset();
}

static int hex_parse(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (n == 0 || n > 8)
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16u;

		if (d > 15)
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* The next space-separated token of a line, or NULL. */
static const char *token(const char **p, const char *end, size_t *n)
{
	const char *s = *p, *t;

	while (s < end && *s == ' ')
		s++;
	if (s == end)
		return NULL;
	for (t = s; t < end && *t != ' '; t++)
		;
	*n = (size_t)(t - s);
	*p = t;
	return s;
}

int procnet_inet_parse(const char *line, size_t len, int family, struct sock_entry *e)
{
	/*
	 * net/ipv4/tcp_ipv4.c get_tcp4_sock(): "%4d: %08X:%04X %08X:%04X %02X ...":
	 * each address word is the __be32 as it lies in memory, printed as a
	 * number; tcp6 prints four such words. The port is in host order.
	 */
	const char *p = line, *end = line + len, *t;
	size_t n, words = family == AF_INET6 ? 4 : 1, i;
	uint32_t v;

	t = token(&p, end, &n);
	if (!t || n < 2 || t[n - 1] != ':')
		return -1;      /* the header, or no "sl:" */
	t = token(&p, end, &n);
	if (!t || n != words * 8 + 5 || t[words * 8] != ':')
		return -1;
	memset(e, 0, sizeof(*e));
	e->family = family;
	e->v6only = family == AF_INET6 ? -1 : 0;        /* /proc/net/tcp6 does not show it */
	e->bound_if = -1;                               /* nor a bound device */
	for (i = 0; i < words; i++) {
		if (hex_parse(t + i * 8, 8, &v))
			return -1;
		memcpy(e->addr + i * 4, &v, 4);
	}
	if (hex_parse(t + words * 8 + 1, 4, &v))
		return -1;
	e->port = (uint16_t)v;
	if (!token(&p, end, &n))        /* the remote address */
		return -1;
	t = token(&p, end, &n);
	if (!t || n != 2 || hex_parse(t, 2, &v))
		return -1;
	e->state = (int)v;
	return 0;
}

struct procnet_ctx {
	enum sock_table t;
	sock_visit fn;
	void *ctx;
};

static int procnet_line(const char *line, size_t len, void *arg)
{
	struct procnet_ctx *pc = arg;
	const struct table_info *ti = &tables[pc->t];
	struct sock_entry e;
	if (procnet_inet_parse(line, len, ti->family, &e))
		return 0;
	/*
	 * Listeners come first in /proc/net/tcp (the listening hash, then the
	 * established one); kernels before 4.4 print SYN_RECV requests among them.
	 */
	if (ti->protocol == 6 && e.state != TCP_LISTEN && e.state != TCP_SYN_RECV)
		return 1;
	if (e.state >= 32 || !(ti->states & 1u << e.state))
		return 0;
	return pc->fn(&e, pc->ctx);
}

int sock_table_read(enum sock_table t, bool use_procnet, uint64_t wait_ms, sock_visit fn, void *ctx, struct line *err)
{
	struct procnet_ctx pc = { t, fn, ctx };

	int r = use_procnet ? -1 : diag_read(t, fn, ctx, wait_ms);

	if (r == 0)
		return 0;
	if (r == -2) {
		line_reset(err);
		line_errno(err, "open a sock_diag socket", errno);
		return -1;
	}
	if (!use_procnet)
		fn(NULL, ctx);  /* sock_diag may have given part of the table before it failed */
	if (tables[t].family == AF_UNIX) {
		line_reset(err);
		line_str(err, "sock_diag does not answer for unix sockets");
		return -1;
	}
	if (io_lines(tables[t].procnet, procnet_line, &pc) == 0)
		return 0;
	/* No tcp6 or udp6 in /proc/net: the kernel has no IPv6, so no IPv6 socket either. */
	if (errno == ENOENT && tables[t].family == AF_INET6)
		return 0;
	line_reset(err);
	line_str(err, "read ");
	line_errno(err, tables[t].procnet, errno);
	return -1;
}
