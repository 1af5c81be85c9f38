/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference pagefault_stats depends on, in one place.
 * Force-included into every object by module/Kbuild, so the logic files read
 * like upstream code and never carry an #if of their own.
 */
#ifndef PFS_COMPAT_H
#define PFS_COMPAT_H

#endif /* PFS_COMPAT_H */
