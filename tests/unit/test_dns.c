/*
 * lib/dns.c: resolv.conf and hosts lines as musl and glibc read them, the
 * names a search list makes, the query on the wire, and answers: real ones
 * recorded from dnsmasq (tests/fixtures/dns-*.bin, see dns_fixture()) and
 * hostile ones built here -- another ID, another question, compression
 * loops, pointers and lengths out of bounds, CNAME chains too long.
 */
#include "fixture.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "lib/dns.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- resolv.conf ---- */

static void conf_of(struct dns_conf *c, const char *text)
{
	const char *p = text;

	dns_conf_start(c);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		dns_conf_line(c, p, n);
		p += n + (nl != NULL);
	}
	dns_conf_end(c);
}

static void dns_conf_reads_servers_search_and_options(void **state)
{
	struct dns_conf c;
	char a[64];

	(void)state;
	/* Kubernetes' own. */
	conf_of(&c, "search default.svc.cluster.local svc.cluster.local cluster.local\n"
		    "nameserver 10.96.0.10\n"
		    "options ndots:5\n");
	assert_int_equal(c.nservers, 1);
	assert_string_equal(inet_ntop(AF_INET, c.servers[0].a, a, sizeof(a)), "10.96.0.10");
	assert_int_equal(c.nsearch, 3);
	assert_string_equal(c.search[0], "default.svc.cluster.local");
	assert_string_equal(c.search[2], "cluster.local");
	assert_int_equal(c.ndots, 5);
	assert_int_equal(c.timeout_s, 5);
	assert_int_equal(c.attempts, 2);
	/* Docker's embedded server, comments, an IPv6 server with a scope, a fourth server dropped. */
	conf_of(&c, "# generated\n; also a comment\nnameserver 127.0.0.11\n\tnameserver   fe80::1%eth0  \n"
		    "nameserver bogus\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n"
		    "options timeout:1 attempts:3 rotate edns0\r\n");
	assert_int_equal(c.nservers, 3);
	assert_int_equal(c.servers[1].family, AF_INET6);
	assert_string_equal(inet_ntop(AF_INET6, c.servers[1].a, a, sizeof(a)), "fe80::1");
	assert_string_equal(inet_ntop(AF_INET, c.servers[2].a, a, sizeof(a)), "10.0.0.2");
	assert_int_equal(c.timeout_s, 1);
	assert_int_equal(c.attempts, 3);
	assert_int_equal(c.nsearch, 0);
	/* The last of search and domain wins; domain names one; musl's caps. */
	conf_of(&c, "search a.example b.example\ndomain c.example d.example\n"
		    "options ndots:99 timeout:0 attempts:100 timeout:999\n");
	assert_int_equal(c.nsearch, 1);
	assert_string_equal(c.search[0], "c.example");
	assert_int_equal(c.ndots, 15);
	assert_int_equal(c.timeout_s, 60);
	assert_int_equal(c.attempts, 10);
	/* Nothing at all: 127.0.0.1, as musl and glibc. */
	conf_of(&c, "");
	assert_int_equal(c.nservers, 1);
	assert_string_equal(inet_ntop(AF_INET, c.servers[0].a, a, sizeof(a)), "127.0.0.1");
}

/* ---- hosts ---- */

static void dns_hosts_line_matches_any_name_of_a_line(void **state)
{
	static const struct {
		const char *line, *name;
		int want;
		const char *addr;
	} rows[] = {
		{ "127.0.0.1\tlocalhost", "localhost", 1, "127.0.0.1" },
		{ "10.0.0.5 db db.internal  # the database", "db.internal", 1, "10.0.0.5" },
		{ "10.0.0.5 db db.internal  # the database", "DB", 1, "10.0.0.5" },
		{ "10.0.0.5 db db.internal  # the database", "database", 0, NULL },
		{ "10.0.0.5 db db.internal  # the database", "db.intern", 0, NULL },
		{ "::1 ip6-localhost ip6-loopback", "ip6-loopback", 1, "::1" },
		{ "fe80::1%lo app", "app", 1, "fe80::1" },
		{ "# 10.0.0.6 commented", "commented", 0, NULL },
		{ "10.0.0.7#app", "app", 0, NULL },
		{ "not-an-address app", "app", 0, NULL },
		{ "10.0.0.300 app", "app", 0, NULL },
		{ "", "app", 0, NULL },
		{ "   ", "app", 0, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct dns_addr a;
		char s[64];

		ROW_INT(rows[i].line, dns_hosts_line(rows[i].line, strlen(rows[i].line), rows[i].name,
						     strlen(rows[i].name), &a), rows[i].want);
		if (rows[i].want) {
			inet_ntop(a.family, a.a, s, sizeof(s));
			ROW_MEM(rows[i].line, s, strlen(s), rows[i].addr, strlen(rows[i].addr));
		}
	}
}

/* ---- the names to ask ---- */

static void dns_candidates_follow_ndots_and_the_search_list(void **state)
{
	static const struct {
		const char *conf, *name, *want;    /* want: the names asked, ';'-separated */
	} rows[] = {
		{ "search a.svc b.svc\n", "db", "db.a.svc;db.b.svc;db" },
		{ "search a.svc b.svc\n", "db.x", "db.x;db.x.a.svc;db.x.b.svc" },
		{ "search a.svc b.svc\noptions ndots:5\n", "api.example.com", "api.example.com.a.svc;"
										  "api.example.com.b.svc;api.example.com" },
		{ "search a.svc b.svc\n", "db.", "db" },
		{ "search a.svc. a.svc\n", "db", "db.a.svc;db" },
		{ "", "db", "db" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		char out[DNS_MAX_SEARCH + 2][DNS_NAME_SIZE], got[2048] = "";
		struct dns_conf c;
		size_t n, k;

		conf_of(&c, rows[i].conf);
		n = dns_candidates(&c, rows[i].name, strlen(rows[i].name), out, DNS_MAX_SEARCH + 2);
		for (k = 0; k < n; k++) {
			strcat(got, k ? ";" : "");
			strcat(got, out[k]);
		}
		ROW_MEM(rows[i].name, got, strlen(got), rows[i].want, strlen(rows[i].want));
	}
}

/* ---- queries ---- */

static void dns_query_encodes_labels_and_refuses_what_is_no_name(void **state)
{
	static const unsigned char want[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
					      3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm',
					      0, 0, 28, 0, 1 };
	unsigned char q[DNS_QUERY_MAX];
	char name[300];

	(void)state;
	assert_int_equal(dns_query(q, 0x1234, "www.example.com", 15, DNS_TYPE_AAAA), sizeof(want));
	assert_memory_equal(q, want, sizeof(want));
	assert_int_equal(dns_query(q, 1, "", 0, DNS_TYPE_A), 0);
	assert_int_equal(dns_query(q, 1, "a..b", 4, DNS_TYPE_A), 0);
	assert_int_equal(dns_query(q, 1, ".a", 2, DNS_TYPE_A), 0);
	assert_int_equal(dns_query(q, 1, "a.", 2, DNS_TYPE_A), 0);
	/* A label of 63 bytes fits, 64 does not. */
	memset(name, 'x', 64);
	assert_int_equal(dns_query(q, 1, name, 63, DNS_TYPE_A), 12 + 1 + 63 + 1 + 4);
	assert_int_equal(dns_query(q, 1, name, 64, DNS_TYPE_A), 0);
	/* 253 bytes of name are 255 on the wire: the most. */
	memset(name, 'x', sizeof(name));
	for (size_t k = 63; k < sizeof(name); k += 64)
		name[k] = '.';
	assert_int_equal(dns_query(q, 1, name, 253, DNS_TYPE_A), 12 + 255 + 4);
	assert_int_equal(dns_query(q, 1, name, 254, DNS_TYPE_A), 0);
}

/* ---- answers ---- */

/* An answer built by hand: the query's header and question, then records appended with rr(). */
struct packet {
	unsigned char b[4096];
	size_t n;
};

static void answer_start(struct packet *p, const unsigned char *q, size_t qlen, unsigned flags, unsigned ancount)
{
	memcpy(p->b, q, qlen);
	p->b[2] = (unsigned char)(flags >> 8);
	p->b[3] = (unsigned char)flags;
	p->b[6] = (unsigned char)(ancount >> 8);
	p->b[7] = (unsigned char)ancount;
	p->n = qlen;
}

static void put(struct packet *p, const void *s, size_t n)
{
	memcpy(p->b + p->n, s, n);
	p->n += n;
}

/* A record: owner as given (wire bytes), type, class IN, TTL 5, rdata. */
static void rr(struct packet *p, const void *owner, size_t olen, unsigned type, const void *rdata, size_t rdlen)
{
	unsigned char fixed[10] = { 0, (unsigned char)type, 0, 1, 0, 0, 0, 5, (unsigned char)(rdlen >> 8),
				    (unsigned char)rdlen };

	put(p, owner, olen);
	put(p, fixed, sizeof(fixed));
	put(p, rdata, rdlen);
}

static const unsigned char to_qname[2] = { 0xc0, 12 };

static void query_of(unsigned char *q, size_t *qlen, const char *name, unsigned type)
{
	*qlen = dns_query(q, 0xbeef, name, strlen(name), (uint16_t)type);
	assert_true(*qlen > 0);
}

static void dns_answer_parse_takes_the_addresses_asked_for(void **state)
{
	static const unsigned char a1[4] = { 10, 0, 0, 1 }, a2[4] = { 10, 0, 0, 2 }, six[16] = { [15] = 1 };
	/* "db.example" and a CNAME target "real.example", uncompressed. */
	static const unsigned char real[] = { 4, 'r', 'e', 'a', 'l', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0 };
	static const unsigned char other[] = { 5, 'o', 't', 'h', 'e', 'r', 0 };
	unsigned char q[DNS_QUERY_MAX];
	struct dns_answer a;
	struct packet p;
	size_t qlen;

	(void)state;
	query_of(q, &qlen, "db.example", DNS_TYPE_A);
	/* Two A records, an AAAA and a record of another name: the two A records. */
	answer_start(&p, q, qlen, 0x8580, 4);
	rr(&p, to_qname, 2, DNS_TYPE_A, a1, 4);
	rr(&p, to_qname, 2, DNS_TYPE_AAAA, six, 16);
	rr(&p, other, sizeof(other), DNS_TYPE_A, a2, 4);
	rr(&p, to_qname, 2, DNS_TYPE_A, a2, 4);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_int_equal(a.rcode, DNS_NOERROR);
	assert_int_equal(a.count, 2);
	assert_int_equal(a.addrs[0].family, AF_INET);
	assert_memory_equal(a.addrs[0].a, a1, 4);
	assert_memory_equal(a.addrs[1].a, a2, 4);
	/* Through a CNAME, written after its target's record, as no server does but any may. */
	answer_start(&p, q, qlen, 0x8180, 2);
	rr(&p, real, sizeof(real), DNS_TYPE_A, a2, 4);
	rr(&p, to_qname, 2, DNS_TYPE_CNAME, real, sizeof(real));
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_int_equal(a.count, 1);
	assert_memory_equal(a.addrs[0].a, a2, 4);
	/* The question's case may differ (0x20 servers): still ours. */
	answer_start(&p, q, qlen, 0x8180, 1);
	p.b[13] = 'D';
	rr(&p, to_qname, 2, DNS_TYPE_A, a1, 4);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_int_equal(a.count, 1);
	/* No data: NOERROR and nothing of the type asked. */
	answer_start(&p, q, qlen, 0x8180, 0);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_int_equal(a.count, 0);
	/* At most DNS_MAX_ADDRS are kept. */
	answer_start(&p, q, qlen, 0x8180, 20);
	for (int k = 0; k < 20; k++)
		rr(&p, to_qname, 2, DNS_TYPE_A, a1, 4);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_int_equal(a.count, DNS_MAX_ADDRS);
}

static void dns_answer_parse_rcodes_and_truncation(void **state)
{
	unsigned char q[DNS_QUERY_MAX];
	struct dns_answer a;
	struct packet p;
	size_t qlen;

	(void)state;
	query_of(q, &qlen, "db.example", DNS_TYPE_A);
	answer_start(&p, q, qlen, 0x8183, 0);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_int_equal(a.rcode, DNS_NXDOMAIN);
	answer_start(&p, q, qlen, 0x8182, 0);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_int_equal(a.rcode, DNS_SERVFAIL);
	answer_start(&p, q, qlen, 0x8380, 0);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_true(a.truncated);
	/* REFUSED without the question, as some servers send it: the rcode is the answer. */
	answer_start(&p, q, 12, 0x8105, 0);
	p.b[5] = 0;
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_OK);
	assert_int_equal(a.rcode, DNS_REFUSED);
	/* NXDOMAIN without the question says of no name which: a lie or a stray, never "no such host". */
	answer_start(&p, q, 12, 0x8183, 0);
	p.b[5] = 0;
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_NOT_OURS);
}

/* Not the answer waited for: another ID, a query, another opcode, another question; it is ignored. */
static void dns_answer_parse_not_ours(void **state)
{
	static const unsigned char a1[4] = { 10, 0, 0, 1 };
	unsigned char q[DNS_QUERY_MAX], q2[DNS_QUERY_MAX];
	struct dns_answer a;
	struct packet p;
	size_t qlen, q2len;

	(void)state;
	query_of(q, &qlen, "db.example", DNS_TYPE_A);
	answer_start(&p, q, qlen, 0x8180, 1);
	rr(&p, to_qname, 2, DNS_TYPE_A, a1, 4);
	p.b[1] ^= 1;
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_NOT_OURS);
	p.b[1] ^= 1;
	p.b[2] = 0x01;          /* QR 0: a query */
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_NOT_OURS);
	p.b[2] = 0x81 | 0x10;   /* opcode 2 */
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_NOT_OURS);
	p.b[2] = 0x81;
	/* The AAAA question's answer, with the A question's ID: another question. */
	query_of(q2, &q2len, "db.example", DNS_TYPE_AAAA);
	assert_int_equal(dns_answer_parse(p.b, p.n, q2, q2len, &a), DNS_PARSE_NOT_OURS);
	query_of(q2, &q2len, "db.exampld", DNS_TYPE_A);
	assert_int_equal(dns_answer_parse(p.b, p.n, q2, q2len, &a), DNS_PARSE_NOT_OURS);
	/* Too short to be anything. */
	assert_int_equal(dns_answer_parse(p.b, 11, q, qlen, &a), DNS_PARSE_NOT_OURS);
	assert_int_equal(dns_answer_parse(p.b, qlen - 1, q, qlen, &a), DNS_PARSE_NOT_OURS);
}

/* Ours, and malformed: a lie or an attack, never an address. */
static void dns_answer_parse_rejects_loops_and_lengths_out_of_bounds(void **state)
{
	static const unsigned char a1[4] = { 10, 0, 0, 1 };
	unsigned char q[DNS_QUERY_MAX], loop[2], fwd[2] = { 0xc0, 0xff };
	struct dns_answer a;
	struct packet p;
	size_t qlen, at;
	char name[16];

	(void)state;
	query_of(q, &qlen, "db.example", DNS_TYPE_A);
	/* An owner that points at itself. */
	answer_start(&p, q, qlen, 0x8180, 1);
	loop[0] = (unsigned char)(0xc0 | p.n >> 8);
	loop[1] = (unsigned char)p.n;
	rr(&p, loop, 2, DNS_TYPE_A, a1, 4);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_BAD);
	/* A pointer forward, and one past the end. */
	answer_start(&p, q, qlen, 0x8180, 1);
	rr(&p, fwd, 2, DNS_TYPE_A, a1, 4);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_BAD);
	/* A label that runs past the end, an rdlength past the end, an A of 5 bytes. */
	answer_start(&p, q, qlen, 0x8180, 1);
	put(&p, "\x09" "ab", 3);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_BAD);
	answer_start(&p, q, qlen, 0x8180, 1);
	rr(&p, to_qname, 2, DNS_TYPE_A, a1, 4);
	p.b[p.n - 5] = 9;
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_BAD);
	answer_start(&p, q, qlen, 0x8180, 1);
	rr(&p, to_qname, 2, DNS_TYPE_A, "\x0a\x00\x00\x01\x02", 5);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_BAD);
	/* More records said than there are. */
	answer_start(&p, q, qlen, 0x8180, 2);
	rr(&p, to_qname, 2, DNS_TYPE_A, a1, 4);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_BAD);
	/* A label type that does not exist (0x40, 0x80). */
	answer_start(&p, q, qlen, 0x8180, 1);
	rr(&p, "\x41" "a", 2, DNS_TYPE_A, a1, 4);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_BAD);
	/* A CNAME loop: db.example -> x -> db.example. */
	answer_start(&p, q, qlen, 0x8180, 2);
	rr(&p, to_qname, 2, DNS_TYPE_CNAME, "\x01x", 3);
	at = p.n - 3;
	loop[0] = (unsigned char)(0xc0 | at >> 8);
	loop[1] = (unsigned char)at;
	rr(&p, loop, 2, DNS_TYPE_CNAME, to_qname, 2);
	assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a), DNS_PARSE_BAD);
	/* A chain of DNS_MAX_CNAMES links is followed; one more is not. */
	for (int links = DNS_MAX_CNAMES; links <= DNS_MAX_CNAMES + 1; links++) {
		answer_start(&p, q, qlen, 0x8180, (unsigned)links + 1);
		for (int k = 0; k < links; k++) {
			unsigned char owner[8] = { 2, 'c', (unsigned char)('0' + k), 0 }, target[8] = { 2, 'c', 0, 0 };

			target[2] = (unsigned char)('1' + k);
			if (k == 0)
				rr(&p, to_qname, 2, DNS_TYPE_CNAME, target, 4);
			else
				rr(&p, owner, 4, DNS_TYPE_CNAME, target, 4);
		}
		snprintf(name, sizeof(name), "%c%c%c", 2, 'c', '0' + links);
		rr(&p, name, 4, DNS_TYPE_A, a1, 4);
		assert_int_equal(dns_answer_parse(p.b, p.n, q, qlen, &a),
				 links <= DNS_MAX_CNAMES ? DNS_PARSE_OK : DNS_PARSE_BAD);
		if (links <= DNS_MAX_CNAMES)
			assert_int_equal(a.count, 1);
	}
}

/*
 * Answers dnsmasq 2.90 gave (Debian 12's), recorded with the queries that
 * asked them: tests/fixtures/dns-NAME-TYPE.bin holds the query's length (2
 * bytes), the query, then the answer.
 */
static void dns_fixture(const char *file, int want, unsigned count, int rcode, const char *first)
{
	static char buf[4096];
	size_t len = fixture_load(file, buf, sizeof(buf)), qlen;
	const unsigned char *b = (const unsigned char *)buf;
	struct dns_answer a;
	char s[64];

	assert_true(len > 2);
	qlen = (size_t)b[0] << 8 | b[1];
	assert_true(2 + qlen <= len);
	ROW_INT(file, dns_answer_parse(b + 2 + qlen, len - 2 - qlen, b + 2, qlen, &a), want);
	ROW_INT(file, a.rcode, rcode);
	ROW_INT(file, a.count, count);
	if (first) {
		inet_ntop(a.addrs[0].family, a.addrs[0].a, s, sizeof(s));
		ROW_MEM(file, s, strlen(s), first, strlen(first));
	}
}

static void dns_answer_parse_recorded_answers(void **state)
{
	(void)state;
	dns_fixture("dns-db-A.bin", DNS_PARSE_OK, 1, DNS_NOERROR, "10.1.2.3");
	dns_fixture("dns-db-AAAA.bin", DNS_PARSE_OK, 1, DNS_NOERROR, "fd00::3");
	dns_fixture("dns-alias-A.bin", DNS_PARSE_OK, 1, DNS_NOERROR, "10.1.2.3");
	dns_fixture("dns-many-A.bin", DNS_PARSE_OK, 8, DNS_NOERROR, NULL);
	dns_fixture("dns-v4only-AAAA.bin", DNS_PARSE_OK, 0, DNS_NOERROR, NULL);
	dns_fixture("dns-nxdomain-A.bin", DNS_PARSE_OK, 0, DNS_NXDOMAIN, NULL);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(dns_conf_reads_servers_search_and_options),
		cmocka_unit_test(dns_hosts_line_matches_any_name_of_a_line),
		cmocka_unit_test(dns_candidates_follow_ndots_and_the_search_list),
		cmocka_unit_test(dns_query_encodes_labels_and_refuses_what_is_no_name),
		cmocka_unit_test(dns_answer_parse_takes_the_addresses_asked_for),
		cmocka_unit_test(dns_answer_parse_rcodes_and_truncation),
		cmocka_unit_test(dns_answer_parse_not_ours),
		cmocka_unit_test(dns_answer_parse_rejects_loops_and_lengths_out_of_bounds),
		cmocka_unit_test(dns_answer_parse_recorded_answers),
	};

	return cmocka_run_group_tests_name("dns", tests, NULL, NULL);
}
