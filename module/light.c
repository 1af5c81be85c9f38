// SPDX-License-Identifier: GPL-2.0
/*
 * Light mode: no probe on the fault path at all.
 *
 * Minor and major faults come from the kernel's own per-task counters, the
 * ones /proc/<pid>/stat shows: read for live processes when a file is read,
 * and taken at exit for the others. Invalid faults still come from the
 * bad-area probe. What light mode gives up — retries, cause, access, time —
 * is listed in docs/module.md.
 */
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/seqlock.h>
#include "filter.h"
#include "light.h"
#include "stats.h"
#include "table.h"
#include "thrash.h"

/*
 * A thread group's minor and major faults, as /proc/<pid>/stat adds them
 * up: those of released threads, folded into signal_struct under
 * stats_lock, plus those of the threads still listed. Caller holds
 * rcu_read_lock().
 */
static void pfs_light_faults(struct task_struct *leader, u64 *minor, u64 *major)
{
	struct signal_struct *sig = leader->signal;
	struct task_struct *t;
	unsigned int seq;

	do {
		seq = read_seqbegin(&sig->stats_lock);
		*minor = sig->min_flt;
		*major = sig->maj_flt;
		for_each_thread(leader, t) {
			*minor += t->min_flt;
			*major += t->maj_flt;
		}
	} while (read_seqretry(&sig->stats_lock, seq));
}

static void pfs_light_store(struct pfs_proc *p, struct task_struct *leader)
{
	u64 minor, major;

	pfs_light_faults(leader, &minor, &major);
	atomic64_set(pfs_proc_wide(p, PFS_MINOR), minor);
	atomic64_set(pfs_proc_wide(p, PFS_MAJOR), major);
}

/*
 * The last thread of @task's group is exiting (process context): give the
 * process a row, if it faulted and has none, holding its counts so far.
 */
void pfs_light_exit(struct task_struct *task)
{
	u64 minor, major;
	struct pfs_proc *p;

	rcu_read_lock();
	p = pfs_proc_find(task);
	if (!p) {
		pfs_light_faults(task->group_leader, &minor, &major);
		if (minor || major) {
			p = pfs_proc_get_exiting(task);
			if (!p)
				pfs_stats_dropped();
		}
	}
	if (p)
		pfs_light_store(p, task->group_leader);
	rcu_read_unlock();
}

/*
 * @task is being freed, after every thread was released: its signal_struct
 * holds the final counts. Runs from an RCU callback, so it only updates a
 * row that exists, without locks.
 */
void pfs_light_free(struct task_struct *task)
{
	struct pfs_proc *p;

	if (!thread_group_leader(task))
		return;
	rcu_read_lock();
	p = pfs_proc_find(task);
	if (p)
		pfs_light_store(p, task);
	rcu_read_unlock();
}

/* How many processes there are now, for sizing a snapshot. */
size_t pfs_light_nr_procs(void)
{
	struct task_struct *t;
	size_t n = 0;

	rcu_read_lock();
	for_each_process(t)
		n++;
	rcu_read_unlock();
	return n;
}

/*
 * Give the rows of @s whose process still exists (a zombie too) the
 * kernel's counts. Caller holds rcu_read_lock().
 */
static void pfs_light_refresh(struct pfs_snapshot *s)
{
	struct task_struct *t;
	struct pfs_row *r;
	size_t i;

	for (i = 0; i < s->nr; i++) {
		r = &s->rows[i];
		t = pid_task(find_pid_ns(r->tgid, &init_pid_ns), PIDTYPE_TGID);
		if (t && t->start_boottime == r->start_ns)
			pfs_light_faults(t, &r->ctr[PFS_MINOR], &r->ctr[PFS_MAJOR]);
	}
}

/*
 * Add to @s a row for every live process that faulted and has no row in
 * the table, as long as @s has room. Caller holds rcu_read_lock().
 */
static void pfs_light_add_live(struct pfs_snapshot *s)
{
	struct task_struct *t;
	struct pfs_row *r;
	u64 minor, major;

	for_each_process(t) {
		if (s->nr == s->cap)
			break;
		if (pfs_proc_find(t))
			continue;	/* its row is in the snapshot already */
		if (!pfs_wanted(t, NULL, NULL))
			continue;	/* the filters leave it out */
		pfs_light_faults(t, &minor, &major);
		if (!minor && !major)
			continue;
		r = &s->rows[s->nr++];
		memset(r, 0, sizeof(*r));
		r->tgid = t->tgid;
		r->ppid = task_tgid_nr(rcu_dereference(t->real_parent));
		r->start_ns = t->start_boottime;
		r->ctr[PFS_MINOR] = minor;
		r->ctr[PFS_MAJOR] = major;
		r->thrash_known = pfs_thrash_live(t, &r->thrash_ns);
		r->cgroup = pfs_cgroup_id(pfs_task_cgroup(t));
		pfs_get_task_comm(r->comm, t);
	}
}

/*
 * Bring a table snapshot to light mode: the kernel's minor and major for
 * every row whose process exists, and a row for every live process that
 * faulted (pfs_light_nr_procs() of room makes that all of them).
 */
void pfs_light_snapshot(struct pfs_snapshot *s)
{
	rcu_read_lock();
	pfs_light_refresh(s);
	pfs_light_add_live(s);
	rcu_read_unlock();
}

/* The global minor and major of light mode: the sums over the rows shown. */
void pfs_light_sum(const struct pfs_snapshot *s, u64 *minor, u64 *major)
{
	size_t i;

	*minor = 0;
	*major = 0;
	for (i = 0; i < s->nr; i++) {
		*minor += s->rows[i].ctr[PFS_MINOR];
		*major += s->rows[i].ctr[PFS_MAJOR];
	}
}
