/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the pfs_test library's files; not for tests. */
#ifndef PFS_INTERNAL_H
#define PFS_INTERNAL_H

#include <stdbool.h>

/* Exit statuses of a pfs child that called pfs_fail() / pfs_skip(). */
#define PFS_CHILD_FAIL_EXIT	98
#define PFS_CHILD_SKIP_EXIT	97

/* True in a process forked by pfs_spawn() (at any depth). */
bool pfs_in_child(void);
/* Set when an assertion failed in a child; the child then exits 98. */
extern bool pfs_child_failed;

#endif /* PFS_INTERNAL_H */
