/*
 * sock: the tcp:, udp: and unix: checks, answered from the kernel's socket
 * tables (sockdiag.c) without touching the service: no connect, no packet.
 */
#ifndef HEALTHY_SOCK_H
#define HEALTHY_SOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "lib/line.h"

/* The environment variable that makes healthy read /proc/net instead of asking sock_diag. */
#define SOCK_PROCNET_ENV "HEALTHY_PROCNET"

/*
 * Parses what follows "tcp:", "udp:" (PORT, ADDR:PORT, [ADDR6]:PORT) or "unix:"
 * (PATH, @NAME), c->kind set. Returns 0, or -1 with the usage error in err.
 */
int sock_spec_parse(struct check *c, const char *body, struct line *err);

/*
 * Runs every socket check in checks, with one read of each table they need,
 * waiting at most wait_ms for the kernel, and sets each verdict.
 */
void sock_run(struct check *checks, size_t n, uint64_t wait_ms);

#endif
