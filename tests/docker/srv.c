/*
 * srv: the service of the Docker tests, built static to be PID 1 of a
 * scratch image, steered from outside with `docker kill -s`, since such an
 * image has no shell to exec into.
 *
 *   srv [-w NAME] [-t PORT] [-u PORT] [-d MS] [-x STATUS]
 *
 * After MS milliseconds (-d, 0 unless given) it starts a worker child named
 * NAME (-w), listens on TCP PORT (-t) and binds UDP PORT (-u), on [::] dual
 * stack (0.0.0.0 where the container has no IPv6), and answers each TCP
 * connection with "HTTP/1.0 200 OK". With -x it exits with STATUS instead.
 * Then it waits for signals:
 *
 *   SIGUSR1          closes the sockets; the next one opens them again
 *   SIGUSR2          kills the worker and reaps it; the next one starts a new one
 *   SIGHUP           only says so (signal forwarding tests)
 *   SIGTERM, SIGINT  dies of the signal; as PID 1, where the kernel drops a
 *                    signal it sends itself, exits 128+signal instead
 *
 * Each event is one line on stdout, written at once, for `docker logs`.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *worker_name;
static int tcp_port, udp_port;
static int tcp_fd = -1, udp_fd = -1;
static pid_t worker;

static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDOUT_FILENO, buf, (size_t)n) < 0)
		return;
}

static void die(const char *what)
{
	say("srv: %s: %s", what, strerror(errno));
	exit(1);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Dual stack on [::]; a container whose loopback has no IPv6 gets 0.0.0.0. */
static int inet_socket(int type, int port)
{
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_port = htons((unsigned short)port) };
	struct sockaddr_in sa4 = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET6, type | SOCK_CLOEXEC, 0), zero = 0, one = 1;

	if (fd >= 0) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sa6, sizeof(sa6)) == 0)
			return fd;
		close(fd);
	}
	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa4, sizeof(sa4)))
		die("bind");
	return fd;
}

static void open_sockets(void)
{
	if (tcp_port) {
		tcp_fd = inet_socket(SOCK_STREAM, tcp_port);
		if (listen(tcp_fd, 64))
			die("listen");
		say("srv: listening on tcp %d", tcp_port);
	}
	if (udp_port) {
		udp_fd = inet_socket(SOCK_DGRAM, udp_port);
		say("srv: bound udp %d", udp_port);
	}
}

static void close_sockets(void)
{
	if (tcp_fd >= 0)
		close(tcp_fd);
	if (udp_fd >= 0)
		close(udp_fd);
	tcp_fd = udp_fd = -1;
	say("srv: sockets closed");
}

static void start_worker(void)
{
	sigset_t none;

	worker = fork();
	if (worker < 0)
		die("fork");
	if (worker == 0) {
		/* The sockets are the service's, not the worker's: closing them must free the ports. */
		if (tcp_fd >= 0)
			close(tcp_fd);
		if (udp_fd >= 0)
			close(udp_fd);
		prctl(PR_SET_NAME, worker_name, 0, 0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (;;)
			pause();
	}
	say("srv: worker %s started, pid %d", worker_name, (int)worker);
}

static void stop_worker(void)
{
	kill(worker, SIGKILL);
	waitpid(worker, NULL, 0);
	say("srv: worker %s killed, pid %d", worker_name, (int)worker);
	worker = 0;
}

/* Answers one connection: reads the request (if any comes), then 200, then lets the client close first. */
static void answer(int c)
{
	static const char ok[] = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
	struct pollfd p = { .fd = c, .events = POLLIN };
	char buf[2048];
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(buf) - 1 && poll(&p, 1, 500) == 1) {
		n = read(c, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	if (got && write(c, ok, sizeof(ok) - 1) > 0) {
		shutdown(c, SHUT_WR);
		while (poll(&p, 1, 1000) == 1 && read(c, buf, sizeof(buf)) > 0)
			;
	}
	close(c);
}

static int number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 65535) {
		say("srv: %s: not a number from 0 to 65535", s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int delay = 0, status = -1, opt, sfd;
	long until;
	sigset_t set;

	while ((opt = getopt(argc, argv, "w:t:u:d:x:")) != -1) {
		switch (opt) {
		case 'w': worker_name = optarg; break;
		case 't': tcp_port = number(optarg); break;
		case 'u': udp_port = number(optarg); break;
		case 'd': delay = number(optarg); break;
		case 'x': status = number(optarg); break;
		default:
			say("usage: srv [-w NAME] [-t PORT] [-u PORT] [-d MS] [-x STATUS]");
			return 2;
		}
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd");
	say("srv: pid %d, up in %d ms", (int)getpid(), delay);
	until = now_ms() + delay;
	for (;;) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN }, { .fd = tcp_fd, .events = POLLIN } };
		struct signalfd_siginfo si;
		long left = until ? until - now_ms() : -1;

		if (until && left <= 0) {
			until = 0;
			if (status >= 0) {
				say("srv: exit %d", status);
				return status;
			}
			if (worker_name)
				start_worker();
			open_sockets();
			continue;
		}
		if (poll(p, tcp_fd >= 0 ? 2 : 1, until ? (int)left : -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (p[1].revents & POLLIN) {
			int c = accept4(tcp_fd, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0)
				answer(c);
		}
		if (!(p[0].revents & POLLIN) || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		switch (si.ssi_signo) {
		case SIGUSR1:
			if (until)
				break;
			if (tcp_fd >= 0 || udp_fd >= 0)
				close_sockets();
			else
				open_sockets();
			break;
		case SIGUSR2:
			if (until || !worker_name)
				break;
			if (worker)
				stop_worker();
			else
				start_worker();
			break;
		case SIGHUP:
			say("srv: SIGHUP");
			break;
		default:
			say("srv: %s", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			signal((int)si.ssi_signo, SIG_DFL);
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			raise((int)si.ssi_signo);
			return 128 + (int)si.ssi_signo;
		}
	}
}
