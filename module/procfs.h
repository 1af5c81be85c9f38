/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/pagefault_stats (procfs.c). */
#ifndef PFS_PROCFS_H
#define PFS_PROCFS_H

int pfs_procfs_init(void);
void pfs_procfs_exit(void);

#endif /* PFS_PROCFS_H */
