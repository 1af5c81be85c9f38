// SPDX-License-Identifier: GPL-2.0
/*
 * What to count: the enabled switch and the pid / comm filters.
 *
 * The fault path only reads: a flag and two RCU-published filters, and only
 * while the static key pfs_gated says that counting is paused or a filter
 * is set; otherwise the check is one patched-out jump. Writers (debugfs)
 * parse into a new filter, publish it, and free the old one after a grace
 * period.
 */
#include <linux/jump_label.h>
#include <linux/kprobes.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "pfs.h"

#define PFS_MAX_PID_FILTER	16

struct pfs_pid_filter {
	struct rcu_head rcu;
	unsigned int nr;
	pid_t pids[PFS_MAX_PID_FILTER];
};

struct pfs_comm_filter {
	struct rcu_head rcu;
	char comm[TASK_COMM_LEN];
};

bool pfs_enabled = true;
DEFINE_STATIC_KEY_FALSE(pfs_gated);
static struct pfs_pid_filter __rcu *pfs_pids;
static struct pfs_comm_filter __rcu *pfs_comm;
static DEFINE_MUTEX(pfs_filter_mutex);

/* Turn the fault path's gate check on while paused or any filter is set. */
static void pfs_gate_update(void)
{
	lockdep_assert_held(&pfs_filter_mutex);
	if (!READ_ONCE(pfs_enabled) || rcu_access_pointer(pfs_pids) ||
	    rcu_access_pointer(pfs_comm))
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
 * the filters. Called only while pfs_gated is on; caller holds an RCU read
 * lock.
 */
bool pfs_wanted(struct task_struct *task)
{
	const struct pfs_pid_filter *pf = rcu_dereference_sched(pfs_pids);
	const struct pfs_comm_filter *cf = rcu_dereference_sched(pfs_comm);
	unsigned int i;

	if (!READ_ONCE(pfs_enabled))
		return false;
	if (pf) {
		for (i = 0; i < pf->nr; i++)
			if (pf->pids[i] == task->tgid)
				break;
		if (i == pf->nr)
			return false;
	}
	if (cf && strncmp(cf->comm, task->group_leader->comm, TASK_COMM_LEN))
		return false;
	return true;
}

NOKPROBE_SYMBOL(pfs_wanted);

/* "" clears; else 1..16 pids > 0, comma-separated, nothing else. */
static int pfs_parse_pids(const char *buf, struct pfs_pid_filter *f)
{
	char tmp[16];
	size_t len;
	int pid;

	f->nr = 0;
	while (*buf) {
		len = strcspn(buf, ",");
		if (!len || len >= sizeof(tmp) || f->nr == PFS_MAX_PID_FILTER)
			return -EINVAL;
		memcpy(tmp, buf, len);
		tmp[len] = '\0';
		if (kstrtoint(tmp, 10, &pid) || pid <= 0 || pid > PID_MAX_LIMIT)
			return -EINVAL;
		f->pids[f->nr++] = pid;
		buf += len;
		if (*buf == ',' && !*++buf)
			return -EINVAL;		/* trailing comma */
	}
	return 0;
}

int pfs_filter_set_pids(const char *buf)
{
	struct pfs_pid_filter *f = NULL, *old;
	int ret;

	if (*buf) {
		f = kzalloc(sizeof(*f), GFP_KERNEL);
		if (!f)
			return -ENOMEM;
		ret = pfs_parse_pids(buf, f);
		if (ret) {
			kfree(f);
			return ret;
		}
	}
	mutex_lock(&pfs_filter_mutex);
	old = rcu_replace_pointer(pfs_pids, f, lockdep_is_held(&pfs_filter_mutex));
	pfs_gate_update();
	mutex_unlock(&pfs_filter_mutex);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/* "" clears; else a name of 1..15 bytes, matched exactly. */
int pfs_filter_set_comm(const char *buf)
{
	struct pfs_comm_filter *f = NULL, *old;
	size_t len = strlen(buf);

	if (len >= TASK_COMM_LEN)
		return -EINVAL;
	if (len) {
		f = kzalloc(sizeof(*f), GFP_KERNEL);
		if (!f)
			return -ENOMEM;
		memcpy(f->comm, buf, len);
	}
	mutex_lock(&pfs_filter_mutex);
	old = rcu_replace_pointer(pfs_comm, f, lockdep_is_held(&pfs_filter_mutex));
	pfs_gate_update();
	mutex_unlock(&pfs_filter_mutex);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

void pfs_filter_show_pids(struct seq_file *m)
{
	const struct pfs_pid_filter *f;
	unsigned int i;

	rcu_read_lock();
	f = rcu_dereference(pfs_pids);
	for (i = 0; f && i < f->nr; i++)
		seq_printf(m, "%s%d", i ? "," : "", f->pids[i]);
	rcu_read_unlock();
	seq_putc(m, '\n');
}

void pfs_filter_show_comm(struct seq_file *m)
{
	const struct pfs_comm_filter *f;

	rcu_read_lock();
	f = rcu_dereference(pfs_comm);
	if (f)
		seq_puts(m, f->comm);
	rcu_read_unlock();
	seq_putc(m, '\n');
}

/* Called after the probes are gone. */
void pfs_filter_exit(void)
{
	kfree(rcu_dereference_protected(pfs_pids, true));
	kfree(rcu_dereference_protected(pfs_comm, true));
}
