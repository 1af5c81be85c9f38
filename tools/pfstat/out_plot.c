// SPDX-License-Identifier: GPL-2.0
/*
 * What pfstat plot writes besides the picture: the format its file name
 * asks for, and the data behind it (--data FILE), CSV per RFC 4180 like
 * out_csv.c: the fault map a row a mark, the rates a row a process and
 * interval. The latency picture's data is pfs_hist_csv()'s. Columns are
 * documented in docs/format.md ("Plot data").
 */
#include <string.h>
#include <strings.h>

#include "out.h"
#include "plot.h"

int pfs_img_fmt_of(const char *path, enum pfs_img_fmt *fmt)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return -1;
	if (!strcasecmp(dot, ".png"))
		*fmt = PFS_IMG_PNG;
	else if (!strcasecmp(dot, ".svg"))
		*fmt = PFS_IMG_SVG;
	else
		return -1;
	return 0;
}

static const char *const pfs_band_kind_names[] = {
	[PFS_B_FILE] = "file",
	[PFS_B_NAMED] = "named",
	[PFS_B_ANON] = "anon",
	[PFS_B_UNMAPPED] = "unmapped",
};

void pfs_fmap_csv(FILE *f, const struct pfs_fmap *m)
{
	size_t i;

	fputs("time_s,address,result,band,band_kind,band_name,band_start,band_end\r\n", f);
	for (i = 0; i < m->n; i++) {
		const struct pfs_mark *mk = &m->m[i];
		const struct pfs_band *b = &m->bands[mk->band];

		fprintf(f, "%.9f,0x%llx,%s,%u,%s,", pfs_mark_time(m, mk),
			(unsigned long long)mk->address,
			pfs_mark_names[mk->kind], mk->band,
			pfs_band_kind_names[b->kind]);
		if (b->name)
			pfs_csv_field(f, b->name, strlen(b->name));
		fprintf(f, ",0x%llx,0x%llx\r\n", (unsigned long long)b->start,
			(unsigned long long)b->end);
	}
	fflush(f);
}

void pfs_rates_csv(FILE *f, const struct pfs_rates *r, size_t top)
{
	size_t i, j;
	int k;

	fputs("time_s,interval_s,pid,comm,minor,major,invalid,refault\r\n", f);
	for (j = 0; j < r->np && j < top; j++) {
		const struct pfs_rate_proc *p = &r->p[j];
		size_t pt = 0;

		for (i = 0; i < r->nint; i++) {
			const struct pfs_rate_pt *at = NULL;

			while (pt < p->npt && p->pt[pt].i < i)
				pt++;
			if (pt < p->npt && p->pt[pt].i == i)
				at = &p->pt[pt];
			fprintf(f, "%.3f,%.3f,%d,", r->t[i], r->dt[i], p->pid);
			pfs_csv_field(f, p->comm, p->comm_len);
			for (k = 0; k < PFS_NRATES; k++) {
				if (k == PFS_RT_REFAULT && !r->refault)
					fputc(',', f);
				else
					fprintf(f, ",%llu", at ?
						(unsigned long long)at->c[k] : 0ULL);
			}
			fputs("\r\n", f);
		}
	}
	fflush(f);
}
