#include "pid.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/scan.h"
#include "lib/confine.h"
#include "lib/io.h"
#include "lib/procpid.h"
#include "lib/procfs.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

enum pidfile_error pidfile_parse(const char *buf, size_t len, long long *pid)
{
	const char *nl = memchr(buf, '\n', len);
	const char *p = buf, *end = nl ? nl : buf + len;
	unsigned long long v;
	int neg = 0, r;

	while (p < end && blank(*p))
		p++;
	while (end > p && blank(end[-1]))
		end--;
	if (p == end)
		return PIDFILE_EMPTY;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	r = scan_uint(p, (size_t)(end - p), LLONG_MAX, &v);
	if (r == -1)
		return PIDFILE_GARBAGE;
	if (r == -2)
		return PIDFILE_RANGE;
	*pid = neg ? -(long long)v : (long long)v;
	return *pid < 1 || *pid > PID_MAX_LIMIT ? PIDFILE_RANGE : PIDFILE_OK;
}

static struct pid_check pool[MAX_CHECKS];
static unsigned pool_next;

static int pid_parse(struct check *c, const char *body, struct line *err)
{
	struct pid_check *p = check_state(c, pool, sizeof(pool[0]), &pool_next);
	struct scan_opt o;
	unsigned long long v;
	int r;

	(void)body;     /* c->arg: the same bytes, which the options shorten */

	/* ",name=NAME" comes off the right end, as proc:'s options do: a path may hold commas. */
	while (scan_option_last(c->arg, c->arg_len, &o)) {
		if (o.key_len != 4 || memcmp(o.key, "name", 4)) {
			if (check_option_unknown(c, o.key, o.key_len, "name=", c->kind == &kind_pidfile, err))
				return -1;
			break;
		}
		if (p->by_name) {
			check_usage(err, c, "name= given twice");
			return -1;
		}
		if (check_procname(c, &p->name, o.val, o.val_len, err))
			return -1;
		p->by_name = true;
		c->arg_len = (size_t)(o.comma - c->arg);
	}
	if (c->kind == &kind_pidfile) {
		if (c->arg_len == 0) {
			check_usage(err, c, "empty path");
			return -1;
		}
		if (c->arg_len >= PATH_MAX) {
			check_usage(err, c, "path too long");
			return -1;
		}
		return 0;
	}
	r = scan_uint(c->arg, c->arg_len, PID_MAX_LIMIT, &v);
	if (r == -1) {
		check_usage(err, c, "not a pid (a whole number)");
		return -1;
	}
	if (r == -2 || v == 0) {
		check_usage(err, c, "pid out of range (1-4194304)");
		return -1;
	}
	p->pid = (pid_t)v;
	return 0;
}

/* "pid N " before a reason, for pidfile:, where the PID is not in the check as typed. */
static void pid_prefix(struct check *c, long long pid)
{
	if (c->kind == &kind_pidfile) {
		line_str(&c->why, "pid ");
		line_int(&c->why, pid);
		line_str(&c->why, " ");
	}
}

/* Reads /proc/sys/kernel/pid_max; 0 if it cannot. */
static long long pid_max(void)
{
	char buf[32];
	unsigned long long v;
	ssize_t n = io_read_at(AT_FDCWD, "/proc/sys/kernel/pid_max", buf, sizeof(buf));

	if (n <= 0 || scan_uint(buf, comm_parse(buf, (size_t)n), PID_MAX_LIMIT, &v))
		return 0;
	return (long long)v;
}

/* fail() with "pid N " first, for pidfile:, where the PID is not in the check as typed. */
static struct line *fail(struct check *c, long long pid)
{
	c->verdict = VERDICT_FAIL;
	line_reset(&c->why);
	pid_prefix(c, pid);
	return &c->why;
}

/* ", nginx)" or " (nginx)": the name a process goes by, escaped, as evidence. */
static void append_name(struct line *l, const char *open, const char *name, size_t len)
{
	line_str(l, open);
	line_escaped(l, name, len);
	line_str(l, ")");
}

/* The PID is no process: say so, and, for a pidfile, when it is past what this kernel hands out. */
static void not_running(struct check *c, pid_t pid)
{
	long long max = c->kind == &kind_pidfile ? pid_max() : 0;
	struct line *l = fail(c, pid);

	line_str(l, "not running");
	/* PIDs run from 1 to pid_max - 1. */
	if (max && pid >= max) {
		line_str(l, " (beyond pid_max ");
		line_int(l, max);
		line_str(l, ")");
	}
}

/* healthy itself, or the shell that runs it, at the PID: a pid file's writer is gone, whoever has its PID now. */
static void not_the_service(struct check *c, pid_t pid, enum lineage_kind k, const char *name, size_t len)
{
	struct line *l = fail(c, pid);

	line_str(l, k == LINEAGE_SELF ? "is healthy itself" : "is healthy's own ancestor");
	if (name)
		append_name(l, " (", name, len);
	line_str(l, ", not the service");
}

/*
 * Whether the process at dfd has the check's name=, by proc:'s rules. Returns
 * 0 when it has, 1 when not, with the name it has in *name (valid until the
 * next call), -1 when c has its answer otherwise (it cannot be read).
 */
static int name_check(struct check *c, pid_t pid, int dfd, pid_t via, const struct proc_stat *st,
		      const char **name, size_t *name_len)
{
	const struct pid_check *p = c->state;
	enum name_match m = name_match_comm(&p->name, st->comm, st->comm_len);
	const char *full = st->comm;
	size_t full_len = st->comm_len;

	if (m == NAME_NEED_FULL) {
		int r = proc_full_name(dfd, via != pid ? via : 0, st, &full, &full_len);

		if (r < 0) {
			int e = errno;

			if (proc_gone(e)) {
				not_running(c, pid);
			} else {
				c->verdict = VERDICT_ERROR;
				line_str(&c->why, "read /proc/");
				line_uint(&c->why, (unsigned long long)pid);
				line_errno(&c->why, "/cmdline", e);
			}
			return -1;
		}
		if (r == 0) {
			c->verdict = VERDICT_ERROR;
			line_str(&c->why, "cannot tell: the name of pid ");
			line_uint(&c->why, (unsigned long long)pid);
			line_str(&c->why, " is cut to 15 bytes (");
			line_escaped(&c->why, st->comm, st->comm_len);
			line_str(&c->why, "), and neither its command line nor its executable gives the rest");
			return -1;
		}
		m = name_match_full(&p->name, full, full_len) ? NAME_YES : NAME_NO;
	}
	*name = full;
	*name_len = full_len;
	return m != NAME_YES;
}

enum pid_outcome pid_decide(const struct pid_check *p, bool track, pid_t pid, const struct pid_facts *f)
{
	if (f->tgid >= 0 && f->tgid != pid)
		return PID_THREAD;
	if (f->lineage != LINEAGE_NONE)
		return f->lineage == LINEAGE_SELF ? PID_SELF : PID_ANCESTOR;
	if (f->other_name)
		return PID_OTHER_NAME;
	if (!proc_state_live(f->state))
		return PID_NOT_RUNNING;
	/* --watch: the process is (pid, start time); a PID reused by another process is not it. */
	if (track && p->seen_pid && p->seen_pid != pid)
		return PID_NOT_WATCHED;
	if (track && p->seen_pid && p->seen_start != f->start)
		return PID_REUSED;
	return PID_RUNNING;
}

/*
 * Reads what process_check() needs of the process at pid, status and stat
 * from one directory fd. Returns that fd, or -1 when c has its answer (gone,
 * hidden, unreadable).
 */
static int process_read(struct check *c, pid_t pid, struct lineage *lineage, struct proc_status *st,
			struct proc_stat *ps)
{
	static char buf[STATUS_SIZE], stat_buf[STAT_SIZE];
	char path[16];
	struct line err;
	ssize_t n = -1;
	int sr = -1, procfd, dfd, e;

	confine_doing(c->spec, " reading /proc");
	line_reset(&err);
	procfd = procfs_open(&err);
	if (procfd < 0) {
		/* Without a /proc, getpid() still knows healthy, and pidfd_open() "no such process". */
		if (pid == getpid() || (pid == getppid() && pid > 1)) {
			not_the_service(c, pid, pid == getpid() ? LINEAGE_SELF : LINEAGE_ANCESTOR, NULL, 0);
			return -1;
		}
		if (proc_pid_exists(pid) == 0) {
			not_running(c, pid);
			return -1;
		}
		c->verdict = VERDICT_ERROR;
		c->why = err;
		return -1;
	}
	lineage_start(lineage, procfd);
	proc_path(path, pid, "");
	dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		/* Both from one directory fd: they concern one process, even should its PID be reused meanwhile. */
		n = io_read_at(dfd, "status", buf, sizeof(buf));
		if (n >= 0)
			sr = proc_read_stat(dfd, "stat", stat_buf, ps);
		e = errno;
		if (n < 0 || sr < 0)
			close(dfd);
		errno = e;
	}
	if ((n < 0 || sr < 0) && (proc_gone(errno) || errno == EACCES || errno == EPERM)) {
		int saved = errno;

		/* pidfd_open() knows whether the PID exists, even where /proc hides it. */
		if (proc_pid_exists(pid) == 0) {
			not_running(c, pid);
			return -1;
		}
		c->verdict = VERDICT_ERROR;
		line_str(&c->why, "cannot tell: pid ");
		line_uint(&c->why, (unsigned long long)pid);
		line_str(&c->why, " exists, but ");
		if (!procfs_sees_all(procfd))
			procfs_hidden_reason(&c->why);
		else
			line_errno(&c->why, "/proc does not show it", saved);
		return -1;
	}
	if (n < 0 || sr < 0) {
		c->verdict = VERDICT_ERROR;
		line_str(&c->why, "read /proc/");
		proc_path(path, pid, n < 0 ? "/status" : "/stat");
		line_errno(&c->why, path, errno);
		return -1;
	}
	if (status_parse(buf, (size_t)n, st) || sr != PROC_STAT_OK) {
		close(dfd);
		/* Empty: the process exited between the open and the read. */
		if (n == 0 || sr == PROC_STAT_EMPTY) {
			not_running(c, pid);
			return -1;
		}
		c->verdict = VERDICT_ERROR;
		line_str(&c->why, "read /proc/");
		proc_path(path, pid, "/status");
		line_str(&c->why, path);
		line_str(&c->why, ": no State line");
		return -1;
	}
	return dfd;
}

static void process_check(struct check *c, pid_t pid)
{
	static struct lineage lineage;
	struct pid_check *p = c->state;
	struct proc_status st;
	struct proc_stat ps;
	struct pid_facts f;
	const char *name = NULL;
	size_t name_len = 0;
	struct line *l;
	pid_t via;
	int dfd = process_read(c, pid, &lineage, &st, &ps);

	if (dfd < 0)
		return;
	f = (struct pid_facts){ .tgid = st.have_tgid ? st.tgid : -1, .state = st.state, .start = ps.starttime };
	f.lineage = f.tgid < 0 || f.tgid == pid ? lineage_of(&lineage, pid) : LINEAGE_NONE;
	/* Its threads' state and its whole name matter only for a process that is not healthy's own. */
	if ((f.tgid < 0 || f.tgid == pid) && f.lineage == LINEAGE_NONE) {
		int r = 0;

		f.state = proc_group_state(dfd, pid, st.state, st.threads, &via);
		if (p->by_name)
			r = name_check(c, pid, dfd, via, &ps, &name, &name_len);
		if (r < 0) {
			close(dfd);
			return;
		}
		f.other_name = r;
	}
	close(dfd);
	switch (pid_decide(p, c->track, pid, &f)) {
	case PID_THREAD:
		line_str(fail(c, pid), "is a thread of process ");
		line_uint(&c->why, (unsigned long long)st.tgid);
		line_str(&c->why, ", not a process");
		return;
	case PID_SELF:
	case PID_ANCESTOR:
		not_the_service(c, pid, f.lineage, ps.comm, ps.comm_len);
		return;
	case PID_OTHER_NAME:
		l = fail(c, pid);
		line_str(l, "is ");
		line_escaped(l, name, name_len);
		line_str(l, ", not ");
		line_escaped(l, p->name.s, p->name.len);
		return;
	case PID_NOT_RUNNING:
		line_str(fail(c, pid), "not running (");
		line_str(&c->why, proc_state_word(f.state));
		append_name(&c->why, ", ", ps.comm, ps.comm_len);
		return;
	case PID_NOT_WATCHED:
	case PID_REUSED:
		l = fail(c, pid);
		line_str(l, p->seen_pid != pid ? "is not the one watched (pid " : "is another process now (pid ");
		line_uint(l, (unsigned long long)p->seen_pid);
		line_str(l, p->seen_pid != pid ? " was)" : " had another start time)");
		return;
	case PID_RUNNING:
		break;
	}
	if (c->track) {
		p->seen_pid = pid;
		p->seen_start = ps.starttime;
	}
	c->verdict = VERDICT_PASS;
	line_str(&c->why, "ok: running (pid ");
	line_uint(&c->why, (unsigned long long)pid);
	line_str(&c->why, " ");
	line_mem(&c->why, &f.state, 1);
	append_name(&c->why, ", ", ps.comm, ps.comm_len);
}

static void pidfile_check(struct check *c)
{
	static char path[PATH_MAX];
	char buf[PIDFILE_SIZE];
	struct stat sb;
	long long pid = 0;
	enum pidfile_error e;
	ssize_t n;
	int fd, err;

	memcpy(path, c->arg, c->arg_len);
	path[c->arg_len] = '\0';
	/* A pid file on a FUSE or NFS mount whose server hangs holds the open or the read up: the line says so. */
	confine_doing(c->spec, " reading the pid file");
	/* O_NONBLOCK: a FIFO put where the pidfile should be must not hang the probe. */
	fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		err = errno;
		/* No file is a service that is not running (or never wrote it); anything else is ours to report. */
		c->verdict = err == ENOENT || err == ENOTDIR ? VERDICT_FAIL : VERDICT_ERROR;
		line_str(&c->why, c->verdict == VERDICT_FAIL ? "no pid file at " : "open ");
		line_escaped(&c->why, path, c->arg_len);
		if (c->verdict == VERDICT_ERROR)
			line_errno(&c->why, "", err);
		return;
	}
	if (io_stat(fd, NULL, &sb, 0)) {
		err = errno;
		close(fd);
		c->verdict = VERDICT_ERROR;
		line_str(&c->why, "stat ");
		line_escaped(&c->why, path, c->arg_len);
		line_errno(&c->why, "", err);
		return;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		c->verdict = VERDICT_FAIL;
		line_str(&c->why, "not a regular file");
		return;
	}
	n = io_read_fd(fd, buf, sizeof(buf));
	err = errno;
	close(fd);
	if (n < 0) {
		c->verdict = VERDICT_ERROR;
		line_str(&c->why, "read ");
		line_escaped(&c->why, path, c->arg_len);
		line_errno(&c->why, "", err);
		return;
	}
	/* A first line that fills the buffer was cut: parsing its start would read another number. */
	if ((size_t)n == sizeof(buf) - 1 && !memchr(buf, '\n', (size_t)n)) {
		c->verdict = VERDICT_FAIL;
		line_str(&c->why, "first line too long for a pid");
		return;
	}
	e = pidfile_parse(buf, (size_t)n, &pid);
	switch (e) {
	case PIDFILE_OK:
		process_check(c, (pid_t)pid);
		return;
	case PIDFILE_EMPTY:
		line_str(&c->why, n ? "no pid on the first line" : "empty file");
		break;
	case PIDFILE_GARBAGE:
	case PIDFILE_RANGE: {
		const char *nl = memchr(buf, '\n', (size_t)n);
		size_t first = nl ? (size_t)(nl - buf) : (size_t)n;

		line_str(&c->why, e == PIDFILE_RANGE ? "pid out of range (1-4194304): \"" : "not a pid: \"");
		line_escaped(&c->why, buf, first > 32 ? 32 : first);
		line_str(&c->why, first > 32 ? "...\"" : "\"");
		break;
	}
	}
	c->verdict = VERDICT_FAIL;
}

static void pid_run(struct check **cs, size_t n, const struct run_opts *ro)
{
	size_t i;

	(void)ro;
	for (i = 0; i < n; i++) {
		if (cs[i]->kind == &kind_pidfile)
			pidfile_check(cs[i]);
		else
			process_check(cs[i], ((const struct pid_check *)cs[i]->state)->pid);
	}
}

/* The process the check saw, while it passes: once it failed (--retries), that process is gone or another. */
static size_t pid_pids(const struct check *c, struct watched_pid *out, size_t max)
{
	const struct pid_check *p = c->state;

	if (!max || !p->seen_pid || c->verdict != VERDICT_PASS)
		return 0;
	out->pid = p->seen_pid;
	out->start_known = true;
	out->start = p->seen_start;
	return 1;
}

const struct kind kind_pid = {
	.name = "pid:",
	.usage = "  pid:N[,name=NAME]\n"
		 "                   process N is running (and has this name)\n",
	.doing = " reading /proc",
	.parse = pid_parse,
	.run = pid_run,
	.pids = pid_pids,
	.pids_alone = true,
	.each = true,
	.bounded = true,
};

const struct kind kind_pidfile = {
	.name = "pidfile:",
	.usage = "  pidfile:PATH[,name=NAME]\n"
		 "                   the PID on the first line of PATH is running\n",
	.doing = " reading the pid file",
	.parse = pid_parse,
	.run = pid_run,
	.pids = pid_pids,
	.pids_alone = true,
	.each = true,
};
