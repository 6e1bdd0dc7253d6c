/*
 * procfs: whether the /proc we read shows this user every process.
 * A /proc mounted hidepid= hides other users' processes; then "no match"
 * is not "not running", and healthy must say it cannot tell.
 */
#ifndef HEALTHY_PROCFS_H
#define HEALTHY_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "line.h"

/* linux/magic.h, which musl-gcc does not see. */
#define PROC_SUPER_MAGIC 0x9fa0

struct proc_mount {
	unsigned long long id;  /* the mount id, mountinfo's first field */
	char hidepid[16];       /* as the kernel wrote it: "off", "invisible", "2", ...; "" if absent */
	bool has_gid;
	gid_t gid;
};

/* Parses one /proc/self/mountinfo line; fills m only if it is a proc filesystem mounted at /proc. Returns 1 then, else 0. */
int mountinfo_line_parse(const char *line, size_t len, struct proc_mount *m);

/* The hidepid value as the kernel's number: 0 off, 1 noaccess, 2 invisible, 4 ptraceable (unknown words: 2). */
int hidepid_level(const char *hidepid);

/*
 * Opens /proc once for the run and checks that it is a proc filesystem.
 * Returns the fd, or -1 with the reason in err.
 */
int procfs_open(struct line *err);

/*
 * True when this user sees every process in the /proc open at procfd (its
 * mount found by mount id in mountinfo). Looked up once, and only when a
 * verdict depends on it.
 */
bool procfs_sees_all(int procfd);

/* Appends why the view is partial, e.g. "/proc is mounted hidepid=invisible and hides other users' processes from uid 65534". */
void procfs_hidden_reason(struct line *l);

#endif
