// SPDX-License-Identifier: GPL-2.0
/*
 * mode=direct and a BPF trampoline on the same function (issue 17): a
 * function has room for one direct caller, so the first comes first.
 *
 * - bpftrace's kretfunc:handle_mm_fault (an empty BPF fexit program, a BPF
 *   trampoline: a direct caller) is attached first: insmod mode=direct
 *   still loads, on the kretprobe, and says why (status direct fallback,
 *   direct_reason naming another direct caller; the kernel log); it counts
 *   a workload exactly as ever;
 * - the module holds the function in mode=direct: the same bpftrace
 *   program fails to attach (and the module keeps counting).
 *
 * Where the architecture has no trampoline (the module's status
 * direct_available 0) the first case is the fallback anyway: skipped; so
 * are both where bpftrace has no kretfunc (Debian 5.10 here).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_test.h"

#define BT_OUT		"/tmp/ev_direct_bpf.out"	/* bpftrace -o */
#define BT_LOG		"/tmp/ev_direct_bpf.log"	/* its stdout, stderr */
#define N_PAGES		256

static char *const bt[] = { "bpftrace", "-o", BT_OUT, "-e",
			    "kretfunc:handle_mm_fault { }", NULL };

static int w_touch(void *arg)
{
	char *p;
	size_t i;

	(void)arg;
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	for (i = 0; i < N_PAGES; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
	return 0;
}

/* A workload's row equals its rusage: the module counts, whatever the mode. */
static void check_counting(void)
{
	const struct pfs_row *row;
	struct pfs_child c;

	pfs_run(&c, w_touch, NULL);
	pfs_require_clean_exit(&c);
	pfs_table_free(pfs_check_child(&c, PFS_PROC_PATH, &row));
}

/*
 * bpftrace started: wait until it has attached (true: it said "Attaching
 * 1 probe" and still runs 2 s later; it says so before it tries), or has
 * exited (false, its exit status in *@st; -1 if neither within a minute:
 * then it is still running).
 */
static bool bt_attached(pid_t pid, int *st)
{
	double until = pfs_now() + 60.0 * pfs_time_scale(), said = 0;
	int w;

	*st = -1;
	while (pfs_now() < until) {
		if (waitpid(pid, &w, WNOHANG) == pid) {
			*st = WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
			return false;
		}
		if (!said && !access(BT_OUT, R_OK)) {
			char *out = pfs_slurp(BT_OUT, NULL);

			if (out && strstr(out, "Attaching 1 probe"))
				said = pfs_now();
			free(out);
		} else if (said && pfs_now() - said > 2.0 * pfs_time_scale()) {
			return true;
		}
		usleep(100 * 1000);
	}
	return false;
}

/* bpftrace said this kernel gives it no kfunc/kretfunc (5.10 here): skip. */
static void bt_skip_unsupported(void)
{
	char *log = pfs_slurp(BT_LOG, NULL);
	bool no = log && strstr(log, "not available for your kernel");

	free(log);
	if (no)
		pfs_skip("bpftrace has no kretfunc on this kernel: no BPF trampoline to meet");
}

static void bt_stop(pid_t pid)
{
	kill(pid, SIGINT);
	pfs_exec_wait(pid);
}

static void test_bpf_first(void)
{
	char v[32], why[160];
	struct pfs_table *t;
	pid_t pid;
	int st;

	if (pfs_module_reload("") != 0)
		pfs_fail("insmod failed");
	if (!strcmp(pfs_status_value("direct_available", v, sizeof(v)), "0"))
		pfs_skip("no direct-call trampoline on this architecture");
	if (system("rmmod pagefault_stats") != 0)
		pfs_fail("rmmod pagefault_stats failed");
	unlink(BT_OUT);
	pid = pfs_exec_start(bt, BT_LOG, BT_LOG);
	if (!bt_attached(pid, &st)) {
		char *out = pfs_slurp(BT_LOG, NULL);

		if (st < 0)
			bt_stop(pid);
		bt_skip_unsupported();
		pfs_info("bpftrace: %s", out ? out : "(no output)");
		free(out);
		pfs_fail("bpftrace could not attach kretfunc:handle_mm_fault");
	}
	if (pfs_module_reload("mode=direct") != 0) {
		bt_stop(pid);
		pfs_fail("insmod mode=direct failed under a BPF trampoline: it must fall back");
	}
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_str("mode in /proc/pagefault_stats", pfs_global_word(t, "mode"),
		       "kretprobe", "the function's one direct caller is BPF's");
	pfs_table_free(t);
	pfs_expect_str("status direct", pfs_status_value("direct", v, sizeof(v)),
		       "fallback", "asked for, not possible");
	pfs_status_value("direct_reason", why, sizeof(why));
	pfs_expect_true("direct_reason names the other direct caller",
			strstr(why, "another direct caller") != NULL, why);
	check_counting();
	bt_stop(pid);
}

static void test_module_first(void)
{
	char v[32], *out;
	pid_t pid;
	int st;

	if (pfs_module_reload("mode=direct") != 0)
		pfs_fail("insmod mode=direct failed");
	if (strcmp(pfs_status_value("direct", v, sizeof(v)), "in_use"))
		pfs_skip("mode=direct is not in use here (status direct %s)", v);
	unlink(BT_OUT);
	pid = pfs_exec_start(bt, BT_LOG, BT_LOG);
	if (bt_attached(pid, &st)) {
		bt_stop(pid);
		pfs_fail("bpftrace attached kretfunc:handle_mm_fault beside mode=direct");
	}
	if (st < 0) {
		bt_stop(pid);
		pfs_fail("bpftrace neither attached nor exited in a minute");
	}
	bt_skip_unsupported();
	out = pfs_slurp(BT_LOG, NULL);
	pfs_info("bpftrace exited %d: %s", st, out ? out : "(no output)");
	pfs_expect_true("bpftrace exits with an error", st != 0,
			"the kernel refuses a second direct caller (EBUSY)");
	pfs_expect_true("bpftrace says it could not attach the probe",
			out && strstr(out, "Error attaching probe"), "its own words");
	free(out);
	check_counting();
}

int main(void)
{
	pfs_begin();
	atexit(pfs_module_restore);
	pfs_test("a BPF fexit on handle_mm_fault first: mode=direct falls back to the kretprobe and says why",
		 test_bpf_first);
	pfs_test("mode=direct first: bpftrace's kretfunc:handle_mm_fault cannot attach",
		 test_module_first);
	return pfs_exit();
}
