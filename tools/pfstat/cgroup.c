// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup ids to paths, and memory pressure, for --by cgroup.
 *
 * The module prints a cgroup's id, which is the kernfs node id: on 64-bit
 * kernels the inode number of the cgroup's directory. So the map is a
 * walk of the cgroup2 mount, directory inode -> path; a cgroup that was
 * removed has no directory and stays an id.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"

/* Deeper than any real hierarchy; bounds the open directories of a walk. */
#define PFS_CGROUP_MAX_DEPTH	64
#define PFS_PSI_MAX		4096

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *pfs_unescape_octal(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
				      (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Fields of a mountinfo line: "id parent maj:min root mnt opts [opt...] - fstype src sopts" */
#define PFS_MI_FIELDS	32

int pfs_cgroup_mount_parse(const char *buf, size_t len, char **mount,
			   char **root)
{
	size_t pos = 0;

	while (pos < len) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		const char *f[PFS_MI_FIELDS];
		size_t fl[PFS_MI_FIELDS], nf = 0, i = 0, dash;

		pos += ll + 1;
		while (i < ll && nf < PFS_MI_FIELDS) {
			size_t start;

			while (i < ll && line[i] == ' ')
				i++;
			start = i;
			while (i < ll && line[i] != ' ')
				i++;
			if (i > start) {
				f[nf] = line + start;
				fl[nf++] = i - start;
			}
		}
		for (dash = 6; dash < nf; dash++)
			if (fl[dash] == 1 && f[dash][0] == '-')
				break;
		if (dash + 1 >= nf || fl[dash + 1] != 7 ||
		    memcmp(f[dash + 1], "cgroup2", 7))
			continue;
		*mount = pfs_unescape_octal(f[4], fl[4]);
		*root = pfs_unescape_octal(f[3], fl[3]);
		if (!*mount || !*root) {
			free(*mount);
			free(*root);
			*mount = *root = NULL;
			return -1;
		}
		return 1;
	}
	return 0;
}

static int pfs_cgmap_add(struct pfs_cgmap *m, uint64_t ino, const char *rel)
{
	if (m->n == m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		struct pfs_cgmap_ent *e = realloc(m->e, ncap * sizeof(*e));

		if (!e)
			return -1;
		m->e = e;
		m->cap = ncap;
	}
	m->e[m->n].rel = strdup(rel);
	if (!m->e[m->n].rel)
		return -1;
	m->e[m->n++].ino = ino;
	return 0;
}

/* The directories below fd (rel below the mount), on device dev. */
static int pfs_cgmap_walk(struct pfs_cgmap *m, int fd, const char *rel,
			  dev_t dev, int depth)
{
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (depth >= PFS_CGROUP_MAX_DEPTH) {
		close(fd);
		return 0;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;	/* unreadable: its cgroups stay ids */
	}
	while (!r && (de = readdir(d))) {
		struct stat st;
		char *sub;
		int cfd;

		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		cfd = openat(dirfd(d), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0)
			continue;
		if (fstat(cfd, &st) || st.st_dev != dev) {
			close(cfd);
			continue;
		}
		if (asprintf(&sub, "%s/%s", rel, de->d_name) < 0) {
			close(cfd);
			r = -1;
			break;
		}
		r = pfs_cgmap_add(m, (uint64_t)st.st_ino, sub);
		if (!r)
			r = pfs_cgmap_walk(m, cfd, sub, dev, depth + 1);
		else
			close(cfd);
		free(sub);
	}
	closedir(d);
	return r;
}

static int pfs_ent_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct pfs_cgmap_ent *)a)->ino;
	uint64_t y = ((const struct pfs_cgmap_ent *)b)->ino;

	return (x > y) - (x < y);
}

int pfs_cgmap_load(struct pfs_cgmap *m, const char *mount, const char *root)
{
	struct stat st;
	int fd, err;

	memset(m, 0, sizeof(*m));
	m->mount = strdup(mount);
	m->root = strdup(root && *root ? root : "/");
	if (!m->mount || !m->root)
		goto nomem;
	fd = open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (fstat(fd, &st)) {
		close(fd);
		goto fail;
	}
	if (pfs_cgmap_add(m, (uint64_t)st.st_ino, "") ||
	    pfs_cgmap_walk(m, fd, "", st.st_dev, 0))
		goto nomem;
	qsort(m->e, m->n, sizeof(*m->e), pfs_ent_cmp);
	return 0;
nomem:
	errno = ENOMEM;
fail:
	err = errno;
	pfs_cgmap_free(m);
	errno = err;
	return -1;
}

void pfs_cgmap_free(struct pfs_cgmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->e[i].rel);
	free(m->e);
	free(m->mount);
	free(m->root);
	memset(m, 0, sizeof(*m));
}

const char *pfs_cgmap_rel(const struct pfs_cgmap *m, uint64_t id)
{
	struct pfs_cgmap_ent key = { .ino = id };
	const struct pfs_cgmap_ent *e;

	if (!m->n)
		return NULL;
	e = bsearch(&key, m->e, m->n, sizeof(*m->e), pfs_ent_cmp);
	return e ? e->rel : NULL;
}

/* "key=value" of a PSI line: the number after "key=", or -1. */
static int pfs_psi_field(const char *s, size_t n, const char *key, double *d,
			 uint64_t *u)
{
	size_t kl = strlen(key);
	char tmp[64], *end;

	if (n <= kl + 1 || n - kl - 1 >= sizeof(tmp) || memcmp(s, key, kl) ||
	    s[kl] != '=')
		return -1;
	memcpy(tmp, s + kl + 1, n - kl - 1);
	tmp[n - kl - 1] = '\0';
	if (u)
		return pfs_parse_u64(tmp, strlen(tmp), u) ? -1 : 0;
	*d = strtod(tmp, &end);
	return end == tmp || *end || !(*d >= 0.0 && *d <= 100.0) ? -1 : 0;
}

/* One line: "some|full avg10=A avg60=B avg300=C total=T". */
static int pfs_psi_line(const char *s, size_t n, struct pfs_psi *p)
{
	const char *w[5];
	size_t wl[5], nw = 0, i = 0;
	int k;

	while (i < n) {
		size_t start = i;

		while (i < n && s[i] != ' ')
			i++;
		if (i == start || nw == 5)
			return -1;
		w[nw] = s + start;
		wl[nw++] = i - start;
		i++;
	}
	if (nw != 5)
		return -1;
	for (k = 0; k < PFS_PSI_NKINDS; k++)
		if (wl[0] == strlen(pfs_psi_kind_names[k]) &&
		    !memcmp(w[0], pfs_psi_kind_names[k], wl[0]))
			break;
	if (k == PFS_PSI_NKINDS || p->have[k] ||
	    pfs_psi_field(w[1], wl[1], "avg10", &p->avg10[k], NULL) ||
	    pfs_psi_field(w[2], wl[2], "avg60", &p->avg60[k], NULL) ||
	    pfs_psi_field(w[3], wl[3], "avg300", &p->avg300[k], NULL) ||
	    pfs_psi_field(w[4], wl[4], "total", NULL, &p->total_us[k]))
		return -1;
	p->have[k] = true;
	return 0;
}

int pfs_psi_parse(const char *buf, size_t len, struct pfs_psi *p)
{
	size_t pos = 0;

	memset(p, 0, sizeof(*p));
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - buf - pos) : len - pos;

		if (ll && pfs_psi_line(buf + pos, ll, p)) {
			memset(p, 0, sizeof(*p));
			return -1;
		}
		pos += ll + 1;
	}
	return p->have[PFS_PSI_SOME] ? 0 : -1;
}

/* <mount><rel>/memory.pressure, if there and well-formed. */
static void pfs_psi_read(const struct pfs_cgmap *m, const char *rel,
			 struct pfs_psi *p)
{
	char buf[PFS_PSI_MAX], *path;
	ssize_t n = -1;
	int fd;

	memset(p, 0, sizeof(*p));
	if (asprintf(&path, "%s%s/memory.pressure", m->mount, rel) < 0)
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return;
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n > 0)
		pfs_psi_parse(buf, (size_t)n, p);
}

int pfs_cgroups_fill(struct pfs_groups *gs, const struct pfs_cgmap *m)
{
	bool top = !strcmp(m->root, "/");
	size_t i;

	for (i = 0; i < gs->n; i++) {
		struct pfs_group *g = &gs->g[i];
		const char *rel = pfs_cgmap_rel(m, g->sum.v[PFS_CGROUP]);

		if (!rel)
			continue;
		/* The hierarchy's path: the mount's root, then below it. */
		if (asprintf(&g->path, "%s%s", top && *rel ? "" : m->root,
			     rel) < 0) {
			g->path = NULL;
			return -1;
		}
		pfs_psi_read(m, rel, &g->psi);
	}
	return 0;
}
