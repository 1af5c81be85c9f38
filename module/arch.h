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

#if defined(CONFIG_X86_64)
#include <asm/trap_pf.h>

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
#define PFS_BAD_AREA_SYMBOL	NULL

static inline int pfs_bad_area_ctr(struct pt_regs *regs)
{
	return -1;
}
#endif

#endif /* PFS_ARCH_H */
