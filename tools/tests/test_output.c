// SPDX-License-Identifier: GPL-2.0
/*
 * Output formats: every comm of the escape fixtures comes back out of
 * JSON, CSV and Prometheus as it went in (valid UTF-8 where the format
 * demands it), and the text table's units and totals.
 */
#include <json-c/json.h>

#include "testlib.h"

static void view_of(const struct pfs_table *t, const struct pfs_row **rows,
		    struct pfs_view *v)
{
	struct pfs_select s = { .sort_key = PFS_SORT_PID };

	memset(v, 0, sizeof(*v));
	v->t = t;
	v->rows = rows;
	v->n = v->nsel = pfs_select_rows(t, &s, rows);
	pfs_sum_rows(rows, v->n, &v->total);
}

/* A fixture's table and a view of all its rows by pid. */
struct view_fixture {
	struct pfs_table t;
	const struct pfs_row *rows[16];
	struct pfs_view v;
};

static void view_load(struct view_fixture *fx, const char *name)
{
	load_table(name, &fx->t);
	view_of(&fx->t, fx->rows, &fx->v);
}

/* Every string up to the NULL is in out (present) or none is (!present). */
static void check_strs(const char *out, const char *const *strs, bool present,
		       const char *file, int line)
{
	for (; *strs; strs++) {
		if ((strstr(out, *strs) != NULL) == present)
			continue;
		print_error("%s in the output: \"%s\"\n",
			    present ? "missing" : "unwanted", *strs);
		_fail(file, line);
	}
}

#define assert_has(out, ...)						\
	check_strs(out, (const char *const[]){ __VA_ARGS__, NULL }, true,	\
		   __FILE__, __LINE__)
#define assert_lacks(out, ...)						\
	check_strs(out, (const char *const[]){ __VA_ARGS__, NULL }, false,	\
		   __FILE__, __LINE__)
#define assert_starts_with(out, prefix)					\
	assert_memory_equal(out, prefix, strlen(prefix))

/* Render v in a format into a string the caller frees. */
static char *render(const struct pfs_view *v, enum pfs_fmt fmt)
{
	struct json_object *o;
	struct capture c;

	capture_start(&c);
	switch (fmt) {
	case PFS_OUT_TEXT:
		pfs_text_table(c.f, v);
		break;
	case PFS_OUT_JSON:
		o = pfs_json_view(v);
		assert_int_equal(pfs_json_print(c.f, o, false), 0);
		json_object_put(o);
		break;
	case PFS_OUT_CSV:
		pfs_csv_view(c.f, v, true);
		break;
	case PFS_OUT_PROM:
		pfs_prom_view(c.f, v);
		break;
	}
	return capture_end(&c);
}

static char *render_view_of(const char *name, enum pfs_fmt fmt, bool wide)
{
	struct view_fixture fx;
	char *out;

	view_load(&fx, name);
	fx.v.wide = wide;
	out = render(&fx.v, fmt);
	pfs_table_free(&fx.t);
	return out;
}

/* What fixture name prints in fmt, all its rows by pid; the caller frees. */
static char *render_fixture(const char *name, enum pfs_fmt fmt)
{
	return render_view_of(name, fmt, false);
}

/* The same for the text table with -l. */
static char *render_fixture_long(const char *name)
{
	return render_view_of(name, PFS_OUT_TEXT, true);
}

/* The JSON document of v, parsed. */
static struct json_object *render_json(const struct pfs_view *v)
{
	char *out = render(v, PFS_OUT_JSON);
	struct json_object *doc = json_tokener_parse(out);

	assert_non_null(doc);
	free(out);
	return doc;
}

static void test_json_round_trip(void **state)
{
	struct view_fixture fx;
	struct json_tokener *tok;
	struct json_object *doc, *procs;
	char *out;
	size_t i;

	(void)state;
	view_load(&fx, "proc_comm_escapes.txt");
	out = render(&fx.v, PFS_OUT_JSON);
	/* One line: NDJSON-safe. */
	assert_non_null(strchr(out, '\n'));
	assert_int_equal(strchr(out, '\n') - out, (long)strlen(out) - 1);
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	doc = json_tokener_parse_ex(tok, out, (int)strlen(out));
	assert_non_null(doc);
	json_tokener_free(tok);
	assert_true(json_object_object_get_ex(doc, "processes", &procs));
	assert_int_equal(json_object_array_length(procs), fx.t.nrows);
	for (i = 0; i < fx.t.nrows; i++) {
		struct json_object *p = json_object_array_get_idx(procs, i), *f;
		const struct pfs_row *r = fx.rows[i];
		char esc[PFS_COMM_ESC_MAX];

		assert_true(json_object_object_get_ex(p, "comm", &f));
		/* All of these comms are valid UTF-8: lossless. */
		assert_int_equal(json_object_get_string_len(f), r->comm_len);
		assert_memory_equal(json_object_get_string(f), r->comm, r->comm_len);
		assert_true(json_object_object_get_ex(p, "comm_escaped", &f));
		pfs_comm_escape_ascii(r->comm, r->comm_len, esc, sizeof(esc));
		assert_string_equal(json_object_get_string(f), esc);
		assert_true(json_object_object_get_ex(p, "minor", &f));
		assert_true(json_object_get_uint64(f) == r->v[PFS_MINOR]);
	}
	json_object_put(doc);
	free(out);
	pfs_table_free(&fx.t);
}

static void test_json_non_utf8_and_u64(void **state)
{
	struct view_fixture fx;
	struct json_object *doc, *procs, *f;
	struct json_tokener *tok;
	struct capture c;
	char *out;

	(void)state;
	view_load(&fx, "proc_nonutf8.txt");
	doc = pfs_json_view(&fx.v);
	capture_start(&c);
	pfs_json_print(c.f, doc, true);
	json_object_put(doc);
	out = capture_end(&c);
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	doc = json_tokener_parse_ex(tok, out, (int)strlen(out));
	assert_non_null(doc);	/* valid UTF-8 although the comm is not */
	json_tokener_free(tok);
	json_object_object_get_ex(doc, "processes", &procs);
	json_object_object_get_ex(json_object_array_get_idx(procs, 0), "comm", &f);
	assert_string_equal(json_object_get_string(f),
			    "bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_object_object_get_ex(json_object_array_get_idx(procs, 0), "comm_escaped", &f);
	/* lossless and ASCII: the format's escaping, bytes >= 0x80 included */
	assert_string_equal(json_object_get_string(f), "bad\\377\\376\\303");
	json_object_put(doc);
	free(out);
	pfs_table_free(&fx.t);

	view_load(&fx, "proc_max_u64.txt");
	doc = pfs_json_view(&fx.v);
	json_object_object_get_ex(doc, "processes", &procs);
	json_object_object_get_ex(json_object_array_get_idx(procs, 0), "minor", &f);
	assert_string_equal(json_object_to_json_string(f), "18446744073709551615");
	json_object_put(doc);
	pfs_table_free(&fx.t);
}

/* A minimal RFC 4180 reader: the next field of *p, unquoted. */
static size_t csv_next(const char **p, char *out, size_t outsz)
{
	const char *s = *p;
	size_t n = 0;

	if (*s == '"') {
		for (s++; *s; s++) {
			if (*s == '"' && s[1] == '"')
				s++;
			else if (*s == '"')
				break;
			if (n < outsz)
				out[n++] = *s;
		}
		assert_int_equal(*s, '"');
		s++;
	} else {
		while (*s && *s != ',' && *s != '\r')
			if (n < outsz)
				out[n++] = *s++;
	}
	if (*s == ',')
		s++;
	*p = s;
	return n;
}

static void test_csv_round_trip(void **state)
{
	struct view_fixture fx;
	const char *p;
	char *out, field[256];
	size_t i, n;

	(void)state;
	view_load(&fx, "proc_comm_escapes.txt");
	out = render(&fx.v, PFS_OUT_CSV);
	p = strstr(out, "\r\n");
	assert_non_null(p);
	assert_starts_with(out, "pid,comm,state,minor,");
	p += 2;
	for (i = 0; i < fx.t.nrows; i++) {
		n = csv_next(&p, field, sizeof(field));
		field[n] = '\0';
		assert_int_equal(atoi(field), fx.rows[i]->pid);
		n = csv_next(&p, field, sizeof(field));
		assert_int_equal(n, fx.rows[i]->comm_len);
		assert_memory_equal(field, fx.rows[i]->comm, n);
		p = strstr(p, "\r\n");
		assert_non_null(p);
		p += 2;
	}
	assert_int_equal(*p, '\0');
	free(out);
	pfs_table_free(&fx.t);
}

/* Undo the exposition format's label escaping. */
static size_t prom_unescape(const char *s, const char **end, char *out)
{
	size_t n = 0;

	for (; *s && *s != '"'; s++) {
		if (*s == '\\') {
			s++;
			assert_true(*s == '\\' || *s == '"' || *s == 'n');
			out[n++] = *s == 'n' ? '\n' : *s;
		} else {
			assert_true(*s != '\n');
			out[n++] = *s;
		}
	}
	*end = s;
	return n;
}

static void test_prometheus_labels_round_trip(void **state)
{
	struct view_fixture fx;
	char *out, *line, *save = NULL;
	size_t seen = 0, samples = 0;

	(void)state;
	view_load(&fx, "proc_comm_escapes.txt");
	out = render(&fx.v, PFS_OUT_PROM);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *q, *end;
		char comm[256];
		size_t n;
		int pid;

		if (line[0] == '#') {
			assert_true(!strncmp(line, "# HELP ", 7) || !strncmp(line, "# TYPE ", 7));
			continue;
		}
		samples++;
		q = strstr(line, "pid=\"");
		if (!q)
			continue;
		pid = atoi(q + 5);
		q = strstr(line, "comm=\"");
		assert_non_null(q);
		n = prom_unescape(q + 6, &end, comm);
		assert_int_equal(*end, '"');
		assert_int_equal(n, row_by_pid(&fx.t, pid)->comm_len);
		assert_memory_equal(comm, row_by_pid(&fx.t, pid)->comm, n);
		if (strstr(line, "type=\"minor\"")) {
			assert_int_equal(strtoull(strrchr(line, ' ') + 1, NULL, 10),
					 row_by_pid(&fx.t, pid)->v[PFS_MINOR]);
			seen++;
		}
	}
	assert_int_equal(seen, fx.t.nrows);
	assert_true(samples > fx.t.nrows * 12);
	free(out);
	pfs_table_free(&fx.t);
}

static void test_human_units(void **state)
{
	char b[32];

	(void)state;
	pfs_fmt_count(b, sizeof(b), 99999, false);
	assert_string_equal(b, "99999");
	pfs_fmt_count(b, sizeof(b), 100000, false);
	assert_string_equal(b, "100k");
	pfs_fmt_count(b, sizeof(b), 1520330, false);
	assert_string_equal(b, "1.52M");
	pfs_fmt_count(b, sizeof(b), 342233, false);
	assert_string_equal(b, "342k");
	pfs_fmt_count(b, sizeof(b), 999999, false);
	assert_string_equal(b, "1.00M");
	pfs_fmt_count(b, sizeof(b), UINT64_MAX, false);
	assert_string_equal(b, "18.4E");
	pfs_fmt_count(b, sizeof(b), 1520330, true);
	assert_string_equal(b, "1520330");
	pfs_fmt_ns(b, sizeof(b), 999, false);
	assert_string_equal(b, "999ns");
	pfs_fmt_ns(b, sizeof(b), 1830411, false);
	assert_string_equal(b, "1.8ms");
	pfs_fmt_ns(b, sizeof(b), 2500000000ULL, false);
	assert_string_equal(b, "2.50s");
}

static void test_timeval_seconds(void **state)
{
	struct timeval tv = { 0, 0 };

	(void)state;
	assert_true(pfs_timeval_s(&tv) == 0.0);
	tv = (struct timeval){ 3, 250000 };
	assert_true(pfs_timeval_s(&tv) == 3.25);
	tv = (struct timeval){ 0, 125000 };
	assert_true(pfs_timeval_s(&tv) == 0.125);
	tv = (struct timeval){ 12, 0 };
	assert_true(pfs_timeval_s(&tv) == 12.0);
	tv = (struct timeval){ 1, 999999 };
	assert_true(pfs_timeval_s(&tv) > 1.999998 && pfs_timeval_s(&tv) < 2.0);
	tv = (struct timeval){ 86400, 1 };
	assert_true(pfs_timeval_s(&tv) > 86400.0 && pfs_timeval_s(&tv) < 86400.000002);
}

static void test_text_table_totals_and_top(void **state)
{
	struct pfs_table t;
	const struct pfs_row *rows[16];
	struct pfs_select s = { .sort_key = PFS_SORT_TOTAL, .sort_desc = true };
	struct pfs_view v;
	char *out;

	(void)state;
	load_table("proc_basic.txt", &t);
	memset(&v, 0, sizeof(v));
	v.t = &t;
	v.rows = rows;
	v.nsel = pfs_select_rows(&t, &s, rows);
	pfs_sum_rows(rows, v.nsel, &v.total);
	v.n = 2;
	out = render(&v, PFS_OUT_TEXT);
	print_message("%s", out);
	assert_has(out, "kretprobe, counting, 8/4096 rows", "PID STATE",
		   " 1.52M ", "Web Content\n");
	assert_lacks(out, "systemd");	/* cut by top 2 */
	/* totals over all 8: 1883397 minor */
	assert_has(out, "total ", " 1.88M ", "(8 processes)");
	free(out);
	pfs_table_free(&t);
}

static void test_hist_bars(void **state)
{
	struct pfs_hist h;
	struct capture c;
	char *out, *line;

	(void)state;
	load_hist("hist_basic.txt", &h);
	capture_start(&c);
	pfs_hist_text(c.f, &h, 40);
	out = capture_end(&c);
	print_message("%s", out);
	assert_non_null(strstr(out, "minor: 6199 calls, p50 < 1.0us, p99 < 4.1us"));
	/* the largest bucket gets the full width */
	line = strstr(out, "512ns .. 1.0us");
	assert_non_null(line);
	assert_non_null(strstr(line, "|########################################\n"));
	/* a bucket of 2 in 6199 still shows one mark */
	line = strstr(out, "65.5us .. 131.1us");
	assert_non_null(line);
	assert_memory_equal(strchr(line, '\n') - 5, " 2 |#", 5);
	free(out);
	pfs_hist_free(&h);
}

/* The object of pid in a JSON view's "processes". */
static struct json_object *json_proc(struct json_object *doc, int pid)
{
	struct json_object *procs, *p, *f;
	size_t i;

	assert_true(json_object_object_get_ex(doc, "processes", &procs));
	for (i = 0; i < json_object_array_length(procs); i++) {
		p = json_object_array_get_idx(procs, i);
		assert_true(json_object_object_get_ex(p, "pid", &f));
		if (json_object_get_int(f) == pid)
			return p;
	}
	fail_msg("no process %d in the JSON", pid);
	return NULL;
}

static uint64_t json_u64(struct json_object *o, const char *k)
{
	struct json_object *f;

	assert_true(json_object_object_get_ex(o, k, &f));
	assert_true(json_object_is_type(f, json_type_int));
	return json_object_get_uint64(f);
}

static bool json_is_null(struct json_object *o, const char *k)
{
	struct json_object *f;

	/* present, and null: unknown is said, not left out */
	return json_object_object_get_ex(o, k, &f) && f == NULL;
}

static bool json_has(struct json_object *o, const char *k)
{
	return json_object_object_get_ex(o, k, NULL);
}

/* The default table: THRASH (refault_active) after FLT-TIME, none without it. */
static void test_text_thrash_column(void **state)
{
	char *out;

	(void)state;
	out = render_fixture("proc_refault.txt", PFS_OUT_TEXT);
	print_message("%s", out);
	assert_has(out,
		   /* global refault_anon 41000 + refault_file 23100, refault_active 38000 */
		   "all processes: 831k minor, 64214 major, 64100 refaults, 38000 thrash\n",
		   "  PID STATE  MINOR MAJOR INVALID SIGBUS EFAULT FLT-TIME THRASH COMMAND\n",
		   " 9.12s  37800 lab-5\n",
		   "      3 systemd\n",
		   /* 3 + 37800 + 197 */
		   "  38000 (5 processes)\n");
	free(out);

	out = render_fixture("proc_basic.txt", PFS_OUT_TEXT);
	assert_lacks(out, "THRASH", "refault");
	assert_has(out, " FLT-TIME COMMAND\n");
	free(out);
}

/* -l: the five columns, thrash time in units, "-" where unknown, and why. */
static void test_text_long_refault_columns(void **state)
{
	struct view_fixture fx;
	char *out;

	(void)state;
	view_load(&fx, "proc_refault.txt");
	fx.v.wide = true;
	out = render(&fx.v, PFS_OUT_TEXT);
	print_message("%s", out);
	assert_has(out,
		   " FAULT-NS REFAULT-ANON REFAULT-FILE REFAULT-ACTIVE REFAULT-RESTORE THRASH-NS COMMAND\n",
		   /* lab-5: 40000 200 37800 8800, 7250000000 ns */
		   " 40000          200          37800            8800     7.25s lab-5\n",
		   "       - systemd\n",
		   "     3.4ms cat\n",
		   /* total: the known ones, 7.25 s + 3.4 ms */
		   "     7.25s (5 processes)\n",
		   "no thrashing time kept for 3 processes",
		   "kernel.task_delayacct=1");
	free(out);
	fx.v.raw = true;
	out = render(&fx.v, PFS_OUT_TEXT);
	assert_has(out, " 7250000000 lab-5\n", " - systemd\n");
	free(out);
	pfs_table_free(&fx.t);

	/* the debugfs order: after FAULT-MAX-NS */
	out = render_fixture_long("procs_debugfs_refault.txt");
	assert_has(out,
		   " FAULT-MAX-NS REFAULT-ANON REFAULT-FILE REFAULT-ACTIVE REFAULT-RESTORE THRASH-NS COMMAND\n",
		   "for 1 process (delay accounting was off when it started;");
	free(out);
}

static void test_json_refaults_and_null_thrash(void **state)
{
	struct view_fixture fx;
	struct json_object *doc, *p, *mod;

	(void)state;
	view_load(&fx, "proc_refault.txt");
	doc = render_json(&fx.v);
	p = json_proc(doc, 2001);
	assert_int_equal(json_u64(p, "refault_anon"), 40000);
	assert_int_equal(json_u64(p, "refault_file"), 200);
	assert_int_equal(json_u64(p, "refault_active"), 37800);
	assert_int_equal(json_u64(p, "refault_restore"), 8800);
	assert_true(json_u64(p, "thrash_ns") == 7250000000ULL);
	p = json_proc(doc, 1);
	assert_int_equal(json_u64(p, "refault_active"), 3);
	assert_true(json_is_null(p, "thrash_ns"));
	assert_true(json_object_object_get_ex(doc, "total", &p));
	assert_int_equal(json_u64(p, "refault_active"), 38000);
	assert_true(json_u64(p, "thrash_ns") == 7250000000ULL + 3400000);
	assert_true(json_object_object_get_ex(doc, "module", &mod));
	assert_int_equal(json_u64(mod, "refault_restore"), 9000);
	json_object_put(doc);
	/* none of the selected rows knows it: the total is null too */
	fx.v.n = fx.v.nsel = 1;
	fx.rows[0] = row_by_pid(&fx.t, 733);
	pfs_sum_rows(fx.rows, 1, &fx.v.total);
	doc = render_json(&fx.v);
	assert_true(json_object_object_get_ex(doc, "total", &p));
	assert_true(json_is_null(p, "thrash_ns"));
	json_object_put(doc);
	pfs_table_free(&fx.t);

	/* an older module: the fields are absent, not 0 */
	view_load(&fx, "proc_basic.txt");
	doc = render_json(&fx.v);
	p = json_proc(doc, 1);
	assert_false(json_has(p, "refault_active"));
	assert_false(json_has(p, "thrash_ns"));
	json_object_put(doc);
	pfs_table_free(&fx.t);
}

static void test_csv_refault_columns_at_the_end(void **state)
{
	char *out;

	(void)state;
	out = render_fixture("proc_refault.txt", PFS_OUT_CSV);
	/* the earlier columns where they were, invalid included */
	assert_starts_with(out, "pid,comm,state,minor,major,retry,segv_maperr,segv_accerr,segv_pkuerr,sigbus,oom,efault,hwpoison,segv_mm,remote,fault_ns,start_time,ppid,invalid,refault_anon,refault_file,refault_active,refault_restore,thrash_ns\r\n");
	assert_has(out,
		   "\r\n1,systemd,alive,10234,51,4,0,0,0,0,0,0,0,0,0,14830211,2,0,0,0,12,3,0,\r\n",
		   ",1201,0,40000,200,37800,8800,7250000000\r\n");
	free(out);

	out = render_fixture("procs_debugfs_refault.txt", PFS_OUT_CSV);
	assert_has(out, ",exec,fault_max_ns,invalid,refault_anon,refault_file,refault_active,refault_restore,thrash_ns\r\n");
	free(out);

	out = render_fixture("proc_basic.txt", PFS_OUT_CSV);
	assert_starts_with(out, "pid,comm,state,minor,major,retry,segv_maperr,segv_accerr,segv_pkuerr,sigbus,oom,efault,hwpoison,segv_mm,remote,fault_ns,start_time,ppid,invalid\r\n");
	free(out);
}

static size_t count_lines(const char *out, const char *prefix)
{
	size_t n = 0;
	const char *l;

	for (l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		n += !strncmp(l, prefix, strlen(prefix));
	return n;
}

static void test_prometheus_refault_families(void **state)
{
	char *out;

	(void)state;
	out = render_fixture("proc_refault.txt", PFS_OUT_PROM);
	assert_has(out,
		   "# TYPE pagefault_stats_refault_pages_total counter\n",
		   "# TYPE pagefault_stats_refault_active_pages_total counter\n",
		   "# TYPE pagefault_stats_refault_restore_pages_total counter\n",
		   "# TYPE pagefault_stats_thrash_seconds_total counter\n");
	assert_int_equal(count_lines(out, "# HELP pagefault_stats_refault_pages_total "), 1);
	/* 5 processes x anon and file */
	assert_int_equal(count_lines(out, "pagefault_stats_refault_pages_total{"), 10);
	assert_has(out,
		   "pagefault_stats_refault_pages_total{pid=\"2002\",comm=\"cat\",start_time=\"9100\",kind=\"file\"} 22787\n",
		   "pagefault_stats_refault_active_pages_total{pid=\"2001\",comm=\"lab-5\",start_time=\"9000\"} 37800\n",
		   "pagefault_stats_refault_restore_pages_total{pid=\"2001\",comm=\"lab-5\",start_time=\"9000\"} 8800\n");
	/* the series of the two that know their thrash time, no other */
	assert_int_equal(count_lines(out, "pagefault_stats_thrash_seconds_total{"), 2);
	assert_has(out, "pagefault_stats_thrash_seconds_total{pid=\"2001\",comm=\"lab-5\",start_time=\"9000\"} 7.250000000\n");
	assert_lacks(out, "pagefault_stats_thrash_seconds_total{pid=\"1\",");
	/* module-wide, from the global keys */
	assert_has(out,
		   "pagefault_stats_all_refault_pages_total{kind=\"anon\"} 41000\n",
		   "pagefault_stats_all_refault_pages_total{kind=\"file\"} 23100\n",
		   "pagefault_stats_all_refault_active_pages_total 38000\n",
		   "pagefault_stats_all_refault_restore_pages_total 9000\n");
	free(out);

	out = render_fixture("proc_basic.txt", PFS_OUT_PROM);
	assert_lacks(out, "refault", "thrash");
	free(out);
}

/*
 * Watch: a delta of 2 s in which lab-5 refaulted 2000 anon pages, 1000
 * of them active, 600 restored, and waited 0.5 s; systemd's time stays
 * unknown. The view is of the delta, fx->t.
 */
static void watch_delta(struct pfs_table *a, struct view_fixture *fx)
{
	struct pfs_table b;
	struct pfs_row *r;
	size_t i;

	load_table("proc_refault.txt", a);
	load_table("proc_refault.txt", &b);
	for (i = 0; i < b.nrows; i++) {
		r = &b.rows[i];
		if (r->pid != 2001)
			continue;
		r->v[PFS_REFAULT_ANON] += 2000;
		r->v[PFS_REFAULT_ACTIVE] += 1000;
		r->v[PFS_REFAULT_RESTORE] += 600;
		r->v[PFS_THRASH_NS] += 500000000;
	}
	for (i = 0; i < b.nglobals; i++)
		if (!strcmp(b.globals[i].key, "refault_active"))
			b.globals[i].num += 1000;
	assert_int_equal(pfs_table_delta(a, &b, &fx->t), 0);
	pfs_table_free(&b);
	view_of(&fx->t, fx->rows, &fx->v);
	fx->v.elapsed = 2.0;
	fx->v.interval = 1;
}

static double json_double(struct json_object *o, const char *k)
{
	struct json_object *f;

	assert_true(json_object_object_get_ex(o, k, &f));
	return json_object_get_double(f);
}

static void test_watch_refault_rates(void **state)
{
	struct view_fixture fx;
	struct json_object *doc, *p;
	struct pfs_table a;
	char *out;

	(void)state;
	watch_delta(&a, &fx);
	out = render(&fx.v, PFS_OUT_TEXT);
	print_message("%s", out);
	assert_has(out, ", 0.0 refaults/s, 500.0 thrash/s\n",
		   " FLT-TIME THRASH THRASH/s COMMAND\n",
		   "   1000    500.0 lab-5\n");
	free(out);
	fx.v.wide = true;
	out = render(&fx.v, PFS_OUT_TEXT);
	print_message("%s", out);
	assert_has(out,
		   " THRASH-NS REFAULT-ANON/s REFAULT-FILE/s REFAULT-ACTIVE/s REFAULT-RESTORE/s THRASH-NS/s COMMAND\n",
		   /* 2000, 0, 1000, 600 pages and 0.5 s in 2 s */
		   " 1000.0            0.0            500.0             300.0     250.0ms lab-5\n",
		   "           - systemd\n");
	free(out);
	fx.v.wide = false;

	doc = render_json(&fx.v);
	p = json_proc(doc, 2001);
	assert_true(json_double(p, "refault_active_per_s") == 500.0);
	assert_true(json_double(p, "thrash_ns_per_s") == 250000000.0);
	assert_true(json_is_null(json_proc(doc, 1), "thrash_ns_per_s"));
	assert_true(json_object_object_get_ex(doc, "total", &p));
	assert_true(json_double(p, "refault_anon_per_s") == 1000.0);
	json_object_put(doc);

	out = render(&fx.v, PFS_OUT_CSV);
	assert_has(out,
		   ",invalid,minor_per_s,major_per_s,refault_anon,refault_file,refault_active,refault_restore,thrash_ns,refault_anon_per_s,refault_file_per_s,refault_active_per_s,refault_restore_per_s,thrash_ns_per_s\r\n",
		   ",2000,0,1000,600,500000000,1000.000,0.000,500.000,300.000,250000000.000\r\n",
		   ",systemd,alive,",
		   ",0,0,0,0,,0.000,0.000,0.000,0.000,\r\n");
	free(out);
	pfs_table_free(&fx.t);
	pfs_table_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_non_utf8_and_u64),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_prometheus_labels_round_trip),
		cmocka_unit_test(test_human_units),
		cmocka_unit_test(test_timeval_seconds),
		cmocka_unit_test(test_text_table_totals_and_top),
		cmocka_unit_test(test_hist_bars),
		cmocka_unit_test(test_text_thrash_column),
		cmocka_unit_test(test_text_long_refault_columns),
		cmocka_unit_test(test_json_refaults_and_null_thrash),
		cmocka_unit_test(test_csv_refault_columns_at_the_end),
		cmocka_unit_test(test_prometheus_refault_families),
		cmocka_unit_test(test_watch_refault_rates),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
