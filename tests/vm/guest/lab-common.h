/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab-common.h: what every lab program (tests/vm/guest/lab-N.c) shares.
 * Header only: each lab is one static binary (labs 3 and 6 also use
 * lab-where.h, which reads pfstat's JSON with tests/vm/guest/lib).
 *
 *  - mode: "lab-N --auto" runs the steps without stopping and asserts the
 *    expected observation (exit 0 ok, 1 failed, 4 skipped); "lab-N" alone
 *    waits for Enter between steps when stdin is a terminal.
 *  - rows: a process's row of /proc/pagefault_stats (or of debugfs procs,
 *    which adds the anon/file/shmem and read/write columns), parsed by
 *    header column names (docs/format.md) and found by pid + start time.
 *  - settle: prefault the program's own text, data, heap and stack, so a
 *    measured section afterwards faults only on the memory it touches.
 *
 * A process can measure itself: lab_row_self() reads the table into a
 * static buffer that lab_settle() has already touched, so the read itself
 * does not fault.
 *
 * The refault columns (refault_anon ... thrash_ns) are checked against the
 * kernel's own workingset counters: lab_ws_read() of /proc/vmstat or of a
 * cgroup's memory.stat.
 */
#ifndef LAB_COMMON_H
#define LAB_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LAB_PROC	"/proc/pagefault_stats"
#define LAB_DEBUGFS	"/sys/kernel/debug/pagefault_stats/procs"
#define LAB_PAGE	4096UL

/* The columns the labs use; LAB_NCOL is their number. */
enum lab_col {
	C_MINOR, C_MAJOR, C_RETRY, C_SEGV_MAPERR, C_SEGV_ACCERR, C_SIGBUS,
	C_OOM, C_EFAULT, C_ANON_MINOR, C_ANON_MAJOR, C_FILE_MINOR,
	C_FILE_MAJOR, C_SHMEM_MINOR, C_SHMEM_MAJOR, C_READ, C_WRITE, C_EXEC,
	C_FAULT_NS, C_FAULT_MAX_NS,
	/* refaults (issue 11): pages the kernel counted in vmstat workingset_* */
	C_REFAULT_ANON, C_REFAULT_FILE, C_REFAULT_ACTIVE, C_REFAULT_RESTORE,
	C_THRASH_NS, LAB_NCOL
};

static const char *const lab_col_name[LAB_NCOL] = {
	"minor", "major", "retry", "segv_maperr", "segv_accerr", "sigbus",
	"oom", "efault", "anon_minor", "anon_major", "file_minor",
	"file_major", "shmem_minor", "shmem_major", "read", "write", "exec",
	"fault_ns", "fault_max_ns",
	"refault_anon", "refault_file", "refault_active", "refault_restore",
	"thrash_ns",
};

struct lab_row {
	bool found;
	bool has[LAB_NCOL];		/* the file had this column */
	unsigned long long v[LAB_NCOL];
	bool none[LAB_NCOL];		/* the row said "-": no value kept */
	char state[16];
};

static int lab_auto;		/* --auto */
static int lab_failed;		/* an assertion failed */
static const char *lab_name = "lab";

/* ---- output and verdicts --------------------------------------------------- */

static inline void lab_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void lab_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* A step heading; interactively, wait for Enter first. */
static inline void lab_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void lab_step(const char *fmt, ...)
{
	va_list ap;

	if (!lab_auto && isatty(0)) {
		char line[64];

		printf("\n[press Enter for the next step] ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			lab_auto = 1;
	}
	printf("\n=== ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* The expected observation: prints "expect ... : ok" or "... : FAILED". */
static inline bool lab_expect(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline bool lab_expect(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("  expect: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(cond ? "  -> ok\n" : "  -> FAILED\n");
	fflush(stdout);
	if (!cond)
		lab_failed = 1;
	return cond;
}

static inline void lab_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static inline void lab_skip(const char *fmt, ...)
{
	va_list ap;

	printf("%s: SKIP: ", lab_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(4);
}

static inline void lab_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static inline void lab_die(const char *fmt, ...)
{
	va_list ap;

	printf("%s: FAILED: ", lab_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

static inline int lab_finish(void)
{
	if (lab_failed)
		lab_say("\n%s: FAILED: an expected observation did not hold (lines marked FAILED above)",
			lab_name);
	else
		lab_say("\n%s: every expected observation held", lab_name);
	return lab_failed ? 1 : 0;
}

/* Parse argv: --auto, --help.  Returns the index of the first other arg. */
static inline int lab_args(int argc, char **argv, const char *name, const char *usage)
{
	int i;

	lab_name = name;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--auto"))
			lab_auto = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: %s [--auto]%s\n", name, usage ? usage : "");
			exit(0);
		} else
			break;
	}
	if (access(LAB_PROC, R_OK))
		lab_skip("%s is not there: load the module first (insmod pagefault_stats.ko)",
			 LAB_PROC);
	return i;
}

/* ---- reading the module's table -------------------------------------------- */

/* The whole table file; static, so lab_settle() touches it in advance. */
static char lab_buf[4 << 20];

static inline unsigned long long lab_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long st = 0;
	int fd, i;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* comm may hold spaces and ')': fields restart after the last ')' */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* after ')' comes field 3; field 22 is 19 fields further */
	for (i = 3; i <= 22 && p; i++)
		p = strchr(p + 1, ' ');
	if (p)
		st = strtoull(p + 1, NULL, 10);
	return st;
}

/* Which file: debugfs procs (more columns) when readable, else /proc. */
static inline const char *lab_table_path(void)
{
	static const char *path;

	if (!path)
		path = access(LAB_DEBUGFS, R_OK) ? LAB_PROC : LAB_DEBUGFS;
	return path;
}

/* Read a whole file into buf, NUL-terminated; dies on error; its length. */
static inline size_t lab_slurp(const char *path, char *buf, size_t sz)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		lab_die("cannot open %s: %s", path, strerror(errno));
	while ((n = read(fd, buf + len, sz - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		lab_die("cannot read %s: %s", path, strerror(errno));
	buf[len] = 0;
	return len;
}

/* Read the table into lab_buf; returns its length. */
static inline size_t lab_read_table(void)
{
	const char *path = lab_table_path();
	size_t len = lab_slurp(path, lab_buf, sizeof(lab_buf));

	if (strncmp(lab_buf, "pagefault_stats 1\n", 18))
		lab_die("%s does not start with \"pagefault_stats 1\": unknown format", path);
	return len;
}

/* Split off the next line (in place); NULL at the end. */
static inline char *lab_line(char **pos)
{
	char *l = *pos, *nl;

	if (!l || !*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl) {
		*nl = 0;
		*pos = nl + 1;
	} else {
		*pos = l + strlen(l);
	}
	return l;
}

/*
 * The row of process (pid, start_time) in the current table, parsed by the
 * header's column names.
 */
static inline struct lab_row lab_row(pid_t pid, unsigned long long start)
{
	struct lab_row r;
	int idx[64], ncol = 0, pid_i = -1, st_i = -1, state_i = -1, i, c;
	char *pos, *l, *tok, *save;

	memset(&r, 0, sizeof(r));
	lab_read_table();
	pos = lab_buf;
	lab_line(&pos);				/* version line */
	while ((l = lab_line(&pos)) && *l)	/* global block */
		;
	l = lab_line(&pos);			/* header */
	if (!l || strncmp(l, "pid ", 4))
		lab_die("%s: no header row", lab_table_path());
	for (tok = strtok_r(l, " ", &save); tok && ncol < 64;
	     tok = strtok_r(NULL, " ", &save), ncol++) {
		idx[ncol] = -1;
		for (c = 0; c < LAB_NCOL; c++)
			if (!strcmp(tok, lab_col_name[c]))
				idx[ncol] = c;
		if (!strcmp(tok, "pid"))
			pid_i = ncol;
		else if (!strcmp(tok, "start_time"))
			st_i = ncol;
		else if (!strcmp(tok, "state"))
			state_i = ncol;
	}
	if (pid_i < 0 || st_i < 0)
		lab_die("%s: header lacks pid or start_time", lab_table_path());
	while ((l = lab_line(&pos))) {
		char *f[64];
		int n = 0;

		for (tok = strtok_r(l, " ", &save); tok && n < 64;
		     tok = strtok_r(NULL, " ", &save))
			f[n++] = tok;
		if (n != ncol || atoi(f[pid_i]) != pid ||
		    strtoull(f[st_i], NULL, 10) != start)
			continue;
		r.found = true;
		for (i = 0; i < ncol; i++) {
			if (idx[i] < 0)
				continue;
			r.has[idx[i]] = true;
			r.none[idx[i]] = !strcmp(f[i], "-");
			r.v[idx[i]] = strtoull(f[i], NULL, 10);
		}
		if (state_i >= 0)
			snprintf(r.state, sizeof(r.state), "%s", f[state_i]);
		break;
	}
	return r;
}

/* The calling process's own row; dies if there is none. */
static inline struct lab_row lab_row_self(void)
{
	static unsigned long long self_start;
	static pid_t self_pid;
	struct lab_row r;

	if (self_pid != getpid()) {	/* first call, or first in a child */
		self_pid = getpid();
		self_start = lab_start_time(self_pid);
	}
	r = lab_row(getpid(), self_start);
	if (!r.found) {
		char pre[16], *pos, *l;

		lab_read_table();
		snprintf(pre, sizeof(pre), "%d ", (int)getpid());
		pos = lab_buf;
		while ((l = lab_line(&pos)))
			if (!strncmp(l, pre, strlen(pre)) || !strncmp(l, "pid ", 4))
				printf("  %s\n", l);
		lab_die("no row for this process (pid %d, start time %llu) in %s: is counting enabled and unfiltered?",
			(int)getpid(), self_start, lab_table_path());
	}
	return r;
}

/* after - before, column by column */
static inline struct lab_row lab_delta(const struct lab_row *after,
				const struct lab_row *before)
{
	struct lab_row d = *after;
	int c;

	for (c = 0; c < LAB_NCOL; c++)
		d.v[c] = after->v[c] - before->v[c];
	return d;
}

/* Print "name value" for the listed columns (those the file has). */
static inline void lab_show(const char *label, const struct lab_row *r, const int *cols)
{
	printf("  %-24s", label);
	for (; *cols >= 0; cols++)
		if (r->has[*cols])
			printf(" %s=%llu", lab_col_name[*cols], r->v[*cols]);
	printf("\n");
	fflush(stdout);
}

#define LAB_COLS(...) ((const int[]){ __VA_ARGS__, -1 })

/* A global key of the table ("nmissed" ...); -1 if absent. */
static inline long long lab_global(const char *key)
{
	size_t klen = strlen(key);
	char *pos, *l;

	lab_read_table();
	pos = lab_buf;
	lab_line(&pos);
	while ((l = lab_line(&pos)) && *l)
		if (!strncmp(l, key, klen) && l[klen] == ' ')
			return strtoll(l + klen + 1, NULL, 10);
	return -1;
}

/* ---- prefaulting ourselves ---------------------------------------------------- */

static void __attribute__((noinline)) lab_touch_stack(void)
{
	volatile char pad[256 * 1024];
	size_t i;

	for (i = 0; i < sizeof(pad); i += LAB_PAGE)
		pad[i] = 0;
	pad[sizeof(pad) - 1] = 0;
}

/*
 * Prefault our program's own mappings: text, data, bss (lab_buf), heap and
 * stack, writing to the writable ones so that copy-on-write after fork()
 * is broken now and not inside a measured section; and the vDSO, for
 * lab_now().  Memory the lab maps for
 * its experiments is left alone (it is mapped after this, or it is not one
 * of these mappings).
 */
static inline void lab_settle(void)
{
	char maps[32 * 1024], exe[512], *pos, *l;
	unsigned long exe_end = 0;
	struct timespec ts;
	ssize_t n, len = 0;
	int fd;

	lab_touch_stack();
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		lab_die("open /proc/self/maps: %s", strerror(errno));
	while ((n = read(fd, maps + len, sizeof(maps) - 1 - len)) > 0)
		len += n;
	close(fd);
	maps[len] = 0;
	pos = maps;
	while ((l = lab_line(&pos))) {
		unsigned long lo, hi, a;
		char perms[8], path[512] = "";
		bool mine;

		if (sscanf(l, "%lx-%lx %7s %*s %*s %*s %511s", &lo, &hi, perms, path) < 3)
			continue;
		mine = !strcmp(path, exe) || !strcmp(path, "[heap]") ||
		       !strcmp(path, "[stack]") || (!path[0] && lo == exe_end);
		if (!strcmp(path, exe))
			exe_end = hi;
		if (!mine || perms[0] != 'r')
			continue;
		for (a = lo; a < hi; a += LAB_PAGE) {
			if (perms[1] == 'w')
				__atomic_fetch_add((char *)a, 0, __ATOMIC_RELAXED);
			else
				(void)*(volatile char *)a;
		}
	}
	/* the vDSO and its data page ([vvar]) fault in on first use */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* one read through the file: the kernel's copy into lab_buf is warm */
	if (!access(LAB_PROC, R_OK))
		lab_read_table();
}

/* ---- small helpers --------------------------------------------------------- */

static inline double lab_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Private anonymous memory, THP off unless asked. */
static inline char *lab_map_anon(size_t len, bool huge)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		lab_die("mmap of %zu bytes: %s", len, strerror(errno));
	madvise(p, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	return p;
}

static inline void lab_write_pages(char *p, size_t pages, char val)
{
	size_t i;

	for (i = 0; i < pages; i++)
		((volatile char *)p)[i * LAB_PAGE] = val;
}

static inline unsigned long lab_read_pages(const char *p, size_t pages)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < pages; i++)
		sum += ((const volatile char *)p)[i * LAB_PAGE];
	return sum;
}

/*
 * A number from a "key value" or "Key: value" file such as /proc/vmstat or
 * /proc/self/status; -1 if absent.  No heap: it may run between snapshots.
 */
static inline long long lab_keyval(const char *path, const char *key)
{
	char buf[16384], *pos, *l;
	size_t klen = strlen(key);
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	pos = buf;
	while ((l = lab_line(&pos)))
		if (!strncmp(l, key, klen) && (l[klen] == ' ' || l[klen] == ':'))
			return strtoll(l + klen + 1, NULL, 10);
	return -1;
}

/* Read a small file into buf (trailing newline removed); -1 on error. */
static inline int lab_read_str(const char *path, char *buf, size_t sz)
{
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

/*
 * Whether the running kernel has a function called @sym (/proc/kallsyms
 * lists names even where it hides addresses): a look at the kernel's own
 * code paths, not at its version number.
 */
static inline bool lab_kernel_has(const char *sym)
{
	size_t len = strlen(sym);
	char line[512], *name;
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		name = strchr(line, ' ');
		name = name ? strchr(name + 1, ' ') : NULL;
		found = name && !strncmp(name + 1, sym, len) &&
			(name[len + 1] == '\n' || name[len + 1] == '\t');
	}
	fclose(f);
	return found;
}

static inline int lab_write_str(const char *path, const char *s)
{
	ssize_t n;
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/*
 * Child processes.  lab_fork() forks; the child runs fn(arg) and _exit()s
 * with its return.  lab_wait() waits for it, notes its start time while it
 * is a zombie (its pid cannot be reused yet), then reaps it.
 */
struct lab_child {
	pid_t pid;
	unsigned long long start;
	int status;
};

static inline struct lab_child lab_fork(int (*fn)(void *), void *arg)
{
	struct lab_child c = { 0 };

	fflush(stdout);
	c.pid = fork();
	if (c.pid < 0)
		lab_die("fork: %s", strerror(errno));
	if (c.pid == 0)
		_exit(fn(arg));
	c.start = lab_start_time(c.pid);
	return c;
}

static inline void lab_wait(struct lab_child *c)
{
	siginfo_t si;

	if (waitid(P_PID, c->pid, &si, WEXITED | WNOWAIT))
		lab_die("waitid %d: %s", (int)c->pid, strerror(errno));
	if (!c->start)
		c->start = lab_start_time(c->pid);
	if (waitpid(c->pid, &c->status, 0) != c->pid)
		lab_die("waitpid %d: %s", (int)c->pid, strerror(errno));
}

static inline const char *lab_status_str(int status)
{
	static char s[64];

	if (WIFSIGNALED(status))
		snprintf(s, sizeof(s), "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(s, sizeof(s), "exited with status %d", WEXITSTATUS(status));
	return s;
}

/* ---- the kernel's own refault accounting ------------------------------------ */

/*
 * The kernel's workingset counters, the oracle for the refault columns:
 * from /proc/vmstat (the whole system; exact once /proc/sys/vm/stat_refresh
 * has folded every CPU's pending differences in, which needs root) or from
 * a cgroup's memory.stat (that cgroup only; the kernel flushes it every 2 s
 * or once enough updates are pending, so it may lag a little behind).
 * active and restore are anon + file, as the module's columns are.
 */
struct lab_ws {
	bool ok;			/* the file had the four pairs */
	bool exact;			/* /proc/vmstat after stat_refresh */
	long long refault_anon, refault_file, active, restore;
};

static inline struct lab_ws lab_ws_read(const char *path)
{
	static const char *const key[] = {
		"workingset_refault_anon", "workingset_refault_file",
		"workingset_activate_anon", "workingset_activate_file",
		"workingset_restore_anon", "workingset_restore_file",
	};
	struct lab_ws w = { 0 };
	long long v[6];
	int i;

	if (!strcmp(path, "/proc/vmstat"))
		w.exact = !lab_write_str("/proc/sys/vm/stat_refresh", "1");
	w.ok = true;
	for (i = 0; i < 6; i++) {
		v[i] = lab_keyval(path, key[i]);
		w.ok = w.ok && v[i] >= 0;
	}
	w.refault_anon = v[0];
	w.refault_file = v[1];
	w.active = v[2] + v[3];
	w.restore = v[4] + v[5];
	return w;
}

static inline struct lab_ws lab_ws_delta(const struct lab_ws *after,
					 const struct lab_ws *before)
{
	struct lab_ws d = *after;

	d.ok = after->ok && before->ok;
	d.exact = after->exact && before->exact;
	d.refault_anon -= before->refault_anon;
	d.refault_file -= before->refault_file;
	d.active -= before->active;
	d.restore -= before->restore;
	return d;
}

/* The module's row has the refault columns (a module with issue 11). */
static inline bool lab_has_refault(const struct lab_row *r)
{
	return r->has[C_REFAULT_ANON] && r->has[C_REFAULT_FILE] &&
	       r->has[C_REFAULT_ACTIVE] && r->has[C_REFAULT_RESTORE];
}

/* thrash_ns as text: "-" when the kernel keeps no such time, else ms. */
static inline const char *lab_thrash_str(const struct lab_row *r)
{
	static char s[32];

	if (!r->has[C_THRASH_NS] || r->none[C_THRASH_NS])
		return "-";
	snprintf(s, sizeof(s), "%.3f ms", r->v[C_THRASH_NS] / 1e6);
	return s;
}

/*
 * Delay accounting, where thrash_ns comes from.  Debian's 6.x kernels keep
 * it off (kernel.task_delayacct=0 since 5.14), and the switch only affects
 * processes created after it; 5.10 has no switch and keeps it on.
 * lab_delayacct_on() turns it on for the processes the lab creates next and
 * returns the previous setting for lab_delayacct_restore(): 1 on, 0 off, -1
 * no switch or not allowed to flip it.
 */
#define LAB_DELAYACCT	"/proc/sys/kernel/task_delayacct"

static inline int lab_delayacct_on(void)
{
	char buf[16];

	if (lab_read_str(LAB_DELAYACCT, buf, sizeof(buf)))
		return -1;
	if (buf[0] == '1')
		return 1;
	return lab_write_str(LAB_DELAYACCT, "1") ? -1 : 0;
}

static inline void lab_delayacct_restore(int old)
{
	if (old == 0)
		lab_write_str(LAB_DELAYACCT, "0");
}

#endif /* LAB_COMMON_H */
