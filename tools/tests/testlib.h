/* SPDX-License-Identifier: GPL-2.0 */
/* Shared helpers of pfstat's unit tests: fixtures and captured output. */
#ifndef PFSTAT_TESTLIB_H
#define PFSTAT_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "out.h"

/* A fixture's bytes in a buffer of exactly its size (no NUL after it),
 * so ASan catches a parser that reads one byte too far. */
static inline char *fixture(const char *name, size_t *len)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc(n ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static inline void load_table(const char *name, struct pfs_table *t)
{
	struct pfs_err e;
	size_t len;
	char *buf = fixture(name, &len);
	int r = pfs_parse_table(buf, len, t, &e);

	if (r)
		print_error("%s:%u: %s\n", name, e.line, e.msg);
	assert_int_equal(r, 0);
	free(buf);
}

static inline void load_hist(const char *name, struct pfs_hist *h)
{
	struct pfs_err e;
	size_t len;
	char *buf = fixture(name, &len);
	int r = pfs_parse_hist(buf, len, h, &e);

	if (r)
		print_error("%s:%u: %s\n", name, e.line, e.msg);
	assert_int_equal(r, 0);
	free(buf);
}

static inline const struct pfs_row *row_by_pid(const struct pfs_table *t,
					       int pid)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (t->rows[i].pid == pid)
			return &t->rows[i];
	fail_msg("no row for pid %d", pid);
	return NULL;
}

/* Output captured in memory. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static inline void capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static inline char *capture_end(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

#endif /* PFSTAT_TESTLIB_H */
