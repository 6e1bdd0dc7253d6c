/*
 * io: the reads every check kind shares. Each returns -1 with errno set on failure.
 */
#ifndef HEALTHY_IO_H
#define HEALTHY_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Reads fd to EOF or until size-1 bytes, retrying EINTR, and NUL-terminates. Returns the bytes read. */
ssize_t io_read_fd(int fd, char *buf, size_t size);

/*
 * fstatat(fd, path, st, flags), or fstat(fd, st) when path is NULL: the
 * system calls themselves where the kernel's struct stat is libc's (x86-64,
 * arm64), without musl's wrappers for 32-bit time and kernels before 2.6.39
 * (546 bytes). The same calls the seccomp filter allows either way.
 */
int io_stat(int fd, const char *path, struct stat *st, int flags);

/*
 * Writes all n bytes to fd, retrying EINTR and short writes, waiting at most
 * io_write_timeout() for room (a full pipe nobody reads). Returns 0, or -1
 * with errno set (ETIMEDOUT when the room never came).
 */
int io_write_all(int fd, const char *s, size_t n);

/*
 * Copies the file at src to dir/name with mode, atomically: written under a
 * temporary name in dir, then renamed, so a reader sees the old file or the
 * whole new one. Returns 0, or -1 with errno set and *what naming the step
 * that failed ("create a file in it", "write", "rename").
 */
int io_copy_atomic(const char *src, const char *dir, const char *name, unsigned mode, const char **what);

/* Opens /dev/null on whichever of fds 0, 1 and 2 is closed. Returns 0, or -1 when it cannot. */
int io_reserve_stdio(void);

/* How long io_write_all() waits for room, from each call; 0 (the start): as long as write(2) blocks. */
void io_write_timeout(uint64_t ms);

/* Opens name under dirfd read-only and reads it as io_read_fd() does. */
ssize_t io_read_at(int dirfd, const char *name, char *buf, size_t size);

/*
 * Calls fn once per line of the file at path (without its newline; the last
 * line may lack one). A line longer than the buffer is skipped. fn returns
 * non-zero to stop early. Returns 0, or -1 if the file cannot be opened or read.
 */
int io_lines(const char *path, int (*fn)(const char *line, size_t len, void *ctx), void *ctx);

#endif
