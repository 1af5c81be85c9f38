// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe, compiled (never linked) against the target kernel by
 * module/Kbuild: PFS_HAVE_CALL_DEPTH_ACCOUNT when x86's
 * <asm/nospec-branch.h> has CALL_DEPTH_ACCOUNT, call-depth tracking's
 * count of a call that the kernel's call thunks do not see, for code
 * entered by a call the kernel patched in, as an ftrace trampoline is (6.2,
 * the call-depth tracking series, with "x86/ftrace: Make it call depth
 * tracking aware"). Before it there is no such
 * tracking.
 */
#include <asm/nospec-branch.h>

#ifndef CALL_DEPTH_ACCOUNT
#error "no call-depth tracking"
#endif
