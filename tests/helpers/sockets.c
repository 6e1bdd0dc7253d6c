/*
 * sockets: holds the sockets a test needs, then waits to be killed.
 *
 *   sockets MODE ARGS... READYFILE
 *
 *   tcp-listen ADDR PORT V6ONLY   listen on ADDR:PORT (PORT 0: the kernel picks)
 *   udp-bind ADDR PORT V6ONLY     an unconnected UDP socket bound there
 *   udp-connect ADDR PORT         a UDP socket connected to ADDR:PORT
 *   tcp-established ADDR          a connection whose server end keeps the port, no listener left
 *   tcp-busy ADDR N               a listener on ADDR with N established connections to it
 *   tcp-full ADDR                 a listener whose backlog is full: new SYNs are dropped, connect() hangs
 *   unix-listen PATH              a listening stream socket (PATH "@x": abstract)
 *   unix-seqpacket PATH           a listening seqpacket socket
 *   unix-dgram PATH               a bound datagram socket
 *   unix-bound PATH               a stream socket bound, not listening
 *   unix-stale PATH               binds and listens, then exits, leaving the file
 *   tcp-listen-dev ADDR DEV       listen on ADDR, any port, bound to device DEV (SO_BINDTODEVICE)
 *   unix-listen-padded NAME N     listen on abstract NAME followed by N NULs (sizeof(sun_path) style)
 *   unix-swap PATH TARGET         listen at PATH, then replace PATH with a symlink to TARGET
 *
 * V6ONLY is 1, 0, or - (the system default). The port the socket has (or,
 * for unix modes, "ok") goes into READYFILE once it is in place.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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

static void ready_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[16];

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		die("getsockname");
	snprintf(buf, sizeof(buf), "%u", ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
								: ((struct sockaddr_in6 *)&ss)->sin6_port));
	ready(buf);
}

static socklen_t inet_addr_parse(const char *addr, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)atoi(port));
		return sizeof(*in);
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)atoi(port));
		return sizeof(*in6);
	}
	fprintf(stderr, "sockets: bad address %s\n", addr);
	exit(2);
}

static int inet_socket(int type, const char *addr, const char *port, const char *v6only)
{
	struct sockaddr_storage ss;
	socklen_t len = inet_addr_parse(addr, port, &ss);
	int fd = socket(ss.ss_family, type, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6 && strcmp(v6only, "-")) {
		int v = atoi(v6only);

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v)))
			die("IPV6_V6ONLY");
	}
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	return fd;
}

static int unix_socket(int type, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0)
		die("socket");
	if (strlen(path) >= sizeof(sun.sun_path))
		die("path too long");
	strcpy(sun.sun_path, path);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
	if (path[0] == '@') {
		sun.sun_path[0] = '\0';
		len--;  /* an abstract name has no trailing NUL */
	}
	if (bind(fd, (struct sockaddr *)&sun, len))
		die("bind");
	return fd;
}

static void forever(void)
{
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int fd, c;

	if (argc < 3) {
		fprintf(stderr, "usage: sockets MODE ARGS... READYFILE\n");
		return 2;
	}
	ready_path = argv[argc - 1];
	if (!strcmp(mode, "tcp-listen") && argc == 6) {
		fd = inet_socket(SOCK_STREAM, argv[2], argv[3], argv[4]);
		if (listen(fd, 16))
			die("listen");
		ready_port(fd);
		forever();
	}
	if (!strcmp(mode, "udp-bind") && argc == 6) {
		fd = inet_socket(SOCK_DGRAM, argv[2], argv[3], argv[4]);
		ready_port(fd);
		forever();
	}
	if (!strcmp(mode, "udp-connect") && argc == 5) {
		struct sockaddr_storage ss;
		socklen_t len = inet_addr_parse(argv[2], argv[3], &ss);

		fd = socket(ss.ss_family, SOCK_DGRAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len))
			die("connect");
		ready_port(fd);
		forever();
	}
	if (!strcmp(mode, "tcp-established") && argc == 4) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int l = inet_socket(SOCK_STREAM, argv[2], "0", "-");

		if (listen(l, 1) || getsockname(l, (struct sockaddr *)&ss, &len))
			die("listen");
		c = socket(ss.ss_family, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&ss, len))
			die("connect");
		fd = accept(l, NULL, NULL);
		if (fd < 0)
			die("accept");
		ready_port(l);
		close(l);       /* the accepted end keeps the port; nothing listens on it now */
		forever();
	}
	if (!strcmp(mode, "tcp-busy") && argc == 5) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int l = inet_socket(SOCK_STREAM, argv[2], "0", "-"), i, n = atoi(argv[3]);
		struct rlimit rl = { (rlim_t)2 * n + 64, (rlim_t)2 * n + 64 };

		if (setrlimit(RLIMIT_NOFILE, &rl) || listen(l, 4096) || getsockname(l, (struct sockaddr *)&ss, &len))
			die("listen");
		/* Accept as we go: a full backlog would stall connect(). */
		for (i = 0; i < n; i++) {
			c = socket(ss.ss_family, SOCK_STREAM, 0);
			if (c < 0 || connect(c, (struct sockaddr *)&ss, len) || accept(l, NULL, NULL) < 0)
				die("connect");
		}
		ready_port(l);
		forever();
	}
	if (!strcmp(mode, "tcp-full") && argc == 4) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int l = inet_socket(SOCK_STREAM, argv[2], "0", "-"), i;

		/* Backlog 0 holds one connection the server never accepts; the kernel then drops further SYNs. */
		if (listen(l, 0) || getsockname(l, (struct sockaddr *)&ss, &len))
			die("listen");
		for (i = 0; i < 2; i++) {
			c = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (c < 0)
				die("socket");
			connect(c, (struct sockaddr *)&ss, len);
		}
		usleep(200000);
		ready_port(l);
		forever();
	}
	if (!strcmp(mode, "tcp-listen-dev") && argc == 5) {
		struct sockaddr_storage ss;
		socklen_t len = inet_addr_parse(argv[2], "0", &ss);

		fd = socket(ss.ss_family, SOCK_STREAM, 0);
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, argv[3], (socklen_t)strlen(argv[3])))
			die("SO_BINDTODEVICE");
		if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 16))
			die("listen");
		ready_port(fd);
		forever();
	}
	if (!strcmp(mode, "unix-listen-padded") && argc == 5) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		size_t n = strlen(argv[2]), pad = (size_t)atoi(argv[3]);

		if (1 + n + pad > sizeof(sun.sun_path))
			die("name too long");
		memcpy(sun.sun_path + 1, argv[2], n);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sun, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n + pad)) ||
		    listen(fd, 16))
			die("bind");
		ready("ok");
		forever();
	}
	if (!strcmp(mode, "unix-swap") && argc == 5) {
		char tmp[4096];

		fd = unix_socket(SOCK_STREAM, argv[2]);
		if (listen(fd, 16))
			die("listen");
		snprintf(tmp, sizeof(tmp), "%s.swap", argv[2]);
		if (symlink(argv[3], tmp) || rename(tmp, argv[2]))
			die("symlink");
		ready("ok");
		forever();
	}
	if (argc == 4 && !strncmp(mode, "unix-", 5)) {
		if (!strcmp(mode, "unix-listen") || !strcmp(mode, "unix-stale") || !strcmp(mode, "unix-seqpacket")) {
			fd = unix_socket(mode[5] == 's' && mode[6] == 'e' ? SOCK_SEQPACKET : SOCK_STREAM, argv[2]);
			if (listen(fd, 16))
				die("listen");
			if (!strcmp(mode, "unix-stale")) {
				ready("ok");
				return 0;
			}
		} else if (!strcmp(mode, "unix-dgram")) {
			fd = unix_socket(SOCK_DGRAM, argv[2]);
		} else if (!strcmp(mode, "unix-bound")) {
			fd = unix_socket(SOCK_STREAM, argv[2]);
		} else {
			fprintf(stderr, "sockets: unknown mode %s\n", mode);
			return 2;
		}
		ready("ok");
		forever();
	}
	fprintf(stderr, "sockets: unknown mode or wrong arguments: %s\n", mode);
	return 2;
}
