/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagefault_stats: the types every part of the module shares. Each file
 * X.c declares what it offers in X.h; the layers, bottom up:
 *
 * stats.c    per-CPU global totals and latency histograms
 * filter.c   the enabled switch and the pid / comm / cgroup filters
 * thrash.c   thrash time: the kernel's delay accounting, per thread group
 * table.c    the per-process table: lookup, insert, exit, evict, snapshot
 * light.c    light mode: minor/major from the kernel's per-task counters
 * trace.c    the trace events pagefault_stats:fault and :invalid
 * refault.c  the refault probes: pages the kernel counts as refaulted
 * probes.c   the probes: see each fault, classify it, charge it, trace it
 * doc.c      the text of every document the module publishes
 * procfs.c   /proc/pagefault_stats
 * debugfs.c  /sys/kernel/debug/pagefault_stats/
 * main.c     load and unload, in that order and its reverse
 *
 * charge.h charges a count to a row and the totals, for every probe.
 * compat.h (force-included) holds every kernel-version difference, arch.h
 * every architecture difference.
 */
#ifndef PFS_H
#define PFS_H

#include <linux/sched.h>
#include <linux/types.h>

#define PFS_VERSION		"0.1.0"
#define PFS_FORMAT_VERSION	1

/*
 * Counters kept per process and globally. The order up to PFS_NR_PROC_CTRS
 * is the column order of /proc/pagefault_stats (docs/format.md): those
 * before PFS_FIRST_LATE_CTR come before start_time and ppid, the later ones
 * (added since) at the end of the row. The rest are shown in debugfs only.
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
	PFS_REFAULT_ANON,	/* pages, as vmstat workingset_refault_anon */
	PFS_REFAULT_FILE,	/* workingset_refault_file */
	PFS_REFAULT_ACTIVE,	/* workingset_activate_anon + _file */
	PFS_REFAULT_RESTORE,	/* workingset_restore_anon + _file */
	PFS_NR_PROC_CTRS,
	PFS_FIRST_LATE_CTR = PFS_REFAULT_ANON,
	PFS_FILE_MINOR = PFS_NR_PROC_CTRS,
	PFS_FILE_MAJOR,
	PFS_SHMEM_MINOR,
	PFS_SHMEM_MAJOR,
	PFS_WRITE,
	PFS_EXEC,
	PFS_NR_CTRS
};

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

/* A process's row copied out of the table for a reader. */
struct pfs_row {
	pid_t tgid;
	pid_t ppid;
	u64 start_ns;
	bool exited;
	char comm[TASK_COMM_LEN];
	u64 ctr[PFS_NR_CTRS];
	u64 max_ns;
	u64 thrash_ns;
	bool thrash_known;	/* the kernel keeps thrash time for it */
	u64 cgroup;		/* cgroup v2 id (kernfs id) */
};

/*
 * Rows copied out for one read: nr of cap filled; order[] points to them
 * sorted by pid, start time once pfs_snapshot_sort() ran.
 */
struct pfs_snapshot {
	size_t nr;
	size_t cap;
	struct pfs_row **order;
	struct pfs_row rows[];
};

/* main.c: module parameters */
extern unsigned int pfs_max_procs;

#endif /* PFS_H */
