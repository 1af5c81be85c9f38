// SPDX-License-Identifier: GPL-2.0
/*
 * The data behind pfstat plot's pictures (fmap.c, rates.c, out_plot.c):
 * marks land in the band of their mapping (a file's mappings one band,
 * the stack grown below its snapshot the stack's, a file no snapshot saw
 * by its dev:ino, addresses in no mapping in clusters), bands go by
 * address with their counts; rates follow a process by pid and start
 * time; the CSV has a row a mark, a row a process and interval.
 */
#include <math.h>

#include "testlib.h"

#define DEV_FE01	((254u << 20) | 1)

static const char maps_text[] =
	"00400000-00452000 r-xp 00000000 fe:01 1234                               /usr/bin/prog\n"
	"00651000-00652000 rw-p 00051000 fe:01 1234                               /usr/bin/prog\n"
	"01a4b000-01a6c000 rw-p 00000000 00:00 0                                  [heap]\n"
	"7f1000000000-7f1000100000 rw-p 00000000 00:00 0 \n"
	"7f2000000000-7f2000400000 rw-p 00000000 00:00 0 \n"
	"7ffd1000-7ffd3000 rw-p 00000000 00:00 0                                  [stack]\n";

static struct pfs_event ev(enum pfs_result res, enum pfs_cause cause,
			   uint64_t ts, uint64_t addr)
{
	struct pfs_event e = {
		.type = PFS_EV_FAULT, .tgid = 100, .pid = 100, .ts = ts,
		.address = addr, .result = res, .cause = cause,
	};

	if (cause == PFS_C_FILE) {
		e.dev = DEV_FE01;
		e.ino = 1234;
	}
	return e;
}

static void add(struct pfs_fmap *m, struct pfs_event e)
{
	assert_int_equal(pfs_fmap_add(m, &e), 0);
}

static void finish(struct pfs_fmap *m)
{
	struct pfs_maps u = { 0 }, s;
	struct pfs_where w;
	struct pfs_err e;

	assert_int_equal(pfs_maps_parse(maps_text, strlen(maps_text), &s, &e), 0);
	assert_int_equal(pfs_maps_merge(&u, &s), 0);
	pfs_maps_free(&s);
	pfs_where_init(&w, 100);
	assert_int_equal(pfs_fmap_finish(m, &w, &u), 0);
	pfs_maps_free(&u);
	pfs_where_free(&w);
}

/* Two touched anonymous regions: two bands, by address, with their counts. */
static void test_two_regions(void **state)
{
	struct pfs_fmap m = { 0 };
	int i;

	(void)state;
	/* the higher region first in time: bands still go by address */
	for (i = 0; i < 20; i++)
		add(&m, ev(PFS_R_MINOR, PFS_C_ANON, 5000000000ULL + i * 1000,
			   0x7f2000000000ULL + (uint64_t)i * 4096));
	for (i = 0; i < 5; i++)
		add(&m, ev(PFS_R_MAJOR, PFS_C_ANON, 6000000000ULL + i * 1000,
			   0x7f2000100000ULL + (uint64_t)i * 4096));
	for (i = 0; i < 30; i++)
		add(&m, ev(PFS_R_MINOR, PFS_C_ANON, 7000000000ULL + i * 1000,
			   0x7f1000000000ULL + (uint64_t)i * 4096));
	finish(&m);
	assert_int_equal(m.n, 55);
	assert_int_equal(m.nbands, 2);
	assert_int_equal(m.bands[0].kind, PFS_B_ANON);
	assert_true(m.bands[0].start == 0x7f1000000000ULL &&
		    m.bands[0].end == 0x7f1000100000ULL);
	assert_int_equal(m.bands[0].count[PFS_M_MINOR], 30);
	assert_int_equal(m.bands[0].total, 30);
	assert_true(m.bands[1].start == 0x7f2000000000ULL &&
		    m.bands[1].end == 0x7f2000400000ULL);
	assert_int_equal(m.bands[1].count[PFS_M_MINOR], 20);
	assert_int_equal(m.bands[1].count[PFS_M_MAJOR], 5);
	assert_int_equal(m.count[PFS_M_MAJOR], 5);
	/* marks keep their band; time from the first mark */
	assert_int_equal(m.m[0].band, 1);
	assert_int_equal(m.m[54].band, 0);
	assert_int_equal(m.t0, 5000000000ULL);
	assert_true(fabs(m.span - (2.0 + 29e-6)) < 1e-9);
	assert_true(fabs(pfs_mark_time(&m, &m.m[20]) - 1.0) < 1e-9);
	pfs_fmap_free(&m);
}

/* A file's mappings are one band; its name and label. */
static void test_file_band(void **state)
{
	struct pfs_fmap m = { 0 };
	char label[64];

	(void)state;
	add(&m, ev(PFS_R_MAJOR, PFS_C_FILE, 1, 0x401000));
	add(&m, ev(PFS_R_MINOR, PFS_C_FILE, 2, 0x651008));
	add(&m, ev(PFS_R_MINOR, PFS_C_ANON, 3, 0x1a4b010));
	finish(&m);
	assert_int_equal(m.nbands, 2);
	assert_int_equal(m.bands[0].kind, PFS_B_FILE);
	assert_string_equal(m.bands[0].name, "/usr/bin/prog");
	assert_true(m.bands[0].start == 0x400000 && m.bands[0].end == 0x652000);
	assert_int_equal(m.bands[0].count[PFS_M_MAJOR], 1);
	assert_int_equal(m.bands[0].count[PFS_M_MINOR], 1);
	pfs_band_label(&m.bands[0], label, sizeof(label));
	assert_string_equal(label, "prog");
	assert_int_equal(m.bands[1].kind, PFS_B_NAMED);
	assert_string_equal(m.bands[1].name, "[heap]");
	pfs_fmap_free(&m);
}

/* A file fault in a mapping no snapshot saw: placed by its dev:ino. */
static void test_unseen_file(void **state)
{
	struct pfs_fmap m = { 0 };
	struct pfs_event e = ev(PFS_R_MAJOR, PFS_C_FILE, 1, 0x7e0000003000ULL);
	char label[64];

	(void)state;
	e.dev = (8u << 20) | 1;
	e.ino = 7;
	add(&m, e);
	e.address += 4096;
	e.result = PFS_R_MINOR;
	add(&m, e);
	finish(&m);
	assert_int_equal(m.nbands, 1);
	assert_int_equal(m.bands[0].kind, PFS_B_FILE);
	assert_null(m.bands[0].name);
	assert_true(m.bands[0].start == 0x7e0000003000ULL &&
		    m.bands[0].end == 0x7e0000005000ULL);
	pfs_band_label(&m.bands[0], label, sizeof(label));
	assert_string_equal(label, "file 8:1 ino 7");
	pfs_fmap_free(&m);
}

/* Invalid accesses in no mapping: clusters 1 MiB apart at most. */
static void test_unmapped(void **state)
{
	struct pfs_fmap m = { 0 };
	struct pfs_event e = { .type = PFS_EV_INVALID, .kind = PFS_K_SEGV_MAPERR,
			       .user = true };

	(void)state;
	e.address = 0x0;
	add(&m, e);
	e.address = 0x10;
	add(&m, e);
	e.address = 0xdead000;
	add(&m, e);
	e.address = 0xdeae008;
	add(&m, e);
	add(&m, ev(PFS_R_SIGBUS, PFS_C_ANON, 0, 0x1a4b000));
	finish(&m);
	assert_int_equal(m.nbands, 3);
	assert_int_equal(m.bands[0].kind, PFS_B_UNMAPPED);
	assert_true(m.bands[0].start == 0 && m.bands[0].end == 0x1000);
	assert_int_equal(m.bands[0].count[PFS_M_INVALID], 2);
	assert_int_equal(m.bands[1].kind, PFS_B_NAMED);
	assert_int_equal(m.bands[1].count[PFS_M_ERROR], 1);
	assert_int_equal(m.bands[2].kind, PFS_B_UNMAPPED);
	assert_true(m.bands[2].start == 0xdead000 && m.bands[2].end == 0xdeaf000);
	assert_int_equal(m.bands[2].count[PFS_M_INVALID], 2);
	assert_int_equal(m.count[PFS_M_INVALID], 4);
	pfs_fmap_free(&m);
}

/* The stack grown below its last snapshot is the stack's band. */
static void test_stack_growth(void **state)
{
	struct pfs_fmap m = { 0 };

	(void)state;
	add(&m, ev(PFS_R_MINOR, PFS_C_ANON, 0, 0x7ffd2ff8));
	add(&m, ev(PFS_R_MINOR, PFS_C_ANON, 1, 0x7ffc0010));
	finish(&m);
	assert_int_equal(m.nbands, 1);
	assert_string_equal(m.bands[0].name, "[stack]");
	assert_true(m.bands[0].start == 0x7ffc0000 && m.bands[0].end == 0x7ffd3000);
	assert_int_equal(m.bands[0].total, 2);
	pfs_fmap_free(&m);
}

static void test_empty(void **state)
{
	struct pfs_fmap m = { 0 };

	(void)state;
	finish(&m);
	assert_int_equal(m.nbands, 0);
	assert_true(m.span == 0);
	pfs_fmap_free(&m);
}

static char *capture(void (*fn)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	return buf;
}

static void map_csv(FILE *f, const void *arg)
{
	pfs_fmap_csv(f, arg);
}

static void test_map_csv(void **state)
{
	struct pfs_fmap m = { 0 };
	char *csv, *line;
	size_t rows = 0;

	(void)state;
	add(&m, ev(PFS_R_MAJOR, PFS_C_FILE, 1000, 0x401000));
	add(&m, ev(PFS_R_MINOR, PFS_C_ANON, 1500001000, 0x7f1000002010ULL));
	finish(&m);
	csv = capture(map_csv, &m);
	assert_non_null(strstr(csv, "time_s,address,result,band,band_kind,band_name,band_start,band_end\r\n"));
	assert_non_null(strstr(csv, "\r\n0.000000000,0x401000,major,0,file,/usr/bin/prog,0x400000,0x452000\r\n"));
	assert_non_null(strstr(csv, "\r\n1.500000000,0x7f1000002010,minor,1,anon,,0x7f1000000000,0x7f1000100000\r\n"));
	for (line = csv; (line = strstr(line, "\r\n")); line += 2)
		rows++;
	assert_int_equal(rows, 3);
	free(csv);
	pfs_fmap_free(&m);
}

/* Rates: two intervals; a reused pid is another process. */
static const char delta1[] =
	"pagefault_stats 1\n"
	"\n"
	"pid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault hwpoison segv_mm remote fault_ns start_time ppid refault_anon refault_file refault_active refault_restore thrash_ns\n"
	"10 sweep alive 100 40 0 0 0 0 0 0 0 0 0 0 0 500 1 30 10 0 0 -\n"
	"11 idle alive 0 0 0 0 0 0 0 0 0 0 0 0 0 600 1 0 0 0 0 -\n"
	"12 crash exited 5 0 0 2 1 0 0 0 0 0 0 0 0 700 1 0 0 0 0 -\n";
static const char delta2[] =
	"pagefault_stats 1\n"
	"\n"
	"pid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault hwpoison segv_mm remote fault_ns start_time ppid refault_anon refault_file refault_active refault_restore thrash_ns\n"
	"10 sweep alive 50 20 0 0 0 0 0 0 0 0 0 0 0 500 1 0 5 0 0 -\n"
	"12 reused alive 7 0 0 0 0 0 0 0 0 0 0 0 0 900 1 0 0 0 0 -\n";

static void parse(const char *text, struct pfs_table *t)
{
	struct pfs_err e;

	assert_int_equal(pfs_parse_table(text, strlen(text), t, &e), 0);
}

static void rates_csv(FILE *f, const void *arg)
{
	pfs_rates_csv(f, arg, 2);
}

static void test_rates(void **state)
{
	struct pfs_select sel = { .sort_key = PFS_SORT_TOTAL };
	struct pfs_rates r = { 0 };
	struct pfs_table t1, t2;
	char *csv;

	(void)state;
	parse(delta1, &t1);
	parse(delta2, &t2);
	assert_int_equal(pfs_rates_add(&r, &t1, &sel, 0.5, 0.5), 0);
	assert_int_equal(pfs_rates_add(&r, &t2, &sel, 1.0, 0.5), 0);
	pfs_rates_finish(&r);
	assert_true(r.refault);
	assert_int_equal(r.nint, 2);
	assert_int_equal(r.np, 3);	/* sweep, crash, reused: idle left out */
	assert_int_equal(r.p[0].pid, 10);
	assert_int_equal(r.p[0].total[PFS_RT_MINOR], 150);
	assert_int_equal(r.p[0].total[PFS_RT_MAJOR], 60);
	assert_int_equal(r.p[0].total[PFS_RT_REFAULT], 45);
	assert_true(fabs(pfs_rate_at(&r, &r.p[0], 0, PFS_RT_MAJOR) - 80) < 1e-9);
	assert_true(fabs(pfs_rate_at(&r, &r.p[0], 1, PFS_RT_REFAULT) - 10) < 1e-9);
	assert_int_equal(r.p[1].pid, 12);
	assert_string_equal(r.p[1].comm, "crash");
	assert_int_equal(r.p[1].total[PFS_RT_INVALID], 3);
	assert_true(pfs_rate_at(&r, &r.p[1], 1, PFS_RT_MINOR) == 0);
	assert_int_equal(r.p[2].pid, 12);
	assert_string_equal(r.p[2].comm, "reused");
	csv = capture(rates_csv, &r);
	assert_string_equal(csv,
		"time_s,interval_s,pid,comm,minor,major,invalid,refault\r\n"
		"0.500,0.500,10,sweep,100,40,0,40\r\n"
		"1.000,0.500,10,sweep,50,20,0,5\r\n"
		"0.500,0.500,12,crash,5,0,3,0\r\n"
		"1.000,0.500,12,crash,0,0,0,0\r\n");
	free(csv);
	/* -p selects */
	pfs_rates_free(&r);
	sel.pids = (int[]){ 12 };
	sel.npids = 1;
	assert_int_equal(pfs_rates_add(&r, &t1, &sel, 0.5, 0.5), 0);
	assert_int_equal(r.np, 1);
	assert_int_equal(r.p[0].pid, 12);
	pfs_rates_free(&r);
	pfs_table_free(&t1);
	pfs_table_free(&t2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_regions),
		cmocka_unit_test(test_file_band),
		cmocka_unit_test(test_unseen_file),
		cmocka_unit_test(test_unmapped),
		cmocka_unit_test(test_stack_growth),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_map_csv),
		cmocka_unit_test(test_rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
