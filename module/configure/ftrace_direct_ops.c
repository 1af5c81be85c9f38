// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe, compiled (never linked) against the target kernel by
 * module/Kbuild: PFS_HAVE_FTRACE_DIRECT_OPS when the ftrace direct-call
 * API takes a struct ftrace_ops: register_ftrace_direct(ops, addr) and
 * unregister_ftrace_direct(ops, addr, free_filters), the functions chosen
 * by the ops' filter (6.5, when the _multi calls of 5.16 took over the
 * plain names). Before, register_ftrace_direct(ip, addr) took one
 * function's ftrace site. Whether the kernel has direct calls at all
 * (CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) is told at load: the header's
 * stand-ins fail to register.
 */
#include <linux/ftrace.h>

static struct ftrace_ops pfs_probe_ops;

int pfs_configure(void);
int pfs_configure(void)
{
	return register_ftrace_direct(&pfs_probe_ops, 0) +
	       unregister_ftrace_direct(&pfs_probe_ops, 0, true);
}
