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
 *	PFS_FAST_CLOCK_NAME, pfs_fast_clock_setup(), pfs_fast_clock_read(),
 *	pfs_fast_clock_ns() (the clock below is built on them)
 *	PFS_BAD_AREA_SITES, pfs_bad_area_sites[], pfs_bad_area_read()
 *	pfs_arch_fault_exit(), PFS_ARCH_EXIT_USES_ADDRESS
 *	PFS_CALL_INSN_LEN, PFS_INSN_ALIGN, pfs_call_target(),
 *	pfs_call_return() (0: the callee's entry cannot tell this call),
 *	pfs_entry_return_address()
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

/* The counter of a SIGSEGV with @si_code, or -1 for none. */
static __always_inline int pfs_segv_ctr(int si_code)
{
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

/*
 * The fault path's clock: pfs_clock() reads it in its own units, and
 * pfs_clock_ns() turns the difference of two readings into nanoseconds, so
 * a fault pays for one conversion, not two. local_clock() costs several
 * calls and a per-CPU seqcount loop on every read; the architecture's fast
 * counter (arch_*.h), where it has one whose rate the kernel knows, is read
 * in an instruction or two and scaled by a multiplier fixed at load.
 */
static inline void pfs_clock_init(void)
{
	u32 mult = pfs_fast_clock_setup();

	if (!mult)
		return;
	pfs_fast_clock_mult = mult;
	static_branch_enable(&pfs_fast_clock);
}

static __always_inline u64 pfs_clock(void)
{
	if (static_branch_likely(&pfs_fast_clock))
		return pfs_fast_clock_read();
	return local_clock();
}

static __always_inline u64 pfs_clock_ns(u64 ticks)
{
	if (!static_branch_likely(&pfs_fast_clock))
		return ticks;
	return pfs_fast_clock_ns(ticks);
}

static inline const char *pfs_clock_name(void)
{
	return static_key_enabled(&pfs_fast_clock) ? PFS_FAST_CLOCK_NAME : "local_clock";
}

#endif /* PFS_ARCH_H */
