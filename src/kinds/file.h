/*
 * file: the file:PATH[,maxage=DURATION] check, for workers that prove they
 * live by touching a heartbeat file.
 */
#ifndef HEALTHY_FILE_H
#define HEALTHY_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"

/* file:PATH[,maxage=DURATION] */
extern const struct kind kind_file;

/* A file: check's own state, pointed to by its struct check. */
struct file_check {
	bool has_maxage;
	uint64_t maxage_ms;
};

#endif
