// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the fault map's data (fmap.c, out_plot.c): the
 * input is a maps text, a NUL, then events of 18 bytes (address, time,
 * result, cause). Whatever the maps and the addresses, every mark lands
 * in a band that holds its address, bands go by start address, the
 * bands' counts add up to the marks, and the CSV has a row a mark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

#define EV_SIZE	18

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void check(const struct pfs_fmap *f)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct pfs_band *b;

		if (f->m[i].band >= f->nbands)
			abort();
		b = &f->bands[f->m[i].band];
		if (f->m[i].address < b->start ||
		    (f->m[i].address >= b->end && b->end != UINT64_MAX))
			abort();
	}
	for (i = 0; i < f->nbands; i++) {
		if (f->bands[i].start >= f->bands[i].end)
			abort();
		if (i && f->bands[i].start < f->bands[i - 1].start)
			abort();
		total += f->bands[i].total;
	}
	if (total != f->n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct pfs_maps m = { 0 }, u = { 0 };
	struct pfs_fmap f = { 0 };
	struct pfs_where w;
	struct pfs_err e;
	size_t off;
	FILE *out;

	if (!nul)
		return 0;
	if (pfs_maps_parse((const char *)data, (size_t)(nul - data), &m, &e) == 0 &&
	    pfs_maps_merge(&u, &m))
		abort();
	pfs_where_init(&w, 1);
	for (off = (size_t)(nul - data) + 1; off + EV_SIZE <= size; off += EV_SIZE) {
		const uint8_t *p = data + off;
		struct pfs_event ev = {
			.type = p[16] & 0x80 ? PFS_EV_INVALID : PFS_EV_FAULT,
			.address = le64(p), .ts = le64(p + 8),
			.result = (enum pfs_result)(p[16] % PFS_NRESULTS),
			.cause = (enum pfs_cause)(p[17] % PFS_NCAUSES),
			.dev = p[17] >> 4, .ino = p[17] & 3,
		};

		if (pfs_fmap_add(&f, &ev))
			abort();
	}
	if (pfs_fmap_finish(&f, &w, &u))
		abort();
	check(&f);
	out = fopen("/dev/null", "w");
	if (out) {
		pfs_fmap_csv(out, &f);
		fclose(out);
	}
	pfs_fmap_free(&f);
	pfs_where_free(&w);
	pfs_maps_free(&u);
	pfs_maps_free(&m);
	return 0;
}
