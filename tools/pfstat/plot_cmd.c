// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat plot map|hist|rates and run --plot: gather a picture's data,
 * write it as CSV (--data FILE) and draw it (-O FILE or --plot FILE,
 * .png or .svg). The map comes from a where session (where_cmd.c), the
 * latency picture from debugfs hist, the rates from watch-style deltas
 * of the module's table. Every file is replaced atomically, the data
 * first: a picture that cannot be drawn still leaves its numbers.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "app.h"
#include "plot.h"

/* The default number of processes in the rates picture (-n). */
#define PFS_RATES_TOP	5

int pfs_plot_check_path(const char *path, const char *opt)
{
	enum pfs_img_fmt fmt;

	if (!path || !strcmp(path, "-")) {
		fprintf(stderr, "pfstat: %s: a picture goes to a file: FILE.png or FILE.svg\n",
			opt);
		return PFS_EXIT_ENV;
	}
	if (pfs_img_fmt_of(path, &fmt)) {
		fprintf(stderr, "pfstat: %s %s: not a picture name: it ends in .png or .svg\n",
			opt, path);
		return PFS_EXIT_ENV;
	}
	if (!pfs_plot_built()) {
		fprintf(stderr, "pfstat: this pfstat was built without pictures (make PLOT=no): rebuild it with libcairo2-dev\n");
		return PFS_EXIT_ENV;
	}
	return 0;
}

static const char *pfs_kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u))
		strcpy(u.release, "?");
	return u.release;
}

/* Write path atomically through fn; 0 or PFS_EXIT_ENV (said). */
static int pfs_plot_file(const char *path, int (*fn)(FILE *f, void *arg),
			 void *arg)
{
	struct pfs_out out;
	int r;

	if (pfs_out_open(&out, path, stdout))
		return PFS_EXIT_ENV;
	r = fn(out.f, arg);
	if (pfs_out_close(&out, r == 0) || r)
		return PFS_EXIT_ENV;
	return 0;
}

struct pfs_plot_job {
	const char *path;		/* the picture */
	enum pfs_img_fmt fmt;
	const struct pfs_plot_text *txt;
	const struct pfs_fmap *map;
	const struct pfs_hist *hist;
	const struct pfs_rates *rates;
	size_t top;
};

static int pfs_plot_data_fn(FILE *f, void *arg)
{
	const struct pfs_plot_job *j = arg;

	if (j->map)
		pfs_fmap_csv(f, j->map);
	else if (j->hist)
		pfs_hist_csv(f, j->hist);
	else
		pfs_rates_csv(f, j->rates, j->top);
	return ferror(f) ? -1 : 0;
}

static int pfs_plot_image_fn(FILE *f, void *arg)
{
	const struct pfs_plot_job *j = arg;

	if (j->map)
		return pfs_plot_map(f, j->fmt, j->map, j->txt);
	if (j->hist)
		return pfs_plot_hist(f, j->fmt, j->hist, j->txt);
	return pfs_plot_rates(f, j->fmt, j->rates, j->top, j->txt);
}

/* The data (--data), then the picture. */
static int pfs_plot_out(const struct pfs_cfg *cfg, struct pfs_plot_job *j)
{
	int r;

	if (pfs_img_fmt_of(j->path, &j->fmt))
		return pfs_plot_check_path(j->path, "-O");
	if (cfg->data_path) {
		r = pfs_plot_file(cfg->data_path, pfs_plot_data_fn, j);
		if (r)
			return r;
	}
	return pfs_plot_file(j->path, pfs_plot_image_fn, j);
}

/* " · 12 major" for each kind but minor that happened. */
static void pfs_map_counts(char *buf, size_t sz, const struct pfs_fmap *m)
{
	size_t len = strlen(buf);
	int k;

	for (k = 0; k < PFS_NMARKS && len < sz; k++) {
		if (!m->count[k] && k != PFS_M_MINOR)
			continue;
		len += (size_t)snprintf(buf + len, sz - len, " \xc2\xb7 %llu %s",
					(unsigned long long)m->count[k],
					pfs_mark_names[k]);
	}
	if (m->unkept && len < sz)
		snprintf(buf + len, sz - len, " \xc2\xb7 the first %u drawn",
			 PFS_FMAP_MAX_MARKS);
}

int pfs_plot_map_write(const struct pfs_cfg *cfg, const char *path,
		       const struct pfs_fmap *m, const char *who, int pid,
		       double seconds)
{
	char title[256], sub[512];
	struct pfs_plot_text txt = { title, sub };
	struct pfs_plot_job j = { .path = path, .txt = &txt, .map = m };
	uint64_t total = 0;
	int k, r;

	snprintf(title, sizeof(title), "Page faults of %s (pid %d)", who, pid);
	snprintf(sub, sizeof(sub), "kernel %s \xc2\xb7 traced %.1f s",
		 pfs_kernel_release(), seconds);
	pfs_map_counts(sub, sizeof(sub), m);
	r = pfs_plot_out(cfg, &j);
	if (r)
		return r;
	for (k = 0; k < PFS_NMARKS; k++)
		total += m->count[k];
	fprintf(stderr, "pfstat: %s: %llu events in %zu mappings over %.1f s\n",
		path, (unsigned long long)total, m->nbands, seconds);
	return 0;
}

/* The command name of a running process, for the title. */
static void pfs_proc_comm(int pid, char *buf, size_t sz)
{
	char path[64], *s = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (pfs_read_file(path, &s, &len) == 0 && len) {
		while (len && (s[len - 1] == '\n' || s[len - 1] == '\0'))
			len--;
		pfs_comm_utf8(s, len, buf, sz);
	} else {
		snprintf(buf, sz, "?");
	}
	free(s);
}

static int pfs_plot_cmd_map(const struct pfs_cfg *cfg)
{
	char comm[PFS_COMM_UTF8_MAX];
	struct pfs_fmap m = { 0 };
	struct pfs_where w;
	int pid, r;

	if (cfg->sel.npids != 1 || cfg->sel.comm) {
		fprintf(stderr, "pfstat: plot map needs exactly one process: -p PID\n");
		return PFS_EXIT_USAGE;
	}
	pid = cfg->sel.pids[0];
	if (!pfs_pid_running(pid)) {
		fprintf(stderr, "pfstat: no running process with pid %d\n", pid);
		return PFS_EXIT_ENV;
	}
	pfs_proc_comm(pid, comm, sizeof(comm));
	r = pfs_where_pid(cfg, pid, &w, &m);
	if (!r)
		r = pfs_plot_map_write(cfg, cfg->out_path, &m, comm, pid,
				       w.duration);
	if (w.lost)
		pfs_report_lost("plot map", w.events, w.lost);
	pfs_where_free(&w);
	pfs_fmap_free(&m);
	return r;
}

static int pfs_plot_cmd_hist(const struct pfs_cfg *cfg)
{
	char sub[256];
	struct pfs_plot_text txt = { "Page fault latency", sub };
	struct pfs_hist h;
	struct pfs_plot_job j = { .path = cfg->out_path, .txt = &txt,
				  .hist = &h };
	uint64_t total = 0;
	size_t i;
	int r;

	r = pfs_load_hist(cfg, &h);
	if (r)
		return r;
	for (i = 0; i < h.n; i++)
		total = pfs_add_sat(total, h.b[i].count);
	snprintf(sub, sizeof(sub),
		 "kernel %s \xc2\xb7 every process since the module was loaded or reset \xc2\xb7 %llu faults",
		 pfs_kernel_release(), (unsigned long long)total);
	r = pfs_plot_out(cfg, &j);
	pfs_hist_free(&h);
	return r;
}

struct pfs_rates_ctx {
	struct pfs_rates *rt;
	struct pfs_select sel;
};

/* Each interval's delta into the series. */
static int pfs_rates_interval(const struct pfs_table *delta, unsigned long k,
			      double t, double dt, void *arg)
{
	struct pfs_rates_ctx *c = arg;

	(void)k;
	if (pfs_rates_add(c->rt, delta, &c->sel, t, dt)) {
		fprintf(stderr, "pfstat: out of memory\n");
		return PFS_EXIT_ENV;
	}
	return 0;
}

static int pfs_rates_gather(const struct pfs_cfg *cfg, struct pfs_rates *rt)
{
	struct pfs_rates_ctx c = { .rt = rt, .sel = cfg->sel };

	c.sel.active = false;
	return pfs_watch_loop(cfg, pfs_rates_interval, &c);
}

static int pfs_plot_cmd_rates(const struct pfs_cfg *cfg)
{
	char title[128], sub[256];
	struct pfs_plot_text txt = { title, sub };
	struct pfs_rates rt = { 0 };
	struct pfs_plot_job j = { .path = cfg->out_path, .txt = &txt,
				  .rates = &rt };
	int r;

	j.top = cfg->sel.top ? cfg->sel.top : PFS_RATES_TOP;
	r = pfs_rates_gather(cfg, &rt);
	if (!r) {
		pfs_rates_finish(&rt);
		size_t shown = j.top < rt.np ? j.top : rt.np;

		if (shown)
			snprintf(title, sizeof(title), "Page fault rates of the %zu busiest process%s",
				 shown, shown == 1 ? "" : "es");
		else
			snprintf(title, sizeof(title), "Page fault rates");
		snprintf(sub, sizeof(sub),
			 "kernel %s \xc2\xb7 every %g s \xc2\xb7 %zu interval%s \xc2\xb7 %zu process%s took faults",
			 pfs_kernel_release(), cfg->interval, rt.nint,
			 rt.nint == 1 ? "" : "s", rt.np, rt.np == 1 ? "" : "es");
		r = pfs_plot_out(cfg, &j);
	}
	pfs_rates_free(&rt);
	return r;
}

int pfs_cmd_plot(const struct pfs_cfg *cfg, const char *what)
{
	int r = pfs_plot_check_path(cfg->out_path, "-O");

	if (r)
		return r;
	if (!strcmp(what, "map"))
		return pfs_plot_cmd_map(cfg);
	if (!strcmp(what, "hist"))
		return pfs_plot_cmd_hist(cfg);
	return pfs_plot_cmd_rates(cfg);
}
