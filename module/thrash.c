// SPDX-License-Identifier: GPL-2.0
/*
 * Thrash time, per thread group.
 *
 * The kernel's delay accounting adds to a task's thrashing_delay the time
 * it waits for a working-set page (one the refault path marked
 * PG_workingset) to be read back: the page-lock waits of mm/filemap.c and
 * the synchronous swap read of mm/page_io.c; only for tasks created while
 * accounting was on (pfs_task_thrash_ns(), compat.h). A row's
 * thrash_ns is what its threads added since the row was made: the live
 * threads' totals now, plus those of threads that exited since (taken at
 * their exit tracepoint, table.c), minus the live threads' totals when the
 * row was made. Threads past the start of their exit (PF_EXITING) count as
 * exited, so none is counted twice.
 */
#include <linux/kprobes.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include "thrash.h"

/*
 * The thrash time of @task's live threads in @ns; false (and 0) if the
 * kernel keeps it for none of them. Caller holds an RCU read lock (any
 * flavour): from the fault path too, where a row is made.
 */
bool pfs_thrash_live(struct task_struct *task, u64 *ns)
{
	struct task_struct *t;
	bool known = false;
	u64 sum = 0, v;

	for_each_thread(task, t) {
		if (READ_ONCE(t->flags) & PF_EXITING)
			continue;
		if (pfs_task_thrash_ns(t, &v)) {
			sum += v;
			known = true;
		}
	}
	*ns = sum;
	return known;
}

NOKPROBE_SYMBOL(pfs_thrash_live);
