/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-process table (table.c): one row per thread group, found on the
 * fault path by an inline lock-free lookup.
 */
#ifndef PFS_TABLE_H
#define PFS_TABLE_H

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include "pfs.h"

struct cgroup;

/*
 * The rarest error counters are 32-bit in a row: a process takes fewer than
 * 2^32 protection-key SIGSEGVs, OOMs, hardware-poison or mm SIGSEGV faults.
 * That keeps a row in one 256-byte slab object (bench: memory per process).
 */
#define PFS_NR_NARROW	4

static __always_inline bool pfs_ctr_narrow(enum pfs_ctr c)
{
	return c == PFS_SEGV_PKUERR || c == PFS_OOM || c == PFS_HWPOISON ||
	       c == PFS_SEGV_MM;
}

/* Where counter @c lives: its index in ctr[], or for a narrow one in narrow[]. */
static __always_inline unsigned int pfs_ctr_slot(enum pfs_ctr c)
{
	unsigned int below = (c > PFS_SEGV_PKUERR) + (c > PFS_OOM) +
			     (c > PFS_HWPOISON) + (c > PFS_SEGV_MM);

	return pfs_ctr_narrow(c) ? below : c - below;
}

/*
 * One process (thread group) in the table. The hash chain is singly linked
 * (a removal walks its short chain under the bucket lock), and flags is 32
 * bits: that makes the room for the cgroup and the filters' decision.
 */
struct pfs_proc {
	struct pfs_proc __rcu *next;	/* hash chain, RCU */
	union {
		struct list_head exit_node;	/* exited list, under pfs_exit_lock */
		struct rcu_head rcu;		/* once unhashed and off that list */
	};
	pid_t tgid;
	pid_t ppid;
	u64 start_ns;			/* group leader's start_boottime */
	atomic_t flags;			/* BIT(PFS_PROC_*) */
	/*
	 * The filters' decision for this process, cached (charge.h): the
	 * filter generation it was made for, the changes of the process seen
	 * (exec, rename, move), whether it is counted. PFS_FILTER_* bits.
	 */
	atomic_t filter;
	u64 cgroup;			/* cgroup id: at creation and exit */
	char comm[TASK_COMM_LEN];
	atomic64_t ctr[PFS_NR_CTRS - PFS_NR_NARROW];	/* by pfs_ctr_slot() */
	atomic_t narrow[PFS_NR_NARROW];
	atomic64_t max_ns;
	/*
	 * Thrash time (thrash.c): exited threads' totals, less the live
	 * threads' totals when the row was made.
	 */
	atomic64_t thrash;
};

static __always_inline void pfs_proc_add(struct pfs_proc *p, enum pfs_ctr c,
					 u64 n)
{
	if (pfs_ctr_narrow(c))
		atomic_add(n, &p->narrow[pfs_ctr_slot(c)]);
	else
		atomic64_add(n, &p->ctr[pfs_ctr_slot(c)]);
}

static inline u64 pfs_proc_read(struct pfs_proc *p, enum pfs_ctr c)
{
	if (pfs_ctr_narrow(c))
		return (u32)atomic_read(&p->narrow[pfs_ctr_slot(c)]);
	return atomic64_read(&p->ctr[pfs_ctr_slot(c)]);
}

/* A 64-bit counter, to be set (light mode's counts are the kernel's). */
static __always_inline atomic64_t *pfs_proc_wide(struct pfs_proc *p,
						 enum pfs_ctr c)
{
	BUILD_BUG_ON(pfs_ctr_narrow(c));
	return &p->ctr[pfs_ctr_slot(c)];
}

#define PFS_PROC_EXITED		0	/* bit in pfs_proc.flags */
#define PFS_PROC_DEAD		1	/* unhashed, waiting for RCU */
#define PFS_PROC_THRASH		2	/* a thread had thrash time kept */

static __always_inline bool pfs_proc_flag(struct pfs_proc *p, int bit)
{
	return atomic_read(&p->flags) & BIT(bit);
}

static __always_inline void pfs_proc_set_flag(struct pfs_proc *p, int bit)
{
	atomic_or(BIT(bit), &p->flags);
}

/* Set a flag; whether it was set already. Fully ordered, as test_and_set_bit(). */
static __always_inline bool pfs_proc_test_and_set_flag(struct pfs_proc *p, int bit)
{
	return atomic_fetch_or(BIT(bit), &p->flags) & BIT(bit);
}

int pfs_table_init(unsigned int max_procs);
void pfs_table_exit(void);
void pfs_table_reset(void);
unsigned int pfs_table_count(void);
u64 pfs_table_evicted(void);

struct pfs_proc *pfs_proc_insert(struct task_struct *task, unsigned int bucket,
				 u64 start, bool exiting);
struct pfs_proc *pfs_proc_get_exiting(struct task_struct *task);
struct pfs_proc *pfs_proc_find(struct task_struct *task);
void pfs_proc_exited(struct task_struct *task);
void pfs_proc_thread_exited(struct task_struct *task);
void pfs_proc_changed(struct task_struct *task, const char *comm);
bool pfs_proc_redecide(struct pfs_proc *p, struct task_struct *task, u32 w,
		       u32 gen);
void pfs_get_task_comm(char *buf, struct task_struct *t);

struct pfs_snapshot *pfs_table_snapshot(size_t extra);
void pfs_snapshot_sort(struct pfs_snapshot *s);

/* The hash of rows, looked up lock-free on the fault path. */
extern struct pfs_proc __rcu **pfs_hash;
extern unsigned int pfs_hash_shift;	/* 32 - log2 of the hash size */

/* hash_32(tgid, bits), with the shift worked out at load */
static __always_inline unsigned int pfs_bucket(pid_t tgid)
{
	return ((u32)tgid * GOLDEN_RATIO_32) >> pfs_hash_shift;
}

/*
 * The row of (@tgid, @start) in @bucket. Caller holds an RCU read lock
 * (any flavour; a kprobe handler's disabled preemption counts).
 */
static __always_inline struct pfs_proc *pfs_find(unsigned int bucket,
						 pid_t tgid, u64 start)
{
	struct pfs_proc *p;

	for (p = rcu_dereference_check(pfs_hash[bucket], rcu_read_lock_any_held());
	     p; p = rcu_dereference_check(p->next, rcu_read_lock_any_held())) {
		if (p->tgid == tgid && p->start_ns == start)
			return p;
	}
	return NULL;
}

/*
 * The row of @task's thread group, created on its first fault (or, with
 * @exiting, at its exit). From the fault path: never sleeps. NULL when the
 * table is full of live processes or memory is short.
 */
static __always_inline struct pfs_proc *__pfs_proc_get(struct task_struct *task,
						       bool exiting)
{
	u64 start = task->group_leader->start_boottime;
	unsigned int bucket = pfs_bucket(task->tgid);
	struct pfs_proc *p = pfs_find(bucket, task->tgid, start);

	if (likely(p))
		return p;
	return pfs_proc_insert(task, bucket, start, exiting);
}

#endif /* PFS_TABLE_H */
