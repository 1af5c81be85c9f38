// SPDX-License-Identifier: GPL-2.0
/*
 * The where report's aggregation. A file or shmem fault carries dev:ino
 * and pgoff, so its row is its file whether or not a maps snapshot ever
 * showed the mapping; an anonymous fault only has its address, which the
 * union of snapshots places in [heap], [stack], an anonymous region, or
 * nowhere. Rows are sorted majors first, then by total.
 */
#include <stdlib.h>
#include <string.h>

#include "where.h"

void pfs_where_init(struct pfs_where *w, int pid)
{
	memset(w, 0, sizeof(*w));
	w->pid = pid;
}

uint64_t pfs_where_total(const struct pfs_where_row *r)
{
	return r->minor + r->major;
}

static struct pfs_where_row *pfs_where_new(struct pfs_where *w)
{
	struct pfs_where_row *r;

	if (w->nrows == w->rowcap) {
		size_t ncap = w->rowcap ? w->rowcap * 2 : 16;

		r = realloc(w->rows, ncap * sizeof(*r));
		if (!r)
			return NULL;
		w->rows = r;
		w->rowcap = ncap;
	}
	r = &w->rows[w->nrows++];
	memset(r, 0, sizeof(*r));
	return r;
}

static struct pfs_where_row *pfs_where_file(struct pfs_where *w, uint32_t dev,
					    uint64_t ino, enum pfs_cause cause)
{
	struct pfs_where_row *r;
	size_t i;

	for (i = 0; i < w->nrows; i++)
		if (w->rows[i].kind == PFS_W_FILE && w->rows[i].dev == dev &&
		    w->rows[i].ino == ino)
			return &w->rows[i];
	r = pfs_where_new(w);
	if (r) {
		r->kind = PFS_W_FILE;
		r->cause = cause;
		r->dev = dev;
		r->ino = ino;
	}
	return r;
}

/*
 * execve() copies the new program's arguments and environment into a
 * one-page stack it maps at the top of the user address space
 * (__bprm_mm_init(): STACK_TOP_MAX less a page), then moves that stack
 * down (setup_arg_pages()): no maps snapshot ever shows the page, but its
 * faults are the exec'ing process's. x86-64, 4- and 5-level page tables.
 */
static const struct pfs_map *pfs_exec_args(uint64_t addr)
{
	static char name[] = "[exec args]";
	static const struct pfs_map args[] = {
		{ 0x7fffffffe000ULL, 0x7ffffffff000ULL, 0, 0, 0, "", name, 0 },
		{ 0xffffffffffe000ULL, 0xfffffffffff000ULL, 0, 0, 0, "", name, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		if (addr >= args[i].start && addr < args[i].end)
			return &args[i];
	return NULL;
}

/*
 * The [stack] an address in no snapshot's mapping belongs to: the stack
 * grows down (VM_GROWSDOWN) between two snapshots, up to RLIMIT_STACK, and
 * a fault refused in its guard gap (stack_guard_gap, 1 MiB by default) below
 * that is a stack overflow: both are the stack's, if the stack is the next
 * mapping above.
 */
#define PFS_STACK_GUARD_GAP	(1ULL << 20)
#define PFS_STACK_DEFAULT	(8ULL << 20)

static const struct pfs_map *pfs_stack_growth(const struct pfs_where *w,
					      const struct pfs_maps *u,
					      uint64_t addr)
{
	const struct pfs_map *above = pfs_maps_find_above(u, addr);
	uint64_t limit = w->stack_limit ? w->stack_limit : PFS_STACK_DEFAULT;
	uint64_t size;

	if (!above || !above->path || strcmp(above->path, "[stack]"))
		return NULL;
	size = above->end - addr;	/* the stack's, down to addr */
	if (size > limit && size - limit > PFS_STACK_GUARD_GAP)
		return NULL;
	return above;
}

const struct pfs_map *pfs_where_map_of(const struct pfs_where *w,
				       const struct pfs_maps *u, uint64_t addr)
{
	const struct pfs_map *m = pfs_maps_find_addr(u, addr);

	if (!m)
		m = pfs_stack_growth(w, u, addr);
	if (!m)
		m = pfs_exec_args(addr);
	return m;
}

/* The row of an address: its file, a named region, an anonymous one. */
static struct pfs_where_row *pfs_where_addr(struct pfs_where *w,
					    const struct pfs_maps *u,
					    uint64_t addr)
{
	const struct pfs_map *m = pfs_where_map_of(w, u, addr);
	enum pfs_where_kind kind;
	struct pfs_where_row *r;
	size_t i;

	if (m && pfs_map_is_file(m))
		return pfs_where_file(w, m->dev, m->ino, PFS_C_FILE);
	kind = !m ? PFS_W_UNMAPPED : m->path ? PFS_W_NAMED : PFS_W_ANON;
	for (i = 0; i < w->nrows; i++) {
		r = &w->rows[i];
		if (r->kind != kind)
			continue;
		if (kind == PFS_W_UNMAPPED ||
		    (kind == PFS_W_NAMED && !strcmp(r->name, m->path)) ||
		    (kind == PFS_W_ANON && r->start == m->start))
			goto found;
	}
	r = pfs_where_new(w);
	if (!r)
		return NULL;
	r->kind = kind;
	r->cause = PFS_C_ANON;
	if (m && m->path) {
		r->name = strdup(m->path);
		if (!r->name) {
			w->nrows--;
			return NULL;
		}
	}
found:
	if (m) {
		if (!r->start || m->start < r->start)
			r->start = m->start;
		if (m->end > r->end)
			r->end = m->end;
	}
	return r;
}

static int pfs_where_page(struct pfs_where_row *r, uint64_t pg)
{
	if (r->npg == r->pgcap) {
		size_t ncap = r->pgcap ? r->pgcap * 2 : 64;
		uint64_t *n = realloc(r->pg, ncap * sizeof(*n));

		if (!n)
			return -1;
		r->pg = n;
		r->pgcap = ncap;
	}
	r->pg[r->npg++] = pg;
	if (!r->any || pg < r->lo)
		r->lo = pg;
	if (!r->any || pg > r->hi)
		r->hi = pg;
	r->any = true;
	return 0;
}

static int pfs_where_fault(struct pfs_where *w, const struct pfs_maps *u,
			   const struct pfs_event *e)
{
	struct pfs_where_row *r;
	uint64_t pg;

	if (e->cause == PFS_C_FILE || e->cause == PFS_C_SHMEM) {
		r = pfs_where_file(w, e->dev, e->ino, e->cause);
		pg = e->pgoff;
	} else {
		r = pfs_where_addr(w, u, e->address);
		pg = e->address >> 12;
	}
	if (!r)
		return -1;
	switch (e->result) {
	case PFS_R_MINOR: r->minor++; break;
	case PFS_R_MAJOR: r->major++; break;
	case PFS_R_RETRY: r->retry++; break;
	default: r->errors++; break;
	}
	w->by_result[e->result]++;
	return pfs_where_page(r, pg);
}

static void pfs_where_list_invalid(struct pfs_where *w,
				   const struct pfs_event *e)
{
	struct pfs_where_invalid *v;

	if (w->ninv == PFS_WHERE_INVALID_MAX) {
		w->inv_more++;
		return;
	}
	v = &w->inv[w->ninv++];
	memset(v, 0, sizeof(*v));
	v->tgid = e->tgid;
	v->pid = e->pid;
	v->address = e->address;
	v->ip = e->ip;
	v->error_code = e->error_code;
	v->kind = e->kind;
	v->user = e->user;
}

static int pfs_where_invalid(struct pfs_where *w, const struct pfs_maps *u,
			     const struct pfs_event *e)
{
	struct pfs_where_row *r = pfs_where_addr(w, u, e->address);

	if (!r)
		return -1;
	r->invalid++;
	w->by_kind[e->kind]++;
	pfs_where_list_invalid(w, e);
	return 0;
}

int pfs_where_add(struct pfs_where *w, const struct pfs_maps *u,
		  const struct pfs_event *e)
{
	w->events++;
	if (e->type == PFS_EV_FAULT)
		return pfs_where_fault(w, u, e);
	return pfs_where_invalid(w, u, e);
}

static int pfs_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void pfs_where_count_pages(struct pfs_where_row *r)
{
	size_t i;

	r->pages = 0;
	if (!r->npg)
		return;
	qsort(r->pg, r->npg, sizeof(*r->pg), pfs_u64_cmp);
	for (i = 0; i < r->npg; i++)
		if (i == 0 || r->pg[i] != r->pg[i - 1])
			r->pages++;
}

/* Majors first, then the total, then invalid; ties by name for a stable
 * report. */
static int pfs_where_row_cmp(const void *a, const void *b)
{
	const struct pfs_where_row *x = a, *y = b;

	if (x->major != y->major)
		return x->major > y->major ? -1 : 1;
	if (pfs_where_total(x) != pfs_where_total(y))
		return pfs_where_total(x) > pfs_where_total(y) ? -1 : 1;
	if (x->invalid != y->invalid)
		return x->invalid > y->invalid ? -1 : 1;
	if (x->retry + x->errors != y->retry + y->errors)
		return x->retry + x->errors > y->retry + y->errors ? -1 : 1;
	if (!x->name || !y->name)
		return !x->name - !y->name;
	return strcmp(x->name, y->name);
}

/* The instruction of an invalid access: a file and offset, if mapped. */
static int pfs_where_ip(struct pfs_where_invalid *v, const struct pfs_maps *u)
{
	const struct pfs_map *m;

	if (!v->user || PFS_KERNEL_ADDR(v->ip))
		return 0;
	m = pfs_maps_find_addr(u, v->ip);
	if (!m || !m->path)
		return 0;
	v->ip_file = strdup(m->path);
	v->ip_offset = v->ip - m->start + m->offset;
	return v->ip_file ? 0 : -1;
}

int pfs_where_finish(struct pfs_where *w, const struct pfs_maps *u)
{
	size_t i;

	for (i = 0; i < w->nrows; i++) {
		struct pfs_where_row *r = &w->rows[i];
		const struct pfs_map *m;

		pfs_where_count_pages(r);
		if (r->kind != PFS_W_FILE || r->name)
			continue;
		m = pfs_maps_find_file(u, r->dev, r->ino);
		if (m) {
			r->name = strdup(m->path);
			if (!r->name)
				return -1;
		}
	}
	if (w->nrows)
		qsort(w->rows, w->nrows, sizeof(*w->rows), pfs_where_row_cmp);
	for (i = 0; i < w->ninv; i++)
		if (!w->inv[i].ip_file && pfs_where_ip(&w->inv[i], u))
			return -1;
	return 0;
}

void pfs_where_free(struct pfs_where *w)
{
	size_t i;

	for (i = 0; i < w->nrows; i++) {
		free(w->rows[i].name);
		free(w->rows[i].pg);
	}
	for (i = 0; i < w->ninv; i++)
		free(w->inv[i].ip_file);
	free(w->rows);
	w->rows = NULL;
	w->nrows = w->rowcap = w->ninv = 0;
}
