#include "probe.h"

#include <string.h>

#include "exitcode.h"

/* After the status line, what the server already sent is read (up to this) before close, so close sends no RST. */
#define DRAIN_MAX 65536
/* 1xx interim answers skipped for the final one, headers and all: a server that sends them without end fails past this. */
#define INTERIM_MAX 65536

/* What reading a body takes for body=: the message, and TEXT looked for in it. */
struct probe_body {
	struct http_msg msg;
	struct http_find find;
	size_t read;            /* decoded, up to BODY_MAX */
	struct line status;     /* "200 OK from 127.0.0.1:8080", for the line at the end */
};

static struct probe_check pool[MAX_CHECKS];
static unsigned pool_next;

static struct probe_check *probe_of(const struct check *c)
{
	return c->state;
}

/* check_conns_run() finds a check's connection at the start of its state. */
_Static_assert(offsetof(struct probe_check, conn) == 0, "the connection is not first");

static struct probe_check *of_conn(struct conn *k)
{
	return (struct probe_check *)(void *)k;
}

/* The request is built whole in conn_buf, and sent before anything is read into it: every part is bounded. */
_Static_assert(HTTP_REQUEST_MAX <= CONN_BUF_SIZE, "the request does not fit conn_buf");

static void http_up(struct conn *k)
{
	struct probe_check *pc = of_conn(k);

	memset(&pc->in_body, 0, offsetof(struct probe_check, last1xx) - offsetof(struct probe_check, in_body));
	conn_send(k, conn_buf, http_request(conn_buf, &pc->url));
}

/* Drops a 1xx answer's header lines from the buffer; true once its blank line has gone by. */
static bool skip_interim(struct probe_check *r)
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
	struct probe_body *b = ctx;

	if (n > BODY_MAX - b->read)
		n = BODY_MAX - b->read;
	b->read += n;
	http_find_feed(&b->find, p, n);
}

/* body=: n more bytes of the message (closed: the connection's end); the answer once TEXT or the end is seen. */
static void body_take(struct probe_check *pc, const char *p, size_t n, bool closed)
{
	struct probe_body *b = pc->b;
	enum http_msg_result m = closed ? http_msg_close(&b->msg) : http_msg_feed(&b->msg, p, n, body_piece, b);
	struct line *l = pc->conn.why;

	if (!b->find.found && m == HTTP_MSG_MORE && b->read < BODY_MAX)
		return;
	line_str(l, b->find.found ? "ok: " : "");
	line_mem(l, b->status.buf, b->status.len);
	line_str(l, b->find.found ? ", \"" : ", but \"");
	line_escaped(l, pc->url.body, pc->url.body_len);
	if (b->find.found) {
		line_str(l, "\" in the body");
	} else if (b->read >= BODY_MAX) {
		line_str(l, "\" is not in the first 64 KiB of the body");
	} else if (m == HTTP_MSG_END || m == HTTP_MSG_CUT) {
		line_str(l, m == HTTP_MSG_END ? "\" is not in the body (" : "\" is not in the body before the connection closed (");
		line_uint(l, b->read);
		line_str(l, b->read == 1 ? " byte)" : " bytes)");
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
	conn_end(&pc->conn, b->find.found ? CONN_PASS : CONN_FAIL);
}

/* body=: what came of the message after the status line. */
static void read_body(struct probe_check *pc)
{
	ssize_t n = conn_read(&pc->conn, conn_buf, sizeof(conn_buf));

	if (n >= 0)
		body_take(pc, conn_buf, (size_t)n, n == 0);
}

static void read_status(struct probe_check *r)
{
	struct conn *k = &r->conn;
	struct line *why = k->why;
	const char *reason;
	size_t reason_len;
	int code = 0, p = 0;
	ssize_t n = conn_read(k, r->buf + r->got, STATUS_LINE_MAX - r->got);

	if (n < 0)
		return;
	r->got += (size_t)n;
	r->buf[r->got] = '\0';
	for (;;) {
		bool past = !r->interim || skip_interim(r);

		/* Endless 1xx answers, or a 1xx whose headers never end: each read is ready, and skipping is bounded. */
		if (r->skipped > INTERIM_MAX) {
			line_str(why, "more than 64 KiB of 1xx interim answers from ");
			conn_addr(why, k);
			conn_end(k, CONN_FAIL);
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
		const struct url *u = &r->url;
		/* curl -f: 2xx and 3xx pass, redirects are not followed; or what status= says. */
		bool pass = u->status ? code >= u->status_lo && code <= u->status_hi : code >= 200 && code < 400;
		struct line *l = why;

		if (pass && u->body) {
			/* The status goes into the line once the body has said yes or no. */
			l = &r->b->status;
			line_reset(l);
			r->b->read = 0;
		}

		line_str(l, pass && !u->body ? "ok: " : "");
		line_uint(l, (unsigned)code);
		if (reason_len) {
			line_str(l, " ");
			line_escaped(l, reason, reason_len > 64 ? 64 : reason_len);
		}
		if (pass) {
			line_str(l, " from ");
			conn_addr(l, k);
		}
		if (!pass && u->status) {
			line_str(l, " (wanted ");
			line_escaped(l, u->status, u->status_len);
			line_str(l, ")");
		}
		if (pass && u->body) {
			/* The rest of what came is the headers' start. */
			size_t off = (size_t)((char *)memchr(r->buf, '\n', r->got) + 1 - r->buf);

			http_msg_start(&r->b->msg, code == 204 || code == 304);
			http_find_start(&r->b->find, u->body, u->body_len);
			r->in_body = true;
			body_take(r, r->buf + off, r->got - off, false);
			return;
		}
		conn_drain(k, DRAIN_MAX);
		conn_end(k, pass ? CONN_PASS : CONN_FAIL);
		return;
	}
	if (p == -1) {
		line_str(why, "not an HTTP status line from ");
		conn_addr(why, k);
		line_str(why, ": \"");
		http_excerpt(why, r->buf, r->got);
		line_str(why, "\"");
	} else if (r->ninterim && !r->got) {
		/* "Without an answer" would be untrue: the server did answer, and closed before the final one. */
		line_str(why, "connection closed after a ");
		line_escaped(why, r->last1xx, r->last1xx_len);
		line_str(why, ", without the final answer, by ");
		conn_addr(why, k);
	} else {
		line_str(why, r->got ? "connection closed in the status line by " : "connection closed without an answer by ");
		conn_addr(why, k);
	}
	conn_end(k, CONN_FAIL);
}

static void http_readable(struct conn *k)
{
	struct probe_check *pc = of_conn(k);

	if (pc->in_body)
		read_body(pc);
	else
		read_status(pc);
}

/* The deadline, with the answer awaited: the status line, or TEXT in the body. */
static void http_late(struct conn *k, uint64_t timeout_ms)
{
	struct probe_check *pc = of_conn(k);
	struct line *why = k->why;

	if (pc->in_body) {
		conn_timed_out(why, timeout_ms, " reading the body: ");
		line_mem(why, pc->b->status.buf, pc->b->status.len);
		line_str(why, ", \"");
		line_escaped(why, pc->url.body, pc->url.body_len);
		line_str(why, "\" not in its first ");
		line_uint(why, pc->b->read);
		line_str(why, pc->b->read == 1 ? " byte" : " bytes");
		return;
	}
	conn_timed_out(why, timeout_ms, " waiting for the status line from ");
	conn_addr(why, k);
	if (pc->ninterim) {
		line_str(why, " (after ");
		line_uint(why, pc->ninterim);
		line_str(why, pc->ninterim == 1 ? " interim 1xx answer)" : " interim 1xx answers)");
	}
}

static const struct conn_ops http_ops = { http_up, http_readable, http_late };

static int probe_parse(struct check *c, const char *body, struct line *err)
{
	struct probe_check *pc = check_state(c, pool, sizeof(pool[0]), &pool_next);
	int r;

	if (c->kind == &kind_connect) {
		r = url_hostport(&pc->url, c->spec, body, strlen(body), 0, err);
	} else if (strncmp(body, "//", 2)) {
		check_usage(err, c, c->kind == &kind_https ? "write https://HOST[:PORT][/PATH]" : "write http://HOST[:PORT][/PATH]");
		return -1;
	} else if (c->kind == &kind_https) {
		c->arg = body + 2;
		pc->conn.ops = &http_ops;
		r = url_parse(&pc->url, c->spec, body,
			      URL_HEADER | URL_METHOD | URL_HOST | URL_STATUS | URL_BODY | URL_UNIX | URL_CA | URL_SERVERNAME | URL_CERT | URL_KEY | URL_TLS,
			      "header=, method=, host=, status=, body=, unix=, ca=, servername=, cert=, key=", err);
	} else {
		c->arg = body + 2;
		pc->conn.ops = &http_ops;
		r = url_parse(&pc->url, c->spec, body, URL_HEADER | URL_METHOD | URL_HOST | URL_STATUS | URL_BODY | URL_UNIX,
			      "header=, method=, host=, status=, body=, unix=", err);
	}
	conn_to(&pc->conn, &pc->url);
	return r;
}

/* A name's lookup, body='s buffers and TLS's engine: mapped once, before confinement. */
static int probe_prepare(struct check *c, struct line *err)
{
	struct probe_check *pc = probe_of(c);
	int r = check_conn_prepare(c, &pc->conn, err);

	if (r)
		return r;
	if (!pc->b && pc->url.body)
		pc->b = check_map(c, sizeof(*pc->b), err);
	if (!pc->b && pc->url.body)
		return EXIT_CANNOT_CHECK;
	return c->kind == &kind_https ? check_tls_prepare(c, &pc->conn, &pc->url, &pc->ca, NULL, err) : 0;
}

const struct kind kind_connect = {
	.name = "connect:",
	.usage = "  connect:HOST:PORT\n"
		 "                   a TCP connection to HOST:PORT is accepted\n",
	.doing = " probing",
	.parse = probe_parse,
	.prepare = probe_prepare,
	.run = check_conns_run,
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
	.run = check_conns_run,
	.bounded = true,
};

const struct kind kind_https = {
	.name = "https://",
	.usage = "  https://HOST[:PORT][/PATH][,ca=FILE][,servername=NAME][,cert=FILE,key=FILE]\n"
		 "         and http://'s options\n"
		 "                   the same over TLS 1.2; the server's certificate is verified\n"
		 "                   only with ca= (its name: HOST, or servername=); cert=, key=:\n"
		 "                   a client certificate\n",
	.doing = " probing",
	.parse = probe_parse,
	.prepare = probe_prepare,
	.run = check_conns_run,
	.bounded = true,
};
