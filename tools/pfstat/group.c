// SPDX-License-Identifier: GPL-2.0
/*
 * --by comm|cgroup|parent: groups of processes and their sums.
 *
 * By parent every selected process heads a group of itself and all its
 * descendants (like du: the groups nest, and the totals count each
 * process once). The tree comes from ppid: a row's parent is the row
 * with pid == ppid that started last but not after the row (a pid can
 * name an exited process and a later one). A process whose parent has no
 * row (never faulted, or evicted) is a root; an exited parent's row keeps
 * its children. Malformed input can describe a cycle: it is broken where
 * found, so nothing loops.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"

const char *const pfs_psi_kind_names[PFS_PSI_NKINDS] = {
	[PFS_PSI_SOME] = "some",
	[PFS_PSI_FULL] = "full",
};

static const char *const pfs_by_names[] = {
	[PFS_BY_NONE] = "pid",
	[PFS_BY_COMM] = "comm",
	[PFS_BY_CGROUP] = "cgroup",
	[PFS_BY_PARENT] = "parent",
};

int pfs_by_parse(const char *arg, enum pfs_by *by)
{
	int i;

	for (i = PFS_BY_COMM; i <= PFS_BY_PARENT; i++) {
		if (!strcmp(arg, pfs_by_names[i])) {
			*by = (enum pfs_by)i;
			return 0;
		}
	}
	return -1;
}

const char *pfs_by_name(enum pfs_by by)
{
	return pfs_by_names[by];
}

const char *pfs_group_cgroup(const struct pfs_group *g, char *buf, size_t sz)
{
	if (g->path)
		return g->path;
	snprintf(buf, sz, "#%llu", (unsigned long long)g->sum.v[PFS_CGROUP]);
	return buf;
}

/* A group that starts as process r: its identity, its counters. */
static void pfs_group_start(struct pfs_group *g, const struct pfs_row *r)
{
	memset(g, 0, sizeof(*g));
	g->sum = *r;
	g->nprocs = 1;
	g->nalive = r->state == PFS_ALIVE;
}

static void pfs_group_add(struct pfs_group *g, const struct pfs_group *m)
{
	pfs_row_add(&g->sum, &m->sum);
	g->nprocs += m->nprocs;
	g->nalive += m->nalive;
}

/* qsort of row indices by a key of the rows. */
static const struct pfs_row *pfs_key_rows;

static int pfs_by_comm_cmp(const void *a, const void *b)
{
	return pfs_comm_cmp(&pfs_key_rows[*(const size_t *)a],
			    &pfs_key_rows[*(const size_t *)b]);
}

static int pfs_by_cgroup_cmp(const void *a, const void *b)
{
	uint64_t x = pfs_key_rows[*(const size_t *)a].v[PFS_CGROUP];
	uint64_t y = pfs_key_rows[*(const size_t *)b].v[PFS_CGROUP];

	return (x > y) - (x < y);
}

static int pfs_by_pid_cmp(const void *a, const void *b)
{
	const struct pfs_row *x = &pfs_key_rows[*(const size_t *)a];
	const struct pfs_row *y = &pfs_key_rows[*(const size_t *)b];
	int c = (x->pid > y->pid) - (x->pid < y->pid);

	if (!c)
		c = (x->v[PFS_START_TIME] > y->v[PFS_START_TIME]) -
		    (x->v[PFS_START_TIME] < y->v[PFS_START_TIME]);
	if (!c)
		c = (*(const size_t *)a > *(const size_t *)b) -
		    (*(const size_t *)a < *(const size_t *)b);
	return c;
}

static void pfs_sort_index(const struct pfs_table *t, size_t *idx, size_t n,
			   int (*cmp)(const void *, const void *))
{
	pfs_key_rows = t->rows;
	qsort(idx, n, sizeof(*idx), cmp);
}

static bool pfs_same_key(const struct pfs_table *t, enum pfs_by by, size_t a,
			 size_t b)
{
	if (by == PFS_BY_COMM)
		return !pfs_comm_cmp(&t->rows[a], &t->rows[b]);
	return t->rows[a].v[PFS_CGROUP] == t->rows[b].v[PFS_CGROUP];
}

/* By comm or cgroup: runs of equal keys among the selected rows. */
static int pfs_group_by_key(const struct pfs_table *t, const size_t *sel,
			    size_t nsel, struct pfs_groups *gs)
{
	size_t *idx = malloc((nsel ? nsel : 1) * sizeof(*idx));
	size_t i;

	gs->g = calloc(nsel ? nsel : 1, sizeof(*gs->g));
	if (!idx || !gs->g) {
		free(idx);
		return -1;
	}
	memcpy(idx, sel, nsel * sizeof(*idx));
	/* pid order within a key, so a group's first member is its lowest pid */
	pfs_sort_index(t, idx, nsel, pfs_by_pid_cmp);
	pfs_sort_index(t, idx, nsel, gs->by == PFS_BY_COMM ? pfs_by_comm_cmp :
			pfs_by_cgroup_cmp);
	for (i = 0; i < nsel; i++) {
		const struct pfs_row *r = &t->rows[idx[i]];
		struct pfs_group one, *g;

		if (i && pfs_same_key(t, gs->by, idx[i - 1], idx[i])) {
			pfs_group_start(&one, r);
			pfs_group_add(&gs->g[gs->n - 1], &one);
			continue;
		}
		g = &gs->g[gs->n++];
		pfs_group_start(g, r);
		/* Only the key is the group's identity. */
		g->sum.pid = 0;
		g->sum.state = PFS_ALIVE;
		g->sum.v[PFS_START_TIME] = 0;
		g->sum.v[PFS_PPID] = 0;
		if (gs->by == PFS_BY_CGROUP) {
			g->sum.comm_len = 0;
			g->sum.comm[0] = '\0';
		} else {
			g->sum.v[PFS_CGROUP] = 0;
		}
	}
	free(idx);
	return 0;
}

/*
 * Index of the parent of row i among idx[] (rows by pid, start time):
 * the last row with pid == ppid and start_time <= i's, not i itself.
 */
static ssize_t pfs_find_parent(const struct pfs_table *t, const size_t *idx,
			       size_t i)
{
	const struct pfs_row *r = &t->rows[i];
	uint64_t ppid = r->v[PFS_PPID];
	size_t lo = 0, hi = t->nrows;
	ssize_t best = -1;

	if (ppid == 0 || ppid > INT32_MAX)
		return -1;
	/* First row with pid >= ppid. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uint64_t)t->rows[idx[mid]].pid < ppid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->nrows && (uint64_t)t->rows[idx[lo]].pid == ppid; lo++) {
		const struct pfs_row *p = &t->rows[idx[lo]];

		if (idx[lo] == i || p->v[PFS_START_TIME] > r->v[PFS_START_TIME])
			continue;
		best = (ssize_t)idx[lo];	/* later ones started later */
	}
	return best;
}

int pfs_parent_index(const struct pfs_table *t, ssize_t *parent)
{
	size_t n = t->nrows, i, *idx = malloc((n ? n : 1) * sizeof(*idx));
	unsigned char *mark = calloc(n ? n : 1, 1);

	if (!idx || !mark) {
		free(idx);
		free(mark);
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	pfs_sort_index(t, idx, n, pfs_by_pid_cmp);
	for (i = 0; i < n; i++)
		parent[i] = pfs_find_parent(t, idx, i);
	/*
	 * Break cycles: walk up from each row, marking the path 1; meeting
	 * a 1 again is a cycle, cut above the row where it closed. Every
	 * row walked is then 2, so each is walked once.
	 */
	for (i = 0; i < n; i++) {
		ssize_t j = (ssize_t)i, prev = -1;

		while (j >= 0 && !mark[j]) {
			mark[j] = 1;
			prev = j;
			j = parent[j];
		}
		if (j >= 0 && mark[j] == 1)
			parent[prev] = -1;
		for (j = (ssize_t)i; j >= 0 && mark[j] == 1; j = parent[j])
			mark[j] = 2;
	}
	free(mark);
	free(idx);
	return 0;
}

/*
 * By parent: every row's subtree summed (children before parents, in
 * the order the leaves free them), the selected rows' subtrees kept, and
 * the totals over the rows some selected subtree covers.
 */
static int pfs_group_by_parent(const struct pfs_table *t, const bool *selected,
			       struct pfs_groups *gs)
{
	size_t n = t->nrows, i, head = 0, tail = 0;
	ssize_t *parent = malloc((n ? n : 1) * sizeof(*parent));
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	size_t *pending = calloc(n ? n : 1, sizeof(*pending));
	bool *covered = calloc(n ? n : 1, sizeof(*covered));
	struct pfs_group *sub = calloc(n ? n : 1, sizeof(*sub));
	int r = -1;

	gs->g = calloc(n ? n : 1, sizeof(*gs->g));
	if (!parent || !order || !pending || !covered || !sub || !gs->g ||
	    pfs_parent_index(t, parent))
		goto out;
	for (i = 0; i < n; i++) {
		pfs_group_start(&sub[i], &t->rows[i]);
		if (parent[i] >= 0)
			pending[parent[i]]++;
	}
	for (i = 0; i < n; i++)
		if (!pending[i])
			order[tail++] = i;
	/* A forest (cycles are broken): every row comes out, once. */
	while (head < tail) {
		ssize_t p;

		i = order[head++];
		p = parent[i];
		if (p < 0)
			continue;
		pfs_group_add(&sub[p], &sub[i]);
		if (!--pending[p])
			order[tail++] = (size_t)p;
	}
	/* Parents before children: covered if selected or under a covered one. */
	for (head = tail; head-- > 0;) {
		i = order[head];
		covered[i] = selected[i] || (parent[i] >= 0 && covered[parent[i]]);
	}
	for (i = 0; i < n; i++) {
		if (selected[i])
			gs->g[gs->n++] = sub[i];
		if (!covered[i])
			continue;
		if (!gs->nprocs)
			gs->total = t->rows[i];
		else
			pfs_row_add(&gs->total, &t->rows[i]);
		gs->nprocs++;
		gs->nalive += t->rows[i].state == PFS_ALIVE;
	}
	r = 0;
out:
	free(sub);
	free(covered);
	free(pending);
	free(order);
	free(parent);
	return r;
}

/* The totals by comm and cgroup: the selected rows. */
static void pfs_groups_total(const struct pfs_table *t, const size_t *sel,
			     size_t nsel, struct pfs_groups *gs)
{
	size_t i;

	for (i = 0; i < nsel; i++) {
		const struct pfs_row *r = &t->rows[sel[i]];

		if (!i)
			gs->total = *r;
		else
			pfs_row_add(&gs->total, r);
		gs->nalive += r->state == PFS_ALIVE;
	}
	gs->nprocs = nsel;
}

/* A total is a sum, not a process: no identity. */
static void pfs_total_identity(struct pfs_row *total)
{
	int c;

	total->pid = 0;
	total->state = PFS_ALIVE;
	total->comm_len = 0;
	total->comm[0] = '\0';
	for (c = 0; c < PFS_NCOLS; c++)
		if (!pfs_col_is_counter(c) && c != PFS_FAULT_MAX_NS)
			total->v[c] = 0;
}

int pfs_group_rows(const struct pfs_table *t, const struct pfs_select *s,
		   enum pfs_by by, struct pfs_groups *gs)
{
	struct pfs_select members = *s;
	size_t *sel, nsel = 0, i;
	bool *selected;
	int r;

	memset(gs, 0, sizeof(*gs));
	gs->by = by;
	if ((by == PFS_BY_CGROUP && !t->have[PFS_CGROUP]) ||
	    (by == PFS_BY_PARENT && !t->have[PFS_PPID]) || by == PFS_BY_NONE) {
		errno = EINVAL;
		return -1;
	}
	members.active = false;
	sel = malloc((t->nrows ? t->nrows : 1) * sizeof(*sel));
	selected = calloc(t->nrows ? t->nrows : 1, sizeof(*selected));
	if (!sel || !selected) {
		r = -1;
		goto out;
	}
	for (i = 0; i < t->nrows; i++)
		if ((selected[i] = pfs_row_selected(&t->rows[i], &members)))
			sel[nsel++] = i;
	if (by == PFS_BY_PARENT) {
		r = pfs_group_by_parent(t, selected, gs);
	} else {
		r = pfs_group_by_key(t, sel, nsel, gs);
		if (!r)
			pfs_groups_total(t, sel, nsel, gs);
	}
	pfs_total_identity(&gs->total);
out:
	free(selected);
	free(sel);
	if (r) {
		pfs_groups_free(gs);
		errno = ENOMEM;
	}
	return r;
}

void pfs_groups_free(struct pfs_groups *gs)
{
	size_t i;

	for (i = 0; i < gs->n; i++)
		free(gs->g[i].path);
	free(gs->g);
	memset(gs, 0, sizeof(*gs));
}

size_t pfs_groups_select(const struct pfs_groups *gs,
			 const struct pfs_select *s, const struct pfs_row **out)
{
	size_t i, n = 0;
	int c;

	for (i = 0; i < gs->n; i++) {
		const struct pfs_row *r = &gs->g[i].sum;

		if (s->active) {
			for (c = 0; c < PFS_NCOLS; c++)
				if (pfs_col_is_counter(c) && r->v[c])
					break;
			if (c == PFS_NCOLS)
				continue;
		}
		out[n++] = r;
	}
	pfs_sort_rows(out, n, s->sort_key, s->sort_desc);
	return n;
}
