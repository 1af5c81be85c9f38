// SPDX-License-Identifier: GPL-2.0
/*
 * The debug lane's systematic fault injection (issue 13):
 *
 *	debug_fail_nth [--load]
 *
 * /proc/thread-self/fail-nth fails the Nth allocation (slab or page, any
 * gfp) of the calling thread from the next system call on. Each of these
 * calls is made with its Nth allocation failing, for each N up to the
 * number it makes:
 *  - loading the module (finit_module(2)): it fails cleanly, leaving no
 *    proc file and no debugfs directory behind, or succeeds and unloads.
 *    A load makes thousands of allocations, most of them the loader's
 *    (the file's pages, the module's memory, symbols) before the module's
 *    init runs; on the debug kernel under TCG a late failure costs seconds.
 *    So every N of the last LOAD_TAIL (the module's init and what follows
 *    it) and every LOAD_STRIDE-th before. Only with --load: on 6.1 some of
 *    the kernel's own paths WARN when an allocation fails (the module's
 *    trace event fields, event_define_fields(); disarming a kprobe on
 *    ftrace, __disarm_kprobe_ftrace()), which the lane's dmesg check counts;
 *    it found the module's lookup kprobe on the stack (module/unregister.c);
 *  - reading each of the module's files: the read fails (ENOMEM) or gives
 *    the whole file; a table read afterwards is whole and valid;
 *  - writing each filter and enabled: the write fails and the knob reads
 *    back as before, or succeeds and reads back as written.
 * The lane's kmemleak scans and dmesg check then say whether any error path
 * leaked or complained. The module must count exactly afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pfs_test.h"

#define MAX_NTH		50000
#define LOAD_TAIL	200
#define LOAD_STRIDE	100
#define FAILSLAB	"/sys/kernel/debug/failslab"
#define FAIL_PAGE	"/sys/kernel/debug/fail_page_alloc"

struct knob {
	const char *path, *value;
	char old[64];
};

/* Every allocation may fail: none ignored for its gfp, order or cache. */
static struct knob fi_knobs[] = {
	{ .path = FAILSLAB "/ignore-gfp-wait", .value = "N" },
	{ .path = FAILSLAB "/cache-filter", .value = "N" },
	{ .path = FAIL_PAGE "/ignore-gfp-wait", .value = "N" },
	{ .path = FAIL_PAGE "/ignore-gfp-highmem", .value = "N" },
	{ .path = FAIL_PAGE "/min-order", .value = "0" },
	{ .path = FAILSLAB "/verbose", .value = "0" },
	{ .path = FAIL_PAGE "/verbose", .value = "0" },
};

#define NKNOBS (sizeof(fi_knobs) / sizeof(fi_knobs[0]))

static int nth_fd = -1;

static void fi_restore(void)
{
	size_t i;

	for (i = 0; i < NKNOBS; i++)
		if (fi_knobs[i].old[0])
			pfs_write_file(fi_knobs[i].path, fi_knobs[i].old,
				       strlen(fi_knobs[i].old));
}

static void fi_setup(void)
{
	size_t i;

	if (nth_fd >= 0)
		return;
	for (i = 0; i < NKNOBS; i++)
		if (pfs_read_file(fi_knobs[i].path, fi_knobs[i].old,
				  sizeof(fi_knobs[i].old)) < 0)
			pfs_fail("cannot read %s: no fault injection in this kernel?",
				 fi_knobs[i].path);
	atexit(fi_restore);
	for (i = 0; i < NKNOBS; i++)
		pfs_write_or_fail(fi_knobs[i].path, fi_knobs[i].value, "fault injection");
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0)
		pfs_fail("cannot open /proc/thread-self/fail-nth: %s", strerror(errno));
	pfs_settle();
}

/* Arm: the nth allocation from now on fails. Kept short: no allocation
 * and no fault of our own between this and the call it is for. */
static inline void nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(nth_fd, buf, len, 0) != len)
		pfs_fail("cannot write fail-nth: %s", strerror(errno));
}

/* Disarm; whether the failure was injected (the count ran out). */
static bool nth_disarm(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		pfs_fail("cannot read fail-nth: %s", strerror(errno));
	if (pwrite(nth_fd, "0", 1, 0) != 1)
		pfs_fail("cannot write fail-nth: %s", strerror(errno));
	return strtoul(buf, NULL, 10) == 0;
}

static void note_errno(int *counts, int e)
{
	if (e > 0 && e < 256)
		counts[e]++;
}

static void print_errnos(const char *what, const int *counts)
{
	char line[512] = "";
	size_t len = 0;
	int e;

	for (e = 1; e < 256; e++)
		if (counts[e] && len < sizeof(line) - 64)
			len += snprintf(line + len, sizeof(line) - len, " %s x%d",
					strerrorname_np(e) ? strerrorname_np(e) : "?", counts[e]);
	pfs_info("%s failed with:%s", what, len ? line : " (never)");
}

/* The allocations of a load that fails none: armed past their number. */
static unsigned int load_allocations(int ko)
{
	char buf[16] = "";
	long r;

	nth_arm(MAX_NTH * 10);
	r = syscall(SYS_finit_module, ko, "", 0);
	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0 || pwrite(nth_fd, "0", 1, 0) != 1)
		pfs_fail("cannot read fail-nth: %s", strerror(errno));
	if (r)
		pfs_fail("a load with nothing failing failed: %s", strerror(errno));
	if (pfs_module_remove(30000, NULL))
		pfs_fail("cannot unload the module");
	return MAX_NTH * 10 - strtoul(buf, NULL, 10);
}

static void test_load(void)
{
	int ko, errs[256] = { 0 };
	unsigned int n, total, failed = 0, survived = 0, tried = 0;
	double t0 = pfs_now();
	long r;
	int e;

	fi_setup();
	if (pfs_module_loaded() && pfs_module_remove(30000, NULL))
		pfs_fail("cannot unload the module");
	ko = open(PFS_MODULE_KO, O_RDONLY | O_CLOEXEC);
	if (ko < 0)
		pfs_fail("cannot open %s: %s", PFS_MODULE_KO, strerror(errno));
	total = load_allocations(ko);
	pfs_info("a load makes %u allocations: failing each of the last %u and every %u-th before",
		 total, LOAD_TAIL, LOAD_STRIDE);
	for (n = 1; n <= MAX_NTH; n++) {
		bool injected;

		if (n + LOAD_TAIL <= total && n % LOAD_STRIDE)
			continue;
		tried++;
		nth_arm(n);
		r = syscall(SYS_finit_module, ko, "", 0);
		e = errno;
		injected = nth_disarm();
		if (r == 0) {
			if (pfs_module_remove(30000, NULL))
				pfs_fail("allocation %u: loaded, but cannot unload", n);
			if (!injected)
				break;
			survived++;
			continue;
		}
		failed++;
		note_errno(errs, e);
		if (!injected) {
			pfs_expect_true("a load with no failure injected succeeds", false, "");
			pfs_info("allocation %u: %s with no failure injected", n, strerror(e));
			break;
		}
		if (!access(PFS_PROC_PATH, F_OK) || !access(PFS_DEBUGFS_DIR, F_OK)) {
			pfs_expect_true("a failed load leaves nothing behind", false, "");
			pfs_info("allocation %u failed (%s): %s is still there", n, strerror(e),
				 access(PFS_PROC_PATH, F_OK) ? PFS_DEBUGFS_DIR : PFS_PROC_PATH);
			break;
		}
	}
	close(ko);
	pfs_info("%u loads with a failure injected: %u failed, %u got over it; the load with allocation %u failing made no more; %.1f s",
		 tried - 1, failed, survived, n, pfs_now() - t0);
	print_errnos("loads", errs);
	pfs_expect_le("allocations in a load", n, MAX_NTH, "the loop found the end");
	pfs_expect_ge("loads failed by an injected failure", failed, 1,
		      "a load that allocates nothing is impossible");
	if (pfs_module_insert(""))
		pfs_fail("cannot load the module again");
	pfs_require_module();
}

/* Read @path whole with its nth allocation failing: 0 (whole), or errno */
static int read_nth(const char *path, unsigned int n, bool *injected)
{
	static char buf[65536];
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e = 0;

	if (fd < 0)
		pfs_fail("cannot open %s: %s", path, strerror(errno));
	nth_arm(n);
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		;
	if (got < 0)
		e = errno;
	*injected = nth_disarm();
	close(fd);
	return e;
}

static void test_reads(void)
{
	static const char *const files[] = {
		PFS_PROC_PATH, PFS_DEBUGFS_DIR "/procs", PFS_DEBUGFS_DIR "/hist",
		PFS_DEBUGFS_DIR "/status", PFS_DEBUGFS_DIR "/enabled",
		PFS_DEBUGFS_DIR "/pid_filter", PFS_DEBUGFS_DIR "/comm_filter",
		PFS_DEBUGFS_DIR "/cgroup_filter",
	};
	size_t f;

	fi_setup();
	pfs_require_module();
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		int errs[256] = { 0 }, e;
		unsigned int n, failed = 0;
		bool injected = true;

		for (n = 1; n <= MAX_NTH && injected; n++) {
			e = read_nth(files[f], n, &injected);
			if (e) {
				failed++;
				note_errno(errs, e);
				if (!injected) {
					pfs_expect_true("a read with no failure injected succeeds", false, "");
					pfs_info("%s: %s with no failure injected", files[f], strerror(e));
				}
			}
			if (f < 2 && e) {
				struct pfs_table *t = pfs_table_read(files[f]);

				if (!pfs_expect_true("a table read after a failed one is valid",
						     t != NULL, files[f]))
					break;
				pfs_table_free(t);
			}
		}
		pfs_info("%s: a read makes %u allocations, %u reads failed", files[f], n - 2, failed);
		print_errnos(files[f], errs);
		pfs_expect_le("allocations in a read", n, MAX_NTH, files[f]);
	}
}

static void test_writes(void)
{
	static const struct { const char *knob, *value; } w[] = {
		{ "pid_filter", "1,2,3\n" },
		{ "comm_filter", "pfs-nobody\n" },
		{ "cgroup_filter", "/\n" },
		{ "enabled", "0\n" },
	};
	size_t k;

	fi_setup();
	pfs_require_module();
	for (k = 0; k < sizeof(w) / sizeof(w[0]); k++) {
		char path[128], before[256], after[256], want[256];
		int errs[256] = { 0 }, fd, e;
		unsigned int n, failed = 0;
		bool injected = true;
		ssize_t r;

		snprintf(path, sizeof(path), "%s/%s", PFS_DEBUGFS_DIR, w[k].knob);
		/* what it reads back as, written with nothing failing */
		pfs_knobs_restore();
		pfs_write_or_fail(path, w[k].value, w[k].knob);
		if (pfs_read_file(path, want, sizeof(want)) < 0)
			pfs_fail("cannot read %s", path);
		for (n = 1; n <= MAX_NTH && injected; n++) {
			pfs_knobs_restore();
			if (pfs_read_file(path, before, sizeof(before)) < 0)
				pfs_fail("cannot read %s", path);
			fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd < 0)
				pfs_fail("cannot open %s: %s", path, strerror(errno));
			nth_arm(n);
			r = write(fd, w[k].value, strlen(w[k].value));
			e = errno;
			injected = nth_disarm();
			close(fd);
			if (pfs_read_file(path, after, sizeof(after)) < 0)
				pfs_fail("cannot read %s", path);
			if (r < 0) {
				failed++;
				note_errno(errs, e);
				if (!pfs_expect_str("knob after a failed write", after, before,
						    "a failed write changes nothing"))
					break;
				continue;
			}
			if (!pfs_expect_str("knob after a write that got over its failure", after,
					    want, "as written"))
				break;
		}
		pfs_knobs_restore();
		pfs_info("%s: a write makes %u allocations, %u writes failed", w[k].knob, n - 2, failed);
		print_errnos(w[k].knob, errs);
	}
}

static void test_exact_after(void)
{
	struct pfs_child c;

	pfs_require_module();
	pfs_run(&c, pfs_touch_fresh, PFS_PAGES(64));
	pfs_require_clean_exit(&c);
	pfs_table_free(pfs_check_child(&c, PFS_PROC_PATH, NULL));
}

int main(int argc, char **argv)
{
	pfs_begin();
	if (argc > 1 && !strcmp(argv[1], "--load"))
		pfs_test("a load with its Nth allocation failing, each N", test_load);
	pfs_test("reads of every file with their Nth allocation failing", test_reads);
	pfs_test_knobs("knob writes with their Nth allocation failing", test_writes);
	pfs_test("the module counts exactly afterwards", test_exact_after);
	return pfs_exit();
}
