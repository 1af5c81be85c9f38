// SPDX-License-Identifier: GPL-2.0
/*
 * Watch mode (-i SEC [-C COUNT]): per-interval deltas and rates, like
 * pidstat -r 1. On a terminal the text view redraws in place; piped, each
 * interval is a block (text), a line (NDJSON) or rows (CSV). SIGINT and
 * SIGTERM end it cleanly between two outputs, never inside one.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "app.h"

static volatile sig_atomic_t pfs_stop;

static void pfs_on_signal(int sig)
{
	(void)sig;
	pfs_stop = 1;
}

void pfs_watch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pfs_on_signal;
	sigemptyset(&sa.sa_mask);
	/* Restart writes; clock_nanosleep() returns EINTR regardless. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int pfs_sleep_until(const struct timespec *start, double offset)
{
	struct timespec t = *start;
	double whole = floor(offset);

	t.tv_sec += (time_t)whole;
	t.tv_nsec += (long)((offset - whole) * 1e9);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	while (!pfs_stop) {
		int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);

		if (r == 0)
			return 0;
		if (r != EINTR)
			return -1;
	}
	return -1;
}

static size_t pfs_term_rows(FILE *f)
{
	struct winsize ws;

	if (!ioctl(fileno(f), TIOCGWINSZ, &ws) && ws.ws_row > 6)
		return ws.ws_row;
	return 24;
}

int pfs_watch_loop(const struct pfs_cfg *cfg, pfs_interval_fn fn, void *arg)
{
	struct pfs_table prev, cur, delta;
	struct timespec start;
	double t0, tprev, tnow;
	unsigned long k;
	int r;

	r = pfs_load_table(cfg, cfg->causes, &prev, NULL);
	if (r)
		return r;
	pfs_watch_signals();
	clock_gettime(CLOCK_MONOTONIC, &start);
	t0 = tprev = pfs_monotonic();
	for (k = 1; !cfg->count || k <= cfg->count; k++) {
		if (pfs_sleep_until(&start, cfg->interval * (double)k))
			break;
		r = pfs_load_table(cfg, cfg->causes, &cur, NULL);
		if (r)
			break;
		tnow = pfs_monotonic();
		if (pfs_table_delta(&prev, &cur, &delta)) {
			fprintf(stderr, "pfstat: out of memory\n");
			pfs_table_free(&cur);
			r = PFS_EXIT_ENV;
			break;
		}
		r = fn(&delta, k, tnow - t0, tnow - tprev, arg);
		pfs_table_free(&delta);
		pfs_table_free(&prev);
		prev = cur;
		tprev = tnow;
		if (r)
			break;
	}
	pfs_table_free(&prev);
	return r == PFS_WATCH_STOP ? 0 : r;
}

struct pfs_watch_ctx {
	const struct pfs_cfg *cfg;
	struct pfs_cfg wc;		/* the selection of each interval */
	const struct pfs_row **rows;
	FILE *f;
	bool tty;
};

/* One interval's table, redrawn on a terminal. */
static int pfs_watch_interval(const struct pfs_table *delta, unsigned long k,
			      double t, double dt, void *arg)
{
	struct pfs_watch_ctx *c = arg;
	struct pfs_groups gs;
	struct pfs_view v;
	int r;

	(void)t;
	free(c->rows);
	c->rows = calloc(delta->nrows ? delta->nrows : 1, sizeof(*c->rows));
	if (!c->rows)
		return PFS_EXIT_ENV;
	if (c->tty && !c->cfg->sel.top)
		c->wc.sel.top = pfs_term_rows(c->f) - 4;
	r = pfs_view_init(&v, &c->wc, delta, c->rows, &gs);
	if (r)
		return r;
	v.elapsed = dt;
	v.interval = k;
	if (c->tty)
		fputs("\033[H\033[2J", c->f);
	else if (k > 1 && c->cfg->fmt == PFS_OUT_TEXT)
		fputc('\n', c->f);
	pfs_render(c->f, c->cfg, &v, k == 1);
	pfs_groups_free(&gs);
	if (ferror(c->f))
		/* Reader went away (pfstat -i 1 | head): stop quietly. */
		return errno == EPIPE ? PFS_WATCH_STOP : PFS_EXIT_ENV;
	return 0;
}

int pfs_cmd_watch(const struct pfs_cfg *cfg)
{
	struct pfs_watch_ctx c = { .cfg = cfg, .wc = *cfg };
	struct pfs_out out;
	int r;

	c.wc.sel.active = !cfg->all;
	if (pfs_out_open(&out, cfg->out_path, stdout))
		return PFS_EXIT_ENV;
	c.f = out.f;
	c.tty = cfg->fmt == PFS_OUT_TEXT && isatty(fileno(out.f));
	signal(SIGPIPE, SIG_IGN);
	r = pfs_watch_loop(cfg, pfs_watch_interval, &c);
	/* Kept once an interval was written (or none was due): not when the
	 * module could not be read at the start. */
	if (pfs_out_close(&out, !r || c.rows) && !r)
		r = PFS_EXIT_ENV;
	free(c.rows);
	return r;
}
