// SPDX-License-Identifier: GPL-2.0
/*
 * Running a workload in a child and learning what the kernel accounted for
 * it: start time and fault counts from /proc/<pid>/stat while it is a zombie,
 * rusage from wait4().  Also the helpers that make a measured section fault
 * only where the workload means it to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pfs_test.h"
#include "pfs_internal.h"

static int report_fd = -1;

int pfs_report_fd(void)
{
	return report_fd;
}

int pfs_report_to(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	if (fd < 0 || len > PFS_REPORT_MAX)
		return -1;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

int pfs_report(const void *buf, size_t len)
{
	return pfs_report_to(report_fd, buf, len);
}

pid_t pfs_fork(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		pfs_fail("fork: %s", strerror(errno));
	return pid;
}

/* In the child: @fd_no to @path, if there is one. */
static void pfs_redirect(int fd_no, const char *path)
{
	int fd;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		dup2(fd, fd_no);
}

pid_t pfs_exec_start(char *const argv[], const char *out, const char *err)
{
	pid_t pid = pfs_fork();

	if (pid == 0) {
		pfs_redirect(1, out ? out : "/dev/null");
		if (err && out && !strcmp(err, out))
			dup2(1, 2);
		else
			pfs_redirect(2, err);
		execvp(argv[0], argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

int pfs_exec_wait(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		pfs_fail("waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void pfs_spawn(struct pfs_child *c, int (*fn)(void *), void *arg)
{
	int p[2];
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->report_fd = -1;
	if (pipe(p))
		pfs_fail("pipe: %s", strerror(errno));
	pid = pfs_fork();
	if (pid == 0) {
		int rc;

		close(p[0]);
		report_fd = p[1];
		pfs_child_failed = false;
		rc = fn(arg);
		if (pfs_child_failed && rc == 0)
			rc = PFS_CHILD_FAIL_EXIT;
		fflush(stdout);
		_exit(rc);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	c->report_fd = p[0];
	c->pid = pid;
	c->ppid = getpid();
}

/* Fields of /proc/<pid>/stat we use; 0 on success. */
static int read_stat(struct pfs_child *c)
{
	char path[64], buf[2048], *open_paren, *close_paren, *s, *tok;
	ssize_t n;
	size_t len;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)c->pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -1;
	len = close_paren - open_paren - 1;
	if (len >= sizeof(c->comm))
		len = sizeof(c->comm) - 1;
	memcpy(c->comm, open_paren + 1, len);
	c->comm[len] = 0;
	/* Field 3 (state) follows ") ". */
	field = 3;
	for (tok = strtok_r(close_paren + 2, " ", &s); tok;
	     tok = strtok_r(NULL, " ", &s), field++) {
		unsigned long long v = strtoull(tok, NULL, 10);

		switch (field) {
		case 10: c->stat_minflt = v; break;
		case 11: c->stat_cminflt = v; break;
		case 12: c->stat_majflt = v; break;
		case 13: c->stat_cmajflt = v; break;
		case 22: c->start_time = v; return 0;
		}
	}
	return -1;
}

void pfs_reap(struct pfs_child *c)
{
	siginfo_t si;
	pid_t r;
	ssize_t n;

	do {
		memset(&si, 0, sizeof(si));
		r = waitid(P_PID, c->pid, &si, WEXITED | WNOWAIT);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		pfs_fail("waitid(%d): %s", (int)c->pid, strerror(errno));
	if (read_stat(c))
		pfs_fail("cannot parse /proc/%d/stat of the zombie", (int)c->pid);
	do {
		r = wait4(c->pid, &c->status, 0, &c->ru);
	} while (r < 0 && errno == EINTR);
	if (r != c->pid)
		pfs_fail("wait4(%d): %s", (int)c->pid, strerror(errno));
	while (c->report_len < sizeof(c->report)) {
		n = read(c->report_fd, c->report + c->report_len,
			 sizeof(c->report) - c->report_len);
		if (n <= 0)
			break;
		c->report_len += n;
	}
	close(c->report_fd);
	c->report_fd = -1;
}

void pfs_run(struct pfs_child *c, int (*fn)(void *), void *arg)
{
	pfs_spawn(c, fn, arg);
	pfs_reap(c);
}

void pfs_get_report(const struct pfs_child *c, void *buf, size_t len)
{
	if (c->report_len != len)
		pfs_fail("child %d reported %zu bytes, want %zu", (int)c->pid,
			 c->report_len, len);
	memcpy(buf, c->report, len);
}

void pfs_require_clean_exit(const struct pfs_child *c)
{
	if (WIFSIGNALED(c->status))
		pfs_fail("child %d was killed by signal %d", (int)c->pid,
			 WTERMSIG(c->status));
	if (WEXITSTATUS(c->status) == PFS_CHILD_SKIP_EXIT)
		pfs_skip("the workload skipped (see above)");
	if (WEXITSTATUS(c->status))
		pfs_fail("child %d exited with %d: the workload did not run as built",
			 (int)c->pid, WEXITSTATUS(c->status));
}

static struct pfs_faults faults(int who)
{
	struct rusage ru;
	struct pfs_faults f;

	/* Write the buffer first: a fault on it must come before the snapshot. */
	memset(&ru, 0, sizeof(ru));
	if (getrusage(who, &ru))
		pfs_fail("getrusage: %s", strerror(errno));
	f.minor = ru.ru_minflt;
	f.major = ru.ru_majflt;
	return f;
}

struct pfs_faults pfs_faults_self(void)
{
	return faults(RUSAGE_SELF);
}

struct pfs_faults pfs_faults_thread(void)
{
	return faults(RUSAGE_THREAD);
}

/* Touch every page of [lo, hi): read, and rewrite in place if writable. */
static void touch_range(unsigned long lo, unsigned long hi, bool writable)
{
	unsigned long a;

	for (a = lo; a < hi; a += PFS_PAGE) {
		if (writable)
			__atomic_fetch_add((char *)a, 0, __ATOMIC_RELAXED);
		else
			(void)*(volatile char *)a;
	}
}

static void __attribute__((noinline)) touch_stack_below(void)
{
	volatile char pad[256 * 1024];
	size_t i;

	for (i = 0; i < sizeof(pad); i += PFS_PAGE)
		pad[i] = 0;
	pad[sizeof(pad) - 1] = 0;
}

void pfs_settle(void)
{
	static char maps[64 * 1024];
	char exe[512], *line, *next;
	unsigned long prev_exe_end = 0;
	ssize_t n, len = 0;
	int fd;

	touch_stack_below();
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	fd = open("/proc/self/maps", O_RDONLY);
	if (fd < 0)
		pfs_fail("open /proc/self/maps: %s", strerror(errno));
	while ((n = read(fd, maps + len, sizeof(maps) - 1 - len)) > 0)
		len += n;
	close(fd);
	maps[len] = 0;
	for (line = maps; line && *line; line = next) {
		unsigned long lo, hi;
		char perms[8], path[512];
		bool want;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		path[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %511s", &lo, &hi,
			   perms, path) < 3)
			continue;
		want = (exe[0] && !strcmp(path, exe)) ||
		       !strcmp(path, "[heap]") || !strcmp(path, "[stack]") ||
		       (!path[0] && lo == prev_exe_end);
		if (exe[0] && !strcmp(path, exe))
			prev_exe_end = hi;
		if (!want || perms[0] != 'r')
			continue;
		touch_range(lo, hi, perms[1] == 'w' && perms[3] == 'p');
	}
}

void *pfs_map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		pfs_fail("mmap %zu bytes: %s", len, strerror(errno));
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

double pfs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

unsigned int pfs_time_scale(void)
{
	const char *v = getenv("PFS_TIME_SCALE");
	unsigned long n = v ? strtoul(v, NULL, 10) : 1;

	return n >= 1 && n <= 100 ? n : 1;
}

int pfs_touch_fresh(void *pages)
{
	size_t i, n = (size_t)(uintptr_t)pages;
	volatile char *p = pfs_map_anon(n * PFS_PAGE);

	for (i = 0; i < n; i++)
		p[i * PFS_PAGE] = 1;
	return 0;
}
