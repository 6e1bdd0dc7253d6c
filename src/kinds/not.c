/*
 * not:CHECK wraps any other kind. kind.c parses the CHECK inside it as its
 * own kind (c->kind), and notes this one as c->outer; that kind runs it with
 * its peers (one /proc walk, one poll loop) as if not: were not there, and
 * this file turns the verdict. A check healthy could not make stays so:
 * not knowing whether a port listens is no evidence that it is free.
 */
#include "not.h"

#include <string.h>

/* The inner check's evidence is why not: fails; its failure is why it passes. */
static void not_judge(struct check *c)
{
	struct line *l = &c->why;

	if (c->verdict == VERDICT_PASS) {
		c->verdict = VERDICT_FAIL;
		/* "ok: listening on 0.0.0.0:8080" -> "listening on 0.0.0.0:8080" */
		if (l->len >= 4 && !memcmp(l->buf, "ok: ", 4)) {
			memmove(l->buf, l->buf + 4, l->len - 4);
			l->len -= 4;
		}
	} else if (c->verdict == VERDICT_FAIL) {
		struct line was = *l;

		/* Not seen where healthy cannot look (an unshared PID namespace) is not gone. */
		c->verdict = c->weak ? VERDICT_ERROR : VERDICT_PASS;
		line_reset(l);
		line_str(l, c->weak ? "cannot tell: " : "ok: ");
		line_mem(l, was.buf, was.len);
		l->truncated |= was.truncated;
	}
}

const struct kind kind_not = {
	.name = "not:",
	.usage = "  not:CHECK        passes when CHECK fails and fails when it passes; one that\n"
		 "                   cannot be checked stays so (exit 3)\n",
	.judge = not_judge,
};
