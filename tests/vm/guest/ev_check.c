// SPDX-License-Identifier: GPL-2.0
/*
 * The module's trace events through a real consumer:
 *
 *	ev_check perf|trace-cmd|bpftrace [fprobe|direct|kretprobe]
 *
 * (fprobe: with the module loaded in mode=fprobe, where the kernel has
 * fprobe; where it has not, that the load is refused is all there is.)
 * runs ev_workload as the consumer's command (perf record --, trace-cmd
 * record -F, bpftrace -c: the tool is attached before the command execs),
 * then checks what the consumer printed against the module's row of that
 * process (debugfs procs, columns by name) and the workload's own facts.
 * The workload reads its row before and after its work and writes a marker
 * page after each read; the events from the first marker to the second must
 * equal the row's delta exactly, for each result and kind; the row after
 * must equal the workload's getrusage(); each part of the workload shows up
 * at its addresses, file pages and kinds.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfs_events.h"
#include "pfs_test.h"

#define INFO	"/tmp/ev-info"
#define OUT	"/tmp/ev-out.txt"
#define LOG	"/tmp/ev-record.log"
#define WORKLOAD "/tests/bin/ev_workload"

/* one line per event, the fields named as in the tracefs format */
#define BT_FAULT "tracepoint:pagefault_stats:fault /args->tgid == cpid/ { " \
	"printf(\"fault: tgid=%d pid=%d address=0x%lx result=%s cause=%s " \
	"dev=%u:%u ino=%lu pgoff=%lu\\n\", args->tgid, args->pid, args->address, " \
	"args->result, args->cause, args->dev >> 20, args->dev & 0xfffff, " \
	"args->ino, args->pgoff); }"
#define BT_INVALID "tracepoint:pagefault_stats:invalid /args->tgid == cpid/ { " \
	"printf(\"invalid: tgid=%d pid=%d address=0x%lx ip=0x%lx kind=%s user=%d\\n\", " \
	"args->tgid, args->pid, args->address, args->ip, args->kind, args->user); }"

static const char *tool;
static struct pfs_events *all;		/* everything the consumer printed */
static struct pfs_events win;		/* the events of the measured window */
static struct pfs_events *ev = &win;
static struct pfs_event info;
static char info_text[4096];
static struct pfs_table *tab[2];	/* the table before and after */
static const struct pfs_row *row[2];

/* Record and print: the consumer's events of the workload land in OUT. */
static int consume(void)
{
	char *perf_rec[] = { "perf", "record", "-q", "-o", "/tmp/ev.data",
		"-e", "pagefault_stats:fault", "-e", "pagefault_stats:invalid",
		"--", WORKLOAD, INFO, NULL };
	char *perf_script[] = { "perf", "script", "-i", "/tmp/ev.data", NULL };
	char *tc_rec[] = { "trace-cmd", "record", "-q", "-o", "/tmp/ev.dat",
		"-e", "pagefault_stats", "-F", WORKLOAD, INFO, NULL };
	char *tc_report[] = { "trace-cmd", "report", "-i", "/tmp/ev.dat", NULL };
	char *bt[] = { "bpftrace", "-o", OUT, "-e", BT_FAULT " " BT_INVALID,
		"-c", WORKLOAD " " INFO, NULL };

	if (!strcmp(tool, "perf"))
		return pfs_run_cmd(perf_rec, LOG) ?: pfs_run_cmd(perf_script, OUT);
	if (!strcmp(tool, "trace-cmd"))
		return pfs_run_cmd(tc_rec, LOG) ?: pfs_run_cmd(tc_report, OUT);
	/* a large ring: printf() output lost would fail the counts */
	setenv("BPFTRACE_PERF_RB_PAGES", "1024", 1);
	return pfs_run_cmd(bt, LOG);
}

static unsigned long long fact(const char *key)
{
	return pfs_ev_num(&info, key);
}

static void read_rows(void);
static void find_window(void);

/* the row's counter col: after - before the window */
static unsigned long long delta(const char *col)
{
	return pfs_col(tab[1], row[1], col) - pfs_col(tab[0], row[0], col);
}

/* Known reasons a consumer cannot work on the running kernel. */
static void explain_failure(void)
{
	size_t len;
	char *log = pfs_slurp(LOG, &len);

	if (log && strstr(log, "'linux/types.h' file not found"))
		pfs_info("bpftrace 0.17 resolves tracepoint argument types through kernel "
			 "headers on this kernel (seen on 5.10: it does so even for "
			 "sched:sched_stat_runtime, BTF or not): tests/vm/run puts them "
			 "on the disk, linked as /lib/modules/$(uname -r)/build and "
			 "source; they are missing");
	free(log);
}

static void test_record(void)
{
	size_t len;
	char *text;

	pfs_require_tool(tool);
	unlink(INFO);
	if (consume()) {
		explain_failure();
		pfs_fail("%s failed (above)", tool);
	}
	if (pfs_read_file(INFO, info_text, sizeof(info_text)) <= 0)
		pfs_fail("the workload wrote no %s: it did not finish", INFO);
	info_text[strcspn(info_text, "\n")] = 0;
	pfs_info("workload: %s", info_text);
	pfs_ev_parse_line(info_text, &info);
	text = pfs_slurp(OUT, &len);
	if (!text)
		pfs_fail("no output from %s", tool);
	pfs_expect_true("no event lost", !strcasestr(text, "lost"),
			"the consumer says it lost events");
	free(text);
	all = pfs_events_read(OUT);
	if (!all)
		pfs_fail("cannot read %s", OUT);
	pfs_info("%s printed %zu events", tool, all->n);
	read_rows();
	find_window();
}

/* The workload's row in its two reads of the table. */
static void read_rows(void)
{
	char path[64];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s.row%d", INFO, i);
		tab[i] = pfs_table_read(path);
		if (!tab[i])
			pfs_fail("the workload's table read %s is not a table", path);
		row[i] = pfs_table_find(tab[i], fact("pid"), fact("start_time"));
		if (!row[i])
			pfs_fail("no row for the workload (pid %llu) in %s", fact("pid"), path);
	}
}

/* index of the fault event at the marker's address, or all->n */
static size_t marker_event(const char *key)
{
	size_t i;

	for (i = 0; i < all->n; i++)
		if (pfs_ev_is_fault(&all->ev[i]) &&
		    pfs_ev_num(&all->ev[i], "address") == fact(key))
			return i;
	pfs_fail("no fault event at %s (0x%llx)", key, fact(key));
}

static void find_window(void)
{
	size_t a = marker_event("marker0"), b = marker_event("marker1");

	if (b < a)
		pfs_fail("the second marker's event comes before the first");
	win.ev = all->ev + a;
	win.n = b - a;
	pfs_info("%zu events in the measured window", win.n);
}

static void require_record(void)
{
	if (!win.n)
		pfs_fail("nothing recorded (first sub-test failed)");
}

static void test_only_workload(void)
{
	size_t i, other = 0;

	require_record();
	for (i = 0; i < all->n; i++)
		other += pfs_ev_num(&all->ev[i], "tgid") != fact("pid") ||
			 pfs_ev_num(&all->ev[i], "pid") != fact("pid");
	pfs_expect_eq("events of another thread or process", other, 0,
		      "the consumer follows only its command, a single thread");
}

/* events with field key == val, against the delta of the row's column col */
static void expect_col(const char *key, const char *val, const char *col)
{
	char what[96], source[96];

	snprintf(what, sizeof(what), "events with %s=%s", key, val);
	snprintf(source, sizeof(source), "the row's %s delta", col);
	pfs_expect_eq(what, pfs_events_count(ev, key, val), delta(col), source);
}

static void test_counts(void)
{
	static const char *const results[][2] = {
		{ "minor", "minor" }, { "major", "major" }, { "retry", "retry" },
		{ "oom", "oom" }, { "sigbus", "sigbus" }, { "hwpoison", "hwpoison" },
		{ "segv", "segv_mm" },
	};
	static const char *const kinds[] = {
		"segv_maperr", "segv_accerr", "segv_pkuerr", "efault",
	};
	size_t i;

	require_record();
	for (i = 0; i < sizeof(results) / sizeof(results[0]); i++)
		expect_col("result", results[i][0], results[i][1]);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		expect_col("kind", kinds[i], kinds[i]);
	pfs_expect_eq("fault events + invalid events", ev->n,
		      pfs_events_count(ev, "result", NULL) + pfs_events_count(ev, "kind", NULL),
		      "every event line is one of the two");
}

/* events of result res and cause cause, against the debugfs column */
static void test_causes(void)
{
	static const char *const causes[] = { "anon", "file", "shmem" };
	static const char *const results[] = { "minor", "major" };
	char col[32];
	size_t i, j, k, n;

	require_record();
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 2; j++) {
			n = 0;
			for (k = 0; k < ev->n; k++) {
				const char *r = pfs_ev_str(&ev->ev[k], "result");
				const char *c = pfs_ev_str(&ev->ev[k], "cause");

				n += r && c && !strcmp(r, results[j]) && !strcmp(c, causes[i]);
			}
			snprintf(col, sizeof(col), "%s_%s", causes[i], results[j]);
			pfs_expect_eq(col, n, delta(col),
				      "the row's delta in the debugfs column of that name");
		}
	}
}

static void test_rusage(void)
{
	require_record();
	pfs_expect_eq("row minor", pfs_col(tab[1], row[1], "minor"), fact("ru_minflt"),
		      "the workload's getrusage() right after its second read of the table");
	pfs_expect_eq("row major", pfs_col(tab[1], row[1], "major"), fact("ru_majflt"),
		      "the workload's getrusage() right after its second read of the table");
}

/*
 * The window's fault events of result res with address in [lo, lo + pages
 * pages) (lo_key, pages_key: the workload's facts): their number; with sel,
 * the events themselves (sel holds ev->n), and with seen, events per page.
 */
static size_t in_range(const char *lo_key, const char *pages_key, const char *res,
		       const struct pfs_event **sel, unsigned char *seen)
{
	unsigned long long lo = fact(lo_key), hi = lo + fact(pages_key) * PFS_PAGE, a;
	size_t i, n = 0;

	for (i = 0; i < ev->n; i++) {
		const struct pfs_event *e = &ev->ev[i];

		if (!pfs_ev_is_fault(e) || strcmp(pfs_ev_str(e, "result"), res))
			continue;
		a = pfs_ev_num(e, "address");
		if (a < lo || a >= hi)
			continue;
		if (sel)
			sel[n] = e;
		if (seen)
			seen[(a - lo) / PFS_PAGE]++;
		n++;
	}
	return n;
}

/* in_range()'s events, in a buffer the caller frees */
static const struct pfs_event **selection(void)
{
	const struct pfs_event **sel = calloc(ev->n + 1, sizeof(*sel));

	if (!sel)
		pfs_fail("out of memory");
	return sel;
}

static bool cause_is(const struct pfs_event *e, const char *cause)
{
	return !strcmp(pfs_ev_str(e, "cause"), cause);
}

static void test_anon(void)
{
	const struct pfs_event **sel = selection();
	unsigned char seen[4096] = { 0 };
	unsigned long long lo, off;
	size_t i, n, exact = 0, pages;

	require_record();
	lo = fact("anon_lo");
	off = fact("anon_off");
	pages = fact("anon_pages");
	n = in_range("anon_lo", "anon_pages", "minor", sel, seen);
	pfs_expect_eq("minor events in the anon range", n, pages,
		      "one first-touch write per page");
	for (i = 0; i < n; i++)
		exact += (pfs_ev_num(sel[i], "address") - lo) % PFS_PAGE == off &&
			 cause_is(sel[i], "anon");
	pfs_expect_eq("of them at the byte written, cause anon", exact, pages,
		      "address is the faulting address, the range is private anonymous");
	for (i = n = 0; i < pages; i++)
		n += seen[i] == 1;
	pfs_expect_eq("pages with exactly one event", n, pages, "each page touched once");
	free(sel);
}

static void test_file(void)
{
	const struct pfs_event **sel = selection();
	unsigned char seen[4096] = { 0 };
	unsigned long long lo, pgoff;
	size_t i, n, ok = 0, pages;
	const char *dev;

	require_record();
	lo = fact("file_lo");
	pgoff = fact("file_pgoff");
	pages = fact("file_pages");
	dev = pfs_ev_str(&info, "file_dev");
	pfs_expect_eq("pages cached before the reads", fact("file_resident"), 0,
		      "fsync + POSIX_FADV_DONTNEED dropped them (mincore)");
	n = in_range("file_lo", "file_pages", "major", sel, seen);
	pfs_expect_eq("major events in the MADV_RANDOM file range", n, pages,
		      "no readahead: one read from disk per page");
	for (i = 0; i < n; i++)
		ok += cause_is(sel[i], "file") && dev &&
		      !strcmp(pfs_ev_str(sel[i], "dev"), dev) &&
		      pfs_ev_num(sel[i], "ino") == fact("file_ino") &&
		      pfs_ev_num(sel[i], "pgoff") ==
		      pgoff + (pfs_ev_num(sel[i], "address") - lo) / PFS_PAGE;
	pfs_expect_eq("of them cause file, dev and ino of data64m, pgoff of the address",
		      ok, pages, "stat() of the file; the mapping's offset in pages");
	for (i = n = 0; i < pages; i++)
		n += seen[i] == 1;
	pfs_expect_eq("pages with exactly one major event", n, pages,
		      "pgoff range: each page of the range read once");
	pfs_info("retry events in that range: %zu",
		 in_range("file_lo", "file_pages", "retry", NULL, NULL));
	free(sel);
}

static void test_retry(void)
{
	size_t n;

	require_record();
	n = in_range("ra_lo", "ra_pages", "retry", NULL, NULL);
	pfs_info("readahead range: %zu retry, %zu major, %zu minor events", n,
		 in_range("ra_lo", "ra_pages", "major", NULL, NULL),
		 in_range("ra_lo", "ra_pages", "minor", NULL, NULL));
	pfs_expect_ge("retry events in the readahead range", n, 1,
		      "a fault that waits for readahead I/O drops the lock: VM_FAULT_RETRY");
}

static void test_swap(void)
{
	const struct pfs_event **sel = selection();
	size_t n, anon = 0, i;

	require_record();
	if (fact("swap_out") == 0)
		pfs_skip("MADV_PAGEOUT swapped nothing out");
	n = in_range("swap_lo", "swap_pages", "major", sel, NULL);
	pfs_expect_eq("major events in the swapped range", n, fact("swap_out"),
		      "one swap-in per page mincore() saw swapped out");
	for (i = 0; i < n; i++)
		anon += cause_is(sel[i], "anon");
	pfs_expect_eq("of them cause anon", anon, n, "swap-in in a private anonymous VMA");
	free(sel);
}

/* user mode: field user=1, or the printed format's mode=user */
static bool user_mode(const struct pfs_event *e)
{
	const char *m = pfs_ev_str(e, "mode");

	return m ? !strcmp(m, "user") : pfs_ev_num(e, "user") == 1;
}

static void test_segv(void)
{
	unsigned char seen[64] = { 0 };
	unsigned long long lo = 0, n_want = 0, a;
	size_t i, n = 0, at = 0, ip_ok = 0, user = 0;

	require_record();
	lo = fact("segv_lo");
	n_want = fact("segv_n");
	pfs_expect_eq("SIGSEGVs the workload caught", fact("segv_caught"), n_want,
		      "20 reads of unmapped addresses");
	for (i = 0; i < ev->n; i++) {
		const struct pfs_event *e = &ev->ev[i];
		unsigned long long ip;

		if (!pfs_ev_is_invalid(e) || strcmp(pfs_ev_str(e, "kind"), "segv_maperr"))
			continue;
		n++;
		a = pfs_ev_num(e, "address");
		ip = pfs_ev_num(e, "ip");
		if (a >= lo && a < lo + n_want * PFS_PAGE &&
		    (a - lo) % PFS_PAGE == 8 * ((a - lo) / PFS_PAGE)) {
			at++;
			seen[(a - lo) / PFS_PAGE]++;
		}
		ip_ok += ip >= fact("text_lo") && ip < fact("text_hi");
		user += user_mode(e);
	}
	pfs_expect_eq("segv_maperr events", n, n_want, "the workload's 20 bad reads, no other");
	pfs_expect_eq("of them at the address read (page i, byte 8 i)", at, n_want,
		      "event address is the bad address");
	for (i = n = 0; i < n_want && i < sizeof(seen); i++)
		n += seen[i] == 1;
	pfs_expect_eq("addresses seen exactly once", n, n_want, "each read once");
	pfs_expect_eq("of them with ip in the workload's text", ip_ok, n_want,
		      "[__executable_start, etext) of ev_workload");
	pfs_expect_eq("of them in user mode", user, n_want, "a user access");
}

static void test_efault(void)
{
	size_t i, n = 0, at = 0, kernel = 0;

	require_record();
	pfs_expect_eq("getcpu() calls that failed with EFAULT", fact("efault_n"),
		      fact("efault_calls"), "a pointer into an unmapped page");
	for (i = 0; i < ev->n; i++) {
		const struct pfs_event *e = &ev->ev[i];

		if (!pfs_ev_is_invalid(e) || strcmp(pfs_ev_str(e, "kind"), "efault"))
			continue;
		n++;
		at += pfs_ev_num(e, "address") == fact("efault_addr");
		kernel += !user_mode(e) && pfs_ev_num(e, "ip") >= 0xffff800000000000ULL;
	}
	pfs_expect_eq("efault events", n, fact("efault_n"),
		      "getcpu() stores with one put_user(): one fixed-up fault per call");
	pfs_expect_eq("of them at the pointer passed", at, n, "event address is the bad address");
	pfs_expect_eq("of them in kernel mode, ip a kernel address", kernel, n,
		      "the fault is the kernel's put_user()");
}

static bool no_fprobe;	/* the kernel has none: nothing more to check */

/* ev_check TOOL fprobe: the module in mode=fprobe for the checks. */
static void test_fprobe_mode(void)
{
	char mode[32];

	pfs_require_module();
	if (!pfs_fprobe_available()) {
		no_fprobe = true;
		pfs_expect_true("insmod mode=fprobe refused without fprobe",
				pfs_module_reload("mode=fprobe") != 0,
				"this kernel has no fprobe (CONFIG_FPROBE=n): mode=fprobe "
				"cannot load, so it has no events to check");
		pfs_module_restore();
		return;
	}
	atexit(pfs_module_restore);
	if (pfs_module_reload("mode=fprobe") != 0)
		pfs_fail("insmod mode=fprobe failed (/tmp/insmod.err)");
	pfs_expect_str("status mode", pfs_status_value("mode", mode, sizeof(mode)),
		       "fprobe", "the events come from the fprobe's handlers");
}

/*
 * ev_check TOOL direct|kretprobe: the module in that mode for the checks
 * (direct: the events come from the trampoline's halves; where the
 * architecture has no trampoline it falls back to the kretprobe, whose
 * events are checked then). The default, auto, is direct on x86-64: the
 * kretprobe keeps a run of its own.
 */
static const char *mode_arg;

static void test_mode(void)
{
	char v[32], args[32];
	bool fell_back = false;

	pfs_require_module();
	atexit(pfs_module_restore);
	snprintf(args, sizeof(args), "mode=%s", mode_arg);
	if (pfs_module_reload(args) != 0)
		pfs_fail("insmod %s failed (/tmp/insmod.err)", args);
	if (!strcmp(mode_arg, "direct"))
		fell_back = !strcmp(pfs_status_value("direct_available", v, sizeof(v)), "0");
	pfs_expect_str("status mode", pfs_status_value("mode", v, sizeof(v)),
		       fell_back ? "kretprobe" : mode_arg,
		       "the events come from that mechanism's handlers");
}

int main(int argc, char **argv)
{
	bool fprobe = argc == 3 && !strcmp(argv[2], "fprobe");
	bool other = argc == 3 && (!strcmp(argv[2], "direct") ||
				   !strcmp(argv[2], "kretprobe"));

	if ((argc != 2 && !fprobe && !other) ||
	    (strcmp(argv[1], "perf") && strcmp(argv[1], "trace-cmd") &&
	     strcmp(argv[1], "bpftrace"))) {
		fprintf(stderr, "usage: ev_check perf|trace-cmd|bpftrace [fprobe|direct|kretprobe]\n");
		return 2;
	}
	tool = argv[1];
	pfs_begin();
	if (fprobe)
		pfs_test("mode=fprobe: reloaded so, or refused where the kernel has no fprobe",
			 test_fprobe_mode);
	if (other) {
		mode_arg = argv[2];
		pfs_test("reloaded in the mode asked for (direct: the kretprobe where there is no trampoline)",
			 test_mode);
	}
	if (no_fprobe)
		return pfs_exit();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("the workload runs under the consumer, which prints its events",
		 test_record);
	pfs_test("every event is the workload's (tgid and pid)", test_only_workload);
	pfs_test("events of each result and kind == the row's counter delta", test_counts);
	pfs_test("events of each cause and result == delta of debugfs anon/file/shmem columns",
		 test_causes);
	pfs_test("row minor/major == the workload's getrusage()", test_rusage);
	pfs_test("anon: 256 minor events, one at each written address", test_anon);
	pfs_test("file majors: one per page, dev/ino of data64m, pgoff of the page",
		 test_file);
	pfs_test("readahead: retry events", test_retry);
	pfs_test("swap-in: one major event per page swapped out", test_swap);
	pfs_test("SIGSEGV: 20 segv_maperr events at the addresses read, ip in the binary",
		 test_segv);
	pfs_test("EFAULT: 20 efault events at the pointer, kernel mode", test_efault);
	pfs_table_free(tab[0]);
	pfs_table_free(tab[1]);
	pfs_events_free(all);
	return pfs_exit();
}
