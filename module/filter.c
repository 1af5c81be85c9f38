// SPDX-License-Identifier: GPL-2.0
/*
 * What to count: the enabled switch and the pid / comm filter.
 *
 * The fault path only reads: a flag and one RCU-published filter, and only
 * while the static key pfs_gated says that counting is paused or a filter
 * is set; otherwise the check is one patched-out jump. Writers (debugfs)
 * build a new filter from the old one, publish it, and free the old one
 * after a grace period.
 */
#include <linux/jump_label.h>
#include <linux/kprobes.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "filter.h"

#define PFS_MAX_PID_FILTER	16

/* A pid list and a comm; either may be empty, not both. */
struct pfs_filter {
	struct rcu_head rcu;
	unsigned int nr_pids;		/* 0: any pid */
	pid_t pids[PFS_MAX_PID_FILTER];
	char comm[TASK_COMM_LEN];	/* "": any comm */
};

bool pfs_enabled = true;
DEFINE_STATIC_KEY_FALSE(pfs_gated);
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
 * Whether faults of @task are counted now: counting is on and @task passes
 * the filter. Called only while pfs_gated is on; caller holds an RCU read
 * lock.
 */
bool pfs_wanted(struct task_struct *task)
{
	const struct pfs_filter *f = rcu_dereference_sched(pfs_filter);
	unsigned int i;

	if (!READ_ONCE(pfs_enabled))
		return false;
	if (!f)
		return true;
	if (f->nr_pids) {
		for (i = 0; i < f->nr_pids; i++)
			if (f->pids[i] == task->tgid)
				break;
		if (i == f->nr_pids)
			return false;
	}
	if (f->comm[0] && strncmp(f->comm, task->group_leader->comm, TASK_COMM_LEN))
		return false;
	return true;
}

NOKPROBE_SYMBOL(pfs_wanted);

/*
 * Publish a filter with the pid part of @pids (if not NULL) or @comm (if
 * not NULL) and the other part of the filter in force.
 */
static int pfs_filter_replace(const struct pfs_filter *pids, const char *comm)
{
	struct pfs_filter *f, *old;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_lock(&pfs_filter_mutex);
	old = rcu_dereference_protected(pfs_filter,
					lockdep_is_held(&pfs_filter_mutex));
	if (!pids)
		pids = old;
	if (pids) {
		f->nr_pids = pids->nr_pids;
		memcpy(f->pids, pids->pids, sizeof(f->pids));
	}
	if (!comm && old)
		comm = old->comm;
	if (comm)
		strscpy_pad(f->comm, comm, sizeof(f->comm));
	if (!f->nr_pids && !f->comm[0]) {
		kfree(f);
		f = NULL;
	}
	rcu_assign_pointer(pfs_filter, f);
	pfs_gate_update();
	mutex_unlock(&pfs_filter_mutex);
	if (old)
		kfree_rcu(old, rcu);
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
	struct pfs_filter pids = {};
	int ret = pfs_parse_pids(buf, &pids);

	return ret ? ret : pfs_filter_replace(&pids, NULL);
}

/* "" clears; else a name of 1..15 bytes, matched exactly. */
int pfs_filter_set_comm(const char *buf)
{
	if (strlen(buf) >= TASK_COMM_LEN)
		return -EINVAL;
	return pfs_filter_replace(NULL, buf);
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

/* Called after the probes are gone. */
void pfs_filter_exit(void)
{
	kfree(rcu_dereference_protected(pfs_filter, true));
}
