/*
 * hostile: processes that fight the reader of /proc, then wait to be killed.
 *
 *   hostile MODE ARGS... READYFILE
 *
 * The PID the mode is about goes into READYFILE once it is in place.
 *
 *   sleep [ANY...]                  idles; ignores its arguments (a command line of any size)
 *   bigexec PATH MIB                re-execs PATH (a copy of this binary) as "PATH sleep ..." with MIB
 *                                   MiB of arguments (RLIMIT_STACK raised first: the kernel allows a
 *                                   quarter of it), so the same PID then has a command line that big
 *   bigargv0 PATH LEN               re-execs PATH with an argv[0] of LEN bytes: "/xxx.../" and
 *                                   PATH's base name
 *   rename NAME1 NAME2              renames itself NAME1, NAME2, NAME1 ... in a tight loop
 *   threads PROC THREAD N           named PROC, with N threads named THREAD
 *   thread-rename PROC NAME1 NAME2  named PROC; one thread renames itself NAME1, NAME2 ... in a loop
 *   leader-exit PROC THREAD         named PROC; its main thread exits, one thread named THREAD runs on
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static const char *ready_path;
static const char *names[2];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void set_name(const char *name)
{
	if (prctl(PR_SET_NAME, name, 0, 0, 0))
		die("prctl");
}

static void ready(pid_t pid)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ready_path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f) || rename(tmp, ready_path))
		die(ready_path);
}

static void *idle(void *unused)
{
	(void)unused;
	for (;;)
		pause();
	return NULL;
}

static void *renamer(void *unused)
{
	unsigned long i;

	(void)unused;
	for (i = 0;; i++)
		prctl(PR_SET_NAME, names[i & 1], 0, 0, 0);
	return NULL;
}

static int nnamed;

static void *named_idle(void *name)
{
	set_name(name);
	__atomic_add_fetch(&nnamed, 1, __ATOMIC_SEQ_CST);
	return idle(NULL);
}

/* Raises RLIMIT_STACK so that execve() takes BYTES of arguments (it allows a quarter of the limit). */
static void stack_for_args(size_t bytes)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_STACK, &rl))
		die("getrlimit");
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 4 * bytes + (8 << 20)) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 4 * bytes + (8 << 20) ? 4 * bytes + (8 << 20)
												  : rl.rlim_max;
		if (setrlimit(RLIMIT_STACK, &rl))
			die("setrlimit");
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	pthread_t t;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: hostile MODE ARGS... READYFILE\n");
		return 2;
	}
	ready_path = argv[argc - 1];
	if (!strcmp(mode, "sleep")) {
		ready(getpid());
		idle(NULL);
	}
	if (!strcmp(mode, "bigexec") && argc == 5) {
		/* 128 KiB - 1 per argument: MAX_ARG_STRLEN is 32 pages. */
		size_t arg_len = 128 * 1024 - 1, mib = (size_t)atol(argv[3]);
		size_t nargs = mib * 1024 * 1024 / (arg_len + 1) + 1, k;
		char **args = calloc(nargs + 4, sizeof(*args)), *big = malloc(arg_len + 1);

		if (!args || !big)
			die("malloc");
		memset(big, 'a', arg_len);
		big[arg_len] = '\0';
		args[0] = argv[2];
		args[1] = "sleep";
		for (k = 0; k < nargs; k++)
			args[2 + k] = big;
		args[2 + nargs] = (char *)ready_path;
		stack_for_args(nargs * (arg_len + 1) + 4096);
		execv(argv[2], args);
		die("execv");
	}
	if (!strcmp(mode, "bigargv0") && argc == 5) {
		const char *base = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
		size_t len = (size_t)atol(argv[3]), blen = strlen(base);
		char *a0 = malloc(len + 1);
		char *args[] = { a0, "sleep", (char *)ready_path, NULL };

		if (!a0 || len < blen + 3)
			die("bigargv0 LEN");
		/* "/xxx...x/BASE", LEN bytes in all. */
		a0[0] = '/';
		memset(a0 + 1, 'x', len - blen - 2);
		a0[len - blen - 1] = '/';
		strcpy(a0 + len - blen, base);
		stack_for_args(len + 8192);
		execv(argv[2], args);
		die("execv");
	}
	if (!strcmp(mode, "rename") && argc == 5) {
		names[0] = argv[2];
		names[1] = argv[3];
		set_name(names[0]);
		ready(getpid());
		renamer(NULL);
	}
	if (!strcmp(mode, "threads") && argc == 6) {
		int n = atoi(argv[4]);

		set_name(argv[2]);
		for (i = 0; i < n; i++) {
			if (pthread_create(&t, NULL, named_idle, argv[3]))
				die("pthread_create");
		}
		/* Ready once every thread has taken its name. */
		while (__atomic_load_n(&nnamed, __ATOMIC_SEQ_CST) < n)
			usleep(1000);
		ready(getpid());
		idle(NULL);
	}
	if (!strcmp(mode, "thread-rename") && argc == 6) {
		set_name(argv[2]);
		names[0] = argv[3];
		names[1] = argv[4];
		if (pthread_create(&t, NULL, renamer, NULL))
			die("pthread_create");
		ready(getpid());
		idle(NULL);
	}
	if (!strcmp(mode, "leader-exit") && argc == 5) {
		set_name(argv[2]);
		if (pthread_create(&t, NULL, named_idle, argv[3]))
			die("pthread_create");
		while (!__atomic_load_n(&nnamed, __ATOMIC_SEQ_CST))
			usleep(1000);
		ready(getpid());
		pthread_exit(NULL);
	}
	fprintf(stderr, "hostile: unknown mode or wrong arguments: %s\n", mode);
	return 2;
}
