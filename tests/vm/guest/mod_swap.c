// SPDX-License-Identifier: GPL-2.0
/*
 * Swap-in major faults: pages pushed to zram swap with MADV_PAGEOUT come
 * back with one major fault each, classified anon_major; the row equals the
 * kernel's accounting.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pfs_test.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define N_PAGES 256

struct swap_report {
	size_t swapped;			/* pages mincore() found gone */
	struct pfs_faults fill, read;
	int data_ok;
};

static int w_swap(void *arg)
{
	struct swap_report r;
	unsigned char vec[N_PAGES];
	struct pfs_faults a;
	unsigned long *p;
	size_t i, w, words = PFS_PAGE / sizeof(long);

	(void)arg;
	memset(&r, 0, sizeof(r));
	memset(vec, 0, sizeof(vec));
	pfs_settle();
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	a = pfs_faults_self();
	/* Distinct, not same-filled, content in every page. */
	for (i = 0; i < N_PAGES; i++)
		for (w = 0; w < words; w++)
			p[i * words + w] = i * 0x9e3779b97f4a7c15UL + w;
	r.fill = pfs_faults_sub(pfs_faults_self(), a);
	if (madvise(p, N_PAGES * PFS_PAGE, MADV_PAGEOUT))
		return 2;
	if (mincore(p, N_PAGES * PFS_PAGE, vec))
		return 3;
	for (i = 0; i < N_PAGES; i++)
		r.swapped += !(vec[i] & 1);
	a = pfs_faults_self();
	r.data_ok = 1;
	for (i = 0; i < N_PAGES; i++)
		if (((volatile unsigned long *)p)[i * words + 7] !=
		    i * 0x9e3779b97f4a7c15UL + 7)
			r.data_ok = 0;
	r.read = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static void test_swap(void)
{
	char swaps[4096];
	const struct pfs_row *row;
	struct swap_report r;
	struct pfs_table *t;
	struct pfs_child c;

	if (pfs_read_file("/proc/swaps", swaps, sizeof(swaps)) <= 0 ||
	    !strchr(swaps, '\n') || !strchr(strchr(swaps, '\n') + 1, '/'))
		pfs_skip("no active swap (/proc/swaps is empty)");
	pfs_run(&c, w_swap, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_eq("minor faults filling 256 fresh pages", r.fill.minor, N_PAGES,
		      "one minor per first touch");
	pfs_expect_true("data read back after swap-in", r.data_ok, "pages came back wrong");
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_table_free(t);
	if (r.swapped == 0)
		pfs_skip("MADV_PAGEOUT swapped nothing out (mincore shows all resident)");
	pfs_info("MADV_PAGEOUT swapped out %zu of %d pages", r.swapped, N_PAGES);
	pfs_expect_eq("major faults reading the pages back", r.read.major, r.swapped,
		      "one swap-in (major) per page mincore() saw swapped out");
	pfs_expect_le("minor faults there", r.read.minor, N_PAGES - r.swapped,
		      "only pages left in the swap cache fault as minor");
	t = pfs_check_child(&c, PFS_DEBUGFS_PROCS, &row);
	pfs_expect_ge("anon_major", pfs_col(t, row, "anon_major"), r.swapped,
		      "swap-ins in a private anonymous VMA");
	pfs_expect_eq("file_major", pfs_col(t, row, "file_major"), 0,
		      "nothing was read from a file");
	pfs_table_free(t);
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("swap-in after MADV_PAGEOUT: one anon major per page, row equals rusage",
		 test_swap);
	return pfs_exit();
}
