/*
 * opts: argv into options and a list of checks. Pure: no I/O, no exit;
 * what needs the file system (odd options, a kind's prepare) is opts_prepare()'s.
 */
#ifndef HEALTHY_OPTS_H
#define HEALTHY_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "lib/line.h"

/*
 * The run's deadline when -t is not given: under Kubernetes' default probe
 * timeout (1 s), so healthy gives up, and says why, before it is killed.
 */
#define DEFAULT_TIMEOUT_MS 800

/* --wait without a DURATION, -i and -g without one: what the issue and wait-for tools use. */
#define DEFAULT_WAIT_MS 60000
#define DEFAULT_INTERVAL_MS 1000
#define DEFAULT_GRACE_MS 10000
/* --retries: as many failing runs in a row as Docker's retries would allow, and then some. */
#define RETRIES_MAX 1000

struct options {
	bool verbose;
	bool quiet;
	uint64_t timeout_ms;    /* DEFAULT_TIMEOUT_MS unless -t is given */
	bool wait;              /* --wait: until every check passes */
	uint64_t wait_ms;       /* ... for at most this long; 0: for ever */
	bool watch;             /* --watch: until one fails */
	uint64_t interval_ms;   /* -i */
	bool interval_given;
	uint64_t grace_ms;      /* -g */
	bool grace_given;
	unsigned retries;       /* --retries: failing runs in a row that stop a watch; 1 unless given */
	bool retries_given;
	char **command;         /* after "--" that follows the checks; NULL if none */
	bool pause;             /* --pause: hold a shared namespace, reap, exit 0 on SIGTERM */
	const char *install;    /* --install DIR: copy this binary to DIR/healthy; NULL if not given */
	const char *log;        /* --log PATH: failure lines appended there too; NULL if not given */
	bool notify;            /* --notify: READY=1 once the checks pass */
	int notify_fd;          /* --notify=fd:N: N, for s6 and runit; -1: $NOTIFY_SOCKET, systemd's */
	size_t nchecks;
	struct check checks[MAX_CHECKS];        /* last: opts_parse() clears what comes before it */
};

enum opts_result {
	OPTS_OK,
	OPTS_HELP,
	OPTS_VERSION,
	OPTS_USAGE,     /* err holds the one line to print */
};

/* --help's text into buf: the usage, every kind's lines from kind.c's table, the options. Returns its length. */
size_t opts_help(char *buf, size_t size);

enum opts_result opts_parse(int argc, char **argv, struct options *o, struct line *err);

/*
 * The part of parsing that needs the file system, before confinement: makes
 * a path that ends in an unknown ",key=value" a usage error unless a file of
 * that name exists, and runs each kind's prepare (proc:'s user=NAME to a
 * uid). Returns 0, or the exit code with the line in err.
 */
int opts_prepare(struct options *o, struct line *err);

#endif
