// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 3: the page cache (docs/labs/lab-3-page-cache.md).
 *
 * Read one byte of every page of a file on a real disk through a fresh
 * mmap() mapping, several times:
 *   1  cold cache, default advice: major faults (the data comes from the
 *      disk), far fewer than pages because readahead fetches a window of
 *      pages per I/O and fault-around maps the cached neighbours
 *   2  again, new mapping: the pages are in the page cache: minor faults
 *      only (about pages / 16: fault-around), no major
 *   3  cache dropped (POSIX_FADV_DONTNEED), MADV_RANDOM (no readahead):
 *      one major fault per page, each after a retry
 *   4  cache dropped (drop_caches), MADV_SEQUENTIAL: few majors again
 *   5  which pages came from the disk: "pfstat run --where" of this program
 *      reading a known range of the file ("lab-3 --read-range FIRST N"):
 *      the file by name, that page range, one major per page
 *   6  the picture: "pfstat run --plot" of a cold sequential read of the
 *      first N pages ("lab-3 --read-seq N"): readahead's windows, a major
 *      at the start of each, the rest of the window minor or not faulting
 * mincore() shows how much of the file is in the page cache in between.
 */
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include "lab-plot.h"

#define DEFAULT_FILE "/mnt/disk/data64m"
#define TMPFS_MAGIC_ 0x01021994
#define RAMFS_MAGIC_ 0x858458f6

static const int cols[] = { C_MINOR, C_MAJOR, C_RETRY, C_FILE_MINOR, C_FILE_MAJOR, -1 };

static const char *path = DEFAULT_FILE;
static size_t pages;
static int fd;
static unsigned char vec[1 << 20];	/* mincore(), one byte per page */

/* Pages of the file now in the page cache (mincore() on a mapping). */
static size_t cached_pages(void)
{
	size_t i, n = 0;
	char *p = mmap(NULL, pages * LAB_PAGE, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		lab_die("mmap %s: %s", path, strerror(errno));
	if (mincore(p, pages * LAB_PAGE, vec))
		lab_die("mincore: %s", strerror(errno));
	munmap(p, pages * LAB_PAGE);
	for (i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

/* Read-ahead window of the file's block device, in pages (0: unknown). */
static unsigned long ra_window(void)
{
	char f[128], v[32];
	struct stat st;

	if (fstat(fd, &st))
		return 0;
	snprintf(f, sizeof(f), "/sys/dev/block/%u:%u/queue/read_ahead_kb",
		 major(st.st_dev), minor(st.st_dev));
	if (lab_read_str(f, v, sizeof(v))) {
		snprintf(f, sizeof(f), "/sys/dev/block/%u:%u/../queue/read_ahead_kb",
			 major(st.st_dev), minor(st.st_dev));
		if (lab_read_str(f, v, sizeof(v)))
			return 0;
	}
	return strtoul(v, NULL, 10) / 4;
}

/* One pass: fresh mapping, advice, one byte of every page read. */
static struct lab_row pass(const char *label, int advice, double *secs)
{
	struct lab_row before, after, d;
	double t0;
	char *p;

	p = mmap(NULL, pages * LAB_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		lab_die("mmap %s: %s", path, strerror(errno));
	if (madvise(p, pages * LAB_PAGE, advice))
		lab_die("madvise: %s", strerror(errno));
	lab_say("  in the page cache before: %zu of %zu pages", cached_pages(), pages);
	before = lab_row_self();
	t0 = lab_now();
	lab_read_pages(p, pages);
	*secs = lab_now() - t0;
	after = lab_row_self();
	munmap(p, pages * LAB_PAGE);
	d = lab_delta(&after, &before);
	lab_show(label, &d, cols);
	lab_say("  took %.3f s (%.1f us per page); in the page cache after: %zu pages",
		*secs, *secs * 1e6 / pages, cached_pages());
	return d;
}

/*
 * The workload of step 5 (run by pfstat): evict pages [first, first + n)
 * of the file, map just them, MADV_RANDOM (no readahead), read one byte of
 * each. Then keep the mapping a moment, so that pfstat's reading of
 * /proc/PID/maps (every 0.1 s) sees it and can name the file.
 */
static int read_range(unsigned long first, unsigned long n)
{
	size_t len = n * LAB_PAGE, i, cached = 0;
	off_t off = (off_t)(first * LAB_PAGE);
	char *p;
	int err;

	err = posix_fadvise(fd, off, (off_t)len, POSIX_FADV_DONTNEED);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);
	if (err || p == MAP_FAILED || n > sizeof(vec) || mincore(p, len, vec) ||
	    madvise(p, len, MADV_RANDOM)) {
		printf("lab-3 --read-range: cannot evict, map or advise %s: %s\n", path,
		       strerror(err ? err : errno));
		return 1;
	}
	for (i = 0; i < n; i++)
		cached += vec[i] & 1;
	printf("lab-3: reading pages %lu..%lu of %s with MADV_RANDOM; %zu of them in the page cache before\n",
	       first, first + n - 1, path, cached);
	fflush(stdout);
	lab_read_pages(p, n);
	usleep(500000);
	munmap(p, len);
	return 0;
}

/*
 * The workload of step 6: evict the file's first n pages, map them with
 * the default advice and read one byte of each, in order; then keep the
 * mapping a moment for pfstat's maps reading (see read_range()).
 */
static int read_seq(unsigned long n)
{
	size_t len = n * LAB_PAGE;
	char *p;
	int err;

	err = posix_fadvise(fd, 0, (off_t)len, POSIX_FADV_DONTNEED);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (err || p == MAP_FAILED) {
		printf("lab-3 --read-seq: cannot evict or map %s: %s\n", path,
		       strerror(err ? err : errno));
		return 1;
	}
	lab_read_pages(p, n);
	usleep(200000);		/* two of pfstat's maps readings */
	munmap(p, len);
	return 0;
}

/* Step 6: the fault map of read_seq(), checked in its data. */
static void plot_step(unsigned long ra)
{
	/* 512 pages, 16 windows of 32: a window is some pixels high */
	unsigned long n = pages < 512 ? pages : 512;
	char sn[24], *cmd[] = { (char *)lab_self_exe(), "--read-seq", sn, (char *)path, NULL };
	unsigned long long major, minor, retry;
	const char *why = lab_where_missing();
	struct lab_map map;

	if (why) {
		lab_say("  skipped: %s", why);
		return;
	}
	snprintf(sn, sizeof(sn), "%lu", n);
	lab_plot(cmd, "lab-3", NULL, &map);
	major = lab_marks_named(&map, path, "major");
	minor = lab_marks_named(&map, path, "minor");
	retry = lab_marks_named(&map, path, "retry");
	lab_say("  the file's band: %llu major, %llu minor, %llu retry marks for %lu pages read",
		major, minor, retry, n);
	lab_expect(major > 0, "majors in the file's band: its first pages came from the disk: %llu",
		   major);
	lab_expect(major <= n / 8,
		   "far fewer majors than pages (%lu): each major starts a readahead window%s: %llu",
		   n, ra ? "" : " (window unknown)", major);
	lab_expect(major + minor <= n,
		   "at most one fault a page: fault-around maps cached neighbours without a fault: %llu",
		   major + minor);
	lab_plot_expect_rusage(&map);
	free(map.m);
}

static void drop_fadvise(void)
{
	int err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);

	if (err)
		lab_die("posix_fadvise(DONTNEED): %s", strerror(err));
}

static void drop_caches(void)
{
	sync();
	if (lab_write_str("/proc/sys/vm/drop_caches", "1")) {
		lab_say("  (cannot write /proc/sys/vm/drop_caches: %s; using POSIX_FADV_DONTNEED)",
			strerror(errno));
		drop_fadvise();
	}
}

/* Step 5: pfstat run --where of read_range(); checks its report. */
static void where_step(void)
{
	unsigned long first = pages / 4, n = pages / 4 < 256 ? pages / 4 : 256;
	char sfirst[24], sn[24], *cmd[] = { (char *)lab_self_exe(), "--read-range",
					     sfirst, sn, (char *)path, NULL };
	unsigned long long majflt, pre;
	const char *why = lab_where_missing();
	struct jdoc *d;
	int m;

	if (why) {
		lab_say("  skipped: %s", why);
		return;
	}
	snprintf(sfirst, sizeof(sfirst), "%lu", first);
	snprintf(sn, sizeof(sn), "%lu", n);
	d = lab_where(cmd, "/tmp/lab-3-where.json");
	m = lab_where_mapping(d, path);
	if (!lab_expect(m >= 0, "a row for the file, named %s", path)) {
		jfree(d);
		return;
	}
	lab_expect(lab_where_col(d, m, "pgoff_first") == first &&
		   lab_where_col(d, m, "pgoff_last") == first + n - 1,
		   "its page range is the one read, pgoff %lu..%lu: %llu..%llu", first,
		   first + n - 1, lab_where_col(d, m, "pgoff_first"),
		   lab_where_col(d, m, "pgoff_last"));
	lab_expect(lab_where_col(d, m, "pages") == n,
		   "%lu distinct pages faulted (no fault-around without the pages in the cache): %llu",
		   n, lab_where_col(d, m, "pages"));
	lab_expect(lab_where_col(d, m, "major") == n,
		   "one major fault per page (not cached, no readahead): %lu: %llu",
		   n, lab_where_col(d, m, "major"));
	majflt = lab_jnum(d, "run.rusage.majflt");
	pre = lab_jnum(d, "run.before_trace.majflt");
	lab_expect(lab_where_sum(d, "major") + pre == majflt,
		   "the majors of all rows (%llu) + before tracing (%llu) = the kernel's count, rusage majflt %llu",
		   lab_where_sum(d, "major"), pre, majflt);
	lab_expect(lab_jnum(d, "lost") == 0, "no event lost: %llu", lab_jnum(d, "lost"));
	jfree(d);
}

int main(int argc, char **argv)
{
	struct lab_row d1, d2, d3, d4;
	bool vma_lock = lab_kernel_has("lock_vma_under_rcu");
	unsigned long ra;
	struct statfs sfs;
	struct stat st;
	double s1, s2, s3, s4;
	int i;

	if (argc >= 3 && !strcmp(argv[1], "--read-seq")) {
		if (argc > 3)
			path = argv[3];
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			printf("lab-3 --read-seq: cannot open %s: %s\n", path, strerror(errno));
			return 1;
		}
		return read_seq(strtoul(argv[2], NULL, 0));
	}
	if (argc >= 4 && !strcmp(argv[1], "--read-range")) {
		if (argc > 4)
			path = argv[4];
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			printf("lab-3 --read-range: cannot open %s: %s\n", path, strerror(errno));
			return 1;
		}
		return read_range(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	}
	i = lab_args(argc, argv, "lab-3",
		     " [FILE]   (default " DEFAULT_FILE ")\n"
		     "       lab-3 --read-range FIRST N [FILE]   (step 5's workload)\n"
		     "       lab-3 --read-seq N [FILE]   (step 6's workload)");
	if (i < argc)
		path = argv[i];
	fd = open(path, O_RDONLY);
	if (fd < 0)
		lab_skip("cannot open %s (%s): this lab needs a file of some MiB on a disk",
			 path, strerror(errno));
	if (fstat(fd, &st) || st.st_size < (off_t)(64 * LAB_PAGE))
		lab_skip("%s is smaller than 256 KiB", path);
	if (!fstatfs(fd, &sfs) && (sfs.f_type == TMPFS_MAGIC_ || sfs.f_type == RAMFS_MAGIC_))
		lab_skip("%s is on tmpfs/ramfs: its pages live only in memory and never come from a disk",
			 path);
	pages = st.st_size / LAB_PAGE;
	if (pages > sizeof(vec))
		pages = sizeof(vec);
	ra = ra_window();
	lab_say("lab-3: the page cache; file %s, %zu pages (%zu MiB); pid %d",
		path, pages, pages / 256, (int)getpid());
	lab_say("  read-ahead window of its disk: %lu pages (read_ahead_kb %lu)", ra, ra * 4);
	lab_say("  per-VMA locks (lock_vma_under_rcu): %s", vma_lock ? "yes" : "no");
	lab_settle();

	lab_step("0. make sure the file is not cached: posix_fadvise(POSIX_FADV_DONTNEED)");
	drop_fadvise();

	lab_step("1. first read through mmap(), default advice (cold cache)");
	d1 = pass("pass 1, change:", MADV_NORMAL, &s1);
	lab_expect(d1.v[C_MAJOR] > 0, "major faults: the data had to be read from the disk: %llu",
		   d1.v[C_MAJOR]);
	/*
	 * A fault that finds its page still being read waits for it: the
	 * first call returns VM_FAULT_RETRY, the second maps the page. Without
	 * per-VMA locks that second call has FAULT_FLAG_TRIED and counts as
	 * major. With them the first call ran under the VMA lock, and the
	 * second gets FAULT_FLAG_TRIED only if the first said VM_FAULT_MAJOR
	 * (it found no page at all): waiting for read-ahead is then a minor
	 * fault, and only the retries show it.
	 */
	if (ra && !vma_lock)
		lab_expect(d1.v[C_MAJOR] >= pages / ra,
			   "at least one major fault per read-ahead window, pages / %lu = %zu: %llu",
			   ra, pages / ra, d1.v[C_MAJOR]);
	else if (ra)
		lab_expect(d1.v[C_RETRY] >= pages / ra,
			   "at least one retry per read-ahead window, pages / %lu = %zu (per-VMA locks: waiting for read-ahead is a retry, then a minor fault): %llu",
			   ra, pages / ra, d1.v[C_RETRY]);
	lab_expect(d1.v[C_MAJOR] < pages / 4,
		   "far fewer majors than pages (%zu): readahead reads ahead, fault-around maps neighbours: %llu",
		   pages, d1.v[C_MAJOR]);
	lab_expect(d1.v[C_RETRY] > 0,
		   "retries: the fault dropped mmap_lock to wait for the disk, then ran again: %llu",
		   d1.v[C_RETRY]);

	lab_step("2. the same read again, in a new mapping (warm cache)");
	d2 = pass("pass 2, change:", MADV_NORMAL, &s2);
	lab_expect(d2.v[C_MAJOR] == 0, "no major fault: every page is in the page cache: %llu",
		   d2.v[C_MAJOR]);
	lab_expect(d2.v[C_MINOR] > 0 && d2.v[C_MINOR] <= pages / 8,
		   "minor faults only, about pages / 16 = %zu (fault-around): %llu",
		   pages / 16, d2.v[C_MINOR]);
	lab_expect(d2.v[C_RETRY] == 0, "no retry: nothing to wait for: %llu", d2.v[C_RETRY]);

	lab_step("3. drop the file's pages (POSIX_FADV_DONTNEED), read with MADV_RANDOM (no readahead)");
	drop_fadvise();
	d3 = pass("pass 3, change:", MADV_RANDOM, &s3);
	lab_expect(d3.v[C_MAJOR] >= pages * 99 / 100 && d3.v[C_MAJOR] <= pages,
		   "one major fault per page, %zu: %llu", pages, d3.v[C_MAJOR]);
	lab_expect(d3.v[C_RETRY] >= d3.v[C_MAJOR] * 9 / 10,
		   "about one retry per major fault (first call: start the read, drop the lock; second call: page ready): %llu",
		   d3.v[C_RETRY]);
	lab_expect(s3 > s2, "slower than the warm pass (%.3f s vs %.3f s)", s3, s2);

	lab_step("4. drop the page cache (echo 1 > /proc/sys/vm/drop_caches), read with MADV_SEQUENTIAL");
	drop_caches();
	d4 = pass("pass 4, change:", MADV_SEQUENTIAL, &s4);
	lab_expect(d4.v[C_MAJOR] > 0 && d4.v[C_MAJOR] <= d3.v[C_MAJOR] / 4,
		   "major again, but few: readahead is back (%llu vs %llu with MADV_RANDOM)",
		   d4.v[C_MAJOR], d3.v[C_MAJOR]);

	lab_step("5. which pages came from the disk: pfstat run --where of a read of a known range");
	where_step();
	lab_step("6. the picture: pfstat run --plot of a cold read of the file's first pages, in order");
	plot_step(ra);
	lab_say("\n  summary (majors / minors / retries / seconds):");
	lab_say("    1 cold, default      %6llu %6llu %6llu  %.3f", d1.v[C_MAJOR], d1.v[C_MINOR], d1.v[C_RETRY], s1);
	lab_say("    2 warm, default      %6llu %6llu %6llu  %.3f", d2.v[C_MAJOR], d2.v[C_MINOR], d2.v[C_RETRY], s2);
	lab_say("    3 cold, MADV_RANDOM  %6llu %6llu %6llu  %.3f", d3.v[C_MAJOR], d3.v[C_MINOR], d3.v[C_RETRY], s3);
	lab_say("    4 cold, SEQUENTIAL   %6llu %6llu %6llu  %.3f", d4.v[C_MAJOR], d4.v[C_MINOR], d4.v[C_RETRY], s4);
	return lab_finish();
}
