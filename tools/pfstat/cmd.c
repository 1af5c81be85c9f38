// SPDX-License-Identifier: GPL-2.0
/*
 * The one-shot commands: the process table, hist, reset.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "app.h"

int pfs_cmd_show(const struct pfs_cfg *cfg)
{
	const struct pfs_row **rows;
	struct pfs_groups gs;
	struct pfs_table t;
	struct pfs_view v;
	struct pfs_out out;
	const char *source;
	int r;

	r = pfs_load_table(cfg, cfg->causes, &t, &source);
	if (r)
		return r;
	rows = calloc(t.nrows ? t.nrows : 1, sizeof(*rows));
	if (!rows || pfs_out_open(&out, cfg->out_path, stdout)) {
		free(rows);
		pfs_table_free(&t);
		return PFS_EXIT_ENV;
	}
	r = pfs_view_init(&v, cfg, &t, rows, &gs);
	if (!r) {
		v.source = source;
		pfs_render(out.f, cfg, &v, true);
	}
	if (pfs_out_close(&out, !r) && !r)
		r = PFS_EXIT_ENV;
	pfs_groups_free(&gs);
	free(rows);
	pfs_table_free(&t);
	return r;
}

static int pfs_term_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_col)
		return ws.ws_col;
	return 80;
}

int pfs_cmd_hist(const struct pfs_cfg *cfg)
{
	struct json_object *o;
	struct pfs_hist h;
	struct pfs_out out;
	int r, width;

	r = pfs_load_hist(cfg, &h);
	if (r)
		return r;
	if (pfs_out_open(&out, cfg->out_path, stdout)) {
		pfs_hist_free(&h);
		return PFS_EXIT_ENV;
	}
	switch (cfg->fmt) {
	case PFS_OUT_TEXT:
		width = cfg->bar_width ? cfg->bar_width : pfs_term_width() - 37;
		pfs_hist_text(out.f, &h, width);
		break;
	case PFS_OUT_JSON:
		o = pfs_hist_json(&h);
		pfs_json_print(out.f, o, true);
		json_object_put(o);
		break;
	case PFS_OUT_CSV:
		pfs_hist_csv(out.f, &h);
		break;
	case PFS_OUT_PROM:
		pfs_hist_prom(out.f, &h);
		break;
	}
	r = pfs_out_close(&out, true) ? PFS_EXIT_ENV : 0;
	pfs_hist_free(&h);
	return r;
}

int pfs_cmd_reset(const struct pfs_cfg *cfg)
{
	char *path = pfs_path_join(cfg->debugfs_dir, "reset");
	ssize_t w;
	int fd, err;

	if (!path)
		return PFS_EXIT_ENV;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		pfs_report_open_error(cfg, path, true, errno);
		free(path);
		return PFS_EXIT_ENV;
	}
	w = write(fd, "1\n", 2);
	err = errno;
	close(fd);
	if (w != 2) {
		if (w >= 0)
			err = EIO;
		if (err == EPERM || err == EACCES)
			fprintf(stderr, "pfstat: %s: permission denied: reset needs root (CAP_SYS_ADMIN); run with sudo\n",
				path);
		else
			fprintf(stderr, "pfstat: %s: write failed: %s\n", path,
				strerror(err));
		free(path);
		return PFS_EXIT_ENV;
	}
	free(path);
	if (cfg->fmt == PFS_OUT_TEXT)
		fprintf(stderr, "pfstat: counters reset\n");
	return 0;
}
