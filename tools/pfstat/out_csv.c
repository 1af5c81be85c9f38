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

/*
 * The columns in table order, invalid, the watch rates; then the columns
 * the format added later (the refault group) and their rates, then the
 * cgroup id, so that the earlier columns keep their places. An unknown
 * value is empty.
 */
void pfs_csv_view(FILE *f, const struct pfs_view *v, bool header)
{
	const struct pfs_table *t = v->t;
	bool watch = v->elapsed > 0;
	size_t i;
	int c;

	if (header) {
		if (watch)
			fputs("timestamp,interval,elapsed_s,", f);
		fputs("pid,comm,state", f);
		for (c = 0; c < PFS_REFAULT_FIRST; c++)
			if (t->have[c])
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
		if (t->have[PFS_CGROUP])
			fputs(",cgroup", f);
		fputs("\r\n", f);
	}
	for (i = 0; i < v->n; i++) {
		const struct pfs_row *r = v->rows[i];

		if (watch)
			fprintf(f, "%.3f,%lu,%.3f,", v->timestamp, v->interval,
				v->elapsed);
		fprintf(f, "%d,", r->pid);
		pfs_csv_field(f, r->comm, r->comm_len);
		fprintf(f, ",%s", r->state == PFS_ALIVE ? "alive" : "exited");
		for (c = 0; c < PFS_REFAULT_FIRST; c++)
			if (t->have[c])
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
		if (t->have[PFS_CGROUP])
			fprintf(f, ",%llu", (unsigned long long)r->v[PFS_CGROUP]);
		fputs("\r\n", f);
	}
	fflush(f);
}
