// SPDX-License-Identifier: GPL-2.0
/*
 * The process table of show and watch: the rows of a snapshot (or of a
 * watch interval's delta) the options select, or their groups (--by),
 * their totals, and the writer of the chosen format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cgroup.h"

#define PFS_MOUNTINFO	"/proc/self/mountinfo"

/*
 * The cgroup2 mount: $PFSTAT_CGROUP_ROOT, else the first in mountinfo.
 * 0 and *m loaded; 1 if there is none (said once); -1 out of memory.
 */
static int pfs_cgmap_open(struct pfs_cgmap *m)
{
	static bool warned;
	const char *env = getenv(PFS_CGROUP_ROOT_ENV);
	char *mount = NULL, *root = NULL, *buf = NULL;
	size_t len = 0;
	int found = 0, r = 1;

	if (env && *env) {
		mount = strdup(env);
		root = strdup("/");
		found = mount && root ? 1 : -1;
	} else if (!pfs_read_file(PFS_MOUNTINFO, &buf, &len)) {
		found = pfs_cgroup_mount_parse(buf, len, &mount, &root);
		free(buf);
	}
	if (found < 0) {
		r = -1;
	} else if (!found) {
		if (!warned)
			fprintf(stderr, "pfstat: no cgroup2 mount in %s: cgroups shown as #ID\n",
				PFS_MOUNTINFO);
		warned = true;
	} else if (!pfs_cgmap_load(m, mount, root)) {
		r = 0;
	} else if (errno == ENOMEM) {
		r = -1;
	} else {
		if (!warned)
			fprintf(stderr, "pfstat: %s: %s: cgroups shown as #ID\n",
				mount, strerror(errno));
		warned = true;
	}
	free(mount);
	free(root);
	return r;
}

/* --by: the groups into gs, their rows (unsorted, uncut) into v. */
static int pfs_view_groups(struct pfs_view *v, const struct pfs_cfg *cfg,
			   const struct pfs_table *t, struct pfs_groups *gs)
{
	const struct pfs_select *s = &cfg->sel;
	struct pfs_cgmap m;
	int r;

	if (cfg->by == PFS_BY_CGROUP && !t->have[PFS_CGROUP]) {
		fprintf(stderr, "pfstat: %s: grouping by cgroup needs a pagefault_stats module with the cgroup column; this one has none\n",
			cfg->causes ? cfg->debugfs_procs : cfg->proc_file);
		return PFS_EXIT_ENV;
	}
	if (cfg->by == PFS_BY_PARENT && !t->have[PFS_PPID]) {
		fprintf(stderr, "pfstat: %s: grouping by parent needs the ppid column; this file has none\n",
			cfg->causes ? cfg->debugfs_procs : cfg->proc_file);
		return PFS_EXIT_ENV;
	}
	if (pfs_group_rows(t, s, cfg->by, gs))
		goto nomem;
	if (cfg->by == PFS_BY_CGROUP) {
		r = pfs_cgmap_open(&m);
		if (r < 0)
			goto nomem;
		if (r == 0) {
			r = pfs_cgroups_fill(gs, &m);
			pfs_cgmap_free(&m);
			if (r)
				goto nomem;
		}
	}
	v->by = cfg->by;
	v->nsel = pfs_groups_select(gs, s, v->rows);
	v->total = gs->total;
	v->nprocs = gs->nprocs;
	v->nalive = gs->nalive;
	return 0;
nomem:
	fprintf(stderr, "pfstat: out of memory\n");
	return PFS_EXIT_ENV;
}

/*
 * The view of t: rows (room for t->nrows) gets the selected rows, or
 * their groups, sorted and cut to the top N; the totals cover every
 * selected row.
 */
int pfs_view_init(struct pfs_view *v, const struct pfs_cfg *cfg,
		  const struct pfs_table *t, const struct pfs_row **rows,
		  struct pfs_groups *gs)
{
	struct pfs_select all = cfg->sel;

	memset(v, 0, sizeof(*v));
	memset(gs, 0, sizeof(*gs));
	v->t = t;
	v->rows = rows;
	v->raw = cfg->raw;
	v->wide = cfg->wide;
	v->timestamp = pfs_now();
	if (cfg->by != PFS_BY_NONE) {
		int r = pfs_view_groups(v, cfg, t, gs);

		if (r)
			return r;
	} else {
		/* Totals cover every selected row, not only the top N shown. */
		all.top = 0;
		v->nsel = pfs_select_rows(t, &all, rows);
		pfs_sum_rows(rows, v->nsel, &v->total);
	}
	v->n = v->nsel;
	if (cfg->sel.top && v->n > cfg->sel.top)
		v->n = cfg->sel.top;
	return 0;
}

/* The view in the configured format; first: a watch's first interval. */
void pfs_render(FILE *f, const struct pfs_cfg *cfg, struct pfs_view *v,
		bool first)
{
	struct json_object *o;

	switch (cfg->fmt) {
	case PFS_OUT_TEXT:
		pfs_text_table(f, v);
		fflush(f);
		break;
	case PFS_OUT_JSON:
		o = pfs_json_view(v);
		pfs_json_print(f, o, v->elapsed <= 0);
		json_object_put(o);
		break;
	case PFS_OUT_CSV:
		pfs_csv_view(f, v, first);
		break;
	case PFS_OUT_PROM:
		pfs_prom_view(f, v);
		break;
	}
}
