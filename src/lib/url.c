#include "url.h"

#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "lib/http.h"
#include "lib/scan.h"

#define HTTP_PORT 80

/* body= is looked for by http_find, service= sent by grpc_request: their bounds are theirs. */
_Static_assert(URL_BODY_MAX <= HTTP_FIND_MAX, "body= longer than http_find takes");

static int usage(struct line *err, const char *spec, const char *why)
{
	line_start(err, spec);
	line_str(err, why);
	return -1;
}

const char *url_split(const char *s, size_t n, struct hostport *hp)
{
	switch (scan_hostport(s, n, hp)) {
	case HOSTPORT_BRACKET:
		return "write an IPv6 address as [ADDR]:PORT";
	case HOSTPORT_BARE_V6:
		return "write an IPv6 address in brackets: [::1]:PORT";
	default:
		return NULL;
	}
}

const char *url_port(const char *s, size_t n, uint16_t *port)
{
	enum scan_error r = scan_port(s, n, port);

	return r == SCAN_OK ? NULL : r == SCAN_BAD ? "not a port (1-65535)" : "port out of range";
}

int url_hostport(struct url *u, const char *spec, const char *s, size_t n, uint16_t default_port, struct line *err)
{
	struct hostport hp;
	unsigned char a[16];
	const char *why = url_split(s, n, &hp);
	size_t i;

	if (why)
		return usage(err, spec, why);
	if (hp.host_len == 0)
		return usage(err, spec, "empty host");
	if (hp.host_len >= URL_HOST_SIZE)
		return usage(err, spec, "host name too long");
	for (i = 0; i < hp.host_len; i++) {
		/* They would split the Host header, or the request, in two. */
		if ((unsigned char)hp.host[i] <= ' ' || hp.host[i] == 0x7f)
			return usage(err, spec, "the host holds a space or a control character");
	}
	memcpy(u->host, hp.host, hp.host_len);
	u->host[hp.host_len] = '\0';
	if (hp.bracketed && scan_ip(AF_INET6, u->host, a) != 1)
		return usage(err, spec, "not an IPv6 address");
	/* "http://h:/" is port 80 (RFC 3986 3.2.3). */
	if (!hp.port || (default_port && !hp.port_len)) {
		if (!default_port)
			return usage(err, spec, "needs HOST:PORT");
		u->port = default_port;
		return 0;
	}
	why = url_port(hp.port, hp.port_len, &u->port);
	return why ? usage(err, spec, why) : 0;
}

/* A character of a header's name (RFC 9110 5.6.2 tchar). */
static bool tchar(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* Bytes that would end a header line, or the request, early: a control character but tab. */
static bool has_control(const char *s, size_t n, bool tab_too)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] < ' ' && (tab_too || s[i] != '\t')) || s[i] == 0x7f)
			return true;
	}
	return false;
}

/* One ",key=value"; key_len bytes of key at opt, n bytes in all. Returns 0, 1 for a key not in takes, or -1 with the usage line. */
static int option(struct url *u, const char *spec, const char *opt, size_t n, size_t key_len, unsigned takes,
		  struct line *err)
{
	/* In the order of the URL_ bits: k is the key's. */
	static const char keys[] = "header\0method\0host\0status\0body\0unix\0service\0ca\0servername\0cert\0key\0";
	const char *v = opt + key_len + 1, *key = keys;
	size_t vn = n - key_len - 1, name = 0;
	unsigned k;

	for (k = 0; *key && (strlen(key) != key_len || memcmp(opt, key, key_len)); k++)
		key += strlen(key) + 1;
	if (!*key || !(takes & 1u << k))
		return 1;
	/* header= may come again; each of the others once. */
	if (k && u->given & 1u << k) {
		line_start(err, spec);
		line_mem(err, opt, key_len);
		line_str(err, "= given twice");
		return -1;
	}
	u->given |= 1u << k;
	if (!vn) {
		line_start(err, spec);
		line_str(err, "empty ");
		line_mem(err, opt, key_len + 1);
		return -1;
	}
	switch (k) {
	case 0:
		while (name < vn && tchar(v[name]))
			name++;
		if (!name || name == vn || v[name] != ':')
			return usage(err, spec, "header= takes NAME: VALUE");
		if (has_control(v, vn, false))
			return usage(err, spec, "header= holds CR, LF or another control character");
		if (vn > URL_HEADER_MAX || u->nhdr == URL_MAX_HEADERS)
			return usage(err, spec, vn > URL_HEADER_MAX ? "header= longer than 1024 bytes" : "more than 8 header= options");
		/* Options come off the right end: the last given first, put in order at the end. */
		u->hdr[u->nhdr] = v;
		u->hdr_len[u->nhdr++] = vn;
		return 0;
	case 1:
		u->head = vn == 4 && !memcmp(v, "HEAD", 4);
		if (!u->head && (vn != 3 || memcmp(v, "GET", 3)))
			return usage(err, spec, "method= takes GET or HEAD");
		return 0;
	case 2:
		if (vn >= URL_HOST_SIZE + 6 || has_control(v, vn, true) || memchr(v, ' ', vn))
			return usage(err, spec, vn >= URL_HOST_SIZE + 6 ? "host= too long" : "host= holds a space or a control character");
		u->authority = v;
		u->authority_len = vn;
		return 0;
	case 3:
		if (http_status_range_parse(v, vn, &u->status_lo, &u->status_hi))
			return usage(err, spec, "status= takes a code (200), a class (2xx) or a range (200-204), from 100 to 599");
		u->status = v;
		u->status_len = vn;
		return 0;
	case 4:
		if (vn > URL_BODY_MAX)
			return usage(err, spec, "body= longer than 256 bytes");
		u->body = v;
		u->body_len = vn;
		return 0;
	case 6:
		if (vn > URL_SERVICE_MAX)
			return usage(err, spec, "service= longer than 255 bytes");
		u->service = v;
		u->service_len = vn;
		return 0;
	case 7:
	case 9:
	case 10:
		if (vn >= 4096)
			return usage(err, spec, k == 7 ? "ca= path too long" : k == 9 ? "cert= path too long" : "key= path too long");
		*(k == 7 ? &u->ca : k == 9 ? &u->cert : &u->key) = v;
		*(k == 7 ? &u->ca_len : k == 9 ? &u->cert_len : &u->key_len) = vn;
		return 0;
	case 8:
		if (vn >= URL_HOST_SIZE || has_control(v, vn, true) || memchr(v, ' ', vn))
			return usage(err, spec, vn >= URL_HOST_SIZE ? "servername= too long" : "servername= holds a space or a control character");
		u->servername = v;
		u->servername_len = vn;
		return 0;
	default:
		/* sun_path's 108 bytes, a NUL or the abstract name's leading 0 among them. */
		if (vn >= sizeof(((struct sockaddr_un *)0)->sun_path))
			return usage(err, spec, "unix= path longer than 107 bytes");
		u->unix_path = v;
		u->unix_len = vn;
		return 0;
	}
}

bool url_header_given(const struct url *u, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < u->nhdr; i++) {
		if (u->hdr_len[i] > n && u->hdr[i][n] == ':' && !strncasecmp(u->hdr[i], name, n))
			return true;
	}
	return false;
}

int url_parse(struct url *u, const char *spec, const char *body, unsigned takes, const char *known, struct line *err)
{
	/* "http://": the scheme, its colon and the slashes, as a message about an option names it (not "not:http://"). */
	const char *kind = body - 1, *comma, *auth, *host_end, *frag;
	size_t kind_len, end = strlen(body), search = end, i;

	while (kind > spec && ((kind[-1] | 0x20) >= 'a' && (kind[-1] | 0x20) <= 'z'))
		kind--;
	kind_len = (size_t)(body + 2 - kind);

	/*
	 * The options off the right end, as proc: takes them; a piece that is
	 * no option (",b") belongs to what is on its left: a header's value
	 * ("header=Accept: a,b"), or the URL.
	 */
	while ((comma = memrchr(body, ',', search)) != NULL) {
		const char *opt = comma + 1;
		size_t key_len = scan_option_key(opt, (size_t)(body + end - opt));

		search = (size_t)(comma - body);
		if (!key_len)
			continue;
		switch (option(u, spec, opt, (size_t)(body + end - opt), key_len, takes, err)) {
		case 1:
			line_unknown_option(err, spec, kind, kind_len, opt, key_len, known);
			return -1;
		case -1:
			return -1;
		}
		end = search;
	}
	for (i = 0; i < u->nhdr / 2; i++) {
		const char *h = u->hdr[i];
		size_t hl = u->hdr_len[i];

		u->hdr[i] = u->hdr[u->nhdr - 1 - i];
		u->hdr_len[i] = u->hdr_len[u->nhdr - 1 - i];
		u->hdr[u->nhdr - 1 - i] = h;
		u->hdr_len[u->nhdr - 1 - i] = hl;
	}
	if (u->authority && url_header_given(u, "host"))
		return usage(err, spec, "host= and header=Host: both given");
	if (u->head && u->body)
		return usage(err, spec, "body= needs a body, and method=HEAD has none");
	auth = body + 2;
	host_end = auth + strcspn(auth, "/?#");
	if (host_end > body + end)
		host_end = body + end;
	if (memchr(auth, '@', (size_t)(host_end - auth)))
		return usage(err, spec, "user:password@ in a URL is not supported");
	/* gRPC has no default port; over unix= the port is only :authority's, and left out. */
	u->default_port = takes & URL_TLS ? 443 : HTTP_PORT;
	if (url_hostport(u, spec, auth, (size_t)(host_end - auth),
			 takes & URL_NEEDS_PORT && !u->unix_path ? 0 : u->default_port, err))
		return -1;
	if (takes & URL_TLS) {
		unsigned char a[16];

		/* RFC 6066 3: SNI is a name, never an address. */
		u->host_is_addr = scan_ip(AF_INET, u->host, a) == 1 || scan_ip(AF_INET6, u->host, a) == 1;
		if (u->ca && !u->servername && u->host_is_addr)
			return usage(err, spec, "ca= verifies a name, and an address is none: give it with servername=NAME");
		if (!u->cert != !u->key)
			return usage(err, spec, "cert= and key= go together: the client's certificate and its private key");
	}
	/* The fragment is the client's own: it is never sent. */
	u->rest_len = (size_t)(body + end - host_end);
	frag = memchr(host_end, '#', u->rest_len);
	u->path = host_end;
	u->path_len = (size_t)((frag ? frag : body + end) - host_end);
	if (u->path_len > URL_PATH_MAX)
		return usage(err, spec, "path too long");
	for (i = 0; i < u->path_len; i++) {
		unsigned char ch = (unsigned char)u->path[i];

		/* They would end the request line, or start another; and a URL is ASCII. */
		if (ch <= ' ' || ch >= 0x7f)
			return usage(err, spec, "the path holds a space or a control character (write it %-encoded)");
	}
	return 0;
}

void url_authority(const struct url *u, struct line *l)
{
	bool v6 = strchr(u->host, ':') != NULL;

	line_reset(l);
	if (u->authority) {
		line_mem(l, u->authority, u->authority_len);
		return;
	}
	/* Built from what was parsed, not copied as typed: "h:0080" and "h:" say port 80, and are bounded. */
	line_str(l, v6 ? "[" : "");
	line_str(l, u->host);
	line_str(l, v6 ? "]" : "");
	if (u->port != (u->default_port ? u->default_port : HTTP_PORT)) {
		line_str(l, ":");
		line_uint(l, u->port);
	}
}
