// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 2: copy-on-write after fork() (docs/labs/lab-2-cow-fork.md).
 *
 * fork() copies the page tables of private anonymous memory and makes
 * every entry read-only in both processes; the pages are shared.  Reading
 * them costs nothing.  The first write to a page in either process is a
 * (minor) write-protect fault: the kernel copies the page if the other
 * process still maps it, or reuses it if it is the last one holding it.
 *
 * The parent P (this program) writes N pages, forks C, and the two take
 * turns, each measuring its own row of the module's table:
 *   1  P writes N fresh pages                  P: +N minor
 *   2  C reads the N pages                     C: +0
 *   3  C writes the N pages (copies)           C: +N minor
 *   4  P writes the N pages (reuses)           P: +N minor
 *   5  fork a child that exits at once; P writes again: +N minor, no copy
 *   6  the pictures: P writes N pages at LAB_PLOT_AT, forks C, and
 *      "pfstat plot map" traces each; C writes the pages (copies), then P
 *      (reuses): the same addresses fault once a page in both pictures
 */
#include "lab-plot.h"

#define DEFAULT_PAGES 1024

static const int cols[] = { C_MINOR, C_MAJOR, C_ANON_MINOR, C_READ, C_WRITE, -1 };

static int to_child[2], to_parent[2];

static void send_token(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		lab_die("pipe write: %s", strerror(errno));
}

static void wait_token(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		lab_die("pipe read: the other process is gone");
}

static double ns_per_fault(const struct lab_row *d)
{
	unsigned long long n = d->v[C_MINOR] + d->v[C_MAJOR];

	return n ? (double)d->v[C_FAULT_NS] / n : 0;
}

/* The child's part: steps 2 and 3.  Returns its exit status. */
static int child(char *p, size_t n)
{
	struct lab_row r0, r1, r2, d;
	int ok = 1;

	close(to_child[1]);
	close(to_parent[0]);
	lab_settle();		/* our own data: copy it now, not in the window */
	wait_token(to_child[0]);
	lab_step("2. the child C (pid %d) reads the %zu shared pages", (int)getpid(), n);
	r0 = lab_row_self();
	lab_read_pages(p, n);
	r1 = lab_row_self();
	d = lab_delta(&r1, &r0);
	lab_show("C, change:", &d, cols);
	ok &= lab_expect(d.v[C_MINOR] + d.v[C_MAJOR] == 0,
			 "no fault: fork() copied the page-table entries, read-only, so reads hit: %llu",
			 d.v[C_MINOR] + d.v[C_MAJOR]);

	lab_step("3. C writes the %zu pages", n);
	lab_write_pages(p, n, 3);
	r2 = lab_row_self();
	d = lab_delta(&r2, &r1);
	lab_show("C, change:", &d, cols);
	lab_say("  C: %.0f ns per fault on average (each one allocates and copies a page)",
		ns_per_fault(&d));
	ok &= lab_expect(d.v[C_MINOR] == n,
			 "one minor write fault per page, %zu: %llu (P's pages are still mapped by P: C gets copies)",
			 n, d.v[C_MINOR]);
	ok &= lab_expect(d.v[C_MAJOR] == 0, "no major fault: %llu", d.v[C_MAJOR]);
	send_token(to_parent[1]);
	wait_token(to_child[0]);	/* stay alive until P has measured */
	return ok ? 0 : 1;
}

/* Step 6: the fault maps of P and C after fork(), checked in their data. */
static void plot_step(size_t n)
{
	unsigned long long end = LAB_PLOT_AT + n * LAB_PAGE, pm, cm;
	const char *why = lab_where_missing();
	struct lab_map mp, mc;
	int tc[2], fc[2], status;
	pid_t c, tp, tcp;
	char *q;

	if (why) {
		lab_say("  skipped: %s", why);
		return;
	}
	q = lab_map_fixed(LAB_PLOT_AT, n);
	lab_write_pages(q, n, 6);	/* P's own pages, before the fork */
	if (pipe(tc) || pipe(fc))
		lab_die("pipe: %s", strerror(errno));
	fflush(stdout);
	c = fork();
	if (c < 0)
		lab_die("fork: %s", strerror(errno));
	if (c == 0) {
		close(tc[1]);
		close(fc[0]);
		lab_settle();
		wait_token(tc[0]);
		lab_write_pages(q, n, 7);	/* C copies every page */
		send_token(fc[1]);
		wait_token(tc[0]);
		_exit(0);
	}
	close(tc[0]);
	close(fc[1]);
	lab_settle();
	tp = lab_plot_pid_start(getpid(), "lab-2-parent", &mp);
	tcp = lab_plot_pid_start(c, "lab-2-child", &mc);
	send_token(tc[1]);
	wait_token(fc[0]);
	lab_write_pages(q, n, 8);	/* P: the last user of each page */
	send_token(tc[1]);
	if (waitpid(c, &status, 0) != c)
		lab_die("waitpid: %s", strerror(errno));
	lab_plot_pid_end(tcp, &mc);
	lab_plot_pid_end(tp, &mp);
	close(tc[1]);
	close(fc[0]);
	munmap(q, n * LAB_PAGE);
	cm = lab_marks(&mc, LAB_PLOT_AT, end, NULL);
	pm = lab_marks(&mp, LAB_PLOT_AT, end, NULL);
	lab_say("  the region 0x%lx-0x%llx: C %llu faults (%llu minor), P %llu faults (%llu minor)",
		LAB_PLOT_AT, end, cm, lab_marks(&mc, LAB_PLOT_AT, end, "minor"), pm,
		lab_marks(&mp, LAB_PLOT_AT, end, "minor"));
	lab_expect(cm == n && lab_marks(&mc, LAB_PLOT_AT, end, "minor") == n,
		   "C's picture: one minor write fault a page of the region, %zu, at the addresses P's pages have: %llu",
		   n, cm);
	lab_expect(pm == n && lab_marks(&mp, LAB_PLOT_AT, end, "minor") == n,
		   "P's picture: also one a page, %zu, after C copied (fork() write-protected P's entries too): %llu",
		   n, pm);
	free(mc.m);
	free(mp.m);
}

static int exit_at_once(void *arg)
{
	(void)arg;
	return 0;
}

int main(int argc, char **argv)
{
	struct lab_row r0, r1, r2, d;
	struct lab_child c2;
	size_t n = DEFAULT_PAGES;
	int i, status;
	pid_t c;
	char *p;

	i = lab_args(argc, argv, "lab-2", " [PAGES]");
	if (i < argc)
		n = strtoul(argv[i], NULL, 0);
	if (n < 16 || n > (1 << 20))
		lab_die("PAGES must be between 16 and 1048576");
	lab_say("lab-2: copy-on-write after fork(), N = %zu pages; the parent P is pid %d",
		n, (int)getpid());
	lab_say("  (numbers: each process's own row of %s)", lab_table_path());
	lab_settle();
	if (pipe(to_child) || pipe(to_parent))
		lab_die("pipe: %s", strerror(errno));

	lab_step("1. P maps %zu anonymous pages and writes each", n);
	p = lab_map_anon(n * LAB_PAGE, false);
	r0 = lab_row_self();
	lab_write_pages(p, n, 1);
	r1 = lab_row_self();
	d = lab_delta(&r1, &r0);
	lab_show("P, change:", &d, cols);
	lab_expect(d.v[C_MINOR] == n, "N = %zu minor faults (demand paging, lab 1): %llu", n,
		   d.v[C_MINOR]);

	fflush(stdout);
	c = fork();
	if (c < 0)
		lab_die("fork: %s", strerror(errno));
	if (c == 0)
		_exit(child(p, n));
	close(to_child[0]);
	close(to_parent[1]);
	lab_settle();		/* fork() write-protected our own data too */
	send_token(to_child[1]);
	wait_token(to_parent[0]);

	lab_step("4. P writes the same %zu pages (C has its own copies now, and is still alive)", n);
	r1 = lab_row_self();
	lab_write_pages(p, n, 4);
	r2 = lab_row_self();
	d = lab_delta(&r2, &r1);
	lab_show("P, change:", &d, cols);
	lab_say("  P: %.0f ns per fault on average (no copy: P is the last user of each page)",
		ns_per_fault(&d));
	lab_expect(d.v[C_MINOR] == n,
		   "P also takes one minor fault per page, %zu: %llu (fork() made P's entries read-only too)",
		   n, d.v[C_MINOR]);
	send_token(to_child[1]);
	if (waitpid(c, &status, 0) != c)
		lab_die("waitpid: %s", strerror(errno));
	lab_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "the child's own expectations held (%s)", lab_status_str(status));

	lab_step("5. fork() a child that exits at once without touching anything; P writes again");
	c2 = lab_fork(exit_at_once, NULL);
	lab_wait(&c2);
	lab_settle();
	r1 = lab_row_self();
	lab_write_pages(p, n, 5);
	r2 = lab_row_self();
	d = lab_delta(&r2, &r1);
	lab_show("P, change:", &d, cols);
	lab_expect(d.v[C_MINOR] == n,
		   "still %zu minor faults: fork() write-protected every entry, whether or not anyone copies: %llu",
		   n, d.v[C_MINOR]);

	lab_step("6. the pictures: P and C after fork(), each traced by pfstat plot map; C writes, then P");
	plot_step(n);
	return lab_finish();
}
