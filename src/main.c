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
#include "lib/io.h"
#include "lib/log.h"
#include "watch.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

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
		size_t n = opts_help(help, sizeof(help));

		/* One write: a reader of a pipe sees all of it or nothing. */
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
	r = watch_notify_aim(&opts, &err);
	if (r) {
		line_write(STDERR_FILENO, &err);
		return r;
	}
	/* Before confinement, which opens nothing for writing; a log that cannot be had changes no answer. */
	if (opts.log && log_open(opts.log, &err))
		line_write(STDERR_FILENO, &err);
	r = opts_prepare(&opts, &err);
	if (r) {
		line_write(STDERR_FILENO, &err);
		log_line(&err);
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
	if (!confine_syscalls(log_fd()))
		confine_time(opts.timeout_ms + WATCHDOG_SLACK_MS);
	checks_run(opts.checks, opts.nchecks, opts.verbose, opts.timeout_ms);
	/* The report is part of the run: the watchdog stands down once it is written, and bounds a log on a dead mount. */
	if (log_may_block())
		confine_arm();
	confine_doing(NULL, " writing the report");
	r = checks_report(opts.checks, opts.nchecks, opts.verbose, opts.quiet);
	confine_answered();
	return r;
}
