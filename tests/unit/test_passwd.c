/*
 * lib/passwd.c: passwd_line_parse over the lines of a real Debian 12 /etc/passwd
 * (passwd-real-debian, copied from a test VM, less its one local user) and
 * hostile lines.
 */
#include "fixture.h"

#include "lib/passwd.h"

#define LEN(s) (sizeof(s) - 1)
#define BYTES(s) s, LEN(s)

/* Looks name up line by line, as user_lookup() does. Returns matches; *uid is the first's. */
static int lookup(const char *buf, size_t len, const char *name, uid_t *uid)
{
	const char *p = buf, *end = buf + len;
	int matches = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uid_t u;

		if (passwd_line_parse(p, n, name, strlen(name), &u) == 0 && matches++ == 0)
			*uid = u;
		p += n + 1;
	}
	return matches;
}

static void passwd_line_parse_real_debian_names_give_their_uid(void **state)
{
	static const struct {
		const char *name;
		uid_t uid;
	} rows[] = {
		{ "root", 0 },
		{ "daemon", 1 },
		{ "sync", 4 },          /* gid 65534: the uid is the third field, not the fourth */
		{ "games", 5 },         /* gid 60 */
		{ "www-data", 33 },
		{ "_apt", 42 },         /* empty gecos */
		{ "nobody", 65534 },
		{ "systemd-network", 998 },
		{ "postgres", 101 },    /* gecos "PostgreSQL administrator,,," */
	};
	static char buf[16384];
	size_t len = fixture_load("passwd-real-debian", buf, sizeof(buf)), i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uid_t uid = 12345;

		ROW_INT(rows[i].name, lookup(buf, len, rows[i].name, &uid), 1);
		ROW_INT(rows[i].name, uid, rows[i].uid);
	}
}

static void passwd_line_parse_prefixes_and_other_fields_never_match(void **state)
{
	static const char *const names[] = {
		"www",                  /* prefix of www-data */
		"www-dat",
		"ww-data",
		"www-data-x",
		"roo",
		"Root",
		"root ",
		"x",                    /* the password field */
		"0",                    /* a uid */
		"nologin",
		"/usr/sbin/nologin",
		"",
	};
	static char buf[16384];
	size_t len = fixture_load("passwd-real-debian", buf, sizeof(buf)), i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uid_t uid;

		ROW_INT(names[i], lookup(buf, len, names[i], &uid), 0);
	}
}

static void passwd_line_parse_missing_fields_and_bad_uids_return_minus_one(void **state)
{
	static const struct {
		const char *name;
		const char *line;
		size_t len;
	} rows[] = {
		{ "empty line", BYTES("") },
		{ "name only", BYTES("root") },
		{ "name and colon", BYTES("root:") },
		{ "no uid field", BYTES("root:x") },
		{ "uid field empty at end", BYTES("root:x:") },
		{ "uid without the colon after it", BYTES("root:x:0") },
		{ "empty uid", BYTES("root:x::0:root:/root:/bin/bash") },
		{ "negative uid", BYTES("root:x:-1:0:root:/root:/bin/bash") },
		{ "blank before uid", BYTES("root:x: 0:0:root:/root:/bin/bash") },
		{ "hex uid", BYTES("root:x:0x10:0:root:/root:/bin/bash") },
		{ "(uid_t)-1", BYTES("root:x:4294967295:0::/:") },
		{ "uid past 32 bits", BYTES("root:x:4294967296:0::/:") },
		{ "uid past 64 bits", BYTES("root:x:99999999999999999999999:0::/:") },
		{ "name with a suffix", BYTES("rootx:x:0:0::/:") },
		{ "comment", BYTES("# root:x:0:0::/:") },
		{ "NIS include", BYTES("+root:::::") },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uid_t uid = 777;

		ROW_INT(rows[i].name, passwd_line_parse(rows[i].line, rows[i].len, BYTES("root"), &uid), -1);
		ROW_INT(rows[i].name, uid, 777);
	}
}

static void passwd_line_parse_edge_uids_and_len_bound(void **state)
{
	static const char line[] = "root:x:0:0:root:/root:/bin/bash";
	uid_t uid = 777;

	(void)state;
	assert_int_equal(passwd_line_parse(BYTES("big:x:4294967294:0::/:"), BYTES("big"), &uid), 0);
	assert_int_equal(uid, 4294967294u);
	assert_int_equal(passwd_line_parse(BYTES("z:x:007:0::/:"), BYTES("z"), &uid), 0);
	assert_int_equal(uid, 7);
	/* No password, no gecos, no shell: only name, password and uid fields count. */
	assert_int_equal(passwd_line_parse(BYTES("svc::123:"), BYTES("svc"), &uid), 0);
	assert_int_equal(uid, 123);
	/* len ends the line: "root:x:0" of the whole has no colon after the uid. */
	uid = 777;
	assert_int_equal(passwd_line_parse(line, 8, BYTES("root"), &uid), -1);
	assert_int_equal(passwd_line_parse(line, 9, BYTES("root"), &uid), 0);
	assert_int_equal(uid, 0);
	/* name_len, not a NUL, ends the name. */
	assert_int_equal(passwd_line_parse(BYTES(line), "rootkit", 4, &uid), 0);
}

/*
 * Was a bug: a NAME holding ':' matches across field boundaries.
 * Input: user=games:x (proc:x,user=games:x) against the Debian line
 * "games:x:5:60:games:/usr/games:/usr/sbin/nologin". Expected: -1 (no user
 * name contains ':'; "no such user"). Actual: 0 with uid 60, the gid field.
 */
static void passwd_line_parse_name_with_colon_never_matches(void **state)
{
	static char buf[16384];
	size_t len = fixture_load("passwd-real-debian", buf, sizeof(buf));
	uid_t uid;

	(void)state;
	assert_int_equal(lookup(buf, len, "games:x", &uid), 0);
	assert_int_equal(lookup(buf, len, "root:x", &uid), 0);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(passwd_line_parse_name_with_colon_never_matches),
		cmocka_unit_test(passwd_line_parse_real_debian_names_give_their_uid),
		cmocka_unit_test(passwd_line_parse_prefixes_and_other_fields_never_match),
		cmocka_unit_test(passwd_line_parse_missing_fields_and_bad_uids_return_minus_one),
		cmocka_unit_test(passwd_line_parse_edge_uids_and_len_bound),
	};

	return cmocka_run_group_tests_name("user", tests, NULL, NULL);
}
