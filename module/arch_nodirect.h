/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mode=direct on an architecture without a trampoline of the module's own
 * (arch_x86.h has one): direct.c falls back to the kretprobe, and
 * pfs_arch_direct_body() is never called. Included by arch_arm64.h and
 * arch_other.h.
 */
#ifndef PFS_ARCH_NODIRECT_H
#define PFS_ARCH_NODIRECT_H

#define PFS_ARCH_DIRECT		0
#define PFS_FENTRY_OFFSET	0

static inline unsigned long pfs_arch_direct_tramp(void)
{
	return 0;
}

static inline bool pfs_arch_site_calls(unsigned long ip)
{
	return false;
}

static __always_inline vm_fault_t pfs_arch_direct_body(struct vm_area_struct *vma,
						       unsigned long address,
						       unsigned int flags,
						       struct pt_regs *regs)
{
	return VM_FAULT_SIGBUS;
}

#endif /* PFS_ARCH_NODIRECT_H */
