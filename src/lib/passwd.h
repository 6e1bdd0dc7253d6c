/*
 * passwd: user names to uids from /etc/passwd, without NSS (an image may have
 * no NSS modules, and a static binary cannot load them).
 */
#ifndef HEALTHY_PASSWD_H
#define HEALTHY_PASSWD_H

#include <stddef.h>
#include <sys/types.h>

#define USER_NOT_FOUND 1

/* Looks NAME up in one passwd line. Returns 0 and sets uid on a match, -1 otherwise. */
int passwd_line_parse(const char *line, size_t len, const char *name, size_t name_len, uid_t *uid);

/* Returns 0 with uid set, USER_NOT_FOUND, or -1 (errno set) when /etc/passwd cannot be read. */
int user_lookup(const char *name, size_t name_len, uid_t *uid);

#endif
