/*
 * fullpipe: runs a command with its stdout or stderr on a pipe that is full
 * and that nobody reads, as a docker logs pipe whose reader stopped is.
 *
 *   fullpipe FD SECONDS CMD [ARG...]
 *
 * FD is 1 or 2. Prints the command's exit status (128+N for a signal), or
 * "hung" and exits 1 if it is still running after SECONDS (it is killed).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char chunk[65536];
	static const size_t sizes[] = { sizeof(chunk), 4096, 1 };
	int p[2], fd, status, flags;
	time_t end;
	size_t k;
	pid_t child;

	if (argc < 4) {
		fprintf(stderr, "usage: fullpipe FD SECONDS CMD [ARG...]\n");
		return 2;
	}
	fd = atoi(argv[1]);
	if (pipe(p))
		return 2;
	flags = fcntl(p[1], F_GETFL);
	fcntl(p[1], F_SETFL, flags | O_NONBLOCK);
	/* Fill it to the last byte: a write of a line must find no room at all. */
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
		while (write(p[1], chunk, sizes[k]) > 0)
			;
	/* Blocking again, as the pipe of a platform is: only the reader's absence holds a write. */
	fcntl(p[1], F_SETFL, flags);
	child = fork();
	if (child == 0) {
		dup2(p[1], fd);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	end = time(NULL) + atoi(argv[2]);
	while (waitpid(child, &status, WNOHANG) == 0) {
		if (time(NULL) >= end) {
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			printf("hung\n");
			return 1;
		}
		usleep(10000);
	}
	printf("%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
