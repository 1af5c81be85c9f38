// SPDX-License-Identifier: GPL-2.0
/*
 * The per-process table.
 *
 * Rows are keyed by (tgid, start time of the group leader), so a reused pid
 * never inherits another process's numbers. Lookups are lock-free under RCU;
 * inserting takes one of a few hashed bucket locks. Rows of exited processes
 * stay readable on an exit-ordered list until the table needs room, when the
 * oldest exit goes first.
 *
 * Lock order: pfs_exit_lock, then a bucket lock. The fault path takes a
 * bucket lock only to insert a process's first row, and pfs_exit_lock only
 * with trylock, when the table is full.
 */
#include <linux/hash.h>
#include <linux/kprobes.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include "filter.h"
#include "table.h"
#include "thrash.h"

/* A task's comm, under task_lock as /proc reads it; TASK_COMM_LEN bytes. */
void pfs_get_task_comm(char *buf, struct task_struct *t)
{
	task_lock(t);
	strscpy_pad(buf, t->comm, TASK_COMM_LEN);
	task_unlock(t);
}

#define PFS_NR_LOCKS	64

struct pfs_proc __rcu **pfs_hash;
unsigned int pfs_hash_shift;
static unsigned int pfs_hash_bits;
static spinlock_t pfs_bucket_lock[PFS_NR_LOCKS];
static DEFINE_SPINLOCK(pfs_exit_lock);
static LIST_HEAD(pfs_exited);		/* oldest exit first */
static atomic_t pfs_nprocs = ATOMIC_INIT(0);
static atomic64_t pfs_evicted = ATOMIC64_INIT(0);
static unsigned int pfs_limit;
static struct kmem_cache *pfs_proc_cache;

static spinlock_t *pfs_lock_of(unsigned int bucket)
{
	return &pfs_bucket_lock[bucket % PFS_NR_LOCKS];
}

static void pfs_proc_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(pfs_proc_cache, container_of(head, struct pfs_proc, rcu));
}

/* Caller holds pfs_exit_lock; the row is gone for readers after a grace period. */
static void pfs_unhash(struct pfs_proc *p)
{
	unsigned int bucket = pfs_bucket(p->tgid);
	spinlock_t *lock = pfs_lock_of(bucket);
	struct pfs_proc __rcu **pp = &pfs_hash[bucket];
	struct pfs_proc *q;

	spin_lock(lock);
	pfs_proc_set_flag(p, PFS_PROC_DEAD);
	/* readers on p go on to p->next, which stays as it is */
	while ((q = rcu_dereference_protected(*pp, lockdep_is_held(lock))) != p)
		pp = &q->next;
	rcu_assign_pointer(*pp, rcu_dereference_protected(p->next,
							  lockdep_is_held(lock)));
	spin_unlock(lock);
	list_del_init(&p->exit_node);
	atomic_dec(&pfs_nprocs);
	call_rcu(&p->rcu, pfs_proc_free_rcu);
}

NOKPROBE_SYMBOL(pfs_unhash);

/* Caller holds pfs_exit_lock. Drop exited rows until @room rows are free. */
static void pfs_evict_locked(unsigned int room)
{
	struct pfs_proc *p;

	while (atomic_read(&pfs_nprocs) + room > pfs_limit &&
	       !list_empty(&pfs_exited)) {
		p = list_first_entry(&pfs_exited, struct pfs_proc, exit_node);
		pfs_unhash(p);
		atomic64_inc(&pfs_evicted);
	}
}

NOKPROBE_SYMBOL(pfs_evict_locked);

/*
 * Keep a little headroom so that new processes find a free row without the
 * fault path having to evict. Called on process exit.
 */
static void pfs_table_make_room(void)
{
	unsigned int room = max(pfs_limit / 64, 1U);

	if (atomic_read(&pfs_nprocs) + room <= pfs_limit)
		return;
	spin_lock(&pfs_exit_lock);
	pfs_evict_locked(room);
	spin_unlock(&pfs_exit_lock);
}

/* Reserve a row in the count; on a full table try, without waiting, to evict. */
static bool pfs_reserve(void)
{
	if (atomic_inc_return(&pfs_nprocs) <= pfs_limit)
		return true;
	atomic_dec(&pfs_nprocs);
	if (!spin_trylock(&pfs_exit_lock))
		return false;
	pfs_evict_locked(1);
	spin_unlock(&pfs_exit_lock);
	if (atomic_inc_return(&pfs_nprocs) <= pfs_limit)
		return true;
	atomic_dec(&pfs_nprocs);
	return false;
}

NOKPROBE_SYMBOL(pfs_reserve);

/*
 * A row for @task's thread group, which has none: at its first fault since
 * the module loaded (or the table was reset), or, with @exiting, at the
 * exit of a group that is already dead.
 */
struct pfs_proc *pfs_proc_insert(struct task_struct *task, unsigned int bucket,
				 u64 start, bool exiting)
{
	spinlock_t *lock = pfs_lock_of(bucket);
	struct pfs_proc *p, *old;
	u64 base;

	/*
	 * A dead group's last thread can fault after its row was marked
	 * exited (6.16+: the exit tracepoint precedes exit_mm()); if that row
	 * was already evicted, do not make a second, "alive" one.
	 */
	if (in_interrupt() || (!exiting && pfs_group_dead(task)) || !pfs_reserve())
		return NULL;
	p = kmem_cache_zalloc(pfs_proc_cache, GFP_NOWAIT | __GFP_NOWARN);
	if (!p) {
		atomic_dec(&pfs_nprocs);
		return NULL;
	}
	p->tgid = task->tgid;
	p->start_ns = start;
	p->ppid = task_tgid_nr(rcu_dereference_check(task->real_parent,
						     rcu_read_lock_any_held()));
	INIT_LIST_HEAD(&p->exit_node);
	memcpy(p->comm, task->group_leader->comm, sizeof(p->comm));
	p->comm[sizeof(p->comm) - 1] = '\0';
	if (pfs_thrash_live(task, &base)) {
		atomic64_set(&p->thrash, -(s64)base);
		pfs_proc_set_flag(p, PFS_PROC_THRASH);
	}
	p->cgroup = pfs_cgroup_id(pfs_task_cgroup(task->group_leader));

	spin_lock(lock);
	old = pfs_find(bucket, p->tgid, start);
	if (!old) {
		RCU_INIT_POINTER(p->next,
				 rcu_dereference_protected(pfs_hash[bucket],
							   lockdep_is_held(lock)));
		rcu_assign_pointer(pfs_hash[bucket], p);
	}
	spin_unlock(lock);
	if (old) {
		kmem_cache_free(pfs_proc_cache, p);
		atomic_dec(&pfs_nprocs);
		return old;
	}
	return p;
}

NOKPROBE_SYMBOL(pfs_proc_insert);

/*
 * The row of @task's exiting thread group, made if it has none; the exit
 * marks it exited right after. Caller holds an RCU read lock.
 */
struct pfs_proc *pfs_proc_get_exiting(struct task_struct *task)
{
	return __pfs_proc_get(task, true);
}

/* The row of @task's thread group if it has one. Caller holds an RCU read lock. */
struct pfs_proc *pfs_proc_find(struct task_struct *task)
{
	return pfs_find(pfs_bucket(task->tgid), task->tgid,
			task->group_leader->start_boottime);
}

/*
 * The last thread of @task's group is exiting: mark the row exited, keep
 * the leader's final comm, and queue the row for eviction.
 */
void pfs_proc_exited(struct task_struct *task)
{
	struct task_struct *leader = task->group_leader;
	struct pfs_proc *p;

	rcu_read_lock();
	p = pfs_proc_find(task);
	if (p && !pfs_proc_test_and_set_flag(p, PFS_PROC_EXITED)) {
		pfs_get_task_comm(p->comm, leader);
		WRITE_ONCE(p->cgroup, pfs_cgroup_id(pfs_task_cgroup(leader)));
		spin_lock(&pfs_exit_lock);
		if (!pfs_proc_flag(p, PFS_PROC_DEAD))
			list_add_tail(&p->exit_node, &pfs_exited);
		spin_unlock(&pfs_exit_lock);
	}
	rcu_read_unlock();
	pfs_table_make_room();
}

/*
 * A thread of @task's group is exiting (the exit tracepoint, every thread):
 * its thrash time moves from the live threads' sum to the row's.
 */
void pfs_proc_thread_exited(struct task_struct *task)
{
	struct pfs_proc *p;
	u64 ns;

	if (!pfs_task_thrash_ns(task, &ns))
		return;
	rcu_read_lock();
	p = pfs_proc_find(task);
	if (p) {
		atomic64_add(ns, &p->thrash);
		pfs_proc_set_flag(p, PFS_PROC_THRASH);
	}
	rcu_read_unlock();
}

/*
 * The filters' decision for @p (of @task's process), made again: the word
 * @w read from p->filter was not for filter generation @gen. Stored unless
 * p->filter changed meanwhile (then the next call decides again). Caller
 * holds an RCU read lock: the fault path's slow case.
 */
bool pfs_proc_redecide(struct pfs_proc *p, struct task_struct *task, u32 w,
		       u32 gen)
{
	bool wanted;

	/* the filter and the process at least as new as @gen and @w */
	smp_rmb();
	wanted = pfs_wanted(task, NULL, NULL);
	atomic_cmpxchg(&p->filter, w, (gen & PFS_FILTER_GEN) |
		       (w & PFS_FILTER_CHANGES) | wanted);
	return wanted;
}

NOKPROBE_SYMBOL(pfs_proc_redecide);

/*
 * Note a change of @p's process (exec, rename, move) in its cached
 * decision; with @comm, decide at once with it as the leader's comm (the
 * rename tracepoint fires before the kernel copies the name), else leave
 * the decision to the process's next count. Either way a decision being
 * made from the old state is not stored (its cmpxchg fails).
 */
static void pfs_proc_note_change(struct pfs_proc *p, struct task_struct *task,
				 const char *comm)
{
	u32 w = atomic_read(&p->filter), new, seen;

	for (;;) {
		new = (w + 2) & PFS_FILTER_CHANGES;	/* generation 0: none */
		if (comm) {
			new |= READ_ONCE(pfs_filter_gen) & PFS_FILTER_GEN;
			/* the filter at least as new as its generation */
			smp_rmb();
			new |= pfs_wanted(task, comm, NULL);
		}
		seen = atomic_cmpxchg(&p->filter, w, new);
		if (seen == w)
			return;
		w = seen;
	}
}

/*
 * @task is renamed to @comm (exec, prctl(PR_SET_NAME), /proc/<pid>/comm),
 * or with @comm NULL was moved to another cgroup (the move is complete).
 * Only the group leader's name and cgroup are its process's. The row's
 * cgroup itself needs no update: a read refreshes a live process's, the
 * exit sets the last.
 */
void pfs_proc_changed(struct task_struct *task, const char *comm)
{
	struct pfs_proc *p;

	if (!thread_group_leader(task))
		return;
	rcu_read_lock();
	p = pfs_proc_find(task);
	if (p)
		pfs_proc_note_change(p, task, comm);
	rcu_read_unlock();
}

/* Drop every row. */
void pfs_table_reset(void)
{
	struct pfs_proc *p;
	unsigned int b;

	/*
	 * Rows are unhashed, and so freed, only under pfs_exit_lock: a row read
	 * here stays. The fault path may insert meanwhile; each is dropped too.
	 */
	spin_lock(&pfs_exit_lock);
	for (b = 0; b < (1U << pfs_hash_bits); b++)
		while ((p = rcu_dereference_protected(pfs_hash[b],
						      lockdep_is_held(&pfs_exit_lock))))
			pfs_unhash(p);
	spin_unlock(&pfs_exit_lock);
}

unsigned int pfs_table_count(void)
{
	return atomic_read(&pfs_nprocs);
}

u64 pfs_table_evicted(void)
{
	return atomic64_read(&pfs_evicted);
}

/*
 * Bring the row of a live process up to date: its comm, which may have
 * changed since the row was made. A row whose process is gone is exited.
 */
static void pfs_row_refresh(struct pfs_row *r, s64 *thrash)
{
	struct task_struct *t;
	u64 live;

	t = pid_task(find_pid_ns(r->tgid, &init_pid_ns), PIDTYPE_TGID);
	if (!t || t->start_boottime != r->start_ns) {
		r->exited = true;
		return;
	}
	pfs_get_task_comm(r->comm, t);
	r->cgroup = pfs_cgroup_id(pfs_task_cgroup(t));
	if (pfs_thrash_live(t, &live)) {
		*thrash += live;
		r->thrash_known = true;
	}
}

static void pfs_row_fill(struct pfs_row *r, struct pfs_proc *p)
{
	s64 thrash;
	int i;

	r->tgid = p->tgid;
	r->ppid = p->ppid;
	r->start_ns = p->start_ns;
	r->exited = pfs_proc_flag(p, PFS_PROC_EXITED);
	r->cgroup = READ_ONCE(p->cgroup);
	memcpy(r->comm, p->comm, sizeof(r->comm));
	for (i = 0; i < PFS_NR_CTRS; i++)
		r->ctr[i] = pfs_proc_read(p, i);
	r->max_ns = atomic64_read(&p->max_ns);
	r->thrash_known = pfs_proc_flag(p, PFS_PROC_THRASH);
	thrash = atomic64_read(&p->thrash);
	if (!r->exited)
		pfs_row_refresh(r, &thrash);
	/* negative only while a thread counted in the base is between exit steps */
	r->thrash_ns = max_t(s64, thrash, 0);
}

static int pfs_row_cmp(const void *a, const void *b)
{
	const struct pfs_row *x = *(struct pfs_row * const *)a;
	const struct pfs_row *y = *(struct pfs_row * const *)b;

	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return 0;
}

/*
 * Copy the table out for a reader, with room for @extra more rows. Rows
 * inserted while the copy runs may be missed; they show on the next read.
 */
struct pfs_snapshot *pfs_table_snapshot(size_t extra)
{
	size_t cap = pfs_table_count() + 64 + extra, n = 0;
	struct pfs_snapshot *s;
	struct pfs_proc *p;
	unsigned int b;

	/* cap is bounded by max_procs and the number of tasks: no overflow */
	s = kvmalloc(struct_size(s, rows, cap) + cap * sizeof(*s->order),
		     GFP_KERNEL);
	if (!s)
		return NULL;
	s->cap = cap;
	s->order = (struct pfs_row **)&s->rows[cap];
	rcu_read_lock();
	for (b = 0; b < (1U << pfs_hash_bits) && n < cap; b++) {
		for (p = rcu_dereference(pfs_hash[b]); p && n < cap;
		     p = rcu_dereference(p->next))
			pfs_row_fill(&s->rows[n++], p);
	}
	rcu_read_unlock();
	s->nr = n;
	return s;
}

/*
 * Order the rows by pid, then start time. What is sorted is an array of
 * pointers: moving 8 bytes a swap, not a whole row, is most of what makes
 * reading 10,000 rows cheap.
 */
void pfs_snapshot_sort(struct pfs_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		s->order[i] = &s->rows[i];
	sort(s->order, s->nr, sizeof(s->order[0]), pfs_row_cmp, NULL);
}

int pfs_table_init(unsigned int max_procs)
{
	unsigned int i;

	/* a row is one 256-byte slab object (docs/performance.md) */
	BUILD_BUG_ON(sizeof(struct pfs_proc) > 256);
	pfs_limit = max_procs;
	pfs_hash_bits = ilog2(roundup_pow_of_two(max_procs));
	pfs_hash_shift = 32 - pfs_hash_bits;
	pfs_hash = kvcalloc(1U << pfs_hash_bits, sizeof(*pfs_hash), GFP_KERNEL);
	if (!pfs_hash)
		return -ENOMEM;
	for (i = 0; i < PFS_NR_LOCKS; i++)
		spin_lock_init(&pfs_bucket_lock[i]);
	pfs_proc_cache = KMEM_CACHE(pfs_proc, SLAB_HWCACHE_ALIGN);
	if (!pfs_proc_cache) {
		kvfree(pfs_hash);
		return -ENOMEM;
	}
	return 0;
}

/* Called after every probe is gone and a grace period has passed. */
void pfs_table_exit(void)
{
	pfs_table_reset();
	rcu_barrier();
	kmem_cache_destroy(pfs_proc_cache);
	kvfree(pfs_hash);
}
