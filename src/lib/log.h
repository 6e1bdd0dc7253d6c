/*
 * log: --log=PATH, the lines operators must see, where they look. Fargate
 * shows no health check's output, and Docker keeps it where nobody looks;
 * /proc/1/fd/2, the main process's stderr, is what docker logs, CloudWatch
 * and kubectl logs show. Each line goes there too, after an RFC 3339 UTC
 * time, in one write: never torn, never mixed with the service's own.
 */
#ifndef HEALTHY_LOG_H
#define HEALTHY_LOG_H

#include <stdbool.h>

#include "line.h"

/*
 * Opens path to append to, before confinement. A path under /proc (another
 * process's descriptor) is reopened, never created; any other is created
 * when missing. Returns 0, or -1 with the line to say in err: a log that
 * cannot be had never changes an answer.
 */
int log_open(const char *path, struct line *err);

/* The log's descriptor, or -1: the seccomp filter lets write() reach it and stdout and stderr only. */
int log_fd(void);

/* Whether a write of the log may wait (a file: NFS, FUSE), where O_NONBLOCK does not reach; a pipe's never does. */
bool log_may_block(void);

/* "2026-12-06T05:40:12.345Z": RFC 3339, UTC, in milliseconds. */
#define LOG_STAMP_LEN 24

/* s seconds and ms milliseconds since 1970 (UTC) as RFC 3339 into b, NUL-terminated (LOG_STAMP_LEN + 1 bytes). Pure. */
void log_stamp(char *b, unsigned long long s, unsigned ms);

/* "2026-12-06T05:40:12.345Z " and l, appended to the log if there is one; its first failure is said on stderr. */
void log_line(const struct line *l);

#endif
