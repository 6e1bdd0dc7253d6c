/*
 * holder: servers for the socket scenarios, that answer cheaply and leave
 * nothing behind, then wait to be killed.
 *
 *   holder tcp-serve ADDR PORT READYFILE   listen on ADDR:PORT (0: the kernel picks);
 *                                          accept each connection, reset it once the client closed
 *   holder unix-serve DIR N READYFILE      N listening stream sockets DIR/s0 .. DIR/s<N-1>;
 *                                          accept and close each connection
 *   holder http-serve ADDR READYFILE       an HTTP server on ADDR, port picked by the kernel:
 *                                          200 to every GET or HEAD, then close
 *
 * The port (or "ok") goes into READYFILE once the sockets are in place.
 *
 * Why not tests/helpers/sockets: its listeners never accept. nc -z run a few
 * hundred times would fill their backlog (the next connect then hangs) and
 * leave a TIME_WAIT per run in the very table being measured (see serve()).
 * Why not tests/helpers/httpd: it forks a child per request (the server's
 * cost would blur the client's), and answers HEAD, which wget --spider
 * sends, with 404.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_UNIX 4096

static const char *ready_path;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void ready(const char *s)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ready_path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%s\n", s) < 0 || fclose(f) || rename(tmp, ready_path))
		die(ready_path);
}

/* A listening TCP socket on ADDR:PORT; its port goes into READYFILE. */
static int tcp_listen(const char *addr, const char *port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd, one = 1;
	char buf[16];

	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)atoi(port));
		len = sizeof(*in);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)atoi(port));
		len = sizeof(*in6);
	} else {
		fprintf(stderr, "holder: bad address %s\n", addr);
		exit(2);
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 4096))
		die("bind");
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		die("getsockname");
	snprintf(buf, sizeof(buf), "%u", ntohs(ss.ss_family == AF_INET ? in->sin_port : in6->sin6_port));
	ready(buf);
	return fd;
}

static void unix_serve(const char *dir, int n)
{
	static struct pollfd pfd[MAX_UNIX];
	int i;

	if (n < 1 || n > MAX_UNIX) {
		fprintf(stderr, "holder: N must be 1 to %d\n", MAX_UNIX);
		exit(2);
	}
	for (i = 0; i < n; i++) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/s%d", dir, i) >= sizeof(sun.sun_path)) {
			fprintf(stderr, "holder: %s: path too long\n", dir);
			exit(2);
		}
		pfd[i].fd = socket(AF_UNIX, SOCK_STREAM, 0);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0 || bind(pfd[i].fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(pfd[i].fd, 128))
			die(sun.sun_path);
	}
	ready("ok");
	for (;;) {
		if (poll(pfd, (nfds_t)n, -1) < 0)
			continue;
		for (i = 0; i < n; i++) {
			if (pfd[i].revents & POLLIN) {
				int c = accept(pfd[i].fd, NULL, NULL);

				if (c >= 0)
					close(c);
			}
		}
	}
}

/*
 * The TCP servers: every connection waits in one poll loop for its client to
 * close first (after its answer, for HTTP), and is then closed with SO_LINGER
 * 0. The RST meets the client in FIN_WAIT2 and ends it there: neither end
 * keeps a TIME_WAIT, so the runs do not fill the socket tables they measure.
 * Resetting at once, before the client closes, would not do: nc -z reads
 * SO_ERROR after its connect and reports the reset as a failure.
 */
#define MAX_CONNS 512
#define REQ_MAX 8192

struct conn {
	int fd;
	int answered;           /* nothing more to send: waiting for the client's FIN */
	size_t got;
	long long deadline;     /* ms: a client that lingers is closed without a reset */
	char req[REQ_MAX];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void drop(struct conn *c, int reset)
{
	struct linger lg = { 1, 0 };

	if (reset)
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c->fd);
	c->fd = -1;
}

static void http_answer(struct conn *c)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
				 "Connection: close\r\n\r\n";
	char out[256];

	/* HEAD (wget --spider) gets the headers alone. */
	snprintf(out, sizeof(out), "%s%s", ok, strncmp(c->req, "HEAD ", 5) ? "ok\n" : "");
	if (write(c->fd, out, strlen(out)) < 0) {
		/* the client left first: its FIN or reset ends the connection below */
	}
	c->answered = 1;
}

static void serve(int l, int http)
{
	static struct conn conns[MAX_CONNS];
	static struct pollfd pfd[MAX_CONNS + 1];
	int i, n;

	for (i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	for (;;) {
		long long now = now_ms();

		pfd[0] = (struct pollfd){ l, POLLIN, 0 };
		for (i = 0; i < MAX_CONNS; i++) {
			if (conns[i].fd >= 0 && now >= conns[i].deadline)
				drop(&conns[i], 0);
			pfd[i + 1] = (struct pollfd){ conns[i].fd, POLLIN, 0 };
		}
		n = poll(pfd, MAX_CONNS + 1, 100);
		if (n <= 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			int fd = accept(l, NULL, NULL);

			for (i = 0; fd >= 0 && i < MAX_CONNS && conns[i].fd >= 0; i++)
				;
			if (fd >= 0 && i == MAX_CONNS)
				close(fd);
			else if (fd >= 0)
				conns[i] = (struct conn){ .fd = fd, .answered = !http, .deadline = now + 2000 };
		}
		for (i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &conns[i];
			ssize_t r;

			if (c->fd < 0 || pfd[i + 1].fd != c->fd || !pfd[i + 1].revents)
				continue;
			r = read(c->fd, c->req + c->got, sizeof(c->req) - 1 - c->got);
			if (r <= 0) {
				drop(c, 1);
				continue;
			}
			if (c->answered)
				continue;
			c->got += (size_t)r;
			c->req[c->got] = '\0';
			if (strstr(c->req, "\r\n\r\n"))
				http_answer(c);
			else if (c->got == sizeof(c->req) - 1)
				drop(c, 0);
		}
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (argc < 3) {
		fprintf(stderr, "usage: holder MODE ARGS... READYFILE\n");
		return 2;
	}
	ready_path = argv[argc - 1];
	if (!strcmp(mode, "tcp-serve") && argc == 5)
		serve(tcp_listen(argv[2], argv[3]), 0);
	if (!strcmp(mode, "unix-serve") && argc == 5)
		unix_serve(argv[2], atoi(argv[3]));
	if (!strcmp(mode, "http-serve") && argc == 4)
		serve(tcp_listen(argv[2], "0"), 1);
	fprintf(stderr, "holder: unknown mode or wrong arguments: %s\n", mode);
	return 2;
}
