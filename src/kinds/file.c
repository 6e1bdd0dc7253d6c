#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lib/confine.h"
#include "lib/scan.h"
#include "lib/clock.h"
#include "lib/io.h"

static struct file_check pool[MAX_CHECKS];
static unsigned pool_next;

static int file_parse(struct check *c, const char *body, struct line *err)
{
	struct file_check *f = check_state(c, pool, sizeof(pool[0]), &pool_next);
	size_t n = strlen(body);
	struct scan_opt o;

	/* As for proc:, the option comes off the right end: a path may hold commas. */
	while (scan_option_last(body, n, &o)) {
		if (o.key_len != 6 || memcmp(o.key, "maxage", 6)) {
			if (check_option_unknown(c, o.key, o.key_len, "maxage=", true, err))
				return -1;
			break;
		}
		if (f->has_maxage) {
			check_usage(err, c, "maxage= given twice");
			return -1;
		}
		/* The last option of what is left: its value ends the string. */
		if (scan_duration(o.val, &f->maxage_ms) != SCAN_OK || !f->maxage_ms) {
			check_usage(err, c, "maxage= takes a DURATION (500ms, 5s, 2m)");
			return -1;
		}
		f->has_maxage = true;
		n = (size_t)(o.comma - body);
	}
	if (n == 0) {
		check_usage(err, c, "empty path");
		return -1;
	}
	if (n >= PATH_MAX) {
		check_usage(err, c, "path too long");
		return -1;
	}
	c->arg = body;
	c->arg_len = n;
	return 0;
}

static void file_one(struct check *c)
{
	const struct file_check *f = c->state;
	static char path[PATH_MAX];
	struct timespec now;
	struct stat st;
	unsigned long long age_ms, shown_ms;

	/* A file on a FUSE or NFS mount whose server hangs holds the run up: name that wait. */
	confine_doing(c->spec, " reading the file's status");
	memcpy(path, c->arg, c->arg_len);
	path[c->arg_len] = '\0';
	if (io_stat(AT_FDCWD, path, &st, 0)) {
		int e = errno;

		/* A missing heartbeat is the worker's failure; a path healthy may not look at is its own. */
		c->verdict = e == ENOENT || e == ENOTDIR ? VERDICT_FAIL : VERDICT_ERROR;
		line_str(&c->why, c->verdict == VERDICT_FAIL ? "no file at " : "stat ");
		line_escaped(&c->why, path, c->arg_len);
		if (c->verdict == VERDICT_ERROR)
			line_errno(&c->why, "", e);
		return;
	}
	if (!f->has_maxage) {
		c->verdict = VERDICT_PASS;
		line_str(&c->why, "ok: exists");
		return;
	}
	clock_now(CLOCK_REALTIME, &now);
	if (now.tv_sec < st.st_mtim.tv_sec || (now.tv_sec == st.st_mtim.tv_sec && now.tv_nsec < st.st_mtim.tv_nsec)) {
		unsigned long long ahead_ms = (unsigned long long)(st.st_mtim.tv_sec - now.tv_sec) * 1000 +
					      (unsigned long long)((st.st_mtim.tv_nsec - now.tv_nsec) / 1000000);

		/*
		 * A heartbeat stamped ahead would read as fresh until the clock
		 * caught up, however long its writer has been dead. A second of
		 * skew is the filesystem's timestamp granularity, not a lie.
		 */
		if (ahead_ms > 1000) {
			c->verdict = VERDICT_FAIL;
			line_str(&c->why, "modified ");
			line_duration(&c->why, ahead_ms);
			line_str(&c->why, " in the future");
			return;
		}
		age_ms = 0;
	} else
		age_ms = (unsigned long long)(now.tv_sec - st.st_mtim.tv_sec) * 1000 +
			 (unsigned long long)((now.tv_nsec - st.st_mtim.tv_nsec) / 1000000);
	c->verdict = age_ms <= f->maxage_ms ? VERDICT_PASS : VERDICT_FAIL;
	/* Whole seconds from 10 s on read best; but a failure must not print an age equal to maxage= */
	shown_ms = age_ms >= 10000 ? age_ms / 1000 * 1000 : age_ms;
	if (c->verdict == VERDICT_FAIL && shown_ms <= f->maxage_ms)
		shown_ms = age_ms;
	line_str(&c->why, c->verdict == VERDICT_PASS ? "ok: modified " : "modified ");
	line_duration(&c->why, shown_ms);
	line_str(&c->why, " ago");
	if (c->verdict == VERDICT_FAIL) {
		line_str(&c->why, ", more than maxage=");
		line_duration(&c->why, f->maxage_ms);
	}
}

static void file_run(struct check **cs, size_t n, const struct run_opts *ro)
{
	size_t i;

	(void)ro;
	for (i = 0; i < n; i++)
		file_one(cs[i]);
}

const struct kind kind_file = {
	.name = "file:",
	.usage = "  file:PATH[,maxage=DURATION]\n"
		 "                   PATH exists (and was modified within DURATION)\n",
	.doing = " reading the file's status",
	.parse = file_parse,
	.run = file_run,
	.each = true,
};
