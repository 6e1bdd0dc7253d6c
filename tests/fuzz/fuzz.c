/*
 * libFuzzer targets for every pure parser, one binary per target:
 *   clang -fsanitize=fuzzer,address,undefined -DTARGET=TARGET_STAT ...
 * `make fuzz` builds and runs each for FUZZ_SECONDS, seeded from tests/fixtures.
 * Every crash found becomes a fixture and a unit test before it is fixed.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "kind.h"
#include "kinds/pid.h"
#include "kinds/probe.h"
#include "kinds/proc.h"
#include "lib/procfs.h"
#include "lib/dns.h"
#include "lib/sockdiag.h"
#include "lib/passwd.h"
#include "lib/http.h"
#include "lib/grpc.h"
#include "lib/hpack.h"
#include "lib/tls.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

enum {
	TARGET_STAT = 1, TARGET_STATUS, TARGET_CMDLINE, TARGET_PIDFILE, TARGET_MOUNTINFO, TARGET_PASSWD,
	TARGET_PROCNET_INET, TARGET_DIAG_INET, TARGET_DIAG_UNIX, TARGET_NL_BATCH,
	TARGET_CHECK, TARGET_OPTS, TARGET_DURATION, TARGET_HTTP_STATUS, TARGET_GLOB, TARGET_ESCAPE,
	TARGET_ARGS_MATCH, TARGET_DNS_ANSWER, TARGET_DNS_CONF, TARGET_HTTP_MSG, TARGET_HPACK,
	TARGET_GRPC, TARGET_IP, TARGET_TLS, TARGET_ANCHORS, TARGET_CERT_NAMES,
};

/* hpack: the last byte of every name and value given is read (ASan sees a length that lies). */
static void hpack_touch(void *ctx, const char *name, size_t nl, const char *value, size_t vl)
{
	static volatile char last;

	(void)ctx;
	if (nl)
		last = name[nl - 1];
	if (vl)
		last = value[vl - 1];
}

/* http_msg: every body byte the reader hands over is looked at (ASan sees a length that lies), and looked for. */
static void body_touch(void *ctx, const char *p, size_t n)
{
	static volatile char last;

	if (n)
		last = p[n - 1];
	http_find_feed(ctx, p, n);
}

static int count(const struct sock_entry *e, void *ctx)
{
	/* Touch every byte the parser says is there: ASan sees a length that lies. */
	if (e && e->name_len)
		*(volatile char *)ctx = e->name[e->name_len - 1];
	return 0;
}

/* A NUL-terminated copy, for the parsers that take C strings (argv). */
static char *cstr(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);

	memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	/* An exact-size heap copy: a read past the end is a finding. */
	char *buf = malloc(n ? n : 1);
	const char *b = buf;
	volatile char sink = 0;

	memcpy(buf, d, n);
	switch (TARGET) {
	case TARGET_STAT: {
		struct proc_stat st;

		if (stat_parse(b, n, &st) == 0 && st.comm_len)
			sink = st.comm[st.comm_len - 1];
		break;
	}
	case TARGET_STATUS: {
		struct proc_status st;

		status_parse(b, n, &st);
		break;
	}
	case TARGET_CMDLINE: {
		static struct argv_names a;
		const char *full;
		size_t len, half = n / 2;

		/* Two chunks, as two reads hand them over; the bytes also stand in for an exe link. */
		argv_names_start(&a);
		if (!argv_names_feed(&a, b, half))
			argv_names_feed(&a, b + half, n - half);
		full = full_name_pick(b, n < 15 ? n : 15, &a, b, n, &len);
		if (full && len)
			sink = full[len - 1];
		(void)comm_parse(b, n);
		break;
	}
	case TARGET_PIDFILE: {
		long long pid;

		pidfile_parse(b, n, &pid);
		break;
	}
	case TARGET_MOUNTINFO: {
		struct proc_mount m;

		if (mountinfo_line_parse(b, n, &m))
			(void)hidepid_level(m.hidepid);
		break;
	}
	case TARGET_PASSWD: {
		uid_t uid;

		passwd_line_parse(b, n, "www-data", 8, &uid);
		break;
	}
	case TARGET_PROCNET_INET: {
		struct sock_entry e;

		procnet_inet_parse(b, n, n & 1 ? 10 : 2, &e);
		break;
	}
	case TARGET_DIAG_INET: {
		struct sock_entry e;

		diag_inet_parse(d, n, &e);
		break;
	}
	case TARGET_DIAG_UNIX: {
		struct sock_entry e;

		if (diag_unix_parse(d, n, &e) == 0)
			count(&e, (void *)&sink);
		break;
	}
	case TARGET_NL_BATCH: {
		int err;
		bool intr = false;

		nl_batch_parse(d, n, 1, 4242, n & 1 ? 1 : 10, count, (void *)&sink, &err, &intr);
		break;
	}
	case TARGET_CHECK: {
		char *s = cstr(d, n);
		struct check c;
		struct line err;

		line_reset(&err);
		check_parse(s, &c, &err);
		free(s);
		break;
	}
	case TARGET_OPTS: {
		/* The input's NUL-separated pieces are argv[1..]: every option and check as main() sees them. */
		static struct options o;
		char *s = cstr(d, n), *argv[MAX_CHECKS * 2 + 2];
		int argc = 1;
		size_t i = 0;
		struct line err;

		argv[0] = "healthy";
		while (i <= n && argc < (int)(sizeof(argv) / sizeof(argv[0])) - 1) {
			argv[argc++] = s + i;
			i += strlen(s + i) + 1;
		}
		argv[argc] = NULL;
		line_reset(&err);
		opts_parse(argc, argv, &o, &err);
		free(s);
		break;
	}
	case TARGET_DURATION: {
		char *s = cstr(d, n);
		uint64_t ms;

		scan_duration(s, &ms);
		free(s);
		break;
	}
	case TARGET_IP: {
		/* scan_ip against the C library's inet_pton: the same answer, the same bytes. */
		char *s = cstr(d, n);
		unsigned char a[16], b[16];
		int f;

		for (f = 0; f < 2; f++) {
			int fam = f ? AF_INET6 : AF_INET, want;

			memset(a, 0, sizeof(a));
			memset(b, 0, sizeof(b));
			want = inet_pton(fam, s, b);
			if (scan_ip(fam, s, a) != want || (want == 1 && memcmp(a, b, sizeof(a))))
				abort();
		}
		free(s);
		break;
	}
	case TARGET_HTTP_STATUS: {
		int code;
		const char *reason;
		size_t rl;

		struct line l;

		if (http_status_parse(b, n, &code, &reason, &rl) == 1 && rl)
			sink = reason[rl - 1];
		/* What read_status() shows of a reply it refused. */
		line_reset(&l);
		http_excerpt(&l, b, n);
		break;
	}
	case TARGET_HTTP_MSG: {
		/* A response after its status line, in two pieces as two reads hand them over, then the close; the first byte picks HEAD. */
		static struct http_msg m;
		static struct http_find f;
		size_t half = n / 2;

		http_msg_start(&m, n && (d[0] & 1));
		http_find_start(&f, "ready", 5);
		if (http_msg_feed(&m, b, half, body_touch, &f) == HTTP_MSG_MORE &&
		    http_msg_feed(&m, b + half, n - half, body_touch, &f) == HTTP_MSG_MORE)
			http_msg_close(&m);
		break;
	}
	case TARGET_HPACK: {
		/* Two header blocks through one table, as a header block and its trailers come; the first byte picks the table's size. */
		static struct hpack h;
		size_t half = n / 2;

		hpack_start(&h, n && (d[0] & 1) ? 256 : HPACK_TABLE_MAX);
		if (hpack_decode(&h, (const unsigned char *)b, half, hpack_touch, NULL) == HPACK_OK)
			hpack_decode(&h, (const unsigned char *)b + half, n - half, hpack_touch, NULL);
		break;
	}
	case TARGET_GRPC: {
		/* A server's bytes in reads of as many bytes as the first byte says, as the probe reads them, to the end. */
		static struct grpc g;
		static volatile unsigned char sink8;
		size_t step = n ? (size_t)d[0] + 1 : 1, off = 1;
		enum grpc_result r = GRPC_MORE;

		grpc_start(&g);
		while (off < n && r == GRPC_MORE) {
			size_t k = step < n - off ? step : n - off;

			r = grpc_feed(&g, d + off, k);
			off += k;
			/* What the probe sends back and shows: every byte is looked at once. */
			if (g.reply_len)
				sink8 = g.reply[g.reply_len - 1];
			g.reply_len = 0;
		}
		if (g.text_len)
			sink8 = (unsigned char)g.text[g.text_len - 1];
		if (r == GRPC_NOT_H2 && g.in_len)
			sink8 = g.in[g.in_len - 1];
		if (r == GRPC_BROKEN)
			sink8 = (unsigned char)g.what[0];
		grpc_serving_parse(d, n);
		break;
	}
	case TARGET_TLS: {
		/*
		 * A server's bytes to the client as the probe runs it: through a
		 * socket (a pair: they are in its buffer, then its end), pumped by
		 * tls_pump() until the engine closes. The first byte picks ALPN h2 and
		 * verification against the test CA; every record, handshake message and
		 * certificate after it is the server's.
		 */
		static struct tls t;
		static struct tls_anchors a;
		static unsigned char arena[8192];
		static char ca[4096];
		static bool loaded;
		static volatile unsigned char sink8;
		unsigned char app[512];
		int sv[2], rounds = 0;

		if (!loaded) {
			FILE *f = fopen(FIXTURES "/tls-ca-rsa.pem", "r");
			size_t got = f ? fread(ca, 1, sizeof(ca), f) : 0;

			if (f)
				fclose(f);
			if (tls_anchors_parse(&a, ca, got, arena, sizeof(arena)) != 1)
				abort();
			loaded = true;
		}
		if (n < 1 || n > 60000 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv))
			break;
		if (write(sv[1], d + 1, n - 1) != (ssize_t)(n - 1) || shutdown(sv[1], SHUT_WR) ||
		    tls_start(&t, "localhost", d[0] & 1 ? "h2" : NULL, d[0] & 2 ? &a : NULL, NULL, 1767225600)) {
			close(sv[0]);
			close(sv[1]);
			break;
		}
		while (rounds++ < 1000 && tls_pump(&t, sv[0])) {
			size_t k = tls_read(&t, app, sizeof(app));

			if (k)
				sink8 = app[k - 1];
			else if (t.ready && tls_write(&t, "GET / HTTP/1.1\r\n\r\n", 18))
				continue;
		}
		{
			struct line l;

			line_reset(&l);
			tls_explain(&l, &t);
			sink8 = (unsigned char)l.buf[l.len ? l.len - 1 : 0];
			sink8 = (unsigned char)tls_h2(&t);
		}
		close(sv[0]);
		close(sv[1]);
		break;
	}
	case TARGET_CERT_NAMES: {
		struct line l;

		line_reset(&l);
		tls_cert_names(&l, (const unsigned char *)b, n);
		sink = l.len ? l.buf[l.len - 1] : 0;
		break;
	}
	case TARGET_ANCHORS: {
		static unsigned char arena[65536];
		struct tls_anchors a;
		long r = tls_anchors_parse(&a, b, n, arena, n * 3 + 512 < sizeof(arena) ? n * 3 + 512 : sizeof(arena));
		long i;

		for (i = 0; i < r; i++)
			sink = (char)(a.ta[i].dn.len ? a.ta[i].dn.data[a.ta[i].dn.len - 1] : 0);
		break;
	}
	case TARGET_GLOB: {
		/* The first byte splits the input into a pattern and a name. */
		size_t split = n ? (size_t)d[0] % n : 0;

		if (n) {
			glob_match(b + 1, split ? split - 1 : 0, b + split, n - split);
			glob_open(b + 1, split ? split - 1 : 0);
		}
		break;
	}
	case TARGET_ARGS_MATCH: {
		/*
		 * The first byte splits the input into a pattern and a command line,
		 * fed in chunks of a size the second byte picks. The stream must
		 * answer as glob_match() does on the arguments joined whole.
		 */
		static struct args_match m;
		static char joined[4096];
		size_t split = n ? (size_t)d[0] % n : 0, step = n > 1 ? 1 + d[1] % 64 : 1, off, jn = 0;
		const char *pat = b + (n ? 1 : 0), *cmd = b + split, *nul;
		size_t pat_len = split ? split - 1 : 0, len = n - split;

		if (pat_len > ARGS_GLOB_SIZE)
			pat_len = ARGS_GLOB_SIZE;
		args_match_start(&m, pat, pat_len);
		for (off = 0; off < len; off += step)
			if (args_match_feed(&m, cmd + off, len - off < step ? len - off : step))
				break;
		nul = memchr(cmd, '\0', len);
		if (nul) {
			jn = len - (size_t)(nul + 1 - cmd);
			while (jn && nul[jn] == '\0')
				jn--;
			for (off = 0; off < jn && off < sizeof(joined); off++)
				joined[off] = nul[1 + off] ? nul[1 + off] : ' ';
		}
		if (jn <= sizeof(joined) && args_match_end(&m) != glob_match(pat, pat_len, joined, jn))
			abort();
		break;
	}
	case TARGET_ESCAPE: {
		struct line l;

		line_reset(&l);
		line_escaped(&l, b, n);
		break;
	}
	case TARGET_DNS_ANSWER: {
		/*
		 * As tests/fixtures/dns-*.bin: two bytes of the query's length, the
		 * query, the answer. Every address it gives must be of the family
		 * asked, and no more than DNS_MAX_ADDRS.
		 */
		struct dns_answer a;
		size_t qlen = n >= 2 ? (size_t)d[0] << 8 | d[1] : 0;
		unsigned k;

		if (n < 2 || qlen > n - 2)
			break;
		if (dns_answer_parse(d + 2 + qlen, n - 2 - qlen, d + 2, qlen, &a) == DNS_PARSE_OK) {
			if (a.count > DNS_MAX_ADDRS)
				abort();
			for (k = 0; k < a.count; k++)
				sink ^= (char)(a.addrs[k].family + a.addrs[k].a[15]);
		}
		break;
	}
	case TARGET_DNS_CONF: {
		/* Each line as resolv.conf, and as a hosts line asked for the first word. */
		static struct dns_conf c;
		static char names[DNS_MAX_SEARCH + 2][DNS_NAME_SIZE];
		struct dns_addr a;
		size_t start = 0, i, first = 0;

		while (first < n && b[first] != ' ' && b[first] != '\t' && b[first] != '\n')
			first++;
		dns_conf_start(&c);
		for (i = 0; i <= n; i++) {
			if (i < n && b[i] != '\n')
				continue;
			dns_conf_line(&c, b + start, i - start);
			sink ^= (char)dns_hosts_line(b + start, i - start, b, first, &a);
			start = i + 1;
		}
		dns_conf_end(&c);
		if (c.nservers > DNS_MAX_SERVERS || c.nsearch > DNS_MAX_SEARCH || c.ndots > 15)
			abort();
		sink ^= (char)dns_candidates(&c, b, first, names, DNS_MAX_SEARCH + 2);
		break;
	}
	}
	(void)sink;
	free(buf);
	return 0;
}
