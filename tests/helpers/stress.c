/*
 * stress: many processes, for the stress tests.
 *
 *   stress churn [NAME | exec:PATH]... READYFILE
 *       Starts short-lived children for ever, as fast as it can (vfork): each
 *       exits at once, after taking the next NAME of the list with prctl(PR_SET_NAME),
 *       or after exec'ing PATH (a copy of this binary under the name a test
 *       wants: it runs as "stress exit"), or, for the first slot, as it is
 *       ("hly-churner", the parent's name). Up to 64 children are left
 *       unreaped for a moment, so some of each name are zombies. Writes its
 *       PID to READYFILE once the first thousand children are gone. On
 *       SIGTERM it stops, reaps, writes "forks=N seconds=S" to READYFILE.stats
 *       and exits 0.
 *
 *   stress crowd N NAME... READYFILE
 *       Starts N child processes that sleep; child i takes NAME[i % count]
 *       (prctl). They share its memory (clone(CLONE_VM)) and die with it
 *       (PR_SET_PDEATHSIG). Once all run, writes their PIDs,
 *       one a line, to READYFILE.pids, then the PID of the last child to
 *       READYFILE. On SIGTERM it kills and reaps them all, then exits.
 *
 *   stress exit
 *       Exits 0 at once (what exec:PATH runs).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void write_file(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || rename(tmp, path))
		die(path);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void handle_term(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
}

/* vfork: a child that only renames itself and exits costs ~50us, a fork ~1ms. Its own frame, so that
 * nothing of the caller's can be clobbered. */
static __attribute__((noinline)) pid_t spawn(const char *name, const char *path)
{
	char *args[] = { (char *)path, "exit", NULL };
	pid_t pid = vfork();

	if (pid == 0) {
		if (path) {
			execv(path, args);
			_exit(127);
		}
		if (name)
			prctl(PR_SET_NAME, name, 0, 0, 0);
		_exit(0);
	}
	return pid;
}

static int churn(const char *ready, int nkinds, char **kinds)
{
	char buf[128], path[4096];
	long forks = 0;
	int pending = 0, was_ready = 0;
	double t0 = now();

	handle_term();
	if (prctl(PR_SET_NAME, "hly-churner", 0, 0, 0))
		die("prctl");
	while (!stop) {
		/* Slot 0 keeps the parent's name; slot i > 0 takes kinds[i - 1]. */
		int slot = (int)(forks % (nkinds + 1));
		const char *k = slot ? kinds[slot - 1] : NULL;
		const char *path = k && !strncmp(k, "exec:", 5) ? k + 5 : NULL;
		pid_t pid = spawn(k, path);

		if (pid < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				if (pending && wait(NULL) > 0)
					pending--;
				continue;
			}
			die("vfork");
		}
		forks++;
		pending++;
		while (pending > 0 && waitpid(-1, NULL, WNOHANG) > 0)
			pending--;
		while (pending >= 64 && wait(NULL) > 0)
			pending--;
		if (!was_ready && forks >= 1000) {
			snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
			write_file(ready, buf);
			was_ready = 1;
		}
	}
	while (wait(NULL) > 0)
		;
	snprintf(path, sizeof(path), "%s.stats", ready);
	snprintf(buf, sizeof(buf), "forks=%ld seconds=%.1f\n", forks, now() - t0);
	write_file(path, buf);
	return 0;
}

#define CROWD_STACK (32 << 10)

struct crowd_child {
	const char *name;
	pid_t parent;
};

/* A crowd member: its name, death with the parent, then sleep. Only system calls: it shares memory. */
static int crowd_member(void *arg)
{
	const struct crowd_child *c = arg;

	if (syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || syscall(SYS_getppid) != c->parent)
		syscall(SYS_exit, 1);
	syscall(SYS_prctl, PR_SET_NAME, c->name, 0, 0, 0);
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static int crowd(long n, const char *ready, int nnames, char **names)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	struct crowd_child *kids = calloc((size_t)n, sizeof(*kids));
	char path[4096], buf[32], *stacks;
	sigset_t set, old;
	FILE *f;
	long i;

	if (!pids || !kids || n < 1)
		die("crowd");
	/*
	 * Each member is a process of its own (a thread group with its PID, comm and
	 * /proc entry) sharing this one's memory, as vfork's child does: a fork
	 * costs ~1-4ms here and copies page tables, which 30,000 of would take
	 * minutes and gigabytes. /proc shows them as any process.
	 */
	stacks = mmap(NULL, (size_t)n * CROWD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		      -1, 0);
	if (stacks == MAP_FAILED)
		die("mmap");
	if (prctl(PR_SET_NAME, "hly-crowd-paren", 0, 0, 0))
		die("prctl");
	/* SIGTERM waits until every child is started: then it can kill them all. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	handle_term();
	for (i = 0; i < n; i++) {
		kids[i].name = names[i % nnames];
		kids[i].parent = getpid();
		pids[i] = clone(crowd_member, stacks + (size_t)(i + 1) * CROWD_STACK, CLONE_VM | SIGCHLD, &kids[i]);
		if (pids[i] < 0)
			die("clone");
	}
	/* Until all have their names: /proc shows the parent's until then. */
	for (i = 0; i < n; i++) {
		char comm[32];
		ssize_t len;
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pids[i]);
		for (;;) {
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				die(path);
			len = read(fd, comm, sizeof(comm) - 1);
			close(fd);
			if (len > 0 && (comm[len - 1] = '\0', !strcmp(comm, kids[i].name)))
				break;
			usleep(1000);
		}
	}
	snprintf(path, sizeof(path), "%s.pids", ready);
	f = fopen(path, "w");
	if (!f)
		die(path);
	for (i = 0; i < n; i++)
		fprintf(f, "%d\n", (int)pids[i]);
	if (fclose(f))
		die(path);
	snprintf(buf, sizeof(buf), "%d\n", (int)pids[n - 1]);
	write_file(ready, buf);
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (!stop)
		pause();
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "exit"))
		return 0;
	if (argc >= 3 && !strcmp(argv[1], "churn"))
		return churn(argv[argc - 1], argc - 3, argv + 2);
	if (argc >= 5 && !strcmp(argv[1], "crowd"))
		return crowd(atol(argv[2]), argv[argc - 1], argc - 4, argv + 3);
	fprintf(stderr, "usage: stress churn [NAME | exec:PATH]... READYFILE\n"
			"       stress crowd N NAME... READYFILE\n"
			"       stress exit\n");
	return 2;
}
