#include "glob.h"

#include <string.h>

/*
 * Matches one [...] class at p against c. Returns the length of the class,
 * or 0 when p is no complete class (then '[' is an ordinary byte).
 */
static size_t class_match(const char *p, size_t n, unsigned char c, bool *hit)
{
	size_t i = 1;
	bool negate = false, in = false;

	if (i < n && (p[i] == '!' || p[i] == '^')) {
		negate = true;
		i++;
	}
	/* A ']' first in the class is a member. */
	for (size_t first = i; i < n && (p[i] != ']' || i == first); i++) {
		unsigned char lo = (unsigned char)p[i], hi = lo;

		if (i + 2 < n && p[i + 1] == '-' && p[i + 2] != ']') {
			hi = (unsigned char)p[i + 2];
			i += 2;
		}
		in |= c >= lo && c <= hi;
	}
	if (i >= n)
		return 0;
	*hit = in != negate;
	return i + 1;
}

/*
 * Matches the element at pat[p], which is not '*', against c: '?', a class,
 * an escaped or a plain byte. Returns its length in the pattern.
 */
static size_t glob_elem(const char *pat, size_t pat_len, size_t p, unsigned char c, bool *hit)
{
	size_t adv;

	*hit = true;
	if (pat[p] == '?')
		return 1;
	if (pat[p] == '[' && (adv = class_match(pat + p, pat_len - p, c, hit)))
		return adv;
	adv = pat[p] == '\\' && p + 1 < pat_len ? 2 : 1;
	*hit = (unsigned char)pat[p + adv - 1] == c;
	return adv;
}

/* With prefix, true when some name that starts with s could match: s ran out before the pattern failed. */
static bool glob_run(const char *pat, size_t pat_len, const char *s, size_t len, bool prefix)
{
	size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;

	/* fnmatch(3) without flags, on bytes: '*' and '?' match '/' too (kworker/0:1). */
	while (i < len) {
		if (p < pat_len) {
			bool hit;
			size_t adv;

			if (pat[p] == '*') {
				star_p = ++p;
				star_i = i;
				continue;
			}
			adv = glob_elem(pat, pat_len, p, (unsigned char)s[i], &hit);
			if (hit) {
				p += adv;
				i++;
				continue;
			}
		}
		if (star_p == (size_t)-1)
			return false;
		p = star_p;
		i = ++star_i;
	}
	if (prefix)
		return true;
	while (p < pat_len && pat[p] == '*')
		p++;
	return p == pat_len;
}

bool glob_prefix(const char *pat, size_t pat_len, const char *s, size_t len)
{
	return glob_run(pat, pat_len, s, len, true);
}

bool glob_match(const char *pat, size_t pat_len, const char *s, size_t len)
{
	return glob_run(pat, pat_len, s, len, false);
}

bool glob_open(const char *pat, size_t len)
{
	size_t p = 0;
	bool star = false, hit;

	/* Element by element: a\* and [*] end in a byte, [* and \\* in a star. */
	while (p < len) {
		star = pat[p] == '*';
		p += star ? 1 : glob_elem(pat, len, p, 0, &hit);
	}
	return star;
}

/* Takes the '*'s at p: they match nothing yet, and no byte before them is needed again. */
static void args_stars(struct args_match *m)
{
	while (m->p < m->pat_len && m->pat[m->p] == '*') {
		m->star_p = ++m->p;
		m->n = 0;
	}
}

void args_match_start(struct args_match *m, const char *pat, size_t pat_len)
{
	memset(m, 0, offsetof(struct args_match, buf));
	m->pat = pat;
	m->pat_len = pat_len;
	m->star_p = ARGS_NO_STAR;
	args_stars(m);
}

/*
 * glob_run() on a string that arrives a byte at a time. Where glob_run()
 * goes back to the byte after the one the last '*' took first, this replays
 * buf, which holds the bytes from there on: no more than the pattern
 * elements met since that '*', and the new byte. So a byte costs at most
 * that many steps, as in glob_run(): a MiB of "a" against "*aaa...ab*"
 * (30 a) takes some 190 ms, a real glob on a real command line a few.
 */
static void args_step(struct args_match *m, char c)
{
	size_t i = m->n;

	if (m->dead)
		return;
	m->buf[m->n++] = c;
	while (i < m->n) {
		bool hit = false;

		if (m->p < m->pat_len && m->pat[m->p] == '*') {
			m->star_p = ++m->p;
			m->n -= i;
			memmove(m->buf, m->buf + i, m->n);
			i = 0;
			continue;
		}
		if (m->p < m->pat_len) {
			size_t adv = glob_elem(m->pat, m->pat_len, m->p, (unsigned char)m->buf[i], &hit);

			if (hit) {
				m->p += adv;
				i++;
				continue;
			}
		}
		if (m->star_p == ARGS_NO_STAR) {
			/* No '*' to take more: nothing that starts so can match. */
			m->dead = true;
			return;
		}
		/* The last '*' takes one byte more; match on from the next. */
		m->p = m->star_p;
		memmove(m->buf, m->buf + 1, --m->n);
		i = 0;
	}
	args_stars(m);
}

/* Known: no match whatever follows, or a match whatever follows (the pattern ends in a '*' it reached). */
static bool args_known(const struct args_match *m)
{
	return m->dead || m->star_p == m->pat_len;
}

bool args_match_feed(struct args_match *m, const char *buf, size_t len)
{
	size_t k;

	for (k = 0; k < len && !args_known(m); k++) {
		if (!m->in_args) {
			/* argv[0] is the name's business, not the arguments'. */
			m->in_args = buf[k] == '\0';
		} else if (buf[k] == '\0') {
			m->nuls++;
		} else {
			for (; m->nuls; m->nuls--)
				args_step(m, ' ');
			args_step(m, buf[k]);
		}
	}
	return args_known(m);
}

bool args_match_end(const struct args_match *m)
{
	/* The '*'s after the last byte are taken already: the pattern must be used up. */
	return !m->dead && m->p == m->pat_len;
}
