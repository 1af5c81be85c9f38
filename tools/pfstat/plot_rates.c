// SPDX-License-Identifier: GPL-2.0
/*
 * The rates picture: one panel a kind (minor, major, invalid and, where
 * the module counts them, refault), faults per second against time, one
 * line a process for the top processes, the same style for a process in
 * every panel.
 */
#include <math.h>
#include <stdlib.h>

#include "chart.h"

#define PFS_RATES_W	1100
#define PFS_PANEL_H	190
#define PFS_PANEL_GAP	62

static int pfs_rates_panel(struct pfs_chart *c, const struct pfs_rates *r,
			   size_t top, int k, const struct pfs_area *ar,
			   const struct pfs_axis *tx)
{
	char label[64];
	struct pfs_axis ya = { .lo = 0, .hi = 0, .label = label,
			       .fmt = pfs_fmt_tick_count };
	double *xs = malloc((r->nint + 1) * sizeof(*xs));
	double *ys = malloc((r->nint + 1) * sizeof(*ys));
	size_t i, j;

	if (!xs || !ys) {
		free(xs);
		free(ys);
		fprintf(stderr, "pfstat: out of memory\n");
		return -1;
	}
	static const char *const what[PFS_NRATES] = {
		"minor faults/s", "major faults/s", "invalid accesses/s",
		"refaults/s",
	};

	snprintf(label, sizeof(label), "%s", what[k]);
	for (j = 0; j < top; j++)
		for (i = 0; i < r->nint; i++)
			ya.hi = fmax(ya.hi, pfs_rate_at(r, &r->p[j], i, k));
	pfs_axis_nice(&ya, 4);
	pfs_chart_xaxis(c, ar, tx);
	pfs_chart_yaxis(c, ar, &ya);
	for (j = 0; j < top; j++) {
		const struct pfs_style *st = pfs_style(j);

		/* From 0 at the start: the first interval's rate at its end. */
		xs[0] = pfs_axis_px(tx, 0, ar->x0, ar->x1);
		ys[0] = NAN;
		for (i = 0; i < r->nint; i++) {
			xs[i + 1] = pfs_axis_px(tx, r->t[i], ar->x0, ar->x1);
			ys[i + 1] = pfs_axis_px(&ya, pfs_rate_at(r, &r->p[j], i, k),
						ar->y1, ar->y0);
		}
		pfs_chart_line(c, st, xs, ys, r->nint + 1);
		if (r->nint <= 60)
			for (i = 1; i <= r->nint; i++)
				pfs_chart_marker(c, st, xs[i], ys[i], 6);
	}
	pfs_chart_frame(c, ar);
	free(xs);
	free(ys);
	return 0;
}

int pfs_plot_rates(FILE *f, enum pfs_img_fmt fmt, const struct pfs_rates *r,
		   size_t top, const struct pfs_plot_text *txt)
{
	struct pfs_axis tx = { .lo = 0, .hi = r->nint ? r->t[r->nint - 1] : 1,
			       .label = "time since the first reading (s)",
			       .fmt = pfs_fmt_tick_s };
	const struct pfs_style *st[16];
	char text[16][PFS_COMM_UTF8_MAX + 32];
	const char *lab[16];
	int kinds = r->refault ? PFS_NRATES : PFS_RT_REFAULT, k, ret = 0;
	struct pfs_chart c;
	double top_px;
	size_t j;

	if (top > r->np)
		top = r->np;
	if (top > 16)
		top = 16;
	pfs_axis_nice(&tx, 10);
	if (pfs_chart_open(&c, f, fmt, PFS_RATES_W,
			   70 + (int)PFS_LEGEND_H +
			   kinds * (PFS_PANEL_H + PFS_PANEL_GAP)))
		return -1;
	top_px = pfs_chart_title(&c, txt->title, txt->subtitle);
	for (j = 0; j < top; j++) {
		char name[PFS_COMM_UTF8_MAX];

		pfs_comm_utf8(r->p[j].comm, r->p[j].comm_len, name, sizeof(name));
		snprintf(text[j], sizeof(text[j]), "%s (%d)", name, r->p[j].pid);
		lab[j] = text[j];
		st[j] = pfs_style(j);
	}
	top_px += pfs_chart_legend(&c, top_px + 4, lab, st, top, true);
	for (k = 0; k < kinds && !ret; k++) {
		struct pfs_area ar = { 90, top_px + 10 +
				       k * (PFS_PANEL_H + PFS_PANEL_GAP), 0, 0 };

		ar.x1 = c.w - 24;
		ar.y1 = ar.y0 + PFS_PANEL_H;
		ret = pfs_rates_panel(&c, r, top, k, &ar, &tx);
		if (k == 0 && !top) {
			cairo_set_source_rgb(c.cr, 0.3, 0.3, 0.3);
			pfs_chart_text(&c, (ar.x0 + ar.x1) / 2,
				       (ar.y0 + ar.y1) / 2, 16, false, 0.5, 0.5,
				       "no process took a fault");
		}
	}
	if (pfs_chart_close(&c))
		ret = -1;
	return ret;
}
