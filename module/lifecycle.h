/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process-lifecycle tracepoints (lifecycle.c): exit, free (light mode),
 * rename and cgroup move, attached at load with the probes.
 */
#ifndef PFS_LIFECYCLE_H
#define PFS_LIFECYCLE_H

#include <linux/types.h>

struct seq_file;

int pfs_lifecycle_attach(bool light);
void pfs_lifecycle_detach(void);
void pfs_lifecycle_show_status(struct seq_file *m);

#endif /* PFS_LIFECYCLE_H */
