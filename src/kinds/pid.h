/*
 * pid: the pid:N and pidfile:PATH checks.
 */
#ifndef HEALTHY_PID_H
#define HEALTHY_PID_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "check.h"
#include "lib/procpid.h"

/* A pidfile's first line is short; anything past this is not a PID. */
#define PIDFILE_SIZE 128

enum pidfile_error {
	PIDFILE_OK = 0,
	PIDFILE_EMPTY,          /* nothing on the first line */
	PIDFILE_GARBAGE,        /* not a number */
	PIDFILE_RANGE,          /* 0, negative, or beyond PID_MAX_LIMIT; *pid holds it when it fits */
};

/*
 * Parses the first line of a pidfile: a decimal PID, blanks around it allowed,
 * with or without a newline.
 */
enum pidfile_error pidfile_parse(const char *buf, size_t len, long long *pid);

/* pid:N[,name=NAME] and pidfile:PATH[,name=NAME] */
extern const struct kind kind_pid, kind_pidfile;

/* A pid: or pidfile: check's own state, pointed to by its struct check. */
struct pid_check {
	pid_t pid;              /* pid:N; 0 for pidfile: */
	bool by_name;           /* ,name=NAME: the process must also have this name */
	struct proc_name name;
	/* --watch: the process found, as (pid, start time), so PID reuse never fools it */
	pid_t seen_pid;
	unsigned long long seen_start;
};

#endif
