#include "probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/scan.h"
#include "exitcode.h"
#include "lib/clock.h"
#include "lib/confine.h"
#include "lib/grpc.h"
#include "lib/resolve.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

#define HTTP_PORT 80
/* The request line holds the path: bound it well below what servers take (8 KiB). */
#define PATH_MAX_LEN 2048
/* After the status line, what the server already sent is read (up to this) before close, so close sends no RST. */
#define DRAIN_MAX 65536
/* 1xx interim answers skipped for the final one, headers and all: a server that sends them without end fails past this. */
#define INTERIM_MAX 65536

enum phase {
	P_RESOLVING,
	P_CONNECTING,
	P_READING,
	P_BODY,
	P_DONE,
};

union sockaddr_any {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_un un;
};

struct target {
	int family;             /* AF_INET, AF_INET6, or AF_UNIX for unix= */
	unsigned char a[16];
	int fd;                 /* -1 once closed */
	int err;                /* 0: pending or connected; else why it failed */
};

struct probe {
	struct check *c;
	enum phase phase;
	struct resolve *lookup;  /* a host name's, while it resolves */
	int ntargets;
	struct target t[PROBE_MAX_ADDRS];
	int winner;             /* http: the target whose connection carries the request */
	char buf[STATUS_LINE_MAX + 1];  /* NUL-terminated */
	size_t got;
	bool interim;           /* skipping a 1xx answer's headers */
	unsigned ninterim;      /* 1xx answers begun */
	size_t skipped;         /* their bytes, up to INTERIM_MAX */
	char last1xx[32];       /* the last one's code and reason, "100 Continue", cut */
	size_t last1xx_len;
	union probe_buffers *b; /* the check's, for body= and grpc:// */
};

/*
 * What reading an answer takes beyond its status line: body='s message and
 * TEXT looked for in it, or gRPC's frames. Mapped by the check's prepare,
 * only for the checks that read one: 64 of each in the bss would be 2.4 MB of
 * every run's address space.
 */
union probe_buffers {
	struct {
		struct http_msg msg;
		struct http_find find;
		size_t read;            /* decoded, up to BODY_MAX */
		struct line status;     /* "200 OK from 127.0.0.1:8080", for the line at the end */
	} body;
	struct grpc grpc;
};

/* Each probe of a run, under way. */
static struct probe probes[MAX_CHECKS];

static struct probe_check pool[MAX_CHECKS];
static unsigned pool_next;

static struct probe_check *probe_of(const struct check *c)
{
	return c->state;
}

/* HOST:PORT or [ADDR6]:PORT, in s[0..n); without ":PORT" the port is default_port, or an error when it is 0. */
static int hostport_parse(struct check *c, const char *s, size_t n, uint16_t default_port, struct line *err)
{
	struct hostport hp;
	unsigned char a[16];
	size_t i;

	if (check_hostport_split(c, s, n, &hp, err))
		return -1;
	if (hp.host_len == 0) {
		check_usage(err, c, "empty host");
		return -1;
	}
	if (hp.host_len >= HOST_SIZE) {
		check_usage(err, c, "host name too long");
		return -1;
	}
	for (i = 0; i < hp.host_len; i++) {
		/* They would split the Host header, or the request, in two. */
		if ((unsigned char)hp.host[i] <= ' ' || hp.host[i] == 0x7f) {
			check_usage(err, c, "the host holds a space or a control character");
			return -1;
		}
	}
	memcpy(probe_of(c)->host, hp.host, hp.host_len);
	probe_of(c)->host[hp.host_len] = '\0';
	if (hp.bracketed && scan_ip(AF_INET6, probe_of(c)->host, a) != 1) {
		check_usage(err, c, "not an IPv6 address");
		return -1;
	}
	/* "http://h:/" is port 80 (RFC 3986 3.2.3). */
	if (!hp.port || (default_port && !hp.port_len)) {
		if (!default_port) {
			check_usage(err, c, "needs HOST:PORT");
			return -1;
		}
		probe_of(c)->port = default_port;
		return 0;
	}
	return check_port_parse(c, hp.port, hp.port_len, &probe_of(c)->port, err);
}

/* A character of a header's name (RFC 9110 5.6.2 tchar). */
static bool tchar(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* Bytes that would end a header line, or the request, early: a control character but tab. */
static bool has_control(const char *s, size_t n, bool tab_too)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] < ' ' && (tab_too || s[i] != '\t')) || s[i] == 0x7f)
			return true;
	}
	return false;
}

/* One ",key=value" of an http:// or grpc:// check; key_len bytes of key at opt, n bytes in all. */
static int http_option(struct check *c, const char *opt, size_t n, size_t key_len, struct line *err)
{
	static const char *const keys[] = { "header", "method", "host", "status", "body", "unix", "service" };
	struct probe_check *pc = probe_of(c);
	const char *v = opt + key_len + 1;
	size_t vn = n - key_len - 1, name = 0;
	unsigned k;
	bool grpc = c->kind == &kind_grpc;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (strlen(keys[k]) == key_len && !memcmp(opt, keys[k], key_len))
			break;
	}
	/* gRPC's request is a POST with a health message, and its answer a status: no method=, status= or body=. */
	if (k == sizeof(keys) / sizeof(keys[0]) || (grpc ? k == 1 || k == 3 || k == 4 : k == 6))
		return check_option_unknown(c, opt, key_len,
					    grpc ? "header=, host=, service=, unix="
						 : "header=, method=, host=, status=, body=, unix=",
					    false, err);
	/* header= may come again; each of the others once. */
	if (k && pc->given & 1u << k) {
		line_start(err, c->spec);
		line_mem(err, opt, key_len);
		line_str(err, "= given twice");
		return -1;
	}
	pc->given |= 1u << k;
	if (!vn) {
		line_start(err, c->spec);
		line_str(err, "empty ");
		line_mem(err, opt, key_len + 1);
		return -1;
	}
	switch (k) {
	case 0:
		while (name < vn && tchar(v[name]))
			name++;
		if (!name || name == vn || v[name] != ':') {
			check_usage(err, c, "header= takes NAME: VALUE");
			return -1;
		}
		if (has_control(v, vn, false)) {
			check_usage(err, c, "header= holds CR, LF or another control character");
			return -1;
		}
		if (vn > HEADER_MAX || pc->nhdr == PROBE_MAX_HEADERS) {
			check_usage(err, c, vn > HEADER_MAX ? "header= longer than 1024 bytes" : "more than 8 header= options");
			return -1;
		}
		/* Options come off the right end: the last given first, put in order at the end. */
		pc->hdr[pc->nhdr] = v;
		pc->hdr_len[pc->nhdr++] = vn;
		return 0;
	case 1:
		pc->head = vn == 4 && !memcmp(v, "HEAD", 4);
		if (!pc->head && (vn != 3 || memcmp(v, "GET", 3))) {
			check_usage(err, c, "method= takes GET or HEAD");
			return -1;
		}
		return 0;
	case 2:
		if (vn >= HOST_SIZE + 6 || has_control(v, vn, true) || memchr(v, ' ', vn)) {
			check_usage(err, c, vn >= HOST_SIZE + 6 ? "host= too long" : "host= holds a space or a control character");
			return -1;
		}
		pc->authority = v;
		pc->authority_len = vn;
		return 0;
	case 3:
		if (http_status_range_parse(v, vn, &pc->status_lo, &pc->status_hi)) {
			check_usage(err, c, "status= takes a code (200), a class (2xx) or a range (200-204), from 100 to 599");
			return -1;
		}
		pc->status = v;
		pc->status_len = vn;
		return 0;
	case 4:
		if (vn > HTTP_FIND_MAX) {
			check_usage(err, c, "body= longer than 256 bytes");
			return -1;
		}
		pc->body = v;
		pc->body_len = vn;
		return 0;
	case 6:
		if (vn > GRPC_SERVICE_MAX) {
			check_usage(err, c, "service= longer than 255 bytes");
			return -1;
		}
		pc->service = v;
		pc->service_len = vn;
		return 0;
	default:
		/* sun_path's 108 bytes, a NUL or the abstract name's leading 0 among them. */
		if (vn >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			check_usage(err, c, "unix= path longer than 107 bytes");
			return -1;
		}
		pc->unix_path = v;
		pc->unix_len = vn;
		return 0;
	}
}

/* A header= of this name (any case) stands in for healthy's own. */
static bool header_given(const struct probe_check *pc, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < pc->nhdr; i++) {
		if (pc->hdr_len[i] > n && pc->hdr[i][n] == ':' && !strncasecmp(pc->hdr[i], name, n))
			return true;
	}
	return false;
}

/*
 * The ",key=value" options off the right end of an http:// check, as
 * proc: takes them; a piece that is no option (",b") belongs to what is on
 * its left: a header's value ("header=Accept: a,b"), or the URL. Returns
 * the URL's length, or -1 with the usage error.
 */
static ssize_t http_options_parse(struct check *c, const char *body, size_t n, struct line *err)
{
	struct probe_check *pc = probe_of(c);
	size_t end = n, search = n, i;
	const char *comma;

	while ((comma = memrchr(body, ',', search)) != NULL) {
		const char *opt = comma + 1;
		size_t key_len = scan_option_key(opt, (size_t)(body + end - opt));

		search = (size_t)(comma - body);
		if (!key_len)
			continue;
		if (http_option(c, opt, (size_t)(body + end - opt), key_len, err))
			return -1;
		end = search;
	}
	for (i = 0; i < pc->nhdr / 2; i++) {
		const char *h = pc->hdr[i];
		size_t hl = pc->hdr_len[i];

		pc->hdr[i] = pc->hdr[pc->nhdr - 1 - i];
		pc->hdr_len[i] = pc->hdr_len[pc->nhdr - 1 - i];
		pc->hdr[pc->nhdr - 1 - i] = h;
		pc->hdr_len[pc->nhdr - 1 - i] = hl;
	}
	if (c->kind == &kind_grpc && header_given(pc, "host")) {
		check_usage(err, c, "gRPC has no Host header: its :authority is host=NAME");
		return -1;
	}
	if (pc->authority && header_given(pc, "host")) {
		check_usage(err, c, "host= and header=Host: both given");
		return -1;
	}
	if (pc->head && pc->body) {
		check_usage(err, c, "body= needs a body, and method=HEAD has none");
		return -1;
	}
	return (ssize_t)end;
}

static int probe_parse(struct check *c, const char *body, struct line *err)
{
	const char *auth, *end, *frag;
	ssize_t n;
	size_t i;
	bool grpc = c->kind == &kind_grpc;

	check_state(c, pool, sizeof(pool[0]), &pool_next);
	if (c->kind == &kind_connect)
		return hostport_parse(c, body, strlen(body), 0, err);
	if (strncmp(body, "//", 2)) {
		check_usage(err, c, grpc ? "write grpc://HOST:PORT" : "write http://HOST[:PORT][/PATH]");
		return -1;
	}
	/* "http://" before the URL's host, as a message about an option names the kind. */
	c->arg = body + 2;
	n = http_options_parse(c, body, strlen(body), err);
	if (n < 0)
		return -1;
	auth = body + 2;
	end = auth + strcspn(auth, "/?#");
	if (end > body + n)
		end = body + n;
	if (memchr(auth, '@', (size_t)(end - auth))) {
		check_usage(err, c, "user:password@ in a URL is not supported");
		return -1;
	}
	/* gRPC has no default port; over unix= the port is only :authority's, and left out. */
	if (hostport_parse(c, auth, (size_t)(end - auth), grpc && !probe_of(c)->unix_path ? 0 : HTTP_PORT, err))
		return -1;
	if (grpc && end < body + n && (end[0] != '/' || end + 1 < body + n)) {
		check_usage(err, c, "grpc:// takes no path: the service is service=NAME");
		return -1;
	}
	/* The fragment is the client's own: it is never sent. */
	frag = memchr(end, '#', (size_t)(body + n - end));
	probe_of(c)->path = end;
	probe_of(c)->path_len = (size_t)((frag ? frag : body + n) - end);
	if (probe_of(c)->path_len > PATH_MAX_LEN) {
		check_usage(err, c, "path too long");
		return -1;
	}
	for (i = 0; i < probe_of(c)->path_len; i++) {
		unsigned char ch = (unsigned char)end[i];

		/* They would end the request line, or start another; and a URL is ASCII. */
		if (ch <= ' ' || ch >= 0x7f) {
			check_usage(err, c, "the path holds a space or a control character (write it %-encoded)");
			return -1;
		}
	}
	return 0;
}

static void finish(struct probe *r, enum verdict v)
{
	int i;

	r->c->verdict = v;
	r->phase = P_DONE;
	for (i = 0; i < r->ntargets; i++) {
		if (r->t[i].fd >= 0) {
			close(r->t[i].fd);
			r->t[i].fd = -1;
		}
	}
}

static void timed_out(struct line *l, uint64_t timeout_ms, const char *doing)
{
	line_str(l, "timed out after ");
	line_duration(l, timeout_ms);
	line_str(l, doing);
}

static void fail_errno(struct probe *r, const char *what, int err)
{
	line_errno(&r->c->why, what, err);
	finish(r, VERDICT_ERROR);
}

/* Where target t is: "127.0.0.1:80", "[::1]:80", or the unix= path as written. */
static void target_addr(struct line *l, const struct probe *r, const struct target *t)
{
	const struct probe_check *pc = probe_of(r->c);

	if (t->family == AF_UNIX)
		line_escaped(l, pc->unix_path, pc->unix_len);
	else
		line_addr(l, t->family, t->a, pc->port);
}

/* Target t's socket address into u; returns its length. */
static socklen_t target_sockaddr(const struct probe *r, const struct target *t, union sockaddr_any *u)
{
	const struct probe_check *pc = probe_of(r->c);

	memset(u, 0, sizeof(*u));
	u->sa.sa_family = (sa_family_t)t->family;
	if (t->family == AF_UNIX) {
		memcpy(u->un.sun_path, pc->unix_path, pc->unix_len);
		/* "@NAME": the abstract socket NAME, whose address is as long as its name. */
		if (pc->unix_path[0] != '@')
			return sizeof(u->un);
		u->un.sun_path[0] = '\0';
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + pc->unix_len);
	}
	if (t->family == AF_INET6) {
		u->in6.sin6_port = htons(pc->port);
		memcpy(&u->in6.sin6_addr, t->a, 16);
		return sizeof(u->in6);
	}
	u->in.sin_port = htons(pc->port);
	memcpy(&u->in.sin_addr, t->a, 4);
	return sizeof(u->in);
}

/* RFC 6761: "localhost" and names under it are the loopback, whatever /etc/hosts says, and without one. */
static bool is_localhost(const char *h)
{
	size_t n = strlen(h);

	return !strcasecmp(h, "localhost") || (n > 10 && !strcasecmp(h + n - 10, ".localhost"));
}

static void target_add(struct probe *r, int family, const unsigned char *a)
{
	int i;

	for (i = 0; i < r->ntargets; i++) {
		if (r->t[i].family == family && !memcmp(r->t[i].a, a, family == AF_INET ? 4 : 16))
			return;
	}
	if (r->ntargets == PROBE_MAX_ADDRS)
		return;
	r->t[r->ntargets].family = family;
	memset(r->t[r->ntargets].a, 0, 16);
	memcpy(r->t[r->ntargets].a, a, family == AF_INET ? 4 : 16);
	r->t[r->ntargets].fd = -1;
	r->t[r->ntargets].err = 0;
	r->ntargets++;
}

static void connected(struct probe *r, int i);

/* Starts a non-blocking connect to every address at once: the first to answer wins. */
static void connect_all(struct probe *r)
{
	int i, pending = 0, unsupported = 0;

	r->phase = P_CONNECTING;
	for (i = 0; i < r->ntargets && r->phase == P_CONNECTING; i++) {
		struct target *t = &r->t[i];
		union sockaddr_any u;
		socklen_t len = target_sockaddr(r, t, &u);
		int fd = socket(t->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			/* No IPv6 in this kernel or container: that address cannot be reached, the others may. */
			if (errno == EAFNOSUPPORT) {
				t->err = errno;
				unsupported++;
				continue;
			}
			fail_errno(r, "socket", errno);
			return;
		}
		t->fd = fd;
		if (connect(fd, &u.sa, len) == 0) {
			connected(r, i);
		} else if (errno == EINPROGRESS) {
			pending++;
		} else if (errno == ENOSYS || errno == ENOMEM || errno == ENOBUFS) {
			/* healthy's own trouble (a seccomp filter, memory), which says nothing of the service. */
			fail_errno(r, "connect", errno);
			close(fd);
		} else if (t->family == AF_UNIX && (errno == EACCES || errno == EPERM)) {
			/* A socket healthy may not use says nothing of the service behind it. */
			t->err = errno;
			close(fd);
			t->fd = -1;
			finish(r, VERDICT_ERROR);
		} else {
			t->err = errno;
			close(fd);
			t->fd = -1;
		}
	}
	/* Every address refused at once (the reasons are in t[].err); none of a family this kernel has is healthy's problem. */
	if (r->phase == P_CONNECTING && !pending)
		finish(r, unsupported == r->ntargets ? VERDICT_ERROR : VERDICT_FAIL);
}

void http_host_header(const struct check *c, struct line *l)
{
	bool v6 = strchr(probe_of(c)->host, ':') != NULL;

	/* Built from what was parsed, not copied as typed: "h:0080" and "h:" say port 80, and are bounded. */
	line_str(l, v6 ? "[" : "");
	line_str(l, probe_of(c)->host);
	line_str(l, v6 ? "]" : "");
	if (probe_of(c)->port != HTTP_PORT) {
		line_str(l, ":");
		line_uint(l, probe_of(c)->port);
	}
}

/* The Host header's value, or gRPC's :authority: host=, or the URL's. */
static void authority(const struct check *c, struct line *l)
{
	line_reset(l);
	if (probe_of(c)->authority)
		line_mem(l, probe_of(c)->authority, probe_of(c)->authority_len);
	else
		http_host_header(c, l);
}

/* The request, to the connection that won; the answer is read next. */
static void send_all(struct probe *r, const void *req, size_t n)
{
	/* A fresh socket's send buffer takes a request this small whole. */
	ssize_t w = send(r->t[r->winner].fd, req, n, MSG_NOSIGNAL);

	if (w != (ssize_t)n) {
		r->t[r->winner].err = w < 0 ? errno : EIO;
		finish(r, VERDICT_FAIL);
		return;
	}
	r->phase = P_READING;
}

/* The request, built whole before it is sent: an HTTP/1.1 one, or gRPC's; every part is bounded, and it fits. */
static union {
	char http[PATH_MAX_LEN + HOST_SIZE + PROBE_MAX_HEADERS * (HEADER_MAX + 2) + 128];
	unsigned char grpc[GRPC_REQUEST_MAX(PROBE_MAX_HEADERS, HEADER_MAX)];
} req;
/* What one read takes, for a body=, a gRPC answer or a drain, each consumed before the next read. */
static char rbuf[16384];

static void send_grpc(struct probe *r)
{
	const struct probe_check *pc = probe_of(r->c);
	struct line host;
	struct grpc_call call = { NULL, 0, pc->service, pc->service_len, pc->hdr, pc->hdr_len, pc->nhdr,
				  header_given(pc, "user-agent") ? NULL : "healthy/" VERSION };

	authority(r->c, &host);
	call.authority = host.buf;
	call.authority_len = host.len;
	grpc_start(&r->b->grpc);
	send_all(r, req.grpc, grpc_request(req.grpc, &call));
}

static void send_request(struct probe *r)
{
	char *out = req.http;
	const struct probe_check *pc = probe_of(r->c);
	struct line host;
	size_t n = 0, i;

	authority(r->c, &host);
#define PUT(s, len) (memcpy(out + n, (s), (len)), n += (len))
#define PUTS(s) PUT(s, sizeof(s) - 1)
	if (pc->head)
		PUTS("HEAD ");
	else
		PUTS("GET ");
	if (!pc->path_len || pc->path[0] != '/')
		PUTS("/");
	PUT(pc->path, pc->path_len);
	PUTS(" HTTP/1.1\r\n");
	if (!header_given(pc, "host")) {
		PUTS("Host: ");
		PUT(host.buf, host.len);
		PUTS("\r\n");
	}
	if (!header_given(pc, "user-agent"))
		PUTS("User-Agent: healthy/" VERSION "\r\n");
	if (!header_given(pc, "connection"))
		PUTS("Connection: close\r\n");
	for (i = 0; i < pc->nhdr; i++) {
		PUT(pc->hdr[i], pc->hdr_len[i]);
		PUTS("\r\n");
	}
	PUTS("\r\n");
#undef PUTS
#undef PUT
	send_all(r, out, n);
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

static void connected(struct probe *r, int i)
{
	int j;

	if (connected_to_self(r->t[i].fd)) {
		bool pending = false;

		r->t[i].err = ECONNREFUSED;
		close(r->t[i].fd);
		r->t[i].fd = -1;
		for (j = 0; j < r->ntargets; j++)
			pending |= r->t[j].fd >= 0;
		if (!pending && r->phase == P_CONNECTING)
			finish(r, VERDICT_FAIL);
		return;
	}

	r->winner = i;
	for (j = 0; j < r->ntargets; j++) {
		if (j == i)
			continue;
		/* The others no longer matter: no reason of theirs is reported. */
		if (r->t[j].fd >= 0)
			close(r->t[j].fd);
		r->t[j].fd = -1;
		r->t[j].err = -1;
	}
	if (r->c->kind == &kind_connect) {
		line_str(&r->c->why, "ok: connected to ");
		target_addr(&r->c->why, r, &r->t[i]);
		finish(r, VERDICT_PASS);
		return;
	}
	if (r->c->kind == &kind_grpc)
		send_grpc(r);
	else
		send_request(r);
}

/* A host name's lookup, one for each probe that has one: out of struct probe, so that probes to an address never touch it. */
static struct resolve lookups[MAX_CHECKS];
/* resolv.conf, read once a run, by the first probe that needs it. */
static struct dns_conf conf;
static bool conf_read;

static void resolve_begin(struct probe *r, size_t i, uint64_t now)
{
	const char *host = probe_of(r->c)->host;
	unsigned char a[16];

	if (probe_of(r->c)->unix_path) {
		/* unix=: HOST is only the Host header's. connect() looks the path up, which a hung mount holds. */
		confine_arm();
		memset(a, 0, sizeof(a));
		target_add(r, AF_UNIX, a);
	} else if (scan_ip(AF_INET, host, a) == 1) {
		target_add(r, AF_INET, a);
	} else if (scan_ip(AF_INET6, host, a) == 1) {
		target_add(r, AF_INET6, a);
	} else if (is_localhost(host)) {
		static const unsigned char lo6[16] = { [15] = 1 }, lo4[4] = { 127, 0, 0, 1 };

		target_add(r, AF_INET6, lo6);
		target_add(r, AF_INET, lo4);
	} else {
		/*
		 * No child, no blocking call: the lookup is more descriptors in the
		 * probes' poll loop, under its deadline. But for /etc/hosts and
		 * resolv.conf, files, which a hung mount holds.
		 */
		confine_arm();
		if (!conf_read)
			resolve_conf_read(&conf);
		conf_read = true;
		r->lookup = &lookups[i];
		resolve_start(r->lookup, &conf, host, now);
		r->phase = P_RESOLVING;
	}
}

/* The lookup has its answer: the addresses to connect to, or why there are none. */
static void resolve_done(struct probe *r)
{
	const struct resolve *l = r->lookup;
	unsigned i;

	r->lookup = NULL;
	if (l->state == RESOLVE_NONAME) {
		line_str(&r->c->why, "no such host");
		finish(r, VERDICT_FAIL);
		return;
	}
	if (l->state == RESOLVE_FAILED) {
		/* No server answered, or each failed: that says nothing of the service. */
		line_str(&r->c->why, "cannot resolve the host: ");
		if (l->rcode >= 0) {
			line_str(&r->c->why, "the name server answered ");
			if (l->rcode == DNS_SERVFAIL || l->rcode == DNS_REFUSED) {
				line_str(&r->c->why, l->rcode == DNS_SERVFAIL ? "SERVFAIL" : "REFUSED");
			} else {
				line_str(&r->c->why, "rcode ");
				line_uint(&r->c->why, (unsigned)l->rcode);
			}
		} else if (l->rcode == RESOLVE_MALFORMED) {
			line_str(&r->c->why, "the name server's answer is malformed");
		} else if (l->rcode == RESOLVE_CLOSED) {
			line_str(&r->c->why, "the name server closed the TCP connection before it answered");
		} else if (l->err) {
			line_reason(&r->c->why, l->err);
		} else {
			line_str(&r->c->why, "no answer from the name server");
		}
		finish(r, VERDICT_ERROR);
		return;
	}
	for (i = 0; i < l->naddrs; i++)
		target_add(r, l->addrs[i].family, l->addrs[i].a);
	connect_all(r);
}

/* Drops a 1xx answer's header lines from the buffer; true once its blank line has gone by. */
static bool skip_interim(struct probe *r)
{
	size_t i;

	for (i = 0; i + 1 < r->got; i++) {
		if (r->buf[i] == '\n' && (r->buf[i + 1] == '\n' || (r->buf[i + 1] == '\r' && i + 2 < r->got && r->buf[i + 2] == '\n'))) {
			i += r->buf[i + 1] == '\n' ? 2 : 3;
			r->skipped += i;
			memmove(r->buf, r->buf + i, r->got - i);
			r->got -= i;
			r->buf[r->got] = '\0';
			return true;
		}
	}
	/* Keep the last two bytes: the blank line may start in them. */
	if (r->got > 2) {
		r->skipped += r->got - 2;
		memmove(r->buf, r->buf + r->got - 2, 2);
		r->got = 2;
	}
	return false;
}

static void body_piece(void *ctx, const char *p, size_t n)
{
	struct probe *r = ctx;

	if (n > BODY_MAX - r->b->body.read)
		n = BODY_MAX - r->b->body.read;
	r->b->body.read += n;
	http_find_feed(&r->b->body.find, p, n);
}

/* body=: n more bytes of the message (closed: the connection's end); the answer once TEXT or the end is seen. */
static void body_take(struct probe *r, const char *p, size_t n, bool closed)
{
	enum http_msg_result m = closed ? http_msg_close(&r->b->body.msg) : http_msg_feed(&r->b->body.msg, p, n, body_piece, r);
	struct line *l = &r->c->why;
	const struct probe_check *pc = probe_of(r->c);

	if (!r->b->body.find.found && m == HTTP_MSG_MORE && r->b->body.read < BODY_MAX)
		return;
	line_str(l, r->b->body.find.found ? "ok: " : "");
	line_mem(l, r->b->body.status.buf, r->b->body.status.len);
	line_str(l, r->b->body.find.found ? ", \"" : ", but \"");
	line_escaped(l, pc->body, pc->body_len);
	if (r->b->body.find.found) {
		line_str(l, "\" in the body");
	} else if (r->b->body.read >= BODY_MAX) {
		line_str(l, "\" is not in the first 64 KiB of the body");
	} else if (m == HTTP_MSG_END || m == HTTP_MSG_CUT) {
		line_str(l, m == HTTP_MSG_END ? "\" is not in the body (" : "\" is not in the body before the connection closed (");
		line_uint(l, r->b->body.read);
		line_str(l, r->b->body.read == 1 ? " byte)" : " bytes)");
	} else {
		static const char *const why[] = {
			[HTTP_MSG_HEADERS_LONG] = "headers longer than 64 KiB",
			[HTTP_MSG_BAD_LENGTH] = "a malformed Content-Length",
			[HTTP_MSG_BAD_CODING] = "a Transfer-Encoding or Content-Encoding healthy does not decode",
			[HTTP_MSG_BAD_CHUNK] = "a malformed chunk",
		};

		line_str(l, "\" cannot be looked for: ");
		line_str(l, why[m]);
	}
	finish(r, r->b->body.find.found ? VERDICT_PASS : VERDICT_FAIL);
}

/* body=: what came of the message after the status line. */
static void read_body(struct probe *r)
{
	ssize_t n = read(r->t[r->winner].fd, rbuf, sizeof(rbuf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) {
		r->t[r->winner].err = errno;
		finish(r, VERDICT_FAIL);
		return;
	}
	body_take(r, rbuf, (size_t)n, n == 0);
}

static void read_status(struct probe *r)
{
	struct target *t = &r->t[r->winner];
	const char *reason;
	size_t reason_len;
	int code = 0, p = 0;
	ssize_t n = read(t->fd, r->buf + r->got, STATUS_LINE_MAX - r->got);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) {
		t->err = errno;
		finish(r, VERDICT_FAIL);
		return;
	}
	r->got += (size_t)n;
	r->buf[r->got] = '\0';
	for (;;) {
		bool past = !r->interim || skip_interim(r);

		/* Endless 1xx answers, or a 1xx whose headers never end: each read is ready, and skipping is bounded. */
		if (r->skipped > INTERIM_MAX) {
			line_str(&r->c->why, "more than 64 KiB of 1xx interim answers from ");
			target_addr(&r->c->why, r, t);
			finish(r, VERDICT_FAIL);
			return;
		}
		if (!past) {
			if (n > 0)
				return;
			/* Closed in the middle of a 1xx answer: what is kept of its headers is no status line. */
			r->interim = false;
			r->got = 0;
			p = 0;
			break;
		}
		r->interim = false;
		p = r->got ? http_status_parse(r->buf, r->got, &code, &reason, &reason_len) : 0;
		/* 1xx is an interim answer (100 Continue, 103 Early Hints): the real one follows (RFC 9110 15.2). */
		if (p == 1 && code < 200 && code != 101) {
			r->interim = true;
			r->ninterim++;
			/* From the code (after "HTTP/1.1 ") to the reason's end: its line may go before it is needed. */
			r->last1xx_len = (size_t)(reason + reason_len - (r->buf + 9));
			if (r->last1xx_len > sizeof(r->last1xx))
				r->last1xx_len = sizeof(r->last1xx);
			memcpy(r->last1xx, r->buf + 9, r->last1xx_len);
			continue;
		}
		break;
	}
	if (r->interim || (p == 0 && n > 0))
		return;
	if (p == 1) {
		size_t drained = 0;
		ssize_t d;
		const struct probe_check *pc = probe_of(r->c);
		/* curl -f: 2xx and 3xx pass, redirects are not followed; or what status= says. */
		bool pass = pc->status ? code >= pc->status_lo && code <= pc->status_hi : code >= 200 && code < 400;
		struct line *l = &r->c->why;

		if (pass && pc->body) {
			/* The status goes into the line once the body has said yes or no. */
			l = &r->b->body.status;
			line_reset(l);
			r->b->body.read = 0;
		}

		line_str(l, pass && !pc->body ? "ok: " : "");
		line_uint(l, (unsigned)code);
		if (reason_len) {
			line_str(l, " ");
			line_escaped(l, reason, reason_len > 64 ? 64 : reason_len);
		}
		if (pass) {
			line_str(l, " from ");
			target_addr(l, r, t);
		}
		if (!pass && pc->status) {
			line_str(l, " (wanted ");
			line_escaped(l, pc->status, pc->status_len);
			line_str(l, ")");
		}
		if (pass && pc->body) {
			/* The rest of what came is the headers' start. */
			size_t off = (size_t)((char *)memchr(r->buf, '\n', r->got) + 1 - r->buf);

			http_msg_start(&r->b->body.msg, code == 204 || code == 304);
			http_find_start(&r->b->body.find, pc->body, pc->body_len);
			r->phase = P_BODY;
			body_take(r, r->buf + off, r->got - off, false);
			return;
		}
		/* What the server already sent is taken, without waiting, so that closing sends a FIN, not a reset. */
		while (drained < DRAIN_MAX && (d = read(t->fd, rbuf, sizeof(rbuf))) > 0)
			drained += (size_t)d;
		finish(r, pass ? VERDICT_PASS : VERDICT_FAIL);
		return;
	}
	if (p == -1) {
		line_str(&r->c->why, "not an HTTP status line from ");
		target_addr(&r->c->why, r, t);
		line_str(&r->c->why, ": \"");
		http_excerpt(&r->c->why, r->buf, r->got);
		line_str(&r->c->why, "\"");
	} else if (r->ninterim && !r->got) {
		/* "Without an answer" would be untrue: the server did answer, and closed before the final one. */
		line_str(&r->c->why, "connection closed after a ");
		line_escaped(&r->c->why, r->last1xx, r->last1xx_len);
		line_str(&r->c->why, ", without the final answer, by ");
		target_addr(&r->c->why, r, t);
	} else {
		line_str(&r->c->why, r->got ? "connection closed in the status line by " : "connection closed without an answer by ");
		target_addr(&r->c->why, r, t);
	}
	finish(r, VERDICT_FAIL);
}

/* What the health service's answer said, or why there is none: "WHAT from ADDR[: DETAIL][, "TEXT"]". */
static void grpc_explain(struct probe *r, const struct grpc *g, enum grpc_result res)
{
	static const char *const serving[] = { "UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN" };
	struct line *l = &r->c->why;
	const char *what = "grpc-status ", *detail = NULL, *sep = ": ";
	int num = -1, detail_num = -1;
	bool pass = false;

	if (res == GRPC_NOT_H2) {
		what = "not HTTP/2";
	} else if (res == GRPC_RESET || res == GRPC_GOAWAY) {
		what = res == GRPC_RESET ? "stream reset" : "GOAWAY";
		detail = grpc_h2_error(g->code);
		if (!detail) {
			detail = "error ";
			detail_num = (int)g->code;
		}
	} else if (res == GRPC_BROKEN) {
		what = "not a gRPC answer";
		detail = g->what;
	} else if (g->grpc_status < 0) {
		/* A proxy's or a plain HTTP/2 server's answer, without gRPC's status. */
		what = "no grpc-status";
		if (g->http_status >= 0 && g->http_status != 200) {
			detail = "HTTP status ";
			detail_num = g->http_status;
		}
	} else if (g->grpc_status || g->serving < 0) {
		num = g->grpc_status;
		detail = g->grpc_status == 12 ? "the server has no health service" : g->grpc_status ? NULL : "no health answer";
	} else if (g->serving < 4) {
		pass = g->serving == 1;
		what = serving[g->serving];
	} else {
		what = "serving status ";
		num = g->serving;
	}
	line_str(l, pass ? "ok: " : "");
	line_str(l, what);
	if (num >= 0) {
		line_uint(l, (unsigned)num);
		if (what[0] == 'g' && grpc_status_name((unsigned)num)) {
			line_str(l, " ");
			line_str(l, grpc_status_name((unsigned)num));
		}
	}
	line_str(l, " from ");
	target_addr(l, r, &r->t[r->winner]);
	if (detail) {
		line_str(l, sep);
		line_str(l, detail);
		if (detail_num >= 0)
			line_uint(l, (unsigned)detail_num);
		sep = ", ";
	}
	/* The server's own words: what it sent instead of HTTP/2, grpc-message, or GOAWAY's debug data. */
	if (res == GRPC_NOT_H2 || (g->text_len && res != GRPC_BROKEN)) {
		line_str(l, sep);
		line_str(l, "\"");
		if (res == GRPC_NOT_H2)
			http_excerpt(l, (const char *)g->in, g->in_len);
		else
			line_escaped(l, g->text, g->text_len);
		line_str(l, "\"");
	}
	finish(r, pass ? VERDICT_PASS : VERDICT_FAIL);
}

/* grpc://: what came of the answer, and the ACKs it is owed. */
static void read_grpc(struct probe *r)
{
	struct target *t = &r->t[r->winner];
	struct grpc *g = &r->b->grpc;
	ssize_t n = read(t->fd, rbuf, sizeof(rbuf));
	enum grpc_result res;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) {
		t->err = errno;
		finish(r, VERDICT_FAIL);
		return;
	}
	if (n == 0 && (g->started || !g->in_len)) {
		line_str(&r->c->why, g->started ? "connection closed before the health answer by "
						: "connection closed without an answer by ");
		target_addr(&r->c->why, r, t);
		finish(r, VERDICT_FAIL);
		return;
	}
	/* Closed after fewer bytes than a frame's head: no HTTP/2 server sends that. */
	res = n ? grpc_feed(g, (const unsigned char *)rbuf, (size_t)n) : GRPC_NOT_H2;
	if (g->reply_len) {
		/* Too small to fill a send buffer; should one be full, the answer still decides. */
		(void)!send(t->fd, g->reply, g->reply_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		g->reply_len = 0;
	}
	if (res != GRPC_MORE)
		grpc_explain(r, g, res);
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
static void explain_targets(struct probe *r, uint64_t timeout_ms)
{
	struct line *l = &r->c->why;
	const char *sep = "";
	int i, j;

	for (i = 0; i < r->ntargets; i++) {
		int e = r->t[i].err;
		const char *inner = " (";
		bool seen = e == -1;

		for (j = 0; j < i; j++)
			seen |= r->t[j].err == e;
		if (seen)
			continue;
		line_str(l, sep);
		if (e == 0) {
			timed_out(l, timeout_ms, " connecting");
		} else {
			if (errno_phrase(e))
				line_str(l, errno_phrase(e));
			else
				line_reason(l, e);
		}
		for (j = i; j < r->ntargets; j++) {
			if (r->t[j].err != e)
				continue;
			line_str(l, inner);
			target_addr(l, r, &r->t[j]);
			inner = ", ";
		}
		line_str(l, ")");
		sep = "; ";
	}
}

/* What the poll loop waits on: each probe's lookup, or its targets, or the one that answered; *due, a lookup's next resend. */
static nfds_t poll_set(size_t n, struct pollfd *fds, struct probe **owner, int *target_of, uint64_t *due)
{
	nfds_t nfds = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct probe *r = &probes[i];
		int j;

		if (r->phase == P_RESOLVING) {
			uint64_t when = UINT64_MAX;
			size_t k, m = resolve_fds(r->lookup, fds + nfds, &when);

			for (k = 0; k < m; k++) {
				owner[nfds] = r;
				target_of[nfds++] = -1;
			}
			*due = when < *due ? when : *due;
		}
		for (j = 0; j < r->ntargets && r->phase >= P_CONNECTING && r->phase <= P_BODY; j++) {
			if (r->t[j].fd < 0 || r->t[j].err || (r->phase != P_CONNECTING && j != r->winner))
				continue;
			fds[nfds] = (struct pollfd){ r->t[j].fd, r->phase != P_CONNECTING ? POLLIN : POLLOUT, 0 };
			owner[nfds] = r;
			target_of[nfds++] = j;
		}
	}
	return nfds;
}

/* One ready descriptor of probe r: target j's connect, or the status line. */
static void poll_event(struct probe *r, int j)
{
	if (r->phase == P_CONNECTING && r->t[j].fd >= 0) {
		int e = 0;
		socklen_t len = sizeof(e);

		if (getsockopt(r->t[j].fd, SOL_SOCKET, SO_ERROR, &e, &len))
			e = errno;
		if (e == 0) {
			connected(r, j);
		} else {
			int k;
			bool pending = false;

			r->t[j].err = e;
			close(r->t[j].fd);
			r->t[j].fd = -1;
			for (k = 0; k < r->ntargets; k++)
				pending |= r->t[k].fd >= 0;
			if (!pending)
				finish(r, VERDICT_FAIL);
		}
	} else if (r->phase == P_READING && j == r->winner) {
		if (r->c->kind == &kind_grpc)
			read_grpc(r);
		else
			read_status(r);
	} else if (r->phase == P_BODY && j == r->winner) {
		read_body(r);
	}
}

/* The answer of a probe the deadline ended, or that ended without words: what it was waiting for. */
static void probe_end(struct probe *r, uint64_t timeout_ms)
{
	if (r->phase == P_RESOLVING) {
		/* Out of time while resolving: the name server did not answer in time, which says nothing of the service (exit 3). */
		resolve_end(r->lookup);
		r->lookup = NULL;
		timed_out(&r->c->why, timeout_ms, " resolving the host");
		finish(r, VERDICT_ERROR);
		return;
	}
	if (r->phase == P_READING) {
		timed_out(&r->c->why, timeout_ms,
			  r->c->kind == &kind_grpc ? " waiting for the health answer from " : " waiting for the status line from ");
		target_addr(&r->c->why, r, &r->t[r->winner]);
		if (r->ninterim) {
			line_str(&r->c->why, " (after ");
			line_uint(&r->c->why, r->ninterim);
			line_str(&r->c->why, r->ninterim == 1 ? " interim 1xx answer)" : " interim 1xx answers)");
		}
		finish(r, VERDICT_FAIL);
		return;
	}
	if (r->phase == P_BODY) {
		timed_out(&r->c->why, timeout_ms, " reading the body: ");
		line_mem(&r->c->why, r->b->body.status.buf, r->b->body.status.len);
		line_str(&r->c->why, ", \"");
		line_escaped(&r->c->why, probe_of(r->c)->body, probe_of(r->c)->body_len);
		line_str(&r->c->why, "\" not in its first ");
		line_uint(&r->c->why, r->b->body.read);
		line_str(&r->c->why, r->b->body.read == 1 ? " byte" : " bytes");
		finish(r, VERDICT_FAIL);
		return;
	}
	if (r->phase != P_DONE)
		finish(r, VERDICT_FAIL);
	if (!r->c->why.len)
		explain_targets(r, timeout_ms);
}

static void probe_run(struct check **cs, size_t n, const struct run_opts *ro)
{
	static struct pollfd fds[MAX_CHECKS * (PROBE_MAX_ADDRS + RESOLVE_MAX_FDS)];
	static struct probe *owner[MAX_CHECKS * (PROBE_MAX_ADDRS + RESOLVE_MAX_FDS)];
	static int target_of[MAX_CHECKS * (PROBE_MAX_ADDRS + RESOLVE_MAX_FDS)];
	uint64_t now = clock_ms();
	size_t i;

	conf_read = false;
	for (i = 0; i < n; i++) {
		struct probe *r = &probes[i];

		memset(r, 0, sizeof(*r));
		r->c = cs[i];
		r->b = probe_of(r->c)->b;
		resolve_begin(r, i, now);
	}
	for (i = 0; i < n; i++) {
		struct probe *r = &probes[i];

		/* An address to begin with, or one from /etc/hosts: connect now. */
		if (r->lookup && r->lookup->state != RESOLVE_MORE)
			resolve_done(r);
		else if (!r->lookup)
			connect_all(r);
	}
	for (;;) {
		uint64_t due = ro->deadline_ms;
		nfds_t nfds = poll_set(n, fds, owner, target_of, &due);
		int ready;

		now = clock_ms();
		if (!nfds && due >= ro->deadline_ms)
			break;
		/* Past the deadline, one look without waiting: what is done already counts. */
		ready = poll(fds, nfds, now >= due ? 0 : (int)(due - now));
		if (ready < 0 && errno != EINTR) {
			for (i = 0; i < n; i++) {
				if (probes[i].phase != P_DONE && !probes[i].lookup)
					fail_errno(&probes[i], "poll", errno);
			}
			break;
		}
		for (i = 0; ready > 0 && i < nfds; i++) {
			if (fds[i].revents && owner[i]->phase != P_DONE && target_of[i] >= 0)
				poll_event(owner[i], target_of[i]);
		}
		/* The lookups read what came, resend what is due, and those that have their answer connect. */
		now = clock_ms();
		for (i = 0; i < n; i++) {
			struct probe *r = &probes[i];

			if (!r->lookup)
				continue;
			resolve_step(r->lookup, now);
			if (r->lookup->state != RESOLVE_MORE)
				resolve_done(r);
		}
		/* A server that keeps sending keeps poll ready for ever: past the deadline, that one look was the last. */
		if (now >= ro->deadline_ms)
			break;
	}
	for (i = 0; i < n; i++)
		probe_end(&probes[i], ro->timeout_ms);
}

/* body= and grpc://: their buffers, mapped once, before confinement (union probe_buffers says why). */
static int probe_prepare(struct check *c, struct line *err)
{
	void *m;

	if (probe_of(c)->b || (c->kind != &kind_grpc && !probe_of(c)->body))
		return 0;
	m = mmap(NULL, sizeof(union probe_buffers), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		check_line_start(c, err);
		line_errno(err, "cannot map its buffers", errno);
		return EXIT_CANNOT_CHECK;
	}
	probe_of(c)->b = m;
	return 0;
}

/* TLS would multiply the binary's size. */
static int https_parse(struct check *c, const char *body, struct line *err)
{
	(void)body;
	check_usage(err, c, "https:// is not supported: check the port with tcp:PORT or connect:HOST:PORT");
	return -1;
}

const struct kind kind_connect = {
	.name = "connect:",
	.usage = "  connect:HOST:PORT\n"
		 "                   a TCP connection to HOST:PORT is accepted\n",
	.doing = " probing",
	.parse = probe_parse,
	.run = probe_run,
	.bounded = true,
};

const struct kind kind_http = {
	.name = "http://",
	.usage = "  http://HOST[:PORT][/PATH][,header=NAME: VALUE][,method=GET|HEAD][,host=NAME]\n"
		 "         [,status=200|2xx|200-204][,body=TEXT][,unix=PATH|@NAME]\n"
		 "                   GET answers 2xx or 3xx (or status=), with TEXT in the\n"
		 "                   body's first 64 KiB; unix=: over that socket\n",
	.doing = " probing",
	.parse = probe_parse,
	.prepare = probe_prepare,
	.run = probe_run,
	.bounded = true,
};

const struct kind kind_grpc = {
	.name = "grpc://",
	.usage = "  grpc://HOST:PORT[,service=NAME][,header=NAME: VALUE][,host=NAME][,unix=PATH|@NAME]\n"
		 "                   grpc.health.v1.Health/Check answers SERVING (HTTP/2,\n"
		 "                   no TLS); unix=: over that socket\n",
	.doing = " probing",
	.parse = probe_parse,
	.prepare = probe_prepare,
	.run = probe_run,
	.bounded = true,
};

const struct kind kind_https = {
	.name = "https://",
	.parse = https_parse,
};
