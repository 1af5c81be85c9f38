/* SPDX-License-Identifier: GPL-2.0 */
/* arm64: included by arch.h only. */
#ifndef PFS_ARCH_ARM64_H
#define PFS_ARCH_ARM64_H

#include <linux/math64.h>	/* div_u64, mul_u64_u32_shr */
#include <linux/sched/signal.h>	/* fatal_signal_pending */
#include <asm/arch_timer.h>	/* arch_timer_get_cntfrq */
#include <asm/esr.h>
#include <asm/processor.h>	/* is_ttbr0_addr, thread.fault_* */
#include <asm/timex.h>		/* get_cycles */

/*
 * The fast clock: the generic timer's counter, read by get_cycles()
 * (arch_timer_read_counter(): the reader sched_clock() and the clocksource
 * use, with their erratum workarounds), scaled by a multiplier fixed at
 * load from its frequency (CNTFRQ_EL0): ns = ticks * mult / 2^24, one mul
 * and one umulh. The counter is architecturally synchronised across CPUs
 * and ticks at a constant rate (62.5 MHz under QEMU, 1 GHz from Armv8.6 on;
 * 2^24 keeps mult within 32 bits down to 4 MHz). local_clock() pays for
 * the same read plus sched_clock()'s seqcount loop and conversion; it is
 * kept where CNTFRQ_EL0 reads 0 (firmware that never set it).
 */
#define PFS_FAST_CLOCK_NAME	"cntvct"
#define PFS_ARM64_CLOCK_SHIFT	24

static inline u32 pfs_fast_clock_setup(void)
{
	u32 freq = arch_timer_get_cntfrq();
	u64 mult;

	if (!freq)
		return 0;
	mult = div_u64((NSEC_PER_SEC << PFS_ARM64_CLOCK_SHIFT) + freq / 2, freq);
	return mult > U32_MAX ? 0 : mult;
}

static __always_inline u64 pfs_fast_clock_read(void)
{
	return get_cycles();
}

static __always_inline u64 pfs_fast_clock_ns(u64 ticks)
{
	return mul_u64_u32_shr(ticks, pfs_fast_clock_mult, PFS_ARM64_CLOCK_SHIFT);
}

/*
 * arch/arm64/mm/fault.c (6.1 .. 7.2). do_page_fault() and
 * do_translation_fault() are __kprobes; what they decide goes out through
 * three functions that can be probed:
 *
 * - void arm64_force_sig_fault(int signo, int code, unsigned long far,
 *   const char *str): the signal of a user fault that failed, SIGSEGV with
 *   SEGV_MAPERR (no VMA; an address beyond TASK_SIZE, through do_bad_area();
 *   a VM_FAULT_SIGSEGV result) or SEGV_ACCERR (the VMA forbids the access).
 *   Other traps send signals through it too (alignment and SP/PC faults
 *   SIGBUS, BTI SIGILL, debug SIGTRAP, arm64_notify_segfault() for cache
 *   maintenance and instruction emulation): a page fault's call follows
 *   set_thread_esr(), which leaves the untagged address in
 *   thread.fault_address and a data or instruction abort from EL0 in
 *   thread.fault_code. Only SIGSEGV calls so marked count.
 * - void arm64_force_sig_fault_pkey(unsigned long far, const char *str,
 *   int pkey) (6.12+, POE): SEGV_PKUERR, the same mark.
 * - static void __do_kernel_fault(unsigned long addr, unsigned long esr,
 *   struct pt_regs *regs): a kernel-mode fault with no page to give, fixed
 *   up (-EFAULT) or fatal. A data abort (translation, access flag or
 *   permission fault) at a user address, outside pagefault_disable(), is
 *   the EFAULT of x86's rule, except where handle_mm_fault() itself failed
 *   with OOM, SIGBUS or HWPOISON, or was cut short by a fatal signal
 *   (x86 fixes those up without its bad-area sink): the return handler
 *   notes such a call for this CPU (pfs_arch_fault_exit()), and the
 *   __do_kernel_fault() of the same task and address right after it is
 *   not counted (the note is per CPU, in arch.h). Debian's arm64 kernels
 *   are not fully preemptible, so the task is still on that CPU.
 *
 * Alignment faults (BUS_ADRALN), SIGBUS from a result (counted as sigbus
 * by the return handler) and MTE tag-check faults are not invalid faults.
 */
#define PFS_BAD_AREA_SITES	3

#define PFS_ARM64_SIG_FAULT	0
#define PFS_ARM64_SIG_PKEY	1
#define PFS_ARM64_KERNEL_FAULT	2

static const struct pfs_bad_area_site __maybe_unused pfs_bad_area_sites[PFS_BAD_AREA_SITES] = {
	[PFS_ARM64_SIG_FAULT]	 = { "arm64_force_sig_fault" },
	[PFS_ARM64_SIG_PKEY]	 = { "arm64_force_sig_fault_pkey", true },
	[PFS_ARM64_KERNEL_FAULT] = { "__do_kernel_fault" },
};

/* pfs_arch_fault_exit() reads the fault's address: the entry notes it. */
#define PFS_ARCH_EXIT_USES_ADDRESS	1

static __always_inline void pfs_arch_fault_exit(unsigned int flags,
						unsigned long address,
						vm_fault_t ret)
{
	struct pfs_kfault_note *k;

	if (likely((flags & FAULT_FLAG_USER) ||
		   !(ret & (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_HWPOISON |
			    VM_FAULT_HWPOISON_LARGE | VM_FAULT_RETRY))))
		return;
	if ((ret & VM_FAULT_RETRY) && !fatal_signal_pending(current))
		return;		/* retried */
	k = this_cpu_ptr(&pfs_kfault_note);
	k->task = current;
	k->address = address;
}

/* Whether @esr, from set_thread_esr(), is a page fault's. */
static __always_inline bool pfs_arm64_el0_abort(unsigned long esr)
{
	unsigned long ec = ESR_ELx_EC(esr);

	return ec == ESR_ELx_EC_DABT_LOW || ec == ESR_ELx_EC_IABT_LOW;
}

static __always_inline int pfs_arm64_user_fault(unsigned int site,
						struct pt_regs *regs,
						struct pfs_bad_area *ba)
{
	unsigned long far = regs_get_kernel_argument(regs,
			site == PFS_ARM64_SIG_PKEY ? 0 : 2);
	unsigned long esr = current->thread.fault_code;
	int code;

	if (ba) {
		ba->address = untagged_addr(far);
		ba->error_code = esr;
		ba->ip = instruction_pointer(current_pt_regs());
		ba->user = true;
	}
	if (site == PFS_ARM64_SIG_PKEY) {
		code = SEGV_PKUERR;
	} else {
		if ((int)regs_get_kernel_argument(regs, 0) != SIGSEGV)
			return -1;
		code = (int)regs_get_kernel_argument(regs, 1);
	}
	if (current->thread.fault_address != untagged_addr(far) ||
	    !pfs_arm64_el0_abort(esr))
		return -1;	/* not a page fault's signal */
	return pfs_segv_ctr(code);
}

static __always_inline int pfs_arm64_kernel_fault(struct pt_regs *regs,
						  struct pfs_bad_area *ba)
{
	unsigned long addr = regs_get_kernel_argument(regs, 0);
	unsigned long esr = regs_get_kernel_argument(regs, 1);
	struct pt_regs *fregs = (struct pt_regs *)regs_get_kernel_argument(regs, 2);
	unsigned long fsc = esr & ESR_ELx_FSC_TYPE;
	struct pfs_kfault_note *k;

	if (ba) {
		ba->address = addr;
		ba->error_code = esr;
		ba->ip = instruction_pointer(fregs);
		ba->user = false;
	}
	if (ESR_ELx_EC(esr) != ESR_ELx_EC_DABT_CUR ||
	    (fsc != ESR_ELx_FSC_FAULT && fsc != ESR_ELx_FSC_ACCESS &&
	     fsc != ESR_ELx_FSC_PERM))
		return -1;	/* not a page fault */
	/* nofault accessors and kernel addresses are not user EFAULTs */
	if (!is_ttbr0_addr(addr) || pagefault_disabled())
		return -1;
	k = this_cpu_ptr(&pfs_kfault_note);
	if (k->task == current && k->address == addr) {
		k->task = NULL;
		return -1;	/* handle_mm_fault() failed: not invalid */
	}
	return PFS_EFAULT;
}

/*
 * The counter a call of site @site belongs to, or -1 for none; @ba (if not
 * NULL) gets what the invalid event reports.
 */
static __always_inline int pfs_bad_area_read(unsigned int site,
					     struct pt_regs *regs,
					     struct pfs_bad_area *ba)
{
	if (site == PFS_ARM64_KERNEL_FAULT)
		return pfs_arm64_kernel_fault(regs, ba);
	return pfs_arm64_user_fault(site, regs, ba);
}

/*
 * The callee of the instruction @code at @ip, if it is a direct call (BL)
 * or a tail-call branch (B); 0 otherwise. A26 encoding: opcode in bits
 * 31..26, a signed 26-bit word offset from the instruction itself.
 * Instructions are 4 bytes, 4-aligned (PFS_INSN_ALIGN).
 */
#define PFS_CALL_INSN_LEN	4
#define PFS_INSN_ALIGN		4

static inline unsigned long pfs_call_target(const u8 *code, unsigned long ip)
{
	u32 insn;
	long off;

	memcpy(&insn, code, sizeof(insn));	/* always little-endian */
	insn = le32_to_cpu(insn);
	if ((insn & 0xfc000000) != 0x94000000 &&	/* BL */
	    (insn & 0xfc000000) != 0x14000000)		/* B */
		return 0;
	off = (long)((s32)(insn << 6) >> 6) * 4;
	return ip + off;
}

/*
 * Where the call at @ip returns to, as pfs_entry_return_address() will see
 * it: the next instruction for BL, 0 (none) for B.
 */
static inline unsigned long pfs_call_return(const u8 *code, unsigned long ip)
{
	u32 insn;

	memcpy(&insn, code, sizeof(insn));
	insn = le32_to_cpu(insn);
	return (insn & 0xfc000000) == 0x94000000 ? ip + PFS_CALL_INSN_LEN : 0;
}

/* At a function's first instruction the link register holds its return. */
static __always_inline unsigned long pfs_entry_return_address(struct pt_regs *regs)
{
	return procedure_link_pointer(regs);
}

#include "arch_nodirect.h"

#endif /* PFS_ARCH_ARM64_H */
