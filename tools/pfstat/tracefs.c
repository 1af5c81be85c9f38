// SPDX-License-Identifier: GPL-2.0
/*
 * The only file that talks to libtracefs and libtraceevent. A tracer is
 * a tracefs instance of its own, "pfstat-<pid>", so other tracing users
 * (perf, trace-cmd, a bpftrace script) never see its settings nor it
 * theirs: the module's events are enabled there with the filters of
 * tracecfg.c, at the buffer size asked for, and the instance is removed
 * when the tracer is closed. Records are decoded into struct pfs_event
 * by field name, from the event's format file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "app.h"

#define PFS_SYSTEM	"pagefault_stats"

/* The fields pfstat reads, looked up once by name. */
enum {
	F_TGID, F_PID, F_ADDRESS, F_FLAGS, F_RET, F_RESULT, F_CAUSE, F_NS,
	F_DEV, F_INO, F_PGOFF, F_NFAULT
};
static const char *const pfs_fault_fields[F_NFAULT] = {
	"tgid", "pid", "address", "flags", "ret", "result", "cause", "ns",
	"dev", "ino", "pgoff",
};

enum { I_TGID, I_PID, I_ADDRESS, I_IP, I_ERROR_CODE, I_KIND, I_USER, I_NINV };
static const char *const pfs_invalid_fields[I_NINV] = {
	"tgid", "pid", "address", "ip", "error_code", "kind", "user",
};

struct pfs_tracer {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct tep_event *fault, *invalid;
	struct tep_format_field *ff[F_NFAULT], *fi[I_NINV];
	bool want_invalid;
	uint64_t missed;		/* records' missed_events */
	pfs_event_fn fn;
	void *arg;
	int stop;			/* the callback asked to stop */
};

static uint64_t pfs_num(struct tep_format_field *f, const struct tep_record *r)
{
	unsigned long long v = 0;

	if (f && tep_read_number_field(f, r->data, &v))
		v = 0;
	return v;
}

static const char *pfs_str(struct tep_format_field *f,
			   const struct tep_record *r, size_t *n)
{
	if (!f || (int)(f->offset + f->size) > r->size) {
		*n = 0;
		return NULL;
	}
	*n = (size_t)f->size;
	return (const char *)r->data + f->offset;
}

static void pfs_decode_fault(struct pfs_tracer *t, const struct tep_record *r,
			     struct pfs_event *e)
{
	struct tep_format_field **f = t->ff;
	const char *s;
	size_t n;

	e->type = PFS_EV_FAULT;
	e->tgid = (int)pfs_num(f[F_TGID], r);
	e->pid = (int)pfs_num(f[F_PID], r);
	e->address = pfs_num(f[F_ADDRESS], r);
	e->flags = (unsigned int)pfs_num(f[F_FLAGS], r);
	e->ret = (unsigned int)pfs_num(f[F_RET], r);
	s = pfs_str(f[F_RESULT], r, &n);
	e->result = pfs_result_of(s, n);
	s = pfs_str(f[F_CAUSE], r, &n);
	e->cause = pfs_cause_of(s, n);
	e->ns = pfs_num(f[F_NS], r);
	e->dev = (uint32_t)pfs_num(f[F_DEV], r);
	e->ino = pfs_num(f[F_INO], r);
	e->pgoff = pfs_num(f[F_PGOFF], r);
}

static void pfs_decode_invalid(struct pfs_tracer *t, const struct tep_record *r,
			       struct pfs_event *e)
{
	struct tep_format_field **f = t->fi;
	const char *s;
	size_t n;

	e->type = PFS_EV_INVALID;
	e->tgid = (int)pfs_num(f[I_TGID], r);
	e->pid = (int)pfs_num(f[I_PID], r);
	e->address = pfs_num(f[I_ADDRESS], r);
	e->ip = pfs_num(f[I_IP], r);
	e->error_code = pfs_num(f[I_ERROR_CODE], r);
	s = pfs_str(f[I_KIND], r, &n);
	e->kind = pfs_ikind_of(s, n);
	e->user = pfs_num(f[I_USER], r) != 0;
}

static int pfs_record(struct tep_event *ev, struct tep_record *r, int cpu,
		      void *arg)
{
	struct pfs_tracer *t = arg;
	struct pfs_event e;

	if (r->missed_events > 0)
		t->missed = pfs_add_sat(t->missed, (uint64_t)r->missed_events);
	memset(&e, 0, sizeof(e));
	if (ev == t->fault || (ev && t->fault && ev->id == t->fault->id))
		pfs_decode_fault(t, r, &e);
	else if (t->invalid && ev && ev->id == t->invalid->id)
		pfs_decode_invalid(t, r, &e);
	else
		return 0;
	e.cpu = cpu;
	e.ts = r->ts;
	if (t->fn(&e, t->arg)) {
		t->stop = 1;
		return 1;
	}
	return 0;
}

/* Why the module's fault event is not there; an exit code. */
static int pfs_events_missing(void)
{
	struct stat st;

	if (stat(PFS_PROC_FILE, &st))
		fprintf(stderr, "pfstat: the pagefault_stats module is not loaded (sudo modprobe pagefault_stats)\n");
	else
		fprintf(stderr, "pfstat: the loaded pagefault_stats module has no trace events (tracefs events/" PFS_SYSTEM "/fault): it is older than this pfstat\n");
	return PFS_EXIT_ENV;
}

/* The module's events in the top-level events/ (they are the same in
 * every instance): 0, or an exit code with the reason said. */
static int pfs_events_present(void)
{
	if (tracefs_event_file_exists(NULL, PFS_SYSTEM, "fault", "format"))
		return 0;
	return pfs_events_missing();
}

static int pfs_find_fields(struct tep_event *ev, const char *const *names,
			   size_t n, struct tep_format_field **out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[i] = tep_find_field(ev, names[i]);
		if (!out[i]) {
			fprintf(stderr, "pfstat: the module's %s event has no field '%s': it is older than this pfstat\n",
				ev->name, names[i]);
			return PFS_EXIT_ENV;
		}
	}
	return 0;
}

/* The events' formats, from the top-level tracing directory. */
static int pfs_load_formats(struct pfs_tracer *t)
{
	const char *systems[] = { PFS_SYSTEM, NULL };
	int r;

	t->tep = tracefs_local_events_system(NULL, systems);
	if (!t->tep) {
		fprintf(stderr, "pfstat: cannot read the formats of the " PFS_SYSTEM " events\n");
		return PFS_EXIT_ENV;
	}
	t->fault = tep_find_event_by_name(t->tep, PFS_SYSTEM, "fault");
	t->invalid = tep_find_event_by_name(t->tep, PFS_SYSTEM, "invalid");
	if (!t->fault)
		return pfs_events_missing();
	r = pfs_find_fields(t->fault, pfs_fault_fields, F_NFAULT, t->ff);
	if (!r && t->invalid)
		r = pfs_find_fields(t->invalid, pfs_invalid_fields, I_NINV, t->fi);
	return r;
}

static int pfs_set_filter(struct pfs_tracer *t, const char *event,
			  const char *filter)
{
	if (!*filter)
		return 0;
	if (tracefs_event_file_write(t->inst, PFS_SYSTEM, event, "filter",
				     filter) < 0) {
		fprintf(stderr, "pfstat: the kernel refused the filter of %s:%s '%s': %s\n",
			PFS_SYSTEM, event, filter, strerror(errno));
		return PFS_EXIT_ENV;
	}
	return 0;
}

static int pfs_enable(struct pfs_tracer *t, const char *event)
{
	if (tracefs_event_enable(t->inst, PFS_SYSTEM, event)) {
		fprintf(stderr, "pfstat: cannot enable %s:%s in instance %s: %s\n",
			PFS_SYSTEM, event, tracefs_instance_get_name(t->inst),
			strerror(errno));
		return PFS_EXIT_ENV;
	}
	return 0;
}

/* Filters, then the buffer size, then the events on. */
static int pfs_configure(struct pfs_tracer *t, const struct pfs_trace_sel *sel,
			 unsigned long buffer_kb)
{
	char filter[4096];
	int r;

	if (!tracefs_event_file_exists(t->inst, PFS_SYSTEM, "fault", "enable"))
		return pfs_events_missing();
	if (pfs_filter_fault(sel, filter, sizeof(filter))) {
		fprintf(stderr, "pfstat: the selection does not make a kernel filter (too many pids, or a comm with a quote)\n");
		return PFS_EXIT_ENV;
	}
	r = pfs_set_filter(t, "fault", filter);
	if (r)
		return r;
	t->want_invalid = t->invalid && pfs_want_invalid(sel);
	if (t->want_invalid) {
		pfs_filter_invalid(sel, filter, sizeof(filter));
		r = pfs_set_filter(t, "invalid", filter);
		if (r)
			return r;
	}
	if (buffer_kb &&
	    tracefs_instance_set_buffer_size(t->inst, buffer_kb, -1) < 0) {
		fprintf(stderr, "pfstat: cannot set the buffer size to %lu KiB: %s\n",
			buffer_kb, strerror(errno));
		return PFS_EXIT_ENV;
	}
	r = pfs_enable(t, "fault");
	if (!r && t->want_invalid)
		r = pfs_enable(t, "invalid");
	return r;
}

static int pfs_tracefs_ready(void)
{
	const char *dir = NULL;

	if (geteuid() != 0) {
		fprintf(stderr, "pfstat: tracing needs root (a tracefs instance of its own): run with sudo\n");
		return PFS_EXIT_ENV;
	}
	/* Not mounted for us: pfstat leaves the system as it found it. */
	if (tracefs_tracing_dir_is_mounted(false, &dir) != 1 || !tracefs_tracing_dir()) {
		fprintf(stderr, "pfstat: tracefs is not mounted (sudo mount -t tracefs nodev /sys/kernel/tracing)\n");
		return PFS_EXIT_ENV;
	}
	return pfs_events_present();
}

int pfs_tracer_open(struct pfs_tracer **tp, const struct pfs_trace_sel *sel,
		    unsigned long buffer_kb)
{
	struct pfs_tracer *t;
	char name[64];
	int r;

	*tp = NULL;
	r = pfs_tracefs_ready();
	if (r)
		return r;
	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "pfstat: out of memory\n");
		return PFS_EXIT_ENV;
	}
	r = pfs_load_formats(t);
	if (r)
		goto free_tracer;
	snprintf(name, sizeof(name), "pfstat-%d", (int)getpid());
	t->inst = tracefs_instance_create(name);
	if (!t->inst) {
		fprintf(stderr, "pfstat: cannot create the tracefs instance %s: %s\n",
			name, strerror(errno));
		r = PFS_EXIT_ENV;
		goto free_tracer;
	}
	r = pfs_configure(t, sel, buffer_kb);
	if (r)
		goto destroy_instance;
	*tp = t;
	return 0;
destroy_instance:
	tracefs_instance_destroy(t->inst);
	tracefs_instance_free(t->inst);
free_tracer:
	if (t->tep)
		tep_free(t->tep);
	free(t);
	return r;
}

int pfs_tracer_read(struct pfs_tracer *t, pfs_event_fn fn, void *arg)
{
	t->fn = fn;
	t->arg = arg;
	t->stop = 0;
	if (tracefs_iterate_raw_events(t->tep, t->inst, NULL, 0, pfs_record, t) < 0 &&
	    !t->stop)
		return -1;
	return t->stop;
}

/* The events the ring buffer lost: the instance's per-CPU stats, or the
 * records' missed_events if those say more. */
uint64_t pfs_tracer_lost(struct pfs_tracer *t)
{
	uint64_t lost = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF), cpu;

	for (cpu = 0; cpu < ncpu && cpu < 8192; cpu++) {
		char file[64], *text;

		snprintf(file, sizeof(file), "per_cpu/cpu%ld/stats", cpu);
		text = tracefs_instance_file_read(t->inst, file, NULL);
		if (!text)
			continue;
		lost = pfs_add_sat(lost, pfs_stats_lost(text, strlen(text)));
		free(text);
	}
	return lost > t->missed ? lost : t->missed;
}

void pfs_tracer_stop(struct pfs_tracer *t)
{
	tracefs_event_disable(t->inst, PFS_SYSTEM, NULL);
}

void pfs_tracer_close(struct pfs_tracer *t)
{
	if (!t)
		return;
	tracefs_event_disable(t->inst, PFS_SYSTEM, NULL);
	if (tracefs_instance_destroy(t->inst))
		fprintf(stderr, "pfstat: could not remove the tracefs instance %s: %s\n",
			tracefs_instance_get_name(t->inst), strerror(errno));
	tracefs_instance_free(t->inst);
	tep_free(t->tep);
	free(t);
}
