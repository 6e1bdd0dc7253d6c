#include "check.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "exitcode.h"
#include "lib/conn.h"
#include "lib/resolve.h"
#include "lib/tls.h"
#include "lib/url.h"

/* A connection's result is its check's verdict. */
_Static_assert(CONN_PASS == (int)VERDICT_PASS && CONN_FAIL == (int)VERDICT_FAIL && CONN_ERROR == (int)VERDICT_ERROR,
	       "conn_result and verdict differ");
_Static_assert(MAX_CHECKS <= CONN_MAX, "a run's checks do not fit one conn_run()");

void check_conns_run(struct check **cs, size_t n, const struct run_opts *ro)
{
	static struct conn *ks[MAX_CHECKS];
	size_t i;

	for (i = 0; i < n; i++) {
		ks[i] = cs[i]->state;
		ks[i]->why = &cs[i]->why;
	}
	conn_run(ks, n, ro->deadline_ms, ro->timeout_ms);
	for (i = 0; i < n; i++) {
		cs[i]->verdict = (enum verdict)ks[i]->result;
		/* -v: whether the server said who it is. */
		if (ks[i]->tls && ks[i]->result == CONN_PASS)
			line_str(&cs[i]->why, ks[i]->ca ? " (TLS, certificate verified)" : " (TLS, certificate not verified)");
	}
}

int check_conn_prepare(struct check *c, struct conn *k, struct line *err)
{
	if (!k->lookup_store && conn_needs_lookup(k) && !(k->lookup_store = check_map(c, sizeof(struct resolve), err)))
		return EXIT_CANNOT_CHECK;
	return 0;
}

/* A file of the command line's that is missing or not PEM: its mistake (2); one healthy may not read: 3. */
static int file_failed(const struct check *c, const char *opt, const char *path, const char *why, int e, struct line *err)
{
	check_line_start(c, err);
	line_str(err, opt);
	line_escaped(err, path, strlen(path));
	line_str(err, ": ");
	if (why)
		line_str(err, why);
	else
		line_reason(err, e);
	return e == EACCES || e == EPERM ? EXIT_CANNOT_CHECK : EXIT_USAGE;
}

int check_tls_prepare(struct check *c, struct conn *k, const struct url *u, struct tls_anchors *a, const char *alpn,
		      struct line *err)
{
	char path[4096];
	const char *why;
	int e;

	k->alpn = alpn;
	if (!k->tls && !(k->tls = check_map(c, sizeof(struct tls), err)))
		return EXIT_CANNOT_CHECK;
	/* SNI: servername=, or HOST when it is a name (RFC 6066 3: never an address). */
	if (u->servername)
		memcpy(k->tls->sni, u->servername, u->servername_len);
	else if (!u->host_is_addr)
		memcpy(k->tls->sni, u->host, strlen(u->host));
	k->servername = k->tls->sni[0] ? k->tls->sni : NULL;
	if (u->ca && !k->ca) {
		memcpy(path, u->ca, u->ca_len);
		path[u->ca_len] = '\0';
		if (tls_anchors_read(a, path, &why, &e))
			return file_failed(c, "ca=", path, why, e, err);
		k->ca = a;
	}
	if (u->cert && !k->client) {
		char key[4096];
		bool in_key;

		memcpy(path, u->cert, u->cert_len);
		path[u->cert_len] = '\0';
		memcpy(key, u->key, u->key_len);
		key[u->key_len] = '\0';
		k->client = tls_client_read(path, key, &why, &e, &in_key);
		if (!k->client)
			return file_failed(c, in_key ? "key=" : "cert=", in_key ? key : path, why, e, err);
	}
	return 0;
}

size_t check_pids(const struct check *c, struct watched_pid *out, size_t max)
{
	/* What not:proc:X finds makes it fail at once: no death of it is news. */
	return c->kind->pids && !c->outer ? c->kind->pids(c, out, max) : 0;
}

void check_line_start(const struct check *c, struct line *l)
{
	line_start(l, c->spec);
}

void check_usage(struct line *err, const struct check *c, const char *why)
{
	check_line_start(c, err);
	line_str(err, why);
}

int check_option_unknown(struct check *c, const char *opt, size_t key_len, const char *known, bool is_path,
			 struct line *err)
{
	c->odd_opt = opt;
	c->odd_key_len = key_len;
	c->odd_known = known;
	if (is_path)
		return 0;
	check_option_odd_usage(c, err);
	return -1;
}

void check_option_odd_usage(const struct check *c, struct line *err)
{
	/* "proc:" from the check as typed, the kind and its colon, after any "not:". */
	size_t kind_len = strlen(c->kind->name);

	line_unknown_option(err, c->spec, c->arg - kind_len, kind_len, c->odd_opt, c->odd_key_len, c->odd_known);
}

int check_hostport_split(const struct check *c, const char *s, size_t n, struct hostport *hp, struct line *err)
{
	const char *why = url_split(s, n, hp);

	if (why)
		check_usage(err, c, why);
	return why ? -1 : 0;
}

int check_port_parse(const struct check *c, const char *s, size_t n, uint16_t *port, struct line *err)
{
	const char *why = url_port(s, n, port);

	if (why)
		check_usage(err, c, why);
	return why ? -1 : 0;
}

int check_procname(const struct check *c, struct proc_name *pn, const char *s, size_t n, struct line *err)
{
	switch (procname_set(pn, s, n)) {
	case PROCNAME_EMPTY:
		check_usage(err, c, "empty name");
		return -1;
	case PROCNAME_TOO_LONG:
		check_usage(err, c, "name too long (at most 255 bytes)");
		return -1;
	default:
		return 0;
	}
}

void *check_state(struct check *c, void *pool, size_t size, unsigned *next)
{
	c->state = (char *)pool + (*next)++ % MAX_CHECKS * size;
	return memset(c->state, 0, size);
}

void *check_map(const struct check *c, size_t size, struct line *err)
{
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m != MAP_FAILED)
		return m;
	check_line_start(c, err);
	line_errno(err, "cannot map its buffers", errno);
	return NULL;
}
