#include "line.h"

#include "io.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

static size_t bytes_written;

void line_reset(struct line *l)
{
	l->len = 0;
	l->truncated = 0;
}

void line_mem(struct line *l, const char *s, size_t n)
{
	/* One byte stays free for the newline line_write() adds. */
	size_t room = sizeof(l->buf) - 1 - l->len;

	if (n > room) {
		n = room;
		l->truncated = 1;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

void line_str(struct line *l, const char *s)
{
	line_mem(l, s, strlen(s));
}

void line_uint(struct line *l, unsigned long long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	line_mem(l, digits + i, sizeof(digits) - i);
}

void line_int(struct line *l, long long v)
{
	if (v < 0) {
		line_mem(l, "-", 1);
		line_uint(l, 0ULL - (unsigned long long)v);
	} else {
		line_uint(l, (unsigned long long)v);
	}
}

/*
 * Code points that print as nothing, or act on what is around them: spaces
 * other than ' ' (U+00A0, U+2000-U+200A, U+3000 ...), format characters
 * (soft hyphen, zero-width ones, U+FEFF, number signs that span what
 * follows), the Braille blank, line and paragraph separators,
 * bidirectional controls (U+202E turns "gnp.exe" around), fillers,
 * variation selectors, tags and noncharacters. A name holding them could
 * pass for another in a line read at 3 a.m.: they are escaped.
 */
static const struct {
	unsigned lo, hi;
} invisible[] = {
	{ 0x00a0, 0x00a0 }, { 0x00ad, 0x00ad }, { 0x034f, 0x034f }, { 0x0600, 0x0605 }, { 0x061c, 0x061c },
	{ 0x06dd, 0x06dd }, { 0x070f, 0x070f }, { 0x08e2, 0x08e2 }, { 0x2800, 0x2800 }, { 0x110bd, 0x110bd },
	{ 0x110cd, 0x110cd },
	{ 0x115f, 0x1160 }, { 0x1680, 0x1680 }, { 0x17b4, 0x17b5 }, { 0x180b, 0x180f },
	{ 0x2000, 0x200f }, { 0x2028, 0x202f }, { 0x205f, 0x206f }, { 0x3000, 0x3000 },
	{ 0x3164, 0x3164 }, { 0xfdd0, 0xfdef }, { 0xfe00, 0xfe0f }, { 0xfeff, 0xfeff },
	{ 0xffa0, 0xffa0 }, { 0xfff0, 0xfffb }, { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 },
	{ 0x1d173, 0x1d17a }, { 0xe0000, 0xe0fff },
};

static bool is_invisible(unsigned cp)
{
	size_t i;

	/* U+xFFFE and U+xFFFF of every plane are noncharacters. */
	if ((cp & 0xfffe) == 0xfffe)
		return true;
	for (i = 0; i < sizeof(invisible) / sizeof(invisible[0]); i++) {
		if (cp >= invisible[i].lo && cp <= invisible[i].hi)
			return true;
	}
	return false;
}

/*
 * Length of the valid, printable UTF-8 sequence at s (2 to 4 bytes), or 0.
 * C1 controls (U+0080..U+009F) are refused: terminals act on them; so are
 * the invisible code points above.
 */
static size_t utf8_printable(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < 0xa0 || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || is_invisible(cp))
		return 0;
	return len;
}

void line_escaped(struct line *l, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		char esc[4] = { '\\', 0, 0, 0 };
		size_t seq;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			line_mem(l, (const char *)p + i, 1);
			i++;
			continue;
		}
		if (c >= 0x80 && (seq = utf8_printable(p + i, n - i))) {
			line_mem(l, (const char *)p + i, seq);
			i += seq;
			continue;
		}
		if (c == '\n' || c == '\t' || c == '\\') {
			esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : '\\';
			line_mem(l, esc, 2);
		} else {
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			line_mem(l, esc, 4);
		}
		i++;
	}
}

void line_duration(struct line *l, unsigned long long ms)
{
	/* Exact, as Go (and so Docker) writes durations, with days: "500ms", "10.5s", "1m0.25s", "2d0h3m". */
	static const struct {
		unsigned long long ms;
		char unit;
	} units[] = { { 86400000, 'd' }, { 3600000, 'h' }, { 60000, 'm' } };
	unsigned long long rest = ms;
	size_t i;
	bool started = false;

	if (ms < 1000) {
		line_uint(l, ms);
		line_str(l, "ms");
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!started && rest < units[i].ms)
			continue;
		started = true;
		line_uint(l, rest / units[i].ms);
		line_mem(l, &units[i].unit, 1);
		rest %= units[i].ms;
		if (!rest)
			return;
	}
	line_uint(l, rest / 1000);
	if (rest % 1000) {
		char frac[4] = { '.', (char)('0' + rest % 1000 / 100), (char)('0' + rest % 100 / 10), (char)('0' + rest % 10) };
		size_t n = 4;

		while (frac[n - 1] == '0')
			n--;
		line_mem(l, frac, n);
	}
	line_str(l, "s");
}

static const unsigned char v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/*
 * An address as RFC 5952 writes it: IPv4 dotted, IPv6 in lower-case hex with
 * the longest run of zero groups as "::" and IPv4-mapped ones as
 * "::ffff:a.b.c.d". musl's inet_ntop would pull in snprintf: 20 KB.
 */
void line_ip(struct line *l, int family, const unsigned char *a)
{
	static const char hex[] = "0123456789abcdef";
	int i, best = -1, best_len = 1, run = 0;

	if (family == AF_INET6 && !memcmp(a, v4_mapped, 12)) {
		line_str(l, "::ffff:");
		a += 12;
		family = AF_INET;
	}
	if (family == AF_INET) {
		for (i = 0; i < 4; i++) {
			line_str(l, i ? "." : "");
			line_uint(l, a[i]);
		}
		return;
	}
	for (i = 0; i < 8; i++) {
		run = a[2 * i] || a[2 * i + 1] ? 0 : run + 1;
		if (run > best_len) {
			best_len = run;
			best = i - run + 1;
		}
	}
	for (i = 0; i < 8; i++) {
		unsigned g = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		char buf[4];
		int n = 0, shift;

		if (i == best) {
			line_str(l, "::");
			i += best_len - 1;
			continue;
		}
		if (i && i != best + best_len)
			line_str(l, ":");
		for (shift = 12; shift >= 0; shift -= 4) {
			if (n || (g >> shift) & 15 || shift == 0)
				buf[n++] = hex[(g >> shift) & 15];
		}
		line_mem(l, buf, (size_t)n);
	}
}

void line_addr(struct line *l, int family, const unsigned char *a, unsigned port)
{
	line_str(l, family == AF_INET6 ? "[" : "");
	line_ip(l, family, a);
	line_str(l, family == AF_INET6 ? "]:" : ":");
	line_uint(l, port);
}

void line_lower(struct line *l, const char *why)
{
	/* Lower-case, as every other line is: "permission denied", but "I/O error". */
	if (why[0] >= 'A' && why[0] <= 'Z' && why[1] >= 'a' && why[1] <= 'z') {
		char first = (char)(why[0] - 'A' + 'a');

		line_mem(l, &first, 1);
		why++;
	}
	line_str(l, why);
}

/*
 * The errno texts healthy can meet, in musl's words, so that a line reads
 * as it did with strerror(): musl's table of all 130-odd is 2 KiB, this one
 * half that. Any other number is said as "errno N", which a search finds.
 * One list makes both arrays, so that codes and texts stay in step.
 */
#define REASONS(X) \
	X(EPERM, "Operation not permitted") \
	X(ENOENT, "No such file or directory") \
	X(ESRCH, "No such process") \
	X(EINTR, "Interrupted system call") \
	X(EIO, "I/O error") \
	X(ENXIO, "No such device or address") \
	X(E2BIG, "Argument list too long") \
	X(ENOEXEC, "Exec format error") \
	X(EBADF, "Bad file descriptor") \
	X(ECHILD, "No child process") \
	X(EAGAIN, "Resource temporarily unavailable") \
	X(ENOMEM, "Out of memory") \
	X(EACCES, "Permission denied") \
	X(EFAULT, "Bad address") \
	X(EBUSY, "Resource busy") \
	X(EEXIST, "File exists") \
	X(EXDEV, "Cross-device link") \
	X(ENODEV, "No such device") \
	X(ENOTDIR, "Not a directory") \
	X(EISDIR, "Is a directory") \
	X(EINVAL, "Invalid argument") \
	X(ENFILE, "Too many open files in system") \
	X(EMFILE, "No file descriptors available") \
	X(ENOTTY, "Not a tty") \
	X(ETXTBSY, "Text file busy") \
	X(EFBIG, "File too large") \
	X(ENOSPC, "No space left on device") \
	X(EROFS, "Read-only file system") \
	X(EMLINK, "Too many links") \
	X(EPIPE, "Broken pipe") \
	X(EDEADLK, "Resource deadlock would occur") \
	X(ENAMETOOLONG, "Filename too long") \
	X(ENOSYS, "Function not implemented") \
	X(ENOTEMPTY, "Directory not empty") \
	X(ELOOP, "Symbolic link loop") \
	X(EPROTO, "Protocol error") \
	X(EOVERFLOW, "Value too large for data type") \
	X(ENOTSOCK, "Not a socket") \
	X(EMSGSIZE, "Message too large") \
	X(EPROTOTYPE, "Protocol wrong type for socket") \
	X(ENOPROTOOPT, "Protocol not available") \
	X(EPROTONOSUPPORT, "Protocol not supported") \
	X(EOPNOTSUPP, "Not supported") \
	X(EAFNOSUPPORT, "Address family not supported by protocol") \
	X(EADDRINUSE, "Address in use") \
	X(EADDRNOTAVAIL, "Address not available") \
	X(ENETDOWN, "Network is down") \
	X(ENETUNREACH, "Network unreachable") \
	X(ECONNABORTED, "Connection aborted") \
	X(ECONNRESET, "Connection reset by peer") \
	X(ENOBUFS, "No buffer space available") \
	X(ENOTCONN, "Socket not connected") \
	X(ETIMEDOUT, "Operation timed out") \
	X(ECONNREFUSED, "Connection refused") \
	X(EHOSTDOWN, "Host is down") \
	X(EHOSTUNREACH, "Host is unreachable") \
	X(ESTALE, "Stale file handle") \
	X(EDQUOT, "Quota exceeded") \
	X(ENOMEDIUM, "No medium found")

#define REASON_CODE(e, text) e,
#define REASON_TEXT(e, text) text "\0"
static const unsigned char reason_codes[] = { REASONS(REASON_CODE) };
static const char reason_texts[] = REASONS(REASON_TEXT);

void line_reason(struct line *l, int err)
{
	const char *t = reason_texts;
	size_t i;

	for (i = 0; i < sizeof(reason_codes); i++, t += strlen(t) + 1) {
		if (reason_codes[i] == err) {
			line_lower(l, t);
			return;
		}
	}
	line_str(l, "errno ");
	line_int(l, err);
}

void line_errno(struct line *l, const char *what, int err)
{
	line_str(l, what);
	line_str(l, ": ");
	line_reason(l, err);
}

/*
 * Writes prefix (pn bytes) and l and a newline: waiting for room as
 * io_write_all() lets it, or (once) in one write(2) that takes it whole;
 * what a short one left is tried once more, and the line then ended, so
 * that the next one starts on a line of its own. 0, or the errno of the
 * write that failed (EAGAIN: no room); errno is kept.
 */
static int emit(int fd, const char *prefix, size_t pn, const struct line *l, bool once)
{
	char buf[LINE_PREFIX_MAX + LINE_SIZE + 4];
	size_t n = l->len;
	int saved = errno, e = 0;

	memcpy(buf, prefix, pn);
	memcpy(buf + pn, l->buf, n);
	if (l->truncated) {
		/* Back up to a character boundary, so the "..." splits no UTF-8 sequence. */
		n -= 3;
		while (n > 0 && ((unsigned char)buf[pn + n] & 0xc0) == 0x80)
			n--;
		memcpy(buf + pn + n, "...", 3);
		n += 3;
	}
	n += pn;
	buf[n++] = '\n';
	if (once) {
		ssize_t w = write(fd, buf, n);

		if (w > 0 && (size_t)w < n) {
			ssize_t more = write(fd, buf + w, n - (size_t)w);

			e = more < 0 ? errno : EAGAIN;
			if (more >= 0 && (size_t)more == n - (size_t)w)
				e = 0;
			else
				(void)!write(fd, "\n", 1);     /* best effort: the failure is said anyway */
		} else if (w < 0) {
			e = errno;
		}
	} else if (io_write_all(fd, buf, n)) {
		e = errno;
	} else {
		bytes_written += n;
	}
	errno = saved;
	return e;
}

int line_write(int fd, const struct line *l)
{
	return emit(fd, "", 0, l, false) ? -1 : 0;
}

int line_write_once(int fd, const char *prefix, size_t pn, const struct line *l)
{
	int e = emit(fd, prefix, pn, l, true);

	errno = e ? e : errno;
	return e ? -1 : 0;
}

size_t line_bytes_written(void)
{
	return bytes_written;
}

void line_start(struct line *l, const char *what)
{
	size_t n = what ? strlen(what) : 0;

	line_reset(l);
	line_str(l, "healthy: ");
	if (!what)
		return;
	/* A 4 KiB path must leave room for the reason: its start is enough to find it. */
	line_escaped(l, what, n > WHAT_SHOWN ? WHAT_SHOWN : n);
	line_str(l, n > WHAT_SHOWN ? "...: " : ": ");
}

void line_unknown_option(struct line *l, const char *spec, const char *kind, size_t kind_len, const char *key,
			 size_t key_len, const char *known)
{
	line_start(l, spec);
	line_str(l, "unknown option '");
	line_escaped(l, key, key_len);
	line_str(l, "' (");
	line_escaped(l, kind, kind_len);
	line_str(l, " takes ");
	line_str(l, known);
	line_str(l, ")");
}
