/*
 * lib/sockdiag.c's pure parts: diag_inet_parse, diag_unix_parse, nl_batch_parse,
 * procnet_inet_parse.
 *
 * Real bytes, recorded on Linux 6.18 in a network namespace of their own
 * (unshare -n, lo up) holding only these sockets, made with
 * build/helpers/sockets (and python3 for the padded abstract name, a unix
 * socketpair, a connection to srv.sock and one to 127.0.0.1:5432):
 *
 *   tcp  [::]:8080 dual-stack, [::]:8443 IPv6-only, [::1]:9000 IPv6-only,
 *        127.0.0.1:5432 (and one connection to it)
 *   udp  127.0.0.1:5353, [::]:5354 dual-stack
 *   unix /tmp/healthy-diag/srv.sock listening, ".../with space.sock"
 *        listening, dgram.sock datagram, bound.sock bound not listening,
 *        seq.sock seqpacket listening, @healthy-abs, and @healthy-pad
 *        padded with NULs to the end of sun_path
 *
 * diag-TABLE-N.bin: datagram N of `build/helpers/diagdump -p 4242 TABLE
 * tests/fixtures/diag-TABLE` (see its header), seq 1, port id 4242; each
 * dump is one datagram of sockets and one with NLMSG_DONE. diag-done.bin:
 * the one datagram of a dump of an empty namespace. diag-enoent.bin: the
 * kernel's NLMSG_ERROR -ENOENT for a family no sock_diag handler serves.
 * diag-noproto.bin: the NLMSG_DONE carrying -ENOENT that ends a dump for a
 * protocol no inet_diag handler serves. procnet-tcp, -tcp6, -udp, -udp6,
 * -unix: /proc/net of that namespace, read while the sockets existed.
 * Written by hand: procnet-*-hostile, procnet-*-4096-byte-line. The other
 * malformed datagrams are the recorded ones, changed in memory below.
 */
#include "fixture.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "lib/sockdiag.h"

#define LEN(s) (sizeof(s) - 1)
/* A literal and its length, NULs inside included. */
#define BYTES(s) s, LEN(s)
#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* What diagdump was told: the first dump healthy sends, from a pinned port id. */
#define REC_SEQ 1u
#define REC_PORTID 4242u
/* The device of /tmp in the recording, as MKDEV(254, 0). */
#define REC_DEV (254u << 20)

#define BIN_SIZE 4096

static size_t bin_load(const char *name, unsigned char *buf, size_t size)
{
	return fixture_load(name, (char *)buf, size);
}

/* The payload of message k of a datagram, walked with the kernel's own macros. */
static const unsigned char *nth_payload(const unsigned char *buf, size_t len, unsigned k, size_t *plen)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)buf;
	int left = (int)len;
	unsigned i = 0;

	for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left), i++) {
		if (i == k) {
			*plen = (size_t)NLMSG_PAYLOAD(h, 0);
			return NLMSG_DATA(h);
		}
	}
	fail_msg("no message %u in the datagram", k);
	return NULL;
}

/* The offset of message k of a datagram. */
static size_t nth_offset(const unsigned char *buf, size_t len, unsigned k)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)buf;
	int left = (int)len;
	unsigned i = 0;

	for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left), i++) {
		if (i == k)
			return (size_t)((const unsigned char *)h - buf);
	}
	fail_msg("no message %u in the datagram", k);
	return 0;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put_u16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint16_t get_u16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Writes one attribute whose nla_len says nla_len, with n bytes of data; returns the aligned size written. */
static size_t put_attr(unsigned char *p, uint16_t nla_len, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = { nla_len, type };

	memcpy(p, &a, sizeof(a));
	if (n)
		memcpy(p + sizeof(a), data, n);
	return NLA_ALIGN(sizeof(a) + n);
}

/* Line k of a buffer, without its newline; the last line may lack one. */
static const char *nth_line(const char *buf, size_t len, unsigned k, size_t *line_len)
{
	const char *p = buf, *end = buf + len, *nl;
	unsigned i;

	for (i = 0; i < k; i++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			fail_msg("no line %u", k);
			return NULL;
		}
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	*line_len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	return p;
}

static void addr_bytes(int family, const char *s, unsigned char out[16])
{
	memset(out, 0, 16);
	if (inet_pton(family, s, out) != 1)
		fail_msg("bad address %s in a row", s);
}

/* ---- diag_inet_parse ---- */

struct inet_row {
	const char *fixture;
	unsigned msg;
	int family;
	int st;
	uint16_t port;
	const char *addr;
	int v6only;
};

static void diag_inet_parse_recorded_sockets_give_family_state_port_address_v6only(void **state)
{
	static const struct inet_row rows[] = {
		{ "diag-tcp4-1.bin", 0, AF_INET, TCP_LISTEN, 5432, "127.0.0.1", 0 },
		{ "diag-tcp6-1.bin", 0, AF_INET6, TCP_LISTEN, 8443, "::", 1 },
		{ "diag-tcp6-1.bin", 1, AF_INET6, TCP_LISTEN, 9000, "::1", 1 },
		{ "diag-tcp6-1.bin", 2, AF_INET6, TCP_LISTEN, 8080, "::", 0 },
		{ "diag-udp4-1.bin", 0, AF_INET, TCP_CLOSE, 5353, "127.0.0.1", 0 },
		/* The kernel sends SKV6ONLY for CLOSE sockets too. */
		{ "diag-udp6-1.bin", 0, AF_INET6, TCP_CLOSE, 5354, "::", 0 },
	};
	static unsigned char buf[BIN_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		const struct inet_row *r = &rows[i];
		size_t len = bin_load(r->fixture, buf, sizeof(buf)), plen;
		const unsigned char *p = nth_payload(buf, len, r->msg, &plen);
		unsigned char want[16];
		char row[64];
		struct sock_entry e;

		snprintf(row, sizeof(row), "%s message %u", r->fixture, r->msg);
		addr_bytes(r->family, r->addr, want);
		memset(&e, 0xa5, sizeof(e));
		ROW_INT(row, diag_inet_parse(p, plen, &e), 0);
		ROW_INT(row, e.family, r->family);
		ROW_INT(row, e.state, r->st);
		ROW_INT(row, e.port, r->port);
		ROW_MEM(row, e.addr, r->family == AF_INET ? 4u : 16u, want, r->family == AF_INET ? 4u : 16u);
		ROW_INT(row, e.v6only, r->v6only);
		ROW_INT(row, e.name_len, 0);
		ROW_INT(row, e.has_vfs, 0);
	}
}

/* A message built by hand: struct inet_diag_msg, then attributes. */
static size_t inet_msg(unsigned char *buf, int family, int st, uint16_t port)
{
	struct inet_diag_msg m;

	memset(&m, 0, sizeof(m));
	m.idiag_family = (uint8_t)family;
	m.idiag_state = (uint8_t)st;
	m.id.idiag_sport = htons(port);
	memset(buf, 0, BIN_SIZE);
	memcpy(buf, &m, sizeof(m));
	return NLMSG_ALIGN(sizeof(m));
}

static void diag_inet_parse_port_in_host_order_and_ipv6_without_skv6only_is_unknown(void **state)
{
	static unsigned char buf[BIN_SIZE];
	size_t len = inet_msg(buf, AF_INET6, TCP_LISTEN, 0x1234);
	struct sock_entry e;

	(void)state;
	assert_int_equal(len, sizeof(struct inet_diag_msg));
	assert_int_equal(diag_inet_parse(buf, len, &e), 0);
	assert_int_equal(e.port, 0x1234);
	assert_int_equal(e.family, AF_INET6);
	/* No attribute: nothing says whether the socket takes IPv4. */
	assert_int_equal(e.v6only, -1);

	len = inet_msg(buf, AF_INET, TCP_LISTEN, 1);
	assert_int_equal(diag_inet_parse(buf, len, &e), 0);
	assert_int_equal(e.port, 1);
	assert_int_equal(e.v6only, 0);
	len = inet_msg(buf, AF_INET, TCP_LISTEN, 65535);
	assert_int_equal(diag_inet_parse(buf, len, &e), 0);
	assert_int_equal(e.port, 65535);
	assert_int_equal(e.bound_if, 0);
}

/* idiag_if: the device a socket is bound to (SO_BINDTODEVICE, a VRF), 0 for none. */
static void diag_inet_parse_bound_device(void **state)
{
	static unsigned char buf[BIN_SIZE];
	struct inet_diag_msg m;
	struct sock_entry e;
	size_t len = inet_msg(buf, AF_INET, TCP_LISTEN, 80);

	(void)state;
	memcpy(&m, buf, sizeof(m));
	m.id.idiag_if = 3;
	memcpy(buf, &m, sizeof(m));
	assert_int_equal(diag_inet_parse(buf, len, &e), 0);
	assert_int_equal(e.bound_if, 3);
}

static void diag_inet_parse_unknown_attributes_skipped(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static const unsigned char one = 1, zero = 0, junk[7] = { 1, 2, 3, 4, 5, 6, 7 };
	size_t len = inet_msg(buf, AF_INET6, TCP_LISTEN, 80);
	struct sock_entry e;

	(void)state;
	len += put_attr(buf + len, 4 + sizeof(junk), 99, junk, sizeof(junk));
	len += put_attr(buf + len, 4, 200, NULL, 0);
	len += put_attr(buf + len, 5, INET_DIAG_SKV6ONLY, &one, 1);
	len += put_attr(buf + len, 4 + sizeof(junk), INET_DIAG_INFO, junk, sizeof(junk));
	assert_int_equal(diag_inet_parse(buf, len, &e), 0);
	assert_int_equal(e.v6only, 1);
	assert_int_equal(e.port, 80);

	/* The last attribute unpadded, as a message's end may be. */
	len = inet_msg(buf, AF_INET6, TCP_LISTEN, 80);
	len += put_attr(buf + len, 4 + sizeof(junk), 99, junk, sizeof(junk));
	len += 4 + 1;
	put_attr(buf + len - 5, 5, INET_DIAG_SKV6ONLY, &zero, 1);
	assert_int_equal(diag_inet_parse(buf, len, &e), 0);
	assert_int_equal(e.v6only, 0);
}

static void diag_inet_parse_short_or_bad_attribute_lengths_return_minus_one(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static const unsigned char one = 1;
	struct sock_entry e;
	size_t base, len;

	(void)state;
	/* Shorter than struct inet_diag_msg. */
	base = inet_msg(buf, AF_INET, TCP_LISTEN, 80);
	assert_int_equal(diag_inet_parse(buf, base - 1, &e), -1);
	assert_int_equal(diag_inet_parse(buf, 0, &e), -1);

	/* nla_len runs past the end of the message. */
	len = base + put_attr(buf + base, 12, 99, "abcdefgh", 8);
	assert_int_equal(diag_inet_parse(buf, len - 1, &e), -1);
	len = base + put_attr(buf + base, 200, 99, "abcdefgh", 8);
	assert_int_equal(diag_inet_parse(buf, len, &e), -1);
	/* ... after a good one. */
	len = base + put_attr(buf + base, 5, INET_DIAG_SKV6ONLY, &one, 1);
	len += put_attr(buf + len, 9, 99, "abcd", 4);
	assert_int_equal(diag_inet_parse(buf, len, &e), -1);

	/* nla_len smaller than the attribute header: 0 would loop forever. */
	len = base + put_attr(buf + base, 3, 99, "abcd", 4);
	assert_int_equal(diag_inet_parse(buf, len, &e), -1);
	len = base + put_attr(buf + base, 0, 99, "abcd", 4);
	assert_int_equal(diag_inet_parse(buf, len, &e), -1);

	/* SKV6ONLY with no byte of data. */
	base = inet_msg(buf, AF_INET6, TCP_LISTEN, 80);
	len = base + put_attr(buf + base, 4, INET_DIAG_SKV6ONLY, NULL, 0);
	assert_int_equal(diag_inet_parse(buf, len, &e), -1);
}

static void diag_inet_parse_recorded_message_cut_inside_an_attribute_returns_minus_one(void **state)
{
	static unsigned char buf[BIN_SIZE];
	size_t len = bin_load("diag-tcp6-1.bin", buf, sizeof(buf)), plen;
	const unsigned char *p = nth_payload(buf, len, 0, &plen);
	struct sock_entry e;

	(void)state;
	/* The first attribute (5 bytes of INET_DIAG_SHUTDOWN) cut after its header: nla_len 5 > 4 left. */
	assert_int_equal(diag_inet_parse(p, sizeof(struct inet_diag_msg) + 4, &e), -1);
	/* Cut inside an attribute's header: fewer than 4 bytes left are ignored. */
	assert_int_equal(diag_inet_parse(p, sizeof(struct inet_diag_msg) + 3, &e), 0);
	assert_int_equal(e.v6only, -1);
	assert_int_equal(diag_inet_parse(p, plen, &e), 0);
	assert_int_equal(e.v6only, 1);
}

static void diag_inet_parse_other_family_returns_minus_one(void **state)
{
	static unsigned char buf[BIN_SIZE];
	size_t len = bin_load("diag-unix-1.bin", buf, sizeof(buf)), plen;
	const unsigned char *p = nth_payload(buf, len, 5, &plen);
	struct sock_entry e;

	(void)state;
	/* A unix answer long enough to pass for struct inet_diag_msg. */
	assert_true(plen >= sizeof(struct inet_diag_msg));
	assert_int_equal(diag_inet_parse(p, plen, &e), -1);
	len = inet_msg(buf, AF_UNSPEC, TCP_LISTEN, 80);
	assert_int_equal(diag_inet_parse(buf, len, &e), -1);
}

/* ---- diag_unix_parse ---- */

struct unix_row {
	const char *fixture;
	unsigned msg;           /* message, or line */
	int ret;
	int type;
	int st;
	bool abstract;
	const char *name;
	size_t name_len;
	bool has_vfs;
	uint32_t ino;
};

static void unix_entry_check(const char *row, const struct unix_row *r, const struct sock_entry *e,
			     const void *lo, size_t n)
{
	ROW_INT(row, e->family, AF_UNIX);
	ROW_INT(row, e->type, r->type);
	ROW_INT(row, e->state, r->st);
	ROW_INT(row, e->abstract, r->abstract);
	ROW_MEM(row, e->name, e->name_len, r->name, r->name_len);
	/* The name points into the parsed bytes. */
	if (e->name_len && (e->name < (const char *)lo || e->name + e->name_len > (const char *)lo + n))
		fail_msg("%s: name is outside the parsed bytes", row);
	ROW_INT(row, e->has_vfs, r->has_vfs);
	if (r->has_vfs) {
		ROW_INT(row, e->vfs_ino, r->ino);
		ROW_INT(row, e->vfs_dev, REC_DEV);
	}
}

static void diag_unix_parse_recorded_sockets_give_type_state_name_vfs(void **state)
{
	static const struct unix_row rows[] = {
		{ "diag-unix-1.bin", 0, 0, SOCK_STREAM, TCP_LISTEN, false, BYTES("/tmp/healthy-diag/srv.sock"), true, 10977541 },
		{ "diag-unix-1.bin", 1, 0, SOCK_STREAM, TCP_LISTEN, false, BYTES("/tmp/healthy-diag/with space.sock"), true, 10977543 },
		{ "diag-unix-1.bin", 2, 0, SOCK_DGRAM, TCP_CLOSE, false, BYTES("/tmp/healthy-diag/dgram.sock"), true, 10977545 },
		{ "diag-unix-1.bin", 3, 0, SOCK_STREAM, TCP_CLOSE, false, BYTES("/tmp/healthy-diag/bound.sock"), true, 10977547 },
		{ "diag-unix-1.bin", 4, 0, SOCK_SEQPACKET, TCP_LISTEN, false, BYTES("/tmp/healthy-diag/seq.sock"), true, 10977549 },
		/* "\0healthy-pad" and 96 NULs, the whole of sun_path: all of it is the name a client must give. */
		{ "diag-unix-1.bin", 5, 0, SOCK_STREAM, TCP_LISTEN, true,
		  BYTES("healthy-pad\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
			"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
			"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), false, 0 },
		{ "diag-unix-1.bin", 6, 0, SOCK_STREAM, TCP_LISTEN, true, BYTES("healthy-abs"), false, 0 },
	};
	static unsigned char buf[BIN_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		const struct unix_row *r = &rows[i];
		size_t len = bin_load(r->fixture, buf, sizeof(buf)), plen;
		const unsigned char *p = nth_payload(buf, len, r->msg, &plen);
		char row[64];
		struct sock_entry e;

		snprintf(row, sizeof(row), "%s message %u", r->fixture, r->msg);
		memset(&e, 0xa5, sizeof(e));
		ROW_INT(row, diag_unix_parse(p, plen, &e), 0);
		unix_entry_check(row, r, &e, p, plen);
	}
}

/* A message built by hand: struct unix_diag_msg, then attributes. */
static size_t unix_msg(unsigned char *buf, int type, int st)
{
	struct unix_diag_msg m;

	memset(&m, 0, sizeof(m));
	m.udiag_family = AF_UNIX;
	m.udiag_type = (uint8_t)type;
	m.udiag_state = (uint8_t)st;
	m.udiag_ino = 77;
	memset(buf, 0, BIN_SIZE);
	memcpy(buf, &m, sizeof(m));
	return sizeof(m);
}

static void diag_unix_parse_names_and_vfs_built_by_hand(void **state)
{
	static unsigned char buf[BIN_SIZE];
	const uint32_t vfs[2] = { 0xdeadbeef, 8u << 20 | 1 };
	struct sock_entry e;
	size_t len;

	(void)state;
	/* Unbound: no UNIX_DIAG_NAME at all. */
	len = unix_msg(buf, SOCK_STREAM, TCP_CLOSE);
	assert_int_equal(diag_unix_parse(buf, len, &e), 0);
	assert_int_equal(e.name_len, 0);
	assert_false(e.abstract);
	assert_false(e.has_vfs);
	assert_int_equal(e.v6only, 0);

	/* A path without its NUL, and VFS; an unknown attribute before them. */
	len = unix_msg(buf, SOCK_STREAM, TCP_LISTEN);
	len += put_attr(buf + len, 4 + 3, 42, "xyz", 3);
	len += put_attr(buf + len, 4 + 6, UNIX_DIAG_NAME, "/a b c", 6);
	len += put_attr(buf + len, 4 + sizeof(vfs), UNIX_DIAG_VFS, vfs, sizeof(vfs));
	assert_int_equal(diag_unix_parse(buf, len, &e), 0);
	assert_memory_equal(e.name, "/a b c", 6);
	assert_int_equal(e.name_len, 6);
	assert_false(e.abstract);
	assert_true(e.has_vfs);
	assert_int_equal(e.vfs_ino, 0xdeadbeef);
	assert_int_equal(e.vfs_dev, 8u << 20 | 1);

	/* An abstract name of one NUL: abstract, empty. */
	len = unix_msg(buf, SOCK_DGRAM, TCP_CLOSE);
	len += put_attr(buf + len, 4 + 1, UNIX_DIAG_NAME, "", 1);
	assert_int_equal(diag_unix_parse(buf, len, &e), 0);
	assert_true(e.abstract);
	assert_int_equal(e.name_len, 0);

	/* An abstract name is every byte after its first NUL, NULs inside and at the end too. */
	len = unix_msg(buf, SOCK_STREAM, TCP_LISTEN);
	len += put_attr(buf + len, 4 + 7, UNIX_DIAG_NAME, "\0a\0b\0\0\0", 7);
	assert_int_equal(diag_unix_parse(buf, len, &e), 0);
	assert_true(e.abstract);
	assert_int_equal(e.name_len, 6);
	assert_memory_equal(e.name, "a\0b\0\0\0", 6);

	/* A path's trailing NULs are not part of it: the file system ends it at the first. */
	len = unix_msg(buf, SOCK_STREAM, TCP_LISTEN);
	len += put_attr(buf + len, 4 + 5, UNIX_DIAG_NAME, "/a\0\0\0", 5);
	assert_int_equal(diag_unix_parse(buf, len, &e), 0);
	assert_false(e.abstract);
	assert_int_equal(e.name_len, 2);
}

static void diag_unix_parse_short_message_or_vfs_or_bad_attribute_returns_minus_one(void **state)
{
	static unsigned char buf[BIN_SIZE];
	const uint32_t vfs[2] = { 1, 2 };
	struct sock_entry e;
	size_t base, len;

	(void)state;
	base = unix_msg(buf, SOCK_STREAM, TCP_LISTEN);
	assert_int_equal(diag_unix_parse(buf, base - 1, &e), -1);
	assert_int_equal(diag_unix_parse(buf, 0, &e), -1);

	/* UNIX_DIAG_VFS with 4 of its 8 bytes. */
	len = base + put_attr(buf + base, 4 + 4, UNIX_DIAG_VFS, vfs, 4);
	assert_int_equal(diag_unix_parse(buf, len, &e), -1);
	len = base + put_attr(buf + base, 4, UNIX_DIAG_VFS, NULL, 0);
	assert_int_equal(diag_unix_parse(buf, len, &e), -1);

	/* A name whose nla_len runs past the end; one shorter than its header. */
	len = base + put_attr(buf + base, 4 + 6, UNIX_DIAG_NAME, "/a/b/c", 6);
	assert_int_equal(diag_unix_parse(buf, len - 3, &e), -1);
	len = base + put_attr(buf + base, 2, UNIX_DIAG_NAME, "/a", 2);
	assert_int_equal(diag_unix_parse(buf, len, &e), -1);

	/* Another family. */
	len = inet_msg(buf, AF_INET, TCP_LISTEN, 80);
	assert_int_equal(diag_unix_parse(buf, len, &e), -1);
}

static void diag_unix_parse_recorded_message_cut_inside_its_name_returns_minus_one(void **state)
{
	static unsigned char buf[BIN_SIZE];
	size_t len = bin_load("diag-unix-1.bin", buf, sizeof(buf)), plen;
	const unsigned char *p = nth_payload(buf, len, 1, &plen);
	struct sock_entry e;

	(void)state;
	assert_int_equal(diag_unix_parse(p, sizeof(struct unix_diag_msg) + 20, &e), -1);
	/* Cut before the VFS attribute: the name alone. */
	assert_int_equal(diag_unix_parse(p, sizeof(struct unix_diag_msg) + NLA_ALIGN(4 + 34), &e), 0);
	assert_memory_equal(e.name, "/tmp/healthy-diag/with space.sock", 33);
	assert_false(e.has_vfs);
}

/* ---- nl_batch_parse ---- */

#define SEEN_MAX 16

struct seen {
	unsigned calls;
	unsigned stop_at;       /* return non-zero on this call (1-based); 0: never */
	struct sock_entry e[SEEN_MAX];
	char names[SEEN_MAX][128];
};

static int visit(const struct sock_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->calls < SEEN_MAX) {
		s->e[s->calls] = *e;
		if (e->name_len && e->name_len < sizeof(s->names[0]))
			memcpy(s->names[s->calls], e->name, e->name_len);
		s->e[s->calls].name = s->names[s->calls];
	}
	return ++s->calls == s->stop_at;
}

static bool last_intr;

static enum nl_batch batch(const unsigned char *buf, size_t len, uint32_t seq, uint32_t portid, int family,
			   struct seen *s, int *err)
{
	memset(s, 0, sizeof(*s));
	*err = -1;
	last_intr = false;
	return nl_batch_parse(buf, len, seq, portid, family, visit, s, err, &last_intr);
}

static void nl_batch_parse_recorded_dumps_visit_each_socket_then_done(void **state)
{
	static const struct {
		const char *table;
		int family;
		unsigned sockets;
	} rows[] = {
		{ "tcp4", AF_INET, 1 },
		{ "tcp6", AF_INET6, 3 },
		{ "udp4", AF_INET, 1 },
		{ "udp6", AF_INET6, 1 },
		{ "unix", AF_UNIX, 7 },
	};
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		char name[64];
		size_t len;
		int err;

		snprintf(name, sizeof(name), "diag-%s-1.bin", rows[i].table);
		len = bin_load(name, buf, sizeof(buf));
		ROW_INT(name, batch(buf, len, REC_SEQ, REC_PORTID, rows[i].family, &s, &err), NL_MORE);
		ROW_INT(name, s.calls, rows[i].sockets);
		ROW_INT(name, s.e[0].family, rows[i].family);
		snprintf(name, sizeof(name), "diag-%s-2.bin", rows[i].table);
		len = bin_load(name, buf, sizeof(buf));
		ROW_INT(name, batch(buf, len, REC_SEQ, REC_PORTID, rows[i].family, &s, &err), NL_DONE);
		ROW_INT(name, s.calls, 0);
	}
}

static void nl_batch_parse_several_messages_in_one_datagram_visited_in_order(void **state)
{
	static unsigned char buf[BIN_SIZE], done[BIN_SIZE];
	static struct seen s;
	size_t len, dlen;
	int err;

	(void)state;
	len = bin_load("diag-tcp6-1.bin", buf, sizeof(buf));
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_MORE);
	assert_int_equal(s.calls, 3);
	assert_int_equal(s.e[0].port, 8443);
	assert_int_equal(s.e[0].v6only, 1);
	assert_int_equal(s.e[1].port, 9000);
	assert_int_equal(s.e[2].port, 8080);
	assert_int_equal(s.e[2].v6only, 0);

	len = bin_load("diag-unix-1.bin", buf, sizeof(buf));
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_UNIX, &s, &err), NL_MORE);
	assert_int_equal(s.calls, 7);
	assert_memory_equal(s.e[1].name, "/tmp/healthy-diag/with space.sock", 33);
	assert_true(s.e[5].abstract);
	assert_int_equal(s.e[5].name_len, 11 + 96);
	assert_memory_equal(s.e[5].name, "healthy-pad", 11);

	/* Sockets and NLMSG_DONE in one datagram, as the kernel sends them when they fit. */
	len = bin_load("diag-tcp4-1.bin", buf, sizeof(buf));
	dlen = bin_load("diag-done.bin", done, sizeof(done));
	memcpy(buf + len, done, dlen);
	assert_int_equal(batch(buf, len + dlen, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_DONE);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.e[0].port, 5432);

	/* Two answers back to back. */
	memcpy(buf + len, buf, len);
	assert_int_equal(batch(buf, 2 * len, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_MORE);
	assert_int_equal(s.calls, 2);
}

static void nl_batch_parse_done_alone_is_done_without_a_visit(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t len = bin_load("diag-done.bin", buf, sizeof(buf));
	int err;

	(void)state;
	assert_int_equal(len, NLMSG_HDRLEN + 4);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_DONE);
	assert_int_equal(s.calls, 0);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_UNIX, &s, &err), NL_DONE);
	/* An empty datagram: nothing handled, read on. */
	assert_int_equal(batch(buf, 0, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_MORE);
}

static void nl_batch_parse_other_sequence_or_port_id_is_bad(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t len = bin_load("diag-tcp6-1.bin", buf, sizeof(buf));
	int err;

	(void)state;
	assert_int_equal(batch(buf, len, REC_SEQ + 1, REC_PORTID, AF_INET6, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 0);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID + 1, AF_INET6, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 0);
	assert_int_equal(batch(buf, len, REC_SEQ, 0, AF_INET6, &s, &err), NL_BAD);

	/* The third message of an older dump: the first two were visited. */
	put_u32(buf + nth_offset(buf, len, 2) + offsetof(struct nlmsghdr, nlmsg_seq), REC_SEQ - 1);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 2);

	len = bin_load("diag-done.bin", buf, sizeof(buf));
	assert_int_equal(batch(buf, len, 7, REC_PORTID, AF_INET, &s, &err), NL_BAD);
	len = bin_load("diag-enoent.bin", buf, sizeof(buf));
	assert_int_equal(batch(buf, len, REC_SEQ, 4243, AF_INET, &s, &err), NL_BAD);
}

static void nl_batch_parse_nlmsg_len_past_buffer_or_below_header_is_bad(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t len = bin_load("diag-tcp6-1.bin", buf, sizeof(buf));
	size_t third = nth_offset(buf, len, 2);
	int err;

	(void)state;
	/* A datagram cut inside its last message. */
	assert_int_equal(batch(buf, len - 1, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 2);
	/* Cut inside the header of a message: leftover bytes that make no header are malformed (as ss says). */
	assert_int_equal(batch(buf, third + 15, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 2);

	put_u32(buf, (uint32_t)len + 4);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 0);
	put_u32(buf, 0xffffffffu);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_BAD);
	put_u32(buf, NLMSG_HDRLEN - 1);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_BAD);
	put_u32(buf, 0);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 0);

	len = bin_load("diag-done.bin", buf, sizeof(buf));
	put_u32(buf, 8);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_BAD);
}

static void nl_batch_parse_malformed_answer_inside_a_good_message_is_bad(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t len = bin_load("diag-tcp4-1.bin", buf, sizeof(buf));
	int err;

	(void)state;
	/* A payload shorter than struct inet_diag_msg. */
	put_u32(buf, NLMSG_HDRLEN + sizeof(struct inet_diag_msg) - 1);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 0);

	/* Unix answers in an inet dump, and the other way round. */
	len = bin_load("diag-unix-1.bin", buf, sizeof(buf));
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_BAD);
	len = bin_load("diag-tcp6-1.bin", buf, sizeof(buf));
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_UNIX, &s, &err), NL_BAD);
	assert_int_equal(s.calls, 0);
}

static void nl_batch_parse_other_message_types_skipped(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t len = bin_load("diag-tcp6-1.bin", buf, sizeof(buf));
	int err;

	(void)state;
	put_u16(buf + nth_offset(buf, len, 1) + offsetof(struct nlmsghdr, nlmsg_type), NLMSG_NOOP);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_MORE);
	assert_int_equal(s.calls, 2);
	assert_int_equal(s.e[0].port, 8443);
	assert_int_equal(s.e[1].port, 8080);
}

static void nl_batch_parse_nlmsg_error_gives_its_errno(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t len = bin_load("diag-enoent.bin", buf, sizeof(buf));
	int err;

	(void)state;
	/* The kernel's answer, with the request echoed after the error code. */
	assert_int_equal(get_u16(buf + offsetof(struct nlmsghdr, nlmsg_type)), NLMSG_ERROR);
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_ERROR);
	assert_int_equal(err, ENOENT);
	assert_int_equal(s.calls, 0);

	/* The error code alone. */
	put_u32(buf, NLMSG_HDRLEN + 4);
	assert_int_equal(batch(buf, NLMSG_HDRLEN + 4, REC_SEQ, REC_PORTID, AF_UNIX, &s, &err), NL_ERROR);
	assert_int_equal(err, ENOENT);

	/* An acknowledgement (error 0) is no answer to a dump. */
	put_u32(buf + NLMSG_HDRLEN, 0);
	assert_int_equal(batch(buf, NLMSG_HDRLEN + 4, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_ERROR);
	assert_int_equal(err, EPROTO);

	/* 3 bytes of payload: no error code to read. */
	put_u32(buf, NLMSG_HDRLEN + 3);
	assert_int_equal(batch(buf, NLMSG_HDRLEN + 3, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_BAD);
	put_u32(buf, NLMSG_HDRLEN);
	assert_int_equal(batch(buf, NLMSG_HDRLEN, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_BAD);
}

/*
 * Was a bug: an NLMSG_DONE that carries an error was taken for a complete dump.
 * Input: diag-noproto.bin, the kernel's whole answer to a dump for an inet
 * protocol no inet_diag handler serves: NLMSG_DONE, payload -ENOENT (as a
 * kernel without udp_diag answers every udp: check). Expected: NL_ERROR,
 * err ENOENT, so that diag_read() falls back to /proc/net (libnetlink's
 * rtnl_dump_done() reads that payload). Actual: NL_DONE: an empty table,
 * and healthy says "nothing bound" (exit 1) for a socket that is there.
 */
static void nl_batch_parse_done_carrying_an_error_is_an_error(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t len = bin_load("diag-noproto.bin", buf, sizeof(buf));
	int err;

	(void)state;
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_ERROR);
	assert_int_equal(err, ENOENT);
}

static void nl_batch_parse_dump_intr_sets_the_mark(void **state)
{
	static unsigned char buf[BIN_SIZE], done[BIN_SIZE];
	static struct seen s;
	size_t len, dlen;
	uint16_t flags;
	int err;

	(void)state;
	/* On a socket's message: every socket visited, NL_MORE, and the mark set. */
	len = bin_load("diag-tcp6-1.bin", buf, sizeof(buf));
	{
		unsigned char *f = buf + nth_offset(buf, len, 1) + offsetof(struct nlmsghdr, nlmsg_flags);

		flags = get_u16(f);
		put_u16(f, flags | NLM_F_DUMP_INTR);
	}
	assert_int_equal(batch(buf, len, REC_SEQ, REC_PORTID, AF_INET6, &s, &err), NL_MORE);
	assert_true(last_intr);
	assert_int_equal(s.calls, 3);

	/* On NLMSG_DONE: still NL_DONE (the dump is over; waiting for more would hang), with the mark set. */
	dlen = bin_load("diag-done.bin", done, sizeof(done));
	flags = get_u16(done + offsetof(struct nlmsghdr, nlmsg_flags));
	put_u16(done + offsetof(struct nlmsghdr, nlmsg_flags), flags | NLM_F_DUMP_INTR);
	assert_int_equal(batch(done, dlen, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_DONE);
	assert_true(last_intr);

	/* On a socket's message before an unmarked NLMSG_DONE in the same datagram. */
	len = bin_load("diag-tcp4-1.bin", buf, sizeof(buf));
	dlen = bin_load("diag-done.bin", done, sizeof(done));
	flags = get_u16(buf + offsetof(struct nlmsghdr, nlmsg_flags));
	put_u16(buf + offsetof(struct nlmsghdr, nlmsg_flags), flags | NLM_F_DUMP_INTR);
	memcpy(buf + len, done, dlen);
	assert_int_equal(batch(buf, len + dlen, REC_SEQ, REC_PORTID, AF_INET, &s, &err), NL_DONE);
	assert_true(last_intr);
	assert_int_equal(s.calls, 1);
}

static void nl_batch_parse_visitor_nonzero_stops(void **state)
{
	static unsigned char buf[BIN_SIZE];
	static struct seen s;
	size_t len = bin_load("diag-unix-1.bin", buf, sizeof(buf));
	enum nl_batch r;
	int err = -1;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	r = nl_batch_parse((const unsigned char *)buf, len, REC_SEQ, REC_PORTID, AF_UNIX, visit, &s, &err, &last_intr);
	assert_int_equal(r, NL_STOP);
	assert_int_equal(s.calls, 2);

	memset(&s, 0, sizeof(s));
	s.stop_at = 7;
	r = nl_batch_parse((const unsigned char *)buf, len, REC_SEQ, REC_PORTID, AF_UNIX, visit, &s, &err, &last_intr);
	assert_int_equal(r, NL_STOP);
	assert_int_equal(s.calls, 7);
}

/* ---- procnet_inet_parse ---- */

struct procnet_row {
	const char *fixture;
	unsigned line;
	int family;
	int ret;
	int st;
	uint16_t port;
	const char *addr;
};

static void procnet_rows(const struct procnet_row *rows, size_t n)
{
	static char buf[8192];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct procnet_row *r = &rows[i];
		size_t len = fixture_load(r->fixture, buf, sizeof(buf)), ll;
		const char *l = nth_line(buf, len, r->line, &ll);
		char row[64];
		struct sock_entry e;

		snprintf(row, sizeof(row), "%s line %u", r->fixture, r->line);
		memset(&e, 0xa5, sizeof(e));
		ROW_INT(row, procnet_inet_parse(l, ll, r->family, &e), r->ret);
		if (r->ret)
			continue;
		{
			unsigned char want[16];
			size_t alen = r->family == AF_INET ? 4 : 16;

			addr_bytes(r->family, r->addr, want);
			ROW_INT(row, e.family, r->family);
			ROW_INT(row, e.state, r->st);
			ROW_INT(row, e.port, r->port);
			/* /proc/net shows no bound device: unknown, never "none". */
			ROW_INT(row, e.bound_if, -1);
			ROW_MEM(row, e.addr, alen, want, alen);
			/* /proc/net/tcp6 does not show IPV6_V6ONLY. */
			ROW_INT(row, e.v6only, r->family == AF_INET6 ? -1 : 0);
			ROW_INT(row, e.name_len, 0);
		}
	}
}

static void procnet_inet_parse_real_lines_give_address_port_state(void **state)
{
	static const struct procnet_row rows[] = {
		{ "procnet-tcp", 1, AF_INET, 0, TCP_LISTEN, 5432, "127.0.0.1" },
		/* The accepted end and the client of a connection. */
		{ "procnet-tcp", 2, AF_INET, 0, TCP_ESTABLISHED, 5432, "127.0.0.1" },
		{ "procnet-tcp", 3, AF_INET, 0, TCP_ESTABLISHED, 54988, "127.0.0.1" },
		{ "procnet-tcp6", 1, AF_INET6, 0, TCP_LISTEN, 8443, "::" },
		{ "procnet-tcp6", 2, AF_INET6, 0, TCP_LISTEN, 9000, "::1" },
		{ "procnet-tcp6", 3, AF_INET6, 0, TCP_LISTEN, 8080, "::" },
		{ "procnet-udp", 1, AF_INET, 0, TCP_CLOSE, 5353, "127.0.0.1" },
		{ "procnet-udp6", 1, AF_INET6, 0, TCP_CLOSE, 5354, "::" },
		/* Each word is the __be32 printed as a number: bytes reversed on this little-endian host. */
		{ "procnet-tcp-hostile", 18, AF_INET, 0, TCP_LISTEN, 80, "192.168.1.1" },
		{ "procnet-tcp6-hostile", 5, AF_INET6, 0, TCP_LISTEN, 443, "2001:db8::1" },
		/* The fields after st are not needed. */
		{ "procnet-tcp-hostile", 1, AF_INET, 0, TCP_LISTEN, 5432, "127.0.0.1" },
		{ "procnet-tcp-4096-byte-line", 0, AF_INET, 0, TCP_LISTEN, 5432, "127.0.0.1" },
	};

	(void)state;
	procnet_rows(rows, ROWS(rows));
}

static void procnet_inet_parse_header_and_malformed_lines_return_minus_one(void **state)
{
	static const struct procnet_row rows[] = {
		{ "procnet-tcp", 0, AF_INET, -1, 0, 0, NULL },
		{ "procnet-tcp6", 0, AF_INET6, -1, 0, 0, NULL },
		{ "procnet-udp", 0, AF_INET, -1, 0, 0, NULL },
		{ "procnet-udp6", 0, AF_INET6, -1, 0, 0, NULL },
		{ "procnet-tcp-hostile", 0, AF_INET, -1, 0, 0, NULL },
		{ "procnet-tcp-hostile", 2, AF_INET, -1, 0, 0, NULL },   /* no st */
		{ "procnet-tcp-hostile", 3, AF_INET, -1, 0, 0, NULL },   /* no remote address */
		{ "procnet-tcp-hostile", 4, AF_INET, -1, 0, 0, NULL },   /* "0:" only */
		{ "procnet-tcp-hostile", 5, AF_INET, -1, 0, 0, NULL },   /* 0100007G */
		{ "procnet-tcp-hostile", 6, AF_INET, -1, 0, 0, NULL },   /* port 153X */
		{ "procnet-tcp-hostile", 7, AF_INET, -1, 0, 0, NULL },   /* st 0Z */
		{ "procnet-tcp-hostile", 8, AF_INET, -1, 0, 0, NULL },   /* st A */
		{ "procnet-tcp-hostile", 9, AF_INET, -1, 0, 0, NULL },   /* 7-digit address */
		{ "procnet-tcp-hostile", 10, AF_INET, -1, 0, 0, NULL },  /* '-' for ':' */
		{ "procnet-tcp-hostile", 11, AF_INET, -1, 0, 0, NULL },  /* garbage */
		{ "procnet-tcp-hostile", 12, AF_INET, -1, 0, 0, NULL },  /* empty */
		{ "procnet-tcp-hostile", 13, AF_INET, -1, 0, 0, NULL },  /* "0" without ':' */
		{ "procnet-tcp-hostile", 14, AF_INET, -1, 0, 0, NULL },  /* a tcp6 line */
		{ "procnet-tcp-hostile", 15, AF_INET, -1, 0, 0, NULL },  /* +100007F */
		{ "procnet-tcp-hostile", 16, AF_INET, -1, 0, 0, NULL },  /* 5-digit port */
		{ "procnet-tcp-hostile", 17, AF_INET, -1, 0, 0, NULL },  /* 3-digit st */
		{ "procnet-tcp6-hostile", 0, AF_INET6, -1, 0, 0, NULL },
		{ "procnet-tcp6-hostile", 1, AF_INET6, -1, 0, 0, NULL }, /* a tcp line */
		{ "procnet-tcp6-hostile", 2, AF_INET6, -1, 0, 0, NULL }, /* ...0G */
		{ "procnet-tcp6-hostile", 3, AF_INET6, -1, 0, 0, NULL }, /* 30 digits */
		{ "procnet-tcp6-hostile", 4, AF_INET6, -1, 0, 0, NULL }, /* no st */
		/* A tcp6 line read as tcp: the address is too long. */
		{ "procnet-tcp6", 1, AF_INET, -1, 0, 0, NULL },
	};

	(void)state;
	procnet_rows(rows, ROWS(rows));
}

static void procnet_inet_parse_reads_no_byte_past_len(void **state)
{
	static char buf[8192];
	size_t len = fixture_load("procnet-tcp", buf, sizeof(buf)), ll;
	const char *l = nth_line(buf, len, 1, &ll);
	const char *st = strstr(l, " 0A ");
	struct sock_entry e;

	(void)state;
	assert_non_null(st);
	/* Cut after the first digit of st, and before it. */
	assert_int_equal(procnet_inet_parse(l, (size_t)(st - l) + 2, AF_INET, &e), -1);
	assert_int_equal(procnet_inet_parse(l, (size_t)(st - l), AF_INET, &e), -1);
	assert_int_equal(procnet_inet_parse(l, (size_t)(st - l) + 3, AF_INET, &e), 0);
	assert_int_equal(e.state, TCP_LISTEN);
	/* Cut inside the port. */
	assert_int_equal(procnet_inet_parse(l, 18, AF_INET, &e), -1);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(nl_batch_parse_done_carrying_an_error_is_an_error),
		cmocka_unit_test(diag_inet_parse_recorded_sockets_give_family_state_port_address_v6only),
		cmocka_unit_test(diag_inet_parse_port_in_host_order_and_ipv6_without_skv6only_is_unknown),
		cmocka_unit_test(diag_inet_parse_bound_device),
		cmocka_unit_test(diag_inet_parse_unknown_attributes_skipped),
		cmocka_unit_test(diag_inet_parse_short_or_bad_attribute_lengths_return_minus_one),
		cmocka_unit_test(diag_inet_parse_recorded_message_cut_inside_an_attribute_returns_minus_one),
		cmocka_unit_test(diag_inet_parse_other_family_returns_minus_one),
		cmocka_unit_test(diag_unix_parse_recorded_sockets_give_type_state_name_vfs),
		cmocka_unit_test(diag_unix_parse_names_and_vfs_built_by_hand),
		cmocka_unit_test(diag_unix_parse_short_message_or_vfs_or_bad_attribute_returns_minus_one),
		cmocka_unit_test(diag_unix_parse_recorded_message_cut_inside_its_name_returns_minus_one),
		cmocka_unit_test(nl_batch_parse_recorded_dumps_visit_each_socket_then_done),
		cmocka_unit_test(nl_batch_parse_several_messages_in_one_datagram_visited_in_order),
		cmocka_unit_test(nl_batch_parse_done_alone_is_done_without_a_visit),
		cmocka_unit_test(nl_batch_parse_other_sequence_or_port_id_is_bad),
		cmocka_unit_test(nl_batch_parse_nlmsg_len_past_buffer_or_below_header_is_bad),
		cmocka_unit_test(nl_batch_parse_malformed_answer_inside_a_good_message_is_bad),
		cmocka_unit_test(nl_batch_parse_other_message_types_skipped),
		cmocka_unit_test(nl_batch_parse_nlmsg_error_gives_its_errno),
		cmocka_unit_test(nl_batch_parse_dump_intr_sets_the_mark),
		cmocka_unit_test(nl_batch_parse_visitor_nonzero_stops),
		cmocka_unit_test(procnet_inet_parse_real_lines_give_address_port_state),
		cmocka_unit_test(procnet_inet_parse_header_and_malformed_lines_return_minus_one),
		cmocka_unit_test(procnet_inet_parse_reads_no_byte_past_len),
	};

	return cmocka_run_group_tests_name("sockdiag", tests, NULL, NULL);
}
