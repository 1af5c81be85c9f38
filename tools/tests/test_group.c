// SPDX-License-Identifier: GPL-2.0
/*
 * --by: groups by comm, by cgroup (against a fake cgroup tree in a
 * temporary directory) and by parent (pid reuse, a parent that exited
 * before its children, a parent evicted, cycles of a malformed file), the
 * cgroup2 mount in mountinfo, memory.pressure, and the groups' output.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "testlib.h"

static const struct pfs_select all = { .sort_key = PFS_SORT_PID };

static void parse_str(const char *s, struct pfs_table *t)
{
	struct pfs_err e;
	int r = pfs_parse_table(s, strlen(s), t, &e);

	if (r)
		print_error("line %u: %s\n", e.line, e.msg);
	assert_int_equal(r, 0);
}

static const struct pfs_group *group_by_comm(const struct pfs_groups *gs,
					     const char *comm)
{
	size_t i;

	for (i = 0; i < gs->n; i++)
		if (gs->g[i].sum.comm_len == strlen(comm) &&
		    !memcmp(gs->g[i].sum.comm, comm, strlen(comm)))
			return &gs->g[i];
	fail_msg("no group for comm %s", comm);
	return NULL;
}

/* The group of head (pid, start_time), by parent. */
static const struct pfs_group *group_of_head(const struct pfs_groups *gs,
					     int pid, uint64_t start)
{
	size_t i;

	for (i = 0; i < gs->n; i++)
		if (gs->g[i].sum.pid == pid &&
		    gs->g[i].sum.v[PFS_START_TIME] == start)
			return &gs->g[i];
	fail_msg("no group for pid %d start %llu", pid, (unsigned long long)start);
	return NULL;
}

static void test_by_argument(void **state)
{
	enum pfs_by by = PFS_BY_NONE;

	(void)state;
	assert_int_equal(pfs_by_parse("comm", &by), 0);
	assert_int_equal(by, PFS_BY_COMM);
	assert_int_equal(pfs_by_parse("cgroup", &by), 0);
	assert_int_equal(by, PFS_BY_CGROUP);
	assert_int_equal(pfs_by_parse("parent", &by), 0);
	assert_int_equal(by, PFS_BY_PARENT);
	assert_int_equal(pfs_by_parse("pid", &by), -1);
	assert_int_equal(pfs_by_parse("", &by), -1);
	assert_string_equal(pfs_by_name(PFS_BY_CGROUP), "cgroup");
}

/* proc_cgroup.txt: three cc1 (1310 exited, 1311 and 1400 alive). */
static void test_by_comm_sums_equal_names(void **state)
{
	const struct pfs_group *g;
	struct pfs_groups gs;
	struct pfs_table t;

	(void)state;
	load_table("proc_cgroup.txt", &t);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_COMM, &gs), 0);
	/* systemd sshd bash make cc1 worker lab-5 cat */
	assert_int_equal(gs.n, 8);
	g = group_by_comm(&gs, "cc1");
	assert_int_equal(g->nprocs, 3);
	assert_int_equal(g->nalive, 2);
	assert_int_equal(g->sum.v[PFS_MINOR], 342233 + 1000 + 2000);
	assert_int_equal(g->sum.v[PFS_MAJOR], 5 + 1 + 2);
	assert_int_equal(pfs_row_invalid(&g->sum), 1);	/* 1311's segv_maperr */
	assert_int_equal(g->sum.pid, 0);
	/* none of the three kept a thrashing time: unknown, not 0 */
	assert_false(pfs_row_known(t.have, &g->sum, PFS_THRASH_NS));
	g = group_by_comm(&gs, "make");	/* the exited one and the later one */
	assert_int_equal(g->nprocs, 2);
	assert_int_equal(g->sum.v[PFS_FAULT_NS], 120005 + 130000);
	assert_true(pfs_row_known(t.have, &group_by_comm(&gs, "lab-5")->sum,
				  PFS_THRASH_NS));
	/* the totals: all eleven rows, as pfs_sum_rows() counts them */
	assert_int_equal(gs.nprocs, 11);
	assert_int_equal(gs.nalive, 7);
	assert_int_equal(gs.total.v[PFS_MAJOR], 64220);
	assert_true(gs.total.v[PFS_THRASH_NS] == 7250000000ULL + 3400000);
	pfs_groups_free(&gs);
	pfs_table_free(&t);
}

/* fault_max_ns is the longest of the members, the others sum. */
static void test_by_comm_takes_the_max_of_fault_max(void **state)
{
	struct pfs_groups gs;
	struct pfs_table t;

	(void)state;
	load_table("procs_debugfs_cgroup.txt", &t);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_CGROUP, &gs), 0);
	assert_int_equal(gs.n, 1);	/* both rows are in cgroup 3000 */
	assert_int_equal(gs.g[0].sum.v[PFS_FAULT_MAX_NS], 2100000);
	assert_int_equal(gs.g[0].sum.v[PFS_ANON_MINOR], 4100 + 790000);
	assert_int_equal(gs.g[0].sum.v[PFS_CGROUP], 3000);
	assert_null(gs.g[0].path);
	pfs_groups_free(&gs);
	pfs_table_free(&t);
}

/* An older module: no cgroup column, so no grouping by it. */
static void test_by_cgroup_needs_the_column(void **state)
{
	struct pfs_groups gs;
	struct pfs_table t;

	(void)state;
	load_table("proc_refault.txt", &t);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_CGROUP, &gs), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_COMM, &gs), 0);
	pfs_groups_free(&gs);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_PARENT, &gs), 0);
	pfs_groups_free(&gs);
	pfs_table_free(&t);
}

/*
 * proc_cgroup.txt's tree: 1 -> 733 -> 1201 -> {1300 @6000 (exited) ->
 * {1310, 1311}, 1300 @9500 -> 1400, 2001, 2002}; 1500's parent 1450 has
 * no row (evicted), so it is a root.
 */
static void test_parent_index_pid_reuse_and_evicted_parent(void **state)
{
	struct pfs_table t;
	ssize_t parent[16];
	size_t i;

	(void)state;
	load_table("proc_cgroup.txt", &t);
	assert_int_equal(pfs_parent_index(&t, parent), 0);
	for (i = 0; i < t.nrows; i++) {
		const struct pfs_row *r = &t.rows[i];
		const struct pfs_row *p = parent[i] < 0 ? NULL : &t.rows[parent[i]];

		switch (r->pid) {
		case 1:
		case 1500:
			assert_null(p);
			break;
		case 1310:
		case 1311:	/* started 6102, 6103: the make of 6000 */
			assert_int_equal(p->pid, 1300);
			assert_int_equal(p->v[PFS_START_TIME], 6000);
			break;
		case 1400:	/* started 9600: the make of 9500 */
			assert_int_equal(p->pid, 1300);
			assert_int_equal(p->v[PFS_START_TIME], 9500);
			break;
		default:
			assert_non_null(p);
			assert_int_equal(p->pid, (int)r->v[PFS_PPID]);
		}
	}
	pfs_table_free(&t);
}

static void test_by_parent_subtrees(void **state)
{
	const struct pfs_group *g;
	struct pfs_groups gs;
	struct pfs_table t;

	(void)state;
	load_table("proc_cgroup.txt", &t);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_PARENT, &gs), 0);
	assert_int_equal(gs.n, 11);	/* every process heads its subtree */
	/* the exited make keeps its children, alive or not */
	g = group_of_head(&gs, 1300, 6000);
	assert_int_equal(g->nprocs, 3);
	assert_int_equal(g->nalive, 1);
	assert_int_equal(g->sum.state, PFS_EXITED);	/* the head's */
	assert_int_equal(g->sum.v[PFS_MINOR], 190 + 342233 + 1000);
	assert_int_equal(group_of_head(&gs, 1300, 9500)->nprocs, 2);
	/* systemd: all but the orphan 1500 */
	g = group_of_head(&gs, 1, 2);
	assert_int_equal(g->nprocs, 10);
	assert_int_equal(g->sum.v[PFS_MAJOR], 64220 - 4);
	assert_string_equal(g->sum.comm, "systemd");
	assert_int_equal(group_of_head(&gs, 1500, 7000)->nprocs, 1);
	/* the subtrees nest; the totals count each process once */
	assert_int_equal(gs.nprocs, 11);
	assert_int_equal(gs.total.v[PFS_MAJOR], 64220);
	pfs_groups_free(&gs);
	pfs_table_free(&t);
}

/* -c make --by parent: the makes head groups that hold their cc1s. */
static void test_by_parent_selection_picks_heads(void **state)
{
	struct pfs_select s = all;
	struct pfs_groups gs;
	struct pfs_table t;

	(void)state;
	s.comm = "make";
	load_table("proc_cgroup.txt", &t);
	assert_int_equal(pfs_group_rows(&t, &s, PFS_BY_PARENT, &gs), 0);
	assert_int_equal(gs.n, 2);
	assert_int_equal(group_of_head(&gs, 1300, 6000)->nprocs, 3);
	assert_int_equal(group_of_head(&gs, 1300, 9500)->nprocs, 2);
	assert_int_equal(gs.nprocs, 5);
	assert_int_equal(gs.total.v[PFS_MINOR], 190 + 210 + 342233 + 1000 + 2000);
	pfs_groups_free(&gs);
	pfs_table_free(&t);
}

#define HDR "pagefault_stats 1\n\npid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault start_time ppid\n"

/* Each other's parent, one's own parent: impossible, but must end. */
static void test_by_parent_cycles_are_broken(void **state)
{
	struct pfs_groups gs;
	struct pfs_table t;
	ssize_t parent[5];
	size_t i, roots = 0;

	(void)state;
	parse_str(HDR
		  "10 a alive 1 0 0 0 0 0 0 0 0 5 20\n"
		  "20 b alive 2 0 0 0 0 0 0 0 0 5 10\n"
		  "30 c alive 4 0 0 0 0 0 0 0 0 5 30\n"
		  "40 d alive 8 0 0 0 0 0 0 0 0 6 10\n"
		  "30 e alive 16 0 0 0 0 0 0 0 0 5 30\n", &t);
	assert_int_equal(pfs_parent_index(&t, parent), 0);
	for (i = 0; i < t.nrows; i++) {
		ssize_t j = (ssize_t)i;
		size_t steps = 0;

		roots += parent[i] < 0;
		while (j >= 0 && steps++ <= t.nrows)
			j = parent[j];
		assert_true(j < 0);	/* every walk up ends */
	}
	/* one root in the a-b cycle, one in the c-e cycle */
	assert_int_equal(roots, 2);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_PARENT, &gs), 0);
	assert_int_equal(gs.n, 5);
	assert_int_equal(gs.nprocs, 5);
	assert_int_equal(gs.total.v[PFS_MINOR], 31);
	for (i = 0; i < gs.n; i++)
		assert_true(gs.g[i].nprocs >= 1 && gs.g[i].nprocs <= 3);
	pfs_groups_free(&gs);
	pfs_table_free(&t);
}

/* Watch: with active, a group is listed if any member faulted. */
static void test_groups_active_and_sorted(void **state)
{
	struct pfs_select s = { .sort_key = PFS_SORT_TOTAL, .sort_desc = true,
				.active = true };
	const struct pfs_row *rows[8];
	struct pfs_groups gs;
	struct pfs_table t;

	(void)state;
	parse_str(HDR
		  "1 idle alive 0 0 0 0 0 0 0 0 0 1 0\n"
		  "2 x alive 0 0 0 0 0 0 0 0 0 1 1\n"
		  "3 x alive 5 0 0 0 0 0 0 0 0 1 1\n"
		  "4 y alive 9 0 0 0 0 0 0 0 0 1 1\n", &t);
	assert_int_equal(pfs_group_rows(&t, &s, PFS_BY_COMM, &gs), 0);
	assert_int_equal(gs.n, 3);
	assert_int_equal(pfs_groups_select(&gs, &s, rows), 2);
	assert_string_equal(rows[0]->comm, "y");
	assert_string_equal(rows[1]->comm, "x");
	assert_int_equal(pfs_group_of(rows[1])->nprocs, 2);	/* idle 2 too */
	pfs_groups_free(&gs);
	pfs_table_free(&t);
}

static void test_psi_parse(void **state)
{
	static const char ok[] =
		"some avg10=1.50 avg60=0.25 avg300=0.00 total=123456\n"
		"full avg10=0.75 avg60=0.00 avg300=0.00 total=4000000\n";
	struct pfs_psi p;

	(void)state;
	assert_int_equal(pfs_psi_parse(ok, strlen(ok), &p), 0);
	assert_true(p.have[PFS_PSI_SOME] && p.have[PFS_PSI_FULL]);
	assert_true(p.avg10[PFS_PSI_SOME] == 1.50);
	assert_true(p.avg60[PFS_PSI_SOME] == 0.25);
	assert_true(p.avg10[PFS_PSI_FULL] == 0.75);
	assert_int_equal(p.total_us[PFS_PSI_SOME], 123456);
	assert_int_equal(p.total_us[PFS_PSI_FULL], 4000000);
	/* an older kernel's file with no full line */
	assert_int_equal(pfs_psi_parse(ok, strlen(ok) / 2, &p), 0);
	assert_false(p.have[PFS_PSI_FULL]);
	/* anything else is no pressure at all, not half of one */
	assert_int_equal(pfs_psi_parse("some avg10=x avg60=0 avg300=0 total=1\n",
				       37, &p), -1);
	assert_false(p.have[PFS_PSI_SOME]);
	assert_int_equal(pfs_psi_parse("", 0, &p), -1);
	assert_int_equal(pfs_psi_parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n",
				       50, &p), -1);
	assert_int_equal(pfs_psi_parse(ok, strlen(ok) - 1, &p), 0);	/* no final newline */
}

static void test_cgroup_mount_in_mountinfo(void **state)
{
	static const char mi[] =
		"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
		"41 31 0:38 /ns\\040x /sys/fs/cgroup/uni\\040fied rw,relatime shared:9 - cgroup2 cgroup2 rw\n";
	char *mount = NULL, *root = NULL;

	(void)state;
	assert_int_equal(pfs_cgroup_mount_parse(mi, strlen(mi), &mount, &root), 1);
	assert_string_equal(mount, "/sys/fs/cgroup/uni fied");
	assert_string_equal(root, "/ns x");
	free(mount);
	free(root);
	/* cgroup v1 only */
	assert_int_equal(pfs_cgroup_mount_parse(mi, 140, &mount, &root), 0);
	assert_int_equal(pfs_cgroup_mount_parse("", 0, &mount, &root), 0);
}

/* A fake cgroup2 tree: dirs and memory.pressure files under a temp dir. */
struct fake_tree {
	char root[64];
	uint64_t ino_root, ino_a, ino_ab, ino_odd, ino_gone;
};

static uint64_t mkdir_ino(const char *root, const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(stat(path, &st), 0);
	return (uint64_t)st.st_ino;
}

static void write_file(const char *root, const char *rel, const char *s)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static void fake_tree_make(struct fake_tree *ft)
{
	struct stat st;
	char path[256];

	strcpy(ft->root, "/tmp/pfstat-cgroup-XXXXXX");
	assert_non_null(mkdtemp(ft->root));
	assert_int_equal(stat(ft->root, &st), 0);
	ft->ino_root = (uint64_t)st.st_ino;
	ft->ino_a = mkdir_ino(ft->root, "/a.slice");
	ft->ino_ab = mkdir_ino(ft->root, "/a.slice/b.service");
	ft->ino_odd = mkdir_ino(ft->root, "/we\"ird\\dir");
	write_file(ft->root, "/a.slice/b.service/memory.pressure",
		   "some avg10=12.50 avg60=3.00 avg300=1.00 total=2500000\n"
		   "full avg10=6.25 avg60=1.00 avg300=0.50 total=1000000\n");
	write_file(ft->root, "/a.slice/cgroup.procs", "");
	/* a cgroup removed since: its id has no directory */
	ft->ino_gone = mkdir_ino(ft->root, "/gone");
	snprintf(path, sizeof(path), "%s/gone", ft->root);
	assert_int_equal(rmdir(path), 0);
}

static void fake_tree_remove(struct fake_tree *ft)
{
	static const char *const rel[] = {
		"/a.slice/b.service/memory.pressure", "/a.slice/cgroup.procs",
		"/a.slice/b.service", "/a.slice", "/we\"ird\\dir", "",
	};
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", ft->root, rel[i]);
		assert_int_equal(remove(path), 0);
	}
}

/* A table of five processes in the fake tree's cgroups. */
static void fake_table(const struct fake_tree *ft, struct pfs_table *t)
{
	char buf[1024];

	snprintf(buf, sizeof(buf),
		 "pagefault_stats 1\n\npid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault ppid cgroup\n"
		 "1 init alive 1 0 0 0 0 0 0 0 0 0 %llu\n"
		 "2 svc alive 10 1 0 0 0 0 0 0 0 1 %llu\n"
		 "3 svc exited 20 2 0 0 0 0 0 0 0 1 %llu\n"
		 "4 slice alive 100 0 0 0 0 0 0 0 0 1 %llu\n"
		 "5 odd alive 1000 0 0 0 0 0 0 0 0 1 %llu\n"
		 "6 dead exited 5000 0 0 0 0 0 0 0 0 1 %llu\n",
		 (unsigned long long)ft->ino_root, (unsigned long long)ft->ino_ab,
		 (unsigned long long)ft->ino_ab, (unsigned long long)ft->ino_a,
		 (unsigned long long)ft->ino_odd, (unsigned long long)ft->ino_gone);
	parse_str(buf, t);
}

static const struct pfs_group *group_by_id(const struct pfs_groups *gs,
					   uint64_t id)
{
	size_t i;

	for (i = 0; i < gs->n; i++)
		if (gs->g[i].sum.v[PFS_CGROUP] == id)
			return &gs->g[i];
	fail_msg("no group for cgroup %llu", (unsigned long long)id);
	return NULL;
}

static void test_by_cgroup_paths_and_pressure(void **state)
{
	const struct pfs_group *g;
	struct fake_tree ft;
	struct pfs_cgmap m;
	struct pfs_groups gs;
	struct pfs_table t;
	char id[32], want[32];

	(void)state;
	fake_tree_make(&ft);
	fake_table(&ft, &t);
	assert_int_equal(pfs_cgmap_load(&m, ft.root, "/"), 0);
	assert_int_equal(m.n, 4);	/* the root, a, a/b, the odd one */
	assert_string_equal(pfs_cgmap_rel(&m, ft.ino_ab), "/a.slice/b.service");
	assert_null(pfs_cgmap_rel(&m, ft.ino_gone));
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_CGROUP, &gs), 0);
	assert_int_equal(pfs_cgroups_fill(&gs, &m), 0);
	assert_int_equal(gs.n, 5);
	g = group_by_id(&gs, ft.ino_root);
	assert_string_equal(g->path, "/");
	assert_false(g->psi.have[PFS_PSI_SOME]);	/* no memory.pressure */
	g = group_by_id(&gs, ft.ino_ab);
	assert_string_equal(g->path, "/a.slice/b.service");
	assert_int_equal(g->nprocs, 2);
	assert_int_equal(g->nalive, 1);
	assert_int_equal(g->sum.v[PFS_MINOR], 30);
	assert_true(g->psi.have[PFS_PSI_FULL]);
	assert_true(g->psi.avg10[PFS_PSI_SOME] == 12.5);
	assert_int_equal(g->psi.total_us[PFS_PSI_FULL], 1000000);
	assert_string_equal(group_by_id(&gs, ft.ino_a)->path, "/a.slice");
	/* removed: shown by its id */
	g = group_by_id(&gs, ft.ino_gone);
	assert_null(g->path);
	snprintf(want, sizeof(want), "#%llu", (unsigned long long)ft.ino_gone);
	assert_string_equal(pfs_group_cgroup(g, id, sizeof(id)), want);
	pfs_groups_free(&gs);
	pfs_cgmap_free(&m);

	/* a mount whose root is a subtree: paths are the hierarchy's */
	assert_int_equal(pfs_cgmap_load(&m, ft.root, "/ns"), 0);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_CGROUP, &gs), 0);
	assert_int_equal(pfs_cgroups_fill(&gs, &m), 0);
	assert_string_equal(group_by_id(&gs, ft.ino_root)->path, "/ns");
	assert_string_equal(group_by_id(&gs, ft.ino_a)->path, "/ns/a.slice");
	pfs_groups_free(&gs);
	pfs_cgmap_free(&m);
	pfs_table_free(&t);
	fake_tree_remove(&ft);
}

/* The groups' Prometheus families: labels of the group, escaped. */
static void test_by_cgroup_prometheus(void **state)
{
	const struct pfs_row *rows[8];
	struct fake_tree ft;
	struct pfs_cgmap m;
	struct pfs_groups gs;
	struct pfs_table t;
	struct pfs_view v;
	struct capture c;
	char *out, want[160];

	(void)state;
	fake_tree_make(&ft);
	fake_table(&ft, &t);
	assert_int_equal(pfs_cgmap_load(&m, ft.root, "/"), 0);
	assert_int_equal(pfs_group_rows(&t, &all, PFS_BY_CGROUP, &gs), 0);
	assert_int_equal(pfs_cgroups_fill(&gs, &m), 0);
	memset(&v, 0, sizeof(v));
	v.t = &t;
	v.rows = rows;
	v.by = PFS_BY_CGROUP;
	v.n = v.nsel = pfs_groups_select(&gs, &all, rows);
	v.total = gs.total;
	capture_start(&c);
	pfs_prom_view(c.f, &v);
	out = capture_end(&c);
	assert_non_null(strstr(out, "# TYPE pagefault_stats_cgroup_faults_total counter\n"));
	assert_non_null(strstr(out, "pagefault_stats_cgroup_faults_total{cgroup=\"/a.slice/b.service\",type=\"minor\"} 30\n"));
	assert_non_null(strstr(out, "pagefault_stats_cgroup_faults_total{cgroup=\"/we\\\"ird\\\\dir\",type=\"minor\"} 1000\n"));
	assert_non_null(strstr(out, "pagefault_stats_cgroup_processes{cgroup=\"/a.slice/b.service\"} 2\n"));
	assert_non_null(strstr(out, "pagefault_stats_cgroup_processes_alive{cgroup=\"/a.slice/b.service\"} 1\n"));
	/* total=2500000 us of some, 1000000 of full */
	assert_non_null(strstr(out, "pagefault_stats_cgroup_memory_pressure_seconds_total{cgroup=\"/a.slice/b.service\",kind=\"some\"} 2.500000\n"));
	assert_non_null(strstr(out, "pagefault_stats_cgroup_memory_pressure_seconds_total{cgroup=\"/a.slice/b.service\",kind=\"full\"} 1.000000\n"));
	snprintf(want, sizeof(want), "pagefault_stats_cgroup_faults_total{cgroup=\"#%llu\",type=\"minor\"} 5000\n",
		 (unsigned long long)ft.ino_gone);
	assert_non_null(strstr(out, want));
	/* no per-process series, no pid label */
	assert_null(strstr(out, "pid=\""));
	assert_null(strstr(out, "pagefault_stats_faults_total{"));
	free(out);
	pfs_groups_free(&gs);
	pfs_cgmap_free(&m);
	pfs_table_free(&t);
	fake_tree_remove(&ft);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_argument),
		cmocka_unit_test(test_by_comm_sums_equal_names),
		cmocka_unit_test(test_by_comm_takes_the_max_of_fault_max),
		cmocka_unit_test(test_by_cgroup_needs_the_column),
		cmocka_unit_test(test_parent_index_pid_reuse_and_evicted_parent),
		cmocka_unit_test(test_by_parent_subtrees),
		cmocka_unit_test(test_by_parent_selection_picks_heads),
		cmocka_unit_test(test_by_parent_cycles_are_broken),
		cmocka_unit_test(test_groups_active_and_sorted),
		cmocka_unit_test(test_psi_parse),
		cmocka_unit_test(test_cgroup_mount_in_mountinfo),
		cmocka_unit_test(test_by_cgroup_paths_and_pressure),
		cmocka_unit_test(test_by_cgroup_prometheus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
