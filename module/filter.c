// SPDX-License-Identifier: GPL-2.0
/*
 * What to count: the enabled switch, and the pid, comm and cgroup filters.
 *
 * Paused, nothing is counted. A filter chooses the processes that get rows
 * (and trace events); the global totals count every fault. The fault path
 * reads a flag, and a filter only to decide for a process (charge.h caches
 * the decision in the process's row, table.c), all behind the static key
 * pfs_gated, which is on only while paused or filtering: otherwise the
 * check is one patched-out jump. Writers (debugfs) build a new filter from
 * the old one, publish it with a new generation, and free the old one
 * after a grace period.
 */
#include <linux/ctype.h>
#include <linux/jump_label.h>
#include <linux/kprobes.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "filter.h"

#define PFS_MAX_PID_FILTER	16

/* A pid list, a comm and a cgroup; any may be empty, not all. */
struct pfs_filter {
	struct rcu_head rcu;
	unsigned int nr_pids;		/* 0: any pid */
	pid_t pids[PFS_MAX_PID_FILTER];
	char comm[TASK_COMM_LEN];	/* "": any comm */
	u64 cgroup;			/* 0: any cgroup, else this subtree's id */
	char *cgroup_arg;		/* the cgroup as written (kmalloc'ed) */
};

/* Which parts of a filter a write replaces. */
#define PFS_FILTER_PIDS		BIT(0)
#define PFS_FILTER_COMM		BIT(1)
#define PFS_FILTER_CGROUP	BIT(2)

bool pfs_enabled = true;
DEFINE_STATIC_KEY_FALSE(pfs_gated);
u32 pfs_filter_gen = PFS_FILTER_GEN & -PFS_FILTER_GEN;	/* the first one */
static struct pfs_filter __rcu *pfs_filter;	/* NULL: count every process */
static DEFINE_MUTEX(pfs_filter_mutex);

/* Turn the fault path's gate check on while paused or a filter is set. */
static void pfs_gate_update(void)
{
	lockdep_assert_held(&pfs_filter_mutex);
	if (!READ_ONCE(pfs_enabled) || rcu_access_pointer(pfs_filter))
		static_branch_enable(&pfs_gated);
	else
		static_branch_disable(&pfs_gated);
}

void pfs_set_enabled(bool on)
{
	mutex_lock(&pfs_filter_mutex);
	WRITE_ONCE(pfs_enabled, on);
	pfs_gate_update();
	mutex_unlock(&pfs_filter_mutex);
}

/*
 * Whether @task's process passes the filters in force, with @comm (if not
 * NULL) as its leader's comm and @cgrp (if not NULL) as its cgroup. Caller
 * holds an RCU read lock (any flavour): from the fault path too, once per
 * process and filter change (charge.h).
 */
bool pfs_wanted(struct task_struct *task, const char *comm, struct cgroup *cgrp)
{
	const struct pfs_filter *f = rcu_dereference_check(pfs_filter,
							   rcu_read_lock_any_held());
	unsigned int i;

	if (!f)
		return true;
	if (f->nr_pids) {
		for (i = 0; i < f->nr_pids; i++)
			if (f->pids[i] == task->tgid)
				break;
		if (i == f->nr_pids)
			return false;
	}
	if (f->comm[0]) {
		if (!comm)
			comm = task->group_leader->comm;
		if (strncmp(f->comm, comm, TASK_COMM_LEN))
			return false;
	}
	if (f->cgroup) {
		if (!cgrp)
			cgrp = pfs_task_cgroup(task->group_leader);
		if (!pfs_cgroup_within(cgrp, f->cgroup))
			return false;
	}
	return true;
}

NOKPROBE_SYMBOL(pfs_wanted);

static void pfs_filter_free(struct pfs_filter *f)
{
	if (f) {
		kfree(f->cgroup_arg);
		kfree(f);
	}
}

static void pfs_filter_free_rcu(struct rcu_head *head)
{
	pfs_filter_free(container_of(head, struct pfs_filter, rcu));
}

/*
 * Publish a filter with the parts @parts of @upd and the other parts of the
 * filter in force, under a new generation: every row decides again. Takes
 * upd->cgroup_arg.
 */
static int pfs_filter_replace(struct pfs_filter *upd, unsigned int parts)
{
	struct pfs_filter *f, *old;
	u32 gen;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		kfree(upd->cgroup_arg);
		return -ENOMEM;
	}
	mutex_lock(&pfs_filter_mutex);
	old = rcu_dereference_protected(pfs_filter,
					lockdep_is_held(&pfs_filter_mutex));
	if (old)
		*f = *old;
	if (parts & PFS_FILTER_PIDS) {
		f->nr_pids = upd->nr_pids;
		memcpy(f->pids, upd->pids, sizeof(f->pids));
	}
	if (parts & PFS_FILTER_COMM)
		memcpy(f->comm, upd->comm, sizeof(f->comm));
	if (parts & PFS_FILTER_CGROUP) {
		f->cgroup = upd->cgroup;
		f->cgroup_arg = upd->cgroup_arg;
	} else if (old && old->cgroup_arg) {
		f->cgroup_arg = kstrdup(old->cgroup_arg, GFP_KERNEL);
		if (!f->cgroup_arg) {
			mutex_unlock(&pfs_filter_mutex);
			kfree(f);
			return -ENOMEM;
		}
	}
	if (!f->nr_pids && !f->comm[0] && !f->cgroup) {
		pfs_filter_free(f);
		f = NULL;
	}
	rcu_assign_pointer(pfs_filter, f);
	/* the filter before its generation: a reader of the new one sees it */
	smp_wmb();
	gen = pfs_filter_gen + (PFS_FILTER_GEN & -PFS_FILTER_GEN);
	if (!(gen & PFS_FILTER_GEN))	/* wrapped: 0 means "none" */
		gen += PFS_FILTER_GEN & -PFS_FILTER_GEN;
	WRITE_ONCE(pfs_filter_gen, gen);
	pfs_gate_update();
	mutex_unlock(&pfs_filter_mutex);
	if (old)
		call_rcu(&old->rcu, pfs_filter_free_rcu);
	return 0;
}

/* "" clears; else 1..16 pids > 0, comma-separated, nothing else. */
static int pfs_parse_pids(const char *buf, struct pfs_filter *f)
{
	char tmp[16];
	size_t len;
	int pid;

	f->nr_pids = 0;
	while (*buf) {
		len = strcspn(buf, ",");
		if (!len || len >= sizeof(tmp) || f->nr_pids == PFS_MAX_PID_FILTER)
			return -EINVAL;
		memcpy(tmp, buf, len);
		tmp[len] = '\0';
		if (kstrtoint(tmp, 10, &pid) || pid <= 0 || pid > PID_MAX_LIMIT)
			return -EINVAL;
		f->pids[f->nr_pids++] = pid;
		buf += len;
		if (*buf == ',' && !*++buf)
			return -EINVAL;		/* trailing comma */
	}
	return 0;
}

int pfs_filter_set_pids(const char *buf)
{
	struct pfs_filter upd = {};
	int ret = pfs_parse_pids(buf, &upd);

	return ret ? ret : pfs_filter_replace(&upd, PFS_FILTER_PIDS);
}

/* What follows the changes of a process: the rename and move tracepoints. */
static bool pfs_watch_renames, pfs_watch_moves;

void pfs_filter_watching(bool renames, bool moves)
{
	mutex_lock(&pfs_filter_mutex);
	pfs_watch_renames = renames;
	pfs_watch_moves = moves;
	mutex_unlock(&pfs_filter_mutex);
}

/*
 * "" clears; else a name of 1..15 bytes, matched exactly. Needs the rename
 * tracepoint (lifecycle.c): without it a renamed process would keep the
 * decision made for its old name.
 */
int pfs_filter_set_comm(const char *buf)
{
	struct pfs_filter upd = {};

	if (strlen(buf) >= TASK_COMM_LEN)
		return -EINVAL;
	if (*buf && !READ_ONCE(pfs_watch_renames))
		return -EOPNOTSUPP;
	strscpy_pad(upd.comm, buf, sizeof(upd.comm));
	return pfs_filter_replace(&upd, PFS_FILTER_COMM);
}

/*
 * "" clears; else a cgroup that exists: its path from the cgroup2 root as
 * /proc/self/cgroup shows it ("/" or "/a/b"), or its id in decimal (the
 * inode number of its directory). Counts that cgroup and all below it.
 * Needs the move tracepoint (lifecycle.c), as the comm filter the rename
 * one.
 */
int pfs_filter_set_cgroup(const char *buf)
{
	struct pfs_filter upd = {};
	int ret;

	if (*buf && !READ_ONCE(pfs_watch_moves))
		return -EOPNOTSUPP;

	if (*buf == '/') {
		ret = pfs_cgroup_path_id(buf, &upd.cgroup);
		if (ret)
			return ret;
	} else if (*buf) {
		if (!isdigit(*buf) || kstrtou64(buf, 10, &upd.cgroup) ||
		    !upd.cgroup || !pfs_cgroup_id_exists(upd.cgroup))
			return -EINVAL;
	}
	if (*buf) {
		upd.cgroup_arg = kstrdup(buf, GFP_KERNEL);
		if (!upd.cgroup_arg)
			return -ENOMEM;
	}
	return pfs_filter_replace(&upd, PFS_FILTER_CGROUP);
}

void pfs_filter_show_pids(struct seq_file *m)
{
	const struct pfs_filter *f;
	unsigned int i;

	rcu_read_lock();
	f = rcu_dereference(pfs_filter);
	for (i = 0; f && i < f->nr_pids; i++)
		seq_printf(m, "%s%d", i ? "," : "", f->pids[i]);
	rcu_read_unlock();
	seq_putc(m, '\n');
}

void pfs_filter_show_comm(struct seq_file *m)
{
	const struct pfs_filter *f;

	rcu_read_lock();
	f = rcu_dereference(pfs_filter);
	if (f)
		seq_puts(m, f->comm);
	rcu_read_unlock();
	seq_putc(m, '\n');
}

/* The cgroup as written, and the id it stands for: "/a/b 1234". */
void pfs_filter_show_cgroup(struct seq_file *m)
{
	const struct pfs_filter *f;

	rcu_read_lock();
	f = rcu_dereference(pfs_filter);
	if (f && f->cgroup && f->cgroup_arg[0] == '/')
		seq_printf(m, "%s %llu", f->cgroup_arg, f->cgroup);
	else if (f && f->cgroup)
		seq_printf(m, "%llu", f->cgroup);
	rcu_read_unlock();
	seq_putc(m, '\n');
}

/* Called after the probes are gone. */
void pfs_filter_exit(void)
{
	rcu_barrier();		/* the old filters' callbacks */
	pfs_filter_free(rcu_dereference_protected(pfs_filter, true));
}
