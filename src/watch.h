/*
 * watch: --wait (run the checks until all pass, then exec COMMAND) and
 * --watch (block while all pass, exit when one has failed --retries runs in
 * a row, never on one healthy cannot check; supervising COMMAND as a child:
 * signals forwarded, SIGTERM then SIGKILL, zombies reaped as PID 1).
 */
#ifndef HEALTHY_WATCH_H
#define HEALTHY_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "opts.h"

/* The environment variable that makes --watch poll every interval instead of using pidfds. */
#define WATCH_NO_PIDFD_ENV "HEALTHY_NO_PIDFD"
/* How often --wait says which checks it still waits for: every minute. */
#define WAIT_REPORT_MS 60000
/* ... or every this many milliseconds: for tests, which cannot wait a minute. */
#define WAIT_REPORT_ENV "HEALTHY_WAIT_REPORT_MS"

/*
 * --pause: what a pause container does for the namespaces others share. It
 * holds them by living, reaps the orphans it adopts as PID 1, and exits 0
 * on SIGTERM or SIGINT. Returns the exit code.
 */
int watch_pause(void);

/*
 * What --watch makes of a run of the checks that ran (ran[k]): each one's
 * failing runs in a row in fails[k], which a pass ends and a run that could
 * not check leaves as it was. Returns whether one has failed retries runs
 * in a row (the watch ends); *soon, whether one has just started failing
 * (its retry comes sooner). Pure.
 */
bool watch_count(const struct check *checks, size_t n, const bool *ran, unsigned retries, unsigned *fails, bool *soon);

/* Runs --wait and/or --watch as the options say. Returns the exit code; does not return when it execs COMMAND. */
int watch_main(struct options *o);

/*
 * --notify's supervisor, from $NOTIFY_SOCKET or fd:N, before anything else
 * opens a descriptor (--log's could take N's number). Returns 0, or
 * EXIT_USAGE with the line in err.
 */
int watch_notify_aim(const struct options *o, struct line *err);

#endif
