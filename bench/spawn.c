/*
 * spawn: N sleeping processes for the process-check scenarios.
 *
 *   spawn N READYFILE
 *
 * Forks N children named "bench-sleeper" that pause() until killed, then
 * writes the number it could start into READYFILE (fewer than N when fork
 * fails: pid_max, threads-max or a pids cgroup; the reason goes to stderr).
 * SIGTERM kills every child by PID, reaps them all, and exits 0. Each child
 * also asks for SIGKILL when spawn dies, so a SIGKILLed spawn leaves none.
 *
 * Fork without exec, from a small static binary: a child costs a kernel
 * stack and a few page tables, so 10,000 of them fit anywhere.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t *kids;
static long nkids;

static void stop(int sig)
{
	long i;

	(void)sig;
	for (i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

int main(int argc, char **argv)
{
	char *end, tmp[4096];
	long n, i;
	pid_t parent = getpid();
	sigset_t block, old;
	FILE *f;

	if (argc != 3 || (n = strtol(argv[1], &end, 10)) < 0 || *end || n > 1000000) {
		fprintf(stderr, "usage: spawn N READYFILE\n");
		return 2;
	}
	kids = calloc((size_t)n + 1, sizeof(*kids));
	if (!kids) {
		perror("spawn: calloc");
		return 1;
	}
	prctl(PR_SET_NAME, "bench-sleeper", 0, 0, 0);
	/* SIGTERM waits until the list of children is complete. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGTERM, stop);
	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0) {
			fprintf(stderr, "spawn: fork after %ld children: %s\n", i, strerror(errno));
			break;
		}
		if (p == 0) {
			signal(SIGTERM, SIG_DFL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			/* Gone with spawn; the check closes the race with a spawn that died before prctl. */
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			if (getppid() != parent)
				_exit(0);
			for (;;)
				pause();
		}
		kids[nkids++] = p;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%ld\n", nkids) < 0 || fclose(f) || rename(tmp, argv[2])) {
		perror(argv[2]);
		stop(0);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (;;)
		pause();
}
