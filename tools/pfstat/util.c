// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers: strict decimal parsing for the format, and the human units
 * (k/M/G, ns/us/ms/s) of the text output.
 */
#include <stdio.h>

#include "model.h"

/*
 * The format's unsigned decimal integer: one or more ASCII digits, no
 * sign, no spaces, and a value that fits in 64 bits. Anything else is an
 * error rather than a number read halfway.
 */
int pfs_parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		if (v > (UINT64_MAX - d) / 10)
			return -2;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Sums saturate: a hostile file cannot make a huge count look small. */
uint64_t pfs_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * Counts below 100000 print exactly; above, three significant digits and
 * a decimal SI suffix, like top and pidstat do with large figures.
 */
void pfs_fmt_count(char *buf, size_t sz, uint64_t v, bool raw)
{
	static const char suffix[] = "kMGTPE";
	double d = (double)v;
	int i = -1;

	if (raw || v < 100000) {
		snprintf(buf, sz, "%llu", (unsigned long long)v);
		return;
	}
	while (d >= 999.5 && i < 5) {
		d /= 1000.0;
		i++;
	}
	if (d < 9.995)
		snprintf(buf, sz, "%.2f%c", d, suffix[i]);
	else if (d < 99.95)
		snprintf(buf, sz, "%.1f%c", d, suffix[i]);
	else
		snprintf(buf, sz, "%.0f%c", d, suffix[i]);
}

void pfs_fmt_ns(char *buf, size_t sz, uint64_t ns, bool raw)
{
	double d = (double)ns;

	if (raw)
		snprintf(buf, sz, "%llu", (unsigned long long)ns);
	else if (ns < 1000)
		snprintf(buf, sz, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, sz, "%.1fus", d / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, sz, "%.1fms", d / 1e6);
	else
		snprintf(buf, sz, "%.2fs", d / 1e9);
}

void pfs_fmt_rate(char *buf, size_t sz, double v, bool raw)
{
	if (raw || v < 100000.0)
		snprintf(buf, sz, "%.1f", v);
	else if (v < 1e8)
		snprintf(buf, sz, "%.1fk", v / 1e3);
	else
		snprintf(buf, sz, "%.1fM", v / 1e6);
}

/* Seconds of a struct timeval (rusage's user and system times). */
double pfs_timeval_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
 */
size_t pfs_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}
