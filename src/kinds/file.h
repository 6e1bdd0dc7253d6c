/*
 * file: the file:PATH[,maxage=DURATION] check, for workers that prove they
 * live by touching a heartbeat file.
 */
#ifndef HEALTHY_FILE_H
#define HEALTHY_FILE_H

#include "check.h"
#include "lib/line.h"

/* Parses what follows "file:". Returns 0, or -1 with the usage error in err. */
int file_spec_parse(struct check *c, const char *body, struct line *err);

/* Runs one file: check and sets its verdict. */
void file_run(struct check *c);

#endif
