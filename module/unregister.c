// SPDX-License-Identifier: GPL-2.0
/*
 * Unregistering kprobes the kernel may fail to let go of.
 *
 * Disarming a kprobe on an ftrace site allocates (ftrace_set_filter_ip()
 * builds a new filter hash). When that allocation fails, unregister_kprobe()
 * warns ("Failed to disarm kprobe-ftrace"), leaves the probe registered and
 * armed, clears its ->addr, and returns nothing: the kernel still points at
 * the struct kprobe, which must then stay. The debug lane's fail-nth test
 * found this with a lookup kprobe on the stack: a general protection fault
 * in get_kprobe() at a later registration. So ->addr is given back and the
 * unregistration tried again; an allocation failure is short-lived.
 */
#include <linux/bug.h>
#include <linux/delay.h>
#include <linux/kprobes.h>

#include "unregister.h"

#define PFS_UNREGISTER_TRIES	50

/*
 * unregister_kprobes(), again for each probe the kernel kept, for about a
 * second. Whether every one is gone: if not, the caller must not free the
 * ones left (their ->addr is set).
 */
bool pfs_unregister_kprobes(struct kprobe **kps, unsigned int n)
{
	kprobe_opcode_t *addr[PFS_UNREGISTER_MAX];
	unsigned int i, tries;
	bool all = true;

	if (WARN_ON_ONCE(n > PFS_UNREGISTER_MAX))
		return false;
	for (i = 0; i < n; i++)
		addr[i] = kps[i]->addr;
	unregister_kprobes(kps, n);
	for (i = 0; i < n; i++) {
		for (tries = 0; !kps[i]->addr && tries < PFS_UNREGISTER_TRIES; tries++) {
			msleep(20);
			kps[i]->addr = addr[i];
			unregister_kprobe(kps[i]);
		}
		if (!kps[i]->addr) {
			/* the kernel keeps it registered: keep it whole */
			kps[i]->addr = addr[i];
			pr_err("cannot unregister the kprobe at %pS: the kernel keeps it\n",
			       addr[i]);
			all = false;
		}
	}
	return all;
}
