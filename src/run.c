#include "run.h"

#include <string.h>
#include <unistd.h>

#include "lib/confine.h"
#include "lib/clock.h"
#include "exitcode.h"
#include "kinds/file.h"
#include "kinds/pid.h"
#include "kinds/probe.h"
#include "kinds/proc.h"
#include "kinds/sock.h"

/* Docker keeps 4096 bytes of a probe's output: stop short of it and say so. */
#define OUTPUT_BUDGET 3900

/* The first check of a kind from..to, named by the watchdog's line should the kernel hold that part up. */
static const char *first_of(const struct check *checks, size_t n, enum check_kind from, enum check_kind to)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (checks[i].kind >= from && checks[i].kind <= to)
			return checks[i].spec;
	return NULL;
}

void checks_run(struct check *checks, size_t n, bool verbose, uint64_t timeout_ms)
{
	uint64_t start = clock_ms(), deadline = start + timeout_ms, now;
	size_t i;

	/* What a run found goes; what was parsed stays (a watch runs them again and again). */
	for (i = 0; i < n; i++) {
		struct check *c = &checks[i];

		c->verdict = VERDICT_UNKNOWN;
		line_reset(&c->why);
		if (c->kind == CHECK_PROC) {
			memset(&c->u.proc.tally, 0, sizeof(c->u.proc.tally));
		} else if (c->kind == CHECK_TCP || c->kind == CHECK_UDP || c->kind == CHECK_UNIX) {
			memset(&c->u.sock.tally, 0, sizeof(c->u.sock.tally));
			c->u.sock.stat_errno = 0;
			c->u.sock.not_socket = false;
		}
	}
	confine_doing(first_of(checks, n, CHECK_PROC, CHECK_PROC), " reading /proc");
	proc_run(checks, n, verbose);
	now = clock_ms();
	sock_run(checks, n, deadline > now ? deadline - now : 1);
	confine_doing(first_of(checks, n, CHECK_CONNECT, CHECK_HTTP), " probing");
	probe_run(checks, n, deadline, timeout_ms);
	for (i = 0; i < n; i++) {
		/* A file on a FUSE or NFS mount whose server hangs holds the run up: name that wait (pid.c names its own). */
		confine_doing(checks[i].spec, " reading the file's status");
		pid_run(&checks[i]);
		file_run(&checks[i]);
	}
}

int checks_report(const struct check *checks, size_t n, bool verbose, bool quiet)
{
	bool failed = false, error = false, out_failed = false;
	size_t i, untold = 0;

	for (i = 0; i < n; i++) {
		const struct check *c = &checks[i];
		bool pass = c->verdict == VERDICT_PASS;
		struct line l;
		int fd = pass ? STDOUT_FILENO : STDERR_FILENO;

		failed |= c->verdict == VERDICT_FAIL;
		/* A check nobody ran is no evidence: never let it pass. */
		error |= c->verdict == VERDICT_ERROR || c->verdict == VERDICT_UNKNOWN;
		if (quiet || (pass && !verbose))
			continue;
		check_line_start(c, &l);
		line_mem(&l, c->why.buf, c->why.len);
		if (line_bytes_written() + l.len + 1 > OUTPUT_BUDGET) {
			untold++;
			continue;
		}
		if (line_write(fd, &l) && fd == STDOUT_FILENO)
			out_failed = true;
	}
	if (untold) {
		struct line l;

		line_reset(&l);
		line_str(&l, "healthy: and ");
		line_uint(&l, untold);
		line_str(&l, " more lines not shown");
		line_write(STDERR_FILENO, &l);
	}
	if (failed)
		return EXIT_UNHEALTHY;
	if (error || out_failed)
		return EXIT_CANNOT_CHECK;
	return EXIT_HEALTHY;
}
