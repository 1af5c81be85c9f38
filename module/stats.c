// SPDX-License-Identifier: GPL-2.0
/*
 * Global totals and latency histograms: per-CPU sums that only grow, and
 * the baseline a reset records.
 */
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include "stats.h"

DEFINE_PER_CPU(struct pfs_stats, pfs_cpu_stats);
static struct pfs_stats *pfs_base;	/* sums at the last reset */
static DEFINE_MUTEX(pfs_base_mutex);

/* Sum every CPU's figures into @sum, the histograms' extra slot folded in. */
static void pfs_sum(struct pfs_stats *sum)
{
	int cpu, i, k;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct pfs_stats *c = per_cpu_ptr(&pfs_cpu_stats, cpu);

		for (i = 0; i < PFS_NR_PROC_CTRS; i++)
			sum->ctr[i] += READ_ONCE(c->ctr[i]);
		sum->dropped += READ_ONCE(c->dropped);
		for (k = 0; k < PFS_NR_HIST; k++)
			for (i = 0; i < PFS_HIST_SLOTS; i++)
				sum->hist[k][min(i, PFS_HIST_BUCKETS - 1)] +=
					READ_ONCE(c->hist[k][i]);
	}
}

/*
 * The figures since the last reset, in memory the caller frees with
 * kvfree(); NULL if there is none. Process context.
 */
struct pfs_stats *pfs_stats_read(void)
{
	struct pfs_stats *cur = kvmalloc(sizeof(*cur), GFP_KERNEL);
	int i, k;

	if (!cur)
		return NULL;
	pfs_sum(cur);
	mutex_lock(&pfs_base_mutex);
	for (i = 0; i < PFS_NR_PROC_CTRS; i++)
		cur->ctr[i] -= pfs_base->ctr[i];
	cur->dropped -= pfs_base->dropped;
	for (k = 0; k < PFS_NR_HIST; k++)
		for (i = 0; i < PFS_HIST_BUCKETS; i++)
			cur->hist[k][i] -= pfs_base->hist[k][i];
	mutex_unlock(&pfs_base_mutex);
	return cur;
}

void pfs_stats_reset(void)
{
	mutex_lock(&pfs_base_mutex);
	pfs_sum(pfs_base);
	mutex_unlock(&pfs_base_mutex);
}

int pfs_stats_init(void)
{
	pfs_base = kvzalloc(sizeof(*pfs_base), GFP_KERNEL);
	return pfs_base ? 0 : -ENOMEM;
}

void pfs_stats_exit(void)
{
	kvfree(pfs_base);
}
