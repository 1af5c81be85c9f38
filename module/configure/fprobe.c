// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe, compiled (never linked) against the target kernel by
 * module/Kbuild: PFS_HAVE_FPROBE when the kernel is built with fprobe
 * (5.18, commit cad9931f64dc; Debian's 6.12 and 7.2 have it, its 5.10 and
 * 6.1 do not) and its handlers are those of 6.5 on: (fp, entry_ip, ret_ip,
 * regs, entry_data), the entry handler returning int (entry data and the
 * int return: 6.4, commits 76d0de5729c0 and 39d954200bf6; ret_ip: 6.5,
 * commit cb16330d1274). Calling the handlers through the struct with a
 * NULL regs accepts either type of regs (configure/fprobe_ftrace_regs.c
 * tells them apart) and fails to compile on the older prototypes.
 */
#include <linux/fprobe.h>

#ifndef CONFIG_FPROBE
#error "no fprobe in this kernel"
#endif

static struct fprobe pfs_probe_fp = {
	.entry_data_size	= 16,
};

int pfs_configure(void);
int pfs_configure(void)
{
	int skip = pfs_probe_fp.entry_handler(&pfs_probe_fp, 0, 0, NULL, NULL);

	pfs_probe_fp.exit_handler(&pfs_probe_fp, 0, 0, NULL, NULL);
	return skip + register_fprobe(&pfs_probe_fp, "handle_mm_fault", NULL);
}
