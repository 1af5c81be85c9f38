// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of /proc/pagefault_stats, debugfs procs and debugfs hist
 * (docs/format.md, format version 1). Pure: it reads a buffer and fills a
 * model; it never opens a file and never prints.
 *
 * Strict where leniency would mean a wrong number (a truncated last line,
 * a field count that does not match the header, a value that overflows),
 * tolerant where the contract asks for it (unknown global keys and
 * columns, keys in any order, CRLF line ends of a copied file).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

const char *const pfs_col_names[PFS_NCOLS] = {
	[PFS_MINOR] = "minor",
	[PFS_MAJOR] = "major",
	[PFS_RETRY] = "retry",
	[PFS_SEGV_MAPERR] = "segv_maperr",
	[PFS_SEGV_ACCERR] = "segv_accerr",
	[PFS_SEGV_PKUERR] = "segv_pkuerr",
	[PFS_SIGBUS] = "sigbus",
	[PFS_OOM] = "oom",
	[PFS_EFAULT] = "efault",
	[PFS_HWPOISON] = "hwpoison",
	[PFS_SEGV_MM] = "segv_mm",
	[PFS_REMOTE] = "remote",
	[PFS_FAULT_NS] = "fault_ns",
	[PFS_START_TIME] = "start_time",
	[PFS_PPID] = "ppid",
	[PFS_ANON_MINOR] = "anon_minor",
	[PFS_ANON_MAJOR] = "anon_major",
	[PFS_FILE_MINOR] = "file_minor",
	[PFS_FILE_MAJOR] = "file_major",
	[PFS_SHMEM_MINOR] = "shmem_minor",
	[PFS_SHMEM_MAJOR] = "shmem_major",
	[PFS_READ] = "read",
	[PFS_WRITE] = "write",
	[PFS_EXEC] = "exec",
	[PFS_FAULT_MAX_NS] = "fault_max_ns",
	[PFS_REFAULT_ANON] = "refault_anon",
	[PFS_REFAULT_FILE] = "refault_file",
	[PFS_REFAULT_ACTIVE] = "refault_active",
	[PFS_REFAULT_RESTORE] = "refault_restore",
	[PFS_THRASH_NS] = "thrash_ns",
	[PFS_CGROUP] = "cgroup",
};

const char *const pfs_hist_kind_names[PFS_H_NKINDS] = {
	[PFS_H_MINOR] = "minor",
	[PFS_H_MAJOR] = "major",
	[PFS_H_RETRY] = "retry",
};

/* The contract columns every version-1 document has (format.md, item 4). */
static const enum pfs_col pfs_required[] = {
	PFS_MINOR, PFS_MAJOR, PFS_RETRY, PFS_SEGV_MAPERR, PFS_SEGV_ACCERR,
	PFS_SEGV_PKUERR, PFS_SIGBUS, PFS_OOM, PFS_EFAULT,
};

int pfs_col_lookup(const char *name)
{
	int i;

	for (i = 0; i < PFS_NCOLS; i++)
		if (strcmp(pfs_col_names[i], name) == 0)
			return i;
	return -1;
}

/* A line of the document, without its end ("\n" or "\r\n"). */
struct pfs_line {
	const char *s;
	size_t n;
	unsigned int no;
};

struct pfs_lexer {
	const char *buf;
	size_t len, pos;
	unsigned int no;
};

static int pfs_fail(struct pfs_err *err, unsigned int line, int kind,
		    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int pfs_fail(struct pfs_err *err, unsigned int line, int kind,
		    const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -kind;
}

/*
 * Next line: 1 and *l, 0 at the end, or negative with *err set. Every line
 * must end in a newline; a document that stops mid-line was truncated
 * and its last number may be cut short, so it is refused. NUL bytes never
 * appear in a well-formed document (comm escapes them).
 */
static int pfs_next_line(struct pfs_lexer *lx, struct pfs_line *l,
			 struct pfs_err *err)
{
	const char *start, *nl, *nul;
	size_t rest;

	if (lx->pos >= lx->len)
		return 0;
	start = lx->buf + lx->pos;
	rest = lx->len - lx->pos;
	lx->no++;
	nl = memchr(start, '\n', rest);
	nul = memchr(start, '\0', nl ? (size_t)(nl - start) : rest);
	if (nul)
		return pfs_fail(err, lx->no, PFS_E_FORMAT,
				"NUL byte at column %zu",
				(size_t)(nul - start) + 1);
	if (!nl)
		return pfs_fail(err, lx->no, PFS_E_FORMAT,
				"truncated: last line has no newline");
	l->s = start;
	l->n = (size_t)(nl - start);
	l->no = lx->no;
	if (l->n && l->s[l->n - 1] == '\r')
		l->n--;
	lx->pos += (size_t)(nl - start) + 1;
	return 1;
}

/* Split on single spaces; an empty field (two spaces, or a space at
 * either end) is an error. Returns the field count, or -1. */
static long pfs_split(const struct pfs_line *l, const char **f, size_t *fl,
		      size_t max)
{
	size_t i = 0, nf = 0, start = 0;

	for (i = 0; i <= l->n; i++) {
		if (i < l->n && l->s[i] != ' ')
			continue;
		if (i == start)
			return -1;
		if (nf < max) {
			f[nf] = l->s + start;
			fl[nf] = i - start;
		}
		nf++;
		start = i + 1;
	}
	return (long)nf;
}

/*
 * Room for element n of arr, which has room for *cap of size bytes: the
 * same arr, or a larger one (twice as large, 64 at first). NULL when out
 * of memory; arr is then still valid.
 */
static void *pfs_grow(void *arr, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 64;
	p = realloc(arr, ncap * size);
	if (p)
		*cap = ncap;
	return p;
}

/* Why pfs_parse_u64() refused a field (it returned r). */
static const char *pfs_u64_strerror(int r)
{
	return r == -2 ? "value does not fit in 64 bits" :
			 "not an unsigned decimal number";
}

static int pfs_field_eq(const char *f, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(f, word, n) == 0;
}

/* "<magic> <version>" */
static int pfs_parse_magic(struct pfs_lexer *lx, const char *magic,
			   unsigned int want, unsigned int *version,
			   struct pfs_err *err)
{
	struct pfs_line l;
	const char *f[3];
	size_t fl[3];
	uint64_t v;
	long nf;
	int r;

	r = pfs_next_line(lx, &l, err);
	if (r < 0)
		return r;
	if (r == 0)
		return pfs_fail(err, 0, PFS_E_FORMAT, "empty document");
	nf = pfs_split(&l, f, fl, 3);
	if (nf != 2 || !pfs_field_eq(f[0], fl[0], magic))
		return pfs_fail(err, l.no, PFS_E_FORMAT,
				"not a %s document (first line must be \"%s <version>\")",
				magic, magic);
	if (pfs_parse_u64(f[1], fl[1], &v))
		return pfs_fail(err, l.no, PFS_E_FORMAT,
				"format version is not a number");
	if (v != want)
		return pfs_fail(err, l.no, PFS_E_VERSION,
				"format version %llu, this pfstat reads version %u: use a pfstat built with the module",
				(unsigned long long)v, want);
	*version = (unsigned int)v;
	return 0;
}

static int pfs_add_global(struct pfs_table *t, const char *k, size_t kl,
			  const char *v, size_t vl)
{
	struct pfs_global *g;

	g = realloc(t->globals, (t->nglobals + 1) * sizeof(*g));
	if (!g)
		return -1;
	t->globals = g;
	g += t->nglobals;
	g->key = strndup(k, kl);
	g->val = strndup(v, vl);
	if (!g->key || !g->val) {
		free(g->key);
		free(g->val);
		return -1;
	}
	g->numeric = pfs_parse_u64(v, vl, &g->num) == 0;
	t->nglobals++;
	return 0;
}

/* Known numeric global keys, checked so a bad value is an error and not
 * a silently missing figure. */
static bool pfs_global_is_number(const char *k, size_t kl)
{
	static const char *const keys[] = {
		"enabled", "nmissed", "dropped", "evicted", "procs", "max_procs",
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (pfs_field_eq(k, kl, keys[i]))
			return true;
	for (i = 0; i < PFS_NCOLS; i++)
		if (pfs_col_is_counter(i) && pfs_field_eq(k, kl, pfs_col_names[i]))
			return true;
	return false;
}

static int pfs_parse_globals(struct pfs_lexer *lx, struct pfs_table *t,
			     struct pfs_err *err)
{
	struct pfs_line l;
	const char *f[3];
	size_t fl[3], i;
	long nf;
	int r;

	for (;;) {
		r = pfs_next_line(lx, &l, err);
		if (r < 0)
			return r;
		if (r == 0)
			return pfs_fail(err, lx->no, PFS_E_FORMAT,
					"truncated: no empty line after the global block");
		if (l.n == 0)
			return 0;
		nf = pfs_split(&l, f, fl, 3);
		if (nf != 2)
			return pfs_fail(err, l.no, PFS_E_FORMAT,
					"global line must be \"<key> <value>\"");
		for (i = 0; i < l.n; i++)
			if ((unsigned char)l.s[i] < 0x20 ||
			    (unsigned char)l.s[i] >= 0x7f)
				return pfs_fail(err, l.no, PFS_E_FORMAT,
						"global line: byte 0x%02x at column %zu (keys and values are printable ASCII words)",
						(unsigned char)l.s[i], i + 1);
		for (i = 0; i < t->nglobals; i++)
			if (pfs_field_eq(f[0], fl[0], t->globals[i].key))
				return pfs_fail(err, l.no, PFS_E_FORMAT,
						"global key \"%s\" repeated",
						t->globals[i].key);
		if (pfs_add_global(t, f[0], fl[0], f[1], fl[1]))
			return pfs_fail(err, l.no, PFS_E_NOMEM, "out of memory");
		if (pfs_global_is_number(f[0], fl[0]) &&
		    !t->globals[t->nglobals - 1].numeric)
			return pfs_fail(err, l.no, PFS_E_FORMAT,
					"global \"%s\": value is not an unsigned 64-bit number",
					t->globals[t->nglobals - 1].key);
	}
}

/* Column roles: an enum pfs_col, or one of these, or unknown. */
enum {
	PFS_ROLE_UNKNOWN = -1,
	PFS_ROLE_PID = -2,
	PFS_ROLE_COMM = -3,
	PFS_ROLE_STATE = -4,
};

static int pfs_parse_header(struct pfs_lexer *lx, struct pfs_table *t,
			    int **roles, struct pfs_err *err)
{
	const char **f = NULL;
	size_t *fl = NULL, i, j;
	bool seen_pid = false, seen_comm = false, seen_state = false;
	struct pfs_line l;
	long nf;
	int r, *role;

	r = pfs_next_line(lx, &l, err);
	if (r < 0)
		return r;
	if (r == 0)
		return pfs_fail(err, lx->no + 1, PFS_E_FORMAT,
				"truncated: no header row after the global block");
	nf = pfs_split(&l, NULL, NULL, 0);
	if (nf < 0)
		return pfs_fail(err, l.no, PFS_E_FORMAT,
				"header: empty column name (double or trailing space)");
	f = calloc((size_t)nf, sizeof(*f));
	fl = calloc((size_t)nf, sizeof(*fl));
	role = calloc((size_t)nf, sizeof(*role));
	if (!f || !fl || !role) {
		r = pfs_fail(err, l.no, PFS_E_NOMEM, "out of memory");
		goto out_free;
	}
	pfs_split(&l, f, fl, (size_t)nf);
	if (!pfs_field_eq(f[0], fl[0], "pid")) {
		r = pfs_fail(err, l.no, PFS_E_FORMAT,
			     "header row must start with \"pid\"");
		goto out_free;
	}
	for (i = 0; i < (size_t)nf; i++) {
		char name[32];
		int c;

		for (j = 0; j < i; j++) {
			if (fl[j] == fl[i] && !memcmp(f[j], f[i], fl[i])) {
				r = pfs_fail(err, l.no, PFS_E_FORMAT,
					     "header: column %zu repeats column %zu",
					     i + 1, j + 1);
				goto out_free;
			}
		}
		role[i] = PFS_ROLE_UNKNOWN;
		if (fl[i] >= sizeof(name))
			continue;
		memcpy(name, f[i], fl[i]);
		name[fl[i]] = '\0';
		if (!strcmp(name, "pid")) {
			role[i] = PFS_ROLE_PID;
			seen_pid = true;
		} else if (!strcmp(name, "comm")) {
			role[i] = PFS_ROLE_COMM;
			seen_comm = true;
		} else if (!strcmp(name, "state")) {
			role[i] = PFS_ROLE_STATE;
			seen_state = true;
		} else if ((c = pfs_col_lookup(name)) >= 0) {
			role[i] = c;
			t->have[c] = true;
		}
	}
	if (!seen_pid || !seen_comm || !seen_state) {
		r = pfs_fail(err, l.no, PFS_E_FORMAT,
			     "header: missing column \"%s\"",
			     !seen_comm ? "comm" : "state");
		goto out_free;
	}
	for (i = 0; i < sizeof(pfs_required) / sizeof(pfs_required[0]); i++) {
		if (!t->have[pfs_required[i]]) {
			r = pfs_fail(err, l.no, PFS_E_FORMAT,
				     "header: missing column \"%s\"",
				     pfs_col_names[pfs_required[i]]);
			goto out_free;
		}
	}
	t->ncols = (size_t)nf;
	*roles = role;
	role = NULL;
	r = 0;
out_free:
	free(role);
	free(fl);
	free(f);
	return r;
}

/*
 * A numeric field of column c into row: 0, a pfs_parse_u64() error, or
 * -3 for "-" where the column cannot be unknown. thrash_ns is "-" when
 * the kernel keeps no thrashing time for the process (format.md).
 */
static int pfs_parse_number(const char *f, size_t n, int c,
			    struct pfs_row *row)
{
	if (pfs_field_eq(f, n, "-")) {
		if (c != PFS_THRASH_NS)
			return -3;
		row->unknown |= UINT64_C(1) << c;
		row->v[c] = 0;
		return 0;
	}
	return pfs_parse_u64(f, n, &row->v[c]);
}

static int pfs_parse_row(const struct pfs_line *l, const struct pfs_table *t,
			 const int *roles, const char **f, size_t *fl,
			 struct pfs_row *row, struct pfs_err *err)
{
	uint64_t v;
	size_t i;
	long nf;
	int r;

	nf = pfs_split(l, f, fl, t->ncols);
	if (nf < 0)
		return pfs_fail(err, l->no, PFS_E_FORMAT,
				"empty field (double, leading or trailing space)");
	if ((size_t)nf != t->ncols)
		return pfs_fail(err, l->no, PFS_E_FORMAT,
				"%ld fields, the header has %zu", nf, t->ncols);
	memset(row, 0, sizeof(*row));
	for (i = 0; i < t->ncols; i++) {
		switch (roles[i]) {
		case PFS_ROLE_UNKNOWN:
			break;
		case PFS_ROLE_PID:
			if (pfs_parse_u64(f[i], fl[i], &v) || v > INT32_MAX)
				return pfs_fail(err, l->no, PFS_E_FORMAT,
						"pid: not a process id");
			row->pid = (int)v;
			break;
		case PFS_ROLE_COMM:
			r = pfs_comm_unescape(f[i], fl[i], row->comm,
					      sizeof(row->comm), &row->comm_len);
			if (r)
				return pfs_fail(err, l->no, PFS_E_FORMAT,
						"comm: %s", pfs_comm_strerror(r));
			break;
		case PFS_ROLE_STATE:
			if (pfs_field_eq(f[i], fl[i], "alive"))
				row->state = PFS_ALIVE;
			else if (pfs_field_eq(f[i], fl[i], "exited"))
				row->state = PFS_EXITED;
			else
				return pfs_fail(err, l->no, PFS_E_FORMAT,
						"state: neither \"alive\" nor \"exited\"");
			break;
		default:
			r = pfs_parse_number(f[i], fl[i], roles[i], row);
			if (r == -3)
				return pfs_fail(err, l->no, PFS_E_FORMAT,
						"%s: \"-\" (unknown) is allowed in thrash_ns only",
						pfs_col_names[roles[i]]);
			if (r == -1 && roles[i] == PFS_THRASH_NS)
				return pfs_fail(err, l->no, PFS_E_FORMAT,
						"thrash_ns: neither an unsigned decimal number nor \"-\" (unknown)");
			if (r)
				return pfs_fail(err, l->no, PFS_E_FORMAT,
						"%s: %s", pfs_col_names[roles[i]],
						pfs_u64_strerror(r));
			break;
		}
	}
	return 0;
}

static int pfs_parse_rows(struct pfs_lexer *lx, struct pfs_table *t,
			  const int *roles, struct pfs_err *err)
{
	const char **f;
	size_t *fl, cap = 0;
	struct pfs_line l;
	int r;

	f = calloc(t->ncols, sizeof(*f));
	fl = calloc(t->ncols, sizeof(*fl));
	if (!f || !fl) {
		r = pfs_fail(err, 0, PFS_E_NOMEM, "out of memory");
		goto out;
	}
	while ((r = pfs_next_line(lx, &l, err)) > 0) {
		struct pfs_row *rows = pfs_grow(t->rows, t->nrows, &cap,
						sizeof(*rows));

		if (!rows) {
			r = pfs_fail(err, l.no, PFS_E_NOMEM, "out of memory");
			goto out;
		}
		t->rows = rows;
		if (l.n == 0) {
			r = pfs_fail(err, l.no, PFS_E_FORMAT,
				     "empty line inside the table");
			goto out;
		}
		r = pfs_parse_row(&l, t, roles, f, fl, &t->rows[t->nrows], err);
		if (r)
			goto out;
		t->nrows++;
	}
out:
	free(fl);
	free(f);
	return r;
}

int pfs_parse_table(const char *buf, size_t len, struct pfs_table *t,
		    struct pfs_err *err)
{
	struct pfs_lexer lx = { .buf = buf, .len = len };
	int *roles = NULL;
	int r;

	memset(t, 0, sizeof(*t));
	memset(err, 0, sizeof(*err));
	r = pfs_parse_magic(&lx, "pagefault_stats", PFS_FORMAT_VERSION,
			    &t->version, err);
	if (!r)
		r = pfs_parse_globals(&lx, t, err);
	if (!r)
		r = pfs_parse_header(&lx, t, &roles, err);
	if (!r)
		r = pfs_parse_rows(&lx, t, roles, err);
	free(roles);
	if (r)
		pfs_table_free(t);
	return r;
}

void pfs_table_free(struct pfs_table *t)
{
	size_t i;

	for (i = 0; i < t->nglobals; i++) {
		free(t->globals[i].key);
		free(t->globals[i].val);
	}
	free(t->globals);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

const struct pfs_global *pfs_global_find(const struct pfs_table *t,
					 const char *key)
{
	size_t i;

	for (i = 0; i < t->nglobals; i++)
		if (!strcmp(t->globals[i].key, key))
			return &t->globals[i];
	return NULL;
}

bool pfs_global_u64(const struct pfs_table *t, const char *key, uint64_t *v)
{
	const struct pfs_global *g = pfs_global_find(t, key);

	if (!g || !g->numeric)
		return false;
	*v = g->num;
	return true;
}

/* debugfs hist: "pagefault_stats_hist 1", header, one row per bucket. */
static int pfs_hist_row(const struct pfs_line *l, const int *col, size_t ncols,
			const char **f, size_t *fl, struct pfs_bucket *b,
			struct pfs_err *err)
{
	uint64_t *dst[3] = { &b->lo_ns, &b->hi_ns, &b->count };
	static const char *const names[3] = { "lo_ns", "hi_ns", "count" };
	long nf;
	int i, k;

	nf = pfs_split(l, f, fl, ncols);
	if (nf < 0)
		return pfs_fail(err, l->no, PFS_E_FORMAT, "empty field");
	if ((size_t)nf != ncols)
		return pfs_fail(err, l->no, PFS_E_FORMAT,
				"%ld fields, the header has %zu", nf, ncols);
	for (k = 0; k < PFS_H_NKINDS; k++)
		if (pfs_field_eq(f[col[0]], fl[col[0]], pfs_hist_kind_names[k]))
			break;
	if (k == PFS_H_NKINDS)
		return pfs_fail(err, l->no, PFS_E_FORMAT,
				"kind: not minor, major or retry");
	b->kind = (enum pfs_hist_kind)k;
	for (i = 0; i < 3; i++) {
		int r = pfs_parse_u64(f[col[i + 1]], fl[col[i + 1]], dst[i]);

		if (r)
			return pfs_fail(err, l->no, PFS_E_FORMAT, "%s: %s", names[i],
					pfs_u64_strerror(r));
	}
	/* Buckets are [0, 1) and then powers of two: [2^k, 2^(k+1)). */
	if (!((b->lo_ns == 0 && b->hi_ns == 1) ||
	      (b->lo_ns && !(b->lo_ns & (b->lo_ns - 1)) &&
	       b->lo_ns <= UINT64_MAX / 2 && b->hi_ns == b->lo_ns * 2)))
		return pfs_fail(err, l->no, PFS_E_FORMAT,
				"bucket [%llu, %llu) is not a power-of-two bucket",
				(unsigned long long)b->lo_ns,
				(unsigned long long)b->hi_ns);
	return 0;
}

int pfs_parse_hist(const char *buf, size_t len, struct pfs_hist *h,
		   struct pfs_err *err)
{
	static const char *const want[4] = { "kind", "lo_ns", "hi_ns", "count" };
	struct pfs_lexer lx = { .buf = buf, .len = len };
	const char **f = NULL;
	size_t *fl = NULL, cap = 0, i;
	int col[4] = { -1, -1, -1, -1 };
	struct pfs_line l;
	long nf;
	int r, k;

	memset(h, 0, sizeof(*h));
	memset(err, 0, sizeof(*err));
	r = pfs_parse_magic(&lx, "pagefault_stats_hist", PFS_HIST_VERSION,
			    &h->version, err);
	if (r)
		return r;
	r = pfs_next_line(&lx, &l, err);
	if (r <= 0)
		return r ? r : pfs_fail(err, 2, PFS_E_FORMAT,
					"truncated: no header row");
	nf = pfs_split(&l, NULL, NULL, 0);
	if (nf < 0)
		return pfs_fail(err, l.no, PFS_E_FORMAT, "header: empty column name");
	f = calloc((size_t)nf, sizeof(*f));
	fl = calloc((size_t)nf, sizeof(*fl));
	if (!f || !fl) {
		r = pfs_fail(err, l.no, PFS_E_NOMEM, "out of memory");
		goto out;
	}
	pfs_split(&l, f, fl, (size_t)nf);
	for (i = 0; i < (size_t)nf; i++)
		for (k = 0; k < 4; k++)
			if (pfs_field_eq(f[i], fl[i], want[k])) {
				if (col[k] >= 0) {
					r = pfs_fail(err, l.no, PFS_E_FORMAT,
						     "header: column \"%s\" repeated",
						     want[k]);
					goto out;
				}
				col[k] = (int)i;
			}
	for (k = 0; k < 4; k++) {
		if (col[k] < 0) {
			r = pfs_fail(err, l.no, PFS_E_FORMAT,
				     "header: missing column \"%s\"", want[k]);
			goto out;
		}
	}
	while ((r = pfs_next_line(&lx, &l, err)) > 0) {
		struct pfs_bucket *b = pfs_grow(h->b, h->n, &cap, sizeof(*b));

		if (!b) {
			r = pfs_fail(err, l.no, PFS_E_NOMEM, "out of memory");
			goto out;
		}
		h->b = b;
		r = pfs_hist_row(&l, col, (size_t)nf, f, fl, &h->b[h->n], err);
		if (r)
			goto out;
		h->n++;
	}
out:
	free(fl);
	free(f);
	if (r)
		pfs_hist_free(h);
	return r;
}

void pfs_hist_free(struct pfs_hist *h)
{
	free(h->b);
	memset(h, 0, sizeof(*h));
}
