// SPDX-License-Identifier: GPL-2.0
/*
 * Refaults (issue 11). A child in a small memory cgroup sweeps a file range
 * and an anonymous range (swapped to zram) larger than the cgroup, so the
 * kernel evicts pages and brings them back. The kernel's own counters are
 * the oracle: the module's global refault_anon, refault_file,
 * refault_active and refault_restore must grow exactly as /proc/vmstat's
 * workingset_refault_{anon,file}, workingset_activate_* and
 * workingset_restore_* (after vm.stat_refresh), with the classic LRU and,
 * where the kernel has it, the multi-gen LRU, whose refault path differs;
 * the rows must add up to the totals, and the child's row carries its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pfs_test.h"

#define CG		PFS_CGROUP_ROOT "/pfs-refault"
#define LRU_GEN		"/sys/kernel/mm/lru_gen/enabled"
#define CG_LIMIT	"16M"
#define FILE_MIB	40
#define ANON_MIB	32
#define SWEEPS		3
#define RECLAIM_MIB	8	/* read, reclaimed, read again; after FILE_MIB */
#define RECLAIM_MIB_STR	"8M"

/* The kernel's workingset counters, pages. */
enum { W_REFAULT_ANON, W_REFAULT_FILE, W_ACTIVATE_ANON, W_ACTIVATE_FILE,
       W_RESTORE_ANON, W_RESTORE_FILE, NR_W };

static const char *const vmstat_keys[NR_W] = {
	"workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file",
	"workingset_restore_anon", "workingset_restore_file",
};

/* The module's global keys, and how each is made of the kernel's. */
enum { M_ANON, M_FILE, M_ACTIVE, M_RESTORE, NR_M };

static const char *const mod_keys[NR_M] = {
	"refault_anon", "refault_file", "refault_active", "refault_restore",
};

static void vmstat_read(unsigned long long w[NR_W])
{
	char *buf = pfs_slurp_or_fail("/proc/vmstat"), *l;
	int i, found = 0;

	for (l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		for (i = 0; i < NR_W; i++) {
			size_t n = strlen(vmstat_keys[i]);

			if (!strncmp(l, vmstat_keys[i], n) && l[n] == ' ') {
				w[i] = strtoull(l + n + 1, NULL, 10);
				found |= 1 << i;
			}
		}
	}
	free(buf);
	if (found != (1 << NR_W) - 1)
		pfs_fail("/proc/vmstat lacks a workingset_{refault,activate,restore}_{anon,file} line");
}

/* Fold the per-CPU vmstat deltas into the counters /proc/vmstat shows. */
static void stat_refresh(void)
{
	pfs_write_or_fail("/proc/sys/vm/stat_refresh", "1", "fold vmstat");
}

static void module_read(unsigned long long m[NR_M])
{
	struct pfs_table *t = pfs_table_get(PFS_PROC_PATH);
	int i;

	for (i = 0; i < NR_M; i++)
		m[i] = pfs_global(t, mod_keys[i]);
	pfs_table_free(t);
}

/*
 * The module's totals and the kernel's at one moment: vmstat read (folded
 * from the per-CPU deltas by stat_refresh) before and after the module's
 * file, until nothing changed in between.
 */
static void snapshot(unsigned long long m[NR_M], unsigned long long w[NR_W])
{
	unsigned long long again[NR_W];
	int tries;

	for (tries = 0; tries < 50; tries++) {
		stat_refresh();
		vmstat_read(w);
		module_read(m);
		stat_refresh();
		vmstat_read(again);
		if (!memcmp(w, again, sizeof(again)))
			return;
		usleep(100 * 1000);
	}
	pfs_fail("workingset_* in /proc/vmstat never held still for a read of %s",
		 PFS_PROC_PATH);
}

static bool have_swap(void)
{
	char swaps[4096];

	return pfs_read_file("/proc/swaps", swaps, sizeof(swaps)) > 0 &&
	       strchr(swaps, '\n') && strchr(strchr(swaps, '\n') + 1, '/');
}

static void pread_range(int fd, off_t off, size_t len)
{
	static char buf[64 << 10];
	size_t done;

	for (done = 0; done < len; done += sizeof(buf))
		if (pread(fd, buf, sizeof(buf), off + done) <= 0)
			_exit(14);
}

struct sweep_report {
	unsigned long file_sum;
	int anon_ok;
};

/* The child: join the cgroup, sweep the file range, then the anonymous one. */
static int w_sweep(void *arg)
{
	size_t file_len = (size_t)FILE_MIB << 20, anon_len = (size_t)ANON_MIB << 20;
	bool anon = *(bool *)arg;
	struct sweep_report r = { 0, 1 };
	size_t off, i, words = PFS_PAGE / sizeof(long);
	unsigned long *a;
	char *f;
	int fd, s;

	if (pfs_memcg_join(CG))
		return 10;
	fd = open(pfs_disk_file(), O_RDONLY);
	if (fd < 0)
		return 11;
	/* start cold: no page of the range cached, so no shadow entry either */
	if (posix_fadvise(fd, 0, file_len + ((size_t)RECLAIM_MIB << 20),
			  POSIX_FADV_DONTNEED))
		return 12;
	f = mmap(NULL, file_len, PROT_READ, MAP_SHARED, fd, 0);
	if (f == MAP_FAILED)
		return 13;
	for (s = 0; s < SWEEPS; s++)
		for (off = 0; off < file_len; off += PFS_PAGE)
			r.file_sum += ((volatile unsigned char *)f)[off];
	munmap(f, file_len);
	/*
	 * Where the cgroup has memory.reclaim (5.19+): a range read, reclaimed
	 * at once and read again, comes back while its generation is still
	 * the oldest, which is when 6.1's multi-gen LRU counts a refault.
	 */
	for (s = 0; s < SWEEPS && !access(CG "/memory.reclaim", W_OK); s++) {
		pread_range(fd, file_len, RECLAIM_MIB << 20);
		pfs_write_file(CG "/memory.reclaim", RECLAIM_MIB_STR,
			       strlen(RECLAIM_MIB_STR));	/* may fall short: fine */
		pread_range(fd, file_len, RECLAIM_MIB << 20);
	}
	close(fd);
	if (anon) {
		a = pfs_map_anon(anon_len);
		for (i = 0; i < anon_len / sizeof(long); i++)
			a[i] = i * 0x9e3779b97f4a7c15UL;
		for (s = 0; s < SWEEPS; s++)
			for (i = 0; i < anon_len / sizeof(long); i += words)
				if (((volatile unsigned long *)a)[i] != i * 0x9e3779b97f4a7c15UL)
					r.anon_ok = 0;
	}
	return pfs_report(&r, sizeof(r));
}

static unsigned long long col_sum(const struct pfs_table *t, const char *name)
{
	unsigned long long s = 0;
	size_t i;

	for (i = 0; i < t->nrow; i++)
		s += pfs_col(t, &t->row[i], name);
	return s;
}

/* One workload under the LRU now in use (@lru names it), checked against vmstat. */
static void check_lru(const char *lru, bool mglru)
{
	unsigned long long m0[NR_M], m1[NR_M], w0[NR_W], w1[NR_W], want[NR_M];
	bool anon = have_swap();
	const struct pfs_row *row;
	struct sweep_report r;
	struct pfs_table *t;
	struct pfs_child c;
	char what[96];
	int i;

	if (access(pfs_disk_file(), R_OK))
		pfs_skip("%s is missing: no test disk in this VM", pfs_disk_file());
	pfs_memcg_make(CG, CG_LIMIT);
	pfs_knob_set("reset", "1");
	snapshot(m0, w0);
	pfs_run(&c, w_sweep, &anon);
	pfs_require_clean_exit(&c);
	pfs_get_report(&c, &r, sizeof(r));
	pfs_expect_true("anonymous pages read back intact", r.anon_ok, "swap-in returned wrong data");
	snapshot(m1, w1);
	want[M_ANON] = w1[W_REFAULT_ANON] - w0[W_REFAULT_ANON];
	want[M_FILE] = w1[W_REFAULT_FILE] - w0[W_REFAULT_FILE];
	want[M_ACTIVE] = w1[W_ACTIVATE_ANON] - w0[W_ACTIVATE_ANON] +
			 w1[W_ACTIVATE_FILE] - w0[W_ACTIVATE_FILE];
	want[M_RESTORE] = w1[W_RESTORE_ANON] - w0[W_RESTORE_ANON] +
			  w1[W_RESTORE_FILE] - w0[W_RESTORE_FILE];
	pfs_info("%s: vmstat deltas refault anon %llu file %llu, activate %llu, restore %llu%s",
		 lru, want[M_ANON], want[M_FILE], want[M_ACTIVE], want[M_RESTORE],
		 anon ? "" : " (no swap: file only)");
	for (i = 0; i < NR_M; i++) {
		snprintf(what, sizeof(what), "%s: global %s delta", lru, mod_keys[i]);
		pfs_expect_eq(what, m1[i] - m0[i], want[i],
			      "the kernel's own count over the same interval (/proc/vmstat)");
	}
	/*
	 * That the sweep exercised the path. The classic LRU counts a refault
	 * for every shadow entry found; 6.1's multi-gen LRU only for one whose
	 * generation is still the oldest (lru_gen_refault(): token ==
	 * min_seq), which the sweeps rarely meet but the range reclaimed and
	 * read straight back does (memory.reclaim: 6.1 and later, as the
	 * multi-gen LRU).
	 */
	if (mglru) {
		pfs_expect_ge("file refaults (anon + file)", want[M_ANON] + want[M_FILE], 1,
			      "a range reclaimed with memory.reclaim and read straight back");
	} else {
		pfs_expect_ge("file refaults in the sweep", want[M_FILE], 1,
			      "a file range 2.5x the cgroup's memory.max, swept 3 times");
		if (anon)
			pfs_expect_ge("anon refaults in the sweep", want[M_ANON], 1,
				      "anonymous memory 2x memory.max swapped to zram");
	}
	t = pfs_check_child(&c, PFS_PROC_PATH, &row);
	for (i = 0; i < 2; i++) {
		snprintf(what, sizeof(what), "child's %s", mod_keys[i]);
		if (want[i])
			pfs_expect_ge(what, pfs_col(t, row, mod_keys[i]), 1,
				      "the sweeping child brought pages back itself");
		pfs_expect_le(what, pfs_col(t, row, mod_keys[i]), want[i],
			      "a share of the kernel's total");
	}
	if (!pfs_global(t, "dropped") && !pfs_global(t, "evicted")) {
		for (i = 0; i < NR_M; i++) {
			snprintf(what, sizeof(what), "%s: rows' sum of %s", lru, mod_keys[i]);
			pfs_expect_eq(what, col_sum(t, mod_keys[i]), pfs_global(t, mod_keys[i]),
				      "every refault is charged to a row (table reset before)");
		}
	}
	pfs_table_free(t);
}

static char lru_gen_saved[64];

static bool lru_gen_set(const char *v)
{
	return pfs_write_file(LRU_GEN, v, strlen(v)) == 0;
}

static void lru_gen_restore(void)
{
	if (lru_gen_saved[0])
		lru_gen_set(lru_gen_saved);
}

static void test_classic(void)
{
	if (!access(LRU_GEN, W_OK))
		pfs_write_or_fail(LRU_GEN, "n", "turn the multi-gen LRU off");
	check_lru("classic LRU", false);
}

static void test_mglru(void)
{
	if (access(LRU_GEN, W_OK))
		pfs_skip("%s is missing: this kernel has no multi-gen LRU", LRU_GEN);
	pfs_write_or_fail(LRU_GEN, "y", "turn the multi-gen LRU on");
	check_lru("multi-gen LRU", true);
}

static void test_status(void)
{
	char v[64];

	pfs_info("status: refault_sites %s", pfs_status_value("refault_sites", v, sizeof(v)));
	pfs_info("status: refault_entry_probes %s (counting calls seen at the callee's entry)",
		 pfs_status_value("refault_entry_probes", v, sizeof(v)));

	pfs_expect_str("status probe_refault", pfs_status_value("probe_refault", v, sizeof(v)),
		       "attached", "the counting calls of workingset_refault() are found on x86-64 and arm64");
	pfs_expect_ge("status refault_sites", strtoull(pfs_status_value("refault_sites", v,
								       sizeof(v)), NULL, 10),
		      3, "workingset_refault() counts refault, activate and restore");
}

int main(void)
{
	char *s;

	pfs_begin();
	pfs_test("module is loaded and counting", pfs_require_module);
	pfs_test("status: the refault probes are attached", test_status);
	if (!access(LRU_GEN, R_OK) && (s = pfs_slurp(LRU_GEN, NULL))) {
		snprintf(lru_gen_saved, sizeof(lru_gen_saved), "%s", s);
		free(s);
		atexit(lru_gen_restore);
	}
	pfs_test("classic LRU: refault totals equal vmstat workingset_* deltas", test_classic);
	pfs_test("multi-gen LRU: refault totals equal vmstat workingset_* deltas", test_mglru);
	lru_gen_restore();
	pfs_knobs_restore();
	return pfs_exit();
}
