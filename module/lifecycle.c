// SPDX-License-Identifier: GPL-2.0
/*
 * The process-lifecycle tracepoints: what happens to a process outside its
 * faults that its row must follow.
 *
 * sched_process_exit   every thread's exit: its thrash time goes to the
 *                      row; the last thread's marks the row exited (in
 *                      light mode, first makes it).
 * sched_process_free   light mode only: a process's final counts.
 * task_rename          a new comm (exec, prctl, /proc/<pid>/comm): the
 *                      comm filter decides the process again.
 * cgroup_attach_task   a move to another cgroup: the cgroup filter
 *                      decides the process again.
 *
 * Each is found by name among the kernel's tracepoints (their prototypes
 * are the same in 5.10 .. 7.2 but for the exit one's, compat.h). Without
 * the rename or move one, the filter that needs it is refused (filter.c).
 */
#include <linux/seq_file.h>
#include <linux/tracepoint.h>
#include "filter.h"
#include "lifecycle.h"
#include "light.h"
#include "table.h"

static bool pfs_light_mode;

static void pfs_exit_probe(PFS_EXIT_TP_ARGS)
{
	bool last = pfs_group_dead(p), counting;

	if (last && pfs_light_mode) {
		rcu_read_lock();
		counting = !pfs_paused() && pfs_wanted(p, NULL, NULL);
		rcu_read_unlock();
		if (counting)
			pfs_light_exit(p);
	}
	pfs_proc_thread_exited(p);
	if (last)
		pfs_proc_exited(p);
}

static void pfs_free_probe(void *data, struct task_struct *p)
{
	pfs_light_free(p);
}

static void pfs_rename_probe(void *data, struct task_struct *task,
			     const char *comm)
{
	pfs_proc_changed(task, comm);
}

static void pfs_move_probe(void *data, struct cgroup *dst, const char *path,
			   struct task_struct *task, bool threadgroup)
{
	pfs_proc_changed(task, NULL);
}

/* A tracepoint the module attaches to. */
struct pfs_tp {
	const char *name;
	const char *key;		/* in debugfs status */
	void *probe;
	bool light_only;
	struct tracepoint *tp;		/* found */
	bool on;			/* attached */
};

enum { PFS_TP_EXIT, PFS_TP_FREE, PFS_TP_RENAME, PFS_TP_MOVE, PFS_NR_TPS };

static struct pfs_tp pfs_tps[PFS_NR_TPS] = {
	[PFS_TP_EXIT]	= { "sched_process_exit", "probe_exit", pfs_exit_probe },
	[PFS_TP_FREE]	= { "sched_process_free", "probe_free", pfs_free_probe, true },
	[PFS_TP_RENAME]	= { "task_rename", "probe_rename", pfs_rename_probe },
	[PFS_TP_MOVE]	= { "cgroup_attach_task", "probe_cgroup_attach", pfs_move_probe },
};

static void pfs_find_tps(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < PFS_NR_TPS; i++)
		if (!strcmp(tp->name, pfs_tps[i].name))
			pfs_tps[i].tp = tp;
}

static void pfs_tp_attach(struct pfs_tp *t)
{
	int ret;

	if (!t->tp)
		return;
	ret = tracepoint_probe_register(t->tp, t->probe, NULL);
	if (ret)
		pr_warn("cannot attach to %s (%d)\n", t->name, ret);
	t->on = !ret;
}

/*
 * Attach what the mode needs. Light mode cannot keep the counts of exited
 * processes without the exit and free tracepoints: it refuses to load.
 */
int pfs_lifecycle_attach(bool light)
{
	int i;

	pfs_light_mode = light;
	for_each_kernel_tracepoint(pfs_find_tps, NULL);
	for (i = 0; i < PFS_NR_TPS; i++)
		if (light || !pfs_tps[i].light_only)
			pfs_tp_attach(&pfs_tps[i]);
	if (light && (!pfs_tps[PFS_TP_EXIT].on || !pfs_tps[PFS_TP_FREE].on)) {
		pr_err("mode=light needs the sched_process_exit and sched_process_free tracepoints\n");
		pfs_lifecycle_detach();
		return -ENOENT;
	}
	if (!pfs_tps[PFS_TP_EXIT].on)
		pr_warn("no sched_process_exit tracepoint: exited processes are detected at read time only\n");
	if (!pfs_tps[PFS_TP_RENAME].on)
		pr_warn("no task_rename tracepoint: comm_filter is not available\n");
	if (!pfs_tps[PFS_TP_MOVE].on)
		pr_warn("no cgroup_attach_task tracepoint: cgroup_filter is not available\n");
	pfs_filter_watching(pfs_tps[PFS_TP_RENAME].on, pfs_tps[PFS_TP_MOVE].on);
	return 0;
}

/* On return no probe runs or will run. */
void pfs_lifecycle_detach(void)
{
	int i;

	pfs_filter_watching(false, false);
	for (i = 0; i < PFS_NR_TPS; i++) {
		if (pfs_tps[i].on)
			tracepoint_probe_unregister(pfs_tps[i].tp,
						    pfs_tps[i].probe, NULL);
		pfs_tps[i].on = false;
	}
	tracepoint_synchronize_unregister();
}

void pfs_lifecycle_show_status(struct seq_file *m)
{
	int i;

	for (i = 0; i < PFS_NR_TPS; i++)
		if (pfs_light_mode || !pfs_tps[i].light_only)
			seq_printf(m, "%s %s\n", pfs_tps[i].key,
				   pfs_tps[i].on ? "attached" : "off");
}
