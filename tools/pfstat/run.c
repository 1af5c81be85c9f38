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
 *
 * With --where the child waits on a go pipe after fork until pfstat's
 * tracefs instance filters on its tgid with the events on; only then does
 * it exec, so the where report (where_cmd.c) has it from its first
 * instruction.
 *
 * This file runs the command and gathers the report (struct
 * pfs_run_report, out.h); out_run.c writes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"

/* Fields 10-13 and 22 of /proc/<pid>/stat, from the text after comm. */
static void pfs_procstat_fields(char *s, struct pfs_procstat *ps)
{
	char *tok, *save = NULL;
	int field = 3;

	for (tok = strtok_r(s, " ", &save); tok;
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
}

/* comm (field 2) may hold spaces and parentheses, so counting starts
 * after its last ')'. */
static void pfs_read_procstat(pid_t pid, struct pfs_procstat *ps)
{
	char path[64], *buf, *p;
	size_t len;

	memset(ps, 0, sizeof(*ps));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pfs_read_file(path, &buf, &len))
		return;
	buf[len ? len - 1 : 0] = '\0';
	p = strrchr(buf, ')');
	if (p)
		pfs_procstat_fields(p + 1, ps);
	free(buf);
}

/* The command's row: its pid, and its start time if the table has one. */
static const struct pfs_row *pfs_find_self(const struct pfs_run_report *rep)
{
	const struct pfs_table *t = &rep->t;
	const struct pfs_row *self = NULL;
	size_t i;

	for (i = 0; i < t->nrows; i++) {
		const struct pfs_row *r = &t->rows[i];

		if (r->pid == rep->pid &&
		    (!t->have[PFS_START_TIME] ||
		     r->v[PFS_START_TIME] == rep->ps.start_time))
			self = r;
	}
	return self;
}

static bool pfs_is_descendant(const struct pfs_run_report *rep,
			      const bool *in, const struct pfs_row *r)
{
	size_t i;

	for (i = 0; i < rep->t.nrows; i++) {
		const struct pfs_row *p = &rep->t.rows[i];

		if (in[i] && (uint64_t)p->pid == r->v[PFS_PPID] &&
		    r->v[PFS_START_TIME] >= p->v[PFS_START_TIME])
			return true;
	}
	return false;
}

/*
 * The command's descendants: rows whose ppid is an included row's pid
 * and that started no earlier than it (so an older process that once had
 * the same parent pid is not taken), to a fixed point.
 */
static int pfs_find_kids(struct pfs_run_report *rep)
{
	const struct pfs_table *t = &rep->t;
	bool *in, grew = true;
	size_t i;

	in = calloc(t->nrows, sizeof(*in));
	rep->kids = calloc(t->nrows, sizeof(*rep->kids));
	if (!in || !rep->kids) {
		free(in);
		return -1;
	}
	in[rep->self - t->rows] = true;
	while (grew && t->have[PFS_PPID] && t->have[PFS_START_TIME]) {
		grew = false;
		for (i = 0; i < t->nrows; i++) {
			if (in[i] || !pfs_is_descendant(rep, in, &t->rows[i]))
				continue;
			in[i] = true;
			grew = true;
			rep->kids[rep->nkids++] = &t->rows[i];
		}
	}
	free(in);
	return 0;
}

/* The sum of the command and its exited descendants; the others run on. */
static int pfs_sum_tree(struct pfs_run_report *rep)
{
	const struct pfs_row **summed;
	size_t i, n = 0;

	summed = calloc(1 + rep->nkids, sizeof(*summed));
	if (!summed)
		return -1;
	summed[n++] = rep->self;
	for (i = 0; i < rep->nkids; i++) {
		if (rep->kids[i]->state == PFS_EXITED)
			summed[n++] = rep->kids[i];
		else
			rep->nalive++;
	}
	pfs_sum_rows(summed, n, &rep->sum);
	free(summed);
	return 0;
}

/* The command's row, its descendants and their sum; -1 out of memory. */
static int pfs_find_tree(struct pfs_run_report *rep)
{
	rep->self = pfs_find_self(rep);
	if (!rep->self)
		return 0;
	if (pfs_find_kids(rep) || pfs_sum_tree(rep))
		return -1;
	return 0;
}

/* How the command ended, from waitid()'s siginfo. */
static void pfs_run_exit_of(const siginfo_t *si, struct pfs_run_exit *e)
{
	e->exited = si->si_code == CLD_EXITED;
	e->core_dumped = si->si_code == CLD_DUMPED;
	e->code = si->si_status;
	e->status = e->exited ? e->code : 128 + e->code;
}

/* The started command's pipes: exec's errno comes back on err (CLOEXEC:
 * EOF once it ran); with go >= 0 it execs only after a byte on go. */
struct pfs_spawned {
	pid_t pid;
	int err, go;
};

static void pfs_child(char *const *argv, int err, int go)
	__attribute__((noreturn));

static void pfs_child(char *const *argv, int err, int go)
{
	char c;
	int e;

	if (go >= 0) {
		while (read(go, &c, 1) < 0 && errno == EINTR)
			;
		close(go);
	}
	execvp(argv[0], argv);
	e = errno;
	if (write(err, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Fork; the child waits on a go pipe if asked, then execs. */
static int pfs_fork(char *const *argv, bool gated, struct pfs_spawned *sp)
{
	int p[2], g[2] = { -1, -1 };

	if (pipe2(p, O_CLOEXEC))
		return -1;
	if (gated && pipe2(g, O_CLOEXEC)) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	sp->pid = fork();
	if (sp->pid < 0) {
		close(p[0]);
		close(p[1]);
		if (gated) {
			close(g[0]);
			close(g[1]);
		}
		return -1;
	}
	if (sp->pid == 0) {
		close(p[0]);
		if (gated)
			close(g[1]);
		pfs_child(argv, p[1], g[0]);
	}
	close(p[1]);
	if (gated)
		close(g[0]);
	sp->err = p[0];
	sp->go = g[1];
	return 0;
}

/* Let a gated child exec; then exec's errno (0: it ran). */
static int pfs_exec_result(struct pfs_spawned *sp)
{
	ssize_t r;
	int e = 0;

	if (sp->go >= 0) {
		if (write(sp->go, "g", 1) < 0)
			e = errno;
		close(sp->go);
		sp->go = -1;
	}
	do
		r = read(sp->err, &e, sizeof(e));
	while (r < 0 && errno == EINTR);
	close(sp->err);
	return r == sizeof(e) ? e : 0;
}

/* Reap the command: its rusage covers it and the children it reaped. */
static void pfs_reap(pid_t pid, struct rusage *ru)
{
	int status;

	while (wait4(pid, &status, 0, ru) < 0 && errno == EINTR)
		;
}

/* The state letter of /proc/<pid>/stat, or 0. */
static char pfs_proc_state(pid_t pid)
{
	char path[64], *buf, *p, c = 0;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pfs_read_file(path, &buf, &len))
		return 0;
	p = memrchr(buf, ')', len);
	if (p && p + 2 < buf + len)
		c = p[2];
	free(buf);
	return c;
}

/* Until the gated child sleeps on its go pipe (at most a second), so
 * that its faults before tracing are a fixed number (pfs_start). */
static void pfs_wait_gated(pid_t pid)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 1000 && pfs_proc_state(pid) != 'S'; i++)
		nanosleep(&ts, NULL);
}

/*
 * Start the command. 0, or pfstat's exit code with the error reported: a
 * command that does not exist is 127, one that cannot be executed 126,
 * as shells do (the child that could not exec is reaped). With --where
 * the tracer is set on the child's tgid before the child may exec, so
 * its events are there from its first instruction. Its faults between
 * fork and the go byte (copy-on-write of the stack it shares with
 * pfstat) cannot be traced: *pre has their count, read while it sleeps.
 */
static int pfs_start(const struct pfs_cfg *cfg, struct pfs_run_report *rep,
		     struct pfs_tracer **t, struct pfs_procstat *pre)
{
	struct pfs_spawned sp;
	struct pfs_trace_sel ts;
	int exec_err, r;

	if (pfs_fork(rep->argv, cfg->where, &sp)) {
		fprintf(stderr, "pfstat: cannot start %s: %s\n", rep->argv[0],
			strerror(errno));
		return PFS_EXIT_ENV;
	}
	rep->pid = (int)sp.pid;
	if (cfg->where) {
		pfs_wait_gated(sp.pid);
		pfs_trace_sel_of(cfg, &ts);
		ts.tgids = &rep->pid;
		ts.ntgids = 1;
		r = pfs_tracer_open(t, &ts, cfg->buffer_kb);
		if (r) {
			kill(sp.pid, SIGKILL);
			close(sp.go);
			close(sp.err);
			pfs_reap(sp.pid, &rep->ru);
			return r;
		}
		pfs_read_procstat(sp.pid, pre);
	}
	exec_err = pfs_exec_result(&sp);
	if (!exec_err)
		return 0;
	pfs_reap(sp.pid, &rep->ru);
	fprintf(stderr, "pfstat: %s: %s\n", rep->argv[0], strerror(exec_err));
	return exec_err == ENOENT ? 127 : 126;
}

/* SIGINT and SIGQUIT as they were before pfs_signals_ignore(). */
struct pfs_saved_signals {
	struct sigaction intr, quit;
};

/* Like time(1): ^C and ^\ are for the command; we report after it. */
static void pfs_signals_ignore(struct pfs_saved_signals *old)
{
	struct sigaction ign;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old->intr);
	sigaction(SIGQUIT, &ign, &old->quit);
}

static void pfs_signals_restore(const struct pfs_saved_signals *old)
{
	sigaction(SIGINT, &old->intr, NULL);
	sigaction(SIGQUIT, &old->quit, NULL);
}

/* Wait until the command exited, and leave it a zombie (see the top). */
static int pfs_wait_exited(pid_t pid, siginfo_t *si)
{
	while (waitid(P_PID, (id_t)pid, si, WEXITED | WNOWAIT) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "pfstat: waitid: %s\n", strerror(errno));
			return PFS_EXIT_ENV;
		}
	}
	return 0;
}

/* The module's table now: debugfs procs has the causes; without root,
 * the proc file. */
static int pfs_load_run_table(const struct pfs_cfg *cfg,
			      struct pfs_run_report *rep)
{
	if (access(cfg->debugfs_procs, R_OK) == 0 &&
	    pfs_load_table(cfg, true, &rep->t, &rep->source) == 0) {
		rep->causes = rep->t.have[PFS_ANON_MAJOR];
		return 0;
	}
	return pfs_load_table(cfg, false, &rep->t, &rep->source);
}

static bool pfs_still_running(void *arg)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)*(int *)arg, &si, WEXITED | WNOWAIT | WNOHANG))
		return false;
	return si.si_pid == 0;
}

/* run --where: trace the command until it exited, the tracer closed
 * before the report is made. */
static int pfs_run_where(const struct pfs_cfg *cfg, struct pfs_run_report *rep,
			 struct pfs_tracer *t, struct pfs_where *w,
			 struct pfs_fmap *map)
{
	int r;

	pfs_where_init(w, rep->pid);
	r = pfs_where_session(cfg, t, w, map, true, pfs_still_running,
			      &rep->pid);
	pfs_tracer_close(t);
	return r;
}

/*
 * Run the command and gather the report, in the order the top of this
 * file explains. 0, or pfstat's exit code with the error reported.
 */
static int pfs_run(const struct pfs_cfg *cfg, struct pfs_run_report *rep,
		   struct pfs_where *w, struct pfs_fmap *map,
		   struct pfs_procstat *pre)
{
	struct pfs_saved_signals old;
	struct pfs_tracer *t = NULL;
	siginfo_t si;
	double t0;
	int r;

	if (cfg->where)
		pfs_stop_signals();
	t0 = pfs_monotonic();
	r = pfs_start(cfg, rep, &t, pre);
	if (r)
		return r;
	pfs_signals_ignore(&old);
	if (t) {
		r = pfs_run_where(cfg, rep, t, w, map);
		if (r)
			goto restore_signals;
	}
	r = pfs_wait_exited(rep->pid, &si);
	if (r)
		goto restore_signals;
	rep->wall = pfs_monotonic() - t0;
	pfs_run_exit_of(&si, &rep->exit);
	pfs_read_procstat(rep->pid, &rep->ps);
	r = pfs_load_run_table(cfg, rep);
	pfs_reap(rep->pid, &rep->ru);
restore_signals:
	pfs_signals_restore(&old);
	return r;
}

/* run --where's report: the where report and how the command ended. */
static void pfs_report_where(const struct pfs_cfg *cfg,
			     const struct pfs_run_report *rep,
			     const struct pfs_procstat *pre,
			     struct pfs_where *w, FILE *f)
{
	struct pfs_where_run run = {
		.argv = rep->argv,
		.exited = rep->exit.exited,
		.code = rep->exit.code,
		.start_time = rep->ps.start_time,
		.ru = rep->ru,
		.pre_minflt = pre->minflt,
		.pre_majflt = pre->majflt,
	};

	w->run = &run;
	pfs_where_write(cfg, w, f);
	w->run = NULL;
}

/* The command's rows, then the report in the chosen format. */
static void pfs_report(const struct pfs_cfg *cfg, struct pfs_run_report *rep,
		       FILE *f)
{
	struct json_object *o;

	if (!rep->ps.ok)
		fprintf(stderr, "pfstat: could not read /proc/%d/stat of the exited command\n",
			rep->pid);
	if (pfs_find_tree(rep)) {
		fprintf(stderr, "pfstat: out of memory\n");
		return;
	}
	if (!rep->self && cfg->fmt != PFS_OUT_TEXT)
		fprintf(stderr, "pfstat: warning: the module has no row for pid %d\n",
			rep->pid);
	switch (cfg->fmt) {
	case PFS_OUT_TEXT:
		pfs_run_text(f, rep);
		break;
	case PFS_OUT_JSON:
		o = pfs_run_json(rep);
		pfs_json_print(f, o, true);
		json_object_put(o);
		break;
	case PFS_OUT_CSV:
		pfs_run_csv(f, rep);
		break;
	case PFS_OUT_PROM:
		pfs_run_prom(f, rep);
		break;
	}
}

/* run --plot: the fault map, titled with the command line. */
static int pfs_run_plot(const struct pfs_cfg *cfg,
			const struct pfs_run_report *rep,
			const struct pfs_where *w, const struct pfs_fmap *map)
{
	char who[128];
	size_t len = 0, i;

	who[0] = '\0';
	for (i = 0; rep->argv[i] && len < sizeof(who) - 1; i++)
		len += (size_t)snprintf(who + len, sizeof(who) - len, "%s%s",
					i ? " " : "", rep->argv[i]);
	if (len >= sizeof(who) - 1)
		strcpy(who + sizeof(who) - 4, "...");
	return pfs_plot_map_write(cfg, cfg->plot_path, map, who, rep->pid,
				  w->duration);
}

/* Whether the module is there, before anything runs. */
static int pfs_module_present(const struct pfs_cfg *cfg)
{
	struct pfs_table probe;
	int r;

	r = pfs_load_table(cfg, false, &probe, NULL);
	if (!r)
		pfs_table_free(&probe);
	return r;
}

/*
 * The command's exit status, or pfstat's exit code if it did not run or
 * its report could not be made. The output (-O: a file renamed into
 * place) is kept only when there is a report.
 */
int pfs_cmd_run(const struct pfs_cfg *cfg, char **argv)
{
	struct pfs_run_report rep = { .argv = argv };
	struct pfs_procstat pre = { 0 };
	struct pfs_where w = { 0 };
	struct pfs_fmap map = { 0 };
	struct pfs_out out;
	bool reported;
	int r;

	r = pfs_module_present(cfg);
	if (r)
		return r;
	if (pfs_out_open(&out, cfg->out_path, stderr))
		return PFS_EXIT_ENV;
	r = pfs_run(cfg, &rep, &w, cfg->plot_path ? &map : NULL, &pre);
	reported = r == 0;
	if (reported) {
		if (cfg->where)
			pfs_report_where(cfg, &rep, &pre, &w, out.f);
		else
			pfs_report(cfg, &rep, out.f);
		r = rep.exit.status;
		if (cfg->plot_path && pfs_run_plot(cfg, &rep, &w, &map))
			r = PFS_EXIT_ENV;
	}
	pfs_out_close(&out, reported);
	pfs_fmap_free(&map);
	pfs_where_free(&w);
	free(rep.kids);
	pfs_table_free(&rep.t);
	return r;
}
