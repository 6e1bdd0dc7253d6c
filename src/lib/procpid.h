/*
 * procpid: one process as /proc shows it -- its stat and status lines, its
 * whole name, whether it runs, healthy's own lineage -- and a process NAME
 * matched as proc:NAME and ,name=NAME write it. Pure parsers beside the
 * reads; nothing here knows a check.
 */
#ifndef HEALTHY_PROCPID_H
#define HEALTHY_PROCPID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "glob.h"

/* The kernel's PID_MAX_LIMIT on 64-bit: no PID is ever larger. */
#define PID_MAX_LIMIT 4194304
/* Longest NAME for proc: (NAME_MAX: argv[0]'s basename is a file name). */
#define PROC_NAME_SIZE 256
/* The kernel truncates comm to 15 bytes (TASK_COMM_LEN - 1) ... */
#define COMM_TRUNCATED_LEN 15
/* ... but kernel workers' names run longer (wq_worker_comm, kthread full names): keep room. */
#define COMM_SIZE 256
/* A stat line is ~300 bytes plus the name (toybox uses 2 KiB too). */
#define STAT_SIZE 2048
/* status runs ~1.5 KiB; only its first lines matter, a truncated tail is fine. */
#define STATUS_SIZE 4096
/* cmdline is read in chunks of this size, as far as argv[2] goes (or args= needs). */
#define CMDLINE_SIZE 4096
/* Ancestors deeper than this are not looked for: no real process tree is this deep above a probe. */
#define MAX_ANCESTORS 64

struct proc_stat {
	const char *comm;       /* inside the parsed buffer */
	size_t comm_len;
	char state;
	pid_t ppid;
	unsigned long flags;    /* PF_* */
	long threads;
	unsigned long long starttime;
};

/* Parses /proc/PID/stat. Returns 0, or -1 if the bytes are not a stat line. */
int stat_parse(const char *buf, size_t len, struct proc_stat *st);

struct proc_status {
	char state;
	pid_t tgid;
	uid_t ruid;
	long threads;
	bool have_uid;
	bool have_tgid;
};

/* Parses the State, Tgid, Uid and Threads lines of /proc/PID/status. Returns 0, or -1 without a State line. */
int status_parse(const char *buf, size_t len, struct proc_status *st);

/* The length of a /proc/PID/comm name: the bytes before its one trailing newline. */
size_t comm_parse(const char *buf, size_t len);

/* include/linux/sched.h: a kernel thread, which has no command line and no executable. */
#define PF_KTHREAD 0x00200000

/*
 * The base names of argv[0], argv[1] and argv[2], gathered from
 * /proc/PID/cmdline as it is read, chunk by chunk: argv[0] may be 128 KiB
 * long. A script run by its interpreter is argv[1] ("#!/bin/sh"), or argv[2]
 * ("#!/bin/sh -e": the kernel passes one interpreter argument). A base name
 * longer than a file name can be (NAME_MAX) is no name: its length is 0.
 */
#define ARGV_NAMES 3

struct argv_names {
	char base[ARGV_NAMES][PROC_NAME_SIZE];
	size_t len[ARGV_NAMES];
	bool too_long[ARGV_NAMES];
	unsigned arg;           /* the argument being read; ARGV_NAMES once all are complete */
};

void argv_names_start(struct argv_names *a);
/* Feeds the next len bytes of cmdline. Returns true once all ARGV_NAMES base names are complete. */
bool argv_names_feed(struct argv_names *a, const char *buf, size_t len);

/*
 * The whole name of a process whose comm is 15 bytes and may have been cut:
 * the first of argv[0]'s base name, argv[1]'s or argv[2]'s (a script run
 * by its interpreter: comm is the script's name) and the executable's (exe, the
 * target of /proc/PID/exe, " (deleted)" dropped; NULL if unreadable) that
 * starts with comm. Returns it (inside a or exe), or NULL when none does.
 */
const char *full_name_pick(const char *comm, size_t comm_len, const struct argv_names *a, const char *exe,
			   size_t exe_len, size_t *len);

/*
 * Reads what full_name_pick() needs from dirfd (/proc/PID), or from its
 * thread via (not 0) when the leader is a zombie, and picks. A kernel
 * thread's comm is its name, and so is that of a process none of whose
 * names starts with comm, though its executable can be read (it named
 * itself). Returns 1 with the name in *name (in a static buffer, valid
 * until the next call), 0 when it cannot be known (the executable is
 * hidden), -1 with errno when the process cannot be read or is gone (ESRCH).
 */
int proc_full_name(int dirfd, pid_t via, const struct proc_stat *st, const char **name, size_t *len);

/*
 * Whether a process whose group is in this state counts as running: not a
 * zombie, dead, stopped or traced. (A zombie leader's group state is its
 * threads', see proc_group_state().)
 */
bool proc_state_live(char state);

/* A process NAME as proc:NAME and ,name=NAME write it: exact, or a glob. */
struct proc_name {
	char s[PROC_NAME_SIZE]; /* NUL-terminated; may hold ',' */
	size_t len;
	bool glob;
	bool open;              /* a glob that ends in '*' (glob_open) */
};

enum procname_error {
	PROCNAME_OK = 0,
	PROCNAME_EMPTY,
	PROCNAME_TOO_LONG,      /* PROC_NAME_SIZE or more */
};

/* Sets pn to the NAME of n bytes at s. */
enum procname_error procname_set(struct proc_name *pn, const char *s, size_t n);

enum name_match {
	NAME_NO,
	NAME_YES,
	NAME_NEED_FULL,         /* comm is 15 bytes, maybe cut from a longer name: the whole name decides */
};

/* Matches NAME against comm. */
enum name_match name_match_comm(const struct proc_name *pn, const char *comm, size_t comm_len);
/* Matches it against the whole name, after name_match_comm() said NAME_NEED_FULL. */
bool name_match_full(const struct proc_name *pn, const char *full, size_t len);

/* "zombie", "stopped", "traced" or "dead", for a state that is not running. */
const char *proc_state_word(char state);

/* ENOENT and ESRCH: the process exited while we looked. */
bool proc_gone(int err);

/*
 * The state of the process whose leader's stat says state: the same, except
 * for a zombie leader with other threads ("Zl"), where it is theirs: a
 * running one's if any runs, else a stopped or traced one's, else 'Z'.
 * dirfd is /proc/PID; *via is the thread the state is taken from (pid itself
 * but for such a leader).
 */
char proc_group_state(int dirfd, pid_t pid, char state, long threads, pid_t *via);

/* healthy itself and its ancestors, numbered as the /proc at procfd numbers them. */
struct lineage {
	int procfd;
	pid_t self;             /* 0 when that /proc does not show healthy */
	pid_t up[MAX_ANCESTORS];
	int n;                  /* -1: the ancestors are not looked up yet */
};

enum lineage_kind {
	LINEAGE_NONE,
	LINEAGE_SELF,
	LINEAGE_ANCESTOR,       /* never PID 1: in a container it is the service or its init */
};

void lineage_start(struct lineage *l, int procfd);
enum lineage_kind lineage_of(struct lineage *l, pid_t pid);
/* How many PIDs lineage_of() finds: healthy itself (when shown) and its ancestors. */
int lineage_size(struct lineage *l);

/* Writes "PID" + file into buf (room for 12 bytes more than file). */
void proc_path(char *buf, pid_t pid, const char *file);

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * Reads cmdline under dirfd, feeding it to a (as far as argv[2] goes) or
 * else to m (until its answer is known). Returns 0, or -1 with errno.
 */
int proc_cmdline_read(int dirfd, struct argv_names *a, struct args_match *m);

/*
 * /proc/PID itself, or with via (not 0), its thread via: a zombie leader has
 * no memory left to show, and a thread that lives on shows the process's.
 * Returns the fd (dirfd, or one to close), or -1 with errno.
 */
int proc_via_dir(int dirfd, pid_t via);

/*
 * Whether PID exists in healthy's PID namespace, asked without /proc and
 * without a signal: pidfd_open(2), which needs no permission over the
 * process. Returns 1, 0 (no such process), or -1 when it cannot say (a
 * kernel before 5.3; a thread's ID, which is no process).
 */
int proc_pid_exists(pid_t pid);

enum proc_stat_read {
	PROC_STAT_OK = 0,
	PROC_STAT_EMPTY,        /* the process exited between the open and the read */
	PROC_STAT_BAD,          /* the bytes are no stat line */
};

/*
 * Reads the stat file at name under dirfd ("PID/stat", "task/TID/stat",
 * "stat") into buf, of STAT_SIZE bytes, which st then points into. Returns
 * one of enum proc_stat_read, or -1 with errno when it cannot be read.
 */
int proc_read_stat(int dirfd, const char *name, char *buf, struct proc_stat *st);

#endif
