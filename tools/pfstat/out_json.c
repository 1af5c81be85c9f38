// SPDX-License-Identifier: GPL-2.0
/*
 * JSON through json-c: every string, escaping included, is the library's
 * work. A comm that is not UTF-8 goes out with U+FFFD in "comm" and
 * losslessly in "comm_escaped" (the format's octal escaping, applied
 * also to bytes >= 0x80 so that it is ASCII).
 */
#include <errno.h>
#include <string.h>

#include "out.h"

static void pfs_json_comm(struct json_object *o, const struct pfs_row *r)
{
	char u[PFS_COMM_UTF8_MAX], e[PFS_COMM_ESC_MAX];
	size_t ul = pfs_comm_utf8(r->comm, r->comm_len, u, sizeof(u));

	pfs_comm_escape_ascii(r->comm, r->comm_len, e, sizeof(e));
	json_object_object_add(o, "comm", json_object_new_string_len(u, (int)ul));
	json_object_object_add(o, "comm_escaped", json_object_new_string(e));
}

/*
 * A row: identity (pid, comm, state, start_time, ppid) and counters; a
 * value the kernel does not keep for the process (thrash_ns "-") is null.
 */
struct json_object *pfs_json_row(const struct pfs_table *t,
				 const struct pfs_row *r, bool with_identity)
{
	struct json_object *o = json_object_new_object();
	int c;

	if (!o)
		return NULL;
	if (with_identity) {
		json_object_object_add(o, "pid", json_object_new_int(r->pid));
		pfs_json_comm(o, r);
		json_object_object_add(o, "state", json_object_new_string(
			r->state == PFS_ALIVE ? "alive" : "exited"));
	}
	for (c = 0; c < PFS_NCOLS; c++) {
		if (!t->have[c])
			continue;
		if (!with_identity && !pfs_col_is_counter(c) &&
		    c != PFS_FAULT_MAX_NS)
			continue;
		json_object_object_add(o, pfs_col_names[c],
				       pfs_row_known(t->have, r, c) ?
				       json_object_new_uint64(r->v[c]) : NULL);
	}
	json_object_object_add(o, "invalid",
			       json_object_new_uint64(pfs_row_invalid(r)));
	return o;
}

/* The global block: numbers as numbers, other values as strings. */
struct json_object *pfs_json_globals(const struct pfs_table *t)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < t->nglobals; i++) {
		const struct pfs_global *g = &t->globals[i];

		json_object_object_add(o, g->key, g->numeric ?
				       json_object_new_uint64(g->num) :
				       json_object_new_string(g->val));
	}
	return o;
}

/* Watch: minor, major and each refault column per second ("<col>_per_s"). */
static void pfs_json_rates(struct json_object *o, const struct pfs_table *t,
			   const struct pfs_row *r, double elapsed)
{
	char key[40];
	int c;

	json_object_object_add(o, "minor_per_s",
			       json_object_new_double((double)r->v[PFS_MINOR] / elapsed));
	json_object_object_add(o, "major_per_s",
			       json_object_new_double((double)r->v[PFS_MAJOR] / elapsed));
	for (c = PFS_REFAULT_FIRST; c < PFS_REFAULT_END; c++) {
		if (!t->have[c])
			continue;
		snprintf(key, sizeof(key), "%s_per_s", pfs_col_names[c]);
		json_object_object_add(o, key, pfs_row_known(t->have, r, c) ?
				       json_object_new_double((double)r->v[c] / elapsed) :
				       NULL);
	}
}

static struct json_object *pfs_json_psi(const struct pfs_psi *p)
{
	struct json_object *o;
	int k;

	if (!p->have[PFS_PSI_SOME])
		return NULL;
	o = json_object_new_object();
	for (k = 0; k < PFS_PSI_NKINDS; k++) {
		struct json_object *x;

		if (!p->have[k])
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "avg10", json_object_new_double(p->avg10[k]));
		json_object_object_add(x, "avg60", json_object_new_double(p->avg60[k]));
		json_object_object_add(x, "avg300", json_object_new_double(p->avg300[k]));
		json_object_object_add(x, "total_us", json_object_new_uint64(p->total_us[k]));
		json_object_object_add(o, pfs_psi_kind_names[k], x);
	}
	return o;
}

/*
 * A group (--by): its key (comm; cgroup and cgroup_path; the head's
 * identity by parent), procs and alive, then the counters as in a row.
 */
static struct json_object *pfs_json_group(const struct pfs_view *v,
					  const struct pfs_row *r)
{
	const struct pfs_group *g = pfs_group_of(r);
	struct json_object *o, *c;
	char id[32];

	if (v->by == PFS_BY_PARENT) {
		o = pfs_json_row(v->t, r, true);
	} else {
		o = json_object_new_object();
		if (v->by == PFS_BY_COMM) {
			pfs_json_comm(o, r);
		} else {
			json_object_object_add(o, "cgroup",
					       json_object_new_uint64(r->v[PFS_CGROUP]));
			json_object_object_add(o, "cgroup_path", json_object_new_string(
				pfs_group_cgroup(g, id, sizeof(id))));
			json_object_object_add(o, "memory_pressure",
					       pfs_json_psi(&g->psi));
		}
	}
	json_object_object_add(o, "procs", json_object_new_uint64(g->nprocs));
	json_object_object_add(o, "alive", json_object_new_uint64(g->nalive));
	if (v->by != PFS_BY_PARENT) {
		c = pfs_json_row(v->t, r, false);
		json_object_object_foreach(c, key, val)
			json_object_object_add(o, key, json_object_get(val));
		json_object_put(c);
	}
	return o;
}

struct json_object *pfs_json_view(const struct pfs_view *v)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *procs = json_object_new_array();
	struct json_object *total;
	size_t i;

	json_object_object_add(doc, "format_version",
			       json_object_new_int((int)v->t->version));
	if (v->source)
		json_object_object_add(doc, "source",
				       json_object_new_string(v->source));
	json_object_object_add(doc, "timestamp",
			       json_object_new_double(v->timestamp));
	if (v->elapsed > 0) {
		json_object_object_add(doc, "interval",
				       json_object_new_uint64(v->interval));
		json_object_object_add(doc, "elapsed_s",
				       json_object_new_double(v->elapsed));
	}
	json_object_object_add(doc, "module", pfs_json_globals(v->t));
	if (v->by != PFS_BY_NONE)
		json_object_object_add(doc, "group_by",
				       json_object_new_string(pfs_by_name(v->by)));
	for (i = 0; i < v->n; i++) {
		struct json_object *r = v->by != PFS_BY_NONE ?
					pfs_json_group(v, v->rows[i]) :
					pfs_json_row(v->t, v->rows[i], true);

		if (v->elapsed > 0)
			pfs_json_rates(r, v->t, v->rows[i], v->elapsed);
		json_object_array_add(procs, r);
	}
	json_object_object_add(doc, v->by != PFS_BY_NONE ? "groups" : "processes",
			       procs);
	total = pfs_json_row(v->t, &v->total, false);
	json_object_object_add(total, "processes", json_object_new_uint64(
		v->by != PFS_BY_NONE ? v->nprocs : v->nsel));
	if (v->by != PFS_BY_NONE) {
		json_object_object_add(total, "alive",
				       json_object_new_uint64(v->nalive));
		json_object_object_add(total, "groups",
				       json_object_new_uint64(v->nsel));
	}
	if (v->elapsed > 0)
		pfs_json_rates(total, v->t, &v->total, v->elapsed);
	json_object_object_add(doc, "total", total);
	return doc;
}

/*
 * One document; pretty is for people, plain is one line (NDJSON). The
 * line goes out in one piece and is flushed, so an interrupted watch
 * still leaves only whole documents behind.
 */
void pfs_json_add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

/* Addresses as "0x..." strings: a JSON number need not hold 64 bits exactly. */
void pfs_json_add_hex(struct json_object *o, const char *k, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	pfs_json_add(o, k, json_object_new_string(buf));
}

int pfs_json_print(FILE *f, struct json_object *o, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			      JSON_C_TO_STRING_PLAIN);
	size_t len;
	const char *s = json_object_to_json_string_length(o, flags, &len);

	if (!s) {
		errno = ENOMEM;
		return -1;
	}
	if (fwrite(s, 1, len, f) != len || fputc('\n', f) == EOF ||
	    fflush(f))
		return -1;
	return 0;
}
