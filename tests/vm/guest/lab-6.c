// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 6: page faults that are errors (docs/labs/lab-6-errors.md).
 *
 * Each experiment runs in a fresh child, so the child's row in the module's
 * table holds exactly what it provoked:
 *   a  NULL dereference: no VMA at the address        -> segv_maperr 1
 *   b  write to a read-only mapping: VMA forbids it   -> segv_accerr 1
 *   c  stack overflow: the stack may not grow into the guard gap above the
 *      mapping below it                              -> segv_maperr 1
 *   d  read past the end of a truncated file mapping  -> sigbus 1
 *   e  read() into bad buffers: the kernel's own copy faults, is fixed up,
 *      and the call returns EFAULT; no signal         -> efault, no segv
 * Children report what their signal handler saw (si_code, si_addr) on a pipe.
 *   f  where each invalid access was: "pfstat run --where" of this program
 *      doing a, b, c and e in one process ("lab-6 --faults"), whose handler
 *      jumps back instead of exiting: each address and kind, and the
 *      instruction in this binary, inside the function that made the access
 */
#include <setjmp.h>
#include "lab-where.h"

static const int cols[] = { C_MINOR, C_MAJOR, C_SEGV_MAPERR, C_SEGV_ACCERR, C_SIGBUS,
			    C_EFAULT, -1 };

/* What a child's handler saw, sent to the parent. */
struct report {
	int sig, code;
	unsigned long addr;
	unsigned long lo, hi;		/* c: the guard gap; d: the bad page */
	long n;				/* c: stack pages grown; e: calls */
	int err[8];			/* e: errno of each call */
	unsigned long bad[8];		/* b: the page; e: each bad buffer */
};

static int report_fd = -1;
static struct report rep;
static char altstack[64 * 1024];
static bool jump_back;			/* f: the handler returns to 'back' */
static sigjmp_buf back;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	rep.sig = sig;
	rep.code = si->si_code;
	rep.addr = (unsigned long)si->si_addr;
	if (jump_back)
		siglongjmp(back, 1);
	if (write(report_fd, &rep, sizeof(rep)) != sizeof(rep))
		_exit(2);
	_exit(0);
}

/* In the child: catch SIGSEGV and SIGBUS on an alternate stack. */
static void catch_signals(void)
{
	struct sigaction sa;
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };

	if (sigaltstack(&ss, NULL))
		_exit(3);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * The instructions that fault in a, b and c are in functions of their own,
 * each in a section of its own, so that the linker's __start_SECTION and
 * __stop_SECTION symbols bound it: f checks that pfstat's instruction lies
 * between them.
 */
#define FAULTING(sec) __attribute__((noipa, section(#sec)))
extern const char __start_lab6_read[], __stop_lab6_read[];
extern const char __start_lab6_write[], __stop_lab6_write[];
extern const char __start_lab6_recurse[], __stop_lab6_recurse[];

static FAULTING(lab6_read) int read_at(const volatile int *p)
{
	return *p;
}

static FAULTING(lab6_write) void write_at(volatile char *p)
{
	*p = 1;
}

static int null_deref(void *arg)
{
	(void)arg;
	catch_signals();
	return read_at(NULL);
}

static int write_readonly(void *arg)
{
	char *p = mmap(NULL, LAB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		return 3;
	rep.bad[0] = (unsigned long)p;
	catch_signals();
	(void)*(volatile char *)p;	/* reading is allowed */
	write_at(p);			/* writing is not */
	return 0;
}

/* c: recursion, 4 KiB of stack per call, touched */
static volatile long depth, depth_max = 1L << 40;

static FAULTING(lab6_recurse) long recurse(long n)
{
	volatile char frame[4096];

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)n;
	depth = n;
	if (n > depth_max)
		return 0;
	return recurse(n + 1) + frame[100];
}

/* This process's /proc/self/maps, in a buffer of the caller's. */
static char *read_maps(char *maps, size_t sz)
{
	ssize_t n, len = 0;
	int fd = open("/proc/self/maps", O_RDONLY);

	if (fd >= 0) {
		while ((n = read(fd, maps + len, sz - 1 - len)) > 0)
			len += n;
		close(fd);
	}
	maps[len] = 0;
	return maps;
}

static unsigned long stack_start(void)
{
	char maps[32 * 1024], *pos, *l;
	unsigned long lo, hi;

	pos = read_maps(maps, sizeof(maps));
	while ((l = lab_line(&pos)))
		if (strstr(l, "[stack]") && sscanf(l, "%lx-%lx", &lo, &hi) == 2)
			return lo;
	return 0;
}

static unsigned long guard_gap(void)
{
	char cmd[4096], *p;

	if (!lab_read_str("/proc/cmdline", cmd, sizeof(cmd)) &&
	    (p = strstr(cmd, "stack_guard_gap=")))
		return strtoul(p + 16, NULL, 0) * LAB_PAGE;
	return 256 * LAB_PAGE;		/* mm/mmap.c: stack_guard_gap */
}

#define BLOCK_BELOW (4UL << 20)		/* blocker 4 MiB below the stack */

static int stack_overflow(void *arg)
{
	struct rlimit rl = { 64UL << 20, 64UL << 20 };
	unsigned long st, gap = guard_gap();
	char *blocker;

	(void)arg;
	/* a high stack limit: here the guard gap, not RLIMIT_STACK, stops us */
	setrlimit(RLIMIT_STACK, &rl);
	st = stack_start();
	if (!st)
		return 3;
	blocker = mmap((void *)(st - BLOCK_BELOW - LAB_PAGE), LAB_PAGE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (blocker == MAP_FAILED)
		return 5;
	rep.lo = (unsigned long)blocker + LAB_PAGE;	/* the gap starts here */
	rep.hi = rep.lo + gap;
	rep.n = (long)(st - rep.hi) / (long)LAB_PAGE;	/* growth allowed */
	catch_signals();
	return (int)recurse(0);
}

static char file_path[128];

static int truncated_file(void *arg)
{
	char *p;
	int fd;

	(void)arg;
	fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 2 * LAB_PAGE))
		return 3;
	p = mmap(NULL, 2 * LAB_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 3;
	(void)*(volatile char *)(p + LAB_PAGE);	/* fine: inside the file */
	if (ftruncate(fd, LAB_PAGE))		/* now the file is 1 page */
		return 3;
	rep.lo = (unsigned long)p + LAB_PAGE;
	catch_signals();
	return *(volatile char *)(p + LAB_PAGE);	/* past the end */
}

#define EFAULT_CALLS 3

static int bad_buffers(void *arg)
{
	char *none = mmap(NULL, LAB_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *unmapped = mmap(NULL, LAB_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *bad[EFAULT_CALLS];
	int pfd[2], i;

	(void)arg;
	if (none == MAP_FAILED || unmapped == MAP_FAILED || pipe(pfd))
		return 3;
	munmap(unmapped, LAB_PAGE);
	bad[0] = (void *)16;		/* near NULL: no VMA */
	bad[1] = unmapped;		/* was mapped, is not any more */
	bad[2] = none;			/* a VMA, but PROT_NONE */
	catch_signals();		/* would report a signal: none must come */
	for (i = 0; i < EFAULT_CALLS; i++) {
		if (write(pfd[1], "hello", 5) != 5)
			return 3;
		rep.err[i] = read(pfd[0], bad[i], 5) < 0 ? errno : 0;
		rep.bad[i] = (unsigned long)bad[i];
	}
	rep.n = EFAULT_CALLS;
	if (report_fd >= 0 && write(report_fd, &rep, sizeof(rep)) != sizeof(rep))
		return 2;
	return 0;
}

/* ---- f: the invalid accesses under pfstat run --where ------------------ */

/* a, b, c and e, in this order, in one process (the workload of f). */
#define NFAULTS 4
static int (*const fault_fn[NFAULTS])(void *) = {
	null_deref, write_readonly, stack_overflow, bad_buffers,
};

/*
 * "lab-6 --faults [FILE]": run a, b, c and e here, the handler jumping
 * back after each signal; say what each did, and write the reports to
 * FILE for the lab's checks. Then stay a moment, so that pfstat's reading
 * of /proc/PID/maps (every 0.1 s) sees this binary mapped.
 */
static int faults_here(const char *out)
{
	struct report all[NFAULTS];
	volatile int i;
	int fd;

	jump_back = true;
	for (i = 0; i < NFAULTS; i++) {
		memset(&rep, 0, sizeof(rep));
		if (!sigsetjmp(back, 1))
			fault_fn[i](NULL);
		all[i] = rep;
	}
	printf("lab-6: a. read at 0: signal %d, si_addr %#lx\n", all[0].sig, all[0].addr);
	printf("lab-6: b. write at %#lx: signal %d, si_addr %#lx\n", all[1].bad[0],
	       all[1].sig, all[1].addr);
	printf("lab-6: c. stack growth into the guard gap %#lx-%#lx: signal %d, si_addr %#lx\n",
	       all[2].lo, all[2].hi, all[2].sig, all[2].addr);
	for (i = 0; i < EFAULT_CALLS; i++)
		printf("lab-6: e. read() into %#lx: %s\n", all[3].bad[i], strerror(all[3].err[i]));
	fflush(stdout);
	usleep(500000);
	if (!out)
		return 0;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, all, sizeof(all)) != sizeof(all))
		return 2;
	close(fd);
	return 0;
}

/* The offset in this program's file of an address in it (-1: not found). */
static unsigned long file_offset(const void *addr)
{
	static char maps[32 * 1024];
	unsigned long lo, hi, off, a = (unsigned long)addr;
	char *pos, *l;

	pos = read_maps(maps, sizeof(maps));
	while ((l = lab_line(&pos)))
		if (sscanf(l, "%lx-%lx %*s %lx", &lo, &hi, &off) == 3 && a >= lo && a < hi)
			return a - lo + off;
	return -1UL;
}

/* The listed invalid access with this address and kind: its index, or -1. */
static int invalid_at(const struct jdoc *d, unsigned long addr, const char *kind, int from)
{
	const char *k;
	int i;

	for (i = from; (k = lab_jstr(d, "invalid.%d.kind", i)); i++)
		if (!strcmp(k, kind) &&
		    strtoul(lab_jstr(d, "invalid.%d.address", i) ?: "", NULL, 0) == addr)
			return i;
	return -1;
}

/* a, b, c: listed at the address, with the kind, the instruction in fn. */
static void expect_segv(const struct jdoc *d, const char *what, unsigned long addr,
			const char *kind, const char *fn, const char *start, const char *stop)
{
	unsigned long lo = file_offset(start), hi = lo + (unsigned long)(stop - start);
	unsigned long long off;
	const char *file;
	int i = invalid_at(d, addr, kind, 0);

	if (!lab_expect(i >= 0, "%s: listed at address %#lx, kind %s", what, addr, kind))
		return;
	file = lab_jstr(d, "invalid.%d.ip_file", i);
	off = strtoull(lab_jstr(d, "invalid.%d.ip_offset", i) ?: "-1", NULL, 0);
	lab_expect(file && !strcmp(file, lab_self_exe()) && off >= lo && off < hi,
		   "%s: instruction %s+%#llx, in %s() (%s+%#lx..%#lx)", what,
		   file ? file : "(none)", off, fn, lab_self_exe(), lo, hi);
}

/* Step f: pfstat run --where of faults_here(); checks its report. */
static void where_step(void)
{
	char *cmd[] = { (char *)lab_self_exe(), "--faults", "/tmp/lab-6-where.rep", NULL };
	const char *why = lab_where_missing();
	struct report all[NFAULTS], *e = &all[3];
	unsigned long long nef;
	struct jdoc *d;
	int i, j, n[EFAULT_CALLS];

	if (why) {
		lab_say("  skipped: %s", why);
		return;
	}
	d = lab_where(cmd, "/tmp/lab-6-where.json");
	i = open(cmd[2], O_RDONLY);
	if (i < 0 || read(i, all, sizeof(all)) != sizeof(all))
		lab_die("no report from lab-6 --faults in %s", cmd[2]);
	close(i);
	expect_segv(d, "a", 0, "segv_maperr", "read_at", __start_lab6_read, __stop_lab6_read);
	expect_segv(d, "b", all[1].bad[0], "segv_accerr", "write_at", __start_lab6_write,
		    __stop_lab6_write);
	lab_expect(all[2].addr >= all[2].lo && all[2].addr < all[2].hi,
		   "c: its address %#lx is in the guard gap", all[2].addr);
	expect_segv(d, "c", all[2].addr, "segv_maperr", "recurse", __start_lab6_recurse,
		    __stop_lab6_recurse);
	/* e: each bad buffer once, or twice on 6.1 (see the efault count above) */
	for (j = 0; j < EFAULT_CALLS; j++) {
		n[j] = 0;
		for (i = 0; (i = invalid_at(d, e->bad[j], "efault", i)) >= 0; i++)
			n[j] += !strcmp(lab_jstr(d, "invalid.%d.instruction", i) ?: "", "[kernel]");
	}
	nef = lab_jnum(d, "counts.efault");
	lab_expect((n[0] == 1 || n[0] == 2) && n[1] == n[0] && n[2] == n[0] &&
		   nef == (unsigned long long)EFAULT_CALLS * n[0],
		   "e: each bad buffer listed %d times as efault, instruction [kernel] (%d, %d, %d of %llu)",
		   n[0], n[0], n[1], n[2], nef);
	lab_expect(lab_jnum(d, "counts.segv_maperr") == 2 && lab_jnum(d, "counts.segv_accerr") == 1,
		   "no other SIGSEGV: segv_maperr 2 (a, c), segv_accerr 1 (b): %llu, %llu",
		   lab_jnum(d, "counts.segv_maperr"), lab_jnum(d, "counts.segv_accerr"));
	lab_expect(lab_jnum(d, "invalid_not_listed") == 0 && lab_jnum(d, "lost") == 0,
		   "every invalid access listed, no event lost");
	jfree(d);
}

/* Run fn in a child, show its row, return the row and its report. */
static struct lab_row run(int (*fn)(void *), struct report *r, int *status)
{
	struct lab_child c;
	struct lab_row row;
	int pfd[2];
	ssize_t n;

	if (pipe(pfd))
		lab_die("pipe: %s", strerror(errno));
	report_fd = pfd[1];
	memset(&rep, 0, sizeof(rep));
	c = lab_fork(fn, NULL);
	close(pfd[1]);
	memset(r, 0, sizeof(*r));
	n = read(pfd[0], r, sizeof(*r));
	close(pfd[0]);
	lab_wait(&c);
	*status = c.status;
	row = lab_row(c.pid, c.start);
	if (!row.found)
		lab_die("no row for child %d (start time %llu)", (int)c.pid, c.start);
	lab_say("  child pid %d %s", (int)c.pid, lab_status_str(c.status));
	if (n == sizeof(*r) && r->sig)
		lab_say("  its handler saw: signal %d (%s), si_code %d, si_addr %#lx",
			r->sig, strsignal(r->sig), r->code, r->addr);
	lab_show("its row:", &row, cols);
	return row;
}

static bool only(const struct lab_row *r, int col, unsigned long long want)
{
	static const int errs[] = { C_SEGV_MAPERR, C_SEGV_ACCERR, C_SIGBUS, C_EFAULT };
	size_t i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (r->v[errs[i]] != (errs[i] == col ? want : 0))
			return false;
	return true;
}

int main(int argc, char **argv)
{
	struct lab_row r;
	struct report rp;
	int status, i;

	if (argc >= 2 && !strcmp(argv[1], "--faults"))
		return faults_here(argc > 2 ? argv[2] : NULL);
	lab_args(argc, argv, "lab-6", "\n       lab-6 --faults [FILE]   (step f's workload)");
	lab_say("lab-6: page faults that are errors; pid %d", (int)getpid());
	lab_say("  (numbers: each child's row of %s, read after it ended)", lab_table_path());
	if (lab_read_str("/sys/kernel/debug/pagefault_stats/status", lab_buf, 4096) == 0 &&
	    strstr(lab_buf, "probe_bad_area off"))
		lab_skip("the module's bad-area probe is off: segv_* and efault are not counted here");

	lab_step("a. NULL pointer dereference: *(int *)NULL");
	r = run(null_deref, &rp, &status);
	lab_expect(rp.sig == SIGSEGV && rp.code == SEGV_MAPERR && rp.addr == 0,
		   "SIGSEGV, si_code SEGV_MAPERR (%d), address 0", SEGV_MAPERR);
	lab_expect(only(&r, C_SEGV_MAPERR, 1),
		   "segv_maperr = 1, every other error counter 0: no VMA covers address 0");

	lab_step("b. write to a page mapped PROT_READ");
	r = run(write_readonly, &rp, &status);
	lab_expect(rp.sig == SIGSEGV && rp.code == SEGV_ACCERR,
		   "SIGSEGV, si_code SEGV_ACCERR (%d)", SEGV_ACCERR);
	lab_expect(only(&r, C_SEGV_ACCERR, 1),
		   "segv_accerr = 1, every other error counter 0: the VMA exists but forbids writing");
	lab_expect(r.v[C_MINOR] >= 1, "the read before it was an ordinary minor fault");

	lab_step("c. stack overflow: recursion, 4 KiB per call, a mapping %lu MiB below the stack",
		 BLOCK_BELOW >> 20);
	r = run(stack_overflow, &rp, &status);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 5)
		lab_skip("could not map a page below the stack (MAP_FIXED_NOREPLACE)");
	lab_say("  guard gap %#lx-%#lx (%lu KiB above the mapping); the stack could grow %ld pages",
		rp.lo, rp.hi, (rp.hi - rp.lo) >> 10, rp.n);
	lab_expect(rp.sig == SIGSEGV && rp.code == SEGV_MAPERR,
		   "SIGSEGV, si_code SEGV_MAPERR: the stack was not allowed to grow");
	lab_expect(rp.addr >= rp.lo && rp.addr < rp.hi,
		   "the faulting address %#lx is inside the guard gap", rp.addr);
	lab_expect(only(&r, C_SEGV_MAPERR, 1), "segv_maperr = 1, every other error counter 0");
	lab_expect(r.v[C_MINOR] >= (unsigned long long)rp.n * 9 / 10,
		   "before that, each new stack page was a normal minor fault (~%ld): %llu",
		   rp.n, r.v[C_MINOR]);

	lab_step("d. read a mapped page after the file was truncated below it");
	snprintf(file_path, sizeof(file_path), "%s/lab-6.%d",
		 access("/mnt/disk", W_OK) ? "/tmp" : "/mnt/disk", (int)getpid());
	r = run(truncated_file, &rp, &status);
	unlink(file_path);
	lab_expect(rp.sig == SIGBUS && rp.code == BUS_ADRERR && rp.addr == rp.lo,
		   "SIGBUS, si_code BUS_ADRERR (%d), at the page past the new end", BUS_ADRERR);
	lab_expect(only(&r, C_SIGBUS, 1),
		   "sigbus = 1, every other error counter 0: the VMA is fine, the file has no page there");

	lab_step("e. read() from a pipe into %d bad buffers: address 16, an unmapped page, a PROT_NONE page",
		 EFAULT_CALLS);
	r = run(bad_buffers, &rp, &status);
	for (i = 0; i < EFAULT_CALLS; i++)
		lab_say("  read() #%d: %s", i + 1, rp.err[i] ? strerror(rp.err[i]) : "succeeded");
	lab_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0 && rp.sig == 0,
		   "no signal: the process carried on");
	lab_expect(rp.n == EFAULT_CALLS && rp.err[0] == EFAULT && rp.err[1] == EFAULT &&
		   rp.err[2] == EFAULT, "every call failed with EFAULT");
	lab_expect(r.v[C_SEGV_MAPERR] + r.v[C_SEGV_ACCERR] + r.v[C_SIGBUS] == 0,
		   "no segv_* or sigbus: the faults happened in kernel mode");
	/*
	 * How often one bad copy faults is the copy routine's choice: 6.1's
	 * x86 copy_user_enhanced_fast_string() retries the tail byte by byte
	 * (copy_user_handle_tail()) after its first fault, a second fault on
	 * the same byte; 6.12's rep_movs_alternative() / rep movsb stop at the
	 * first; arm64's __arch_copy_to_user() tries one byte more after its
	 * first fault (copy_to_user.S), a second fault. Either way the same
	 * number for every call.
	 */
	lab_expect(r.v[C_EFAULT] == EFAULT_CALLS || r.v[C_EFAULT] == 2 * EFAULT_CALLS,
		   "efault = %d or %d: one kernel fault per call, or two where the copy routine retries the faulting byte: %llu",
		   EFAULT_CALLS, 2 * EFAULT_CALLS, r.v[C_EFAULT]);

	lab_step("f. where: a, b, c and e in one process under pfstat run --where");
	where_step();
	return lab_finish();
}
