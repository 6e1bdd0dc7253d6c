/*
 * oracle: healthy's proc: counts against procps' libproc2, a second and
 * independent reader of /proc, on whatever runs on this machine.
 *
 *   oracle [-v] [-s NAME]... HEALTHY
 *
 * For every process name (and every thread name, every long argv[0],
 * healthy's own name, and a few names nothing has) it counts the live
 * processes the way healthy must, then runs HEALTHY proc:NAME,min=K,max=K
 * (want 0) and proc:NAME,min=K+1 (want 1); for K = 0 also proc:NAME
 * (want 1) and proc:NAME,max=0 (want 0).
 *
 * Processes come and go meanwhile (kernel workers rename themselves with
 * each work item; another user's process stops, is traced, exits), so a
 * name that disagrees is tried again on a fresh snapshot, up to RETRIES
 * times. Each try reads the name's processes (pid, start time, and
 * whether it runs) before healthy runs, and again after. The names given
 * with -s are the test's own processes, which hold still: a disagreement
 * that outlasts the tries fails. Any other name fails only if its
 * processes were the same in every one of those reads; if they changed,
 * healthy and libproc2 may each have seen another moment, and the name is
 * skipped, with a line.
 *
 * Every fact comes from libproc2 but one: the states of the other threads
 * of a zombie leader, which it reads from /proc/PID/task itself.
 * It prints one line per disagreement or skip, names in key form (below:
 * '?' is a byte libproc2 shows as '.' or '?'), and ends with the line
 * "oracle: N passed, M failed, S skipped" that CI reads (checks passed and
 * failed, names skipped); exit 0 only when M is 0 and N is not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/pids.h>

/* TASK_COMM_LEN - 1: the kernel keeps this much of an exec'd name; only kernel workers have longer. */
#define COMM_TRUNCATED_LEN 15
/* healthy takes a NAME of at most 255 bytes. */
#define NAME_MAX_LEN 255
#define RETRIES 5
#define RETRY_PAUSE_MS 20
#define RUN_TIMEOUT_MS 10000
/* A thread's /proc stat, as healthy reads it: 2 KiB. */
#define STAT_SIZE 2048
#define MAX_STRICT 256
#define STDERR_KEEP 1024
#define SPEC_SIZE 2048
#define EVIDENCE_SIZE 512
#define EVIDENCE_PIDS 8
#define MAX_ANCESTORS 4096
#define MAX_CHECKS_PER_NAME 4

/*
 * Names are compared in "key" form. Without setlocale() the oracle runs in
 * the C locale, where libproc2 hands out comm with every byte below 0x20
 * and 0x7f turned into '.', and every byte from 0x80 into '?' (readproc.c
 * passes it through escape_str(); seen so with procps 4.0.2). So a '.' or
 * '?' from libproc2 may have been any of several bytes: the key turns all
 * of them into KEY_ANY, and healthy gets a bracket class of exactly those
 * bytes. The argv[0] libproc2 gives is raw; it goes through the same map.
 */
#define KEY_ANY '?'
static const char class_any[] = { '[', '.', '?', 0x01, '-', 0x1f, 0x7f, '-', (char)0xff, ']', '\0' };

/* The order of the items: PIDS_VAL takes the index. */
enum item_index { I_TGID, I_PPID, I_CMD, I_STATE, I_NLWP, I_ARGV, I_START, I_FLAGS };
static enum pids_item items[] = {
	PIDS_ID_TGID, PIDS_ID_PPID, PIDS_CMD, PIDS_STATE, PIDS_NLWP, PIDS_CMDLINE_V, PIDS_TICS_BEGAN, PIDS_FLAGS,
};
/* include/linux/sched.h: a kernel thread. */
#define PF_KTHREAD 0x00200000

struct task {
	pid_t pid;
	pid_t ppid;
	char state;
	int nlwp;
	unsigned long long start; /* start time in ticks: with pid, which process this is */
	bool live;      /* running, by healthy's rule */
	char *key;      /* comm, key form */
	char *base_key; /* basename of argv[0], key form */
	char *whole_key; /* a 15-byte comm: the whole name it may be cut from, key form; NULL if unknown */
};

/*
 * A name's processes in one snapshot, to tell whether they changed between
 * two reads: which processes (pid and start time) and whether each runs.
 * Not the state letter itself: a busy process goes from R to S and back all
 * the time, and that changes no count.
 */
struct sighting {
	size_t n;
	struct {
		pid_t pid;
		unsigned long long start;
		bool live;
	} v[EVIDENCE_PIDS * 4];
};

struct snap {
	struct task *tasks;
	size_t n;
	pid_t ancestors[MAX_ANCESTORS];
	size_t nancestors;
};

struct names {
	char **v;
	size_t n, cap;
};

struct check_run {
	char spec[SPEC_SIZE];
	int want;
	int got;
	char err[STDERR_KEEP];
	size_t err_len;
};

struct tally {
	unsigned long passed;
	unsigned long failed;
	unsigned long skipped;  /* names */
};

static struct pids_info *info;
static const char *healthy;
static bool verbose;            /* -v: a line for every name, agreeing or not */
static char *strict[MAX_STRICT]; /* -s: the test's own names, key form */
static size_t nstrict;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "oracle: allocate: %s\n", strerror(errno));
		exit(2);
	}
	return p;
}

static bool byte_ambiguous(unsigned char c)
{
	return c == '.' || c == '?' || c < 0x20 || c >= 0x7f;
}

static char *key_of(const char *s)
{
	size_t n = strlen(s), i;
	char *k = xrealloc(NULL, n + 1);

	for (i = 0; i < n; i++)
		k[i] = byte_ambiguous((unsigned char)s[i]) ? KEY_ANY : s[i];
	k[n] = '\0';
	return k;
}

/* Prints bytes for a human: printable ASCII as is, the rest as \xNN. */
static void put_escaped(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '"')
			fputs("\\\"", f);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else if (c == '\n')
			fputs("\\n", f);
		else
			fprintf(f, "\\x%02x", c);
	}
}

static void snap_free(struct snap *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->tasks[i].key);
		free(s->tasks[i].base_key);
		free(s->tasks[i].whole_key);
	}
	free(s->tasks);
	s->tasks = NULL;
	s->n = 0;
	s->nancestors = 0;
}

static const struct task *snap_find(const struct snap *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->tasks[i].pid == pid)
			return &s->tasks[i];
	}
	return NULL;
}

static const char *argv0_base(char **argv)
{
	const char *a, *slash;

	if (!argv || !argv[0])
		return "";
	a = argv[0];
	slash = strrchr(a, '/');
	return slash ? slash + 1 : a;
}

static bool state_runs(char state)
{
	return state && !strchr("ZXxTt", state);
}

/*
 * Does one of a zombie leader's other threads run? libproc2 gives the
 * leader's state only; each thread's is the field after the last ')' of
 * /proc/PID/task/TID/stat (fs/proc/array.c, do_task_stat): comm before it
 * may hold ") ". A thread gone meanwhile does not run.
 */
static bool other_thread_runs(pid_t pid)
{
	static char buf[STAT_SIZE];
	char path[64];
	struct dirent *e;
	bool runs = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return false;
	while (!runs && (e = readdir(d))) {
		char *end, *paren;
		long tid = strtol(e->d_name, &end, 10);
		ssize_t n;
		int fd;

		if (*end || tid <= 0 || tid == pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%ld/stat", (int)pid, tid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		paren = strrchr(buf, ')');
		runs = paren && paren[1] == ' ' && state_runs(paren[2]);
	}
	closedir(d);
	return runs;
}

/* The base name of the n-th NUL-separated argument of buf[0..len), or "" (too long for a name: NULL). */
static const char *nth_base(const char *buf, size_t len, int nth, size_t *blen)
{
	const char *p = buf, *end = buf + len, *arg_end, *slash;

	while (nth-- > 0) {
		p = memchr(p, '\0', (size_t)(end - p));
		if (!p)
			return "";
		p++;
	}
	arg_end = memchr(p, '\0', (size_t)(end - p));
	if (!arg_end)
		arg_end = end;
	for (slash = arg_end; slash > p && slash[-1] != '/'; slash--)
		;
	*blen = (size_t)(arg_end - slash);
	return *blen > NAME_MAX_LEN ? NULL : slash;
}

/*
 * The whole name a 15-byte comm may be cut from, healthy's rule written
 * again from its description: the first of the base names of argv[0],
 * argv[1], argv[2] and the executable (without " (deleted)") that starts with comm;
 * comm itself where none does but the executable could be read; unknown
 * (NULL) where it could not. A zombie leader's are read from a thread that
 * still has them. Key form. libproc2 shows no exe: read here.
 */
static char *whole_name(pid_t pid, const char *comm_key)
{
	static char cmd[1 << 17], exe[4096], name[NAME_MAX_LEN + 1];
	char path[320];
	size_t clen = strlen(comm_key), blen = 0;
	ssize_t n, e;
	struct dirent *d;
	DIR *task = NULL;
	int fd, k;

	/* The process itself, then (a zombie leader) each of its other threads, until one shows something. */
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	for (;;) {
		char file[352];

		snprintf(file, sizeof(file), "%s/cmdline", path);
		fd = open(file, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, cmd, sizeof(cmd));
		if (fd >= 0)
			close(fd);
		snprintf(file, sizeof(file), "%s/exe", path);
		e = readlink(file, exe, sizeof(exe) - 1);
		if (n > 0 || e > 0)
			break;
		if (!task) {
			snprintf(file, sizeof(file), "/proc/%d/task", (int)pid);
			task = opendir(file);
		}
		do
			d = task ? readdir(task) : NULL;
		while (d && (d->d_name[0] < '1' || d->d_name[0] > '9' || atoi(d->d_name) == pid));
		if (!d)
			break;
		snprintf(path, sizeof(path), "/proc/%d/task/%s", (int)pid, d->d_name);
	}
	if (task)
		closedir(task);
	for (k = 0; k < 3 && n > 0; k++) {
		const char *b = nth_base(cmd, (size_t)n, k, &blen);
		char *key;

		if (!b || blen < clen)
			continue;
		memcpy(name, b, blen);
		name[blen] = '\0';
		key = key_of(name);
		if (!strncmp(key, comm_key, clen))
			return key;
		free(key);
	}
	if (e > 0) {
		const char *b = exe;
		char *key;

		exe[e] = '\0';
		if (e > 10 && !strcmp(exe + e - 10, " (deleted)"))
			exe[e - 10] = '\0';
		if (strrchr(exe, '/'))
			b = strrchr(exe, '/') + 1;
		key = key_of(b);
		if (strlen(key) <= NAME_MAX_LEN && !strncmp(key, comm_key, clen))
			return key;
		free(key);
		return key_of(comm_key);        /* it named itself */
	}
	return NULL;
}

/*
 * Live, as healthy counts it: not zombie, dead, stopped or traced. A zombie
 * leader with other threads ("Zl") is live only while one of those threads
 * runs; when all are stopped, traced or dead, it is not. healthy has its own
 * copy of this rule; this one is kept apart on purpose.
 */
static bool task_live(pid_t pid, char state, int nlwp)
{
	if (state == 'Z')
		return nlwp > 1 && other_thread_runs(pid);
	return state_runs(state);
}

/*
 * Takes every process (thread group) libproc2 sees, and the chain of this
 * process's ancestors. Returns 0, or -1 with errno.
 */
static int snap_take(struct snap *s)
{
	struct pids_fetch *f;
	pid_t p;
	int i;

	snap_free(s);
	f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!f)
		return -1;
	s->tasks = xrealloc(NULL, sizeof(*s->tasks) * (size_t)f->counts->total);
	for (i = 0; i < f->counts->total; i++) {
		struct pids_stack *st = f->stacks[i];
		struct task *t = &s->tasks[s->n++];

		t->pid = PIDS_VAL(I_TGID, s_int, st, info);
		t->ppid = PIDS_VAL(I_PPID, s_int, st, info);
		t->state = (char)PIDS_VAL(I_STATE, s_ch, st, info);
		t->nlwp = PIDS_VAL(I_NLWP, s_int, st, info);
		t->start = PIDS_VAL(I_START, ull_int, st, info);
		t->live = task_live(t->pid, t->state, t->nlwp);
		t->key = key_of(PIDS_VAL(I_CMD, str, st, info));
		t->base_key = key_of(argv0_base(PIDS_VAL(I_ARGV, strv, st, info)));
		/* A kernel thread keeps its comm as its name; a 15-byte comm of any other may be cut. */
		t->whole_key = strlen(t->key) != COMM_TRUNCATED_LEN || (PIDS_VAL(I_FLAGS, ul_int, st, info) & PF_KTHREAD)
				       ? key_of(t->key) : whole_name(t->pid, t->key);
	}
	/*
	 * healthy runs as our child: its ancestors are this process and ours,
	 * up to but not including PID 1, which it never leaves out.
	 */
	s->ancestors[s->nancestors++] = getpid();
	for (p = getppid(); p > 1 && s->nancestors < MAX_ANCESTORS;) {
		const struct task *t = snap_find(s, p);

		s->ancestors[s->nancestors++] = p;
		if (!t)
			break;
		p = t->ppid;
	}
	return 0;
}

static bool snap_excluded(const struct snap *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->nancestors; i++) {
		if (s->ancestors[i] == pid)
			return true;
	}
	return false;
}

/*
 * Does the process carry this name? Its whole name is it: comm, or for a
 * 15-byte comm the name it may be cut from (whole_name()). Both sides are
 * keys, so a hostile argv[0] that differs from comm only in bytes libproc2
 * cannot show would pass here where healthy refuses it.
 */
static bool task_named(const struct task *t, const char *key)
{
	return t->whole_key && !strcmp(t->whole_key, key);
}

/* A 15-byte comm that key starts with, whose whole name this user cannot see: healthy may say 3. */
static bool task_unsure(const struct task *t, const char *key)
{
	return !t->whole_key && t->live && !strncmp(t->key, key, COMM_TRUNCATED_LEN);
}

static void evidence_add(char *buf, size_t size, unsigned *shown, const char *sep, const struct task *t,
			 const char *note)
{
	size_t len = strlen(buf);

	if (++*shown > EVIDENCE_PIDS) {
		if (*shown == EVIDENCE_PIDS + 1 && len + 6 < size)
			strcat(buf, ", ...");
		return;
	}
	snprintf(buf + len, size - len, "%s%d %c%s", *shown == 1 ? sep : ", ", (int)t->pid, t->state, note);
}

/* Counts the live processes named key, leaving out the excluded ones; says which in evidence. */
static unsigned snap_count(const struct snap *s, const char *key, char *evidence, size_t size)
{
	unsigned live = 0, shown_live = 0, shown_other = 0;
	char other[EVIDENCE_SIZE] = "";
	size_t i;

	evidence[0] = '\0';
	for (i = 0; i < s->n; i++) {
		const struct task *t = &s->tasks[i];

		if (!task_named(t, key))
			continue;
		if (snap_excluded(s, t->pid)) {
			evidence_add(other, sizeof(other), &shown_other, "; not counted: ", t, " (ancestor)");
		} else if (t->live) {
			live++;
			evidence_add(evidence, size, &shown_live, "pids ", t, t->nlwp > 1 ? " (threads)" : "");
		} else {
			evidence_add(other, sizeof(other), &shown_other, "; not counted: ", t,
				     t->nlwp > 1 ? " (threads)" : "");
		}
	}
	if (!live)
		snprintf(evidence, size, "none live");
	strncat(evidence, other, size - strlen(evidence) - 1);
	return live;
}

/* NAME for healthy: a literal, or a glob whose every special byte is bracketed. */
static int pattern_of(const char *key, char *out, size_t size)
{
	bool glob = strpbrk(key, "*?[") != NULL;
	size_t len = 0;
	const char *p;

	for (p = key; *p; p++) {
		char one[4] = { *p, '\0', '\0', '\0' };
		const char *add = one;
		size_t n;

		if (glob && *p == KEY_ANY) {
			add = class_any;
		} else if (glob && strchr("*[\\", *p)) {
			/* glob_match takes '\' as an escape: bracket it too. */
			one[0] = '[';
			one[1] = *p;
			one[2] = ']';
		}
		n = strlen(add);
		if (len + n >= size)
			return -1;
		memcpy(out + len, add, n);
		len += n;
	}
	out[len] = '\0';
	return len > NAME_MAX_LEN ? -1 : 0;
}

/*
 * healthy reads a trailing ",key=" (a letter, then letters, digits, '-' or '_') as an option, and a
 * trailing ',' as an empty one.
 */
static bool looks_like_option(const char *key)
{
	const char *c;
	size_t len = strlen(key);

	if (len && key[len - 1] == ',')
		return true;
	for (c = strchr(key, ','); c; c = strchr(c + 1, ',')) {
		const char *p = c + 1;

		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			continue;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		       *p == '_')
			p++;
		if (*p == '=')
			return true;
	}
	return false;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * Runs healthy with one check, no shell, stdout to /dev/null, stderr kept.
 * Returns its exit code, 128 + signal if killed, or -1 if it could not run.
 */
static int healthy_run(struct check_run *r)
{
	char *argv[] = { (char *)healthy, r->spec, NULL };
	struct timespec deadline;
	int fds[2], status;
	bool timed_out = false;
	pid_t pid;

	r->err_len = 0;
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, STDOUT_FILENO) < 0 || dup2(fds[1], STDERR_FILENO) < 0)
			_exit(126);
		execv(healthy, argv);
		dprintf(STDERR_FILENO, "oracle: exec %s: %s", healthy, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += RUN_TIMEOUT_MS / 1000;
	for (;;) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		char junk[512];
		long left = ms_left(&deadline);
		ssize_t n;
		int pr;

		if (left <= 0) {
			kill(pid, SIGKILL);
			timed_out = true;
			break;
		}
		pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		if (r->err_len < sizeof(r->err) - 1)
			n = read(fds[0], r->err + r->err_len, sizeof(r->err) - 1 - r->err_len);
		else
			n = read(fds[0], junk, sizeof(junk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (r->err_len < sizeof(r->err) - 1)
			r->err_len += (size_t)n;
	}
	close(fds[0]);
	r->err[r->err_len] = '\0';
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (timed_out) {
		static const char msg[] = "(oracle: killed after the timeout)";

		if (r->err_len + sizeof(msg) < sizeof(r->err)) {
			memcpy(r->err + r->err_len, msg, sizeof(msg));
			r->err_len += sizeof(msg) - 1;
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void check_set(struct check_run *c, const char *pattern, const char *opts, int want)
{
	snprintf(c->spec, sizeof(c->spec), "proc:%s%s", pattern, opts);
	c->want = want;
	c->got = -1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void report_skip(struct tally *t, const char *key, const char *why, const char *evidence)
{
	t->skipped++;
	printf("oracle: skipped name \"");
	put_escaped(stdout, key, strlen(key));
	printf("\": %s%s%s%s\n", why, evidence ? " (last seen: " : "", evidence ? evidence : "", evidence ? ")" : "");
}

static bool is_strict(const char *key)
{
	size_t i;

	for (i = 0; i < nstrict; i++) {
		if (!strcmp(strict[i], key))
			return true;
	}
	return false;
}

/*
 * The processes named key in a snapshot: all of them, ancestors too, in
 * libproc2's order, which is /proc's (by PID).
 */
static void sighting_take(const struct snap *s, const char *key, struct sighting *g)
{
	const size_t cap = sizeof(g->v) / sizeof(g->v[0]);
	size_t i;

	g->n = 0;
	for (i = 0; i < s->n; i++) {
		const struct task *t = &s->tasks[i];

		if (!task_named(t, key))
			continue;
		if (g->n < cap) {
			g->v[g->n].pid = t->pid;
			g->v[g->n].start = t->start;
			g->v[g->n].live = t->live;
		}
		g->n++;
	}
}

static bool sighting_same(const struct sighting *a, const struct sighting *b)
{
	const size_t cap = sizeof(a->v) / sizeof(a->v[0]);
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n && i < cap; i++) {
		if (a->v[i].pid != b->v[i].pid || a->v[i].start != b->v[i].start || a->v[i].live != b->v[i].live)
			return false;
	}
	return true;
}

/*
 * Tests one name; tries again on a fresh snapshot while healthy disagrees.
 * The name's processes are read before each try and after each that
 * disagrees: if they ever differ from the first read, healthy may have
 * seen another moment than libproc2, and a name not the test's own is
 * skipped rather than failed.
 */
static void name_test(struct snap *s, const char *key, struct tally *t)
{
	struct check_run checks[MAX_CHECKS_PER_NAME];
	char pattern[SPEC_SIZE / 2], opts[64], evidence[EVIDENCE_SIZE];
	static struct sighting first, now;
	bool changed = false;
	unsigned k = 0;
	size_t n = 0, i, bad = 0;
	int attempt;

	if (!*key) {
		report_skip(t, key, "empty name (healthy: usage error)", NULL);
		return;
	}
	if (looks_like_option(key)) {
		report_skip(t, key, "holds ',key=', which healthy reads as an option", NULL);
		return;
	}
	if (pattern_of(key, pattern, sizeof(pattern))) {
		report_skip(t, key, "its escaped pattern is longer than 255 bytes", NULL);
		return;
	}
	for (attempt = 0; attempt <= RETRIES; attempt++) {
		if (attempt)
			sleep_ms(RETRY_PAUSE_MS * attempt);
		if (snap_take(s)) {
			printf("oracle: read processes with libproc2: %s\n", strerror(errno));
			t->failed++;
			return;
		}
		for (i = 0; i < s->n; i++) {
			if (task_unsure(&s->tasks[i], key) && !snap_excluded(s, s->tasks[i].pid)) {
				report_skip(t, key, "a 15-byte comm may be cut from it, and this user may not read that "
					    "process's executable (healthy: cannot tell)", NULL);
				return;
			}
		}
		sighting_take(s, key, attempt ? &now : &first);
		changed |= attempt && !sighting_same(&first, &now);
		k = snap_count(s, key, evidence, sizeof(evidence));
		n = 0;
		snprintf(opts, sizeof(opts), ",min=%u,max=%u", k, k);
		check_set(&checks[n++], pattern, opts, 0);
		snprintf(opts, sizeof(opts), ",min=%u", k + 1);
		check_set(&checks[n++], pattern, opts, 1);
		if (k == 0) {
			check_set(&checks[n++], pattern, "", 1);
			check_set(&checks[n++], pattern, ",max=0", 0);
		}
		bad = 0;
		for (i = 0; i < n; i++) {
			checks[i].got = healthy_run(&checks[i]);
			bad += checks[i].got != checks[i].want;
		}
		if (!bad)
			break;
		/* And after healthy's reads: did the name's processes change under them? */
		if (snap_take(s)) {
			printf("oracle: read processes with libproc2: %s\n", strerror(errno));
			t->failed++;
			return;
		}
		sighting_take(s, key, &now);
		changed |= !sighting_same(&first, &now);
	}
	if (bad && changed && !is_strict(key)) {
		report_skip(t, key, "disagreed on every try, but its processes changed between the reads", evidence);
		return;
	}
	t->passed += n - bad;
	t->failed += bad;
	if (verbose) {
		printf("oracle: name \"");
		put_escaped(stdout, key, strlen(key));
		printf("\": %u live (%s): \"", k, evidence);
		put_escaped(stdout, checks[0].spec, strlen(checks[0].spec));
		printf("\" %s after %d %s\n", bad ? "disagrees" : "agrees", attempt + !bad,
		       attempt + !bad == 1 ? "try" : "tries");
	}
	for (i = 0; i < n && bad; i++) {
		const struct check_run *c = &checks[i];

		if (c->got == c->want)
			continue;
		printf("oracle: disagree: name \"");
		put_escaped(stdout, key, strlen(key));
		printf("\": expected %u live (%s); \"", k, evidence);
		put_escaped(stdout, c->spec, strlen(c->spec));
		printf("\" exited %d, want %d, after %d tries; stderr: \"", c->got, c->want, attempt);
		put_escaped(stdout, c->err, c->err_len);
		printf("\"\n");
	}
}

static void names_add(struct names *ns, const char *key)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 256;
		ns->v = xrealloc(ns->v, sizeof(*ns->v) * ns->cap);
	}
	ns->v[ns->n] = xrealloc(NULL, strlen(key) + 1);
	strcpy(ns->v[ns->n++], key);
}

static int names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every name worth asking about: each process's; each thread's (threads
 * never count); each long argv[0] whose comm is its first 15 bytes;
 * healthy's own; and names nothing should have. Returns 0, or -1 with errno.
 */
static int names_collect(struct snap *s, struct names *ns)
{
	static const char *const absent[] = {
		"healthy-oracle-absent",
		"healthy-oracle-absent-and-longer-than-comm",
		"healthy-oracle*absent[",
		"healthy-oracle.absent?",
		"healthy\\oracle*",
	};
	struct pids_fetch *f;
	char *key;
	size_t i, j;
	int r;

	if (snap_take(s))
		return -1;
	for (i = 0; i < s->n; i++) {
		const struct task *t = &s->tasks[i];

		names_add(ns, t->key);
		/* A 15-byte comm and the whole name it was cut from: each is a name to ask about. */
		if (t->whole_key && strcmp(t->whole_key, t->key))
			names_add(ns, t->whole_key);
	}
	f = procps_pids_reap(info, PIDS_FETCH_THREADS_TOO);
	if (!f)
		return -1;
	for (r = 0; r < f->counts->total; r++) {
		key = key_of(PIDS_VAL(I_CMD, str, f->stacks[r], info));
		names_add(ns, key);
		free(key);
	}
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		key = key_of(absent[i]);

		names_add(ns, key);
		free(key);
	}
	/* The test's own, even if one did not start. */
	for (i = 0; i < nstrict; i++)
		names_add(ns, strict[i]);
	/* healthy's own name: it must never count itself. */
	key = key_of(argv0_base((char *[]){ (char *)healthy, NULL }));
	names_add(ns, key);
	if (strlen(key) > COMM_TRUNCATED_LEN) {
		key[COMM_TRUNCATED_LEN] = '\0';
		names_add(ns, key);
	}
	free(key);
	qsort(ns->v, ns->n, sizeof(*ns->v), names_cmp);
	for (i = 0, j = 0; i < ns->n; i++) {
		if (j && !strcmp(ns->v[j - 1], ns->v[i]))
			free(ns->v[i]);
		else
			ns->v[j++] = ns->v[i];
	}
	ns->n = j;
	return 0;
}

int main(int argc, char **argv)
{
	struct snap s = { 0 };
	struct names ns = { 0 };
	struct tally t = { 0 };
	size_t i;
	int r;

	for (;;) {
		if (argc > 2 && !strcmp(argv[1], "-v")) {
			verbose = true;
			argv++;
			argc--;
		} else if (argc > 3 && !strcmp(argv[1], "-s") && nstrict + 2 <= MAX_STRICT) {
			/* The name, and for one longer than comm holds, the comm the kernel keeps. */
			strict[nstrict++] = key_of(argv[2]);
			if (strlen(argv[2]) > COMM_TRUNCATED_LEN) {
				strict[nstrict] = key_of(argv[2]);
				strict[nstrict++][COMM_TRUNCATED_LEN] = '\0';
			}
			argv += 2;
			argc -= 2;
		} else {
			break;
		}
	}
	if (argc != 2) {
		fprintf(stderr, "usage: oracle [-v] [-s NAME]... HEALTHY\n");
		return 2;
	}
	healthy = argv[1];
	if (access(healthy, X_OK)) {
		fprintf(stderr, "oracle: %s: %s\n", healthy, strerror(errno));
		return 2;
	}
	r = procps_pids_new(&info, items, (int)(sizeof(items) / sizeof(items[0])));
	if (r < 0) {
		fprintf(stderr, "oracle: procps_pids_new: %s\n", strerror(-r));
		return 2;
	}
	if (names_collect(&s, &ns)) {
		printf("oracle: read processes with libproc2: %s\n", strerror(errno));
		t.failed++;
	}
	printf("oracle: uid %u: checking %zu names against %s\n", (unsigned)getuid(), ns.n, healthy);
	for (i = 0; i < ns.n; i++)
		name_test(&s, ns.v[i], &t);
	printf("oracle: %lu passed, %lu failed, %lu skipped\n", t.passed, t.failed, t.skipped);
	for (i = 0; i < ns.n; i++)
		free(ns.v[i]);
	free(ns.v);
	for (i = 0; i < nstrict; i++)
		free(strict[i]);
	snap_free(&s);
	procps_pids_unref(&info);
	if (fflush(stdout))
		return 2;
	return t.failed == 0 && t.passed > 0 ? 0 : 1;
}
