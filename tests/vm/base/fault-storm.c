// SPDX-License-Identifier: GPL-2.0
/*
 * fault-storm: a fault-heavy workload.  Each round maps PAGES anonymous
 * pages, writes one byte to each (one minor fault per page: THP is "madvise"
 * in the test VM and this program never asks for it) and unmaps them.
 *
 *   fault-storm [-p PAGES] [-n ROUNDS]     ROUNDS 0 = until killed
 *
 * At the end it prints the rounds done and its own minor/major fault counts
 * as getrusage() reports them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

static int touch_round(size_t pages, size_t page)
{
	size_t i, len = pages * page;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("fault-storm: mmap");
		return -1;
	}
	for (i = 0; i < len; i += page)
		p[i] = 1;
	munmap(p, len);
	return 0;
}

static long parse(const char *s, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0) {
		fprintf(stderr, "fault-storm: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	long pages = 256, rounds = 0, done;
	struct rusage ru;
	int c;

	while ((c = getopt(argc, argv, "p:n:")) != -1) {
		switch (c) {
		case 'p':
			pages = parse(optarg, "page count");
			break;
		case 'n':
			rounds = parse(optarg, "round count");
			break;
		default:
			fprintf(stderr, "usage: fault-storm [-p PAGES] [-n ROUNDS]\n");
			return 2;
		}
	}
	for (done = 0; rounds == 0 || done < rounds; done++)
		if (touch_round((size_t)pages, page))
			return 1;
	getrusage(RUSAGE_SELF, &ru);
	printf("fault-storm: %ld rounds of %ld pages, %ld minor, %ld major faults\n",
	       done, pages, ru.ru_minflt, ru.ru_majflt);
	return 0;
}
