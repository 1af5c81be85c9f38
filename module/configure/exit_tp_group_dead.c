// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probe, compiled (never linked) against the target kernel by
 * module/Kbuild: PFS_HAVE_EXIT_TP_GROUP_DEAD when sched_process_exit passes
 * (p, bool group_dead): 6.16, commit 3e816361e94a, which also moved the
 * tracepoint before exit_mm(), so faults of the exiting thread can follow
 * it. Before it the tracepoint passes (p) and fires after exit_mm().
 */
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

static void pfs_probe_exit(void *data, struct task_struct *p, bool group_dead)
{
}

int pfs_configure(void);
int pfs_configure(void)
{
	return register_trace_sched_process_exit(pfs_probe_exit, NULL);
}
