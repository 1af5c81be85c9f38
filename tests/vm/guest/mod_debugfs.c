// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs controls: every bad write fails with EINVAL and changes
 * nothing; writers without CAP_SYS_ADMIN are refused; reset, enabled,
 * pid_filter and comm_filter do what docs/format.md says, to the fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pfs_test.h"

#define KNOB(k) PFS_DEBUGFS_DIR "/" k
#define N_PAGES 256

/* Special inputs in the bad-input table. */
#define ZERO_LEN "<zero-length write>"
#define OVERSIZE "<4 KiB of '1'>"
#define AT_OFFSET_1 "<\"1\" written at offset 1>"		/* pwrite() */
#define SEEK_1 "<lseek to 1, then write \"1\">"

static const char *const bad_numeric[] = {
	ZERO_LEN, "abc", "-1", "99999999999999999999", "1 2", OVERSIZE, AT_OFFSET_1,
	SEEK_1, NULL,
};
static const char *const bad_enabled[] = { "2", "01x", NULL };
static const char *const bad_reset[] = { "0", "2", NULL };
static const char *const bad_pid_filter[] = {
	"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "1;2", NULL,
};
static const char *const bad_comm_filter[] = {
	ZERO_LEN, "99999999999999999999", "0123456789abcdef", OVERSIZE, AT_OFFSET_1,
	SEEK_1, NULL,
};

static int try_write(const char *path, const char *input)
{
	static char big[4096];
	ssize_t n;
	int fd, err;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	if (!strcmp(input, ZERO_LEN)) {
		n = write(fd, "", 0);
	} else if (!strcmp(input, OVERSIZE)) {
		memset(big, '1', sizeof(big));
		n = write(fd, big, sizeof(big));
	} else if (!strcmp(input, AT_OFFSET_1)) {
		n = pwrite(fd, "1", 1, 1);
	} else if (!strcmp(input, SEEK_1)) {
		n = lseek(fd, 1, SEEK_SET) == 1 ? write(fd, "1", 1) : -1;
	} else {
		n = write(fd, input, strlen(input));
	}
	err = n < 0 ? errno : 0;
	close(fd);
	return err;
}

/* A knob's value, without its trailing newline. */
static void knob_read(const char *path, char *buf, size_t sz)
{
	ssize_t n = pfs_read_file(path, buf, sz);

	if (n < 0)
		pfs_fail("cannot read %s: %s", path, strerror(errno));
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
}

static void expect_rejected(const char *knob, const char *path, const char *input,
			    const char *value_before)
{
	char what[256], now[512];
	int err = try_write(path, input);

	snprintf(what, sizeof(what), "write \"%.40s\" to %s: errno", input, knob);
	if (err != EINVAL)
		pfs_info("%s: errno %d (%s)", what, err, err ? strerror(err) : "success");
	pfs_expect_eq(what, err, EINVAL, "docs/format.md: anything else fails with EINVAL");
	if (value_before) {
		knob_read(path, now, sizeof(now));
		snprintf(what, sizeof(what), "%s after the bad write", knob);
		pfs_expect_str(what, now, value_before, "its value before the write");
	}
}

static void bad_inputs(const char *knob, const char *baseline,
		       const char *const *a, const char *const *b)
{
	char path[256], before[512];
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", PFS_DEBUGFS_DIR, knob);
	if (baseline)
		pfs_knob_set(knob, baseline);
	knob_read(path, before, sizeof(before));
	for (i = 0; a && a[i]; i++)
		expect_rejected(knob, path, a[i], before);
	for (i = 0; b && b[i]; i++)
		expect_rejected(knob, path, b[i], before);
}

static void require_debugfs(void)
{
	if (access(PFS_DEBUGFS_DIR, F_OK))
		pfs_fail("%s is missing (debugfs mounted? module loaded?)", PFS_DEBUGFS_DIR);
}

static void test_bad_enabled(void)
{
	require_debugfs();
	bad_inputs("enabled", "1", bad_numeric, bad_enabled);
}

static void test_bad_pid_filter(void)
{
	require_debugfs();
	bad_inputs("pid_filter", "\n", bad_numeric, bad_pid_filter);
	bad_inputs("pid_filter", "1", bad_numeric, bad_pid_filter);
}

static void test_bad_comm_filter(void)
{
	require_debugfs();
	bad_inputs("comm_filter", "\n", bad_comm_filter, NULL);
	bad_inputs("comm_filter", "pfs-nomatch", bad_comm_filter, NULL);
}

/* A child whose row must survive every rejected write to reset. */
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

static void expect_row_present(const struct pfs_child *c, const char *why)
{
	struct pfs_table *t = pfs_table_get(PFS_PROC_PATH);

	pfs_expect_true("the earlier child's row is still there",
			pfs_table_find(t, c->pid, c->start_time) != NULL, why);
	pfs_table_free(t);
}

static void test_bad_reset(void)
{
	struct pfs_child c;

	require_debugfs();
	pfs_run(&c, w_touch, (void *)16L);
	{	/* reset is write-only: "unchanged" means the row is still there */
		const char *const *lists[] = { bad_numeric, bad_reset };
		size_t l, i;

		for (l = 0; l < 2; l++)
			for (i = 0; lists[l][i]; i++)
				expect_rejected("reset", KNOB("reset"), lists[l][i], NULL);
	}
	expect_row_present(&c, "a rejected reset must not empty the table");
}

/* ---- who may write -------------------------------------------------------- */

static const char *const knobs[] = { "enabled", "pid_filter", "comm_filter", "reset" };
static const char *const valid[] = { "1\n", "1\n", "pfs-x\n", "1\n" };

struct deny_report {
	int err[4];
};

static int w_write_all(void *arg)
{
	struct deny_report r;
	char path[256];
	int fd, i;

	(void)arg;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", PFS_DEBUGFS_DIR, knobs[i]);
		fd = open(path, O_WRONLY);
		if (fd < 0) {
			r.err[i] = errno;
			continue;
		}
		r.err[i] = write(fd, valid[i], strlen(valid[i])) < 0 ? errno : 0;
		close(fd);
	}
	return pfs_report(&r, sizeof(r));
}

static int w_nobody(void *arg)
{
	if (setgid(65534) || setuid(65534))
		return 2;
	return w_write_all(arg);
}

static int w_no_sys_admin(void *arg)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return 2;
	data[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	data[CAP_SYS_ADMIN / 32].permitted &= ~(1U << (CAP_SYS_ADMIN % 32));
	if (syscall(SYS_capset, &hdr, data))
		return 3;
	return w_write_all(arg);
}

static void check_denied(int (*fn)(void *), bool eperm_only, const char *who)
{
	char en[64], pf[256], cf[64];
	struct deny_report r;
	struct pfs_child keep, c;
	int i;

	require_debugfs();
	pfs_run(&keep, w_touch, (void *)16L);
	pfs_run(&c, fn, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	for (i = 0; i < 4; i++) {
		char what[128];

		snprintf(what, sizeof(what), "%s writing a valid value to %s: errno %d (%s)",
			 who, knobs[i], r.err[i], strerror(r.err[i]));
		if (eperm_only)
			pfs_expect_true(what, r.err[i] == EPERM,
					"want EPERM: writes need CAP_SYS_ADMIN");
		else
			pfs_expect_true(what, r.err[i] == EPERM || r.err[i] == EACCES,
					"want EPERM or EACCES: debugfs is root only");
	}
	knob_read(KNOB("enabled"), en, sizeof(en));
	knob_read(KNOB("pid_filter"), pf, sizeof(pf));
	knob_read(KNOB("comm_filter"), cf, sizeof(cf));
	pfs_expect_true("enabled still 1", atoi(en) == 1, "the refused write changed it");
	pfs_expect_true("pid_filter still empty", strspn(pf, " \n") == strlen(pf),
			"the refused write changed it");
	pfs_expect_true("comm_filter still empty", strspn(cf, " \n") == strlen(cf),
			"the refused write changed it");
	expect_row_present(&keep, "a refused reset must not empty the table");
}

static void test_nobody(void)
{
	check_denied(w_nobody, false, "uid 65534");
}

static void test_no_sys_admin(void)
{
	check_denied(w_no_sys_admin, true, "root without CAP_SYS_ADMIN");
}

/* ---- reset ----------------------------------------------------------------- */

static void test_reset(void)
{
	unsigned long long minor_before, major_before;
	const struct pfs_row *row;
	struct pfs_table *t;
	struct pfs_child c, after;

	require_debugfs();
	pfs_run(&c, w_touch, (void *)N_PAGES);
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	minor_before = pfs_global(t, "minor");
	major_before = pfs_global(t, "major");
	pfs_table_free(t);

	pfs_knob_set("reset", "1\n");
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_true("the child's row is gone after reset",
			!pfs_table_find(t, c.pid, c.start_time), "reset empties the table");
	pfs_expect_le("global minor after reset", pfs_global(t, "minor"),
		      minor_before - N_PAGES,
		      "zeroed, then only the faults since (far fewer than before)");
	pfs_expect_le("global major after reset", pfs_global(t, "major"), major_before,
		      "zeroed");
	pfs_expect_eq("global dropped", pfs_global(t, "dropped"), 0, "zeroed");
	pfs_expect_eq("global evicted", pfs_global(t, "evicted"), 0, "zeroed");
	pfs_table_free(t);

	/* Counting goes on: a process started after the reset is exact. */
	pfs_run(&after, w_touch, (void *)N_PAGES);
	t = pfs_check_child(&after, PFS_PROC_PATH, &row);
	pfs_table_free(t);
}

/* ---- enabled ---------------------------------------------------------------- */

static void test_enabled(void)
{
	unsigned long long g0, g1;
	const struct pfs_row *row;
	struct pfs_table *t;
	struct pfs_child off, on;

	require_debugfs();
	pfs_knob_set("enabled", "0\n");
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_eq("global enabled after writing 0", pfs_global(t, "enabled"), 0,
		      "debugfs enabled");
	g0 = pfs_global(t, "minor");
	pfs_table_free(t);
	pfs_run(&off, w_touch, (void *)N_PAGES);
	t = pfs_table_get(PFS_PROC_PATH);
	g1 = pfs_global(t, "minor");
	pfs_table_free(t);
	pfs_knob_set("enabled", "1\n");

	pfs_expect_eq("global minor across the paused run", g1, g0,
		      "nothing is counted while enabled is 0");
	t = pfs_table_get(PFS_PROC_PATH);
	row = pfs_table_find(t, off.pid, off.start_time);
	if (row) {
		pfs_expect_eq("paused child's row minor", pfs_col(t, row, "minor"), 0,
			      "it ran entirely while enabled was 0");
		pfs_expect_eq("paused child's row major", pfs_col(t, row, "major"), 0,
			      "it ran entirely while enabled was 0");
	} else {
		pfs_info("ok:   no row for the child that ran while paused");
	}
	pfs_expect_eq("global enabled after writing 1", pfs_global(t, "enabled"), 1,
		      "debugfs enabled");
	pfs_table_free(t);

	pfs_run(&on, w_touch, (void *)N_PAGES);
	t = pfs_check_child(&on, PFS_PROC_PATH, &row);
	pfs_table_free(t);
}

/* ---- filters ---------------------------------------------------------------- */

struct gate {
	int ready[2], go[2];
	const char *comm;
};

struct gated_report {
	struct pfs_faults before_go;
};

/* Prepare, say ready, wait for go, then touch N_PAGES fresh pages. */
static int w_gated(void *arg)
{
	struct gate *g = arg;
	struct gated_report r;
	char ch = 1, *p;
	size_t i;

	close(g->ready[0]);
	close(g->go[1]);
	if (g->comm)
		prctl(PR_SET_NAME, g->comm);
	pfs_settle();
	p = pfs_map_anon(N_PAGES * PFS_PAGE);
	if (write(g->ready[1], &ch, 1) != 1)
		return 2;
	while (read(g->go[0], &ch, 1) < 0 && errno == EINTR)
		;
	r.before_go = pfs_faults_self();
	for (i = 0; i < N_PAGES; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
	return pfs_report(&r, sizeof(r));
}

/*
 * Run two gated children; once both wait, write 'value' to 'knob' (the
 * first child's pid if value is NULL), then let them go.
 */
static void run_filtered(const char *knob, const char *value, const char *comm_a,
			 const char *comm_b, struct pfs_child *a, struct pfs_child *b)
{
	struct gate ga, gb;
	char ch[2], pid[32];

	if (pipe(ga.ready) || pipe(ga.go))
		pfs_fail("pipe: %s", strerror(errno));
	gb = ga;
	ga.comm = comm_a;
	gb.comm = comm_b;
	pfs_spawn(a, w_gated, &ga);
	pfs_spawn(b, w_gated, &gb);
	close(ga.ready[1]);
	close(ga.go[0]);
	if (read(ga.ready[0], ch, 1) != 1 || read(ga.ready[0], ch + 1, 1) != 1)
		pfs_fail("the children did not get ready");
	snprintf(pid, sizeof(pid), "%d\n", (int)a->pid);
	pfs_knob_set(knob, value ? value : pid);
	close(ga.go[1]);
	pfs_reap(a);
	pfs_reap(b);
	close(ga.ready[0]);
	pfs_knobs_restore();
	pfs_require_clean_exit(a);
	pfs_require_clean_exit(b);
}

static void check_filtered(const struct pfs_child *a, const struct pfs_child *b,
			   const char *knob)
{
	struct gated_report rb;
	const struct pfs_row *row;
	struct pfs_table *t;
	char why[128];

	/* a matched all along (empty filter, then the filter): all counted. */
	t = pfs_check_child(a, PFS_PROC_PATH, &row);
	pfs_table_free(t);
	/* b only until the filter was set: its N_PAGES touches are not counted. */
	pfs_get_report(b, &rb, sizeof(rb));
	t = pfs_table_get(PFS_PROC_PATH);
	row = pfs_table_find(t, b->pid, b->start_time);
	if (!row)
		pfs_fail("no row for the non-matching child: it faulted before the filter");
	snprintf(why, sizeof(why), "its getrusage() when %s was set (it was blocked)", knob);
	pfs_expect_eq("non-matching child's row minor", pfs_col(t, row, "minor"),
		      rb.before_go.minor, why);
	pfs_expect_eq("non-matching child's row major", pfs_col(t, row, "major"),
		      rb.before_go.major, why);
	pfs_table_free(t);
}

static void test_pid_filter(void)
{
	struct pfs_child a, b;

	require_debugfs();
	run_filtered("pid_filter", NULL, NULL, NULL, &a, &b);
	check_filtered(&a, &b, "pid_filter");
}

static void test_comm_filter(void)
{
	struct pfs_child a, b;

	require_debugfs();
	run_filtered("comm_filter", "pfs-match\n", "pfs-match", "pfs-other", &a, &b);
	check_filtered(&a, &b, "comm_filter");
}

int main(void)
{
	pfs_begin();
	atexit(pfs_knobs_restore);
	pfs_test_knobs("module is loaded and counting", pfs_require_module);
	pfs_test_knobs("enabled: bad writes fail with EINVAL and change nothing", test_bad_enabled);
	pfs_test_knobs("pid_filter: bad writes fail with EINVAL and change nothing",
		       test_bad_pid_filter);
	pfs_test_knobs("comm_filter: bad writes fail with EINVAL and change nothing",
		       test_bad_comm_filter);
	pfs_test_knobs("reset: bad writes fail with EINVAL and reset nothing", test_bad_reset);
	pfs_test_knobs("uid 65534 cannot write any knob", test_nobody);
	pfs_test_knobs("root without CAP_SYS_ADMIN gets EPERM on every knob", test_no_sys_admin);
	pfs_test_knobs("reset empties the table and zeroes the totals; counting goes on",
		       test_reset);
	pfs_test_knobs("enabled 0 stops counting, 1 resumes it exactly", test_enabled);
	pfs_test_knobs("pid_filter counts only the listed process", test_pid_filter);
	pfs_test_knobs("comm_filter counts only processes with that comm", test_comm_filter);
	return pfs_exit();
}
