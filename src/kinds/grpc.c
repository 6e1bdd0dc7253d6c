#include "grpc.h"

#include <string.h>

#include "exitcode.h"
#include "lib/grpc.h"
#include "lib/http.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

static struct grpc_check pool[MAX_CHECKS];
static unsigned pool_next;

static struct grpc_check *grpc_of(const struct check *c)
{
	return c->state;
}

/* check_conns_run() finds a check's connection at the start of its state. */
_Static_assert(offsetof(struct grpc_check, conn) == 0, "the connection is not first");

static struct grpc_check *of_conn(struct conn *k)
{
	return (struct grpc_check *)(void *)k;
}

_Static_assert(URL_SERVICE_MAX <= GRPC_SERVICE_MAX, "service= longer than grpc_request bounds");

/* The call is built whole in conn_buf, and sent before anything is read into it: every part is bounded. */
_Static_assert(GRPC_REQUEST_MAX(URL_MAX_HEADERS, URL_HEADER_MAX) <= CONN_BUF_SIZE, "the call does not fit conn_buf");

static void grpc_up(struct conn *k)
{
	const struct url *u = &of_conn(k)->url;
	struct line host;
	struct grpc_call call = { NULL, 0, u->service, u->service_len, u->hdr, u->hdr_len, u->nhdr,
				  url_header_given(u, "user-agent") ? NULL : "healthy/" VERSION };

	url_authority(u, &host);
	call.authority = host.buf;
	call.authority_len = host.len;
	grpc_start(of_conn(k)->g);
	conn_send(k, conn_buf, grpc_request((unsigned char *)conn_buf, &call));
}

/* What the health service's answer said, or why there is none: "WHAT from ADDR[: DETAIL][, "TEXT"]". */
static void explain(struct conn *k, const struct grpc *g, enum grpc_result res)
{
	static const char *const serving[] = { "UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN" };
	struct line *l = k->why;
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
	conn_addr(l, k);
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
	conn_end(k, pass ? CONN_PASS : CONN_FAIL);
}

/* What came of the answer, and the ACKs it is owed. */
static void grpc_readable(struct conn *k)
{
	struct grpc *g = of_conn(k)->g;
	ssize_t n = conn_read(k, conn_buf, sizeof(conn_buf));
	enum grpc_result res;

	if (n < 0)
		return;
	if (n == 0 && (g->started || !g->in_len)) {
		line_str(k->why, g->started ? "connection closed before the health answer by "
					    : "connection closed without an answer by ");
		conn_addr(k->why, k);
		conn_end(k, CONN_FAIL);
		return;
	}
	/* Closed after fewer bytes than a frame's head: no HTTP/2 server sends that. */
	res = n ? grpc_feed(g, (const unsigned char *)conn_buf, (size_t)n) : GRPC_NOT_H2;
	if (res != GRPC_MORE) {
		/* The ACKs still owed go unsent: the connection closes now, and they would only wake the server. */
		explain(k, g, res);
	} else if (g->reply_len) {
		/* Too small to fill a send buffer; should one be full, the answer still decides. */
		conn_reply(k, g->reply, g->reply_len);
		g->reply_len = 0;
	}
}

static void grpc_late(struct conn *k, uint64_t timeout_ms)
{
	conn_timed_out(k->why, timeout_ms, " waiting for the health answer from ");
	conn_addr(k->why, k);
}

static const struct conn_ops grpc_ops = { grpc_up, grpc_readable, grpc_late };

static int grpc_parse(struct check *c, const char *body, struct line *err)
{
	struct grpc_check *gc = check_state(c, pool, sizeof(pool[0]), &pool_next);
	const struct url *u = &gc->url;

	bool tls = c->kind == &kind_grpcs;

	if (strncmp(body, "//", 2)) {
		check_usage(err, c, tls ? "write grpcs://HOST:PORT" : "write grpc://HOST:PORT");
		return -1;
	}
	c->arg = body + 2;
	/* gRPC's request is a POST with a health message, and its answer a status: no method=, status= or body=. */
	if (url_parse(&gc->url, c->spec, body,
		      URL_HEADER | URL_HOST | URL_UNIX | URL_SERVICE | URL_NEEDS_PORT | (tls ? URL_CA | URL_SERVERNAME | URL_CERT | URL_KEY | URL_TLS : 0),
		      tls ? "header=, host=, service=, unix=, ca=, servername=, cert=, key=" : "header=, host=, service=, unix=", err))
		return -1;
	gc->conn.ops = &grpc_ops;
	conn_to(&gc->conn, u);
	if (url_header_given(u, "host")) {
		check_usage(err, c, "gRPC has no Host header: its :authority is host=NAME");
		return -1;
	}
	if (u->rest_len && (u->path[0] != '/' || u->rest_len > 1)) {
		check_usage(err, c, "grpc:// takes no path: the service is service=NAME");
		return -1;
	}
	return 0;
}

/* The answer's buffers (38 KiB: a frame, a header block, a message), mapped once, before confinement. */
static int grpc_prepare(struct check *c, struct line *err)
{
	struct grpc_check *gc = grpc_of(c);
	int r = check_conn_prepare(c, &gc->conn, err);

	if (r)
		return r;
	if (!gc->g)
		gc->g = check_map(c, sizeof(struct grpc), err);
	if (!gc->g)
		return EXIT_CANNOT_CHECK;
	/* gRPC over TLS is HTTP/2 by ALPN: a server that does not choose "h2" hangs up after the handshake. */
	return c->kind == &kind_grpcs ? check_tls_prepare(c, &gc->conn, &gc->url, &gc->ca, "h2", err) : 0;
}

const struct kind kind_grpc = {
	.name = "grpc://",
	.usage = "  grpc://HOST:PORT[,service=NAME][,header=NAME: VALUE][,host=NAME][,unix=PATH|@NAME]\n"
		 "                   grpc.health.v1.Health/Check answers SERVING (HTTP/2,\n"
		 "                   no TLS); unix=: over that socket\n",
	.doing = " probing",
	.parse = grpc_parse,
	.prepare = grpc_prepare,
	.run = check_conns_run,
	.bounded = true,
};

const struct kind kind_grpcs = {
	.name = "grpcs://",
	.usage = "  grpcs://HOST:PORT[,ca=FILE][,servername=NAME][,cert=FILE,key=FILE]\n"
		 "         and grpc://'s options\n"
		 "                   the same over TLS 1.2 (ALPN h2); verified only with ca=\n",
	.doing = " probing",
	.parse = grpc_parse,
	.prepare = grpc_prepare,
	.run = check_conns_run,
	.bounded = true,
};
