// SPDX-License-Identifier: GPL-2.0
/* pfstat in the guest: what its tests share (pfs_pfstat.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_pfstat.h"
#include "pfs_test.h"

void pfs_need_tracing(void)
{
	struct stat st;

	if (access(PFS_PFSTAT, X_OK))
		pfs_skip("%s not installed", PFS_PFSTAT);
	pfs_require_module();
	if (stat(PFS_TRACEFS "/instances", &st))
		mount("nodev", PFS_TRACEFS, "tracefs", 0, NULL);
	if (stat(PFS_TRACEFS "/events/pagefault_stats/fault", &st))
		pfs_fail("no " PFS_TRACEFS "/events/pagefault_stats/fault: module without trace events");
}

bool pfs_instance_exists(pid_t pfstat)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), PFS_TRACEFS "/instances/pfstat-%d", (int)pfstat);
	return stat(path, &st) == 0;
}

/* The tracer's events are on in its instance (it is ready). */
bool pfs_instance_enabled(pid_t pfstat)
{
	char path[160], buf[8];

	snprintf(path, sizeof(path),
		 PFS_TRACEFS "/instances/pfstat-%d/events/pagefault_stats/fault/enable",
		 (int)pfstat);
	return pfs_read_file(path, buf, sizeof(buf)) > 0 && buf[0] == '1';
}

void pfs_wait_enabled(pid_t pfstat)
{
	int i;

	for (i = 0; i < 600 && !pfs_instance_enabled(pfstat); i++)
		usleep(50000);
	if (!pfs_instance_enabled(pfstat))
		pfs_fail("pfstat's instance never had its events on (30 s)");
}

unsigned long long pfs_start_time_of(pid_t pid)
{
	char path[64], buf[1024], *p;
	int field = 2;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pfs_read_file(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		pfs_fail("cannot read %s", path);
	for (p++; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	return strtoull(p, NULL, 10);
}

/* The row's counter for (pid, start_time) in debugfs procs. */
unsigned long long pfs_counter(pid_t pid, unsigned long long st, const char *col)
{
	struct pfs_table *t = pfs_table_get(PFS_DEBUGFS_PROCS);
	const struct pfs_row *r = pfs_table_find(t, pid, st);
	unsigned long long v;

	if (!r)
		pfs_fail("no row for pid %d in %s", (int)pid, PFS_DEBUGFS_PROCS);
	v = pfs_col(t, r, col);
	pfs_table_free(t);
	return v;
}

/* A child that waits for "g", touches pages anon pages and file pages,
 * says "d" and waits to be killed. */


void pfs_toucher_start(struct pfs_toucher *c, unsigned long pages)
{
	pfs_toucher_start_named(c, pages, NULL);
}

void pfs_toucher_start_named(struct pfs_toucher *c, unsigned long pages,
				const char *comm)
{
	int g[2], dn[2];

	if (pipe(g) || pipe(dn))
		pfs_fail("pipe");
	c->pid = fork();
	if (c->pid == 0) {
		char *m = pfs_map_anon(pages * PFS_PAGE), b;
		unsigned long i;

		close(g[1]);
		close(dn[0]);
		if (comm)
			prctl(PR_SET_NAME, comm, 0, 0, 0);
		if (read(g[0], &b, 1) != 1)
			_exit(1);
		for (i = 0; i < pages; i++)
			m[i * PFS_PAGE] = 1;
		if (write(dn[1], "d", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(g[0]);
	close(dn[1]);
	c->go = g[1];
	c->done = dn[0];
}

void pfs_toucher_go(struct pfs_toucher *c)
{
	char b;

	if (write(c->go, "g", 1) != 1 || read(c->done, &b, 1) != 1)
		pfs_fail("the toucher did not run");
}

void pfs_toucher_end(struct pfs_toucher *c)
{
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
	close(c->go);
	close(c->done);
}

unsigned long long pfs_where_sum(const struct jdoc *d, const char *key)
{
	unsigned long long s = 0;
	char path[96];
	int i;

	for (i = 0; ; i++) {
		snprintf(path, sizeof(path), "mappings.%d.%s", i, key);
		if (!jget(d, path))
			return s;
		s += jnum(d, path);
	}
}
