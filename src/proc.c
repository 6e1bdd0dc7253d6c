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
/*
 * A PID namespace that shows at most this many processes besides healthy and
 * its ancestors is likely a container's own, not the shared one a check of
 * another container's process needs: its init, its service, a few workers.
 * A host's shows a hundred or more, its kernel threads alone.
 */
#define FEW_PROCS 5

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

/*
 * Reads cmdline under dirfd, feeding it to a (as far as argv[1] goes) or
 * else to m (until its answer is known). Returns 0, or -1 with errno.
 */
static int cmdline_read(int dirfd, struct argv_names *a, struct args_match *m)
{
	static char buf[CMDLINE_SIZE];
	int fd = openat(dirfd, "cmdline", O_RDONLY | O_CLOEXEC | O_NOCTTY), saved;
	ssize_t n;

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

/*
 * /proc/PID itself, or with via (not 0), its thread via: a zombie leader has
 * no memory left to show, and a thread that lives on shows the process's.
 * Returns the fd (dirfd, or one to close), or -1 with errno.
 */
static int via_dir(int dirfd, pid_t via)
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
	fd = via_dir(dirfd, via);
	/* The thread chosen to speak for a zombie leader went: the process may live on, its name unknown. */
	if (fd < 0)
		return via && proc_gone(errno) ? 0 : -1;
	argv_names_start(&a);
	r = cmdline_read(fd, &a, NULL);
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

int proc_name_parse(struct proc_name *pn, const struct check *c, const char *s, size_t n, struct line *err)
{
	if (n == 0) {
		check_usage(err, c, "empty name");
		return -1;
	}
	if (n >= PROC_NAME_SIZE) {
		check_usage(err, c, "name too long (at most 255 bytes)");
		return -1;
	}
	memcpy(pn->s, s, n);
	pn->s[n] = '\0';
	pn->len = n;
	pn->glob = memchr(s, '*', n) || memchr(s, '?', n) || memchr(s, '[', n);
	pn->open = glob_open(s, n);
	return 0;
}

static int proc_option_parse(struct check *c, const char *opt, size_t n, struct line *err)
{
	size_t key_len = scan_option_key(opt, n);
	const char *val = opt + key_len + 1;
	size_t val_len = n - key_len - 1;
	unsigned long long v;

	if (key_len == 3 && (!memcmp(opt, "min", 3) || !memcmp(opt, "max", 3))) {
		bool is_min = opt[1] == 'i';
		bool *given = is_min ? &c->u.proc.min_given : &c->u.proc.max_given;
		int r = scan_uint(val, val_len, 1000000, &v);

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
		r = scan_uint(val, val_len, 4294967294ULL, &v);
		if (r == -2) {
			check_usage(err, c, "uid out of range");
			return -1;
		}
		c->u.proc.uid_known = r == 0;
		c->u.proc.uid = r == 0 ? (uid_t)v : 0;
		return 0;
	}
	if (key_len == 4 && !memcmp(opt, "args", 4)) {
		if (c->u.proc.args) {
			check_usage(err, c, "args= given twice");
			return -1;
		}
		if (val_len == 0) {
			check_usage(err, c, "empty args (args=* takes any)");
			return -1;
		}
		if (val_len > ARGS_GLOB_SIZE) {
			check_usage(err, c, "args too long (at most 256 bytes)");
			return -1;
		}
		c->u.proc.args = val;
		c->u.proc.args_len = val_len;
		return 0;
	}
	return check_option_unknown(c, opt, key_len, "min=, max=, user=, args=", err);
}

/* The last ",args=" in body before end, or NULL. */
static const char *args_comma(const char *body, const char *end)
{
	while ((end = memrchr(body, ',', (size_t)(end - body))) != NULL) {
		if (!strncmp(end + 1, "args=", 5))
			return end;
	}
	return NULL;
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
		/*
		 * A piece that is no option (",b") belongs to an args= glob on its
		 * left, commas and all ("args=-Dx=1,y" ... is one glob); with none
		 * there, it is part of the name.
		 */
		if (!scan_option_key(opt, opt_len)) {
			comma = args_comma(body, comma);
			if (!comma)
				break;
			opt = comma + 1;
			opt_len = n - (size_t)(opt - body);
		}
		if (proc_option_parse(c, opt, opt_len, err))
			return -1;
		n = (size_t)(comma - body);
	}
	if (proc_name_parse(&c->u.proc.name, c, body, n, err))
		return -1;
	/* "max=0" alone asks that none run: it cannot mean "at least one". */
	if (c->u.proc.max_given && c->u.proc.max == 0 && !c->u.proc.min_given)
		c->u.proc.min = 0;
	if (c->u.proc.min > c->u.proc.max) {
		check_usage(err, c, "min= is more than max=");
		return -1;
	}
	c->arg = body;
	c->arg_len = n;
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

/*
 * Matches the element at pat[p], which is not '*', against c: '?', a class,
 * an escaped or a plain byte. Returns its length in the pattern.
 */
static size_t glob_elem(const char *pat, size_t pat_len, size_t p, unsigned char c, bool *hit)
{
	size_t adv;

	*hit = true;
	if (pat[p] == '?')
		return 1;
	if (pat[p] == '[' && (adv = class_match(pat + p, pat_len - p, c, hit)))
		return adv;
	adv = pat[p] == '\\' && p + 1 < pat_len ? 2 : 1;
	*hit = (unsigned char)pat[p + adv - 1] == c;
	return adv;
}

/* With prefix, true when some name that starts with s could match: s ran out before the pattern failed. */
static bool glob_run(const char *pat, size_t pat_len, const char *s, size_t len, bool prefix)
{
	size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;

	/* fnmatch(3) without flags, on bytes: '*' and '?' match '/' too (kworker/0:1). */
	while (i < len) {
		if (p < pat_len) {
			bool hit;
			size_t adv;

			if (pat[p] == '*') {
				star_p = ++p;
				star_i = i;
				continue;
			}
			adv = glob_elem(pat, pat_len, p, (unsigned char)s[i], &hit);
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

bool glob_open(const char *pat, size_t len)
{
	size_t p = 0;
	bool star = false, hit;

	/* Element by element: a\* and [*] end in a byte, [* and \\* in a star. */
	while (p < len) {
		star = pat[p] == '*';
		p += star ? 1 : glob_elem(pat, len, p, 0, &hit);
	}
	return star;
}

/* Takes the '*'s at p: they match nothing yet, and no byte before them is needed again. */
static void args_stars(struct args_match *m)
{
	while (m->p < m->pat_len && m->pat[m->p] == '*') {
		m->star_p = ++m->p;
		m->n = 0;
	}
}

void args_match_start(struct args_match *m, const char *pat, size_t pat_len)
{
	memset(m, 0, offsetof(struct args_match, buf));
	m->pat = pat;
	m->pat_len = pat_len;
	m->star_p = ARGS_NO_STAR;
	args_stars(m);
}

/*
 * glob_run() on a string that arrives a byte at a time. Where glob_run()
 * goes back to the byte after the one the last '*' took first, this replays
 * buf, which holds the bytes from there on: no more than the pattern
 * elements met since that '*', and the new byte. So a byte costs at most
 * that many steps, as in glob_run(): a MiB of "a" against "*aaa...ab*"
 * (30 a) takes some 190 ms, a real glob on a real command line a few.
 */
static void args_step(struct args_match *m, char c)
{
	size_t i = m->n;

	if (m->dead)
		return;
	m->buf[m->n++] = c;
	while (i < m->n) {
		bool hit = false;

		if (m->p < m->pat_len && m->pat[m->p] == '*') {
			m->star_p = ++m->p;
			m->n -= i;
			memmove(m->buf, m->buf + i, m->n);
			i = 0;
			continue;
		}
		if (m->p < m->pat_len) {
			size_t adv = glob_elem(m->pat, m->pat_len, m->p, (unsigned char)m->buf[i], &hit);

			if (hit) {
				m->p += adv;
				i++;
				continue;
			}
		}
		if (m->star_p == ARGS_NO_STAR) {
			/* No '*' to take more: nothing that starts so can match. */
			m->dead = true;
			return;
		}
		/* The last '*' takes one byte more; match on from the next. */
		m->p = m->star_p;
		memmove(m->buf, m->buf + 1, --m->n);
		i = 0;
	}
	args_stars(m);
}

/* Known: no match whatever follows, or a match whatever follows (the pattern ends in a '*' it reached). */
static bool args_known(const struct args_match *m)
{
	return m->dead || m->star_p == m->pat_len;
}

bool args_match_feed(struct args_match *m, const char *buf, size_t len)
{
	size_t k;

	for (k = 0; k < len && !args_known(m); k++) {
		if (!m->in_args) {
			/* argv[0] is the name's business, not the arguments'. */
			m->in_args = buf[k] == '\0';
		} else if (buf[k] == '\0') {
			m->nuls++;
		} else {
			for (; m->nuls; m->nuls--)
				args_step(m, ' ');
			args_step(m, buf[k]);
		}
	}
	return args_known(m);
}

bool args_match_end(const struct args_match *m)
{
	/* The '*'s after the last byte are taken already: the pattern must be used up. */
	return !m->dead && m->p == m->pat_len;
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
	could = pn->glob ? glob_run(pn->s, pn->len, comm, comm_len, true)
			 : pn->len >= comm_len && !memcmp(pn->s, comm, comm_len);
	return could ? NAME_NEED_FULL : NAME_NO;
}

bool name_match_full(const struct proc_name *pn, const char *full, size_t len)
{
	if (pn->glob)
		return glob_match(pn->s, pn->len, full, len);
	return len == pn->len && !memcmp(full, pn->s, len);
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
	struct lineage lineage; /* healthy and its ancestors, never counted */
	unsigned unseen;        /* processes /proc would not show us (EACCES), or showed empty */
	unsigned procs;         /* the PIDs /proc listed, healthy's own included */
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
	while (p > 0 && l->n < MAX_ANCESTORS) {
		struct proc_stat st;
		ssize_t n;

		proc_path(path, p, "/stat");
		n = io_read_at(l->procfd, path, buf, sizeof(buf));
		if (n <= 0 || stat_parse(buf, (size_t)n, &st) || st.ppid <= 1)
			break;
		p = st.ppid;
		l->up[l->n++] = p;
	}
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
			ssize_t n;

			off += d->d_reclen;
			if (scan_uint(d->d_name, strlen(d->d_name), PID_MAX_LIMIT, &tid) || (pid_t)tid == pid)
				continue;
			memcpy(path, "task/", 5);
			proc_path(path + 5, (pid_t)tid, "/stat");
			n = io_read_at(dirfd, path, buf, sizeof(buf));
			if (n <= 0 || stat_parse(buf, (size_t)n, &st) || state_rank(st.state) <= state_rank(group))
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

static void evidence_add(struct pid_state *list, unsigned count, pid_t pid, char state)
{
	if (count < EVIDENCE_PIDS) {
		list[count].pid = pid;
		list[count].state = state;
	}
}

/*
 * Whether the arguments of the process at dirfd (read through its thread
 * via, when not 0) match c's args=. Returns 1 or 0, or -1 with errno.
 */
static int args_check(int dirfd, pid_t via, const struct check *c)
{
	static struct args_match m;
	int fd = via_dir(dirfd, via), r, e;

	if (fd < 0)
		return -1;
	args_match_start(&m, c->u.proc.args, c->u.proc.args_len);
	r = cmdline_read(fd, NULL, &m);
	e = errno;
	if (fd != dirfd)
		close(fd);
	errno = e;
	return r ? -1 : args_match_end(&m);
}

/*
 * Looks at one process whose comm may match. When more than stat is needed
 * (cmdline, exe, status), every file is read from one directory fd, so all
 * concern the same process even if its PID is reused meanwhile; stat alone
 * holds the name it is matched on again. Returns -1 when the walk must stop.
 */
static int candidate(struct walk *w, struct check *checks, size_t n, pid_t pid, const bool *maybe, bool need_dir)
{
	static char stat_buf[STAT_SIZE], status_buf[STATUS_SIZE];
	char path[24];
	struct proc_stat st;
	struct proc_status status;
	const char *full = NULL;
	size_t full_len = 0, i;
	int have_full = -2;     /* -2: not read yet; else what proc_full_name() returned */
	bool have_status = false, live;
	pid_t via;
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
	via = pid;
	state = dfd != AT_FDCWD ? proc_group_state(dfd, pid, st.state, st.threads, &via) : st.state;
	live = proc_state_live(state);
	for (i = 0; i < n; i++) {
		struct check *c = &checks[i];
		struct proc_tally *t = &c->u.proc.tally;
		enum name_match m;
		bool unsure = false, anc;

		if (!maybe[i])
			continue;
		/* Match again on stat's comm: the process may have renamed itself since comm was read. */
		m = name_match_comm(&c->u.proc.name, st.comm, st.comm_len);
		if (m == NAME_NEED_FULL) {
			/* stat's comm may differ from comm's (a rename in between): /proc/PID is opened now, then. */
			if (have_full == -2 && dfd == AT_FDCWD) {
				proc_path(path, pid, "");
				dfd = open_at(w, w->procfd, pid, path, "");
				if (dfd < 0) {
					r = dfd == -1 ? -1 : 0;
					dfd = AT_FDCWD;
					goto out;
				}
			}
			if (have_full == -2) {
				have_full = proc_full_name(dfd, via != pid ? via : 0, &st, &full, &full_len);
				/* Gone, or hidden (counted unseen): nothing more to say of it, for any check. */
				if (have_full < 0) {
					r = read_error(w, "read", pid, "/cmdline");
					goto out;
				}
			}
			unsure = have_full != 1;
			m = unsure || name_match_full(&c->u.proc.name, full, full_len) ? NAME_YES : NAME_NO;
		}
		if (m != NAME_YES)
			continue;
		/* healthy's ancestor is never counted, nor said to be held back unless it passes the other tests too. */
		anc = lineage_of(&w->lineage, pid) != LINEAGE_NONE;
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
				t->other_users += live && !unsure && !anc;
				continue;
			}
		}
		if (c->u.proc.args) {
			int a = args_check(dfd, via != pid ? via : 0, c);

			/* Gone, or hidden: nothing more to say of it, for any check. */
			if (a < 0) {
				r = read_error(w, "read", pid, "/cmdline");
				goto out;
			}
			if (!a) {
				t->other_args += live && !unsure && !anc;
				continue;
			}
		}
		if (anc) {
			if (!unsure && !t->ancestors++)
				t->ancestor_pid = pid;
			continue;
		}
		if (unsure) {
			/* Only a process that runs could change the count; a dead one of any name is no answer. */
			if (live && !t->unsure++)
				t->unsure_pid = pid;
		} else if (live) {
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

	if (pid == w->lineage.self)
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
		enum name_match m = checks[i].kind == CHECK_PROC ? name_match_comm(&checks[i].u.proc.name, comm, comm_len)
								 : NAME_NO;

		maybe[i] = m != NAME_NO;
		any |= maybe[i];
		need_dir |= m == NAME_NEED_FULL || (maybe[i] && (checks[i].u.proc.by_user || checks[i].u.proc.args));
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
			    scan_uint(d->d_name, strlen(d->d_name), PID_MAX_LIMIT, &pid))
				continue;
			w->procs++;
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
	if (t->other_args) {
		line_str(l, sep);
		line_uint(l, t->other_args);
		line_str(l, " running with other arguments");
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

/*
 * Whether nothing of the name was seen, in a PID namespace so small that the
 * process may run in another: a sidecar's check of a container whose PID
 * namespace it does not share (no pidMode "task", no shareProcessNamespace).
 */
static bool alone(struct walk *w, const struct proc_tally *t)
{
	unsigned mine;

	if (t->zombies || t->unlive || t->other_users || t->other_args || t->ancestors || t->unsure)
		return false;
	if (w->lineage.n < 0)
		ancestors_load(&w->lineage);
	mine = (w->lineage.self != 0) + (unsigned)w->lineage.n;
	return w->procs <= mine + FEW_PROCS;
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
	} else if (t->unsure && (pass ? t->live + t->unsure > c->u.proc.max : t->live + t->unsure >= c->u.proc.min)) {
		/* A process that may carry NAME, or not: counting it or not would change the answer. */
		c->verdict = VERDICT_ERROR;
		line_str(l, "cannot tell: the name of pid ");
		line_uint(l, (unsigned long long)t->unsure_pid);
		if (t->unsure > 1) {
			line_str(l, " (and ");
			line_uint(l, t->unsure - 1);
			line_str(l, " more)");
		}
		line_str(l, " is cut to 15 bytes, and neither its command line nor its executable gives the rest; ");
		line_uint(l, t->live);
		line_str(l, " running besides");
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
			bool numeric = c->u.proc.user_len == strspn(c->u.proc.user, "0123456789");

			/* The user as typed, then the uid it stands for: "as user redis (uid 100)". */
			line_str(l, numeric ? " as uid " : " as user ");
			if (!numeric) {
				line_escaped(l, c->u.proc.user, c->u.proc.user_len);
				line_str(l, " (uid ");
			}
			line_uint(l, (unsigned long long)c->u.proc.uid);
			line_str(l, numeric ? "" : ")");
		}
		if (alone(w, t)) {
			line_str(l, " (this PID namespace shows ");
			line_uint(l, w->procs);
			line_str(l, w->procs == 1 ? " process" : " processes");
			line_str(l, ": is it shared?)");
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
	lineage_start(&w.lineage, w.procfd);
	complete = walk(&w, checks, n, verbose) == 0;
	for (i = 0; i < n; i++) {
		if (checks[i].kind == CHECK_PROC)
			verdict(&checks[i], &w, complete);
	}
}
