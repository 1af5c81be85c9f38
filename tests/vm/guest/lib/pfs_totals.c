// SPDX-License-Identifier: GPL-2.0
/*
 * The module's global totals against /proc/vmstat's pgfault, the kernel's
 * count of every fault of every process (pfs_test.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pfs_test.h"

unsigned long long pfs_vmstat(const char *key)
{
	static char buf[16384];
	char pat[64];
	const char *l;

	if (pfs_read_file("/proc/vmstat", buf + 1, sizeof(buf) - 1) <= 0)
		pfs_fail("cannot read /proc/vmstat");
	buf[0] = '\n';
	snprintf(pat, sizeof(pat), "\n%s ", key);
	l = strstr(buf, pat);
	if (!l)
		pfs_fail("/proc/vmstat has no %s line", key);
	return strtoull(l + strlen(pat), NULL, 10);
}

static void totals_read(struct pfs_totals *x)
{
	struct pfs_table *t = pfs_table_get(PFS_PROC_PATH);

	x->minor = pfs_global(t, "minor");
	x->major = pfs_global(t, "major");
	x->retry = pfs_global(t, "retry");
	x->errors = pfs_global(t, "sigbus") + pfs_global(t, "oom") +
		    pfs_global(t, "hwpoison") + pfs_global(t, "segv_mm");
	x->dropped = pfs_global(t, "dropped");
	x->nmissed = pfs_global(t, "nmissed");
	pfs_table_free(t);
}

/*
 * pgfault (a sum of per-CPU event counters, exact at each read) before and
 * after the module's file, until nothing faulted in between.
 */
unsigned long long pfs_totals_snapshot(struct pfs_totals *x)
{
	unsigned long long v, again;
	int tries;

	for (tries = 0; tries < 50; tries++) {
		v = pfs_vmstat("pgfault");
		totals_read(x);
		again = pfs_vmstat("pgfault");
		if (v == again)
			return v;
		usleep(20 * 1000);
	}
	pfs_fail("pgfault never held still for a read of %s", PFS_PROC_PATH);
}

/*
 * Each kernel's rule for pgfault, read in Debian's sources: 5.10 and 6.1
 * count it first thing in handle_mm_fault(), every call, retries included;
 * 6.12 and 7.2 in mm_account_fault(), every call that does not return
 * VM_FAULT_RETRY, errors included.
 */
bool pfs_pgfault_counts_retries(void)
{
	struct utsname u;
	int maj = 0, min = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &maj, &min);
	return maj < 6 || (maj == 6 && min < 12);
}

unsigned long long pfs_totals_pgfault(const struct pfs_totals *a,
				      const struct pfs_totals *b)
{
	unsigned long long calls;

	calls = (b->minor - a->minor) + (b->major - a->major) +
		(b->errors - a->errors);
	if (pfs_pgfault_counts_retries())
		calls += b->retry - a->retry;
	return calls;
}

const char *pfs_pgfault_rule(void)
{
	return pfs_pgfault_counts_retries() ?
	       "pgfault: every handle_mm_fault() call (<= 6.11: minor+major+retry+errors)" :
	       "pgfault: every call not retried (6.12+: minor+major+errors)";
}
