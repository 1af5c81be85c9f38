// SPDX-License-Identifier: GPL-2.0
/*
 * Private anonymous memory: each workload runs in a child whose row in
 * /proc/pagefault_stats (and debugfs procs) must equal the kernel's own
 * accounting of that child exactly, and whose measured section makes a number
 * of faults known by construction (checked against getrusage() inside the
 * child, so the construction itself is verified on the running kernel).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_PAGES 256

/* What a workload measured with getrusage() around its sections. */
struct sections {
	struct pfs_faults s[2];
};

static void expect_section(const char *what, struct pfs_faults got,
			   unsigned long long minor, unsigned long long major,
			   const char *why)
{
	char a[256], b[256];

	snprintf(a, sizeof(a), "kernel minor faults in: %s", what);
	snprintf(b, sizeof(b), "kernel major faults in: %s", what);
	pfs_expect_eq(a, got.minor, minor, why);
	pfs_expect_eq(b, got.major, major,
		      major ? why : "nothing is read from storage or swap");
}

/* Common tail: the row equals the kernel's accounting in both files. */
static void check_rows(const struct pfs_child *c, const char *cause_col,
		       unsigned long long cause_min, const char *access_col,
		       unsigned long long access_min)
{
	const struct pfs_row *r;
	struct pfs_table *t;

	t = pfs_check_child(c, PFS_PROC_PATH, &r);
	pfs_expect_eq("row segv_maperr", pfs_col(t, r, "segv_maperr"), 0,
		      "no access outside a mapping");
	pfs_table_free(t);
	t = pfs_check_child(c, PFS_DEBUGFS_PROCS, &r);
	if (cause_col)
		pfs_expect_ge(cause_col, pfs_col(t, r, cause_col), cause_min,
			      "faults of the measured section, by construction");
	if (access_col)
		pfs_expect_ge(access_col, pfs_col(t, r, access_col), access_min,
			      "faults of the measured section, by construction");
	pfs_table_free(t);
}

static void touch_write(char *p, size_t pages)
{
	size_t i;

	for (i = 0; i < pages; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
}

static void touch_read(char *p, size_t pages)
{
	size_t i;

	for (i = 0; i < pages; i++)
		(void)((volatile char *)p)[i * PFS_PAGE];
}

/* ---- first touch ---------------------------------------------------------- */

static int w_first_touch(void *arg)
{
	struct sections r;
	struct pfs_faults a;
	char *p;

	(void)arg;
	pfs_settle();
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	a = pfs_faults_self();
	touch_write(p, N_PAGES);
	r.s[0] = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static void test_first_touch(void)
{
	struct pfs_child c;
	struct sections r;

	pfs_run(&c, w_first_touch, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	expect_section("writing 256 fresh anonymous pages", r.s[0], N_PAGES, 0,
		       "one minor fault per first touch of a page");
	check_rows(&c, "anon_minor", N_PAGES, "write", N_PAGES);
}

/* ---- zero page, then write ------------------------------------------------ */

static int w_zero_page(void *arg)
{
	struct sections r;
	struct pfs_faults a;
	char *p;

	(void)arg;
	pfs_settle();
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	a = pfs_faults_self();
	touch_read(p, N_PAGES);
	r.s[0] = pfs_faults_sub(pfs_faults_self(), a);
	a = pfs_faults_self();
	touch_write(p, N_PAGES);
	r.s[1] = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static void test_zero_page(void)
{
	struct pfs_child c;
	struct sections r;

	pfs_run(&c, w_zero_page, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	expect_section("reading 256 fresh anonymous pages", r.s[0], N_PAGES, 0,
		       "each read maps the shared zero page: one minor per page");
	expect_section("then writing them", r.s[1], N_PAGES, 0,
		       "each write replaces the zero page: one more minor per page");
	check_rows(&c, "anon_minor", 2 * N_PAGES, "read", N_PAGES);
	{
		const struct pfs_row *row;
		struct pfs_table *t = pfs_check_child(&c, PFS_DEBUGFS_PROCS, &row);

		pfs_expect_ge("write", pfs_col(t, row, "write"), N_PAGES,
			      "256 write faults on zero-page mappings");
		pfs_table_free(t);
	}
}

/* ---- MADV_DONTNEED and touch again ---------------------------------------- */

static int w_dontneed(void *arg)
{
	struct sections r;
	struct pfs_faults a;
	char *p;

	(void)arg;
	pfs_settle();
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	a = pfs_faults_self();
	touch_write(p, N_PAGES);
	r.s[0] = pfs_faults_sub(pfs_faults_self(), a);
	if (madvise(p, N_PAGES * PFS_PAGE, MADV_DONTNEED))
		return 2;
	a = pfs_faults_self();
	touch_write(p, N_PAGES);
	r.s[1] = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static void test_dontneed(void)
{
	struct pfs_child c;
	struct sections r;

	pfs_run(&c, w_dontneed, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	expect_section("writing 256 fresh pages", r.s[0], N_PAGES, 0,
		       "one minor per first touch");
	expect_section("writing them again after MADV_DONTNEED", r.s[1], N_PAGES, 0,
		       "MADV_DONTNEED drops the pages: one minor per page again");
	check_rows(&c, "anon_minor", 2 * N_PAGES, "write", 2 * N_PAGES);
}

/* ---- mremap moves populated pages ----------------------------------------- */

static int w_mremap(void *arg)
{
	struct sections r;
	struct pfs_faults a;
	char *p, *dst, *q;

	(void)arg;
	pfs_settle();
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	dst = mmap(NULL, 2 * N_PAGES * PFS_PAGE, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dst == MAP_FAILED)
		return 2;
	a = pfs_faults_self();
	touch_write(p, N_PAGES);
	r.s[0] = pfs_faults_sub(pfs_faults_self(), a);
	a = pfs_faults_self();
	/* Move (MREMAP_FIXED onto our reservation) and double the size. */
	q = mremap(p, N_PAGES * PFS_PAGE, 2 * N_PAGES * PFS_PAGE,
		   MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (q != dst)
		return 3;
	touch_write(q, 2 * N_PAGES);
	r.s[1] = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static void test_mremap(void)
{
	struct pfs_child c;
	struct sections r;

	pfs_run(&c, w_mremap, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	expect_section("writing 256 fresh pages", r.s[0], N_PAGES, 0,
		       "one minor per first touch");
	expect_section("mremap to a new place at twice the size, then writing all 512",
		       r.s[1], N_PAGES, 0,
		       "moved pages keep their page tables; only the 256 new ones fault");
	check_rows(&c, "anon_minor", 2 * N_PAGES, "write", 2 * N_PAGES);
}

/* ---- stack growth --------------------------------------------------------- */

static unsigned long stack_bottom(void)
{
	static char maps[64 * 1024];
	unsigned long lo = 0, hi;
	char *s;

	if (pfs_read_file("/proc/self/maps", maps, sizeof(maps)) <= 0)
		return 0;
	s = strstr(maps, "[stack]");
	if (!s)
		return 0;
	while (s > maps && s[-1] != '\n')
		s--;
	if (sscanf(s, "%lx-%lx", &lo, &hi) != 2)
		return 0;
	return lo;
}

static int w_stack(void *arg)
{
	struct sections r;
	struct pfs_faults a;
	unsigned long lo;
	size_t i;

	(void)arg;
	pfs_settle();		/* the whole [stack] VMA is populated now */
	lo = stack_bottom();
	if (!lo)
		return 2;
	a = pfs_faults_self();
	/* Grow the stack downwards one fresh page at a time. */
	for (i = 1; i <= N_PAGES; i++)
		*(volatile char *)(lo - i * PFS_PAGE) = 1;
	r.s[0] = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static void test_stack(void)
{
	struct pfs_child c;
	struct sections r;

	pfs_run(&c, w_stack, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	expect_section("writing 256 pages below the stack VMA, top down", r.s[0],
		       N_PAGES, 0, "each write grows the stack by a page: one minor each");
	check_rows(&c, "anon_minor", N_PAGES, "write", N_PAGES);
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("anonymous first touch: one minor per page, row equals rusage",
		 test_first_touch);
	pfs_test("zero-page read then write: two minors per page, row equals rusage",
		 test_zero_page);
	pfs_test("MADV_DONTNEED then re-touch: minors again, row equals rusage",
		 test_dontneed);
	pfs_test("mremap move keeps pages: only new pages fault, row equals rusage",
		 test_mremap);
	pfs_test("stack growth: one minor per new stack page, no segv, row equals rusage",
		 test_stack);
	return pfs_exit();
}
