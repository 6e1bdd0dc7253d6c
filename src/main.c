/*
 * healthy: is this service alive? Checks processes from /proc and sockets
 * from the kernel's socket tables, and answers with an exit code: 0 healthy, 1 unhealthy, 2 usage error, 3 cannot check.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "check.h"
#include "exitcode.h"
#include "file.h"
#include "pid.h"
#include "probe.h"
#include "proc.h"
#include "sock.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

static const char usage[] =
	"usage: healthy [OPTIONS] CHECK...\n"
	"Exit 0 when every check passes, 1 when one fails, 2 on a usage error, 3 when it cannot check.\n"
	"\n"
	"checks:\n"
	"  proc:NAME[,min=N][,max=N][,user=UID|USER]\n"
	"                   a running process has this name (NAME may be a glob)\n"
	"  pid:N            process N is running\n"
	"  pidfile:PATH     the PID on the first line of PATH is running\n"
	"  tcp:[ADDR:]PORT  a TCP socket listens on PORT (ADDR: 127.0.0.1, [::1], localhost)\n"
	"  udp:[ADDR:]PORT  a UDP socket is bound to PORT\n"
	"  unix:PATH        a unix socket listens at PATH (@NAME: abstract)\n"
	"  connect:HOST:PORT\n"
	"                   a TCP connection to HOST:PORT is accepted\n"
	"  http://HOST[:PORT][/PATH]\n"
	"                   GET answers 2xx or 3xx\n"
	"  file:PATH[,maxage=DURATION]\n"
	"                   PATH exists (and was modified within DURATION)\n"
	"\n"
	"options:\n"
	"  -v, --verbose    print every check with its evidence\n"
	"  -q, --quiet      print nothing\n"
	"  -t, --timeout DURATION\n"
	"                   give up after DURATION (500ms, 5s, 2m; default 800ms)\n"
	"  -h, --help       print this help\n"
	"  -V, --version    print the version\n";

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct options opts;
	uint64_t start_ms = probe_now_ms(), deadline_ms, now_ms;
	struct line err;
	size_t i;
	int r;

	/* A reader that went away is a failed write (exit 3), not a death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	switch (args_parse(argc, argv, &opts, &err)) {
	case ARGS_HELP:
		return write_all(STDOUT_FILENO, usage, sizeof(usage) - 1) ? EXIT_CANNOT_CHECK : EXIT_HEALTHY;
	case ARGS_VERSION:
		return write_all(STDOUT_FILENO, "healthy " VERSION "\n", sizeof("healthy " VERSION "\n") - 1)
			       ? EXIT_CANNOT_CHECK : EXIT_HEALTHY;
	case ARGS_USAGE:
		line_write(STDERR_FILENO, &err);
		return EXIT_USAGE;
	case ARGS_OK:
		break;
	}
	r = args_resolve_users(&opts, &err);
	if (r) {
		line_write(STDERR_FILENO, &err);
		return r;
	}
	deadline_ms = start_ms + opts.timeout_ms;
	proc_run(opts.checks, opts.nchecks, opts.verbose);
	now_ms = probe_now_ms();
	sock_run(opts.checks, opts.nchecks, deadline_ms > now_ms ? deadline_ms - now_ms : 1);
	probe_run(opts.checks, opts.nchecks, deadline_ms, opts.timeout_ms);
	for (i = 0; i < opts.nchecks; i++) {
		pid_run(&opts.checks[i]);
		file_run(&opts.checks[i]);
	}
	return checks_report(opts.checks, opts.nchecks, opts.verbose, opts.quiet);
}
