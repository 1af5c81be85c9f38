// SPDX-License-Identifier: GPL-2.0
/*
 * process_vm_readv() of another process's untouched memory: the kernel
 * faults the pages in on behalf of the target but charges the faults to the
 * caller (current).  The caller's row must count them, as remote, and still
 * equal the caller's own accounting; the target's row is untouched by them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_PAGES 64

struct target_arg {
	int addr_fd;		/* write end: the target sends its buffer address */
	int go_fd;		/* read end: the target exits at EOF */
	int close_fd[2];	/* the parent's ends, inherited */
};

static int w_target(void *arg)
{
	struct target_arg *ta = arg;
	unsigned long addr;
	char c;

	close(ta->close_fd[0]);
	close(ta->close_fd[1]);
	pfs_settle();
	addr = (unsigned long)pfs_map_anon(N_PAGES * PFS_PAGE);	/* never touched */
	if (write(ta->addr_fd, &addr, sizeof(addr)) != sizeof(addr))
		return 2;
	while (read(ta->go_fd, &c, 1) < 0 && errno == EINTR)
		;
	return 0;
}

struct caller_arg {
	pid_t target;
	unsigned long addr;
};

struct caller_report {
	struct pfs_faults call;
	long bytes;
	int err;
};

static int w_caller(void *arg)
{
	struct caller_arg *ca = arg;
	struct caller_report r;
	struct iovec local, remote;
	struct pfs_faults a;
	char *buf;
	size_t i;

	memset(&r, 0, sizeof(r));
	pfs_settle();
	buf = pfs_map_anon(N_PAGES * PFS_PAGE);
	for (i = 0; i < N_PAGES; i++)
		buf[i * PFS_PAGE] = 1;		/* our side faults before */
	local.iov_base = buf;
	local.iov_len = N_PAGES * PFS_PAGE;
	remote.iov_base = (void *)ca->addr;
	remote.iov_len = N_PAGES * PFS_PAGE;
	a = pfs_faults_self();
	r.bytes = process_vm_readv(ca->target, &local, 1, &remote, 1, 0);
	r.err = r.bytes < 0 ? errno : 0;
	r.call = pfs_faults_sub(pfs_faults_self(), a);
	return pfs_report(&r, sizeof(r));
}

static void test_remote(void)
{
	int addr_pipe[2], go_pipe[2];
	struct target_arg ta;
	struct caller_arg ca;
	struct caller_report r;
	struct pfs_child target, caller;
	const struct pfs_row *row;
	struct pfs_table *t;

	if (pipe(addr_pipe) || pipe(go_pipe))
		pfs_fail("pipe: %s", strerror(errno));
	ta.addr_fd = addr_pipe[1];
	ta.go_fd = go_pipe[0];
	ta.close_fd[0] = addr_pipe[0];
	ta.close_fd[1] = go_pipe[1];
	pfs_spawn(&target, w_target, &ta);
	close(addr_pipe[1]);
	close(go_pipe[0]);
	if (read(addr_pipe[0], &ca.addr, sizeof(ca.addr)) != sizeof(ca.addr))
		pfs_fail("the target did not send its address");
	ca.target = target.pid;
	pfs_run(&caller, w_caller, &ca);
	close(go_pipe[1]);
	close(addr_pipe[0]);
	pfs_reap(&target);
	pfs_require_clean_exit(&caller);
	pfs_require_clean_exit(&target);
	pfs_get_report(&caller, &r, sizeof(r));

	pfs_expect_eq("bytes process_vm_readv() read", r.bytes, N_PAGES * PFS_PAGE,
		      "64 pages of the target (errno if short)");
	if (r.err)
		pfs_info("process_vm_readv: %s", strerror(r.err));
	pfs_expect_ge("caller's minor faults during the call", r.call.minor, 1,
		      "GUP faults the target's untouched pages and charges current");

	t = pfs_check_child(&caller, PFS_PROC_PATH, &row);
	pfs_expect_eq("caller row remote", pfs_col(t, row, "remote"),
		      r.call.minor + r.call.major,
		      "every fault in the call was made through GUP for another mm "
		      "(the caller's own buffer was touched before)");
	pfs_table_free(t);
	t = pfs_check_child(&target, PFS_PROC_PATH, &row);
	pfs_expect_eq("target row remote", pfs_col(t, row, "remote"), 0,
		      "the target made no GUP faults of its own");
	pfs_table_free(t);
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("process_vm_readv: remote faults on the caller's row, row equals rusage",
		 test_remote);
	return pfs_exit();
}
