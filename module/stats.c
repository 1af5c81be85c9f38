// SPDX-License-Identifier: GPL-2.0
/*
 * Global totals, latency histograms, and the text of every document the
 * module publishes (docs/format.md).
 *
 * Totals are per-CPU and only ever grow, so the fault path writes no shared
 * cache line; a reset records a baseline that readers subtract.
 */
#include <linux/kprobes.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "pfs.h"

const char * const pfs_ctr_names[PFS_NR_CTRS] = {
	[PFS_MINOR]		= "minor",
	[PFS_MAJOR]		= "major",
	[PFS_RETRY]		= "retry",
	[PFS_SEGV_MAPERR]	= "segv_maperr",
	[PFS_SEGV_ACCERR]	= "segv_accerr",
	[PFS_SEGV_PKUERR]	= "segv_pkuerr",
	[PFS_SIGBUS]		= "sigbus",
	[PFS_OOM]		= "oom",
	[PFS_EFAULT]		= "efault",
	[PFS_HWPOISON]		= "hwpoison",
	[PFS_SEGV_MM]		= "segv_mm",
	[PFS_REMOTE]		= "remote",
	[PFS_FAULT_NS]		= "fault_ns",
	[PFS_FILE_MINOR]	= "file_minor",
	[PFS_FILE_MAJOR]	= "file_major",
	[PFS_SHMEM_MINOR]	= "shmem_minor",
	[PFS_SHMEM_MAJOR]	= "shmem_major",
	[PFS_WRITE]		= "write",
	[PFS_EXEC]		= "exec",
};

static const char * const pfs_hist_names[PFS_NR_HIST] = {
	[PFS_HIST_MINOR]	= "minor",
	[PFS_HIST_MAJOR]	= "major",
	[PFS_HIST_RETRY]	= "retry",
};

DEFINE_PER_CPU(struct pfs_cpu, pfs_cpu);
static struct pfs_cpu *pfs_base;	/* sums at the last reset */
static DEFINE_MUTEX(pfs_base_mutex);

/* Sum every CPU's figures into @sum, the histograms' extra slot folded in. */
static void pfs_sum(struct pfs_cpu *sum)
{
	int cpu, i, k;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct pfs_cpu *c = per_cpu_ptr(&pfs_cpu, cpu);

		for (i = 0; i < PFS_NR_PROC_CTRS; i++)
			sum->ctr[i] += READ_ONCE(c->ctr[i]);
		sum->dropped += READ_ONCE(c->dropped);
		for (k = 0; k < PFS_NR_HIST; k++)
			for (i = 0; i < PFS_HIST_SLOTS; i++)
				sum->hist[k][min(i, PFS_HIST_BUCKETS - 1)] +=
					READ_ONCE(c->hist[k][i]);
	}
}

/* Current figures less the baseline. Process context. */
static struct pfs_cpu *pfs_current(void)
{
	struct pfs_cpu *cur = kvmalloc(sizeof(*cur), GFP_KERNEL);
	int i, k;

	if (!cur)
		return NULL;
	pfs_sum(cur);
	mutex_lock(&pfs_base_mutex);
	for (i = 0; i < PFS_NR_PROC_CTRS; i++)
		cur->ctr[i] -= pfs_base->ctr[i];
	cur->dropped -= pfs_base->dropped;
	for (k = 0; k < PFS_NR_HIST; k++)
		for (i = 0; i < PFS_HIST_BUCKETS; i++)
			cur->hist[k][i] -= pfs_base->hist[k][i];
	mutex_unlock(&pfs_base_mutex);
	return cur;
}

void pfs_stats_reset(void)
{
	mutex_lock(&pfs_base_mutex);
	pfs_sum(pfs_base);
	mutex_unlock(&pfs_base_mutex);
}

void pfs_totals(struct pfs_totals *t)
{
	struct pfs_cpu *cur = pfs_current();

	memset(t, 0, sizeof(*t));
	if (cur) {
		memcpy(t->ctr, cur->ctr, sizeof(t->ctr));
		t->dropped = cur->dropped;
		kvfree(cur);
	}
	t->evicted = pfs_table_evicted();
	t->nmissed = pfs_probes_nmissed();
	t->procs = pfs_table_count();
}

/* comm, escaped so it is always exactly one whitespace-free field. */
void pfs_show_comm(struct seq_file *m, const char *comm)
{
	const unsigned char *c = (const unsigned char *)comm;

	if (!*c) {
		seq_puts(m, "\\000");
		return;
	}
	for (; *c; c++) {
		if (*c <= ' ' || *c == 0x7f || *c == '\\')
			seq_printf(m, "\\%03o", *c);
		else
			seq_putc(m, *c);
	}
}

/*
 * In light mode nothing counts minor and major faults as they happen: their
 * totals are the sums over the rows shown.
 */
static void pfs_light_totals(struct pfs_totals *t, const struct pfs_snapshot *s)
{
	size_t i;

	t->ctr[PFS_MINOR] = 0;
	t->ctr[PFS_MAJOR] = 0;
	for (i = 0; i < s->nr; i++) {
		t->ctr[PFS_MINOR] += s->rows[i].ctr[PFS_MINOR];
		t->ctr[PFS_MAJOR] += s->rows[i].ctr[PFS_MAJOR];
	}
}

static void pfs_show_head(struct seq_file *m, const struct pfs_snapshot *s,
			  bool detail)
{
	struct pfs_totals t;
	int i;

	pfs_totals(&t);
	if (pfs_light())
		pfs_light_totals(&t, s);
	seq_printf(m, "pagefault_stats %d\n", PFS_FORMAT_VERSION);
	seq_printf(m, "enabled %d\n", pfs_is_enabled());
	seq_printf(m, "mode %s\n", pfs_probes_mode());
	for (i = 0; i < PFS_NR_PROC_CTRS; i++)
		seq_printf(m, "%s %llu\n", pfs_ctr_names[i], t.ctr[i]);
	seq_printf(m, "nmissed %llu\n", t.nmissed);
	seq_printf(m, "dropped %llu\n", t.dropped);
	seq_printf(m, "evicted %llu\n", t.evicted);
	seq_printf(m, "procs %u\n", t.procs);
	seq_printf(m, "max_procs %u\n\n", pfs_max_procs);

	seq_puts(m, "pid comm state");
	for (i = 0; i < PFS_NR_PROC_CTRS; i++)
		seq_printf(m, " %s", pfs_ctr_names[i]);
	seq_puts(m, " start_time ppid");
	if (detail)
		seq_puts(m, " anon_minor anon_major file_minor file_major shmem_minor shmem_major read write exec fault_max_ns");
	seq_putc(m, '\n');
}

/* Clock ticks since boot, as field 22 of /proc/<pid>/stat. */
static u64 pfs_ticks(u64 ns)
{
	return div_u64(ns, NSEC_PER_SEC / USER_HZ);
}

static void pfs_show_row(struct seq_file *m, const struct pfs_row *r,
			 bool detail)
{
	const u64 *c = r->ctr;
	u64 counted = c[PFS_MINOR] + c[PFS_MAJOR];
	int i;

	seq_put_decimal_ull(m, "", r->tgid);
	seq_putc(m, ' ');
	pfs_show_comm(m, r->comm);
	seq_puts(m, r->exited ? " exited" : " alive");
	for (i = 0; i < PFS_NR_PROC_CTRS; i++)
		seq_put_decimal_ull(m, " ", c[i]);
	seq_put_decimal_ull(m, " ", pfs_ticks(r->start_ns));
	seq_put_decimal_ull(m, " ", r->ppid);
	if (detail) {
		seq_put_decimal_ull(m, " ", c[PFS_MINOR] - c[PFS_FILE_MINOR] -
				    c[PFS_SHMEM_MINOR]);
		seq_put_decimal_ull(m, " ", c[PFS_MAJOR] - c[PFS_FILE_MAJOR] -
				    c[PFS_SHMEM_MAJOR]);
		seq_put_decimal_ull(m, " ", c[PFS_FILE_MINOR]);
		seq_put_decimal_ull(m, " ", c[PFS_FILE_MAJOR]);
		seq_put_decimal_ull(m, " ", c[PFS_SHMEM_MINOR]);
		seq_put_decimal_ull(m, " ", c[PFS_SHMEM_MAJOR]);
		seq_put_decimal_ull(m, " ", counted - c[PFS_WRITE] - c[PFS_EXEC]);
		seq_put_decimal_ull(m, " ", c[PFS_WRITE]);
		seq_put_decimal_ull(m, " ", c[PFS_EXEC]);
		seq_put_decimal_ull(m, " ", r->max_ns);
	}
	seq_putc(m, '\n');
}

/*
 * The document is a seq_file over a snapshot taken at open: position 0 is
 * the head (version, totals, header row), position n the n-th row.
 */
struct pfs_doc {
	struct pfs_snapshot *snap;
	bool detail;
};

static void *pfs_doc_start(struct seq_file *m, loff_t *pos)
{
	struct pfs_doc *d = m->private;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	if (*pos > d->snap->nr)
		return NULL;
	return d->snap->order[*pos - 1];
}

static void *pfs_doc_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return pfs_doc_start(m, pos);
}

static void pfs_doc_stop(struct seq_file *m, void *v)
{
}

static int pfs_doc_show(struct seq_file *m, void *v)
{
	struct pfs_doc *d = m->private;

	if (v == SEQ_START_TOKEN)
		pfs_show_head(m, d->snap, d->detail);
	else
		pfs_show_row(m, v, d->detail);
	return 0;
}

static const struct seq_operations pfs_doc_ops = {
	.start	= pfs_doc_start,
	.next	= pfs_doc_next,
	.stop	= pfs_doc_stop,
	.show	= pfs_doc_show,
};

int pfs_doc_open(struct file *file, bool detail)
{
	struct pfs_doc *d;

	d = __seq_open_private(file, &pfs_doc_ops, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->detail = detail;
	d->snap = pfs_table_snapshot();
	if (!d->snap) {
		seq_release_private(file_inode(file), file);
		return -ENOMEM;
	}
	return 0;
}

int pfs_doc_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct pfs_doc *d = m->private;

	kvfree(d->snap);
	return seq_release_private(inode, file);
}

void pfs_show_hist(struct seq_file *m)
{
	struct pfs_cpu *cur = pfs_current();
	int k, b;

	seq_printf(m, "pagefault_stats_hist %d\n", PFS_FORMAT_VERSION);
	seq_puts(m, "kind lo_ns hi_ns count\n");
	if (!cur)
		return;
	for (k = 0; k < PFS_NR_HIST; k++) {
		for (b = 0; b < PFS_HIST_BUCKETS; b++) {
			u64 lo = b ? 1ULL << (b - 1) : 0;

			if (!cur->hist[k][b])
				continue;
			seq_printf(m, "%s %llu %llu %llu\n", pfs_hist_names[k],
				   lo, 1ULL << b, cur->hist[k][b]);
		}
	}
	kvfree(cur);
}

int pfs_stats_init(void)
{
	pfs_base = kvzalloc(sizeof(*pfs_base), GFP_KERNEL);
	return pfs_base ? 0 : -ENOMEM;
}

void pfs_stats_exit(void)
{
	kvfree(pfs_base);
}
