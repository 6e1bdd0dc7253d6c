#include "procpid.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "io.h"
#include "scan.h"

/* Parses a signed decimal field ending at a space or a newline before end; advances *p past it. */
static int field_parse(const char **p, const char *end, long long *out)
{
	const char *s = *p;
	int neg = 0;
	unsigned long long v = 0;

	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > ((unsigned long long)LLONG_MAX + neg - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	/* The terminator must be there: a field at the very end of a buffer may have been cut. */
	if (s >= end || (*s != ' ' && *s != '\n'))
		return -1;
	*out = neg ? -(long long)(v - 1) - 1 : (long long)v;
	*p = s + 1;
	return 0;
}

int stat_parse(const char *buf, size_t len, struct proc_stat *st)
{
	/*
	 * fs/proc/array.c do_task_stat(): "pid (comm) S ppid ...". comm is any
	 * bytes, ")" and " " and newlines too ("x) Z 1 2"), so it runs from the
	 * first '(' to the LAST ')'.
	 */
	const char *open = memchr(buf, '(', len);
	const char *close = memrchr(buf, ')', len);
	const char *end = buf + len, *p;
	long long v;
	int field;

	if (!open || !close || close < open || end - close < 4 || close[1] != ' ')
		return -1;
	st->comm = open + 1;
	st->comm_len = (size_t)(close - open - 1);
	st->state = close[2];
	if (close[3] != ' ')
		return -1;
	p = close + 4;
	/* Fields 4 (ppid) to 22 (starttime). */
	for (field = 4; field <= 22; field++) {
		if (field_parse(&p, end, &v))
			return -1;
		if (field == 4)
			st->ppid = (pid_t)v;
		else if (field == 9)
			st->flags = (unsigned long)v;
		else if (field == 20)
			st->threads = (long)v;
		else if (field == 22)
			st->starttime = (unsigned long long)v;
	}
	return 0;
}

static const char *status_value(const char *line, size_t len, const char *key, size_t key_len)
{
	const char *p;

	if (len <= key_len || memcmp(line, key, key_len))
		return NULL;
	for (p = line + key_len; p < line + len && (*p == '\t' || *p == ' '); p++)
		;
	return p;
}

int status_parse(const char *buf, size_t len, struct proc_status *st)
{
	const char *p = buf, *end = buf + len;
	bool have_state = false;

	memset(st, 0, sizeof(*st));
	st->threads = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl;
		size_t n;
		const char *v;
		long long num;

		/* A line without its newline was cut by a full buffer. */
		if (!nl)
			break;
		n = (size_t)(line_end - p);

		/* "Name:" comes first and is escaped by the kernel, but skip it by key anyway. */
		if ((v = status_value(p, n, "State:", 6)) && v < line_end) {
			st->state = *v;
			have_state = true;
		} else if ((v = status_value(p, n, "Tgid:", 5)) && field_parse(&v, line_end + 1, &num) == 0) {
			st->tgid = (pid_t)num;
			st->have_tgid = true;
		} else if ((v = status_value(p, n, "Uid:", 4))) {
			/* Real, effective, saved, filesystem: the first is the real uid. */
			const char *u = v;

			while (u < line_end && *u >= '0' && *u <= '9')
				u++;
			if (u > v && (u == line_end || *u == '\t' || *u == ' ')) {
				unsigned long long r = 0;
				const char *d;

				for (d = v; d < u && r <= 0xffffffffULL; d++)
					r = r * 10 + (unsigned)(*d - '0');
				if (r <= 0xfffffffeULL) {
					st->ruid = (uid_t)r;
					st->have_uid = true;
				}
			}
		} else if ((v = status_value(p, n, "Threads:", 8)) && field_parse(&v, line_end + 1, &num) == 0) {
			st->threads = (long)num;
		}
		p = nl + 1;
	}
	return have_state ? 0 : -1;
}

size_t comm_parse(const char *buf, size_t len)
{
	/* fs/proc/base.c comm_show(): the name, then one newline; the name may hold newlines too. */
	return len && buf[len - 1] == '\n' ? len - 1 : len;
}

void argv_names_start(struct argv_names *a)
{
	memset(a, 0, sizeof(*a));
}

bool argv_names_feed(struct argv_names *a, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len && a->arg < ARGV_NAMES; i++) {
		unsigned k = a->arg;

		if (buf[i] == '\0') {
			a->arg++;
		} else if (buf[i] == '/') {
			/* A new path component: the base name starts again. */
			a->len[k] = 0;
			a->too_long[k] = false;
		} else if (a->len[k] == sizeof(a->base[k]) - 1) {
			a->too_long[k] = true;
		} else if (!a->too_long[k]) {
			a->base[k][a->len[k]++] = buf[i];
		}
	}
	return a->arg >= ARGV_NAMES;
}

/* Whether s[0..n) is a name, and starts with comm: what the kernel cut comm from. */
static bool extends(const char *s, size_t n, const char *comm, size_t comm_len)
{
	return n >= comm_len && !memcmp(s, comm, comm_len);
}

const char *full_name_pick(const char *comm, size_t comm_len, const struct argv_names *a, const char *exe,
			   size_t exe_len, size_t *len)
{
	static const char deleted[] = " (deleted)";
	unsigned k;

	for (k = 0; k < ARGV_NAMES; k++) {
		if (!a->too_long[k] && extends(a->base[k], a->len[k], comm, comm_len)) {
			*len = a->len[k];
			return a->base[k];
		}
	}
	if (exe) {
		const char *slash;

		/* A binary replaced by an upgrade shows as "/usr/bin/x (deleted)": it is still x. */
		if (exe_len > sizeof(deleted) - 1 && !memcmp(exe + exe_len - (sizeof(deleted) - 1), deleted, sizeof(deleted) - 1))
			exe_len -= sizeof(deleted) - 1;
		slash = memrchr(exe, '/', exe_len);
		if (slash) {
			exe_len -= (size_t)(slash + 1 - exe);
			exe = slash + 1;
		}
		if (exe_len < PROC_NAME_SIZE && extends(exe, exe_len, comm, comm_len)) {
			*len = exe_len;
			return exe;
		}
	}
	return NULL;
}

int proc_cmdline_read(int dirfd, struct argv_names *a, struct args_match *m)
{
	static char buf[CMDLINE_SIZE];
	int fd, saved;
	ssize_t n;

	/* The read waits for the process's memory lock: only a fatal signal ends that wait. */
	confine_arm();
	fd = openat(dirfd, "cmdline", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		confine_progress++;     /* 128 KiB of argv[0] is many reads: slow, not stuck */
		if (n <= 0 || (a ? argv_names_feed(a, buf, (size_t)n) : args_match_feed(m, buf, (size_t)n)))
			break;
	}
	saved = errno;
	close(fd);
	errno = saved;
	return n < 0 ? -1 : 0;
}

int proc_via_dir(int dirfd, pid_t via)
{
	char path[24];

	if (!via)
		return dirfd;
	memcpy(path, "task/", 5);
	proc_path(path + 5, via, "");
	return openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int proc_full_name(int dirfd, pid_t via, const struct proc_stat *st, const char **name, size_t *len)
{
	static struct argv_names a;
	static char exe[PATH_MAX];
	ssize_t n;
	int fd, r, e;

	/* A kernel thread's name is its own to give, in full or cut: there is nothing else to read. */
	if (st->flags & PF_KTHREAD) {
		*name = st->comm;
		*len = st->comm_len;
		return 1;
	}
	fd = proc_via_dir(dirfd, via);
	/* The thread chosen to speak for a zombie leader went: the process may live on, its name unknown. */
	if (fd < 0)
		return via && proc_gone(errno) ? 0 : -1;
	argv_names_start(&a);
	r = proc_cmdline_read(fd, &a, NULL);
	/* Another user's process hides its exe (EACCES): then argv alone can tell. */
	n = r ? -1 : readlinkat(fd, "exe", exe, sizeof(exe));
	e = errno;
	if (fd != dirfd)
		close(fd);
	if (r)
		return -1;
	if (n < 0 && proc_gone(e)) {
		/* No memory and no executable left: it exited while we looked. */
		errno = ESRCH;
		return -1;
	}
	*name = full_name_pick(st->comm, st->comm_len, &a, n > 0 && n < (ssize_t)sizeof(exe) ? exe : NULL,
			       n > 0 ? (size_t)n : 0, len);
	if (*name)
		return 1;
	/*
	 * Neither argv nor the executable, which this user may read, starts with
	 * comm: the name did not come from them, but from the process itself
	 * (prctl(PR_SET_NAME)), and comm is all there is of it. Where the
	 * executable is hidden, its name may be what comm was cut from.
	 */
	if (n <= 0)
		return 0;
	*name = st->comm;
	*len = st->comm_len;
	return 1;
}

bool proc_state_live(char state)
{
	switch (state) {
	case 'Z':
	case 'X':
	case 'x':
	case 'T':
	case 't':
		return false;
	default:
		return true;
	}
}

enum procname_error procname_set(struct proc_name *pn, const char *s, size_t n)
{
	if (n == 0)
		return PROCNAME_EMPTY;
	if (n >= PROC_NAME_SIZE)
		return PROCNAME_TOO_LONG;
	memcpy(pn->s, s, n);
	pn->s[n] = '\0';
	pn->len = n;
	pn->glob = memchr(s, '*', n) || memchr(s, '?', n) || memchr(s, '[', n);
	pn->open = glob_open(s, n);
	return PROCNAME_OK;
}

enum name_match name_match_comm(const struct proc_name *pn, const char *comm, size_t comm_len)
{
	bool could;

	/* Shorter than 15 bytes, comm is the whole name (and kernel workers' longer names are whole too). */
	if (comm_len != COMM_TRUNCATED_LEN)
		return name_match_full(pn, comm, comm_len) ? NAME_YES : NAME_NO;
	/*
	 * 15 bytes may be a longer name cut by the kernel: "x-controller-manager"
	 * shows as "x-controller-ma", which proc:x-controller-ma and proc:*-ma
	 * must not match. Only the whole name can say, and it is worth reading
	 * only if some name that starts with comm could match.
	 */
	/* "kube-controller*" and "*" match whatever comm was cut from: no need to know it. */
	if (pn->open && glob_match(pn->s, pn->len, comm, comm_len))
		return NAME_YES;
	could = pn->glob ? glob_prefix(pn->s, pn->len, comm, comm_len)
			 : pn->len >= comm_len && !memcmp(pn->s, comm, comm_len);
	return could ? NAME_NEED_FULL : NAME_NO;
}

bool name_match_full(const struct proc_name *pn, const char *full, size_t len)
{
	if (pn->glob)
		return glob_match(pn->s, pn->len, full, len);
	return len == pn->len && !memcmp(full, pn->s, len);
}

bool proc_gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

void proc_path(char *buf, pid_t pid, const char *file)
{
	char digits[16];
	size_t i = sizeof(digits), n;
	unsigned v = (unsigned)pid;

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = sizeof(digits) - i;
	memcpy(buf, digits + i, n);
	strcpy(buf + n, file);
}

/*
 * healthy's own PID in the /proc it reads. getpid() numbers it in healthy's
 * PID namespace, which need not be that /proc's (unshare -p without a new
 * /proc mount); /proc/self is numbered by the /proc itself.
 */
static pid_t self_pid(int procfd)
{
	char buf[16];
	unsigned long long v;
	ssize_t n = readlinkat(procfd, "self", buf, sizeof(buf));

	if (n <= 0 || n >= (ssize_t)sizeof(buf) || scan_uint(buf, (size_t)n, PID_MAX_LIMIT, &v))
		return 0;
	return (pid_t)v;
}

void lineage_start(struct lineage *l, int procfd)
{
	l->procfd = procfd;
	l->self = self_pid(procfd);
	l->n = -1;
}

static void ancestors_load(struct lineage *l)
{
	static char buf[STAT_SIZE];
	char path[32];
	pid_t p = l->self;

	l->n = 0;
	/*
	 * Up the parents from healthy itself. PID 1 is never "the shell of the
	 * probe": in a container it is the service or its init, and on a host
	 * everything descends from it.
	 */
	/* Where this /proc numbers as healthy's own namespace does, the kernel names the parent without a read. */
	if (p > 0 && p == getpid()) {
		p = getppid();
		if (p <= 1)
			return;
		l->up[l->n++] = p;
	}
	while (p > 0 && l->n < MAX_ANCESTORS) {
		struct proc_stat st;

		proc_path(path, p, "/stat");
		if (proc_read_stat(l->procfd, path, buf, &st) != PROC_STAT_OK || st.ppid <= 1)
			break;
		p = st.ppid;
		l->up[l->n++] = p;
	}
}

int lineage_size(struct lineage *l)
{
	if (l->n < 0)
		ancestors_load(l);
	return (l->self != 0) + l->n;
}

enum lineage_kind lineage_of(struct lineage *l, pid_t pid)
{
	int i;

	if (pid == l->self)
		return LINEAGE_SELF;
	if (l->n < 0)
		ancestors_load(l);
	for (i = 0; i < l->n; i++) {
		if (l->up[i] == pid)
			return LINEAGE_ANCESTOR;
	}
	return LINEAGE_NONE;
}

/* A stopped or traced thread ranks above a dead one: the process is there, held. */
static int state_rank(char state)
{
	return proc_state_live(state) ? 2 : state == 'T' || state == 't' ? 1 : 0;
}

char proc_group_state(int dirfd, pid_t pid, char state, long threads, pid_t *via)
{
	/*
	 * A zombie leader whose other threads live on ("Zl"): the process is
	 * what they are. Running if any of them runs; one ptrace-stopped thread
	 * does not stop the others. Stopped or traced if none runs but one is
	 * held; a zombie when all have exited (a traced thread stays until its
	 * tracer reaps it, and counts in Threads until then).
	 */
	static uint64_t dents[512];
	static char buf[STAT_SIZE];
	char path[40], group = 'Z';
	struct proc_stat st;
	long got;
	int fd;

	*via = pid;
	if (state != 'Z' || threads <= 1)
		return state;
	fd = openat(dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return group;
	while ((got = syscall(SYS_getdents64, fd, dents, sizeof(dents))) > 0) {
		long off = 0;

		while (off < got) {
			const struct linux_dirent64 *d = (const void *)((const char *)dents + off);
			unsigned long long tid;

			off += d->d_reclen;
			if (scan_uint(d->d_name, strlen(d->d_name), PID_MAX_LIMIT, &tid) || (pid_t)tid == pid)
				continue;
			memcpy(path, "task/", 5);
			proc_path(path + 5, (pid_t)tid, "/stat");
			if (proc_read_stat(dirfd, path, buf, &st) != PROC_STAT_OK || state_rank(st.state) <= state_rank(group))
				continue;
			group = st.state;
			*via = (pid_t)tid;
			if (state_rank(group) == 2) {
				close(fd);
				return group;
			}
		}
	}
	close(fd);
	return group;
}

const char *proc_state_word(char state)
{
	switch (state) {
	case 'Z':
		return "zombie";
	case 'T':
		return "stopped";
	case 't':
		return "traced";
	default:
		return "dead";
	}
}

int proc_read_stat(int dirfd, const char *name, char *buf, struct proc_stat *st)
{
	ssize_t n = io_read_at(dirfd, name, buf, STAT_SIZE);

	if (n < 0)
		return -1;
	if (n == 0)
		return PROC_STAT_EMPTY;
	return stat_parse(buf, (size_t)n, st) ? PROC_STAT_BAD : PROC_STAT_OK;
}

int proc_pid_exists(pid_t pid)
{
	long fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0) {
		close((int)fd);
		return 1;
	}
	return errno == ESRCH ? 0 : -1;
}
