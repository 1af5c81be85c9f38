// SPDX-License-Identifier: GPL-2.0
/*
 * pagefault_stats: which page faults each process takes, and why.
 *
 * Load order: counters and table first, then the probes that fill them,
 * then the files that show them; unload undoes it in reverse, so no handler
 * runs once the state it writes is freed.
 */
#include <linux/module.h>
#include "pfs.h"
#include "debugfs.h"
#include "filter.h"
#include "probes.h"
#include "procfs.h"
#include "stats.h"
#include "table.h"

unsigned int pfs_max_procs = 8192;
module_param_named(max_procs, pfs_max_procs, uint, 0444);
MODULE_PARM_DESC(max_procs,
		 "rows in the per-process table (16 .. 1048576); exited processes' rows are dropped oldest first to make room");

static int __init pfs_init(void)
{
	int ret;

	if (pfs_max_procs < 16 || pfs_max_procs > (1U << 20)) {
		pr_err("max_procs=%u is out of range (16 .. 1048576)\n",
		       pfs_max_procs);
		return -EINVAL;
	}
	ret = pfs_stats_init();
	if (ret)
		return ret;
	ret = pfs_table_init(pfs_max_procs);
	if (ret)
		goto err_stats;
	ret = pfs_probes_init();
	if (ret)
		goto err_table;
	ret = pfs_procfs_init();
	if (ret)
		goto err_probes;
	pfs_debugfs_init();
	pr_info("version %s loaded: max_procs %u\n", PFS_VERSION, pfs_max_procs);
	return 0;

err_probes:
	pfs_probes_exit();
err_table:
	pfs_table_exit();
err_stats:
	pfs_stats_exit();
	return ret;
}

static void __exit pfs_exit(void)
{
	pfs_debugfs_exit();
	pfs_procfs_exit();
	pfs_probes_exit();
	pfs_table_exit();
	pfs_filter_exit();
	pfs_stats_exit();
}

module_init(pfs_init);
module_exit(pfs_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("pagefault_stats developers");
MODULE_DESCRIPTION("Per-process page-fault statistics: minor, major and invalid faults, with cause");
MODULE_VERSION(PFS_VERSION);
