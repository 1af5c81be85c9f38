// SPDX-License-Identifier: GPL-2.0
/*
 * A small strict JSON reader (pfs_json.h), moved here from pfstat_run.c
 * so that every pfstat guest test reads pfstat's JSON the same way.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfs_json.h"
#include "pfs_test.h"

static void jws(struct jdoc *d)
{
	while (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r')
		d->p++;
}

static int jadd(struct jdoc *d, const char *path, const char *v, size_t n)
{
	struct jleaf *l;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->leaf = realloc(d->leaf, d->cap * sizeof(*d->leaf));
		if (!d->leaf)
			return -1;
	}
	l = &d->leaf[d->n++];
	snprintf(l->path, sizeof(l->path), "%s", path);
	if (n >= sizeof(l->val))
		n = sizeof(l->val) - 1;
	memcpy(l->val, v, n);
	l->val[n] = '\0';
	return 0;
}

static int jvalue(struct jdoc *d, const char *path, int depth);

static int jstring(struct jdoc *d, char *out, size_t outsz, size_t *len)
{
	size_t n = 0;

	if (*d->p != '"')
		return d->err = "string expected", -1;
	for (d->p++; *d->p != '"'; d->p++) {
		unsigned char c = (unsigned char)*d->p;

		if (c < 0x20)
			return d->err = "raw control character in string", -1;
		if (c == '\\') {
			d->p++;
			if (*d->p == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)d->p[i]))
						return d->err = "bad \\u escape", -1;
				d->p += 4;
				c = '?';
			} else if (strchr("\"\\/bfnrt", *d->p) && *d->p) {
				const char *m = strchr("\"\"\\\\//b\bf\fn\nr\rt\t", *d->p);

				c = (unsigned char)m[1];
			} else {
				return d->err = "bad escape", -1;
			}
		}
		if (n + 1 < outsz)
			out[n++] = (char)c;
	}
	d->p++;
	out[n] = '\0';
	*len = n;
	return 0;
}

static int jvalue(struct jdoc *d, const char *path, int depth)
{
	char sub[256], buf[256];
	const char *s;
	size_t n;

	if (depth > 32)
		return d->err = "too deep", -1;
	jws(d);
	if (*d->p == '{' || *d->p == '[') {
		char close = *d->p == '{' ? '}' : ']';
		int idx = 0;

		d->p++;
		jws(d);
		if (*d->p == close) {
			d->p++;
			return 0;
		}
		for (;;) {
			jws(d);
			if (close == '}') {
				if (jstring(d, buf, sizeof(buf), &n))
					return -1;
				jws(d);
				if (*d->p++ != ':')
					return d->err = "':' expected", -1;
				snprintf(sub, sizeof(sub), "%.120s%s%.120s", path, *path ? "." : "", buf);
			} else {
				snprintf(sub, sizeof(sub), "%.120s%s%d", path, *path ? "." : "", idx++);
			}
			if (jvalue(d, sub, depth + 1))
				return -1;
			jws(d);
			if (*d->p == ',') {
				d->p++;
				continue;
			}
			if (*d->p++ != close)
				return d->err = "',' or end of container expected", -1;
			return 0;
		}
	}
	if (*d->p == '"') {
		if (jstring(d, buf, sizeof(buf), &n))
			return -1;
		return jadd(d, path, buf, n);
	}
	s = d->p;
	if (!strncmp(s, "true", 4) || !strncmp(s, "null", 4))
		d->p += 4;
	else if (!strncmp(s, "false", 5))
		d->p += 5;
	else {
		if (*d->p == '-')
			d->p++;
		if (!isdigit((unsigned char)*d->p))
			return d->err = "value expected", -1;
		while (isdigit((unsigned char)*d->p) || strchr(".eE+-", *d->p))
			d->p++;
	}
	return jadd(d, path, s, (size_t)(d->p - s));
}

/* Parse one whole document; NULL (and the reason printed) if invalid. */
struct jdoc *jparse(const char *text)
{
	struct jdoc *d = calloc(1, sizeof(*d));

	d->p = text;
	if (jvalue(d, "", 0) == 0) {
		jws(d);
		if (*d->p == '\0')
			return d;
		d->err = "text after the document";
	}
	pfs_info("invalid JSON at offset %ld: %s", (long)(d->p - text), d->err);
	free(d->leaf);
	free(d);
	return NULL;
}

const char *jget(const struct jdoc *d, const char *path)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->leaf[i].path, path))
			return d->leaf[i].val;
	return NULL;
}

unsigned long long jnum(const struct jdoc *d, const char *path)
{
	const char *v = jget(d, path);

	if (!v || !isdigit((unsigned char)*v))
		pfs_fail("JSON has no number at %s", path);
	return strtoull(v, NULL, 10);
}

void jfree(struct jdoc *d)
{
	if (d) {
		free(d->leaf);
		free(d);
	}
}
