// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe, compiled (never linked) against the target kernel by
 * module/Kbuild: PFS_HAVE_FPROBE_FTRACE_REGS when the kernel is built with
 * fprobe and its handlers take struct ftrace_regs *: fprobe rebuilt on the
 * function-graph tracer in 6.14 (commit 4346ba160409; the handlers' new
 * type: commits 46bc08238856 and 762abbc0d09f). Debian's 7.2 has it.
 */
#include <linux/fprobe.h>

#ifndef CONFIG_FPROBE
#error "no fprobe in this kernel"
#endif

static void pfs_probe_exit(struct fprobe *fp, unsigned long ip,
			   unsigned long ret_ip, struct ftrace_regs *regs,
			   void *data)
{
	ftrace_regs_get_return_value(regs);
	ftrace_regs_get_argument(regs, 2);
}

static struct fprobe pfs_probe_fp = {
	.exit_handler	= pfs_probe_exit,
};

int pfs_configure(void);
int pfs_configure(void)
{
	return register_fprobe(&pfs_probe_fp, "handle_mm_fault", NULL);
}
