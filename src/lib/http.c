#include "http.h"

#include <string.h>
#include <strings.h>

#include "scan.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

size_t http_request(char *out, const struct url *u)
{
	struct line host;
	size_t n = 0, i;

	url_authority(u, &host);
#define PUT(s, len) (memcpy(out + n, (s), (len)), n += (len))
#define PUTS(s) PUT(s, sizeof(s) - 1)
	if (u->head)
		PUTS("HEAD ");
	else
		PUTS("GET ");
	if (!u->path_len || u->path[0] != '/')
		PUTS("/");
	PUT(u->path, u->path_len);
	PUTS(" HTTP/1.1\r\n");
	if (!url_header_given(u, "host")) {
		PUTS("Host: ");
		PUT(host.buf, host.len);
		PUTS("\r\n");
	}
	if (!url_header_given(u, "user-agent"))
		PUTS("User-Agent: healthy/" VERSION "\r\n");
	if (!url_header_given(u, "connection"))
		PUTS("Connection: close\r\n");
	for (i = 0; i < u->nhdr; i++) {
		PUT(u->hdr[i], u->hdr_len[i]);
		PUTS("\r\n");
	}
	PUTS("\r\n");
#undef PUTS
#undef PUT
	return n;
}

int http_status_parse(const char *buf, size_t len, int *code, const char **reason, size_t *reason_len)
{
	/* RFC 9112 4: HTTP-version SP status-code SP [ reason-phrase ] CRLF; a bare LF is taken too. */
	static const char prefix[] = "HTTP/";
	const char *nl = memchr(buf, '\n', len), *end;
	size_t i, n = len < 5 ? len : 5;

	if (memcmp(buf, prefix, n))
		return -1;
	if (!nl)
		return len >= STATUS_LINE_MAX ? -1 : 0;
	end = nl > buf && nl[-1] == '\r' ? nl - 1 : nl;
	/* HTTP-version is "HTTP/" DIGIT "." DIGIT; then SP and three digits: "HTTP/1.1 200", at the least. */
	if (end - buf < 12 || buf[5] < '0' || buf[5] > '9' || buf[6] != '.' || buf[7] < '0' || buf[7] > '9' ||
	    buf[8] != ' ')
		return -1;
	i = 9;
	if (buf[i] < '1' || buf[i] > '5' || buf[i + 1] < '0' || buf[i + 1] > '9' || buf[i + 2] < '0' || buf[i + 2] > '9')
		return -1;
	*code = (buf[i] - '0') * 100 + (buf[i + 1] - '0') * 10 + (buf[i + 2] - '0');
	i += 3;
	if (buf + i < end && buf[i] != ' ')
		return -1;
	*reason = buf + i + (buf + i < end);
	*reason_len = (size_t)(end - *reason);
	return 1;
}

void http_excerpt(struct line *l, const char *buf, size_t len)
{
	size_t n = 0;

	/* "\r\nHTTP/1.1 200 OK" has an empty first line: shown alone, it would be "". */
	if (len > HTTP_EXCERPT_MAX)
		len = HTTP_EXCERPT_MAX;
	while (n < len && (buf[n] == '\r' || buf[n] == '\n'))
		n++;
	while (n < len && buf[n] != '\r' && buf[n] != '\n')
		n++;
	line_escaped(l, buf, n);
}

int http_status_range_parse(const char *s, size_t n, uint16_t *lo, uint16_t *hi)
{
	const char *dash = memchr(s, '-', n);
	unsigned long long a, b;

	/* "2xx": a class. */
	if (n == 3 && s[0] >= '1' && s[0] <= '5' && (s[1] | 0x20) == 'x' && (s[2] | 0x20) == 'x') {
		*lo = (uint16_t)((s[0] - '0') * 100);
		*hi = (uint16_t)(*lo + 99);
		return 0;
	}
	if (dash ? scan_uint(s, (size_t)(dash - s), 599, &a) || scan_uint(dash + 1, (size_t)(s + n - dash - 1), 599, &b)
		 : scan_uint(s, n, 599, &a))
		return -1;
	if (!dash)
		b = a;
	if (a < 100 || b < a)
		return -1;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

enum { HM_HEADERS, HM_BODY, HM_CHUNK_SIZE, HM_CHUNK_DATA, HM_CHUNK_END, HM_TRAILERS, HM_DONE };

/* m->state's flags beyond the state: a coding the body cannot be read through, a body that runs to the close. */
#define HM_BAD_CODING 0x40
#define HM_TO_CLOSE 0x80
#define HM_STATE(m) ((m)->state & 0x3f)

void http_msg_start(struct http_msg *m, bool no_body)
{
	memset(m, 0, sizeof(*m));
	m->no_body = no_body;
}

/* s[0..n) is name (any case), ':' and optional whitespace: the value's offset, else 0. */
static size_t header_is(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name);

	if (n <= k || strncasecmp(s, name, k) || s[k] != ':')
		return 0;
	for (k++; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
		;
	return k;
}

/* The value without the whitespace after it. */
static size_t value_len(const char *v, size_t n)
{
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return n;
}

static enum http_msg_result header_line(struct http_msg *m, const char *s, size_t n)
{
	size_t v;

	if (!n) {
		/* The headers' end: what the body is. */
		if (m->no_body)
			return HTTP_MSG_END;
		if (m->state & HM_BAD_CODING)
			return HTTP_MSG_BAD_CODING;
		if (m->chunked) {
			m->state = HM_CHUNK_SIZE;
		} else if (m->have_length) {
			m->state = HM_BODY;
			if (!m->left)
				return HTTP_MSG_END;
		} else {
			/* RFC 9112 6.3: neither, and the body is what comes until the close. */
			m->state = HM_BODY | HM_TO_CLOSE;
			m->left = UINT64_MAX;
		}
		return HTTP_MSG_MORE;
	}
	if ((v = header_is(s, n, "content-length")) != 0) {
		uint64_t len = 0;
		size_t i, e = value_len(s + v, n - v);

		/* 15 digits: a petabyte, and no overflow. */
		if (m->line_cut || !e || e > 15)
			return HTTP_MSG_BAD_LENGTH;
		for (i = 0; i < e; i++) {
			if (s[v + i] < '0' || s[v + i] > '9')
				return HTTP_MSG_BAD_LENGTH;
			len = len * 10 + (uint64_t)(s[v + i] - '0');
		}
		if (m->have_length && m->left != len)
			return HTTP_MSG_BAD_LENGTH;
		m->have_length = true;
		m->left = len;
	} else if ((v = header_is(s, n, "transfer-encoding")) != 0) {
		/* chunked alone is read; gzip and the rest would have to be undone to find anything in the body. */
		if (m->line_cut || value_len(s + v, n - v) != 7 || strncasecmp(s + v, "chunked", 7))
			m->state |= HM_BAD_CODING;
		m->chunked = true;
	} else if ((v = header_is(s, n, "content-encoding")) != 0) {
		if (m->line_cut || value_len(s + v, n - v) != 8 || strncasecmp(s + v, "identity", 8))
			m->state |= HM_BAD_CODING;
	}
	return HTTP_MSG_MORE;
}

static enum http_msg_result chunk_size_line(struct http_msg *m, const char *s, size_t n)
{
	uint64_t size = 0;
	size_t i;

	/* RFC 9112 7.1: chunk-size [ chunk-ext ] CRLF; at most 15 hex digits, and no overflow. */
	for (i = 0; i < n && i < 16; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (unsigned)((c | 0x20) - 'a' + 10) : 16;

		if (d == 16)
			break;
		size = size << 4 | d;
	}
	if (!i || i > 15 || m->line_cut || (i < n && s[i] != ';' && s[i] != ' ' && s[i] != '\t'))
		return HTTP_MSG_BAD_CHUNK;
	m->left = size;
	m->state = size ? HM_CHUNK_DATA : HM_TRAILERS;
	return HTTP_MSG_MORE;
}

enum http_msg_result http_msg_feed(struct http_msg *m, const char *p, size_t n,
				   void (*body)(void *ctx, const char *p, size_t n), void *ctx)
{
	size_t i = 0;

	while (i < n) {
		enum http_msg_result r = HTTP_MSG_MORE;
		size_t len;
		char c;

		if (HM_STATE(m) == HM_BODY || HM_STATE(m) == HM_CHUNK_DATA) {
			size_t k = n - i < m->left ? n - i : (size_t)m->left;

			body(ctx, p + i, k);
			i += k;
			if (!(m->state & HM_TO_CLOSE))
				m->left -= k;
			if (m->left)
				continue;
			if (HM_STATE(m) == HM_BODY)
				return HTTP_MSG_END;
			m->state = HM_CHUNK_END;
			continue;
		}
		c = p[i++];
		if (HM_STATE(m) == HM_CHUNK_END) {
			/* The CRLF after a chunk's data (a bare LF is taken too). */
			if (c == '\r' && !m->line_len) {
				m->line_len = 1;
				continue;
			}
			if (c != '\n')
				return HTTP_MSG_BAD_CHUNK;
			m->line_len = 0;
			m->state = HM_CHUNK_SIZE;
			continue;
		}
		/* Headers and trailers are bounded together; a chunk size line, by HTTP_LINE_MAX. */
		if (HM_STATE(m) != HM_CHUNK_SIZE && ++m->header_bytes > HTTP_HEADERS_MAX)
			return HTTP_MSG_HEADERS_LONG;
		if (c != '\n') {
			if (m->line_len < HTTP_LINE_MAX)
				m->line[m->line_len++] = c;
			else
				m->line_cut = true;
			continue;
		}
		len = m->line_len && m->line[m->line_len - 1] == '\r' && !m->line_cut ? m->line_len - 1 : m->line_len;
		if (HM_STATE(m) == HM_HEADERS)
			r = header_line(m, m->line, len);
		else if (HM_STATE(m) == HM_CHUNK_SIZE)
			r = chunk_size_line(m, m->line, len);
		else if (!len)
			r = HTTP_MSG_END;   /* the trailers' end */
		m->line_len = 0;
		m->line_cut = false;
		if (r != HTTP_MSG_MORE)
			return r;
	}
	return HTTP_MSG_MORE;
}

enum http_msg_result http_msg_close(const struct http_msg *m)
{
	return m->state & HM_TO_CLOSE ? HTTP_MSG_END : HTTP_MSG_CUT;
}

void http_find_start(struct http_find *f, const char *text, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->text = text;
	f->len = len;
}

/* Whether t[0..tn) is in s[0..n): a plain search, 64 KiB by 256 bytes at worst, for a libc memmem of 1.2 KB. */
static bool contains(const char *s, size_t n, const char *t, size_t tn)
{
	size_t i;

	for (i = 0; i + tn <= n; i++) {
		if (s[i] == t[0] && !memcmp(s + i, t, tn))
			return true;
	}
	return false;
}

void http_find_feed(struct http_find *f, const char *p, size_t n)
{
	static char joint[2 * HTTP_FIND_MAX];
	size_t keep = f->len - 1;

	if (f->found || !n)
		return;
	/* A match across the last piece's end starts in the tail kept of it. */
	if (f->kept) {
		size_t k = n < keep ? n : keep;

		memcpy(joint, f->tail, f->kept);
		memcpy(joint + f->kept, p, k);
		f->found = contains(joint, f->kept + k, f->text, f->len);
	}
	f->found = f->found || contains(p, n, f->text, f->len);
	if (n >= keep) {
		memcpy(f->tail, p + n - keep, keep);
		f->kept = keep;
	} else {
		size_t old = f->kept + n > keep ? keep - n : f->kept;

		memmove(f->tail, f->tail + f->kept - old, old);
		memcpy(f->tail + old, p, n);
		f->kept = old + n;
	}
}
