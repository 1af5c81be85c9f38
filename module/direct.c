// SPDX-License-Identifier: GPL-2.0
/*
 * mode=direct: handle_mm_fault() through an ftrace direct call to a
 * trampoline of the module's own (arch_*.h, direct_x86.S), fexit style: it
 * calls the function's body itself, between probes.c's entry and exit
 * halves, with the per-call state on its own stack. No kprobe, no ftrace
 * callback, no return-hook pool: what stays is a call and a few stores.
 *
 * Attaching can fail: no trampoline for this architecture, a kernel without
 * direct calls, or another direct caller already on the function (a BPF
 * trampoline: bpftrace's kfunc/kretfunc, a BPF LSM or fentry program).
 * probes.c then falls back to the kretprobe and pfs_direct_why() says why,
 * for its log line and debugfs status.
 *
 * Unloading: once the direct call is gone no new call enters the
 * trampoline, but a call sleeping in the body (a major fault waiting for
 * I/O, a userfaultfd) will still return through it, into this module's
 * text. So detaching waits, as the BPF trampoline's fexit images do: first
 * for an RCU-tasks grace period, after which every call that entered the
 * trampoline has counted itself in pfs_direct_calls (a task preempted in
 * the trampoline before counting is not quiescent for RCU tasks); then
 * for that count to reach zero; then for another grace period, for the
 * last instructions after the count. Sleeping tasks are quiescent for RCU
 * tasks, which is why the count is needed at all.
 */
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include "arch.h"
#include "direct.h"

DEFINE_PER_CPU(long, pfs_direct_calls);

static struct pfs_direct pfs_direct;
static bool pfs_direct_on;
static const char *pfs_direct_reason = "not asked for";

const char *pfs_direct_why(void)
{
	return pfs_direct_reason;
}

/* Why registering the direct call failed with @err, in words. */
static const char *pfs_direct_error(int err)
{
	switch (err) {
	case -EBUSY:
		return "another direct caller (a BPF trampoline?) is on handle_mm_fault";
	case -ENODEV:
	case -ENOTSUPP:
	case -EOPNOTSUPP:
		return "kernel built without CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS";
	case -ENOENT:
	case -EINVAL:
		return "handle_mm_fault's ftrace site is not where this build puts it";
	}
	return "the ftrace direct call could not be registered";
}

int pfs_direct_attach(void)
{
	int ret;

	if (!PFS_ARCH_DIRECT) {
		pfs_direct_reason = "no direct-call trampoline for this architecture";
		return -EOPNOTSUPP;
	}
	pfs_direct.ip = (unsigned long)handle_mm_fault + PFS_FENTRY_OFFSET;
	pfs_direct.addr = pfs_arch_direct_tramp();
	ret = pfs_direct_register(&pfs_direct);
	if (ret) {
		pfs_direct_reason = pfs_direct_error(ret);
		return ret;
	}
	/*
	 * The kernel took the site: it must now be a call there, or the
	 * ftrace record it found is elsewhere in the function and the body
	 * the trampoline calls would not begin past it.
	 */
	if (!pfs_arch_site_calls(pfs_direct.ip)) {
		pfs_direct_unregister(&pfs_direct);
		synchronize_rcu_tasks();
		pfs_direct_reason = "handle_mm_fault's ftrace site is not where this build puts it";
		return -EINVAL;
	}
	pfs_direct_on = true;
	pfs_direct_reason = "in use";
	return 0;
}

static long pfs_direct_in_flight(void)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(pfs_direct_calls, cpu));
	return sum;
}

/*
 * Take the trampoline off handle_mm_fault() and wait until no task can
 * still run it (above). May wait as long as a fault sleeps (a userfaultfd
 * nobody serves: until its task is killed): it says so every 10 seconds,
 * and waits as an idle task, which the hung-task detector leaves alone.
 */
void pfs_direct_detach(void)
{
	unsigned int ticks = 0;
	long n;

	if (!pfs_direct_on)
		return;
	pfs_direct_unregister(&pfs_direct);
	pfs_direct_on = false;
	synchronize_rcu_tasks();
	while ((n = pfs_direct_in_flight()) > 0) {
		if (ticks >= 500) {
			pr_info("unloading: waiting for %ld page faults sleeping in handle_mm_fault to return through the trampoline\n",
				n);
			ticks = 0;
		}
		schedule_timeout_idle(msecs_to_jiffies(20));
		ticks++;
	}
	synchronize_rcu_tasks();
}
