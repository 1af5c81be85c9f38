// SPDX-License-Identifier: GPL-2.0
/*
 * pfs_bench_ref: the benchmark's reference for the probe mechanism's own
 * cost. It puts a probe on handle_mm_fault() whose handlers do nothing, so
 * the difference between this and no probe is the floor any kprobe-based
 * fault counter pays on this kernel.
 *
 *   probe=kretprobe   entry handler + return handler, both empty (default)
 *   probe=kprobe      a pre handler only, empty
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>

static char *probe = "kretprobe";
module_param(probe, charp, 0444);
MODULE_PARM_DESC(probe, "kretprobe (entry + return handler) or kprobe (pre handler)");

static int ref_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(ref_entry);

static int ref_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(ref_return);

static int ref_pre(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(ref_pre);

static struct kretprobe ref_krp = {
	.kp.symbol_name	= "handle_mm_fault",
	.entry_handler	= ref_entry,
	.handler	= ref_return,
	.maxactive	= 256,	/* same pool size as pagefault_stats on 1-32 CPUs */
};

static struct kprobe ref_kp = {
	.symbol_name	= "handle_mm_fault",
	.pre_handler	= ref_pre,
};

static bool ref_is_kretprobe;

static int __init ref_init(void)
{
	int ret;

	if (!strcmp(probe, "kretprobe")) {
		ref_is_kretprobe = true;
		ret = register_kretprobe(&ref_krp);
	} else if (!strcmp(probe, "kprobe")) {
		ret = register_kprobe(&ref_kp);
	} else {
		pr_err("probe=%s: want kretprobe or kprobe\n", probe);
		return -EINVAL;
	}
	if (ret) {
		pr_err("cannot probe handle_mm_fault with a %s (%d)\n", probe, ret);
		return ret;
	}
	return 0;
}

static void __exit ref_exit(void)
{
	if (ref_is_kretprobe) {
		unregister_kretprobe(&ref_krp);
		pr_info("unloading: nmissed %d\n", ref_krp.nmissed);
	} else {
		unregister_kprobe(&ref_kp);
	}
}

module_init(ref_init);
module_exit(ref_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Benchmark reference: empty kprobe / kretprobe on handle_mm_fault");
