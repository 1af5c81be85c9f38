// SPDX-License-Identifier: GPL-2.0
/*
 * The latency histograms of debugfs hist: text bars per kind with counts
 * and percentile estimates, and the JSON, CSV and Prometheus forms.
 */
#include <string.h>

#include "out.h"

static uint64_t pfs_hist_total(const struct pfs_hist *h, enum pfs_hist_kind k)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->b[i].kind == k)
			sum = pfs_add_sat(sum, h->b[i].count);
	return sum;
}

/*
 * The upper bound of the bucket holding the p-th percentile call: an
 * upper estimate, as exact as power-of-two buckets allow. 0 if empty.
 */
uint64_t pfs_hist_percentile(const struct pfs_hist *h, enum pfs_hist_kind k,
			     double p)
{
	uint64_t total = pfs_hist_total(h, k), seen = 0, best = 0;
	double want = p / 100.0 * (double)total;
	uint64_t lo = 0;

	if (!total)
		return 0;
	/* Buckets may come in any order: walk them by increasing lo_ns. */
	for (;;) {
		uint64_t next = UINT64_MAX, cnt = 0;
		bool found = false;
		size_t i;

		for (i = 0; i < h->n; i++) {
			if (h->b[i].kind != k || h->b[i].lo_ns < lo)
				continue;
			if (h->b[i].lo_ns < next) {
				next = h->b[i].lo_ns;
				found = true;
			}
		}
		if (!found)
			return best;
		for (i = 0; i < h->n; i++)
			if (h->b[i].kind == k && h->b[i].lo_ns == next) {
				cnt = pfs_add_sat(cnt, h->b[i].count);
				best = h->b[i].hi_ns;
			}
		seen = pfs_add_sat(seen, cnt);
		if ((double)seen >= want && seen)
			return best;
		if (next == UINT64_MAX)
			return best;
		lo = next + 1;
	}
}

void pfs_hist_text(FILE *f, const struct pfs_hist *h, int width)
{
	int k;

	if (width < 10)
		width = 10;
	for (k = 0; k < PFS_H_NKINDS; k++) {
		uint64_t total = pfs_hist_total(h, (enum pfs_hist_kind)k), max = 0;
		char a[32], b[32], c[32], p50[32], p99[32];
		size_t i;

		if (!total) {
			fprintf(f, "%s: no calls\n\n", pfs_hist_kind_names[k]);
			continue;
		}
		for (i = 0; i < h->n; i++)
			if ((int)h->b[i].kind == k && h->b[i].count > max)
				max = h->b[i].count;
		pfs_fmt_count(c, sizeof(c), total, false);
		pfs_fmt_ns(p50, sizeof(p50), pfs_hist_percentile(h, k, 50), false);
		pfs_fmt_ns(p99, sizeof(p99), pfs_hist_percentile(h, k, 99), false);
		fprintf(f, "%s: %s calls, p50 < %s, p99 < %s\n",
			pfs_hist_kind_names[k], c, p50, p99);
		fprintf(f, "%10s .. %-10s %10s\n", "from", "below", "calls");
		for (i = 0; i < h->n; i++) {
			const struct pfs_bucket *bk = &h->b[i];
			int bar, j;

			if ((int)bk->kind != k)
				continue;
			bar = (int)((double)bk->count / (double)max * width + 0.5);
			if (bar == 0 && bk->count)
				bar = 1;
			pfs_fmt_ns(a, sizeof(a), bk->lo_ns, false);
			pfs_fmt_ns(b, sizeof(b), bk->hi_ns, false);
			pfs_fmt_count(c, sizeof(c), bk->count, false);
			fprintf(f, "%10s .. %-10s %10s |", a, b, c);
			for (j = 0; j < bar; j++)
				fputc('#', f);
			fputc('\n', f);
		}
		fputc('\n', f);
	}
	fflush(f);
}

struct json_object *pfs_hist_json(const struct pfs_hist *h)
{
	struct json_object *doc = json_object_new_object();
	int k;

	json_object_object_add(doc, "format_version",
			       json_object_new_int((int)h->version));
	for (k = 0; k < PFS_H_NKINDS; k++) {
		struct json_object *o = json_object_new_object();
		struct json_object *arr = json_object_new_array();
		size_t i;

		json_object_object_add(o, "calls",
				       json_object_new_uint64(pfs_hist_total(h, k)));
		json_object_object_add(o, "p50_below_ns",
				       json_object_new_uint64(pfs_hist_percentile(h, k, 50)));
		json_object_object_add(o, "p99_below_ns",
				       json_object_new_uint64(pfs_hist_percentile(h, k, 99)));
		for (i = 0; i < h->n; i++) {
			struct json_object *b;

			if (h->b[i].kind != (enum pfs_hist_kind)k)
				continue;
			b = json_object_new_object();
			json_object_object_add(b, "lo_ns", json_object_new_uint64(h->b[i].lo_ns));
			json_object_object_add(b, "hi_ns", json_object_new_uint64(h->b[i].hi_ns));
			json_object_object_add(b, "count", json_object_new_uint64(h->b[i].count));
			json_object_array_add(arr, b);
		}
		json_object_object_add(o, "buckets", arr);
		json_object_object_add(doc, pfs_hist_kind_names[k], o);
	}
	return doc;
}

void pfs_hist_csv(FILE *f, const struct pfs_hist *h)
{
	size_t i;

	fputs("kind,lo_ns,hi_ns,count\r\n", f);
	for (i = 0; i < h->n; i++)
		fprintf(f, "%s,%llu,%llu,%llu\r\n", pfs_hist_kind_names[h->b[i].kind],
			(unsigned long long)h->b[i].lo_ns,
			(unsigned long long)h->b[i].hi_ns,
			(unsigned long long)h->b[i].count);
	fflush(f);
}

/* Per-bucket counters, not a Prometheus histogram: the module keeps no
 * sum of durations, and a histogram without _sum would be a made-up one. */
void pfs_hist_prom(FILE *f, const struct pfs_hist *h)
{
	size_t i;

	fputs("# HELP pagefault_stats_fault_calls_total handle_mm_fault() calls by result kind and duration bucket [lo_ns, hi_ns).\n"
	      "# TYPE pagefault_stats_fault_calls_total counter\n", f);
	for (i = 0; i < h->n; i++)
		fprintf(f, "pagefault_stats_fault_calls_total{kind=\"%s\",lo_ns=\"%llu\",hi_ns=\"%llu\"} %llu\n",
			pfs_hist_kind_names[h->b[i].kind],
			(unsigned long long)h->b[i].lo_ns,
			(unsigned long long)h->b[i].hi_ns,
			(unsigned long long)h->b[i].count);
	fflush(f);
}
