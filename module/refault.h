/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The refault probes (refault.c): the kernel's workingset counting calls,
 * charged to the task that brings a page back.
 */
#ifndef PFS_REFAULT_H
#define PFS_REFAULT_H

#include <linux/types.h>

struct seq_file;

void pfs_refault_attach(void);
void pfs_refault_detach(void);
u64 pfs_refault_nmissed(void);
void pfs_refault_show_status(struct seq_file *m);

#endif /* PFS_REFAULT_H */
