// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat: command line. Options may come before or after the command
 * word (run, hist, reset, plot and its picture); for run, the first word
 * that is not an option (or everything after "--") is the command to run.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#ifndef PFSTAT_VERSION
#error "PFSTAT_VERSION: tools/Makefile defines it from module/pfs.h (scripts/version)"
#endif

static const char pfs_usage[] =
"Usage: pfstat [OPTIONS]                 table of processes and their faults\n"
"       pfstat [OPTIONS] -i SEC [-C N]   watch: deltas and rates per interval\n"
"       pfstat run [OPTIONS] [--] CMD [ARGS...]\n"
"                                        run CMD, report its faults, exit with its status\n"
"       pfstat run --where [OPTIONS] [--] CMD [ARGS...]\n"
"                                        run CMD, report its faults by mapping (root)\n"
"       pfstat trace [-p PID | -c COMM] [--major] [--errors] [OPTIONS]\n"
"                                        the module's fault events, one a line (root)\n"
"       pfstat where -p PID [-i SEC] [OPTIONS]\n"
"                                        a process's faults by mapping (root)\n"
"       pfstat hist [OPTIONS]            fault latency histograms (debugfs, root)\n"
"       pfstat plot map -p PID [-i SEC] -O FILE.png|FILE.svg\n"
"                                        a picture of a process's faults over time and\n"
"                                        its address space (root)\n"
"       pfstat plot hist -O FILE         the latency histograms as a picture (debugfs, root)\n"
"       pfstat plot rates -i SEC [-C N] [-n N] -O FILE\n"
"                                        the fault rates of the top processes over time\n"
"       pfstat run --plot FILE [OPTIONS] [--] CMD [ARGS...]\n"
"                                        run --where, and the command's fault map drawn\n"
"                                        to FILE (root)\n"
"       pfstat reset                     zero the module's counters (debugfs, root)\n"
"\n"
"Selection:\n"
"  -p, --pid PID[,PID...]   only these processes\n"
"  -c, --comm NAME          only processes whose command name is exactly NAME\n"
"      --alive              only running processes\n"
"      --exited             only processes that exited\n"
"  -s, --sort [+|-]COL      sort by COL: a column name (minor, major, retry,\n"
"                           segv_maperr, sigbus, efault, fault_ns, ...), or\n"
"                           total, invalid, time, thrash (refault_active),\n"
"                           pid, comm (default: total);\n"
"                           + ascending, - descending\n"
"  -n, --top N              show the first N rows (totals still cover all)\n"
"      --by comm|cgroup|parent\n"
"                           one row a group, summed: same command name, same\n"
"                           cgroup (path and memory pressure), or a process\n"
"                           with all its descendants\n"
"\n"
"Display:\n"
"  -o, --output FMT         text (default), json, csv or prometheus\n"
"  -O, --output-file FILE   write to FILE, replaced atomically (\"-\": stdout);\n"
"                           run writes its report to stderr by default\n"
"  -l, --long               every column the module publishes\n"
"  -x, --causes             read debugfs procs: faults by cause and access\n"
"                           (anon/file/shmem, read/write/exec); needs root\n"
"  -r, --raw                exact numbers and nanoseconds, no k/M units\n"
"  -i, --interval SEC       watch mode, one report every SEC seconds\n"
"  -C, --count N            watch mode: stop after N reports\n"
"  -a, --all                watch mode: list idle processes too\n"
"  -w, --width N            hist: bar width in characters\n"
"\n"
"Tracing (trace, where, run --where; tracefs, root):\n"
"      --major              only major faults\n"
"      --errors             only faults that failed (oom, sigbus, hwpoison,\n"
"                           segv) and invalid accesses\n"
"      --where              run: the report by mapping\n"
"      --duration SEC       stop after SEC seconds (where: also -i SEC)\n"
"  -C, --count N            trace: stop after N events\n"
"      --buffer-kb N        per-CPU ring buffer of pfstat's tracefs instance\n"
"\n"
"Pictures (plot to -O FILE, run --plot FILE; PNG or SVG by the file's name;\n"
"plot rates draws the -n N processes with the most faults, default 5):\n"
"      --plot FILE          run: draw the command's fault map to FILE\n"
"      --data FILE          also write the picture's data to FILE (CSV)\n"
"\n"
"Files:\n"
"      --proc-file PATH     read PATH instead of " PFS_PROC_FILE "\n"
"      --debugfs-dir DIR    use DIR instead of " PFS_DEBUGFS_DIR "\n"
"\n"
"  -h, --help               this help\n"
"  -V, --version            version and the format version it reads\n"
"\n"
"Exit status: 0 ok, 1 usage error, 2 module not loaded, permission denied,\n"
"unreadable file, no such process or no trace events; run exits with the command's status (128+N if killed\n"
"by signal N). See pfstat(1).\n";

enum {
	OPT_ALIVE = 256,
	OPT_EXITED,
	OPT_PROC_FILE,
	OPT_DEBUGFS_DIR,
	OPT_MAJOR,
	OPT_ERRORS,
	OPT_WHERE,
	OPT_DURATION,
	OPT_BUFFER_KB,
	OPT_BY,
	OPT_PLOT,
	OPT_DATA,
};

static const struct option pfs_longopts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "alive", no_argument, NULL, OPT_ALIVE },
	{ "exited", no_argument, NULL, OPT_EXITED },
	{ "sort", required_argument, NULL, 's' },
	{ "top", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "output-file", required_argument, NULL, 'O' },
	{ "long", no_argument, NULL, 'l' },
	{ "causes", no_argument, NULL, 'x' },
	{ "raw", no_argument, NULL, 'r' },
	{ "interval", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, 'C' },
	{ "all", no_argument, NULL, 'a' },
	{ "width", required_argument, NULL, 'w' },
	{ "proc-file", required_argument, NULL, OPT_PROC_FILE },
	{ "debugfs-dir", required_argument, NULL, OPT_DEBUGFS_DIR },
	{ "major", no_argument, NULL, OPT_MAJOR },
	{ "errors", no_argument, NULL, OPT_ERRORS },
	{ "where", no_argument, NULL, OPT_WHERE },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "buffer-kb", required_argument, NULL, OPT_BUFFER_KB },
	{ "by", required_argument, NULL, OPT_BY },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int pfs_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int pfs_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pfstat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'pfstat --help' for more information.\n", stderr);
	return PFS_EXIT_USAGE;
}

static int pfs_ulong_arg(const char *s, unsigned long *v)
{
	uint64_t n;

	if (pfs_parse_u64(s, strlen(s), &n) || n == 0 || n > 1000000000)
		return -1;
	*v = (unsigned long)n;
	return 0;
}

static int pfs_seconds_arg(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	if (end == s || *end || !(*v >= 0.01 && *v <= 86400.0))
		return -1;
	return 0;
}

/* Parse options from argv[optind]; 0 to go on, or an exit code + 1. */
static int pfs_parse_opts(int argc, char **argv, struct pfs_cfg *cfg)
{
	unsigned long n;
	int c;

	while ((c = getopt_long(argc, argv, "+p:c:s:n:o:O:lxri:C:aw:hV",
				pfs_longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (pfs_pids_parse(optarg, &cfg->sel.pids, &cfg->sel.npids))
				return 1 + pfs_usage_error("-p: not a list of process ids: '%s'", optarg);
			break;
		case 'c':
			if (!*optarg || strlen(optarg) > PFS_COMM_MAX)
				return 1 + pfs_usage_error("-c: not a command name: '%s'", optarg);
			cfg->sel.comm = optarg;
			break;
		case OPT_ALIVE:
			cfg->sel.alive = true;
			break;
		case OPT_EXITED:
			cfg->sel.exited = true;
			break;
		case 's':
			if (pfs_sort_parse(optarg, &cfg->sel.sort_key, &cfg->sel.sort_desc))
				return 1 + pfs_usage_error("-s: unknown column '%s'", optarg);
			break;
		case 'n':
			if (pfs_ulong_arg(optarg, &n))
				return 1 + pfs_usage_error("-n: not a positive number: '%s'", optarg);
			cfg->sel.top = n;
			break;
		case 'o':
			if (!strcmp(optarg, "text"))
				cfg->fmt = PFS_OUT_TEXT;
			else if (!strcmp(optarg, "json"))
				cfg->fmt = PFS_OUT_JSON;
			else if (!strcmp(optarg, "csv"))
				cfg->fmt = PFS_OUT_CSV;
			else if (!strcmp(optarg, "prometheus") || !strcmp(optarg, "prom"))
				cfg->fmt = PFS_OUT_PROM;
			else
				return 1 + pfs_usage_error("-o: unknown format '%s' (text, json, csv, prometheus)", optarg);
			break;
		case 'O':
			cfg->out_path = optarg;
			break;
		case 'l':
			cfg->wide = true;
			break;
		case 'x':
			cfg->causes = true;
			break;
		case 'r':
			cfg->raw = true;
			break;
		case 'i':
			if (pfs_seconds_arg(optarg, &cfg->interval))
				return 1 + pfs_usage_error("-i: not an interval in seconds (0.01 to 86400): '%s'", optarg);
			break;
		case 'C':
			if (pfs_ulong_arg(optarg, &cfg->count))
				return 1 + pfs_usage_error("-C: not a positive number: '%s'", optarg);
			break;
		case 'a':
			cfg->all = true;
			break;
		case 'w':
			if (pfs_ulong_arg(optarg, &n) || n > 1000)
				return 1 + pfs_usage_error("-w: not a width: '%s'", optarg);
			cfg->bar_width = (int)n;
			break;
		case OPT_PROC_FILE:
			cfg->proc_file = optarg;
			cfg->proc_file_set = true;
			break;
		case OPT_DEBUGFS_DIR:
			cfg->debugfs_dir = optarg;
			break;
		case OPT_MAJOR:
			cfg->major = true;
			break;
		case OPT_ERRORS:
			cfg->errors = true;
			break;
		case OPT_WHERE:
			cfg->where = true;
			break;
		case OPT_DURATION:
			if (pfs_seconds_arg(optarg, &cfg->duration))
				return 1 + pfs_usage_error("--duration: not a time in seconds (0.01 to 86400): '%s'", optarg);
			break;
		case OPT_BUFFER_KB:
			if (pfs_ulong_arg(optarg, &n) || n > (1ul << 22))
				return 1 + pfs_usage_error("--buffer-kb: not a size in KiB (1 to 4194304): '%s'", optarg);
			cfg->buffer_kb = n;
			break;
		case OPT_BY:
			if (pfs_by_parse(optarg, &cfg->by))
				return 1 + pfs_usage_error("--by: not comm, cgroup or parent: '%s'", optarg);
			break;
		case OPT_PLOT:
			cfg->plot_path = optarg;
			break;
		case OPT_DATA:
			cfg->data_path = optarg;
			break;
		case 'h':
			fputs(pfs_usage, stdout);
			return 1 + PFS_EXIT_OK;
		case 'V':
			printf("pfstat %s (reads pagefault_stats format %d, hist format %d)\n",
			       PFSTAT_VERSION, PFS_FORMAT_VERSION, PFS_HIST_VERSION);
			return 1 + PFS_EXIT_OK;
		default:
			fputs("Try 'pfstat --help' for more information.\n", stderr);
			return 1 + PFS_EXIT_USAGE;
		}
	}
	return 0;
}

/* Options that only tracing takes, on a command that does not trace. */
static int pfs_trace_opts_misplaced(const struct pfs_cfg *cfg, const char *cmd)
{
	bool run = cmd && !strcmp(cmd, "run");
	bool plot = cmd && !strcmp(cmd, "plot");
	bool tracing = cmd && (!strcmp(cmd, "trace") || !strcmp(cmd, "where") ||
			       (run && (cfg->where || cfg->plot_path)) ||
			       (plot && !strcmp(cfg->plot, "map")));

	if (cfg->where && !run)
		return pfs_usage_error("%s", "--where goes with run");
	if (cfg->plot_path && !run)
		return pfs_usage_error("%s", "--plot goes with run (pfstat plot draws to -O FILE)");
	if (cfg->data_path && !plot && !(run && cfg->plot_path))
		return pfs_usage_error("%s", "--data goes with plot or run --plot");
	if (tracing)
		return 0;
	if (cfg->major || cfg->errors || cfg->duration > 0 || cfg->buffer_kb)
		return pfs_usage_error("%s", "--major, --errors, --duration and --buffer-kb go with trace, where, run --where and plot map");
	return 0;
}

/* plot map|hist|rates: -i is map's duration and rates' interval. */
static int pfs_dispatch_plot(struct pfs_cfg *cfg)
{
	if (cfg->fmt != PFS_OUT_TEXT)
		return pfs_usage_error("%s", "plot draws a picture (-O FILE.png or .svg); its data: --data FILE (CSV)");
	if (!strcmp(cfg->plot, "rates")) {
		if (cfg->interval == 0)
			return pfs_usage_error("%s", "plot rates needs -i SEC");
		return pfs_cmd_plot(cfg, "rates");
	}
	if (cfg->count)
		return pfs_usage_error("plot %s does not take -C", cfg->plot);
	if (!strcmp(cfg->plot, "hist")) {
		if (cfg->interval > 0)
			return pfs_usage_error("%s", "plot hist does not take -i");
		return pfs_cmd_plot(cfg, "hist");
	}
	if (cfg->interval > 0)
		cfg->duration = cfg->interval;
	return pfs_cmd_plot(cfg, "map");
}

/* trace and where; -i is where's duration. */
static int pfs_dispatch_trace(struct pfs_cfg *cfg, const char *cmd)
{
	if (!strcmp(cmd, "trace")) {
		if (cfg->interval > 0)
			return pfs_usage_error("%s", "trace does not take -i (--duration SEC)");
		return pfs_cmd_trace(cfg);
	}
	if (cfg->count)
		return pfs_usage_error("%s", "where does not take -C");
	if (cfg->interval > 0)
		cfg->duration = cfg->interval;
	return pfs_cmd_where(cfg);
}

/* The command (run, hist, reset), watch (-i) or the table; its exit code. */
static int pfs_dispatch(struct pfs_cfg *cfg, const char *cmd, int argc,
			char **argv)
{
	int r = pfs_trace_opts_misplaced(cfg, cmd);

	if (r)
		return r;
	if (cfg->by != PFS_BY_NONE && cmd && strcmp(cmd, "show"))
		return pfs_usage_error("%s", "--by goes with the table and watch (-i), not with a command");
	if (cfg->by == PFS_BY_PARENT && cfg->fmt == PFS_OUT_PROM)
		return pfs_usage_error("%s", "-o prometheus --by parent: process trees nest and their pids churn; use --by comm or --by cgroup");
	if (cmd && !strcmp(cmd, "run")) {
		if (optind >= argc)
			return pfs_usage_error("%s", "run: no command given");
		if (cfg->interval > 0)
			return pfs_usage_error("%s", "run does not take -i");
		if (cfg->count)
			return pfs_usage_error("%s", "run does not take -C");
		if (cfg->plot_path) {
			r = pfs_plot_check_path(cfg->plot_path, "--plot");
			if (r)
				return r;
			cfg->where = true;
		}
		return pfs_cmd_run(cfg, argv + optind);
	}
	if (optind < argc)
		return pfs_usage_error("unexpected argument '%s'", argv[optind]);
	if (cmd && (!strcmp(cmd, "trace") || !strcmp(cmd, "where")))
		return pfs_dispatch_trace(cfg, cmd);
	if (cmd && !strcmp(cmd, "hist"))
		return pfs_cmd_hist(cfg);
	if (cmd && !strcmp(cmd, "plot"))
		return pfs_dispatch_plot(cfg);
	if (cmd && !strcmp(cmd, "reset"))
		return pfs_cmd_reset(cfg);
	if (cfg->interval > 0) {
		if (cfg->fmt == PFS_OUT_PROM)
			return pfs_usage_error("%s", "-o prometheus is a snapshot of totals: scrape it or run it from cron, not with -i");
		return pfs_cmd_watch(cfg);
	}
	return pfs_cmd_show(cfg);
}

/* Parse the options after the word at argv[optind]; as pfs_parse_opts. */
static int pfs_parse_after(int *argc, char ***argv, struct pfs_cfg *cfg)
{
	*argv += optind;
	*argc -= optind;
	(*argv)[0] = (char *)"pfstat";
	optind = 0;
	return pfs_parse_opts(*argc, *argv, cfg);
}

int main(int argc, char **argv)
{
	struct pfs_cfg cfg = {
		.proc_file = PFS_PROC_FILE,
		.debugfs_dir = PFS_DEBUGFS_DIR,
		.fmt = PFS_OUT_TEXT,
		.sel = { .sort_key = PFS_SORT_TOTAL, .sort_desc = true },
	};
	const char *cmd = NULL;
	int r;

	r = pfs_parse_opts(argc, argv, &cfg);
	if (r)
		return r - 1;
	if (optind < argc) {
		cmd = argv[optind];
		if (strcmp(cmd, "run") && strcmp(cmd, "hist") &&
		    strcmp(cmd, "reset") && strcmp(cmd, "show") &&
		    strcmp(cmd, "trace") && strcmp(cmd, "where") &&
		    strcmp(cmd, "plot"))
			return pfs_usage_error("unknown command '%s' (run, trace, where, hist, plot, reset)", cmd);
		/* Options after the command word. */
		r = pfs_parse_after(&argc, &argv, &cfg);
		if (r)
			return r - 1;
		/* plot's picture, then its options. */
		if (!strcmp(cmd, "plot")) {
			if (optind >= argc)
				return pfs_usage_error("%s", "plot: which picture? map, hist or rates");
			cfg.plot = argv[optind];
			if (strcmp(cfg.plot, "map") && strcmp(cfg.plot, "hist") &&
			    strcmp(cfg.plot, "rates"))
				return pfs_usage_error("plot: unknown picture '%s' (map, hist, rates)", cfg.plot);
			r = pfs_parse_after(&argc, &argv, &cfg);
			if (r)
				return r - 1;
		}
	}
	if (cfg.count && cfg.interval == 0 && !(cmd && !strcmp(cmd, "trace")) &&
	    !(cmd && !strcmp(cmd, "plot")))
		return pfs_usage_error("%s", "-C needs -i (or trace)");
	cfg.debugfs_procs = pfs_path_join(cfg.debugfs_dir, "procs");
	if (!cfg.debugfs_procs) {
		fprintf(stderr, "pfstat: out of memory\n");
		return PFS_EXIT_ENV;
	}
	r = pfs_dispatch(&cfg, cmd, argc, argv);
	free(cfg.debugfs_procs);
	free(cfg.sel.pids);
	return r;
}
