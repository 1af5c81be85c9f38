// SPDX-License-Identifier: GPL-2.0
/*
 * The debug lane's process churn (issue 13):
 *
 *	debug_many_procs [-r] [PROCS [MAX_PROCS]]	(default 100000, 16)
 *
 * The module loaded with a small max_procs; PROCS short-lived processes from
 * two spawners. Each process touches one fresh page and exits. Most are
 * made as posix_spawn() makes them (clone with CLONE_VM | CLONE_VFORK: a
 * process of its own, with a row of its own, sharing its parent's memory
 * until it exits), every FORK_EVERY-th by fork() (a memory of its own to copy
 * and tear down, four pages touched): the debug kernel spends tens of
 * milliseconds on a fork under TCG, too long for 100,000. Memory stays
 * bounded: once the churn is over the table shows at most MAX_PROCS rows
 * (a read made while processes come and go is made row by row and may show
 * a few more: rows evicted and rows made while it read), and the row cache (its slab, /sys/kernel/slab/pfs_proc, shrunk first so
 * per-CPU slabs and KASAN's quarantine give back what is free) holds at most
 * MAX_PROCS objects, however many processes came and went. The totals stay
 * exact: their growth equals /proc/vmstat's pgfault by the kernel's rule,
 * and nothing was missed.
 *
 * The slab check needs the cache unmerged (the lane boots with
 * slub_debug=A,pfs_proc, which also makes it a failslab target); elsewhere
 * it is skipped, or with -r it fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_test.h"

#define SLAB		"/sys/kernel/slab/pfs_proc"
#define FORKERS		2
#define TOUCH_PAGES	4
#define FORK_EVERY	10
#define REGION_PAGES	1024
#define STACK_SIZE	(64 * 1024)

static unsigned long procs = 100000;
static unsigned long max_procs = 16;
static bool require;

struct shared {
	atomic_ulong done;		/* children reaped */
	atomic_ulong bad;		/* children that did not exit 0 */
	atomic_ulong samples;		/* table reads while the churn ran */
	atomic_ulong max_rows;		/* most rows one read showed */
	atomic_int stop;
};

static struct shared *sh;

/* The cache has a slab of its own (not merged with another): its figures
 * are the module's alone. */
static bool slab_own(void)
{
	char buf[64];

	if (pfs_read_file(SLAB "/aliases", buf, sizeof(buf)) < 0)
		return false;
	return strtoul(buf, NULL, 10) == 0;
}

/* Objects in use in the row cache, after giving back what is free. */
static unsigned long slab_objects(void)
{
	char buf[256];

	if (pfs_write_file(SLAB "/shrink", "1", 1))
		pfs_fail("cannot write %s/shrink", SLAB);
	if (pfs_read_file(SLAB "/objects", buf, sizeof(buf)) < 0)
		pfs_fail("cannot read %s/objects", SLAB);
	return strtoul(buf, NULL, 10);
}

/* A spawned process: one write to a page its parent has not touched since
 * the region was last emptied, one minor fault of its own. */
static int spawned(void *page)
{
	*(volatile char *)page = 1;
	_exit(0);
}

static void forker(unsigned long n)
{
	char *region = pfs_map_anon(REGION_PAGES * PFS_PAGE);
	char *stack = pfs_map_anon(STACK_SIZE);
	unsigned long i;
	int st;

	/* the child's stack, faulted in here: its only fault is its page */
	memset(stack, 0, STACK_SIZE);
	for (i = 0; i < n; i++) {
		pid_t pid;

		if (i % REGION_PAGES == 0)
			madvise(region, REGION_PAGES * PFS_PAGE, MADV_DONTNEED);
		if (i % FORK_EVERY) {
			pid = clone(spawned, stack + STACK_SIZE, CLONE_VM | CLONE_VFORK | SIGCHLD,
				    region + (i % REGION_PAGES) * PFS_PAGE);
		} else {
			pid = fork();
		}
		if (pid == 0) {
			char *p = mmap(NULL, TOUCH_PAGES * PFS_PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			int k;

			if (p == MAP_FAILED)
				_exit(1);
			for (k = 0; k < TOUCH_PAGES; k++)
				p[k * PFS_PAGE] = 1;
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st)) {
			atomic_fetch_add(&sh->bad, 1);
			if (pid < 0)
				usleep(1000);
			continue;
		}
		atomic_fetch_add(&sh->done, 1);
	}
}

/* The table's row count, twice a second, until told to stop. */
static void sampler(void)
{
	while (!atomic_load(&sh->stop)) {
		struct pfs_table *t = pfs_table_read(PFS_PROC_PATH);

		if (t) {
			unsigned long rows = t->nrow;

			if (rows > atomic_load(&sh->max_rows))
				atomic_store(&sh->max_rows, rows);
			atomic_fetch_add(&sh->samples, 1);
			pfs_table_free(t);
		}
		usleep(500 * 1000);
	}
}

static void test_churn(void)
{
	struct pfs_totals t0, t1;
	unsigned long long v0, v1;
	unsigned long obj0 = 0, obj1;
	struct pfs_table *t;
	pid_t f[FORKERS], s;
	bool own;
	char args[64];
	double start;
	int k;

	snprintf(args, sizeof(args), "max_procs=%lu", max_procs);
	if (pfs_module_reload(args))
		pfs_fail("insmod %s failed", args);
	atexit(pfs_module_restore);
	pfs_require_module();
	own = slab_own();
	if (!own && require)
		pfs_fail("%s is not a cache of its own (boot with slub_debug=A,pfs_proc)", SLAB);
	if (own)
		obj0 = slab_objects();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		pfs_fail("mmap: %s", strerror(errno));

	v0 = pfs_totals_snapshot(&t0);
	start = pfs_now();
	s = pfs_fork();
	if (s == 0) {
		sampler();
		_exit(0);
	}
	for (k = 0; k < FORKERS; k++) {
		f[k] = pfs_fork();
		if (f[k] == 0) {
			forker(procs / FORKERS + (k == 0 ? procs % FORKERS : 0));
			_exit(0);
		}
	}
	for (k = 0; k < FORKERS; k++)
		waitpid(f[k], NULL, 0);
	atomic_store(&sh->stop, 1);
	waitpid(s, NULL, 0);
	v1 = pfs_totals_snapshot(&t1);
	pfs_info("%lu processes in %.1f s; %lu table reads meanwhile, %lu rows at most (made row by row); dropped %llu",
		 atomic_load(&sh->done), pfs_now() - start, atomic_load(&sh->samples),
		 atomic_load(&sh->max_rows), t1.dropped - t0.dropped);

	pfs_expect_eq("processes run", atomic_load(&sh->done), procs, "asked for");
	pfs_expect_eq("processes that failed", atomic_load(&sh->bad), 0, "each touches its pages and exits 0");
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_le("rows after the churn", t->nrow, max_procs, "max_procs bounds the table");
	pfs_expect_le("procs after the churn", pfs_global(t, "procs"), max_procs,
		      "max_procs bounds the table");
	pfs_table_free(t);
	pfs_expect_ge("table reads during the churn", atomic_load(&sh->samples), 1,
		      "the sampler ran");
	pfs_expect_eq("global totals' growth", pfs_totals_pgfault(&t0, &t1), v1 - v0,
		      pfs_pgfault_rule());
	pfs_expect_eq("nmissed growth", t1.nmissed - t0.nmissed, 0,
		      "every fault reached the probes");
	if (!own) {
		pfs_info("%s is merged with other caches here: slab check skipped", SLAB);
		return;
	}
	/* rows are freed after an RCU grace period */
	sleep(1);
	obj1 = slab_objects();
	pfs_info("row cache: %lu objects before, %lu after %lu processes", obj0, obj1, procs);
	pfs_expect_le("row cache objects after", obj1, max_procs,
		      "at most max_procs rows, and the cache holds nothing else");
}

int main(int argc, char **argv)
{
	int a = 1;

	if (a < argc && !strcmp(argv[a], "-r")) {
		require = true;
		a++;
	}
	if (a < argc)
		procs = strtoul(argv[a++], NULL, 10);
	if (a < argc)
		max_procs = strtoul(argv[a++], NULL, 10);
	pfs_begin();
	pfs_test("short-lived processes with a small max_procs: memory bounded, totals exact",
		 test_churn);
	return pfs_exit();
}
