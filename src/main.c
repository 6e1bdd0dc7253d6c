/*
 * healthy: is this service alive? Checks processes from /proc and sockets
 * from the kernel's socket tables, and answers with an exit code: 0 healthy, 1 unhealthy, 2 usage error, 3 cannot check.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "opts.h"
#include "run.h"
#include "lib/confine.h"
#include "exitcode.h"
#include "kind.h"
#include "lib/io.h"
#include "watch.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

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
	"  --pause          hold shared namespaces as a pause container does: reap,\n"
	"                   exit 0 on SIGTERM (no CHECK)\n"
	"  --install DIR    copy this binary to DIR/healthy, mode 0755, and exit\n"
	"                   (an init container's way into a stock image; no CHECK)\n"
	"  -h, --help       print this help\n"
	"  -V, --version    print the version\n";

int main(int argc, char **argv)
{
	static struct options opts;
	struct line err;
	int r;

	/*
	 * Started with 0, 1 or 2 closed, healthy's own descriptors would take
	 * those numbers: the sock_diag socket as fd 2, and the failure line sent
	 * to the kernel as a netlink message. /dev/null holds them; without it,
	 * nothing can be said safely.
	 */
	if (io_reserve_stdio())
		return EXIT_CANNOT_CHECK;
	/* A reader that went away is a failed write (exit 3), not a death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	/* A reader that stops reading is one too: no write waits past the run's deadline. */
	io_write_timeout(DEFAULT_TIMEOUT_MS);
	switch (opts_parse(argc, argv, &opts, &err)) {
	case OPTS_HELP: {
		static char help[4096];
		size_t n = sizeof(usage) - 1;

		/* One write, as before the table: a reader of a pipe sees all of it or nothing. */
		memcpy(help, usage, n);
		n += kind_usage(help + n, sizeof(help) - n - (sizeof(usage_options) - 1));
		memcpy(help + n, usage_options, sizeof(usage_options) - 1);
		n += sizeof(usage_options) - 1;
		return io_write_all(STDOUT_FILENO, help, n) ? EXIT_CANNOT_CHECK : EXIT_HEALTHY;
	}
	case OPTS_VERSION:
		return io_write_all(STDOUT_FILENO, "healthy " VERSION "\n", sizeof("healthy " VERSION "\n") - 1)
			       ? EXIT_CANNOT_CHECK : EXIT_HEALTHY;
	case OPTS_USAGE:
		line_write(STDERR_FILENO, &err);
		return EXIT_USAGE;
	case OPTS_OK:
		break;
	}
	io_write_timeout(opts.timeout_ms);
	r = opts_prepare(&opts, &err);
	if (r) {
		line_write(STDERR_FILENO, &err);
		return r;
	}
	if (opts.pause)
		return watch_pause();
	if (opts.install) {
		const char *what;

		/* The one mode that writes a file: an init container hands healthy to a stock image this way. */
		if (io_copy_atomic("/proc/self/exe", opts.install, "healthy", 0755, &what)) {
			line_reset(&err);
			line_str(&err, "healthy: --install ");
			line_escaped(&err, opts.install, strlen(opts.install));
			line_str(&err, ": ");
			line_errno(&err, what, errno);
			line_write(STDERR_FILENO, &err);
			return EXIT_CANNOT_CHECK;
		}
		return EXIT_HEALTHY;
	}
	if (opts.wait || opts.watch)
		return watch_main(&opts);
	/*
	 * From here a run only reads and probes. Confinement may be missing (an
	 * old kernel, qemu-user): the checks are as right without it. Where the
	 * filter is refused, so is the watchdog: qemu-user, which refuses it,
	 * leaves a traced process with a second thread a zombie for ever.
	 */
	if (!confine_syscalls())
		confine_time(opts.timeout_ms + WATCHDOG_SLACK_MS);
	checks_run(opts.checks, opts.nchecks, opts.verbose, opts.timeout_ms);
	/* The report is part of the run: the watchdog stands down once it is written. */
	confine_doing(NULL, " writing the report");
	r = checks_report(opts.checks, opts.nchecks, opts.verbose, opts.quiet);
	confine_answered();
	return r;
}
