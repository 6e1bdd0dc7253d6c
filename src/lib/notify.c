#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <poll.h>
#include <unistd.h>

#include "io.h"

const char *notify_aim(struct notify *n, const char *sock, int fd)
{
	size_t len;

	memset(n, 0, sizeof(*n));
	n->fd = fd;
	if (fd >= 0)
		return syscall(SYS_fcntl, fd, F_GETFD) < 0 ? "that descriptor is not open" : NULL;
	if (!sock || !*sock)
		return "NOTIFY_SOCKET is not set (systemd sets it for Type=notify; s6 and runit: --notify=fd:N)";
	len = strlen(sock);
	/* systemd's own rules (sd_notify(3)): a path, or '@' for the abstract namespace; no vsock here. */
	if (sock[0] != '/' && sock[0] != '@')
		return "NOTIFY_SOCKET is not a unix socket's path or @name";
	/* A path needs its NUL; an abstract name's '@' is the leading NUL, and it has no other: 108 bytes fit. */
	if (len + (sock[0] == '/') > sizeof(n->addr.sun_path))
		return "NOTIFY_SOCKET is too long for a unix socket's address";
	n->addr.sun_family = AF_UNIX;
	memcpy(n->addr.sun_path, sock, len);
	if (sock[0] == '@')
		n->addr.sun_path[0] = '\0';     /* abstract: the name's length is the address's, no NUL */
	n->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (sock[0] == '/'));
	return NULL;
}

/*
 * BARRIER=1 (sd_notify_barrier(3)): one end of a pipe goes with it, and the
 * supervisor closes it once it has read what came before. Returns 0 when it
 * did within wait_ms, or -1 with errno (ETIMEDOUT).
 */
static int barrier(struct notify *n, int s, int wait_ms)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} c;
	struct iovec v = { (void *)"BARRIER=1", 9 };
	struct msghdr m = { .msg_name = &n->addr, .msg_namelen = n->len, .msg_iov = &v, .msg_iovlen = 1,
			    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	struct pollfd p;
	int fds[2], r;

	/* The system calls, not musl's wrappers: their fallbacks and msghdr copies are 600 bytes healthy needs not. */
	if (syscall(SYS_pipe2, fds, O_CLOEXEC))
		return -1;
	memset(&c, 0, sizeof(c));
	c.h.cmsg_level = SOL_SOCKET;
	c.h.cmsg_type = SCM_RIGHTS;
	c.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&c.h), &fds[1], sizeof(int));
	r = syscall(SYS_sendmsg, s, &m, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 ? -1 : 0;
	close(fds[1]);
	p = (struct pollfd){ fds[0], 0, 0 };
	if (!r && (r = poll(&p, 1, wait_ms)) == 0)
		errno = ETIMEDOUT;
	r = r > 0 ? 0 : -1;
	close(fds[0]);
	return r;
}

int notify_send(struct notify *n, const char *state, int wait_ms)
{
	int s, r, e;

	if (n->fd >= 0) {
		if (strcmp(state, "READY=1"))
			return 0;
		r = io_write_all(n->fd, "\n", 1);
		e = errno;
		close(n->fd);
		n->fd = -2;
		errno = e;
		return r;
	}
	if (n->fd != -1)
		return 0;
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	/* A supervisor that stopped reading must not hold the service back: no room, no wait. */
	if (!strcmp(state, "BARRIER=1"))
		r = barrier(n, s, wait_ms);
	else
		r = sendto(s, state, strlen(state), MSG_NOSIGNAL | MSG_DONTWAIT, (struct sockaddr *)&n->addr, n->len) < 0 ? -1 : 0;
	e = errno;
	close(s);
	errno = e;
	return r;
}
