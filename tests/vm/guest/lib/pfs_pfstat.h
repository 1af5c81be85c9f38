/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfstat in the guest: the tests of its tracing commands (pfstat_trace,
 * pfstat_plot) share the prerequisites, pfstat's tracefs instance, a
 * process's counters in debugfs procs and a child that touches pages on
 * cue.
 */
#ifndef PFS_PFSTAT_H
#define PFS_PFSTAT_H

#include <stdbool.h>
#include <sys/types.h>

#include "pfs_json.h"

#define PFS_PFSTAT	"/tests/bin/pfstat"
#define PFS_TRACEFS	"/sys/kernel/tracing"

/* Skip without pfstat; fail without the module's trace events (tracefs
 * mounted if it was not). */
void pfs_need_tracing(void);
/* pfstat (pid) has its tracefs instance; has its events on in it. */
bool pfs_instance_exists(pid_t pfstat);
bool pfs_instance_enabled(pid_t pfstat);
/* Wait until pfstat is tracing (30 s at most, then fail). */
void pfs_wait_enabled(pid_t pfstat);
/* Field 22 of /proc/PID/stat: with the pid, names the module's row. */
unsigned long long pfs_start_time_of(pid_t pid);
/* Column col of the row (pid, start time st) in debugfs procs. */
unsigned long long pfs_counter(pid_t pid, unsigned long long st, const char *col);

/* The sum of key over the mappings of a where report (-o json). */
unsigned long long pfs_where_sum(const struct jdoc *d, const char *key);

/* A child that waits for "g", touches pages anonymous pages, says "d" and
 * waits to be killed (pfs_toucher_end). */
struct pfs_toucher {
	pid_t pid;
	int go, done;
};

void pfs_toucher_start(struct pfs_toucher *c, unsigned long pages);
/* The same, named comm (prctl PR_SET_NAME); comm NULL: not renamed. */
void pfs_toucher_start_named(struct pfs_toucher *c, unsigned long pages,
			     const char *comm);
/* "g", then wait for "d": the pages are touched. */
void pfs_toucher_go(struct pfs_toucher *c);
void pfs_toucher_end(struct pfs_toucher *c);

#endif /* PFS_PFSTAT_H */
