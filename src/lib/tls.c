#include "tls.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/io.h"

/*
 * The curves: P-256 and P-384 by BearSSL's generic prime-field code, X25519
 * by its own, both on the i31 integers RSA uses too (no P-521: no server a
 * health check meets needs it, and its table is bytes).
 */
static const br_ec_impl *ec_of(int curve)
{
	return curve == BR_EC_curve25519 ? &br_ec_c25519_i31 : &br_ec_prime_i31;
}

static const unsigned char *ec_generator(int curve, size_t *len)
{
	return ec_of(curve)->generator(curve, len);
}

static const unsigned char *ec_order(int curve, size_t *len)
{
	return ec_of(curve)->order(curve, len);
}

static size_t ec_xoff(int curve, size_t *len)
{
	return ec_of(curve)->xoff(curve, len);
}

static uint32_t ec_mul(unsigned char *g, size_t glen, const unsigned char *x, size_t xlen, int curve)
{
	return ec_of(curve)->mul(g, glen, x, xlen, curve);
}

static size_t ec_mulgen(unsigned char *r, const unsigned char *x, size_t xlen, int curve)
{
	return ec_of(curve)->mulgen(r, x, xlen, curve);
}

static uint32_t ec_muladd(unsigned char *a, const unsigned char *b, size_t len, const unsigned char *x, size_t xlen,
			  const unsigned char *y, size_t ylen, int curve)
{
	return ec_of(curve)->muladd(a, b, len, x, xlen, y, ylen, curve);
}

static const br_ec_impl ec = {
	(uint32_t)1 << BR_EC_secp256r1 | (uint32_t)1 << BR_EC_secp384r1 | (uint32_t)1 << BR_EC_curve25519,
	ec_generator, ec_order, ec_xoff, ec_mul, ec_mulgen, ec_muladd,
};

/*
 * The no-verify class: only the first certificate is decoded, for the key
 * the ServerKeyExchange is signed with (every suite is ECDHE). Its dates,
 * names and signer are not looked at.
 */
static struct tls_noverify *nv_of(const br_x509_class *const *ctx)
{
	return (struct tls_noverify *)(void *)(uintptr_t)ctx;
}

static void nv_start_chain(const br_x509_class **ctx, const char *server_name)
{
	(void)server_name;
	nv_of(ctx)->n = 0;
}

static void nv_start_cert(const br_x509_class **ctx, uint32_t length)
{
	(void)length;
	if (!nv_of(ctx)->n)
		br_x509_decoder_init(&nv_of(ctx)->dc, 0, 0);
}

static void nv_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	br_x509_decoder_context *dc = &nv_of(ctx)->dc;

	/* Past the certificate's end, or after an error, the decoder's program has ended: running it again would jump nowhere. */
	if (!nv_of(ctx)->n && !dc->err && !dc->decoded)
		br_x509_decoder_push(dc, buf, len);
}

static void nv_end_cert(const br_x509_class **ctx)
{
	nv_of(ctx)->n++;
}

static unsigned nv_end_chain(const br_x509_class **ctx)
{
	return nv_of(ctx)->n ? (unsigned)br_x509_decoder_last_error(&nv_of(ctx)->dc) : BR_ERR_X509_EMPTY_CHAIN;
}

static const br_x509_pkey *nv_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	if (usages)
		*usages = BR_KEYTYPE_KEYX | BR_KEYTYPE_SIGN;
	return br_x509_decoder_get_pkey(&nv_of(ctx)->dc);
}

static const br_x509_class nv_vtable = {
	sizeof(struct tls_noverify), nv_start_chain, nv_start_cert, nv_append, nv_end_cert, nv_end_chain, nv_get_pkey,
};

/*
 * The verifying class: x509_minimal does the work; the server's first
 * certificate is kept too, so that a name mismatch can say what it names.
 */
static struct tls_verify *v_of(const br_x509_class *const *ctx)
{
	return (struct tls_verify *)(void *)(uintptr_t)ctx;
}

static void v_start_chain(const br_x509_class **ctx, const char *server_name)
{
	v_of(ctx)->n = 0;
	v_of(ctx)->first_len = 0;
	v_of(ctx)->xm.vtable->start_chain(&v_of(ctx)->xm.vtable, server_name);
}

static void v_start_cert(const br_x509_class **ctx, uint32_t length)
{
	v_of(ctx)->xm.vtable->start_cert(&v_of(ctx)->xm.vtable, length);
}

static void v_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	struct tls_verify *v = v_of(ctx);

	if (!v->n) {
		size_t room = sizeof(v->first) - (v->first_len < sizeof(v->first) ? v->first_len : sizeof(v->first));

		memcpy(v->first + sizeof(v->first) - room, buf, len < room ? len : room);
		v->first_len += len;
	}
	v->xm.vtable->append(&v->xm.vtable, buf, len);
}

static void v_end_cert(const br_x509_class **ctx)
{
	v_of(ctx)->n++;
	v_of(ctx)->xm.vtable->end_cert(&v_of(ctx)->xm.vtable);
}

static unsigned v_end_chain(const br_x509_class **ctx)
{
	return v_of(ctx)->xm.vtable->end_chain(&v_of(ctx)->xm.vtable);
}

static const br_x509_pkey *v_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	return v_of(ctx)->xm.vtable->get_pkey(&v_of(ctx)->xm.vtable, usages);
}

static const br_x509_class v_vtable = {
	sizeof(struct tls_verify), v_start_chain, v_start_cert, v_append, v_end_cert, v_end_chain, v_get_pkey,
};

/* One DER TLV at p, before end: its tag, and its contents in [*c, *c + *cn). Returns what follows, or NULL. */
static const unsigned char *tlv(const unsigned char *p, const unsigned char *end, unsigned *tag,
				const unsigned char **c, size_t *cn)
{
	size_t len, k;

	if (end - p < 2)
		return NULL;
	*tag = *p++;
	len = *p++;
	if (len & 0x80) {
		k = len & 0x7f;
		/* Long form, at most 3 bytes of length: no certificate is larger. */
		if (!k || k > 3 || (size_t)(end - p) < k)
			return NULL;
		for (len = 0; k--;)
			len = len << 8 | *p++;
	}
	if (len > (size_t)(end - p))
		return NULL;
	*c = p;
	*cn = len;
	return p + len;
}

unsigned tls_cert_names(struct line *l, const unsigned char *der, size_t n)
{
	static const unsigned char san[] = { 0x55, 0x1d, 0x11 }; /* 2.5.29.17 */
	const unsigned char *p, *end, *c, *ext = NULL;
	size_t cn, extn = 0;
	unsigned tag, found = 0;

	/* Certificate, then tbsCertificate; its fields up to [3] extensions. */
	if (!tlv(der, der + n, &tag, &c, &cn) || tag != 0x30 || !tlv(c, c + cn, &tag, &c, &cn) || tag != 0x30)
		return 0;
	for (p = c, end = c + cn; p && p < end;) {
		p = tlv(p, end, &tag, &c, &cn);
		if (p && tag == 0xa3) {
			ext = c;
			extn = cn;
		}
	}
	/* [3] { SEQUENCE OF Extension { OID, [BOOLEAN], OCTET STRING { SEQUENCE OF GeneralName } } } */
	if (!ext || !tlv(ext, ext + extn, &tag, &c, &cn) || tag != 0x30)
		return 0;
	for (p = c, end = c + cn; p && p < end;) {
		const unsigned char *e, *id, *v, *g, *gend;
		size_t en, idn, vn;

		p = tlv(p, end, &tag, &e, &en);
		if (!p || tag != 0x30 || !(v = tlv(e, e + en, &tag, &id, &idn)) || tag != 0x06 || idn != 3 ||
		    memcmp(id, san, 3))
			continue;
		while ((g = tlv(v, e + en, &tag, &c, &cn)) && tag != 0x04)
			v = g;
		if (!g || !tlv(c, c + cn, &tag, &v, &vn) || tag != 0x30)
			return found;
		for (g = v, gend = v + vn; g && g < gend;) {
			g = tlv(g, gend, &tag, &c, &cn);
			/* dNSName, [2] IA5String */
			if (!g || tag != 0x82)
				continue;
			if (found == 4) {
				line_str(l, ", ...");
				return found;
			}
			line_str(l, found++ ? ", " : "");
			line_escaped(l, (const char *)c, cn);
		}
		return found;
	}
	return found;
}

/* ---- trust anchors, from a ca= file's bytes ---- */

struct arena {
	unsigned char *p;
	size_t used, size;
	bool full;
};

static void *arena_put(struct arena *a, const void *src, size_t n)
{
	void *p = a->p + a->used;

	if (n > a->size - a->used) {
		a->full = true;
		return NULL;
	}
	memcpy(p, src, n);
	a->used += n;
	return p;
}

static void arena_append(void *ctx, const void *buf, size_t len)
{
	arena_put(ctx, buf, len);
}

struct pem_ctx {
	struct arena *ar;
	struct tls_client *c;   /* a client certificate's chain and key, */
	bool key;               /* reading the key's file */
	struct tls_anchors *a;  /* or trust anchors, at most max */
	size_t max;
	bool bad;
};

/*
 * Calls back for each PEM object of p[0..n) with its name and DER (at the
 * arena's top, where the callback may keep it or drop it); returns false
 * when p is no PEM or the arena is full.
 */
static bool pem_walk(const char *p, size_t n, void (*fn)(struct pem_ctx *, const char *, size_t), struct pem_ctx *x)
{
	static br_pem_decoder_context pc;
	static char name[64];
	size_t i, der = 0;
	bool in = false;

	br_pem_decoder_init(&pc);
	for (i = 0; i <= n;) {
		/* The decoder needs the last line ended: one newline after the bytes. */
		size_t used = i < n ? br_pem_decoder_push(&pc, p + i, n - i) : br_pem_decoder_push(&pc, "\n", 1);

		i += i < n ? used : 1;
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			name[0] = '\0';
			strncat(name, br_pem_decoder_name(&pc), sizeof(name) - 1);
			der = x->ar->used;
			br_pem_decoder_setdest(&pc, arena_append, x->ar);
			in = true;
			break;
		case BR_PEM_END_OBJ:
			in = false;
			if (!x->ar->full)
				fn(x, name, der);
			break;
		case BR_PEM_ERROR:
			return false;
		default:
			break;
		}
	}
	return !in && !x->ar->full && !x->bad;
}

/* A CERTIFICATE to a trust anchor: the DER stays where it is, the name after it, then the key's bytes. */
static void anchor_object(struct pem_ctx *x, const char *name, size_t der)
{
	static br_x509_decoder_context dc;
	struct arena *ar = x->ar;
	br_x509_trust_anchor *ta = &x->a->ta[x->a->n];
	const br_x509_pkey *pk;
	size_t dn = ar->used;

	if (strcmp(name, "CERTIFICATE") && strcmp(name, "TRUSTED CERTIFICATE")) {
		ar->used = der;
		return;
	}
	if (x->a->n == x->max) {
		x->bad = true;
		return;
	}
	br_x509_decoder_init(&dc, arena_append, ar);
	br_x509_decoder_push(&dc, ar->p + der, dn - der);
	pk = br_x509_decoder_get_pkey(&dc);
	if (!pk || ar->full) {
		x->bad = true;
		return;
	}
	memset(ta, 0, sizeof(*ta));
	ta->flags = br_x509_decoder_isCA(&dc) ? BR_X509_TA_CA : 0;
	ta->dn.data = ar->p + dn;
	ta->dn.len = ar->used - dn;
	ta->pkey = *pk;
	/* The decoder's copy of the key is in dc, which the next certificate overwrites: keep its bytes. */
	if (pk->key_type == BR_KEYTYPE_RSA) {
		ta->pkey.key.rsa.n = arena_put(ar, pk->key.rsa.n, pk->key.rsa.nlen);
		ta->pkey.key.rsa.e = arena_put(ar, pk->key.rsa.e, pk->key.rsa.elen);
	} else {
		ta->pkey.key.ec.q = arena_put(ar, pk->key.ec.q, pk->key.ec.qlen);
	}
	x->a->n++;
}

long tls_anchors_parse(struct tls_anchors *a, const char *p, size_t n, unsigned char *arena, size_t size)
{
	struct arena ar = { arena, 0, size, false };
	struct pem_ctx x = { &ar, NULL, false, a, size / 2 / sizeof(br_x509_trust_anchor), false };

	/* The anchors' array first, as many as the arena could ever hold, then their bytes. */
	a->ta = (br_x509_trust_anchor *)(void *)arena;
	a->n = 0;
	ar.used = x.max * sizeof(br_x509_trust_anchor);
	return pem_walk(p, n, anchor_object, &x) ? (long)a->n : -1;
}

/* The file at path, mapped (*size bytes; "" for an empty one). Returns it, or NULL with why or *err. */
static const char *file_map(const char *path, size_t *size, const char **why, int *err)
{
	struct stat st;
	void *p = MAP_FAILED;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	*size = 0;
	if (fd < 0 || io_stat(fd, NULL, &st, 0)) {
		*err = errno;
	} else if (!S_ISREG(st.st_mode) || st.st_size > 16 << 20) {
		*why = S_ISREG(st.st_mode) ? "larger than 16 MiB" : "not a file";
	} else if (st.st_size && (p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		*err = errno;
	} else {
		*size = (size_t)st.st_size;
	}
	if (fd >= 0)
		close(fd);
	return *why || *err ? NULL : *size ? p : "";
}

static void *anon_map(size_t size, int *err)
{
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	*err = m == MAP_FAILED ? errno : 0;
	return m == MAP_FAILED ? NULL : m;
}

int tls_anchors_read(struct tls_anchors *a, const char *path, const char **why, int *err)
{
	size_t size;
	const char *p;
	unsigned char *arena;
	long n = -1;

	*why = NULL;
	*err = 0;
	if (!(p = file_map(path, &size, why, err)))
		return -1;
	/* The anchors' array and their bytes: DER is 3/4 of its base64, names and keys less than it. */
	arena = anon_map(3 * size + 4096, err);
	if (arena) {
		n = tls_anchors_parse(a, p, size, arena, 3 * size + 4096);
		if (n <= 0)
			*why = n < 0 ? "not PEM, or a certificate in it is malformed" : "no CERTIFICATE in it";
	}
	if (size)
		munmap((void *)(uintptr_t)p, size);
	if (n > 0)
		return 0;
	if (arena)
		munmap(arena, 3 * size + 4096);
	return -1;
}

static void client_object(struct pem_ctx *x, const char *name, size_t at)
{
	struct tls_client *c = x->c;
	const unsigned char *der = x->ar->p + at;
	size_t n = x->ar->used - at;

	if (!x->key && !strcmp(name, "CERTIFICATE") && c->n < sizeof(c->chain) / sizeof(c->chain[0])) {
		c->chain[c->n].data = (unsigned char *)(uintptr_t)der;
		c->chain[c->n++].data_len = n;
	} else if (x->key && !c->type && strlen(name) >= 11 && !strcmp(name + strlen(name) - 11, "PRIVATE KEY")) {
		/*
		 * PKCS#8 "PRIVATE KEY", or OpenSSL's "RSA PRIVATE KEY" and "EC
		 * PRIVATE KEY"; not an encrypted one. A suffix, not strstr(): musl's
		 * is 1.2 KB.
		 */
		br_skey_decoder_init(&c->key);
		br_skey_decoder_push(&c->key, der, n);
		if (!br_skey_decoder_last_error(&c->key))
			c->type = br_skey_decoder_key_type(&c->key);
	}
}

const char *tls_client_parse(struct tls_client *c, const char *cert, size_t cn, const char *key, size_t kn,
			     unsigned char *arena, size_t size, bool *in_key)
{
	struct arena ar = { arena, 0, size, false };
	struct pem_ctx x = { &ar, c, false, NULL, 0, false };

	/* All but the key's decoder (the last field), which br_skey_decoder_init() sets when a key comes. */
	memset(c, 0, offsetof(struct tls_client, key));
	*in_key = false;
	if (!pem_walk(cert, cn, client_object, &x))
		return "not PEM, or a certificate in it is malformed";
	if (!c->n)
		return "no CERTIFICATE in it";
	*in_key = x.key = true;
	if (!pem_walk(key, kn, client_object, &x))
		return "not PEM";
	if (!c->type)
		return "no private key healthy reads in it (PKCS#8, RSA or EC, not encrypted)";
	return NULL;
}

struct tls_client *tls_client_read(const char *cert, const char *key, const char **why, int *err, bool *in_key)
{
	size_t cn = 0, kn = 0, size;
	const char *cp, *kp = NULL;
	struct tls_client *c = NULL;

	*why = NULL;
	*err = 0;
	*in_key = false;
	cp = file_map(cert, &cn, why, err);
	if (cp) {
		*in_key = true;
		kp = file_map(key, &kn, why, err);
	}
	size = sizeof(*c) + cn + kn + 64;
	if (kp && (c = anon_map(size, err)) != NULL) {
		*why = tls_client_parse(c, cp, cn, kp, kn, (unsigned char *)(c + 1), size - sizeof(*c), in_key);
		if (*why) {
			munmap(c, size);
			c = NULL;
		}
	}
	if (cp && cn)
		munmap((void *)(uintptr_t)cp, cn);
	if (kp && kn)
		munmap((void *)(uintptr_t)kp, kn);
	return c;
}

/* ---- the engine ---- */

static const uint16_t suites[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
};

int tls_start(struct tls *t, const char *servername, const char *alpn, const struct tls_anchors *a,
	      const struct tls_client *c, uint64_t unix_now)
{
	static const char *names[1];
	br_ssl_client_context *cc = &t->cc;
	br_ssl_engine_context *e = &cc->eng;
	unsigned char seed[32];
	ssize_t got;

	br_ssl_client_zero(cc);
	br_ssl_engine_set_versions(e, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(e, suites, sizeof(suites) / sizeof(suites[0]));
	br_ssl_engine_set_ec(e, &ec);
	br_ssl_engine_set_rsavrfy(e, br_rsa_i31_pkcs1_vrfy);
	br_ssl_engine_set_ecdsa(e, br_ecdsa_i31_vrfy_asn1);
	br_ssl_engine_set_hash(e, br_sha256_ID, &br_sha256_vtable);
	br_ssl_engine_set_hash(e, br_sha384_ID, &br_sha384_vtable);
	br_ssl_engine_set_hash(e, br_sha512_ID, &br_sha512_vtable);
	br_ssl_engine_set_prf_sha256(e, br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(e, br_tls12_sha384_prf);
	br_ssl_engine_set_gcm(e, &br_sslrec_in_gcm_vtable, &br_sslrec_out_gcm_vtable);
	br_ssl_engine_set_aes_ctr(e, &br_aes_ct_ctr_vtable);
	br_ssl_engine_set_ghash(e, br_ghash_ctmul64);
	br_ssl_engine_set_chapol(e, &br_sslrec_in_chapol_vtable, &br_sslrec_out_chapol_vtable);
	br_ssl_engine_set_chacha20(e, br_chacha20_ct_run);
	br_ssl_engine_set_poly1305(e, br_poly1305_ctmul_run);
	if (a) {
		br_x509_minimal_context *xm = &t->x509.v.xm;

		br_x509_minimal_init(xm, &br_sha256_vtable, a->ta, a->n);
		br_x509_minimal_set_rsa(xm, br_rsa_i31_pkcs1_vrfy);
		br_x509_minimal_set_ecdsa(xm, &ec, br_ecdsa_i31_vrfy_asn1);
		br_x509_minimal_set_hash(xm, br_sha256_ID, &br_sha256_vtable);
		br_x509_minimal_set_hash(xm, br_sha384_ID, &br_sha384_vtable);
		br_x509_minimal_set_hash(xm, br_sha512_ID, &br_sha512_vtable);
		/* Days since 0000-01-01 (proleptic Gregorian): 719528 at the Unix epoch. */
		br_x509_minimal_set_time(xm, (uint32_t)(unix_now / 86400 + 719528), (uint32_t)(unix_now % 86400));
		t->x509.v.vtable = &v_vtable;
		br_ssl_engine_set_x509(e, &t->x509.v.vtable);
	} else {
		t->x509.nv.vtable = &nv_vtable;
		br_ssl_engine_set_x509(e, &t->x509.nv.vtable);
	}
	if (c && c->type == BR_KEYTYPE_RSA)
		br_ssl_client_set_single_rsa(cc, c->chain, c->n, br_skey_decoder_get_rsa(&c->key), br_rsa_i31_pkcs1_sign);
	else if (c)
		br_ssl_client_set_single_ec(cc, c->chain, c->n, br_skey_decoder_get_ec(&c->key), BR_KEYTYPE_SIGN, 0, &ec,
					    br_ecdsa_i31_sign_asn1);
	if (alpn) {
		names[0] = alpn;
		br_ssl_engine_set_protocol_names(e, names, 1);
	}
	br_ssl_engine_set_buffer(e, t->io, sizeof(t->io), 1);
	/*
	 * BearSSL's own seeder would open /dev/urandom or use rdrand: it is built
	 * without both (BR_USE_URANDOM=0, BR_RDRAND=0), and the engine runs on
	 * getrandom()'s bytes, injected once the hashes are set.
	 */
	do
		got = getrandom(seed, sizeof(seed), GRND_NONBLOCK);
	while (got < 0 && errno == EINTR);
	if (got != (ssize_t)sizeof(seed))
		return got < 0 ? errno : EAGAIN;
	br_ssl_engine_inject_entropy(e, seed, sizeof(seed));
	t->err = 0;
	t->eof = false;
	t->ready = false;
	return br_ssl_client_reset(cc, servername, 0) ? 0 : EINVAL;
}

short tls_pump(struct tls *t, int fd)
{
	br_ssl_engine_context *e = &t->cc.eng;

	for (;;) {
		unsigned st = br_ssl_engine_current_state(e);
		unsigned char *buf;
		size_t len;
		ssize_t n;

		if (st & BR_SSL_CLOSED)
			return 0;
		t->ready |= (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP)) != 0;
		if (st & BR_SSL_SENDREC) {
			buf = br_ssl_engine_sendrec_buf(e, &len);
			n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0) {
				br_ssl_engine_sendrec_ack(e, (size_t)n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno != EAGAIN) {
				t->err = errno;
				br_ssl_engine_close(e);
				return 0;
			}
			return POLLOUT;
		}
		/* Application bytes not yet taken: the caller reads them before more records come in. */
		if (st & BR_SSL_RECVAPP)
			return POLLIN;
		if (st & BR_SSL_RECVREC) {
			buf = br_ssl_engine_recvrec_buf(e, &len);
			n = recv(fd, buf, len, MSG_DONTWAIT);
			if (n > 0) {
				br_ssl_engine_recvrec_ack(e, (size_t)n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				return POLLIN;
			if (n == 0)
				t->eof = true;
			else
				t->err = errno;
			return 0;
		}
		return POLLIN;
	}
}

size_t tls_write(struct tls *t, const void *p, size_t n)
{
	br_ssl_engine_context *e = &t->cc.eng;
	unsigned char *buf;
	size_t len;

	if (!(br_ssl_engine_current_state(e) & BR_SSL_SENDAPP))
		return 0;
	buf = br_ssl_engine_sendapp_buf(e, &len);
	len = len < n ? len : n;
	memcpy(buf, p, len);
	br_ssl_engine_sendapp_ack(e, len);
	br_ssl_engine_flush(e, 0);
	return len;
}

size_t tls_read(struct tls *t, void *p, size_t n)
{
	br_ssl_engine_context *e = &t->cc.eng;
	unsigned char *buf;
	size_t len;

	if (!(br_ssl_engine_current_state(e) & BR_SSL_RECVAPP))
		return 0;
	buf = br_ssl_engine_recvapp_buf(e, &len);
	len = len < n ? len : n;
	memcpy(p, buf, len);
	br_ssl_engine_recvapp_ack(e, len);
	return len;
}

bool tls_pending(const struct tls *t)
{
	return (br_ssl_engine_current_state(&t->cc.eng) & BR_SSL_RECVAPP) != 0;
}

int tls_error(const struct tls *t)
{
	return br_ssl_engine_last_error(&t->cc.eng);
}

bool tls_h2(const struct tls *t)
{
	const char *p = br_ssl_engine_get_selected_protocol((br_ssl_engine_context *)(uintptr_t)&t->cc.eng);

	return p && !strcmp(p, "h2");
}

void tls_explain(struct line *l, const struct tls *t)
{
	int e = tls_error(t);
	/* The ServerHello has come once a suite is chosen: an alert after it is about what the client sent. */
	bool hello = t->cc.eng.session.cipher_suite != 0;
	const char *w;

	/* A reset or a broken pipe in the handshake is the server hanging up, as a close is (BoringSSL does either). */
	if (e == BR_ERR_OK && t->err && (t->ready || (t->err != EPIPE && t->err != ECONNRESET))) {
		line_reason(l, t->err);
		return;
	}
	switch (e) {
	case BR_ERR_OK:
		w = t->ready ? "the server closed the connection" : "the server closed the connection in the handshake";
		break;
	case BR_ERR_UNSUPPORTED_VERSION:
	case BR_ERR_BAD_LENGTH:
		w = "the server does not speak TLS";
		break;
	case BR_ERR_X509_EXPIRED:
		w = "certificate has expired (or is not yet valid)";
		break;
	case BR_ERR_X509_BAD_SERVER_NAME:
		w = "certificate name mismatch";
		break;
	case BR_ERR_X509_NOT_TRUSTED:
		w = "unknown certificate authority";
		break;
	case BR_ERR_RECV_FATAL_ALERT + 70:
		w = "the server requires TLS 1.3 (healthy speaks TLS 1.2)";
		break;
	case BR_ERR_RECV_FATAL_ALERT + 40:
		w = hello ? "the server asked for a client certificate" : "no cipher suite, curve or TLS version in common";
		break;
	case BR_ERR_RECV_FATAL_ALERT + 116:
		w = "the server asked for a client certificate";
		break;
	case BR_ERR_RECV_FATAL_ALERT + 42:
	case BR_ERR_RECV_FATAL_ALERT + 46:
	case BR_ERR_RECV_FATAL_ALERT + 48:
		if (!t->cc.client_auth_vtable)
			goto alert;
		w = "the server rejected the client certificate";
		break;
	case BR_ERR_RECV_FATAL_ALERT + 120:
		w = "the server does not speak h2 (ALPN)";
		break;
	default:
		if (e >= BR_ERR_RECV_FATAL_ALERT && e < BR_ERR_RECV_FATAL_ALERT + 256) {
alert:
			line_str(l, "the server sent alert ");
			line_uint(l, (unsigned)(e - BR_ERR_RECV_FATAL_ALERT));
			return;
		}
		if (e >= BR_ERR_X509_OK + 1 && e < BR_ERR_RECV_FATAL_ALERT) {
			line_str(l, "bad certificate (BearSSL error ");
			line_uint(l, (unsigned)e);
			line_str(l, ")");
			return;
		}
		line_str(l, "TLS error ");
		line_uint(l, (unsigned)e);
		return;
	}
	line_str(l, w);
	if (e == BR_ERR_X509_BAD_SERVER_NAME && t->sni[0]) {
		const struct tls_verify *v = &t->x509.v;

		line_str(l, " (wanted ");
		line_escaped(l, t->sni, strlen(t->sni));
		/* What the server's certificate names, when it was kept whole. */
		if (t->x509.v.vtable == &v_vtable && v->first_len <= sizeof(v->first)) {
			size_t at = l->len;

			line_str(l, ", got ");
			if (!tls_cert_names(l, v->first, v->first_len)) {
				l->len = at;
				line_str(l, ", the certificate names no DNS name");
			}
		}
		line_str(l, ")");
	}
}
