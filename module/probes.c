// SPDX-License-Identifier: GPL-2.0
/*
 * The probes: where faults are seen and classified.
 *
 * handle_mm_fault()   fprobe or kretprobe. Entry saves the flags, the VMA's
 *                     backing and the time; return classifies the result
 *                     exactly as the kernel's mm_account_fault() does and
 *                     charges current.
 * bad-area path       invalid.c's kprobes (sites in arch.h): invalid faults
 *                     that never reach handle_mm_fault(): SIGSEGV and
 *                     kernel EFAULT fixups; attached here last.
 * refaults            refault.c, attached here with the fault-path probe.
 * lifecycle           lifecycle.c's tracepoints (exit, free, rename, move),
 *                     attached here first.
 *
 * The trace events (trace.h) are emitted here: pagefault_stats:fault at
 * handle_mm_fault()'s return (pagefault_stats:invalid from invalid.c). With
 * no consumer each costs a static-key branch.
 *
 * Modes (parameter mode=, docs/module.md#modes): direct, fprobe and
 * kretprobe count every handle_mm_fault() call, the same way through three
 * mechanisms (direct: direct.c's trampoline, which calls
 * pfs_direct_fault() here in place of the function); light (light.c) has no
 * fault-path probe and reads the kernel's own per-task counters instead.
 * auto is direct where the architecture has the trampoline (x86-64), else
 * kretprobe, the mechanism every kernel has; direct falls back to kretprobe
 * where it cannot attach, and says why.
 */
#include <linux/kprobes.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/tracepoint.h>
#include "arch.h"
#include "charge.h"
#include "direct.h"
#include "filter.h"
#include "invalid.h"
#include "lifecycle.h"
#include "probes.h"
#include "refault.h"
#include "stats.h"
#include "table.h"
#include "trace.h"
#include "unregister.h"

/* the fault path's clock (arch.h) */
DEFINE_STATIC_KEY_FALSE(pfs_fast_clock);
u32 pfs_fast_clock_mult;

static char *pfs_mode_param = "auto";
module_param_named(mode, pfs_mode_param, charp, 0444);
MODULE_PARM_DESC(mode,
		 "auto (= direct on x86-64, else kretprobe), direct, kretprobe or fprobe (every fault classified; direct: an ftrace direct-call trampoline, kretprobe where it cannot attach), or light (minor/major from the kernel's per-task counters, no fault-path probe)");

enum pfs_mode {
	PFS_MODE_AUTO,
	PFS_MODE_KRETPROBE,
	PFS_MODE_FPROBE,
	PFS_MODE_LIGHT,
	PFS_MODE_DIRECT,
};

static const char * const pfs_mode_names[] = {
	[PFS_MODE_AUTO]		= "auto",
	[PFS_MODE_KRETPROBE]	= "kretprobe",
	[PFS_MODE_FPROBE]	= "fprobe",
	[PFS_MODE_LIGHT]	= "light",
	[PFS_MODE_DIRECT]	= "direct",
};

static enum pfs_mode pfs_mode;	/* after load: the mode in use, never auto */
static enum pfs_mode pfs_mode_asked;	/* the parameter's */

/* Whether the mode asked for tries the direct call first. */
static bool pfs_mode_tries_direct(void)
{
	return pfs_mode_asked == PFS_MODE_DIRECT ||
	       (pfs_mode_asked == PFS_MODE_AUTO && PFS_ARCH_DIRECT);
}

static int pfs_maxactive_in_use;

bool pfs_probes_light(void)
{
	return pfs_mode == PFS_MODE_LIGHT;
}

static int pfs_maxactive;
module_param_named(maxactive, pfs_maxactive, int, 0444);
MODULE_PARM_DESC(maxactive,
		 "handle_mm_fault() calls that can be in flight at once, sleeping ones included, for the kretprobe and a rethook-based fprobe (0 = max(256, 8 x CPUs))");

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

/*
 * What the entry handler hands to the return handler. The second half is
 * filled only while the fault event has a consumer (PFS_CTX_TRACED set in
 * flags, a bit no FAULT_FLAG_* uses); the address also where the
 * architecture's pfs_arch_fault_exit() reads it (arm64, arch.h).
 */
struct pfs_fault_ctx {
	u64 t0;			/* pfs_clock() units */
	unsigned int flags;
	unsigned int cause;
	unsigned long address;
	unsigned long ino;
	unsigned long pgoff;
	unsigned int dev;
};

#define PFS_CTX_TRACED	BIT(31)

static __always_inline unsigned int pfs_vma_cause(struct vm_area_struct *vma)
{
	unsigned long magic;

	if (vma_is_anonymous(vma) || !vma->vm_file)
		return PFS_CAUSE_ANON;
	magic = file_inode(vma->vm_file)->i_sb->s_magic;
	if (magic == TMPFS_MAGIC || magic == HUGETLBFS_MAGIC)
		return PFS_CAUSE_SHMEM;
	return PFS_CAUSE_FILE;
}

/* The fault event has a consumer: note where the fault is for its return. */
static __always_inline void pfs_trace_enter(struct pfs_fault_ctx *ctx,
					    struct vm_area_struct *vma,
					    unsigned long address)
{
	struct inode *inode;

	ctx->flags |= PFS_CTX_TRACED;
	ctx->address = address;
	if (ctx->cause == PFS_CAUSE_ANON) {
		ctx->dev = 0;
		ctx->ino = 0;
		ctx->pgoff = 0;
		return;
	}
	inode = file_inode(vma->vm_file);
	ctx->dev = inode->i_sb->s_dev;
	ctx->ino = inode->i_ino;
	ctx->pgoff = vma->vm_pgoff + ((address - vma->vm_start) >> PAGE_SHIFT);
}

/*
 * handle_mm_fault(vma, address, flags, regs) is entered: note what its
 * return needs in @ctx. False if this call is not counted. Caller holds an
 * RCU read lock. @traced (a constant: each handler has a variant for a
 * listened-to fault event, out of line) notes the event's fields too; the
 * clock starts last.
 */
static __always_inline bool pfs_fault_enter(struct pfs_fault_ctx *ctx,
					    unsigned long vma,
					    unsigned long address,
					    unsigned long flags, bool traced)
{
	if (pfs_paused())
		return false;
	ctx->flags = flags;
	ctx->cause = pfs_vma_cause((struct vm_area_struct *)vma);
	if (traced)
		pfs_trace_enter(ctx, (struct vm_area_struct *)vma, address);
	else if (PFS_ARCH_EXIT_USES_ADDRESS)
		ctx->address = address;
	ctx->t0 = pfs_clock();
	return true;
}

static const enum pfs_ctr pfs_cause_ctr[][2] = {
	[PFS_CAUSE_FILE]	= { PFS_FILE_MINOR, PFS_FILE_MAJOR },
	[PFS_CAUSE_SHMEM]	= { PFS_SHMEM_MINOR, PFS_SHMEM_MAJOR },
};

/*
 * An error result: not a minor or major fault (mm_account_fault()). Each
 * error bit is counted; the fault event's result is the first of oom,
 * sigbus, hwpoison, segv (checked last to first), or error for none.
 */
static __always_inline unsigned int pfs_charge_error(struct pfs_proc *p,
						     vm_fault_t ret)
{
	unsigned int result = PFS_RESULT_ERROR;

	if (ret & VM_FAULT_SIGSEGV) {
		pfs_count(p, PFS_SEGV_MM, 1);
		result = PFS_RESULT_SEGV;
	}
	if (ret & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) {
		pfs_count(p, PFS_HWPOISON, 1);
		result = PFS_RESULT_HWPOISON;
	}
	if (ret & VM_FAULT_SIGBUS) {
		pfs_count(p, PFS_SIGBUS, 1);
		result = PFS_RESULT_SIGBUS;
	}
	if (ret & VM_FAULT_OOM) {
		pfs_count(p, PFS_OOM, 1);
		result = PFS_RESULT_OOM;
	}
	return result;
}

/* Charge the call; its class, the fault event's result (enum pfs_result). */
static __always_inline unsigned int pfs_charge(struct pfs_proc *p,
					       const struct pfs_fault_ctx *ctx,
					       vm_fault_t ret, u64 ns)
{
	/* in registers: the atomics below would make the compiler reload */
	const unsigned int flags = ctx->flags, cause = ctx->cause;
	bool major;

	pfs_count(p, PFS_FAULT_NS, ns);
	if (p)
		pfs_max_ns(p, ns);
	if (unlikely(ret & (VM_FAULT_RETRY | VM_FAULT_ERROR))) {
		if (ret & VM_FAULT_RETRY) {
			pfs_count(p, PFS_RETRY, 1);
			pfs_stats_hist(PFS_HIST_RETRY, ns);
			return PFS_RESULT_RETRY;
		}
		return pfs_charge_error(p, ret);
	}
	/*
	 * The kernel's rule: major if the result says so or it was retried.
	 * Two branches, not one with computed indices: the common minor case
	 * then charges constant addresses.
	 */
	major = (ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED);
	if (likely(!major)) {
		pfs_count(p, PFS_MINOR, 1);
		pfs_stats_hist(PFS_HIST_MINOR, ns);
	} else {
		pfs_count(p, PFS_MAJOR, 1);
		pfs_stats_hist(PFS_HIST_MAJOR, ns);
	}
	if (cause != PFS_CAUSE_ANON)
		pfs_count_detail(p, pfs_cause_ctr[cause][major]);
	if (flags & FAULT_FLAG_WRITE)
		pfs_count_detail(p, PFS_WRITE);
	else if (flags & FAULT_FLAG_INSTRUCTION)
		pfs_count_detail(p, PFS_EXEC);
	if (flags & FAULT_FLAG_REMOTE)
		pfs_count(p, PFS_REMOTE, 1);
	return major ? PFS_RESULT_MAJOR : PFS_RESULT_MINOR;
}

static noinline void pfs_trace_fault(const struct pfs_fault_ctx *ctx,
				     vm_fault_t ret, unsigned int result, u64 ns)
{
	trace_fault(ctx->address, ctx->flags & ~PFS_CTX_TRACED,
		    (__force unsigned int)ret, result, ctx->cause, ns, ctx->dev,
		    ctx->ino, ctx->pgoff);
}

NOKPROBE_SYMBOL(pfs_trace_fault);

/*
 * A call whose process has no row: the totals only, out of the fast path;
 * @wanted: the filters let it in, so it is dropped.
 */
static noinline unsigned int pfs_charge_totals(const struct pfs_fault_ctx *ctx,
					       vm_fault_t ret, u64 ns,
					       bool wanted)
{
	if (wanted)
		pfs_stats_dropped();
	return pfs_charge(NULL, ctx, ret, ns);
}

NOKPROBE_SYMBOL(pfs_charge_totals);

/*
 * The counted call returned @ret: charge it to current (the totals only if
 * the filters leave current's process out). RCU read lock held. @traced (a
 * constant, as for pfs_fault_enter()): emit the fault event, for a process
 * the filters let in, if the entry noted its fields.
 */
static __always_inline void pfs_fault_exit(const struct pfs_fault_ctx *ctx,
					   vm_fault_t ret, bool traced)
{
	s64 ticks = pfs_clock() - ctx->t0;	/* may go back across CPUs */
	u64 ns = ticks > 0 ? pfs_clock_ns(ticks) : 0;
	struct pfs_proc *p;
	unsigned int result;
	bool wanted;

	p = pfs_proc_charged(current, &wanted);
	if (unlikely(!p))
		result = pfs_charge_totals(ctx, ret, ns, wanted);
	else
		result = pfs_charge(p, ctx, ret, ns);	/* inlined, p non-NULL */
	if (traced && (ctx->flags & PFS_CTX_TRACED) && wanted)
		pfs_trace_fault(ctx, ret, result, ns);
	pfs_arch_fault_exit(ctx->flags, ctx->address, ret);
}

/*
 * kprobe and kretprobe handlers run with preemption disabled (the ftrace
 * and rethook trampolines see to it): each is an RCU-sched read-side
 * section, which every grace period the table and the filters wait for
 * covers.
 */
static __always_inline int pfs_mm_enter(struct kretprobe_instance *ri,
					struct pt_regs *regs, bool traced)
{
	/* a non-zero return disarms the return handler for this call */
	return !pfs_fault_enter((struct pfs_fault_ctx *)ri->data,
				regs_get_kernel_argument(regs, 0),
				regs_get_kernel_argument(regs, 1),
				regs_get_kernel_argument(regs, 2), traced);
}

static noinline int pfs_mm_entry_traced(struct kretprobe_instance *ri,
					struct pt_regs *regs)
{
	return pfs_mm_enter(ri, regs, true);
}

NOKPROBE_SYMBOL(pfs_mm_entry_traced);

static int pfs_mm_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (trace_fault_enabled())
		return pfs_mm_entry_traced(ri, regs);
	return pfs_mm_enter(ri, regs, false);
}

NOKPROBE_SYMBOL(pfs_mm_entry);

static noinline void pfs_mm_return_traced(struct kretprobe_instance *ri,
					  struct pt_regs *regs)
{
	pfs_fault_exit((const struct pfs_fault_ctx *)ri->data,
		       (__force vm_fault_t)regs_return_value(regs), true);
}

NOKPROBE_SYMBOL(pfs_mm_return_traced);

static int pfs_mm_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (trace_fault_enabled())
		pfs_mm_return_traced(ri, regs);
	else
		pfs_fault_exit((const struct pfs_fault_ctx *)ri->data,
			       (__force vm_fault_t)regs_return_value(regs),
			       false);
	return 0;
}

NOKPROBE_SYMBOL(pfs_mm_return);

static struct kretprobe pfs_mm_probe = {
	.kp.symbol_name	= "handle_mm_fault",
	.entry_handler	= pfs_mm_entry,
	.handler	= pfs_mm_return,
	.data_size	= sizeof(struct pfs_fault_ctx),
};

/*
 * The same through fprobe. Its handlers run under ftrace's recursion guard;
 * the explicit RCU-sched section costs a preempt count and does not depend
 * on how a kernel version's fprobe calls them.
 */
static __always_inline int pfs_fp_enter(struct pfs_fregs *regs, void *data,
					bool traced)
{
	bool counted;

	rcu_read_lock_sched_notrace();
	counted = pfs_fault_enter(data, pfs_fregs_arg(regs, 0),
				  pfs_fregs_arg(regs, 1), pfs_fregs_arg(regs, 2),
				  traced);
	rcu_read_unlock_sched_notrace();
	return !counted;	/* non-zero: no exit handler for this call */
}

static noinline int pfs_fp_entry_traced(struct pfs_fregs *regs, void *data)
{
	return pfs_fp_enter(regs, data, true);
}

NOKPROBE_SYMBOL(pfs_fp_entry_traced);

static int pfs_fp_entry(struct pfs_fprobe *fp, unsigned long ip,
			unsigned long ret_ip, struct pfs_fregs *regs, void *data)
{
	if (trace_fault_enabled())
		return pfs_fp_entry_traced(regs, data);
	return pfs_fp_enter(regs, data, false);
}

NOKPROBE_SYMBOL(pfs_fp_entry);

static __always_inline void pfs_fp_leave(struct pfs_fregs *regs, void *data,
					 bool traced)
{
	rcu_read_lock_sched_notrace();
	pfs_fault_exit(data, (__force vm_fault_t)pfs_fregs_ret(regs), traced);
	rcu_read_unlock_sched_notrace();
}

static noinline void pfs_fp_exit_traced(struct pfs_fregs *regs, void *data)
{
	pfs_fp_leave(regs, data, true);
}

NOKPROBE_SYMBOL(pfs_fp_exit_traced);

static void pfs_fp_exit(struct pfs_fprobe *fp, unsigned long ip,
			unsigned long ret_ip, struct pfs_fregs *regs, void *data)
{
	if (trace_fault_enabled())
		pfs_fp_exit_traced(regs, data);
	else
		pfs_fp_leave(regs, data, false);
}

NOKPROBE_SYMBOL(pfs_fp_exit);

static struct pfs_fprobe pfs_fp = {
	.entry_handler	= pfs_fp_entry,
	.exit_handler	= pfs_fp_exit,
	.entry_data_size = sizeof(struct pfs_fault_ctx),
};

/*
 * The same through direct.c's trampoline, which calls this in place of
 * handle_mm_fault() with its arguments and returns what this returns. The
 * state the entry half notes for the exit half is on this frame; each half
 * is an RCU-sched read-side section of its own, the body between them runs
 * as it would without the module (it sleeps, for a major fault).
 */
static __always_inline vm_fault_t pfs_direct_call(struct vm_area_struct *vma,
						  unsigned long address,
						  unsigned int flags,
						  struct pt_regs *regs,
						  bool traced)
{
	/* not zeroed (INIT_STACK_ALL_ZERO): the halves read what they wrote */
	struct pfs_fault_ctx ctx __uninitialized;
	vm_fault_t ret;
	bool counted;

	pfs_direct_in();
	rcu_read_lock_sched_notrace();
	counted = pfs_fault_enter(&ctx, (unsigned long)vma, address, flags,
				  traced);
	rcu_read_unlock_sched_notrace();
	ret = pfs_arch_direct_body(vma, address, flags, regs);
	if (counted) {
		rcu_read_lock_sched_notrace();
		pfs_fault_exit(&ctx, ret, traced);
		rcu_read_unlock_sched_notrace();
	}
	pfs_direct_out();
	return ret;
}

static noinline vm_fault_t pfs_direct_fault_traced(struct vm_area_struct *vma,
						   unsigned long address,
						   unsigned int flags,
						   struct pt_regs *regs)
{
	return pfs_direct_call(vma, address, flags, regs, true);
}

NOKPROBE_SYMBOL(pfs_direct_fault_traced);

vm_fault_t pfs_direct_fault(struct vm_area_struct *vma, unsigned long address,
			    unsigned int flags, struct pt_regs *regs)
{
	if (trace_fault_enabled())
		return pfs_direct_fault_traced(vma, address, flags, regs);
	return pfs_direct_call(vma, address, flags, regs, false);
}

NOKPROBE_SYMBOL(pfs_direct_fault);

static u64 pfs_mm_nmissed(void)
{
	if (pfs_mode == PFS_MODE_DIRECT)
		return 0;	/* nothing to run out of */
	if (pfs_mode == PFS_MODE_FPROBE)
		return pfs_fp.nmissed;
	return (u64)pfs_mm_probe.nmissed + pfs_mm_probe.kp.nmissed;
}

u64 pfs_probes_nmissed(void)
{
	return pfs_mm_nmissed() + pfs_invalid_nmissed() +
	       pfs_refault_nmissed();
}

const char *pfs_probes_mode(void)
{
	return pfs_mode_names[pfs_mode];
}

void pfs_probes_show_status(struct seq_file *m)
{
	seq_printf(m, "mode %s\n", pfs_probes_mode());
	seq_printf(m, "mode_requested %s\n", pfs_mode_param);
	seq_printf(m, "fprobe_available %d\n", PFS_FPROBE_AVAILABLE);
	seq_printf(m, "fprobe_kind %s\n",
		   PFS_FPROBE_AVAILABLE ? PFS_FPROBE_KIND : "-");
	seq_printf(m, "probe_handle_mm_fault %s\n",
		   pfs_probes_light() ? "off" : "attached");
	pfs_invalid_show_status(m);
	pfs_lifecycle_show_status(m);
	/* what bounds the calls in flight: 0 = nothing (fprobe on fgraph) */
	seq_printf(m, "maxactive %d\n", pfs_maxactive_in_use);
	seq_printf(m, "clock %s\n", pfs_clock_name());
	seq_printf(m, "nmissed %llu\n", pfs_probes_nmissed());
	seq_printf(m, "nmissed_handle_mm_fault %llu\n", pfs_mm_nmissed());
	seq_printf(m, "nmissed_bad_area %llu\n", pfs_invalid_nmissed());
	pfs_refault_show_status(m);
	pfs_invalid_show_pkeys(m);
	seq_printf(m, "direct_available %d\n", PFS_ARCH_DIRECT);
	seq_printf(m, "direct %s\n", pfs_mode == PFS_MODE_DIRECT ? "in_use" :
		   pfs_mode_tries_direct() ? "fallback" : "off");
	seq_printf(m, "direct_reason %s\n", pfs_direct_why());
}

static int pfs_mode_parse(void)
{
	int i = match_string(pfs_mode_names, ARRAY_SIZE(pfs_mode_names),
			     pfs_mode_param);

	if (i < 0) {
		pr_err("mode=%s: expected auto, direct, fprobe, kretprobe or light\n",
		       pfs_mode_param);
		return -EINVAL;
	}
	if (i == PFS_MODE_FPROBE && !PFS_FPROBE_AVAILABLE) {
		pr_err("mode=fprobe: this kernel is built without fprobe (CONFIG_FPROBE); use kretprobe\n");
		return -EINVAL;
	}
	pfs_mode = i;
	pfs_mode_asked = i;
	return 0;
}

static int pfs_fp_attach(int maxactive)
{
	int ret;

	pfs_maxactive_in_use = pfs_fprobe_set_pool(&pfs_fp, maxactive);
	ret = pfs_fprobe_register(&pfs_fp, "handle_mm_fault");
	if (ret)
		pr_err("cannot fprobe handle_mm_fault (%d)\n", ret);
	return ret;
}

/*
 * The handle_mm_fault() probe of the mode asked for. auto: the direct call
 * where the architecture has the trampoline (measured cheaper than the
 * kretprobe on every kernel here: docs/performance*.md), else, or where it
 * cannot attach, the kretprobe.
 */
static int pfs_mm_attach(void)
{
	int maxactive = pfs_maxactive > 0 ? pfs_maxactive :
			max(256, 8 * (int)num_possible_cpus());
	int ret;

	if (pfs_mode == PFS_MODE_FPROBE)
		return pfs_fp_attach(maxactive);
	if (pfs_mode_tries_direct()) {
		ret = pfs_direct_attach();
		if (!ret) {
			pfs_mode = PFS_MODE_DIRECT;
			pfs_maxactive_in_use = 0;	/* nothing bounds it */
			return 0;
		}
		if (pfs_mode_asked == PFS_MODE_DIRECT)
			pr_warn("mode=direct: %s (%d); using kretprobe instead\n",
				pfs_direct_why(), ret);
		else
			pr_info("mode=auto: no direct call (%s, %d); using kretprobe\n",
				pfs_direct_why(), ret);
	}
	pfs_mm_probe.maxactive = maxactive;
	ret = register_kretprobe(&pfs_mm_probe);
	if (ret) {
		pr_err("cannot probe handle_mm_fault (%d)\n", ret);
		return ret;
	}
	pfs_mode = PFS_MODE_KRETPROBE;
	pfs_maxactive_in_use = maxactive;
	return 0;
}

static void pfs_mm_detach(void)
{
	if (pfs_mode == PFS_MODE_FPROBE)
		pfs_fprobe_unregister(&pfs_fp);
	else if (pfs_mode == PFS_MODE_DIRECT)
		pfs_direct_detach();
	else if (pfs_mode == PFS_MODE_KRETPROBE)
		unregister_kretprobe(&pfs_mm_probe);
}

int pfs_probes_init(void)
{
	int ret;

	pfs_clock_init();
	ret = pfs_mode_parse();
	if (ret)
		return ret;
	ret = pfs_lifecycle_attach(pfs_probes_light());
	if (ret)
		return ret;
	if (!pfs_probes_light()) {
		ret = pfs_mm_attach();
		if (ret) {
			pfs_lifecycle_detach();
			return ret;
		}
		pfs_refault_attach();
	}
	pfs_invalid_attach();
	return 0;
}

/* Unregister everything; on return no handler runs or will run. */
void pfs_probes_exit(void)
{
	pfs_lifecycle_detach();
	pfs_invalid_detach();
	pfs_refault_detach();
	pfs_mm_detach();
	pr_info("unloading: nmissed %llu\n", pfs_probes_nmissed());
	synchronize_rcu();
}
