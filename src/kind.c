#include "kind.h"

#include <string.h>

#include "kinds/file.h"
#include "kinds/grpc.h"
#include "kinds/not.h"
#include "kinds/pid.h"
#include "kinds/probe.h"
#include "kinds/proc.h"
#include "kinds/sock.h"

const struct kind *const kinds[] = {
	&kind_proc, &kind_pid, &kind_pidfile, &kind_tcp, &kind_udp, &kind_unix, &kind_connect, &kind_http,
	&kind_https, &kind_grpc, &kind_grpcs, &kind_file, &kind_not,
};
const size_t nkinds = sizeof(kinds) / sizeof(kinds[0]);

/* The kind a CHECK's word before ':' names, or NULL. */
static const struct kind *kind_find(const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < nkinds; i++) {
		const char *name = kinds[i]->name;

		if (strcspn(name, ":") == len && !memcmp(name, word, len))
			return kinds[i];
	}
	return NULL;
}

/*
 * Parses the CHECK at s, which is spec itself or what follows a wrapping
 * kind's "not:" in it: every message names the argument as typed.
 */
static int parse_at(const char *s, struct check *c, struct line *err)
{
	const char *colon = strchr(s, ':'), *sep = "";
	size_t i, word_len, wrap_len = (size_t)(s - c->spec);
	const struct kind *k;

	if (!colon) {
		line_start(err, NULL);
		line_escaped(err, c->spec, strlen(c->spec));
		if (!*s) {
			line_str(err, ": needs a CHECK after it (not:tcp:8080)");
			return -1;
		}
		line_str(err, ": not a check (did you mean ");
		line_escaped(err, c->spec, wrap_len);
		line_str(err, "proc:");
		line_escaped(err, s, strlen(s));
		line_str(err, "?)");
		return -1;
	}
	word_len = (size_t)(colon - s);
	k = kind_find(s, word_len);
	if (k && k->judge) {
		/* not:not:X is X, said the long way round: most likely a slip. */
		if (c->outer) {
			check_usage(err, c, "not: of not: is the check itself (drop both)");
			return -1;
		}
		c->outer = k;
		return parse_at(colon + 1, c, err);
	}
	c->kind = k;
	c->arg = colon + 1;
	c->arg_len = strlen(c->arg);
	if (k)
		return k->parse(c, c->arg, err);
	line_start(err, NULL);
	line_escaped(err, c->spec, strlen(c->spec));
	line_str(err, ": unknown check kind '");
	line_escaped(err, s, word_len);
	line_str(err, "' (known: ");
	for (i = 0; i < nkinds; i++) {
		if (!kinds[i]->usage)
			continue;
		line_str(err, sep);
		line_str(err, kinds[i]->name);
		sep = ", ";
	}
	line_str(err, ")");
	return -1;
}

int check_parse(const char *spec, struct check *c, struct line *err)
{
	memset(c, 0, sizeof(*c));
	c->spec = spec;
	if (!*spec) {
		line_reset(err);
		line_str(err, "healthy: an empty argument is not a CHECK");
		return -1;
	}
	return parse_at(spec, c, err);
}

size_t kind_usage(char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < nkinds; i++) {
		const char *u = kinds[i]->usage;
		size_t len = u ? strlen(u) : 0;

		if (len > size - n)
			len = size - n;
		memcpy(buf + n, u ? u : "", len);
		n += len;
	}
	return n;
}
