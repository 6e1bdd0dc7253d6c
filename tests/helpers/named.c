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
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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
	fprintf(stderr, "named: unknown mode %s\n", mode);
	return 2;
}
