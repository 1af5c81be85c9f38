// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat in the VM (issue 4): "pfstat run" reports the numbers the kernel
 * itself accounts (its /proc stat and wait4() rusage) and the module's
 * table; watch mode's deltas add up to the faults a workload made; JSON
 * and Prometheus outputs parse back. pfstat is /tests/bin/pfstat.
 *
 * The JSON checked here is parsed by lib/pfs_json.c (this program is
 * linked static without json-c).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_json.h"
#include "pfs_test.h"

#define PFSTAT "/tests/bin/pfstat"

/* ---- running pfstat ------------------------------------------------------- */

/* Run argv with stdout to out_path (NULL: /dev/null); its exit status. */
static int run_cmd(char *const argv[], const char *out_path)
{
	return pfs_exec_wait(pfs_exec_start(argv, out_path, NULL));
}

static void need_pfstat(void)
{
	if (access(PFSTAT, X_OK))
		pfs_skip("%s not installed (make -C tools static failed?)", PFSTAT);
}

/* ---- tests ---------------------------------------------------------------- */

/* A shell that runs three children: the "with children" sums must equal the
 * wait4() rusage pfstat reports, and the command's own row its /proc stat. */
static void test_run_matches_kernel(void)
{
	char *argv[] = { PFSTAT, "run", "-o", "json", "-O", "/tmp/run.json", "--",
			 "/bin/sh", "-c",
			 "/bin/true; /bin/ls / >/dev/null; /bin/cat /proc/self/stat >/dev/null; exit 0",
			 NULL };
	struct jdoc *d;
	int st;

	need_pfstat();
	pfs_require_module();
	st = run_cmd(argv, NULL);
	pfs_expect_eq("pfstat run exit status", (unsigned long long)st, 0,
		      "the command exited 0");
	d = jparse(pfs_slurp_or_fail("/tmp/run.json"));
	if (!d)
		pfs_fail("pfstat run -o json is not valid JSON");
	if (!jget(d, "self.minor"))
		pfs_fail("the module had no row for the command");
	pfs_expect_eq("self minor", jnum(d, "self.minor"), jnum(d, "kernel.self.minflt"),
		      "/proc/<pid>/stat field 10 of the zombie, as pfstat read it");
	pfs_expect_eq("self major", jnum(d, "self.major"), jnum(d, "kernel.self.majflt"),
		      "/proc/<pid>/stat field 12");
	pfs_expect_eq("with_children minor", jnum(d, "with_children.minor"),
		      jnum(d, "rusage.minflt"), "wait4() ru_minflt: the shell and its reaped children");
	pfs_expect_eq("with_children major", jnum(d, "with_children.major"),
		      jnum(d, "rusage.majflt"), "wait4() ru_majflt");
	pfs_expect_ge("descendants summed", jnum(d, "with_children.processes"), 3,
		      "the shell forks at least /bin/true and /bin/ls (busybox may exec the last)");
	pfs_expect_eq("exit code", jnum(d, "exit.code"), 0, "sh -c '...; exit 0'");
	jfree(d);
}

/* The module's table, read independently, has the same row pfstat reported. */
static void test_run_row_equals_table(void)
{
	char *argv[] = { PFSTAT, "run", "-o", "json", "-O", "/tmp/run2.json", "--",
			 "/bin/ls", "-l", "/tests/bin", NULL };
	static const char *const refault[] = { "refault_anon", "refault_file",
						"refault_active", "refault_restore" };
	struct pfs_table *t;
	const struct pfs_row *r;
	struct jdoc *d;
	char key[64];
	size_t i;

	need_pfstat();
	pfs_require_module();
	run_cmd(argv, NULL);
	d = jparse(pfs_slurp_or_fail("/tmp/run2.json"));
	if (!d || !jget(d, "self.minor"))
		pfs_fail("no JSON report with a row");
	t = pfs_table_get(PFS_PROC_PATH);
	r = pfs_table_find(t, (pid_t)jnum(d, "pid"), jnum(d, "start_time"));
	if (!r)
		pfs_fail("no row for (pid, start_time) of the report in %s", PFS_PROC_PATH);
	pfs_expect_eq("minor", jnum(d, "self.minor"), pfs_col(t, r, "minor"), PFS_PROC_PATH);
	pfs_expect_eq("major", jnum(d, "self.major"), pfs_col(t, r, "major"), PFS_PROC_PATH);
	pfs_expect_eq("fault_ns", jnum(d, "self.fault_ns"), pfs_col(t, r, "fault_ns"),
		      PFS_PROC_PATH);
	pfs_expect_str("state", pfs_col_str(t, r, "state"), "exited", PFS_PROC_PATH);
	for (i = 0; i < sizeof(refault) / sizeof(refault[0]); i++) {
		snprintf(key, sizeof(key), "self.%s", refault[i]);
		if (!jget(d, key))
			pfs_fail("the report has no %s (the module publishes it)", key);
		pfs_expect_eq(key, jnum(d, key), pfs_col(t, r, refault[i]), PFS_PROC_PATH);
	}
	pfs_table_free(t);
	jfree(d);
}

static void test_run_exit_status(void)
{
	char *a7[] = { PFSTAT, "run", "--", "/bin/sh", "-c", "exit 7", NULL };
	char *k9[] = { PFSTAT, "run", "--", "/bin/sh", "-c", "kill -9 $$", NULL };
	char *segv[] = { PFSTAT, "run", "-o", "json", "-O", "/tmp/segv.json", "--",
			 "/bin/sh", "-c", "kill -11 $$", NULL };

	need_pfstat();
	pfs_expect_eq("exit 7", (unsigned long long)run_cmd(a7, NULL), 7, "sh -c 'exit 7'");
	pfs_expect_eq("SIGKILL", (unsigned long long)run_cmd(k9, NULL), 137, "128 + 9");
	pfs_expect_eq("SIGSEGV", (unsigned long long)run_cmd(segv, NULL), 139, "128 + 11");
}

/* A child touches 3000 fresh pages while watch mode runs: the minor deltas
 * of its row over the intervals add up to at least that, and every line is
 * one JSON document. */
static void test_watch_deltas(void)
{
	enum { PAGES = 3000 };
	unsigned int scale = pfs_time_scale();
	char pidarg[32], interval[16];
	char *argv[] = { PFSTAT, "-i", interval, "-C", "4", "-a", "-o", "json", "-p",
			 pidarg, NULL };
	unsigned long long sum = 0;
	int go[2], st, lines = 0;
	char *text, *line, *save = NULL;
	pid_t child, watcher;

	need_pfstat();
	pfs_require_module();
	/* the child's 3000 faults within the watch's 2 s, on a slow kernel too */
	snprintf(interval, sizeof(interval), "%.1f", 0.5 * scale);
	if (pipe(go))
		pfs_fail("pipe");
	child = fork();
	if (child == 0) {
		char *m = mmap(NULL, PAGES * PFS_PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char c;
		size_t i;

		madvise(m, PAGES * PFS_PAGE, MADV_NOHUGEPAGE);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		for (i = 0; i < PAGES; i++)
			m[i * PFS_PAGE] = 1;
		pause();
		_exit(0);
	}
	close(go[0]);
	snprintf(pidarg, sizeof(pidarg), "%d", (int)child);
	usleep(100000 * scale);	/* the child's own startup faults are done */
	watcher = fork();
	if (watcher == 0) {
		int fd = open("/tmp/watch.ndjson", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		execv(argv[0], argv);
		_exit(126);
	}
	usleep(700000 * scale);	/* inside the second interval */
	if (write(go[1], "g", 1) != 1)
		pfs_fail("write");
	waitpid(watcher, &st, 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	pfs_expect_eq("watch exit", WIFEXITED(st) ? (unsigned)WEXITSTATUS(st) : 999, 0,
		      "-C 4 ends by itself");
	text = pfs_slurp_or_fail("/tmp/watch.ndjson");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct jdoc *d = jparse(line);

		if (!d)
			pfs_fail("line %d is not a JSON document", lines + 1);
		lines++;
		if (jget(d, "processes.0.minor"))
			sum += jnum(d, "processes.0.minor");
		jfree(d);
	}
	pfs_expect_eq("NDJSON lines", (unsigned long long)lines, 4, "-C 4");
	pfs_expect_ge("sum of minor deltas", sum, PAGES, "the child touched 3000 new pages");
	pfs_expect_le("sum of minor deltas", sum, PAGES + 64,
		      "little else faults in a child blocked in read() and pause()");
}

/* Prometheus exposition: HELP/TYPE once per family, well-formed samples,
 * and our own process's minor count between two /proc readings. */
static void test_prometheus_parses(void)
{
	char *argv[] = { PFSTAT, "-o", "prometheus", "-O", "/tmp/pf.prom", NULL };
	char *text, *line, *save = NULL, want[64];
	unsigned long long mine = 0, before, after;
	int samples = 0, st;

	need_pfstat();
	pfs_require_module();
	before = pfs_faults_self().minor;
	st = run_cmd(argv, NULL);
	after = pfs_faults_self().minor;
	pfs_expect_eq("pfstat -o prometheus exit", (unsigned long long)st, 0, "module loaded");
	text = pfs_slurp_or_fail("/tmp/pf.prom");
	snprintf(want, sizeof(want), "{pid=\"%d\",", (int)getpid());
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *brace, *sp, *q;

		if (line[0] == '#') {
			if (strncmp(line, "# HELP pagefault_stats_", 23) &&
			    strncmp(line, "# TYPE pagefault_stats_", 23))
				pfs_fail("bad comment line: %.80s", line);
			continue;
		}
		samples++;
		if (strncmp(line, "pagefault_stats_", 16))
			pfs_fail("bad metric name: %.80s", line);
		sp = strrchr(line, ' ');
		if (!sp || !isdigit((unsigned char)sp[1]))
			pfs_fail("no value: %.80s", line);
		brace = strchr(line, '{');
		if (brace && brace < sp) {
			/* label values: only \\ \" \n escapes, ends with "} */
			for (q = brace; q < sp; q++) {
				if (*q == '\\' && !strchr("\\\"n", q[1]))
					pfs_fail("bad label escape: %.80s", line);
				if (*q == '\\')
					q++;
			}
			if (sp[-1] != '}')
				pfs_fail("labels not closed: %.80s", line);
		}
		if (strstr(line, want) && strstr(line, "type=\"minor\"") &&
		    !strncmp(line, "pagefault_stats_faults_total{", 29))
			mine = strtoull(sp + 1, NULL, 10);
	}
	pfs_expect_ge("samples", (unsigned long long)samples, 10, "globals and rows");
	pfs_expect_ge("our minor in the exposition", mine, before,
		      "getrusage(RUSAGE_SELF) before running pfstat");
	pfs_expect_le("our minor in the exposition", mine, after,
		      "getrusage(RUSAGE_SELF) after");
}

int main(void)
{
	pfs_begin();
	pfs_test("pfstat run: self = /proc stat, with children = wait4 rusage",
		 test_run_matches_kernel);
	pfs_test("pfstat run: the reported row is the module's row",
		 test_run_row_equals_table);
	pfs_test("pfstat run: exit status passes through, 128+signal",
		 test_run_exit_status);
	pfs_test("pfstat -i: NDJSON per interval, deltas add up", test_watch_deltas);
	pfs_test("pfstat -o prometheus parses and holds our own count",
		 test_prometheus_parses);
	return pfs_exit();
}
