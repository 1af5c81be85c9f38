// SPDX-License-Identifier: GPL-2.0
/*
 * File-backed major faults on the ext4 disk, after dropping the pages from
 * the page cache: with MADV_RANDOM one major fault per page; with default
 * readahead a few majors, RETRY results, and the rest minor.  Either way the
 * row equals the kernel's accounting exactly.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pfs_test.h"

#define RANDOM_OFF	(0UL << 20)
#define RANDOM_PAGES	256
#define RA_OFF		(8UL << 20)
#define RA_PAGES	1024

struct file_report {
	size_t resident;		/* pages still cached before the reads */
	struct pfs_faults read;
	unsigned long sum;
};

static void require_disk(void)
{
	if (access(pfs_disk_file(), R_OK))
		pfs_skip("%s is missing: no test disk in this VM", pfs_disk_file());
}

static int w_read_file(off_t off, size_t pages, int advice)
{
	struct file_report r;
	struct pfs_faults a;
	char *p;
	size_t i;

	memset(&r, 0, sizeof(r));
	pfs_settle();
	p = pfs_map_evicted(off, pages * PFS_PAGE, advice, &r.resident);
	a = pfs_faults_self();
	for (i = 0; i < pages; i++)
		r.sum += ((volatile unsigned char *)p)[i * PFS_PAGE];
	r.read = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static int w_random(void *arg)
{
	(void)arg;
	return w_read_file(RANDOM_OFF, RANDOM_PAGES, MADV_RANDOM);
}

static int w_readahead(void *arg)
{
	(void)arg;
	return w_read_file(RA_OFF, RA_PAGES, MADV_NORMAL);
}

static void test_random(void)
{
	const struct pfs_row *row;
	struct file_report r;
	struct pfs_table *t;
	struct pfs_child c;

	require_disk();
	pfs_run(&c, w_random, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_eq("pages cached before the reads", r.resident, 0,
		      "fsync + POSIX_FADV_DONTNEED dropped them (mincore)");
	pfs_expect_eq("major faults reading 256 evicted pages with MADV_RANDOM",
		      r.read.major, RANDOM_PAGES,
		      "no readahead: every page is read from disk in its own fault");
	pfs_expect_eq("minor faults there", r.read.minor, 0,
		      "nothing was cached for fault-around to map");
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_table_free(t);
	t = pfs_check_child(&c, PFS_DEBUGFS_PROCS, &row);
	pfs_expect_ge("file_major", pfs_col(t, row, "file_major"), RANDOM_PAGES,
		      "256 reads from storage in an ext4 file mapping");
	pfs_expect_eq("anon_major", pfs_col(t, row, "anon_major"), 0,
		      "nothing was swapped in");
	pfs_table_free(t);
}

static void test_readahead(void)
{
	const struct pfs_row *row;
	struct file_report r;
	struct pfs_table *t;
	struct pfs_child c;

	require_disk();
	pfs_run(&c, w_readahead, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_eq("pages cached before the reads", r.resident, 0,
		      "fsync + POSIX_FADV_DONTNEED dropped them (mincore)");
	pfs_expect_ge("major faults reading 1024 evicted pages in order", r.read.major, 1,
		      "the first page at least comes from disk");
	pfs_expect_le("minor + major faults there", r.read.minor + r.read.major,
		      RA_PAGES, "at most one fault per page");
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_expect_ge("row retry", pfs_col(t, row, "retry"), 1,
		      "a fault that starts readahead drops the lock and returns VM_FAULT_RETRY");
	pfs_table_free(t);
	t = pfs_check_child(&c, PFS_DEBUGFS_PROCS, &row);
	pfs_expect_ge("file_major", pfs_col(t, row, "file_major"), 1,
		      "at least one read from storage");
	pfs_table_free(t);
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("file majors with MADV_RANDOM: one major per page, row equals rusage",
		 test_random);
	pfs_test("file majors with readahead: retry > 0, row equals rusage",
		 test_readahead);
	return pfs_exit();
}
