// SPDX-License-Identifier: GPL-2.0
/*
 * The event tests' workload, run as the command of a consumer (perf record,
 * trace-cmd record, bpftrace -c; see ev_check.c):
 *
 *	ev_workload [INFO_FILE]		(default: ev-info)
 *
 * In one process, pinned to one CPU (so every consumer prints its events in
 * program order), faults with known counts and places: anonymous first
 * touches, evicted file pages read with MADV_RANDOM and with readahead,
 * swap-ins from zram, SIGSEGVs at known unmapped addresses, EFAULTs from
 * getcpu() on an unmapped page.
 *
 * The measured window: the module's table is read (INFO_FILE.row0), then a
 * first marker page is written; after the workload the table is read again
 * (INFO_FILE.row1) with getrusage(), then a second marker page is written.
 * The events from the first marker up to the second are exactly the faults
 * the row's delta row1 - row0 counts; nothing faults between a read of the
 * table and its marker (buffers touched, code run once before).
 * Last it writes INFO_FILE, one line of "name=value" words: where each part
 * and marker was, what it saw, the rusage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pfs_test.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define ANON_PAGES	256
#define ANON_OFF	16		/* the byte of each page touched */
#define FILE_OFF	(16UL << 20)	/* MADV_RANDOM: one major per page */
#define FILE_PAGES	64
#define RA_OFF		(24UL << 20)	/* readahead: retries */
#define RA_PAGES	256
#define SWAP_PAGES	128
#define N_SEGV		20
#define N_EFAULT	20

/* the program's text, for the SIGSEGVs' ip (GNU ld defines both) */
extern char __executable_start[], etext[];

#define TABLE_MAX	(256 * 1024)

static char info[4096];
static char table[2][TABLE_MAX];
static size_t table_len[2];
static size_t info_len;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	info_len += vsnprintf(info + info_len, sizeof(info) - info_len, fmt, ap);
	va_end(ap);
	if (info_len >= sizeof(info))
		pfs_fail("info line too long");
}

static unsigned long long start_time(void)
{
	char buf[2048], *p;
	int field;

	if (pfs_read_file("/proc/self/stat", buf, sizeof(buf)) <= 0 ||
	    !(p = strrchr(buf, ')')))
		pfs_fail("cannot read /proc/self/stat");
	/* the space before field k + 2 after k steps; start_time is field 22 */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		pfs_fail("/proc/self/stat has no field 22");
	return strtoull(p + 1, NULL, 10);
}

static void w_anon(void)
{
	char *p = pfs_map_anon(ANON_PAGES * PFS_PAGE);
	size_t i;

	for (i = 0; i < ANON_PAGES; i++)
		((volatile char *)p)[i * PFS_PAGE + ANON_OFF] = 1;
	note(" anon_lo=%p anon_pages=%d anon_off=%d", (void *)p, ANON_PAGES, ANON_OFF);
}

static void read_pages(const char *p, size_t pages)
{
	size_t i;

	for (i = 0; i < pages; i++)
		(void)((volatile const char *)p)[i * PFS_PAGE];
}

static void w_file(void)
{
	size_t resident;
	struct stat st;
	char *p;

	if (stat(pfs_disk_file(), &st))
		pfs_fail("stat %s: %s", pfs_disk_file(), strerror(errno));
	p = pfs_map_evicted(FILE_OFF, FILE_PAGES * PFS_PAGE, MADV_RANDOM, &resident);
	read_pages(p, FILE_PAGES);
	note(" file_lo=%p file_pages=%d file_pgoff=%lu file_resident=%zu file_dev=%u:%u file_ino=%lu",
	     (void *)p, FILE_PAGES, FILE_OFF / PFS_PAGE, resident,
	     major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	p = pfs_map_evicted(RA_OFF, RA_PAGES * PFS_PAGE, MADV_NORMAL, &resident);
	read_pages(p, RA_PAGES);
	note(" ra_lo=%p ra_pages=%d ra_resident=%zu", (void *)p, RA_PAGES, resident);
}

static void w_swap(void)
{
	unsigned char vec[SWAP_PAGES];
	size_t i, out = 0;
	char *p = pfs_map_anon(SWAP_PAGES * PFS_PAGE);

	/* distinct content: zram stores same-filled pages without swapping */
	for (i = 0; i < SWAP_PAGES * PFS_PAGE / sizeof(long); i++)
		((unsigned long *)p)[i] = i * 0x9e3779b97f4a7c15UL;
	if (madvise(p, SWAP_PAGES * PFS_PAGE, MADV_PAGEOUT) ||
	    mincore(p, SWAP_PAGES * PFS_PAGE, vec))
		pfs_fail("MADV_PAGEOUT / mincore: %s", strerror(errno));
	for (i = 0; i < SWAP_PAGES; i++)
		out += !(vec[i] & 1);
	read_pages(p, SWAP_PAGES);
	note(" swap_lo=%p swap_pages=%d swap_out=%zu", (void *)p, SWAP_PAGES, out);
}

static sigjmp_buf jb;
static volatile int caught;

static void on_segv(int sig)
{
	(void)sig;
	caught++;
	siglongjmp(jb, 1);
}

/* Read N_SEGV unmapped addresses: page i of a freed range, byte 8 * i. */
static void w_segv(void)
{
	struct sigaction sa;
	char *p;
	volatile int i;		/* changed between sigsetjmp() and siglongjmp() */

	p = mmap(NULL, N_SEGV * PFS_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p, N_SEGV * PFS_PAGE))
		pfs_fail("cannot make an unmapped range: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	for (i = 0; i < N_SEGV; i++)
		if (!sigsetjmp(jb, 1))
			(void)((volatile char *)p)[i * PFS_PAGE + 8 * i];
	signal(SIGSEGV, SIG_DFL);
	note(" segv_lo=%p segv_n=%d segv_caught=%d text_lo=%p text_hi=%p",
	     (void *)p, N_SEGV, caught, (void *)__executable_start, (void *)etext);
}

/* getcpu() stores through one put_user(): one fixed-up fault per call. */
static void w_efault(void)
{
	char *p, *hole;
	int i, n = 0;

	p = mmap(NULL, 3 * PFS_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p + PFS_PAGE, PFS_PAGE))
		pfs_fail("cannot make an unmapped page: %s", strerror(errno));
	hole = p + PFS_PAGE + 0x40;
	for (i = 0; i < N_EFAULT; i++)
		n += syscall(SYS_getcpu, hole, NULL, NULL) == -1 && errno == EFAULT;
	note(" efault_addr=%p efault_n=%d efault_calls=%d", (void *)hole, n, N_EFAULT);
}

/* The module's table into table[i], in one open/read loop: no fault. */
static void read_table(int i)
{
	ssize_t n;
	int fd = open(PFS_DEBUGFS_PROCS, O_RDONLY);

	if (fd < 0)
		pfs_fail("open %s: %s", PFS_DEBUGFS_PROCS, strerror(errno));
	table_len[i] = 0;
	while ((n = read(fd, table[i] + table_len[i], TABLE_MAX - table_len[i])) > 0)
		table_len[i] += n;
	close(fd);
}

static void save(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd))
		pfs_fail("write %s: %s", path, strerror(errno));
}

static void pin_to_one_cpu(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		pfs_fail("sched_setaffinity: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	static struct rusage ru;
	char path[512], *marker;

	const char *out = argc > 1 ? argv[1] : "ev-info";

	if (argc > 2) {
		fprintf(stderr, "usage: ev_workload [INFO_FILE]\n");
		return 2;
	}
	pin_to_one_cpu();
	pfs_settle();
	marker = pfs_map_anon(2 * PFS_PAGE);
	note("pid=%d start_time=%llu marker0=%p marker1=%p", (int)getpid(), start_time(),
	     (void *)(marker + 0x20), (void *)(marker + PFS_PAGE + 0x20));
	/* run the table read and getrusage() once, so their code is mapped */
	read_table(1);
	getrusage(RUSAGE_SELF, &ru);

	read_table(0);
	((volatile char *)marker)[0x20] = 1;
	w_anon();
	w_file();
	w_swap();
	w_segv();
	w_efault();
	read_table(1);
	getrusage(RUSAGE_SELF, &ru);
	((volatile char *)marker)[PFS_PAGE + 0x20] = 1;

	note(" ru_minflt=%ld ru_majflt=%ld\n", ru.ru_minflt, ru.ru_majflt);
	snprintf(path, sizeof(path), "%s.row0", out);
	save(path, table[0], table_len[0]);
	snprintf(path, sizeof(path), "%s.row1", out);
	save(path, table[1], table_len[1]);
	save(out, info, info_len);
	return 0;
}
