// SPDX-License-Identifier: GPL-2.0
/*
 * Thrash time (issue 11): a row's thrash_ns is the kernel's own delay
 * accounting for the process. The oracle is taskstats (the netlink
 * interface getdelays(8) uses): for a live child stopped after a workload
 * that refaults working-set pages (classic LRU), the row's thrash_ns must equal
 * taskstats' thrashing_delay_total exactly. Where the kernel keeps no
 * thrash time for a process (delay accounting off when it was created:
 * Debian's default since 5.14), the row says "-".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_test.h"

#define DELAYACCT	"/proc/sys/kernel/task_delayacct"
#define CG		PFS_CGROUP_ROOT "/pfs-thrash"
#define CG_LIMIT	"16M"
#define LRU_GEN		"/sys/kernel/mm/lru_gen/enabled"
#define SET_MIB		20	/* the working set: more than memory.max */
#define ROUNDS		8

/* ---- taskstats over generic netlink ----------------------------------- */

struct nlmsg {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char buf[2048];
};

#define GENL_DATA(m)	((char *)&(m)->g + GENL_HDRLEN)
#define NLA_DATA(a)	((char *)(a) + NLA_HDRLEN)

static int nl_send(int fd, __u16 type, __u8 cmd, __u16 attr, const void *data,
		   __u16 len)
{
	struct nlmsg m;
	struct nlattr *a;

	memset(&m, 0, sizeof(m));
	m.n.nlmsg_type = type;
	m.n.nlmsg_flags = NLM_F_REQUEST;
	m.n.nlmsg_pid = getpid();
	m.g.cmd = cmd;
	m.g.version = 1;
	a = (struct nlattr *)GENL_DATA(&m);
	a->nla_type = attr;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(NLA_DATA(a), data, len);
	m.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLMSG_ALIGN(a->nla_len);
	return send(fd, &m, m.n.nlmsg_len, 0) == (ssize_t)m.n.nlmsg_len ? 0 : -1;
}

/* The first attribute of type @type in [p, p + len), or NULL. */
static struct nlattr *nla_find(char *p, int len, __u16 type)
{
	while (len >= NLA_HDRLEN) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static int nl_recv(int fd, struct nlmsg *m, char **attrs, int *len)
{
	ssize_t n = recv(fd, m, sizeof(*m), 0);

	if (n < 0 || !NLMSG_OK(&m->n, (size_t)n) || m->n.nlmsg_type == NLMSG_ERROR)
		return -1;
	*attrs = GENL_DATA(m);
	*len = NLMSG_PAYLOAD(&m->n, 0) - GENL_HDRLEN;
	return 0;
}

/* Taskstats of @pid (a task, live), from the kernel; fails the sub-test otherwise. */
static void taskstats_get(pid_t pid, struct taskstats *ts)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlattr *a, *agg;
	struct nlmsg m;
	__u16 family;
	char *attrs;
	int fd, len;
	__u32 p = pid;

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		pfs_skip("no generic netlink socket: %s", strerror(errno));
	if (nl_send(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME,
		    TASKSTATS_GENL_NAME, sizeof(TASKSTATS_GENL_NAME)) ||
	    nl_recv(fd, &m, &attrs, &len) ||
	    !(a = nla_find(attrs, len, CTRL_ATTR_FAMILY_ID)))
		pfs_skip("no taskstats genetlink family (CONFIG_TASKSTATS)");
	memcpy(&family, NLA_DATA(a), sizeof(family));
	if (nl_send(fd, family, TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_PID, &p, sizeof(p)) ||
	    nl_recv(fd, &m, &attrs, &len) ||
	    !(agg = nla_find(attrs, len, TASKSTATS_TYPE_AGGR_PID)) ||
	    !(a = nla_find(NLA_DATA(agg), agg->nla_len - NLA_HDRLEN, TASKSTATS_TYPE_STATS)))
		pfs_fail("taskstats of pid %d: no answer", (int)pid);
	memset(ts, 0, sizeof(*ts));
	memcpy(ts, NLA_DATA(a), a->nla_len - NLA_HDRLEN < (int)sizeof(*ts) ?
	       (size_t)(a->nla_len - NLA_HDRLEN) : sizeof(*ts));
	close(fd);
}

/* ---- the workload -------------------------------------------------------- */

/*
 * Read a range, each chunk twice: a page read twice while on the inactive
 * list is activated (folio_mark_accessed()), as a working set's pages are;
 * read once, a stream never would be.
 */
static void read_range(int fd, off_t off, size_t len)
{
	static char buf[64 << 10];
	size_t done;

	for (done = 0; done < len; done += sizeof(buf))
		if (pread(fd, buf, sizeof(buf), off + done) <= 0 ||
		    pread(fd, buf, sizeof(buf), off + done) <= 0)
			_exit(21);
}

/*
 * The child: in the small cgroup, read a working set a little larger than
 * the cgroup, round after round: each round pushes out pages the next one
 * needs soon after, the kernel finds them part of the working set, and the
 * reads wait on them coming back. Then stop until the parent has compared
 * (the row and taskstats of a live task).
 */
static int w_thrash(void *arg)
{
	size_t set = (size_t)SET_MIB << 20, off;
	int *go = arg, fd, r;
	char c, *m;
	unsigned long sum = 0;

	if (pfs_memcg_join(CG))
		return 10;
	fd = open(pfs_disk_file(), O_RDONLY);
	if (fd < 0 || posix_fadvise(fd, 0, set, POSIX_FADV_DONTNEED))
		return 11;
	for (r = 0; r < ROUNDS; r++)
		read_range(fd, 0, set);
	/*
	 * And through faults, page by page (no readahead): each fault on a
	 * working-set page being read back waits for it.
	 */
	m = mmap(NULL, set, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED || madvise(m, set, MADV_RANDOM))
		return 13;
	for (r = 0; r < 2; r++)
		for (off = 0; off < set; off += PFS_PAGE)
			sum += ((volatile unsigned char *)m)[off];
	munmap(m, set);
	close(fd);
	/* tell the parent, then wait for its word */
	if (write(go[1], "x", 1) != 1 || read(go[2], &c, 1) != 1)
		return 12;
	return sum == 1;	/* never: keeps the reads */
}

struct thrash_child {
	struct pfs_child c;
	int fds[4];		/* child->parent pipe, parent->child pipe */
};

static void thrash_spawn(struct thrash_child *t)
{
	int p1[2], p2[2];
	char c;

	if (pipe(p1) || pipe(p2))
		pfs_fail("pipe: %s", strerror(errno));
	t->fds[0] = p1[0];
	t->fds[1] = p1[1];
	t->fds[2] = p2[0];
	t->fds[3] = p2[1];
	pfs_spawn(&t->c, w_thrash, t->fds);
	close(t->fds[1]);	/* the child's ends: a dead child then reads as EOF */
	close(t->fds[2]);
	if (read(t->fds[0], &c, 1) != 1)
		pfs_fail("the workload child died before it was done (status of wait below)");
}

static void thrash_release(struct thrash_child *t)
{
	if (write(t->fds[3], "x", 1) != 1)
		pfs_fail("cannot wake the child: %s", strerror(errno));
	close(t->fds[0]);
	close(t->fds[3]);
	pfs_reap(&t->c);
	pfs_require_clean_exit(&t->c);
}

/* The child's row, while it is alive and stopped. */
static const struct pfs_row *live_row(const struct pfs_table *t, pid_t pid)
{
	const struct pfs_row *r = NULL;
	int pc = pfs_col_index(t, "pid");
	size_t i;

	for (i = 0; i < t->nrow; i++)
		if (strtoll(t->row[i].field[pc], NULL, 10) == pid)
			r = &t->row[i];
	if (!r)
		pfs_fail("%s has no row for the live child %d", PFS_PROC_PATH, (int)pid);
	return r;
}

static void require_disk(void)
{
	if (access(pfs_disk_file(), R_OK))
		pfs_skip("%s is missing: no test disk in this VM", pfs_disk_file());
}

/* Delay accounting on: the row equals taskstats, to the nanosecond. */
static void check_on(bool light)
{
	struct thrash_child tc;
	const struct pfs_row *r;
	unsigned long long live_faults;
	struct taskstats ts;
	struct pfs_table *t;
	const char *v;

	require_disk();
	pfs_memcg_make(CG, CG_LIMIT);
	/* the classic LRU: its refault distance activates such a working set */
	if (!access(LRU_GEN, W_OK))
		pfs_write_or_fail(LRU_GEN, "n", "turn the multi-gen LRU off");
	if (!access(DELAYACCT, W_OK))
		pfs_write_or_fail(DELAYACCT, "1", "turn delay accounting on");
	thrash_spawn(&tc);
	taskstats_get(tc.c.pid, &ts);
	t = pfs_table_get(PFS_PROC_PATH);
	r = live_row(t, tc.c.pid);
	v = pfs_col_str(t, r, "thrash_ns");
	pfs_info("child %d: taskstats thrashing_count %llu thrashing_delay_total %llu ns; "
		 "row thrash_ns %s, refault_file %llu, refault_active %llu, refault_restore %llu",
		 (int)tc.c.pid, (unsigned long long)ts.thrashing_count,
		 (unsigned long long)ts.thrashing_delay_total, v,
		 pfs_col(t, r, "refault_file"), pfs_col(t, r, "refault_active"),
		 pfs_col(t, r, "refault_restore"));
	pfs_expect_true("row thrash_ns is a number", strcmp(v, "-") != 0,
			"delay accounting was on when the child was created");
	if (strcmp(v, "-"))
		pfs_expect_eq("row thrash_ns", pfs_col(t, r, "thrash_ns"),
			      ts.thrashing_delay_total,
			      "taskstats thrashing_delay_total of the same stopped task");
	if (!light)
		pfs_expect_ge("row refault_file", pfs_col(t, r, "refault_file"), 1,
			      "the working set came back round after round");
	else
		pfs_expect_eq("row refault_file", pfs_col(t, r, "refault_file"), 0,
			      "light mode has no refault probes");
	pfs_expect_ge("taskstats thrashing_count", ts.thrashing_count, 1,
		      "the reads waited on working-set refaults (else 0 = 0 proves little)");
	live_faults = pfs_col(t, r, "minor") + pfs_col(t, r, "major");
	pfs_table_free(t);
	thrash_release(&tc);
	/*
	 * After the exit the row keeps what the thread had at its exit. The
	 * child only returns from a read and exits after the query, but under
	 * its cgroup's pressure the pages that takes may have been evicted in
	 * the last round: a fault then waits on a working-set refault, and the
	 * exit's figure is larger than the query's by that wait (seen on
	 * 6.12). Equal when the child took no fault after the query; else at
	 * least the query's.
	 */
	t = pfs_check_child(&tc.c, PFS_PROC_PATH, &r);
	if (pfs_col(t, r, "minor") + pfs_col(t, r, "major") == live_faults) {
		pfs_expect_eq("exited row thrash_ns", pfs_col(t, r, "thrash_ns"),
			      ts.thrashing_delay_total,
			      "taken at the thread's exit; no fault after the query");
	} else {
		pfs_info("the child faulted %llu times after the query (minor+major, its row)",
			 pfs_col(t, r, "minor") + pfs_col(t, r, "major") - live_faults);
		pfs_expect_ge("exited row thrash_ns", pfs_col(t, r, "thrash_ns"),
			      ts.thrashing_delay_total,
			      "taken at the thread's exit, after faults that may have waited");
	}
	pfs_table_free(t);
}

static void test_on(void)
{
	check_on(false);
}

/*
 * The same in light mode, whose rows of live processes are made at read
 * time and of exited ones at their exit: both must carry the kernel's
 * figure.
 */
static void test_on_light(void)
{
	if (pfs_module_reload("mode=light"))
		pfs_fail("cannot reload the module with mode=light");
	check_on(true);
	pfs_module_restore();
}

/* Delay accounting off at creation: the row says "-", not 0. */
static void test_off(void)
{
	const struct pfs_row *r;
	struct pfs_child c;
	struct pfs_table *t;

	if (access(DELAYACCT, W_OK))
		pfs_skip("no %s: delay accounting is always on with this kernel (up to 5.13)",
			 DELAYACCT);
	pfs_write_or_fail(DELAYACCT, "0", "turn delay accounting off");
	pfs_run(&c, pfs_touch_fresh, PFS_PAGES(16));
	pfs_require_clean_exit(&c);
	t = pfs_check_child(&c, PFS_PROC_PATH, &r);
	pfs_expect_str("row thrash_ns", pfs_col_str(t, r, "thrash_ns"), "-",
		       "the kernel keeps no thrash time for a task created with accounting off");
	pfs_table_free(t);
}

static char delayacct_saved[8], lru_gen_saved[64];

static void save(const char *path, char *buf, size_t sz)
{
	char *s = access(path, R_OK) ? NULL : pfs_slurp(path, NULL);

	if (s) {
		snprintf(buf, sz, "%s", s);
		free(s);
	}
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	save(DELAYACCT, delayacct_saved, sizeof(delayacct_saved));
	save(LRU_GEN, lru_gen_saved, sizeof(lru_gen_saved));
	pfs_test("delay accounting off: thrash_ns is -", test_off);
	pfs_test("delay accounting on: thrash_ns equals taskstats thrashing_delay_total",
		 test_on);
	pfs_test("light mode: thrash_ns equals taskstats, alive and exited", test_on_light);
	pfs_module_restore();
	if (delayacct_saved[0])
		pfs_write_file(DELAYACCT, delayacct_saved, strlen(delayacct_saved));
	if (lru_gen_saved[0])
		pfs_write_file(LRU_GEN, lru_gen_saved, strlen(lru_gen_saved));
	return pfs_exit();
}
