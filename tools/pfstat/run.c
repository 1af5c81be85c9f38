// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat run [--] CMD [ARGS...]: run a command and report its faults, as
 * perf stat and time -v do for their figures.
 *
 * The order matters. waitid(WEXITED | WNOWAIT) returns once the command
 * exited but leaves it a zombie, so its pid cannot be reused and
 * /proc/<pid>/stat still gives its start time (field 22), which with the
 * pid names its row in the module's table, and the kernel's own fault
 * counts for it (fields 10-13). Only then is it reaped with wait4(), whose
 * rusage covers it and the children it reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"

struct pfs_procstat {
	bool ok;
	uint64_t minflt, cminflt, majflt, cmajflt, start_time;
};

/* Fields 10-13 and 22 of /proc/<pid>/stat; comm (field 2) may hold
 * spaces and parentheses, so counting starts after its last ')'. */
static void pfs_read_procstat(pid_t pid, struct pfs_procstat *ps)
{
	char path[64], *buf, *p, *tok, *save = NULL;
	size_t len;
	int field = 3;

	memset(ps, 0, sizeof(*ps));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pfs_read_file(path, &buf, &len))
		return;
	buf[len ? len - 1 : 0] = '\0';
	p = strrchr(buf, ')');
	if (!p) {
		free(buf);
		return;
	}
	for (tok = strtok_r(p + 1, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), field++) {
		uint64_t v;

		if (field < 10)
			continue;
		if (pfs_parse_u64(tok, strlen(tok), &v))
			v = 0;
		switch (field) {
		case 10: ps->minflt = v; break;
		case 11: ps->cminflt = v; break;
		case 12: ps->majflt = v; break;
		case 13: ps->cmajflt = v; break;
		case 22: ps->start_time = v; ps->ok = true; break;
		}
		if (field == 22)
			break;
	}
	free(buf);
}

struct pfs_runres {
	char **argv;
	pid_t pid;
	siginfo_t si;
	int status;		/* pfstat's exit status */
	struct rusage ru;
	double wall;
	struct pfs_procstat ps;
	struct pfs_table t;
	const char *source;
	bool causes;
	const struct pfs_row *self;
	const struct pfs_row **kids;
	size_t nkids, nalive;
	struct pfs_row sum;	/* self + exited descendants */
};

static bool pfs_is_descendant(const struct pfs_runres *rr, const bool *in,
			      const struct pfs_row *r)
{
	size_t i;

	for (i = 0; i < rr->t.nrows; i++) {
		const struct pfs_row *p = &rr->t.rows[i];

		if (in[i] && (uint64_t)p->pid == r->v[PFS_PPID] &&
		    r->v[PFS_START_TIME] >= p->v[PFS_START_TIME])
			return true;
	}
	return false;
}

/*
 * Find the command's row, then its descendants: rows whose ppid is an
 * included row's pid and that started no earlier than it (so an older
 * process that once had the same parent pid is not taken), to a fixed
 * point.
 */
static int pfs_find_tree(struct pfs_runres *rr)
{
	const struct pfs_table *t = &rr->t;
	const struct pfs_row **all;
	bool *in, grew = true;
	size_t i, n = 0;

	for (i = 0; i < t->nrows; i++) {
		const struct pfs_row *r = &t->rows[i];

		if (r->pid == rr->pid &&
		    (!t->have[PFS_START_TIME] ||
		     r->v[PFS_START_TIME] == rr->ps.start_time))
			rr->self = r;
	}
	if (!rr->self)
		return 0;
	in = calloc(t->nrows, sizeof(*in));
	all = calloc(t->nrows, sizeof(*all));
	rr->kids = calloc(t->nrows, sizeof(*rr->kids));
	if (!in || !all || !rr->kids) {
		free(in);
		free(all);
		return -1;
	}
	in[rr->self - t->rows] = true;
	while (grew && t->have[PFS_PPID] && t->have[PFS_START_TIME]) {
		grew = false;
		for (i = 0; i < t->nrows; i++) {
			if (in[i] || !pfs_is_descendant(rr, in, &t->rows[i]))
				continue;
			in[i] = true;
			grew = true;
			rr->kids[rr->nkids++] = &t->rows[i];
		}
	}
	all[n++] = rr->self;
	for (i = 0; i < rr->nkids; i++) {
		if (rr->kids[i]->state == PFS_EXITED)
			all[n++] = rr->kids[i];
		else
			rr->nalive++;
	}
	pfs_sum_rows(all, n, &rr->sum);
	free(all);
	free(in);
	return 0;
}

static void pfs_cmdline(FILE *f, char **argv)
{
	int i;

	for (i = 0; argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", argv[i]);
}

static void pfs_run_line(FILE *f, const char *label, const struct pfs_runres *rr,
			 enum pfs_col c, const uint64_t *kself,
			 const uint64_t *kall)
{
	char ks[32] = "", ka[32] = "";

	if (kself)
		snprintf(ks, sizeof(ks), "%llu", (unsigned long long)*kself);
	if (kall)
		snprintf(ka, sizeof(ka), "%llu", (unsigned long long)*kall);
	char line[160];
	size_t n;

	snprintf(line, sizeof(line), "  %-26s %12llu %12s %12llu %12s", label,
		 (unsigned long long)rr->self->v[c], ks,
		 (unsigned long long)rr->sum.v[c], ka);
	n = strlen(line);
	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(f, "%s\n", line);
}

static void pfs_run_text(FILE *f, const struct pfs_runres *rr)
{
	const struct pfs_table *t = &rr->t;
	const struct pfs_row *s = rr->self;
	uint64_t kmin = rr->ps.minflt + rr->ps.cminflt;
	uint64_t kmaj = rr->ps.majflt + rr->ps.cmajflt;
	double utime = pfs_timeval_s(&rr->ru.ru_utime);
	double stime = pfs_timeval_s(&rr->ru.ru_stime);
	double cpu = utime + stime;
	uint64_t nmissed = 0, dropped = 0;
	char a[32], b[32];

	fputs("\n Page faults of '", f);
	pfs_cmdline(f, rr->argv);
	fprintf(f, "' (pid %d", (int)rr->pid);
	if (rr->ps.ok)
		fprintf(f, ", start_time %llu", (unsigned long long)rr->ps.start_time);
	if (rr->si.si_code == CLD_EXITED)
		fprintf(f, "): exit status %d\n\n", rr->si.si_status);
	else
		fprintf(f, "): killed by signal %d (%s)%s\n\n", rr->si.si_status,
			strsignal(rr->si.si_status),
			rr->si.si_code == CLD_DUMPED ? ", core dumped" : "");
	if (!s) {
		fprintf(f, "  no row in %s for pid %d start_time %llu: counting paused, a filter set, or the table full (dropped)?\n",
			rr->source, (int)rr->pid,
			(unsigned long long)rr->ps.start_time);
		if (rr->ps.ok)
			fprintf(f, "  kernel: minflt %llu, majflt %llu (self); %llu, %llu with reaped children\n",
				(unsigned long long)rr->ps.minflt,
				(unsigned long long)rr->ps.majflt,
				(unsigned long long)kmin, (unsigned long long)kmaj);
	} else {
		fprintf(f, "  %-26s %25s %25s\n", "", "self",
			"with children");
		fprintf(f, "  %-26s %12s %12s %12s %12s\n", "", "module", "kernel",
			"module", "kernel");
		pfs_run_line(f, "minor faults", rr, PFS_MINOR,
			     rr->ps.ok ? &rr->ps.minflt : NULL, &kmin);
		pfs_run_line(f, "major faults", rr, PFS_MAJOR,
			     rr->ps.ok ? &rr->ps.majflt : NULL, &kmaj);
		if (rr->causes) {
			pfs_run_line(f, "  anon (swap-in)", rr, PFS_ANON_MAJOR, NULL, NULL);
			pfs_run_line(f, "  file (read)", rr, PFS_FILE_MAJOR, NULL, NULL);
			pfs_run_line(f, "  shmem", rr, PFS_SHMEM_MAJOR, NULL, NULL);
		} else {
			fprintf(f, "  %-26s %s\n", "  by cause",
				"needs root (debugfs procs not readable)");
		}
		pfs_run_line(f, "retries", rr, PFS_RETRY, NULL, NULL);
		pfs_run_line(f, "invalid: SEGV_MAPERR", rr, PFS_SEGV_MAPERR, NULL, NULL);
		pfs_run_line(f, "invalid: SEGV_ACCERR", rr, PFS_SEGV_ACCERR, NULL, NULL);
		pfs_run_line(f, "invalid: SEGV_PKUERR", rr, PFS_SEGV_PKUERR, NULL, NULL);
		pfs_run_line(f, "SIGBUS", rr, PFS_SIGBUS, NULL, NULL);
		pfs_run_line(f, "OOM", rr, PFS_OOM, NULL, NULL);
		pfs_run_line(f, "EFAULT (bad user buffer)", rr, PFS_EFAULT, NULL, NULL);
		if (t->have[PFS_HWPOISON])
			pfs_run_line(f, "hwpoison", rr, PFS_HWPOISON, NULL, NULL);
		if (t->have[PFS_REMOTE])
			pfs_run_line(f, "remote (by gup)", rr, PFS_REMOTE, NULL, NULL);
		if (t->have[PFS_FAULT_NS]) {
			pfs_fmt_ns(a, sizeof(a), s->v[PFS_FAULT_NS], false);
			pfs_fmt_ns(b, sizeof(b), rr->sum.v[PFS_FAULT_NS], false);
			fprintf(f, "  %-26s %12s %12s %12s\n", "time in faults", a, "", b);
		}
		fprintf(f, "  %-26s %12s %12s %12zu", "processes", "1", "",
			1 + rr->nkids - rr->nalive);
		if (rr->nalive)
			fprintf(f, "   (+%zu still running, not summed)", rr->nalive);
		fputc('\n', f);
	}
	fprintf(f, "\n  rusage: %.3f s user, %.3f s sys, %.3f s elapsed, max rss %ld kB,\n"
		   "          %ld/%ld blocks in/out, %ld/%ld voluntary/involuntary context switches\n",
		utime, stime, rr->wall, rr->ru.ru_maxrss, rr->ru.ru_inblock,
		rr->ru.ru_oublock, rr->ru.ru_nvcsw, rr->ru.ru_nivcsw);
	if (s && t->have[PFS_FAULT_NS] && cpu > 0)
		fprintf(f, "  time in faults is %.1f%% of the cpu time\n",
			(double)rr->sum.v[PFS_FAULT_NS] / 1e9 / cpu * 100.0);
	if (s && (uint64_t)rr->ru.ru_minflt != kmin)
		fprintf(f, "  note: rusage minflt %ld differs from /proc stat's %llu\n",
			rr->ru.ru_minflt, (unsigned long long)kmin);
	pfs_global_u64(t, "nmissed", &nmissed);
	pfs_global_u64(t, "dropped", &dropped);
	if (nmissed || dropped)
		fprintf(f, "  note: module nmissed %llu, dropped %llu: its counts may be low\n",
			(unsigned long long)nmissed, (unsigned long long)dropped);
	if (s && rr->ps.ok && (s->v[PFS_MINOR] != rr->ps.minflt ||
			       s->v[PFS_MAJOR] != rr->ps.majflt))
		fputs("  note: module and kernel differ for the command itself\n", f);
	fputc('\n', f);
}

static struct json_object *pfs_kernel_pair(uint64_t minflt, uint64_t majflt)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "minflt", json_object_new_uint64(minflt));
	json_object_object_add(o, "majflt", json_object_new_uint64(majflt));
	return o;
}

static struct json_object *pfs_run_json(const struct pfs_runres *rr)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *o, *arr;
	size_t i;
	int k;

	arr = json_object_new_array();
	for (k = 0; rr->argv[k]; k++)
		json_object_array_add(arr, json_object_new_string(rr->argv[k]));
	json_object_object_add(doc, "command", arr);
	json_object_object_add(doc, "pid", json_object_new_int((int)rr->pid));
	json_object_object_add(doc, "start_time",
			       rr->ps.ok ? json_object_new_uint64(rr->ps.start_time) : NULL);
	o = json_object_new_object();
	json_object_object_add(o, "code", rr->si.si_code == CLD_EXITED ?
			       json_object_new_int(rr->si.si_status) : NULL);
	json_object_object_add(o, "signal", rr->si.si_code != CLD_EXITED ?
			       json_object_new_int(rr->si.si_status) : NULL);
	json_object_object_add(o, "core_dumped",
			       json_object_new_boolean(rr->si.si_code == CLD_DUMPED));
	json_object_object_add(o, "status", json_object_new_int(rr->status));
	json_object_object_add(doc, "exit", o);
	json_object_object_add(doc, "wall_s", json_object_new_double(rr->wall));
	json_object_object_add(doc, "source", json_object_new_string(rr->source));
	json_object_object_add(doc, "causes", json_object_new_boolean(rr->causes));
	json_object_object_add(doc, "format_version",
			       json_object_new_int((int)rr->t.version));
	json_object_object_add(doc, "self", rr->self ?
			       pfs_json_row(&rr->t, rr->self, true) : NULL);
	arr = json_object_new_array();
	for (i = 0; i < rr->nkids; i++)
		json_object_array_add(arr, pfs_json_row(&rr->t, rr->kids[i], true));
	json_object_object_add(doc, "descendants", arr);
	json_object_object_add(doc, "descendants_alive",
			       json_object_new_uint64(rr->nalive));
	if (rr->self) {
		o = pfs_json_row(&rr->t, &rr->sum, false);
		json_object_object_add(o, "processes",
				       json_object_new_uint64(1 + rr->nkids - rr->nalive));
		json_object_object_add(doc, "with_children", o);
	} else {
		json_object_object_add(doc, "with_children", NULL);
	}
	o = json_object_new_object();
	if (rr->ps.ok) {
		json_object_object_add(o, "self", pfs_kernel_pair(rr->ps.minflt,
								  rr->ps.majflt));
		json_object_object_add(o, "reaped_children",
				       pfs_kernel_pair(rr->ps.cminflt, rr->ps.cmajflt));
	}
	json_object_object_add(doc, "kernel", o);
	o = json_object_new_object();
	json_object_object_add(o, "minflt", json_object_new_int64(rr->ru.ru_minflt));
	json_object_object_add(o, "majflt", json_object_new_int64(rr->ru.ru_majflt));
	json_object_object_add(o, "utime_s", json_object_new_double(
		pfs_timeval_s(&rr->ru.ru_utime)));
	json_object_object_add(o, "stime_s", json_object_new_double(
		pfs_timeval_s(&rr->ru.ru_stime)));
	json_object_object_add(o, "maxrss_kb", json_object_new_int64(rr->ru.ru_maxrss));
	json_object_object_add(o, "inblock", json_object_new_int64(rr->ru.ru_inblock));
	json_object_object_add(o, "oublock", json_object_new_int64(rr->ru.ru_oublock));
	json_object_object_add(o, "nvcsw", json_object_new_int64(rr->ru.ru_nvcsw));
	json_object_object_add(o, "nivcsw", json_object_new_int64(rr->ru.ru_nivcsw));
	json_object_object_add(doc, "rusage", o);
	o = json_object_new_object();
	for (i = 0; i < rr->t.nglobals; i++) {
		const struct pfs_global *g = &rr->t.globals[i];

		json_object_object_add(o, g->key, g->numeric ?
				       json_object_new_uint64(g->num) :
				       json_object_new_string(g->val));
	}
	json_object_object_add(doc, "module", o);
	return doc;
}

static void pfs_run_csv(FILE *f, const struct pfs_runres *rr)
{
	struct pfs_view v;
	const struct pfs_row *rows[2] = { rr->self, &rr->sum };
	struct pfs_row sum = rr->sum;

	if (!rr->self)
		return;
	/* Two rows: the command, and the command with its children. */
	sum.pid = rr->self->pid;
	sum.state = PFS_EXITED;
	memcpy(sum.comm, "+children", 10);
	sum.comm_len = 9;
	rows[1] = &sum;
	memset(&v, 0, sizeof(v));
	v.t = &rr->t;
	v.rows = rows;
	v.n = 2;
	pfs_csv_view(f, &v, true);
}

/*
 * Fork and exec; a CLOEXEC pipe carries exec's errno back, so a command
 * that does not exist is reported as such (exit 127, 126 if not
 * executable), as shells do.
 */
static pid_t pfs_spawn(char **argv, int *exec_err)
{
	int p[2], e = 0;
	pid_t pid;
	ssize_t r;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		execvp(argv[0], argv);
		e = errno;
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(p[1]);
	do
		r = read(p[0], &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	close(p[0]);
	*exec_err = r == sizeof(e) ? e : 0;
	return pid;
}

int pfs_cmd_run(const struct pfs_cfg *cfg, char **argv)
{
	struct pfs_runres rr;
	struct sigaction ign, old_int, old_quit;
	struct pfs_table probe;
	struct pfs_out out;
	int exec_err = 0, r, status;
	double t0;

	memset(&rr, 0, sizeof(rr));
	rr.argv = argv;
	/* Fail before running anything if the module is not there. */
	r = pfs_load_table(cfg, false, &probe, NULL);
	if (r)
		return r;
	pfs_table_free(&probe);
	if (pfs_out_open(&out, cfg->out_path, stderr))
		return PFS_EXIT_ENV;

	t0 = pfs_monotonic();
	rr.pid = pfs_spawn(argv, &exec_err);
	if (rr.pid < 0) {
		fprintf(stderr, "pfstat: cannot start %s: %s\n", argv[0], strerror(errno));
		pfs_out_close(&out, false);
		return PFS_EXIT_ENV;
	}
	/* Like time(1): ^C and ^\ are for the command; we report after it. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	while (waitid(P_PID, (id_t)rr.pid, &rr.si, WEXITED | WNOWAIT) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "pfstat: waitid: %s\n", strerror(errno));
			pfs_out_close(&out, false);
			return PFS_EXIT_ENV;
		}
	}
	rr.wall = pfs_monotonic() - t0;
	pfs_read_procstat(rr.pid, &rr.ps);
	/* debugfs procs has the causes; without root, the proc file. */
	if (exec_err) {
		r = 0;
	} else if (access(cfg->debugfs_procs, R_OK) == 0 &&
		   pfs_load_table(cfg, true, &rr.t, &rr.source) == 0) {
		rr.causes = rr.t.have[PFS_ANON_MAJOR];
		r = 0;
	} else {
		r = pfs_load_table(cfg, false, &rr.t, &rr.source);
	}
	while (wait4(rr.pid, &status, 0, &rr.ru) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (exec_err) {
		fprintf(stderr, "pfstat: %s: %s\n", argv[0], strerror(exec_err));
		pfs_out_close(&out, false);
		return exec_err == ENOENT ? 127 : 126;
	}
	rr.status = rr.si.si_code == CLD_EXITED ? rr.si.si_status :
						  128 + rr.si.si_status;
	if (r) {
		pfs_out_close(&out, false);
		return PFS_EXIT_ENV;
	}
	if (!rr.ps.ok)
		fprintf(stderr, "pfstat: could not read /proc/%d/stat of the exited command\n",
			(int)rr.pid);
	if (pfs_find_tree(&rr)) {
		fprintf(stderr, "pfstat: out of memory\n");
	} else {
		if (!rr.self && cfg->fmt != PFS_OUT_TEXT)
			fprintf(stderr, "pfstat: warning: the module has no row for pid %d\n",
				(int)rr.pid);
		switch (cfg->fmt) {
		case PFS_OUT_TEXT:
			pfs_run_text(out.f, &rr);
			break;
		case PFS_OUT_JSON: {
			struct json_object *o = pfs_run_json(&rr);

			pfs_json_print(out.f, o, true);
			json_object_put(o);
			break;
		}
		case PFS_OUT_CSV:
			pfs_run_csv(out.f, &rr);
			break;
		case PFS_OUT_PROM: {
			struct pfs_view v;
			const struct pfs_row *rows[1] = { rr.self };

			memset(&v, 0, sizeof(v));
			v.t = &rr.t;
			v.rows = rows;
			v.n = rr.self ? 1 : 0;
			pfs_prom_view(out.f, &v);
			break;
		}
		}
	}
	pfs_out_close(&out, true);
	free(rr.kids);
	pfs_table_free(&rr.t);
	return rr.status;
}
