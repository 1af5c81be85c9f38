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
 *
 * Every swap-in of step 3 is also a refault: reclaim left a shadow entry in
 * the page's swap slot (workingset_eviction()), the swap-in found it
 * (workingset_refault()).  refault_anon = N; whether the kernel also
 * activates (refault_active) or restores (refault_restore) the page is its
 * own rule, which differs between kernels (docs/labs/lab-4-swap.md): the
 * lab compares each column with the kernel's /proc/vmstat workingset_*
 * counters over the same step.  The lab runs in a child created after it
 * turned delay accounting on, so thrash_ns has a value where the kernel
 * can keep one.
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

static const int rcols[] = { C_REFAULT_ANON, C_REFAULT_FILE, C_REFAULT_ACTIVE,
			     C_REFAULT_RESTORE, -1 };

/* The multi-gen LRU's switch: "on", "off", or "absent" (no CONFIG_LRU_GEN). */
static const char *lru_gen(void)
{
	char buf[32];

	if (lab_read_str("/sys/kernel/mm/lru_gen/enabled", buf, sizeof(buf)))
		return "absent";
	return strtoul(buf, NULL, 0) & 1 ? "on" : "off";
}

/*
 * The row's refault columns against the kernel's own counters over the same
 * step (/proc/vmstat; the VM is otherwise idle, so the system's refaults are
 * this process's).
 */
static void check_refaults(const struct lab_row *d, const struct lab_ws *w)
{
	lab_show("refaults (module):", d, rcols);
	lab_say("  %-24s refault_anon=%lld refault_file=%lld refault_active=%lld refault_restore=%lld",
		"/proc/vmstat workingset:", w->refault_anon, w->refault_file, w->active, w->restore);
	if (!w->ok || !w->exact) {
		lab_say("  (no exact /proc/vmstat: stat_refresh needs root; not compared)");
		return;
	}
	lab_expect(d->v[C_REFAULT_ANON] == (unsigned long long)w->refault_anon &&
		   d->v[C_REFAULT_FILE] == (unsigned long long)w->refault_file,
		   "refault_anon, refault_file = the kernel's workingset_refault_anon, _file: %llu, %llu",
		   d->v[C_REFAULT_ANON], d->v[C_REFAULT_FILE]);
	lab_expect(d->v[C_REFAULT_ACTIVE] == (unsigned long long)w->active &&
		   d->v[C_REFAULT_RESTORE] == (unsigned long long)w->restore,
		   "refault_active, refault_restore = the kernel's workingset_activate_*, workingset_restore_*: %llu, %llu",
		   d->v[C_REFAULT_ACTIVE], d->v[C_REFAULT_RESTORE]);
}

static double avg_ns(const struct lab_row *d)
{
	unsigned long long n = d->v[C_MINOR] + d->v[C_MAJOR];

	return n ? (double)d->v[C_FAULT_NS] / n : 0;
}

static size_t n = DEFAULT_PAGES;

static int run(void *arg)
{
	struct lab_row r0, r1, d;
	struct lab_ws w0, w1, wd;
	long long in0, out0;
	size_t i, bad = 0, swapped;
	struct rusage ru0, ru1;
	long sw0, sw1;
	char buf[256];
	char *p;

	(void)arg;
	lab_read_str("/proc/swaps", buf, sizeof(buf));
	lab_say("lab-4: swap, N = %zu pages (%zu MiB); pid %d", n, n / 256, (int)getpid());
	lab_say("  /proc/swaps:\n%s", buf);
	lab_say("  multi-gen LRU (/sys/kernel/mm/lru_gen/enabled): %s", lru_gen());
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
	w0 = lab_ws_read("/proc/vmstat");
	r0 = lab_row_self();
	for (i = 0; i < n; i++)
		bad += p[i * LAB_PAGE] != (char)((i % 251) + 1);
	r1 = lab_row_self();
	w1 = lab_ws_read("/proc/vmstat");
	d = lab_delta(&r1, &r0);
	wd = lab_ws_delta(&w1, &w0);
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
	if (lab_has_refault(&d)) {
		lab_say("  thrash_ns (time waiting on refaulting pages): %s", lab_thrash_str(&d));
		lab_expect(d.v[C_REFAULT_ANON] == swapped,
			   "each page read back from swap is a refault: reclaim left a shadow entry in its swap slot, the swap-in found it: refault_anon %llu = %zu",
			   d.v[C_REFAULT_ANON], swapped);
		check_refaults(&d, &wd);
		/*
		 * The kernel keeps thrashing time only while it reads a page
		 * it marked as working set on refault (PG_workingset, set
		 * where it counts a restore): no restore, no thrash time.
		 */
		if (!d.none[C_THRASH_NS])
			lab_expect(d.v[C_REFAULT_RESTORE] > 0 || d.v[C_THRASH_NS] == 0,
				   "thrash time only for restored pages: thrash_ns %llu with refault_restore %llu",
				   d.v[C_THRASH_NS], d.v[C_REFAULT_RESTORE]);
	} else {
		lab_say("  (this module has no refault columns: load one with issue 11's refault counting)");
	}

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

int main(int argc, char **argv)
{
	struct lab_child c;
	int i, old;

	i = lab_args(argc, argv, "lab-4", " [PAGES]");
	if (i < argc)
		n = strtoul(argv[i], NULL, 0);
	if (n < 16 || n > (1 << 20))
		lab_die("PAGES must be between 16 and 1048576");
	if (!swap_active())
		lab_skip("no swap device is active (/proc/swaps): swapon a zram device or a swap file first");
	/*
	 * thrash_ns needs delay accounting from the process's creation: turn
	 * it on, run the lab in a child made afterwards, put it back.
	 */
	old = lab_delayacct_on();
	if (old != 0)
		return run(NULL);
	lab_say("lab-4: kernel.task_delayacct 0 -> 1 for the lab's process (thrash_ns), restored at the end");
	c = lab_fork(run, NULL);
	lab_wait(&c);
	lab_delayacct_restore(old);
	if (WIFEXITED(c.status))
		return WEXITSTATUS(c.status);
	lab_die("the lab's process %s", lab_status_str(c.status));
}
