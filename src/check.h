/*
 * check: one CHECK argument as parsed, and what running it found; the kind
 * it is of, as each kind plugs in; the line helpers every kind builds on.
 * It names no kind: each keeps its own state in a pool of its own, and the
 * table of kinds is kind.c's.
 */
#ifndef HEALTHY_CHECK_H
#define HEALTHY_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/line.h"
#include "lib/procpid.h"
#include "lib/scan.h"

/* At most this many checks in one run: a fixed array, no malloc. */
#define MAX_CHECKS 64

enum verdict {
	VERDICT_UNKNOWN = 0, /* not decided yet */
	VERDICT_PASS,
	VERDICT_FAIL,        /* the service is not healthy: exit 1 */
	VERDICT_ERROR,       /* healthy could not tell: exit 3 */
};

struct kind;
struct conn;
struct url;
struct tls_anchors;

struct check {
	const char *spec;       /* as the user typed it: every message names it so */
	const struct kind *kind;       /* the kind that runs it; for not:CHECK, CHECK's */
	const struct kind *outer;      /* the kind wrapped around it (not:), or NULL */
	void *state;            /* the kind's own, in a pool of its own */
	const char *arg;        /* NAME or PATH, inside spec, not NUL-terminated */
	size_t arg_len;
	/* A path that ends in what looks like an unknown option: a usage error unless the file exists */
	const char *odd_opt;
	size_t odd_key_len;
	const char *odd_known;
	enum verdict verdict;
	struct line why;        /* the reason (fail, error) or the evidence (pass) */
	/*
	 * A failure that is no evidence of absence: what it looks for may be
	 * where healthy cannot see (a PID namespace it does not share, its own
	 * ancestor). 1 for the check; not: cannot pass on it.
	 */
	bool weak;
	bool track;             /* --watch: remember the process seen (where the kind can), so PID reuse never fools it */
};

/* What a run gives each kind: the one deadline, -t as given (for the words), and -v. */
struct run_opts {
	uint64_t deadline_ms;   /* on clock_ms() */
	uint64_t timeout_ms;
	bool verbose;
};

/* A process --watch holds a pidfd on, and its start time if the kind knows it: PID reuse is then seen. */
struct watched_pid {
	pid_t pid;
	bool start_known;
	unsigned long long start;
};

/* A kind of check: "proc:", "tcp:", "http://". kind.c's table lists them all. */
struct kind {
	const char *name;       /* as written before the argument: "proc:", "http://"; the part before ':' finds it */
	const char *usage;      /* its lines of --help; NULL: not listed (a kind that only says why it is not there) */
	const char *doing;      /* the watchdog's words while it runs: " reading /proc" */
	/* Parses the argument after the ':' into c (kind, spec, arg set), its state from the kind's pool; no I/O. Returns 0, or -1 with the usage error. */
	int (*parse)(struct check *c, const char *body, struct line *err);
	/* The I/O parsing needs, before confinement (user= lookup). Returns 0, or the exit code with the line. May be NULL. */
	int (*prepare)(struct check *c, struct line *err);
	/* Runs all n checks of the kinds that share this function, in one pass, and sets each verdict. */
	void (*run)(struct check **cs, size_t n, const struct run_opts *ro);
	/* --watch: the processes the last run found, at most max. May be NULL. */
	size_t (*pids)(const struct check *c, struct watched_pid *out, size_t max);
	/* --watch: the death of one of its pids is this check's alone to judge: it runs alone, the others wait. */
	bool pids_alone;
	/*
	 * Its run takes one check at a time, after the kinds that take all
	 * theirs in one pass, in the order the checks were given (pid:,
	 * pidfile:, file:: each reads one file, and a hung one is named).
	 */
	bool each;
	/*
	 * Its run makes no call the kernel can hold past the deadline where only
	 * a fatal signal reaches: it polls its sockets, reads /proc's comm, stat
	 * and status, and arms the watchdog itself before anything else
	 * (cmdline). Other kinds' runs start the watchdog thread (confine_arm()).
	 */
	bool bounded;
	/*
	 * A kind that wraps another (not:): kind.c parses the CHECK inside it,
	 * whose kind runs it; this turns that verdict and line into its own
	 * once the run is over. NULL for every other kind.
	 */
	void (*judge)(struct check *c);
};

/*
 * c's state from its kind's pool of MAX_CHECKS entries of size bytes: the
 * slot after the last one given (*next), zeroed. A run holds at most
 * MAX_CHECKS checks, so a slot comes round again only once its check is gone.
 */
void *check_state(struct check *c, void *pool, size_t size, unsigned *next);

/*
 * The run of the kinds whose checks are connections (connect:, http://,
 * grpc://): every one at once, in lib/conn.c's one poll loop, under the
 * run's deadline. Such a kind's state starts with its struct conn, aimed
 * and given its ops by the kind's parse.
 */
void check_conns_run(struct check **cs, size_t n, const struct run_opts *ro);

/* c's connection k's lookup, mapped before confinement when its host is a name. Returns 0, or the exit code with the line. */
int check_conn_prepare(struct check *c, struct conn *k, struct line *err);

/*
 * TLS for c's connection k, before confinement: its engine mapped, SNI from
 * u, ALPN alpn (NULL: none), u's ca= file read into a, and its cert= and key=
 * into memory mapped for them. Returns 0, or the exit code with the line in
 * err (EXIT_USAGE: a file missing or not PEM; EXIT_CANNOT_CHECK: one healthy
 * may not read).
 */
int check_tls_prepare(struct check *c, struct conn *k, const struct url *u, struct tls_anchors *a, const char *alpn,
		      struct line *err);

/* --watch: the processes c's last run found, whose deaths make it look again; none for not:CHECK. */
size_t check_pids(const struct check *c, struct watched_pid *out, size_t max);

/* "healthy: SPEC: " into l. */
void check_line_start(const struct check *c, struct line *l);

/* A usage error about c: "healthy: SPEC: why". */
void check_usage(struct line *err, const struct check *c, const char *why);

/*
 * An option of key_len bytes at opt that c's kind does not take. Where the
 * argument is a path (is_path), which may itself end in ",x=y", it is noted
 * in c (opts_prepare() looks for such a file) and 0 is returned; otherwise -1
 * with the usage error, naming what the kind takes (known: "min=, max=").
 */
int check_option_unknown(struct check *c, const char *opt, size_t key_len, const char *known, bool is_path,
			 struct line *err);

/* The usage error for the unknown option check_option_unknown() noted in c. */
void check_option_odd_usage(const struct check *c, struct line *err);

/* Sets pn to the NAME of n bytes at s (proc:NAME, ,name=NAME). Returns 0, or -1 with the usage error in err. */
int check_procname(const struct check *c, struct proc_name *pn, const char *s, size_t n, struct line *err);

/*
 * Splits s[0..n) into host and port, as tcp:, udp:, connect: and http:// write
 * them. Returns 0, or -1 with the usage error in err (an IPv6 address outside
 * brackets, a bracket not closed or not followed by ':').
 */
int check_hostport_split(const struct check *c, const char *s, size_t n, struct hostport *hp, struct line *err);

/* Parses a port, 1 to 65535. Returns 0, or -1 with the usage error in err. */
int check_port_parse(const struct check *c, const char *s, size_t n, uint16_t *port, struct line *err);

/*
 * size bytes for c's own buffers, mapped by its kind's prepare (before
 * confinement), only for the checks that need them: in the bss, 64 of each
 * would be every run's address space. NULL with the line in err.
 */
void *check_map(const struct check *c, size_t size, struct line *err);

#endif
