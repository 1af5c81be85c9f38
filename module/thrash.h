/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thrash time (thrash.c): how long a thread group's threads waited for
 * pages that were refaulting, from the kernel's own delay accounting.
 */
#ifndef PFS_THRASH_H
#define PFS_THRASH_H

#include <linux/sched.h>
#include <linux/types.h>

bool pfs_thrash_live(struct task_struct *task, u64 *ns);

#endif /* PFS_THRASH_H */
