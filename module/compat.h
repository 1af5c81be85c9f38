/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference pagefault_stats depends on, in one place.
 * Force-included into every object by module/Kbuild, so the logic files read
 * like upstream code and never carry an #if of their own. Each shim names the
 * version that changed the API; where distribution backports could make a
 * version test lie, a compile-time feature probe decides instead.
 */
#ifndef PFS_COMPAT_H
#define PFS_COMPAT_H

#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include "pfs_config.h"	/* PFS_HAVE_*: module/configure/, run by Kbuild */

/*
 * sched_process_exit: (p) up to 6.x, fired after exit_mm(); 7.0 added
 * (p, bool group_dead) and moved it before exit_mm(), so the exiting thread
 * can still fault (robust futex list, clear_child_tid) after it: the table
 * keeps the row, marked exited, and never makes a new one for a dead group
 * (pfs_group_dead()). PFS_EXIT_TP_ARGS is the probe's prototype.
 * Probe: configure/exit_tp_group_dead.c.
 */
#ifdef PFS_HAVE_EXIT_TP_GROUP_DEAD
#define PFS_EXIT_TP_ARGS	void *data, struct task_struct *p, bool group_dead
#else
#define PFS_EXIT_TP_ARGS	void *data, struct task_struct *p
#endif

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
 * fprobe (5.18), where the kernel is built with it (Debian: 6.12 and 7.2,
 * not 6.1): a function entry/exit probe on ftrace without the kprobe layer.
 * Up to 6.12 the handlers take struct pt_regs * (ftrace + rethook); after
 * it fprobe was rebuilt on the function-graph tracer and they take struct
 * ftrace_regs *. struct pfs_fregs is whichever the kernel passes;
 * pfs_fregs_arg() and pfs_fregs_ret() read the probed function's arguments
 * at entry and its return value at exit. PFS_FPROBE_AVAILABLE says whether
 * there is fprobe at all. Probes: configure/fprobe_pt_regs.c,
 * configure/fprobe_ftrace_regs.c.
 */
#if defined(PFS_HAVE_FPROBE_FTRACE_REGS)
#define PFS_HAVE_FPROBE 1
#include <linux/fprobe.h>
#define pfs_fregs ftrace_regs

static __always_inline unsigned long pfs_fregs_arg(struct pfs_fregs *r, unsigned int n)
{
	return ftrace_regs_get_argument(r, n);
}

static __always_inline unsigned long pfs_fregs_ret(struct pfs_fregs *r)
{
	return ftrace_regs_get_return_value(r);
}

/* Return hooks live on each task's function-graph stack: no pool to size. */
static inline int pfs_fprobe_set_maxactive(struct fprobe *fp, int n)
{
	return 0;
}
#elif defined(PFS_HAVE_FPROBE_PT_REGS)
#define PFS_HAVE_FPROBE 1
#include <linux/fprobe.h>
#define pfs_fregs pt_regs

static __always_inline unsigned long pfs_fregs_arg(struct pfs_fregs *r, unsigned int n)
{
	return regs_get_kernel_argument(r, n);
}

static __always_inline unsigned long pfs_fregs_ret(struct pfs_fregs *r)
{
	return regs_return_value(r);
}

/* A rethook pool, like a kretprobe's: calls in flight beyond it are missed. */
static inline int pfs_fprobe_set_maxactive(struct fprobe *fp, int n)
{
	fp->nr_maxactive = n;
	return n;
}
#endif

#ifdef PFS_HAVE_FPROBE
#define PFS_FPROBE_AVAILABLE	true
#else
#define PFS_FPROBE_AVAILABLE	false
#endif

/* What the kernel's fprobe is built on, for debugfs status. */
#if defined(PFS_HAVE_FPROBE_PT_REGS)
#define PFS_FPROBE_KIND		"rethook"
#elif defined(PFS_HAVE_FPROBE_FTRACE_REGS)
#define PFS_FPROBE_KIND		"fgraph"
#else
#define PFS_FPROBE_KIND		"-"
#endif

#endif /* PFS_COMPAT_H */
