// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for /proc/PID/maps: the parser never overruns and,
 * when it accepts, every entry is a non-empty range; the union with
 * itself adds nothing; lookups of each entry's start find an entry that
 * holds it; the where aggregation of a fault at every entry never fails.
 */
#include <stdlib.h>
#include <string.h>

#include "where.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pfs_maps m, u = { 0 };
	struct pfs_where w;
	struct pfs_err e;
	size_t i;

	if (pfs_maps_parse((const char *)data, size, &m, &e))
		return 0;
	if (pfs_maps_merge(&u, &m) || pfs_maps_merge(&u, &m))
		abort();
	if (u.n > m.n)
		abort();
	pfs_where_init(&w, 1);
	for (i = 0; i < m.n; i++) {
		const struct pfs_map *f = pfs_maps_find_addr(&u, m.m[i].start);
		struct pfs_event ev = {
			.type = i & 1 ? PFS_EV_INVALID : PFS_EV_FAULT,
			.address = m.m[i].start, .ip = m.m[i].end - 1,
			.user = true, .cause = PFS_C_ANON,
		};

		if (m.m[i].start >= m.m[i].end)
			abort();
		if (!f || f->start > m.m[i].start || f->end <= m.m[i].start)
			abort();
		if (pfs_where_add(&w, &u, &ev))
			abort();
	}
	if (pfs_where_finish(&w, &u))
		abort();
	pfs_where_free(&w);
	pfs_maps_free(&u);
	pfs_maps_free(&m);
	return 0;
}
