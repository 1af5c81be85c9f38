// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition format 0.0.4, for node_exporter's textfile
 * collector or any scraper. Label values escape backslash, double quote
 * and newline as the format requires; a comm that is not UTF-8 has its
 * bad bytes replaced by U+FFFD (the format is UTF-8). Each family has one
 * HELP and TYPE line and its samples together; every per-process series
 * carries pid and start_time, so two processes that shared a pid stay
 * two series. --by comm and --by cgroup write families of their own
 * (pagefault_stats_comm_..., pagefault_stats_cgroup_...) labelled by the
 * group: a different aggregation is a different metric, and one scrape
 * never mixes the two.
 */
#include <string.h>

#include "out.h"

void pfs_prom_label(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\')
			fputs("\\\\", f);
		else if (s[i] == '"')
			fputs("\\\"", f);
		else if (s[i] == '\n')
			fputs("\\n", f);
		else
			fputc(s[i], f);
	}
}

static void pfs_prom_family(FILE *f, const char *name, const char *type,
			    const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void pfs_prom_labels(FILE *f, const struct pfs_view *v,
			    const struct pfs_row *r)
{
	char u[PFS_COMM_UTF8_MAX], id[32];
	size_t ul;
	const char *path;

	if (v->by == PFS_BY_CGROUP) {
		path = pfs_group_cgroup(pfs_group_of(r), id, sizeof(id));
		fputs("cgroup=\"", f);
		pfs_prom_label(f, path, strlen(path));
		fputc('"', f);
		return;
	}
	ul = pfs_comm_utf8(r->comm, r->comm_len, u, sizeof(u));
	if (v->by == PFS_BY_NONE)
		fprintf(f, "pid=\"%d\",", r->pid);
	fputs("comm=\"", f);
	pfs_prom_label(f, u, ul);
	fputc('"', f);
	if (v->by == PFS_BY_NONE && v->t->have[PFS_START_TIME])
		fprintf(f, ",start_time=\"%llu\"",
			(unsigned long long)r->v[PFS_START_TIME]);
}

/* "pagefault_stats_<scope><suffix>": the families of v's rows. */
static const char *pfs_prom_name(char *buf, size_t sz, const struct pfs_view *v,
				 const char *suffix)
{
	snprintf(buf, sz, "pagefault_stats_%s%s",
		 v->by == PFS_BY_COMM ? "comm_" :
		 v->by == PFS_BY_CGROUP ? "cgroup_" : "", suffix);
	return buf;
}

/* Whose figures a HELP line gives. */
static const char *pfs_prom_whose(const struct pfs_view *v)
{
	return v->by == PFS_BY_COMM ? "The processes of a command name (summed):" :
	       v->by == PFS_BY_CGROUP ? "The processes of a cgroup (summed):" :
	       "A process's";
}

/* "<name>{<labels>[,<extra>]} " before a sample's value. */
static void pfs_prom_sample(FILE *f, const char *name, const struct pfs_view *v,
			    const struct pfs_row *r, const char *extra)
{
	fprintf(f, "%s{", name);
	pfs_prom_labels(f, v, r);
	if (extra)
		fprintf(f, ",%s", extra);
	fputs("} ", f);
}

/* Counters reported in pagefault_stats_faults_total{type=...}. */
static const enum pfs_col pfs_prom_types[] = {
	PFS_MINOR, PFS_MAJOR, PFS_RETRY, PFS_SEGV_MAPERR, PFS_SEGV_ACCERR,
	PFS_SEGV_PKUERR, PFS_SIGBUS, PFS_OOM, PFS_EFAULT, PFS_HWPOISON,
	PFS_SEGV_MM, PFS_REMOTE,
};

static const struct {
	enum pfs_col col;
	const char *cause, *type;
} pfs_prom_causes[] = {
	{ PFS_ANON_MINOR, "anon", "minor" },
	{ PFS_ANON_MAJOR, "anon", "major" },
	{ PFS_FILE_MINOR, "file", "minor" },
	{ PFS_FILE_MAJOR, "file", "major" },
	{ PFS_SHMEM_MINOR, "shmem", "minor" },
	{ PFS_SHMEM_MAJOR, "shmem", "major" },
};

/* Refault counters, in pages: one family each, anon and file as a kind. */
static const struct {
	enum pfs_col col;
	const char *family, *kind, *help;
} pfs_prom_refaults[] = {
	{ PFS_REFAULT_ANON, "refault_pages_total", "anon",
	  "pages the kernel had evicted and brought back (workingset refaults), by kind of memory." },
	{ PFS_REFAULT_FILE, "refault_pages_total", "file",
	  "pages the kernel had evicted and brought back (workingset refaults), by kind of memory." },
	{ PFS_REFAULT_ACTIVE, "refault_active_pages_total", NULL,
	  "refaulted pages the kernel took for part of the working set (activated on refault): thrashing." },
	{ PFS_REFAULT_RESTORE, "refault_restore_pages_total", NULL,
	  "refaulted pages that were active when they were evicted." },
};

#define PFS_PROM_NREFAULTS (sizeof(pfs_prom_refaults) / sizeof(pfs_prom_refaults[0]))

/*
 * The refault families, module-wide (v NULL: "pagefault_stats_all_...",
 * from the global keys) or of the rows of v. A family's HELP and TYPE
 * come before its first entry the file has.
 */
static void pfs_prom_refault_families(FILE *f, const struct pfs_table *t,
				      const struct pfs_view *v)
{
	const char *last = NULL;
	char name[80], extra[32];
	size_t k, i;
	uint64_t n;

	for (k = 0; k < PFS_PROM_NREFAULTS; k++) {
		const char *key = pfs_col_names[pfs_prom_refaults[k].col];
		const char *kind = pfs_prom_refaults[k].kind;

		if (v)
			pfs_prom_name(name, sizeof(name), v, pfs_prom_refaults[k].family);
		else
			snprintf(name, sizeof(name), "pagefault_stats_all_%s",
				 pfs_prom_refaults[k].family);
		if (v ? !t->have[pfs_prom_refaults[k].col] :
			!pfs_global_u64(t, key, &n))
			continue;
		if (!last || strcmp(last, pfs_prom_refaults[k].family))
			fprintf(f, "# HELP %s %s %s\n# TYPE %s counter\n", name,
				v ? pfs_prom_whose(v) : "All processes'",
				pfs_prom_refaults[k].help, name);
		last = pfs_prom_refaults[k].family;
		if (!v) {
			fprintf(f, kind ? "%s{kind=\"%s\"} %llu\n" : "%s%s %llu\n",
				name, kind ? kind : "", (unsigned long long)n);
			continue;
		}
		snprintf(extra, sizeof(extra), "kind=\"%s\"", kind ? kind : "");
		for (i = 0; i < v->n; i++) {
			pfs_prom_sample(f, name, v, v->rows[i], kind ? extra : NULL);
			fprintf(f, "%llu\n",
				(unsigned long long)v->rows[i]->v[pfs_prom_refaults[k].col]);
		}
	}
}

static void pfs_prom_globals(FILE *f, const struct pfs_table *t)
{
	static const struct {
		const char *key, *name, *type, *help;
	} g[] = {
		{ "enabled", "pagefault_stats_enabled", "gauge",
		  "1 while the module counts, 0 while paused." },
		{ "nmissed", "pagefault_stats_nmissed_total", "counter",
		  "Faults the kprobe machinery did not deliver to the module." },
		{ "dropped", "pagefault_stats_dropped_total", "counter",
		  "Counted faults of processes that got no table row." },
		{ "evicted", "pagefault_stats_evicted_total", "counter",
		  "Exited processes' rows removed to make room." },
		{ "procs", "pagefault_stats_procs", "gauge",
		  "Rows in the module's table." },
		{ "max_procs", "pagefault_stats_max_procs", "gauge",
		  "Bound of the module's table." },
	};
	size_t i;
	uint64_t v;

	pfs_prom_family(f, "pagefault_stats_all_faults_total", "counter",
			"Faults of all processes by type, as the module counted them.");
	for (i = 0; i < sizeof(pfs_prom_types) / sizeof(pfs_prom_types[0]); i++)
		if (pfs_global_u64(t, pfs_col_names[pfs_prom_types[i]], &v))
			fprintf(f, "pagefault_stats_all_faults_total{type=\"%s\"} %llu\n",
				pfs_col_names[pfs_prom_types[i]],
				(unsigned long long)v);
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		if (!pfs_global_u64(t, g[i].key, &v))
			continue;
		pfs_prom_family(f, g[i].name, g[i].type, g[i].help);
		fprintf(f, "%s %llu\n", g[i].name, (unsigned long long)v);
	}
	pfs_prom_refault_families(f, t, NULL);
}

/* By cgroup: memory.pressure's stall totals, where a cgroup has them. */
static void pfs_prom_psi(FILE *f, const struct pfs_view *v)
{
	const char *name = "pagefault_stats_cgroup_memory_pressure_seconds_total";
	char extra[32];
	size_t i;
	int k;

	pfs_prom_family(f, name, "counter",
			"Time some or all of a cgroup's tasks stalled on memory (PSI, memory.pressure total); no sample where the cgroup has no such file.");
	for (i = 0; i < v->n; i++) {
		const struct pfs_psi *p = &pfs_group_of(v->rows[i])->psi;

		for (k = 0; k < PFS_PSI_NKINDS; k++) {
			if (!p->have[k])
				continue;
			snprintf(extra, sizeof(extra), "kind=\"%s\"",
				 pfs_psi_kind_names[k]);
			pfs_prom_sample(f, name, v, v->rows[i], extra);
			fprintf(f, "%.6f\n", (double)p->total_us[k] / 1e6);
		}
	}
}

/* A process alive or not; a group: its processes and the alive ones. */
static void pfs_prom_alive(FILE *f, const struct pfs_view *v)
{
	char name[80];
	size_t i;

	if (v->by == PFS_BY_NONE) {
		pfs_prom_family(f, "pagefault_stats_process_alive", "gauge",
				"1 while the process runs, 0 once it exited.");
		for (i = 0; i < v->n; i++) {
			pfs_prom_sample(f, "pagefault_stats_process_alive", v,
					v->rows[i], NULL);
			fprintf(f, "%d\n", v->rows[i]->state == PFS_ALIVE);
		}
		return;
	}
	pfs_prom_name(name, sizeof(name), v, "processes");
	pfs_prom_family(f, name, "gauge",
			v->by == PFS_BY_COMM ?
			"Processes of a command name in the module's table, running or exited." :
			"Processes of a cgroup in the module's table, running or exited.");
	for (i = 0; i < v->n; i++) {
		pfs_prom_sample(f, name, v, v->rows[i], NULL);
		fprintf(f, "%zu\n", pfs_group_of(v->rows[i])->nprocs);
	}
	pfs_prom_name(name, sizeof(name), v, "processes_alive");
	pfs_prom_family(f, name, "gauge", v->by == PFS_BY_COMM ?
			"Running processes of a command name." :
			"Running processes of a cgroup.");
	for (i = 0; i < v->n; i++) {
		pfs_prom_sample(f, name, v, v->rows[i], NULL);
		fprintf(f, "%zu\n", pfs_group_of(v->rows[i])->nalive);
	}
}

void pfs_prom_view(FILE *f, const struct pfs_view *v)
{
	const struct pfs_table *t = v->t;
	char name[80], extra[64], help[200];
	size_t i, k;

	pfs_prom_globals(f, t);
	pfs_prom_name(name, sizeof(name), v, "faults_total");
	snprintf(help, sizeof(help), "%s page faults and fault outcomes by type.",
		 pfs_prom_whose(v));
	pfs_prom_family(f, name, "counter", v->by == PFS_BY_NONE ?
			"Page faults and fault outcomes of a process by type." : help);
	for (i = 0; i < v->n; i++) {
		for (k = 0; k < sizeof(pfs_prom_types) / sizeof(pfs_prom_types[0]); k++) {
			enum pfs_col c = pfs_prom_types[k];

			if (!t->have[c])
				continue;
			snprintf(extra, sizeof(extra), "type=\"%s\"", pfs_col_names[c]);
			pfs_prom_sample(f, name, v, v->rows[i], extra);
			fprintf(f, "%llu\n", (unsigned long long)v->rows[i]->v[c]);
		}
	}
	if (t->have[PFS_ANON_MINOR]) {
		pfs_prom_name(name, sizeof(name), v, "faults_by_cause_total");
		snprintf(help, sizeof(help), "%s minor and major faults by the memory they hit.",
			 pfs_prom_whose(v));
		pfs_prom_family(f, name, "counter", v->by == PFS_BY_NONE ?
				"Minor and major faults of a process by the memory they hit." : help);
		for (i = 0; i < v->n; i++) {
			for (k = 0; k < sizeof(pfs_prom_causes) / sizeof(pfs_prom_causes[0]); k++) {
				if (!t->have[pfs_prom_causes[k].col])
					continue;
				snprintf(extra, sizeof(extra), "cause=\"%s\",type=\"%s\"",
					 pfs_prom_causes[k].cause,
					 pfs_prom_causes[k].type);
				pfs_prom_sample(f, name, v, v->rows[i], extra);
				fprintf(f, "%llu\n",
					(unsigned long long)v->rows[i]->v[pfs_prom_causes[k].col]);
			}
		}
	}
	if (t->have[PFS_FAULT_NS]) {
		pfs_prom_name(name, sizeof(name), v, "fault_seconds_total");
		snprintf(help, sizeof(help), "%s time spent in handle_mm_fault().",
			 pfs_prom_whose(v));
		pfs_prom_family(f, name, "counter", v->by == PFS_BY_NONE ?
				"Time a process spent in handle_mm_fault()." : help);
		for (i = 0; i < v->n; i++) {
			pfs_prom_sample(f, name, v, v->rows[i], NULL);
			fprintf(f, "%.9f\n", (double)v->rows[i]->v[PFS_FAULT_NS] / 1e9);
		}
	}
	pfs_prom_refault_families(f, t, v);
	if (t->have[PFS_THRASH_NS]) {
		pfs_prom_name(name, sizeof(name), v, "thrash_seconds_total");
		snprintf(help, sizeof(help), "%s time waited on refaulting pages (delay accounting); no sample where the kernel keeps none.",
			 pfs_prom_whose(v));
		pfs_prom_family(f, name, "counter", v->by == PFS_BY_NONE ?
				"Time a process's threads waited on refaulting pages (delay accounting); no sample where the kernel keeps none for it." : help);
		for (i = 0; i < v->n; i++) {
			if (!pfs_row_known(t->have, v->rows[i], PFS_THRASH_NS))
				continue;
			pfs_prom_sample(f, name, v, v->rows[i], NULL);
			fprintf(f, "%.9f\n", (double)v->rows[i]->v[PFS_THRASH_NS] / 1e9);
		}
	}
	pfs_prom_alive(f, v);
	if (v->by == PFS_BY_CGROUP)
		pfs_prom_psi(f, v);
	fflush(f);
}
