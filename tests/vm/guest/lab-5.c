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
 *   C  a file working set of FILE_MIB, read through a mapping one byte a
 *      page, in the same cgroup while memory.max shrinks step by step: with
 *      enough memory its majors are first-time reads (refault_file 0);
 *      below the working set nearly every major is a refault of a page the
 *      cgroup evicted, and PSI rises.  Which refaults the kernel also
 *      activates (refault_active) is its own rule, different on each LRU
 *      (docs/labs/lab-5-thrashing.md): every figure is compared with the
 *      kernel's workingset counters, /proc/vmstat and the cgroup's
 *      memory.stat, over the same sweeps.
 *   P  the picture: "pfstat run --plot" of a sweep of PLOT_MIB in a
 *      PLOT_LIMIT_MIB cgroup, PLOT_PASSES times ("lab-5 --sweep MIB N"): the
 *      fault map shows a staircase, majors in every pass after the first.
 * Every worker is created after delay accounting was turned on, so its
 * thrash_ns has a value.
 *
 * lab-5 thrash SECONDS runs phase B alone for SECONDS, to watch with
 * "pfstat -i 1" or "cat /proc/pressure/memory" from another shell.
 */
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include "lab-plot.h"

#define CG_ROOT "/sys/fs/cgroup"
#define CG "/sys/fs/cgroup/pfs-lab5"
#define LIMIT_MIB 24
#define DEFAULT_FILE "/mnt/disk/data64m"
#define FILE_MIB 32			/* step C's working set */
#define FILE_SWEEPS 3			/* sweeps per memory.max in step C */
#define PLOT_LIMIT_MIB 8		/* step P: a small cgroup, few events */
#define PLOT_MIB 12			/* its working set, 1.5 times the limit */
#define PLOT_PASSES 4

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
	struct lab_ws w0 = lab_ws_read("/proc/vmstat"), w1, wd;
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
	w1 = lab_ws_read("/proc/vmstat");
	wd = lab_ws_delta(&w1, &w0);
	row = lab_row(c.pid, c.start);
	lab_say("  worker pid %d, whole life: major %llu, minor %llu", (int)c.pid,
		row.v[C_MAJOR], row.v[C_MINOR]);
	if (lab_has_refault(&row)) {
		lab_say("  its refaults: refault_anon %llu (%.2f per major), refault_active %llu, refault_restore %llu, thrash_ns %s",
			row.v[C_REFAULT_ANON],
			row.v[C_MAJOR] ? (double)row.v[C_REFAULT_ANON] / row.v[C_MAJOR] : 0,
			row.v[C_REFAULT_ACTIVE], row.v[C_REFAULT_RESTORE], lab_thrash_str(&row));
		if (wd.ok && wd.exact)
			lab_expect(row.v[C_REFAULT_ANON] == (unsigned long long)wd.refault_anon &&
				   row.v[C_REFAULT_ACTIVE] == (unsigned long long)wd.active &&
				   row.v[C_REFAULT_RESTORE] == (unsigned long long)wd.restore,
				   "the worker's refault_anon, _active, _restore = the kernel's (/proc/vmstat workingset_*, the worker's life): %lld, %lld, %lld",
				   wd.refault_anon, wd.active, wd.restore);
	}
	lab_say("  after the first sweep: %.0f pages swept per second, %.0f major faults per second",
		res.pages / res.secs, res.major / res.secs);
	if (*psi_some >= 0)
		lab_say("  /proc/pressure/memory: tasks stalled on memory for %.3f s (some), %.3f s (full)",
			*psi_some / 1e6, *psi_full / 1e6);
	return res;
}

/* ---- step C: a file working set while memory.max shrinks ------------------ */

static const unsigned long file_limits_mib[] = { 64, 28, 20, 12 };
#define NLIMITS (sizeof(file_limits_mib) / sizeof(file_limits_mib[0]))

/* What one step of C measured: the worker's row and the kernel's counters. */
struct fstep {
	unsigned long limit_mib;
	double secs;
	unsigned long long pages;
	struct lab_row d;		/* the worker's row, after - before */
	struct lab_ws vm, cg;		/* /proc/vmstat, the cgroup's memory.stat */
	long long psi_us;		/* the cgroup's memory.pressure some total */
};

struct fsnap {
	struct lab_row row;
	struct lab_ws vm, cg;
	long long psi_us;
};

static int cmd_fd[2], res_fd[2];
static int file_fd;

/*
 * The worker of C: join the cgroup, map FILE_MIB of the file, and on each
 * command sweep it FILE_SWEEPS times, reading one byte a page.
 */
static int file_worker(void *arg)
{
	unsigned long pages = FILE_MIB * 256, i;
	struct result res;
	volatile unsigned long sum = 0;
	double t0;
	char *p;
	int k, cmd;

	(void)arg;
	close(cmd_fd[1]);
	close(res_fd[0]);
	lab_settle();
	if (lab_write_str(CG "/cgroup.procs", "0"))
		lab_die("cannot join %s: %s", CG, strerror(errno));
	p = mmap(NULL, pages * LAB_PAGE, PROT_READ, MAP_SHARED, file_fd, 0);
	if (p == MAP_FAILED)
		lab_die("mmap of the file: %s", strerror(errno));
	while (read(cmd_fd[0], &cmd, sizeof(cmd)) == sizeof(cmd) && cmd > 0) {
		memset(&res, 0, sizeof(res));
		t0 = lab_now();
		for (k = 0; k < cmd; k++)
			for (i = 0; i < pages; i++)
				sum += ((const volatile char *)p)[i * LAB_PAGE];
		res.secs = lab_now() - t0;
		res.pages = (unsigned long long)cmd * pages;
		if (write(res_fd[1], &res, sizeof(res)) != sizeof(res))
			return 1;
	}
	return 0;
}

/*
 * A snapshot of the worker's row and of the kernel's counters.  The wait
 * first lets the kernel flush memory.stat (it does every 2 s) after the
 * last sweep or the last memory.max write.
 */
static struct fsnap fsnap(const struct lab_child *c)
{
	struct fsnap s;

	usleep(2500 * 1000);
	s.row = lab_row(c->pid, c->start);
	s.vm = lab_ws_read("/proc/vmstat");
	s.cg = lab_ws_read(CG "/memory.stat");
	s.psi_us = psi_total(CG "/memory.pressure", "some");
	return s;
}

/*
 * Open the file with read-ahead off (the disk's read_ahead_kb is 0 while
 * open() copies it into the file's read-ahead state, then put back), so
 * that each major fault reads one page and majors and refaults count the
 * same thing.  -1 if read-ahead cannot be turned off.
 */
static int open_no_readahead(const char *path)
{
	char ra_path[128], old[32];
	struct stat st;
	int fd;

	if (stat(path, &st))
		return -1;
	snprintf(ra_path, sizeof(ra_path), "/sys/dev/block/%u:%u/queue/read_ahead_kb",
		 major(st.st_dev), minor(st.st_dev));
	if (access(ra_path, W_OK))
		snprintf(ra_path, sizeof(ra_path), "/sys/dev/block/%u:%u/../queue/read_ahead_kb",
			 major(st.st_dev), minor(st.st_dev));
	if (lab_read_str(ra_path, old, sizeof(old)) || lab_write_str(ra_path, "0"))
		return -1;
	fd = open(path, O_RDONLY);
	lab_write_str(ra_path, old);
	return fd;
}

static double share(unsigned long long part, unsigned long long whole)
{
	return whole ? (double)part / whole : 0;
}

/* One line of C's table, and the row against the kernel's counters. */
static void fstep_report(const struct fstep *f, long margin)
{
	const struct lab_row *d = &f->d;
	unsigned long long major = d->v[C_MAJOR];

	lab_say("  memory.max %2luM: %6.0f pages/s  major %5llu  refault_file %5llu (%.2f of majors)  refault_active %5llu (%.2f)  refault_restore %5llu  thrash_ns %s  PSI some %.3f s",
		f->limit_mib, f->pages / f->secs, major, d->v[C_REFAULT_FILE],
		share(d->v[C_REFAULT_FILE], major), d->v[C_REFAULT_ACTIVE],
		share(d->v[C_REFAULT_ACTIVE], major), d->v[C_REFAULT_RESTORE],
		lab_thrash_str(d), f->psi_us / 1e6);
	lab_say("    kernel: /proc/vmstat refault_file %lld active %lld restore %lld; %s/memory.stat refault_file %lld active %lld restore %lld",
		f->vm.refault_file, f->vm.active, f->vm.restore, CG, f->cg.refault_file,
		f->cg.active, f->cg.restore);
	if (!lab_has_refault(d)) {
		lab_say("    (this module has no refault columns: nothing to compare)");
		return;
	}
	if (f->vm.ok && f->vm.exact)
		lab_expect(d->v[C_REFAULT_FILE] == (unsigned long long)f->vm.refault_file &&
			   d->v[C_REFAULT_ACTIVE] == (unsigned long long)f->vm.active &&
			   d->v[C_REFAULT_RESTORE] == (unsigned long long)f->vm.restore,
			   "memory.max %luM: refault_file, _active, _restore = /proc/vmstat workingset_refault_file, _activate_*, _restore_*",
			   f->limit_mib);
	if (f->cg.ok)
		lab_expect(llabs((long long)d->v[C_REFAULT_FILE] - f->cg.refault_file) <= margin &&
			   llabs((long long)d->v[C_REFAULT_ACTIVE] - f->cg.active) <= margin &&
			   llabs((long long)d->v[C_REFAULT_RESTORE] - f->cg.restore) <= margin,
			   "memory.max %luM: the same = the cgroup's memory.stat (the worker is alone in it; %s)",
			   f->limit_mib,
			   d->v[C_REFAULT_FILE] == (unsigned long long)f->cg.refault_file &&
			   d->v[C_REFAULT_ACTIVE] == (unsigned long long)f->cg.active &&
			   d->v[C_REFAULT_RESTORE] == (unsigned long long)f->cg.restore ?
			   "equal" : "within what the kernel may not have flushed yet");
	if (!d->none[C_THRASH_NS])
		lab_expect(d->v[C_REFAULT_RESTORE] > 0 || d->v[C_THRASH_NS] == 0,
			   "memory.max %luM: thrash time only where pages were restored: thrash_ns %llu, refault_restore %llu",
			   f->limit_mib, d->v[C_THRASH_NS], d->v[C_REFAULT_RESTORE]);
}

/* Step C; false if it cannot run here (then it says why). */
static bool file_steps(const char *path, struct fstep *f)
{
	struct fsnap s0, s1;
	struct lab_child c;
	struct result res;
	struct stat st;
	unsigned int k;
	char buf[32];
	int cmd;

	if (stat(path, &st) || st.st_size < (off_t)FILE_MIB << 20) {
		lab_say("  (no file of %d MiB at %s: step C needs one on a real disk, lab-5 SECONDS FILE)",
			FILE_MIB, path);
		return false;
	}
	if (lab_write_str("/proc/sys/vm/drop_caches", "1")) {
		lab_say("  (cannot drop the page cache: %s; step C skipped)", strerror(errno));
		return false;
	}
	file_fd = open_no_readahead(path);
	if (file_fd < 0) {
		lab_say("  (cannot turn read-ahead off for %s's disk; step C skipped)", path);
		return false;
	}
	lab_say("  %s, the first %d MiB (%d pages), read-ahead off, page cache dropped (no shadow entries left)",
		path, FILE_MIB, FILE_MIB * 256);
	if (pipe(cmd_fd) || pipe(res_fd))
		lab_die("pipe: %s", strerror(errno));
	c = lab_fork(file_worker, NULL);
	close(cmd_fd[0]);
	close(res_fd[1]);
	for (k = 0; k < NLIMITS; k++) {
		f[k].limit_mib = file_limits_mib[k];
		snprintf(buf, sizeof(buf), "%luM", f[k].limit_mib);
		if (lab_write_str(CG "/memory.max", buf))
			lab_die("cannot set %s/memory.max to %s: %s", CG, buf, strerror(errno));
		s0 = fsnap(&c);
		cmd = FILE_SWEEPS;
		if (write(cmd_fd[1], &cmd, sizeof(cmd)) != sizeof(cmd) ||
		    read(res_fd[0], &res, sizeof(res)) != sizeof(res))
			break;
		s1 = fsnap(&c);
		f[k].secs = res.secs;
		f[k].pages = res.pages;
		f[k].d = lab_delta(&s1.row, &s0.row);
		f[k].vm = lab_ws_delta(&s1.vm, &s0.vm);
		f[k].cg = lab_ws_delta(&s1.cg, &s0.cg);
		f[k].psi_us = s0.psi_us < 0 ? 0 : s1.psi_us - s0.psi_us;
		fstep_report(&f[k], 64 * (2 * sysconf(_SC_NPROCESSORS_ONLN) + 1));
	}
	cmd = 0;
	if (write(cmd_fd[1], &cmd, sizeof(cmd)) != sizeof(cmd))
		lab_say("  (could not tell the worker to stop)");
	close(cmd_fd[1]);
	lab_wait(&c);
	close(res_fd[0]);
	close(file_fd);
	if (k < NLIMITS || !WIFEXITED(c.status) || WEXITSTATUS(c.status))
		lab_die("the file worker failed: %s", lab_status_str(c.status));
	return true;
}

static bool swap_active(void)
{
	char buf[4096], *nl;

	if (lab_read_str("/proc/swaps", buf, sizeof(buf)))
		return false;
	nl = strchr(buf, '\n');
	return nl && nl[1];
}

/* Step P's workload (run by pfstat): join the cgroup, write one byte of
 * each page of mib MiB at LAB_PLOT_AT, passes times in order. */
static int sweep(unsigned long mib, unsigned long passes)
{
	size_t n = mib * 256, i;
	unsigned long k;
	char *p;

	lab_settle();
	if (lab_write_str(CG "/cgroup.procs", "0")) {
		printf("lab-5 --sweep: cannot join %s: %s\n", CG, strerror(errno));
		return 1;
	}
	p = lab_map_fixed(LAB_PLOT_AT, n);
	for (k = 0; k < passes; k++)
		for (i = 0; i < n; i++)
			p[i * LAB_PAGE]++;
	return 0;
}

/* Step P: the fault map of sweep(), its passes checked in its data. */
static void plot_step(void)
{
	unsigned long long total[PLOT_PASSES + 1], major[PLOT_PASSES + 1];
	unsigned long long end = LAB_PLOT_AT + PLOT_MIB * 256 * LAB_PAGE;
	char smib[16], spasses[16], *cmd[] = { (char *)lab_self_exe(), "--sweep", smib,
					       spasses, NULL };
	char *opts[] = { "--buffer-kb", "8192", NULL };
	const char *why = lab_where_missing();
	struct lab_map map;
	char buf[32];
	size_t np, k;
	bool all = true;

	if (why) {
		lab_say("  skipped: %s", why);
		return;
	}
	snprintf(buf, sizeof(buf), "%dM", PLOT_LIMIT_MIB);
	if (lab_write_str(CG "/memory.max", buf))
		lab_die("cannot set %s/memory.max: %s", CG, strerror(errno));
	snprintf(smib, sizeof(smib), "%d", PLOT_MIB);
	snprintf(spasses, sizeof(spasses), "%d", PLOT_PASSES);
	lab_plot(cmd, "lab-5", opts, &map);
	snprintf(buf, sizeof(buf), "%dM", LIMIT_MIB);
	if (lab_write_str(CG "/memory.max", buf))
		lab_die("cannot set %s/memory.max: %s", CG, strerror(errno));
	np = lab_passes(&map, LAB_PLOT_AT, end, total, major, PLOT_PASSES + 1);
	for (k = 0; k < np; k++)
		lab_say("  pass %zu: %llu faults, %llu of them major", k + 1, total[k], major[k]);
	lab_expect(np == PLOT_PASSES, "the picture shows the %d passes over the working set: %zu",
		   PLOT_PASSES, np);
	for (k = 1; k < np; k++)
		all &= major[k] >= PLOT_MIB * 256 / 2;
	lab_expect(np > 1 && all,
		   "majors in every pass after the first, at least one for two pages (%d): each pass evicts what the next needs",
		   PLOT_MIB * 256 / 2);
	lab_plot_expect_rusage(&map);
	free(map.m);
}

static int delayacct_old = -1;
static pid_t main_pid;

static void restore_delayacct(void)
{
	if (getpid() == main_pid)
		lab_delayacct_restore(delayacct_old);
}

int main(int argc, char **argv)
{
	struct fstep f[NLIMITS];
	const char *file = DEFAULT_FILE;
	struct result a, b;
	long long sa, fa, sb, fb;
	double secs = 4;
	int i;

	if (argc == 4 && !strcmp(argv[1], "--sweep"))
		return sweep(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	i = lab_args(argc, argv, "lab-5",
		     " [SECONDS [FILE]]  |  lab-5 thrash SECONDS  |  lab-5 --sweep MIB PASSES (step P's workload)");
	verbose_seconds = true;
	main_pid = getpid();
	delayacct_old = lab_delayacct_on();
	atexit(restore_delayacct);
	if (delayacct_old == 0)
		lab_say("lab-5: kernel.task_delayacct 0 -> 1 for the workers (thrash_ns), restored at the end");
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
	if (i + 1 < argc)
		file = argv[i + 1];
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

	lab_step("P. the picture: pfstat run --plot of %d passes over %d MiB in a %d MiB cgroup",
		 PLOT_PASSES, PLOT_MIB, PLOT_LIMIT_MIB);
	plot_step();

	lab_step("C. a file working set of %d MiB, read one byte a page, %d sweeps at each memory.max: %luM, %luM, %luM, %luM",
		 FILE_MIB, FILE_SWEEPS, file_limits_mib[0], file_limits_mib[1],
		 file_limits_mib[2], file_limits_mib[3]);
	if (file_steps(file, f)) {
		const struct fstep *big = &f[0], *small = &f[NLIMITS - 1];

		lab_expect(big->d.v[C_REFAULT_FILE] == 0 && big->d.v[C_MAJOR] == FILE_MIB * 256,
			   "with enough memory (%luM) the majors are first-time reads: one a page, %d, none a refault: %llu majors, refault_file %llu",
			   big->limit_mib, FILE_MIB * 256, big->d.v[C_MAJOR], big->d.v[C_REFAULT_FILE]);
		lab_expect(small->d.v[C_MAJOR] > 0 &&
			   share(small->d.v[C_REFAULT_FILE], small->d.v[C_MAJOR]) >
			   share(big->d.v[C_REFAULT_FILE], big->d.v[C_MAJOR]),
			   "as memory.max shrinks, the share of majors that are refaults climbs: %.2f at %luM -> %.2f at %luM",
			   share(big->d.v[C_REFAULT_FILE], big->d.v[C_MAJOR]), big->limit_mib,
			   share(small->d.v[C_REFAULT_FILE], small->d.v[C_MAJOR]), small->limit_mib);
		if (!access(CG "/memory.pressure", R_OK))
			lab_expect(small->psi_us > big->psi_us,
				   "memory pressure of the cgroup (memory.pressure some) rose: %.3f s at %luM -> %.3f s at %luM",
				   big->psi_us / 1e6, big->limit_mib, small->psi_us / 1e6,
				   small->limit_mib);
	}
	rmdir(CG);
	return lab_finish();
}
