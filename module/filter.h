/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What to count (filter.c): the enabled switch and the pid / comm filter,
 * read on the fault path.
 */
#ifndef PFS_FILTER_H
#define PFS_FILTER_H

#include <linux/jump_label.h>
#include <linux/sched.h>

struct seq_file;

bool pfs_wanted(struct task_struct *task);
void pfs_set_enabled(bool on);
int pfs_filter_set_pids(const char *buf);
int pfs_filter_set_comm(const char *buf);
void pfs_filter_show_pids(struct seq_file *m);
void pfs_filter_show_comm(struct seq_file *m);
void pfs_filter_exit(void);

/* Counting on or off, and whether paused or any filter is set. */
extern bool pfs_enabled;
DECLARE_STATIC_KEY_FALSE(pfs_gated);

static __always_inline bool pfs_is_enabled(void)
{
	return READ_ONCE(pfs_enabled);
}

/* Whether current's faults are counted now. Caller holds an RCU read lock. */
static __always_inline bool pfs_counting(void)
{
	return !static_branch_unlikely(&pfs_gated) || pfs_wanted(current);
}

#endif /* PFS_FILTER_H */
