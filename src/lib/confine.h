/*
 * confine: after the arguments are parsed, limit what a check run may call
 * (a seccomp allow-list) and how long it may take (a watchdog thread).
 */
#ifndef HEALTHY_CONFINE_H
#define HEALTHY_CONFINE_H

#include <stdint.h>

#include "line.h"

/*
 * no_new_privs, then the seccomp filter; write() reaches stdout, stderr and
 * log_fd (--log; -1: none) only. 0, or the errno that kept it out (the run
 * goes on unconfined).
 */
int confine_syscalls(int log_fd);

/* The watchdog's time beyond -t: the probes' own deadline answers first, with what it knows. */
#define WATCHDOG_SLACK_MS 200

/*
 * From now, ms, with no progress in the last ms: "healthy: SPEC: timed out
 * after T DOING" and exit 3, once confine_arm() has started the watchdog.
 * 0, or errno.
 */
int confine_time(uint64_t ms);

/*
 * Before a call the kernel may hold where only a fatal signal reaches (a path
 * on a file system that can hang, another process's memory): starts the
 * watchdog confine_time() set, once. 0 (also without confine_time()), or errno.
 */
int confine_arm(void);

/*
 * Bumped by long work (each process of a /proc walk): the watchdog gives a run
 * that still moves another interval, and ends only one that stopped moving.
 */
extern volatile unsigned long confine_progress;

/* The run has its answer: the watchdog stands down (or, had it fired already, this waits for its exit). */
void confine_answered(void);

/* What the run is at, for the watchdog's line "healthy: WHAT: timed out after T DOING" (WHAT: a check as typed, or NULL). */
void confine_doing(const char *what, const char *doing);

#endif
