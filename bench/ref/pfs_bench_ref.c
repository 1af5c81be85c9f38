// SPDX-License-Identifier: GPL-2.0
/*
 * pfs_bench_ref: the benchmark's reference for the probe mechanism's own
 * cost. It puts a probe on handle_mm_fault() whose handlers do nothing, so
 * the difference between this and no probe is the floor any probe-based
 * fault counter pays on this kernel.
 *
 *   probe=kretprobe   entry handler + return handler, both empty (default)
 *   probe=kprobe      a pre handler only, empty
 *   probe=fprobe      entry handler + exit handler, both empty, with 16
 *                     bytes of entry data (where the kernel has fprobe)
 *   probe=direct      an ftrace direct call to an empty trampoline of this
 *                     module's own, fexit style as pagefault_stats'
 *                     mode=direct: it calls the function's body and
 *                     returns to the caller, with no C at all (x86-64; the
 *                     floor of mode=direct's mechanism, as an empty BPF
 *                     fexit is BPF's). Unloaded by bench.sh only when no
 *                     fault can be asleep in it: unlike the module it does
 *                     not wait for them
 *   probe=refault     a pre handler only, empty, on workingset_refault()
 *                     instead: one hit per refaulted folio, a stand-in for
 *                     pagefault_stats' refault probes (issue 11), which sit
 *                     on the calls inside it that count the refault
 *   probe=sites       empty pre handlers on the addresses sites= lists
 *                     (up to 24 "symbol+0xoffset"): pagefault_stats' own
 *                     refault sites, read from the kernel's kprobes list
 *                     while it is loaded; at a call instruction a kprobe is
 *                     an int3 or a jump, not ftrace's as at a function's
 *                     first byte, so this is the same mechanism's floor
 *
 * Which fprobe handler type the kernel wants comes from the module's own
 * feature probes: bench/run copies the module's pfs_config.h here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>
#include "pfs_config.h"

#ifdef PFS_HAVE_FPROBE
#define REF_FPROBE 1
#include <linux/fprobe.h>
#ifdef PFS_HAVE_FPROBE_FTRACE_REGS
typedef struct ftrace_regs ref_fregs;
#else
typedef struct pt_regs ref_fregs;
#endif
#endif

#if defined(CONFIG_X86_64) && defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)
#define REF_DIRECT 1
#include <linux/ftrace.h>
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>
#ifdef PFS_HAVE_ASM_IBT_H
#include <asm/ibt.h>
#else
#define ASM_ENDBR ""
#endif
#ifndef PFS_HAVE_CALL_DEPTH_ACCOUNT
#define CALL_DEPTH_ACCOUNT ""
#endif
#ifndef UNWIND_HINT_FUNC	/* 5.10: an assembler macro only */
#define UNWIND_HINT_FUNC ""
#endif
/* handle_mm_fault's ftrace site: after the ENDBR64 of an IBT kernel */
#ifdef CONFIG_X86_KERNEL_IBT
#define REF_SITE	4
#define REF_BODY	"9"
#else
#define REF_SITE	0
#define REF_BODY	"5"
#endif

void ref_tramp(void);
asm(".pushsection .text, \"ax\", @progbits\n"
    ".globl ref_tramp\n"
    ".type ref_tramp, @function\n"
    "ref_tramp:\n"
    ASM_ENDBR
    CALL_DEPTH_ACCOUNT
    "	pushq	%rbp\n"
    "	movq	%rsp, %rbp\n"
    CALL_DEPTH_ACCOUNT
    "	call	handle_mm_fault + " REF_BODY "\n"
    "	leave\n"
    "	addq	$8, %rsp\n"
    UNWIND_HINT_FUNC "\n"
    ASM_RET
    ".size ref_tramp, .-ref_tramp\n"
    ".popsection\n");

#ifdef PFS_HAVE_FTRACE_DIRECT_OPS
static struct ftrace_ops ref_direct_ops;

static int ref_direct_register(void)
{
	int ret = ftrace_set_filter_ip(&ref_direct_ops,
				       (unsigned long)handle_mm_fault + REF_SITE, 0, 0);

	return ret ? ret : register_ftrace_direct(&ref_direct_ops, (unsigned long)ref_tramp);
}

static void ref_direct_unregister(void)
{
	unregister_ftrace_direct(&ref_direct_ops, (unsigned long)ref_tramp, true);
}
#else
static int ref_direct_register(void)
{
	return register_ftrace_direct((unsigned long)handle_mm_fault + REF_SITE,
				      (unsigned long)ref_tramp);
}

static void ref_direct_unregister(void)
{
	unregister_ftrace_direct((unsigned long)handle_mm_fault + REF_SITE,
				 (unsigned long)ref_tramp);
}
#endif
#else
static int ref_direct_register(void)
{
	return -EOPNOTSUPP;
}

static void ref_direct_unregister(void)
{
}
#endif

static char *probe = "kretprobe";
module_param(probe, charp, 0444);
MODULE_PARM_DESC(probe, "kretprobe (entry + return handler), kprobe (pre handler), fprobe (entry + exit handler) or direct (an empty direct-call trampoline) on handle_mm_fault; refault (pre handler) on workingset_refault; sites (pre handlers) on sites=");

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

static struct kprobe ref_refault_kp = {
	.symbol_name	= "workingset_refault",
	.pre_handler	= ref_pre,
};

#define REF_MAX_SITES	24

static char *sites[REF_MAX_SITES];
static int nr_sites;
module_param_array(sites, charp, &nr_sites, 0444);
MODULE_PARM_DESC(sites, "probe=sites: where, as symbol+0xoffset");

static struct kprobe ref_site_kp[REF_MAX_SITES];
static int ref_sites_on;

static void ref_sites_unregister(void)
{
	while (ref_sites_on > 0)
		unregister_kprobe(&ref_site_kp[--ref_sites_on]);
}

/* sites= "symbol+0xoffset" each, the form the kprobes list shows */
static int ref_sites_register(void)
{
	unsigned long off;
	char *plus;
	int i, ret;

	if (!nr_sites) {
		pr_err("probe=sites wants sites=symbol+0xoffset[,...]\n");
		return -EINVAL;
	}
	for (i = 0; i < nr_sites; i++) {
		struct kprobe *kp = &ref_site_kp[i];

		plus = strchr(sites[i], '+');
		if (!plus || kstrtoul(plus + 1, 0, &off)) {
			pr_err("sites=%s: want symbol+0xoffset\n", sites[i]);
			ref_sites_unregister();
			return -EINVAL;
		}
		*plus = '\0';	/* the kprobe keeps the name */
		kp->symbol_name = sites[i];
		kp->offset = off;
		kp->pre_handler = ref_pre;
		ret = register_kprobe(kp);
		if (ret) {
			pr_err("cannot probe %s+0x%lx with a kprobe (%d)\n", sites[i], off, ret);
			ref_sites_unregister();
			return ret;
		}
		ref_sites_on++;
	}
	return 0;
}

#ifdef REF_FPROBE
static int ref_fp_entry(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
			ref_fregs *regs, void *data)
{
	return 0;
}
NOKPROBE_SYMBOL(ref_fp_entry);

static void ref_fp_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
			ref_fregs *regs, void *data)
{
}
NOKPROBE_SYMBOL(ref_fp_exit);

static struct fprobe ref_fp = {
	.entry_handler	= ref_fp_entry,
	.exit_handler	= ref_fp_exit,
	.entry_data_size = 16,	/* pagefault_stats keeps 16 bytes a call */
};

static int ref_fp_register(void)
{
	return register_fprobe(&ref_fp, "handle_mm_fault", NULL);
}

static void ref_fp_unregister(void)
{
	unregister_fprobe(&ref_fp);
	pr_info("unloading: nmissed %lu\n", ref_fp.nmissed);
}
#else
static int ref_fp_register(void)
{
	return -EOPNOTSUPP;
}

static void ref_fp_unregister(void)
{
}
#endif

static const char *ref_in_use;

static int __init ref_init(void)
{
	const char *target = "handle_mm_fault";
	int ret;

	if (!strcmp(probe, "kretprobe")) {
		ret = register_kretprobe(&ref_krp);
	} else if (!strcmp(probe, "kprobe")) {
		ret = register_kprobe(&ref_kp);
	} else if (!strcmp(probe, "fprobe")) {
		ret = ref_fp_register();
	} else if (!strcmp(probe, "direct")) {
		ret = ref_direct_register();
	} else if (!strcmp(probe, "refault")) {
		target = ref_refault_kp.symbol_name;
		ret = register_kprobe(&ref_refault_kp);
	} else if (!strcmp(probe, "sites")) {
		ret = ref_sites_register();
		if (ret)
			return ret;
	} else {
		pr_err("probe=%s: want kretprobe, kprobe, fprobe, direct, refault or sites\n", probe);
		return -EINVAL;
	}
	if (ret) {
		pr_err("cannot probe %s with a %s (%d)\n", target, probe, ret);
		return ret;
	}
	ref_in_use = probe;
	return 0;
}

static void __exit ref_exit(void)
{
	if (!strcmp(ref_in_use, "kretprobe")) {
		unregister_kretprobe(&ref_krp);
		pr_info("unloading: nmissed %d\n", ref_krp.nmissed);
	} else if (!strcmp(ref_in_use, "kprobe")) {
		unregister_kprobe(&ref_kp);
	} else if (!strcmp(ref_in_use, "refault")) {
		unregister_kprobe(&ref_refault_kp);
	} else if (!strcmp(ref_in_use, "sites")) {
		ref_sites_unregister();
	} else if (!strcmp(ref_in_use, "direct")) {
		ref_direct_unregister();
		synchronize_rcu_tasks();
	} else {
		ref_fp_unregister();
	}
}

module_init(ref_init);
module_exit(ref_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Benchmark reference: empty kprobe / kretprobe / fprobe / direct trampoline on handle_mm_fault, or kprobes on workingset_refault or given sites");
