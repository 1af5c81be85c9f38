// SPDX-License-Identifier: GPL-2.0
/*
 * The probes: where faults are seen and classified.
 *
 * handle_mm_fault()   kretprobe. Entry saves the flags, the VMA's backing and
 *                     the time; return classifies the result exactly as the
 *                     kernel's mm_account_fault() does and charges current.
 * bad-area path       kprobe (arch.h): invalid faults that never reach
 *                     handle_mm_fault(): SIGSEGV and kernel EFAULT fixups.
 * sched_process_exit  tracepoint: marks a thread group's row exited.
 * sched_process_free  tracepoint, light mode only: a process's final counts.
 *
 * Modes (parameter mode=): kretprobe counts every handle_mm_fault() call;
 * light (light.c) has no fault-path probe and reads the kernel's own
 * per-task counters instead; auto picks kretprobe.
 */
#include <linux/kprobes.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/tracepoint.h>
#include "pfs.h"
#include "arch.h"

static char *pfs_mode_param = "auto";
module_param_named(mode, pfs_mode_param, charp, 0444);
MODULE_PARM_DESC(mode,
		 "auto, kretprobe (every fault classified), or light (minor/major from the kernel's per-task counters, no fault-path probe)");

static bool pfs_light_mode;

bool pfs_light(void)
{
	return pfs_light_mode;
}

static int pfs_maxactive;
module_param_named(maxactive, pfs_maxactive, int, 0444);
MODULE_PARM_DESC(maxactive,
		 "handle_mm_fault() calls that can be in flight at once, sleeping ones included (0 = max(256, 8 x CPUs))");

/* What the entry handler hands to the return handler. */
struct pfs_fault_ctx {
	u64 t0;			/* pfs_clock() units */
	unsigned int flags;
	unsigned int cause;
};

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

/*
 * kprobe and kretprobe handlers run with preemption disabled (the ftrace
 * and rethook trampolines see to it): each is an RCU-sched read-side
 * section, which every grace period the table and the filters wait for
 * covers.
 */
static int pfs_mm_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pfs_fault_ctx *ctx = (struct pfs_fault_ctx *)ri->data;

	/* a non-zero return disarms the return handler for this call */
	if (!pfs_counting())
		return 1;
	ctx->flags = regs_get_kernel_argument(regs, 2);
	ctx->cause = pfs_vma_cause((struct vm_area_struct *)
				   regs_get_kernel_argument(regs, 0));
	ctx->t0 = pfs_clock();
	return 0;
}

NOKPROBE_SYMBOL(pfs_mm_entry);

static const enum pfs_ctr pfs_cause_ctr[][2] = {
	[PFS_CAUSE_FILE]	= { PFS_FILE_MINOR, PFS_FILE_MAJOR },
	[PFS_CAUSE_SHMEM]	= { PFS_SHMEM_MINOR, PFS_SHMEM_MAJOR },
};

/* An error result: not a minor or major fault (mm_account_fault()). */
static __always_inline void pfs_charge_error(struct pfs_proc *p, vm_fault_t ret)
{
	if (ret & VM_FAULT_OOM)
		pfs_count(p, PFS_OOM, 1);
	if (ret & VM_FAULT_SIGBUS)
		pfs_count(p, PFS_SIGBUS, 1);
	if (ret & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
		pfs_count(p, PFS_HWPOISON, 1);
	if (ret & VM_FAULT_SIGSEGV)
		pfs_count(p, PFS_SEGV_MM, 1);
}

static __always_inline void pfs_charge(struct pfs_proc *p,
				       const struct pfs_fault_ctx *ctx,
				       vm_fault_t ret, u64 ns)
{
	bool major;

	pfs_count(p, PFS_FAULT_NS, ns);
	if (p)
		pfs_max_ns(p, ns);
	if (ret & VM_FAULT_RETRY) {
		pfs_count(p, PFS_RETRY, 1);
		pfs_hist_add(PFS_HIST_RETRY, ns);
		return;
	}
	if (ret & VM_FAULT_ERROR) {
		pfs_charge_error(p, ret);
		return;
	}
	/* the kernel's rule: major if the result says so or it was retried */
	major = (ret & VM_FAULT_MAJOR) || (ctx->flags & FAULT_FLAG_TRIED);
	pfs_count(p, major ? PFS_MAJOR : PFS_MINOR, 1);
	pfs_hist_add(major ? PFS_HIST_MAJOR : PFS_HIST_MINOR, ns);
	if (ctx->cause != PFS_CAUSE_ANON)
		pfs_count_detail(p, pfs_cause_ctr[ctx->cause][major]);
	if (ctx->flags & FAULT_FLAG_WRITE)
		pfs_count_detail(p, PFS_WRITE);
	else if (ctx->flags & FAULT_FLAG_INSTRUCTION)
		pfs_count_detail(p, PFS_EXEC);
	if (ctx->flags & FAULT_FLAG_REMOTE)
		pfs_count(p, PFS_REMOTE, 1);
}

static int pfs_mm_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct pfs_fault_ctx *ctx = (const struct pfs_fault_ctx *)ri->data;
	vm_fault_t ret = (__force vm_fault_t)regs_return_value(regs);
	s64 ticks = pfs_clock() - ctx->t0;	/* may go back across CPUs */
	struct pfs_proc *p;

	p = pfs_proc_get(current);
	if (!p)
		pfs_count_dropped();
	pfs_charge(p, ctx, ret, ticks > 0 ? pfs_clock_ns(ticks) : 0);
	return 0;
}

NOKPROBE_SYMBOL(pfs_mm_return);

static struct kretprobe pfs_mm_probe = {
	.kp.symbol_name	= "handle_mm_fault",
	.entry_handler	= pfs_mm_entry,
	.handler	= pfs_mm_return,
	.data_size	= sizeof(struct pfs_fault_ctx),
};

static int pfs_bad_area_pre(struct kprobe *kp, struct pt_regs *regs)
{
	int ctr = pfs_bad_area_ctr(regs);
	struct pfs_proc *p;

	if (ctr < 0 || in_nmi() || !pfs_counting())
		return 0;
	p = pfs_proc_get(current);
	if (!p)
		pfs_count_dropped();
	pfs_count(p, ctr, 1);
	return 0;
}

NOKPROBE_SYMBOL(pfs_bad_area_pre);

static struct kprobe pfs_bad_area_probe = {
	.pre_handler	= pfs_bad_area_pre,
};

static bool pfs_bad_area_on;

static void pfs_exit_probe(PFS_EXIT_TP_ARGS)
{
	bool counting;

	if (!pfs_group_dead(p))
		return;
	rcu_read_lock_sched_notrace();
	counting = pfs_counting();
	rcu_read_unlock_sched_notrace();
	if (pfs_light_mode && counting)
		pfs_light_exit(p);
	pfs_proc_exited(p);
}

static void pfs_free_probe(void *data, struct task_struct *p)
{
	pfs_light_free(p);
}

static struct tracepoint *pfs_exit_tp, *pfs_free_tp;

static void pfs_find_tps(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		pfs_exit_tp = tp;
	else if (!strcmp(tp->name, "sched_process_free"))
		pfs_free_tp = tp;
}

static u64 pfs_mm_nmissed(void)
{
	return (u64)pfs_mm_probe.nmissed + pfs_mm_probe.kp.nmissed;
}

u64 pfs_probes_nmissed(void)
{
	return pfs_mm_nmissed() + pfs_bad_area_probe.nmissed;
}

const char *pfs_probes_mode(void)
{
	return pfs_light_mode ? "light" : "kretprobe";
}

void pfs_probes_show_status(struct seq_file *m)
{
	seq_printf(m, "mode %s\n", pfs_probes_mode());
	seq_printf(m, "probe_handle_mm_fault %s\n",
		   pfs_light_mode ? "off" : "attached");
	seq_printf(m, "probe_bad_area %s\n", pfs_bad_area_on ? "attached" : "off");
	seq_printf(m, "probe_bad_area_symbol %s\n",
		   PFS_BAD_AREA_SYMBOL ? PFS_BAD_AREA_SYMBOL : "-");
	seq_printf(m, "probe_exit %s\n", pfs_exit_tp ? "attached" : "off");
	if (pfs_light_mode)
		seq_printf(m, "probe_free %s\n", pfs_free_tp ? "attached" : "off");
	seq_printf(m, "maxactive %d\n", pfs_mm_probe.maxactive);
	seq_printf(m, "clock %s\n", pfs_clock_name());
	seq_printf(m, "nmissed %llu\n", pfs_probes_nmissed());
	seq_printf(m, "nmissed_handle_mm_fault %llu\n", pfs_mm_nmissed());
	seq_printf(m, "nmissed_bad_area %lu\n", pfs_bad_area_probe.nmissed);
}

static void pfs_bad_area_attach(void)
{
	int ret;

	if (!PFS_BAD_AREA_SYMBOL) {
		pr_info("no bad-area probe on this architecture: invalid faults (segv_*, efault) are not counted\n");
		return;
	}
	pfs_bad_area_probe.symbol_name = PFS_BAD_AREA_SYMBOL;
	ret = register_kprobe(&pfs_bad_area_probe);
	if (ret) {
		pr_warn("cannot probe %s (%d): invalid faults (segv_*, efault) are not counted\n",
			PFS_BAD_AREA_SYMBOL, ret);
		return;
	}
	pfs_bad_area_on = true;
}

/*
 * The exit tracepoint; in light mode also the free tracepoint, without
 * which the counts of processes that exited cannot be kept: light mode
 * then refuses to load.
 */
static int pfs_tps_attach(void)
{
	int ret;

	for_each_kernel_tracepoint(pfs_find_tps, NULL);
	if (pfs_light_mode) {
		if (!pfs_exit_tp || !pfs_free_tp) {
			pr_err("mode=light needs the sched_process_exit and sched_process_free tracepoints\n");
			return -ENOENT;
		}
		ret = tracepoint_probe_register(pfs_free_tp, pfs_free_probe, NULL);
		if (ret) {
			pr_err("cannot attach to sched_process_free (%d)\n", ret);
			return ret;
		}
	}
	if (!pfs_exit_tp) {
		pr_warn("no sched_process_exit tracepoint: exited processes are detected at read time only\n");
		return 0;
	}
	ret = tracepoint_probe_register(pfs_exit_tp, pfs_exit_probe, NULL);
	if (ret) {
		pfs_exit_tp = NULL;
		if (pfs_light_mode) {
			pr_err("cannot attach to sched_process_exit (%d)\n", ret);
			tracepoint_probe_unregister(pfs_free_tp, pfs_free_probe, NULL);
			tracepoint_synchronize_unregister();
			return ret;
		}
		pr_warn("cannot attach to sched_process_exit (%d): exited processes are detected at read time only\n",
			ret);
	}
	return 0;
}

static void pfs_tps_detach(void)
{
	if (pfs_exit_tp)
		tracepoint_probe_unregister(pfs_exit_tp, pfs_exit_probe, NULL);
	if (pfs_light_mode && pfs_free_tp)
		tracepoint_probe_unregister(pfs_free_tp, pfs_free_probe, NULL);
	tracepoint_synchronize_unregister();
}

static int pfs_mode_parse(void)
{
	if (!strcmp(pfs_mode_param, "auto") ||
	    !strcmp(pfs_mode_param, "kretprobe")) {
		pfs_light_mode = false;
		return 0;
	}
	if (!strcmp(pfs_mode_param, "light")) {
		pfs_light_mode = true;
		return 0;
	}
	pr_err("mode=%s: expected auto, kretprobe or light\n", pfs_mode_param);
	return -EINVAL;
}

static int pfs_mm_attach(void)
{
	int ret;

	pfs_mm_probe.maxactive = pfs_maxactive > 0 ? pfs_maxactive :
				 max(256, 8 * (int)num_possible_cpus());
	ret = register_kretprobe(&pfs_mm_probe);
	if (ret)
		pr_err("cannot probe handle_mm_fault (%d)\n", ret);
	return ret;
}

int pfs_probes_init(void)
{
	int ret;

	pfs_clock_init();
	ret = pfs_mode_parse();
	if (ret)
		return ret;
	ret = pfs_tps_attach();
	if (ret)
		return ret;
	if (!pfs_light_mode) {
		ret = pfs_mm_attach();
		if (ret) {
			pfs_tps_detach();
			return ret;
		}
	}
	pfs_bad_area_attach();
	return 0;
}

/* Unregister everything; on return no handler runs or will run. */
void pfs_probes_exit(void)
{
	pfs_tps_detach();
	if (pfs_bad_area_on)
		unregister_kprobe(&pfs_bad_area_probe);
	if (!pfs_light_mode)
		unregister_kretprobe(&pfs_mm_probe);
	pr_info("unloading: nmissed %llu\n", pfs_probes_nmissed());
	synchronize_rcu();
}
