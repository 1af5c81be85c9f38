/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfstat output writers: text table, JSON (json-c), CSV (RFC 4180) and
 * Prometheus text exposition. Each renders a view to a FILE *.
 */
#ifndef PFS_OUT_H
#define PFS_OUT_H

#include <json-c/json.h>

#include "model.h"

enum pfs_fmt {
	PFS_OUT_TEXT,
	PFS_OUT_JSON,
	PFS_OUT_CSV,
	PFS_OUT_PROM,
};

/* What to print: selected rows of a snapshot, or of a delta in watch mode. */
struct pfs_view {
	const struct pfs_table *t;	/* snapshot, or delta when elapsed > 0 */
	const struct pfs_row **rows;	/* selected, sorted, cut to top N */
	size_t n;
	size_t nsel;			/* selected before the top-N cut */
	struct pfs_row total;		/* sum over all nsel selected rows */
	double elapsed;			/* watch: seconds the delta covers */
	unsigned long interval;		/* watch: 1, 2, ... */
	double timestamp;		/* unix time of the reading */
	const char *source;		/* file the table came from */
	bool raw;			/* exact numbers, no k/M, ns */
	bool wide;			/* every column */
};

void pfs_text_table(FILE *f, const struct pfs_view *v);
struct json_object *pfs_json_view(const struct pfs_view *v);
struct json_object *pfs_json_row(const struct pfs_table *t,
				 const struct pfs_row *r, bool with_identity);
int pfs_json_print(FILE *f, struct json_object *o, bool pretty);
void pfs_csv_field(FILE *f, const char *s, size_t n);
void pfs_csv_view(FILE *f, const struct pfs_view *v, bool header);
void pfs_prom_label(FILE *f, const char *s, size_t n);
void pfs_prom_view(FILE *f, const struct pfs_view *v);

void pfs_hist_text(FILE *f, const struct pfs_hist *h, int width);
struct json_object *pfs_hist_json(const struct pfs_hist *h);
void pfs_hist_csv(FILE *f, const struct pfs_hist *h);
void pfs_hist_prom(FILE *f, const struct pfs_hist *h);
uint64_t pfs_hist_percentile(const struct pfs_hist *h, enum pfs_hist_kind k,
			     double p);

#endif /* PFS_OUT_H */
