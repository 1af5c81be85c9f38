/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/PID/maps: one snapshot parsed into entries, and the union of the
 * snapshots taken while tracing, so that a mapping gone before the end
 * still names the faults it took. Pure: the caller reads the file.
 */
#ifndef PFSTAT_MAPS_H
#define PFSTAT_MAPS_H

#include "event.h"
#include "model.h"

struct pfs_map {
	uint64_t start, end;		/* [start, end) */
	uint64_t offset;		/* in the file, bytes */
	uint32_t dev;			/* kernel dev_t, PFS_DEV_MAKE() */
	uint64_t ino;
	char perms[5];			/* "r-xp" */
	char *path;			/* NULL: anonymous, else as maps prints it */
	unsigned long gen;		/* the last snapshot that had it */
};

struct pfs_maps {
	struct pfs_map *m;
	size_t n, cap;
	unsigned long gen;		/* snapshots merged so far */
};

/* Parse a maps text into *out (empty first); 0, or -1 with err set. */
int pfs_maps_parse(const char *buf, size_t len, struct pfs_maps *out,
		   struct pfs_err *err);
/* Add a snapshot to the union; 0 or -1 (out of memory). */
int pfs_maps_merge(struct pfs_maps *u, const struct pfs_maps *snap);
void pfs_maps_free(struct pfs_maps *m);

/* The entry holding addr, from the latest snapshot that had one; or NULL. */
const struct pfs_map *pfs_maps_find_addr(const struct pfs_maps *u,
					 uint64_t addr);
/* An entry that maps file (dev, ino), the latest seen; or NULL. */
/* The mapping closest above addr (lowest start > addr; newest first). */
const struct pfs_map *pfs_maps_find_above(const struct pfs_maps *u,
					  uint64_t addr);
const struct pfs_map *pfs_maps_find_file(const struct pfs_maps *u,
					 uint32_t dev, uint64_t ino);

/* Whether the entry maps a file (not anon, [heap], [stack], [vdso] ...). */
bool pfs_map_is_file(const struct pfs_map *m);

#endif /* PFSTAT_MAPS_H */
