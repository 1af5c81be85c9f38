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

int pfs_cmd_watch(const struct pfs_cfg *cfg)
{
	struct pfs_table prev, cur, delta;
	struct pfs_cfg wc = *cfg;
	const struct pfs_row **rows = NULL;
	struct timespec start;
	struct pfs_out out;
	double tprev, tnow;
	unsigned long k;
	bool tty;
	int r;

	wc.sel.active = !cfg->all;
	r = pfs_load_table(cfg, cfg->causes, &prev, NULL);
	if (r)
		return r;
	if (pfs_out_open(&out, cfg->out_path, stdout)) {
		pfs_table_free(&prev);
		return PFS_EXIT_ENV;
	}
	tty = cfg->fmt == PFS_OUT_TEXT && isatty(fileno(out.f));
	pfs_watch_signals();
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &start);
	tprev = pfs_monotonic();
	for (k = 1; !cfg->count || k <= cfg->count; k++) {
		struct pfs_groups gs;
		struct pfs_view v;

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
		free(rows);
		rows = calloc(delta.nrows ? delta.nrows : 1, sizeof(*rows));
		if (!rows) {
			pfs_table_free(&cur);
			pfs_table_free(&delta);
			r = PFS_EXIT_ENV;
			break;
		}
		if (tty && !cfg->sel.top)
			wc.sel.top = pfs_term_rows(out.f) - 4;
		r = pfs_view_init(&v, &wc, &delta, rows, &gs);
		if (r) {
			pfs_table_free(&cur);
			pfs_table_free(&delta);
			break;
		}
		v.elapsed = tnow - tprev;
		v.interval = k;
		if (tty)
			fputs("\033[H\033[2J", out.f);
		else if (k > 1 && cfg->fmt == PFS_OUT_TEXT)
			fputc('\n', out.f);
		pfs_render(out.f, cfg, &v, k == 1);
		pfs_groups_free(&gs);
		pfs_table_free(&delta);
		pfs_table_free(&prev);
		prev = cur;
		tprev = tnow;
		if (ferror(out.f)) {
			/* Reader went away (pfstat -i 1 | head): stop quietly. */
			if (errno != EPIPE)
				r = PFS_EXIT_ENV;
			break;
		}
	}
	free(rows);
	pfs_table_free(&prev);
	if (pfs_out_close(&out, true) && !r)
		r = PFS_EXIT_ENV;
	return r;
}
