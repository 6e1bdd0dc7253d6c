#include "conn.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "lib/clock.h"
#include "lib/confine.h"
#include "lib/resolve.h"
#include "lib/scan.h"
#include "lib/tls.h"

char conn_buf[CONN_BUF_SIZE];

union sockaddr_any {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_un un;
};

void conn_to(struct conn *k, const struct url *u)
{
	k->host = u->host;
	k->port = u->port;
	k->unix_path = u->unix_path;
	k->unix_len = u->unix_len;
}

void conn_end(struct conn *k, enum conn_result r)
{
	int i;

	k->result = r;
	k->phase = CONN_DONE;
	for (i = 0; i < k->ntargets; i++) {
		if (k->t[i].fd >= 0) {
			close(k->t[i].fd);
			k->t[i].fd = -1;
		}
	}
}

void conn_timed_out(struct line *l, uint64_t timeout_ms, const char *doing)
{
	line_str(l, "timed out after ");
	line_duration(l, timeout_ms);
	line_str(l, doing);
}

static void fail_errno(struct conn *k, const char *what, int err)
{
	line_errno(k->why, what, err);
	conn_end(k, CONN_ERROR);
}

static void target_addr(struct line *l, const struct conn *k, const struct conn_target *t)
{
	if (t->family == AF_UNIX)
		line_escaped(l, k->unix_path, k->unix_len);
	else
		line_addr(l, t->family, t->a, k->port);
}

void conn_addr(struct line *l, const struct conn *k)
{
	target_addr(l, k, &k->t[k->winner]);
}

/* Target t's socket address into u; returns its length. */
static socklen_t target_sockaddr(const struct conn *k, const struct conn_target *t, union sockaddr_any *u)
{
	memset(u, 0, sizeof(*u));
	u->sa.sa_family = (sa_family_t)t->family;
	if (t->family == AF_UNIX) {
		memcpy(u->un.sun_path, k->unix_path, k->unix_len);
		/* "@NAME": the abstract socket NAME, whose address is as long as its name. */
		if (k->unix_path[0] != '@')
			return sizeof(u->un);
		u->un.sun_path[0] = '\0';
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + k->unix_len);
	}
	if (t->family == AF_INET6) {
		u->in6.sin6_port = htons(k->port);
		memcpy(&u->in6.sin6_addr, t->a, 16);
		return sizeof(u->in6);
	}
	u->in.sin_port = htons(k->port);
	memcpy(&u->in.sin_addr, t->a, 4);
	return sizeof(u->in);
}

/* RFC 6761: "localhost" and names under it are the loopback, whatever /etc/hosts says, and without one. */
static bool is_localhost(const char *h)
{
	size_t n = strlen(h);

	return !strcasecmp(h, "localhost") || (n > 10 && !strcasecmp(h + n - 10, ".localhost"));
}

static void target_add(struct conn *k, int family, const unsigned char *a)
{
	int i;

	for (i = 0; i < k->ntargets; i++) {
		if (k->t[i].family == family && !memcmp(k->t[i].a, a, family == AF_INET ? 4 : 16))
			return;
	}
	if (k->ntargets == CONN_MAX_ADDRS)
		return;
	k->t[k->ntargets].family = family;
	memset(k->t[k->ntargets].a, 0, 16);
	memcpy(k->t[k->ntargets].a, a, family == AF_INET ? 4 : 16);
	k->t[k->ntargets].fd = -1;
	k->t[k->ntargets].err = 0;
	k->ntargets++;
}

/* Whether any target's connect is still under way. */
static bool pending(const struct conn *k)
{
	int i;

	for (i = 0; i < k->ntargets; i++) {
		if (k->t[i].fd >= 0)
			return true;
	}
	return false;
}

/*
 * A connect to a port nobody listens on, from the same port (the kernel
 * may pick it when it lies in the ephemeral range), connects the socket to
 * itself: that is no server.
 */
static bool connected_to_self(int fd)
{
	struct sockaddr_storage a, b;
	socklen_t la = sizeof(a), lb = sizeof(b);

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	return !getsockname(fd, (struct sockaddr *)&a, &la) && !getpeername(fd, (struct sockaddr *)&b, &lb) &&
	       la == lb && !memcmp(&a, &b, la);
}

/* "TLS handshake with ADDR failed: why" */
static void tls_failed(struct conn *k)
{
	line_str(k->why, k->phase == CONN_HANDSHAKE ? "TLS handshake with " : "TLS with ");
	conn_addr(k->why, k);
	line_str(k->why, " failed: ");
	tls_explain(k->why, k->tls);
	conn_end(k, CONN_FAIL);
}

/*
 * The socket is ready, or the protocol sent: the engine moves what it can;
 * once the handshake is done the protocol starts, and the server's bytes go
 * to it while the engine holds some (it takes no more records until then).
 */
static void tls_event(struct conn *k)
{
	int rounds = 0;

	while (rounds++ < 64) {
		k->want = tls_pump(k->tls, k->t[k->winner].fd);
		if (k->phase == CONN_HANDSHAKE) {
			if (!k->tls->ready) {
				if (!k->want)
					tls_failed(k);
				return;
			}
			if (k->alpn && !tls_h2(k->tls)) {
				line_str(k->why, "TLS handshake with ");
				conn_addr(k->why, k);
				line_str(k->why, " failed: the server did not choose h2 (ALPN)");
				conn_end(k, CONN_FAIL);
				return;
			}
			k->phase = CONN_OPEN;
			k->ops->up(k);
		} else if (tls_pending(k->tls) || !k->want) {
			k->ops->readable(k);
		} else {
			return;
		}
		if (k->phase != CONN_OPEN)
			return;
	}
}

static void connected(struct conn *k, int i)
{
	int j;

	if (connected_to_self(k->t[i].fd)) {
		k->t[i].err = ECONNREFUSED;
		close(k->t[i].fd);
		k->t[i].fd = -1;
		if (!pending(k) && k->phase == CONN_CONNECTING)
			conn_end(k, CONN_FAIL);
		return;
	}
	k->winner = i;
	for (j = 0; j < k->ntargets; j++) {
		if (j == i)
			continue;
		/* The others no longer matter: no reason of theirs is reported. */
		if (k->t[j].fd >= 0)
			close(k->t[j].fd);
		k->t[j].fd = -1;
		k->t[j].err = -1;
	}
	if (k->tls) {
		struct timespec now;
		int e, one = 1;

		/*
		 * The handshake's last flight goes out record by record: with Nagle's
		 * algorithm the second waits for the server's delayed ACK, 40 ms on
		 * Linux (bench/README.md). curl sets it too.
		 */
		if (k->t[i].family != AF_UNIX)
			setsockopt(k->t[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		clock_now(CLOCK_REALTIME, &now);
		e = tls_start(k->tls, k->servername, k->alpn, k->ca, k->client, (uint64_t)now.tv_sec);
		if (e) {
			fail_errno(k, "TLS: no random bytes for the handshake", e);
			return;
		}
		k->phase = CONN_HANDSHAKE;
		tls_event(k);
		return;
	}
	k->phase = CONN_OPEN;
	if (k->ops) {
		k->ops->up(k);
		return;
	}
	line_str(k->why, "ok: connected to ");
	conn_addr(k->why, k);
	conn_end(k, CONN_PASS);
}

/* Starts a non-blocking connect to every address at once: the first to answer wins. */
static void connect_all(struct conn *k)
{
	int i, waiting = 0, unsupported = 0;

	k->phase = CONN_CONNECTING;
	for (i = 0; i < k->ntargets && k->phase == CONN_CONNECTING; i++) {
		struct conn_target *t = &k->t[i];
		union sockaddr_any u;
		socklen_t len = target_sockaddr(k, t, &u);
		int fd = socket(t->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			/* No IPv6 in this kernel or container: that address cannot be reached, the others may. */
			if (errno == EAFNOSUPPORT) {
				t->err = errno;
				unsupported++;
				continue;
			}
			fail_errno(k, "socket", errno);
			return;
		}
		t->fd = fd;
		if (connect(fd, &u.sa, len) == 0) {
			connected(k, i);
		} else if (errno == EINPROGRESS) {
			waiting++;
		} else if (errno == ENOSYS || errno == ENOMEM || errno == ENOBUFS) {
			/* healthy's own trouble (a seccomp filter, memory), which says nothing of the service; fd is closed with t. */
			fail_errno(k, "connect", errno);
		} else if (t->family == AF_UNIX && (errno == EACCES || errno == EPERM)) {
			/* A socket healthy may not use says nothing of the service behind it. */
			t->err = errno;
			close(fd);
			t->fd = -1;
			conn_end(k, CONN_ERROR);
		} else {
			t->err = errno;
			close(fd);
			t->fd = -1;
		}
	}
	/* Every address refused at once (the reasons are in t[].err); none of a family this kernel has is healthy's problem. */
	if (k->phase == CONN_CONNECTING && !waiting)
		conn_end(k, unsupported == k->ntargets ? CONN_ERROR : CONN_FAIL);
}

void conn_send(struct conn *k, const void *p, size_t n)
{
	/* A fresh socket's send buffer takes a request this small whole; so does TLS's. */
	ssize_t w = k->tls ? (ssize_t)tls_write(k->tls, p, n) : send(k->t[k->winner].fd, p, n, MSG_NOSIGNAL);

	if (w != (ssize_t)n) {
		k->t[k->winner].err = w < 0 ? errno : EIO;
		conn_end(k, CONN_FAIL);
	}
}

void conn_reply(struct conn *k, const void *p, size_t n)
{
	if (k->tls)
		tls_write(k->tls, p, n);
	else
		(void)!send(k->t[k->winner].fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

ssize_t conn_read(struct conn *k, void *p, size_t n)
{
	ssize_t r;

	if (k->tls) {
		r = (ssize_t)tls_read(k->tls, p, n);
		if (r || k->want)
			return r ? r : -1;
		/* Closed: the end, when the server closed cleanly (or plainly); else why not. */
		if (!tls_error(k->tls) && !k->tls->err)
			return 0;
		tls_failed(k);
		return -1;
	}
	r = read(k->t[k->winner].fd, p, n);
	if (r < 0 && errno != EINTR && errno != EAGAIN) {
		k->t[k->winner].err = errno;
		conn_end(k, CONN_FAIL);
	}
	return r;
}

void conn_drain(struct conn *k, size_t max)
{
	size_t drained = 0;
	ssize_t d;

	/* Over TLS, only what the engine already holds is taken: the answer is decided, and BearSSL has no cheap skip. */
	if (k->tls) {
		while (tls_read(k->tls, conn_buf, sizeof(conn_buf)))
			;
		return;
	}
	while (drained < max && (d = read(k->t[k->winner].fd, conn_buf, sizeof(conn_buf))) > 0)
		drained += (size_t)d;
}

/* resolv.conf, read once a run, by the first connection that needs it. */
static struct dns_conf conf;
static bool conf_read;

bool conn_needs_lookup(const struct conn *k)
{
	unsigned char a[16];

	return !k->unix_path && scan_ip(AF_INET, k->host, a) != 1 && scan_ip(AF_INET6, k->host, a) != 1 &&
	       !is_localhost(k->host);
}

static void resolve_begin(struct conn *k, uint64_t now)
{
	unsigned char a[16];

	if (k->unix_path) {
		/* unix=: connect() looks the path up, which a hung mount holds. */
		confine_arm();
		memset(a, 0, sizeof(a));
		target_add(k, AF_UNIX, a);
	} else if (scan_ip(AF_INET, k->host, a) == 1) {
		target_add(k, AF_INET, a);
	} else if (scan_ip(AF_INET6, k->host, a) == 1) {
		target_add(k, AF_INET6, a);
	} else if (is_localhost(k->host)) {
		static const unsigned char lo6[16] = { [15] = 1 }, lo4[4] = { 127, 0, 0, 1 };

		target_add(k, AF_INET6, lo6);
		target_add(k, AF_INET, lo4);
	} else {
		/*
		 * No child, no blocking call: the lookup is more descriptors in the
		 * poll loop, under its deadline. But for /etc/hosts and resolv.conf,
		 * files, which a hung mount holds.
		 */
		if (!k->lookup_store) {
			line_str(k->why, "cannot resolve the host: no memory was mapped for its lookup");
			conn_end(k, CONN_ERROR);
			return;
		}
		confine_arm();
		if (!conf_read)
			resolve_conf_read(&conf);
		conf_read = true;
		k->lookup = k->lookup_store;
		resolve_start(k->lookup, &conf, k->host, now);
		k->phase = CONN_RESOLVING;
	}
}

/* The lookup has its answer: the addresses to connect to, or why there are none. */
static void resolve_done(struct conn *k)
{
	const struct resolve *l = k->lookup;
	struct line *why = k->why;
	unsigned i;

	k->lookup = NULL;
	if (l->state == RESOLVE_NONAME) {
		line_str(why, "no such host");
		conn_end(k, CONN_FAIL);
		return;
	}
	if (l->state == RESOLVE_FAILED) {
		/* No server answered, or each failed: that says nothing of the service. */
		line_str(why, "cannot resolve the host: ");
		if (l->rcode >= 0) {
			line_str(why, "the name server answered ");
			if (l->rcode == DNS_SERVFAIL || l->rcode == DNS_REFUSED) {
				line_str(why, l->rcode == DNS_SERVFAIL ? "SERVFAIL" : "REFUSED");
			} else {
				line_str(why, "rcode ");
				line_uint(why, (unsigned)l->rcode);
			}
		} else if (l->rcode == RESOLVE_MALFORMED) {
			line_str(why, "the name server's answer is malformed");
		} else if (l->rcode == RESOLVE_CLOSED) {
			line_str(why, "the name server closed the TCP connection before it answered");
		} else if (l->err) {
			line_reason(why, l->err);
		} else {
			line_str(why, "no answer from the name server");
		}
		conn_end(k, CONN_ERROR);
		return;
	}
	for (i = 0; i < l->naddrs; i++)
		target_add(k, l->addrs[i].family, l->addrs[i].a);
	connect_all(k);
}

/* The usual reasons in the words of a message; NULL for the rest, which line_reason() says. */
static const char *errno_phrase(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "connection refused";
	case ECONNRESET:
		return "connection reset";
	case ETIMEDOUT:
		return "timed out";
	case EHOSTUNREACH:
		return "no route to host";
	case ENETUNREACH:
		return "network unreachable";
	case EADDRNOTAVAIL:
		return "address not available here";
	case EAFNOSUPPORT:
		return "no IPv6 here";
	case ENOENT:
		return "no such socket";
	case EAGAIN:
		return "the listener's backlog is full";
	default:
		return NULL;
	}
}

/* "connection refused (127.0.0.1:5432, [::1]:5432); timed out after 800ms (10.0.0.1:5432)" */
static void explain_targets(struct conn *k, uint64_t timeout_ms)
{
	struct line *l = k->why;
	const char *sep = "";
	int i, j;

	for (i = 0; i < k->ntargets; i++) {
		int e = k->t[i].err;
		const char *inner = " (";
		bool seen = e == -1;

		for (j = 0; j < i; j++)
			seen |= k->t[j].err == e;
		if (seen)
			continue;
		line_str(l, sep);
		if (e == 0) {
			conn_timed_out(l, timeout_ms, " connecting");
		} else {
			if (errno_phrase(e))
				line_str(l, errno_phrase(e));
			else
				line_reason(l, e);
		}
		for (j = i; j < k->ntargets; j++) {
			if (k->t[j].err != e)
				continue;
			line_str(l, inner);
			target_addr(l, k, &k->t[j]);
			inner = ", ";
		}
		line_str(l, ")");
		sep = "; ";
	}
}

/* What the poll loop waits on: each lookup, or each connection's targets, or the one that won; *due, a lookup's next resend. */
static nfds_t poll_set(struct conn **ks, size_t n, struct pollfd *fds, struct conn **owner, int *target_of, uint64_t *due)
{
	nfds_t nfds = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct conn *k = ks[i];
		int j;

		if (k->phase == CONN_RESOLVING) {
			uint64_t when = UINT64_MAX;
			size_t q, m = resolve_fds(k->lookup, fds + nfds, &when);

			for (q = 0; q < m; q++) {
				owner[nfds] = k;
				target_of[nfds++] = -1;
			}
			*due = when < *due ? when : *due;
		}
		/* Bytes the TLS engine holds are no socket's event: the loop looks again at once. */
		if (k->tls && k->phase == CONN_OPEN && tls_pending(k->tls))
			*due = 0;
		for (j = 0; j < k->ntargets && k->phase >= CONN_CONNECTING && k->phase <= CONN_OPEN; j++) {
			if (k->t[j].fd < 0 || k->t[j].err || (k->phase != CONN_CONNECTING && j != k->winner))
				continue;
			fds[nfds] = (struct pollfd){ k->t[j].fd,
						     k->phase == CONN_CONNECTING ? POLLOUT : k->tls ? k->want : POLLIN, 0 };
			owner[nfds] = k;
			target_of[nfds++] = j;
		}
	}
	return nfds;
}

/* One ready descriptor of k: target j's connect, or the answer. */
static void poll_event(struct conn *k, int j)
{
	if (k->phase == CONN_CONNECTING && k->t[j].fd >= 0) {
		int e = 0;
		socklen_t len = sizeof(e);

		if (getsockopt(k->t[j].fd, SOL_SOCKET, SO_ERROR, &e, &len))
			e = errno;
		if (e == 0) {
			connected(k, j);
		} else {
			k->t[j].err = e;
			close(k->t[j].fd);
			k->t[j].fd = -1;
			if (!pending(k))
				conn_end(k, CONN_FAIL);
		}
	} else if (j == k->winner && k->tls) {
		tls_event(k);
	} else if (k->phase == CONN_OPEN && j == k->winner) {
		k->ops->readable(k);
	}
}

/* The end of a connection the deadline ended, or that ended without words: what it was waiting for. */
static void conn_finish(struct conn *k, uint64_t timeout_ms)
{
	if (k->phase == CONN_RESOLVING) {
		/* Out of time while resolving: the name server did not answer in time, which says nothing of the service (exit 3). */
		resolve_end(k->lookup);
		k->lookup = NULL;
		conn_timed_out(k->why, timeout_ms, " resolving the host");
		conn_end(k, CONN_ERROR);
		return;
	}
	if (k->phase == CONN_HANDSHAKE) {
		conn_timed_out(k->why, timeout_ms, " in the TLS handshake with ");
		conn_addr(k->why, k);
	}
	if (k->phase == CONN_OPEN)
		k->ops->late(k, timeout_ms);
	if (k->phase != CONN_DONE)
		conn_end(k, CONN_FAIL);
	if (!k->why->len)
		explain_targets(k, timeout_ms);
}

void conn_run(struct conn **ks, size_t n, uint64_t deadline_ms, uint64_t timeout_ms)
{
	static struct pollfd fds[CONN_MAX * (CONN_MAX_ADDRS + RESOLVE_MAX_FDS)];
	static struct conn *owner[CONN_MAX * (CONN_MAX_ADDRS + RESOLVE_MAX_FDS)];
	static int target_of[CONN_MAX * (CONN_MAX_ADDRS + RESOLVE_MAX_FDS)];
	uint64_t now = clock_ms();
	size_t i;

	conf_read = false;
	for (i = 0; i < n; i++) {
		struct conn *k = ks[i];

		k->result = CONN_PENDING;
		k->phase = CONN_CONNECTING;
		k->lookup = NULL;
		k->ntargets = 0;
		k->winner = 0;
		k->want = 0;
		resolve_begin(k, now);
	}
	for (i = 0; i < n; i++) {
		struct conn *k = ks[i];

		/* An address to begin with, or one from /etc/hosts: connect now. */
		if (k->lookup && k->lookup->state != RESOLVE_MORE)
			resolve_done(k);
		else if (!k->lookup && k->phase == CONN_CONNECTING)
			connect_all(k);
	}
	for (;;) {
		uint64_t due = deadline_ms;
		nfds_t nfds = poll_set(ks, n, fds, owner, target_of, &due);
		int ready;

		now = clock_ms();
		if (!nfds && due >= deadline_ms)
			break;
		/* Past the deadline, one look without waiting: what is done already counts. */
		ready = poll(fds, nfds, now >= due ? 0 : (int)(due - now));
		if (ready < 0 && errno != EINTR) {
			for (i = 0; i < n; i++) {
				if (ks[i]->phase != CONN_DONE && !ks[i]->lookup)
					fail_errno(ks[i], "poll", errno);
			}
			break;
		}
		for (i = 0; ready > 0 && i < nfds; i++) {
			if (fds[i].revents && owner[i]->phase != CONN_DONE && target_of[i] >= 0)
				poll_event(owner[i], target_of[i]);
		}
		/*
		 * The lookups read what came, resend what is due, and those that have
		 * their answer connect. A TLS engine that still holds the server's
		 * bytes (tls_event() takes a bounded number of rounds an event) goes on
		 * now: no socket would say so.
		 */
		now = clock_ms();
		for (i = 0; i < n; i++) {
			struct conn *k = ks[i];

			if (k->tls && k->phase == CONN_OPEN && tls_pending(k->tls))
				tls_event(k);
			if (!k->lookup)
				continue;
			resolve_step(k->lookup, now);
			if (k->lookup->state != RESOLVE_MORE)
				resolve_done(k);
		}
		/* A server that keeps sending keeps poll ready for ever: past the deadline, that one look was the last. */
		if (now >= deadline_ms)
			break;
	}
	for (i = 0; i < n; i++)
		conn_finish(ks[i], timeout_ms);
}
