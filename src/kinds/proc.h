/*
 * proc: the proc:NAME check. One walk of /proc serves every proc: check of
 * the run; what it reads of one process is lib/procpid.c's.
 */
#ifndef HEALTHY_PROC_H
#define HEALTHY_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "check.h"
#include "lib/procpid.h"

/* proc:NAME[,min=N][,max=N][,user=UID|USER][,args=GLOB] */
extern const struct kind kind_proc;

/* Evidence keeps this many PIDs; the rest are counted. */
#define EVIDENCE_PIDS 8

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

/* A proc: check's own state, pointed to by its struct check. */
struct proc_check {
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
};

/* What the walk found of one process that has a proc: check's name. */
struct proc_facts {
	char state;             /* its group's state (proc_group_state()) */
	bool unsure;            /* its comm is a cut 15 bytes, and the rest of its name cannot be read */
	bool ancestor;          /* healthy itself or its ancestor */
	bool other_user;        /* user= given, and it runs as another */
	bool other_args;        /* args= given, and its arguments do not match */
};

/* Counts the process in t as the facts say: running, a zombie, stopped, held back, or not the one. Pure. */
void proc_tally_add(struct proc_tally *t, pid_t pid, const struct proc_facts *f);

#endif
