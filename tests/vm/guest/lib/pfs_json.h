/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfs_json: a small strict JSON reader for the guest tests of pfstat's
 * JSON output (the guest programs are linked static without json-c). It
 * keeps every scalar under its dotted path ("with_children.minor",
 * "mappings.0.major"); strings are decoded, numbers kept as written.
 */
#ifndef PFS_JSON_H
#define PFS_JSON_H

#include <stddef.h>

struct jleaf {
	char path[256];
	char val[256];		/* numbers and literals as written; strings decoded */
};

struct jdoc {
	struct jleaf *leaf;
	size_t n, cap;
	const char *p;
	const char *err;
};

/* Parse one whole document; NULL (and the reason printed) if invalid. */
struct jdoc *jparse(const char *text);
/* The scalar at path, or NULL. */
const char *jget(const struct jdoc *d, const char *path);
/* The number at path; fails the sub-test if there is none. */
unsigned long long jnum(const struct jdoc *d, const char *path);
void jfree(struct jdoc *d);

#endif /* PFS_JSON_H */
