/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's trace events (docs/format.md, "Trace events") decoded into
 * plain values: tracefs.c fills a struct pfs_event from a record, and
 * everything else (trace lines, the where report) reads only this.
 */
#ifndef PFSTAT_EVENT_H
#define PFSTAT_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pfs_ev_type {
	PFS_EV_FAULT,		/* pagefault_stats:fault */
	PFS_EV_INVALID,		/* pagefault_stats:invalid */
};

/* fault's result, in the order of docs/format.md; unknown: a newer module */
enum pfs_result {
	PFS_R_MINOR,
	PFS_R_MAJOR,
	PFS_R_RETRY,
	PFS_R_OOM,
	PFS_R_SIGBUS,
	PFS_R_HWPOISON,
	PFS_R_SEGV,
	PFS_R_ERROR,	/* VM_FAULT_ERROR, none of the above */
	PFS_R_UNKNOWN,
	PFS_NRESULTS
};

enum pfs_cause {
	PFS_C_ANON,
	PFS_C_FILE,
	PFS_C_SHMEM,
	PFS_C_UNKNOWN,
	PFS_NCAUSES
};

/* invalid's kind */
enum pfs_ikind {
	PFS_K_SEGV_MAPERR,
	PFS_K_SEGV_ACCERR,
	PFS_K_SEGV_PKUERR,
	PFS_K_EFAULT,
	PFS_K_UNKNOWN,
	PFS_NKINDS
};

extern const char *const pfs_result_names[PFS_NRESULTS];
extern const char *const pfs_cause_names[PFS_NCAUSES];
extern const char *const pfs_ikind_names[PFS_NKINDS];

/*
 * A fixed char array field: the name up to its first NUL or n bytes.
 * Anything not in the table is the UNKNOWN value, never an error.
 */
enum pfs_result pfs_result_of(const char *s, size_t n);
enum pfs_cause pfs_cause_of(const char *s, size_t n);
enum pfs_ikind pfs_ikind_of(const char *s, size_t n);

/* The kernel's dev_t as the fault event carries it */
#define PFS_DEV_MAJOR(dev)	((unsigned int)((dev) >> 20))
#define PFS_DEV_MINOR(dev)	((unsigned int)((dev) & 0xfffff))
#define PFS_DEV_MAKE(ma, mi)	((uint32_t)(((ma) << 20) | ((mi) & 0xfffff)))

/* Kernel addresses on x86-64 and arm64 are in the upper half. */
#define PFS_KERNEL_ADDR(a)	((a) >= 0x8000000000000000ULL)

struct pfs_event {
	enum pfs_ev_type type;
	int cpu;
	uint64_t ts;			/* ns on the instance's trace clock */
	int tgid, pid;
	uint64_t address;
	/* fault */
	unsigned int flags, ret;
	enum pfs_result result;
	enum pfs_cause cause;
	uint64_t ns;
	uint32_t dev;			/* 0 for anon */
	uint64_t ino, pgoff;
	/* invalid */
	uint64_t ip, error_code;
	enum pfs_ikind kind;
	bool user;
};

#endif /* PFSTAT_EVENT_H */
