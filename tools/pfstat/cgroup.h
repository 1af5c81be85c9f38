/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cgroup v2 tree for --by cgroup: where it is mounted (mountinfo), a
 * map from cgroup id (the inode number of the cgroup's directory, which
 * is what the module prints) to the cgroup's path, and each cgroup's
 * memory pressure (PSI, memory.pressure). The only core file that reads
 * files: those under the mount it is given, so tests hand it a fake tree.
 */
#ifndef PFSTAT_CGROUP_H
#define PFSTAT_CGROUP_H

#include "group.h"

/* Environment variable naming a directory to use as the cgroup2 mount. */
#define PFS_CGROUP_ROOT_ENV	"PFSTAT_CGROUP_ROOT"

struct pfs_cgmap_ent {
	uint64_t ino;
	char *rel;		/* below the mount: "" or "/a/b" */
};

struct pfs_cgmap {
	char *mount;		/* where cgroup2 is mounted */
	char *root;		/* the mount's root in the hierarchy: "/" */
	struct pfs_cgmap_ent *e;	/* by ino */
	size_t n, cap;
};

/*
 * The first cgroup2 mount in a /proc/self/mountinfo text: 1 and the
 * mount point and root (unescaped, malloc'd), 0 if there is none, -1 if
 * out of memory.
 */
int pfs_cgroup_mount_parse(const char *buf, size_t len, char **mount,
			   char **root);

/* Walk the tree under mount (not into other mounts). 0, or -1 and errno. */
int pfs_cgmap_load(struct pfs_cgmap *m, const char *mount, const char *root);
void pfs_cgmap_free(struct pfs_cgmap *m);
/* The cgroup's directory below the mount, or NULL (removed, or elsewhere). */
const char *pfs_cgmap_rel(const struct pfs_cgmap *m, uint64_t id);

/* memory.pressure ("some avg10=0.00 avg60=0.00 avg300=0.00 total=0"). 0 or -1. */
int pfs_psi_parse(const char *buf, size_t len, struct pfs_psi *p);

/*
 * Each group of gs (by cgroup) gets its path as /proc/<pid>/cgroup shows
 * it ("/" for the root, NULL if no directory has its id) and its
 * memory.pressure where the file is there. 0, or -1 (ENOMEM).
 */
int pfs_cgroups_fill(struct pfs_groups *gs, const struct pfs_cgmap *m);

#endif /* PFSTAT_CGROUP_H */
