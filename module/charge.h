/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Charging a count to a process's row and to the global totals: what every
 * probe does with what it saw. Inline, for the probes' handlers.
 */
#ifndef PFS_CHARGE_H
#define PFS_CHARGE_H

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
 * Charge @n to counter @c of current's process; a process that gets no row
 * (table full, memory short) is charged in the totals only, and counted as
 * dropped. Caller holds an RCU read lock and has checked pfs_counting().
 */
static __always_inline void pfs_count_current(enum pfs_ctr c, u64 n)
{
	struct pfs_proc *p = pfs_proc_get(current);

	if (!p)
		pfs_stats_dropped();
	pfs_count(p, c, n);
}

#endif /* PFS_CHARGE_H */
