#include "scan.h"

#include <string.h>
#include <sys/socket.h>

enum scan_error scan_uint(const char *s, size_t n, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (n == 0)
		return SCAN_BAD;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return SCAN_BAD;
	}
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > max || v > (max - d) / 10)
			return SCAN_RANGE;
		v = v * 10 + d;
	}
	*out = v;
	return SCAN_OK;
}

enum scan_error scan_duration(const char *s, uint64_t *ms)
{
	unsigned long long total = 0;
	const char *p = s;
	bool nonzero = false;

	if (!*p)
		return SCAN_BAD;
	if (strspn(s, "0123456789") == strlen(s)) {
		/* A bare number is seconds, as Docker and ECS write them. */
		unsigned long long v;

		if (scan_uint(s, strlen(s), DURATION_MAX_MS / 1000, &v))
			return SCAN_RANGE;
		*ms = v * 1000;
		return SCAN_OK;
	}
	while (*p) {
		unsigned long long whole = 0, frac = 0, frac_scale = 1, unit;
		int digits = 0;

		for (; *p >= '0' && *p <= '9'; p++, digits++) {
			if (whole > DURATION_MAX_MS)
				return SCAN_RANGE;
			whole = whole * 10 + (unsigned)(*p - '0');
			nonzero |= *p != '0';
		}
		if (*p == '.') {
			for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
				nonzero |= *p != '0';
				/* Nine digits: a millisecond of an hour needs seven. */
				if (frac_scale < 1000000000) {
					frac = frac * 10 + (unsigned)(*p - '0');
					frac_scale *= 10;
				}
			}
		}
		if (!digits)
			return SCAN_BAD;
		if (p[0] == 'm' && p[1] == 's') {
			unit = 1;
			p++;
		} else if (*p == 's') {
			unit = 1000;
		} else if (*p == 'm') {
			unit = 60 * 1000;
		} else if (*p == 'h') {
			unit = 60 * 60 * 1000;
		} else {
			return SCAN_BAD;
		}
		p++;
		if (whole > DURATION_MAX_MS / unit)
			return SCAN_RANGE;
		total += whole * unit + frac * unit / frac_scale;
		if (total > DURATION_MAX_MS)
			return SCAN_RANGE;
	}
	/* "0.4ms" is not 0 ("for ever" to --wait): what rounds to nothing is out of range, as it is for -t. */
	if (nonzero && total == 0)
		return SCAN_RANGE;
	*ms = total;
	return SCAN_OK;
}

enum scan_error scan_port(const char *s, size_t n, uint16_t *port)
{
	unsigned long long v;
	enum scan_error r = scan_uint(s, n, 65535, &v);

	if (r == SCAN_OK && v == 0)
		r = SCAN_RANGE;
	if (r == SCAN_OK)
		*port = (uint16_t)v;
	return r;
}

enum hostport_error scan_hostport(const char *s, size_t n, struct hostport *hp)
{
	memset(hp, 0, sizeof(*hp));
	hp->host = s;
	hp->host_len = n;
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (!close || (close + 1 < s + n && close[1] != ':'))
			return HOSTPORT_BRACKET;
		hp->bracketed = true;
		hp->host = s + 1;
		hp->host_len = (size_t)(close - hp->host);
		if (close + 1 < s + n)
			hp->port = close + 2;
	} else {
		const char *colon = memrchr(s, ':', n);

		if (colon) {
			hp->host_len = (size_t)(colon - s);
			hp->port = colon + 1;
			if (memchr(s, ':', hp->host_len))
				return HOSTPORT_BARE_V6;
		}
	}
	if (hp->port)
		hp->port_len = (size_t)(s + n - hp->port);
	return HOSTPORT_OK;
}

size_t scan_option_key(const char *s, size_t n)
{
	size_t i = 0;

	/* "Min=2" and "max-age=5m" are mistyped options, not part of a name or a path. */
	if (!n || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
			 s[i] == '-' || s[i] == '_'))
		i++;
	return i < n && s[i] == '=' ? i : 0;
}

bool scan_option_last(const char *s, size_t n, struct scan_opt *o)
{
	o->comma = memrchr(s, ',', n);
	o->key = o->comma ? o->comma + 1 : s + n;
	o->key_len = o->comma ? scan_option_key(o->key, (size_t)(s + n - o->key)) : 0;
	if (!o->key_len)
		return false;
	o->val = o->key + o->key_len + 1;
	o->val_len = (size_t)(s + n - o->val);
	return true;
}

int scan_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 32);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int ip4(const char *s, unsigned char *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = 0, j = 0;

		while (j < 3 && s[j] >= '0' && s[j] <= '9')
			v = v * 10 + (unsigned)(s[j++] - '0');
		if (!j || v > 255 || (j > 1 && s[0] == '0') || s[j] != (i < 3 ? '.' : '\0'))
			return 0;
		a[i] = (unsigned char)v;
		s += j + 1;
	}
	return 1;
}

int scan_ip(int family, const char *s, unsigned char *out)
{
	unsigned char t[16];
	size_t n = 0, gap = 17;        /* bytes parsed; where "::" stands, in them (17: nowhere) */

	if (family == AF_INET)
		return ip4(s, out);
	if (s[0] == ':' && *++s != ':')
		return 0;
	while (*s) {
		unsigned v = 0, j = 0;

		if (*s == ':') {
			/* A second "::", or a third ':'. */
			if (gap < 17)
				return 0;
			gap = n;
			s++;
			continue;
		}
		while (j < 4 && scan_hex(s[j]) >= 0)
			v = v << 4 | (unsigned)scan_hex(s[j++]);
		if (s[j] == '.') {
			/* The last 32 bits as IPv4: "::ffff:10.0.0.1". */
			if (n > 12 || !ip4(s, t + n))
				return 0;
			n += 4;
			break;
		}
		if (!j || n == 16 || (s[j] && (s[j] != ':' || !s[j + 1])))
			return 0;
		t[n++] = (unsigned char)(v >> 8);
		t[n++] = (unsigned char)v;
		s += j + (s[j] == ':');
	}
	/* "::" stands for one zero group or more. */
	if (gap == 17 ? n != 16 : n > 14)
		return 0;
	if (gap == 17)
		gap = n;
	memset(out, 0, 16);
	memcpy(out, t, gap);
	memcpy(out + 16 - (n - gap), t + gap, n - gap);
	return 1;
}
