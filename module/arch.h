/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every architecture difference, one header per architecture: the fault
 * path's clock, the bad-area sites (where invalid faults that never reach
 * handle_mm_fault() can be seen, and how to read their arguments), what a
 * handle_mm_fault() return tells those sites, and how to find a call
 * instruction's callee (the refault probes).
 *
 * Each architecture's header defines:
 *
 *	pfs_clock_init(), pfs_clock(), pfs_clock_ns(), pfs_clock_name()
 *	PFS_BAD_AREA_SITES, pfs_bad_area_sites[], pfs_bad_area_read()
 *	pfs_arch_fault_exit(), PFS_ARCH_EXIT_USES_ADDRESS
 *	PFS_CALL_INSN_LEN, PFS_INSN_ALIGN, pfs_call_target(), pfs_call_return()
 *	pfs_entry_return_address_known(), pfs_entry_return_address()
 */
#ifndef PFS_ARCH_H
#define PFS_ARCH_H

#include <linux/jump_label.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched/clock.h>
#include <linux/uaccess.h>
#include "pfs.h"

/* A bad-area call, as the invalid event reports it. */
struct pfs_bad_area {
	unsigned long address;
	unsigned long ip;		/* the faulting instruction */
	unsigned long error_code;	/* x86: the #PF error code; arm64: ESR */
	bool user;			/* taken in user mode */
};

/* A function on the invalid-fault path that a kprobe is put on. */
struct pfs_bad_area_site {
	const char *symbol;
	bool optional;		/* not in every kernel: counting goes on without */
};

/*
 * arm64: the kernel-mode handle_mm_fault() failure last seen on a CPU
 * (arch_arm64.h); defined in invalid.c, unused elsewhere.
 */
struct pfs_kfault_note {
	struct task_struct *task;
	unsigned long address;
};

DECLARE_PER_CPU(struct pfs_kfault_note, pfs_kfault_note);

/*
 * The fast clock's switch and multiplier (arch_*.h use them where the
 * architecture has a counter better than local_clock()); defined in
 * probes.c.
 */
DECLARE_STATIC_KEY_FALSE(pfs_fast_clock);
extern u32 pfs_fast_clock_mult;

#if defined(CONFIG_X86_64)
#include "arch_x86.h"
#elif defined(CONFIG_ARM64)
#include "arch_arm64.h"
#else
#include "arch_other.h"
#endif

#endif /* PFS_ARCH_H */
