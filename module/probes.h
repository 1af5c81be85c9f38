/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probes (probes.c): where faults are seen, classified and charged, in
 * the mode chosen at load.
 */
#ifndef PFS_PROBES_H
#define PFS_PROBES_H

#include <linux/types.h>

struct seq_file;

int pfs_probes_init(void);
void pfs_probes_exit(void);
bool pfs_probes_light(void);
const char *pfs_probes_mode(void);
u64 pfs_probes_nmissed(void);
void pfs_probes_show_status(struct seq_file *m);

#endif /* PFS_PROBES_H */
