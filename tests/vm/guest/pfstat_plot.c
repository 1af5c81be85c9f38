// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat plot and run --plot in the VM (issue 16): the data behind each
 * picture against the kernel's accounting and the module's counters, and
 * the picture itself checked for its format, size and content:
 *   1. run --plot of two touched regions: two bands, each with exactly
 *      the faults of its pages; all marks + before tracing = rusage;
 *   2. plot map -p of a running process: its region's marks = the pages
 *      it touched, minor marks = the row's minor delta; SVG;
 *   3. plot hist: each bucket between the hist file read before and after;
 *   4. plot rates -p: the process's minors over the intervals = the row's
 *      delta, its majors likewise;
 *   5. bad input (a name that is no picture, a process that exited, no
 *      module): exit 2, one line, nothing written, nothing run.
 * The pictures are left in $PFS_TEST_OUT (the disk's out/pfstat-plot,
 * which tests/vm/run copies to the host's build/vm/out) to look at.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_json.h"
#include "pfs_pfstat.h"
#include "pfs_test.h"

#define SELF		"/tests/bin/pfstat_plot"

/* The two regions of the regions workload, far apart in the address space. */
#define REGION_A	0x200000000000UL
#define REGION_A_PAGES	64
#define REGION_B	0x300000000000UL
#define REGION_B_PAGES	128

/* ---- workloads (argv[1]) -------------------------------------------------- */

static int touch_region(unsigned long at, unsigned long pages)
{
	char *m = mmap((void *)at, pages * PFS_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	unsigned long i;

	if (m != (void *)at)
		return 10;
	/* One write fault a page: no transparent huge page. */
	madvise(m, pages * PFS_PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < pages; i++)
		m[i * PFS_PAGE] = 1;
	return 0;
}

/* Write every page of A, then of B; hold them while pfstat's maps
 * snapshots see them. */
static int work_regions(void)
{
	if (touch_region(REGION_A, REGION_A_PAGES) ||
	    touch_region(REGION_B, REGION_B_PAGES))
		return 10;
	usleep(400000);
	return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static int run(char *const argv[], const char *out, const char *err)
{
	return pfs_exec_wait(pfs_exec_start(argv, out, err));
}

/* Where the pictures go: $PFS_TEST_OUT, made if need be, or /tmp. */
static char outdir_path[256] = "/tmp";

/* outdir_path/name, for the test's life */
static char *outfile(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", outdir_path, name) < 0)
		pfs_fail("out of memory");
	return p;
}

static void outdir(void)
{
	const char *d = getenv("PFS_TEST_OUT");
	char cmd[300];

	if (!d || !*d)
		return;
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", d);
	if (system(cmd) != 0)
		pfs_fail("cannot make %s", d);
	snprintf(outdir_path, sizeof(outdir_path), "%s", d);
}

static unsigned int be32(const unsigned char *p)
{
	return (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
	       (unsigned int)p[2] << 8 | p[3];
}

/* A PNG: its signature, an IHDR of the size given (h 0: any), not tiny. */
static void check_png(const char *path, unsigned int w, unsigned int h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char head[32];
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || read(fd, head, sizeof(head)) != sizeof(head))
		pfs_fail("cannot read %s", path);
	close(fd);
	pfs_expect_true("PNG signature", !memcmp(head, sig, 8), path);
	pfs_expect_true("IHDR first", !memcmp(head + 12, "IHDR", 4), path);
	pfs_expect_eq("PNG width", be32(head + 16), w, path);
	if (h)
		pfs_expect_eq("PNG height", be32(head + 20), h, path);
	pfs_expect_ge("PNG size", (unsigned long long)st.st_size, 8000,
		      "a picture with text and marks, not an empty frame");
}

static void check_svg(const char *path)
{
	char *s = pfs_slurp_or_fail(path);

	pfs_expect_true("SVG: XML", !strncmp(s, "<?xml", 5), path);
	pfs_expect_true("SVG: an svg element", strstr(s, "<svg") != NULL, path);
	pfs_expect_true("SVG: complete", strstr(s, "</svg>") != NULL, path);
}

/* A CSV of pfstat plot --data: its rows (without the header), each split
 * in place into its fields. No field of ours holds a quote or a comma. */
struct csv {
	char *text;
	char ***rows;
	size_t n;
	int ncols;
};

static void csv_read(struct csv *c, const char *path, const char *header)
{
	char *line, *save = NULL;
	size_t hl = strlen(header);

	memset(c, 0, sizeof(*c));
	c->text = pfs_slurp_or_fail(path);
	if (strncmp(c->text, header, hl) || strncmp(c->text + hl, "\r\n", 2))
		pfs_fail("%s: header is not '%s'", path, header);
	c->ncols = 1;
	for (line = (char *)header; *line; line++)
		c->ncols += *line == ',';
	c->rows = calloc(strlen(c->text) / 4 + 1, sizeof(*c->rows));
	for (line = strtok_r(c->text + hl + 2, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		char **f = calloc((size_t)c->ncols, sizeof(*f));
		int i = 0;

		if (!c->rows || !f)
			pfs_fail("out of memory");
		f[i++] = line;
		for (; *line; line++)
			if (*line == ',' && i < c->ncols) {
				*line = 0;
				f[i++] = line + 1;
			}
		if (i != c->ncols)
			pfs_fail("%s: a row of %d fields, not %d", path, i, c->ncols);
		c->rows[c->n++] = f;
	}
}

static void csv_free(struct csv *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->rows[i]);
	free(c->rows);
	free(c->text);
}

/* Map rows: time_s,address,result,band,band_kind,band_name,band_start,band_end */
enum { M_TIME, M_ADDR, M_RESULT, M_BAND, M_KIND, M_NAME, M_START, M_END };

/* Marks of a result (NULL: any) in the band starting at start (0: any). */
static unsigned long marks(const struct csv *c, unsigned long start, const char *result)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		if ((!start || strtoul(c->rows[i][M_START], NULL, 16) == start) &&
		    (!result || !strcmp(c->rows[i][M_RESULT], result)))
			n++;
	return n;
}

/* The band index of the band starting at start, or -1. */
static long band_of(const struct csv *c, unsigned long start)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strtoul(c->rows[i][M_START], NULL, 16) == start)
			return strtol(c->rows[i][M_BAND], NULL, 10);
	return -1;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_run_plot_regions(void)
{
	char *argv[] = { PFS_PFSTAT, "run", "--plot", outfile("regions.png"),
			 "--data", outfile("regions.csv"), "-o", "json", "-O",
			 "/tmp/regions.json", "--", SELF, "regions", NULL };
	unsigned long long pre_min, pre_maj;
	struct csv c;
	struct jdoc *d;
	long a, b;

	pfs_need_tracing();
	pfs_expect_eq("run --plot exit", (unsigned long long)run(argv, "/dev/null",
		      "/tmp/regions.err"), 0, "the workload exits 0");
	check_png(outfile("regions.png"), 1200, 0);
	csv_read(&c, outfile("regions.csv"),
		 "time_s,address,result,band,band_kind,band_name,band_start,band_end");
	a = band_of(&c, REGION_A);
	b = band_of(&c, REGION_B);
	pfs_expect_true("region A is a band", a >= 0, "a band starts at 0x200000000000");
	pfs_expect_true("region B is a band", b >= 0, "a band starts at 0x300000000000");
	pfs_expect_true("bands by address", a < b, "A below B");
	pfs_expect_eq("marks in A", marks(&c, REGION_A, NULL), REGION_A_PAGES,
		      "one write fault a page of A");
	pfs_expect_eq("minor marks in A", marks(&c, REGION_A, "minor"), REGION_A_PAGES,
		      "fresh anonymous pages: minor");
	pfs_expect_eq("marks in B", marks(&c, REGION_B, NULL), REGION_B_PAGES,
		      "one write fault a page of B");
	pfs_expect_eq("minor marks in B", marks(&c, REGION_B, "minor"), REGION_B_PAGES,
		      "fresh anonymous pages: minor");
	d = jparse(pfs_slurp_or_fail("/tmp/regions.json"));
	if (!d)
		pfs_fail("run --plot -o json is not valid JSON");
	pre_min = jnum(d, "run.before_trace.minflt");
	pre_maj = jnum(d, "run.before_trace.majflt");
	pfs_expect_eq("minor marks + before tracing", marks(&c, 0, "minor") + pre_min,
		      jnum(d, "run.rusage.minflt"), "wait4() ru_minflt of the command");
	pfs_expect_eq("major marks + before tracing", marks(&c, 0, "major") + pre_maj,
		      jnum(d, "run.rusage.majflt"), "wait4() ru_majflt of the command");
	pfs_expect_eq("marks = the where report's", c.n,
		      pfs_where_sum(d, "minor") + pfs_where_sum(d, "major") +
		      pfs_where_sum(d, "retry") + pfs_where_sum(d, "errors") +
		      pfs_where_sum(d, "invalid"), "the same session's events");
	jfree(d);
	csv_free(&c);
}

static void test_plot_map_pid(void)
{
	char pid[16];
	char *argv[] = { PFS_PFSTAT, "plot", "map", "-p", pid, "-i", "3", "-O",
			 outfile("toucher.svg"), "--data", "/tmp/toucher.csv", NULL };
	unsigned long long st, m0, m1, best = 0;
	struct pfs_toucher t;
	struct csv c;
	pid_t plot;
	size_t i;

	pfs_need_tracing();
	pfs_toucher_start(&t, 3000);
	snprintf(pid, sizeof(pid), "%d", (int)t.pid);
	usleep(100000);
	st = pfs_start_time_of(t.pid);
	plot = pfs_exec_start(argv, "/dev/null", "/tmp/toucher.err");
	pfs_wait_enabled(plot);
	m0 = pfs_counter(t.pid, st, "minor");
	pfs_toucher_go(&t);
	m1 = pfs_counter(t.pid, st, "minor");
	pfs_expect_eq("plot map exit", (unsigned long long)pfs_exec_wait(plot), 0,
		      "-i 3 ends it");
	pfs_toucher_end(&t);
	pfs_expect_true("instance removed", !pfs_instance_exists(plot),
			"instances/pfstat-PID is gone");
	check_svg(outfile("toucher.svg"));
	csv_read(&c, "/tmp/toucher.csv",
		 "time_s,address,result,band,band_kind,band_name,band_start,band_end");
	pfs_expect_eq("minor marks", marks(&c, 0, "minor"), m1 - m0,
		      "the row's minor delta while traced");
	for (i = 0; i < c.n; i++) {
		unsigned long s = strtoul(c.rows[i][M_START], NULL, 16);

		if (!strcmp(c.rows[i][M_KIND], "anon") && marks(&c, s, NULL) > best)
			best = marks(&c, s, NULL);
	}
	pfs_expect_eq("marks in the anonymous region", best, 3000,
		      "the toucher's 3000 pages, one fault each");
	csv_free(&c);
}

/* kind,lo_ns,hi_ns,count: the count of a bucket in a hist file or CSV */
static unsigned long long hist_count(const char *text, const char *kind,
				     const char *lo, const char *hi)
{
	char key[96];
	const char *p;

	/* debugfs hist rows are "kind lo_ns hi_ns count" */
	snprintf(key, sizeof(key), "\n%s %s %s ", kind, lo, hi);
	p = strstr(text, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static void test_plot_hist(void)
{
	char *argv[] = { PFS_PFSTAT, "plot", "hist", "-O", outfile("hist.png"),
			 "--data", "/tmp/hist.csv", NULL };
	char *before, *after;
	unsigned long long in = 0, sum = 0;
	struct csv c;
	size_t i;

	pfs_require_module();
	before = pfs_slurp_or_fail(PFS_DEBUGFS_DIR "/hist");
	pfs_expect_eq("plot hist exit", (unsigned long long)run(argv, "/dev/null",
		      "/tmp/hist.err"), 0, "debugfs hist read");
	after = pfs_slurp_or_fail(PFS_DEBUGFS_DIR "/hist");
	check_png(outfile("hist.png"), 1000, 560);
	csv_read(&c, "/tmp/hist.csv", "kind,lo_ns,hi_ns,count");
	pfs_expect_ge("buckets", c.n, 3, "minor, major and retry buckets");
	for (i = 0; i < c.n; i++) {
		unsigned long long n = strtoull(c.rows[i][3], NULL, 10);
		unsigned long long lo = hist_count(before, c.rows[i][0], c.rows[i][1], c.rows[i][2]);
		unsigned long long hi = hist_count(after, c.rows[i][0], c.rows[i][1], c.rows[i][2]);

		in += n >= lo && n <= hi;
		sum += n;
	}
	pfs_expect_eq("buckets between the reads before and after", in, c.n,
		      "each count as debugfs hist had it while pfstat ran");
	pfs_expect_ge("faults in the histograms", sum, 1000, "the VM has faulted");
	csv_free(&c);
}

static void test_plot_rates(void)
{
	char pid[16];
	char *argv[] = { PFS_PFSTAT, "plot", "rates", "-i", "0.5", "-C", "6", "-p", pid,
			 "-O", outfile("rates.png"), "--data", "/tmp/rates.csv", NULL };
	unsigned long long st, m0, m1, j0, j1, minor = 0, major = 0, others = 0;
	struct pfs_toucher t;
	struct csv c;
	pid_t plot;
	size_t i;

	pfs_require_module();
	pfs_toucher_start(&t, 2000);
	snprintf(pid, sizeof(pid), "%d", (int)t.pid);
	usleep(100000);
	st = pfs_start_time_of(t.pid);
	m0 = pfs_counter(t.pid, st, "minor");
	j0 = pfs_counter(t.pid, st, "major");
	plot = pfs_exec_start(argv, "/dev/null", "/tmp/rates.err");
	usleep(700000 * pfs_time_scale());	/* its first reading is taken */
	pfs_toucher_go(&t);
	m1 = pfs_counter(t.pid, st, "minor");
	j1 = pfs_counter(t.pid, st, "major");
	pfs_expect_eq("plot rates exit", (unsigned long long)pfs_exec_wait(plot), 0,
		      "-C 6 ends it");
	pfs_toucher_end(&t);
	check_png(outfile("rates.png"), 1100, 0);
	csv_read(&c, "/tmp/rates.csv",
		 "time_s,interval_s,pid,comm,minor,major,invalid,refault");
	for (i = 0; i < c.n; i++) {
		others += strtoull(c.rows[i][2], NULL, 10) != (unsigned long long)t.pid;
		minor += strtoull(c.rows[i][4], NULL, 10);
		major += strtoull(c.rows[i][5], NULL, 10);
	}
	pfs_expect_eq("rows of other processes", others, 0, "-p PID");
	pfs_expect_eq("intervals", c.n, 6, "-C 6, one row an interval");
	pfs_expect_eq("minor over the intervals", minor, m1 - m0, "the row's minor delta");
	pfs_expect_ge("minor over the intervals", minor, 2000, "the toucher's 2000 pages");
	pfs_expect_eq("major over the intervals", major, j1 - j0, "the row's major delta");
	csv_free(&c);
}

static bool one_line(const char *path)
{
	const char *s = pfs_slurp_or_fail(path);
	const char *nl = strchr(s, '\n');

	pfs_info("%s: %.*s", path, nl ? (int)(nl - s) : (int)strlen(s), s);
	return nl && nl[1] == '\0';
}

static void test_bad_input(void)
{
	char *jpg[] = { PFS_PFSTAT, "run", "--plot", "/tmp/x.jpg", "--",
			"/bin/touch", "/tmp/ran", NULL };
	char *nopath[] = { PFS_PFSTAT, "plot", "hist", "-O", "-", NULL };
	char pid[16];
	char *zombie[] = { PFS_PFSTAT, "plot", "map", "-p", pid, "-O", "/tmp/z.png", NULL };
	char *nomod[] = { PFS_PFSTAT, "plot", "map", "-p", "1", "-O", "/tmp/n.png", NULL };
	char *nomodh[] = { PFS_PFSTAT, "plot", "hist", "-O", "/tmp/n.png", NULL };
	struct stat sb;
	pid_t child;
	int st;

	pfs_need_tracing();
	unlink("/tmp/ran");
	pfs_expect_eq("run --plot x.jpg", (unsigned long long)run(jpg, "/dev/null",
		      "/tmp/bad.err"), 2, "not a picture's name");
	pfs_expect_true("one line", one_line("/tmp/bad.err"), "a .jpg");
	pfs_expect_true("the command did not run", stat("/tmp/ran", &sb) != 0,
			"/tmp/ran not created");
	pfs_expect_true("no picture", stat("/tmp/x.jpg", &sb) != 0, "/tmp/x.jpg");
	pfs_expect_eq("plot hist -O -", (unsigned long long)run(nopath, "/dev/null",
		      "/tmp/bad.err"), 2, "a picture goes to a file");
	pfs_expect_true("one line", one_line("/tmp/bad.err"), "-O -");
	/* a child that exited and is not reaped: a zombie, no memory */
	child = fork();
	if (child == 0)
		_exit(0);
	usleep(200000);
	snprintf(pid, sizeof(pid), "%d", (int)child);
	pfs_expect_eq("plot map of a zombie", (unsigned long long)run(zombie, "/dev/null",
		      "/tmp/bad.err"), 2, "the process has exited");
	pfs_expect_true("one line", one_line("/tmp/bad.err"), "exited");
	pfs_expect_true("no picture", stat("/tmp/z.png", &sb) != 0, "/tmp/z.png");
	waitpid(child, NULL, 0);
	/* no module: no events to trace, no hist */
	if (system("rmmod pagefault_stats") != 0)
		pfs_fail("rmmod pagefault_stats failed");
	st = run(nomod, "/dev/null", "/tmp/nomod.err");
	pfs_expect_eq("plot map without the module", (unsigned long long)st, 2,
		      "no events");
	pfs_expect_true("one line", one_line("/tmp/nomod.err"), "no module");
	st = run(nomodh, "/dev/null", "/tmp/nomodh.err");
	if (pfs_module_insert(""))
		pfs_fail("insmod " PFS_MODULE_KO " failed");
	pfs_expect_eq("plot hist without the module", (unsigned long long)st, 2,
		      "no debugfs hist");
	pfs_expect_true("one line", one_line("/tmp/nomodh.err"), "no module");
	pfs_expect_true("no picture", stat("/tmp/n.png", &sb) != 0, "/tmp/n.png");
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "regions"))
		return work_regions();
	pfs_begin();
	outdir();
	pfs_test("run --plot: two regions, two bands, a mark a page; marks = rusage",
		 test_run_plot_regions);
	pfs_test("plot map -p -i: the region's marks = its pages, minors = the row's delta; SVG",
		 test_plot_map_pid);
	pfs_test("plot hist: every bucket as debugfs hist had it", test_plot_hist);
	pfs_test("plot rates -p: minors and majors over the intervals = the row's deltas",
		 test_plot_rates);
	pfs_test("bad input: not a picture, an exited process, no module: exit 2, one line",
		 test_bad_input);
	return pfs_exit();
}
