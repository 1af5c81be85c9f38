/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU global totals and latency histograms (stats.c). They only ever
 * grow, so the fault path writes no shared cache line; a reset records a
 * baseline that readers subtract.
 */
#ifndef PFS_STATS_H
#define PFS_STATS_H

#include <linux/bitops.h>
#include <linux/percpu.h>
#include "pfs.h"

/*
 * Totals are kept of the counters /proc/pagefault_stats shows; the detail
 * counters past them are per process only.
 */
struct pfs_stats {
	u64 ctr[PFS_NR_PROC_CTRS];
	u64 dropped;		/* faults of processes that got no row */
	u64 hist[PFS_NR_HIST][PFS_HIST_SLOTS];
};

DECLARE_PER_CPU(struct pfs_stats, pfs_cpu_stats);

int pfs_stats_init(void);
void pfs_stats_exit(void);
void pfs_stats_reset(void);
struct pfs_stats *pfs_stats_read(void);

/* The fault path's increments: this CPU's share, no lock. */
static __always_inline void pfs_stats_add(enum pfs_ctr c, u64 n)
{
	BUILD_BUG_ON(__builtin_constant_p(c) && c >= PFS_NR_PROC_CTRS);
	this_cpu_add(pfs_cpu_stats.ctr[c], n);
}

static __always_inline void pfs_stats_dropped(void)
{
	this_cpu_inc(pfs_cpu_stats.dropped);
}

/*
 * Bucket 0 holds 0 ns; bucket b > 0 holds [2^(b-1), 2^b); the last one also
 * what lies above. fls64() indexes a slot with no clamp on the fault path.
 */
static __always_inline void pfs_stats_hist(enum pfs_hist_kind k, u64 ns)
{
	this_cpu_inc(pfs_cpu_stats.hist[k][fls64(ns)]);
}

#endif /* PFS_STATS_H */
