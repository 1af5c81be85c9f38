// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat where -p PID [-i SEC]: the process's faults gathered into the
 * mappings they hit (where.c), its /proc/PID/maps read again at every
 * drain of the trace buffer so that a mapping gone before the end still
 * has its name. The session is shared with run --where (run.c), which
 * starts it before the command's first instruction.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "app.h"

struct pfs_where_ctx {
	struct pfs_where *w;
	struct pfs_fmap *map;
	struct pfs_maps *u;
	bool nomem;
};

static int pfs_where_event(const struct pfs_event *e, void *arg)
{
	struct pfs_where_ctx *c = arg;

	if (pfs_where_add(c->w, c->u, e) ||
	    (c->map && pfs_fmap_add(c->map, e)))
		c->nomem = true;
	return c->nomem;
}

/* Add the process's maps now to the union; quietly nothing once it is
 * gone (or a zombie: no maps). */
static int pfs_maps_snapshot(int pid, struct pfs_maps *u)
{
	struct pfs_maps snap;
	struct pfs_err e;
	char path[64], *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	if (pfs_read_file(path, &buf, &len))
		return 0;
	r = pfs_maps_parse(buf, len, &snap, &e);
	free(buf);
	if (r) {
		fprintf(stderr, "pfstat: %s:%u: %s\n", path, e.line, e.msg);
		return 0;
	}
	r = pfs_maps_merge(u, &snap);
	pfs_maps_free(&snap);
	return r;
}

/* How far the process's stack may grow, for where.c (0: unknown). */
static void pfs_where_stack_limit(struct pfs_where *w)
{
	struct rlimit rl;

	if (!prlimit(w->pid, RLIMIT_STACK, NULL, &rl))
		w->stack_limit = rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX :
				 (uint64_t)rl.rlim_cur;
}

int pfs_where_session(const struct pfs_cfg *cfg, struct pfs_tracer *t,
		      struct pfs_where *w, struct pfs_fmap *map, bool forked,
		      bool (*alive)(void *), void *arg)
{
	struct pfs_maps u = { 0 };
	struct pfs_where_ctx c = { .w = w, .map = map, .u = &u };
	double t0 = pfs_monotonic();
	int r = 0;

	/*
	 * Between the start of tracing and its exec the child runs pfstat's
	 * code in copies of pfstat's mappings, gone by the child's first
	 * snapshot: name them from pfstat's own (the child's are newer, and
	 * looked up first).
	 */
	if (forked && pfs_maps_snapshot(getpid(), &u))
		c.nomem = true;
	pfs_where_stack_limit(w);

	for (;;) {
		bool more = alive(arg);

		if (pfs_maps_snapshot(w->pid, &u))
			c.nomem = true;
		r = pfs_tracer_read(t, pfs_where_event, &c);
		if (r || c.nomem || !more || pfs_stop_requested() ||
		    (cfg->duration > 0 && pfs_monotonic() - t0 >= cfg->duration))
			break;
		pfs_poll_sleep();
	}
	pfs_tracer_stop(t);
	if (r >= 0 && !c.nomem)
		r = pfs_tracer_read(t, pfs_where_event, &c);
	w->duration = pfs_monotonic() - t0;
	w->lost = pfs_tracer_lost(t);
	if (!c.nomem && pfs_where_finish(w, &u))
		c.nomem = true;
	if (!c.nomem && map && pfs_fmap_finish(map, w, &u))
		c.nomem = true;
	pfs_maps_free(&u);
	if (c.nomem) {
		fprintf(stderr, "pfstat: out of memory\n");
		return PFS_EXIT_ENV;
	}
	if (r < 0) {
		fprintf(stderr, "pfstat: reading the trace buffer failed\n");
		return PFS_EXIT_ENV;
	}
	return 0;
}

void pfs_where_write(const struct pfs_cfg *cfg, const struct pfs_where *w,
		     FILE *f)
{
	struct json_object *o;

	switch (cfg->fmt) {
	case PFS_OUT_JSON:
		o = pfs_where_json(w);
		pfs_json_print(f, o, true);
		json_object_put(o);
		break;
	case PFS_OUT_CSV:
		pfs_where_csv(f, w);
		break;
	default:
		pfs_where_text(f, w);
		break;
	}
	if (w->lost)
		pfs_report_lost("where", w->events, w->lost);
}

static bool pfs_where_alive(void *arg)
{
	return pfs_pid_running(*(int *)arg);
}

int pfs_where_pid(const struct pfs_cfg *cfg, int pid, struct pfs_where *w,
		  struct pfs_fmap *map)
{
	struct pfs_trace_sel ts;
	struct pfs_tracer *t;
	int r;

	pfs_where_init(w, pid);
	pfs_trace_sel_of(cfg, &ts);
	pfs_stop_signals();
	r = pfs_tracer_open(&t, &ts, cfg->buffer_kb);
	if (r)
		return r;
	r = pfs_where_session(cfg, t, w, map, false, pfs_where_alive, &pid);
	pfs_tracer_close(t);
	return r;
}

int pfs_cmd_where(const struct pfs_cfg *cfg)
{
	struct pfs_where w;
	struct pfs_out out;
	int r;

	if (cfg->sel.npids != 1 || cfg->sel.comm) {
		fprintf(stderr, "pfstat: where needs exactly one process: -p PID\n");
		return PFS_EXIT_USAGE;
	}
	if (cfg->fmt == PFS_OUT_PROM) {
		fprintf(stderr, "pfstat: where writes text, json or csv (-o)\n");
		return PFS_EXIT_USAGE;
	}
	r = pfs_pids_exist(&cfg->sel);
	if (r)
		return r;
	r = pfs_where_pid(cfg, cfg->sel.pids[0], &w, NULL);
	if (!r && pfs_out_open(&out, cfg->out_path, stdout) == 0) {
		pfs_where_write(cfg, &w, out.f);
		pfs_out_close(&out, true);
	} else if (!r) {
		r = PFS_EXIT_ENV;
	}
	pfs_where_free(&w);
	return r;
}
