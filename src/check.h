/*
 * check: one CHECK argument as parsed, and what running it found.
 * A kind's parsing lives in args.c; its running and its words in the kind's own file.
 */
#ifndef HEALTHY_CHECK_H
#define HEALTHY_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/procpid.h"
#include "lib/scan.h"
#include "lib/line.h"

/* At most this many checks in one run: a fixed array, no malloc. */
#define MAX_CHECKS 64
/* Evidence keeps this many PIDs; the rest are counted. */
#define EVIDENCE_PIDS 8

enum check_kind {
	CHECK_PROC,
	CHECK_PID,
	CHECK_PIDFILE,
	CHECK_TCP,
	CHECK_UDP,
	CHECK_UNIX,
	CHECK_CONNECT,
	CHECK_HTTP,
	CHECK_FILE,
};

enum verdict {
	VERDICT_UNKNOWN = 0, /* not decided yet */
	VERDICT_PASS,
	VERDICT_FAIL,        /* the service is not healthy: exit 1 */
	VERDICT_ERROR,       /* healthy could not tell: exit 3 */
};

struct pid_state {
	pid_t pid;
	char state;
};

/* What one walk of /proc saw of the processes that carry a proc: check's name. */
struct proc_tally {
	unsigned live;
	unsigned zombies;
	unsigned other_users;   /* live, right name, wrong uid */
	unsigned other_args;    /* live, right name and uid, arguments args= does not match */
	unsigned ancestors;     /* right name, but healthy itself or its ancestor */
	pid_t ancestor_pid;
	unsigned unsure;        /* live, comm a cut 15 bytes that may be NAME, the rest of the name unknown */
	pid_t unsure_pid;
	unsigned unlive;        /* stopped, traced, dead */
	struct pid_state live_pids[EVIDENCE_PIDS];
	struct pid_state unlive_pids[EVIDENCE_PIDS];
};

/* A name resolves to at most this many addresses that a probe tries. */
#define PROBE_MAX_ADDRS 8
/* A host name, as DNS bounds it. */
#define HOST_SIZE 256

/* A socket address as seen in the kernel's tables, for evidence. */
struct sock_seen {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char addr[16];
};

/* What the socket tables showed for one tcp:, udp: or unix: check. */
struct sock_tally {
	unsigned found;         /* sockets that pass */
	bool found_dgram;       /* unix: the first of them is a datagram socket */
	struct sock_seen found_at;
	unsigned elsewhere;     /* inet: on the port, bound to another address */
	struct sock_seen elsewhere_at;
	bool v6only;            /* inet: a [::] socket that would do, but is IPv6-only */
	bool v6only_unknown;    /* inet: ... whose IPV6_V6ONLY the source does not show */
	bool device;            /* inet: a socket that would do, but bound to a device (or VRF) that ADDR does not reach */
	struct sock_seen device_at;
	int device_if;
	bool device_unsure;     /* inet: ... to a device that may or may not hold ADDR */
	bool device_unknown;    /* inet: ... whose bound device the source does not show */
	struct sock_seen device_unknown_at;
	int found_if;           /* inet: the device the first found socket is bound to; 0 for none */
	bool not_listening;     /* unix: a stream socket bound at the path, not listening */
	size_t padded;          /* unix:@NAME: a socket bound to NAME and this many NULs, which a client of NAME misses */
	bool reached;           /* unix: not in the table, but a connect() was taken */
	bool reached_dgram;
	bool reached_via_proc;  /* unix: a path longer than sun_path, connected to through /proc/self/fd */
	int reach_errno;        /* unix: why a connect() was not taken; 0 if none was tried or it was */
};

struct check {
	const char *spec;       /* as the user typed it: every message names it so */
	enum check_kind kind;
	const char *arg;        /* NAME or PATH, inside spec, not NUL-terminated */
	size_t arg_len;
	union {
		struct {
			struct proc_name name;
			unsigned min, max;
			bool min_given, max_given;
			bool by_user;
			bool uid_known;
			uid_t uid;
			const char *user;   /* user= as typed, inside spec */
			size_t user_len;
			const char *args;   /* args= GLOB, inside spec; NULL: any arguments */
			size_t args_len;
			struct proc_tally tally;
		} proc;
		struct {
			pid_t pid;              /* pid:N; 0 for pidfile: */
			bool by_name;           /* ,name=NAME: the process must also have this name */
			struct proc_name name;
		} pid;
		struct {
			int family;             /* of ADDR; 0: any address */
			bool localhost;         /* ADDR was "localhost": 127.0.0.1 or ::1 */
			unsigned char addr[16];
			uint16_t port;
			bool abstract;          /* unix:@NAME */
			int stat_errno;         /* unix: stat(PATH) failed with this */
			bool not_socket;        /* unix: PATH is no socket */
			unsigned long long dev; /* unix: the socket file's device and inode */
			unsigned long long ino;
			struct sock_tally tally;
		} sock;
		struct {
			char host[HOST_SIZE];   /* without brackets */
			uint16_t port;
			const char *path;       /* http: from the first '/', without a fragment; "" for "/" */
			size_t path_len;
		} probe;
		struct {
			bool has_maxage;
			uint64_t maxage_ms;
		} file;
	} u;
	/* A path that ends in what looks like an unknown option: a usage error unless the file exists */
	const char *odd_opt;
	size_t odd_key_len;
	const char *odd_known;
	enum verdict verdict;
	struct line why;        /* the reason (fail, error) or the evidence (pass) */
	/* --watch: the process a pid: or pidfile: check found, as (pid, start time), so PID reuse never fools it */
	bool track;
	pid_t seen_pid;
	unsigned long long seen_start;
};

/* "healthy: SPEC: " into l. */
void check_line_start(const struct check *c, struct line *l);

/* A usage error about c: "healthy: SPEC: why". */
void check_usage(struct line *err, const struct check *c, const char *why);

/*
 * An option of key_len bytes at opt that c's kind does not take. For a kind
 * whose argument is a path, which may itself end in ",x=y", it is noted in c
 * (args_prepare() looks for such a file) and 0 is returned; otherwise -1
 * with the usage error, naming what the kind takes (known: "min=, max=").
 */
int check_option_unknown(struct check *c, const char *opt, size_t key_len, const char *known, struct line *err);

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

#endif
