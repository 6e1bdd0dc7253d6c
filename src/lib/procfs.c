#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "scan.h"
#include "io.h"

/* linux/capability.h, which musl-gcc does not see. */
#define CAPABILITY_VERSION_3 0x20080522
#define CAP_SYS_PTRACE 19
#define MAX_GROUPS 256

struct cap_header {
	unsigned version;
	int pid;
};

struct cap_data {
	unsigned effective, permitted, inheritable;
};

/* Returns the n-th space-separated field of a line, or NULL. */
static const char *field(const char *line, size_t len, int n, size_t *flen)
{
	const char *p = line, *end = line + len;

	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *fe = sp ? sp : end;

		if (n-- == 0) {
			*flen = (size_t)(fe - p);
			return p;
		}
		if (!sp)
			break;
		p = sp + 1;
	}
	return NULL;
}

static bool opt_value(const char *opts, size_t len, const char *key, const char **val, size_t *vlen)
{
	size_t key_len = strlen(key);
	const char *p = opts, *end = opts + len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *oe = comma ? comma : end;

		if ((size_t)(oe - p) > key_len && !memcmp(p, key, key_len)) {
			*val = p + key_len;
			*vlen = (size_t)(oe - *val);
			return true;
		}
		p = oe + 1;
	}
	return false;
}

int mountinfo_line_parse(const char *line, size_t len, struct proc_mount *m)
{
	/*
	 * Documentation/filesystems/proc.rst 3.5: "36 35 98:0 /mnt1 /mnt2
	 * rw,noatime master:1 - ext3 /dev/root rw,errors=continue": optional
	 * fields, then " - ", then type, source and super options.
	 */
	const char *mnt, *sep, *rest, *type, *opts, *val;
	size_t mnt_len, type_len, opts_len, vlen;
	unsigned long long gid;

	const char *idf = field(line, len, 0, &mnt_len);
	unsigned long long id;

	if (!idf || scan_uint(idf, mnt_len, ~0ULL, &id))
		return 0;
	mnt = field(line, len, 4, &mnt_len);
	if (!mnt || mnt_len != 5 || memcmp(mnt, "/proc", 5))
		return 0;
	/* The optional fields end at a lone "-". */
	for (sep = mnt + mnt_len; sep + 3 <= line + len && memcmp(sep, " - ", 3); sep++)
		;
	if (sep + 3 > line + len)
		return 0;
	rest = sep + 3;
	type = field(rest, len - (size_t)(rest - line), 0, &type_len);
	opts = field(rest, len - (size_t)(rest - line), 2, &opts_len);
	if (!type || type_len != 4 || memcmp(type, "proc", 4) || !opts)
		return 0;
	memset(m, 0, sizeof(*m));
	m->id = id;
	if (opt_value(opts, opts_len, "hidepid=", &val, &vlen)) {
		if (vlen >= sizeof(m->hidepid))
			vlen = sizeof(m->hidepid) - 1;
		memcpy(m->hidepid, val, vlen);
	}
	if (opt_value(opts, opts_len, "gid=", &val, &vlen) && scan_uint(val, vlen, 4294967294ULL, &gid) == 0) {
		m->has_gid = true;
		m->gid = (gid_t)gid;
	}
	return 1;
}

int hidepid_level(const char *hidepid)
{
	static const char words[5][12] = { "off", "noaccess", "invisible", "", "ptraceable" };
	int i;

	if (!hidepid[0])
		return 0;
	if (hidepid[0] >= '0' && hidepid[0] <= '4' && !hidepid[1])
		return hidepid[0] - '0';
	for (i = 0; i < 5; i++) {
		if (words[i][0] && !strcmp(hidepid, words[i]))
			return i;
	}
	/* A value this healthy does not know: assume it hides. */
	return 2;
}


struct mount_search {
	unsigned long long want_id;     /* the mount of the fd we read /proc through; 0: unknown */
	struct proc_mount found;
};

static int proc_mount_line(const char *line, size_t len, void *ctx)
{
	struct mount_search *ms = ctx;
	struct proc_mount m;

	/* Mounts stack: without the fd's mount id, the last proc at /proc is the one on top. */
	if (mountinfo_line_parse(line, len, &m) && (!ms->want_id || m.id == ms->want_id)) {
		ms->found = m;
		return ms->want_id != 0;
	}
	return 0;
}

/* The mount id of an open fd, from /proc/self/fdinfo; 0 if it cannot tell. */
static unsigned long long fd_mount_id(int fd)
{
	char path[40] = "/proc/self/fdinfo/", buf[256], *p;
	struct line l;
	unsigned long long id;
	ssize_t n;

	line_reset(&l);
	line_uint(&l, (unsigned long long)fd);
	memcpy(path + 18, l.buf, l.len);
	path[18 + l.len] = '\0';
	n = io_read_at(AT_FDCWD, path, buf, sizeof(buf));
	/* "pos:\t0\nflags:\t02100000\nmnt_id:\t22\n..." */
	for (p = buf; n > 0 && *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, "mnt_id:", 7)) {
			for (p += 7; *p == '\t' || *p == ' '; p++)
				;
			return scan_uint(p, strcspn(p, "\n"), ~0ULL, &id) ? 0 : id;
		}
		if (!strchr(p, '\n'))
			break;
	}
	return 0;
}

static bool has_ptrace_cap(void)
{
	struct cap_header h = { CAPABILITY_VERSION_3, 0 };
	struct cap_data d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
	return d[0].effective & (1u << CAP_SYS_PTRACE);
}

static bool in_group(gid_t gid)
{
	static gid_t groups[MAX_GROUPS];
	int n = getgroups(MAX_GROUPS, groups), i;

	if (getegid() == gid)
		return true;
	for (i = 0; i < n; i++) {
		if (groups[i] == gid)
			return true;
	}
	return false;
}

static struct proc_mount mount;
static int mountinfo_err;

int procfs_open(struct line *err)
{
	static int fd = -1;
	struct statfs fs;

	if (fd >= 0)
		return fd;
	fd = openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		line_errno(err, "open /proc", errno);
		return -1;
	}
	/* An empty directory where /proc should be would look like "nothing runs"; a tmpfs could fake anything. */
	if (fstatfs(fd, &fs) || fs.f_type != PROC_SUPER_MAGIC) {
		line_str(err, "/proc is not mounted (no proc filesystem there)");
		close(fd);
		fd = -1;
		return -1;
	}
	return fd;
}

bool procfs_sees_all(int procfd)
{
	static int known = -1;
	struct mount_search ms;
	int hide;

	if (known >= 0)
		return known;
	/*
	 * fs/proc/base.c has_pid_permissions(): CAP_SYS_PTRACE sees all, however
	 * /proc is mounted. One capget() then spares the reads of fdinfo and of
	 * mountinfo, which the kernel builds line by line for every mount.
	 */
	if (has_ptrace_cap()) {
		known = 1;
		return known;
	}
	memset(&ms, 0, sizeof(ms));
	ms.want_id = fd_mount_id(procfd);
	/* The kernel builds mountinfo under the mount table's lock, which a stuck unmount holds. */
	confine_arm();
	if (io_lines("/proc/self/mountinfo", proc_mount_line, &ms)) {
		mountinfo_err = 1;
		known = 0;
		return known;
	}
	mount = ms.found;
	hide = hidepid_level(mount.hidepid);
	/* Below "ptraceable", members of the gid= group (gid 0 when not given) see all too. */
	known = hide == 0 || (hide != 4 && in_group(mount.has_gid ? mount.gid : 0));
	return known;
}
void procfs_hidden_reason(struct line *l)
{
	if (mountinfo_err) {
		line_str(l, "cannot read /proc/self/mountinfo to know whether /proc hides processes");
		return;
	}
	line_str(l, "/proc is mounted hidepid=");
	line_escaped(l, mount.hidepid, strlen(mount.hidepid));
	line_str(l, " and hides other users' processes from uid ");
	line_uint(l, (unsigned long long)geteuid());
}
