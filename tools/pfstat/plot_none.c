// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat built without cairo (make PLOT=no): the pictures' entry points
 * say so, and plot_cmd.c asks before it gathers anything.
 */
#include "plot.h"

bool pfs_plot_built(void)
{
	return false;
}

static int pfs_plot_none(void)
{
	fprintf(stderr, "pfstat: this pfstat was built without pictures (make PLOT=no): rebuild it with libcairo2-dev\n");
	return -1;
}

int pfs_plot_map(FILE *f, enum pfs_img_fmt fmt, const struct pfs_fmap *m,
		 const struct pfs_plot_text *txt)
{
	(void)f, (void)fmt, (void)m, (void)txt;
	return pfs_plot_none();
}

int pfs_plot_hist(FILE *f, enum pfs_img_fmt fmt, const struct pfs_hist *h,
		  const struct pfs_plot_text *txt)
{
	(void)f, (void)fmt, (void)h, (void)txt;
	return pfs_plot_none();
}

int pfs_plot_rates(FILE *f, enum pfs_img_fmt fmt, const struct pfs_rates *r,
		   size_t top, const struct pfs_plot_text *txt)
{
	(void)f, (void)fmt, (void)r, (void)top, (void)txt;
	return pfs_plot_none();
}
