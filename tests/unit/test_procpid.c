/*
 * lib/procpid.c's pure parts: stat_parse, status_parse, comm_parse,
 * argv_names_feed, full_name_pick, proc_state_live, procname_set,
 * name_match_*, proc_path.
 * Real bytes, copied from /proc/PID of processes on Linux 6.18:
 * stat-real-*, status-real-*, comm-real-*, cmdline-real-*, and
 * stat-comm-*, status-name-newline-state (names set with prctl(PR_SET_NAME)).
 * Cut from those: stat-truncated-*, status-truncated-*, status-missing-state,
 * stat-2047-bytes (stat-real-sleep with its comm padded to the STAT_SIZE
 * limit). Written by hand: stat-garbage, stat-empty, stat-missing-fields,
 * stat-parens-reversed, comm-15-bytes, comm-two-newlines,
 * comm-newline-inside, and the other cmdline-* files.
 */
#include "fixture.h"

#include "lib/procpid.h"

#define LEN(s) (sizeof(s) - 1)
/* A literal and its length, NULs inside included. */
#define BYTES(s) s, LEN(s)

/* ---- stat_parse ---- */

struct stat_row {
	const char *fixture;
	const char *comm;
	size_t comm_len;
	char state;
	pid_t ppid;
	long threads;
	unsigned long long starttime;
};

static void stat_rows(const struct stat_row *rows, size_t n)
{
	static char buf[STAT_SIZE];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct stat_row *r = &rows[i];
		size_t len = fixture_load(r->fixture, buf, sizeof(buf));
		struct proc_stat st;

		memset(&st, 0, sizeof(st));
		ROW_INT(r->fixture, stat_parse(buf, len, &st), 0);
		ROW_MEM(r->fixture, st.comm, st.comm_len, r->comm, r->comm_len);
		ROW_INT(r->fixture, st.state, r->state);
		ROW_INT(r->fixture, st.ppid, r->ppid);
		ROW_INT(r->fixture, st.threads, r->threads);
		ROW_INT(r->fixture, st.starttime, r->starttime);
	}
}

static void stat_parse_real_captures_give_comm_state_ppid_threads_starttime(void **state)
{
	static const struct stat_row rows[] = {
		{ "stat-real-sleep", BYTES("sleep"), 'S', 6697, 1, 79862 },
		/* Two threads, run with nice -5: a negative field. */
		{ "stat-real-threaded", BYTES("thr"), 'S', 30399, 2, 143243 },
		{ "stat-real-kthreadd", BYTES("kthreadd"), 'S', 0, 1, 19 },
		/* Workqueue workers carry names longer than the 15 bytes of comm. */
		{ "stat-real-kworker-long", BYTES("kworker/1:2-cgroup_pidlist_destroy"), 'I', 2, 1, 3964 },
		{ "stat-real-zombie", BYTES("sleep"), 'Z', 6874, 1, 80242 },
		/* The leader called pthread_exit() while a thread still runs. */
		{ "stat-real-zombie-leader", BYTES("zlead"), 'Z', 6697, 2, 79912 },
	};

	(void)state;
	stat_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void stat_parse_hostile_comm_runs_from_first_open_to_last_close(void **state)
{
	static const struct stat_row rows[] = {
		{ "stat-comm-paren-space", BYTES("a) (b"), 'S', 6697, 1, 79697 },
		{ "stat-comm-newline", BYTES("new\nline"), 'S', 6697, 1, 79720 },
		{ "stat-comm-spaces", BYTES("with  two space"), 'S', 6697, 1, 79742 },
		/* The name pretends to be a zombie with ppid 1: the state is the real 'S'. */
		{ "stat-comm-trick-zombie", BYTES("x) Z 1 2 3 4 5"), 'S', 6697, 1, 79766 },
		{ "stat-comm-non-utf8", BYTES("\xff\xfe\x80" "bin"), 'S', 6697, 1, 79791 },
		{ "stat-comm-empty", BYTES(""), 'S', 6697, 1, 79817 },
		{ "stat-comm-15-bytes", BYTES("15-byte-name-xx"), 'S', 6697, 1, 79840 },
	};

	(void)state;
	stat_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void stat_parse_2047_byte_line_parses_whole(void **state)
{
	/* 2047 bytes is all io_read_fd() returns for STAT_SIZE: the longest line that is read whole. */
	static char buf[STAT_SIZE];
	size_t len = fixture_load("stat-2047-bytes", buf, sizeof(buf));
	struct proc_stat st;

	(void)state;
	assert_int_equal(len, STAT_SIZE - 1);
	assert_int_equal(stat_parse(buf, len, &st), 0);
	assert_ptr_equal(st.comm, buf + 6);
	assert_int_equal(st.comm_len, 1753);
	assert_memory_equal(st.comm + st.comm_len - 12, " (x) S 1 2 )", 12);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 6697);
	assert_int_equal(st.threads, 1);
	assert_int_equal(st.starttime, 79862);
}

static void stat_parse_truncated_missing_or_garbage_returns_minus_one(void **state)
{
	static const char *const fixtures[] = {
		"stat-empty",
		"stat-truncated-after-comm",    /* "6820 (sleep) " */
		"stat-truncated-after-state",   /* "6820 (sleep) S" */
		"stat-truncated-mid-fields",    /* cut at field 17 */
		"stat-missing-fields",          /* three fields, then a newline */
		"stat-garbage",
		"stat-parens-reversed",         /* ')' before '(' */
	};
	static char buf[STAT_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		size_t len = fixture_load(fixtures[i], buf, sizeof(buf));
		struct proc_stat st;

		ROW_INT(fixtures[i], stat_parse(buf, len, &st), -1);
	}
}

static void stat_parse_malformed_fields_return_minus_one(void **state)
{
	static const struct {
		const char *name;
		const char *buf;
		size_t len;
	} rows[] = {
		{ "no parens", BYTES("1 x S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n") },
		{ "only ')('", BYTES(")(") },
		{ "no space after ')'", BYTES("1 (x)S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n") },
		{ "no space after state", BYTES("1 (x) S0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n") },
		{ "two spaces between fields", BYTES("1 (x) S 0  0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n") },
		{ "a letter in a field", BYTES("1 (x) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1a 0 5\n") },
		{ "a lone minus", BYTES("1 (x) S - 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n") },
		{ "a field past 2^64", BYTES("1 (x) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999\n") },
		{ "18 fields", BYTES("1 (x) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0\n") },
		{ "a NUL in a field", BYTES("1 (x) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1\0 0 5\n") },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct proc_stat st;

		ROW_INT(rows[i].name, stat_parse(rows[i].buf, rows[i].len, &st), -1);
	}
}

static void stat_parse_reads_no_byte_past_len(void **state)
{
	/* The same real line, cut by len alone: what follows in memory must not count. */
	static char buf[STAT_SIZE];
	size_t len = fixture_load("stat-real-sleep", buf, sizeof(buf));
	const char *close = strrchr(buf, ')');
	struct proc_stat st;

	(void)state;
	assert_non_null(close);
	assert_int_equal(stat_parse(buf, (size_t)(close - buf) + 3, &st), -1);
	assert_int_equal(stat_parse(buf, (size_t)(close - buf), &st), -1);
	assert_int_equal(stat_parse(buf, len, &st), 0);
}

/*
 * Was a bug: a line cut inside field 22 parses, with a wrong starttime.
 * Input: the real sleep line cut after "... 1 0 798" (starttime 79862 loses
 * its last two digits), no newline. Expected: -1 (STYLE.md: "require the
 * newline"; a watcher compares starttime). Actual: 0 with starttime 798.
 */
static void stat_parse_cut_inside_starttime_returns_minus_one(void **state)
{
	static char buf[STAT_SIZE];
	size_t len = fixture_load("stat-truncated-in-starttime", buf, sizeof(buf));
	struct proc_stat st;

	(void)state;
	assert_int_equal(stat_parse(buf, len, &st), -1);
	/* Cut right after field 22: starttime may have lost digits just the same. */
	len = fixture_load("stat-truncated-after-starttime", buf, sizeof(buf));
	assert_int_equal(stat_parse(buf, len, &st), -1);
}

/*
 * Was a bug: field_parse() negates -(long long)v with v = 2^63, a
 * signed overflow. Input: a stat line whose ppid is "-9223372036854775808"
 * (or status "Threads:\t-9223372036854775808"). Expected: -1 or any value,
 * no undefined behaviour. Actual: UBSan aborts the debug build in
 * src/lib/procpid.c field_parse ("negation of -9223372036854775808 cannot be
 * represented in type 'long long int'"); a fuzzer finds it at once.
 */
static void stat_parse_ppid_minus_2_pow_63_is_no_undefined_behaviour(void **state)
{
	struct proc_stat st;
	struct proc_status ss;

	(void)state;
	stat_parse(BYTES("1 (x) S -9223372036854775808 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5\n"), &st);
	status_parse(BYTES("State:\tZ\nThreads:\t-9223372036854775808\n"), &ss);
}

/* ---- status_parse ---- */

struct status_row {
	const char *fixture;
	int ret;
	char state;
	bool have_tgid;
	pid_t tgid;
	bool have_uid;
	uid_t ruid;
	long threads;
};

static void status_parse_fixtures_give_state_tgid_real_uid_threads(void **state)
{
	static const struct status_row rows[] = {
		{ "status-real-sleep", 0, 'S', true, 6820, true, 0, 1 },
		/* Uid: 1000 65534 65534 65534: the real uid is the first. */
		{ "status-real-setuid", 0, 'S', true, 6903, true, 1000, 1 },
		{ "status-real-zombie", 0, 'Z', true, 6876, true, 0, 1 },
		{ "status-real-zombie-leader", 0, 'Z', true, 6838, true, 0, 2 },
		/* A thread's own status: Tgid is the process, not the thread. */
		{ "status-real-thread", 0, 'S', true, 6919, true, 0, 2 },
		/* Name "a\nState:\tZ (z": the kernel escapes it, the real State is 'S'. */
		{ "status-name-newline-state", 0, 'S', true, 7242, true, 0, 1 },
		/* Cut after the State line: only State is known, Threads defaults to 1. */
		{ "status-truncated-after-state", 0, 'S', false, 0, false, 0, 1 },
		{ "status-missing-state", -1, 0, true, 6820, true, 0, 1 },
		{ "status-truncated-in-state-key", -1, 0, false, 0, false, 0, 1 },
		{ "status-truncated-state-no-value", -1, 0, false, 0, false, 0, 1 },
	};
	static char buf[STATUS_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct status_row *r = &rows[i];
		size_t len = fixture_load(r->fixture, buf, sizeof(buf));
		struct proc_status st;

		ROW_INT(r->fixture, status_parse(buf, len, &st), r->ret);
		if (r->ret == 0)
			ROW_INT(r->fixture, st.state, r->state);
		ROW_INT(r->fixture, st.have_tgid, r->have_tgid);
		if (r->have_tgid)
			ROW_INT(r->fixture, st.tgid, r->tgid);
		ROW_INT(r->fixture, st.have_uid, r->have_uid);
		if (r->have_uid)
			ROW_INT(r->fixture, st.ruid, r->ruid);
		ROW_INT(r->fixture, st.threads, r->threads);
	}
}

static void status_parse_uid_line_edge_values(void **state)
{
	static const struct {
		const char *name;
		const char *buf;
		size_t len;
		bool have_uid;
		uid_t ruid;
	} rows[] = {
		{ "largest uid", BYTES("State:\tS\nUid:\t4294967294\t0\t0\t0\n"), true, 4294967294u },
		{ "(uid_t)-1 is no uid", BYTES("State:\tS\nUid:\t4294967295\t0\t0\t0\n"), false, 0 },
		{ "uid past 32 bits", BYTES("State:\tS\nUid:\t99999999999999999999\t0\n"), false, 0 },
		/* A last line without its newline may have been cut ("33" of "3300"): not used. */
		{ "uid ends the buffer", BYTES("State:\tS\nUid:\t33"), false, 0 },
		{ "letters after the uid", BYTES("State:\tS\nUid:\t33x\t0\n"), false, 0 },
		{ "no uid", BYTES("State:\tS\nUid:\t\n"), false, 0 },
		{ "Uid key only", BYTES("State:\tS\nUid:"), false, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct proc_status st;

		ROW_INT(rows[i].name, status_parse(rows[i].buf, rows[i].len, &st), 0);
		ROW_INT(rows[i].name, st.state, 'S');
		ROW_INT(rows[i].name, st.have_uid, rows[i].have_uid);
		if (rows[i].have_uid)
			ROW_INT(rows[i].name, st.ruid, rows[i].ruid);
	}
}

/* ---- comm_parse ---- */

static void comm_parse_strips_one_trailing_newline_only(void **state)
{
	static const struct {
		const char *fixture;
		size_t want;
	} rows[] = {
		{ "comm-real-sleep", 5 },               /* "sleep\n" */
		{ "comm-real-kworker-long", 34 },       /* the full worker name, not 15 bytes */
		{ "comm-15-bytes", 15 },
		{ "comm-two-newlines", 2 },             /* "a\n\n": the name is "a\n" */
		{ "comm-newline-inside", 8 },           /* "new\nline\n" */
	};
	char buf[COMM_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t len = fixture_load(rows[i].fixture, buf, sizeof(buf));

		ROW_INT(rows[i].fixture, comm_parse(buf, len), rows[i].want);
	}
	assert_int_equal(comm_parse("", 0), 0);
	assert_int_equal(comm_parse("\n", 1), 0);
	assert_int_equal(comm_parse("sleep", 5), 5);
}

/* ---- argv_names_feed ---- */

/* Feeds bytes in chunks of step, as reads of cmdline hand them over. */
static void feed(struct argv_names *a, const char *buf, size_t len, size_t step)
{
	size_t off;

	argv_names_start(a);
	for (off = 0; off < len; off += step)
		if (argv_names_feed(a, buf + off, len - off < step ? len - off : step))
			break;
}

static void argv_names_feed_gives_base_names_of_argv0_and_argv1(void **state)
{
	static const struct {
		const char *fixture;
		const char *base0, *base1;
	} rows[] = {
		{ "cmdline-real-sleep", "sleep", "30" },                /* "sleep\0" "30\0" */
		{ "cmdline-path-argv0", "kube-controller-manager", "--leader-elect=true" },
		/* setproctitle() writes one string and pads with NULs: its last '/' starts the base name. */
		{ "cmdline-setproctitle", "nginx", "" },
		{ "cmdline-no-nul", "no-nul-at-all", "" },
		{ "cmdline-empty-argv0", "", "--flag" },                /* "\0--flag\0/usr/bin/x\0" */
		{ "cmdline-trailing-slash", "", "arg" },                /* "/usr/bin/\0arg\0" */
		{ "cmdline-real-kthread", "", "" },                     /* kernel threads: empty */
		{ "cmdline-real-zombie", "", "" },                      /* zombies: empty */
	};
	char buf[CMDLINE_SIZE];
	static const size_t steps[] = { 1, 3, 7, CMDLINE_SIZE };
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t len = fixture_load(rows[i].fixture, buf, sizeof(buf));

		for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
			struct argv_names a;

			feed(&a, buf, len, steps[k]);
			ROW_MEM(rows[i].fixture, a.base[0], a.len[0], rows[i].base0, strlen(rows[i].base0));
			ROW_MEM(rows[i].fixture, a.base[1], a.len[1], rows[i].base1, strlen(rows[i].base1));
		}
	}
}

static void argv_names_feed_stops_after_argv2_and_bounds_names(void **state)
{
	static char big[3 * PROC_NAME_SIZE];
	struct argv_names a;

	(void)state;
	/* "#!/bin/sh -e": the script is argv[2]; feeding stops after it, argv[3] is not read. */
	argv_names_start(&a);
	assert_true(argv_names_feed(&a, BYTES("/bin/sh\0-e\0./run-me\0/a/b\0")));
	assert_int_equal(a.len[0], 2);
	assert_memory_equal(a.base[0], "sh", 2);
	assert_int_equal(a.len[1], 2);
	assert_memory_equal(a.base[1], "-e", 2);
	assert_int_equal(a.len[2], 6);
	assert_memory_equal(a.base[2], "run-me", 6);
	/* A base name longer than NAME_MAX is no name; a later '/' starts a new one. */
	memset(big, 'x', sizeof(big));
	argv_names_start(&a);
	assert_false(argv_names_feed(&a, big, sizeof(big)));
	assert_true(a.too_long[0]);
	assert_false(argv_names_feed(&a, BYTES("/short")));
	assert_false(a.too_long[0]);
	assert_int_equal(a.len[0], 5);
	assert_true(argv_names_feed(&a, BYTES("\0\0\0")));
	assert_int_equal(a.len[1], 0);
}

/* ---- full_name_pick ---- */

static void full_name_pick_takes_the_first_that_starts_with_comm(void **state)
{
	static const struct {
		const char *what;
		const char *cmdline;
		size_t cmdline_len;
		const char *exe;        /* NULL: unreadable */
		const char *want;       /* NULL: unknown */
	} rows[] = {
		{ "argv[0]", BYTES("/usr/local/bin/kube-controller-manager\0--x\0"), "/usr/bin/other", "kube-controller-manager" },
		{ "argv[0] exactly comm", BYTES("kube-controller\0"), NULL, "kube-controller" },
		{ "a script: argv[1]", BYTES("/bin/sh\0/opt/kube-controller-wrapper\0"), "/usr/bin/dash", "kube-controller-wrapper" },
		{ "a script with an interpreter option: argv[2]", BYTES("/bin/sh\0-e\0/opt/kube-controller-wrapper\0"),
		  "/usr/bin/dash", "kube-controller-wrapper" },
		{ "argv rewritten: the executable", BYTES("worker\0"), "/usr/bin/kube-controller-manager", "kube-controller-manager" },
		{ "a binary replaced by an upgrade", BYTES("worker\0"), "/usr/bin/kube-controller-manager (deleted)", "kube-controller-manager" },
		{ "argv rewritten, executable unreadable", BYTES("worker\0"), NULL, NULL },
		{ "nothing starts with comm", BYTES("/bin/sh\0-c\0"), "/usr/bin/dash", NULL },
		{ "a directory of that name does not count", BYTES("/opt/kube-controller-manager/bin/run\0"), NULL, NULL },
		{ "a zombie: nothing", BYTES(""), NULL, NULL },
		{ "shorter than comm", BYTES("kube\0kube-control\0"), "/x/kube", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct argv_names a;
		const char *got;
		size_t len = 0;

		feed(&a, rows[i].cmdline, rows[i].cmdline_len, CMDLINE_SIZE);
		got = full_name_pick("kube-controller", 15, &a, rows[i].exe, rows[i].exe ? strlen(rows[i].exe) : 0, &len);
		if (!rows[i].want) {
			if (got)
				fail_msg("%s: got \"%.*s\", want none", rows[i].what, (int)len, got);
			continue;
		}
		if (!got)
			fail_msg("%s: got none, want \"%s\"", rows[i].what, rows[i].want);
		ROW_MEM(rows[i].what, got, len, rows[i].want, strlen(rows[i].want));
	}
}

/* ---- proc_state_live ---- */

static void proc_state_live_running_sleeping_idle_alive_zombie_stopped_dead(void **state)
{
	static const struct {
		char state;
		bool live;
	} rows[] = {
		{ 'R', true },
		{ 'S', true },
		{ 'D', true },
		{ 'I', true },
		{ 'W', true },
		/* A zombie leader's group state is its threads' (proc_group_state): a plain Z is dead. */
		{ 'Z', false },
		{ 'X', false },
		{ 'x', false },
		{ 'T', false },
		{ 't', false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "state %c", rows[i].state);
		ROW_INT(name, proc_state_live(rows[i].state), rows[i].live);
	}
}

/* ---- name_match_comm, name_match_full ---- */

struct name_row {
	const char *name;       /* NAME as proc: takes it */
	const char *comm;
	enum name_match comm_match;
	const char *full;       /* for NAME_NEED_FULL: the whole name */
	bool full_match;
};

static void name_rows(const struct name_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct name_row *r = &rows[i];
		struct proc_name pn;
		char what[128];

		snprintf(what, sizeof(what), "%s, comm \"%s\", whole name \"%s\"", r->name, r->comm, r->full ? r->full : "");
		ROW_INT(what, procname_set(&pn, r->name, strlen(r->name)), PROCNAME_OK);
		ROW_INT(what, name_match_comm(&pn, r->comm, strlen(r->comm)), r->comm_match);
		if (r->comm_match == NAME_NEED_FULL)
			ROW_INT(what, name_match_full(&pn, r->full, strlen(r->full)), r->full_match);
	}
}

static void name_match_exact_names_decide_on_comm(void **state)
{
	static const struct name_row rows[] = {
		{ "sleep", "sleep", NAME_YES, NULL, false },
		{ "sleep", "sleeper", NAME_NO, NULL, false },
		{ "sleep", "slee", NAME_NO, NULL, false },
		{ "sleep", "Sleep", NAME_NO, NULL, false },
		{ "a,b", "a,b", NAME_YES, NULL, false },
		/* A NAME shorter than 15 bytes never matches a longer comm. */
		{ "kube", "kube-controller", NAME_NO, NULL, false },
		/* Kernel workers' comm is not cut: the whole name must match. */
		{ "kworker/1:2-cgroup_pidlist_destroy", "kworker/1:2-cgroup_pidlist_destroy", NAME_YES, NULL, false },
		{ "kube-controller-manager", "kube-controller-manager", NAME_YES, NULL, false },
		{ "kube-controller-manager", "kube-controllex", NAME_NO, NULL, false },
		{ "kube-controller-manager", "kube-control", NAME_NO, NULL, false },
	};

	(void)state;
	name_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void name_match_15_byte_comm_needs_the_whole_name(void **state)
{
	static const struct name_row rows[] = {
		{ "kube-controller-manager", "kube-controller", NAME_NEED_FULL, "kube-controller-manager", true },
		/* Same 15-byte comm, another program. */
		{ "kube-controller-manager", "kube-controller", NAME_NEED_FULL, "kube-controller-foo", false },
		{ "kube-controller-manager", "kube-controller", NAME_NEED_FULL, "kube-controller-manager-x", false },
		/* A 15-byte NAME is a whole name of 15 bytes: the cut comm of a longer one is not it. */
		{ "kube-controller", "kube-controller", NAME_NEED_FULL, "kube-controller-manager", false },
		{ "kube-controller", "kube-controller", NAME_NEED_FULL, "kube-controller", true },
	};

	(void)state;
	name_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void name_match_globs_on_comm_then_the_whole_name(void **state)
{
	static const struct name_row rows[] = {
		{ "ngin*", "nginx", NAME_YES, NULL, false },
		{ "ngin?", "nginx", NAME_YES, NULL, false },
		{ "nginx?", "nginx", NAME_NO, NULL, false },
		{ "x[0-9]", "x5", NAME_YES, NULL, false },
		{ "x[0-9]", "xa", NAME_NO, NULL, false },
		{ "kworker/*", "kworker/1:2-cgroup_pidlist_destroy", NAME_YES, NULL, false },
		/* A 15-byte comm may be cut: the whole name decides, whether the glob matches comm or not. */
		{ "*-manager", "kube-controller", NAME_NEED_FULL, "kube-controller-manager", true },
		{ "*-manager", "kube-controller", NAME_NEED_FULL, "kube-controller-foo", false },
		/* The case: matches the cut comm, not the name it was cut from. */
		{ "*-controller", "kube-controller", NAME_NEED_FULL, "kube-controller-manager", false },
		{ "*-controller", "kube-controller", NAME_NEED_FULL, "kube-controller", true },
		/* A glob no name starting with comm could match needs nothing more. */
		{ "kube-ctl*", "kube-controller", NAME_NO, NULL, false },
		/* A comm shorter than 15 bytes is whole: the glob's no is final. */
		{ "*-manager", "kube-ctl", NAME_NO, NULL, false },
		/* A glob that ends in '*' and matches the cut comm matches whatever it was cut from. */
		{ "kube-controller*", "kube-controller", NAME_YES, NULL, false },
		{ "kube-c*", "kube-controller", NAME_YES, NULL, false },
		{ "*", "kube-controller", NAME_YES, NULL, false },
		{ "*-manager*", "kube-controller", NAME_NEED_FULL, "kube-controller-manager", true },
		/* An escaped or bracketed star is a byte: the whole name still decides. */
		{ "kube-controller\\*", "kube-controller", NAME_NEED_FULL, "kube-controller*", true },
		{ "kube-controller\\*", "kube-controller", NAME_NEED_FULL, "kube-controller-manager", false },
		{ "kube-controller[*]", "kube-controller", NAME_NEED_FULL, "kube-controller-manager", false },
	};

	(void)state;
	name_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* ---- proc_path ---- */

static void proc_path_writes_pid_and_file(void **state)
{
	char buf[32];

	(void)state;
	proc_path(buf, 1, "/stat");
	assert_string_equal(buf, "1/stat");
	proc_path(buf, PID_MAX_LIMIT, "/status");
	assert_string_equal(buf, "4194304/status");
	proc_path(buf, 42, "");
	assert_string_equal(buf, "42");
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(stat_parse_cut_inside_starttime_returns_minus_one),
		cmocka_unit_test(stat_parse_ppid_minus_2_pow_63_is_no_undefined_behaviour),
		cmocka_unit_test(stat_parse_real_captures_give_comm_state_ppid_threads_starttime),
		cmocka_unit_test(stat_parse_hostile_comm_runs_from_first_open_to_last_close),
		cmocka_unit_test(stat_parse_2047_byte_line_parses_whole),
		cmocka_unit_test(stat_parse_truncated_missing_or_garbage_returns_minus_one),
		cmocka_unit_test(stat_parse_malformed_fields_return_minus_one),
		cmocka_unit_test(stat_parse_reads_no_byte_past_len),
		cmocka_unit_test(status_parse_fixtures_give_state_tgid_real_uid_threads),
		cmocka_unit_test(status_parse_uid_line_edge_values),
		cmocka_unit_test(comm_parse_strips_one_trailing_newline_only),
		cmocka_unit_test(argv_names_feed_gives_base_names_of_argv0_and_argv1),
		cmocka_unit_test(argv_names_feed_stops_after_argv2_and_bounds_names),
		cmocka_unit_test(full_name_pick_takes_the_first_that_starts_with_comm),
		cmocka_unit_test(proc_state_live_running_sleeping_idle_alive_zombie_stopped_dead),
		cmocka_unit_test(name_match_exact_names_decide_on_comm),
		cmocka_unit_test(name_match_15_byte_comm_needs_the_whole_name),
		cmocka_unit_test(name_match_globs_on_comm_then_the_whole_name),
		cmocka_unit_test(proc_path_writes_pid_and_file),
	};

	return cmocka_run_group_tests_name("procpid", tests, NULL, NULL);
}
