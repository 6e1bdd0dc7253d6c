/*
 * glob: fnmatch(3)'s patterns on bytes, whole or fed a chunk at a time.
 */
#ifndef HEALTHY_GLOB_H
#define HEALTHY_GLOB_H

#include <stdbool.h>
#include <stddef.h>

/* fnmatch(3) without flags, on bytes: '*', '?', '[a-z]', '[!x]', '\\' escapes. No locale, no wide-character tables. */
bool glob_match(const char *pat, size_t pat_len, const char *s, size_t len);
/*
 * Whether a glob's last element is a '*' (not "\\*" nor "[*]"): a string it
 * matches, it matches however the string goes on.
 */
bool glob_open(const char *pat, size_t len);
/* Whether some string that starts with s[0..len) could match pat. */
bool glob_prefix(const char *pat, size_t pat_len, const char *s, size_t len);

/*
 * The longest args= GLOB: the matcher keeps at most this many bytes of the
 * command line (and one more), and its work per byte is bounded by it.
 */
#define ARGS_GLOB_SIZE 256

/*
 * A glob (glob_match's) matched against the arguments of a command line,
 * argv[1..] joined by single spaces, as /proc/PID/cmdline is read, chunk by
 * chunk: it may be megabytes long, and is never kept whole. Each NUL after
 * argv[0]'s becomes a space, except those at the end, which are dropped (an
 * empty last argument, or the NUL padding of a command line rewritten as
 * one string). It keeps only the bytes the last '*' may have to give back.
 */
struct args_match {
	const char *pat;
	size_t pat_len;
	size_t p;               /* the pattern element the next byte meets */
	size_t star_p;          /* just after the last '*' met; ARGS_NO_STAR before the first */
	size_t n;               /* bytes in buf: from where the last '*' stopped matching on */
	size_t nuls;            /* NULs held back: spaces if an argument follows, dropped at the end */
	bool in_args;           /* past argv[0] */
	bool dead;              /* no string that starts with what was fed matches */
	char buf[ARGS_GLOB_SIZE + 1];
};

#define ARGS_NO_STAR ((size_t)-1)

void args_match_start(struct args_match *m, const char *pat, size_t pat_len);
/* Feeds the next len bytes of cmdline. Returns true once the answer is known, whatever follows. */
bool args_match_feed(struct args_match *m, const char *buf, size_t len);
/* The answer for what was fed, as the whole command line. */
bool args_match_end(const struct args_match *m);

#endif
