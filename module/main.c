// SPDX-License-Identifier: GPL-2.0
/*
 * pagefault_stats: per-process page-fault classification.
 * Skeleton: load, unload, /proc/pagefault_stats.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#define PFS_VERSION "0.1.0"

static int pfs_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "pagefault_stats 1\n");
	return 0;
}

static int __init pfs_init(void)
{
	if (!proc_create_single("pagefault_stats", 0444, NULL, pfs_proc_show)) {
		pr_err("cannot create /proc/pagefault_stats\n");
		return -ENOMEM;
	}
	pr_info("loaded, version %s\n", PFS_VERSION);
	return 0;
}

static void __exit pfs_exit(void)
{
	remove_proc_entry("pagefault_stats", NULL);
	pr_info("unloaded\n");
}

module_init(pfs_init);
module_exit(pfs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-process page-fault statistics: minor, major, invalid, with cause");
MODULE_VERSION(PFS_VERSION);
