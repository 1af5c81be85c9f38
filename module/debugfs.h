/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/kernel/debug/pagefault_stats/ (debugfs.c). */
#ifndef PFS_DEBUGFS_H
#define PFS_DEBUGFS_H

int pfs_debugfs_init(void);
void pfs_debugfs_exit(void);

#endif /* PFS_DEBUGFS_H */
