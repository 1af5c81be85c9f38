// SPDX-License-Identifier: GPL-2.0
/*
 * exec keeps the pid and the row: faults before and after execve() land in
 * one row, whose comm is the new program's.  And comm is escaped so that it
 * can never break a row.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_BEFORE 128
#define N_AFTER 192

static void touch(size_t pages)
{
	char *p = pfs_map_anon(pages * PFS_PAGE);
	size_t i;

	for (i = 0; i < pages; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
}

static struct pfs_faults measured_touch(size_t pages)
{
	struct pfs_faults a;
	char *p = pfs_map_anon(pages * PFS_PAGE);
	size_t i;

	a = pfs_faults_self();
	for (i = 0; i < pages; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
	return pfs_faults_sub(pfs_faults_self(), a);
}

/* The program after execve(): argv = { "mod_exec", "--after-exec", fd } */
static int after_exec(int fd)
{
	struct pfs_faults d;

	pfs_settle();
	d = measured_touch(N_AFTER);
	return pfs_report_to(fd, &d, sizeof(d)) ? 3 : 0;
}

static int w_exec(void *arg)
{
	struct pfs_faults d;
	char fd[16];

	(void)arg;
	prctl(PR_SET_NAME, "pfs-pre-exec");
	pfs_settle();
	d = measured_touch(N_BEFORE);
	if (pfs_report(&d, sizeof(d)))
		return 2;
	snprintf(fd, sizeof(fd), "%d", pfs_report_fd());
	/* comm after exec is the basename of the path: "exe". */
	execl("/proc/self/exe", "mod_exec", "--after-exec", fd, (char *)NULL);
	return 4;
}

static void test_exec(void)
{
	struct pfs_faults d[2];
	const struct pfs_row *row;
	struct pfs_table *t;
	struct pfs_child c;
	size_t i, n = 0;
	int pc;

	pfs_run(&c, w_exec, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, d, sizeof(d));
	pfs_expect_eq("minor faults touching 128 pages before exec", d[0].minor,
		      N_BEFORE, "one minor per first touch");
	pfs_expect_eq("minor faults touching 192 pages after exec", d[1].minor,
		      N_AFTER, "one minor per first touch");
	pfs_expect_str("comm after exec in /proc/<pid>/stat", c.comm, "exe",
		       "basename of /proc/self/exe, the path given to execve");

	/* Row equals rusage, which spans both programs; comm is the new one. */
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_expect_str("row comm", pfs_col_str(t, row, "comm"), "exe",
		       "the comm after exec");
	pfs_expect_ge("row minor", pfs_col(t, row, "minor"), N_BEFORE + N_AFTER,
		      "faults before exec and after exec are in the one row");
	pc = pfs_col_index(t, "pid");
	for (i = 0; i < t->nrow; i++)
		n += atoi(t->row[i].field[pc]) == c.pid &&
		     pfs_table_find(t, c.pid, c.start_time) == &t->row[i];
	pfs_expect_eq("rows for (pid, start_time) of the exec'd process", n, 1,
		      "exec keeps the process: one row");
	pfs_table_free(t);
}

struct comm_case {
	const char *comm;	/* set with PR_SET_NAME */
	const char *escaped;	/* how docs/format.md says the row shows it */
};

static const struct comm_case comm_cases[] = {
	{ "p s\tq\\r\n", "p\\040s\\011q\\134r\\012" },
	{ "", "\\000" },
	{ "\x7f\xe9t\xc3\xa9", "\\177\xe9t\xc3\xa9" },
};

static int w_comm(void *arg)
{
	const struct comm_case *cc = arg;

	prctl(PR_SET_NAME, cc->comm);
	touch(16);
	return 0;
}

static void test_comm_escape(void)
{
	const struct pfs_row *row;
	struct pfs_table *t;
	struct pfs_child c;
	size_t i;

	for (i = 0; i < sizeof(comm_cases) / sizeof(comm_cases[0]); i++) {
		pfs_run(&c, w_comm, (void *)&comm_cases[i]);
		pfs_require_clean_exit(&c);
		t = pfs_check_child(&c, PFS_PROC_PATH, &row);
		pfs_expect_str("row comm as written", pfs_col_str(t, row, "comm"),
			       comm_cases[i].escaped,
			       "space, control bytes, DEL and backslash as \\ooo; empty as \\000");
		pfs_table_free(t);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--after-exec"))
		return after_exec(atoi(argv[2]));
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("exec keeps the pid: one row, new comm, equal to rusage across exec",
		 test_exec);
	pfs_test("comm with space, tab, backslash, newline, DEL, empty is escaped",
		 test_comm_escape);
	return pfs_exit();
}
