/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What to count (filter.c): the enabled switch, and the pid, comm and
 * cgroup filters that choose the processes that get rows.
 */
#ifndef PFS_FILTER_H
#define PFS_FILTER_H

#include <linux/jump_label.h>
#include <linux/sched.h>

struct cgroup;
struct seq_file;

bool pfs_wanted(struct task_struct *task, const char *comm, struct cgroup *cgrp);
void pfs_set_enabled(bool on);
int pfs_filter_set_pids(const char *buf);
int pfs_filter_set_comm(const char *buf);
int pfs_filter_set_cgroup(const char *buf);
void pfs_filter_show_pids(struct seq_file *m);
void pfs_filter_show_comm(struct seq_file *m);
void pfs_filter_show_cgroup(struct seq_file *m);
void pfs_filter_watching(bool renames, bool moves);
void pfs_filter_exit(void);

/* Counting on or off; on while paused or any filter is set. */
extern bool pfs_enabled;
DECLARE_STATIC_KEY_FALSE(pfs_gated);

/*
 * The filters' generation, a new one at every filter write: a row's cached
 * decision (pfs_proc.filter) holds the generation it was made for in
 * PFS_FILTER_GEN, never 0 there; PFS_FILTER_CHANGES counts the changes of
 * the process (exec, rename, move) the decision has seen; PFS_FILTER_WANTED
 * is the decision.
 */
extern u32 pfs_filter_gen;

#define PFS_FILTER_WANTED	0x00000001U
#define PFS_FILTER_CHANGES	0x000000feU
#define PFS_FILTER_GEN		0xffffff00U

static __always_inline bool pfs_is_enabled(void)
{
	return READ_ONCE(pfs_enabled);
}

/* Nothing is counted now: counting is paused. */
static __always_inline bool pfs_paused(void)
{
	return static_branch_unlikely(&pfs_gated) && !pfs_is_enabled();
}

#endif /* PFS_FILTER_H */
