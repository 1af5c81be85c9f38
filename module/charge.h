/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charging a count to a process's row and to the global totals: what every
 * probe does with what it saw. Inline, for the probes' handlers.
 */
#ifndef PFS_CHARGE_H
#define PFS_CHARGE_H

#include "filter.h"
#include "stats.h"
#include "table.h"

/* Charge @n to counter @c of process @p (may be NULL) and of the totals. */
static __always_inline void pfs_count(struct pfs_proc *p, enum pfs_ctr c, u64 n)
{
	pfs_stats_add(c, n);
	if (p)
		pfs_proc_add(p, c, n);
}

/*
 * Charge one to detail counter @c (cause, access) of process @p only. The
 * detail counters come after every narrow one, so their slot is a constant
 * offset even when @c is not a constant (the cause's, looked up).
 */
static __always_inline void pfs_count_detail(struct pfs_proc *p, enum pfs_ctr c)
{
	BUILD_BUG_ON(PFS_SEGV_MM >= PFS_NR_PROC_CTRS || PFS_SEGV_PKUERR >= PFS_NR_PROC_CTRS);
	if (p)
		atomic64_inc(&p->ctr[c - PFS_NR_NARROW]);
}

/*
 * Whether @p's process (@task's) passes the filters: the decision cached in
 * the row, made again when a filter or the process changed since.
 */
static __always_inline bool pfs_proc_wanted(struct pfs_proc *p,
					    struct task_struct *task)
{
	u32 w = atomic_read(&p->filter), gen = READ_ONCE(pfs_filter_gen);

	if (likely(!((w ^ gen) & PFS_FILTER_GEN)))
		return w & PFS_FILTER_WANTED;
	return pfs_proc_redecide(p, task, w, gen);
}

/*
 * The row to charge with a count of @task's process, made at its first
 * count. NULL if the filters leave the process out (*wanted false: only
 * the totals count it) or it gets no row (*wanted true: table full or
 * memory short; it is dropped). A process left out has no row to keep a
 * decision in: it is decided at each count. Caller holds an RCU read lock.
 */
static __always_inline struct pfs_proc *pfs_proc_charged(struct task_struct *task,
							 bool *wanted)
{
	u64 start = task->group_leader->start_boottime;
	unsigned int bucket = pfs_bucket(task->tgid);
	struct pfs_proc *p = pfs_find(bucket, task->tgid, start);

	*wanted = true;
	if (likely(p)) {
		if (static_branch_unlikely(&pfs_gated) && !pfs_proc_wanted(p, task)) {
			*wanted = false;
			return NULL;
		}
		return p;
	}
	if (static_branch_unlikely(&pfs_gated) && !pfs_wanted(task, NULL, NULL)) {
		*wanted = false;
		return NULL;
	}
	return pfs_proc_insert(task, bucket, start, false);
}

/*
 * Charge @n to counter @c of current's process and of the totals; a process
 * the filters leave out is charged in the totals only, one that gets no
 * row (table full, memory short) too, and is counted as dropped. Whether
 * the filters let the process in. Caller holds an RCU read lock and has
 * checked pfs_paused().
 */
static __always_inline bool pfs_count_current(enum pfs_ctr c, u64 n)
{
	bool wanted;
	struct pfs_proc *p = pfs_proc_charged(current, &wanted);

	if (!p && wanted)
		pfs_stats_dropped();
	pfs_count(p, c, n);
	return wanted;
}

#endif /* PFS_CHARGE_H */
