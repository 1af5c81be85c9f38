// SPDX-License-Identifier: GPL-2.0
/*
 * Rate series from watch-style deltas. A process is its pid and its
 * start time (where the module has the column), so a reused pid is a new
 * series; an interval a process took no fault in keeps no point.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

const char *const pfs_rate_names[PFS_NRATES] = {
	[PFS_RT_MINOR] = "minor",
	[PFS_RT_MAJOR] = "major",
	[PFS_RT_INVALID] = "invalid",
	[PFS_RT_REFAULT] = "refault",
};

static struct pfs_rate_proc *pfs_rate_proc_of(struct pfs_rates *r,
					      const struct pfs_table *t,
					      const struct pfs_row *row)
{
	uint64_t st = t->have[PFS_START_TIME] ? row->v[PFS_START_TIME] : 0;
	struct pfs_rate_proc *p;
	size_t i;

	for (i = r->np; i-- > 0;)
		if (r->p[i].pid == row->pid && r->p[i].start_time == st)
			return &r->p[i];
	if (r->np == r->pcap) {
		size_t ncap = r->pcap ? r->pcap * 2 : 32;

		p = realloc(r->p, ncap * sizeof(*p));
		if (!p)
			return NULL;
		r->p = p;
		r->pcap = ncap;
	}
	p = &r->p[r->np++];
	memset(p, 0, sizeof(*p));
	p->pid = row->pid;
	p->start_time = st;
	memcpy(p->comm, row->comm, row->comm_len + 1);
	p->comm_len = row->comm_len;
	return p;
}

static uint64_t pfs_rate_count(const struct pfs_table *t,
			       const struct pfs_row *row, enum pfs_rate_kind k)
{
	switch (k) {
	case PFS_RT_MINOR:
		return row->v[PFS_MINOR];
	case PFS_RT_MAJOR:
		return row->v[PFS_MAJOR];
	case PFS_RT_INVALID:
		return pfs_row_invalid(row);
	default:
		return (t->have[PFS_REFAULT_ANON] ? row->v[PFS_REFAULT_ANON] : 0) +
		       (t->have[PFS_REFAULT_FILE] ? row->v[PFS_REFAULT_FILE] : 0);
	}
}

static int pfs_rates_interval(struct pfs_rates *r, double t, double dt)
{
	if (r->nint == r->tcap) {
		size_t ncap = r->tcap ? r->tcap * 2 : 64;
		double *nt = realloc(r->t, ncap * sizeof(*nt));

		if (!nt)
			return -1;
		r->t = nt;
		nt = realloc(r->dt, ncap * sizeof(*nt));
		if (!nt)
			return -1;
		r->dt = nt;
		r->tcap = ncap;
	}
	r->t[r->nint] = t;
	r->dt[r->nint] = dt;
	r->nint++;
	return 0;
}

int pfs_rates_add(struct pfs_rates *r, const struct pfs_table *delta,
		  const struct pfs_select *sel, double t, double dt)
{
	size_t i;

	if (pfs_rates_interval(r, t, dt))
		return -1;
	if (delta->have[PFS_REFAULT_ANON] || delta->have[PFS_REFAULT_FILE])
		r->refault = true;
	for (i = 0; i < delta->nrows; i++) {
		const struct pfs_row *row = &delta->rows[i];
		uint64_t c[PFS_NRATES], any = 0;
		struct pfs_rate_proc *p;
		struct pfs_rate_pt *pt;
		int k;

		if (!pfs_row_selected(row, sel))
			continue;
		for (k = 0; k < PFS_NRATES; k++) {
			c[k] = pfs_rate_count(delta, row, k);
			any |= c[k];
		}
		if (!any)
			continue;
		p = pfs_rate_proc_of(r, delta, row);
		if (!p)
			return -1;
		if (p->npt == p->ptcap) {
			size_t ncap = p->ptcap ? p->ptcap * 2 : 16;

			pt = realloc(p->pt, ncap * sizeof(*pt));
			if (!pt)
				return -1;
			p->pt = pt;
			p->ptcap = ncap;
		}
		pt = &p->pt[p->npt++];
		pt->i = (uint32_t)(r->nint - 1);
		for (k = 0; k < PFS_NRATES; k++) {
			pt->c[k] = c[k];
			p->total[k] = pfs_add_sat(p->total[k], c[k]);
			p->rank = pfs_add_sat(p->rank, c[k]);
		}
		/* The latest name: exec() changes it. */
		memcpy(p->comm, row->comm, row->comm_len + 1);
		p->comm_len = row->comm_len;
	}
	return 0;
}

static int pfs_rate_proc_cmp(const void *a, const void *b)
{
	const struct pfs_rate_proc *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

void pfs_rates_finish(struct pfs_rates *r)
{
	if (r->np)
		qsort(r->p, r->np, sizeof(*r->p), pfs_rate_proc_cmp);
}

void pfs_rates_free(struct pfs_rates *r)
{
	size_t i;

	for (i = 0; i < r->np; i++)
		free(r->p[i].pt);
	free(r->p);
	free(r->t);
	free(r->dt);
	memset(r, 0, sizeof(*r));
}

double pfs_rate_at(const struct pfs_rates *r, const struct pfs_rate_proc *p,
		   size_t i, enum pfs_rate_kind k)
{
	size_t lo = 0, hi = p->npt;

	if (i >= r->nint || !(r->dt[i] > 0))
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->pt[mid].i < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->npt && p->pt[lo].i == i)
		return (double)p->pt[lo].c[k] / r->dt[i];
	return 0;
}
