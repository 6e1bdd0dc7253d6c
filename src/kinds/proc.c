#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exitcode.h"
#include "lib/confine.h"
#include "lib/io.h"
#include "lib/passwd.h"
#include "lib/procfs.h"
#include "lib/scan.h"

/* 4 KiB of getdents holds ~150 PIDs: a match near the start of /proc ends the walk early. */
#define DENTS_SIZE 4096
/*
 * A PID namespace that shows at most this many processes besides healthy and
 * its ancestors is likely a container's own, not the shared one a check of
 * another container's process needs: its init, its service, a few workers.
 * A host's shows a hundred or more, its kernel threads alone.
 */
#define FEW_PROCS 5

static struct proc_check pool[MAX_CHECKS];
static unsigned pool_next;

static struct proc_check *proc_of(const struct check *c)
{
	return c->state;
}

static int proc_option_parse(struct check *c, const char *opt, size_t n, struct line *err)
{
	size_t key_len = scan_option_key(opt, n);
	const char *val = opt + key_len + 1;
	size_t val_len = n - key_len - 1;
	unsigned long long v;

	if (key_len == 3 && (!memcmp(opt, "min", 3) || !memcmp(opt, "max", 3))) {
		bool is_min = opt[1] == 'i';
		bool *given = is_min ? &proc_of(c)->min_given : &proc_of(c)->max_given;
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
		*(is_min ? &proc_of(c)->min : &proc_of(c)->max) = (unsigned)v;
		return 0;
	}
	if (key_len == 4 && !memcmp(opt, "user", 4)) {
		int r;

		if (proc_of(c)->by_user) {
			check_usage(err, c, "user= given twice");
			return -1;
		}
		if (val_len == 0) {
			check_usage(err, c, "empty user");
			return -1;
		}
		proc_of(c)->by_user = true;
		proc_of(c)->user = val;
		proc_of(c)->user_len = val_len;
		/* (uid_t)-1 means "no uid" to the kernel: never a user. */
		r = scan_uint(val, val_len, 4294967294ULL, &v);
		if (r == -2) {
			check_usage(err, c, "uid out of range");
			return -1;
		}
		proc_of(c)->uid_known = r == 0;
		proc_of(c)->uid = r == 0 ? (uid_t)v : 0;
		return 0;
	}
	if (key_len == 4 && !memcmp(opt, "args", 4)) {
		if (proc_of(c)->args) {
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
		proc_of(c)->args = val;
		proc_of(c)->args_len = val_len;
		return 0;
	}
	return check_option_unknown(c, opt, key_len, "min=, max=, user=, args=", false, err);
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

static int proc_parse(struct check *c, const char *body, struct line *err)
{
	size_t n = strlen(body);
	const char *comma;

	check_state(c, pool, sizeof(pool[0]), &pool_next);
	proc_of(c)->min = 1;
	proc_of(c)->max = UINT_MAX;
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
	if (check_procname(c, &proc_of(c)->name, body, n, err))
		return -1;
	/* "max=0" alone asks that none run: it cannot mean "at least one". */
	if (proc_of(c)->max_given && proc_of(c)->max == 0 && !proc_of(c)->min_given)
		proc_of(c)->min = 0;
	if (proc_of(c)->min > proc_of(c)->max) {
		check_usage(err, c, "min= is more than max=");
		return -1;
	}
	c->arg = body;
	c->arg_len = n;
	return 0;
}

/* The state of one walk: what it shares between checks, and why it stopped. */
struct walk {
	int procfd;
	struct lineage lineage; /* healthy and its ancestors, never counted */
	unsigned unseen;        /* processes /proc would not show us (EACCES), or showed empty */
	unsigned procs;         /* the PIDs /proc listed, healthy's own included */
	int err;                /* errno that ended the walk, 0 if it ran to the end */
	char err_what[48];
};

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

static void evidence_add(struct pid_state *list, unsigned count, pid_t pid, char state)
{
	if (count < EVIDENCE_PIDS) {
		list[count].pid = pid;
		list[count].state = state;
	}
}

void proc_tally_add(struct proc_tally *t, pid_t pid, const struct proc_facts *f)
{
	bool live = proc_state_live(f->state), counts = live && !f->unsure && !f->ancestor;

	if (f->other_user) {
		t->other_users += counts;
		return;
	}
	if (f->other_args) {
		t->other_args += counts;
		return;
	}
	/* healthy's ancestor is never counted, nor said to be held back unless it passes the other tests too. */
	if (f->ancestor) {
		if (!f->unsure && !t->ancestors++)
			t->ancestor_pid = pid;
		return;
	}
	if (f->unsure) {
		/* Only a process that runs could change the count; a dead one of any name is no answer. */
		if (live && !t->unsure++)
			t->unsure_pid = pid;
	} else if (live) {
		evidence_add(t->live_pids, t->live, pid, f->state);
		t->live++;
	} else if (f->state == 'Z') {
		t->zombies++;
	} else {
		evidence_add(t->unlive_pids, t->unlive, pid, f->state);
		t->unlive++;
	}
}

/*
 * Whether the arguments of the process at dirfd (read through its thread
 * via, when not 0) match c's args=. Returns 1 or 0, or -1 with errno.
 */
static int args_check(int dirfd, pid_t via, const struct check *c)
{
	static struct args_match m;
	int fd = proc_via_dir(dirfd, via), r, e;

	if (fd < 0)
		return -1;
	args_match_start(&m, proc_of(c)->args, proc_of(c)->args_len);
	r = proc_cmdline_read(fd, NULL, &m);
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
static int candidate(struct walk *w, struct check **cs, size_t n, pid_t pid, const bool *maybe, bool need_dir)
{
	static char stat_buf[STAT_SIZE], status_buf[STATUS_SIZE];
	char path[24];
	struct proc_stat st;
	struct proc_status status;
	const char *full = NULL;
	size_t full_len = 0, i;
	int have_full = -2;     /* -2: not read yet; else what proc_full_name() returned */
	bool have_status = false;
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
	for (i = 0; i < n; i++) {
		struct check *c = cs[i];
		struct proc_tally *t = &proc_of(c)->tally;
		struct proc_facts facts;
		enum name_match m;
		bool unsure = false;

		if (!maybe[i])
			continue;
		/* Match again on stat's comm: the process may have renamed itself since comm was read. */
		m = name_match_comm(&proc_of(c)->name, st.comm, st.comm_len);
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
			m = unsure || name_match_full(&proc_of(c)->name, full, full_len) ? NAME_YES : NAME_NO;
		}
		if (m != NAME_YES)
			continue;
		facts = (struct proc_facts){ .state = state, .unsure = unsure };
		facts.ancestor = lineage_of(&w->lineage, pid) != LINEAGE_NONE;
		if (proc_of(c)->by_user) {
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
			facts.other_user = status.ruid != proc_of(c)->uid;
		}
		/* Its arguments are read only for a process that could count. */
		if (proc_of(c)->args && !facts.other_user) {
			int a = args_check(dfd, via != pid ? via : 0, c);

			/* Gone, or hidden: nothing more to say of it, for any check. */
			if (a < 0) {
				r = read_error(w, "read", pid, "/cmdline");
				goto out;
			}
			facts.other_args = !a;
		}
		proc_tally_add(t, pid, &facts);
	}
out:
	if (dfd != AT_FDCWD)
		close(dfd);
	return r;
}

/* True when no process the walk could still find would change c's verdict. */
static bool decided(const struct check *c)
{
	return !proc_of(c)->max_given && proc_of(c)->tally.live >= proc_of(c)->min;
}

/* Reads /proc/PID/comm and hands the processes whose name may match to candidate(). Returns -1 to stop. */
static int look_at(struct walk *w, struct check **cs, size_t n, pid_t pid)
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
		enum name_match m = name_match_comm(&proc_of(cs[i])->name, comm, comm_len);

		maybe[i] = m != NAME_NO;
		any |= maybe[i];
		need_dir |= m == NAME_NEED_FULL || (maybe[i] && (proc_of(cs[i])->by_user || proc_of(cs[i])->args));
	}
	return any ? candidate(w, cs, n, pid, maybe, need_dir) : 0;
}

static bool all_decided(struct check *const *cs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!decided(cs[i]))
			return false;
	}
	return true;
}

/* Walks /proc. Returns 0 when the walk saw every process (or all checks were decided), -1 otherwise. */
static int walk_proc(struct walk *w, struct check **cs, size_t n, bool verbose)
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
			if (look_at(w, cs, n, (pid_t)pid))
				return -1;
			confine_progress++;     /* a walk that moves is slow, not stuck */
			/* Decided at this process: the rest of the buffer is ~100 more reads of comm for nothing. */
			if (!verbose && all_decided(cs, n))
				return 0;
		}
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

/* The processes that carry the name but do not count: "(1 zombie; stopped, pid 42)". */
static void append_not_counted(struct line *l, struct check *c)
{
	const struct proc_tally *t = &proc_of(c)->tally;
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
		/* The one left out may be the very process: no evidence that none runs. */
		c->weak = true;
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
	/* healthy and its ancestors are at most 1 + MAX_ANCESTORS: more than that and FEW_PROCS is not alone. */
	if (w->procs > 1 + MAX_ANCESTORS + FEW_PROCS)
		return false;
	mine = (unsigned)lineage_size(&w->lineage);
	return w->procs <= mine + FEW_PROCS;
}

static void decide(struct check *c, struct walk *w, bool complete)
{
	const struct proc_tally *t = &proc_of(c)->tally;
	struct line *l = &c->why;
	bool pass = t->live >= proc_of(c)->min && t->live <= proc_of(c)->max;

	line_reset(l);
	if ((pass && decided(c)) || t->live > proc_of(c)->max) {
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
	} else if (t->unsure && (pass ? t->live + t->unsure > proc_of(c)->max : t->live + t->unsure >= proc_of(c)->min)) {
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
		if (proc_of(c)->by_user) {
			bool numeric = proc_of(c)->user_len == strspn(proc_of(c)->user, "0123456789");

			/* The user as typed, then the uid it stands for: "as user redis (uid 100)". */
			line_str(l, numeric ? " as uid " : " as user ");
			if (!numeric) {
				line_escaped(l, proc_of(c)->user, proc_of(c)->user_len);
				line_str(l, " (uid ");
			}
			line_uint(l, (unsigned long long)proc_of(c)->uid);
			line_str(l, numeric ? "" : ")");
		}
		if (alone(w, t)) {
			c->weak = true;
			line_str(l, " (this PID namespace shows ");
			line_uint(l, w->procs);
			line_str(l, w->procs == 1 ? " process" : " processes");
			line_str(l, ": is it shared?)");
		}
	} else {
		line_uint(l, t->live);
		line_str(l, t->live > proc_of(c)->max && !complete ? " or more running, want " : " running, want ");
		line_str(l, t->live < proc_of(c)->min ? "at least " : "at most ");
		line_uint(l, t->live < proc_of(c)->min ? proc_of(c)->min : proc_of(c)->max);
		append_pids(l, t->live_pids, t->live);
	}
	append_not_counted(l, c);
}

static void proc_run(struct check **cs, size_t n, const struct run_opts *ro)
{
	struct walk w;
	struct line err;
	size_t i;
	bool complete;

	/* What the last run found goes; what was parsed stays (a watch runs them again and again). */
	for (i = 0; i < n; i++)
		memset(&proc_of(cs[i])->tally, 0, sizeof(proc_of(cs[i])->tally));
	memset(&w, 0, sizeof(w));
	line_reset(&err);
	w.procfd = procfs_open(&err);
	if (w.procfd < 0) {
		for (i = 0; i < n; i++) {
			cs[i]->verdict = VERDICT_ERROR;
			cs[i]->why = err;
		}
		return;
	}
	/* The fd lives for the run, and a watch walks it again and again: from the start each time. */
	lseek(w.procfd, 0, SEEK_SET);
	lineage_start(&w.lineage, w.procfd);
	complete = walk_proc(&w, cs, n, ro->verbose) == 0;
	for (i = 0; i < n; i++)
		decide(cs[i], &w, complete);
}

/* The processes the run counted as running, as many as the evidence keeps. */
static size_t proc_pids(const struct check *c, struct watched_pid *out, size_t max)
{
	const struct proc_tally *t = &proc_of(c)->tally;
	size_t k;

	for (k = 0; k < t->live && k < EVIDENCE_PIDS && k < max; k++) {
		out[k].pid = t->live_pids[k].pid;
		out[k].start_known = false;
	}
	return k;
}

/* user=NAME to a uid from /etc/passwd, before confinement: an image may have none, and then a uid is asked for. */
static int proc_prepare(struct check *c, struct line *err)
{
	struct proc_check *p = proc_of(c);
	int r;

	if (!p->by_user || p->uid_known)
		return 0;
	r = user_lookup(p->user, p->user_len, &p->uid);
	if (r == 0) {
		p->uid_known = true;
		return 0;
	}
	check_line_start(c, err);
	if (r == USER_NOT_FOUND) {
		line_str(err, "no such user '");
		line_escaped(err, p->user, p->user_len);
		line_str(err, "' in /etc/passwd");
		return EXIT_USAGE;
	}
	/* No /etc/passwd is the image's way: ask for a uid. Any other failure is ours. */
	r = errno;
	line_errno(err, "read /etc/passwd", r);
	line_str(err, r == ENOENT ? " (give a numeric uid)" : "");
	return r == ENOENT ? EXIT_USAGE : EXIT_CANNOT_CHECK;
}

const struct kind kind_proc = {
	.name = "proc:",
	.usage = "  proc:NAME[,min=N][,max=N][,user=UID|USER][,args=GLOB]\n"
		 "                   a running process has this name (NAME may be a glob)\n"
		 "                   and arguments (argv[1..] joined by spaces)\n",
	.doing = " reading /proc",
	.parse = proc_parse,
	.prepare = proc_prepare,
	.run = proc_run,
	.pids = proc_pids,
	.bounded = true,
};
