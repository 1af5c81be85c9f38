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
 *
 * Every write is validated whole before anything changes (docs/format.md).
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "pfs.h"

#define PFS_KNOB_MAX	256	/* longest value a knob accepts, newline included */

static struct dentry *pfs_dir;

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

/* A knob that takes exactly "0" or "1". */
static int pfs_knob_bool(const char __user *ubuf, size_t count, loff_t *ppos,
			 bool *val)
{
	char buf[4];
	int ret = pfs_knob_arg(ubuf, count, ppos, buf, sizeof(buf));

	if (ret)
		return ret;
	if (strcmp(buf, "0") && strcmp(buf, "1"))
		return -EINVAL;
	*val = buf[0] == '1';
	return 0;
}

static ssize_t pfs_reset_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	bool val;
	int ret = pfs_knob_bool(ubuf, count, ppos, &val);

	if (ret)
		return ret;
	if (!val)
		return -EINVAL;
	pfs_table_reset();
	pfs_stats_reset();
	pr_info("counters reset\n");
	return count;
}

static const struct file_operations pfs_reset_fops = {
	.owner	= THIS_MODULE,
	.write	= pfs_reset_write,
	.llseek	= noop_llseek,
};

static int pfs_enabled_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", pfs_is_enabled());
	return 0;
}

static ssize_t pfs_enabled_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	bool val;
	int ret = pfs_knob_bool(ubuf, count, ppos, &val);

	if (ret)
		return ret;
	pfs_set_enabled(val);
	return count;
}

static int pfs_pid_filter_show(struct seq_file *m, void *v)
{
	pfs_filter_show_pids(m);
	return 0;
}

static ssize_t pfs_pid_filter_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char buf[PFS_KNOB_MAX];
	int ret = pfs_knob_arg(ubuf, count, ppos, buf, sizeof(buf));

	if (!ret)
		ret = pfs_filter_set_pids(buf);
	return ret ? ret : count;
}

static int pfs_comm_filter_show(struct seq_file *m, void *v)
{
	pfs_filter_show_comm(m);
	return 0;
}

static ssize_t pfs_comm_filter_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	char buf[PFS_KNOB_MAX];
	int ret = pfs_knob_arg(ubuf, count, ppos, buf, sizeof(buf));

	if (!ret)
		ret = pfs_filter_set_comm(buf);
	return ret ? ret : count;
}

/*
 * A read/write knob: seq_file show, validated write. seq_file clears
 * FMODE_PWRITE; set it again so that a write at an offset reaches
 * pfs_knob_arg() and fails with EINVAL like every other bad write.
 */
static int pfs_knob_open(struct file *file, int (*show)(struct seq_file *, void *))
{
	int ret = single_open(file, show, NULL);

	if (!ret)
		file->f_mode |= FMODE_PWRITE;
	return ret;
}

#define PFS_KNOB_FOPS(name)						\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return pfs_knob_open(file, name##_show);			\
}									\
static const struct file_operations name##_fops = {			\
	.owner		= THIS_MODULE,					\
	.open		= name##_open,					\
	.read		= seq_read,					\
	.write		= name##_write,					\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}

PFS_KNOB_FOPS(pfs_enabled);
PFS_KNOB_FOPS(pfs_pid_filter);
PFS_KNOB_FOPS(pfs_comm_filter);

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
	pfs_show_hist(m);
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
	debugfs_create_file("reset", 0200, pfs_dir, NULL, &pfs_reset_fops);
	debugfs_create_file("enabled", 0600, pfs_dir, NULL, &pfs_enabled_fops);
	debugfs_create_file("pid_filter", 0600, pfs_dir, NULL,
			    &pfs_pid_filter_fops);
	debugfs_create_file("comm_filter", 0600, pfs_dir, NULL,
			    &pfs_comm_filter_fops);
	return 0;
}

void pfs_debugfs_exit(void)
{
	debugfs_remove_recursive(pfs_dir);
}
