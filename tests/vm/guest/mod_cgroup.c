// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroups (issue 12). Every row carries its process's cgroup v2 id, the
 * inode number of the cgroup's directory; the kernel's own accounting is
 * the oracle for what a cgroup's rows add up to:
 *  - processes in two cgroups, one limited so that it thrashes: each row's
 *    cgroup is its directory's inode, the rows of a cgroup sum to its
 *    processes' wait4() rusage, and the limited one's rows hold refaults;
 *  - a process moved between cgroups shows the new one while alive and
 *    keeps the one it died in;
 *  - cgroup_filter counts only the subtree (the other cgroup's process gets
 *    no row) while the global totals still count every fault: their growth
 *    equals /proc/vmstat's pgfault, by each kernel's rule for it;
 *  - bad cgroup_filter writes fail with EINVAL and change nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pfs_test.h"

#define CG_A		PFS_CGROUP_ROOT "/pfs-cg-a"
#define CG_B		PFS_CGROUP_ROOT "/pfs-cg-b"
#define CG_A_SUB	CG_A "/sub"
#define B_LIMIT		"16M"
#define B_FILE_MIB	40
#define SWEEPS		2
#define N_PAGES		512
#define FILTER		PFS_DEBUGFS_DIR "/cgroup_filter"

static unsigned long long dir_ino(const char *dir)
{
	struct stat st;

	if (stat(dir, &st))
		pfs_fail("stat %s: %s", dir, strerror(errno));
	return st.st_ino;
}

static void make_groups(void)
{
	pfs_memcg_make(CG_A, "max");
	pfs_memcg_make(CG_B, B_LIMIT);
	if (mkdir(CG_A_SUB, 0755) && errno != EEXIST)
		pfs_fail("mkdir %s: %s", CG_A_SUB, strerror(errno));
}

/* ---- workloads ------------------------------------------------------------ */

struct wl {
	const char *cg;		/* join first; NULL: stay */
	bool file;		/* sweep the disk file (thrashes in CG_B) */
	int gate[2];		/* -1: none; else wait for a byte before faulting */
	int ready[2];
};

static void touch_anon(void)
{
	char *p = pfs_map_anon(N_PAGES * PFS_PAGE);
	size_t i;

	for (i = 0; i < N_PAGES; i++)
		((volatile char *)p)[i * PFS_PAGE] = 1;
}

static int sweep_file(void)
{
	size_t len = (size_t)B_FILE_MIB << 20, off;
	unsigned long sum = 0;
	char *f;
	int fd, s;

	fd = open(pfs_disk_file(), O_RDONLY);
	if (fd < 0)
		return 11;
	if (posix_fadvise(fd, 0, len, POSIX_FADV_DONTNEED))
		return 12;
	f = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (f == MAP_FAILED)
		return 13;
	for (s = 0; s < SWEEPS; s++)
		for (off = 0; off < len; off += PFS_PAGE)
			sum += ((volatile unsigned char *)f)[off];
	munmap(f, len);
	return sum == (unsigned long)-1;	/* keep the reads */
}

static int w_run(void *arg)
{
	struct wl *w = arg;
	char ch = 1;

	if (w->cg && pfs_memcg_join(w->cg))
		return 10;
	if (w->gate[0] >= 0) {
		close(w->gate[1]);
		close(w->ready[0]);
		if (write(w->ready[1], &ch, 1) != 1)
			return 2;
		/* a byte, not EOF: the other children hold copies of the pipe */
		while (read(w->gate[0], &ch, 1) < 0 && errno == EINTR)
			;
		close(w->gate[0]);
	}
	touch_anon();
	return w->file ? sweep_file() : 0;
}

static void wl_init(struct wl *w, const char *cg, bool file, bool gated)
{
	w->cg = cg;
	w->file = file;
	w->gate[0] = w->gate[1] = w->ready[0] = w->ready[1] = -1;
	if (gated && (pipe(w->gate) || pipe(w->ready)))
		pfs_fail("pipe: %s", strerror(errno));
}

/* A gated child is in its cgroup and waits: after its first byte. */
static void wl_wait_ready(struct wl *w)
{
	char ch;

	close(w->ready[1]);
	if (read(w->ready[0], &ch, 1) != 1)
		pfs_fail("a child did not get ready");
	close(w->ready[0]);
}

static void wl_go(struct wl *w)
{
	if (write(w->gate[1], "g", 1) != 1)
		pfs_fail("cannot let a child go: %s", strerror(errno));
	close(w->gate[0]);
	close(w->gate[1]);
}

/* Field 22 of /proc/<pid>/stat: a live child's start time (pfs_reap() reads a zombie's). */
static unsigned long long live_start(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pfs_read_file(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		pfs_fail("cannot read %s", path);
	for (i = 3; i <= 22 && p; i++)		/* field 3 follows ") " */
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	return v;
}

/* The cgroup column of @c's row (c->start_time 0: a live child). */
static unsigned long long row_cgroup(const struct pfs_table *t, const struct pfs_child *c)
{
	unsigned long long st = c->start_time ? c->start_time : live_start(c->pid);
	const struct pfs_row *r = pfs_table_find(t, c->pid, st);

	if (!r)
		pfs_fail("no row for child %d", (int)c->pid);
	return pfs_col(t, r, "cgroup");
}

/* ---- tests ---------------------------------------------------------------- */

static void require_cgroup_column(void)
{
	struct pfs_table *t;

	pfs_require_module();
	t = pfs_table_get(PFS_PROC_PATH);
	if (pfs_col_index(t, "cgroup") < 0)
		pfs_fail("%s has no cgroup column", PFS_PROC_PATH);
	pfs_table_free(t);
}

#define NA 2
#define NB 2

static void test_two_groups(void)
{
	struct pfs_child a[NA], b[NB];
	struct wl wa, wb;
	unsigned long long ino_a, ino_b, sum[2][2] = { { 0 } }, rows[2][2] = { { 0 } };
	unsigned long long refault_b = 0;
	const struct pfs_row *row;
	struct pfs_table *t;
	char st[16];
	size_t i;
	int k;

	require_cgroup_column();
	make_groups();
	ino_a = dir_ino(CG_A);
	ino_b = dir_ino(CG_B);
	wl_init(&wa, CG_A, false, false);
	wl_init(&wb, CG_B, true, false);
	for (i = 0; i < NA; i++)
		pfs_spawn(&a[i], w_run, &wa);
	for (i = 0; i < NB; i++)
		pfs_spawn(&b[i], w_run, &wb);
	for (i = 0; i < NA; i++)
		pfs_reap(&a[i]);
	for (i = 0; i < NB; i++)
		pfs_reap(&b[i]);
	for (i = 0; i < NA; i++) {
		pfs_require_clean_exit(&a[i]);
		t = pfs_check_child(&a[i], PFS_PROC_PATH, &row);
		pfs_expect_eq("cgroup of a child in A", pfs_col(t, row, "cgroup"), ino_a,
			      "the inode number of " CG_A);
		pfs_table_free(t);
		sum[0][0] += a[i].ru.ru_minflt;
		sum[0][1] += a[i].ru.ru_majflt;
	}
	for (i = 0; i < NB; i++) {
		pfs_require_clean_exit(&b[i]);
		t = pfs_check_child(&b[i], PFS_PROC_PATH, &row);
		pfs_expect_eq("cgroup of a child in B", pfs_col(t, row, "cgroup"), ino_b,
			      "the inode number of " CG_B);
		refault_b += pfs_col(t, row, "refault_file");
		pfs_table_free(t);
		sum[1][0] += b[i].ru.ru_minflt;
		sum[1][1] += b[i].ru.ru_majflt;
	}
	/* what a reader grouping by cgroup gets: every row of each cgroup */
	t = pfs_table_get(PFS_PROC_PATH);
	for (i = 0; i < t->nrow; i++) {
		unsigned long long cg = pfs_col(t, &t->row[i], "cgroup");

		k = cg == ino_a ? 0 : cg == ino_b ? 1 : -1;
		if (k < 0)
			continue;
		rows[k][0] += pfs_col(t, &t->row[i], "minor");
		rows[k][1] += pfs_col(t, &t->row[i], "major");
	}
	pfs_table_free(t);
	pfs_expect_eq("rows of cgroup A: minor", rows[0][0], sum[0][0],
		      "the sum of its processes' wait4() ru_minflt");
	pfs_expect_eq("rows of cgroup A: major", rows[0][1], sum[0][1],
		      "the sum of its processes' wait4() ru_majflt");
	pfs_expect_eq("rows of cgroup B: minor", rows[1][0], sum[1][0],
		      "the sum of its processes' wait4() ru_minflt");
	pfs_expect_eq("rows of cgroup B: major", rows[1][1], sum[1][1],
		      "the sum of its processes' wait4() ru_majflt");
	pfs_expect_ge("majors of cgroup B", sum[1][1], 1,
		      "a " B_LIMIT " cgroup sweeps a 40 MiB file from storage");
	if (strcmp(pfs_status_value("probe_refault", st, sizeof(st)), "attached"))
		pfs_info("ok:   no refault probe on this kernel: refaults not checked");
	else
		pfs_expect_ge("refault_file of cgroup B's rows", refault_b, 1,
			      "the second sweep brings back pages evicted from a " B_LIMIT
			      " cgroup: it thrashes");
}

static void test_moved(void)
{
	const struct pfs_row *row;
	struct pfs_child c;
	struct pfs_table *t;
	struct wl w;
	char pid[32];

	require_cgroup_column();
	make_groups();
	wl_init(&w, CG_A, false, true);
	pfs_spawn(&c, w_run, &w);
	wl_wait_ready(&w);
	/* it faulted in A already (the fork, the pipe write): it has a row */
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_eq("cgroup while in A", row_cgroup(t, &c), dir_ino(CG_A), CG_A);
	pfs_table_free(t);
	snprintf(pid, sizeof(pid), "%d\n", (int)c.pid);
	pfs_write_or_fail(CG_B "/cgroup.procs", pid, "move the child to B");
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_eq("cgroup once moved to B", row_cgroup(t, &c), dir_ino(CG_B),
		      "a live process's row shows the cgroup it is in now");
	pfs_table_free(t);
	wl_go(&w);
	pfs_reap(&c);
	pfs_require_clean_exit(&c);
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_expect_eq("cgroup after exit", row_cgroup(t, &c), dir_ino(CG_B),
		      "an exited process keeps the cgroup it died in");
	pfs_table_free(t);
}

/* ---- the filter: the subtree only, the totals everything ------------------- */

static void test_filter(void)
{
	struct pfs_child a, s, b;
	struct wl wa, ws, wb;
	struct pfs_totals t0, t1;
	unsigned long long v0, v1;
	struct pfs_table *t;
	char id[32];

	require_cgroup_column();
	make_groups();
	/* A by its id: its subtree is A and A/sub; set before the children fork */
	snprintf(id, sizeof(id), "%llu\n", dir_ino(CG_A));
	pfs_knob_set("cgroup_filter", id);
	wl_init(&wa, CG_A, false, true);
	wl_init(&ws, CG_A_SUB, false, true);
	wl_init(&wb, CG_B, false, true);
	pfs_spawn(&a, w_run, &wa);
	pfs_spawn(&s, w_run, &ws);
	pfs_spawn(&b, w_run, &wb);
	wl_wait_ready(&wa);
	wl_wait_ready(&ws);
	wl_wait_ready(&wb);
	v0 = pfs_totals_snapshot(&t0);
	wl_go(&wa);
	wl_go(&ws);
	wl_go(&wb);
	pfs_reap(&a);
	pfs_reap(&s);
	pfs_reap(&b);
	v1 = pfs_totals_snapshot(&t1);
	pfs_knobs_restore();
	pfs_require_clean_exit(&a);
	pfs_require_clean_exit(&s);
	pfs_require_clean_exit(&b);
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_true("no row for the child in B", !pfs_table_find(t, b.pid, b.start_time),
			"cgroup_filter is A: B is outside its subtree");
	pfs_table_free(t);
	/* counted from their join of A on: their touches at least */
	t = pfs_table_get(PFS_PROC_PATH);
	if (!pfs_table_find(t, a.pid, a.start_time) || !pfs_table_find(t, s.pid, s.start_time))
		pfs_fail("no row for a child in A's subtree");
	pfs_expect_ge("child in A: minor", pfs_col(t, pfs_table_find(t, a.pid, a.start_time), "minor"),
		      N_PAGES, "it touched N_PAGES fresh pages after the filter was set");
	pfs_expect_ge("child in A/sub: minor", pfs_col(t, pfs_table_find(t, s.pid, s.start_time), "minor"),
		      N_PAGES, "A/sub is in A's subtree");
	pfs_table_free(t);
	pfs_expect_eq("global totals' growth", pfs_totals_pgfault(&t0, &t1), v1 - v0,
		      pfs_pgfault_rule());
	pfs_expect_ge("global minor growth", t1.minor - t0.minor, 3ULL * N_PAGES,
		      "the child outside the filter is in the totals too");
}

/* Exactness for a filtered child: reset, filter, then it runs whole. */
static void test_filter_exact(void)
{
	struct pfs_child c;
	struct pfs_table *t;
	struct wl w;

	require_cgroup_column();
	make_groups();
	pfs_knob_set("cgroup_filter", "/pfs-cg-a\n");
	/* forked in the test's cgroup, outside A: no row until it joins A */
	wl_init(&w, CG_A, false, false);
	pfs_run(&c, w_run, &w);
	pfs_knobs_restore();
	pfs_require_clean_exit(&c);
	/*
	 * The child was outside A until it joined: its faults before are in the
	 * totals only; the row holds those from the join on, so it is below
	 * its rusage and at least its N_PAGES touches.
	 */
	t = pfs_table_get(PFS_PROC_PATH);
	if (!pfs_table_find(t, c.pid, c.start_time))
		pfs_fail("no row for a child that joined the filtered cgroup");
	pfs_expect_le("minor of a child that joined A", pfs_col(t, pfs_table_find(t, c.pid, c.start_time), "minor"),
		      c.ru.ru_minflt, "its wait4() ru_minflt: counted from its join of A");
	pfs_expect_ge("minor of a child that joined A", pfs_col(t, pfs_table_find(t, c.pid, c.start_time), "minor"),
		      N_PAGES, "its touches after the join");
	pfs_expect_eq("its cgroup", row_cgroup(t, &c), dir_ino(CG_A), CG_A);
	pfs_table_free(t);
}

static void test_bad_filter(void)
{
	static const char *const bad[] = {
		"pfs-cg-a", "/no-such-cgroup", "0", "-1", "18446744073709551616",
		"12abc", "+5", " /pfs-cg-a", "/pfs-cg-a\n\n", "999999999999",
		"/pfs-cg-a/cgroup.procs", "/sys/fs/cgroup/pfs-cg-a",
	};
	char before[512], after[512], v[64];
	size_t i;
	int err;

	require_cgroup_column();
	make_groups();
	snprintf(v, sizeof(v), "%llu", dir_ino(CG_B));
	pfs_knob_set("cgroup_filter", v);
	if (pfs_read_file(FILTER, before, sizeof(before)) < 0)
		pfs_fail("cannot read %s", FILTER);
	pfs_expect_true("cgroup_filter shows the id", !strncmp(before, v, strlen(v)), before);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = pfs_write_file(FILTER, bad[i], strlen(bad[i]));
		pfs_expect_eq(bad[i], (unsigned long long)-err, EINVAL, "EINVAL");
		pfs_read_file(FILTER, after, sizeof(after));
		pfs_expect_str("cgroup_filter unchanged", after, before, "a bad write changes nothing");
	}
	pfs_knob_set("cgroup_filter", "/pfs-cg-a");
	pfs_read_file(FILTER, after, sizeof(after));
	snprintf(v, sizeof(v), "/pfs-cg-a %llu\n", dir_ino(CG_A));
	pfs_expect_str("cgroup_filter shows path and id", after, v, "a path write");
	pfs_knobs_restore();
	pfs_read_file(FILTER, after, sizeof(after));
	pfs_expect_str("cgroup_filter cleared", after, "\n", "an empty write clears");
}

int main(void)
{
	pfs_begin();
	atexit(pfs_knobs_restore);
	pfs_test_knobs("rows of two cgroups (one thrashing) sum to their processes' rusage",
		       test_two_groups);
	pfs_test_knobs("a moved process shows its new cgroup, and keeps the one it died in",
		       test_moved);
	pfs_test_knobs("cgroup_filter counts only the subtree; the totals count everything",
		       test_filter);
	pfs_test_knobs("cgroup_filter by path: a process counted from its join", test_filter_exact);
	pfs_test_knobs("cgroup_filter: bad writes fail with EINVAL and change nothing",
		       test_bad_filter);
	return pfs_exit();
}
