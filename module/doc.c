// SPDX-License-Identifier: GPL-2.0
/*
 * The text of every document the module publishes (docs/format.md): the
 * process table (/proc/pagefault_stats, and with detail columns debugfs
 * procs) and the latency histograms (debugfs hist).
 *
 * A table document is a seq_file over a snapshot taken at open: the
 * table's rows, brought up to date by light mode when that is the mode.
 */
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "pfs.h"
#include "doc.h"
#include "filter.h"
#include "light.h"
#include "probes.h"
#include "stats.h"
#include "table.h"

static const char * const pfs_ctr_names[PFS_NR_PROC_CTRS] = {
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
	[PFS_REFAULT_ANON]	= "refault_anon",
	[PFS_REFAULT_FILE]	= "refault_file",
	[PFS_REFAULT_ACTIVE]	= "refault_active",
	[PFS_REFAULT_RESTORE]	= "refault_restore",
};

static const char * const pfs_hist_names[PFS_NR_HIST] = {
	[PFS_HIST_MINOR]	= "minor",
	[PFS_HIST_MAJOR]	= "major",
	[PFS_HIST_RETRY]	= "retry",
};

/*
 * The detail columns of debugfs procs, in their order, each computed from
 * a row's counters.
 */
enum pfs_detail {
	PFS_D_ANON_MINOR,
	PFS_D_ANON_MAJOR,
	PFS_D_FILE_MINOR,
	PFS_D_FILE_MAJOR,
	PFS_D_SHMEM_MINOR,
	PFS_D_SHMEM_MAJOR,
	PFS_D_READ,
	PFS_D_WRITE,
	PFS_D_EXEC,
	PFS_D_FAULT_MAX_NS,
	PFS_NR_DETAIL
};

static const char * const pfs_detail_names[PFS_NR_DETAIL] = {
	[PFS_D_ANON_MINOR]	= "anon_minor",
	[PFS_D_ANON_MAJOR]	= "anon_major",
	[PFS_D_FILE_MINOR]	= "file_minor",
	[PFS_D_FILE_MAJOR]	= "file_major",
	[PFS_D_SHMEM_MINOR]	= "shmem_minor",
	[PFS_D_SHMEM_MAJOR]	= "shmem_major",
	[PFS_D_READ]		= "read",
	[PFS_D_WRITE]		= "write",
	[PFS_D_EXEC]		= "exec",
	[PFS_D_FAULT_MAX_NS]	= "fault_max_ns",
};

static void pfs_detail_values(const struct pfs_row *r, u64 v[PFS_NR_DETAIL])
{
	const u64 *c = r->ctr;

	v[PFS_D_ANON_MINOR] = c[PFS_MINOR] - c[PFS_FILE_MINOR] - c[PFS_SHMEM_MINOR];
	v[PFS_D_ANON_MAJOR] = c[PFS_MAJOR] - c[PFS_FILE_MAJOR] - c[PFS_SHMEM_MAJOR];
	v[PFS_D_FILE_MINOR] = c[PFS_FILE_MINOR];
	v[PFS_D_FILE_MAJOR] = c[PFS_FILE_MAJOR];
	v[PFS_D_SHMEM_MINOR] = c[PFS_SHMEM_MINOR];
	v[PFS_D_SHMEM_MAJOR] = c[PFS_SHMEM_MAJOR];
	v[PFS_D_READ] = c[PFS_MINOR] + c[PFS_MAJOR] - c[PFS_WRITE] - c[PFS_EXEC];
	v[PFS_D_WRITE] = c[PFS_WRITE];
	v[PFS_D_EXEC] = c[PFS_EXEC];
	v[PFS_D_FAULT_MAX_NS] = r->max_ns;
}

/* The global figures at the head of a table document. */
struct pfs_totals {
	u64 ctr[PFS_NR_PROC_CTRS];
	u64 dropped;
	u64 evicted;
	u64 nmissed;
	unsigned int procs;
};

/*
 * The totals now. In light mode nothing counts minor and major faults as
 * they happen: theirs are the sums over the rows of @s.
 */
static void pfs_totals(struct pfs_totals *t, const struct pfs_snapshot *s)
{
	struct pfs_stats *cur = pfs_stats_read();

	memset(t, 0, sizeof(*t));
	if (cur) {
		memcpy(t->ctr, cur->ctr, sizeof(t->ctr));
		t->dropped = cur->dropped;
		kvfree(cur);
	}
	t->evicted = pfs_table_evicted();
	t->nmissed = pfs_probes_nmissed();
	t->procs = pfs_table_count();
	if (pfs_probes_light())
		pfs_light_sum(s, &t->ctr[PFS_MINOR], &t->ctr[PFS_MAJOR]);
}

/* comm, escaped so it is always exactly one whitespace-free field. */
static void pfs_show_comm(struct seq_file *m, const char *comm)
{
	const unsigned char *c = (const unsigned char *)comm;
	size_t n;

	if (!*c) {
		seq_puts(m, "\\000");
		return;
	}
	/* the bytes up to the first to escape, in one copy: most comms whole */
	for (n = 0; c[n] > ' ' && c[n] != 0x7f && c[n] != '\\'; n++)
		;
	seq_write(m, c, n);
	for (c += n; *c; c++) {
		if (*c <= ' ' || *c == 0x7f || *c == '\\')
			seq_printf(m, "\\%03o", *c);
		else
			seq_putc(m, *c);
	}
}

static void pfs_show_head(struct seq_file *m, const struct pfs_snapshot *s,
			  bool detail)
{
	struct pfs_totals t;
	int i;

	pfs_totals(&t, s);
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

	/* columns are only ever added at the end of the row (format.md) */
	seq_puts(m, "pid comm state");
	for (i = 0; i < PFS_FIRST_LATE_CTR; i++)
		seq_printf(m, " %s", pfs_ctr_names[i]);
	seq_puts(m, " start_time ppid");
	for (i = 0; detail && i < PFS_NR_DETAIL; i++)
		seq_printf(m, " %s", pfs_detail_names[i]);
	for (i = PFS_FIRST_LATE_CTR; i < PFS_NR_PROC_CTRS; i++)
		seq_printf(m, " %s", pfs_ctr_names[i]);
	seq_puts(m, " thrash_ns cgroup\n");
}

/* Clock ticks since boot, as field 22 of /proc/<pid>/stat. */
static u64 pfs_ticks(u64 ns)
{
	return div_u64(ns, NSEC_PER_SEC / USER_HZ);
}

static void pfs_show_row(struct seq_file *m, const struct pfs_row *r,
			 bool detail)
{
	u64 v[PFS_NR_DETAIL];
	int i;

	seq_put_decimal_ull(m, "", r->tgid);
	seq_putc(m, ' ');
	pfs_show_comm(m, r->comm);
	seq_puts(m, r->exited ? " exited" : " alive");
	for (i = 0; i < PFS_FIRST_LATE_CTR; i++)
		seq_put_decimal_ull(m, " ", r->ctr[i]);
	seq_put_decimal_ull(m, " ", pfs_ticks(r->start_ns));
	seq_put_decimal_ull(m, " ", r->ppid);
	if (detail) {
		pfs_detail_values(r, v);
		for (i = 0; i < PFS_NR_DETAIL; i++)
			seq_put_decimal_ull(m, " ", v[i]);
	}
	for (i = PFS_FIRST_LATE_CTR; i < PFS_NR_PROC_CTRS; i++)
		seq_put_decimal_ull(m, " ", r->ctr[i]);
	/* "-": the kernel keeps no thrash time for it (delay accounting off) */
	if (r->thrash_known)
		seq_put_decimal_ull(m, " ", r->thrash_ns);
	else
		seq_puts(m, " -");
	seq_put_decimal_ull(m, " ", r->cgroup);
	seq_putc(m, '\n');
}

/*
 * The rows a document shows, sorted: the table's, and in light mode with
 * the kernel's counts and a row for every live process that faulted.
 */
static struct pfs_snapshot *pfs_doc_snapshot(void)
{
	bool light = pfs_probes_light();
	struct pfs_snapshot *s;

	s = pfs_table_snapshot(light ? pfs_light_nr_procs() : 0);
	if (!s)
		return NULL;
	if (light)
		pfs_light_snapshot(s);
	pfs_snapshot_sort(s);
	return s;
}

/* Position 0 of a table document is the head, position n the n-th row. */
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

/* Open a table document; @detail adds debugfs procs' columns. */
int pfs_doc_open(struct file *file, bool detail)
{
	struct pfs_doc *d;

	d = __seq_open_private(file, &pfs_doc_ops, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->detail = detail;
	d->snap = pfs_doc_snapshot();
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

void pfs_doc_show_hist(struct seq_file *m)
{
	struct pfs_stats *cur = pfs_stats_read();
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
