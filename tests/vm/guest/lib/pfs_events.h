/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfs_events: the module's trace events (docs/format.md, "Trace events") as
 * the consumers print them, for the event tests (tests/vm/guest/ev_*.c).
 *
 * perf script, trace-cmd report and the tests' bpftrace printf all print an
 * event as its fields, "name=value" words; an event line is any line with a
 * "result=" (pagefault_stats:fault) or "kind=" (pagefault_stats:invalid)
 * word.  Fields are looked up by name, as the format's rule asks.
 */
#ifndef PFS_EVENTS_H
#define PFS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#define PFS_EV_MAX_FIELDS 64

struct pfs_event {
	size_t nfield;
	char *key[PFS_EV_MAX_FIELDS], *val[PFS_EV_MAX_FIELDS];
};

struct pfs_events {
	size_t n;
	struct pfs_event *ev;
	char *text;		/* the file, split in place; owned */
};

/* Parse one line's "name=value" words into ev (the line is split in place).
 * Returns the number of fields. */
size_t pfs_ev_parse_line(char *line, struct pfs_event *ev);

/* Every event line of a consumer's output file; NULL if unreadable. */
struct pfs_events *pfs_events_read(const char *path);
void pfs_events_free(struct pfs_events *e);

/* A field's value, or NULL / the number (0x... is hex); pfs_ev_num() fails
 * the sub-test when the field is missing or not a number. */
const char *pfs_ev_str(const struct pfs_event *ev, const char *key);
unsigned long long pfs_ev_num(const struct pfs_event *ev, const char *key);

/* Is it a fault event (has result=) / an invalid event (has kind=)? */
bool pfs_ev_is_fault(const struct pfs_event *ev);
bool pfs_ev_is_invalid(const struct pfs_event *ev);

/* Events whose field key equals val (val NULL: that have the field; key
 * NULL: all events). */
size_t pfs_events_count(const struct pfs_events *e, const char *key, const char *val);

/*
 * Run argv (argv[0] looked up in PATH) with stdout and stderr into out, and
 * wait; returns its exit status (127 if it could not run, 128+N if killed
 * by signal N) and prints it with the file's tail when non-zero.
 */
int pfs_run_cmd(char *const argv[], const char *out);

/*
 * The guest tools (scripts/guest-tools.sh): fails the sub-test with the
 * host's reason ("... is not on the host: run 'make deps'") unless tool is
 * in this VM.
 */
void pfs_require_tool(const char *tool);

#endif /* PFS_EVENTS_H */
