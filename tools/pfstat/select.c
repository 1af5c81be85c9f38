// SPDX-License-Identifier: GPL-2.0
/*
 * Selection of rows (filters, sort, top N), sums, and the difference of
 * two snapshots for watch mode. Pure functions over the model.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

uint64_t pfs_row_invalid(const struct pfs_row *r)
{
	return pfs_add_sat(pfs_add_sat(r->v[PFS_SEGV_MAPERR],
				       r->v[PFS_SEGV_ACCERR]),
			   r->v[PFS_SEGV_PKUERR]);
}

uint64_t pfs_row_key(const struct pfs_row *r, int key)
{
	switch (key) {
	case PFS_SORT_TOTAL:
		return pfs_add_sat(r->v[PFS_MINOR], r->v[PFS_MAJOR]);
	case PFS_SORT_INVALID:
		return pfs_row_invalid(r);
	case PFS_SORT_PID:
		return (uint64_t)r->pid;
	default:
		if (key >= 0 && key < PFS_NCOLS)
			return r->v[key];
	}
	return 0;
}

/*
 * "-s COL": any column name, or total, invalid, time (fault_ns), thrash
 * (refault_active, the THRASH column), pid, comm. Counters sort largest first, pid and comm smallest first; a
 * leading '+' or '-' forces ascending or descending.
 */
int pfs_sort_parse(const char *arg, int *key, bool *desc)
{
	int force = 0;

	if (*arg == '+' || *arg == '-')
		force = *arg++ == '+' ? 1 : -1;
	if (!strcmp(arg, "pid"))
		*key = PFS_SORT_PID;
	else if (!strcmp(arg, "comm"))
		*key = PFS_SORT_COMM;
	else if (!strcmp(arg, "total"))
		*key = PFS_SORT_TOTAL;
	else if (!strcmp(arg, "invalid"))
		*key = PFS_SORT_INVALID;
	else if (!strcmp(arg, "time"))
		*key = PFS_FAULT_NS;
	else if (!strcmp(arg, "thrash"))
		*key = PFS_REFAULT_ACTIVE;
	else if ((*key = pfs_col_lookup(arg)) < 0)
		return -1;
	*desc = *key != PFS_SORT_PID && *key != PFS_SORT_COMM &&
		*key != PFS_START_TIME && *key != PFS_PPID && *key != PFS_CGROUP;
	if (force)
		*desc = force < 0;
	return 0;
}

/* "-p 12,34": positive pids, comma separated. */
int pfs_pids_parse(const char *arg, int **pids, size_t *npids)
{
	const char *p = arg;
	int *v;

	for (;;) {
		uint64_t n;
		size_t len = strcspn(p, ",");

		if (pfs_parse_u64(p, len, &n) || n == 0 || n > INT_MAX)
			return -1;
		v = realloc(*pids, (*npids + 1) * sizeof(*v));
		if (!v)
			return -1;
		v[(*npids)++] = (int)n;
		*pids = v;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

bool pfs_row_selected(const struct pfs_row *r, const struct pfs_select *s)
{
	size_t i;
	int c;

	if (s->active) {
		for (c = 0; c < PFS_NCOLS; c++)
			if (pfs_col_is_counter(c) && r->v[c])
				break;
		if (c == PFS_NCOLS)
			return false;
	}
	if (s->alive && !s->exited && r->state != PFS_ALIVE)
		return false;
	if (s->exited && !s->alive && r->state != PFS_EXITED)
		return false;
	if (s->comm && (strlen(s->comm) != r->comm_len ||
			memcmp(s->comm, r->comm, r->comm_len)))
		return false;
	if (!s->npids)
		return true;
	for (i = 0; i < s->npids; i++)
		if (s->pids[i] == r->pid)
			return true;
	return false;
}

/* Byte order, a prefix first. */
int pfs_comm_cmp(const struct pfs_row *x, const struct pfs_row *y)
{
	size_t n = x->comm_len < y->comm_len ? x->comm_len : y->comm_len;
	int c = memcmp(x->comm, y->comm, n);

	if (!c)
		c = (x->comm_len > y->comm_len) - (x->comm_len < y->comm_len);
	return c;
}

static int pfs_sort_key;
static bool pfs_sort_desc;

static int pfs_row_cmp(const void *a, const void *b)
{
	const struct pfs_row *x = *(const struct pfs_row *const *)a;
	const struct pfs_row *y = *(const struct pfs_row *const *)b;
	int c = 0;

	if (pfs_sort_key == PFS_SORT_COMM) {
		c = pfs_comm_cmp(x, y);
	} else {
		uint64_t kx = pfs_row_key(x, pfs_sort_key);
		uint64_t ky = pfs_row_key(y, pfs_sort_key);

		c = (kx > ky) - (kx < ky);
	}
	if (pfs_sort_desc)
		c = -c;
	/* Ties: pid, then start time, as the module orders rows. */
	if (!c)
		c = (x->pid > y->pid) - (x->pid < y->pid);
	if (!c)
		c = (x->v[PFS_START_TIME] > y->v[PFS_START_TIME]) -
		    (x->v[PFS_START_TIME] < y->v[PFS_START_TIME]);
	/* Groups (--by) have no pid: their cgroup, then their comm. */
	if (!c)
		c = (x->v[PFS_CGROUP] > y->v[PFS_CGROUP]) -
		    (x->v[PFS_CGROUP] < y->v[PFS_CGROUP]);
	if (!c)
		c = pfs_comm_cmp(x, y);
	return c;
}

void pfs_sort_rows(const struct pfs_row **rows, size_t n, int key, bool desc)
{
	if (key == PFS_SORT_NONE || n < 2)
		return;
	pfs_sort_key = key;
	pfs_sort_desc = desc;
	qsort(rows, n, sizeof(*rows), pfs_row_cmp);
}

/*
 * Fill out[] (room for t->nrows) with the selected rows, sorted, cut to
 * the top N. Returns how many.
 */
size_t pfs_select_rows(const struct pfs_table *t, const struct pfs_select *s,
		       const struct pfs_row **out)
{
	size_t i, n = 0;

	for (i = 0; i < t->nrows; i++)
		if (pfs_row_selected(&t->rows[i], s))
			out[n++] = &t->rows[i];
	pfs_sort_rows(out, n, s->sort_key, s->sort_desc);
	if (s->top && n > s->top)
		n = s->top;
	return n;
}

/*
 * Sum of the counter columns; fault_max_ns is the maximum. Saturates
 * rather than wraps, so a hostile input cannot make a small total. An
 * unknown value (thrash_ns "-") is left out: the sum is of the rows that
 * know it, and unknown only when none of them does.
 */
void pfs_sum_rows(const struct pfs_row *const *rows, size_t n,
		  struct pfs_row *sum)
{
	uint64_t known = 0;
	size_t i;
	int c;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < n; i++) {
		for (c = 0; c < PFS_NCOLS; c++) {
			uint64_t v = rows[i]->v[c];

			if (rows[i]->unknown & (UINT64_C(1) << c))
				continue;
			known |= UINT64_C(1) << c;
			if (c == PFS_FAULT_MAX_NS) {
				if (v > sum->v[c])
					sum->v[c] = v;
			} else if (pfs_col_is_counter(c)) {
				sum->v[c] = pfs_add_sat(sum->v[c], v);
			}
		}
	}
	if (n)
		sum->unknown = ~known & ((UINT64_C(1) << PFS_NCOLS) - 1);
}

/*
 * sum += r, by pfs_sum_rows()'s rules, into a sum that started as a copy
 * of a row: its identity stays, a value stays unknown only if r does not
 * know it either (an unknown value is 0, so adding it changes nothing).
 */
void pfs_row_add(struct pfs_row *sum, const struct pfs_row *r)
{
	int c;

	for (c = 0; c < PFS_NCOLS; c++) {
		if (c == PFS_FAULT_MAX_NS) {
			if (r->v[c] > sum->v[c])
				sum->v[c] = r->v[c];
		} else if (pfs_col_is_counter(c)) {
			sum->v[c] = pfs_add_sat(sum->v[c], r->v[c]);
		}
	}
	sum->unknown &= r->unknown;
}

static bool pfs_same_process(const struct pfs_table *t, const struct pfs_row *a,
			     const struct pfs_row *b)
{
	if (a->pid != b->pid)
		return false;
	return !t->have[PFS_START_TIME] ||
	       a->v[PFS_START_TIME] == b->v[PFS_START_TIME];
}

static const struct pfs_row *pfs_find_row(const struct pfs_table *t,
					  const struct pfs_row *want)
{
	size_t lo = 0, hi = t->nrows, i;

	/* The module sorts by pid: bisect, then scan the equal range. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->rows[mid].pid < want->pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < t->nrows && t->rows[i].pid == want->pid; i++)
		if (pfs_same_process(t, &t->rows[i], want))
			return &t->rows[i];
	/* Not sorted after all (a hand-made file): fall back to a scan. */
	for (i = 0; i < t->nrows; i++)
		if (pfs_same_process(t, &t->rows[i], want))
			return &t->rows[i];
	return NULL;
}

/* Global keys that count events (differences make sense). */
static bool pfs_global_is_counter(const char *key)
{
	int c = pfs_col_lookup(key);

	if (c >= 0)
		return pfs_col_is_counter(c);
	return !strcmp(key, "nmissed") || !strcmp(key, "dropped") ||
	       !strcmp(key, "evicted");
}

static uint64_t pfs_diff(uint64_t now, uint64_t before)
{
	/* Lower than before: the counters were reset in between. */
	return now >= before ? now - before : now;
}

/*
 * delta = cur - prev, row by row, matching processes by (pid,
 * start_time). A process new in cur counts from zero. If any counter of a
 * row went down, the module was reset in between and the row's values
 * since the reset are its delta. Identity columns are copied from cur. A
 * value unknown in either reading (thrash_ns "-") is unknown in the delta.
 */
int pfs_table_delta(const struct pfs_table *prev, const struct pfs_table *cur,
		    struct pfs_table *delta)
{
	size_t i;
	int c;

	memset(delta, 0, sizeof(*delta));
	delta->version = cur->version;
	delta->ncols = cur->ncols;
	memcpy(delta->have, cur->have, sizeof(delta->have));
	delta->globals = calloc(cur->nglobals ? cur->nglobals : 1,
				sizeof(*delta->globals));
	delta->rows = calloc(cur->nrows ? cur->nrows : 1, sizeof(*delta->rows));
	if (!delta->globals || !delta->rows)
		goto nomem;
	for (i = 0; i < cur->nglobals; i++) {
		const struct pfs_global *g = &cur->globals[i];
		struct pfs_global *d = &delta->globals[i];
		const struct pfs_global *p = pfs_global_find(prev, g->key);

		d->key = strdup(g->key);
		d->val = strdup(g->val);
		delta->nglobals++;
		if (!d->key || !d->val)
			goto nomem;
		d->numeric = g->numeric;
		d->num = g->num;
		if (g->numeric && pfs_global_is_counter(g->key) && p && p->numeric)
			d->num = pfs_diff(g->num, p->num);
	}
	for (i = 0; i < cur->nrows; i++) {
		const struct pfs_row *r = &cur->rows[i];
		const struct pfs_row *p = pfs_find_row(prev, r);
		struct pfs_row *d = &delta->rows[delta->nrows++];
		bool reset = false;

		*d = *r;
		if (!p)
			continue;
		d->unknown |= p->unknown;
		for (c = 0; c < PFS_NCOLS; c++)
			if (pfs_col_is_counter(c) && r->v[c] < p->v[c] &&
			    !(d->unknown & (UINT64_C(1) << c)))
				reset = true;
		if (reset) {
			d->unknown = r->unknown;
			continue;
		}
		for (c = 0; c < PFS_NCOLS; c++) {
			if (d->unknown & (UINT64_C(1) << c))
				d->v[c] = 0;
			else if (pfs_col_is_counter(c))
				d->v[c] = r->v[c] - p->v[c];
		}
	}
	return 0;
nomem:
	pfs_table_free(delta);
	errno = ENOMEM;
	return -1;
}
