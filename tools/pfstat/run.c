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
#include <unistd.h>

#include "app.h"

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

static bool pfs_is_descendant(const struct pfs_run_report *rr, const bool *in,
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
static int pfs_find_tree(struct pfs_run_report *rr)
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

/* How the command ended, from waitid()'s siginfo. */
static void pfs_run_exit_of(const siginfo_t *si, struct pfs_run_exit *e)
{
	e->exited = si->si_code == CLD_EXITED;
	e->core_dumped = si->si_code == CLD_DUMPED;
	e->code = si->si_status;
	e->status = e->exited ? e->code : 128 + e->code;
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
	struct pfs_run_report rr;
	struct sigaction ign, old_int, old_quit;
	struct pfs_table probe;
	struct pfs_out out;
	int exec_err = 0, r, status;
	siginfo_t si;
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
	while (waitid(P_PID, (id_t)rr.pid, &si, WEXITED | WNOWAIT) < 0) {
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
	pfs_run_exit_of(&si, &rr.exit);
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
		case PFS_OUT_PROM:
			pfs_run_prom(out.f, &rr);
			break;
		}
	}
	pfs_out_close(&out, true);
	free(rr.kids);
	pfs_table_free(&rr.t);
	return rr.exit.status;
}
