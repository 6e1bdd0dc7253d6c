/*
 * stuck: a process whose /proc/PID/cmdline cannot be read: every read blocks
 * until this helper is killed.
 *
 *   stuck MOUNTDIR NAME READYFILE
 *
 * Needs root (a FUSE mount). NAME (at most 15 bytes) goes into the stuck
 * process's comm; its PID goes into READYFILE once a read of its cmdline
 * would block. Kill this helper (the FUSE server, the PID that started) to
 * release everything: its /dev/fuse closes, the kernel aborts the pending
 * FUSE requests, and the stuck process dies of PR_SET_PDEATHSIG. While it
 * lives, every reader of the stuck process's cmdline on the machine waits
 * (ps, pgrep, top): so it ends itself after LIFETIME seconds (60), should the
 * test that started it hang or forget it.
 *
 * Why not the simple ways, on Linux 6.18:
 * - an argv area on a userfaultfd-registered anonymous mapping: a remote read
 *   (get_user_pages_remote, no FAULT_FLAG_ALLOW_RETRY) gets SIGBUS at once from
 *   handle_userfault(), and the cmdline read returns 0 bytes (setting the argv
 *   area needs PR_SET_MM_MAP, allowed by CAP_CHECKPOINT_RESTORE, too);
 * - an argv area on a FUSE file mapping: fs/proc/base.c get_mm_cmdline() reads
 *   with FOLL_ANON since CVE-2018-1120 (Qualys' FUSE trick), which refuses file
 *   mappings.
 * What still blocks: get_mm_cmdline() takes mmap_read_lock_killable() of the
 * target's mm. So one thread (R) of the stuck process reads its own memory
 * through /proc/self/mem at a FUSE-backed page the server never serves: that
 * read holds the mmap lock for reading while it waits for the page. Another
 * thread (W) then calls mmap(), which waits for the lock for writing. A rwsem
 * queues new readers behind a waiting writer, so every reader of the cmdline
 * (ps, pgrep, healthy) now waits, killably, for as long as this helper lives.
 * /proc/PID/stat, status and comm take no mmap lock and still answer.
 *
 * The FUSE server speaks the raw /dev/fuse protocol (no libfuse): INIT,
 * LOOKUP, GETATTR, OPEN, RELEASE, FLUSH are answered; READ never is, nor the
 * LOOKUP of "hang" (a socket path a probe's connect() waits on for ever).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

#define FILE_SIZE (1 << 20)
#define MAP_SIZE (64 << 10)
#define LIFETIME 60

static const char *ready_path;
static int go_pipe[2];          /* main -> W: call mmap() now */
static volatile pid_t w_tid;
static char *map;
static int mem_fd;

static void die(const char *what)
{
	perror(what);
	exit(1);
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

/* ---- the stuck process ---- */

static void *reader(void *unused)
{
	char c;

	(void)unused;
	/* Blocks in the FUSE read of the page, holding our own mmap lock for reading. */
	pread(mem_fd, &c, 1, (off_t)(uintptr_t)map);
	for (;;)
		pause();
	return NULL;
}

static void *writer(void *unused)
{
	char c;

	(void)unused;
	w_tid = (pid_t)syscall(SYS_gettid);
	if (read(go_pipe[0], &c, 1) != 1)
		_exit(1);
	/* Waits for the mmap lock for writing, behind the reader: from now on, new readers queue. */
	mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (;;)
		pause();
	return NULL;
}

/* to_parent: W's tid once it is about to block; from_parent: a byte when the server got the READ. */
static void stuck(const char *dir, const char *name, int to_parent, int from_parent)
{
	char path[4096], c;
	pthread_t t;
	int fd;

	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	map = mmap(NULL, MAP_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	mem_fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	if (mem_fd < 0)
		die("/proc/self/mem");
	if (prctl(PR_SET_NAME, name, 0, 0, 0))
		die("prctl");
	if (pipe(go_pipe))
		die("pipe");
	/* Both threads exist (their stacks are mapped) before anything holds the lock. */
	if (pthread_create(&t, NULL, writer, NULL) || pthread_create(&t, NULL, reader, NULL))
		die("pthread_create");
	if (read(from_parent, &c, 1) != 1)
		_exit(1);
	while (!w_tid)
		sched_yield();
	if (write(go_pipe[1], "x", 1) != 1 || write(to_parent, (const void *)&w_tid, sizeof(w_tid)) != sizeof(w_tid))
		_exit(1);
	for (;;)
		pause();
}

/* ---- the FUSE server ---- */

static void attr_fill(struct fuse_attr *a, uint64_t ino)
{
	memset(a, 0, sizeof(*a));
	a->ino = ino;
	a->nlink = 1;
	a->blksize = 4096;
	if (ino == FUSE_ROOT_ID) {
		a->mode = S_IFDIR | 0755;
		a->nlink = 2;
	} else {
		a->mode = S_IFREG | 0644;
		a->size = FILE_SIZE;
		a->blocks = FILE_SIZE / 512;
	}
}

static void reply(int fuse, uint64_t unique, int error, const void *body, size_t len)
{
	char out[sizeof(struct fuse_out_header) + 256];
	struct fuse_out_header *h = (struct fuse_out_header *)out;

	h->len = (uint32_t)(sizeof(*h) + (error ? 0 : len));
	h->error = -error;
	h->unique = unique;
	if (!error && len)
		memcpy(out + sizeof(*h), body, len);
	/* ENOENT: the request was interrupted or aborted meanwhile. */
	if (write(fuse, out, h->len) < 0 && errno != ENOENT)
		die("write /dev/fuse");
}

/* Answers one request; returns 1 when it was the READ that is never answered. */
static int serve_one(int fuse, const char *req, size_t len)
{
	const struct fuse_in_header *in = (const struct fuse_in_header *)req;
	const char *arg = req + sizeof(*in);

	if (len < sizeof(*in))
		return 0;
	switch (in->opcode) {
	case FUSE_INIT: {
		const struct fuse_init_in *ii = (const struct fuse_init_in *)arg;
		struct fuse_init_out o;

		memset(&o, 0, sizeof(o));
		o.major = FUSE_KERNEL_VERSION;
		o.minor = FUSE_KERNEL_MINOR_VERSION;
		o.max_readahead = ii->max_readahead;
		o.max_write = 4096;
		o.max_background = 16;
		o.congestion_threshold = 12;
		reply(fuse, in->unique, 0, &o, sizeof(o));
		return 0;
	}
	case FUSE_LOOKUP: {
		struct fuse_entry_out o;

		/* "hang": a lookup never answered, as a path on a dead NFS server's mount. */
		if (in->nodeid == FUSE_ROOT_ID && !strcmp(arg, "hang"))
			return 0;
		if (in->nodeid != FUSE_ROOT_ID || strcmp(arg, "f")) {
			reply(fuse, in->unique, ENOENT, NULL, 0);
			return 0;
		}
		memset(&o, 0, sizeof(o));
		o.nodeid = 2;
		o.generation = 1;
		o.entry_valid = o.attr_valid = 3600;
		attr_fill(&o.attr, 2);
		reply(fuse, in->unique, 0, &o, sizeof(o));
		return 0;
	}
	case FUSE_GETATTR: {
		struct fuse_attr_out o;

		memset(&o, 0, sizeof(o));
		o.attr_valid = 3600;
		attr_fill(&o.attr, in->nodeid);
		reply(fuse, in->unique, 0, &o, sizeof(o));
		return 0;
	}
	case FUSE_OPEN:
	case FUSE_OPENDIR: {
		struct fuse_open_out o;

		memset(&o, 0, sizeof(o));
		o.fh = 1;
		reply(fuse, in->unique, 0, &o, sizeof(o));
		return 0;
	}
	case FUSE_READ:
		return 1;       /* never answered */
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
	case FUSE_INTERRUPT:
	case FUSE_DESTROY:
		return 0;       /* no answer expected (an interrupt leaves the read pending) */
	case FUSE_RELEASE:
	case FUSE_RELEASEDIR:
	case FUSE_FLUSH:
		reply(fuse, in->unique, 0, NULL, 0);
		return 0;
	default:
		reply(fuse, in->unique, ENOSYS, NULL, 0);
		return 0;
	}
}

/* 'D' (or '?' if gone) for one thread of pid. */
static char thread_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

int main(int argc, char **argv)
{
	static char req[FUSE_MIN_READ_BUFFER + (1 << 20)];
	char opts[128];
	int fuse, up[2], down[2], got_read = 0, is_ready = 0;
	pid_t child, w = 0;
	struct pollfd pfd[2];

	if (argc != 4 || strlen(argv[2]) > 15) {
		fprintf(stderr, "usage: stuck MOUNTDIR NAME(<=15 bytes) READYFILE\n");
		return 2;
	}
	ready_path = argv[3];
	/* The mount lives in a mount namespace of our own: it goes when we go, whatever kills us. */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("unshare -m");
	if (mkdir(argv[1], 0755) && errno != EEXIST)
		die(argv[1]);
	fuse = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fuse < 0)
		die("/dev/fuse");
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", fuse);
	if (mount("hly-stuck", argv[1], "fuse.hly-stuck", MS_NOSUID | MS_NODEV, opts))
		die("mount fuse");
	if (pipe(up) || pipe(down))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		/* The child must not hold /dev/fuse: our death has to end the connection. */
		close(fuse);
		close(up[0]);
		close(down[1]);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() == 1)
			_exit(1);
		stuck(argv[1], argv[2], up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	/* SIGALRM's default action ends the server, and with it the block. */
	alarm(LIFETIME);
	pfd[0] = (struct pollfd){ .fd = fuse, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = up[0], .events = POLLIN };
	for (;;) {
		if (poll(pfd, 2, is_ready || !w ? -1 : 10) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd[0].revents & POLLIN) {
			ssize_t n = read(fuse, req, sizeof(req));

			if (n < 0 && errno != EINTR && errno != ENOENT && errno != EAGAIN)
				die("read /dev/fuse");
			if (n > 0 && serve_one(fuse, req, (size_t)n) && !got_read) {
				got_read = 1;
				if (write(down[1], "r", 1) != 1)
					die("write");
			}
		}
		if (pfd[1].revents & (POLLIN | POLLHUP)) {
			if (read(up[0], &w, sizeof(w)) != sizeof(w)) {
				fprintf(stderr, "stuck: the stuck process died\n");
				kill(child, SIGKILL);
				return 1;
			}
			pfd[1].fd = -1;
		}
		if (w && !is_ready && thread_state(child, w) == 'D') {
			ready(child);
			is_ready = 1;
		}
	}
}
