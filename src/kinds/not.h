/*
 * not: the not:CHECK check, which passes when CHECK fails: a port that must
 * be free, a process that must be gone, a maintenance flag that must not be
 * there.
 */
#ifndef HEALTHY_NOT_H
#define HEALTHY_NOT_H

#include "check.h"

/* not:CHECK */
extern const struct kind kind_not;

#endif
