// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 5: thrashing (docs/labs/lab-5-thrashing.md).
 *
 * A process in a memory cgroup (cgroup v2, memory.max = LIMIT) sweeps over
 * its working set again and again, writing one byte per page:
 *   A  working set LIMIT / 2: after the first sweep nothing faults; the
 *      sweeps run at memory speed
 *   B  working set LIMIT * 3 / 2: the cgroup cannot hold it; every sweep
 *      pushes pages out to swap and faults them back in (anonymous majors),
 *      and useful progress (pages swept per second) collapses
 * Each second the worker prints its own rates, as "pfstat -i 1" would, and
 * /proc/pressure/memory (PSI) shows the time tasks stalled on memory.
 *
 * lab-5 thrash SECONDS runs phase B alone for SECONDS, to watch with
 * "pfstat -i 1" or "cat /proc/pressure/memory" from another shell.
 */
#include <sys/mount.h>
#include "lab-common.h"

#define CG_ROOT "/sys/fs/cgroup"
#define CG "/sys/fs/cgroup/pfs-lab5"
#define LIMIT_MIB 24

struct result {
	double secs;
	unsigned long long pages;	/* pages swept after the first sweep */
	unsigned long long major, minor;	/* during those sweeps */
};

static int report_fd;

/* "some" (or "full") total= of a PSI file, in microseconds; -1 if absent. */
static long long psi_total(const char *path, const char *which)
{
	char buf[512], *l, *t;

	if (lab_read_str(path, buf, sizeof(buf)))
		return -1;
	l = strstr(buf, which);
	if (!l || !(t = strstr(l, "total=")))
		return -1;
	return strtoll(t + 6, NULL, 10);
}

static bool mounted_cgroup2(void)
{
	char buf[8192];

	return !lab_read_str("/proc/mounts", buf, sizeof(buf)) &&
	       strstr(buf, " " CG_ROOT " cgroup2 ");
}

/* Mount cgroup v2 if needed, make our group with the memory controller. */
static void setup_cgroup(unsigned long limit_mib)
{
	char buf[256];

	if (!mounted_cgroup2()) {
		mkdir(CG_ROOT, 0755);
		if (mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))
			lab_skip("cannot mount cgroup2 on %s (%s); this lab needs cgroup v2 (and root)",
				 CG_ROOT, strerror(errno));
		lab_say("  mounted cgroup2 on %s", CG_ROOT);
	}
	if (lab_read_str(CG_ROOT "/cgroup.controllers", buf, sizeof(buf)) ||
	    !strstr(buf, "memory"))
		lab_skip("the memory controller is not available in %s/cgroup.controllers",
			 CG_ROOT);
	if (lab_write_str(CG_ROOT "/cgroup.subtree_control", "+memory"))
		lab_skip("cannot enable the memory controller (%s/cgroup.subtree_control): %s",
			 CG_ROOT, strerror(errno));
	if (mkdir(CG, 0755) && errno != EEXIST)
		lab_skip("cannot create %s: %s", CG, strerror(errno));
	snprintf(buf, sizeof(buf), "%luM", limit_mib);
	if (lab_write_str(CG "/memory.max", buf))
		lab_skip("cannot set %s/memory.max: %s", CG, strerror(errno));
	lab_say("  cgroup %s: memory.max = %s", CG, buf);
}

static unsigned long ws_pages;
static double run_secs;
static bool verbose_seconds;

/* The worker: join the cgroup, sweep the working set until time is up. */
static int worker(void *arg)
{
	struct lab_row r0, r1, prev, now;
	struct result res = { 0 };
	double t0, tick, t;
	unsigned long long swept = 0, swept_prev = 0;
	size_t i;
	char *p;

	(void)arg;
	lab_settle();			/* charged before we join: not in the limit */
	if (lab_write_str(CG "/cgroup.procs", "0"))
		lab_die("cannot join %s: %s", CG, strerror(errno));
	p = lab_map_anon(ws_pages * LAB_PAGE, false);
	lab_write_pages(p, ws_pages, 1);	/* the first sweep: demand paging */
	r0 = prev = lab_row_self();
	t0 = tick = lab_now();
	for (;;) {
		for (i = 0; i < ws_pages; i++) {
			p[i * LAB_PAGE]++;
			if (++swept & 255)
				continue;
			t = lab_now();
			if (t - tick < 1.0)
				continue;
			if (verbose_seconds) {
				now = lab_row_self();
				lab_say("    t=%4.1fs  pages swept/s %9.0f  major/s %7llu  minor/s %7llu",
					t - t0, (swept - swept_prev) / (t - tick),
					now.v[C_MAJOR] - prev.v[C_MAJOR],
					now.v[C_MINOR] - prev.v[C_MINOR]);
				prev = now;
			}
			swept_prev = swept;
			tick = t;
			if (t - t0 >= run_secs)
				goto done;
		}
	}
done:
	r1 = lab_row_self();
	res.secs = lab_now() - t0;
	res.pages = swept;
	res.major = r1.v[C_MAJOR] - r0.v[C_MAJOR];
	res.minor = r1.v[C_MINOR] - r0.v[C_MINOR];
	return write(report_fd, &res, sizeof(res)) == sizeof(res) ? 0 : 1;
}

static struct result phase(unsigned long ws_mib, double secs, long long *psi_some,
			   long long *psi_full)
{
	long long some0 = psi_total("/proc/pressure/memory", "some");
	long long full0 = psi_total("/proc/pressure/memory", "full");
	struct result res = { 0 };
	struct lab_child c;
	struct lab_row row;
	int pfd[2];

	ws_pages = ws_mib * 256;
	run_secs = secs;
	if (pipe(pfd))
		lab_die("pipe: %s", strerror(errno));
	report_fd = pfd[1];
	c = lab_fork(worker, NULL);
	close(pfd[1]);
	if (read(pfd[0], &res, sizeof(res)) != sizeof(res))
		res.secs = 0;
	close(pfd[0]);
	lab_wait(&c);
	if (!WIFEXITED(c.status) || WEXITSTATUS(c.status))
		lab_die("the worker failed: %s (OOM-killed? see dmesg)", lab_status_str(c.status));
	*psi_some = some0 < 0 ? -1 : psi_total("/proc/pressure/memory", "some") - some0;
	*psi_full = full0 < 0 ? -1 : psi_total("/proc/pressure/memory", "full") - full0;
	row = lab_row(c.pid, c.start);
	lab_say("  worker pid %d, whole life: major %llu, minor %llu", (int)c.pid,
		row.v[C_MAJOR], row.v[C_MINOR]);
	lab_say("  after the first sweep: %.0f pages swept per second, %.0f major faults per second",
		res.pages / res.secs, res.major / res.secs);
	if (*psi_some >= 0)
		lab_say("  /proc/pressure/memory: tasks stalled on memory for %.3f s (some), %.3f s (full)",
			*psi_some / 1e6, *psi_full / 1e6);
	return res;
}

static bool swap_active(void)
{
	char buf[4096], *nl;

	if (lab_read_str("/proc/swaps", buf, sizeof(buf)))
		return false;
	nl = strchr(buf, '\n');
	return nl && nl[1];
}

int main(int argc, char **argv)
{
	struct result a, b;
	long long sa, fa, sb, fb;
	double secs = 4;
	int i;

	i = lab_args(argc, argv, "lab-5", " [SECONDS]  |  lab-5 thrash SECONDS");
	verbose_seconds = true;
	if (i < argc && !strcmp(argv[i], "thrash")) {
		secs = i + 1 < argc ? atof(argv[i + 1]) : 60;
		if (!swap_active())
			lab_skip("no swap device is active (/proc/swaps)");
		setup_cgroup(LIMIT_MIB);
		lab_say("lab-5 thrash: working set %d MiB in a %d MiB cgroup for %.0f s; pid %d",
			LIMIT_MIB * 3 / 2, LIMIT_MIB, secs, (int)getpid());
		phase(LIMIT_MIB * 3 / 2, secs, &sb, &fb);
		return 0;
	}
	if (i < argc)
		secs = atof(argv[i]);
	if (secs < 1)
		secs = 1;
	if (!swap_active())
		lab_skip("no swap device is active (/proc/swaps): without swap, anonymous memory over the limit is OOM-killed instead of swapped");
	if (access("/proc/pressure/memory", R_OK))
		lab_say("  (no /proc/pressure/memory: this kernel has PSI off; boot with psi=1 to see it)");
	lab_say("lab-5: thrashing, a %d MiB memory cgroup, %.0f s per phase; pid %d",
		LIMIT_MIB, secs, (int)getpid());
	lab_settle();
	setup_cgroup(LIMIT_MIB);

	lab_step("A. working set %d MiB, half the limit: sweep it for %.0f s", LIMIT_MIB / 2, secs);
	a = phase(LIMIT_MIB / 2, secs, &sa, &fa);
	lab_expect(a.major == 0, "no major fault once the working set is in memory: %llu", a.major);

	lab_step("B. working set %d MiB, 1.5 times the limit: sweep it for %.0f s",
		 LIMIT_MIB * 3 / 2, secs);
	b = phase(LIMIT_MIB * 3 / 2, secs, &sb, &fb);
	lab_expect(b.major >= b.pages / 2,
		   "thrashing: at least one major fault per two pages swept (each sweep evicts what the next needs): %llu majors for %llu pages",
		   b.major, b.pages);
	lab_expect(b.pages / b.secs * 10 < a.pages / a.secs,
		   "progress collapsed: pages swept per second fell more than tenfold (%.0f -> %.0f)",
		   a.pages / a.secs, b.pages / b.secs);
	if (sa >= 0)
		lab_expect(sb > sa, "memory pressure (PSI some) rose: %.3f s stalled vs %.3f s",
			   sb / 1e6, sa / 1e6);
	rmdir(CG);
	return lab_finish();
}
