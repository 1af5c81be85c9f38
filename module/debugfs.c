// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pagefault_stats/: detail for root, and the controls.
 *
 *   procs        per-process detail: cause, access, longest fault
 *   hist         latency histograms
 *   status       probes, misses, parameters
 *   reset        write 1: zero every counter, empty the table
 *   enabled      0 / 1: pause or resume counting
 *   pid_filter   comma-separated pids to count, empty for all
 *   comm_filter  one command name to count, empty for all
 *   cgroup_filter  a cgroup (path or id) whose subtree to count, empty for all
 *
 * Every write is validated whole before anything changes (docs/format.md).
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "pfs.h"
#include "debugfs.h"
#include "doc.h"
#include "filter.h"
#include "probes.h"
#include "stats.h"
#include "table.h"

/* longest value a knob accepts, newline included: a cgroup path */
#define PFS_KNOB_MAX	(PATH_MAX + 1)

static struct dentry *pfs_dir;

/*
 * A control file: reading shows its value (none for a write-only knob),
 * writing hands set() the value, a string without its trailing newline,
 * which set() validates whole before it changes anything.
 */
struct pfs_knob {
	const char *name;
	void (*show)(struct seq_file *m);	/* NULL: write-only */
	int (*set)(const char *val);
};

static int pfs_reset_set(const char *val)
{
	if (strcmp(val, "1"))
		return -EINVAL;
	pfs_table_reset();
	pfs_stats_reset();
	pr_info("counters reset\n");
	return 0;
}

static void pfs_enabled_show(struct seq_file *m)
{
	seq_printf(m, "%d\n", pfs_is_enabled());
}

static int pfs_enabled_set(const char *val)
{
	if (strcmp(val, "0") && strcmp(val, "1"))
		return -EINVAL;
	pfs_set_enabled(val[0] == '1');
	return 0;
}

static const struct pfs_knob pfs_knobs[] = {
	{ "reset",	 NULL,			pfs_reset_set },
	{ "enabled",	 pfs_enabled_show,	pfs_enabled_set },
	{ "pid_filter",	 pfs_filter_show_pids,	pfs_filter_set_pids },
	{ "comm_filter", pfs_filter_show_comm,	pfs_filter_set_comm },
	{ "cgroup_filter", pfs_filter_show_cgroup, pfs_filter_set_cgroup },
};

/*
 * Copy a knob write into @buf as a string without its trailing newline.
 * Only a whole value written at offset 0 is accepted.
 */
static int pfs_knob_arg(const char __user *ubuf, size_t count, loff_t *ppos,
			char *buf, size_t size)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (*ppos != 0 || count == 0 || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (buf[count - 1] == '\n')
		buf[--count] = '\0';
	if (strlen(buf) != count)
		return -EINVAL;		/* embedded NUL */
	return 0;
}

static ssize_t pfs_knob_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	const struct pfs_knob *k = file_inode(file)->i_private;
	char *buf = kmalloc(PFS_KNOB_MAX, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = pfs_knob_arg(ubuf, count, ppos, buf, PFS_KNOB_MAX);
	if (!ret)
		ret = k->set(buf);
	kfree(buf);
	return ret ? ret : count;
}

static int pfs_knob_show(struct seq_file *m, void *v)
{
	const struct pfs_knob *k = m->private;

	k->show(m);
	return 0;
}

/*
 * seq_file clears FMODE_PWRITE; set it again so that a write at an offset
 * reaches pfs_knob_arg() and fails with EINVAL like every other bad write.
 */
static int pfs_knob_open(struct inode *inode, struct file *file)
{
	int ret = single_open(file, pfs_knob_show, inode->i_private);

	if (!ret)
		file->f_mode |= FMODE_PWRITE;
	return ret;
}

static const struct file_operations pfs_knob_fops = {
	.owner		= THIS_MODULE,
	.open		= pfs_knob_open,
	.read		= seq_read,
	.write		= pfs_knob_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static const struct file_operations pfs_knob_wo_fops = {
	.owner	= THIS_MODULE,
	.write	= pfs_knob_write,
	.llseek	= noop_llseek,
};

static int pfs_procs_open(struct inode *inode, struct file *file)
{
	return pfs_doc_open(file, true);
}

static const struct file_operations pfs_procs_fops = {
	.owner		= THIS_MODULE,
	.open		= pfs_procs_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= pfs_doc_release,
};

static int pfs_hist_show(struct seq_file *m, void *v)
{
	pfs_doc_show_hist(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pfs_hist);

static int pfs_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "version %s\n", PFS_VERSION);
	seq_printf(m, "format %d\n", PFS_FORMAT_VERSION);
	seq_printf(m, "enabled %d\n", pfs_is_enabled());
	pfs_probes_show_status(m);
	seq_printf(m, "procs %u\n", pfs_table_count());
	seq_printf(m, "max_procs %u\n", pfs_max_procs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pfs_status);

int pfs_debugfs_init(void)
{
	const struct pfs_knob *k;

	pfs_dir = debugfs_create_dir("pagefault_stats", NULL);
	if (IS_ERR(pfs_dir)) {
		pr_warn("no debugfs directory (%ld): detail and controls are unavailable\n",
			PTR_ERR(pfs_dir));
		pfs_dir = NULL;
		return 0;
	}
	debugfs_create_file("procs", 0400, pfs_dir, NULL, &pfs_procs_fops);
	debugfs_create_file("hist", 0400, pfs_dir, NULL, &pfs_hist_fops);
	debugfs_create_file("status", 0400, pfs_dir, NULL, &pfs_status_fops);
	for (k = pfs_knobs; k < pfs_knobs + ARRAY_SIZE(pfs_knobs); k++)
		debugfs_create_file(k->name, k->show ? 0600 : 0200, pfs_dir,
				    (void *)k, k->show ? &pfs_knob_fops :
							 &pfs_knob_wo_fops);
	return 0;
}

void pfs_debugfs_exit(void)
{
	debugfs_remove_recursive(pfs_dir);
}
