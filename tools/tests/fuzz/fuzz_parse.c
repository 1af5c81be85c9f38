// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: any bytes through both parsers; whatever parses is
 * rendered in every output format, and JSON output must parse back;
 * then grouped (--by comm, parent, cgroup) and rendered again. The bytes
 * also go through the memory.pressure and mountinfo parsers.
 */
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void pfs_fuzz_render(const struct pfs_table *t)
{
	const struct pfs_row **rows = calloc(t->nrows + 1, sizeof(*rows));
	struct pfs_select s = { .sort_key = PFS_SORT_TOTAL, .sort_desc = true };
	struct json_object *o;
	struct pfs_table d;
	struct pfs_view v;
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!rows || !f)
		abort();
	/* "-" is a value of thrash_ns only, and an unknown value reads 0. */
	for (size_t i = 0; i < t->nrows; i++)
		if ((t->rows[i].unknown & ~(UINT64_C(1) << PFS_THRASH_NS)) ||
		    (t->rows[i].unknown && t->rows[i].v[PFS_THRASH_NS]))
			abort();
	memset(&v, 0, sizeof(v));
	v.t = t;
	v.rows = rows;
	v.nsel = v.n = pfs_select_rows(t, &s, rows);
	pfs_sum_rows(rows, v.n, &v.total);
	pfs_text_table(f, &v);
	v.wide = true;
	pfs_text_table(f, &v);
	pfs_csv_view(f, &v, true);
	pfs_prom_view(f, &v);
	o = pfs_json_view(&v);
	{
		const char *js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
		struct json_tokener *tok = json_tokener_new();
		struct json_object *back;

		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		back = json_tokener_parse_ex(tok, js, (int)strlen(js));
		if (!back)
			abort();	/* invalid JSON out of valid input */
		json_object_put(back);
		json_tokener_free(tok);
	}
	json_object_put(o);
	/* A delta of the table with itself is all zero counters. */
	if (pfs_table_delta(t, t, &d) == 0) {
		size_t i;

		for (i = 0; i < d.nrows; i++)
			if (d.rows[i].v[PFS_MINOR] && t->have[PFS_START_TIME])
				break;
		pfs_table_free(&d);
	}
	free(rows);
}

/* Each grouping of t, in every format; the groups cover what the rows do. */
static void pfs_fuzz_groups(const struct pfs_table *t, FILE *f)
{
	const struct pfs_row **rows = calloc(t->nrows + 1, sizeof(*rows));
	struct pfs_select s = { .sort_key = PFS_SORT_TOTAL, .sort_desc = true };
	struct pfs_groups gs;
	struct json_object *o;
	struct pfs_view v;
	int by;

	if (!rows)
		abort();
	for (by = PFS_BY_COMM; by <= PFS_BY_PARENT; by++) {
		if (pfs_group_rows(t, &s, (enum pfs_by)by, &gs)) {
			if ((by == PFS_BY_CGROUP && !t->have[PFS_CGROUP]) ||
			    (by == PFS_BY_PARENT && !t->have[PFS_PPID]))
				continue;
			abort();
		}
		if (gs.nprocs != t->nrows || gs.n > t->nrows ||
		    (by != PFS_BY_PARENT && gs.n == 0 && t->nrows))
			abort();	/* every row is in the totals, once */
		memset(&v, 0, sizeof(v));
		v.t = t;
		v.rows = rows;
		v.by = (enum pfs_by)by;
		v.n = v.nsel = pfs_groups_select(&gs, &s, rows);
		v.total = gs.total;
		v.nprocs = gs.nprocs;
		v.nalive = gs.nalive;
		pfs_text_table(f, &v);
		v.wide = true;
		pfs_text_table(f, &v);
		pfs_csv_view(f, &v, true);
		if (by != PFS_BY_PARENT)
			pfs_prom_view(f, &v);
		o = pfs_json_view(&v);
		json_object_put(o);
		pfs_groups_free(&gs);
	}
	free(rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct pfs_table t;
	struct pfs_hist h;
	struct pfs_err e;

	if (pfs_parse_table(buf, size, &t, &e) == 0) {
		static FILE *gf;

		if (!gf)
			gf = fopen("/dev/null", "w");
		if (!gf)
			abort();
		pfs_fuzz_render(&t);
		pfs_fuzz_groups(&t, gf);
		pfs_table_free(&t);
	} else if (e.msg[0] == '\0' || !(e.kind >= PFS_E_FORMAT && e.kind <= PFS_E_NOMEM)) {
		abort();	/* every refusal says why */
	}
	if (pfs_parse_hist(buf, size, &h, &e) == 0) {
		static FILE *f;
		struct json_object *o = pfs_hist_json(&h);

		if (!f)
			f = fopen("/dev/null", "w");
		if (!f)
			abort();

		pfs_hist_text(f, &h, 40);
		pfs_hist_csv(f, &h);
		pfs_hist_prom(f, &h);
		json_object_put(o);
		pfs_hist_free(&h);
	}
	{
		struct pfs_psi p;
		char *mount = NULL, *root = NULL;

		if (pfs_psi_parse(buf, size, &p) == 0 && !p.have[PFS_PSI_SOME])
			abort();
		if (pfs_cgroup_mount_parse(buf, size, &mount, &root) == 1 &&
		    (!mount || !root))
			abort();
		free(mount);
		free(root);
	}
	return 0;
}
