/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfstat's commands and the I/O they share: configuration from the
 * command line, loading the module's files with one clear error line,
 * and the output file.
 */
#ifndef PFSTAT_APP_H
#define PFSTAT_APP_H

#include <time.h>

#include "out.h"
#include "tracecfg.h"

#define PFS_PROC_FILE		"/proc/pagefault_stats"
#define PFS_DEBUGFS_DIR		"/sys/kernel/debug/pagefault_stats"

/* Exit codes */
enum {
	PFS_EXIT_OK = 0,
	PFS_EXIT_USAGE = 1,
	PFS_EXIT_ENV = 2,	/* module not loaded, permission, format */
};

struct pfs_cfg {
	const char *proc_file;
	const char *debugfs_dir;
	char *debugfs_procs;	/* debugfs_dir/procs, main() sets it */
	bool proc_file_set;
	enum pfs_fmt fmt;
	struct pfs_select sel;
	bool raw;
	bool wide;
	bool causes;		/* read debugfs procs instead of the proc file */
	bool all;		/* watch: idle processes too */
	enum pfs_by by;		/* --by: rows are groups */
	double interval;	/* 0: one snapshot */
	unsigned long count;	/* watch: intervals, 0 = until interrupted */
	const char *out_path;	/* -O; NULL or "-": stdout */
	int bar_width;
	/* trace, where, run --where */
	bool major;		/* --major */
	bool errors;		/* --errors */
	bool where;		/* run --where */
	double duration;	/* --duration, where's -i; 0: until the end */
	unsigned long buffer_kb;	/* --buffer-kb; 0: the kernel's default */
	/* plot, run --plot */
	const char *plot;		/* plot's picture: map, hist or rates */
	const char *plot_path;		/* run --plot FILE */
	const char *data_path;		/* --data FILE: the picture's CSV */
};

int pfs_read_file(const char *path, char **buf, size_t *len);
char *pfs_path_join(const char *dir, const char *name);
int pfs_load_table(const struct pfs_cfg *cfg, bool debugfs,
		   struct pfs_table *t, const char **source);
int pfs_load_hist(const struct pfs_cfg *cfg, struct pfs_hist *h);
void pfs_report_open_error(const struct pfs_cfg *cfg, const char *path,
			   bool debugfs, int err);

struct pfs_out {
	FILE *f;
	char *path;
	char *tmp;
};
int pfs_out_open(struct pfs_out *o, const char *path, FILE *dflt);
int pfs_out_close(struct pfs_out *o, bool commit);

double pfs_now(void);
double pfs_monotonic(void);

/*
 * The process table of show and watch (view.c). rows has room for
 * t->nrows; gs holds the groups of --by until pfs_groups_free(). 0 or an
 * exit code, the error said.
 */
int pfs_view_init(struct pfs_view *v, const struct pfs_cfg *cfg,
		  const struct pfs_table *t, const struct pfs_row **rows,
		  struct pfs_groups *gs);
void pfs_render(FILE *f, const struct pfs_cfg *cfg, struct pfs_view *v,
		bool first);

int pfs_cmd_show(const struct pfs_cfg *cfg);
int pfs_cmd_watch(const struct pfs_cfg *cfg);
/* Watch's clock (watch.c), shared with plot rates: SIGINT, SIGTERM and
 * SIGHUP end the sleep; sleep until start + offset seconds on the
 * monotonic clock, so intervals do not drift by the time spent reading.
 * 0, or -1 when a stop signal came. */
void pfs_watch_signals(void);
int pfs_sleep_until(const struct timespec *start, double offset);
/*
 * Watch's loop: read the table every cfg->interval seconds, cfg->count
 * times (0: until a stop signal), and hand fn each interval's delta, its
 * number k (1, 2, ...), its end t seconds after the first reading and its
 * length dt. fn returns 0 to go on, PFS_WATCH_STOP to end with 0, or an
 * exit code to end with. 0 or an exit code, the error said.
 */
#define PFS_WATCH_STOP	(-1)
typedef int (*pfs_interval_fn)(const struct pfs_table *delta, unsigned long k,
			       double t, double dt, void *arg);
int pfs_watch_loop(const struct pfs_cfg *cfg, pfs_interval_fn fn, void *arg);
int pfs_cmd_run(const struct pfs_cfg *cfg, char **argv);
int pfs_cmd_hist(const struct pfs_cfg *cfg);
int pfs_cmd_trace(const struct pfs_cfg *cfg);
int pfs_cmd_where(const struct pfs_cfg *cfg);

/*
 * The module's events through a tracefs instance of pfstat's own
 * (tracefs.c). open: 0 or an exit code, the error said. read: hands the
 * events buffered so far to fn (non-zero from fn stops), then returns:
 * 0, 1 if fn stopped it, -1 on error. close removes the instance.
 */
struct pfs_tracer;
typedef int (*pfs_event_fn)(const struct pfs_event *e, void *arg);
int pfs_tracer_open(struct pfs_tracer **t, const struct pfs_trace_sel *sel,
		    unsigned long buffer_kb);
int pfs_tracer_read(struct pfs_tracer *t, pfs_event_fn fn, void *arg);
void pfs_tracer_stop(struct pfs_tracer *t);
uint64_t pfs_tracer_lost(struct pfs_tracer *t);
void pfs_tracer_close(struct pfs_tracer *t);

/* What trace, where and run --where share (trace.c, where_cmd.c) */
void pfs_stop_signals(void);
bool pfs_stop_requested(void);
void pfs_poll_sleep(void);
bool pfs_pid_exists(int pid);
bool pfs_pid_running(int pid);
int pfs_pids_exist(const struct pfs_select *sel);
void pfs_trace_sel_of(const struct pfs_cfg *cfg, struct pfs_trace_sel *ts);
void pfs_report_lost(const char *what, uint64_t events, uint64_t lost);
/* Trace into w (and the fault map, if map) until alive(arg) is false, a
 * signal or --duration; then the last events, the lost count and the
 * names. @forked: w->pid is pfstat's own child, whose mappings before its
 * exec are pfstat's. 0 or an exit code. */
int pfs_where_session(const struct pfs_cfg *cfg, struct pfs_tracer *t,
		      struct pfs_where *w, struct pfs_fmap *map, bool forked,
		      bool (*alive)(void *), void *arg);
void pfs_where_write(const struct pfs_cfg *cfg, const struct pfs_where *w,
		     FILE *f);
/* where -p and plot map: trace process pid (-p's selection) into w, and
 * the fault map if map, until it exits, a signal or --duration. 0 or an
 * exit code; w is to be freed either way. */
int pfs_where_pid(const struct pfs_cfg *cfg, int pid, struct pfs_where *w,
		  struct pfs_fmap *map);
int pfs_cmd_reset(const struct pfs_cfg *cfg);

/*
 * pfstat plot map|hist|rates (plot_cmd.c). check_path: 0 if path names a
 * picture (.png, .svg), else exit 2 with the option (opt) named.
 * map_write: the data (--data) and the fault map of process pid (who: its
 * name or command line) to path; 0 or an exit code, the error said.
 */
int pfs_cmd_plot(const struct pfs_cfg *cfg, const char *what);
int pfs_plot_check_path(const char *path, const char *opt);
int pfs_plot_map_write(const struct pfs_cfg *cfg, const char *path,
		       const struct pfs_fmap *m, const char *who, int pid,
		       double seconds);

#endif /* PFSTAT_APP_H */
