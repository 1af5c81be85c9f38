// SPDX-License-Identifier: GPL-2.0
/*
 * The module's modes (parameter mode=): each loads, says in
 * /proc/pagefault_stats which mechanism it uses, and counts a workload's
 * minor and major faults exactly as the kernel does; a mode the kernel
 * cannot give, or a mode that does not exist, is refused at load with a
 * message and leaves nothing behind. The module is reloaded with its
 * default parameters afterwards, as every test must leave it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_PAGES		256

static void test_default(void)
{
	if (pfs_module_reload("") != 0)
		pfs_fail("insmod with default parameters failed");
	pfs_require_module();
}

static int w_touch(void *arg)
{
	char *p;
	size_t i;

	(void)arg;
	pfs_settle();
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	for (i = 0; i < N_PAGES; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
	return 0;
}

/* Load with mode=@mode, expect @want in use, check a workload's row. */
static void check_mode(const char *mode, const char *want)
{
	const struct pfs_row *row;
	struct pfs_table *t;
	struct pfs_child c;
	char args[64];

	snprintf(args, sizeof(args), "mode=%s", mode);
	if (pfs_module_reload(args) != 0)
		pfs_fail("insmod %s failed", args);
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_str("mode in /proc/pagefault_stats", pfs_global_word(t, "mode"),
		       want, "the mechanism asked for (auto: direct where it can be, else kretprobe)");
	pfs_table_free(t);
	pfs_run(&c, w_touch, NULL);
	pfs_require_clean_exit(&c);
	pfs_expect_ge("kernel minor faults of the child", c.ru.ru_minflt, N_PAGES,
		      "it wrote 256 fresh pages");
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_table_free(t);
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_eq("nmissed", pfs_global(t, "nmissed"), 0, "no call missed");
	pfs_table_free(t);
}

/*
 * auto: the direct call where the module has a trampoline for the
 * architecture (x86-64: measured cheaper than the kretprobe on every kernel
 * here), else the kretprobe (fprobe measured no cheaper)
 */
static void test_auto(void)
{
	char kind[32], direct[8];

	if (pfs_module_reload("") != 0)
		pfs_fail("insmod failed");
	pfs_status_value("fprobe_kind", kind, sizeof(kind));
	pfs_info("this kernel's fprobe: %s", kind);
	pfs_status_value("direct_available", direct, sizeof(direct));
	check_mode("auto", strcmp(direct, "0") ? "direct" : "kretprobe");
}

static void test_direct(void)
{
	char direct[8];

	if (pfs_module_reload("") != 0)
		pfs_fail("insmod failed");
	pfs_status_value("direct_available", direct, sizeof(direct));
	check_mode("direct", strcmp(direct, "0") ? "direct" : "kretprobe");
}

/*
 * The fault path's clock: on x86-64 the TSC wherever the CPU has one (the
 * kernel then knows its frequency: sched_clock() runs on it too, even where
 * the clocksource watchdog, as under QEMU's TCG, rejects it as the
 * timekeeping clocksource), else local_clock(). On arm64 the generic
 * timer's counter (cntvct) wherever its frequency register CNTFRQ_EL0 is
 * set (readable from EL0: the kernel lets the vDSO read the counter).
 */
#if defined(__x86_64__)
static bool cpu_has_tsc(void)
{
	static char cpuinfo[1 << 16];
	const char *flags, *end, *t;

	pfs_read_file("/proc/cpuinfo", cpuinfo, sizeof(cpuinfo));
	flags = strstr(cpuinfo, "\nflags");
	end = flags ? strchr(flags + 1, '\n') : NULL;
	t = flags ? strstr(flags, " tsc ") : NULL;
	return t && (!end || t < end);
}
#elif defined(__aarch64__)
static unsigned long cntfrq(void)
{
	unsigned long f;

	__asm__ volatile ("mrs %0, cntfrq_el0" : "=r" (f));
	return f;
}
#endif

static void test_clock(void)
{
	char v[32];

	if (pfs_module_reload("") != 0)
		pfs_fail("insmod failed");
#if defined(__x86_64__)
	bool tsc = cpu_has_tsc();

	pfs_expect_str("status clock", pfs_status_value("clock", v, sizeof(v)),
		       tsc ? "tsc" : "local_clock",
		       tsc ? "the CPU has a TSC (/proc/cpuinfo flags)" : "no TSC flag in /proc/cpuinfo");
#elif defined(__aarch64__)
	unsigned long f = cntfrq();

	pfs_info("CNTFRQ_EL0: %lu Hz", f);
	pfs_expect_str("status clock", pfs_status_value("clock", v, sizeof(v)),
		       f ? "cntvct" : "local_clock",
		       f ? "CNTFRQ_EL0 gives the counter's frequency" : "CNTFRQ_EL0 reads 0");
#else
	pfs_expect_str("status clock", pfs_status_value("clock", v, sizeof(v)), "local_clock",
		       "the fast clock is x86-64 and arm64 only");
#endif
}

static void test_kretprobe(void)
{
	check_mode("kretprobe", "kretprobe");
}

static void test_fprobe(void)
{
	if (pfs_module_reload("") != 0)
		pfs_fail("insmod failed");
	if (!pfs_fprobe_available()) {
		pfs_expect_true("insmod mode=fprobe refused", pfs_module_reload("mode=fprobe") != 0,
				"the kernel is built without CONFIG_FPROBE");
		pfs_expect_true("no /proc/pagefault_stats after the refusal", !pfs_module_loaded(),
				"a failed load leaves nothing behind");
		return;
	}
	check_mode("fprobe", "fprobe");
}

static void test_light(void)
{
	check_mode("light", "light");
}

static void test_bad_mode(void)
{
	pfs_expect_true("insmod mode=bogus refused", pfs_module_reload("mode=bogus") != 0,
			"not a mode: EINVAL");
	pfs_expect_true("no /proc/pagefault_stats after the refusal", !pfs_module_loaded(),
			"a failed load leaves nothing behind");
}

int main(void)
{
	pfs_begin();
	atexit(pfs_module_restore);
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("mode=auto: direct (x86-64) or kretprobe; row equals rusage", test_auto);
	pfs_test("the fault path's clock is the TSC (x86-64) or the generic timer (arm64) where the kernel has one", test_clock);
	pfs_test("mode=kretprobe: row equals rusage", test_kretprobe);
	pfs_test("mode=fprobe: row equals rusage, or refused without CONFIG_FPROBE",
		 test_fprobe);
	pfs_test("mode=direct: the trampoline (x86-64) or the kretprobe; row equals rusage",
		 test_direct);
	pfs_test("mode=light: minor/major from the kernel's counters equal rusage", test_light);
	pfs_test("mode=bogus is refused and leaves nothing behind", test_bad_mode);
	pfs_test("module reloaded with default parameters", test_default);
	return pfs_exit();
}
