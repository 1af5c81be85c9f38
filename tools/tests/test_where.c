// SPDX-License-Identifier: GPL-2.0
/*
 * The where report (where.c, out_where.c): events land in the row of
 * their file (by dev:ino, named from any snapshot) or of the region their
 * address is in; page ranges and distinct pages; majors sort first;
 * invalid accesses are listed with their instruction as file+offset, up
 * to the bound; text, JSON and CSV carry the same numbers.
 */
#include <json-c/json.h>

#include "testlib.h"

#define DEV_FE01	((254u << 20) | 1)

static const char maps_text[] =
	"00400000-00452000 r-xp 00000000 fe:01 1234                               /usr/bin/prog\n"
	"00651000-00652000 rw-p 00051000 fe:01 1234                               /usr/bin/prog\n"
	"01a4b000-01a6c000 rw-p 00000000 00:00 0                                  [heap]\n"
	"7f0000000000-7f0004000000 r--s 00000000 fe:01 12                         /mnt/disk/data64m\n"
	"7f1000000000-7f1000100000 rw-p 00000000 00:00 0 \n"
	"7ffd1000-7ffd3000 rw-p 00000000 00:00 0                                  [stack]\n";

static struct pfs_event fault(enum pfs_result res, enum pfs_cause cause,
			      uint64_t addr, uint32_t dev, uint64_t ino,
			      uint64_t pgoff)
{
	struct pfs_event e = {
		.type = PFS_EV_FAULT, .tgid = 100, .pid = 101, .address = addr,
		.result = res, .cause = cause, .dev = dev, .ino = ino,
		.pgoff = pgoff,
	};

	return e;
}

static struct pfs_event invalid(uint64_t addr, uint64_t ip, bool user)
{
	struct pfs_event e = {
		.type = PFS_EV_INVALID, .tgid = 100, .pid = 102, .address = addr,
		.ip = ip, .kind = user ? PFS_K_SEGV_MAPERR : PFS_K_EFAULT,
		.user = user, .error_code = 6,
	};

	return e;
}

static void add(struct pfs_where *w, const struct pfs_maps *u,
		struct pfs_event e)
{
	assert_int_equal(pfs_where_add(w, u, &e), 0);
}

/*
 * The workload: 4 major faults on pages 10..13 of data64m and one minor
 * again on page 12; 3 minor on the heap (two on one page); 1 on the
 * anonymous region; a major on a file no snapshot showed (dev 8:1 ino 7);
 * 2 SIGSEGVs at unmapped 0xdead000 and 0xdead0000 from prog's text at
 * 0x401a2c, and one efault from a kernel ip.
 */
static void build(struct pfs_where *w)
{
	struct pfs_maps u = { 0 }, s;
	struct pfs_err e;
	int i;

	assert_int_equal(pfs_maps_parse(maps_text, strlen(maps_text), &s, &e), 0);
	assert_int_equal(pfs_maps_merge(&u, &s), 0);
	pfs_maps_free(&s);
	pfs_where_init(w, 100);
	for (i = 10; i <= 13; i++)
		add(w, &u, fault(PFS_R_MAJOR, PFS_C_FILE, 0x7f0000000000ULL + i * 4096,
				 DEV_FE01, 12, (uint64_t)i));
	add(w, &u, fault(PFS_R_MINOR, PFS_C_FILE, 0x7f000000c000ULL, DEV_FE01, 12, 12));
	add(w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x1a4b010, 0, 0, 0));
	add(w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x1a4b020, 0, 0, 0));
	add(w, &u, fault(PFS_R_RETRY, PFS_C_ANON, 0x1a5c000, 0, 0, 0));
	add(w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x7f1000002000ULL, 0, 0, 0));
	add(w, &u, fault(PFS_R_MAJOR, PFS_C_FILE, 0x7f2000000000ULL, (8u << 20) | 1, 7, 3));
	add(w, &u, invalid(0xdead000, 0x401a2c, true));
	add(w, &u, invalid(0xdead0000, 0x401a2c, true));
	add(w, &u, invalid(0x10, 0xffffffff81234567ULL, false));
	assert_int_equal(pfs_where_finish(w, &u), 0);
	pfs_maps_free(&u);
}

static const struct pfs_where_row *row(const struct pfs_where *w,
				       const char *name)
{
	char buf[256];
	size_t i;

	for (i = 0; i < w->nrows; i++) {
		pfs_where_name(&w->rows[i], buf, sizeof(buf));
		if (!strcmp(buf, name))
			return &w->rows[i];
	}
	fail_msg("no row '%s'", name);
	return NULL;
}

static void test_rows(void **state)
{
	const struct pfs_where_row *r;
	struct pfs_where w;

	(void)state;
	build(&w);
	assert_int_equal(w.events, 13);	/* 5 + 3 + 1 + 1 + 3 */
	r = row(&w, "/mnt/disk/data64m");
	assert_int_equal(r->major, 4);
	assert_int_equal(r->minor, 1);
	assert_int_equal(r->lo, 10);
	assert_int_equal(r->hi, 13);
	assert_int_equal(r->pages, 4);		/* page 12 twice */
	r = row(&w, "[heap]");
	assert_int_equal(r->minor, 2);
	assert_int_equal(r->retry, 1);
	assert_int_equal(r->pages, 2);		/* 0x1a4b and 0x1a5c */
	assert_true(r->lo == 0x1a4b && r->hi == 0x1a5c);
	r = row(&w, "[anon 0x7f1000000000-0x7f1000100000]");
	assert_int_equal(r->minor, 1);
	r = row(&w, "dev 8:1 ino 7");		/* never in a snapshot */
	assert_int_equal(r->major, 1);
	assert_null(r->name);
	r = row(&w, "[unmapped]");		/* the three invalid accesses */
	assert_int_equal(r->invalid, 3);
	assert_int_equal(w.by_result[PFS_R_MAJOR], 5);
	assert_int_equal(w.by_kind[PFS_K_SEGV_MAPERR], 2);
	pfs_where_free(&w);
}

/* execve()'s argument page, never in a snapshot, on 4- and 5-level tables. */
static void test_exec_args(void **state)
{
	struct pfs_maps u = { 0 };
	const struct pfs_where_row *r;
	struct pfs_where w;

	(void)state;
	pfs_where_init(&w, 1);
	add(&w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x7fffffffe010ULL, 0, 0, 0));
	add(&w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0xffffffffffe000ULL, 0, 0, 0));
	add(&w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x7ffffffff000ULL, 0, 0, 0));
	assert_int_equal(pfs_where_finish(&w, &u), 0);
	r = row(&w, "[exec args]");
	assert_int_equal(r->minor, 2);
	r = row(&w, "[unmapped]");		/* the page above: not it */
	assert_int_equal(r->minor, 1);
	pfs_where_free(&w);
}

/* A stack that grew, or overflowed into its guard gap, between snapshots. */
static void test_stack_growth(void **state)
{
	static const char maps[] =
		"7ffd00100000-7ffd00121000 rw-p 00000000 00:00 0                          [stack]\n";
	struct pfs_maps u = { 0 };
	const struct pfs_where_row *r;
	struct pfs_where w;
	struct pfs_err e;

	(void)state;
	assert_int_equal(pfs_maps_parse(maps, strlen(maps), &u, &e), 0);
	pfs_where_init(&w, 1);
	w.stack_limit = 1 << 20;	/* 1 MiB, then the 1 MiB guard gap */
	add(&w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x7ffd00110000ULL, 0, 0, 0));
	add(&w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x7ffd000ff000ULL, 0, 0, 0));
	add(&w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x7ffcfff30000ULL, 0, 0, 0));
	add(&w, &u, fault(PFS_R_MINOR, PFS_C_ANON, 0x7ffcffe00000ULL, 0, 0, 0));
	assert_int_equal(pfs_where_finish(&w, &u), 0);
	r = row(&w, "[stack]");		/* in it, grown, in the gap */
	assert_int_equal(r->minor, 3);
	r = row(&w, "[unmapped]");	/* below limit and gap */
	assert_int_equal(r->minor, 1);
	pfs_where_free(&w);
	pfs_maps_free(&u);
}

static void test_order_majors_first(void **state)
{
	struct pfs_where w;
	char name[256];

	(void)state;
	build(&w);
	/* data64m 4 major, dev 8:1 1 major, [heap] 2 total, anon 1, unmapped 0 */
	pfs_where_name(&w.rows[0], name, sizeof(name));
	assert_string_equal(name, "/mnt/disk/data64m");
	pfs_where_name(&w.rows[1], name, sizeof(name));
	assert_string_equal(name, "dev 8:1 ino 7");
	pfs_where_name(&w.rows[2], name, sizeof(name));
	assert_string_equal(name, "[heap]");
	pfs_where_name(&w.rows[w.nrows - 1], name, sizeof(name));
	assert_string_equal(name, "[unmapped]");
	pfs_where_free(&w);
}

static void test_invalid_list(void **state)
{
	struct pfs_where w;

	(void)state;
	build(&w);
	assert_int_equal(w.ninv, 3);
	assert_true(w.inv[0].address == 0xdead000);
	assert_string_equal(w.inv[0].ip_file, "/usr/bin/prog");
	/* ip 0x401a2c in 00400000-00452000 at file offset 0 */
	assert_true(w.inv[0].ip_offset == 0x1a2c);
	assert_null(w.inv[2].ip_file);		/* a kernel ip */
	pfs_where_free(&w);
}

static void test_invalid_bound(void **state)
{
	struct pfs_maps u = { 0 };
	struct pfs_where w;
	int i;

	(void)state;
	pfs_where_init(&w, 1);
	for (i = 0; i < PFS_WHERE_INVALID_MAX + 5; i++)
		add(&w, &u, invalid(0x1000 * (uint64_t)i, 0x400000, true));
	assert_int_equal(pfs_where_finish(&w, &u), 0);
	assert_int_equal(w.ninv, PFS_WHERE_INVALID_MAX);
	assert_int_equal(w.inv_more, 5);
	assert_int_equal(w.rows[0].invalid, PFS_WHERE_INVALID_MAX + 5);
	pfs_where_free(&w);
}

/* What a writer prints for @w. */
static char *render(void (*writer)(FILE *, const struct pfs_where *),
		    const struct pfs_where *w)
{
	struct capture c;

	capture_start(&c);
	writer(c.f, w);
	return capture_end(&c);
}

static void test_text(void **state)
{
	struct pfs_where w;
	char *out;

	(void)state;
	build(&w);
	out = render(pfs_where_text, &w);
	assert_non_null(strstr(out, "13 events, 0 lost"));
	assert_non_null(strstr(out, "pgoff 10..13"));
	assert_non_null(strstr(out, "/mnt/disk/data64m\n"));
	assert_non_null(strstr(out, "/usr/bin/prog+0x1a2c\n"));
	assert_non_null(strstr(out, "[kernel]\n"));
	assert_non_null(strstr(out, "Invalid accesses: 3\n"));
	assert_null(strstr(out, "warning"));
	free(out);
	w.lost = 9;
	out = render(pfs_where_text, &w);
	assert_non_null(strstr(out, "warning: 9 events lost"));
	free(out);
	pfs_where_free(&w);
}

static void test_json(void **state)
{
	struct json_object *o, *m, *v;
	struct pfs_where w;

	(void)state;
	build(&w);
	o = pfs_where_json(&w);
	assert_true(json_object_object_get_ex(o, "mappings", &m));
	assert_int_equal(json_object_array_length(m), w.nrows);
	v = json_object_array_get_idx(m, 0);
	assert_string_equal(json_object_get_string(json_object_object_get(v, "mapping")),
			    "/mnt/disk/data64m");
	assert_int_equal(json_object_get_uint64(json_object_object_get(v, "major")), 4);
	assert_int_equal(json_object_get_uint64(json_object_object_get(v, "pgoff_first")), 10);
	assert_int_equal(json_object_get_uint64(json_object_object_get(v, "pgoff_last")), 13);
	assert_int_equal(json_object_get_uint64(json_object_object_get(v, "pages")), 4);
	assert_string_equal(json_object_get_string(json_object_object_get(v, "dev")), "254:1");
	assert_true(json_object_object_get_ex(o, "invalid", &m));
	v = json_object_array_get_idx(m, 1);
	assert_string_equal(json_object_get_string(json_object_object_get(v, "address")),
			    "0xdead0000");
	assert_string_equal(json_object_get_string(json_object_object_get(v, "kind")),
			    "segv_maperr");
	assert_string_equal(json_object_get_string(json_object_object_get(v, "instruction")),
			    "/usr/bin/prog+0x1a2c");
	v = json_object_object_get(o, "counts");
	assert_int_equal(json_object_get_uint64(json_object_object_get(v, "major")), 5);
	assert_int_equal(json_object_get_uint64(json_object_object_get(v, "efault")), 1);
	json_object_put(o);
	pfs_where_free(&w);
}

static void test_csv(void **state)
{
	struct pfs_where w;
	char *out;

	(void)state;
	build(&w);
	out = render(pfs_where_csv, &w);
	assert_true(!strncmp(out, "mapping,kind,cause,dev,ino,first,last,pages,major,minor,", 56));
	assert_non_null(strstr(out, "\r\n/mnt/disk/data64m,file,file,254:1,12,10,13,4,4,1,0,0,0,5\r\n"));
	assert_non_null(strstr(out, "\r\n[unmapped],unmapped,anon,,,,,0,0,0,0,0,3,0\r\n"));
	free(out);
	pfs_where_free(&w);
}

/* run --where: how the command ended and what it did before tracing. */
static void test_run_info(void **state)
{
	static char *argv[] = { (char *)"dd", (char *)"if=x", NULL };
	struct pfs_where_run run = {
		.argv = argv, .exited = true, .code = 3, .start_time = 77,
		.pre_minflt = 9, .pre_majflt = 0,
	};
	struct json_object *o, *r;
	struct pfs_where w;
	struct capture c;
	char *out;

	(void)state;
	build(&w);
	run.ru.ru_minflt = 12;
	run.ru.ru_majflt = 5;
	w.run = &run;
	o = pfs_where_json(&w);
	r = json_object_object_get(o, "run");
	assert_int_equal(json_object_get_int(json_object_object_get(
		json_object_object_get(r, "exit"), "code")), 3);
	assert_int_equal(json_object_get_int64(json_object_object_get(
		json_object_object_get(r, "rusage"), "majflt")), 5);
	assert_int_equal(json_object_get_uint64(json_object_object_get(
		json_object_object_get(r, "before_trace"), "minflt")), 9);
	json_object_put(o);
	capture_start(&c);
	pfs_where_text(c.f, &w);
	out = capture_end(&c);
	assert_non_null(strstr(out, " command: dd if=x; exit status 3; rusage minflt 12 majflt 5\n"));
	assert_non_null(strstr(out, "before tracing began (fork to exec): minflt 9 majflt 0\n"));
	free(out);
	pfs_where_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_exec_args),
		cmocka_unit_test(test_stack_growth),
		cmocka_unit_test(test_order_majors_first),
		cmocka_unit_test(test_invalid_list),
		cmocka_unit_test(test_invalid_bound),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_run_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
