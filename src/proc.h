/*
 * proc: the proc:NAME check. One walk of /proc serves every proc: check of
 * the run; pure parsers for the files it reads sit beside the walk.
 */
#ifndef HEALTHY_PROC_H
#define HEALTHY_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "check.h"

/* The kernel truncates comm to 15 bytes (TASK_COMM_LEN - 1) ... */
#define COMM_TRUNCATED_LEN 15
/* ... but kernel workers' names run longer (wq_worker_comm, kthread full names): keep room. */
#define COMM_SIZE 256
/* A stat line is ~300 bytes plus the name (toybox uses 2 KiB too). */
#define STAT_SIZE 2048
/* status runs ~1.5 KiB; only its first lines matter, a truncated tail is fine. */
#define STATUS_SIZE 4096
/* cmdline is read in chunks of this size, as far as argv[1] goes. */
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

/* Parses the NAME[,min=N][,max=N][,user=U][,args=GLOB] after "proc:". Returns 0, or -1 with the usage error in err. */
int proc_spec_parse(struct check *c, const char *body, struct line *err);

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
 * The longest args= GLOB: the matcher keeps at most this many bytes of the
 * command line (and one more), and its work per byte is bounded by it.
 */
#define ARGS_GLOB_SIZE 256

/*
 * A glob (glob_match's) matched against the arguments of a command line,
 * argv[1..] joined by single spaces, as /proc/PID/cmdline is read, chunk by
 * chunk: it may be megabytes long, and is never kept whole. Each NUL after
 * argv[0]'s becomes a space, except those at the end, which are dropped (an
 * empty last argument, or the NUL padding of a command line rewritten as
 * one string). It keeps only the bytes the last '*' may have to give back.
 */
struct args_match {
	const char *pat;
	size_t pat_len;
	size_t p;               /* the pattern element the next byte meets */
	size_t star_p;          /* just after the last '*' met; ARGS_NO_STAR before the first */
	size_t n;               /* bytes in buf: from where the last '*' stopped matching on */
	size_t nuls;            /* NULs held back: spaces if an argument follows, dropped at the end */
	bool in_args;           /* past argv[0] */
	bool dead;              /* no string that starts with what was fed matches */
	char buf[ARGS_GLOB_SIZE + 1];
};

#define ARGS_NO_STAR ((size_t)-1)

void args_match_start(struct args_match *m, const char *pat, size_t pat_len);
/* Feeds the next len bytes of cmdline. Returns true once the answer is known, whatever follows. */
bool args_match_feed(struct args_match *m, const char *buf, size_t len);
/* The answer for what was fed, as the whole command line. */
bool args_match_end(const struct args_match *m);

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

/* fnmatch(3) without flags, on bytes: '*', '?', '[a-z]', '[!x]', '\\' escapes. No locale, no wide-character tables. */
bool glob_match(const char *pat, size_t pat_len, const char *s, size_t len);
/*
 * Whether a glob's last element is a '*' (not "\\*" nor "[*]"): a string it
 * matches, it matches however the string goes on.
 */
bool glob_open(const char *pat, size_t len);

/* Parses a NAME (proc:NAME, ,name=NAME) of n bytes. Returns 0, or -1 with the usage error in err. */
int proc_name_parse(struct proc_name *pn, const struct check *c, const char *s, size_t n, struct line *err);

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

/* Writes "PID" + file into buf (room for 12 bytes more than file). */
void proc_path(char *buf, pid_t pid, const char *file);

/* Runs every proc: check in checks with one walk of /proc and sets each verdict. */
void proc_run(struct check *checks, size_t n, bool verbose);

#endif
