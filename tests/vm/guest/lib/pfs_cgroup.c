// SPDX-License-Identifier: GPL-2.0
/*
 * Memory cgroups for the workloads that need the kernel to evict: cgroup v2
 * mounted where it is missing, the memory controller enabled, a child group
 * with a memory.max; and the small writes that go with them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pfs_test.h"

void pfs_write_or_fail(const char *path, const char *v, const char *what)
{
	int err = pfs_write_file(path, v, strlen(v));

	if (err)
		pfs_fail("%s (%s = %s): %s", what, path, v, strerror(-err));
}

static bool mounted_cgroup2(void)
{
	char *m = pfs_slurp_or_fail("/proc/mounts");
	bool yes = strstr(m, " " PFS_CGROUP_ROOT " cgroup2 ") != NULL;

	free(m);
	return yes;
}

void pfs_memcg_make(const char *dir, const char *limit)
{
	char buf[256], path[512];

	if (!mounted_cgroup2() &&
	    mount("cgroup2", PFS_CGROUP_ROOT, "cgroup2", 0, NULL))
		pfs_skip("cannot mount cgroup2 on %s: %s", PFS_CGROUP_ROOT,
			 strerror(errno));
	if (pfs_read_file(PFS_CGROUP_ROOT "/cgroup.controllers", buf, sizeof(buf)) < 0 ||
	    !strstr(buf, "memory"))
		pfs_skip("no memory controller in %s/cgroup.controllers",
			 PFS_CGROUP_ROOT);
	pfs_write_or_fail(PFS_CGROUP_ROOT "/cgroup.subtree_control", "+memory",
			  "enable the memory controller");
	if (mkdir(dir, 0755) && errno != EEXIST)
		pfs_fail("mkdir %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", dir);
	pfs_write_or_fail(path, limit, "limit the cgroup");
}

int pfs_memcg_join(const char *dir)
{
	char path[512], pid[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	return pfs_write_file(path, pid, strlen(pid));
}
