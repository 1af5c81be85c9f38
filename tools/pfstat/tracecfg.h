/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What pfstat asks of tracefs and reads back, as pure functions: the
 * kernel event filters of trace, where and run --where, and the lost
 * events in an instance's per_cpu/cpuN/stats.
 */
#ifndef PFSTAT_TRACECFG_H
#define PFSTAT_TRACECFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pfs_trace_sel {
	const int *tgids;		/* processes (thread groups); none: all */
	size_t ntgids;
	const char *comm;		/* the faulting thread's comm; NULL: any */
	bool major;			/* fault: result major */
	bool errors;			/* fault: oom, sigbus, hwpoison, segv */
};

/*
 * The filter of pagefault_stats:fault and of :invalid for sel, in the
 * kernel's filter syntax ("0": nothing of this event; "" no filter).
 * 0, or -1 if it does not fit in sz or comm cannot be quoted.
 */
int pfs_filter_fault(const struct pfs_trace_sel *sel, char *buf, size_t sz);
int pfs_filter_invalid(const struct pfs_trace_sel *sel, char *buf, size_t sz);
/* Whether :invalid is wanted at all (not with --major alone). */
bool pfs_want_invalid(const struct pfs_trace_sel *sel);

/* Events a per_cpu/cpuN/stats text says were lost: overrun, commit
 * overrun and dropped events. */
uint64_t pfs_stats_lost(const char *text, size_t len);

#endif /* PFSTAT_TRACECFG_H */
