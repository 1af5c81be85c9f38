// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/maps, as fs/proc/task_mmu.c prints it:
 *
 *	start-end perms offset major:minor inode [padding path]
 *
 * in hex but the inode (decimal); the path is the rest of the line and
 * may hold spaces. The parser refuses anything else with the line number.
 */
#include <stdlib.h>
#include <string.h>

#include "maps.h"

static int pfs_maps_fail(struct pfs_err *err, unsigned int line,
			 const char *msg)
{
	err->line = line;
	err->kind = PFS_E_FORMAT;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
	return -1;
}

/* Hex digits at *p up to a byte in stops (or end); advances *p. */
static int pfs_hex(const char **p, const char *end, const char *stops,
		   uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	for (; s < end && !strchr(stops, *s); s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			return -1;
		if (x >> 60)
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	if (s == *p || s - *p > 16)
		return -1;
	*p = s;
	*v = x;
	return 0;
}

/* Consume one expected byte. */
static int pfs_lit(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -1;
	(*p)++;
	return 0;
}

static int pfs_maps_grow(struct pfs_maps *m)
{
	struct pfs_map *nm;
	size_t ncap;

	if (m->n < m->cap)
		return 0;
	ncap = m->cap ? m->cap * 2 : 64;
	nm = realloc(m->m, ncap * sizeof(*nm));
	if (!nm)
		return -1;
	m->m = nm;
	m->cap = ncap;
	return 0;
}

/* The fields up to the inode; the path is left at *p. */
static int pfs_map_fields(const char **p, const char *end, struct pfs_map *e)
{
	uint64_t ma, mi;
	const char *s;

	if (pfs_hex(p, end, "-", &e->start) || pfs_lit(p, end, '-') ||
	    pfs_hex(p, end, " ", &e->end) || pfs_lit(p, end, ' '))
		return -1;
	if (end - *p < 5 || (*p)[4] != ' ')
		return -1;
	memcpy(e->perms, *p, 4);
	e->perms[4] = '\0';
	*p += 5;
	if (pfs_hex(p, end, " ", &e->offset) || pfs_lit(p, end, ' ') ||
	    pfs_hex(p, end, ":", &ma) || pfs_lit(p, end, ':') ||
	    pfs_hex(p, end, " ", &mi) || pfs_lit(p, end, ' '))
		return -1;
	if (ma > 0xfff || mi > 0xfffff)
		return -1;
	e->dev = PFS_DEV_MAKE((uint32_t)ma, (uint32_t)mi);
	for (s = *p; *p < end && **p >= '0' && **p <= '9'; (*p)++)
		;
	if (*p == s || *p - s > 20 || pfs_parse_u64(s, (size_t)(*p - s), &e->ino))
		return -1;
	return e->start < e->end ? 0 : -1;
}

/* One line (no newline); the entry with its path copied. */
static int pfs_map_line(const char *s, const char *end, struct pfs_map *e)
{
	const char *p = s;

	memset(e, 0, sizeof(*e));
	if (pfs_map_fields(&p, end, e))
		return -1;
	if (p == end)
		return 0;
	if (*p != ' ')
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (p == end)
		return 0;
	if (memchr(p, '\0', (size_t)(end - p)))
		return -1;
	e->path = strndup(p, (size_t)(end - p));
	return e->path ? 0 : -2;
}

int pfs_maps_parse(const char *buf, size_t len, struct pfs_maps *out,
		   struct pfs_err *err)
{
	const char *p = buf, *end = buf + len;
	unsigned int line = 0;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int r;

		line++;
		if (!nl) {
			pfs_maps_free(out);
			return pfs_maps_fail(err, line, "line without a newline at the end");
		}
		if (pfs_maps_grow(out)) {
			pfs_maps_free(out);
			return pfs_maps_fail(err, 0, "out of memory");
		}
		r = pfs_map_line(p, nl, &out->m[out->n]);
		if (r) {
			pfs_maps_free(out);
			return pfs_maps_fail(err, line, r == -2 ? "out of memory" :
					     "not a maps line (start-end perms offset dev inode path)");
		}
		out->n++;
		p = nl + 1;
	}
	return 0;
}

static bool pfs_map_same(const struct pfs_map *a, const struct pfs_map *b)
{
	if (a->start != b->start || a->end != b->end ||
	    a->offset != b->offset || a->dev != b->dev || a->ino != b->ino ||
	    strcmp(a->perms, b->perms))
		return false;
	if (!a->path || !b->path)
		return a->path == b->path;
	return !strcmp(a->path, b->path);
}

int pfs_maps_merge(struct pfs_maps *u, const struct pfs_maps *snap)
{
	size_t i, j, n0 = u->n;

	u->gen++;
	for (i = 0; i < snap->n; i++) {
		const struct pfs_map *s = &snap->m[i];
		struct pfs_map *e;

		for (j = 0; j < n0; j++)
			if (pfs_map_same(&u->m[j], s))
				break;
		if (j < n0) {
			u->m[j].gen = u->gen;
			continue;
		}
		if (pfs_maps_grow(u))
			return -1;
		e = &u->m[u->n];
		*e = *s;
		e->gen = u->gen;
		if (s->path) {
			e->path = strdup(s->path);
			if (!e->path)
				return -1;
		}
		u->n++;
	}
	return 0;
}

void pfs_maps_free(struct pfs_maps *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->m[i].path);
	free(m->m);
	memset(m, 0, sizeof(*m));
}

const struct pfs_map *pfs_maps_find_addr(const struct pfs_maps *u,
					 uint64_t addr)
{
	const struct pfs_map *best = NULL;
	size_t i;

	for (i = 0; i < u->n; i++) {
		const struct pfs_map *e = &u->m[i];

		if (addr >= e->start && addr < e->end &&
		    (!best || e->gen >= best->gen))
			best = e;
	}
	return best;
}

const struct pfs_map *pfs_maps_find_above(const struct pfs_maps *u,
					  uint64_t addr)
{
	const struct pfs_map *best = NULL;
	size_t i;

	for (i = 0; i < u->n; i++) {
		const struct pfs_map *e = &u->m[i];

		if (e->start > addr &&
		    (!best || e->start < best->start ||
		     (e->start == best->start && e->gen >= best->gen)))
			best = e;
	}
	return best;
}

const struct pfs_map *pfs_maps_find_file(const struct pfs_maps *u,
					 uint32_t dev, uint64_t ino)
{
	const struct pfs_map *best = NULL;
	size_t i;

	for (i = 0; i < u->n; i++) {
		const struct pfs_map *e = &u->m[i];

		if (e->ino == ino && e->dev == dev && pfs_map_is_file(e) &&
		    (!best || e->gen >= best->gen))
			best = e;
	}
	return best;
}

bool pfs_map_is_file(const struct pfs_map *m)
{
	return m->path && m->path[0] != '[' && (m->ino || m->dev);
}
