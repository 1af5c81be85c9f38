/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invalid-fault probes (invalid.c): kprobes on the architecture's
 * bad-area path (arch.h), for the faults that never reach
 * handle_mm_fault(): SIGSEGV (MAPERR, ACCERR, PKUERR) and kernel EFAULT
 * fixups.
 */
#ifndef PFS_INVALID_H
#define PFS_INVALID_H

#include <linux/types.h>

struct seq_file;

void pfs_invalid_attach(void);
void pfs_invalid_detach(void);
u64 pfs_invalid_nmissed(void);
void pfs_invalid_show_status(struct seq_file *m);
void pfs_invalid_show_pkeys(struct seq_file *m);

#endif /* PFS_INVALID_H */
