/*
 * grpc: grpc://HOST:PORT, grpc.health.v1.Health/Check over HTTP/2 without
 * TLS, answered SERVING. lib/grpc.c builds the call and reads the answer;
 * the connection is lib/conn.c's, in the one poll loop of every probe.
 */
#ifndef HEALTHY_KIND_GRPC_H
#define HEALTHY_KIND_GRPC_H

#include "check.h"
#include "lib/conn.h"
#include "lib/tls.h"
#include "lib/url.h"

struct grpc;

extern const struct kind kind_grpc, kind_grpcs;

/* A grpc:// check's own state, pointed to by its struct check. */
struct grpc_check {
	struct conn conn;       /* first: check_conns_run() finds it there */
	struct url url;
	struct grpc *g;         /* the answer's buffers, mapped by prepare */
	struct tls_anchors ca;  /* grpcs://'s ca=, read by prepare */
};

#endif
