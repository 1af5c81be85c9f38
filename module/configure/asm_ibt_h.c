// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe, compiled (never linked) against the target kernel by
 * module/Kbuild: PFS_HAVE_ASM_IBT_H when x86's <asm/ibt.h> exists, with
 * ENDBR, the landing pad of an indirect branch under Indirect Branch
 * Tracking, for assembly (5.18, the IBT series). Before it the kernel
 * has no IBT, and a function needs no landing pad.
 */
#include <asm/ibt.h>

#ifndef ASM_ENDBR
#error "no ENDBR"
#endif
