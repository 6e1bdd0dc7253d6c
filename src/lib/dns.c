#include "dns.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "scan.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The next blank-separated word of s[*i..n): its start, and its length (0 at the end). */
static const char *word(const char *s, size_t n, size_t *i, size_t *len)
{
	size_t start;

	while (*i < n && blank(s[*i]))
		(*i)++;
	start = *i;
	while (*i < n && !blank(s[*i]))
		(*i)++;
	*len = *i - start;
	return s + start;
}

static bool word_is(const char *w, size_t len, const char *s)
{
	return len == strlen(s) && !memcmp(w, s, len);
}

/* An address as resolv.conf and hosts write it: IPv4, or IPv6 with an optional %scope, which is dropped. */
static bool addr_parse(const char *w, size_t len, struct dns_addr *out)
{
	char buf[64];
	const char *pct = memchr(w, '%', len);

	if (pct)
		len = (size_t)(pct - w);
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, w, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if (!pct && scan_ip(AF_INET, buf, out->a) == 1) {
		out->family = AF_INET;
		return true;
	}
	if (scan_ip(AF_INET6, buf, out->a) == 1) {
		out->family = AF_INET6;
		return true;
	}
	return false;
}

void dns_conf_start(struct dns_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->ndots = 1;
	c->timeout_s = 5;
	c->attempts = 2;
}

/* "ndots:5": its number, capped, into *v; anything else leaves *v. */
static void option_uint(const char *w, size_t len, const char *key, unsigned max, unsigned *v)
{
	size_t k = strlen(key);
	unsigned long long n;

	if (len > k && !memcmp(w, key, k) && scan_uint(w + k, len - k, 1000000, &n) == SCAN_OK)
		*v = n > max ? max : (unsigned)n;
}

void dns_conf_line(struct dns_conf *c, const char *line, size_t len)
{
	size_t i = 0, klen, wlen;
	const char *key = word(line, len, &i, &klen), *w;

	if (!klen || key[0] == '#' || key[0] == ';')
		return;
	if (word_is(key, klen, "nameserver")) {
		w = word(line, len, &i, &wlen);
		if (c->nservers < DNS_MAX_SERVERS && addr_parse(w, wlen, &c->servers[c->nservers]))
			c->nservers++;
	} else if (word_is(key, klen, "search") || word_is(key, klen, "domain")) {
		/* The last search or domain line wins; domain names one. */
		c->nsearch = 0;
		while ((w = word(line, len, &i, &wlen)), wlen && c->nsearch < DNS_MAX_SEARCH) {
			if (w[0] == '#' || w[0] == ';')
				break;
			if (wlen < DNS_NAME_SIZE - 2) {
				memcpy(c->search[c->nsearch], w, wlen);
				c->search[c->nsearch++][wlen] = '\0';
			}
			if (key[0] == 'd')
				break;
		}
	} else if (word_is(key, klen, "options")) {
		/* musl's caps: ndots 15, timeout 60 s, attempts 10. */
		while ((w = word(line, len, &i, &wlen)), wlen) {
			option_uint(w, wlen, "ndots:", 15, &c->ndots);
			option_uint(w, wlen, "timeout:", 60, &c->timeout_s);
			option_uint(w, wlen, "attempts:", 10, &c->attempts);
		}
		if (c->timeout_s == 0)
			c->timeout_s = 1;
		if (c->attempts == 0)
			c->attempts = 1;
	}
}

void dns_conf_end(struct dns_conf *c)
{
	if (c->nservers)
		return;
	memset(&c->servers[0], 0, sizeof(c->servers[0]));
	c->servers[0].family = AF_INET;
	memcpy(c->servers[0].a, (const unsigned char[]){ 127, 0, 0, 1 }, 4);
	c->nservers = 1;
}

static bool same_name(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return false;
	for (i = 0; i < an; i++) {
		if (lower(a[i]) != lower(b[i]))
			return false;
	}
	return true;
}

int dns_hosts_line(const char *line, size_t len, const char *name, size_t n, struct dns_addr *out)
{
	const char *hash = memchr(line, '#', len), *w;
	size_t i = 0, wlen;
	struct dns_addr a;

	if (hash)
		len = (size_t)(hash - line);
	w = word(line, len, &i, &wlen);
	if (!wlen || !addr_parse(w, wlen, &a))
		return 0;
	while ((w = word(line, len, &i, &wlen)), wlen) {
		if (same_name(w, wlen, name, n)) {
			*out = a;
			return 1;
		}
	}
	return 0;
}

static size_t candidate_add(char (*out)[DNS_NAME_SIZE], size_t k, size_t max, const char *name, size_t n,
			    const char *domain)
{
	size_t d = domain ? strlen(domain) : 0, i;
	char *c = out[k];

	/* "example.com." in a search list is "example.com". */
	if (d && domain[d - 1] == '.')
		d--;
	if (k >= max || n + (d ? d + 1 : 0) >= DNS_NAME_SIZE - 2)
		return k;
	memcpy(c, name, n);
	if (d) {
		c[n] = '.';
		memcpy(c + n + 1, domain, d);
	}
	c[n + (d ? d + 1 : 0)] = '\0';
	for (i = 0; i < k; i++) {
		if (!strcmp(out[i], c))
			return k;
	}
	return k + 1;
}

size_t dns_candidates(const struct dns_conf *c, const char *name, size_t n, char (*out)[DNS_NAME_SIZE], size_t max)
{
	size_t dots = 0, i, k = 0;

	for (i = 0; i < n; i++)
		dots += name[i] == '.';
	/* "db." is absolute: that name alone. */
	if (n && name[n - 1] == '.')
		return candidate_add(out, 0, max, name, n - 1, NULL);
	/* As glibc: the name as it is first when it has ndots dots, then each search domain, then as it is. */
	if (dots >= c->ndots)
		k = candidate_add(out, k, max, name, n, NULL);
	for (i = 0; i < c->nsearch; i++)
		k = candidate_add(out, k, max, name, n, c->search[i]);
	return candidate_add(out, k, max, name, n, NULL);
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

size_t dns_query(unsigned char *buf, uint16_t id, const char *name, size_t n, uint16_t qtype)
{
	size_t pos = 12, start = 0, i;

	memset(buf, 0, 12);
	put16(buf, id);
	buf[2] = 0x01;          /* RD: recursion desired */
	put16(buf + 4, 1);      /* QDCOUNT */
	/* Labels of 1 to 63 bytes, 255 bytes on the wire at most (RFC 1035 2.3.4). */
	for (i = 0; i <= n; i++) {
		size_t l;

		if (i < n && name[i] != '.')
			continue;
		l = i - start;
		if (l == 0 || l > 63 || pos + 1 + l > 12 + 254)
			return 0;
		buf[pos++] = (unsigned char)l;
		memcpy(buf + pos, name + start, l);
		pos += l;
		start = i + 1;
	}
	buf[pos++] = 0;
	put16(buf + pos, qtype);
	put16(buf + pos + 2, 1);        /* class IN */
	return pos + 4;
}

/*
 * The name at off in p[0..len), lower-cased, as "a.b.c" into out; *end is
 * the offset after it where it was found. Compression pointers may only
 * point before the part of the name that holds them, so no chain of them
 * loops. Returns its length, or -1 for a name out of bounds, too long, a
 * loop or a label that is no label.
 */
static int name_read(const unsigned char *p, size_t len, size_t off, char *out, size_t *end)
{
	size_t pos = off, seg = off, n = 0, hops = 0;
	bool jumped = false;

	for (;;) {
		unsigned b;

		if (pos >= len)
			return -1;
		b = p[pos];
		if (b == 0)
			break;
		if ((b & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= len)
				return -1;
			target = (b & 0x3f) << 8 | p[pos + 1];
			if (!jumped)
				*end = pos + 2;
			if (target >= seg || ++hops > 64)
				return -1;
			jumped = true;
			pos = seg = target;
			continue;
		}
		if (b & 0xc0 || pos + 1 + b > len || n + 1 + b >= DNS_NAME_SIZE)
			return -1;
		if (n)
			out[n++] = '.';
		for (pos++; b--; pos++) {
			/* A dot or a NUL inside a label would make two names one. */
			if (p[pos] == '.' || p[pos] == 0)
				return -1;
			out[n++] = lower((char)p[pos]);
		}
	}
	if (!jumped)
		*end = pos + 1;
	out[n] = '\0';
	return (int)n;
}

struct record {
	char owner[DNS_NAME_SIZE];
	unsigned type, class;
	size_t rdata, rdlen;
};

/* The record at *off; *off past it. 0, or -1 when it does not fit. */
static int record_read(const unsigned char *p, size_t len, size_t *off, struct record *r)
{
	size_t end;

	if (name_read(p, len, *off, r->owner, &end) < 0 || end + 10 > len)
		return -1;
	r->type = get16(p + end);
	r->class = get16(p + end + 2);
	r->rdlen = get16(p + end + 8);
	r->rdata = end + 10;
	if (r->rdata + r->rdlen > len)
		return -1;
	*off = r->rdata + r->rdlen;
	return 0;
}

static bool in_chain(char (*chain)[DNS_NAME_SIZE], size_t n, const char *name)
{
	while (n--) {
		if (!strcmp(chain[n], name))
			return true;
	}
	return false;
}

enum dns_parse dns_answer_parse(const unsigned char *buf, size_t len, const unsigned char *q, size_t qlen,
				struct dns_answer *a)
{
	static char chain[DNS_MAX_CNAMES + 1][DNS_NAME_SIZE];
	static struct record r;
	size_t qdcount, ancount, first, off, i, k, nchain = 1, end;
	unsigned qtype;
	bool grew = true;

	memset(a, 0, sizeof(*a));
	/* Ours: our ID, an answer (QR), a standard query's; to our question, byte for byte but for case. */
	if (len < 12 || qlen < 17 || get16(buf) != get16(q) || !(buf[2] & 0x80) || (buf[2] & 0x78))
		return DNS_PARSE_NOT_OURS;
	a->rcode = buf[3] & 0x0f;
	a->truncated = (buf[2] & 0x02) != 0;
	qdcount = get16(buf + 4);
	ancount = get16(buf + 6);
	/*
	 * A server that refuses a query may leave the question out (FORMERR,
	 * REFUSED): the rcode is all it says. Not "no such name", which fails
	 * the check: that is taken only for the question asked.
	 */
	if (qdcount == 0 && a->rcode != DNS_NOERROR && a->rcode != DNS_NXDOMAIN)
		return DNS_PARSE_OK;
	if (qdcount != 1 || len < qlen)
		return DNS_PARSE_NOT_OURS;
	for (i = 12; i < qlen; i++) {
		if (lower((char)buf[i]) != lower((char)q[i]))
			return DNS_PARSE_NOT_OURS;
	}
	if (a->truncated || a->rcode != DNS_NOERROR)
		return DNS_PARSE_OK;
	qtype = get16(q + qlen - 4);
	if (name_read(q, qlen, 12, chain[0], &end) < 0)
		return DNS_PARSE_BAD;
	first = qlen;
	/* The CNAME chain from the name asked: each pass over the answers may add its next link. */
	while (grew) {
		grew = false;
		for (off = first, k = 0; k < ancount; k++) {
			if (record_read(buf, len, &off, &r))
				return DNS_PARSE_BAD;
			if (r.type != DNS_TYPE_CNAME || r.class != 1 || strcmp(r.owner, chain[nchain - 1]))
				continue;
			if (nchain > DNS_MAX_CNAMES)
				return DNS_PARSE_BAD;
			if (name_read(buf, len, r.rdata, chain[nchain], &end) < 0 || end != r.rdata + r.rdlen)
				return DNS_PARSE_BAD;
			if (in_chain(chain, nchain, chain[nchain]))
				return DNS_PARSE_BAD;       /* a CNAME loop */
			nchain++;
			grew = true;
			break;
		}
	}
	for (off = first, k = 0; k < ancount; k++) {
		size_t size = qtype == DNS_TYPE_A ? 4 : 16;

		if (record_read(buf, len, &off, &r))
			return DNS_PARSE_BAD;
		if (r.type != qtype || r.class != 1 || !in_chain(chain, nchain, r.owner))
			continue;
		if (r.rdlen != size)
			return DNS_PARSE_BAD;
		if (a->count < DNS_MAX_ADDRS) {
			a->addrs[a->count].family = qtype == DNS_TYPE_A ? AF_INET : AF_INET6;
			memcpy(a->addrs[a->count++].a, buf + r.rdata, size);
		}
	}
	return DNS_PARSE_OK;
}
