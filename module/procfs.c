// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/pagefault_stats: the totals and one row per process, world-readable
 * like /proc/<pid>/stat. Format: docs/format.md.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include "doc.h"
#include "procfs.h"

static int pfs_procfs_open(struct inode *inode, struct file *file)
{
	return pfs_doc_open(file, false);
}

static const struct proc_ops pfs_procfs_ops = {
	.proc_open	= pfs_procfs_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= pfs_doc_release,
};

int pfs_procfs_init(void)
{
	if (!proc_create("pagefault_stats", 0444, NULL, &pfs_procfs_ops)) {
		pr_err("cannot create /proc/pagefault_stats\n");
		return -ENOMEM;
	}
	return 0;
}

void pfs_procfs_exit(void)
{
	remove_proc_entry("pagefault_stats", NULL);
}
