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

#include "report.h"

/* linux/magic.h, which musl-gcc does not see. */
#define PROC_SUPER_MAGIC 0x9fa0

struct proc_mount {
	bool found;             /* a proc mount at /proc */
	char hidepid[16];       /* as the kernel wrote it: "off", "invisible", "2", ...; "" if absent */
	bool has_gid;
	gid_t gid;
};

/* Parses one /proc/self/mountinfo line; fills m only if it is a proc filesystem mounted at /proc. Returns 1 then, else 0. */
int mountinfo_line_parse(const char *line, size_t len, struct proc_mount *m);

/* Whether the hidepid value hides processes ("off" and "0" do not). */
bool hidepid_hides(const char *hidepid);

/* True when this user sees every process in /proc. Looked up once, and only when a verdict depends on it. */
bool procfs_sees_all(int procfd);

/* Appends why the view is partial, e.g. "/proc is mounted hidepid=invisible and hides other users' processes from uid 65534". */
void procfs_hidden_reason(struct line *l);

#endif
