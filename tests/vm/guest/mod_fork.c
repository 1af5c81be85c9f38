// SPDX-License-Identifier: GPL-2.0
/*
 * fork + copy-on-write: a child ("forker") touches pages, forks a grandchild
 * that writes them all (one COW fault each), reaps it, and writes them again
 * (one write-protect fault each).  Each process has its own row equal to its
 * own accounting: the forker's without its reaped grandchild's share.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_PAGES 256

struct gc_report {
	struct pfs_faults cow;
};

struct fork_report {
	struct pfs_faults touch, rewrite;
	struct pfs_faults gc_cow;		/* what the grandchild measured */
	pid_t gc_pid;
	unsigned long long gc_start_time;
	unsigned long gc_stat_minflt, gc_stat_majflt;
	long gc_ru_minflt, gc_ru_majflt;
	int gc_status;
	long children_minflt, children_majflt;	/* RUSAGE_CHILDREN at the end */
};

static void write_pages(char *p)
{
	size_t i;

	for (i = 0; i < N_PAGES; i++)
		((volatile char *)p)[i * PFS_PAGE] = (char)i;
}

static int w_grandchild(void *arg)
{
	struct gc_report r;
	struct pfs_faults a;

	pfs_settle();
	a = pfs_faults_self();
	write_pages(arg);
	r.cow = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static int w_forker(void *arg)
{
	static struct pfs_child gc;
	struct fork_report r;
	struct gc_report g;
	struct rusage ru;
	struct pfs_faults a;
	char *p;

	(void)arg;
	memset(&r, 0, sizeof(r));
	pfs_settle();
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	a = pfs_faults_self();
	write_pages(p);
	r.touch = pfs_faults_sub(pfs_faults_self(), a);

	pfs_run(&gc, w_grandchild, p);
	pfs_get_report(&gc, &g, sizeof(g));
	r.gc_cow = g.cow;
	r.gc_pid = gc.pid;
	r.gc_start_time = gc.start_time;
	r.gc_stat_minflt = gc.stat_minflt;
	r.gc_stat_majflt = gc.stat_majflt;
	r.gc_ru_minflt = gc.ru.ru_minflt;
	r.gc_ru_majflt = gc.ru.ru_majflt;
	r.gc_status = gc.status;

	pfs_settle();		/* fork write-protected our data and stack too */
	a = pfs_faults_self();
	write_pages(p);
	r.rewrite = pfs_faults_sub(pfs_faults_self(), a);

	memset(&ru, 0, sizeof(ru));
	getrusage(RUSAGE_CHILDREN, &ru);
	r.children_minflt = ru.ru_minflt;
	r.children_majflt = ru.ru_majflt;
	return pfs_report(&r, sizeof(r));
}

static void test_fork_cow(void)
{
	const struct pfs_row *row;
	struct pfs_child c;
	struct fork_report r;
	struct pfs_table *t;

	pfs_run(&c, w_forker, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_eq("grandchild exit status", r.gc_status, 0, "its workload ran");
	pfs_expect_eq("forker: minor faults writing 256 fresh pages", r.touch.minor,
		      N_PAGES, "one minor per first touch");
	pfs_expect_eq("grandchild: minor faults writing the 256 inherited pages",
		      r.gc_cow.minor, N_PAGES, "one copy-on-write fault per page");
	pfs_expect_eq("forker: minor faults rewriting them after the grandchild exited",
		      r.rewrite.minor, N_PAGES,
		      "fork write-protected them: one reuse fault per page");
	pfs_expect_eq("forker: RUSAGE_CHILDREN minflt before exit", r.children_minflt,
		      c.stat_cminflt, "/proc/<forker>/stat field 11 (cminflt)");

	/* The forker's row: its own faults, not the grandchild's. */
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_expect_eq("forker row minor", pfs_col(t, row, "minor"),
		      c.ru.ru_minflt - r.children_minflt,
		      "wait4 ru_minflt minus the RUSAGE_CHILDREN the forker reported");
	pfs_table_free(t);

	/* The grandchild's row. */
	t = pfs_table_get(PFS_PROC_PATH);
	row = pfs_table_find(t, r.gc_pid, r.gc_start_time);
	if (!row)
		pfs_fail("no row for the grandchild pid %d start_time %llu",
			 (int)r.gc_pid, r.gc_start_time);
	pfs_expect_eq("grandchild row minor", pfs_col(t, row, "minor"),
		      r.gc_ru_minflt, "the forker's wait4 ru_minflt of the grandchild");
	pfs_expect_eq("grandchild row major", pfs_col(t, row, "major"),
		      r.gc_ru_majflt, "the forker's wait4 ru_majflt of the grandchild");
	pfs_expect_eq("grandchild row minor", pfs_col(t, row, "minor"),
		      r.gc_stat_minflt, "/proc/<grandchild>/stat field 10 as a zombie");
	pfs_expect_eq("grandchild row ppid", pfs_col(t, row, "ppid"), c.pid,
		      "the forker's pid");
	pfs_expect_str("grandchild row state", pfs_col_str(t, row, "state"),
		       "exited", "the forker reaped it");
	pfs_expect_eq("forker row ppid", pfs_col(t, pfs_table_find(t, c.pid, c.start_time),
						 "ppid"),
		      getpid(), "this test's pid");
	pfs_table_free(t);

	t = pfs_table_get(PFS_DEBUGFS_PROCS);
	row = pfs_table_find(t, r.gc_pid, r.gc_start_time);
	if (row)
		pfs_expect_ge("grandchild anon_minor", pfs_col(t, row, "anon_minor"),
			      N_PAGES, "256 COW faults on private anonymous pages");
	pfs_table_free(t);
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("fork + COW: parent and child rows each equal their own rusage",
		 test_fork_cow);
	return pfs_exit();
}
