// SPDX-License-Identifier: GPL-2.0
/*
 * TAP 13 reporting for the pagefault_stats guest tests: sub-tests, assertions
 * that say where the expected number comes from, totals, exit status.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pfs_test.h"
#include "pfs_internal.h"

static pid_t main_pid;
static unsigned int n_run, n_pass, n_fail, n_skip;
static sigjmp_buf test_jmp;
static bool in_test;
static bool cur_failed;
bool pfs_child_failed;

bool pfs_in_child(void)
{
	return main_pid && getpid() != main_pid;
}

void pfs_begin(void)
{
	main_pid = getpid();
	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
	printf("TAP version 13\n");
}

static void vline(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	printf("# %s%s%s\n", pfs_in_child() ? "[child] " : "", prefix, buf);
	fflush(stdout);
}

void pfs_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("", fmt, ap);
	va_end(ap);
}

static void mark_failed(void)
{
	if (pfs_in_child())
		pfs_child_failed = true;
	else
		cur_failed = true;
}

void pfs_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("FAIL: ", fmt, ap);
	va_end(ap);
	if (pfs_in_child())
		_exit(PFS_CHILD_FAIL_EXIT);
	cur_failed = true;
	if (in_test)
		siglongjmp(test_jmp, 1);
	exit(1);
}

void pfs_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("SKIP: ", fmt, ap);
	va_end(ap);
	if (pfs_in_child())
		_exit(PFS_CHILD_SKIP_EXIT);
	if (in_test)
		siglongjmp(test_jmp, 2);
	exit(4);
}

static char skip_reason[256];

void pfs_test(const char *name, void (*fn)(void))
{
	int r;

	n_run++;
	cur_failed = false;
	skip_reason[0] = 0;
	in_test = true;
	printf("# --- %s\n", name);
	r = sigsetjmp(test_jmp, 1);
	if (r == 0)
		fn();
	in_test = false;
	if (r == 2 && !cur_failed) {
		n_skip++;
		printf("ok %u - %s # SKIP\n", n_run, name);
	} else if (cur_failed) {
		n_fail++;
		printf("not ok %u - %s\n", n_run, name);
	} else {
		n_pass++;
		printf("ok %u - %s\n", n_run, name);
	}
	fflush(stdout);
}

int pfs_exit(void)
{
	printf("1..%u\n", n_run);
	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:0\n",
	       n_pass, n_fail, n_skip);
	fflush(stdout);
	if (n_fail)
		exit(1);
	if (n_run && n_skip == n_run)
		exit(4);
	exit(0);
}

static bool verdict(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool verdict(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(ok ? "ok:   " : "FAIL: ", fmt, ap);
	va_end(ap);
	if (!ok)
		mark_failed();
	return ok;
}

bool pfs_expect_eq(const char *what, unsigned long long got,
		   unsigned long long want, const char *source)
{
	if (got == want)
		return verdict(true, "%s = %llu (== %s)", what, got, source);
	return verdict(false, "%s = %llu, want %llu (%s)", what, got, want, source);
}

bool pfs_expect_ge(const char *what, unsigned long long got,
		   unsigned long long min, const char *source)
{
	if (got >= min)
		return verdict(true, "%s = %llu (>= %llu: %s)", what, got, min, source);
	return verdict(false, "%s = %llu, want >= %llu (%s)", what, got, min, source);
}

bool pfs_expect_le(const char *what, unsigned long long got,
		   unsigned long long max, const char *source)
{
	if (got <= max)
		return verdict(true, "%s = %llu (<= %llu: %s)", what, got, max, source);
	return verdict(false, "%s = %llu, want <= %llu (%s)", what, got, max, source);
}

bool pfs_expect_true(const char *what, bool cond, const char *why)
{
	return verdict(cond, "%s%s%s", what, cond ? "" : ": ", cond ? "" : why);
}

bool pfs_expect_str(const char *what, const char *got, const char *want,
		    const char *source)
{
	if (!strcmp(got, want))
		return verdict(true, "%s = \"%s\" (== %s)", what, got, source);
	return verdict(false, "%s = \"%s\", want \"%s\" (%s)", what, got, want, source);
}
