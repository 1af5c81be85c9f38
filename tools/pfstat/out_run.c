// SPDX-License-Identifier: GPL-2.0
/*
 * The report of pfstat run: the command's faults as the module and the
 * kernel counted them, alone and with its descendants, and its rusage;
 * as text (like perf stat and time -v), JSON, CSV (the command's row and
 * the sum with its children) and Prometheus (the command's row).
 */
#include <string.h>

#include "out.h"

/* comm of the CSV row that sums the command and its children */
static const char pfs_children_comm[] = "+children";
_Static_assert(sizeof(pfs_children_comm) <= PFS_COMM_MAX + 1,
	       "pfs_children_comm must fit in struct pfs_row's comm");

/* A figure of the text report: a label and the column it shows. */
struct pfs_run_figure {
	const char *label;
	enum pfs_col col;
};

/* Major faults by the memory they hit (debugfs procs only). */
static const struct pfs_run_figure pfs_run_causes[] = {
	{ "  anon (swap-in)", PFS_ANON_MAJOR },
	{ "  file (read)", PFS_FILE_MAJOR },
	{ "  shmem", PFS_SHMEM_MAJOR },
};

/*
 * The other outcomes, each where the table has its column: the contract
 * columns always, hwpoison and remote where the module publishes them.
 */
static const struct pfs_run_figure pfs_run_outcomes[] = {
	{ "retries", PFS_RETRY },
	{ "invalid: SEGV_MAPERR", PFS_SEGV_MAPERR },
	{ "invalid: SEGV_ACCERR", PFS_SEGV_ACCERR },
	{ "invalid: SEGV_PKUERR", PFS_SEGV_PKUERR },
	{ "SIGBUS", PFS_SIGBUS },
	{ "OOM", PFS_OOM },
	{ "EFAULT (bad user buffer)", PFS_EFAULT },
	{ "hwpoison", PFS_HWPOISON },
	{ "remote (by gup)", PFS_REMOTE },
};

/* Refaults, in pages, where the module publishes them (issue 11). */
static const struct pfs_run_figure pfs_run_refaults[] = {
	{ "refaulted pages: anon", PFS_REFAULT_ANON },
	{ "refaulted pages: file", PFS_REFAULT_FILE },
	{ "  working set (thrash)", PFS_REFAULT_ACTIVE },
	{ "  restored (were active)", PFS_REFAULT_RESTORE },
};

/* The kernel's counts of the command with the children it reaped. */
static uint64_t pfs_run_kmin(const struct pfs_run_report *r)
{
	return r->ps.minflt + r->ps.cminflt;
}

static uint64_t pfs_run_kmaj(const struct pfs_run_report *r)
{
	return r->ps.majflt + r->ps.cmajflt;
}

/* Processes in the sum: the command and its exited descendants. */
static size_t pfs_run_nsummed(const struct pfs_run_report *r)
{
	return 1 + r->nkids - r->nalive;
}

static void pfs_cmdline(FILE *f, char *const *argv)
{
	int i;

	for (i = 0; argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", argv[i]);
}

static void pfs_run_title(FILE *f, const struct pfs_run_report *r)
{
	fputs("\n Page faults of '", f);
	pfs_cmdline(f, r->argv);
	fprintf(f, "' (pid %d", r->pid);
	if (r->ps.ok)
		fprintf(f, ", start_time %llu",
			(unsigned long long)r->ps.start_time);
	if (r->exit.exited)
		fprintf(f, "): exit status %d\n\n", r->exit.code);
	else
		fprintf(f, "): killed by signal %d (%s)%s\n\n", r->exit.code,
			strsignal(r->exit.code),
			r->exit.core_dumped ? ", core dumped" : "");
}

/* The module has no row for the command: why that may be, and the
 * kernel's counts alone. */
static void pfs_run_no_row(FILE *f, const struct pfs_run_report *r)
{
	fprintf(f, "  no row in %s for pid %d start_time %llu: counting paused, a filter set, or the table full (dropped)?\n",
		r->source, r->pid, (unsigned long long)r->ps.start_time);
	if (r->ps.ok)
		fprintf(f, "  kernel: minflt %llu, majflt %llu (self); %llu, %llu with reaped children\n",
			(unsigned long long)r->ps.minflt,
			(unsigned long long)r->ps.majflt,
			(unsigned long long)pfs_run_kmin(r),
			(unsigned long long)pfs_run_kmaj(r));
}

/*
 * One line of the table: column c of the command's row and of the sum,
 * each beside the kernel's count if there is one (kself, kall), without
 * trailing blanks.
 */
static void pfs_run_line(FILE *f, const char *label,
			 const struct pfs_run_report *r, enum pfs_col c,
			 const uint64_t *kself, const uint64_t *kall)
{
	char ks[32] = "", ka[32] = "", line[160];
	size_t n;

	if (kself)
		snprintf(ks, sizeof(ks), "%llu", (unsigned long long)*kself);
	if (kall)
		snprintf(ka, sizeof(ka), "%llu", (unsigned long long)*kall);
	snprintf(line, sizeof(line), "  %-26s %12llu %12s %12llu %12s", label,
		 (unsigned long long)r->self->v[c], ks,
		 (unsigned long long)r->sum.v[c], ka);
	n = strlen(line);
	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(f, "%s\n", line);
}

static void pfs_run_figures(FILE *f, const struct pfs_run_report *r,
			    const struct pfs_run_figure *fig, size_t n,
			    bool all)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (all || r->t.have[fig[i].col])
			pfs_run_line(f, fig[i].label, r, fig[i].col, NULL, NULL);
}

/* A row's thrash time in units, or "-" where the kernel keeps none. */
static void pfs_run_thrash(char *buf, size_t sz, const struct pfs_run_report *r,
			   const struct pfs_row *row)
{
	if (pfs_row_known(r->t.have, row, PFS_THRASH_NS))
		pfs_fmt_ns(buf, sz, row->v[PFS_THRASH_NS], false);
	else
		snprintf(buf, sz, "-");
}

/* Summed descendants (exited) whose thrash time the kernel did not keep. */
static size_t pfs_run_thrash_unknown(const struct pfs_run_report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nkids; i++)
		n += r->kids[i]->state == PFS_EXITED &&
		     !pfs_row_known(r->t.have, r->kids[i], PFS_THRASH_NS);
	return n;
}

/* The command's row and the sum, module beside kernel where both count. */
static void pfs_run_table(FILE *f, const struct pfs_run_report *r)
{
	const struct pfs_procstat *ps = &r->ps;
	uint64_t kmin = pfs_run_kmin(r), kmaj = pfs_run_kmaj(r);
	char a[32], b[32];

	fprintf(f, "  %-26s %25s %25s\n", "", "self", "with children");
	fprintf(f, "  %-26s %12s %12s %12s %12s\n", "", "module", "kernel",
		"module", "kernel");
	pfs_run_line(f, "minor faults", r, PFS_MINOR,
		     ps->ok ? &ps->minflt : NULL, &kmin);
	pfs_run_line(f, "major faults", r, PFS_MAJOR,
		     ps->ok ? &ps->majflt : NULL, &kmaj);
	if (r->causes)
		pfs_run_figures(f, r, pfs_run_causes,
				sizeof(pfs_run_causes) / sizeof(pfs_run_causes[0]),
				true);
	else
		fprintf(f, "  %-26s %s\n", "  by cause",
			"needs root (debugfs procs not readable)");
	pfs_run_figures(f, r, pfs_run_outcomes,
			sizeof(pfs_run_outcomes) / sizeof(pfs_run_outcomes[0]),
			false);
	pfs_run_figures(f, r, pfs_run_refaults,
			sizeof(pfs_run_refaults) / sizeof(pfs_run_refaults[0]),
			false);
	if (r->t.have[PFS_FAULT_NS]) {
		pfs_fmt_ns(a, sizeof(a), r->self->v[PFS_FAULT_NS], false);
		pfs_fmt_ns(b, sizeof(b), r->sum.v[PFS_FAULT_NS], false);
		fprintf(f, "  %-26s %12s %12s %12s\n", "time in faults", a, "", b);
	}
	if (r->t.have[PFS_THRASH_NS]) {
		pfs_run_thrash(a, sizeof(a), r, r->self);
		pfs_run_thrash(b, sizeof(b), r, &r->sum);
		fprintf(f, "  %-26s %12s %12s %12s\n", "time thrashing", a, "", b);
	}
	fprintf(f, "  %-26s %12s %12s %12zu", "processes", "1", "",
		pfs_run_nsummed(r));
	if (r->nalive)
		fprintf(f, "   (+%zu still running, not summed)", r->nalive);
	fputc('\n', f);
}

/* rusage, and the share of the cpu time spent in faults. */
static void pfs_run_rusage(FILE *f, const struct pfs_run_report *r)
{
	const struct rusage *ru = &r->ru;
	double utime = pfs_timeval_s(&ru->ru_utime);
	double stime = pfs_timeval_s(&ru->ru_stime);
	double cpu = utime + stime;

	fprintf(f, "\n  rusage: %.3f s user, %.3f s sys, %.3f s elapsed, max rss %ld kB,\n"
		   "          %ld/%ld blocks in/out, %ld/%ld voluntary/involuntary context switches\n",
		utime, stime, r->wall, ru->ru_maxrss, ru->ru_inblock,
		ru->ru_oublock, ru->ru_nvcsw, ru->ru_nivcsw);
	if (r->self && r->t.have[PFS_FAULT_NS] && cpu > 0)
		fprintf(f, "  time in faults is %.1f%% of the cpu time\n",
			(double)r->sum.v[PFS_FAULT_NS] / 1e9 / cpu * 100.0);
}

/* Why a time thrashing is "-", or leaves processes out. */
static void pfs_run_thrash_notes(FILE *f, const struct pfs_run_report *r)
{
	size_t n;

	if (!r->self || !r->t.have[PFS_THRASH_NS])
		return;
	if (!pfs_row_known(r->t.have, r->self, PFS_THRASH_NS)) {
		fputs("  note: time thrashing \"-\": delay accounting was off when the command started; sysctl kernel.task_delayacct=1 turns it on for commands started afterwards\n",
		      f);
		return;
	}
	n = pfs_run_thrash_unknown(r);
	if (n)
		fprintf(f, "  note: time thrashing with children leaves out %zu process%s the kernel kept no thrashing time for\n",
			n, n == 1 ? "" : "es");
}

/* What may make the figures doubtful. */
static void pfs_run_notes(FILE *f, const struct pfs_run_report *r)
{
	const struct pfs_row *s = r->self;
	uint64_t nmissed = 0, dropped = 0;

	if (s && (uint64_t)r->ru.ru_minflt != pfs_run_kmin(r))
		fprintf(f, "  note: rusage minflt %ld differs from /proc stat's %llu\n",
			r->ru.ru_minflt, (unsigned long long)pfs_run_kmin(r));
	pfs_global_u64(&r->t, "nmissed", &nmissed);
	pfs_global_u64(&r->t, "dropped", &dropped);
	if (nmissed || dropped)
		fprintf(f, "  note: module nmissed %llu, dropped %llu: its counts may be low\n",
			(unsigned long long)nmissed, (unsigned long long)dropped);
	if (s && r->ps.ok && (s->v[PFS_MINOR] != r->ps.minflt ||
			      s->v[PFS_MAJOR] != r->ps.majflt))
		fputs("  note: module and kernel differ for the command itself\n", f);
	pfs_run_thrash_notes(f, r);
}

void pfs_run_text(FILE *f, const struct pfs_run_report *r)
{
	pfs_run_title(f, r);
	if (r->self)
		pfs_run_table(f, r);
	else
		pfs_run_no_row(f, r);
	pfs_run_rusage(f, r);
	pfs_run_notes(f, r);
	fputc('\n', f);
}

static struct json_object *pfs_run_json_argv(char *const *argv)
{
	struct json_object *arr = json_object_new_array();
	int i;

	for (i = 0; argv[i]; i++)
		json_object_array_add(arr, json_object_new_string(argv[i]));
	return arr;
}

/* code or signal, the other null, as waitid() tells them apart. */
static struct json_object *pfs_run_json_exit(const struct pfs_run_exit *e)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "code", e->exited ?
			       json_object_new_int(e->code) : NULL);
	json_object_object_add(o, "signal", !e->exited ?
			       json_object_new_int(e->code) : NULL);
	json_object_object_add(o, "core_dumped",
			       json_object_new_boolean(e->core_dumped));
	json_object_object_add(o, "status", json_object_new_int(e->status));
	return o;
}

/* self, descendants, descendants_alive and with_children */
static void pfs_run_json_rows(struct json_object *doc,
			      const struct pfs_run_report *r)
{
	struct json_object *arr = json_object_new_array(), *sum = NULL;
	size_t i;

	json_object_object_add(doc, "self", r->self ?
			       pfs_json_row(&r->t, r->self, true) : NULL);
	for (i = 0; i < r->nkids; i++)
		json_object_array_add(arr, pfs_json_row(&r->t, r->kids[i], true));
	json_object_object_add(doc, "descendants", arr);
	json_object_object_add(doc, "descendants_alive",
			       json_object_new_uint64(r->nalive));
	if (r->self) {
		sum = pfs_json_row(&r->t, &r->sum, false);
		json_object_object_add(sum, "processes",
				       json_object_new_uint64(pfs_run_nsummed(r)));
	}
	json_object_object_add(doc, "with_children", sum);
}

static struct json_object *pfs_kernel_pair(uint64_t minflt, uint64_t majflt)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "minflt", json_object_new_uint64(minflt));
	json_object_object_add(o, "majflt", json_object_new_uint64(majflt));
	return o;
}

/* The kernel's counts, an empty object if /proc/<pid>/stat was not read. */
static struct json_object *pfs_run_json_kernel(const struct pfs_procstat *ps)
{
	struct json_object *o = json_object_new_object();

	if (ps->ok) {
		json_object_object_add(o, "self",
				       pfs_kernel_pair(ps->minflt, ps->majflt));
		json_object_object_add(o, "reaped_children",
				       pfs_kernel_pair(ps->cminflt, ps->cmajflt));
	}
	return o;
}

static struct json_object *pfs_run_json_rusage(const struct rusage *ru)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "minflt", json_object_new_int64(ru->ru_minflt));
	json_object_object_add(o, "majflt", json_object_new_int64(ru->ru_majflt));
	json_object_object_add(o, "utime_s", json_object_new_double(
		pfs_timeval_s(&ru->ru_utime)));
	json_object_object_add(o, "stime_s", json_object_new_double(
		pfs_timeval_s(&ru->ru_stime)));
	json_object_object_add(o, "maxrss_kb", json_object_new_int64(ru->ru_maxrss));
	json_object_object_add(o, "inblock", json_object_new_int64(ru->ru_inblock));
	json_object_object_add(o, "oublock", json_object_new_int64(ru->ru_oublock));
	json_object_object_add(o, "nvcsw", json_object_new_int64(ru->ru_nvcsw));
	json_object_object_add(o, "nivcsw", json_object_new_int64(ru->ru_nivcsw));
	return o;
}

struct json_object *pfs_run_json(const struct pfs_run_report *r)
{
	struct json_object *doc = json_object_new_object();

	json_object_object_add(doc, "command", pfs_run_json_argv(r->argv));
	json_object_object_add(doc, "pid", json_object_new_int(r->pid));
	json_object_object_add(doc, "start_time", r->ps.ok ?
			       json_object_new_uint64(r->ps.start_time) : NULL);
	json_object_object_add(doc, "exit", pfs_run_json_exit(&r->exit));
	json_object_object_add(doc, "wall_s", json_object_new_double(r->wall));
	json_object_object_add(doc, "source", json_object_new_string(r->source));
	json_object_object_add(doc, "causes", json_object_new_boolean(r->causes));
	json_object_object_add(doc, "format_version",
			       json_object_new_int((int)r->t.version));
	pfs_run_json_rows(doc, r);
	json_object_object_add(doc, "kernel", pfs_run_json_kernel(&r->ps));
	json_object_object_add(doc, "rusage", pfs_run_json_rusage(&r->ru));
	json_object_object_add(doc, "module", pfs_json_globals(&r->t));
	return doc;
}

/* A view of the report's table with just the rows given. */
static void pfs_run_view(struct pfs_view *v, const struct pfs_run_report *r,
			 const struct pfs_row **rows, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->t = &r->t;
	v->rows = rows;
	v->n = n;
}

/* Two rows: the command, and the command with its children. */
void pfs_run_csv(FILE *f, const struct pfs_run_report *r)
{
	struct pfs_row sum = r->sum;
	const struct pfs_row *rows[2] = { r->self, &sum };
	struct pfs_view v;

	if (!r->self)
		return;
	sum.pid = r->self->pid;
	sum.state = PFS_EXITED;
	memcpy(sum.comm, pfs_children_comm, sizeof(pfs_children_comm));
	sum.comm_len = sizeof(pfs_children_comm) - 1;
	pfs_run_view(&v, r, rows, 2);
	pfs_csv_view(f, &v, true);
}

/* The command's row, as pfstat -o prometheus writes rows. */
void pfs_run_prom(FILE *f, const struct pfs_run_report *r)
{
	const struct pfs_row *rows[1] = { r->self };
	struct pfs_view v;

	pfs_run_view(&v, r, rows, r->self ? 1 : 0);
	pfs_prom_view(f, &v);
}
