// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the module's files and writing pfstat's output: every failure
 * becomes one line on stderr that says what and what to do.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"

/* Larger than any table the module can hold (max_procs rows of ~300 B). */
#define PFS_MAX_FILE	(256u << 20)

/*
 * Read a whole file. procfs and debugfs files report size 0, so read
 * until EOF. Returns 0 or an errno value; EFBIG past PFS_MAX_FILE.
 */
int pfs_read_file(const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	for (;;) {
		ssize_t r;

		if (cap - len < 4096) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *nb;

			if (ncap > PFS_MAX_FILE + 1) {
				err = EFBIG;
				break;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				err = ENOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

void pfs_report_open_error(const struct pfs_cfg *cfg, const char *path,
			   bool debugfs, int err)
{
	struct stat st;

	if (err == ENOENT && !debugfs && !cfg->proc_file_set) {
		fprintf(stderr, "pfstat: %s not found: is the module loaded? (sudo modprobe pagefault_stats)\n",
			path);
	} else if (err == ENOENT && debugfs) {
		if (stat("/sys/kernel/debug/", &st) == 0 &&
		    stat(PFS_PROC_FILE, &st) != 0 && !strcmp(cfg->debugfs_dir, PFS_DEBUGFS_DIR))
			fprintf(stderr, "pfstat: %s not found: is the module loaded? (sudo modprobe pagefault_stats)\n",
				path);
		else
			fprintf(stderr, "pfstat: %s not found: is debugfs mounted? (sudo mount -t debugfs none /sys/kernel/debug)\n",
				path);
	} else if ((err == EACCES || err == EPERM) && debugfs) {
		fprintf(stderr, "pfstat: %s: permission denied: the module's debugfs files need root (run with sudo)\n",
			path);
	} else if (err == EFBIG) {
		fprintf(stderr, "pfstat: %s: larger than %u MiB, not a pagefault_stats file\n",
			path, PFS_MAX_FILE >> 20);
	} else {
		fprintf(stderr, "pfstat: %s: %s\n", path, strerror(err));
	}
}

static void pfs_report_parse_error(const char *path, const struct pfs_err *e)
{
	if (e->line)
		fprintf(stderr, "pfstat: %s:%u: %s\n", path, e->line, e->msg);
	else
		fprintf(stderr, "pfstat: %s: %s\n", path, e->msg);
}

/* "dir/name" in a string of its own, or NULL. */
char *pfs_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/*
 * Load the proc file, or debugfs procs (the same document with the cause
 * columns). Returns 0 or an exit code, the error already reported.
 */
int pfs_load_table(const struct pfs_cfg *cfg, bool debugfs,
		   struct pfs_table *t, const char **source)
{
	const char *path = debugfs ? cfg->debugfs_procs : cfg->proc_file;
	struct pfs_err e;
	size_t len;
	char *buf;
	int r;

	if (source)
		*source = path;
	r = pfs_read_file(path, &buf, &len);
	if (r) {
		pfs_report_open_error(cfg, path, debugfs, r);
		return PFS_EXIT_ENV;
	}
	r = pfs_parse_table(buf, len, t, &e);
	free(buf);
	if (r) {
		pfs_report_parse_error(path, &e);
		return PFS_EXIT_ENV;
	}
	return 0;
}

int pfs_load_hist(const struct pfs_cfg *cfg, struct pfs_hist *h)
{
	char *path = pfs_path_join(cfg->debugfs_dir, "hist"), *buf;
	struct pfs_err e;
	size_t len;
	int r;

	if (!path) {
		fprintf(stderr, "pfstat: out of memory\n");
		return PFS_EXIT_ENV;
	}
	r = pfs_read_file(path, &buf, &len);
	if (r) {
		pfs_report_open_error(cfg, path, true, r);
		free(path);
		return PFS_EXIT_ENV;
	}
	r = pfs_parse_hist(buf, len, h, &e);
	free(buf);
	if (r)
		pfs_report_parse_error(path, &e);
	free(path);
	return r ? PFS_EXIT_ENV : 0;
}

/*
 * -O FILE: output goes to FILE.tmp.XXXXXX in FILE's directory (a name
 * node_exporter's textfile collector, which reads *.prom, passes over),
 * mode 0644 whatever the umask, so the collector's user can read it;
 * fsync()ed and renamed over FILE on success, so a scraper never reads
 * half a file, then the directory fsync()ed, so the rename survives a
 * crash. On any failure the temporary file is removed and FILE is left
 * as it was. Close-on-exec: the command of pfstat run does not inherit
 * it. No -O, or "-": the default stream.
 */
int pfs_out_open(struct pfs_out *o, const char *path, FILE *dflt)
{
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || !strcmp(path, "-")) {
		o->f = dflt;
		return 0;
	}
	o->path = strdup(path);
	o->tmp = malloc(strlen(path) + 16);
	if (!o->path || !o->tmp)
		goto fail;
	sprintf(o->tmp, "%s.tmp.XXXXXX", path);
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "pfstat: cannot create %s: %s\n", o->tmp,
			strerror(errno));
		goto fail;
	}
	if (fchmod(fd, 0644) || !(o->f = fdopen(fd, "w"))) {
		fprintf(stderr, "pfstat: %s: %s\n", o->tmp, strerror(errno));
		close(fd);
		unlink(o->tmp);
		goto fail;
	}
	return 0;
fail:
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return -1;
}

/*
 * Make a rename into path's directory durable. Best effort: the file is
 * complete and in place already; a directory that cannot be opened or
 * synced (some network file systems) costs only durability.
 */
static void pfs_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int pfs_out_close(struct pfs_out *o, bool commit)
{
	int r = 0;

	if (!o->tmp) {
		if (fflush(o->f) && errno != EPIPE) {
			fprintf(stderr, "pfstat: write error: %s\n", strerror(errno));
			r = -1;
		}
		return r;
	}
	if (fflush(o->f) || fsync(fileno(o->f)) || ferror(o->f)) {
		fprintf(stderr, "pfstat: %s: %s\n", o->tmp, strerror(errno));
		commit = false;
		r = -1;
	}
	fclose(o->f);
	if (commit && rename(o->tmp, o->path)) {
		fprintf(stderr, "pfstat: cannot rename %s to %s: %s\n", o->tmp,
			o->path, strerror(errno));
		r = -1;
		commit = false;
	}
	if (!commit)
		unlink(o->tmp);
	else
		pfs_sync_dir(o->path);
	free(o->path);
	free(o->tmp);
	return r;
}

static double pfs_clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Unix time in seconds: the timestamp of a reading. */
double pfs_now(void)
{
	return pfs_clock_s(CLOCK_REALTIME);
}

/* Seconds on a clock that does not jump: for intervals. */
double pfs_monotonic(void)
{
	return pfs_clock_s(CLOCK_MONOTONIC);
}
