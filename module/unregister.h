/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arrays of kprobes: unregistering them, which the kernel may fail to let
 * go of (unregister.c), and what they missed.
 */
#ifndef PFS_UNREGISTER_H
#define PFS_UNREGISTER_H

#include <linux/kprobes.h>
#include <linux/types.h>

/* The most a call takes: the refault sites are the most the module has. */
#define PFS_UNREGISTER_MAX	32

bool pfs_unregister_kprobes(struct kprobe **kps, unsigned int n);

/* The hits the @n kprobes of @kps missed (nested in another handler). */
static inline u64 pfs_kprobes_nmissed(struct kprobe * const *kps, unsigned int n)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += kps[i]->nmissed;
	return sum;
}

#endif /* PFS_UNREGISTER_H */
