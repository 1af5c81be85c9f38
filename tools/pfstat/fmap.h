/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault map's data (pfstat plot map, run --plot): every traced event
 * a mark (time, address, result), and the mappings the marks landed in
 * as bands, lowest address first. Pure: events and maps come in, marks
 * and bands go out; plot_map.c draws them, out_plot.c writes them as CSV.
 */
#ifndef PFSTAT_FMAP_H
#define PFSTAT_FMAP_H

#include "where.h"

/* What a mark says, in the order they are drawn (the rare ones on top). */
enum pfs_mark_kind {
	PFS_M_MINOR,
	PFS_M_RETRY,
	PFS_M_MAJOR,
	PFS_M_ERROR,		/* a fault that failed: oom, sigbus, segv ... */
	PFS_M_INVALID,		/* an invalid access (the invalid event) */
	PFS_NMARKS
};

extern const char *const pfs_mark_names[PFS_NMARKS];

/* Marks kept, at 32 bytes each; those beyond are counted, not drawn. */
#define PFS_FMAP_MAX_MARKS	(1u << 22)

struct pfs_mark {
	uint64_t ts;			/* the event's, trace clock ns */
	uint64_t address;
	uint32_t file;			/* 1 + index in files[]; 0: none */
	uint32_t band;			/* index in bands[] (pfs_fmap_finish) */
	uint8_t kind;			/* enum pfs_mark_kind */
};

enum pfs_band_kind {
	PFS_B_FILE,		/* a file's mappings */
	PFS_B_NAMED,		/* [heap], [stack], [vdso] ... */
	PFS_B_ANON,		/* one anonymous mapping */
	PFS_B_UNMAPPED,		/* addresses in no mapping, 1 MiB apart at most */
};

struct pfs_band {
	enum pfs_band_kind kind;
	uint64_t start, end;		/* [start, end): the mappings' and marks' */
	char *name;			/* path, [heap] ...; NULL: anon, unmapped */
	uint32_t dev;			/* PFS_B_FILE */
	uint64_t ino;
	uint64_t count[PFS_NMARKS];
	uint64_t total;
};

struct pfs_fmap_file {
	uint32_t dev;
	uint64_t ino;
};

struct pfs_fmap {
	struct pfs_mark *m;
	size_t n, cap;
	uint64_t unkept;		/* events beyond PFS_FMAP_MAX_MARKS */
	struct pfs_fmap_file *files;	/* dev:ino of file faults */
	size_t nfiles, filecap;
	struct pfs_band *bands;		/* by start address (pfs_fmap_finish) */
	size_t nbands;
	uint64_t t0;			/* the first mark's ts */
	double span;			/* seconds from the first mark to the last */
	uint64_t count[PFS_NMARKS];	/* every event, kept or not */
};

enum pfs_mark_kind pfs_mark_of(const struct pfs_event *e);
/* Record one event; 0 or -1 (out of memory). */
int pfs_fmap_add(struct pfs_fmap *f, const struct pfs_event *e);
/* Place the marks in bands, from the union of maps the session saw and
 * where's rules for the stack (w: its stack limit). 0 or -1. */
int pfs_fmap_finish(struct pfs_fmap *f, const struct pfs_where *w,
		    const struct pfs_maps *u);
void pfs_fmap_free(struct pfs_fmap *f);

/* Seconds since the first mark. */
static inline double pfs_mark_time(const struct pfs_fmap *f,
				   const struct pfs_mark *m)
{
	return (double)(m->ts - f->t0) / 1e9;
}

/* A band's label: its path's last component, [heap], "anon 64 MiB" ... */
size_t pfs_band_label(const struct pfs_band *b, char *buf, size_t sz);

#endif /* PFSTAT_FMAP_H */
