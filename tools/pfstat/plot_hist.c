// SPDX-License-Identifier: GPL-2.0
/*
 * The latency picture: the module's log2 histograms of handle_mm_fault()
 * time for minor, major and retry, as steps over a log time axis and a
 * log count axis (a long I/O tail of a few faults stays visible beside
 * millions of minor ones), each kind's p50 and p99 marked. Percentiles
 * are pfs_hist_percentile()'s: the upper bound of their bucket.
 */
#include <math.h>
#include <stdlib.h>

#include "out.h"
#include "chart.h"

#define PFS_HIST_W	1000
#define PFS_HIST_H	560

/* The styles of minor, major, retry: those of the fault map's marks. */
static const struct pfs_style *pfs_hist_style(int k)
{
	static const int mark[PFS_H_NKINDS] = { PFS_M_MINOR, PFS_M_MAJOR,
						PFS_M_RETRY };
	static struct pfs_style st[PFS_H_NKINDS];
	static const double dash[PFS_H_NKINDS] = { 0, 8, 3 };
	static const enum pfs_marker mk[PFS_H_NKINDS] = { PFS_MK_SQUARE,
		PFS_MK_TRIANGLE, PFS_MK_RING };

	st[k] = *pfs_mark_style(mark[k]);
	st[k].dash = dash[k];
	st[k].marker = mk[k];
	st[k].width = 2;
	return &st[k];
}

static uint64_t pfs_hist_sum(const struct pfs_hist *h, int k)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i < h->n; i++)
		if ((int)h->b[i].kind == k)
			s += h->b[i].count;
	return s;
}

static int pfs_bucket_cmp(const void *a, const void *b)
{
	const struct pfs_bucket *x = a, *y = b;

	return x->lo_ns < y->lo_ns ? -1 : x->lo_ns > y->lo_ns;
}

/* One kind's steps: up at each bucket's lo, across to its hi. */
static void pfs_hist_steps(struct pfs_chart *c, const struct pfs_area *ar,
			   const struct pfs_axis *xa, const struct pfs_axis *ya,
			   const struct pfs_bucket *b, size_t n, int k)
{
	const struct pfs_style *st = pfs_hist_style(k);
	double *xs = malloc((4 * n + 2) * sizeof(*xs));
	double *ys = malloc((4 * n + 2) * sizeof(*ys));
	size_t i, m = 0;

	if (!xs || !ys)
		goto out;
	for (i = 0; i < n; i++) {
		double x0, x1, y;

		if ((int)b[i].kind != k || !b[i].count)
			continue;
		x0 = pfs_axis_px(xa, b[i].lo_ns ? (double)b[i].lo_ns : xa->lo,
				 ar->x0, ar->x1);
		x1 = pfs_axis_px(xa, (double)b[i].hi_ns, ar->x0, ar->x1);
		y = pfs_axis_px(ya, (double)b[i].count, ar->y1, ar->y0);
		if (m && fabs(xs[m - 1] - x0) > 0.5) {
			/* an empty bucket between: down to the axis */
			xs[m] = xs[m - 1];
			ys[m++] = ar->y1;
			xs[m] = x0;
			ys[m++] = ar->y1;
		} else if (!m) {
			xs[m] = x0;
			ys[m++] = ar->y1;
		}
		xs[m] = x0;
		ys[m++] = y;
		xs[m] = x1;
		ys[m++] = y;
		pfs_chart_marker(c, st, (x0 + x1) / 2, y, 7);
	}
	if (m) {
		xs[m] = xs[m - 1];
		ys[m++] = ar->y1;
		pfs_chart_line(c, st, xs, ys, m);
	}
out:
	free(xs);
	free(ys);
}

static const double pfs_pct[2] = { 50, 99 };

/* p50 and p99 of kind k: dashed verticals, named at the top (their
 * values are in the legend). */
static void pfs_hist_marks(struct pfs_chart *c, const struct pfs_area *ar,
			   const struct pfs_axis *xa, const struct pfs_hist *h,
			   int k, int slot)
{
	const struct pfs_style *st = pfs_hist_style(k);
	double d[2] = { 4, 3 };
	char buf[16];
	size_t i;

	enum pfs_hist_kind kind = (enum pfs_hist_kind)k;
	uint64_t p50 = pfs_hist_percentile(h, kind, pfs_pct[0]);
	uint64_t p99 = pfs_hist_percentile(h, kind, pfs_pct[1]);

	for (i = 0; i < 2; i++) {
		uint64_t ns = i ? p99 : p50;
		double x = pfs_axis_px(xa, (double)ns, ar->x0, ar->x1);

		/* one line for both when they share a bucket */
		if (!ns || (i == 0 && p50 == p99))
			continue;
		pfs_chart_colour(c, st, 0.8);
		cairo_set_line_width(c->cr, 1.2);
		cairo_set_dash(c->cr, d, 2, 0);
		cairo_move_to(c->cr, x, ar->y0);
		cairo_line_to(c->cr, x, ar->y1);
		cairo_stroke(c->cr);
		cairo_set_dash(c->cr, NULL, 0, 0);
		snprintf(buf, sizeof(buf), i && ns == p50 ? "p50, p99" : "p%.0f",
			 pfs_pct[i]);
		pfs_chart_colour(c, st, 1);
		pfs_chart_text(c, x - 3, ar->y0 + 4 + 13.0 * slot, 10, false,
			       1, 0, buf);
	}
}

/* "minor (6199): p50 <= 1 us, p99 <= 4 us" */
static void pfs_hist_label(char *buf, size_t sz, const struct pfs_hist *h,
			   int k, uint64_t sum)
{
	enum pfs_hist_kind kind = (enum pfs_hist_kind)k;
	char p50[32], p99[32];

	pfs_fmt_tick_ns(p50, sizeof(p50),
			(double)pfs_hist_percentile(h, kind, pfs_pct[0]));
	pfs_fmt_tick_ns(p99, sizeof(p99),
			(double)pfs_hist_percentile(h, kind, pfs_pct[1]));
	snprintf(buf, sz, "%s (%llu): p50 \xe2\x89\xa4 %s, p99 \xe2\x89\xa4 %s",
		 pfs_hist_kind_names[k], (unsigned long long)sum, p50, p99);
}

int pfs_plot_hist(FILE *f, enum pfs_img_fmt fmt, const struct pfs_hist *h,
		  const struct pfs_plot_text *txt)
{
	struct pfs_axis xa = { .lo = 0, .hi = 0, .log = true, .label =
			       "time in handle_mm_fault() (log scale)",
			       .fmt = pfs_fmt_tick_ns };
	struct pfs_axis ya = { .lo = 1, .hi = 1, .log = true, .label =
			       "faults per bucket (log scale)",
			       .fmt = pfs_fmt_tick_count };
	const struct pfs_style *st[PFS_H_NKINDS];
	char text[PFS_H_NKINDS][128];
	const char *lab[PFS_H_NKINDS];
	struct pfs_bucket *b = NULL;
	struct pfs_chart c;
	struct pfs_area ar;
	size_t i, n = 0, nl = 0;
	double top;
	int k, slot = 0;

	if (h->n) {
		b = malloc(h->n * sizeof(*b));
		if (!b) {
			fprintf(stderr, "pfstat: out of memory\n");
			return -1;
		}
		for (i = 0; i < h->n; i++)
			b[i] = h->b[i];
		n = h->n;
		qsort(b, n, sizeof(*b), pfs_bucket_cmp);
	}
	for (i = 0; i < n; i++) {
		if (!b[i].count)
			continue;
		if (b[i].lo_ns && (!(xa.lo > 0) || (double)b[i].lo_ns < xa.lo))
			xa.lo = (double)b[i].lo_ns;
		if ((double)b[i].hi_ns > xa.hi)
			xa.hi = (double)b[i].hi_ns;
		if ((double)b[i].count > ya.hi)
			ya.hi = (double)b[i].count;
	}
	if (!(xa.lo > 0))
		xa.lo = 100;
	if (!(xa.hi > xa.lo))
		xa.hi = xa.lo * 1000;
	pfs_axis_nice(&xa, 0);
	pfs_axis_nice(&ya, 0);
	/* A bucket of one fault stands above the axis. */
	ya.lo = 0.5;
	if (pfs_chart_open(&c, f, fmt, PFS_HIST_W, PFS_HIST_H)) {
		free(b);
		return -1;
	}
	top = pfs_chart_title(&c, txt->title, txt->subtitle);
	for (k = 0; k < PFS_H_NKINDS; k++) {
		uint64_t sum = pfs_hist_sum(h, k);

		if (!sum)
			continue;
		pfs_hist_label(text[nl], sizeof(text[nl]), h, k, sum);
		lab[nl] = text[nl];
		st[nl++] = pfs_hist_style(k);
	}
	top += pfs_chart_legend(&c, top + 4, lab, st, nl, true);
	ar = (struct pfs_area){ 90, top + 6, c.w - 24, c.h - 58 };
	pfs_chart_xaxis(&c, &ar, &xa);
	pfs_chart_yaxis(&c, &ar, &ya);
	for (k = 0; k < PFS_H_NKINDS; k++) {
		if (!pfs_hist_sum(h, k))
			continue;
		pfs_hist_steps(&c, &ar, &xa, &ya, b, n, k);
		pfs_hist_marks(&c, &ar, &xa, h, k, slot++);
	}
	if (!nl) {
		cairo_set_source_rgb(c.cr, 0.3, 0.3, 0.3);
		pfs_chart_text(&c, (ar.x0 + ar.x1) / 2, (ar.y0 + ar.y1) / 2, 16,
			       false, 0.5, 0.5, "no faults recorded");
	}
	pfs_chart_frame(&c, &ar);
	free(b);
	return pfs_chart_close(&c);
}
