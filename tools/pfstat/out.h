/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfstat output writers: text table, JSON (json-c), CSV (RFC 4180) and
 * Prometheus text exposition. Each renders a view, a histogram or a run
 * report to a FILE * (JSON: to a json_object for pfs_json_print()).
 */
#ifndef PFSTAT_OUT_H
#define PFSTAT_OUT_H

#include <json-c/json.h>
#include <sys/resource.h>

#include "fmap.h"
#include "group.h"
#include "model.h"
#include "rates.h"
#include "where.h"

enum pfs_fmt {
	PFS_OUT_TEXT,
	PFS_OUT_JSON,
	PFS_OUT_CSV,
	PFS_OUT_PROM,
};

/*
 * What to print: selected rows of a snapshot, or of a delta in watch
 * mode; or, with --by, the groups of those rows (nsel counts groups).
 */
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
	/* --by: rows are the sums of struct pfs_group (pfs_group_of()) */
	enum pfs_by by;
	size_t nprocs, nalive;		/* the processes total covers */
};

void pfs_text_table(FILE *f, const struct pfs_view *v);
struct json_object *pfs_json_view(const struct pfs_view *v);
struct json_object *pfs_json_row(const struct pfs_table *t,
				 const struct pfs_row *r, bool with_identity);
struct json_object *pfs_json_globals(const struct pfs_table *t);
int pfs_json_print(FILE *f, struct json_object *o, bool pretty);
/* @o[@k] = @v; and @v as a "0x..." string */
void pfs_json_add(struct json_object *o, const char *k, struct json_object *v);
void pfs_json_add_hex(struct json_object *o, const char *k, uint64_t v);
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

/* pfstat run: what the kernel says of the command, /proc/<pid>/stat. */
struct pfs_procstat {
	bool ok;			/* read; else all zero */
	uint64_t minflt, cminflt;	/* its own, its reaped children's */
	uint64_t majflt, cmajflt;
	uint64_t start_time;		/* field 22: names its row */
};

/* How the command ended. */
struct pfs_run_exit {
	bool exited;			/* exit(); else killed by a signal */
	bool core_dumped;
	int code;			/* exit code, or the signal number */
	int status;			/* pfstat's: code, or 128 + signal */
};

/* What pfstat run reports; run.c fills it, out_run.c writes it. */
struct pfs_run_report {
	char *const *argv;		/* the command */
	int pid;
	struct pfs_run_exit exit;
	struct pfs_procstat ps;		/* read from the zombie */
	struct rusage ru;		/* it and the children it reaped */
	double wall;			/* seconds from start to exit */
	struct pfs_table t;		/* the module's table after the exit */
	const char *source;		/* the file t came from */
	bool causes;			/* t has the cause columns (debugfs) */
	const struct pfs_row *self;	/* the command's row in t, or NULL */
	const struct pfs_row **kids;	/* its descendants' rows */
	size_t nkids;
	size_t nalive;			/* kids still running: not in sum */
	struct pfs_row sum;		/* self and its exited descendants */
};

void pfs_run_text(FILE *f, const struct pfs_run_report *r);
struct json_object *pfs_run_json(const struct pfs_run_report *r);
void pfs_run_csv(FILE *f, const struct pfs_run_report *r);
void pfs_run_prom(FILE *f, const struct pfs_run_report *r);

/* pfstat trace: one event a line, text or a JSON object (out_trace.c) */
void pfs_trace_text(FILE *f, const struct pfs_event *e);
struct json_object *pfs_trace_json(const struct pfs_event *e);

/* pfstat where and run --where (out_where.c) */
size_t pfs_where_name(const struct pfs_where_row *r, char *buf, size_t sz);
void pfs_where_text(FILE *f, const struct pfs_where *w);
struct json_object *pfs_where_json(const struct pfs_where *w);
void pfs_where_csv(FILE *f, const struct pfs_where *w);

/* The data behind pfstat plot's pictures, --data (out_plot.c) */
void pfs_fmap_csv(FILE *f, const struct pfs_fmap *m);
void pfs_rates_csv(FILE *f, const struct pfs_rates *r, size_t top);

#endif /* PFSTAT_OUT_H */
