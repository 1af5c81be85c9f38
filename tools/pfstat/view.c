// SPDX-License-Identifier: GPL-2.0
/*
 * The process table of show and watch: the rows of a snapshot (or of a
 * watch interval's delta) the options select, their totals, and the
 * writer of the chosen format.
 */
#include <string.h>

#include "app.h"

/*
 * The view of t: rows (room for t->nrows) gets the selected rows, sorted
 * and cut to the top N; the totals cover every selected row.
 */
void pfs_view_init(struct pfs_view *v, const struct pfs_cfg *cfg,
		   const struct pfs_table *t, const struct pfs_row **rows)
{
	struct pfs_select all = cfg->sel;

	memset(v, 0, sizeof(*v));
	v->t = t;
	v->rows = rows;
	v->raw = cfg->raw;
	v->wide = cfg->wide;
	v->timestamp = pfs_now();
	/* Totals cover every selected row, not only the top N shown. */
	all.top = 0;
	v->nsel = pfs_select_rows(t, &all, rows);
	pfs_sum_rows(rows, v->nsel, &v->total);
	v->n = v->nsel;
	if (cfg->sel.top && v->n > cfg->sel.top)
		v->n = cfg->sel.top;
}

/* The view in the configured format; first: a watch's first interval. */
void pfs_render(FILE *f, const struct pfs_cfg *cfg, struct pfs_view *v,
		bool first)
{
	struct json_object *o;

	switch (cfg->fmt) {
	case PFS_OUT_TEXT:
		pfs_text_table(f, v);
		fflush(f);
		break;
	case PFS_OUT_JSON:
		o = pfs_json_view(v);
		pfs_json_print(f, o, v->elapsed <= 0);
		json_object_put(o);
		break;
	case PFS_OUT_CSV:
		pfs_csv_view(f, v, first);
		break;
	case PFS_OUT_PROM:
		pfs_prom_view(f, v);
		break;
	}
}
