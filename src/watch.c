#include "watch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "lib/confine.h"
#include "lib/clock.h"
#include "exitcode.h"
#include "lib/io.h"
#include "lib/log.h"
#include "lib/notify.h"
#include "lib/procpid.h"
#include "lib/procfs.h"

/* The first retry of --wait comes this soon, and each next one twice as late, up to -i. */
#define WAIT_FIRST_RETRY_MS 10
/*
 * With --retries, a check that failed runs again this soon, then every -i. A
 * pre-fork server (nginx, php-fpm) forks a new worker the moment it reaps the
 * old one: well within this, even on a busy host. A dependency that is really
 * gone stops COMMAND a tenth of -i's default later than it would without.
 */
#define WATCH_RETRY_MS 100
/* pidfds watched at once: 8 processes for each of the first checks, as evidence lists them. */
#define MAX_PIDFDS 64
#define PIDS_PER_CHECK 8

/* The signals a supervisor passes to its COMMAND, as tini does. */
static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

static bool quiet;

/* A change (a check passes, fails, COMMAND stops): on stderr unless -q, and in --log's file. */
static void say(const struct line *l)
{
	if (!quiet)
		line_write(STDERR_FILENO, l);
	log_line(l);
}

/* A line about one check: "healthy: CHECK: ok after 1.2s". */
static void say_check(const struct check *c, const char *what, uint64_t ms)
{
	struct line l;

	check_line_start(c, &l);
	line_str(&l, what);
	line_duration(&l, ms);
	say(&l);
}

/* --notify's supervisor: systemd's socket ($NOTIFY_SOCKET as given in notify_where) or s6's descriptor. */
static struct notify notify;
static const char *notify_where;

/* --notify: "READY=1" once every check passes, "STOPPING=1" when the watch ends on one. False when it failed. */
static bool tell(const struct options *o, const char *state)
{
	struct line l;

	if (!o->notify || !notify_send(&notify, state, (int)o->timeout_ms))
		return true;
	line_reset(&l);
	line_str(&l, "healthy: --notify: cannot send ");
	line_str(&l, state);
	line_str(&l, " to ");
	if (notify_where) {
		line_escaped(&l, notify_where, strlen(notify_where));
	} else {
		line_str(&l, "fd ");
		line_uint(&l, (unsigned long long)o->notify_fd);
	}
	line_str(&l, ": ");
	line_reason(&l, errno);
	say(&l);
	return false;
}

/*
 * How often --wait says which checks it still waits for: WAIT_REPORT_MS, or
 * the milliseconds a test puts in WAIT_REPORT_ENV (a test cannot wait minutes).
 */
static uint64_t wait_report_ms(void)
{
	const char *env = getenv(WAIT_REPORT_ENV);
	unsigned long long v;

	return env && !scan_uint(env, strlen(env), DURATION_MAX_MS, &v) && v ? v : WAIT_REPORT_MS;
}

/* A line for each check the last run did not pass: "healthy: still waiting (1m): proc:fluent-bit: not running". */
static void say_pending(const struct options *o, uint64_t ms)
{
	size_t i;

	for (i = 0; i < o->nchecks; i++) {
		const struct check *c = &o->checks[i];
		struct line l, spec;

		if (c->verdict == VERDICT_PASS)
			continue;
		line_reset(&l);
		line_str(&l, "healthy: still waiting (");
		line_duration(&l, ms);
		line_str(&l, ")");
		/* check_line_start()'s "healthy: SPEC: ", from its ": " on */
		check_line_start(c, &spec);
		line_mem(&l, spec.buf + sizeof("healthy") - 1, spec.len - (sizeof("healthy") - 1));
		line_mem(&l, c->why.buf, c->why.len);
		/* A reminder, not a change: not for --log. */
		if (!quiet)
			line_write(STDERR_FILENO, &l);
	}
}

/*
 * Sleeps up to ms, or less when SIGTERM or SIGINT comes. They are blocked
 * during --wait and taken here, so what the wait says on them is said from
 * normal context, not a handler. Returns the signal, or 0.
 */
static int wait_signal(const sigset_t *stop, uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	int sig = sigtimedwait(stop, NULL, &ts);

	return sig > 0 ? sig : 0;
}

/* A signal ends the wait: what it still waited for, then why it ends. Returns 128+sig; COMMAND never runs. */
static int wait_interrupted(const struct options *o, int sig, uint64_t ms)
{
	struct line l;

	say_pending(o, ms);
	line_reset(&l);
	line_str(&l, sig == SIGTERM ? "healthy: wait: interrupted by SIGTERM" : "healthy: wait: interrupted by SIGINT");
	say(&l);
	return 128 + sig;
}

/* --wait: the checks, again and again, until all pass in one run; stop (blocked) ends it. Returns 0, or the exit code. */
static int wait_all(struct options *o, const sigset_t *stop)
{
	uint64_t start = clock_ms(), end = o->wait_ms ? start + o->wait_ms : UINT64_MAX;
	uint64_t retry = WAIT_FIRST_RETRY_MS, report = wait_report_ms(), next = start + report;
	bool passed[MAX_CHECKS] = { false };
	struct line l;
	size_t i;
	int sig;

	line_reset(&l);
	line_str(&l, "healthy: waiting ");
	if (o->wait_ms) {
		line_str(&l, "up to ");
		line_duration(&l, o->wait_ms);
		line_str(&l, " ");
	}
	line_str(&l, "for ");
	line_uint(&l, o->nchecks);
	line_str(&l, o->nchecks == 1 ? " check" : " checks");
	say(&l);
	for (;;) {
		uint64_t now = clock_ms(), timeout = o->timeout_ms;
		bool all = true;

		if (end - now < timeout)
			timeout = end > now ? end - now : 1;
		checks_run(o->checks, o->nchecks, false, timeout);
		now = clock_ms();
		for (i = 0; i < o->nchecks; i++) {
			bool pass = o->checks[i].verdict == VERDICT_PASS;

			/* A line when a check first passes, not one per retry. */
			if (pass && !passed[i])
				say_check(&o->checks[i], "ok after ", now - start);
			passed[i] |= pass;
			all &= pass;
		}
		/* A signal that came during the run: the run's reasons are the freshest. */
		sig = wait_signal(stop, 0);
		if (sig)
			return wait_interrupted(o, sig, now - start);
		if (all)
			return 0;
		if (now >= end) {
			struct check *failing[MAX_CHECKS];
			size_t nf = 0;

			for (i = 0; i < o->nchecks; i++) {
				if (o->checks[i].verdict != VERDICT_PASS)
					failing[nf++] = &o->checks[i];
			}
			bool failed = false;

			for (i = 0; i < nf; i++) {
				check_line_start(failing[i], &l);
				line_str(&l, "gave up after ");
				line_duration(&l, o->wait_ms);
				line_str(&l, ": ");
				line_mem(&l, failing[i]->why.buf, failing[i]->why.len);
				say(&l);
				failed |= failing[i]->verdict == VERDICT_FAIL;
			}
			/* As a single run answers: 1 when a check failed, 3 when healthy could not tell. */
			return failed ? EXIT_UNHEALTHY : EXIT_CANNOT_CHECK;
		}
		/* Every minute or so, after the run past the minute: a wait for ever is never silent for ever. */
		if (now >= next) {
			uint64_t at = (now - start) / report * report;

			say_pending(o, at);
			next = start + at + report;
		}
		sig = wait_signal(stop, retry < end - now ? retry : end - now);
		if (sig)
			return wait_interrupted(o, sig, clock_ms() - start);
		retry = retry * 2 < o->interval_ms ? retry * 2 : o->interval_ms;
	}
}

/* Exit status 126 or 127 with the shell's meaning, after the one line that says why. */
static int exec_failed(const char *cmd, int err)
{
	struct line l;

	line_reset(&l);
	line_str(&l, "healthy: exec ");
	line_escaped(&l, cmd, strlen(cmd));
	line_str(&l, ": ");
	line_reason(&l, err);
	line_write(STDERR_FILENO, &l);
	log_line(&l);
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/*
 * execvp(argv[0], argv), without musl's 550 bytes for it: a name with a '/'
 * as it is; else each directory of $PATH in turn (musl's default without
 * one; an empty one is the working directory). An EACCES on the way is the
 * answer if nothing ran; ENOENT and ENOTDIR go on; anything else stops.
 */
static void exec_path(char **argv)
{
	static char buf[4096];
	const char *file = argv[0], *p = getenv("PATH");
	size_t k = strlen(file);
	bool eacces = false;

	errno = ENOENT;
	if (!*file || strchr(file, '/')) {
		if (*file)
			execve(file, argv, environ);
		return;
	}
	for (p = p ? p : "/usr/local/bin:/bin:/usr/bin";; p++) {
		size_t n = strcspn(p, ":");

		if (n + k + 2 <= sizeof(buf)) {
			memcpy(buf, p, n);
			buf[n] = '/';
			memcpy(buf + n + (n > 0), file, k + 1);
			execve(buf, argv, environ);
			eacces |= errno == EACCES;
			if (errno != EACCES && errno != ENOENT && errno != ENOTDIR)
				return;
		}
		p += n;
		if (!*p)
			break;
	}
	if (eacces)
		errno = EACCES;
}

/* What COMMAND must not inherit from healthy: its ignored SIGPIPE, its blocked signals. */
static void command_exec(char **argv)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	exec_path(argv);
}

/*
 * fork() as the kernel does it, without musl's: that one runs atfork
 * handlers and resets the locks of other threads, which a watch (one
 * thread) has none of, and links 1.5 KB of thread machinery for it. The
 * child only sets its death signal, its signal mask and SIGPIPE's
 * disposition, and execs: plain system calls, none of musl's state.
 */
static pid_t fork_plain(void)
{
	return (pid_t)syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Whether the process at pid is still the one that started at start (PID reuse). */
static bool still_same(pid_t pid, unsigned long long start)
{
	static char buf[STAT_SIZE];
	char path[24];
	struct line err = { .len = 0 };
	struct proc_stat st;
	int procfd = procfs_open(&err);

	if (procfd < 0)
		return false;
	proc_path(path, pid, "/stat");
	return proc_read_stat(procfd, path, buf, &st) == PROC_STAT_OK && st.starttime == start;
}

/*
 * Whether a process a check saw is another one now, for a kind that knows
 * start times: a pidfd opened after the check must name the process checked.
 */
static bool reused(const struct options *o)
{
	size_t i, np, k;

	for (i = 0; i < o->nchecks; i++) {
		const struct check *c = &o->checks[i];
		struct watched_pid pids[PIDS_PER_CHECK];

		np = check_pids(c, pids, PIDS_PER_CHECK);
		for (k = 0; k < np; k++) {
			if (pids[k].start_known && !still_same(pids[k].pid, pids[k].start))
				return true;
		}
	}
	return false;
}

/*
 * Opens a pidfd for every process the last run found alive: its death wakes
 * the watch at once. Returns how many; 0 when pidfds are refused (old
 * kernels, older seccomp profiles), and then the interval alone decides.
 */
static int pidfds_open(const struct options *o, int *fds, size_t *owner, bool *usable, bool *gone)
{
	int n = 0;
	size_t i;

	for (i = 0; i < o->nchecks && *usable; i++) {
		const struct check *c = &o->checks[i];
		struct watched_pid pids[PIDS_PER_CHECK];
		size_t np = check_pids(c, pids, PIDS_PER_CHECK), k;

		for (k = 0; k < np && n < MAX_PIDFDS; k++) {
			long fd = syscall(SYS_pidfd_open, pids[k].pid, 0);

			if (fd >= 0) {
				owner[n] = i;
				fds[n++] = (int)fd;
			} else if (errno == ESRCH) {
				*gone = true;   /* it died between the check and now: look again at once */
			} else {
				/* ENOSYS before Linux 5.3, EPERM under Docker's seccomp before 20.10: poll instead. */
				*usable = false;
				break;
			}
		}
	}
	if (!*usable) {
		while (n)
			close(fds[--n]);
	}
	return n;
}

/*
 * The process of a check whose kind judges its deaths alone (pids_alone:
 * pid:, pidfile:) died, and its pidfd woke the watch: that check alone is
 * run again, and when it fails, as it all but must, the watch ends on it
 * without walking /proc for the other checks first (with --retries, they
 * run with its retry). Notes in ran which checks ran.
 */
static bool pid_died(struct options *o, const struct pollfd *pfd, const size_t *owner, int nfds, bool *ran)
{
	bool failed = false;
	int i;

	for (i = 0; i < nfds; i++) {
		struct check *c = &o->checks[owner[i]];

		if (!pfd[i].revents || !c->kind->pids_alone)
			continue;
		checks_run(c, 1, false, o->timeout_ms);
		ran[owner[i]] = true;
		failed |= c->verdict == VERDICT_FAIL;
	}
	return failed;
}

/* Reaps every child that has exited (as PID 1, orphans too); returns COMMAND's status, or -1 while it runs. */
static int reap(pid_t child)
{
	int status, result = -1;
	pid_t p;

	while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
		if (p == child)
			result = exit_status(status);
	}
	return result;
}

/* "healthy: stopping /proxy (pid 7): " + what: the log says why COMMAND went, and how. */
static void say_stop(const char *cmd, pid_t child, const char *what, uint64_t ms)
{
	struct line l;

	line_reset(&l);
	line_str(&l, "healthy: stopping ");
	line_escaped(&l, cmd, strlen(cmd));
	line_str(&l, " (pid ");
	line_uint(&l, (unsigned long long)child);
	line_str(&l, "): ");
	if (ms) {
		line_str(&l, "still running after ");
		line_duration(&l, ms);
		line_str(&l, ": ");
	}
	line_str(&l, what);
	say(&l);
}

/* SIGTERM, then SIGKILL after the grace: COMMAND goes either way. */
static void command_stop(const char *cmd, pid_t child, int sigfd, uint64_t grace_ms)
{
	uint64_t end = clock_ms() + grace_ms;
	struct pollfd p = { sigfd, POLLIN, 0 };

	say_stop(cmd, child, "SIGTERM", 0);
	kill(child, SIGTERM);
	for (;;) {
		uint64_t now = clock_ms();
		struct signalfd_siginfo si;

		if (reap(child) >= 0)
			return;
		if (now >= end)
			break;
		/* An operator's signal during the grace still reaches COMMAND. */
		if (poll(&p, 1, (int)(end - now)) > 0 && read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si) &&
		    si.ssi_signo != SIGCHLD)
			kill(child, (int)si.ssi_signo);
	}
	say_stop(cmd, child, "SIGKILL", grace_ms);
	kill(child, SIGKILL);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
}

bool watch_count(const struct check *checks, size_t n, const bool *ran, unsigned retries, unsigned *fails, bool *soon)
{
	bool stop = false;
	size_t k;

	/*
	 * Failing runs in a row, each check on its own count; a run it passes
	 * starts it again. A check healthy cannot make (3: EACCES, a name server
	 * that does not answer) is no failure: the service may be fine, and
	 * stopping it would make healthy's own trouble the service's.
	 */
	*soon = false;
	for (k = 0; k < n; k++) {
		if (!ran[k])
			continue;
		/* A run that could not check is no evidence either way: the count stands. */
		if (checks[k].verdict == VERDICT_FAIL)
			fails[k]++;
		else if (checks[k].verdict == VERDICT_PASS)
			fails[k] = 0;
		stop |= fails[k] >= retries;
		*soon |= fails[k] == 1;
	}
	return stop;
}

/*
 * A blip and its end are said: "failure 1 of 2: why", then "ok again after
 * 104ms"; a check that cannot be made, once, not every run. since[k] is when
 * check k started failing (0: it passes), unsure[k] whether it was last said
 * to be uncheckable.
 */
static void say_changes(const struct options *o, const bool *ran, const unsigned *fails, uint64_t *since,
			bool *unsure)
{
	uint64_t now = clock_ms();
	size_t k;

	for (k = 0; k < o->nchecks; k++) {
		const struct check *c = &o->checks[k];
		struct line l;
		bool was = unsure[k];

		if (!ran[k])
			continue;
		if (c->verdict == VERDICT_PASS) {
			if (since[k])
				say_check(c, "ok again after ", now - since[k]);
			since[k] = 0;
			unsure[k] = false;
			continue;
		}
		if (!since[k])
			since[k] = now;
		unsure[k] = c->verdict != VERDICT_FAIL;
		check_line_start(c, &l);
		if (!unsure[k]) {
			line_str(&l, "failure ");
			line_uint(&l, fails[k]);
			line_str(&l, " of ");
			line_uint(&l, o->retries);
			line_str(&l, ": ");
		} else if (was) {
			continue;
		} else {
			line_str(&l, "cannot check, still watching: ");
		}
		line_mem(&l, c->why.buf, c->why.len);
		say(&l);
	}
}

static int watch_all(struct options *o)
{
	const char *env = getenv(WATCH_NO_PIDFD_ENV);
	bool usable = !(env && *env && strcmp(env, "0"));
	struct pollfd pfd[MAX_PIDFDS + 1];
	int fds[MAX_PIDFDS], nfds = 0, sigfd, i;
	size_t owner[MAX_PIDFDS];
	unsigned fails[MAX_CHECKS] = { 0 };
	bool unsure[MAX_CHECKS] = { false };
	uint64_t since[MAX_CHECKS] = { 0 }, pause = o->interval_ms, now;
	unsigned vanished = 0;
	pid_t child = 0;
	sigset_t set;
	size_t k;

	/* Signals arrive as reads on a fd, in the same poll as the pidfds. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (k = 0; k < sizeof(forwarded) / sizeof(forwarded[0]); k++)
		sigaddset(&set, forwarded[k]);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sigfd < 0) {
		struct line l;

		line_reset(&l);
		line_errno(&l, "healthy: signalfd", errno);
		line_write(STDERR_FILENO, &l);
		log_line(&l);
		return EXIT_CANNOT_CHECK;
	}
	for (k = 0; k < o->nchecks; k++)
		o->checks[k].track = !o->checks[k].outer;  /* not:pidfile: of another process in its place fails too */
	checks_run(o->checks, o->nchecks, false, o->timeout_ms);
	for (k = 0; k < o->nchecks; k++) {
		if (o->checks[k].verdict != VERDICT_PASS) {
			int r = checks_report(o->checks, o->nchecks, false, o->quiet);

			/* --wait said READY=1 a moment ago: the supervisor hears that it is over. */
			if (o->wait)
				tell(o, "STOPPING=1");
			return r;
		}
	}
	/* --watch alone: its first run is the one that finds the service ready. */
	if (!o->wait)
		tell(o, "READY=1");
	if (o->command) {
		pid_t parent = getpid();

		child = fork_plain();
		if (child < 0) {
			struct line l;

			line_reset(&l);
			line_errno(&l, "healthy: fork", errno);
			line_write(STDERR_FILENO, &l);
			log_line(&l);
			return EXIT_CANNOT_CHECK;
		}
		if (child == 0) {
			/* COMMAND must not outlive the watch that is there to stop it (healthy killed, OOM). */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(EXIT_UNHEALTHY);
			command_exec(o->command);
			_exit(exec_failed(o->command[0], errno));
		}
	}
	for (;;) {
		uint64_t due = clock_ms() + pause;
		bool rerun = false, ran[MAX_CHECKS] = { false }, stop, soon;
		int n;

		bool gone = false;

		nfds = usable ? pidfds_open(o, fds, owner, &usable, &gone) : 0;
		/*
		 * A process the run just saw that pidfd_open() cannot find: it died
		 * meanwhile, and a run at once says so. Twice in a row, it is rather
		 * that /proc numbers PIDs in another PID namespace than healthy's
		 * (unshare -p without a /proc of its own): pidfds cannot watch those,
		 * and the interval does.
		 */
		vanished = gone ? vanished + 1 : 0;
		if (vanished >= 2) {
			usable = false;
			while (nfds)
				close(fds[--nfds]);
		}
		rerun = gone || reused(o);
		pfd[0] = (struct pollfd){ sigfd, POLLIN, 0 };
		for (i = 0; i < nfds; i++)
			pfd[i + 1] = (struct pollfd){ fds[i], POLLIN, 0 };
		/* A run due at once still reads the signals first: no rerun starves them. */
		do {
			now = clock_ms();
			/* Signals do not put the next run off: the interval counts from the last one. */
			n = poll(pfd, (nfds_t)nfds + 1, rerun || now >= due ? 0 : (int)(due - now));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				rerun = true;   /* the interval: sockets, probes and files are looked at again */
				break;
			}
			if (pfd[0].revents) {
				struct signalfd_siginfo si;

				if (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
					int sig = (int)si.ssi_signo;

					if (sig == SIGCHLD) {
						int status = reap(child);

						if (child && status >= 0)
							return status;
					} else if (child) {
						kill(child, sig);
					} else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT) {
						return 128 + sig;
					}
				}
			}
			for (i = 1; i <= nfds; i++)
				rerun |= pfd[i].revents != 0;   /* a watched process died: look now */
		} while (!rerun);
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		if (!pid_died(o, pfd + 1, owner, nfds, ran)) {
			checks_run(o->checks, o->nchecks, false, o->timeout_ms);
			memset(ran, true, sizeof(ran));
		}
		stop = watch_count(o->checks, o->nchecks, ran, o->retries, fails, &soon);
		if (stop) {
			checks_report(o->checks, o->nchecks, false, o->quiet);
			tell(o, "STOPPING=1");
			if (child) {
				int status = reap(child);

				/* COMMAND may have gone already, on its own: its status is the answer then. */
				if (status >= 0)
					return status;
				command_stop(o->command[0], child, sigfd, o->grace_ms);
			}
			return EXIT_UNHEALTHY;
		}
		say_changes(o, ran, fails, since, unsure);
		pause = soon && WATCH_RETRY_MS < o->interval_ms ? WATCH_RETRY_MS : o->interval_ms;
	}
}

int watch_notify_aim(const struct options *o, struct line *err)
{
	const char *why;

	if (!o->notify)
		return 0;
	notify_where = o->notify_fd < 0 ? getenv("NOTIFY_SOCKET") : NULL;
	why = notify_aim(&notify, notify_where, o->notify_fd);
	if (!why)
		return 0;
	line_reset(err);
	line_str(err, "healthy: --notify");
	if (o->notify_fd >= 0) {
		line_str(err, "=fd:");
		line_uint(err, (unsigned long long)o->notify_fd);
	}
	line_str(err, ": ");
	line_str(err, why);
	return EXIT_USAGE;
}

int watch_main(struct options *o)
{
	sigset_t stop;
	bool ready;
	int r;

	quiet = o->quiet;
	/*
	 * --wait takes SIGTERM and SIGINT in its sleeps. Blocked before the
	 * watchdog thread starts, as it inherits the mask: a signal must wait for
	 * the main thread, not kill the process from the other one.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (o->wait)
		sigprocmask(SIG_BLOCK, &stop, NULL);
	/*
	 * A wait that only waits is bounded like a check run: a /proc read the
	 * kernel holds up must not outlast it. Not with --watch, which may run for
	 * ever; COMMAND's exec ends the watchdog with the other threads.
	 */
	if (o->wait && !o->watch && o->wait_ms)
		confine_time(o->wait_ms + o->timeout_ms + WATCHDOG_SLACK_MS);
	if (o->wait) {
		r = wait_all(o, &stop);
		confine_answered();
		if (r)
			return r;
		ready = tell(o, "READY=1");
		/*
		 * Exiting now, healthy could be gone before systemd reads READY=1,
		 * and systemd (before 254) then cannot tell whose service it is: wait
		 * until it has, as systemd-notify does. With COMMAND the PID lives on.
		 */
		if (ready && !o->watch && !o->command)
			tell(o, "BARRIER=1");
	}
	if (o->watch)
		return watch_all(o);
	if (o->command) {
		command_exec(o->command);
		return exec_failed(o->command[0], errno);
	}
	return EXIT_HEALTHY;
}

int watch_pause(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (;;) {
		if (sigwait(&set, &sig))
			continue;
		if (sig != SIGCHLD)
			return EXIT_HEALTHY;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}
