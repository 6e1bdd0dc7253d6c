#include "procfs.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "args.h"
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
	m->found = true;
	if (opt_value(opts, opts_len, "hidepid=", &val, &vlen)) {
		if (vlen >= sizeof(m->hidepid))
			vlen = sizeof(m->hidepid) - 1;
		memcpy(m->hidepid, val, vlen);
	}
	if (opt_value(opts, opts_len, "gid=", &val, &vlen) && uint_parse(val, vlen, 4294967294ULL, &gid) == 0) {
		m->has_gid = true;
		m->gid = (gid_t)gid;
	}
	return 1;
}

bool hidepid_hides(const char *hidepid)
{
	return hidepid[0] && strcmp(hidepid, "0") && strcmp(hidepid, "off");
}

static int last_proc_mount(const char *line, size_t len, void *ctx)
{
	struct proc_mount m;

	/* Mounts stack: the last proc at /proc is the one we read. */
	if (mountinfo_line_parse(line, len, &m))
		*(struct proc_mount *)ctx = m;
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

bool procfs_sees_all(int procfd)
{
	static int known = -1;

	(void)procfd;
	if (known >= 0)
		return known;
	if (io_lines("/proc/self/mountinfo", last_proc_mount, &mount)) {
		mountinfo_err = 1;
		known = 0;
	} else {
		/* hidepid yields to CAP_SYS_PTRACE and to the gid= group (fs/proc/base.c has_pid_permissions). */
		known = !hidepid_hides(mount.hidepid) || has_ptrace_cap() ||
			(mount.has_gid && in_group(mount.gid));
	}
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
