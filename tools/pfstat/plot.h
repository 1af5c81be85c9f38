/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfstat plot's three pictures, each drawn from its data to f as PNG or
 * SVG (chart.h): the fault map (plot_map.c), the latency histograms
 * (plot_hist.c) and the rates of the top processes (plot_rates.c). 0, or
 * -1 with the error said.
 */
#ifndef PFSTAT_PLOT_H
#define PFSTAT_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#include "fmap.h"
#include "model.h"
#include "rates.h"

enum pfs_img_fmt {
	PFS_IMG_PNG,
	PFS_IMG_SVG,
};

/* The format a file name asks for (.png, .svg, any case); 0 or -1. */
int pfs_img_fmt_of(const char *path, enum pfs_img_fmt *fmt);

/* Whether this pfstat draws (false: built with PLOT=no). */
bool pfs_plot_built(void);

struct pfs_plot_text {
	const char *title;
	const char *subtitle;		/* NULL: none */
};

int pfs_plot_map(FILE *f, enum pfs_img_fmt fmt, const struct pfs_fmap *m,
		 const struct pfs_plot_text *txt);
int pfs_plot_hist(FILE *f, enum pfs_img_fmt fmt, const struct pfs_hist *h,
		  const struct pfs_plot_text *txt);
/* The first top processes of r (pfs_rates_finish()'s order). */
int pfs_plot_rates(FILE *f, enum pfs_img_fmt fmt, const struct pfs_rates *r,
		   size_t top, const struct pfs_plot_text *txt);

#endif /* PFSTAT_PLOT_H */
