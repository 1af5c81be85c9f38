// SPDX-License-Identifier: GPL-2.0
/*
 * CSV per RFC 4180: CRLF line ends, a field with a comma, double quote,
 * CR or LF enclosed in double quotes with inner quotes doubled. comm goes
 * out as its raw bytes (the kernel's name, unescaped), so it round-trips
 * exactly through any RFC 4180 reader.
 */
#include <string.h>

#include "out.h"

void pfs_csv_field(FILE *f, const char *s, size_t n)
{
	size_t i;

	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\r', n) &&
	    !memchr(s, '\n', n)) {
		fwrite(s, 1, n, f);
		return;
	}
	fputc('"', f);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

/* Columns 0..PFS_REFAULT_FIRST a row of v has: a group only its sums,
 * but by parent also its head's start_time and ppid. */
static bool pfs_csv_col(const struct pfs_view *v, int c)
{
	if (!v->t->have[c])
		return false;
	return v->by == PFS_BY_NONE || v->by == PFS_BY_PARENT ||
	       pfs_col_is_counter(c) || c == PFS_FAULT_MAX_NS;
}

static const char *const pfs_csv_psi_fields[] = { "avg10", "avg60", "avg300",
						  "total_us" };

static void pfs_csv_header(FILE *f, const struct pfs_view *v)
{
	const struct pfs_table *t = v->t;
	bool watch = v->elapsed > 0;
	size_t i;
	int c, k;

	if (watch)
		fputs("timestamp,interval,elapsed_s,", f);
	if (v->by == PFS_BY_COMM)
		fputs("comm", f);
	else if (v->by == PFS_BY_CGROUP)
		fputs("cgroup_path", f);
	else
		fputs("pid,comm,state", f);
	if (v->by != PFS_BY_NONE)
		fputs(",procs,alive", f);
	for (c = 0; c < PFS_REFAULT_FIRST; c++)
		if (pfs_csv_col(v, c))
			fprintf(f, ",%s", pfs_col_names[c]);
	fputs(",invalid", f);
	if (watch)
		fputs(",minor_per_s,major_per_s", f);
	for (c = PFS_REFAULT_FIRST; c < PFS_REFAULT_END; c++)
		if (t->have[c])
			fprintf(f, ",%s", pfs_col_names[c]);
	for (c = PFS_REFAULT_FIRST; watch && c < PFS_REFAULT_END; c++)
		if (t->have[c])
			fprintf(f, ",%s_per_s", pfs_col_names[c]);
	if (t->have[PFS_CGROUP] && v->by != PFS_BY_COMM)
		fputs(",cgroup", f);
	for (k = 0; v->by == PFS_BY_CGROUP && k < PFS_PSI_NKINDS; k++)
		for (i = 0; i < 4; i++)
			fprintf(f, ",memory_%s_%s", pfs_psi_kind_names[k],
				pfs_csv_psi_fields[i]);
	fputs("\r\n", f);
}

/* By cgroup: memory.pressure, empty fields where there is none. */
static void pfs_csv_psi(FILE *f, const struct pfs_psi *p)
{
	int k;

	for (k = 0; k < PFS_PSI_NKINDS; k++) {
		if (!p->have[k]) {
			fputs(",,,,", f);
			continue;
		}
		fprintf(f, ",%.2f,%.2f,%.2f,%llu", p->avg10[k], p->avg60[k],
			p->avg300[k], (unsigned long long)p->total_us[k]);
	}
}

/* A row's key: pid, comm, state; or the group's comm, or cgroup path. */
static void pfs_csv_key(FILE *f, const struct pfs_view *v,
			const struct pfs_row *r)
{
	char id[32];
	const char *path;

	if (v->by == PFS_BY_CGROUP) {
		path = pfs_group_cgroup(pfs_group_of(r), id, sizeof(id));
		pfs_csv_field(f, path, strlen(path));
	} else if (v->by == PFS_BY_COMM) {
		pfs_csv_field(f, r->comm, r->comm_len);
	} else {
		fprintf(f, "%d,", r->pid);
		pfs_csv_field(f, r->comm, r->comm_len);
		fprintf(f, ",%s", r->state == PFS_ALIVE ? "alive" : "exited");
	}
	if (v->by != PFS_BY_NONE)
		fprintf(f, ",%zu,%zu", pfs_group_of(r)->nprocs,
			pfs_group_of(r)->nalive);
}

/*
 * The columns in table order, invalid, the watch rates; then the columns
 * the format added later (the refault group) and their rates, then the
 * cgroup id, so that the earlier columns keep their places. An unknown
 * value is empty. --by: the group's key, procs and alive first, its
 * memory pressure last (by cgroup).
 */
void pfs_csv_view(FILE *f, const struct pfs_view *v, bool header)
{
	const struct pfs_table *t = v->t;
	bool watch = v->elapsed > 0;
	size_t i;
	int c;

	if (header)
		pfs_csv_header(f, v);
	for (i = 0; i < v->n; i++) {
		const struct pfs_row *r = v->rows[i];

		if (watch)
			fprintf(f, "%.3f,%lu,%.3f,", v->timestamp, v->interval,
				v->elapsed);
		pfs_csv_key(f, v, r);
		for (c = 0; c < PFS_REFAULT_FIRST; c++)
			if (pfs_csv_col(v, c))
				fprintf(f, ",%llu", (unsigned long long)r->v[c]);
		fprintf(f, ",%llu", (unsigned long long)pfs_row_invalid(r));
		if (watch)
			fprintf(f, ",%.3f,%.3f",
				(double)r->v[PFS_MINOR] / v->elapsed,
				(double)r->v[PFS_MAJOR] / v->elapsed);
		for (c = PFS_REFAULT_FIRST; c < PFS_REFAULT_END; c++) {
			if (!t->have[c])
				continue;
			fputc(',', f);
			if (pfs_row_known(t->have, r, c))
				fprintf(f, "%llu", (unsigned long long)r->v[c]);
		}
		for (c = PFS_REFAULT_FIRST; watch && c < PFS_REFAULT_END; c++) {
			if (!t->have[c])
				continue;
			fputc(',', f);
			if (pfs_row_known(t->have, r, c))
				fprintf(f, "%.3f", (double)r->v[c] / v->elapsed);
		}
		if (t->have[PFS_CGROUP] && v->by != PFS_BY_COMM)
			fprintf(f, ",%llu", (unsigned long long)r->v[PFS_CGROUP]);
		if (v->by == PFS_BY_CGROUP)
			pfs_csv_psi(f, &pfs_group_of(r)->psi);
		fputs("\r\n", f);
	}
	fflush(f);
}
