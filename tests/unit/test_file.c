/*
 * kinds/file.c: file_parse as check_parse() reaches it (file:PATH,
 * file:PATH,maxage=DURATION, paths that hold commas, the exact usage line of
 * every error), and file_run on real files in a mkdtemp directory, their
 * mtimes set with utimensat.
 */
#include "fixture.h"

#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "opts.h"
#include "kind.h"
#include "run.h"
#include "check.h"
#include "kinds/file.h"
#include "lib/line.h"

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

/* The directory every file_run test works in; removed by the group teardown. */
static char dir[64];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int dir_make(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/healthy-test-file.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int dir_remove(void **state)
{
	(void)state;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* DIR/name, in buf. */
static const char *in_dir(char *buf, size_t size, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size)
		fail_msg("%s: path too long for the buffer", name);
	return buf;
}

static void touch(const char *name)
{
	char path[PATH_MAX];
	int fd = open(in_dir(path, sizeof(path), name), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		fail_msg("create %s: %s", path, strerror(errno));
	close(fd);
}

/* Sets name's mtime to now + delta_ms (negative: in the past). */
static void mtime_set(const char *name, long long delta_ms)
{
	char path[PATH_MAX];
	struct timespec ts[2], now;
	long long ns;

	clock_gettime(CLOCK_REALTIME, &now);
	ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + delta_ms * 1000000LL;
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = (time_t)(ns / 1000000000LL);
	ts[1].tv_nsec = (long)(ns % 1000000000LL);
	if (ts[1].tv_nsec < 0) {
		ts[1].tv_sec--;
		ts[1].tv_nsec += 1000000000L;
	}
	if (utimensat(AT_FDCWD, in_dir(path, sizeof(path), name), ts, 0))
		fail_msg("utimensat %s: %s", path, strerror(errno));
}

/*
 * Parses "file:DIR/name" and opts, runs it, and leaves the check in c. The
 * spec lives in the caller's buffer: c->arg and c->spec point into it.
 */
static void run(char *spec, size_t size, const char *name, const char *opts, struct check *c)
{
	struct line err;

	if ((size_t)snprintf(spec, size, "file:%s/%s%s", dir, name, opts) >= size)
		fail_msg("%s: spec too long for the buffer", name);
	line_reset(&err);
	if (check_parse(spec, c, &err))
		fail_msg("%s: check_parse: %.*s", spec, (int)err.len, err.buf);
	checks_run(c, 1, false, 800);
}

static void want_why(const char *row, const struct check *c, enum verdict v, const char *why)
{
	ROW_INT(row, c->verdict, v);
	ROW_MEM(row, c->why.buf, c->why.len, why, strlen(why));
}

/* The line names its object: before + the file's path in the test directory + after. */
static void want_why_at(const char *row, const struct check *c, enum verdict v, const char *before, const char *name,
			const char *after)
{
	char path[PATH_MAX], why[PATH_MAX + 128];

	snprintf(why, sizeof(why), "%s%s%s", before, in_dir(path, sizeof(path), name), after);
	want_why(row, c, v, why);
}

static void file_parse_path_and_maxage(void **state)
{
	static const struct {
		const char *spec;
		const char *path;
		bool has_maxage;
		uint64_t maxage_ms;
	} rows[] = {
		{ "file:/run/heartbeat", "/run/heartbeat", false, 0 },
		{ "file:relative/hb", "relative/hb", false, 0 },
		{ "file:/tmp/my hb", "/tmp/my hb", false, 0 },
		{ "file:/tmp/hb,maxage=5s", "/tmp/hb", true, 5000 },
		{ "file:/tmp/hb,maxage=500ms", "/tmp/hb", true, 500 },
		{ "file:/tmp/hb,maxage=1m30s", "/tmp/hb", true, 90000 },
		{ "file:/tmp/hb,maxage=1.5s", "/tmp/hb", true, 1500 },
		{ "file:/tmp/hb,maxage=1h", "/tmp/hb", true, 3600000 },
		/* A bare number is seconds, as for -t. */
		{ "file:/tmp/hb,maxage=90", "/tmp/hb", true, 90000 },
		{ "file:/tmp/hb,maxage=1ms", "/tmp/hb", true, 1 },
		/* The option comes off the right end only: a path may hold commas. */
		{ "file:/a,b", "/a,b", false, 0 },
		{ "file:/a,b,maxage=2m", "/a,b", true, 120000 },
		{ "file:/a,", "/a,", false, 0 },
		{ "file:/a,,maxage=1s", "/a,", true, 1000 },
		{ "file:/a,5s", "/a,5s", false, 0 },
		{ "file:/a,=5s", "/a,=5s", false, 0 },
		{ "file:/a,b c=1", "/a,b c=1", false, 0 },
		{ "file:,", ",", false, 0 },
		/* Only the last options count: one followed by a path part is that path's. */
		{ "file:/hb,maxage=5s,x", "/hb,maxage=5s,x", false, 0 },
		{ "file:/hb,maxage=5s,", "/hb,maxage=5s,", false, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct check c;
		struct line err;

		line_reset(&err);
		ROW_INT(rows[i].spec, check_parse(rows[i].spec, &c, &err), 0);
		if (err.len)
			fail_msg("%s: err is \"%.*s\", want none", rows[i].spec, (int)err.len, err.buf);
		ROW_INT(rows[i].spec, c.kind == &kind_file, 1);
		ROW_MEM(rows[i].spec, c.arg, c.arg_len, rows[i].path, strlen(rows[i].path));
		ROW_INT(rows[i].spec, STATE(file, &c)->has_maxage, rows[i].has_maxage);
		ROW_INT(rows[i].spec, STATE(file, &c)->maxage_ms, rows[i].maxage_ms);
	}
}

static void file_parse_errors_give_exact_usage_line(void **state)
{
	static const char *const rows[][2] = {
		{ "file:", "healthy: file:: empty path" },
		{ "file:,maxage=5s", "healthy: file:,maxage=5s: empty path" },
		{ "file:/a,maxage=5s,maxage=6s", "healthy: file:/a,maxage=5s,maxage=6s: maxage= given twice" },
		{ "file:/a,maxage=5s,maxage=5s", "healthy: file:/a,maxage=5s,maxage=5s: maxage= given twice" },
		{ "file:/a,maxage=0", "healthy: file:/a,maxage=0: maxage= takes a DURATION (500ms, 5s, 2m)" },
		{ "file:/a,maxage=0s", "healthy: file:/a,maxage=0s: maxage= takes a DURATION (500ms, 5s, 2m)" },
		{ "file:/a,maxage=0ms", "healthy: file:/a,maxage=0ms: maxage= takes a DURATION (500ms, 5s, 2m)" },
		{ "file:/a,maxage=bad", "healthy: file:/a,maxage=bad: maxage= takes a DURATION (500ms, 5s, 2m)" },
		{ "file:/a,maxage=", "healthy: file:/a,maxage=: maxage= takes a DURATION (500ms, 5s, 2m)" },
		{ "file:/a,maxage=-1s", "healthy: file:/a,maxage=-1s: maxage= takes a DURATION (500ms, 5s, 2m)" },
		{ "file:/a,maxage=1d", "healthy: file:/a,maxage=1d: maxage= takes a DURATION (500ms, 5s, 2m)" },
		{ "file:/a,maxage=5 s", "healthy: file:/a,maxage=5 s: maxage= takes a DURATION (500ms, 5s, 2m)" },
		/* Over lib/scan.h's DURATION_MAX_MS (24.8 days). */
		{ "file:/a,maxage=600h", "healthy: file:/a,maxage=600h: maxage= takes a DURATION (500ms, 5s, 2m)" },
		{ "file:/a,maxage=2147484", "healthy: file:/a,maxage=2147484: maxage= takes a DURATION (500ms, 5s, 2m)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ROWS(rows); i++) {
		struct check c;
		struct line err;

		line_reset(&err);
		ROW_INT(rows[i][1], check_parse(rows[i][0], &c, &err), -1);
		ROW_MEM(rows[i][1], err.buf, err.len, rows[i][1], strlen(rows[i][1]));
	}
}

/* stat() takes PATH_MAX with its NUL: a path of PATH_MAX - 1 bytes is parsed, PATH_MAX is not. */
static void file_parse_path_max_minus_1_fits(void **state)
{
	static char spec[PATH_MAX + 64];
	static const char prefix[] = "healthy: file:/aaa";
	struct check c;
	struct line err;

	(void)state;
	memcpy(spec, "file:/", 6);
	memset(spec + 6, 'a', PATH_MAX - 2);
	spec[5 + PATH_MAX - 1] = '\0';
	line_reset(&err);
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_int_equal(c.arg_len, PATH_MAX - 1);

	memcpy(spec + 5 + PATH_MAX - 1, ",maxage=1s", 11);
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_int_equal(c.arg_len, PATH_MAX - 1);
	assert_true(STATE(file, &c)->has_maxage);

	spec[5 + PATH_MAX - 1] = 'a';
	spec[5 + PATH_MAX] = '\0';
	assert_int_equal(check_parse(spec, &c, &err), -1);
	/* The spec is cut short, so "path too long" fits. */
	assert_memory_equal(err.buf, prefix, strlen(prefix));
	assert_int_equal(err.truncated, 0);
	assert_memory_equal(err.buf + err.len - 15, ": path too long", 15);
}

static void file_run_exists_or_not(void **state)
{
	char spec[PATH_MAX], path[PATH_MAX], target[PATH_MAX];
	struct check c;

	(void)state;
	touch("hb");
	run(spec, sizeof(spec), "hb", "", &c);
	want_why(spec, &c, VERDICT_PASS, "ok: exists");

	/* A directory is a file too. */
	if (mkdir(in_dir(path, sizeof(path), "sub"), 0755))
		fail_msg("mkdir %s: %s", path, strerror(errno));
	run(spec, sizeof(spec), "sub", "", &c);
	want_why(spec, &c, VERDICT_PASS, "ok: exists");

	touch("a,b");
	run(spec, sizeof(spec), "a,b", "", &c);
	want_why(spec, &c, VERDICT_PASS, "ok: exists");

	/* A missing heartbeat is the worker's failure: exit 1. */
	run(spec, sizeof(spec), "missing", "", &c);
	want_why_at(spec, &c, VERDICT_FAIL, "no file at ", "missing", "");
	run(spec, sizeof(spec), "missing/hb", "", &c);
	want_why_at(spec, &c, VERDICT_FAIL, "no file at ", "missing/hb", "");
	run(spec, sizeof(spec), "missing", ",maxage=1m", &c);
	want_why_at(spec, &c, VERDICT_FAIL, "no file at ", "missing", "");

	/* stat() follows the link: a dangling one is a missing file. */
	if (symlink(in_dir(target, sizeof(target), "gone"), in_dir(path, sizeof(path), "dangling")))
		fail_msg("symlink %s: %s", path, strerror(errno));
	run(spec, sizeof(spec), "dangling", "", &c);
	want_why_at(spec, &c, VERDICT_FAIL, "no file at ", "dangling", "");

	/* A path under a file: the heartbeat cannot be there either. */
	run(spec, sizeof(spec), "hb/x", "", &c);
	want_why_at(spec, &c, VERDICT_FAIL, "no file at ", "hb/x", "");
	run(spec, sizeof(spec), "hb/", "", &c);
	want_why_at(spec, &c, VERDICT_FAIL, "no file at ", "hb/", "");
}

/* Paths stat() cannot follow: healthy cannot tell, exit 3. */
static void file_run_unreachable_path_is_an_error(void **state)
{
	static char name[NAME_MAX + 2];
	char spec[PATH_MAX], path[PATH_MAX], path2[PATH_MAX];
	struct check c;

	(void)state;
	if (symlink(in_dir(path2, sizeof(path2), "loop2"), in_dir(path, sizeof(path), "loop1")) ||
	    symlink(in_dir(path, sizeof(path), "loop1"), in_dir(path2, sizeof(path2), "loop2")))
		fail_msg("symlink %s: %s", path, strerror(errno));
	run(spec, sizeof(spec), "loop1", "", &c);
	want_why_at(spec, &c, VERDICT_ERROR, "stat ", "loop1", ": symbolic link loop");

	memset(name, 'n', NAME_MAX + 1);
	run(spec, sizeof(spec), name, "", &c);
	want_why_at(spec, &c, VERDICT_ERROR, "stat ", name, ": filename too long");
}

/* uid 0 searches any directory: EACCES is seen only by other users. */
static void file_run_no_search_permission_is_an_error(void **state)
{
	char spec[PATH_MAX], path[PATH_MAX];
	struct check c;

	(void)state;
	if (geteuid() == 0) {
		skip();
		return;
	}
	if (mkdir(in_dir(path, sizeof(path), "locked"), 0755))
		fail_msg("mkdir %s: %s", path, strerror(errno));
	touch("locked/hb");
	chmod(path, 0);
	run(spec, sizeof(spec), "locked/hb", "", &c);
	chmod(path, 0755);
	want_why_at(spec, &c, VERDICT_ERROR, "stat ", "locked/hb", ": permission denied");
}

static void file_run_maxage_fresh_file_passes(void **state)
{
	static const char head[] = "ok: modified ", tail[] = "ms ago", stail[] = "s ago";
	char spec[PATH_MAX];
	struct check c;

	(void)state;
	touch("fresh");
	run(spec, sizeof(spec), "fresh", ",maxage=1m", &c);
	assert_int_equal(c.verdict, VERDICT_PASS);
	/* A few milliseconds old: "ok: modified 3ms ago". */
	assert_true(c.why.len > strlen(head) + strlen(tail));
	assert_memory_equal(c.why.buf, head, strlen(head));
	assert_memory_equal(c.why.buf + c.why.len - strlen(tail), tail, strlen(tail));

	/* 4 s old, under 10 s: exact, "ok: modified 4.003s ago" ("4s" in the first millisecond). */
	touch("four");
	mtime_set("four", -4000);
	run(spec, sizeof(spec), "four", ",maxage=5s", &c);
	assert_int_equal(c.verdict, VERDICT_PASS);
	assert_memory_equal(c.why.buf, "ok: modified 4", 14);
	assert_memory_equal(c.why.buf + c.why.len - strlen(stail), stail, strlen(stail));

	/* 2 minutes old under maxage=1h. */
	touch("two");
	mtime_set("two", -120000);
	run(spec, sizeof(spec), "two", ",maxage=1h", &c);
	want_why(spec, &c, VERDICT_PASS, "ok: modified 2m ago");
}

static void file_run_maxage_old_file_fails(void **state)
{
	static const char tail[] = " ago, more than maxage=1m";
	char spec[PATH_MAX], path[PATH_MAX];
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 0, 0 } };
	struct check c;

	(void)state;
	touch("old");
	mtime_set("old", -10 * 60 * 1000);
	run(spec, sizeof(spec), "old", ",maxage=1m", &c);
	want_why(spec, &c, VERDICT_FAIL, "modified 10m ago, more than maxage=1m");

	mtime_set("old", -2 * 3600 * 1000);
	run(spec, sizeof(spec), "old", ",maxage=1h", &c);
	want_why(spec, &c, VERDICT_FAIL, "modified 2h ago, more than maxage=1h");

	mtime_set("old", -(26LL * 3600 + 30 * 60) * 1000);
	run(spec, sizeof(spec), "old", ",maxage=90s", &c);
	want_why(spec, &c, VERDICT_FAIL, "modified 1d2h30m ago, more than maxage=1m30s");

	mtime_set("old", -1500);
	run(spec, sizeof(spec), "old", ",maxage=500ms", &c);
	assert_int_equal(c.verdict, VERDICT_FAIL);
	/* Under 10 s, exact: "modified 1.503s ago, more than maxage=500ms". */
	assert_memory_equal(c.why.buf, "modified 1.5", 12);
	assert_memory_equal(c.why.buf + c.why.len - 24, "s ago, more than maxage=500ms" + 5, 24);

	/* The epoch: decades, in days (and hours): "modified 20417d9h ago, ...". */
	if (utimensat(AT_FDCWD, in_dir(path, sizeof(path), "old"), ts, 0))
		fail_msg("utimensat %s: %s", path, strerror(errno));
	run(spec, sizeof(spec), "old", ",maxage=1m", &c);
	assert_int_equal(c.verdict, VERDICT_FAIL);
	assert_memory_equal(c.why.buf, "modified 2", 10);
	assert_true(c.why.len > 10 + strlen(tail));
	assert_non_null(memchr(c.why.buf, 'd', c.why.len - strlen(tail)));
	assert_memory_equal(c.why.buf + c.why.len - strlen(tail), tail, strlen(tail));
}

/* Clocks differ between hosts and containers: a file from the future is fresh, not old by 2^64 ms. */
static void file_run_mtime_in_the_future_fails(void **state)
{
	char spec[PATH_MAX];
	struct check c;

	(void)state;
	touch("future");
	/* A heartbeat stamped ahead would look fresh however long its writer has been dead. */
	mtime_set("future", 3600 * 1000);
	run(spec, sizeof(spec), "future", ",maxage=1s", &c);
	assert_int_equal(c.verdict, VERDICT_FAIL);
	assert_memory_equal(c.why.buf, "modified ", 9);
	assert_memory_equal(c.why.buf + c.why.len - 14, " in the future", 14);

	/* Half a second ahead is timestamp granularity: fresh. */
	mtime_set("future", 500);
	run(spec, sizeof(spec), "future", ",maxage=1s", &c);
	want_why(spec, &c, VERDICT_PASS, "ok: modified 0ms ago");
}

/* A watch runs a check again and again: each run's words replace the last's. */
static void file_run_again_replaces_the_words(void **state)
{
	char spec[PATH_MAX];
	struct check c;

	(void)state;
	touch("again");
	run(spec, sizeof(spec), "again", "", &c);
	checks_run(&c, 1, false, 800);
	want_why(spec, &c, VERDICT_PASS, "ok: exists");
}

/*
 * Was a bug (line.c, line_duration, as file_run uses it): from 10 s on the
 * milliseconds are dropped, and from 1 h on the seconds, so an age just over
 * maxage prints as maxage itself: a file 10.5 s old with maxage=10s fails
 * with "modified 10s ago, more than maxage=10s", and 1 h 0 m 30 s with
 * maxage=1h gives "modified 1h ago, more than maxage=1h". Expected: the age
 * as printed is more than maxage as printed; actual: they read the same.
 */
static void file_run_maxage_just_over_does_not_read_equal(void **state)
{
	static const struct {
		long long age_ms;
		const char *opt;
		const char *same;
	} rows[] = {
		{ 10500, ",maxage=10s", "modified 10s ago, more than maxage=10s" },
		{ 60500, ",maxage=1m", "modified 1m ago, more than maxage=1m" },
		{ 3630000, ",maxage=1h", "modified 1h ago, more than maxage=1h" },
	};
	char spec[PATH_MAX];
	struct check c;
	size_t i;

	(void)state;
	touch("edge");
	for (i = 0; i < ROWS(rows); i++) {
		mtime_set("edge", -rows[i].age_ms);
		run(spec, sizeof(spec), "edge", rows[i].opt, &c);
		ROW_INT(rows[i].same, c.verdict, VERDICT_FAIL);
		if (c.why.len == strlen(rows[i].same) && !memcmp(c.why.buf, rows[i].same, c.why.len))
			fail_msg("%s: age and maxage read the same", rows[i].same);
	}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_run_maxage_just_over_does_not_read_equal),
		cmocka_unit_test(file_parse_path_and_maxage),
		cmocka_unit_test(file_parse_errors_give_exact_usage_line),
		cmocka_unit_test(file_parse_path_max_minus_1_fits),
		cmocka_unit_test(file_run_exists_or_not),
		cmocka_unit_test(file_run_unreachable_path_is_an_error),
		cmocka_unit_test(file_run_no_search_permission_is_an_error),
		cmocka_unit_test(file_run_maxage_fresh_file_passes),
		cmocka_unit_test(file_run_maxage_old_file_fails),
		cmocka_unit_test(file_run_mtime_in_the_future_fails),
		cmocka_unit_test(file_run_again_replaces_the_words),
	};

	return cmocka_run_group_tests_name("file", tests, dir_make, dir_remove);
}
