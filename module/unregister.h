/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unregistering kprobes the kernel may fail to let go of (unregister.c).
 */
#ifndef PFS_UNREGISTER_H
#define PFS_UNREGISTER_H

#include <linux/types.h>

struct kprobe;

/* The most a call takes: the refault sites are the most the module has. */
#define PFS_UNREGISTER_MAX	32

bool pfs_unregister_kprobes(struct kprobe **kps, unsigned int n);

#endif /* PFS_UNREGISTER_H */
