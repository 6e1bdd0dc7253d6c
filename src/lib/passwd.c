#include "passwd.h"

#include <string.h>

#include "scan.h"
#include "io.h"

int passwd_line_parse(const char *line, size_t len, const char *name, size_t name_len, uid_t *uid)
{
	const char *end = line + len, *pw, *uid_start, *uid_end;
	unsigned long long v;

	/* name:password:uid:gid:gecos:home:shell */
	/* A name with ':' in it would match across fields. */
	if (memchr(name, ':', name_len) || len <= name_len || memcmp(line, name, name_len) || line[name_len] != ':')
		return -1;
	pw = line + name_len + 1;
	uid_start = memchr(pw, ':', (size_t)(end - pw));
	if (!uid_start)
		return -1;
	uid_start++;
	uid_end = memchr(uid_start, ':', (size_t)(end - uid_start));
	if (!uid_end)
		return -1;
	if (scan_uint(uid_start, (size_t)(uid_end - uid_start), 4294967294ULL, &v))
		return -1;
	*uid = (uid_t)v;
	return 0;
}

struct lookup {
	const char *name;
	size_t name_len;
	uid_t uid;
	int found;
};

static int lookup_line(const char *line, size_t len, void *ctx)
{
	struct lookup *l = ctx;

	if (passwd_line_parse(line, len, l->name, l->name_len, &l->uid) == 0)
		l->found = 1;
	return l->found;
}

int user_lookup(const char *name, size_t name_len, uid_t *uid)
{
	struct lookup l = { name, name_len, 0, 0 };

	if (io_lines("/etc/passwd", lookup_line, &l))
		return -1;
	if (!l.found)
		return USER_NOT_FOUND;
	*uid = l.uid;
	return 0;
}
