/* SPDX-License-Identifier: GPL-2.0 */
/* x86-64: included by arch.h only. */
#ifndef PFS_ARCH_X86_H
#define PFS_ARCH_X86_H

#include <linux/math64.h>	/* div_u64 */
#include <asm/asm.h>		/* ASM_CALL_CONSTRAINT */
#include <asm/trap_pf.h>
#include <asm/tsc.h>

/*
 * The fast clock: the time stamp counter, one instruction, scaled by a
 * multiplier fixed at load from tsc_khz: ns = ticks * mult / 2^30, one
 * multiply and one shift by a constant (mult is 2^30 ns per tick, to 1 part
 * in 10^8 at 4 GHz). Every x86-64 CPU the kernel supports with a known TSC
 * frequency has a TSC that ticks at that constant rate; across CPUs it is as
 * synchronised as the kernel's own clock built on it. None without a TSC
 * frequency, or one under 250 MHz (mult would not fit 32 bits).
 */
#define PFS_FAST_CLOCK_NAME	"tsc"

static inline u32 pfs_fast_clock_setup(void)
{
	u64 mult;

	if (!boot_cpu_has(X86_FEATURE_TSC) || !tsc_khz)
		return 0;
	mult = div_u64((1ULL << 30) * NSEC_PER_MSEC + tsc_khz / 2, tsc_khz);
	return mult > U32_MAX ? 0 : mult;
}

static __always_inline u64 pfs_fast_clock_read(void)
{
	return rdtsc();
}

/*
 * ticks * mult / 2^30 as mulq + shrdq: the generic mul_u64_u32_shr() goes
 * through a 128-bit integer, for which gcc realigns the handler's stack.
 */
static __always_inline u64 pfs_fast_clock_ns(u64 ticks)
{
	u64 ns;

	asm ("mulq %2\n\tshrdq $30, %%rdx, %%rax"
	     : "=a" (ns)
	     : "0" (ticks), "rm" ((u64)pfs_fast_clock_mult)
	     : "rdx", "cc");
	return ns;
}

/*
 * static void __bad_area_nosemaphore(struct pt_regs *regs,
 *	unsigned long error_code, unsigned long address, u32 pkey, int si_code)
 * is the sink of every invalid user fault (no VMA, bad access, protection
 * key) on 5.10 .. 7.2. In user mode it sends SIGSEGV with si_code; in
 * kernel mode it fixes the access up (-EFAULT) or oopses.
 */
#define PFS_BAD_AREA_SITES	1

static const struct pfs_bad_area_site __maybe_unused pfs_bad_area_sites[PFS_BAD_AREA_SITES] = {
	{ "__bad_area_nosemaphore" },
};

/*
 * The counter a call of site @site belongs to, or -1 for none; @ba (if not
 * NULL) gets what the invalid event reports.
 */
static __always_inline int pfs_bad_area_read(unsigned int site,
					     struct pt_regs *regs,
					     struct pfs_bad_area *ba)
{
	struct pt_regs *fregs = (struct pt_regs *)regs_get_kernel_argument(regs, 0);
	unsigned long error_code = regs_get_kernel_argument(regs, 1);
	unsigned long address = regs_get_kernel_argument(regs, 2);
	int si_code = (int)regs_get_kernel_argument(regs, 4);

	if (ba) {
		ba->address = address;
		ba->error_code = error_code;
		ba->ip = instruction_pointer(fregs);
		ba->user = user_mode(fregs);
	}
	if (!user_mode(fregs)) {
		/* nofault accessors and kernel addresses are not user EFAULTs */
		if (address >= TASK_SIZE_MAX || pagefault_disabled())
			return -1;
		return PFS_EFAULT;
	}
	if (!(error_code & X86_PF_USER))
		return -1;	/* implicit kernel access: oops */
	return pfs_segv_ctr(si_code);
}

/* pfs_arch_fault_exit() ignores the address: the entry need not note it. */
#define PFS_ARCH_EXIT_USES_ADDRESS	0

/*
 * A handle_mm_fault() call returned: nothing for the bad-area site to know
 * (the kernel-mode fault results that are not invalid, SIGBUS and OOM,
 * never reach __bad_area_nosemaphore()).
 */
static __always_inline void pfs_arch_fault_exit(unsigned int flags,
						unsigned long address,
						vm_fault_t ret)
{
}

/*
 * The callee of the instruction whose first bytes are @code, at @ip, if it
 * is a direct call or a tail-call jump; 0 otherwise. E8 (call) or E9 (jmp)
 * and a 32-bit displacement from the next instruction. @code may be any
 * byte (PFS_INSN_ALIGN 1): whether @ip starts an instruction is checked by
 * the kprobe placed there (register_kprobe() decodes the function up to
 * it). PFS_CALL_INSN_LEN bytes are read.
 */
#define PFS_CALL_INSN_LEN	5
#define PFS_INSN_ALIGN		1

static inline unsigned long pfs_call_target(const u8 *code, unsigned long ip)
{
	s32 disp;

	if (code[0] != 0xe8 && code[0] != 0xe9)
		return 0;
	memcpy(&disp, code + 1, sizeof(disp));
	return ip + PFS_CALL_INSN_LEN + (long)disp;
}

/*
 * A counting call that cannot be probed would be seen at its callee's
 * entry by the return address, which here is on the stack, laid out in a
 * kprobe handler by how the probe was placed (ftrace or int3): not read.
 * pfs_call_return() says "none", and such a call fails the attach; no
 * kernel was seen to refuse one.
 */
static inline unsigned long pfs_call_return(const u8 *code, unsigned long ip)
{
	return 0;
}

static __always_inline unsigned long pfs_entry_return_address(struct pt_regs *regs)
{
	return 0;
}

/*
 * mode=direct (direct.c, probes.c): direct_x86.S's trampoline, put on
 * handle_mm_fault()'s ftrace site. The site is the call to __fentry__ the
 * compiler puts first in the function, after the ENDBR64 an IBT kernel
 * starts an address-taken function with; the function's body, which the
 * trampoline has called, begins after the site's 5 bytes. The site's
 * offset is the build's (the configuration has IBT or not); direct.c
 * checks it against the kernel's ftrace record and the patched text before
 * using it.
 */
#define PFS_ARCH_DIRECT		1
#define PFS_FENTRY_OFFSET	(IS_ENABLED(CONFIG_X86_KERNEL_IBT) ? 4 : 0)
#define PFS_FENTRY_LEN		5

void pfs_direct_tramp(void);

static inline unsigned long pfs_arch_direct_tramp(void)
{
	return (unsigned long)pfs_direct_tramp;
}

/* Whether the ftrace site @ip is a call now (a NOP when nothing is on it). */
static inline bool pfs_arch_site_calls(unsigned long ip)
{
	return *(const u8 *)ip == 0xe8;
}

/*
 * handle_mm_fault()'s body, called past its ftrace site with its own
 * arguments, for the trampoline: a direct call, as a BPF trampoline makes
 * one (an indirect one would land where no ENDBR is, and pay for a
 * retpoline). Call-depth tracking counts it here: the kernel's call thunk
 * sits before a function's entry, not before its body. objtool lists the
 * call for the module loader's thunk patching, which finds no padding
 * before the body and leaves the call alone (saying "Invalid padding area"
 * once on a kernel booted with retbleed=stuff).
 */
static __always_inline vm_fault_t pfs_arch_direct_body(struct vm_area_struct *vma,
						       unsigned long address,
						       unsigned int flags,
						       struct pt_regs *regs)
{
	vm_fault_t ret;

	/* basic asm: its %gs would need %% among operands */
	asm volatile(CALL_DEPTH_ACCOUNT);
	asm volatile("call handle_mm_fault + %c[body]"
		     : "=a" (ret), "+D" (vma), "+S" (address), "+d" (flags),
		       "+c" (regs), ASM_CALL_CONSTRAINT
		     : [body] "i" (PFS_FENTRY_OFFSET + PFS_FENTRY_LEN)
		     : "r8", "r9", "r10", "r11", "memory", "cc");
	return ret;
}

#endif /* PFS_ARCH_X86_H */
