// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe, compiled (never linked) against the target kernel by
 * module/Kbuild: PFS_HAVE_FPROBE_PT_REGS when the kernel is built with fprobe
 * (5.18; Debian's 6.12 has it, its 6.1 does not) and the handlers take
 * struct pt_regs *, as up to 6.12 (fprobe on ftrace + rethook).
 */
#include <linux/fprobe.h>

#ifndef CONFIG_FPROBE
#error "no fprobe in this kernel"
#endif

static void pfs_probe_exit(struct fprobe *fp, unsigned long ip,
			   unsigned long ret_ip, struct pt_regs *regs,
			   void *data)
{
}

static struct fprobe pfs_probe_fp = {
	.exit_handler	= pfs_probe_exit,
};

int pfs_configure(void);
int pfs_configure(void)
{
	return register_fprobe(&pfs_probe_fp, "handle_mm_fault", NULL);
}
