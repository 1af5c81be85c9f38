/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Any other architecture: included by arch.h only. Minor, major, retry and
 * error results are counted (handle_mm_fault() is the same everywhere);
 * invalid faults and refaults are not.
 */
#ifndef PFS_ARCH_OTHER_H
#define PFS_ARCH_OTHER_H

/* No fast clock: local_clock(). */
#define PFS_FAST_CLOCK_NAME	"-"

static inline u32 pfs_fast_clock_setup(void)
{
	return 0;
}

static __always_inline u64 pfs_fast_clock_read(void)
{
	return 0;
}

static __always_inline u64 pfs_fast_clock_ns(u64 ticks)
{
	return ticks;
}

#define PFS_BAD_AREA_SITES	0

static const struct pfs_bad_area_site __maybe_unused pfs_bad_area_sites[1];

static __always_inline int pfs_bad_area_read(unsigned int site,
					     struct pt_regs *regs,
					     struct pfs_bad_area *ba)
{
	return -1;
}

/* pfs_arch_fault_exit() ignores the address: the entry need not note it. */
#define PFS_ARCH_EXIT_USES_ADDRESS	0

static __always_inline void pfs_arch_fault_exit(unsigned int flags,
						unsigned long address,
						vm_fault_t ret)
{
}

/* No call decoding: the refault probes find no site and stay off. */
#define PFS_CALL_INSN_LEN	1
#define PFS_INSN_ALIGN		1

static inline unsigned long pfs_call_target(const u8 *code, unsigned long ip)
{
	return 0;
}

static inline unsigned long pfs_call_return(const u8 *code, unsigned long ip)
{
	return 0;
}

static __always_inline unsigned long pfs_entry_return_address(struct pt_regs *regs)
{
	return 0;
}

#include "arch_nodirect.h"

#endif /* PFS_ARCH_OTHER_H */
