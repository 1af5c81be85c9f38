// SPDX-License-Identifier: GPL-2.0
/*
 * comm: the format's octal escaping (docs/format.md, "Escaping of comm")
 * and the forms each output needs: escaped again for the format, made
 * safe for a terminal, or made valid UTF-8 for JSON and Prometheus.
 */
#include <string.h>

#include "model.h"

/* Bytes the format writes as \ooo: 0x00-0x20, 0x7f and backslash. */
static bool pfs_comm_must_escape(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '\\';
}

static int pfs_octal(const char *s, unsigned int *v)
{
	unsigned int i, r = 0;

	for (i = 0; i < 3; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		r = r * 8 + (unsigned int)(s[i] - '0');
	}
	if (r > 0377)
		return -1;
	*v = r;
	return 0;
}

/*
 * Decode one comm field. The field as a whole "\000" is the empty comm;
 * a NUL anywhere else cannot come from a kernel comm and is refused, as is
 * any byte the format says must be escaped but was not.
 */
int pfs_comm_unescape(const char *in, size_t n, char *out, size_t outsz,
		      size_t *outlen)
{
	size_t i = 0, o = 0;

	if (n == 0)
		return PFS_COMM_EEMPTY;
	if (n == 4 && memcmp(in, "\\000", 4) == 0) {
		if (outsz)
			out[0] = '\0';
		*outlen = 0;
		return PFS_COMM_OK;
	}
	while (i < n) {
		unsigned char c = (unsigned char)in[i];
		unsigned int v;

		if (c == '\\') {
			if (n - i < 4 || pfs_octal(in + i + 1, &v))
				return PFS_COMM_EBADESC;
			if (v == 0)
				return PFS_COMM_ENUL;
			c = (unsigned char)v;
			i += 4;
		} else if (pfs_comm_must_escape(c)) {
			return PFS_COMM_ERAW;
		} else {
			i++;
		}
		if (o + 1 >= outsz)
			return PFS_COMM_ETOOLONG;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	*outlen = o;
	return PFS_COMM_OK;
}

const char *pfs_comm_strerror(int e)
{
	switch (e) {
	case PFS_COMM_EBADESC:
		return "backslash not followed by three octal digits (\\000-\\377)";
	case PFS_COMM_ERAW:
		return "control byte, space, DEL or backslash not escaped";
	case PFS_COMM_ETOOLONG:
		return "longer than any kernel comm";
	case PFS_COMM_ENUL:
		return "\\000 inside a name";
	case PFS_COMM_EEMPTY:
		return "empty field";
	}
	return "ok";
}

static size_t pfs_put_octal(char *out, size_t o, size_t outsz, unsigned char c)
{
	if (o + 4 < outsz) {
		out[o] = '\\';
		out[o + 1] = (char)('0' + (c >> 6));
		out[o + 2] = (char)('0' + ((c >> 3) & 7));
		out[o + 3] = (char)('0' + (c & 7));
	}
	return o + 4;
}

/* One byte at out[o] if it fits with the NUL after it; the next offset. */
static size_t pfs_put_byte(char *out, size_t o, size_t outsz, char c)
{
	if (o + 1 < outsz)
		out[o] = c;
	return o + 1;
}

/* The NUL after the o bytes written, or at the end of a short out. */
static void pfs_put_end(char *out, size_t o, size_t outsz)
{
	if (outsz)
		out[o < outsz ? o : outsz - 1] = '\0';
}

/* Both escapings: the format's, and with ascii every byte >= 0x80 too. */
static size_t pfs_comm_escape_bytes(const char *in, size_t n, char *out,
				    size_t outsz, bool ascii)
{
	size_t i, o = 0;

	if (n == 0)
		o = pfs_put_octal(out, o, outsz, 0);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (pfs_comm_must_escape(c) || (ascii && c >= 0x80))
			o = pfs_put_octal(out, o, outsz, c);
		else
			o = pfs_put_byte(out, o, outsz, (char)c);
	}
	pfs_put_end(out, o, outsz);
	return o;
}

/*
 * The format's own escaping: what the module writes. Returns the length
 * it needs; the output is NUL-terminated and complete only if that is
 * below outsz.
 */
size_t pfs_comm_escape(const char *in, size_t n, char *out, size_t outsz)
{
	return pfs_comm_escape_bytes(in, n, out, outsz, false);
}

/*
 * The format's escaping, and every byte >= 0x80 too: pure ASCII, so it
 * fits in JSON whatever the name, and still lossless (unescape reverses
 * it). This is "comm_escaped" of the JSON output.
 */
size_t pfs_comm_escape_ascii(const char *in, size_t n, char *out, size_t outsz)
{
	return pfs_comm_escape_bytes(in, n, out, outsz, true);
}

/*
 * For a terminal: printable ASCII and well-formed UTF-8 as they are,
 * spaces too (a reader wants "Web Content", not "Web\040Content");
 * control bytes, DEL, backslash, C1 controls and bytes that are not
 * UTF-8 as \ooo, so a hostile name cannot move the cursor or change the
 * terminal's state. *width gets the columns it takes (one per character).
 */
size_t pfs_comm_display(const char *in, size_t n, char *out, size_t outsz,
			size_t *width)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, w = 0, k;

	if (n == 0) {
		o = pfs_put_octal(out, o, outsz, 0);
		w = 4;
	}
	while (i < n) {
		size_t len = pfs_utf8_len(s + i, n - i);
		bool c1 = len == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0;

		if (len == 0 || c1 || (len == 1 && s[i] != ' ' &&
				       pfs_comm_must_escape(s[i]))) {
			o = pfs_put_octal(out, o, outsz, s[i]);
			w += 4;
			i++;
			continue;
		}
		for (k = 0; k < len; k++)
			o = pfs_put_byte(out, o, outsz, (char)s[i + k]);
		w++;
		i += len;
	}
	pfs_put_end(out, o, outsz);
	if (width)
		*width = w;
	return o;
}

/*
 * Valid UTF-8 for JSON and Prometheus, which require it: well-formed
 * sequences kept, every other byte replaced by U+FFFD. Lossy only for
 * names that are not UTF-8; JSON output also carries the lossless escaped
 * form.
 */
size_t pfs_comm_utf8(const char *in, size_t n, char *out, size_t outsz)
{
	static const char repl[] = "\xef\xbf\xbd";
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, k;

	while (i < n) {
		size_t len = pfs_utf8_len(s + i, n - i);
		const char *src = (const char *)s + i;

		if (len == 0) {
			src = repl;
			len = 3;
			i++;
		} else {
			i += len;
		}
		for (k = 0; k < len; k++)
			o = pfs_put_byte(out, o, outsz, src[k]);
	}
	pfs_put_end(out, o, outsz);
	return o;
}
