// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat trace, where and run --where in the VM (issue 10), against the
 * module's own counters and the kernel's rusage:
 *   1. run --where of a file-major workload names /mnt/disk/data64m with
 *      exactly the pages it touched, majors = rusage majflt = the row's;
 *   2. N SIGSEGVs at known addresses are listed with those addresses,
 *      segv_maperr, and an instruction in this binary;
 *   3. trace -p PID: the events by result equal the row's deltas, and the
 *      instance is gone after SIGINT;
 *   4. a tiny --buffer-kb and a burst: lost events reported, not hidden;
 *   5. bad input: unknown pid, not root, no module: exit 2, one line.
 * The workloads are this program again ("pfstat_trace file OFF N", ...),
 * so that run --where traces them from exec on.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_json.h"
#include "pfs_pfstat.h"
#include "pfs_test.h"

#define PFSTAT		PFS_PFSTAT
#define SELF		"/tests/bin/pfstat_trace"
#define TRACEFS		PFS_TRACEFS

#define FILE_OFF	100	/* first page the file workload touches */
#define FILE_PAGES	64
#define SEGV_BASE	0x100000000000UL	/* 16 TiB: nothing is mapped there */
#define SEGV_N		8

/* ---- workloads (argv[1]) -------------------------------------------------- */

/* Read one byte of each page [off, off + n) of the disk file, with no
 * readahead: one major fault a page. Then hold the mapping a moment so
 * that pfstat's maps snapshots see it. */
static int work_file(unsigned long off, unsigned long n)
{
	volatile char sink;
	unsigned long i;
	char *m;
	int fd = open(PFS_DISK_FILE, O_RDONLY);

	if (fd < 0)
		return 10;
	m = mmap(NULL, (off + n) * PFS_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 11;
	madvise(m, (off + n) * PFS_PAGE, MADV_RANDOM);
	for (i = off; i < off + n; i++)
		sink = m[i * PFS_PAGE];
	(void)sink;
	usleep(400000);
	return 0;
}

static sigjmp_buf segv_jmp;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_jmp, 1);
}

/* n reads at base + i * 4096, each a SIGSEGV the handler jumps out of. */
static int work_segv(unsigned long base, unsigned long n)
{
	volatile unsigned long i;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	for (i = 0; i < n; i++) {
		if (sigsetjmp(segv_jmp, 1) == 0)
			(void)*(volatile char *)(base + i * PFS_PAGE);
	}
	usleep(400000);
	return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static int run(char *const argv[], const char *out, const char *err)
{
	return pfs_exec_wait(pfs_exec_start(argv, out, err));
}

/* The mapping row of the where JSON named name: its index, or -1. */
static int mapping(const struct jdoc *d, const char *name)
{
	char path[64];
	const char *v;
	int i;

	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "mappings.%d.mapping", i);
		v = jget(d, path);
		if (!v)
			return -1;
		if (!strcmp(v, name))
			return i;
	}
	return -1;
}

static unsigned long long mnum(const struct jdoc *d, int i, const char *key)
{
	char path[96];

	snprintf(path, sizeof(path), "mappings.%d.%s", i, key);
	return jnum(d, path);
}

static void drop_caches(void)
{
	sync();
	if (pfs_write_file("/proc/sys/vm/drop_caches", "3", 1))
		pfs_fail("cannot write /proc/sys/vm/drop_caches");
}

/* ---- tests ---------------------------------------------------------------- */

static void test_run_where_file(void)
{
	char off[16], n[16];
	char *argv[] = { PFSTAT, "run", "--where", "-o", "json", "-O", "/tmp/where.json",
			 "--", SELF, "file", off, n, NULL };
	unsigned long long pre_min, pre_maj;
	struct pfs_table *t;
	const struct pfs_row *r;
	struct jdoc *d;
	int st, i;

	pfs_need_tracing();
	snprintf(off, sizeof(off), "%d", FILE_OFF);
	snprintf(n, sizeof(n), "%d", FILE_PAGES);
	pid_t pfstat;

	drop_caches();
	pfstat = pfs_exec_start(argv, "/tmp/where.out", "/tmp/where.err");
	st = pfs_exec_wait(pfstat);
	pfs_expect_eq("pfstat run --where exit", (unsigned long long)st, 0,
		      "the workload exits 0");
	pfs_expect_true("instance removed at the end", !pfs_instance_exists(pfstat),
			"instances/pfstat-PID is gone");
	d = jparse(pfs_slurp_or_fail("/tmp/where.json"));
	if (!d)
		pfs_fail("run --where -o json is not valid JSON");
	i = mapping(d, PFS_DISK_FILE);
	if (i < 0)
		pfs_fail("no mapping named %s in the report", PFS_DISK_FILE);
	pfs_expect_eq("first page", mnum(d, i, "pgoff_first"), FILE_OFF,
		      "the workload reads pages 100..163");
	pfs_expect_eq("last page", mnum(d, i, "pgoff_last"), FILE_OFF + FILE_PAGES - 1,
		      "the workload reads pages 100..163");
	pfs_expect_eq("distinct pages", mnum(d, i, "pages"), FILE_PAGES, "64 pages read");
	pfs_expect_eq("data64m majors", mnum(d, i, "major"), FILE_PAGES,
		      "caches dropped, MADV_RANDOM: one major a page");
	pre_min = jnum(d, "run.before_trace.minflt");
	pre_maj = jnum(d, "run.before_trace.majflt");
	pfs_info("before tracing (fork to the go byte): minflt %llu majflt %llu",
		 pre_min, pre_maj);
	pfs_expect_le("faults before tracing", pre_min + pre_maj, 64,
		      "a few copy-on-write faults between fork and exec");
	pfs_expect_eq("majors of all mappings + before", pfs_where_sum(d, "major") + pre_maj,
		      jnum(d, "run.rusage.majflt"), "wait4() ru_majflt of the command");
	pfs_expect_eq("minors of all mappings + before", pfs_where_sum(d, "minor") + pre_min,
		      jnum(d, "run.rusage.minflt"), "wait4() ru_minflt of the command");
	pfs_expect_eq("lost", jnum(d, "lost"), 0, "a default buffer and 64 majors");
	t = pfs_table_get(PFS_DEBUGFS_PROCS);
	r = pfs_table_find(t, (pid_t)jnum(d, "pid"), jnum(d, "run.start_time"));
	if (!r)
		pfs_fail("no row for the command in %s", PFS_DEBUGFS_PROCS);
	pfs_expect_eq("majors + before = the row's", pfs_where_sum(d, "major") + pre_maj,
		      pfs_col(t, r, "major"), "the module's row of the command");
	pfs_expect_eq("minors + before = the row's", pfs_where_sum(d, "minor") + pre_min,
		      pfs_col(t, r, "minor"), "the module's row of the command");
	pfs_table_free(t);
	jfree(d);
}

static void test_run_where_segv(void)
{
	char base[32], n[16], path[64];
	char *argv[] = { PFSTAT, "run", "--where", "-o", "json", "-O", "/tmp/segv.json",
			 "--", SELF, "segv", base, n, NULL };
	unsigned long long want;
	struct jdoc *d;
	int i;

	pfs_need_tracing();
	snprintf(base, sizeof(base), "%lu", SEGV_BASE);
	snprintf(n, sizeof(n), "%d", SEGV_N);
	pfs_expect_eq("exit", (unsigned long long)run(argv, "/tmp/segv.out", "/tmp/segv.err"),
		      0, "the handler jumps out of each SIGSEGV");
	d = jparse(pfs_slurp_or_fail("/tmp/segv.json"));
	if (!d)
		pfs_fail("not valid JSON");
	pfs_expect_eq("segv_maperr", jnum(d, "counts.segv_maperr"), SEGV_N, "8 bad reads");
	pfs_expect_eq("not listed", jnum(d, "invalid_not_listed"), 0, "8 < the bound");
	for (i = 0; i < SEGV_N; i++) {
		const char *v;
		char want_s[32];

		want = SEGV_BASE + (unsigned long)i * PFS_PAGE;
		snprintf(want_s, sizeof(want_s), "0x%llx", want);
		snprintf(path, sizeof(path), "invalid.%d.address", i);
		pfs_expect_str("address", jget(d, path), want_s, "base + i * 4096, in order");
		snprintf(path, sizeof(path), "invalid.%d.kind", i);
		pfs_expect_str("kind", jget(d, path), "segv_maperr", "nothing is mapped there");
		snprintf(path, sizeof(path), "invalid.%d.ip_file", i);
		v = jget(d, path);
		pfs_expect_str("instruction's file", v, SELF, "the read is in work_segv()");
	}
	jfree(d);
}

/* --major and --errors are kernel filters on result: only those events
 * reach pfstat. */
static void test_result_filters(void)
{
	char *major[] = { PFSTAT, "run", "--where", "--major", "-o", "json", "-O",
			  "/tmp/major.json", "--", SELF, "file", "200", "32", NULL };
	char *errors[] = { PFSTAT, "run", "--where", "--errors", "-o", "json", "-O",
			   "/tmp/errors.json", "--", SELF, "segv", "17592186044416", "8", NULL };
	struct jdoc *d;

	pfs_need_tracing();
	drop_caches();
	pfs_expect_eq("run --where --major", (unsigned long long)run(major, "/dev/null", "/tmp/f.err"),
		      0, "the workload exits 0");
	d = jparse(pfs_slurp_or_fail("/tmp/major.json"));
	if (!d)
		pfs_fail("not valid JSON");
	pfs_expect_eq("minor events with --major", jnum(d, "counts.minor"), 0,
		      "result == \"major\" in the kernel");
	pfs_expect_eq("major events", jnum(d, "counts.major"),
		      jnum(d, "run.rusage.majflt") - jnum(d, "run.before_trace.majflt"),
		      "wait4() ru_majflt");
	pfs_expect_ge("major events", jnum(d, "counts.major"), 32, "32 pages read");
	pfs_expect_eq("events", jnum(d, "events"), jnum(d, "counts.major"), "majors only");
	jfree(d);
	pfs_expect_eq("run --where --errors", (unsigned long long)run(errors, "/dev/null", "/tmp/f.err"),
		      0, "the workload exits 0");
	d = jparse(pfs_slurp_or_fail("/tmp/errors.json"));
	if (!d)
		pfs_fail("not valid JSON");
	pfs_expect_eq("minor events with --errors", jnum(d, "counts.minor"), 0,
		      "only failed faults and invalid accesses");
	pfs_expect_eq("segv_maperr", jnum(d, "counts.segv_maperr"), 8, "8 bad reads");
	jfree(d);
}

/* Count the JSON lines of a trace by result; the number of lines. */
static unsigned long count_results(const char *path, unsigned long long *minor,
				   unsigned long long *major, unsigned long long *retry)
{
	char *text = pfs_slurp_or_fail(path), *line, *save = NULL;
	unsigned long lines = 0;

	*minor = *major = *retry = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct jdoc *d = jparse(line);
		const char *r;

		if (!d)
			pfs_fail("trace line %lu is not JSON", lines + 1);
		lines++;
		r = jget(d, "result");
		if (r && !strcmp(r, "minor"))
			(*minor)++;
		else if (r && !strcmp(r, "major"))
			(*major)++;
		else if (r && !strcmp(r, "retry"))
			(*retry)++;
		jfree(d);
	}
	return lines;
}

static void test_trace_counts(void)
{
	char pid[16];
	char *argv[] = { PFSTAT, "trace", "-p", pid, "-o", "json", NULL };
	unsigned long long st, m0, j0, r0, m1, j1, r1, mi, ma, re;
	struct pfs_toucher c;
	pid_t tracer;
	int status;

	pfs_need_tracing();
	pfs_toucher_start(&c, 3000);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	usleep(100000);
	st = pfs_start_time_of(c.pid);
	tracer = pfs_exec_start(argv, "/tmp/trace.ndjson", "/tmp/trace.err");
	pfs_wait_enabled(tracer);
	m0 = pfs_counter(c.pid, st, "minor");
	j0 = pfs_counter(c.pid, st, "major");
	r0 = pfs_counter(c.pid, st, "retry");
	pfs_toucher_go(&c);
	m1 = pfs_counter(c.pid, st, "minor");
	j1 = pfs_counter(c.pid, st, "major");
	r1 = pfs_counter(c.pid, st, "retry");
	usleep(300000);		/* a drain of pfstat's after the last fault */
	kill(tracer, SIGINT);
	status = pfs_exec_wait(tracer);
	pfs_toucher_end(&c);
	pfs_expect_eq("pfstat trace exit after SIGINT", (unsigned long long)status, 0,
		      "SIGINT ends a trace normally");
	pfs_expect_true("instance removed after SIGINT", !pfs_instance_exists(tracer),
			"instances/pfstat-PID is gone");
	count_results("/tmp/trace.ndjson", &mi, &ma, &re);
	pfs_expect_eq("minor events", mi, m1 - m0, "the row's minor delta");
	pfs_expect_eq("major events", ma, j1 - j0, "the row's major delta");
	pfs_expect_eq("retry events", re, r1 - r0, "the row's retry delta");
	pfs_expect_ge("minor events", mi, 3000, "3000 fresh anon pages");
	pfs_info("stderr: %s", pfs_slurp_or_fail("/tmp/trace.err"));
}

static void test_trace_lost(void)
{
	char pid[16];
	char *argv[] = { PFSTAT, "trace", "-p", pid, "-o", "json", "--buffer-kb", "4", NULL };
	unsigned long long lost = 0, events = 0, mi, ma, re;
	unsigned long lines;
	struct pfs_toucher c;
	const char *p;
	char *err;
	pid_t tracer;

	pfs_need_tracing();
	pfs_toucher_start(&c, 20000);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	tracer = pfs_exec_start(argv, "/tmp/lost.ndjson", "/tmp/lost.err");
	pfs_wait_enabled(tracer);
	pfs_toucher_go(&c);
	usleep(300000);
	kill(tracer, SIGTERM);
	pfs_expect_eq("exit after SIGTERM", (unsigned long long)pfs_exec_wait(tracer), 0,
		      "SIGTERM ends a trace normally");
	pfs_toucher_end(&c);
	pfs_expect_true("instance removed after SIGTERM", !pfs_instance_exists(tracer),
			"instances/pfstat-PID is gone");
	err = strdup(pfs_slurp_or_fail("/tmp/lost.err"));	/* slurp's buffer is reused */
	p = strstr(err, "pfstat: trace: ");
	if (!p || sscanf(p, "pfstat: trace: %llu events, %llu lost", &events, &lost) != 2)
		pfs_fail("no 'pfstat: trace: N events, M lost' line on stderr: %s", err);
	lines = count_results("/tmp/lost.ndjson", &mi, &ma, &re);
	pfs_expect_eq("events printed", lines, events, "the summary line");
	pfs_expect_ge("lost", lost, 1, "20000 faults through a 4 KiB per-CPU buffer");
	pfs_expect_true("a warning says so", strstr(err, "warning:") != NULL, err);
	pfs_expect_ge("seen + lost", events + lost, 20000, "every fault is seen or counted lost");
	free(err);
}

/* -c COMM is the kernel's comm filter: every event is the named
 * toucher's, and its 2000 pages are all there. */
static void test_trace_comm(void)
{
	char *argv[] = { PFSTAT, "trace", "-c", "pfs_toucher", "-o", "json", NULL };
	unsigned long long mi, ma, re;
	char *text, *line, *save = NULL, want[32];
	unsigned long lines, others = 0;
	struct pfs_toucher c;
	pid_t tracer;

	pfs_need_tracing();
	pfs_toucher_start_named(&c, 2000, "pfs_toucher");
	tracer = pfs_exec_start(argv, "/tmp/comm.ndjson", "/tmp/comm.err");
	pfs_wait_enabled(tracer);
	pfs_toucher_go(&c);
	usleep(300000);
	kill(tracer, SIGINT);
	pfs_expect_eq("exit", (unsigned long long)pfs_exec_wait(tracer), 0, "SIGINT");
	snprintf(want, sizeof(want), "\"tgid\":%d,", (int)c.pid);
	pfs_toucher_end(&c);
	lines = count_results("/tmp/comm.ndjson", &mi, &ma, &re);
	text = pfs_slurp_or_fail("/tmp/comm.ndjson");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strstr(line, want))
			others++;
	pfs_expect_ge("events", lines, 2000, "the toucher's 2000 fresh pages");
	pfs_expect_eq("events of other processes", others, 0, "comm == \"pfs_toucher\" in the kernel");
}

/* where -p PID -i SEC on a live process: its 3000 fresh anonymous pages
 * are one anonymous region's row, and the sums are the row's deltas. */
static void test_where_pid(void)
{
	char pid[16];
	char *argv[] = { PFSTAT, "where", "-p", pid, "-i", "3", "-o", "json",
			 "-O", "/tmp/wherep.json", NULL };
	unsigned long long st, m0, m1, best = 0;
	char path[64];
	struct pfs_toucher c;
	struct jdoc *d;
	pid_t where;
	int i;

	pfs_need_tracing();
	pfs_toucher_start(&c, 3000);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);
	usleep(100000);
	st = pfs_start_time_of(c.pid);
	where = pfs_exec_start(argv, "/dev/null", "/tmp/wherep.err");
	pfs_wait_enabled(where);
	m0 = pfs_counter(c.pid, st, "minor");
	pfs_toucher_go(&c);
	m1 = pfs_counter(c.pid, st, "minor");
	pfs_expect_eq("where exit", (unsigned long long)pfs_exec_wait(where), 0, "-i 3 ends it");
	pfs_toucher_end(&c);
	pfs_expect_true("instance removed at the end", !pfs_instance_exists(where),
			"instances/pfstat-PID is gone");
	d = jparse(pfs_slurp_or_fail("/tmp/wherep.json"));
	if (!d)
		pfs_fail("where -o json is not valid JSON");
	pfs_expect_eq("minor of all mappings", pfs_where_sum(d, "minor"), m1 - m0,
		      "the row's minor delta");
	for (i = 0; ; i++) {
		snprintf(path, sizeof(path), "mappings.%d.kind", i);
		if (!jget(d, path))
			break;
		if (!strcmp(jget(d, path), "anon") && mnum(d, i, "pages") > best)
			best = mnum(d, i, "pages");
	}
	pfs_expect_eq("pages of the anonymous region", best, 3000,
		      "the toucher's mmap of 3000 pages");
	jfree(d);
}

static void test_bad_input(void)
{
	char *unknown[] = { PFSTAT, "trace", "-p", "999999", NULL };
	char *where[] = { PFSTAT, "where", "-p", "999999", "-i", "1", NULL };
	const char *err;
	pid_t pid;
	int st;

	pfs_need_tracing();
	pfs_expect_eq("trace -p unknown", (unsigned long long)run(unknown, "/dev/null", "/tmp/bad.err"),
		      2, "no such process");
	err = pfs_slurp_or_fail("/tmp/bad.err");
	pfs_expect_true("one line", strchr(err, '\n') == err + strlen(err) - 1, err);
	pfs_expect_eq("where -p unknown", (unsigned long long)run(where, "/dev/null", "/tmp/bad.err"),
		      2, "no such process");
	pid = fork();
	if (pid == 0) {
		char *a[] = { PFSTAT, "trace", NULL };
		int e = open("/tmp/nonroot.err", O_WRONLY | O_CREAT | O_TRUNC, 0666);

		dup2(e, 2);
		if (setgid(65534) || setuid(65534))
			_exit(99);
		execv(a[0], a);
		_exit(126);
	}
	st = pfs_exec_wait(pid);
	pfs_expect_eq("trace as nobody", (unsigned long long)st, 2, "not root");
	err = pfs_slurp_or_fail("/tmp/nonroot.err");
	pfs_expect_true("says root", strstr(err, "root") != NULL, err);
}

/* Last: unload the module, pfstat trace says so, load it again. */
static void test_no_module(void)
{
	char *argv[] = { PFSTAT, "trace", NULL };
	const char *err;
	int st;

	pfs_need_tracing();
	if (system("rmmod pagefault_stats") != 0)
		pfs_fail("rmmod pagefault_stats failed");
	st = run(argv, "/dev/null", "/tmp/nomod.err");
	if (pfs_module_insert(""))
		pfs_fail("insmod " PFS_MODULE_KO " failed");
	pfs_expect_eq("trace without the module", (unsigned long long)st, 2, "module not loaded");
	err = pfs_slurp_or_fail("/tmp/nomod.err");
	pfs_expect_true("one line", strchr(err, '\n') == err + strlen(err) - 1, err);
	pfs_expect_true("names the module", strstr(err, "not loaded") != NULL, err);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "file"))
		return work_file(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "segv"))
		return work_segv(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	pfs_begin();
	pfs_test("run --where: data64m by name, exact pages, majors = rusage = row",
		 test_run_where_file);
	pfs_test("run --where: 8 SIGSEGVs listed at their addresses, ip in the binary",
		 test_run_where_segv);
	pfs_test("--major, --errors: only those results reach pfstat", test_result_filters);
	pfs_test("trace -p: events by result = the row's deltas; SIGINT removes the instance",
		 test_trace_counts);
	pfs_test("trace --buffer-kb 4: lost events counted and said", test_trace_lost);
	pfs_test("trace -c COMM: only that thread's events", test_trace_comm);
	pfs_test("where -p -i: an anonymous region's pages, sums = row deltas",
		 test_where_pid);
	pfs_test("bad input: unknown pid, not root: exit 2, one line", test_bad_input);
	pfs_test("no module: exit 2, one line", test_no_module);
	return pfs_exit();
}
