// SPDX-License-Identifier: GPL-2.0
/*
 * The where report: mappings by their faults (majors first), then the
 * invalid accesses with the instruction that made each; as text, JSON
 * (the whole report) and CSV (the mappings, one row each).
 */
#include <string.h>

#include "out.h"

/* A row's name: its path or region, or "dev MAJ:MIN ino N" for a file no
 * maps snapshot showed. */
size_t pfs_where_name(const struct pfs_where_row *r, char *buf, size_t sz)
{
	int n;

	if (r->name)
		n = snprintf(buf, sz, "%s", r->name);
	else if (r->kind == PFS_W_FILE)
		n = snprintf(buf, sz, "dev %u:%u ino %llu", PFS_DEV_MAJOR(r->dev),
			     PFS_DEV_MINOR(r->dev), (unsigned long long)r->ino);
	else if (r->kind == PFS_W_ANON)
		n = snprintf(buf, sz, "[anon 0x%llx-0x%llx]",
			     (unsigned long long)r->start,
			     (unsigned long long)r->end);
	else
		n = snprintf(buf, sz, "[unmapped]");
	return n < 0 ? 0 : (size_t)n;
}

/* The pages a row's faults hit: pgoff for files, addresses otherwise. */
static void pfs_where_range(const struct pfs_where_row *r, char *buf,
			    size_t sz)
{
	if (!r->any)
		snprintf(buf, sz, "-");
	else if (r->kind == PFS_W_FILE)
		snprintf(buf, sz, "pgoff %llu..%llu", (unsigned long long)r->lo,
			 (unsigned long long)r->hi);
	else
		snprintf(buf, sz, "0x%llx..0x%llx",
			 (unsigned long long)(r->lo << 12),
			 (unsigned long long)(r->hi << 12));
}

static void pfs_where_run_text(FILE *f, const struct pfs_where_run *run)
{
	int i;

	fputs(" command:", f);
	for (i = 0; run->argv[i]; i++)
		fprintf(f, " %s", run->argv[i]);
	if (run->exited)
		fprintf(f, "; exit status %d", run->code);
	else
		fprintf(f, "; killed by signal %d", run->code);
	fprintf(f, "; rusage minflt %ld majflt %ld\n", run->ru.ru_minflt,
		run->ru.ru_majflt);
	fprintf(f, " before tracing began (fork to exec): minflt %llu majflt %llu\n",
		(unsigned long long)run->pre_minflt,
		(unsigned long long)run->pre_majflt);
}

static void pfs_where_instr(const struct pfs_where_invalid *v, char *buf,
			    size_t sz)
{
	if (!v->user || PFS_KERNEL_ADDR(v->ip))
		snprintf(buf, sz, "[kernel]");
	else if (v->ip_file)
		snprintf(buf, sz, "%s+0x%llx", v->ip_file,
			 (unsigned long long)v->ip_offset);
	else
		snprintf(buf, sz, "0x%llx", (unsigned long long)v->ip);
}

static void pfs_where_invalid_text(FILE *f, const struct pfs_where *w)
{
	char instr[4200];
	size_t i;

	if (!w->ninv)
		return;
	fprintf(f, "\n Invalid accesses: %llu", (unsigned long long)(w->ninv + w->inv_more));
	if (w->inv_more)
		fprintf(f, " (the first %zu listed)", w->ninv);
	fprintf(f, "\n\n %8s %18s  %-12s %s\n", "tid", "address", "kind",
		"instruction");
	for (i = 0; i < w->ninv; i++) {
		const struct pfs_where_invalid *v = &w->inv[i];

		pfs_where_instr(v, instr, sizeof(instr));
		fprintf(f, " %8d %#18llx  %-12s %s\n", v->pid,
			(unsigned long long)v->address, pfs_ikind_names[v->kind],
			instr);
	}
	if (w->inv_more)
		fprintf(f, " ... and %llu more\n", (unsigned long long)w->inv_more);
}

void pfs_where_text(FILE *f, const struct pfs_where *w)
{
	char name[4200], range[64];
	size_t i;

	fprintf(f, "\n Page faults of pid %d by mapping: %.2f s traced, %llu events, %llu lost\n",
		w->pid, w->duration, (unsigned long long)w->events,
		(unsigned long long)w->lost);
	if (w->run)
		pfs_where_run_text(f, w->run);
	fprintf(f, "\n %8s %8s %6s %6s %7s %8s  %-30s %s\n", "major", "minor",
		"retry", "errors", "invalid", "pages", "range", "mapping");
	for (i = 0; i < w->nrows; i++) {
		const struct pfs_where_row *r = &w->rows[i];

		pfs_where_name(r, name, sizeof(name));
		pfs_where_range(r, range, sizeof(range));
		fprintf(f, " %8llu %8llu %6llu %6llu %7llu %8llu  %-30s %s\n",
			(unsigned long long)r->major, (unsigned long long)r->minor,
			(unsigned long long)r->retry, (unsigned long long)r->errors,
			(unsigned long long)r->invalid, (unsigned long long)r->pages,
			range, name);
	}
	pfs_where_invalid_text(f, w);
	if (w->lost)
		fprintf(f, "\n warning: %llu events lost to ring buffer overruns: the counts above are short (try a larger --buffer-kb)\n",
			(unsigned long long)w->lost);
}

static const char *const pfs_where_kind_names[] = {
	[PFS_W_FILE] = "file",
	[PFS_W_NAMED] = "named",
	[PFS_W_ANON] = "anon",
	[PFS_W_UNMAPPED] = "unmapped",
};

static struct json_object *pfs_where_row_json(const struct pfs_where_row *r)
{
	struct json_object *o = json_object_new_object();
	char name[4200];

	pfs_where_name(r, name, sizeof(name));
	pfs_json_add(o, "mapping", json_object_new_string(name));
	pfs_json_add(o, "kind", json_object_new_string(pfs_where_kind_names[r->kind]));
	pfs_json_add(o, "cause", json_object_new_string(pfs_cause_names[r->cause]));
	if (r->kind == PFS_W_FILE) {
		snprintf(name, sizeof(name), "%u:%u", PFS_DEV_MAJOR(r->dev),
			 PFS_DEV_MINOR(r->dev));
		pfs_json_add(o, "dev", json_object_new_string(name));
		pfs_json_add(o, "ino", json_object_new_uint64(r->ino));
		pfs_json_add(o, "resolved", json_object_new_boolean(r->name != NULL));
		if (r->any) {
			pfs_json_add(o, "pgoff_first", json_object_new_uint64(r->lo));
			pfs_json_add(o, "pgoff_last", json_object_new_uint64(r->hi));
		}
	} else if (r->any) {
		pfs_json_add_hex(o, "page_first", r->lo << 12);
		pfs_json_add_hex(o, "page_last", r->hi << 12);
	}
	if (r->end) {
		pfs_json_add_hex(o, "start", r->start);
		pfs_json_add_hex(o, "end", r->end);
	}
	pfs_json_add(o, "pages", json_object_new_uint64(r->pages));
	pfs_json_add(o, "major", json_object_new_uint64(r->major));
	pfs_json_add(o, "minor", json_object_new_uint64(r->minor));
	pfs_json_add(o, "retry", json_object_new_uint64(r->retry));
	pfs_json_add(o, "errors", json_object_new_uint64(r->errors));
	pfs_json_add(o, "invalid", json_object_new_uint64(r->invalid));
	pfs_json_add(o, "total", json_object_new_uint64(pfs_where_total(r)));
	return o;
}

static struct json_object *pfs_where_inv_json(const struct pfs_where_invalid *v)
{
	struct json_object *o = json_object_new_object();
	char instr[4200];

	pfs_where_instr(v, instr, sizeof(instr));
	pfs_json_add(o, "tgid", json_object_new_int(v->tgid));
	pfs_json_add(o, "pid", json_object_new_int(v->pid));
	pfs_json_add_hex(o, "address", v->address);
	pfs_json_add(o, "kind", json_object_new_string(pfs_ikind_names[v->kind]));
	pfs_json_add_hex(o, "ip", v->ip);
	pfs_json_add(o, "instruction", json_object_new_string(instr));
	if (v->ip_file) {
		pfs_json_add(o, "ip_file", json_object_new_string(v->ip_file));
		pfs_json_add_hex(o, "ip_offset", v->ip_offset);
	}
	pfs_json_add(o, "user", json_object_new_boolean(v->user));
	pfs_json_add(o, "error_code", json_object_new_uint64(v->error_code));
	return o;
}

static struct json_object *pfs_where_run_json(const struct pfs_where_run *run)
{
	struct json_object *o = json_object_new_object(), *a, *ex, *ru;
	int i;

	a = json_object_new_array();
	for (i = 0; run->argv[i]; i++)
		json_object_array_add(a, json_object_new_string(run->argv[i]));
	pfs_json_add(o, "command", a);
	pfs_json_add(o, "start_time", json_object_new_uint64(run->start_time));
	ex = json_object_new_object();
	pfs_json_add(ex, "exited", json_object_new_boolean(run->exited));
	pfs_json_add(ex, run->exited ? "code" : "signal", json_object_new_int(run->code));
	pfs_json_add(o, "exit", ex);
	ru = json_object_new_object();
	pfs_json_add(ru, "minflt", json_object_new_int64(run->ru.ru_minflt));
	pfs_json_add(ru, "majflt", json_object_new_int64(run->ru.ru_majflt));
	pfs_json_add(o, "rusage", ru);
	ru = json_object_new_object();
	pfs_json_add(ru, "minflt", json_object_new_uint64(run->pre_minflt));
	pfs_json_add(ru, "majflt", json_object_new_uint64(run->pre_majflt));
	pfs_json_add(o, "before_trace", ru);
	return o;
}

static struct json_object *pfs_where_counts_json(const struct pfs_where *w)
{
	struct json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < PFS_NRESULTS; i++)
		pfs_json_add(o, pfs_result_names[i], json_object_new_uint64(w->by_result[i]));
	for (i = 0; i < PFS_NKINDS; i++)
		pfs_json_add(o, pfs_ikind_names[i], json_object_new_uint64(w->by_kind[i]));
	return o;
}

struct json_object *pfs_where_json(const struct pfs_where *w)
{
	struct json_object *o = json_object_new_object(), *a;
	size_t i;

	if (!o)
		return NULL;
	pfs_json_add(o, "pid", json_object_new_int(w->pid));
	pfs_json_add(o, "duration_s", json_object_new_double(w->duration));
	pfs_json_add(o, "events", json_object_new_uint64(w->events));
	pfs_json_add(o, "lost", json_object_new_uint64(w->lost));
	pfs_json_add(o, "counts", pfs_where_counts_json(w));
	if (w->run)
		pfs_json_add(o, "run", pfs_where_run_json(w->run));
	a = json_object_new_array();
	for (i = 0; i < w->nrows; i++)
		json_object_array_add(a, pfs_where_row_json(&w->rows[i]));
	pfs_json_add(o, "mappings", a);
	a = json_object_new_array();
	for (i = 0; i < w->ninv; i++)
		json_object_array_add(a, pfs_where_inv_json(&w->inv[i]));
	pfs_json_add(o, "invalid", a);
	pfs_json_add(o, "invalid_not_listed", json_object_new_uint64(w->inv_more));
	return o;
}

void pfs_where_csv(FILE *f, const struct pfs_where *w)
{
	char name[4200];
	size_t i;

	fputs("mapping,kind,cause,dev,ino,first,last,pages,major,minor,retry,errors,invalid,total\r\n", f);
	for (i = 0; i < w->nrows; i++) {
		const struct pfs_where_row *r = &w->rows[i];
		size_t n = pfs_where_name(r, name, sizeof(name));

		pfs_csv_field(f, name, n < sizeof(name) ? n : sizeof(name) - 1);
		fprintf(f, ",%s,%s,", pfs_where_kind_names[r->kind],
			pfs_cause_names[r->cause]);
		if (r->kind == PFS_W_FILE)
			fprintf(f, "%u:%u,%llu", PFS_DEV_MAJOR(r->dev),
				PFS_DEV_MINOR(r->dev), (unsigned long long)r->ino);
		else
			fputc(',', f);
		if (!r->any)
			fputs(",,", f);
		else if (r->kind == PFS_W_FILE)
			fprintf(f, ",%llu,%llu", (unsigned long long)r->lo,
				(unsigned long long)r->hi);
		else
			fprintf(f, ",0x%llx,0x%llx", (unsigned long long)(r->lo << 12),
				(unsigned long long)(r->hi << 12));
		fprintf(f, ",%llu,%llu,%llu,%llu,%llu,%llu,%llu\r\n",
			(unsigned long long)r->pages, (unsigned long long)r->major,
			(unsigned long long)r->minor, (unsigned long long)r->retry,
			(unsigned long long)r->errors, (unsigned long long)r->invalid,
			(unsigned long long)pfs_where_total(r));
	}
}
