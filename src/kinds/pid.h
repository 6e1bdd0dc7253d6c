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

/* What process_read() and process_check() found of the process at a pid: or pidfile: check's PID. */
struct pid_facts {
	pid_t tgid;             /* its thread group; -1 when status does not say */
	enum lineage_kind lineage;
	bool other_name;        /* name= given, and it goes by another */
	char state;             /* its group's state (proc_group_state()) */
	unsigned long long start;
};

enum pid_outcome {
	PID_RUNNING,
	PID_THREAD,             /* a thread of another process */
	PID_SELF,               /* healthy itself */
	PID_ANCESTOR,           /* healthy's ancestor: the shell that runs it */
	PID_OTHER_NAME,
	PID_NOT_RUNNING,        /* a zombie, stopped, traced, dead */
	PID_NOT_WATCHED,        /* --watch: the pid file names another process than the one watched */
	PID_REUSED,             /* --watch: the PID is another process's now (another start time) */
};

/* Whether the process is the running service, and if not why: in this order. Pure. */
enum pid_outcome pid_decide(const struct pid_check *p, bool track, pid_t pid, const struct pid_facts *f);

#endif
