// SPDX-License-Identifier: GPL-2.0
/*
 * mode=direct (issue 17): handle_mm_fault() through the module's own
 * ftrace direct-call trampoline.
 *
 * Faults that sleep for as long as the test wants: each of N_SLEEPERS
 * threads of a child touches its own page of a region registered with
 * userfaultfd (missing pages), and sleeps in handle_mm_fault(), in
 * handle_userfault(), until the child's monitor thread fills the page
 * (UFFDIO_COPY, a byte pattern of the page's own) on the parent's word.
 * The kernel counts each such fault as the retried call after the wait: a
 * major fault up to 6.1 (FAULT_FLAG_TRIED), a minor one with per-VMA locks
 * (6.12, 7.2); the oracle is the child's rusage.
 *
 * - status and /proc/pagefault_stats say direct is in use (x86-64: every
 *   kernel here has ftrace direct calls), or, on an architecture without
 *   the trampoline, that it fell back to the kretprobe, and why;
 * - the stack of a task sleeping in such a fault (/proc/PID/task/TID/stack,
 *   the kernel's unwinder) is complete through the trampoline: below the
 *   body, pfs_direct_fault*() and pfs_direct_tramp, then handle_mm_fault()
 *   at its ftrace site and its real caller (do_user_addr_fault where the
 *   kernel has it as a function, then exc_page_fault, asm_exc_page_fault);
 * - 64 sleepers woken with the module loaded: the row equals rusage;
 * - rmmod while 64 tasks sleep in faults inside the trampoline: rmmod waits
 *   until they have returned through it, each thread then sees its page's
 *   pattern (the body's result came back to the right caller), nothing
 *   crashes (the run's dmesg check), and the module loads again.
 *
 * "mod_direct perf" (the events list, which has perf in the guest): perf's
 * kernel callchains through the trampoline, taken at sched:sched_switch as
 * each toucher goes to sleep in its fault, hold the same frames.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_test.h"

#define N_SLEEPERS	64

/* What the child tells the parent, and hears back, over two pipes. */
struct uf_child {
	int up[2];	/* child -> parent: one byte when all sleep */
	int down[2];	/* parent -> child: one byte to wake them */
};

struct uf_report {
	int sleeping;		/* faults the monitor saw before the word */
	int wrong;		/* threads whose page read back wrong */
};

static char *uf_region;
static int uf_fd;
static pthread_barrier_t uf_barrier;
static volatile int uf_wrong;

static void *uf_toucher(void *arg)
{
	long i = (long)arg;
	volatile unsigned char *p = (unsigned char *)uf_region + i * PFS_PAGE;

	pthread_barrier_wait(&uf_barrier);
	if (p[0] != (unsigned char)(i + 1) || p[PFS_PAGE - 1] != (unsigned char)(i + 1))
		__atomic_add_fetch(&uf_wrong, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* Read N_SLEEPERS page-fault messages: every toucher now sleeps. */
static int uf_wait_all(void)
{
	struct uffd_msg msg;
	int seen = 0;

	while (seen < N_SLEEPERS) {
		struct pollfd pfd = { .fd = uf_fd, .events = POLLIN };

		if (poll(&pfd, 1, 30000) != 1)
			break;
		if (read(uf_fd, &msg, sizeof(msg)) != sizeof(msg))
			break;
		if (msg.event == UFFD_EVENT_PAGEFAULT)
			seen++;
	}
	return seen;
}

static int uf_fill_all(void)
{
	static unsigned char page[1 << 16];
	long i;

	for (i = 0; i < N_SLEEPERS; i++) {
		struct uffdio_copy c = {
			.dst = (unsigned long)uf_region + i * PFS_PAGE,
			.src = (unsigned long)page,
			.len = PFS_PAGE,
		};

		memset(page, (int)(i + 1), PFS_PAGE);
		if (ioctl(uf_fd, UFFDIO_COPY, &c))
			return -1;
	}
	return 0;
}

/*
 * The child: N_SLEEPERS threads fault and sleep; when all do it says so,
 * waits for the parent's word, fills their pages and joins them.
 */
static int w_sleepers(void *arg)
{
	struct uf_child *ch = arg;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	struct uf_report rep = { 0 };
	pthread_t th[N_SLEEPERS];
	pthread_attr_t attr;
	char b = 1;
	long i;

	close(ch->up[0]);
	close(ch->down[1]);
	uf_fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uf_fd < 0 || ioctl(uf_fd, UFFDIO_API, &api))
		return 10;
	uf_region = mmap(NULL, N_SLEEPERS * PFS_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (uf_region == MAP_FAILED)
		return 11;
	reg.range.start = (unsigned long)uf_region;
	reg.range.len = N_SLEEPERS * PFS_PAGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uf_fd, UFFDIO_REGISTER, &reg))
		return 12;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_barrier_init(&uf_barrier, NULL, N_SLEEPERS);
	for (i = 0; i < N_SLEEPERS; i++)
		if (pthread_create(&th[i], &attr, uf_toucher, (void *)i))
			return 13;
	rep.sleeping = uf_wait_all();
	if (write(ch->up[1], &b, 1) != 1)
		return 14;
	if (read(ch->down[0], &b, 1) != 1)
		return 15;
	if (uf_fill_all())
		return 16;
	for (i = 0; i < N_SLEEPERS; i++)
		pthread_join(th[i], NULL);
	rep.wrong = uf_wrong;
	return pfs_report(&rep, sizeof(rep)) ? 17 : 0;
}

static void uf_start(struct pfs_child *c, struct uf_child *ch)
{
	char b;

	if (pipe(ch->up) || pipe(ch->down))
		pfs_fail("pipe: %m");
	pfs_spawn(c, w_sleepers, ch);
	close(ch->up[1]);
	close(ch->down[0]);
	if (read(ch->up[0], &b, 1) != 1)
		pfs_fail("the sleepers' child died before its faults slept");
}

static void uf_wake(struct uf_child *ch)
{
	char b = 1;

	if (write(ch->down[1], &b, 1) != 1)
		pfs_fail("cannot tell the child to wake its faults: %m");
	close(ch->down[1]);
	close(ch->up[0]);
}

static void uf_check(struct pfs_child *c)
{
	struct uf_report rep;

	pfs_reap(c);
	pfs_require_clean_exit(c);
	pfs_get_report(c, &rep, sizeof(rep));
	pfs_expect_eq("faults asleep in handle_userfault() at once", rep.sleeping,
		      N_SLEEPERS, "one userfaultfd message per thread's page");
	pfs_expect_eq("threads whose page read back wrong", rep.wrong, 0,
		      "each fault returned the body's result to its own caller");
}

static bool arch_has_direct(void)
{
#if defined(__x86_64__)
	return true;
#else
	return false;
#endif
}

static void load_direct(void)
{
	if (pfs_module_reload("mode=direct") != 0)
		pfs_fail("insmod mode=direct failed (/tmp/insmod.err)");
	pfs_require_module();
}

static void test_status(void)
{
	struct pfs_table *t;
	char v[160];

	load_direct();
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_info("direct_reason: %s", pfs_status_value("direct_reason", v, sizeof(v)));
	if (arch_has_direct()) {
		pfs_expect_str("mode in /proc/pagefault_stats", pfs_global_word(t, "mode"),
			       "direct", "x86-64: every kernel here has ftrace direct calls");
		pfs_expect_str("status direct", pfs_status_value("direct", v, sizeof(v)),
			       "in_use", "registered on handle_mm_fault");
		pfs_expect_str("status maxactive", pfs_status_value("maxactive", v, sizeof(v)),
			       "0", "no return-hook pool bounds the calls in flight");
	} else {
		pfs_expect_str("mode in /proc/pagefault_stats", pfs_global_word(t, "mode"),
			       "kretprobe", "no trampoline for this architecture: the fallback");
		pfs_expect_str("status direct", pfs_status_value("direct", v, sizeof(v)),
			       "fallback", "asked for, not possible here");
	}
	pfs_table_free(t);
}

/* Whether the kernel has @sym as a function of its own (not inlined). */
static bool kernel_has(const char *sym)
{
	static char *syms;
	char pat[96];

	if (!syms)
		syms = pfs_slurp_or_fail("/proc/kallsyms");
	snprintf(pat, sizeof(pat), " %s\n", sym);
	return strstr(syms, pat) != NULL;
}

/*
 * Whether the frames of @stack (/proc/.../stack: "[<0>] name+0x../0x.."
 * lines, innermost first) hold @want in order, each a prefix of a frame's
 * function name; the first missing one in *@missing.
 */
static bool frames_in_order(char *stack, const char * const *want, size_t n,
			    const char **missing)
{
	size_t k = 0;
	char *l, *save;

	for (l = strtok_r(stack, "\n", &save); l && k < n; l = strtok_r(NULL, "\n", &save)) {
		char *name = strchr(l, ' ');

		if (name && !strncmp(name + 1, want[k], strlen(want[k])))
			k++;
	}
	*missing = k < n ? want[k] : NULL;
	return k == n;
}

/*
 * The frames of a task asleep in a fault through the trampoline, innermost
 * first: the sleep, the body, the halves, the trampoline, the function at
 * its ftrace site and its callers. Returns how many (at most 8).
 */
static size_t want_frames(const char **want)
{
	size_t n = 0;

	want[n++] = "handle_userfault";
	want[n++] = "handle_mm_fault";		/* the body */
	want[n++] = "pfs_direct_fault";		/* probes.c: the halves */
	want[n++] = "pfs_direct_tramp";		/* direct_x86.S */
	want[n++] = "handle_mm_fault";		/* at its ftrace site */
	if (kernel_has("do_user_addr_fault"))
		want[n++] = "do_user_addr_fault";
	want[n++] = "exc_page_fault";
	want[n++] = "asm_exc_page_fault";
	return n;
}

static void test_stack(void)
{
	const char *want[8], *missing = NULL;
	struct pfs_child c;
	struct uf_child ch;
	char dir[64], path[384];
	int checked = 0, complete = 0;
	struct dirent *de;
	size_t n;
	DIR *d;

	if (!arch_has_direct())
		pfs_skip("no direct-call trampoline on this architecture");
	load_direct();
	n = want_frames(want);
	uf_start(&c, &ch);
	snprintf(dir, sizeof(dir), "/proc/%d/task", c.pid);
	d = opendir(dir);
	if (!d)
		pfs_fail("opendir %s: %m", dir);
	while ((de = readdir(d))) {
		char *stack;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/stack", dir, de->d_name);
		stack = pfs_slurp(path, NULL);
		if (!stack || !strstr(stack, "handle_userfault")) {
			free(stack);
			continue;
		}
		if (!checked)
			pfs_info("a sleeping fault's stack:\n%s", stack);
		checked++;
		if (frames_in_order(stack, want, n, &missing))
			complete++;
		else
			pfs_info("task %s: no %s frame where expected", de->d_name, missing);
		free(stack);
	}
	closedir(d);
	uf_wake(&ch);
	uf_check(&c);
	pfs_expect_eq("tasks found asleep in handle_userfault()", checked, N_SLEEPERS,
		      "every toucher thread sleeps in its fault");
	pfs_expect_eq("of them, stacks complete through the trampoline", complete,
		      checked, "handle_mm_fault's callers below pfs_direct_tramp");
}

static void test_counts(void)
{
	const struct pfs_row *row;
	struct pfs_table *t;
	struct pfs_child c;
	struct uf_child ch;

	load_direct();
	uf_start(&c, &ch);
	uf_wake(&ch);
	uf_check(&c);
	/*
	 * The kernel's rule for a woken userfaultfd fault: its call returns
	 * VM_FAULT_RETRY and the retry counts. Up to 6.1 the retry has
	 * FAULT_FLAG_TRIED: a major fault. With per-VMA locks (6.12, 7.2)
	 * the retry is TRIED only when the first call returned MAJOR, which a
	 * userfault does not: a minor fault. Either way rusage says, and the
	 * row must say the same.
	 */
	pfs_info("the child's faults: %ld minor, %ld major (woken userfaults count major up to 6.1, minor with per-VMA locks)",
		 c.ru.ru_minflt, c.ru.ru_majflt);
	pfs_expect_ge("kernel faults of the child", c.ru.ru_minflt + c.ru.ru_majflt,
		      N_SLEEPERS, "each woken fault counts once, minor or major");
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	pfs_table_free(t);
	t = pfs_table_get(PFS_PROC_PATH);
	pfs_expect_eq("nmissed", pfs_global(t, "nmissed"), 0, "nothing to run out of");
	pfs_table_free(t);
}

static void test_unload(void)
{
	struct pfs_child c;
	struct uf_child ch;
	pid_t rm;
	int st, done;
	char *const rmmod[] = { "rmmod", "pagefault_stats", NULL };

	load_direct();
	uf_start(&c, &ch);
	rm = pfs_exec_start(rmmod, "/tmp/rmmod.out", "/tmp/rmmod.out");
	sleep(2);
	done = waitpid(rm, &st, WNOHANG);
	if (arch_has_direct())
		pfs_expect_eq("rmmod still waiting after 2 s", done, 0,
			      "64 faults sleep inside the trampoline");
	uf_wake(&ch);
	if (!done)
		st = pfs_exec_wait(rm);
	else
		st = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	pfs_expect_eq("rmmod exit status", st, 0, "it returns once the faults have");
	uf_check(&c);
	pfs_expect_true("module unloaded", !pfs_module_loaded(), "rmmod succeeded");
	load_direct();
}

/*
 * perf script's sched_switch samples of the sleepers' child: each sample a
 * header line, then one "\tADDR SYM+0xOFF (DSO)" line a frame. Counts the
 * samples that went to sleep in handle_userfault (*@asleep) and those whose
 * frames hold @want in order (returned).
 */
static int perf_complete(const char *path, const char **want, size_t n, int *asleep)
{
	char *all = pfs_slurp_or_fail(path), *l, *save, frames[8192];
	size_t flen = 0;
	int complete = 0;
	const char *missing;

	*asleep = 0;
	frames[0] = '\0';
	for (l = strtok_r(all, "\n", &save);; l = strtok_r(NULL, "\n", &save)) {
		if (!l || l[0] != '\t') {
			/* a sample ends: judge its frames (as " SYM" lines) */
			if (strstr(frames, " handle_userfault")) {
				(*asleep)++;
				complete += frames_in_order(frames, want, n, &missing);
			}
			frames[0] = '\0';
			flen = 0;
			if (!l)
				break;
			continue;
		}
		{
			/* "\t  ffffffff81001234 sym+0x12 (dso)": past the address */
			char *sym = l + strspn(l, " \t");

			sym += strcspn(sym, " ");
			sym += strspn(sym, " ");
			if (flen + strlen(sym) + 4 < sizeof(frames))
				flen += (size_t)sprintf(frames + flen, "x %s\n", sym);
		}
	}
	free(all);
	return complete;
}

/* The child of @parent whose comm is @comm, once it has one (a minute). */
static pid_t child_named(pid_t parent, const char *comm)
{
	double until = pfs_now() + 60.0 * pfs_time_scale();
	char path[64], want[64], *st;
	struct dirent *de;
	DIR *d;

	snprintf(want, sizeof(want), "(%s) ", comm);
	while (pfs_now() < until) {
		d = opendir("/proc");
		while (d && (de = readdir(d))) {
			pid_t pid = (pid_t)atoi(de->d_name);
			char *r;
			int ppid;

			if (pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			st = pfs_slurp(path, NULL);
			r = st ? strstr(st, want) : NULL;
			if (r && sscanf(r + strlen(want), "%*c %d", &ppid) == 1 && ppid == parent) {
				free(st);
				closedir(d);
				return pid;
			}
			free(st);
		}
		if (d)
			closedir(d);
		usleep(100 * 1000);
	}
	return 0;
}

static void test_perf(void)
{
	char *rec[] = { "perf", "record", "-q", "-g", "-a", "-e", "sched:sched_switch",
			"-o", "/tmp/direct.perf", "--", "sleep", "600", NULL };
	char *scr[] = { "perf", "script", "-i", "/tmp/direct.perf", "-F", "comm,tid,ip,sym",
			NULL };
	const char *want[8];
	struct pfs_child c;
	struct uf_child ch;
	int asleep, complete, st;
	size_t n;
	pid_t p, sl;

	if (!arch_has_direct())
		pfs_skip("no direct-call trampoline on this architecture");
	load_direct();
	n = want_frames(want);
	p = pfs_exec_start(rec, "/tmp/direct.perf.log", "/tmp/direct.perf.log");
	/* perf records once it runs its workload, sleep: then the faults */
	sl = child_named(p, "sleep");
	if (!sl) {
		kill(p, SIGINT);
		pfs_exec_wait(p);
		pfs_fail("perf record did not start its workload: %s",
			 pfs_slurp_or_fail("/tmp/direct.perf.log"));
	}
	uf_start(&c, &ch);
	sleep(1);
	kill(sl, SIGTERM);	/* its workload ends: perf writes and exits */
	st = pfs_exec_wait(p);
	pfs_info("perf record: exit %d: %s", st, pfs_slurp_or_fail("/tmp/direct.perf.log"));
	uf_wake(&ch);
	uf_check(&c);
	if (pfs_exec_wait(pfs_exec_start(scr, "/tmp/direct.script", "/tmp/direct.script.err")) != 0)
		pfs_fail("perf script failed: %s", pfs_slurp_or_fail("/tmp/direct.script.err"));
	complete = perf_complete("/tmp/direct.script", want, n, &asleep);
	if (!asleep) {
		char *out = pfs_slurp_or_fail("/tmp/direct.script");

		out[strlen(out) > 3000 ? 3000 : strlen(out)] = '\0';
		pfs_info("perf script's first samples:\n%s", out);
		free(out);
	}
	pfs_expect_ge("perf samples of a toucher going to sleep in its fault", asleep,
		      N_SLEEPERS, "sched_switch as each of 64 threads sleeps");
	pfs_expect_eq("of them, callchains complete through the trampoline", complete,
		      asleep, "handle_mm_fault's callers below pfs_direct_tramp");
}

int main(int argc, char **argv)
{
	pfs_begin();
	atexit(pfs_module_restore);
	if (argc == 2 && !strcmp(argv[1], "perf")) {
		pfs_test("perf's callchains of faults asleep in the trampoline are complete",
			 test_perf);
		return pfs_exit();
	}
	pfs_test("mode=direct: in use (x86-64), or the kretprobe and why", test_status);
	pfs_test("a task sleeping in a fault: its stack is complete through the trampoline",
		 test_stack);
	pfs_test("64 faults sleeping in the trampoline, then woken: row equals rusage",
		 test_counts);
	pfs_test("rmmod while 64 faults sleep in the trampoline: it waits, they return right",
		 test_unload);
	return pfs_exit();
}
