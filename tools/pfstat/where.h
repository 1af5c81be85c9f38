/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfstat where: trace events gathered into the mappings they hit, and
 * the invalid accesses one by one. Pure: events and maps come in, rows
 * go out; out_where.c writes them.
 */
#ifndef PFSTAT_WHERE_H
#define PFSTAT_WHERE_H

#include <sys/resource.h>

#include "maps.h"

/* Invalid accesses listed one by one; the rest only counted. */
#define PFS_WHERE_INVALID_MAX	256

enum pfs_where_kind {
	PFS_W_FILE,		/* file and shmem faults, by dev:ino */
	PFS_W_NAMED,		/* [heap], [stack], [vdso], ... by name */
	PFS_W_ANON,		/* an anonymous region, by its start */
	PFS_W_UNMAPPED,		/* in no mapping any snapshot saw */
};

struct pfs_where_row {
	enum pfs_where_kind kind;
	enum pfs_cause cause;		/* of the faults (file, shmem, anon) */
	uint32_t dev;			/* PFS_W_FILE */
	uint64_t ino;
	uint64_t start, end;		/* the region, where a snapshot had it */
	char *name;			/* path, [heap] ...; NULL: unresolved file */
	uint64_t minor, major, retry, errors, invalid;
	uint64_t lo, hi;		/* lowest, highest page: pgoff (file) or
					 * address >> 12 (the others) */
	uint64_t pages;			/* distinct pages (pfs_where_finish) */
	uint64_t *pg;			/* the pages seen, one per fault */
	size_t npg, pgcap;
	bool any;			/* lo/hi valid: a fault was counted */
};

struct pfs_where_invalid {
	int tgid, pid;
	uint64_t address, ip, error_code;
	enum pfs_ikind kind;
	bool user;
	char *ip_file;			/* file ip is in, or NULL */
	uint64_t ip_offset;		/* ip's offset in it */
};

/* pfstat run --where: how the command ended, as run reports it. */
struct pfs_where_run {
	char *const *argv;
	bool exited;
	int code;
	uint64_t start_time;
	struct rusage ru;
	uint64_t pre_minflt, pre_majflt;	/* before tracing began */
};

struct pfs_where {
	int pid;
	double duration;		/* seconds traced */
	uint64_t events;		/* counted */
	uint64_t lost;			/* ring buffer overruns */
	uint64_t by_result[PFS_NRESULTS];
	uint64_t by_kind[PFS_NKINDS];
	struct pfs_where_row *rows;
	size_t nrows, rowcap;
	struct pfs_where_invalid inv[PFS_WHERE_INVALID_MAX];
	size_t ninv;
	uint64_t inv_more;		/* invalid accesses not listed */
	const struct pfs_where_run *run;	/* NULL: where -p */
	uint64_t stack_limit;		/* RLIMIT_STACK, bytes; 0: 8 MiB */
};

void pfs_where_init(struct pfs_where *w, int pid);
/* Count one event; the union u so far places anon addresses. 0 or -1. */
int pfs_where_add(struct pfs_where *w, const struct pfs_maps *u,
		  const struct pfs_event *e);
/* Names from the whole union, distinct pages, the order. 0 or -1. */
int pfs_where_finish(struct pfs_where *w, const struct pfs_maps *u);
void pfs_where_free(struct pfs_where *w);

uint64_t pfs_where_total(const struct pfs_where_row *r);
/* The mapping an address is in by the union u: a snapshot's, the stack
 * grown below its last snapshot, execve()'s argument page; or NULL. */
const struct pfs_map *pfs_where_map_of(const struct pfs_where *w,
				       const struct pfs_maps *u, uint64_t addr);

#endif /* PFSTAT_WHERE_H */
