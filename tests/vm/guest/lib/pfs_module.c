// SPDX-License-Identifier: GPL-2.0
/*
 * Loading the module again with other parameters, and reading its debugfs
 * status, for the tests that change how it is loaded (pfs_test.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pfs_test.h"

bool pfs_module_loaded(void)
{
	return access(PFS_PROC_PATH, F_OK) == 0;
}

/*
 * The parameters every load of the run has (tests/vm/run --module-args,
 * which init exports): a test's own come after them, and win.
 */
const char *pfs_module_base_args(void)
{
	const char *a = getenv("PFS_MODULE_ARGS");

	return a ? a : "";
}

int pfs_module_reload(const char *args)
{
	char cmd[512];

	if (pfs_module_loaded() && system("rmmod pagefault_stats") != 0)
		pfs_fail("rmmod pagefault_stats failed");
	snprintf(cmd, sizeof(cmd), "insmod " PFS_MODULE_KO " %s %s 2>/tmp/insmod.err",
		 pfs_module_base_args(), args);
	return system(cmd);
}

void pfs_module_restore(void)
{
	char cmd[512];

	if (pfs_module_loaded() && system("rmmod pagefault_stats") != 0)
		fprintf(stderr, "# could not unload the module\n");
	snprintf(cmd, sizeof(cmd), "insmod " PFS_MODULE_KO " %s",
		 pfs_module_base_args());
	if (system(cmd) != 0)
		fprintf(stderr, "# could not reload the module with the run's parameters\n");
}

const char *pfs_status_value(const char *key, char *out, size_t sz)
{
	static char buf[4096];
	size_t len = strlen(key);
	char *l;

	if (pfs_read_file(PFS_DEBUGFS_DIR "/status", buf, sizeof(buf)) < 0)
		pfs_fail("cannot read %s/status", PFS_DEBUGFS_DIR);
	for (l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		if (!strncmp(l, key, len) && l[len] == ' ') {
			snprintf(out, sz, "%s", l + len + 1);
			return out;
		}
	}
	pfs_fail("status has no \"%s\" line", key);
}

bool pfs_fprobe_available(void)
{
	char v[32];

	return !strcmp(pfs_status_value("fprobe_available", v, sizeof(v)), "1");
}

int pfs_module_insert(const char *params)
{
	int fd = open(PFS_MODULE_KO, O_RDONLY | O_CLOEXEC), rc = 0;
	char all[512];

	if (fd < 0)
		return -errno;
	snprintf(all, sizeof(all), "%s %s", pfs_module_base_args(), params);
	if (syscall(SYS_finit_module, fd, all, 0))
		rc = -errno;
	close(fd);
	return rc;
}

int pfs_module_remove(unsigned int timeout_ms, unsigned int *retries)
{
	unsigned int waited = 0;

	if (retries)
		*retries = 0;
	for (;;) {
		if (!syscall(SYS_delete_module, "pagefault_stats", O_NONBLOCK))
			return 0;
		/* a file still open holds the module: refused, try again */
		if ((errno != EAGAIN && errno != EBUSY) || waited >= timeout_ms)
			return -errno;
		if (retries)
			(*retries)++;
		usleep(1000);
		waited++;
	}
}
