// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat trace: the module's events as they happen, one a line (text, or
 * a JSON object with -o json), until Ctrl-C, SIGTERM, --duration, -C N
 * events or the end of every process of -p. The lost-event count goes to
 * stderr at the end, a warning when it is not zero. Also the stop
 * signals and the polling clock that where and run --where share.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"

/* How often the trace buffer is drained (and where's maps re-read). */
#define PFS_POLL_NS	100000000L

static volatile sig_atomic_t pfs_stop_sig;

static void pfs_on_stop(int sig)
{
	pfs_stop_sig = sig;
}

/* SIGINT, SIGTERM and SIGHUP end the session (the instance is removed on
 * the way out); SIGPIPE becomes EPIPE on the output, which ends it too. */
void pfs_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pfs_on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool pfs_stop_requested(void)
{
	return pfs_stop_sig != 0;
}

void pfs_poll_sleep(void)
{
	struct timespec ts = { 0, PFS_POLL_NS };

	nanosleep(&ts, NULL);
}

/* Whether a process exists (a zombie does). */
bool pfs_pid_exists(int pid)
{
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Whether a process can still fault: it exists and is not a zombie. */
bool pfs_pid_running(int pid)
{
	char path[64], buf[512], *paren;
	FILE *f;
	size_t n;

	if (!pfs_pid_exists(pid))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) S ...": the state follows the last ')' */
	paren = strrchr(buf, ')');
	return !paren || (paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X');
}

/* 0 if every pid of -p exists, else exit 2 with the pid named. */
int pfs_pids_exist(const struct pfs_select *sel)
{
	size_t i;

	for (i = 0; i < sel->npids; i++) {
		if (!pfs_pid_exists(sel->pids[i])) {
			fprintf(stderr, "pfstat: no process with pid %d\n",
				sel->pids[i]);
			return PFS_EXIT_ENV;
		}
	}
	return 0;
}

void pfs_trace_sel_of(const struct pfs_cfg *cfg, struct pfs_trace_sel *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->tgids = cfg->sel.pids;
	ts->ntgids = cfg->sel.npids;
	ts->comm = cfg->sel.comm;
	ts->major = cfg->major;
	ts->errors = cfg->errors;
}

struct pfs_trace_ctx {
	const struct pfs_cfg *cfg;
	FILE *f;
	uint64_t events;
	bool write_error;
};

static int pfs_trace_event(const struct pfs_event *e, void *arg)
{
	struct pfs_trace_ctx *c = arg;

	if (c->cfg->fmt == PFS_OUT_JSON) {
		struct json_object *o = pfs_trace_json(e);

		if (!o || pfs_json_print(c->f, o, false))
			c->write_error = true;
		json_object_put(o);
	} else {
		pfs_trace_text(c->f, e);
	}
	c->events++;
	if (ferror(c->f))
		c->write_error = true;
	return c->write_error || (c->cfg->count && c->events >= c->cfg->count);
}

static bool pfs_any_alive(const struct pfs_select *sel)
{
	size_t i;

	for (i = 0; i < sel->npids; i++)
		if (pfs_pid_running(sel->pids[i]))
			return true;
	return false;
}

/* Drain until a bound or a signal ends it; 1 if -C or the output did. */
static int pfs_trace_loop(const struct pfs_cfg *cfg, struct pfs_tracer *t,
			  struct pfs_trace_ctx *c)
{
	double t0 = pfs_monotonic();
	int r;

	for (;;) {
		bool gone = cfg->sel.npids && !pfs_any_alive(&cfg->sel);

		r = pfs_tracer_read(t, pfs_trace_event, c);
		fflush(c->f);
		if (r)
			return r;
		if (gone || pfs_stop_requested() ||
		    (cfg->duration > 0 && pfs_monotonic() - t0 >= cfg->duration))
			return 0;
		pfs_poll_sleep();
	}
}

/* The end of a session on stderr: what was seen and what was lost. */
void pfs_report_lost(const char *what, uint64_t events, uint64_t lost)
{
	fprintf(stderr, "pfstat: %s: %llu events, %llu lost\n", what,
		(unsigned long long)events, (unsigned long long)lost);
	if (lost)
		fprintf(stderr, "pfstat: warning: %llu events lost to ring buffer overruns (try a larger --buffer-kb)\n",
			(unsigned long long)lost);
}

int pfs_cmd_trace(const struct pfs_cfg *cfg)
{
	struct pfs_trace_ctx c = { .cfg = cfg };
	struct pfs_trace_sel ts;
	struct pfs_tracer *t;
	struct pfs_out out;
	int r;

	if (cfg->fmt != PFS_OUT_TEXT && cfg->fmt != PFS_OUT_JSON) {
		fprintf(stderr, "pfstat: trace writes text or json (-o)\n");
		return PFS_EXIT_USAGE;
	}
	r = pfs_pids_exist(&cfg->sel);
	if (r)
		return r;
	pfs_trace_sel_of(cfg, &ts);
	pfs_stop_signals();
	r = pfs_tracer_open(&t, &ts, cfg->buffer_kb);
	if (r)
		return r;
	if (pfs_out_open(&out, cfg->out_path, stdout)) {
		pfs_tracer_close(t);
		return PFS_EXIT_ENV;
	}
	c.f = out.f;
	r = pfs_trace_loop(cfg, t, &c);
	if (r >= 0 && !c.write_error) {
		pfs_tracer_stop(t);
		if (!cfg->count || c.events < cfg->count)
			pfs_tracer_read(t, pfs_trace_event, &c);
	}
	pfs_report_lost("trace", c.events, pfs_tracer_lost(t));
	pfs_tracer_close(t);
	pfs_out_close(&out, true);
	if (r < 0) {
		fprintf(stderr, "pfstat: reading the trace buffer failed\n");
		return PFS_EXIT_ENV;
	}
	return PFS_EXIT_OK;
}
