/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagefault_stats: declarations shared between the module's files.
 *
 * probes.c   the kprobes and tracepoints: classify each fault, charge it
 * table.c    the per-process table: lookup, insert, exit, evict, snapshot
 * stats.c    per-CPU global totals, latency histograms, text formatting
 * filter.c   pid/comm filters and the enabled switch, read on the fault path
 * light.c    light mode: minor/major from the kernel's per-task counters
 * procfs.c   /proc/pagefault_stats
 * debugfs.c  /sys/kernel/debug/pagefault_stats/
 */
#ifndef PFS_H
#define PFS_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/bitops.h>
#include <linux/hash.h>
#include <linux/jump_label.h>
#include <linux/percpu.h>

#define PFS_VERSION		"0.1.0"
#define PFS_FORMAT_VERSION	1

/*
 * Counters kept per process and globally. The order up to PFS_NR_PROC_CTRS
 * is the column order of /proc/pagefault_stats (docs/format.md); the rest
 * are shown in debugfs only.
 */
enum pfs_ctr {
	PFS_MINOR,
	PFS_MAJOR,
	PFS_RETRY,
	PFS_SEGV_MAPERR,
	PFS_SEGV_ACCERR,
	PFS_SEGV_PKUERR,
	PFS_SIGBUS,
	PFS_OOM,
	PFS_EFAULT,
	PFS_HWPOISON,
	PFS_SEGV_MM,
	PFS_REMOTE,
	PFS_FAULT_NS,
	PFS_NR_PROC_CTRS,
	PFS_FILE_MINOR = PFS_NR_PROC_CTRS,
	PFS_FILE_MAJOR,
	PFS_SHMEM_MINOR,
	PFS_SHMEM_MAJOR,
	PFS_WRITE,
	PFS_EXEC,
	PFS_NR_CTRS
};

extern const char * const pfs_ctr_names[PFS_NR_CTRS];

/* Latency histograms: log2 buckets of nanoseconds, by class of result. */
enum pfs_hist_kind {
	PFS_HIST_MINOR,
	PFS_HIST_MAJOR,
	PFS_HIST_RETRY,
	PFS_NR_HIST
};

#define PFS_HIST_BUCKETS	64
/* fls64() is 0 .. 64: one slot more, folded into the last bucket when read */
#define PFS_HIST_SLOTS		(PFS_HIST_BUCKETS + 1)

/* The backing of the VMA a fault was in. */
enum pfs_cause {
	PFS_CAUSE_ANON,
	PFS_CAUSE_FILE,
	PFS_CAUSE_SHMEM,
};

/* One process (thread group) in the table. */
struct pfs_proc {
	struct hlist_node hnode;	/* hash chain, RCU */
	struct list_head exit_node;	/* exited list, under pfs_exit_lock */
	struct rcu_head rcu;
	pid_t tgid;
	pid_t ppid;
	u64 start_ns;			/* group leader's start_boottime */
	unsigned long flags;
	char comm[TASK_COMM_LEN];
	atomic64_t ctr[PFS_NR_CTRS];
	atomic64_t max_ns;
};

#define PFS_PROC_EXITED		0	/* bit in pfs_proc.flags */
#define PFS_PROC_DEAD		1	/* unhashed, waiting for RCU */

/* A row copied out of the table for a reader. */
struct pfs_row {
	pid_t tgid;
	pid_t ppid;
	u64 start_ns;
	bool exited;
	char comm[TASK_COMM_LEN];
	u64 ctr[PFS_NR_CTRS];
	u64 max_ns;
};

/* Rows in table order; order[] points to them sorted by pid, start time. */
struct pfs_snapshot {
	size_t nr;
	struct pfs_row **order;
	struct pfs_row rows[];
};

/* Global figures that are not fault counters. */
struct pfs_totals {
	u64 ctr[PFS_NR_PROC_CTRS];
	u64 dropped;
	u64 evicted;
	u64 nmissed;
	unsigned int procs;
};

/* main.c: module parameters */
extern unsigned int pfs_max_procs;

/* table.c */
int pfs_table_init(unsigned int max_procs);
void pfs_table_exit(void);
struct pfs_proc *pfs_proc_insert(struct task_struct *task, unsigned int bucket,
				 u64 start, bool exiting);
struct pfs_proc *pfs_proc_get_exiting(struct task_struct *task);
struct pfs_proc *pfs_proc_find(struct task_struct *task);
void pfs_get_task_comm(char *buf, struct task_struct *t);
void pfs_proc_exited(struct task_struct *task);
void pfs_table_make_room(void);
void pfs_table_reset(void);
unsigned int pfs_table_count(void);
u64 pfs_table_evicted(void);
struct pfs_snapshot *pfs_table_snapshot(void);

/* stats.c */
int pfs_stats_init(void);
void pfs_stats_exit(void);
void pfs_stats_reset(void);
void pfs_totals(struct pfs_totals *t);
struct seq_file;
void pfs_show_hist(struct seq_file *m);
void pfs_show_comm(struct seq_file *m, const char *comm);
struct file;
struct inode;
int pfs_doc_open(struct file *file, bool detail);
int pfs_doc_release(struct inode *inode, struct file *file);

/* filter.c */
bool pfs_wanted(struct task_struct *task);
void pfs_set_enabled(bool on);
int pfs_filter_set_pids(const char *buf);
int pfs_filter_set_comm(const char *buf);
void pfs_filter_show_pids(struct seq_file *m);
void pfs_filter_show_comm(struct seq_file *m);
void pfs_filter_exit(void);

/* light.c */
void pfs_light_faults(struct task_struct *leader, u64 *minor, u64 *major);
void pfs_light_exit(struct task_struct *task);
void pfs_light_free(struct task_struct *task);
size_t pfs_light_nr_procs(void);
void pfs_light_add_live(struct pfs_snapshot *s, size_t cap);

/* probes.c */
bool pfs_light(void);
int pfs_probes_init(void);
void pfs_probes_exit(void);
u64 pfs_probes_nmissed(void);
const char *pfs_probes_mode(void);
void pfs_probes_show_status(struct seq_file *m);

/* procfs.c, debugfs.c */
int pfs_procfs_init(void);
void pfs_procfs_exit(void);
int pfs_debugfs_init(void);
void pfs_debugfs_exit(void);

/*
 * The fault path's helpers, inline: a handler's whole work is a few loads,
 * one lookup and these increments.
 */

/*
 * Per-CPU totals and histograms (stats.c): only ever grow. Totals are kept
 * of the counters /proc/pagefault_stats shows; the detail counters past
 * them are per process only.
 */
struct pfs_cpu {
	u64 ctr[PFS_NR_PROC_CTRS];
	u64 dropped;
	u64 hist[PFS_NR_HIST][PFS_HIST_SLOTS];
};

DECLARE_PER_CPU(struct pfs_cpu, pfs_cpu);

/* Charge @n to counter @c of process @p (may be NULL) and of the totals. */
static __always_inline void pfs_count(struct pfs_proc *p, enum pfs_ctr c, u64 n)
{
	BUILD_BUG_ON(__builtin_constant_p(c) && c >= PFS_NR_PROC_CTRS);
	this_cpu_add(pfs_cpu.ctr[c], n);
	if (p)
		atomic64_add(n, &p->ctr[c]);
}

/* Charge one to detail counter @c (cause, access) of process @p only. */
static __always_inline void pfs_count_detail(struct pfs_proc *p, enum pfs_ctr c)
{
	if (p)
		atomic64_inc(&p->ctr[c]);
}

static __always_inline void pfs_count_dropped(void)
{
	this_cpu_inc(pfs_cpu.dropped);
}

/*
 * Bucket 0 holds 0 ns; bucket b > 0 holds [2^(b-1), 2^b); the last one also
 * what lies above. fls64() indexes a slot with no clamp on the fault path.
 */
static __always_inline void pfs_hist_add(enum pfs_hist_kind k, u64 ns)
{
	this_cpu_inc(pfs_cpu.hist[k][fls64(ns)]);
}

static __always_inline void pfs_max_ns(struct pfs_proc *p, u64 ns)
{
	s64 old = atomic64_read(&p->max_ns);

	if (likely((u64)old >= ns))
		return;
	while ((u64)old < ns) {
		s64 seen = atomic64_cmpxchg(&p->max_ns, old, ns);

		if (seen == old)
			break;
		old = seen;
	}
}

/* table.c: the hash of rows, looked up lock-free on the fault path */
extern struct hlist_head *pfs_hash;
extern unsigned int pfs_hash_bits;
extern unsigned int pfs_hash_shift;	/* 32 - pfs_hash_bits */

/* hash_32(tgid, pfs_hash_bits), with the shift worked out at load */
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

	hlist_for_each_entry_rcu(p, &pfs_hash[bucket], hnode) {
		if (p->tgid == tgid && p->start_ns == start)
			return p;
	}
	return NULL;
}

/*
 * The row of @task's thread group, created on its first fault. From the
 * fault path: never sleeps. NULL when the table is full of live processes
 * or memory is short.
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

static __always_inline struct pfs_proc *pfs_proc_get(struct task_struct *task)
{
	return __pfs_proc_get(task, false);
}

/* filter.c: counting on or off, and whether paused or any filter is set */
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

#endif /* PFS_H */
