// SPDX-License-Identifier: GPL-2.0
/*
 * fault-demo: take every kind of fault pagefault_stats classifies, on
 * purpose, and say what the kernel reported for each step (getrusage()).
 *
 *   1. minor: write to fresh anonymous pages
 *   2. major, file: read pages of /mnt/disk/data64m after dropping them
 *      from the page cache (MADV_RANDOM: no readahead, one major per page)
 *   3. major, swap: push anonymous pages to zram with MADV_PAGEOUT, read back
 *   4. SIGSEGV SEGV_MAPERR: write to an unmapped address (caught)
 *   5. SIGSEGV SEGV_ACCERR: write to a read-only page (caught)
 *   6. EFAULT: read() into an unmapped buffer (no signal)
 *
 * Exits 1 if a step did not happen as described (the VM is then not what the
 * tests assume), 0 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define DATA_FILE "/mnt/disk/data64m"
#define ANON_PAGES 1024
#define FILE_PAGES 512
#define SWAP_PAGES 512

static size_t page;
static int failures;
static struct rusage last;
static sigjmp_buf segv_jump;
static volatile sig_atomic_t segv_code;

/* Print the faults since the previous report, and whether the step worked. */
static void report(const char *step, int ok, const char *why)
{
	struct rusage now;

	getrusage(RUSAGE_SELF, &now);
	printf("%-34s %s: +%ld minor, +%ld major%s%s\n", step, ok ? "ok" : "FAILED",
	       now.ru_minflt - last.ru_minflt, now.ru_majflt - last.ru_majflt,
	       why ? ", " : "", why ? why : "");
	if (!ok)
		failures++;
	getrusage(RUSAGE_SELF, &last);
}

static long majors_since(const struct rusage *before)
{
	struct rusage now;

	getrusage(RUSAGE_SELF, &now);
	return now.ru_majflt - before->ru_majflt;
}

static char *map_anon(size_t pages)
{
	char *p = mmap(NULL, pages * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void minor_faults(void)
{
	char *p = map_anon(ANON_PAGES);
	size_t i;

	if (p)
		for (i = 0; i < ANON_PAGES; i++)
			p[i * page] = 1;
	report("1 minor (anon write, 1024 pages)", p != NULL, NULL);
	if (p)
		munmap(p, ANON_PAGES * page);
}

static void file_major_faults(void)
{
	struct rusage before;
	volatile char sum = 0;
	size_t i, len = FILE_PAGES * page;
	int fd = open(DATA_FILE, O_RDONLY);
	char *p = MAP_FAILED;

	getrusage(RUSAGE_SELF, &before);
	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	if (p != MAP_FAILED) {
		madvise(p, len, MADV_RANDOM);
		for (i = 0; i < len; i += page)
			sum += p[i];
		munmap(p, len);
	}
	if (fd >= 0)
		close(fd);
	if (p == MAP_FAILED)
		report("2 major (file, 512 pages)", 0, "cannot map " DATA_FILE);
	else
		report("2 major (file, 512 pages)", majors_since(&before) > 0,
		       NULL);
}

static void swap_major_faults(void)
{
	char *p = map_anon(SWAP_PAGES);
	volatile char sum = 0;
	struct rusage before;
	size_t i;
	int out = -1;

	if (p) {
		for (i = 0; i < SWAP_PAGES; i++)
			memset(p + i * page, 0x5a, 64);
		getrusage(RUSAGE_SELF, &before);
		out = madvise(p, SWAP_PAGES * page, MADV_PAGEOUT);
		for (i = 0; i < SWAP_PAGES; i++)
			sum += p[i * page];
		munmap(p, SWAP_PAGES * page);
	}
	if (out)
		report("3 major (swap-in from zram)", 0, "MADV_PAGEOUT failed");
	else
		report("3 major (swap-in from zram)", majors_since(&before) > 0,
		       NULL);
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	segv_code = si->si_code;
	siglongjmp(segv_jump, 1);
}

/* Write to p; return the si_code of the SIGSEGV it raised, or 0. */
static int write_and_catch(char *p)
{
	segv_code = 0;
	if (!sigsetjmp(segv_jump, 1))
		*(volatile char *)p = 1;
	return segv_code;
}

static void segv_faults(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	char *hole = map_anon(1), *ro = map_anon(1);

	sigaction(SIGSEGV, &sa, NULL);
	if (!hole || !ro) {
		report("4/5 SIGSEGV", 0, "mmap failed");
		return;
	}
	munmap(hole, page);
	mprotect(ro, page, PROT_READ);
	report("4 SIGSEGV SEGV_MAPERR (caught)", write_and_catch(hole) == SEGV_MAPERR,
	       NULL);
	report("5 SIGSEGV SEGV_ACCERR (caught)", write_and_catch(ro) == SEGV_ACCERR,
	       NULL);
	munmap(ro, page);
	signal(SIGSEGV, SIG_DFL);
}

static void efault(void)
{
	char *hole = map_anon(1);
	int fd = open("/dev/zero", O_RDONLY);
	ssize_t n = -1;
	int err = 0;

	if (hole && fd >= 0) {
		munmap(hole, page);
		n = read(fd, hole, 64);
		err = errno;
	}
	if (fd >= 0)
		close(fd);
	report("6 EFAULT (read into a hole)", n == -1 && err == EFAULT, NULL);
}

int main(void)
{
	page = (size_t)sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("fault-demo: pid %d; faults per step from getrusage()\n", getpid());
	getrusage(RUSAGE_SELF, &last);
	minor_faults();
	file_major_faults();
	swap_major_faults();
	segv_faults();
	efault();
	return failures ? 1 : 0;
}
