/*
 * lib/conn.c: conn_run against real sockets on the loopback and in a
 * mkdtemp directory: listening, bound but not listening (refused, and the
 * port stays ours, so no other process can take it), "localhost" tried on
 * both families, unix= paths and abstract names of this process's own, a
 * protocol through conn_ops against a server thread, the deadline, many
 * connections in one run. Each result with its exact line.
 *
 * conn_run returns only when every connection has ended, so a server that
 * must answer runs in a thread of its own; every wait in it is bounded.
 */
#include "fixture.h"

#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <grp.h>

#include "lib/clock.h"
#include "lib/conn.h"
#include "lib/line.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* A run that should end at once is given this long; one that waits for the deadline, DEADLINE_MS. */
#define QUICK_MS 2000
#define DEADLINE_MS 200
/* The server thread's longest wait for anything: it never outlives a broken test by more. */
#define SERVER_WAIT_MS 3000

/* The directory the unix= sockets are made in; removed by the group teardown. */
static char dir[64];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int dir_make(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/healthy-test-conn.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int dir_remove(void **state)
{
	(void)state;
	chmod(dir, 0700);
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* DIR/name, in buf. */
static const char *in_dir(char *buf, size_t size, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
		fail_msg("%s: path too long for the buffer", name);
	return buf;
}

/*
 * A TCP socket bound to the family's loopback at port (0: any), listening
 * when asked; *got is its port. -1 and errno when the family or the port
 * cannot be had.
 */
static int tcp_socket(int family, uint16_t port, bool listening, uint16_t *got)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, e;

	if (fd < 0)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		in6->sin6_addr = in6addr_loopback;
		len = sizeof(*in6);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*in);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) || (listening && listen(fd, 8)) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	*got = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static int tcp_or_fail(int family, uint16_t port, bool listening, uint16_t *got)
{
	int fd = tcp_socket(family, port, listening, got);

	if (fd < 0)
		fail_msg("tcp socket (family %d, port %u): %s", family, port, strerror(errno));
	return fd;
}

/* Whether this machine has IPv6 on its loopback; a note when not, so that a skip is never silent. */
static bool have_ipv6(void)
{
	uint16_t port;
	int fd = tcp_socket(AF_INET6, 0, false, &port);

	if (fd < 0) {
		print_message("note: no IPv6 loopback here (%s): the [::1] rows are skipped\n", strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

/* A unix socket at path ("@NAME": abstract), listening with backlog (< 0: bound, not listening). */
static int unix_socket(const char *path, int backlog)
{
	struct sockaddr_un un;
	size_t n = strlen(path);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || n >= sizeof(un.sun_path)) {
		fail_msg("unix socket %s: %s", path, fd < 0 ? strerror(errno) : "path too long");
		return -1;
	}
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memcpy(un.sun_path, path, n);
	if (path[0] == '@')
		un.sun_path[0] = '\0';
	if (bind(fd, (struct sockaddr *)&un, len) || (backlog >= 0 && listen(fd, backlog))) {
		fail_msg("bind/listen %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* "@healthy-test-conn-PID-tag": this process's own abstract name. */
static const char *abstract_name(char *buf, size_t size, const char *tag)
{
	snprintf(buf, size, "@healthy-test-conn-%ld-%s", (long)getpid(), tag);
	return buf;
}

/* A connection to where the test says, with ops (NULL: a bare connect) and its own line. */
static void conn_init(struct conn *k, struct line *why, const char *host, uint16_t port, const char *unix_path,
		      const struct conn_ops *ops)
{
	memset(k, 0, sizeof(*k));
	line_reset(why);
	k->host = host;
	k->port = port;
	k->unix_path = unix_path;
	k->unix_len = unix_path ? strlen(unix_path) : 0;
	k->ops = ops;
	k->why = why;
}

static void run(struct conn **ks, size_t n, uint64_t ms)
{
	conn_run(ks, n, clock_ms() + ms, ms);
}

/* k ended with r and exactly the line fmt says, and holds no descriptor. */
static void want(const char *row, const struct conn *k, enum conn_result r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void want(const char *row, const struct conn *k, enum conn_result r, const char *fmt, ...)
{
	char line[LINE_SIZE];
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ROW_MEM(row, k->why->buf, k->why->len, line, strlen(line));
	ROW_INT(row, k->result, r);
	ROW_INT(row, k->phase, CONN_DONE);
	for (i = 0; i < k->ntargets; i++)
		ROW_INT(row, k->t[i].fd, -1);
}

/*
 * The test's server: accepts one connection, reads `want` bytes of request,
 * then does what mode says. It keeps what it read, and how the client's
 * side ended (0: a FIN; else the errno of the read).
 */
enum serve {
	SERVE_ANSWER,           /* writes the answer, then reads until the client closes */
	SERVE_ANSWER_CLOSE,     /* writes the answer and closes */
	SERVE_CLOSE,            /* closes without a word */
	SERVE_RESET,            /* closes with a reset (SO_LINGER 0) */
};

struct server {
	int lfd;
	enum serve mode;
	size_t want;
	const char *answer;
	char got[256];
	size_t got_len;
	int end_err;
	const char *trouble;    /* what went wrong in the thread, or NULL */
	pthread_t tid;
};

/* Waits for events on fd, bounded; false when they did not come. */
static bool wait_for(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };

	return poll(&p, 1, SERVER_WAIT_MS) == 1;
}

static void *serve(void *arg)
{
	struct server *s = arg;
	int fd;
	ssize_t r;

	if (!wait_for(s->lfd, POLLIN) || (fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		s->trouble = "no connection came";
		return NULL;
	}
	while (s->got_len < s->want) {
		if (!wait_for(fd, POLLIN) || (r = read(fd, s->got + s->got_len, s->want - s->got_len)) <= 0) {
			s->trouble = "the request did not come whole";
			close(fd);
			return NULL;
		}
		s->got_len += (size_t)r;
	}
	if (s->mode == SERVE_RESET) {
		struct linger l = { 1, 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	}
	if ((s->mode == SERVE_ANSWER || s->mode == SERVE_ANSWER_CLOSE) &&
	    write(fd, s->answer, strlen(s->answer)) != (ssize_t)strlen(s->answer))
		s->trouble = "the answer was not written whole";
	if (s->mode == SERVE_ANSWER) {
		/* Whatever more the client sends (an ACK), up to its close: a FIN, or a reset. */
		for (;;) {
			if (!wait_for(fd, POLLIN)) {
				s->trouble = "the client never closed";
				break;
			}
			r = read(fd, s->got + s->got_len, sizeof(s->got) - 1 - s->got_len);
			if (r <= 0) {
				s->end_err = r < 0 ? errno : 0;
				break;
			}
			s->got_len += (size_t)r;
		}
	}
	close(fd);
	return NULL;
}

static void server_start(struct server *s, int lfd, enum serve mode, size_t want_bytes, const char *answer)
{
	memset(s, 0, sizeof(*s));
	s->lfd = lfd;
	s->mode = mode;
	s->want = want_bytes;
	s->answer = answer;
	if (pthread_create(&s->tid, NULL, serve, s))
		fail_msg("pthread_create: the server thread did not start");
}

static void server_join(const char *row, struct server *s)
{
	pthread_join(s->tid, NULL);
	close(s->lfd);
	if (s->trouble)
		fail_msg("%s: server: %s", row, s->trouble);
}

/*
 * A protocol of the test's: up sends req; readable reads, and passes on
 * the expected answer (or, with expect NULL, at the end of the stream);
 * late writes "waited".
 */
struct talk {
	struct conn k;          /* first: the ops get &t->k */
	struct line why;
	const char *req;
	const char *expect;
	const char *ack;        /* sent with conn_reply() once the answer is in */
	bool drain;             /* read only the answer, conn_drain() the rest */
	char got[256];
	size_t got_len;
	int ups, readables, eofs, lates;
	uint64_t late_ms;
};

static void talk_up(struct conn *k)
{
	struct talk *t = (struct talk *)k;

	t->ups++;
	ROW_INT("up", k->phase, CONN_OPEN);
	if (t->req)
		conn_send(k, t->req, strlen(t->req));
}

static void talk_readable(struct conn *k)
{
	struct talk *t = (struct talk *)k;
	size_t room = sizeof(t->got) - 1 - t->got_len;
	ssize_t r;

	t->readables++;
	if (t->drain && t->expect && room > strlen(t->expect) - t->got_len)
		room = strlen(t->expect) - t->got_len;
	r = conn_read(k, t->got + t->got_len, room);
	if (r < 0)
		return;
	if (r == 0) {
		t->eofs++;
		if (t->expect) {
			line_str(k->why, "closed before it answered");
			conn_end(k, CONN_FAIL);
			return;
		}
		line_str(k->why, "ok: read ");
		line_uint(k->why, t->got_len);
		line_str(k->why, " bytes to the end from ");
		conn_addr(k->why, k);
		conn_end(k, CONN_PASS);
		return;
	}
	t->got_len += (size_t)r;
	if (!t->expect || t->got_len < strlen(t->expect))
		return;
	if (t->got_len != strlen(t->expect) || memcmp(t->got, t->expect, t->got_len)) {
		line_str(k->why, "a wrong answer");
		conn_end(k, CONN_FAIL);
		return;
	}
	if (t->ack)
		conn_reply(k, t->ack, strlen(t->ack));
	if (t->drain)
		conn_drain(k, 4096);
	line_str(k->why, "ok: answered by ");
	conn_addr(k->why, k);
	conn_end(k, CONN_PASS);
}

static void talk_late(struct conn *k, uint64_t timeout_ms)
{
	struct talk *t = (struct talk *)k;

	t->lates++;
	t->late_ms = timeout_ms;
	line_str(k->why, "waited");
}

static const struct conn_ops talk_ops = { talk_up, talk_readable, talk_late };

static void talk_init(struct talk *t, const char *host, uint16_t port, const char *unix_path, const char *req,
		      const char *expect)
{
	memset(t, 0, sizeof(*t));
	conn_init(&t->k, &t->why, host, port, unix_path, &talk_ops);
	t->req = req;
	t->expect = expect;
}

static void bare_connect_to_a_listening_127_0_0_1_passes_with_its_address(void **state)
{
	uint16_t port;
	int lfd = tcp_or_fail(AF_INET, 0, true, &port);
	struct line why;
	struct conn k, *ks[] = { &k };

	(void)state;
	conn_init(&k, &why, "127.0.0.1", port, NULL, NULL);
	run(ks, 1, QUICK_MS);
	close(lfd);
	want("127.0.0.1", &k, CONN_PASS, "ok: connected to 127.0.0.1:%u", port);
}

static void bare_connect_to_a_listening_ipv6_loopback_passes_with_brackets(void **state)
{
	uint16_t port;
	struct line why;
	struct conn k, *ks[] = { &k };
	int lfd;

	(void)state;
	if (!have_ipv6()) {
		skip();
		return;
	}
	lfd = tcp_or_fail(AF_INET6, 0, true, &port);
	conn_init(&k, &why, "::1", port, NULL, NULL);
	run(ks, 1, QUICK_MS);
	close(lfd);
	want("::1", &k, CONN_PASS, "ok: connected to [::1]:%u", port);
}

/* A port bound but not listening answers a SYN with a reset, and no other process can take it meanwhile. */
static void bound_but_not_listening_port_is_connection_refused(void **state)
{
	uint16_t port;
	int fd = tcp_or_fail(AF_INET, 0, false, &port);
	struct line why;
	struct conn k, *ks[] = { &k };

	(void)state;
	conn_init(&k, &why, "127.0.0.1", port, NULL, NULL);
	run(ks, 1, QUICK_MS);
	want("127.0.0.1 refused", &k, CONN_FAIL, "connection refused (127.0.0.1:%u)", port);
	ROW_INT("127.0.0.1 refused", k.t[0].err, ECONNREFUSED);
	close(fd);
}

static void bound_but_not_listening_ipv6_port_is_connection_refused(void **state)
{
	uint16_t port;
	struct line why;
	struct conn k, *ks[] = { &k };
	int fd;

	(void)state;
	if (!have_ipv6()) {
		skip();
		return;
	}
	fd = tcp_or_fail(AF_INET6, 0, false, &port);
	conn_init(&k, &why, "::1", port, NULL, NULL);
	run(ks, 1, QUICK_MS);
	want("::1 refused", &k, CONN_FAIL, "connection refused ([::1]:%u)", port);
	close(fd);
}

/*
 * One port held on both loopbacks, bound or listening as asked: the same
 * number free on ::1 as on 127.0.0.1 may take a few tries.
 */
static void port_on_both(bool listen4, bool listen6, int *fd4, int *fd6, uint16_t *port)
{
	int i;

	for (i = 0; i < 50; i++) {
		uint16_t p6;

		*fd4 = tcp_or_fail(AF_INET, 0, listen4, port);
		*fd6 = tcp_socket(AF_INET6, *port, listen6, &p6);
		if (*fd6 >= 0)
			return;
		close(*fd4);
	}
	fail_msg("no port free on both 127.0.0.1 and ::1 in 50 tries");
}

/* RFC 6761 localhost is both loopbacks, ::1 first; both refusing make one line, in that order, every time. */
static void localhost_refused_on_both_loopbacks_is_one_line_v6_first(void **state)
{
	static const char *const hosts[] = { "localhost", "LocalHost", "db.localhost" };
	uint16_t port;
	struct line why;
	struct conn k, *ks[] = { &k };
	int fd4, fd6, round;
	size_t i;

	(void)state;
	if (!have_ipv6()) {
		skip();
		return;
	}
	port_on_both(false, false, &fd4, &fd6, &port);
	for (round = 0; round < 5; round++) {
		for (i = 0; i < ROWS(hosts); i++) {
			conn_init(&k, &why, hosts[i], port, NULL, NULL);
			run(ks, 1, QUICK_MS);
			want(hosts[i], &k, CONN_FAIL, "connection refused ([::1]:%u, 127.0.0.1:%u)", port, port);
			ROW_INT(hosts[i], k.ntargets, 2);
		}
	}
	close(fd4);
	close(fd6);
}

/* The other address's refusal is not reported once one connects: the first to answer wins. */
static void localhost_passes_on_whichever_loopback_listens(void **state)
{
	uint16_t port;
	struct line why;
	struct conn k, *ks[] = { &k };
	int fd4, fd6;

	(void)state;
	if (!have_ipv6()) {
		skip();
		return;
	}
	port_on_both(true, false, &fd4, &fd6, &port);
	conn_init(&k, &why, "localhost", port, NULL, NULL);
	run(ks, 1, QUICK_MS);
	want("only 127.0.0.1 listens", &k, CONN_PASS, "ok: connected to 127.0.0.1:%u", port);
	close(fd4);
	close(fd6);

	port_on_both(false, true, &fd4, &fd6, &port);
	conn_init(&k, &why, "localhost", port, NULL, NULL);
	run(ks, 1, QUICK_MS);
	want("only ::1 listens", &k, CONN_PASS, "ok: connected to [::1]:%u", port);
	close(fd4);
	close(fd6);
}

static void unix_path_that_does_not_exist_is_no_such_socket(void **state)
{
	char path[128], odd[128];
	struct line why;
	struct conn k, *ks[] = { &k };

	(void)state;
	in_dir(path, sizeof(path), "absent.sock");
	conn_init(&k, &why, NULL, 0, path, NULL);
	run(ks, 1, QUICK_MS);
	want("absent", &k, CONN_FAIL, "no such socket (%s)", path);
	ROW_INT("absent", k.t[0].err, ENOENT);

	/* The path is the user's: a newline in it is escaped, not a second line. */
	in_dir(odd, sizeof(odd), "two\nlines.sock");
	conn_init(&k, &why, NULL, 0, odd, NULL);
	run(ks, 1, QUICK_MS);
	want("newline", &k, CONN_FAIL, "no such socket (%s/two\\nlines.sock)", dir);
}

static void unix_path_listening_passes_with_the_path(void **state)
{
	char path[128];
	struct line why;
	struct conn k, *ks[] = { &k };
	int lfd;

	(void)state;
	lfd = unix_socket(in_dir(path, sizeof(path), "listening.sock"), 8);
	conn_init(&k, &why, NULL, 0, path, NULL);
	run(ks, 1, QUICK_MS);
	close(lfd);
	want("listening", &k, CONN_PASS, "ok: connected to %s", path);
}

/* A socket file whose server is gone (bound, never listening) refuses. */
static void unix_path_bound_but_not_listening_is_connection_refused(void **state)
{
	char path[128];
	struct line why;
	struct conn k, *ks[] = { &k };
	int fd;

	(void)state;
	fd = unix_socket(in_dir(path, sizeof(path), "bound.sock"), -1);
	conn_init(&k, &why, NULL, 0, path, NULL);
	run(ks, 1, QUICK_MS);
	close(fd);
	want("bound", &k, CONN_FAIL, "connection refused (%s)", path);
}

static void unix_abstract_name_listening_passes_and_absent_is_refused(void **state)
{
	char name[96], absent[96];
	struct line why;
	struct conn k, *ks[] = { &k };
	int lfd;

	(void)state;
	lfd = unix_socket(abstract_name(name, sizeof(name), "listening"), 8);
	conn_init(&k, &why, NULL, 0, name, NULL);
	run(ks, 1, QUICK_MS);
	close(lfd);
	want(name, &k, CONN_PASS, "ok: connected to %s", name);

	/* No file to be missing: an abstract name nobody holds is refused. */
	conn_init(&k, &why, NULL, 0, abstract_name(absent, sizeof(absent), "absent"), NULL);
	run(ks, 1, QUICK_MS);
	want(absent, &k, CONN_FAIL, "connection refused (%s)", absent);
}

/* A unix listener's queue full: a non-blocking connect is told EAGAIN at once (net/unix/af_unix.c). */
static void unix_listener_with_a_full_backlog_says_so(void **state)
{
	char path[128];
	struct line why;
	struct conn k, *ks[] = { &k };
	struct sockaddr_un un;
	int lfd, filler;

	(void)state;
	lfd = unix_socket(in_dir(path, sizeof(path), "full.sock"), 0);
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	strcpy(un.sun_path, path);
	filler = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (filler < 0 || connect(filler, (struct sockaddr *)&un, sizeof(un)))
		fail_msg("filler connect %s: %s", path, strerror(errno));
	conn_init(&k, &why, NULL, 0, path, NULL);
	run(ks, 1, QUICK_MS);
	close(filler);
	close(lfd);
	want("full", &k, CONN_FAIL, "the listener's backlog is full (%s)", path);
}

/*
 * EACCES says nothing of the service. uid 0 searches any directory, so as
 * root the connect runs in a child that became nobody (65534), which tells
 * by its exit status whether the result and the line were the ones wanted.
 */
static void unix_path_in_a_directory_healthy_may_not_search_is_an_error(void **state)
{
	char sub[128], path[160], wanted[256];
	struct line why;
	struct conn k, *ks[] = { &k };
	int lfd, status = 0;
	pid_t pid = 0;

	(void)state;
	if (mkdir(in_dir(sub, sizeof(sub), "locked"), 0700))
		fail_msg("mkdir %s: %s", sub, strerror(errno));
	snprintf(path, sizeof(path), "%s/s.sock", sub);
	snprintf(wanted, sizeof(wanted), "permission denied (%s)", path);
	lfd = unix_socket(path, 8);
	chmod(sub, 0);
	conn_init(&k, &why, NULL, 0, path, NULL);
	if (geteuid() == 0) {
		pid = fork();
		if (pid == 0) {
			if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
				_exit(2);
			run(ks, 1, QUICK_MS);
			_exit(k.result == CONN_ERROR && why.len == strlen(wanted) && !memcmp(why.buf, wanted, why.len) ? 0 : 1);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			fail_msg("fork or waitpid: %s", strerror(errno));
	} else {
		run(ks, 1, QUICK_MS);
	}
	chmod(sub, 0700);
	close(lfd);
	if (pid) {
		ROW_INT("locked, as nobody: the child's exit (0: the line wanted; 1: another; 2: no setresuid)",
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), 0);
		return;
	}
	want("locked", &k, CONN_ERROR, "%s", wanted);
}

/* up sends, the server thread answers, readable passes; the server took exactly the request. */
static void protocol_request_and_answer_over_tcp_passes(void **state)
{
	static const char req[] = "PING 1\r\n", answer[] = "PONG 1\r\n";
	struct server s;
	struct talk t;
	struct conn *ks[] = { &t.k };
	uint16_t port;

	(void)state;
	server_start(&s, tcp_or_fail(AF_INET, 0, true, &port), SERVE_ANSWER, strlen(req), answer);
	talk_init(&t, "127.0.0.1", port, NULL, req, answer);
	run(ks, 1, QUICK_MS);
	server_join("tcp", &s);
	want("tcp", &t.k, CONN_PASS, "ok: answered by 127.0.0.1:%u", port);
	ROW_MEM("tcp: the server took", s.got, s.got_len, req, strlen(req));
	ROW_MEM("tcp: the client took", t.got, t.got_len, answer, strlen(answer));
	ROW_INT("tcp: ups", t.ups, 1);
	ROW_INT("tcp: lates", t.lates, 0);
	ROW_INT("tcp: the client's close", s.end_err, 0);
}

/* A unix connect completes inside connect(): up runs before the poll loop, and the protocol goes on in it. */
static void protocol_over_unix_and_abstract_with_an_ack_passes(void **state)
{
	static const char req[] = "hello", answer[] = "world", ack[] = "ack";
	char path[128], name[96];
	const char *where[] = { in_dir(path, sizeof(path), "talk.sock"), abstract_name(name, sizeof(name), "talk") };
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(where); i++) {
		struct server s;
		struct talk t;
		struct conn *ks[] = { &t.k };
		char sent[16];

		server_start(&s, unix_socket(where[i], 8), SERVE_ANSWER, strlen(req), answer);
		talk_init(&t, NULL, 0, where[i], req, answer);
		t.ack = ack;
		run(ks, 1, QUICK_MS);
		server_join(where[i], &s);
		want(where[i], &t.k, CONN_PASS, "ok: answered by %s", where[i]);
		snprintf(sent, sizeof(sent), "%s%s", req, ack);
		ROW_MEM(where[i], s.got, s.got_len, sent, strlen(sent));
		ROW_INT(where[i], t.ups, 1);
	}
}

/* Bytes past the answer, drained before the close: the server sees a FIN, not a reset. */
static void protocol_drain_lets_the_server_see_a_fin(void **state)
{
	static const char req[] = "q", answer[] = "answer and then some trailing bytes";
	struct server s;
	struct talk t;
	struct conn *ks[] = { &t.k };
	uint16_t port;

	(void)state;
	server_start(&s, tcp_or_fail(AF_INET, 0, true, &port), SERVE_ANSWER, strlen(req), answer);
	talk_init(&t, "127.0.0.1", port, NULL, req, "answer");
	t.drain = true;
	run(ks, 1, QUICK_MS);
	server_join("drain", &s);
	want("drain", &t.k, CONN_PASS, "ok: answered by 127.0.0.1:%u", port);
	ROW_INT("drain: the client's close", s.end_err, 0);
}

/* conn_read is 0 at the server's close: a protocol that reads to the end passes there with all of it. */
static void conn_read_returns_0_at_the_servers_close(void **state)
{
	static const char req[] = "GET\n", answer[] = "everything, then the close";
	struct server s;
	struct talk t;
	struct conn *ks[] = { &t.k };
	uint16_t port;

	(void)state;
	server_start(&s, tcp_or_fail(AF_INET, 0, true, &port), SERVE_ANSWER_CLOSE, strlen(req), answer);
	talk_init(&t, "127.0.0.1", port, NULL, req, NULL);
	run(ks, 1, QUICK_MS);
	server_join("to the end", &s);
	want("to the end", &t.k, CONN_PASS, "ok: read %zu bytes to the end from 127.0.0.1:%u", strlen(answer), port);
	ROW_MEM("to the end", t.got, t.got_len, answer, strlen(answer));
	ROW_INT("to the end: eofs", t.eofs, 1);
}

static void server_closing_without_an_answer_fails_with_the_protocols_line(void **state)
{
	static const char req[] = "PING\n";
	struct server s;
	struct talk t;
	struct conn *ks[] = { &t.k };
	uint16_t port;

	(void)state;
	server_start(&s, tcp_or_fail(AF_INET, 0, true, &port), SERVE_CLOSE, strlen(req), NULL);
	talk_init(&t, "127.0.0.1", port, NULL, req, "PONG\n");
	run(ks, 1, QUICK_MS);
	server_join("closed", &s);
	want("closed", &t.k, CONN_FAIL, "closed before it answered");
	ROW_MEM("closed: the server took", s.got, s.got_len, req, strlen(req));
	ROW_INT("closed: eofs", t.eofs, 1);
	ROW_INT("closed: lates", t.lates, 0);
}

/* A read that fails ends k itself; with no line of the protocol's, the reason and the address are the line. */
static void server_reset_ends_the_read_with_connection_reset(void **state)
{
	static const char req[] = "PING\n";
	struct server s;
	struct talk t;
	struct conn *ks[] = { &t.k };
	uint16_t port;

	(void)state;
	server_start(&s, tcp_or_fail(AF_INET, 0, true, &port), SERVE_RESET, strlen(req), NULL);
	talk_init(&t, "127.0.0.1", port, NULL, req, "PONG\n");
	run(ks, 1, QUICK_MS);
	server_join("reset", &s);
	want("reset", &t.k, CONN_FAIL, "connection reset (127.0.0.1:%u)", port);
	ROW_INT("reset: eofs", t.eofs, 0);
}

/*
 * The kernel completes the handshake into the backlog, the request goes,
 * no answer ever comes: at the deadline late says what was awaited, and the
 * connection fails.
 */
static void deadline_while_open_calls_late_once_and_fails_with_its_line(void **state)
{
	uint16_t port;
	int lfd = tcp_or_fail(AF_INET, 0, true, &port);
	struct talk t;
	struct conn *ks[] = { &t.k };

	(void)state;
	talk_init(&t, "127.0.0.1", port, NULL, "anyone?", "yes");
	run(ks, 1, DEADLINE_MS);
	close(lfd);
	want("silent", &t.k, CONN_FAIL, "waited");
	ROW_INT("silent: ups", t.ups, 1);
	ROW_INT("silent: lates", t.lates, 1);
	ROW_INT("silent: late's timeout", t.late_ms, DEADLINE_MS);
	ROW_INT("silent: readables", t.readables, 0);
}

/* Past the deadline already: one look without waiting, and what connected at once still counts. */
static void deadline_already_past_still_takes_what_is_done(void **state)
{
	char path[128];
	struct line why;
	struct conn k, *ks[] = { &k };
	int lfd;

	(void)state;
	lfd = unix_socket(in_dir(path, sizeof(path), "past.sock"), 8);
	conn_init(&k, &why, NULL, 0, path, NULL);
	conn_run(ks, 1, clock_ms() - 1, 100);
	close(lfd);
	want("past", &k, CONN_PASS, "ok: connected to %s", path);
}

/* One run, many connections, each its own result and line, whatever the others do. */
static void several_connections_in_one_run_each_get_their_own_line(void **state)
{
	static const char req[] = "PING\n", answer[] = "PONG\n";
	char path[128], absent[128], name[96];
	struct line why[5];
	struct conn k[5];
	struct talk t, silent;
	struct conn *ks[] = { &k[0], &t.k, &k[1], &k[2], &silent.k, &k[3], &k[4] };
	struct server s;
	uint16_t up_port, refused_port, talk_port, silent_port;
	int up_fd = tcp_or_fail(AF_INET, 0, true, &up_port);
	int refused_fd = tcp_or_fail(AF_INET, 0, false, &refused_port);
	int silent_fd = tcp_or_fail(AF_INET, 0, true, &silent_port);
	int unix_fd = unix_socket(in_dir(path, sizeof(path), "many.sock"), 8);
	int abstract_fd = unix_socket(abstract_name(name, sizeof(name), "many"), 8);

	(void)state;
	in_dir(absent, sizeof(absent), "many-absent.sock");
	server_start(&s, tcp_or_fail(AF_INET, 0, true, &talk_port), SERVE_ANSWER, strlen(req), answer);
	conn_init(&k[0], &why[0], "127.0.0.1", up_port, NULL, NULL);
	talk_init(&t, "127.0.0.1", talk_port, NULL, req, answer);
	conn_init(&k[1], &why[1], "127.0.0.1", refused_port, NULL, NULL);
	conn_init(&k[2], &why[2], NULL, 0, path, NULL);
	talk_init(&silent, "127.0.0.1", silent_port, NULL, req, answer);
	conn_init(&k[3], &why[3], NULL, 0, absent, NULL);
	conn_init(&k[4], &why[4], NULL, 0, name, NULL);
	/* The silent one holds the run to its deadline; the others must have ended long before, on their own. */
	run(ks, ROWS(ks), DEADLINE_MS);
	server_join("many: talk", &s);
	close(up_fd);
	close(refused_fd);
	close(silent_fd);
	close(unix_fd);
	close(abstract_fd);
	want("many: tcp up", &k[0], CONN_PASS, "ok: connected to 127.0.0.1:%u", up_port);
	want("many: talk", &t.k, CONN_PASS, "ok: answered by 127.0.0.1:%u", talk_port);
	want("many: refused", &k[1], CONN_FAIL, "connection refused (127.0.0.1:%u)", refused_port);
	want("many: unix", &k[2], CONN_PASS, "ok: connected to %s", path);
	want("many: silent", &silent.k, CONN_FAIL, "waited");
	want("many: absent", &k[3], CONN_FAIL, "no such socket (%s)", absent);
	want("many: abstract", &k[4], CONN_PASS, "ok: connected to %s", name);
	ROW_MEM("many: the server took", s.got, s.got_len, req, strlen(req));
	ROW_INT("many: talk's lates", t.lates, 0);
	ROW_INT("many: silent's lates", silent.lates, 1);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(bare_connect_to_a_listening_127_0_0_1_passes_with_its_address),
		cmocka_unit_test(bare_connect_to_a_listening_ipv6_loopback_passes_with_brackets),
		cmocka_unit_test(bound_but_not_listening_port_is_connection_refused),
		cmocka_unit_test(bound_but_not_listening_ipv6_port_is_connection_refused),
		cmocka_unit_test(localhost_refused_on_both_loopbacks_is_one_line_v6_first),
		cmocka_unit_test(localhost_passes_on_whichever_loopback_listens),
		cmocka_unit_test(unix_path_that_does_not_exist_is_no_such_socket),
		cmocka_unit_test(unix_path_listening_passes_with_the_path),
		cmocka_unit_test(unix_path_bound_but_not_listening_is_connection_refused),
		cmocka_unit_test(unix_abstract_name_listening_passes_and_absent_is_refused),
		cmocka_unit_test(unix_listener_with_a_full_backlog_says_so),
		cmocka_unit_test(unix_path_in_a_directory_healthy_may_not_search_is_an_error),
		cmocka_unit_test(protocol_request_and_answer_over_tcp_passes),
		cmocka_unit_test(protocol_over_unix_and_abstract_with_an_ack_passes),
		cmocka_unit_test(protocol_drain_lets_the_server_see_a_fin),
		cmocka_unit_test(conn_read_returns_0_at_the_servers_close),
		cmocka_unit_test(server_closing_without_an_answer_fails_with_the_protocols_line),
		cmocka_unit_test(server_reset_ends_the_read_with_connection_reset),
		cmocka_unit_test(deadline_while_open_calls_late_once_and_fails_with_its_line),
		cmocka_unit_test(deadline_already_past_still_takes_what_is_done),
		cmocka_unit_test(several_connections_in_one_run_each_get_their_own_line),
	};

	return cmocka_run_group_tests_name("conn", tests, dir_make, dir_remove);
}
