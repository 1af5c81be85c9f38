// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 7: transparent huge pages (docs/labs/lab-7-huge-pages.md).
 *
 * The same touch loop as lab 1 (one write per 4 KiB page) over a 2 MiB
 * aligned region, twice:
 *   1  madvise(MADV_NOHUGEPAGE): one minor fault per 4 KiB page, N
 *   2  madvise(MADV_HUGEPAGE): the first fault in each 2 MiB block maps a
 *      whole huge page with one PMD entry: N / 512 faults
 */
#include "lab-common.h"

#define HPAGE (2UL << 20)
#define DEFAULT_MIB 32

static const int cols[] = { C_MINOR, C_MAJOR, C_ANON_MINOR, C_WRITE, C_FAULT_NS, -1 };

/* A 2 MiB aligned private anonymous region of len bytes. */
static char *map_aligned(size_t len)
{
	char *p = mmap(NULL, len + HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		lab_die("mmap: %s", strerror(errno));
	a = (char *)(((unsigned long)p + HPAGE - 1) & ~(HPAGE - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + HPAGE - a);
	return a;
}

static long anon_huge_kb(void)
{
	return lab_keyval("/proc/self/smaps_rollup", "AnonHugePages");
}

static struct lab_row touch(const char *label, size_t len, bool huge, double *secs)
{
	struct lab_row r0, r1, d;
	char *p = map_aligned(len);
	double t0;

	if (madvise(p, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		lab_die("madvise: %s", strerror(errno));
	r0 = lab_row_self();
	t0 = lab_now();
	lab_write_pages(p, len / LAB_PAGE, 1);
	*secs = lab_now() - t0;
	r1 = lab_row_self();
	d = lab_delta(&r1, &r0);
	lab_show(label, &d, cols);
	lab_say("  AnonHugePages of this process: %ld kB; the loop took %.3f s", anon_huge_kb(),
		*secs);
	munmap(p, len);
	return d;
}

int main(int argc, char **argv)
{
	char thp[128];
	struct lab_row d1, d2;
	long long alloc0, fb0, alloc, fb;
	size_t mib = DEFAULT_MIB, n, huge;
	double s1, s2;
	int i;

	i = lab_args(argc, argv, "lab-7", " [MiB]");
	if (i < argc)
		mib = strtoul(argv[i], NULL, 0);
	if (mib < 2 || mib > 4096 || mib % 2)
		lab_die("MiB must be even, 2..4096");
	if (lab_read_str("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof(thp)))
		lab_skip("no /sys/kernel/mm/transparent_hugepage: kernel without THP");
	if (strstr(thp, "[never]"))
		lab_skip("THP is disabled (transparent_hugepage/enabled: %s): echo madvise > /sys/kernel/mm/transparent_hugepage/enabled",
			 thp);
	n = mib * 256;
	huge = mib / 2;
	lab_say("lab-7: transparent huge pages, %zu MiB = %zu pages of 4 KiB = %zu huge pages of 2 MiB; pid %d",
		mib, n, huge, (int)getpid());
	lab_say("  transparent_hugepage/enabled: %s", thp);
	lab_settle();

	lab_step("1. write one byte per 4 KiB page, madvise(MADV_NOHUGEPAGE)");
	d1 = touch("change:", mib << 20, false, &s1);
	lab_expect(d1.v[C_MINOR] == n, "one minor fault per 4 KiB page, %zu: %llu", n, d1.v[C_MINOR]);

	lab_step("2. the same loop, madvise(MADV_HUGEPAGE)");
	alloc0 = lab_keyval("/proc/vmstat", "thp_fault_alloc");
	fb0 = lab_keyval("/proc/vmstat", "thp_fault_fallback");
	d2 = touch("change:", mib << 20, true, &s2);
	alloc = lab_keyval("/proc/vmstat", "thp_fault_alloc") - alloc0;
	fb = lab_keyval("/proc/vmstat", "thp_fault_fallback") - fb0;
	lab_say("  /proc/vmstat: thp_fault_alloc +%lld, thp_fault_fallback +%lld", alloc, fb);
	if (fb > 0)
		lab_say("  (%lld huge page allocations failed and fell back to 4 KiB pages: memory is fragmented)",
			fb);
	lab_expect(d2.v[C_MINOR] >= huge && d2.v[C_MINOR] <= huge + 2,
		   "one fault per 2 MiB, N / 512 = %zu (+2 slack): %llu", huge, d2.v[C_MINOR]);
	lab_expect(alloc >= (long long)huge, "the kernel allocated %zu huge pages: thp_fault_alloc +%lld",
		   huge, alloc);
	if (d2.v[C_MINOR])
		lab_say("  %.0fx fewer faults; each took %.0f us on average instead of %.1f us (it clears 2 MiB, not 4 KiB)",
			(double)d1.v[C_MINOR] / d2.v[C_MINOR],
			d2.v[C_FAULT_NS] / 1e3 / d2.v[C_MINOR],
			d1.v[C_FAULT_NS] / 1e3 / (d1.v[C_MINOR] ? d1.v[C_MINOR] : 1));
	return lab_finish();
}
