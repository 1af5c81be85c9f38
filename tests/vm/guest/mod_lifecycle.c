// SPDX-License-Identifier: GPL-2.0
/*
 * A process's row outlives it, unchanged; a reused pid gets a row of its own
 * (told apart by start time) and the two rows' numbers never mix.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pfs_test.h"

static int w_touch(void *arg)
{
	size_t i, pages = (size_t)(long)arg;
	char *p;

	pfs_settle();
	p = pfs_map_anon(pages * PFS_PAGE);
	for (i = 0; i < pages; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The whole raw row, fields joined by spaces. */
static void row_text(const struct pfs_table *t, const struct pfs_row *r,
		     char *buf, size_t sz)
{
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < t->ncol && n < sz; i++)
		n += snprintf(buf + n, sz - n, "%s%s", i ? " " : "", r->field[i]);
}

static void test_exited_row(void)
{
	char before[1024], after[1024];
	const struct pfs_row *row;
	struct pfs_child c, other;
	struct pfs_table *t;
	int i;

	pfs_run(&c, w_touch, (void *)128L);
	pfs_require_clean_exit(&c);
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	row_text(t, row, before, sizeof(before));
	pfs_table_free(t);

	/* Life goes on: other processes come and go, time passes. */
	for (i = 0; i < 3; i++)
		pfs_run(&other, w_touch, (void *)64L);
	sleep_ms(1100);

	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	row_text(t, row, after, sizeof(after));
	pfs_expect_str("the exited row a second later", after, before,
		       "the same row read right after the child was reaped");
	pfs_table_free(t);
}

static void test_pid_reuse(void)
{
	struct pfs_child first, second;
	const struct pfs_row *r1, *r2;
	char buf[32], before[1024], after[1024];
	struct pfs_table *t;
	bool forced;

	pfs_run(&first, w_touch, (void *)100L);
	pfs_require_clean_exit(&first);
	t = pfs_check_child(&first, PFS_PROC_PATH, &r1);
	row_text(t, r1, before, sizeof(before));
	pfs_table_free(t);

	sleep_ms(50);		/* start_time has 10 ms ticks: be in a later one */
	snprintf(buf, sizeof(buf), "%d", (int)first.pid - 1);
	forced = !pfs_write_file("/proc/sys/kernel/ns_last_pid", buf, strlen(buf));
	pfs_run(&second, w_touch, (void *)300L);
	pfs_require_clean_exit(&second);
	if (second.pid == first.pid)
		pfs_info("pid %d reused (via /proc/sys/kernel/ns_last_pid)", (int)first.pid);
	else
		pfs_info("pid not reused (%d then %d; ns_last_pid %s): checking two "
			 "sequential processes", (int)first.pid, (int)second.pid,
			 forced ? "written" : "not writable");
	pfs_expect_true("start times differ", first.start_time != second.start_time,
			"the two processes started in the same clock tick");

	t = pfs_check_child(&second, PFS_PROC_PATH, &r2);
	r1 = pfs_table_find(t, first.pid, first.start_time);
	if (!r1)
		pfs_fail("the first process's row (pid %d start_time %llu) is gone",
			 (int)first.pid, first.start_time);
	row_text(t, r1, after, sizeof(after));
	pfs_expect_str("the first process's row", after, before,
		       "as read before the second process ran");
	pfs_expect_ge("the second process's row minor", pfs_col(t, r2, "minor"), 300,
		      "it touched 300 fresh pages; none of the first's numbers are in it "
		      "(== its rusage, above)");
	if (second.pid == first.pid)
		pfs_expect_ge("rows with the reused pid", pfs_table_count_pid(t, first.pid), 2,
			      "one per (pid, start_time)");
	pfs_table_free(t);
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("an exited process's row stays, unchanged", test_exited_row);
	pfs_test("a reused pid gets its own row; numbers never mix", test_pid_reuse);
	return pfs_exit();
}
