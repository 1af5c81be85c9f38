/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfs_test: a small library for the in-guest exactness tests of
 * pagefault_stats.  Link every .c file of tests/vm/guest/lib; include this header.
 *
 * A test program is a list of sub-tests.  Each sub-test usually
 *   1. runs a workload in a forked child (pfs_run),
 *   2. reads the module's table (pfs_table_read) and finds the child's row by
 *      (pid, start_time) (pfs_table_find),
 *   3. states what the row must hold with pfs_expect_*(), naming where each
 *      expected number comes from (wait4() rusage, /proc/<pid>/stat, a count
 *      known by construction, ...).
 *
 * Output is TAP 13 as kselftest prints it ("ok N - name", "not ok N - name",
 * "ok N - name # SKIP reason"); detail lines start with "# ".  pfs_exit()
 * prints the totals and exits 0 (all passed), 1 (something failed) or
 * 4 (everything was skipped).
 *
 *	int main(void)
 *	{
 *		pfs_begin();
 *		pfs_test("anonymous first touch counts one minor per page",
 *			 test_anon_first_touch);
 *		return pfs_exit();
 *	}
 */
#ifndef PFS_TEST_H
#define PFS_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#define PFS_PROC_PATH		"/proc/pagefault_stats"
#define PFS_DEBUGFS_DIR		"/sys/kernel/debug/pagefault_stats"
#define PFS_DEBUGFS_PROCS	PFS_DEBUGFS_DIR "/procs"
#define PFS_MODULE_KO		"/lib/modules/pagefault_stats.ko"
#define PFS_FORMAT_VERSION	1

#define PFS_PAGE		4096UL

/* ---- reporting ------------------------------------------------------------ */

/* Start the TAP stream.  Call once, first thing in main(). */
void pfs_begin(void);

/*
 * Run one sub-test: fn() makes its assertions with pfs_expect_*() and may end
 * early with pfs_skip() / pfs_fail() (which return to here, not exit).
 * Prints "ok" / "not ok" / "# SKIP" for it.
 */
void pfs_test(const char *name, void (*fn)(void));

/* Print the totals line and exit: 0 all passed, 1 any failed, 4 all skipped. */
int pfs_exit(void) __attribute__((noreturn));

/* A "# "-prefixed detail line. */
void pfs_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* End the current sub-test as skipped / failed, with a reason. */
void pfs_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void pfs_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * Assertions.  "what" names the measured quantity, "source" says where the
 * expected number comes from.  Each prints one line, e.g.
 *   # ok:   row minor = 1034 (== wait4 rusage ru_minflt of the child)
 *   # FAIL: row minor = 1030, want 1034 (wait4 rusage ru_minflt of the child)
 * A failed assertion marks the sub-test failed and lets it go on.
 * They return whether the assertion held.
 */
bool pfs_expect_eq(const char *what, unsigned long long got,
		   unsigned long long want, const char *source);
bool pfs_expect_ge(const char *what, unsigned long long got,
		   unsigned long long min, const char *source);
bool pfs_expect_le(const char *what, unsigned long long got,
		   unsigned long long max, const char *source);
bool pfs_expect_true(const char *what, bool cond, const char *why);
bool pfs_expect_str(const char *what, const char *got, const char *want,
		    const char *source);

/*
 * How much slower than the stock kernel this one is: PFS_TIME_SCALE in the
 * environment (tests/vm/run --time-scale), else 1. A test that waits a
 * fixed time, or gives a tool a fixed interval, multiplies it by this.
 */
unsigned int pfs_time_scale(void);
/* CLOCK_MONOTONIC in seconds, for a test that reports how long it took. */
double pfs_now(void);

/* ---- workloads in a child ------------------------------------------------- */

#define PFS_REPORT_MAX 4096

struct pfs_child {
	pid_t pid;
	unsigned long long start_time;	/* /proc/<pid>/stat field 22, read as a zombie */
	char comm[64];			/* /proc/<pid>/stat field 2, read as a zombie */
	unsigned long stat_minflt;	/* field 10: the child itself, all threads */
	unsigned long stat_cminflt;	/* field 11: its reaped descendants */
	unsigned long stat_majflt;	/* field 12 */
	unsigned long stat_cmajflt;	/* field 13 */
	pid_t ppid;			/* who forked it (getpid() in pfs_spawn) */
	int status;			/* wait4() status */
	struct rusage ru;		/* wait4(): the child plus its reaped descendants */
	size_t report_len;		/* bytes the child sent with pfs_report() */
	unsigned char report[PFS_REPORT_MAX];
	/* private */
	int report_fd;
};

/*
 * Fork a child that runs fn(arg) and _exit()s with its return value.
 * pfs_spawn() returns at once (pid in c->pid); pfs_reap() waits for the
 * child, reads its start time, comm and fault counts from /proc/<pid>/stat
 * while it is a zombie (waitid(WEXITED|WNOWAIT): the pid cannot be reused
 * yet), then reaps it with wait4() for the rusage, and collects its report.
 * pfs_run() is both.  Failing to fork/wait fails the sub-test.
 * They work in a child too (a workload may run its own children).
 */
void pfs_spawn(struct pfs_child *c, int (*fn)(void *), void *arg);
/* fork() with stdio flushed first; fails the sub-test if it cannot fork. */
pid_t pfs_fork(void);
/* Run argv in a child (argv[0] looked up in PATH), stdout to @out (NULL:
 * /dev/null), stderr to @err (NULL: left as it is; @out: the same file);
 * its pid. A command that cannot run exits 127. */
pid_t pfs_exec_start(char *const argv[], const char *out, const char *err);
/* Wait for it: its exit status, 128+N if a signal N killed it. */
int pfs_exec_wait(pid_t pid);
void pfs_reap(struct pfs_child *c);
void pfs_run(struct pfs_child *c, int (*fn)(void *), void *arg);

/* Copy the child's report into buf; fails unless it sent exactly len bytes. */
void pfs_get_report(const struct pfs_child *c, void *buf, size_t len);

/* The child ran to completion and exited 0 (else fails the sub-test). */
void pfs_require_clean_exit(const struct pfs_child *c);

/*
 * In a child: send len bytes to the parent (c->report); call once, just
 * before returning.  Returns 0 or -1.  The fd survives exec: pfs_report_fd()
 * gives it (-1 outside a pfs child) and pfs_report_to() uses a given fd.
 */
int pfs_report(const void *buf, size_t len);
int pfs_report_fd(void);
int pfs_report_to(int fd, const void *buf, size_t len);

/*
 * Fault counts of the calling process (RUSAGE_SELF) or thread
 * (RUSAGE_THREAD).  The result buffer is written before the syscall, so a
 * call never faults after the kernel took its snapshot.
 */
struct pfs_faults {
	unsigned long long minor, major;
};
struct pfs_faults pfs_faults_self(void);
struct pfs_faults pfs_faults_thread(void);

/* b - a */
static inline struct pfs_faults pfs_faults_sub(struct pfs_faults b,
					       struct pfs_faults a)
{
	struct pfs_faults d = { b.minor - a.minor, b.major - a.major };

	return d;
}

/*
 * Prefault the program's own text, data, bss, heap and stack (and 256 KiB of
 * stack below the caller), so a measured section afterwards faults only on
 * the memory it touches itself.  Call it in the child before the first
 * measurement, and before mapping the memory the workload will measure.
 */
void pfs_settle(void);

/* mmap of private anonymous memory without THP; fails the sub-test. */
void *pfs_map_anon(size_t len);
/* A workload for pfs_run(): map (uintptr_t)@pages fresh anonymous pages
 * and write a byte to each, a minor fault each. */
int pfs_touch_fresh(void *pages);
#define PFS_PAGES(n) ((void *)(uintptr_t)(n))

/* ---- file-backed memory on the test disk -------------------------------- */

/* The 64 MiB file on the guest's ext4 disk (PFS_DISK_FILE in the environment
 * overrides it, e.g. to try a workload on a host). */
#define PFS_DISK_FILE "/mnt/disk/data64m"
const char *pfs_disk_file(void);

/*
 * Map len bytes of the disk file at off (MAP_SHARED, read-only) after
 * dropping that range from the page cache (fsync + POSIX_FADV_DONTNEED), and
 * apply madvise(advice) (MADV_RANDOM: no readahead, so one major fault per
 * page).  *resident = pages mincore() still finds cached (should be 0).
 * Fails the sub-test on error.
 */
char *pfs_map_evicted(off_t off, size_t len, int advice, size_t *resident);

/* ---- the module's table --------------------------------------------------- */

struct pfs_row {
	char **field;			/* raw fields, as many as the header has */
	char comm[64];			/* comm unescaped (NUL-terminated) */
	size_t comm_len;		/* its length (a comm may hold a \0 escape) */
};

struct pfs_table {
	int version;
	size_t nglobal;
	char **gkey, **gval;		/* global block, in file order */
	size_t ncol;
	char **col;			/* header names */
	size_t nrow;
	struct pfs_row *row;
	char *text;			/* the whole file, owned */
};

/*
 * Read and validate a table file (PFS_PROC_PATH or PFS_DEBUGFS_PROCS):
 * "pagefault_stats 1" first, a global block, one blank line, a header whose
 * first word is "pid", rows with exactly the header's field count.  Returns
 * NULL after printing what was wrong (the caller usually pfs_fail()s).
 */
struct pfs_table *pfs_table_read(const char *path);
/* Like pfs_table_read(), but fails the sub-test on error. */
struct pfs_table *pfs_table_get(const char *path);
void pfs_table_free(struct pfs_table *t);

/* Global key as a number / raw word; fail the sub-test if absent. */
unsigned long long pfs_global(const struct pfs_table *t, const char *key);
const char *pfs_global_word(const struct pfs_table *t, const char *key);
/* Global key, or 'dflt' if absent. */
unsigned long long pfs_global_or(const struct pfs_table *t, const char *key,
				 unsigned long long dflt);

/* Index of a column, -1 if the header lacks it. */
int pfs_col_index(const struct pfs_table *t, const char *name);

/* The row of process (pid, start_time), or NULL. */
const struct pfs_row *pfs_table_find(const struct pfs_table *t, pid_t pid,
				     unsigned long long start_time);
/* Number of rows with this pid (any start time). */
size_t pfs_table_count_pid(const struct pfs_table *t, pid_t pid);

/* A row's numeric / raw column; fails the sub-test if the column is missing
 * or not a number. */
unsigned long long pfs_col(const struct pfs_table *t, const struct pfs_row *r,
			   const char *name);
const char *pfs_col_str(const struct pfs_table *t, const struct pfs_row *r,
			const char *name);

/* Unescape a comm field (\ooo octal escapes) into out; returns the length. */
size_t pfs_unescape_comm(const char *in, char *out, size_t outsz);

/*
 * The central check: the module's row of a reaped child equals the kernel's
 * own accounting.  Reads PFS_PROC_PATH, finds (c->pid, c->start_time) (fails
 * the sub-test if absent), and expects
 *   minor == ru_minflt - stat_cminflt == stat_minflt   (and same for major),
 *   state == exited, comm as in /proc/<pid>/stat, ppid == c->ppid,
 * and pfs_check_row_invariants().
 * Returns the table (caller frees) and the row through *rowp.
 */
struct pfs_table *pfs_check_child(const struct pfs_child *c,
				  const char *path,
				  const struct pfs_row **rowp);

/*
 * What holds for any row: remote <= minor + major; where the debugfs columns
 * are present read + write + exec == minor + major, the causes sum to at most
 * minor (resp. major), fault_max_ns <= fault_ns.  Returns whether all held.
 */
bool pfs_check_row_invariants(const struct pfs_table *t, const struct pfs_row *r);

/*
 * PFS_ORACLE_ONLY=1 in the environment: run the workloads and check their
 * construction against the kernel only (e.g. on a host without the module);
 * pfs_check_child() and pfs_require_module() then skip.
 */
bool pfs_oracle_only(void);

/*
 * Preconditions every counting test needs: the module's proc file is there
 * with our format version, counting is enabled and no filter is set
 * (otherwise a previous test left the module in a bad state: fail).
 */
void pfs_require_module(void);

/* ---- the global totals against /proc/vmstat (pfs_totals.c) --------------- */

/* A /proc/vmstat value; fails the sub-test if the key is absent. */
unsigned long long pfs_vmstat(const char *key);

/* The module's global keys that pgfault is made of, and the loss counters. */
struct pfs_totals {
	unsigned long long minor, major, retry, errors;
	unsigned long long dropped, nmissed;
};

/*
 * The module's totals and pgfault at one moment (re-read until pgfault
 * held still across the read of the file); returns pgfault.
 */
unsigned long long pfs_totals_snapshot(struct pfs_totals *x);
/* The calls between two snapshots that pgfault counts, by this kernel's
 * rule, and that rule in words (the "source" of an expectation). */
unsigned long long pfs_totals_pgfault(const struct pfs_totals *a,
				      const struct pfs_totals *b);
bool pfs_pgfault_counts_retries(void);
const char *pfs_pgfault_rule(void);

/* ---- loading the module again (pfs_module.c) ------------------------------ */

bool pfs_module_loaded(void);
/* The run's own parameters (tests/vm/run --module-args), or "" */
const char *pfs_module_base_args(void);
/* rmmod, then insmod with the run's parameters and @args (its errors in
 * /tmp/insmod.err): insmod's exit status */
int pfs_module_reload(const char *args);
/* The module loaded with the run's parameters, as every test leaves it
 * (for atexit()) */
void pfs_module_restore(void);
/* finit_module(2) of PFS_MODULE_KO with the run's parameters and @params:
 * 0 or -errno */
int pfs_module_insert(const char *params);
/* delete_module(2), again every millisecond for up to @timeout_ms while an
 * open file holds the module (EAGAIN, EBUSY; *retries counts them): 0 or
 * -errno */
int pfs_module_remove(unsigned int timeout_ms, unsigned int *retries);
/* The value of @key in debugfs status, in @out; fails the sub-test if absent */
const char *pfs_status_value(const char *key, char *out, size_t sz);
bool pfs_fprobe_available(void);

/* ---- debugfs knobs -------------------------------------------------------- */

/* Read a whole file into a malloc()ed, NUL-terminated buffer (*lenp, if
 * not NULL: its length); NULL, after saying why, if it cannot be opened. */
char *pfs_slurp(const char *path, size_t *lenp);
/* pfs_slurp() of a file that must be readable (never freed: tests are short) */
char *pfs_slurp_or_fail(const char *path);
/* Read a whole small file into buf (NUL-terminated); returns length or -1. */
ssize_t pfs_read_file(const char *path, char *buf, size_t sz);
/* Write exactly len bytes at offset 0 in one write(); 0 or -errno. */
int pfs_write_file(const char *path, const void *buf, size_t len);
/* Write a knob under PFS_DEBUGFS_DIR; fails the sub-test on error. */
/* Write @v to @path, or fail the sub-test saying @what it was for. */
void pfs_write_or_fail(const char *path, const char *v, const char *what);

/*
 * Memory cgroups (pfs_cgroup.c): pfs_memcg_make() makes cgroup v2 group
 * @dir (under PFS_CGROUP_ROOT, mounted if needed) with memory.max @limit,
 * skipping the sub-test where there is no memory controller;
 * pfs_memcg_join() moves the calling process in (0 or -errno; for a child).
 */
#define PFS_CGROUP_ROOT "/sys/fs/cgroup"
void pfs_memcg_make(const char *dir, const char *limit);
int pfs_memcg_join(const char *dir);

void pfs_knob_set(const char *knob, const char *value);
/* Put every knob back to its default (enabled 1, filters empty). */
void pfs_knobs_restore(void);
/* pfs_test(), then pfs_knobs_restore(): for tests that set knobs. */
void pfs_test_knobs(const char *name, void (*fn)(void));

#endif /* PFS_TEST_H */
