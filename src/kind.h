/*
 * kind: the table of check kinds, as iproute2's cmds[] and toybox's NEWTOY
 * are: a CHECK finds its kind by the word before its ':', and --help, the
 * "known:" list and the runner go through the same table.
 */
#ifndef HEALTHY_KIND_H
#define HEALTHY_KIND_H

#include <stddef.h>

#include "check.h"

/* Every kind, in the order --help lists them and a run runs them. */
extern const struct kind *const kinds[];
extern const size_t nkinds;

/* Parses one CHECK, finding its kind in the table. Returns 0, or -1 with the reason in err. */
int check_parse(const char *spec, struct check *c, struct line *err);

/* The "checks:" lines of --help, every kind's usage, into buf. Returns their length (cut at size). */
size_t kind_usage(char *buf, size_t size);

#endif
