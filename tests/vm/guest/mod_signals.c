// SPDX-License-Identifier: GPL-2.0
/*
 * Invalid faults: N caught SIGSEGVs of each kind, N SIGBUS from a truncated
 * shared file mapping, N EFAULTs from system calls given a bad buffer.  Each
 * lands in exactly its own column, N times, and minor/major still equal the
 * kernel's accounting.
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
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pfs_test.h"

#define N 20

static const char *const signal_cols[] = {
	"segv_maperr", "segv_accerr", "segv_pkuerr", "sigbus", "oom", "efault",
};

/* ---- catching signals ----------------------------------------------------- */

struct sig_report {
	int caught;		/* handler runs */
	int code_ok;		/* of them, with the si_code the case wants */
	int efaults;		/* system calls that returned EFAULT */
	int other_errors;
	long long kfaults;	/* perf's kernel-mode page faults, or -1 */
};

static sigjmp_buf jb;
static volatile int want_code;
static struct sig_report rep;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	rep.caught++;
	rep.code_ok += si->si_code == want_code;
	siglongjmp(jb, 1);
}

static void catch(int sig, int code)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(sig, &sa, NULL);
	want_code = code;
}

/* An address the compiler cannot see is NULL. */
static volatile uintptr_t null_addr;

enum segv_kind { NULL_READ, WRITE_READONLY, PROT_NONE_READ, EXEC_NOEXEC, PKEY_READ };

#ifndef PKEY_DISABLE_ACCESS
#define PKEY_DISABLE_ACCESS	0x1
#endif

static int w_segv(void *arg)
{
	enum segv_kind kind = (enum segv_kind)(long)arg;
	volatile char *volatile page = NULL;
	volatile int i;		/* changed between sigsetjmp() and siglongjmp() */
	long pkey;

	pfs_settle();
	switch (kind) {
	case NULL_READ:
		page = (volatile char *)null_addr;
		catch(SIGSEGV, SEGV_MAPERR);
		break;
	case WRITE_READONLY:
		page = mmap(NULL, PFS_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		(void)page[0];		/* present, read-only */
		catch(SIGSEGV, SEGV_ACCERR);
		break;
	case PROT_NONE_READ:
		page = mmap(NULL, PFS_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		catch(SIGSEGV, SEGV_ACCERR);
		break;
	case EXEC_NOEXEC:
		page = mmap(NULL, PFS_PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		page[0] = (char)0xc3;	/* present; "ret", were it executable */
		catch(SIGSEGV, SEGV_ACCERR);
		break;
	case PKEY_READ:
		/* a key this thread may not access (the kernel sets PKRU/POR) */
		pkey = syscall(SYS_pkey_alloc, 0, PKEY_DISABLE_ACCESS);
		page = mmap(NULL, PFS_PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pkey < 0 || page == MAP_FAILED ||
		    syscall(SYS_pkey_mprotect, page, PFS_PAGE, PROT_READ | PROT_WRITE, pkey))
			return 2;
		catch(SIGSEGV, SEGV_PKUERR);
		break;
	}
	if (page == MAP_FAILED)
		return 2;
	for (i = 0; i < N; i++) {
		if (sigsetjmp(jb, 1))
			continue;
		switch (kind) {
		case NULL_READ:
		case PROT_NONE_READ:
		case PKEY_READ:
			(void)page[0];
			break;
		case WRITE_READONLY:
			page[0] = 1;
			break;
		case EXEC_NOEXEC:
			((void (*)(void))(uintptr_t)page)();
			break;
		}
		rep.other_errors++;	/* the access did not fault */
	}
	return pfs_report(&rep, sizeof(rep));
}

/* Check the row: 'col' == want, every other signal column 0. */
static void expect_only(const struct pfs_child *c, const char *col,
			unsigned long long want, const char *source)
{
	const struct pfs_row *row;
	struct pfs_table *t;
	size_t i;

	t = pfs_check_child(c, PFS_PROC_PATH, &row);
	for (i = 0; i < sizeof(signal_cols) / sizeof(signal_cols[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "row %s", signal_cols[i]);
		if (!strcmp(col, signal_cols[i]))
			pfs_expect_eq(what, pfs_col(t, row, signal_cols[i]), want, source);
		else
			pfs_expect_eq(what, pfs_col(t, row, signal_cols[i]), 0,
				      "the workload made none of these");
	}
	pfs_table_free(t);
}

static void run_segv(enum segv_kind kind, const char *col, const char *source)
{
	struct sig_report r;
	struct pfs_child c;

	pfs_run(&c, w_segv, (void *)(long)kind);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_eq("SIGSEGVs caught", r.caught, N, "20 bad accesses, each caught");
	pfs_expect_eq("of them with the expected si_code", r.code_ok, N,
		      "the kernel's si_code for this kind of access");
	expect_only(&c, col, N, source);
}

static void test_segv_null(void)
{
	run_segv(NULL_READ, "segv_maperr", "20 reads of address 0 (no mapping)");
}

static void test_segv_readonly(void)
{
	run_segv(WRITE_READONLY, "segv_accerr", "20 writes to a read-only page");
}

static void test_segv_prot_none(void)
{
	run_segv(PROT_NONE_READ, "segv_accerr", "20 reads of a PROT_NONE page");
}

static void test_segv_exec(void)
{
	run_segv(EXEC_NOEXEC, "segv_accerr", "20 jumps into a non-executable page");
}

/*
 * Protection keys: where the status says the CPU and the kernel have them,
 * 20 reads of a page whose key denies access; where it says not, the
 * kernel must agree (pkey_alloc() fails) and the case is skipped.
 */
static void test_segv_pkey(void)
{
	char v[32];
	long k;

	pfs_status_value("pkeys", v, sizeof(v));
	if (strcmp(v, "available")) {
		k = syscall(SYS_pkey_alloc, 0, 0);
		if (k >= 0)
			pfs_fail("status says pkeys %s, but pkey_alloc() gave key %ld", v, k);
		pfs_skip("no protection keys here (status pkeys %s; pkey_alloc: %s)", v,
			 strerror(errno));
	}
	run_segv(PKEY_READ, "segv_pkuerr", "20 reads of a page whose protection key denies access");
}

/* ---- SIGBUS from a truncated shared file mapping -------------------------- */

static int w_sigbus(void *arg)
{
	const char *path = arg;
	volatile char *p;
	volatile int i;		/* changed between sigsetjmp() and siglongjmp() */
	int fd;

	pfs_settle();
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 2 * PFS_PAGE))
		return 2;
	p = mmap(NULL, 2 * PFS_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 3;
	p[0] = 1;
	p[PFS_PAGE] = 1;
	if (ftruncate(fd, 0))		/* the mapping now lies beyond EOF */
		return 4;
	catch(SIGBUS, BUS_ADRERR);
	for (i = 0; i < N; i++) {
		if (sigsetjmp(jb, 1))
			continue;
		(void)p[(i % 2) * PFS_PAGE];
		rep.other_errors++;
	}
	close(fd);
	unlink(path);
	return pfs_report(&rep, sizeof(rep));
}

static void run_sigbus(const char *dir, const char *fs)
{
	char path[256];
	struct sig_report r;
	struct pfs_child c;

	if (access(dir, W_OK))
		pfs_skip("%s is not writable", dir);
	snprintf(path, sizeof(path), "%s/pfs-sigbus-%d", dir, (int)getpid());
	pfs_run(&c, w_sigbus, path);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_info("file %s (%s)", path, fs);
	pfs_expect_eq("SIGBUSes caught", r.caught, N, "20 reads beyond EOF, each caught");
	pfs_expect_eq("of them with si_code BUS_ADRERR", r.code_ok, N,
		      "the kernel's si_code for access beyond the end of a file");
	expect_only(&c, "sigbus", N,
		    "20 handle_mm_fault() calls that returned VM_FAULT_SIGBUS");
}

static void test_sigbus_tmpfs(void)
{
	run_sigbus("/tmp", "tmpfs: shmem_fault");
}

static void test_sigbus_ext4(void)
{
	run_sigbus("/mnt/disk", "ext4: filemap_fault");
}

/* ---- EFAULT --------------------------------------------------------------- */

/* A page-sized hole with mappings around it, inherited by the children. */
static char *hole;

static void make_hole(void)
{
	char *p;

	if (hole)
		return;
	p = mmap(NULL, 3 * PFS_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || munmap(p + PFS_PAGE, PFS_PAGE))
		pfs_fail("cannot make an unmapped page: %s", strerror(errno));
	hole = p + PFS_PAGE;
}

static int w_efault_getcpu(void *arg)
{
	int i;

	(void)arg;
	pfs_settle();
	for (i = 0; i < N; i++) {
		if (syscall(SYS_getcpu, hole, NULL, NULL) == -1 && errno == EFAULT)
			rep.efaults++;
		else
			rep.other_errors++;
	}
	return pfs_report(&rep, sizeof(rep));
}

static void test_efault_getcpu(void)
{
	struct sig_report r;
	struct pfs_child c;

	make_hole();
	pfs_run(&c, w_efault_getcpu, NULL);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_eq("getcpu() calls that returned EFAULT", r.efaults, N,
		      "20 calls with a pointer into an unmapped page");
	pfs_expect_eq("signals", r.caught, 0, "a fixed-up kernel access sends none");
	expect_only(&c, "efault", N,
		    "getcpu() stores with one put_user(): one fixed-up fault per call");
}

/* tracefs, to count kernel-mode faults on the hole independently. */
static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[256];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path),
			 "%s/events/exceptions/page_fault_kernel/enable", dirs[i]);
		if (!access(path, W_OK))
			return dirs[i];
	}
	return NULL;
}

static int trace_write(const char *dir, const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return pfs_write_file(path, val, strlen(val));
}

/*
 * The kernel's software page-fault event, kernel mode only, for this task:
 * do_page_fault() counts it on every fault before looking for a VMA, the
 * invalid ones included (arm64 has no exceptions:page_fault_kernel).
 */
static int kfault_counter(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_PAGE_FAULTS;
	a.exclude_user = 1;
	a.exclude_hv = 1;
	a.disabled = 1;
	return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static int w_efault_read(void *arg)
{
	int i, fd = open("/dev/zero", O_RDONLY), pfd = -1;
	long long n;

	if (fd < 0)
		return 2;
	rep.kfaults = -1;
	if (arg) {
		pfd = kfault_counter();
		if (pfd < 0)
			return 3;
	}
	pfs_settle();
	if (pfd >= 0)
		ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0);
	for (i = 0; i < N; i++) {
		if (read(fd, hole, PFS_PAGE) == -1 && errno == EFAULT)
			rep.efaults++;
		else
			rep.other_errors++;
	}
	if (pfd >= 0) {
		ioctl(pfd, PERF_EVENT_IOC_DISABLE, 0);
		if (read(pfd, &n, sizeof(n)) == sizeof(n))
			rep.kfaults = n;
	}
	return pfs_report(&rep, sizeof(rep));
}

static void efault_read_check(const struct pfs_child *c, const struct sig_report *r,
			      unsigned long long kfaults, const char *oracle)
{
	char source[256];

	pfs_expect_eq("read() calls that returned EFAULT", r->efaults, N,
		      "20 reads from /dev/zero into an unmapped page");
	pfs_expect_eq("signals", r->caught, 0, "a fixed-up kernel access sends none");
	pfs_expect_ge("kernel-mode faults on the page", kfaults, N,
		      "each read() faults at least once");
	snprintf(source, sizeof(source),
		 "one per kernel-mode fault on the page, counted by %s (copy routines "
		 "may retry the faulting byte)", oracle);
	expect_only(c, "efault", kfaults, source);
}

/* Without the x86 tracepoint: perf's page-fault event in the child. */
static void test_efault_read_perf(void)
{
	struct sig_report r;
	struct pfs_child c;

	pfs_run(&c, w_efault_read, "perf");
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_info("perf page-faults, kernel mode, during the reads: %lld", r.kfaults);
	efault_read_check(&c, &r, r.kfaults < 0 ? 0 : (unsigned long long)r.kfaults,
			  "perf's software page-fault event (exclude_user)");
}

static void test_efault_read(void)
{
	static char trace[1 << 20];
	const char *tr = tracefs();
	const char *ev = "events/exceptions/page_fault_kernel";
	char filter[128], ev_filter[128], ev_enable[128], trace_path[256], *s;
	unsigned long long kfaults = 0;
	struct sig_report r;
	struct pfs_child c;

	make_hole();
	if (!tr) {
		test_efault_read_perf();
		return;
	}
	snprintf(filter, sizeof(filter), "address >= 0x%lx && address < 0x%lx",
		 (unsigned long)hole, (unsigned long)hole + PFS_PAGE);
	snprintf(ev_filter, sizeof(ev_filter), "%s/filter", ev);
	snprintf(ev_enable, sizeof(ev_enable), "%s/enable", ev);
	snprintf(trace_path, sizeof(trace_path), "%s/trace", tr);
	if (trace_write(tr, ev_filter, filter))
		pfs_skip("cannot set a filter on %s", ev);
	trace_write(tr, "trace", "");
	trace_write(tr, ev_enable, "1");
	trace_write(tr, "tracing_on", "1");
	pfs_run(&c, w_efault_read, NULL);
	trace_write(tr, ev_enable, "0");
	pfs_read_file(trace_path, trace, sizeof(trace));
	for (s = trace; (s = strstr(s, "page_fault_kernel:")); s++)
		kfaults++;
	trace_write(tr, ev_filter, "0");

	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	efault_read_check(&c, &r, kfaults, "the exceptions:page_fault_kernel tracepoint");
}

/*
 * A kernel access that handle_mm_fault() fails with SIGBUS: read() into a
 * shared file mapping truncated beneath it. The system call fails with
 * EFAULT and no signal is sent, but the faults are not invalid ones: each
 * is a handle_mm_fault() call that returned VM_FAULT_SIGBUS (sigbus), none
 * an efault (x86 fixes these up without its bad-area path; arm64 reaches
 * __do_kernel_fault() for both, and the module tells them apart). The
 * kernel-mode faults are counted by perf in the child.
 */
static int w_sigbus_read(void *arg)
{
	const char *path = arg;
	int i, fd, zero, pfd;
	long long n;
	char *p;

	rep.kfaults = -1;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	zero = open("/dev/zero", O_RDONLY);
	pfd = kfault_counter();
	if (fd < 0 || zero < 0 || pfd < 0 || ftruncate(fd, PFS_PAGE))
		return 2;
	p = mmap(NULL, PFS_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 3;
	p[0] = 1;
	if (ftruncate(fd, 0))		/* the mapping now lies beyond EOF */
		return 4;
	pfs_settle();
	ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0);
	for (i = 0; i < N; i++) {
		if (read(zero, p, PFS_PAGE) == -1 && errno == EFAULT)
			rep.efaults++;
		else
			rep.other_errors++;
	}
	ioctl(pfd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(pfd, &n, sizeof(n)) == sizeof(n))
		rep.kfaults = n;
	close(fd);
	unlink(path);
	return pfs_report(&rep, sizeof(rep));
}

static void test_sigbus_read(void)
{
	char path[256];
	struct sig_report r;
	struct pfs_child c;

	snprintf(path, sizeof(path), "/tmp/pfs-sigbus-read-%d", (int)getpid());
	pfs_run(&c, w_sigbus_read, path);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_info("perf page-faults, kernel mode, during the reads: %lld", r.kfaults);
	pfs_expect_eq("read() calls that returned EFAULT", r.efaults, N,
		      "20 reads from /dev/zero into a mapping beyond EOF");
	pfs_expect_eq("signals", r.caught, 0, "a fixed-up kernel access sends none");
	pfs_expect_ge("kernel-mode faults on the page", r.kfaults, N,
		      "each read() faults at least once");
	expect_only(&c, "sigbus", r.kfaults < 0 ? 0 : (unsigned long long)r.kfaults,
		    "one handle_mm_fault() call returning VM_FAULT_SIGBUS per kernel-mode "
		    "fault, counted by perf's software page-fault event; none is an efault");
}

int main(void)
{
	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("20 NULL reads: segv_maperr == 20, nothing else", test_segv_null);
	pfs_test("20 writes to a read-only page: segv_accerr == 20", test_segv_readonly);
	pfs_test("20 reads of a PROT_NONE page: segv_accerr == 20", test_segv_prot_none);
	pfs_test("20 jumps into a non-exec page: segv_accerr == 20", test_segv_exec);
	pfs_test("20 reads denied by a protection key: segv_pkuerr == 20 (where pkeys exist)",
		 test_segv_pkey);
	pfs_test("20 reads past EOF of a truncated tmpfs mapping: sigbus == 20",
		 test_sigbus_tmpfs);
	pfs_test("20 reads past EOF of a truncated ext4 mapping: sigbus == 20",
		 test_sigbus_ext4);
	pfs_test("20 getcpu() into an unmapped page: efault == 20, no signal",
		 test_efault_getcpu);
	pfs_test("20 read() into an unmapped page: efault == kernel faults, no signal",
		 test_efault_read);
	pfs_test("20 read() into a mapping beyond EOF: sigbus == kernel faults, efault == 0",
		 test_sigbus_read);
	return pfs_exit();
}
