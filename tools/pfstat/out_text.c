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
	PFS_T_ID,		/* an identity column (ppid, cgroup): raw */
	PFS_T_STATE,
	PFS_T_COUNT,		/* a counter column */
	PFS_T_NS,		/* a time column */
	PFS_T_INVALID,
	PFS_T_RATE,		/* counter per second (watch) */
	PFS_T_NS_RATE,		/* time per second (watch) */
	PFS_T_PROCS,		/* --by: processes in the group */
	PFS_T_ALIVE,		/* --by: of them alive */
	PFS_T_PSI,		/* --by cgroup: memory pressure avg10, col some/full */
	PFS_T_COMM,		/* last: the name, or the totals' note */
	PFS_T_CGROUP,		/* last, --by cgroup: the cgroup */
};

struct pfs_tcol {
	const char *title;
	enum pfs_tcol_kind kind;
	int col;
};

#define PFS_CELL	32

/* Nanoseconds per second of ns over elapsed seconds, within 64 bits. */
static uint64_t pfs_ns_per_s(uint64_t ns, double elapsed)
{
	double d = (double)ns / elapsed;

	return d >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)d;
}

static void pfs_cell(char *buf, const struct pfs_tcol *tc,
		     const struct pfs_row *r, const struct pfs_view *v)
{
	bool counter = tc->kind == PFS_T_COUNT || tc->kind == PFS_T_NS ||
		       tc->kind == PFS_T_RATE || tc->kind == PFS_T_NS_RATE;

	/* "-": the kernel keeps no such figure for the process. */
	if (counter && !pfs_row_known(v->t->have, r, tc->col)) {
		snprintf(buf, PFS_CELL, "-");
		return;
	}
	switch (tc->kind) {
	case PFS_T_PID:
		snprintf(buf, PFS_CELL, "%d", r->pid);
		break;
	case PFS_T_ID:
		snprintf(buf, PFS_CELL, "%llu",
			 (unsigned long long)r->v[tc->col]);
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
	case PFS_T_NS_RATE:
		pfs_fmt_ns(buf, PFS_CELL, pfs_ns_per_s(r->v[tc->col], v->elapsed),
			   v->raw);
		break;
	case PFS_T_PROCS:
		snprintf(buf, PFS_CELL, "%zu", r == &v->total ? v->nprocs :
			 pfs_group_of(r)->nprocs);
		break;
	case PFS_T_ALIVE:
		snprintf(buf, PFS_CELL, "%zu", r == &v->total ? v->nalive :
			 pfs_group_of(r)->nalive);
		break;
	case PFS_T_PSI:
		if (r != &v->total && pfs_group_of(r)->psi.have[tc->col])
			snprintf(buf, PFS_CELL, "%.2f%%",
				 pfs_group_of(r)->psi.avg10[tc->col]);
		else
			snprintf(buf, PFS_CELL, "%s", r == &v->total ? "" : "-");
		break;
	case PFS_T_COMM:
	case PFS_T_CGROUP:
		buf[0] = '\0';
		break;
	}
}

/* A -l column's title: its name in capitals, '-' for '_'. */
#define PFS_TITLE	24
/* Room for the titles of the columns and of the -l watch rates. */
#define PFS_NTITLES	(PFS_NCOLS * 2)
/* Columns of a view at most: every one, a rate each, and the rest. */
#define PFS_MAX_TCOLS	(PFS_NCOLS * 2 + 8)

static const char *pfs_title(char *title, int c, const char *suffix)
{
	int i;

	for (i = 0; pfs_col_names[c][i] && i < PFS_TITLE - 1; i++)
		title[i] = (char)(pfs_col_names[c][i] == '_' ? '-' :
				  pfs_col_names[c][i] - 'a' + 'A');
	snprintf(title + i, (size_t)(PFS_TITLE - i), "%s", suffix);
	return title;
}

static bool pfs_col_is_ns(int c)
{
	return c == PFS_FAULT_NS || c == PFS_FAULT_MAX_NS || c == PFS_THRASH_NS;
}

/*
 * The columns of the view into tc. The -l titles are written into
 * titles[PFS_NTITLES], which tc points into: it must live as long as tc.
 * Columns the format added later (THRASH, the refault group) go last
 * before COMMAND, so the earlier ones keep their places.
 */
static size_t pfs_columns(const struct pfs_view *v, struct pfs_tcol *tc,
			  char (*titles)[PFS_TITLE])
{
	const bool *have = v->t->have;
	bool watch = v->elapsed > 0;
	size_t n = 0;
	int c;

	if (v->by == PFS_BY_NONE || v->by == PFS_BY_PARENT) {
		tc[n++] = (struct pfs_tcol){ "PID", PFS_T_PID, 0 };
		if (v->wide && have[PFS_PPID])
			tc[n++] = (struct pfs_tcol){ "PPID", PFS_T_ID, PFS_PPID };
		tc[n++] = (struct pfs_tcol){ "STATE", PFS_T_STATE, 0 };
	}
	if (v->by != PFS_BY_NONE) {
		tc[n++] = (struct pfs_tcol){ "PROCS", PFS_T_PROCS, 0 };
		tc[n++] = (struct pfs_tcol){ "ALIVE", PFS_T_ALIVE, 0 };
	}
	if (watch) {
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
		if (have[PFS_REFAULT_ACTIVE]) {
			tc[n++] = (struct pfs_tcol){ "THRASH", PFS_T_COUNT,
						     PFS_REFAULT_ACTIVE };
			if (watch)
				tc[n++] = (struct pfs_tcol){ "THRASH/s", PFS_T_RATE,
							     PFS_REFAULT_ACTIVE };
		}
	} else {
		for (c = 0; c < PFS_NCOLS; c++) {
			if (!have[c] || c == PFS_PPID || c == PFS_START_TIME)
				continue;
			/* A group's cgroup is its key or none of its own. */
			if (c == PFS_CGROUP && (v->by == PFS_BY_COMM ||
						v->by == PFS_BY_CGROUP))
				continue;
			tc[n++] = (struct pfs_tcol){
				pfs_title(titles[c], c, ""),
				c == PFS_CGROUP ? PFS_T_ID :
				pfs_col_is_ns(c) ? PFS_T_NS : PFS_T_COUNT, c };
			if (c == PFS_SEGV_PKUERR)
				tc[n++] = (struct pfs_tcol){ "INVALID",
							     PFS_T_INVALID, 0 };
		}
		for (c = PFS_REFAULT_FIRST; watch && c < PFS_REFAULT_END; c++) {
			if (!have[c])
				continue;
			tc[n++] = (struct pfs_tcol){
				pfs_title(titles[PFS_NCOLS + c], c, "/s"),
				pfs_col_is_ns(c) ? PFS_T_NS_RATE : PFS_T_RATE, c };
		}
	}
	if (v->by == PFS_BY_CGROUP) {
		tc[n++] = (struct pfs_tcol){ "MEM-SOME", PFS_T_PSI, PFS_PSI_SOME };
		tc[n++] = (struct pfs_tcol){ "MEM-FULL", PFS_T_PSI, PFS_PSI_FULL };
		tc[n++] = (struct pfs_tcol){ "CGROUP", PFS_T_CGROUP, 0 };
	} else {
		tc[n++] = (struct pfs_tcol){ "COMMAND", PFS_T_COMM, 0 };
	}
	return n;
}

/*
 * ", N refaults, M thrash" (per second in watch) after the module line's
 * fault figures, where the module publishes refault counts.
 */
static void pfs_module_refaults(FILE *f, const struct pfs_view *v)
{
	uint64_t anon, file, active;
	char a[PFS_CELL], b[PFS_CELL];

	if (!pfs_global_u64(v->t, "refault_anon", &anon) ||
	    !pfs_global_u64(v->t, "refault_file", &file) ||
	    !pfs_global_u64(v->t, "refault_active", &active))
		return;
	if (v->elapsed > 0) {
		pfs_fmt_rate(a, sizeof(a), (double)pfs_add_sat(anon, file) /
			     v->elapsed, v->raw);
		pfs_fmt_rate(b, sizeof(b), (double)active / v->elapsed, v->raw);
		fprintf(f, ", %s refaults/s, %s thrash/s", a, b);
	} else {
		pfs_fmt_count(a, sizeof(a), pfs_add_sat(anon, file), v->raw);
		pfs_fmt_count(b, sizeof(b), active, v->raw);
		fprintf(f, ", %s refaults, %s thrash", a, b);
	}
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
		fprintf(f, "%s  interval %lu (%.2f s)  all processes: %s minor/s, %s major/s",
			ts, v->interval, v->elapsed, a, b);
	} else {
		pfs_fmt_count(a, sizeof(a), minor, v->raw);
		pfs_fmt_count(b, sizeof(b), major, v->raw);
		fprintf(f, "pagefault_stats: %s, %s, %llu/%llu rows; all processes: %s minor, %s major",
			mode ? mode->val : "?", en ? "counting" : "PAUSED",
			(unsigned long long)procs, (unsigned long long)maxp,
			a, b);
	}
	pfs_module_refaults(f, v);
	fputc('\n', f);
	if (nmissed || dropped)
		fprintf(f, "note: nmissed %llu, dropped %llu: per-process counts may be low by up to that\n",
			(unsigned long long)nmissed, (unsigned long long)dropped);
	if (evicted && v->elapsed <= 0)
		fprintf(f, "note: %llu exited processes were evicted from the table\n",
			(unsigned long long)evicted);
}

/* -l: why a THRASH-NS cell may be "-", once, under the table. */
static void pfs_thrash_note(FILE *f, const struct pfs_view *v)
{
	size_t i, n = 0;

	if (!v->wide || !v->t->have[PFS_THRASH_NS])
		return;
	for (i = 0; i < v->n; i++)
		n += !pfs_row_known(v->t->have, v->rows[i], PFS_THRASH_NS);
	if (n && v->by != PFS_BY_NONE)
		fprintf(f, "note: THRASH-NS \"-\": no thrashing time kept for any process of %zu group%s (delay accounting was off when they started; sysctl kernel.task_delayacct=1 turns it on for processes started afterwards)\n",
			n, n == 1 ? "" : "s");
	else if (n)
		fprintf(f, "note: THRASH-NS \"-\": no thrashing time kept for %zu process%s (delay accounting was off when %s; sysctl kernel.task_delayacct=1 turns it on for processes started afterwards)\n",
			n, n == 1 ? "" : "es", n == 1 ? "it started" : "they started");
}

/* The last column of a row: its comm, or its cgroup. */
static void pfs_text_name(FILE *f, const struct pfs_tcol *tc,
			  const struct pfs_row *r)
{
	char disp[PFS_COMM_MAX * 4 + 1], id[32];
	const char *path;
	size_t i;

	if (tc->kind == PFS_T_COMM) {
		pfs_comm_display(r->comm, r->comm_len, disp, sizeof(disp), NULL);
		fputs(disp, f);
		return;
	}
	/* A path is the kernel's names: control bytes shown as \ooo. */
	path = pfs_group_cgroup(pfs_group_of(r), id, sizeof(id));
	for (i = 0; path[i]; i++) {
		unsigned char ch = (unsigned char)path[i];

		if (ch < 0x20 || ch == 0x7f || ch == '\\')
			fprintf(f, "\\%03o", ch);
		else
			fputc(ch, f);
	}
}

/* The last column of the totals line: what they cover. */
static void pfs_text_total_note(FILE *f, const struct pfs_view *v)
{
	const char *active = v->elapsed > 0 ? " active" : "";

	if (v->by == PFS_BY_NONE) {
		fprintf(f, "(%zu process%s%s)", v->nsel,
			v->nsel == 1 ? "" : "es", active);
		return;
	}
	fprintf(f, "(%s%zu %s%s%s", v->by == PFS_BY_PARENT ? "" : "total: ", v->nsel,
		v->by == PFS_BY_CGROUP ? "cgroup" :
		v->by == PFS_BY_COMM ? "command name" : "process tree",
		v->nsel == 1 ? "" : "s", active);
	if (v->by == PFS_BY_PARENT)
		fprintf(f, ", %zu process%s", v->nprocs,
			v->nprocs == 1 ? "" : "es");
	fputc(')', f);
}

void pfs_text_table(FILE *f, const struct pfs_view *v)
{
	struct pfs_tcol tc[PFS_MAX_TCOLS];
	char titles[PFS_NTITLES][PFS_TITLE];
	size_t ncol = pfs_columns(v, tc, titles), nline = v->n + 1, i, j;
	size_t w[PFS_MAX_TCOLS];
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
					  tc[j].kind == PFS_T_ID ||
					  tc[j].kind == PFS_T_STATE))
				strcpy(cell, j == 0 ? "total" : "");
			if (strlen(cell) > w[j])
				w[j] = strlen(cell);
		}
	}
	pfs_module_line(f, v);
	for (j = 0; j < ncol; j++) {
		if (tc[j].kind >= PFS_T_COMM || tc[j].kind == PFS_T_STATE)
			fprintf(f, "%s%-*s", j ? " " : "",
				tc[j].kind >= PFS_T_COMM ? 0 : (int)w[j], tc[j].title);
		else
			fprintf(f, "%s%*s", j ? " " : "", (int)w[j], tc[j].title);
	}
	fputc('\n', f);
	for (i = 0; i < nline; i++) {
		const struct pfs_row *r = i < v->n ? v->rows[i] : NULL;

		for (j = 0; j < ncol; j++) {
			const char *cell = cells[i * ncol + j];

			if (tc[j].kind >= PFS_T_COMM) {
				fputc(' ', f);
				if (r)
					pfs_text_name(f, &tc[j], r);
				else
					pfs_text_total_note(f, v);
			} else if (tc[j].kind == PFS_T_STATE) {
				fprintf(f, " %-*s", (int)w[j], cell);
			} else {
				fprintf(f, "%s%*s", j ? " " : "", (int)w[j], cell);
			}
		}
		fputc('\n', f);
	}
	pfs_thrash_note(f, v);
	free(cells);
}
