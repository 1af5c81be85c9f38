// SPDX-License-Identifier: GPL-2.0
/*
 * The parser against docs/format.md: what a well-formed document yields,
 * what the format lets a reader tolerate, and the line and reason of
 * every refusal.
 */
#include "testlib.h"

/* proc_basic.txt is a realistic table of 8 processes. */
static void test_basic_rows_and_globals(void **state)
{
	struct pfs_table t;
	const struct pfs_row *r;
	uint64_t v;

	(void)state;
	load_table("proc_basic.txt", &t);
	assert_int_equal(t.version, 1);
	assert_int_equal(t.nrows, 8);
	assert_int_equal(t.ncols, 18);
	assert_int_equal(t.nglobals, 20);
	assert_true(pfs_global_u64(&t, "minor", &v));
	assert_int_equal(v, 1883410);
	assert_string_equal(pfs_global_find(&t, "mode")->val, "kretprobe");
	assert_false(pfs_global_find(&t, "mode")->numeric);
	assert_true(t.have[PFS_FAULT_NS] && t.have[PFS_START_TIME] && t.have[PFS_PPID]);
	assert_false(t.have[PFS_ANON_MINOR]);
	/* Row 5: "1234 Web\040Content alive 1520330 140 27 ... 850123456 5120 1201" */
	r = &t.rows[4];
	assert_int_equal(r->pid, 1234);
	assert_int_equal(r->comm_len, 11);
	assert_memory_equal(r->comm, "Web Content", 11);
	assert_int_equal(r->state, PFS_ALIVE);
	assert_int_equal(r->v[PFS_MINOR], 1520330);
	assert_int_equal(r->v[PFS_MAJOR], 140);
	assert_int_equal(r->v[PFS_RETRY], 27);
	assert_int_equal(r->v[PFS_EFAULT], 3);
	assert_int_equal(r->v[PFS_FAULT_NS], 850123456);
	assert_int_equal(r->v[PFS_START_TIME], 5120);
	assert_int_equal(r->v[PFS_PPID], 1201);
	/* The same pid, an earlier process: "1234 make exited 190 ... 61 1" */
	r = &t.rows[5];
	assert_int_equal(r->pid, 1234);
	assert_string_equal(r->comm, "make");
	assert_int_equal(r->state, PFS_EXITED);
	assert_int_equal(r->v[PFS_START_TIME], 61);
	/* "1302 crashme exited 88 0 0 2 1 ..." */
	r = &t.rows[6];
	assert_int_equal(r->v[PFS_SEGV_MAPERR], 2);
	assert_int_equal(r->v[PFS_SEGV_ACCERR], 1);
	pfs_table_free(&t);
}

static void test_debugfs_procs_cause_columns(void **state)
{
	struct pfs_table t;
	const struct pfs_row *r;

	(void)state;
	load_table("procs_debugfs.txt", &t);
	assert_true(t.have[PFS_ANON_MINOR] && t.have[PFS_FAULT_MAX_NS]);
	/* "1310 cc1 exited 342233 5 ... 300000 2 42000 3 233 0 100000 242000 238 1200000" */
	r = row_by_pid(&t, 1310);
	assert_int_equal(r->v[PFS_ANON_MINOR], 300000);
	assert_int_equal(r->v[PFS_ANON_MAJOR], 2);
	assert_int_equal(r->v[PFS_FILE_MINOR], 42000);
	assert_int_equal(r->v[PFS_FILE_MAJOR], 3);
	assert_int_equal(r->v[PFS_SHMEM_MINOR], 233);
	assert_int_equal(r->v[PFS_SHMEM_MAJOR], 0);
	assert_int_equal(r->v[PFS_READ], 100000);
	assert_int_equal(r->v[PFS_WRITE], 242000);
	assert_int_equal(r->v[PFS_EXEC], 238);
	assert_int_equal(r->v[PFS_FAULT_MAX_NS], 1200000);
	r = row_by_pid(&t, 1400);
	assert_string_equal(r->comm, "shm user");
	pfs_table_free(&t);
}

/* Issue 11: the refault group after ppid, thrash_ns a number or "-". */
static void test_refault_columns_and_unknown_thrash(void **state)
{
	struct pfs_table t;
	const struct pfs_row *r;
	uint64_t v;

	(void)state;
	load_table("proc_refault.txt", &t);
	assert_int_equal(t.ncols, 23);
	assert_true(t.have[PFS_REFAULT_ANON] && t.have[PFS_REFAULT_FILE] &&
		    t.have[PFS_REFAULT_ACTIVE] && t.have[PFS_REFAULT_RESTORE] &&
		    t.have[PFS_THRASH_NS]);
	assert_false(t.have[PFS_ANON_MINOR]);
	assert_true(pfs_global_u64(&t, "refault_anon", &v));
	assert_int_equal(v, 41000);
	assert_true(pfs_global_u64(&t, "refault_active", &v));
	assert_int_equal(v, 38000);
	/* "2001 lab-5 ... 9000 1201 40000 200 37800 8800 7250000000" */
	r = row_by_pid(&t, 2001);
	assert_int_equal(r->v[PFS_PPID], 1201);
	assert_int_equal(r->v[PFS_REFAULT_ANON], 40000);
	assert_int_equal(r->v[PFS_REFAULT_FILE], 200);
	assert_int_equal(r->v[PFS_REFAULT_ACTIVE], 37800);
	assert_int_equal(r->v[PFS_REFAULT_RESTORE], 8800);
	assert_true(r->v[PFS_THRASH_NS] == 7250000000ULL);
	assert_true(pfs_row_known(t.have, r, PFS_THRASH_NS));
	assert_int_equal(r->unknown, 0);
	/* "1 systemd ... 0 12 3 0 -": the refaults known, the time not */
	r = row_by_pid(&t, 1);
	assert_int_equal(r->v[PFS_REFAULT_FILE], 12);
	assert_int_equal(r->v[PFS_REFAULT_ACTIVE], 3);
	assert_false(pfs_row_known(t.have, r, PFS_THRASH_NS));
	assert_true(pfs_row_known(t.have, r, PFS_REFAULT_ACTIVE));
	assert_int_equal(r->v[PFS_THRASH_NS], 0);
	assert_true(r->unknown == UINT64_C(1) << PFS_THRASH_NS);
	pfs_table_free(&t);

	/* debugfs procs: the same five after fault_max_ns */
	load_table("procs_debugfs_refault.txt", &t);
	r = row_by_pid(&t, 2001);
	assert_int_equal(r->v[PFS_FAULT_MAX_NS], 2100000);
	assert_int_equal(r->v[PFS_REFAULT_ANON], 40000);
	assert_true(r->v[PFS_THRASH_NS] == 7250000000ULL);
	assert_false(pfs_row_known(t.have, row_by_pid(&t, 1201), PFS_THRASH_NS));
	pfs_table_free(&t);
}

/* An older module: no refault columns, so nothing is known of them (not 0). */
static void test_refault_columns_optional(void **state)
{
	struct pfs_table t;
	int c;

	(void)state;
	load_table("proc_basic.txt", &t);
	for (c = PFS_REFAULT_FIRST; c < PFS_REFAULT_END; c++) {
		assert_false(t.have[c]);
		assert_false(pfs_row_known(t.have, &t.rows[0], c));
	}
	pfs_table_free(&t);
}

/*
 * Issue 12: cgroup, the cgroup v2 id, after thrash_ns in both files. An
 * identity column like ppid: never "-", not a counter.
 */
static void test_cgroup_column(void **state)
{
	struct pfs_table t;

	(void)state;
	load_table("proc_cgroup.txt", &t);
	assert_true(t.have[PFS_CGROUP]);
	assert_false(pfs_col_is_counter(PFS_CGROUP));
	assert_false(pfs_col_is_refault(PFS_CGROUP));
	/* "733 sshd ... 0 - 2100" */
	assert_int_equal(row_by_pid(&t, 733)->v[PFS_CGROUP], 2100);
	assert_true(pfs_row_known(t.have, row_by_pid(&t, 733), PFS_CGROUP));
	assert_int_equal(row_by_pid(&t, 1)->v[PFS_CGROUP], 1);
	pfs_table_free(&t);

	load_table("procs_debugfs_cgroup.txt", &t);
	assert_int_equal(row_by_pid(&t, 2001)->v[PFS_FAULT_MAX_NS], 2100000);
	assert_int_equal(row_by_pid(&t, 2001)->v[PFS_CGROUP], 3000);
	pfs_table_free(&t);

	/* An older module: no cgroup column at all. */
	load_table("proc_refault.txt", &t);
	assert_false(t.have[PFS_CGROUP]);
	pfs_table_free(&t);
}

/* Unknown keys and columns are ignored; known ones still read by name. */
static void test_unknown_keys_and_columns_tolerated(void **state)
{
	struct pfs_table t;
	uint64_t v;

	(void)state;
	load_table("proc_unknown_columns.txt", &t);
	assert_int_equal(t.ncols, 20);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.rows[0].v[PFS_MINOR], 5);
	assert_int_equal(t.rows[0].v[PFS_PPID], 1);
	assert_true(pfs_global_u64(&t, "future_key", &v));
	assert_int_equal(v, 42);
	assert_string_equal(pfs_global_find(&t, "future_word")->val, "hello");
	pfs_table_free(&t);
}

static void test_columns_by_name_not_position(void **state)
{
	struct pfs_table t;

	(void)state;
	load_table("proc_columns_reordered.txt", &t);
	/* header "... efault ppid start_time fault_ns", row "... 77 88 99" */
	assert_int_equal(t.rows[0].v[PFS_PPID], 77);
	assert_int_equal(t.rows[0].v[PFS_START_TIME], 88);
	assert_int_equal(t.rows[0].v[PFS_FAULT_NS], 99);
	assert_false(t.have[PFS_REMOTE]);
	pfs_table_free(&t);
}

static void test_globals_in_any_order(void **state)
{
	struct pfs_table t;
	uint64_t v;

	(void)state;
	load_table("proc_globals_reordered.txt", &t);
	assert_true(pfs_global_u64(&t, "enabled", &v));
	assert_int_equal(v, 0);
	assert_true(pfs_global_u64(&t, "max_procs", &v));
	assert_int_equal(v, 16);
	assert_false(pfs_global_u64(&t, "nmissed", &v));
	pfs_table_free(&t);
}

static void test_crlf_copy_reads_like_lf(void **state)
{
	struct pfs_table t;

	(void)state;
	load_table("proc_crlf.txt", &t);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.rows[0].comm, "init");
	assert_int_equal(t.rows[0].v[PFS_PPID], 0);
	pfs_table_free(&t);
}

static void test_empty_table(void **state)
{
	struct pfs_table t;

	(void)state;
	load_table("proc_empty_table.txt", &t);
	assert_int_equal(t.nrows, 0);
	assert_int_equal(t.ncols, 18);
	pfs_table_free(&t);
}

static void test_u64_max_is_read_exactly(void **state)
{
	struct pfs_table t;

	(void)state;
	load_table("proc_max_u64.txt", &t);
	assert_true(t.rows[0].v[PFS_MINOR] == UINT64_MAX);
	assert_true(t.rows[0].v[PFS_FAULT_NS] == UINT64_MAX);
	pfs_table_free(&t);
}

static void test_very_long_line_of_unknown_columns(void **state)
{
	struct pfs_table t;

	(void)state;
	load_table("proc_long_line.txt", &t);
	assert_int_equal(t.ncols, 5018);
	assert_string_equal(t.rows[0].comm, "wide");
	pfs_table_free(&t);
}

static void test_comm_escapes_decoded(void **state)
{
	struct pfs_table t;

	(void)state;
	load_table("proc_comm_escapes.txt", &t);
	assert_int_equal(row_by_pid(&t, 40)->comm_len, 0);
	assert_string_equal(row_by_pid(&t, 41)->comm, "a\tb");
	assert_string_equal(row_by_pid(&t, 42)->comm, "new\nline");
	assert_string_equal(row_by_pid(&t, 43)->comm, "two words");
	assert_string_equal(row_by_pid(&t, 44)->comm, "back\\slash");
	assert_string_equal(row_by_pid(&t, 45)->comm, "del\177");
	assert_string_equal(row_by_pid(&t, 46)->comm, "\033[31mred");
	assert_string_equal(row_by_pid(&t, 47)->comm, "q\"uo,te");
	assert_string_equal(row_by_pid(&t, 48)->comm, "m\xc3\xbcller");
	assert_int_equal(row_by_pid(&t, 50)->comm_len, 14);
	assert_int_equal(row_by_pid(&t, 50)->comm[0], 1);
	pfs_table_free(&t);
	load_table("proc_nonutf8.txt", &t);
	assert_string_equal(row_by_pid(&t, 49)->comm, "bad\xff\xfe\xc3");
	pfs_table_free(&t);
}

/* Every refusal: the fixture, the kind, the line, words of the message. */
static const struct {
	const char *file;
	int kind;
	unsigned int line;
	const char *msg;
} bad[] = {
	{ "bad_version.txt", PFS_E_VERSION, 1, "format version 2, this pfstat reads version 1" },
	{ "bad_magic.txt", PFS_E_FORMAT, 1, "not a pagefault_stats document" },
	{ "bad_hist_as_proc.txt", PFS_E_FORMAT, 1, "not a pagefault_stats document" },
	{ "bad_empty.txt", PFS_E_FORMAT, 0, "empty document" },
	{ "bad_truncated_last_line.txt", PFS_E_FORMAT, 13, "no newline" },
	{ "bad_truncated_no_header.txt", PFS_E_FORMAT, 12, "no header row" },
	{ "bad_truncated_globals.txt", PFS_E_FORMAT, 3, "no empty line" },
	{ "bad_extra_field.txt", PFS_E_FORMAT, 13, "19 fields, the header has 18" },
	{ "bad_missing_field.txt", PFS_E_FORMAT, 13, "17 fields, the header has 18" },
	{ "bad_overflow.txt", PFS_E_FORMAT, 13, "minor: value does not fit in 64 bits" },
	{ "bad_negative.txt", PFS_E_FORMAT, 13, "minor: not an unsigned decimal" },
	{ "bad_hex.txt", PFS_E_FORMAT, 13, "minor: not an unsigned decimal" },
	{ "bad_nul.txt", PFS_E_FORMAT, 13, "NUL byte at column 5" },
	{ "bad_comm_raw_tab.txt", PFS_E_FORMAT, 13, "not escaped" },
	{ "bad_comm_bad_escape.txt", PFS_E_FORMAT, 13, "three octal digits" },
	{ "bad_comm_escape_range.txt", PFS_E_FORMAT, 13, "three octal digits" },
	{ "bad_comm_short_escape.txt", PFS_E_FORMAT, 13, "three octal digits" },
	{ "bad_comm_inner_nul.txt", PFS_E_FORMAT, 13, "\\000 inside" },
	{ "bad_comm_too_long.txt", PFS_E_FORMAT, 13, "longer than" },
	{ "bad_double_space.txt", PFS_E_FORMAT, 13, "empty field" },
	{ "bad_trailing_space.txt", PFS_E_FORMAT, 13, "empty field" },
	{ "bad_state.txt", PFS_E_FORMAT, 13, "state" },
	{ "bad_missing_column.txt", PFS_E_FORMAT, 12, "missing column \"sigbus\"" },
	{ "bad_duplicate_column.txt", PFS_E_FORMAT, 12, "column 19 repeats column 4" },
	{ "bad_header_not_pid.txt", PFS_E_FORMAT, 12, "must start with \"pid\"" },
	{ "bad_duplicate_global.txt", PFS_E_FORMAT, 3, "\"minor\" repeated" },
	{ "bad_global_not_number.txt", PFS_E_FORMAT, 2, "nmissed" },
	{ "bad_global_three_fields.txt", PFS_E_FORMAT, 2, "<key> <value>" },
	{ "bad_global_binary.txt", PFS_E_FORMAT, 2, "byte 0xff at column 7" },
	{ "bad_empty_line_in_table.txt", PFS_E_FORMAT, 14, "empty line" },
	{ "bad_pid.txt", PFS_E_FORMAT, 13, "pid" },
	{ "bad_refault_dash.txt", PFS_E_FORMAT, 31, "refault_active: \"-\" (unknown) is allowed in thrash_ns only" },
	{ "bad_thrash_garbage.txt", PFS_E_FORMAT, 31, "thrash_ns: neither an unsigned decimal number nor \"-\"" },
	{ "bad_thrash_negative.txt", PFS_E_FORMAT, 31, "thrash_ns: neither an unsigned decimal number nor \"-\"" },
	{ "bad_thrash_overflow.txt", PFS_E_FORMAT, 31, "thrash_ns: value does not fit in 64 bits" },
	{ "bad_refault_global.txt", PFS_E_FORMAT, 19, "global \"refault_active\": value is not" },
	{ "bad_refault_duplicate_column.txt", PFS_E_FORMAT, 27, "column 23 repeats column 20" },
	{ "bad_cgroup_dash.txt", PFS_E_FORMAT, 29, "cgroup: \"-\" (unknown) is allowed in thrash_ns only" },
};

static void test_hostile_tables_refused_with_line(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pfs_table t;
		struct pfs_err e;
		size_t len;
		char *buf = fixture(bad[i].file, &len);
		int r = pfs_parse_table(buf, len, &t, &e);

		print_message("%s -> %u: %s\n", bad[i].file, e.line, e.msg);
		assert_int_equal(r, -bad[i].kind);
		assert_int_equal(e.kind, bad[i].kind);
		assert_int_equal(e.line, bad[i].line);
		assert_non_null(strstr(e.msg, bad[i].msg));
		assert_null(t.rows);
		free(buf);
	}
}

/* Every prefix of a valid document is either refused or, cut at a line
 * end, a shorter valid one: never a row with a number cut short. */
static void test_every_truncation_is_safe(void **state)
{
	size_t len, cut;
	char *buf = fixture("proc_basic.txt", &len);

	(void)state;
	for (cut = 0; cut < len; cut++) {
		struct pfs_table t;
		struct pfs_err e;
		char *p = malloc(cut ? cut : 1);
		int r;

		memcpy(p, buf, cut);
		r = pfs_parse_table(p, cut, &t, &e);
		if (r == 0) {
			size_t i;

			assert_true(cut > 0 && buf[cut - 1] == '\n');
			for (i = 0; i < t.nrows; i++)
				assert_true(t.rows[i].v[PFS_PPID] <= 1201);
			pfs_table_free(&t);
		}
		free(p);
	}
	free(buf);
}

static void test_hist_basic(void **state)
{
	struct pfs_hist h;

	(void)state;
	load_hist("hist_basic.txt", &h);
	assert_int_equal(h.n, 8);
	assert_int_equal(h.b[1].kind, PFS_H_MINOR);
	assert_int_equal(h.b[1].lo_ns, 512);
	assert_int_equal(h.b[1].hi_ns, 1024);
	assert_int_equal(h.b[1].count, 5120);
	assert_int_equal(h.b[7].kind, PFS_H_RETRY);
	/* 6199 minor calls: the 3100th lies in [512, 1024), the 6137th in [2048, 4096). */
	assert_int_equal(pfs_hist_percentile(&h, PFS_H_MINOR, 50), 1024);
	assert_int_equal(pfs_hist_percentile(&h, PFS_H_MINOR, 99), 4096);
	assert_int_equal(pfs_hist_percentile(&h, PFS_H_MAJOR, 50), 2097152);
	pfs_hist_free(&h);
}

static void test_hist_columns_by_name(void **state)
{
	struct pfs_hist h;

	(void)state;
	/* "count kind hi_ns lo_ns cpu": "5 minor 1 0 x" is [0, 1) x 5 */
	load_hist("hist_extra_column.txt", &h);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.b[0].lo_ns, 0);
	assert_int_equal(h.b[0].hi_ns, 1);
	assert_int_equal(h.b[0].count, 5);
	assert_int_equal(h.b[1].kind, PFS_H_MAJOR);
	assert_int_equal(h.b[1].lo_ns, 1024);
	pfs_hist_free(&h);
	load_hist("hist_empty.txt", &h);
	assert_int_equal(h.n, 0);
	assert_int_equal(pfs_hist_percentile(&h, PFS_H_MINOR, 50), 0);
	pfs_hist_free(&h);
}

static void test_hostile_hist_refused(void **state)
{
	static const struct {
		const char *file;
		int kind;
		unsigned int line;
		const char *msg;
	} hb[] = {
		{ "bad_hist_version.txt", PFS_E_VERSION, 1, "format version 9, this pfstat reads version 1" },
		{ "bad_hist_bucket.txt", PFS_E_FORMAT, 3, "not a power-of-two bucket" },
		{ "bad_hist_kind.txt", PFS_E_FORMAT, 3, "kind" },
		{ "bad_hist_truncated.txt", PFS_E_FORMAT, 3, "no newline" },
		{ "bad_hist_missing_column.txt", PFS_E_FORMAT, 2, "missing column \"hi_ns\"" },
		{ "proc_basic.txt", PFS_E_FORMAT, 1, "not a pagefault_stats_hist document" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hb) / sizeof(hb[0]); i++) {
		struct pfs_hist h;
		struct pfs_err e;
		size_t len;
		char *buf = fixture(hb[i].file, &len);

		assert_int_equal(pfs_parse_hist(buf, len, &h, &e), -hb[i].kind);
		print_message("%s -> %u: %s\n", hb[i].file, e.line, e.msg);
		assert_int_equal(e.line, hb[i].line);
		assert_non_null(strstr(e.msg, hb[i].msg));
		free(buf);
	}
}

/* Longer than the first allocation (64 entries): every row and bucket
 * comes through, in order. */
static void test_long_table_and_hist(void **state)
{
	struct pfs_table t;
	struct pfs_hist h;
	struct pfs_err e;
	struct capture c;
	char *doc, comm[32];
	size_t i;
	int k;

	(void)state;
	capture_start(&c);
	fputs("pagefault_stats 1\n\npid comm state minor major retry segv_maperr segv_accerr segv_pkuerr sigbus oom efault\n",
	      c.f);
	for (i = 0; i < 1000; i++)
		fprintf(c.f, "%zu p%zu exited %zu 0 0 0 0 0 0 0 0\n", i + 1, i, i * 3);
	doc = capture_end(&c);
	assert_int_equal(pfs_parse_table(doc, strlen(doc), &t, &e), 0);
	assert_int_equal(t.nrows, 1000);
	for (i = 0; i < t.nrows; i++) {
		snprintf(comm, sizeof(comm), "p%zu", i);
		assert_int_equal(t.rows[i].pid, i + 1);
		assert_string_equal(t.rows[i].comm, comm);
		assert_int_equal(t.rows[i].v[PFS_MINOR], i * 3);
	}
	pfs_table_free(&t);
	free(doc);

	/* [0, 1) and [2^i, 2^(i+1)) for i = 0..62: 64 buckets per kind */
	capture_start(&c);
	fputs("pagefault_stats_hist 1\nkind lo_ns hi_ns count\n", c.f);
	for (k = 0; k < PFS_H_NKINDS; k++) {
		fprintf(c.f, "%s 0 1 1\n", pfs_hist_kind_names[k]);
		for (i = 0; i < 63; i++)
			fprintf(c.f, "%s %llu %llu %zu\n", pfs_hist_kind_names[k],
				1ULL << i, 2ULL << i, i + 2);
	}
	doc = capture_end(&c);
	assert_int_equal(pfs_parse_hist(doc, strlen(doc), &h, &e), 0);
	assert_int_equal(h.n, 3 * 64);
	for (k = 0; k < PFS_H_NKINDS; k++) {
		const struct pfs_bucket *b = &h.b[64 * k];

		assert_int_equal(b[0].kind, k);
		assert_int_equal(b[0].hi_ns, 1);
		for (i = 0; i < 63; i++) {
			assert_int_equal(b[i + 1].kind, k);
			assert_true(b[i + 1].lo_ns == 1ULL << i);
			assert_true(b[i + 1].hi_ns == 2ULL << i);
			assert_int_equal(b[i + 1].count, i + 2);
		}
	}
	pfs_hist_free(&h);
	free(doc);
}

static void test_parse_u64_edges(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(pfs_parse_u64("0", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(pfs_parse_u64("18446744073709551615", 20, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(pfs_parse_u64("18446744073709551616", 20, &v), -2);
	assert_int_equal(pfs_parse_u64("99999999999999999999", 20, &v), -2);
	assert_int_equal(pfs_parse_u64("", 0, &v), -1);
	assert_int_equal(pfs_parse_u64("+1", 2, &v), -1);
	assert_int_equal(pfs_parse_u64("1 ", 2, &v), -1);
	assert_int_equal(pfs_parse_u64("007", 3, &v), 0);
	assert_int_equal(v, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_rows_and_globals),
		cmocka_unit_test(test_debugfs_procs_cause_columns),
		cmocka_unit_test(test_refault_columns_and_unknown_thrash),
		cmocka_unit_test(test_refault_columns_optional),
		cmocka_unit_test(test_cgroup_column),
		cmocka_unit_test(test_unknown_keys_and_columns_tolerated),
		cmocka_unit_test(test_columns_by_name_not_position),
		cmocka_unit_test(test_globals_in_any_order),
		cmocka_unit_test(test_crlf_copy_reads_like_lf),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_u64_max_is_read_exactly),
		cmocka_unit_test(test_very_long_line_of_unknown_columns),
		cmocka_unit_test(test_comm_escapes_decoded),
		cmocka_unit_test(test_hostile_tables_refused_with_line),
		cmocka_unit_test(test_every_truncation_is_safe),
		cmocka_unit_test(test_hist_basic),
		cmocka_unit_test(test_hist_columns_by_name),
		cmocka_unit_test(test_hostile_hist_refused),
		cmocka_unit_test(test_long_table_and_hist),
		cmocka_unit_test(test_parse_u64_edges),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
