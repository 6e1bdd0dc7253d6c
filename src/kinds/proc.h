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

/* Parses the NAME[,min=N][,max=N][,user=U][,args=GLOB] after "proc:". Returns 0, or -1 with the usage error in err. */
int proc_spec_parse(struct check *c, const char *body, struct line *err);

/* Runs every proc: check in checks with one walk of /proc and sets each verdict. */
void proc_run(struct check *checks, size_t n, bool verbose);

#endif
