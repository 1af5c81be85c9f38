/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Light mode (light.c): minor and major faults from the kernel's own
 * per-task counters, a layer above the table.
 */
#ifndef PFS_LIGHT_H
#define PFS_LIGHT_H

#include <linux/sched.h>
#include "pfs.h"

void pfs_light_exit(struct task_struct *task);
void pfs_light_free(struct task_struct *task);
size_t pfs_light_nr_procs(void);
void pfs_light_snapshot(struct pfs_snapshot *s);
void pfs_light_sum(const struct pfs_snapshot *s, u64 *minor, u64 *major);

#endif /* PFS_LIGHT_H */
