/*
 * http: what healthy reads of an HTTP response -- its status line -- and
 * what a line shows of a reply that is none.
 */
#ifndef HEALTHY_HTTP_H
#define HEALTHY_HTTP_H

#include <stddef.h>

#include "line.h"

/* Only the status line is read; a longer one is not HTTP. */
#define STATUS_LINE_MAX 512

/*
 * Parses the start of an HTTP response. Returns 1 with the status code and
 * reason phrase (inside buf) when the status line is complete, 0 when more
 * bytes are needed, -1 when these bytes are no HTTP status line.
 */
int http_status_parse(const char *buf, size_t len, int *code, const char **reason, size_t *reason_len);

/* At most this much of a reply that is no HTTP status line is shown. */
#define HTTP_EXCERPT_MAX 40

/*
 * Appends, escaped, the start of a reply that is no status line: its first
 * line with the empty lines before it (alone, an empty one says nothing), at
 * most HTTP_EXCERPT_MAX of buf's len bytes.
 */
void http_excerpt(struct line *l, const char *buf, size_t len);

#endif
