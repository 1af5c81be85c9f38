// SPDX-License-Identifier: GPL-2.0
/*
 * The report of pfstat run (out_run.c): the text table of the command
 * and its children beside the kernel's counts, the CSV rows, the JSON
 * document and the Prometheus series, for a report with a row and one
 * without.
 */
#include <json-c/json.h>

#include "testlib.h"

/* make (500) ran cc 1 (501, exited) and sleep (502, still running). */
static const char run_doc[] =
	"pagefault_stats 1\nnmissed 0\ndropped 2\n\n"
	"pid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault fault_ns start_time ppid\n"
	"500 make exited 100 2 1 1 0 0 0 0 3 100000000 70 1\n"
	"501 cc\\0401 exited 40 1 0 0 0 0 0 0 0 50000000 71 500\n"
	"502 sleep alive 5 0 0 0 0 0 0 0 0 10 72 500\n";

/* The same with the refault columns: cc 1's thrash time unknown. */
static const char run_doc_refault[] =
	"pagefault_stats 1\nnmissed 0\ndropped 2\nrefault_active 9\n\n"
	"pid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault fault_ns start_time ppid refault_anon refault_file refault_active refault_restore thrash_ns\n"
	"500 make exited 100 2 1 1 0 0 0 0 3 100000000 70 1 10 20 5 2 3000000\n"
	"501 cc\\0401 exited 40 1 0 0 0 0 0 0 0 50000000 71 500 1 2 3 1 -\n"
	"502 sleep alive 5 0 0 0 0 0 0 0 0 10 72 500 0 0 1 0 7\n";

static char *run_argv[] = { (char *)"make", (char *)"-j2", NULL };

struct run_fixture {
	struct pfs_run_report r;
	const struct pfs_row *kids[2];
};

static void report_of_doc(struct run_fixture *fx, const char *doc)
{
	struct pfs_run_report *r = &fx->r;
	const struct pfs_row *summed[2];
	struct pfs_err e;

	memset(fx, 0, sizeof(*fx));
	assert_int_equal(pfs_parse_table(doc, strlen(doc), &r->t, &e), 0);
	r->argv = run_argv;
	r->pid = 500;
	r->exit = (struct pfs_run_exit){ .exited = true, .code = 0, .status = 0 };
	r->ps = (struct pfs_procstat){ .ok = true, .minflt = 98, .cminflt = 45,
				       .majflt = 2, .cmajflt = 1,
				       .start_time = 70 };
	r->ru.ru_utime = (struct timeval){ 1, 250000 };
	r->ru.ru_stime = (struct timeval){ 0, 250000 };
	r->ru.ru_minflt = 143;
	r->ru.ru_majflt = 3;
	r->ru.ru_maxrss = 2048;
	r->ru.ru_inblock = 8;
	r->ru.ru_oublock = 16;
	r->ru.ru_nvcsw = 3;
	r->ru.ru_nivcsw = 4;
	r->wall = 2.0;
	r->source = "/proc/pagefault_stats";
	r->self = &r->t.rows[0];
	fx->kids[0] = &r->t.rows[1];
	fx->kids[1] = &r->t.rows[2];
	r->kids = fx->kids;
	r->nkids = 2;
	r->nalive = 1;
	summed[0] = r->self;
	summed[1] = fx->kids[0];
	pfs_sum_rows(summed, 2, &r->sum);
}

static void report_of(struct run_fixture *fx)
{
	report_of_doc(fx, run_doc);
}

/* The command killed before the module saw it: no row, no descendants. */
static void no_row(struct run_fixture *fx)
{
	fx->r.self = NULL;
	fx->r.nkids = 0;
	fx->r.nalive = 0;
	fx->r.exit = (struct pfs_run_exit){ .exited = false, .core_dumped = true,
					    .code = 11, .status = 139 };
}

/* What a writer writes for r. */
static char *written(void (*writer)(FILE *, const struct pfs_run_report *),
		     const struct pfs_run_report *r)
{
	struct capture c;

	capture_start(&c);
	writer(c.f, r);
	return capture_end(&c);
}

static void assert_written(void (*writer)(FILE *, const struct pfs_run_report *),
			   const struct pfs_run_report *r, const char *want)
{
	char *out = written(writer, r);

	assert_string_equal(out, want);
	free(out);
}

/*
 * What writer writes for r has each string up to the NULL (has), or none
 * of them (!has); a failure shows the output and the test's line.
 */
static void check_written(void (*writer)(FILE *, const struct pfs_run_report *),
			  const struct pfs_run_report *r, bool has,
			  const char *const *strs, const char *file, int line)
{
	char *out = written(writer, r);

	for (; *strs; strs++) {
		if ((strstr(out, *strs) != NULL) == has)
			continue;
		print_error("%s\n%s: \"%s\"\n", out,
			    has ? "missing" : "unwanted", *strs);
		free(out);
		_fail(file, line);
	}
	free(out);
}

#define assert_writes(writer, r, ...)					\
	check_written(writer, r, true, (const char *const[]){ __VA_ARGS__, NULL }, \
		      __FILE__, __LINE__)
#define assert_omits(writer, r, ...)					\
	check_written(writer, r, false, (const char *const[]){ __VA_ARGS__, NULL }, \
		      __FILE__, __LINE__)

static void test_run_text(void **state)
{
	static const char want[] =
		"\n"
		" Page faults of 'make -j2' (pid 500, start_time 70): exit status 0\n"
		"\n"
		"                                                  self             with children\n"
		"                                   module       kernel       module       kernel\n"
		"  minor faults                        100           98          140          143\n"
		"  major faults                          2            2            3            3\n"
		"    by cause                 needs root (debugfs procs not readable)\n"
		"  retries                               1                         1\n"
		"  invalid: SEGV_MAPERR                  1                         1\n"
		"  invalid: SEGV_ACCERR                  0                         0\n"
		"  invalid: SEGV_PKUERR                  0                         0\n"
		"  SIGBUS                                0                         0\n"
		"  OOM                                   0                         0\n"
		"  EFAULT (bad user buffer)              3                         3\n"
		"  time in faults                  100.0ms                   150.0ms\n"
		"  processes                             1                         2   (+1 still running, not summed)\n"
		"\n"
		"  rusage: 1.250 s user, 0.250 s sys, 2.000 s elapsed, max rss 2048 kB,\n"
		"          8/16 blocks in/out, 3/4 voluntary/involuntary context switches\n"
		"  time in faults is 10.0% of the cpu time\n"
		"  note: module nmissed 0, dropped 2: its counts may be low\n"
		"  note: module and kernel differ for the command itself\n"
		"\n";
	struct run_fixture fx;

	(void)state;
	report_of(&fx);
	assert_written(pfs_run_text, &fx.r, want);
	pfs_table_free(&fx.r.t);
}

static void test_run_text_no_row(void **state)
{
	static const char want[] =
		"\n"
		" Page faults of 'make -j2' (pid 500, start_time 70): killed by signal 11 (Segmentation fault), core dumped\n"
		"\n"
		"  no row in /proc/pagefault_stats for pid 500 start_time 70: counting paused, a filter set, or the table full (dropped)?\n"
		"  kernel: minflt 98, majflt 2 (self); 143, 3 with reaped children\n"
		"\n"
		"  rusage: 1.250 s user, 0.250 s sys, 2.000 s elapsed, max rss 2048 kB,\n"
		"          8/16 blocks in/out, 3/4 voluntary/involuntary context switches\n"
		"  note: module nmissed 0, dropped 2: its counts may be low\n"
		"\n";
	struct run_fixture fx;

	(void)state;
	report_of(&fx);
	no_row(&fx);
	assert_written(pfs_run_text, &fx.r, want);
	pfs_table_free(&fx.r.t);
}

/* The command's row, then the sum named "+children"; none without a row. */
static void test_run_csv(void **state)
{
	static const char want[] =
		"pid,comm,state,minor,major,retry,segv_maperr,segv_accerr,segv_pkuerr,sigbus,oom,efault,fault_ns,start_time,ppid,invalid\r\n"
		"500,make,exited,100,2,1,1,0,0,0,0,3,100000000,70,1,1\r\n"
		"500,+children,exited,140,3,1,1,0,0,0,0,3,150000000,0,0,1\r\n";
	struct run_fixture fx;

	(void)state;
	report_of(&fx);
	assert_written(pfs_run_csv, &fx.r, want);
	no_row(&fx);
	assert_written(pfs_run_csv, &fx.r, "");
	pfs_table_free(&fx.r.t);
}

static struct json_object *get(struct json_object *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		assert_true(json_object_object_get_ex(o, key, &o));
		path = dot + 1;
	}
	assert_true(json_object_object_get_ex(o, path, &o));
	return o;
}

static void test_run_json(void **state)
{
	struct json_object *doc, *o;
	struct run_fixture fx;

	(void)state;
	report_of(&fx);
	doc = pfs_run_json(&fx.r);
	o = get(doc, "command");
	assert_int_equal(json_object_array_length(o), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(o, 1)),
			    "-j2");
	assert_int_equal(json_object_get_int(get(doc, "pid")), 500);
	assert_int_equal(json_object_get_int(get(doc, "exit.code")), 0);
	assert_null(get(doc, "exit.signal"));
	assert_int_equal(json_object_get_int(get(doc, "self.minor")), 100);
	o = get(doc, "descendants");
	assert_int_equal(json_object_array_length(o), 2);
	assert_string_equal(json_object_get_string(
		get(json_object_array_get_idx(o, 0), "comm")), "cc 1");
	assert_int_equal(json_object_get_int(get(doc, "descendants_alive")), 1);
	assert_int_equal(json_object_get_int(get(doc, "with_children.minor")), 140);
	assert_int_equal(json_object_get_int(get(doc, "with_children.processes")), 2);
	assert_int_equal(json_object_get_int(get(doc, "kernel.self.minflt")), 98);
	assert_int_equal(json_object_get_int(get(doc, "kernel.reaped_children.minflt")),
			 45);
	assert_true(json_object_get_double(get(doc, "rusage.utime_s")) == 1.25);
	assert_true(json_object_get_double(get(doc, "rusage.stime_s")) == 0.25);
	assert_int_equal(json_object_get_int(get(doc, "module.dropped")), 2);
	json_object_put(doc);

	no_row(&fx);
	fx.r.ps.ok = false;
	doc = pfs_run_json(&fx.r);
	assert_null(get(doc, "self"));
	assert_null(get(doc, "with_children"));
	assert_null(get(doc, "start_time"));
	assert_null(get(doc, "exit.code"));
	assert_int_equal(json_object_get_int(get(doc, "exit.signal")), 11);
	assert_true(json_object_get_boolean(get(doc, "exit.core_dumped")));
	assert_int_equal(json_object_get_int(get(doc, "exit.status")), 139);
	assert_int_equal(json_object_object_length(get(doc, "kernel")), 0);
	json_object_put(doc);
	pfs_table_free(&fx.r.t);
}

/* The command's series only; without a row, the module's alone. */
static void test_run_prom(void **state)
{
	struct run_fixture fx;

	(void)state;
	report_of(&fx);
	assert_writes(pfs_run_prom, &fx.r,
		      "pagefault_stats_faults_total{pid=\"500\",comm=\"make\",start_time=\"70\",type=\"minor\"} 100\n",
		      "pagefault_stats_process_alive{pid=\"500\",comm=\"make\",start_time=\"70\"} 0\n");
	assert_omits(pfs_run_prom, &fx.r, "pid=\"501\"");
	no_row(&fx);
	assert_writes(pfs_run_prom, &fx.r, "pagefault_stats_dropped_total 2\n");
	assert_omits(pfs_run_prom, &fx.r, "pid=");
	pfs_table_free(&fx.r.t);
}

/* With the refault columns: pages and thrash time, self and summed. */
static void test_run_text_refaults(void **state)
{
	static const char want[] =
		"  EFAULT (bad user buffer)              3                         3\n"
		"  refaulted pages: anon                10                        11\n"
		"  refaulted pages: file                20                        22\n"
		"    working set (thrash)                5                         8\n"
		"    restored (were active)              2                         3\n"
		"  time in faults                  100.0ms                   150.0ms\n"
		"  time thrashing                    3.0ms                     3.0ms\n"
		"  processes                             1                         2   (+1 still running, not summed)\n";
	struct run_fixture fx;

	(void)state;
	report_of_doc(&fx, run_doc_refault);
	assert_writes(pfs_run_text, &fx.r, want,
		      /* cc 1 (exited, summed) has "-": the sum is make's alone, and says so */
		      "  note: time thrashing with children leaves out 1 process the kernel kept no thrashing time for\n");
	/* the command's own time unknown: "-", and why */
	fx.r.self = &fx.r.t.rows[1];
	assert_writes(pfs_run_text, &fx.r, "  time thrashing                        -",
		      "sysctl kernel.task_delayacct=1");
	pfs_table_free(&fx.r.t);

	/* an older module: no such lines */
	report_of(&fx);
	assert_omits(pfs_run_text, &fx.r, "refault", "thrash");
	pfs_table_free(&fx.r.t);
}

static void test_run_json_csv_prom_refaults(void **state)
{
	struct json_object *doc;
	struct run_fixture fx;

	(void)state;
	report_of_doc(&fx, run_doc_refault);
	doc = pfs_run_json(&fx.r);
	assert_int_equal(json_object_get_int(get(doc, "self.refault_active")), 5);
	assert_int_equal(json_object_get_int(get(doc, "self.thrash_ns")), 3000000);
	assert_int_equal(json_object_get_int(get(doc, "with_children.refault_file")), 22);
	assert_int_equal(json_object_get_int(get(doc, "with_children.thrash_ns")), 3000000);
	assert_null(get(json_object_array_get_idx(get(doc, "descendants"), 0), "thrash_ns"));
	assert_int_equal(json_object_get_int(get(doc, "module.refault_active")), 9);
	json_object_put(doc);
	assert_writes(pfs_run_csv, &fx.r,
		      ",ppid,invalid,refault_anon,refault_file,refault_active,refault_restore,thrash_ns\r\n",
		      "500,make,exited,100,2,1,1,0,0,0,0,3,100000000,70,1,1,10,20,5,2,3000000\r\n",
		      "500,+children,exited,140,3,1,1,0,0,0,0,3,150000000,0,0,1,11,22,8,3,3000000\r\n");
	assert_writes(pfs_run_prom, &fx.r,
		      "pagefault_stats_refault_active_pages_total{pid=\"500\",comm=\"make\",start_time=\"70\"} 5\n",
		      "pagefault_stats_thrash_seconds_total{pid=\"500\",comm=\"make\",start_time=\"70\"} 0.003000000\n");
	pfs_table_free(&fx.r.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_text),
		cmocka_unit_test(test_run_text_no_row),
		cmocka_unit_test(test_run_csv),
		cmocka_unit_test(test_run_json),
		cmocka_unit_test(test_run_prom),
		cmocka_unit_test(test_run_text_refaults),
		cmocka_unit_test(test_run_json_csv_prom_refaults),
	};

	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
