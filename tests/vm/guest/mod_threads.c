// SPDX-License-Identifier: GPL-2.0
/*
 * Six threads fault at once, each on its own pages: the process has one row
 * (keyed by its tgid) holding every thread's faults, equal to the kernel's
 * accounting of the whole thread group.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_THREADS 6
#define N_PAGES 256

struct thread_report {
	pid_t tid[N_THREADS];
	struct pfs_faults touch[N_THREADS];
	int created;
};

static struct thread_report rep;
static pthread_barrier_t barrier;
static char *region;

static void *thread_fn(void *arg)
{
	long i = (long)arg;
	struct pfs_faults a;
	size_t k;
	char *p = region + i * N_PAGES * PFS_PAGE;

	rep.tid[i] = gettid();
	pthread_barrier_wait(&barrier);
	a = pfs_faults_thread();
	for (k = 0; k < N_PAGES; k++)
		((volatile char *)p)[k * PFS_PAGE] = 1;
	rep.touch[i] = pfs_faults_sub(pfs_faults_thread(), a);
	return NULL;
}

static int w_threads(void *arg)
{
	pthread_t th[N_THREADS];
	long i;

	(void)arg;
	pfs_settle();
	region = pfs_map_anon(N_THREADS * N_PAGES * PFS_PAGE);
	pthread_barrier_init(&barrier, NULL, N_THREADS);
	for (i = 0; i < N_THREADS; i++) {
		if (pthread_create(&th[i], NULL, thread_fn, (void *)i))
			break;
		rep.created++;
	}
	for (i = 0; i < rep.created; i++)
		pthread_join(th[i], NULL);
	return pfs_report(&rep, sizeof(rep));
}

static void test_threads(void)
{
	struct thread_report r;
	const struct pfs_row *row;
	struct pfs_table *t;
	struct pfs_child c;
	int i, sc, pc;
	size_t k;

	pfs_run(&c, w_threads, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	if (r.created != N_THREADS)
		pfs_fail("only %d of %d threads were created", r.created, N_THREADS);
	for (i = 0; i < N_THREADS; i++)
		pfs_expect_eq("a thread's minor faults (RUSAGE_THREAD) on its 256 pages",
			      r.touch[i].minor, N_PAGES, "one minor per first touch");

	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	/* No thread got a row of its own. */
	pc = pfs_col_index(t, "pid");
	sc = pfs_col_index(t, "start_time");
	for (k = 0; k < t->nrow; k++)
		for (i = 0; i < N_THREADS; i++)
			if (r.tid[i] != c.pid &&
			    atoi(t->row[k].field[pc]) == r.tid[i] &&
			    strtoull(t->row[k].field[sc], NULL, 10) >= c.start_time)
				pfs_expect_true("no row for a thread id", false,
						"a thread's faults went to a row of their own");
	pfs_table_free(t);

	t = pfs_check_child(&c, PFS_DEBUGFS_PROCS, &row);
	pfs_expect_ge("anon_minor", pfs_col(t, row, "anon_minor"), N_THREADS * N_PAGES,
		      "6 threads x 256 first touches, by construction");
	pfs_table_free(t);
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("6 threads: one row for the thread group, equal to its rusage",
		 test_threads);
	return pfs_exit();
}
