// SPDX-License-Identifier: GPL-2.0
/*
 * The fault map's data. Events are kept as marks while tracing; at the
 * end the union of maps snapshots names the mapping each mark landed in
 * (where.c's rules: the stack grown below its last snapshot, execve()'s
 * argument page), and every mapping a mark landed in becomes a band. A
 * file fault in a mapping no snapshot saw is placed by its dev:ino;
 * addresses in no mapping at all are clustered into "unmapped" bands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmap.h"

const char *const pfs_mark_names[PFS_NMARKS] = {
	[PFS_M_MINOR] = "minor",
	[PFS_M_RETRY] = "retry",
	[PFS_M_MAJOR] = "major",
	[PFS_M_ERROR] = "error",
	[PFS_M_INVALID] = "invalid",
};

/* Unmapped addresses further apart than this are separate bands. */
#define PFS_UNMAPPED_GAP	(1ULL << 20)
#define PFS_PAGE_MASK		4095ULL

/* The end of the page at pg: the top page of the address space ends at
 * UINT64_MAX, its last byte excluded. */
static uint64_t pfs_page_end(uint64_t pg)
{
	return pg > UINT64_MAX - PFS_PAGE_MASK - 1 ? UINT64_MAX :
	       pg + PFS_PAGE_MASK + 1;
}

enum pfs_mark_kind pfs_mark_of(const struct pfs_event *e)
{
	if (e->type == PFS_EV_INVALID)
		return PFS_M_INVALID;
	switch (e->result) {
	case PFS_R_MINOR: return PFS_M_MINOR;
	case PFS_R_MAJOR: return PFS_M_MAJOR;
	case PFS_R_RETRY: return PFS_M_RETRY;
	default: return PFS_M_ERROR;
	}
}

/* 1 + the index of dev:ino in files[], added if new; 0 on no memory. */
static uint32_t pfs_fmap_file(struct pfs_fmap *f, uint32_t dev, uint64_t ino)
{
	size_t i;

	for (i = f->nfiles; i-- > 0;)
		if (f->files[i].dev == dev && f->files[i].ino == ino)
			return (uint32_t)i + 1;
	if (f->nfiles == f->filecap) {
		size_t ncap = f->filecap ? f->filecap * 2 : 8;
		struct pfs_fmap_file *n = realloc(f->files, ncap * sizeof(*n));

		if (!n)
			return 0;
		f->files = n;
		f->filecap = ncap;
	}
	f->files[f->nfiles].dev = dev;
	f->files[f->nfiles].ino = ino;
	f->nfiles++;
	return (uint32_t)f->nfiles;
}

int pfs_fmap_add(struct pfs_fmap *f, const struct pfs_event *e)
{
	enum pfs_mark_kind k = pfs_mark_of(e);
	struct pfs_mark *m;

	f->count[k]++;
	if (f->n == PFS_FMAP_MAX_MARKS) {
		f->unkept++;
		return 0;
	}
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 1024;

		m = realloc(f->m, ncap * sizeof(*m));
		if (!m)
			return -1;
		f->m = m;
		f->cap = ncap;
	}
	m = &f->m[f->n];
	memset(m, 0, sizeof(*m));
	m->ts = e->ts;
	m->address = e->address;
	m->kind = (uint8_t)k;
	if (e->type == PFS_EV_FAULT &&
	    (e->cause == PFS_C_FILE || e->cause == PFS_C_SHMEM)) {
		m->file = pfs_fmap_file(f, e->dev, e->ino);
		if (!m->file)
			return -1;
	}
	f->n++;
	return 0;
}

static struct pfs_band *pfs_band_new(struct pfs_fmap *f, size_t *cap)
{
	struct pfs_band *b;

	if (f->nbands == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		b = realloc(f->bands, ncap * sizeof(*b));
		if (!b)
			return NULL;
		f->bands = b;
		*cap = ncap;
	}
	b = &f->bands[f->nbands++];
	memset(b, 0, sizeof(*b));
	return b;
}

/* The band of a mark in a mapping (m) or, without one, of its file. */
static struct pfs_band *pfs_band_find(struct pfs_fmap *f, size_t *cap,
				      const struct pfs_map *m,
				      const struct pfs_fmap_file *file,
				      const struct pfs_maps *u)
{
	enum pfs_band_kind kind;
	const struct pfs_map *named;
	struct pfs_band *b;
	uint32_t dev = 0;
	uint64_t ino = 0;
	size_t i;

	if (m && pfs_map_is_file(m)) {
		kind = PFS_B_FILE;
		dev = m->dev;
		ino = m->ino;
	} else if (m) {
		kind = m->path ? PFS_B_NAMED : PFS_B_ANON;
	} else {
		kind = PFS_B_FILE;
		dev = file->dev;
		ino = file->ino;
	}
	for (i = 0; i < f->nbands; i++) {
		b = &f->bands[i];
		if (b->kind != kind)
			continue;
		if ((kind == PFS_B_FILE && b->dev == dev && b->ino == ino) ||
		    (kind == PFS_B_NAMED && !strcmp(b->name, m->path)) ||
		    (kind == PFS_B_ANON && m->start < b->end &&
		     m->end > b->start))
			return b;
	}
	b = pfs_band_new(f, cap);
	if (!b)
		return NULL;
	b->kind = kind;
	b->dev = dev;
	b->ino = ino;
	b->start = UINT64_MAX;
	named = m;
	if (kind == PFS_B_FILE && !(m && m->path))
		named = pfs_maps_find_file(u, dev, ino);
	if (named && named->path) {
		b->name = strdup(named->path);
		if (!b->name) {
			f->nbands--;
			return NULL;
		}
	}
	return b;
}

/* Widen the band to the mapping and to the mark's page. */
static void pfs_band_cover(struct pfs_band *b, const struct pfs_map *m,
			   uint64_t addr)
{
	uint64_t pg = addr & ~PFS_PAGE_MASK;

	if (m && m->start < b->start)
		b->start = m->start;
	if (m && m->end > b->end)
		b->end = m->end;
	if (pg < b->start)
		b->start = pg;
	if (pfs_page_end(pg) > b->end)
		b->end = pfs_page_end(pg);
}

static int pfs_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Cluster the pages of the marks in no mapping into unmapped bands. */
static int pfs_fmap_unmapped(struct pfs_fmap *f, size_t *cap,
			     const uint8_t *unplaced)
{
	uint64_t *pg;
	size_t i, n = 0, first, lo;

	for (i = 0; i < f->n; i++)
		n += unplaced[i];
	if (!n)
		return 0;
	pg = malloc(n * sizeof(*pg));
	if (!pg)
		return -1;
	n = 0;
	for (i = 0; i < f->n; i++)
		if (unplaced[i])
			pg[n++] = f->m[i].address & ~PFS_PAGE_MASK;
	qsort(pg, n, sizeof(*pg), pfs_u64_cmp);
	first = f->nbands;
	for (i = 0; i < n; i++) {
		struct pfs_band *b;

		if (i && pg[i] - pg[i - 1] <= PFS_UNMAPPED_GAP) {
			f->bands[f->nbands - 1].end = pfs_page_end(pg[i]);
			continue;
		}
		b = pfs_band_new(f, cap);
		if (!b) {
			free(pg);
			return -1;
		}
		b->kind = PFS_B_UNMAPPED;
		b->start = pg[i];
		b->end = pfs_page_end(pg[i]);
	}
	free(pg);
	/* Each mark into its cluster: bands [first, nbands) are sorted. */
	for (i = 0; i < f->n; i++) {
		size_t hi = f->nbands;

		if (!unplaced[i])
			continue;
		lo = first;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			if (f->bands[mid].start <= f->m[i].address)
				lo = mid;
			else
				hi = mid;
		}
		f->m[i].band = (uint32_t)lo;
	}
	return 0;
}

static int pfs_band_cmp(const void *a, const void *b)
{
	const struct pfs_band *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Bands by address, the marks' indices following them. */
static int pfs_fmap_sort(struct pfs_fmap *f)
{
	uint32_t *to;
	size_t i;

	for (i = 0; i < f->nbands; i++)
		f->bands[i].total = i;	/* the old index, for a moment */
	qsort(f->bands, f->nbands, sizeof(*f->bands), pfs_band_cmp);
	to = malloc((f->nbands ? f->nbands : 1) * sizeof(*to));
	if (!to)
		return -1;
	for (i = 0; i < f->nbands; i++) {
		to[f->bands[i].total] = (uint32_t)i;
		f->bands[i].total = 0;
	}
	for (i = 0; i < f->n; i++) {
		struct pfs_band *b;

		f->m[i].band = to[f->m[i].band];
		b = &f->bands[f->m[i].band];
		b->count[f->m[i].kind]++;
		b->total++;
	}
	free(to);
	return 0;
}

int pfs_fmap_finish(struct pfs_fmap *f, const struct pfs_where *w,
		    const struct pfs_maps *u)
{
	const struct pfs_map *last = NULL;
	struct pfs_band *lastb = NULL;
	uint8_t *unplaced;
	uint64_t tmax = 0;
	size_t i, cap = f->nbands;
	int r = -1;

	if (!f->n)
		return 0;
	unplaced = calloc(f->n, 1);
	if (!unplaced)
		return -1;
	f->t0 = UINT64_MAX;
	for (i = 0; i < f->n; i++) {
		struct pfs_mark *mk = &f->m[i];
		const struct pfs_map *m = pfs_where_map_of(w, u, mk->address);
		struct pfs_band *b;

		if (mk->ts < f->t0)
			f->t0 = mk->ts;
		if (mk->ts > tmax)
			tmax = mk->ts;
		if (!m && !mk->file) {
			unplaced[i] = 1;
			continue;
		}
		if (m && m == last) {
			b = lastb;
		} else {
			b = pfs_band_find(f, &cap, m, mk->file ?
					  &f->files[mk->file - 1] : NULL, u);
			if (!b)
				goto out;
			last = m;
			lastb = m ? b : NULL;
		}
		pfs_band_cover(b, m, mk->address);
		mk->band = (uint32_t)(b - f->bands);
	}
	f->span = (double)(tmax - f->t0) / 1e9;
	if (pfs_fmap_unmapped(f, &cap, unplaced) || pfs_fmap_sort(f))
		goto out;
	r = 0;
out:
	free(unplaced);
	return r;
}

void pfs_fmap_free(struct pfs_fmap *f)
{
	size_t i;

	for (i = 0; i < f->nbands; i++)
		free(f->bands[i].name);
	free(f->bands);
	free(f->files);
	free(f->m);
	memset(f, 0, sizeof(*f));
}

size_t pfs_band_label(const struct pfs_band *b, char *buf, size_t sz)
{
	const char *base;
	int n;

	switch (b->kind) {
	case PFS_B_FILE:
		if (!b->name) {
			n = snprintf(buf, sz, "file %u:%u ino %llu",
				     PFS_DEV_MAJOR(b->dev), PFS_DEV_MINOR(b->dev),
				     (unsigned long long)b->ino);
			break;
		}
		base = strrchr(b->name, '/');
		n = snprintf(buf, sz, "%s", base && base[1] ? base + 1 : b->name);
		break;
	case PFS_B_NAMED:
		n = snprintf(buf, sz, "%s", b->name);
		break;
	case PFS_B_ANON:
		n = snprintf(buf, sz, "anon");
		break;
	default:
		n = snprintf(buf, sz, "unmapped");
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}
