/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mode=direct's trampoline on x86-64: direct.c has the kernel patch
 * handle_mm_fault()'s ftrace site to call it. It is entered as the site's
 * callee, handle_mm_fault()'s arguments in their registers and two return
 * addresses on the stack: into handle_mm_fault() just past the site, and
 * the caller's. It calls pfs_direct_fault() (probes.c) with the arguments
 * as they are; that runs the entry half, calls the function's body
 * (arch_x86.h), runs the exit half and returns the body's result. Then the
 * trampoline drops the return address into handle_mm_fault() and returns to
 * the caller, as handle_mm_fault() itself would have: the fexit shape of a
 * BPF trampoline.
 *
 * While the body runs (and sleeps, in a major fault), the stack reads, from
 * the body up: pfs_direct_fault(), this trampoline's frame, the return
 * address into handle_mm_fault() past its ftrace site, the caller. objtool
 * gives the trampoline ORC data like any function's, and the unwinder sees
 * handle_mm_fault() at its site as a function just entered: stack traces
 * through it stay complete and reliable.
 *
 * ENDBR: the address is taken (for register_ftrace_direct()), so objtool
 * wants one; no branch to it is indirect (a call, or ftrace's return into
 * it when another ftrace user shares the site). CALL_DEPTH_ACCOUNT counts
 * the site's call, which call-depth tracking's thunks never see. The stack
 * is 16-byte aligned for the call to C (the kernel needs only 8).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/unwind_hints.h>
#include "compat.h"

	.text
SYM_CODE_START(pfs_direct_tramp)
	UNWIND_HINT_FUNC
	ENDBR
	CALL_DEPTH_ACCOUNT
	pushq	%rbp
	movq	%rsp, %rbp
	call	pfs_direct_fault
	leave
	/* past the return into handle_mm_fault(): the caller's is next */
	addq	$8, %rsp
	UNWIND_HINT_FUNC
	RET
SYM_CODE_END(pfs_direct_tramp)
_ASM_NOKPROBE(pfs_direct_tramp)
