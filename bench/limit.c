/*
 * limit: the speed limit of a proc: check. Walks /proc with getdents64,
 * reads each PID's comm and compares it with argv[1]: exit 0 at the first
 * that matches, 1 when none does. Nothing else: no stat, no state, no
 * zombies, no lineage, no long names, no confinement, no words. healthy's
 * proc: does all of that; the table shows what it costs beyond this.
 *
 * Built by bench/run with: musl-gcc -static -Os -s
 *
 * Built with -DCONFINED and src/lib/confine.c, it first installs healthy's
 * own seccomp filter, as every check run does: the limit of a confined
 * walk, so that the table tells what the filter costs from what healthy's
 * own code does.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef CONFINED
#include "lib/confine.h"
#endif

struct dirent64_ {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

int main(int argc, char **argv)
{
	static char dents[4096];
	size_t want = argc > 1 ? strlen(argv[1]) : 0;
	int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;

	if (dir < 0 || argc < 2)
		return 2;
#ifdef CONFINED
	if (confine_syscalls(-1))
		return 3;
#endif
	while ((n = syscall(SYS_getdents64, dir, dents, sizeof(dents))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64_ *d = (struct dirent64_ *)(dents + off);
			char path[32], comm[64];
			ssize_t len;
			int fd;

			off += d->reclen;
			if (d->name[0] < '0' || d->name[0] > '9' || strlen(d->name) > 10)
				continue;
			memcpy(path, d->name, strlen(d->name));
			memcpy(path + strlen(d->name), "/comm", 6);
			fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			len = read(fd, comm, sizeof(comm));
			close(fd);
			if (len > 0 && comm[len - 1] == '\n')
				len--;
			if (len == (ssize_t)want && !memcmp(comm, argv[1], want))
				return 0;
		}
	}
	return 1;
}
