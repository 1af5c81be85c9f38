// SPDX-License-Identifier: GPL-2.0
/*
 * Selection, sorting, sums and watch-mode deltas.
 */
#include "testlib.h"

static void test_sort_argument(void **state)
{
	int key;
	bool desc;

	(void)state;
	assert_int_equal(pfs_sort_parse("major", &key, &desc), 0);
	assert_int_equal(key, PFS_MAJOR);
	assert_true(desc);
	assert_int_equal(pfs_sort_parse("pid", &key, &desc), 0);
	assert_int_equal(key, PFS_SORT_PID);
	assert_false(desc);
	assert_int_equal(pfs_sort_parse("+minor", &key, &desc), 0);
	assert_false(desc);
	assert_int_equal(pfs_sort_parse("-comm", &key, &desc), 0);
	assert_true(desc);
	assert_int_equal(pfs_sort_parse("time", &key, &desc), 0);
	assert_int_equal(key, PFS_FAULT_NS);
	assert_int_equal(pfs_sort_parse("anon_major", &key, &desc), 0);
	/* thrash: the THRASH column, working-set refaults, largest first */
	assert_int_equal(pfs_sort_parse("thrash", &key, &desc), 0);
	assert_int_equal(key, PFS_REFAULT_ACTIVE);
	assert_true(desc);
	assert_int_equal(pfs_sort_parse("thrash_ns", &key, &desc), 0);
	assert_int_equal(key, PFS_THRASH_NS);
	assert_int_equal(pfs_sort_parse("bogus", &key, &desc), -1);
}

static void test_pid_list(void **state)
{
	int *p = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(pfs_pids_parse("1,22,333", &p, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[2], 333);
	free(p);
	p = NULL;
	n = 0;
	assert_int_equal(pfs_pids_parse("1,,2", &p, &n), -1);
	free(p);
	p = NULL;
	n = 0;
	assert_int_equal(pfs_pids_parse("0", &p, &n), -1);
	assert_int_equal(pfs_pids_parse("-5", &p, &n), -1);
	assert_int_equal(pfs_pids_parse("4294967296", &p, &n), -1);
	assert_int_equal(pfs_pids_parse("7,", &p, &n), -1);
	free(p);
}

static size_t sel(const struct pfs_table *t, struct pfs_select *s,
		  const struct pfs_row **rows)
{
	return pfs_select_rows(t, s, rows);
}

static void test_filters(void **state)
{
	struct pfs_table t;
	const struct pfs_row *rows[16];
	struct pfs_select s = { .sort_key = PFS_SORT_PID };
	int pids[] = { 1234, 733 };

	(void)state;
	load_table("proc_basic.txt", &t);
	assert_int_equal(sel(&t, &s, rows), 8);
	s.alive = true;
	assert_int_equal(sel(&t, &s, rows), 5);
	s.alive = false;
	s.exited = true;
	assert_int_equal(sel(&t, &s, rows), 3);
	s.alive = true;		/* both: everything */
	assert_int_equal(sel(&t, &s, rows), 8);
	s.alive = s.exited = false;
	s.pids = pids;
	s.npids = 2;
	/* pid 1234 names two processes (make, then Web Content) */
	assert_int_equal(sel(&t, &s, rows), 3);
	assert_int_equal(rows[0]->pid, 733);
	s.npids = 0;
	s.comm = "Web Content";
	assert_int_equal(sel(&t, &s, rows), 1);
	s.comm = "Web";
	assert_int_equal(sel(&t, &s, rows), 0);
	pfs_table_free(&t);
}

static void test_sort_and_top(void **state)
{
	struct pfs_table t;
	const struct pfs_row *rows[16];
	struct pfs_select s = { .sort_key = PFS_SORT_TOTAL, .sort_desc = true };

	(void)state;
	load_table("proc_basic.txt", &t);
	s.top = 3;
	assert_int_equal(sel(&t, &s, rows), 3);
	assert_int_equal(rows[0]->pid, 1234);	/* 1520330 + 140 */
	assert_int_equal(rows[1]->pid, 1310);	/* 342233 + 5 */
	assert_int_equal(rows[2]->pid, 1);	/* 10234 + 51 */
	s.top = 0;
	s.sort_key = PFS_MAJOR;
	assert_int_equal(sel(&t, &s, rows), 8);
	assert_int_equal(rows[1]->pid, 1);	/* 51 */
	assert_int_equal(rows[2]->pid, 412);	/* 12 */
	/* ties (3 each) by pid: 733, then 1201 */
	assert_int_equal(rows[4]->pid, 733);
	assert_int_equal(rows[5]->pid, 1201);
	s.sort_key = PFS_SORT_COMM;
	s.sort_desc = false;
	sel(&t, &s, rows);
	assert_string_equal(rows[0]->comm, "Web Content");	/* 'W' < 'b' */
	assert_string_equal(rows[1]->comm, "bash");
	s.sort_key = PFS_SORT_INVALID;
	s.sort_desc = true;
	sel(&t, &s, rows);
	assert_int_equal(rows[0]->pid, 1302);
	assert_int_equal(pfs_row_invalid(rows[0]), 3);
	pfs_table_free(&t);
}

static void test_add_saturates(void **state)
{
	(void)state;
	assert_true(pfs_add_sat(0, 0) == 0);
	assert_true(pfs_add_sat(2, 3) == 5);
	assert_true(pfs_add_sat(UINT64_MAX - 1, 1) == UINT64_MAX);
	assert_true(pfs_add_sat(1, UINT64_MAX - 1) == UINT64_MAX);
	assert_true(pfs_add_sat(UINT64_MAX - 1, 2) == UINT64_MAX);
	assert_true(pfs_add_sat(UINT64_MAX, UINT64_MAX) == UINT64_MAX);
	assert_true(pfs_add_sat(1ULL << 63, 1ULL << 62) == 3ULL << 62);
}

static void test_sums_saturate(void **state)
{
	struct pfs_table t;
	const struct pfs_row *rows[4];
	struct pfs_select s = { .sort_key = PFS_SORT_TOTAL, .sort_desc = true };
	struct pfs_row sum;
	size_t n;

	(void)state;
	load_table("proc_max_u64.txt", &t);
	n = sel(&t, &s, rows);
	pfs_sum_rows(rows, n, &sum);
	assert_true(sum.v[PFS_MINOR] == UINT64_MAX);
	assert_true(sum.v[PFS_MAJOR] == UINT64_MAX);
	assert_true(pfs_row_key(rows[0], PFS_SORT_TOTAL) == UINT64_MAX);
	pfs_table_free(&t);
}

static void test_sum_of_basic(void **state)
{
	struct pfs_table t;
	const struct pfs_row *rows[16];
	struct pfs_select s = { .sort_key = PFS_SORT_NONE, .exited = true };
	struct pfs_row sum;
	size_t n;

	(void)state;
	load_table("proc_basic.txt", &t);
	n = sel(&t, &s, rows);
	pfs_sum_rows(rows, n, &sum);
	/* exited: make 190 + crashme 88 + cc1 342233 */
	assert_int_equal(sum.v[PFS_MINOR], 342511);
	assert_int_equal(sum.v[PFS_MAJOR], 5);
	assert_int_equal(sum.v[PFS_FAULT_NS], 120005 + 98765 + 39541237);
	assert_int_equal(sum.v[PFS_START_TIME], 0);	/* identity, not summed */
	pfs_table_free(&t);
}

/* thrash_ns sums the rows that know it; unknown only if none does. */
static void test_sum_of_refaults_and_thrash(void **state)
{
	struct pfs_table t;
	const struct pfs_row *rows[8];
	int pids[] = { 1, 733, 1201 };
	struct pfs_select s = { .sort_key = PFS_SORT_PID };
	struct pfs_row sum;
	size_t n;

	(void)state;
	load_table("proc_refault.txt", &t);
	n = sel(&t, &s, rows);
	assert_int_equal(n, 5);
	pfs_sum_rows(rows, n, &sum);
	/* refault_active: systemd 3 + lab-5 37800 + cat 197 */
	assert_int_equal(sum.v[PFS_REFAULT_ACTIVE], 38000);
	assert_int_equal(sum.v[PFS_REFAULT_FILE], 12 + 2 + 1 + 200 + 22787);
	/* thrash_ns: lab-5 7.25 s + cat 3.4 ms; the three "-" left out */
	assert_true(sum.v[PFS_THRASH_NS] == 7250000000ULL + 3400000);
	assert_true(pfs_row_known(t.have, &sum, PFS_THRASH_NS));
	/* systemd, sshd, bash: none knows its thrash time */
	s.pids = pids;
	s.npids = 3;
	n = sel(&t, &s, rows);
	assert_int_equal(n, 3);
	pfs_sum_rows(rows, n, &sum);
	assert_int_equal(sum.v[PFS_REFAULT_ACTIVE], 3);
	assert_false(pfs_row_known(t.have, &sum, PFS_THRASH_NS));
	assert_true(pfs_row_known(t.have, &sum, PFS_REFAULT_ACTIVE));
	/* no rows: a total of 0, known */
	pfs_sum_rows(rows, 0, &sum);
	assert_true(pfs_row_known(t.have, &sum, PFS_THRASH_NS));
	pfs_table_free(&t);
}

static void parse_str(const char *s, struct pfs_table *t)
{
	struct pfs_err e;
	int r = pfs_parse_table(s, strlen(s), t, &e);

	if (r)
		print_error("%u: %s\n", e.line, e.msg);
	assert_int_equal(r, 0);
}

/* a and b parsed from two readings, d the delta from a to b. */
static void delta_of(const char *before, const char *after, struct pfs_table *a,
		     struct pfs_table *b, struct pfs_table *d)
{
	parse_str(before, a);
	parse_str(after, b);
	assert_int_equal(pfs_table_delta(a, b, d), 0);
}

#define HDR "pid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault hwpoison segv_mm remote fault_ns start_time ppid\n"

/* pid 10 counts on, pid 20 is reused by another process, pid 30 is new. */
static const char delta_before[] =
	"pagefault_stats 1\nminor 100\nmode kretprobe\nprocs 2\n\n" HDR
	"10 a alive 50 1 0 0 0 0 0 0 0 0 0 0 1000 5 1\n"
	"20 b alive 40 0 0 0 0 0 0 0 0 0 0 0 500 6 1\n";
static const char delta_after[] =
	"pagefault_stats 1\nminor 180\nmode kretprobe\nprocs 3\n\n" HDR
	"10 a alive 90 3 0 1 0 0 0 0 0 0 0 0 1500 5 1\n"
	"20 c alive 7 0 0 0 0 0 0 0 0 0 0 0 70 99 1\n"
	"30 d alive 5 0 0 0 0 0 0 0 0 0 0 0 10 100 10\n";

static void test_delta(void **state)
{
	struct pfs_table a, b, d;
	const struct pfs_row *r;
	uint64_t v;

	(void)state;
	delta_of(delta_before, delta_after, &a, &b, &d);
	assert_int_equal(d.nrows, 3);
	r = row_by_pid(&d, 10);
	assert_int_equal(r->v[PFS_MINOR], 40);		/* 90 - 50 */
	assert_int_equal(r->v[PFS_MAJOR], 2);
	assert_int_equal(r->v[PFS_SEGV_MAPERR], 1);
	assert_int_equal(r->v[PFS_FAULT_NS], 500);
	assert_int_equal(r->v[PFS_START_TIME], 5);	/* identity kept */
	/* pid 20 was reused (start_time 6 -> 99): the new process counts from 0 */
	r = row_by_pid(&d, 20);
	assert_int_equal(r->v[PFS_MINOR], 7);
	assert_string_equal(r->comm, "c");
	assert_int_equal(row_by_pid(&d, 30)->v[PFS_MINOR], 5);
	assert_true(pfs_global_u64(&d, "minor", &v));
	assert_int_equal(v, 80);
	assert_true(pfs_global_u64(&d, "procs", &v));	/* a gauge: current value */
	assert_int_equal(v, 3);
	pfs_table_free(&d);
	/* Reset in between: counters went down, the new values are the delta. */
	assert_int_equal(pfs_table_delta(&b, &a, &d), 0);
	assert_int_equal(row_by_pid(&d, 10)->v[PFS_MINOR], 50);
	assert_true(pfs_global_u64(&d, "minor", &v));
	assert_int_equal(v, 100);
	pfs_table_free(&d);
	pfs_table_free(&a);
	pfs_table_free(&b);
}

#define HDR_REFAULT "pid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault hwpoison segv_mm remote fault_ns start_time ppid refault_anon refault_file refault_active refault_restore thrash_ns\n"

/* thrash_ns: pid 10 known in both, 20 "-" in both, 30 known then "-", 40 "-" then known. */
static const char refault_before[] =
	"pagefault_stats 1\nrefault_active 10\n\n" HDR_REFAULT
	"10 a alive 50 1 0 0 0 0 0 0 0 0 0 0 1000 5 1 4 6 5 1 1000\n"
	"20 b alive 40 0 0 0 0 0 0 0 0 0 0 0 500 6 1 0 0 0 0 -\n"
	"30 c alive 40 0 0 0 0 0 0 0 0 0 0 0 500 7 1 0 0 0 0 900\n"
	"40 e alive 40 0 0 0 0 0 0 0 0 0 0 0 500 8 1 0 0 0 0 -\n";
static const char refault_after[] =
	"pagefault_stats 1\nrefault_active 25\n\n" HDR_REFAULT
	"10 a alive 60 2 0 0 0 0 0 0 0 0 0 0 1200 5 1 7 9 9 2 1500\n"
	"20 b alive 45 0 0 0 0 0 0 0 0 0 0 0 600 6 1 1 0 1 0 -\n"
	"30 c alive 41 0 0 0 0 0 0 0 0 0 0 0 501 7 1 0 0 0 0 -\n"
	"40 e alive 42 0 0 0 0 0 0 0 0 0 0 0 502 8 1 0 0 0 0 30\n";

/* Refault deltas like the other counters; "-" in either reading is "-". */
static void test_delta_refaults_and_unknown_thrash(void **state)
{
	struct pfs_table a, b, d;
	const struct pfs_row *r;
	uint64_t v;

	(void)state;
	delta_of(refault_before, refault_after, &a, &b, &d);
	r = row_by_pid(&d, 10);
	assert_int_equal(r->v[PFS_REFAULT_ANON], 3);	/* 7 - 4 */
	assert_int_equal(r->v[PFS_REFAULT_FILE], 3);
	assert_int_equal(r->v[PFS_REFAULT_ACTIVE], 4);
	assert_int_equal(r->v[PFS_REFAULT_RESTORE], 1);
	assert_int_equal(r->v[PFS_THRASH_NS], 500);	/* 1500 - 1000 */
	assert_true(pfs_row_known(d.have, r, PFS_THRASH_NS));
	r = row_by_pid(&d, 20);
	assert_int_equal(r->v[PFS_REFAULT_ACTIVE], 1);
	assert_false(pfs_row_known(d.have, r, PFS_THRASH_NS));
	/* 900 then "-": unknown over the interval, and not taken for a reset */
	r = row_by_pid(&d, 30);
	assert_false(pfs_row_known(d.have, r, PFS_THRASH_NS));
	assert_int_equal(r->v[PFS_MINOR], 1);
	/* "-" then 30: no start to subtract from, unknown */
	r = row_by_pid(&d, 40);
	assert_false(pfs_row_known(d.have, r, PFS_THRASH_NS));
	assert_int_equal(r->v[PFS_THRASH_NS], 0);
	assert_int_equal(r->v[PFS_MINOR], 2);
	assert_true(pfs_global_u64(&d, "refault_active", &v));
	assert_int_equal(v, 15);
	pfs_table_free(&d);
	/* Reset in between (b then a): the later values, "-" as they are */
	assert_int_equal(pfs_table_delta(&b, &a, &d), 0);
	r = row_by_pid(&d, 10);
	assert_int_equal(r->v[PFS_REFAULT_ACTIVE], 5);
	assert_int_equal(r->v[PFS_THRASH_NS], 1000);
	assert_true(pfs_row_known(d.have, r, PFS_THRASH_NS));
	assert_false(pfs_row_known(d.have, row_by_pid(&d, 20), PFS_THRASH_NS));
	pfs_table_free(&d);
	pfs_table_free(&a);
	pfs_table_free(&b);
}

static void test_active_filter(void **state)
{
	struct pfs_table a, d;
	const struct pfs_row *rows[4];
	struct pfs_select s = { .sort_key = PFS_SORT_PID, .active = true };

	(void)state;
	parse_str("pagefault_stats 1\n\n" HDR
		  "10 a alive 50 1 0 0 0 0 0 0 0 0 0 0 1000 5 1\n"
		  "20 b alive 40 0 0 0 0 0 0 0 0 0 0 0 500 6 1\n", &a);
	assert_int_equal(pfs_table_delta(&a, &a, &d), 0);
	assert_int_equal(sel(&d, &s, rows), 0);
	s.active = false;
	assert_int_equal(sel(&d, &s, rows), 2);
	pfs_table_free(&d);
	pfs_table_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_argument),
		cmocka_unit_test(test_pid_list),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_sort_and_top),
		cmocka_unit_test(test_add_saturates),
		cmocka_unit_test(test_sums_saturate),
		cmocka_unit_test(test_sum_of_basic),
		cmocka_unit_test(test_sum_of_refaults_and_thrash),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_delta_refaults_and_unknown_thrash),
		cmocka_unit_test(test_active_filter),
	};

	return cmocka_run_group_tests_name("select", tests, NULL, NULL);
}
