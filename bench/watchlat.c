/*
 * watchlat: how long a watcher takes to notice that the process it watches died.
 *
 *   watchlat RUNS JITTER_MS CMD [ARG...]
 *
 * RUNS times: starts a process named "bench-watched" under a parent of its
 * own that reaps it at once (as a supervisor would: a zombie left around
 * would still pass "kill -0"), starts CMD with every "%p" in its arguments
 * replaced by that process's PID, waits until CMD has exec'd and sleeps
 * (then 50 ms more, for its first check, and a random 0 to JITTER_MS more),
 * SIGKILLs the watched process and times how long CMD takes to exit. The
 * jitter puts the death at a random phase of a polling watcher's interval,
 * as in life: without it a watcher polling every second would always be
 * measured about 950 ms late. One line per run on stdout:
 * "MICROSECONDS EXITSTATUS". A CMD still running 10 s after the kill is
 * killed and reported with status "timeout".
 *
 * Blocking waitpid() wakes up as CMD exits, so the time is the kill-to-exit
 * latency plus a context switch, not a polling period of ours.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 64

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Starts the watched process under a reaper; returns its PID. */
static pid_t start_watched(pid_t *reaper)
{
	int p[2];
	pid_t t;

	if (pipe(p))
		die("pipe");
	*reaper = fork();
	if (*reaper < 0)
		die("fork");
	if (*reaper == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		t = fork();
		if (t == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			prctl(PR_SET_NAME, "bench-watched", 0, 0, 0);
			t = getpid();
			if (write(p[1], &t, sizeof(t)) != sizeof(t))
				_exit(1);
			for (;;)
				pause();
		}
		close(p[1]);
		waitpid(t, NULL, 0);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &t, sizeof(t)) != sizeof(t)) {
		fprintf(stderr, "watchlat: the watched process did not start\n");
		exit(1);
	}
	close(p[0]);
	return t;
}

/* 1 once W has exec'd (its comm is no longer ours) and sleeps. */
static int settled(pid_t w)
{
	char path[64], buf[512], *rp;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)w);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	return rp && !strstr(buf, "(watchlat)") && rp[1] == ' ' && rp[2] == 'S';
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char *args[MAX_ARGS + 1], subst[MAX_ARGS][256];
	int runs, jitter, r, i, status;

	if (argc < 4 || (runs = atoi(argv[1])) < 1 || (jitter = atoi(argv[2])) < 0 || argc - 3 > MAX_ARGS) {
		fprintf(stderr, "usage: watchlat RUNS JITTER_MS CMD [ARG...]\n");
		return 2;
	}
	srand((unsigned)getpid() ^ (unsigned)now_us());
	argc--;
	argv++;
	/* No SA_RESTART: the alarm interrupts waitpid. */
	sigaction(SIGALRM, &sa, NULL);
	for (r = 0; r < runs; r++) {
		pid_t reaper, t = start_watched(&reaper), w;
		double t0, t1;
		int ok = 0, timed_out = 0;

		for (i = 0; i < argc - 2; i++) {
			const char *a = argv[i + 2], *pp = strstr(a, "%p");

			if (pp)
				snprintf(subst[i], sizeof(subst[i]), "%.*s%d%s", (int)(pp - a), a, (int)t, pp + 2);
			args[i] = pp ? subst[i] : argv[i + 2];
		}
		args[argc - 2] = NULL;
		w = fork();
		if (w < 0)
			die("fork");
		if (w == 0) {
			execvp(args[0], args);
			perror(args[0]);
			_exit(127);
		}
		for (i = 0; i < 5000 && !ok; i++) {
			ok = settled(w);
			if (!ok)
				sleep_ms(1);
		}
		sleep_ms(50 + (jitter ? rand() % (jitter + 1) : 0));
		if (!ok || waitpid(w, &status, WNOHANG) != 0) {
			fprintf(stderr, "watchlat: %s exited or never settled before the kill\n", args[0]);
			kill(w, SIGKILL);
			kill(reaper, SIGKILL);
			waitpid(w, NULL, 0);
			waitpid(reaper, NULL, 0);
			return 1;
		}
		t0 = now_us();
		kill(t, SIGKILL);
		alarm(10);
		while (waitpid(w, &status, 0) < 0) {
			if (errno != EINTR)
				die("waitpid");
			kill(w, SIGKILL);
			timed_out = 1;
		}
		t1 = now_us();
		alarm(0);
		waitpid(reaper, NULL, 0);
		if (timed_out)
			printf("%.0f timeout\n", t1 - t0);
		else
			printf("%.0f %d\n", t1 - t0, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		fflush(stdout);
		sleep_ms(20);
	}
	return 0;
}
