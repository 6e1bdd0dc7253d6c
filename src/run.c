#include "run.h"

#include <string.h>
#include <unistd.h>

#include "exitcode.h"
#include "kind.h"
#include "lib/clock.h"
#include "lib/confine.h"
#include "lib/log.h"

/* Docker keeps 4096 bytes of a probe's output: stop short of it and say so. */
#define OUTPUT_BUDGET 3900

void checks_run(struct check *checks, size_t n, bool verbose, uint64_t timeout_ms)
{
	static struct check *batch[MAX_CHECKS];
	struct run_opts ro = { clock_ms() + timeout_ms, timeout_ms, verbose };
	size_t i, k, j, nb;

	/* What a run found goes; what was parsed stays (a watch runs them again and again). */
	for (i = 0; i < n; i++) {
		checks[i].verdict = VERDICT_UNKNOWN;
		checks[i].weak = false;
		line_reset(&checks[i].why);
	}
	/*
	 * Kind by kind, in the table's order; kinds that share a run (tcp:, udp:
	 * and unix: read the socket tables once for all) in one call: one walk of
	 * /proc, one dump per socket table, one poll loop for the probes.
	 */
	for (k = 0; k < nkinds; k++) {
		void (*run)(struct check **, size_t, const struct run_opts *) = kinds[k]->run;

		for (j = 0; j < k && kinds[j]->run != run; j++)
			;
		if (!run || kinds[k]->each || j < k)
			continue;       /* none, one check at a time, or run already with an earlier kind */
		for (nb = 0, i = 0; i < n; i++) {
			if (checks[i].kind->run == run)
				batch[nb++] = &checks[i];
		}
		if (!nb)
			continue;
		for (i = 0; i < nb; i++) {
			if (!batch[i]->kind->bounded)
				confine_arm();
		}
		/* Named by the watchdog's line should the kernel hold this part up; a kind may say more. */
		confine_doing(batch[0]->spec, batch[0]->kind->doing);
		run(batch, nb, &ro);
	}
	/* Then the kinds that take one check at a time, in the order given. */
	for (i = 0; i < n; i++) {
		if (!checks[i].kind->each)
			continue;
		batch[0] = &checks[i];
		if (!checks[i].kind->bounded)
			confine_arm();
		confine_doing(checks[i].spec, checks[i].kind->doing);
		checks[i].kind->run(batch, 1, &ro);
	}
	/* not:CHECK: its kind ran it as CHECK; the wrapper has the last word. */
	for (i = 0; i < n; i++) {
		if (checks[i].outer)
			checks[i].outer->judge(&checks[i]);
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
		if (pass && !verbose)
			continue;
		check_line_start(c, &l);
		line_mem(&l, c->why.buf, c->why.len);
		/* --log: every failure, -q or not, and past Docker's 4 KiB. */
		if (!pass)
			log_line(&l);
		if (quiet)
			continue;
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
