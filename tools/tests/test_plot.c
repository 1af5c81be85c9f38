// SPDX-License-Identifier: GPL-2.0
/*
 * The pictures (chart.c, plot_*.c) read back: a PNG decodes to the size
 * drawn, with the marks' and lines' colours in it where there is data
 * and without them where there is none; an SVG is a complete SVG
 * document; a file name picks the format. PFSTAT_TEST_KEEP=1 keeps the
 * pictures.
 */
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <unistd.h>

#include "testlib.h"
#include "plot.h"

static const char maps_text[] =
	"00400000-00452000 r-xp 00000000 fe:01 1234                               /usr/bin/prog\n"
	"01a4b000-01a6c000 rw-p 00000000 00:00 0                                  [heap]\n"
	"7f1000000000-7f1000100000 rw-p 00000000 00:00 0 \n"
	"7ffd1000-7ffd3000 rw-p 00000000 00:00 0                                  [stack]\n";

static char tmpdir[] = "/tmp/pfstat-test-plot.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	/* cairo's and fontconfig's caches, for the leak checker */
	cairo_debug_reset_static_data();
	FcFini();
	/* PFSTAT_TEST_KEEP=1: leave the pictures to look at */
	if (getenv("PFSTAT_TEST_KEEP")) {
		fprintf(stderr, "pictures kept in %s\n", tmpdir);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd);
}

/* A sweep: minor faults over the anon region three times, majors every
 * pass on its last quarter, two invalid accesses at 0x0. */
static void sweep(struct pfs_fmap *m)
{
	struct pfs_maps u = { 0 }, s;
	struct pfs_where w;
	struct pfs_err e;
	struct pfs_event ev = { .type = PFS_EV_FAULT, .cause = PFS_C_ANON };
	int pass, i;

	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < 256; i++) {
			ev.ts = 1000000000ULL * (uint64_t)pass + (uint64_t)i * 3000000;
			ev.address = 0x7f1000000000ULL + (uint64_t)i * 4096;
			ev.result = i >= 192 ? PFS_R_MAJOR : PFS_R_MINOR;
			assert_int_equal(pfs_fmap_add(m, &ev), 0);
		}
	}
	ev.result = PFS_R_MINOR;
	ev.address = 0x1a4b000;
	assert_int_equal(pfs_fmap_add(m, &ev), 0);
	ev.type = PFS_EV_INVALID;
	ev.address = 0;
	assert_int_equal(pfs_fmap_add(m, &ev), 0);
	ev.ts += 1000;
	assert_int_equal(pfs_fmap_add(m, &ev), 0);
	assert_int_equal(pfs_maps_parse(maps_text, strlen(maps_text), &s, &e), 0);
	assert_int_equal(pfs_maps_merge(&u, &s), 0);
	pfs_maps_free(&s);
	pfs_where_init(&w, 1);
	assert_int_equal(pfs_fmap_finish(m, &w, &u), 0);
	pfs_maps_free(&u);
}

static FILE *create(const char *name, char *path, size_t sz)
{
	FILE *f;

	snprintf(path, sz, "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	return f;
}

/* Pixels of about this colour (each channel within 0.08). */
static long colour_pixels(cairo_surface_t *s, double r, double g, double b)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s), x, y;
	unsigned char *d;
	long n = 0;

	cairo_surface_flush(s);
	d = cairo_image_surface_get_data(s);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			uint32_t p;

			memcpy(&p, d + y * stride + x * 4, sizeof(p));
			if (fabs(((p >> 16) & 0xff) / 255.0 - r) < 0.08 &&
			    fabs(((p >> 8) & 0xff) / 255.0 - g) < 0.08 &&
			    fabs((p & 0xff) / 255.0 - b) < 0.08)
				n++;
		}
	}
	return n;
}

static cairo_surface_t *read_png(const char *path, int w, int h)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);

	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), w);
	if (h)
		assert_int_equal(cairo_image_surface_get_height(s), h);
	return s;
}

static void check_svg(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t len;
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 1000);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	assert_int_equal(len, (size_t)n);
	assert_memory_equal(buf, "<?xml", 5);
	assert_non_null(strstr(buf, "<svg"));
	assert_non_null(strstr(buf, "</svg>"));
	free(buf);
}

/* minor's blue and major's vermillion (plot_map.c's styles) */
#define BLUE	0.000, 0.447, 0.698
#define VERM	0.835, 0.369, 0.000

static void test_map(void **state)
{
	struct pfs_plot_text txt = { "Page faults of sweep (pid 1)", "a test" };
	struct pfs_fmap m = { 0 };
	cairo_surface_t *s;
	char path[256];
	FILE *f;

	(void)state;
	sweep(&m);
	assert_int_equal(m.nbands, 3);	/* unmapped 0x0, [heap], anon */
	f = create("map.png", path, sizeof(path));
	assert_int_equal(pfs_plot_map(f, PFS_IMG_PNG, &m, &txt), 0);
	fclose(f);
	s = read_png(path, 1200, 720);
	assert_true(colour_pixels(s, BLUE) > 500);
	assert_true(colour_pixels(s, VERM) > 200);
	assert_true(colour_pixels(s, 0, 0, 0) > 1000);	/* text, frame, crosses */
	cairo_surface_destroy(s);
	f = create("map.svg", path, sizeof(path));
	assert_int_equal(pfs_plot_map(f, PFS_IMG_SVG, &m, &txt), 0);
	fclose(f);
	check_svg(path);
	pfs_fmap_free(&m);
}

/* No events: a picture that says so, with no marks in it. */
static void test_map_empty(void **state)
{
	struct pfs_plot_text txt = { "Page faults of idle (pid 2)", NULL };
	struct pfs_fmap m = { 0 };
	cairo_surface_t *s;
	char path[256];
	FILE *f;

	(void)state;
	f = create("empty.png", path, sizeof(path));
	assert_int_equal(pfs_plot_map(f, PFS_IMG_PNG, &m, &txt), 0);
	fclose(f);
	s = read_png(path, 1200, 720);
	assert_true(colour_pixels(s, VERM) == 0);
	assert_true(colour_pixels(s, 0, 0, 0) > 100);	/* title, axes */
	cairo_surface_destroy(s);
}

/* Many bands: the picture grows to hold them. */
static void test_map_many_bands(void **state)
{
	struct pfs_plot_text txt = { "many", NULL };
	struct pfs_event ev = { .type = PFS_EV_INVALID };
	struct pfs_maps u = { 0 };
	struct pfs_fmap m = { 0 };
	struct pfs_where w;
	cairo_surface_t *s;
	char path[256];
	FILE *f;
	int i;

	(void)state;
	for (i = 0; i < 60; i++) {
		ev.address = (uint64_t)i << 24;		/* 16 MiB apart */
		assert_int_equal(pfs_fmap_add(&m, &ev), 0);
	}
	pfs_where_init(&w, 1);
	assert_int_equal(pfs_fmap_finish(&m, &w, &u), 0);
	assert_int_equal(m.nbands, 60);
	f = create("many.png", path, sizeof(path));
	assert_int_equal(pfs_plot_map(f, PFS_IMG_PNG, &m, &txt), 0);
	fclose(f);
	s = read_png(path, 1200, 0);
	assert_true(cairo_image_surface_get_height(s) >= 60 * 20);
	cairo_surface_destroy(s);
	pfs_fmap_free(&m);
}

static void test_hist(void **state)
{
	struct pfs_plot_text txt = { "Page fault latency", "a test" };
	struct pfs_hist h, none = { 0 };
	struct pfs_err e;
	cairo_surface_t *s;
	char path[256], *buf;
	size_t len;
	FILE *f;

	(void)state;
	buf = fixture("hist_basic.txt", &len);
	assert_int_equal(pfs_parse_hist(buf, len, &h, &e), 0);
	free(buf);
	f = create("hist.png", path, sizeof(path));
	assert_int_equal(pfs_plot_hist(f, PFS_IMG_PNG, &h, &txt), 0);
	fclose(f);
	s = read_png(path, 1000, 560);
	assert_true(colour_pixels(s, BLUE) > 300);	/* minor's steps */
	assert_true(colour_pixels(s, VERM) > 50);	/* major's */
	cairo_surface_destroy(s);
	f = create("hist.svg", path, sizeof(path));
	assert_int_equal(pfs_plot_hist(f, PFS_IMG_SVG, &h, &txt), 0);
	fclose(f);
	check_svg(path);
	f = create("hist-empty.png", path, sizeof(path));
	assert_int_equal(pfs_plot_hist(f, PFS_IMG_PNG, &none, &txt), 0);
	fclose(f);
	s = read_png(path, 1000, 560);
	assert_true(colour_pixels(s, BLUE) == 0);
	cairo_surface_destroy(s);
	pfs_hist_free(&h);
}

static void test_rates(void **state)
{
	struct pfs_plot_text txt = { "Page fault rates", NULL };
	struct pfs_select sel = { .sort_key = PFS_SORT_TOTAL };
	struct pfs_rates r = { 0 };
	struct pfs_table t;
	cairo_surface_t *s;
	char path[256];
	FILE *f;
	int i;

	(void)state;
	load_table("proc_basic.txt", &t);
	for (i = 1; i <= 10; i++)
		assert_int_equal(pfs_rates_add(&r, &t, &sel, i, 1), 0);
	pfs_rates_finish(&r);
	assert_false(r.refault);
	f = create("rates.png", path, sizeof(path));
	assert_int_equal(pfs_plot_rates(f, PFS_IMG_PNG, &r, 3, &txt), 0);
	fclose(f);
	s = read_png(path, 1100, 0);
	/* three panels (no refault column): minor, major, invalid */
	assert_int_equal(cairo_image_surface_get_height(s), 70 + 22 + 3 * (190 + 62));
	assert_true(colour_pixels(s, BLUE) > 300);	/* the first process */
	assert_true(colour_pixels(s, VERM) > 300);	/* the second */
	cairo_surface_destroy(s);
	f = create("rates.svg", path, sizeof(path));
	assert_int_equal(pfs_plot_rates(f, PFS_IMG_SVG, &r, 3, &txt), 0);
	fclose(f);
	check_svg(path);
	pfs_rates_free(&r);
	pfs_table_free(&t);
}

static void test_fmt_of(void **state)
{
	enum pfs_img_fmt fmt;

	(void)state;
	assert_int_equal(pfs_img_fmt_of("a.png", &fmt), 0);
	assert_int_equal(fmt, PFS_IMG_PNG);
	assert_int_equal(pfs_img_fmt_of("dir.x/A.SVG", &fmt), 0);
	assert_int_equal(fmt, PFS_IMG_SVG);
	assert_int_equal(pfs_img_fmt_of("a.jpg", &fmt), -1);
	assert_int_equal(pfs_img_fmt_of("png", &fmt), -1);
	assert_int_equal(pfs_img_fmt_of("dir.png/a", &fmt), -1);
	assert_int_equal(pfs_img_fmt_of("a.png.txt", &fmt), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_map_empty),
		cmocka_unit_test(test_map_many_bands),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_fmt_of),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
