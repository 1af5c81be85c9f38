// SPDX-License-Identifier: GPL-2.0
/*
 * The text table: aligned columns, human units, a module line above and
 * a totals line below, COMMAND last as in ps, top and pidstat.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "out.h"

enum pfs_tcol_kind {
	PFS_T_PID,
	PFS_T_PPID,
	PFS_T_STATE,
	PFS_T_COUNT,		/* a counter column */
	PFS_T_NS,		/* a time column */
	PFS_T_INVALID,
	PFS_T_RATE,		/* counter per second (watch) */
	PFS_T_COMM,
};

struct pfs_tcol {
	const char *title;
	enum pfs_tcol_kind kind;
	int col;
};

#define PFS_CELL	32

static void pfs_cell(char *buf, const struct pfs_tcol *tc,
		     const struct pfs_row *r, const struct pfs_view *v)
{
	switch (tc->kind) {
	case PFS_T_PID:
		snprintf(buf, PFS_CELL, "%d", r->pid);
		break;
	case PFS_T_PPID:
		snprintf(buf, PFS_CELL, "%llu",
			 (unsigned long long)r->v[PFS_PPID]);
		break;
	case PFS_T_STATE:
		snprintf(buf, PFS_CELL, "%s",
			 r->state == PFS_ALIVE ? "alive" : "exited");
		break;
	case PFS_T_COUNT:
		pfs_fmt_count(buf, PFS_CELL, r->v[tc->col], v->raw);
		break;
	case PFS_T_NS:
		pfs_fmt_ns(buf, PFS_CELL, r->v[tc->col], v->raw);
		break;
	case PFS_T_INVALID:
		pfs_fmt_count(buf, PFS_CELL, pfs_row_invalid(r), v->raw);
		break;
	case PFS_T_RATE:
		pfs_fmt_rate(buf, PFS_CELL, (double)r->v[tc->col] / v->elapsed,
			     v->raw);
		break;
	case PFS_T_COMM:
		buf[0] = '\0';
		break;
	}
}

/* A -l column's title: its name in capitals, '-' for '_'. */
#define PFS_TITLE	24

/*
 * The columns of the view into tc. The -l titles are written into
 * titles[PFS_NCOLS], which tc points into: it must live as long as tc.
 */
static size_t pfs_columns(const struct pfs_view *v, struct pfs_tcol *tc,
			  char (*titles)[PFS_TITLE])
{
	const bool *have = v->t->have;
	size_t n = 0;
	int c, i;

	tc[n++] = (struct pfs_tcol){ "PID", PFS_T_PID, 0 };
	if (v->wide && have[PFS_PPID])
		tc[n++] = (struct pfs_tcol){ "PPID", PFS_T_PPID, 0 };
	tc[n++] = (struct pfs_tcol){ "STATE", PFS_T_STATE, 0 };
	if (v->elapsed > 0) {
		tc[n++] = (struct pfs_tcol){ "MINOR/s", PFS_T_RATE, PFS_MINOR };
		tc[n++] = (struct pfs_tcol){ "MAJOR/s", PFS_T_RATE, PFS_MAJOR };
	}
	if (!v->wide) {
		tc[n++] = (struct pfs_tcol){ "MINOR", PFS_T_COUNT, PFS_MINOR };
		tc[n++] = (struct pfs_tcol){ "MAJOR", PFS_T_COUNT, PFS_MAJOR };
		tc[n++] = (struct pfs_tcol){ "INVALID", PFS_T_INVALID, 0 };
		tc[n++] = (struct pfs_tcol){ "SIGBUS", PFS_T_COUNT, PFS_SIGBUS };
		tc[n++] = (struct pfs_tcol){ "EFAULT", PFS_T_COUNT, PFS_EFAULT };
		if (have[PFS_FAULT_NS])
			tc[n++] = (struct pfs_tcol){ "FLT-TIME", PFS_T_NS,
						     PFS_FAULT_NS };
	} else {
		for (c = 0; c < PFS_NCOLS; c++) {
			if (!have[c] || c == PFS_PPID || c == PFS_START_TIME)
				continue;
			for (i = 0; pfs_col_names[c][i] && i < PFS_TITLE - 1; i++)
				titles[c][i] = (char)(pfs_col_names[c][i] == '_' ? '-' :
					       pfs_col_names[c][i] - 'a' + 'A');
			titles[c][i] = '\0';
			tc[n++] = (struct pfs_tcol){
				titles[c],
				(c == PFS_FAULT_NS || c == PFS_FAULT_MAX_NS) ?
					PFS_T_NS : PFS_T_COUNT,
				c };
			if (c == PFS_SEGV_PKUERR)
				tc[n++] = (struct pfs_tcol){ "INVALID",
							     PFS_T_INVALID, 0 };
		}
	}
	tc[n++] = (struct pfs_tcol){ "COMMAND", PFS_T_COMM, 0 };
	return n;
}

static void pfs_module_line(FILE *f, const struct pfs_view *v)
{
	const struct pfs_table *t = v->t;
	const struct pfs_global *mode = pfs_global_find(t, "mode");
	uint64_t en = 1, procs = 0, maxp = 0, nmissed = 0, dropped = 0,
		 evicted = 0, minor = 0, major = 0;
	char a[PFS_CELL], b[PFS_CELL];

	pfs_global_u64(t, "enabled", &en);
	pfs_global_u64(t, "procs", &procs);
	pfs_global_u64(t, "max_procs", &maxp);
	pfs_global_u64(t, "nmissed", &nmissed);
	pfs_global_u64(t, "dropped", &dropped);
	pfs_global_u64(t, "evicted", &evicted);
	pfs_global_u64(t, "minor", &minor);
	pfs_global_u64(t, "major", &major);
	if (v->elapsed > 0) {
		char ts[32];
		time_t now = (time_t)v->timestamp;
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		pfs_fmt_rate(a, sizeof(a), (double)minor / v->elapsed, v->raw);
		pfs_fmt_rate(b, sizeof(b), (double)major / v->elapsed, v->raw);
		fprintf(f, "%s  interval %lu (%.2f s)  all processes: %s minor/s, %s major/s\n",
			ts, v->interval, v->elapsed, a, b);
	} else {
		pfs_fmt_count(a, sizeof(a), minor, v->raw);
		pfs_fmt_count(b, sizeof(b), major, v->raw);
		fprintf(f, "pagefault_stats: %s, %s, %llu/%llu rows; all processes: %s minor, %s major\n",
			mode ? mode->val : "?", en ? "counting" : "PAUSED",
			(unsigned long long)procs, (unsigned long long)maxp,
			a, b);
	}
	if (nmissed || dropped)
		fprintf(f, "note: nmissed %llu, dropped %llu: per-process counts may be low by up to that\n",
			(unsigned long long)nmissed, (unsigned long long)dropped);
	if (evicted && v->elapsed <= 0)
		fprintf(f, "note: %llu exited processes were evicted from the table\n",
			(unsigned long long)evicted);
}

void pfs_text_table(FILE *f, const struct pfs_view *v)
{
	struct pfs_tcol tc[PFS_NCOLS + 8];
	char titles[PFS_NCOLS][PFS_TITLE];
	size_t ncol = pfs_columns(v, tc, titles), nline = v->n + 1, i, j;
	size_t w[PFS_NCOLS + 8];
	char (*cells)[PFS_CELL];

	cells = calloc(nline * ncol, PFS_CELL);
	if (!cells)
		return;
	for (j = 0; j < ncol; j++)
		w[j] = strlen(tc[j].title);
	for (i = 0; i < nline; i++) {
		const struct pfs_row *r = i < v->n ? v->rows[i] : &v->total;

		for (j = 0; j < ncol; j++) {
			char *cell = cells[i * ncol + j];

			pfs_cell(cell, &tc[j], r, v);
			if (i == v->n && (tc[j].kind == PFS_T_PID ||
					  tc[j].kind == PFS_T_PPID ||
					  tc[j].kind == PFS_T_STATE))
				strcpy(cell, j == 0 ? "total" : "");
			if (strlen(cell) > w[j])
				w[j] = strlen(cell);
		}
	}
	pfs_module_line(f, v);
	for (j = 0; j < ncol; j++) {
		if (tc[j].kind == PFS_T_COMM || tc[j].kind == PFS_T_STATE)
			fprintf(f, "%s%-*s", j ? " " : "",
				tc[j].kind == PFS_T_COMM ? 0 : (int)w[j], tc[j].title);
		else
			fprintf(f, "%s%*s", j ? " " : "", (int)w[j], tc[j].title);
	}
	fputc('\n', f);
	for (i = 0; i < nline; i++) {
		const struct pfs_row *r = i < v->n ? v->rows[i] : NULL;

		for (j = 0; j < ncol; j++) {
			const char *cell = cells[i * ncol + j];

			if (tc[j].kind == PFS_T_COMM) {
				char disp[PFS_COMM_MAX * 4 + 1];

				fputc(' ', f);
				if (r) {
					pfs_comm_display(r->comm, r->comm_len,
							 disp, sizeof(disp), NULL);
					fputs(disp, f);
				} else {
					fprintf(f, "(%zu process%s%s)", v->nsel,
						v->nsel == 1 ? "" : "es",
						v->elapsed > 0 ? " active" : "");
				}
			} else if (tc[j].kind == PFS_T_STATE) {
				fprintf(f, " %-*s", (int)w[j], cell);
			} else {
				fprintf(f, "%s%*s", j ? " " : "", (int)w[j], cell);
			}
		}
		fputc('\n', f);
	}
	free(cells);
}
