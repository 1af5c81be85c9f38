// SPDX-License-Identifier: GPL-2.0
/*
 * The pictures' common drawing over cairo. PNG pictures are drawn on an
 * image surface and encoded by cairo at the end; SVG ones stream out as
 * they are drawn. Text goes through cairo's toy font API, which asks
 * fontconfig for a sans-serif face (DejaVu Sans on Debian).
 */
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "chart.h"

#define PFS_FONT	"sans-serif"

bool pfs_plot_built(void)
{
	return true;
}

static cairo_status_t pfs_chart_write(void *closure, const unsigned char *data,
				      unsigned int length)
{
	FILE *f = closure;

	if (fwrite(data, 1, length, f) != length)
		return CAIRO_STATUS_WRITE_ERROR;
	return CAIRO_STATUS_SUCCESS;
}

int pfs_chart_open(struct pfs_chart *c, FILE *f, enum pfs_img_fmt fmt,
		   int w, int h)
{
	memset(c, 0, sizeof(*c));
	c->f = f;
	c->fmt = fmt;
	c->w = w;
	c->h = h;
	if (fmt == PFS_IMG_SVG)
		c->s = cairo_svg_surface_create_for_stream(pfs_chart_write, f,
							   w, h);
	else
		c->s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(c->s) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "pfstat: cannot make a %dx%d picture: %s\n", w, h,
			cairo_status_to_string(cairo_surface_status(c->s)));
		cairo_surface_destroy(c->s);
		return -1;
	}
	c->cr = cairo_create(c->s);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_paint(c->cr);
	cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
	return 0;
}

int pfs_chart_close(struct pfs_chart *c)
{
	cairo_status_t st = cairo_status(c->cr);

	cairo_destroy(c->cr);
	if (st == CAIRO_STATUS_SUCCESS && c->fmt == PFS_IMG_PNG)
		st = cairo_surface_write_to_png_stream(c->s, pfs_chart_write, c->f);
	cairo_surface_finish(c->s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(c->s);
	cairo_surface_destroy(c->s);
	if (st != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "pfstat: drawing the picture failed: %s\n",
			cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

/*
 * Okabe and Ito's colour-blind-safe palette (yellow left out: too light on
 * white), and for greyscale each style a marker and a dash of its own.
 */
static const struct pfs_style pfs_styles[] = {
	{ 0.000, 0.447, 0.698, PFS_MK_SQUARE, 0, 2.0 },		/* blue */
	{ 0.835, 0.369, 0.000, PFS_MK_TRIANGLE, 7, 2.0 },	/* vermillion */
	{ 0.000, 0.620, 0.451, PFS_MK_RING, 2, 2.0 },		/* bluish green */
	{ 0.800, 0.475, 0.655, PFS_MK_DIAMOND, 11, 2.0 },	/* reddish purple */
	{ 0.902, 0.624, 0.000, PFS_MK_CROSS, 4, 2.0 },		/* orange */
	{ 0.337, 0.706, 0.914, PFS_MK_PLUS, 14, 2.0 },		/* sky blue */
	{ 0.000, 0.000, 0.000, PFS_MK_DOT, 1, 1.5 },		/* black */
};

const struct pfs_style *pfs_style(size_t i)
{
	return &pfs_styles[i % (sizeof(pfs_styles) / sizeof(pfs_styles[0]))];
}

void pfs_chart_colour(struct pfs_chart *c, const struct pfs_style *st,
		      double alpha)
{
	cairo_set_source_rgba(c->cr, st->r, st->g, st->b, alpha);
}

void pfs_chart_marker(struct pfs_chart *c, const struct pfs_style *st,
		      double x, double y, double size)
{
	cairo_t *cr = c->cr;
	double h = size / 2;

	pfs_chart_colour(c, st, 1);
	cairo_set_line_width(cr, size > 6 ? 1.5 : 1.0);
	cairo_new_path(cr);
	switch (st->marker) {
	case PFS_MK_DOT:
	case PFS_MK_SQUARE:
		cairo_rectangle(cr, x - h, y - h, size, size);
		cairo_fill(cr);
		break;
	case PFS_MK_RING:
		cairo_arc(cr, x, y, h, 0, 2 * M_PI);
		cairo_stroke(cr);
		break;
	case PFS_MK_TRIANGLE:
		cairo_move_to(cr, x, y - h);
		cairo_line_to(cr, x + h, y + h);
		cairo_line_to(cr, x - h, y + h);
		cairo_close_path(cr);
		cairo_fill(cr);
		break;
	case PFS_MK_CROSS:
		cairo_move_to(cr, x - h, y - h);
		cairo_line_to(cr, x + h, y + h);
		cairo_move_to(cr, x + h, y - h);
		cairo_line_to(cr, x - h, y + h);
		cairo_stroke(cr);
		break;
	case PFS_MK_DIAMOND:
		cairo_move_to(cr, x, y - h);
		cairo_line_to(cr, x + h, y);
		cairo_line_to(cr, x, y + h);
		cairo_line_to(cr, x - h, y);
		cairo_close_path(cr);
		cairo_fill(cr);
		break;
	case PFS_MK_PLUS:
		cairo_move_to(cr, x - h, y);
		cairo_line_to(cr, x + h, y);
		cairo_move_to(cr, x, y - h);
		cairo_line_to(cr, x, y + h);
		cairo_stroke(cr);
		break;
	}
}

static void pfs_chart_font(struct pfs_chart *c, double size, bool bold)
{
	cairo_select_font_face(c->cr, PFS_FONT, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD :
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(c->cr, size);
}

double pfs_chart_text_width(struct pfs_chart *c, double size, bool bold,
			    const char *s)
{
	cairo_text_extents_t te;

	pfs_chart_font(c, size, bold);
	cairo_text_extents(c->cr, s, &te);
	return te.x_advance;
}

double pfs_chart_text(struct pfs_chart *c, double x, double y, double size,
		      bool bold, double ha, double va, const char *s)
{
	cairo_font_extents_t fe;
	double w = pfs_chart_text_width(c, size, bold, s);

	cairo_font_extents(c->cr, &fe);
	/* va 0: the top at y; 0.5: the middle of the capitals (a sans-serif
	 * capital is about 0.72 em); 1: the baseline at y */
	if (va < 0.25)
		y += fe.ascent;
	else if (va < 0.75)
		y += size * 0.36;
	cairo_move_to(c->cr, x - w * ha, y);
	cairo_show_text(c->cr, s);
	return w;
}

void pfs_chart_text_up(struct pfs_chart *c, double x, double y, double size,
		       const char *s)
{
	double w = pfs_chart_text_width(c, size, false, s);

	cairo_save(c->cr);
	cairo_translate(c->cr, x, y);
	cairo_rotate(c->cr, -M_PI / 2);
	cairo_move_to(c->cr, -w / 2, 0);
	cairo_show_text(c->cr, s);
	cairo_restore(c->cr);
}

double pfs_chart_title(struct pfs_chart *c, const char *title,
		       const char *subtitle)
{
	cairo_set_source_rgb(c->cr, 0, 0, 0);
	pfs_chart_text(c, c->w / 2, 10, 18, true, 0.5, 0, title);
	if (!subtitle)
		return 36;
	cairo_set_source_rgb(c->cr, 0.25, 0.25, 0.25);
	pfs_chart_text(c, c->w / 2, 34, 12, false, 0.5, 0, subtitle);
	return 54;
}

void pfs_axis_nice(struct pfs_axis *a, int ticks)
{
	double range, raw, mag, norm;

	if (a->log) {
		if (!(a->lo > 0))
			a->lo = 1;
		if (!(a->hi > a->lo))
			a->hi = a->lo * 10;
		a->lo = pow(10, floor(log10(a->lo) + 1e-9));
		a->hi = pow(10, ceil(log10(a->hi) - 1e-9));
		if (a->hi <= a->lo)
			a->hi = a->lo * 10;
		return;
	}
	if (!(a->hi > a->lo))
		a->hi = a->lo + 1;
	range = a->hi - a->lo;
	raw = range / (ticks > 0 ? ticks : 5);
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	a->step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
	a->lo = floor(a->lo / a->step + 1e-9) * a->step;
	a->hi = ceil(a->hi / a->step - 1e-9) * a->step;
}

double pfs_axis_px(const struct pfs_axis *a, double v, double p0, double p1)
{
	double f;

	if (a->log) {
		if (!(v > 0))
			return p0;
		f = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	} else {
		f = (v - a->lo) / (a->hi - a->lo);
	}
	return p0 + f * (p1 - p0);
}

static void pfs_tick_label(const struct pfs_axis *a, double v, char *buf,
			   size_t sz)
{
	if (fabs(v) < 1e-12)
		v = 0;
	if (a->fmt)
		a->fmt(buf, sz, v);
	else
		snprintf(buf, sz, "%g", v);
}

/* The ticks of an axis: fn(value, labelled) for each. */
static size_t pfs_axis_ticks(const struct pfs_axis *a, double *v, bool *lab,
			     size_t max)
{
	size_t n = 0, k, decades;
	double x;

	if (a->log) {
		/* the decades from the first at or above lo */
		x = pow(10, ceil(log10(a->lo) - 1e-9));
		decades = (size_t)lround(log10(a->hi / x));
		for (k = 0; k <= decades && n < max; k++) {
			v[n] = x * pow(10, (double)k);
			lab[n++] = decades <= 10 || k % 2 == 0;
		}
		return n;
	}
	for (x = a->lo; x <= a->hi + a->step * 1e-6 && n < max; x += a->step) {
		v[n] = x;
		lab[n++] = true;
	}
	return n;
}

void pfs_chart_xaxis(struct pfs_chart *c, const struct pfs_area *ar,
		     const struct pfs_axis *a)
{
	double v[64], x;
	bool lab[64];
	char buf[64];
	size_t n = pfs_axis_ticks(a, v, lab, 64), i;

	cairo_set_line_width(c->cr, 1);
	for (i = 0; i < n; i++) {
		x = round(pfs_axis_px(a, v[i], ar->x0, ar->x1)) + 0.5;
		cairo_set_source_rgb(c->cr, 0.88, 0.88, 0.88);
		cairo_move_to(c->cr, x, ar->y0);
		cairo_line_to(c->cr, x, ar->y1);
		cairo_stroke(c->cr);
		cairo_set_source_rgb(c->cr, 0, 0, 0);
		cairo_move_to(c->cr, x, ar->y1);
		cairo_line_to(c->cr, x, ar->y1 + 5);
		cairo_stroke(c->cr);
		if (!lab[i])
			continue;
		pfs_tick_label(a, v[i], buf, sizeof(buf));
		pfs_chart_text(c, x, ar->y1 + 8, 11, false, 0.5, 0, buf);
	}
	if (a->label)
		pfs_chart_text(c, (ar->x0 + ar->x1) / 2, ar->y1 + 28, 12, false,
			       0.5, 0, a->label);
}

void pfs_chart_yaxis(struct pfs_chart *c, const struct pfs_area *ar,
		     const struct pfs_axis *a)
{
	double v[64], y, widest = 0;
	bool lab[64];
	char buf[64];
	size_t n = pfs_axis_ticks(a, v, lab, 64), i;

	cairo_set_line_width(c->cr, 1);
	for (i = 0; i < n; i++) {
		y = round(pfs_axis_px(a, v[i], ar->y1, ar->y0)) + 0.5;
		cairo_set_source_rgb(c->cr, 0.88, 0.88, 0.88);
		cairo_move_to(c->cr, ar->x0, y);
		cairo_line_to(c->cr, ar->x1, y);
		cairo_stroke(c->cr);
		cairo_set_source_rgb(c->cr, 0, 0, 0);
		cairo_move_to(c->cr, ar->x0 - 5, y);
		cairo_line_to(c->cr, ar->x0, y);
		cairo_stroke(c->cr);
		if (!lab[i])
			continue;
		pfs_tick_label(a, v[i], buf, sizeof(buf));
		widest = fmax(widest, pfs_chart_text(c, ar->x0 - 8, y, 11, false,
						     1, 0.5, buf));
	}
	if (a->label)
		pfs_chart_text_up(c, ar->x0 - widest - 16, (ar->y0 + ar->y1) / 2,
				  12, a->label);
}

void pfs_chart_frame(struct pfs_chart *c, const struct pfs_area *ar)
{
	cairo_set_source_rgb(c->cr, 0, 0, 0);
	cairo_set_line_width(c->cr, 1);
	cairo_rectangle(c->cr, round(ar->x0) + 0.5, round(ar->y0) + 0.5,
			round(ar->x1 - ar->x0), round(ar->y1 - ar->y0));
	cairo_stroke(c->cr);
}

static void pfs_chart_dash(struct pfs_chart *c, const struct pfs_style *st)
{
	double d[2] = { st->dash, st->dash < 3 ? 3 : st->dash * 0.6 };

	cairo_set_dash(c->cr, d, st->dash > 0 ? 2 : 0, 0);
}

double pfs_chart_legend(struct pfs_chart *c, double y,
			const char *const *labels,
			const struct pfs_style *const *styles, size_t n,
			bool lines)
{
	double key = lines ? 36 : 12, gap = 24, w = 0, x;
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		w += key + 6 + pfs_chart_text_width(c, 11, false, labels[i]) +
		     (i ? gap : 0);
	x = (c->w - w) / 2;
	for (i = 0; i < n; i++) {
		if (lines) {
			pfs_chart_colour(c, styles[i], 1);
			cairo_set_line_width(c->cr, styles[i]->width);
			pfs_chart_dash(c, styles[i]);
			cairo_move_to(c->cr, x, y);
			cairo_line_to(c->cr, x + key, y);
			cairo_stroke(c->cr);
			cairo_set_dash(c->cr, NULL, 0, 0);
		}
		pfs_chart_marker(c, styles[i], x + key / 2, y,
				 styles[i]->marker == PFS_MK_DOT ? 5 : 8);
		cairo_set_source_rgb(c->cr, 0, 0, 0);
		x += key + 6;
		x += pfs_chart_text(c, x, y, 11, false, 0, 0.5, labels[i]) + gap;
	}
	return PFS_LEGEND_H;
}

void pfs_chart_line(struct pfs_chart *c, const struct pfs_style *st,
		    const double *xs, const double *ys, size_t n)
{
	bool pen = false;
	size_t i;

	pfs_chart_colour(c, st, 1);
	cairo_set_line_width(c->cr, st->width);
	pfs_chart_dash(c, st);
	cairo_new_path(c->cr);
	for (i = 0; i < n; i++) {
		if (isnan(xs[i]) || isnan(ys[i])) {
			pen = false;
			continue;
		}
		if (pen)
			cairo_line_to(c->cr, xs[i], ys[i]);
		else
			cairo_move_to(c->cr, xs[i], ys[i]);
		pen = true;
	}
	cairo_stroke(c->cr);
	cairo_set_dash(c->cr, NULL, 0, 0);
}

void pfs_fmt_tick_s(char *buf, size_t sz, double v)
{
	snprintf(buf, sz, "%g", v);
}

void pfs_fmt_tick_ns(char *buf, size_t sz, double v)
{
	static const struct { double div; const char *unit; } u[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "\xc2\xb5s" }, { 1, "ns" },
	};
	size_t i;

	for (i = 0; i < sizeof(u) / sizeof(u[0]) - 1; i++)
		if (v >= u[i].div)
			break;
	snprintf(buf, sz, "%.3g %s", v / u[i].div, u[i].unit);
}

void pfs_fmt_tick_count(char *buf, size_t sz, double v)
{
	if (v >= 1e9)
		snprintf(buf, sz, "%gG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, sz, "%gM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, sz, "%gk", v / 1e3);
	else
		snprintf(buf, sz, "%g", v);
}
