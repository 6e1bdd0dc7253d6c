/*
 * srv: the service of the Docker tests, built static to be PID 1 of a
 * scratch image, steered from outside with `docker kill -s`, since such an
 * image has no shell to exec into.
 *
 *   srv [-w NAME] [-t PORT] [-u PORT] [-s PATH] [-d MS] [-x STATUS] [-e]
 *       [-c FILE] [-i forward] [-o OUTPUT] [-m MATCH]
 *   proxy [--config FILE]
 *
 * After MS milliseconds (-d, 0 unless given) it starts a worker child named
 * NAME (-w), listens on TCP PORT (-t) and binds UDP PORT (-u), on [::] dual
 * stack (0.0.0.0 where the container has no IPv6), listens on a unix stream
 * socket at PATH (-s; a file left there by a run that was killed is removed
 * first, as fluent-bit does), and answers each TCP connection with
 * "HTTP/1.0 200 OK". With -x it exits with STATUS instead. Then it waits for
 * signals:
 *
 *   SIGUSR1          closes the sockets (the socket file stays, stale); the
 *                    next one opens them again
 *   SIGUSR2          kills the worker and reaps it; the next one starts a new one
 *   SIGHUP           only says so (signal forwarding tests)
 *   SIGTERM, SIGINT  dies of the signal; as PID 1, where the kernel drops a
 *                    signal it sends itself, exits 128+signal instead
 *
 * Each event is one line on stdout (on stderr with -e), written at once, for
 * `docker logs`, and starts with the name it was run as: copied into an image
 * as /fluent-bit/bin/fluent-bit, it is a fluent-bit that is PID 1 of its
 * container, as in fluent-bit's own image. It takes the part of fluent-bit's
 * command line the examples use: -i forward listens on TCP 24224 (unless -t
 * says otherwise); -o OUTPUT and -m MATCH are taken and ignored; -c FILE reads
 * a fluent-bit configuration (the classic format) and listens where its
 * forward inputs do: Port (24224 unless given) or unix_path. A FILE that
 * cannot be read is exit 1, as for fluent-bit.
 *
 * Run as proxy (as /proxy), it is the proxy of the examples: `proxy [--config
 * FILE]` (FILE is not read) listens on TCP 8080, where it answers
 * GET /health, and says on stderr when it starts and when SIGTERM comes.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *me = "srv", *worker_name, *unix_path;
static int tcp_port, udp_port, out_fd = STDOUT_FILENO;
static int tcp_fd = -1, udp_fd = -1, unix_fd = -1;
static pid_t worker;

static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n, m;

	m = snprintf(buf, sizeof(buf), "%s: ", me);
	if (m < 0 || m > (int)sizeof(buf) / 2)
		m = 0;
	va_start(ap, fmt);
	n = vsnprintf(buf + m, sizeof(buf) - 1 - (size_t)m, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += m;
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(out_fd, buf, (size_t)n) < 0)
		return;
}

static void die(const char *what)
{
	say("%s: %s", what, strerror(errno));
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

/* A stream listener at unix_path; a file there (left by a run that was killed) is removed first. */
static int unix_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(unix_path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		die(unix_path);
	}
	strcpy(sa.sun_path, unix_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	if (unlink(unix_path) && errno != ENOENT)
		die(unix_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64))
		die(unix_path);
	return fd;
}

static void open_sockets(void)
{
	if (tcp_port) {
		tcp_fd = inet_socket(SOCK_STREAM, tcp_port);
		if (listen(tcp_fd, 64))
			die("listen");
		say("listening on tcp %d", tcp_port);
	}
	if (udp_port) {
		udp_fd = inet_socket(SOCK_DGRAM, udp_port);
		say("bound udp %d", udp_port);
	}
	if (unix_path) {
		unix_fd = unix_socket();
		say("listening on unix %s", unix_path);
	}
}

static void close_sockets(void)
{
	if (tcp_fd >= 0)
		close(tcp_fd);
	if (udp_fd >= 0)
		close(udp_fd);
	if (unix_fd >= 0)
		close(unix_fd);
	tcp_fd = udp_fd = unix_fd = -1;
	say("sockets closed");
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
		if (unix_fd >= 0)
			close(unix_fd);
		prctl(PR_SET_NAME, worker_name, 0, 0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (;;)
			pause();
	}
	say("worker %s started, pid %d", worker_name, (int)worker);
}

static void stop_worker(void)
{
	kill(worker, SIGKILL);
	waitpid(worker, NULL, 0);
	say("worker %s killed, pid %d", worker_name, (int)worker);
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

/* Trims spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int number(const char *s);

/*
 * The forward inputs of a fluent-bit configuration in the classic format:
 * "[INPUT]" sections whose "Name" is forward; each listens on unix_path if
 * it has one, else on TCP Port (24224 by default). Keys are not case
 * sensitive. Other sections and inputs are skipped.
 */
/* The input read so far, if it is a forward one, is where to listen. */
static void forward_input(const char *name, const char *port, const char *upath)
{
	if (strcasecmp(name, "forward"))
		return;
	if (*upath && !unix_path)
		unix_path = strdup(upath);
	else if (!*upath && !tcp_port)
		tcp_port = *port ? number(port) : 24224;
}

static void read_config(const char *path)
{
	static char buf[16384];
	char *line, *next, name[32] = "", port[8] = "", upath[108] = "";
	int in_input = 0, fd;
	ssize_t n;
	size_t got = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	while (got < sizeof(buf) - 1 && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	for (line = buf; line; line = next) {
		char *key, *val;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = trim(line);
		if (*line == '[') {
			if (in_input)
				forward_input(name, port, upath);
			in_input = !strcasecmp(line, "[INPUT]");
			name[0] = port[0] = upath[0] = '\0';
			continue;
		}
		if (!in_input || !*line || *line == '#')
			continue;
		key = line;
		val = key + strcspn(key, " \t");
		if (*val)
			*val++ = '\0';
		val = trim(val);
		if (!strcasecmp(key, "Name"))
			snprintf(name, sizeof(name), "%s", val);
		else if (!strcasecmp(key, "Port"))
			snprintf(port, sizeof(port), "%s", val);
		else if (!strcasecmp(key, "unix_path"))
			snprintf(upath, sizeof(upath), "%s", val);
	}
	if (in_input)
		forward_input(name, port, upath);
	say("read %s", path);
}

static int number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > 65535) {
		say("%s: not a number from 0 to 65535", s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = { { "config", required_argument, NULL, 'C' }, { NULL, 0, NULL, 0 } };
	int delay = 0, status = -1, opt, sfd;
	long until;
	sigset_t set;

	if (argc > 0 && strrchr(argv[0], '/'))
		me = strrchr(argv[0], '/') + 1;
	else if (argc > 0 && *argv[0])
		me = argv[0];
	if (!strcmp(me, "proxy")) {
		tcp_port = 8080;
		out_fd = STDERR_FILENO;
	}
	while ((opt = getopt_long(argc, argv, "w:t:u:s:d:x:ei:o:m:c:", longs, NULL)) != -1) {
		switch (opt) {
		case 'w': worker_name = optarg; break;
		case 't': tcp_port = number(optarg); break;
		case 'u': udp_port = number(optarg); break;
		case 's': unix_path = optarg; break;
		case 'd': delay = number(optarg); break;
		case 'x': status = number(optarg); break;
		case 'e': out_fd = STDERR_FILENO; break;
		case 'i':
			if (strcmp(optarg, "forward")) {
				say("-i %s: only forward is known here", optarg);
				return 2;
			}
			if (!tcp_port)
				tcp_port = 24224;
			break;
		case 'c': read_config(optarg); break;
		case 'C': case 'o': case 'm': break;
		default:
			say("usage: srv [-w NAME] [-t PORT] [-u PORT] [-s PATH] [-d MS] [-x STATUS] [-e] [--config FILE] [-i forward] [-o OUTPUT] [-m MATCH] [-c FILE]");
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
	say("pid %d, up in %d ms", (int)getpid(), delay);
	until = now_ms() + delay;
	for (;;) {
		struct pollfd p[3] = { { .fd = sfd, .events = POLLIN }, { .fd = tcp_fd, .events = POLLIN },
				       { .fd = unix_fd, .events = POLLIN } };
		struct signalfd_siginfo si;
		long left = until ? until - now_ms() : -1;

		if (until && left <= 0) {
			until = 0;
			if (status >= 0) {
				say("exit %d", status);
				return status;
			}
			if (worker_name)
				start_worker();
			open_sockets();
			continue;
		}
		/* poll skips a negative fd: a socket not open now. */
		if (poll(p, 3, until ? (int)left : -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (p[1].revents & POLLIN) {
			int c = accept4(tcp_fd, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0)
				answer(c);
		}
		if (p[2].revents & POLLIN) {
			int c = accept4(unix_fd, NULL, NULL, SOCK_CLOEXEC);

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
			say("SIGHUP");
			break;
		default:
			say("%s", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			signal((int)si.ssi_signo, SIG_DFL);
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			raise((int)si.ssi_signo);
			return 128 + (int)si.ssi_signo;
		}
	}
}
