// SPDX-License-Identifier: GPL-2.0
/*
 * node_exporter's textfile collector fed by pfstat (issue 12), with
 * Debian's real prometheus-node-exporter in the guest (a list saying
 * "# needs: node-exporter"):
 *
 *   1. a workload child in a cgroup of its own faults on known pages and
 *      exits; the module's row for it equals the kernel's own counts;
 *   2. the ExecStart= of contrib/systemd/pfstat-textfile.service, word for
 *      word but for pfstat's path, writes its textfile into Debian's
 *      default directory, /var/lib/prometheus/node-exporter: 0644, no
 *      temporary file left;
 *   3. prometheus-node-exporter, on 127.0.0.1 with only the textfile
 *      collector (the others expect a full system), serves /metrics, fetched
 *      with busybox wget.
 *
 * The documents are parsed by the real parsers on the host:
 * tests/vm/host/node-exporter-textfile runs promtool check metrics and the
 * Prometheus text parser (python3-prometheus-client) on what this program
 * leaves in $PFS_TEST_OUT (textfile.prom, metrics.txt, workload.txt).
 *
 * Until pfstat has --by (issue 12, pfstat part), the unit's "--by cgroup"
 * is dropped, with a note, and the series are per process.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pfs_test.h"

#define PFSTAT		"/tests/bin/pfstat"
#define UNIT		"/tests/contrib/systemd/pfstat-textfile.service"
#define NE		"/usr/bin/prometheus-node-exporter"
#define NE_MANIFEST	"/tests/guest-tools-node-exporter"
#define TEXTFILE_DIR	"/var/lib/prometheus/node-exporter"
#define LISTEN		"127.0.0.1:9100"
#define METRICS_URL	"http://" LISTEN "/metrics"
#define CGROUP		PFS_CGROUP_ROOT "/pfs-node-exporter"
#define PAGES		200
#define STR(x)		STR_(x)
#define STR_(x)		#x
#define MAX_ARGS	32

static struct pfs_child workload;
static bool have_workload;
static bool by_cgroup;
static char textfile[256];
static bool have_textfile;

static const char *out_dir(void)
{
	const char *d = getenv("PFS_TEST_OUT");

	return d && *d ? d : "/tmp/node-exporter-out";
}

/* cp SRC to $PFS_TEST_OUT/NAME, or fail */
static void keep(const char *src, const char *name)
{
	char dst[512];
	size_t len;
	char *buf = pfs_slurp(src, &len);
	FILE *f;

	if (!buf)
		pfs_fail("cannot keep %s for the host check", src);
	snprintf(dst, sizeof(dst), "%s/%s", out_dir(), name);
	f = fopen(dst, "w");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		pfs_fail("cannot write %s: %s", dst, strerror(errno));
	free(buf);
}

/* write $PFS_TEST_OUT/NAME, or fail */
static void __attribute__((format(printf, 2, 3))) put(const char *name, const char *fmt, ...)
{
	char dst[512];
	va_list ap;
	FILE *f;

	snprintf(dst, sizeof(dst), "%s/%s", out_dir(), name);
	f = fopen(dst, "w");
	if (!f)
		pfs_fail("cannot write %s: %s", dst, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	if (fclose(f))
		pfs_fail("cannot write %s: %s", dst, strerror(errno));
}

static void make_out_dir(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", out_dir());
	if (system(cmd))
		pfs_fail("cannot make %s", out_dir());
}

/* ---- 1. the workload ------------------------------------------------------ */

static int touch_pages(void *arg)
{
	char *p;
	size_t i;

	(void)arg;
	if (pfs_memcg_join(CGROUP))
		return 2;
	p = pfs_map_anon(PAGES * PFS_PAGE);
	for (i = 0; i < PAGES; i++)
		p[i * PFS_PAGE] = 1;
	return 0;
}

static void test_workload(void)
{
	const struct pfs_row *r;
	struct pfs_table *t;
	struct stat st;

	pfs_require_module();
	make_out_dir();
	pfs_memcg_make(CGROUP, "max");
	if (stat(CGROUP, &st))
		pfs_fail("stat %s: %s", CGROUP, strerror(errno));
	pfs_run(&workload, touch_pages, NULL);
	pfs_require_clean_exit(&workload);
	t = pfs_check_child(&workload, PFS_PROC_PATH, &r);
	pfs_expect_ge("workload minor", pfs_col(t, r, "minor"), PAGES,
		      "it touched " STR(PAGES) " fresh anonymous pages");
	pfs_table_free(t);
	/* the kernel's counts: the module's row equals them (checked above) */
	put("workload.txt", "pid=%d\nstart_time=%llu\nminor=%lu\nmajor=%lu\n"
	    "cgroup_path=%s\ncgroup_id=%llu\n",
	    (int)workload.pid, workload.start_time, workload.stat_minflt,
	    workload.stat_majflt, CGROUP + strlen(PFS_CGROUP_ROOT),
	    (unsigned long long)st.st_ino);
	pfs_info("workload pid %d: %lu minor, %lu major (/proc/<pid>/stat), cgroup %s (id %llu)",
		 (int)workload.pid, workload.stat_minflt, workload.stat_majflt,
		 CGROUP, (unsigned long long)st.st_ino);
	have_workload = true;
}

/* ---- 2. the unit's command ------------------------------------------------ */

/* Does this pfstat have --by (pfstat --help names it)? */
static bool pfstat_has_by(void)
{
	char *argv[] = { PFSTAT, "--help", NULL };
	char *help;
	bool yes;

	if (pfs_exec_wait(pfs_exec_start(argv, "/tmp/pfstat-help.txt", NULL)))
		pfs_fail("pfstat --help failed");
	help = pfs_slurp_or_fail("/tmp/pfstat-help.txt");
	yes = strstr(help, "--by") != NULL;
	free(help);
	return yes;
}

/*
 * The words of the unit's ExecStart= in argv (pointing into buf), the
 * binary replaced by the guest's pfstat; "--by cgroup" dropped where pfstat
 * lacks it.  Returns argc.
 */
static int unit_command(char *buf, char **argv)
{
	char *unit = pfs_slurp_or_fail(UNIT), *line, *save, *w;
	int argc = 0;

	buf[0] = '\0';
	for (line = strtok_r(unit, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "ExecStart=", 10))
			snprintf(buf, 1024, "%s", line + 10);
	free(unit);
	if (!buf[0])
		pfs_fail("%s has no ExecStart=", UNIT);
	pfs_info("the unit's ExecStart: %s", buf);
	by_cgroup = pfstat_has_by();
	for (w = strtok_r(buf, " \t", &save); w && argc < MAX_ARGS - 1;
	     w = strtok_r(NULL, " \t", &save)) {
		if (argc == 0) {
			if (strcmp(strrchr(w, '/') ? strrchr(w, '/') + 1 : w, "pfstat"))
				pfs_fail("the unit runs %s, not pfstat", w);
			w = PFSTAT;
		} else if (!strcmp(w, "--by") && !by_cgroup) {
			pfs_info("NOTE: this pfstat has no --by yet: running the unit's command without '--by cgroup'");
			strtok_r(NULL, " \t", &save);
			continue;
		} else if (!strcmp(w, "-O")) {
			w = strtok_r(NULL, " \t", &save);
			if (!w)
				pfs_fail("-O without a file in the unit");
			snprintf(textfile, sizeof(textfile), "%s", w);
			argv[argc++] = "-O";
		}
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	return argc;
}

/* No FILE.tmp.* (pfstat -O's temporary name) left in the directory. */
static int temp_files_left(const char *dir)
{
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(dir);

	if (!d)
		pfs_fail("opendir %s: %s", dir, strerror(errno));
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp.")) {
			pfs_info("left in %s: %s", dir, e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

static void test_unit_command(void)
{
	char buf[1024], *argv[MAX_ARGS];
	const char *slash;
	struct stat st;
	int rc;

	if (!have_workload)
		pfs_fail("no workload (the previous sub-test failed)");
	if (access(PFSTAT, X_OK))
		pfs_fail("%s not installed (make -C tools static failed?)", PFSTAT);
	unit_command(buf, argv);
	slash = strrchr(textfile, '/');
	if (!slash || strncmp(textfile, TEXTFILE_DIR "/", strlen(TEXTFILE_DIR) + 1) ||
	    strcmp(slash, "/pagefault_stats.prom"))
		pfs_fail("the unit writes %s, want %s/pagefault_stats.prom (Debian's textfile directory)",
			 textfile, TEXTFILE_DIR);
	if (system("mkdir -p " TEXTFILE_DIR))
		pfs_fail("cannot make %s", TEXTFILE_DIR);
	rc = pfs_exec_wait(pfs_exec_start(argv, "/tmp/unit.out", "/tmp/unit.out"));
	if (rc) {
		char *o = pfs_slurp("/tmp/unit.out", NULL);

		pfs_fail("the unit's command exited %d: %s", rc, o ? o : "");
	}
	if (stat(textfile, &st))
		pfs_fail("no %s after the unit's command: %s", textfile, strerror(errno));
	pfs_expect_true("the textfile is a regular file", S_ISREG(st.st_mode), textfile);
	pfs_info("mode %04o", (unsigned int)(st.st_mode & 07777));
	pfs_expect_true("its mode is 0644", (st.st_mode & 07777) == 0644,
			"pfstat -O: readable by node_exporter's user");
	pfs_expect_eq("temporary files left", (unsigned long long)temp_files_left(TEXTFILE_DIR),
		      0, "pfstat -O renames its temporary file into place");
	keep(textfile, "textfile.prom");
	put("by.txt", "by=%s\n", by_cgroup ? "cgroup" : "none");
	have_textfile = true;
}

/* ---- 3. node_exporter ----------------------------------------------------- */

static bool exited(pid_t pid, int *status)
{
	return waitpid(pid, status, WNOHANG) == pid;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void test_node_exporter(void)
{
	char *lo[] = { "ip", "link", "set", "lo", "up", NULL };
	char *ne[] = { NE, "--web.listen-address=" LISTEN, "--collector.disable-defaults",
		       "--collector.textfile",
		       "--collector.textfile.directory=" TEXTFILE_DIR, NULL };
	char *get[] = { "wget", "-q", "-O", "/tmp/metrics.txt", METRICS_URL, NULL };
	char *manifest;
	int status, tries;
	pid_t pid;

	if (!have_textfile)
		pfs_fail("no textfile (the previous sub-test failed)");
	manifest = pfs_slurp(NE_MANIFEST, NULL);
	if (!manifest)
		pfs_fail("no %s: the list must say '# needs: node-exporter'", NE_MANIFEST);
	if (!strstr(manifest, "prometheus-node-exporter ok "))
		pfs_fail("%s", manifest);
	pfs_info("%s", strtok(manifest, "\n"));
	if (pfs_exec_wait(pfs_exec_start(lo, NULL, NULL)))
		pfs_fail("ip link set lo up failed");
	pid = pfs_exec_start(ne, "/tmp/node-exporter.log", "/tmp/node-exporter.log");
	/* a Go program under TCG: give it up to 60 s to listen */
	for (tries = 0; tries < 120; tries++) {
		if (exited(pid, &status)) {
			keep("/tmp/node-exporter.log", "node-exporter.log");
			pfs_fail("prometheus-node-exporter exited (status 0x%x) before serving; its log is in node-exporter.log",
				 status);
		}
		unlink("/tmp/metrics.txt");
		if (pfs_exec_wait(pfs_exec_start(get, NULL, "/tmp/wget.err")) == 0)
			break;
		sleep_ms(500);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	keep("/tmp/node-exporter.log", "node-exporter.log");
	if (tries == 120)
		pfs_fail("no answer from %s in 60 s", METRICS_URL);
	pfs_info("GET %s answered after %d tries", METRICS_URL, tries + 1);
	keep("/tmp/metrics.txt", "metrics.txt");
	pfs_info("textfile.prom, metrics.txt, workload.txt left in %s for tests/vm/host/node-exporter-textfile",
		 out_dir());
}

int main(void)
{
	pfs_begin();
	pfs_test("a workload in a cgroup of its own: the module's row equals the kernel's counts",
		 test_workload);
	pfs_test("the unit's ExecStart writes pagefault_stats.prom into Debian's textfile directory, 0644, atomically",
		 test_unit_command);
	pfs_test("prometheus-node-exporter on " LISTEN " serves /metrics from that directory",
		 test_node_exporter);
	return pfs_exit();
}
