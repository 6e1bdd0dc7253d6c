#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "args.h"
#include "confine.h"
#include "io.h"
#include "procfs.h"

/* 4 KiB of getdents holds ~150 PIDs: a match near the start of /proc ends the walk early. */
#define DENTS_SIZE 4096
/* Ancestors deeper than this are not looked for: no real process tree is this deep above a probe. */
#define MAX_ANCESTORS 64

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

void cmdline_argv0_base(const char *buf, size_t len, size_t size, const char **base, size_t *base_len)
{
	const char *nul = memchr(buf, '\0', len);
	size_t argv0_len = nul ? (size_t)(nul - buf) : len;

	/* A full buffer without a NUL holds only the start of argv[0]: its basename is unknown. */
	if (!nul && len >= size) {
		*base = buf;
		*base_len = 0;
		return;
	}
	const char *slash = memrchr(buf, '/', argv0_len);

	*base = slash ? slash + 1 : buf;
	*base_len = argv0_len - (size_t)(*base - buf);
}

/*
 * argv[0]'s base name from /proc/PID/cmdline, read as far as argv[0] goes: a
 * path longer than buf (a process may make argv[0] 128 KiB) keeps only what
 * follows its last '/'. A last part that alone overflows buf is no file name
 * (NAME_MAX is 255): *base_len is 0 then, and no NAME matches it.
 */
static int argv0_read(int dfd, char *buf, size_t size, const char **base, size_t *base_len)
{
	int fd = openat(dfd, "cmdline", O_RDONLY | O_CLOEXEC | O_NOCTTY), saved;
	size_t keep = 0;
	bool overflow = false, ended;
	ssize_t n;

	*base = buf;
	*base_len = 0;
	if (fd < 0)
		return -1;
	for (;;) {
		const char *b;
		size_t b_len;

		if (keep == size) {
			/* A part with no '/' yet fills buf: too long for a name, unless a later '/' ends it. */
			overflow = true;
			keep = 0;
		}
		n = read(fd, buf + keep, size - keep);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ended = memchr(buf + keep, '\0', (size_t)n) != NULL;
		/* What buf held has no '/': the base name so far, which a '/' in the new bytes replaces. */
		cmdline_argv0_base(buf, keep + (size_t)n, SIZE_MAX, &b, &b_len);
		overflow &= b == buf;
		memmove(buf, b, b_len);
		keep = b_len;
		if (ended)
			break;
	}
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	if (!overflow)
		*base_len = keep;
	return 0;
}

bool proc_state_live(char state, long threads)
{
	switch (state) {
	case 'Z':
		return threads > 1;
	case 'X':
	case 'x':
	case 'T':
	case 't':
		return false;
	default:
		return true;
	}
}

static int proc_option_parse(struct check *c, const char *opt, size_t n, struct line *err)
{
	size_t key_len = check_option_key(opt, n);
	const char *val = opt + key_len + 1;
	size_t val_len = n - key_len - 1;
	unsigned long long v;

	if (key_len == 3 && (!memcmp(opt, "min", 3) || !memcmp(opt, "max", 3))) {
		bool is_min = opt[1] == 'i';
		bool *given = is_min ? &c->u.proc.min_given : &c->u.proc.max_given;
		int r = uint_parse(val, val_len, 1000000, &v);

		if (*given) {
			check_usage(err, c, is_min ? "min= given twice" : "max= given twice");
			return -1;
		}
		if (r) {
			check_usage(err, c, r == -2 ? "count out of range (0-1000000)" : "min= and max= take a whole number");
			return -1;
		}
		*given = true;
		*(is_min ? &c->u.proc.min : &c->u.proc.max) = (unsigned)v;
		return 0;
	}
	if (key_len == 4 && !memcmp(opt, "user", 4)) {
		int r;

		if (c->u.proc.by_user) {
			check_usage(err, c, "user= given twice");
			return -1;
		}
		if (val_len == 0) {
			check_usage(err, c, "empty user");
			return -1;
		}
		c->u.proc.by_user = true;
		c->u.proc.user = val;
		c->u.proc.user_len = val_len;
		/* (uid_t)-1 means "no uid" to the kernel: never a user. */
		r = uint_parse(val, val_len, 4294967294ULL, &v);
		if (r == -2) {
			check_usage(err, c, "uid out of range");
			return -1;
		}
		c->u.proc.uid_known = r == 0;
		c->u.proc.uid = r == 0 ? (uid_t)v : 0;
		return 0;
	}
	line_reset(err);
	line_str(err, "healthy: ");
	line_escaped(err, c->spec, strlen(c->spec));
	line_str(err, ": unknown option '");
	line_escaped(err, opt, key_len);
	line_str(err, "' (proc: takes min=, max=, user=)");
	return -1;
}

int proc_spec_parse(struct check *c, const char *body, struct line *err)
{
	size_t n = strlen(body);
	const char *comma;

	c->u.proc.min = 1;
	c->u.proc.max = UINT_MAX;
	/*
	 * Options come off the right end, so a name may itself hold a comma
	 * ("a,b" is a name; "a,b=1" is a name and an option).
	 */
	while ((comma = memrchr(body, ',', n)) != NULL) {
		const char *opt = comma + 1;
		size_t opt_len = n - (size_t)(opt - body);

		if (opt_len == 0) {
			check_usage(err, c, "empty option after ','");
			return -1;
		}
		if (!check_option_key(opt, opt_len))
			break;
		if (proc_option_parse(c, opt, opt_len, err))
			return -1;
		n = (size_t)(comma - body);
	}
	if (n == 0) {
		check_usage(err, c, "empty name");
		return -1;
	}
	if (n >= PROC_NAME_SIZE) {
		check_usage(err, c, "name too long (at most 255 bytes)");
		return -1;
	}
	/* "max=0" alone asks that none run: it cannot mean "at least one". */
	if (c->u.proc.max_given && c->u.proc.max == 0 && !c->u.proc.min_given)
		c->u.proc.min = 0;
	if (c->u.proc.min > c->u.proc.max) {
		check_usage(err, c, "min= is more than max=");
		return -1;
	}
	memcpy(c->u.proc.name, body, n);
	c->u.proc.name[n] = '\0';
	c->arg = body;
	c->arg_len = n;
	c->u.proc.glob = strpbrk(c->u.proc.name, "*?[") != NULL;
	return 0;
}

/*
 * Matches one [...] class at p against c. Returns the length of the class,
 * or 0 when p is no complete class (then '[' is an ordinary byte).
 */
static size_t class_match(const char *p, size_t n, unsigned char c, bool *hit)
{
	size_t i = 1;
	bool negate = false, in = false;

	if (i < n && (p[i] == '!' || p[i] == '^')) {
		negate = true;
		i++;
	}
	/* A ']' first in the class is a member. */
	for (size_t first = i; i < n && (p[i] != ']' || i == first); i++) {
		unsigned char lo = (unsigned char)p[i], hi = lo;

		if (i + 2 < n && p[i + 1] == '-' && p[i + 2] != ']') {
			hi = (unsigned char)p[i + 2];
			i += 2;
		}
		in |= c >= lo && c <= hi;
	}
	if (i >= n)
		return 0;
	*hit = in != negate;
	return i + 1;
}

/* With prefix, true when some name that starts with s could match: s ran out before the pattern failed. */
static bool glob_run(const char *pat, size_t pat_len, const char *s, size_t len, bool prefix)
{
	size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;

	/* fnmatch(3) without flags, on bytes: '*' and '?' match '/' too (kworker/0:1). */
	while (i < len) {
		if (p < pat_len) {
			char pc = pat[p];
			bool hit = false;
			size_t adv = 0;

			if (pc == '*') {
				star_p = ++p;
				star_i = i;
				continue;
			}
			if (pc == '?') {
				hit = true;
				adv = 1;
			} else if (pc == '[' && (adv = class_match(pat + p, pat_len - p, (unsigned char)s[i], &hit))) {
				/* hit set by class_match */
			} else {
				if (pc == '\\' && p + 1 < pat_len)
					p++;
				hit = pat[p] == s[i];
				adv = 1;
			}
			if (hit) {
				p += adv;
				i++;
				continue;
			}
		}
		if (star_p == (size_t)-1)
			return false;
		p = star_p;
		i = ++star_i;
	}
	if (prefix)
		return true;
	while (p < pat_len && pat[p] == '*')
		p++;
	return p == pat_len;
}

bool glob_match(const char *pat, size_t pat_len, const char *s, size_t len)
{
	return glob_run(pat, pat_len, s, len, false);
}

enum name_match name_match_comm(const struct check *c, const char *comm, size_t comm_len)
{
	const char *name = c->u.proc.name;
	size_t name_len = c->arg_len;

	if (c->u.proc.glob) {
		if (glob_match(name, name_len, comm, comm_len))
			return NAME_YES;
		/* A cut comm is worth reading argv[0] for only if some longer name that starts with it could match. */
		return comm_len == COMM_TRUNCATED_LEN && glob_run(name, name_len, comm, comm_len, true) ? NAME_NEED_ARGV0
												 : NAME_NO;
	}
	if (comm_len == name_len && !memcmp(comm, name, name_len))
		return NAME_YES;
	/* comm is NAME cut at 15 bytes: only argv[0] can tell "kube-controller-manager" from "kube-controller-foo". */
	if (name_len > COMM_TRUNCATED_LEN && comm_len == COMM_TRUNCATED_LEN && !memcmp(comm, name, comm_len))
		return NAME_NEED_ARGV0;
	return NAME_NO;
}

bool name_match_argv0(const struct check *c, const char *comm, size_t comm_len, const char *base, size_t base_len)
{
	/* argv[0] is the process's own to set; it counts only where it agrees with what the kernel kept. */
	if (base_len < comm_len || memcmp(base, comm, comm_len))
		return false;
	if (!c->u.proc.glob)
		return base_len == c->arg_len && !memcmp(base, c->u.proc.name, base_len);
	return glob_match(c->u.proc.name, c->arg_len, base, base_len);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The state of one walk: what it shares between checks, and why it stopped. */
struct walk {
	int procfd;
	pid_t self;             /* healthy, numbered as the /proc it reads numbers it; 0 if not in it */
	pid_t ancestors[MAX_ANCESTORS];
	int nancestors;         /* -1: not looked up yet */
	unsigned unseen;        /* processes /proc would not show us (EACCES), or showed empty */
	int err;                /* errno that ended the walk, 0 if it ran to the end */
	char err_what[48];
};

bool proc_gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

static void walk_fail(struct walk *w, const char *what, pid_t pid, const char *file, int err)
{
	struct line l;

	line_reset(&l);
	line_str(&l, what);
	if (pid > 0) {
		line_str(&l, " /proc/");
		line_uint(&l, (unsigned long long)pid);
		line_str(&l, file);
	}
	if (l.len >= sizeof(w->err_what))
		l.len = sizeof(w->err_what) - 1;
	memcpy(w->err_what, l.buf, l.len);
	w->err_what[l.len] = '\0';
	w->err = err;
}

/* Sorts a failed open or read into gone (0), unseen (0, counted) or fatal (-1, the walk ends). */
static int read_error(struct walk *w, const char *what, pid_t pid, const char *file)
{
	if (proc_gone(errno))
		return 0;
	if (errno == EACCES || errno == EPERM) {
		w->unseen++;
		return 0;
	}
	walk_fail(w, what, pid, file, errno);
	return -1;
}

/* Opens PID/file under dirfd; failures as read_error() sorts them, -2 meaning "skip". */
static int open_at(struct walk *w, int dirfd, pid_t pid, const char *name, const char *file)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return read_error(w, "open", pid, file) ? -1 : -2;
	return fd;
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

	if (n <= 0 || n >= (ssize_t)sizeof(buf) || uint_parse(buf, (size_t)n, PID_MAX_LIMIT, &v))
		return 0;
	return (pid_t)v;
}

static void ancestors_load(struct walk *w)
{
	static char buf[STAT_SIZE];
	char path[32];
	pid_t p = w->self;

	w->nancestors = 0;
	/*
	 * Up the parents from healthy itself. PID 1 is never "the shell of the
	 * probe": in a container it is the service or its init, and on a host
	 * everything descends from it.
	 */
	while (p > 0 && w->nancestors < MAX_ANCESTORS) {
		struct proc_stat st;
		ssize_t n;

		proc_path(path, p, "/stat");
		n = io_read_at(w->procfd, path, buf, sizeof(buf));
		if (n <= 0 || stat_parse(buf, (size_t)n, &st) || st.ppid <= 1)
			break;
		p = st.ppid;
		w->ancestors[w->nancestors++] = p;
	}
}

static bool is_ancestor(struct walk *w, pid_t pid)
{
	int i;

	if (w->nancestors < 0)
		ancestors_load(w);
	for (i = 0; i < w->nancestors; i++) {
		if (w->ancestors[i] == pid)
			return true;
	}
	return false;
}

char proc_group_state(int dirfd, pid_t pid, char state, long threads)
{
	/*
	 * A zombie leader whose other threads still run ("Zl"): the process is
	 * what those threads are. One of them says whether it runs or is
	 * stopped; they stop and go on together.
	 */
	static uint64_t dents[512];
	static char buf[STAT_SIZE];
	char path[40];
	struct proc_stat st;
	long got, off = 0;
	int fd;

	if (state != 'Z' || threads <= 1)
		return state;
	fd = openat(dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return state;
	got = syscall(SYS_getdents64, fd, dents, sizeof(dents));
	while (off < got) {
		const struct linux_dirent64 *d = (const void *)((const char *)dents + off);
		unsigned long long tid;
		ssize_t n;

		off += d->d_reclen;
		if (uint_parse(d->d_name, strlen(d->d_name), PID_MAX_LIMIT, &tid) || (pid_t)tid == pid)
			continue;
		memcpy(path, "task/", 5);
		proc_path(path + 5, (pid_t)tid, "/stat");
		n = io_read_at(dirfd, path, buf, sizeof(buf));
		if (n > 0 && stat_parse(buf, (size_t)n, &st) == 0) {
			close(fd);
			return st.state;
		}
	}
	close(fd);
	return state;
}

static void evidence_add(struct pid_state *list, unsigned count, pid_t pid, char state)
{
	if (count < EVIDENCE_PIDS) {
		list[count].pid = pid;
		list[count].state = state;
	}
}

/*
 * Looks at one process whose comm may match. When more than stat is needed
 * (cmdline, status), every file is read from one directory fd, so all concern
 * the same process even if its PID is reused meanwhile; stat alone holds the
 * name it is matched on again. Returns -1 when the walk must stop.
 */
static int candidate(struct walk *w, struct check *checks, size_t n, pid_t pid, const bool *maybe, bool need_dir)
{
	static char stat_buf[STAT_SIZE], status_buf[STATUS_SIZE], cmdline_buf[CMDLINE_SIZE];
	char path[24];
	struct proc_stat st;
	struct proc_status status;
	const char *base = NULL;
	size_t base_len = 0, i;
	bool have_argv0 = false, have_status = false, live;
	char state;
	ssize_t len;
	int dfd = AT_FDCWD, fd, r = 0;

	if (need_dir) {
		proc_path(path, pid, "");
		dfd = open_at(w, w->procfd, pid, path, "");
		if (dfd < 0)
			return dfd == -1 ? -1 : 0;
		fd = open_at(w, dfd, pid, "stat", "/stat");
	} else {
		proc_path(path, pid, "/stat");
		fd = open_at(w, w->procfd, pid, path, "/stat");
	}
	if (fd < 0) {
		r = fd == -1 ? -1 : 0;
		goto out;
	}
	len = io_read_fd(fd, stat_buf, sizeof(stat_buf));
	if (len < 0) {
		r = read_error(w, "read", pid, "/stat");
		close(fd);
		goto out;
	}
	close(fd);
	if (stat_parse(stat_buf, (size_t)len, &st)) {
		/* Empty (it exited) or unparsable: nothing can be said of it, so it is not seen. */
		w->unseen += len > 0;
		goto out;
	}
	if (st.state == 'Z' && st.threads > 1 && !need_dir) {
		proc_path(path, pid, "");
		dfd = openat(w->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			dfd = AT_FDCWD;
	}
	state = dfd != AT_FDCWD ? proc_group_state(dfd, pid, st.state, st.threads) : st.state;
	live = proc_state_live(state, st.threads);
	for (i = 0; i < n; i++) {
		struct check *c = &checks[i];
		struct proc_tally *t = &c->u.proc.tally;
		enum name_match m;

		if (!maybe[i])
			continue;
		/* Match again on stat's comm: the process may have renamed itself since comm was read. */
		m = name_match_comm(c, st.comm, st.comm_len);
		if (m == NAME_NEED_ARGV0) {
			if (!have_argv0) {
				if (argv0_read(dfd, cmdline_buf, sizeof(cmdline_buf), &base, &base_len) &&
				    (r = read_error(w, "read", pid, "/cmdline")))
					goto out;
				have_argv0 = true;
			}
			m = name_match_argv0(c, st.comm, st.comm_len, base, base_len) ? NAME_YES : NAME_NO;
		}
		if (m != NAME_YES)
			continue;
		if (is_ancestor(w, pid)) {
			if (!t->ancestors++)
				t->ancestor_pid = pid;
			continue;
		}
		if (c->u.proc.by_user) {
			if (!have_status) {
				len = io_read_at(dfd, "status", status_buf, sizeof(status_buf));
				if (len < 0) {
					r = read_error(w, "read", pid, "/status");
					goto out;
				}
				if (status_parse(status_buf, (size_t)len, &status) || !status.have_uid) {
					w->unseen++;
					goto out;
				}
				have_status = true;
			}
			if (status.ruid != c->u.proc.uid) {
				t->other_users += live;
				continue;
			}
		}
		if (live) {
			evidence_add(t->live_pids, t->live, pid, state);
			t->live++;
		} else if (state == 'Z') {
			t->zombies++;
		} else {
			evidence_add(t->unlive_pids, t->unlive, pid, state);
			t->unlive++;
		}
	}
out:
	if (dfd != AT_FDCWD)
		close(dfd);
	return r;
}

/* True when no process the walk could still find would change c's verdict. */
static bool decided(const struct check *c)
{
	return !c->u.proc.max_given && c->u.proc.tally.live >= c->u.proc.min;
}

/* Reads /proc/PID/comm and hands the processes whose name may match to candidate(). Returns -1 to stop. */
static int visit(struct walk *w, struct check *checks, size_t n, pid_t pid)
{
	char comm[COMM_SIZE], path[24];
	bool maybe[MAX_CHECKS], any = false, need_dir = false;
	ssize_t len;
	size_t comm_len, i;
	int fd;

	if (pid == w->self)
		return 0;
	proc_path(path, pid, "/comm");
	fd = open_at(w, w->procfd, pid, path, "/comm");
	if (fd < 0)
		return fd == -1 ? -1 : 0;
	/*
	 * One read: comm is one record of at most 64 bytes, which the kernel
	 * hands over whole (fs/proc/base.c comm_show), so no read to EOF.
	 */
	do
		len = read(fd, comm, sizeof(comm));
	while (len < 0 && errno == EINTR);
	if (len < 0) {
		int r = read_error(w, "read", pid, "/comm");

		close(fd);
		return r;
	}
	close(fd);
	if (len == 0) {
		/* No name at all: it cannot be matched, so it is not seen. */
		w->unseen++;
		return 0;
	}
	comm_len = comm_parse(comm, (size_t)len);
	for (i = 0; i < n; i++) {
		enum name_match m = checks[i].kind == CHECK_PROC ? name_match_comm(&checks[i], comm, comm_len) : NAME_NO;

		maybe[i] = m != NAME_NO;
		any |= maybe[i];
		need_dir |= m == NAME_NEED_ARGV0 || (maybe[i] && checks[i].u.proc.by_user);
	}
	return any ? candidate(w, checks, n, pid, maybe, need_dir) : 0;
}

static bool all_decided(const struct check *checks, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (checks[i].kind == CHECK_PROC && !decided(&checks[i]))
			return false;
	}
	return true;
}

/* Walks /proc. Returns 0 when the walk saw every process (or all checks were decided), -1 otherwise. */
static int walk(struct walk *w, struct check *checks, size_t n, bool verbose)
{
	/* uint64_t: getdents64 records are 8-byte aligned, and so is the buffer. */
	static uint64_t dents[DENTS_SIZE / sizeof(uint64_t)];

	for (;;) {
		long got = syscall(SYS_getdents64, w->procfd, dents, sizeof(dents));
		long off = 0;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			walk_fail(w, "read /proc", 0, "", errno);
			return -1;
		}
		if (got == 0)
			return 0;
		while (off < got) {
			const struct linux_dirent64 *d = (const void *)((const char *)dents + off);
			unsigned long long pid;

			off += d->d_reclen;
			if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
			    uint_parse(d->d_name, strlen(d->d_name), PID_MAX_LIMIT, &pid))
				continue;
			if (visit(w, checks, n, (pid_t)pid))
				return -1;
			confine_progress++;     /* a walk that moves is slow, not stuck */
		}
		if (!verbose && all_decided(checks, n))
			return 0;
	}
}

/* " (pid 41 S)", " (pids 41 S, 97 R, and 3 more)", or nothing for none. */
static void append_pids(struct line *l, const struct pid_state *list, unsigned count)
{
	unsigned i;

	if (!count)
		return;
	line_str(l, count == 1 ? " (pid " : " (pids ");
	for (i = 0; i < count && i < EVIDENCE_PIDS; i++) {
		line_str(l, i ? ", " : "");
		line_uint(l, (unsigned long long)list[i].pid);
		line_str(l, " ");
		line_mem(l, &list[i].state, 1);
	}
	if (count > EVIDENCE_PIDS) {
		line_str(l, ", and ");
		line_uint(l, count - EVIDENCE_PIDS);
		line_str(l, " more");
	}
	line_str(l, ")");
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

/* The processes that carry the name but do not count: "(1 zombie; stopped, pid 42)". */
static void append_not_counted(struct line *l, const struct check *c)
{
	const struct proc_tally *t = &c->u.proc.tally;
	const char *sep = " (";
	unsigned i;

	if (t->zombies) {
		line_str(l, sep);
		line_uint(l, t->zombies);
		line_str(l, t->zombies == 1 ? " zombie" : " zombies");
		sep = "; ";
	}
	for (i = 0; i < t->unlive && i < EVIDENCE_PIDS; i++) {
		line_str(l, sep);
		line_str(l, proc_state_word(t->unlive_pids[i].state));
		line_str(l, ", pid ");
		line_uint(l, (unsigned long long)t->unlive_pids[i].pid);
		sep = "; ";
	}
	if (t->unlive > EVIDENCE_PIDS) {
		line_str(l, sep);
		line_uint(l, t->unlive - EVIDENCE_PIDS);
		line_str(l, " more stopped");
	}
	if (t->other_users) {
		line_str(l, sep);
		line_uint(l, t->other_users);
		line_str(l, " running as other users");
		sep = "; ";
	}
	if (t->ancestors) {
		line_str(l, sep);
		line_str(l, "not counting healthy's own ancestor, pid ");
		line_uint(l, (unsigned long long)t->ancestor_pid);
		sep = "; ";
	}
	if (sep[0] == ';')
		line_str(l, ")");
}

static void verdict(struct check *c, struct walk *w, bool complete)
{
	const struct proc_tally *t = &c->u.proc.tally;
	struct line *l = &c->why;
	bool pass = t->live >= c->u.proc.min && t->live <= c->u.proc.max;

	line_reset(l);
	if ((pass && decided(c)) || t->live > c->u.proc.max) {
		/* Enough were seen, or too many: nothing unseen can change that. */
	} else if (!complete) {
		c->verdict = VERDICT_ERROR;
		line_errno(l, w->err_what, w->err);
		return;
	} else if (!procfs_sees_all(w->procfd) || w->unseen) {
		/* An unseen process could be the one that matches, or one too many. */
		c->verdict = VERDICT_ERROR;
		line_str(l, "cannot tell: ");
		if (!procfs_sees_all(w->procfd)) {
			procfs_hidden_reason(l);
		} else {
			line_str(l, "/proc would not show ");
			line_uint(l, w->unseen);
			line_str(l, w->unseen == 1 ? " process" : " processes");
		}
		line_str(l, "; ");
		line_uint(l, t->live);
		line_str(l, " running among those it shows");
		return;
	}
	c->verdict = pass ? VERDICT_PASS : VERDICT_FAIL;
	if (pass) {
		line_str(l, "ok: ");
		if (t->live)
			line_uint(l, t->live);
		line_str(l, t->live ? " running" : "none running");
		append_pids(l, t->live_pids, t->live);
		return;
	}
	if (t->live == 0) {
		line_str(l, "not running");
		if (c->u.proc.by_user) {
			line_str(l, " as uid ");
			line_uint(l, (unsigned long long)c->u.proc.uid);
		}
	} else {
		line_uint(l, t->live);
		line_str(l, t->live > c->u.proc.max && !complete ? " or more running, want " : " running, want ");
		line_str(l, t->live < c->u.proc.min ? "at least " : "at most ");
		line_uint(l, t->live < c->u.proc.min ? c->u.proc.min : c->u.proc.max);
		append_pids(l, t->live_pids, t->live);
	}
	append_not_counted(l, c);
}

void proc_run(struct check *checks, size_t n, bool verbose)
{
	struct walk w;
	struct line err;
	size_t i;
	bool any = false, complete;

	for (i = 0; i < n; i++)
		any |= checks[i].kind == CHECK_PROC;
	if (!any)
		return;
	memset(&w, 0, sizeof(w));
	line_reset(&err);
	w.procfd = procfs_open(&err);
	if (w.procfd < 0) {
		for (i = 0; i < n; i++) {
			if (checks[i].kind == CHECK_PROC) {
				checks[i].verdict = VERDICT_ERROR;
				checks[i].why = err;
			}
		}
		return;
	}
	/* The fd lives for the run, and a watch walks it again and again: from the start each time. */
	lseek(w.procfd, 0, SEEK_SET);
	w.self = self_pid(w.procfd);
	w.nancestors = -1;
	complete = walk(&w, checks, n, verbose) == 0;
	for (i = 0; i < n; i++) {
		if (checks[i].kind == CHECK_PROC)
			verdict(&checks[i], &w, complete);
	}
}
