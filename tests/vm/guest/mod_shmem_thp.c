// SPDX-License-Identifier: GPL-2.0
/*
 * Shared anonymous memory (shmem) and transparent huge pages: rows equal the
 * kernel's accounting; shmem faults are classified as shmem in debugfs; a
 * MADV_HUGEPAGE region faults once per 2 MiB.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_PAGES 256
#define HPAGE (2UL << 20)
#define THP_LEN (2 * HPAGE)

struct shm_report {
	struct pfs_faults touch;
};

static int w_shared_anon(void *arg)
{
	struct shm_report r;
	struct pfs_faults a;
	char *p;
	size_t i;

	(void)arg;
	pfs_settle();
	p = mmap(NULL, N_PAGES * PFS_PAGE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	a = pfs_faults_self();
	for (i = 0; i < N_PAGES; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
	r.touch = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

/*
 * A write fault on a fresh shared page dirties it, and the kernel then
 * balances dirty pages (fault_dirty_shared_page()). Up to 5.18 it drops
 * mmap_lock for that and returns VM_FAULT_RETRY: that call is a retry, and
 * the second call, with FAULT_FLAG_TRIED, counts as major although nothing
 * was read. 5.19 added VM_FAULT_COMPLETED for it: one call, a minor fault.
 */
static bool shared_write_retries(void)
{
	unsigned int major = 0, minor = 0;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major < 5 || (major == 5 && minor < 19);
}

static void test_shared_anon(void)
{
	bool retries = shared_write_retries();
	unsigned long long majors = retries ? N_PAGES : 0;
	const struct pfs_row *row;
	struct shm_report r;
	struct pfs_table *t;
	struct pfs_child c;

	pfs_run(&c, w_shared_anon, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_eq("minor faults writing 256 fresh MAP_SHARED|MAP_ANONYMOUS pages",
		      r.touch.minor, N_PAGES - majors, retries ?
		      "none before 5.19: each write fault was retried after dirty balancing" :
		      "one shmem page allocated per write fault");
	pfs_expect_eq("major faults there", r.touch.major, majors, retries ?
		      "before 5.19 the retried call (FAULT_FLAG_TRIED) counts major" :
		      "nothing read from storage");
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	if (retries)
		pfs_expect_ge("retry", pfs_col(t, row, "retry"), N_PAGES,
			      "one VM_FAULT_RETRY per write fault (before 5.19)");
	pfs_table_free(t);
	t = pfs_check_child(&c, PFS_DEBUGFS_PROCS, &row);
	pfs_expect_ge(retries ? "shmem_major" : "shmem_minor",
		      pfs_col(t, row, retries ? "shmem_major" : "shmem_minor"), N_PAGES,
		      "256 faults in a shared anonymous (shmem) VMA");
	pfs_table_free(t);
}

/* ---- THP ------------------------------------------------------------------ */

struct thp_report {
	struct pfs_faults touch;
	unsigned long anon_huge_kb;
};

/* AnonHugePages of the smaps entry starting at addr. */
static unsigned long anon_huge_kb(unsigned long addr)
{
	static char smaps[256 * 1024];
	char key[32], *s;
	unsigned long kb;

	if (pfs_read_file("/proc/self/smaps", smaps, sizeof(smaps)) <= 0)
		return 0;
	snprintf(key, sizeof(key), "%lx-", addr);
	for (s = smaps; s; s = strchr(s, '\n'), s = s ? s + 1 : NULL)
		if (!strncmp(s, key, strlen(key)))
			break;
	if (!s)
		return 0;
	s = strstr(s, "AnonHugePages:");
	if (!s || sscanf(s, "AnonHugePages: %lu", &kb) != 1)
		return 0;
	return kb;
}

static int w_thp(void *arg)
{
	struct thp_report r;
	struct pfs_faults a;
	char *raw, *p;
	size_t i;

	(void)arg;
	pfs_settle();
	raw = mmap(NULL, THP_LEN + HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return 2;
	p = (char *)(((unsigned long)raw + HPAGE - 1) & ~(HPAGE - 1));
	/* Only the aligned part is a VMA of its own with VM_HUGEPAGE. */
	if (madvise(p, THP_LEN, MADV_HUGEPAGE))
		return 3;
	a = pfs_faults_self();
	for (i = 0; i < THP_LEN / PFS_PAGE; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
	r.touch = pfs_faults_sub(pfs_faults_self(), a);
	r.anon_huge_kb = anon_huge_kb((unsigned long)p);
	return pfs_report(&r, sizeof(r));
}

static void test_thp(void)
{
	char mode[256] = "";
	const struct pfs_row *row;
	struct thp_report r;
	struct pfs_table *t;
	struct pfs_child c;

	if (pfs_read_file("/sys/kernel/mm/transparent_hugepage/enabled", mode,
			  sizeof(mode)) <= 0)
		pfs_skip("no /sys/kernel/mm/transparent_hugepage: kernel without THP");
	if (!strstr(mode, "[always]") && !strstr(mode, "[madvise]"))
		pfs_skip("THP is off (%s)", mode);
	pfs_run(&c, w_thp, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_table_free(t);
	if (r.anon_huge_kb != THP_LEN / 1024)
		pfs_skip("the kernel gave %lu kB of huge pages, not %lu (no free 2 MiB pages?)",
			 r.anon_huge_kb, THP_LEN / 1024);
	pfs_expect_eq("minor faults writing every 4 KiB page of 4 MiB of MADV_HUGEPAGE",
		      r.touch.minor, THP_LEN / HPAGE,
		      "one fault maps a whole 2 MiB page (AnonHugePages shows 4096 kB)");
	t = pfs_check_child(&c, PFS_DEBUGFS_PROCS, &row);
	pfs_expect_ge("anon_minor", pfs_col(t, row, "anon_minor"), THP_LEN / HPAGE,
		      "two huge-page faults in a private anonymous VMA");
	pfs_table_free(t);
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("shared anonymous memory: shmem faults, row equals rusage",
		 test_shared_anon);
	pfs_test("THP with MADV_HUGEPAGE: one fault per 2 MiB, row equals rusage",
		 test_thp);
	return pfs_exit();
}
