/*
 * lib/procfs.c: mountinfo_line_parse and hidepid_level. The mountinfo-*
 * fixtures are lines of /proc/self/mountinfo: mountinfo-real-self from a
 * Debian 12 VM (less one line of its test sandbox), most others from a private mount namespace
 * (unshare -m; mount -t proc -o OPTIONS proc /proc, --make-shared,
 * --make-slave) on Linux 6.18. Written by hand: hidepid=2 (kernels before
 * 5.8 print numbers), hidepid=0 and hidepid=off (no kernel prints them, a
 * parser may still meet them), the "/proc\040" mount point, an overlong
 * value, and the truncated or out-of-range lines.
 */
#include "fixture.h"

#include "lib/procfs.h"

#define LEN(s) (sizeof(s) - 1)

/* The fixture's lines, each without its newline, in turn. */
static size_t line_next(const char *buf, size_t len, size_t *off, const char **line)
{
	const char *p = buf + *off, *nl = memchr(p, '\n', len - *off);
	size_t n = nl ? (size_t)(nl - p) : len - *off;

	*line = p;
	*off += n + (nl != NULL);
	return n;
}

struct mount_row {
	const char *fixture;
	int ret;                /* of the fixture's only line */
	const char *hidepid;
	bool has_gid;
	gid_t gid;
	bool hides;
};

static void mountinfo_rows(const struct mount_row *rows, size_t n)
{
	static char buf[4096];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct mount_row *r = &rows[i];
		size_t len = fixture_load(r->fixture, buf, sizeof(buf)), off = 0, line_len;
		const char *line;
		struct proc_mount m;

		memset(&m, 0xa5, sizeof(m));
		line_len = line_next(buf, len, &off, &line);
		if (off != len)
			fail_msg("%s: more than one line", r->fixture);
		ROW_INT(r->fixture, mountinfo_line_parse(line, line_len, &m), r->ret);
		if (r->ret != 1)
			continue;
		ROW_INT(r->fixture, m.id != 0, true);
		ROW_MEM(r->fixture, m.hidepid, strnlen(m.hidepid, sizeof(m.hidepid)), r->hidepid, strlen(r->hidepid));
		ROW_INT(r->fixture, m.has_gid, r->has_gid);
		if (r->has_gid)
			ROW_INT(r->fixture, m.gid, r->gid);
		ROW_INT(r->fixture, (hidepid_level(m.hidepid) != 0), r->hides);
	}
}

static void mountinfo_line_parse_proc_at_proc_gives_hidepid_and_gid(void **state)
{
	static const struct mount_row rows[] = {
		{ "mountinfo-hidepid-invisible", 1, "invisible", false, 0, true },
		{ "mountinfo-hidepid-invisible-gid", 1, "invisible", true, 4, true },
		{ "mountinfo-hidepid-noaccess", 1, "noaccess", false, 0, true },
		{ "mountinfo-hidepid-ptraceable", 1, "ptraceable", false, 0, true },
		{ "mountinfo-hidepid-2", 1, "2", false, 0, true },
		{ "mountinfo-hidepid-0", 1, "0", false, 0, false },
		{ "mountinfo-hidepid-off", 1, "off", false, 0, false },
		/* subset=pid hides files, not processes. */
		{ "mountinfo-subset-pid", 1, "", false, 0, false },
		/* Optional fields sit between the mount options and " - ". */
		{ "mountinfo-optional-shared-master", 1, "", false, 0, false },
		{ "mountinfo-optional-master", 1, "", false, 0, false },
		/* (gid_t)-1 is no group. */
		{ "mountinfo-gid-out-of-range", 1, "2", false, 0, true },
		/* A value longer than the field is cut, never overflows it. */
		{ "mountinfo-hidepid-long", 1, "averyveryverylo", false, 0, true },
	};

	(void)state;
	mountinfo_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void mountinfo_line_parse_other_mounts_and_bad_lines_return_0(void **state)
{
	static const struct mount_row rows[] = {
		/* docker binds /proc/sys read-only: a proc mount, not at /proc. */
		{ "mountinfo-proc-sys", 0, NULL, false, 0, false },
		/* Something else mounted over /proc. */
		{ "mountinfo-tmpfs-at-proc", 0, NULL, false, 0, false },
		/* Mount points are escaped: "my\040proc", "/proc\040" are other directories. */
		{ "mountinfo-escaped-mountpoint", 0, NULL, false, 0, false },
		{ "mountinfo-proc-space-escaped", 0, NULL, false, 0, false },
		{ "mountinfo-truncated-no-separator", 0, NULL, false, 0, false },
		{ "mountinfo-no-super-options", 0, NULL, false, 0, false },
	};

	(void)state;
	mountinfo_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void mountinfo_line_parse_short_and_garbage_lines_return_0(void **state)
{
	static const struct {
		const char *name;
		const char *line;
	} rows[] = {
		{ "empty", "" },
		{ "spaces", "     " },
		{ "four fields", "18 23 0:4 /" },
		{ "ends at the mount point", "18 23 0:4 / /proc" },
		{ "ends at the separator", "18 23 0:4 / /proc rw -" },
		{ "ends after the separator", "18 23 0:4 / /proc rw - " },
		{ "type only", "18 23 0:4 / /proc rw - proc" },
		{ "type procfs", "18 23 0:4 / /proc rw - procfs proc rw" },
		{ "type pro", "18 23 0:4 / /proc rw - pro proc rw" },
		{ "mount point /proc/", "18 23 0:4 / /proc/ rw - proc proc rw" },
		{ "mount point /pro", "18 23 0:4 / /pro rw - proc proc rw" },
		{ "/proc as the root field", "18 23 0:4 /proc / rw - proc proc rw" },
		{ "no separator, proc later", "18 23 0:4 / /proc rw,-,proc proc rw" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct proc_mount m;

		ROW_INT(rows[i].name, mountinfo_line_parse(rows[i].line, strlen(rows[i].line), &m), 0);
	}
}

static void mountinfo_line_parse_reads_no_byte_past_len(void **state)
{
	static const char line[] = "18 23 0:4 / /proc rw - proc proc rw,hidepid=2,gid=7";
	struct proc_mount m;

	(void)state;
	/* Cut inside the super options: what is left is what counts. */
	assert_int_equal(mountinfo_line_parse(line, LEN(line) - 6, &m), 1);
	assert_string_equal(m.hidepid, "2");
	assert_false(m.has_gid);
	assert_int_equal(mountinfo_line_parse(line, LEN(line) - 15, &m), 1);
	assert_string_equal(m.hidepid, "");
	/* Cut inside the type: "pro" is not proc. */
	assert_int_equal(mountinfo_line_parse(line, 26, &m), 0);
}

/* Mounts stack: like procfs_sees_all(), the last proc mount at /proc is the one that counts. */
static struct proc_mount last_proc_mount(const char *fixture, int *matches)
{
	static char buf[16384];
	size_t len = fixture_load(fixture, buf, sizeof(buf)), off = 0;
	struct proc_mount last;

	memset(&last, 0, sizeof(last));
	*matches = 0;
	while (off < len) {
		const char *line;
		size_t n = line_next(buf, len, &off, &line);
		struct proc_mount m;

		if (mountinfo_line_parse(line, n, &m)) {
			last = m;
			++*matches;
		}
	}
	return last;
}

static void mountinfo_real_self_has_one_proc_at_proc_without_hidepid(void **state)
{
	int matches;
	struct proc_mount m = last_proc_mount("mountinfo-real-self", &matches);

	(void)state;
	assert_int_equal(matches, 1);
	assert_true(m.id != 0);
	assert_string_equal(m.hidepid, "");
	assert_false((hidepid_level(m.hidepid) != 0));
}

static void mountinfo_stacked_proc_mounts_last_one_hides(void **state)
{
	int matches;
	struct proc_mount m = last_proc_mount("mountinfo-stacked-hidepid", &matches);

	(void)state;
	assert_int_equal(matches, 2);
	assert_string_equal(m.hidepid, "invisible");
	assert_true((hidepid_level(m.hidepid) != 0));
}

static void hidepid_hides_all_but_absent_0_and_off(void **state)
{
	static const struct {
		const char *hidepid;
		bool hides;
	} rows[] = {
		{ "", false },
		{ "0", false },
		{ "off", false },
		{ "1", true },
		{ "2", true },
		{ "4", true },
		{ "noaccess", true },
		{ "invisible", true },
		{ "ptraceable", true },
		/* Unknown values hide: better "cannot tell" than a wrong "not running". */
		{ "00", true },
		{ "Off", true },
		{ "offx", true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ROW_INT(rows[i].hidepid, (hidepid_level(rows[i].hidepid) != 0), rows[i].hides);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(mountinfo_line_parse_proc_at_proc_gives_hidepid_and_gid),
		cmocka_unit_test(mountinfo_line_parse_other_mounts_and_bad_lines_return_0),
		cmocka_unit_test(mountinfo_line_parse_short_and_garbage_lines_return_0),
		cmocka_unit_test(mountinfo_line_parse_reads_no_byte_past_len),
		cmocka_unit_test(mountinfo_real_self_has_one_proc_at_proc_without_hidepid),
		cmocka_unit_test(mountinfo_stacked_proc_mounts_last_one_hides),
		cmocka_unit_test(hidepid_hides_all_but_absent_0_and_off),
	};

	return cmocka_run_group_tests_name("procfs", tests, NULL, NULL);
}
