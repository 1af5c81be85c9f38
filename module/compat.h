/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference pagefault_stats depends on, in one place.
 * Force-included into every object by module/Kbuild, so the logic files read
 * like upstream code and never carry an #if of their own. Each difference
 * is one wrapper: one prototype, a body per variant, chosen by a
 * compile-time feature probe (module/configure/, which names the upstream
 * change) rather than a version test, which distribution backports make lie.
 */
#ifndef PFS_COMPAT_H
#define PFS_COMPAT_H

#include "pfs_config.h"	/* PFS_HAVE_*: module/configure/, run by Kbuild */

#ifdef __ASSEMBLY__
/*
 * For assembly (direct_x86.S, x86-64 only): the kernel's own macros where it has them,
 * empty ones of the same name where the kernel predates what they do.
 */

/*
 * ENDBR: the landing pad an indirect branch must hit under Indirect Branch
 * Tracking (x86 <asm/ibt.h>, 5.18); none before, when there is no IBT.
 * Probe: configure/asm_ibt_h.c.
 */
#ifdef PFS_HAVE_ASM_IBT_H
#include <asm/ibt.h>
#else /* !PFS_HAVE_ASM_IBT_H */
#define ENDBR
#endif /* PFS_HAVE_ASM_IBT_H */

/*
 * CALL_DEPTH_ACCOUNT: call-depth tracking's count of a call the kernel's
 * call thunks do not see (x86 <asm/nospec-branch.h>, 6.2); nothing to
 * count before. Probe: configure/call_depth_account.c.
 */
#include <asm/nospec-branch.h>
#ifndef PFS_HAVE_CALL_DEPTH_ACCOUNT
.macro CALL_DEPTH_ACCOUNT
.endm
#endif /* !PFS_HAVE_CALL_DEPTH_ACCOUNT */

#else /* !__ASSEMBLY__ */
#include <linux/errno.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

/*
 * sched_process_exit: (p) up to 6.15, fired after exit_mm(); 6.16 (commit
 * 3e816361e94a) added (p, bool group_dead) and moved it before exit_mm(),
 * so the exiting thread can still fault (robust futex list,
 * clear_child_tid) after it: the table keeps the row, marked exited, and
 * never makes a new one for a dead group (pfs_group_dead()).
 * PFS_EXIT_TP_ARGS is the probe's prototype.
 * Probe: configure/exit_tp_group_dead.c.
 */
#ifdef PFS_HAVE_EXIT_TP_GROUP_DEAD
#define PFS_EXIT_TP_ARGS	void *data, struct task_struct *p, bool group_dead
#else /* !PFS_HAVE_EXIT_TP_GROUP_DEAD */
#define PFS_EXIT_TP_ARGS	void *data, struct task_struct *p
#endif /* PFS_HAVE_EXIT_TP_GROUP_DEAD */

/*
 * Whether the thread group of @p has no live thread left: true from the
 * moment its last thread enters do_exit(), which drops signal->live before
 * the exit tracepoint fires (5.10 .. 7.2), so the probe needs no group_dead
 * argument.
 */
static inline bool pfs_group_dead(struct task_struct *p)
{
	return atomic_read(&p->signal->live) == 0;
}

/*
 * fprobe: a function entry/exit probe on ftrace, without the kprobe layer
 * (5.18, commit cad9931f64dc), with the handlers the module is written for
 * since 6.5: (fp, entry_ip, ret_ip, regs, entry_data), entry data (6.4,
 * commit 76d0de5729c0) and an entry handler whose non-zero return skips the
 * exit handler (6.4, commit 39d954200bf6), the return address (6.5, commit
 * cb16330d1274). Debian builds it into 6.12 and 7.2, not 5.10 or 6.1.
 * struct pfs_fprobe is struct fprobe where there is one, and a stand-in
 * that never registers where there is none, so that mode=fprobe's code
 * compiles everywhere and is refused at load (PFS_FPROBE_AVAILABLE).
 * Probe: configure/fprobe.c.
 */
#ifdef PFS_HAVE_FPROBE
#include <linux/fprobe.h>
#define pfs_fprobe		fprobe
#define PFS_FPROBE_AVAILABLE	true

static inline int pfs_fprobe_register(struct pfs_fprobe *fp, const char *sym)
{
	return register_fprobe(fp, sym, NULL);
}

static inline void pfs_fprobe_unregister(struct pfs_fprobe *fp)
{
	unregister_fprobe(fp);
}
#else /* !PFS_HAVE_FPROBE */
struct pfs_fprobe {
	int (*entry_handler)(struct pfs_fprobe *fp, unsigned long entry_ip,
			     unsigned long ret_ip, struct pt_regs *regs,
			     void *entry_data);
	void (*exit_handler)(struct pfs_fprobe *fp, unsigned long entry_ip,
			     unsigned long ret_ip, struct pt_regs *regs,
			     void *entry_data);
	size_t entry_data_size;
	int nr_maxactive;
	unsigned long nmissed;
};

#define PFS_FPROBE_AVAILABLE	false

static inline int pfs_fprobe_register(struct pfs_fprobe *fp, const char *sym)
{
	return -EOPNOTSUPP;
}

static inline void pfs_fprobe_unregister(struct pfs_fprobe *fp)
{
}
#endif /* PFS_HAVE_FPROBE */

/*
 * What fprobe handlers are passed, and what bounds the calls in flight.
 * Up to 6.13 fprobe sits on ftrace + rethook: handlers get struct pt_regs *,
 * and return hooks come from a pool of nr_maxactive, like a kretprobe's.
 * 6.14 rebuilt it on the function-graph tracer (commit 4346ba160409):
 * handlers get struct ftrace_regs * (commits 46bc08238856, 762abbc0d09f),
 * return addresses live on each task's shadow stack, and nr_maxactive went
 * (commit a2224559cbba). struct pfs_fregs is whichever the handlers get;
 * pfs_fregs_arg() and pfs_fregs_ret() read the probed function's arguments
 * at entry and its return value at exit; pfs_fprobe_set_pool() sizes the
 * pool and returns the bound in use (0: none). PFS_FPROBE_KIND names the
 * mechanism for debugfs status. Probe: configure/fprobe_ftrace_regs.c.
 */
#ifdef PFS_HAVE_FPROBE_FTRACE_REGS
#define pfs_fregs		ftrace_regs
#define PFS_FPROBE_KIND		"fgraph"

static __always_inline unsigned long pfs_fregs_arg(struct pfs_fregs *r, unsigned int n)
{
	return ftrace_regs_get_argument(r, n);
}

static __always_inline unsigned long pfs_fregs_ret(struct pfs_fregs *r)
{
	return ftrace_regs_get_return_value(r);
}

static inline int pfs_fprobe_set_pool(struct pfs_fprobe *fp, int n)
{
	return 0;
}
#else /* !PFS_HAVE_FPROBE_FTRACE_REGS */
#define pfs_fregs		pt_regs
#define PFS_FPROBE_KIND		"rethook"

static __always_inline unsigned long pfs_fregs_arg(struct pfs_fregs *r, unsigned int n)
{
	return regs_get_kernel_argument(r, n);
}

static __always_inline unsigned long pfs_fregs_ret(struct pfs_fregs *r)
{
	return regs_return_value(r);
}

static inline int pfs_fprobe_set_pool(struct pfs_fprobe *fp, int n)
{
	fp->nr_maxactive = n;
	return n;
}
#endif /* PFS_HAVE_FPROBE_FTRACE_REGS */

/*
 * A task's thrashing time, nanoseconds: delay accounting's
 * task->delays->thrashing_delay (5.10 .. 7.2). The kernel keeps it only for
 * tasks created while accounting was on: on by default up to 5.13, off
 * since 5.14 (commit e4042ad49235) unless kernel.task_delayacct=1 or
 * "delayacct" on the command line; none without CONFIG_TASK_DELAY_ACCT.
 * False where it keeps none. The task is current or held by RCU (its
 * delays live as long as it does). Not a version difference but a build
 * one, kept here with the others.
 */
#ifdef CONFIG_TASK_DELAY_ACCT
#include <linux/delayacct.h>

static __always_inline bool pfs_task_thrash_ns(struct task_struct *t, u64 *ns)
{
	struct task_delay_info *d = READ_ONCE(t->delays);

	if (!d)
		return false;
	*ns = READ_ONCE(d->thrashing_delay);
	return true;
}
#else /* !CONFIG_TASK_DELAY_ACCT */
static __always_inline bool pfs_task_thrash_ns(struct task_struct *t, u64 *ns)
{
	return false;
}
#endif /* CONFIG_TASK_DELAY_ACCT */

/*
 * The cgroup (v2, the default hierarchy) of @task: task->cgroups->dfl_cgrp,
 * the same in 5.10 .. 7.2, read under an RCU read lock of any flavour (a
 * kprobe handler's disabled preemption counts; task_dfl_cgroup() would ask
 * lockdep for rcu_read_lock() itself). An exiting task keeps its css_set
 * until it is freed, so a zombie's cgroup is the one it died in. NULL
 * without CONFIG_CGROUPS: every process is then in no cgroup, id 0. Not a
 * version difference but a build one, kept here with the others.
 */
#ifdef CONFIG_CGROUPS
#include <linux/cgroup.h>

static __always_inline struct cgroup *pfs_task_cgroup(struct task_struct *t)
{
	return rcu_dereference_check(t->cgroups, rcu_read_lock_any_held())->dfl_cgrp;
}

static __always_inline u64 pfs_cgroup_id(struct cgroup *cgrp)
{
	return cgroup_id(cgrp);
}

/* Whether @cgrp is the cgroup of id @id or below it. RCU read lock held. */
static inline bool pfs_cgroup_within(struct cgroup *cgrp, u64 id)
{
	for (; cgrp; cgrp = cgroup_parent(cgrp))
		if (cgroup_id(cgrp) == id)
			return true;
	return false;
}

/*
 * The id of the cgroup at @path, relative to the writer's cgroup namespace
 * root (as /proc/self/cgroup shows it): cgroup_get_from_path(), exported
 * in 5.10 .. 7.2. May sleep.
 */
static inline int pfs_cgroup_path_id(const char *path, u64 *id)
{
	struct cgroup *cgrp = cgroup_get_from_path(path);

	if (IS_ERR_OR_NULL(cgrp))
		return -EINVAL;
	*id = cgroup_id(cgrp);
	cgroup_put(cgrp);
	return 0;
}

/*
 * Whether a cgroup of id @id exists: a walk of the default hierarchy
 * (cgrp_dfl_root and css_next_descendant_pre() are exported in 5.10 ..
 * 7.2; cgroup_get_from_id() only since 6.0).
 */
static inline bool pfs_cgroup_id_exists(u64 id)
{
	struct cgroup_subsys_state *css;
	bool found = false;

	rcu_read_lock();
	css_for_each_descendant_pre(css, &cgrp_dfl_root.cgrp.self) {
		if (cgroup_id(css->cgroup) == id) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
#else /* !CONFIG_CGROUPS */
struct cgroup;

static __always_inline struct cgroup *pfs_task_cgroup(struct task_struct *t)
{
	return NULL;
}

static __always_inline u64 pfs_cgroup_id(struct cgroup *cgrp)
{
	return 0;
}

static inline bool pfs_cgroup_within(struct cgroup *cgrp, u64 id)
{
	return false;
}

static inline int pfs_cgroup_path_id(const char *path, u64 *id)
{
	return -EOPNOTSUPP;
}

static inline bool pfs_cgroup_id_exists(u64 id)
{
	return false;
}
#endif /* CONFIG_CGROUPS */

/*
 * An ftrace direct call: the kernel patches a function's ftrace site to
 * call a trampoline of the module's own, with no ftrace code between
 * (5.5; CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS).
 * Up to 6.4 register_ftrace_direct(ip, addr) names the function by its
 * ftrace site; from 6.5 it takes a struct ftrace_ops whose filter holds
 * the site (ftrace_set_filter_ip()), and unregistering can free that
 * filter. struct pfs_direct holds what the variant needs;
 * pfs_direct_register() attaches @d->addr at the ftrace site @d->ip,
 * pfs_direct_unregister() detaches it: on return no call enters the
 * trampoline any more (calls already in it may still run). Where the
 * kernel has no direct calls the header's stand-ins fail with -ENODEV or
 * -ENOTSUPP. Both may sleep. Probe: configure/ftrace_direct_ops.c.
 */
#include <linux/ftrace.h>

#ifdef PFS_HAVE_FTRACE_DIRECT_OPS
struct pfs_direct {
	unsigned long ip, addr;
	struct ftrace_ops ops;
};

static inline int pfs_direct_register(struct pfs_direct *d)
{
	int ret = ftrace_set_filter_ip(&d->ops, d->ip, 0, 0);

	if (ret)
		return ret;
	ret = register_ftrace_direct(&d->ops, d->addr);
	if (ret)
		ftrace_free_filter(&d->ops);
	return ret;
}

static inline void pfs_direct_unregister(struct pfs_direct *d)
{
	unregister_ftrace_direct(&d->ops, d->addr, true);
}
#else /* !PFS_HAVE_FTRACE_DIRECT_OPS */
struct pfs_direct {
	unsigned long ip, addr;
};

static inline int pfs_direct_register(struct pfs_direct *d)
{
	return register_ftrace_direct(d->ip, d->addr);
}

static inline void pfs_direct_unregister(struct pfs_direct *d)
{
	unregister_ftrace_direct(d->ip, d->addr);
}
#endif /* PFS_HAVE_FTRACE_DIRECT_OPS */

/*
 * CALL_DEPTH_ACCOUNT for C's inline assembly (arch_x86.h): call-depth
 * tracking's count of a call the kernel's call thunks do not see (6.2);
 * nothing before. Probe: configure/call_depth_account.c.
 */
#ifdef CONFIG_X86_64
#include <asm/nospec-branch.h>
#endif /* CONFIG_X86_64 */
#ifndef PFS_HAVE_CALL_DEPTH_ACCOUNT
#define CALL_DEPTH_ACCOUNT	""
#endif /* !PFS_HAVE_CALL_DEPTH_ACCOUNT */

#endif /* __ASSEMBLY__ */
#endif /* PFS_COMPAT_H */
