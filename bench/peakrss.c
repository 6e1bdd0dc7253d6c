/*
 * peakrss: the peak resident set size of a command, in KB.
 *
 *   peakrss OUTFILE CMD [ARG...]
 *
 * Runs CMD under ptrace, stops every process it starts as it exits, reads
 * VmHWM from its /proc/PID/status there, writes the largest into OUTFILE,
 * and exits with CMD's status. For a pipeline (sh -c 'ps | grep') that is
 * its largest process, as GNU time reports it.
 *
 * Why not GNU time -f %M or wait4's ru_maxrss: the kernel's maxrss keeps the
 * high-water mark of the memory the child had before exec (fs/exec.c,
 * exec_mmap calls setmax_mm_hiwater_rss on the old mm), which for time is a
 * copy of a dynamic glibc program: every command then seems to need about
 * 450 KB, the static ones too. And since Linux 6.2 the counters maxrss is
 * taken from are per-CPU and read approximately: a process of a few pages
 * reads 0. /proc/PID/status at the exit stop sums them.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static long hwm_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	long peak = -1, kb;
	int status, rc = -1;
	pid_t pid, p;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: peakrss OUTFILE CMD [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("peakrss: fork");
		return 1;
	}
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
		perror("peakrss: waitpid");
		return 1;
	}
	ptrace(PTRACE_SETOPTIONS, pid, NULL,
	       (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			      PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL));
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	/* Until every traced process is gone: ECHILD. */
	while ((p = waitpid(-1, &status, __WALL)) > 0) {
		int sig = 0;

		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (p == pid)
				rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			kb = hwm_kb(p);
			if (kb > peak)
				peak = kb;
		} else if (status >> 16 == 0 && WSTOPSIG(status) != SIGSTOP && WSTOPSIG(status) != SIGTRAP) {
			/* A signal for the tracee, not an event of ours: deliver it. */
			sig = WSTOPSIG(status);
		}
		ptrace(PTRACE_CONT, p, NULL, (void *)(long)sig);
	}
	f = fopen(argv[1], "w");
	if (!f || fprintf(f, "%ld\n", peak) < 0 || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	return rc < 0 ? 1 : rc;
}
