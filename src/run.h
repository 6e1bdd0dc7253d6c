/*
 * run: every check of a run, each kind in its own pass under one deadline,
 * and the report of what they found, as lines and an exit code.
 */
#ifndef HEALTHY_RUN_H
#define HEALTHY_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"

/*
 * Runs every check, each kind in its own pass (one /proc walk, one dump per
 * socket table, one poll loop for the probes), with timeout_ms for the probes.
 */
void checks_run(struct check *checks, size_t n, bool verbose, uint64_t timeout_ms);

/*
 * Prints the lines the verdicts call for (failures on stderr; with verbose,
 * passes on stdout) and returns the exit code: 1 if any check failed, else 3
 * if any could not be checked or stdout could not be written, else 0.
 */
int checks_report(const struct check *checks, size_t n, bool verbose, bool quiet);

#endif
