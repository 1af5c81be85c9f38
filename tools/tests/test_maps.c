// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/PID/maps (maps.c): lines as fs/proc/task_mmu.c prints them parse
 * into their fields, malformed ones are refused with the line number,
 * and the union of snapshots answers by address (latest first) and by
 * dev:ino even after the mapping is gone.
 */
#include "testlib.h"
#include "maps.h"

static const char snap1[] =
	"00400000-00452000 r-xp 00000000 fe:01 1234                               /usr/bin/prog\n"
	"00651000-00652000 rw-p 00051000 fe:01 1234                               /usr/bin/prog\n"
	"01a4b000-01a6c000 rw-p 00000000 00:00 0                                  [heap]\n"
	"7f0000000000-7f0004000000 r--s 00000000 fe:01 12                         /mnt/disk/data 64m (deleted)\n"
	"7f1000000000-7f1000100000 rw-p 00000000 00:00 0 \n"
	"7ffd1000-7ffd3000 rw-p 00000000 00:00 0                                  [stack]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

/* The file mapping of snap1 is gone; the heap grew. */
static const char snap2[] =
	"00400000-00452000 r-xp 00000000 fe:01 1234                               /usr/bin/prog\n"
	"01a4b000-01a8c000 rw-p 00000000 00:00 0                                  [heap]\n";

static void parse(const char *text, struct pfs_maps *m)
{
	struct pfs_err e;
	int r = pfs_maps_parse(text, strlen(text), m, &e);

	if (r)
		print_error("line %u: %s\n", e.line, e.msg);
	assert_int_equal(r, 0);
}

static void test_fields(void **state)
{
	struct pfs_maps m;

	(void)state;
	parse(snap1, &m);
	assert_int_equal(m.n, 7);
	assert_true(m.m[1].start == 0x651000 && m.m[1].end == 0x652000);
	assert_true(m.m[1].offset == 0x51000);
	assert_string_equal(m.m[1].perms, "rw-p");
	/* fe:01 is major 254 minor 1, the kernel's dev_t 254 << 20 | 1 */
	assert_int_equal(m.m[1].dev, (254u << 20) | 1);
	assert_int_equal(m.m[1].ino, 1234);
	assert_string_equal(m.m[1].path, "/usr/bin/prog");
	/* a path with spaces is the rest of the line */
	assert_string_equal(m.m[3].path, "/mnt/disk/data 64m (deleted)");
	assert_null(m.m[4].path);
	assert_string_equal(m.m[2].path, "[heap]");
	assert_true(m.m[6].start == 0xffffffffff600000ULL);
	assert_true(pfs_map_is_file(&m.m[0]));
	assert_false(pfs_map_is_file(&m.m[2]));
	assert_false(pfs_map_is_file(&m.m[4]));
	pfs_maps_free(&m);
}

static void test_empty_is_no_entries(void **state)
{
	struct pfs_maps m;

	(void)state;
	parse("", &m);
	assert_int_equal(m.n, 0);
	pfs_maps_free(&m);
}

static const char second_bad[] =
	"00400000-00452000 r-xp 00000000 fe:01 1 /a\nbad\n";

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"00400000-00452000 r-xp 00000000 fe:01 1234 /a",	/* no newline */
		"00400000 r-xp 00000000 fe:01 1234 /a\n",
		"00452000-00400000 r-xp 00000000 fe:01 1234 /a\n",	/* end < start */
		"00400000-00452000 r-xp 00000000 fe01 1234 /a\n",
		"00400000-00452000 r-xp 0000000g fe:01 1234 /a\n",
		"00400000-00452000 r-x 00000000 fe:01 1234 /a\n",
		"00400000-00452000 r-xp 00000000 fe:01 /a\n",
		"00400000-00452000 r-xp 00000000 fe:01 12x4 /a\n",
		"10000000000000000-10000000000000001 r-xp 0 0:0 0\n",	/* 17 digits */
		"00400000-00452000 r-xp 00000000 fe:01 1234 /a\n\n",	/* empty line */
	};
	struct pfs_maps m;
	struct pfs_err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (pfs_maps_parse(bad[i], strlen(bad[i]), &m, &e) != -1)
			fail_msg("accepted bad line %zu: %s", i, bad[i]);
		assert_true(e.line >= 1);
		assert_int_equal(m.n, 0);
	}
	/* the line number is the bad line's */
	assert_int_equal(pfs_maps_parse(second_bad, strlen(second_bad), &m, &e), -1);
	assert_int_equal(e.line, 2);
}

static void test_union(void **state)
{
	struct pfs_maps s1, s2, u = { 0 };
	const struct pfs_map *e;

	(void)state;
	parse(snap1, &s1);
	parse(snap2, &s2);
	assert_int_equal(pfs_maps_merge(&u, &s1), 0);
	assert_int_equal(pfs_maps_merge(&u, &s2), 0);
	/* 7 + the grown heap; the unchanged text is one entry */
	assert_int_equal(u.n, 8);
	/* by address: the latest snapshot's heap, the old one's file */
	e = pfs_maps_find_addr(&u, 0x1a70000);
	assert_non_null(e);
	assert_true(e->end == 0x1a8c000);
	e = pfs_maps_find_addr(&u, 0x7f0000001000ULL);
	assert_non_null(e);
	assert_string_equal(e->path, "/mnt/disk/data 64m (deleted)");
	assert_null(pfs_maps_find_addr(&u, 0x100));
	assert_null(pfs_maps_find_addr(&u, 0x452000));	/* end is exclusive */
	/* by dev:ino, though only snapshot 1 had it */
	e = pfs_maps_find_file(&u, (254u << 20) | 1, 12);
	assert_non_null(e);
	assert_true(e->start == 0x7f0000000000ULL);
	assert_null(pfs_maps_find_file(&u, (254u << 20) | 1, 13));
	pfs_maps_free(&s1);
	pfs_maps_free(&s2);
	pfs_maps_free(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_empty_is_no_entries),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_union),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
