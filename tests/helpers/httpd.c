/*
 * httpd: a test HTTP server whose answer the request path picks.
 *
 *   httpd [UNIXPATH] READYFILE
 *
 * Listens on [::] (dual stack) on a port the kernel picks, writes it to
 * READYFILE (or on the unix socket UNIXPATH, @NAME for an abstract one, and
 * writes "ok"), and serves each connection in a child; GET and HEAD, the
 * answer to HEAD without its body:
 *   /200 /204 /301 /404 /500 /503   that status, a few headers, a body
 *   /garbage                        a line that is no status line
 *   /endless-header                 200, then headers that never end
 *   /endless-status                 "HTTP/1.1 200 " and then bytes without a newline
 *   /hang                           reads the request, never answers
 *   /close                          closes without a word
 *   /echo                           200, with the request it got as the body
 *   /continue                       100 Continue, then 200
 *   /hints503                       103 Early Hints with a header, then 503
 *   /continue-endless               100 Continue again and again, as fast as it goes
 *   /continue-endless-header        100 Continue, then header lines that never end
 *   /continue-drip                  100 Continue every 50 ms, for ever
 *   /continue-close                 100 Continue, then closes
 *   /hints-close                    103 Early Hints, then closes in its headers
 *   /leading-crlf                   an empty line, then 200
 *   /once-200/PATH                  the first /once-200/ request 200, every later one as PATH
 *                                   after writing READYFILE.again (it is being served)
 *   /NNN                            that status (100 to 599 but 1xx), with Content-Length
 *   /text/WORDS                     200, "status: WORDS" with Content-Length
 *   /chunked                        200, "all systems ready" in chunks (split inside "ready"),
 *                                   a chunk extension, and a trailer
 *   /chunked-bad                    200, chunked, and a chunk size that is no number
 *   /to-close                       200, neither length nor chunks: the body ends at the close
 *   /big                            200, 70000 bytes of 'x', then "needle"
 *   /cut                            200, Content-Length: 100, 7 bytes, then closes
 *   /stall-body                     200, Content-Length: 100, 7 bytes, then nothing
 *   /gzip                           200 with Content-Encoding: gzip
 *   anything else                   404
 */
#include <netinet/in.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

static const char *ready_path;

static void say(int fd, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(fd, s, n);

		if (w <= 0)
			exit(0);
		s += w;
		n -= (size_t)w;
	}
}

static void serve(int fd)
{
	char req[4096], path[256] = "", method[16] = "", out[8192];
	size_t got = 0;
	int head;

	/* Up to the end of the headers. */
	while (got < sizeof(req) - 1 && !strstr(req, "\r\n\r\n")) {
		ssize_t n = read(fd, req + got, sizeof(req) - 1 - got);

		if (n <= 0)
			exit(0);
		got += (size_t)n;
		req[got] = '\0';
	}
	sscanf(req, "%15s %255s", method, path);
	head = !strcmp(method, "HEAD");
	if (!strncmp(path, "/once-200/", 10)) {
		char mark[4200];
		int m;

		/* The first to create the mark is the first request: every later one finds it. */
		snprintf(mark, sizeof(mark), "%s.once", ready_path);
		m = open(mark, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (m >= 0) {
			close(m);
			strcpy(path, "/200");
		} else {
			FILE *f;

			snprintf(mark, sizeof(mark), "%s.again", ready_path);
			f = fopen(mark, "w");
			if (f) {
				fputs("1\n", f);
				fclose(f);
			}
			memmove(path, path + 9, strlen(path + 9) + 1);
		}
	}
	if (!strcmp(path, "/hang")) {
		for (;;)
			pause();
	}
	if (!strcmp(path, "/close"))
		exit(0);
	if (!strcmp(path, "/garbage")) {
		say(fd, "SSH-2.0-OpenSSH_9.2\r\n");
	} else if (!strcmp(path, "/endless-header")) {
		say(fd, "HTTP/1.1 200 OK\r\n");
		for (;;)
			say(fd, "X-Endless: yes\r\n");
	} else if (!strcmp(path, "/endless-status")) {
		say(fd, "HTTP/1.1 200 ");
		for (;;)
			say(fd, "xxxxxxxxxxxxxxxx");
	} else if (!strcmp(path, "/continue")) {
		say(fd, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	} else if (!strcmp(path, "/continue-endless") || !strcmp(path, "/continue-endless-header")) {
		int header = strcmp(path, "/continue-endless") != 0;
		const char *one = header ? "X-Endless: yes\r\n" : "HTTP/1.1 100 Continue\r\n\r\n";
		size_t n = 0, len = strlen(one);

		/* Whole buffers at a time, so the client seldom finds the socket empty: its poll stays ready. */
		while (n + len < sizeof(out)) {
			memcpy(out + n, one, len);
			n += len;
		}
		out[n] = '\0';
		if (header)
			say(fd, "HTTP/1.1 100 Continue\r\n");
		for (;;)
			say(fd, out);
	} else if (!strcmp(path, "/continue-drip")) {
		for (;;) {
			say(fd, "HTTP/1.1 100 Continue\r\n\r\n");
			nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
		}
	} else if (!strcmp(path, "/continue-close")) {
		say(fd, "HTTP/1.1 100 Continue\r\n\r\n");
		exit(0);
	} else if (!strcmp(path, "/hints-close")) {
		say(fd, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>");
		exit(0);
	} else if (!strcmp(path, "/leading-crlf")) {
		say(fd, "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	} else if (!strcmp(path, "/hints503")) {
		say(fd, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
			"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	} else if (!strcmp(path, "/echo")) {
		snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s", got,
			 head ? "" : req);
		say(fd, out);
	} else if (!strncmp(path, "/text/", 6)) {
		snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\nstatus: %s\n",
			 strlen(path + 6) + 9, path + 6);
		say(fd, out);
	} else if (!strcmp(path, "/chunked")) {
		say(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		say(fd, "e;name=value\r\nall systems re\r\n");
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
		say(fd, "3\r\nady\r\n0\r\nX-Trailer: yes\r\n\r\n");
	} else if (!strcmp(path, "/chunked-bad")) {
		say(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nready\r\n0\r\n\r\n");
	} else if (!strcmp(path, "/to-close")) {
		say(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nalive\n");
	} else if (!strcmp(path, "/big")) {
		say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 70006\r\n\r\n");
		memset(out, 'x', 7000);
		out[7000] = '\0';
		for (int i = 0; i < 10; i++)
			say(fd, out);
		say(fd, "needle");
	} else if (!strcmp(path, "/cut") || !strcmp(path, "/stall-body")) {
		say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
		if (path[1] == 's') {
			for (;;)
				pause();
		}
		exit(0);
	} else if (!strcmp(path, "/gzip")) {
		say(fd, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00");
	} else {
		int code = atoi(path + 1);
		const char *reason = code == 200 ? "OK" : code == 204 ? "No Content" : code == 301 ? "Moved Permanently"
				   : code == 500 ? "Internal Server Error" : code == 503 ? "Service Unavailable"
				   : code >= 200 && code <= 599 && code != 404 ? "Other" : NULL;

		if (!reason) {
			code = 404;
			reason = "Not Found";
		}
		snprintf(out, sizeof(out),
			 "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n%s\r\n%s",
			 code, reason, code == 301 ? "Location: /200\r\n" : "", head || code == 204 ? "" : "body\n");
		say(fd, out);
	}
	shutdown(fd, SHUT_WR);
	/* Let the client read and close first. */
	while (read(fd, req, sizeof(req)) > 0)
		;
	exit(0);
}

int main(int argc, char **argv)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sa);
	int fd, zero = 0, one = 1;
	char tmp[4096];
	FILE *f;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: httpd [UNIXPATH] READYFILE\n");
		return 2;
	}
	ready_path = argv[argc - 1];
	signal(SIGCHLD, SIG_IGN);       /* children are reaped by the kernel */
	if (argc == 3) {
		size_t n = strlen(argv[1]);

		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (n >= sizeof(su.sun_path)) {
			fprintf(stderr, "httpd: %s: too long\n", argv[1]);
			return 2;
		}
		memcpy(su.sun_path, argv[1], n);
		if (su.sun_path[0] == '@')
			su.sun_path[0] = '\0';
		else
			unlink(argv[1]);
		if (fd < 0 || bind(fd, (struct sockaddr *)&su, su.sun_path[0] ? sizeof(su) : offsetof(struct sockaddr_un, sun_path) + n) ||
		    listen(fd, 64)) {
			perror("httpd");
			return 1;
		}
	} else {
		fd = socket(AF_INET6, SOCK_STREAM, 0);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64) ||
		    getsockname(fd, (struct sockaddr *)&sa, &len)) {
			perror("httpd");
			return 1;
		}
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", ready_path);
	f = fopen(tmp, "w");
	if (!f || (argc == 3 ? fprintf(f, "ok\n") : fprintf(f, "%u\n", ntohs(sa.sin6_port))) < 0 || fclose(f) ||
	    rename(tmp, ready_path)) {
		perror(ready_path);
		return 1;
	}
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			continue;
		if (fork() == 0) {
			/* Gone with the server: a child hung on /hang must not outlive the test. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(fd);
			serve(c);
		}
		close(c);
	}
}
