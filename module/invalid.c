// SPDX-License-Identifier: GPL-2.0
/*
 * The invalid-fault probes: a kprobe on each bad-area site of the
 * architecture (arch.h: x86's __bad_area_nosemaphore(); arm64's signal and
 * kernel-fault functions), which decides whether the call is an invalid
 * fault and which counter it belongs to. Each counted call is charged to
 * current and, while the pagefault_stats:invalid event has a consumer,
 * emitted.
 *
 * All sites or none: with a required site missing, none is kept and
 * invalid faults are not counted (the status says probe_bad_area off),
 * rather than counted in part.
 */
#include <linux/kprobes.h>
#include <linux/pkeys.h>
#include <linux/seq_file.h>
#include "arch.h"
#include "charge.h"
#include "filter.h"
#include "invalid.h"
#include "trace.h"
#include "unregister.h"

DEFINE_PER_CPU(struct pfs_kfault_note, pfs_kfault_note);	/* arch.h */

static struct kprobe pfs_bad_area_kp[PFS_BAD_AREA_SITES ? : 1];
static struct kprobe *pfs_bad_area_kps[PFS_BAD_AREA_SITES ? : 1];
static unsigned int pfs_bad_area_nr;	/* sites registered */
static bool pfs_bad_area_on;

/*
 * A bad-area call: count it if it is an invalid fault; with @ba (only the
 * out-of-line variant for a listened-to invalid event has one) emit the
 * event too. Untraced, what only the event needs is never stored.
 */
static __always_inline void pfs_bad_area(unsigned int site,
					 struct pt_regs *regs,
					 struct pfs_bad_area *ba)
{
	int ctr = pfs_bad_area_read(site, regs, ba);

	if (ctr < 0 || in_nmi() || pfs_paused())
		return;
	if (pfs_count_current(ctr, 1) && ba)
		trace_invalid(ba->address, ba->ip, ba->error_code, ctr, ba->user);
}

static noinline void pfs_bad_area_traced(unsigned int site,
					 struct pt_regs *regs)
{
	struct pfs_bad_area ba;

	pfs_bad_area(site, regs, &ba);
}

NOKPROBE_SYMBOL(pfs_bad_area_traced);

/* A kprobe handler runs with preemption off: an RCU-sched section. */
static int pfs_bad_area_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned int site = kp - pfs_bad_area_kp;

	if (trace_invalid_enabled())
		pfs_bad_area_traced(site, regs);
	else
		pfs_bad_area(site, regs, NULL);
	return 0;
}

NOKPROBE_SYMBOL(pfs_bad_area_pre);

void pfs_invalid_detach(void)
{
	if (pfs_bad_area_nr)
		pfs_unregister_kprobes(pfs_bad_area_kps, pfs_bad_area_nr);
	pfs_bad_area_nr = 0;
	pfs_bad_area_on = false;
}

void pfs_invalid_attach(void)
{
	unsigned int i;
	int ret;

	if (!PFS_BAD_AREA_SITES) {
		pr_info("no bad-area probe on this architecture: invalid faults (segv_*, efault) are not counted\n");
		return;
	}
	for (i = 0; i < PFS_BAD_AREA_SITES; i++) {
		struct kprobe *kp = &pfs_bad_area_kp[i];

		kp->symbol_name = pfs_bad_area_sites[i].symbol;
		kp->pre_handler = pfs_bad_area_pre;
		ret = register_kprobe(kp);
		if (ret == -ENOENT && pfs_bad_area_sites[i].optional)
			continue;
		if (ret) {
			pr_warn("cannot probe %s (%d): invalid faults (segv_*, efault) are not counted\n",
				pfs_bad_area_sites[i].symbol, ret);
			pfs_invalid_detach();
			return;
		}
		pfs_bad_area_kps[pfs_bad_area_nr++] = kp;
	}
	pfs_bad_area_on = true;
}

u64 pfs_invalid_nmissed(void)
{
	return pfs_kprobes_nmissed(pfs_bad_area_kps, pfs_bad_area_nr);
}

/*
 * probe_bad_area_symbol: the sites, comma-separated: those probed, or
 * while off every site of the architecture ("-": it has none).
 */
void pfs_invalid_show_status(struct seq_file *m)
{
	unsigned int i, n = 0;

	seq_printf(m, "probe_bad_area %s\n", pfs_bad_area_on ? "attached" : "off");
	seq_puts(m, "probe_bad_area_symbol ");
	for (i = 0; i < PFS_BAD_AREA_SITES; i++) {
		if (pfs_bad_area_on && !pfs_bad_area_kp[i].addr)
			continue;	/* an optional site this kernel lacks */
		seq_printf(m, "%s%s", n++ ? "," : "", pfs_bad_area_sites[i].symbol);
	}
	seq_printf(m, "%s\n", n ? "" : "-");
}

/* pkeys: whether a protection-key fault (segv_pkuerr) can happen here at all. */
void pfs_invalid_show_pkeys(struct seq_file *m)
{
	seq_printf(m, "pkeys %s\n", arch_pkeys_enabled() ? "available" : "unavailable");
}
