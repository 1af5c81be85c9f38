// SPDX-License-Identifier: GPL-2.0
/*
 * The fault map: time across, the address space up, each band a mapping
 * a fault landed in (lowest address at the bottom; the empty address
 * space between bands left out, a band's height growing with the log of
 * its size), each fault a mark coloured and shaped by its result. Marks
 * are gathered into 2-pixel cells first, so a million faults draw as
 * fast as a thousand and the rare results, drawn last and larger, stay
 * visible over the minor ones.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

#define PFS_MAP_W	1200
#define PFS_MAP_H	720
#define PFS_MAP_HMAX	4000
#define PFS_BAND_GAP	6.0
#define PFS_BAND_MIN	14.0
#define PFS_CELL	2

static const struct pfs_style pfs_mark_styles[PFS_NMARKS] = {
	[PFS_M_MINOR] = { 0.000, 0.447, 0.698, PFS_MK_DOT, 0, 1 },
	[PFS_M_RETRY] = { 0.902, 0.624, 0.000, PFS_MK_RING, 0, 1 },
	[PFS_M_MAJOR] = { 0.835, 0.369, 0.000, PFS_MK_SQUARE, 0, 1 },
	[PFS_M_ERROR] = { 0.800, 0.475, 0.655, PFS_MK_TRIANGLE, 0, 1 },
	[PFS_M_INVALID] = { 0.000, 0.000, 0.000, PFS_MK_CROSS, 0, 1 },
};

/* The size each kind's marker is drawn at, in pixels. */
static const double pfs_mark_size[PFS_NMARKS] = { 2, 6, 4, 7, 8 };

const struct pfs_style *pfs_mark_style(int kind)
{
	return &pfs_mark_styles[kind];
}

struct pfs_band_px {
	double y0, y1;			/* top, bottom */
};

static double pfs_band_weight(const struct pfs_band *b)
{
	double pages = (double)((b->end - b->start) >> 12);

	return 1 + log2(pages < 1 ? 1 : pages);
}

/*
 * Bands from the bottom of the area up: heights k * weight, but at least
 * hmin, with k taking what the bands at hmin leave.
 */
static void pfs_map_layout(const struct pfs_fmap *m, const struct pfs_area *ar,
			   double hmin, struct pfs_band_px *px)
{
	double avail = ar->y1 - ar->y0 - PFS_BAND_GAP * (double)(m->nbands + 1);
	double k = 0, y = ar->y1 - PFS_BAND_GAP;
	bool *atmin = calloc(m->nbands, sizeof(*atmin));
	bool changed = true;
	size_t i;

	while (changed) {
		double rest = avail, sum = 0;

		changed = false;
		for (i = 0; i < m->nbands; i++) {
			if (atmin && atmin[i])
				rest -= hmin;
			else
				sum += pfs_band_weight(&m->bands[i]);
		}
		k = sum > 0 ? rest / sum : 0;
		for (i = 0; atmin && i < m->nbands; i++) {
			if (!atmin[i] && k * pfs_band_weight(&m->bands[i]) < hmin) {
				atmin[i] = true;
				changed = true;
			}
		}
	}
	for (i = 0; i < m->nbands; i++) {
		double h = k * pfs_band_weight(&m->bands[i]);

		if (!atmin || atmin[i] || h < hmin)
			h = hmin;
		px[i].y1 = y;
		px[i].y0 = y - h;
		y -= h + PFS_BAND_GAP;
	}
	free(atmin);
}

/* A band's second line: its size and where it starts, "512 KiB at 0x..." */
static void pfs_band_where(char *buf, size_t sz, const struct pfs_band *b)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)(b->end - b->start);
	size_t u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, sz, v < 10 && u ? "%.1f %s at 0x%llx" : "%.0f %s at 0x%llx",
		 v, unit[u], (unsigned long long)b->start);
}

/* The bands: shaded strips across the area, named on the left. */
static void pfs_map_bands(struct pfs_chart *c, const struct pfs_fmap *m,
			  const struct pfs_area *ar,
			  const struct pfs_band_px *px)
{
	char label[96], size[64];
	size_t i;

	for (i = 0; i < m->nbands; i++) {
		const struct pfs_band *b = &m->bands[i];
		double h = px[i].y1 - px[i].y0, mid = (px[i].y0 + px[i].y1) / 2;

		cairo_set_source_rgb(c->cr, i % 2 ? 0.93 : 0.965,
				     i % 2 ? 0.93 : 0.965, i % 2 ? 0.93 : 0.965);
		cairo_rectangle(c->cr, ar->x0, px[i].y0, ar->x1 - ar->x0, h);
		cairo_fill(c->cr);
		pfs_band_label(b, label, sizeof(label));
		pfs_band_where(size, sizeof(size), b);
		cairo_set_source_rgb(c->cr, 0, 0, 0);
		if (h >= 28) {
			pfs_chart_text(c, ar->x0 - 8, mid - 1, 11, false, 1, 1,
				       label);
			cairo_set_source_rgb(c->cr, 0.4, 0.4, 0.4);
			pfs_chart_text(c, ar->x0 - 8, mid + 1, 9, false, 1, 0,
				       size);
		} else {
			pfs_chart_text(c, ar->x0 - 8, mid, h >= 12 ? 11 : 9,
				       false, 1, 0.5, label);
		}
	}
}

/* A mark's cell, or -1 outside the area. */
static long pfs_mark_cell(const struct pfs_fmap *m, const struct pfs_mark *mk,
			  const struct pfs_axis *tx, const struct pfs_area *ar,
			  const struct pfs_band_px *px, long cols, long rows)
{
	const struct pfs_band *b = &m->bands[mk->band];
	double x = pfs_axis_px(tx, pfs_mark_time(m, mk), ar->x0, ar->x1);
	double f = (double)(mk->address - b->start) / (double)(b->end - b->start);
	double y = px[mk->band].y1 - f * (px[mk->band].y1 - px[mk->band].y0);
	long cx = lround((x - ar->x0) / PFS_CELL - 0.5);
	long cy = lround((y - ar->y0) / PFS_CELL - 0.5);

	if (cx < 0)
		cx = 0;
	if (cx >= cols)
		cx = cols - 1;
	if (cy < 0 || cy >= rows)
		return -1;
	return cy * cols + cx;
}

/* The marks, kind by kind: each occupied cell once. */
static int pfs_map_marks(struct pfs_chart *c, const struct pfs_fmap *m,
			 const struct pfs_axis *tx, const struct pfs_area *ar,
			 const struct pfs_band_px *px)
{
	long cols = (long)((ar->x1 - ar->x0) / PFS_CELL) + 1;
	long rows = (long)((ar->y1 - ar->y0) / PFS_CELL) + 1;
	uint8_t *cell = calloc((size_t)(cols * rows), 1);
	size_t i;
	long j;
	int k;

	if (!cell) {
		fprintf(stderr, "pfstat: out of memory\n");
		return -1;
	}
	for (i = 0; i < m->n; i++) {
		long at = pfs_mark_cell(m, &m->m[i], tx, ar, px, cols, rows);

		if (at >= 0)
			cell[at] |= (uint8_t)(1u << m->m[i].kind);
	}
	cairo_save(c->cr);
	cairo_rectangle(c->cr, ar->x0, ar->y0, ar->x1 - ar->x0, ar->y1 - ar->y0);
	cairo_clip(c->cr);
	for (k = 0; k < PFS_NMARKS; k++) {
		if (!m->count[k])
			continue;
		for (j = 0; j < cols * rows; j++)
			if (cell[j] & (1u << k))
				pfs_chart_marker(c, &pfs_mark_styles[k],
						 ar->x0 + (double)(j % cols) * PFS_CELL + 1,
						 ar->y0 + (double)(j / cols) * PFS_CELL + 1,
						 pfs_mark_size[k]);
	}
	cairo_restore(c->cr);
	free(cell);
	return 0;
}

static double pfs_map_legend(struct pfs_chart *c, const struct pfs_fmap *m,
			     double y)
{
	const struct pfs_style *st[PFS_NMARKS];
	char text[PFS_NMARKS][64];
	const char *lab[PFS_NMARKS];
	size_t n = 0;
	int k;

	if (!m->n)
		return 0;
	for (k = 0; k < PFS_NMARKS; k++) {
		if (!m->count[k] && k != PFS_M_MINOR && k != PFS_M_MAJOR)
			continue;
		snprintf(text[n], sizeof(text[n]), "%s (%llu)", pfs_mark_names[k],
			 (unsigned long long)m->count[k]);
		lab[n] = text[n];
		st[n++] = &pfs_mark_styles[k];
	}
	return pfs_chart_legend(c, y, lab, st, n, false);
}

int pfs_plot_map(FILE *f, enum pfs_img_fmt fmt, const struct pfs_fmap *m,
		 const struct pfs_plot_text *txt)
{
	struct pfs_axis tx = { .lo = 0, .hi = m->span, .label =
			       "time since the first fault (s)",
			       .fmt = pfs_fmt_tick_s };
	struct pfs_band_px *px;
	struct pfs_chart c;
	struct pfs_area ar;
	double top, left = 120, hmin = PFS_BAND_MIN, need;
	char label[96], where[64];
	size_t i;
	int h = PFS_MAP_H, r;

	need = 60 + 70 + (double)m->nbands * (PFS_BAND_MIN + PFS_BAND_GAP);
	if (need > h)
		h = need > PFS_MAP_HMAX ? PFS_MAP_HMAX : (int)need;
	if (pfs_chart_open(&c, f, fmt, PFS_MAP_W, h))
		return -1;
	px = calloc(m->nbands ? m->nbands : 1, sizeof(*px));
	if (!px) {
		pfs_chart_close(&c);
		fprintf(stderr, "pfstat: out of memory\n");
		return -1;
	}
	top = pfs_chart_title(&c, txt->title, txt->subtitle);
	top += pfs_map_legend(&c, m, top + 4);
	for (i = 0; i < m->nbands; i++) {
		pfs_band_label(&m->bands[i], label, sizeof(label));
		pfs_band_where(where, sizeof(where), &m->bands[i]);
		left = fmax(left, fmin(300, fmax(pfs_chart_text_width(&c, 11, false, label),
						 pfs_chart_text_width(&c, 9, false, where)) + 40));
	}
	ar = (struct pfs_area){ left, top + 6, c.w - 24, c.h - 58 };
	if (m->nbands &&
	    (ar.y1 - ar.y0 - PFS_BAND_GAP * (double)(m->nbands + 1)) /
	    (double)m->nbands < hmin)
		hmin = (ar.y1 - ar.y0 - PFS_BAND_GAP * (double)(m->nbands + 1)) /
		       (double)m->nbands;
	pfs_axis_nice(&tx, 10);
	pfs_map_layout(m, &ar, hmin, px);
	pfs_chart_xaxis(&c, &ar, &tx);
	pfs_map_bands(&c, m, &ar, px);
	cairo_set_source_rgb(c.cr, 0, 0, 0);
	pfs_chart_text_up(&c, 16, (ar.y0 + ar.y1) / 2, 12,
			  "address space (mappings faulted in, low addresses at the bottom)");
	r = pfs_map_marks(&c, m, &tx, &ar, px);
	if (!m->n) {
		cairo_set_source_rgb(c.cr, 0.3, 0.3, 0.3);
		pfs_chart_text(&c, (ar.x0 + ar.x1) / 2, (ar.y0 + ar.y1) / 2, 16,
			       false, 0.5, 0.5, "no faults traced");
	}
	pfs_chart_frame(&c, &ar);
	free(px);
	if (pfs_chart_close(&c))
		r = -1;
	return r;
}
