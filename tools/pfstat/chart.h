/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What pfstat plot's pictures share, over cairo: a PNG or SVG surface
 * chosen by the output file's name, titles and text, axes with ticks
 * (linear or log), markers, a legend, and a palette of series styles
 * that stay apart in greyscale and for colour-blind readers (Okabe-Ito
 * colours, each with its own marker and dash). The only file, with
 * plot_*.c, that draws; the only one that opens a cairo surface.
 */
#ifndef PFSTAT_CHART_H
#define PFSTAT_CHART_H

#include <cairo.h>

#include "plot.h"

struct pfs_chart {
	cairo_surface_t *s;
	cairo_t *cr;
	enum pfs_img_fmt fmt;
	FILE *f;
	double w, h;
};

/* A w x h picture written to f by pfs_chart_close(); 0 or -1. */
int pfs_chart_open(struct pfs_chart *c, FILE *f, enum pfs_img_fmt fmt,
		   int w, int h);
/* Write it out and free it; 0, or -1 with the error said. */
int pfs_chart_close(struct pfs_chart *c);

enum pfs_marker {
	PFS_MK_DOT,		/* a small filled square: dense series */
	PFS_MK_SQUARE,
	PFS_MK_RING,
	PFS_MK_TRIANGLE,
	PFS_MK_CROSS,
	PFS_MK_DIAMOND,
	PFS_MK_PLUS,
};

struct pfs_style {
	double r, g, b;
	enum pfs_marker marker;
	double dash;			/* line dash length; 0: solid */
	double width;			/* line width */
};

/* Series style i (0, 1, ... wrapping after the palette's end). */
const struct pfs_style *pfs_style(size_t i);
void pfs_chart_colour(struct pfs_chart *c, const struct pfs_style *st,
		      double alpha);
void pfs_chart_marker(struct pfs_chart *c, const struct pfs_style *st,
		      double x, double y, double size);

/* Text with its anchor at (x, y): ha 0 left, 0.5 centre, 1 right; va 0
 * top, 0.5 middle, 1 baseline. Returns the width drawn. */
double pfs_chart_text(struct pfs_chart *c, double x, double y, double size,
		      bool bold, double ha, double va, const char *s);
double pfs_chart_text_width(struct pfs_chart *c, double size, bool bold,
			    const char *s);
/* Vertical text, reading upwards, centred on (x, y). */
void pfs_chart_text_up(struct pfs_chart *c, double x, double y, double size,
		       const char *s);
/* The title and, smaller under it, a subtitle; the height they took. */
double pfs_chart_title(struct pfs_chart *c, const char *title,
		       const char *subtitle);

struct pfs_axis {
	double lo, hi;			/* the data's range; pfs_axis_nice rounds */
	bool log;			/* log10; lo > 0 */
	const char *label;		/* with its unit */
	/* a tick's label; NULL: %g */
	void (*fmt)(char *buf, size_t sz, double v);
	double step;			/* linear tick step (pfs_axis_nice) */
};

/* Round the range to ticks: a 1-2-5 step (linear) or decades (log). */
void pfs_axis_nice(struct pfs_axis *a, int ticks);
/* Where value v falls between pixels p0 (lo) and p1 (hi). */
double pfs_axis_px(const struct pfs_axis *a, double v, double p0, double p1);

/* The plot area [x0, x1] x [y0, y1] (y0 top), framed. */
struct pfs_area {
	double x0, y0, x1, y1;
};

/* The x axis under the area, the y axis left of it, light grid lines. */
void pfs_chart_xaxis(struct pfs_chart *c, const struct pfs_area *ar,
		     const struct pfs_axis *a);
void pfs_chart_yaxis(struct pfs_chart *c, const struct pfs_area *ar,
		     const struct pfs_axis *a);
void pfs_chart_frame(struct pfs_chart *c, const struct pfs_area *ar);

/* The legend, a row centred on y (above a plot area, never over its
 * data): one entry a style, drawn as a marker or a line with its marker.
 * The height it took. */
#define PFS_LEGEND_H	22.0
double pfs_chart_legend(struct pfs_chart *c, double y,
			const char *const *labels,
			const struct pfs_style *const *styles, size_t n,
			bool lines);

/* A polyline in a style (NaN points break it). */
void pfs_chart_line(struct pfs_chart *c, const struct pfs_style *st,
		    const double *xs, const double *ys, size_t n);

/* The styles of the fault map's marks, by enum pfs_mark_kind
 * (plot_map.c; the latency picture's kinds share them). */
const struct pfs_style *pfs_mark_style(int kind);

/* Tick labels: seconds, nanoseconds as 1us/10ms, counts as 10k/1M. */
void pfs_fmt_tick_s(char *buf, size_t sz, double v);
void pfs_fmt_tick_ns(char *buf, size_t sz, double v);
void pfs_fmt_tick_count(char *buf, size_t sz, double v);

#endif /* PFSTAT_CHART_H */
