// SPDX-License-Identifier: GPL-2.0
/*
 * The names of the trace events' string fields (docs/format.md) and their
 * lookup from a fixed-size char array.
 */
#include <string.h>

#include "event.h"

const char *const pfs_result_names[PFS_NRESULTS] = {
	"minor", "major", "retry", "oom", "sigbus", "hwpoison", "segv", "error",
	"unknown",
};

const char *const pfs_cause_names[PFS_NCAUSES] = {
	"anon", "file", "shmem", "unknown",
};

const char *const pfs_ikind_names[PFS_NKINDS] = {
	"segv_maperr", "segv_accerr", "segv_pkuerr", "efault", "unknown",
};

/* Index of the name s (n bytes, or up to a NUL) among names[0..last). */
static int pfs_name_index(const char *const *names, int last, const char *s,
			  size_t n)
{
	const char *nul = s ? memchr(s, '\0', n) : NULL;
	int i;

	if (!s)
		return last;
	if (nul)
		n = (size_t)(nul - s);
	for (i = 0; i < last; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], s, n))
			return i;
	return last;
}

enum pfs_result pfs_result_of(const char *s, size_t n)
{
	return (enum pfs_result)pfs_name_index(pfs_result_names, PFS_R_UNKNOWN,
					       s, n);
}

enum pfs_cause pfs_cause_of(const char *s, size_t n)
{
	return (enum pfs_cause)pfs_name_index(pfs_cause_names, PFS_C_UNKNOWN,
					      s, n);
}

enum pfs_ikind pfs_ikind_of(const char *s, size_t n)
{
	return (enum pfs_ikind)pfs_name_index(pfs_ikind_names, PFS_K_UNKNOWN,
					      s, n);
}
