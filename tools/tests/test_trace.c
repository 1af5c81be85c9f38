// SPDX-License-Identifier: GPL-2.0
/*
 * pfstat trace's pure parts: the kernel filters for each selection
 * (tracecfg.c), the lost count of a per_cpu stats file, the event names,
 * and the trace lines as text and JSON (out_trace.c).
 */
#include <json-c/json.h>

#include "testlib.h"
#include "tracecfg.h"

static void filter_is(const struct pfs_trace_sel *s, const char *fault,
		      const char *inval)
{
	char buf[512];

	assert_int_equal(pfs_filter_fault(s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, fault);
	assert_int_equal(pfs_filter_invalid(s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, inval);
}

static void test_filters(void **state)
{
	static const int one[] = { 812 }, two[] = { 812, 903 };
	struct pfs_trace_sel s = { 0 };

	(void)state;
	filter_is(&s, "", "");
	assert_true(pfs_want_invalid(&s));
	s.tgids = one;
	s.ntgids = 1;
	filter_is(&s, "(tgid == 812)", "(tgid == 812)");
	s.tgids = two;
	s.ntgids = 2;
	s.major = true;
	filter_is(&s, "(result == \"major\") && (tgid == 812 || tgid == 903)",
		  "(tgid == 812 || tgid == 903)");
	assert_false(pfs_want_invalid(&s));	/* --major alone: faults only */
	s.ntgids = 0;
	s.major = false;
	s.errors = true;
	s.comm = "dd";
	filter_is(&s, "(result == \"oom\" || result == \"sigbus\" || result == \"hwpoison\" || result == \"segv\") && comm == \"dd\"",
		  "comm == \"dd\"");
	assert_true(pfs_want_invalid(&s));
}

static void test_filter_refused(void **state)
{
	struct pfs_trace_sel s = { .comm = "a\"b" };
	static const int one[] = { 1 };
	char buf[16];

	(void)state;
	assert_int_equal(pfs_filter_fault(&s, buf, sizeof(buf)), -1);
	s.comm = NULL;
	s.tgids = one;
	s.ntgids = 1;
	s.errors = true;
	assert_int_equal(pfs_filter_fault(&s, buf, sizeof(buf)), -1);	/* too long */
}

static void test_stats_lost(void **state)
{
	static const char stats[] =
		"entries: 12\noverrun: 340\ncommit overrun: 2\nbytes: 4080\n"
		"oldest event ts:  5126.016582\nnow ts:  5126.321845\n"
		"dropped events: 5\nread events: 77\n";

	(void)state;
	assert_int_equal(pfs_stats_lost(stats, strlen(stats)), 347);
	assert_int_equal(pfs_stats_lost("entries: 3\n", 11), 0);
	assert_int_equal(pfs_stats_lost("", 0), 0);
}

static void test_names(void **state)
{
	(void)state;
	/* char[10] "major" padded with NULs, as the ring buffer holds it */
	assert_int_equal(pfs_result_of("major\0\0\0\0", 10), PFS_R_MAJOR);
	assert_int_equal(pfs_result_of("hwpoison\0\0", 10), PFS_R_HWPOISON);
	assert_int_equal(pfs_result_of("error\0\0\0\0\0", 10), PFS_R_ERROR);
	assert_int_equal(pfs_result_of("minorx", 6), PFS_R_UNKNOWN);
	assert_int_equal(pfs_result_of("mino", 4), PFS_R_UNKNOWN);
	assert_int_equal(pfs_cause_of("shmem\0", 6), PFS_C_SHMEM);
	assert_int_equal(pfs_ikind_of("segv_pkuerr\0", 12), PFS_K_SEGV_PKUERR);
	assert_int_equal(pfs_ikind_of(NULL, 0), PFS_K_UNKNOWN);
}

static const struct pfs_event file_major = {
	.type = PFS_EV_FAULT, .cpu = 1, .ts = 5126016582123ULL, .tgid = 812,
	.pid = 813, .address = 0x7f3a1c000000ULL, .flags = 0x1255, .ret = 4,
	.result = PFS_R_MAJOR, .cause = PFS_C_FILE, .ns = 183204,
	.dev = (254u << 20) | 0, .ino = 12, .pgoff = 7,
};

static const struct pfs_event segv = {
	.type = PFS_EV_INVALID, .cpu = 0, .ts = 1000001000ULL, .tgid = 903,
	.pid = 903, .address = 0xdead000, .ip = 0x401a2c,
	.kind = PFS_K_SEGV_MAPERR, .user = true, .error_code = 6,
};

static void test_text_lines(void **state)
{
	struct capture c;
	char *out;

	(void)state;
	capture_start(&c);
	pfs_trace_text(c.f, &file_major);
	pfs_trace_text(c.f, &segv);
	out = capture_end(&c);
	assert_string_equal(out,
		"5126.016582 cpu=1 fault tgid=812 pid=813 address=0x7f3a1c000000 flags=0x1255 result=major cause=file ns=183204 dev=254:0 ino=12 pgoff=7\n"
		"1.000001 cpu=0 invalid tgid=903 pid=903 address=0xdead000 ip=0x401a2c kind=segv_maperr mode=user error_code=0x6\n");
	free(out);
}

static void test_json_objects(void **state)
{
	struct json_object *o;

	(void)state;
	o = pfs_trace_json(&file_major);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "event")), "fault");
	assert_string_equal(json_object_get_string(json_object_object_get(o, "result")), "major");
	assert_string_equal(json_object_get_string(json_object_object_get(o, "address")),
			    "0x7f3a1c000000");
	assert_string_equal(json_object_get_string(json_object_object_get(o, "dev")), "254:0");
	assert_int_equal(json_object_get_uint64(json_object_object_get(o, "pgoff")), 7);
	assert_int_equal(json_object_get_uint64(json_object_object_get(o, "ts_ns")),
			 5126016582123ULL);
	json_object_put(o);
	o = pfs_trace_json(&segv);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "kind")),
			    "segv_maperr");
	assert_true(json_object_get_boolean(json_object_object_get(o, "user")));
	assert_null(json_object_object_get(o, "result"));
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_filter_refused),
		cmocka_unit_test(test_stats_lost),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_text_lines),
		cmocka_unit_test(test_json_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
