/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab-plot.h: a lab step that draws a picture (labs 2, 3 and 5).
 *
 * The lab runs one of its own workloads under "pfstat run --plot": pfstat
 * traces it from exec on, as run --where does (lab-where.h), draws its
 * fault map to NAME.png and writes the data behind it to NAME.csv
 * (docs/format.md, "pfstat's picture data"); the lab reads the CSV and
 * checks in it what the picture shows, and the report's rusage, the
 * kernel's own count, against the marks. The files go to $PFS_TEST_OUT
 * when the test VM runs the lab (tests/vm/run copies it to the host:
 * scripts/lab-pictures), else to /tmp.
 */
#ifndef LAB_PLOT_H
#define LAB_PLOT_H

#include "lab-where.h"

/* Where a workload maps the region the picture is about. */
#define LAB_PLOT_AT	0x200000000000UL

/* One mark of the fault map: a row of the CSV. */
struct lab_mark {
	double t;			/* seconds since the first fault */
	unsigned long long addr;
	char result[8];			/* minor, retry, major, error, invalid */
	char name[160];			/* the band's name: a path, [heap], "" */
	unsigned long long band_start;
};

struct lab_map {
	struct lab_mark *m;
	size_t n;
	unsigned long long minflt, majflt;		/* rusage of the command */
	unsigned long long pre_minflt, pre_majflt;	/* before tracing */
	unsigned long long lost;
	char png[256], csv[256];
};

/* An anonymous private region of n pages at at (no huge pages: one fault
 * a page), for the picture's workload. */
static inline char *lab_map_fixed(unsigned long at, size_t n)
{
	char *p = mmap((void *)at, n * LAB_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)at)
		lab_die("mmap at 0x%lx: %s", at, strerror(errno));
	madvise(p, n * LAB_PAGE, MADV_NOHUGEPAGE);
	return p;
}

/* The picture's and the data's paths, NAME.png and NAME.csv in
 * $PFS_TEST_OUT (made if need be) or /tmp; map emptied. */
static inline void lab_plot_paths(struct lab_map *map, const char *name)
{
	const char *dir = getenv("PFS_TEST_OUT");
	char mk[300];

	memset(map, 0, sizeof(*map));
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(mk, sizeof(mk), "mkdir -p '%s'", dir);
	if (system(mk) != 0)
		lab_die("cannot make %s", dir);
	snprintf(map->png, sizeof(map->png), "%s/%s.png", dir, name);
	snprintf(map->csv, sizeof(map->csv), "%s/%s.csv", dir, name);
}

static inline void lab_plot_csv(struct lab_map *map)
{
	static const char header[] =
		"time_s,address,result,band,band_kind,band_name,band_start,band_end";
	char line[512];
	size_t cap = 0;
	FILE *f = fopen(map->csv, "r");

	if (!f)
		lab_die("cannot open %s: %s", map->csv, strerror(errno));
	if (!fgets(line, sizeof(line), f) || strncmp(line, header, sizeof(header) - 1))
		lab_die("%s: not pfstat's fault map data", map->csv);
	while (fgets(line, sizeof(line), f)) {
		char *field[8], *s = line;
		struct lab_mark *k;
		int i;

		for (i = 0; i < 8; i++) {
			field[i] = s;
			s = strpbrk(s, i < 7 ? "," : "\r\n");
			if (!s && i < 7)
				lab_die("%s: a row of %d fields", map->csv, i + 1);
			if (s)
				*s++ = 0;
		}
		if (map->n == cap) {
			cap = cap ? cap * 2 : 4096;
			map->m = realloc(map->m, cap * sizeof(*map->m));
			if (!map->m)
				lab_die("out of memory");
		}
		k = &map->m[map->n++];
		k->t = strtod(field[0], NULL);
		k->addr = strtoull(field[1], NULL, 16);
		snprintf(k->result, sizeof(k->result), "%s", field[2]);
		snprintf(k->name, sizeof(k->name), "%s", field[5]);
		k->band_start = strtoull(field[6], NULL, 16);
	}
	fclose(f);
}

/*
 * pfstat run --plot NAME.png --data NAME.csv -o json [opts...] -- cmd...:
 * says the command and where the picture is, reads the data and the
 * report's rusage into map. Dies if pfstat fails.
 */
static inline void lab_plot(char *const cmd[], const char *name,
			    char *const opts[], struct lab_map *map)
{
	static char text[1 << 20];
	char json[280];
	char *argv[48];
	struct jdoc *d;
	int n = 0, i, st;

	lab_plot_paths(map, name);
	snprintf(json, sizeof(json), "/tmp/%s-report.json", name);
	argv[n++] = "pfstat";
	argv[n++] = "run";
	argv[n++] = "--plot";
	argv[n++] = map->png;
	argv[n++] = "--data";
	argv[n++] = map->csv;
	argv[n++] = "-o";
	argv[n++] = "json";
	argv[n++] = "-O";
	argv[n++] = json;
	for (i = 0; opts && opts[i] && n < 30; i++)
		argv[n++] = opts[i];
	argv[n++] = "--";
	for (i = 0; cmd[i] && n < 47; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	printf("  $");
	for (i = 0; argv[i]; i++)
		printf(" %s", argv[i]);
	printf("\n");
	st = lab_exec_wait(argv);
	if (st)
		lab_die("pfstat run --plot failed (exit status %d; its message is above)", st);
	lab_slurp(json, text, sizeof(text));
	d = jparse(text);
	if (!d)
		lab_die("%s is not valid JSON", json);
	map->minflt = lab_jnum(d, "run.rusage.minflt");
	map->majflt = lab_jnum(d, "run.rusage.majflt");
	map->pre_minflt = lab_jnum(d, "run.before_trace.minflt");
	map->pre_majflt = lab_jnum(d, "run.before_trace.majflt");
	map->lost = lab_jnum(d, "lost");
	jfree(d);
	lab_plot_csv(map);
	lab_say("  the picture: %s (its data: %s, %zu faults)", map->png, map->csv, map->n);
}

/* pfstat's tracefs instance has its event on: it is tracing. */
static inline bool lab_plot_tracing(pid_t pfstat)
{
	char path[160], v[4] = "";

	snprintf(path, sizeof(path),
		 "/sys/kernel/tracing/instances/pfstat-%d/events/pagefault_stats/fault/enable",
		 (int)pfstat);
	return !lab_read_str(path, v, sizeof(v)) && v[0] == '1';
}

/*
 * pfstat plot map -p pid -O NAME.png --data NAME.csv in the background,
 * for a process the lab runs itself (a child: run --plot traces only the
 * command's own process). Returns pfstat's pid once it is tracing.
 */
static inline pid_t lab_plot_pid_start(pid_t pid, const char *name, struct lab_map *map)
{
	char spid[16];
	pid_t pfstat;
	int i;

	lab_plot_paths(map, name);
	snprintf(spid, sizeof(spid), "%d", (int)pid);
	printf("  $ pfstat plot map -p %s -O %s --data %s &\n", spid, map->png, map->csv);
	fflush(stdout);
	pfstat = fork();
	if (pfstat < 0)
		lab_die("fork: %s", strerror(errno));
	if (pfstat == 0) {
		execlp("pfstat", "pfstat", "plot", "map", "-p", spid, "-O", map->png,
		       "--data", map->csv, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 600 && !lab_plot_tracing(pfstat); i++)
		usleep(50000);
	if (!lab_plot_tracing(pfstat))
		lab_die("pfstat plot map -p %s never started tracing (30 s)", spid);
	return pfstat;
}

/* End it (SIGINT: it draws what it traced; it ends by itself when the
 * process exits) and read the data. */
static inline void lab_plot_pid_end(pid_t pfstat, struct lab_map *map)
{
	int st;

	kill(pfstat, SIGINT);
	if (waitpid(pfstat, &st, 0) != pfstat || !WIFEXITED(st) || WEXITSTATUS(st))
		lab_die("pfstat plot map failed (%s; its message is above)", lab_status_str(st));
	lab_plot_csv(map);
	lab_say("  the picture: %s (its data: %s, %zu faults)", map->png, map->csv, map->n);
}

/* Marks of a result (NULL: any) at addresses [lo, hi) (hi 0: anywhere). */
static inline unsigned long long lab_marks(const struct lab_map *map, unsigned long long lo,
					   unsigned long long hi, const char *result)
{
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i < map->n; i++)
		if ((!hi || (map->m[i].addr >= lo && map->m[i].addr < hi)) &&
		    (!result || !strcmp(map->m[i].result, result)))
			n++;
	return n;
}

/* Marks in the band named name (a path), of a result (NULL: any). */
static inline unsigned long long lab_marks_named(const struct lab_map *map, const char *name,
						 const char *result)
{
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i < map->n; i++)
		if (!strcmp(map->m[i].name, name) &&
		    (!result || !strcmp(map->m[i].result, result)))
			n++;
	return n;
}

static inline int lab_mark_time_cmp(const void *a, const void *b)
{
	const struct lab_mark *x = *(const struct lab_mark *const *)a;
	const struct lab_mark *y = *(const struct lab_mark *const *)b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/*
 * The sweeps over [lo, hi) in the picture: its marks in time order, a new
 * pass where the address falls back by more than half the region. Fills
 * total[] and major[] (the marks and the majors of each pass, at most max
 * passes) and returns the number of passes.
 */
static inline size_t lab_passes(const struct lab_map *map, unsigned long long lo,
				unsigned long long hi, unsigned long long *total,
				unsigned long long *major, size_t max)
{
	const struct lab_mark **in = calloc(map->n ? map->n : 1, sizeof(*in));
	size_t i, n = 0, np = 0;

	if (!in)
		lab_die("out of memory");
	for (i = 0; i < map->n; i++)
		if (map->m[i].addr >= lo && map->m[i].addr < hi)
			in[n++] = &map->m[i];
	qsort(in, n, sizeof(*in), lab_mark_time_cmp);
	for (i = 0; i < n; i++) {
		if (!i || in[i]->addr + (hi - lo) / 2 < in[i - 1]->addr) {
			if (np == max)
				break;
			total[np] = major[np] = 0;
			np++;
		}
		total[np - 1]++;
		major[np - 1] += !strcmp(in[i]->result, "major");
	}
	free(in);
	return np;
}

/* The marks of every result against the kernel's count (rusage): those
 * pfstat traced plus those before tracing began. */
static inline void lab_plot_expect_rusage(const struct lab_map *map)
{
	unsigned long long minor = lab_marks(map, 0, 0, "minor");
	unsigned long long major = lab_marks(map, 0, 0, "major");

	lab_expect(minor + map->pre_minflt == map->minflt &&
		   major + map->pre_majflt == map->majflt,
		   "the picture's minor and major marks (%llu, %llu) + before tracing (%llu, %llu) = the kernel's count, rusage minflt %llu, majflt %llu",
		   minor, major, map->pre_minflt, map->pre_majflt, map->minflt, map->majflt);
	lab_expect(map->lost == 0, "no event lost: %llu", map->lost);
}

#endif /* LAB_PLOT_H */
