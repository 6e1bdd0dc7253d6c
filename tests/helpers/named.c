/*
 * named: a process that looks the way a test needs, then waits to be killed.
 *
 *   named MODE NAME READYFILE
 *
 * NAME goes into comm with prctl(PR_SET_NAME) (any bytes, cut at 15), unless
 * it is "-", which keeps the name exec gave. When the process is as asked,
 * its PID (or the PID of the process the mode is about) goes into READYFILE.
 *
 *   sleep        this process, named NAME
 *   zombie       a child named NAME that exited and is never reaped
 *   traced       a child named NAME stopped under ptrace (state t)
 *   threads      three threads named NAME in a process named "hly-tparent"
 *   leader-exit  NAME, whose main thread exited while another runs ("Zl")
 *   leader-exit-traced
 *                a child NAME, whose main thread exited; of its two other
 *                threads one runs and one is held in a ptrace stop (t) by
 *                this helper
 *   leader-exit-dead
 *                a child NAME, whose main thread exited, and whose only other
 *                thread exited traced by this helper, which never reaps it:
 *                every thread is dead, yet Threads still counts 2
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *ready_path;

static void set_name(const char *name)
{
	if (strcmp(name, "-") && prctl(PR_SET_NAME, name, 0, 0, 0)) {
		perror("prctl");
		exit(1);
	}
}

static void ready(pid_t pid)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ready_path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f) || rename(tmp, ready_path)) {
		perror(ready_path);
		exit(1);
	}
}

static void *idle(void *unused)
{
	(void)unused;
	for (;;)
		pause();
	return NULL;
}

static volatile pid_t held_tid;
static int go[2];

/* The thread the tracer takes: it tells its TID, then (for "dead") exits when told to. */
static void *held(void *unused)
{
	char c;

	(void)unused;
	held_tid = (pid_t)syscall(SYS_gettid);
	if (read(go[0], &c, 1) == 1)
		syscall(SYS_exit, 0);   /* this thread only */
	return idle(NULL);
}

/* Waits until /proc/PID[/task/TID]/stat shows state want. */
static void wait_state(pid_t pid, pid_t tid, char want)
{
	char path[64], buf[512], *p;
	int i;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == want)
			return;
		usleep(10000);
	}
	fprintf(stderr, "named: %s never reached state %c\n", path, want);
	exit(1);
}

/*
 * The helper itself is the tracer, and the parent of the process it is
 * about: killing the helper (the test's cleanup does) releases the held
 * thread, and the process, reparented, goes with its own SIGKILL.
 */
static void leader_exit_traced(const char *name, bool dead)
{
	pthread_t t;
	pid_t subject, tid;
	int tids[2];

	if (pipe(go) || pipe(tids))
		exit(1);
	subject = fork();
	if (subject == 0) {
		set_name(name);
		/* The held thread first: /proc lists it before the running one, which a lazy reader stops at. */
		pthread_create(&t, NULL, held, NULL);
		while (!held_tid)
			usleep(1000);
		if (!dead)
			pthread_create(&t, NULL, idle, NULL);
		if (write(tids[1], (pid_t *)&held_tid, sizeof(pid_t)) != sizeof(pid_t))
			exit(1);
		pthread_exit(NULL);
	}
	set_name("hly-tracer");
	if (read(tids[0], &tid, sizeof(tid)) != sizeof(tid))
		exit(1);
	/* SEIZE, then INTERRUPT: that one thread stops, not the group as SIGSTOP would. */
	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL)) {
		perror("PTRACE_SEIZE");
		exit(1);
	}
	wait_state(subject, 0, 'Z');
	if (dead) {
		/* The thread exits; its tracer never waits for it, so it stays a zombie. */
		if (write(go[1], "x", 1) != 1)
			exit(1);
		wait_state(subject, tid, 'Z');
	} else {
		if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) || waitpid(tid, NULL, __WALL) != tid) {
			perror("PTRACE_INTERRUPT");
			exit(1);
		}
		wait_state(subject, tid, 't');
	}
	ready(subject);
	idle(NULL);
}

int main(int argc, char **argv)
{
	const char *mode, *name;
	pthread_t t;
	pid_t child;
	siginfo_t si;
	int i;

	if (argc != 4) {
		fprintf(stderr, "usage: named MODE NAME READYFILE\n");
		return 2;
	}
	mode = argv[1];
	name = argv[2];
	ready_path = argv[3];
	if (!strcmp(mode, "sleep")) {
		set_name(name);
		ready(getpid());
		idle(NULL);
	}
	if (!strcmp(mode, "zombie")) {
		set_name("hly-zparent");
		child = fork();
		if (child == 0) {
			set_name(name);
			_exit(0);
		}
		/* WNOWAIT: wait until it is a zombie, and leave it one. */
		waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT);
		ready(child);
		idle(NULL);
	}
	if (!strcmp(mode, "traced")) {
		set_name("hly-tracer");
		child = fork();
		if (child == 0) {
			set_name(name);
			ptrace(PTRACE_TRACEME, 0, NULL, NULL);
			raise(SIGSTOP);
			_exit(0);
		}
		waitid(P_PID, (id_t)child, &si, WSTOPPED | WNOWAIT);
		ready(child);
		idle(NULL);
	}
	if (!strcmp(mode, "threads")) {
		set_name("hly-tparent");
		for (i = 0; i < 3; i++) {
			pthread_create(&t, NULL, idle, NULL);
			pthread_setname_np(t, name);
		}
		ready(getpid());
		idle(NULL);
	}
	if (!strcmp(mode, "leader-exit")) {
		set_name(name);
		pthread_create(&t, NULL, idle, NULL);
		ready(getpid());
		pthread_exit(NULL);
	}
	if (!strcmp(mode, "leader-exit-traced") || !strcmp(mode, "leader-exit-dead"))
		leader_exit_traced(name, !strcmp(mode, "leader-exit-dead"));
	fprintf(stderr, "named: unknown mode %s\n", mode);
	return 2;
}
