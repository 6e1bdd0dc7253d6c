/*
 * notify: --notify, readiness as supervisors take it: systemd's sd_notify()
 * datagram to $NOTIFY_SOCKET ("READY=1", "STOPPING=1"), or the newline s6
 * and runit read on a descriptor (s6-notifyoncheck's notification-fd).
 */
#ifndef HEALTHY_NOTIFY_H
#define HEALTHY_NOTIFY_H

#include <sys/socket.h>
#include <sys/un.h>

struct notify {
	int fd;                 /* the descriptor (s6), or -1: the socket at addr */
	socklen_t len;
	struct sockaddr_un addr;
};

/*
 * Aims n at descriptor fd, or (fd < 0) at the socket $NOTIFY_SOCKET names in
 * sock: a path, or an abstract name after '@'. Returns NULL, or why not.
 */
const char *notify_aim(struct notify *n, const char *sock, int fd);

/*
 * Sends state ("READY=1", "STOPPING=1") as one datagram, never waiting for
 * room; on a descriptor, READY=1 is a newline, and the descriptor is closed
 * (the protocol has nothing more to say). "BARRIER=1" waits up to wait_ms
 * for the supervisor to have read what came before (nothing on a
 * descriptor). Returns 0, or -1 with errno.
 */
int notify_send(struct notify *n, const char *state, int wait_ms);

#endif
