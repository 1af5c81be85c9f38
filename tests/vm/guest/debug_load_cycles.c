// SPDX-License-Identifier: GPL-2.0
/*
 * The debug lane's load/unload storm (issue 13):
 *
 *	debug_load_cycles [CYCLES]	(default 1000)
 *
 * CYCLES rmmod/insmod cycles (delete_module(2), finit_module(2)) while two
 * fault-storm processes fault, a fork-churn process forks and reaps
 * children that fault, and two readers read every readable file of the
 * module in a loop. An unload may be refused while a reader holds a file
 * open (EAGAIN): it is tried again, and only an unload that never succeeds
 * within 30 s fails. Every load must succeed and show the proc file; every
 * unload must take it away. A reader may see a file vanish (ENOENT), go
 * dead under it (EIO) or refuse to open for a module going away (ENXIO);
 * any other error fails. The workers must survive.
 * The kernel's bug finders watch all of it (the lane's dmesg check).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pfs_test.h"

#define MAX_FILES	32
#define READERS		2
#define UNLOAD_MS	30000

struct shared {
	atomic_ulong reads;		/* files read to their end */
	atomic_ulong gone;		/* reads that met ENOENT, EIO, ENXIO */
	atomic_ulong bad;		/* any other error */
	atomic_int bad_errno;
	char bad_path[300];
	atomic_ulong forks;
};

static struct shared *sh;
static char files[MAX_FILES][300];
static int nfiles;
static unsigned long cycles = 1000;

/* Every readable file the module makes, found while it is loaded. */
static void find_files(void)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;

	snprintf(files[nfiles++], sizeof(files[0]), "%s", PFS_PROC_PATH);
	dir = opendir(PFS_DEBUGFS_DIR);
	if (!dir)
		pfs_fail("cannot open %s: %s", PFS_DEBUGFS_DIR, strerror(errno));
	while ((d = readdir(dir)) && nfiles < MAX_FILES) {
		char *f = files[nfiles];

		if (d->d_name[0] == '.')
			continue;
		snprintf(f, sizeof(files[0]), "%s/%s", PFS_DEBUGFS_DIR, d->d_name);
		if (!stat(f, &st) && S_ISREG(st.st_mode) && (st.st_mode & 0400))
			nfiles++;
	}
	closedir(dir);
	if (nfiles < 4)
		pfs_fail("only %d readable files of the module found", nfiles);
}

static void read_one(const char *path)
{
	static char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		if (n == 0) {
			close(fd);
			atomic_fetch_add(&sh->reads, 1);
			return;
		}
		close(fd);
	}
	if (errno == ENOENT || errno == EIO || errno == ENXIO) {
		atomic_fetch_add(&sh->gone, 1);
		/* not loaded: let the loads and unloads have the CPUs */
		usleep(1000);
		return;
	}
	if (atomic_fetch_add(&sh->bad, 1) == 0) {
		atomic_store(&sh->bad_errno, errno);
		snprintf(sh->bad_path, sizeof(sh->bad_path), "%.299s", path);
	}
}

static void reader(void)
{
	int i;

	for (;;)
		for (i = 0; i < nfiles; i++)
			read_one(files[i]);
}

/* Forks children that touch 8 fresh pages and exit, and reaps them. */
static void fork_churn(void)
{
	for (;;) {
		pid_t pid = fork();

		if (pid == 0) {
			char *p = mmap(NULL, 8 * PFS_PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			size_t i;

			if (p == MAP_FAILED)
				_exit(1);
			for (i = 0; i < 8; i++)
				p[i * PFS_PAGE] = 1;
			_exit(0);
		}
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			atomic_fetch_add(&sh->forks, 1);
		}
	}
}

static pid_t start_worker(void (*fn)(void))
{
	pid_t pid = pfs_fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	return pid;
}

static bool alive(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static void test_cycles(void)
{
	char *storm[] = { "fault-storm", "-p", "256", "-n", "0", NULL };
	pid_t w[3 + READERS];
	unsigned long i, refused = 0, max_refused = 0;
	double t_load = 0, t_unload = 0, t;
	unsigned int r;
	int nw = 0, k, rc;
	double t0;

	pfs_require_module();
	find_files();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		pfs_fail("mmap: %s", strerror(errno));
	w[nw++] = pfs_exec_start(storm, NULL, NULL);
	w[nw++] = pfs_exec_start(storm, NULL, NULL);
	w[nw++] = start_worker(fork_churn);
	for (k = 0; k < READERS; k++)
		w[nw++] = start_worker(reader);
	usleep(200 * 1000);
	t0 = pfs_now();
	for (i = 1; i <= cycles; i++) {
		t = pfs_now();
		rc = pfs_module_remove(UNLOAD_MS, &r);
		t_unload += pfs_now() - t;
		if (rc) {
			pfs_expect_true("every unload succeeds", false, "");
			pfs_info("cycle %lu: rmmod: %s after %u refusals", i, strerror(-rc), r);
			break;
		}
		refused += r;
		if (r > max_refused)
			max_refused = r;
		if (!access(PFS_PROC_PATH, F_OK)) {
			pfs_expect_true("the proc file goes with the module", false, "");
			pfs_info("cycle %lu: %s still there after rmmod", i, PFS_PROC_PATH);
			break;
		}
		t = pfs_now();
		rc = pfs_module_insert("");
		t_load += pfs_now() - t;
		if (rc) {
			pfs_expect_true("every load succeeds", false, "");
			pfs_info("cycle %lu: insmod: %s", i, strerror(-rc));
			break;
		}
		if (access(PFS_PROC_PATH, F_OK)) {
			pfs_expect_true("the proc file comes with the module", false, "");
			pfs_info("cycle %lu: %s missing after insmod", i, PFS_PROC_PATH);
			break;
		}
		if (i % 100 == 0)
			pfs_info("%lu cycles, %.1f s", i, pfs_now() - t0);
	}
	for (k = 0; k < nw; k++)
		pfs_expect_true("a worker survived the cycles", alive(w[k]),
				k < 2 ? "fault-storm" : k == 2 ? "fork churn" : "reader");
	for (k = 0; k < nw; k++) {
		kill(w[k], SIGKILL);
		waitpid(w[k], NULL, 0);
	}
	if (!pfs_module_loaded() && pfs_module_insert(""))
		pfs_fail("cannot load the module again");
	pfs_info("%lu cycles in %.1f s; unloads refused (a file open) %lu times, at most %lu in a row",
		 i - 1, pfs_now() - t0, refused, max_refused);
	if (i > 1)
		pfs_info("a load takes %.0f ms, an unload %.0f ms (retries included), on average",
			 t_load * 1000 / (i - 1), t_unload * 1000 / (i - 1));
	pfs_info("readers: %lu whole reads of %d files, %lu met a file going; fork churn: %lu children",
		 atomic_load(&sh->reads), nfiles, atomic_load(&sh->gone),
		 atomic_load(&sh->forks));
	pfs_expect_eq("cycles done", i - 1, cycles, "asked for");
	if (atomic_load(&sh->bad))
		pfs_info("first bad read: %s: %s", sh->bad_path,
			 strerror(atomic_load(&sh->bad_errno)));
	pfs_expect_eq("reads failing otherwise than ENOENT, EIO or ENXIO", atomic_load(&sh->bad), 0,
		      "a file of an unloading module vanishes, goes dead or cannot be opened");
	pfs_expect_ge("whole reads", atomic_load(&sh->reads), cycles,
		      "the readers read while the module was loaded");
	pfs_expect_ge("fork churn children", atomic_load(&sh->forks), 1,
		      "it ran");
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cycles = strtoul(argv[1], NULL, 10);
	pfs_begin();
	pfs_test("load/unload cycles under fault storms, fork churn and readers",
		 test_cycles);
	return pfs_exit();
}
