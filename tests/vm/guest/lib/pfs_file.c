// SPDX-License-Identifier: GPL-2.0
/*
 * File-backed major faults on the test disk: evict a range of
 * /mnt/disk/data64m from the page cache and map it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pfs_test.h"

const char *pfs_disk_file(void)
{
	const char *e = getenv("PFS_DISK_FILE");

	return e && *e ? e : PFS_DISK_FILE;
}

char *pfs_map_evicted(off_t off, size_t len, int advice, size_t *resident)
{
	unsigned char *vec;
	size_t i, pages = len / PFS_PAGE;
	char *p;
	int fd;

	fd = open(pfs_disk_file(), O_RDONLY);
	if (fd < 0)
		pfs_fail("open %s: %s", pfs_disk_file(), strerror(errno));
	fsync(fd);	/* dirty pages would survive POSIX_FADV_DONTNEED */
	errno = posix_fadvise(fd, off, len, POSIX_FADV_DONTNEED);
	if (errno)
		pfs_fail("posix_fadvise DONTNEED: %s", strerror(errno));
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);
	close(fd);
	if (p == MAP_FAILED)
		pfs_fail("mmap %s: %s", pfs_disk_file(), strerror(errno));
	if (madvise(p, len, advice))
		pfs_fail("madvise(%d): %s", advice, strerror(errno));
	vec = calloc(pages, 1);
	if (!vec || mincore(p, len, vec))
		pfs_fail("mincore: %s", strerror(errno));
	*resident = 0;
	for (i = 0; i < pages; i++)
		*resident += vec[i] & 1;
	free(vec);
	return p;
}
