/*
 * repeat: runs one command many times and counts its answers.
 *
 *   repeat N JOBS SAVEDIR CMD [ARG...]
 *
 * Runs CMD N times, JOBS at a time, stdin from /dev/null, stdout and stderr
 * caught. Prints one line to stdout:
 *
 *   runs=N rc0=A rc1=B rc2=C rc3=D other=E signaled=F multiline=G [statuses=S:N,...]
 *
 * (rcK: exited with K; other: any other exit status; signaled: killed by a
 * signal; multiline: runs whose stdout+stderr held more than one line;
 * statuses, only when other or signaled is not 0: how often each of those
 * statuses came, "127:3,sig9:1". 126 and 127 are repeat's own child failing to
 * start CMD: 127 when execvp failed, as when the binary is being rewritten.)
 * For every distinct status and output seen, the first few runs' output is
 * saved as SAVEDIR/rc.STATUS.K (STATUS is sigN for a signal), so a test can
 * show what an unexpected answer said. The exit status is 0 unless repeat
 * itself failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 64
#define OUT_SIZE 8192
#define MAX_SAMPLES 4

struct job {
	pid_t pid;
	int fd;                 /* read end of the child's stdout+stderr */
	size_t len;
	char out[OUT_SIZE];
};

struct sample {
	char key[16];
	size_t len;
	char out[OUT_SIZE];
};

static struct job jobs[MAX_JOBS];
static struct sample samples[64];
static int nsamples;
static const char *savedir;
static long count_rc[4], count_other, count_sig, count_multi;
static long count_status[256], count_signal[65];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void start(struct job *j, char **cmd)
{
	int p[2], null;

	if (pipe2(p, O_CLOEXEC))
		die("pipe");
	j->pid = fork();
	if (j->pid < 0)
		die("fork");
	if (j->pid == 0) {
		null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0)
			_exit(126);
		if (null > 2)
			close(null);
		execvp(cmd[0], cmd);
		dprintf(2, "repeat: exec %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	j->fd = p[0];
	j->len = 0;
}

static void save(const char *key, const char *out, size_t len)
{
	char path[4096];
	int i, same = 0, fd;

	for (i = 0; i < nsamples; i++) {
		if (!strcmp(samples[i].key, key)) {
			same++;
			if (samples[i].len == len && !memcmp(samples[i].out, out, len))
				return;
		}
	}
	if (same >= MAX_SAMPLES || nsamples >= (int)(sizeof(samples) / sizeof(samples[0])))
		return;
	snprintf(samples[nsamples].key, sizeof(samples[nsamples].key), "%s", key);
	memcpy(samples[nsamples].out, out, len);
	samples[nsamples].len = len;
	nsamples++;
	snprintf(path, sizeof(path), "%s/rc.%s.%d", savedir, key, same);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, out, len) != (ssize_t)len || close(fd))
		die(path);
}

/* Reads the job's output to EOF, reaps it, counts its answer. */
static void finish(struct job *j)
{
	char key[16];
	int status, lines = 0;
	size_t i;
	ssize_t n;

	for (;;) {
		char discard[4096];

		if (j->len < OUT_SIZE)
			n = read(j->fd, j->out + j->len, OUT_SIZE - j->len);
		else
			n = read(j->fd, discard, sizeof(discard));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (j->len < OUT_SIZE)
			j->len += (size_t)n;
	}
	close(j->fd);
	while (waitpid(j->pid, &status, 0) < 0) {
		if (errno != EINTR)
			die("waitpid");
	}
	for (i = 0; i < j->len; i++)
		lines += j->out[i] == '\n';
	if (j->len && j->out[j->len - 1] != '\n')
		lines++;
	count_multi += lines > 1;
	if (WIFSIGNALED(status)) {
		count_sig++;
		if (WTERMSIG(status) > 0 && WTERMSIG(status) < 65)
			count_signal[WTERMSIG(status)]++;
		snprintf(key, sizeof(key), "sig%d", WTERMSIG(status));
	} else {
		int rc = WEXITSTATUS(status);

		if (rc >= 0 && rc < 4)
			count_rc[rc]++;
		else
			count_other++;
		count_status[rc & 255]++;
		snprintf(key, sizeof(key), "%d", rc);
	}
	save(key, j->out, j->len);
}

int main(int argc, char **argv)
{
	long n, done = 0, started = 0;
	int njobs, i;

	if (argc < 5) {
		fprintf(stderr, "usage: repeat N JOBS SAVEDIR CMD [ARG...]\n");
		return 2;
	}
	n = atol(argv[1]);
	njobs = atoi(argv[2]);
	savedir = argv[3];
	if (n < 0 || njobs < 1 || njobs > MAX_JOBS) {
		fprintf(stderr, "repeat: bad N or JOBS\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	/*
	 * Jobs run in lock step, JOBS at a time: each batch starts together and
	 * is read in order. Simple, and the runs still overlap.
	 */
	while (done < n) {
		int batch = 0;

		for (i = 0; i < njobs && started < n; i++, started++, batch++)
			start(&jobs[i], argv + 4);
		for (i = 0; i < batch; i++, done++)
			finish(&jobs[i]);
	}
	printf("runs=%ld rc0=%ld rc1=%ld rc2=%ld rc3=%ld other=%ld signaled=%ld multiline=%ld", n, count_rc[0],
	       count_rc[1], count_rc[2], count_rc[3], count_other, count_sig, count_multi);
	if (count_other || count_sig) {
		const char *sep = " statuses=";

		for (i = 4; i < 256; i++) {
			if (count_status[i]) {
				printf("%s%d:%ld", sep, i, count_status[i]);
				sep = ",";
			}
		}
		for (i = 1; i < 65; i++) {
			if (count_signal[i]) {
				printf("%ssig%d:%ld", sep, i, count_signal[i]);
				sep = ",";
			}
		}
	}
	putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
