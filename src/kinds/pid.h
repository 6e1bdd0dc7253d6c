/*
 * pid: the pid:N and pidfile:PATH checks.
 */
#ifndef HEALTHY_PID_H
#define HEALTHY_PID_H

#include <stddef.h>

#include "check.h"
#include "lib/line.h"

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

/* Parses the N of pid:N or the PATH of pidfile:PATH (c->kind set). Returns 0, or -1 with the usage error in err. */
int pid_spec_parse(struct check *c, struct line *err);

/* Runs one pid: or pidfile: check and sets its verdict. */
void pid_run(struct check *c);

#endif
