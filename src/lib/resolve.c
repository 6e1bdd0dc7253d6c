#include "resolve.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io.h"

#define DNS_PORT 53
/*
 * RFC 8305 3: the addresses of one type came, the other type's answer has
 * not: wait this much more for it, then go with what came.
 */
#define RESOLUTION_DELAY_MS 50
/*
 * The most datagrams taken from one server's socket, and reads from the TCP
 * connection, in one step: a flood (spoofed, or a server gone mad) goes back
 * to the poll loop, where the deadline is looked at, between each handful.
 */
#define STEP_READS 16

static int conf_line(const char *line, size_t len, void *ctx)
{
	dns_conf_line(ctx, line, len);
	return 0;
}

void resolve_conf_read(struct dns_conf *c)
{
	dns_conf_start(c);
	io_lines("/etc/resolv.conf", conf_line, c);
	dns_conf_end(c);
}

struct hosts_ctx {
	struct resolve *r;
	const char *name;
	size_t n;
};

static int hosts_line(const char *line, size_t len, void *ctx)
{
	struct hosts_ctx *h = ctx;
	struct dns_addr a;

	if (dns_hosts_line(line, len, h->name, h->n, &a))
		h->r->addrs[h->r->naddrs++] = a;
	return h->r->naddrs == DNS_MAX_ADDRS;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void resolve_end(struct resolve *r)
{
	unsigned s;

	for (s = 0; s < DNS_MAX_SERVERS; s++)
		close_fd(&r->fd[s]);
	close_fd(&r->tcp);
}

static void finish(struct resolve *r, enum resolve_state st)
{
	resolve_end(r);
	r->state = st;
}

/* The A answer's addresses first, then the AAAA's, however the two answers came: the same words each run. */
static void family_order(struct resolve *r)
{
	struct dns_addr six[DNS_MAX_ADDRS];
	unsigned i, n4 = 0, n6 = 0;

	for (i = 0; i < r->naddrs; i++) {
		if (r->addrs[i].family == AF_INET)
			r->addrs[n4++] = r->addrs[i];
		else
			six[n6++] = r->addrs[i];
	}
	memcpy(r->addrs + n4, six, n6 * sizeof(six[0]));
}

/* The server's address, port 53. */
static socklen_t server_addr(const struct dns_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(DNS_PORT);
		memcpy(&sin->sin_addr, a->a, 4);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(DNS_PORT);
		memcpy(&sin6->sin6_addr, a->a, 16);
		return sizeof(*sin6);
	}
}

/*
 * A socket connected to server s: the kernel then takes datagrams from that
 * address and port only, and gives this socket a random source port.
 */
static int server_socket(const struct resolve *r, unsigned s, int type)
{
	struct sockaddr_storage ss;
	socklen_t len = server_addr(&r->conf->servers[s], &ss);
	int fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static unsigned all_servers(const struct resolve *r)
{
	return (1u << r->conf->nservers) - 1;
}

/* Sends the questions not answered yet to every server that has not failed them. */
static void send_all(struct resolve *r, uint64_t now)
{
	unsigned s, t;

	for (s = 0; s < r->conf->nservers; s++) {
		for (t = 0; t < 2; t++) {
			if (r->fd[s] < 0 || r->done[t] || r->failed[t] & 1u << s)
				continue;
			if (send(r->fd[s], r->q[t], r->qlen[t], MSG_NOSIGNAL) < 0 && errno != EAGAIN) {
				r->err = errno;
				r->failed[t] |= 1u << s;
			}
		}
	}
	/* musl's way: resolv.conf's timeout is for all attempts, which are spread over it. */
	r->next_send = now + (uint64_t)r->conf->timeout_s * 1000 / r->conf->attempts;
}

/* Asks for the next name: A and AAAA, each with an ID of its own that nobody can guess. */
static void name_start(struct resolve *r, uint64_t now)
{
	const char *name = r->names[r->name];
	uint16_t id[2];
	unsigned s, t, gone;

	if (getrandom(id, sizeof(id), GRND_NONBLOCK) != (ssize_t)sizeof(id)) {
		/* No entropy yet (early boot): the clock, which the source port still hides. */
		id[0] = (uint16_t)(now * 2654435761u >> 7);
		id[1] = (uint16_t)(id[0] ^ 0x5a5a);
	}
	/* A server whose socket could not be made, or that refused (ICMP), has failed every question already. */
	for (s = 0, gone = 0; s < r->conf->nservers; s++)
		gone |= r->fd[s] < 0 ? 1u << s : 0;
	for (t = 0; t < 2; t++) {
		r->qlen[t] = dns_query(r->q[t], id[t], name, strlen(name), t ? DNS_TYPE_AAAA : DNS_TYPE_A);
		r->done[t] = r->qlen[t] == 0;
		r->failed[t] = gone;
		r->tcp_want[t] = false;
	}
	close_fd(&r->tcp);
	r->tcp_sent[0] = r->tcp_sent[1] = false;
	r->tcp_got = 0;
	r->tcp_again = false;
	r->name_deadline = now + (uint64_t)r->conf->timeout_s * 1000;
	send_all(r, now);
}

void resolve_start(struct resolve *r, const struct dns_conf *conf, const char *host, uint64_t now)
{
	struct hosts_ctx h = { r, host, strlen(host) };
	unsigned s, opened = 0;

	memset(r, 0, sizeof(*r));
	r->conf = conf;
	r->tcp = -1;
	for (s = 0; s < DNS_MAX_SERVERS; s++)
		r->fd[s] = -1;
	r->state = RESOLVE_MORE;
	/* /etc/hosts first, as musl and glibc: no file is no entry. */
	io_lines("/etc/hosts", hosts_line, &h);
	if (r->naddrs) {
		r->state = RESOLVE_DONE;
		return;
	}
	r->nnames = (unsigned)dns_candidates(conf, host, h.n, r->names, DNS_MAX_SEARCH + 2);
	for (s = 0; s < conf->nservers; s++) {
		r->fd[s] = server_socket(r, s, SOCK_DGRAM);
		if (r->fd[s] >= 0)
			opened++;
		else
			r->err = errno;
	}
	if (!opened || !r->nnames) {
		r->rcode = -1;
		finish(r, r->nnames ? RESOLVE_FAILED : RESOLVE_NONAME);
		return;
	}
	r->err = 0;
	r->rcode = -1;
	name_start(r, now);
}

/* What an answer to question t from server s says; truncated ones go to TCP. */
static void answer(struct resolve *r, unsigned t, unsigned s, const unsigned char *buf, size_t len, bool tcp)
{
	static struct dns_answer a;
	unsigned i;

	switch (dns_answer_parse(buf, len, r->q[t], r->qlen[t], &a)) {
	case DNS_PARSE_NOT_OURS:
		return;
	case DNS_PARSE_BAD:
		r->failed[t] |= 1u << s;
		if (r->rcode == -1)
			r->rcode = RESOLVE_MALFORMED;
		return;
	case DNS_PARSE_OK:
		break;
	}
	if (a.truncated && !tcp) {
		/* One connection, to the first server that sent a truncated answer; the other question goes on it too. */
		if (r->tcp >= 0 && r->tcp_server != s)
			return;
		r->tcp_want[t] = true;
		r->tcp_server = s;
		return;
	}
	if (a.truncated || (a.rcode != DNS_NOERROR && a.rcode != DNS_NXDOMAIN)) {
		r->failed[t] |= 1u << s;
		r->rcode = a.truncated ? RESOLVE_MALFORMED : a.rcode;
		return;
	}
	r->done[t] = true;
	for (i = 0; i < a.count && r->naddrs < DNS_MAX_ADDRS; i++)
		r->addrs[r->naddrs++] = a.addrs[i];
}

/* The TCP connection to the server whose answer came truncated: connect, ask, read two-byte-prefixed answers. */
static void tcp_step(struct resolve *r)
{
	unsigned t, reads = 0;
	ssize_t n = -1;

	if (r->tcp < 0 && (r->tcp_want[0] || r->tcp_want[1])) {
		r->tcp_sent[0] = r->tcp_sent[1] = false;
		r->tcp_got = 0;
		r->tcp_answered = false;
		r->tcp = server_socket(r, r->tcp_server, SOCK_STREAM);
		if (r->tcp < 0) {
			r->err = errno;
			for (t = 0; t < 2; t++)
				r->failed[t] |= r->tcp_want[t] ? 1u << r->tcp_server : 0;
			r->tcp_want[0] = r->tcp_want[1] = false;
		}
		return;
	}
	if (r->tcp < 0)
		return;
	if ((r->tcp_want[0] && !r->tcp_sent[0]) || (r->tcp_want[1] && !r->tcp_sent[1])) {
		unsigned char out[2 * (DNS_QUERY_MAX + 2)];
		size_t k = 0;
		int e = 0;
		socklen_t el = sizeof(e);

		if (getsockopt(r->tcp, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e) {
			errno = e;
			goto failed;
		}
		for (t = 0; t < 2; t++) {
			if (!r->tcp_want[t] || r->tcp_sent[t])
				continue;
			out[k++] = (unsigned char)(r->qlen[t] >> 8);
			out[k++] = (unsigned char)r->qlen[t];
			memcpy(out + k, r->q[t], r->qlen[t]);
			k += r->qlen[t];
		}
		/* Still connecting: EAGAIN, and the next step tries again. */
		n = send(r->tcp, out, k, MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n != (ssize_t)k) {
			/* A new connection's buffer takes two questions whole: a short send is a broken one. */
			if (n >= 0)
				errno = EIO;
			goto failed;
		}
		for (t = 0; t < 2; t++)
			r->tcp_sent[t] |= r->tcp_want[t];
	}
	while (reads++ < STEP_READS) {
		size_t need = r->tcp_got < 2 ? 2 : 2 + ((size_t)r->tcp_buf[0] << 8 | r->tcp_buf[1]);

		/* Longer than any answer taken, or empty: garbage, not an answer. */
		if (need > sizeof(r->tcp_buf) || (r->tcp_got >= 2 && need == 2)) {
			if (r->rcode == -1)
				r->rcode = RESOLVE_MALFORMED;
			errno = 0;
			goto failed;
		}
		n = recv(r->tcp, r->tcp_buf + r->tcp_got, need - r->tcp_got, 0);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n == 0 && r->tcp_answered && !r->tcp_again) {
			/* One answer a connection, as some servers give (and musl asks): the other on a new one, once. */
			r->tcp_again = true;
			close_fd(&r->tcp);
			tcp_step(r);
			return;
		}
		if (n == 0) {
			/* Closed with a question unanswered: the server's choice, no errno of ours. */
			if (r->rcode == -1)
				r->rcode = RESOLVE_CLOSED;
			errno = 0;
			goto failed;
		}
		if (n < 0)
			goto failed;
		r->tcp_got += (size_t)n;
		if (r->tcp_got < 2 || r->tcp_got < need || need == 2)
			continue;
		for (t = 0; t < 2; t++) {
			if (r->tcp_want[t] && !r->done[t]) {
				answer(r, t, r->tcp_server, r->tcp_buf + 2, need - 2, true);
				r->tcp_want[t] = !r->done[t] && !(r->failed[t] & 1u << r->tcp_server);
			}
		}
		r->tcp_got = 0;
		r->tcp_answered = true;
		if (!r->tcp_want[0] && !r->tcp_want[1]) {
			close_fd(&r->tcp);
			return;
		}
	}
	return;
failed:
	if (errno)
		r->err = errno;
	for (t = 0; t < 2; t++)
		r->failed[t] |= r->tcp_want[t] ? 1u << r->tcp_server : 0;
	r->tcp_want[0] = r->tcp_want[1] = false;
	close_fd(&r->tcp);
}

void resolve_step(struct resolve *r, uint64_t now)
{
	static unsigned char buf[DNS_UDP_MAX];
	unsigned s, t, reads;

	if (r->state != RESOLVE_MORE)
		return;
	for (s = 0; s < r->conf->nservers; s++) {
		ssize_t n = -1;

		/*
		 * MSG_TRUNC: the datagram's whole length. A server that sends more
		 * than 512 bytes without TC (Docker Desktop's proxy did) was cut
		 * short here: it is truncated, and asked again over TCP.
		 */
		for (reads = 0; reads < STEP_READS && r->fd[s] >= 0; reads++) {
			if ((n = recv(r->fd[s], buf, sizeof(buf), MSG_TRUNC)) < 0)
				break;
			if ((size_t)n > sizeof(buf)) {
				n = sizeof(buf);
				buf[2] |= 0x02;
			}
			for (t = 0; t < 2; t++) {
				if (!r->done[t])
					answer(r, t, s, buf, (size_t)n, false);
			}
		}
		/* Nothing listens on the server's port 53 (an ICMP error on the connected socket): it failed. */
		if (r->fd[s] >= 0 && n < 0 && errno != EAGAIN && errno != EINTR) {
			r->err = errno;
			r->failed[0] |= 1u << s;
			r->failed[1] |= 1u << s;
			close_fd(&r->fd[s]);
		}
	}
	tcp_step(r);
	for (t = 0; t < 2; t++) {
		/* Every server failed this question: it is answered, with nothing. */
		if (!r->done[t] && (r->failed[t] & all_servers(r)) == all_servers(r))
			r->done[t] = true;
	}
	if (r->naddrs && (r->done[0] && r->done[1])) {
		family_order(r);
		finish(r, RESOLVE_DONE);
		return;
	}
	if (r->naddrs && now + RESOLUTION_DELAY_MS < r->name_deadline)
		r->name_deadline = now + RESOLUTION_DELAY_MS;
	if (r->done[0] && r->done[1]) {
		/*
		 * No address: the next name of the search. A name the servers
		 * failed (SERVFAIL) is no evidence, so the search goes on, as
		 * glibc's does: a broken upstream for one domain of Kubernetes'
		 * list must not hide the name in another; found nowhere, it is
		 * "cannot check", not "no such host".
		 */
		if (r->failed[0] == all_servers(r) || r->failed[1] == all_servers(r))
			r->name_failed = true;
		if (++r->name == r->nnames)
			finish(r, r->name_failed ? RESOLVE_FAILED : RESOLVE_NONAME);
		else
			name_start(r, now);
		return;
	}
	if (now >= r->name_deadline) {
		/* resolv.conf's timeout is over: what came is the answer. */
		family_order(r);
		finish(r, r->naddrs ? RESOLVE_DONE : RESOLVE_FAILED);
		return;
	}
	if (now >= r->next_send)
		send_all(r, now);
}

size_t resolve_fds(const struct resolve *r, struct pollfd *fds, uint64_t *due)
{
	size_t n = 0;
	unsigned s;

	if (r->state != RESOLVE_MORE)
		return 0;
	for (s = 0; s < r->conf->nservers; s++) {
		if (r->fd[s] >= 0)
			fds[n++] = (struct pollfd){ r->fd[s], POLLIN, 0 };
	}
	if (r->tcp >= 0)
		fds[n++] = (struct pollfd){ r->tcp, (short)(r->tcp_sent[0] || r->tcp_sent[1] ? POLLIN : POLLOUT), 0 };
	*due = r->next_send < r->name_deadline ? r->next_send : r->name_deadline;
	/* A truncated answer waits for its TCP connection, which the next step opens; a name with no question, the next. */
	if (((r->tcp_want[0] || r->tcp_want[1]) && r->tcp < 0) || (r->done[0] && r->done[1]))
		*due = 0;
	return n;
}
