/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The architecture's bad-area path: where invalid faults that never reach
 * handle_mm_fault() can be seen, and how to read its arguments.
 */
#ifndef PFS_ARCH_H
#define PFS_ARCH_H

#include <linux/ptrace.h>
#include <linux/uaccess.h>
#include "pfs.h"

#include <linux/sched/clock.h>

#if defined(CONFIG_X86_64)
#include <linux/clocksource.h>
#include <linux/math64.h>
#include <asm/trap_pf.h>
#include <asm/tsc.h>

/*
 * The fault path's clock. local_clock() costs several calls and a per-CPU
 * seqcount loop on every read; the time stamp counter scaled by a
 * multiplier fixed at load (tsc_khz) is a handful of instructions. Every
 * x86-64 CPU the kernel supports with a known TSC frequency has a TSC that
 * ticks at that constant rate; across CPUs it is as synchronised as the
 * kernel's own clock built on it. Without a TSC frequency, local_clock().
 */
static bool pfs_use_tsc;
static u32 pfs_tsc_mult, pfs_tsc_shift;

static inline void pfs_clock_init(void)
{
	if (!boot_cpu_has(X86_FEATURE_TSC) || !tsc_khz)
		return;
	clocks_calc_mult_shift(&pfs_tsc_mult, &pfs_tsc_shift, tsc_khz,
			       NSEC_PER_MSEC, 0);
	pfs_use_tsc = true;
}

static __always_inline u64 pfs_clock_ns(void)
{
	if (likely(pfs_use_tsc))
		return mul_u64_u32_shr(rdtsc(), pfs_tsc_mult, pfs_tsc_shift);
	return local_clock();
}

static inline const char *pfs_clock_name(void)
{
	return pfs_use_tsc ? "tsc" : "local_clock";
}

/*
 * x86: static void __bad_area_nosemaphore(struct pt_regs *regs,
 *	unsigned long error_code, unsigned long address, u32 pkey, int si_code)
 * is the sink of every invalid user fault (no VMA, bad access, protection
 * key) on 5.10 .. 7.2. In user mode it sends SIGSEGV with si_code; in
 * kernel mode it fixes the access up (-EFAULT) or oopses.
 */
#define PFS_BAD_AREA_SYMBOL	"__bad_area_nosemaphore"

/* The counter a bad-area call belongs to, or -1 for none. */
static inline int pfs_bad_area_ctr(struct pt_regs *regs)
{
	struct pt_regs *fregs = (struct pt_regs *)regs_get_kernel_argument(regs, 0);
	unsigned long error_code = regs_get_kernel_argument(regs, 1);
	unsigned long address = regs_get_kernel_argument(regs, 2);
	int si_code = (int)regs_get_kernel_argument(regs, 4);

	if (!user_mode(fregs)) {
		/* nofault accessors and kernel addresses are not user EFAULTs */
		if (address >= TASK_SIZE_MAX || pagefault_disabled())
			return -1;
		return PFS_EFAULT;
	}
	if (!(error_code & X86_PF_USER))
		return -1;	/* implicit kernel access: oops */
	switch (si_code) {
	case SEGV_MAPERR:
		return PFS_SEGV_MAPERR;
	case SEGV_ACCERR:
		return PFS_SEGV_ACCERR;
	case SEGV_PKUERR:
		return PFS_SEGV_PKUERR;
	}
	return -1;
}

#else
static inline void pfs_clock_init(void)
{
}

static __always_inline u64 pfs_clock_ns(void)
{
	return local_clock();
}

static inline const char *pfs_clock_name(void)
{
	return "local_clock";
}

#define PFS_BAD_AREA_SYMBOL	NULL

static inline int pfs_bad_area_ctr(struct pt_regs *regs)
{
	return -1;
}
#endif

#endif /* PFS_ARCH_H */
