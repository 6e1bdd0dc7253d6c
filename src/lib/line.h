/*
 * line: one-line messages built in a fixed buffer and written with one
 * write(2), so that no line is torn and no stdio is linked.
 */
#ifndef HEALTHY_LINE_H
#define HEALTHY_LINE_H

#include <stddef.h>

/* Docker keeps the first 4 KiB of a probe's output; no one line needs more than this. */
#define LINE_SIZE 512

struct line {
	char buf[LINE_SIZE];
	size_t len;
	int truncated;
};

void line_reset(struct line *l);
void line_mem(struct line *l, const char *s, size_t n);
void line_str(struct line *l, const char *s);
void line_uint(struct line *l, unsigned long long v);
void line_int(struct line *l, long long v);
/* Appends bytes that another user controls (process names, paths): C escapes for control bytes and backslash, \xNN for bytes that are not printable UTF-8. */
void line_escaped(struct line *l, const char *s, size_t n);
/* An IP address as RFC 5952 writes it (IPv4 dotted; IPv6 compressed, lower-case, "::ffff:a.b.c.d" when mapped). */
void line_ip(struct line *l, int family, const unsigned char *a);
/* "127.0.0.1:80" or "[::1]:80". */
void line_addr(struct line *l, int family, const unsigned char *a, unsigned port);
/* A duration as people write it: "800ms", "5s", "2m5s", "1h2m". */
void line_duration(struct line *l, unsigned long long ms);
/* A libc message with its first word lower-cased, as healthy's own lines are. */
void line_lower(struct line *l, const char *why);
/* err in musl strerror()'s words, the first lower-cased: "permission denied"; "errno N" for a rare one. */
void line_reason(struct line *l, int err);
/* what + ": " + line_reason(err) */
void line_errno(struct line *l, const char *what, int err);

/* The most of a check's own text a line shows. */
#define WHAT_SHOWN 200
/* Starts l afresh with "healthy: WHAT: " (WHAT escaped, cut at WHAT_SHOWN bytes), or "healthy: " for NULL. */
void line_start(struct line *l, const char *what);
/* Writes the line and a newline to fd. Returns -1 on a failed write, 0 otherwise. Keeps errno. */
int line_write(int fd, const struct line *l);

/* The most bytes line_write_once() puts before a line. */
#define LINE_PREFIX_MAX 32

/*
 * line_write() for a file that is neither stdout nor stderr (--log), after
 * prefix (pn bytes, at most LINE_PREFIX_MAX): one write(2), which takes the
 * line whole (a pipe takes up to PIPE_BUF bytes at once) or fails, never
 * waiting for room; its bytes count against no budget. Sets errno on -1
 * (EAGAIN: no room).
 */
int line_write_once(int fd, const char *prefix, size_t pn, const struct line *l);

/* Total bytes that line_write() sent to stdout and stderr so far; callers keep the output under Docker's 4 KiB. */
size_t line_bytes_written(void);

/* "healthy: SPEC: unknown option 'KEY' (KIND takes KNOWN)": KIND, the kind_len bytes at kind ("proc:"), within spec. */
void line_unknown_option(struct line *l, const char *spec, const char *kind, size_t kind_len, const char *key,
			 size_t key_len, const char *known);

#endif
