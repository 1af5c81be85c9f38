// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel event filters pfstat sets in its tracefs instance, and the
 * lost-event count it reads back. Filtering is the kernel's job (an event
 * that does not match is never written to the ring buffer), so a busy
 * system does not overrun the buffer with faults nobody asked for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "tracecfg.h"

struct pfs_sb {
	char *buf;
	size_t sz, len;
	bool over;
};

static void pfs_sb_add(struct pfs_sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void pfs_sb_add(struct pfs_sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->sz - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->sz - b->len)
		b->over = true;
	else
		b->len += (size_t)n;
}

/* "(tgid == 1 || tgid == 2) && comm == \"x\"": the parts every event
 * shares, joined by "&&" to what is already in b. */
static int pfs_filter_who(const struct pfs_trace_sel *sel, struct pfs_sb *b)
{
	size_t i;

	if (sel->ntgids) {
		pfs_sb_add(b, "%s(", b->len ? " && " : "");
		for (i = 0; i < sel->ntgids; i++)
			pfs_sb_add(b, "%stgid == %d", i ? " || " : "", sel->tgids[i]);
		pfs_sb_add(b, ")");
	}
	if (sel->comm) {
		if (!*sel->comm || strpbrk(sel->comm, "\"\\") ||
		    strlen(sel->comm) > PFS_COMM_MAX)
			return -1;
		pfs_sb_add(b, "%scomm == \"%s\"", b->len ? " && " : "", sel->comm);
	}
	return b->over ? -1 : 0;
}

int pfs_filter_fault(const struct pfs_trace_sel *sel, char *buf, size_t sz)
{
	struct pfs_sb b = { buf, sz, 0, sz == 0 };

	if (sz)
		buf[0] = '\0';
	if (sel->major || sel->errors) {
		pfs_sb_add(&b, "(");
		if (sel->major)
			pfs_sb_add(&b, "result == \"major\"");
		if (sel->errors)
			pfs_sb_add(&b, "%sresult == \"oom\" || result == \"sigbus\" || result == \"hwpoison\" || result == \"segv\"",
				   sel->major ? " || " : "");
		pfs_sb_add(&b, ")");
	}
	return pfs_filter_who(sel, &b);
}

bool pfs_want_invalid(const struct pfs_trace_sel *sel)
{
	return !sel->major || sel->errors;
}

int pfs_filter_invalid(const struct pfs_trace_sel *sel, char *buf, size_t sz)
{
	struct pfs_sb b = { buf, sz, 0, sz == 0 };

	if (sz)
		buf[0] = '\0';
	return pfs_filter_who(sel, &b);
}

/* The number after "key: " on a line of its own, or 0. */
static uint64_t pfs_stats_key(const char *text, size_t len, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		uint64_t v;

		if ((size_t)(le - p) > kl + 1 && !memcmp(p, key, kl) &&
		    p[kl] == ':') {
			const char *s = p + kl + 1;

			while (s < le && *s == ' ')
				s++;
			if (!pfs_parse_u64(s, (size_t)(le - s), &v))
				return v;
		}
		p = le + 1;
	}
	return 0;
}

uint64_t pfs_stats_lost(const char *text, size_t len)
{
	return pfs_add_sat(pfs_add_sat(pfs_stats_key(text, len, "overrun"),
				       pfs_stats_key(text, len, "commit overrun")),
			   pfs_stats_key(text, len, "dropped events"));
}
