/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rates picture's data (pfstat plot rates): per-interval deltas of the
 * module's table gathered into one series a process, for minor, major,
 * invalid and (where the module has it) refault. Pure: delta tables come
 * in, series go out; plot_rates.c draws them, out_plot.c writes them.
 */
#ifndef PFSTAT_RATES_H
#define PFSTAT_RATES_H

#include "model.h"

enum pfs_rate_kind {
	PFS_RT_MINOR,
	PFS_RT_MAJOR,
	PFS_RT_INVALID,		/* segv_maperr + segv_accerr + segv_pkuerr */
	PFS_RT_REFAULT,		/* refault_anon + refault_file */
	PFS_NRATES
};

extern const char *const pfs_rate_names[PFS_NRATES];

/* A process's counts in one interval it was active in. */
struct pfs_rate_pt {
	uint32_t i;			/* the interval, 0-based */
	uint64_t c[PFS_NRATES];
};

struct pfs_rate_proc {
	int pid;
	uint64_t start_time;		/* with pid, the process; 0: unknown */
	char comm[PFS_COMM_MAX + 1];
	size_t comm_len;
	struct pfs_rate_pt *pt;		/* by interval */
	size_t npt, ptcap;
	uint64_t total[PFS_NRATES];
	uint64_t rank;			/* minor + major + invalid + refault */
};

struct pfs_rates {
	size_t nint;			/* intervals added */
	double *t;			/* each one's end, seconds from the start */
	double *dt;			/* its length, seconds */
	size_t tcap;
	struct pfs_rate_proc *p;	/* after pfs_rates_finish: by rank */
	size_t np, pcap;
	bool refault;			/* the module counts refaults */
};

/* One interval's delta table, ending t seconds after the start and dt
 * long; rows sel does not select and rows without faults are left out.
 * 0 or -1 (out of memory). */
int pfs_rates_add(struct pfs_rates *r, const struct pfs_table *delta,
		  const struct pfs_select *sel, double t, double dt);
/* Processes by rank, most faults first. */
void pfs_rates_finish(struct pfs_rates *r);
void pfs_rates_free(struct pfs_rates *r);

/* Process p's rate of kind k in interval i, per second. */
double pfs_rate_at(const struct pfs_rates *r, const struct pfs_rate_proc *p,
		   size_t i, enum pfs_rate_kind k);

#endif /* PFSTAT_RATES_H */
