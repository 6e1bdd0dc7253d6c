/*
 * lib/tls.c: a ca= file's PEM into trust anchors (pure: bytes in, anchors
 * out), and the words a failed handshake is told in. The handshakes
 * themselves run against real servers in tests/integration/t_tls.sh.
 */
#include "fixture.h"

#include <sys/socket.h>

#include "lib/line.h"
#include "lib/tls.h"

static char pem[16384];
static unsigned char arena[32768];

static long parse_fixture(const char *name, struct tls_anchors *a, size_t arena_size)
{
	size_t n = fixture_load(name, pem, sizeof(pem));

	return tls_anchors_parse(a, pem, n, arena, arena_size);
}

static void tls_anchors_from_one_certificate(void **state)
{
	struct tls_anchors a;

	(void)state;
	assert_int_equal(parse_fixture("tls-ca-rsa.pem", &a, sizeof(arena)), 1);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.ta[0].pkey.key_type, BR_KEYTYPE_RSA);
	/* openssl req -x509 marks its certificate a CA (basicConstraints CA:TRUE). */
	assert_int_equal(a.ta[0].flags & BR_X509_TA_CA, BR_X509_TA_CA);
	assert_true(a.ta[0].dn.len > 10);
	assert_int_equal(a.ta[0].pkey.key.rsa.nlen, 256);
	/* Everything the anchor points to is in the arena. */
	assert_true(a.ta[0].dn.data >= arena && a.ta[0].dn.data + a.ta[0].dn.len <= arena + sizeof(arena));
	assert_true(a.ta[0].pkey.key.rsa.n >= arena && a.ta[0].pkey.key.rsa.n + 256 <= arena + sizeof(arena));

	assert_int_equal(parse_fixture("tls-ca-ec.pem", &a, sizeof(arena)), 1);
	assert_int_equal(a.ta[0].pkey.key_type, BR_KEYTYPE_EC);
	assert_int_equal(a.ta[0].pkey.key.ec.curve, BR_EC_secp256r1);
	assert_int_equal(a.ta[0].pkey.key.ec.qlen, 65);
}

/* A bundle: certificates, a private key between them (skipped), and text outside the objects. */
static void tls_anchors_from_a_bundle(void **state)
{
	struct tls_anchors a;

	(void)state;
	assert_int_equal(parse_fixture("tls-bundle.pem", &a, sizeof(arena)), 2);
	assert_int_equal(a.ta[0].pkey.key_type, BR_KEYTYPE_RSA);
	assert_int_equal(a.ta[1].pkey.key_type, BR_KEYTYPE_EC);
	/* The second's key did not overwrite the first's. */
	assert_int_equal(a.ta[0].pkey.key.rsa.nlen, 256);
	assert_int_not_equal(a.ta[0].pkey.key.rsa.n[0], 0);
}

static void tls_anchors_refuses_what_is_none(void **state)
{
	struct tls_anchors a;

	(void)state;
	assert_int_equal(parse_fixture("tls-text.pem", &a, sizeof(arena)), 0);
	assert_int_equal(parse_fixture("tls-key-only.pem", &a, sizeof(arena)), 0);
	assert_int_equal(parse_fixture("tls-cut.pem", &a, sizeof(arena)), -1);
	assert_int_equal(tls_anchors_parse(&a, "", 0, arena, sizeof(arena)), 0);
	/* An arena too small for what the file holds: refused, never written past. */
	arena[600] = 0x5a;
	assert_int_equal(parse_fixture("tls-ca-rsa.pem", &a, 600), -1);
	assert_int_equal(arena[600], 0x5a);
}

/* Each byte of the file cut off in turn: an answer every time, never a read past n. */
static void tls_anchors_every_prefix(void **state)
{
	size_t n = fixture_load("tls-bundle.pem", pem, sizeof(pem)), i;

	(void)state;
	for (i = 0; i <= n; i++) {
		static char copy[16384];
		struct tls_anchors a;
		long r;

		memcpy(copy, pem, i);
		r = tls_anchors_parse(&a, copy, i, arena, sizeof(arena));
		assert_true(r >= -1 && r <= 2);
	}
}

static void tls_explain_words(void **state)
{
	static const struct {
		int err;
		bool hello;
		const char *want;
	} rows[] = {
		{ BR_ERR_X509_EXPIRED, true, "certificate has expired (or is not yet valid)" },
		{ BR_ERR_X509_BAD_SERVER_NAME, true, "certificate name mismatch" },
		{ BR_ERR_X509_NOT_TRUSTED, true, "unknown certificate authority" },
		{ BR_ERR_UNSUPPORTED_VERSION, false, "the server does not speak TLS" },
		{ BR_ERR_RECV_FATAL_ALERT + 70, false, "the server requires TLS 1.3 (healthy speaks TLS 1.2)" },
		{ BR_ERR_RECV_FATAL_ALERT + 40, true, "the server asked for a client certificate" },
		{ BR_ERR_RECV_FATAL_ALERT + 40, false, "no cipher suite, curve or TLS version in common" },
		{ BR_ERR_RECV_FATAL_ALERT + 120, false, "the server does not speak h2 (ALPN)" },
		{ BR_ERR_RECV_FATAL_ALERT + 80, true, "the server sent alert 80" },
		{ BR_ERR_X509_BAD_SIGNATURE, true, "bad certificate (BearSSL error 52)" },
		{ BR_ERR_BAD_MAC, true, "TLS error 7" },
	};
	static struct tls t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line l;

		memset(&t, 0, sizeof(t));
		t.cc.eng.err = rows[i].err;
		t.cc.eng.session.cipher_suite = rows[i].hello ? BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 : 0;
		line_reset(&l);
		tls_explain(&l, &t);
		ROW_MEM(rows[i].want, l.buf, l.len, rows[i].want, strlen(rows[i].want));
	}
}

/* A server's bytes (a fixture's, after its first byte) to the client through a socket, as the probe pumps them. */
static int replay(const char *name, struct tls *t)
{
	static char bytes[65536];
	size_t n = fixture_load(name, bytes, sizeof(bytes));
	int sv[2], rounds = 0;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(write(sv[1], bytes + 1, n - 1), (ssize_t)(n - 1));
	shutdown(sv[1], SHUT_WR);
	assert_int_equal(tls_start(t, "localhost", NULL, NULL, NULL, 1767225600), 0);
	while (rounds++ < 1000 && tls_pump(t, sv[0])) {
		unsigned char app[256];

		if (!tls_read(t, app, sizeof(app)))
			break;
	}
	close(sv[0]);
	close(sv[1]);
	return tls_error(t);
}

/*
 * Was a crash (fuzz_tls, tls.c's no-verify class): a Certificate whose TLS
 * length runs past the DER's end had its extra bytes pushed into the X.509
 * decoder after its program ended, which then jumped nowhere (SIGSEGV).
 * Expected: the handshake fails with an error; actual: the process died.
 */
static void tls_certificate_longer_than_its_der_is_an_error(void **state)
{
	static struct tls t;

	(void)state;
	assert_int_not_equal(replay("tls-server-fuzz-decoder-past-end", &t), 0);
}

/* A real server's first flight (openssl s_server, RSA and ECDSA): the client takes it up to its signature check. */
static void tls_real_server_flights(void **state)
{
	static struct tls t;

	(void)state;
	/* The ServerKeyExchange is signed over another ClientHello's random: a bad signature, never a crash. */
	assert_int_not_equal(replay("tls-server-rsa", &t), 0);
	assert_int_not_equal(replay("tls-server-ec", &t), 0);
	assert_int_not_equal(t.cc.eng.session.cipher_suite, 0);
}

/* A client certificate and its key: RSA PKCS#8, EC in SEC1; what is no key, or an encrypted one, said in words. */
static void tls_client_parse_forms(void **state)
{
	static char cert[8192], key[8192];
	static struct tls_client c;
	size_t cn = fixture_load("tls-client-rsa.pem", cert, sizeof(cert)), kn;
	bool in_key;

	(void)state;
	kn = fixture_load("tls-client-rsa.key.pem", key, sizeof(key));
	assert_null(tls_client_parse(&c, cert, cn, key, kn, arena, sizeof(arena), &in_key));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.type, BR_KEYTYPE_RSA);
	assert_true(c.chain[0].data >= arena && c.chain[0].data + c.chain[0].data_len <= arena + sizeof(arena));
	kn = fixture_load("tls-client-ec.sec1.pem", key, sizeof(key));
	assert_null(tls_client_parse(&c, cert, cn, key, kn, arena, sizeof(arena), &in_key));
	assert_int_equal(c.type, BR_KEYTYPE_EC);
	kn = fixture_load("tls-client-rsa.enc.pem", key, sizeof(key));
	assert_string_equal(tls_client_parse(&c, cert, cn, key, kn, arena, sizeof(arena), &in_key),
			    "no private key healthy reads in it (PKCS#8, RSA or EC, not encrypted)");
	assert_true(in_key);
	assert_string_equal(tls_client_parse(&c, key, kn, key, kn, arena, sizeof(arena), &in_key), "no CERTIFICATE in it");
	assert_false(in_key);
	cn = fixture_load("tls-cut.pem", cert, sizeof(cert));
	assert_string_equal(tls_client_parse(&c, cert, cn, key, kn, arena, sizeof(arena), &in_key),
			    "not PEM, or a certificate in it is malformed");
}

/* A certificate's DNS names, from its SAN; a byte short of the DER anywhere: no names, never a read past. */
static void tls_cert_names_from_san(void **state)
{
	static const struct {
		const char *fixture, *want;
		unsigned n;
	} rows[] = {
		{ "tls-san-one.der", "api.internal", 1 },
		/* IP addresses and e-mail are no DNS names; four, then "...". */
		{ "tls-san-many.der", "a.example, *.b.example, c.example, d.example, ...", 4 },
		{ "tls-san-ip.der", "", 0 },
	};
	static char der[4096];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t n = fixture_load(rows[i].fixture, der, sizeof(der));
		struct line l;

		line_reset(&l);
		ROW_INT(rows[i].fixture, tls_cert_names(&l, (unsigned char *)der, n), rows[i].n);
		ROW_MEM(rows[i].fixture, l.buf, l.len, rows[i].want, strlen(rows[i].want));
		for (k = 0; k < n; k++) {
			static unsigned char cut[4096];

			memcpy(cut, der, k);
			line_reset(&l);
			tls_cert_names(&l, cut, k);
		}
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(tls_anchors_from_one_certificate),
		cmocka_unit_test(tls_anchors_from_a_bundle),
		cmocka_unit_test(tls_anchors_refuses_what_is_none),
		cmocka_unit_test(tls_anchors_every_prefix),
		cmocka_unit_test(tls_explain_words),
		cmocka_unit_test(tls_certificate_longer_than_its_der_is_an_error),
		cmocka_unit_test(tls_real_server_flights),
		cmocka_unit_test(tls_client_parse_forms),
		cmocka_unit_test(tls_cert_names_from_san),
	};

	return cmocka_run_group_tests_name("tls", tests, NULL, NULL);
}
