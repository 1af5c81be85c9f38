// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the module's table files as docs/format.md defines them, the
 * check of a child's row against the kernel's accounting, and the debugfs
 * knobs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pfs_test.h"
#include "pfs_internal.h"

char *pfs_slurp(const char *path, size_t *lenp)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		pfs_info("open %s: %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	for (;;) {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = 0;
	if (lenp)
		*lenp = len;
	return buf;
}

char *pfs_slurp_or_fail(const char *path)
{
	char *text = pfs_slurp(path, NULL);

	if (!text)
		pfs_fail("cannot read %s", path);
	return text;
}

/* Split s in place on single spaces; returns the word count (words in *out). */
static size_t split(char *s, char ***out)
{
	size_t n = 1, i = 0;
	char *p;

	for (p = s; *p; p++)
		n += *p == ' ';
	*out = calloc(n, sizeof(char *));
	(*out)[i++] = s;
	for (p = s; *p; p++) {
		if (*p == ' ') {
			*p = 0;
			(*out)[i++] = p + 1;
		}
	}
	return n;
}

size_t pfs_unescape_comm(const char *in, char *out, size_t outsz)
{
	size_t n = 0;

	while (*in && n + 1 < outsz) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			out[n++] = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 +
					  (in[3] - '0'));
			in += 4;
		} else {
			out[n++] = *in++;
		}
	}
	out[n] = 0;
	return n;
}

void pfs_table_free(struct pfs_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrow; i++)
		free(t->row[i].field);
	free(t->row);
	free(t->gkey);
	free(t->gval);
	free(t->col);
	free(t->text);
	free(t);
}

#define BAD(...) do { pfs_info(__VA_ARGS__); goto bad; } while (0)

struct pfs_table *pfs_table_read(const char *path)
{
	struct pfs_table *t = calloc(1, sizeof(*t));
	char *line, *next, *end;
	size_t len, cap_g = 0, cap_r = 0, lineno = 1;
	int pid_col, comm_col, start_col;

	if (!t)
		return NULL;
	t->text = pfs_slurp(path, &len);
	if (!t->text)
		BAD("%s: cannot read it (is the module loaded?)", path);
	if (len == 0 || t->text[len - 1] != '\n')
		BAD("%s: empty or not ending in a newline", path);

	line = t->text;
	next = strchr(line, '\n');
	*next++ = 0;
	if (strncmp(line, "pagefault_stats ", 16))
		BAD("%s line 1: \"%s\", want \"pagefault_stats <version>\"", path, line);
	t->version = (int)strtol(line + 16, &end, 10);
	if (*end || t->version != PFS_FORMAT_VERSION)
		BAD("%s: format version \"%s\", this test knows %d", path,
		    line + 16, PFS_FORMAT_VERSION);

	/* Global block until the first empty line. */
	for (line = next; ; line = next) {
		char *sp;

		lineno++;
		if (!*line)
			BAD("%s: no blank line after the global block", path);
		next = strchr(line, '\n');
		*next++ = 0;
		if (!*line)
			break;
		sp = strchr(line, ' ');
		if (!sp || sp == line || !sp[1] || strchr(sp + 1, ' '))
			BAD("%s line %zu: \"%s\" is not \"<key> <value>\"", path,
			    lineno, line);
		*sp = 0;
		if (t->nglobal == cap_g) {
			cap_g = cap_g ? cap_g * 2 : 32;
			t->gkey = realloc(t->gkey, cap_g * sizeof(char *));
			t->gval = realloc(t->gval, cap_g * sizeof(char *));
		}
		t->gkey[t->nglobal] = line;
		t->gval[t->nglobal++] = sp + 1;
	}

	/* Header. */
	line = next;
	lineno++;
	if (!*line)
		BAD("%s: no header after the blank line", path);
	next = strchr(line, '\n');
	*next++ = 0;
	t->ncol = split(line, &t->col);
	if (strcmp(t->col[0], "pid"))
		BAD("%s line %zu: header starts with \"%s\", want \"pid\"", path,
		    lineno, t->col[0]);
	pid_col = pfs_col_index(t, "pid");
	comm_col = pfs_col_index(t, "comm");
	start_col = pfs_col_index(t, "start_time");
	if (comm_col < 0)
		BAD("%s: header has no comm column", path);

	/* Rows, up to the end of the file. */
	for (line = next; line < t->text + len; line = next) {
		struct pfs_row *r;
		size_t nf;

		lineno++;
		next = strchr(line, '\n');
		*next++ = 0;
		if (!*line)
			BAD("%s line %zu: empty line among the rows", path, lineno);
		if (t->nrow == cap_r) {
			cap_r = cap_r ? cap_r * 2 : 64;
			t->row = realloc(t->row, cap_r * sizeof(*t->row));
		}
		r = &t->row[t->nrow];
		memset(r, 0, sizeof(*r));
		nf = split(line, &r->field);
		t->nrow++;
		if (nf != t->ncol)
			BAD("%s line %zu: %zu fields, the header has %zu", path,
			    lineno, nf, t->ncol);
		r->comm_len = pfs_unescape_comm(r->field[comm_col], r->comm,
						sizeof(r->comm));
		if (t->nrow > 1 && start_col >= 0) {
			char **p = t->row[t->nrow - 2].field;
			long long pp = strtoll(p[pid_col], NULL, 10);
			long long rp = strtoll(r->field[pid_col], NULL, 10);

			if (pp > rp || (pp == rp && strtoull(p[start_col], NULL, 10) >
						   strtoull(r->field[start_col], NULL, 10)))
				BAD("%s line %zu: rows not sorted by pid, then start time",
				    path, lineno);
		}
	}
	return t;
bad:
	pfs_table_free(t);
	return NULL;
}

struct pfs_table *pfs_table_get(const char *path)
{
	struct pfs_table *t = pfs_table_read(path);

	if (!t)
		pfs_fail("%s does not follow docs/format.md (see above)", path);
	return t;
}

static const char *global_raw(const struct pfs_table *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->nglobal; i++)
		if (!strcmp(t->gkey[i], key))
			return t->gval[i];
	return NULL;
}

const char *pfs_global_word(const struct pfs_table *t, const char *key)
{
	const char *v = global_raw(t, key);

	if (!v)
		pfs_fail("global key \"%s\" is missing", key);
	return v;
}

static bool parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !*end && !errno;
}

unsigned long long pfs_global(const struct pfs_table *t, const char *key)
{
	const char *s = pfs_global_word(t, key);
	unsigned long long v;

	if (!parse_u64(s, &v))
		pfs_fail("global %s = \"%s\" is not an unsigned number", key, s);
	return v;
}

unsigned long long pfs_global_or(const struct pfs_table *t, const char *key,
				 unsigned long long dflt)
{
	const char *s = global_raw(t, key);
	unsigned long long v;

	if (!s || !parse_u64(s, &v))
		return dflt;
	return v;
}

int pfs_col_index(const struct pfs_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		if (!strcmp(t->col[i], name))
			return (int)i;
	return -1;
}

const char *pfs_col_str(const struct pfs_table *t, const struct pfs_row *r,
			const char *name)
{
	int i = pfs_col_index(t, name);

	if (i < 0)
		pfs_fail("the header has no column \"%s\"", name);
	return r->field[i];
}

unsigned long long pfs_col(const struct pfs_table *t, const struct pfs_row *r,
			   const char *name)
{
	const char *s = pfs_col_str(t, r, name);
	unsigned long long v;

	if (!parse_u64(s, &v))
		pfs_fail("column %s = \"%s\" is not an unsigned number", name, s);
	return v;
}

const struct pfs_row *pfs_table_find(const struct pfs_table *t, pid_t pid,
				     unsigned long long start_time)
{
	int pc = pfs_col_index(t, "pid"), sc = pfs_col_index(t, "start_time");
	size_t i;

	if (sc < 0)
		pfs_fail("the header has no start_time column");
	for (i = 0; i < t->nrow; i++)
		if (strtoll(t->row[i].field[pc], NULL, 10) == pid &&
		    strtoull(t->row[i].field[sc], NULL, 10) == start_time)
			return &t->row[i];
	return NULL;
}

size_t pfs_table_count_pid(const struct pfs_table *t, pid_t pid)
{
	int pc = pfs_col_index(t, "pid");
	size_t i, n = 0;

	for (i = 0; i < t->nrow; i++)
		n += strtoll(t->row[i].field[pc], NULL, 10) == pid;
	return n;
}

static void explain_globals(const struct pfs_table *t)
{
	pfs_info("globals: nmissed %llu dropped %llu evicted %llu procs %llu max_procs %llu",
		 pfs_global_or(t, "nmissed", ~0ULL), pfs_global_or(t, "dropped", ~0ULL),
		 pfs_global_or(t, "evicted", ~0ULL), pfs_global_or(t, "procs", ~0ULL),
		 pfs_global_or(t, "max_procs", ~0ULL));
}

bool pfs_oracle_only(void)
{
	const char *e = getenv("PFS_ORACLE_ONLY");

	return e && *e && strcmp(e, "0");
}

static unsigned long long col_or0(const struct pfs_table *t,
				  const struct pfs_row *r, const char *name)
{
	return pfs_col_index(t, name) < 0 ? 0 : pfs_col(t, r, name);
}

bool pfs_check_row_invariants(const struct pfs_table *t, const struct pfs_row *r)
{
	unsigned long long minor = pfs_col(t, r, "minor");
	unsigned long long major = pfs_col(t, r, "major");
	bool ok = true;

	ok &= pfs_expect_le("row remote", col_or0(t, r, "remote"), minor + major,
			    "remote faults are a subset of minor + major");
	if (pfs_col_index(t, "read") >= 0)
		ok &= pfs_expect_eq("row read + write + exec",
				    pfs_col(t, r, "read") + pfs_col(t, r, "write") +
				    pfs_col(t, r, "exec"), minor + major,
				    "every counted fault is read, write or exec: minor + major");
	if (pfs_col_index(t, "anon_minor") >= 0) {
		ok &= pfs_expect_le("row anon_minor + file_minor + shmem_minor",
				    pfs_col(t, r, "anon_minor") + pfs_col(t, r, "file_minor") +
				    pfs_col(t, r, "shmem_minor"), minor,
				    "causes split the minor faults (special mappings have none)");
		ok &= pfs_expect_le("row anon_major + file_major + shmem_major",
				    pfs_col(t, r, "anon_major") + pfs_col(t, r, "file_major") +
				    pfs_col(t, r, "shmem_major"), major,
				    "causes split the major faults");
	}
	if (pfs_col_index(t, "refault_restore") >= 0)
		ok &= pfs_expect_le("row refault_restore", pfs_col(t, r, "refault_restore"),
				    pfs_col(t, r, "refault_anon") + pfs_col(t, r, "refault_file"),
				    "the kernel counts a restore only with the refault, in the same call");
	if (pfs_col_index(t, "fault_max_ns") >= 0)
		ok &= pfs_expect_le("row fault_max_ns", pfs_col(t, r, "fault_max_ns"),
				    pfs_col(t, r, "fault_ns"),
				    "the longest call is part of the total time");
	return ok;
}

struct pfs_table *pfs_check_child(const struct pfs_child *c, const char *path,
				  const struct pfs_row **rowp)
{
	unsigned long long want_min = c->ru.ru_minflt - c->stat_cminflt;
	unsigned long long want_maj = c->ru.ru_majflt - c->stat_cmajflt;
	const struct pfs_row *r;
	struct pfs_table *t;
	bool ok = true;
	char comm[256];
	size_t i, n = 0;

	for (i = 0; c->comm[i] && n + 5 < sizeof(comm); i++) {
		unsigned char ch = c->comm[i];

		if (ch <= ' ' || ch == 0x7f || ch == '\\')
			n += snprintf(comm + n, 5, "\\%03o", ch);
		else
			comm[n++] = ch;
	}
	comm[n] = 0;
	pfs_info("child %d \"%s\" start_time %llu: /proc stat minflt %lu majflt %lu, "
		 "cminflt %lu cmajflt %lu; wait4 ru_minflt %ld ru_majflt %ld",
		 (int)c->pid, comm, c->start_time, c->stat_minflt, c->stat_majflt,
		 c->stat_cminflt, c->stat_cmajflt, c->ru.ru_minflt, c->ru.ru_majflt);
	/* The two kernel views must agree, or the oracle itself is off. */
	if (want_min != c->stat_minflt || want_maj != c->stat_majflt)
		pfs_fail("kernel views disagree: rusage-minus-children %llu/%llu vs "
			 "/proc stat %lu/%lu", want_min, want_maj, c->stat_minflt,
			 c->stat_majflt);
	if (pfs_oracle_only())
		pfs_skip("PFS_ORACLE_ONLY: the module's rows are not checked");
	t = pfs_table_get(path);
	r = pfs_table_find(t, c->pid, c->start_time);
	if (!r) {
		explain_globals(t);
		pfs_table_free(t);
		pfs_fail("%s has no row for pid %d start_time %llu", path,
			 (int)c->pid, c->start_time);
	}
	ok &= pfs_expect_eq("row minor", pfs_col(t, r, "minor"), want_min,
			    "wait4 ru_minflt minus reaped children's cminflt");
	ok &= pfs_expect_eq("row major", pfs_col(t, r, "major"), want_maj,
			    "wait4 ru_majflt minus reaped children's cmajflt");
	ok &= pfs_expect_str("row state", pfs_col_str(t, r, "state"), "exited",
			     "the child was reaped");
	ok &= pfs_expect_str("row comm (unescaped)", r->comm, c->comm,
			     "/proc/<pid>/stat field 2 of the zombie");
	ok &= pfs_expect_eq("row ppid", pfs_col(t, r, "ppid"), c->ppid,
			    "the process that forked it");
	ok &= pfs_check_row_invariants(t, r);
	if (!ok)
		explain_globals(t);
	if (rowp)
		*rowp = r;
	return t;
}

void pfs_require_module(void)
{
	struct pfs_table *t;
	char buf[256];

	if (pfs_oracle_only())
		pfs_skip("PFS_ORACLE_ONLY: the module is not used");
	t = pfs_table_get(PFS_PROC_PATH);

	if (pfs_global(t, "enabled") != 1)
		pfs_fail("module counting is paused (enabled 0): a previous test left it so");
	pfs_table_free(t);
	if (pfs_read_file(PFS_DEBUGFS_DIR "/pid_filter", buf, sizeof(buf)) > 0 &&
	    strspn(buf, " \n") != strlen(buf))
		pfs_fail("pid_filter is set (\"%s\"): a previous test left it so", buf);
	if (pfs_read_file(PFS_DEBUGFS_DIR "/comm_filter", buf, sizeof(buf)) > 0 &&
	    strspn(buf, " \n") != strlen(buf))
		pfs_fail("comm_filter is set (\"%s\"): a previous test left it so", buf);
	if (pfs_read_file(PFS_DEBUGFS_DIR "/cgroup_filter", buf, sizeof(buf)) > 0 &&
	    strspn(buf, " \n") != strlen(buf))
		pfs_fail("cgroup_filter is set (\"%s\"): a previous test left it so", buf);
}

ssize_t pfs_read_file(const char *path, char *buf, size_t sz)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((size_t)len + 1 < sz &&
	       (n = read(fd, buf + len, sz - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return len;
}

int pfs_write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	err = n < 0 ? -errno : ((size_t)n == len ? 0 : -EIO);
	close(fd);
	return err;
}

void pfs_knob_set(const char *knob, const char *value)
{
	char path[256];
	int err;

	snprintf(path, sizeof(path), "%s/%s", PFS_DEBUGFS_DIR, knob);
	err = pfs_write_file(path, value, strlen(value));
	if (err)
		pfs_fail("write \"%s\" to %s: %s", value, path, strerror(-err));
}

void pfs_knobs_restore(void)
{
	pfs_write_file(PFS_DEBUGFS_DIR "/pid_filter", "\n", 1);
	pfs_write_file(PFS_DEBUGFS_DIR "/comm_filter", "\n", 1);
	pfs_write_file(PFS_DEBUGFS_DIR "/cgroup_filter", "\n", 1);
	pfs_write_file(PFS_DEBUGFS_DIR "/enabled", "1\n", 2);
}

void pfs_test_knobs(const char *name, void (*fn)(void))
{
	pfs_test(name, fn);
	pfs_knobs_restore();
}
