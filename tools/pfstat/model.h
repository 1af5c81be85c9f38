/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfstat: the in-memory model of the pagefault_stats documents
 * (docs/format.md) and the pure functions that parse, select and
 * compare them. Nothing declared here does I/O except through a FILE *
 * the caller passes in.
 *
 * Not the kernel module's module/pfs.h: that one lays out its own struct
 * pfs_row and enum pfs_hist_kind, and the two never meet but through the
 * text format.
 */
#ifndef PFSTAT_MODEL_H
#define PFSTAT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

#define PFS_FORMAT_VERSION	1	/* "pagefault_stats 1" */
#define PFS_HIST_VERSION	1	/* "pagefault_stats_hist 1" */

/*
 * The kernel's comm is at most 15 bytes (TASK_COMM_LEN - 1). Leave room
 * for a kernel that lengthens it; anything longer is a malformed row.
 */
#define PFS_COMM_MAX		63

/*
 * Numeric per-process columns this reader knows: those of the proc file,
 * those debugfs procs adds, then those both files append after them
 * (issue 11), each group in document order. Columns are read by name.
 */
enum pfs_col {
	PFS_MINOR,
	PFS_MAJOR,
	PFS_RETRY,
	PFS_SEGV_MAPERR,
	PFS_SEGV_ACCERR,
	PFS_SEGV_PKUERR,
	PFS_SIGBUS,
	PFS_OOM,
	PFS_EFAULT,
	PFS_HWPOISON,
	PFS_SEGV_MM,
	PFS_REMOTE,
	PFS_FAULT_NS,
	PFS_START_TIME,
	PFS_PPID,
	/* debugfs procs only */
	PFS_ANON_MINOR,
	PFS_ANON_MAJOR,
	PFS_FILE_MINOR,
	PFS_FILE_MAJOR,
	PFS_SHMEM_MINOR,
	PFS_SHMEM_MAJOR,
	PFS_READ,
	PFS_WRITE,
	PFS_EXEC,
	PFS_FAULT_MAX_NS,
	/* both files, after ppid and after fault_max_ns; optional */
	PFS_REFAULT_ANON,	/* pages brought back after eviction */
	PFS_REFAULT_FILE,
	PFS_REFAULT_ACTIVE,	/* of those, the working set's: thrashing */
	PFS_REFAULT_RESTORE,	/* of those, active when evicted */
	PFS_THRASH_NS,		/* delay accounting's thrashing time, or "-" */
	/* both files, after thrash_ns (issue 12); optional */
	PFS_CGROUP,		/* cgroup v2 id: the inode of its directory */
	PFS_NCOLS
};

/* The refault group, [FIRST, END): writers that must not move the
 * columns they had put the group after them. */
#define PFS_REFAULT_FIRST	PFS_REFAULT_ANON
#define PFS_REFAULT_END		(PFS_THRASH_NS + 1)

static inline bool pfs_col_is_refault(int c)
{
	return c >= PFS_REFAULT_FIRST && c < PFS_REFAULT_END;
}

/* Counters (summable, deltas make sense) vs identity columns. */
static inline bool pfs_col_is_counter(enum pfs_col c)
{
	return c != PFS_START_TIME && c != PFS_PPID && c != PFS_FAULT_MAX_NS &&
	       c != PFS_CGROUP;
}

extern const char *const pfs_col_names[PFS_NCOLS];
int pfs_col_lookup(const char *name);	/* enum pfs_col or -1 */

enum pfs_state {
	PFS_ALIVE,
	PFS_EXITED,
};

struct pfs_row {
	int pid;
	enum pfs_state state;
	size_t comm_len;		/* bytes, unescaped, no NUL inside */
	char comm[PFS_COMM_MAX + 1];	/* NUL-terminated for convenience */
	uint64_t v[PFS_NCOLS];		/* valid where table->have[] */
	/*
	 * Bit c: column c is unknown, v[c] 0. Only thrash_ns may be "-" (the
	 * kernel keeps no thrashing time for the process). In a sum: none
	 * of the rows summed knew it.
	 */
	uint64_t unknown;
};

_Static_assert(PFS_NCOLS <= 64, "struct pfs_row's unknown has a bit a column");

/* Column c of r has a value: the table has it and the row knows it. */
static inline bool pfs_row_known(const bool *have, const struct pfs_row *r,
				 int c)
{
	return have[c] && !(r->unknown & (UINT64_C(1) << c));
}

struct pfs_global {
	char *key;
	char *val;
	bool numeric;
	uint64_t num;
};

struct pfs_table {
	unsigned int version;
	struct pfs_global *globals;
	size_t nglobals;
	bool have[PFS_NCOLS];		/* column present in the header */
	size_t ncols;			/* header width, known and unknown */
	struct pfs_row *rows;
	size_t nrows;
};

/* Where a parse failed: a 1-based line number (0: whole document). */
struct pfs_err {
	unsigned int line;
	int kind;
	char msg[200];
};

enum pfs_err_kind {
	PFS_E_FORMAT = 1,	/* malformed document */
	PFS_E_VERSION,		/* a version this reader does not know */
	PFS_E_NOMEM,
};

int pfs_parse_table(const char *buf, size_t len, struct pfs_table *t,
		    struct pfs_err *err);
void pfs_table_free(struct pfs_table *t);
const struct pfs_global *pfs_global_find(const struct pfs_table *t,
					 const char *key);
bool pfs_global_u64(const struct pfs_table *t, const char *key, uint64_t *v);

/* debugfs hist */
enum pfs_hist_kind {
	PFS_H_MINOR,
	PFS_H_MAJOR,
	PFS_H_RETRY,
	PFS_H_NKINDS
};
extern const char *const pfs_hist_kind_names[PFS_H_NKINDS];

struct pfs_bucket {
	enum pfs_hist_kind kind;
	uint64_t lo_ns, hi_ns, count;
};

struct pfs_hist {
	unsigned int version;
	struct pfs_bucket *b;
	size_t n;
};

int pfs_parse_hist(const char *buf, size_t len, struct pfs_hist *h,
		   struct pfs_err *err);
void pfs_hist_free(struct pfs_hist *h);

/* comm escaping (comm.c) */
enum {
	PFS_COMM_OK = 0,
	PFS_COMM_EBADESC = -1,	/* backslash not followed by 3 octal digits <= 377 */
	PFS_COMM_ERAW = -2,	/* a byte the format requires escaped */
	PFS_COMM_ETOOLONG = -3,
	PFS_COMM_ENUL = -4,	/* \000 anywhere but as the whole field */
	PFS_COMM_EEMPTY = -5,
};
int pfs_comm_unescape(const char *in, size_t n, char *out, size_t outsz,
		      size_t *outlen);
const char *pfs_comm_strerror(int e);
size_t pfs_comm_escape(const char *in, size_t n, char *out, size_t outsz);
size_t pfs_comm_escape_ascii(const char *in, size_t n, char *out, size_t outsz);
size_t pfs_comm_display(const char *in, size_t n, char *out, size_t outsz,
			size_t *width);
size_t pfs_comm_utf8(const char *in, size_t n, char *out, size_t outsz);
#define PFS_COMM_ESC_MAX	(PFS_COMM_MAX * 4 + 5)
#define PFS_COMM_UTF8_MAX	(PFS_COMM_MAX * 3 + 1)

/* numbers (util.c) */
int pfs_parse_u64(const char *s, size_t n, uint64_t *out);
uint64_t pfs_add_sat(uint64_t a, uint64_t b);
void pfs_fmt_count(char *buf, size_t sz, uint64_t v, bool raw);
void pfs_fmt_ns(char *buf, size_t sz, uint64_t ns, bool raw);
void pfs_fmt_rate(char *buf, size_t sz, double v, bool raw);
double pfs_timeval_s(const struct timeval *tv);
size_t pfs_utf8_len(const unsigned char *s, size_t n);

/* selection (select.c) */
enum pfs_sort_key {
	PFS_SORT_TOTAL = PFS_NCOLS,	/* minor + major */
	PFS_SORT_INVALID,		/* segv_maperr + segv_accerr + segv_pkuerr */
	PFS_SORT_PID,
	PFS_SORT_COMM,
	PFS_SORT_NONE,
};

struct pfs_select {
	int *pids;
	size_t npids;
	const char *comm;	/* exact, unescaped; NULL: any */
	bool alive;
	bool exited;
	bool active;		/* some counter non-zero (watch) */
	int sort_key;		/* enum pfs_col or enum pfs_sort_key */
	bool sort_desc;
	size_t top;		/* 0: all */
};

int pfs_sort_parse(const char *arg, int *key, bool *desc);
int pfs_pids_parse(const char *arg, int **pids, size_t *npids);
uint64_t pfs_row_key(const struct pfs_row *r, int key);
uint64_t pfs_row_invalid(const struct pfs_row *r);
bool pfs_row_selected(const struct pfs_row *r, const struct pfs_select *s);
size_t pfs_select_rows(const struct pfs_table *t, const struct pfs_select *s,
		       const struct pfs_row **out);
int pfs_comm_cmp(const struct pfs_row *x, const struct pfs_row *y);
void pfs_sort_rows(const struct pfs_row **rows, size_t n, int key, bool desc);
void pfs_sum_rows(const struct pfs_row *const *rows, size_t n,
		  struct pfs_row *sum);
void pfs_row_add(struct pfs_row *sum, const struct pfs_row *r);
int pfs_table_delta(const struct pfs_table *prev, const struct pfs_table *cur,
		    struct pfs_table *delta);

#endif /* PFSTAT_MODEL_H */
