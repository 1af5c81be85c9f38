/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference pagefault_stats depends on, in one place.
 * Force-included into every object by module/Kbuild, so the logic files read
 * like upstream code and never carry an #if of their own. Each shim names the
 * version that changed the API; where distribution backports could make a
 * version test lie, a compile-time feature probe decides instead.
 */
#ifndef PFS_COMPAT_H
#define PFS_COMPAT_H

#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

/*
 * sched_process_exit: (p) up to 6.x; 7.0 added (p, bool group_dead) and moved
 * the tracepoint before exit_mm(). PFS_EXIT_TP_ARGS is the probe's prototype.
 */
#define PFS_EXIT_TP_ARGS	void *data, struct task_struct *p

/*
 * Whether the thread group of @p, which is exiting, has no live thread left.
 * do_exit() drops signal->live before the tracepoint fires (5.10 .. 6.12).
 */
static inline bool pfs_group_dead(struct task_struct *p)
{
	return atomic_read(&p->signal->live) == 0;
}

#endif /* PFS_COMPAT_H */
