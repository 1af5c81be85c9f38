// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for comm: unescape never overruns and, when it
 * accepts, escaping gives back exactly the input's meaning; the display,
 * UTF-8 and ASCII forms stay within their documented bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[PFS_COMM_MAX + 1], esc[PFS_COMM_ESC_MAX], back[PFS_COMM_MAX + 1];
	char disp[PFS_COMM_ESC_MAX], u8[PFS_COMM_UTF8_MAX];
	size_t n, m, el, i;

	if (pfs_comm_unescape((const char *)data, size, out, sizeof(out), &n))
		return 0;
	if (n > PFS_COMM_MAX || memchr(out, '\0', n))
		abort();
	/* escape(unescape(x)) decodes to the same bytes, through both escapers */
	el = pfs_comm_escape(out, n, esc, sizeof(esc));
	if (el >= sizeof(esc) || pfs_comm_unescape(esc, el, back, sizeof(back), &m) ||
	    m != n || memcmp(back, out, n))
		abort();
	el = pfs_comm_escape_ascii(out, n, esc, sizeof(esc));
	if (el >= sizeof(esc))
		abort();
	for (i = 0; i < el; i++)
		if ((unsigned char)esc[i] <= 0x20 || (unsigned char)esc[i] >= 0x7f)
			abort();
	if (pfs_comm_unescape(esc, el, back, sizeof(back), &m) || m != n ||
	    memcmp(back, out, n))
		abort();
	if (pfs_comm_display(out, n, disp, sizeof(disp), NULL) >= sizeof(disp))
		abort();
	for (i = 0; disp[i]; i++)
		if ((unsigned char)disp[i] < 0x20 || disp[i] == 0x7f)
			abort();
	m = pfs_comm_utf8(out, n, u8, sizeof(u8));
	if (m >= sizeof(u8))
		abort();
	for (i = 0; i < m; ) {
		size_t l = pfs_utf8_len((const unsigned char *)u8 + i, m - i);

		if (!l)
			abort();
		i += l;
	}
	return 0;
}
