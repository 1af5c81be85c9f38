// SPDX-License-Identifier: GPL-2.0
/*
 * pfs-bench: the benchmark's guest workloads. Each prints one line per
 * measurement:
 *
 *   BENCH cfg=<config> rep=<n> wl=<workload> ns=<guest ns per op> ops=<n> faults=<n>
 *
 * Times are CLOCK_MONOTONIC; under QEMU -icount shift=0 one guest ns is one
 * guest instruction, so figures repeat from boot to boot. "faults" is the
 * getrusage() minor+major delta over the timed part (for anon it must equal
 * ops: one fault per page).
 *
 *   pfs-bench suite CFG REP ROUNDS SEGVS FORKS FILE
 *	anon, file, segv and fork workloads, in that order
 *   pfs-bench anon CFG REP ROUNDS WL
 *	anon only, reported as workload WL
 *   pfs-bench spawn N
 *	N short-lived children, one after another, each faulting a page
 *   pfs-bench readfile CFG REP PATH TIMES
 *	time reading PATH whole (median of TIMES reads); rows = lines - header
 *   pfs-bench smp CFG REP NPROC ROUNDS
 *	NPROC processes run the anon workload at the same time
 *   pfs-bench refault CFG REP ROUNDS FILE PAGES
 *	refaults: the first PAGES pages of FILE evicted from a memory cgroup
 *	of the program's own and brought back, ROUNDS times by mmap (refault)
 *	and ROUNDS times by pread (refault-read); ns per refaulted page
 *
 * With PFS_BENCH_PID_FILTER=1 in the environment the program first sets
 * pagefault_stats' pid_filter to 15 pids that never exist followed by its
 * own, so the filter's scan runs in full on every fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAP_BYTES	(16UL << 20)
#define PAGE		4096UL
#define PID_FILTER	"/sys/kernel/debug/pagefault_stats/pid_filter"
#define CGROUP_ROOT	"/sys/fs/cgroup"
#define REFAULT_PAGES	(4 * MAP_BYTES / PAGE)	/* the most the refault workload takes */

static const char *cfg = "-";
static int rep;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long faults_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static void die(const char *what)
{
	fprintf(stderr, "pfs-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void report(const char *wl, uint64_t ns, long ops, long faults)
{
	printf("BENCH cfg=%s rep=%d wl=%s ns=%.1f ops=%ld faults=%ld\n",
	       cfg, rep, wl, ops ? (double)ns / ops : 0.0, ops, faults);
	fflush(stdout);
}

/* Anonymous minor faults: write one byte to each page of a fresh mapping. */
static void anon(int rounds, const char *wl)
{
	uint64_t ns = 0;
	long faults = 0, ops = 0;
	int r;

	for (r = 0; r < rounds; r++) {
		char *p = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		long f0;
		uint64_t t0;
		unsigned long off;

		if (p == MAP_FAILED)
			die("mmap anon");
		f0 = faults_now();
		t0 = now_ns();
		for (off = 0; off < MAP_BYTES; off += PAGE)
			((volatile char *)p)[off] = 1;
		ns += now_ns() - t0;
		faults += faults_now() - f0;
		ops += MAP_BYTES / PAGE;
		munmap(p, MAP_BYTES);
	}
	/* per fault, not per page: they are equal unless THP or a bug interferes */
	report(wl, ns, faults ? faults : ops, faults);
}

/*
 * File-backed minor faults: read one byte per page of a shared mapping of a
 * file whose pages are in the page cache (the kernel's fault-around maps up
 * to 16 pages per fault, so there are fewer faults than pages; ns is per
 * fault).
 */
static void file(int rounds, const char *path)
{
	uint64_t ns = 0;
	long faults = 0;
	unsigned long sum = 0;
	char *buf;
	int fd, r;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	buf = malloc(MAP_BYTES);
	if (!buf || pread(fd, buf, MAP_BYTES, 0) != (ssize_t)MAP_BYTES)
		die("warming the page cache");
	free(buf);
	for (r = 0; r < rounds; r++) {
		char *p = mmap(NULL, MAP_BYTES, PROT_READ, MAP_SHARED, fd, 0);
		long f0;
		uint64_t t0;
		unsigned long off;

		if (p == MAP_FAILED)
			die("mmap file");
		f0 = faults_now();
		t0 = now_ns();
		for (off = 0; off < MAP_BYTES; off += PAGE)
			sum += ((volatile char *)p)[off];
		ns += now_ns() - t0;
		faults += faults_now() - f0;
		munmap(p, MAP_BYTES);
	}
	close(fd);
	if (sum == 0)
		fprintf(stderr, "pfs-bench: %s reads as zeros\n", path);
	report("file", ns, faults, faults);
}

/* Invalid faults: SIGSEGV on an unmapped address, resumed with siglongjmp. */
static sigjmp_buf segv_env;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(segv_env, 1);
}

static void segv(long n)
{
	struct sigaction sa = { .sa_handler = on_segv, .sa_flags = SA_NODEFER };
	volatile char *hole;
	long i, f0;
	uint64_t t0, ns;

	/* a page that was mapped and is not any more: SEGV_MAPERR */
	hole = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED)
		die("mmap");
	munmap((void *)hole, PAGE);
	if (sigaction(SIGSEGV, &sa, NULL))
		die("sigaction");
	f0 = faults_now();
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		/* savemask 0 and SA_NODEFER: no sigprocmask calls per round */
		if (!sigsetjmp(segv_env, 0))
			*hole = 1;
	}
	ns = now_ns() - t0;
	signal(SIGSEGV, SIG_DFL);
	report("segv", ns, n, faults_now() - f0);
}

static char fork_page[PAGE] __attribute__((aligned(4096)));

/* One short-lived child: fork, fault a page, exit; the parent reaps it. */
static void one_child(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		fork_page[0]++;
		_exit(0);
	}
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid");
}

static void forks(long n)
{
	uint64_t t0 = now_ns();
	long i;

	for (i = 0; i < n; i++)
		one_child();
	report("fork", now_ns() - t0, n, 0);
}

/*
 * Refaults (issue 11): pages of a file the kernel evicted, leaving a shadow
 * entry in the page cache, brought back. The program makes a memory cgroup
 * of its own (so what it evicts is its own pages, nothing of the rest of the
 * system), reads the file range in once, then each round evicts the range
 * with memory.reclaim (5.19+; before, a memory.high lowered for the time of
 * the write) and times bringing it back. The refaults are what the kernel
 * counted, workingset_refault_file in /proc/vmstat (folded by stat_refresh),
 * not the pages touched: ns is per refaulted page, and the line also says
 * how many pages were touched and how many of them were evicted.
 *
 * The cgroup also holds as many anonymous pages as the range, which it
 * cannot reclaim (no swap): the kernel's shadow-entry shrinker frees a
 * cgroup's shadow entries beyond one xarray node per 8 of its pages
 * (count_shadow_nodes()), so with the range evicted and nothing else in
 * the cgroup the reclaim that evicts it would also drop the shadows, and
 * the pages would come back as plain misses, not refaults.
 */
struct refault_count {
	long refault, activate, restore;
};

/* write_file PATH TEXT: 0, or -errno */
static int write_file(const char *path, const char *text)
{
	ssize_t len = strlen(text), n;
	int fd = open(path, O_WRONLY), err;

	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	err = n == len ? 0 : n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

static void must_write(const char *path, const char *text)
{
	int err = write_file(path, text);

	if (err) {
		errno = -err;
		die(path);
	}
}

static void vmstat_refaults(struct refault_count *c)
{
	char name[64];
	long v;
	FILE *f;

	must_write("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/vmstat", "r");
	if (!f)
		die("/proc/vmstat");
	memset(c, 0, sizeof(*c));
	c->refault = -1;
	while (fscanf(f, "%63s %ld", name, &v) == 2) {
		if (!strcmp(name, "workingset_refault_file"))
			c->refault = v;
		else if (!strcmp(name, "workingset_activate_file"))
			c->activate = v;
		else if (!strcmp(name, "workingset_restore_file"))
			c->restore = v;
	}
	fclose(f);
	if (c->refault < 0) {
		errno = ENOENT;
		die("workingset_refault_file in /proc/vmstat");
	}
}

static char refault_cg[128];
static int refault_has_reclaim, refault_has_swap_max;

/* A memory cgroup of our own, with no swap: only the file's pages go. */
static void refault_cgroup_enter(void)
{
	char path[192];
	int err;

	snprintf(refault_cg, sizeof(refault_cg), CGROUP_ROOT "/pfs-bench-%d", (int)getpid());
	if (mkdir(refault_cg, 0755))
		die(refault_cg);
	/* absent without swap accounting: the ballast is locked instead */
	snprintf(path, sizeof(path), "%s/memory.swap.max", refault_cg);
	err = write_file(path, "0");
	if (err && err != -ENOENT) {
		errno = -err;
		die(path);
	}
	refault_has_swap_max = !err;
	snprintf(path, sizeof(path), "%s/memory.reclaim", refault_cg);
	refault_has_reclaim = !access(path, W_OK);
	snprintf(path, sizeof(path), "%s/cgroup.procs", refault_cg);
	must_write(path, "0");
}

static void refault_cgroup_leave(void)
{
	must_write(CGROUP_ROOT "/cgroup.procs", "0");
	if (rmdir(refault_cg))
		die(refault_cg);
}

static long cgroup_read_long(const char *file)
{
	char path[192];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", refault_cg, file);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%ld", &v) != 1)
		die(path);
	fclose(f);
	return v;
}

/* Reclaim about BYTES from our cgroup. */
static void refault_reclaim(unsigned long bytes)
{
	char path[192], text[32];
	int err;

	if (refault_has_reclaim) {
		snprintf(path, sizeof(path), "%s/memory.reclaim", refault_cg);
		snprintf(text, sizeof(text), "%lu", bytes);
		/* EAGAIN: less than asked for; the caller looks at what is left */
		err = write_file(path, text);
		if (err && err != -EAGAIN) {
			errno = -err;
			die(path);
		}
		return;
	}
	/* before 5.19: memory.high's write reclaims down to the new value */
	snprintf(path, sizeof(path), "%s/memory.high", refault_cg);
	snprintf(text, sizeof(text), "%ld", cgroup_read_long("memory.current") - (long)bytes);
	if (text[0] == '-')
		strcpy(text, "0");
	must_write(path, text);
	must_write(path, "max");
}

/* Pages of FD's first LEN bytes in the page cache. */
static long resident(int fd, size_t len)
{
	static unsigned char vec[REFAULT_PAGES];
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	long n = 0;
	size_t i;

	if (p == MAP_FAILED)
		die("mmap refault file");
	if (len / PAGE > sizeof(vec) || mincore(p, len, vec))
		die("mincore");
	for (i = 0; i < len / PAGE; i++)
		n += vec[i] & 1;
	munmap(p, len);
	return n;
}

/* Evict the range; returns the pages evicted. */
static long refault_evict(int fd, size_t len)
{
	long in = resident(fd, len), left = in;
	int tries;

	for (tries = 0; left > 0 && tries < 16; tries++) {
		refault_reclaim(left * PAGE);
		left = resident(fd, len);
	}
	return in - left;
}

struct refault_run {
	uint64_t ns;
	long faults, pages, evicted;
	struct refault_count d;
};

static void refault_account(struct refault_run *run, uint64_t ns, long faults,
			    const struct refault_count *a, const struct refault_count *b)
{
	run->ns += ns;
	run->faults += faults;
	run->d.refault += b->refault - a->refault;
	run->d.activate += b->activate - a->activate;
	run->d.restore += b->restore - a->restore;
}

/* Bring the range back by mapping it and reading one byte a page. */
static unsigned long refault_mmap(int fd, size_t len, struct refault_run *run)
{
	struct refault_count a, b;
	unsigned long sum = 0, off;
	long f0;
	uint64_t t0, ns;
	char *p;

	run->evicted += refault_evict(fd, len);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap refault file");
	vmstat_refaults(&a);
	f0 = faults_now();
	t0 = now_ns();
	for (off = 0; off < len; off += PAGE)
		sum += ((volatile char *)p)[off];
	ns = now_ns() - t0;
	f0 = faults_now() - f0;
	vmstat_refaults(&b);
	munmap(p, len);
	run->pages += len / PAGE;
	refault_account(run, ns, f0, &a, &b);
	return sum;
}

/* Bring the range back by pread() of one byte a page. */
static unsigned long refault_pread(int fd, size_t len, struct refault_run *run)
{
	struct refault_count a, b;
	unsigned long sum = 0, off;
	long f0;
	uint64_t t0, ns;
	char c;

	run->evicted += refault_evict(fd, len);
	vmstat_refaults(&a);
	f0 = faults_now();
	t0 = now_ns();
	for (off = 0; off < len; off += PAGE) {
		if (pread(fd, &c, 1, off) != 1)
			die("pread refault file");
		sum += c;
	}
	ns = now_ns() - t0;
	f0 = faults_now() - f0;
	vmstat_refaults(&b);
	run->pages += len / PAGE;
	refault_account(run, ns, f0, &a, &b);
	return sum;
}

static void refault_report(const char *wl, const struct refault_run *run)
{
	printf("BENCH cfg=%s rep=%d wl=%s ns=%.1f ops=%ld faults=%ld pages=%ld evicted=%ld activate=%ld restore=%ld evict=%s\n",
	       cfg, rep, wl, run->d.refault ? (double)run->ns / run->d.refault : 0.0,
	       run->d.refault, run->faults, run->pages, run->evicted,
	       run->d.activate, run->d.restore,
	       refault_has_reclaim ? "memory.reclaim" : "memory.high");
	fflush(stdout);
}

static void refault(int rounds, const char *path, long pages)
{
	struct refault_run by_mmap = { 0 }, by_read = { 0 };
	size_t len = pages * PAGE;
	unsigned long sum = 0, off;
	char c, *ballast;
	int fd, r;

	if (pages < 1 || pages > (long)REFAULT_PAGES) {
		fprintf(stderr, "pfs-bench: refault PAGES: 1 to %lu\n", REFAULT_PAGES);
		exit(2);
	}
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	refault_cgroup_enter();
	ballast = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (refault_has_swap_max ? 0 : MAP_LOCKED), -1, 0);
	if (ballast == MAP_FAILED)
		die("mmap ballast");
	for (off = 0; off < len; off += PAGE)
		ballast[off] = 1;
	/* no page and no shadow entry left by an earlier run: the first read is no refault */
	if (posix_fadvise(fd, 0, len, POSIX_FADV_DONTNEED))
		die("posix_fadvise");
	for (off = 0; off < len; off += PAGE)
		if (pread(fd, &c, 1, off) != 1)
			die("pread refault file");
	for (r = 0; r < rounds; r++) {
		sum += refault_mmap(fd, len, &by_mmap);
		sum += refault_pread(fd, len, &by_read);
	}
	posix_fadvise(fd, 0, len, POSIX_FADV_DONTNEED);
	close(fd);
	munmap(ballast, len);
	refault_cgroup_leave();
	if (sum == 0)
		fprintf(stderr, "pfs-bench: %s reads as zeros\n", path);
	refault_report("refault", &by_mmap);
	refault_report("refault-read", &by_read);
}

static void set_pid_filter(void)
{
	char buf[256];
	int fd, len = 0, i;

	for (i = 0; i < 15; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%d,", 4194289 + i);
	len += snprintf(buf + len, sizeof(buf) - len, "%d\n", getpid());
	fd = open(PID_FILTER, O_WRONLY);
	if (fd < 0 || write(fd, buf, len) != len)
		die(PID_FILTER);
	close(fd);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Read a whole file TIMES times; report the median time and the rows. */
static void readfile(const char *path, int times)
{
	static char buf[1 << 16];
	uint64_t *t = calloc(times, sizeof(*t));
	long lines = 0;
	int i;

	if (!t)
		die("calloc");
	for (i = 0; i < times; i++) {
		uint64_t t0 = now_ns();
		int fd = open(path, O_RDONLY);
		ssize_t n;

		if (fd < 0)
			die(path);
		lines = 0;
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			char *c = buf;

			while ((c = memchr(c, '\n', buf + n - c))) {
				lines++;
				c++;
			}
		}
		if (n < 0)
			die("read");
		close(fd);
		t[i] = now_ns() - t0;
	}
	qsort(t, times, sizeof(*t), cmp_u64);
	/* ops = lines of the file: the global block and header are ~15 of them */
	printf("BENCH cfg=%s rep=%d wl=readproc ns=%llu ops=%ld faults=0 min=%llu max=%llu\n",
	       cfg, rep, (unsigned long long)t[times / 2], lines,
	       (unsigned long long)t[0], (unsigned long long)t[times - 1]);
	free(t);
}

/* NPROC anon workers at once; each reports its own ns per fault. */
static void smp(int nproc, int rounds)
{
	char wl[32];
	int i, st, bad = 0;

	snprintf(wl, sizeof(wl), "smp%d", nproc);
	for (i = 0; i < nproc; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			anon(rounds, wl);
			_exit(0);
		}
	}
	while (wait(&st) > 0)
		bad |= !WIFEXITED(st) || WEXITSTATUS(st);
	if (bad)
		exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: pfs-bench suite CFG REP ROUNDS SEGVS FORKS FILE\n"
		"       pfs-bench anon CFG REP ROUNDS WL\n"
		"       pfs-bench spawn N\n"
		"       pfs-bench readfile CFG REP PATH TIMES\n"
		"       pfs-bench smp CFG REP NPROC ROUNDS\n"
		"       pfs-bench refault CFG REP ROUNDS FILE PAGES\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *pf = getenv("PFS_BENCH_PID_FILTER");

	if (argc < 2)
		usage();
	if (pf && !strcmp(pf, "1"))
		set_pid_filter();
	if (argc >= 4) {
		cfg = argv[2];
		rep = atoi(argv[3]);
	}
	if (!strcmp(argv[1], "suite") && argc == 8) {
		int rounds = atoi(argv[4]);

		anon(rounds, "anon");
		file(rounds * 4, argv[7]);
		segv(atol(argv[5]));
		forks(atol(argv[6]));
	} else if (!strcmp(argv[1], "anon") && argc == 6) {
		anon(atoi(argv[4]), argv[5]);
	} else if (!strcmp(argv[1], "spawn") && argc == 3) {
		long i, n = atol(argv[2]);

		for (i = 0; i < n; i++)
			one_child();
	} else if (!strcmp(argv[1], "readfile") && argc == 6) {
		readfile(argv[4], atoi(argv[5]));
	} else if (!strcmp(argv[1], "smp") && argc == 6) {
		smp(atoi(argv[4]), atoi(argv[5]));
	} else if (!strcmp(argv[1], "refault") && argc == 7) {
		refault(atoi(argv[4]), argv[5], atol(argv[6]));
	} else {
		usage();
	}
	return 0;
}
