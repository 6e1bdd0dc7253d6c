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
/* Only argv[0] is read from cmdline. */
#define CMDLINE_SIZE 4096

struct proc_stat {
	const char *comm;       /* inside the parsed buffer */
	size_t comm_len;
	char state;
	pid_t ppid;
	long threads;
	unsigned long long starttime;
};

/* Parses the NAME[,min=N][,max=N][,user=U] after "proc:". Returns 0, or -1 with the usage error in err. */
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

/*
 * The basename of argv[0] in /proc/PID/cmdline bytes read into a buffer of
 * size bytes; *base_len 0 when there is none, or when a full buffer cut it.
 */
void cmdline_argv0_base(const char *buf, size_t len, size_t size, const char **base, size_t *base_len);

/*
 * Whether a process in this state counts as running. A zombie thread-group
 * leader whose other threads still run (ps shows "Zl") is running.
 */
bool proc_state_live(char state, long threads);

/* fnmatch(3) without flags, on bytes: '*', '?', '[a-z]', '[!x]', '\\' escapes. No locale, no wide-character tables. */
bool glob_match(const char *pat, size_t pat_len, const char *s, size_t len);

enum name_match {
	NAME_NO,
	NAME_YES,
	NAME_NEED_ARGV0,        /* comm is a truncated prefix: argv[0] decides */
};

/* Matches a proc: check's NAME against comm. */
enum name_match name_match_comm(const struct check *c, const char *comm, size_t comm_len);
/* Matches it against argv[0]'s basename, after name_match_comm() said NAME_NEED_ARGV0. */
bool name_match_argv0(const struct check *c, const char *comm, size_t comm_len, const char *base, size_t base_len);

/* "zombie", "stopped", "traced" or "dead", for a state that is not running. */
const char *proc_state_word(char state);

/* ENOENT and ESRCH: the process exited while we looked. */
bool proc_gone(int err);

/*
 * The state of the process whose leader's stat says state: the same, except
 * for a zombie leader with live threads, where it is another thread's.
 * dirfd is /proc/PID.
 */
char proc_group_state(int dirfd, pid_t pid, char state, long threads);

/* Writes "PID" + file into buf (room for 12 bytes more than file). */
void proc_path(char *buf, pid_t pid, const char *file);

/* Runs every proc: check in checks with one walk of /proc and sets each verdict. */
void proc_run(struct check *checks, size_t n, bool verbose);

#endif
