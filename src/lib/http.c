#include "http.h"

#include <string.h>

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
