/*
 * deny: runs a command under a seccomp filter that fails the named system
 * calls with ENOSYS, the way healthy's own filter answers a call it does
 * not expect. Shows that such a failure is an answer (exit 3), never a
 * false "healthy".
 *
 *   deny SYSCALL[,SYSCALL...] COMMAND [ARG...]
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	int nr;
} calls[] = {
	{ "getdents64", SYS_getdents64 }, { "socket", SYS_socket }, { "connect", SYS_connect },
	{ "recvmsg", SYS_recvmsg }, { "recvfrom", SYS_recvfrom }, { "sendto", SYS_sendto },
	{ "sendmsg", SYS_sendmsg }, { "kill", SYS_kill }, { "stat", SYS_stat },
	{ "newfstatat", SYS_newfstatat }, { "statx", SYS_statx }, { "readlinkat", SYS_readlinkat },
	{ "readlink", SYS_readlink }, { "poll", SYS_poll }, { "ppoll", SYS_ppoll }, { "fork", SYS_fork },
	{ "clone", SYS_clone }, { "pipe2", SYS_pipe2 }, { "fstatfs", SYS_fstatfs }, { "lseek", SYS_lseek },
	{ "getsockopt", SYS_getsockopt }, { "write", SYS_write }, { "openat", SYS_openat },
	{ "open", SYS_open },
};

int main(int argc, char **argv)
{
	struct sock_filter f[64];
	struct sock_fprog prog;
	size_t n = 0, i;
	char *list, *name;

	if (argc < 3) {
		fprintf(stderr, "usage: deny SYSCALL[,SYSCALL...] COMMAND [ARG...]\n");
		return 2;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	list = strdup(argv[1]);
	for (name = strtok(list, ","); name; name = strtok(NULL, ",")) {
		for (i = 0; i < sizeof(calls) / sizeof(calls[0]) && strcmp(calls[i].name, name); i++)
			;
		if (i == sizeof(calls) / sizeof(calls[0]) || n > 60) {
			fprintf(stderr, "deny: %s: unknown system call\n", name);
			return 2;
		}
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)calls[i].nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	prog.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("deny: seccomp");
		return 2;
	}
	execv(argv[2], argv + 2);
	perror("deny: exec");
	return 127;
}
