/*
 * confine: what healthy may do, and for how long, once it knows its checks.
 *
 * A seccomp filter lets through only the system calls the checks make, the
 * way OpenBSD's tools pledge: no exec, no open for writing, no socket but
 * TCP/UDP (probes, the resolver), unix (unix:'s connect) and sock_diag
 * netlink, no ioctl but SIOCGIFNAME, no signal at all (pidfd_open() asks
 * whether a PID exists), no fork: a clone() only of a thread (the watchdog). Anything else fails with ENOSYS, which
 * the check that made the call reports as exit 3: an answer, never a
 * silent death.
 *
 * A watchdog thread bounds the run. The probes and the socket dumps carry
 * their own deadlines, but a read of /proc/PID/cmdline waits for the
 * process's memory lock, and a stat on a dead NFS or FUSE mount waits for
 * the server; both sleep where only a fatal signal reaches. exit_group()
 * from a second thread is one: it ends the stuck call and healthy with it,
 * after one line that says what was stuck.
 *
 * The thread starts only before such a call (confine_arm()): a run that
 * reads only /proc's per-process comm and stat, and polls its sockets,
 * never makes one, and a second thread costs it more than its filter
 * (measured: 35-70 us of a 1 ms proc: run among 100 processes, a tenth of a
 * tcp: run): the kernel wakes, schedules and reaps it, and every fd lookup
 * takes the shared table's slow path.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "confine.h"
#include "exitcode.h"
#include "clock.h"
#include "log.h"

/*
 * The kernel's classic BPF and seccomp ABI, spelled out here: musl ships no
 * kernel headers, and these numbers are fixed for good (linux/filter.h,
 * linux/seccomp.h, linux/audit.h).
 */
struct bpf_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct bpf_prog {
	unsigned short len;
	struct bpf_insn *insns;
};

enum {
	LD_ABS_W = 0x20,        /* BPF_LD | BPF_W | BPF_ABS: A = the 32-bit word at offset k */
	JEQ_K = 0x15,           /* BPF_JMP | BPF_JEQ | BPF_K */
	JGE_K = 0x35,           /* BPF_JMP | BPF_JGE | BPF_K */
	JSET_K = 0x45,          /* BPF_JMP | BPF_JSET | BPF_K */
	RET_K = 0x06,           /* BPF_RET | BPF_K */
	JA = 0x05,              /* BPF_JMP | BPF_JA: skip k */
	TAX = 0x07,             /* BPF_MISC | BPF_TAX: X = A */
};

/* struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]. */
#define DATA_NR 0
#define DATA_ARCH 4
#define DATA_ARG(n) (16 + 8 * (n))      /* the low half, on a little-endian machine */

#define SECCOMP_MODE_FILTER_ 2
#define RET_ALLOW 0x7fff0000u
#define RET_DENY (0x00050000u | ENOSYS) /* SECCOMP_RET_ERRNO | errno */
#define NETLINK_SOCK_DIAG_ 4
#define SIOCGIFNAME_ 0x8910             /* linux/sockios.h */

#if defined(__x86_64__)
#define AUDIT_ARCH_SELF 0xc000003eu
#elif defined(__aarch64__)
#define AUDIT_ARCH_SELF 0xc00000b7u
#endif

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "confine.c reads the low 32 bits of syscall arguments as a little-endian machine lays them out"
#endif

#ifdef AUDIT_ARCH_SELF
/*
 * The three calls a /proc walk makes for every process besides openat().
 * The kernel learns, by running the filter on each syscall number as it is
 * attached, that these are always allowed, and lets them through without
 * running it again: they are allowed before anything it cannot follow.
 */
static const unsigned short hot[] = { SYS_read, SYS_close, SYS_getdents64 };

/* The calls that need no look at their arguments. */
static const unsigned short allowed[] = {
	SYS_fstat, SYS_newfstatat, SYS_lseek,
	SYS_readlinkat, SYS_fstatfs, SYS_statfs, SYS_statx, SYS_fcntl,
	SYS_ppoll, SYS_pselect6, SYS_connect, SYS_bind,
	SYS_sendto, SYS_sendmsg, SYS_sendmmsg, SYS_recvfrom, SYS_recvmsg,
	SYS_getsockname, SYS_getpeername, SYS_getsockopt, SYS_setsockopt,
	SYS_shutdown, SYS_getrandom, SYS_pidfd_open, SYS_rt_sigaction,
	SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_prctl, SYS_gettid, SYS_getpid,
	SYS_getuid, SYS_geteuid, SYS_getgid, SYS_getegid, SYS_getgroups, SYS_capget, SYS_getppid,
	SYS_clock_gettime, SYS_clock_nanosleep, SYS_nanosleep, SYS_gettimeofday,
	SYS_brk, SYS_mmap, SYS_munmap, SYS_mremap, SYS_madvise, SYS_mprotect,
	SYS_restart_syscall, SYS_sched_yield, SYS_set_robust_list, SYS_rseq,
	SYS_exit, SYS_exit_group,
#ifdef __x86_64__
	SYS_stat, SYS_lstat, SYS_readlink, SYS_poll, SYS_select,
#endif
#ifdef __SANITIZE_ADDRESS__
	/* The sanitizers' runtime: its reports, and LeakSanitizer's stop-the-world at exit. */
#ifdef SYS_getdents
	SYS_getdents,
#endif
	SYS_sigaltstack, SYS_ptrace, SYS_uname, SYS_sched_getaffinity,
	SYS_process_vm_readv, SYS_futex, SYS_getrlimit, SYS_prlimit64, SYS_tgkill,
	SYS_clone, SYS_wait4, SYS_waitid, SYS_pipe2, SYS_write, SYS_writev,
#endif
};

#define OPEN_WRITES (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

static struct bpf_insn insn(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	struct bpf_insn i = { code, jt, jf, k };

	return i;
}

/* openat(dirfd, path, flags): allowed when flags ask for reading only. */
static size_t filter_open(struct bpf_insn *f, size_t i, unsigned nr, unsigned flags_arg)
{
	f[i++] = insn(JEQ_K, nr, 0, 4);
	f[i++] = insn(LD_ABS_W, DATA_ARG(flags_arg), 0, 0);
	f[i++] = insn(JSET_K, OPEN_WRITES, 0, 1);
	f[i++] = insn(RET_K, RET_DENY, 0, 0);
	f[i++] = insn(RET_K, RET_ALLOW, 0, 0);
	return i;
}

static size_t filter_build(struct bpf_insn *f, int log_fd)
{
	size_t i = 0, k, n = sizeof(allowed) / sizeof(allowed[0]);

#ifdef __SANITIZE_ADDRESS__
	(void)log_fd;   /* a sanitized build writes where its reports go: write() is in its list */
#endif

	f[i++] = insn(LD_ABS_W, DATA_ARCH, 0, 0);
	f[i++] = insn(JEQ_K, AUDIT_ARCH_SELF, 1, 0);
	f[i++] = insn(RET_K, RET_DENY, 0, 0);
	f[i++] = insn(LD_ABS_W, DATA_NR, 0, 0);
#ifdef __x86_64__
	/* x32 calls are the same calls under other numbers: none of them. */
	f[i++] = insn(JGE_K, 0x40000000, 0, 1);
	f[i++] = insn(RET_K, RET_DENY, 0, 0);
#endif
	for (k = 0; k < sizeof(hot) / sizeof(hot[0]); k++)
		f[i++] = insn(JEQ_K, hot[k], (unsigned char)(sizeof(hot) / sizeof(hot[0]) - k), 0);
	f[i++] = insn(JA, 1, 0, 0);
	f[i++] = insn(RET_K, RET_ALLOW, 0, 0);
	/*
	 * A no-op the kernel cannot follow as it attaches the filter
	 * (kernel/seccomp.c seccomp_is_const_allow()), on purpose: it stops
	 * there for every other syscall number, where it would run the whole
	 * list below ~460 times to spare the rest of the run a filter run per
	 * call. Measured: 110 us to attach without it, 45 us with it, and the
	 * hot calls above still skip the filter.
	 */
	f[i++] = insn(TAX, 0, 0, 0);
#ifdef __x86_64__
	i = filter_open(f, i, SYS_open, 1);
#endif
	i = filter_open(f, i, SYS_openat, 2);

	/* socket(): TCP and UDP for the probes and the resolver, unix for unix:'s connect(), netlink only for sock_diag. */
	f[i++] = insn(JEQ_K, SYS_socket, 0, 9);
	f[i++] = insn(LD_ABS_W, DATA_ARG(0), 0, 0);
	f[i++] = insn(JEQ_K, AF_INET, 6, 0);
	f[i++] = insn(JEQ_K, AF_INET6, 5, 0);
	f[i++] = insn(JEQ_K, AF_UNIX, 4, 0);
	f[i++] = insn(JEQ_K, AF_NETLINK, 0, 2);
	f[i++] = insn(LD_ABS_W, DATA_ARG(2), 0, 0);
	f[i++] = insn(JEQ_K, NETLINK_SOCK_DIAG_, 1, 0);
	f[i++] = insn(RET_K, RET_DENY, 0, 0);
	f[i++] = insn(RET_K, RET_ALLOW, 0, 0);

	/* ioctl(): SIOCGIFNAME alone, which names a device (if_indextoname()) in a message. */
	f[i++] = insn(JEQ_K, SYS_ioctl, 0, 4);
	f[i++] = insn(LD_ABS_W, DATA_ARG(1), 0, 0);
	f[i++] = insn(JEQ_K, SIOCGIFNAME_, 1, 0);
	f[i++] = insn(RET_K, RET_DENY, 0, 0);
	f[i++] = insn(RET_K, RET_ALLOW, 0, 0);

#ifndef __SANITIZE_ADDRESS__
	/* write(), writev(): stdout, stderr and --log's file; the sockets send(). */
	f[i++] = insn(JEQ_K, SYS_write, 1, 0);
	f[i++] = insn(JEQ_K, SYS_writev, 0, 6);
	f[i++] = insn(LD_ABS_W, DATA_ARG(0), 0, 0);
	f[i++] = insn(JEQ_K, STDOUT_FILENO, 3, 0);
	f[i++] = insn(JEQ_K, STDERR_FILENO, 2, 0);
	f[i++] = insn(JEQ_K, log_fd < 0 ? STDERR_FILENO : (uint32_t)log_fd, 1, 0);
	f[i++] = insn(RET_K, RET_DENY, 0, 0);
	f[i++] = insn(RET_K, RET_ALLOW, 0, 0);

	/* clone(): a thread (the watchdog), never a process: nothing in a check run forks. */
	f[i++] = insn(JEQ_K, SYS_clone, 0, 4);
	f[i++] = insn(LD_ABS_W, DATA_ARG(0), 0, 0);
	f[i++] = insn(JSET_K, CLONE_THREAD, 1, 0);
	f[i++] = insn(RET_K, RET_DENY, 0, 0);
	f[i++] = insn(RET_K, RET_ALLOW, 0, 0);
#endif

	/* The rest: each a jump to the allow at the end, which stays within a jump's 255. */
	for (k = 0; k < n; k++)
		f[i++] = insn(JEQ_K, allowed[k], (unsigned char)(n - k), 0);
	f[i++] = insn(RET_K, RET_DENY, 0, 0);
	f[i++] = insn(RET_K, RET_ALLOW, 0, 0);
	return i;
}

int confine_syscalls(int log_fd)
{
	static struct bpf_insn f[sizeof(allowed) / sizeof(allowed[0]) + 64];
	struct bpf_prog prog;

	prog.len = (unsigned short)filter_build(f, log_fd);
	prog.insns = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER_, &prog))
		return errno;
	return 0;
}
#else
int confine_syscalls(int log_fd)
{
	(void)log_fd;
	return ENOSYS;
}
#endif

/* Who ends the run: the main thread with its answer, or the watchdog with its line; never both. */
enum { RUN_GOING, RUN_ANSWERED, RUN_TIMED_OUT };
static atomic_int run_state;

/* The watchdog's word on what the main thread is doing, and by when it must be done. */
static const char *volatile watched_what;
static const char *volatile watched_doing;
static struct timespec watch_until;
static uint64_t watch_after_ms;

volatile unsigned long confine_progress;

static void deadline_add(struct timespec *t, uint64_t ms)
{
	t->tv_sec += (time_t)(ms / 1000);
	t->tv_nsec += (long)(ms % 1000) * 1000000;
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

#ifdef __SANITIZE_ADDRESS__
__attribute__((no_sanitize("address")))
#endif
static int watchdog(void *unused)
{
	sigset_t all;
	struct line l;

	(void)unused;
	/* Signals are the main thread's to take; this one only sleeps. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		unsigned long seen = confine_progress;

		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &watch_until, NULL))
			;
		/* 30,000 processes on a busy machine, or under qemu, can take longer than -t: still moving, not stuck. */
		if (confine_progress == seen)
			break;
		deadline_add(&watch_until, watch_after_ms);
	}
	if (!atomic_compare_exchange_strong(&run_state, &(int){ RUN_GOING }, RUN_TIMED_OUT))
		return 0;       /* the answer came first: it stands */
	line_start(&l, watched_what);
	line_str(&l, "timed out after ");
	line_duration(&l, watch_after_ms);
	line_str(&l, watched_doing ? watched_doing : "");
	line_write(STDERR_FILENO, &l);
	log_line(&l);
	syscall(SYS_exit_group, EXIT_CANNOT_CHECK);
	return 0;
}

int confine_time(uint64_t ms)
{
	watch_after_ms = ms;
	clock_now(CLOCK_MONOTONIC, &watch_until);
	deadline_add(&watch_until, ms);
	return 0;
}

int confine_arm(void)
{
	static char stack[16384] __attribute__((aligned(16)));
	static bool armed;
	struct timespec now;

	if (armed || !watch_after_ms)
		return 0;
	armed = true;
	/*
	 * Armed after the deadline (a walk of 30,000 processes that kept
	 * moving): the call about to be made gets an interval of its own, where
	 * a thread there from the start would have seen the walk move and waited.
	 */
	clock_now(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > watch_until.tv_sec || (now.tv_sec == watch_until.tv_sec && now.tv_nsec >= watch_until.tv_nsec)) {
		watch_until = now;
		deadline_add(&watch_until, watch_after_ms);
	}
	if (clone(watchdog, stack + sizeof(stack),
		  CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM, NULL) < 0)
		return errno;
	return 0;
}

void confine_answered(void)
{
	/* Too late: the watchdog is printing its line and ends the process in a moment. */
	if (!atomic_compare_exchange_strong(&run_state, &(int){ RUN_GOING }, RUN_ANSWERED))
		for (;;)
			sleep(1);
}

void confine_doing(const char *what, const char *doing)
{
	watched_what = what;
	watched_doing = doing;
}
