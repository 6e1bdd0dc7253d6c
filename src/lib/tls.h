/*
 * tls: a TLS 1.2 client on BearSSL for the probes' poll loop. The socket
 * and the poll are the caller's: tls_pump() moves records between the
 * socket and the engine as far as the socket lets it, and says what to
 * poll for next. Nothing here blocks, opens a file or reads the clock: a
 * CA file's bytes are parsed by tls_anchors_parse() (pure), the time for a
 * certificate's dates is the caller's.
 *
 * The profile is what a health check needs: TLS 1.2, ECDHE with P-256,
 * P-384 or X25519, AES-128/256-GCM or ChaCha20-Poly1305, RSA and ECDSA
 * certificates. Without trust anchors nothing is verified (Kubernetes'
 * httpGet does the same): the question is whether the service answers.
 */
#ifndef HEALTHY_TLS_H
#define HEALTHY_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <bearssl.h>

#include "lib/line.h"

/* Trust anchors from a ca= file: its certificates, their names and keys in an arena of the caller's. */
struct tls_anchors {
	br_x509_trust_anchor *ta;
	size_t n;
};

/*
 * The PEM certificates in p[0..n) (the file's bytes) as trust anchors, their
 * bytes in arena[0..size) (as large as the file is enough). Returns their
 * number, 0 when p holds none, or -1 when it is not PEM or the arena is full.
 */
long tls_anchors_parse(struct tls_anchors *a, const char *p, size_t n, unsigned char *arena, size_t size);

/*
 * The certificates of the PEM file at path as trust anchors, in memory
 * mapped for them. Returns 0, or -1 with why in words ("not PEM", or the
 * errno's) in *why.
 */
int tls_anchors_read(struct tls_anchors *a, const char *path, const char **why, int *err);

/* A client certificate (mTLS): its chain, in an arena of the caller's, and its private key, RSA or EC. */
struct tls_client {
	br_x509_certificate chain[8];
	size_t n;
	int type;               /* BR_KEYTYPE_RSA or BR_KEYTYPE_EC */
	br_skey_decoder_context key;
};

/*
 * The chain of the PEM cert[0..cn) and the key of the PEM key[0..kn) into
 * c, the chain's DER in arena[0..size). Returns NULL, or the reason in words
 * (*in_key: it is the key's).
 */
const char *tls_client_parse(struct tls_client *c, const char *cert, size_t cn, const char *key, size_t kn,
			     unsigned char *arena, size_t size, bool *in_key);

/* The same from the files cert and key, c mapped for them. Returns c, or NULL with why (or *err, an errno), *in_key as above. */
struct tls_client *tls_client_read(const char *cert, const char *key, const char **why, int *err, bool *in_key);

/* The no-verify class: decodes the server's first certificate for its key, and checks nothing. */
struct tls_noverify {
	const br_x509_class *vtable;
	br_x509_decoder_context dc;
	unsigned n;
};

/* Verification: BearSSL's x509_minimal, and the server's own certificate kept, for the names a mismatch says. */
struct tls_verify {
	const br_x509_class *vtable;
	br_x509_minimal_context xm;
	unsigned n;
	size_t first_len;       /* bytes of the first certificate kept; more than its size: cut */
	unsigned char first[4096];
};

/* One connection's engine and buffers (44 KiB): mapped for each check that takes TLS. */
struct tls {
	br_ssl_client_context cc;
	union {
		struct tls_noverify nv;
		struct tls_verify v;
	} x509;
	int err;                /* the socket's errno, once a read or a write failed */
	bool eof;               /* the server closed TCP */
	bool ready;             /* the handshake is done */
	char sni[256];          /* SNI and the name verified: the caller's, NUL-terminated; "" for none */
	/* Both ways: a server's first bytes (gRPC's SETTINGS) may come before the request is written. */
	unsigned char io[BR_SSL_BUFSIZE_BIDI];
};

/*
 * Starts a handshake: SNI and the name to verify servername (NULL: none),
 * ALPN alpn (NULL: none offered), verified against a when it is not NULL, at
 * unix_now; c, the client certificate the server may ask for (NULL: none). Returns 0, or an errno (no entropy from getrandom).
 */
int tls_start(struct tls *t, const char *servername, const char *alpn, const struct tls_anchors *a,
	      const struct tls_client *c, uint64_t unix_now);

/*
 * Sends what the engine has for fd and takes what fd has, without waiting.
 * Returns the poll events to wait for (POLLIN, POLLOUT), or 0 once the
 * connection is closed or failed (tls_error() says why).
 */
short tls_pump(struct tls *t, int fd);

/* The application's bytes, up to n, once the handshake is done. Returns how many were queued, 0 if none fit now. */
size_t tls_write(struct tls *t, const void *p, size_t n);

/* The server's application bytes, up to n. Returns their count, 0 when none have come yet. */
size_t tls_read(struct tls *t, void *p, size_t n);

/* Whether the engine holds application bytes not yet read. */
bool tls_pending(const struct tls *t);

/* Why the connection ended: 0 for a clean close, else BearSSL's error or the server's alert (256 + N). */
int tls_error(const struct tls *t);

/* What went wrong, in words people search for: "certificate has expired", "the server requires TLS 1.3". */
void tls_explain(struct line *l, const struct tls *t);

/*
 * The DNS names of a certificate's Subject Alternative Name (DER, n bytes),
 * escaped, ", " between them, at most 4 and then "..."; returns how many it
 * found (0: none, or the DER is malformed).
 */
unsigned tls_cert_names(struct line *l, const unsigned char *der, size_t n);

/* Whether the server chose h2 by ALPN. */
bool tls_h2(const struct tls *t);

#endif
