#include "opts.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "exitcode.h"
#include "kind.h"
#include "lib/io.h"

static const char usage[] =
	"usage: healthy [OPTIONS] CHECK...\n"
	"       healthy {--wait[=DURATION] | --watch} [OPTIONS] CHECK... [-- COMMAND [ARG...]]\n"
	"       healthy --pause | --install DIR\n"
	"Exit 0 when every check passes, 1 when one fails, 2 on a usage error, 3 when it cannot check.\n"
	"\n"
	"checks:\n";

/* After the checks' lines, which kind.c's table gives. */
static const char usage_options[] =
	"\n"
	"options:\n"
	"  -v, --verbose    print every check with its evidence\n"
	"  -q, --quiet      print nothing\n"
	"  -t, --timeout DURATION\n"
	"                   give up after DURATION (500ms, 5s, 2m; default 800ms)\n"
	"  --wait[=DURATION]\n"
	"                   run the checks until all pass (default 60s; 0: for ever),\n"
	"                   then exec COMMAND, or exit 0\n"
	"  --watch          then block while all pass; exit 1 when one fails,\n"
	"                   stopping COMMAND, which runs as a child\n"
	"  -i, --interval DURATION\n"
	"                   the most time between two runs of the checks (default 1s)\n"
	"  --retries N      with --watch, end only once a check failed N runs in a row\n"
	"                   (1-1000, default 1; the first retry 100ms after a failure)\n"
	"  -g, --grace DURATION\n"
	"                   how long COMMAND has after SIGTERM before SIGKILL (default 10s)\n"
	"  --log PATH       append each failure line to PATH too, after its UTC time\n"
	"                   (/proc/1/fd/2: the container's log); in --wait and\n"
	"                   --watch, what changes\n"
	"  --notify[=fd:N]  once every check passes (--wait, --watch), send READY=1\n"
	"                   to $NOTIFY_SOCKET (systemd), or a newline to fd N (s6)\n"
	"  --pause          hold shared namespaces as a pause container does: reap,\n"
	"                   exit 0 on SIGTERM (no CHECK)\n"
	"  --install DIR    copy this binary to DIR/healthy, mode 0755, and exit\n"
	"                   (an init container's way into a stock image; no CHECK)\n"
	"  -h, --help       print this help\n"
	"  -V, --version    print the version\n";

size_t opts_help(char *buf, size_t size)
{
	size_t n = sizeof(usage) - 1, tail = sizeof(usage_options) - 1;

	if (size < n + tail)
		return 0;
	memcpy(buf, usage, n);
	n += kind_usage(buf + n, size - n - tail);
	memcpy(buf + n, usage_options, tail);
	return n + tail;
}

static void usage_line(struct line *err, const char *what, size_t what_len, const char *why)
{
	line_reset(err);
	line_str(err, "healthy: ");
	line_escaped(err, what, what_len);
	line_str(err, ": ");
	line_str(err, why);
}

/* Parses the DURATION of an option into *ms; zero only where allow_zero. */
static enum opts_result duration_option(const char *opt, const char *val, uint64_t *ms, bool allow_zero, struct line *err)
{
	enum scan_error e;

	if (!val || !*val) {
		line_reset(err);
		line_str(err, "healthy: ");
		line_str(err, opt);
		line_str(err, ": needs a DURATION (500ms, 5s, 2m)");
		return OPTS_USAGE;
	}
	e = scan_duration(val, ms);
	if (e == SCAN_OK && *ms == 0 && !allow_zero)
		e = SCAN_RANGE;
	if (e != SCAN_OK) {
		line_reset(err);
		line_str(err, "healthy: ");
		line_str(err, opt);
		line_str(err, " ");
		line_escaped(err, val, strlen(val));
		line_str(err, e == SCAN_BAD ? ": not a duration (500ms, 5s, 2m)"
						: ": duration out of range (1ms to 24 days)");
		return OPTS_USAGE;
	}
	return OPTS_OK;
}

/* The options that take a DURATION: short letter, long name, where it goes. */
static enum opts_result valued_option(char letter, const char *name, const char *val, struct options *o, struct line *err)
{
	switch (letter) {
	case 't':
		return duration_option(name, val, &o->timeout_ms, false, err);
	case 'i':
		o->interval_given = true;
		return duration_option(name, val, &o->interval_ms, false, err);
	default:
		o->grace_given = true;
		return duration_option(name, val, &o->grace_ms, false, err);
	}
}

static enum opts_result long_option(const char *a, char **next, int *used_next, struct options *o, struct line *err)
{
	static const char *const valued[] = { "--timeout", "--interval", "--grace" };
	const char *eq = strchr(a, '=');
	size_t n = eq ? (size_t)(eq - a) : strlen(a), k;

	for (k = 0; k < 3; k++) {
		if (n != strlen(valued[k]) || memcmp(a, valued[k], n))
			continue;
		if (!eq)
			*used_next = *next != NULL;
		return valued_option(valued[k][2], valued[k], eq ? eq + 1 : *next, o, err);
	}
	/* --wait takes its DURATION only as --wait=DURATION: a check may follow it. */
	if (n == 6 && !memcmp(a, "--wait", 6)) {
		o->wait = true;
		return eq ? duration_option("--wait", eq + 1, &o->wait_ms, true, err) : OPTS_OK;
	}
	if (!eq && !strcmp(a, "--watch")) {
		o->watch = true;
		return OPTS_OK;
	}
	if (!eq && !strcmp(a, "--pause")) {
		o->pause = true;
		return OPTS_OK;
	}
	if (n == 9 && !memcmp(a, "--retries", 9)) {
		const char *v = eq ? eq + 1 : *next;
		unsigned long long r;

		if (!eq)
			*used_next = *next != NULL;
		o->retries_given = true;
		if (v && !scan_uint(v, strlen(v), RETRIES_MAX, &r) && r) {
			o->retries = (unsigned)r;
			return OPTS_OK;
		}
		line_reset(err);
		line_str(err, "healthy: --retries");
		if (v && *v) {
			line_str(err, " ");
			line_escaped(err, v, strlen(v));
		}
		line_str(err, v && *v ? ": not" : ": needs");
		line_str(err, " a whole number from 1 to 1000");
		return OPTS_USAGE;
	}
	if (n == 5 && !memcmp(a, "--log", 5)) {
		if (!eq)
			*used_next = *next != NULL;
		o->log = eq ? eq + 1 : *next;
		if (!o->log || !*o->log) {
			usage_line(err, a, n, "needs a PATH to append to (--log=/proc/1/fd/2)");
			return OPTS_USAGE;
		}
		return OPTS_OK;
	}
	/* --notify takes fd:N only as --notify=fd:N: a check may follow it. */
	if (n == 8 && !memcmp(a, "--notify", 8)) {
		unsigned long long fd;

		o->notify = true;
		if (!eq)
			return OPTS_OK;
		if (!strncmp(eq + 1, "fd:", 3) && !scan_uint(eq + 4, strlen(eq + 4), INT_MAX, &fd)) {
			o->notify_fd = (int)fd;
			if (fd > 2)
				return OPTS_OK;
			usage_line(err, a, strlen(a), "0, 1 and 2 are stdin, stdout and stderr: give the supervisor's descriptor");
			return OPTS_USAGE;
		}
		usage_line(err, a, strlen(a), "not fd:N (a descriptor's number); --notify alone uses $NOTIFY_SOCKET");
		return OPTS_USAGE;
	}
	if (n == 9 && !memcmp(a, "--install", 9)) {
		if (!eq)
			*used_next = *next != NULL;
		o->install = eq ? eq + 1 : *next;
		if (!o->install || !*o->install) {
			usage_line(err, a, n, "needs a DIR to copy healthy into");
			return OPTS_USAGE;
		}
		return OPTS_OK;
	}
	if (!eq) {
		if (!strcmp(a, "--verbose")) {
			o->verbose = true;
			return OPTS_OK;
		}
		if (!strcmp(a, "--quiet")) {
			o->quiet = true;
			return OPTS_OK;
		}
		if (!strcmp(a, "--help"))
			return OPTS_HELP;
		if (!strcmp(a, "--version"))
			return OPTS_VERSION;
	}
	usage_line(err, a, n, "unknown option");
	return OPTS_USAGE;
}

static enum opts_result short_options(const char *a, char **next, int *used_next, struct options *o, struct line *err)
{
	const char *p;

	for (p = a + 1; *p; p++) {
		switch (*p) {
		case 'v':
			o->verbose = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			return OPTS_HELP;
		case 'V':
			return OPTS_VERSION;
		case 't':
		case 'i':
		case 'g': {
			char name[3] = { '-', *p, '\0' };

			if (p[1])
				return valued_option(*p, name, p + 1, o, err);
			*used_next = *next != NULL;
			return valued_option(*p, name, *next, o, err);
		}
		default: {
			char opt[2] = { '-', *p };

			usage_line(err, opt, 2, "unknown option");
			return OPTS_USAGE;
		}
		}
	}
	return OPTS_OK;
}

enum opts_result opts_parse(int argc, char **argv, struct options *o, struct line *err)
{
	int i = 1;
	bool dashdash = false;
	enum opts_result r;

	/* Not the checks: 40 KB of page faults for a run of one. check_parse() clears each it fills. */
	memset(o, 0, offsetof(struct options, checks));
	o->timeout_ms = DEFAULT_TIMEOUT_MS;
	o->wait_ms = DEFAULT_WAIT_MS;
	o->interval_ms = DEFAULT_INTERVAL_MS;
	o->grace_ms = DEFAULT_GRACE_MS;
	o->retries = 1;
	o->notify_fd = -1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		int used_next = 0;

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (!strcmp(a, "--")) {
			dashdash = true;
			i++;
			break;
		}
		if (a[1] == '-')
			r = long_option(a, &argv[i + 1], &used_next, o, err);
		else
			r = short_options(a, &argv[i + 1], &used_next, o, err);
		if (r != OPTS_OK)
			return r;
		i += used_next;
	}
	if (o->verbose && o->quiet) {
		line_reset(err);
		line_str(err, "healthy: cannot use -v and -q together");
		return OPTS_USAGE;
	}
	/* The two modes that run no check: each alone. */
	if (o->pause || o->install) {
		bool both = o->pause && o->install;
		const char *why = both ? "cannot use --pause and --install together"
				  : i < argc ? " takes no CHECK"
				  : o->wait || o->watch || o->verbose || o->interval_given || o->grace_given || o->retries_given ||
				    o->log || o->notify
				  ? " takes no other option but -q" : NULL;

		if (!why)
			return OPTS_OK;
		line_reset(err);
		line_str(err, "healthy: ");
		line_str(err, both ? "" : o->pause ? "--pause" : "--install");
		line_str(err, why);
		return OPTS_USAGE;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];

		/* "--" after the checks starts the COMMAND. */
		if (!strcmp(a, "--") && o->nchecks) {
			if (i + 1 == argc) {
				usage_line(err, a, 2, "needs a COMMAND after it");
				return OPTS_USAGE;
			}
			o->command = &argv[i + 1];
			break;
		}
		/* After "--" an argument is a check, whatever it looks like, and check_parse() says what is wrong with it. */
		if (a[0] == '-' && a[1] != '\0' && !dashdash) {
			usage_line(err, a, strlen(a), "options come before the checks");
			return OPTS_USAGE;
		}
		if (o->nchecks == MAX_CHECKS) {
			line_reset(err);
			line_str(err, "healthy: too many checks (at most 64)");
			return OPTS_USAGE;
		}
		/* "--wait=5s -- cmd": the "--" that ends the options came where "CHECK... --" was meant. */
		if (dashdash && !o->nchecks && (o->wait || o->watch) && *a && !strchr(a, ':')) {
			line_reset(err);
			line_str(err, "healthy: no CHECK before '--' (healthy --wait CHECK... -- COMMAND)");
			return OPTS_USAGE;
		}
		if (check_parse(a, &o->checks[o->nchecks], err))
			return OPTS_USAGE;
		o->nchecks++;
	}
	if (o->nchecks == 0) {
		line_reset(err);
		line_str(err, "healthy: no CHECK given (try 'healthy --help')");
		return OPTS_USAGE;
	}
	/* Conflicts, as nc says them: each of these means something only with --wait or --watch. */
	if (!o->wait && !o->watch && (o->command || o->interval_given || o->grace_given)) {
		line_reset(err);
		line_str(err, o->command ? "healthy: -- COMMAND needs --wait or --watch"
			 : o->interval_given ? "healthy: -i needs --wait or --watch" : "healthy: -g needs --watch");
		return OPTS_USAGE;
	}
	if (o->verbose && (o->wait || o->watch)) {
		line_reset(err);
		line_str(err, "healthy: -v does not go with --wait or --watch (they print what they see)");
		return OPTS_USAGE;
	}
	if (o->notify && !o->wait && !o->watch) {
		line_reset(err);
		line_str(err, "healthy: --notify needs --wait or --watch (it says when the checks first pass)");
		return OPTS_USAGE;
	}
	if ((o->grace_given || o->retries_given) && !o->watch) {
		line_reset(err);
		line_str(err, o->grace_given ? "healthy: -g needs --watch" : "healthy: --retries needs --watch");
		return OPTS_USAGE;
	}
	return OPTS_OK;
}

/* A path whose end looks like an unknown option: a usage error, unless a file has that very name. */
static int odd_option(const struct check *c, struct line *err)
{
	static char path[PATH_MAX];
	struct stat st;

	memcpy(path, c->arg, c->arg_len);
	path[c->arg_len] = '\0';
	if (io_stat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0 || (errno != ENOENT && errno != ENOTDIR))
		return 0;
	check_option_odd_usage(c, err);
	return EXIT_USAGE;
}

int opts_prepare(struct options *o, struct line *err)
{
	size_t i;

	for (i = 0; i < o->nchecks; i++) {
		struct check *c = &o->checks[i];
		int r;

		if (c->odd_opt && odd_option(c, err))
			return EXIT_USAGE;
		r = c->kind->prepare ? c->kind->prepare(c, err) : 0;
		if (r)
			return r;
	}
	return 0;
}
