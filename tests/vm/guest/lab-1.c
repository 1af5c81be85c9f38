// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 1: demand paging (docs/labs/lab-1-demand-paging.md).
 *
 * mmap() only reserves addresses; the first touch of each page faults and
 * the kernel supplies the page then.  Three experiments, each measured as
 * the change in this process's row of the module's table:
 *   A  write one byte to each of N fresh anonymous pages: N minor faults
 *   B  read N fresh pages (the shared zero page is mapped: N minor faults,
 *      no memory), then write them (N more minor faults, now memory)
 *   C  read N pages of a cached file through mmap: fault-around maps up to
 *      fault_around_bytes / 4096 pages per fault, so about N / 16 faults
 */
#include "lab-common.h"

#define DEFAULT_PAGES 1024

static const int cols[] = { C_MINOR, C_MAJOR, C_ANON_MINOR, C_FILE_MINOR,
			    C_SHMEM_MINOR, C_READ, C_WRITE, -1 };

static long rss_anon_kb(void)
{
	return lab_keyval("/proc/self/status", "RssAnon");
}

static void experiment_a(size_t n)
{
	struct lab_row before, after, d;
	char *p;

	lab_step("A. write one byte to each of %zu fresh anonymous pages", n);
	lab_say("  mmap(%zu KiB, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS): no page is allocated yet",
		n * 4);
	p = lab_map_anon(n * LAB_PAGE, false);
	before = lab_row_self();
	lab_write_pages(p, n, 1);
	after = lab_row_self();
	d = lab_delta(&after, &before);
	lab_show("before:", &before, cols);
	lab_show("after:", &after, cols);
	lab_show("change:", &d, cols);
	lab_expect(d.v[C_MINOR] == n, "minor faults rose by N = %zu (one per page first touched): %llu",
		   n, d.v[C_MINOR]);
	lab_expect(d.v[C_MAJOR] == 0, "no major fault (nothing is read from disk or swap): %llu",
		   d.v[C_MAJOR]);
	if (d.has[C_WRITE])
		lab_expect(d.v[C_WRITE] == n, "all of them write faults: write = %llu",
			   d.v[C_WRITE]);
	munmap(p, n * LAB_PAGE);
}

static void experiment_b(size_t n)
{
	struct lab_row b0, b1, b2, d1, d2;
	long rss0, rss1, rss2;
	unsigned long sum;
	char *p;

	lab_step("B. read %zu fresh anonymous pages, then write them", n);
	p = lab_map_anon(n * LAB_PAGE, false);
	rss0 = rss_anon_kb();
	b0 = lab_row_self();
	sum = lab_read_pages(p, n);
	b1 = lab_row_self();
	rss1 = rss_anon_kb();
	lab_write_pages(p, n, 1);
	b2 = lab_row_self();
	rss2 = rss_anon_kb();
	d1 = lab_delta(&b1, &b0);
	d2 = lab_delta(&b2, &b1);
	lab_show("reading (sum of bytes 0):", &d1, cols);
	(void)sum;
	lab_say("  RssAnon: %ld kB before, %ld kB after reading", rss0, rss1);
	lab_show("then writing:", &d2, cols);
	lab_say("  RssAnon: %ld kB after writing", rss2);
	lab_expect(d1.v[C_MINOR] == n, "reading: one minor fault per page, %zu: %llu",
		   n, d1.v[C_MINOR]);
	lab_expect(rss1 - rss0 < (long)n, "reading allocated no memory (the zero page is shared): RssAnon +%ld kB for %zu KiB read",
		   rss1 - rss0, n * 4);
	lab_expect(d2.v[C_MINOR] == n, "writing the same pages: %zu more minor faults (zero page replaced by a new page): %llu",
		   n, d2.v[C_MINOR]);
	lab_expect(rss2 - rss1 >= (long)(n * 4 * 9 / 10), "writing allocated the memory: RssAnon +%ld kB",
		   rss2 - rss1);
	munmap(p, n * LAB_PAGE);
}

/* A file to map: the lab disk's data64m, else a file made in /tmp. */
static int open_file(size_t len, char *name, size_t namesz)
{
	struct stat st;
	int fd;

	snprintf(name, namesz, "/mnt/disk/data64m");
	fd = open(name, O_RDONLY);
	if (fd >= 0 && !fstat(fd, &st) && (size_t)st.st_size >= len)
		return fd;
	if (fd >= 0)
		close(fd);
	snprintf(name, namesz, "/tmp/lab-1.data");
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		lab_die("cannot create %s: %s", name, strerror(errno));
	memset(lab_buf, 'x', LAB_PAGE);
	for (size_t off = 0; off < len; off += LAB_PAGE)
		if (write(fd, lab_buf, LAB_PAGE) != (ssize_t)LAB_PAGE)
			lab_die("write %s: %s", name, strerror(errno));
	return fd;
}

static void experiment_c(size_t n)
{
	struct lab_row before, after, d;
	char name[64], fab[32];
	unsigned long fa_pages = 16, want;
	size_t len = n * LAB_PAGE, off;
	char *p;
	int fd;

	lab_step("C. read %zu pages of a file through mmap (the file is in the page cache)", n);
	if (!lab_read_str("/sys/kernel/debug/fault_around_bytes", fab, sizeof(fab)))
		fa_pages = strtoul(fab, NULL, 10) / LAB_PAGE;
	if (!fa_pages)
		fa_pages = 1;
	fd = open_file(len, name, sizeof(name));
	/* read() it first: every page is in the page cache before the test */
	for (off = 0; off < len; off += sizeof(lab_buf))
		if (pread(fd, lab_buf, len - off < sizeof(lab_buf) ? len - off : sizeof(lab_buf), off) < 0)
			lab_die("read %s: %s", name, strerror(errno));
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		lab_die("mmap %s: %s", name, strerror(errno));
	lab_say("  file %s, fault_around_bytes = %lu (%lu pages)", name, fa_pages * LAB_PAGE,
		fa_pages);
	before = lab_row_self();
	lab_read_pages(p, n);
	after = lab_row_self();
	d = lab_delta(&after, &before);
	lab_show("change:", &d, cols);
	want = (n + fa_pages - 1) / fa_pages;
	lab_expect(d.v[C_MINOR] >= want && d.v[C_MINOR] <= want + 1,
		   "about N / %lu = %lu minor faults (one fault maps up to %lu cached pages around it): %llu",
		   fa_pages, want, fa_pages, d.v[C_MINOR]);
	lab_expect(d.v[C_MAJOR] == 0, "no major fault: every page was already in the page cache: %llu",
		   d.v[C_MAJOR]);
	munmap(p, len);
	close(fd);
	if (!strncmp(name, "/tmp/", 5))
		unlink(name);
}

int main(int argc, char **argv)
{
	size_t n = DEFAULT_PAGES;
	int i;

	i = lab_args(argc, argv, "lab-1", " [PAGES]");
	if (i < argc)
		n = strtoul(argv[i], NULL, 0);
	if (n < 16 || n > (1 << 20))
		lab_die("PAGES must be between 16 and 1048576");
	lab_say("lab-1: demand paging, N = %zu pages (%zu KiB); this process is pid %d",
		n, n * 4, (int)getpid());
	lab_say("  (numbers: this process's row of %s)", lab_table_path());
	lab_settle();
	experiment_a(n);
	experiment_b(n);
	experiment_c(n);
	return lab_finish();
}
