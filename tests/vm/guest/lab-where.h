/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab-where.h: a lab step under "pfstat run --where" (labs 3 and 6).
 *
 * The lab runs one of its own workloads (this program again, with a
 * workload argument) under pfstat twice: once with pfstat's text report,
 * which is what the student reads, and once with "-o json", which the lab
 * reads for its checks. The workload does the same thing both times, so
 * what the checks find is what the text showed.
 *
 * Needs pfstat on the PATH, root and tracefs with the module's trace
 * events; lab_where_missing() says which is absent. The JSON is read with
 * the guest tests' reader (lib/pfs_json.c), so labs including this header
 * are linked with tests/vm/guest/lib.
 */
#ifndef LAB_WHERE_H
#define LAB_WHERE_H

#include "lab-common.h"
#include "pfs_json.h"

#define LAB_TRACE_EVENT	"/sys/kernel/tracing/events/pagefault_stats/fault"

/* Why pfstat run --where cannot run here, or NULL if it can. */
static inline const char *lab_where_missing(void)
{
	if (geteuid() != 0)
		return "tracing needs root";
	if (access(LAB_TRACE_EVENT, F_OK))
		return "no " LAB_TRACE_EVENT " (tracefs not mounted, or a module without trace events)";
	if (system("command -v pfstat >/dev/null 2>&1") != 0)
		return "pfstat is not on the PATH (make -C tools; sudo make -C tools install)";
	return NULL;
}

/* This program's own path, for running it again as a workload. */
static inline const char *lab_self_exe(void)
{
	static char exe[512];
	ssize_t n;

	if (!exe[0]) {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0)
			lab_die("readlink /proc/self/exe: %s", strerror(errno));
		exe[n] = 0;
	}
	return exe;
}

/* Run argv (argv[0] from the PATH), wait: its exit status, 128 + N if
 * signal N killed it. */
static inline int lab_exec_wait(char *const argv[])
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		lab_die("fork: %s", strerror(errno));
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		lab_die("waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * pfstat run --where [-o json -O json] -- cmd...: pfstat's exit status
 * (the command's). Without json, the text report goes to our stdout.
 */
static inline int lab_pfstat_where(char *const cmd[], const char *json)
{
	char *argv[32];
	int n = 0, i;

	argv[n++] = "pfstat";
	argv[n++] = "run";
	argv[n++] = "--where";
	argv[n++] = "-o";
	argv[n++] = json ? "json" : "text";
	argv[n++] = "-O";
	argv[n++] = json ? (char *)json : "-";
	argv[n++] = "--";
	for (i = 0; cmd[i] && n < 31; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	return lab_exec_wait(argv);
}

/*
 * Show the student "pfstat run --where -- cmd..." (text), then run it
 * again with -o json and return the parsed report (dies if it fails).
 */
static inline struct jdoc *lab_where(char *const cmd[], const char *json)
{
	static char text[1 << 20];
	struct jdoc *d;
	int i;

	printf("  $ pfstat run --where --");
	for (i = 0; cmd[i]; i++)
		printf(" %s", cmd[i]);
	printf("\n");
	if (lab_pfstat_where(cmd, NULL))
		lab_die("pfstat run --where failed (its message is above)");
	lab_say("  (the lab checks the same command's report in JSON: -o json -O %s)", json);
	if (lab_pfstat_where(cmd, json))
		lab_die("pfstat run --where -o json failed (its message is above)");
	lab_slurp(json, text, sizeof(text));
	d = jparse(text);
	if (!d)
		lab_die("%s is not valid JSON", json);
	return d;
}

/* The scalar at a printf-formatted path of the report, or NULL. */
static inline const char *lab_jstr(const struct jdoc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline const char *lab_jstr(const struct jdoc *d, const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return jget(d, path);
}

/* The number (decimal or "0x..." string) at a path; dies if absent. */
static inline unsigned long long lab_jnum(const struct jdoc *d, const char *path)
{
	const char *v = jget(d, path);

	if (!v)
		lab_die("pfstat's JSON report has no %s", path);
	return strtoull(v, NULL, 0);
}

/* The index of the mapping row named name, or -1. */
static inline int lab_where_mapping(const struct jdoc *d, const char *name)
{
	const char *v;
	int i;

	for (i = 0; (v = lab_jstr(d, "mappings.%d.mapping", i)); i++)
		if (!strcmp(v, name))
			return i;
	return -1;
}

/* A column of mapping row i. */
static inline unsigned long long lab_where_col(const struct jdoc *d, int i, const char *col)
{
	char path[96];

	snprintf(path, sizeof(path), "mappings.%d.%s", i, col);
	return lab_jnum(d, path);
}

/* A column summed over every mapping row. */
static inline unsigned long long lab_where_sum(const struct jdoc *d, const char *col)
{
	unsigned long long s = 0;
	int i;

	for (i = 0; lab_jstr(d, "mappings.%d.mapping", i); i++)
		s += lab_where_col(d, i, col);
	return s;
}

#endif /* LAB_WHERE_H */
