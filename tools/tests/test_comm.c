// SPDX-License-Identifier: GPL-2.0
/*
 * comm escaping (docs/format.md "Escaping of comm"): decoding, the
 * format's own encoding, and the terminal and UTF-8 forms of pfstat's
 * outputs.
 */
#include "testlib.h"

static void unesc_ok(const char *in, const char *want, size_t wantlen)
{
	char out[PFS_COMM_MAX + 1];
	size_t n = 99;

	assert_int_equal(pfs_comm_unescape(in, strlen(in), out, sizeof(out), &n), 0);
	assert_int_equal(n, wantlen);
	assert_memory_equal(out, want, wantlen);
}

static void test_unescape_documented_examples(void **state)
{
	(void)state;
	unesc_ok("bash", "bash", 4);
	unesc_ok("a\\040b", "a b", 3);
	unesc_ok("\\011", "\t", 1);
	unesc_ok("\\012", "\n", 1);
	unesc_ok("\\134", "\\", 1);
	unesc_ok("\\177", "\177", 1);
	unesc_ok("\\000", "", 0);		/* the empty comm */
	unesc_ok("\\377", "\377", 1);		/* escapes may name any byte */
	unesc_ok("\xff\xfe", "\xff\xfe", 2);	/* non-UTF-8 bytes as they are */
}

static void test_unescape_refusals(void **state)
{
	static const struct {
		const char *in;
		int err;
	} cases[] = {
		{ "", PFS_COMM_EEMPTY },
		{ "a\\", PFS_COMM_EBADESC },
		{ "a\\04", PFS_COMM_EBADESC },
		{ "a\\049", PFS_COMM_EBADESC },
		{ "\\400", PFS_COMM_EBADESC },
		{ "\\x41", PFS_COMM_EBADESC },
		{ "a\\000", PFS_COMM_ENUL },
		{ "\\000\\000", PFS_COMM_ENUL },
		{ "a\tb", PFS_COMM_ERAW },
		{ "a\177", PFS_COMM_ERAW },
		{ "a\x01", PFS_COMM_ERAW },
	};
	char out[PFS_COMM_MAX + 1];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(pfs_comm_unescape(cases[i].in, strlen(cases[i].in),
						   out, sizeof(out), &n), cases[i].err);
}

static void test_unescape_length_bound(void **state)
{
	char in[200], out[PFS_COMM_MAX + 1];
	size_t n;

	(void)state;
	memset(in, 'x', sizeof(in));
	assert_int_equal(pfs_comm_unescape(in, PFS_COMM_MAX, out, sizeof(out), &n), 0);
	assert_int_equal(n, PFS_COMM_MAX);
	assert_int_equal(pfs_comm_unescape(in, PFS_COMM_MAX + 1, out, sizeof(out), &n),
			 PFS_COMM_ETOOLONG);
	/* A small output buffer is never overrun. */
	assert_int_equal(pfs_comm_unescape(in, 8, out, 4, &n), PFS_COMM_ETOOLONG);
}

/* Each of the 255 non-NUL bytes, alone and amid text, survives escape then
 * unescape; escaped form has no byte the format forbids. */
static void test_every_byte_round_trips(void **state)
{
	unsigned int b;

	(void)state;
	for (b = 1; b < 256; b++) {
		char raw[3] = { 'a', (char)b, 'z' }, esc[PFS_COMM_ESC_MAX];
		char back[PFS_COMM_MAX + 1];
		size_t el, n, i;

		el = pfs_comm_escape(raw, 3, esc, sizeof(esc));
		assert_int_equal(strlen(esc), el);
		for (i = 0; i < el; i++) {
			unsigned char c = (unsigned char)esc[i];

			assert_true(c > 0x20 && c != 0x7f);
		}
		if (b <= 0x20 || b == 0x7f || b == '\\')
			assert_int_equal(el, 6);
		else
			assert_int_equal(el, 3);
		assert_int_equal(pfs_comm_unescape(esc, el, back, sizeof(back), &n), 0);
		assert_int_equal(n, 3);
		assert_memory_equal(back, raw, 3);
	}
}

static void test_escape_empty_and_truncation(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(pfs_comm_escape("", 0, out, sizeof(out)), 4);
	assert_string_equal(out, "\\000");
	/* Needs 12, gets 8: reports 12, writes a terminated prefix. */
	assert_int_equal(pfs_comm_escape("   ", 3, out, sizeof(out)), 12);
	assert_int_equal(strlen(out), 4);
}

static void test_ascii_escape_is_lossless(void **state)
{
	char esc[PFS_COMM_ESC_MAX], back[PFS_COMM_MAX + 1];
	size_t n;

	(void)state;
	pfs_comm_escape_ascii("m\xc3\xbc x\xff", 6, esc, sizeof(esc));
	assert_string_equal(esc, "m\\303\\274\\040x\\377");
	assert_int_equal(pfs_comm_unescape(esc, strlen(esc), back, sizeof(back), &n), 0);
	assert_int_equal(n, 6);
	assert_memory_equal(back, "m\xc3\xbc x\xff", 6);
}

/* The two escapings differ in bytes >= 0x80 only: kept, or \ooo. */
static void test_escape_and_ascii_escape_differ_in_high_bytes(void **state)
{
	char esc[PFS_COMM_ESC_MAX], asc[PFS_COMM_ESC_MAX], want[8];
	unsigned int b;

	(void)state;
	assert_int_equal(pfs_comm_escape("m\xc3\xbc x\xff", 6, esc, sizeof(esc)), 9);
	assert_string_equal(esc, "m\xc3\xbc\\040x\xff");
	assert_int_equal(pfs_comm_escape_ascii("m\xc3\xbc x\xff", 6, asc, sizeof(asc)),
			 18);
	assert_string_equal(asc, "m\\303\\274\\040x\\377");
	assert_int_equal(pfs_comm_escape_ascii("", 0, asc, sizeof(asc)), 4);
	assert_string_equal(asc, "\\000");
	for (b = 1; b < 256; b++) {
		char c = (char)b;

		pfs_comm_escape(&c, 1, esc, sizeof(esc));
		pfs_comm_escape_ascii(&c, 1, asc, sizeof(asc));
		if (b < 0x80) {
			assert_string_equal(asc, esc);
			continue;
		}
		assert_int_equal(strlen(esc), 1);
		assert_int_equal((unsigned char)esc[0], b);
		snprintf(want, sizeof(want), "\\%03o", b);
		assert_string_equal(asc, want);
	}
	/* Cut short: what fits, terminated; the length it needs. */
	assert_int_equal(pfs_comm_escape_ascii("ab\xff", 3, asc, 3), 6);
	assert_string_equal(asc, "ab");
}

static void test_display_is_terminal_safe(void **state)
{
	char out[PFS_COMM_ESC_MAX];
	size_t w;

	(void)state;
	pfs_comm_display("Web Content", 11, out, sizeof(out), &w);
	assert_string_equal(out, "Web Content");
	assert_int_equal(w, 11);
	pfs_comm_display("\033[2J", 4, out, sizeof(out), &w);
	assert_string_equal(out, "\\033[2J");
	pfs_comm_display("m\xc3\xbcller", 7, out, sizeof(out), &w);
	assert_string_equal(out, "m\xc3\xbcller");
	assert_int_equal(w, 6);
	/* U+0085 (NEL) is a C1 control: escaped, not passed to the terminal. */
	pfs_comm_display("\xc2\x85x", 3, out, sizeof(out), &w);
	assert_string_equal(out, "\\302\\205x");
	pfs_comm_display("\xff", 1, out, sizeof(out), &w);
	assert_string_equal(out, "\\377");
	pfs_comm_display("a\\b", 3, out, sizeof(out), &w);
	assert_string_equal(out, "a\\134b");
	pfs_comm_display("", 0, out, sizeof(out), &w);
	assert_string_equal(out, "\\000");
}

static void test_utf8_form(void **state)
{
	char out[PFS_COMM_UTF8_MAX];

	(void)state;
	pfs_comm_utf8("m\xc3\xbcller", 7, out, sizeof(out));
	assert_string_equal(out, "m\xc3\xbcller");
	pfs_comm_utf8("bad\xff\xfe\xc3", 6, out, sizeof(out));
	assert_string_equal(out, "bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* Overlong "/" and a UTF-16 surrogate are not UTF-8 either. */
	pfs_comm_utf8("\xc0\xaf\xed\xa0\x80", 5, out, sizeof(out));
	assert_int_equal(strlen(out), 15);
	pfs_comm_utf8("\xf0\x9f\x90\xa7", 4, out, sizeof(out));
	assert_string_equal(out, "\xf0\x9f\x90\xa7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unescape_documented_examples),
		cmocka_unit_test(test_unescape_refusals),
		cmocka_unit_test(test_unescape_length_bound),
		cmocka_unit_test(test_every_byte_round_trips),
		cmocka_unit_test(test_escape_empty_and_truncation),
		cmocka_unit_test(test_ascii_escape_is_lossless),
		cmocka_unit_test(test_escape_and_ascii_escape_differ_in_high_bytes),
		cmocka_unit_test(test_display_is_terminal_safe),
		cmocka_unit_test(test_utf8_form),
	};

	return cmocka_run_group_tests_name("comm", tests, NULL, NULL);
}
