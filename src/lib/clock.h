/*
 * clock: the monotonic clock every deadline is measured on.
 */
#ifndef HEALTHY_CLOCK_H
#define HEALTHY_CLOCK_H

#include <stdint.h>
#include <time.h>

/* clock_gettime(clock, ts), which cannot fail for the clocks healthy reads. */
void clock_now(int clock, struct timespec *ts);

/* CLOCK_MONOTONIC in milliseconds: never goes back, whatever the wall clock does. */
uint64_t clock_ms(void);

#endif
