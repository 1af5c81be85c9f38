// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat trace's lines: an event as key=value text, the fields named as
 * in docs/format.md (the kernel's own printed format, with the time and
 * the CPU in front), or as one JSON object on a line.
 */
#include "out.h"

static void pfs_trace_ts(FILE *f, const struct pfs_event *e)
{
	fprintf(f, "%llu.%06llu cpu=%d ",
		(unsigned long long)(e->ts / 1000000000u),
		(unsigned long long)(e->ts % 1000000000u / 1000u), e->cpu);
}

void pfs_trace_text(FILE *f, const struct pfs_event *e)
{
	pfs_trace_ts(f, e);
	if (e->type == PFS_EV_INVALID) {
		fprintf(f, "invalid tgid=%d pid=%d address=0x%llx ip=0x%llx kind=%s mode=%s error_code=0x%llx\n",
			e->tgid, e->pid, (unsigned long long)e->address,
			(unsigned long long)e->ip, pfs_ikind_names[e->kind],
			e->user ? "user" : "kernel",
			(unsigned long long)e->error_code);
		return;
	}
	fprintf(f, "fault tgid=%d pid=%d address=0x%llx flags=0x%x result=%s cause=%s ns=%llu",
		e->tgid, e->pid, (unsigned long long)e->address, e->flags,
		pfs_result_names[e->result], pfs_cause_names[e->cause],
		(unsigned long long)e->ns);
	if (e->cause != PFS_C_ANON)
		fprintf(f, " dev=%u:%u ino=%llu pgoff=%llu", PFS_DEV_MAJOR(e->dev),
			PFS_DEV_MINOR(e->dev), (unsigned long long)e->ino,
			(unsigned long long)e->pgoff);
	fputc('\n', f);
}

/* Addresses as "0x..." strings (as /proc/PID/maps and the kernel print
 * them), the rest as numbers. */
struct json_object *pfs_trace_json(const struct pfs_event *e)
{
	struct json_object *o = json_object_new_object();
	char dev[24];

	if (!o)
		return NULL;
	pfs_json_add(o, "ts_ns", json_object_new_uint64(e->ts));
	pfs_json_add(o, "cpu", json_object_new_int(e->cpu));
	pfs_json_add(o, "event", json_object_new_string(
		e->type == PFS_EV_FAULT ? "fault" : "invalid"));
	pfs_json_add(o, "tgid", json_object_new_int(e->tgid));
	pfs_json_add(o, "pid", json_object_new_int(e->pid));
	pfs_json_add_hex(o, "address", e->address);
	if (e->type == PFS_EV_INVALID) {
		pfs_json_add_hex(o, "ip", e->ip);
		pfs_json_add(o, "kind", json_object_new_string(pfs_ikind_names[e->kind]));
		pfs_json_add(o, "user", json_object_new_boolean(e->user));
		pfs_json_add(o, "error_code", json_object_new_uint64(e->error_code));
		return o;
	}
	pfs_json_add(o, "flags", json_object_new_uint64(e->flags));
	pfs_json_add(o, "ret", json_object_new_uint64(e->ret));
	pfs_json_add(o, "result", json_object_new_string(pfs_result_names[e->result]));
	pfs_json_add(o, "cause", json_object_new_string(pfs_cause_names[e->cause]));
	pfs_json_add(o, "ns", json_object_new_uint64(e->ns));
	snprintf(dev, sizeof(dev), "%u:%u", PFS_DEV_MAJOR(e->dev),
		 PFS_DEV_MINOR(e->dev));
	pfs_json_add(o, "dev", json_object_new_string(dev));
	pfs_json_add(o, "ino", json_object_new_uint64(e->ino));
	pfs_json_add(o, "pgoff", json_object_new_uint64(e->pgoff));
	return o;
}
