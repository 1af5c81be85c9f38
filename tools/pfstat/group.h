/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfstat --by: the selected processes gathered into groups (same comm,
 * same cgroup, or a process with its descendants) and summed. Pure: the
 * cgroup paths and pressure come from cgroup.h, filled in afterwards.
 */
#ifndef PFSTAT_GROUP_H
#define PFSTAT_GROUP_H

#include <sys/types.h>

#include "model.h"

enum pfs_by {
	PFS_BY_NONE,		/* one row a process */
	PFS_BY_COMM,		/* processes of equal comm */
	PFS_BY_CGROUP,		/* processes of equal cgroup id */
	PFS_BY_PARENT,		/* each selected process and its descendants */
};

int pfs_by_parse(const char *arg, enum pfs_by *by);	/* 0 or -1 */
const char *pfs_by_name(enum pfs_by by);		/* "comm", ... */

/* A cgroup's memory.pressure: [PFS_PSI_SOME], [PFS_PSI_FULL]. */
enum { PFS_PSI_SOME, PFS_PSI_FULL, PFS_PSI_NKINDS };
extern const char *const pfs_psi_kind_names[PFS_PSI_NKINDS];

struct pfs_psi {
	bool have[PFS_PSI_NKINDS];	/* the line was read */
	double avg10[PFS_PSI_NKINDS];	/* percent of time stalled */
	double avg60[PFS_PSI_NKINDS];
	double avg300[PFS_PSI_NKINDS];
	uint64_t total_us[PFS_PSI_NKINDS];	/* stalled, microseconds */
};

struct pfs_group {
	/*
	 * First member: a view's rows point here, and pfs_group_of() goes
	 * back. The counters are summed as pfs_sum_rows() does; identity
	 * fields are the key's: comm (by comm), v[PFS_CGROUP] (by cgroup),
	 * or the whole row of the subtree's head (by parent). pid is 0 but
	 * by parent.
	 */
	struct pfs_row sum;
	size_t nprocs;			/* processes summed */
	size_t nalive;			/* of them alive */
	char *path;			/* by cgroup: its path, NULL if unknown */
	struct pfs_psi psi;		/* by cgroup: memory.pressure */
};

struct pfs_groups {
	enum pfs_by by;
	struct pfs_group *g;
	size_t n;
	struct pfs_row total;		/* every process in a group, once */
	size_t nprocs, nalive;		/* processes in total, alive */
};

static inline const struct pfs_group *pfs_group_of(const struct pfs_row *r)
{
	return (const struct pfs_group *)(const void *)r;
}

/*
 * Group the rows of t that s selects (s->active, sort and top are not
 * looked at: see pfs_groups_select()). By comm and cgroup the selected
 * processes are summed; by parent the selected processes are the heads
 * and each sums its whole subtree, selected or not. t must have the
 * cgroup column to group by it, ppid to group by parent. 0, or -1 with
 * errno (ENOMEM; EINVAL for a column t lacks).
 */
int pfs_group_rows(const struct pfs_table *t, const struct pfs_select *s,
		   enum pfs_by by, struct pfs_groups *gs);
void pfs_groups_free(struct pfs_groups *gs);

/*
 * out[] (room for gs->n) gets the groups: with s->active only those with
 * a non-zero counter, sorted by s; not cut to s->top. Returns how many.
 */
size_t pfs_groups_select(const struct pfs_groups *gs,
			 const struct pfs_select *s, const struct pfs_row **out);

/*
 * Each row's parent row, by ppid: the row with pid == ppid that started
 * last, but not after the child (pids are reused). -1 for a root: no such
 * row, or a cycle (impossible from the module, broken where found).
 * parent[] has room for t->nrows. 0 or -1 (ENOMEM).
 */
int pfs_parent_index(const struct pfs_table *t, ssize_t *parent);

/* The cgroup shown for g: its path, or "#<id>" when none was found. */
const char *pfs_group_cgroup(const struct pfs_group *g, char *buf, size_t sz);

#endif /* PFSTAT_GROUP_H */
