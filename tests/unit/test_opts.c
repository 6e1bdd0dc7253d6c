/*
 * opts.c: opts_parse and the usage-error lines, opts_prepare.
 */
#include "fixture.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "opts.h"
#include "kind.h"
#include "kinds/pid.h"
#include "kinds/proc.h"

#define LEN(s) (sizeof(s) - 1)
/* Room for the longest argv of the tables, and its NULL: argv[argc] is NULL, as opts_parse() may look at it. */
#define ARGV_MAX 8

static struct options opts;

static enum opts_result parse(const char *const *args, struct line *err)
{
	static char *argv[MAX_CHECKS + 8];
	int argc = 0;

	argv[argc++] = "healthy";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	line_reset(err);
	return opts_parse(argc, argv, &opts, err);
}

/* ---- opts_parse ---- */

static void opts_parse_options_before_checks(void **state)
{
	static const struct {
		const char *name;
		const char *argv[ARGV_MAX];
		bool verbose, quiet;
		uint64_t timeout_ms;
		size_t nchecks;
	} rows[] = {
		/* Without -t, the run has DEFAULT_TIMEOUT_MS. */
		{ "one check", { "proc:x", NULL }, false, false, DEFAULT_TIMEOUT_MS, 1 },
		{ "-v", { "-v", "proc:x", NULL }, true, false, DEFAULT_TIMEOUT_MS, 1 },
		{ "--verbose", { "--verbose", "proc:x", NULL }, true, false, DEFAULT_TIMEOUT_MS, 1 },
		{ "-q", { "-q", "proc:x", NULL }, false, true, DEFAULT_TIMEOUT_MS, 1 },
		{ "--quiet", { "--quiet", "proc:x", NULL }, false, true, DEFAULT_TIMEOUT_MS, 1 },
		{ "-t 5s", { "-t", "5s", "proc:x", NULL }, false, false, 5000, 1 },
		{ "-t5s", { "-t5s", "proc:x", NULL }, false, false, 5000, 1 },
		{ "-vt5s", { "-vt5s", "proc:x", NULL }, true, false, 5000, 1 },
		{ "-vt 5s", { "-vt", "5s", "proc:x", NULL }, true, false, 5000, 1 },
		{ "-qt 500ms", { "-qt", "500ms", "proc:x", NULL }, false, true, 500, 1 },
		{ "--timeout=5s", { "--timeout=5s", "proc:x", NULL }, false, false, 5000, 1 },
		{ "--timeout 5s", { "--timeout", "5s", "proc:x", NULL }, false, false, 5000, 1 },
		{ "-t 10 (bare seconds)", { "-t", "10", "proc:x", NULL }, false, false, 10000, 1 },
		{ "-t twice, the last wins", { "-t", "1s", "-t", "2s", "proc:x", NULL }, false, false, 2000, 1 },
		{ "-v -v", { "-v", "-v", "proc:x", NULL }, true, false, DEFAULT_TIMEOUT_MS, 1 },
		{ "-- ends options", { "-v", "--", "proc:x", NULL }, true, false, DEFAULT_TIMEOUT_MS, 1 },
		{ "three kinds", { "proc:x", "pid:1", "pidfile:/run/x.pid", NULL }, false, false, DEFAULT_TIMEOUT_MS, 3 },
		/* "-" alone is not an option: it is a (bad) check, see the usage table. */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line err;

		ROW_INT(rows[i].name, parse(rows[i].argv, &err), OPTS_OK);
		ROW_INT(rows[i].name, opts.verbose, rows[i].verbose);
		ROW_INT(rows[i].name, opts.quiet, rows[i].quiet);
		ROW_INT(rows[i].name, opts.timeout_ms, rows[i].timeout_ms);
		ROW_INT(rows[i].name, opts.nchecks, rows[i].nchecks);
	}
}

static void opts_parse_checks_keep_order_and_spec(void **state)
{
	static const char *const argv[] = { "-v", "proc:a,min=2", "pid:7", "pidfile:/p", NULL };
	struct line err;

	(void)state;
	assert_int_equal(parse(argv, &err), OPTS_OK);
	assert_int_equal(opts.nchecks, 3);
	assert_ptr_equal(opts.checks[0].spec, argv[1]);
	assert_ptr_equal(opts.checks[0].kind, &kind_proc);
	assert_int_equal(STATE(proc, &opts.checks[0])->min, 2);
	assert_ptr_equal(opts.checks[1].kind, &kind_pid);
	assert_int_equal(STATE(pid, &opts.checks[1])->pid, 7);
	assert_ptr_equal(opts.checks[2].kind, &kind_pidfile);
}

static void opts_parse_help_and_version(void **state)
{
	static const struct {
		const char *name;
		const char *argv[ARGV_MAX];
		enum opts_result ret;
	} rows[] = {
		{ "-h", { "-h", NULL }, OPTS_HELP },
		{ "--help", { "--help", NULL }, OPTS_HELP },
		{ "-h with checks", { "-h", "proc:x", NULL }, OPTS_HELP },
		{ "-vh", { "-vh", NULL }, OPTS_HELP },
		{ "-V", { "-V", NULL }, OPTS_VERSION },
		{ "--version", { "--version", NULL }, OPTS_VERSION },
		{ "-V after -h", { "-h", "-V", NULL }, OPTS_HELP },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line err;

		ROW_INT(rows[i].name, parse(rows[i].argv, &err), rows[i].ret);
	}
}

static void opts_parse_64_checks_ok_65_usage_error(void **state)
{
	static const char *argv[MAX_CHECKS + 2];
	struct line err;
	size_t i;

	(void)state;
	for (i = 0; i < MAX_CHECKS; i++)
		argv[i] = "pid:1";
	argv[MAX_CHECKS] = NULL;
	assert_int_equal(parse(argv, &err), OPTS_OK);
	assert_int_equal(opts.nchecks, MAX_CHECKS);
	argv[MAX_CHECKS] = "pid:1";
	argv[MAX_CHECKS + 1] = NULL;
	assert_int_equal(parse(argv, &err), OPTS_USAGE);
	assert_int_equal(err.len, strlen("healthy: too many checks (at most 64)"));
	assert_memory_equal(err.buf, "healthy: too many checks (at most 64)", err.len);
}

static void opts_parse_no_checks_or_v_with_q_is_usage_error(void **state)
{
	static const struct {
		const char *name;
		const char *argv[ARGV_MAX];
		const char *err;
	} rows[] = {
		{ "nothing", { NULL }, "healthy: no CHECK given (try 'healthy --help')" },
		{ "options only", { "-v", "-t", "5s", NULL }, "healthy: no CHECK given (try 'healthy --help')" },
		{ "-- only", { "--", NULL }, "healthy: no CHECK given (try 'healthy --help')" },
		{ "-v -q", { "-v", "-q", "proc:x", NULL }, "healthy: cannot use -v and -q together" },
		{ "-vq", { "-vq", "proc:x", NULL }, "healthy: cannot use -v and -q together" },
		{ "--quiet --verbose", { "--quiet", "--verbose", "proc:x", NULL }, "healthy: cannot use -v and -q together" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line err;

		ROW_INT(rows[i].name, parse(rows[i].argv, &err), OPTS_USAGE);
		ROW_MEM(rows[i].name, err.buf, err.len, rows[i].err, strlen(rows[i].err));
	}
}

/*
 * Every malformed argument: OPTS_USAGE, and err is one line that starts
 * "healthy: " and names the offending argument (escaped, as it is printed).
 */
static void opts_parse_malformed_argument_gives_one_line_naming_it(void **state)
{
	static char long_name[5 + 300 + 1];
	static const struct {
		const char *argv[ARGV_MAX];
		const char *names;      /* what the line must contain; NULL: argv's last element */
	} rows[] = {
		{ { "-x", "proc:x", NULL }, "-x" },
		{ { "-vx", "proc:x", NULL }, "-x" },
		{ { "--frobnicate", "proc:x", NULL }, "--frobnicate" },
		{ { "--verbose=1", "proc:x", NULL }, "--verbose" },
		{ { "--timeout", NULL }, "--timeout" },
		{ { "--timeout=", "proc:x", NULL }, "--timeout" },
		{ { "--timeout=5x", "proc:x", NULL }, "5x" },
		{ { "-t", "5x", "proc:x", NULL }, "5x" },
		{ { "-t", "0", "proc:x", NULL }, "-t 0" },
		{ { "-t", "0ms", "proc:x", NULL }, "0ms" },
		{ { "-t", "25d", "proc:x", NULL }, "25d" },
		{ { "-t", "999999999", "proc:x", NULL }, "999999999" },
		{ { "proc:x", "-t", NULL }, "-t" },
		{ { "-t", NULL }, "-t" },
		{ { "proc:x", "-v", NULL }, NULL },
		{ { "proc:x", "--", "sleep", "1", NULL }, "--" },
		{ { "sctp:80", NULL }, NULL },
		{ { "bogus:x", NULL }, NULL },
		{ { ":x", NULL }, NULL },
		{ { "PROC:x", NULL }, NULL },
		{ { "sleep", NULL }, NULL },
		{ { "-", NULL }, NULL },
		{ { "pid:abc", NULL }, NULL },
		{ { "pid:", NULL }, NULL },
		{ { "pid:-1", NULL }, NULL },
		{ { "pid:+1", NULL }, NULL },
		{ { "pid:0", NULL }, NULL },
		{ { "pid:4194305", NULL }, NULL },
		{ { "pid:99999999", NULL }, NULL },
		{ { "pid:99999999999999999999999", NULL }, NULL },
		{ { "proc:", NULL }, NULL },
		{ { "proc:,min=1", NULL }, NULL },
		{ { "proc:x,min=-1", NULL }, NULL },
		{ { "proc:x,min=abc", NULL }, NULL },
		{ { "proc:x,min=", NULL }, NULL },
		{ { "proc:x,min=1000001", NULL }, NULL },
		{ { "proc:x,max=99999999999999999999", NULL }, NULL },
		{ { "proc:x,min=1,min=2", NULL }, NULL },
		{ { "proc:x,max=1,max=2", NULL }, NULL },
		{ { "proc:x,min=3,max=1", NULL }, NULL },
		{ { "proc:x,max=0,min=1", NULL }, NULL },
		{ { "proc:x,foo=1", NULL }, NULL },
		{ { "proc:a,b=1", NULL }, NULL },
		{ { "proc:x,user=", NULL }, NULL },
		{ { "proc:x,user=0,user=1", NULL }, NULL },
		{ { "proc:x,user=4294967295", NULL }, NULL },
		{ { "pidfile:", NULL }, NULL },
		{ { "proc:x", "pid:0", "proc:y", NULL }, "pid:0" },
		{ { long_name, NULL }, NULL },
	};
	size_t i;

	(void)state;
	memcpy(long_name, "proc:", 5);
	memset(long_name + 5, 'n', 300);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *const *argv = rows[i].argv;
		const char *names = rows[i].names;
		struct line err;
		char row[64];
		size_t n;

		for (n = 0; argv[n]; n++)
			;
		if (!names)
			names = argv[n - 1];
		snprintf(row, sizeof(row), "%.40s%s", names, strlen(names) > 40 ? "..." : "");
		ROW_INT(row, parse(argv, &err), OPTS_USAGE);
		if (err.len < 9 || memcmp(err.buf, "healthy: ", 9))
			fail_msg("%s: line \"%.*s\" does not start \"healthy: \"", row, (int)err.len, err.buf);
		if (memchr(err.buf, '\n', err.len) || memchr(err.buf, '\0', err.len))
			fail_msg("%s: line \"%.*s\" is not one line", row, (int)err.len, err.buf);
		/* A long argument is named by its first 200 bytes, so the reason still fits. */
		if (!memmem(err.buf, err.len, names, strlen(names) > 200 ? 200 : strlen(names)))
			fail_msg("%s: line \"%.*s\" does not name \"%s\"", row, (int)err.len, err.buf, names);
		if (err.truncated)
			fail_msg("%s: line \"%.*s\" is truncated", row, (int)err.len, err.buf);
	}
}

static void opts_parse_usage_error_exact_text(void **state)
{
	static const struct {
		const char *argv[ARGV_MAX];
		const char *err;
	} rows[] = {
		{ { "sctp:80", NULL }, "healthy: sctp:80: unknown check kind 'sctp' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, connect:, http://, https://, grpc://, grpcs://, file:, not:)" },
		{ { "sleep", NULL }, "healthy: sleep: not a check (did you mean proc:sleep?)" },
		{ { "pid:abc", NULL }, "healthy: pid:abc: not a pid (a whole number)" },
		{ { "pid:0", NULL }, "healthy: pid:0: pid out of range (1-4194304)" },
		{ { "pid:99999999", NULL }, "healthy: pid:99999999: pid out of range (1-4194304)" },
		{ { "proc:", NULL }, "healthy: proc:: empty name" },
		{ { "proc:x,min=-1", NULL }, "healthy: proc:x,min=-1: min= and max= take a whole number" },
		{ { "proc:x,min=1000001", NULL }, "healthy: proc:x,min=1000001: count out of range (0-1000000)" },
		{ { "proc:x,min=1,min=2", NULL }, "healthy: proc:x,min=1,min=2: min= given twice" },
		{ { "proc:x,min=3,max=1", NULL }, "healthy: proc:x,min=3,max=1: min= is more than max=" },
		{ { "proc:x,foo=1", NULL }, "healthy: proc:x,foo=1: unknown option 'foo' (proc: takes min=, max=, user=, args=)" },
		/* A mistyped option is an error, not part of the name. */
		{ { "proc:x,Min=2", NULL }, "healthy: proc:x,Min=2: unknown option 'Min' (proc: takes min=, max=, user=, args=)" },
		{ { "proc:x,", NULL }, "healthy: proc:x,: empty option after ','" },
		{ { "proc:x,user=", NULL }, "healthy: proc:x,user=: empty user" },
		{ { "proc:x,user=4294967295", NULL }, "healthy: proc:x,user=4294967295: uid out of range" },
		{ { "proc:x,args=", NULL }, "healthy: proc:x,args=: empty args (args=* takes any)" },
		{ { "proc:x,args=a,args=b", NULL }, "healthy: proc:x,args=a,args=b: args= given twice" },
		{ { "proc:x,args=a,", NULL }, "healthy: proc:x,args=a,: empty option after ','" },
		/* A comma before key= starts an option, in a glob too: write it [,]. */
		{ { "proc:x,args=a,b=1", NULL }, "healthy: proc:x,args=a,b=1: unknown option 'b' (proc: takes min=, max=, user=, args=)" },
		{ { "proc:,args=a", NULL }, "healthy: proc:,args=a: empty name" },
		{ { "pidfile:", NULL }, "healthy: pidfile:: empty path" },
		{ { "-x", "proc:x", NULL }, "healthy: -x: unknown option" },
		{ { "--frobnicate", "proc:x", NULL }, "healthy: --frobnicate: unknown option" },
		{ { "-t", "5x", "proc:x", NULL }, "healthy: -t 5x: not a duration (500ms, 5s, 2m)" },
		{ { "--timeout=5x", "proc:x", NULL }, "healthy: --timeout 5x: not a duration (500ms, 5s, 2m)" },
		{ { "-t", "0", "proc:x", NULL }, "healthy: -t 0: duration out of range (1ms to 24 days)" },
		{ { "-t", NULL }, "healthy: -t: needs a DURATION (500ms, 5s, 2m)" },
		{ { "proc:x", "-v", NULL }, "healthy: -v: options come before the checks" },
		{ { "proc:x", "--", "sleep", NULL }, "healthy: -- COMMAND needs --wait or --watch" },
		{ { "--wait", "proc:x", "--", NULL }, "healthy: --: needs a COMMAND after it" },
		{ { "-i", "1s", "proc:x", NULL }, "healthy: -i needs --wait or --watch" },
		{ { "--wait", "-g", "1s", "proc:x", NULL }, "healthy: -g needs --watch" },
		{ { "--wait=soon", "proc:x", NULL }, "healthy: --wait soon: not a duration (500ms, 5s, 2m)" },
		{ { "--retries", "2", "proc:x", NULL }, "healthy: --retries needs --watch" },
		{ { "--wait", "--retries=2", "proc:x", NULL }, "healthy: --retries needs --watch" },
		{ { "--watch", "--retries", "0", "proc:x", NULL }, "healthy: --retries 0: not a whole number from 1 to 1000" },
		{ { "--watch", "--retries=1001", "proc:x", NULL }, "healthy: --retries 1001: not a whole number from 1 to 1000" },
		{ { "--watch", "--retries", "-1", "proc:x", NULL }, "healthy: --retries -1: not a whole number from 1 to 1000" },
		{ { "--watch", "--retries=2.5", "proc:x", NULL }, "healthy: --retries 2.5: not a whole number from 1 to 1000" },
		/* The number forgotten: the check is taken for it, and said. */
		{ { "--watch", "--retries", "proc:x", NULL }, "healthy: --retries proc:x: not a whole number from 1 to 1000" },
		{ { "--watch", "--retries=", "proc:x", NULL }, "healthy: --retries: needs a whole number from 1 to 1000" },
		{ { "--watch", "proc:x", "--retries", NULL }, "healthy: --retries: options come before the checks" },
		{ { "--pause", "--retries=2", NULL }, "healthy: --pause takes no other option but -q" },
		{ { "--log=", "proc:x", NULL }, "healthy: --log: needs a PATH to append to (--log=/proc/1/fd/2)" },
		{ { "--log", NULL }, "healthy: --log: needs a PATH to append to (--log=/proc/1/fd/2)" },
		{ { "--pause", "--log=/tmp/x", NULL }, "healthy: --pause takes no other option but -q" },
		{ { "--install", "/x", "--notify", NULL }, "healthy: --install takes no other option but -q" },
		{ { "--notify", "proc:x", NULL }, "healthy: --notify needs --wait or --watch (it says when the checks first pass)" },
		{ { "--wait", "--notify=fd:", "proc:x", NULL },
		  "healthy: --notify=fd:: not fd:N (a descriptor's number); --notify alone uses $NOTIFY_SOCKET" },
		{ { "--wait", "--notify=3", "proc:x", NULL },
		  "healthy: --notify=3: not fd:N (a descriptor's number); --notify alone uses $NOTIFY_SOCKET" },
		{ { "--wait", "--notify=fd:2", "proc:x", NULL },
		  "healthy: --notify=fd:2: 0, 1 and 2 are stdin, stdout and stderr: give the supervisor's descriptor" },
		{ { "--wait", "--notify=fd:0", "proc:x", NULL },
		  "healthy: --notify=fd:0: 0, 1 and 2 are stdin, stdout and stderr: give the supervisor's descriptor" },
		{ { "--wait", "--notify=fd:-1", "proc:x", NULL },
		  "healthy: --notify=fd:-1: not fd:N (a descriptor's number); --notify alone uses $NOTIFY_SOCKET" },
		/* Bytes of the argument are escaped: the line stays one line. */
		{ { "bo\ngus:x", NULL }, "healthy: bo\\ngus:x: unknown check kind 'bo\\ngus' (known: proc:, pid:, pidfile:, tcp:, udp:, unix:, connect:, http://, https://, grpc://, grpcs://, file:, not:)" },
		{ { "-t", "5\x1b[2J", "proc:x", NULL }, "healthy: -t 5\\x1b[2J: not a duration (500ms, 5s, 2m)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line err;

		ROW_INT(rows[i].err, parse(rows[i].argv, &err), OPTS_USAGE);
		ROW_MEM(rows[i].err, err.buf, err.len, rows[i].err, strlen(rows[i].err));
	}
}

static void opts_parse_retries_takes_1_to_1000_default_1(void **state)
{
	static const struct {
		const char *argv[ARGV_MAX];
		unsigned retries;
	} rows[] = {
		{ { "--watch", "proc:x", NULL }, 1 },
		{ { "--watch", "--retries", "1", "proc:x", NULL }, 1 },
		{ { "--watch", "--retries", "2", "proc:x", NULL }, 2 },
		{ { "--retries=1000", "--watch", "proc:x", NULL }, 1000 },
		{ { "--wait", "--watch", "--retries=3", "proc:x", "--", "sleep", NULL }, 3 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line err;

		ROW_INT(rows[i].argv[1], parse(rows[i].argv, &err), OPTS_OK);
		ROW_INT(rows[i].argv[1], opts.retries, rows[i].retries);
	}
}

/* --log PATH or --log=PATH; --notify alone ($NOTIFY_SOCKET: fd -1) or --notify=fd:N, with --wait or --watch. */
static void opts_parse_log_and_notify(void **state)
{
	static const struct {
		const char *argv[ARGV_MAX];
		const char *log;
		bool notify;
		int fd;
	} rows[] = {
		{ { "proc:x", NULL }, NULL, false, -1 },
		{ { "--log", "/proc/1/fd/2", "proc:x", NULL }, "/proc/1/fd/2", false, -1 },
		{ { "--log=/var/log/h.log", "-q", "proc:x", NULL }, "/var/log/h.log", false, -1 },
		{ { "--wait", "--notify", "tcp:80", NULL }, NULL, true, -1 },
		{ { "--watch", "--notify=fd:3", "tcp:80", NULL }, NULL, true, 3 },
		{ { "--notify=fd:3", "--wait=5s", "--log=x", "tcp:80", "--", "cmd", NULL }, "x", true, 3 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct line err;

		ROW_INT(rows[i].argv[0], parse(rows[i].argv, &err), OPTS_OK);
		ROW_INT(rows[i].argv[0], opts.log == NULL, rows[i].log == NULL);
		if (rows[i].log)
			ROW_MEM(rows[i].argv[0], opts.log, strlen(opts.log), rows[i].log, strlen(rows[i].log));
		ROW_INT(rows[i].argv[0], opts.notify, rows[i].notify);
		ROW_INT(rows[i].argv[0], opts.notify_fd, rows[i].fd);
	}
}

static void opts_parse_name_of_300_bytes_is_too_long(void **state)
{
	static char spec[5 + 300 + 1];
	const char *argv[] = { spec, NULL };
	struct line err;
	static const char why[] = ": name too long (at most 255 bytes)";

	(void)state;
	memcpy(spec, "proc:", 5);
	memset(spec + 5, 'n', 300);
	assert_int_equal(parse(argv, &err), OPTS_USAGE);
	/* The check is shown by its first 200 bytes and "...". */
	assert_int_equal(err.len, 9 + 200 + 3 + LEN(why));
	assert_memory_equal(err.buf, "healthy: proc:nnn", 17);
	assert_memory_equal(err.buf + 9 + 200, "...", 3);
	assert_memory_equal(err.buf + 9 + 203, why, LEN(why));
}

/* ---- opts_prepare ---- */

static void opts_prepare_root_is_uid_0_unknown_name_is_usage_error(void **state)
{
	static const char *const ok[] = { "proc:x,user=root", "proc:y,user=7", "pid:1", NULL };
	static const char *const unknown[] = { "proc:x,user=no-such-user-healthy", NULL };
	static const char want[] =
		"healthy: proc:x,user=no-such-user-healthy: no such user 'no-such-user-healthy' in /etc/passwd";
	struct line err;

	(void)state;
	assert_int_equal(parse(ok, &err), OPTS_OK);
	assert_false(STATE(proc, &opts.checks[0])->uid_known);
	assert_int_equal(opts_prepare(&opts, &err), 0);
	assert_true(STATE(proc, &opts.checks[0])->uid_known);
	assert_int_equal(STATE(proc, &opts.checks[0])->uid, 0);
	assert_int_equal(STATE(proc, &opts.checks[1])->uid, 7);

	assert_int_equal(parse(unknown, &err), OPTS_OK);
	assert_int_equal(opts_prepare(&opts, &err), 2);
	assert_int_equal(err.len, LEN(want));
	assert_memory_equal(err.buf, want, LEN(want));
}

/*
 * A path that ends in an unknown ",key=value" is a usage error, unless a file
 * has that very name: "file:/x,max-age=5m" is a misspelt option, not a path.
 */
static void opts_prepare_unknown_option_after_a_path_is_usage_error_unless_the_file_exists(void **state)
{
	static const char *const rows[][2] = {
		{ "file:/nonexistent-hly/a,foo=1", "healthy: file:/nonexistent-hly/a,foo=1: unknown option 'foo' (file: takes maxage=)" },
		{ "file:/nonexistent-hly/a,max-age=5m", "healthy: file:/nonexistent-hly/a,max-age=5m: unknown option 'max-age' (file: takes maxage=)" },
		{ "file:/nonexistent-hly/a,MaxAge=5s", "healthy: file:/nonexistent-hly/a,MaxAge=5s: unknown option 'MaxAge' (file: takes maxage=)" },
		{ "file:/nonexistent-hly/a,maxage=5s,foo=1", "healthy: file:/nonexistent-hly/a,maxage=5s,foo=1: unknown option 'foo' (file: takes maxage=)" },
		{ "file:/nonexistent-hly/a,foo=1,maxage=5s", "healthy: file:/nonexistent-hly/a,foo=1,maxage=5s: unknown option 'foo' (file: takes maxage=)" },
		{ "file:/nonexistent-hly/a\n,foo=1", "healthy: file:/nonexistent-hly/a\\n,foo=1: unknown option 'foo' (file: takes maxage=)" },
		{ "pidfile:/nonexistent-hly/a.pid,nmae=nginx", "healthy: pidfile:/nonexistent-hly/a.pid,nmae=nginx: unknown option 'nmae' (pidfile: takes name=)" },
		{ "unix:/nonexistent-hly/a.sock,timeout=1s", "healthy: unix:/nonexistent-hly/a.sock,timeout=1s: unknown option 'timeout' (unix: takes no option)" },
	};
	char dir[] = "/tmp/healthy-test-args-XXXXXX", path[128], spec[160];
	struct line err;
	size_t i;
	int fd;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *args[] = { rows[i][0], NULL };

		assert_int_equal(parse(args, &err), OPTS_OK);
		ROW_INT(rows[i][0], opts_prepare(&opts, &err), 2);
		ROW_MEM(rows[i][0], err.buf, err.len, rows[i][1], strlen(rows[i][1]));
	}
	/* Not a mistake: the file's name holds it. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a,foo=1", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	snprintf(spec, sizeof(spec), "file:%s", path);
	{
		const char *args[] = { spec, NULL };

		assert_int_equal(parse(args, &err), OPTS_OK);
		assert_int_equal(opts_prepare(&opts, &err), 0);
		assert_int_equal(opts.checks[0].arg_len, strlen(path));
	}
	/* proc: and pid: take no path: an unknown option there is an error at once. */
	{
		const char *args[] = { "pid:1,nmae=x", NULL };

		assert_int_equal(parse(args, &err), OPTS_USAGE);
		assert_memory_equal(err.buf, "healthy: pid:1,nmae=x: unknown option 'nmae' (pid: takes name=)", err.len);
	}
	unlink(path);
	rmdir(dir);
}

/* --help: the usage, then each listed kind's lines from the table, then the options; cut nowhere. */
static void opts_help_is_usage_kinds_and_options(void **state)
{
	static char help[4096], kinds_text[4096];
	size_t n = opts_help(help, sizeof(help)), k = kind_usage(kinds_text, sizeof(kinds_text));
	const char *checks = strstr(help, "checks:\n");

	(void)state;
	assert_true(n > 0 && n < sizeof(help));
	assert_memory_equal(help, "usage: healthy [OPTIONS] CHECK...\n", 34);
	assert_non_null(checks);
	assert_memory_equal(checks + 8, kinds_text, k);
	assert_memory_equal(checks + 8 + k, "\noptions:\n", 10);
	assert_memory_equal(help + n - 33, "  -V, --version    print the version\n" + 4, 33);
	/* A buffer that cannot hold the usage and the options gets nothing, not a part. */
	assert_int_equal(opts_help(help, 100), 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(opts_help_is_usage_kinds_and_options),
		cmocka_unit_test(opts_parse_options_before_checks),
		cmocka_unit_test(opts_parse_checks_keep_order_and_spec),
		cmocka_unit_test(opts_parse_help_and_version),
		cmocka_unit_test(opts_parse_64_checks_ok_65_usage_error),
		cmocka_unit_test(opts_parse_no_checks_or_v_with_q_is_usage_error),
		cmocka_unit_test(opts_parse_malformed_argument_gives_one_line_naming_it),
		cmocka_unit_test(opts_parse_usage_error_exact_text),
		cmocka_unit_test(opts_parse_retries_takes_1_to_1000_default_1),
		cmocka_unit_test(opts_parse_log_and_notify),
		cmocka_unit_test(opts_parse_name_of_300_bytes_is_too_long),
		cmocka_unit_test(opts_prepare_root_is_uid_0_unknown_name_is_usage_error),
		cmocka_unit_test(opts_prepare_unknown_option_after_a_path_is_usage_error_unless_the_file_exists),
	};

	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
