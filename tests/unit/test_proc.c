/*
 * kinds/proc.c: proc_parse as check_parse() reaches it (NAME, min=, max=,
 * user=, args= and the commas they may hold), and proc_tally_add(), what a
 * process of the check's name counts as, fed the states of recorded stat
 * lines (tests/fixtures/stat-real-*, test_procpid.c says whose).
 */
#include "fixture.h"

#include <limits.h>
#include <stdbool.h>

#include "kind.h"
#include "kinds/proc.h"

/* ---- proc_parse, as check_parse() reaches it ---- */

static void check_parse_proc_defaults_to_at_least_one(void **state)
{
	static const char spec[] = "proc:nginx";
	struct check c;
	struct line err;

	(void)state;
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_ptr_equal(c.kind, &kind_proc);
	assert_ptr_equal(c.spec, spec);
	assert_ptr_equal(c.arg, spec + 5);
	assert_int_equal(c.arg_len, 5);
	assert_string_equal(STATE(proc, &c)->name.s, "nginx");
	assert_false(STATE(proc, &c)->name.glob);
	assert_int_equal(STATE(proc, &c)->min, 1);
	assert_int_equal(STATE(proc, &c)->max, UINT_MAX);
	assert_false(STATE(proc, &c)->min_given);
	assert_false(STATE(proc, &c)->max_given);
	assert_false(STATE(proc, &c)->by_user);
	assert_int_equal(c.verdict, VERDICT_UNKNOWN);
}

static void check_parse_proc_options_give_min_max_user(void **state)
{
	static const struct {
		const char *spec;
		const char *name;
		unsigned min, max;
		bool by_user, uid_known;
		uid_t uid;
		const char *user;
	} rows[] = {
		{ "proc:x,min=2", "x", 2, UINT_MAX, false, false, 0, NULL },
		{ "proc:x,max=3", "x", 1, 3, false, false, 0, NULL },
		{ "proc:x,min=2,max=5", "x", 2, 5, false, false, 0, NULL },
		{ "proc:x,max=5,min=2", "x", 2, 5, false, false, 0, NULL },
		{ "proc:x,min=0", "x", 0, UINT_MAX, false, false, 0, NULL },
		{ "proc:x,min=1000000", "x", 1000000, UINT_MAX, false, false, 0, NULL },
		/* "max=0" alone asks that none run. */
		{ "proc:x,max=0", "x", 0, 0, false, false, 0, NULL },
		{ "proc:x,min=0,max=0", "x", 0, 0, false, false, 0, NULL },
		{ "proc:x,user=33", "x", 1, UINT_MAX, true, true, 33, "33" },
		{ "proc:x,user=0", "x", 1, UINT_MAX, true, true, 0, "0" },
		{ "proc:x,user=4294967294", "x", 1, UINT_MAX, true, true, 4294967294u, "4294967294" },
		/* A name is looked up later, by opts_prepare(). */
		{ "proc:x,user=www-data", "x", 1, UINT_MAX, true, false, 0, "www-data" },
		{ "proc:x,min=2,user=postgres,max=4", "x", 2, 4, true, false, 0, "postgres" },
		/* Options come off the right end: what is not key=value is the name. */
		{ "proc:a,b", "a,b", 1, UINT_MAX, false, false, 0, NULL },
		{ "proc:a,b,min=2", "a,b", 2, UINT_MAX, false, false, 0, NULL },
		{ "proc:a,min=2,b", "a,min=2,b", 1, UINT_MAX, false, false, 0, NULL },
		{ "proc:,x", ",x", 1, UINT_MAX, false, false, 0, NULL },
		{ "proc:x=1", "x=1", 1, UINT_MAX, false, false, 0, NULL },
		{ "proc:a:b", "a:b", 1, UINT_MAX, false, false, 0, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *row = rows[i].spec;
		struct check c;
		struct line err;

		ROW_INT(row, check_parse(rows[i].spec, &c, &err), 0);
		ROW_INT(row, c.kind == &kind_proc, 1);
		ROW_MEM(row, STATE(proc, &c)->name.s, strlen(STATE(proc, &c)->name.s), rows[i].name, strlen(rows[i].name));
		ROW_MEM(row, c.arg, c.arg_len, rows[i].name, strlen(rows[i].name));
		ROW_INT(row, STATE(proc, &c)->min, rows[i].min);
		ROW_INT(row, STATE(proc, &c)->max, rows[i].max);
		ROW_INT(row, STATE(proc, &c)->by_user, rows[i].by_user);
		ROW_INT(row, STATE(proc, &c)->uid_known, rows[i].uid_known);
		if (rows[i].uid_known)
			ROW_INT(row, STATE(proc, &c)->uid, rows[i].uid);
		if (rows[i].user)
			ROW_MEM(row, STATE(proc, &c)->user, STATE(proc, &c)->user_len, rows[i].user, strlen(rows[i].user));
	}
}

static void check_parse_proc_args_glob_takes_its_commas(void **state)
{
	static const struct {
		const char *spec;
		const char *name;
		const char *args;
		unsigned min;
	} rows[] = {
		{ "proc:python3,args=*app.py*", "python3", "*app.py*", 1 },
		{ "proc:*,args=-jar svc.jar", "*", "-jar svc.jar", 1 },
		{ "proc:x,args=*,min=2", "x", "*", 2 },
		{ "proc:x,min=2,args=a b", "x", "a b", 2 },
		/* An '=' in the glob is a byte. */
		{ "proc:java,args=-Dx=1 -jar a.jar", "java", "-Dx=1 -jar a.jar", 1 },
		/* A piece that is no option belongs to the glob on its left, commas and all. */
		{ "proc:x,args=a,b", "x", "a,b", 1 },
		{ "proc:x,args=a,b,c", "x", "a,b,c", 1 },
		{ "proc:x,args=a,b,min=3", "x", "a,b", 3 },
		{ "proc:x,args=--x=1,--y=2", "x", "--x=1,--y=2", 1 },
		{ "proc:x,args=a[,]min=2", "x", "a[,]min=2", 1 },
		/* The name keeps its commas too. */
		{ "proc:a,b,args=c,d", "a,b", "c,d", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *row = rows[i].spec;
		struct check c;
		struct line err;

		ROW_INT(row, check_parse(rows[i].spec, &c, &err), 0);
		ROW_MEM(row, STATE(proc, &c)->name.s, strlen(STATE(proc, &c)->name.s), rows[i].name, strlen(rows[i].name));
		ROW_MEM(row, c.arg, c.arg_len, rows[i].name, strlen(rows[i].name));
		ROW_MEM(row, STATE(proc, &c)->args, STATE(proc, &c)->args_len, rows[i].args, strlen(rows[i].args));
		ROW_INT(row, STATE(proc, &c)->min, rows[i].min);
	}
}

static void check_parse_proc_glob_flag_set_by_star_question_bracket(void **state)
{
	static const struct {
		const char *spec;
		bool glob;
	} rows[] = {
		{ "proc:nginx*", true },
		{ "proc:ngin?", true },
		{ "proc:x[0-9]", true },
		{ "proc:a[b", true },
		{ "proc:kworker/*,min=0", true },
		{ "proc:nginx", false },
		{ "proc:a\\b", false },
		{ "proc:a]b", false },
		{ "proc:a!b", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct check c;
		struct line err;

		ROW_INT(rows[i].spec, check_parse(rows[i].spec, &c, &err), 0);
		ROW_INT(rows[i].spec, STATE(proc, &c)->name.glob, rows[i].glob);
	}
}

static void check_parse_proc_name_of_255_bytes_fits(void **state)
{
	static char spec[5 + PROC_NAME_SIZE];
	struct check c;
	struct line err;

	(void)state;
	memcpy(spec, "proc:", 5);
	memset(spec + 5, 'n', PROC_NAME_SIZE - 1);
	spec[5 + PROC_NAME_SIZE - 1] = '\0';
	assert_int_equal(check_parse(spec, &c, &err), 0);
	assert_int_equal(c.arg_len, PROC_NAME_SIZE - 1);
	assert_int_equal(strlen(STATE(proc, &c)->name.s), PROC_NAME_SIZE - 1);
}

/* ---- proc_tally_add ---- */

/* The state of a process as its recorded stat line gives it (tests/fixtures/stat-real-*). */
static char recorded_state(const char *fixture)
{
	static char buf[STAT_SIZE];
	struct proc_stat st;
	size_t len = fixture_load(fixture, buf, sizeof(buf));

	assert_int_equal(stat_parse(buf, len, &st), 0);
	return st.state;
}

/* Which count a process of the check's name goes to, from its recorded state and what else was found. */
static void proc_tally_add_counts_by_state_and_facts(void **state)
{
	static const struct {
		const char *fixture;
		bool unsure, ancestor, other_user, other_args;
		unsigned live, zombies, unlive, ancestors, unsure_n, other_users, other_args_n;
	} rows[] = {
		/* sleeping, idle (a kworker): running */
		{ "stat-real-sleep", false, false, false, false, 1, 0, 0, 0, 0, 0, 0 },
		{ "stat-real-kworker-long", false, false, false, false, 1, 0, 0, 0, 0, 0, 0 },
		{ "stat-real-threaded", false, false, false, false, 1, 0, 0, 0, 0, 0, 0 },
		{ "stat-real-zombie", false, false, false, false, 0, 1, 0, 0, 0, 0, 0 },
		/* A zombie leader's group state is its threads' (proc_group_state()); alone it is a zombie. */
		{ "stat-real-zombie-leader", false, false, false, false, 0, 1, 0, 0, 0, 0, 0 },
		/* healthy's ancestor: never counted, noted once sure of its name */
		{ "stat-real-sleep", false, true, false, false, 0, 0, 0, 1, 0, 0, 0 },
		{ "stat-real-sleep", true, true, false, false, 0, 0, 0, 0, 0, 0, 0 },
		/* a cut name that cannot be read whole: counted unsure if it runs, nothing if dead */
		{ "stat-real-sleep", true, false, false, false, 0, 0, 0, 0, 1, 0, 0 },
		{ "stat-real-zombie", true, false, false, false, 0, 0, 0, 0, 0, 0, 0 },
		/* user= and args= that do not match: noted only for a sure, running non-ancestor */
		{ "stat-real-sleep", false, false, true, false, 0, 0, 0, 0, 0, 1, 0 },
		{ "stat-real-zombie", false, false, true, false, 0, 0, 0, 0, 0, 0, 0 },
		{ "stat-real-sleep", false, true, true, false, 0, 0, 0, 0, 0, 0, 0 },
		{ "stat-real-sleep", false, false, false, true, 0, 0, 0, 0, 0, 0, 1 },
		{ "stat-real-sleep", true, false, false, true, 0, 0, 0, 0, 0, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct proc_facts f = { recorded_state(rows[i].fixture), rows[i].unsure, rows[i].ancestor,
					rows[i].other_user, rows[i].other_args };
		struct proc_tally t;

		memset(&t, 0, sizeof(t));
		proc_tally_add(&t, 42, &f);
		ROW_INT(rows[i].fixture, t.live, rows[i].live);
		ROW_INT(rows[i].fixture, t.zombies, rows[i].zombies);
		ROW_INT(rows[i].fixture, t.unlive, rows[i].unlive);
		ROW_INT(rows[i].fixture, t.ancestors, rows[i].ancestors);
		ROW_INT(rows[i].fixture, t.unsure, rows[i].unsure_n);
		ROW_INT(rows[i].fixture, t.other_users, rows[i].other_users);
		ROW_INT(rows[i].fixture, t.other_args, rows[i].other_args_n);
		if (t.live)
			ROW_INT(rows[i].fixture, t.live_pids[0].pid, 42);
	}
}

/* Stopped, traced and dead processes are listed as evidence, 8 of them, and all counted. */
static void proc_tally_add_keeps_8_pids_and_counts_the_rest(void **state)
{
	static const char states[] = "TtXx";
	struct proc_tally t;
	pid_t pid;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (pid = 1; pid <= 12; pid++) {
		struct proc_facts f = { .state = states[pid % 4] };

		proc_tally_add(&t, pid, &f);
	}
	assert_int_equal(t.unlive, 12);
	assert_int_equal(t.live, 0);
	assert_int_equal(t.unlive_pids[7].pid, 8);
	assert_int_equal(t.unlive_pids[7].state, states[0]);
	for (pid = 100; pid < 110; pid++) {
		struct proc_facts f = { .state = 'R' };

		proc_tally_add(&t, pid, &f);
	}
	assert_int_equal(t.live, 10);
	assert_int_equal(t.live_pids[0].pid, 100);
	assert_int_equal(t.live_pids[7].pid, 107);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_parse_proc_defaults_to_at_least_one),
		cmocka_unit_test(check_parse_proc_options_give_min_max_user),
		cmocka_unit_test(check_parse_proc_args_glob_takes_its_commas),
		cmocka_unit_test(check_parse_proc_glob_flag_set_by_star_question_bracket),
		cmocka_unit_test(check_parse_proc_name_of_255_bytes_fits),
		cmocka_unit_test(proc_tally_add_counts_by_state_and_facts),
		cmocka_unit_test(proc_tally_add_keeps_8_pids_and_counts_the_rest),
	};

	return cmocka_run_group_tests_name("proc", tests, NULL, NULL);
}
