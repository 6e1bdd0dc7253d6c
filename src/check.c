#include "check.h"

#include <string.h>


void check_line_start(const struct check *c, struct line *l)
{
	line_start(l, c->spec);
}

void check_usage(struct line *err, const struct check *c, const char *why)
{
	check_line_start(c, err);
	line_str(err, why);
}

int check_option_unknown(struct check *c, const char *opt, size_t key_len, const char *known, bool is_path,
			 struct line *err)
{
	c->odd_opt = opt;
	c->odd_key_len = key_len;
	c->odd_known = known;
	if (is_path)
		return 0;
	check_option_odd_usage(c, err);
	return -1;
}

void check_option_odd_usage(const struct check *c, struct line *err)
{
	check_line_start(c, err);
	line_str(err, "unknown option '");
	line_escaped(err, c->odd_opt, c->odd_key_len);
	line_str(err, "' (");
	/* "proc:" from the check as typed: the kind and its colon. */
	line_escaped(err, c->spec, (size_t)(c->arg - c->spec));
	line_str(err, " takes ");
	line_str(err, c->odd_known);
	line_str(err, ")");
}

int check_hostport_split(const struct check *c, const char *s, size_t n, struct hostport *hp, struct line *err)
{
	switch (scan_hostport(s, n, hp)) {
	case HOSTPORT_BRACKET:
		check_usage(err, c, "write an IPv6 address as [ADDR]:PORT");
		return -1;
	case HOSTPORT_BARE_V6:
		check_usage(err, c, "write an IPv6 address in brackets: [::1]:PORT");
		return -1;
	default:
		return 0;
	}
}

int check_port_parse(const struct check *c, const char *s, size_t n, uint16_t *port, struct line *err)
{
	enum scan_error r = scan_port(s, n, port);

	if (r != SCAN_OK)
		check_usage(err, c, r == SCAN_BAD ? "not a port (1-65535)" : "port out of range");
	return r == SCAN_OK ? 0 : -1;
}

int check_procname(const struct check *c, struct proc_name *pn, const char *s, size_t n, struct line *err)
{
	switch (procname_set(pn, s, n)) {
	case PROCNAME_EMPTY:
		check_usage(err, c, "empty name");
		return -1;
	case PROCNAME_TOO_LONG:
		check_usage(err, c, "name too long (at most 255 bytes)");
		return -1;
	default:
		return 0;
	}
}

void *check_state(struct check *c, void *pool, size_t size, unsigned *next)
{
	c->state = (char *)pool + (*next)++ % MAX_CHECKS * size;
	return memset(c->state, 0, size);
}
