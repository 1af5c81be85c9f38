// SPDX-License-Identifier: GPL-2.0
/*
 * 64 threads sleep in major faults at once (MADV_RANDOM reads of evicted
 * file pages, each thread its own range): every fault still reaches the
 * module (global nmissed stays 0) and the row equals the kernel's accounting.
 * "mod_maxactive MODE" reloads the module in MODE first (the default, auto,
 * is direct on x86-64, whose trampoline has no pool to run out of: the
 * kretprobe's maxactive gets a run of its own).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_THREADS 64
#define PAGES_PER_THREAD 16
#define FILE_OFF (16UL << 20)

struct mx_report {
	size_t resident;
	int created;
	struct pfs_faults read[N_THREADS];
};

static struct mx_report rep;
static pthread_barrier_t barrier;
static char *region;

static void *reader(void *arg)
{
	long i = (long)arg;
	volatile unsigned char *p = (unsigned char *)region +
				    i * PAGES_PER_THREAD * PFS_PAGE;
	struct pfs_faults a;
	size_t k;

	pthread_barrier_wait(&barrier);
	a = pfs_faults_thread();
	for (k = 0; k < PAGES_PER_THREAD; k++)
		(void)p[k * PFS_PAGE];
	rep.read[i] = pfs_faults_sub(pfs_faults_thread(), a);
	return NULL;
}

static int w_sleepers(void *arg)
{
	pthread_t th[N_THREADS];
	pthread_attr_t attr;
	long i;

	(void)arg;
	pfs_settle();
	region = pfs_map_evicted(FILE_OFF, N_THREADS * PAGES_PER_THREAD * PFS_PAGE,
				 MADV_RANDOM, &rep.resident);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_barrier_init(&barrier, NULL, N_THREADS);
	for (i = 0; i < N_THREADS; i++) {
		if (pthread_create(&th[i], &attr, reader, (void *)i))
			break;
		rep.created++;
	}
	if (rep.created != N_THREADS)
		return 2;	/* the barrier would never open */
	for (i = 0; i < rep.created; i++)
		pthread_join(th[i], NULL);
	return pfs_report(&rep, sizeof(rep));
}

static void test_sleepers(void)
{
	unsigned long long missed_before, missed_after;
	const struct pfs_row *row;
	struct pfs_table *t;
	struct pfs_child c;
	struct mx_report r;
	int i, bad = 0;

	if (access(pfs_disk_file(), R_OK))
		pfs_skip("%s is missing: no test disk in this VM", pfs_disk_file());
	t = pfs_table_get(PFS_PROC_PATH);
	missed_before = pfs_global(t, "nmissed");
	pfs_table_free(t);

	pfs_run(&c, w_sleepers, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_eq("pages cached before the reads", r.resident, 0,
		      "fsync + POSIX_FADV_DONTNEED dropped them (mincore)");
	for (i = 0; i < N_THREADS; i++)
		bad += r.read[i].major != PAGES_PER_THREAD;
	pfs_expect_eq("threads whose 16 reads were not 16 majors (RUSAGE_THREAD)", bad, 0,
		      "MADV_RANDOM: one read from disk per page");

	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	missed_after = pfs_global(t, "nmissed");
	pfs_expect_eq("global nmissed after", missed_after, missed_before,
		      "nmissed before the 64 sleepers");
	pfs_expect_eq("global nmissed", missed_after, 0,
		      "a kretprobe's maxactive is sized for faults that sleep");
	pfs_expect_ge("row major", pfs_col(t, row, "major"), N_THREADS * PAGES_PER_THREAD,
		      "64 threads x 16 major faults");
	pfs_table_free(t);
}

static const char *mode;

static void test_reload(void)
{
	char args[32];

	atexit(pfs_module_restore);
	snprintf(args, sizeof(args), "mode=%s", mode);
	if (pfs_module_reload(args) != 0)
		pfs_fail("insmod %s failed (/tmp/insmod.err)", args);
	pfs_require_module();
}

int main(int argc, char **argv)
{
	pfs_begin();
	if (argc == 2) {
		mode = argv[1];
		pfs_test("module reloaded in the mode asked for", test_reload);
	}
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("64 threads sleeping in major faults: nmissed stays 0, row equals rusage",
		 test_sleepers);
	return pfs_exit();
}
