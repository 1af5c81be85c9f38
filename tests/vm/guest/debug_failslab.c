// SPDX-License-Identifier: GPL-2.0
/*
 * The debug lane's fault injection on the fault path (issue 13):
 *
 *	debug_failslab
 *
 * The fault path allocates one thing, a process's row (kmem_cache_zalloc
 * of the pfs_proc cache, GFP_NOWAIT). failslab fails a share of those
 * allocations, aimed by cache-filter at that cache alone (the lane boots
 * with slub_debug=A,pfs_proc, which marks it) and by task-filter at the
 * workers alone (make-it-fail, inherited across fork). A worker whose row
 * cannot be made is counted in the totals and as dropped, each fault, and
 * tries again at its next fault. So, for the workers:
 *	dropped's growth == their faults (/proc/<pid>/stat) - their rows' faults
 * and the global totals still grow by /proc/vmstat's pgfault. First every
 * allocation fails (no worker gets a row), then half of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pfs_test.h"

#define FAILSLAB	"/sys/kernel/debug/failslab"
#define CACHE_FLAG	"/sys/kernel/slab/pfs_proc/failslab"
#define WORKERS		100
#define PAGES		64

struct knob {
	const char *name, *value;
	char old[64];
};

static struct knob knobs[] = {
	{ .name = "probability", .value = NULL },	/* set per phase */
	{ .name = "interval", .value = "1" },
	{ .name = "times", .value = "-1" },
	{ .name = "space", .value = "0" },
	{ .name = "verbose", .value = "0" },
	{ .name = "task-filter", .value = "Y" },
	{ .name = "cache-filter", .value = "Y" },
};

#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

struct phase_report {
	unsigned long long stat_faults;	/* the workers' own, /proc/<pid>/stat */
	unsigned long long row_faults;	/* their rows' minor + major */
	unsigned long rows;		/* workers that got a row */
	unsigned long workers;
};

static void knob_path(char *buf, size_t sz, const char *name)
{
	snprintf(buf, sz, "%s/%s", FAILSLAB, name);
}

static void knob_set(const char *name, const char *v)
{
	char path[128];

	knob_path(path, sizeof(path), name);
	pfs_write_or_fail(path, v, "failslab");
}

static void knobs_restore(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < NKNOBS; i++) {
		knob_path(path, sizeof(path), knobs[i].name);
		if (knobs[i].old[0])
			pfs_write_file(path, knobs[i].old, strlen(knobs[i].old));
	}
}

/* In the spawner: workers that inherit make-it-fail, one after another. */
static int spawner(void *arg)
{
	struct phase_report r = { 0 };
	static struct pfs_child c[WORKERS];
	struct pfs_table *t;
	int i;

	(void)arg;
	/* fault in all it will touch, so its own row exists before */
	pfs_settle();
	if (pfs_write_file("/proc/self/make-it-fail", "1", 1))
		pfs_fail("cannot write /proc/self/make-it-fail");
	for (i = 0; i < WORKERS; i++) {
		pfs_run(&c[i], pfs_touch_fresh, PFS_PAGES(PAGES));
		pfs_require_clean_exit(&c[i]);
	}
	if (pfs_write_file("/proc/self/make-it-fail", "0", 1))
		pfs_fail("cannot write /proc/self/make-it-fail");
	t = pfs_table_get(PFS_PROC_PATH);
	for (i = 0; i < WORKERS; i++) {
		const struct pfs_row *row = pfs_table_find(t, c[i].pid, c[i].start_time);

		r.stat_faults += c[i].stat_minflt + c[i].stat_majflt;
		if (row) {
			r.rows++;
			r.row_faults += pfs_col(t, row, "minor") + pfs_col(t, row, "major");
		}
	}
	pfs_table_free(t);
	r.workers = WORKERS;
	return pfs_report(&r, sizeof(r));
}

static void phase(const char *probability, bool all_fail)
{
	struct pfs_totals t0, t1;
	struct phase_report r;
	struct pfs_child s;
	unsigned long long v0, v1, dropped;

	knob_set("probability", probability);
	v0 = pfs_totals_snapshot(&t0);
	pfs_run(&s, spawner, NULL);
	v1 = pfs_totals_snapshot(&t1);
	knob_set("probability", "0");
	pfs_require_clean_exit(&s);
	pfs_get_report(&s, &r, sizeof(r));
	dropped = t1.dropped - t0.dropped;
	pfs_info("probability %s%%: %lu of %lu workers got a row; %llu faults, %llu in rows, dropped %llu",
		 probability, r.rows, r.workers, r.stat_faults, r.row_faults, dropped);
	if (all_fail)
		pfs_expect_eq("workers with a row", r.rows, 0,
			      "every allocation of a row failed");
	else
		pfs_expect_ge("workers with a row", r.rows, 1,
			      "half the allocations succeed; a worker tries at each fault");
	pfs_expect_ge("dropped growth", dropped, all_fail ? r.stat_faults : 1,
		      all_fail ? "every fault of every worker" : "some allocations failed");
	pfs_expect_eq("dropped growth", dropped, r.stat_faults - r.row_faults,
		      "the workers' faults (/proc/<pid>/stat) their rows do not hold");
	pfs_expect_eq("global totals' growth", pfs_totals_pgfault(&t0, &t1), v1 - v0,
		      pfs_pgfault_rule());
	pfs_expect_eq("nmissed growth", t1.nmissed - t0.nmissed, 0,
		      "every fault reached the probes");
}

static void test_failslab(void)
{
	char path[128], flag[16];
	struct pfs_child c;
	struct pfs_table *t;
	size_t i;

	pfs_require_module();
	if (access(FAILSLAB, F_OK))
		pfs_fail("%s is missing: the kernel has no CONFIG_FAILSLAB", FAILSLAB);
	if (pfs_read_file(CACHE_FLAG, flag, sizeof(flag)) < 0 || flag[0] != '1')
		pfs_fail("%s is not 1: boot with slub_debug=A,pfs_proc", CACHE_FLAG);
	for (i = 0; i < NKNOBS; i++) {
		knob_path(path, sizeof(path), knobs[i].name);
		if (pfs_read_file(path, knobs[i].old, sizeof(knobs[i].old)) < 0)
			pfs_fail("cannot read %s", path);
	}
	atexit(knobs_restore);
	for (i = 0; i < NKNOBS; i++)
		if (knobs[i].value)
			knob_set(knobs[i].name, knobs[i].value);
	phase("100", true);
	phase("50", false);
	knobs_restore();
	/* and the module still counts exactly */
	pfs_run(&c, pfs_touch_fresh, PFS_PAGES(PAGES));
	pfs_require_clean_exit(&c);
	t = pfs_check_child(&c, PFS_PROC_PATH, NULL);
	pfs_table_free(t);
}

int main(void)
{
	pfs_begin();
	pfs_test("failslab on the row cache: dropped counts what the rows miss, totals exact",
		 test_failslab);
	return pfs_exit();
}
