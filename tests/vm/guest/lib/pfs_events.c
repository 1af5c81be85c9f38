// SPDX-License-Identifier: GPL-2.0
/*
 * The module's trace events as the consumers print them ("name=value"
 * words), and running a consumer: see pfs_events.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfs_events.h"
#include "pfs_test.h"

size_t pfs_ev_parse_line(char *line, struct pfs_event *ev)
{
	char *s, *word, *eq;

	ev->nfield = 0;
	for (word = strtok_r(line, " \t", &s); word; word = strtok_r(NULL, " \t", &s)) {
		eq = strchr(word, '=');
		if (!eq || eq == word || ev->nfield == PFS_EV_MAX_FIELDS)
			continue;
		*eq = 0;
		ev->key[ev->nfield] = word;
		ev->val[ev->nfield++] = eq + 1;
	}
	return ev->nfield;
}

const char *pfs_ev_str(const struct pfs_event *ev, const char *key)
{
	size_t i;

	for (i = 0; i < ev->nfield; i++)
		if (!strcmp(ev->key[i], key))
			return ev->val[i];
	return NULL;
}

unsigned long long pfs_ev_num(const struct pfs_event *ev, const char *key)
{
	const char *v = pfs_ev_str(ev, key);
	unsigned long long n;
	char *end;

	if (!v)
		pfs_fail("an event has no field %s", key);
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno || end == v || *end)
		pfs_fail("event field %s=%s is not a number", key, v);
	return n;
}

bool pfs_ev_is_fault(const struct pfs_event *ev)
{
	return pfs_ev_str(ev, "result");
}

bool pfs_ev_is_invalid(const struct pfs_event *ev)
{
	return pfs_ev_str(ev, "kind");
}

struct pfs_events *pfs_events_read(const char *path)
{
	struct pfs_events *e = calloc(1, sizeof(*e));
	size_t len, cap = 0;
	char *line, *s;

	if (!e)
		return NULL;
	e->text = pfs_slurp(path, &len);
	if (!e->text) {
		free(e);
		return NULL;
	}
	for (line = strtok_r(e->text, "\n", &s); line; line = strtok_r(NULL, "\n", &s)) {
		if (!strstr(line, "result=") && !strstr(line, "kind="))
			continue;
		if (e->n == cap) {
			cap = cap ? 2 * cap : 1024;
			e->ev = realloc(e->ev, cap * sizeof(*e->ev));
			if (!e->ev)
				pfs_fail("out of memory for %zu events", cap);
		}
		pfs_ev_parse_line(line, &e->ev[e->n]);
		if (pfs_ev_is_fault(&e->ev[e->n]) || pfs_ev_is_invalid(&e->ev[e->n]))
			e->n++;
	}
	return e;
}

void pfs_events_free(struct pfs_events *e)
{
	if (!e)
		return;
	free(e->ev);
	free(e->text);
	free(e);
}

size_t pfs_events_count(const struct pfs_events *e, const char *key, const char *val)
{
	size_t i, n = 0;

	for (i = 0; i < e->n; i++) {
		const char *v = key ? pfs_ev_str(&e->ev[i], key) : "";

		n += v && (!key || !val || !strcmp(v, val));
	}
	return n;
}

static void show_tail(const char *path)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "tail -n 15 '%s' | sed 's/^/#   /'", path);
	fflush(stdout);
	if (system(cmd) == -1)
		pfs_info("cannot show %s", path);
}

int pfs_run_cmd(char *const argv[], const char *out)
{
	int status = pfs_exec_wait(pfs_exec_start(argv, out, out));

	if (status) {
		pfs_info("%s exited %d; the end of its output (%s):", argv[0], status, out);
		show_tail(out);
	}
	return status;
}

#define GUEST_TOOLS "/tests/guest-tools"

void pfs_require_tool(const char *tool)
{
	char buf[4096], *line, *s;
	size_t n = strlen(tool);

	if (pfs_read_file(GUEST_TOOLS, buf, sizeof(buf)) < 0)
		pfs_fail("%s is missing: run the test VM with the guest tools "
			 "(a list saying '# needs: guest-tools', or tests/vm/run --guest-tools)",
			 GUEST_TOOLS);
	for (line = strtok_r(buf, "\n", &s); line; line = strtok_r(NULL, "\n", &s)) {
		if (strncmp(line, tool, n) || line[n] != ' ')
			continue;
		if (!strncmp(line + n, " ok ", 4))
			return;
		pfs_fail("%s", line);
	}
	pfs_fail("%s does not list %s", GUEST_TOOLS, tool);
}
