// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 4: swap (docs/labs/lab-4-swap.md).
 *
 * Anonymous memory has no file to be re-read from: to free it, the kernel
 * writes it to swap and leaves a swap entry in the page table.  Touching
 * the page again is a major fault that reads it back (a swap-in).
 *   1  write N pages                       N minor faults
 *   2  madvise(MADV_PAGEOUT): reclaim them now; VmSwap grows by N pages
 *   3  read them back (and check the data) N major faults (anon_major)
 *   4  read them again                     no fault
 *   5  write them                          N minor faults where a page swapped
 *      in by a read is mapped read-only (6.1; the first write only sets the
 *      bit), none where it is mapped writable at once (6.12, 7.2)
 * "N" after step 2 is the pages that really went to swap: a few pages still
 * in another CPU's LRU batch (not yet on an LRU list) cannot be reclaimed,
 * stay mapped, and take no fault.
 */
#include "lab-common.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define DEFAULT_PAGES 4096

static const int cols[] = { C_MINOR, C_MAJOR, C_RETRY, C_ANON_MINOR, C_ANON_MAJOR,
			    C_READ, C_WRITE, -1 };

static long swap_kb(void)
{
	return lab_keyval("/proc/self/status", "VmSwap");
}

static bool swap_active(void)
{
	char buf[4096], *nl;

	if (lab_read_str("/proc/swaps", buf, sizeof(buf)))
		return false;
	nl = strchr(buf, '\n');		/* the header; a second line = a device */
	return nl && nl[1];
}

static double avg_ns(const struct lab_row *d)
{
	unsigned long long n = d->v[C_MINOR] + d->v[C_MAJOR];

	return n ? (double)d->v[C_FAULT_NS] / n : 0;
}

int main(int argc, char **argv)
{
	struct lab_row r0, r1, d;
	long long in0, out0;
	size_t n = DEFAULT_PAGES, i, bad = 0, swapped;
	struct rusage ru0, ru1;
	long sw0, sw1;
	char buf[256];
	char *p;

	i = lab_args(argc, argv, "lab-4", " [PAGES]");
	if ((int)i < argc)
		n = strtoul(argv[i], NULL, 0);
	if (n < 16 || n > (1 << 20))
		lab_die("PAGES must be between 16 and 1048576");
	if (!swap_active())
		lab_skip("no swap device is active (/proc/swaps): swapon a zram device or a swap file first");
	lab_read_str("/proc/swaps", buf, sizeof(buf));
	lab_say("lab-4: swap, N = %zu pages (%zu MiB); pid %d", n, n / 256, (int)getpid());
	lab_say("  /proc/swaps:\n%s", buf);
	lab_settle();

	lab_step("1. write %zu fresh anonymous pages (each gets its own value)", n);
	p = lab_map_anon(n * LAB_PAGE, false);
	r0 = lab_row_self();
	for (i = 0; i < n; i++)
		memset(p + i * LAB_PAGE, (int)(i % 251) + 1, 64);
	r1 = lab_row_self();
	d = lab_delta(&r1, &r0);
	lab_show("change:", &d, cols);
	lab_expect(d.v[C_MINOR] == n, "%zu minor faults (demand paging): %llu", n, d.v[C_MINOR]);

	lab_step("2. madvise(MADV_PAGEOUT): ask the kernel to reclaim these pages now");
	sw0 = swap_kb();
	out0 = lab_keyval("/proc/vmstat", "pswpout");
	if (madvise(p, n * LAB_PAGE, MADV_PAGEOUT)) {
		if (errno == EINVAL)
			lab_skip("madvise(MADV_PAGEOUT) is not supported by this kernel (needs 5.4)");
		lab_die("madvise(MADV_PAGEOUT): %s", strerror(errno));
	}
	sw1 = swap_kb();
	swapped = (size_t)(sw1 - sw0) / 4;
	lab_say("  VmSwap of this process: %ld kB -> %ld kB (%zu pages now in swap)", sw0, sw1,
		swapped);
	lab_say("  /proc/vmstat pswpout: +%lld pages written to swap",
		lab_keyval("/proc/vmstat", "pswpout") - out0);
	lab_expect(swapped >= n * 9 / 10, "(nearly) all %zu pages went to swap: %zu", n, swapped);

	lab_step("3. read every page back");
	in0 = lab_keyval("/proc/vmstat", "pswpin");
	r0 = lab_row_self();
	for (i = 0; i < n; i++)
		bad += p[i * LAB_PAGE] != (char)((i % 251) + 1);
	r1 = lab_row_self();
	d = lab_delta(&r1, &r0);
	lab_show("change:", &d, cols);
	lab_say("  %.0f ns per fault on average; /proc/vmstat pswpin: +%lld; VmSwap now %ld kB",
		avg_ns(&d), lab_keyval("/proc/vmstat", "pswpin") - in0, swap_kb());
	lab_expect(bad == 0, "the data came back intact: %zu pages differ", bad);
	if (d.has[C_ANON_MAJOR])
		lab_expect(d.v[C_ANON_MAJOR] == swapped,
			   "one anonymous major fault (a swap-in) per page in swap, %zu: anon_major %llu",
			   swapped, d.v[C_ANON_MAJOR]);
	lab_expect(d.v[C_MAJOR] == swapped, "major faults = pages that were in swap, %zu: %llu",
		   swapped, d.v[C_MAJOR]);
	/* a page MADV_PAGEOUT left in memory is still mapped: no fault */
	lab_expect(d.v[C_MAJOR] + d.v[C_MINOR] == swapped,
		   "every page that was in swap faulted once, the %zu left in memory not at all: %llu faults",
		   n - swapped, d.v[C_MAJOR] + d.v[C_MINOR]);

	lab_step("4. read every page again");
	r0 = lab_row_self();
	lab_read_pages(p, n);
	r1 = lab_row_self();
	d = lab_delta(&r1, &r0);
	lab_show("change:", &d, cols);
	lab_expect(d.v[C_MAJOR] + d.v[C_MINOR] == 0, "no fault: the pages are back in memory: %llu",
		   d.v[C_MAJOR] + d.v[C_MINOR]);

	lab_step("5. write every page");
	getrusage(RUSAGE_SELF, &ru0);
	r0 = lab_row_self();
	lab_write_pages(p, n, 7);
	r1 = lab_row_self();
	getrusage(RUSAGE_SELF, &ru1);
	d = lab_delta(&r1, &r0);
	lab_show("change:", &d, cols);
	lab_say("  the kernel's own count (getrusage ru_minflt): +%ld", ru1.ru_minflt - ru0.ru_minflt);
	/*
	 * Which of the two the kernel does is its choice in do_swap_page():
	 * 6.1 maps a page swapped in by a read fault read-only; later kernels
	 * (6.12, 7.2) map it writable at once when it is exclusive to the
	 * process and the VMA is writable.
	 */
	lab_expect(d.v[C_MAJOR] == 0 && (d.v[C_MINOR] == swapped || d.v[C_MINOR] == 0),
		   "%zu minor faults (the swap-in mapped the page read-only, the write makes it writable) or none (the swap-in mapped it writable already): %llu minor, %llu major",
		   swapped, d.v[C_MINOR], d.v[C_MAJOR]);
	lab_expect(d.v[C_MINOR] == (unsigned long long)(ru1.ru_minflt - ru0.ru_minflt),
		   "the module's minor faults = the kernel's: %llu", d.v[C_MINOR]);
	return lab_finish();
}
