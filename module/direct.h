/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mode=direct's mechanism (direct.c): the ftrace direct call that puts the
 * architecture's trampoline (direct_x86.S) on handle_mm_fault(), and the
 * count of calls in flight through it that unloading waits out.
 * pfs_direct_fault() (probes.c) is what the trampoline calls.
 */
#ifndef PFS_DIRECT_H
#define PFS_DIRECT_H

#include <linux/mm_types.h>
#include <linux/percpu.h>
#include <linux/types.h>

struct pt_regs;

/*
 * Calls in flight through the trampoline, per CPU: a call can enter on one
 * CPU and leave on another, so only the sum means anything.
 */
DECLARE_PER_CPU(long, pfs_direct_calls);

/* A call entered the trampoline's C half (before anything else). */
static __always_inline void pfs_direct_in(void)
{
	this_cpu_inc(pfs_direct_calls);
}

/* ... and is about to leave it (after everything else). */
static __always_inline void pfs_direct_out(void)
{
	this_cpu_dec(pfs_direct_calls);
}

vm_fault_t pfs_direct_fault(struct vm_area_struct *vma, unsigned long address,
			    unsigned int flags, struct pt_regs *regs);

int pfs_direct_attach(void);
void pfs_direct_detach(void);
const char *pfs_direct_why(void);

#endif /* PFS_DIRECT_H */
